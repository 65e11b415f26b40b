/* test-sql-relation-postgres.c: SetlSqlRelation on the postgres plugin's
 * streams, and a validation hook pushed down to PostgreSQL seen from the
 * plugin's own counters: no row fetched by the client, and a
 * `postgres-sink` on the same database still copying inside the server.
 * The plugin's code is linked in (factories by type); checks-builtin is
 * loaded through the registry. Runs under tests/postgres/pg-harness.sh.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <setl/setl.h>
#include <setl/setl-validation.h>
#include <string.h>

#include "pg-test-util.h"
#include "validation-test-utils.h"
#include "setl-postgres-query-stream.h"
#include "setl-postgres-sink.h"
#include "setl-postgres-source.h"
#include "setl-postgres-sql.h"

static const char schema_json[] =
  "{ \"name\": \"people\", \"columns\": [\n"
  "  {\"name\": \"id\", \"type\": \"int64\", \"unique\": true},\n"
  "  {\"name\": \"name\", \"type\": \"string\"},\n"
  "  {\"name\": \"age\", \"type\": \"int64\",\n"
  "   \"checks\": [{\"in_range\": {\"min_value\": 0, \"max_value\": 120}}]}\n"
  "] }\n";

static SetlFactory *
make (GType type, const char *name, const char *first_property, ...)
{
  va_list args;
  SetlFactory *f;

  va_start (args, first_property);
  f = SETL_FACTORY (g_object_new_valist (type, first_property, args));
  va_end (args);
  setl_factory_set_name (f, name);
  setl_factory_set_delivery_id (f, name);
  return f;
}

static void
setup (void)
{
  test_pg_exec ("DROP SCHEMA IF EXISTS \"odd schema\" CASCADE");
  test_pg_exec ("DROP TABLE IF EXISTS people, copied");
  test_pg_exec ("CREATE TABLE people (id bigint NOT NULL, name text, age bigint)");
  test_pg_exec ("INSERT INTO people SELECT i, 'p' || i, 20 + i % 50 FROM generate_series(1, 500) AS i");
  test_pg_exec ("CREATE SCHEMA \"odd schema\"");
  test_pg_exec ("CREATE TABLE \"odd schema\".\"pe\"\"ople\" (id bigint NOT NULL, name text, age bigint)");
  test_pg_exec ("INSERT INTO \"odd schema\".\"pe\"\"ople\" VALUES (1, 'a', 10), (1, NULL, 300), (3, 'c', -1)");
}

static SetlValidator *
validator_new (void)
{
  g_autoptr(GError) error = NULL;
  SetlValidator *validator = vt_validator_new (schema_json, &error);

  g_assert_no_error (error);
  return validator;
}

static SetlBatchStream *
source_stream (SetlFactory *source)
{
  g_autoptr(GError) error = NULL;
  GValue out = G_VALUE_INIT;
  SetlBatchStream *stream;

  g_assert_true (setl_factory_read (source, NULL, &error));
  g_assert_true (setl_factory_get (source, &out, &error));
  g_assert_no_error (error);
  stream = g_value_dup_object (&out);
  g_value_unset (&out);
  return stream;
}

/* The interface itself: dialect, query, table, location, run. */
static void
test_relation (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SetlFactory) table_src = make (SETL_TYPE_POSTGRES_SOURCE, "t", "database", test_pg_uri (),
                                           "schema", "odd schema", "table", "pe\"ople", NULL);
  g_autoptr(SetlFactory) query_src = make (SETL_TYPE_POSTGRES_SOURCE, "q", "database", test_pg_uri (),
                                           "query", "SELECT id, age FROM people WHERE id <= 10;", NULL);
  g_autoptr(SetlBatchStream) by_table = NULL, by_query = NULL;
  g_autofree char *schema = NULL, *table = NULL, *query = NULL, *location = NULL;
  g_autofree gint64 *counts = NULL;
  guint n = 0;

  setup ();
  by_table = source_stream (table_src);
  by_query = source_stream (query_src);
  g_assert_true (SETL_IS_SQL_RELATION (by_table));
  g_assert_cmpstr (setl_sql_relation_get_dialect (SETL_SQL_RELATION (by_table)), ==, "postgresql");
  table = setl_sql_relation_get_table (SETL_SQL_RELATION (by_table), &schema);
  g_assert_cmpstr (table, ==, "pe\"ople");
  g_assert_cmpstr (schema, ==, "odd schema");
  location = setl_sql_relation_get_location (SETL_SQL_RELATION (by_table));
  g_assert_true (g_str_has_prefix (location, "postgresql://"));

  g_assert_null (setl_sql_relation_get_table (SETL_SQL_RELATION (by_query), NULL));
  query = setl_sql_relation_get_query (SETL_SQL_RELATION (by_query));
  g_assert_cmpstr (query, ==, "SELECT id, age FROM people WHERE id <= 10");
  {
    g_autofree char *sql = g_strdup_printf ("SELECT COUNT(*), SUM(age), NULL FROM (%s) AS r", query);

    counts = setl_sql_relation_run_counts (SETL_SQL_RELATION (by_query), sql, &n, NULL, &error);
  }
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 3);
  g_assert_cmpint (counts[0], ==, 10);
  g_assert_cmpint (counts[1], ==, 20 * 10 + 55);
  g_assert_cmpint (counts[2], ==, 0);   /* NULL reads as 0 */
  g_clear_pointer (&counts, g_free);

  /* a failing query: the server's error, the relation named */
  counts = setl_sql_relation_run_counts (SETL_SQL_RELATION (by_query), "SELECT no_such_column FROM people",
                                         &n, NULL, &error);
  g_assert_null (counts);
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "postgres-source “q”"));
  g_assert_nonnull (strstr (error->message, "no_such_column"));
}

