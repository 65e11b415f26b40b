/* test-plugin-cache.c: the registry cache — start-up without opening
 * modules, rescans of changed files, blacklist entries that last until the
 * file changes, and damaged caches rebuilt with a warning.
 */
#include "plugin-test-util.h"

#include <glib/gstdio.h>
#include <sys/stat.h>
#include <utime.h>

typedef struct {
  char *dir;       /* plugin directory: copies of fixtures */
  char *cache;     /* registry cache file */
  char *alpha;
  char *beta;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *alpha = fixture_path ("good-alpha");
  g_autofree char *beta = fixture_path ("good-beta");
  g_autofree char *cache_dir = make_temp_dir ("cache");

  f->dir = make_temp_dir ("plugins");
  f->cache = g_build_filename (cache_dir, "registry.json", NULL);
  f->alpha = copy_into (alpha, f->dir, NULL);
  f->beta = copy_into (beta, f->dir, NULL);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir && (name = g_dir_read_name (dir)))
    {
      g_autofree char *child = g_build_filename (path, name, NULL);
      g_unlink (child);
    }
  g_rmdir (path);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *cache_dir = g_path_get_dirname (f->cache);

  remove_tree (f->dir);
  remove_tree (cache_dir);
  g_free (f->dir);
  g_free (f->cache);
  g_free (f->alpha);
  g_free (f->beta);
}

/* A registry over the fixture's directory, updated; asserts it scanned
 * @expect_scanned files (-1: do not check). */
static SetlPluginRegistry *
start (Fixture *f,
       int      expect_scanned)
{
  const char *path[] = { f->dir, NULL };
  SetlPluginRegistry *registry = setl_plugin_registry_new (path, f->cache);
  g_autoptr(GError) error = NULL;

  g_assert_true (setl_plugin_registry_update (registry, &error));
  g_assert_no_error (error);
  if (expect_scanned >= 0)
    g_assert_cmpuint (setl_plugin_registry_get_n_scanned (registry), ==, expect_scanned);
  return registry;
}

/* How many plugins @registry accepted (get_plugins() returns a new array). */
static guint
n_plugins (SetlPluginRegistry *registry)
{
  g_autoptr(GPtrArray) plugins = setl_plugin_registry_get_plugins (registry);

  return plugins->len;
}

static void
touch_later (const char *path)
{
  struct stat st;
  struct utimbuf times;

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  times.actime = st.st_atime;
  times.modtime = st.st_mtime + 10;
  g_assert_cmpint (g_utime (path, &times), ==, 0);
}

/* The second start reads the cache: it scans nothing, opens no module, and
 * still knows every feature and property; a module opens on first use. */
