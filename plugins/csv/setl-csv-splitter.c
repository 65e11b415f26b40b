/* setl-csv-splitter.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * SetlCsvSplitter reads CSV bytes in large blocks and cuts them at record
 * boundaries, so that several threads can parse blocks at once while the
 * batches still come out in file order (setl-csv-splitter.h states the
 * contract that makes each block parseable on its own).
 *
 * Finding a record boundary needs to know whether a '\n' is inside a quoted
 * field, so the splitter runs the tokenizer's quote rules, and nothing else
 * (no fields are cut): a quote opens a quoted field only at the start of a
 * field (record start or just after a delimiter) and is data anywhere else;
 * inside a quoted field a doubled quote is data; after the closing quote
 * come the delimiter, '\n', "\r\n" or the end, anything else is malformed
 * and the bad record runs to the next '\n'. A lone '\r' is data.
 *
 * Speed: between quotes the bytes are plain, so the scan jumps from quote
 * to quote with memchr() and finds the last line end of a plain run with
 * memrchr() (glibc's are vectorized); a block without any quote costs one
 * memchr() and one memrchr(). Lines are counted once per block, by an SSE2
 * loop, whatever the quoting, since every '\n' is a physical line.
 *
 * The window: bytes [0, len) from file offset @base, always starting at a
 * record boundary. The scan state stays valid across reads and cuts, so no
 * byte is scanned twice.
 */
#include "setl-csv-splitter.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

enum
{
  ST_FIELD_START,      /* at a record's or a field's first byte */
  ST_UNQUOTED,         /* inside an unquoted field: a quote is data */
  ST_QUOTED,           /* inside a quoted field */
  ST_QUOTE_SEEN,       /* just after a quote inside a quoted field */
  ST_CR_AFTER_QUOTE,   /* just after a closing quote and a '\r' */
  ST_GARBAGE,          /* malformed record: runs to the next '\n' */
};

struct _SetlCsvSplitter
{
  char delimiter;
  char quote;
  gsize block_size;
  gsize max_record;

  /* The byte source: a file descriptor, or memory. */
  int fd;
  const char *data;
  gsize data_length;

  /* The window. In fd mode @w is @buf, which the next block takes. */
  char *buf;
  gsize capacity;
  const char *w;
  gsize len;
  guint64 base;
  guint64 base_line;
  gboolean eof;         /* no byte after the window */
  gsize origin;         /* where the window's first record starts (3 after a byte order mark) */
  gboolean started;
  gboolean done;

  /* The scan, in window offsets. A boundary 0 means none. */
  int state;
  gsize scanned;
  gsize record_start;
  gsize last_boundary;  /* the last record boundary found */
  gsize last_safe;      /* the last one a block may start at */
  gsize pending;        /* the last one, when the bytes after it are not read yet */
  gssize malformed_at;  /* start of the first malformed record, or -1 */
  gboolean uncertain;   /* sticky: a block was uncertain */

  SetlCsvTokenFailure sticky;
};

static const guchar bom[3] = { 0xEF, 0xBB, 0xBF };

static SetlCsvSplitter *
splitter_new (char delimiter, char quote, gsize block_size)
{
  SetlCsvSplitter *self = g_new0 (SetlCsvSplitter, 1);

  self->delimiter = delimiter;
  self->quote = quote;
  self->block_size = block_size ? block_size : SETL_CSV_SPLITTER_DEFAULT_BLOCK_BYTES;
  self->max_record = SETL_CSV_MAX_RECORD_BYTES;
  self->fd = -1;
  self->base_line = 1;
  self->malformed_at = -1;
  return self;
}

/* Takes ownership of @fd. @block_size 0: the default. */
SetlCsvSplitter *
setl_csv_splitter_new_for_fd (int fd, char delimiter, char quote, gsize block_size)
{
  SetlCsvSplitter *self;

  g_return_val_if_fail (delimiter != quote && delimiter != '\n' && quote != '\n', NULL);
  self = splitter_new (delimiter, quote, block_size);
  self->fd = fd;
  return self;
}

/* Borrows @data, which must outlive the splitter and its blocks. */
SetlCsvSplitter *
setl_csv_splitter_new_for_data (const char *data, gsize length, char delimiter,
                                char quote, gsize block_size)
{
  SetlCsvSplitter *self;

  g_return_val_if_fail (delimiter != quote && delimiter != '\n' && quote != '\n', NULL);
  self = splitter_new (delimiter, quote, block_size);
  self->data = data;
  self->data_length = length;
  self->w = data;
  return self;
}

