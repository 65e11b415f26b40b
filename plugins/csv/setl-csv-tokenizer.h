/* setl-csv-tokenizer.h: splits CSV bytes into records and fields (RFC 4180).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* One field of the current record. @ptr points into the tokenizer's
 * buffers and stays valid until the next call to
 * setl_csv_tokenizer_next(); it is not nul-terminated. */
typedef struct
{
  const char *ptr;
  guint32 len;
  gboolean quoted;   /* the field was quoted: never a null marker */
} SetlCsvField;

/* A field cut by setl_csv_tokenizer_next_rows(): len & SETL_CSV_SPAN_LEN
 * bytes at @start, counted from the base pointer that call returns; @len
 * has SETL_CSV_SPAN_QUOTED set when the field was quoted (so never a null
 * marker: a quoted length is larger than any marker's). */
typedef struct
{
  guint32 start;
  guint32 len;
} SetlCsvSpan;

#define SETL_CSV_SPAN_QUOTED 0x80000000u
#define SETL_CSV_SPAN_LEN    0x7fffffffu

/* A position in the input, to go back to with setl_csv_tokenizer_rewind(). */
typedef struct
{
  gsize pos;
  guint64 line;
} SetlCsvTokenizerMark;

typedef enum
{
  SETL_CSV_TOKEN_ERROR_NONE,
  SETL_CSV_TOKEN_ERROR_UNTERMINATED_QUOTE,   /* the quote opened at line/field never closes */
  SETL_CSV_TOKEN_ERROR_AFTER_QUOTE,          /* a character other than a delimiter or line end after a closing quote */
  SETL_CSV_TOKEN_ERROR_TOO_LONG,             /* one record longer than the limit */
  SETL_CSV_TOKEN_ERROR_IO,                   /* read(2) failed: errno_value */
} SetlCsvTokenError;

/* Where and what went wrong; line and field are 1-based. */
typedef struct
{
  SetlCsvTokenError code;
  guint64 line;
  guint field;
  int errno_value;
} SetlCsvTokenFailure;

typedef struct _SetlCsvTokenizer SetlCsvTokenizer;

/* The largest record (quoted newlines included) the tokenizer holds in memory. */
#define SETL_CSV_MAX_RECORD_BYTES (64u * 1024 * 1024)
#define SETL_CSV_DEFAULT_BUFFER_BYTES (1u * 1024 * 1024)

SetlCsvTokenizer *setl_csv_tokenizer_new_for_fd   (int          fd,
                                                   char         delimiter,
                                                   char         quote,
                                                   gsize        buffer_size);
SetlCsvTokenizer *setl_csv_tokenizer_new_for_data (const char  *data,
                                                   gsize        length,
                                                   char         delimiter,
                                                   char         quote,
                                                   gsize        buffer_size);
SetlCsvTokenizer *setl_csv_tokenizer_new_for_block (const char *data,
                                                   gsize        length,
                                                   char         delimiter,
                                                   char         quote);
void              setl_csv_tokenizer_free         (SetlCsvTokenizer *self);

gboolean          setl_csv_tokenizer_next         (SetlCsvTokenizer     *self,
                                                   const SetlCsvField  **fields,
                                                   guint                *n_fields,
                                                   SetlCsvTokenFailure  *failure);
guint             setl_csv_tokenizer_next_rows    (SetlCsvTokenizer     *self,
                                                   guint                 n_columns,
                                                   guint                 max_rows,
                                                   const char          **base,
                                                   SetlCsvSpan          *spans,
                                                   guint8               *ascii);
void              setl_csv_tokenizer_mark         (SetlCsvTokenizer     *self,
                                                   SetlCsvTokenizerMark *mark);
void              setl_csv_tokenizer_rewind       (SetlCsvTokenizer           *self,
                                                   const SetlCsvTokenizerMark *mark);
void              setl_csv_tokenizer_set_line     (SetlCsvTokenizer *self,
                                                   guint64           line);
guint64           setl_csv_tokenizer_get_line     (SetlCsvTokenizer *self);
const char       *setl_csv_tokenizer_get_raw      (SetlCsvTokenizer *self,
                                                   gsize            *length);
guint64           setl_csv_tokenizer_get_bytes_read (SetlCsvTokenizer *self);
gboolean          setl_csv_tokenizer_record_is_ascii (SetlCsvTokenizer *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SetlCsvTokenizer, setl_csv_tokenizer_free)

G_END_DECLS
