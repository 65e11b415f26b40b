/* setl-arrow.c: the Arrow C Data Interface.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/**
 * SECTION:setl-arrow
 * @title: Arrow C Data Interface
 *
 * Columns, record batches and tables leave and enter libsetl without copies
 * through the Arrow C Data Interface, which DuckDB, pyarrow, polars,
 * nanoarrow and others speak:
 *
 * - a #SetlColumn is an `ArrowArray` of format `b`, `l`, `g`, `u`, `tdD` or
 *   `tsu:` followed by the time zone;
 * - a #SetlRecordBatch is a struct array (`+s`) whose children are its
 *   columns;
 * - a #SetlTable is an `ArrowArrayStream` of its record batches.
 *
 * Exported arrays point straight at the column buffers and keep them alive
 * until their consumer calls `release`, which frees everything the export
 * allocated (children and private data included) and sets `release` to
 * %NULL, as the specification requires. Exports may be moved by their
 * consumer (copy the struct, set the source's `release` to %NULL), children
 * included: a parent only releases the children still owned.
 *
 * Importing moves the `ArrowArray` (or stream) into libsetl: the caller's
 * struct is marked released at once, and the producer's `release` is called
 * when the last column made from it is finalized. The `ArrowSchema` is read
 * and released during the import. Both are consumed whether the import
 * succeeds or fails.
 *
 * From Python, where the structs are reached by address (pyarrow's
 * `_export_to_c` and `_import_from_c`), use the `_address` variants.
 */
#include "setl-arrow.h"
#include "setl-table-private.h"

#include <errno.h>
#include <string.h>

/* ---------------------------------------------------------------------- */
/* Export: schemas                                                         */

typedef struct {
  char *format;
  char *name;
  struct ArrowSchema *child_storage;
  struct ArrowSchema **children;
} ExportedSchema;

static void
release_exported_schema (struct ArrowSchema *schema)
{
  ExportedSchema *priv;

  if (schema->release == NULL)
    return;
  priv = schema->private_data;

  /* A child the consumer moved out has release == NULL: it is theirs. */
  for (gint64 i = 0; i < schema->n_children; i++)
    if (schema->children[i]->release != NULL)
      schema->children[i]->release (schema->children[i]);

  g_free (priv->child_storage);
  g_free (priv->children);
  g_free (priv->format);
  g_free (priv->name);
  g_free (priv);
  schema->release = NULL;
  schema->private_data = NULL;
}

static char *
format_for_type (SetlDataType  type,
                 const char   *timezone)
{
  switch (type)
    {
    case SETL_DATA_TYPE_BOOL:
      return g_strdup ("b");
    case SETL_DATA_TYPE_INT64:
      return g_strdup ("l");
    case SETL_DATA_TYPE_DOUBLE:
      return g_strdup ("g");
    case SETL_DATA_TYPE_STRING:
      return g_strdup ("u");
    case SETL_DATA_TYPE_DATE32:
      return g_strdup ("tdD");
    case SETL_DATA_TYPE_TIMESTAMP:
      return g_strconcat ("tsu:", timezone ? timezone : "", NULL);
    default:
      g_return_val_if_reached (NULL);
    }
}

static void
export_schema (const char         *format,
               const char         *name,
               int64_t             flags,
               gint64              n_children,
               struct ArrowSchema *out)
{
  ExportedSchema *priv = g_new0 (ExportedSchema, 1);

  priv->format = g_strdup (format);
  priv->name = g_strdup (name);
  if (n_children > 0)
    {
      priv->child_storage = g_new0 (struct ArrowSchema, n_children);
      priv->children = g_new (struct ArrowSchema *, n_children);
      for (gint64 i = 0; i < n_children; i++)
        priv->children[i] = &priv->child_storage[i];
    }

  *out = (struct ArrowSchema) {
    .format = priv->format,
    .name = priv->name,
    .metadata = NULL,
    .flags = flags,
    .n_children = n_children,
    .children = priv->children,
    .dictionary = NULL,
    .release = release_exported_schema,
    .private_data = priv,
  };
}

static void
export_field_schema (SetlField          *field,
                     SetlDataType        type,
                     struct ArrowSchema *out)
{
  g_autofree char *format = NULL;

