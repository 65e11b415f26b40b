/* setl-union-transform.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/**
 * SetlUnionTransform:
 *
 * The "union" transform: the rows of its inputs one after the other (SQL's
 * `UNION ALL`): all of "in1", then all of "in2", and so on. It has
 * #SetlUnionTransform:inputs input slots, named `in1` … `inN`; setting the
 * property adds or removes slots at the end (before the factory is put in a
 * pipeline). A pipeline file wires each slot to a producer by setting the
 * slot's delivery id to the producer's name.
 *
 * Every input must have the same columns, by name, type and order; a
 * mismatch is an error naming the slot and the column. A column is
 * nullable in the output when it is in any input. The output streams: it
 * reads one input batch at a time and passes it on unchanged.
 */
#include "setl-union-transform.h"
#include "setl-xf-util.h"

#define MAX_INPUTS 1024

struct _SetlUnionTransform
{
  SetlFactory parent_instance;

  guint n_inputs;

  GPtrArray *streams;   /* SetlBatchStream, from read() */
  GPtrArray *fields;    /* SetlField, the output's */
};

enum {
  PROP_0,
  PROP_INPUTS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (SetlUnionTransform, setl_union_transform, SETL_TYPE_FACTORY)

#define SETL_TYPE_XF_UNION_STREAM (setl_xf_union_stream_get_type ())
G_DECLARE_FINAL_TYPE (SetlXfUnionStream, setl_xf_union_stream, SETL, XF_UNION_STREAM, GObject)
#define SETL_TYPE_XF_UNION_ITERATOR (setl_xf_union_iterator_get_type ())
G_DECLARE_FINAL_TYPE (SetlXfUnionIterator, setl_xf_union_iterator, SETL, XF_UNION_ITERATOR, SetlBatchIterator)

struct _SetlXfUnionStream
{
  GObject parent_instance;
  GPtrArray *streams;
  GPtrArray *fields;
};

struct _SetlXfUnionIterator
{
  SetlBatchIterator parent_instance;
  GPtrArray *streams;
  GPtrArray *fields;
  guint current;
  SetlBatchIterator *it;   /* the pass over streams[current] */
};

static void setl_xf_union_stream_iface_init (SetlBatchStreamInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SetlXfUnionStream, setl_xf_union_stream, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (SETL_TYPE_BATCH_STREAM,
                                                      setl_xf_union_stream_iface_init))
G_DEFINE_FINAL_TYPE (SetlXfUnionIterator, setl_xf_union_iterator, SETL_TYPE_BATCH_ITERATOR)

static SetlRecordBatch *
setl_xf_union_iterator_next (SetlBatchIterator  *iterator,
                             GCancellable       *cancellable,
                             GError            **error)
{
  SetlXfUnionIterator *self = SETL_XF_UNION_ITERATOR (iterator);

  while (self->current < self->streams->len)
    {
      g_autoptr(SetlRecordBatch) batch = NULL;
      GError *local = NULL;
      SetlColumn **cols;

      if (self->it == NULL)
        {
          self->it = setl_batch_stream_open (g_ptr_array_index (self->streams, self->current),
                                             cancellable, error);
          if (self->it == NULL)
            return NULL;
        }
      batch = setl_batch_iterator_next (self->it, cancellable, &local);
      if (local != NULL)
        {
          g_propagate_prefixed_error (error, local, "union input “in%u”: ", self->current + 1);
          return NULL;
        }
      if (batch == NULL)
        {
          g_clear_object (&self->it);
          self->current++;
          continue;
        }
      if (setl_record_batch_get_n_rows (batch) == 0)
        continue;
      /* same columns, maybe other nullability: rewrap with the output fields */
      cols = g_new (SetlColumn *, self->fields->len);
      for (guint i = 0; i < self->fields->len; i++)
        cols[i] = setl_record_batch_get_column (batch, i);
      {
        SetlRecordBatch *out = setl_record_batch_new ((SetlField **) self->fields->pdata,
                                                      self->fields->len, cols,
                                                      self->fields->len, error);
        g_free (cols);
        return out;
      }
    }
  return NULL;
}

static void
setl_xf_union_iterator_finalize (GObject *object)
{
  SetlXfUnionIterator *self = SETL_XF_UNION_ITERATOR (object);

  g_clear_object (&self->it);
  g_clear_pointer (&self->streams, g_ptr_array_unref);
  g_clear_pointer (&self->fields, g_ptr_array_unref);
  G_OBJECT_CLASS (setl_xf_union_iterator_parent_class)->finalize (object);
}

static void
setl_xf_union_iterator_class_init (SetlXfUnionIteratorClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = setl_xf_union_iterator_finalize;
  SETL_BATCH_ITERATOR_CLASS (klass)->next = setl_xf_union_iterator_next;
}

static void
setl_xf_union_iterator_init (SetlXfUnionIterator *self)
{
}

static SetlField **
setl_xf_union_stream_get_fields (SetlBatchStream *stream,
                                 guint           *n_fields)
{
  SetlXfUnionStream *self = SETL_XF_UNION_STREAM (stream);

  *n_fields = self->fields->len;
  return (SetlField **) self->fields->pdata;
}

static SetlBatchIterator *
setl_xf_union_stream_open (SetlBatchStream  *stream,
                           GCancellable     *cancellable,
                           GError          **error)
{
  SetlXfUnionStream *self = SETL_XF_UNION_STREAM (stream);
  SetlXfUnionIterator *it = g_object_new (SETL_TYPE_XF_UNION_ITERATOR, NULL);

  /* inputs are opened one at a time, when the previous one ends */
  it->streams = g_ptr_array_ref (self->streams);
  it->fields = g_ptr_array_ref (self->fields);
  return SETL_BATCH_ITERATOR (it);
}

static void
setl_xf_union_stream_iface_init (SetlBatchStreamInterface *iface)
{
  iface->get_fields = setl_xf_union_stream_get_fields;
  iface->open = setl_xf_union_stream_open;
}

static void
setl_xf_union_stream_finalize (GObject *object)
{
  SetlXfUnionStream *self = SETL_XF_UNION_STREAM (object);

  g_clear_pointer (&self->streams, g_ptr_array_unref);
  g_clear_pointer (&self->fields, g_ptr_array_unref);
  G_OBJECT_CLASS (setl_xf_union_stream_parent_class)->finalize (object);
}

static void
setl_xf_union_stream_class_init (SetlXfUnionStreamClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = setl_xf_union_stream_finalize;
}

static void
setl_xf_union_stream_init (SetlXfUnionStream *self)
{
}

static gboolean
setl_union_transform_read (SetlFactory   *factory,
                           GCancellable  *cancellable,
                           GError       **error)
{
  SetlUnionTransform *self = SETL_UNION_TRANSFORM (factory);
  g_autofree char *who = setl_xf_describe (factory, "union");
  g_autoptr(GPtrArray) streams = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) fields = g_ptr_array_new_with_free_func (g_object_unref);
  SetlField **first = NULL;
  guint n_first = 0;

