/* setl-csv-tokenizer.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * SetlCsvTokenizer reads CSV bytes from a file descriptor (or, for tests and
 * the fuzzer, from memory) through one buffer and hands out one record at a
 * time as an array of fields pointing into that buffer: no allocation per
 * field or per record.
 *
 * RFC 4180, with the leniencies real files need: CRLF or LF line ends, a
 * missing final line end, a UTF-8 byte order mark at the start, blank lines
 * skipped, a quote inside an unquoted field taken literally. A quoted field
 * may hold delimiters, line ends and doubled quotes; doubled quotes are
 * undoubled into a scratch buffer, the only copy the tokenizer makes.
 *
 * Speed: most records hold no quote at all. For those, one scan finds the
 * delimiters and the line end 16 bytes at a time (SSE2 compares and a bit
 * mask, or a byte-class table without SSE2) and cuts the fields as it goes:
 * one pass over the bytes, no call per field. A quote sends the record to
 * the byte-by-byte state machine. A record that runs past the end of the
 * buffer is restarted after the buffer has been refilled (records are tiny
 * next to the buffer). The buffer has SCAN_PAD bytes after its capacity,
 * zeroed past the valid bytes, so that a load that starts before the end
 * never reads outside the allocation or uninitialised memory.
 *
 * setl_csv_tokenizer_next_rows() is the bulk path the CSV source uses: it
 * cuts many records at once, 64 bytes at a time, simple quoted fields
 * included, and leaves every other record to setl_csv_tokenizer_next().
 *
 * Memory is bounded: the buffer only grows when one record is larger than
 * it, up to SETL_CSV_MAX_RECORD_BYTES.
 */
#include "setl-csv-tokenizer.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif
#ifdef SETL_CSV_X86_64_V3
#include <immintrin.h>
#endif

/* Zeroed bytes after the valid ones: room for the 64-byte loads of
 * setl_csv_tokenizer_next_rows() and the 16-byte ones of the record scan. */
#define SCAN_PAD 64

struct _SetlCsvTokenizer
{
  char delimiter;
  char quote;

  /* The byte source: a file descriptor, or memory. */
  int fd;
  const char *data;
  gsize data_length;
  gsize data_pos;

  char *buf;
  gsize capacity;
  gsize pos;          /* start of the next record */
  gsize end;          /* end of the valid bytes */
  gboolean eof;
  gboolean borrowed;   /* @buf is the caller's (setl_csv_tokenizer_new_for_block()) */
  gboolean started;   /* the byte order mark has been looked for */
  guint64 bytes_read;

  guint64 line;        /* physical line of the next record */
  guint64 record_line; /* physical line of the current record */
  gsize raw_start, raw_end;

  SetlCsvField *fields;
  guint n_fields;
  guint fields_capacity;
  gboolean ascii;      /* the current record is known to be all ASCII */

  char *scratch;
  gsize scratch_capacity;

  SetlCsvTokenFailure sticky;  /* an I/O or size failure ends the stream */
};

static SetlCsvTokenizer *
tokenizer_new (char delimiter, char quote, gsize buffer_size)
{
  SetlCsvTokenizer *self = g_new0 (SetlCsvTokenizer, 1);

  self->delimiter = delimiter;
  self->quote = quote;
  self->fd = -1;
  self->capacity = MAX (buffer_size, 4);
  self->buf = g_malloc0 (self->capacity + SCAN_PAD);
  self->line = 1;
  self->fields_capacity = 16;
  self->fields = g_new (SetlCsvField, self->fields_capacity);
  return self;
}

/* Takes ownership of @fd. @buffer_size is the read size (0: the default). */
SetlCsvTokenizer *
setl_csv_tokenizer_new_for_fd (int fd, char delimiter, char quote, gsize buffer_size)
{
  SetlCsvTokenizer *self =
    tokenizer_new (delimiter, quote, buffer_size ? buffer_size : SETL_CSV_DEFAULT_BUFFER_BYTES);

  self->fd = fd;
  return self;
}

