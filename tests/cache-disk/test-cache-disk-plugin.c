/* test-cache-disk-plugin.c: the cache-disk plugin as users get it — the
 * shared module found by the registry, its "disk" feature created by name
 * and used as a cache policy.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <setl/setl-plugin.h>
#include <glib/gstdio.h>
#include <string.h>

#include <sys/wait.h>

#include "cache-disk-test-util.h"

static char *tmpdir;

/* Warnings logged through the structured API (the pipeline's setl_log())
 * are collected here instead of aborting the test; g_warning() from the
 * plugin goes through g_test_expect_message() as usual. */
static GPtrArray *structured_warnings;

static GLogWriterOutput
collect_warnings (GLogLevelFlags   level,
                  const GLogField *fields,
                  gsize            n_fields,
                  gpointer         user_data)
{
  if (level & (G_LOG_LEVEL_WARNING | G_LOG_LEVEL_CRITICAL))
    for (gsize i = 0; i < n_fields; i++)
      if (strcmp (fields[i].key, "MESSAGE") == 0 && structured_warnings != NULL)
        {
          g_ptr_array_add (structured_warnings, g_strdup (fields[i].value));
          return G_LOG_WRITER_HANDLED;
        }
  return g_log_writer_default (level, fields, n_fields, user_data);
}

/* What `setl plugins` and `setl inspect` show comes from the registry's
 * metadata, before the module is loaded. */
static void
test_feature (void)
{
  SetlPluginRegistry *registry = setl_plugin_registry_get_default ();
  SetlPluginFeature *feature = setl_plugin_registry_lookup_feature (registry, "disk");
  SetlPlugin *plugin = setl_plugin_registry_lookup_plugin (registry, "cache-disk");
  static const char *const props[] = { "dir", "max-size", "ttl", "compression-level", "verify" };

  g_assert_nonnull (plugin);
  g_assert_nonnull (feature);
  g_assert_cmpint (setl_plugin_feature_get_kind (feature), ==, SETL_FEATURE_KIND_CACHE_POLICY);
  g_assert_cmpstr (setl_feature_kind_to_string (setl_plugin_feature_get_kind (feature)), ==,
                   "cache-policy");
  g_assert_cmpstr (setl_plugin_feature_get_type_name (feature), ==, "SetlDiskCache");
  for (guint i = 0; i < G_N_ELEMENTS (props); i++)
    if (setl_plugin_feature_find_property (feature, props[i]) == NULL)
      g_error ("The disk feature does not list property “%s”", props[i]);
  g_assert_true (g_str_has_suffix (setl_plugin_get_filename (plugin), "setl-cache-disk.so"));
}

