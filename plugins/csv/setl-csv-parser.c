/* setl-csv-parser.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * SetlCsvParser turns the records of one tokenizer into record batches:
 * the parsing half of a CSV pass, apart from the pass itself (the file,
 * the reject file, the threads: setl-csv-stream.c). A sequential pass has
 * one parser over the whole file; a parallel pass has one per worker
 * thread, each given one block's tokenizer after another
 * (setl-csv-splitter.h), so that the builders keep their sizes from block
 * to block.
 *
 * Rows are parsed straight into the column builders' buffers
 * (setl_column_builder_begin_append()), a chunk of rows or one row at a
 * time, and counted in the column once every cell of them has parsed
 * (setl_column_builder_end_append()): no copy of a batch is made on its
 * way to the column, and a row that does not parse leaves nothing behind.
 * Most rows take the bulk path: the
 * tokenizer cuts up to CHUNK_ROWS plain records at once out of its buffer
 * (setl_csv_tokenizer_next_rows(): no call per record) and parse_chunk()
 * parses them column by column, one type's loop per column with the usual
 * numbers parsed inline. A record the bulk path does not take (doubled
 * quotes, a quoted line end, a wrong number of fields, a blank line, the
 * end of the buffer) goes through setl_csv_tokenizer_next() and
 * parse_row(), one record at a time; so does a chunk with a cell that does
 * not parse, taken again from its start, so that errors and rejected rows
 * are reported exactly as row by row. A rejected row leaves nothing behind
 * in the batch.
 */
#include "setl-csv-parser.h"
#include "setl-csv-copy.h"
#include "setl-csv-value.h"

#include <errno.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

typedef struct
{
  const char *marker;
  gsize length;
} NullMarker;

/* One column of the rows being parsed (a chunk, or one row), written in
 * place into the builder's buffers between begin_rows() and end_rows(). */
typedef struct
{
  gpointer out;      /* the rows' values; for strings their offsets, [0] the start */
  char *text;        /* strings: the builder's text, offsets index it */
  guint8 *valid;     /* CHUNK_ROWS bytes, one per row, 0 = null */
  guint8 *bools;     /* bool columns: CHUNK_ROWS bytes, appended with
                      * setl_column_builder_append_values() (a bitmap cannot
                      * be written in place a byte per value) */
  guint n_nulls;     /* in the rows: none, and the builder skips @valid */
} ColumnScratch;

struct _SetlCsvParser
{
  const SetlCsvOptions *options;   /* the stream's: outlives the parser */
  SetlField **fields;              /* likewise */
  guint n_fields;

  SetlCsvTokenizer *tokenizer;
  SetlDataType *types;
  gboolean *nullable;
  SetlColumnBuilder **builders;
  guint n_columns;
  ColumnScratch *scratch;

  gboolean empty_is_null;
  NullMarker *markers;
  guint n_markers;
  gsize max_marker_length;   /* no cell longer than this is a marker */
  guint8 marker_first[256];  /* 1 for a byte some marker starts with */

  /* reject mode: either the file (borrowed) or a buffer (borrowed) */
  FILE *reject;
  GByteArray *reject_bytes;
  gint64 rejected;
  guint64 rows;

  gsize *last_bytes;   /* string bytes per column in the last batch */
  guint32 *ends;       /* where the fields cut in bulk end (CHUNK_ROWS rows) */
  guint last_rows;
  gboolean bulk;       /* cut plain rows in bulk (see setl_csv_stream_set_bulk()) */
};
/* Whether an unquoted cell is a null marker. */
static inline gboolean
is_null_text (SetlCsvParser *self, const char *s, gsize len)
{
  if (len == 0)
    return self->empty_is_null;
  if (G_LIKELY (len > self->max_marker_length))
    return FALSE;
  /* Most short cells (numbers) start with no marker's first byte. */
  if (G_LIKELY (!self->marker_first[(guchar) *s]))
    return FALSE;
  for (guint i = 0; i < self->n_markers; i++)
    if (self->markers[i].length == len)
      {
        /* Markers are a few bytes ("NA"): no memcmp() call. */
        guint j = 0;

        while (j < len && self->markers[i].marker[j] == s[j])
          j++;
        if (j == len)
          return TRUE;
      }
  return FALSE;
}

static inline gboolean
is_null (SetlCsvParser *self, const SetlCsvField *f)
{
  /* Quoted cells are values: "" is an empty string, "NA" the text NA. */
  return !f->quoted && is_null_text (self, f->ptr, f->len);
}

/* UTF-8 per RFC 3629 (no overlongs, no surrogates, nothing past
 * U+10FFFF, no NUL), as g_utf8_validate_len() checks it, as a state
 * machine over byte classes: two table loads a byte and no branch, made
 * for short cells (the library function costs over a hundred
 * instructions a call on a ten-byte name, and a branch per byte class
 * mispredicts on every accented letter). The tables are generated from
 * the RFC's table of well-formed sequences; checked against
 * g_utf8_validate_len() on 20 million random strings. */
static const guint8 utf8_class[256] = {
  0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
  2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,
  4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
  5, 5, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6,
  7, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 9, 10, 10, 11, 12, 12, 12, 13, 14, 14, 14, 14, 14, 14, 14, 14, 14, 14, 14,
};
/* [state + class] -> next state; states are multiples of 16: 0 accepts, 16 rejects (and stays) */
static const guint8 utf8_next[9 * 16] = {
  16, 0, 16, 16, 16, 16, 32, 80, 48, 96, 48, 112, 64, 128, 16, 16,
  16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16,
  16, 16, 0, 0, 0, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16,
  16, 16, 32, 32, 32, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16,
  16, 16, 48, 48, 48, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16,
  16, 16, 16, 16, 32, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16,
  16, 16, 32, 32, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16,
  16, 16, 16, 48, 48, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16,
  16, 16, 48, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16,
};

