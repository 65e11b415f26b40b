/* test-validation-pushdown-sqlite.c: a schema's checks compiled to SQL and
 * run inside SQLite give the report the validator gives in the client.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <sqlite3.h>
#include <setl/setl-validation-sql.h>

#include "pushdown-test-common.h"
#include "validation-test-utils.h"

#include <string.h>

static void
exec (sqlite3    *db,
      const char *sql)
{
  char *message = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
}

/* @rows into a new table @table (a quoted name, maybe qualified), with
 * @columns' SQLite types. */
static void
load (sqlite3             *db,
      const char          *table,
      const PdColumn      *columns,
      guint                n_columns,
      GPtrArray           *rows)
{
  g_autoptr(GString) create = g_string_new (NULL);
  g_autoptr(GString) insert = g_string_new (NULL);
  sqlite3_stmt *stmt = NULL;

  g_string_printf (create, "CREATE TABLE %s (", table);
  g_string_printf (insert, "INSERT INTO %s VALUES (", table);
  for (guint j = 0; j < n_columns; j++)
    {
      g_string_append_printf (create, "%s\"%s\" %s", j ? ", " : "", columns[j].name, columns[j].sqlite_type);
      g_string_append (insert, j ? ", ?" : "?");
    }
  g_string_append (create, ")");
  g_string_append (insert, ")");
  exec (db, create->str);
  exec (db, "BEGIN");
  g_assert_cmpint (sqlite3_prepare_v2 (db, insert->str, -1, &stmt, NULL), ==, SQLITE_OK);
  for (guint i = 0; i < rows->len; i++)
    {
      char **row = g_ptr_array_index (rows, i);

      sqlite3_reset (stmt);
      for (guint j = 0; j < n_columns; j++)
        {
          if (row[j] == NULL)
            sqlite3_bind_null (stmt, (int) j + 1);
          else if (g_str_equal (columns[j].sqlite_type, "INTEGER"))
            sqlite3_bind_int64 (stmt, (int) j + 1, g_ascii_strtoll (row[j], NULL, 10));
          else if (g_str_equal (columns[j].sqlite_type, "REAL"))
            sqlite3_bind_double (stmt, (int) j + 1, g_ascii_strtod (row[j], NULL));
          else
            sqlite3_bind_text (stmt, (int) j + 1, row[j], -1, SQLITE_TRANSIENT);
        }
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
    }
  sqlite3_finalize (stmt);
  exec (db, "COMMIT");
}

static gboolean
fetch_cases (SetlValidationQuery  *query,
             const char           *sql,
             GArray               *rows,
             GPtrArray            *values,
             gpointer              user_data,
             GError              **error)
{
  sqlite3 *db = user_data;
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s: %s", sql, sqlite3_errmsg (db));
      return FALSE;
    }
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 row = sqlite3_column_type (stmt, 0) == SQLITE_NULL ? -1 : sqlite3_column_int64 (stmt, 0);

      g_array_append_val (rows, row);
      g_ptr_array_add (values, g_strdup ((const char *) sqlite3_column_text (stmt, 1)));
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s: %s", sql, sqlite3_errmsg (db));
      return FALSE;
    }
  return TRUE;
}

/* The query run on @db: its row as text (the one-pass API), or as
 * integers (the report then fetches what aggregates measured). */
