/* setl-xf-util.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "setl-xf-util.h"

#include <string.h>

/* “filter “adults”” — how errors name the factory at fault. */
char *
setl_xf_describe (SetlFactory *factory,
                  const char  *kind)
{
  const char *name = setl_factory_get_name (factory);

  if (name != NULL && *name != '\0')
    return g_strdup_printf ("%s “%s”", kind, name);
  return g_strdup (kind);
}

SetlBatchStream *
setl_xf_get_input_stream (SetlFactory  *factory,
                          const char   *slot,
                          const char   *kind,
                          GError      **error)
{
  gpointer object = setl_factory_get_input_object (factory, slot);

  if (object == NULL || !SETL_IS_BATCH_STREAM (object))
    {
      g_autofree char *who = setl_xf_describe (factory, kind);
      g_set_error (error, SETL_PIPELINE_ERROR, SETL_PIPELINE_ERROR_MISSING_DELIVERY,
                   "%s: input “%s” has no batch stream", who, slot);
      return NULL;
    }
  return SETL_BATCH_STREAM (object);
}

static gboolean
looks_like_int64 (const char *s, gint64 *out)
{
  return g_ascii_string_to_signed (s, 10, G_MININT64, G_MAXINT64, out, NULL);
}

static gboolean
looks_like_double (const char *s, double *out)
{
  char *end = NULL;

  if (*s == '\0' || g_ascii_isspace (*s))
    return FALSE;
  /* only plain decimal notation: “nan” or “inf” are strings unless typed */
  for (const char *p = s; *p; p++)
    if (!(g_ascii_isdigit (*p) || strchr ("+-.eE", *p)))
      return FALSE;
  *out = g_ascii_strtod (s, &end);
  return end != s && *end == '\0';
}

/* Sets the typed value @text of parameter @name through the expression
 * language's own conversion rules (cast of a string literal), so that a
 * date or a boolean reads exactly as it would in an expression. */
static gboolean
set_typed_parameter (SetlExprScope  *scope,
                     const char     *name,
                     const char     *type_name,
                     const char     *text,
                     GError        **error)
{
  g_autoptr(GString) expr_text = g_string_new ("cast('");
  g_autoptr(SetlExprScope) empty = setl_expr_scope_new ();
  g_autoptr(SetlExpr) expr = NULL;
  g_auto(GValue) value = G_VALUE_INIT;

  for (const char *p = text; *p; p++)
    {
      if (*p == '\'')
        g_string_append_c (expr_text, '\'');
      g_string_append_c (expr_text, *p);
    }
  g_string_append_printf (expr_text, "' as %s)", type_name);
  expr = setl_expr_compile (expr_text->str, empty, error);
  if (expr == NULL || !setl_expr_evaluate_constant (expr, empty, &value, error))
    {
      g_prefix_error (error, "parameter “%s”: ", name);
      return FALSE;
    }
  switch (setl_expr_get_result_type (expr))
    {
    case SETL_DATA_TYPE_DATE32:
      setl_expr_scope_set_date (scope, name, g_value_get_int (&value));
      return TRUE;
    case SETL_DATA_TYPE_TIMESTAMP:
      setl_expr_scope_set_timestamp (scope, name, g_value_get_int64 (&value));
      return TRUE;
    default:
      return setl_expr_scope_set_parameter (scope, name, &value, error);
    }
}

/* Parameters come as “name=value” (the type is guessed: int64, then double,
 * then bool, else string) or “name:type=value” (any type name of the
 * expression language's casts); “name:type” alone is a typed null. */
gboolean
setl_xf_scope_add_parameters (SetlExprScope      *scope,
                              const char *const  *parameters,
                              GError            **error)
{
  for (guint i = 0; parameters != NULL && parameters[i] != NULL; i++)
    {
      const char *item = parameters[i];
      const char *eq = strchr (item, '=');
      g_autofree char *lhs = eq ? g_strndup (item, eq - item) : g_strdup (item);
      const char *value = eq ? eq + 1 : NULL;
      char *colon = strchr (lhs, ':');
      const char *type_name = NULL;
      gint64 i64;
      double d;

      if (colon != NULL)
        {
          *colon = '\0';
          type_name = g_strstrip (colon + 1);
        }
      g_strstrip (lhs);
      if (*lhs == '\0' || (value == NULL && type_name == NULL))
        {
          g_set_error (error, SETL_EXPR_ERROR, SETL_EXPR_ERROR_SYNTAX,
                       "Parameter “%s” is not of the form name=value, name:type=value "
                       "or name:type (null)", item);
          return FALSE;
        }
      if (lhs[0] == '$')
        memmove (lhs, lhs + 1, strlen (lhs));

      if (value == NULL)
        {
          SetlDataType t;
          g_autoptr(SetlExprScope) empty = setl_expr_scope_new ();
          g_autofree char *probe = g_strdup_printf ("cast(null as %s)", type_name);
          g_autoptr(SetlExpr) e = setl_expr_compile (probe, empty, error);

          if (e == NULL)
            {
              g_prefix_error (error, "parameter “%s”: ", lhs);
              return FALSE;
            }
          t = setl_expr_get_result_type (e);
          setl_expr_scope_set_parameter_null (scope, lhs, t);
        }
      else if (type_name != NULL)
        {
          if (!set_typed_parameter (scope, lhs, type_name, value, error))
            return FALSE;
        }
      else if (looks_like_int64 (value, &i64))
        setl_expr_scope_set_int64 (scope, lhs, i64);
      else if (looks_like_double (value, &d))
        setl_expr_scope_set_double (scope, lhs, d);
      else if (g_ascii_strcasecmp (value, "true") == 0 || g_ascii_strcasecmp (value, "false") == 0)
        setl_expr_scope_set_bool (scope, lhs, g_ascii_strcasecmp (value, "true") == 0);
      else
        setl_expr_scope_set_string (scope, lhs, value);
    }
  return TRUE;
}

