/* setl-expr-check.c: gives an expression its types against a scope.
 *
 * The checker annotates each node with its type, inserts the implicit
 * conversions (int64 to double, date to timestamp, string literal to date
 * or timestamp) as cast nodes marked implicit, computes casts of literals
 * once, and compiles literal regular expressions once — so that evaluation
 * meets no surprise it could have reported earlier.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "setl-expr-private.h"

#include <string.h>

typedef struct {
  SetlExpr *expr;
  SetlExprScope *scope;
} Checker;

static gboolean check_node (Checker *c, SetlExprNode *node, GError **error);

static gboolean
is_numeric (SetlDataType type)
{
  return type == SETL_DATA_TYPE_INT64 || type == SETL_DATA_TYPE_DOUBLE;
}

static gboolean
is_temporal (SetlDataType type)
{
  return type == SETL_DATA_TYPE_DATE32 || type == SETL_DATA_TYPE_TIMESTAMP;
}

/* The operand as written, shortened, for messages. */
static char *
describe (Checker      *c,
          SetlExprNode *node)
{
  guint end = node->end;

  if (end - node->start > 40)
    {
      g_autofree char *start = NULL;
      /* Back to a character boundary. */
      end = node->start + 37;
      while (end > node->start && ((guchar) c->expr->text[end] & 0xC0) == 0x80)
        end--;
      start = g_utf8_make_valid (c->expr->text + node->start, end - node->start);
      return g_strdup_printf ("'%s…'", start);
    }
  return _setl_expr_describe_span (c->expr->text, node->start, end);
}

static gboolean
has_columns (SetlExprNode *node)
{
  if (node->kind == SETL_EXPR_NODE_COLUMN)
    return TRUE;
  for (guint i = 0; i < node->n_args; i++)
    if (has_columns (node->args[i]))
      return TRUE;
  return FALSE;
}

static gboolean
is_known_value (SetlExprNode *node)
{
  return node->kind == SETL_EXPR_NODE_LITERAL || node->folded;
}

/* The node's value, for a literal or a folded cast. */
static const SetlExprValue *
known_value (SetlExprNode *node)
{
  return &node->literal;
}

static void
set_folded (SetlExprNode        *node,
            const SetlExprValue *value,
            char                *owned)
{
  g_free (node->owned_str);
  node->owned_str = owned;
  node->literal = *value;
  if (owned != NULL)
    node->literal.str = owned;
  else if (value->type == SETL_DATA_TYPE_STRING && !value->is_null)
    {
      /* Borrowed from the argument: keep a copy of our own. */
      node->owned_str = g_strndup (value->str, value->len);
      node->literal.str = node->owned_str;
    }
  node->folded = TRUE;
}

/* Computes a cast of a known value now. */
static gboolean
fold_cast (Checker       *c,
           SetlExprNode  *cast,
           GError       **error)
{
  SetlExprNode *arg = cast->args[0];
  SetlExprValue out;
  char *owned = NULL;
  const char *why = NULL;

  if (!_setl_expr_cast_value (known_value (arg), cast->cast_type, &out, &owned, &why))
    {
      if (cast->try_cast)
        {
          SetlExprValue null = { .type = cast->cast_type, .is_null = TRUE };
          set_folded (cast, &null, NULL);
          return TRUE;
        }
      {
        g_autofree char *what = describe (c, arg);
        _setl_expr_set_error (error, SETL_EXPR_ERROR_INVALID_CAST, c->expr->text, arg->start,
                              "Cannot cast %s to %s: %s", what,
                              _setl_expr_type_name (cast->cast_type), why);
      }
      return FALSE;
    }
  set_folded (cast, &out, owned);
  return TRUE;
}

/* Makes *@slot of type @to: a null literal takes the type, others get an
 * implicit cast (computed at once for literals). */
