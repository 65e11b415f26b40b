/* test-validation-pushdown-postgres.c: a schema's checks compiled to
 * PostgreSQL's SQL and run by a real server (pg-harness.sh starts a
 * throwaway cluster) give the report the validator gives in the client on
 * the same rows.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <libpq-fe.h>
#include <setl/setl-validation-sql.h>

#include "pushdown-test-common.h"

#include <string.h>

static PGconn *conn;

static void
exec (const char *sql)
{
  PGresult *result = PQexec (conn, sql);

  if (PQresultStatus (result) != PGRES_COMMAND_OK && PQresultStatus (result) != PGRES_TUPLES_OK)
    g_error ("%s: %s", sql, PQerrorMessage (conn));
  PQclear (result);
}

/* @rows into a new table @table (quoted, maybe qualified), in order, in
 * one transaction: a scan gives them back in that order. */
static void
load (const char     *table,
      const PdColumn *columns,
      guint           n_columns,
      GPtrArray      *rows)
{
  g_autoptr(GString) create = g_string_new (NULL);
  g_autoptr(GString) insert = g_string_new (NULL);

  g_string_printf (create, "CREATE TABLE %s (", table);
  g_string_printf (insert, "INSERT INTO %s VALUES (", table);
  for (guint j = 0; j < n_columns; j++)
    {
      g_string_append_printf (create, "%s\"%s\" %s", j ? ", " : "", columns[j].name, columns[j].pg_type);
      g_string_append_printf (insert, "%s$%u", j ? ", " : "", j + 1);
    }
  g_string_append (create, ")");
  g_string_append (insert, ")");
  exec (create->str);
  exec ("BEGIN");
  for (guint i = 0; i < rows->len; i++)
    {
      char **row = g_ptr_array_index (rows, i);
      PGresult *result = PQexecParams (conn, insert->str, (int) n_columns, NULL, (const char * const *) row,
                                       NULL, NULL, 0);

      if (PQresultStatus (result) != PGRES_COMMAND_OK)
        g_error ("%s: %s", insert->str, PQerrorMessage (conn));
      PQclear (result);
    }
  exec ("COMMIT");
}

static gboolean
fetch_cases (SetlValidationQuery  *query,
             const char           *sql,
             GArray               *rows,
             GPtrArray            *values,
             gpointer              user_data,
             GError              **error)
{
  PGresult *result = PQexec (conn, sql);

  if (PQresultStatus (result) != PGRES_TUPLES_OK)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s: %s", sql, PQerrorMessage (conn));
      PQclear (result);
      return FALSE;
    }
  for (int i = 0; i < PQntuples (result); i++)
    {
      gint64 row = PQgetisnull (result, i, 0) ? -1 : g_ascii_strtoll (PQgetvalue (result, i, 0), NULL, 10);

      g_array_append_val (rows, row);
      g_ptr_array_add (values, PQgetisnull (result, i, 1) ? NULL : g_strdup (PQgetvalue (result, i, 1)));
    }
  PQclear (result);
  return TRUE;
}

/* The query run by the server: its row as text (one pass), or as integers
 * (then the measures of failed aggregates come from their own queries). */
static SetlValidationReport *
pushdown (SetlValidationQuery *query,
          gboolean             as_text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) row = g_ptr_array_new_with_free_func (g_free);
  g_autofree gint64 *counts = NULL;
  guint n = setl_validation_query_get_n_counts (query);
  PGresult *result = PQexec (conn, setl_validation_query_get_sql (query));
  SetlValidationReport *report;

  if (PQresultStatus (result) != PGRES_TUPLES_OK)
    g_error ("%s: %s", setl_validation_query_get_sql (query), PQerrorMessage (conn));
  g_assert_cmpint (PQntuples (result), ==, 1);
  g_assert_cmpint (PQnfields (result), ==, n);
  counts = g_new0 (gint64, n);
  for (guint i = 0; i < n; i++)
    {
      gboolean null = PQgetisnull (result, 0, (int) i);

      counts[i] = null ? 0 : g_ascii_strtoll (PQgetvalue (result, 0, (int) i), NULL, 10);
      g_ptr_array_add (row, null ? NULL : g_strdup (PQgetvalue (result, 0, (int) i)));
    }
  PQclear (result);
  report = as_text
           ? setl_validation_query_make_report_from_text (query, (const char * const *) row->pdata, n,
                                                          fetch_cases, NULL, &error)
           : setl_validation_query_make_report_full (query, counts, n, fetch_cases, NULL, &error);
  g_assert_no_error (error);
  return report;
}

/* Doubles that need 17 digits are failure cases with the client's text
 * (the server writes the shortest text that reads back; the client the
 * shortest of 15 and 17 digits). */
