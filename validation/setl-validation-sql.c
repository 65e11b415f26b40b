/* setl-validation-sql.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/**
 * SetlValidationQuery:
 *
 * A schema's data checks compiled to one SQL query, so that a database
 * validates a table where it lives, in one pass, and gives the same report
 * as #SetlValidator does in the client:
 *
 * |[<!-- language="C" -->
 * g_autoptr(SetlValidationQuery) query =
 *   setl_validation_query_new (validator, "public.people", SETL_SQL_DIALECT_POSTGRESQL, &error);
 * // run setl_validation_query_get_sql (query): one row of
 * // setl_validation_query_get_n_counts (query) values, read as text
 * g_autoptr(SetlValidationReport) report =
 *   setl_validation_query_make_report_from_text (query, row, n, fetch_cases, conn, &error);
 * ]|
 *
 * The query runs on the backend's side (libsetl does not link any
 * database): the `setl validate --pushdown` command runs it on SQLite.
 *
 * What compiles: nulls in columns that are not nullable, column
 * uniqueness (every `report_duplicates` mode), unique column combinations
 * (a subquery), every check of the built-in library — comparisons,
 * ranges, sets, string lengths and affixes, regular expressions, the
 * statistics (mean, standard deviation, null fraction, distinct count:
 * extra columns of the row) and the table checks (row count, column set
 * from the database's catalog) — with their `mostly` and `level`, and any
 * other check whose class implements `to_sql` (setl_check_to_sql()).
 * Anything else — coercion, a check without `to_sql`, an aggregate check
 * of another library, a regular expression PostgreSQL reads differently —
 * is refused when the query is made (%SETL_VALIDATION_ERROR_INVALID_CHECK,
 * naming the check), so that a caller can validate in the client instead.
 *
 * Regular expressions: SQLite has none, so the query calls `setl_check(k,
 * value)`, a function the connection must have
 * (setl_validation_query_register_sqlite()), which matches inside
 * SQLite's pass as the check does in the client (GRegex compiled as the
 * check compiles its pattern, or the check itself when Unicode
 * properties could tell them apart). On PostgreSQL the pattern is rewritten for its own
 * regular expressions (`~`, POSIX AREs): what reads the same is rewritten
 * (`\b` is `\y` there, PCRE's `.` stops at a newline, its `$` also matches
 * before a final newline), what has no equivalent (`\p{…}`, atomic groups,
 * possessive quantifiers, inline options other than a leading `(?i)`…)
 * is refused. Classes (`\w`, `\d`, `[[:alpha:]]`) and `(?i)` on
 * characters beyond ASCII follow the database's locale there.
 *
 * The counts come from the one query; the failure cases, if wanted, from
 * one more query per failing check, limited to the validator's
 * max-failure-cases rows, with the rows' positions in the table's order
 * (rowid in SQLite, the scan order or setl_validation_query_set_order_by()
 * in PostgreSQL). The data is validated at the data level only: the
 * table's columns are taken to be the schema's.
 */
#include "setl-validation-private.h"
#include "setl-validation-sql.h"
#include "setl-check-property.h"

#include <math.h>
#include <string.h>

G_DEFINE_ENUM_TYPE (SetlSqlDialect, setl_sql_dialect,
  G_DEFINE_ENUM_VALUE (SETL_SQL_DIALECT_SQLITE, "sqlite"),
  G_DEFINE_ENUM_VALUE (SETL_SQL_DIALECT_POSTGRESQL, "postgresql"))

/* How a regular expression of a check matches: str_contains (anywhere,
 * Python's re.search), str_matches (from the start, re.match), pattern
 * (the whole value, re.fullmatch). */
typedef enum {
  SETL_SQL_REGEXP_SEARCH,
  SETL_SQL_REGEXP_MATCH,
  SETL_SQL_REGEXP_FULL,
} SetlSqlRegexpMode;

typedef enum {
  ITEM_NULLS,
  ITEM_CHECK,
  ITEM_DUPLICATES,
  ITEM_NON_NULL,        /* values checked, for `mostly` */
  ITEM_AGGREGATE,       /* an aggregate or table check: a count, or a failure flag */
  ITEM_MEASURE,         /* what the aggregate before it measured, as text */
  ITEM_COMBO,           /* duplicates of a unique combination */
} ItemKind;

typedef enum {
  AGG_MEAN,
  AGG_STDDEV,
  AGG_NULL_FRACTION,
  AGG_DISTINCT,
  AGG_ROW_COUNT,
  AGG_COLUMN_SET,
} AggregateKind;

typedef struct {
  ItemKind kind;
  SetlValidatorColumn *column;   /* NULL for table checks and combinations */
  SetlValidatorCheck *check;
  guint non_null_index;  /* ITEM_CHECK, AGG_NULL_FRACTION: the ITEM_NON_NULL count of its column */
  AggregateKind aggregate;
  guint combo;           /* ITEM_COMBO: which combination, */
  guint combo_column;    /* which of its columns */
  guint column_index;    /* the column's place in the schema */
} Item;

struct _SetlValidationQuery
{
  GObject parent_instance;

  SetlValidator *validator;
  SetlSqlDialect dialect;
  char *table;
  char *quoted_table;   /* "schema"."table" */
  char *table_name;     /* the last part, unquoted (catalogs) */
  char *table_schema;   /* the part before, or NULL */
  char *order_by;
  char *sql;
  GArray *items;        /* (element-type Item); count i + 1 is item i */
  GPtrArray *functions; /* non-standard SQL functions called, NULL-terminated */
  guint current_column; /* while compiling: the column's items are added */
  GPtrArray *delegated; /* (element-type SetlCheck): the checks setl_check(k, value) runs, */
  GArray *delegated_ids; /* (element-type guint): their k */
};

G_DEFINE_FINAL_TYPE (SetlValidationQuery, setl_validation_query, G_TYPE_OBJECT)

/* The checks that `setl_check(k, value)` runs, by k, for every query
 * alive: the SQLite function is the connection's, not a query's. */
typedef struct {
  SetlCheck *check;
  GRegex *regex;      /* the same matches, faster, or NULL: ask the check */
} DelegatedCheck;

static GMutex checks_lock;
static GHashTable *checks_by_id;   /* (element-type guint DelegatedCheck) */
static guint next_check_id = 1;

static void
delegated_check_free (gpointer data)
{
  DelegatedCheck *d = data;

  g_object_unref (d->check);
  g_clear_pointer (&d->regex, g_regex_unref);
  g_free (d);
}

/* A built-in regular-expression check whose pattern means the same
 * whether PCRE's Unicode properties are on (GRegex) or off (the
 * library's own PCRE2): GRegex, compiled as the library compiles it,
 * runs it without building a column per value. Classes (\d, \w, \s,
 * \b, POSIX classes, properties) depend on them: those stay the check's. */
static GRegex *
fast_regex (SetlCheck         *check,
            SetlSqlRegexpMode  mode)
{
  g_autofree char *pattern = NULL;
  g_autofree char *source = NULL;

  g_object_get (check, "pattern", &pattern, NULL);
  if (pattern == NULL || strstr (pattern, "[:") != NULL)
    return NULL;
  for (const char *p = pattern; *p; p++)
    if (*p == '\\')
      {
        if (p[1] != '\0' && strchr ("dDsSwWbBhHvVRXpPN", p[1]) != NULL)
          return NULL;
        if (p[1] != '\0')
          p++;
      }
  source = mode == SETL_SQL_REGEXP_FULL ? g_strdup_printf ("(?:%s)\\z", pattern) : g_strdup (pattern);
  /* Newlines as PCRE2's default, LF only (GRegex's own default also
   * takes a CR before $). */
  return g_regex_new (source, G_REGEX_OPTIMIZE | G_REGEX_NEWLINE_LF |
                              (mode == SETL_SQL_REGEXP_SEARCH ? 0 : G_REGEX_ANCHORED),
                      0, NULL);
}

static guint
register_check (SetlValidationQuery *self,
                SetlCheck           *check,
                SetlSqlRegexpMode    mode)
{
  DelegatedCheck *d;
  guint index, id;

  if (g_ptr_array_find (self->delegated, check, &index))
    return g_array_index (self->delegated_ids, guint, index);
  d = g_new0 (DelegatedCheck, 1);
  d->check = g_object_ref (check);
  d->regex = fast_regex (check, mode);
  g_mutex_lock (&checks_lock);
  if (checks_by_id == NULL)
    checks_by_id = g_hash_table_new_full (NULL, NULL, NULL, delegated_check_free);
  id = next_check_id++;
  g_hash_table_insert (checks_by_id, GUINT_TO_POINTER (id), d);
  g_mutex_unlock (&checks_lock);
  g_ptr_array_add (self->delegated, g_object_ref (check));
  g_array_append_val (self->delegated_ids, id);
  return id;
}

static void
unregister_checks (SetlValidationQuery *self)
{
  g_mutex_lock (&checks_lock);
  for (guint i = 0; i < self->delegated_ids->len; i++)
    g_hash_table_remove (checks_by_id, GUINT_TO_POINTER (g_array_index (self->delegated_ids, guint, i)));
  g_mutex_unlock (&checks_lock);
}

static void
setl_validation_query_finalize (GObject *object)
{
  SetlValidationQuery *self = SETL_VALIDATION_QUERY (object);

  g_clear_object (&self->validator);
  g_free (self->sql);
  g_free (self->table);
  g_free (self->quoted_table);
  g_free (self->table_name);
  g_free (self->table_schema);
  g_free (self->order_by);
  g_array_unref (self->items);
  g_ptr_array_unref (self->functions);
  unregister_checks (self);
  g_ptr_array_unref (self->delegated);
  g_array_unref (self->delegated_ids);
  G_OBJECT_CLASS (setl_validation_query_parent_class)->finalize (object);
}

static void
setl_validation_query_class_init (SetlValidationQueryClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = setl_validation_query_finalize;
}

