/* setl-expr-parser.c: a recursive-descent parser from tokens to the tree of
 * #SetlExprNode.
 *
 * Precedence, loosest first (as in PostgreSQL):
 *
 *   or
 *   and
 *   not
 *   is [not] null                                (postfix)
 *   = != <> < <= > >=                            (not chainable)
 *   [not] in (…), [not] between … and …
 *   ||
 *   + -                                          (left associative)
 *   * / %                                        (left associative)
 *   unary - +
 *   ::type                                       (postfix)
 *   literals, columns, $parameters, f(…), cast(… as type), (…)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "setl-expr-private.h"

#include <string.h>

typedef struct {
  SetlExpr *expr;
  const char *text;
  GArray *tokens;
  guint pos;
  guint depth;   /* recursion depth, for parentheses that make no node */
} Parser;

static const SetlExprFuncInfo functions[] = {
  { "length", SETL_EXPR_FUNC_LENGTH, 1, 1 },
  { "lower", SETL_EXPR_FUNC_LOWER, 1, 1 },
  { "upper", SETL_EXPR_FUNC_UPPER, 1, 1 },
  { "starts_with", SETL_EXPR_FUNC_STARTS_WITH, 2, 2 },
  { "ends_with", SETL_EXPR_FUNC_ENDS_WITH, 2, 2 },
  { "contains", SETL_EXPR_FUNC_CONTAINS, 2, 2 },
  { "matches", SETL_EXPR_FUNC_MATCHES, 2, 2 },
  { "coalesce", SETL_EXPR_FUNC_COALESCE, 1, G_MAXUINT },
  { "abs", SETL_EXPR_FUNC_ABS, 1, 1 },
};

const SetlExprFuncInfo *
_setl_expr_lookup_function (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (functions); i++)
    if (g_ascii_strcasecmp (name, functions[i].name) == 0)
      return &functions[i];
  return NULL;
}

const char *
_setl_expr_function_names (void)
{
  return "length, lower, upper, starts_with, ends_with, contains, matches, "
         "coalesce, abs";
}

static const char *const reserved[] = {
  "and", "or", "not", "is", "in", "between", "as", "null", "true", "false",
  "cast", "try_cast", NULL,
};

static const char *const function_list[] = {
  "length", "lower", "upper", "starts_with", "ends_with", "contains",
  "matches", "coalesce", "abs", "cast", "try_cast", NULL,
};

static SetlExprToken *
peek_at (Parser *p,
         guint   ahead)
{
  guint i = MIN (p->pos + ahead, p->tokens->len - 1);
  return &g_array_index (p->tokens, SetlExprToken, i);
}

static SetlExprToken *
previous (Parser *p)
{
  return &g_array_index (p->tokens, SetlExprToken, p->pos > 0 ? p->pos - 1 : 0);
}

static SetlExprToken *
peek (Parser *p)
{
  return peek_at (p, 0);
}

static SetlExprToken *
advance (Parser *p)
{
  SetlExprToken *token = peek (p);
  if (token->type != SETL_EXPR_TOKEN_EOF)
    p->pos++;
  return token;
}

static gboolean
token_is_keyword (const SetlExprToken *token,
                  const char          *keyword)
{
  return token->type == SETL_EXPR_TOKEN_IDENT &&
         g_ascii_strcasecmp (token->text, keyword) == 0;
}

static gboolean
is_keyword (Parser     *p,
            const char *keyword)
{
  return token_is_keyword (peek (p), keyword);
}

static gboolean
is_reserved (const SetlExprToken *token)
{
  if (token->type != SETL_EXPR_TOKEN_IDENT)
    return FALSE;
  for (guint i = 0; reserved[i] != NULL; i++)
    if (g_ascii_strcasecmp (token->text, reserved[i]) == 0)
      return TRUE;
  return FALSE;
}

/* How a token reads in a message: its text, or "end of input". */
static char *
describe_token (Parser              *p,
                const SetlExprToken *token)
{
  if (token->type == SETL_EXPR_TOKEN_EOF)
    return g_strdup ("end of input");
  return _setl_expr_describe_span (p->text, token->start, token->end);
}

