/* fuzz-schema.c: schema documents with checks, on arbitrary bytes.
 *
 *   fuzz-schema FILE…      parse each file (a directory: each file in it)
 *   fuzz-schema < bytes    parse standard input
 *
 * Exits 0 unless a file cannot be read: a document refused with a GError
 * is an expected outcome, a crash or a sanitizer report is the bug being
 * looked for. A document that parses is also built into a validator (its
 * checks created from the built-in library) and run, lazily, over a small
 * table of every column type, whole and by batches of one row.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "validation-test-utils.h"

#include <stdio.h>

static const char *table_csv =
  "id:int64,name:string,score:double,ok:bool,day:date,at:timestamp\n"
  "1,ann,1.5,true,2020-01-01,2020-01-01T10:00:00Z\n"
  "2,,2.5,false,2020-01-02,2020-01-02T10:00:00Z\n"
  "2,bob,,true,,\n";

static void
parse_bytes (const char *data, gsize length)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SetlSchema) schema = setl_schema_new_from_data (data, (gssize) length, "<fuzz>", &error);
  g_autoptr(SetlValidator) validator = NULL;

  if (schema == NULL)
    {
      /* Every refusal names the document. */
      g_assert_nonnull (error);
      g_assert_true (g_str_has_prefix (error->message, "<fuzz>"));
      return;
    }
  validator = setl_validator_new (schema, NULL, &error);
  if (validator == NULL)
    {
      g_assert_nonnull (error);
      return;
    }
  setl_validator_set_lazy (validator, TRUE);
  setl_validator_set_max_failure_cases (validator, 2);
  for (gint64 batch = 0; batch <= 1; batch++)
    {
      g_autoptr(SetlTable) table = vt_table_from_csv (table_csv, batch, NULL);
      g_autoptr(SetlValidationReport) report = NULL;
      g_autoptr(GError) run_error = NULL;

      setl_validator_set_drop_invalid_rows (validator, batch == 1);
      report = setl_validator_validate (validator, SETL_BATCH_STREAM (table), NULL, &run_error);
      if (report != NULL)
        {
          g_autofree char *json = setl_validation_report_to_json (report, FALSE);
          g_autofree char *text = setl_validation_report_to_text (report);

          g_assert_nonnull (setl_validation_report_get_failure_cases (report));
          g_assert_cmpint (setl_validation_report_get_n_failures (report), >=,
                           setl_table_get_n_rows (setl_validation_report_get_failure_cases (report)));
        }
      {
        g_autoptr(SetlValidationReport) filtered_report = NULL;
        g_autoptr(SetlBatchStream) stream = setl_validator_filter (validator, SETL_BATCH_STREAM (table),
                                                                   &filtered_report);
        g_autoptr(SetlTable) out = setl_batch_stream_collect (stream, NULL, NULL);

        (void) out;
      }
    }
}

static void
parse_file (const char *path)
{
  g_autofree char *contents = NULL;
  gsize length;

  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
      const char *name;

      while (dir && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);
          parse_file (child);
        }
      return;
    }
  if (!g_file_get_contents (path, &contents, &length, NULL))
    {
      g_printerr ("fuzz-schema: cannot read %s\n", path);
      exit (1);
    }
  parse_bytes (contents, length);
}

int
main (int argc, char *argv[])
{
  if (argc > 1)
    for (int i = 1; i < argc; i++)
      parse_file (argv[i]);
  else
    {
      GString *input = g_string_new (NULL);
      char buffer[4096];
      size_t n;

      while ((n = fread (buffer, 1, sizeof buffer, stdin)) > 0)
        g_string_append_len (input, buffer, (gssize) n);
      parse_bytes (input->str, input->len);
      g_string_free (input, TRUE);
    }
  return 0;
}