static void
test_doubles (void)
{
  g_autoptr(GPtrArray) rows = pd_make_double_rows (300, 11);
  g_autoptr(SetlTable) table = pd_double_rows_to_table (rows);
  g_autoptr(SetlValidator) validator = pd_validator_new (pd_double_schema_json);
  g_autoptr(SetlValidationReport) expected = pd_validate_in_client (validator, table);
  g_autoptr(SetlValidationQuery) query = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpuint (pd_count_17_digit_cases (expected), >, 20);
  load ("\"d\"", &pd_double_column, 1, rows);
  query = setl_validation_query_new (validator, "d", SETL_SQL_DIALECT_POSTGRESQL, &error);
  g_assert_no_error (error);
  for (guint as_text = 0; as_text < 2; as_text++)
    {
      g_autoptr(SetlValidationReport) actual = pushdown (query, as_text);

      pd_assert_same_report (expected, actual);
    }
}

/* Every check that compiles, each broken by the data, gives the client's
 * report: counts, messages, failure cases and their rows. */
static void
test_every_check (void)
{
  g_autoptr(GPtrArray) rows = pd_make_rows (400, 7);
  g_autoptr(SetlTable) table = pd_rows_to_table (rows);
  g_autoptr(SetlValidator) validator = pd_validator_new (pd_schema_json);
  g_autoptr(SetlValidationReport) expected = pd_validate_in_client (validator, table);
  g_autoptr(SetlValidationQuery) query = NULL;
  g_autoptr(GError) error = NULL;

  pd_assert_checks_failed (validator, expected, NULL);
  load ("\"t\"", pd_columns, pd_n_columns, rows);
  query = setl_validation_query_new (validator, "t", SETL_SQL_DIALECT_POSTGRESQL, &error);
  g_assert_no_error (error);
  /* Nothing but SQL the server has. */
  g_assert_null (setl_validation_query_get_functions (query)[0]);
  for (guint as_text = 0; as_text < 2; as_text++)
    {
      g_autoptr(SetlValidationReport) actual = pushdown (query, as_text);

      pd_assert_same_report (expected, actual);
    }
  setl_validator_set_max_failure_cases (validator, 2);
  {
    g_autoptr(SetlValidationReport) capped = pd_validate_in_client (validator, table);
    g_autoptr(SetlValidationReport) actual = pushdown (query, TRUE);

    pd_assert_same_report (capped, actual);
  }
  exec ("DROP TABLE \"t\"");
}

/* Data in one batch: the report's JSON is the client's to the byte. */
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

  g_assert_cmpuint (setl_table_get_n_batches (table), ==, 1);
  load ("\"j\"", pd_columns, pd_n_columns, rows);
  query = setl_validation_query_new (validator, "j", SETL_SQL_DIALECT_POSTGRESQL, &error);
  g_assert_no_error (error);
  actual = pushdown (query, TRUE);
  a = setl_validation_report_to_json (expected, TRUE);
  b = setl_validation_report_to_json (actual, TRUE);
  g_assert_cmpuint (setl_validation_report_get_n_failures (expected), >, 20);
  g_assert_cmpstr (a, ==, b);
  exec ("DROP TABLE \"j\"");
}

/* SCHEMA.TABLE and quoted names reach the right table, catalog included,
 * whatever the search path holds. */
static void
test_qualified_name (void)
{
  g_autoptr(GPtrArray) rows = pd_make_rows (150, 21);
  g_autoptr(GPtrArray) other = pd_make_rows (5, 22);
  g_autoptr(SetlTable) table = pd_rows_to_table (rows);
  g_autoptr(SetlValidator) validator = pd_validator_new (pd_schema_json);
  g_autoptr(SetlValidationReport) expected = pd_validate_in_client (validator, table);
  g_autoptr(GError) error = NULL;
  const char *names[] = { "s1.t", "\"s1\".\"t\"", "\"My Schema\".\"odd.name\"" };

  exec ("CREATE SCHEMA s1");
  exec ("CREATE SCHEMA \"My Schema\"");
  /* A decoy with other rows and columns where the search path looks. */
  load ("public.\"t\"", pd_columns, pd_n_columns - 1, other);
  load ("s1.\"t\"", pd_columns, pd_n_columns, rows);
  load ("\"My Schema\".\"odd.name\"", pd_columns, pd_n_columns, rows);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr(SetlValidationQuery) query =
        setl_validation_query_new (validator, names[i], SETL_SQL_DIALECT_POSTGRESQL, &error);
      g_autoptr(SetlValidationReport) actual = NULL;

      g_assert_no_error (error);
      actual = pushdown (query, i != 1);
      pd_assert_same_report (expected, actual);
    }
  exec ("DROP SCHEMA s1 CASCADE");
  exec ("DROP SCHEMA \"My Schema\" CASCADE");
  exec ("DROP TABLE public.\"t\"");
}

/* Whether a pattern's matches can depend on how the database's locale
 * classifies characters beyond ASCII (PCRE in the client follows Unicode). */
static gboolean
depends_on_locale (const char *pattern)
{
  static const char * const classes[] = { "\\w", "\\W", "\\d", "\\D", "\\s", "\\S", "\\b", "\\B", "[:",
                                          "(?i)", NULL };

  for (guint i = 0; classes[i] != NULL; i++)
    if (strstr (pattern, classes[i]) != NULL)
      return TRUE;
  return FALSE;
}

static gboolean
is_ascii (const char *s)
{
  for (; *s; s++)
    if ((guchar) *s >= 0x80)
      return FALSE;
  return TRUE;
}