static void
setl_validation_query_init (SetlValidationQuery *self)
{
  self->items = g_array_new (FALSE, TRUE, sizeof (Item));
  self->functions = g_ptr_array_new ();
  g_ptr_array_add (self->functions, NULL);
  self->delegated = g_ptr_array_new_with_free_func (g_object_unref);
  self->delegated_ids = g_array_new (FALSE, FALSE, sizeof (guint));
}

static void
append_identifier (GString    *s,
                   const char *name)
{
  g_string_append_c (s, '"');
  for (const char *p = name; *p; p++)
    {
      if (*p == '"')
        g_string_append_c (s, '"');
      g_string_append_c (s, *p);
    }
  g_string_append_c (s, '"');
}

/* A string literal that reads the same whatever PostgreSQL's
 * standard_conforming_strings: E'…' with backslashes doubled when there
 * are any. */
static void
append_string_literal_for (SetlSqlDialect  dialect,
                           GString        *s,
                           const char     *text)
{
  gboolean escape = dialect == SETL_SQL_DIALECT_POSTGRESQL && strchr (text, '\\') != NULL;

  g_string_append (s, escape ? "E'" : "'");
  for (const char *p = text; *p; p++)
    {
      if (*p == '\'' || (escape && *p == '\\'))
        g_string_append_c (s, *p);
      g_string_append_c (s, *p);
    }
  g_string_append_c (s, '\'');
}

#define append_string_literal(s, text) append_string_literal_for (self->dialect, (s), (text))

static void
append_double (GString *s,
               double   value)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  g_string_append (s, g_ascii_dtostr (buffer, sizeof buffer, value));
}

/* Splits TABLE, SCHEMA.TABLE (each part bare or "double-quoted", "" for a
 * quote) into its parts. */
static gboolean
parse_table_name (SetlValidationQuery  *self,
                  const char           *table,
                  GError              **error)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) quoted = g_string_new (NULL);
  const char *p = table;

  while (TRUE)
    {
      g_autoptr(GString) part = g_string_new (NULL);

      if (*p == '"')
        {
          for (p++; *p && !(*p == '"' && p[1] != '"'); p++)
            {
              if (*p == '"')
                p++;
              g_string_append_c (part, *p);
            }
          if (*p != '"')
            goto malformed;
          p++;
        }
      else
        for (; *p && *p != '.'; p++)
          {
            if (*p == '"')
              goto malformed;
            g_string_append_c (part, *p);
          }
      if (part->len == 0)
        goto malformed;
      g_ptr_array_add (parts, g_string_free (g_steal_pointer (&part), FALSE));
      if (*p == '\0')
        break;
      if (*p != '.')
        goto malformed;
      p++;
    }
  if (parts->len > 2)
    goto malformed;
  for (guint i = 0; i < parts->len; i++)
    {
      if (i > 0)
        g_string_append_c (quoted, '.');
      append_identifier (quoted, g_ptr_array_index (parts, i));
    }
  self->quoted_table = g_string_free (g_steal_pointer (&quoted), FALSE);
  self->table_name = g_strdup (g_ptr_array_index (parts, parts->len - 1));
  self->table_schema = parts->len == 2 ? g_strdup (g_ptr_array_index (parts, 0)) : NULL;
  return TRUE;

malformed:
  g_set_error (error, SETL_VALIDATION_ERROR, SETL_VALIDATION_ERROR_FAILED,
               "“%s” is not a table name: TABLE or SCHEMA.TABLE, each bare or in double quotes", table);
  return FALSE;
}

static void
use_function (SetlValidationQuery *self,
              const char          *name)
{
  for (guint i = 0; i + 1 < self->functions->len; i++)
    if (g_str_equal (g_ptr_array_index (self->functions, i), name))
      return;
  g_ptr_array_insert (self->functions, (gint) self->functions->len - 1, (gpointer) name);
}

/* A JSON parameter as an SQL literal of the column's type. */
static gboolean
append_literal (SetlValidationQuery  *self,
                GString              *s,
                JsonNode             *node,
                SetlDataType          type,
                GError              **error)
{
  g_auto(GValue) value = G_VALUE_INIT;

  if (node == NULL || !setl_validation_value_from_json (node, type, &value, error))
    {
      if (error != NULL && *error == NULL)
        g_set_error (error, SETL_VALIDATION_ERROR, SETL_VALIDATION_ERROR_INVALID_CHECK,
                     "a check has no value to compare with");
      return FALSE;
    }
  switch (type)
    {
    case SETL_DATA_TYPE_BOOL:
      g_string_append (s, self->dialect == SETL_SQL_DIALECT_SQLITE
                          ? (g_value_get_boolean (&value) ? "1" : "0")
                          : (g_value_get_boolean (&value) ? "TRUE" : "FALSE"));
      break;
    case SETL_DATA_TYPE_INT64:
      g_string_append_printf (s, "%" G_GINT64_FORMAT, g_value_get_int64 (&value));
      break;
    case SETL_DATA_TYPE_DOUBLE:
      append_double (s, g_value_get_double (&value));
      break;
    case SETL_DATA_TYPE_STRING:
      append_string_literal (s, g_value_get_string (&value));
      break;
    default:
      {
        /* Dates and timestamps: ISO text (SQLite keeps them so) */
        g_autofree char *text = setl_validation_value_to_string (&value, type);

        append_string_literal (s, text);
        if (self->dialect == SETL_SQL_DIALECT_POSTGRESQL)
          g_string_append (s, type == SETL_DATA_TYPE_DATE32 ? "::date" : "::timestamp");
      }
      break;
    }
  return TRUE;
}

/* The built-in library's checks are known here by name; a check of
 * another library with the same name is not the same check. */
static gboolean
is_builtin (SetlCheck *check)
{
  return g_str_has_prefix (G_OBJECT_TYPE_NAME (check), "SetlBuiltin");
}

/* Regular expressions ------------------------------------------------------- */

static gboolean
refuse_regexp (GError     **error,
               const char  *pattern,
               const char  *what)
{
  g_set_error (error, SETL_VALIDATION_ERROR, SETL_VALIDATION_ERROR_INVALID_CHECK,
               "the regular expression “%s” has %s, which PostgreSQL's regular expressions read differently",
               pattern, what);
  return FALSE;
}

/* A {n}, {n,} or {n,m} quantifier at @p: its length, 0 if @p is none. */
static gsize
quantifier_length (const char *p,
                   guint      *largest)
{
  const char *q = p + 1;
  guint n = 0;

  *largest = 0;
  if (!g_ascii_isdigit (*q))
    return 0;
  for (; g_ascii_isdigit (*q); q++)
    n = MIN (n * 10 + (guint) (*q - '0'), 100000);
  *largest = n;
  if (*q == ',')
    for (q++, n = 0; g_ascii_isdigit (*q); q++)
      *largest = MAX (*largest, n = MIN (n * 10 + (guint) (*q - '0'), 100000));
  return *q == '}' ? (gsize) (q - p + 1) : 0;
}

/* \xhh or \x{h…} at @p (after the backslash): the character, as an ARE
 * escape (\uXXXX or \UXXXXXXXX: ARE's \x takes any number of digits). */
static gboolean
append_hex_escape (GString     *out,
                   const char **p)
{
  const char *q = *p + 1;
  guint64 c = 0;
  guint n = 0;

  if (*q == '{')
    {
      for (q++; g_ascii_isxdigit (*q) && n < 8; q++, n++)
        c = c * 16 + (guint64) g_ascii_xdigit_value (*q);
      if (*q != '}' || n == 0)
        return FALSE;
      q++;
    }
  else
    for (; g_ascii_isxdigit (*q) && n < 2; q++, n++)
      c = c * 16 + (guint64) g_ascii_xdigit_value (*q);
  if (c == 0 || c > 0x10FFFF)
    return FALSE;
  g_string_append_printf (out, c > 0xFFFF ? "\\U%08" G_GINT64_MODIFIER "X" : "\\u%04" G_GINT64_MODIFIER "X", c);
  *p = q - 1;
  return TRUE;
}

/* @pattern (PCRE, as the client reads it) as a PostgreSQL ARE with the
 * same matches in @mode, or NULL with @error set where they would differ. */