static gboolean
coerce (Checker       *c,
        SetlExprNode **slot,
        SetlDataType   to,
        GError       **error)
{
  SetlExprNode *node = *slot;
  SetlExprNode *cast;

  if (node->type == to || to == SETL_EXPR_TYPE_NULL)
    return TRUE;
  if (node->type == SETL_EXPR_TYPE_NULL)
    {
      node->type = to;
      if (node->kind == SETL_EXPR_NODE_LITERAL || node->folded)
        node->literal.type = to;
      return TRUE;
    }

  cast = _setl_expr_node_new (SETL_EXPR_NODE_CAST, node->start, node->end);
  cast->implicit = TRUE;
  cast->cast_type = to;
  cast->type = to;
  cast->depth = node->depth + 1;
  cast->args = g_new (SetlExprNode *, 1);
  cast->args[0] = node;
  cast->n_args = 1;
  *slot = cast;
  if (is_known_value (node))
    return fold_cast (c, cast, error);
  return TRUE;
}

/* The common type of values compared with each other (or merged by
 * coalesce), or an error naming the first operand that does not fit. */
static gboolean
unify (Checker        *c,
       SetlExprNode  **nodes,
       guint           n,
       guint           error_pos,
       const char     *verb,
       SetlDataType   *common,
       GError        **error)
{
  SetlDataType target = SETL_EXPR_TYPE_NULL;
  SetlExprNode *first = NULL;

  for (guint i = 0; i < n; i++)
    {
      SetlDataType t = nodes[i]->type;
      gboolean fits;

      if (t == SETL_EXPR_TYPE_NULL)
        continue;
      if (first == NULL)
        {
          first = nodes[i];
          target = t;
          continue;
        }
      if (is_numeric (target) && is_numeric (t))
        fits = TRUE, target = (target == SETL_DATA_TYPE_DOUBLE || t == SETL_DATA_TYPE_DOUBLE)
                              ? SETL_DATA_TYPE_DOUBLE : SETL_DATA_TYPE_INT64;
      else if (is_temporal (target) && is_temporal (t))
        fits = TRUE, target = (target == SETL_DATA_TYPE_TIMESTAMP || t == SETL_DATA_TYPE_TIMESTAMP)
                              ? SETL_DATA_TYPE_TIMESTAMP : SETL_DATA_TYPE_DATE32;
      else if (is_temporal (target) && t == SETL_DATA_TYPE_STRING && is_known_value (nodes[i]))
        fits = TRUE;
      else if (target == SETL_DATA_TYPE_STRING && is_known_value (first) && is_temporal (t))
        fits = TRUE, target = t;
      else
        fits = t == target;

      if (!fits)
        {
          g_autofree char *a = describe (c, first);
          g_autofree char *b = describe (c, nodes[i]);
          _setl_expr_set_error (error, SETL_EXPR_ERROR_TYPE, c->expr->text,
                                n == 2 ? error_pos : nodes[i]->start,
                                "Cannot %s %s (%s) with %s (%s)%s", verb,
                                a, _setl_expr_type_name (first->type),
                                b, _setl_expr_type_name (t),
                                (target == SETL_DATA_TYPE_STRING || t == SETL_DATA_TYPE_STRING)
                                ? "; use cast(… as …) to convert" : "");
          return FALSE;
        }
    }

  /* A string literal among dates is read as a date: first check every
   * such literal converts, then convert. */
  for (guint i = 0; i < n; i++)
    if (!coerce (c, &nodes[i], target, error))
      return FALSE;
  *common = target;
  return TRUE;
}

static gboolean
expect_type (Checker       *c,
             SetlExprNode **slot,
             SetlDataType   type,
             const char    *context,
             GError       **error)
{
  SetlExprNode *node = *slot;

  if (node->type == type || node->type == SETL_EXPR_TYPE_NULL)
    return coerce (c, slot, type, error);
  {
    g_autofree char *what = describe (c, node);
    _setl_expr_set_error (error, SETL_EXPR_ERROR_TYPE, c->expr->text, node->start,
                          "%s needs a %s, but %s is %s", context,
                          _setl_expr_type_name (type), what,
                          _setl_expr_type_name (node->type));
  }
  return FALSE;
}

