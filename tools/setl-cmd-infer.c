/* setl-cmd-infer.c: `setl schema infer DATA [-o FILE]` — a schema document
 * inferred from a data file (see SetlSchemaInference), that the same data
 * then passes.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <stdio.h>
#include <string.h>

#include <setl/setl-validation.h>
#include <setl/setl-schema-inference.h>

#include "setl-commands.h"
#include "setl-data-cli.h"
#include "setl-pipeline-cli.h"

int
setl_cmd_schema_infer (int    argc,
                       char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new ("DATA — infer a schema from data");
  g_autofree char *output = NULL;
  g_autofree char *name = NULL;
  g_autofree char *table = NULL;
  gint max_categories = SETL_SCHEMA_INFERENCE_DEFAULT_MAX_CATEGORIES;
  gboolean string_lengths = FALSE;
  gboolean no_ranges = FALSE;
  GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
      "Write the schema to FILE (atomically) rather than to standard output", "FILE" },
    { "name", 'n', 0, G_OPTION_ARG_STRING, &name,
      "The schema's name (default: DATA's base name)", "NAME" },
    { "table", 't', 0, G_OPTION_ARG_STRING, &table,
      "The table to read, for database formats (SQLite)", "TABLE" },
    { "max-categories", 0, 0, G_OPTION_ARG_INT, &max_categories,
      "Most distinct values of a string column inferred as categorical (isin); 0: never", "N" },
    { "string-lengths", 0, 0, G_OPTION_ARG_NONE, &string_lengths,
      "Infer str_length checks for strings that are not categorical", NULL },
    { "no-ranges", 0, 0, G_OPTION_ARG_NONE, &no_ranges,
      "Do not infer in_range checks for numbers, dates and timestamps", NULL },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(SetlPluginRegistry) plugins = NULL;
  g_autoptr(SetlBatchStream) data = NULL;
  g_autoptr(SetlSchemaInference) inference = NULL;
  g_autoptr(SetlSchema) schema = NULL;
  g_autofree char *json = NULL;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      fprintf (stderr, "setl schema infer: %s\n", error->message);
      return 2;
    }
  if (argc != 2 || max_categories < 0)
    {
      fprintf (stderr, "Usage: setl schema infer DATA [-o FILE] [--name NAME] [--table T] "
               "[--max-categories N] [--string-lengths] [--no-ranges]\n");
      return 2;
    }
  if (name == NULL)
    {
      g_autofree char *base = g_path_get_basename (argv[1]);
      char *dot = strrchr (base, '.');

      if (dot != NULL && dot != base)
        *dot = '\0';
      /* Schema names are identifiers: anything else becomes "_". */
      for (char *p = base; *p; p++)
        if (!g_ascii_isalnum (*p) && *p != '_' && *p != '-')
          *p = '_';
      name = g_steal_pointer (&base);
    }

  if ((plugins = setl_cli_open_registry (&error)) == NULL ||
      (data = setl_data_cli_open (plugins, argv[1], NULL, table, &error)) == NULL)
    {
      fprintf (stderr, "setl schema infer: %s\n", error->message);
      return 2;
    }
  inference = setl_schema_inference_new (name);
  setl_schema_inference_set_max_categories (inference, (guint) max_categories);
  setl_schema_inference_set_string_lengths (inference, string_lengths);
  setl_schema_inference_set_ranges (inference, !no_ranges);
  if (!setl_schema_inference_add_stream (inference, data, NULL, &error) ||
      (schema = setl_schema_inference_get_schema (inference, &error)) == NULL)
    {
      fprintf (stderr, "setl schema infer: %s\n", error->message);
      return 1;
    }
  json = setl_schema_to_json (schema, TRUE);
  if (output == NULL)
    {
      printf ("%s\n", json);
      return 0;
    }
  {
    g_autofree char *with_newline = g_strconcat (json, "\n", NULL);

    if (!setl_data_cli_write_file (output, with_newline, -1, &error))
      {
        fprintf (stderr, "setl schema infer: %s\n", error->message);
        return 2;
      }
  }
  fprintf (stderr, "setl schema infer: schema “%s” (%u columns) written to %s\n",
           name, setl_schema_get_n_columns (schema), output);
  return 0;
}
