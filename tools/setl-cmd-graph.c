/* setl-cmd-graph.c: `setl graph FILE` — the dependency graph of a pipeline
 * file, as Mermaid or Graphviz DOT.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <stdio.h>

#include <setl/setl-plugin.h>

#include "setl-commands.h"
#include "setl-pipeline-cli.h"

int
setl_cmd_graph (int    argc,
                char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new ("FILE — draw a pipeline file's dependency graph");
  g_auto(GStrv) params = NULL;
  g_autofree char *format = NULL;
  GOptionEntry entries[] = {
    { "format", 'f', 0, G_OPTION_ARG_STRING, &format,
      "mermaid (the default) or dot", "FORMAT" },
    { "param", 'p', 0, G_OPTION_ARG_STRING_ARRAY, &params,
      "Set a parameter (repeatable)", "NAME=VALUE" },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(SetlPluginRegistry) registry = NULL;
  g_autoptr(SetlPipelineFile) file = NULL;
  g_autoptr(SetlPipeline) pipeline = NULL;
  g_autofree char *graph = NULL;

  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_set_summary (context,
    "Builds the pipeline (as `setl check` does) and prints its graph: factories\n"
    "and the flows between them, grouped by stage.");
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      fprintf (stderr, "setl graph: %s\n", error->message);
      return 2;
    }
  if (argc != 2)
    {
      fprintf (stderr, "Usage: setl graph FILE [--format mermaid|dot] [--param NAME=VALUE]…\n");
      return 2;
    }
  if (format != NULL && !g_str_equal (format, "mermaid") && !g_str_equal (format, "dot"))
    {
      fprintf (stderr, "setl graph: unknown format “%s” (mermaid or dot)\n", format);
      return 2;
    }

  if ((file = setl_cli_load (argv[1], params, &error)) == NULL ||
      (registry = setl_cli_open_registry (&error)) == NULL ||
      (pipeline = setl_pipeline_file_build (file, registry, &error)) == NULL)
    {
      fprintf (stderr, "setl graph: %s\n", error->message);
      return 1;
    }

  /* sub-pipelines as subgraphs; otherwise as setl_pipeline_to_dot/mermaid() */
  graph = setl_pipeline_file_draw (file, pipeline, format != NULL ? format : "mermaid");
  fputs (graph, stdout);
  if (graph[0] != '\0' && !g_str_has_suffix (graph, "\n"))
    fputc ('\n', stdout);
  return 0;
}
