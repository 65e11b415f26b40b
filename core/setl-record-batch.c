/* setl-record-batch.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/**
 * SetlRecordBatch:
 *
 * A set of #SetlColumn of equal length, each described by a #SetlField:
 * the unit that sources produce, transforms consume and sinks write, so
 * that memory stays bounded by the batch size rather than the data size.
 * In Arrow terms it is a record batch, exported as a struct array.
 *
 * |[<!-- language="C" -->
 * SetlField *fields[] = { id_field, name_field };
 * SetlColumn *columns[] = { ids, names };
 * g_autoptr(SetlRecordBatch) batch =
 *   setl_record_batch_new (fields, 2, columns, 2, &error);
 * ]|
 *
 * A batch is immutable. setl_record_batch_slice() and
 * setl_record_batch_select() make new batches that share the same columns'
 * buffers: no value is copied.
 */
#include "setl-record-batch.h"
#include "setl-table-private.h"

struct _SetlRecordBatch
{
  GObject parent_instance;

  GPtrArray *fields;    /* (element-type SetlField), shared with slices */
  GPtrArray *columns;   /* (element-type SetlColumn) */
  gint64 n_rows;
};

G_DEFINE_FINAL_TYPE (SetlRecordBatch, setl_record_batch, G_TYPE_OBJECT)

static void
setl_record_batch_finalize (GObject *object)
{
  SetlRecordBatch *self = SETL_RECORD_BATCH (object);

  g_clear_pointer (&self->fields, g_ptr_array_unref);
  g_clear_pointer (&self->columns, g_ptr_array_unref);

  G_OBJECT_CLASS (setl_record_batch_parent_class)->finalize (object);
}

static void
setl_record_batch_class_init (SetlRecordBatchClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = setl_record_batch_finalize;
}

static void
setl_record_batch_init (SetlRecordBatch *self)
{
}

SetlRecordBatch *
_setl_record_batch_new_take (GPtrArray *fields,
                             GPtrArray *columns,
                             gint64     n_rows)
{
  SetlRecordBatch *self = g_object_new (SETL_TYPE_RECORD_BATCH, NULL);

  self->fields = fields;
  self->columns = columns;
  self->n_rows = n_rows;
  return self;
}

GPtrArray *
_setl_record_batch_get_field_array (SetlRecordBatch *self)
{
  return self->fields;
}

gboolean
_setl_record_batch_validate (GPtrArray  *fields,
                             GPtrArray  *columns,
                             GError    **error)
{
  if (fields->len != columns->len)
    {
      g_set_error (error, SETL_DATA_ERROR, SETL_DATA_ERROR_INVALID,
                   "A record batch needs one field per column: %u fields, %u columns",
                   fields->len, columns->len);
      return FALSE;
    }

  for (guint i = 0; i < fields->len; i++)
    {
      SetlField *field = g_ptr_array_index (fields, i);
      SetlColumn *column = g_ptr_array_index (columns, i);
      SetlColumn *first = g_ptr_array_index (columns, 0);
      const char *name = setl_field_get_name (field);

      for (guint j = 0; j < i; j++)
        if (g_str_equal (name, setl_field_get_name (g_ptr_array_index (fields, j))))
          {
            g_set_error (error, SETL_DATA_ERROR, SETL_DATA_ERROR_INVALID,
                         "Column “%s” appears twice (columns %u and %u)", name, j, i);
            return FALSE;
          }
      if (setl_field_get_data_type (field) != setl_column_get_data_type (column))
        {
          g_set_error (error, SETL_DATA_ERROR, SETL_DATA_ERROR_INVALID,
                       "Column “%s” is declared %s but holds %s values", name,
                       setl_data_type_to_string (setl_field_get_data_type (field)),
                       setl_data_type_to_string (setl_column_get_data_type (column)));
          return FALSE;
        }
      if (setl_column_get_length (column) != setl_column_get_length (first))
        {
          g_set_error (error, SETL_DATA_ERROR, SETL_DATA_ERROR_INVALID,
                       "Column “%s” has %" G_GINT64_FORMAT " rows but column “%s” has %"
                       G_GINT64_FORMAT, name, setl_column_get_length (column),
                       setl_field_get_name (g_ptr_array_index (fields, 0)),
                       setl_column_get_length (first));
          return FALSE;
        }
      if (!setl_field_get_nullable (field) && setl_column_get_null_count (column) > 0)
        {
          g_set_error (error, SETL_DATA_ERROR, SETL_DATA_ERROR_INVALID,
                       "Column “%s” is not nullable but holds %" G_GINT64_FORMAT " nulls",
                       name, setl_column_get_null_count (column));
          return FALSE;
        }
    }
  return TRUE;
}