static gboolean
utf8_valid_slow (const guchar *s, gsize n)
{
  guint state = 0;

  for (gsize i = 0; i < n; i++)
    state = utf8_next[state + utf8_class[s[i]]];
  return state == 0;
}

static inline gboolean
is_valid_utf8 (const char *s, gsize n)
{
  gsize i = 0;

  /* ASCII eight bytes at a time, the common case. */
  for (; i + 8 <= n; i += 8)
    {
      guint64 w;

      memcpy (&w, s + i, 8);
      if (w & G_GUINT64_CONSTANT (0x8080808080808080))
        return utf8_valid_slow ((const guchar *) s + i, n - i);
    }
  for (; i < n; i++)
    if ((guchar) s[i] & 0x80)
      return utf8_valid_slow ((const guchar *) s + i, n - i);
  return TRUE;
}

/* is_valid_utf8() for a cell of a row with a byte >= 0x80 somewhere, in
 * the tokenizer's buffer (64 readable bytes after its data): most of such
 * a row's cells are ASCII, and 16 bytes are looked at in one compare
 * instead of eight at a time and the rest one by one. (Going back to the
 * compares after each multi-byte sequence cost more than it saved on
 * people.csv's names.) */
static inline gboolean
is_valid_utf8_padded (const char *s, gsize n)
{
#ifdef __SSE2__
  for (gsize i = 0; i < n; i += 16)
    {
      guint high = (guint) _mm_movemask_epi8 (_mm_loadu_si128 ((const __m128i *) (gconstpointer) (s + i)));

      if (n - i < 16)
        high &= (1u << (n - i)) - 1;
      if (high != 0)
        {
          gsize at = i + (gsize) __builtin_ctz (high);

          return utf8_valid_slow ((const guchar *) s + at, n - at);
        }
    }
  return TRUE;
#else
  return is_valid_utf8 (s, n);
#endif
}

#ifdef __SSE2__
/* is_valid_utf8() of a cell of at most 32 bytes, @a and @b its two 16-byte
 * words, @high the bits of its bytes >= 0x80 (not none). Each multi-byte
 * sequence is checked where it starts, by the state machine; the ASCII
 * between needs no look but for a NUL, which the state machine refuses
 * from the first sequence on (as is_valid_utf8() does: the same verdict).
 * On people.csv's names: ~20 instructions a sequence instead of ~5 a
 * byte from the first one to the end. */
static inline gboolean
utf8_valid_short (const char *t, gsize len, guint32 high, __m128i a, __m128i b)
{
  const __m128i zero = _mm_setzero_si128 ();
  guint32 nul = ((guint32) _mm_movemask_epi8 (_mm_cmpeq_epi8 (a, zero)) |
                 ((guint32) _mm_movemask_epi8 (_mm_cmpeq_epi8 (b, zero)) << 16)) &
                (guint32) ((G_GUINT64_CONSTANT (1) << len) - 1);

  if ((nul >> __builtin_ctz (high)) != 0)
    return FALSE;
  while (high != 0)
    {
      guint at = (guint) __builtin_ctz (high);
      guint lead = (guchar) t[at];
      guint k = lead < 0xC2 ? 0 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : lead < 0xF5 ? 4 : 0;

      if (k == 0 || at + k > len || !utf8_valid_slow ((const guchar *) t + at, k))
        return FALSE;
      high &= ~(((1u << k) - 1) << at);
    }
  return TRUE;
}
#endif

static const char *
column_name (SetlCsvParser *self, guint column)
{
  return column < self->n_fields ? setl_field_get_name (self->fields[column]) : NULL;
}

/* Writes the current record, as it is in the file, to the reject file. */
static gboolean
reject_row (SetlCsvParser *self, GError **error)
{
  gsize length;
  const char *raw = setl_csv_tokenizer_get_raw (self->tokenizer, &length);

  self->rejected++;
  if (self->reject_bytes != NULL)
    {
      /* A block's rejects wait in memory for the consumer, which writes
       * them to the file in file order. */
      g_byte_array_append (self->reject_bytes, (const guint8 *) raw, (guint) length);
      if (length == 0 || raw[length - 1] != '\n')
        g_byte_array_append (self->reject_bytes, (const guint8 *) "\n", 1);
      return TRUE;
    }
  if (fwrite (raw, 1, length, self->reject) != length ||
      ((length == 0 || raw[length - 1] != '\n') && fputc ('\n', self->reject) == EOF))
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   "%s: cannot write to the reject file: %s",
                   self->options->reject_path, g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}

/* Either rejects the row (reject mode) or turns @local into the error. */
static gboolean
malformed (SetlCsvParser *self, GError *local, GError **error)
{
  if (self->reject == NULL && self->reject_bytes == NULL)
    {
      g_propagate_error (error, local);
      return FALSE;
    }
  g_error_free (local);
  return reject_row (self, error);
}

static char *
quote_value (const SetlCsvField *f)
{
  g_autofree char *valid = g_utf8_make_valid (f->ptr, MIN (f->len, 40));
  return g_strdup_printf ("“%s%s”", valid, f->len > 40 ? "…" : "");
}

static inline gsize
scratch_value_size (SetlDataType type)
{
  switch (type)
    {
    case SETL_DATA_TYPE_BOOL:
      return 1;
    case SETL_DATA_TYPE_DATE32:
      return 4;
    case SETL_DATA_TYPE_STRING:
      return 0;
    default:
      return 8;
    }
}

/* Makes room in column @c's builder for @n rows and @text_bytes bytes of
 * their text (strings), to be written in place. */
