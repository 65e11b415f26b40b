/* setl-expr-private.h: what the expression files (lexer, parser, checker,
 * evaluator) share with each other and nobody else.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "setl-expr.h"
#include "setl-expr-scope.h"

G_BEGIN_DECLS

/* The type of a bare `null` literal until the checker gives it the type its
 * context asks for. Never escapes the expression code. */
#define SETL_EXPR_TYPE_NULL ((SetlDataType) 100)

/* Deeper expressions are refused by the parser, so that checking and
 * evaluating them (both recursive) can never exhaust the stack. */
#define SETL_EXPR_MAX_DEPTH 200

typedef enum {
  SETL_EXPR_NODE_LITERAL,
  SETL_EXPR_NODE_COLUMN,
  SETL_EXPR_NODE_PARAM,
  SETL_EXPR_NODE_NEG,
  SETL_EXPR_NODE_NOT,
  SETL_EXPR_NODE_BINARY,
  SETL_EXPR_NODE_AND,
  SETL_EXPR_NODE_OR,
  SETL_EXPR_NODE_IS_NULL,
  SETL_EXPR_NODE_IN,
  SETL_EXPR_NODE_BETWEEN,
  SETL_EXPR_NODE_CALL,
  SETL_EXPR_NODE_CAST,
} SetlExprNodeKind;

typedef enum {
  SETL_EXPR_OP_ADD,
  SETL_EXPR_OP_SUB,
  SETL_EXPR_OP_MUL,
  SETL_EXPR_OP_DIV,
  SETL_EXPR_OP_MOD,
  SETL_EXPR_OP_CONCAT,
  SETL_EXPR_OP_EQ,
  SETL_EXPR_OP_NE,
  SETL_EXPR_OP_LT,
  SETL_EXPR_OP_LE,
  SETL_EXPR_OP_GT,
  SETL_EXPR_OP_GE,
} SetlExprOp;

#define SETL_EXPR_OP_IS_COMPARISON(op) ((op) >= SETL_EXPR_OP_EQ)

typedef enum {
  SETL_EXPR_FUNC_LENGTH,
  SETL_EXPR_FUNC_LOWER,
  SETL_EXPR_FUNC_UPPER,
  SETL_EXPR_FUNC_STARTS_WITH,
  SETL_EXPR_FUNC_ENDS_WITH,
  SETL_EXPR_FUNC_CONTAINS,
  SETL_EXPR_FUNC_MATCHES,
  SETL_EXPR_FUNC_COALESCE,
  SETL_EXPR_FUNC_ABS,
} SetlExprFunc;

typedef struct {
  const char *name;
  SetlExprFunc func;
  guint min_args;
  guint max_args;
} SetlExprFuncInfo;

const SetlExprFuncInfo *_setl_expr_lookup_function (const char *name);
const char *_setl_expr_function_names (void);

/* One value, of a literal, a parameter or a row. Strings are borrowed
 * unless said otherwise. */
typedef struct {
  SetlDataType type;
  gboolean is_null;
  union {
    gboolean b;
    gint64 i;       /* int64, timestamp (µs) */
    double d;
    gint32 date;    /* days */
  } v;
  const char *str;
  gsize len;
} SetlExprValue;

typedef struct _SetlExprNode SetlExprNode;
struct _SetlExprNode
{
  SetlExprNodeKind kind;
  guint start, end;       /* byte span in the text */
  guint op_pos;           /* where the operator is, for messages */
  guint depth;
  SetlDataType type;      /* set by the checker */
  SetlExprOp op;
  gboolean negated;       /* not in, is not null, not between */
  gboolean try_cast;
  gboolean implicit;      /* a cast the checker inserted */
  gboolean folded;        /* the checker computed the value: see literal */
  SetlDataType cast_type;
  SetlExprFunc func;
  char *name;             /* column, parameter or function */
  SetlExprValue literal;  /* literal.str owned by owned_str */
  char *owned_str;
  SetlExprNode **args;
  guint n_args;
  GRegex *regex;          /* matches() with a literal pattern */
  int slot;               /* index into the expression's columns / params */
};

void           _setl_expr_node_free (SetlExprNode *node);
SetlExprNode  *_setl_expr_node_new  (SetlExprNodeKind kind,
                                     guint            start,
                                     guint            end);

struct _SetlExpr
{
  GObject parent_instance;

  char *text;
  SetlExprNode *root;

  GPtrArray *columns;       /* (element-type utf8) referenced, in order */
  GPtrArray *params;        /* (element-type utf8) */

  gboolean checked;
  SetlDataType result_type;
  SetlDataType *column_types;  /* per column slot, once checked */
  SetlDataType *param_types;   /* per parameter slot, once checked */
};

