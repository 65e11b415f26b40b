/* setl-cmd-check.c: `setl check FILE` — loads and builds a pipeline file
 * against the installed plugins, inspects it, and prints what would run in
 * which stage, without running anything.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <stdio.h>

#include <setl/setl-plugin.h>

#include "setl-commands.h"
#include "setl-pipeline-cli.h"

static void
print_parameters (SetlPipelineFile *file)
{
  g_auto(GStrv) names = setl_pipeline_file_list_parameters (file);

  if (names[0] == NULL)
    return;
  printf ("parameters:\n");
  for (guint i = 0; names[i] != NULL; i++)
    {
      const char *desc = setl_pipeline_file_get_parameter_description (file, names[i]);

      printf ("  %s (%s) = %s%s%s\n", names[i],
              setl_pipeline_file_get_parameter_type (file, names[i]),
              setl_pipeline_file_get_parameter (file, names[i]),
              desc ? " — " : "", desc ? desc : "");
    }
}

static void
print_stages (SetlPipelineFile *file,
              SetlPipeline     *pipeline)
{
  GPtrArray *stages = setl_pipeline_get_stages (pipeline);

  for (guint s = 0; s < stages->len; s++)
    {
      GPtrArray *factories = setl_stage_get_factories (g_ptr_array_index (stages, s));

      printf ("stage %u:\n", s);
      for (guint i = 0; i < factories->len; i++)
        {
          SetlFactory *f = g_ptr_array_index (factories, i);
          GPtrArray *slots = setl_factory_get_deliveries (f);
          const char *name = setl_factory_get_name (f);
          g_autoptr(GString) line = g_string_new (NULL);

          g_string_printf (line, "  %-20s %-14s", name,
                           setl_pipeline_file_get_factory_feature (file, name));
          for (guint k = 0; k < slots->len; k++)
            {
              SetlDelivery *d = g_ptr_array_index (slots, k);

              g_string_append_printf (line, "%s%s ← %s", k ? ", " : " ",
                                      setl_delivery_get_name (d),
                                      *setl_delivery_get_delivery_id (d)
                                        ? setl_delivery_get_delivery_id (d) : "(unwired)");
            }
          g_strchomp (line->str);
          printf ("%s\n", line->str);
        }
    }
}

int
setl_cmd_check (int    argc,
                char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new ("FILE — validate a pipeline file without running it");
  g_auto(GStrv) params = NULL;
  GOptionEntry entries[] = {
    { "param", 'p', 0, G_OPTION_ARG_STRING_ARRAY, &params,
      "Set a parameter (repeatable)", "NAME=VALUE" },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(SetlPluginRegistry) registry = NULL;
  g_autoptr(SetlPipelineFile) file = NULL;
  g_autoptr(SetlPipeline) pipeline = NULL;
  guint n_factories = 0;
  GPtrArray *stages;

  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_set_summary (context,
    "Checks the file's JSON and structure, every feature and property against the\n"
    "installed plugins, the wiring and the stages, and the dependency graph (the\n"
    "pipeline's inspector); prints what would run in which stage.\n"
    "Exit status: 0 if the pipeline is valid, 1 if not, 2 on a usage error.");
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      fprintf (stderr, "setl check: %s\n", error->message);
      return 2;
    }
  if (argc != 2)
    {
      fprintf (stderr, "Usage: setl check FILE [--param NAME=VALUE]…\n");
      return 2;
    }

  if ((file = setl_cli_load (argv[1], params, &error)) == NULL ||
      (registry = setl_cli_open_registry (&error)) == NULL ||
      (pipeline = setl_pipeline_file_build (file, registry, &error)) == NULL)
    {
      fprintf (stderr, "setl check: %s\n", error->message);
      return 1;
    }

  stages = setl_pipeline_get_stages (pipeline);
  for (guint s = 0; s < stages->len; s++)
    n_factories += setl_stage_get_factories (g_ptr_array_index (stages, s))->len;
  printf ("%s: pipeline “%s” is valid: %u %s in %u %s\n", argv[1],
          setl_pipeline_file_get_name (file), n_factories,
          n_factories == 1 ? "factory" : "factories", stages->len,
          stages->len == 1 ? "stage" : "stages");
  print_parameters (file);
  print_stages (file, pipeline);
  return 0;
}
