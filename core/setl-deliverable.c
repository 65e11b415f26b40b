/* setl-deliverable.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/**
 * SetlDeliverable:
 *
 * A payload together with what the dispatcher needs to route it: its type,
 * the factory type that produced it (or %SETL_TYPE_EXTERNAL for data handed
 * in from outside), a delivery id, and optionally the consumer factory types
 * it is reserved for. An empty consumer list means "anyone".
 *
 * Factories' outputs become deliverables after each stage; applications
 * create deliverables for external inputs:
 *
 * |[<!-- language="C" -->
 * g_auto(GValue) v = G_VALUE_INIT;
 * g_value_init (&v, G_TYPE_STRING);
 * g_value_set_string (&v, "cities.csv");
 * g_autoptr(SetlDeliverable) d = setl_deliverable_new (&v, SETL_TYPE_EXTERNAL, "path");
 * setl_pipeline_set_input (pipeline, d);
 * ]|
 *
 * A deliverable is immutable once handed to a pipeline.
 */
#include "setl-deliverable.h"
#include "setl-external.h"
#include "setl-condition-private.h"

struct _SetlDeliverable
{
  GObject parent_instance;

  GValue payload;          /* unset for an expected deliverable */
  GType payload_type;
  GType producer;
  char *delivery_id;
  GArray *consumers;       /* of GType; NULL until the first is added: a
                            * pipeline makes one deliverable per output and
                            * most have none */
};

G_DEFINE_FINAL_TYPE (SetlDeliverable, setl_deliverable, G_TYPE_OBJECT)

static void
setl_deliverable_finalize (GObject *object)
{
  SetlDeliverable *self = SETL_DELIVERABLE (object);

  if (G_IS_VALUE (&self->payload))
    g_value_unset (&self->payload);
  g_free (self->delivery_id);
  if (self->consumers)
    g_array_unref (self->consumers);

  G_OBJECT_CLASS (setl_deliverable_parent_class)->finalize (object);
}

static void
setl_deliverable_class_init (SetlDeliverableClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = setl_deliverable_finalize;
}

static void
setl_deliverable_init (SetlDeliverable *self)
{
}

static SetlDeliverable *
deliverable_new (GType       payload_type,
                 GType       producer,
                 const char *delivery_id)
{
  SetlDeliverable *self = g_object_new (SETL_TYPE_DELIVERABLE, NULL);

  self->payload_type = payload_type;
  self->producer = (producer == G_TYPE_INVALID || producer == G_TYPE_NONE)
                   ? SETL_TYPE_EXTERNAL : producer;
  self->delivery_id = g_strdup (delivery_id ? delivery_id : "");
  return self;
}

/**
 * setl_deliverable_new:
 * @payload: the payload; copied (a reference, for objects)
 * @producer: the factory type that produced it, or %SETL_TYPE_EXTERNAL
 * @delivery_id: (nullable): the delivery id, %NULL for ""
 *
 * Returns: (transfer full): a new deliverable carrying @payload
 */
SetlDeliverable *
setl_deliverable_new (const GValue *payload,
                      GType         producer,
                      const char   *delivery_id)
{
  SetlDeliverable *self;

  g_return_val_if_fail (G_IS_VALUE (payload), NULL);

  self = deliverable_new (G_VALUE_TYPE (payload), producer, delivery_id);
  g_value_init (&self->payload, G_VALUE_TYPE (payload));
  g_value_copy (payload, &self->payload);
  return self;
}

/**
 * setl_deliverable_new_expected:
 * @payload_type: the payload type that will be produced
 * @producer: the factory type that will produce it
 * @delivery_id: (nullable): the delivery id, %NULL for ""
 *
 * Creates a deliverable without a payload: what the inspector expects a
 * factory to deliver, used to resolve dependencies before anything runs.
 *
 * Returns: (transfer full): a new deliverable without payload
 */
SetlDeliverable *
setl_deliverable_new_expected (GType       payload_type,
                               GType       producer,
                               const char *delivery_id)
{
  g_return_val_if_fail (payload_type != G_TYPE_INVALID, NULL);
  return deliverable_new (payload_type, producer, delivery_id);
}

/**
 * setl_deliverable_get_payload:
 * @self: a #SetlDeliverable
 *
 * Returns: (transfer none) (nullable): the payload, %NULL for an expected
 *   deliverable
 */