static char *
regexp_to_postgresql (const char         *pattern,
                      SetlSqlRegexpMode   mode,
                      GError            **error)
{
  g_autoptr(GString) out = g_string_new (NULL);
  const char *p = pattern;
  gboolean quantified = FALSE;   /* the last token was a quantifier */

  /* ARE takes embedded options only at the very start. */
  if (g_str_has_prefix (p, "(?i)"))
    {
      g_string_append (out, "(?i)");
      p += 4;
    }
  g_string_append (out, mode == SETL_SQL_REGEXP_SEARCH ? "(?:" : "^(?:");
  for (; *p; p++)
    {
      gboolean was_quantified = quantified;

      quantified = FALSE;
      if (*p == '\\')
        {
          char c = *++p;

          switch (c)
            {
            case '\0':
              return (refuse_regexp (error, pattern, "a trailing backslash"), NULL);
            case 'd': case 'D': case 's': case 'S': case 'w': case 'W':
            case 'n': case 't': case 'r': case 'f': case 'e': case 'a': case 'A':
              g_string_append_c (out, '\\');
              g_string_append_c (out, c);
              break;
            case 'b': g_string_append (out, "\\y"); break;   /* word boundary: \b is a backspace in ARE */
            case 'B': g_string_append (out, "\\Y"); break;
            case 'z': g_string_append (out, "\\Z"); break;
            case 'Z': g_string_append (out, "(?=\\n?\\Z)"); break;
            case 'x':
              if (!append_hex_escape (out, &p))
                return (refuse_regexp (error, pattern, "a \\x escape out of range"), NULL);
              break;
            case 'c':
              if (!g_ascii_isalpha (p[1]))
                return (refuse_regexp (error, pattern, "a \\c escape"), NULL);
              g_string_append_printf (out, "\\c%c", p[1]);
              p++;
              break;
            case '1': case '2': case '3': case '4': case '5': case '6': case '7': case '8': case '9':
              if (g_ascii_isdigit (p[1]))
                return (refuse_regexp (error, pattern, "a back reference above 9"), NULL);
              g_string_append_c (out, '\\');
              g_string_append_c (out, c);
              break;
            default:
              if (g_ascii_isalnum (c))
                {
                  g_autofree char *what = g_strdup_printf ("the escape \\%c", c);

                  return (refuse_regexp (error, pattern, what), NULL);
                }
              g_string_append_c (out, '\\');
              g_string_append_c (out, c);
              break;
            }
        }
      else if (*p == '[')
        {
          /* A class: copied, with its first ] literal, escapes checked. */
          g_string_append_c (out, *p++);
          if (*p == '^')
            g_string_append_c (out, *p++);
          if (*p == ']')
            g_string_append (out, "\\]"), p++;
          for (; *p && *p != ']'; p++)
            {
              if (*p == '[' && p[1] == ':')
                {
                  const char *end = strstr (p + 2, ":]");

                  if (end == NULL)
                    return (refuse_regexp (error, pattern, "a “[:” in a class"), NULL);
                  g_string_append_len (out, p, end + 2 - p);
                  p = end + 1;
                }
              else if (*p == '[' && (p[1] == '.' || p[1] == '='))
                return (refuse_regexp (error, pattern, "“[.” or “[=” in a class"), NULL);
              else if (*p == '\\')
                {
                  char c = *++p;

                  if (c == '\0')
                    return (refuse_regexp (error, pattern, "a trailing backslash"), NULL);
                  if (c == 'x')
                    {
                      if (!append_hex_escape (out, &p))
                        return (refuse_regexp (error, pattern, "a \\x escape out of range"), NULL);
                    }
                  else if (strchr ("dswntrfeab", c) != NULL || !g_ascii_isalnum (c))
                    {
                      g_string_append_c (out, '\\');
                      g_string_append_c (out, c);
                    }
                  else
                    {
                      g_autofree char *what = g_strdup_printf ("the escape \\%c in a class", c);

                      return (refuse_regexp (error, pattern, what), NULL);
                    }
                }
              else
                g_string_append_c (out, *p);
            }
          if (*p != ']')
            return (refuse_regexp (error, pattern, "an unclosed class"), NULL);
          g_string_append_c (out, ']');
        }
      else if (*p == '(')
        {
          if (p[1] != '?')
            {
              if (p[1] == '*')
                return (refuse_regexp (error, pattern, "a (*VERB)"), NULL);
              g_string_append_c (out, '(');
            }
          else if (p[2] == ':' || p[2] == '=' || p[2] == '!')
            {
              g_string_append_len (out, p, 3);
              p += 2;
            }
          else if (p[2] == '<' && (p[3] == '=' || p[3] == '!'))
            {
              g_string_append_len (out, p, 4);
              p += 3;
            }
          else if (p[2] == '#')
            {
              /* A comment: dropped. */
              const char *end = strchr (p, ')');

              if (end == NULL)
                return (refuse_regexp (error, pattern, "an unclosed comment"), NULL);
              p = end;
            }
          else if (p[2] == '<' || p[2] == '\'' || (p[2] == 'P' && p[3] == '<'))
            {
              /* A named group: a plain one (names only serve back references). */
              char close = p[2] == '\'' ? '\'' : '>';
              const char *end = strchr (p + 3, close);

              if (end == NULL)
                return (refuse_regexp (error, pattern, "an unclosed group name"), NULL);
              g_string_append_c (out, '(');
              p = end;
            }
          else
            return (refuse_regexp (error, pattern, "a group of a kind PostgreSQL lacks (inline options, atomic, "
                                                   "branch reset, conditional or recursive)"), NULL);
        }
      else if (*p == '.')
        g_string_append (out, "[^\\n]");   /* PCRE's dot stops at newlines; ARE's does not */
      else if (*p == '$')
        g_string_append (out, "(?=\\n?\\Z)");   /* PCRE's $ also matches before a final newline */
      else if (*p == '{')
        {
          guint largest;
          gsize n = quantifier_length (p, &largest);

          if (n == 0)
            {
              if (p[1] == ',')
                return (refuse_regexp (error, pattern, "a “{,” quantifier"), NULL);
              g_string_append (out, "\\{");   /* a literal brace in PCRE */
            }
          else if (largest > 255)
            return (refuse_regexp (error, pattern, "a repetition count above 255"), NULL);
          else
            {
              g_string_append_len (out, p, (gssize) n);
              p += n - 1;
              quantified = TRUE;
            }
        }
      else if (*p == '}')
        g_string_append (out, "\\}");
      else if (*p == '*' || *p == '?' || *p == '+')
        {
          if (was_quantified && *p == '+')
            return (refuse_regexp (error, pattern, "a possessive quantifier"), NULL);
          g_string_append_c (out, *p);
          /* A lazy quantifier's ? is part of it. */
          quantified = !(was_quantified && *p == '?');
        }
      else
        g_string_append_c (out, *p);
    }
  g_string_append_c (out, ')');
  if (mode == SETL_SQL_REGEXP_FULL)
    g_string_append (out, "\\Z");
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static gboolean
append_regexp (SetlValidationQuery  *self,
               GString              *s,
               SetlValidatorColumn  *column,
               SetlCheck            *check,
               SetlSqlRegexpMode     mode,
               GError              **error)
{
  g_autofree char *pattern = NULL;

  g_object_get (check, "pattern", &pattern, NULL);
  if (pattern == NULL)
    return FALSE;
  if (self->dialect == SETL_SQL_DIALECT_SQLITE)
    {
      /* SQLite has no regular expressions: the check itself runs in the
       * query (setl_validation_query_register_sqlite()), so that it
       * matches as in the client, whatever engine and options it uses. */
      guint k = register_check (self, check, mode);

      use_function (self, "setl_check");
      g_string_append_printf (s, "setl_check(%u, ", k);
      append_identifier (s, column->name);
      g_string_append (s, ") = 1");
    }
  else
    {
      g_autofree char *are = regexp_to_postgresql (pattern, mode, error);

      if (are == NULL)
        return FALSE;
      append_identifier (s, column->name);
      g_string_append (s, " ~ ");
      append_string_literal (s, are);
    }
  return TRUE;
}

/* Row checks ----------------------------------------------------------------- */

/* The built-in check @check as the SQL condition a value of @column
 * passes it by; FALSE (@error maybe unset) if it does not compile. */
static gboolean
append_builtin_condition (SetlValidationQuery  *self,
                          GString              *s,
                          SetlValidatorColumn  *column,
                          SetlCheck            *check,
                          GError              **error)
{
  const char *name = setl_check_get_check_name (check);
  SetlDataType type = column->type;
  static const struct { const char *name; const char *op; const char *property; } comparisons[] = {
    { "eq", "=", "value" }, { "ne", "<>", "value" },
    { "gt", ">", "min-value" }, { "ge", ">=", "min-value" },
    { "lt", "<", "max-value" }, { "le", "<=", "max-value" },
  };
  static const struct { const char *name; SetlSqlRegexpMode mode; } regexps[] = {
    { "str_matches", SETL_SQL_REGEXP_MATCH }, { "str_contains", SETL_SQL_REGEXP_SEARCH },
    { "pattern", SETL_SQL_REGEXP_FULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (comparisons); i++)
    if (g_str_equal (name, comparisons[i].name))
      {
        g_autoptr(JsonNode) node = _setl_check_get_json_property (check, comparisons[i].property);

        append_identifier (s, column->name);
        g_string_append_printf (s, " %s ", comparisons[i].op);
        return append_literal (self, s, node, type, error);
      }
  for (guint i = 0; i < G_N_ELEMENTS (regexps); i++)
    if (g_str_equal (name, regexps[i].name) && type == SETL_DATA_TYPE_STRING)
      return append_regexp (self, s, column, check, regexps[i].mode, error);
  if (g_str_equal (name, "in_range"))
    {
      g_autoptr(JsonNode) lo = _setl_check_get_json_property (check, "min-value");
      g_autoptr(JsonNode) hi = _setl_check_get_json_property (check, "max-value");
      gboolean include_min = TRUE, include_max = TRUE;

      g_object_get (check, "include-min", &include_min, "include-max", &include_max, NULL);
      append_identifier (s, column->name);
      g_string_append (s, include_min ? " >= " : " > ");
      if (!append_literal (self, s, lo, type, error))
        return FALSE;
      g_string_append (s, " AND ");
      append_identifier (s, column->name);
      g_string_append (s, include_max ? " <= " : " < ");
      return append_literal (self, s, hi, type, error);
    }
  if (g_str_equal (name, "isin") || g_str_equal (name, "notin"))
    {
      g_autoptr(JsonNode) node = _setl_check_get_json_property (check, g_str_equal (name, "isin") ? "allowed-values"
                                                                                   : "forbidden-values");
      JsonArray *array;

      if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
        return FALSE;   /* a string of characters, as Pandera allows */
      array = json_node_get_array (node);
      if (json_array_get_length (array) == 0)
        {
          g_string_append (s, g_str_equal (name, "isin") ? "1 = 0" : "1 = 1");
          return TRUE;
        }
      append_identifier (s, column->name);
      g_string_append (s, g_str_equal (name, "isin") ? " IN (" : " NOT IN (");
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          if (i > 0)
            g_string_append (s, ", ");
          if (!append_literal (self, s, json_array_get_element (array, i), type, error))
            return FALSE;
        }
      g_string_append_c (s, ')');
      return TRUE;
    }
  if (g_str_equal (name, "str_length") && type == SETL_DATA_TYPE_STRING)
    {
      gint64 exact = _setl_check_get_int64_property (check, "value");
      gint64 lo = exact >= 0 ? exact : _setl_check_get_int64_property (check, "min-value");
      gint64 hi = exact >= 0 ? exact : _setl_check_get_int64_property (check, "max-value");
      const char *length = self->dialect == SETL_SQL_DIALECT_SQLITE ? "length(" : "char_length(";

      g_string_append (s, "1 = 1");
      if (lo >= 0)
        {
          g_string_append_printf (s, " AND %s", length);
          append_identifier (s, column->name);
          g_string_append_printf (s, ") >= %" G_GINT64_FORMAT, lo);
        }
      if (hi >= 0)
        {
          g_string_append_printf (s, " AND %s", length);
          append_identifier (s, column->name);
          g_string_append_printf (s, ") <= %" G_GINT64_FORMAT, hi);
        }
      return TRUE;
    }
  if ((g_str_equal (name, "str_startswith") || g_str_equal (name, "str_endswith")) &&
      type == SETL_DATA_TYPE_STRING)
    {
      g_autofree char *affix = NULL;
      glong n;

      g_object_get (check, "string", &affix, NULL);
      if (affix == NULL)
        return FALSE;
      n = g_utf8_strlen (affix, -1);
      if (n == 0)
        {
          g_string_append (s, "1 = 1");
          return TRUE;
        }
      if (g_str_equal (name, "str_startswith"))
        {
          g_string_append (s, "substr(");
          append_identifier (s, column->name);
          g_string_append_printf (s, ", 1, %ld) = ", n);
        }
      else if (self->dialect == SETL_SQL_DIALECT_SQLITE)
        {
          g_string_append (s, "substr(");
          append_identifier (s, column->name);
          g_string_append_printf (s, ", -%ld) = ", n);
        }
      else
        {
          g_string_append (s, "right(");
          append_identifier (s, column->name);
          g_string_append_printf (s, ", %ld) = ", n);
        }
      append_string_literal (s, affix);
      return TRUE;
    }
  return FALSE;
}

/* The SQL condition a value of @column passes @vcheck by: the check's own
 * (its class's `to_sql`), else the built-in library's; FALSE with @error
 * set if the check does not compile. */
static gboolean
append_condition (SetlValidationQuery  *self,
                  GString              *s,
                  SetlValidatorColumn  *column,
                  SetlValidatorCheck   *vcheck,
                  GError              **error)
{
  SetlCheck *check = vcheck->check;
  g_autoptr(GError) local = NULL;

  if (setl_check_can_compile_to_sql (check))
    {
      g_autoptr(GString) quoted = g_string_new (NULL);
      g_autofree char *condition = NULL;

      append_identifier (quoted, column->name);
      condition = setl_check_to_sql (check, self->dialect == SETL_SQL_DIALECT_SQLITE ? "sqlite" : "postgresql",
                                     quoted->str, &local);
      if (condition != NULL)
        {
          g_string_append_printf (s, "(%s)", condition);
          return TRUE;
        }
    }
  else if (is_builtin (check) && append_builtin_condition (self, s, column, check, &local))
    return TRUE;

  if (local != NULL)
    g_set_error (error, SETL_VALIDATION_ERROR, SETL_VALIDATION_ERROR_INVALID_CHECK,
                 "column “%s”: check %s cannot be pushed down to SQL: %s", column->name, vcheck->description,
                 local->message);
  else
    g_set_error (error, SETL_VALIDATION_ERROR, SETL_VALIDATION_ERROR_INVALID_CHECK,
                 "column “%s”: check %s cannot be pushed down to SQL", column->name, vcheck->description);
  return FALSE;
}

/* Aggregate and table checks ----------------------------------------------- */

static gboolean
aggregate_kind (SetlCheck     *check,
                AggregateKind *kind)
{
  static const struct { const char *name; AggregateKind kind; } known[] = {
    { "mean_in_range", AGG_MEAN }, { "stddev_in_range", AGG_STDDEV },
    { "null_fraction_in_range", AGG_NULL_FRACTION }, { "distinct_count_in_range", AGG_DISTINCT },
    { "row_count_in_range", AGG_ROW_COUNT }, { "column_set", AGG_COLUMN_SET },
  };

  if (!is_builtin (check))
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (known); i++)
    if (g_str_equal (setl_check_get_check_name (check), known[i].name))
      {
        *kind = known[i].kind;
        return TRUE;
      }
  return FALSE;
}

