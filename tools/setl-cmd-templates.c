/* setl-cmd-templates.c: `setl templates` — the pipeline templates of the
 * library (SETL_PIPELINE_PATH, the user's and the system's directories,
 * the plugins' templates/ directories), as `setl plugins` lists plugins.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <stdio.h>

#include <setl/setl-plugin.h>

#include "setl-commands.h"
#include "setl-pipeline-cli.h"

int
setl_cmd_templates (int    argc,
                    char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new ("— list the pipeline templates of the library");
  gboolean show_path = FALSE;
  GOptionEntry entries[] = {
    { "path", 0, 0, G_OPTION_ARG_NONE, &show_path, "Print the search path and exit", NULL },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(SetlPluginRegistry) registry = NULL;
  g_autoptr(GPtrArray) templates = NULL;
  g_autoptr(GPtrArray) errors = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_auto(GStrv) path = NULL;

  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_set_summary (context,
    "Lists every template on the search path — name@version, description and\n"
    "file — and the files that do not load. “setl inspect NAME” shows one.");
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      fprintf (stderr, "setl templates: %s\n", error->message);
      return 2;
    }
  if (argc != 1)
    {
      fprintf (stderr, "Usage: setl templates [--path]\n");
      return 2;
    }

  /* Plugins ship templates beside their modules: a registry is needed,
   * but a broken plugin setup only hides those templates. */
  registry = setl_cli_open_registry (&error);
  if (registry == NULL)
    {
      fprintf (stderr, "setl templates: warning: %s (the plugins' templates are not listed)\n",
               error->message);
      g_clear_error (&error);
    }

  path = setl_pipeline_library_get_search_path (registry);
  if (show_path)
    {
      for (guint i = 0; path[i] != NULL; i++)
        printf ("%s\n", path[i]);
      return 0;
    }

  templates = setl_pipeline_library_list (registry, &errors);
  for (guint i = 0; i < templates->len; i++)
    {
      SetlPipelineFile *t = g_ptr_array_index (templates, i);
      guint version = setl_pipeline_file_get_version (t);
      g_autofree char *id = g_strdup_printf ("%s@%u", setl_pipeline_file_get_name (t), version ? version : 1);
      const char *description = setl_pipeline_file_get_description (t);
      gboolean shadowed = g_hash_table_contains (seen, id);

      printf ("%-28s %s%s\n    %s\n", id, description ? description : "",
              shadowed ? " (shadowed by the one above)" : "",
              setl_pipeline_file_get_source_name (t));
      g_hash_table_add (seen, g_steal_pointer (&id));
    }
  if (templates->len == 0)
    {
      g_autofree char *joined = g_strjoinv (G_SEARCHPATH_SEPARATOR_S, path);

      printf ("No templates (search path: %s).\n", joined[0] ? joined : "empty");
    }
  for (guint i = 0; i < errors->len; i++)
    fprintf (stderr, "setl templates: warning: %s\n", ((GError *) g_ptr_array_index (errors, i))->message);
  printf ("\n%u template%s\n", templates->len, templates->len == 1 ? "" : "s");
  return 0;
}
