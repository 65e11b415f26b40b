/* fuzz-csv.c: the CSV tokenizer, type inference and the csv source on
 * arbitrary bytes.
 *
 *   fuzz-csv FILE…      parse each file (a directory: each file in it)
 *   fuzz-csv < bytes    parse standard input
 *
 * Exits 0 unless a file cannot be read: malformed CSV is an expected
 * outcome, a crash or a sanitizer report is the bug being looked for. Each
 * input is parsed with several buffer sizes, so that records straddle
 * refills, and with two dialects: record by record, and through the bulk
 * path (setl_csv_tokenizer_next_rows(), whose loads run up to 64 bytes
 * past a field). Then the csv source reads it from a file, with inferred
 * types and with a schema of every type, sequentially and with parallel
 * parsing forced on small blocks: the parser's column loops and its
 * fallback to the record-by-record path. FUZZ_CSV_VERBOSE=1 says what
 * each read of the source gave.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <setl/setl.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>

#include "setl-csv-source.h"
#include "setl-csv-tokenizer.h"
#include "setl-csv-value.h"

static char *scratch_path;   /* the file the source reads */

/* The bulk path over @data: rows of the first record's field count cut in
 * bulk, every field cut back, and a record the bulk path does not take
 * read one by one. */
static void
cut_in_bulk (const char *data, gsize length, char delimiter, char quote, gsize buffer_size)
{
  g_autoptr(SetlCsvTokenizer) tok =
    setl_csv_tokenizer_new_for_data (data, length, delimiter, quote, buffer_size);
  const SetlCsvField *fields;
  SetlCsvTokenFailure failure;
  guint n_columns = 0, errors = 0;

  /* The header, as the source takes it. */
  while (n_columns == 0)
    {
      if (setl_csv_tokenizer_next (tok, &fields, &n_columns, &failure))
        break;
      if (failure.code == SETL_CSV_TOKEN_ERROR_NONE || failure.code == SETL_CSV_TOKEN_ERROR_IO ||
          failure.code == SETL_CSV_TOKEN_ERROR_TOO_LONG || errors++ > 1000)
        return;
    }
  n_columns = MIN (n_columns, 64);
  for (guint guard = 0; guard < 100000; guard++)
    {
      g_autofree guint32 *room = g_new (guint32, SETL_CSV_ENDS_SIZE (16, n_columns));
      guint32 *ends = room + 1;
      guint64 quoted_columns;
      const char *base;
      guint rows = setl_csv_tokenizer_next_rows (tok, n_columns, 16, &base, ends, &quoted_columns);
      guint n;

      for (guint r = 0; r < rows; r++)
        for (guint c = 0; c < n_columns; c++)
          {
            gsize len;
            gboolean quoted;
            const char *t = setl_csv_cut_field (base, ends, (gsize) r * n_columns + c,
                                                c == n_columns - 1, quote, &len, &quoted);

            /* Every field lies within readable memory. */
            if (len > 0)
              g_assert_true (t[0] == t[0] && t[len - 1] == t[len - 1]);
          }
      if (rows > 0)
        continue;
      if (!setl_csv_tokenizer_next (tok, &fields, &n, &failure) &&
          (failure.code == SETL_CSV_TOKEN_ERROR_NONE || failure.code == SETL_CSV_TOKEN_ERROR_IO ||
           failure.code == SETL_CSV_TOKEN_ERROR_TOO_LONG || errors++ > 1000))
        return;
    }
}

/* The csv source on @data from a file: every batch taken, the errors
 * expected (malformed input is the point). */
