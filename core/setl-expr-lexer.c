/* setl-expr-lexer.c: splits an expression's text into tokens.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "setl-expr-private.h"

#include <math.h>
#include <string.h>

static void
token_clear (gpointer data)
{
  SetlExprToken *token = data;
  g_clear_pointer (&token->text, g_free);
}

void
_setl_expr_tokens_free (GArray *tokens)
{
  if (tokens != NULL)
    g_array_unref (tokens);
}

static gboolean
is_ident_start (guchar c)
{
  /* Bytes of multi-byte UTF-8 sequences count as letters, so that column
   * names such as `prénom` need no quotes. */
  return g_ascii_isalpha (c) || c == '_' || c >= 0x80;
}

static gboolean
is_ident_char (guchar c)
{
  return is_ident_start (c) || g_ascii_isdigit (c);
}

/* A quoted string or identifier: @quote doubled inside stands for itself. */
static gboolean
lex_quoted (const char     *text,
            guint          *pos,
            char            quote,
            SetlExprToken  *token,
            GError        **error)
{
  GString *value = g_string_new (NULL);
  guint start = *pos;
  guint i = start + 1;

  for (;;)
    {
      if (text[i] == '\0')
        {
          g_string_free (value, TRUE);
          _setl_expr_set_error (error, SETL_EXPR_ERROR_SYNTAX, text, start,
                                quote == '\''
                                ? "Unterminated string (no closing ')"
                                : "Unterminated quoted identifier (no closing \")");
          return FALSE;
        }
      if (text[i] == quote)
        {
          if (text[i + 1] == quote)
            {
              g_string_append_c (value, quote);
              i += 2;
              continue;
            }
          i++;
          break;
        }
      g_string_append_c (value, text[i]);
      i++;
    }

  if (quote == '"' && value->len == 0)
    {
      g_string_free (value, TRUE);
      _setl_expr_set_error (error, SETL_EXPR_ERROR_SYNTAX, text, start,
                            "Empty quoted identifier");
      return FALSE;
    }

  token->text = g_string_free (value, FALSE);
  token->end = *pos = i;
  return TRUE;
}

static gboolean
lex_number (const char     *text,
            guint          *pos,
            SetlExprToken  *token,
            GError        **error)
{
  guint start = *pos;
  guint i = start;
  gboolean is_float = FALSE;
  g_autofree char *copy = NULL;

  while (g_ascii_isdigit (text[i]))
    i++;
  if (text[i] == '.' && g_ascii_isdigit (text[i + 1]))
    {
      is_float = TRUE;
      i++;
      while (g_ascii_isdigit (text[i]))
        i++;
    }
  else if (text[i] == '.' && i > start)
    {
      /* `1.` is a float too, as in SQL. */
      is_float = TRUE;
      i++;
    }
  if ((text[i] == 'e' || text[i] == 'E') &&
      (g_ascii_isdigit (text[i + 1]) ||
       ((text[i + 1] == '+' || text[i + 1] == '-') && g_ascii_isdigit (text[i + 2]))))
    {
      is_float = TRUE;
      i += 2;
      while (g_ascii_isdigit (text[i]))
        i++;
    }
  if (is_ident_char ((guchar) text[i]) || text[i] == '.')
    {
      _setl_expr_set_error (error, SETL_EXPR_ERROR_SYNTAX, text, i,
                            "Invalid number");
      return FALSE;
    }

  copy = g_strndup (text + start, i - start);
  token->end = *pos = i;
  if (is_float)
    {
      token->type = SETL_EXPR_TOKEN_FLOAT;
      token->d = g_ascii_strtod (copy, NULL);
      if (isinf (token->d))
        {
          _setl_expr_set_error (error, SETL_EXPR_ERROR_SYNTAX, text, start,
                                "Number %s is out of the double range", copy);
          return FALSE;
        }
      return TRUE;
    }

  token->type = SETL_EXPR_TOKEN_INT;
  /* One more than G_MAXINT64 is allowed through: it is valid after a
   * unary minus, which the parser checks. */
  if (!g_ascii_string_to_unsigned (copy, 10, 0, (guint64) G_MAXINT64 + 1,
                                   &token->magnitude, NULL))
    {
      _setl_expr_set_error (error, SETL_EXPR_ERROR_SYNTAX, text, start,
                            "Integer %s is out of the int64 range", copy);
      return FALSE;
    }
  return TRUE;
}

