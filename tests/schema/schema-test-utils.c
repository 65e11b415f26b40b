/* schema-test-utils.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "schema-test-utils.h"

#include <glib/gstdio.h>

char *
schema_test_make_tmp_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("setl-schema-test-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

void
schema_test_remove_tree (const char *path)
{
  g_autoptr(GDir) dir = NULL;
  const char *entry;

  if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    {
      dir = g_dir_open (path, 0, NULL);
      while (dir != NULL && (entry = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, entry, NULL);

          schema_test_remove_tree (child);
        }
      g_rmdir (path);
    }
  else
    g_unlink (path);
}

SetlSchema *
schema_test_parse (const char *json)
{
  g_autoptr(GError) error = NULL;
  SetlSchema *schema = setl_schema_new_from_data (json, -1, "test.json", &error);

  g_assert_no_error (error);
  g_assert_nonnull (schema);
  return schema;
}

char *
schema_test_write_file (const char *dir,
                        const char *basename,
                        const char *contents)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (dir, basename, NULL);

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
  return path;
}
