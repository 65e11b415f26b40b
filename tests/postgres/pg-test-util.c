/* pg-test-util.c: helpers of the postgres suite.
 *
 * The tests run under pg-harness.sh, which exports SETL_TEST_PG_URI (and
 * PGHOST, PGPORT, …) for a cluster of their own; a test started by hand
 * without it fails at once, naming the harness.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "pg-test-util.h"

const char *
test_pg_uri (void)
{
  const char *uri = g_getenv ("SETL_TEST_PG_URI");

  if (uri == NULL)
    g_error ("SETL_TEST_PG_URI is not set: run the postgres tests through tests/postgres/pg-harness.sh "
             "(meson test --suite postgres does)");
  return uri;
}

PGconn *
test_pg_connect (void)
{
  PGconn *conn = PQconnectdb (test_pg_uri ());

  if (PQstatus (conn) != CONNECTION_OK)
    g_error ("test connection: %s", PQerrorMessage (conn));
  return conn;
}

void
test_pg_exec (const char *sql)
{
  PGconn *conn = test_pg_connect ();
  PGresult *res = PQexec (conn, sql);

  if (PQresultStatus (res) != PGRES_COMMAND_OK && PQresultStatus (res) != PGRES_TUPLES_OK)
    g_error ("test SQL “%s”: %s", sql, PQresultErrorMessage (res));
  PQclear (res);
  PQfinish (conn);
}

/* The first value of the first row, "NULL" for NULL, NULL without rows. */
char *
test_pg_value (const char *sql)
{
  PGconn *conn = test_pg_connect ();
  PGresult *res = PQexec (conn, sql);
  char *value = NULL;

  if (PQresultStatus (res) != PGRES_TUPLES_OK)
    g_error ("test SQL “%s”: %s", sql, PQresultErrorMessage (res));
  if (PQntuples (res) > 0)
    value = g_strdup (PQgetisnull (res, 0, 0) ? "NULL" : PQgetvalue (res, 0, 0));
  PQclear (res);
  PQfinish (conn);
  return value;
}

/* Rows as "a|b|c\n" lines, NULL as "NULL". */
char *
test_pg_dump (const char *sql)
{
  PGconn *conn = test_pg_connect ();
  PGresult *res = PQexec (conn, sql);
  GString *out = g_string_new (NULL);

  if (PQresultStatus (res) != PGRES_TUPLES_OK)
    g_error ("test SQL “%s”: %s", sql, PQresultErrorMessage (res));
  for (int r = 0; r < PQntuples (res); r++)
    {
      for (int c = 0; c < PQnfields (res); c++)
        g_string_append_printf (out, "%s%s", c ? "|" : "",
                                PQgetisnull (res, r, c) ? "NULL" : PQgetvalue (res, r, c));
      g_string_append_c (out, '\n');
    }
  PQclear (res);
  PQfinish (conn);
  return g_string_free (out, FALSE);
}

void
test_pg_restart (void)
{
  const char *harness = g_getenv ("SETL_TEST_PG_HARNESS");
  const char *argv[] = { harness, "restart", NULL };
  g_autoptr(GError) error = NULL;
  int status = 0;

  g_assert_nonnull (harness);
  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
}

/* A table's values as "a|b|c\n" lines (doubles with 6 significant digits,
 * so that two engines' sums compare), NULL as "NULL". */
char *
test_table_dump (SetlTable *table)
{
  g_autoptr(SetlBatchIterator) it = setl_batch_stream_open (SETL_BATCH_STREAM (table), NULL, NULL);
  GString *out = g_string_new (NULL);
  SetlRecordBatch *b;

  while ((b = setl_batch_iterator_next (it, NULL, NULL)) != NULL)
    {
      for (gint64 r = 0; r < setl_record_batch_get_n_rows (b); r++)
        {
          for (guint c = 0; c < setl_record_batch_get_n_columns (b); c++)
            {
              SetlColumn *col = setl_record_batch_get_column (b, c);
              g_string_append (out, c ? "|" : "");
              if (setl_column_is_null (col, r))
                g_string_append (out, "NULL");
              else if (setl_field_get_data_type (setl_record_batch_get_field (b, c)) == SETL_DATA_TYPE_DOUBLE)
                g_string_append_printf (out, "%.6g", setl_column_get_double (col, r));
              else
                {
                  GValue v = G_VALUE_INIT;
                  g_autofree char *s = NULL;
                  setl_column_get_value (col, r, &v);
                  s = g_strdup_value_contents (&v);
                  g_string_append (out, s);
                  g_value_unset (&v);
                }
            }
          g_string_append_c (out, '\n');
        }
      g_object_unref (b);
    }
  return g_string_free (out, FALSE);
}