static inline void
begin_rows (SetlCsvParser *self, guint c, guint n, gsize text_bytes)
{
  ColumnScratch *sc = &self->scratch[c];

  sc->n_nulls = 0;
  if (self->types[c] == SETL_DATA_TYPE_BOOL)
    sc->out = sc->bools;
  else
    sc->out = setl_column_builder_begin_append (self->builders[c], n, text_bytes, &sc->text);
}

/* Counts the @n rows written since begin_rows() in every column. */
static void
end_rows (SetlCsvParser *self, guint n)
{
  for (guint c = 0; c < self->n_columns; c++)
    {
      ColumnScratch *sc = &self->scratch[c];
      const guint8 *valid = sc->n_nulls > 0 ? sc->valid : NULL;

      if (self->types[c] == SETL_DATA_TYPE_BOOL)
        setl_column_builder_append_values (self->builders[c], sc->bools, valid, n);
      else
        setl_column_builder_end_append (self->builders[c], valid, n);
    }
}

/* Parses one record straight into the builders and counts it there; its
 * strings' bytes are added to @row_bytes. FALSE with @local set when a cell
 * does not parse: nothing is counted then. */
static gboolean
parse_row (SetlCsvParser *self, const SetlCsvField *fields, gsize *row_bytes,
           GError **local)
{
  const SetlCsvOptions *o = self->options;
  gboolean ascii = setl_csv_tokenizer_record_is_ascii (self->tokenizer);

  for (guint c = 0; c < self->n_columns; c++)
    {
      const SetlCsvField *f = &fields[c];
      ColumnScratch *sc = &self->scratch[c];
      gboolean ok = TRUE;

      begin_rows (self, c, 1, f->len);
      if (is_null (self, f))
        {
          if (G_UNLIKELY (!self->nullable[c]))
            {
              setl_csv_set_error (local, G_IO_ERROR_INVALID_DATA, o->path,
                                  setl_csv_tokenizer_get_line (self->tokenizer), (int) c + 1,
                                  column_name (self, c), "null value in a non-nullable column");
              return FALSE;
            }
          /* A null's slot is zero, as the builder's own nulls. */
          sc->valid[0] = 0;
          sc->n_nulls = 1;
          if (self->types[c] == SETL_DATA_TYPE_STRING)
            ((gint32 *) sc->out)[1] = ((gint32 *) sc->out)[0];
          else
            memset (sc->out, 0, scratch_value_size (self->types[c]));
          continue;
        }
      sc->valid[0] = 1;
      switch (self->types[c])
        {
        case SETL_DATA_TYPE_INT64:
          ok = setl_csv_parse_int64 (f->ptr, f->len, FALSE, (gint64 *) sc->out);
          break;
        case SETL_DATA_TYPE_DOUBLE:
          ok = setl_csv_parse_double (f->ptr, f->len, FALSE, (double *) sc->out);
          break;
        case SETL_DATA_TYPE_STRING:
          {
            gint32 *offsets = sc->out;

            if (G_UNLIKELY (!ascii && !is_valid_utf8 (f->ptr, f->len)))
              {
                setl_csv_set_error (local, G_IO_ERROR_INVALID_DATA, o->path,
                                    setl_csv_tokenizer_get_line (self->tokenizer), (int) c + 1,
                                    column_name (self, c), "invalid UTF-8");
                return FALSE;
              }
            if (f->len > 0)
              setl_csv_copy_short (sc->text + offsets[0], f->ptr, f->len);
            offsets[1] = offsets[0] + (gint32) f->len;
            *row_bytes += f->len;
          }
          break;
        case SETL_DATA_TYPE_BOOL:
          {
            gboolean b = FALSE;

            ok = setl_csv_parse_bool (f->ptr, f->len, FALSE, &b);
            sc->bools[0] = b != FALSE;
          }
          break;
        case SETL_DATA_TYPE_DATE32:
          ok = setl_csv_parse_date (f->ptr, f->len, o->date_format, (gint32 *) sc->out);
          break;
        case SETL_DATA_TYPE_TIMESTAMP:
          ok = setl_csv_parse_timestamp (f->ptr, f->len, o->timestamp_format, (gint64 *) sc->out);
          break;
        }
      if (G_UNLIKELY (!ok))
        {
          g_autofree char *shown = quote_value (f);
          const char *format = NULL;

          if (self->types[c] == SETL_DATA_TYPE_DATE32)
            format = o->date_format;
          else if (self->types[c] == SETL_DATA_TYPE_TIMESTAMP)
            format = o->timestamp_format;
          setl_csv_set_error (local, G_IO_ERROR_INVALID_DATA, o->path,
                              setl_csv_tokenizer_get_line (self->tokenizer), (int) c + 1,
                              column_name (self, c), "cannot read %s as %s%s%s%s", shown,
                              setl_data_type_to_string (self->types[c]),
                              format ? " (format “" : "", format ? format : "", format ? "”)" : "");
          return FALSE;
        }
    }
  end_rows (self, 1);
  return TRUE;
}

/* Cut a batch before its strings approach the 2 GiB a column can hold. */
#define MAX_BATCH_STRING_BYTES ((gsize) 1 << 30)

/* Rows taken in bulk at a time: their field ends (4 bytes a cell) and
 * their validity bytes stay in the CPU's cache between the cut and the
 * column-wise parse. */
#define CHUNK_ROWS 512

#if G_BYTE_ORDER == G_LITTLE_ENDIAN
/* Up to 8 bytes of @s (@n, 1 to 8) as the low end of a word, behind '0's
 * (the first byte the most significant); @s has 8 readable bytes (the
 * tokenizer's buffer has 64 after its data). */
