/* test-builder-bulk.c: the bulk appends build exactly what appending one
 * value at a time builds.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "table-test-util.h"

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

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/table/builder-bulk/fixed-width", test_fixed_width);
  g_test_add_func ("/table/builder-bulk/strings", test_strings);

  return g_test_run ();
}