static SetlValidationReport *
pushdown (sqlite3             *db,
          SetlValidationQuery *query,
          gboolean             as_text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) row = g_ptr_array_new_with_free_func (g_free);
  g_autofree gint64 *counts = NULL;
  guint n = setl_validation_query_get_n_counts (query);
  sqlite3_stmt *stmt = NULL;
  SetlValidationReport *report;

  if (sqlite3_prepare_v2 (db, setl_validation_query_get_sql (query), -1, &stmt, NULL) != SQLITE_OK)
    g_error ("%s: %s", setl_validation_query_get_sql (query), sqlite3_errmsg (db));
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_count (stmt), ==, n);
  counts = g_new0 (gint64, n);
  for (guint i = 0; i < n; i++)
    {
      counts[i] = sqlite3_column_int64 (stmt, (int) i);
      g_ptr_array_add (row, g_strdup ((const char *) sqlite3_column_text (stmt, (int) i)));
    }
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  sqlite3_finalize (stmt);
  report = as_text
           ? setl_validation_query_make_report_from_text (query, (const char * const *) row->pdata, n,
                                                          fetch_cases, db, &error)
           : setl_validation_query_make_report_full (query, counts, n, fetch_cases, db, &error);
  g_assert_no_error (error);
  return report;
}

static sqlite3 *
open_memory (void)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (":memory:", &db), ==, SQLITE_OK);
  g_assert_cmpint (setl_validation_query_register_sqlite (db), ==, SQLITE_OK);
  return db;
}

/* Every check that compiles, each broken by the data, gives the client's
 * report: counts, messages, failure cases and their rows; both ways of
 * reading the row. */
static void
test_every_check (void)
{
  g_autoptr(GPtrArray) rows = pd_make_rows (400, 7);
  g_autoptr(SetlTable) table = pd_rows_to_table (rows);
  g_autoptr(SetlValidator) validator = pd_validator_new (pd_schema_json);
  g_autoptr(SetlValidationReport) expected = pd_validate_in_client (validator, table);
  g_autoptr(SetlValidationQuery) query = NULL;
  g_autoptr(GError) error = NULL;
  sqlite3 *db = open_memory ();

  pd_assert_checks_failed (validator, expected, NULL);
  load (db, "\"t\"", pd_columns, pd_n_columns, rows);
  query = setl_validation_query_new (validator, "t", SETL_SQL_DIALECT_SQLITE, &error);
  g_assert_no_error (error);
  /* One pass: the checks of rows and the aggregates are one SELECT over
   * the table; combinations and uniqueness are subqueries of it. */
  g_assert_true (g_str_has_prefix (setl_validation_query_get_sql (query), "SELECT COUNT(*)"));
  g_assert_true (g_strv_contains (setl_validation_query_get_functions (query), "setl_check"));
  for (guint as_text = 0; as_text < 2; as_text++)
    {
      g_autoptr(SetlValidationReport) actual = pushdown (db, query, as_text);

      pd_assert_same_report (expected, actual);
    }

  /* A cap on the failure cases kept changes no count. */
  setl_validator_set_max_failure_cases (validator, 2);
  {
    g_autoptr(SetlValidationReport) capped = pd_validate_in_client (validator, table);
    g_autoptr(SetlValidationReport) actual = pushdown (db, query, TRUE);

    pd_assert_same_report (capped, actual);
    g_assert_cmpint (setl_validation_report_get_n_failures (capped), ==,
                     setl_validation_report_get_n_failures (expected));
  }
  sqlite3_close (db);
}

/* Doubles that need 17 digits are failure cases with the client's text
 * (SQLite writes a REAL with 15 digits, and its printf's 17 are sometimes
 * a unit off). */
static void
test_doubles (void)
{
  g_autoptr(GPtrArray) rows = pd_make_double_rows (300, 11);
  g_autoptr(SetlTable) table = pd_double_rows_to_table (rows);
  g_autoptr(SetlValidator) validator = pd_validator_new (pd_double_schema_json);
  g_autoptr(SetlValidationReport) expected = pd_validate_in_client (validator, table);
  g_autoptr(SetlValidationQuery) query = NULL;
  g_autoptr(GError) error = NULL;
  sqlite3 *db = open_memory ();

  g_assert_cmpuint (pd_count_17_digit_cases (expected), >, 20);
  load (db, "\"d\"", &pd_double_column, 1, rows);
  query = setl_validation_query_new (validator, "d", SETL_SQL_DIALECT_SQLITE, &error);
  g_assert_no_error (error);
  for (guint as_text = 0; as_text < 2; as_text++)
    {
      g_autoptr(SetlValidationReport) actual = pushdown (db, query, as_text);

      pd_assert_same_report (expected, actual);
    }
  sqlite3_close (db);
}