static inline guint64
load_digits_word (const char *s, gsize n)
{
  guint shift = 8 * (8 - (guint) n);   /* 0 to 56 */
  guint64 v;

  memcpy (&v, s, 8);
  return (v << shift) | (G_GUINT64_CONSTANT (0x3030303030303030) & ((G_GUINT64_CONSTANT (1) << shift) - 1));
}

/* Whether the 8 bytes of @v are ASCII digits; if so their value, the
 * first byte the most significant, combined pairwise: 2, 4, 8 digits. */
static inline gboolean
convert_digits_word (guint64 v, guint32 *out)
{
  if (((v & G_GUINT64_CONSTANT (0xF0F0F0F0F0F0F0F0)) |
       (((v + G_GUINT64_CONSTANT (0x0606060606060606)) & G_GUINT64_CONSTANT (0xF0F0F0F0F0F0F0F0)) >> 4)) !=
      G_GUINT64_CONSTANT (0x3333333333333333))
    return FALSE;
  v -= G_GUINT64_CONSTANT (0x3030303030303030);
  v = (v * 10) + (v >> 8);
  v = (((v & G_GUINT64_CONSTANT (0x000000FF000000FF)) * G_GUINT64_CONSTANT (0x000F424000000064)) +
       (((v >> 16) & G_GUINT64_CONSTANT (0x000000FF000000FF)) * G_GUINT64_CONSTANT (0x0000271000000001))) >> 32;
  *out = (guint32) v;
  return TRUE;
}
#endif

/* The usual number: 1 to 18 digits, no sign (a sign, more digits or
 * anything else go through setl_csv_parse_int64()). Up to 8 digits are
 * checked and converted in one 64-bit word (load_digits_word()); @s has 8
 * readable bytes (the tokenizer's buffer has 64 after its data). */
static inline gboolean
parse_int64_plain (const char *s, gsize n, gint64 *out)
{
  guint64 v = 0;

  /* One or two digits (an age, a month): no word to build. */
  if (n - 1 < 2)
    {
      guint d0 = (guint) (guchar) s[0] - '0';
      guint d1 = n == 2 ? (guint) (guchar) s[1] - '0' : 0;

      if (G_UNLIKELY (d0 > 9 || d1 > 9))
        return FALSE;
      *out = n == 2 ? (gint64) (d0 * 10 + d1) : (gint64) d0;
      return TRUE;
    }
#if G_BYTE_ORDER == G_LITTLE_ENDIAN
  if (G_LIKELY (n - 1 < 8))
    {
      guint32 m;

      if (!convert_digits_word (load_digits_word (s, n), &m))
        return FALSE;
      *out = (gint64) m;
      return TRUE;
    }
#endif
  if (G_UNLIKELY (n == 0 || n > 18))
    return FALSE;
  for (gsize i = 0; i < n; i++)
    {
      guint d = (guint) (guchar) s[i] - '0';

      if (G_UNLIKELY (d > 9))
        return FALSE;
      v = v * 10 + d;
    }
  *out = (gint64) v;
  return TRUE;
}

static const double chunk_pow10[] = {
  1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
  1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18,
};

/* The usual decimal, [-]digits[.digits], as setl_csv_parse_double()'s
 * own fastest path computes it (so with the same result): at most 18
 * digits, a mantissa up to 2^53, one exact division. */
static inline gboolean
parse_double_plain (const char *s, gsize n, double *out)
{
  gsize i = 0, dot = n;
  guint64 m = 0;
  int digits, frac_digits;

  if (n == 0)
    return FALSE;
#if G_BYTE_ORDER == G_LITTLE_ENDIAN && (defined(__GNUC__) || defined(__clang__))
  /* 2 to 8 bytes without a sign ("53.16", "75.0", "100"): one word. The
   * point is taken out (the digits before it moved up a byte), then the
   * digits are checked and converted at once (a second point is not a
   * digit: the loop below, and setl_csv_parse_double(), decide then). */
  if (n - 2 < 7 && *s != '-')
    {
      guint64 v = load_digits_word (s, n);
      guint64 x = v ^ G_GUINT64_CONSTANT (0x2E2E2E2E2E2E2E2E);
      /* A byte that was '.' is now zero; the lowest such is found exactly. */
      guint64 points = (x - G_GUINT64_CONSTANT (0x0101010101010101)) & ~x & G_GUINT64_CONSTANT (0x8080808080808080);
      guint frac = 0;
      guint32 m;

      if (points != 0)
        {
          guint at = (guint) __builtin_ctzll (points) >> 3;
          guint64 before = (G_GUINT64_CONSTANT (1) << (8 * at)) - 1;
          guint64 after = ~before << 8;   /* the bytes above the point's; 0 when it is the last */

          frac = 7 - at;
          v = ((v & before) << 8) | G_GUINT64_CONSTANT (0x30) | (v & after);
        }
      if (convert_digits_word (v, &m))
        {
          *out = (double) m / chunk_pow10[frac];
          return TRUE;
        }
    }
#endif
  if (*s == '-')
    i++;
  /* One pass: digits, and at most one point. */
  for (; i < n; i++)
    {
      guint d = (guint) (guchar) s[i] - '0';

      if (G_LIKELY (d <= 9))
        m = m * 10 + d;
      else if (s[i] == '.' && dot == n)
        dot = i;
      else
        return FALSE;
    }
  frac_digits = dot == n ? 0 : (int) (n - dot - 1);
  digits = (int) (n - (*s == '-')) - (dot != n);
  /* setl_csv_parse_double() wants a digit before the point or after it;
   * "-" and "." alone are not numbers. */
  if (G_LIKELY (digits > 0 && digits <= 18 && m <= (G_GUINT64_CONSTANT (1) << 53)))
    {
      double v = (double) m / chunk_pow10[frac_digits];

      *out = *s == '-' ? -v : v;
      return TRUE;
    }
  return FALSE;
}