/* Borrows @data, which must outlive the tokenizer. */
SetlCsvTokenizer *
setl_csv_tokenizer_new_for_data (const char *data, gsize length, char delimiter,
                                 char quote, gsize buffer_size)
{
  SetlCsvTokenizer *self =
    tokenizer_new (delimiter, quote, buffer_size ? buffer_size : SETL_CSV_DEFAULT_BUFFER_BYTES);

  self->data = data;
  self->data_length = length;
  return self;
}

/* Reads @length bytes at @data in place, no copy: they must be followed
 * by 64 (SCAN_PAD) readable zero bytes, as a parallel reader's blocks are
 * (SETL_CSV_BLOCK_PAD), and outlive the tokenizer. The whole input is
 * there from the start: fill() is never called (every NEED_MORE needs
 * !eof), so the borrowed bytes are never moved, grown or written. */
SetlCsvTokenizer *
setl_csv_tokenizer_new_for_block (const char *data, gsize length, char delimiter, char quote)
{
  SetlCsvTokenizer *self = g_new0 (SetlCsvTokenizer, 1);

  G_STATIC_ASSERT (SCAN_PAD == 64);
  self->delimiter = delimiter;
  self->quote = quote;
  self->fd = -1;
  self->buf = (char *) data;
  self->borrowed = TRUE;
  self->capacity = length;
  self->end = length;
  self->eof = TRUE;
  self->bytes_read = length;
  self->line = 1;
  self->fields_capacity = 16;
  self->fields = g_new (SetlCsvField, self->fields_capacity);
  return self;
}

void
setl_csv_tokenizer_free (SetlCsvTokenizer *self)
{
  if (self == NULL)
    return;
  if (self->fd >= 0)
    close (self->fd);
  if (!self->borrowed)
    g_free (self->buf);
  g_free (self->fields);
  g_free (self->scratch);
  g_free (self);
}

/* Moves the unread bytes to the front, grows the buffer when one record
 * fills it, and reads more. FALSE on an I/O error or an oversized record. */
static gboolean
fill (SetlCsvTokenizer *self)
{
  gssize n;

  if (self->pos > 0)
    {
      memmove (self->buf, self->buf + self->pos, self->end - self->pos);
      self->end -= self->pos;
      self->pos = 0;
    }
  if (self->end == self->capacity)
    {
      gsize capacity;

      if (self->capacity >= SETL_CSV_MAX_RECORD_BYTES)
        {
          self->sticky.code = SETL_CSV_TOKEN_ERROR_TOO_LONG;
          self->sticky.line = self->line;
          self->sticky.field = 1;
          return FALSE;
        }
      capacity = MIN (self->capacity * 2, (gsize) SETL_CSV_MAX_RECORD_BYTES);
      self->buf = g_realloc (self->buf, capacity + SCAN_PAD);
      self->capacity = capacity;
    }

  if (self->data != NULL || self->fd < 0)
    {
      gsize take = MIN (self->capacity - self->end, self->data_length - self->data_pos);

      if (take > 0)
        memcpy (self->buf + self->end, self->data + self->data_pos, take);
      self->data_pos += take;
      n = (gssize) take;
    }
  else
    {
      do
        n = read (self->fd, self->buf + self->end, self->capacity - self->end);
      while (n < 0 && errno == EINTR);
      if (n < 0)
        {
          self->sticky.code = SETL_CSV_TOKEN_ERROR_IO;
          self->sticky.errno_value = errno;
          self->sticky.line = self->line;
          self->sticky.field = 1;
          return FALSE;
        }
    }
  if (n == 0)
    self->eof = TRUE;
  self->end += (gsize) n;
  self->bytes_read += (gsize) n;
  memset (self->buf + self->end, 0, SCAN_PAD);
  return TRUE;
}

static inline void
add_field (SetlCsvTokenizer *self, const char *ptr, gsize len, gboolean quoted)
{
  if (G_UNLIKELY (self->n_fields == self->fields_capacity))
    {
      self->fields_capacity *= 2;
      self->fields = g_renew (SetlCsvField, self->fields, self->fields_capacity);
    }
  self->fields[self->n_fields].ptr = ptr;
  self->fields[self->n_fields].len = (guint32) len;
  self->fields[self->n_fields].quoted = quoted;
  self->n_fields++;
}