/* Data that passes passes pushed down too: the rows of the data that the
 * client found valid, with the aggregate and table checks left out. */
static void
test_valid_data (void)
{
  static const char schema[] =
    "{\"name\": \"ok\", \"columns\": ["
    " {\"name\": \"id\", \"type\": \"int64\", \"unique\": true, \"checks\": [{\"gt\": 0}, {\"multiple_of\": {\"divisor\": 1}}]},"
    " {\"name\": \"email\", \"type\": \"string\", \"nullable\": true, \"checks\": ["
    "   {\"pattern\": \"[a-z0-9._]+@[a-z]+\\\\.[a-z]{2,3}\"}, {\"str_contains\": \"@\"},"
    "   {\"null_fraction_in_range\": {\"max_value\": 1}}]}],"
    " \"checks\": [{\"row_count_in_range\": {\"min_value\": 1}},"
    "   {\"column_set\": {\"columns\": [\"id\", \"email\"], \"exact\": false}}]}";
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (pd_row_free);
  g_autoptr(SetlValidator) validator = pd_validator_new (schema);
  g_autoptr(SetlValidationQuery) query = NULL;
  g_autoptr(SetlValidationReport) report = NULL;
  g_autoptr(GError) error = NULL;
  sqlite3 *db = open_memory ();

  for (guint i = 0; i < 50; i++)
    {
      char **row = g_new0 (char *, pd_n_columns + 1);

      row[0] = g_strdup_printf ("%u", i + 1);
      row[5] = i % 5 ? g_strdup_printf ("u%u@abc.com", i) : NULL;
      g_ptr_array_add (rows, row);
    }
  load (db, "\"t\"", pd_columns, pd_n_columns, rows);
  query = setl_validation_query_new (validator, "t", SETL_SQL_DIALECT_SQLITE, &error);
  g_assert_no_error (error);
  report = pushdown (db, query, TRUE);
  g_assert_true (setl_validation_report_get_valid (report));
  g_assert_cmpint (setl_validation_report_get_n_rows (report), ==, 50);
  g_assert_cmpint (setl_validation_report_get_n_failures (report), ==, 0);
  sqlite3_close (db);
}

/* A check of another library compiles through its class's `to_sql`; one
 * without it is refused, named. */
