/* setl-condition.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/**
 * SetlCondition:
 *
 * Whether a factory, or every factory of a stage, runs. The core's
 * #SetlExprCondition is an expression over parameters and facts about
 * upstream outputs; plugins may implement the interface for anything else.
 *
 * |[<!-- language="C" -->
 * g_autoptr(SetlExprCondition) c =
 *   setl_expr_condition_new ("$env = 'prod' and $orders.row_count > 0", &error);
 * setl_factory_set_condition (SETL_FACTORY (publish), SETL_CONDITION (c));
 * ]|
 *
 * A condition that reads only parameters is static: the pipeline's
 * inspector decides it before the run and prunes the factory, so
 * `setl check` and `setl graph` show it. One that reads facts is dynamic,
 * decided when the factories it reads have finished. A factory disabled by
 * its condition is %SETL_FACTORY_STATUS_SKIPPED, and so are the factories
 * that require its output (docs/conditions.md has every rule).
 */
#include "setl-condition.h"
#include "setl-condition-private.h"

G_DEFINE_INTERFACE (SetlCondition, setl_condition, G_TYPE_OBJECT)

static void
setl_condition_default_init (SetlConditionInterface *iface)
{
}

/**
 * setl_condition_to_string:
 * @self: a #SetlCondition
 *
 * Returns: (transfer full): the condition as a person reads it
 */
char *
setl_condition_to_string (SetlCondition *self)
{
  SetlConditionInterface *iface;

  g_return_val_if_fail (SETL_IS_CONDITION (self), NULL);

  iface = SETL_CONDITION_GET_IFACE (self);
  return iface->to_string ? iface->to_string (self) : g_strdup (G_OBJECT_TYPE_NAME (self));
}

/**
 * setl_condition_get_references:
 * @self: a #SetlCondition
 *
 * Returns: (transfer full) (array zero-terminated=1): the parameters and
 *   facts the condition reads, without `$`; empty when the interface does
 *   not say (the condition is then static)
 */
char **
setl_condition_get_references (SetlCondition *self)
{
  SetlConditionInterface *iface;

  g_return_val_if_fail (SETL_IS_CONDITION (self), NULL);

  iface = SETL_CONDITION_GET_IFACE (self);
  return iface->get_references ? iface->get_references (self) : g_new0 (char *, 1);
}

/**
 * setl_condition_evaluate:
 * @self: a #SetlCondition
 * @context: what the condition may read
 * @result: (out): whether the factory runs
 * @error: return location for a #GError
 *
 * Returns: %FALSE with @error set when the condition cannot be decided
 */
gboolean
setl_condition_evaluate (SetlCondition         *self,
                         SetlConditionContext  *context,
                         gboolean              *result,
                         GError               **error)
{
  gboolean ok;

  g_return_val_if_fail (SETL_IS_CONDITION (self), FALSE);
  g_return_val_if_fail (SETL_IS_CONDITION_CONTEXT (context), FALSE);
  g_return_val_if_fail (result != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  *result = FALSE;
  ok = SETL_CONDITION_GET_IFACE (self)->evaluate (self, context, result, error);
  g_return_val_if_fail (ok || error == NULL || *error != NULL, FALSE);
  return ok;
}

static GQuark
condition_quark (void)
{
  return g_quark_from_static_string ("setl-condition");
}

static GQuark
variant_quark (void)
{
  return g_quark_from_static_string ("setl-variant");
}

/**
 * setl_factory_set_condition:
 * @factory: a #SetlFactory
 * @condition: (nullable): the condition, %NULL to remove it
 *
 * Makes @factory run only when @condition holds.
 */
void
setl_factory_set_condition (SetlFactory   *factory,
                            SetlCondition *condition)
{
  g_return_if_fail (SETL_IS_FACTORY (factory));
  g_return_if_fail (condition == NULL || SETL_IS_CONDITION (condition));

  g_object_set_qdata_full (G_OBJECT (factory), condition_quark (),
                           condition ? g_object_ref (condition) : NULL, g_object_unref);
}

/**
 * setl_factory_get_condition:
 * @factory: a #SetlFactory
 *
 * Returns: (transfer none) (nullable): the factory's condition
 */
SetlCondition *
setl_factory_get_condition (SetlFactory *factory)
{
  g_return_val_if_fail (SETL_IS_FACTORY (factory), NULL);
  return g_object_get_qdata (G_OBJECT (factory), condition_quark ());
}

/**
 * setl_stage_set_condition:
 * @stage: a #SetlStage
 * @condition: (nullable): the condition, %NULL to remove it
 *
 * Makes every factory of @stage run only when @condition holds (and its
 * own condition, if any). A dynamic stage condition is decided as the
 * stage starts, so it may read facts of any earlier stage's factories.
 */
void
setl_stage_set_condition (SetlStage     *stage,
                          SetlCondition *condition)
{
  g_return_if_fail (SETL_IS_STAGE (stage));
  g_return_if_fail (condition == NULL || SETL_IS_CONDITION (condition));

  g_object_set_qdata_full (G_OBJECT (stage), condition_quark (),
                           condition ? g_object_ref (condition) : NULL, g_object_unref);
}

/**
 * setl_stage_get_condition:
 * @stage: a #SetlStage
 *
 * Returns: (transfer none) (nullable): the stage's condition
 */
SetlCondition *
setl_stage_get_condition (SetlStage *stage)
{
  g_return_val_if_fail (SETL_IS_STAGE (stage), NULL);
  return g_object_get_qdata (G_OBJECT (stage), condition_quark ());
}

/**
 * setl_factory_set_variant:
 * @factory: a #SetlFactory
 * @variant: (nullable): the variant its run belongs to
 *
 * Records the variant of an A/B split (the routing plugin's `split` sets
 * its own as it runs). The run report gives it for the factory, dynamic
 * conditions read it as `$FACTORY.variant`, and cache keys will include it.
 */
void
setl_factory_set_variant (SetlFactory *factory,
                          const char  *variant)
{
  g_return_if_fail (SETL_IS_FACTORY (factory));

  g_object_set_qdata_full (G_OBJECT (factory), variant_quark (), g_strdup (variant), g_free);
}

/**
 * setl_factory_get_variant:
 * @factory: a #SetlFactory
 *
 * Returns: (nullable): the variant set with setl_factory_set_variant()
 */
const char *
setl_factory_get_variant (SetlFactory *factory)
{
  g_return_val_if_fail (SETL_IS_FACTORY (factory), NULL);
  return g_object_get_qdata (G_OBJECT (factory), variant_quark ());
}

void
_setl_conditions_annotate (SetlFactory       *factory,
                           SetlFactoryResult *result)
{
  const char *variant = setl_factory_get_variant (factory);

  if (variant == NULL)
    return;
  g_object_set_qdata_full (G_OBJECT (result), variant_quark (), g_strdup (variant), g_free);
}

/**
 * setl_factory_result_get_variant:
 * @self: a #SetlFactoryResult
 *
 * Returns: (nullable): the A/B variant the factory recorded in the run
 */
const char *
setl_factory_result_get_variant (SetlFactoryResult *self)
{
  g_return_val_if_fail (SETL_IS_FACTORY_RESULT (self), NULL);
  return g_object_get_qdata (G_OBJECT (self), variant_quark ());
}
