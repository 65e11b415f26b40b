/* setl-csv-sink.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * SetlCsvSink, the "csv-sink" feature: writes its "in" stream as RFC 4180
 * CSV. In write() it pulls the stream batch by batch, formats rows into one
 * buffer and writes that buffer to a temporary file beside the target;
 * after the last batch the file is synced and renamed over the target, so
 * the target is either the old file or the complete new one. Any failure —
 * the input stream's, a cancellation, a full disk — removes the temporary
 * file and leaves the old output as it was. get() outputs the number of
 * rows written (gint64).
 *
 * Fields are quoted only when they must be: a string holding the delimiter,
 * the quote, a line end, or one that would read back as null (empty, the
 * null marker, "NA"). Nulls are written as the bare null marker, so nulls
 * and empty strings survive a round trip through csv-source.
 */
#include "setl-csv-sink.h"
#include "setl-csv-copy.h"
#include "setl-csv-source.h"
#include "setl-csv-value.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <glib/gstdio.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

/* Written out whenever this much is formatted: small enough to stay in the
 * CPU's cache between formatting and the write(2) that copies it. */
#define FLUSH_BYTES (256u * 1024)

struct _SetlCsvSink
{
  SetlFactory parent_instance;

  char *path;
  char *delimiter;
  char *quote;
  gboolean header;
  char *null_marker;
  char *date_format;
  char *timestamp_format;
  guint batch_size;
  gint64 rows_written;
};

static void setl_csv_sink_cacheable_init (SetlCacheableInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SetlCsvSink, setl_csv_sink, SETL_TYPE_FACTORY,
                               G_IMPLEMENT_INTERFACE (SETL_TYPE_CACHEABLE,
                                                      setl_csv_sink_cacheable_init))

enum {
  PROP_0,
  PROP_PATH,
  PROP_DELIMITER,
  PROP_QUOTE,
  PROP_HEADER,
  PROP_NULL_MARKER,
  PROP_DATE_FORMAT,
  PROP_TIMESTAMP_FORMAT,
  PROP_BATCH_SIZE,
  PROP_ROWS_WRITTEN,
  N_PROPS
};
static GParamSpec *properties[N_PROPS];

static const char *
factory_label (SetlFactory *factory)
{
  const char *name = setl_factory_get_name (factory);
  return name != NULL ? name : G_OBJECT_TYPE_NAME (factory);
}

/* Where, in one string column of a batch, the bytes that force quoting
 * are: found by one scan of the batch's text (16 bytes at a time), so that
 * the row loop only compares a value's end with the next such position. */
typedef struct
{
  gint32 *at;        /* offsets into the column's data, ascending, then G_MAXINT32 */
  gsize n;
  gsize capacity;
} Specials;

/* The output being written: a temporary file and a buffer. */
typedef struct
{
  SetlCsvSink *sink;
  int fd;
  char *tmp_path;
  char *buf;
  gsize len;
  gsize cap;
  guint64 written;   /* bytes written to fd so far */
  guint64 synced;    /* bytes whose write-back has been started */

  char delimiter;
  char quote;
  gboolean special[256];     /* bytes that force quoting */
  guint8 special_bytes[4];   /* the same: delimiter, quote, LF, CR */
  gboolean check_formatted;  /* numbers and dates may hold a special byte */
  const char *null_marker;
  gsize null_marker_len;
  const char *date_format;
  const char *timestamp_format;
  Specials *specials;        /* one per column */
  guint n_specials;
} Writer;

#define SYNC_RANGE_BYTES ((guint64) 8 << 20)

static gboolean
writer_flush (Writer *w, GError **error)
{
  const char *p = w->buf;
  gsize left = w->len;

  while (left > 0)
    {
      gssize n = write (w->fd, p, left);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved = errno;

          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                       "write failed: %s", g_strerror (saved));
          return FALSE;
        }
      p += n;
      left -= (gsize) n;
    }
  w->written += w->len;
  w->len = 0;
#if defined(__linux__) && defined(SYNC_FILE_RANGE_WRITE)
  /* Start the write-back of every whole 8 MiB written so far, in the
   * background: the fsync() at the end then waits for the tail only, not
   * for the whole file (0.26 s of a 600 MB output). The last, partial
   * megabyte is left alone, since it is still being appended to. Errors
   * are fsync()'s to report. */
  if (w->written - w->synced >= SYNC_RANGE_BYTES + (1 << 20))
    {
      guint64 end = (w->written - (1 << 20)) & ~(guint64) ((1 << 20) - 1);

      sync_file_range (w->fd, (off_t) w->synced, (off_t) (end - w->synced), SYNC_FILE_RANGE_WRITE);
      w->synced = end;
    }