static void
test_custom_check (void)
{
  g_autoptr(SetlValidator) with_sql = pd_validator_new (
    "{\"name\": \"c\", \"columns\": [{\"name\": \"id\", \"type\": \"int64\", \"checks\": [{\"multiple_of\": {\"divisor\": 3}}]}]}");
  g_autoptr(SetlValidator) without = pd_validator_new (
    "{\"name\": \"c\", \"columns\": [{\"name\": \"id\", \"type\": \"int64\", \"checks\": [{\"opaque_positive\": {}}]}]}");
  g_autoptr(SetlValidationQuery) query = NULL;
  g_autoptr(GError) error = NULL;
  SetlCheck *check = setl_validator_get_check (with_sql, 0, NULL);
  g_autofree char *sql = NULL;

  g_assert_true (setl_check_can_compile_to_sql (check));
  sql = setl_check_to_sql (check, "postgresql", "\"id\"", &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (sql, "\"id\""));
  g_clear_pointer (&sql, g_free);
  /* A dialect the check does not know: NULL, with an error naming it. */
  sql = setl_check_to_sql (check, "duckdb", "\"id\"", &error);
  g_assert_null (sql);
  g_assert_error (error, SETL_CHECK_ERROR, SETL_CHECK_ERROR_NOT_SUPPORTED);
  g_assert_nonnull (strstr (error->message, "duckdb"));
  g_clear_error (&error);

  check = setl_validator_get_check (without, 0, NULL);
  g_assert_false (setl_check_can_compile_to_sql (check));
  g_assert_null (setl_check_to_sql (check, "sqlite", "\"id\"", &error));
  g_assert_error (error, SETL_CHECK_ERROR, SETL_CHECK_ERROR_NOT_SUPPORTED);
  g_clear_error (&error);
  query = setl_validation_query_new (without, "t", SETL_SQL_DIALECT_SQLITE, &error);
  g_assert_null (query);
  g_assert_error (error, SETL_VALIDATION_ERROR, SETL_VALIDATION_ERROR_INVALID_CHECK);
  g_assert_nonnull (strstr (error->message, "opaque_positive"));
  g_clear_error (&error);

  /* What else stays in the client: coercion. */
  {
    g_autoptr(SetlValidator) coerced = pd_validator_new (
      "{\"name\": \"c\", \"columns\": [{\"name\": \"id\", \"type\": \"int64\", \"coerce\": true}]}");

    g_assert_null (setl_validation_query_new (coerced, "t", SETL_SQL_DIALECT_SQLITE, &error));
    g_assert_error (error, SETL_VALIDATION_ERROR, SETL_VALIDATION_ERROR_INVALID_CHECK);
    g_assert_nonnull (strstr (error->message, "coercion"));
  }
}

/* SCHEMA.TABLE reaches an attached database's table (catalog included),
 * a quoted name keeps its dot, a malformed name is refused. */
static void
test_qualified_name (void)
{
  g_autoptr(GPtrArray) rows = pd_make_rows (120, 11);
  g_autoptr(GPtrArray) other = pd_make_rows (5, 12);
  g_autoptr(SetlTable) table = pd_rows_to_table (rows);
  g_autoptr(SetlValidator) validator = pd_validator_new (pd_schema_json);
  g_autoptr(SetlValidationReport) expected = pd_validate_in_client (validator, table);
  g_autoptr(GError) error = NULL;
  sqlite3 *db = open_memory ();
  const char *names[] = { "aux.t", "\"aux\".\"t\"", "\"odd.name\"", "main.\"odd.name\"" };

  exec (db, "ATTACH DATABASE ':memory:' AS aux");
  /* Decoys: other data under the unqualified names. */
  load (db, "\"t\"", pd_columns, pd_n_columns - 1, other);
  load (db, "\"aux\".\"t\"", pd_columns, pd_n_columns, rows);
  load (db, "\"odd.name\"", pd_columns, pd_n_columns, rows);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr(SetlValidationQuery) query =
        setl_validation_query_new (validator, names[i], SETL_SQL_DIALECT_SQLITE, &error);
      g_autoptr(SetlValidationReport) actual = NULL;

      g_assert_no_error (error);
      actual = pushdown (db, query, i % 2 == 0);
      pd_assert_same_report (expected, actual);
    }
  for (guint i = 0; i < 4; i++)
    {
      const char *bad[] = { "a.b.c", "\"unclosed", "a.", "x\"y" };

      g_assert_null (setl_validation_query_new (validator, bad[i], SETL_SQL_DIALECT_SQLITE, &error));
      g_assert_error (error, SETL_VALIDATION_ERROR, SETL_VALIDATION_ERROR_FAILED);
      g_assert_nonnull (strstr (error->message, bad[i]));
      g_clear_error (&error);
    }
  sqlite3_close (db);
}

/* The regular expressions run in SQLite by the client's engine: the same
 * matches in every mode, newlines and Unicode included. */
