/* setl-split-stream.c
 *
 * The output of a split: each pass opens a pass over the input stream and
 * maps its batches one at a time (adding the variant column, keeping one
 * variant), so the split holds no more than the batch in hand. The map
 * function and its data are immutable once built, so several passes may
 * run at once. (The same shape as the transforms plugin's map stream,
 * which is private to that plugin.)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "setl-split-stream.h"

/* The function and its data, shared by the stream and its open passes
 * (a pass may outlive the stream). */
typedef struct
{
  gatomicrefcount ref;
  SetlSplitMapFunc func;
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

struct _SetlSplitStream
{
  GObject parent_instance;

  SetlBatchStream *upstream;
  GPtrArray *fields;
  MapClosure *closure;
};

#define SETL_TYPE_SPLIT_ITERATOR (setl_split_iterator_get_type ())
G_DECLARE_FINAL_TYPE (SetlSplitIterator, setl_split_iterator, SETL, SPLIT_ITERATOR, SetlBatchIterator)

struct _SetlSplitIterator
{
  SetlBatchIterator parent_instance;

  SetlBatchIterator *upstream;
  MapClosure *closure;
};

static void setl_split_stream_iface_init (SetlBatchStreamInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SetlSplitStream, setl_split_stream, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (SETL_TYPE_BATCH_STREAM,
                                                      setl_split_stream_iface_init))
G_DEFINE_FINAL_TYPE (SetlSplitIterator, setl_split_iterator, SETL_TYPE_BATCH_ITERATOR)

static SetlRecordBatch *
setl_split_iterator_next (SetlBatchIterator  *iterator,
                           GCancellable       *cancellable,
                           GError            **error)
{
  SetlSplitIterator *self = SETL_SPLIT_ITERATOR (iterator);

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
setl_split_iterator_finalize (GObject *object)
{
  SetlSplitIterator *self = SETL_SPLIT_ITERATOR (object);

  g_clear_object (&self->upstream);
  g_clear_pointer (&self->closure, map_closure_unref);
  G_OBJECT_CLASS (setl_split_iterator_parent_class)->finalize (object);
}

static void
setl_split_iterator_class_init (SetlSplitIteratorClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = setl_split_iterator_finalize;
  SETL_BATCH_ITERATOR_CLASS (klass)->next = setl_split_iterator_next;
}

static void
setl_split_iterator_init (SetlSplitIterator *self)
{
}

static SetlField **
setl_split_stream_get_fields (SetlBatchStream *stream,
                               guint           *n_fields)
{
  SetlSplitStream *self = SETL_SPLIT_STREAM (stream);

  *n_fields = self->fields->len;
  return (SetlField **) self->fields->pdata;
}

static SetlBatchIterator *
setl_split_stream_open (SetlBatchStream  *stream,
                         GCancellable     *cancellable,
                         GError          **error)
{
  SetlSplitStream *self = SETL_SPLIT_STREAM (stream);
  SetlSplitIterator *it;
  SetlBatchIterator *up;

  up = setl_batch_stream_open (self->upstream, cancellable, error);
  if (up == NULL)
    return NULL;
  it = g_object_new (SETL_TYPE_SPLIT_ITERATOR, NULL);
  it->upstream = up;
  it->closure = map_closure_ref (self->closure);
  return SETL_BATCH_ITERATOR (it);
}

static void
setl_split_stream_iface_init (SetlBatchStreamInterface *iface)
{
  iface->get_fields = setl_split_stream_get_fields;
  iface->open = setl_split_stream_open;
}

static void
setl_split_stream_finalize (GObject *object)
{
  SetlSplitStream *self = SETL_SPLIT_STREAM (object);

  g_clear_object (&self->upstream);
  g_clear_pointer (&self->fields, g_ptr_array_unref);
  g_clear_pointer (&self->closure, map_closure_unref);
  G_OBJECT_CLASS (setl_split_stream_parent_class)->finalize (object);
}

static void
setl_split_stream_class_init (SetlSplitStreamClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = setl_split_stream_finalize;
}

static void
setl_split_stream_init (SetlSplitStream *self)
{
}

/* Takes ownership of @user_data (freed with @destroy when the stream and
 * its passes are gone). */
SetlSplitStream *
setl_split_stream_new (SetlBatchStream  *upstream,
                        SetlField       **fields,
                        guint             n_fields,
                        SetlSplitMapFunc     func,
                        gpointer          user_data,
                        GDestroyNotify    destroy)
{
  SetlSplitStream *self = g_object_new (SETL_TYPE_SPLIT_STREAM, NULL);

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