  format = format_for_type (type, field ? setl_field_get_timezone (field) : NULL);
  export_schema (format, field ? setl_field_get_name (field) : "",
                 (field == NULL || setl_field_get_nullable (field)) ? ARROW_FLAG_NULLABLE : 0,
                 0, out);
}

static void
export_struct_schema (GPtrArray          *fields,
                      struct ArrowSchema *out)
{
  export_schema ("+s", "", 0, fields->len, out);
  for (guint i = 0; i < fields->len; i++)
    {
      SetlField *field = g_ptr_array_index (fields, i);
      export_field_schema (field, setl_field_get_data_type (field), out->children[i]);
    }
}

/* ---------------------------------------------------------------------- */
/* Export: arrays                                                          */

typedef struct {
  GObject *owner;                       /* keeps the buffers alive */
  const void *buffers[3];
  struct ArrowArray *child_storage;
  struct ArrowArray **children;
} ExportedArray;

static void
release_exported_array (struct ArrowArray *array)
{
  ExportedArray *priv;

  if (array->release == NULL)
    return;
  priv = array->private_data;

  for (gint64 i = 0; i < array->n_children; i++)
    if (array->children[i]->release != NULL)
      array->children[i]->release (array->children[i]);

  g_free (priv->child_storage);
  g_free (priv->children);
  g_clear_object (&priv->owner);
  g_free (priv);
  array->release = NULL;
  array->private_data = NULL;
}

static void
export_column_array (SetlColumn        *column,
                     struct ArrowArray *out)
{
  ExportedArray *priv = g_new0 (ExportedArray, 1);
  guint n_buffers = setl_column_get_n_buffers (column);

  priv->owner = g_object_ref (G_OBJECT (column));
  /* The buffers' bases: the consumer applies the offset, as Arrow does. */
  priv->buffers[0] = setl_column_get_validity_bitmap (column);
  priv->buffers[1] = setl_column_get_values_data (column);
  if (n_buffers == 3)
    priv->buffers[2] = setl_column_get_string_data (column);

  *out = (struct ArrowArray) {
    .length = setl_column_get_length (column),
    .null_count = setl_column_get_null_count (column),
    .offset = setl_column_get_offset (column),
    .n_buffers = n_buffers,
    .n_children = 0,
    .buffers = priv->buffers,
    .children = NULL,
    .dictionary = NULL,
    .release = release_exported_array,
    .private_data = priv,
  };
}

static void
export_batch_array (SetlRecordBatch   *batch,
                    struct ArrowArray *out)
{
  ExportedArray *priv = g_new0 (ExportedArray, 1);
  guint n_columns = setl_record_batch_get_n_columns (batch);

  priv->owner = g_object_ref (G_OBJECT (batch));
  priv->buffers[0] = NULL;   /* a record batch has no row-level nulls */
  if (n_columns > 0)
    {
      priv->child_storage = g_new0 (struct ArrowArray, n_columns);
      priv->children = g_new (struct ArrowArray *, n_columns);
    }
  for (guint i = 0; i < n_columns; i++)
    {
      priv->children[i] = &priv->child_storage[i];
      export_column_array (setl_record_batch_get_column (batch, i), priv->children[i]);
    }

  *out = (struct ArrowArray) {
    .length = setl_record_batch_get_n_rows (batch),
    .null_count = 0,
    .offset = 0,
    .n_buffers = 1,
    .n_children = n_columns,
    .buffers = priv->buffers,
    .children = priv->children,
    .dictionary = NULL,
    .release = release_exported_array,
    .private_data = priv,
  };
}

/**
 * setl_column_export_to_c: (skip)
 * @self: a #SetlColumn
 * @field: (nullable): the column's field, for the schema's name,
 *   nullability and time zone; %NULL for a nameless nullable column
 * @out_array: (out caller-allocates): an `ArrowArray` to fill
 * @out_schema: (out caller-allocates) (nullable): an `ArrowSchema` to fill,
 *   or %NULL
 *
 * Exports @self without copying its buffers. The consumer must call the
 * `release` callbacks of @out_array and @out_schema once done with them.
 */