static void
test_regexp (void)
{
  g_autoptr(SetlTable) table = pd_string_table (pd_regex_values);
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  static const PdColumn v = { "v", "string", "TEXT", "text" };
  sqlite3 *db = open_memory ();
  guint n_failing = 0;

  for (guint i = 0; pd_regex_values[i] != NULL; i++)
    {
      char **row = g_new0 (char *, 2);

      row[0] = g_strdup (pd_regex_values[i]);
      g_ptr_array_add (rows, row);
    }
  g_ptr_array_add (rows, g_new0 (char *, 2));   /* a null */
  load (db, "\"r\"", &v, 1, rows);
  /* All of them: on SQLite none is refused. */
  for (guint p = 0; p < g_strv_length ((char **) pd_regex_patterns) +
                        g_strv_length ((char **) pd_regex_refused_on_postgresql); p++)
    for (guint c = 0; pd_regex_checks[c] != NULL; c++)
      {
        guint n = g_strv_length ((char **) pd_regex_patterns);
        const char *pattern = p < n ? pd_regex_patterns[p] : pd_regex_refused_on_postgresql[p - n];
        g_autofree char *schema = pd_regex_schema (pd_regex_checks[c], pattern);
        g_autoptr(SetlValidator) validator = pd_validator_new (schema);
        g_autoptr(SetlValidationReport) expected = pd_validate_in_client (validator, table);
        g_autoptr(SetlValidationQuery) query = NULL;
        g_autoptr(SetlValidationReport) actual = NULL;
        g_autoptr(GError) error = NULL;

        query = setl_validation_query_new (validator, "r", SETL_SQL_DIALECT_SQLITE, &error);
        g_assert_no_error (error);
        actual = pushdown (db, query, TRUE);
        if (g_test_verbose ())
          g_printerr ("%s(%s): %" G_GINT64_FORMAT " failures\n", pd_regex_checks[c], pattern,
                      setl_validation_report_get_n_failures (expected));
        pd_assert_same_report (expected, actual);
        n_failing += setl_validation_report_get_n_failures (expected) > 0;
      }
  /* The values do tell the patterns apart. */
  g_assert_cmpuint (n_failing, >, 60);
  sqlite3_close (db);
}

/* Data in one batch: the report's JSON is the client's to the byte —
 * entries in the same order, samples of failure cases too. */
static void
test_same_json (void)
{
  g_autoptr(GPtrArray) rows = pd_make_rows (60, 3);
  g_autoptr(SetlTable) table = pd_rows_to_table (rows);
  g_autoptr(SetlValidator) validator = pd_validator_new (pd_schema_json);
  g_autoptr(SetlValidationReport) expected = pd_validate_in_client (validator, table);
  g_autoptr(SetlValidationReport) actual = NULL;
  g_autoptr(SetlValidationQuery) query = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  sqlite3 *db = open_memory ();

  g_assert_cmpuint (setl_table_get_n_batches (table), ==, 1);
  load (db, "\"t\"", pd_columns, pd_n_columns, rows);
  query = setl_validation_query_new (validator, "t", SETL_SQL_DIALECT_SQLITE, &error);
  g_assert_no_error (error);
  actual = pushdown (db, query, TRUE);
  a = setl_validation_report_to_json (expected, TRUE);
  b = setl_validation_report_to_json (actual, TRUE);
  g_assert_cmpuint (setl_validation_report_get_n_failures (expected), >, 20);
  g_assert_cmpstr (a, ==, b);
  sqlite3_close (db);
}

/* No rows: the statistics measure nothing and pass, the table checks
 * still read the columns. */
static void
test_empty_table (void)
{
  g_autoptr(GPtrArray) rows = pd_make_rows (0, 1);
  g_autoptr(SetlTable) table = pd_rows_to_table (rows);
  g_autoptr(SetlValidator) validator = pd_validator_new (pd_schema_json);
  g_autoptr(SetlValidationReport) expected = pd_validate_in_client (validator, table);
  g_autoptr(SetlValidationQuery) query = NULL;
  g_autoptr(GError) error = NULL;
  sqlite3 *db = open_memory ();

  load (db, "\"t\"", pd_columns, pd_n_columns, rows);
  query = setl_validation_query_new (validator, "t", SETL_SQL_DIALECT_SQLITE, &error);
  g_assert_no_error (error);
  for (guint as_text = 0; as_text < 2; as_text++)
    {
      g_autoptr(SetlValidationReport) actual = pushdown (db, query, as_text);

      pd_assert_same_report (expected, actual);
    }
  g_assert_cmpint (setl_validation_report_get_n_rows (expected), ==, 0);
  g_assert_false (setl_validation_report_get_valid (expected));   /* row_count_in_range */
  sqlite3_close (db);
}

