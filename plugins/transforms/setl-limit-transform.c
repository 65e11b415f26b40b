/* setl-limit-transform.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/**
 * SetlLimitTransform:
 *
 * The "limit" transform: passes on at most #SetlLimitTransform:limit rows of
 * its input "in", after skipping the first #SetlLimitTransform:offset. It
 * streams: rows are zero-copy slices of the input batches, and once enough
 * rows have passed it stops pulling its input, so `limit 10` over a huge
 * file reads only the first batch or so.
 */
#include "setl-limit-transform.h"
#include "setl-xf-util.h"

struct _SetlLimitTransform
{
  SetlFactory parent_instance;

  gint64 limit;    /* -1: no limit */
  gint64 offset;

  SetlBatchStream *input;
};

enum {
  PROP_0,
  PROP_LIMIT,
  PROP_OFFSET,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (SetlLimitTransform, setl_limit_transform, SETL_TYPE_FACTORY)

/* The output stream and its passes: private to this file. */
#define SETL_TYPE_XF_LIMIT_STREAM (setl_xf_limit_stream_get_type ())
G_DECLARE_FINAL_TYPE (SetlXfLimitStream, setl_xf_limit_stream, SETL, XF_LIMIT_STREAM, GObject)
#define SETL_TYPE_XF_LIMIT_ITERATOR (setl_xf_limit_iterator_get_type ())
G_DECLARE_FINAL_TYPE (SetlXfLimitIterator, setl_xf_limit_iterator, SETL, XF_LIMIT_ITERATOR, SetlBatchIterator)

struct _SetlXfLimitStream
{
  GObject parent_instance;
  SetlBatchStream *upstream;
  gint64 limit;
  gint64 offset;
};

struct _SetlXfLimitIterator
{
  SetlBatchIterator parent_instance;
  SetlBatchIterator *upstream;
  gint64 to_skip;
  gint64 remaining;   /* -1: no limit */
};

static void setl_xf_limit_stream_iface_init (SetlBatchStreamInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SetlXfLimitStream, setl_xf_limit_stream, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (SETL_TYPE_BATCH_STREAM,
                                                      setl_xf_limit_stream_iface_init))
G_DEFINE_FINAL_TYPE (SetlXfLimitIterator, setl_xf_limit_iterator, SETL_TYPE_BATCH_ITERATOR)

static SetlRecordBatch *
setl_xf_limit_iterator_next (SetlBatchIterator  *iterator,
                             GCancellable       *cancellable,
                             GError            **error)
{
  SetlXfLimitIterator *self = SETL_XF_LIMIT_ITERATOR (iterator);

  while (self->remaining != 0)
    {
      g_autoptr(SetlRecordBatch) batch = NULL;
      gint64 n, start, len;

      batch = setl_batch_iterator_next (self->upstream, cancellable, error);
      if (batch == NULL)
        return NULL;
      n = setl_record_batch_get_n_rows (batch);
      if (self->to_skip >= n)
        {
          self->to_skip -= n;
          continue;
        }
      start = self->to_skip;
      self->to_skip = 0;
      len = n - start;
      if (self->remaining >= 0 && len > self->remaining)
        len = self->remaining;
      if (self->remaining > 0)
        self->remaining -= len;
      if (len == 0)
        continue;
      if (start == 0 && len == n)
        return g_steal_pointer (&batch);
      return setl_record_batch_slice (batch, start, len);
    }
  /* enough rows: the rest of the input is never read */
  return NULL;
}

static void
setl_xf_limit_iterator_finalize (GObject *object)
{
  g_clear_object (&SETL_XF_LIMIT_ITERATOR (object)->upstream);
  G_OBJECT_CLASS (setl_xf_limit_iterator_parent_class)->finalize (object);
}

static void
setl_xf_limit_iterator_class_init (SetlXfLimitIteratorClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = setl_xf_limit_iterator_finalize;
  SETL_BATCH_ITERATOR_CLASS (klass)->next = setl_xf_limit_iterator_next;
}

static void
setl_xf_limit_iterator_init (SetlXfLimitIterator *self)
{
}

static SetlField **
setl_xf_limit_stream_get_fields (SetlBatchStream *stream,
                                 guint           *n_fields)
{
  return setl_batch_stream_get_fields (SETL_XF_LIMIT_STREAM (stream)->upstream, n_fields);
}

static SetlBatchIterator *
setl_xf_limit_stream_open (SetlBatchStream  *stream,
                           GCancellable     *cancellable,
                           GError          **error)
{
  SetlXfLimitStream *self = SETL_XF_LIMIT_STREAM (stream);
  SetlXfLimitIterator *it;
  SetlBatchIterator *up;

  up = setl_batch_stream_open (self->upstream, cancellable, error);
  if (up == NULL)
    return NULL;
  it = g_object_new (SETL_TYPE_XF_LIMIT_ITERATOR, NULL);
  it->upstream = up;
  it->to_skip = self->offset;
  it->remaining = self->limit;
  return SETL_BATCH_ITERATOR (it);
}

static void
setl_xf_limit_stream_iface_init (SetlBatchStreamInterface *iface)
{
  iface->get_fields = setl_xf_limit_stream_get_fields;
  iface->open = setl_xf_limit_stream_open;
}

static void
setl_xf_limit_stream_finalize (GObject *object)
{
  g_clear_object (&SETL_XF_LIMIT_STREAM (object)->upstream);
  G_OBJECT_CLASS (setl_xf_limit_stream_parent_class)->finalize (object);
}

static void
setl_xf_limit_stream_class_init (SetlXfLimitStreamClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = setl_xf_limit_stream_finalize;
}

static void
setl_xf_limit_stream_init (SetlXfLimitStream *self)
{
}

static gboolean
setl_limit_transform_read (SetlFactory   *factory,
                           GCancellable  *cancellable,
                           GError       **error)
{
  SetlLimitTransform *self = SETL_LIMIT_TRANSFORM (factory);
  SetlBatchStream *input = setl_xf_get_input_stream (factory, "in", "limit", error);

  if (input == NULL)
    return FALSE;
  g_set_object (&self->input, input);
  return TRUE;
}

static gboolean
setl_limit_transform_get (SetlFactory  *factory,
                          GValue       *output,
                          GError      **error)
{
  SetlLimitTransform *self = SETL_LIMIT_TRANSFORM (factory);
  g_autoptr(SetlXfLimitStream) stream = NULL;

  if (self->input == NULL)
    {
      g_autofree char *who = setl_xf_describe (factory, "limit");
      g_set_error (error, SETL_PIPELINE_ERROR, SETL_PIPELINE_ERROR_NO_OUTPUT,
                   "%s: asked for its output before it has read its input", who);
      return FALSE;
    }
  stream = g_object_new (SETL_TYPE_XF_LIMIT_STREAM, NULL);
  stream->upstream = g_object_ref (self->input);
  stream->limit = self->limit;
  stream->offset = self->offset;
  g_value_set_object (output, stream);
  return TRUE;
}

static void
setl_limit_transform_finalize (GObject *object)
{
  g_clear_object (&SETL_LIMIT_TRANSFORM (object)->input);
  G_OBJECT_CLASS (setl_limit_transform_parent_class)->finalize (object);
}

static void
setl_limit_transform_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  SetlLimitTransform *self = SETL_LIMIT_TRANSFORM (object);

