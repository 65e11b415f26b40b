/* setl-node.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/**
 * SetlNode:
 *
 * A vertex of the DAG a #SetlInspector builds: a factory at its stage, with
 * its input slots and what it will deliver (type, delivery id, consumers) —
 * or an external input, which has no factory and stage -1.
 */
#include "setl-node.h"
#include "setl-external.h"
#include "setl-private.h"

struct _SetlNode
{
  GObject parent_instance;

  SetlFactory *factory;           /* NULL for an external node */
  SetlDeliverable *deliverable;   /* the external input, or NULL */
  GType factory_type;
  char *name;
  int stage;
  gboolean final;
  GPtrArray *inputs;              /* of SetlDelivery */
  GType output_type;
  char *delivery_id;
  GType *consumers;               /* NULL when there are none, the usual case */
  guint n_consumers;
  guint index;                    /* in its inspector's nodes */
};

G_DEFINE_FINAL_TYPE (SetlNode, setl_node, G_TYPE_OBJECT)

static void
setl_node_finalize (GObject *object)
{
  SetlNode *self = SETL_NODE (object);

  g_clear_object (&self->factory);
  g_clear_object (&self->deliverable);
  g_free (self->name);
  g_ptr_array_unref (self->inputs);
  g_free (self->delivery_id);
  g_free (self->consumers);

  G_OBJECT_CLASS (setl_node_parent_class)->finalize (object);
}

static void
setl_node_class_init (SetlNodeClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = setl_node_finalize;
}

static void
setl_node_init (SetlNode *self)
{
}

/* An inspection makes one node per factory: a consumer list is allocated
 * only for the few outputs that have one. */
static void
set_consumers (SetlNode    *self,
               const GType *consumers,
               guint        n)
{
  self->n_consumers = n;
  self->consumers = n > 0 ? g_memdup2 (consumers, n * sizeof (GType)) : NULL;
}

/**
 * setl_node_new_from_factory:
 * @factory: the factory the node stands for
 * @stage: the index of its stage
 * @final: whether it is in the last stage
 *
 * Returns: (transfer full): a new node
 */
SetlNode *
setl_node_new_from_factory (SetlFactory *factory,
                            int          stage,
                            gboolean     final)
{
  SetlNode *self;
  const GType *consumers;
  guint n;

  g_return_val_if_fail (SETL_IS_FACTORY (factory), NULL);

  self = g_object_new (SETL_TYPE_NODE, NULL);
  self->factory = g_object_ref (factory);
  self->factory_type = G_OBJECT_TYPE (factory);
  self->name = g_strdup (setl_factory_get_name (factory));
  self->stage = stage;
  self->final = final;
  self->inputs = g_ptr_array_ref (setl_factory_get_deliveries (factory));
  self->output_type = setl_factory_get_output_type (factory);
  self->delivery_id = g_strdup (setl_factory_get_delivery_id (factory));
  consumers = setl_factory_get_consumers (factory, &n);
  set_consumers (self, consumers, n);
  return self;
}

/**
 * setl_node_new_external:
 * @deliverable: an external input of the pipeline
 *
 * Returns: (transfer full): a node standing for @deliverable
 */
SetlNode *
setl_node_new_external (SetlDeliverable *deliverable)
{
  SetlNode *self;
  const GType *consumers;
  guint n;

  g_return_val_if_fail (SETL_IS_DELIVERABLE (deliverable), NULL);

  self = g_object_new (SETL_TYPE_NODE, NULL);
  self->deliverable = g_object_ref (deliverable);
  self->factory_type = setl_deliverable_get_producer (deliverable);
  self->stage = -1;
  self->inputs = g_ptr_array_new ();
  self->output_type = setl_deliverable_get_payload_type (deliverable);
  self->delivery_id = g_strdup (setl_deliverable_get_delivery_id (deliverable));
  self->name = *self->delivery_id
               ? g_strdup_printf ("external %s “%s”", g_type_name (self->output_type), self->delivery_id)
               : g_strdup_printf ("external %s", g_type_name (self->output_type));
  consumers = setl_deliverable_get_consumers (deliverable, &n);
  set_consumers (self, consumers, n);
  return self;
}