static guint64
count_newlines (const char *p, const char *e)
{
  guint64 n = 0;

  while ((p = memchr (p, '\n', (gsize) (e - p))) != NULL)
    {
      n++;
      p++;
    }
  return n;
}

/* Undoubles the quotes of the quoted fields that had doubled quotes (marked
 * by a length with the top bit set while parsing). */
static void
unescape_fields (SetlCsvTokenizer *self, gsize record_bytes)
{
  char *out;

  if (self->scratch_capacity < record_bytes)
    {
      self->scratch_capacity = MAX (record_bytes, self->scratch_capacity * 2);
      self->scratch = g_realloc (self->scratch, self->scratch_capacity);
    }
  out = self->scratch;
  for (guint i = 0; i < self->n_fields; i++)
    {
      SetlCsvField *f = &self->fields[i];
      const char *p, *e;
      char *start = out;

      if (!(f->len & 0x80000000u))
        continue;
      p = f->ptr;
      e = f->ptr + (f->len & 0x7fffffffu);
      while (p < e)
        {
          *out++ = *p;
          /* Inside a quoted field, a quote is always the first of a pair. */
          p += (*p == self->quote) ? 2 : 1;
        }
      f->ptr = start;
      f->len = (guint32) (out - start);
    }
}

enum { PARSED, NEED_MORE, FAILED, HAS_QUOTE };

/*
 * The fast path: a record without a quote. Cuts the fields at delimiters up
 * to the line end (a CR before it is not data) and sets @nl to the '\n', or
 * to NULL for a last line without one. HAS_QUOTE when the record holds a
 * quote (the caller starts again with parse_quoted_record()); NEED_MORE
 * when the buffer ends before the line does.
 */
static int
scan_plain_record (SetlCsvTokenizer *self, const char *p, const char *e, const char **nl)
{
  const char delim = self->delimiter, quote = self->quote;
  const char *field = p, *s = p;

#ifdef __SSE2__
  const __m128i vd = _mm_set1_epi8 (delim), vq = _mm_set1_epi8 (quote), vn = _mm_set1_epi8 ('\n');
  guint high = 0;   /* bytes >= 0x80 seen (in whole blocks: may count the next record's) */

  for (; s < e; s += 16)
    {
      __m128i x = _mm_loadu_si128 ((const __m128i *) (gconstpointer) s);
      guint mask = (guint) _mm_movemask_epi8 (_mm_or_si128 (_mm_or_si128 (_mm_cmpeq_epi8 (x, vd),
                                                                           _mm_cmpeq_epi8 (x, vq)),
                                                            _mm_cmpeq_epi8 (x, vn)));

      high |= (guint) _mm_movemask_epi8 (x);
      if (e - s < 16)
        mask &= (1u << (e - s)) - 1;
      while (mask != 0)
        {
          const char *t = s + __builtin_ctz (mask);

          mask &= mask - 1;
          if (*t == delim)
            {
              add_field (self, field, (gsize) (t - field), FALSE);
              field = t + 1;
            }
          else if (*t == '\n')
            {
              add_field (self, field, (gsize) (t - field - (t > field && t[-1] == '\r')), FALSE);
              *nl = t;
              self->ascii = high == 0;
              return PARSED;
            }
          else
            return HAS_QUOTE;
        }
    }
#else
  for (; s < e; s++)
    {
      char c = *s;

      if (c == delim)
        {
          add_field (self, field, (gsize) (s - field), FALSE);
          field = s + 1;
        }
      else if (c == '\n')
        {
          add_field (self, field, (gsize) (s - field - (s > field && s[-1] == '\r')), FALSE);
          *nl = s;
          return PARSED;
        }
      else if (c == quote)
        return HAS_QUOTE;
    }
#endif
  if (!self->eof)
    return NEED_MORE;
  add_field (self, field, (gsize) (e - field - (e > field && e[-1] == '\r')), FALSE);
  *nl = NULL;
  self->ascii = FALSE;   /* not looked at */
  return PARSED;
}

