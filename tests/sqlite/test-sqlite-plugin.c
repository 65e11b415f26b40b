/* test-sqlite-plugin.c: the real sqlite module, found and loaded through the
 * registry, running source → sql → sink in a pipeline with its backend as
 * the job-group hook.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <setl/setl-plugin.h>

#include "sqlite-test-util.h"

static SetlFactory *
create (const char *feature)
{
  g_autoptr(GError) error = NULL;
  SetlFactory *f = setl_plugin_registry_create_factory (setl_plugin_registry_get_default (),
                                                        feature, &error);
  g_assert_no_error (error);
  g_assert_nonnull (f);
  return f;
}

static void
test_features (void)
{
  SetlPluginRegistry *registry = setl_plugin_registry_get_default ();
  static const struct { const char *name; SetlFeatureKind kind; } expected[] = {
    { "sqlite-source", SETL_FEATURE_KIND_SOURCE },
    { "sqlite-sink", SETL_FEATURE_KIND_SINK },
    { "sql", SETL_FEATURE_KIND_TRANSFORM },
    { "sqlite", SETL_FEATURE_KIND_BACKEND },
  };

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      SetlPluginFeature *f = setl_plugin_registry_lookup_feature (registry, expected[i].name);
      g_assert_nonnull (f);
      g_assert_cmpint (setl_plugin_feature_get_kind (f), ==, expected[i].kind);
      g_assert_cmpstr (setl_plugin_get_name (setl_plugin_feature_get_plugin (f)), ==, "sqlite");
    }
  /* properties come from the registry's metadata */
  g_assert_nonnull (setl_plugin_feature_find_property (
      setl_plugin_registry_lookup_feature (registry, "sqlite-sink"), "mode"));
  g_assert_nonnull (setl_plugin_feature_find_property (
      setl_plugin_registry_lookup_feature (registry, "sql"), "inputs"));
}

static void
test_pipeline (void)
{
  SetlPluginRegistry *registry = setl_plugin_registry_get_default ();
  char *dir = test_tmpdir_new ();
  g_autofree char *in = g_build_filename (dir, "in.db", NULL);
  g_autofree char *out = g_build_filename (dir, "out.db", NULL);
  g_autoptr(SetlFactory) people = create ("sqlite-source");
  g_autoptr(SetlFactory) cities = create ("sqlite-source");
  g_autoptr(SetlFactory) sql = create ("sql");
  g_autoptr(SetlFactory) sink = create ("sqlite-sink");
  g_autoptr(GObject) backend = NULL;
  g_autoptr(SetlPipeline) p = setl_pipeline_new ("citizens");
  g_autoptr(GError) error = NULL;
  g_autofree char *got = NULL, *want = NULL, *groups = NULL;
  const GValue *rows;
  GString *insert = g_string_new ("INSERT INTO people VALUES ");

  test_sql_exec (in, "CREATE TABLE cities (id INTEGER NOT NULL, country TEXT);"
                     "INSERT INTO cities VALUES (1, 'France'), (2, 'Perú'), (3, 'France'), (4, NULL);"
                     "CREATE TABLE people (id INTEGER, city_id INTEGER, age REAL);");
  for (int i = 0; i < 500; i++)
    g_string_append_printf (insert, "%s(%d, %s, %d.5)", i ? ", " : "", i,
                            i % 13 == 0 ? "NULL" : (const char *[]) { "1", "2", "3", "4", "5" }[i % 5],
                            i % 70);
  test_sql_exec (in, insert->str);
  g_string_free (insert, TRUE);

  backend = setl_plugin_feature_create (setl_plugin_registry_lookup_feature (registry, "sqlite"), &error);
  g_assert_no_error (error);
  g_assert_true (SETL_IS_JOB_GROUP_HOOK (backend));

  setl_factory_set_name (people, "people");
  setl_factory_set_delivery_id (people, "people");
  g_object_set (people, "database", in, "table", "people", "batch-size", 64, NULL);
  setl_factory_set_name (cities, "cities");
  setl_factory_set_delivery_id (cities, "cities");
  g_object_set (cities, "database", in, "query", "SELECT id, country FROM cities", NULL);

  setl_factory_set_name (sql, "per-country");
  g_object_set (sql, "inputs", "people,cities",
                "query", "SELECT c.country, count(*) AS n, avg(p.age) AS mean_age, "
                         "setl_job_group() AS job_group "
                         "FROM people p JOIN cities c ON c.id = p.city_id "
                         "GROUP BY c.country ORDER BY c.country",
                NULL);
  /* wired as the pipeline-file loader does: slot delivery id = producer */
  setl_delivery_set_delivery_id (setl_factory_get_delivery (sql, "people"), "people");
  setl_delivery_set_delivery_id (setl_factory_get_delivery (sql, "cities"), "cities");

  setl_factory_set_name (sink, "save");
  g_object_set (sink, "database", out, "table", "per country", NULL);

  setl_pipeline_add_factory (p, people);
  setl_pipeline_add_factory (p, cities);
  setl_pipeline_add_factory (p, sql);
  setl_pipeline_add_factory (p, sink);
  setl_pipeline_add_job_group_hook (p, SETL_JOB_GROUP_HOOK (backend));
  g_assert_true (setl_pipeline_run (p, NULL, &error));
  g_assert_no_error (error);

  rows = setl_pipeline_get_output_by_name (p, "save", &error);
  g_assert_no_error (error);
  g_assert_nonnull (rows);
  g_assert_cmpint (g_value_get_int64 (rows), ==, 3);   /* France, Perú, NULL country */
  g_assert_cmpint (setl_factory_get_rows (SETL_FACTORY (sink)), ==, 3);   /* the progress count */

  /* the same query on the real tables, by SQLite alone */
  got = test_sql_dump (out, "SELECT country, n, mean_age FROM \"per country\" ORDER BY country");
  want = test_sql_dump (in, "SELECT c.country, count(*), avg(p.age) FROM people p "
                            "JOIN cities c ON c.id = p.city_id GROUP BY c.country ORDER BY c.country");
  g_assert_cmpstr (got, ==, want);
  /* the query ran in the sink's job group, which pulled the rows */
  groups = test_sql_dump (out, "SELECT DISTINCT job_group FROM \"per country\"");
  g_assert_true (g_str_has_prefix (groups, "'citizens/stage-"));
  g_assert_true (g_str_has_suffix (groups, "/save'\n"));
  test_tmpdir_remove (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sqlite/plugin/features", test_features);
  g_test_add_func ("/sqlite/plugin/pipeline", test_pipeline);
  return g_test_run ();
}