void
setl_csv_splitter_set_max_record (SetlCsvSplitter *self, gsize max_record)
{
  self->max_record = MAX (max_record, 1);
}

void
setl_csv_splitter_free (SetlCsvSplitter *self)
{
  if (self == NULL)
    return;
  if (self->fd >= 0)
    close (self->fd);
  g_free (self->buf);
  g_free (self);
}

void
setl_csv_block_free (SetlCsvBlock *block)
{
  if (block == NULL)
    return;
  g_free (block->owned);
  g_free (block);
}

static guint64
count_newlines (const char *p, gsize n)
{
  guint64 total = 0;

#ifdef __SSE2__
  const __m128i vn = _mm_set1_epi8 ('\n');

  /* Byte counters (up to 4 per round) summed every 63 rounds, before
   * they wrap. */
  while (n >= 64)
    {
      gsize rounds = MIN (n / 64, 63);
      __m128i acc = _mm_setzero_si128 (), sad;

      for (gsize i = 0; i < rounds; i++, p += 64)
        {
          __m128i a = _mm_cmpeq_epi8 (_mm_loadu_si128 ((const __m128i *) (gconstpointer) p), vn);
          __m128i b = _mm_cmpeq_epi8 (_mm_loadu_si128 ((const __m128i *) (gconstpointer) (p + 16)), vn);
          __m128i c = _mm_cmpeq_epi8 (_mm_loadu_si128 ((const __m128i *) (gconstpointer) (p + 32)), vn);
          __m128i d = _mm_cmpeq_epi8 (_mm_loadu_si128 ((const __m128i *) (gconstpointer) (p + 48)), vn);

          acc = _mm_sub_epi8 (acc, _mm_add_epi8 (_mm_add_epi8 (a, b), _mm_add_epi8 (c, d)));
        }
      sad = _mm_sad_epu8 (acc, _mm_setzero_si128 ());
      total += (guint64) _mm_cvtsi128_si32 (sad) + (guint64) _mm_extract_epi16 (sad, 4);
      n -= rounds * 64;
    }
#endif
  for (; n > 0; n--, p++)
    total += (*p == '\n');
  return total;
}

/* 1: a block may start at @b; 0: it may not (a byte order mark would be
 * dropped by a fresh tokenizer); -1: not known before more bytes are read. */
static int
cut_is_safe (SetlCsvSplitter *self, gsize b)
{
  for (guint i = 0; i < 3; i++)
    {
      if (b + i >= self->len)
        return self->eof ? 1 : -1;
      if ((guchar) self->w[b + i] != bom[i])
        return 1;
    }
  return 0;
}

static void
note_malformed (SetlCsvSplitter *self)
{
  if (self->malformed_at < 0)
    self->malformed_at = (gssize) self->record_start;
}

static void
note_boundary (SetlCsvSplitter *self, gsize b)
{
  int safe = cut_is_safe (self, b);

  self->last_boundary = b;
  self->record_start = b;
  self->pending = safe < 0 ? b : 0;
  if (safe > 0)
    self->last_safe = b;
}

/* Bytes [from, to) (not empty) hold no quote that matters: every '\n'
 * ends a record. Returns the state after them. */
static int
scan_plain (SetlCsvSplitter *self, gsize from, gsize to)
{
  const char *w = self->w;
  int state = (w[to - 1] == '\n' || w[to - 1] == self->delimiter) ? ST_FIELD_START : ST_UNQUOTED;
  const char *nl;
  gsize b;
  int safe;

  nl = memrchr (w + from, '\n', to - from);
  if (nl == NULL)
    return state;
  b = (gsize) (nl - w) + 1;
  self->last_boundary = b;
  self->record_start = b;
  safe = cut_is_safe (self, b);
  self->pending = safe < 0 ? b : 0;
  /* Rows that start with a byte order mark are rare: go back a line. */
  while (safe <= 0 && b - 1 > from)
    {
      nl = memrchr (w + from, '\n', b - 1 - from);
      if (nl == NULL)
        return state;
      b = (gsize) (nl - w) + 1;
      safe = cut_is_safe (self, b);
    }
  if (safe > 0)
    self->last_safe = b;
  return state;
}

/* memchr() for the quote, with a first look at 16 bytes inline: quoted
 * fields are short, and a call costs more than the search. */
static inline const char *
find_quote (const char *p, const char *e, char quote)
{
#ifdef __SSE2__
  if (e - p >= 16)
    {
      guint mask = (guint) _mm_movemask_epi8 (_mm_cmpeq_epi8 (_mm_loadu_si128 ((const __m128i *) (gconstpointer) p),
                                                              _mm_set1_epi8 (quote)));

      if (mask != 0)
        return p + __builtin_ctz (mask);
      p += 16;
    }
#endif
  return memchr (p, quote, (gsize) (e - p));
}