static void
append_real (SetlValidationQuery *self,
             GString             *s,
             const char          *column)
{
  g_string_append (s, "CAST(");
  append_identifier (s, column);
  g_string_append (s, self->dialect == SETL_SQL_DIALECT_SQLITE ? " AS REAL)" : " AS double precision)");
}

/* The measure of a mean or standard deviation, exact as text. SQLite has
 * no standard deviation: the sample variance, from values shifted by the
 * first one (so that a large mean loses no precision); its square root is
 * taken when the report is made. */
static void
append_statistic (SetlValidationQuery *self,
                  GString             *s,
                  const char          *column,
                  AggregateKind        kind)
{
  if (self->dialect == SETL_SQL_DIALECT_POSTGRESQL)
    {
      g_string_append (s, kind == AGG_MEAN ? "avg(" : "stddev_samp(");
      append_real (self, s, column);
      g_string_append_c (s, ')');
      return;
    }
  if (kind == AGG_MEAN)
    {
      g_string_append (s, "AVG(");
      append_real (self, s, column);
      g_string_append_c (s, ')');
      return;
    }
  {
    g_autoptr(GString) d = g_string_new ("(");
    g_autoptr(GString) n = g_string_new ("COUNT(");

    append_identifier (n, column);
    g_string_append_c (n, ')');
    append_real (self, d, column);
    g_string_append (d, " - (SELECT ");
    append_real (self, d, column);
    g_string_append (d, " FROM ");
    g_string_append (d, self->quoted_table);
    g_string_append (d, " WHERE ");
    append_identifier (d, column);
    g_string_append (d, " IS NOT NULL LIMIT 1))");
    g_string_append_printf (s, "CASE WHEN %s > 1 THEN (TOTAL(%s * %s) - TOTAL(%s) * TOTAL(%s) / %s) / (%s - 1) END",
                            n->str, d->str, d->str, d->str, d->str, n->str, n->str);
  }
}

/* The measure as text that reads back as the same double. */
static void
append_measure_text (SetlValidationQuery *self,
                     GString             *s,
                     const char          *column,
                     AggregateKind        kind)
{
  g_autoptr(GString) value = g_string_new (NULL);

  append_statistic (self, value, column, kind);
  /* SQLite's printf() writes a null as 0: kept null (no value to measure).
   * The aggregates repeated are computed once. */
  if (self->dialect == SETL_SQL_DIALECT_SQLITE)
    g_string_append_printf (s, "CASE WHEN %s IS NOT NULL THEN printf('%%!.20g', %s) END", value->str, value->str);
  else
    g_string_append_printf (s, "CAST(%s AS text)", value->str);
}

/* The table's columns from the catalog: @what of them, in order. */
static void
append_catalog (SetlValidationQuery *self,
                GString             *s,
                const char          *select,
                const char          *where)
{
  if (self->dialect == SETL_SQL_DIALECT_SQLITE)
    {
      g_string_append_printf (s, "(SELECT %s FROM (SELECT name FROM pragma_table_info(", select);
      append_string_literal (s, self->table_name);
      if (self->table_schema != NULL)
        {
          g_string_append (s, ", ");
          append_string_literal (s, self->table_schema);
        }
      g_string_append_printf (s, ")%s%s ORDER BY cid))", where ? " WHERE " : "", where ? where : "");
    }
  else
    {
      /* The relation the FROM clause names, resolved the same way
       * (search_path, quoting), rather than information_schema's view of
       * the current schema only. */
      g_string_append_printf (s, "(SELECT %s FROM (SELECT attname::text AS name, attnum FROM pg_catalog.pg_attribute"
                                 " WHERE attrelid = ", select);
      append_string_literal (s, self->quoted_table);
      g_string_append_printf (s, "::regclass AND attnum > 0 AND NOT attisdropped) AS cat%s%s)",
                              where ? " WHERE " : "", where ? where : "");
    }
}

/* The column_set check: 0 when the table's columns pass it, 1 if not. */
static void
append_column_set_flag (SetlValidationQuery *self,
                        GString             *s,
                        SetlCheck           *check)
{
  g_auto(GStrv) columns = NULL;
  g_autoptr(GString) in = g_string_new ("name IN (");
  gboolean exact = TRUE;
  guint n = 0;

  g_object_get (check, "columns", &columns, "exact", &exact, NULL);
  for (guint i = 0; columns != NULL && columns[i] != NULL; i++)
    {
      gboolean seen = FALSE;

      for (guint j = 0; j < i && !seen; j++)
        seen = g_str_equal (columns[i], columns[j]);
      if (seen)
        continue;
      g_string_append (in, n++ > 0 ? ", " : "");
      append_string_literal (in, columns[i]);
    }
  g_string_append_c (in, ')');
  g_string_append (s, "CASE WHEN ");
  if (n > 0)
    {
      append_catalog (self, s, "COUNT(*)", in->str);
      g_string_append_printf (s, " = %u", n);
    }
  else
    g_string_append (s, "1 = 1");
  if (exact)
    {
      g_string_append (s, " AND ");
      append_catalog (self, s, "COUNT(*)", NULL);
      g_string_append_printf (s, " = %u", n);
    }
  g_string_append (s, " THEN 0 ELSE 1 END");
}

static void
append_column_set_text (SetlValidationQuery *self,
                        GString             *s)
{
  if (self->dialect == SETL_SQL_DIALECT_SQLITE)
    append_catalog (self, s, "group_concat(name, ', ')", NULL);
  else
    append_catalog (self, s, "string_agg(name, ', ' ORDER BY attnum)", NULL);
}

/* 0 when the mean or standard deviation passes [min, max], 1 if not; a
 * statistic of no values passes. */
