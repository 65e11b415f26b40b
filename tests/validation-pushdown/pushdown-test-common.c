/* pushdown-test-common.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "pushdown-test-common.h"
#include "validation-test-utils.h"

#include <math.h>
#include <string.h>

const PdColumn pd_columns[] = {
  { "id", "int64", "INTEGER", "bigint" },
  { "name", "string", "TEXT", "text" },
  { "age", "int64", "INTEGER", "bigint" },
  { "score", "double", "REAL", "double precision" },
  { "grade", "string", "TEXT", "text" },
  { "email", "string", "TEXT", "text" },
  { "day", "date", "TEXT", "date" },
  { "extra", "string", "TEXT", "text" },
};
const guint pd_n_columns = G_N_ELEMENTS (pd_columns);

/* Every check that compiles, each with data breaking it (but the two
 * statistics meant to pass), and the test's own check with `to_sql`. */
const char pd_schema_json[] =
  "{\"name\": \"pd\", \"columns\": ["
  " {\"name\": \"id\", \"type\": \"int64\", \"unique\": true, \"report_duplicates\": \"exclude_first\","
  "  \"checks\": [{\"gt\": 0}, {\"notin\": [13, 666]}, {\"mean_in_range\": {\"min_value\": 0, \"max_value\": 10}},"
  "   {\"distinct_count_in_range\": {\"min_value\": 500}}, {\"le\": 100000}]},"
  " {\"name\": \"name\", \"type\": \"string\", \"checks\": ["
  "   {\"str_length\": {\"min_value\": 2, \"max_value\": 9}}, {\"str_startswith\": \"N\"}, {\"str_endswith\": \"e\"},"
  "   {\"str_matches\": \"N[a-z]+\"}, {\"str_contains\": \"\\\\b[a-z]{2}e$\"}, {\"pattern\": \"N[a-z]*e\"},"
  "   {\"null_fraction_in_range\": {\"max_value\": 0.0}}, {\"str_length\": 4, \"level\": \"warning\"}]},"
  " {\"name\": \"age\", \"type\": \"int64\", \"nullable\": true, \"checks\": ["
  "   {\"in_range\": {\"min_value\": 18, \"max_value\": 120, \"include_max\": false}},"
  "   {\"ne\": 50, \"level\": \"warning\"}, {\"lt\": 100, \"mostly\": 0.5}, {\"stddev_in_range\": {\"max_value\": 5}},"
  "   {\"multiple_of\": {\"divisor\": 2}, \"message\": \"age is odd\"}, {\"eq\": 30, \"mostly\": 0.99}]},"
  " {\"name\": \"score\", \"type\": \"double\", \"checks\": [{\"ge\": 0.5}, {\"le\": 1.5},"
  "   {\"mean_in_range\": {\"min_value\": 0, \"max_value\": 2}}, {\"stddev_in_range\": {\"min_value\": 0.1}}]},"
  " {\"name\": \"grade\", \"type\": \"string\", \"nullable\": true, \"checks\": ["
  "   {\"isin\": [\"A\", \"B\", \"O'K\"]}, {\"eq\": \"A\"}, {\"str_contains\": \"(?i)^o'\"},"
  "   {\"distinct_count_in_range\": {\"max_value\": 3}}]},"
  " {\"name\": \"email\", \"type\": \"string\", \"nullable\": true, \"checks\": ["
  "   {\"pattern\": \"[a-z0-9._]+@[a-z]+\\\\.[a-z]{2,3}\"}, {\"str_matches\": \"\\\\w+@\"},"
  "   {\"str_contains\": \"(?<=@)abc\\\\.\"}, {\"notin\": [\"x@abc.com\"]}]},"
  " {\"name\": \"day\", \"type\": \"date\", \"nullable\": true, \"checks\": [{\"ge\": \"2024-01-01\"}, {\"ne\": \"2024-01-07\"}]}"
  "],"
  " \"unique\": [[\"grade\", \"age\"]], \"report_duplicates\": \"exclude_last\","
  " \"checks\": [{\"row_count_in_range\": {\"min_value\": 1, \"max_value\": 10}},"
  "   {\"column_set\": {\"columns\": [\"id\", \"name\", \"age\", \"score\", \"grade\", \"email\", \"day\"]}}]}";

