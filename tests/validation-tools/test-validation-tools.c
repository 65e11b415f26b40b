/* test-validation-tools.c: schema inference, synthesis, and the `setl
 * validate`, `setl schema infer` and `setl synth` commands.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>
#include <glib/gstdio.h>

#include <setl/setl-validation.h>
#include <setl/setl-schema-inference.h>
#include <setl/setl-synthesizer.h>

#include "validation-test-utils.h"

/* ---- helpers ------------------------------------------------------------ */

static char *
make_temp_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("setl-vtools-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

static void
remove_tree (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      g_unlink (path);
    }
  g_rmdir (dir);
}

static void
write_file (const char *path,
            const char *contents)
{
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
}

/* Runs the built `setl` with @args (NULL-terminated); returns its exit
 * status, stdout in *@out. */
static int
run_setl (char       **out,
          char       **err,
          const char  *first,
          ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  const char *tool = g_getenv ("SETL_TOOL");
  const char *arg;
  int status = -1;
  va_list args;

  g_assert_nonnull (tool);
  g_ptr_array_add (argv, (char *) tool);
  va_start (args, first);
  for (arg = first; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (char *) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                out, err, &status, &error);
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (status));
  return WEXITSTATUS (status);
}

static SetlSchema *
schema_from_json (const char *json)
{
  g_autoptr(GError) error = NULL;
  SetlSchema *schema = setl_schema_new_from_data (json, -1, "schema.json", &error);

  g_assert_no_error (error);
  return schema;
}

static SetlValidationReport *
validate_lazy (SetlSchema *schema,
               SetlTable  *table)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SetlValidator) validator = setl_validator_new (schema, NULL, &error);
  SetlValidationReport *report;

  g_assert_no_error (error);
  setl_validator_set_lazy (validator, TRUE);
  setl_validator_set_max_failure_cases (validator, G_MAXUINT);
  report = setl_validator_validate (validator, SETL_BATCH_STREAM (table), NULL, &error);
  g_assert_no_error (error);
  return report;
}

static SetlTable *
table_from_csv (const char *csv)
{
  g_autoptr(GError) error = NULL;
  SetlTable *table = vt_table_from_csv (csv, 3, &error);

  g_assert_no_error (error);
  return table;
}

/* ---- inference ---------------------------------------------------------- */

static const char people_csv[] =
  "id:int64,name:string,age:int64,score:double,grade:string,joined:date\n"
  "1,ann,34,0.5,A,2024-01-03\n"
  "2,bob,17,1.25,B,2023-12-31\n"
  "3,,40,,A,2024-02-01\n"
  "4,dan,88,0.75,B,2024-03-15\n"
  "5,eve,61,2.5,A,2024-01-20\n"
  "6,fay,25,0.125,C,2024-02-29\n";

static void
test_inference_round_trip (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SetlTable) table = table_from_csv (people_csv);
  g_autoptr(SetlSchemaInference) inference = setl_schema_inference_new ("people");
  g_autoptr(SetlSchema) schema = NULL;
  g_autoptr(SetlSchema) reloaded = NULL;
  g_autoptr(SetlValidationReport) report = NULL;
  g_autofree char *json = NULL;
  SetlSchemaColumn *column;

  setl_schema_inference_set_string_lengths (inference, TRUE);
  setl_schema_inference_set_max_categories (inference, 3);
  g_assert_true (setl_schema_inference_add_stream (inference, SETL_BATCH_STREAM (table), NULL, &error));
  g_assert_no_error (error);
  schema = setl_schema_inference_get_schema (inference, &error);
  g_assert_no_error (error);

  /* Saved and read back as a document, it is the same schema. */
  json = setl_schema_to_json (schema, TRUE);
  reloaded = schema_from_json (json);
  g_assert_cmpuint (setl_schema_get_n_columns (reloaded), ==, 6);

  column = setl_schema_lookup_column (reloaded, "id");
  g_assert_cmpint (setl_schema_column_get_column_type (column), ==, SETL_SCHEMA_COLUMN_TYPE_INT64);
  g_assert_false (setl_schema_column_get_nullable (column));
  g_assert_true (setl_schema_column_get_nullable (setl_schema_lookup_column (reloaded, "name")));
  g_assert_true (setl_schema_column_get_nullable (setl_schema_lookup_column (reloaded, "score")));
  g_assert_cmpint (setl_schema_column_get_column_type (setl_schema_lookup_column (reloaded, "joined")),
                   ==, SETL_SCHEMA_COLUMN_TYPE_DATE);
  /* grade: 3 distinct values in 6 rows: categorical; name: not. */
  g_assert_nonnull (strstr (json, "\"isin\""));
  g_assert_nonnull (strstr (json, "\"str_length\""));
  g_assert_nonnull (strstr (json, "\"max_value\" : 88"));
  g_assert_nonnull (strstr (json, "2024-03-15"));

  /* The data it comes from passes. */
  report = validate_lazy (reloaded, table);
  g_assert_true (setl_validation_report_get_valid (report));
  g_assert_cmpint (setl_validation_report_get_n_failures (report), ==, 0);
}

static void
test_inference_catches_changes (void)
{
  g_autoptr(SetlTable) table = table_from_csv (people_csv);
  g_autoptr(SetlSchema) schema = NULL;
  g_autoptr(SetlTable) changed = NULL;
  g_autoptr(SetlValidationReport) report = NULL;
  g_autoptr(GError) error = NULL;

  schema = setl_schema_infer (SETL_BATCH_STREAM (table), "people", NULL, &error);
  g_assert_no_error (error);

  /* A copy with an age past the maximum, a new grade, a null id and a
   * date before the first. */
  changed = table_from_csv (
    "id:int64,name:string,age:int64,score:double,grade:string,joined:date\n"
    "1,ann,34,0.5,A,2024-01-03\n"
    "2,bob,89,1.25,B,2023-12-31\n"
    ",cat,40,,A,2024-02-01\n"
    "4,dan,88,0.75,Z,2024-03-15\n"
    "5,eve,61,2.5,A,2023-12-30\n"
    "6,fay,25,0.125,C,2024-02-29\n");
  report = validate_lazy (schema, changed);
  g_assert_false (setl_validation_report_get_valid (report));
  g_assert_cmpint (setl_validation_report_get_n_failures (report), ==, 4);
  g_assert_cmpint (setl_validation_report_count (report, SETL_VALIDATION_REASON_SERIES_CONTAINS_NULLS, "id", NULL), ==, 1);
  g_assert_cmpint (setl_validation_report_count (report, SETL_VALIDATION_REASON_CHECK_FAILED, "age", NULL), ==, 1);
  g_assert_cmpint (setl_validation_report_count (report, SETL_VALIDATION_REASON_CHECK_FAILED, "grade", NULL), ==, 1);
  g_assert_cmpint (setl_validation_report_count (report, SETL_VALIDATION_REASON_CHECK_FAILED, "joined", NULL), ==, 1);
}

