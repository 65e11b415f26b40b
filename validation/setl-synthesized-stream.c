/* setl-synthesized-stream.c: SetlSynthesizedStream, the stream the
 * synthesizer's generate_stream functions return: a SetlBatchStream whose
 * every pass (open) makes the rows again from the seed, batch by batch
 * (SetlSynthesizedIterator), so that a seed gives the same rows on each
 * reading and memory stays one batch.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "setl-synthesized-stream.h"
#include "setl-synthesized-iterator.h"

struct _SetlSynthesizedStream
{
  GObject parent_instance;

  SetlSynthesizer *synth;
  ColumnPlan *plans;
  GPtrArray *fields;
  gint64 n_rows;
  gboolean invalid;
};

static void setl_synthesized_stream_iface_init (SetlBatchStreamInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SetlSynthesizedStream, setl_synthesized_stream, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (SETL_TYPE_BATCH_STREAM,
                                                      setl_synthesized_stream_iface_init))

static SetlField **
setl_synthesized_stream_get_fields (SetlBatchStream *stream,
                                    guint           *n_fields)
{
  SetlSynthesizedStream *self = SETL_SYNTHESIZED_STREAM (stream);

  *n_fields = self->fields->len;
  return (SetlField **) self->fields->pdata;
}

static SetlBatchIterator *
setl_synthesized_stream_open (SetlBatchStream  *stream,
                              GCancellable     *cancellable,
                              GError          **error)
{
  SetlSynthesizedStream *self = SETL_SYNTHESIZED_STREAM (stream);
  Pass *pass;

  pass = _setl_synth_pass_new (self->synth, self->plans, self->fields, self->n_rows, self->invalid, error);
  if (pass == NULL)
    return NULL;
  return _setl_synthesized_iterator_new (self, pass, self->fields, self->n_rows, self->invalid);
}

static void
setl_synthesized_stream_iface_init (SetlBatchStreamInterface *iface)
{
  iface->get_fields = setl_synthesized_stream_get_fields;
  iface->open = setl_synthesized_stream_open;
}

static void
setl_synthesized_stream_finalize (GObject *object)
{
  SetlSynthesizedStream *self = SETL_SYNTHESIZED_STREAM (object);

  g_clear_pointer (&self->plans, g_free);
  g_clear_pointer (&self->fields, g_ptr_array_unref);
  g_clear_object (&self->synth);

  G_OBJECT_CLASS (setl_synthesized_stream_parent_class)->finalize (object);
}

static void
setl_synthesized_stream_class_init (SetlSynthesizedStreamClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = setl_synthesized_stream_finalize;
}

static void
setl_synthesized_stream_init (SetlSynthesizedStream *self)
{
}

SetlBatchStream *
_setl_synthesized_stream_new (SetlSynthesizer *synth,
                              ColumnPlan      *plans,
                              GPtrArray       *fields,
                              gint64           n_rows,
                              gboolean         invalid)
{
  SetlSynthesizedStream *self = g_object_new (SETL_TYPE_SYNTHESIZED_STREAM, NULL);

  self->synth = g_object_ref (synth);
  self->plans = plans;
  self->fields = fields;
  self->n_rows = n_rows;
  self->invalid = invalid;
  return SETL_BATCH_STREAM (self);
}
