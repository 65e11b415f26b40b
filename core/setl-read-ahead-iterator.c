/* setl-read-ahead-iterator.c: a pass over a stream whose next batches are
 * read on another thread while the consumer works on the current one.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/**
 * SetlReadAheadIterator:
 *
 * Wraps a #SetlBatchIterator so that its next batches are produced (read,
 * parsed, transformed upstream) on a thread of their own while the
 * consumer works on the current one: with two cores, producing and
 * consuming overlap. A validator checking batches, a sink formatting
 * rows, any consumer that does real work on each batch gains from it; a
 * consumer that does nothing gains nothing and loses little (a hand-over
 * per batch).
 *
 * The reader keeps at most @depth batches ahead, so memory stays bounded:
 * the consumer's batch plus @depth. Batches, errors and the end come out
 * in the source's order, and only the reader thread uses the source, from
 * its first batch to its end, inside the job group that was current when
 * the iterator was made (setl_job_group_get_current()), so that what the
 * source does is attributed as if the caller had done it. Dropping the
 * iterator stops the reader (after the batch it is reading).
 *
 * |[<!-- language="C" -->
 * g_autoptr(SetlBatchIterator) it =
 *   setl_batch_stream_open_read_ahead (stream, 2, cancellable, &error);
 * SetlRecordBatch *batch;
 *
 * while (it != NULL && (batch = setl_batch_iterator_next (it, cancellable, &error)) != NULL)
 *   {
 *     consume (batch);
 *     g_object_unref (batch);
 *   }
 * ]|
 *
 * On a machine with one processor, setl_batch_stream_open_read_ahead()
 * returns the stream's own iterator: there is no second core to read on.
 */
#include "setl-read-ahead-iterator.h"
#include "setl-job-group.h"

typedef struct {
  SetlRecordBatch *batch;   /* NULL: the end, or @error */
  GError *error;
} Item;

struct _SetlReadAheadIterator
{
  SetlBatchIterator parent_instance;

  SetlBatchIterator *source;
  GCancellable *cancellable;
  SetlJobGroup *job_group;
  guint depth;

  GMutex lock;
  GCond cond;
  GQueue items;             /* (element-type Item) */
  gboolean stop;            /* the consumer is gone */
  GThread *thread;
};

G_DEFINE_FINAL_TYPE (SetlReadAheadIterator, setl_read_ahead_iterator, SETL_TYPE_BATCH_ITERATOR)

static void
item_free (gpointer data)
{
  Item *item = data;

  g_clear_object (&item->batch);
  g_clear_error (&item->error);
  g_free (item);
}

static gpointer
reader (gpointer data)
{
  SetlReadAheadIterator *self = data;
  SetlJobGroupScope *scope = self->job_group ? setl_job_group_scope_enter (self->job_group) : NULL;

  for (;;)
    {
      Item *item = g_new0 (Item, 1);
      gboolean end;

      g_mutex_lock (&self->lock);
      while (!self->stop && self->items.length >= self->depth)
        g_cond_wait (&self->cond, &self->lock);
      if (self->stop)
        {
          g_mutex_unlock (&self->lock);
          g_free (item);
          break;
        }
      g_mutex_unlock (&self->lock);

      item->batch = setl_batch_iterator_next (self->source, self->cancellable, &item->error);
      /* Read before queueing: once queued, the item is the consumer's. */
      end = item->batch == NULL;

      g_mutex_lock (&self->lock);
      g_queue_push_tail (&self->items, item);
      g_cond_broadcast (&self->cond);
      g_mutex_unlock (&self->lock);
      if (end)
        break;
    }
  if (scope != NULL)
    setl_job_group_scope_leave (scope);
  return NULL;
}