/* Runs the quote rules over [scanned, len). */
static void
scan (SetlCsvSplitter *self)
{
  const char quote = self->quote, delim = self->delimiter;
  const char *w = self->w;
  const char *p = w + self->scanned, *e = w + self->len;
  /* In a local: the calls below would make the compiler reload it. */
  int state = self->state;

  while (p < e)
    {
      switch (state)
        {
        case ST_FIELD_START:
          if (*p == quote)
            {
              state = ST_QUOTED;
              p++;
              break;
            }
          G_GNUC_FALLTHROUGH;
        case ST_UNQUOTED:
          {
            const char *q = memchr (p, quote, (gsize) (e - p));
            const char *stop = q ? q : e;

            if (stop > p)
              state = scan_plain (self, (gsize) (p - w), (gsize) (stop - w));
            p = stop;
            if (q != NULL)
              {
                /* At a field start the quote opens a quoted field. */
                state = (state == ST_FIELD_START) ? ST_QUOTED : ST_UNQUOTED;
                p++;
              }
          }
          break;
        case ST_QUOTED:
          /* The common cases handled here without going round the switch:
           * a doubled quote, and a closing quote, a delimiter and the next
           * field's opening quote. */
          for (;;)
            {
              const char *q = find_quote (p, e, quote);

              if (q == NULL)
                {
                  p = e;
                  break;
                }
              p = q + 1;
              state = ST_QUOTE_SEEN;
              if (p == e)
                break;
              if (*p == quote)
                {
                  p++;
                  state = ST_QUOTED;
                  continue;
                }
              if (*p == delim)
                {
                  p++;
                  state = ST_FIELD_START;
                  if (p < e && *p == quote)
                    {
                      p++;
                      state = ST_QUOTED;
                      continue;
                    }
                }
              break;
            }
          break;
        case ST_QUOTE_SEEN:
          /* The tokenizer's order: a doubled quote, then the delimiter,
           * then the line ends. */
          if (*p == quote)
            {
              state = ST_QUOTED;
              p++;
            }
          else if (*p == delim)
            {
              state = ST_FIELD_START;
              p++;
            }
          else if (*p == '\n')
            {
              p++;
              state = ST_FIELD_START;
              note_boundary (self, (gsize) (p - w));
            }
          else if (*p == '\r')
            {
              state = ST_CR_AFTER_QUOTE;
              p++;
            }
          else
            {
              state = ST_GARBAGE;
              note_malformed (self);
            }
          break;
        case ST_CR_AFTER_QUOTE:
          if (*p == '\n')
            {
              p++;
              state = ST_FIELD_START;
              note_boundary (self, (gsize) (p - w));
            }
          else
            {
              state = ST_GARBAGE;
              note_malformed (self);
            }
          break;
        case ST_GARBAGE:
        default:
          {
            const char *nl = memchr (p, '\n', (gsize) (e - p));

            if (nl == NULL)
              p = e;
            else
              {
                p = nl + 1;
                state = ST_FIELD_START;
                note_boundary (self, (gsize) (p - w));
              }
          }
          break;
        }
    }
  self->state = state;
  self->scanned = self->len;
}

/* Makes the window hold @want bytes, or all that is left. */
static gboolean
fill (SetlCsvSplitter *self, gsize want)
{
  if (self->data != NULL || self->fd < 0)
    {
      gsize left = self->data_length - self->base;

      self->len = MIN (MAX (want, self->len), left);
      self->eof = (self->len == left);
      return TRUE;
    }
  if (self->capacity < want)
    {
      self->buf = g_realloc (self->buf, want + SETL_CSV_BLOCK_PAD);
      self->capacity = want;
      self->w = self->buf;
    }
  while (self->len < want && !self->eof)
    {
      gssize n;

      do
        n = read (self->fd, self->buf + self->len, self->capacity - self->len);
      while (n < 0 && errno == EINTR);
      if (n < 0)
        {
          self->sticky.code = SETL_CSV_TOKEN_ERROR_IO;
          self->sticky.errno_value = errno;
          self->sticky.line = self->base_line;
          self->sticky.field = 1;
          return FALSE;
        }
      if (n == 0)
        self->eof = TRUE;
      self->len += (gsize) n;
    }
  return TRUE;
}

