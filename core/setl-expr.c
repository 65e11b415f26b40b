/* setl-expr.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/**
 * SetlExpr:
 *
 * A typed expression, as written in pipeline files for filters, computed
 * columns and conditions: `age >= 18 and city in ('Paris', 'Lyon')`.
 *
 * An expression goes through three steps:
 *
 * 1. setl_expr_parse() reads the text. Syntax errors say where, with the
 *    column and a caret under the offending character.
 * 2. setl_expr_check() gives it types against a #SetlExprScope (the
 *    columns and parameters it may use): comparing a string with a number
 *    is an error there, not a surprise at run time.
 * 3. setl_expr_evaluate() computes it over a #SetlRecordBatch, a column at
 *    a time, giving a #SetlColumn; setl_expr_filter_batch() keeps the rows
 *    where a bool expression is true; setl_expr_evaluate_constant() and
 *    setl_expr_evaluate_condition() compute an expression of parameters and
 *    literals only — the conditions of stages and factories.
 *
 * setl_expr_compile() does the first two at once:
 *
 * |[<!-- language="C" -->
 * g_autoptr(SetlExprScope) scope = setl_expr_scope_new_for_fields (fields, n_fields);
 * g_autoptr(SetlExpr) adults = setl_expr_compile ("age >= 18", scope, &error);
 * g_autoptr(SetlRecordBatch) kept = setl_expr_filter_batch (adults, batch, NULL, &error);
 * ]|
 *
 * Nulls follow SQL: they propagate through arithmetic, comparisons and
 * functions; `and`, `or` and `not` follow three-valued (Kleene) logic;
 * `x in (…)` is null when nothing matches and a null is involved; a filter
 * keeps only rows where the condition is true. The language is described
 * in full in docs/expressions.md.
 *
 * Once checked, an expression is immutable: evaluate it from as many
 * threads as you like.
 */
#include "setl-expr-private.h"

#include <string.h>

G_DEFINE_QUARK (setl-expr-error-quark, setl_expr_error)

G_DEFINE_ENUM_TYPE (SetlExprError, setl_expr_error,
  G_DEFINE_ENUM_VALUE (SETL_EXPR_ERROR_SYNTAX, "syntax"),
  G_DEFINE_ENUM_VALUE (SETL_EXPR_ERROR_UNKNOWN_COLUMN, "unknown-column"),
  G_DEFINE_ENUM_VALUE (SETL_EXPR_ERROR_UNKNOWN_PARAMETER, "unknown-parameter"),
  G_DEFINE_ENUM_VALUE (SETL_EXPR_ERROR_UNKNOWN_FUNCTION, "unknown-function"),
  G_DEFINE_ENUM_VALUE (SETL_EXPR_ERROR_TYPE, "type"),
  G_DEFINE_ENUM_VALUE (SETL_EXPR_ERROR_INVALID_CAST, "invalid-cast"),
  G_DEFINE_ENUM_VALUE (SETL_EXPR_ERROR_OVERFLOW, "overflow"),
  G_DEFINE_ENUM_VALUE (SETL_EXPR_ERROR_INVALID_REGEX, "invalid-regex"),
  G_DEFINE_ENUM_VALUE (SETL_EXPR_ERROR_NOT_CONSTANT, "not-constant"),
  G_DEFINE_ENUM_VALUE (SETL_EXPR_ERROR_PARAMETER_UNSET, "parameter-unset"),
  G_DEFINE_ENUM_VALUE (SETL_EXPR_ERROR_SCHEMA_MISMATCH, "schema-mismatch"),
  G_DEFINE_ENUM_VALUE (SETL_EXPR_ERROR_NOT_CHECKED, "not-checked"))

G_DEFINE_FINAL_TYPE (SetlExpr, setl_expr, G_TYPE_OBJECT)

static void
setl_expr_finalize (GObject *object)
{
  SetlExpr *self = SETL_EXPR (object);

  g_free (self->text);
  _setl_expr_node_free (self->root);
  g_ptr_array_unref (self->columns);
  g_ptr_array_unref (self->params);
  g_free (self->column_types);
  g_free (self->param_types);

  G_OBJECT_CLASS (setl_expr_parent_class)->finalize (object);
}

static void
setl_expr_class_init (SetlExprClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = setl_expr_finalize;
}