/* A schema-qualified table with odd names, validated in the server: the
 * counts and cases the client finds. */
static void
test_schema_qualified (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SetlFactory) src = make (SETL_TYPE_POSTGRES_SOURCE, "t", "database", test_pg_uri (),
                                     "schema", "odd schema", "table", "pe\"ople", NULL);
  g_autoptr(SetlBatchStream) stream = NULL;
  g_autoptr(SetlValidator) validator = validator_new ();
  g_autoptr(SetlValidationReport) pushed = NULL, client = NULL;
  g_autofree char *pushed_json = NULL, *client_json = NULL;

  setup ();
  stream = source_stream (src);
  setl_validator_set_lazy (validator, TRUE);
  pushed = setl_validator_validate_in_database (validator, SETL_SQL_RELATION (stream), NULL, &error);
  g_assert_no_error (error);
  client = setl_validator_validate (validator, stream, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (setl_validation_report_get_ran_in (pushed), "postgresql://"));
  g_assert_null (setl_validation_report_get_ran_in (client));
  g_assert_cmpint (setl_validation_report_get_n_failures (pushed), ==, 5);   /* 2 dup, 1 null, 2 range */
  pushed_json = setl_validation_report_to_json (pushed, TRUE);
  client_json = setl_validation_report_to_json (client, TRUE);
  {
    /* the same but for "ran_in" */
    g_autoptr(GString) without = g_string_new (pushed_json);
    g_autofree char *line = g_strdup_printf ("  \"ran_in\" : \"%s\",\n", setl_validation_report_get_ran_in (pushed));

    g_assert_cmpuint (g_string_replace (without, line, "", 1), ==, 1);
    g_assert_cmpstr (without->str, ==, client_json);
  }
}

/* The hook pushed down: nothing fetched by the client, and the sink on the
 * same database still copies inside the server; in the client, the rows
 * come over and go back. */
static void
run_copy (SetlPushdownMode  mode,
          gint64           *fetched,
          gint64           *uploaded,
          gboolean         *sink_pushed_down,
          char            **ran_in)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SetlPipeline) p = setl_pipeline_new ("copy");
  g_autoptr(SetlFactory) src = make (SETL_TYPE_POSTGRES_SOURCE, "src", "database", test_pg_uri (),
                                     "table", "people", NULL);
  g_autoptr(SetlFactory) sink = make (SETL_TYPE_POSTGRES_SINK, "save", "database", test_pg_uri (),
                                      "table", "copied", NULL);
  g_autoptr(SetlValidator) validator = validator_new ();
  gint64 f0, u0;
  SetlValidationReport *report;

  setl_delivery_set_delivery_id (setl_factory_get_delivery (sink, "in"), "src");
  setl_validation_hook_add_full (src, NULL, validator, SETL_VALIDATION_ACTION_FAIL, mode);
  setl_pipeline_add_factory (p, src);
  setl_pipeline_add_factory (p, sink);
  f0 = setl_postgres_get_rows_fetched ();
  u0 = setl_postgres_get_rows_uploaded ();
  g_assert_true (setl_pipeline_run (p, NULL, &error));
  g_assert_no_error (error);
  *fetched = setl_postgres_get_rows_fetched () - f0;
  *uploaded = setl_postgres_get_rows_uploaded () - u0;
  *sink_pushed_down = setl_postgres_sink_get_pushed_down (SETL_POSTGRES_SINK (sink));
  report = setl_validation_hook_get_report (src, NULL);
  g_assert_true (setl_validation_report_get_valid (report));
  g_assert_true (setl_validation_report_get_complete (report));
  g_assert_cmpint (setl_validation_report_get_n_rows (report), ==, 500);
  *ran_in = g_strdup (setl_validation_report_get_ran_in (report));
}