static gboolean
can_start_expression (const SetlExprToken *token)
{
  switch (token->type)
    {
    case SETL_EXPR_TOKEN_INT:
    case SETL_EXPR_TOKEN_FLOAT:
    case SETL_EXPR_TOKEN_STRING:
    case SETL_EXPR_TOKEN_QUOTED_IDENT:
    case SETL_EXPR_TOKEN_PARAM:
    case SETL_EXPR_TOKEN_LPAREN:
    case SETL_EXPR_TOKEN_MINUS:
    case SETL_EXPR_TOKEN_PLUS:
      return TRUE;
    case SETL_EXPR_TOKEN_IDENT:
      return !is_reserved (token) ||
             token_is_keyword (token, "not") || token_is_keyword (token, "null") ||
             token_is_keyword (token, "true") || token_is_keyword (token, "false") ||
             token_is_keyword (token, "cast") || token_is_keyword (token, "try_cast");
    default:
      return FALSE;
    }
}

SetlExprNode *
_setl_expr_node_new (SetlExprNodeKind kind,
                     guint            start,
                     guint            end)
{
  SetlExprNode *node = g_new0 (SetlExprNode, 1);

  node->kind = kind;
  node->start = start;
  node->end = end;
  node->op_pos = start;
  node->depth = 1;
  node->type = SETL_EXPR_TYPE_NULL;
  node->literal.type = SETL_EXPR_TYPE_NULL;
  node->slot = -1;
  return node;
}

void
_setl_expr_node_free (SetlExprNode *node)
{
  if (node == NULL)
    return;
  for (guint i = 0; i < node->n_args; i++)
    _setl_expr_node_free (node->args[i]);
  g_free (node->args);
  g_free (node->name);
  g_free (node->owned_str);
  g_clear_pointer (&node->regex, g_regex_unref);
  g_free (node);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SetlExprNode, _setl_expr_node_free)

/* Takes @child. Fails when the tree gets too deep. */
static gboolean
add_arg (Parser        *p,
         SetlExprNode  *node,
         SetlExprNode  *child,
         GError       **error)
{
  node->args = g_renew (SetlExprNode *, node->args, node->n_args + 1);
  node->args[node->n_args++] = child;
  node->depth = MAX (node->depth, child->depth + 1);
  node->start = MIN (node->start, child->start);
  node->end = MAX (node->end, child->end);
  if (node->depth > SETL_EXPR_MAX_DEPTH)
    {
      _setl_expr_set_error (error, SETL_EXPR_ERROR_SYNTAX, p->text, child->start,
                            "Expression nested too deeply (more than %d levels)",
                            SETL_EXPR_MAX_DEPTH);
      return FALSE;
    }
  return TRUE;
}

static SetlExprNode *parse_or (Parser *p, GError **error);

/* The operand after an operator: a clear message when there is none. */
static SetlExprNode *
parse_operand (Parser               *p,
               SetlExprNode       *(*parse) (Parser *, GError **),
               const SetlExprToken *op,
               GError             **error)
{
  SetlExprToken *next = peek (p);

  if (!can_start_expression (next))
    {
      g_autofree char *what = describe_token (p, op);
      g_autofree char *found = describe_token (p, next);

      if (next->type == SETL_EXPR_TOKEN_EOF)
        _setl_expr_set_error (error, SETL_EXPR_ERROR_SYNTAX, p->text, next->start,
                              "Expected an expression after %s", what);
      else
        _setl_expr_set_error (error, SETL_EXPR_ERROR_SYNTAX, p->text, next->start,
                              "Expected an expression after %s, found %s", what, found);
      return NULL;
    }
  return parse (p, error);
}

static gboolean
expect (Parser             *p,
        SetlExprTokenType   type,
        const char         *what,
        GError            **error)
{
  SetlExprToken *token = peek (p);

  if (token->type != type)
    {
      g_autofree char *found = describe_token (p, token);
      _setl_expr_set_error (error, SETL_EXPR_ERROR_SYNTAX, p->text, token->start,
                            "Expected %s, found %s", what, found);
      return FALSE;
    }
  advance (p);
  return TRUE;
}

static int
add_name (GPtrArray  *names,
          const char *name)
{
  for (guint i = 0; i < names->len; i++)
    if (g_str_equal (g_ptr_array_index (names, i), name))
      return (int) i;
  g_ptr_array_add (names, g_strdup (name));
  return (int) names->len - 1;
}

