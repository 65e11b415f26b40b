/* setl-table.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/**
 * SetlTable:
 *
 * The data a factory usually delivers: a list of #SetlField and a sequence
 * of #SetlRecordBatch that all have those fields. The batches are the
 * table's chunks, in row order; a table can have none (and no rows).
 *
 * A table is immutable and passed by reference: handing it to the next
 * factory, slicing it (setl_table_slice()) or projecting it onto some
 * columns (setl_table_select()) never copies a value; the new table shares
 * the same column buffers.
 *
 * Tables cross library boundaries through the Arrow C Data Interface as a
 * stream of record batches: setl_table_export_to_c_stream() and
 * setl_table_import_from_c_stream().
 */
#include "setl-table.h"
#include "setl-table-private.h"
#include "setl-batch-stream.h"

struct _SetlTable
{
  GObject parent_instance;

  GPtrArray *fields;    /* (element-type SetlField) */
  GPtrArray *batches;   /* (element-type SetlRecordBatch) */
  gint64 n_rows;
};

static void setl_table_batch_stream_init (SetlBatchStreamInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SetlTable, setl_table, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (SETL_TYPE_BATCH_STREAM,
                                                      setl_table_batch_stream_init))

static SetlField **
setl_table_stream_get_fields (SetlBatchStream *stream,
                              guint           *n_fields)
{
  return setl_table_get_fields (SETL_TABLE (stream), n_fields);
}

static SetlBatchIterator *
setl_table_stream_open (SetlBatchStream  *stream,
                        GCancellable     *cancellable,
                        GError          **error)
{
  return _setl_table_iterator_new (SETL_TABLE (stream));
}

/* A table is a stream over the batches it holds: data factories exchange
 * SetlBatchStream, and an in-memory result is one like any other. */
static void
setl_table_batch_stream_init (SetlBatchStreamInterface *iface)
{
  iface->get_fields = setl_table_stream_get_fields;
  iface->open = setl_table_stream_open;
}

static void
setl_table_finalize (GObject *object)
{
  SetlTable *self = SETL_TABLE (object);

  g_clear_pointer (&self->fields, g_ptr_array_unref);
  g_clear_pointer (&self->batches, g_ptr_array_unref);

  G_OBJECT_CLASS (setl_table_parent_class)->finalize (object);
}

static void
setl_table_class_init (SetlTableClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = setl_table_finalize;
}

static void
setl_table_init (SetlTable *self)
{
}

SetlTable *
_setl_table_new_take (GPtrArray *fields,
                      GPtrArray *batches)
{
  SetlTable *self = g_object_new (SETL_TYPE_TABLE, NULL);

  self->fields = fields;
  self->batches = batches;
  for (guint i = 0; i < batches->len; i++)
    self->n_rows += setl_record_batch_get_n_rows (g_ptr_array_index (batches, i));
  return self;
}

GPtrArray *
_setl_table_get_field_array (SetlTable *self)
{
  return self->fields;
}

static gboolean
check_batch_fields (GPtrArray        *fields,
                    SetlRecordBatch  *batch,
                    guint             index,
                    GError          **error)
{
  GPtrArray *batch_fields = _setl_record_batch_get_field_array (batch);

  if (batch_fields == fields)
    return TRUE;
  if (batch_fields->len != fields->len)
    {
      g_set_error (error, SETL_DATA_ERROR, SETL_DATA_ERROR_INVALID,
                   "Batch %u has %u columns but the table has %u",
                   index, batch_fields->len, fields->len);
      return FALSE;
    }
  for (guint i = 0; i < fields->len; i++)
    if (!setl_field_equal (g_ptr_array_index (fields, i), g_ptr_array_index (batch_fields, i)))
      {
        g_autofree char *want = setl_field_to_string (g_ptr_array_index (fields, i));
        g_autofree char *got = setl_field_to_string (g_ptr_array_index (batch_fields, i));

        g_set_error (error, SETL_DATA_ERROR, SETL_DATA_ERROR_INVALID,
                     "Column %u of batch %u is “%s” but the table has “%s”",
                     i, index, got, want);
        return FALSE;
      }
  return TRUE;
}

/**
 * setl_table_new:
 * @fields: (array length=n_fields) (transfer none): the table's fields
 * @n_fields: the number of fields
 * @batches: (array length=n_batches) (transfer none) (nullable): the
 *   batches, in row order
 * @n_batches: the number of batches
 * @error: return location for a #GError
 *
 * Returns: (transfer full): a new table referencing @batches, or %NULL
 *   with %SETL_DATA_ERROR_INVALID if a batch's fields differ from @fields
 */
