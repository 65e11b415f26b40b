/* workflow-test-factories.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "workflow-test-factories.h"

/* ----------------------------------------------------------------------- */
/* WtPayload                                                                */

G_DEFINE_TYPE (WtPayload, wt_payload, G_TYPE_OBJECT)

static void
wt_payload_finalize (GObject *object)
{
  WtPayload *self = WT_PAYLOAD (object);

  g_free (self->x);
  g_free (self->y);
  g_clear_object (&self->content);

  G_OBJECT_CLASS (wt_payload_parent_class)->finalize (object);
}

static void
wt_payload_class_init (WtPayloadClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = wt_payload_finalize;
}

static void
wt_payload_init (WtPayload *self)
{
}

gpointer
wt_payload_new (GType       type,
                const char *x,
                const char *y,
                GObject    *content)
{
  WtPayload *self;

  g_return_val_if_fail (g_type_is_a (type, WT_TYPE_PAYLOAD), NULL);

  self = g_object_new (type, NULL);
  self->x = g_strdup (x);
  self->y = g_strdup (y);
  self->content = content ? g_object_ref (content) : NULL;
  return self;
}

/* ----------------------------------------------------------------------- */
/* WtFactory                                                                */

G_DEFINE_TYPE (WtFactory, wt_factory, SETL_TYPE_FACTORY)

static void
wt_factory_finalize (GObject *object)
{
  WtFactory *self = WT_FACTORY (object);

  if (G_IS_VALUE (&self->output))
    g_value_unset (&self->output);
  g_free (self->write_path);

  G_OBJECT_CLASS (wt_factory_parent_class)->finalize (object);
}

static gboolean
maybe_fail (WtFactory         *self,
            SetlFactoryPhase   phase,
            GError           **error)
{
  if (self->fail_phase != (int) phase)
    return TRUE;
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s failed on purpose in %s",
               G_OBJECT_TYPE_NAME (self), setl_factory_phase_to_string (phase));
  return FALSE;
}

static gboolean
wt_factory_read (SetlFactory   *factory,
                 GCancellable  *cancellable,
                 GError       **error)
{
  WtFactory *self = WT_FACTORY (factory);

  self->n_read++;
  return maybe_fail (self, SETL_FACTORY_PHASE_READ, error);
}

static gboolean
wt_factory_process (SetlFactory   *factory,
                    GCancellable  *cancellable,
                    GError       **error)
{
  WtFactory *self = WT_FACTORY (factory);
  WtComputeFunc compute = self->compute ? self->compute
                                         : ((WtFactoryClass *) G_OBJECT_GET_CLASS (self))->compute;
  g_auto(GValue) value = G_VALUE_INIT;

  self->n_process++;
  if (!maybe_fail (self, SETL_FACTORY_PHASE_PROCESS, error))
    return FALSE;
  if (compute == NULL)
    return TRUE;

  g_value_init (&value, setl_factory_get_output_type (factory));
  if (!compute (self, &value, error))
    return FALSE;
  wt_factory_set_output (self, &value);
  return TRUE;
}

static gboolean
wt_factory_write (SetlFactory   *factory,
                  GCancellable  *cancellable,
                  GError       **error)
{
  WtFactory *self = WT_FACTORY (factory);

  self->n_write++;
  if (!maybe_fail (self, SETL_FACTORY_PHASE_WRITE, error))
    return FALSE;
  if (self->write_sleep_us > 0)
    g_usleep (self->write_sleep_us);
  if (self->write_path != NULL &&
      !g_file_set_contents (self->write_path, G_OBJECT_TYPE_NAME (self), -1, error))
    return FALSE;
  return TRUE;
}

static gboolean
wt_factory_get (SetlFactory  *factory,
                GValue       *output,
                GError      **error)
{
  WtFactory *self = WT_FACTORY (factory);

  self->n_get++;
  if (!maybe_fail (self, SETL_FACTORY_PHASE_GET, error))
    return FALSE;
  if (!G_IS_VALUE (&self->output))
    return TRUE;   /* PySetl's `return None`: setl_factory_get() reports it */
  if (G_VALUE_TYPE (output) != G_VALUE_TYPE (&self->output))
    {
      /* A factory returning another type than it declares; the core must
       * refuse it, so hand it over as it is. */
      g_value_unset (output);
      g_value_init (output, G_VALUE_TYPE (&self->output));
    }
  g_value_copy (&self->output, output);
  return TRUE;
}

static GType
wt_factory_get_output_type (SetlFactory *factory)
{
  WtFactory *self = WT_FACTORY (factory);

  if (self->output_type != G_TYPE_INVALID)
    return self->output_type;
  return SETL_FACTORY_CLASS (wt_factory_parent_class)->get_output_type (factory);
}