static gboolean
parse_type_name (Parser        *p,
                 SetlDataType  *type,
                 GError       **error)
{
  static const struct { const char *name; SetlDataType type; } names[] = {
    { "int64", SETL_DATA_TYPE_INT64 }, { "int", SETL_DATA_TYPE_INT64 },
    { "integer", SETL_DATA_TYPE_INT64 }, { "bigint", SETL_DATA_TYPE_INT64 },
    { "double", SETL_DATA_TYPE_DOUBLE }, { "float", SETL_DATA_TYPE_DOUBLE },
    { "float8", SETL_DATA_TYPE_DOUBLE }, { "real", SETL_DATA_TYPE_DOUBLE },
    { "string", SETL_DATA_TYPE_STRING }, { "text", SETL_DATA_TYPE_STRING },
    { "varchar", SETL_DATA_TYPE_STRING }, { "bool", SETL_DATA_TYPE_BOOL },
    { "boolean", SETL_DATA_TYPE_BOOL }, { "date", SETL_DATA_TYPE_DATE32 },
    { "date32", SETL_DATA_TYPE_DATE32 }, { "timestamp", SETL_DATA_TYPE_TIMESTAMP },
  };
  SetlExprToken *token = peek (p);

  if (token->type == SETL_EXPR_TOKEN_IDENT)
    for (guint i = 0; i < G_N_ELEMENTS (names); i++)
      if (g_ascii_strcasecmp (token->text, names[i].name) == 0)
        {
          *type = names[i].type;
          advance (p);
          return TRUE;
        }

  {
    g_autofree char *found = describe_token (p, token);
    _setl_expr_set_error (error, SETL_EXPR_ERROR_SYNTAX, p->text, token->start,
                          "Expected a type (int64, double, string, bool, date or "
                          "timestamp), found %s", found);
  }
  return FALSE;
}

static SetlExprNode *
new_literal (const SetlExprToken *token,
             SetlDataType         type)
{
  SetlExprNode *node = _setl_expr_node_new (SETL_EXPR_NODE_LITERAL, token->start, token->end);
  node->literal.type = type;
  node->type = type;
  return node;
}

static SetlExprNode *
parse_number (Parser        *p,
              gboolean       negative,
              guint          minus_pos,
              GError       **error)
{
  SetlExprToken *token = advance (p);
  SetlExprNode *node;

  if (token->type == SETL_EXPR_TOKEN_FLOAT)
    {
      node = new_literal (token, SETL_DATA_TYPE_DOUBLE);
      node->literal.v.d = negative ? -token->d : token->d;
    }
  else
    {
      if (!negative && token->magnitude > (guint64) G_MAXINT64)
        {
          g_autofree char *what = describe_token (p, token);
          _setl_expr_set_error (error, SETL_EXPR_ERROR_SYNTAX, p->text, token->start,
                                "Integer %s is out of the int64 range", what);
          return NULL;
        }
      node = new_literal (token, SETL_DATA_TYPE_INT64);
      node->literal.v.i = negative ? (gint64) (0 - token->magnitude) : (gint64) token->magnitude;
    }
  if (negative)
    node->start = minus_pos;
  return node;
}

static SetlExprNode *
parse_typed_literal (Parser        *p,
                     SetlDataType   type,
                     GError       **error)
{
  SetlExprToken *keyword = advance (p);
  SetlExprToken *token = advance (p);
  SetlExprNode *node = new_literal (token, type);
  gsize len = strlen (token->text);

  node->start = keyword->start;
  if (type == SETL_DATA_TYPE_DATE32 ?
      !_setl_expr_parse_date (token->text, len, &node->literal.v.date) :
      !_setl_expr_parse_timestamp (token->text, len, &node->literal.v.i))
    {
      _setl_expr_set_error (error, SETL_EXPR_ERROR_SYNTAX, p->text, token->start,
                            type == SETL_DATA_TYPE_DATE32
                            ? "Invalid date '%s' (expected YYYY-MM-DD)"
                            : "Invalid timestamp '%s' (expected YYYY-MM-DDTHH:MM:SS[.ffffff][Z|±HH:MM])",
                            token->text);
      _setl_expr_node_free (node);
      return NULL;
    }
  return node;
}

static SetlExprNode *
parse_cast_call (Parser        *p,
                 GError       **error)
{
  SetlExprToken *keyword = advance (p);
  g_autoptr(SetlExprNode) node = _setl_expr_node_new (SETL_EXPR_NODE_CAST, keyword->start, keyword->end);
  SetlExprNode *arg;
  SetlExprToken *close;

  node->try_cast = token_is_keyword (keyword, "try_cast");
  advance (p);  /* ( */
  if (!(arg = parse_operand (p, parse_or, previous (p), error)) ||
      !add_arg (p, node, arg, error))
    return NULL;
  if (!is_keyword (p, "as"))
    {
      g_autofree char *found = describe_token (p, peek (p));
      _setl_expr_set_error (error, SETL_EXPR_ERROR_SYNTAX, p->text, peek (p)->start,
                            "Expected 'as' and a type in %s(), found %s",
                            node->try_cast ? "try_cast" : "cast", found);
      return NULL;
    }
  advance (p);
  if (!parse_type_name (p, &node->cast_type, error))
    return NULL;
  close = peek (p);
  if (!expect (p, SETL_EXPR_TOKEN_RPAREN, "')'", error))
    return NULL;
  node->end = close->end;
  return g_steal_pointer (&node);
}

