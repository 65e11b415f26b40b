/* cache-disk-test-util.c: tables and directories for the cache-disk tests.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "cache-disk-test-util.h"

#include <glib/gstdio.h>

/* Every type, nullable and not, with a time zone and without; nulls at
 * rows that depend on @seed, so that two tables made with the same
 * arguments are equal and tables made with other seeds are not. */
static SetlRecordBatch *
make_batch (gint64 first,
            gint64 n_rows,
            guint  seed)
{
  g_autoptr(SetlField) f_b = setl_field_new ("flag", SETL_DATA_TYPE_BOOL, TRUE);
  g_autoptr(SetlField) f_i = setl_field_new ("count", SETL_DATA_TYPE_INT64, TRUE);
  g_autoptr(SetlField) f_d = setl_field_new ("ratio", SETL_DATA_TYPE_DOUBLE, TRUE);
  g_autoptr(SetlField) f_s = setl_field_new ("name", SETL_DATA_TYPE_STRING, TRUE);
  g_autoptr(SetlField) f_dt = setl_field_new ("day", SETL_DATA_TYPE_DATE32, TRUE);
  g_autoptr(SetlField) f_ts = setl_field_new_timestamp ("at", TRUE, "Europe/Paris");
  g_autoptr(SetlField) f_ts2 = setl_field_new_timestamp ("utc", FALSE, NULL);
  g_autoptr(SetlField) f_id = setl_field_new ("id", SETL_DATA_TYPE_INT64, FALSE);
  SetlField *fields[] = { f_b, f_i, f_d, f_s, f_dt, f_ts, f_ts2, f_id };
  SetlColumnBuilder *b[8];
  SetlColumn *columns[8];
  SetlRecordBatch *batch;
  g_autoptr(GError) error = NULL;
  static const char *const words[] = { "", "a", "zoë", "longer text with spaces",
                                       "日本語", "x\ty" };

  b[0] = setl_column_builder_new (SETL_DATA_TYPE_BOOL);
  b[1] = setl_column_builder_new (SETL_DATA_TYPE_INT64);
  b[2] = setl_column_builder_new (SETL_DATA_TYPE_DOUBLE);
  b[3] = setl_column_builder_new (SETL_DATA_TYPE_STRING);
  b[4] = setl_column_builder_new (SETL_DATA_TYPE_DATE32);
  b[5] = setl_column_builder_new (SETL_DATA_TYPE_TIMESTAMP);
  b[6] = setl_column_builder_new (SETL_DATA_TYPE_TIMESTAMP);
  b[7] = setl_column_builder_new (SETL_DATA_TYPE_INT64);

  for (gint64 r = first; r < first + n_rows; r++)
    {
      guint64 h = (guint64) r * 2654435761u + seed * 40503u;

      for (guint c = 0; c < 6; c++)
        if ((h >> (c * 3)) % 7 == 0)
          {
            setl_column_builder_append_null (b[c]);
            continue;
          }
        else switch (c)
          {
          case 0: setl_column_builder_append_bool (b[0], (h >> 5) & 1); break;
          case 1: setl_column_builder_append_int64 (b[1], (gint64) (h % 1000003) - 500000 + seed); break;
          case 2: setl_column_builder_append_double (b[2], (double) r / 7.0 + seed); break;
          case 3:
            {
              g_autofree char *s = g_strdup_printf ("%s#%" G_GINT64_FORMAT "/%u",
                                                    words[h % G_N_ELEMENTS (words)], r, seed);
              setl_column_builder_append_string (b[3], (h % 11 == 0) ? "" : s, -1);
            }
            break;
          case 4: setl_column_builder_append_date32 (b[4], (gint32) (r % 40000) - 2000); break;
          default: setl_column_builder_append_timestamp (b[5], r * G_GINT64_CONSTANT (1000001) + seed);
          }
      setl_column_builder_append_timestamp (b[6], r * 17 - 99);
      setl_column_builder_append_int64 (b[7], r);
    }
  for (guint c = 0; c < 8; c++)
    {
      columns[c] = setl_column_builder_finish (b[c], &error);
      g_assert_no_error (error);
      g_object_unref (b[c]);
    }
  batch = setl_record_batch_new (fields, 8, columns, 8, &error);
  g_assert_no_error (error);
  for (guint c = 0; c < 8; c++)
    g_object_unref (columns[c]);
  return batch;
}

/**
 * cd_test_make_table:
 * @n_rows: rows in all
 * @batch_size: rows per batch (the last one may be shorter); 0 makes a
 *   table with no batch at all
 * @seed: varies the values and where the nulls are
 */
SetlTable *
cd_test_make_table (gint64 n_rows,
                    gint64 batch_size,
                    guint  seed)
{
  g_autoptr(GPtrArray) batches = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(SetlRecordBatch) shape = make_batch (0, 0, seed);
  g_autoptr(GError) error = NULL;
  SetlField **fields;
  guint n_fields;
  SetlTable *table;

  for (gint64 first = 0; batch_size > 0 && first < n_rows; first += batch_size)
    g_ptr_array_add (batches, make_batch (first, MIN (batch_size, n_rows - first), seed));
  if (batch_size > 0 && n_rows == 0)
    g_ptr_array_add (batches, make_batch (0, 0, seed));
  fields = setl_record_batch_get_fields (shape, &n_fields);
  table = setl_table_new (fields, n_fields, (SetlRecordBatch **) batches->pdata,
                          batches->len, &error);
  g_assert_no_error (error);
  return table;
}

void
cd_test_rm_rf (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir != NULL)
    {
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);
          cd_test_rm_rf (child);
        }
      g_rmdir (path);
    }
  else
    g_unlink (path);
}

GBytes *
cd_test_read_file (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *data = NULL;
  gsize size = 0;

  g_file_get_contents (path, &data, &size, &error);
  g_assert_no_error (error);
  return g_bytes_new_take (data, size);
}

void
cd_test_write_file (const char *path,
                    const void *data,
                    gsize       size)
{
  /* Not g_file_set_contents(): that renames, and tests want to damage the
   * very file a reader has open or a store has counted. */
  FILE *f = fopen (path, "wb");
  g_assert_nonnull (f);
  g_assert_cmpuint (fwrite (data, 1, size, f), ==, size);
  g_assert_cmpint (fclose (f), ==, 0);
}