/* The columns of a chunk, as parse_chunk() hands one to a type's loop. */
typedef struct
{
  const char *base;
  const guint32 *ends;   /* setl_csv_tokenizer_next_rows()'s */
  guint n;               /* rows */
  guint nc;              /* fields a row */
  guint c;               /* the column */
  gboolean last;         /* the row's last field (a CR may end it) */
  gboolean nullable;
  gsize null_len;        /* no longer cell is a null marker */
  char quote;
  ColumnScratch *sc;
} ChunkColumn;

/* Field @i of a chunk. @plain, a constant where this is inlined: the chunk
 * holds no quoted field and the column is not a row's last, so the field
 * is exactly the bytes between two ends, with nothing to look at (the
 * loops below are compiled twice, with and without those looks). */
G_ALWAYS_INLINE static inline const char *
chunk_cell (const ChunkColumn *cc, gsize i, gboolean plain, gsize *len, gboolean *quoted)
{
  if (plain)
    {
      guint32 start = cc->ends[(gssize) i - 1] + 1u;

      *len = cc->ends[i] - start;
      *quoted = FALSE;
      return cc->base + start;
    }
  return setl_csv_cut_field (cc->base, cc->ends, i, cc->last, cc->quote, len, quoted);
}

/* A null cell of a chunk's column: FALSE when the column takes none. */
static inline gboolean
chunk_null (SetlCsvParser *self, const ChunkColumn *cc, const char *t, gsize len, gboolean quoted,
            guint r, guint *nn)
{
  if (G_LIKELY (len > cc->null_len || quoted || !is_null_text (self, t, len)))
    return FALSE;
  cc->sc->valid[r] = 0;
  (*nn)++;
  return TRUE;
}

/* The type loops of parse_chunk(): FALSE at a cell that needs the
 * row-by-row path; the column's nulls are counted in its scratch. Numbers:
 * integers, or decimals if @doubles (a constant where this is inlined). */
G_ALWAYS_INLINE static inline gboolean
chunk_numbers (SetlCsvParser *self, const ChunkColumn *cc, gboolean plain, gboolean doubles)
{
  gint64 *ints = cc->sc->out;
  double *reals = cc->sc->out;
  guint8 *valid = cc->sc->valid;
  gsize i = cc->c;
  guint nn = 0;

  for (guint r = 0; r < cc->n; r++, i += cc->nc)
    {
      gsize len;
      gboolean quoted;
      const char *t = chunk_cell (cc, i, plain, &len, &quoted);

      if (G_UNLIKELY (len <= cc->null_len) && chunk_null (self, cc, t, len, quoted, r, &nn))
        {
          if (!cc->nullable)
            return FALSE;
          if (doubles)
            reals[r] = 0;
          else
            ints[r] = 0;
          continue;
        }
      valid[r] = 1;
      if (doubles ? G_UNLIKELY (!parse_double_plain (t, len, &reals[r])) &&
                      !setl_csv_parse_double (t, len, FALSE, &reals[r])
                  : G_UNLIKELY (!parse_int64_plain (t, len, &ints[r])) &&
                      !setl_csv_parse_int64 (t, len, FALSE, &ints[r]))
        return FALSE;
    }
  cc->sc->n_nulls = nn;
  return TRUE;
}

/* @bytes: the string bytes taken. */
G_ALWAYS_INLINE static inline gboolean
chunk_string (SetlCsvParser *self, const ChunkColumn *cc, gboolean plain, gsize *bytes)
{
  gint32 *offsets = cc->sc->out;
  guint8 *valid = cc->sc->valid;
  char *text = cc->sc->text;
  gsize size = (gsize) offsets[0];
  gsize i = cc->c;
  guint nn = 0;

  for (guint r = 0; r < cc->n; r++, i += cc->nc)
    {
      gsize len;
      gboolean quoted;
      const char *t = chunk_cell (cc, i, plain, &len, &quoted);

      if (G_UNLIKELY (len <= cc->null_len) && chunk_null (self, cc, t, len, quoted, r, &nn))
        {
          if (!cc->nullable)
            return FALSE;
          offsets[r + 1] = (gint32) size;
          continue;
        }
      valid[r] = 1;
      /* Short values are copied whole 16-byte words at a time (the
       * tokenizer's buffer has 64 readable bytes after its data, the
       * builder's text 32 bytes of room); the words' high bits say whether
       * the value is ASCII, and so valid UTF-8 without looking further. */
#ifdef __SSE2__
      if (G_LIKELY (len <= 32))
        {
          __m128i a = _mm_loadu_si128 ((const __m128i *) (gconstpointer) t);
          __m128i b = _mm_loadu_si128 ((const __m128i *) (gconstpointer) (t + 16));
          guint32 high = ((guint32) _mm_movemask_epi8 (a) |
                          ((guint32) _mm_movemask_epi8 (b) << 16)) &
                         (guint32) ((G_GUINT64_CONSTANT (1) << len) - 1);

          if (G_UNLIKELY (high != 0) && !utf8_valid_short (t, len, high, a, b))
            return FALSE;
          _mm_storeu_si128 ((__m128i *) (gpointer) (text + size), a);
          _mm_storeu_si128 ((__m128i *) (gpointer) (text + size + 16), b);
        }
      else
#endif
        {
          if (G_UNLIKELY (!is_valid_utf8_padded (t, len)))
            return FALSE;
          memcpy (text + size, t, len);
        }
      size += len;
      offsets[r + 1] = (gint32) size;
    }
  cc->sc->n_nulls = nn;
  *bytes = size - (gsize) offsets[0];
  return TRUE;
}

