/* test-postgres-plugin.c: the real postgres module through the registry:
 * its features, one pipeline file run on both backends (SQLite and
 * PostgreSQL) with the same results, and `setl check` saying where each
 * factory runs.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>

#include <glib/gstdio.h>
#include <setl/setl-plugin.h>

#include "pg-test-util.h"

static void
test_features (void)
{
  SetlPluginRegistry *registry = setl_plugin_registry_get_default ();
  static const struct { const char *name; SetlFeatureKind kind; } expected[] = {
    { "postgres-source", SETL_FEATURE_KIND_SOURCE },
    { "postgres-sink", SETL_FEATURE_KIND_SINK },
    { "postgres-sql", SETL_FEATURE_KIND_TRANSFORM },
    { "postgres", SETL_FEATURE_KIND_BACKEND },
  };

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      SetlPluginFeature *f = setl_plugin_registry_lookup_feature (registry, expected[i].name);
      g_assert_nonnull (f);
      g_assert_cmpint (setl_plugin_feature_get_kind (f), ==, expected[i].kind);
      g_assert_cmpstr (setl_plugin_get_name (setl_plugin_feature_get_plugin (f)), ==, "postgres");
    }
  /* the same property names as the sqlite features, where they apply */
  g_assert_nonnull (setl_plugin_feature_find_property (
      setl_plugin_registry_lookup_feature (registry, "postgres-sink"), "mode"));
  g_assert_nonnull (setl_plugin_feature_find_property (
      setl_plugin_registry_lookup_feature (registry, "postgres-sql"), "inputs"));
  g_assert_nonnull (setl_plugin_feature_find_property (
      setl_plugin_registry_lookup_feature (registry, "postgres-source"), "database"));
}

/* One pipeline file for both backends: the "backend" parameter picks the
 * features (sqlite-sql / postgres-sql, sqlite-sink / postgres-sink). */
static const char pipeline_text[] =
  "{\n"
  "  \"setl\": 1,\n"
  "  \"name\": \"citizens\",\n"
  "  \"parameters\": { \"database\": { \"type\": \"string\" }, \"data\": { \"type\": \"string\" },\n"
  "                  \"backend\": { \"type\": \"string\", \"description\": \"sqlite or postgres\" } },\n"
  "  \"factories\": [\n"
  "    { \"name\": \"people\", \"feature\": \"csv-source\", \"properties\": { \"path\": \"${data}/people.csv\" } },\n"
  "    { \"name\": \"cities\", \"feature\": \"csv-source\", \"properties\": { \"path\": \"${data}/cities.csv\" } },\n"
  "    { \"name\": \"per-country\", \"feature\": \"${backend}-sql\",\n"
  "      \"properties\": { \"database\": \"${database}\",\n"
  "        \"query\": \"SELECT c.country, count(*) AS n, sum(p.age) AS total_age, min(p.name) AS first_name "
  "FROM people p JOIN cities c ON c.id = p.city_id WHERE p.age >= 18 GROUP BY c.country\" },\n"
  "      \"inputs\": { \"people\": \"people\", \"cities\": \"cities\" } },\n"
  "    { \"name\": \"save\", \"feature\": \"${backend}-sink\",\n"
  "      \"properties\": { \"database\": \"${database}\", \"table\": \"per country\" },\n"
  "      \"inputs\": { \"in\": \"per-country\" } }\n"
  "  ]\n"
  "}\n";

static char *
write_data (void)
{
  char *dir = g_dir_make_tmp ("setl-pg-compare-XXXXXX", NULL);
  g_autofree char *people = g_build_filename (dir, "people.csv", NULL);
  g_autofree char *cities = g_build_filename (dir, "cities.csv", NULL);
  g_autoptr(GString) csv = g_string_new ("id,name,city_id,age\n");
  static const char *names[] = { "Ana", "Bo", "Zoé", "Chloé", "Émile", "ßen" };

  for (int i = 0; i < 3000; i++)
    g_string_append_printf (csv, "%d,%s %d,%d,%d.25\n", i, names[i % 6], i, i % 7 + 1, i % 90);
  g_assert_true (g_file_set_contents (people, csv->str, -1, NULL));
  g_assert_true (g_file_set_contents (cities, "id,country\n1,France\n2,Perú\n3,France\n4,Japan\n"
                                              "5,Perú\n6,Chile\n", -1, NULL));
  return dir;
}

