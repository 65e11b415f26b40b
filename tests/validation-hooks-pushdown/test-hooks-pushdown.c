/* test-hooks-pushdown.c: validation hooks pushed down to the database the
 * data lives in, from pipeline files, and `setl validate --pushdown` —
 * built twice: on SQLite (a database file), and with TEST_POSTGRES on a
 * throwaway PostgreSQL cluster (tests/postgres/pg-harness.sh).
 *
 * The plugins are the real modules, loaded through the registry. What is
 * checked each time: the report pushed down is the client's (counts and
 * failure cases, compared as JSON but for `ran_in`), and says where it
 * ran; the rows are not read by the client (a hook on a source nobody
 * reads still gives the complete report, and "fail" fails the source
 * itself); `"always"` with a check that does not compile fails naming the
 * factory and the check; "drop" and such checks fall back to the client.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <setl/setl.h>
#include <setl/setl-plugin.h>
#include <setl/setl-validation.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/wait.h>

#ifdef TEST_POSTGRES
#include "pg-test-util.h"
#define BACKEND "postgres"
#else
#include <sqlite3.h>
#define BACKEND "sqlite"
#endif

static char *test_dir;

/* Rows 1, 2 and 4 fail (duplicate id 2, null name, age -5 and 200, no @). */
#define PEOPLE_ROWS \
  "(1, 'ann', 30, 'ann@example.org'), (2, 'bob', -5, 'bob@example.org'), " \
  "(2, NULL, 200, 'nope'), (3, 'cid', 41, NULL), (4, 'dan', 40, 'dan@example.org'), " \
  "(5, 'eve', 55, 'eve@example.org')"
#define GOOD_ROWS "(1, 'ann', 30, 'ann@example.org'), (2, 'bob', 50, NULL)"

static const char schema_json[] =
  "{ \"name\": \"people\", \"columns\": [\n"
  "  {\"name\": \"id\", \"type\": \"int64\", \"unique\": true},\n"
  "  {\"name\": \"name\", \"type\": \"string\"},\n"
  "  {\"name\": \"age\", \"type\": \"int64\",\n"
  "   \"checks\": [{\"in_range\": {\"min_value\": 0, \"max_value\": 120}}]},\n"
  "  {\"name\": \"email\", \"type\": \"string\", \"nullable\": true,\n"
  "   \"checks\": [{\"str_contains\": \"@\"}]}\n"
  "] }\n";

/* The same, with a column coerced: coercion does not compile to SQL. */
static const char coerced_json[] =
  "{ \"name\": \"people-coerced\", \"columns\": [\n"
  "  {\"name\": \"id\", \"type\": \"int64\"},\n"
  "  {\"name\": \"name\", \"type\": \"string\", \"nullable\": true},\n"
  "  {\"name\": \"age\", \"type\": \"int64\", \"coerce\": true},\n"
  "  {\"name\": \"email\", \"type\": \"string\", \"nullable\": true}\n"
  "] }\n";

/* ---- the backend ----------------------------------------------------- */

#ifdef TEST_POSTGRES
static char *
database (void)
{
  /* with a password, which must never show */
  return g_strdup_printf ("postgresql://%s:%s@127.0.0.1:%s/setl_test", g_getenv ("SETL_TEST_PG_PW_USER"),
                          g_getenv ("SETL_TEST_PG_PW_PASSWORD"), g_getenv ("SETL_TEST_PG_TCP_PORT"));
}

static void
create_tables (void)
{
  g_autofree char *grant = g_strdup_printf ("GRANT SELECT ON people, people_ok TO \"%s\"",
                                            g_getenv ("SETL_TEST_PG_PW_USER"));

  test_pg_exec ("DROP TABLE IF EXISTS people, people_ok, copied");
  test_pg_exec ("CREATE TABLE people (id bigint NOT NULL, name text, age bigint, email text)");
  test_pg_exec ("INSERT INTO people VALUES " PEOPLE_ROWS);
  test_pg_exec ("CREATE TABLE people_ok (id bigint NOT NULL, name text, age bigint, email text)");
  test_pg_exec ("INSERT INTO people_ok VALUES " GOOD_ROWS);
  test_pg_exec (grant);
}