#endif
  return TRUE;
}

/* Makes room for @n more bytes (the buffer only outgrows FLUSH_BYTES for
 * one huge field). */
static inline void
writer_reserve (Writer *w, gsize n)
{
  if (G_UNLIKELY (w->len + n > w->cap))
    {
      w->cap = MAX (w->cap * 2, w->len + n);
      w->buf = g_realloc (w->buf, w->cap);
    }
}

/* Whether @s holds a byte that forces quoting: eight bytes at a time (a
 * word has a byte equal to c when (x ^ c…c) has a zero byte). */
static inline gboolean
needs_quotes (const Writer *w, const char *s, gsize n)
{
  const guint64 ones = G_GUINT64_CONSTANT (0x0101010101010101);
  const guint64 highs = G_GUINT64_CONSTANT (0x8080808080808080);
  gsize i = 0;

  for (; i + 8 <= n; i += 8)
    {
      guint64 x, hit = 0;

      memcpy (&x, s + i, 8);
      for (guint k = 0; k < G_N_ELEMENTS (w->special_bytes); k++)
        {
          guint64 y = x ^ (ones * w->special_bytes[k]);
          hit |= (y - ones) & ~y & highs;
        }
      if (hit != 0)
        return TRUE;
    }
  for (; i < n; i++)
    if (w->special[(guchar) s[i]])
      return TRUE;
  return FALSE;
}

static void
write_text (Writer *w, const char *s, gsize n, gboolean force_quotes)
{
  if (!force_quotes && !needs_quotes (w, s, n))
    {
      writer_reserve (w, n);
      setl_csv_copy_short (w->buf + w->len, s, n);
      w->len += n;
      return;
    }
  writer_reserve (w, 2 * n + 2);
  w->buf[w->len++] = w->quote;
  for (gsize i = 0; i < n; i++)
    {
      if (s[i] == w->quote)
        w->buf[w->len++] = w->quote;
      w->buf[w->len++] = s[i];
    }
  w->buf[w->len++] = w->quote;
}

static void
write_string (Writer *w, const char *s, gsize n)
{
  /* An empty string, and any text csv-source would read as null, is quoted. */
  gboolean force = n == 0 ||
                   (n == w->null_marker_len && memcmp (s, w->null_marker, n) == 0) ||
                   (n == 2 && s[0] == 'N' && s[1] == 'A');

  write_text (w, s, n, force);
}

static inline void
write_formatted (Writer *w, const char *s, gsize n)
{
  if (G_UNLIKELY (w->check_formatted))
    {
      write_text (w, s, n, FALSE);
      return;
    }
  setl_csv_copy_short (w->buf + w->len, s, n);
  w->len += n;
}

/* ---- the row loop ------------------------------------------------------ */

static const char digit_pairs[] =
  "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
  "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
  "8081828384858687888990919293949596979899";

static const guint64 pow10_u64[20] = {
  G_GUINT64_CONSTANT (1), G_GUINT64_CONSTANT (10), G_GUINT64_CONSTANT (100),
  G_GUINT64_CONSTANT (1000), G_GUINT64_CONSTANT (10000), G_GUINT64_CONSTANT (100000),
  G_GUINT64_CONSTANT (1000000), G_GUINT64_CONSTANT (10000000), G_GUINT64_CONSTANT (100000000),
  G_GUINT64_CONSTANT (1000000000), G_GUINT64_CONSTANT (10000000000),
  G_GUINT64_CONSTANT (100000000000), G_GUINT64_CONSTANT (1000000000000),
  G_GUINT64_CONSTANT (10000000000000), G_GUINT64_CONSTANT (100000000000000),
  G_GUINT64_CONSTANT (1000000000000000), G_GUINT64_CONSTANT (10000000000000000),
  G_GUINT64_CONSTANT (100000000000000000), G_GUINT64_CONSTANT (1000000000000000000),
  G_GUINT64_CONSTANT (10000000000000000000),
};

/* Writes the decimal digits of @v at @o and returns their number. The
 * number of digits is known first (from the bit length), so the digits go
 * straight to their place, two per division, with no copy. */