static void
read_source (const char *data, gsize length, const char *schema, gboolean parallel, gboolean reject)
{
  g_autofree char *reject_path = g_strconcat (scratch_path, ".rejects", NULL);
  g_autoptr(SetlCsvSource) source = NULL;
  g_autoptr(SetlBatchStream) stream = NULL;
  g_autoptr(SetlBatchIterator) it = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GValue) value = G_VALUE_INIT;
  SetlRecordBatch *batch;
  gint64 rows = 0;

  if (!g_file_set_contents (scratch_path, data, (gssize) length, NULL))
    g_error ("fuzz-csv: cannot write %s", scratch_path);
  if (parallel)
    {
      g_setenv ("SETL_CSV_PARALLEL", "1", TRUE);
      g_setenv ("SETL_CSV_BLOCK_SIZE", "64", TRUE);
    }
  source = g_object_new (SETL_TYPE_CSV_SOURCE, "path", scratch_path, "name", "fuzz",
                         "batch-size", 7, "schema", schema,
                         "reject-file", reject ? reject_path : NULL, NULL);
  if (setl_factory_read (SETL_FACTORY (source), NULL, &error) &&
      setl_factory_get (SETL_FACTORY (source), &value, &error))
    {
      stream = g_value_dup_object (&value);
      it = setl_batch_stream_open (stream, NULL, &error);
      while (it != NULL && (batch = setl_batch_iterator_next (it, NULL, &error)) != NULL)
        {
          rows += setl_record_batch_get_n_rows (batch);
          g_object_unref (batch);
        }
    }
  /* FUZZ_CSV_VERBOSE: what each read gave, to see the inputs reach it. */
  if (g_getenv ("FUZZ_CSV_VERBOSE") != NULL)
    g_printerr ("source (%s%s): %" G_GINT64_FORMAT " rows%s%s\n", schema ? schema : "inferred",
                parallel ? ", parallel" : "", rows, error ? ": " : "", error ? error->message : "");
  g_unsetenv ("SETL_CSV_PARALLEL");
  g_unsetenv ("SETL_CSV_BLOCK_SIZE");
  /* A failure says where: the file, or a setting. */
  if (error != NULL)
    g_assert_true (error->message[0] != '\0');
  g_unlink (reject_path);
}

