/* setl-cmd-validate.c: `setl validate --schema S DATA` — validates a data
 * file against a schema document.
 *
 *   setl validate --schema S DATA [--lazy] [--report FILE.json]
 *                 [--drop-invalid OUT] [--table T] [--registry DIR]
 *                 [--max-failure-cases N] [--depth DEPTH]
 *
 * S is a schema file or a registry reference (name@3, name@latest). DATA is
 * read through the installed source plugins, chosen by extension (as
 * `setl convert` does). Exit status: 0 when the data is valid, 1 when it is
 * not (the text summary on standard output), 2 on usage or I/O errors.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <stdio.h>
#include <string.h>

#include <setl/setl-validation.h>
#include <setl/setl-validation-sql.h>
#include <sqlite3.h>

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

/* The failure cases of one check, fetched from SQLite. */
static gboolean
fetch_cases (SetlValidationQuery  *query,
             const char           *sql,
             GArray               *rows,
             GPtrArray            *values,
             gpointer              user_data,
             GError              **error)
{
  sqlite3 *db = user_data;
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "the failure-case query failed: %s",
                   sqlite3_errmsg (db));
      return FALSE;
    }
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 row = sqlite3_column_int64 (stmt, 0);
      const char *text = (const char *) sqlite3_column_text (stmt, 1);

      g_array_append_val (rows, row);
      g_ptr_array_add (values, g_strdup (text));
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "the failure-case query failed: %s",
                   sqlite3_errmsg (db));
      return FALSE;
    }
  return TRUE;
}

/* --pushdown: the schema's checks as one query, run by SQLite itself. */
static SetlValidationReport *
validate_in_sqlite (SetlValidator  *validator,
                    const char     *path,
                    const char     *table,
                    GError        **error)
{
  g_autoptr(SetlValidationQuery) query = NULL;
  g_autofree gint64 *counts = NULL;
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  SetlValidationReport *report = NULL;
  guint n;
  int rc;

  query = setl_validation_query_new (validator, table, SETL_SQL_DIALECT_SQLITE, error);
  if (query == NULL)
    return NULL;
  n = setl_validation_query_get_n_counts (query);
  counts = g_new0 (gint64, n);
  if (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
      sqlite3_prepare_v2 (db, setl_validation_query_get_sql (query), -1, &stmt, NULL) != SQLITE_OK)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s: %s", path,
                   db ? sqlite3_errmsg (db) : "cannot open the database");
      goto out;
    }
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW || (guint) sqlite3_column_count (stmt) != n)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s: the validation query failed: %s",
                   path, sqlite3_errmsg (db));
      goto out;
    }
  for (guint i = 0; i < n; i++)
    counts[i] = sqlite3_column_int64 (stmt, (int) i);
  sqlite3_finalize (stmt);
  stmt = NULL;
  report = setl_validation_query_make_report_full (query, counts, n, fetch_cases, db, error);
out:
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return report;
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
      "The table to read, for database formats (SQLite)", "TABLE" },
    { "out-table", 0, 0, G_OPTION_ARG_STRING, &out_table,
      "The table --drop-invalid writes to a database (default: --table)", "TABLE" },
    { "registry", 0, 0, G_OPTION_ARG_FILENAME, &registry_path,
      "The schema registry directory (default: $SETL_SCHEMA_PATH)", "DIR" },
    { "max-failure-cases", 0, 0, G_OPTION_ARG_INT, &max_failure_cases,
      "Failure cases kept per check (default 1000; counts stay exact)", "N" },
    { "pushdown", 0, 0, G_OPTION_ARG_NONE, &pushdown,
      "With a SQLite DATA: run the checks in the database, as one SQL query", NULL },
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

  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_set_summary (context,
    "Validates DATA (.csv/.tsv, .jsonl/.ndjson, .db/.sqlite with --table) against a\n"
    "schema. Exit status: 0 valid, 1 invalid (with the summary), 2 usage or I/O error.");
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

  if (pushdown)
    {
      if (drop_path != NULL || table == NULL ||
          g_strcmp0 (setl_data_cli_plugin_for (argv[1]), "sqlite") != 0)
        return usage_error ("--pushdown needs a SQLite DATA and --table, and no --drop-invalid");
      if ((report = validate_in_sqlite (validator, argv[1], table, &error)) == NULL)
        return io_error (error);
    }
  else if ((data = setl_data_cli_open (plugins, argv[1], NULL, table, &error)) == NULL)
    return io_error (error);

  if (pushdown)
    ;
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
      printf ("%s: valid (%" G_GINT64_FORMAT " rows, schema %s)\n", argv[1],
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