/* Runs the file as `setl run FILE --param backend=@db …` would, then reads
 * the table back through that backend's source. */
static char *
run_and_read_back (const char *path, const char *db, const char *database, const char *data)
{
  SetlPluginRegistry *registry = setl_plugin_registry_get_default ();
  g_autoptr(GError) error = NULL;
  g_autofree char *source_feature = g_strdup_printf ("%s-source", db);
  g_autofree char *backend = g_strdup_printf ("backend=%s", db);
  g_autoptr(SetlPipelineFile) file = NULL;
  g_autoptr(SetlPipeline) pipeline = NULL;
  g_autoptr(SetlFactory) back = NULL;
  g_autoptr(SetlTable) table = NULL;
  GValue out = G_VALUE_INIT;

  file = setl_pipeline_file_new_from_file (path, &error);
  g_assert_no_error (error);
  g_assert_true (setl_pipeline_file_set_parameter_from_string (file, backend, &error));
  g_assert_true (setl_pipeline_file_set_parameter (file, "database", database, &error));
  g_assert_true (setl_pipeline_file_set_parameter (file, "data", data, &error));
  pipeline = setl_pipeline_file_build (file, registry, &error);
  g_assert_no_error (error);
  {
    g_autofree char *sink = g_strdup_printf ("%s-sink", db);
    g_autofree char *sql = g_strdup_printf ("%s-sql", db);

    /* the features the parameter picked */
    g_assert_cmpstr (setl_pipeline_file_get_factory_feature (file, "save"), ==, sink);
    g_assert_cmpstr (setl_pipeline_file_get_factory_feature (file, "per-country"), ==, sql);
  }
  g_assert_true (setl_pipeline_run (pipeline, NULL, &error));
  g_assert_no_error (error);

  /* read the table back through the same backend */
  back = setl_plugin_registry_create_factory (registry, source_feature, &error);
  g_assert_no_error (error);
  g_object_set (back, "database", database,
                "query", "SELECT country, n, total_age, first_name FROM \"per country\" ORDER BY country", NULL);
  g_assert_true (setl_factory_read (back, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (setl_factory_get (back, &out, &error));
  table = setl_batch_stream_collect (g_value_get_object (&out), NULL, &error);
  g_value_unset (&out);
  g_assert_no_error (error);
  return test_table_dump (table);
}

static void
test_same_pipeline_both_backends (void)
{
  g_autofree char *data = write_data ();
  g_autofree char *sqlite_db = g_build_filename (data, "out.db", NULL);
  g_autofree char *path = g_build_filename (data, "citizens.setl.json", NULL);
  g_autofree char *on_sqlite = NULL, *on_postgres = NULL;

  g_assert_true (g_file_set_contents (path, pipeline_text, -1, NULL));
  g_assert_true (g_file_set_contents (sqlite_db, "", 0, NULL));   /* "sql" reads an existing file */
  on_sqlite = run_and_read_back (path, "sqlite", sqlite_db, data);
  on_postgres = run_and_read_back (path, "postgres", test_pg_uri (), data);
  g_test_message ("SQLite:\n%sPostgreSQL:\n%s", on_sqlite, on_postgres);
  g_assert_cmpstr (on_sqlite, ==, on_postgres);
  g_assert_true (g_str_has_prefix (on_postgres, "\"Chile\"|"));
  {
    g_auto(GStrv) lines = g_strsplit (on_postgres, "\n", -1);
    g_assert_cmpuint (g_strv_length (lines), ==, 5);   /* 4 countries + "" */
  }
  g_unlink (sqlite_db);
  g_unlink (path);
}

static char *
setl_check (const char *file, const char *database, const char *data)
{
  g_autofree char *db_param = g_strdup_printf ("database=%s", database);
  g_autofree char *data_param = g_strdup_printf ("data=%s", data);
  const char *argv[] = { g_getenv ("SETL_TOOL"), "check", file, "--param", db_param,
                         "--param", data_param, "--param", "backend=postgres", NULL };
  g_autoptr(GError) error = NULL;
  char *out = NULL;
  g_autofree char *err = NULL;
  int status;

  g_assert_nonnull (argv[0]);
  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status, &error);
  g_assert_no_error (error);
  g_test_message ("setl check:\n%s%s", out, err);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  return out;
}

static void
test_check_shows_where (void)
{
  g_autofree char *data = write_data ();
  g_autofree char *path = g_build_filename (data, "citizens.setl.json", NULL);
  g_autofree char *pushed_path = g_build_filename (data, "pushed.setl.json", NULL);
  g_autofree char *out = NULL, *pushed_out = NULL;
  g_autoptr(GString) pushed = g_string_new (pipeline_text);
  const char *uri = test_pg_uri ();

  g_assert_true (g_file_set_contents (path, pipeline_text, -1, NULL));
  out = setl_check (path, uri, data);
  /* CSV inputs: the rows go through the client to the server */
  g_assert_nonnull (strstr (out, "[runs in client → postgresql://postgres@"));
  g_assert_null (strstr (out, "csv-source     [runs"));

  /* sources in the database: everything runs there */
  g_string_replace (pushed, "\"feature\": \"csv-source\", \"properties\": { \"path\": \"${data}/people.csv\" }",
                    "\"feature\": \"postgres-source\", \"properties\": { \"database\": \"${database}\", \"table\": \"people\" }", 0);
  g_string_replace (pushed, "\"feature\": \"csv-source\", \"properties\": { \"path\": \"${data}/cities.csv\" }",
                    "\"feature\": \"postgres-source\", \"properties\": { \"database\": \"${database}\", \"table\": \"cities\" }", 0);
  g_assert_true (g_file_set_contents (pushed_path, pushed->str, -1, NULL));
  pushed_out = setl_check (pushed_path, uri, data);
  g_assert_null (strstr (pushed_out, "client"));
  g_assert_nonnull (strstr (pushed_out, "per-country"));
  {
    g_auto(GStrv) lines = g_strsplit (pushed_out, "\n", -1);
    guint in_server = 0;
    for (guint i = 0; lines[i]; i++)
      in_server += strstr (lines[i], "[runs in postgresql://postgres@") != NULL;
    g_assert_cmpuint (in_server, ==, 4);
  }

  /* a password in a parameter is not printed */
  {
    g_autofree char *secret_out = setl_check (path, "postgresql://someone:S3CRET-pw@db.example:5432/prod", data);
    g_autofree char *kv_out = setl_check (path, "host=db.example password='S3CRET pw' dbname=prod", data);
    g_assert_null (strstr (secret_out, "S3CRET"));
    g_assert_nonnull (strstr (secret_out, "postgresql://someone:***@db.example:5432/prod"));
    g_assert_nonnull (strstr (secret_out, "[runs in client → postgresql://someone@db.example:5432/prod]"));
    g_assert_null (strstr (kv_out, "S3CRET"));
  }
  g_unlink (path);
  g_unlink (pushed_path);
}

/* ---- caching ------------------------------------------------------------ */

/* A source table → filter → JSONL file, with a disk cache next to the file.
 * The connection is a URI with a password: it must not reach the key. */
static const char cached_text[] =
  "{\n"
  "  \"setl\": 1,\n"
  "  \"name\": \"cached\",\n"
  "  \"parameters\": { \"database\": { \"type\": \"string\" } },\n"
  "  \"cache\": { \"policy\": \"disk\", \"dir\": \"${pipeline_dir}/cache\" @FINGERPRINT@ },\n"
  "  \"factories\": {\n"
  "    \"src\": { \"feature\": \"postgres-source\", \"properties\": { \"database\": \"${database}\", @WHAT@ } },\n"
  "    \"adults\": { \"feature\": \"filter\", \"properties\": { \"where\": \"age >= 18\" }, \"inputs\": { \"in\": \"src\" } },\n"
  "    \"out\": { \"feature\": \"jsonl-sink\", \"properties\": { \"path\": \"${pipeline_dir}/adults.jsonl\" },\n"
  "             \"inputs\": { \"in\": \"adults\" } }\n"
  "  }\n"
  "}\n";

static char *
password_uri (void)
{
  const char *port = g_getenv ("SETL_TEST_PG_TCP_PORT");
  const char *user = g_getenv ("SETL_TEST_PG_PW_USER");
  const char *password = g_getenv ("SETL_TEST_PG_PW_PASSWORD");

  g_assert_nonnull (port);
  g_assert_nonnull (user);
  g_assert_nonnull (password);
  return g_strdup_printf ("postgresql://%s:%s@127.0.0.1:%s/setl_test", user, password, port);
}

static char *
write_cached_pipeline (const char *dir, const char *what, gboolean content)
{
  g_autoptr(GString) text = g_string_new (cached_text);
  char *path = g_build_filename (dir, "cached.setl.json", NULL);

  g_string_replace (text, "@WHAT@", what, 0);
  g_string_replace (text, "@FINGERPRINT@", content ? ", \"fingerprint\": \"content\"" : "", 0);
  g_assert_true (g_file_set_contents (path, text->str, -1, NULL));
  return path;
}

/* Builds and runs the file once, as a new process would. */
static SetlPipeline *
run_cached (const char *path, const char *database)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SetlPipelineFile) file = setl_pipeline_file_new_from_file (path, &error);
  SetlPipeline *pipeline;

  g_assert_no_error (error);
  g_assert_true (setl_pipeline_file_set_parameter (file, "database", database, &error));
  pipeline = setl_pipeline_file_build (file, setl_plugin_registry_get_default (), &error);
  g_assert_no_error (error);
  g_assert_true (setl_pipeline_run (pipeline, NULL, &error));
  g_assert_no_error (error);
  return pipeline;
}