static void
append_statistic_flag (SetlValidationQuery *self,
                       GString             *s,
                       const char          *column,
                       AggregateKind        kind,
                       double               lo,
                       double               hi)
{
  g_autoptr(GString) value = g_string_new (NULL);
  /* SQLite measures the variance: the bounds squared (a negative
   * minimum bounds nothing, a negative maximum fails all). */
  gboolean squared = kind == AGG_STDDEV && self->dialect == SETL_SQL_DIALECT_SQLITE;

  append_statistic (self, value, column, kind);
  g_string_append_printf (s, "CASE WHEN %s IS NULL THEN 0", value->str);
  if (!isnan (lo) && !(squared && lo <= 0))
    {
      g_string_append_printf (s, " WHEN %s < ", value->str);
      append_double (s, squared ? lo * lo : lo);
      g_string_append (s, " THEN 1");
    }
  if (!isnan (hi))
    {
      if (squared && hi < 0)
        g_string_append (s, " WHEN 1 = 1 THEN 1");
      else
        {
          g_string_append_printf (s, " WHEN %s > ", value->str);
          append_double (s, squared ? hi * hi : hi);
          g_string_append (s, " THEN 1");
        }
    }
  g_string_append (s, " ELSE 0 END");
}

/* The query ------------------------------------------------------------------ */

static guint
add_item (SetlValidationQuery *self,
          ItemKind             kind,
          SetlValidatorColumn *column,
          SetlValidatorCheck  *check,
          guint                non_null_index)
{
  Item item = { kind, column, check, non_null_index, 0, 0, 0, self->current_column };

  g_array_append_val (self->items, item);
  return self->items->len - 1;
}

static gboolean
refuse_check (GError             **error,
              SetlValidatorCheck  *check,
              const char          *column)
{
  if (column != NULL)
    g_set_error (error, SETL_VALIDATION_ERROR, SETL_VALIDATION_ERROR_INVALID_CHECK,
                 "column “%s”: check %s cannot be pushed down to SQL", column, check->description);
  else
    g_set_error (error, SETL_VALIDATION_ERROR, SETL_VALIDATION_ERROR_INVALID_CHECK,
                 "table check %s cannot be pushed down to SQL", check->description);
  return FALSE;
}

/* An aggregate or table check's columns of the row. */
static gboolean
add_aggregate (SetlValidationQuery  *self,
               GString              *sql,
               SetlValidatorColumn  *column,
               SetlValidatorCheck   *check,
               guint                 non_null,
               GError              **error)
{
  AggregateKind kind;
  guint index;
  Item *item;

  if (!aggregate_kind (check->check, &kind) ||
      (column == NULL) != (kind == AGG_ROW_COUNT || kind == AGG_COLUMN_SET))
    return refuse_check (error, check, column ? column->name : NULL);
  index = add_item (self, ITEM_AGGREGATE, column, check, non_null);
  item = &g_array_index (self->items, Item, index);
  item->aggregate = kind;   /* (item moves when the next is added) */
  g_string_append (sql, ",\n  ");
  switch (kind)
    {
    case AGG_MEAN:
    case AGG_STDDEV:
      append_statistic_flag (self, sql, column->name, kind, _setl_check_get_double_property (check->check, "min-value"),
                             _setl_check_get_double_property (check->check, "max-value"));
      add_item (self, ITEM_MEASURE, column, check, non_null);
      g_string_append (sql, ",\n  ");
      append_measure_text (self, sql, column->name, kind);
      break;
    case AGG_NULL_FRACTION:
      g_string_append (sql, "COUNT(");
      append_identifier (sql, column->name);
      g_string_append_c (sql, ')');
      break;
    case AGG_DISTINCT:
      g_string_append (sql, "COUNT(DISTINCT ");
      append_identifier (sql, column->name);
      g_string_append_c (sql, ')');
      break;
    case AGG_ROW_COUNT:
      g_string_append (sql, "COUNT(*)");
      break;
    case AGG_COLUMN_SET:
      append_column_set_flag (self, sql, check->check);
      add_item (self, ITEM_MEASURE, NULL, check, 0);
      g_string_append (sql, ",\n  ");
      append_column_set_text (self, sql);
      break;
    default:
      g_assert_not_reached ();
    }
  return TRUE;
}

/* The duplicates of @columns (values or combinations), counted as
 * @mode reports them; nulls left out for a single column, as equal to
 * each other in a combination (as the client). */
static void
append_duplicate_count (SetlValidationQuery         *self,
                        GString                     *sql,
                        const char * const          *columns,
                        SetlSchemaReportDuplicates   mode)
{
  g_string_append_printf (sql, ",\n  (SELECT COALESCE(SUM(%s), 0) FROM (SELECT COUNT(*) AS c FROM %s",
                          mode == SETL_SCHEMA_REPORT_DUPLICATES_ALL ? "c" : "c - 1", self->quoted_table);
  if (columns[1] == NULL)
    {
      g_string_append (sql, " WHERE ");
      append_identifier (sql, columns[0]);
      g_string_append (sql, " IS NOT NULL");
    }
  g_string_append (sql, " GROUP BY ");
  for (guint i = 0; columns[i] != NULL; i++)
    {
      if (i > 0)
        g_string_append (sql, ", ");
      append_identifier (sql, columns[i]);
    }
  g_string_append (sql, " HAVING COUNT(*) > 1) AS d)");
}

/**
 * setl_validation_query_new:
 * @validator: the validator whose schema is compiled
 * @table: the table (or view) the data is in: `TABLE` or `SCHEMA.TABLE`
 *   (an attached database's name in SQLite), each part bare or in double
 *   quotes (`"my.table"` for a name with a dot); quoted as identifiers,
 *   so the case of their letters counts
 * @dialect: the SQL dialect
 * @error: return location for a #GError
 *
 * Compiles the schema's checks on the columns of @table into one query.
 *
 * Returns: (transfer full): the query, or %NULL with @error set if a
 *   check or option of the schema cannot be pushed down
 */
SetlValidationQuery *
setl_validation_query_new (SetlValidator   *validator,
                           const char      *table,
                           SetlSqlDialect   dialect,
                           GError         **error)
{
  g_autoptr(SetlValidationQuery) self = NULL;
  g_autoptr(GString) sql = g_string_new ("SELECT COUNT(*)");
  SetlValidatorPlan *plan;

  g_return_val_if_fail (SETL_IS_VALIDATOR (validator), NULL);
  g_return_val_if_fail (table != NULL, NULL);

  plan = _setl_validator_get_plan (validator);
  self = g_object_new (SETL_TYPE_VALIDATION_QUERY, NULL);
  self->validator = g_object_ref (validator);
  self->dialect = dialect;
  self->table = g_strdup (table);
  if (!parse_table_name (self, table, error))
    return NULL;

  for (guint i = 0; i < plan->columns->len; i++)
    {
      SetlValidatorColumn *column = g_ptr_array_index (plan->columns, i);
      guint non_null = G_MAXUINT;

      self->current_column = i;
      if (column->coerce)
        {
          g_set_error (error, SETL_VALIDATION_ERROR, SETL_VALIDATION_ERROR_INVALID_CHECK,
                       "column “%s”: coercion cannot be pushed down to SQL", column->name);
          return NULL;
        }
      if (!column->nullable)
        {
          add_item (self, ITEM_NULLS, column, NULL, 0);
          g_string_append (sql, ",\n  COALESCE(SUM(CASE WHEN ");
          append_identifier (sql, column->name);
          g_string_append (sql, " IS NULL THEN 1 ELSE 0 END), 0)");
        }
      if (column->checks->len > 0)
        {
          non_null = add_item (self, ITEM_NON_NULL, column, NULL, 0);
          g_string_append (sql, ",\n  COUNT(");
          append_identifier (sql, column->name);
          g_string_append_c (sql, ')');
        }
      for (guint j = 0; j < column->checks->len; j++)
        {
          SetlValidatorCheck *check = g_ptr_array_index (column->checks, j);

          if (check->aggregate)
            {
              if (!add_aggregate (self, sql, column, check, non_null, error))
                return NULL;
              continue;
            }
          add_item (self, ITEM_CHECK, column, check, non_null);
          /* Checks ignore nulls. */
          g_string_append (sql, ",\n  COALESCE(SUM(CASE WHEN ");
          append_identifier (sql, column->name);
          g_string_append (sql, " IS NOT NULL AND NOT (");
          if (!append_condition (self, sql, column, check, error))
            return NULL;
          g_string_append (sql, ") THEN 1 ELSE 0 END), 0)");
        }
      if (column->unique)
        {
          const char *names[] = { column->name, NULL };

          add_item (self, ITEM_DUPLICATES, column, NULL, 0);
          append_duplicate_count (self, sql, names, column->report_duplicates);
        }
    }
  /* A combination is counted once, on its first column's item; its
   * other columns' items only fetch their values. */
  for (guint k = 0; k < setl_schema_get_n_unique (plan->schema); k++)
    {
      const char * const *names = setl_schema_get_unique (plan->schema, k);

      for (guint j = 0; names[j] != NULL; j++)
        {
          guint index = add_item (self, ITEM_COMBO, NULL, NULL, 0);
          Item *item = &g_array_index (self->items, Item, index);

          item->combo = k;
          item->combo_column = j;
          if (j == 0)
            append_duplicate_count (self, sql, names, setl_schema_get_report_duplicates (plan->schema));
          else
            g_string_append (sql, ",\n  0");
        }
    }
  for (guint j = 0; j < plan->table_checks->len; j++)
    if (!add_aggregate (self, sql, NULL, g_ptr_array_index (plan->table_checks, j), 0, error))
      return NULL;

  g_string_append (sql, "\nFROM ");
  g_string_append (sql, self->quoted_table);
  self->sql = g_string_free (g_steal_pointer (&sql), FALSE);
  return g_steal_pointer (&self);
}

/**
 * setl_validation_query_get_sql:
 * @self: a #SetlValidationQuery
 *
 * Returns: the query: one row of setl_validation_query_get_n_counts()
 *   columns, integers but for the measures of some aggregate checks
 *   (text; see setl_validation_query_make_report_from_text())
 */
const char *
setl_validation_query_get_sql (SetlValidationQuery *self)
{
  g_return_val_if_fail (SETL_IS_VALIDATION_QUERY (self), NULL);
  return self->sql;
}

/**
 * setl_validation_query_get_n_counts:
 * @self: a #SetlValidationQuery
 *
 * Returns: how many columns the query's row has
 */