/*
 * Parses @n rows cut in bulk (setl_csv_tokenizer_next_rows()) into the
 * builders, one column at a time: one type switch per column instead of
 * one per cell, the common numbers parsed inline. FALSE when a cell needs
 * the row-by-row path (a null in a non-nullable column, a value that does
 * not parse, invalid UTF-8): nothing is counted then, and the caller
 * takes the rows again one by one, which reports or rejects the bad one.
 * @quoted_columns: as setl_csv_tokenizer_next_rows() sets it. @bytes:
 * the strings' bytes taken.
 */
G_ALWAYS_INLINE static inline gboolean
parse_chunk_body (SetlCsvParser  *self,
                  const char     *base,
                  const guint32  *ends,
                  guint           n,
                  guint64         quoted_columns,
                  gsize          *bytes)
{
  const SetlCsvOptions *o = self->options;
  const guint nc = self->n_columns;
  gsize total = 0;

  for (guint c = 0; c < nc; c++)
    {
      ColumnScratch *sc = &self->scratch[c];
      ChunkColumn cc = {
        .base = base, .ends = ends, .n = n, .nc = nc, .c = c,
        .last = c == nc - 1, .nullable = self->nullable[c],
        .null_len = self->max_marker_length, .quote = o->quote, .sc = sc,
      };
      const gboolean plain = !cc.last && !(quoted_columns & (G_GUINT64_CONSTANT (1) << MIN (c, 63)));
      guint8 *valid = sc->valid;
      gsize i = c;
      guint nn = 0;

      /* The chunk's cells of a column are within its bytes: one check of
       * the room for them all (plus a 32-byte copy's). */
      if (self->types[c] == SETL_DATA_TYPE_STRING)
        begin_rows (self, c, n, (gsize) (guint32) (ends[(gsize) n * nc - 1] - (ends[-1] + 1u)) + 32);
      else
        begin_rows (self, c, n, 0);
      switch (self->types[c])
        {
        case SETL_DATA_TYPE_INT64:
          if (!(plain ? chunk_numbers (self, &cc, TRUE, FALSE) : chunk_numbers (self, &cc, FALSE, FALSE)))
            goto fail;
          continue;
        case SETL_DATA_TYPE_DOUBLE:
          if (!(plain ? chunk_numbers (self, &cc, TRUE, TRUE) : chunk_numbers (self, &cc, FALSE, TRUE)))
            goto fail;
          continue;
        case SETL_DATA_TYPE_STRING:
          {
            gsize taken = 0;

            if (!(plain ? chunk_string (self, &cc, TRUE, &taken) : chunk_string (self, &cc, FALSE, &taken)))
              goto fail;
            total += taken;
          }
          continue;
        default:
          {
            /* Booleans, dates and timestamps: the parsers, cell by cell. */
            for (guint r = 0; r < n; r++, i += nc)
              {
                gsize len;
                gboolean cell_quoted, ok;
                const char *t = chunk_cell (&cc, i, FALSE, &len, &cell_quoted);

                if (!cell_quoted && is_null_text (self, t, len))
                  {
                    if (!cc.nullable)
                      goto fail;
                    valid[r] = 0;
                    memset ((guint8 *) sc->out + (gsize) r * scratch_value_size (self->types[c]), 0,
                            scratch_value_size (self->types[c]));
                    nn++;
                    continue;
                  }
                valid[r] = 1;
                switch (self->types[c])
                  {
                  case SETL_DATA_TYPE_BOOL:
                    {
                      gboolean b = FALSE;

                      ok = setl_csv_parse_bool (t, len, FALSE, &b);
                      sc->bools[r] = b != FALSE;
                    }
                    break;
                  case SETL_DATA_TYPE_DATE32:
                    ok = setl_csv_parse_date (t, len, o->date_format,
                                              (gint32 *) sc->out + r);
                    break;
                  case SETL_DATA_TYPE_TIMESTAMP:
                    ok = setl_csv_parse_timestamp (t, len, o->timestamp_format,
                                                   (gint64 *) sc->out + r);
                    break;
                  default:
                    ok = FALSE;
                  }
                if (!ok)
                  goto fail;
              }
          }
          break;
        }
      sc->n_nulls = nn;
    }

  end_rows (self, n);
  *bytes = total;
  return TRUE;

fail:
  return FALSE;
}

static gboolean
parse_chunk_baseline (SetlCsvParser *self, const char *base, const guint32 *ends, guint n,
                      guint64 quoted_columns, gsize *bytes)
{
  return parse_chunk_body (self, base, ends, n, quoted_columns, bytes);
}

#ifdef SETL_CSV_X86_64_V3
SETL_CSV_V3 static gboolean
parse_chunk_v3 (SetlCsvParser *self, const char *base, const guint32 *ends, guint n,
                guint64 quoted_columns, gsize *bytes)
{
  return parse_chunk_body (self, base, ends, n, quoted_columns, bytes);
}
#endif

/* parse_chunk_body() in the copy setl_csv_use_x86_64_v3() chooses. */
static gboolean
parse_chunk (SetlCsvParser *self, const char *base, const guint32 *ends, guint n,
             guint64 quoted_columns, gsize *bytes)
{
#ifdef SETL_CSV_X86_64_V3
  if (setl_csv_use_x86_64_v3 ())
    return parse_chunk_v3 (self, base, ends, n, quoted_columns, bytes);
#endif
  return parse_chunk_baseline (self, base, ends, n, quoted_columns, bytes);
}

/* The error for a tokenizer's failure (or the splitter's: the same
 * text), at the file's line; @name names the failure's column (NULL:
 * none). */