static gboolean
expect_numeric (Checker       *c,
                SetlExprNode  *node,
                const char    *context,
                GError       **error)
{
  if (is_numeric (node->type) || node->type == SETL_EXPR_TYPE_NULL)
    return TRUE;
  {
    g_autofree char *what = describe (c, node);
    _setl_expr_set_error (error, SETL_EXPR_ERROR_TYPE, c->expr->text, node->start,
                          "%s needs a number, but %s is %s", context, what,
                          _setl_expr_type_name (node->type));
  }
  return FALSE;
}

static const char *
op_name (SetlExprOp op)
{
  switch (op)
    {
    case SETL_EXPR_OP_ADD: return "'+'";
    case SETL_EXPR_OP_SUB: return "'-'";
    case SETL_EXPR_OP_MUL: return "'*'";
    case SETL_EXPR_OP_DIV: return "'/'";
    case SETL_EXPR_OP_MOD: return "'%'";
    case SETL_EXPR_OP_CONCAT: return "'||'";
    default: return "comparison";
    }
}

static gboolean
check_column (Checker       *c,
              SetlExprNode  *node,
              GError       **error)
{
  SetlDataType type;

  if (c->scope == NULL || !setl_expr_scope_lookup_column (c->scope, node->name, &type))
    {
      g_autofree char *closest = c->scope ? _setl_expr_scope_closest_column (c->scope, node->name) : NULL;
      g_autofree char *hint = NULL;

      if (closest != NULL)
        hint = g_strdup_printf (" (did you mean '%s'?)", closest);
      else if (c->scope != NULL && setl_expr_scope_lookup_parameter (c->scope, node->name, NULL))
        hint = g_strdup_printf (" (did you mean the parameter '$%s'?)", node->name);
      else
        {
          g_auto(GStrv) columns = c->scope ? setl_expr_scope_list_columns (c->scope) : NULL;
          if (columns == NULL || columns[0] == NULL)
            hint = g_strdup (" (no columns are available here)");
        }
      _setl_expr_set_error (error, SETL_EXPR_ERROR_UNKNOWN_COLUMN, c->expr->text, node->start,
                            "Unknown column '%s'%s", node->name, hint ? hint : "");
      return FALSE;
    }
  node->type = type;
  c->expr->column_types[node->slot] = type;
  return TRUE;
}

static gboolean
check_parameter (Checker       *c,
                 SetlExprNode  *node,
                 GError       **error)
{
  SetlDataType type;

  if (c->scope == NULL || !setl_expr_scope_lookup_parameter (c->scope, node->name, &type))
    {
      _setl_expr_set_error (error, SETL_EXPR_ERROR_UNKNOWN_PARAMETER, c->expr->text, node->start,
                            "Unknown parameter '$%s'", node->name);
      return FALSE;
    }
  node->type = type;
  c->expr->param_types[node->slot] = type;
  return TRUE;
}

