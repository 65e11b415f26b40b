/* test-plugin-cache.c: the registry cache — start-up without opening
 * modules, rescans of changed files, blacklist entries that last until the
 * file changes, and damaged caches rebuilt with a warning.
 */
#include "plugin-test-util.h"
#include "setl-plugin-private.h"   /* SETL_REGISTRY_FORMAT_VERSION */

#include <setl/setl-schema-registry.h>

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
  gsize length;

  r2 = start (f, 1);
  g_assert_nonnull (find_refused (r2, added));

  g_assert_cmpint (g_unlink (f->beta), ==, 0);
  r3 = start (f, 0);
  g_assert_null (setl_plugin_registry_lookup_plugin (r3, "good-beta"));
  g_assert_nonnull (setl_plugin_registry_lookup_plugin (r3, "good-alpha"));
  /* The removal was written back: the cache no longer names the file. */
  /* (A binary file: its strings are NUL-terminated, hence memmem.) */
  g_assert_true (g_file_get_contents (f->cache, &contents, &length, NULL));
  g_assert_null (memmem (contents, length, f->beta, strlen (f->beta)));
  g_assert_nonnull (memmem (contents, length, f->alpha, strlen (f->alpha)));
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
  /* A valid header of this format version, then a well-formed variant of
   * another type — (libsetl version, a number) instead of the cache's — with
   * the checksum a writer of that type would give it. */
  g_autoptr(GVariant) other = g_variant_ref_sink (
    g_variant_new ("(sx)", SETL_VERSION_STRING, G_GINT64_CONSTANT (42)));
  gsize size = g_variant_get_size (other);
  g_autofree char *bytes = g_malloc0 (SETL_REGISTRY_HEADER_SIZE + size);
  guint32 version = GUINT32_TO_LE (SETL_REGISTRY_FORMAT_VERSION);
  guint64 checksum;

  memcpy (bytes, SETL_REGISTRY_MAGIC, strlen (SETL_REGISTRY_MAGIC));
  memcpy (bytes + 8, &version, sizeof version);

  g_variant_store (other, bytes + SETL_REGISTRY_HEADER_SIZE);
  checksum = GUINT64_TO_LE (_setl_registry_checksum ("(sx)",
                                                     (const guint8 *) bytes + SETL_REGISTRY_HEADER_SIZE,
                                                     size));
  memcpy (bytes + 16, &checksum, sizeof checksum);
  damage_and_restart (f, bytes, SETL_REGISTRY_HEADER_SIZE + size);
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

/* A plugin whose init never returns is killed after SETL_PLUGIN_SCAN_TIMEOUT
 * seconds and blacklisted, saying that it timed out; the others load, and
 * the next start does not wait for it again. */
static void
test_scan_timeout (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *hang = fixture_path ("broken-init-hang");
  g_autofree char *hanger = copy_into (hang, f->dir, NULL);
  g_autoptr(SetlPluginRegistry) r1 = NULL;
  g_autoptr(SetlPluginRegistry) r2 = NULL;
  gint64 started, elapsed;
  SetlPlugin *p;

  g_setenv ("SETL_PLUGIN_SCAN_TIMEOUT", "1", TRUE);
  started = g_get_monotonic_time ();
  r1 = start (f, 3);
  elapsed = g_get_monotonic_time () - started;
  g_unsetenv ("SETL_PLUGIN_SCAN_TIMEOUT");

  /* Killed after about a second, not after the default 30 s. */
  g_assert_cmpint (elapsed, >=, G_USEC_PER_SEC);
  g_assert_cmpint (elapsed, <, 10 * G_USEC_PER_SEC);
  p = find_refused (r1, hanger);
  g_assert_nonnull (p);
  g_assert_error ((GError *) setl_plugin_get_error (p), SETL_PLUGIN_ERROR,
                  SETL_PLUGIN_ERROR_BLACKLISTED);
  g_assert_nonnull (strstr (setl_plugin_get_error (p)->message, "timed out"));
  g_assert_nonnull (strstr (setl_plugin_get_error (p)->message, hanger));
  g_assert_cmpuint (n_plugins (r1), ==, 2);
  g_assert_nonnull (setl_plugin_registry_lookup_feature (r1, "alpha-source"));
  g_assert_nonnull (setl_plugin_registry_lookup_feature (r1, "beta-sink"));

  /* Blacklisted until the file changes: not scanned (nor waited for) again. */
  started = g_get_monotonic_time ();
  r2 = start (f, 0);
  g_assert_cmpint (g_get_monotonic_time () - started, <, G_USEC_PER_SEC);
  p = find_refused (r2, hanger);
  g_assert_nonnull (p);
  g_assert_nonnull (strstr (setl_plugin_get_error (p)->message, "timed out"));
}

