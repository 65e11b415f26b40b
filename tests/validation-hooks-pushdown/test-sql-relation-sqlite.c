/* test-sql-relation-sqlite.c: SetlSqlRelation on the sqlite plugin's
 * streams, and a validation hook pushed down to SQLite seen from the
 * stream itself: validated without a pass over it. The plugin's code is
 * linked in (factories by type); checks-builtin is loaded through the
 * registry.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <setl/setl.h>
#include <setl/setl-validation.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

#include "validation-test-utils.h"
#include "setl-sqlite-query-stream.h"
#include "setl-sqlite-source.h"
#include "setl-sql-transform.h"

static char *db_path;

static const char schema_json[] =
  "{ \"name\": \"people\", \"columns\": [\n"
  "  {\"name\": \"id\", \"type\": \"int64\", \"unique\": true},\n"
  "  {\"name\": \"name\", \"type\": \"string\", \"checks\": [{\"str_matches\": \"^[a-z]+$\"}]},\n"
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
  sqlite3 *db = NULL;

  g_remove (db_path);
  g_assert_cmpint (sqlite3_open (db_path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db,
    "CREATE TABLE people (id INTEGER NOT NULL, name TEXT, age INTEGER);"
    "INSERT INTO people VALUES (1, 'ann', 30), (2, 'Bob', 40), (2, NULL, 200), (4, 'dan', -1);"
    "CREATE VIEW adults AS SELECT * FROM people WHERE age >= 18;", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
}

static SetlBatchStream *
source_stream (SetlFactory *source)
{
  g_autoptr(GError) error = NULL;
  GValue out = G_VALUE_INIT;
  SetlBatchStream *stream;

  g_assert_true (setl_factory_read (source, NULL, &error));
  g_assert_true (setl_factory_process (source, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (setl_factory_get (source, &out, &error));
  g_assert_no_error (error);
  stream = g_value_dup_object (&out);
  g_value_unset (&out);
  return stream;
}

static void
test_relation (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SetlFactory) query_src = make (SETL_TYPE_SQLITE_SOURCE, "q", "database", db_path,
                                           "query", "SELECT id, age FROM people WHERE id > 1 ;  ", NULL);
  g_autoptr(SetlFactory) table_src = make (SETL_TYPE_SQLITE_SOURCE, "t", "database", db_path,
                                           "table", "people", NULL);
  g_autoptr(SetlBatchStream) by_query = NULL, by_table = NULL;
  g_autofree char *query = NULL, *table = NULL, *location = NULL, *schema = NULL;
  g_autofree gint64 *counts = NULL;
  g_autofree char *expected_location = g_strconcat ("sqlite:", db_path, NULL);
  guint n = 0;

  setup ();
  by_query = source_stream (query_src);
  by_table = source_stream (table_src);
  g_assert_true (SETL_IS_SQL_RELATION (by_query));
  g_assert_cmpstr (setl_sql_relation_get_dialect (SETL_SQL_RELATION (by_query)), ==, "sqlite");
  query = setl_sql_relation_get_query (SETL_SQL_RELATION (by_query));
  g_assert_cmpstr (query, ==, "SELECT id, age FROM people WHERE id > 1");
  g_assert_null (setl_sql_relation_get_table (SETL_SQL_RELATION (by_query), NULL));
  table = setl_sql_relation_get_table (SETL_SQL_RELATION (by_table), &schema);
  g_assert_cmpstr (table, ==, "people");
  g_assert_null (schema);
  location = setl_sql_relation_get_location (SETL_SQL_RELATION (by_table));
  g_assert_cmpstr (location, ==, expected_location);
  {
    g_autofree char *sql = g_strdup_printf ("SELECT COUNT(*), SUM(age) FROM (%s)", query);

    counts = setl_sql_relation_run_counts (SETL_SQL_RELATION (by_query), sql, &n, NULL, &error);
  }
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 2);
  g_assert_cmpint (counts[0], ==, 3);
  g_assert_cmpint (counts[1], ==, 239);
  g_clear_pointer (&counts, g_free);
  counts = setl_sql_relation_run_counts (SETL_SQL_RELATION (by_query), "SELECT name FROM people",
                                         &n, NULL, &error);
  g_assert_null (counts);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  /* nothing above read the stream */
  g_assert_cmpuint (setl_sqlite_query_stream_get_n_opens (SETL_SQLITE_QUERY_STREAM (by_query)), ==, 0);
}

/* Validated in SQLite without a pass over the stream, with the client's
 * report; a view too (no rowid: the failure cases are numbered). */
