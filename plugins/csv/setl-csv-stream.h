/* setl-csv-stream.h: a CSV file as a lazy, re-openable stream of batches.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <setl/setl.h>

G_BEGIN_DECLS

/* How to read a file; copied into the stream, which outlives the factory's
 * property changes. */
typedef struct
{
  char *path;
  char delimiter;
  char quote;
  gboolean header;
  char **null_markers;
  char *date_format;        /* NULL: ISO 8601 */
  char *timestamp_format;   /* NULL: ISO 8601 */
  guint batch_size;
  char *reject_path;        /* NULL: a malformed row is an error */
  gsize buffer_size;        /* read size; 0 for the default */
  guint parse_threads;      /* 0: one per processor for big files; 1: one */
} SetlCsvOptions;

void            setl_csv_options_copy  (SetlCsvOptions *dest, const SetlCsvOptions *src);
void            setl_csv_options_clear (SetlCsvOptions *options);

void            setl_csv_set_error     (GError **error, int code, const char *path,
                                        guint64 line, int column, const char *column_name,
                                        const char *format, ...) G_GNUC_PRINTF (7, 8);

#define SETL_TYPE_CSV_STREAM (setl_csv_stream_get_type ())
G_DECLARE_FINAL_TYPE (SetlCsvStream, setl_csv_stream, SETL, CSV_STREAM, GObject)

SetlCsvStream *setl_csv_stream_new               (const SetlCsvOptions *options,
                                                  SetlField           **fields,
                                                  guint                 n_fields);
gint64         setl_csv_stream_get_rejected_rows (SetlCsvStream        *self);
guint64        setl_csv_stream_get_rows_read     (SetlCsvStream        *self);

/* For tests: whether the passes opened from now on cut plain rows in bulk
 * (the default) or take every record one by one, the reference the bulk
 * path is compared with. */
void           setl_csv_stream_set_bulk          (gboolean              bulk);

/* For tests: whether the passes opened from now on read the file in
 * parallel (1), sequentially (0) or as SETL_CSV_PARALLEL and the file's
 * size decide (-1, the default), and in blocks of @block_size bytes (0:
 * SETL_CSV_BLOCK_SIZE, else about two batches of text, 256 KiB to 1 MiB). */
void           setl_csv_stream_set_parallel      (int                   mode,
                                                  gsize                 block_size);

G_END_DECLS