/* libsetl logs with structured logging, which g_test_expect_message() does
 * not see in GLib 2.74: while a test sets this array, warnings of the Setl
 * domain are collected in it instead of being written (and fatal). */
static GPtrArray *captured_warnings;

static GLogWriterOutput
capture_writer (GLogLevelFlags   level,
                const GLogField *fields,
                gsize            n_fields,
                gpointer         user_data)
{
  const char *domain = NULL, *message = NULL;

  for (gsize i = 0; i < n_fields; i++)
    {
      if (g_str_equal (fields[i].key, "GLIB_DOMAIN"))
        domain = fields[i].value;
      else if (g_str_equal (fields[i].key, "MESSAGE"))
        message = fields[i].value;
    }
  if (captured_warnings != NULL && (level & G_LOG_LEVEL_WARNING) &&
      g_strcmp0 (domain, "Setl") == 0 && message != NULL)
    {
      g_ptr_array_add (captured_warnings, g_strdup (message));
      return G_LOG_WRITER_HANDLED;
    }
  return g_log_writer_default (level, fields, n_fields, user_data);
}

/* Asserts that exactly @n warnings were captured, each matching @pattern,
 * and forgets them. */
static void
assert_warnings (guint       n,
                 const char *pattern)
{
  for (guint i = 0; i < captured_warnings->len; i++)
    if (!g_pattern_match_simple (pattern, g_ptr_array_index (captured_warnings, i)))
      g_error ("unexpected warning: %s", (char *) g_ptr_array_index (captured_warnings, i));
  g_assert_cmpuint (captured_warnings->len, ==, n);
  g_ptr_array_set_size (captured_warnings, 0);
}

/* A name conflict is warned about when it is found — at the first scan, or
 * when one of the two files is scanned again — and not at every start that
 * only reads it back from the cache; the duplicate stays refused. */
static void
test_conflict_warned_once (Fixture       *f,
                           gconstpointer  data)
{
  g_autofree char *dup = fixture_path ("later-duplicate");
  g_autofree char *copy = copy_into (dup, f->dir, NULL);
  g_autoptr(SetlPluginRegistry) r1 = NULL;
  g_autoptr(SetlPluginRegistry) r2 = NULL;
  g_autoptr(SetlPluginRegistry) r3 = NULL;
  g_autoptr(SetlPluginRegistry) r4 = NULL;
  g_autofree char *pattern = g_strdup_printf ("*%s*ignored*%s*", copy, f->alpha);
  SetlPlugin *p;

  captured_warnings = g_ptr_array_new_with_free_func (g_free);
  r1 = start (f, 3);
  assert_warnings (1, pattern);
  g_assert_nonnull (find_refused (r1, copy));

  /* Nothing changed: no warning, still refused for the same reason. */
  r2 = start (f, 0);
  assert_warnings (0, pattern);
  p = find_refused (r2, copy);
  g_assert_nonnull (p);
  g_assert_error ((GError *) setl_plugin_get_error (p), SETL_PLUGIN_ERROR,
                  SETL_PLUGIN_ERROR_NAME_CONFLICT);
  g_assert_nonnull (strstr (setl_plugin_get_error (p)->message, f->alpha));
  g_assert_cmpstr (setl_plugin_get_filename (setl_plugin_registry_lookup_plugin (r2, "good-alpha")),
                   ==, f->alpha);

  /* The duplicate changed and was scanned again: found again, warned again. */
  touch_later (copy);
  r3 = start (f, 1);
  assert_warnings (1, pattern);

  /* The winner is gone: no conflict left, nothing to warn about, and the
   * former duplicate is the plugin. */
  g_assert_cmpint (g_unlink (f->alpha), ==, 0);
  r4 = start (f, 0);
  assert_warnings (0, pattern);
  g_assert_null (find_refused (r4, copy));
  g_assert_cmpstr (setl_plugin_get_filename (setl_plugin_registry_lookup_plugin (r4, "good-alpha")),
                   ==, copy);
  g_clear_pointer (&captured_warnings, g_ptr_array_unref);
}

