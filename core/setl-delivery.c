/* setl-delivery.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/**
 * SetlDelivery:
 *
 * An input slot that a #SetlFactory declares: which payload type it wants,
 * optionally which factory type must have produced it and under which
 * delivery id. Before the factory's `read` phase the pipeline fills every
 * slot with the matching #SetlDeliverable's payload.
 *
 * The slot's name is what error messages and the factory's code use:
 *
 * |[<!-- language="C" -->
 * setl_factory_add_input (factory, "cities", G_TYPE_STRV, SETL_TYPE_EXTERNAL, NULL);
 * …
 * const GValue *cities = setl_factory_get_input (factory, "cities");
 * ]|
 *
 * A producer of %SETL_TYPE_EXTERNAL (the default) accepts any producer.
 * An optional slot that nothing fills is left empty instead of failing the
 * inspection.
 */
#include "setl-delivery.h"
#include "setl-external.h"
#include "setl-private.h"

struct _SetlDelivery
{
  GObject parent_instance;

  char *name;
  GType payload_type;
  GType producer;
  char *delivery_id;
  gboolean optional;
  GType consumer;
  GValue value;
};

enum {
  PROP_0,
  PROP_NAME,
  PROP_PAYLOAD_TYPE,
  PROP_PRODUCER,
  PROP_DELIVERY_ID,
  PROP_OPTIONAL,
  PROP_CONSUMER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (SetlDelivery, setl_delivery, G_TYPE_OBJECT)

static void
setl_delivery_finalize (GObject *object)
{
  SetlDelivery *self = SETL_DELIVERY (object);

  g_free (self->name);
  g_free (self->delivery_id);
  if (G_IS_VALUE (&self->value))
    g_value_unset (&self->value);

  G_OBJECT_CLASS (setl_delivery_parent_class)->finalize (object);
}

static void
setl_delivery_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  SetlDelivery *self = SETL_DELIVERY (object);