guint
setl_validation_query_get_n_counts (SetlValidationQuery *self)
{
  g_return_val_if_fail (SETL_IS_VALIDATION_QUERY (self), 0);
  return self->items->len + 1;
}

/**
 * setl_validation_query_get_functions:
 * @self: a #SetlValidationQuery
 *
 * The SQL functions the query calls that the database does not have by
 * itself and the connection must provide: `setl_check` for the regular
 * expressions of a query in the SQLite dialect
 * (setl_validation_query_register_sqlite() registers it, or a function
 * calling setl_validation_query_check_value()).
 *
 * Returns: (transfer none) (array zero-terminated=1): their names; empty
 *   if none
 */
const char * const *
setl_validation_query_get_functions (SetlValidationQuery *self)
{
  g_return_val_if_fail (SETL_IS_VALIDATION_QUERY (self), NULL);
  return (const char * const *) self->functions->pdata;
}

/**
 * setl_validation_query_check_value:
 * @check: the first argument of a query's `setl_check(k, value)` call
 * @value: (array length=length) (element-type guint8): the second, as
 *   UTF-8 text (not null)
 * @length: its length in bytes, or -1 if nul-terminated
 * @passes: (out): whether @value passes the check
 * @error: return location for a #GError
 *
 * What the SQL function `setl_check(k, value)` computes, for a connection
 * that registers it by other means than
 * setl_validation_query_register_sqlite(): whether @value passes check
 * @check of a #SetlValidationQuery that is alive (a regular expression),
 * run by the check itself, as in the client.
 *
 * Returns: %FALSE with @error set if no query alive has check @check, or
 *   the check could not run
 */
gboolean
setl_validation_query_check_value (guint         check,
                                   const char   *value,
                                   gssize        length,
                                   gboolean     *passes,
                                   GError      **error)
{
  g_autoptr(SetlColumnBuilder) builder = NULL;
  g_autoptr(SetlColumn) column = NULL;
  g_autoptr(SetlColumn) result = NULL;
  g_autoptr(SetlCheck) object = NULL;
  g_autoptr(GRegex) regex = NULL;
  DelegatedCheck *d = NULL;

  g_return_val_if_fail (value != NULL, FALSE);
  g_return_val_if_fail (passes != NULL, FALSE);

  g_mutex_lock (&checks_lock);
  if (checks_by_id != NULL)
    d = g_hash_table_lookup (checks_by_id, GUINT_TO_POINTER (check));
  if (d != NULL)
    {
      object = g_object_ref (d->check);
      regex = d->regex ? g_regex_ref (d->regex) : NULL;
    }
  g_mutex_unlock (&checks_lock);
  if (regex != NULL)
    {
      *passes = g_regex_match_full (regex, value, length, 0, 0, NULL, NULL);
      return TRUE;
    }
  if (object == NULL)
    {
      g_set_error (error, SETL_VALIDATION_ERROR, SETL_VALIDATION_ERROR_FAILED,
                   "setl_check(%u, …): no validation query has a check %u (freed already?)", check, check);
      return FALSE;
    }
  builder = setl_column_builder_new (SETL_DATA_TYPE_STRING);
  setl_column_builder_append_string (builder, value, length);
  column = setl_column_builder_finish (builder, error);
  if (column == NULL)
    return FALSE;
  result = setl_check_check_column (object, column, error);
  if (result == NULL)
    return FALSE;
  *passes = setl_column_get_bool (result, 0);
  return TRUE;
}

/**
 * setl_validation_query_set_order_by:
 * @self: a #SetlValidationQuery
 * @column: (nullable): a column whose order is the rows' order, or %NULL
 *
 * Sets the order the failure cases' row positions count in: by @column (a
 * key, so that positions are stable), or, with %NULL (the default), the
 * table's: rowid in SQLite, the order of a scan in PostgreSQL (which is the
 * order rows were written in, as long as none was updated or deleted).
 */
void
setl_validation_query_set_order_by (SetlValidationQuery *self,
                                    const char          *column)
{
  g_return_if_fail (SETL_IS_VALIDATION_QUERY (self));
  g_free (self->order_by);
  self->order_by = g_strdup (column);
}

/* The failing rows of count @index, in the order the client reads them:
 * positions from a row number over the table's order (rowid in SQLite). */
static const char ROW[] = "\"__setl_row\"";

/* SELECT row number, @columns FROM the table. */
static void
append_numbered (SetlValidationQuery *self,
                 GString             *s,
                 const char * const  *columns)
{
  g_string_append (s, "SELECT ROW_NUMBER() OVER (");
  if (self->order_by != NULL)
    {
      g_string_append (s, "ORDER BY ");
      append_identifier (s, self->order_by);
    }
  else if (self->dialect == SETL_SQL_DIALECT_SQLITE)
    g_string_append (s, "ORDER BY rowid");
  g_string_append_printf (s, ") - 1 AS %s", ROW);
  for (guint i = 0; columns[i] != NULL; i++)
    {
      g_string_append (s, ", ");
      append_identifier (s, columns[i]);
    }
  g_string_append (s, " FROM ");
  g_string_append (s, self->quoted_table);
}

/* The rows holding duplicates of @columns as @mode reports them: k, the
 * occurrence's rank among equal values, c, how many there are. */
static void
append_duplicate_rows (SetlValidationQuery         *self,
                       GString                     *s,
                       const char * const          *columns,
                       SetlSchemaReportDuplicates   mode)
{
  g_autoptr(GString) partition = g_string_new (NULL);

  for (guint i = 0; columns[i] != NULL; i++)
    {
      if (i > 0)
        g_string_append (partition, ", ");
      append_identifier (partition, columns[i]);
    }
  /* nx: the next occurrence's row, where the client finds the repetition
   * (see the order in setl_validation_query_get_cases_sql()). */
  g_string_append_printf (s, "SELECT *, ROW_NUMBER() OVER (PARTITION BY %s ORDER BY %s) AS k, "
                             "COUNT(*) OVER (PARTITION BY %s) AS c, "
                             "LEAD(%s) OVER (PARTITION BY %s ORDER BY %s) AS nx FROM (",
                          partition->str, ROW, partition->str, ROW, partition->str, ROW);
  append_numbered (self, s, columns);
  g_string_append (s, ") AS r0");
  if (columns[1] == NULL)
    {
      g_string_append (s, " WHERE ");
      append_identifier (s, columns[0]);
      g_string_append (s, " IS NOT NULL");
    }
  g_string_append (s, ") AS r WHERE ");
  switch (mode)
    {
    case SETL_SCHEMA_REPORT_DUPLICATES_EXCLUDE_FIRST: g_string_append (s, "k > 1"); break;
    case SETL_SCHEMA_REPORT_DUPLICATES_EXCLUDE_LAST: g_string_append (s, "c > 1 AND k < c"); break;
    default: g_string_append (s, "c > 1"); break;
    }
}

/* The type of the values item @item's failure cases show. */
static SetlDataType
item_value_type (SetlValidationQuery *self,
                 Item                *item)
{
  SetlValidatorPlan *plan = _setl_validator_get_plan (self->validator);

  if (item->kind == ITEM_COMBO)
    {
      const char *name = setl_schema_get_unique (plan->schema, item->combo)[item->combo_column];
      SetlSchemaColumn *column = setl_schema_lookup_column (plan->schema, name);

      return column != NULL ? setl_schema_column_get_data_type (column) : SETL_DATA_TYPE_STRING;
    }
  return item->column != NULL ? item->column->type : SETL_DATA_TYPE_STRING;
}

/**
 * setl_validation_query_get_cases_sql:
 * @self: a #SetlValidationQuery
 * @index: a count's index, from 1
 * @limit: the most rows to give
 *
 * A query giving the rows that count @index counts (their position and
 * value), for the report's failure cases; for an aggregate check that
 * failed, one row: a null position and what it measured.
 *
 * Returns: (transfer full) (nullable): the query, or %NULL if count
 *   @index counts no rows (the row count, the values checked)
 */