void
setl_column_export_to_c (SetlColumn         *self,
                         SetlField          *field,
                         struct ArrowArray  *out_array,
                         struct ArrowSchema *out_schema)
{
  g_return_if_fail (SETL_IS_COLUMN (self));
  g_return_if_fail (field == NULL || SETL_IS_FIELD (field));
  g_return_if_fail (field == NULL ||
                    setl_field_get_data_type (field) == setl_column_get_data_type (self));
  g_return_if_fail (out_array != NULL);

  export_column_array (self, out_array);
  if (out_schema != NULL)
    export_field_schema (field, setl_column_get_data_type (self), out_schema);
}

/**
 * setl_record_batch_export_to_c: (skip)
 * @self: a #SetlRecordBatch
 * @out_array: (out caller-allocates): an `ArrowArray` to fill
 * @out_schema: (out caller-allocates) (nullable): an `ArrowSchema` to fill,
 *   or %NULL
 *
 * Exports @self as a struct array whose children are its columns, without
 * copying any buffer. Releasing @out_array releases its children.
 */
void
setl_record_batch_export_to_c (SetlRecordBatch    *self,
                               struct ArrowArray  *out_array,
                               struct ArrowSchema *out_schema)
{
  g_return_if_fail (SETL_IS_RECORD_BATCH (self));
  g_return_if_fail (out_array != NULL);

  export_batch_array (self, out_array);
  if (out_schema != NULL)
    export_struct_schema (_setl_record_batch_get_field_array (self), out_schema);
}

/**
 * setl_record_batch_export_to_c_address:
 * @self: a #SetlRecordBatch
 * @array_address: the address of an `ArrowArray` to fill
 * @schema_address: the address of an `ArrowSchema` to fill, or 0
 *
 * setl_record_batch_export_to_c() for bindings, which hold the structs by
 * address (pyarrow: `pa.RecordBatch._import_from_c(array, schema)`).
 */
void
setl_record_batch_export_to_c_address (SetlRecordBatch *self,
                                       guintptr         array_address,
                                       guintptr         schema_address)
{
  g_return_if_fail (array_address != 0);
  setl_record_batch_export_to_c (self, (struct ArrowArray *) array_address,
                                 (struct ArrowSchema *) schema_address);
}

/* ---------------------------------------------------------------------- */
/* Export: streams                                                         */

typedef struct {
  SetlTable *table;
  guint next_batch;
} ExportedStream;

static int
exported_stream_get_schema (struct ArrowArrayStream *stream,
                            struct ArrowSchema      *out)
{
  ExportedStream *priv = stream->private_data;

  if (stream->release == NULL || out == NULL)
    return EINVAL;
  export_struct_schema (_setl_table_get_field_array (priv->table), out);
  return 0;
}

static int
exported_stream_get_next (struct ArrowArrayStream *stream,
                          struct ArrowArray       *out)
{
  ExportedStream *priv = stream->private_data;

  if (stream->release == NULL || out == NULL)
    return EINVAL;
  if (priv->next_batch < setl_table_get_n_batches (priv->table))
    export_batch_array (setl_table_get_batch (priv->table, priv->next_batch++), out);
  else
    memset (out, 0, sizeof *out);   /* released: the end of the stream */
  return 0;
}

static const char *
exported_stream_get_last_error (struct ArrowArrayStream *stream)
{
  /* Exporting a table cannot fail, so there is never an error to tell. */
  return NULL;
}

static void
release_exported_stream (struct ArrowArrayStream *stream)
{
  ExportedStream *priv;

  if (stream->release == NULL)
    return;
  priv = stream->private_data;
  g_clear_object (&priv->table);
  g_free (priv);
  stream->release = NULL;
  stream->private_data = NULL;
}

/**
 * setl_table_export_to_c_stream: (skip)
 * @self: a #SetlTable
 * @out_stream: (out caller-allocates): an `ArrowArrayStream` to fill
 *
 * Exports @self as a stream of its record batches (struct arrays), without
 * copying any buffer. The stream keeps a reference on @self until released;
 * each array it gives keeps its own references, so arrays may outlive the
 * stream.
 */
void
setl_table_export_to_c_stream (SetlTable               *self,
                               struct ArrowArrayStream *out_stream)
{
  ExportedStream *priv;