void
_setl_node_set_index (SetlNode *self,
                      guint     index)
{
  self->index = index;
}

guint
_setl_node_get_index (SetlNode *self)
{
  return self->index;
}

/**
 * setl_node_get_factory:
 * @self: a #SetlNode
 *
 * Returns: (transfer none) (nullable): the factory, %NULL for an external node
 */
SetlFactory *
setl_node_get_factory (SetlNode *self)
{
  g_return_val_if_fail (SETL_IS_NODE (self), NULL);
  return self->factory;
}

/**
 * setl_node_get_deliverable:
 * @self: a #SetlNode
 *
 * Returns: (transfer none) (nullable): the external input an external node
 *   stands for
 */
SetlDeliverable *
setl_node_get_deliverable (SetlNode *self)
{
  g_return_val_if_fail (SETL_IS_NODE (self), NULL);
  return self->deliverable;
}

/**
 * setl_node_get_factory_type:
 * @self: a #SetlNode
 *
 * Returns: the factory's type; for an external node, the producer recorded
 *   in its deliverable (usually %SETL_TYPE_EXTERNAL)
 */
GType
setl_node_get_factory_type (SetlNode *self)
{
  g_return_val_if_fail (SETL_IS_NODE (self), G_TYPE_INVALID);
  return self->factory_type;
}

/**
 * setl_node_get_name:
 * @self: a #SetlNode
 *
 * Returns: the factory's name, or a description of the external input
 */
const char *
setl_node_get_name (SetlNode *self)
{
  g_return_val_if_fail (SETL_IS_NODE (self), NULL);
  return self->name;
}

/**
 * setl_node_get_stage:
 * @self: a #SetlNode
 *
 * Returns: the stage index, -1 for an external node
 */
int
setl_node_get_stage (SetlNode *self)
{
  g_return_val_if_fail (SETL_IS_NODE (self), -1);
  return self->stage;
}

/**
 * setl_node_is_external:
 * @self: a #SetlNode
 *
 * Returns: %TRUE for a node standing for an external input
 */
gboolean
setl_node_is_external (SetlNode *self)
{
  g_return_val_if_fail (SETL_IS_NODE (self), FALSE);
  return self->factory == NULL;
}

/**
 * setl_node_is_final:
 * @self: a #SetlNode
 *
 * Returns: %TRUE if the node's factory is in the last stage
 */
gboolean
setl_node_is_final (SetlNode *self)
{
  g_return_val_if_fail (SETL_IS_NODE (self), FALSE);
  return self->final;
}

/**
 * setl_node_get_inputs:
 * @self: a #SetlNode
 *
 * Returns: (transfer none) (element-type SetlDelivery): the input slots
 */
GPtrArray *
setl_node_get_inputs (SetlNode *self)
{
  g_return_val_if_fail (SETL_IS_NODE (self), NULL);
  return self->inputs;
}

/**
 * setl_node_get_output_type:
 * @self: a #SetlNode
 *
 * Returns: the type of what the node delivers
 */
GType
setl_node_get_output_type (SetlNode *self)
{
  g_return_val_if_fail (SETL_IS_NODE (self), G_TYPE_INVALID);
  return self->output_type;
}

/**
 * setl_node_get_delivery_id:
 * @self: a #SetlNode
 *
 * Returns: the delivery id of what the node delivers
 */
const char *
setl_node_get_delivery_id (SetlNode *self)
{
  g_return_val_if_fail (SETL_IS_NODE (self), NULL);
  return self->delivery_id;
}

/**
 * setl_node_get_consumers:
 * @self: a #SetlNode
 * @n_consumers: (out): the number of consumers
 *
 * Returns: (array length=n_consumers) (transfer none): the consumer types the
 *   node's output is reserved for; empty for anyone
 */
const GType *
setl_node_get_consumers (SetlNode *self,
                         guint    *n_consumers)
{
  g_return_val_if_fail (SETL_IS_NODE (self), NULL);
  g_return_val_if_fail (n_consumers != NULL, NULL);

  *n_consumers = self->n_consumers;
  return self->consumers;
}

