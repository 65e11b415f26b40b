/* setl-xf-kernels.c: gather (take) and concatenate over chunked columns.
 *
 * A table's column is a sequence of chunks, one per record batch. Rows are
 * addressed by their global number (the first row of chunk k follows the
 * last of chunk k - 1), which is what a sort produces.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "setl-xf-kernels.h"

static void
append_value (SetlColumnBuilder *b,
              SetlDataType       type,
              SetlColumn        *col,
              gint64             row)
{
  if (setl_column_is_null (col, row))
    {
      setl_column_builder_append_null (b);
      return;
    }
  switch (type)
    {
    case SETL_DATA_TYPE_BOOL:
      setl_column_builder_append_bool (b, setl_column_get_bool (col, row));
      break;
    case SETL_DATA_TYPE_INT64:
      setl_column_builder_append_int64 (b, setl_column_get_int64 (col, row));
      break;
    case SETL_DATA_TYPE_DOUBLE:
      setl_column_builder_append_double (b, setl_column_get_double (col, row));
      break;
    case SETL_DATA_TYPE_STRING:
      {
        gsize len;
        const char *s = setl_column_get_string (col, row, &len);
        setl_column_builder_append_string (b, s, (gssize) len);
      }
      break;
    case SETL_DATA_TYPE_DATE32:
      setl_column_builder_append_date32 (b, setl_column_get_date32 (col, row));
      break;
    case SETL_DATA_TYPE_TIMESTAMP:
      setl_column_builder_append_timestamp (b, setl_column_get_timestamp (col, row));
      break;
    default:
      g_assert_not_reached ();
    }
}

/* Gathers the rows @indices (global row numbers) of a chunked column into
 * one new column, in the order given. */
SetlColumn *
setl_xf_take_chunked (SetlDataType   type,
                      SetlColumn   **chunks,
                      guint          n_chunks,
                      const gint64  *indices,
                      gint64         n_indices,
                      GError       **error)
{
  g_autoptr(SetlColumnBuilder) b = setl_column_builder_new (type);
  g_autofree gint64 *starts = g_new (gint64, n_chunks + 1);

  starts[0] = 0;
  for (guint k = 0; k < n_chunks; k++)
    starts[k + 1] = starts[k] + setl_column_get_length (chunks[k]);

  setl_column_builder_reserve (b, n_indices, 0);
  for (gint64 i = 0; i < n_indices; i++)
    {
      gint64 row = indices[i];
      guint lo = 0, hi = n_chunks;

      g_return_val_if_fail (row >= 0 && row < starts[n_chunks], NULL);
      /* the chunk holding row: starts[lo] <= row < starts[lo + 1] */
      while (hi - lo > 1)
        {
          guint mid = lo + (hi - lo) / 2;
          if (starts[mid] <= row)
            lo = mid;
          else
            hi = mid;
        }
      append_value (b, type, chunks[lo], row - starts[lo]);
    }
  return setl_column_builder_finish (b, error);
}

/* One column holding the rows of every chunk, in order. A single chunk is
 * returned as it is (no copy). */
SetlColumn *
setl_xf_concatenate (SetlDataType   type,
                     SetlColumn   **chunks,
                     guint          n_chunks,
                     GError       **error)
{
  g_autoptr(SetlColumnBuilder) b = NULL;
  gint64 total = 0;

  if (n_chunks == 1)
    return g_object_ref (chunks[0]);

  b = setl_column_builder_new (type);
  for (guint k = 0; k < n_chunks; k++)
    total += setl_column_get_length (chunks[k]);
  setl_column_builder_reserve (b, total, 0);
  for (guint k = 0; k < n_chunks; k++)
    {
      gint64 n = setl_column_get_length (chunks[k]);
      for (gint64 r = 0; r < n; r++)
        append_value (b, type, chunks[k], r);
    }
  return setl_column_builder_finish (b, error);
}
