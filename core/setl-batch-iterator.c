/* setl-batch-iterator.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/**
 * SetlBatchIterator:
 *
 * One pass over a #SetlBatchStream: each call to setl_batch_iterator_next()
 * returns the next #SetlRecordBatch, until %NULL marks the end. Only the
 * batch being handled needs to be in memory, which is how a pipeline reads,
 * transforms and writes a file of any size in bounded memory.
 *
 * |[<!-- language="C" -->
 * g_autoptr(SetlBatchIterator) it = setl_batch_stream_open (stream, cancellable, error);
 * SetlRecordBatch *batch;
 *
 * if (it == NULL)
 *   return FALSE;
 * while ((batch = setl_batch_iterator_next (it, cancellable, error)) != NULL)
 *   {
 *     write_batch (batch);
 *     g_object_unref (batch);
 *   }
 * return !setl_batch_iterator_is_finished (it) ? FALSE : TRUE;  // error set if failed
 * ]|
 *
 * Implementations subclass it and override `next`. The base class makes the
 * end and failures sticky: once `next` has returned %NULL, later calls
 * return %NULL without calling the implementation again.
 */
#include "setl-batch-iterator.h"

typedef struct
{
  gboolean finished;   /* reached the end */
  gboolean failed;     /* an error ended the pass */
} SetlBatchIteratorPrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (SetlBatchIterator, setl_batch_iterator, G_TYPE_OBJECT)

static void
setl_batch_iterator_class_init (SetlBatchIteratorClass *klass)
{
}

static void
setl_batch_iterator_init (SetlBatchIterator *self)
{
}

/**
 * setl_batch_iterator_next:
 * @self: a #SetlBatchIterator
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the next batch, or %NULL at the end
 *   (with @error unset) or on failure (with @error set)
 */
SetlRecordBatch *
setl_batch_iterator_next (SetlBatchIterator  *self,
                          GCancellable       *cancellable,
                          GError            **error)
{
  SetlBatchIteratorPrivate *priv = setl_batch_iterator_get_instance_private (self);
  SetlRecordBatch *batch;
  GError *local = NULL;

  g_return_val_if_fail (SETL_IS_BATCH_ITERATOR (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (priv->finished || priv->failed)
    return NULL;
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    {
      priv->failed = TRUE;
      return NULL;
    }

  batch = SETL_BATCH_ITERATOR_GET_CLASS (self)->next (self, cancellable, &local);
  if (local != NULL)
    {
      g_clear_object (&batch);
      priv->failed = TRUE;
      g_propagate_error (error, local);
      return NULL;
    }
  if (batch == NULL)
    priv->finished = TRUE;
  return batch;
}

/**
 * setl_batch_iterator_is_finished:
 * @self: a #SetlBatchIterator
 *
 * Returns: %TRUE once the iterator has reached the end of its stream (not
 *   after a failure)
 */
gboolean
setl_batch_iterator_is_finished (SetlBatchIterator *self)
{
  SetlBatchIteratorPrivate *priv = setl_batch_iterator_get_instance_private (self);

  g_return_val_if_fail (SETL_IS_BATCH_ITERATOR (self), FALSE);
  return priv->finished;
}