static gboolean
lex_one (const char     *text,
         guint          *pos,
         SetlExprToken  *token,
         GError        **error)
{
  guint i = *pos;
  guchar c = (guchar) text[i];

  token->start = i;
  token->end = i + 1;

  if (c == '\0')
    {
      token->type = SETL_EXPR_TOKEN_EOF;
      token->end = i;
      return TRUE;
    }
  if (g_ascii_isdigit (c) || (c == '.' && g_ascii_isdigit (text[i + 1])))
    return lex_number (text, pos, token, error);
  if (is_ident_start (c))
    {
      while (is_ident_char ((guchar) text[i]))
        i++;
      token->type = SETL_EXPR_TOKEN_IDENT;
      token->text = g_strndup (text + *pos, i - *pos);
      token->end = *pos = i;
      return TRUE;
    }
  if (c == '\'')
    {
      token->type = SETL_EXPR_TOKEN_STRING;
      return lex_quoted (text, pos, '\'', token, error);
    }
  if (c == '"')
    {
      token->type = SETL_EXPR_TOKEN_QUOTED_IDENT;
      return lex_quoted (text, pos, '"', token, error);
    }
  if (c == '$')
    {
      /* Parameter names may be dotted (`$orders.row_count`), so that facts
       * about upstream outputs read naturally. */
      i++;
      if (!is_ident_start ((guchar) text[i]))
        {
          _setl_expr_set_error (error, SETL_EXPR_ERROR_SYNTAX, text, i,
                                "Expected a parameter name after '$'");
          return FALSE;
        }
      while (is_ident_char ((guchar) text[i]) ||
             (text[i] == '.' && is_ident_start ((guchar) text[i + 1])))
        i++;
      token->type = SETL_EXPR_TOKEN_PARAM;
      token->text = g_strndup (text + *pos + 1, i - *pos - 1);
      token->end = *pos = i;
      return TRUE;
    }

  switch (c)
    {
    case '(': token->type = SETL_EXPR_TOKEN_LPAREN; break;
    case ')': token->type = SETL_EXPR_TOKEN_RPAREN; break;
    case ',': token->type = SETL_EXPR_TOKEN_COMMA; break;
    case '+': token->type = SETL_EXPR_TOKEN_PLUS; break;
    case '-': token->type = SETL_EXPR_TOKEN_MINUS; break;
    case '*': token->type = SETL_EXPR_TOKEN_STAR; break;
    case '/': token->type = SETL_EXPR_TOKEN_SLASH; break;
    case '%': token->type = SETL_EXPR_TOKEN_PERCENT; break;
    case '=':
      token->type = SETL_EXPR_TOKEN_EQ;
      if (text[i + 1] == '=')   /* `==` as a courtesy to C and Python hands */
        token->end++;
      break;
    case '!':
      if (text[i + 1] != '=')
        {
          _setl_expr_set_error (error, SETL_EXPR_ERROR_SYNTAX, text, i,
                                "Unexpected character '!' (use 'not' or '!=')");
          return FALSE;
        }
      token->type = SETL_EXPR_TOKEN_NE;
      token->end++;
      break;
    case '<':
      token->type = SETL_EXPR_TOKEN_LT;
      if (text[i + 1] == '=')
        token->type = SETL_EXPR_TOKEN_LE, token->end++;
      else if (text[i + 1] == '>')
        token->type = SETL_EXPR_TOKEN_NE, token->end++;
      break;
    case '>':
      token->type = SETL_EXPR_TOKEN_GT;
      if (text[i + 1] == '=')
        token->type = SETL_EXPR_TOKEN_GE, token->end++;
      break;
    case '|':
      if (text[i + 1] != '|')
        {
          _setl_expr_set_error (error, SETL_EXPR_ERROR_SYNTAX, text, i,
                                "Unexpected character '|' (use 'or', or '||' to join strings)");
          return FALSE;
        }
      token->type = SETL_EXPR_TOKEN_CONCAT;
      token->end++;
      break;
    case ':':
      if (text[i + 1] != ':')
        {
          _setl_expr_set_error (error, SETL_EXPR_ERROR_SYNTAX, text, i,
                                "Unexpected character ':' (casts are written '::type')");
          return FALSE;
        }
      token->type = SETL_EXPR_TOKEN_DOUBLE_COLON;
      token->end++;
      break;
    default:
      if (g_ascii_isprint (c))
        _setl_expr_set_error (error, SETL_EXPR_ERROR_SYNTAX, text, i,
                              "Unexpected character '%c'", c);
      else
        _setl_expr_set_error (error, SETL_EXPR_ERROR_SYNTAX, text, i,
                              "Unexpected character 0x%02x", c);
      return FALSE;
    }
  *pos = token->end;
  return TRUE;
}

GArray *
_setl_expr_tokenize (const char  *text,
                     GError     **error)
{
  g_autoptr(GArray) tokens = g_array_new (FALSE, TRUE, sizeof (SetlExprToken));
  const char *bad = NULL;
  guint pos = 0;

  g_array_set_clear_func (tokens, token_clear);

  if (!g_utf8_validate (text, -1, &bad))
    {
      _setl_expr_set_error (error, SETL_EXPR_ERROR_SYNTAX, text,
                            (guint) (bad - text), "Invalid UTF-8");
      return NULL;
    }

  for (;;)
    {
      SetlExprToken token = { 0 };

      while (g_ascii_isspace (text[pos]))
        pos++;
      if (!lex_one (text, &pos, &token, error))
        {
          token_clear (&token);
          return NULL;
        }
      g_array_append_val (tokens, token);
      if (token.type == SETL_EXPR_TOKEN_EOF)
        break;
    }

  return g_steal_pointer (&tokens);
}