static SetlFactoryResult *
result_of (SetlPipeline *pipeline, const char *name)
{
  SetlFactoryResult *r = setl_run_report_find (setl_pipeline_get_report (pipeline), name);

  g_assert_nonnull (r);
  return r;
}

static void
assert_reused (SetlPipeline *pipeline, const char *name, gboolean reused)
{
  SetlFactoryResult *r = result_of (pipeline, name);

  g_test_message ("%s: %s (cache: %s)", name, setl_factory_status_to_string (setl_factory_result_get_status (r)),
                  setl_cache_miss_reason_to_string (setl_factory_result_get_cache_reason (r)));
  if (reused)
    g_assert_cmpint (setl_factory_result_get_status (r), ==, SETL_FACTORY_STATUS_REUSED);
  else
    g_assert_cmpint (setl_factory_result_get_status (r), ==, SETL_FACTORY_STATUS_SUCCEEDED);
}

static gboolean
strv_has (const char * const *v, const char *s)
{
  return v != NULL && g_strv_contains (v, s);
}

/* Writes @sql in a session of its own, and has that session publish its
 * statistics at once (as a writer that wants its change seen immediately
 * does): PostgreSQL otherwise may publish them up to ten seconds later. */
static void
write_and_flush (const char *sql)
{
  PGconn *conn = test_pg_connect ();
  PGresult *res = PQexec (conn, sql);

  g_assert_cmpint (PQresultStatus (res), ==, PGRES_COMMAND_OK);
  PQclear (res);
  res = PQexec (conn, "SELECT pg_stat_force_next_flush()");
  g_assert_cmpint (PQresultStatus (res), ==, PGRES_TUPLES_OK);
  PQclear (res);
  PQfinish (conn);
}