/* Positions counted in a key's order (setl_validation_query_set_order_by())
 * when the table's own order is not the data's. */
static void
test_order_by (void)
{
  static const PdColumn columns[] = { { "k", "int64", "INTEGER", "bigint" }, { "v", "string", "TEXT", "text" } };
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  g_autoptr(GPtrArray) values = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(SetlTable) table = NULL;
  g_autoptr(SetlValidator) validator = pd_validator_new (
    "{\"name\": \"o\", \"columns\": [{\"name\": \"v\", \"type\": \"string\", \"unique\": true, \"nullable\": true,"
    " \"checks\": [{\"str_matches\": \"[a-m]\"}]}]}");
  g_autoptr(SetlValidationReport) expected = NULL;
  g_autoptr(SetlValidationReport) actual = NULL;
  g_autoptr(SetlValidationQuery) query = NULL;
  g_autoptr(GError) error = NULL;
  sqlite3 *db = open_memory ();

  /* In the client: in k's order; in the table: written backwards. */
  for (guint k = 0; k < 40; k++)
    g_ptr_array_add (values, g_strdup_printf ("%c%u", 'a' + (k * 7) % 26, k % 13));
  for (guint k = 40; k-- > 0;)
    {
      char **row = g_new0 (char *, 3);

      row[0] = g_strdup_printf ("%u", k);
      row[1] = g_strdup (g_ptr_array_index (values, k));
      g_ptr_array_add (rows, row);
    }
  g_ptr_array_add (values, NULL);
  table = pd_string_table ((const char * const *) values->pdata);
  expected = pd_validate_in_client (validator, table);
  g_assert_false (setl_validation_report_get_valid (expected));
  load (db, "\"t\"", columns, 2, rows);
  query = setl_validation_query_new (validator, "t", SETL_SQL_DIALECT_SQLITE, &error);
  g_assert_no_error (error);
  setl_validation_query_set_order_by (query, "k");
  /* The client's table has one more row, a null: it passes every check. */
  actual = pushdown (db, query, TRUE);
  {
    g_autoptr(GPtrArray) a = vt_table_to_lines (setl_validation_report_get_failure_cases (expected));
    g_autoptr(GPtrArray) b = vt_table_to_lines (setl_validation_report_get_failure_cases (actual));

    g_assert_cmpuint (a->len, >, 5);
    g_assert_true (vt_lines_equal (a, b, "failure cases"));
  }
  sqlite3_close (db);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  pd_register_checks ();

  g_test_add_func ("/validation-pushdown/sqlite/every-check", test_every_check);
  g_test_add_func ("/validation-pushdown/sqlite/valid-data", test_valid_data);
  g_test_add_func ("/validation-pushdown/sqlite/custom-check", test_custom_check);
  g_test_add_func ("/validation-pushdown/sqlite/qualified-name", test_qualified_name);
  g_test_add_func ("/validation-pushdown/sqlite/regexp", test_regexp);
  g_test_add_func ("/validation-pushdown/sqlite/same-json", test_same_json);
  g_test_add_func ("/validation-pushdown/sqlite/empty-table", test_empty_table);
  g_test_add_func ("/validation-pushdown/sqlite/order-by", test_order_by);
  g_test_add_func ("/validation-pushdown/sqlite/doubles", test_doubles);
  return g_test_run ();
}
