/* setl-one-of.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/**
 * SetlOneOf:
 *
 * A `one_of` input made a factory: it has one optional slot per arm of a
 * set of exclusive branches (the arms of an if / else-if / else or of a
 * switch), and delivers the output of whichever arm ran. Consumers wire to
 * it as to any factory.
 *
 * - When no arm ran because every arm was skipped, the one-of is skipped,
 *   and so are the factories that require its output.
 * - When an arm failed, the one-of is upstream-failed.
 * - Two arms delivering is a failure: the branches were not exclusive.
 *
 * A branch set without an `else` (@exhaustive %FALSE) may run no arm at
 * all: the inspector refuses one whose output a later factory requires
 * (an optional input is fine: it then arrives empty).
 *
 * |[<!-- language="C" -->
 * SetlOneOf *route = setl_one_of_new ("route", SETL_TYPE_BATCH_STREAM, TRUE);
 * setl_one_of_add_arm (route, "full", SETL_TYPE_EXTERNAL, "full_load");
 * setl_one_of_add_arm (route, "delta", SETL_TYPE_EXTERNAL, "delta_load");
 * ]|
 */
#include "setl-one-of.h"
#include "setl-error.h"
#include "setl-private.h"

struct _SetlOneOf
{
  SetlFactory parent_instance;

  GType payload_type;
  gboolean exhaustive;
  char *chosen;             /* the slot that delivered, in the last run */
};

G_DEFINE_FINAL_TYPE (SetlOneOf, setl_one_of, SETL_TYPE_FACTORY)

static void
setl_one_of_finalize (GObject *object)
{
  g_free (SETL_ONE_OF (object)->chosen);
  G_OBJECT_CLASS (setl_one_of_parent_class)->finalize (object);
}

static GType
setl_one_of_get_output_type (SetlFactory *factory)
{
  return SETL_ONE_OF (factory)->payload_type;
}

static gboolean
setl_one_of_process (SetlFactory   *factory,
                     GCancellable  *cancellable,
                     GError       **error)
{
  SetlOneOf *self = SETL_ONE_OF (factory);
  GPtrArray *slots = setl_factory_get_deliveries (factory);
  const char *chosen = NULL;

  g_clear_pointer (&self->chosen, g_free);
  for (guint i = 0; i < slots->len; i++)
    {
      SetlDelivery *slot = g_ptr_array_index (slots, i);

      if (!setl_delivery_has_value (slot))
        continue;
      if (chosen != NULL)
        {
          g_set_error (error, SETL_PIPELINE_ERROR, SETL_PIPELINE_ERROR_CONDITION,
                       "the branches of “%s” are not exclusive: arms “%s” and “%s” both ran",
                       setl_factory_get_name (factory), chosen, setl_delivery_get_name (slot));
          return FALSE;
        }
      chosen = setl_delivery_get_name (slot);
    }
  if (chosen == NULL)
    {
      g_set_error (error, SETL_PIPELINE_ERROR, SETL_PIPELINE_ERROR_NO_OUTPUT,
                   "no arm of “%s” delivered an output", setl_factory_get_name (factory));
      return FALSE;
    }
  _setl_set_str (&self->chosen, chosen);
  return TRUE;
}

static gboolean
setl_one_of_get (SetlFactory  *factory,
                 GValue       *output,
                 GError      **error)
{
  SetlOneOf *self = SETL_ONE_OF (factory);
  const GValue *in = self->chosen ? setl_factory_get_input (factory, self->chosen) : NULL;

  if (in == NULL)
    {
      g_set_error (error, SETL_PIPELINE_ERROR, SETL_PIPELINE_ERROR_NO_OUTPUT,
                   "no arm of “%s” delivered an output", setl_factory_get_name (factory));
      return FALSE;
    }
  if (G_VALUE_HOLDS_OBJECT (in) && G_VALUE_HOLDS_OBJECT (output))
    g_value_set_object (output, g_value_get_object (in));
  else
    g_value_copy (in, output);
  return TRUE;
}

static void
setl_one_of_class_init (SetlOneOfClass *klass)
{
  SetlFactoryClass *factory_class = SETL_FACTORY_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = setl_one_of_finalize;
  factory_class->get_output_type = setl_one_of_get_output_type;
  factory_class->process = setl_one_of_process;
  factory_class->get = setl_one_of_get;
}

static void
setl_one_of_init (SetlOneOf *self)
{
  self->payload_type = G_TYPE_NONE;
}

/**
 * setl_one_of_new:
 * @name: the factory's name, which consumers wire to
 * @payload_type: the type every arm outputs
 * @exhaustive: whether some arm always runs (the set has an `else`, or a
 *   `default`)
 *
 * Returns: (transfer full): a one-of without arms
 */
SetlOneOf *
setl_one_of_new (const char *name,
                 GType       payload_type,
                 gboolean    exhaustive)
{
  SetlOneOf *self;

  g_return_val_if_fail (payload_type != G_TYPE_INVALID, NULL);

  self = g_object_new (SETL_TYPE_ONE_OF, "name", name, NULL);
  self->payload_type = payload_type;
  self->exhaustive = exhaustive;
  return self;
}

/**
 * setl_one_of_add_arm:
 * @self: a #SetlOneOf
 * @slot_name: the arm's slot
 * @producer: the arm's factory type, or %SETL_TYPE_EXTERNAL for any
 * @delivery_id: (nullable): the arm's delivery id
 *
 * Returns: (transfer none): the arm's slot, optional
 */
SetlDelivery *
setl_one_of_add_arm (SetlOneOf  *self,
                     const char *slot_name,
                     GType       producer,
                     const char *delivery_id)
{
  SetlDelivery *slot;

  g_return_val_if_fail (SETL_IS_ONE_OF (self), NULL);

  slot = setl_factory_add_input (SETL_FACTORY (self), slot_name, self->payload_type,
                                 producer, delivery_id);
  setl_delivery_set_optional (slot, TRUE);
  return slot;
}

/**
 * setl_one_of_get_exhaustive:
 * @self: a #SetlOneOf
 *
 * Returns: whether some arm always runs
 */
gboolean
setl_one_of_get_exhaustive (SetlOneOf *self)
{
  g_return_val_if_fail (SETL_IS_ONE_OF (self), FALSE);
  return self->exhaustive;
}

/**
 * setl_one_of_get_chosen:
 * @self: a #SetlOneOf
 *
 * Returns: (nullable): the slot of the arm that ran in the last run
 */
const char *
setl_one_of_get_chosen (SetlOneOf *self)
{
  g_return_val_if_fail (SETL_IS_ONE_OF (self), NULL);
  return self->chosen;
}
