/* setl-cmd-validate.c: `setl validate --schema S DATA` — validates a data
 * file against a schema document.
 *
 *   setl validate --schema S DATA [--lazy] [--report FILE.json]
 *                 [--drop-invalid OUT] [--table T] [--registry DIR]
 *                 [--max-failure-cases N] [--depth DEPTH]
 *
 * S is a schema file or a registry reference (name@3, name@latest). DATA is
 * read through the installed source plugins, chosen by extension (as
 * `setl convert` does), or a postgres:// URI (the postgres plugin, with
 * --table; its password is never printed). With --pushdown the checks run
 * as SQL in the database DATA is in (a SQLite file or PostgreSQL), through
 * the source's #SetlSqlRelation: no row comes to the client. Exit status:
 * 0 when the data is valid, 1 when it is not (the text summary on standard
 * output), 2 on usage or I/O errors (and with --pushdown, a check that
 * does not compile to SQL).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <stdio.h>
#include <string.h>

#include <setl/setl-validation.h>

#include "setl-commands.h"
#include "setl-data-cli.h"
#include "setl-pipeline-cli.h"

static int
usage_error (const char *message)
{
  fprintf (stderr, "setl validate: %s\n"
           "Usage: setl validate --schema S DATA [--lazy] [--report FILE.json] "
           "[--drop-invalid OUT] [--table T]\n", message);
  return 2;
}

static int
io_error (const GError *error)
{
  fprintf (stderr, "setl validate: %s\n", error->message);
  return 2;
}

static gboolean
parse_depth (const char          *text,
             SetlValidationDepth *depth)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (SETL_TYPE_VALIDATION_DEPTH);
  GEnumValue *value = g_enum_get_value_by_nick (klass, text);

  if (value == NULL)
    return FALSE;
  *depth = value->value;
  return TRUE;
}

/* postgres:// and postgresql:// DATA are read by the postgres plugin. */
static gboolean
is_postgres_uri (const char *data)
{
  return g_str_has_prefix (data, "postgres://") || g_str_has_prefix (data, "postgresql://");
}