static SetlExprNode *
parse_call (Parser        *p,
            GError       **error)
{
  SetlExprToken *name = advance (p);
  const SetlExprFuncInfo *info = _setl_expr_lookup_function (name->text);
  g_autoptr(SetlExprNode) node = NULL;
  SetlExprToken *close;

  if (info == NULL)
    {
      g_autofree char *closest = _setl_expr_closest_name (name->text, function_list);
      g_autofree char *hint = closest ? g_strdup_printf ("did you mean %s()? ", closest) : NULL;
      _setl_expr_set_error (error, SETL_EXPR_ERROR_UNKNOWN_FUNCTION, p->text, name->start,
                            "Unknown function '%s' (%sfunctions are: %s)",
                            name->text, hint ? hint : "", _setl_expr_function_names ());
      return NULL;
    }

  node = _setl_expr_node_new (SETL_EXPR_NODE_CALL, name->start, name->end);
  node->func = info->func;
  node->name = g_strdup (info->name);
  advance (p);  /* ( */

  if (peek (p)->type != SETL_EXPR_TOKEN_RPAREN)
    for (;;)
      {
        SetlExprNode *arg;
        const SetlExprToken *before = previous (p);

        if (!(arg = parse_operand (p, parse_or, before, error)) ||
            !add_arg (p, node, arg, error))
          return NULL;
        if (peek (p)->type != SETL_EXPR_TOKEN_COMMA)
          break;
        advance (p);
      }
  close = peek (p);
  if (close->type != SETL_EXPR_TOKEN_RPAREN)
    {
      g_autofree char *found = describe_token (p, close);
      _setl_expr_set_error (error, SETL_EXPR_ERROR_SYNTAX, p->text, close->start,
                            "Expected ',' or ')' in the arguments of %s(), found %s",
                            info->name, found);
      return NULL;
    }
  advance (p);
  node->end = close->end;

  if (node->n_args < info->min_args || node->n_args > info->max_args)
    {
      if (info->min_args == info->max_args)
        _setl_expr_set_error (error, SETL_EXPR_ERROR_UNKNOWN_FUNCTION, p->text, name->start,
                              "%s() takes %u argument%s, not %u", info->name,
                              info->min_args, info->min_args == 1 ? "" : "s", node->n_args);
      else
        _setl_expr_set_error (error, SETL_EXPR_ERROR_UNKNOWN_FUNCTION, p->text, name->start,
                              "%s() takes at least %u argument%s", info->name,
                              info->min_args, info->min_args == 1 ? "" : "s");
      return NULL;
    }
  return g_steal_pointer (&node);
}