static void
check_location (const char *ran_in)
{
  g_assert_nonnull (ran_in);
  g_assert_true (g_str_has_prefix (ran_in, "postgresql://"));
  g_assert_nonnull (strstr (ran_in, "/setl_test"));
  g_assert_null (strstr (ran_in, g_getenv ("SETL_TEST_PG_PW_PASSWORD")));
}
#else
static char *
database (void)
{
  return g_build_filename (test_dir, "people.db", NULL);
}

static void
create_tables (void)
{
  g_autofree char *path = database ();
  sqlite3 *db = NULL;
  char *message = NULL;

  g_remove (path);
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db,
    "CREATE TABLE people (id INTEGER NOT NULL, name TEXT, age INTEGER, email TEXT);"
    "INSERT INTO people VALUES " PEOPLE_ROWS ";"
    "CREATE TABLE people_ok (id INTEGER NOT NULL, name TEXT, age INTEGER, email TEXT);"
    "INSERT INTO people_ok VALUES " GOOD_ROWS ";", NULL, NULL, &message), ==, SQLITE_OK);
  sqlite3_close (db);
}

static void
check_location (const char *ran_in)
{
  g_autofree char *expected = g_strconcat ("sqlite:", test_dir, "/people.db", NULL);

  g_assert_cmpstr (ran_in, ==, expected);
}
#endif

/* ---- helpers --------------------------------------------------------- */

static char *
write_file (const char *name,
            const char *contents)
{
  char *path = g_build_filename (test_dir, name, NULL);

  g_assert_true (g_file_set_contents (path, contents, -1, NULL));
  return path;
}

/* A pipeline file: "src" reads @source (a "table": … or "query": …), with
 * the hook @validate on its output; with @sink, "out" writes it to
 * out.jsonl, hooked with @sink_validate (or not). */
static char *
write_pipeline (const char *source,
                const char *validate,
                gboolean    sink,
                const char *sink_validate)
{
  g_autofree char *db = database ();
  g_autoptr(GString) text = g_string_new (NULL);

  g_string_append_printf (text,
    "{ \"setl\": 1, \"name\": \"hooks\", \"factories\": {\n"
    "  \"src\": { \"feature\": \"" BACKEND "-source\",\n"
    "           \"properties\": { \"database\": \"%s\", %s }%s%s }",
    db, source, validate ? ",\n           \"validate\": " : "", validate ? validate : "");
  if (sink)
    g_string_append_printf (text,
      ",\n  \"out\": { \"feature\": \"jsonl-sink\", \"inputs\": { \"in\": \"src\" },\n"
      "           \"properties\": { \"path\": \"${pipeline_dir}/out.jsonl\" }%s%s }",
      sink_validate ? ",\n           \"validate\": " : "", sink_validate ? sink_validate : "");
  g_string_append (text, "\n} }\n");
  return write_file ("hooks.setl.json", text->str);
}

static SetlFactory *
find_factory (SetlPipeline *pipeline,
              const char   *name)
{
  GPtrArray *stages = setl_pipeline_get_stages (pipeline);

  for (guint i = 0; stages != NULL && i < stages->len; i++)
    {
      GPtrArray *factories = setl_stage_get_factories (g_ptr_array_index (stages, i));

      for (guint j = 0; factories != NULL && j < factories->len; j++)
        if (g_strcmp0 (setl_factory_get_name (g_ptr_array_index (factories, j)), name) == 0)
          return g_ptr_array_index (factories, j);
    }
  g_assert_not_reached ();
}

/* Builds and runs @path; the run's error, if any, in @run_error. */
static SetlPipeline *
run_file (const char  *path,
          GError     **run_error)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SetlPipelineFile) file = setl_pipeline_file_new_from_file (path, &error);
  SetlPipeline *pipeline;

  g_assert_no_error (error);
  pipeline = setl_pipeline_file_build (file, setl_plugin_registry_get_default (), &error);
  g_assert_no_error (error);
  setl_pipeline_run (pipeline, NULL, run_error);
  return pipeline;
}