static inline gsize
put_uint64 (char *o, guint64 v)
{
  guint t = ((guint) (64 - __builtin_clzll (v | 1)) * 1233) >> 12;
  gsize n = t + 1 - (v < pow10_u64[t]) + (v == 0);
  char *p = o + n;

  while (v >= 100)
    {
      guint64 q = v / 100;
      guint r = (guint) (v - q * 100);

      p -= 2;
      memcpy (p, digit_pairs + 2 * r, 2);
      v = q;
    }
  if (v >= 10)
    memcpy (p - 2, digit_pairs + 2 * v, 2);
  else
    p[-1] = (char) ('0' + v);
  return n;
}

static inline gsize
put_int64 (char *o, gint64 value)
{
  if (value < 0)
    {
      *o = '-';
      return 1 + put_uint64 (o + 1, 0 - (guint64) value);
    }
  return put_uint64 (o, (guint64) value);
}

/* setl_csv_format_double()'s output, with its most common case (a value
 * below 1e13 with at most two decimals: prices, scores) done here, by the
 * same test, without the call and the copy through a scratch buffer. */
static inline gsize
put_double (char *o, double value)
{
  if (fabs (value) < 1e13 && !(value == 0 && signbit (value)))
    {
      double m2 = nearbyint (value * 100.0);

      if (m2 / 100.0 == value)
        {
          gint64 i2 = (gint64) m2;
          guint64 u = i2 < 0 ? 0 - (guint64) i2 : (guint64) i2;
          char *p = o;

          if (i2 < 0)
            *p++ = '-';
          if (u % 10 != 0)
            {
              guint r = (guint) (u % 100);

              p += put_uint64 (p, u / 100);
              p[0] = '.';
              memcpy (p + 1, digit_pairs + 2 * r, 2);
              return (gsize) (p + 3 - o);
            }
          u /= 10;
          if (u % 10 != 0)
            {
              p += put_uint64 (p, u / 10);
              p[0] = '.';
              p[1] = (char) ('0' + u % 10);
              return (gsize) (p + 2 - o);
            }
          p += put_uint64 (p, u / 10);
          p[0] = '.';
          p[1] = '0';
          return (gsize) (p + 2 - o);
        }
    }
  return setl_csv_format_double (o, value);
}

static void
specials_add (Specials *sp, gint32 at)
{
  if (G_UNLIKELY (sp->n + 1 >= sp->capacity))
    {
      sp->capacity = MAX (64, sp->capacity * 2);
      sp->at = g_renew (gint32, sp->at, sp->capacity);
    }
  sp->at[sp->n++] = at;
}

static void
find_specials (const Writer *w, const char *data, gint32 start, gint32 end, Specials *sp)
{
  gint32 i = start;

  sp->n = 0;
#ifdef __SSE2__
  {
    const __m128i vd = _mm_set1_epi8 (w->delimiter), vq = _mm_set1_epi8 (w->quote);
    const __m128i vn = _mm_set1_epi8 ('\n'), vr = _mm_set1_epi8 ('\r');

    for (; end - i >= 16; i += 16)
      {
        __m128i x = _mm_loadu_si128 ((const __m128i *) (gconstpointer) (data + i));
        guint mask = (guint) _mm_movemask_epi8 (
          _mm_or_si128 (_mm_or_si128 (_mm_cmpeq_epi8 (x, vd), _mm_cmpeq_epi8 (x, vq)),
                        _mm_or_si128 (_mm_cmpeq_epi8 (x, vn), _mm_cmpeq_epi8 (x, vr))));

        while (G_UNLIKELY (mask != 0))
          {
            specials_add (sp, i + __builtin_ctz (mask));
            mask &= mask - 1;
          }
      }
  }
#endif
  for (; i < end; i++)
    if (w->special[(guchar) data[i]])
      specials_add (sp, i);
  specials_add (sp, G_MAXINT32);
}

typedef struct
{
  SetlDataType type;
  const guint8 *validity;   /* NULL: no nulls */
  gint64 bit_offset;        /* row r's validity bit is r + bit_offset */
  gconstpointer values;     /* from the slice's first row on */
  const char *data;
  const char *data_end;     /* strings: the end of this batch's text */
  const gint32 *special;    /* strings: the next byte that forces quoting */
} Cursor;