SetlTable *
setl_table_new (SetlField        **fields,
                guint              n_fields,
                SetlRecordBatch  **batches,
                guint              n_batches,
                GError           **error)
{
  g_autoptr(GPtrArray) field_array = NULL;
  g_autoptr(GPtrArray) batch_array = NULL;

  g_return_val_if_fail (fields != NULL || n_fields == 0, NULL);
  g_return_val_if_fail (batches != NULL || n_batches == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  field_array = g_ptr_array_new_full (n_fields, g_object_unref);
  for (guint i = 0; i < n_fields; i++)
    {
      g_return_val_if_fail (SETL_IS_FIELD (fields[i]), NULL);
      for (guint j = 0; j < i; j++)
        if (g_str_equal (setl_field_get_name (fields[i]), setl_field_get_name (fields[j])))
          {
            g_set_error (error, SETL_DATA_ERROR, SETL_DATA_ERROR_INVALID,
                         "Column “%s” appears twice (columns %u and %u)",
                         setl_field_get_name (fields[i]), j, i);
            return NULL;
          }
      g_ptr_array_add (field_array, g_object_ref (fields[i]));
    }

  batch_array = g_ptr_array_new_full (n_batches, g_object_unref);
  for (guint i = 0; i < n_batches; i++)
    {
      g_return_val_if_fail (SETL_IS_RECORD_BATCH (batches[i]), NULL);
      if (!check_batch_fields (field_array, batches[i], i, error))
        return NULL;
      g_ptr_array_add (batch_array, g_object_ref (batches[i]));
    }

  return _setl_table_new_take (g_steal_pointer (&field_array),
                               g_steal_pointer (&batch_array));
}

/**
 * setl_table_new_from_batch:
 * @batch: a #SetlRecordBatch
 *
 * Returns: (transfer full): a table of the one batch @batch, with its fields
 */
SetlTable *
setl_table_new_from_batch (SetlRecordBatch *batch)
{
  GPtrArray *batches;

  g_return_val_if_fail (SETL_IS_RECORD_BATCH (batch), NULL);

  batches = g_ptr_array_new_full (1, g_object_unref);
  g_ptr_array_add (batches, g_object_ref (batch));
  return _setl_table_new_take (g_ptr_array_ref (_setl_record_batch_get_field_array (batch)),
                               batches);
}

/**
 * setl_table_get_n_rows:
 * @self: a #SetlTable
 *
 * Returns: the number of rows, over all batches
 */
gint64
setl_table_get_n_rows (SetlTable *self)
{
  g_return_val_if_fail (SETL_IS_TABLE (self), 0);
  return self->n_rows;
}

/**
 * setl_table_get_n_columns:
 * @self: a #SetlTable
 *
 * Returns: the number of columns
 */
guint
setl_table_get_n_columns (SetlTable *self)
{
  g_return_val_if_fail (SETL_IS_TABLE (self), 0);
  return self->fields->len;
}

/**
 * setl_table_get_fields:
 * @self: a #SetlTable
 * @n_fields: (out) (optional): the number of fields
 *
 * Returns: (transfer none) (array length=n_fields): the fields, in column
 *   order
 */
SetlField **
setl_table_get_fields (SetlTable *self,
                       guint     *n_fields)
{
  g_return_val_if_fail (SETL_IS_TABLE (self), NULL);

  if (n_fields != NULL)
    *n_fields = self->fields->len;
  return (SetlField **) self->fields->pdata;
}

/**
 * setl_table_get_field:
 * @self: a #SetlTable
 * @index: a column index
 *
 * Returns: (transfer none): the field of column @index
 */
SetlField *
setl_table_get_field (SetlTable *self,
                      guint      index)
{
  g_return_val_if_fail (SETL_IS_TABLE (self), NULL);
  g_return_val_if_fail (index < self->fields->len, NULL);
  return g_ptr_array_index (self->fields, index);
}

/**
 * setl_table_get_column_index:
 * @self: a #SetlTable
 * @name: a column name
 *
 * Returns: the index of the column called @name, or -1
 */
int
setl_table_get_column_index (SetlTable  *self,
                             const char *name)
{
  g_return_val_if_fail (SETL_IS_TABLE (self), -1);
  g_return_val_if_fail (name != NULL, -1);

  for (guint i = 0; i < self->fields->len; i++)
    if (g_str_equal (setl_field_get_name (g_ptr_array_index (self->fields, i)), name))
      return (int) i;
  return -1;
}

/**
 * setl_table_get_n_batches:
 * @self: a #SetlTable
 *
 * Returns: the number of record batches
 */
guint
setl_table_get_n_batches (SetlTable *self)
{
  g_return_val_if_fail (SETL_IS_TABLE (self), 0);
  return self->batches->len;
}

/**
 * setl_table_get_batch:
 * @self: a #SetlTable
 * @index: a batch index, below setl_table_get_n_batches()
 *
 * Returns: (transfer none): batch @index
 */
SetlRecordBatch *
setl_table_get_batch (SetlTable *self,
                      guint      index)
{
  g_return_val_if_fail (SETL_IS_TABLE (self), NULL);
  g_return_val_if_fail (index < self->batches->len, NULL);
  return g_ptr_array_index (self->batches, index);
}

/**
 * setl_table_get_byte_size:
 * @self: a #SetlTable
 *
 * Returns: the size of the buffers the table keeps alive, in bytes (a
 *   buffer shared by several batches or columns is counted once)
 */
gsize
setl_table_get_byte_size (SetlTable *self)
{
  g_autoptr(GHashTable) seen = NULL;
  gsize size = 0;

  g_return_val_if_fail (SETL_IS_TABLE (self), 0);

  seen = g_hash_table_new (NULL, NULL);
  for (guint i = 0; i < self->batches->len; i++)
    {
      SetlRecordBatch *batch = g_ptr_array_index (self->batches, i);

      for (guint c = 0; c < setl_record_batch_get_n_columns (batch); c++)
        {
          SetlColumn *column = setl_record_batch_get_column (batch, c);

          for (guint b = 0; b < setl_column_get_n_buffers (column); b++)
            {
              GBytes *buffer = setl_column_get_buffer (column, b);

              if (buffer != NULL && g_hash_table_add (seen, buffer))
                size += g_bytes_get_size (buffer);
            }
        }
    }
  return size;
}

/**
 * setl_table_slice:
 * @self: a #SetlTable
 * @offset: the first row of the slice
 * @length: the number of rows, or -1 for all rows from @offset
 *
 * Keeps the batches that overlap the rows wanted, the first and last of them
 * sliced (see setl_record_batch_slice()); no value is copied. Bounds out of
 * range are clamped to the table.
 *
 * Returns: (transfer full): the rows [@offset, @offset + @length) of @self
 */
SetlTable *
setl_table_slice (SetlTable *self,
                  gint64     offset,
                  gint64     length)
{
  GPtrArray *batches;
  gint64 start = 0;

  g_return_val_if_fail (SETL_IS_TABLE (self), NULL);
  g_return_val_if_fail (offset >= 0, NULL);

  offset = MIN (offset, self->n_rows);
  if (length < 0 || length > self->n_rows - offset)
    length = self->n_rows - offset;

  batches = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < self->batches->len && length > 0; i++)
    {
      SetlRecordBatch *batch = g_ptr_array_index (self->batches, i);
      gint64 n_rows = setl_record_batch_get_n_rows (batch);
      gint64 end = start + n_rows;

      if (end > offset)
        {
          gint64 from = offset - start;
          gint64 take = MIN (n_rows - from, length);

          if (from == 0 && take == n_rows)
            g_ptr_array_add (batches, g_object_ref (batch));
          else
            g_ptr_array_add (batches, setl_record_batch_slice (batch, from, take));
          offset += take;
          length -= take;
        }
      start = end;
    }

  return _setl_table_new_take (g_ptr_array_ref (self->fields), batches);
}