  for (guint i = 0; i < self->n_inputs; i++)
    {
      g_autofree char *slot = g_strdup_printf ("in%u", i + 1);
      SetlBatchStream *s = setl_xf_get_input_stream (factory, slot, "union", error);
      SetlField **f;
      guint n;

      if (s == NULL)
        return FALSE;
      f = setl_batch_stream_get_fields (s, &n);
      if (i == 0)
        {
          first = f;
          n_first = n;
          for (guint c = 0; c < n; c++)
            g_ptr_array_add (fields, g_object_ref (f[c]));
        }
      else
        {
          if (n != n_first)
            {
              g_set_error (error, SETL_DATA_ERROR, SETL_DATA_ERROR_INVALID,
                           "%s: input “%s” has %u columns where “in1” has %u",
                           who, slot, n, n_first);
              return FALSE;
            }
          for (guint c = 0; c < n; c++)
            {
              SetlDataType t = setl_field_get_data_type (f[c]);
              SetlDataType t1 = setl_field_get_data_type (first[c]);

              if (!g_str_equal (setl_field_get_name (f[c]), setl_field_get_name (first[c])) ||
                  t != t1)
                {
                  g_set_error (error, SETL_DATA_ERROR, SETL_DATA_ERROR_INVALID,
                               "%s: input “%s” column %u is “%s” (%s) where “in1” has “%s” (%s)",
                               who, slot, c + 1, setl_field_get_name (f[c]),
                               setl_data_type_to_string (t), setl_field_get_name (first[c]),
                               setl_data_type_to_string (t1));
                  return FALSE;
                }
              if (setl_field_get_nullable (f[c]) &&
                  !setl_field_get_nullable (g_ptr_array_index (fields, c)))
                {
                  SetlField *old = g_ptr_array_index (fields, c);
                  SetlField *nf = t == SETL_DATA_TYPE_TIMESTAMP
                    ? setl_field_new_timestamp (setl_field_get_name (old), TRUE,
                                                setl_field_get_timezone (old))
                    : setl_field_new (setl_field_get_name (old), t, TRUE);
                  g_ptr_array_index (fields, c) = nf;
                  g_object_unref (old);
                }
            }
        }
      g_ptr_array_add (streams, g_object_ref (s));
    }
  g_clear_pointer (&self->streams, g_ptr_array_unref);
  g_clear_pointer (&self->fields, g_ptr_array_unref);
  self->streams = g_steal_pointer (&streams);
  self->fields = g_steal_pointer (&fields);
  return TRUE;
}