/* Copies a short value with two 16-byte moves when 32 bytes can be read
 * at @src (the output always has room for them). */
static inline void
copy_value (char *dst, const char *src, gsize n, const char *src_end)
{
#ifdef __SSE2__
  if (G_LIKELY (n <= 32 && src + 32 <= src_end))
    {
      __m128i a = _mm_loadu_si128 ((const __m128i *) (gconstpointer) src);
      __m128i b = _mm_loadu_si128 ((const __m128i *) (gconstpointer) (src + 16));

      _mm_storeu_si128 ((__m128i *) (gpointer) dst, a);
      _mm_storeu_si128 ((__m128i *) (gpointer) (dst + 16), b);
      return;
    }
#else
  (void) src_end;
#endif
  setl_csv_copy_short (dst, src, n);
}

/*
 * Formats the rows of @batch. The output position is a local pointer (a
 * store through a char pointer would otherwise make the compiler reload
 * the writer's fields after every byte); one check per row keeps room for
 * every fixed-width value of the row, strings check their own length.
 * Values that may need quotes (strings with a special byte, short ones
 * that could read back as null) and those formatted through a scratch
 * buffer take write_string() and write_formatted().
 */
static gboolean
write_batch_rows (Writer *w, SetlRecordBatch *batch, GError **error)
{
  guint n_columns = setl_record_batch_get_n_columns (batch);
  gint64 n_rows = setl_record_batch_get_n_rows (batch);
  g_autofree Cursor *cur = g_new (Cursor, n_columns);
  /* Room for a row's fixed-width values and null markers, its delimiters
   * and line end, and the 32 bytes a short string's copy may write. */
  const gsize row_room = (gsize) n_columns * (SETL_CSV_VALUE_BUF + 2 + w->null_marker_len) + 2 + 32;
  const gboolean fast_numbers = !w->check_formatted;
  const char delimiter = w->delimiter;
  char tmp[SETL_CSV_VALUE_BUF];
  char *o, *limit;

  if (w->n_specials < n_columns)
    {
      w->specials = g_renew (Specials, w->specials, n_columns);
      memset (w->specials + w->n_specials, 0, (n_columns - w->n_specials) * sizeof (Specials));
      w->n_specials = n_columns;
    }
  for (guint c = 0; c < n_columns; c++)
    {
      SetlColumn *column = setl_record_batch_get_column (batch, c);
      gint64 offset = setl_column_get_offset (column);
      Cursor *k = &cur[c];

      k->type = setl_column_get_data_type (column);
      k->validity = setl_column_get_validity_bitmap (column);
      k->bit_offset = offset;
      k->values = setl_column_get_values_data (column);
      k->data = k->data_end = NULL;
      k->special = NULL;
      switch (k->type)
        {
        case SETL_DATA_TYPE_INT64:
        case SETL_DATA_TYPE_TIMESTAMP:
          k->values = (const gint64 *) k->values + offset;
          break;
        case SETL_DATA_TYPE_DOUBLE:
          k->values = (const double *) k->values + offset;
          break;
        case SETL_DATA_TYPE_DATE32:
          k->values = (const gint32 *) k->values + offset;
          break;
        case SETL_DATA_TYPE_STRING:
          {
            const gint32 *offsets = (const gint32 *) k->values + offset;

            k->values = offsets;
            k->data = setl_column_get_string_data (column);
            k->data_end = k->data + (n_rows > 0 ? offsets[n_rows] : 0);
            if (n_rows > 0)
              {
                find_specials (w, k->data, offsets[0], offsets[n_rows], &w->specials[c]);
                k->special = w->specials[c].at;
              }
          }
          break;
        case SETL_DATA_TYPE_BOOL:
          /* bits: indexed like the validity */
          break;
        }
    }

  writer_reserve (w, row_room);
  o = w->buf + w->len;
  limit = w->buf + w->cap - row_room;
  for (gint64 r = 0; r < n_rows; r++)
    {
      if (G_UNLIKELY (o > limit))
        {
          w->len = (gsize) (o - w->buf);
          writer_reserve (w, row_room);
          o = w->buf + w->len;
          limit = w->buf + w->cap - row_room;
        }
      for (guint c = 0; c < n_columns; c++)
        {
          Cursor *k = &cur[c];
          gsize n;

          if (c > 0)
            *o++ = delimiter;
          if (k->validity != NULL)
            {
              gint64 bit = r + k->bit_offset;

              if (!((k->validity[bit >> 3] >> (bit & 7)) & 1))
                {
                  setl_csv_copy_short (o, w->null_marker, w->null_marker_len);
                  o += w->null_marker_len;
                  continue;
                }
            }
          switch (k->type)
            {
            case SETL_DATA_TYPE_INT64:
              if (G_LIKELY (fast_numbers))
                o += put_int64 (o, ((const gint64 *) k->values)[r]);
              else
                goto formatted;
              break;
            case SETL_DATA_TYPE_DOUBLE:
              if (G_LIKELY (fast_numbers))
                o += put_double (o, ((const double *) k->values)[r]);
              else
                goto formatted;
              break;
            case SETL_DATA_TYPE_STRING:
              {
                const gint32 *offsets = k->values;
                gint32 start = offsets[r], end = offsets[r + 1];
                const char *s = k->data + start;
                gsize len = (gsize) (end - start);

                if (G_LIKELY (*k->special >= end))
                  {
                    /* Nothing to quote, and too long to be read back as
                     * null unless it is the null marker. */
                    if (G_LIKELY (len > 2 && (len != w->null_marker_len ||
                                              memcmp (s, w->null_marker, len) != 0)))
                      {
                        if (G_UNLIKELY (o + len > limit))
                          {
                            w->len = (gsize) (o - w->buf);
                            writer_reserve (w, len + row_room);
                            o = w->buf + w->len;
                            limit = w->buf + w->cap - row_room;
                          }
                        copy_value (o, s, len, k->data_end);
                        o += len;
                        break;
                      }
                  }
                else
                  while (*k->special < end)
                    k->special++;
                w->len = (gsize) (o - w->buf);
                write_string (w, s, len);
                /* write_string may have grown the buffer: keep room for the rest. */
                writer_reserve (w, row_room);
                o = w->buf + w->len;
                limit = w->buf + w->cap - row_room;
              }
              break;
            default:
            formatted:
              switch (k->type)
                {
                case SETL_DATA_TYPE_INT64:
                  n = setl_csv_format_int64 (tmp, ((const gint64 *) k->values)[r]);
                  break;
                case SETL_DATA_TYPE_DOUBLE:
                  n = setl_csv_format_double (tmp, ((const double *) k->values)[r]);
                  break;
                case SETL_DATA_TYPE_BOOL:
                  {
                    gint64 bit = r + k->bit_offset;

                    if ((((const guint8 *) k->values)[bit >> 3] >> (bit & 7)) & 1)
                      n = 4, memcpy (tmp, "true", 4);
                    else
                      n = 5, memcpy (tmp, "false", 5);
                  }
                  break;
                case SETL_DATA_TYPE_DATE32:
                  n = setl_csv_format_date (tmp, ((const gint32 *) k->values)[r], w->date_format);
                  break;
                case SETL_DATA_TYPE_TIMESTAMP:
                  n = setl_csv_format_timestamp (tmp, ((const gint64 *) k->values)[r],
                                                 w->timestamp_format);
                  break;
                default:
                  g_assert_not_reached ();
                }
              w->len = (gsize) (o - w->buf);
              write_formatted (w, tmp, n);
              writer_reserve (w, row_room);
              o = w->buf + w->len;
              limit = w->buf + w->cap - row_room;
              break;
            }
        }
      *o++ = '\n';
      if (G_UNLIKELY ((gsize) (o - w->buf) >= FLUSH_BYTES))
        {
          w->len = (gsize) (o - w->buf);
          if (!writer_flush (w, error))
            return FALSE;
          o = w->buf;
          limit = w->buf + w->cap - row_room;
        }
    }
  w->len = (gsize) (o - w->buf);
  return TRUE;
}

