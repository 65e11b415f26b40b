/* setl-csv-tokenizer.h: splits CSV bytes into records and fields (RFC 4180).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The bulk path's hot loops (setl_csv_tokenizer_next_rows(), the parser's
 * chunk loop) have a second copy compiled for x86-64-v3 processors where
 * the toolchain can (meson.build): SETL_CSV_V3 marks it. */
#ifdef SETL_CSV_X86_64_V3
#define SETL_CSV_V3 __attribute__ ((target ("arch=x86-64-v3")))
#endif

gboolean          setl_csv_use_x86_64_v3          (void);

/* One field of the current record. @ptr points into the tokenizer's
 * buffers and stays valid until the next call to
 * setl_csv_tokenizer_next(); it is not nul-terminated. */
typedef struct
{
  const char *ptr;
  guint32 len;
  gboolean quoted;   /* the field was quoted: never a null marker */
} SetlCsvField;

/* Entries setl_csv_tokenizer_next_rows() may write for @rows rows of
 * @columns fields: one before the first, and 64 of room past the last. */
#define SETL_CSV_ENDS_SIZE(rows, columns) ((gsize) (rows) * (columns) + 65)

/*
 * Field @i (row × columns + column) of the rows cut by
 * setl_csv_tokenizer_next_rows() into @ends: its bytes at the return value,
 * *@length of them, without the quotes of a quoted field (*@quoted set:
 * never a null marker) or the CR before a line end (@last_column: the
 * row's last field).
 *
 * The bulk path takes a quote only when it opens a field and closes it
 * right before the delimiter or line end, so a field starting with the
 * quote is a quoted one. An empty field "starts" at its delimiter or line
 * end, never the quote.
 */
static inline const char *
setl_csv_cut_field (const char    *base,
                    const guint32 *ends,
                    gsize          i,
                    gboolean       last_column,
                    char           quote,
                    gsize         *length,
                    gboolean      *quoted)
{
  guint32 start = ends[(gssize) i - 1] + 1u, end = ends[i];

  if (last_column && end > start && base[end - 1] == '\r')
    end--;
  if (G_UNLIKELY (base[start] == quote))
    {
      *quoted = TRUE;
      *length = end - start - 2;
      return base + start + 1;
    }
  *quoted = FALSE;
  *length = end - start;
  return base + start;
}

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
                                                   guint32              *ends,
                                                   guint64              *quoted_columns);
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