char *
setl_validation_query_get_cases_sql (SetlValidationQuery *self,
                                     guint                index,
                                     guint                limit)
{
  g_autoptr(GString) s = g_string_new ("SELECT ");
  SetlValidatorPlan *plan;
  const char *value_column;
  Item *item;

  g_return_val_if_fail (SETL_IS_VALIDATION_QUERY (self), NULL);

  if (index == 0 || index > self->items->len)
    return NULL;
  plan = _setl_validator_get_plan (self->validator);
  item = &g_array_index (self->items, Item, index - 1);
  switch (item->kind)
    {
    case ITEM_NON_NULL:
    case ITEM_MEASURE:
      return NULL;
    case ITEM_AGGREGATE:
      if (item->aggregate == AGG_MEAN || item->aggregate == AGG_STDDEV)
        {
          g_string_append (s, "NULL, ");
          append_measure_text (self, s, item->column->name, item->aggregate);
          g_string_append_printf (s, " FROM %s", self->quoted_table);
        }
      else if (item->aggregate == AGG_COLUMN_SET)
        {
          g_string_append (s, "NULL, ");
          append_column_set_text (self, s);
        }
      else
        return NULL;   /* known from the counts */
      return g_string_free (g_steal_pointer (&s), FALSE);
    default:
      break;
    }

  value_column = item->kind == ITEM_COMBO
                 ? setl_schema_get_unique (plan->schema, item->combo)[item->combo_column]
                 : item->column->name;
  g_string_append_printf (s, "%s, ", ROW);
  if (item->kind == ITEM_NULLS)
    g_string_append (s, "NULL");
  else if (item_value_type (self, item) == SETL_DATA_TYPE_DOUBLE &&
           self->dialect == SETL_SQL_DIALECT_SQLITE)
    {
      /* SQLite writes a REAL as text with 15 digits, and its printf's 17
       * are sometimes a unit off; 20 read back exactly, and the report
       * writes the value as the client does (add_failures()). */
      g_string_append (s, "printf('%!.20g', ");
      append_identifier (s, value_column);
      g_string_append_c (s, ')');
    }
  else
    {
      g_string_append (s, "CAST(");
      append_identifier (s, value_column);
      g_string_append (s, self->dialect == SETL_SQL_DIALECT_SQLITE ? " AS TEXT)" : " AS text)");
    }
  g_string_append (s, " FROM (");
  if (item->kind == ITEM_DUPLICATES)
    {
      const char *names[] = { item->column->name, NULL };

      append_duplicate_rows (self, s, names, item->column->report_duplicates);
    }
  else if (item->kind == ITEM_COMBO)
    append_duplicate_rows (self, s, setl_schema_get_unique (plan->schema, item->combo),
                           setl_schema_get_report_duplicates (plan->schema));
  else
    {
      const char *names[] = { item->column->name, NULL };

      append_numbered (self, s, names);
      g_string_append (s, ") AS r WHERE ");
      append_identifier (s, item->column->name);
      if (item->kind == ITEM_NULLS)
        g_string_append (s, " IS NULL");
      else
        {
          g_string_append (s, " IS NOT NULL AND NOT (");
          if (!append_condition (self, s, item->column, item->check, NULL))
            return NULL;   /* compiled once already: cannot happen */
          g_string_append_c (s, ')');
        }
    }
  /* In the order the client finds them, so that the cap keeps the same
   * ones: a repetition is found at the next occurrence, and ALL reports
   * the first occurrence when it finds the second, just before it. */
  if (item->kind == ITEM_DUPLICATES || item->kind == ITEM_COMBO)
    {
      SetlSchemaReportDuplicates mode = item->kind == ITEM_DUPLICATES
                                        ? item->column->report_duplicates
                                        : setl_schema_get_report_duplicates (plan->schema);

      if (mode == SETL_SCHEMA_REPORT_DUPLICATES_EXCLUDE_LAST)
        g_string_append_printf (s, " ORDER BY nx LIMIT %u", limit);
      else if (mode == SETL_SCHEMA_REPORT_DUPLICATES_EXCLUDE_FIRST)
        g_string_append_printf (s, " ORDER BY %s LIMIT %u", ROW, limit);
      else
        g_string_append_printf (s, " ORDER BY CASE WHEN k = 1 THEN nx ELSE %s END, k LIMIT %u", ROW, limit);
    }
  else
    g_string_append_printf (s, " ORDER BY %s LIMIT %u", ROW, limit);
  return g_string_free (g_steal_pointer (&s), FALSE);
}

/* The report ----------------------------------------------------------------- */

/* Writes a double value the database gave as text as the client writes
 * it (setl_validation_value_to_string()): PostgreSQL 12 and later give the
 * shortest text that reads back the same, SQLite 20 digits
 * (setl_validation_query_get_cases_sql()); the client the shortest of 15
 * and 17 digits. */
static char *
double_as_client (char *text)
{
  g_auto(GValue) value = G_VALUE_INIT;
  char *end = NULL;
  double d;

  if (text == NULL)
    return NULL;
  d = g_ascii_strtod (text, &end);
  if (end == text || *end != '\0')
    return text;   /* not a number: left as the database wrote it */
  g_value_init (&value, G_TYPE_DOUBLE);
  g_value_set_double (&value, d);
  g_free (text);
  return setl_validation_value_to_string (&value, SETL_DATA_TYPE_DOUBLE);
}

/* Adds @count failures to @entry: the rows @fetch gives first (kept up to
 * the cap), the rest only counted. */
static gboolean
add_failures (SetlValidationQuery          *self,
              SetlValidationEntry          *entry,
              guint                         index,
              gint64                        count,
              guint                         cap,
              SetlValidationQueryCasesFunc  fetch,
              gpointer                      user_data,
              GError                      **error)
{
  gint64 added = 0;

  if (fetch != NULL && cap > 0)
    {
      g_autofree char *sql = setl_validation_query_get_cases_sql (self, index, cap);
      g_autoptr(GArray) rows = g_array_new (FALSE, FALSE, sizeof (gint64));
      g_autoptr(GPtrArray) values = g_ptr_array_new_with_free_func (g_free);

      if (sql != NULL)
        {
          if (!fetch (self, sql, rows, values, user_data, error))
            return FALSE;
          gboolean doubles = item_value_type (self, &g_array_index (self->items, Item, index - 1))
                             == SETL_DATA_TYPE_DOUBLE;

          for (guint i = 0; i < rows->len && added < count; i++, added++)
            {
              char *value = i < values->len ? g_steal_pointer (&values->pdata[i]) : NULL;

              _setl_validation_entry_add_take (entry, g_array_index (rows, gint64, i),
                                               doubles ? double_as_client (value) : value);
            }
        }
    }
  for (; added < count; added++)
    _setl_validation_entry_add_take (entry, -1, NULL);
  return TRUE;
}

/* What a failed aggregate measured, when the row does not say: its own
 * query. */
static char *
fetch_measure (SetlValidationQuery           *self,
               guint                          index,
               SetlValidationQueryCasesFunc   fetch,
               gpointer                       user_data,
               gboolean                      *fetched,
               GError                       **error)
{
  g_autofree char *sql = setl_validation_query_get_cases_sql (self, index, 1);
  g_autoptr(GArray) rows = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GPtrArray) values = g_ptr_array_new_with_free_func (g_free);

  *fetched = FALSE;
  if (sql == NULL || !fetch (self, sql, rows, values, user_data, error))
    return NULL;
  *fetched = TRUE;
  return values->len > 0 ? g_steal_pointer (&values->pdata[0]) : NULL;
}

/* Decides an aggregate or table check as the check does in the client
 * (plugins/checks-builtin: setl-stat-checks.c, setl-table-checks.c),
 * from the counts and, for a mean, a standard deviation or a column set,
 * from what was measured (@measure: NULL for nothing, as SQL's null).
 * Sets @observed to the text the client reports. */
static gboolean
decide_aggregate (SetlValidationQuery *self,
                  Item                *item,
                  const gint64        *counts,
                  guint                index,
                  gboolean             have_measure,
                  const char          *measure,
                  char               **observed)
{
  SetlCheck *check = item->check->check;
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];
  const char *label = NULL;
  double value = NAN;
  gboolean passed;

  switch (item->aggregate)
    {
    case AGG_ROW_COUNT:
      {
        gint64 rows = counts[index];
        gint64 lo = _setl_check_get_int64_property (check, "min-value"), hi = _setl_check_get_int64_property (check, "max-value");

        *observed = g_strdup_printf ("rows=%" G_GINT64_FORMAT, rows);
        return (lo < 0 || rows >= lo) && (hi < 0 || rows <= hi);
      }
    case AGG_COLUMN_SET:
      *observed = g_strdup_printf ("columns: %s", measure ? measure : "");
      return counts[index] == 0;
    case AGG_MEAN:
    case AGG_STDDEV:
      label = item->aggregate == AGG_MEAN ? "mean" : "stddev";
      if (!have_measure)
        {
          /* The row's flag decides; the measure comes later, if wanted. */
          *observed = NULL;
          return counts[index] == 0;
        }
      if (measure != NULL && *measure != '\0')
        {
          value = g_ascii_strtod (measure, NULL);
          if (item->aggregate == AGG_STDDEV && self->dialect == SETL_SQL_DIALECT_SQLITE)
            value = sqrt (MAX (value, 0.0));   /* SQLite measured the variance */
        }
      break;
    case AGG_NULL_FRACTION:
      {
        gint64 rows = counts[0], n = counts[item->non_null_index + 1];

        label = "null_fraction";
        value = rows > 0 ? (double) (rows - n) / (double) rows : NAN;
      }
      break;
    case AGG_DISTINCT:
      label = "distinct_count";
      value = (double) counts[index];
      break;
    default:
      g_assert_not_reached ();
    }
  if (isnan (value))
    {
      *observed = g_strdup_printf ("%s=none", label);
      return TRUE;
    }
  {
    double lo = _setl_check_get_double_property (check, "min-value"), hi = _setl_check_get_double_property (check, "max-value");

    passed = (isnan (lo) || value >= lo) && (isnan (hi) || value <= hi);
  }
  g_ascii_formatd (buffer, sizeof buffer, "%.10g", value);
  *observed = g_strdup_printf ("%s=%s", label, buffer);
  return passed;
}

static gboolean
report_aggregate (SetlValidationQuery           *self,
                  SetlValidationReport          *report,
                  guint                          i,
                  const gint64                  *counts,
                  const char * const            *texts,
                  guint                          cap,
                  SetlValidationQueryCasesFunc   fetch,
                  gpointer                       user_data,
                  GError                       **error)
{
  Item *item = &g_array_index (self->items, Item, i);
  gboolean has_measure_item = i + 1 < self->items->len &&
                              g_array_index (self->items, Item, i + 1).kind == ITEM_MEASURE;
  const char *measure = texts != NULL && has_measure_item ? texts[i + 2] : NULL;
  g_autofree char *observed = NULL;
  g_autofree char *message = NULL;
  const char *column = item->column ? item->column->name : NULL;
  SetlValidationEntry *entry;

  if (decide_aggregate (self, item, counts, i + 1, texts != NULL, measure, &observed))
    return TRUE;
  if (has_measure_item && texts == NULL && fetch != NULL && cap > 0)
    {
      gboolean fetched;
      g_autofree char *fetched_measure = fetch_measure (self, i + 1, fetch, user_data, &fetched, error);

      if (!fetched)
        return FALSE;
      g_clear_pointer (&observed, g_free);
      decide_aggregate (self, item, counts, i + 1, TRUE, fetched_measure, &observed);
    }
  message = _setl_validator_check_message (item->check, column);
  entry = _setl_validation_report_entry (report, SETL_VALIDATION_REASON_CHECK_FAILED,
                                         column ? "Column" : "DataFrameSchema", column, item->check->description,
                                         setl_schema_check_get_index (item->check->reference),
                                         setl_check_get_level (item->check->check), message);
  _setl_validation_entry_add_take (entry, -1, g_steal_pointer (&observed));
  return TRUE;
}

