/* fuzz-csv.c: the CSV tokenizer and type inference on arbitrary bytes.
 *
 *   fuzz-csv FILE…      parse each file (a directory: each file in it)
 *   fuzz-csv < bytes    parse standard input
 *
 * Exits 0 unless a file cannot be read: malformed CSV is an expected
 * outcome, a crash or a sanitizer report is the bug being looked for. Each
 * input is parsed with several buffer sizes, so that records straddle
 * refills, and with two dialects.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <setl/setl.h>
#include <stdio.h>

#include "setl-csv-tokenizer.h"
#include "setl-csv-value.h"

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
  int status = 0;

  if (argc < 2)
    {
      g_autoptr(GByteArray) bytes = g_byte_array_new ();
      guint8 chunk[65536];
      size_t n;

      while ((n = fread (chunk, 1, sizeof chunk, stdin)) > 0)
        g_byte_array_append (bytes, chunk, (guint) n);
      parse_bytes ((const char *) bytes->data, bytes->len);
      return 0;
    }
  for (int i = 1; i < argc; i++)
    status |= parse_path (argv[i]);
  return status;
}