void
setl_csv_token_failure_error (const SetlCsvOptions      *o,
                              const SetlCsvTokenFailure *failure,
                              const char                *name,
                              GError                   **error)
{
  switch (failure->code)
    {
    case SETL_CSV_TOKEN_ERROR_UNTERMINATED_QUOTE:
      setl_csv_set_error (error, G_IO_ERROR_INVALID_DATA, o->path, failure->line,
                          (int) failure->field, name,
                          "unterminated quoted field (no closing quote before the end of the file)");
      break;
    case SETL_CSV_TOKEN_ERROR_AFTER_QUOTE:
      setl_csv_set_error (error, G_IO_ERROR_INVALID_DATA, o->path, failure->line,
                          (int) failure->field, name,
                          "unexpected character after a closing quote "
                          "(a quote inside a quoted field must be doubled)");
      break;
    case SETL_CSV_TOKEN_ERROR_TOO_LONG:
      setl_csv_set_error (error, G_IO_ERROR_INVALID_DATA, o->path, failure->line, 0, NULL,
                          "a record is longer than %u MiB (an unterminated quote?)",
                          SETL_CSV_MAX_RECORD_BYTES >> 20);
      break;
    case SETL_CSV_TOKEN_ERROR_IO:
    default:
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (failure->errno_value),
                   "%s: read error: %s", o->path, g_strerror (failure->errno_value));
      break;
    }
}

/* What the row-by-row path did with one record. */
typedef enum
{
  RECORD_ROW,       /* a row was added */
  RECORD_SKIPPED,   /* a malformed record, rejected */
  RECORD_END,       /* the end of the file */
  RECORD_FAILED,    /* an error, set */
} RecordStatus;

/* Takes one record with setl_csv_tokenizer_next() and parses it into the
 * builders. */
static RecordStatus
read_record (SetlCsvParser *self, gsize *row_bytes, GError **error)
{
  const SetlCsvOptions *o = self->options;
  const SetlCsvField *fields;
  SetlCsvTokenFailure failure;
  GError *local = NULL;
  guint n;

  if (!setl_csv_tokenizer_next (self->tokenizer, &fields, &n, &failure))
    {
      const char *name;

      if (failure.code == SETL_CSV_TOKEN_ERROR_NONE)
        return RECORD_END;
      name = failure.field > 0 ? column_name (self, failure.field - 1) : NULL;
      setl_csv_token_failure_error (o, &failure, name, &local);
      if (failure.code == SETL_CSV_TOKEN_ERROR_UNTERMINATED_QUOTE ||
          failure.code == SETL_CSV_TOKEN_ERROR_AFTER_QUOTE)
        return malformed (self, local, error) ? RECORD_SKIPPED : RECORD_FAILED;
      g_propagate_error (error, local);
      return RECORD_FAILED;
    }

  if (G_UNLIKELY (n != self->n_columns))
    {
      guint column = n > self->n_columns ? self->n_columns + 1 : n + 1;

      setl_csv_set_error (&local, G_IO_ERROR_INVALID_DATA, o->path,
                          setl_csv_tokenizer_get_line (self->tokenizer), (int) column,
                          column_name (self, column - 1),
                          "row has %u fields, expected %u", n, self->n_columns);
      return malformed (self, local, error) ? RECORD_SKIPPED : RECORD_FAILED;
    }
  *row_bytes = 0;
  if (G_UNLIKELY (!parse_row (self, fields, row_bytes, &local)))
    {
      *row_bytes = 0;
      return malformed (self, local, error) ? RECORD_SKIPPED : RECORD_FAILED;
    }
  return RECORD_ROW;
}

/* Parses the next batch; NULL at the end of the file (error unset: the
 * caller finishes the pass) or on an error.
 *
 * Rows are cut in bulk and parsed column by column (parse_chunk()) while
 * they are plain; a record the bulk path does not take (quotes, a wrong
 * field count, the end of the buffer) and a chunk with a bad cell go
 * through read_record(), one record at a time, which reads more input and
 * reports errors with their line and column. */