/* The report as JSON without where it ran: what must be equal. */
static char *
report_json (SetlValidationReport *report)
{
  g_autoptr(JsonNode) node = setl_validation_report_to_json_node (report);
  g_autoptr(JsonGenerator) generator = json_generator_new ();

  json_object_remove_member (json_node_get_object (node), "ran_in");
  json_generator_set_root (generator, node);
  json_generator_set_pretty (generator, TRUE);
  return json_generator_to_data (generator, NULL);
}

static gint64
count_lines (const char *path)
{
  g_autofree char *text = NULL;
  gint64 n = 0;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    return -1;
  for (const char *p = text; *p; p++)
    n += *p == '\n';
  return n;
}

/* Runs src → out with @mode, "fail": both sides of a comparison. */
static SetlValidationReport *
run_with_mode (const char  *source,
               const char  *mode,
               GError     **run_error)
{
  g_autofree char *validate = g_strdup_printf ("{ \"output\": \"people.schema.json\", "
                                               "\"on-failure\": \"fail\", \"pushdown\": \"%s\" }", mode);
  g_autofree char *path = write_pipeline (source, validate, TRUE, NULL);
  g_autoptr(SetlPipeline) pipeline = run_file (path, run_error);
  SetlValidationReport *report = setl_validation_hook_get_report (find_factory (pipeline, "src"), NULL);

  g_assert_nonnull (report);
  return g_object_ref (report);
}

/* ---- tests ----------------------------------------------------------- */

/* Pushed down or in the client: one report (counts and failure cases). */
static void
compare_modes (const char *source,
               gint64      n_rows)
{
  g_autoptr(GError) pushed_error = NULL, client_error = NULL;
  g_autoptr(SetlValidationReport) pushed = run_with_mode (source, "auto", &pushed_error);
  g_autoptr(SetlValidationReport) client = run_with_mode (source, "never", &client_error);
  g_autofree char *pushed_json = report_json (pushed);
  g_autofree char *client_json = report_json (client);

  check_location (setl_validation_report_get_ran_in (pushed));
  g_assert_cmpstr (setl_validation_report_get_ran_in (client), ==, "client");
  g_assert_true (setl_validation_report_get_complete (pushed));
  g_assert_true (setl_validation_report_get_complete (client));
  g_assert_cmpint (setl_validation_report_get_n_rows (pushed), ==, n_rows);
  g_assert_cmpint (setl_validation_report_get_n_failures (pushed), >, 0);
  g_assert_cmpstr (pushed_json, ==, client_json);
  /* the failure cases, row by row */
  g_assert_cmpint (setl_table_get_n_rows (setl_validation_report_get_failure_cases (pushed)), ==,
                   setl_table_get_n_rows (setl_validation_report_get_failure_cases (client)));

  /* "fail": pushed down, the source fails (its data is invalid) and the
   * sink never runs; in the client, the sink fails once it read it all. */
  g_assert_nonnull (pushed_error);
  g_assert_nonnull (strstr (pushed_error->message, "“src”"));
  g_assert_nonnull (strstr (pushed_error->message, "in_range(min_value=0, max_value=120)"));
  g_assert_nonnull (client_error);
  g_assert_nonnull (strstr (client_error->message, "“out”"));
}

static void
test_same_report_table (void)
{
  create_tables ();
  compare_modes ("\"table\": \"people\"", 6);
}

static void
test_same_report_query (void)
{
  create_tables ();
  /* a query: its rows are validated as a common table expression, the
   * failure cases numbered in the query's order */
  compare_modes ("\"query\": \"SELECT * FROM people WHERE id >= 2 ORDER BY id\"", 5);
}

/* No one reads the source's output: in the client nothing is validated;
 * pushed down, the whole table is, without a row read by the client. */