static void
test_validate_without_reading (void)
{
  const char *sources[][2] = { { "table", "people" }, { "table", "adults" },
                               { "query", "SELECT * FROM people ORDER BY age DESC" } };

  setup ();
  for (guint i = 0; i < G_N_ELEMENTS (sources); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(SetlFactory) src = make (SETL_TYPE_SQLITE_SOURCE, "src", "database", db_path,
                                         sources[i][0], sources[i][1], NULL);
      g_autoptr(SetlBatchStream) stream = source_stream (src);
      g_autoptr(SetlValidator) validator = NULL;
      g_autoptr(SetlValidationReport) pushed = NULL, client = NULL;
      g_autofree char *pushed_json = NULL, *client_json = NULL;

      validator = vt_validator_new (schema_json, &error);
      g_assert_no_error (error);
      setl_validator_set_lazy (validator, TRUE);
      pushed = setl_validator_validate_in_database (validator, SETL_SQL_RELATION (stream), NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (setl_sqlite_query_stream_get_n_opens (SETL_SQLITE_QUERY_STREAM (stream)), ==, 0);
      client = setl_validator_validate (validator, stream, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (setl_sqlite_query_stream_get_n_opens (SETL_SQLITE_QUERY_STREAM (stream)), ==, 1);
      g_assert_cmpint (setl_validation_report_get_n_failures (pushed), >=, 3);
      setl_validation_report_set_ran_in (pushed, NULL);
      pushed_json = setl_validation_report_to_json (pushed, TRUE);
      client_json = setl_validation_report_to_json (client, TRUE);
      g_assert_cmpstr (pushed_json, ==, client_json);
    }
}

/* A hook on a source no one reads: complete report, no pass. */
static void
test_hook_no_pass (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SetlPipeline) p = setl_pipeline_new ("alone");
  g_autoptr(SetlFactory) src = make (SETL_TYPE_SQLITE_SOURCE, "src", "database", db_path,
                                     "table", "people", NULL);
  g_autoptr(SetlValidator) validator = vt_validator_new (schema_json, &error);
  SetlValidationReport *report;

  setup ();
  g_assert_no_error (error);
  setl_validation_hook_add (src, NULL, validator, SETL_VALIDATION_ACTION_FAIL);
  setl_pipeline_add_factory (p, src);
  g_assert_false (setl_pipeline_run (p, NULL, &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "factory “src” output"));
  report = setl_validation_hook_get_report (src, NULL);
  g_assert_true (setl_validation_report_get_complete (report));
  g_assert_cmpint (setl_validation_report_get_n_rows (report), ==, 4);
  g_assert_nonnull (setl_validation_report_get_ran_in (report));
  g_assert_true (g_str_has_prefix (setl_validation_report_get_ran_in (report), "sqlite:"));
}

/* The sql transform over client streams: its rows are not in the file. */
static void
test_transform_inputs (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SetlTable) table = vt_table_from_csv ("id:int64,name:string,age:int64\n1,a,30\n", 0, &error);
  g_autoptr(SetlFactory) sql = make (SETL_TYPE_SQL_TRANSFORM, "sql", "database", db_path,
                                     "inputs", "local", "query", "SELECT * FROM local", NULL);
  g_autoptr(SetlBatchStream) stream = NULL;
  g_auto(GValue) value = G_VALUE_INIT;

  setup ();
  g_assert_no_error (error);
  g_value_init (&value, SETL_TYPE_BATCH_STREAM);
  g_value_set_object (&value, table);
  setl_delivery_set_value (setl_factory_get_delivery (sql, "local"), &value);
  stream = source_stream (sql);
  g_assert_true (SETL_IS_SQL_RELATION (stream));
  g_assert_null (setl_sql_relation_get_query (SETL_SQL_RELATION (stream)));
}

int
main (int argc, char **argv)
{
  g_autofree char *dir = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  dir = g_dir_make_tmp ("setl-sql-relation-XXXXXX", NULL);
  db_path = g_build_filename (dir, "people.db", NULL);
  g_test_add_func ("/sql-relation/sqlite/interface", test_relation);
  g_test_add_func ("/sql-relation/sqlite/validate-without-reading", test_validate_without_reading);
  g_test_add_func ("/sql-relation/sqlite/hook-no-pass", test_hook_no_pass);
  g_test_add_func ("/sql-relation/sqlite/transform-inputs", test_transform_inputs);
  status = g_test_run ();
  g_remove (db_path);
  g_rmdir (dir);
  g_free (db_path);
  return status;
}