static SetlExprNode *
parse_primary (Parser  *p,
               GError **error)
{
  SetlExprToken *token = peek (p);
  SetlExprNode *node;

  switch (token->type)
    {
    case SETL_EXPR_TOKEN_INT:
    case SETL_EXPR_TOKEN_FLOAT:
      return parse_number (p, FALSE, 0, error);

    case SETL_EXPR_TOKEN_STRING:
      advance (p);
      node = new_literal (token, SETL_DATA_TYPE_STRING);
      node->owned_str = g_strdup (token->text);
      node->literal.str = node->owned_str;
      node->literal.len = strlen (token->text);
      return node;

    case SETL_EXPR_TOKEN_PARAM:
      advance (p);
      node = _setl_expr_node_new (SETL_EXPR_NODE_PARAM, token->start, token->end);
      node->name = g_strdup (token->text);
      node->slot = add_name (p->expr->params, token->text);
      return node;

    case SETL_EXPR_TOKEN_QUOTED_IDENT:
      advance (p);
      node = _setl_expr_node_new (SETL_EXPR_NODE_COLUMN, token->start, token->end);
      node->name = g_strdup (token->text);
      node->slot = add_name (p->expr->columns, token->text);
      return node;

    case SETL_EXPR_TOKEN_LPAREN:
      {
        SetlExprToken *close;

        advance (p);
        if (!(node = parse_operand (p, parse_or, token, error)))
          return NULL;
        close = peek (p);
        if (close->type != SETL_EXPR_TOKEN_RPAREN)
          {
            g_autofree char *found = describe_token (p, close);
            _setl_expr_set_error (error, SETL_EXPR_ERROR_SYNTAX, p->text, close->start,
                                  "Expected ')' to close the '(' at column %u, found %s",
                                  _setl_expr_column_of (p->text, token->start), found);
            _setl_expr_node_free (node);
            return NULL;
          }
        advance (p);
        return node;
      }

    case SETL_EXPR_TOKEN_IDENT:
      {
        SetlExprToken *next = peek_at (p, 1);

        if (token_is_keyword (token, "true") || token_is_keyword (token, "false"))
          {
            advance (p);
            node = new_literal (token, SETL_DATA_TYPE_BOOL);
            node->literal.v.b = token_is_keyword (token, "true");
            return node;
          }
        if (token_is_keyword (token, "null"))
          {
            advance (p);
            node = new_literal (token, SETL_EXPR_TYPE_NULL);
            node->literal.is_null = TRUE;
            return node;
          }
        if ((token_is_keyword (token, "cast") || token_is_keyword (token, "try_cast")) &&
            next->type == SETL_EXPR_TOKEN_LPAREN)
          return parse_cast_call (p, error);
        /* `date` and `timestamp` are keywords only before a string, so
         * that columns may still be called so. */
        if (token_is_keyword (token, "date") && next->type == SETL_EXPR_TOKEN_STRING)
          return parse_typed_literal (p, SETL_DATA_TYPE_DATE32, error);
        if (token_is_keyword (token, "timestamp") && next->type == SETL_EXPR_TOKEN_STRING)
          return parse_typed_literal (p, SETL_DATA_TYPE_TIMESTAMP, error);
        if (!is_reserved (token))
          {
            if (next->type == SETL_EXPR_TOKEN_LPAREN)
              return parse_call (p, error);
            advance (p);
            node = _setl_expr_node_new (SETL_EXPR_NODE_COLUMN, token->start, token->end);
            node->name = g_strdup (token->text);
            node->slot = add_name (p->expr->columns, token->text);
            return node;
          }
      }
      G_GNUC_FALLTHROUGH;

    default:
      {
        g_autofree char *found = describe_token (p, token);
        if (token->type == SETL_EXPR_TOKEN_EOF && token->start == 0)
          _setl_expr_set_error (error, SETL_EXPR_ERROR_SYNTAX, p->text, token->start,
                                "Expected an expression, found an empty text");
        else
          _setl_expr_set_error (error, SETL_EXPR_ERROR_SYNTAX, p->text, token->start,
                                "Expected an expression, found %s", found);
        return NULL;
      }
    }
}

static SetlExprNode *
parse_postfix (Parser  *p,
               GError **error)
{
  g_autoptr(SetlExprNode) node = parse_primary (p, error);

  while (node != NULL && peek (p)->type == SETL_EXPR_TOKEN_DOUBLE_COLON)
    {
      SetlExprToken *op = advance (p);
      g_autoptr(SetlExprNode) cast = _setl_expr_node_new (SETL_EXPR_NODE_CAST, op->start, op->end);

      cast->op_pos = op->start;
      if (!add_arg (p, cast, g_steal_pointer (&node), error) ||
          !parse_type_name (p, &cast->cast_type, error))
        return NULL;
      cast->end = previous (p)->end;
      node = g_steal_pointer (&cast);
    }
  return g_steal_pointer (&node);
}

static SetlExprNode *
parse_unary (Parser  *p,
             GError **error)
{
  SetlExprToken *op = peek (p);
  SetlExprNode *operand;
  g_autoptr(SetlExprNode) node = NULL;

  if (op->type != SETL_EXPR_TOKEN_MINUS && op->type != SETL_EXPR_TOKEN_PLUS)
    return parse_postfix (p, error);

  if (++p->depth > SETL_EXPR_MAX_DEPTH)
    {
      _setl_expr_set_error (error, SETL_EXPR_ERROR_SYNTAX, p->text, op->start,
                            "Expression nested too deeply (more than %d levels)",
                            SETL_EXPR_MAX_DEPTH);
      return NULL;
    }
  advance (p);

  /* A minus before a number makes a negative literal — the only way to
   * write -9223372036854775808 — unless a cast binds the number first. */
  if (op->type == SETL_EXPR_TOKEN_MINUS &&
      (peek (p)->type == SETL_EXPR_TOKEN_INT || peek (p)->type == SETL_EXPR_TOKEN_FLOAT) &&
      peek_at (p, 1)->type != SETL_EXPR_TOKEN_DOUBLE_COLON)
    {
      p->depth--;
      return parse_number (p, TRUE, op->start, error);
    }

  if (!(operand = parse_operand (p, parse_unary, op, error)))
    return NULL;
  p->depth--;
  if (op->type == SETL_EXPR_TOKEN_PLUS)
    {
      /* Unary plus changes nothing: no node, only a wider span. */
      operand->start = op->start;
      return operand;
    }
  /* -(5) is the literal -5 too, so that the canonical text is stable. */
  if (operand->kind == SETL_EXPR_NODE_LITERAL && !operand->literal.is_null &&
      (operand->literal.type == SETL_DATA_TYPE_DOUBLE ||
       (operand->literal.type == SETL_DATA_TYPE_INT64 && operand->literal.v.i != G_MININT64)))
    {
      if (operand->literal.type == SETL_DATA_TYPE_DOUBLE)
        operand->literal.v.d = -operand->literal.v.d;
      else
        operand->literal.v.i = -operand->literal.v.i;
      operand->start = op->start;
      return operand;
    }
  node = _setl_expr_node_new (SETL_EXPR_NODE_NEG, op->start, op->end);
  node->op_pos = op->start;
  if (!add_arg (p, node, operand, error))
    return NULL;
  return g_steal_pointer (&node);
}

