/* setl-condition.h: whether a factory or a stage runs.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(SETL_INSIDE) && !defined(SETL_COMPILATION)
#error "Only <setl/setl.h> can be included directly."
#endif

#include <glib-object.h>

#include "setl-condition-context.h"
#include "setl-factory.h"
#include "setl-factory-result.h"
#include "setl-inspector.h"
#include "setl-stage.h"

G_BEGIN_DECLS

#define SETL_TYPE_CONDITION (setl_condition_get_type ())
G_DECLARE_INTERFACE (SetlCondition, setl_condition, SETL, CONDITION, GObject)

/**
 * SetlConditionInterface:
 * @g_iface: the parent interface
 * @to_string: returns the condition as a person reads it (an expression's
 *   text); shown by `setl check`, `setl graph` and in skip reasons
 * @get_references: returns the names the condition reads, without `$`:
 *   parameters (`env`), and facts about the outputs of upstream factories
 *   (`orders.row_count`: everything up to the first dot names the factory).
 *   A condition that reads no fact is *static* and is decided by the
 *   inspector before the run; the others are *dynamic* and are decided when
 *   the factories they read have finished.
 * @evaluate: decides; stores whether the factory runs in @result. Returns
 *   %FALSE with @error set when the condition cannot be decided (an unknown
 *   parameter, a type error): the factory then fails.
 *
 * A condition on a factory or a stage. Conditions come from the core
 * (#SetlExprCondition) or from plugins.
 */
struct _SetlConditionInterface
{
  GTypeInterface g_iface;

  char     *(*to_string)      (SetlCondition         *self);
  char    **(*get_references) (SetlCondition         *self);
  gboolean  (*evaluate)       (SetlCondition         *self,
                               SetlConditionContext  *context,
                               gboolean              *result,
                               GError               **error);

  /*< private >*/
  gpointer padding[8];
};

char     *setl_condition_to_string      (SetlCondition         *self);
char    **setl_condition_get_references (SetlCondition         *self);
gboolean  setl_condition_evaluate       (SetlCondition         *self,
                                         SetlConditionContext  *context,
                                         gboolean              *result,
                                         GError               **error);

void           setl_factory_set_condition (SetlFactory   *factory,
                                           SetlCondition *condition);
SetlCondition *setl_factory_get_condition (SetlFactory   *factory);
void           setl_stage_set_condition   (SetlStage     *stage,
                                           SetlCondition *condition);
SetlCondition *setl_stage_get_condition   (SetlStage     *stage);

void           setl_factory_set_variant   (SetlFactory   *factory,
                                           const char    *variant);
const char    *setl_factory_get_variant   (SetlFactory   *factory);

const char    *setl_factory_result_get_variant (SetlFactoryResult *self);

void           setl_pipeline_set_parameter (SetlPipeline *pipeline,
                                            const char   *name,
                                            const GValue *value);
const GValue  *setl_pipeline_get_parameter (SetlPipeline *pipeline,
                                            const char   *name);

const char    *setl_inspector_get_pruned_reason (SetlInspector *self,
                                                 SetlFactory   *factory);

G_END_DECLS