/* Checks defined by the test ------------------------------------------------- */

typedef struct { SetlCheck parent_instance; gint64 divisor; } PdMultipleOf;
typedef struct { SetlCheckClass parent_class; } PdMultipleOfClass;
static GType pd_multiple_of_get_type (void);
G_DEFINE_TYPE (PdMultipleOf, pd_multiple_of, SETL_TYPE_CHECK)

static void
multiple_of_get_property (GObject *object, guint id, GValue *value, GParamSpec *pspec)
{
  g_value_set_int64 (value, ((PdMultipleOf *) object)->divisor);
}

static void
multiple_of_set_property (GObject *object, guint id, const GValue *value, GParamSpec *pspec)
{
  ((PdMultipleOf *) object)->divisor = g_value_get_int64 (value);
}

static gboolean
multiple_of_prepare (SetlCheck *check, GError **error)
{
  if (((PdMultipleOf *) check)->divisor == 0)
    {
      setl_check_set_parameter_error (check, error, "divisor", "must not be 0");
      return FALSE;
    }
  return TRUE;
}

static gboolean
multiple_of_check_value (SetlCheck *check, const GValue *value)
{
  return g_value_get_int64 (value) % ((PdMultipleOf *) check)->divisor == 0;
}

/* The same in SQL: % truncates toward zero in C, SQLite and PostgreSQL. */
static char *
multiple_of_to_sql (SetlCheck *check, const char *dialect, const char *column, GError **error)
{
  if (!g_str_equal (dialect, "sqlite") && !g_str_equal (dialect, "postgresql"))
    return NULL;
  return g_strdup_printf ("%s %% %" G_GINT64_FORMAT " = 0", column, ((PdMultipleOf *) check)->divisor);
}

static void
pd_multiple_of_class_init (PdMultipleOfClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  SetlCheckClass *check_class = SETL_CHECK_CLASS (klass);

  object_class->get_property = multiple_of_get_property;
  object_class->set_property = multiple_of_set_property;
  check_class->prepare = multiple_of_prepare;
  check_class->check_value = multiple_of_check_value;
  check_class->to_sql = multiple_of_to_sql;
  setl_check_class_set_check_name (check_class, "multiple_of");
  setl_check_class_add_supported_type (check_class, SETL_DATA_TYPE_INT64);
  g_object_class_install_property (object_class, 1,
    g_param_spec_int64 ("divisor", "divisor", "What values are multiples of", G_MININT64, G_MAXINT64, 1,
                        G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS));
}

static void
pd_multiple_of_init (PdMultipleOf *self)
{
  self->divisor = 1;
}

typedef struct { SetlCheck parent_instance; } PdOpaque;
typedef struct { SetlCheckClass parent_class; } PdOpaqueClass;
static GType pd_opaque_get_type (void);
G_DEFINE_TYPE (PdOpaque, pd_opaque, SETL_TYPE_CHECK)

static gboolean
opaque_check_value (SetlCheck *check, const GValue *value)
{
  return g_value_get_int64 (value) > 0;
}

static void
pd_opaque_class_init (PdOpaqueClass *klass)
{
  SetlCheckClass *check_class = SETL_CHECK_CLASS (klass);

  check_class->check_value = opaque_check_value;
  setl_check_class_set_check_name (check_class, "opaque_positive");
  setl_check_class_add_supported_type (check_class, SETL_DATA_TYPE_INT64);
}

static void
pd_opaque_init (PdOpaque *self)
{
}

void
pd_register_checks (void)
{
  SetlCheckCatalog *catalog = setl_check_catalog_get_default ();

  setl_check_catalog_add_type (catalog, pd_multiple_of_get_type ());
  setl_check_catalog_add_type (catalog, pd_opaque_get_type ());
}

/* Data ------------------------------------------------------------------------ */

