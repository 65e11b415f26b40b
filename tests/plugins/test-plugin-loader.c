/* test-plugin-loader.c: loading plugin files, good and broken, one by one
 * and through a registry; a plugin's factories used in a real pipeline.
 *
 * Tests that open a module run in a subprocess: a module stays resident and
 * its types stay registered, so each test gets a fresh process.
 */
#include "plugin-test-util.h"

#include <glib/gstdio.h>
#include <signal.h>

static void
assert_load_fails (const char *fixture,
                   int         code,
                   const char *fragment)
{
  g_autofree char *path = fixture_path (fixture);
  g_autoptr(GError) error = NULL;
  g_autoptr(SetlPlugin) plugin = setl_plugin_load_file (path, &error);

  g_assert_null (plugin);
  g_assert_error (error, SETL_PLUGIN_ERROR, code);
  g_assert_nonnull (strstr (error->message, path));
  if (fragment)
    g_assert_nonnull (strstr (error->message, fragment));
}

static void
test_good (void)
{
  if (g_test_subprocess ())
    {
      g_autofree char *path = fixture_path ("good-alpha");
      g_autoptr(GError) error = NULL;
      g_autoptr(SetlPlugin) plugin = setl_plugin_load_file (path, &error);
      SetlPluginFeature *source, *upper, *backend;
      SetlPropertyInfo *info;

      g_assert_no_error (error);
      g_assert_cmpstr (setl_plugin_get_name (plugin), ==, "good-alpha");
      g_assert_cmpstr (setl_plugin_get_version (plugin), ==, "1.2.0");
      g_assert_cmpstr (setl_plugin_get_license (plugin), ==, "LGPL-2.1-or-later");
      g_assert_cmpstr (setl_plugin_get_origin (plugin), ==, "https://example.org/good-alpha");
      g_assert_cmpuint (setl_plugin_get_abi_major (plugin), ==, SETL_ABI_MAJOR);
      g_assert_cmpuint (setl_plugin_get_abi_minor (plugin), ==, SETL_ABI_MINOR);
      g_assert_true (setl_plugin_is_loaded (plugin));
      g_assert_true (module_is_mapped (path));
      g_assert_cmpuint (setl_plugin_get_features (plugin)->len, ==, 3);

      source = setl_plugin_get_feature (plugin, "alpha-source");
      g_assert_nonnull (source);
      g_assert_cmpint (setl_plugin_feature_get_kind (source), ==, SETL_FEATURE_KIND_SOURCE);
      g_assert_cmpuint (setl_plugin_feature_get_rank (source), ==, SETL_RANK_PRIMARY);
      g_assert_cmpstr (setl_plugin_feature_get_version (source), ==, "1.2.0");
      g_assert_cmpstr (setl_plugin_feature_get_type_name (source), ==, "AlphaSource");
      info = setl_plugin_feature_find_property (source, "text");
      g_assert_nonnull (info);
      g_assert_cmpstr (setl_property_info_get_value_type (info), ==, "gchararray");
      g_assert_cmpstr (setl_property_info_get_default (info), ==, "hello");
      g_assert_cmpstr (setl_property_info_get_blurb (info), ==, "The text to output");
      info = setl_plugin_feature_find_property (source, "repeat");
      g_assert_cmpstr (setl_property_info_get_minimum (info), ==, "1");
      g_assert_cmpstr (setl_property_info_get_maximum (info), ==, "10");
      g_assert_cmpstr (setl_property_info_get_default (info), ==, "1");
      /* Inherited from SetlFactory. */
      info = setl_plugin_feature_find_property (source, "writable");
      g_assert_nonnull (info);
      g_assert_cmpstr (setl_property_info_get_owner_type (info), ==, "SetlFactory");

      upper = setl_plugin_get_feature (plugin, "alpha-upper");
      g_assert_cmpint (setl_plugin_feature_get_kind (upper), ==, SETL_FEATURE_KIND_TRANSFORM);
      g_assert_cmpstr (setl_plugin_feature_get_version (upper), ==, "2.0");

      backend = setl_plugin_get_feature (plugin, "alpha-backend");
      g_assert_cmpint (setl_plugin_feature_get_kind (backend), ==, SETL_FEATURE_KIND_BACKEND);
      info = setl_plugin_feature_find_property (backend, "timeout");
      g_assert_cmpstr (setl_property_info_get_default (info), ==, "2.5");
      g_assert_cmpstr (setl_property_info_get_maximum (info), ==, "3600");
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
}

static void
test_abi_major (void)
{
  g_autofree char *theirs = g_strdup_printf ("ABI %d.%d", SETL_ABI_MAJOR + 1, SETL_ABI_MINOR);
  g_autofree char *ours = g_strdup_printf ("ABI %d.%d", SETL_ABI_MAJOR, SETL_ABI_MINOR);

  assert_load_fails ("broken-abi-major", SETL_PLUGIN_ERROR_ABI_MISMATCH, theirs);
  assert_load_fails ("broken-abi-major", SETL_PLUGIN_ERROR_ABI_MISMATCH, ours);
}

static void
test_abi_minor (void)
{
  g_autofree char *theirs = g_strdup_printf ("ABI %d.%d", SETL_ABI_MAJOR, SETL_ABI_MINOR + 1);

  assert_load_fails ("broken-abi-minor", SETL_PLUGIN_ERROR_ABI_MISMATCH, theirs);
}

static void
test_no_descriptor (void)
{
  assert_load_fails ("broken-no-descriptor", SETL_PLUGIN_ERROR_NO_DESCRIPTOR, "setl_plugin_desc");
}

static void
test_not_a_plugin (void)
{
  g_autofree char *dir = make_temp_dir ("not-a-plugin");
  g_autofree char *path = g_build_filename (dir, "notes.so", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(SetlPlugin) plugin = NULL;

  g_assert_true (g_file_set_contents (path, "just some text\n", -1, NULL));
  plugin = setl_plugin_load_file (path, &error);
  g_assert_null (plugin);
  g_assert_error (error, SETL_PLUGIN_ERROR, SETL_PLUGIN_ERROR_NOT_A_PLUGIN);
  g_assert_nonnull (strstr (error->message, path));
  g_unlink (path);
  g_rmdir (dir);
}

static void
test_init_fails (void)
{
  if (g_test_subprocess ())
    {
      assert_load_fails ("broken-init-fails", SETL_PLUGIN_ERROR_INIT_FAILED,
                         "the resource this plugin needs is missing");
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
}

static void
test_bad_feature (void)
{
  if (g_test_subprocess ())
    {
      assert_load_fails ("broken-bad-feature", SETL_PLUGIN_ERROR_INIT_FAILED,
                         "type FixtureThing is not a SetlFactory");
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
}

static void
test_missing_dependency (void)
{
  if (g_test_subprocess ())
    {
      g_autofree char *plugin_src = fixture_path ("needs-lib/needs-lib");
      g_autofree char *lib_src = fixture_path ("needs-lib/libsetl-test-dep");
      g_autofree char *with = make_temp_dir ("with-lib");
      g_autofree char *without = make_temp_dir ("without-lib");
      g_autofree char *ok_path = copy_into (plugin_src, with, NULL);
      g_autofree char *lib_copy = copy_into (lib_src, with, NULL);
      g_autofree char *bad_path = copy_into (plugin_src, without, NULL);
      g_autoptr(GError) error = NULL;
      g_autoptr(SetlPlugin) bad = NULL;
      g_autoptr(SetlPlugin) ok = NULL;

      /* Without its library beside it, the copy cannot be opened… */
      bad = setl_plugin_load_file (bad_path, &error);
      g_assert_null (bad);
      g_assert_error (error, SETL_PLUGIN_ERROR, SETL_PLUGIN_ERROR_MISSING_DEPENDENCY);
      g_assert_nonnull (strstr (error->message, bad_path));
      g_assert_nonnull (strstr (error->message, "libsetl-test-dep"));
      g_clear_error (&error);

      /* …while the same plugin with its library loads and works. */
      ok = setl_plugin_load_file (ok_path, &error);
      g_assert_no_error (error);
      g_assert_nonnull (setl_plugin_get_feature (ok, "dep-thing"));

      g_unlink (ok_path);
      g_unlink (lib_copy);
      g_unlink (bad_path);
      g_rmdir (with);
      g_rmdir (without);
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
}

static void
assert_refused (SetlPluginRegistry *registry,
                const char         *fixture,
                int                 code,
                const char         *fragment)
{
  g_autofree char *path = fixture_path (fixture);
  SetlPlugin *p = find_refused (registry, path);
  const GError *e;

  if (p == NULL)
    g_error ("%s was not refused", path);
  e = setl_plugin_get_error (p);
  g_assert_nonnull (e);
  if (!g_error_matches (e, SETL_PLUGIN_ERROR, code))
    g_error ("%s refused with code %d, not %d: %s", path, e->code, code, e->message);
  g_assert_nonnull (strstr (e->message, path));
  if (fragment && strstr (e->message, fragment) == NULL)
    g_error ("refusal of %s does not say “%s”: %s", path, fragment, e->message);
}

/* Every fixture in one directory: the good ones are plugins, each broken
 * one is refused for its own reason, and the crashing ones do not take the
 * test down. */
static void
test_registry_refusals (void)
{
  if (g_test_subprocess ())
    {
      const char *dir = g_getenv ("SETL_TEST_FIXTURES");
      const char *path[] = { dir, NULL };
      g_autofree char *tmp = make_temp_dir ("refusals");
      g_autofree char *cache = g_build_filename (tmp, "registry.json", NULL);
      g_autoptr(SetlPluginRegistry) registry = setl_plugin_registry_new (path, cache);
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) plugins = NULL;
      g_autofree char *alpha = fixture_path ("good-alpha");
      g_autofree char *segv = g_strdup_printf ("signal %d", SIGSEGV);
      g_autofree char *abrt = g_strdup_printf ("signal %d", SIGABRT);
      SetlPlugin *p;

      make_warnings_nonfatal ();
      /* broken-init-hang never returns from its init: its scanner is
       * killed after this long. */
      g_setenv ("SETL_PLUGIN_SCAN_TIMEOUT", "1", TRUE);
      g_assert_true (setl_plugin_registry_update (registry, &error));
      g_assert_no_error (error);

      plugins = setl_plugin_registry_get_plugins (registry);
      g_assert_cmpuint (plugins->len, ==, 5);
      p = setl_plugin_registry_lookup_plugin (registry, "good-alpha");
      g_assert_nonnull (p);
      g_assert_cmpstr (setl_plugin_get_filename (p), ==, alpha);
      g_assert_false (setl_plugin_is_loaded (p));
      g_assert_nonnull (setl_plugin_registry_lookup_plugin (registry, "good-beta"));
      g_assert_nonnull (setl_plugin_registry_lookup_plugin (registry, "needs-lib"));
      g_assert_nonnull (setl_plugin_registry_lookup_plugin (registry, "good-schema"));
      g_assert_nonnull (setl_plugin_registry_lookup_plugin (registry, "good-check"));

      assert_refused (registry, "broken-abi-major", SETL_PLUGIN_ERROR_ABI_MISMATCH, NULL);
      assert_refused (registry, "broken-abi-minor", SETL_PLUGIN_ERROR_ABI_MISMATCH, NULL);
      assert_refused (registry, "broken-no-descriptor", SETL_PLUGIN_ERROR_NO_DESCRIPTOR, NULL);
      assert_refused (registry, "broken-init-fails", SETL_PLUGIN_ERROR_INIT_FAILED,
                      "the resource this plugin needs is missing");
      assert_refused (registry, "broken-bad-feature", SETL_PLUGIN_ERROR_INIT_FAILED, NULL);
      assert_refused (registry, "broken-not-a-check", SETL_PLUGIN_ERROR_INIT_FAILED,
                      "is not a SetlCheck");
      assert_refused (registry, "broken-init-segv", SETL_PLUGIN_ERROR_BLACKLISTED, segv);
      assert_refused (registry, "broken-init-abort", SETL_PLUGIN_ERROR_BLACKLISTED, abrt);
      /* An exit status is reported with the last line the scanner printed. */
      assert_refused (registry, "broken-init-exit", SETL_PLUGIN_ERROR_BLACKLISTED,
                      "exit with status 3 (fixture: cannot go on)");
      assert_refused (registry, "broken-init-hang", SETL_PLUGIN_ERROR_BLACKLISTED, "timed out");
      /* A schema document that does not parse fails the init, naming the
       * plugin, the schema and the fault. */
      assert_refused (registry, "broken-bad-schema", SETL_PLUGIN_ERROR_INIT_FAILED,
                      "schema 1 of plugin “broken-bad-schema”");
      assert_refused (registry, "broken-bad-schema", SETL_PLUGIN_ERROR_INIT_FAILED,
                      "“integer”");
      assert_refused (registry, "later-duplicate", SETL_PLUGIN_ERROR_NAME_CONFLICT, alpha);
      assert_refused (registry, "later-feature-clash", SETL_PLUGIN_ERROR_NAME_CONFLICT,
                      "alpha-source");
      assert_refused (registry, "needs-lib/libsetl-test-dep", SETL_PLUGIN_ERROR_NO_DESCRIPTOR, NULL);

      /* A refused plugin cannot be loaded afterwards either. */
      {
        g_autofree char *segv_path = fixture_path ("broken-init-segv");
        g_autoptr(GError) load_error = NULL;

        g_assert_false (setl_plugin_load (find_refused (registry, segv_path), &load_error));
        g_assert_error (load_error, SETL_PLUGIN_ERROR, SETL_PLUGIN_ERROR_BLACKLISTED);
        g_assert_false (module_is_mapped (segv_path));
      }
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  /* The duplicate's warning names both files. */
  {
    g_autofree char *alpha = fixture_path ("good-alpha");
    g_autofree char *dup = fixture_path ("later-duplicate");
    g_autofree char *pattern = g_strdup_printf ("*%s*%s*", dup, alpha);
    g_test_trap_assert_stderr (pattern);
  }
}

static SetlPluginRegistry *
good_registry (char **tmp_out)
{
  g_autofree char *alpha = fixture_path ("good-alpha");
  g_autofree char *beta = fixture_path ("good-beta");
  const char *path[] = { alpha, beta, NULL };
  g_autofree char *tmp = make_temp_dir ("good");
  g_autofree char *cache = g_build_filename (tmp, "registry.json", NULL);
  SetlPluginRegistry *registry = setl_plugin_registry_new (path, cache);
  g_autoptr(GError) error = NULL;

  g_assert_true (setl_plugin_registry_update (registry, &error));
  g_assert_no_error (error);
  *tmp_out = g_steal_pointer (&tmp);
  return registry;
}

/* A good plugin's factories, made by name, in a real pipeline. */
static void
test_registry_pipeline (void)
{
  if (g_test_subprocess ())
    {
      g_autofree char *tmp = NULL;
      g_autoptr(SetlPluginRegistry) registry = good_registry (&tmp);
      g_autofree char *alpha = fixture_path ("good-alpha");
      g_autofree char *out = NULL;
      g_autofree char *written = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(SetlFactory) source = NULL;
      g_autoptr(SetlFactory) upper = NULL;
      g_autoptr(SetlFactory) sink = NULL;
      g_autoptr(SetlPipeline) pipeline = NULL;
      const GValue *result;

      g_assert_false (module_is_mapped (alpha));
      source = setl_plugin_registry_create_factory (registry, "alpha-source", &error);
      g_assert_no_error (error);
      g_assert_true (module_is_mapped (alpha));
      g_assert_true (setl_plugin_feature_is_loaded (
                       setl_plugin_registry_lookup_feature (registry, "alpha-source")));
      upper = setl_plugin_registry_create_factory (registry, "alpha-upper", &error);
      g_assert_no_error (error);
      sink = setl_plugin_registry_create_factory (registry, "beta-sink", &error);
      g_assert_no_error (error);

      out = g_build_filename (tmp, "out.txt", NULL);
      g_object_set (source, "text", "abc", "repeat", 2, NULL);
      g_object_set (sink, "location", out, NULL);

      pipeline = setl_pipeline_new ("plugins");
      setl_pipeline_add_factory (pipeline, source);
      setl_pipeline_add_factory (pipeline, upper);
      setl_pipeline_add_factory (pipeline, sink);
      /* Both alpha-upper and beta-sink take any string: reserve the
       * source's output for alpha-upper, so beta-sink gets alpha-upper's. */
      setl_factory_add_consumer (source, G_OBJECT_TYPE (upper));
      g_assert_true (setl_pipeline_run (pipeline, NULL, &error));
      g_assert_no_error (error);

      g_assert_true (g_file_get_contents (out, &written, NULL, NULL));
      g_assert_cmpstr (written, ==, "ABCABC");
      result = setl_pipeline_get_last_output (pipeline);
      g_assert_nonnull (result);
      g_assert_cmpuint (g_value_get_uint64 (result), ==, 6);
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
}

static void
test_registry_lookup_errors (void)
{
  g_autofree char *tmp = NULL;
  g_autoptr(SetlPluginRegistry) registry = good_registry (&tmp);
  g_autofree char *alpha = fixture_path ("good-alpha");
  g_autoptr(GError) error = NULL;
  g_autoptr(SetlFactory) none = NULL;
  g_autoptr(GPtrArray) sources = NULL;

  none = setl_plugin_registry_create_factory (registry, "no-such-feature", &error);
  g_assert_null (none);
  g_assert_error (error, SETL_PLUGIN_ERROR, SETL_PLUGIN_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "no-such-feature"));
  g_clear_error (&error);

  none = setl_plugin_registry_create_factory (registry, "alpha-backend", &error);
  g_assert_null (none);
  g_assert_error (error, SETL_PLUGIN_ERROR, SETL_PLUGIN_ERROR_INVALID_FEATURE);
  g_assert_nonnull (strstr (error->message, "backend"));
  /* Refusing a non-factory does not open the module. */
  g_assert_false (module_is_mapped (alpha));

  sources = setl_plugin_registry_get_features (registry, SETL_FEATURE_KIND_SOURCE);
  g_assert_cmpuint (sources->len, ==, 1);
  g_assert_cmpstr (setl_plugin_feature_get_name (g_ptr_array_index (sources, 0)), ==, "alpha-source");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/plugins/loader/good", test_good);
  g_test_add_func ("/plugins/loader/abi-major-mismatch", test_abi_major);
  g_test_add_func ("/plugins/loader/abi-minor-newer", test_abi_minor);
  g_test_add_func ("/plugins/loader/no-descriptor", test_no_descriptor);
  g_test_add_func ("/plugins/loader/not-a-plugin", test_not_a_plugin);
  g_test_add_func ("/plugins/loader/init-fails", test_init_fails);
  g_test_add_func ("/plugins/loader/bad-feature", test_bad_feature);
  g_test_add_func ("/plugins/loader/missing-dependency", test_missing_dependency);
  g_test_add_func ("/plugins/registry/refusals", test_registry_refusals);
  g_test_add_func ("/plugins/registry/pipeline", test_registry_pipeline);
  g_test_add_func ("/plugins/registry/lookup-errors", test_registry_lookup_errors);

  return g_test_run ();
}