  g_return_if_fail (SETL_IS_TABLE (self));
  g_return_if_fail (out_stream != NULL);

  priv = g_new0 (ExportedStream, 1);
  priv->table = g_object_ref (self);
  *out_stream = (struct ArrowArrayStream) {
    .get_schema = exported_stream_get_schema,
    .get_next = exported_stream_get_next,
    .get_last_error = exported_stream_get_last_error,
    .release = release_exported_stream,
    .private_data = priv,
  };
}

/**
 * setl_table_export_to_c_stream_address:
 * @self: a #SetlTable
 * @stream_address: the address of an `ArrowArrayStream` to fill
 *
 * setl_table_export_to_c_stream() for bindings, which hold the struct by
 * address (pyarrow: `pa.RecordBatchReader._import_from_c(address)`).
 */
void
setl_table_export_to_c_stream_address (SetlTable *self,
                                       guintptr   stream_address)
{
  g_return_if_fail (stream_address != 0);
  setl_table_export_to_c_stream (self, (struct ArrowArrayStream *) stream_address);
}

/* ---------------------------------------------------------------------- */
/* Import                                                                  */

/* A moved-in ArrowArray, released once the last buffer wrapping its
 * memory (or a child's) is finalized. */
typedef struct {
  struct ArrowArray array;
} ImportedArray;

static void
imported_array_clear (gpointer data)
{
  ImportedArray *imported = data;

  if (imported->array.release != NULL)
    imported->array.release (&imported->array);
}

static void
imported_array_unref (gpointer data)
{
  g_atomic_rc_box_release_full (data, imported_array_clear);
}

static ImportedArray *
imported_array_new (struct ArrowArray *array)
{
  ImportedArray *imported = g_atomic_rc_box_new0 (ImportedArray);

  /* Move: the caller's struct is released from now on. */
  imported->array = *array;
  array->release = NULL;
  return imported;
}

static GBytes *
wrap_buffer (ImportedArray *imported,
             const void    *data,
             gsize          size)
{
  if (data == NULL)
    return g_bytes_new (NULL, 0);
  return g_bytes_new_with_free_func (data, size, imported_array_unref,
                                     g_atomic_rc_box_acquire (imported));
}

static void
release_schema (struct ArrowSchema *schema)
{
  if (schema != NULL && schema->release != NULL)
    schema->release (schema);
}

static SetlField *
field_from_schema (const struct ArrowSchema  *schema,
                   GError                   **error)
{
  const char *format = schema->format ? schema->format : "";
  const char *name = schema->name ? schema->name : "";
  gboolean nullable = (schema->flags & ARROW_FLAG_NULLABLE) != 0;
  SetlDataType type;

  if (schema->dictionary != NULL)
    {
      g_set_error (error, SETL_DATA_ERROR, SETL_DATA_ERROR_UNSUPPORTED,
                   "Column “%s” is dictionary-encoded, which libsetl does not "
                   "import yet", name);
      return NULL;
    }

  if (g_str_equal (format, "b"))
    type = SETL_DATA_TYPE_BOOL;
  else if (g_str_equal (format, "l"))
    type = SETL_DATA_TYPE_INT64;
  else if (g_str_equal (format, "g"))
    type = SETL_DATA_TYPE_DOUBLE;
  else if (g_str_equal (format, "u"))
    type = SETL_DATA_TYPE_STRING;
  else if (g_str_equal (format, "tdD"))
    type = SETL_DATA_TYPE_DATE32;
  else if (g_str_has_prefix (format, "tsu:"))
    return setl_field_new_timestamp (name, nullable, format + 4);
  else
    {
      g_set_error (error, SETL_DATA_ERROR, SETL_DATA_ERROR_UNSUPPORTED,
                   "Column “%s” has Arrow format “%s”; libsetl imports b, l, "
                   "g, u, tdD and tsu:[zone]", name, format);
      return NULL;
    }

  if (schema->n_children != 0)
    {
      g_set_error (error, SETL_DATA_ERROR, SETL_DATA_ERROR_ARROW,
                   "Column “%s” of format “%s” has %" G_GINT64_FORMAT
                   " children in its schema, expected none",
                   name, format, (gint64) schema->n_children);
      return NULL;
    }
  return setl_field_new (name, type, nullable);
}

