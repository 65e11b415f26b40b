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

/* One pipeline file; only the features' backend differs (@SQL@, @DB@). */
static const char pipeline_template[] =
  "{\n"
  "  \"setl\": 1,\n"
  "  \"name\": \"citizens\",\n"
  "  \"parameters\": { \"database\": { \"type\": \"string\" }, \"data\": { \"type\": \"string\" } },\n"
  "  \"factories\": [\n"
  "    { \"name\": \"people\", \"feature\": \"csv-source\", \"properties\": { \"path\": \"${data}/people.csv\" } },\n"
  "    { \"name\": \"cities\", \"feature\": \"csv-source\", \"properties\": { \"path\": \"${data}/cities.csv\" } },\n"
  "    { \"name\": \"per-country\", \"feature\": \"@SQL@\",\n"
  "      \"properties\": { \"database\": \"${database}\",\n"
  "        \"query\": \"SELECT c.country, count(*) AS n, sum(p.age) AS total_age, min(p.name) AS first_name "
  "FROM people p JOIN cities c ON c.id = p.city_id WHERE p.age >= 18 GROUP BY c.country\" },\n"
  "      \"inputs\": { \"people\": \"people\", \"cities\": \"cities\" } },\n"
  "    { \"name\": \"save\", \"feature\": \"@DB@-sink\",\n"
  "      \"properties\": { \"database\": \"${database}\", \"table\": \"per country\" },\n"
  "      \"inputs\": { \"in\": \"per-country\" } }\n"
  "  ]\n"
  "}\n";

static char *
pipeline_for (const char *sql_feature, const char *db)
{
  g_autoptr(GString) s = g_string_new (pipeline_template);

  g_string_replace (s, "@SQL@", sql_feature, 0);
  g_string_replace (s, "@DB@", db, 0);
  return g_string_free (g_steal_pointer (&s), FALSE);
}

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

static char *
run_and_read_back (const char *sql_feature, const char *db, const char *database, const char *data)
{
  SetlPluginRegistry *registry = setl_plugin_registry_get_default ();
  g_autoptr(GError) error = NULL;
  g_autofree char *text = pipeline_for (sql_feature, db);
  g_autofree char *source_feature = g_strdup_printf ("%s-source", db);
  g_autoptr(SetlPipelineFile) file = NULL;
  g_autoptr(SetlPipeline) pipeline = NULL;
  g_autoptr(SetlFactory) back = NULL;
  g_autoptr(SetlTable) table = NULL;
  GValue out = G_VALUE_INIT;

  file = setl_pipeline_file_new_from_data (text, -1, "citizens.setl.json", data, &error);
  g_assert_no_error (error);
  g_assert_true (setl_pipeline_file_set_parameter (file, "database", database, &error));
  g_assert_true (setl_pipeline_file_set_parameter (file, "data", data, &error));
  pipeline = setl_pipeline_file_build (file, registry, &error);
  g_assert_no_error (error);
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
  g_autofree char *on_sqlite = NULL, *on_postgres = NULL;

  g_assert_true (g_file_set_contents (sqlite_db, "", 0, NULL));   /* "sql" reads an existing file */
  on_sqlite = run_and_read_back ("sql", "sqlite", sqlite_db, data);
  on_postgres = run_and_read_back ("postgres-sql", "postgres", test_pg_uri (), data);
  g_test_message ("SQLite:\n%sPostgreSQL:\n%s", on_sqlite, on_postgres);
  g_assert_cmpstr (on_sqlite, ==, on_postgres);
  g_assert_true (g_str_has_prefix (on_postgres, "\"Chile\"|"));
  {
    g_auto(GStrv) lines = g_strsplit (on_postgres, "\n", -1);
    g_assert_cmpuint (g_strv_length (lines), ==, 5);   /* 4 countries + "" */
  }
  g_unlink (sqlite_db);
}

static char *
setl_check (const char *file, const char *database, const char *data)
{
  g_autofree char *db_param = g_strdup_printf ("database=%s", database);
  g_autofree char *data_param = g_strdup_printf ("data=%s", data);
  const char *argv[] = { g_getenv ("SETL_TOOL"), "check", file, "--param", db_param,
                         "--param", data_param, NULL };
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
  g_autofree char *text = pipeline_for ("postgres-sql", "postgres");
  g_autofree char *out = NULL, *pushed_out = NULL;
  g_autoptr(GString) pushed = g_string_new (text);
  const char *uri = test_pg_uri ();

  g_assert_true (g_file_set_contents (path, text, -1, NULL));
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

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  test_pg_uri ();
  g_test_add_func ("/postgres/plugin/features", test_features);
  g_test_add_func ("/postgres/plugin/same-pipeline-on-sqlite-and-postgres", test_same_pipeline_both_backends);
  g_test_add_func ("/postgres/plugin/check-shows-where", test_check_shows_where);
  return g_test_run ();
}