/* The byte-by-byte path, for a record that holds a quote. */
static int
parse_quoted_record (SetlCsvTokenizer *self, const char *p, const char *e,
                     const char **record_end, guint64 *lines,
                     gboolean *escapes, SetlCsvTokenFailure *failure)
{
  const char quote = self->quote, delim = self->delimiter;
  const char *s = p;
  guint64 line = 0;   /* newlines crossed so far */

  for (;;)
    {
      if (s < e && *s == quote)
        {
          const char *q = s + 1, *r, *t;
          guint64 open_line = line;
          gboolean escaped = FALSE;

          for (;;)
            {
              r = memchr (q, quote, (gsize) (e - q));
              if (r == NULL)
                {
                  if (!self->eof)
                    return NEED_MORE;
                  failure->code = SETL_CSV_TOKEN_ERROR_UNTERMINATED_QUOTE;
                  failure->line = self->line + open_line;
                  failure->field = self->n_fields + 1;
                  *record_end = e;
                  *lines = line + count_newlines (q, e);
                  return FAILED;
                }
              if (r + 1 == e && !self->eof)
                return NEED_MORE;
              line += count_newlines (q, r);
              if (r + 1 < e && r[1] == quote)
                {
                  escaped = TRUE;
                  q = r + 2;
                  continue;
                }
              break;
            }
          if (escaped)
            *escapes = TRUE;
          add_field (self, s + 1, (gsize) (r - s - 1) | (escaped ? 0x80000000u : 0), TRUE);
          t = r + 1;
          if (t == e)
            {
              *record_end = e;
              break;
            }
          if (*t == delim)
            {
              s = t + 1;
              continue;
            }
          if (*t == '\n')
            {
              *record_end = t + 1;
              line++;
              break;
            }
          if (*t == '\r')
            {
              if (t + 1 == e && !self->eof)
                return NEED_MORE;
              if (t + 1 == e)
                {
                  *record_end = e;
                  break;
                }
              if (t[1] == '\n')
                {
                  *record_end = t + 2;
                  line++;
                  break;
                }
            }
          /* Garbage after the closing quote: the record ends at the next
           * line end, so that a reject-file run can go on after it. */
          {
            const char *nl = memchr (t, '\n', (gsize) (e - t));

            if (nl == NULL && !self->eof)
              return NEED_MORE;
            failure->code = SETL_CSV_TOKEN_ERROR_AFTER_QUOTE;
            failure->line = self->line + line;
            failure->field = self->n_fields;
            *record_end = nl ? nl + 1 : e;
            *lines = line + (nl ? 1 : 0);
            return FAILED;
          }
        }
      else
        {
          const char *t = s, *fe;

          while (t < e && *t != delim && *t != '\n')
            t++;
          if (t == e && !self->eof)
            return NEED_MORE;
          fe = t;
          if ((t == e || *t == '\n') && fe > s && fe[-1] == '\r')
            fe--;
          add_field (self, s, (gsize) (fe - s), FALSE);
          if (t == e)
            {
              *record_end = e;
              break;
            }
          if (*t == delim)
            {
              s = t + 1;
              continue;
            }
          *record_end = t + 1;
          line++;
          break;
        }
    }
  *lines = MAX (line, 1);
  return PARSED;
}

/*
 * Returns TRUE with the next record in @fields; FALSE at the end of the
 * input (failure->code NONE) or on a malformed record (failure set). After
 * an unterminated quote or garbage after a quote the tokenizer has moved
 * past the bad record (setl_csv_tokenizer_get_raw() returns its bytes), so
 * the caller may go on; after an I/O error or an oversized record every
 * call fails again.
 */