static void
test_policy (void)
{
  SetlPluginRegistry *registry = setl_plugin_registry_get_default ();
  SetlPluginFeature *feature = setl_plugin_registry_lookup_feature (registry, "disk");
  g_autoptr(GError) error = NULL;
  g_autoptr(GObject) object = setl_plugin_feature_create (feature, &error);
  g_autofree char *dir = g_build_filename (tmpdir, "cache", NULL);
  g_autoptr(SetlCacheKey) key = setl_cache_key_new ("plugin/test");
  g_autoptr(SetlTable) table = cd_test_make_table (300, 128, 9);
  g_autoptr(SetlCacheEntry) entry = NULL;
  g_autoptr(SetlCacheEntry) found = NULL;
  g_autoptr(SetlCacheStats) stats = NULL;
  g_autofree char *got_dir = NULL;
  g_auto(GValue) v = G_VALUE_INIT;
  SetlCachePolicy *policy;
  SetlCacheMissReason reason;

  g_assert_no_error (error);
  g_assert_nonnull (object);
  g_assert_true (SETL_IS_CACHE_POLICY (object));
  g_assert_true (setl_plugin_feature_is_loaded (feature));
  policy = SETL_CACHE_POLICY (object);

  g_object_set (object, "dir", dir, "max-size", (guint64) 10 << 20, "ttl", (guint64) 3600, NULL);
  g_object_get (object, "dir", &got_dir, NULL);
  g_assert_cmpstr (got_dir, ==, dir);
  g_assert_cmpuint (setl_cache_policy_get_ttl (policy), ==, 3600);
  g_assert_cmpuint (setl_cache_policy_get_max_size (policy), ==, 10 << 20);

  setl_cache_key_add (key, "seed", "9");
  g_value_init (&v, SETL_TYPE_TABLE);
  g_value_set_object (&v, table);
  entry = setl_cache_entry_new (key, &v);
  g_assert_true (setl_cache_policy_store (policy, entry, NULL, &error));
  g_assert_no_error (error);

  found = setl_cache_policy_lookup (policy, key, &reason, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (found);
  g_assert_cmpint (reason, ==, SETL_CACHE_MISS_NONE);
  g_assert_true (setl_cache_policy_load (policy, found, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (setl_table_equal (g_value_get_object (setl_cache_entry_get_payload (found)), table));

  stats = setl_cache_policy_get_stats (policy);
  g_assert_cmpuint (stats->hits, ==, 1);
  g_assert_cmpuint (stats->n_entries, ==, 1);
  g_assert_cmpuint (stats->max_size, ==, 10 << 20);
}

/* ----------------------------------------------------------------------- */
/* Pipelines                                                                */

static SetlCachePolicy *
new_disk_cache (const char *dir)
{
  SetlPluginFeature *feature =
    setl_plugin_registry_lookup_feature (setl_plugin_registry_get_default (), "disk");
  g_autoptr(GError) error = NULL;
  GObject *policy = setl_plugin_feature_create (feature, &error);

  g_assert_no_error (error);
  g_object_set (policy, "dir", dir, NULL);
  return SETL_CACHE_POLICY (policy);
}

static void
add_factory (SetlPipeline *p,
             const char   *feature,
             const char   *name,
             const char   *input_from,
             const char   *property,
             const char   *value)
{
  g_autoptr(GError) error = NULL;
  SetlFactory *f = setl_plugin_registry_create_factory (setl_plugin_registry_get_default (),
                                                        feature, &error);

  g_assert_no_error (error);
  setl_factory_set_name (f, name);
  setl_factory_set_delivery_id (f, name);
  if (input_from != NULL)
    setl_delivery_set_delivery_id (setl_factory_get_delivery (f, "in"), input_from);
  g_object_set (f, property, value, NULL);
  setl_pipeline_add_factory (p, f);
  g_object_unref (f);
}

/* read (jsonl) → adults (filter) → write (jsonl), with the disk cache in
 * @cache_dir: what `setl run` builds for each run. */
static SetlPipeline *
build_pipeline (const char *data_dir,
                const char *cache_dir)
{
  SetlPipeline *p = setl_pipeline_new ("disk-cached");
  g_autofree char *in = g_build_filename (data_dir, "in.jsonl", NULL);
  g_autofree char *out = g_build_filename (data_dir, "out.jsonl", NULL);
  g_autoptr(SetlCachePolicy) policy = new_disk_cache (cache_dir);

  add_factory (p, "jsonl-source", "read", NULL, "path", in);
  add_factory (p, "filter", "adults", "read", "where", "age >= 18");
  add_factory (p, "jsonl-sink", "write", "adults", "path", out);
  setl_pipeline_set_cache_policy (p, policy);
  return p;
}

static const char *const pipeline_factories[] = { "read", "adults", "write" };

static SetlFactoryResult *
result_of (SetlPipeline *p,
           const char   *name)
{
  SetlFactoryResult *r = setl_run_report_find (setl_pipeline_get_report (p), name);

  g_assert_nonnull (r);
  return r;
}

/* The first run, in a process of its own: exits 0 when every factory ran
 * and missed the cache. */
static int
run_pipeline_child (const char *data_dir,
                    const char *cache_dir)
{
  g_autoptr(SetlPipeline) p = build_pipeline (data_dir, cache_dir);
  g_autoptr(GError) error = NULL;

  if (!setl_pipeline_run (p, NULL, &error))
    {
      g_printerr ("first run: %s\n", error->message);
      return 1;
    }
  for (guint i = 0; i < G_N_ELEMENTS (pipeline_factories); i++)
    {
      SetlFactoryResult *r = setl_run_report_find (setl_pipeline_get_report (p),
                                                   pipeline_factories[i]);

      if (r == NULL || setl_factory_result_get_status (r) != SETL_FACTORY_STATUS_SUCCEEDED ||
          setl_factory_result_get_cache_reason (r) == SETL_CACHE_MISS_NONE)
        {
          g_printerr ("first run: %s was not computed\n", pipeline_factories[i]);
          return 1;
        }
    }
  return 0;
}

static char *
read_text (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *text = NULL;

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  return text;
}

static char *
entry_file (const char *cache_dir,
            const char *digest)
{
  char fan[3] = { digest[0], digest[1], 0 };
  g_autofree char *name = g_strconcat (digest, ".stbl", NULL);

  /* The layout docs/plugin-cache-disk.md describes. */
  return g_build_filename (cache_dir, "disk-v2", "entries", fan, name, NULL);
}

/* A pipeline run in one process, then again in another: the second run
 * reuses every result from the directory, and writes the same output. */
static void
test_pipeline_across_processes (void)
{
  g_autofree char *data_dir = g_build_filename (tmpdir, "data", NULL);
  g_autofree char *cache_dir = g_build_filename (tmpdir, "pipeline-cache", NULL);
  g_autofree char *in = g_build_filename (data_dir, "in.jsonl", NULL);
  g_autofree char *out = g_build_filename (data_dir, "out.jsonl", NULL);
  g_autofree char *self_exe = g_file_read_link ("/proc/self/exe", NULL);
  const char *argv[] = { self_exe, "--run-pipeline", data_dir, cache_dir, NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(SetlPipeline) p = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autofree char *third = NULL;
  g_autofree char *adults_digest = NULL;
  g_autofree char *adults_path = NULL;
  int status = 0;

  g_assert_cmpint (g_mkdir_with_parents (data_dir, 0755), ==, 0);
  g_file_set_contents (in, "{\"name\":\"ann\",\"age\":34}\n{\"name\":\"bob\",\"age\":17}\n"
                           "{\"name\":\"cat\",\"age\":52}\n", -1, &error);
  g_assert_no_error (error);

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL, NULL,
                &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  first = read_text (out);
  g_assert_nonnull (strstr (first, "\"cat\""));
  g_assert_null (strstr (first, "\"bob\""));

  /* Second run, this process: everything reused. */
  p = build_pipeline (data_dir, cache_dir);
  g_assert_true (setl_pipeline_run (p, NULL, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (pipeline_factories); i++)
    {
      SetlFactoryResult *r = result_of (p, pipeline_factories[i]);

      g_assert_cmpint (setl_factory_result_get_status (r), ==, SETL_FACTORY_STATUS_REUSED);
      g_assert_cmpint (setl_factory_result_get_cache_reason (r), ==, SETL_CACHE_MISS_NONE);
      g_assert_cmpuint (setl_factory_result_get_cache_bytes (r), >, 0);
    }
  second = read_text (out);
  g_assert_cmpstr (first, ==, second);

  /* Damage the filter's entry: the next run drops it with a warning,
   * recomputes the filter, and still reuses what did not change. */
  adults_digest = g_strdup (setl_factory_result_get_cache_key (result_of (p, "adults")));
  g_assert_nonnull (adults_digest);
  adults_path = entry_file (cache_dir, adults_digest);
  {
    g_autoptr(GBytes) bytes = cd_test_read_file (adults_path);
    gsize size = g_bytes_get_size (bytes);
    g_autofree guint8 *copy = g_memdup2 (g_bytes_get_data (bytes, NULL), size);

    copy[40] ^= 0x01;   /* the header */
    cd_test_write_file (adults_path, copy, size);
  }
  g_clear_object (&p);
  structured_warnings = g_ptr_array_new_with_free_func (g_free);
  p = build_pipeline (data_dir, cache_dir);
  g_test_expect_message ("setl-cache-disk", G_LOG_LEVEL_WARNING, "*damaged entry*");
  g_assert_true (setl_pipeline_run (p, NULL, &error));
  g_test_assert_expected_messages ();
  g_assert_no_error (error);
  g_assert_cmpint (setl_factory_result_get_cache_reason (result_of (p, "adults")), ==,
                   SETL_CACHE_MISS_CORRUPT);
  g_assert_cmpint (setl_factory_result_get_status (result_of (p, "adults")), ==,
                   SETL_FACTORY_STATUS_SUCCEEDED);
  g_assert_cmpint (setl_factory_result_get_status (result_of (p, "read")), ==,
                   SETL_FACTORY_STATUS_REUSED);
  third = read_text (out);
  g_assert_cmpstr (first, ==, third);
  g_assert_true (g_file_test (adults_path, G_FILE_TEST_EXISTS));   /* stored again */

  /* A bit flipped inside the filter's batches, its header intact, with the
   * sink's entry gone so that the sink runs and needs the filter's table:
   * the lookup (verify is off by default) passes it; loading the table for
   * the sink checks every batch first, finds the damage, and the pipeline
   * runs the filter after all: the sink is never handed a bad row. */
  {
    g_autofree char *write_path =
      entry_file (cache_dir, setl_factory_result_get_cache_key (result_of (p, "write")));
    g_autoptr(GBytes) bytes = cd_test_read_file (adults_path);
    gsize size = g_bytes_get_size (bytes);
    g_autofree guint8 *copy = g_memdup2 (g_bytes_get_data (bytes, NULL), size);
    g_autofree char *fourth = NULL;

    copy[size - 20] ^= 0x01;   /* in the last batch */
    cd_test_write_file (adults_path, copy, size);
    g_assert_cmpint (g_unlink (write_path), ==, 0);

    g_clear_object (&p);
    p = build_pipeline (data_dir, cache_dir);
    g_test_expect_message ("setl-cache-disk", G_LOG_LEVEL_WARNING, "*damaged entry*checksum*");
    g_assert_true (setl_pipeline_run (p, NULL, &error));
    g_test_assert_expected_messages ();
    g_assert_no_error (error);
    g_assert_cmpint (setl_factory_result_get_cache_reason (result_of (p, "adults")), ==,
                     SETL_CACHE_MISS_CORRUPT);
    g_assert_cmpint (setl_factory_result_get_status (result_of (p, "adults")), ==,
                     SETL_FACTORY_STATUS_REUSED);
    {
      g_autofree char *json = setl_run_report_to_json (setl_pipeline_get_report (p));
      g_assert_nonnull (strstr (json, "\"recomputed\" : true"));
    }
    g_assert_cmpint (setl_factory_result_get_status (result_of (p, "write")), ==,
                     SETL_FACTORY_STATUS_SUCCEEDED);
    fourth = read_text (out);
    g_assert_cmpstr (first, ==, fourth);
  }
  g_clear_pointer (&structured_warnings, g_ptr_array_unref);
}

int
main (int argc, char **argv)
{
  int ret;

  g_log_set_writer_func (collect_warnings, NULL, NULL);
  if (argc == 4 && strcmp (argv[1], "--run-pipeline") == 0)
    return run_pipeline_child (argv[2], argv[3]);

  g_test_init (&argc, &argv, NULL);
  tmpdir = g_dir_make_tmp ("setl-cache-disk-plugin-XXXXXX", NULL);
  g_assert_nonnull (tmpdir);

  g_test_add_func ("/cache-disk/plugin/feature", test_feature);
  g_test_add_func ("/cache-disk/plugin/policy", test_policy);
  g_test_add_func ("/cache-disk/plugin/pipeline-across-processes", test_pipeline_across_processes);

  ret = g_test_run ();
  cd_test_rm_rf (tmpdir);
  g_free (tmpdir);
  return ret;
}
