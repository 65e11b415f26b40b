/* pf-test-util.c: see pf-test-util.h. */
#include "pf-test-util.h"

#include <sys/wait.h>

#include <glib/gstdio.h>

SetlPluginRegistry *
pf_registry (void)
{
  static SetlPluginRegistry *registry;

  if (registry == NULL)
    {
      g_autoptr(GError) error = NULL;

      registry = setl_plugin_registry_new (NULL, NULL);
      g_assert_true (setl_plugin_registry_update (registry, &error));
      g_assert_no_error (error);
    }
  return registry;
}

SetlPipeline *
pf_build (const char  *json,
          GError     **error)
{
  g_autoptr(SetlPipelineFile) file =
    setl_pipeline_file_new_from_data (json, -1, "test.setl.json", "/data", error);

  if (file == NULL)
    return NULL;
  return setl_pipeline_file_build (file, pf_registry (), error);
}

void
pf_assert_error (const char *json,
                 int         code,
                 const char *message)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SetlPipeline) pipeline = pf_build (json, &error);

  g_assert_null (pipeline);
  g_assert_nonnull (error);
  g_assert_cmpstr (error->message, ==, message);
  g_assert_error (error, SETL_PIPELINE_FILE_ERROR, code);
}

char *
pf_temp_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("setl-pf-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

void
pf_remove_tree (const char *path)
{
  GDir *dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir != NULL)
    {
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
            pf_remove_tree (child);
          else
            g_unlink (child);
        }
      g_dir_close (dir);
    }
  g_rmdir (path);
}

int
pf_run_tool (const char  *cwd,
             char       **out,
             char       **err,
             const char  *first_arg,
             ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  const char *tool = g_getenv ("SETL_TOOL");
  int status = -1;
  va_list args;

  g_assert_nonnull (tool);
  g_ptr_array_add (argv, (gpointer) tool);
  va_start (args, first_arg);
  for (const char *a = first_arg; a != NULL; a = va_arg (args, const char *))
    g_ptr_array_add (argv, (gpointer) a);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  g_spawn_sync (cwd, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                out, err, &status, &error);
  g_assert_no_error (error);
  g_test_message ("setl %s → status %d\nstdout:\n%s\nstderr:\n%s", first_arg, status,
                  out ? *out : "", err ? *err : "");
  if (!WIFEXITED (status))
    return -1;
  return WEXITSTATUS (status);
}

char *
pf_write_file (const char *dir,
               const char *name,
               const char *contents)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (dir, name, NULL);

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
  return path;
}