static char *
pick (GRand *rand, const char * const *choices)
{
  guint n = g_strv_length ((char **) choices);

  return g_strdup (choices[g_rand_int_range (rand, 0, (gint32) n)]);
}

/* A row of pd_n_columns cells, some null (g_strfreev() would stop there). */
void
pd_row_free (gpointer data)
{
  char **row = data;

  for (guint j = 0; j < pd_n_columns; j++)
    g_free (row[j]);
  g_free (row);
}

/* Mostly valid rows, each column broken now and then. */
GPtrArray *
pd_make_rows (guint   n_rows,
              guint32 seed)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  GPtrArray *rows = g_ptr_array_new_with_free_func (pd_row_free);
  static const char * const names[] = { "Nadine", "Nicole", "Nate", "Noe", "Nathalie", "Nine", NULL };
  static const char * const bad_names[] = { "bane", "Nora", "N", "Nathaniel-Longname", "N3e", "Na e", NULL };
  static const char * const grades[] = { "A", "A", "A", "B", "O'K", NULL };
  static const char * const bad_grades[] = { "C", "o'k", "a", "B ", NULL };
  static const char * const emails[] = { "x@abc.com", "y.z@abc.org", "q_1@def.io", "w@abc.net", NULL };
  static const char * const bad_emails[] = { "bad@", "Bad@abc.com", "a@b.comm", "@abc.com", "-x@abc.com", NULL };
  static const char * const scores[] = { "0.75", "1.25", "1.5", "0.5", NULL };
  static const char * const bad_scores[] = { "0.25", "1.75", "-0.5", NULL };

  for (guint i = 0; i < n_rows; i++)
    {
      char **row = g_new0 (char *, pd_n_columns + 1);
      gint64 id = (gint64) i + 1;
      gint32 age = g_rand_int_range (rand, 18, 100);

      /* Repeats, a forbidden id, a negative one. */
      if (i % 17 == 16)
        id = i;
      else if (i == 12)
        id = 13;
      else if (i == 30)
        id = -4;
      row[0] = g_strdup_printf ("%" G_GINT64_FORMAT, id);
      row[1] = g_rand_int_range (rand, 0, 6) == 0 ? pick (rand, bad_names) : pick (rand, names);
      if (i == 40)
        g_clear_pointer (&row[1], g_free);
      switch (g_rand_int_range (rand, 0, 12))
        {
        case 0: break;                                  /* null */
        case 1: row[2] = g_strdup ("50"); break;
        case 2: row[2] = g_strdup ("10"); break;
        case 3: row[2] = g_strdup ("120"); break;
        case 4: row[2] = g_strdup_printf ("%d", 100 + g_rand_int_range (rand, 0, 20)); break;
        default: row[2] = g_strdup_printf ("%d", age); break;
        }
      row[3] = g_rand_int_range (rand, 0, 8) == 0 ? pick (rand, bad_scores) : pick (rand, scores);
      if (g_rand_int_range (rand, 0, 10) > 0)
        row[4] = g_rand_int_range (rand, 0, 7) == 0 ? pick (rand, bad_grades) : pick (rand, grades);
      if (g_rand_int_range (rand, 0, 6) > 0)
        row[5] = g_rand_int_range (rand, 0, 5) == 0 ? pick (rand, bad_emails) : pick (rand, emails);
      if (g_rand_int_range (rand, 0, 8) > 0)
        row[6] = g_strdup_printf ("%d-%02d-%02d", g_rand_int_range (rand, 0, 10) == 0 ? 2023 : 2024,
                                  g_rand_int_range (rand, 1, 13), g_rand_int_range (rand, 1, 10));
      row[7] = g_strdup_printf ("x%u", i);
      g_ptr_array_add (rows, row);
    }
  return rows;
}

