/* setl-cmd-synth.c: `setl synth --schema S --rows N` — rows made from a
 * schema (see SetlSynthesizer): rows that pass every check, or with
 * --invalid rows that each break exactly one, listed in a sidecar file
 * OUT.checks.jsonl (row → column, check, check_number, reason).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <stdio.h>
#include <string.h>
#include <glib/gstdio.h>

#include <setl/setl-validation.h>
#include <setl/setl-synthesizer.h>

#include "setl-commands.h"
#include "setl-data-cli.h"
#include "setl-pipeline-cli.h"

static int
usage_error (const char *message)
{
  fprintf (stderr, "setl synth: %s\n"
           "Usage: setl synth --schema S --rows N [--seed K] [-o OUT] [--invalid]\n", message);
  return 2;
}

int
setl_cmd_synth (int    argc,
                char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new ("— make rows from a schema");
  g_autofree char *schema_spec = NULL;
  g_autofree char *output = NULL;
  g_autofree char *table_name = NULL;
  g_autofree char *registry_path = NULL;
  gint64 n_rows = -1;
  gint64 seed = 1;
  double null_probability = 0;
  gboolean invalid = FALSE;
  GOptionEntry entries[] = {
    { "schema", 's', 0, G_OPTION_ARG_STRING, &schema_spec,
      "The schema: a file, or a registry reference NAME@VERSION or NAME@latest", "S" },
    { "rows", 'n', 0, G_OPTION_ARG_INT64, &n_rows, "How many rows", "N" },
    { "seed", 0, 0, G_OPTION_ARG_INT64, &seed, "The random seed (default 1): same seed, same rows", "K" },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
      "Write the rows to OUT (format by extension; default: CSV on standard output)", "OUT" },
    { "invalid", 0, 0, G_OPTION_ARG_NONE, &invalid,
      "Rows that each break exactly one check, listed in OUT.checks.jsonl", NULL },
    { "null-probability", 0, 0, G_OPTION_ARG_DOUBLE, &null_probability,
      "How often a nullable column is null in valid rows (0 to 1, default 0)", "P" },
    { "table", 't', 0, G_OPTION_ARG_STRING, &table_name,
      "The table to write, for database formats (SQLite)", "TABLE" },
    { "registry", 0, 0, G_OPTION_ARG_FILENAME, &registry_path,
      "The schema registry directory (default: $SETL_SCHEMA_PATH)", "DIR" },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(SetlSchema) schema = NULL;
  g_autoptr(SetlPluginRegistry) plugins = NULL;
  g_autoptr(SetlCheckCatalog) catalog = NULL;
  g_autoptr(SetlSynthesizer) synth = NULL;
  g_autoptr(SetlTable) rows = NULL;
  g_autoptr(SetlTable) targets = NULL;
  g_autofree char *temp_dir = NULL;
  g_autofree char *path = NULL;
  gint64 n_written = 0;

  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_set_summary (context,
    "Writes N rows that pass every check of schema S, or with --invalid rows that\n"
    "each break exactly one check (named in OUT.checks.jsonl). Contradictory checks\n"
    "on a column are refused. Exit status: 0 done, 1 cannot, 2 usage or I/O error.");
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage_error (error->message);
  if (argc != 1)
    return usage_error ("unexpected argument");
  if (schema_spec == NULL || n_rows < 0)
    return usage_error ("--schema S and --rows N are required");
  if (seed < 0 || seed > G_MAXUINT32)
    return usage_error ("--seed is between 0 and 4294967295");
  if (null_probability < 0 || null_probability > 1)
    return usage_error ("--null-probability is between 0 and 1");
  if (invalid && output == NULL)
    return usage_error ("--invalid needs -o OUT (the sidecar is OUT.checks.jsonl)");

  if ((schema = setl_data_cli_load_schema (schema_spec, registry_path, &error)) == NULL ||
      (plugins = setl_cli_open_registry (&error)) == NULL)
    {
      fprintf (stderr, "setl synth: %s\n", error->message);
      return 2;
    }
  catalog = setl_check_catalog_new (plugins);
  if ((synth = setl_synthesizer_new (schema, catalog, &error)) == NULL)
    {
      fprintf (stderr, "setl synth: %s\n", error->message);
      return 1;
    }
  setl_synthesizer_set_seed (synth, (guint32) seed);
  setl_synthesizer_set_null_probability (synth, null_probability);
  rows = invalid ? setl_synthesizer_generate_invalid (synth, n_rows, &targets, NULL, &error)
                 : setl_synthesizer_generate (synth, n_rows, NULL, &error);
  if (rows == NULL)
    {
      fprintf (stderr, "setl synth: %s\n", error->message);
      return 1;
    }
  if (invalid)
    {
      g_auto(GStrv) skipped = setl_synthesizer_get_unbreakable (synth);

      for (guint i = 0; skipped[i] != NULL; i++)
        fprintf (stderr, "setl synth: cannot break “%s” alone: no row breaks it\n", skipped[i]);
    }

  if (output != NULL)
    path = g_strdup (output);
  else
    {
      /* Sinks write files: CSV into a private directory, then copied out. */
      if ((temp_dir = g_dir_make_tmp ("setl-synth-XXXXXX", &error)) == NULL)
        {
          fprintf (stderr, "setl synth: %s\n", error->message);
          return 2;
        }
      path = g_build_filename (temp_dir, "rows.csv", NULL);
    }
  if (!setl_data_cli_write (plugins, path, NULL, table_name, SETL_BATCH_STREAM (rows),
                            &n_written, &error))
    {
      fprintf (stderr, "setl synth: %s\n", error->message);
      return 2;
    }
  if (targets != NULL)
    {
      g_autofree char *sidecar = g_strconcat (output, ".checks.jsonl", NULL);

      if (!setl_data_cli_write (plugins, sidecar, "jsonl", NULL, SETL_BATCH_STREAM (targets),
                                NULL, &error))
        {
          fprintf (stderr, "setl synth: %s\n", error->message);
          return 2;
        }
    }
  if (temp_dir != NULL)
    {
      g_autofree char *contents = NULL;
      gsize length;

      if (!g_file_get_contents (path, &contents, &length, &error))
        {
          fprintf (stderr, "setl synth: %s\n", error->message);
          return 2;
        }
      fwrite (contents, 1, length, stdout);
      g_unlink (path);
      g_rmdir (temp_dir);
    }
  else if (invalid)
    fprintf (stderr, "setl synth: %" G_GINT64_FORMAT " invalid rows written to %s, "
             "the check each breaks to %s.checks.jsonl\n", n_written, output, output);
  else
    fprintf (stderr, "setl synth: %" G_GINT64_FORMAT " rows written to %s\n", n_written, output);
  return 0;
}