static gboolean
setl_union_transform_get (SetlFactory  *factory,
                          GValue       *output,
                          GError      **error)
{
  SetlUnionTransform *self = SETL_UNION_TRANSFORM (factory);
  g_autoptr(SetlXfUnionStream) stream = NULL;

  if (self->streams == NULL)
    {
      g_autofree char *who = setl_xf_describe (factory, "union");
      g_set_error (error, SETL_PIPELINE_ERROR, SETL_PIPELINE_ERROR_NO_OUTPUT,
                   "%s: asked for its output before it has read its inputs", who);
      return FALSE;
    }
  stream = g_object_new (SETL_TYPE_XF_UNION_STREAM, NULL);
  stream->streams = g_ptr_array_ref (self->streams);
  stream->fields = g_ptr_array_ref (self->fields);
  g_value_set_object (output, stream);
  return TRUE;
}

/* Makes the slots in1 … in@n, keeping those that exist (and their wiring). */
static void
set_n_inputs (SetlUnionTransform *self,
              guint               n)
{
  SetlFactory *factory = SETL_FACTORY (self);
  GPtrArray *slots = setl_factory_get_deliveries (factory);

  for (guint i = 1; i <= n; i++)
    {
      g_autofree char *name = g_strdup_printf ("in%u", i);
      if (setl_factory_get_delivery (factory, name) == NULL)
        setl_factory_add_input (factory, name, SETL_TYPE_BATCH_STREAM, SETL_TYPE_EXTERNAL, NULL);
    }
  /* fewer inputs than before: drop the slots past the new count. The
   * factory's slot list is its own array; only slots this class added,
   * before any run, are removed from it. */
  for (guint i = n + 1; i <= self->n_inputs; i++)
    {
      g_autofree char *name = g_strdup_printf ("in%u", i);
      SetlDelivery *d = setl_factory_get_delivery (factory, name);
      if (d != NULL)
        g_ptr_array_remove (slots, d);
    }
  self->n_inputs = n;
}

static void
setl_union_transform_finalize (GObject *object)
{
  SetlUnionTransform *self = SETL_UNION_TRANSFORM (object);

  g_clear_pointer (&self->streams, g_ptr_array_unref);
  g_clear_pointer (&self->fields, g_ptr_array_unref);
  G_OBJECT_CLASS (setl_union_transform_parent_class)->finalize (object);
}

static void
setl_union_transform_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_INPUTS:
      g_value_set_uint (value, SETL_UNION_TRANSFORM (object)->n_inputs);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
setl_union_transform_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  switch (prop_id)
    {
    case PROP_INPUTS:
      set_n_inputs (SETL_UNION_TRANSFORM (object), g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
setl_union_transform_class_init (SetlUnionTransformClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  SetlFactoryClass *factory_class = SETL_FACTORY_CLASS (klass);

  object_class->finalize = setl_union_transform_finalize;
  object_class->get_property = setl_union_transform_get_property;
  object_class->set_property = setl_union_transform_set_property;
  factory_class->read = setl_union_transform_read;
  factory_class->get = setl_union_transform_get;
  setl_factory_class_set_output_type (factory_class, SETL_TYPE_BATCH_STREAM);

  properties[PROP_INPUTS] =
    g_param_spec_uint ("inputs", "Inputs",
                       "How many inputs to concatenate; the input slots are named "
                       "in1, in2, … inN",
                       1, MAX_INPUTS, 2,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_EXPLICIT_NOTIFY |
                       G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
setl_union_transform_init (SetlUnionTransform *self)
{
}