gboolean
setl_csv_tokenizer_next (SetlCsvTokenizer     *self,
                         const SetlCsvField  **fields,
                         guint                *n_fields,
                         SetlCsvTokenFailure  *failure)
{
  memset (failure, 0, sizeof *failure);
  *fields = NULL;
  *n_fields = 0;

  if (self->sticky.code != SETL_CSV_TOKEN_ERROR_NONE)
    {
      *failure = self->sticky;
      return FALSE;
    }

  if (G_UNLIKELY (!self->started))
    {
      while (self->end < 3 && !self->eof)
        if (!fill (self))
          goto sticky;
      if (self->end >= 3 && memcmp (self->buf, "\xEF\xBB\xBF", 3) == 0)
        self->pos = 3;
      self->started = TRUE;
    }

  for (;;)
    {
      const char *p = self->buf + self->pos;
      const char *e = self->buf + self->end;
      const char *nl, *le, *record_end;
      guint64 lines;
      gboolean escapes = FALSE;
      int status;

      if (p == e)
        {
          if (self->eof)
            return FALSE;
          if (!fill (self))
            goto sticky;
          continue;
        }

      self->n_fields = 0;
      self->ascii = FALSE;
      status = scan_plain_record (self, p, e, &nl);
      if (status == NEED_MORE)
        {
          if (!fill (self))
            goto sticky;
          continue;
        }
      if (status == PARSED)
        {
          le = nl ? nl : e;
          record_end = nl ? nl + 1 : e;
          if (le == p || (le == p + 1 && *p == '\r'))
            {
              /* A blank line holds no record. */
              self->n_fields = 0;
              self->pos = (gsize) (record_end - self->buf);
              self->line++;
              continue;
            }
          lines = 1;
        }
      else
        {
          self->n_fields = 0;
          status = parse_quoted_record (self, p, e, &record_end, &lines, &escapes, failure);
          if (status == NEED_MORE)
            {
              if (!fill (self))
                goto sticky;
              continue;
            }
        }

      self->record_line = self->line;
      self->raw_start = self->pos;
      self->raw_end = (gsize) (record_end - self->buf);
      self->pos = self->raw_end;
      self->line += lines;
      if (status == FAILED)
        {
          self->n_fields = 0;
          return FALSE;
        }
      if (escapes)
        unescape_fields (self, self->raw_end - self->raw_start);
      *fields = self->fields;
      *n_fields = self->n_fields;
      return TRUE;
    }

sticky:
  /* An oversized record is reported at its first line. */
  self->sticky.line = self->line;
  *failure = self->sticky;
  return FALSE;
}

#ifdef __SSE2__
/* One 64-byte block's delimiters, quotes and line ends as bit masks. */
static inline void
scan_block_sse2 (const char *p, char delimiter, char quote, guint64 *d, guint64 *q, guint64 *nl)
{
  const __m128i vd = _mm_set1_epi8 (delimiter), vq = _mm_set1_epi8 (quote);
  const __m128i vn = _mm_set1_epi8 ('\n');

  *d = *q = *nl = 0;
  for (guint k = 0; k < 4; k++)
    {
      __m128i x = _mm_loadu_si128 ((const __m128i *) (gconstpointer) (p + 16 * k));

      *d |= (guint64) (guint) _mm_movemask_epi8 (_mm_cmpeq_epi8 (x, vd)) << (16 * k);
      *q |= (guint64) (guint) _mm_movemask_epi8 (_mm_cmpeq_epi8 (x, vq)) << (16 * k);
      *nl |= (guint64) (guint) _mm_movemask_epi8 (_mm_cmpeq_epi8 (x, vn)) << (16 * k);
    }
}

/* Writes the offset of each set bit of @bits (from @block) at @e; returns
 * the end of what it wrote. */
static inline guint32 *
flatten_bits (guint32 *e, gsize block, guint64 bits)
{
  while (bits != 0)
    {
      *e++ = (guint32) (block + (gsize) __builtin_ctzll (bits));
      bits &= bits - 1;
    }
  return e;
}
#endif

#ifdef SETL_CSV_X86_64_V3
/* scan_block_sse2() 32 bytes a compare. */
SETL_CSV_V3 static inline void
scan_block_avx2 (const char *p, char delimiter, char quote, guint64 *d, guint64 *q, guint64 *nl)
{
  const __m256i vd = _mm256_set1_epi8 (delimiter), vq = _mm256_set1_epi8 (quote);
  const __m256i vn = _mm256_set1_epi8 ('\n');
  __m256i lo = _mm256_loadu_si256 ((const __m256i *) (gconstpointer) p);
  __m256i hi = _mm256_loadu_si256 ((const __m256i *) (gconstpointer) (p + 32));

  *d = (guint64) (guint32) _mm256_movemask_epi8 (_mm256_cmpeq_epi8 (lo, vd)) |
       (guint64) (guint32) _mm256_movemask_epi8 (_mm256_cmpeq_epi8 (hi, vd)) << 32;
  *q = (guint64) (guint32) _mm256_movemask_epi8 (_mm256_cmpeq_epi8 (lo, vq)) |
       (guint64) (guint32) _mm256_movemask_epi8 (_mm256_cmpeq_epi8 (hi, vq)) << 32;
  *nl = (guint64) (guint32) _mm256_movemask_epi8 (_mm256_cmpeq_epi8 (lo, vn)) |
        (guint64) (guint32) _mm256_movemask_epi8 (_mm256_cmpeq_epi8 (hi, vn)) << 32;
}