static void
test_no_module_until_used (Fixture       *f,
                           gconstpointer  data)
{
  if (g_test_subprocess ())
    {
      g_autoptr(SetlPluginRegistry) cold = start (f, 2);
      g_autoptr(SetlPluginRegistry) warm = NULL;
      g_autoptr(SetlFactory) source = NULL;
      g_autoptr(GError) error = NULL;
      SetlPluginFeature *feature;
      g_auto(GValue) text = G_VALUE_INIT;

      g_assert_true (g_file_test (f->cache, G_FILE_TEST_IS_REGULAR));
      /* Even the cold scan happened in the helper process. */
      g_assert_false (module_is_mapped (f->alpha));
      g_assert_false (module_is_mapped (f->beta));

      warm = start (f, 0);
      g_assert_false (module_is_mapped (f->alpha));
      g_assert_false (module_is_mapped (f->beta));
      feature = setl_plugin_registry_lookup_feature (warm, "alpha-source");
      g_assert_nonnull (feature);
      g_assert_false (setl_plugin_feature_is_loaded (feature));
      g_assert_cmpstr (setl_property_info_get_default (
                         setl_plugin_feature_find_property (feature, "text")), ==, "hello");
      g_assert_cmpstr (setl_plugin_get_version (setl_plugin_feature_get_plugin (feature)), ==, "1.2.0");

      source = setl_plugin_registry_create_factory (warm, "alpha-source", &error);
      g_assert_no_error (error);
      g_assert_true (module_is_mapped (f->alpha));
      g_assert_false (module_is_mapped (f->beta));
      g_value_init (&text, G_TYPE_STRING);
      g_object_get_property (G_OBJECT (source), "text", &text);
      g_assert_cmpstr (g_value_get_string (&text), ==, "hello");
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
}

static void
test_touch_rescans (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(SetlPluginRegistry) r1 = start (f, 2);
  g_autoptr(SetlPluginRegistry) r2 = start (f, 0);
  g_autoptr(SetlPluginRegistry) r3 = NULL;
  g_autoptr(SetlPluginRegistry) r4 = NULL;

  touch_later (f->alpha);
  r3 = start (f, 1);
  g_assert_nonnull (setl_plugin_registry_lookup_plugin (r3, "good-alpha"));
  /* The rescan was written back. */
  r4 = start (f, 0);
}

static void
test_replace_rescans (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *failing = fixture_path ("broken-init-fails");
  g_autofree char *good = fixture_path ("good-alpha");
  g_autoptr(SetlPluginRegistry) r1 = start (f, 2);
  g_autoptr(SetlPluginRegistry) r2 = NULL;
  g_autoptr(SetlPluginRegistry) r3 = NULL;
  g_autofree char *replaced = NULL;
  SetlPlugin *refused;

  g_assert_nonnull (setl_plugin_registry_lookup_plugin (r1, "good-alpha"));

  /* Another plugin under the same file name. */
  replaced = copy_into (failing, f->dir, "good-alpha." G_MODULE_SUFFIX);
  g_assert_cmpstr (replaced, ==, f->alpha);
  r2 = start (f, 1);
  g_assert_null (setl_plugin_registry_lookup_plugin (r2, "good-alpha"));
  g_assert_null (setl_plugin_registry_lookup_feature (r2, "alpha-source"));
  refused = find_refused (r2, f->alpha);
  g_assert_nonnull (refused);
  g_assert_error ((GError *) setl_plugin_get_error (refused),
                  SETL_PLUGIN_ERROR, SETL_PLUGIN_ERROR_INIT_FAILED);

  /* And back. */
  g_free (copy_into (good, f->dir, NULL));
  r3 = start (f, 1);
  g_assert_nonnull (setl_plugin_registry_lookup_feature (r3, "alpha-source"));
  g_assert_null (find_refused (r3, f->alpha));
}

static void
test_added_and_removed (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *needs_lib = fixture_path ("broken-init-fails");
  g_autoptr(SetlPluginRegistry) r1 = start (f, 2);
  g_autoptr(SetlPluginRegistry) r2 = NULL;
  g_autoptr(SetlPluginRegistry) r3 = NULL;
  g_autoptr(SetlPluginRegistry) r4 = NULL;
  g_autofree char *added = copy_into (needs_lib, f->dir, NULL);
  g_autofree char *contents = NULL;

  r2 = start (f, 1);
  g_assert_nonnull (find_refused (r2, added));

  g_assert_cmpint (g_unlink (f->beta), ==, 0);
  r3 = start (f, 0);
  g_assert_null (setl_plugin_registry_lookup_plugin (r3, "good-beta"));
  g_assert_nonnull (setl_plugin_registry_lookup_plugin (r3, "good-alpha"));
  /* The removal was written back: the cache no longer names the file. */
  g_assert_true (g_file_get_contents (f->cache, &contents, NULL, NULL));
  g_assert_null (strstr (contents, f->beta));
  g_assert_nonnull (strstr (contents, f->alpha));
  r4 = start (f, 0);
  g_assert_cmpuint (n_plugins (r4), ==, 1);
}

/* A plugin that crashed while scanned stays blacklisted, without being
 * scanned again, until its file changes. */
static void
test_blacklist_persists (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *segv = fixture_path ("broken-init-segv");
  g_autofree char *crasher = copy_into (segv, f->dir, NULL);
  g_autoptr(SetlPluginRegistry) r1 = start (f, 3);
  g_autoptr(SetlPluginRegistry) r2 = NULL;
  g_autoptr(SetlPluginRegistry) r3 = NULL;
  SetlPlugin *p;

  p = find_refused (r1, crasher);
  g_assert_nonnull (p);
  g_assert_error ((GError *) setl_plugin_get_error (p), SETL_PLUGIN_ERROR, SETL_PLUGIN_ERROR_BLACKLISTED);
  g_assert_cmpuint (n_plugins (r1), ==, 2);

  r2 = start (f, 0);
  p = find_refused (r2, crasher);
  g_assert_nonnull (p);
  g_assert_error ((GError *) setl_plugin_get_error (p), SETL_PLUGIN_ERROR, SETL_PLUGIN_ERROR_BLACKLISTED);
  g_assert_nonnull (strstr (setl_plugin_get_error (p)->message, "crashed"));

  touch_later (crasher);
  r3 = start (f, 1);
  g_assert_nonnull (find_refused (r3, crasher));
}

static void
damage_and_restart (Fixture    *f,
                    const char *contents,
                    gssize      length)
{
  if (g_test_subprocess ())
    {
      g_autoptr(SetlPluginRegistry) r1 = start (f, 2);
      g_autoptr(SetlPluginRegistry) r2 = NULL;
      g_autoptr(SetlPluginRegistry) r3 = NULL;
      g_autofree char *valid = NULL;
      gsize valid_length;

      make_warnings_nonfatal ();
      g_assert_true (g_file_get_contents (f->cache, &valid, &valid_length, NULL));
      if (contents == NULL)   /* truncate */
        g_assert_true (g_file_set_contents (f->cache, valid, valid_length / 2, NULL));
      else
        g_assert_true (g_file_set_contents (f->cache, contents, length, NULL));

      /* Never trusted: everything is scanned again… */
      r2 = start (f, 2);
      g_assert_nonnull (setl_plugin_registry_lookup_feature (r2, "alpha-source"));
      g_assert_nonnull (setl_plugin_registry_lookup_feature (r2, "beta-sink"));
      /* …and the rebuilt cache is good. */
      r3 = start (f, 0);
      g_assert_cmpuint (n_plugins (r3), ==, 2);
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stderr ("*cache*damaged*rebuilding*");
}

static void
test_truncated (Fixture       *f,
                gconstpointer  data)
{
  damage_and_restart (f, NULL, 0);
}

static void
test_garbage (Fixture       *f,
              gconstpointer  data)
{
  damage_and_restart (f, "\x7f\x45garbage\xff\xfe{{{", 14);
}

static void
test_wrong_shape (Fixture       *f,
                  gconstpointer  data)
{
  /* Valid JSON, valid header, an entry with a size that is a string. */
  g_autofree char *json = g_strdup_printf (
    "{\"format\":\"setl-registry\",\"version\":1,\"libsetl\":\"%s\","
    "\"plugins\":[{\"filename\":\"/x.so\",\"size\":\"big\",\"mtime\":1,\"name\":\"x\"}]}",
    SETL_VERSION_STRING);
  damage_and_restart (f, json, -1);
}

/* Written through a temporary file renamed into place: nothing else is
 * left in the cache directory. */
static void
test_atomic_write (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(SetlPluginRegistry) r1 = start (f, 2);
  g_autofree char *cache_dir = g_path_get_dirname (f->cache);
  g_autoptr(GDir) dir = g_dir_open (cache_dir, 0, NULL);
  const char *name;
  guint n = 0;

  while ((name = g_dir_read_name (dir)))
    {
      g_assert_cmpstr (name, ==, "registry.json");
      n++;
    }
  g_assert_cmpuint (n, ==, 1);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/plugins/cache/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("no-module-until-used", test_no_module_until_used);
  ADD ("touch-rescans", test_touch_rescans);
  ADD ("replace-rescans", test_replace_rescans);
  ADD ("added-and-removed", test_added_and_removed);
  ADD ("blacklist-until-changed", test_blacklist_persists);
  ADD ("truncated-rebuilt", test_truncated);
  ADD ("garbage-rebuilt", test_garbage);
  ADD ("wrong-shape-rebuilt", test_wrong_shape);
  ADD ("atomic-write", test_atomic_write);
#undef ADD

  return g_test_run ();
}