static gboolean
writer_setup (SetlCsvSink *self, Writer *w, GError **error)
{
  SetlFactory *factory = SETL_FACTORY (self);
  const char *risky = "0123456789+-.:eETZ aflnrstuNI";

  memset (w, 0, sizeof *w);
  w->sink = self;
  w->fd = -1;
  if (self->path == NULL || *self->path == '\0')
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "csv-sink “%s”: property “path” is not set", factory_label (factory));
      return FALSE;
    }
  if (!setl_csv_parse_char_property (factory, "csv-sink", "delimiter", self->delimiter,
                                     &w->delimiter, error) ||
      !setl_csv_parse_char_property (factory, "csv-sink", "quote", self->quote, &w->quote, error))
    return FALSE;
  if (w->delimiter == w->quote)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "csv-sink “%s”: the delimiter and the quote are both “%c”",
                   factory_label (factory), w->delimiter);
      return FALSE;
    }
  w->date_format = (self->date_format && *self->date_format) ? self->date_format : NULL;
  w->timestamp_format = (self->timestamp_format && *self->timestamp_format) ? self->timestamp_format : NULL;
  if ((w->date_format && !setl_csv_check_format (w->date_format, FALSE, error)) ||
      (w->timestamp_format && !setl_csv_check_format (w->timestamp_format, TRUE, error)))
    {
      g_prefix_error (error, "csv-sink “%s”: ", factory_label (factory));
      return FALSE;
    }
  w->null_marker = self->null_marker ? self->null_marker : "";
  w->null_marker_len = strlen (w->null_marker);
  w->special[(guchar) w->delimiter] = TRUE;
  w->special[(guchar) w->quote] = TRUE;
  w->special['\n'] = TRUE;
  w->special['\r'] = TRUE;
  w->special_bytes[0] = (guint8) w->delimiter;
  w->special_bytes[1] = (guint8) w->quote;
  w->special_bytes[2] = '\n';
  w->special_bytes[3] = '\r';
  w->check_formatted = strchr (risky, w->delimiter) != NULL || strchr (risky, w->quote) != NULL ||
                       (w->date_format && (strchr (w->date_format, w->delimiter) || strchr (w->date_format, w->quote))) ||
                       (w->timestamp_format && (strchr (w->timestamp_format, w->delimiter) ||
                                                strchr (w->timestamp_format, w->quote)));
  w->cap = FLUSH_BYTES + 64 * 1024;
  w->buf = g_malloc (w->cap);
  return TRUE;
}