/**
 * setl_record_batch_new:
 * @fields: (array length=n_fields) (transfer none): one field per column
 * @n_fields: the number of fields
 * @columns: (array length=n_columns) (transfer none): the columns
 * @n_columns: the number of columns, equal to @n_fields
 * @error: return location for a #GError
 *
 * Puts columns together. They must have the same length, the types their
 * fields declare, no nulls where their field is not nullable, and the
 * fields distinct names.
 *
 * Returns: (transfer full): a new batch referencing @fields and @columns,
 *   or %NULL with %SETL_DATA_ERROR_INVALID naming the column at fault
 */
SetlRecordBatch *
setl_record_batch_new (SetlField  **fields,
                       guint        n_fields,
                       SetlColumn **columns,
                       guint        n_columns,
                       GError     **error)
{
  g_autoptr(GPtrArray) field_array = g_ptr_array_new_full (n_fields, g_object_unref);
  g_autoptr(GPtrArray) column_array = g_ptr_array_new_full (n_columns, g_object_unref);

  g_return_val_if_fail (fields != NULL || n_fields == 0, NULL);
  g_return_val_if_fail (columns != NULL || n_columns == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  for (guint i = 0; i < n_fields; i++)
    {
      g_return_val_if_fail (SETL_IS_FIELD (fields[i]), NULL);
      g_ptr_array_add (field_array, g_object_ref (fields[i]));
    }
  for (guint i = 0; i < n_columns; i++)
    {
      g_return_val_if_fail (SETL_IS_COLUMN (columns[i]), NULL);
      g_ptr_array_add (column_array, g_object_ref (columns[i]));
    }

  if (!_setl_record_batch_validate (field_array, column_array, error))
    return NULL;

  return _setl_record_batch_new_take (g_steal_pointer (&field_array),
                                      g_steal_pointer (&column_array),
                                      n_columns > 0 ? setl_column_get_length (columns[0]) : 0);
}

/**
 * setl_record_batch_get_n_rows:
 * @self: a #SetlRecordBatch
 *
 * Returns: the number of rows
 */
gint64
setl_record_batch_get_n_rows (SetlRecordBatch *self)
{
  g_return_val_if_fail (SETL_IS_RECORD_BATCH (self), 0);
  return self->n_rows;
}

/**
 * setl_record_batch_get_n_columns:
 * @self: a #SetlRecordBatch
 *
 * Returns: the number of columns
 */
guint
setl_record_batch_get_n_columns (SetlRecordBatch *self)
{
  g_return_val_if_fail (SETL_IS_RECORD_BATCH (self), 0);
  return self->columns->len;
}

/**
 * setl_record_batch_get_fields:
 * @self: a #SetlRecordBatch
 * @n_fields: (out) (optional): the number of fields
 *
 * Returns: (transfer none) (array length=n_fields): the fields, in column
 *   order
 */
SetlField **
setl_record_batch_get_fields (SetlRecordBatch *self,
                              guint           *n_fields)
{
  g_return_val_if_fail (SETL_IS_RECORD_BATCH (self), NULL);

  if (n_fields != NULL)
    *n_fields = self->fields->len;
  return (SetlField **) self->fields->pdata;
}

/**
 * setl_record_batch_get_field:
 * @self: a #SetlRecordBatch
 * @index: a column index
 *
 * Returns: (transfer none): the field of column @index
 */
SetlField *
setl_record_batch_get_field (SetlRecordBatch *self,
                             guint            index)
{
  g_return_val_if_fail (SETL_IS_RECORD_BATCH (self), NULL);
  g_return_val_if_fail (index < self->fields->len, NULL);
  return g_ptr_array_index (self->fields, index);
}

/**
 * setl_record_batch_get_column:
 * @self: a #SetlRecordBatch
 * @index: a column index
 *
 * Returns: (transfer none): column @index
 */
SetlColumn *
setl_record_batch_get_column (SetlRecordBatch *self,
                              guint            index)
{
  g_return_val_if_fail (SETL_IS_RECORD_BATCH (self), NULL);
  g_return_val_if_fail (index < self->columns->len, NULL);
  return g_ptr_array_index (self->columns, index);
}

static int
field_index (GPtrArray  *fields,
             const char *name)
{
  for (guint i = 0; i < fields->len; i++)
    if (g_str_equal (setl_field_get_name (g_ptr_array_index (fields, i)), name))
      return (int) i;
  return -1;
}

/**
 * setl_record_batch_get_column_index:
 * @self: a #SetlRecordBatch
 * @name: a column name
 *
 * Returns: the index of the column called @name, or -1
 */
int
setl_record_batch_get_column_index (SetlRecordBatch *self,
                                    const char      *name)
{
  g_return_val_if_fail (SETL_IS_RECORD_BATCH (self), -1);
  g_return_val_if_fail (name != NULL, -1);
  return field_index (self->fields, name);
}

/**
 * setl_record_batch_get_column_by_name:
 * @self: a #SetlRecordBatch
 * @name: a column name
 *
 * Returns: (transfer none) (nullable): the column called @name, or %NULL
 */
SetlColumn *
setl_record_batch_get_column_by_name (SetlRecordBatch *self,
                                      const char      *name)
{
  int index;

  g_return_val_if_fail (SETL_IS_RECORD_BATCH (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  index = field_index (self->fields, name);
  return index < 0 ? NULL : g_ptr_array_index (self->columns, index);
}

/**
 * setl_record_batch_get_byte_size:
 * @self: a #SetlRecordBatch
 *
 * Returns: the size of the buffers the batch's columns keep alive, in bytes
 *   (a buffer shared by two columns is counted once)
 */
gsize
setl_record_batch_get_byte_size (SetlRecordBatch *self)
{
  g_autoptr(GHashTable) seen = NULL;
  gsize size = 0;

  g_return_val_if_fail (SETL_IS_RECORD_BATCH (self), 0);

  seen = g_hash_table_new (NULL, NULL);
  for (guint i = 0; i < self->columns->len; i++)
    {
      SetlColumn *column = g_ptr_array_index (self->columns, i);

      for (guint b = 0; b < setl_column_get_n_buffers (column); b++)
        {
          GBytes *buffer = setl_column_get_buffer (column, b);

          if (buffer != NULL && g_hash_table_add (seen, buffer))
            size += g_bytes_get_size (buffer);
        }
    }
  return size;
}

/**
 * setl_record_batch_slice:
 * @self: a #SetlRecordBatch
 * @offset: the first row of the slice
 * @length: the number of rows, or -1 for all rows from @offset
 *
 * Slices every column (see setl_column_slice()); no value is copied.
 *
 * Returns: (transfer full): the rows [@offset, @offset + @length) of @self
 */
SetlRecordBatch *
setl_record_batch_slice (SetlRecordBatch *self,
                         gint64           offset,
                         gint64           length)
{
  GPtrArray *columns;

  g_return_val_if_fail (SETL_IS_RECORD_BATCH (self), NULL);
  g_return_val_if_fail (offset >= 0, NULL);

  offset = MIN (offset, self->n_rows);
  if (length < 0 || length > self->n_rows - offset)
    length = self->n_rows - offset;

  columns = g_ptr_array_new_full (self->columns->len, g_object_unref);
  for (guint i = 0; i < self->columns->len; i++)
    g_ptr_array_add (columns, setl_column_slice (g_ptr_array_index (self->columns, i),
                                                 offset, length));
  return _setl_record_batch_new_take (g_ptr_array_ref (self->fields), columns, length);
}

/**
 * setl_record_batch_select:
 * @self: a #SetlRecordBatch
 * @indices: (array length=n_indices): the indices of the columns to keep,
 *   in the order wanted
 * @n_indices: the number of indices
 * @error: return location for a #GError
 *
 * Projects the batch onto some of its columns, which are shared, not
 * copied.
 *
 * Returns: (transfer full): a batch of the chosen columns, or %NULL with
 *   %SETL_DATA_ERROR_NOT_FOUND for an index out of range or
 *   %SETL_DATA_ERROR_INVALID for a column chosen twice
 */
SetlRecordBatch *
setl_record_batch_select (SetlRecordBatch  *self,
                          const guint      *indices,
                          guint             n_indices,
                          GError          **error)
{
  g_autoptr(GPtrArray) fields = NULL;
  g_autoptr(GPtrArray) columns = NULL;

  g_return_val_if_fail (SETL_IS_RECORD_BATCH (self), NULL);
  g_return_val_if_fail (indices != NULL || n_indices == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  fields = g_ptr_array_new_full (n_indices, g_object_unref);
  columns = g_ptr_array_new_full (n_indices, g_object_unref);
  for (guint i = 0; i < n_indices; i++)
    {
      if (indices[i] >= self->columns->len)
        {
          g_set_error (error, SETL_DATA_ERROR, SETL_DATA_ERROR_NOT_FOUND,
                       "No column %u: the batch has %u columns",
                       indices[i], self->columns->len);
          return NULL;
        }
      g_ptr_array_add (fields, g_object_ref (g_ptr_array_index (self->fields, indices[i])));
      g_ptr_array_add (columns, g_object_ref (g_ptr_array_index (self->columns, indices[i])));
    }

  if (!_setl_record_batch_validate (fields, columns, error))
    return NULL;
  return _setl_record_batch_new_take (g_steal_pointer (&fields),
                                      g_steal_pointer (&columns), self->n_rows);
}

/**
 * setl_record_batch_select_by_name:
 * @self: a #SetlRecordBatch
 * @names: (array zero-terminated=1): the names of the columns to keep, in
 *   the order wanted
 * @error: return location for a #GError
 *
 * Like setl_record_batch_select(), by name.
 *
 * Returns: (transfer full): a batch of the named columns, or %NULL with
 *   %SETL_DATA_ERROR_NOT_FOUND naming a column that does not exist
 */
SetlRecordBatch *
setl_record_batch_select_by_name (SetlRecordBatch    *self,
                                  const char *const  *names,
                                  GError            **error)
{
  g_autofree guint *indices = NULL;
  guint n;

  g_return_val_if_fail (SETL_IS_RECORD_BATCH (self), NULL);
  g_return_val_if_fail (names != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  n = g_strv_length ((char **) names);
  indices = g_new (guint, MAX (n, 1));
  for (guint i = 0; i < n; i++)
    {
      int index = field_index (self->fields, names[i]);

      if (index < 0)
        {
          g_set_error (error, SETL_DATA_ERROR, SETL_DATA_ERROR_NOT_FOUND,
                       "No column “%s” in the batch", names[i]);
          return NULL;
        }
      indices[i] = (guint) index;
    }
  return setl_record_batch_select (self, indices, n, error);
}

/**
 * setl_record_batch_equal:
 * @a: a #SetlRecordBatch
 * @b: another #SetlRecordBatch
 *
 * Returns: whether @a and @b have equal fields and equal values (see
 *   setl_column_equal())
 */
gboolean
setl_record_batch_equal (SetlRecordBatch *a,
                         SetlRecordBatch *b)
{
  g_return_val_if_fail (SETL_IS_RECORD_BATCH (a), FALSE);
  g_return_val_if_fail (SETL_IS_RECORD_BATCH (b), FALSE);

  if (a->n_rows != b->n_rows || a->columns->len != b->columns->len)
    return FALSE;
  for (guint i = 0; i < a->columns->len; i++)
    if (!setl_field_equal (g_ptr_array_index (a->fields, i), g_ptr_array_index (b->fields, i)) ||
        !setl_column_equal (g_ptr_array_index (a->columns, i), g_ptr_array_index (b->columns, i)))
      return FALSE;
  return TRUE;
}