SetlTable *
pd_rows_to_table (GPtrArray *rows)
{
  g_autoptr(GString) csv = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  SetlTable *table;

  for (guint j = 0; j < pd_n_columns; j++)
    g_string_append_printf (csv, "%s%s:%s", j ? "," : "", pd_columns[j].name, pd_columns[j].setl_type);
  g_string_append_c (csv, '\n');
  for (guint i = 0; i < rows->len; i++)
    {
      char **row = g_ptr_array_index (rows, i);

      for (guint j = 0; j < pd_n_columns; j++)
        {
          if (j > 0)
            g_string_append_c (csv, ',');
          if (row[j] == NULL)
            continue;
          if (row[j][0] == '\0' || strpbrk (row[j], ",\"\n") != NULL)
            {
              g_autofree char *escaped = NULL;
              g_auto(GStrv) parts = g_strsplit (row[j], "\"", -1);

              escaped = g_strjoinv ("\"\"", parts);
              g_string_append_printf (csv, "\"%s\"", escaped);
            }
          else
            g_string_append (csv, row[j]);
        }
      g_string_append_c (csv, '\n');
    }
  /* Several batches, as a real source gives them. */
  table = vt_table_from_csv (csv->str, 64, &error);
  g_assert_no_error (error);
  return table;
}

SetlValidator *
pd_validator_new (const char *schema_json)
{
  g_autoptr(GError) error = NULL;
  SetlValidator *validator = vt_validator_new (schema_json, &error);

  g_assert_no_error (error);
  setl_validator_set_lazy (validator, TRUE);
  return validator;
}

SetlValidationReport *
pd_validate_in_client (SetlValidator *validator,
                       SetlTable     *table)
{
  g_autoptr(GError) error = NULL;
  SetlValidationReport *report = setl_validator_validate (validator, SETL_BATCH_STREAM (table), NULL, &error);

  g_assert_no_error (error);
  return report;
}

/* Doubles ---------------------------------------------------------------------- */

const PdColumn pd_double_column = { "x", "double", "REAL", "double precision" };

const char pd_double_schema_json[] =
  "{\"name\": \"doubles\", \"columns\": [{\"name\": \"x\", \"type\": \"double\", \"nullable\": true,"
  " \"unique\": true, \"checks\": [{\"ge\": 0}]}]}";

static void
double_row_free (gpointer data)
{
  char **row = data;

  g_free (row[0]);
  g_free (row);
}

GPtrArray *
pd_make_double_rows (guint   n_rows,
                     guint32 seed)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  GPtrArray *rows = g_ptr_array_new_with_free_func (double_row_free);
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];
  double previous = 0.5;

  for (guint i = 0; i < n_rows; i++)
    {
      char **row = g_new0 (char *, 2);
      double d;

      if (i == 0)
        d = -734257.67128706549;   /* 15 digits read back as another double */
      else if (i % 7 == 3)
        d = previous;   /* a repeat */
      else if (i % 5 == 4)
        {
          /* large and tiny exponents too, any mantissa */
          guint64 bits = ((guint64) g_rand_int (rand) << 32) | g_rand_int (rand);

          d = ((double) (bits >> 11) / 9007199254740992.0 - 0.75) *
              pow (10, g_rand_int_range (rand, -300, 300));
        }
      else
        d = g_rand_double_range (rand, -1e6, 1e5);
      if (i % 11 != 10)
        row[0] = g_strdup (g_ascii_formatd (buffer, sizeof buffer, "%.17g", d));
      previous = d;
      g_ptr_array_add (rows, row);
    }
  return rows;
}

SetlTable *
pd_double_rows_to_table (GPtrArray *rows)
{
  g_autoptr(GString) csv = g_string_new ("x:double\n");
  g_autoptr(GError) error = NULL;
  SetlTable *table;

  for (guint i = 0; i < rows->len; i++)
    {
      char **row = g_ptr_array_index (rows, i);

      g_string_append_printf (csv, "%s\n", row[0] ? row[0] : "");
    }
  table = vt_table_from_csv (csv->str, 0, &error);
  g_assert_no_error (error);
  return table;
}