static SetlExprNode *
parse_binary_level (Parser                *p,
                    SetlExprNode        *(*next) (Parser *, GError **),
                    const SetlExprTokenType *types,
                    const SetlExprOp       *ops,
                    guint                   n_ops,
                    GError               **error)
{
  g_autoptr(SetlExprNode) left = next (p, error);

  while (left != NULL)
    {
      SetlExprToken *op = peek (p);
      g_autoptr(SetlExprNode) node = NULL;
      SetlExprNode *right;
      guint k;

      for (k = 0; k < n_ops; k++)
        if (op->type == types[k])
          break;
      if (k == n_ops)
        break;
      advance (p);
      if (!(right = parse_operand (p, next, op, error)))
        return NULL;
      node = _setl_expr_node_new (SETL_EXPR_NODE_BINARY, op->start, op->end);
      node->op = ops[k];
      node->op_pos = op->start;
      if (!add_arg (p, node, g_steal_pointer (&left), error))
        {
          _setl_expr_node_free (right);
          return NULL;
        }
      if (!add_arg (p, node, right, error))
        return NULL;
      left = g_steal_pointer (&node);
    }
  return g_steal_pointer (&left);
}

static SetlExprNode *
parse_multiplicative (Parser  *p,
                      GError **error)
{
  static const SetlExprTokenType types[] = {
    SETL_EXPR_TOKEN_STAR, SETL_EXPR_TOKEN_SLASH, SETL_EXPR_TOKEN_PERCENT };
  static const SetlExprOp ops[] = { SETL_EXPR_OP_MUL, SETL_EXPR_OP_DIV, SETL_EXPR_OP_MOD };
  return parse_binary_level (p, parse_unary, types, ops, 3, error);
}

static SetlExprNode *
parse_additive (Parser  *p,
                GError **error)
{
  static const SetlExprTokenType types[] = { SETL_EXPR_TOKEN_PLUS, SETL_EXPR_TOKEN_MINUS };
  static const SetlExprOp ops[] = { SETL_EXPR_OP_ADD, SETL_EXPR_OP_SUB };
  return parse_binary_level (p, parse_multiplicative, types, ops, 2, error);
}

static SetlExprNode *
parse_concat (Parser  *p,
              GError **error)
{
  static const SetlExprTokenType types[] = { SETL_EXPR_TOKEN_CONCAT };
  static const SetlExprOp ops[] = { SETL_EXPR_OP_CONCAT };
  return parse_binary_level (p, parse_additive, types, ops, 1, error);
}