const GValue *
setl_deliverable_get_payload (SetlDeliverable *self)
{
  g_return_val_if_fail (SETL_IS_DELIVERABLE (self), NULL);
  return G_IS_VALUE (&self->payload) ? &self->payload : NULL;
}

/* Conditions replace a streamed output by the table they read it into
 * (setl-pipeline-conditions.c), between stages, when nobody reads it. */
void
_setl_deliverable_set_payload (SetlDeliverable *self,
                               const GValue    *payload)
{
  g_return_if_fail (SETL_IS_DELIVERABLE (self));
  g_return_if_fail (G_IS_VALUE (&self->payload));
  g_return_if_fail (G_VALUE_TYPE (payload) == G_VALUE_TYPE (&self->payload));

  g_value_copy (payload, &self->payload);
}

/**
 * setl_deliverable_get_payload_type:
 * @self: a #SetlDeliverable
 *
 * Returns: the payload's type
 */
GType
setl_deliverable_get_payload_type (SetlDeliverable *self)
{
  g_return_val_if_fail (SETL_IS_DELIVERABLE (self), G_TYPE_INVALID);
  return self->payload_type;
}

/**
 * setl_deliverable_get_producer:
 * @self: a #SetlDeliverable
 *
 * Returns: the producer's type; %SETL_TYPE_EXTERNAL for external data
 */
GType
setl_deliverable_get_producer (SetlDeliverable *self)
{
  g_return_val_if_fail (SETL_IS_DELIVERABLE (self), G_TYPE_INVALID);
  return self->producer;
}

/**
 * setl_deliverable_is_external:
 * @self: a #SetlDeliverable
 *
 * Returns: %TRUE if the payload came from outside the pipeline
 */
gboolean
setl_deliverable_is_external (SetlDeliverable *self)
{
  g_return_val_if_fail (SETL_IS_DELIVERABLE (self), FALSE);
  return self->producer == SETL_TYPE_EXTERNAL;
}

/**
 * setl_deliverable_get_delivery_id:
 * @self: a #SetlDeliverable
 *
 * Returns: the delivery id, "" when none
 */
const char *
setl_deliverable_get_delivery_id (SetlDeliverable *self)
{
  g_return_val_if_fail (SETL_IS_DELIVERABLE (self), NULL);
  return self->delivery_id;
}

/**
 * setl_deliverable_add_consumer:
 * @self: a #SetlDeliverable
 * @consumer: a factory type allowed to receive the payload
 *
 * Reserves the deliverable for @consumer (and any others added). Adding the
 * same type twice has no effect.
 */
void
setl_deliverable_add_consumer (SetlDeliverable *self,
                               GType            consumer)
{
  g_return_if_fail (SETL_IS_DELIVERABLE (self));

  if (setl_deliverable_has_consumer (self, consumer))
    return;
  if (self->consumers == NULL)
    self->consumers = g_array_new (FALSE, FALSE, sizeof (GType));
  g_array_append_val (self->consumers, consumer);
}

/**
 * setl_deliverable_get_consumers:
 * @self: a #SetlDeliverable
 * @n_consumers: (out): the number of consumers
 *
 * Returns: (array length=n_consumers) (transfer none): the consumer types the
 *   deliverable is reserved for; empty for "anyone"
 */
const GType *
setl_deliverable_get_consumers (SetlDeliverable *self,
                                guint           *n_consumers)
{
  g_return_val_if_fail (SETL_IS_DELIVERABLE (self), NULL);
  g_return_val_if_fail (n_consumers != NULL, NULL);

  if (self->consumers == NULL)
    {
      *n_consumers = 0;
      return NULL;
    }
  *n_consumers = self->consumers->len;
  return (const GType *) self->consumers->data;
}

/**
 * setl_deliverable_has_consumer:
 * @self: a #SetlDeliverable
 * @consumer: a factory type
 *
 * Returns: %TRUE if @consumer is in the deliverable's consumer list
 */
gboolean
setl_deliverable_has_consumer (SetlDeliverable *self,
                               GType            consumer)
{
  g_return_val_if_fail (SETL_IS_DELIVERABLE (self), FALSE);

  for (guint i = 0; self->consumers && i < self->consumers->len; i++)
    if (g_array_index (self->consumers, GType, i) == consumer)
      return TRUE;
  return FALSE;
}