static void
test_inference_identifiers_not_categorical (void)
{
  g_autoptr(SetlTable) table = table_from_csv ("code:string\nx1\nx2\nx3\nx4\n");
  g_autoptr(SetlSchemaInference) inference = setl_schema_inference_new (NULL);
  g_autoptr(JsonNode) document = NULL;
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *json = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (setl_schema_inference_add_stream (inference, SETL_BATCH_STREAM (table), NULL, &error));
  document = setl_schema_inference_get_document (inference);
  json_generator_set_root (generator, document);
  json = json_generator_to_data (generator, NULL);
  /* Every value distinct: not a category; no lengths unless asked. */
  g_assert_null (strstr (json, "isin"));
  g_assert_null (strstr (json, "str_length"));
  g_assert_nonnull (strstr (json, "\"name\":\"inferred\""));
}

/* ---- synthesis ---------------------------------------------------------- */

static const char synth_schema[] =
  "{\"name\": \"synth\", \"columns\": ["
  " {\"name\": \"id\", \"type\": \"int64\", \"unique\": true, \"checks\": [{\"ge\": 1}]},"
  " {\"name\": \"name\", \"type\": \"string\", \"checks\": [{\"str_length\": {\"min_value\": 2, \"max_value\": 8}},"
  "   {\"str_startswith\": \"N\"}, {\"str_endswith\": \"z\"}]},"
  " {\"name\": \"age\", \"type\": \"int64\", \"checks\": [{\"in_range\": {\"min_value\": 18, \"max_value\": 120}},"
  "   {\"ne\": 50}, {\"lt\": 100}]},"
  " {\"name\": \"score\", \"type\": \"double\", \"nullable\": true, \"checks\": [{\"gt\": 0}, {\"le\": 1}]},"
  " {\"name\": \"grade\", \"type\": \"string\", \"checks\": [{\"isin\": [\"A\", \"B\", \"C\"]}, {\"notin\": [\"C\"]}]},"
  " {\"name\": \"day\", \"type\": \"date\", \"checks\": [{\"ge\": \"2024-01-01\"}, {\"lt\": \"2024-02-01\"}]},"
  " {\"name\": \"at\", \"type\": \"timestamp\", \"nullable\": true},"
  " {\"name\": \"ok\", \"type\": \"bool\", \"checks\": [{\"eq\": true}]}"
  "]}";

static void
test_synth_valid_rows_pass (void)
{
  g_autoptr(SetlSchema) schema = schema_from_json (synth_schema);
  g_autoptr(GError) error = NULL;
  g_autoptr(SetlSynthesizer) synth = setl_synthesizer_new (schema, NULL, &error);
  g_autoptr(SetlTable) rows = NULL;
  g_autoptr(SetlTable) again = NULL;
  g_autoptr(SetlValidationReport) report = NULL;

  g_assert_no_error (error);
  setl_synthesizer_set_seed (synth, 7);
  setl_synthesizer_set_null_probability (synth, 0.1);
  /* More than one batch. */
  rows = setl_synthesizer_generate (synth, 70000, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (setl_table_get_n_rows (rows), ==, 70000);
  g_assert_cmpuint (setl_table_get_n_batches (rows), ==, 2);

  report = validate_lazy (schema, rows);
  g_assert_true (setl_validation_report_get_valid (report));
  g_assert_cmpint (setl_validation_report_get_n_rows (report), ==, 70000);

  /* Same seed, same rows. */
  again = setl_synthesizer_generate (synth, 70000, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (setl_table_equal (rows, again));
}

/* Validates @rows lazily and checks that each row fails exactly the target
 * @targets names for it, and nothing else. Returns how many distinct
 * targets the rows break. */
static guint
assert_rows_fail_their_targets (SetlSchema       *schema,
                                SetlCheckCatalog *catalog,
                                SetlTable        *rows,
                                SetlTable        *targets)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SetlValidator) validator = setl_validator_new (schema, catalog, &error);
  g_autoptr(SetlValidationReport) report = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) distinct_targets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree gint64 *failures_per_row = NULL;
  gint64 n = setl_table_get_n_rows (rows);
  SetlTable *cases;
  SetlRecordBatch *tb, *cb;

  g_assert_no_error (error);
  setl_validator_set_lazy (validator, TRUE);
  setl_validator_set_max_failure_cases (validator, G_MAXUINT);
  report = setl_validator_validate (validator, SETL_BATCH_STREAM (rows), NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (setl_table_get_n_rows (targets), ==, n);
  g_assert_true (n == 0 || !setl_validation_report_get_valid (report));
  /* One failure per row, no more. */
  g_assert_cmpint (setl_validation_report_get_n_failures (report), ==, n);

  /* Map failure cases by row: each row fails exactly its named check. */
  cases = setl_validation_report_get_failure_cases (report);
  g_assert_cmpint (setl_table_get_n_rows (cases), ==, n);
  failures_per_row = g_new0 (gint64, MAX (n, 1));
  cb = setl_table_get_batch (cases, 0);
  for (gint64 i = 0; i < setl_record_batch_get_n_rows (cb); i++)
    {
      SetlColumn *row = setl_record_batch_get_column_by_name (cb, "row");
      g_autofree char *column = setl_column_dup_string (setl_record_batch_get_column_by_name (cb, "column"), i);
      g_autofree char *check = setl_column_dup_string (setl_record_batch_get_column_by_name (cb, "check"), i);
      gint64 r = setl_column_get_int64 (row, i);

      g_assert_false (setl_column_is_null (row, i));
      g_assert_cmpint (r, >=, 0);
      g_assert_cmpint (r, <, n);
      failures_per_row[r]++;
      g_hash_table_add (seen, g_strdup_printf ("%" G_GINT64_FORMAT "|%s|%s", r, column, check));
    }
  tb = setl_table_get_batch (targets, 0);
  for (gint64 i = 0; i < n; i++)
    {
      gint64 r = setl_column_get_int64 (setl_record_batch_get_column_by_name (tb, "row"), i);
      g_autofree char *column = setl_column_dup_string (setl_record_batch_get_column_by_name (tb, "column"), i);
      g_autofree char *check = setl_column_dup_string (setl_record_batch_get_column_by_name (tb, "check"), i);
      g_autofree char *key = g_strdup_printf ("%" G_GINT64_FORMAT "|%s|%s", r, column, check);

      g_assert_cmpint (r, ==, i);
      g_assert_cmpint (failures_per_row[r], ==, 1);
      if (!g_hash_table_contains (seen, key))
        g_error ("row %" G_GINT64_FORMAT " should fail %s %s", r, column, check);
      g_hash_table_add (distinct_targets, g_strdup_printf ("%s|%s", column, check));
    }
  return g_hash_table_size (distinct_targets);
}