/* Where the client finds an item's failures, for the report's entries to
 * come in its order (as it is when the failures are in its first batch):
 * each column's nulls, duplicates and checks, then the combinations, then
 * what is decided at the end: each column's aggregates, the table checks. */
static guint
report_phase (const Item *item,
              guint      *rank)
{
  switch (item->kind)
    {
    case ITEM_NULLS: *rank = 0; return 0;
    case ITEM_DUPLICATES: *rank = 1; return 0;
    case ITEM_COMBO: *rank = 0; return 1;
    case ITEM_AGGREGATE: *rank = 0; return item->column != NULL ? 2 : 3;
    default: *rank = 2; return 0;
    }
}

static gint
compare_report_order (gconstpointer a,
                      gconstpointer b,
                      gpointer      user_data)
{
  GArray *items = user_data;
  guint i = *(const guint *) a, j = *(const guint *) b;
  const Item *x = &g_array_index (items, Item, i), *y = &g_array_index (items, Item, j);
  guint rx, ry, px = report_phase (x, &rx), py = report_phase (y, &ry);

  if (px != py)
    return px < py ? -1 : 1;
  if (px == 0 && x->column_index != y->column_index)
    return x->column_index < y->column_index ? -1 : 1;
  if (rx != ry)
    return rx < ry ? -1 : 1;
  return i < j ? -1 : i > j;
}

static SetlValidationReport *
make_report (SetlValidationQuery           *self,
             const gint64                  *counts,
             const char * const            *texts,
             SetlValidationQueryCasesFunc   fetch,
             gpointer                       user_data,
             GError                       **error)
{
  SetlValidatorPlan *plan = _setl_validator_get_plan (self->validator);
  g_autoptr(SetlValidationReport) report = NULL;
  guint cap = fetch != NULL ? plan->max_failure_cases : 0;

  g_autoptr(GArray) order = g_array_sized_new (FALSE, FALSE, sizeof (guint), self->items->len);

  for (guint i = 0; i < self->items->len; i++)
    g_array_append_val (order, i);
  g_array_sort_with_data (order, compare_report_order, self->items);
  report = _setl_validation_report_new (plan->schema_name, cap);
  for (guint o = 0; o < order->len; o++)
    {
      guint i = g_array_index (order, guint, o);
      Item *item = &g_array_index (self->items, Item, i);
      gint64 count = counts[i + 1];
      g_autofree char *message = NULL;
      SetlValidationEntry *entry;

      if (item->kind == ITEM_COMBO)
        {
          /* Counted on the combination's first column's item, just before. */
          guint first = i - item->combo_column;

          count = counts[first + 1];
        }
      if (item->kind == ITEM_AGGREGATE)
        {
          if (!report_aggregate (self, report, i, counts, texts, cap, fetch, user_data, error))
            return NULL;
          continue;
        }
      if (count <= 0 || item->kind == ITEM_NON_NULL || item->kind == ITEM_MEASURE)
        continue;
      switch (item->kind)
        {
        case ITEM_NULLS:
          message = g_strdup_printf ("non-nullable column “%s” contains null values", item->column->name);
          entry = _setl_validation_report_entry (report, SETL_VALIDATION_REASON_SERIES_CONTAINS_NULLS, "Column",
                                                 item->column->name, "not_nullable", -1,
                                                 SETL_CHECK_LEVEL_ERROR, message);
          break;
        case ITEM_DUPLICATES:
          message = g_strdup_printf ("column “%s” has duplicate values", item->column->name);
          entry = _setl_validation_report_entry (report, SETL_VALIDATION_REASON_SERIES_CONTAINS_DUPLICATES,
                                                 "Column", item->column->name, "field_uniqueness", -1,
                                                 SETL_CHECK_LEVEL_ERROR, message);
          break;
        case ITEM_COMBO:
          {
            const char * const *names = setl_schema_get_unique (plan->schema, item->combo);
            g_autofree char *joined = g_strjoinv (", ", (char **) names);

            message = g_strdup_printf ("columns %s have duplicate combinations", joined);
            entry = _setl_validation_report_entry (report, SETL_VALIDATION_REASON_DUPLICATES, "DataFrameSchema",
                                                   names[item->combo_column], "multiple_fields_uniqueness", -1,
                                                   SETL_CHECK_LEVEL_ERROR, message);
          }
          break;
        default:
          message = _setl_validator_check_message (item->check, item->column->name);
          entry = _setl_validation_report_entry (report, SETL_VALIDATION_REASON_CHECK_FAILED, "Column",
                                                 item->column->name, item->check->description,
                                                 setl_schema_check_get_index (item->check->reference),
                                                 setl_check_get_level (item->check->check), message);
          break;
        }
      if (!add_failures (self, entry, i + 1, count, cap, fetch, user_data, error))
        return NULL;
      if (item->kind == ITEM_CHECK)
        {
          SetlCheck *check = item->check->check;
          gint64 n_checked = counts[item->non_null_index + 1];

          if (setl_check_get_mostly (check) < 1.0 && setl_check_passes (check, count, n_checked))
            _setl_validation_entry_tolerate (entry, n_checked);
        }
    }
  _setl_validation_report_set_rows (report, counts[0], 0);
  _setl_validation_report_finish (report, TRUE);
  return g_steal_pointer (&report);
}

/**
 * setl_validation_query_make_report:
 * @self: a #SetlValidationQuery
 * @counts: (array length=n_counts): the query's row
 * @n_counts: its length
 * @error: return location for a #GError
 *
 * The report the counts the database gave make: the same failures and
 * counts as setl_validator_validate() on the table, without failure cases
 * (see setl_validation_query_make_report_full()).
 *
 * Returns: (transfer full): the report, or %NULL with @error set if
 *   @n_counts is not the query's
 */
SetlValidationReport *
setl_validation_query_make_report (SetlValidationQuery  *self,
                                   const gint64         *counts,
                                   guint                 n_counts,
                                   GError              **error)
{
  return setl_validation_query_make_report_full (self, counts, n_counts, NULL, NULL, error);
}

static gboolean
check_n_values (SetlValidationQuery  *self,
                guint                 n_values,
                GError              **error)
{
  if (n_values != self->items->len + 1)
    {
      g_set_error (error, SETL_VALIDATION_ERROR, SETL_VALIDATION_ERROR_FAILED,
                   "the validation query gives %u counts, not %u", self->items->len + 1, n_values);
      return FALSE;
    }
  return TRUE;
}

/**
 * setl_validation_query_make_report_full:
 * @self: a #SetlValidationQuery
 * @counts: (array length=n_counts): the query's row, as integers (the
 *   text columns of measures read as anything: they are not used)
 * @n_counts: its length
 * @fetch: (scope call) (nullable): runs the queries of the failure cases
 *   (setl_validation_query_get_cases_sql()), one per failing check, up to
 *   the validator's #SetlValidator:max-failure-cases rows each; %NULL for
 *   counts only
 * @user_data: (closure): data for @fetch
 * @error: return location for a #GError
 *
 * The report the database's counts (and failing rows) make, as
 * setl_validator_validate() gives it on the table. A failed mean,
 * standard deviation or column set is decided by the row, but what it
 * measured (its failure case) takes one more query through @fetch:
 * setl_validation_query_make_report_from_text() reads it from the row.
 *
 * Returns: (transfer full): the report, or %NULL with @error set
 */
SetlValidationReport *
setl_validation_query_make_report_full (SetlValidationQuery           *self,
                                        const gint64                  *counts,
                                        guint                          n_counts,
                                        SetlValidationQueryCasesFunc   fetch,
                                        gpointer                       user_data,
                                        GError                       **error)
{
  g_return_val_if_fail (SETL_IS_VALIDATION_QUERY (self), NULL);
  g_return_val_if_fail (counts != NULL || n_counts == 0, NULL);

  if (!check_n_values (self, n_counts, error))
    return NULL;
  return make_report (self, counts, NULL, fetch, user_data, error);
}

/**
 * setl_validation_query_make_report_from_text:
 * @self: a #SetlValidationQuery
 * @row: (array length=n_values) (element-type utf8) (nullable): the
 *   query's row as text, as libpq and sqlite3_column_text() give it; a
 *   %NULL element for an SQL null
 * @n_values: its length
 * @fetch: (scope call) (nullable): runs the queries of the failure cases
 *   (setl_validation_query_get_cases_sql()), one per failing row check;
 *   %NULL for counts only
 * @user_data: (closure): data for @fetch
 * @error: return location for a #GError
 *
 * The report the database's row makes, as setl_validator_validate()
 * gives it on the table: the same as
 * setl_validation_query_make_report_full(), but the aggregate checks'
 * measures (a mean, a column set) come from the row, so that nothing
 * beyond the one query runs but the failure cases of row checks.
 *
 * Returns: (transfer full): the report, or %NULL with @error set if the
 *   row is not the query's
 */
SetlValidationReport *
setl_validation_query_make_report_from_text (SetlValidationQuery          *self,
                                             const char * const           *row,
                                             guint                         n_values,
                                             SetlValidationQueryCasesFunc  fetch,
                                             gpointer                      user_data,
                                             GError                      **error)
{
  g_autofree gint64 *counts = NULL;

  g_return_val_if_fail (SETL_IS_VALIDATION_QUERY (self), NULL);
  g_return_val_if_fail (row != NULL || n_values == 0, NULL);

  if (!check_n_values (self, n_values, error))
    return NULL;
  counts = g_new0 (gint64, n_values);
  for (guint i = 0; i < n_values; i++)
    {
      Item *item = i > 0 ? &g_array_index (self->items, Item, i - 1) : NULL;
      char *end = NULL;

      if (row[i] == NULL || (item != NULL && item->kind == ITEM_MEASURE))
        continue;
      counts[i] = g_ascii_strtoll (row[i], &end, 10);
      if (end == row[i] || *end != '\0')
        {
          g_set_error (error, SETL_VALIDATION_ERROR, SETL_VALIDATION_ERROR_FAILED,
                       "the validation query's column %u is “%s”, not a count", i + 1, row[i]);
          return NULL;
        }
    }
  return make_report (self, counts, row, fetch, user_data, error);
}