static gboolean
check_call (Checker       *c,
            SetlExprNode  *node,
            GError       **error)
{
  g_autofree char *context = g_strdup_printf ("%s()", node->name);

  switch (node->func)
    {
    case SETL_EXPR_FUNC_LENGTH:
      node->type = SETL_DATA_TYPE_INT64;
      return expect_type (c, &node->args[0], SETL_DATA_TYPE_STRING, context, error);

    case SETL_EXPR_FUNC_LOWER:
    case SETL_EXPR_FUNC_UPPER:
      node->type = SETL_DATA_TYPE_STRING;
      return expect_type (c, &node->args[0], SETL_DATA_TYPE_STRING, context, error);

    case SETL_EXPR_FUNC_STARTS_WITH:
    case SETL_EXPR_FUNC_ENDS_WITH:
    case SETL_EXPR_FUNC_CONTAINS:
      node->type = SETL_DATA_TYPE_BOOL;
      return expect_type (c, &node->args[0], SETL_DATA_TYPE_STRING, context, error) &&
             expect_type (c, &node->args[1], SETL_DATA_TYPE_STRING, context, error);

    case SETL_EXPR_FUNC_MATCHES:
      {
        SetlExprNode *pattern;
        g_autoptr(GError) regex_error = NULL;

        node->type = SETL_DATA_TYPE_BOOL;
        if (!expect_type (c, &node->args[0], SETL_DATA_TYPE_STRING, context, error) ||
            !expect_type (c, &node->args[1], SETL_DATA_TYPE_STRING, context, error))
          return FALSE;
        pattern = node->args[1];
        /* Compiled once, so never per row. */
        if (has_columns (pattern))
          {
            _setl_expr_set_error (error, SETL_EXPR_ERROR_TYPE, c->expr->text, pattern->start,
                                  "The pattern of matches() must be a literal or a "
                                  "parameter, not a column");
            return FALSE;
          }
        g_clear_pointer (&node->regex, g_regex_unref);
        if (is_known_value (pattern) && !pattern->literal.is_null)
          {
            g_autofree char *text = g_strndup (pattern->literal.str, pattern->literal.len);

            node->regex = g_regex_new (text, G_REGEX_OPTIMIZE, 0, &regex_error);
            if (node->regex == NULL)
              {
                _setl_expr_set_error (error, SETL_EXPR_ERROR_INVALID_REGEX, c->expr->text,
                                      pattern->start, "Invalid regular expression: %s",
                                      regex_error->message);
                return FALSE;
              }
          }
        return TRUE;
      }

    case SETL_EXPR_FUNC_COALESCE:
      return unify (c, node->args, node->n_args, node->start, "mix in coalesce()",
                    &node->type, error);

    case SETL_EXPR_FUNC_ABS:
      if (!expect_numeric (c, node->args[0], context, error))
        return FALSE;
      node->type = node->args[0]->type == SETL_EXPR_TYPE_NULL
                   ? SETL_DATA_TYPE_INT64 : node->args[0]->type;
      return coerce (c, &node->args[0], node->type, error);

    default:
      g_assert_not_reached ();
    }
}