static void
test_rows_not_read (void)
{
  g_autofree char *pushed_path = NULL, *client_path = NULL;
  g_autoptr(SetlPipeline) pushed = NULL, client = NULL;
  g_autoptr(GError) error = NULL;
  SetlValidationReport *report;

  create_tables ();
  pushed_path = write_pipeline ("\"table\": \"people\"",
                                "{ \"output\": \"people.schema.json\", \"on-failure\": \"fail\" }",
                                FALSE, NULL);
  pushed = run_file (pushed_path, &error);
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "Validated in the database, as SQL"));
  report = setl_validation_hook_get_report (find_factory (pushed, "src"), NULL);
  g_assert_true (setl_validation_report_get_complete (report));
  g_assert_cmpint (setl_validation_report_get_n_rows (report), ==, 6);
  g_assert_cmpint (setl_validation_report_count (report, SETL_VALIDATION_REASON_SERIES_CONTAINS_DUPLICATES,
                                                 "id", NULL), ==, 2);
  g_assert_cmpint (setl_validation_report_count (report, SETL_VALIDATION_REASON_SERIES_CONTAINS_NULLS,
                                                 "name", NULL), ==, 1);
  check_location (setl_validation_report_get_ran_in (report));
  g_clear_error (&error);

  client_path = write_pipeline ("\"table\": \"people\"",
                                "{ \"output\": \"people.schema.json\", \"on-failure\": \"fail\", "
                                "\"pushdown\": \"never\" }", FALSE, NULL);
  client = run_file (client_path, &error);
  g_assert_no_error (error);
  report = setl_validation_hook_get_report (find_factory (client, "src"), NULL);
  g_assert_false (setl_validation_report_get_complete (report));
  g_assert_cmpint (setl_validation_report_get_n_rows (report), ==, 0);
  g_assert_cmpstr (setl_validation_report_get_ran_in (report), ==, "client");
}

/* An input hook: the sink reading a source's rows fails before reading
 * them, and writes nothing. */
static void
test_input_hook (void)
{
  g_autofree char *path = NULL, *out = g_build_filename (test_dir, "out.jsonl", NULL);
  g_autoptr(SetlPipeline) pipeline = NULL;
  g_autoptr(GError) error = NULL;
  SetlValidationReport *report;

  create_tables ();
  g_remove (out);
  path = write_pipeline ("\"table\": \"people\"", NULL, TRUE,
                         "{ \"input\": { \"in\": \"people.schema.json\" }, \"on-failure\": \"fail\" }");
  pipeline = run_file (path, &error);
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "factory “out” input “in”"));
  g_assert_nonnull (strstr (error->message, "in read"));
  g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
  report = setl_validation_hook_get_report (find_factory (pipeline, "out"), "in");
  check_location (setl_validation_report_get_ran_in (report));
  g_assert_cmpint (setl_validation_report_get_n_rows (report), ==, 6);
}

/* "always" with a check that does not compile: the factory fails, naming
 * itself and the check; "auto" validates in the client. */
static void
test_always_uncompilable (void)
{
  g_autofree char *path = NULL;
  g_autoptr(SetlPipeline) always = NULL, fallback = NULL;
  g_autoptr(GError) error = NULL;
  SetlValidationReport *report;

  create_tables ();
  path = write_pipeline ("\"table\": \"people_ok\"",
                         "{ \"output\": \"coerced.schema.json\", \"on-failure\": \"fail\", "
                         "\"pushdown\": \"always\" }", TRUE, NULL);
  always = run_file (path, &error);
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "factory “src” output"));
  g_assert_nonnull (strstr (error->message, "pushdown “always”"));
  g_assert_nonnull (strstr (error->message, "column “age”: coercion cannot be pushed down"));
  g_clear_error (&error);

  g_free (path);
  path = write_pipeline ("\"table\": \"people_ok\"",
                         "{ \"output\": \"coerced.schema.json\", \"on-failure\": \"fail\" }", TRUE, NULL);
  fallback = run_file (path, &error);
  g_assert_no_error (error);
  report = setl_validation_hook_get_report (find_factory (fallback, "src"), NULL);
  g_assert_cmpstr (setl_validation_report_get_ran_in (report), ==, "client");
  g_assert_true (setl_validation_report_get_valid (report));
  g_assert_cmpint (setl_validation_report_get_n_rows (report), ==, 2);
}