static void
test_hook_no_rows_fetched (void)
{
  gint64 fetched, uploaded;
  gboolean sink_pushed_down;
  g_autofree char *ran_in = NULL;
  g_autofree char *copied = NULL;

  setup ();
  run_copy (SETL_PUSHDOWN_MODE_AUTO, &fetched, &uploaded, &sink_pushed_down, &ran_in);
  g_assert_cmpint (fetched, ==, 0);
  g_assert_cmpint (uploaded, ==, 0);
  g_assert_true (sink_pushed_down);
  g_assert_true (g_str_has_prefix (ran_in, "postgresql://"));
  copied = test_pg_value ("SELECT count(*) FROM copied");
  g_assert_cmpstr (copied, ==, "500");
  g_clear_pointer (&ran_in, g_free);
  g_clear_pointer (&copied, g_free);

  run_copy (SETL_PUSHDOWN_MODE_NEVER, &fetched, &uploaded, &sink_pushed_down, &ran_in);
  g_assert_cmpint (fetched, ==, 500);
  g_assert_cmpint (uploaded, ==, 500);
  g_assert_false (sink_pushed_down);
  g_assert_cmpstr (ran_in, ==, "client");
  copied = test_pg_value ("SELECT count(*) FROM copied");
  g_assert_cmpstr (copied, ==, "500");
}

/* Rows that are not all in the server (a postgres-sql reading a client
 * table): no query to push down to; "auto" validates in the client. */
static void
test_uploads_not_a_relation (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SetlTable) table = vt_table_from_csv ("id:int64,name:string,age:int64\n1,a,30\n2,b,40\n", 0, &error);
  g_autoptr(SetlFactory) sql = make (SETL_TYPE_POSTGRES_SQL, "sql", "database", test_pg_uri (),
                                     "inputs", "local", "query", "SELECT * FROM local", NULL);
  g_autoptr(SetlBatchStream) stream = NULL;
  g_autoptr(SetlValidator) validator = validator_new ();
  g_autoptr(SetlValidationReport) report = NULL;
  g_auto(GValue) value = G_VALUE_INIT;

  g_assert_no_error (error);
  g_value_init (&value, SETL_TYPE_BATCH_STREAM);
  g_value_set_object (&value, table);
  setl_delivery_set_value (setl_factory_get_delivery (sql, "local"), &value);
  g_assert_true (setl_factory_read (sql, NULL, &error));
  g_assert_true (setl_factory_process (sql, NULL, &error));
  g_assert_no_error (error);
  {
    GValue out = G_VALUE_INIT;

    g_assert_true (setl_factory_get (sql, &out, &error));
    stream = g_value_dup_object (&out);
    g_value_unset (&out);
  }
  g_assert_true (SETL_IS_SQL_RELATION (stream));
  g_assert_null (setl_sql_relation_get_query (SETL_SQL_RELATION (stream)));
  report = setl_validator_validate_in_database (validator, SETL_SQL_RELATION (stream), NULL, &error);
  g_assert_null (report);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
  g_assert_nonnull (strstr (error->message, "not all in the database"));
}

static gpointer
cancel_later (gpointer data)
{
  g_usleep (G_USEC_PER_SEC / 2);
  g_cancellable_cancel (data);
  return NULL;
}

/* The validation query runs in the hooked factory's get(), which has no
 * cancellable parameter: the pipeline's reaches it as the thread's
 * current one, and PQcancel stops the statement. */
static void
test_hook_cancelled (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SetlPipeline) p = setl_pipeline_new ("slow");
  g_autoptr(SetlFactory) src = make (SETL_TYPE_POSTGRES_SOURCE, "src", "database", test_pg_uri (),
                                     "query", "SELECT p.* FROM people AS p CROSS JOIN LATERAL "
                                              "(SELECT pg_sleep(60)) AS s", NULL);
  g_autoptr(SetlValidator) validator = validator_new ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GThread) thread = NULL;
  gint64 start;

  setup ();
  setl_validation_hook_add_full (src, NULL, validator, SETL_VALIDATION_ACTION_FAIL, SETL_PUSHDOWN_MODE_ALWAYS);
  setl_pipeline_add_factory (p, src);
  start = g_get_monotonic_time ();
  thread = g_thread_new ("cancel", cancel_later, cancellable);
  g_assert_false (setl_pipeline_run (p, cancellable, &error));
  g_thread_join (g_steal_pointer (&thread));
  g_assert_nonnull (error);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 20 * G_USEC_PER_SEC);
  g_assert_cmpint (setl_factory_result_get_status (setl_run_report_find (setl_pipeline_get_report (p), "src")),
                   ==, SETL_FACTORY_STATUS_CANCELLED);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sql-relation/postgres/interface", test_relation);
  g_test_add_func ("/sql-relation/postgres/schema-qualified", test_schema_qualified);
  g_test_add_func ("/sql-relation/postgres/hook-no-rows-fetched", test_hook_no_rows_fetched);
  g_test_add_func ("/sql-relation/postgres/uploads", test_uploads_not_a_relation);
  g_test_add_func ("/sql-relation/postgres/hook-cancelled", test_hook_cancelled);
  return g_test_run ();
}