int
setl_cmd_validate (int    argc,
                   char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new ("DATA — validate data against a schema");
  g_autofree char *schema_spec = NULL;
  g_autofree char *report_path = NULL;
  g_autofree char *drop_path = NULL;
  g_autofree char *table = NULL;
  g_autofree char *out_table = NULL;
  g_autofree char *registry_path = NULL;
  g_autofree char *depth_text = NULL;
  gboolean lazy = FALSE;
  gboolean pushdown = FALSE;
  gint max_failure_cases = -1;
  GOptionEntry entries[] = {
    { "schema", 's', 0, G_OPTION_ARG_STRING, &schema_spec,
      "The schema: a file, or a registry reference NAME@VERSION or NAME@latest", "S" },
    { "lazy", 'l', 0, G_OPTION_ARG_NONE, &lazy,
      "Report every failure rather than stop at the first", NULL },
    { "report", 'r', 0, G_OPTION_ARG_FILENAME, &report_path,
      "Write the report (JSON) to FILE, atomically", "FILE.json" },
    { "drop-invalid", 0, 0, G_OPTION_ARG_FILENAME, &drop_path,
      "Write the rows that pass to OUT (format by extension)", "OUT" },
    { "table", 't', 0, G_OPTION_ARG_STRING, &table,
      "The table to read, for databases (SQLite, postgres:// URIs)", "TABLE" },
    { "out-table", 0, 0, G_OPTION_ARG_STRING, &out_table,
      "The table --drop-invalid writes to a database (default: --table)", "TABLE" },
    { "registry", 0, 0, G_OPTION_ARG_FILENAME, &registry_path,
      "The schema registry directory (default: $SETL_SCHEMA_PATH)", "DIR" },
    { "max-failure-cases", 0, 0, G_OPTION_ARG_INT, &max_failure_cases,
      "Failure cases kept per check (default 1000; counts stay exact)", "N" },
    { "pushdown", 0, 0, G_OPTION_ARG_NONE, &pushdown,
      "Run the checks in the database DATA is in (SQLite, PostgreSQL), as SQL", NULL },
    { "depth", 0, 0, G_OPTION_ARG_STRING, &depth_text,
      "schema-and-data (default), schema-only or data-only", "DEPTH" },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(SetlSchema) schema = NULL;
  g_autoptr(SetlPluginRegistry) plugins = NULL;
  g_autoptr(SetlCheckCatalog) catalog = NULL;
  g_autoptr(SetlValidator) validator = NULL;
  g_autoptr(SetlBatchStream) data = NULL;
  g_autoptr(SetlValidationReport) report = NULL;
  SetlValidationDepth depth = SETL_VALIDATION_DEPTH_SCHEMA_AND_DATA;
  g_autofree char *shown = NULL;
  const char *plugin = NULL;

  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_set_summary (context,
    "Validates DATA (.csv/.tsv, .jsonl/.ndjson, .db/.sqlite or a postgres:// URI with\n"
    "--table) against a schema. Exit status: 0 valid, 1 invalid (with the summary),\n"
    "2 usage or I/O error.");
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage_error (error->message);
  if (schema_spec == NULL)
    return usage_error ("--schema S is required");
  if (argc != 2)
    return usage_error ("one DATA file is needed");
  if (depth_text != NULL && !parse_depth (depth_text, &depth))
    return usage_error ("--depth is schema-and-data, schema-only or data-only");

  if ((schema = setl_data_cli_load_schema (schema_spec, registry_path, &error)) == NULL ||
      (plugins = setl_cli_open_registry (&error)) == NULL)
    return io_error (error);
  catalog = setl_check_catalog_new (plugins);
  if ((validator = setl_validator_new (schema, catalog, &error)) == NULL)
    return io_error (error);
  setl_validator_set_lazy (validator, lazy);
  setl_validator_set_depth (validator, depth);
  if (max_failure_cases >= 0)
    setl_validator_set_max_failure_cases (validator, (guint) max_failure_cases);

  if (is_postgres_uri (argv[1]))
    {
      plugin = "postgres";
      if (table == NULL)
        return usage_error ("a postgres:// DATA needs --table");
    }
  if (pushdown && (drop_path != NULL || table == NULL ||
                   (plugin == NULL && g_strcmp0 (setl_data_cli_plugin_for (argv[1]), "sqlite") != 0)))
    return usage_error ("--pushdown needs a database DATA (a SQLite file or a postgres:// URI), "
                        "--table, and no --drop-invalid");
  if ((data = setl_data_cli_open_for_schema (plugins, argv[1], plugin, table, schema, &error)) == NULL)
    return io_error (error);
  /* A connection URI may hold a password: show where the data is as the
   * plugin does, without it. */
  shown = plugin != NULL && SETL_IS_SQL_RELATION (data)
          ? setl_sql_relation_get_location (SETL_SQL_RELATION (data)) : g_strdup (argv[1]);

  if (pushdown)
    {
      if (!SETL_IS_SQL_RELATION (data))
        {
          fprintf (stderr, "setl validate: %s: the source gives no SQL relation to push the checks "
                   "down to\n", shown);
          return 2;
        }
      report = setl_validator_validate_in_database (validator, SETL_SQL_RELATION (data), NULL, &error);
      if (report == NULL)
        return io_error (error);
    }
  else if (drop_path != NULL)
    {
      g_autoptr(SetlBatchStream) valid = NULL;
      gint64 n_written = 0;

      /* Streaming: the sink pulls validated batches, the report fills as
       * it goes. */
      setl_validator_set_drop_invalid_rows (validator, TRUE);
      valid = setl_validator_filter (validator, data, &report);
      if (!setl_data_cli_write (plugins, drop_path, NULL, out_table ? out_table : table,
                                valid, &n_written, &error))
        return io_error (error);
      fprintf (stderr, "setl validate: %" G_GINT64_FORMAT " valid rows written to %s, "
               "%" G_GINT64_FORMAT " dropped\n", n_written, drop_path,
               setl_validation_report_get_n_dropped_rows (report));
    }
  else if ((report = setl_validator_validate (validator, data, NULL, &error)) == NULL)
    return io_error (error);

  if (report_path != NULL)
    {
      g_autofree char *json = setl_validation_report_to_json (report, TRUE);

      if (!setl_data_cli_write_file (report_path, json, -1, &error))
        return io_error (error);
    }

  if (setl_validation_report_get_valid (report))
    {
      g_autofree char *text = NULL;

      /* Warnings do not make data invalid, but a person wants to see them. */
      if (setl_validation_report_get_n_warnings (report) > 0)
        {
          text = setl_validation_report_to_text (report);
          fputs (text, stdout);
        }
      printf ("%s: valid (%" G_GINT64_FORMAT " rows, schema %s)\n", shown,
              setl_validation_report_get_n_rows (report),
              setl_validation_report_get_schema_name (report));
      return 0;
    }
  {
    g_autofree char *text = setl_validation_report_to_text (report);

    fputs (text, stdout);
    if (text[0] != '\0' && text[strlen (text) - 1] != '\n')
      fputc ('\n', stdout);
  }
  return 1;
}