/**
 * setl_node_find_inputs:
 * @self: a #SetlNode
 * @payload_type: a payload type
 * @delivery_id: (nullable): a delivery id, %NULL for ""
 *
 * Returns: (transfer container) (element-type SetlDelivery): the node's input
 *   slots that accept @payload_type under @delivery_id
 */
GPtrArray *
setl_node_find_inputs (SetlNode   *self,
                       GType       payload_type,
                       const char *delivery_id)
{
  GPtrArray *found = g_ptr_array_new ();

  g_return_val_if_fail (SETL_IS_NODE (self), found);

  for (guint i = 0; i < self->inputs->len; i++)
    {
      SetlDelivery *d = g_ptr_array_index (self->inputs, i);

      if (setl_delivery_get_payload_type (d) == payload_type &&
          g_str_equal (setl_delivery_get_delivery_id (d), delivery_id ? delivery_id : ""))
        g_ptr_array_add (found, d);
    }
  return found;
}

static gboolean
has_consumer (SetlNode *self,
              GType     consumer)
{
  if (self->n_consumers == 0)
    return TRUE;
  for (guint i = 0; i < self->n_consumers; i++)
    if (self->consumers[i] == consumer)
      return TRUE;
  return FALSE;
}

/**
 * setl_node_can_deliver_to:
 * @self: a producing node
 * @consumer: a consuming node
 * @slot: one of @consumer's input slots
 *
 * Whether @self's output fits @slot of @consumer, stages aside: same payload
 * type and delivery id, the producer the slot asks for (if any), and a
 * consumer list (if any) that includes @consumer's factory type.
 *
 * Returns: %TRUE if @self could fill @slot
 */
gboolean
setl_node_can_deliver_to (SetlNode     *self,
                          SetlNode     *consumer,
                          SetlDelivery *slot)
{
  GType wanted;

  g_return_val_if_fail (SETL_IS_NODE (self), FALSE);
  g_return_val_if_fail (SETL_IS_NODE (consumer), FALSE);
  g_return_val_if_fail (SETL_IS_DELIVERY (slot), FALSE);

  if (self == consumer || (self->factory != NULL && self->factory == consumer->factory))
    return FALSE;
  if (setl_delivery_get_payload_type (slot) != self->output_type)
    return FALSE;
  if (!g_str_equal (setl_delivery_get_delivery_id (slot), self->delivery_id))
    return FALSE;
  wanted = setl_delivery_get_producer (slot);
  if (wanted != SETL_TYPE_EXTERNAL && wanted != self->factory_type)
    return FALSE;
  return has_consumer (self, consumer->factory_type);
}

/**
 * setl_node_describe:
 * @self: a #SetlNode
 *
 * Describes the node in the style of PySetl's pipeline summary: factory,
 * stage, one line per input, the output.
 *
 * Returns: (transfer full): the description
 */
char *
setl_node_describe (SetlNode *self)
{
  GString *s;

  g_return_val_if_fail (SETL_IS_NODE (self), NULL);

  s = g_string_new (NULL);
  if (self->factory)
    g_string_append_printf (s, "Factory: %s (%s)\nStage: %d\n",
                            self->name, g_type_name (self->factory_type), self->stage);
  else
    g_string_append_printf (s, "External: %s\n", self->name);
  for (guint i = 0; i < self->inputs->len; i++)
    {
      SetlDelivery *d = g_ptr_array_index (self->inputs, i);
      const char *id = setl_delivery_get_delivery_id (d);

      g_string_append_printf (s, "Input “%s”: %s", setl_delivery_get_name (d),
                              g_type_name (setl_delivery_get_payload_type (d)));
      if (*id)
        g_string_append_printf (s, " (delivery id: %s)", id);
      if (setl_delivery_has_producer (d))
        g_string_append_printf (s, " from %s", g_type_name (setl_delivery_get_producer (d)));
      if (setl_delivery_get_optional (d))
        g_string_append (s, " [optional]");
      g_string_append_c (s, '\n');
    }
  g_string_append_printf (s, "Output: %s", g_type_name (self->output_type));
  if (*self->delivery_id)
    g_string_append_printf (s, " (delivery id: %s)", self->delivery_id);
  g_string_append_c (s, '\n');
  return g_string_free (s, FALSE);
}