/* Makes a column of rows [@offset, @offset + @length) of @array's buffers:
 * @offset includes the array's own offset and its parent's, if any. */
static SetlColumn *
import_column (ImportedArray            *imported,
               const struct ArrowArray  *array,
               SetlField                *field,
               gint64                    offset,
               gint64                    length,
               GError                  **error)
{
  SetlDataType type = setl_field_get_data_type (field);
  const char *name = setl_field_get_name (field);
  gint64 n_buffers = type == SETL_DATA_TYPE_STRING ? 3 : 2;
  gint64 end = offset + length;
  g_autoptr(GBytes) validity = NULL;
  g_autoptr(GBytes) values = NULL;
  g_autoptr(GBytes) data = NULL;
  gsize values_size;

  if (array->release == NULL)
    {
      g_set_error (error, SETL_DATA_ERROR, SETL_DATA_ERROR_ARROW,
                   "Column “%s” is an ArrowArray already released", name);
      return NULL;
    }
  if (array->n_buffers != n_buffers || array->buffers == NULL ||
      array->n_children != 0 || array->dictionary != NULL)
    {
      g_set_error (error, SETL_DATA_ERROR, SETL_DATA_ERROR_ARROW,
                   "Column “%s” (%s) has %" G_GINT64_FORMAT " buffers and %"
                   G_GINT64_FORMAT " children; expected %" G_GINT64_FORMAT
                   " buffers and no children", name, setl_data_type_to_string (type),
                   (gint64) array->n_buffers, (gint64) array->n_children, n_buffers);
      return NULL;
    }
  if (array->offset < 0 || array->length < 0 || length < 0 || offset < array->offset ||
      end > array->offset + array->length)
    {
      g_set_error (error, SETL_DATA_ERROR, SETL_DATA_ERROR_ARROW,
                   "Column “%s” has offset %" G_GINT64_FORMAT " and length %"
                   G_GINT64_FORMAT ", too short for rows %" G_GINT64_FORMAT
                   " to %" G_GINT64_FORMAT, name, (gint64) array->offset,
                   (gint64) array->length, offset, end);
      return NULL;
    }

  if (array->buffers[0] != NULL)
    validity = wrap_buffer (imported, array->buffers[0], (gsize) (end + 7) / 8);
  else if (array->null_count != 0)
    {
      g_set_error (error, SETL_DATA_ERROR, SETL_DATA_ERROR_ARROW,
                   "Column “%s” has a null count of %" G_GINT64_FORMAT
                   " but no validity bitmap", name, (gint64) array->null_count);
      return NULL;
    }

  switch (type)
    {
    case SETL_DATA_TYPE_BOOL:
      values_size = (gsize) (end + 7) / 8;
      break;
    case SETL_DATA_TYPE_DATE32:
      values_size = (gsize) end * 4;
      break;
    case SETL_DATA_TYPE_STRING:
      values_size = (gsize) (end + 1) * 4;
      break;
    default:
      values_size = (gsize) end * 8;
    }
  /* Only an empty array may leave its values (or offsets) buffer out. */
  if (array->buffers[1] == NULL && end > 0)
    {
      g_set_error (error, SETL_DATA_ERROR, SETL_DATA_ERROR_ARROW,
                   "Column “%s” has no %s buffer", name,
                   type == SETL_DATA_TYPE_STRING ? "offsets" : "values");
      return NULL;
    }
  values = wrap_buffer (imported, array->buffers[1], values_size);

  if (type == SETL_DATA_TYPE_STRING)
    {
      const gint32 *offsets = array->buffers[1];
      gsize data_size = 0;

      /* Foreign offsets are checked once here, so that the accessors can
       * trust them without bounds checks. */
      if (offsets != NULL && length > 0)
        {
          if (offsets[offset] < 0)
            {
              g_set_error (error, SETL_DATA_ERROR, SETL_DATA_ERROR_ARROW,
                           "Column “%s” has a negative string offset at row %"
                           G_GINT64_FORMAT, name, offset);
              return NULL;
            }
          for (gint64 i = offset; i < end; i++)
            if (offsets[i + 1] < offsets[i])
              {
                g_set_error (error, SETL_DATA_ERROR, SETL_DATA_ERROR_ARROW,
                             "Column “%s” has decreasing string offsets at row %"
                             G_GINT64_FORMAT, name, i);
                return NULL;
              }
          data_size = (gsize) offsets[end];
        }
      if (array->buffers[2] == NULL && data_size > 0)
        {
          g_set_error (error, SETL_DATA_ERROR, SETL_DATA_ERROR_ARROW,
                       "Column “%s” has string offsets but no data buffer", name);
          return NULL;
        }
      data = wrap_buffer (imported, array->buffers[2], data_size);
    }

  return _setl_column_new_take (type, length, offset, -1,
                                g_steal_pointer (&validity),
                                g_steal_pointer (&values),
                                g_steal_pointer (&data));
}