static char *
dir_contents (const char *dir)
{
  GString *all = g_string_new (NULL);
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autofree char *contents = NULL;
      gsize length;

      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        {
          g_autofree char *sub = dir_contents (path);
          g_string_append (all, sub);
        }
      else if (g_file_get_contents (path, &contents, &length, NULL))
        /* entries may be compressed: keys are stored as metadata next to them */
        for (gsize i = 0; i < length; i++)
          g_string_append_c (all, contents[i] ? contents[i] : '\n');
    }
  return g_string_free (all, FALSE);
}

static void
pf_remove (const char *dir)
{
  g_autofree char *cmd = NULL;
  g_autofree char *quoted = g_shell_quote (dir);

  g_assert_true (g_str_has_prefix (dir, g_get_tmp_dir ()));
  cmd = g_strdup_printf ("rm -rf %s", quoted);
  g_assert_true (g_spawn_command_line_sync (cmd, NULL, NULL, NULL, NULL));
}

static void
test_cache_table_source (void)
{
  g_autofree char *dir = g_dir_make_tmp ("setl-pg-cache-XXXXXX", NULL);
  g_autofree char *path = write_cached_pipeline (dir, "\"table\": \"cache src\"", FALSE);
  g_autofree char *cache = g_build_filename (dir, "cache", NULL);
  g_autofree char *out_path = g_build_filename (dir, "adults.jsonl", NULL);
  g_autofree char *database = password_uri ();
  g_autofree char *grant = g_strdup_printf ("GRANT SELECT ON \"cache src\" TO \"%s\"",
                                            g_getenv ("SETL_TEST_PG_PW_USER"));
  const char *password = g_getenv ("SETL_TEST_PG_PW_PASSWORD");
  g_autoptr(SetlPipeline) p1 = NULL, p2 = NULL, p3 = NULL, p4 = NULL;
  g_autofree char *jsonl = NULL;
  const char * const *changed;

  test_pg_exec ("DROP TABLE IF EXISTS \"cache src\"");
  test_pg_exec ("CREATE TABLE \"cache src\" (id int, name text, age int)");
  test_pg_exec ("INSERT INTO \"cache src\" VALUES (1, 'Ana', 30), (2, 'Bo', 12), (3, 'Cy', 50)");
  test_pg_exec (grant);

  p1 = run_cached (path, database);
  assert_reused (p1, "src", FALSE);
  assert_reused (p1, "adults", FALSE);
  assert_reused (p1, "out", FALSE);

  /* nothing changed: everything is reused */
  p2 = run_cached (path, database);
  assert_reused (p2, "src", TRUE);
  assert_reused (p2, "adults", TRUE);
  assert_reused (p2, "out", TRUE);

  /* a row inserted: the source and what follows run again */
  write_and_flush ("INSERT INTO \"cache src\" VALUES (4, 'Dee', 41)");
  p3 = run_cached (path, database);
  assert_reused (p3, "src", FALSE);
  g_assert_cmpint (setl_factory_result_get_cache_reason (result_of (p3, "src")), ==,
                   SETL_CACHE_MISS_KEY_CHANGED);
  changed = setl_factory_result_get_cache_changed (result_of (p3, "src"));
  g_assert_true (strv_has (changed, "input:table-stats"));
  assert_reused (p3, "adults", FALSE);
  assert_reused (p3, "out", FALSE);
  g_assert_true (g_file_get_contents (out_path, &jsonl, NULL, NULL));
  g_assert_nonnull (strstr (jsonl, "Dee"));
  g_clear_pointer (&jsonl, g_free);

  /* a column added changes neither the counters nor the file: the
   * columns are in the key */
  test_pg_exec ("ALTER TABLE \"cache src\" ADD COLUMN city text DEFAULT 'Lyon'");
  p4 = run_cached (path, database);
  assert_reused (p4, "src", FALSE);
  changed = setl_factory_result_get_cache_changed (result_of (p4, "src"));
  g_assert_true (strv_has (changed, "input:table"));
  g_assert_true (g_file_get_contents (out_path, &jsonl, NULL, NULL));
  g_assert_nonnull (strstr (jsonl, "Lyon"));

  /* the password is nowhere: not in a key, not in the cache's files, not
   * in `setl cache explain` — the connection's identity is */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(SetlCacheKey) key = setl_pipeline_compute_cache_key (p4, "src", NULL, &error);
    g_autofree char *files = dir_contents (cache);
    g_autofree char *param = g_strdup_printf ("database=%s", database);
    g_autofree char *identity = g_strdup_printf ("postgresql://%s@127.0.0.1:%s/setl_test",
                                                 g_getenv ("SETL_TEST_PG_PW_USER"),
                                                 g_getenv ("SETL_TEST_PG_TCP_PORT"));
    const char *argv[] = { g_getenv ("SETL_TOOL"), "cache", "explain", path, "src", "--param", param, NULL };
    g_autofree char *out = NULL, *err = NULL;
    int status;

    g_assert_no_error (error);
    g_assert_nonnull (key);
    g_assert_null (setl_cache_key_lookup (key, "property:database"));
    g_assert_null (setl_cache_key_lookup (key, "property:pool-size"));
    g_assert_null (setl_cache_key_lookup (key, "property:batch-size"));
    g_assert_cmpstr (setl_cache_key_lookup (key, "input:database"), ==, identity);
    for (guint i = 0; i < setl_cache_key_get_n_ingredients (key); i++)
      g_assert_null (strstr (setl_cache_key_get_ingredient_value (key, i), password));
    g_assert_cmpuint (strlen (files), >, 0);
    g_assert_nonnull (strstr (files, "input:table-stats"));   /* the keys are in there */
    g_assert_null (strstr (files, password));

    g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status, &error);
    g_assert_no_error (error);
    g_test_message ("setl cache explain:\n%s%s", out, err);
    g_assert_true (g_spawn_check_wait_status (status, NULL));
    g_assert_nonnull (strstr (out, "status:  hit"));
    g_assert_nonnull (strstr (out, identity));
    g_assert_null (strstr (out, password));
    g_assert_null (strstr (err, password));
  }
  test_pg_exec ("DROP TABLE \"cache src\"");
  pf_remove (dir);
}