static gboolean
check_node (Checker       *c,
            SetlExprNode  *node,
            GError       **error)
{
  for (guint i = 0; i < node->n_args; i++)
    if (!check_node (c, node->args[i], error))
      return FALSE;

  switch (node->kind)
    {
    case SETL_EXPR_NODE_LITERAL:
      node->type = node->literal.type;
      return TRUE;

    case SETL_EXPR_NODE_COLUMN:
      return check_column (c, node, error);

    case SETL_EXPR_NODE_PARAM:
      return check_parameter (c, node, error);

    case SETL_EXPR_NODE_NEG:
      if (!expect_numeric (c, node->args[0], "Unary '-'", error))
        return FALSE;
      node->type = node->args[0]->type == SETL_EXPR_TYPE_NULL
                   ? SETL_DATA_TYPE_INT64 : node->args[0]->type;
      return coerce (c, &node->args[0], node->type, error);

    case SETL_EXPR_NODE_NOT:
      node->type = SETL_DATA_TYPE_BOOL;
      return expect_type (c, &node->args[0], SETL_DATA_TYPE_BOOL, "'not'", error);

    case SETL_EXPR_NODE_AND:
    case SETL_EXPR_NODE_OR:
      node->type = SETL_DATA_TYPE_BOOL;
      return expect_type (c, &node->args[0], SETL_DATA_TYPE_BOOL,
                          node->kind == SETL_EXPR_NODE_AND ? "'and'" : "'or'", error) &&
             expect_type (c, &node->args[1], SETL_DATA_TYPE_BOOL,
                          node->kind == SETL_EXPR_NODE_AND ? "'and'" : "'or'", error);

    case SETL_EXPR_NODE_IS_NULL:
      node->type = SETL_DATA_TYPE_BOOL;
      return TRUE;

    case SETL_EXPR_NODE_IN:
      {
        SetlDataType common;
        node->type = SETL_DATA_TYPE_BOOL;
        return unify (c, node->args, node->n_args, node->op_pos, "compare", &common, error);
      }

    case SETL_EXPR_NODE_BETWEEN:
      {
        SetlDataType common;
        node->type = SETL_DATA_TYPE_BOOL;
        return unify (c, node->args, node->n_args, node->op_pos, "compare", &common, error);
      }

    case SETL_EXPR_NODE_BINARY:
      if (SETL_EXPR_OP_IS_COMPARISON (node->op))
        {
          SetlDataType common;
          node->type = SETL_DATA_TYPE_BOOL;
          return unify (c, node->args, 2, node->op_pos, "compare", &common, error);
        }
      if (node->op == SETL_EXPR_OP_CONCAT)
        {
          node->type = SETL_DATA_TYPE_STRING;
          return expect_type (c, &node->args[0], SETL_DATA_TYPE_STRING, "'||'", error) &&
                 expect_type (c, &node->args[1], SETL_DATA_TYPE_STRING, "'||'", error);
        }
      {
        g_autofree char *context = g_strdup_printf ("Operator %s", op_name (node->op));
        SetlDataType a = node->args[0]->type, b = node->args[1]->type;

        if (!expect_numeric (c, node->args[0], context, error) ||
            !expect_numeric (c, node->args[1], context, error))
          return FALSE;
        node->type = (a == SETL_DATA_TYPE_DOUBLE || b == SETL_DATA_TYPE_DOUBLE)
                     ? SETL_DATA_TYPE_DOUBLE : SETL_DATA_TYPE_INT64;
        return coerce (c, &node->args[0], node->type, error) &&
               coerce (c, &node->args[1], node->type, error);
      }

    case SETL_EXPR_NODE_CALL:
      return check_call (c, node, error);

    case SETL_EXPR_NODE_CAST:
      {
        SetlExprNode *arg = node->args[0];

        node->type = node->cast_type;
        node->folded = FALSE;
        if (!_setl_expr_cast_allowed (arg->type, node->cast_type))
          {
            g_autofree char *what = describe (c, arg);
            _setl_expr_set_error (error, SETL_EXPR_ERROR_TYPE, c->expr->text, node->start,
                                  "Cannot cast %s (%s) to %s", what,
                                  _setl_expr_type_name (arg->type),
                                  _setl_expr_type_name (node->cast_type));
            return FALSE;
          }
        if (arg->type == SETL_EXPR_TYPE_NULL && !coerce (c, &node->args[0], node->cast_type, error))
          return FALSE;
        /* Invalid casts of literals are errors now, as in SQL. */
        if (is_known_value (node->args[0]))
          return fold_cast (c, node, error);
        return TRUE;
      }

    default:
      g_assert_not_reached ();
    }
}

/* A new check starts from the tree as parsed. */
static SetlExprNode *
strip_implicit (SetlExprNode *node)
{
  for (guint i = 0; i < node->n_args; i++)
    node->args[i] = strip_implicit (node->args[i]);
  if (node->kind == SETL_EXPR_NODE_CAST && node->implicit)
    {
      SetlExprNode *arg = node->args[0];
      node->n_args = 0;
      _setl_expr_node_free (node);
      return arg;
    }
  if (node->kind == SETL_EXPR_NODE_CAST)
    node->folded = FALSE;
  return node;
}

gboolean
_setl_expr_check (SetlExpr       *expr,
                  SetlExprScope  *scope,
                  GError        **error)
{
  Checker c = { expr, scope };

  expr->checked = FALSE;
  expr->root = strip_implicit (expr->root);
  g_free (expr->column_types);
  g_free (expr->param_types);
  expr->column_types = g_new0 (SetlDataType, expr->columns->len + 1);
  expr->param_types = g_new0 (SetlDataType, expr->params->len + 1);

  if (!check_node (&c, expr->root, error))
    return FALSE;
  /* A bare null is a bool: the likeliest use is as a condition. */
  if (expr->root->type == SETL_EXPR_TYPE_NULL && !coerce (&c, &expr->root, SETL_DATA_TYPE_BOOL, error))
    return FALSE;
  expr->result_type = expr->root->type;
  expr->checked = TRUE;
  return TRUE;
}
