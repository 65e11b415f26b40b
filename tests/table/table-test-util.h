/* table-test-util.h: helpers shared by the table suite's tests.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <setl/setl.h>

static inline gboolean
bitmap_bit (gconstpointer bits,
            gint64        index)
{
  return (((const guint8 *) bits)[index >> 3] >> (index & 7)) & 1;
}

static inline gconstpointer
buffer_data (SetlColumn *column,
             guint       index)
{
  GBytes *bytes = setl_column_get_buffer (column, index);
  return bytes ? g_bytes_get_data (bytes, NULL) : NULL;
}

/* One column of each type, 10 rows, nulls at rows 2 and 7 (and at 9 for
 * strings), values that depend on the row so that shifts are caught. */
static inline SetlColumn *
make_column (SetlDataType type)
{
  g_autoptr(SetlColumnBuilder) builder = setl_column_builder_new (type);
  g_autoptr(GError) error = NULL;
  SetlColumn *column;

  for (int i = 0; i < 10; i++)
    {
      if (i == 2 || i == 7 || (type == SETL_DATA_TYPE_STRING && i == 9))
        {
          setl_column_builder_append_null (builder);
          continue;
        }
      switch (type)
        {
        case SETL_DATA_TYPE_BOOL:
          setl_column_builder_append_bool (builder, i % 3 == 0);
          break;
        case SETL_DATA_TYPE_INT64:
          setl_column_builder_append_int64 (builder, (gint64) i * 1000000000000 - 5);
          break;
        case SETL_DATA_TYPE_DOUBLE:
          setl_column_builder_append_double (builder, i * 1.5 - 3.25);
          break;
        case SETL_DATA_TYPE_STRING:
          {
            /* Empty, ASCII and non-ASCII values. */
            static const char *const words[] = { "", "a", NULL, "Zürich", "東京",
                                                 "x,y\"z", "line\nbreak", NULL, "ß", NULL };
            setl_column_builder_append_string (builder, words[i], -1);
          }
          break;
        case SETL_DATA_TYPE_DATE32:
          setl_column_builder_append_date32 (builder, 19000 + i * 31 - 40000 * (i == 1));
          break;
        case SETL_DATA_TYPE_TIMESTAMP:
          setl_column_builder_append_timestamp (builder, G_GINT64_CONSTANT (1700000000000000) + i * 1234567);
          break;
        }
    }
  column = setl_column_builder_finish (builder, &error);
  g_assert_no_error (error);
  return column;
}

static inline SetlField *
make_field (SetlDataType type)
{
  if (type == SETL_DATA_TYPE_TIMESTAMP)
    return setl_field_new_timestamp ("timestamp", TRUE, "Europe/Paris");
  return setl_field_new (setl_data_type_to_string (type), type, TRUE);
}

/* A batch with one nullable column of each type. */
static inline SetlRecordBatch *
make_batch (void)
{
  SetlField *fields[6];
  SetlColumn *columns[6];
  g_autoptr(GError) error = NULL;
  SetlRecordBatch *batch;

  for (int t = 0; t < 6; t++)
    {
      fields[t] = make_field ((SetlDataType) t);
      columns[t] = make_column ((SetlDataType) t);
    }
  batch = setl_record_batch_new (fields, 6, columns, 6, &error);
  g_assert_no_error (error);
  for (int t = 0; t < 6; t++)
    {
      g_object_unref (fields[t]);
      g_object_unref (columns[t]);
    }
  return batch;
}