/* flatten_bits() without a branch a bit: four offsets a step, counted
 * with POPCNT; the steps' extra writes (garbage: _tzcnt_u64 (0) is 64)
 * stay within the 64 entries of room. */
SETL_CSV_V3 static inline guint32 *
flatten_bits_v3 (guint32 *e, gsize block, guint64 bits)
{
  guint n = (guint) _mm_popcnt_u64 (bits);

  for (guint i = 0; i < n; i += 4)
    {
      e[i] = (guint32) (block + _tzcnt_u64 (bits));
      bits = _blsr_u64 (bits);
      e[i + 1] = (guint32) (block + _tzcnt_u64 (bits));
      bits = _blsr_u64 (bits);
      e[i + 2] = (guint32) (block + _tzcnt_u64 (bits));
      bits = _blsr_u64 (bits);
      e[i + 3] = (guint32) (block + _tzcnt_u64 (bits));
      bits = _blsr_u64 (bits);
    }
  return e + n;
}
#endif

/*
 * The bulk path: cuts up to @max_rows records of exactly @n_columns fields
 * out of the bytes already buffered, without a call per record or per
 * field. It writes where each field ends: ends[r * n_columns + c] is the
 * offset from *@base of the delimiter or line end after field c of row r,
 * and ends[-1] the offset just before the first row. @ends must have room
 * for SETL_CSV_ENDS_SIZE (@max_rows, @n_columns) entries from ends[-1]
 * (room is used past the rows returned). setl_csv_cut_field() gives a
 * field's bytes back. *@quoted_columns has bit c clear when no field of
 * column c is quoted in the rows (bit 63 stands for every column from 63
 * on), so that each of its fields is exactly the bytes between two ends
 * (but the CR a row's last field may end with).
 *
 * Each 64 bytes are compared with the delimiter, the quote and '\n' 16 at
 * a time into bit masks. A block without a quote (most) has every
 * delimiter and line end written out in one tight loop; then each line
 * end is checked to be exactly its row's n_columns-th entry, which proves
 * the row has n_columns fields (the line end before it was its row's
 * first: no earlier entry of the row can be one). A block with a quote is
 * cut bit by bit: a quoted field is taken when the quote opens the field,
 * it closes right before the delimiter or line end (a CR between allowed),
 * and it holds no line end and no doubled quote.
 *
 * It stops, returning the rows cut so far, before the first record it does
 * not take: one with another quote, another number of fields, a blank
 * one, or one not wholly buffered (no line end yet); and it never reads
 * more input. setl_csv_tokenizer_next() then takes that record (reading
 * more, reporting errors) and the bulk path can go on after it. So the
 * entries stay valid until the next call to setl_csv_tokenizer_next(), and
 * rows cut here can be given back with setl_csv_tokenizer_rewind() to a
 * mark taken before (to go through them again with
 * setl_csv_tokenizer_next(), which reports errors with their lines).
 * Without SSE2 it takes no row.
 */