guint
pd_count_17_digit_cases (SetlValidationReport *report)
{
  SetlTable *cases = setl_validation_report_get_failure_cases (report);
  g_autoptr(GPtrArray) lines = vt_table_to_lines (cases);
  guint n = 0;

  for (guint i = 0; i < lines->len; i++)
    {
      const char *line = g_ptr_array_index (lines, i);
      guint digits = 0;

      /* the failure_case column is the fifth: count the digits of a line
       * holding a 17-digit mantissa */
      for (const char *c = line; *c != '\0'; c++)
        {
          if (g_ascii_isdigit (*c))
            digits++;
          else if (*c != '.' && *c != '-')
            {
              if (digits == 17)
                break;
              digits = 0;
            }
        }
      n += digits == 17;
    }
  return n;
}

/* Comparison ----------------------------------------------------------------- */

static char *
node_text (JsonNode *node)
{
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return g_strdup ("null");
  return json_to_string (node, FALSE);
}

static GPtrArray *
summary_lines (SetlValidationReport *report)
{
  g_autoptr(JsonNode) root = setl_validation_report_to_json_node (report);
  JsonObject *object = json_node_get_object (root);
  GPtrArray *lines = g_ptr_array_new_with_free_func (g_free);
  static const char * const totals[] = { "valid", "complete", "rows", "dropped_rows", "failures", "errors",
                                         "warnings" };
  static const char * const groups[] = { "SCHEMA", "DATA" };
  static const char * const fields[] = { "schema_context", "column", "check", "check_number", "level", "count",
                                         "kept", "message" };

  for (guint i = 0; i < G_N_ELEMENTS (totals); i++)
    {
      g_autofree char *value = node_text (json_object_get_member (object, totals[i]));

      g_ptr_array_add (lines, g_strdup_printf ("%s=%s", totals[i], value));
    }
  for (guint g = 0; g < G_N_ELEMENTS (groups); g++)
    {
      JsonObject *group = json_object_has_member (object, groups[g])
                          ? json_object_get_object_member (object, groups[g]) : NULL;
      g_autoptr(GList) reasons = group ? json_object_get_members (group) : NULL;

      for (GList *l = reasons; l != NULL; l = l->next)
        {
          JsonArray *entries = json_object_get_array_member (group, l->data);

          for (guint i = 0; i < json_array_get_length (entries); i++)
            {
              JsonObject *e = json_array_get_object_element (entries, i);
              g_autoptr(GString) line = g_string_new (NULL);

              g_string_append_printf (line, "%s|%s", groups[g], (const char *) l->data);
              for (guint f = 0; f < G_N_ELEMENTS (fields); f++)
                {
                  g_autofree char *value = node_text (json_object_get_member (e, fields[f]));

                  g_string_append_printf (line, "|%s", value);
                }
              g_ptr_array_add (lines, g_string_free (g_steal_pointer (&line), FALSE));
            }
        }
    }
  if (json_object_has_member (object, "tolerated"))
    {
      JsonArray *tolerated = json_object_get_array_member (object, "tolerated");

      for (guint i = 0; i < json_array_get_length (tolerated); i++)
        {
          g_autofree char *text = node_text (json_array_get_element (tolerated, i));

          g_ptr_array_add (lines, g_strdup_printf ("tolerated|%s", text));
        }
    }
  return lines;
}

void
pd_assert_same_report (SetlValidationReport *expected,
                       SetlValidationReport *actual)
{
  g_autoptr(GPtrArray) a = summary_lines (expected);
  g_autoptr(GPtrArray) b = summary_lines (actual);
  g_autoptr(GPtrArray) ca = vt_table_to_lines (setl_validation_report_get_failure_cases (expected));
  g_autoptr(GPtrArray) cb = vt_table_to_lines (setl_validation_report_get_failure_cases (actual));

  g_assert_true (vt_lines_equal (a, b, "report summary"));
  g_assert_true (vt_lines_equal (ca, cb, "failure cases"));
}