  switch (prop_id)
    {
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_PAYLOAD_TYPE:
      g_value_set_gtype (value, self->payload_type);
      break;
    case PROP_PRODUCER:
      g_value_set_gtype (value, self->producer);
      break;
    case PROP_DELIVERY_ID:
      g_value_set_string (value, self->delivery_id);
      break;
    case PROP_OPTIONAL:
      g_value_set_boolean (value, self->optional);
      break;
    case PROP_CONSUMER:
      g_value_set_gtype (value, self->consumer);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
setl_delivery_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  SetlDelivery *self = SETL_DELIVERY (object);

  switch (prop_id)
    {
    case PROP_NAME:
      g_free (self->name);
      self->name = g_value_dup_string (value);
      break;
    case PROP_PAYLOAD_TYPE:
      self->payload_type = g_value_get_gtype (value);
      break;
    case PROP_PRODUCER:
      self->producer = g_value_get_gtype (value);
      if (self->producer == G_TYPE_INVALID || self->producer == G_TYPE_NONE)
        self->producer = SETL_TYPE_EXTERNAL;
      break;
    case PROP_DELIVERY_ID:
      setl_delivery_set_delivery_id (self, g_value_get_string (value));
      break;
    case PROP_OPTIONAL:
      setl_delivery_set_optional (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
setl_delivery_class_init (SetlDeliveryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = setl_delivery_finalize;
  object_class->get_property = setl_delivery_get_property;
  object_class->set_property = setl_delivery_set_property;

  /**
   * SetlDelivery:name:
   *
   * The slot's name, unique within its factory. Errors name the slot by it.
   */
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, "input",
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * SetlDelivery:payload-type:
   *
   * The #GType of the payload the slot accepts (matched exactly).
   */
  properties[PROP_PAYLOAD_TYPE] =
    g_param_spec_gtype ("payload-type", NULL, NULL, G_TYPE_NONE,
                        G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * SetlDelivery:producer:
   *
   * The factory type that must produce the payload, or %SETL_TYPE_EXTERNAL
   * for any producer.
   */
  properties[PROP_PRODUCER] =
    g_param_spec_gtype ("producer", NULL, NULL, G_TYPE_NONE,
                        G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * SetlDelivery:delivery-id:
   *
   * The delivery id the deliverable must carry; "" by default.
   */
  properties[PROP_DELIVERY_ID] =
    g_param_spec_string ("delivery-id", NULL, NULL, "",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * SetlDelivery:optional:
   *
   * Whether the factory can run with the slot left empty.
   */
  properties[PROP_OPTIONAL] =
    g_param_spec_boolean ("optional", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * SetlDelivery:consumer:
   *
   * The type of the factory that declared the slot; %G_TYPE_NONE until the
   * slot is added to a factory.
   */
  properties[PROP_CONSUMER] =
    g_param_spec_gtype ("consumer", NULL, NULL, G_TYPE_NONE,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
setl_delivery_init (SetlDelivery *self)
{
  self->producer = SETL_TYPE_EXTERNAL;
  self->delivery_id = g_strdup ("");
  self->consumer = G_TYPE_NONE;
}

/**
 * setl_delivery_new:
 * @name: the slot's name
 * @payload_type: the payload type the slot accepts
 * @producer: the factory type that must produce it, or %SETL_TYPE_EXTERNAL
 *   (or %G_TYPE_NONE) for any
 * @delivery_id: (nullable): the delivery id, %NULL for ""
 *
 * Creates an input slot. Add it to a factory with setl_factory_add_delivery().
 *
 * Returns: (transfer full): a new #SetlDelivery
 */
SetlDelivery *
setl_delivery_new (const char *name,
                   GType       payload_type,
                   GType       producer,
                   const char *delivery_id)
{
  g_return_val_if_fail (name != NULL && *name != '\0', NULL);
  g_return_val_if_fail (payload_type != G_TYPE_INVALID && payload_type != G_TYPE_NONE, NULL);

  return g_object_new (SETL_TYPE_DELIVERY,
                       "name", name,
                       "payload-type", payload_type,
                       "producer", producer,
                       "delivery-id", delivery_id,
                       NULL);
}

/**
 * setl_delivery_get_name:
 * @self: a #SetlDelivery
 *
 * Returns: the slot's name
 */
const char *
setl_delivery_get_name (SetlDelivery *self)
{
  g_return_val_if_fail (SETL_IS_DELIVERY (self), NULL);
  return self->name;
}

/**
 * setl_delivery_get_payload_type:
 * @self: a #SetlDelivery
 *
 * Returns: the payload type the slot accepts
 */
GType
setl_delivery_get_payload_type (SetlDelivery *self)
{
  g_return_val_if_fail (SETL_IS_DELIVERY (self), G_TYPE_INVALID);
  return self->payload_type;
}

/**
 * setl_delivery_get_producer:
 * @self: a #SetlDelivery
 *
 * Returns: the producer the slot requires, %SETL_TYPE_EXTERNAL for any
 */
GType
setl_delivery_get_producer (SetlDelivery *self)
{
  g_return_val_if_fail (SETL_IS_DELIVERY (self), G_TYPE_INVALID);
  return self->producer;
}

/**
 * setl_delivery_has_producer:
 * @self: a #SetlDelivery
 *
 * Returns: %TRUE if the slot requires a particular producer factory type
 */
gboolean
setl_delivery_has_producer (SetlDelivery *self)
{
  g_return_val_if_fail (SETL_IS_DELIVERY (self), FALSE);
  return self->producer != SETL_TYPE_EXTERNAL;
}

/**
 * setl_delivery_get_delivery_id:
 * @self: a #SetlDelivery
 *
 * Returns: the delivery id, "" when none was given
 */
const char *
setl_delivery_get_delivery_id (SetlDelivery *self)
{
  g_return_val_if_fail (SETL_IS_DELIVERY (self), NULL);
  return self->delivery_id;
}

/**
 * setl_delivery_set_delivery_id:
 * @self: a #SetlDelivery
 * @delivery_id: (nullable): the delivery id, %NULL for ""
 *
 * Changes the delivery id the slot asks for, before the pipeline is
 * inspected — a pipeline file wires a slot to a named factory this way, by
 * giving both the factory's name as delivery id.
 */
void
setl_delivery_set_delivery_id (SetlDelivery *self,
                               const char   *delivery_id)
{
  g_return_if_fail (SETL_IS_DELIVERY (self));

  if (delivery_id == NULL)
    delivery_id = "";
  if (g_strcmp0 (self->delivery_id, delivery_id) == 0)
    return;
  g_free (self->delivery_id);
  self->delivery_id = g_strdup (delivery_id);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DELIVERY_ID]);
}

/**
 * setl_delivery_get_optional:
 * @self: a #SetlDelivery
 *
 * Returns: whether the slot may stay empty
 */
gboolean
setl_delivery_get_optional (SetlDelivery *self)
{
  g_return_val_if_fail (SETL_IS_DELIVERY (self), FALSE);
  return self->optional;
}

/**
 * setl_delivery_set_optional:
 * @self: a #SetlDelivery
 * @optional: whether the slot may stay empty
 *
 * Marks the slot optional: when nothing can fill it, the factory still runs
 * and finds the slot empty (setl_delivery_has_value() returns %FALSE).
 */
void
setl_delivery_set_optional (SetlDelivery *self,
                            gboolean      optional)
{
  g_return_if_fail (SETL_IS_DELIVERY (self));

  optional = !!optional;
  if (self->optional == optional)
    return;
  self->optional = optional;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OPTIONAL]);
}

/**
 * setl_delivery_get_consumer:
 * @self: a #SetlDelivery
 *
 * Returns: the type of the factory the slot belongs to, %G_TYPE_NONE if none
 */
GType
setl_delivery_get_consumer (SetlDelivery *self)
{
  g_return_val_if_fail (SETL_IS_DELIVERY (self), G_TYPE_INVALID);
  return self->consumer;
}

void
_setl_delivery_set_consumer (SetlDelivery *self,
                             GType         consumer)
{
  self->consumer = consumer;
}

/**
 * setl_delivery_has_value:
 * @self: a #SetlDelivery
 *
 * Returns: %TRUE once the dispatcher has filled the slot
 */
gboolean
setl_delivery_has_value (SetlDelivery *self)
{
  g_return_val_if_fail (SETL_IS_DELIVERY (self), FALSE);
  return G_IS_VALUE (&self->value);
}

/**
 * setl_delivery_get_value:
 * @self: a #SetlDelivery
 *
 * Returns: (transfer none) (nullable): the payload put in the slot, or %NULL
 *   while it is empty
 */
const GValue *
setl_delivery_get_value (SetlDelivery *self)
{
  g_return_val_if_fail (SETL_IS_DELIVERY (self), NULL);
  return G_IS_VALUE (&self->value) ? &self->value : NULL;
}

/**
 * setl_delivery_set_value:
 * @self: a #SetlDelivery
 * @value: the payload, of the slot's payload type
 *
 * Fills the slot (the dispatcher does this; tests may too). The value is
 * copied; for objects that copies a reference, never the data.
 */
void
setl_delivery_set_value (SetlDelivery *self,
                         const GValue *value)
{
  g_return_if_fail (SETL_IS_DELIVERY (self));
  g_return_if_fail (G_IS_VALUE (value));

  if (G_IS_VALUE (&self->value))
    g_value_unset (&self->value);
  g_value_init (&self->value, G_VALUE_TYPE (value));
  g_value_copy (value, &self->value);
}

/**
 * setl_delivery_reset:
 * @self: a #SetlDelivery
 *
 * Empties the slot, dropping the reference to the payload.
 */
void
setl_delivery_reset (SetlDelivery *self)
{
  g_return_if_fail (SETL_IS_DELIVERY (self));

  if (G_IS_VALUE (&self->value))
    g_value_unset (&self->value);
}