G_ALWAYS_INLINE static inline guint
next_rows (SetlCsvTokenizer *self,
           guint             n_columns,
           guint             max_rows,
           const char      **base,
           guint32          *ends,
           guint64          *quoted_columns,
           gboolean          v3)
{
  const char *buf = self->buf;
  gsize row_start = self->pos;
  guint rows = 0;

  *base = buf;
  *quoted_columns = 0;
  /* Offsets are 32-bit: as wrapped, ends[-1] + 1 is 0 for a row at 0. */
  ends[-1] = (guint32) row_start - 1u;
  if (G_UNLIKELY (!self->started || self->sticky.code != SETL_CSV_TOKEN_ERROR_NONE ||
                  max_rows == 0 || n_columns == 0))
    return 0;
#ifdef __SSE2__
  {
    const gsize end = self->end;
    gsize ne = 0;          /* entries written */
    gsize row_first = 0;   /* the current row's first entry */
    /* a quoted field read, waiting for the delimiter or line end after it */
    gboolean quoted = FALSE;
    gsize quote_close = 0;
    gsize block = row_start;

    while (block < end)
      {
        guint64 d, q, nl, bits;

#ifdef SETL_CSV_X86_64_V3
        if (v3)
          scan_block_avx2 (buf + block, self->delimiter, self->quote, &d, &q, &nl);
        else
#endif
          scan_block_sse2 (buf + block, self->delimiter, self->quote, &d, &q, &nl);
        if (end - block < 64)
          {
            guint64 valid = (G_GUINT64_CONSTANT (1) << (end - block)) - 1;

            d &= valid;
            q &= valid;
            nl &= valid;
          }
        bits = d | nl;
        if (G_LIKELY (q == 0 && !quoted))
          {
            /* No quote in these 64 bytes: every delimiter and line end is
             * an entry (at most 64 past the last row's: the room). */
            guint32 *e;

#ifdef SETL_CSV_X86_64_V3
            if (v3)
              e = flatten_bits_v3 (ends + ne, block, bits);
            else
#endif
              e = flatten_bits (ends + ne, block, bits);
            ne = (gsize) (e - ends);
            while (nl != 0)
              {
                gsize at = block + (gsize) __builtin_ctzll (nl);
                gsize last = row_first + n_columns - 1;

                nl &= nl - 1;
                if (G_UNLIKELY (last >= ne || ends[last] != (guint32) at))
                  goto stop;   /* too few fields, or too many */
                if (G_UNLIKELY (n_columns == 1) &&
                    (at == row_start || (at == row_start + 1 && buf[row_start] == '\r')))
                  goto stop;   /* a blank line: setl_csv_tokenizer_next() skips it */
                rows++;
                row_first += n_columns;
                row_start = at + 1;
                if (rows == max_rows)
                  goto stop;
              }
            /* The row going on holds only delimiters so far. */
            if (G_UNLIKELY (ne - row_first >= n_columns))
              goto stop;   /* too many fields */
            block += 64;
            continue;
          }
        while (bits != 0 || q != 0)
          {
            guint64 all = bits | q;
            guint tz = (guint) __builtin_ctzll (all);
            guint64 bit = G_GUINT64_CONSTANT (1) << tz;
            gsize at = block + tz;

            bits &= ~bit;
            if (G_UNLIKELY ((q & bit) != 0))
              {
                const char *close;
                gsize field_start = ne > row_first ? (gsize) ends[ne - 1] + 1 : row_start;
                guint64 upto;

                q &= ~bit;
                if (quoted || at != field_start)
                  goto stop;
                close = memchr (buf + at + 1, self->quote, end - at - 1);
                if (close == NULL)
                  goto stop;
                quote_close = (gsize) (close - buf);
                quoted = TRUE;
                if (quote_close - block < 64)
                  {
                    upto = ((G_GUINT64_CONSTANT (1) << (quote_close - block)) << 1) - 1;
                    if (nl & upto & ~((bit << 1) - 1))
                      goto stop;
                    /* The delimiters inside are data; the closing quote
                     * is passed. */
                    bits &= ~upto;
                    q &= ~upto;
                    continue;
                  }
                if (memchr (buf + at + 1, '\n', quote_close - at - 1) != NULL)
                  goto stop;
                /* Past this block: go on from the closing quote. */
                block = quote_close + 1;
                goto next_block;
              }
            if (G_UNLIKELY (ne - row_first == n_columns))
              goto stop;   /* too many fields */
            if (G_UNLIKELY (quoted))
              {
                /* Right after the closing quote, or a CR and the line end. */
                if (at != quote_close + 1 &&
                    !((nl & bit) && at == quote_close + 2 && buf[at - 1] == '\r'))
                  goto stop;
                quoted = FALSE;
                *quoted_columns |= G_GUINT64_CONSTANT (1) << MIN (ne - row_first, 63);
              }
            ends[ne++] = (guint32) at;
            if (nl & bit)
              {
                if (G_UNLIKELY (ne - row_first != n_columns))
                  goto stop;   /* too few fields */
                if (G_UNLIKELY (n_columns == 1) &&
                    (at == row_start || (at == row_start + 1 && buf[row_start] == '\r')))
                  goto stop;   /* a blank line: setl_csv_tokenizer_next() skips it */
                rows++;
                row_first = ne;
                row_start = at + 1;
                if (rows == max_rows)
                  goto stop;
              }
          }
        block += 64;
      next_block:
        ;
      }
  }
stop:
#endif
  self->line += rows;
  self->pos = row_start;
  return rows;
}

