/* setl-flow.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/**
 * SetlFlow:
 *
 * An edge of the DAG: the output of one node (a factory, or an external
 * input) going into one input slot of a later factory.
 */
#include "setl-flow.h"

struct _SetlFlow
{
  GObject parent_instance;

  SetlNode *from;
  SetlNode *to;
  SetlDelivery *slot;
};

G_DEFINE_FINAL_TYPE (SetlFlow, setl_flow, G_TYPE_OBJECT)

static void
setl_flow_finalize (GObject *object)
{
  SetlFlow *self = SETL_FLOW (object);

  g_clear_object (&self->from);
  g_clear_object (&self->to);
  g_clear_object (&self->slot);

  G_OBJECT_CLASS (setl_flow_parent_class)->finalize (object);
}

static void
setl_flow_class_init (SetlFlowClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = setl_flow_finalize;
}

static void
setl_flow_init (SetlFlow *self)
{
}

/**
 * setl_flow_new:
 * @from: the producing node
 * @to: the consuming node
 * @slot: the input slot of @to that the flow fills
 *
 * Returns: (transfer full): a new flow
 */
SetlFlow *
setl_flow_new (SetlNode     *from,
               SetlNode     *to,
               SetlDelivery *slot)
{
  SetlFlow *self;

  g_return_val_if_fail (SETL_IS_NODE (from), NULL);
  g_return_val_if_fail (SETL_IS_NODE (to), NULL);
  g_return_val_if_fail (SETL_IS_DELIVERY (slot), NULL);

  self = g_object_new (SETL_TYPE_FLOW, NULL);
  self->from = g_object_ref (from);
  self->to = g_object_ref (to);
  self->slot = g_object_ref (slot);
  return self;
}

/**
 * setl_flow_get_from:
 * @self: a #SetlFlow
 *
 * Returns: (transfer none): the producing node
 */
SetlNode *
setl_flow_get_from (SetlFlow *self)
{
  g_return_val_if_fail (SETL_IS_FLOW (self), NULL);
  return self->from;
}

/**
 * setl_flow_get_to:
 * @self: a #SetlFlow
 *
 * Returns: (transfer none): the consuming node
 */
SetlNode *
setl_flow_get_to (SetlFlow *self)
{
  g_return_val_if_fail (SETL_IS_FLOW (self), NULL);
  return self->to;
}

/**
 * setl_flow_get_slot:
 * @self: a #SetlFlow
 *
 * Returns: (transfer none): the input slot the flow fills
 */
SetlDelivery *
setl_flow_get_slot (SetlFlow *self)
{
  g_return_val_if_fail (SETL_IS_FLOW (self), NULL);
  return self->slot;
}

/**
 * setl_flow_get_payload_type:
 * @self: a #SetlFlow
 *
 * Returns: the type of what flows
 */
GType
setl_flow_get_payload_type (SetlFlow *self)
{
  g_return_val_if_fail (SETL_IS_FLOW (self), G_TYPE_INVALID);
  return setl_node_get_output_type (self->from);
}

/**
 * setl_flow_get_delivery_id:
 * @self: a #SetlFlow
 *
 * Returns: the delivery id of what flows
 */
const char *
setl_flow_get_delivery_id (SetlFlow *self)
{
  g_return_val_if_fail (SETL_IS_FLOW (self), NULL);
  return setl_node_get_delivery_id (self->from);
}

/**
 * setl_flow_get_stage:
 * @self: a #SetlFlow
 *
 * Returns: the stage of the producing node, -1 for an external input
 */
int
setl_flow_get_stage (SetlFlow *self)
{
  g_return_val_if_fail (SETL_IS_FLOW (self), -1);
  return setl_node_get_stage (self->from);
}

/**
 * setl_flow_is_external:
 * @self: a #SetlFlow
 *
 * Returns: %TRUE if the flow starts at an external input
 */
gboolean
setl_flow_is_external (SetlFlow *self)
{
  g_return_val_if_fail (SETL_IS_FLOW (self), FALSE);
  return setl_node_is_external (self->from);
}

/**
 * setl_flow_describe:
 * @self: a #SetlFlow
 *
 * Returns: (transfer full): a one-paragraph description of the flow
 */
char *
setl_flow_describe (SetlFlow *self)
{
  const char *id;

  g_return_val_if_fail (SETL_IS_FLOW (self), NULL);

  id = setl_flow_get_delivery_id (self);
  return g_strdup_printf ("Flow: %s (stage %d) → %s.%s (stage %d)\nPayload: %s%s%s%s\n",
                          setl_node_get_name (self->from), setl_node_get_stage (self->from),
                          setl_node_get_name (self->to), setl_delivery_get_name (self->slot),
                          setl_node_get_stage (self->to),
                          g_type_name (setl_flow_get_payload_type (self)),
                          *id ? " (delivery id: " : "", id, *id ? ")" : "");
}