SetlRecordBatch *
setl_csv_parser_read_batch (SetlCsvParser  *self,
                            GError        **error)
{
  const SetlCsvOptions *o = self->options;
  g_autofree SetlColumn **columns = NULL;
  SetlRecordBatch *batch;
  gsize string_bytes = 0;
  guint rows = 0;
  gboolean end = FALSE, sized;

  /* Size the builders like the last batch, so that they do not grow by
   * doubling (copies and page faults) through every batch; text with an
   * eighth more room, or a batch of slightly longer strings than the last
   * one would copy its whole buffer into one twice as large. */
  if (self->last_rows > 0)
    for (guint c = 0; c < self->n_columns; c++)
      setl_column_builder_reserve (self->builders[c], self->last_rows,
                                   self->types[c] == SETL_DATA_TYPE_STRING
                                     ? self->last_bytes[c] + self->last_bytes[c] / 8 + 64 : 0);

  if (self->ends == NULL)
    {
      self->ends = g_new (guint32, SETL_CSV_ENDS_SIZE (CHUNK_ROWS, MAX (self->n_columns, 1)));
      for (guint c = 0; c < self->n_columns; c++)
        {
          self->scratch[c].valid = g_new (guint8, CHUNK_ROWS);
          if (self->types[c] == SETL_DATA_TYPE_BOOL)
            self->scratch[c].bools = g_new (guint8, CHUNK_ROWS);
        }
    }

  while (!end && rows < o->batch_size && string_bytes < MAX_BATCH_STRING_BYTES)
    {
      SetlCsvTokenizerMark mark;
      const char *base;
      guint want = MIN (CHUNK_ROWS, o->batch_size - rows), got, slow;
      guint64 quoted_columns = 0;
      gsize bytes = 0;

      setl_csv_tokenizer_mark (self->tokenizer, &mark);
      got = !self->bulk ? 0
                        : setl_csv_tokenizer_next_rows (self->tokenizer, self->n_columns, want, &base,
                                                        self->ends + 1, &quoted_columns);
      if (got > 0)
        {
          if (G_LIKELY (parse_chunk (self, base, self->ends + 1, got, quoted_columns, &bytes)))
            {
              rows += got;
              string_bytes += bytes;
              continue;
            }
          /* A bad cell: the same records again, one by one. */
          setl_csv_tokenizer_rewind (self->tokenizer, &mark);
          slow = got;
        }
      else
        slow = 1;

      for (guint i = 0; i < slow && rows < o->batch_size; i++)
        {
          gsize row_bytes = 0;

          switch (read_record (self, &row_bytes, error))
            {
            case RECORD_ROW:
              string_bytes += row_bytes;
              rows++;
              break;
            case RECORD_SKIPPED:
              break;
            case RECORD_END:
              end = TRUE;
              break;
            case RECORD_FAILED:
              return NULL;
            }
          if (end)
            break;
        }
    }

  if (rows == 0)
    return NULL;
  /* A short batch (a block's last, in a parallel pass) does not shrink
   * the sizes: the next block's first batch is a full one. */
  sized = rows >= self->last_rows;
  if (sized)
    self->last_rows = rows;

  self->rows += rows;
  columns = g_new0 (SetlColumn *, self->n_columns);
  for (guint c = 0; c < self->n_columns; c++)
    {
      if (sized)
        self->last_bytes[c] = setl_column_builder_get_byte_size (self->builders[c]);
      columns[c] = setl_column_builder_finish (self->builders[c], error);
      if (columns[c] == NULL)
        {
          for (guint i = 0; i < c; i++)
            g_object_unref (columns[i]);
          return NULL;
        }
    }
  batch = setl_record_batch_new (self->fields, self->n_fields,
                                 columns, self->n_columns, error);
  for (guint c = 0; c < self->n_columns; c++)
    g_object_unref (columns[c]);
  return batch;
}

SetlCsvParser *
setl_csv_parser_new (const SetlCsvOptions *options,
                     SetlField           **fields,
                     guint                 n_fields,
                     gboolean              bulk)
{
  SetlCsvParser *self = g_new0 (SetlCsvParser, 1);
  guint n_other = 0;

  self->options = options;
  self->fields = fields;
  self->n_fields = n_fields;
  self->bulk = bulk;
  self->n_columns = n_fields;
  self->types = g_new (SetlDataType, n_fields);
  self->nullable = g_new (gboolean, n_fields);
  self->builders = g_new0 (SetlColumnBuilder *, n_fields);
  self->scratch = g_new0 (ColumnScratch, n_fields);
  self->last_bytes = g_new0 (gsize, n_fields);
  for (guint c = 0; c < n_fields; c++)
    {
      self->types[c] = setl_field_get_data_type (fields[c]);
      self->nullable[c] = setl_field_get_nullable (fields[c]);
      self->builders[c] = setl_column_builder_new (self->types[c]);
    }
  self->markers = g_new0 (NullMarker, options->null_markers ? g_strv_length (options->null_markers) : 0);
  for (char **m = options->null_markers; m != NULL && *m != NULL; m++)
    {
      if (**m == '\0')
        self->empty_is_null = TRUE;
      else
        {
          self->markers[n_other].marker = *m;
          self->markers[n_other].length = strlen (*m);
          self->max_marker_length = MAX (self->max_marker_length, self->markers[n_other].length);
          self->marker_first[(guchar) **m] = 1;
          n_other++;
        }
    }
  self->n_markers = n_other;
  return self;
}

void
setl_csv_parser_free (SetlCsvParser *self)
{
  if (self == NULL)
    return;
  g_clear_pointer (&self->tokenizer, setl_csv_tokenizer_free);
  for (guint i = 0; i < self->n_columns; i++)
    g_clear_object (&self->builders[i]);
  g_free (self->builders);
  g_free (self->types);
  g_free (self->nullable);
  for (guint i = 0; i < self->n_columns; i++)
    {
      g_free (self->scratch[i].valid);
      g_free (self->scratch[i].bools);
    }
  g_free (self->scratch);
  g_free (self->markers);
  g_free (self->last_bytes);
  g_free (self->ends);
  g_free (self);
}

/* Takes @tokenizer (NULL: none), freeing the previous one. Rows left in
 * the builders by a failed batch are dropped, so that they do not show up
 * in the next block's first batch. */
void
setl_csv_parser_set_tokenizer (SetlCsvParser    *self,
                               SetlCsvTokenizer *tokenizer)
{
  g_clear_pointer (&self->tokenizer, setl_csv_tokenizer_free);
  self->tokenizer = tokenizer;
  for (guint c = 0; c < self->n_columns; c++)
    if (setl_column_builder_get_length (self->builders[c]) > 0)
      {
        g_autoptr(SetlColumn) dropped = setl_column_builder_finish (self->builders[c], NULL);
      }
}

SetlCsvTokenizer *
setl_csv_parser_get_tokenizer (SetlCsvParser *self)
{
  return self->tokenizer;
}

/* Rejected rows go to @reject (reject mode; NULL: a malformed row is an
 * error) or, when @reject_bytes is set, there; both borrowed. */
void
setl_csv_parser_set_reject (SetlCsvParser *self,
                            FILE          *reject,
                            GByteArray    *reject_bytes)
{
  self->reject = reject;
  self->reject_bytes = reject_bytes;
}

/* Rows parsed into batches and rows rejected since the last call. */
void
setl_csv_parser_take_counts (SetlCsvParser *self,
                             guint64       *rows,
                             gint64        *rejected)
{
  *rows = self->rows;
  *rejected = self->rejected;
  self->rows = 0;
  self->rejected = 0;
}
