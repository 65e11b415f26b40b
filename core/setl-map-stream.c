/* setl-map-stream.c: SetlMapStream, a stream that transforms each batch of
 * another stream as it passes.
 *
 * Each pass opens a pass over the upstream stream and maps its batches one
 * at a time. The map function and its data are immutable once built, so
 * several passes may run at once, from several threads.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "setl-map-stream.h"

/**
 * SetlMapStream:
 *
 * A #SetlBatchStream that transforms each batch of another stream with a
 * function as it is read (see setl_map_stream_new()).
 */

/* The function and its data, shared by the stream and its open passes
 * (a pass may outlive the stream). */
typedef struct
{
  gatomicrefcount ref;
  SetlMapStreamFunc func;
  gpointer user_data;
  GDestroyNotify destroy;
} MapClosure;

static MapClosure *
map_closure_ref (MapClosure *c)
{
  g_atomic_ref_count_inc (&c->ref);
  return c;
}

static void
map_closure_unref (MapClosure *c)
{
  if (!g_atomic_ref_count_dec (&c->ref))
    return;
  if (c->destroy != NULL)
    c->destroy (c->user_data);
  g_free (c);
}

struct _SetlMapStream
{
  GObject parent_instance;

  SetlBatchStream *upstream;
  GPtrArray *fields;
  MapClosure *closure;
};

#define SETL_TYPE_MAP_STREAM_ITERATOR (setl_map_stream_iterator_get_type ())
G_DECLARE_FINAL_TYPE (SetlMapStreamIterator, setl_map_stream_iterator, SETL, MAP_STREAM_ITERATOR, SetlBatchIterator)

struct _SetlMapStreamIterator
{
  SetlBatchIterator parent_instance;

  SetlBatchIterator *upstream;
  MapClosure *closure;
};

static void setl_map_stream_iface_init (SetlBatchStreamInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SetlMapStream, setl_map_stream, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (SETL_TYPE_BATCH_STREAM,
                                                      setl_map_stream_iface_init))
G_DEFINE_FINAL_TYPE (SetlMapStreamIterator, setl_map_stream_iterator, SETL_TYPE_BATCH_ITERATOR)

static SetlRecordBatch *
setl_map_stream_iterator_next (SetlBatchIterator  *iterator,
                           GCancellable       *cancellable,
                           GError            **error)
{
  SetlMapStreamIterator *self = SETL_MAP_STREAM_ITERATOR (iterator);

  for (;;)
    {
      g_autoptr(SetlRecordBatch) in = NULL;
      SetlRecordBatch *out;

      in = setl_batch_iterator_next (self->upstream, cancellable, error);
      if (in == NULL)
        return NULL;
      out = self->closure->func (in, self->closure->user_data, error);
      if (out == NULL)
        return NULL;
      /* a batch that lost all its rows tells the consumer nothing */
      if (setl_record_batch_get_n_rows (out) > 0)
        return out;
      g_object_unref (out);
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return NULL;
    }
}

static void
setl_map_stream_iterator_finalize (GObject *object)
{
  SetlMapStreamIterator *self = SETL_MAP_STREAM_ITERATOR (object);

  g_clear_object (&self->upstream);
  g_clear_pointer (&self->closure, map_closure_unref);
  G_OBJECT_CLASS (setl_map_stream_iterator_parent_class)->finalize (object);
}

static void
setl_map_stream_iterator_class_init (SetlMapStreamIteratorClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = setl_map_stream_iterator_finalize;
  SETL_BATCH_ITERATOR_CLASS (klass)->next = setl_map_stream_iterator_next;
}

static void
setl_map_stream_iterator_init (SetlMapStreamIterator *self)
{
}

static SetlField **
setl_map_stream_get_fields (SetlBatchStream *stream,
                               guint           *n_fields)
{
  SetlMapStream *self = SETL_MAP_STREAM (stream);

  *n_fields = self->fields->len;
  return (SetlField **) self->fields->pdata;
}

static SetlBatchIterator *
setl_map_stream_open (SetlBatchStream  *stream,
                         GCancellable     *cancellable,
                         GError          **error)
{
  SetlMapStream *self = SETL_MAP_STREAM (stream);
  SetlMapStreamIterator *it;
  SetlBatchIterator *up;

  up = setl_batch_stream_open (self->upstream, cancellable, error);
  if (up == NULL)
    return NULL;
  it = g_object_new (SETL_TYPE_MAP_STREAM_ITERATOR, NULL);
  it->upstream = up;
  it->closure = map_closure_ref (self->closure);
  return SETL_BATCH_ITERATOR (it);
}

static void
setl_map_stream_iface_init (SetlBatchStreamInterface *iface)
{
  iface->get_fields = setl_map_stream_get_fields;
  iface->open = setl_map_stream_open;
}

static void
setl_map_stream_finalize (GObject *object)
{
  SetlMapStream *self = SETL_MAP_STREAM (object);

  g_clear_object (&self->upstream);
  g_clear_pointer (&self->fields, g_ptr_array_unref);
  g_clear_pointer (&self->closure, map_closure_unref);
  G_OBJECT_CLASS (setl_map_stream_parent_class)->finalize (object);
}

static void
setl_map_stream_class_init (SetlMapStreamClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = setl_map_stream_finalize;
}

static void
setl_map_stream_init (SetlMapStream *self)
{
}

/**
 * setl_map_stream_new:
 * @upstream: the stream whose batches are transformed
 * @fields: (array length=n_fields): the fields of the transformed batches
 * @n_fields: the length of @fields
 * @func: (scope notified) (closure user_data) (destroy destroy): transforms
 *   one batch
 * @user_data: data passed to @func
 * @destroy: (nullable): frees @user_data when the stream and all its open
 *   passes are gone
 *
 * Makes a stream whose every pass opens a pass over @upstream and hands
 * each of its batches through @func, so that it holds no more than the
 * batch in hand: the streaming transforms (filter, select, split) are made
 * of it. Batches that come out with no rows are dropped.
 *
 * Returns: (transfer full): the new stream
 */
SetlMapStream *
setl_map_stream_new (SetlBatchStream  *upstream,
                        SetlField       **fields,
                        guint             n_fields,
                        SetlMapStreamFunc     func,
                        gpointer          user_data,
                        GDestroyNotify    destroy)
{
  SetlMapStream *self = g_object_new (SETL_TYPE_MAP_STREAM, NULL);

  self->upstream = g_object_ref (upstream);
  self->fields = g_ptr_array_new_full (n_fields, g_object_unref);
  for (guint i = 0; i < n_fields; i++)
    g_ptr_array_add (self->fields, g_object_ref (fields[i]));
  self->closure = g_new0 (MapClosure, 1);
  g_atomic_ref_count_init (&self->closure->ref);
  self->closure->func = func;
  self->closure->user_data = user_data;
  self->closure->destroy = destroy;
  return self;
}