/* The patterns rewritten for PostgreSQL's regular expressions match what
 * they match in the client, newlines included; what reads differently is
 * refused, naming the check. */
static void
test_regexp (void)
{
  g_autoptr(GPtrArray) all = g_ptr_array_new ();
  g_autoptr(GPtrArray) ascii = g_ptr_array_new ();
  g_autoptr(SetlTable) all_table = NULL;
  g_autoptr(SetlTable) ascii_table = NULL;
  g_autoptr(GPtrArray) all_rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  g_autoptr(GPtrArray) ascii_rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  static const PdColumn v = { "v", "string", "TEXT", "text" };
  guint n_compared = 0, n_failing = 0;

  for (guint i = 0; pd_regex_values[i] != NULL; i++)
    {
      char **row = g_new0 (char *, 2);

      row[0] = g_strdup (pd_regex_values[i]);
      g_ptr_array_add (all, (gpointer) pd_regex_values[i]);
      g_ptr_array_add (all_rows, row);
      if (is_ascii (pd_regex_values[i]))
        {
          g_ptr_array_add (ascii, (gpointer) pd_regex_values[i]);
          g_ptr_array_add (ascii_rows, g_strdupv (row));
        }
    }
  g_ptr_array_add (all_rows, g_new0 (char *, 2));   /* a null */
  g_ptr_array_add (ascii_rows, g_new0 (char *, 2));
  g_ptr_array_add (all, NULL);
  g_ptr_array_add (ascii, NULL);
  g_assert_cmpuint (ascii->len, <, all->len);
  all_table = pd_string_table ((const char * const *) all->pdata);
  ascii_table = pd_string_table ((const char * const *) ascii->pdata);
  load ("\"r_all\"", &v, 1, all_rows);
  load ("\"r_ascii\"", &v, 1, ascii_rows);

  for (guint p = 0; pd_regex_patterns[p] != NULL; p++)
    for (guint c = 0; pd_regex_checks[c] != NULL; c++)
      {
        gboolean local = depends_on_locale (pd_regex_patterns[p]);
        g_autofree char *schema = pd_regex_schema (pd_regex_checks[c], pd_regex_patterns[p]);
        g_autoptr(SetlValidator) validator = pd_validator_new (schema);
        g_autoptr(SetlValidationReport) expected =
          pd_validate_in_client (validator, local ? ascii_table : all_table);
        g_autoptr(SetlValidationQuery) query = NULL;
        g_autoptr(SetlValidationReport) actual = NULL;
        g_autoptr(GError) error = NULL;

        query = setl_validation_query_new (validator, local ? "r_ascii" : "r_all",
                                           SETL_SQL_DIALECT_POSTGRESQL, &error);
        g_assert_no_error (error);
        if (g_test_verbose ())
          g_printerr ("%s(%s): %s\n", pd_regex_checks[c], pd_regex_patterns[p],
                      setl_validation_query_get_sql (query));
        actual = pushdown (query, TRUE);
        pd_assert_same_report (expected, actual);
        n_compared++;
        n_failing += setl_validation_report_get_n_failures (expected) > 0;
      }
  g_assert_cmpuint (n_failing, >, 60);

  for (guint p = 0; pd_regex_refused_on_postgresql[p] != NULL; p++)
    {
      g_autofree char *schema = pd_regex_schema ("str_contains", pd_regex_refused_on_postgresql[p]);
      g_autoptr(SetlValidator) validator = pd_validator_new (schema);
      g_autoptr(SetlValidationQuery) query = NULL;
      g_autoptr(GError) error = NULL;

      query = setl_validation_query_new (validator, "r_all", SETL_SQL_DIALECT_POSTGRESQL, &error);
      g_assert_null (query);
      g_assert_error (error, SETL_VALIDATION_ERROR, SETL_VALIDATION_ERROR_INVALID_CHECK);
      g_assert_nonnull (strstr (error->message, "str_contains"));
      g_assert_nonnull (strstr (error->message, "PostgreSQL"));
    }
  exec ("DROP TABLE \"r_all\"");
  exec ("DROP TABLE \"r_ascii\"");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  pd_register_checks ();

  if (g_getenv ("SETL_TEST_PG_URI") == NULL)
    {
      g_test_skip ("not under tests/postgres/pg-harness.sh (no SETL_TEST_PG_URI)");
      return g_test_run ();
    }
  conn = PQconnectdb (g_getenv ("SETL_TEST_PG_URI"));
  if (PQstatus (conn) != CONNECTION_OK)
    g_error ("cannot reach the test cluster: %s", PQerrorMessage (conn));

  g_test_add_func ("/validation-pushdown/postgresql/every-check", test_every_check);
  g_test_add_func ("/validation-pushdown/postgresql/same-json", test_same_json);
  g_test_add_func ("/validation-pushdown/postgresql/qualified-name", test_qualified_name);
  g_test_add_func ("/validation-pushdown/postgresql/regexp", test_regexp);
  g_test_add_func ("/validation-pushdown/postgresql/doubles", test_doubles);
  {
    int status = g_test_run ();

    PQfinish (conn);
    return status;
  }
}
