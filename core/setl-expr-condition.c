/* setl-expr-condition.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/**
 * SetlExprCondition:
 *
 * A #SetlCondition written in the expression language (docs/expressions.md)
 * over parameters (`$env = 'prod'`) and facts about upstream outputs
 * (`$orders.row_count > 0`, `$orders.amount.max < 1000`; see
 * #SetlConditionContext for the list). The condition holds only when the
 * expression is true: false and null both disable the factory.
 *
 * The text is parsed when the condition is made, so a syntax error is
 * found at once; it is type-checked when it is decided, against the
 * parameters and the facts known then.
 */
#include "setl-expr-condition.h"
#include "setl-condition-private.h"
#include "setl-expr.h"
#include "setl-expr-private.h"
#include "setl-error.h"

struct _SetlExprCondition
{
  GObject parent_instance;

  char *text;
  char *label;      /* what people see; the text unless told otherwise */
  char **references;
};

static void setl_expr_condition_iface_init (SetlConditionInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SetlExprCondition, setl_expr_condition, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (SETL_TYPE_CONDITION, setl_expr_condition_iface_init))

static void
setl_expr_condition_finalize (GObject *object)
{
  SetlExprCondition *self = SETL_EXPR_CONDITION (object);

  g_free (self->text);
  g_free (self->label);
  g_strfreev (self->references);
  G_OBJECT_CLASS (setl_expr_condition_parent_class)->finalize (object);
}

static void
setl_expr_condition_class_init (SetlExprConditionClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = setl_expr_condition_finalize;
}

static void
setl_expr_condition_init (SetlExprCondition *self)
{
}

static char *
expr_condition_to_string (SetlCondition *condition)
{
  return g_strdup (SETL_EXPR_CONDITION (condition)->label);
}

static char **
expr_condition_get_references (SetlCondition *condition)
{
  return g_strdupv (SETL_EXPR_CONDITION (condition)->references);
}

static gboolean
expr_condition_evaluate (SetlCondition         *condition,
                         SetlConditionContext  *context,
                         gboolean              *result,
                         GError               **error)
{
  SetlExprCondition *self = SETL_EXPR_CONDITION (condition);
  SetlExprScope *scope = setl_condition_context_get_scope (context);
  g_autoptr(SetlExpr) expr = NULL;
  GError *local = NULL;

  /* Checked now, against the facts of this run: a column's min has the
   * column's type, which is only known once the output exists. */
  expr = setl_expr_compile (self->text, scope, &local);
  if (expr != NULL && setl_expr_get_result_type (expr) != SETL_DATA_TYPE_BOOL)
    g_set_error (&local, SETL_EXPR_ERROR, SETL_EXPR_ERROR_TYPE,
                 "a condition must be a bool, not a %s",
                 setl_data_type_to_string (setl_expr_get_result_type (expr)));
  if (local == NULL)
    setl_expr_evaluate_condition (expr, scope, result, &local);
  if (local == NULL)
    return TRUE;

  /* A fact that could not be gathered reads as an unknown parameter to
   * the expression; the real cause is more useful. */
  if (_setl_condition_context_get_error (context) != NULL)
    {
      g_error_free (local);
      local = g_error_copy (_setl_condition_context_get_error (context));
    }
  g_propagate_prefixed_error (error, local, "condition “%s”: ", self->label);
  return FALSE;
}

static void
setl_expr_condition_iface_init (SetlConditionInterface *iface)
{
  iface->to_string = expr_condition_to_string;
  iface->get_references = expr_condition_get_references;
  iface->evaluate = expr_condition_evaluate;
}

/**
 * setl_expr_condition_new:
 * @text: an expression of type bool
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the condition, or %NULL with @error
 *   set (in %SETL_EXPR_ERROR) if @text does not parse
 */
SetlExprCondition *
setl_expr_condition_new (const char  *text,
                         GError     **error)
{
  return setl_expr_condition_new_full (text, NULL, error);
}

/**
 * setl_expr_condition_new_full:
 * @text: an expression of type bool
 * @label: (nullable): how to show the condition, %NULL for @text; branch
 *   sets show an arm's own test while evaluating the arms before it too
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the condition, or %NULL with @error set
 */
SetlExprCondition *
setl_expr_condition_new_full (const char  *text,
                              const char  *label,
                              GError     **error)
{
  g_autoptr(SetlExpr) expr = NULL;
  SetlExprCondition *self;

  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  expr = setl_expr_parse (text, error);
  if (expr == NULL)
    return NULL;
  if (!setl_expr_is_constant (expr))
    {
      g_auto(GStrv) columns = setl_expr_get_column_names (expr);

      g_set_error (error, SETL_EXPR_ERROR, SETL_EXPR_ERROR_UNKNOWN_COLUMN,
                   "a condition reads parameters and facts (“$name”), not columns: "
                   "“%s” is a column; did you mean “$%s”?", columns[0], columns[0]);
      return NULL;
    }
  self = g_object_new (SETL_TYPE_EXPR_CONDITION, NULL);
  self->text = g_strdup (text);
  self->label = g_strdup (label ? label : text);
  self->references = setl_expr_get_parameter_names (expr);
  return self;
}

static void
add_conjuncts (const char   *text,
               SetlExprNode *node,
               GPtrArray    *out)
{
  if (node->kind == SETL_EXPR_NODE_AND)
    {
      for (guint i = 0; i < node->n_args; i++)
        add_conjuncts (text, node->args[i], out);
      return;
    }
  g_ptr_array_add (out, g_strndup (text + node->start, node->end - node->start));
}

/* The operands of the top-level `and`s of the condition (the whole text
 * when there is none): if one of them is false, so is the condition,
 * whatever the others are (Kleene logic). The inspector decides the static
 * ones before the run, so that `$env = 'prod' and $orders.row_count > 0`
 * is pruned outside production. */
GPtrArray *
_setl_expr_condition_get_conjuncts (SetlExprCondition *self)
{
  g_autoptr(SetlExpr) expr = setl_expr_parse (self->text, NULL);
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);

  if (expr != NULL && expr->root != NULL)
    add_conjuncts (self->text, expr->root, out);
  return out;
}

/**
 * setl_expr_condition_get_text:
 * @self: a #SetlExprCondition
 *
 * Returns: the expression
 */
const char *
setl_expr_condition_get_text (SetlExprCondition *self)
{
  g_return_val_if_fail (SETL_IS_EXPR_CONDITION (self), NULL);
  return self->text;
}