static void
setl_expr_init (SetlExpr *self)
{
  self->columns = g_ptr_array_new_with_free_func (g_free);
  self->params = g_ptr_array_new_with_free_func (g_free);
}

/* Messages and positions */

guint
_setl_expr_column_of (const char *text,
                      guint       pos)
{
  guint line_start = 0;
  guint column = 1;

  for (guint i = 0; i < pos && text[i] != '\0'; i++)
    if (text[i] == '\n')
      line_start = i + 1;
  /* Characters, not bytes; continuation bytes do not count. */
  for (guint i = line_start; i < pos && text[i] != '\0'; i++)
    if (((guchar) text[i] & 0xC0) != 0x80)
      column++;
  return column;
}

void
_setl_expr_set_error (GError       **error,
                      SetlExprError  code,
                      const char    *text,
                      guint          pos,
                      const char    *format,
                      ...)
{
  g_autofree char *message = NULL;
  g_autofree char *line_text = NULL;
  GString *caret;
  guint line = 1, line_start = 0, line_end;
  gboolean several_lines;
  gsize length = strlen (text);
  va_list args;

  if (error == NULL)
    return;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  pos = MIN (pos, (guint) length);
  for (guint i = 0; i < pos; i++)
    if (text[i] == '\n')
      {
        line++;
        line_start = i + 1;
      }
  line_end = line_start;
  while (text[line_end] != '\0' && text[line_end] != '\n')
    line_end++;
  several_lines = strchr (text, '\n') != NULL;

  line_text = g_utf8_make_valid (text + line_start, line_end - line_start);
  caret = g_string_new ("  ");
  for (guint i = line_start; i < pos; i++)
    {
      guchar c = (guchar) text[i];
      if ((c & 0xC0) == 0x80)
        continue;
      /* A tab stays a tab so that the caret lines up in a terminal. */
      g_string_append_c (caret, c == '\t' ? '\t' : ' ');
    }
  g_string_append_c (caret, '^');

  if (several_lines)
    g_set_error (error, SETL_EXPR_ERROR, code, "%s at line %u, column %u:\n  %s\n%s",
                 message, line, _setl_expr_column_of (text, pos), line_text, caret->str);
  else
    g_set_error (error, SETL_EXPR_ERROR, code, "%s at column %u:\n  %s\n%s",
                 message, _setl_expr_column_of (text, pos), line_text, caret->str);
  g_string_free (caret, TRUE);
}

char *
_setl_expr_describe_span (const char *text,
                          guint       start,
                          guint       end)
{
  g_autofree char *span = g_utf8_make_valid (text + start, end - start);
  return g_strdup_printf ("'%s'", span);
}

const char *
_setl_expr_type_name (SetlDataType type)
{
  if (type == SETL_EXPR_TYPE_NULL)
    return "null";
  if (type == SETL_DATA_TYPE_DATE32)
    return "date";
  return setl_data_type_to_string (type);
}

static guint
edit_distance (const char *a,
               const char *b)
{
  gsize la = strlen (a), lb = strlen (b);
  g_autofree guint *row = g_new (guint, lb + 1);

  for (gsize j = 0; j <= lb; j++)
    row[j] = (guint) j;
  for (gsize i = 1; i <= la; i++)
    {
      guint diagonal = row[0];
      row[0] = (guint) i;
      for (gsize j = 1; j <= lb; j++)
        {
          guint above = row[j];
          guint cost = g_ascii_tolower (a[i - 1]) == g_ascii_tolower (b[j - 1]) ? 0 : 1;
          row[j] = MIN (MIN (row[j] + 1, row[j - 1] + 1), diagonal + cost);
          diagonal = above;
        }
    }
  return row[lb];
}

char *
_setl_expr_closest_name (const char        *name,
                         const char *const *candidates)
{
  const char *best = NULL;
  guint best_distance = G_MAXUINT;
  gsize name_length = strlen (name);

  /* Long names are compared with a long tail: the cost is quadratic. */
  if (name_length > 256)
    return NULL;
  for (guint i = 0; candidates != NULL && candidates[i] != NULL; i++)
    {
      guint d;

      if (strlen (candidates[i]) > 256)
        continue;
      d = edit_distance (name, candidates[i]);
      if (d < best_distance)
        {
          best_distance = d;
          best = candidates[i];
        }
    }
  /* Only close names: a third of the name's length, at least one edit. */
  if (best == NULL || best_distance > MAX (1, name_length / 3))
    return NULL;
  return g_strdup (best);
}