/* [not] in (…), [not] between … and … */
static SetlExprNode *
parse_predicate (Parser  *p,
                 GError **error)
{
  g_autoptr(SetlExprNode) left = parse_concat (p, error);
  g_autoptr(SetlExprNode) node = NULL;
  gboolean negated = FALSE;
  SetlExprToken *op;

  if (left == NULL)
    return NULL;

  op = peek (p);
  if (token_is_keyword (op, "not") &&
      (token_is_keyword (peek_at (p, 1), "in") || token_is_keyword (peek_at (p, 1), "between")))
    {
      negated = TRUE;
      advance (p);
    }

  if (is_keyword (p, "in"))
    {
      SetlExprToken *in = advance (p);
      SetlExprToken *open = peek (p);

      node = _setl_expr_node_new (SETL_EXPR_NODE_IN, op->start, in->end);
      node->negated = negated;
      node->op_pos = op->start;
      if (!add_arg (p, node, g_steal_pointer (&left), error))
        return NULL;
      if (!expect (p, SETL_EXPR_TOKEN_LPAREN, "'(' and a list of values after 'in'", error))
        return NULL;
      for (;;)
        {
          SetlExprNode *item;

          if (!(item = parse_operand (p, parse_or, previous (p), error)) ||
              !add_arg (p, node, item, error))
            return NULL;
          if (peek (p)->type != SETL_EXPR_TOKEN_COMMA)
            break;
          advance (p);
        }
      if (peek (p)->type != SETL_EXPR_TOKEN_RPAREN)
        {
          g_autofree char *found = describe_token (p, peek (p));
          _setl_expr_set_error (error, SETL_EXPR_ERROR_SYNTAX, p->text, peek (p)->start,
                                "Expected ',' or ')' to close the list opened at column %u, "
                                "found %s", _setl_expr_column_of (p->text, open->start), found);
          return NULL;
        }
      node->end = advance (p)->end;
      return g_steal_pointer (&node);
    }

  if (is_keyword (p, "between"))
    {
      SetlExprToken *between = advance (p);
      SetlExprNode *low, *high;
      SetlExprToken *and;

      node = _setl_expr_node_new (SETL_EXPR_NODE_BETWEEN, op->start, between->end);
      node->negated = negated;
      node->op_pos = op->start;
      if (!add_arg (p, node, g_steal_pointer (&left), error))
        return NULL;
      if (!(low = parse_operand (p, parse_concat, between, error)) ||
          !add_arg (p, node, low, error))
        return NULL;
      and = peek (p);
      if (!token_is_keyword (and, "and"))
        {
          g_autofree char *found = describe_token (p, and);
          _setl_expr_set_error (error, SETL_EXPR_ERROR_SYNTAX, p->text, and->start,
                                "Expected 'and' and an upper bound after 'between', found %s",
                                found);
          return NULL;
        }
      advance (p);
      if (!(high = parse_operand (p, parse_concat, and, error)) ||
          !add_arg (p, node, high, error))
        return NULL;
      return g_steal_pointer (&node);
    }

  return g_steal_pointer (&left);
}

static gboolean
comparison_op (const SetlExprToken *token,
               SetlExprOp          *op)
{
  switch (token->type)
    {
    case SETL_EXPR_TOKEN_EQ: *op = SETL_EXPR_OP_EQ; return TRUE;
    case SETL_EXPR_TOKEN_NE: *op = SETL_EXPR_OP_NE; return TRUE;
    case SETL_EXPR_TOKEN_LT: *op = SETL_EXPR_OP_LT; return TRUE;
    case SETL_EXPR_TOKEN_LE: *op = SETL_EXPR_OP_LE; return TRUE;
    case SETL_EXPR_TOKEN_GT: *op = SETL_EXPR_OP_GT; return TRUE;
    case SETL_EXPR_TOKEN_GE: *op = SETL_EXPR_OP_GE; return TRUE;
    default: return FALSE;
    }
}

static SetlExprNode *
parse_comparison (Parser  *p,
                  GError **error)
{
  g_autoptr(SetlExprNode) left = parse_predicate (p, error);
  g_autoptr(SetlExprNode) node = NULL;
  SetlExprToken *op;
  SetlExprNode *right;
  SetlExprOp kind;

  if (left == NULL)
    return NULL;
  op = peek (p);
  if (!comparison_op (op, &kind))
    return g_steal_pointer (&left);

  advance (p);
  if (!(right = parse_operand (p, parse_predicate, op, error)))
    return NULL;
  node = _setl_expr_node_new (SETL_EXPR_NODE_BINARY, op->start, op->end);
  node->op = kind;
  node->op_pos = op->start;
  if (!add_arg (p, node, g_steal_pointer (&left), error))
    {
      _setl_expr_node_free (right);
      return NULL;
    }
  if (!add_arg (p, node, right, error))
    return NULL;

  if (comparison_op (peek (p), &kind))
    {
      _setl_expr_set_error (error, SETL_EXPR_ERROR_SYNTAX, p->text, peek (p)->start,
                            "Comparisons cannot be chained: write 'a < b and b < c', "
                            "or use parentheses");
      return NULL;
    }
  return g_steal_pointer (&node);
}

