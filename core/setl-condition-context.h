/* setl-condition-context.h: what a condition may read — parameters and
 * facts about upstream outputs.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(SETL_INSIDE) && !defined(SETL_COMPILATION)
#error "Only <setl/setl.h> can be included directly."
#endif

#include <gio/gio.h>

#include "setl-expr-scope.h"
#include "setl-output-facts.h"

G_BEGIN_DECLS

#define SETL_TYPE_CONDITION_CONTEXT (setl_condition_context_get_type ())
G_DECLARE_FINAL_TYPE (SetlConditionContext, setl_condition_context, SETL, CONDITION_CONTEXT, GObject)

gboolean         setl_condition_context_is_static   (SetlConditionContext  *self);
SetlExprScope   *setl_condition_context_get_scope   (SetlConditionContext  *self);
SetlOutputFacts *setl_condition_context_get_facts   (SetlConditionContext  *self,
                                                     const char            *factory_name,
                                                     GError               **error);
gboolean         setl_condition_context_lookup      (SetlConditionContext  *self,
                                                     const char            *name,
                                                     GValue                *value,
                                                     GError               **error);

G_END_DECLS