static SetlRecordBatch *
setl_read_ahead_iterator_next (SetlBatchIterator  *iterator,
                               GCancellable       *cancellable,
                               GError            **error)
{
  SetlReadAheadIterator *self = SETL_READ_AHEAD_ITERATOR (iterator);
  SetlRecordBatch *batch;
  Item *item;

  g_mutex_lock (&self->lock);
  while (self->items.length == 0)
    g_cond_wait (&self->cond, &self->lock);
  item = g_queue_pop_head (&self->items);
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->lock);
  /* The end or an error is the reader's last item; the base class
   * remembers it and asks no more. */
  if (item->error != NULL)
    g_propagate_error (error, g_steal_pointer (&item->error));
  batch = g_steal_pointer (&item->batch);
  item_free (item);
  return batch;
}

static void
setl_read_ahead_iterator_finalize (GObject *object)
{
  SetlReadAheadIterator *self = SETL_READ_AHEAD_ITERATOR (object);

  g_mutex_lock (&self->lock);
  self->stop = TRUE;
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->lock);
  g_thread_join (self->thread);
  g_queue_clear_full (&self->items, item_free);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->cond);
  g_clear_pointer (&self->job_group, setl_job_group_unref);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->source);
  G_OBJECT_CLASS (setl_read_ahead_iterator_parent_class)->finalize (object);
}

static void
setl_read_ahead_iterator_class_init (SetlReadAheadIteratorClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = setl_read_ahead_iterator_finalize;
  SETL_BATCH_ITERATOR_CLASS (klass)->next = setl_read_ahead_iterator_next;
}

static void
setl_read_ahead_iterator_init (SetlReadAheadIterator *self)
{
  g_mutex_init (&self->lock);
  g_cond_init (&self->cond);
  g_queue_init (&self->items);
}

/**
 * setl_read_ahead_iterator_new:
 * @source: (transfer none): the iterator to read ahead of; from now on,
 *   only the returned iterator's reader thread may use it
 * @depth: how many batches may wait, read, for the consumer (at least 1)
 * @cancellable: (nullable): cancels the reading
 *
 * Starts a thread that reads @source's batches ahead of the consumer.
 *
 * Returns: (transfer full): an iterator giving @source's batches, errors
 *   and end in order
 */
SetlBatchIterator *
setl_read_ahead_iterator_new (SetlBatchIterator *source,
                              guint              depth,
                              GCancellable      *cancellable)
{
  SetlReadAheadIterator *self;
  SetlJobGroup *group = setl_job_group_get_current ();

  g_return_val_if_fail (SETL_IS_BATCH_ITERATOR (source), NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);

  self = g_object_new (SETL_TYPE_READ_AHEAD_ITERATOR, NULL);
  self->source = g_object_ref (source);
  self->cancellable = cancellable ? g_object_ref (cancellable) : NULL;
  self->job_group = group ? setl_job_group_ref (group) : NULL;
  self->depth = MAX (depth, 1);
  self->thread = g_thread_new ("setl-read-ahead", reader, self);
  return SETL_BATCH_ITERATOR (self);
}

/**
 * setl_batch_stream_open_read_ahead:
 * @stream: a #SetlBatchStream
 * @depth: how many batches may be read ahead of the consumer (at least 1)
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Like setl_batch_stream_open(), with the pass's next batches read on
 * another thread while the caller works on the current one (see
 * #SetlReadAheadIterator) when the machine has more than one processor.
 *
 * Returns: (transfer full): the pass, or %NULL with @error set
 */
SetlBatchIterator *
setl_batch_stream_open_read_ahead (SetlBatchStream  *stream,
                                   guint             depth,
                                   GCancellable     *cancellable,
                                   GError          **error)
{
  g_autoptr(SetlBatchIterator) source = NULL;

  g_return_val_if_fail (SETL_IS_BATCH_STREAM (stream), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  source = setl_batch_stream_open (stream, cancellable, error);
  if (source == NULL)
    return NULL;
  if (g_get_num_processors () < 2)
    return g_steal_pointer (&source);
  return setl_read_ahead_iterator_new (source, depth, cancellable);
}