static void
wt_factory_class_init (WtFactoryClass *klass)
{
  SetlFactoryClass *factory_class = SETL_FACTORY_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = wt_factory_finalize;
  factory_class->read = wt_factory_read;
  factory_class->process = wt_factory_process;
  factory_class->write = wt_factory_write;
  factory_class->get = wt_factory_get;
  factory_class->get_output_type = wt_factory_get_output_type;
}

static void
wt_factory_init (WtFactory *self)
{
  self->fail_phase = -1;
}

void
wt_factory_set_output_type (WtFactory *self,
                            GType      output_type)
{
  self->output_type = output_type;
}

void
wt_factory_set_output (WtFactory    *self,
                       const GValue *value)
{
  if (G_IS_VALUE (&self->output))
    g_value_unset (&self->output);
  g_value_init (&self->output, G_VALUE_TYPE (value));
  g_value_copy (value, &self->output);
}

void
wt_factory_set_output_string (WtFactory  *self,
                              const char *value)
{
  g_auto(GValue) v = G_VALUE_INIT;

  g_value_init (&v, G_TYPE_STRING);
  g_value_set_string (&v, value);
  wt_factory_set_output (self, &v);
}

void
wt_factory_set_output_int64 (WtFactory *self,
                             gint64     value)
{
  g_auto(GValue) v = G_VALUE_INIT;

  g_value_init (&v, G_TYPE_INT64);
  g_value_set_int64 (&v, value);
  wt_factory_set_output (self, &v);
}

void
wt_factory_set_output_object (WtFactory *self,
                              gpointer   object)
{
  g_auto(GValue) v = G_VALUE_INIT;

  g_value_init (&v, G_OBJECT_TYPE (object));
  g_value_set_object (&v, object);
  wt_factory_set_output (self, &v);
}

gboolean
wt_factory_run_phases (SetlFactory  *factory,
                       GValue       *output,
                       GError      **error)
{
  return setl_factory_read (factory, NULL, error) &&
         setl_factory_process (factory, NULL, error) &&
         setl_factory_write (factory, NULL, error) &&
         setl_factory_get (factory, output, error);
}

/* ----------------------------------------------------------------------- */
/* Deliverables and values                                                  */

SetlDeliverable *
wt_deliverable_string (const char *value,
                       GType       producer,
                       const char *delivery_id)
{
  g_auto(GValue) v = G_VALUE_INIT;

  g_value_init (&v, G_TYPE_STRING);
  g_value_set_string (&v, value);
  return setl_deliverable_new (&v, producer, delivery_id);
}

SetlDeliverable *
wt_deliverable_int64 (gint64      value,
                      GType       producer,
                      const char *delivery_id)
{
  g_auto(GValue) v = G_VALUE_INIT;

  g_value_init (&v, G_TYPE_INT64);
  g_value_set_int64 (&v, value);
  return setl_deliverable_new (&v, producer, delivery_id);
}

SetlDeliverable *
wt_deliverable_object (gpointer    object,
                       GType       producer,
                       const char *delivery_id)
{
  g_auto(GValue) v = G_VALUE_INIT;

  g_value_init (&v, G_OBJECT_TYPE (object));
  g_value_set_object (&v, object);
  return setl_deliverable_new (&v, producer, delivery_id);
}

SetlDeliverable *
wt_deliverable_strv (const char * const *value,
                     GType               producer,
                     const char         *delivery_id)
{
  g_auto(GValue) v = G_VALUE_INIT;

  g_value_init (&v, G_TYPE_STRV);
  g_value_set_boxed (&v, value);
  return setl_deliverable_new (&v, producer, delivery_id);
}

char *
wt_strv_join (const GValue *value)
{
  g_assert_nonnull (value);
  g_assert_true (G_VALUE_HOLDS (value, G_TYPE_STRV));
  return g_strjoinv (",", g_value_get_boxed (value));
}

SetlNode *
wt_pipeline_node (SetlPipeline *pipeline,
                  SetlFactory  *factory)
{
  SetlNode *node = setl_inspector_find_node (setl_pipeline_get_inspector (pipeline), factory);

  g_assert_nonnull (node);
  return node;
}

guint
wt_count_flows (SetlPipeline *pipeline,
                GType         from_type,
                SetlFactory  *to)
{
  GPtrArray *flows = setl_inspector_get_flows (setl_pipeline_get_inspector (pipeline));
  guint n = 0;

  for (guint i = 0; i < flows->len; i++)
    {
      SetlFlow *flow = g_ptr_array_index (flows, i);

      if (setl_node_get_factory_type (setl_flow_get_from (flow)) == from_type &&
          setl_node_get_factory (setl_flow_get_to (flow)) == to)
        n++;
    }
  return n;
}
