/* test-builder-bulk.c: the bulk appends build exactly what appending one
 * value at a time builds.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "table-test-util.h"

#include <string.h>

#define N 203   /* not a multiple of 8: partial bitmap bytes */

static gboolean
is_null_row (guint i)
{
  return i % 7 == 3 || i % 11 == 0;
}

static SetlColumn *
finish (SetlColumnBuilder *b)
{
  g_autoptr(GError) error = NULL;
  SetlColumn *c = setl_column_builder_finish (b, &error);

  g_assert_no_error (error);
  return c;
}

static void
check_same (SetlColumn *bulk,
            SetlColumn *single)
{
  g_assert_cmpint (setl_column_get_length (bulk), ==, setl_column_get_length (single));
  g_assert_cmpint (setl_column_get_null_count (bulk), ==, setl_column_get_null_count (single));
  g_assert_true (setl_column_equal (bulk, single));
  for (gint64 i = 0; i < setl_column_get_length (bulk); i++)
    g_assert_cmpint (setl_column_is_null (bulk, i), ==, setl_column_is_null (single, i));
}

static void
test_fixed_width (void)
{
  const SetlDataType types[] = { SETL_DATA_TYPE_BOOL, SETL_DATA_TYPE_INT64, SETL_DATA_TYPE_DOUBLE,
                                 SETL_DATA_TYPE_DATE32, SETL_DATA_TYPE_TIMESTAMP };

  for (guint t = 0; t < G_N_ELEMENTS (types); t++)
    for (int with_valid = 0; with_valid < 2; with_valid++)
      {
        g_autoptr(SetlColumnBuilder) bulk = setl_column_builder_new (types[t]);
        g_autoptr(SetlColumnBuilder) single = setl_column_builder_new (types[t]);
        g_autoptr(SetlColumn) a = NULL, b = NULL;
        gint64 i64[N];
        double f64[N];
        gint32 i32[N];
        guint8 u8[N], valid[N];
        gconstpointer values;

        for (guint i = 0; i < N; i++)
          {
            i64[i] = (gint64) i * 1000003 - 5000;
            f64[i] = i * 0.25 - 3.5;
            i32[i] = (gint32) i * 7 - 100;
            u8[i] = (i * 5) % 3 == 0;
            valid[i] = with_valid ? !is_null_row (i) : 1;
          }
        values = types[t] == SETL_DATA_TYPE_BOOL ? (gconstpointer) u8
               : types[t] == SETL_DATA_TYPE_DOUBLE ? (gconstpointer) f64
               : types[t] == SETL_DATA_TYPE_DATE32 ? (gconstpointer) i32
               : (gconstpointer) i64;

        /* in three chunks, so bitmaps continue mid-byte */
        setl_column_builder_append_values (bulk, values, with_valid ? valid : NULL, 5);
        if (types[t] == SETL_DATA_TYPE_BOOL)
          {
            setl_column_builder_append_values (bulk, u8 + 5, with_valid ? valid + 5 : NULL, 100);
            setl_column_builder_append_values (bulk, u8 + 105, with_valid ? valid + 105 : NULL, N - 105);
          }
        else
          {
            gsize width = types[t] == SETL_DATA_TYPE_DATE32 ? 4 : 8;

            setl_column_builder_append_values (bulk, (const guint8 *) values + 5 * width,
                                               with_valid ? valid + 5 : NULL, 100);
            setl_column_builder_append_values (bulk, (const guint8 *) values + 105 * width,
                                               with_valid ? valid + 105 : NULL, N - 105);
          }

        for (guint i = 0; i < N; i++)
          {
            if (!valid[i])
              {
                setl_column_builder_append_null (single);
                continue;
              }
            switch (types[t])
              {
              case SETL_DATA_TYPE_BOOL: setl_column_builder_append_bool (single, u8[i]); break;
              case SETL_DATA_TYPE_INT64: setl_column_builder_append_int64 (single, i64[i]); break;
              case SETL_DATA_TYPE_DOUBLE: setl_column_builder_append_double (single, f64[i]); break;
              case SETL_DATA_TYPE_DATE32: setl_column_builder_append_date32 (single, i32[i]); break;
              case SETL_DATA_TYPE_TIMESTAMP: setl_column_builder_append_timestamp (single, i64[i]); break;
              default: g_assert_not_reached ();
              }
          }
        a = finish (bulk);
        b = finish (single);
        check_same (a, b);
      }
}