static void
test_synth_invalid_rows_fail_their_check (void)
{
  g_autoptr(SetlSchema) schema = schema_from_json (synth_schema);
  g_autoptr(GError) error = NULL;
  g_autoptr(SetlSynthesizer) synth = setl_synthesizer_new (schema, NULL, &error);
  g_autoptr(SetlTable) rows = NULL;
  g_autoptr(SetlTable) targets = NULL;
  g_auto(GStrv) unbreakable = NULL;

  g_assert_no_error (error);
  setl_synthesizer_set_seed (synth, 11);
  rows = setl_synthesizer_generate_invalid (synth, 120, &targets, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (setl_table_get_n_rows (rows), ==, 120);
  unbreakable = setl_synthesizer_get_unbreakable (synth);
  /* A repeated id fails two rows (report_duplicates "all"): left out. */
  g_assert_cmpuint (g_strv_length (unbreakable), ==, 1);
  g_assert_cmpstr (unbreakable[0], ==, "id: field_uniqueness");
  /* Every target is used: not_nullable on the 6 columns that are not
   * nullable, and the 14 checks. */
  g_assert_cmpuint (assert_rows_fail_their_targets (schema, NULL, rows, targets), ==, 20);
}

static void
test_synth_duplicate_target (void)
{
  g_autoptr(SetlSchema) schema = schema_from_json (
    "{\"name\": \"dup\", \"columns\": ["
    " {\"name\": \"id\", \"type\": \"int64\", \"unique\": true,"
    "  \"report_duplicates\": \"exclude_first\", \"checks\": [{\"le\": 100000}]},"
    " {\"name\": \"k\", \"type\": \"int64\", \"nullable\": true, \"checks\": [{\"ge\": 0}]}]}");
  g_autoptr(SetlSchema) alone = schema_from_json (
    "{\"name\": \"alone\", \"columns\": ["
    " {\"name\": \"id\", \"type\": \"int64\", \"unique\": true, \"nullable\": true,"
    "  \"report_duplicates\": \"exclude_first\", \"checks\": [{\"le\": 100000}]}]}");
  g_autoptr(GError) error = NULL;
  g_autoptr(SetlSynthesizer) synth = setl_synthesizer_new (schema, NULL, &error);
  g_autoptr(SetlSynthesizer) synth_alone = NULL;
  g_autoptr(SetlTable) rows = NULL;
  g_autoptr(SetlTable) targets = NULL;
  g_auto(GStrv) unbreakable = NULL;

  g_assert_no_error (error);
  rows = setl_synthesizer_generate_invalid (synth, 40, &targets, NULL, &error);
  g_assert_no_error (error);
  /* not_nullable(id), le, field_uniqueness, ge(0) */
  g_assert_cmpuint (assert_rows_fail_their_targets (schema, NULL, rows, targets), ==, 4);

  /* A unique column alone has no earlier valid row to duplicate. */
  synth_alone = setl_synthesizer_new (alone, NULL, &error);
  g_assert_no_error (error);
  g_clear_object (&rows);
  g_clear_object (&targets);
  rows = setl_synthesizer_generate_invalid (synth_alone, 6, &targets, NULL, &error);
  g_assert_no_error (error);
  unbreakable = setl_synthesizer_get_unbreakable (synth_alone);
  g_assert_cmpuint (g_strv_length (unbreakable), ==, 1);
  g_assert_cmpstr (unbreakable[0], ==, "id: field_uniqueness");
  g_assert_cmpuint (assert_rows_fail_their_targets (alone, NULL, rows, targets), ==, 1);
}


/* Checks with a regular expression and no synthesis hook: the synthesizer
 * samples strings from the expression itself. */
static void
test_synth_patterns (void)
{
  g_autoptr(SetlSchema) schema = schema_from_json (
    "{\"name\": \"re\", \"columns\": ["
    " {\"name\": \"email\", \"type\": \"string\", \"checks\": [{\"str_matches\": \"^[a-z]\\\\.[a-z]+[0-9]+@[a-z]+\\\\.(com|net|org)$\"}]},"
    " {\"name\": \"code\", \"type\": \"string\", \"checks\": [{\"pattern\": \"[A-Z]{3}-\\\\d{4}(/[a-f0-9]{2,})?\"},"
    "   {\"str_length\": {\"max_value\": 8}}]},"
    " {\"name\": \"tag\", \"type\": \"string\", \"checks\": [{\"str_contains\": \"(?:foo|bar)[^x]\"}]}"
    "]}");
  g_autoptr(SetlSchema) backref = schema_from_json (
    "{\"name\": \"re\", \"columns\": [{\"name\": \"w\", \"type\": \"string\","
    " \"checks\": [{\"str_matches\": \"^(a+)b\\\\1$\"}]}]}");
  g_autoptr(GError) error = NULL;
  g_autoptr(SetlSynthesizer) synth = setl_synthesizer_new (schema, NULL, &error);
  g_autoptr(SetlSynthesizer) synth_backref = NULL;
  g_autoptr(SetlTable) rows = NULL;
  g_autoptr(SetlTable) targets = NULL;
  g_autoptr(SetlValidationReport) report = NULL;

  g_assert_no_error (error);
  rows = setl_synthesizer_generate (synth, 2000, NULL, &error);
  g_assert_no_error (error);
  report = validate_lazy (schema, rows);
  g_assert_true (setl_validation_report_get_valid (report));

  g_clear_object (&rows);
  rows = setl_synthesizer_generate_invalid (synth, 30, &targets, NULL, &error);
  g_assert_no_error (error);
  /* not_nullable ×3, str_matches, pattern, str_length, str_contains */
  g_assert_cmpuint (assert_rows_fail_their_targets (schema, NULL, rows, targets), ==, 7);

  /* Beyond the sampler: a clear error naming the check. */
  synth_backref = setl_synthesizer_new (backref, NULL, &error);
  g_assert_no_error (error);
  g_clear_object (&rows);
  rows = setl_synthesizer_generate (synth_backref, 3, NULL, &error);
  g_assert_null (rows);
  g_assert_error (error, SETL_VALIDATION_ERROR, SETL_VALIDATION_ERROR_INVALID_SCHEMA);
  g_assert_nonnull (strstr (error->message, "str_matches"));
}

static void
test_synth_contradictions_refused (void)
{
  static const struct { const char *schema; const char *expect[3]; } cases[] = {
    { "{\"name\": \"c\", \"columns\": [{\"name\": \"age\", \"type\": \"int64\","
      " \"checks\": [{\"ge\": 50}, {\"le\": 10}]}]}", { "age", "ge(50)", "le(10)" } },
    { "{\"name\": \"c\", \"columns\": [{\"name\": \"x\", \"type\": \"int64\","
      " \"checks\": [{\"gt\": 3}, {\"lt\": 4}]}]}", { "x", "gt(3)", "lt(4)" } },
    { "{\"name\": \"c\", \"columns\": [{\"name\": \"g\", \"type\": \"string\","
      " \"checks\": [{\"isin\": [\"a\", \"b\"]}, {\"isin\": [\"c\"]}]}]}", { "g", "isin([\"a\",\"b\"])", "isin([\"c\"])" } },
    { "{\"name\": \"c\", \"columns\": [{\"name\": \"g\", \"type\": \"string\","
      " \"checks\": [{\"isin\": [\"a\", \"b\"]}, {\"str_length\": {\"min_value\": 3}}]}]}", { "g", "isin", "str_length" } },
    { "{\"name\": \"c\", \"columns\": [{\"name\": \"s\", \"type\": \"string\","
      " \"checks\": [{\"str_startswith\": \"ab\"}, {\"str_startswith\": \"b\"}]}]}", { "s", "str_startswith(\"ab\")", "str_startswith(\"b\")" } },
    { "{\"name\": \"c\", \"columns\": [{\"name\": \"s\", \"type\": \"string\","
      " \"checks\": [{\"str_length\": {\"min_value\": 5}}, {\"str_length\": {\"max_value\": 2}}]}]}", { "s", "min_value=5", "max_value=2" } },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(SetlSchema) schema = schema_from_json (cases[i].schema);
      g_autoptr(GError) error = NULL;
      g_autoptr(SetlSynthesizer) synth = setl_synthesizer_new (schema, NULL, &error);

      g_assert_null (synth);
      g_assert_error (error, SETL_VALIDATION_ERROR, SETL_VALIDATION_ERROR_INVALID_SCHEMA);
      for (guint k = 0; k < 3; k++)
        if (strstr (error->message, cases[i].expect[k]) == NULL)
          g_error ("case %u: “%s” does not name “%s”", i, error->message, cases[i].expect[k]);
    }

  /* A unique column with fewer allowed values than rows. */
  {
    g_autoptr(SetlSchema) schema = schema_from_json (
      "{\"name\": \"c\", \"columns\": [{\"name\": \"id\", \"type\": \"int64\", \"unique\": true,"
      " \"checks\": [{\"in_range\": {\"min_value\": 1, \"max_value\": 5}}]}]}");
    g_autoptr(GError) error = NULL;
    g_autoptr(SetlSynthesizer) synth = setl_synthesizer_new (schema, NULL, &error);
    g_autoptr(SetlTable) rows = NULL;

    g_assert_no_error (error);
    rows = setl_synthesizer_generate (synth, 5, NULL, &error);
    g_assert_no_error (error);
    g_clear_object (&rows);
    rows = setl_synthesizer_generate (synth, 6, NULL, &error);
    g_assert_null (rows);
    g_assert_error (error, SETL_VALIDATION_ERROR, SETL_VALIDATION_ERROR_INVALID_SCHEMA);
    g_assert_nonnull (strstr (error->message, "id"));
  }
}

/* A third-party check that only one value passes, and that says which
 * through its synthesis hook: without the hook no draw would find it. */
typedef struct { SetlCheck parent_instance; } TestMagicCheck;
typedef struct { SetlCheckClass parent_class; } TestMagicCheckClass;
static GType test_magic_check_get_type (void);
G_DEFINE_TYPE (TestMagicCheck, test_magic_check, SETL_TYPE_CHECK)

static guint magic_synthesized;

static gboolean
magic_check_value (SetlCheck    *check,
                   const GValue *value)
{
  return g_value_get_int64 (value) == 424242;
}

static gboolean
magic_synthesize (SetlCheck     *check,
                  SetlDataType   type,
                  GRand         *rand,
                  GValue        *value,
                  GError       **error)
{
  magic_synthesized++;
  g_value_init (value, G_TYPE_INT64);
  g_value_set_int64 (value, 424242);
  return TRUE;
}

static void
test_magic_check_class_init (TestMagicCheckClass *klass)
{
  SetlCheckClass *check_class = SETL_CHECK_CLASS (klass);

  check_class->check_value = magic_check_value;
  check_class->synthesize = magic_synthesize;
  setl_check_class_set_check_name (check_class, "test_magic");
  setl_check_class_add_supported_type (check_class, SETL_DATA_TYPE_INT64);
}

static void
test_magic_check_init (TestMagicCheck *self)
{
}

static void
test_synth_third_party_hook (void)
{
  g_autoptr(SetlCheckCatalog) catalog = setl_check_catalog_new (NULL);
  g_autoptr(SetlSchema) schema = schema_from_json (
    "{\"name\": \"magic\", \"columns\": [{\"name\": \"m\", \"type\": \"int64\", \"checks\": [\"test_magic\"]},"
    " {\"name\": \"k\", \"type\": \"int64\", \"checks\": [{\"ge\": 0}]}]}");
  g_autoptr(GError) error = NULL;
  g_autoptr(SetlSynthesizer) synth = NULL;
  g_autoptr(SetlTable) rows = NULL;
  g_autoptr(SetlTable) targets = NULL;
  g_autoptr(SetlValidator) validator = NULL;
  g_autoptr(SetlValidationReport) report = NULL;

  setl_check_catalog_add_type (catalog, test_magic_check_get_type ());
  synth = setl_synthesizer_new (schema, catalog, &error);
  g_assert_no_error (error);
  magic_synthesized = 0;
  rows = setl_synthesizer_generate (synth, 50, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (magic_synthesized, >=, 50);

  validator = setl_validator_new (schema, catalog, &error);
  g_assert_no_error (error);
  setl_validator_set_lazy (validator, TRUE);
  report = setl_validator_validate (validator, SETL_BATCH_STREAM (rows), NULL, &error);
  g_assert_no_error (error);
  g_assert_true (setl_validation_report_get_valid (report));

  /* And it can be broken too. */
  g_clear_object (&report);
  g_clear_object (&rows);
  rows = setl_synthesizer_generate_invalid (synth, 8, &targets, NULL, &error);
  g_assert_no_error (error);
  /* not_nullable(m), test_magic, not_nullable(k), ge(0) */
  g_assert_cmpuint (assert_rows_fail_their_targets (schema, catalog, rows, targets), ==, 4);
}

/* ---- command line ------------------------------------------------------- */

static const char cli_schema[] =
  "{\"name\": \"people\", \"columns\": ["
  " {\"name\": \"id\", \"type\": \"int64\", \"unique\": true},"
  " {\"name\": \"name\", \"type\": \"string\"},"
  " {\"name\": \"age\", \"type\": \"int64\", \"checks\": [{\"in_range\": {\"min_value\": 18, \"max_value\": 120}}]},"
  " {\"name\": \"email\", \"type\": \"string\", \"checks\": [{\"str_matches\": \"^[^@]+@[^@]+\\\\.[a-z]+$\"}]}"
  "]}";

static const char cli_data[] =
  "id,name,age,email\n"
  "1,Ann,34,ann@example.com\n"
  "2,Bob,17,bob@example.com\n"
  "3,,40,carl-at-example\n"
  "2,Dan,130,dan@example.com\n"
  "5,Eve,50,eve@example.org\n";

static void
test_cli_validate (void)
{
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *schema = g_build_filename (dir, "people.json", NULL);
  g_autofree char *data = g_build_filename (dir, "people.csv", NULL);
  g_autofree char *good = g_build_filename (dir, "good.csv", NULL);
  g_autofree char *report = g_build_filename (dir, "report.json", NULL);
  g_autofree char *kept = g_build_filename (dir, "kept.csv", NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *root;

  write_file (schema, cli_schema);
  write_file (data, cli_data);
  write_file (good, "id,name,age,email\n1,Ann,34,ann@example.com\n");

  g_assert_cmpint (run_setl (&out, &err, "validate", "--schema", schema, good, NULL), ==, 0);
  g_assert_nonnull (strstr (out, "valid"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_setl (&out, &err, "validate", "--lazy", "--schema", schema, data,
                             "--report", report, NULL), ==, 1);
  /* The text summary names the failures. */
  g_assert_nonnull (strstr (out, "in_range(min_value=18, max_value=120): 2 failures"));
  g_assert_nonnull (strstr (out, "not_nullable"));
  g_assert_nonnull (strstr (out, "field_uniqueness"));
  g_assert_true (json_parser_load_from_file (parser, report, &error));
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_false (json_object_get_boolean_member (root, "valid"));
  g_assert_cmpint (json_object_get_int_member (root, "rows"), ==, 5);
  g_assert_cmpint (json_object_get_int_member (root, "failures"), ==, 6);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* --drop-invalid writes the rows that pass. */
  g_assert_cmpint (run_setl (&out, &err, "validate", "--lazy", "--schema", schema, data,
                             "--drop-invalid", kept, NULL), ==, 1);
  g_assert_true (g_file_get_contents (kept, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "id,name,age,email\n1,Ann,34,ann@example.com\n5,Eve,50,eve@example.org\n");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* Usage and I/O errors: 2. */
  g_assert_cmpint (run_setl (&out, &err, "validate", data, NULL), ==, 2);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_setl (&out, &err, "validate", "--schema", schema, "/nonexistent/x.csv", NULL), ==, 2);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_setl (&out, &err, "validate", "--schema", schema, "people.unknown", NULL), ==, 2);
  g_assert_nonnull (strstr (err, "extension"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  /* A report that cannot be written is an I/O error, and nothing is left. */
  g_assert_cmpint (run_setl (&out, &err, "validate", "--schema", schema, data,
                             "--report", "/nonexistent/dir/r.json", NULL), ==, 2);

  remove_tree (dir);
}


/* With a schema, a CSV or JSON Lines column is read with the schema's
 * type where the source would guess another that the schema's can hold:
 * digits in a string column stay strings, integers in a double column are
 * doubles. A column the schema does not know keeps its guess (strict
 * reports it), and text under an int64 column is still the wrong type,
 * not an I/O error. */
static void
test_cli_validate_schema_types (void)
{
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *schema = g_build_filename (dir, "codes.json", NULL);
  g_autofree char *csv = g_build_filename (dir, "codes.csv", NULL);
  g_autofree char *jsonl = g_build_filename (dir, "codes.jsonl", NULL);
  g_autofree char *synth_csv = g_build_filename (dir, "synth.csv", NULL);
  g_autofree char *extra = g_build_filename (dir, "extra.csv", NULL);
  g_autofree char *text = g_build_filename (dir, "text.csv", NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  write_file (schema,
              "{\"name\": \"codes\", \"strict\": true, \"columns\": ["
              "{\"name\": \"code\", \"type\": \"string\", \"unique\": true,"
              " \"checks\": [{\"pattern\": \"[1-9][0-9]{3}\"}]},"
              "{\"name\": \"price\", \"type\": \"double\", \"checks\": [{\"ge\": 0}]},"
              "{\"name\": \"qty\", \"type\": \"int64\"}]}");
  write_file (csv, "code,price,qty\n1234,3,1\n5678,4,2\n");
  write_file (jsonl, "{\"code\": 1234, \"price\": 3, \"qty\": 1}\n"
                     "{\"code\": \"5678\", \"price\": 4, \"qty\": 2}\n");
  g_assert_cmpint (run_setl (&out, &err, "validate", "--schema", schema, csv, NULL), ==, 0);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_setl (&out, &err, "validate", "--schema", schema, jsonl, NULL), ==, 0);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* The round trip the synthesis docs promised: `setl synth` to CSV. */
  g_assert_cmpint (run_setl (&out, &err, "synth", "--schema", schema, "--rows", "300",
                             "--seed", "5", "-o", synth_csv, NULL), ==, 0);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_setl (&out, &err, "validate", "--lazy", "--schema", schema, synth_csv, NULL), ==, 0);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* A column the schema lacks keeps its guessed type and strict names it. */
  write_file (extra, "code,price,qty,zip\n1234,3,1,75001\n");
  g_assert_cmpint (run_setl (&out, &err, "validate", "--lazy", "--schema", schema, extra, NULL), ==, 1);
  g_assert_nonnull (strstr (out, "column_not_in_schema"));
  g_assert_nonnull (strstr (out, "zip"));
  g_assert_null (strstr (out, "wrong_dtype"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* Text under an int64 column: the wrong type (exit 1), not a read error. */
  write_file (text, "code,price,qty\n1234,3,many\n");
  g_assert_cmpint (run_setl (&out, &err, "validate", "--lazy", "--schema", schema, text, NULL), ==, 1);
  g_assert_nonnull (strstr (out, "wrong_dtype"));
  g_assert_nonnull (strstr (out, "qty"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* JSON Lines read with the schema's types (code: digits, guessed int64)
   * and a key first seen after the guess's sample of 1,000 lines: an error
   * naming the line and the key, not a column skipped unseen. */
  {
    g_autofree char *late = g_build_filename (dir, "late.jsonl", NULL);
    g_autoptr(GString) lines = g_string_new (NULL);

    for (guint i = 1; i <= 1500; i++)
      g_string_append_printf (lines, "{\"code\": %u, \"price\": 1, \"qty\": 1%s}\n",
                              1000 + i, i == 1400 ? ", \"zip\": 75001" : "");
    write_file (late, lines->str);
    g_assert_cmpint (run_setl (&out, &err, "validate", "--lazy", "--schema", schema, late, NULL), ==, 2);
    g_assert_nonnull (strstr (err, "late.jsonl:1400"));
    g_assert_nonnull (strstr (err, "zip"));
  }
  remove_tree (dir);
}


/* JSON Lines input, eager mode, schema-only depth. */
static void
test_cli_validate_jsonl (void)
{
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *schema = g_build_filename (dir, "people.json", NULL);
  g_autofree char *data = g_build_filename (dir, "people.jsonl", NULL);
  g_autofree char *wrong = g_build_filename (dir, "wrong.jsonl", NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  write_file (schema, cli_schema);
  write_file (data,
              "{\"id\": 1, \"name\": \"Ann\", \"age\": 34, \"email\": \"ann@example.com\"}\n"
              "{\"id\": 2, \"name\": \"Bob\", \"age\": 17, \"email\": \"bob@example.com\"}\n"
              "{\"id\": 3, \"name\": \"Cy\", \"age\": 140, \"email\": \"cy@example.com\"}\n");
  write_file (wrong, "{\"id\": \"one\", \"name\": \"Ann\", \"age\": 34, \"email\": \"a@b.cd\"}\n");

  /* Eager: stops at the first batch with an error, still exit 1. */
  g_assert_cmpint (run_setl (&out, &err, "validate", "--schema", schema, data, NULL), ==, 1);
  g_assert_nonnull (strstr (out, "in_range"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  /* Schema only: the columns and types are right, no value is read. */
  g_assert_cmpint (run_setl (&out, &err, "validate", "--depth", "schema-only", "--schema", schema, data, NULL), ==, 0);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_setl (&out, &err, "validate", "--depth", "schema-only", "--schema", schema, wrong, NULL), ==, 1);
  g_assert_nonnull (strstr (out, "wrong_dtype"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_setl (&out, &err, "validate", "--depth", "deep", "--schema", schema, data, NULL), ==, 2);
  remove_tree (dir);
}

static void
test_cli_validate_registry_reference (void)
{
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *registry = g_build_filename (dir, "registry", NULL);
  g_autofree char *schema = g_build_filename (dir, "people.json", NULL);
  g_autofree char *data = g_build_filename (dir, "people.csv", NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  write_file (schema, cli_schema);
  write_file (data, cli_data);
  g_assert_cmpint (run_setl (&out, &err, "schema", "register", schema, "--path", registry, NULL), ==, 0);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_setl (&out, &err, "validate", "--lazy", "--registry", registry,
                             "--schema", "people@latest", data, NULL), ==, 1);
  g_assert_nonnull (strstr (out, "people@1"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_setl (&out, &err, "validate", "--registry", registry,
                             "--schema", "people@7", data, NULL), ==, 2);

  g_autofree char *reg_cmd = g_strdup_printf ("rm -rf '%s'", dir);
  g_spawn_command_line_sync (reg_cmd, NULL, NULL, NULL, NULL);
}

static void
test_cli_infer_round_trip (void)
{
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *data = g_build_filename (dir, "people.csv", NULL);
  g_autofree char *changed = g_build_filename (dir, "changed.csv", NULL);
  g_autofree char *schema = g_build_filename (dir, "inferred.json", NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  write_file (data, "id,grade,age\n1,A,30\n2,B,40\n3,A,50\n4,B,35\n");
  write_file (changed, "id,grade,age\n1,A,30\n2,C,40\n3,A,51\n4,B,35\n");
  g_assert_cmpint (run_setl (&out, &err, "schema", "infer", data, "-o", schema, NULL), ==, 0);
  g_assert_true (g_file_test (schema, G_FILE_TEST_EXISTS));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_setl (&out, &err, "validate", "--schema", schema, data, NULL), ==, 0);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_setl (&out, &err, "validate", "--lazy", "--schema", schema, changed, NULL), ==, 1);
  g_assert_nonnull (strstr (out, "grade"));
  g_assert_nonnull (strstr (out, "age"));
  remove_tree (dir);
}

static void
test_cli_synth (void)
{
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *schema = g_build_filename (dir, "s.json", NULL);
  g_autofree char *valid = g_build_filename (dir, "valid.csv", NULL);
  g_autofree char *invalid = g_build_filename (dir, "invalid.jsonl", NULL);
  g_autofree char *sidecar = g_build_filename (dir, "invalid.jsonl.checks.jsonl", NULL);
  g_autofree char *bad = g_build_filename (dir, "bad.json", NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;

  write_file (schema, synth_schema);
  g_assert_cmpint (run_setl (&out, &err, "synth", "--schema", schema, "--rows", "500",
                             "--seed", "3", "-o", valid, NULL), ==, 0);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_setl (&out, &err, "validate", "--schema", schema, valid, NULL), ==, 0);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_setl (&out, &err, "synth", "--schema", schema, "--rows", "34",
                             "--invalid", "-o", invalid, NULL), ==, 0);
  g_assert_true (g_file_get_contents (sidecar, &contents, NULL, NULL));
  lines = g_strsplit (g_strstrip (contents), "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 34);
  g_assert_nonnull (strstr (lines[0], "\"row\":0"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_setl (&out, &err, "validate", "--lazy", "--schema", schema, invalid, NULL), ==, 1);
  g_assert_nonnull (strstr (out, "34 failures"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* Contradictions: exit 1 and the message names column and checks. */
  write_file (bad, "{\"name\": \"b\", \"columns\": [{\"name\": \"age\", \"type\": \"int64\","
                   " \"checks\": [{\"ge\": 50}, {\"le\": 10}]}]}");
  g_assert_cmpint (run_setl (&out, &err, "synth", "--schema", bad, "--rows", "3", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "age"));
  g_assert_nonnull (strstr (err, "ge(50)"));
  g_assert_nonnull (strstr (err, "le(10)"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  /* Usage. */
  g_assert_cmpint (run_setl (&out, &err, "synth", "--schema", schema, NULL), ==, 2);
  remove_tree (dir);
}


/* Counts of a report file, by "reason|column|check", plus rows and failures. */
static int
sort_strings (gconstpointer a,
              gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

static GHashTable *
report_counts (const char *path,
               gboolean    with_cases)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  GHashTable *counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  JsonObject *root;
  static const char *groups[] = { "SCHEMA", "DATA" };

  g_assert_true (json_parser_load_from_file (parser, path, &error));
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  g_hash_table_insert (counts, g_strdup ("rows"), GINT_TO_POINTER ((int) json_object_get_int_member (root, "rows")));
  g_hash_table_insert (counts, g_strdup ("failures"), GINT_TO_POINTER ((int) json_object_get_int_member (root, "failures")));
  g_hash_table_insert (counts, g_strdup ("warnings"), GINT_TO_POINTER ((int) json_object_get_int_member (root, "warnings")));
  for (guint g = 0; g < G_N_ELEMENTS (groups); g++)
    {
      JsonObject *group = json_object_get_object_member (root, groups[g]);
      g_autoptr(GList) reasons = json_object_get_members (group);

      for (GList *l = reasons; l != NULL; l = l->next)
        {
          JsonArray *entries = json_object_get_array_member (group, l->data);

          for (guint i = 0; i < json_array_get_length (entries); i++)
            {
              JsonObject *e = json_array_get_object_element (entries, i);

              JsonArray *cases = json_object_get_array_member (e, "failure_cases");
              g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);
              g_autofree char *joined = NULL;

              g_hash_table_insert (counts, g_strdup_printf ("%s|%s|%s", (const char *) l->data,
                                                            json_object_get_string_member (e, "column"),
                                                            json_object_get_string_member (e, "check")),
                                   GINT_TO_POINTER ((int) json_object_get_int_member (e, "count")));
              /* The failure cases too, as a sorted list, when asked. */
              if (with_cases)
                {
                  for (guint k = 0; k < json_array_get_length (cases); k++)
                    {
                      JsonNode *c = json_array_get_element (cases, k);

                      g_ptr_array_add (texts, g_strdup (JSON_NODE_HOLDS_NULL (c) ? "<null>" : json_node_get_string (c)));
                    }
                  g_ptr_array_sort (texts, (GCompareFunc) sort_strings);
                  g_ptr_array_add (texts, NULL);
                  joined = g_strjoinv ("\x1f", (char **) texts->pdata);
                  g_hash_table_insert (counts, g_strdup_printf ("cases|%s|%s|%s", (const char *) l->data,
                                                                json_object_get_string_member (e, "column"),
                                                                json_object_get_string_member (e, "check")),
                                       GINT_TO_POINTER ((int) g_str_hash (joined)));
                }
            }
        }
    }
  return counts;
}

static void
assert_same_counts (GHashTable *a,
                    GHashTable *b)
{
  GHashTableIter iter;
  gpointer key, value;

  g_assert_cmpuint (g_hash_table_size (a), ==, g_hash_table_size (b));
  g_hash_table_iter_init (&iter, a);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      if (!g_hash_table_contains (b, key))
        g_error ("pushed down, the report has no “%s”", (const char *) key);
      g_assert_cmpint (GPOINTER_TO_INT (value), ==, GPOINTER_TO_INT (g_hash_table_lookup (b, key)));
    }
}

static const char pushdown_schema[] =
  "{\"name\": \"pd\", \"columns\": ["
  " {\"name\": \"id\", \"type\": \"int64\", \"unique\": true, \"report_duplicates\": \"exclude_first\","
  "  \"checks\": [{\"gt\": 0}, {\"notin\": [13, 666]}]},"
  " {\"name\": \"name\", \"type\": \"string\", \"checks\": [{\"str_length\": {\"min_value\": 2, \"max_value\": 9}},"
  "   {\"str_startswith\": \"N\"}, {\"str_endswith\": \"e\"}]},"
  " {\"name\": \"age\", \"type\": \"int64\", \"nullable\": true, \"checks\": ["
  "   {\"in_range\": {\"min_value\": 18, \"max_value\": 120, \"include_max\": false}},"
  "   {\"ne\": 50, \"level\": \"warning\"}, {\"lt\": 100, \"mostly\": 0.5}]},"
  " {\"name\": \"score\", \"type\": \"double\", \"checks\": [{\"ge\": 0.5}, {\"le\": 1.5}]},"
  " {\"name\": \"grade\", \"type\": \"string\", \"unique\": false, \"checks\": [{\"isin\": [\"A\", \"B\", \"O'K\"]}, {\"eq\": \"A\"}]}"
  "]}";

/* The checks pushed down to SQLite give the same counts as the validator. */
static void
test_pushdown_sqlite (void)
{
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *schema = g_build_filename (dir, "pd.json", NULL);
  g_autofree char *db = g_build_filename (dir, "data.db", NULL);
  g_autofree char *db2 = g_build_filename (dir, "valid.db", NULL);
  g_autofree char *in_client = g_build_filename (dir, "client.json", NULL);
  g_autofree char *pushed = g_build_filename (dir, "pushed.json", NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GHashTable) a = NULL;
  g_autoptr(GHashTable) b = NULL;

  write_file (schema, pushdown_schema);
  /* Rows that each break one check (with nulls, duplicates, warnings). */
  g_assert_cmpint (run_setl (&out, &err, "synth", "--schema", schema, "--rows", "300", "--invalid",
                             "-o", db, "--table", "t", NULL), ==, 0);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_setl (&out, &err, "validate", "--lazy", "--schema", schema, db, "--table", "t",
                             "--report", in_client, NULL), ==, 1);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_setl (&out, &err, "validate", "--lazy", "--pushdown", "--schema", schema, db,
                             "--table", "t", "--report", pushed, NULL), ==, 1);
  /* Same counts, same failure cases. */
  a = report_counts (in_client, TRUE);
  b = report_counts (pushed, TRUE);
  g_assert_cmpint (GPOINTER_TO_INT (g_hash_table_lookup (a, "rows")), ==, 300);
  g_assert_cmpint (GPOINTER_TO_INT (g_hash_table_lookup (a, "failures")), >=, 250);
  assert_same_counts (a, b);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_clear_pointer (&a, g_hash_table_unref);
  g_clear_pointer (&b, g_hash_table_unref);

  /* Valid data: valid both ways. */
  g_assert_cmpint (run_setl (&out, &err, "synth", "--schema", schema, "--rows", "200", "--null-probability", "0.2",
                             "-o", db2, "--table", "t", NULL), ==, 0);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_setl (&out, &err, "validate", "--pushdown", "--schema", schema, db2, "--table", "t",
                             NULL), ==, 0);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* What cannot be pushed down is refused, naming it (every built-in
   * check compiles now: coercion does not; tests/validation-pushdown has
   * the rest). */
  write_file (schema, "{\"name\": \"x\", \"columns\": [{\"name\": \"name\", \"type\": \"string\","
                      " \"coerce\": true, \"checks\": [{\"str_matches\": \"^N\"}]}]}");
  g_assert_cmpint (run_setl (&out, &err, "validate", "--pushdown", "--schema", schema, db, "--table", "t",
                             NULL), ==, 2);
  g_assert_nonnull (strstr (err, "coercion"));
  g_assert_nonnull (strstr (err, "pushed down"));

  {
    g_autofree char *command = g_strdup_printf ("rm -rf '%s'", dir);

    g_spawn_command_line_sync (command, NULL, NULL, NULL, NULL);
  }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/validation-tools/inference/round-trip", test_inference_round_trip);
  g_test_add_func ("/validation-tools/inference/catches-changes", test_inference_catches_changes);
  g_test_add_func ("/validation-tools/inference/identifiers-not-categorical", test_inference_identifiers_not_categorical);
  g_test_add_func ("/validation-tools/synth/valid-rows-pass", test_synth_valid_rows_pass);
  g_test_add_func ("/validation-tools/synth/invalid-rows-fail-their-check", test_synth_invalid_rows_fail_their_check);
  g_test_add_func ("/validation-tools/synth/duplicate-target", test_synth_duplicate_target);
  g_test_add_func ("/validation-tools/synth/patterns", test_synth_patterns);
  g_test_add_func ("/validation-tools/synth/contradictions-refused", test_synth_contradictions_refused);
  g_test_add_func ("/validation-tools/synth/third-party-hook", test_synth_third_party_hook);
  g_test_add_func ("/validation-tools/cli/validate", test_cli_validate);
  g_test_add_func ("/validation-tools/cli/validate-jsonl", test_cli_validate_jsonl);
  g_test_add_func ("/validation-tools/cli/validate-schema-types", test_cli_validate_schema_types);
  g_test_add_func ("/validation-tools/cli/validate-registry-reference", test_cli_validate_registry_reference);
  g_test_add_func ("/validation-tools/cli/infer-round-trip", test_cli_infer_round_trip);
  g_test_add_func ("/validation-tools/cli/synth", test_cli_synth);
  g_test_add_func ("/validation-tools/pushdown/sqlite", test_pushdown_sqlite);

  return g_test_run ();
}