static void
parse_bytes (const char *data, gsize length)
{
  static const gsize buffer_sizes[] = { 4, 7, 64, 0 };
  static const char dialects[][2] = { { ',', '"' }, { ';', '\'' } };

  for (guint d = 0; d < G_N_ELEMENTS (dialects); d++)
    for (guint b = 0; b < G_N_ELEMENTS (buffer_sizes); b++)
      {
        g_autoptr(SetlCsvTokenizer) tok =
          setl_csv_tokenizer_new_for_data (data, length, dialects[d][0], dialects[d][1],
                                           buffer_sizes[b]);
        SetlCsvInference inference[8];
        const SetlCsvField *fields;
        SetlCsvTokenFailure failure;
        guint n, errors = 0;

        for (guint i = 0; i < G_N_ELEMENTS (inference); i++)
          setl_csv_inference_init (&inference[i]);
        for (;;)
          {
            if (!setl_csv_tokenizer_next (tok, &fields, &n, &failure))
              {
                gsize raw_len;

                if (failure.code == SETL_CSV_TOKEN_ERROR_NONE || errors++ > 1000 ||
                    failure.code == SETL_CSV_TOKEN_ERROR_IO ||
                    failure.code == SETL_CSV_TOKEN_ERROR_TOO_LONG)
                  break;
                setl_csv_tokenizer_get_raw (tok, &raw_len);
                g_assert_cmpuint (failure.line, >=, 1);
                continue;
              }
            g_assert_cmpuint (n, >=, 1);
            g_assert_cmpuint (setl_csv_tokenizer_get_line (tok), >=, 1);
            for (guint i = 0; i < n; i++)
              {
                gint64 iv;
                double dv;
                gint32 days;

                /* Every field lies within readable memory. */
                if (fields[i].len > 0)
                  g_assert_true (fields[i].ptr[0] == fields[i].ptr[0] &&
                                 fields[i].ptr[fields[i].len - 1] == fields[i].ptr[fields[i].len - 1]);
                if (i < G_N_ELEMENTS (inference))
                  setl_csv_inference_add (&inference[i], fields[i].ptr, fields[i].len, NULL,
                                          d == 1 ? "%d/%m/%Y %H:%M" : NULL);
                setl_csv_parse_int64 (fields[i].ptr, fields[i].len, FALSE, &iv);
                setl_csv_parse_double (fields[i].ptr, fields[i].len, FALSE, &dv);
                setl_csv_parse_date (fields[i].ptr, fields[i].len, "%b %e %y", &days);
                setl_csv_parse_timestamp (fields[i].ptr, fields[i].len, NULL, &iv);
              }
          }
        for (guint i = 0; i < G_N_ELEMENTS (inference); i++)
          (void) setl_csv_inference_result (&inference[i]);
        cut_in_bulk (data, length, dialects[d][0], dialects[d][1], buffer_sizes[b]);
      }

  /* The source: types inferred, and every type on the first columns (the
   * header's names: a schema names columns; "c0".. match none, which is
   * an error as well). */
  read_source (data, length, NULL, FALSE, FALSE);
  read_source (data, length, NULL, TRUE, TRUE);
  {
    g_autoptr(SetlCsvTokenizer) tok = setl_csv_tokenizer_new_for_data (data, length, ',', '"', 0);
    static const char *const types[] = { "int64", "double", "string!", "bool", "date", "timestamp", "int64!" };
    const SetlCsvField *fields;
    SetlCsvTokenFailure failure;
    guint n;

    if (setl_csv_tokenizer_next (tok, &fields, &n, &failure))
      {
        g_autoptr(GString) schema = g_string_new (NULL);

        for (guint i = 0; i < n && i < 16; i++)
          {
            g_autofree char *name = g_strndup (fields[i].ptr, fields[i].len);

            /* Names with a separator of the schema string cannot be said. */
            if (strpbrk (name, ",:!") != NULL || !g_utf8_validate (name, -1, NULL))
              {
                g_string_truncate (schema, 0);
                break;
              }
            g_string_append_printf (schema, "%s%s:%s", i > 0 ? "," : "", name, types[i % G_N_ELEMENTS (types)]);
          }
        if (schema->len > 0)
          {
            read_source (data, length, schema->str, FALSE, TRUE);
            read_source (data, length, schema->str, TRUE, FALSE);
          }
      }
  }
}

static int
parse_path (const char *path)
{
  g_autofree char *data = NULL;
  g_autoptr(GError) error = NULL;
  gsize length;

  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_autoptr(GDir) dir = g_dir_open (path, 0, &error);
      const char *name;
      int status = 0;

      if (dir == NULL)
        {
          g_printerr ("fuzz-csv: %s\n", error->message);
          return 1;
        }
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);
          status |= parse_path (child);
        }
      return status;
    }
  if (!g_file_get_contents (path, &data, &length, &error))
    {
      g_printerr ("fuzz-csv: %s\n", error->message);
      return 1;
    }
  parse_bytes (data, length);
  return 0;
}

int
main (int argc, char **argv)
{
  g_autofree char *dir = g_dir_make_tmp ("fuzz-csv-XXXXXX", NULL);
  int status = 0;

  g_assert_nonnull (dir);
  scratch_path = g_build_filename (dir, "input.csv", NULL);

  if (argc < 2)
    {
      g_autoptr(GByteArray) bytes = g_byte_array_new ();
      guint8 chunk[65536];
      size_t n;

      while ((n = fread (chunk, 1, sizeof chunk, stdin)) > 0)
        g_byte_array_append (bytes, chunk, (guint) n);
      parse_bytes ((const char *) bytes->data, bytes->len);
    }
  for (int i = 1; i < argc; i++)
    status |= parse_path (argv[i]);
  g_unlink (scratch_path);
  g_rmdir (dir);
  g_free (scratch_path);
  return status;
}