/* "drop" needs the rows: in the client, the invalid ones dropped. */
static void
test_drop_falls_back (void)
{
  g_autofree char *path = NULL, *out = g_build_filename (test_dir, "out.jsonl", NULL);
  g_autoptr(SetlPipeline) pipeline = NULL;
  g_autoptr(GError) error = NULL;
  SetlValidationReport *report;

  create_tables ();
  path = write_pipeline ("\"table\": \"people\"",
                         "{ \"output\": \"people.schema.json\", \"on-failure\": \"drop\" }", TRUE, NULL);
  pipeline = run_file (path, &error);
  g_assert_no_error (error);
  report = setl_validation_hook_get_report (find_factory (pipeline, "src"), NULL);
  g_assert_cmpstr (setl_validation_report_get_ran_in (report), ==, "client");
  g_assert_cmpint (setl_validation_report_get_n_dropped_rows (report), ==, 2);
  g_assert_cmpint (count_lines (out), ==, 4);
}

/* Refused when the file is loaded: "always" cannot drop. */
static void
test_always_drop_refused (void)
{
  g_autofree char *path = write_pipeline ("\"table\": \"people\"",
                                          "{ \"output\": \"people.schema.json\", \"on-failure\": \"drop\", "
                                          "\"pushdown\": \"always\" }", TRUE, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(SetlPipelineFile) file = setl_pipeline_file_new_from_file (path, &error);
  g_autoptr(SetlPipeline) pipeline = NULL;

  if (file != NULL)
    pipeline = setl_pipeline_file_build (file, setl_plugin_registry_get_default (), &error);
  g_assert_null (pipeline);
  g_assert_error (error, SETL_PIPELINE_FILE_ERROR, SETL_PIPELINE_FILE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "hooks.setl.json:"));
  g_assert_nonnull (strstr (error->message, "\"always\" cannot go with"));
}

/* A stage boundary's hook takes "pushdown" too. */
static void
test_stage_hook (void)
{
  g_autofree char *db = database ();
  g_autofree char *text = g_strdup_printf (
    "{ \"setl\": 1, \"name\": \"stages\",\n"
    "  \"validate-stages\": [{\"stage\": 1, \"schema\": \"people.schema.json\", \"on-failure\": \"fail\",\n"
    "                        \"pushdown\": \"always\"}],\n"
    "  \"factories\": {\n"
    "    \"src\": { \"feature\": \"" BACKEND "-source\",\n"
    "             \"properties\": { \"database\": \"%s\", \"table\": \"people\" } } } }\n", db);
  g_autofree char *path = write_file ("stages.setl.json", text);
  g_autoptr(SetlPipeline) pipeline = NULL;
  g_autoptr(GError) error = NULL;
  SetlValidationReport *report;

  create_tables ();
  pipeline = run_file (path, &error);
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "factory “src” output"));
  report = setl_validation_hook_get_report (find_factory (pipeline, "src"), NULL);
  check_location (setl_validation_report_get_ran_in (report));
  g_assert_true (setl_validation_report_get_complete (report));
  g_assert_cmpint (setl_validation_report_get_n_rows (report), ==, 6);
}

/* A source that is no relation: "always" fails, "auto" validates in the
 * client. */
static void
test_not_a_relation (void)
{
  g_autofree char *csv = write_file ("people.csv", "id,name,age,email\n1,ann,30,ann@example.org\n");
  g_autofree char *text = g_strdup_printf (
    "{ \"setl\": 1, \"name\": \"csv\", \"factories\": {\n"
    "  \"src\": { \"feature\": \"csv-source\", \"properties\": { \"path\": \"%s\" },\n"
    "           \"validate\": { \"output\": \"people.schema.json\", \"pushdown\": \"always\" } } } }\n", csv);
  g_autofree char *path = write_file ("csv.setl.json", text);
  g_autoptr(SetlPipeline) pipeline = NULL;
  g_autoptr(GError) error = NULL;

  pipeline = run_file (path, &error);
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "factory “src” output"));
  g_assert_nonnull (strstr (error->message, "is not a relation in a SQL database"));
}

static int
run_tool (const char * const *args,
          char              **out,
          char              **err)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  int status = -1;

  g_ptr_array_add (argv, (gpointer) g_getenv ("SETL_TOOL"));
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                               out, err, &status, &error));
  g_assert_no_error (error);
  return WIFEXITED (status) ? WEXITSTATUS (status) : -1;
}

/* `setl validate --pushdown DATA --table T`: 1 invalid, 0 valid, 2 when
 * a check does not compile; a connection's password is never printed. */