/* Public API */

/**
 * setl_expr_parse:
 * @text: the expression's text, in UTF-8
 * @error: return location for a #GError
 *
 * Parses an expression, without giving it types yet: see setl_expr_check().
 *
 * Returns: (transfer full): the expression, or %NULL with @error set to a
 *   %SETL_EXPR_ERROR_SYNTAX (or %SETL_EXPR_ERROR_UNKNOWN_FUNCTION) error
 *   that shows where the text is wrong
 */
SetlExpr *
setl_expr_parse (const char  *text,
                 GError     **error)
{
  g_autoptr(SetlExpr) self = NULL;

  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_object_new (SETL_TYPE_EXPR, NULL);
  self->text = g_strdup (text);
  if (!_setl_expr_parse_into (self, error))
    return NULL;
  return g_steal_pointer (&self);
}

/**
 * setl_expr_compile:
 * @text: the expression's text, in UTF-8
 * @scope: (nullable): the columns and parameters it may use; %NULL for
 *   none (an expression of literals only)
 * @error: return location for a #GError
 *
 * Parses and checks an expression: setl_expr_parse() then
 * setl_expr_check().
 *
 * Returns: (transfer full): the checked expression, or %NULL with @error set
 */
SetlExpr *
setl_expr_compile (const char     *text,
                   SetlExprScope  *scope,
                   GError        **error)
{
  g_autoptr(SetlExpr) self = NULL;

  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (scope == NULL || SETL_IS_EXPR_SCOPE (scope), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = setl_expr_parse (text, error);
  if (self == NULL || !setl_expr_check (self, scope, error))
    return NULL;
  return g_steal_pointer (&self);
}

/**
 * setl_expr_get_text:
 * @self: a #SetlExpr
 *
 * Returns: (transfer none): the text the expression was parsed from
 */
const char *
setl_expr_get_text (SetlExpr *self)
{
  g_return_val_if_fail (SETL_IS_EXPR (self), NULL);
  return self->text;
}

static const char *
op_text (SetlExprOp op)
{
  static const char *const texts[] = {
    [SETL_EXPR_OP_ADD] = "+", [SETL_EXPR_OP_SUB] = "-", [SETL_EXPR_OP_MUL] = "*",
    [SETL_EXPR_OP_DIV] = "/", [SETL_EXPR_OP_MOD] = "%", [SETL_EXPR_OP_CONCAT] = "||",
    [SETL_EXPR_OP_EQ] = "=", [SETL_EXPR_OP_NE] = "!=", [SETL_EXPR_OP_LT] = "<",
    [SETL_EXPR_OP_LE] = "<=", [SETL_EXPR_OP_GT] = ">", [SETL_EXPR_OP_GE] = ">=",
  };
  return texts[op];
}

static void
append_quoted (GString    *out,
               const char *text,
               gsize       len,
               char        quote)
{
  g_string_append_c (out, quote);
  for (gsize i = 0; i < len; i++)
    {
      if (text[i] == quote)
        g_string_append_c (out, quote);
      g_string_append_c (out, text[i]);
    }
  g_string_append_c (out, quote);
}

static gboolean
is_plain_identifier (const char *name)
{
  static const char *const keywords[] = {
    "and", "or", "not", "is", "in", "between", "as", "null", "true", "false",
    "cast", "try_cast", "date", "timestamp", NULL,
  };

  if (!(g_ascii_isalpha (name[0]) || name[0] == '_' || (guchar) name[0] >= 0x80))
    return FALSE;
  for (const char *p = name; *p; p++)
    if (!(g_ascii_isalnum (*p) || *p == '_' || (guchar) *p >= 0x80))
      return FALSE;
  for (guint i = 0; keywords[i]; i++)
    if (g_ascii_strcasecmp (name, keywords[i]) == 0)
      return FALSE;
  return TRUE;
}

static void
append_node (GString      *out,
             SetlExprNode *node)
{
  switch (node->kind)
    {
    case SETL_EXPR_NODE_LITERAL:
      {
        g_autofree char *text = NULL;

        if (node->literal.is_null)
          {
            g_string_append (out, "null");
            break;
          }
        text = _setl_expr_format_value (&node->literal);
        switch (node->literal.type)
          {
          case SETL_DATA_TYPE_STRING:
            append_quoted (out, node->literal.str, node->literal.len, '\'');
            break;
          case SETL_DATA_TYPE_DATE32:
            g_string_append_printf (out, "date '%s'", text);
            break;
          case SETL_DATA_TYPE_TIMESTAMP:
            g_string_append_printf (out, "timestamp '%s'", text);
            break;
          case SETL_DATA_TYPE_DOUBLE:
            g_string_append (out, text);
            /* Keep a float a float when read back. */
            if (strspn (text, "-0123456789") == strlen (text))
              g_string_append (out, ".0");
            break;
          default:
            g_string_append (out, text);
          }
        break;
      }
    case SETL_EXPR_NODE_COLUMN:
      if (is_plain_identifier (node->name))
        g_string_append (out, node->name);
      else
        append_quoted (out, node->name, strlen (node->name), '"');
      break;
    case SETL_EXPR_NODE_PARAM:
      g_string_append_printf (out, "$%s", node->name);
      break;
    case SETL_EXPR_NODE_NEG:
      g_string_append (out, "(-");
      append_node (out, node->args[0]);
      g_string_append_c (out, ')');
      break;
    case SETL_EXPR_NODE_NOT:
      g_string_append (out, "(not ");
      append_node (out, node->args[0]);
      g_string_append_c (out, ')');
      break;
    case SETL_EXPR_NODE_BINARY:
    case SETL_EXPR_NODE_AND:
    case SETL_EXPR_NODE_OR:
      g_string_append_c (out, '(');
      append_node (out, node->args[0]);
      g_string_append_printf (out, " %s ",
                              node->kind == SETL_EXPR_NODE_AND ? "and" :
                              node->kind == SETL_EXPR_NODE_OR ? "or" : op_text (node->op));
      append_node (out, node->args[1]);
      g_string_append_c (out, ')');
      break;
    case SETL_EXPR_NODE_IS_NULL:
      g_string_append_c (out, '(');
      append_node (out, node->args[0]);
      g_string_append (out, node->negated ? " is not null)" : " is null)");
      break;
    case SETL_EXPR_NODE_IN:
      g_string_append_c (out, '(');
      append_node (out, node->args[0]);
      g_string_append (out, node->negated ? " not in (" : " in (");
      for (guint i = 1; i < node->n_args; i++)
        {
          if (i > 1)
            g_string_append (out, ", ");
          append_node (out, node->args[i]);
        }
      g_string_append (out, "))");
      break;
    case SETL_EXPR_NODE_BETWEEN:
      g_string_append_c (out, '(');
      append_node (out, node->args[0]);
      g_string_append (out, node->negated ? " not between " : " between ");
      append_node (out, node->args[1]);
      g_string_append (out, " and ");
      append_node (out, node->args[2]);
      g_string_append_c (out, ')');
      break;
    case SETL_EXPR_NODE_CALL:
      g_string_append_printf (out, "%s(", node->name);
      for (guint i = 0; i < node->n_args; i++)
        {
          if (i > 0)
            g_string_append (out, ", ");
          append_node (out, node->args[i]);
        }
      g_string_append_c (out, ')');
      break;
    case SETL_EXPR_NODE_CAST:
      if (node->implicit)
        {
          append_node (out, node->args[0]);
          break;
        }
      g_string_append (out, node->try_cast ? "try_cast(" : "cast(");
      append_node (out, node->args[0]);
      g_string_append_printf (out, " as %s)", _setl_expr_type_name (node->cast_type));
      break;
    default:
      g_assert_not_reached ();
    }
}

/**
 * setl_expr_to_string:
 * @self: a #SetlExpr
 *
 * Writes the expression back in a canonical form: every operation in
 * parentheses, keywords in lower case, `::` casts as `cast(… as …)`. The
 * result parses to the same expression, which makes it handy to see how a
 * text was understood: `a + b * c` gives `(a + (b * c))`.
 *
 * Returns: (transfer full): the canonical text
 */
char *
setl_expr_to_string (SetlExpr *self)
{
  GString *out;

  g_return_val_if_fail (SETL_IS_EXPR (self), NULL);

  out = g_string_new (NULL);
  append_node (out, self->root);
  return g_string_free (out, FALSE);
}

static char **
names_to_strv (GPtrArray *names)
{
  char **strv = g_new0 (char *, names->len + 1);
  for (guint i = 0; i < names->len; i++)
    strv[i] = g_strdup (g_ptr_array_index (names, i));
  return strv;
}

/**
 * setl_expr_get_column_names:
 * @self: a #SetlExpr
 *
 * The columns the expression reads, each once, in the order they first
 * appear. A projection can read only those.
 *
 * Returns: (transfer full) (array zero-terminated=1): the column names
 */
char **
setl_expr_get_column_names (SetlExpr *self)
{
  g_return_val_if_fail (SETL_IS_EXPR (self), NULL);
  return names_to_strv (self->columns);
}

/**
 * setl_expr_get_parameter_names:
 * @self: a #SetlExpr
 *
 * The parameters the expression uses (without their `$`), each once, in the
 * order they first appear. A condition is static when all of them are known
 * before the run.
 *
 * Returns: (transfer full) (array zero-terminated=1): the parameter names
 */
char **
setl_expr_get_parameter_names (SetlExpr *self)
{
  g_return_val_if_fail (SETL_IS_EXPR (self), NULL);
  return names_to_strv (self->params);
}

/**
 * setl_expr_is_constant:
 * @self: a #SetlExpr
 *
 * Returns: %TRUE if the expression uses no column: only literals and
 *   parameters, so that setl_expr_evaluate_constant() can compute it
 */
gboolean
setl_expr_is_constant (SetlExpr *self)
{
  g_return_val_if_fail (SETL_IS_EXPR (self), FALSE);
  return self->columns->len == 0;
}

/**
 * setl_expr_check:
 * @self: a #SetlExpr
 * @scope: (nullable): the columns and parameters the expression may use;
 *   %NULL for none
 * @error: return location for a #GError
 *
 * Gives the expression its types and checks them: unknown columns,
 * parameters and functions, operands of the wrong type, invalid casts of
 * literals and invalid regular expressions are reported here, each pointing
 * at its place in the text. Integers mix with doubles (the int64 side is
 * converted); dates mix with timestamps; a string literal compared with a
 * date or timestamp is read as one. Nothing else mixes.
 *
 * An expression can be checked again, against another scope; it must not
 * be evaluated meanwhile.
 *
 * Returns: %TRUE if the expression is well typed
 */
gboolean
setl_expr_check (SetlExpr       *self,
                 SetlExprScope  *scope,
                 GError        **error)
{
  g_return_val_if_fail (SETL_IS_EXPR (self), FALSE);
  g_return_val_if_fail (scope == NULL || SETL_IS_EXPR_SCOPE (scope), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return _setl_expr_check (self, scope, error);
}

/**
 * setl_expr_is_checked:
 * @self: a #SetlExpr
 *
 * Returns: whether setl_expr_check() succeeded on the expression
 */
gboolean
setl_expr_is_checked (SetlExpr *self)
{
  g_return_val_if_fail (SETL_IS_EXPR (self), FALSE);
  return self->checked;
}

/**
 * setl_expr_get_result_type:
 * @self: a checked #SetlExpr
 *
 * The type of the expression's values. A bare `null` is a bool.
 *
 * Returns: the type of the values setl_expr_evaluate() gives
 */
SetlDataType
setl_expr_get_result_type (SetlExpr *self)
{
  g_return_val_if_fail (SETL_IS_EXPR (self), SETL_DATA_TYPE_BOOL);
  g_return_val_if_fail (self->checked, SETL_DATA_TYPE_BOOL);
  return self->result_type;
}

static gboolean
require_checked (SetlExpr  *self,
                 GError   **error)
{
  if (!self->checked)
    {
      g_set_error (error, SETL_EXPR_ERROR, SETL_EXPR_ERROR_NOT_CHECKED,
                   "Expression '%s' has not been type-checked (call setl_expr_check())",
                   self->text);
      return FALSE;
    }
  return TRUE;
}

static gboolean
require_bool (SetlExpr   *self,
              const char *what,
              GError    **error)
{
  if (self->result_type != SETL_DATA_TYPE_BOOL)
    {
      _setl_expr_set_error (error, SETL_EXPR_ERROR_TYPE, self->text, self->root->start,
                            "%s must be a bool expression, but this one gives %s values",
                            what, _setl_expr_type_name (self->result_type));
      return FALSE;
    }
  return TRUE;
}

/**
 * setl_expr_evaluate:
 * @self: a checked #SetlExpr
 * @batch: the rows to evaluate it on
 * @scope: (nullable): the parameters' values (typically the scope it was
 *   checked with)
 * @error: return location for a #GError
 *
 * Computes the expression for every row of @batch, a column at a time. The
 * batch's columns are found by name and must have the types the expression
 * was checked with. An expression that is a bare column gives that column
 * itself, without a copy.
 *
 * Errors at this stage come from the data: a string that does not convert
 * in a cast (%SETL_EXPR_ERROR_INVALID_CAST), integer overflow
 * (%SETL_EXPR_ERROR_OVERFLOW); their messages give the row. Division by
 * zero gives null.
 *
 * Returns: (transfer full): a column of setl_expr_get_result_type() values,
 *   as long as @batch, or %NULL with @error set
 */
SetlColumn *
setl_expr_evaluate (SetlExpr         *self,
                    SetlRecordBatch  *batch,
                    SetlExprScope    *scope,
                    GError          **error)
{
  g_return_val_if_fail (SETL_IS_EXPR (self), NULL);
  g_return_val_if_fail (SETL_IS_RECORD_BATCH (batch), NULL);
  g_return_val_if_fail (scope == NULL || SETL_IS_EXPR_SCOPE (scope), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!require_checked (self, error))
    return NULL;
  return _setl_expr_eval_column (self, batch, scope, error);
}

/**
 * setl_expr_evaluate_predicate:
 * @self: a checked bool #SetlExpr
 * @batch: the rows to evaluate it on
 * @scope: (nullable): the parameters' values
 * @n_selected: (out) (optional): where to store the number of rows where
 *   the expression is true
 * @error: return location for a #GError
 *
 * Computes a condition as a filter sees it: a bool column without nulls,
 * true where the expression is true and false where it is false *or null*.
 * Its values buffer is a selection bitmap (bit setl_column_get_offset() +
 * row) that a filter can use directly.
 *
 * Returns: (transfer full): the selection, or %NULL with @error set
 */
SetlColumn *
setl_expr_evaluate_predicate (SetlExpr         *self,
                              SetlRecordBatch  *batch,
                              SetlExprScope    *scope,
                              gint64           *n_selected,
                              GError          **error)
{
  g_return_val_if_fail (SETL_IS_EXPR (self), NULL);
  g_return_val_if_fail (SETL_IS_RECORD_BATCH (batch), NULL);
  g_return_val_if_fail (scope == NULL || SETL_IS_EXPR_SCOPE (scope), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!require_checked (self, error) || !require_bool (self, "A filter", error))
    return NULL;
  return _setl_expr_eval_selection (self, batch, scope, n_selected, error);
}

/**
 * setl_expr_filter_batch:
 * @self: a checked bool #SetlExpr
 * @batch: the rows to filter
 * @scope: (nullable): the parameters' values
 * @error: return location for a #GError
 *
 * Keeps the rows of @batch where @self is true (not false, not null), in
 * their order. When they are all kept, or form one run, the result shares
 * @batch's buffers; otherwise the kept values are copied.
 *
 * Returns: (transfer full): the kept rows, with @batch's fields, or %NULL
 *   with @error set
 */
SetlRecordBatch *
setl_expr_filter_batch (SetlExpr         *self,
                        SetlRecordBatch  *batch,
                        SetlExprScope    *scope,
                        GError          **error)
{
  g_return_val_if_fail (SETL_IS_EXPR (self), NULL);
  g_return_val_if_fail (SETL_IS_RECORD_BATCH (batch), NULL);
  g_return_val_if_fail (scope == NULL || SETL_IS_EXPR_SCOPE (scope), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!require_checked (self, error) || !require_bool (self, "A filter", error))
    return NULL;
  return _setl_expr_filter (self, batch, scope, error);
}

/**
 * setl_expr_evaluate_constant:
 * @self: a checked #SetlExpr that uses no column
 * @scope: (nullable): the parameters' values
 * @value: (out caller-allocates): an uninitialised #GValue
 * @error: return location for a #GError
 *
 * Computes an expression of literals and parameters, such as the condition
 * of a stage. The value comes as setl_column_get_value() gives values: a
 * %G_TYPE_BOOLEAN, a %G_TYPE_INT64 (int64, and timestamp in µs), a
 * %G_TYPE_DOUBLE, a %G_TYPE_STRING or a %G_TYPE_INT (date, in days). A null
 * leaves @value uninitialised.
 *
 * Returns: %TRUE on success (null included); %FALSE with @error set, for
 *   instance %SETL_EXPR_ERROR_NOT_CONSTANT if the expression uses columns
 */
gboolean
setl_expr_evaluate_constant (SetlExpr       *self,
                             SetlExprScope  *scope,
                             GValue         *value,
                             GError        **error)
{
  SetlExprValue result;
  g_autofree char *owned = NULL;

  g_return_val_if_fail (SETL_IS_EXPR (self), FALSE);
  g_return_val_if_fail (scope == NULL || SETL_IS_EXPR_SCOPE (scope), FALSE);
  g_return_val_if_fail (value != NULL && !G_IS_VALUE (value), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!require_checked (self, error))
    return FALSE;
  if (self->columns->len > 0)
    {
      SetlExprNode *first = NULL;
      GPtrArray *stack = g_ptr_array_new ();

      /* Point at the first column reference. */
      g_ptr_array_add (stack, self->root);
      while (stack->len > 0)
        {
          SetlExprNode *node = g_ptr_array_steal_index (stack, stack->len - 1);
          if (node->kind == SETL_EXPR_NODE_COLUMN &&
              (first == NULL || node->start < first->start))
            first = node;
          for (guint i = 0; i < node->n_args; i++)
            g_ptr_array_add (stack, node->args[i]);
        }
      g_ptr_array_unref (stack);
      _setl_expr_set_error (error, SETL_EXPR_ERROR_NOT_CONSTANT, self->text,
                            first ? first->start : 0,
                            "A constant expression cannot use columns, but this one reads '%s'",
                            first ? first->name : (char *) g_ptr_array_index (self->columns, 0));
      return FALSE;
    }

  if (!_setl_expr_eval_scalar (self, self->root, scope, &result, &owned, error))
    return FALSE;
  if (result.is_null)
    return TRUE;
  switch (self->result_type)
    {
    case SETL_DATA_TYPE_BOOL:
      g_value_init (value, G_TYPE_BOOLEAN);
      g_value_set_boolean (value, result.v.b);
      break;
    case SETL_DATA_TYPE_INT64:
    case SETL_DATA_TYPE_TIMESTAMP:
      g_value_init (value, G_TYPE_INT64);
      g_value_set_int64 (value, result.v.i);
      break;
    case SETL_DATA_TYPE_DOUBLE:
      g_value_init (value, G_TYPE_DOUBLE);
      g_value_set_double (value, result.v.d);
      break;
    case SETL_DATA_TYPE_STRING:
      g_value_init (value, G_TYPE_STRING);
      g_value_take_string (value, g_strndup (result.str, result.len));
      break;
    case SETL_DATA_TYPE_DATE32:
      g_value_init (value, G_TYPE_INT);
      g_value_set_int (value, result.v.date);
      break;
    default:
      g_assert_not_reached ();
    }
  return TRUE;
}

/**
 * setl_expr_evaluate_condition:
 * @self: a checked bool #SetlExpr that uses no column
 * @scope: (nullable): the parameters' values
 * @result: (out): whether the condition holds
 * @error: return location for a #GError
 *
 * Decides a condition: true only if the expression is true — false and null
 * both mean no, as in a SQL `WHERE`.
 *
 * Returns: %TRUE on success, %FALSE with @error set
 */
gboolean
setl_expr_evaluate_condition (SetlExpr       *self,
                              SetlExprScope  *scope,
                              gboolean       *result,
                              GError        **error)
{
  GValue value = G_VALUE_INIT;

  g_return_val_if_fail (SETL_IS_EXPR (self), FALSE);
  g_return_val_if_fail (result != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  *result = FALSE;
  if (!require_checked (self, error) || !require_bool (self, "A condition", error))
    return FALSE;
  if (!setl_expr_evaluate_constant (self, scope, &value, error))
    return FALSE;
  if (G_IS_VALUE (&value))
    {
      *result = g_value_get_boolean (&value);
      g_value_unset (&value);
    }
  return TRUE;
}
