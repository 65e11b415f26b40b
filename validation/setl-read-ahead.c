/* setl-read-ahead.c: reading a stream's next batches on another thread
 * while the current one is validated.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* Validating a batch and reading (parsing) the next one are independent:
 * with two cores, they overlap, and validation then costs the reading
 * little wall-clock time. A reader thread pulls up to `depth` batches ahead
 * of the validating thread; batches, errors and the end come out in the
 * stream's order. Only one thread at a time uses the iterator (the reader,
 * from start to end), in the caller's job group. */
#include "setl-validation-private.h"

typedef struct {
  SetlRecordBatch *batch;   /* NULL: the end, or @error */
  GError *error;
} Item;

struct _SetlReadAhead
{
  SetlBatchIterator *iterator;
  GCancellable *cancellable;
  SetlJobGroup *job_group;
  guint depth;

  GMutex lock;
  GCond cond;
  GQueue items;             /* (element-type Item) */
  gboolean stop;            /* the consumer is gone */
  GThread *thread;
};

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
  SetlReadAhead *self = data;
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

      item->batch = setl_batch_iterator_next (self->iterator, self->cancellable, &item->error);
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

/* Whether reading ahead can pay: a second core to read on. */
gboolean
_setl_read_ahead_worthwhile (void)
{
  return g_get_num_processors () > 1;
}

SetlReadAhead *
_setl_read_ahead_new (SetlBatchIterator *iterator,
                      GCancellable      *cancellable,
                      guint              depth)
{
  SetlReadAhead *self = g_new0 (SetlReadAhead, 1);
  SetlJobGroup *group = setl_job_group_get_current ();

  self->iterator = g_object_ref (iterator);
  self->cancellable = cancellable ? g_object_ref (cancellable) : NULL;
  self->job_group = group ? setl_job_group_ref (group) : NULL;
  self->depth = MAX (depth, 1);
  g_mutex_init (&self->lock);
  g_cond_init (&self->cond);
  g_queue_init (&self->items);
  self->thread = g_thread_new ("setl-read-ahead", reader, self);
  return self;
}

/* The next batch, in order; NULL at the end, or with @error set. */
SetlRecordBatch *
_setl_read_ahead_next (SetlReadAhead  *self,
                       GError        **error)
{
  Item *item;
  SetlRecordBatch *batch;

  g_mutex_lock (&self->lock);
  while (self->items.length == 0)
    g_cond_wait (&self->cond, &self->lock);
  item = g_queue_peek_head (&self->items);
  if (item->batch == NULL)
    {
      /* The end (or the error) stays queued: asking again gives the end. */
      if (item->error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&item->error));
          item->error = NULL;
        }
      g_mutex_unlock (&self->lock);
      return NULL;
    }
  g_queue_pop_head (&self->items);
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->lock);
  batch = g_steal_pointer (&item->batch);
  item_free (item);
  return batch;
}

void
_setl_read_ahead_free (SetlReadAhead *self)
{
  if (self == NULL)
    return;
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
  g_object_unref (self->iterator);
  g_free (self);
}