/**
 * setl_column_import_from_c: (skip)
 * @array: an `ArrowArray`, moved into libsetl
 * @schema: its `ArrowSchema`, released here
 * @out_field: (out) (optional) (transfer full): the field the schema
 *   describes (name, nullability, time zone)
 * @error: return location for a #GError
 *
 * Imports a column without copying its buffers: the column points into the
 * producer's memory and calls @array's `release` when it (and every slice
 * of it) is finalized. @array and @schema are consumed even on failure.
 *
 * Returns: (transfer full): the column, or %NULL with
 *   %SETL_DATA_ERROR_UNSUPPORTED for a type libsetl does not hold or
 *   %SETL_DATA_ERROR_ARROW for a malformed array
 */
SetlColumn *
setl_column_import_from_c (struct ArrowArray   *array,
                           struct ArrowSchema  *schema,
                           SetlField          **out_field,
                           GError             **error)
{
  g_autoptr(SetlField) field = NULL;
  ImportedArray *imported = NULL;
  SetlColumn *column = NULL;

  g_return_val_if_fail (array != NULL, NULL);
  g_return_val_if_fail (schema != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (array->release == NULL || schema->release == NULL)
    {
      g_set_error (error, SETL_DATA_ERROR, SETL_DATA_ERROR_ARROW,
                   "Cannot import an Arrow %s already released",
                   array->release == NULL ? "array" : "schema");
      goto out;
    }

  imported = imported_array_new (array);
  field = field_from_schema (schema, error);
  if (field == NULL)
    goto out;
  column = import_column (imported, &imported->array, field,
                          imported->array.offset, imported->array.length, error);

out:
  if (array->release != NULL)
    array->release (array);
  release_schema (schema);
  if (imported != NULL)
    imported_array_unref (imported);
  if (column != NULL && out_field != NULL)
    *out_field = g_steal_pointer (&field);
  return column;
}

static GPtrArray *
fields_from_struct_schema (const struct ArrowSchema  *schema,
                           GError                   **error)
{
  g_autoptr(GPtrArray) fields = NULL;

  if (schema->format == NULL || !g_str_equal (schema->format, "+s"))
    {
      g_set_error (error, SETL_DATA_ERROR, SETL_DATA_ERROR_ARROW,
                   "A record batch must be a struct array (format “+s”), not “%s”",
                   schema->format ? schema->format : "");
      return NULL;
    }
  if (schema->n_children < 0 || schema->n_children > G_MAXINT ||
      (schema->n_children > 0 && schema->children == NULL))
    {
      g_set_error (error, SETL_DATA_ERROR, SETL_DATA_ERROR_ARROW,
                   "A struct schema has %" G_GINT64_FORMAT " children",
                   (gint64) schema->n_children);
      return NULL;
    }

  fields = g_ptr_array_new_full ((guint) schema->n_children, g_object_unref);
  for (gint64 i = 0; i < schema->n_children; i++)
    {
      SetlField *field = field_from_schema (schema->children[i], error);

      if (field == NULL)
        return NULL;
      g_ptr_array_add (fields, field);
    }
  return g_steal_pointer (&fields);
}

/* Moves @array in and makes a batch of it. */
static SetlRecordBatch *
import_batch (struct ArrowArray  *array,
              GPtrArray          *fields,
              GError            **error)
{
  g_autoptr(GPtrArray) columns = NULL;
  ImportedArray *imported;
  const struct ArrowArray *parent;
  SetlRecordBatch *batch = NULL;

  if (array->release == NULL)
    {
      g_set_error (error, SETL_DATA_ERROR, SETL_DATA_ERROR_ARROW,
                   "Cannot import an Arrow array already released");
      return NULL;
    }

  imported = imported_array_new (array);
  parent = &imported->array;

  if (parent->n_children != (gint64) fields->len ||
      (parent->n_children > 0 && parent->children == NULL))
    {
      g_set_error (error, SETL_DATA_ERROR, SETL_DATA_ERROR_ARROW,
                   "A struct array has %" G_GINT64_FORMAT " children but its "
                   "schema %u", (gint64) parent->n_children, fields->len);
      goto out;
    }
  if (parent->length < 0 || parent->offset < 0)
    {
      g_set_error (error, SETL_DATA_ERROR, SETL_DATA_ERROR_ARROW,
                   "A struct array has length %" G_GINT64_FORMAT " and offset %"
                   G_GINT64_FORMAT, (gint64) parent->length, (gint64) parent->offset);
      goto out;
    }
  /* Rows of a record batch are never null themselves; only values are. */
  if (parent->n_buffers >= 1 && parent->buffers != NULL && parent->buffers[0] != NULL &&
      parent->null_count != 0 &&
      _setl_bitmap_count_set (parent->buffers[0], parent->offset, parent->length) != parent->length)
    {
      g_set_error (error, SETL_DATA_ERROR, SETL_DATA_ERROR_UNSUPPORTED,
                   "A struct array with null rows cannot be a record batch");
      goto out;
    }

  columns = g_ptr_array_new_full (fields->len, g_object_unref);
  for (guint i = 0; i < fields->len; i++)
    {
      const struct ArrowArray *child = parent->children[i];
      SetlColumn *column;

      if (child == NULL)
        {
          g_set_error (error, SETL_DATA_ERROR, SETL_DATA_ERROR_ARROW,
                       "Child %u of a struct array is missing", i);
          goto out;
        }

      /* A struct's offset applies to its children on top of their own. */
      column = import_column (imported, child, g_ptr_array_index (fields, i),
                              child->offset + parent->offset, parent->length, error);
      if (column == NULL)
        goto out;
      g_ptr_array_add (columns, column);
    }

  if (!_setl_record_batch_validate (fields, columns, error))
    goto out;
  batch = _setl_record_batch_new_take (g_ptr_array_ref (fields),
                                       g_steal_pointer (&columns), parent->length);

out:
  imported_array_unref (imported);
  return batch;
}

/**
 * setl_record_batch_import_from_c: (skip)
 * @array: a struct `ArrowArray`, moved into libsetl
 * @schema: its `ArrowSchema` (format `+s`), released here
 * @error: return location for a #GError
 *
 * Imports a record batch from a struct array without copying its buffers.
 * @array's `release` is called when the last column made from it is
 * finalized. @array and @schema are consumed even on failure.
 *
 * Returns: (transfer full): the batch, or %NULL with
 *   %SETL_DATA_ERROR_UNSUPPORTED, %SETL_DATA_ERROR_ARROW or
 *   %SETL_DATA_ERROR_INVALID naming the column at fault
 */
SetlRecordBatch *
setl_record_batch_import_from_c (struct ArrowArray   *array,
                                 struct ArrowSchema  *schema,
                                 GError             **error)
{
  g_autoptr(GPtrArray) fields = NULL;
  SetlRecordBatch *batch = NULL;

  g_return_val_if_fail (array != NULL, NULL);
  g_return_val_if_fail (schema != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (schema->release == NULL)
    g_set_error (error, SETL_DATA_ERROR, SETL_DATA_ERROR_ARROW,
                 "Cannot import an Arrow schema already released");
  else if ((fields = fields_from_struct_schema (schema, error)) != NULL)
    batch = import_batch (array, fields, error);

  if (array->release != NULL)
    array->release (array);
  release_schema (schema);
  return batch;
}

/**
 * setl_record_batch_import_from_c_address:
 * @array_address: the address of a struct `ArrowArray`, moved into libsetl
 * @schema_address: the address of its `ArrowSchema`, released here
 * @error: return location for a #GError
 *
 * setl_record_batch_import_from_c() for bindings, which hold the structs
 * by address (pyarrow: `batch._export_to_c(array, schema)`).
 *
 * Returns: (transfer full): the batch, or %NULL with an error
 */
SetlRecordBatch *
setl_record_batch_import_from_c_address (guintptr   array_address,
                                         guintptr   schema_address,
                                         GError   **error)
{
  g_return_val_if_fail (array_address != 0, NULL);
  g_return_val_if_fail (schema_address != 0, NULL);
  return setl_record_batch_import_from_c ((struct ArrowArray *) array_address,
                                          (struct ArrowSchema *) schema_address, error);
}

static void
set_stream_error (GError                 **error,
                  struct ArrowArrayStream *stream,
                  const char              *what,
                  int                      code)
{
  const char *detail = stream->get_last_error ? stream->get_last_error (stream) : NULL;

  g_set_error (error, SETL_DATA_ERROR, SETL_DATA_ERROR_ARROW,
               "The Arrow stream failed to give its %s: %s (%s)", what,
               detail ? detail : "no details", g_strerror (code));
}

/**
 * setl_table_import_from_c_stream: (skip)
 * @stream: an `ArrowArrayStream` of struct arrays, moved into libsetl
 * @error: return location for a #GError
 *
 * Reads @stream to its end and makes a table of its batches, without
 * copying their buffers. @stream is released before returning, even on
 * failure; the batches' arrays are released when their columns are.
 *
 * Returns: (transfer full): the table, or %NULL with a %SETL_DATA_ERROR
 */
SetlTable *
setl_table_import_from_c_stream (struct ArrowArrayStream  *stream,
                                 GError                  **error)
{
  struct ArrowArrayStream moved;
  struct ArrowSchema schema = { 0 };
  g_autoptr(GPtrArray) fields = NULL;
  g_autoptr(GPtrArray) batches = NULL;
  SetlTable *table = NULL;
  int code;

  g_return_val_if_fail (stream != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (stream->release == NULL)
    {
      g_set_error (error, SETL_DATA_ERROR, SETL_DATA_ERROR_ARROW,
                   "Cannot import an Arrow stream already released");
      return NULL;
    }
  moved = *stream;
  stream->release = NULL;

  code = moved.get_schema (&moved, &schema);
  if (code != 0)
    {
      set_stream_error (error, &moved, "schema", code);
      goto out;
    }
  fields = fields_from_struct_schema (&schema, error);
  release_schema (&schema);
  if (fields == NULL)
    goto out;

  batches = g_ptr_array_new_with_free_func (g_object_unref);
  for (;;)
    {
      struct ArrowArray array = { 0 };
      SetlRecordBatch *batch;

      code = moved.get_next (&moved, &array);
      if (code != 0)
        {
          g_autofree char *what = g_strdup_printf ("batch %u", batches->len);
          set_stream_error (error, &moved, what, code);
          goto out;
        }
      if (array.release == NULL)
        break;
      batch = import_batch (&array, fields, error);
      if (array.release != NULL)
        array.release (&array);
      if (batch == NULL)
        {
          g_prefix_error (error, "Batch %u of the Arrow stream: ", batches->len);
          goto out;
        }
      g_ptr_array_add (batches, batch);
    }

  table = _setl_table_new_take (g_steal_pointer (&fields), g_steal_pointer (&batches));

out:
  moved.release (&moved);
  return table;
}

/**
 * setl_table_import_from_c_stream_address:
 * @stream_address: the address of an `ArrowArrayStream`, moved into libsetl
 * @error: return location for a #GError
 *
 * setl_table_import_from_c_stream() for bindings, which hold the struct by
 * address (pyarrow: `reader._export_to_c(address)`).
 *
 * Returns: (transfer full): the table, or %NULL with an error
 */
SetlTable *
setl_table_import_from_c_stream_address (guintptr   stream_address,
                                         GError   **error)
{
  g_return_val_if_fail (stream_address != 0, NULL);
  return setl_table_import_from_c_stream ((struct ArrowArrayStream *) stream_address, error);
}