/**
 * setl_table_select:
 * @self: a #SetlTable
 * @indices: (array length=n_indices): the indices of the columns to keep,
 *   in the order wanted
 * @n_indices: the number of indices
 * @error: return location for a #GError
 *
 * Projects every batch onto the chosen columns (see
 * setl_record_batch_select()); no value is copied.
 *
 * Returns: (transfer full): a table of the chosen columns, or %NULL with
 *   %SETL_DATA_ERROR_NOT_FOUND or %SETL_DATA_ERROR_INVALID
 */
SetlTable *
setl_table_select (SetlTable    *self,
                   const guint  *indices,
                   guint         n_indices,
                   GError      **error)
{
  g_autoptr(GPtrArray) fields = NULL;
  g_autoptr(GPtrArray) batches = NULL;

  g_return_val_if_fail (SETL_IS_TABLE (self), NULL);
  g_return_val_if_fail (indices != NULL || n_indices == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  fields = g_ptr_array_new_full (n_indices, g_object_unref);
  for (guint i = 0; i < n_indices; i++)
    {
      if (indices[i] >= self->fields->len)
        {
          g_set_error (error, SETL_DATA_ERROR, SETL_DATA_ERROR_NOT_FOUND,
                       "No column %u: the table has %u columns",
                       indices[i], self->fields->len);
          return NULL;
        }
      for (guint j = 0; j < i; j++)
        if (indices[j] == indices[i])
          {
            g_set_error (error, SETL_DATA_ERROR, SETL_DATA_ERROR_INVALID,
                         "Column “%s” is selected twice",
                         setl_field_get_name (g_ptr_array_index (self->fields, indices[i])));
            return NULL;
          }
      g_ptr_array_add (fields, g_object_ref (g_ptr_array_index (self->fields, indices[i])));
    }

  batches = g_ptr_array_new_full (self->batches->len, g_object_unref);
  for (guint i = 0; i < self->batches->len; i++)
    {
      SetlRecordBatch *batch = setl_record_batch_select (g_ptr_array_index (self->batches, i),
                                                         indices, n_indices, error);
      if (batch == NULL)
        return NULL;
      g_ptr_array_add (batches, batch);
    }

  return _setl_table_new_take (g_steal_pointer (&fields), g_steal_pointer (&batches));
}

/**
 * setl_table_select_by_name:
 * @self: a #SetlTable
 * @names: (array zero-terminated=1): the names of the columns to keep, in
 *   the order wanted
 * @error: return location for a #GError
 *
 * Like setl_table_select(), by name.
 *
 * Returns: (transfer full): a table of the named columns, or %NULL with
 *   %SETL_DATA_ERROR_NOT_FOUND naming a column that does not exist
 */
SetlTable *
setl_table_select_by_name (SetlTable          *self,
                           const char *const  *names,
                           GError            **error)
{
  g_autofree guint *indices = NULL;
  guint n;

  g_return_val_if_fail (SETL_IS_TABLE (self), NULL);
  g_return_val_if_fail (names != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  n = g_strv_length ((char **) names);
  indices = g_new (guint, MAX (n, 1));
  for (guint i = 0; i < n; i++)
    {
      int index = setl_table_get_column_index (self, names[i]);

      if (index < 0)
        {
          g_set_error (error, SETL_DATA_ERROR, SETL_DATA_ERROR_NOT_FOUND,
                       "No column “%s” in the table", names[i]);
          return NULL;
        }
      indices[i] = (guint) index;
    }
  return setl_table_select (self, indices, n, error);
}

/* Walks the rows of one column of a table across its batches. */
typedef struct {
  SetlTable *table;
  guint column;
  guint batch;
  gint64 row;
} RowCursor;

static gboolean
row_cursor_next (RowCursor   *cursor,
                 SetlColumn **column,
                 gint64      *row)
{
  while (cursor->batch < cursor->table->batches->len)
    {
      SetlRecordBatch *batch = g_ptr_array_index (cursor->table->batches, cursor->batch);

      if (cursor->row < setl_record_batch_get_n_rows (batch))
        {
          *column = setl_record_batch_get_column (batch, cursor->column);
          *row = cursor->row++;
          return TRUE;
        }
      cursor->batch++;
      cursor->row = 0;
    }
  return FALSE;
}

/**
 * setl_table_equal:
 * @a: a #SetlTable
 * @b: another #SetlTable
 *
 * Compares fields and values row by row, whatever the batches' boundaries.
 *
 * Returns: whether @a and @b hold the same data
 */
gboolean
setl_table_equal (SetlTable *a,
                  SetlTable *b)
{
  g_return_val_if_fail (SETL_IS_TABLE (a), FALSE);
  g_return_val_if_fail (SETL_IS_TABLE (b), FALSE);

  if (a->n_rows != b->n_rows || a->fields->len != b->fields->len)
    return FALSE;

  for (guint c = 0; c < a->fields->len; c++)
    {
      RowCursor ca = { a, c, 0, 0 };
      RowCursor cb = { b, c, 0, 0 };
      SetlColumn *col_a, *col_b;
      gint64 row_a, row_b;

      if (!setl_field_equal (g_ptr_array_index (a->fields, c), g_ptr_array_index (b->fields, c)))
        return FALSE;
      while (row_cursor_next (&ca, &col_a, &row_a))
        {
          if (!row_cursor_next (&cb, &col_b, &row_b) ||
              !_setl_column_value_equal (col_a, row_a, col_b, row_b))
            return FALSE;
        }
    }
  return TRUE;
}