/* Lexer */
typedef enum {
  SETL_EXPR_TOKEN_EOF,
  SETL_EXPR_TOKEN_INT,
  SETL_EXPR_TOKEN_FLOAT,
  SETL_EXPR_TOKEN_STRING,
  SETL_EXPR_TOKEN_IDENT,
  SETL_EXPR_TOKEN_QUOTED_IDENT,
  SETL_EXPR_TOKEN_PARAM,
  SETL_EXPR_TOKEN_LPAREN,
  SETL_EXPR_TOKEN_RPAREN,
  SETL_EXPR_TOKEN_COMMA,
  SETL_EXPR_TOKEN_PLUS,
  SETL_EXPR_TOKEN_MINUS,
  SETL_EXPR_TOKEN_STAR,
  SETL_EXPR_TOKEN_SLASH,
  SETL_EXPR_TOKEN_PERCENT,
  SETL_EXPR_TOKEN_EQ,
  SETL_EXPR_TOKEN_NE,
  SETL_EXPR_TOKEN_LT,
  SETL_EXPR_TOKEN_LE,
  SETL_EXPR_TOKEN_GT,
  SETL_EXPR_TOKEN_GE,
  SETL_EXPR_TOKEN_CONCAT,
  SETL_EXPR_TOKEN_DOUBLE_COLON,
} SetlExprTokenType;

typedef struct {
  SetlExprTokenType type;
  guint start, end;
  char *text;             /* unescaped: strings, identifiers, parameters */
  guint64 magnitude;      /* integers: the absolute value */
  double d;               /* floats */
} SetlExprToken;

/* Splits @text into tokens, ending with an EOF token. */
GArray   *_setl_expr_tokenize   (const char *text,
                                 GError    **error);
void      _setl_expr_tokens_free (GArray *tokens);

/* Parser: fills @expr->root, columns and params. */
gboolean  _setl_expr_parse_into (SetlExpr   *expr,
                                 GError    **error);

/* Checker */
gboolean  _setl_expr_check      (SetlExpr      *expr,
                                 SetlExprScope *scope,
                                 GError       **error);

/* Errors pointing at a place in the text. */
void      _setl_expr_set_error  (GError     **error,
                                 SetlExprError code,
                                 const char  *text,
                                 guint        pos,
                                 const char  *format,
                                 ...) G_GNUC_PRINTF (5, 6);
guint     _setl_expr_column_of  (const char  *text,
                                 guint        pos);
char     *_setl_expr_describe_span (const char *text,
                                    guint       start,
                                    guint       end);
const char *_setl_expr_type_name (SetlDataType type);

/* Values */
gboolean  _setl_expr_parse_date      (const char *text,
                                      gsize       len,
                                      gint32     *days);
gboolean  _setl_expr_parse_timestamp (const char *text,
                                      gsize       len,
                                      gint64     *usec);
char     *_setl_expr_format_value    (const SetlExprValue *value);
gboolean  _setl_expr_cast_allowed    (SetlDataType from,
                                      SetlDataType to);
/* Converts @in to @to. On success, a string result is allocated into
 * *@owned (which the caller frees). On failure returns FALSE and sets *@why
 * to a short reason. */
gboolean  _setl_expr_cast_value      (const SetlExprValue *in,
                                      SetlDataType         to,
                                      SetlExprValue       *out,
                                      char               **owned,
                                      const char         **why);

/* Scope, seen from the checker and the evaluator */
gboolean  _setl_expr_scope_get_value (SetlExprScope *scope,
                                      const char    *name,
                                      SetlDataType   expected,
                                      SetlExprValue *value,
                                      char         **owned,
                                      GError       **error);
char     *_setl_expr_scope_closest_column (SetlExprScope *scope,
                                           const char    *name);
char     *_setl_expr_closest_name (const char        *name,
                                   const char *const *candidates);

/* Evaluation */
SetlColumn *_setl_expr_eval_column (SetlExpr        *expr,
                                    SetlRecordBatch *batch,
                                    SetlExprScope   *scope,
                                    GError         **error);
gboolean    _setl_expr_eval_scalar (SetlExpr        *expr,
                                    SetlExprNode    *node,
                                    SetlExprScope   *scope,
                                    SetlExprValue   *value,
                                    char           **owned,
                                    GError         **error);
SetlColumn *_setl_expr_eval_selection (SetlExpr        *expr,
                                       SetlRecordBatch *batch,
                                       SetlExprScope   *scope,
                                       gint64          *n_selected,
                                       GError         **error);
SetlRecordBatch *_setl_expr_filter (SetlExpr        *expr,
                                    SetlRecordBatch *batch,
                                    SetlExprScope   *scope,
                                    GError         **error);

G_END_DECLS
