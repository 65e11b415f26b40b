/* setl-cmd-synth.c: `setl synth --schema S --rows N` — rows made from a
 * schema (see SetlSynthesizer): rows that pass every check, or with
 * --invalid rows that each break exactly one, listed in a sidecar file
 * OUT.checks.jsonl (row → column, check, check_number, reason).
 *
 * The rows stream from the synthesizer into the sink, batch by batch, so
 * memory stays bounded whatever N; the sidecar is written as the batches
 * are made, into a temporary file renamed once the rows are written.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
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

/* The sidecar: one JSON line per invalid row, written as batches come. */
typedef struct {
  char *path;                /* OUT.checks.jsonl */
  char *temp_path;           /* beside it, renamed at the end */
  FILE *file;
  GError *error;             /* the first write error */
} Sidecar;

static void
sidecar_write_batch (SetlSynthesizer *synth,
                     SetlRecordBatch *targets,
                     Sidecar         *sidecar)
{
  SetlColumn *row = setl_record_batch_get_column_by_name (targets, "row");
  SetlColumn *column = setl_record_batch_get_column_by_name (targets, "column");
  SetlColumn *check = setl_record_batch_get_column_by_name (targets, "check");
  SetlColumn *number = setl_record_batch_get_column_by_name (targets, "check_number");
  SetlColumn *reason = setl_record_batch_get_column_by_name (targets, "reason");
  g_autoptr(JsonGenerator) generator = json_generator_new ();

  for (gint64 i = 0; sidecar->error == NULL && i < setl_record_batch_get_n_rows (targets); i++)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) node = NULL;
      g_autofree char *text_column = setl_column_dup_string (column, i);
      g_autofree char *text_check = setl_column_dup_string (check, i);
      g_autofree char *text_reason = setl_column_dup_string (reason, i);
      g_autofree char *line = NULL;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "row");
      json_builder_add_int_value (builder, setl_column_get_int64 (row, i));
      json_builder_set_member_name (builder, "column");
      json_builder_add_string_value (builder, text_column);
      json_builder_set_member_name (builder, "check");
      json_builder_add_string_value (builder, text_check);
      json_builder_set_member_name (builder, "check_number");
      if (setl_column_is_null (number, i))
        json_builder_add_null_value (builder);
      else
        json_builder_add_int_value (builder, setl_column_get_int64 (number, i));
      json_builder_set_member_name (builder, "reason");
      json_builder_add_string_value (builder, text_reason);
      json_builder_end_object (builder);
      node = json_builder_get_root (builder);
      json_generator_set_root (generator, node);
      line = json_generator_to_data (generator, NULL);
      if (fputs (line, sidecar->file) == EOF || fputc ('\n', sidecar->file) == EOF)
        g_set_error (&sidecar->error, G_IO_ERROR, g_io_error_from_errno (errno),
                     "cannot write “%s”: %s", sidecar->temp_path, g_strerror (errno));
    }
}

static gboolean
sidecar_open (Sidecar     *sidecar,
              const char  *output,
              GError     **error)
{
  int fd;

  sidecar->path = g_strconcat (output, ".checks.jsonl", NULL);
  sidecar->temp_path = g_strconcat (sidecar->path, ".XXXXXX", NULL);
  fd = g_mkstemp (sidecar->temp_path);
  if (fd < 0 || (sidecar->file = fdopen (fd, "w")) == NULL)
    {
      int saved = errno;

      if (fd >= 0)
        close (fd);
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   "cannot create a temporary file beside “%s”: %s", sidecar->path, g_strerror (saved));
      g_clear_pointer (&sidecar->temp_path, g_free);
      return FALSE;
    }
  return TRUE;
}

/* Flushes and renames the temporary file into place, or removes it. */
static gboolean
sidecar_close (Sidecar     *sidecar,
               gboolean     keep,
               GError     **error)
{
  gboolean ok = keep && sidecar->error == NULL;

  if (sidecar->file != NULL)
    {
      if (ok && (fflush (sidecar->file) != 0 || fsync (fileno (sidecar->file)) != 0))
        {
          g_set_error (&sidecar->error, G_IO_ERROR, g_io_error_from_errno (errno),
                       "cannot write “%s”: %s", sidecar->temp_path, g_strerror (errno));
          ok = FALSE;
        }
      fclose (sidecar->file);
      sidecar->file = NULL;
    }
  if (ok && g_rename (sidecar->temp_path, sidecar->path) != 0)
    {
      g_set_error (&sidecar->error, G_IO_ERROR, g_io_error_from_errno (errno),
                   "cannot rename “%s” to “%s”: %s", sidecar->temp_path, sidecar->path, g_strerror (errno));
      ok = FALSE;
    }
  if (!ok && sidecar->temp_path != NULL)
    g_unlink (sidecar->temp_path);
  if (keep && !ok && sidecar->error != NULL)
    g_propagate_error (error, g_steal_pointer (&sidecar->error));
  g_clear_error (&sidecar->error);
  g_clear_pointer (&sidecar->path, g_free);
  g_clear_pointer (&sidecar->temp_path, g_free);
  return ok;
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
      "The fraction of nulls in each nullable column of valid rows (0 to 1, default 0)", "P" },
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
  g_autoptr(SetlBatchStream) rows = NULL;
  g_autofree char *temp_dir = NULL;
  g_autofree char *path = NULL;
  Sidecar sidecar = { NULL, NULL, NULL, NULL };
  gulong handler = 0;
  gint64 n_written = 0;
  gboolean written;

  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_set_summary (context,
    "Writes N rows that pass every check of schema S, or with --invalid rows that\n"
    "each break exactly one check (named in OUT.checks.jsonl). Contradictory checks\n"
    "on a column, and rows the schema cannot hold (row count, unique values or\n"
    "combinations too few), are refused. Rows stream into OUT: memory stays bounded.\n"
    "Exit status: 0 done, 1 cannot, 2 usage or I/O error.");
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
  rows = invalid ? setl_synthesizer_generate_invalid_stream (synth, n_rows, &error)
                 : setl_synthesizer_generate_stream (synth, n_rows, &error);
  if (rows == NULL)
    {
      fprintf (stderr, "setl synth: %s\n", error->message);
      return 1;
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
  if (invalid)
    {
      if (!sidecar_open (&sidecar, output, &error))
        {
          fprintf (stderr, "setl synth: %s\n", error->message);
          return 2;
        }
      handler = g_signal_connect (synth, "targets", G_CALLBACK (sidecar_write_batch), &sidecar);
    }
  /* The sink pulls the batches: they are made as it writes them. */
  written = setl_data_cli_write (plugins, path, NULL, table_name, rows, &n_written, &error);
  if (handler != 0)
    g_signal_handler_disconnect (synth, handler);
  if (invalid && !sidecar_close (&sidecar, written, written ? &error : NULL))
    written = FALSE;
  if (!written)
    {
      /* Rows the schema cannot hold are found while writing (exit 1);
       * anything else is an I/O error. */
      gboolean synthesis = error->domain == SETL_VALIDATION_ERROR;

      fprintf (stderr, "setl synth: %s\n", error->message);
      if (temp_dir != NULL)
        {
          g_unlink (path);
          g_rmdir (temp_dir);
        }
      return synthesis ? 1 : 2;
    }
  if (invalid)
    {
      g_auto(GStrv) skipped = setl_synthesizer_get_unbreakable (synth);

      for (guint i = 0; skipped[i] != NULL; i++)
        fprintf (stderr, "setl synth: cannot break “%s” alone: no row breaks it\n", skipped[i]);
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