/* Hands out window[0, cut) and makes the rest the new window. */
static SetlCsvBlock *
cut_block (SetlCsvSplitter *self, gsize cut)
{
  SetlCsvBlock *block = g_new0 (SetlCsvBlock, 1);
  gsize tail = self->len - cut;

  block->data = self->w;
  block->length = cut;
  block->offset = self->base;
  block->line = self->base_line;
  block->newlines = count_newlines (self->w, cut);
  if (self->uncertain)
    block->uncertain = TRUE;
  else if (self->malformed_at >= 0 && (gsize) self->malformed_at < cut)
    {
      block->uncertain = TRUE;
      block->uncertain_at = (gsize) self->malformed_at;
      self->uncertain = TRUE;
    }

  if (self->buf != NULL)
    {
      /* The block takes the buffer; the unfinished record moves to a new one. */
      gsize capacity = MAX (self->block_size, tail);

      block->owned = self->buf;
      self->buf = g_malloc (capacity + SETL_CSV_BLOCK_PAD);
      self->capacity = capacity;
      memcpy (self->buf, self->w + cut, tail);
      self->w = self->buf;
      memset (block->owned + cut, 0, SETL_CSV_BLOCK_PAD);
    }
  else
    self->w += cut;

  self->base += cut;
  self->base_line += block->newlines;
  self->len = tail;
  /* The tail (most often part of one record) is scanned again from the
   * cut, a record start: simpler than carrying the boundaries over. */
  self->origin = 0;
  self->state = ST_FIELD_START;
  self->scanned = self->record_start = 0;
  self->last_boundary = self->last_safe = self->pending = 0;
  self->malformed_at = -1;
  return block;
}

/*
 * Returns TRUE with the next block in @block (free it with
 * setl_csv_block_free()); FALSE at the end of the input (failure->code
 * NONE) or on a failure (TOO_LONG, IO), after which every call fails again.
 */
gboolean
setl_csv_splitter_next (SetlCsvSplitter      *self,
                        SetlCsvBlock        **block,
                        SetlCsvTokenFailure  *failure)
{
  /* A window never holds more than one record may take, so no record
   * inside it is too long unless it is the first. */
  gsize want = MIN (self->block_size, self->max_record);

  memset (failure, 0, sizeof *failure);
  *block = NULL;
  if (self->sticky.code != SETL_CSV_TOKEN_ERROR_NONE)
    {
      *failure = self->sticky;
      return FALSE;
    }
  if (self->done)
    return FALSE;

  if (G_UNLIKELY (!self->started))
    {
      /* The tokenizer skips a byte order mark at the very start: the first
       * block keeps it (its own tokenizer skips it) and the scan starts
       * after it. */
      if (!fill (self, MAX (want, 3)))
        goto sticky;
      if (self->len >= 3 && memcmp (self->w, bom, 3) == 0)
        self->origin = self->scanned = self->record_start = 3;
      self->started = TRUE;
    }

  for (;;)
    {
      if (!fill (self, want))
        goto sticky;
      if (self->pending != 0)
        {
          int safe = cut_is_safe (self, self->pending);

          if (safe > 0)
            self->last_safe = self->pending;
          if (safe >= 0)
            self->pending = 0;
        }
      scan (self);

      if (self->eof)
        {
          if (self->len == 0)
            {
              self->done = TRUE;
              return FALSE;
            }
          if (self->state == ST_QUOTED)
            note_malformed (self);   /* the quote never closes */
          /* A last record too long for the tokenizer fails in the
           * block's own tokenizer as in the whole input's. */
          *block = cut_block (self, self->len);
          self->done = TRUE;
          return TRUE;
        }
      if (self->last_safe > self->origin)
        break;
      if (self->len < self->origin + self->max_record + 3)
        {
          /* No place to cut yet: grow the window, up to the longest
           * record plus the three bytes that tell whether a byte order
           * mark follows the line end. */
          want = MIN (MAX (want, self->len) * 2, self->origin + self->max_record + 3);
          continue;
        }
      if (self->last_boundary <= self->origin)
        {
          /* No line end in reach: the tokenizer fails on this record too,
           * at its first line (the window's). */
          self->sticky.code = SETL_CSV_TOKEN_ERROR_TOO_LONG;
          self->sticky.line = self->base_line;
          self->sticky.field = 1;
          goto sticky;
        }
      /* Only rows starting with a byte order mark to cut before, in a
       * window as large as a record may be: cut anyway and declare this
       * block and the rest uncertain, rather than grow further. */
      self->malformed_at = 0;
      *block = cut_block (self, self->last_boundary);
      return TRUE;
    }

  *block = cut_block (self, self->last_safe);
  return TRUE;

sticky:
  *failure = self->sticky;
  return FALSE;
}