/* Frees the buffers (not the file: see writer_commit() and writer_abort()). */
static void
writer_free (Writer *w)
{
  for (guint c = 0; c < w->n_specials; c++)
    g_free (w->specials[c].at);
  g_clear_pointer (&w->specials, g_free);
  w->n_specials = 0;
  g_clear_pointer (&w->buf, g_free);
}

static gboolean
writer_open (Writer *w, GError **error)
{
  SetlCsvSink *self = w->sink;
  g_autofree char *dir = g_path_get_dirname (self->path);
  g_autofree char *base = g_path_get_basename (self->path);
  struct stat st;

  /* Beside the target, so that rename() is atomic; mode 0666 minus the
   * umask, or the old file's mode. */
  w->tmp_path = g_strdup_printf ("%s/.%s.XXXXXX", dir, base);
  w->fd = g_mkstemp_full (w->tmp_path, O_WRONLY | O_CLOEXEC, 0666);
  if (w->fd < 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   "csv-sink “%s”: %s: cannot create a temporary file in %s: %s",
                   factory_label (SETL_FACTORY (self)), self->path, dir, g_strerror (saved));
      g_clear_pointer (&w->tmp_path, g_free);
      return FALSE;
    }
  if (stat (self->path, &st) == 0)
    fchmod (w->fd, st.st_mode & 07777);
  return TRUE;
}

static void
writer_abort (Writer *w)
{
  if (w->fd >= 0)
    close (w->fd);
  w->fd = -1;
  if (w->tmp_path != NULL)
    g_unlink (w->tmp_path);
  g_clear_pointer (&w->tmp_path, g_free);
}

static gboolean
writer_commit (Writer *w, GError **error)
{
  SetlCsvSink *self = w->sink;
  int saved;

  if (!writer_flush (w, error))
    return FALSE;
  if (fsync (w->fd) != 0 || close (w->fd) != 0)
    {
      saved = errno;
      w->fd = -1;
      goto fail;
    }
  w->fd = -1;
  if (g_rename (w->tmp_path, self->path) != 0)
    {
      saved = errno;
      goto fail;
    }
  g_clear_pointer (&w->tmp_path, g_free);

  /* Make the rename itself durable. */
  {
    g_autofree char *dir = g_path_get_dirname (self->path);
    int dfd = g_open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);

    if (dfd >= 0)
      {
        fsync (dfd);
        close (dfd);
      }
  }
  return TRUE;

fail:
  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
               "%s", g_strerror (saved));
  return FALSE;
}