static guint
next_rows_baseline (SetlCsvTokenizer *self, guint n_columns, guint max_rows,
                    const char **base, guint32 *ends, guint64 *quoted_columns)
{
  return next_rows (self, n_columns, max_rows, base, ends, quoted_columns, FALSE);
}

#ifdef SETL_CSV_X86_64_V3
SETL_CSV_V3 static guint
next_rows_v3 (SetlCsvTokenizer *self, guint n_columns, guint max_rows,
              const char **base, guint32 *ends, guint64 *quoted_columns)
{
  return next_rows (self, n_columns, max_rows, base, ends, quoted_columns, TRUE);
}
#endif

guint
setl_csv_tokenizer_next_rows (SetlCsvTokenizer *self,
                              guint             n_columns,
                              guint             max_rows,
                              const char      **base,
                              guint32          *ends,
                              guint64          *quoted_columns)
{
#ifdef SETL_CSV_X86_64_V3
  if (setl_csv_use_x86_64_v3 ())
    return next_rows_v3 (self, n_columns, max_rows, base, ends, quoted_columns);
#endif
  return next_rows_baseline (self, n_columns, max_rows, base, ends, quoted_columns);
}

/*
 * Whether the bulk path runs its copies compiled for x86-64-v3: when this
 * build has them and the processor is one, unless SETL_CSV_BASELINE is set
 * in the environment (the tests run both copies). Decided once.
 */
gboolean
setl_csv_use_x86_64_v3 (void)
{
  static gsize choice = 0;   /* 1: the baseline copies, 2: x86-64-v3 */

  if (g_once_init_enter (&choice))
    {
      gboolean v3 = FALSE;

#ifdef SETL_CSV_X86_64_V3
      __builtin_cpu_init ();
      v3 = __builtin_cpu_supports ("x86-64-v3") && g_getenv ("SETL_CSV_BASELINE") == NULL;
#endif
      g_once_init_leave (&choice, v3 ? 2 : 1);
    }
  return choice == 2;
}

void
setl_csv_tokenizer_mark (SetlCsvTokenizer *self, SetlCsvTokenizerMark *mark)
{
  mark->pos = self->pos;
  mark->line = self->line;
}

/* Goes back to @mark, taken since the buffer was last refilled (since the
 * last setl_csv_tokenizer_next() call that returned a record, to be sure). */
void
setl_csv_tokenizer_rewind (SetlCsvTokenizer *self, const SetlCsvTokenizerMark *mark)
{
  self->pos = mark->pos;
  self->line = mark->line;
}

/* The physical line of the input's first byte, when the input is a part
 * of a file (a block of the parallel reader) and lines are to be reported
 * as the file's: before the first record only. */
void
setl_csv_tokenizer_set_line (SetlCsvTokenizer *self, guint64 line)
{
  self->line = line;
}

/* The physical line (1-based) where the current record starts. */
guint64
setl_csv_tokenizer_get_line (SetlCsvTokenizer *self)
{
  return self->record_line;
}

/* The bytes of the current (or just rejected) record as they are in the
 * file, line end included. */
const char *
setl_csv_tokenizer_get_raw (SetlCsvTokenizer *self, gsize *length)
{
  *length = self->raw_end - self->raw_start;
  return self->buf + self->raw_start;
}

/* TRUE when every byte of the current record is ASCII, so its fields are
 * valid UTF-8 without looking; FALSE when unknown. */
gboolean
setl_csv_tokenizer_record_is_ascii (SetlCsvTokenizer *self)
{
  return self->ascii;
}

guint64
setl_csv_tokenizer_get_bytes_read (SetlCsvTokenizer *self)
{
  return self->bytes_read;
}