/* A plugin's schemas are known from the cache without opening it, and are
 * registered in the schema registry when its feature is first used — once,
 * however many times that happens. */
static void
test_plugin_schemas (Fixture       *f,
                     gconstpointer  data)
{
  if (g_test_subprocess ())
    {
      g_autofree char *schema_fixture = fixture_path ("good-schema");
      g_autofree char *plugin_file = copy_into (schema_fixture, f->dir, NULL);
      g_autofree char *schema_dir = make_temp_dir ("schemas");
      g_autoptr(SetlPluginRegistry) cold = NULL;
      g_autoptr(SetlPluginRegistry) warm = NULL;
      g_autoptr(SetlPluginRegistry) again = NULL;
      g_autoptr(SetlSchemaRegistry) schemas = NULL;
      g_autoptr(SetlFactory) source = NULL;
      g_autoptr(SetlFactory) source2 = NULL;
      g_autoptr(SetlSchema) stored = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree guint *versions = NULL;
      g_auto(GStrv) names = NULL;
      gsize n_versions = 0;
      SetlPlugin *plugin;
      JsonObject *document;

      g_setenv ("SETL_SCHEMA_PATH", schema_dir, TRUE);
      schemas = setl_schema_registry_new (NULL);

      /* The scan (in the helper) records the schema; it registers nothing. */
      cold = start (f, 3);
      plugin = setl_plugin_registry_lookup_plugin (cold, "good-schema");
      g_assert_nonnull (plugin);
      g_assert_cmpuint (setl_plugin_get_schemas (plugin)->len, ==, 1);
      names = setl_schema_registry_list_names (schemas, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (g_strv_length (names), ==, 0);
      g_clear_pointer (&names, g_strfreev);

      /* Warm start: the schema comes from the cache, the module stays closed. */
      warm = start (f, 0);
      plugin = setl_plugin_registry_lookup_plugin (warm, "good-schema");
      g_assert_cmpuint (setl_plugin_get_schemas (plugin)->len, ==, 1);
      document = json_node_get_object (g_ptr_array_index (setl_plugin_get_schemas (plugin), 0));
      g_assert_cmpstr (json_object_get_string_member (document, "name"), ==, "fixture-orders");
      g_assert_false (module_is_mapped (plugin_file));
      names = setl_schema_registry_list_names (schemas, &error);
      g_assert_cmpuint (g_strv_length (names), ==, 0);
      g_clear_pointer (&names, g_strfreev);

      /* First use of a feature: the module opens, the schema is registered. */
      source = setl_plugin_registry_create_factory (warm, "schema-source", &error);
      g_assert_no_error (error);
      g_assert_true (module_is_mapped (plugin_file));
      stored = setl_schema_registry_lookup (schemas, "fixture-orders@latest", &error);
      g_assert_no_error (error);
      g_assert_cmpuint (setl_schema_get_version (stored), ==, 1);
      g_assert_cmpuint (setl_schema_get_n_columns (stored), ==, 2);
      g_assert_cmpstr (setl_schema_column_get_name (setl_schema_get_column (stored, 1)), ==, "amount");
      g_assert_cmpstr (setl_schema_get_description (stored), ==, "one row per order line");
      /* Still one schema after loading (the init added it again). */
      g_assert_cmpuint (setl_plugin_get_schemas (plugin)->len, ==, 1);

      /* Another registry in the process, another use: nothing new. */
      again = start (f, 0);
      source2 = setl_plugin_registry_create_factory (again, "schema-source", &error);
      g_assert_no_error (error);
      versions = setl_schema_registry_list_versions (schemas, "fixture-orders", &n_versions, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (n_versions, ==, 1);
      g_unsetenv ("SETL_SCHEMA_PATH");
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_log_set_writer_func (capture_writer, NULL, NULL);

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
  ADD ("scan-timeout", test_scan_timeout);
  ADD ("conflict-warned-once", test_conflict_warned_once);
  ADD ("plugin-schemas", test_plugin_schemas);
#undef ADD

  return g_test_run ();
}