static void
test_strings (void)
{
  for (int with_valid = 0; with_valid < 2; with_valid++)
    {
      g_autoptr(SetlColumnBuilder) bulk = setl_column_builder_new (SETL_DATA_TYPE_STRING);
      g_autoptr(SetlColumnBuilder) single = setl_column_builder_new (SETL_DATA_TYPE_STRING);
      g_autoptr(SetlColumn) a = NULL, b = NULL;
      GString *data = g_string_new (NULL);
      gint32 offsets[N + 1];
      guint8 valid[N];

      offsets[0] = 0;
      for (guint i = 0; i < N; i++)
        {
          valid[i] = with_valid ? !is_null_row (i) : 1;
          /* a null may still carry bytes, which must be skipped */
          g_string_append_printf (data, "v%u-%s", i, i % 4 ? "é" : "");
          offsets[i + 1] = (gint32) data->len;
        }

      setl_column_builder_append_strings (bulk, data->str, offsets, with_valid ? valid : NULL, 60);
      setl_column_builder_append_strings (bulk, data->str, offsets + 60, with_valid ? valid + 60 : NULL, N - 60);
      for (guint i = 0; i < N; i++)
        {
          if (!valid[i])
            setl_column_builder_append_null (single);
          else
            setl_column_builder_append_string (single, data->str + offsets[i], offsets[i + 1] - offsets[i]);
        }
      a = finish (bulk);
      b = finish (single);
      check_same (a, b);
      g_string_free (data, TRUE);
    }
}

/* A validity byte: 0 for a null, and for a valid value any other byte
 * (the bulk calls take "not zero", not just 1). */
static guint8
valid_byte (guint i, gboolean with_nulls)
{
  static const guint8 yes[] = { 1, 0x80, 0xff, 2, 0x7f };

  if (with_nulls && is_null_row (i))
    return 0;
  return yes[i % G_N_ELEMENTS (yes)];
}

static gint64
count_nulls (const guint8 *valid)
{
  gint64 n = 0;

  for (guint i = 0; i < N; i++)
    n += valid[i] == 0;
  return n;
}

/* Appends rows [from, to) to @b in place: a chunk begun larger than it
 * ends, garbage written past what is ended, and an abandoned begin first,
 * as csv-source does with a chunk that has a bad cell. */
static void
append_in_place (SetlColumnBuilder *b, SetlDataType type, guint from, guint to,
                 const guint8 *valid, const gint64 *i64, const double *f64, const gint32 *i32,
                 const GString *text, const gint32 *text_offsets)
{
  guint n = to - from;
  gboolean any_null = FALSE;
  char *out_text = NULL;
  gpointer out;

  for (guint i = from; i < to; i++)
    any_null = any_null || valid[i] == 0;

  /* Abandoned: never ended, so it must leave no trace. */
  out = setl_column_builder_begin_append (b, n + 3, type == SETL_DATA_TYPE_STRING ? 64 : 0, &out_text);
  g_assert_nonnull (out);
  if (type == SETL_DATA_TYPE_STRING)
    {
      memset (out_text + ((gint32 *) out)[0], 'X', 64);
      for (guint i = 1; i <= n + 3; i++)
        ((gint32 *) out)[i] = ((gint32 *) out)[0] + 7;
    }
  else
    memset (out, 0x5a, (gsize) (n + 3) * (type == SETL_DATA_TYPE_DATE32 ? 4 : 8));

  out = setl_column_builder_begin_append (b, n + 3, type == SETL_DATA_TYPE_STRING ? (gsize) text->len + 16 : 0,
                                          &out_text);
  g_assert_nonnull (out);
  for (guint k = 0; k < n + 3; k++)
    {
      guint i = from + MIN (k, n - 1);   /* the 3 extra rows: garbage not ended */

      switch (type)
        {
        case SETL_DATA_TYPE_INT64:
        case SETL_DATA_TYPE_TIMESTAMP:
          ((gint64 *) out)[k] = valid[i] ? i64[i] : 0;
          break;
        case SETL_DATA_TYPE_DOUBLE:
          ((double *) out)[k] = valid[i] ? f64[i] : 0;
          break;
        case SETL_DATA_TYPE_DATE32:
          ((gint32 *) out)[k] = valid[i] ? i32[i] : 0;
          break;
        case SETL_DATA_TYPE_STRING:
          {
            gint32 *offsets = out;
            gint32 len = valid[i] ? text_offsets[i + 1] - text_offsets[i] : 0;

            memcpy (out_text + offsets[k], text->str + text_offsets[i], (gsize) len);
            offsets[k + 1] = offsets[k] + len;
          }
          break;
        default:
          g_assert_not_reached ();
        }
    }
  setl_column_builder_end_append (b, any_null || from % 2 ? valid + from : NULL, n);
}