/* A query: nothing cheap says when what it reads changed — it runs every
 * time (reason "uncacheable"), unless the cache hashes content. */
static void
test_cache_query_source (void)
{
  g_autofree char *dir = g_dir_make_tmp ("setl-pg-cache-XXXXXX", NULL);
  g_autofree char *path = write_cached_pipeline (dir, "\"query\": \"SELECT * FROM \\\"cache q\\\"\"", FALSE);
  const char *uri = test_pg_uri ();
  g_autoptr(SetlPipeline) p1 = NULL, p2 = NULL, c1 = NULL, c2 = NULL, c3 = NULL;

  test_pg_exec ("DROP TABLE IF EXISTS \"cache q\"");
  test_pg_exec ("CREATE TABLE \"cache q\" (id int, name text, age int)");
  test_pg_exec ("INSERT INTO \"cache q\" VALUES (1, 'Ana', 30), (2, 'Bo', 12)");

  p1 = run_cached (path, uri);
  p2 = run_cached (path, uri);
  assert_reused (p2, "src", FALSE);
  g_assert_cmpint (setl_factory_result_get_cache_reason (result_of (p2, "src")), ==,
                   SETL_CACHE_MISS_UNCACHEABLE);
  assert_reused (p2, "adults", FALSE);
  assert_reused (p2, "out", FALSE);

  /* "fingerprint": "content": the rows are hashed in the server */
  g_free (path);
  path = write_cached_pipeline (dir, "\"query\": \"SELECT * FROM \\\"cache q\\\"\"", TRUE);
  c1 = run_cached (path, uri);
  c2 = run_cached (path, uri);
  assert_reused (c2, "src", TRUE);
  assert_reused (c2, "out", TRUE);
  test_pg_exec ("UPDATE \"cache q\" SET age = 20 WHERE id = 2");
  c3 = run_cached (path, uri);
  assert_reused (c3, "src", FALSE);
  g_assert_true (strv_has (setl_factory_result_get_cache_changed (result_of (c3, "src")), "input:content"));
  assert_reused (c3, "out", FALSE);
  test_pg_exec ("DROP TABLE \"cache q\"");
  pf_remove (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  test_pg_uri ();
  g_test_add_func ("/postgres/plugin/features", test_features);
  g_test_add_func ("/postgres/plugin/same-pipeline-on-sqlite-and-postgres", test_same_pipeline_both_backends);
  g_test_add_func ("/postgres/plugin/check-shows-where", test_check_shows_where);
  g_test_add_func ("/postgres/plugin/cache/table-source", test_cache_table_source);
  g_test_add_func ("/postgres/plugin/cache/query-source", test_cache_query_source);
  return g_test_run ();
}