  switch (prop_id)
    {
    case PROP_LIMIT:
      g_value_set_int64 (value, self->limit);
      break;
    case PROP_OFFSET:
      g_value_set_int64 (value, self->offset);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
setl_limit_transform_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  SetlLimitTransform *self = SETL_LIMIT_TRANSFORM (object);

  switch (prop_id)
    {
    case PROP_LIMIT:
      self->limit = g_value_get_int64 (value);
      break;
    case PROP_OFFSET:
      self->offset = g_value_get_int64 (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
setl_limit_transform_class_init (SetlLimitTransformClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  SetlFactoryClass *factory_class = SETL_FACTORY_CLASS (klass);

  object_class->finalize = setl_limit_transform_finalize;
  object_class->get_property = setl_limit_transform_get_property;
  object_class->set_property = setl_limit_transform_set_property;
  factory_class->read = setl_limit_transform_read;
  factory_class->get = setl_limit_transform_get;
  setl_factory_class_set_output_type (factory_class, SETL_TYPE_BATCH_STREAM);

  properties[PROP_LIMIT] =
    g_param_spec_int64 ("limit", "Limit",
                        "The most rows to pass on (-1: no limit)",
                        -1, G_MAXINT64, -1,
                        G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_EXPLICIT_NOTIFY |
                        G_PARAM_STATIC_STRINGS);
  properties[PROP_OFFSET] =
    g_param_spec_int64 ("offset", "Offset",
                        "How many rows to skip first",
                        0, G_MAXINT64, 0,
                        G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_EXPLICIT_NOTIFY |
                        G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
setl_limit_transform_init (SetlLimitTransform *self)
{
  setl_factory_add_input (SETL_FACTORY (self), "in", SETL_TYPE_BATCH_STREAM,
                          SETL_TYPE_EXTERNAL, NULL);
}
