/* setl-batch-stream.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/**
 * SetlBatchStream:
 *
 * Tabular data that can be read batch by batch, from the start, as many
 * times as needed: the payload data factories exchange. Declare slots and
 * outputs of type %SETL_TYPE_BATCH_STREAM:
 *
 * |[<!-- language="C" -->
 * setl_factory_class_set_output_type (factory_class, SETL_TYPE_BATCH_STREAM);
 * setl_factory_add_input (factory, "in", SETL_TYPE_BATCH_STREAM, SETL_TYPE_EXTERNAL, NULL);
 * ]|
 *
 * A #SetlTable is a stream over batches already in memory. A streaming
 * source (a CSV file, say) is a stream whose batches are produced while its
 * consumer reads them: each setl_batch_stream_open() starts a new pass, so
 * two consumers each read the file, and neither holds more than the batch in
 * hand. A streaming transform wraps its input stream and transforms each
 * batch as it passes. Rows flow when the last factory of the chain — a sink —
 * pulls them; the work happens in that factory's phases and job group.
 *
 * setl_batch_stream_collect() materialises a stream as a #SetlTable when a
 * factory needs all the rows at once (a sort, say).
 */
#include "setl-batch-stream.h"
#include "setl-data-type.h"

G_DEFINE_INTERFACE (SetlBatchStream, setl_batch_stream, G_TYPE_OBJECT)

static void
setl_batch_stream_default_init (SetlBatchStreamInterface *iface)
{
}

/**
 * setl_batch_stream_get_fields:
 * @self: a #SetlBatchStream
 * @n_fields: (out): the number of fields
 *
 * Returns: (array length=n_fields) (transfer none): the fields of every
 *   batch of the stream
 */
SetlField **
setl_batch_stream_get_fields (SetlBatchStream *self,
                              guint           *n_fields)
{
  g_return_val_if_fail (SETL_IS_BATCH_STREAM (self), NULL);
  g_return_val_if_fail (n_fields != NULL, NULL);

  return SETL_BATCH_STREAM_GET_IFACE (self)->get_fields (self, n_fields);
}

/**
 * setl_batch_stream_open:
 * @self: a #SetlBatchStream
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Starts a new pass over the stream's data.
 *
 * Returns: (transfer full) (nullable): an iterator, or %NULL with @error set
 */
SetlBatchIterator *
setl_batch_stream_open (SetlBatchStream  *self,
                        GCancellable     *cancellable,
                        GError          **error)
{
  SetlBatchIterator *it;

  g_return_val_if_fail (SETL_IS_BATCH_STREAM (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;
  it = SETL_BATCH_STREAM_GET_IFACE (self)->open (self, cancellable, error);
  g_return_val_if_fail (it != NULL || error == NULL || *error != NULL, NULL);
  return it;
}

/**
 * setl_batch_stream_collect:
 * @self: a #SetlBatchStream
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Reads the whole stream into a table. A #SetlTable is returned as it is.
 *
 * Returns: (transfer full) (nullable): the table, or %NULL with @error set
 */
SetlTable *
setl_batch_stream_collect (SetlBatchStream  *self,
                           GCancellable     *cancellable,
                           GError          **error)
{
  g_autoptr(SetlBatchIterator) it = NULL;
  g_autoptr(GPtrArray) batches = NULL;
  SetlRecordBatch *batch;
  SetlField **fields;
  GError *local = NULL;
  guint n_fields;

  g_return_val_if_fail (SETL_IS_BATCH_STREAM (self), NULL);

  if (SETL_IS_TABLE (self))
    return g_object_ref (SETL_TABLE (self));

  it = setl_batch_stream_open (self, cancellable, error);
  if (it == NULL)
    return NULL;
  batches = g_ptr_array_new_with_free_func (g_object_unref);
  while ((batch = setl_batch_iterator_next (it, cancellable, &local)) != NULL)
    g_ptr_array_add (batches, batch);
  if (local != NULL)
    {
      g_propagate_error (error, local);
      return NULL;
    }
  fields = setl_batch_stream_get_fields (self, &n_fields);
  return setl_table_new (fields, n_fields, (SetlRecordBatch **) batches->pdata,
                         batches->len, error);
}