static gboolean
setl_csv_sink_write (SetlFactory *factory, GCancellable *cancellable, GError **error)
{
  SetlCsvSink *self = SETL_CSV_SINK (factory);
  SetlBatchStream *stream = setl_factory_get_input_object (factory, "in");
  g_autoptr(SetlBatchIterator) it = NULL;
  SetlRecordBatch *batch;
  SetlField **fields;
  guint n_fields;
  GError *local = NULL;
  gint64 rows = 0;
  Writer w;

  self->rows_written = 0;
  if (stream == NULL || !SETL_IS_BATCH_STREAM (stream))
    {
      g_set_error (error, SETL_PIPELINE_ERROR, SETL_PIPELINE_ERROR_MISSING_DELIVERY,
                   "csv-sink “%s”: input “in” holds no batch stream", factory_label (factory));
      return FALSE;
    }
  if (!writer_setup (self, &w, error))
    {
      writer_free (&w);
      return FALSE;
    }
  if (!writer_open (&w, error))
    goto fail;

  fields = setl_batch_stream_get_fields (stream, &n_fields);
  if (self->header)
    {
      for (guint c = 0; c < n_fields; c++)
        {
          const char *name = setl_field_get_name (fields[c]);

          if (c > 0)
            {
              writer_reserve (&w, 1);
              w.buf[w.len++] = w.delimiter;
            }
          write_text (&w, name, strlen (name), *name == '\0');
        }
      writer_reserve (&w, 1);
      w.buf[w.len++] = '\n';
    }

  it = setl_batch_stream_open (stream, cancellable, &local);
  if (it == NULL)
    goto fail_local;
  while ((batch = setl_batch_iterator_next (it, cancellable, &local)) != NULL)
    {
      gint64 n = setl_record_batch_get_n_rows (batch);

      /* Bound the buffer by rows too: at most batch-size rows at a time. */
      for (gint64 start = 0; start < n; start += self->batch_size)
        {
          gint64 len = MIN ((gint64) self->batch_size, n - start);
          g_autoptr(SetlRecordBatch) piece = (start == 0 && len == n)
                                               ? g_object_ref (batch)
                                               : setl_record_batch_slice (batch, start, len);

          if (!write_batch_rows (&w, piece, &local))
            {
              g_object_unref (batch);
              goto fail_local;
            }
        }
      rows += n;
      /* for progress displays, while rows stream through */
      setl_factory_add_rows (factory, n);
      g_object_unref (batch);
    }
  if (local != NULL)
    goto fail_local;
  if (g_cancellable_set_error_if_cancelled (cancellable, &local))
    goto fail_local;
  if (!writer_commit (&w, &local))
    goto fail_local;

  writer_free (&w);
  self->rows_written = rows;
  return TRUE;

fail_local:
  g_propagate_prefixed_error (error, local, "csv-sink “%s”: %s not written: ",
                              factory_label (factory), self->path);
fail:
  writer_abort (&w);
  writer_free (&w);
  return FALSE;
}

static gboolean
setl_csv_sink_get (SetlFactory *factory, GValue *output, GError **error)
{
  g_value_set_int64 (output, SETL_CSV_SINK (factory)->rows_written);
  return TRUE;
}

