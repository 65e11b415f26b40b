/* setl-expr-condition.h: a condition written in the expression language.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(SETL_INSIDE) && !defined(SETL_COMPILATION)
#error "Only <setl/setl.h> can be included directly."
#endif

#include "setl-condition.h"

G_BEGIN_DECLS

#define SETL_TYPE_EXPR_CONDITION (setl_expr_condition_get_type ())
G_DECLARE_FINAL_TYPE (SetlExprCondition, setl_expr_condition, SETL, EXPR_CONDITION, GObject)

SetlExprCondition *setl_expr_condition_new      (const char        *text,
                                                 GError           **error);
SetlExprCondition *setl_expr_condition_new_full (const char        *text,
                                                 const char        *label,
                                                 GError           **error);
const char        *setl_expr_condition_get_text (SetlExprCondition *self);

G_END_DECLS