/* Skips a quoted run starting at text[i] (a quote doubled stands for
 * itself); returns the index after the closing quote (or the end). */
static gsize
skip_quoted (const char *text,
             gsize       i)
{
  char q = text[i++];

  while (text[i] != '\0')
    {
      if (text[i] == q)
        {
          if (text[i + 1] == q)
            i += 2;
          else
            return i + 1;
        }
      else
        i++;
    }
  return i;
}

/* Splits “a desc, coalesce(b, c)” at the commas outside parentheses and
 * quotes; items are trimmed, empty ones kept (the caller complains). */
GPtrArray *
setl_xf_split_list (const char *text)
{
  GPtrArray *items = g_ptr_array_new_with_free_func (g_free);
  gsize start = 0, i = 0;
  int depth = 0;

  for (;;)
    {
      char c = text[i];

      if (c == '\'' || c == '"')
        {
          i = skip_quoted (text, i);
          continue;
        }
      if (c == '(')
        depth++;
      else if (c == ')' && depth > 0)
        depth--;
      else if ((c == ',' && depth == 0) || c == '\0')
        {
          char *item = g_strndup (text + start, i - start);
          g_ptr_array_add (items, g_strstrip (item));
          if (c == '\0')
            break;
          start = i + 1;
        }
      i++;
    }
  return items;
}

static gboolean
is_ident_char (guchar c)
{
  return g_ascii_isalnum (c) || c == '_' || c >= 0x80;
}

/* Reads an identifier or a double-quoted name filling all of @text. */
char *
setl_xf_bare_column (const char *text)
{
  gsize n = strlen (text);

  if (n == 0)
    return NULL;
  if (text[0] == '"')
    {
      GString *s;
      if (skip_quoted (text, 0) != n || n < 3 || text[n - 1] != '"')
        return NULL;
      s = g_string_new (NULL);
      for (gsize i = 1; i < n - 1; i++)
        {
          g_string_append_c (s, text[i]);
          if (text[i] == '"')
            i++;
        }
      return g_string_free (s, FALSE);
    }
  if (g_ascii_isdigit (text[0]))
    return NULL;
  for (gsize i = 0; i < n; i++)
    if (!is_ident_char ((guchar) text[i]))
      return NULL;
  return g_strdup (text);
}

/* Splits “expr AS name” at its last top-level AS (any case); without one,
 * the whole item is the expression and *alias is NULL. */
gboolean
setl_xf_split_alias (const char  *item,
                     char       **expr_text,
                     char       **alias,
                     GError     **error)
{
  gssize as_at = -1;
  gsize i = 0;
  int depth = 0;

  while (item[i] != '\0')
    {
      char c = item[i];

      if (c == '\'' || c == '"')
        {
          i = skip_quoted (item, i);
          continue;
        }
      if (c == '(')
        depth++;
      else if (c == ')' && depth > 0)
        depth--;
      else if (depth == 0 && i > 0 && g_ascii_isspace (item[i - 1]) &&
               g_ascii_strncasecmp (item + i, "as", 2) == 0 &&
               (item[i + 2] == '\0' || g_ascii_isspace (item[i + 2]) || item[i + 2] == '"'))
        as_at = (gssize) i;
      i++;
    }

  if (as_at < 0)
    {
      *expr_text = g_strstrip (g_strdup (item));
      *alias = NULL;
      return TRUE;
    }

  {
    g_autofree char *lhs = g_strstrip (g_strndup (item, (gsize) as_at));
    g_autofree char *rhs = g_strstrip (g_strdup (item + as_at + 2));
    char *name = setl_xf_bare_column (rhs);

    if (*lhs == '\0' || name == NULL)
      {
        g_set_error (error, SETL_EXPR_ERROR, SETL_EXPR_ERROR_SYNTAX,
                     "“%s” is not of the form “expression AS name” (the name is an "
                     "identifier or a double-quoted name)", item);
        g_free (name);
        return FALSE;
      }
    *expr_text = g_steal_pointer (&lhs);
    *alias = name;
    return TRUE;
  }
}