static void
setl_csv_sink_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  SetlCsvSink *self = SETL_CSV_SINK (object);

  switch (prop_id)
    {
    case PROP_PATH: g_value_set_string (value, self->path); break;
    case PROP_DELIMITER: g_value_set_string (value, self->delimiter); break;
    case PROP_QUOTE: g_value_set_string (value, self->quote); break;
    case PROP_HEADER: g_value_set_boolean (value, self->header); break;
    case PROP_NULL_MARKER: g_value_set_string (value, self->null_marker); break;
    case PROP_DATE_FORMAT: g_value_set_string (value, self->date_format); break;
    case PROP_TIMESTAMP_FORMAT: g_value_set_string (value, self->timestamp_format); break;
    case PROP_BATCH_SIZE: g_value_set_uint (value, self->batch_size); break;
    case PROP_ROWS_WRITTEN: g_value_set_int64 (value, self->rows_written); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
setl_csv_sink_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  SetlCsvSink *self = SETL_CSV_SINK (object);

  switch (prop_id)
    {
    case PROP_PATH: g_free (self->path); self->path = g_value_dup_string (value); break;
    case PROP_DELIMITER: g_free (self->delimiter); self->delimiter = g_value_dup_string (value); break;
    case PROP_QUOTE: g_free (self->quote); self->quote = g_value_dup_string (value); break;
    case PROP_HEADER: self->header = g_value_get_boolean (value); break;
    case PROP_NULL_MARKER: g_free (self->null_marker); self->null_marker = g_value_dup_string (value); break;
    case PROP_DATE_FORMAT: g_free (self->date_format); self->date_format = g_value_dup_string (value); break;
    case PROP_TIMESTAMP_FORMAT:
      g_free (self->timestamp_format);
      self->timestamp_format = g_value_dup_string (value);
      break;
    case PROP_BATCH_SIZE: self->batch_size = g_value_get_uint (value); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
setl_csv_sink_finalize (GObject *object)
{
  SetlCsvSink *self = SETL_CSV_SINK (object);

  g_free (self->path);
  g_free (self->delimiter);
  g_free (self->quote);
  g_free (self->null_marker);
  g_free (self->date_format);
  g_free (self->timestamp_format);
  G_OBJECT_CLASS (setl_csv_sink_parent_class)->finalize (object);
}

/* A cached run of the sink is reused only while the file it wrote is still
 * the one it wrote (see SetlCacheable): deleted or edited, it is written
 * again. */
static char *
setl_csv_sink_output_fingerprint (SetlCacheable  *cacheable,
                                  GError        **error)
{
  SetlCsvSink *self = SETL_CSV_SINK (cacheable);

  if (self->path == NULL || *self->path == '\0')
    return NULL;
  return setl_cache_file_fingerprint (self->path);
}

static void
setl_csv_sink_cacheable_init (SetlCacheableInterface *iface)
{
  iface->output_fingerprint = setl_csv_sink_output_fingerprint;
}

static void
setl_csv_sink_class_init (SetlCsvSinkClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  SetlFactoryClass *factory_class = SETL_FACTORY_CLASS (klass);
  const GParamFlags rw = G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS;

  object_class->get_property = setl_csv_sink_get_property;
  object_class->set_property = setl_csv_sink_set_property;
  object_class->finalize = setl_csv_sink_finalize;
  factory_class->write = setl_csv_sink_write;
  factory_class->get = setl_csv_sink_get;
  setl_factory_class_set_output_type (factory_class, G_TYPE_INT64);

  properties[PROP_PATH] =
    g_param_spec_string ("path", "Path", "The CSV file to write (replaced atomically)", NULL, rw);
  properties[PROP_DELIMITER] =
    g_param_spec_string ("delimiter", "Delimiter",
                         "The field delimiter: one ASCII character (\"\\t\" or \"tab\" for a tab)",
                         ",", rw);
  properties[PROP_QUOTE] =
    g_param_spec_string ("quote", "Quote", "The quote character: one ASCII character", "\"", rw);
  properties[PROP_HEADER] =
    g_param_spec_boolean ("header", "Header", "Whether to write a header line of column names",
                          TRUE, rw);
  properties[PROP_NULL_MARKER] =
    g_param_spec_string ("null-marker", "Null marker", "What a null is written as (unquoted)",
                         "", rw);
  properties[PROP_DATE_FORMAT] =
    g_param_spec_string ("date-format", "Date format",
                         "How to write dates, strftime-like (%Y %m %d %y %b %B %e); unset: ISO 8601",
                         NULL, rw);
  properties[PROP_TIMESTAMP_FORMAT] =
    g_param_spec_string ("timestamp-format", "Timestamp format",
                         "How to write timestamps (UTC), strftime-like (%Y %m %d %H %M %S %f); "
                         "unset: ISO 8601 (2024-03-01T12:30:00.25)", NULL, rw);
  properties[PROP_BATCH_SIZE] =
    g_param_spec_uint ("batch-size", "Batch size",
                       "At most this many rows are formatted between two writes to the file",
                       1, G_MAXINT32, 65536, rw);
  properties[PROP_ROWS_WRITTEN] =
    g_param_spec_int64 ("rows-written", "Rows written", "Rows the last run wrote",
                        0, G_MAXINT64, 0, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
setl_csv_sink_init (SetlCsvSink *self)
{
  setl_factory_add_input (SETL_FACTORY (self), "in", SETL_TYPE_BATCH_STREAM, SETL_TYPE_EXTERNAL, NULL);
}