void
pd_assert_checks_failed (SetlValidator        *validator,
                         SetlValidationReport *report,
                         const char * const   *passing)
{
  g_autoptr(GPtrArray) lines = summary_lines (report);

  for (guint i = 0; i < setl_validator_get_n_checks (validator); i++)
    {
      SetlCheck *check = setl_validator_get_check (validator, i, NULL);
      const char *name = setl_check_get_check_name (check);
      g_autofree char *needle = g_strdup_printf ("\"%s(", name);
      gboolean found = FALSE;

      if (passing != NULL && g_strv_contains (passing, name))
        continue;
      for (guint j = 0; j < lines->len && !found; j++)
        found = strstr (g_ptr_array_index (lines, j), needle) != NULL;
      if (!found)
        g_error ("the data never breaks check %s: the test would not see it pushed down wrong", name);
    }
}

/* Regular expressions ------------------------------------------------------ */

/* What PCRE and PostgreSQL's AREs read differently, and what they read
 * alike: anchors and newlines, word boundaries, classes, braces, groups. */
const char * const pd_regex_patterns[] = {
  "a$", "^a.c", "\\bcat\\b", "\\Bat", "(?i)dog", "[[:digit:]]{2,3}", "\\d+\\.\\d{2}",
  "colou?r", "\\Aab", "ab\\z", "ab\\Z", "[^\\n]+", "\\w+", "(?:a|b)+c", "a{3}", "\\x41",
  "(?=.*\\d)\\w+", "a|", "\\$\\d", "[]a]+", "(?#comment)a", "{abc}", "a}", "(?<y>\\d{2})x",
  "a.*?c", "[\\d.]+", "\\s", "\\S+$", "[a-c]{2}$", "\\ttab", "(?<=\\$)\\d", "(?<!a)b", "(\\w)\\1",
  "\\x{e9}", "[[:upper:]]+", ".", "^$", "(a)(?:b)\\1?", "(?i)école", "É",
  NULL
};

/* What PostgreSQL reads differently and is refused there. */
const char * const pd_regex_refused_on_postgresql[] = {
  "\\p{Lu}", "a++", "(?>a+)b", "a(?i)b", "\\Qa.b\\E", "\\d{1,300}", "(?s)a.c", "\\R", "x*+", "x{,2}",
  NULL
};

const char * const pd_regex_values[] = {
  "a", "a\n", "abc", "a\nc", "the cat sat", "concatenate", "DOG", "dogma", "12", "1234", "x{,2}", "xx",
  "3.14", "color", "colour", "ab", "ab\n", "b\nab", "", "é", "ÉCOLE", "aac", "AAA", "aaa", "$5", "]a",
  "{abc}", "a}", "\ttab", "12x", "bb", "cb", "A", "aa", "a.b", "ab\r\n", "a\rc", "\r", "a\r",
  NULL
};

const char * const pd_regex_checks[] = { "str_matches", "str_contains", "pattern", NULL };

SetlTable *
pd_string_table (const char * const *values)
{
  g_autoptr(SetlColumnBuilder) builder = setl_column_builder_new (SETL_DATA_TYPE_STRING);
  g_autoptr(SetlField) field = setl_field_new ("v", SETL_DATA_TYPE_STRING, TRUE);
  g_autoptr(SetlColumn) column = NULL;
  g_autoptr(SetlRecordBatch) batch = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; values[i] != NULL; i++)
    setl_column_builder_append_string (builder, values[i], -1);
  setl_column_builder_append_null (builder);
  column = setl_column_builder_finish (builder, &error);
  g_assert_no_error (error);
  batch = setl_record_batch_new (&field, 1, &column, 1, &error);
  g_assert_no_error (error);
  return setl_table_new_from_batch (batch);
}

char *
pd_regex_schema (const char *check,
                 const char *pattern)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, "re");
  json_builder_set_member_name (b, "columns");
  json_builder_begin_array (b);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, "v");
  json_builder_set_member_name (b, "type");
  json_builder_add_string_value (b, "string");
  json_builder_set_member_name (b, "nullable");
  json_builder_add_boolean_value (b, TRUE);
  json_builder_set_member_name (b, "checks");
  json_builder_begin_array (b);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, check);
  json_builder_add_string_value (b, pattern);
  json_builder_end_object (b);
  json_builder_end_array (b);
  json_builder_end_object (b);
  json_builder_end_array (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  return json_to_string (root, FALSE);
}