static void
test_cli (void)
{
  g_autofree char *db = database ();
  g_autofree char *schema = g_build_filename (test_dir, "people.schema.json", NULL);
  g_autofree char *coerced = g_build_filename (test_dir, "coerced.schema.json", NULL);
  g_autofree char *report_path = g_build_filename (test_dir, "report.json", NULL);
  g_autofree char *out = NULL, *err = NULL, *json = NULL;
  const char *password = g_getenv ("SETL_TEST_PG_PW_PASSWORD");

  create_tables ();
  {
    const char *args[] = { "validate", "--schema", schema, db, "--table", "people", "--pushdown",
                           "--report", report_path, NULL };

    g_assert_cmpint (run_tool (args, &out, &err), ==, 1);
    g_assert_nonnull (strstr (out, "Validated in the database, as SQL"));
    g_assert_nonnull (strstr (out, "in_range(min_value=0, max_value=120): 2 failures"));
    g_assert_nonnull (strstr (out, "field_uniqueness: 2 failures"));
    g_assert_true (g_file_get_contents (report_path, &json, NULL, NULL));
    g_assert_nonnull (strstr (json, "\"ran_in\""));
    if (password != NULL)
      {
        g_assert_null (strstr (out, password));
        g_assert_null (strstr (err, password));
        g_assert_null (strstr (json, password));
      }
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
  }
  {
    const char *args[] = { "validate", "--schema", schema, db, "--table", "people_ok", "--pushdown", NULL };

    g_assert_cmpint (run_tool (args, &out, &err), ==, 0);
    g_assert_nonnull (strstr (out, ": valid (2 rows, schema people)"));
    if (password != NULL)
      g_assert_null (strstr (out, password));
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
  }
  {
    const char *args[] = { "validate", "--schema", coerced, db, "--table", "people_ok", "--pushdown", NULL };

    g_assert_cmpint (run_tool (args, &out, &err), ==, 2);
    g_assert_nonnull (strstr (err, "coercion cannot be pushed down"));
    if (password != NULL)
      g_assert_null (strstr (err, password));
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
  }
  {
    /* the same data in the client: the same verdict */
    const char *args[] = { "validate", "--schema", schema, db, "--table", "people", "--lazy", NULL };

    g_assert_cmpint (run_tool (args, &out, &err), ==, 1);
    g_assert_null (strstr (out, "Validated in the database"));
    g_assert_nonnull (strstr (out, "in_range(min_value=0, max_value=120): 2 failures"));
    if (password != NULL)
      g_assert_null (strstr (out, password));
  }
}

int
main (int argc, char **argv)
{
  g_autofree char *schema = NULL, *coerced = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  test_dir = g_dir_make_tmp ("setl-hooks-pushdown-XXXXXX", NULL);
  schema = write_file ("people.schema.json", schema_json);
  coerced = write_file ("coerced.schema.json", coerced_json);

  g_test_add_func ("/hooks-pushdown/" BACKEND "/same-report/table", test_same_report_table);
  g_test_add_func ("/hooks-pushdown/" BACKEND "/same-report/query", test_same_report_query);
  g_test_add_func ("/hooks-pushdown/" BACKEND "/rows-not-read", test_rows_not_read);
  g_test_add_func ("/hooks-pushdown/" BACKEND "/input-hook", test_input_hook);
  g_test_add_func ("/hooks-pushdown/" BACKEND "/always-uncompilable", test_always_uncompilable);
  g_test_add_func ("/hooks-pushdown/" BACKEND "/drop-falls-back", test_drop_falls_back);
  g_test_add_func ("/hooks-pushdown/" BACKEND "/always-drop-refused", test_always_drop_refused);
  g_test_add_func ("/hooks-pushdown/" BACKEND "/not-a-relation", test_not_a_relation);
  g_test_add_func ("/hooks-pushdown/" BACKEND "/stage-hook", test_stage_hook);
  g_test_add_func ("/hooks-pushdown/" BACKEND "/cli", test_cli);
  status = g_test_run ();

  {
    g_autofree char *command = g_strdup_printf ("rm -rf '%s'", test_dir);
    g_spawn_command_line_sync (command, NULL, NULL, NULL, NULL);
  }
  g_free (test_dir);
  return status;
}