static void
test_in_place (void)
{
  const SetlDataType types[] = { SETL_DATA_TYPE_INT64, SETL_DATA_TYPE_DOUBLE, SETL_DATA_TYPE_DATE32,
                                 SETL_DATA_TYPE_TIMESTAMP, SETL_DATA_TYPE_STRING };

  for (guint t = 0; t < G_N_ELEMENTS (types); t++)
    for (int with_nulls = 0; with_nulls < 2; with_nulls++)
      {
        g_autoptr(SetlColumnBuilder) bulk = setl_column_builder_new (types[t]);
        g_autoptr(SetlColumnBuilder) single = setl_column_builder_new (types[t]);
        g_autoptr(SetlColumn) a = NULL, b = NULL;
        g_autoptr(GString) text = g_string_new (NULL);
        gint64 i64[N];
        double f64[N];
        gint32 i32[N], text_offsets[N + 1];
        guint8 valid[N];
        /* Chunk ends: mid-byte starts, a chunk of one, chunks of 8 and
         * more after the first null (the bitmap then exists and chunks
         * without a null still add to it). */
        static const guint cuts[] = { 0, 5, 6, 13, 21, 64, 100, 180, N };

        text_offsets[0] = 0;
        for (guint i = 0; i < N; i++)
          {
            i64[i] = G_MAXINT64 - (gint64) i * 999983;
            f64[i] = i * -0.5 + 1e10;
            i32[i] = (gint32) i * 13 - 1000;
            /* No null in rows 64-179: chunks there end with no validity
             * bytes while the bitmap exists. */
            valid[i] = with_nulls && (i < 64 || i >= 180) ? valid_byte (i, TRUE) : valid_byte (i, FALSE);
            g_string_append_printf (text, "%s%u", i % 3 ? "Zoë-" : "", i);
            text_offsets[i + 1] = (gint32) text->len;
          }
        for (guint k = 0; k + 1 < G_N_ELEMENTS (cuts); k++)
          append_in_place (bulk, types[t], cuts[k], cuts[k + 1], valid, i64, f64, i32, text, text_offsets);
        g_assert_cmpint (setl_column_builder_get_length (bulk), ==, N);

        for (guint i = 0; i < N; i++)
          {
            if (!valid[i])
              {
                setl_column_builder_append_null (single);
                continue;
              }
            switch (types[t])
              {
              case SETL_DATA_TYPE_INT64: setl_column_builder_append_int64 (single, i64[i]); break;
              case SETL_DATA_TYPE_DOUBLE: setl_column_builder_append_double (single, f64[i]); break;
              case SETL_DATA_TYPE_DATE32: setl_column_builder_append_date32 (single, i32[i]); break;
              case SETL_DATA_TYPE_TIMESTAMP: setl_column_builder_append_timestamp (single, i64[i]); break;
              case SETL_DATA_TYPE_STRING:
                setl_column_builder_append_string (single, text->str + text_offsets[i],
                                                   text_offsets[i + 1] - text_offsets[i]);
                break;
              default: g_assert_not_reached ();
              }
          }
        a = finish (bulk);
        b = finish (single);
        check_same (a, b);
        g_assert_cmpint (setl_column_get_null_count (a), ==, with_nulls ? count_nulls (valid) : 0);
      }
}

/* Validity bytes other than 0 and 1 mean "valid", eight at a time too. */
static void
test_valid_bytes (void)
{
  for (guint start = 0; start < 9; start++)
    {
      g_autoptr(SetlColumnBuilder) bulk = setl_column_builder_new (SETL_DATA_TYPE_INT64);
      g_autoptr(SetlColumnBuilder) single = setl_column_builder_new (SETL_DATA_TYPE_INT64);
      g_autoptr(SetlColumn) a = NULL, b = NULL;
      gint64 values[N];
      guint8 valid[N];

      for (guint i = 0; i < N; i++)
        {
          values[i] = valid_byte (i, TRUE) ? (gint64) i : 0;
          valid[i] = valid_byte (i, TRUE);
        }
      /* @start values first, so that the bitmap is at any bit offset. */
      setl_column_builder_append_values (bulk, values, valid, start);
      setl_column_builder_append_values (bulk, values + start, valid + start, N - start);
      for (guint i = 0; i < N; i++)
        if (valid[i])
          setl_column_builder_append_int64 (single, values[i]);
        else
          setl_column_builder_append_null (single);
      a = finish (bulk);
      b = finish (single);
      check_same (a, b);
      g_assert_cmpint (setl_column_get_null_count (a), ==, count_nulls (valid));
      g_assert_cmpint (count_nulls (valid), >, 0);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/table/builder-bulk/fixed-width", test_fixed_width);
  g_test_add_func ("/table/builder-bulk/strings", test_strings);
  g_test_add_func ("/table/builder-bulk/in-place", test_in_place);
  g_test_add_func ("/table/builder-bulk/valid-bytes", test_valid_bytes);

  return g_test_run ();
}
