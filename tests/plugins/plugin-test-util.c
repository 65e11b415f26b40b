/* plugin-test-util.c */
#include "plugin-test-util.h"

#include <glib/gstdio.h>

char *
fixture_path (const char *name)
{
  const char *dir = g_getenv ("SETL_TEST_FIXTURES");

  g_assert_nonnull (dir);
  return g_strdup_printf ("%s/%s.%s", dir, name, G_MODULE_SUFFIX);
}

char *
make_temp_dir (const char *hint)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *template = g_strdup_printf ("setl-%s-XXXXXX", hint);
  char *dir = g_dir_make_tmp (template, &error);

  g_assert_no_error (error);
  return dir;
}

char *
copy_into (const char *src,
           const char *dir,
           const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *base = g_path_get_basename (src);
  g_autofree char *contents = NULL;
  gsize length;
  char *dest = g_build_filename (dir, name ? name : base, NULL);

  g_file_get_contents (src, &contents, &length, &error);
  g_assert_no_error (error);
  g_file_set_contents (dest, contents, length, &error);
  g_assert_no_error (error);
  return dest;
}

gboolean
module_is_mapped (const char *path)
{
  g_autofree char *maps = NULL;
  g_autofree char *needle = g_strdup_printf (" %s\n", path);

  g_assert_true (g_file_get_contents ("/proc/self/maps", &maps, NULL, NULL));
  return strstr (maps, needle) != NULL;
}

SetlPlugin *
find_refused (SetlPluginRegistry *registry,
              const char         *filename)
{
  g_autoptr(GPtrArray) refused = setl_plugin_registry_get_refused (registry);

  for (guint i = 0; i < refused->len; i++)
    {
      SetlPlugin *p = g_ptr_array_index (refused, i);
      if (g_str_equal (setl_plugin_get_filename (p), filename))
        return p;   /* the registry keeps a reference */
    }
  return NULL;
}

void
make_warnings_nonfatal (void)
{
  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
}