static SetlExprNode *
parse_is (Parser  *p,
          GError **error)
{
  g_autoptr(SetlExprNode) node = parse_comparison (p, error);

  while (node != NULL && is_keyword (p, "is"))
    {
      SetlExprToken *is = advance (p);
      g_autoptr(SetlExprNode) test = _setl_expr_node_new (SETL_EXPR_NODE_IS_NULL, is->start, is->end);

      test->op_pos = is->start;
      if (is_keyword (p, "not"))
        {
          test->negated = TRUE;
          advance (p);
        }
      if (!is_keyword (p, "null"))
        {
          g_autofree char *found = describe_token (p, peek (p));
          _setl_expr_set_error (error, SETL_EXPR_ERROR_SYNTAX, p->text, peek (p)->start,
                                "Expected 'null' after '%s', found %s",
                                test->negated ? "is not" : "is", found);
          return NULL;
        }
      test->end = advance (p)->end;
      if (!add_arg (p, test, g_steal_pointer (&node), error))
        return NULL;
      node = g_steal_pointer (&test);
    }
  return g_steal_pointer (&node);
}

static SetlExprNode *
parse_not (Parser  *p,
           GError **error)
{
  SetlExprToken *op = peek (p);
  g_autoptr(SetlExprNode) node = NULL;
  SetlExprNode *operand;

  if (!token_is_keyword (op, "not"))
    return parse_is (p, error);

  if (++p->depth > SETL_EXPR_MAX_DEPTH)
    {
      _setl_expr_set_error (error, SETL_EXPR_ERROR_SYNTAX, p->text, op->start,
                            "Expression nested too deeply (more than %d levels)",
                            SETL_EXPR_MAX_DEPTH);
      return NULL;
    }
  advance (p);
  if (!(operand = parse_operand (p, parse_not, op, error)))
    return NULL;
  p->depth--;
  node = _setl_expr_node_new (SETL_EXPR_NODE_NOT, op->start, op->end);
  node->op_pos = op->start;
  if (!add_arg (p, node, operand, error))
    return NULL;
  return g_steal_pointer (&node);
}

static SetlExprNode *
parse_logical (Parser            *p,
               const char        *keyword,
               SetlExprNodeKind   kind,
               SetlExprNode     *(*next) (Parser *, GError **),
               GError           **error)
{
  g_autoptr(SetlExprNode) left = next (p, error);

  while (left != NULL && is_keyword (p, keyword))
    {
      SetlExprToken *op = advance (p);
      g_autoptr(SetlExprNode) node = _setl_expr_node_new (kind, op->start, op->end);
      SetlExprNode *right;

      node->op_pos = op->start;
      if (!(right = parse_operand (p, next, op, error)))
        return NULL;
      if (!add_arg (p, node, g_steal_pointer (&left), error))
        {
          _setl_expr_node_free (right);
          return NULL;
        }
      if (!add_arg (p, node, right, error))
        return NULL;
      left = g_steal_pointer (&node);
    }
  return g_steal_pointer (&left);
}

static SetlExprNode *
parse_and (Parser  *p,
           GError **error)
{
  return parse_logical (p, "and", SETL_EXPR_NODE_AND, parse_not, error);
}

static SetlExprNode *
parse_or (Parser  *p,
          GError **error)
{
  SetlExprNode *node;

  /* Parentheses recurse here without making nodes. */
  if (++p->depth > SETL_EXPR_MAX_DEPTH)
    {
      _setl_expr_set_error (error, SETL_EXPR_ERROR_SYNTAX, p->text, peek (p)->start,
                            "Expression nested too deeply (more than %d levels)",
                            SETL_EXPR_MAX_DEPTH);
      return NULL;
    }
  node = parse_logical (p, "or", SETL_EXPR_NODE_OR, parse_and, error);
  p->depth--;
  return node;
}

gboolean
_setl_expr_parse_into (SetlExpr  *expr,
                       GError   **error)
{
  Parser p = { expr, expr->text, NULL, 0, 0 };
  SetlExprNode *root;
  SetlExprToken *rest;

  p.tokens = _setl_expr_tokenize (expr->text, error);
  if (p.tokens == NULL)
    return FALSE;

  root = parse_or (&p, error);
  if (root == NULL)
    {
      _setl_expr_tokens_free (p.tokens);
      return FALSE;
    }

  rest = peek (&p);
  if (rest->type != SETL_EXPR_TOKEN_EOF)
    {
      g_autofree char *found = describe_token (&p, rest);
      if (rest->type == SETL_EXPR_TOKEN_RPAREN)
        _setl_expr_set_error (error, SETL_EXPR_ERROR_SYNTAX, p.text, rest->start,
                              "Unexpected ')' with no '(' to close");
      else
        _setl_expr_set_error (error, SETL_EXPR_ERROR_SYNTAX, p.text, rest->start,
                              "Expected an operator or the end of the expression, found %s",
                              found);
      _setl_expr_node_free (root);
      _setl_expr_tokens_free (p.tokens);
      return FALSE;
    }

  expr->root = root;
  _setl_expr_tokens_free (p.tokens);
  return TRUE;
}
