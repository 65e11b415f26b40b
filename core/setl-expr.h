/* setl-expr.h: the typed expression language of filters, computed columns
 * and conditions, evaluated column-at-a-time over record batches.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(SETL_INSIDE) && !defined(SETL_COMPILATION)
#error "Only <setl/setl.h> can be included directly."
#endif

#include <glib-object.h>
#include "setl-data-type.h"
#include "setl-column.h"
#include "setl-record-batch.h"
#include "setl-expr-scope.h"

G_BEGIN_DECLS

/**
 * SETL_EXPR_ERROR:
 *
 * Error domain of expressions: parsing, type checking and evaluation.
 * Errors in this domain are from the #SetlExprError enumeration. Their
 * messages say where in the expression the fault is: the column (and the
 * line, for expressions of several lines), the line of text and a caret
 * under the offending character.
 */
#define SETL_EXPR_ERROR (setl_expr_error_quark ())
GQuark setl_expr_error_quark (void);

/**
 * SetlExprError:
 * @SETL_EXPR_ERROR_SYNTAX: the text is not a well-formed expression
 * @SETL_EXPR_ERROR_UNKNOWN_COLUMN: a column the scope (or the batch) does
 *   not have
 * @SETL_EXPR_ERROR_UNKNOWN_PARAMETER: a parameter the scope does not have
 *   and its resolver does not know
 * @SETL_EXPR_ERROR_UNKNOWN_FUNCTION: a function the language does not have,
 *   or called with the wrong number of arguments
 * @SETL_EXPR_ERROR_TYPE: operands of the wrong types (comparing a string
 *   with a number, adding booleans, a condition that is not a bool…)
 * @SETL_EXPR_ERROR_INVALID_CAST: a value that cannot be converted by a
 *   cast (a literal when the expression is checked, a column value when it
 *   is evaluated)
 * @SETL_EXPR_ERROR_OVERFLOW: integer arithmetic out of the int64 range
 * @SETL_EXPR_ERROR_INVALID_REGEX: a pattern given to `matches()` that is not
 *   a valid regular expression
 * @SETL_EXPR_ERROR_NOT_CONSTANT: a constant was asked of an expression that
 *   refers to columns
 * @SETL_EXPR_ERROR_PARAMETER_UNSET: a parameter declared with a type but
 *   given no value by evaluation time
 * @SETL_EXPR_ERROR_SCHEMA_MISMATCH: the batch's column has another type than
 *   the one the expression was checked with
 * @SETL_EXPR_ERROR_NOT_CHECKED: the expression was evaluated before
 *   setl_expr_check() succeeded on it
 *
 * Error codes of %SETL_EXPR_ERROR.
 */
typedef enum {
  SETL_EXPR_ERROR_SYNTAX,
  SETL_EXPR_ERROR_UNKNOWN_COLUMN,
  SETL_EXPR_ERROR_UNKNOWN_PARAMETER,
  SETL_EXPR_ERROR_UNKNOWN_FUNCTION,
  SETL_EXPR_ERROR_TYPE,
  SETL_EXPR_ERROR_INVALID_CAST,
  SETL_EXPR_ERROR_OVERFLOW,
  SETL_EXPR_ERROR_INVALID_REGEX,
  SETL_EXPR_ERROR_NOT_CONSTANT,
  SETL_EXPR_ERROR_PARAMETER_UNSET,
  SETL_EXPR_ERROR_SCHEMA_MISMATCH,
  SETL_EXPR_ERROR_NOT_CHECKED,
} SetlExprError;

#define SETL_TYPE_EXPR_ERROR (setl_expr_error_get_type ())
GType setl_expr_error_get_type (void) G_GNUC_CONST;

#define SETL_TYPE_EXPR (setl_expr_get_type ())
G_DECLARE_FINAL_TYPE (SetlExpr, setl_expr, SETL, EXPR, GObject)

SetlExpr     *setl_expr_parse                (const char       *text,
                                              GError          **error);
SetlExpr     *setl_expr_compile              (const char       *text,
                                              SetlExprScope    *scope,
                                              GError          **error);

const char   *setl_expr_get_text             (SetlExpr         *self);
char         *setl_expr_to_string            (SetlExpr         *self);
char        **setl_expr_get_column_names     (SetlExpr         *self);
char        **setl_expr_get_parameter_names  (SetlExpr         *self);
gboolean      setl_expr_is_constant          (SetlExpr         *self);

gboolean      setl_expr_check                (SetlExpr         *self,
                                              SetlExprScope    *scope,
                                              GError          **error);
gboolean      setl_expr_is_checked           (SetlExpr         *self);
SetlDataType  setl_expr_get_result_type      (SetlExpr         *self);

SetlColumn   *setl_expr_evaluate             (SetlExpr         *self,
                                              SetlRecordBatch  *batch,
                                              SetlExprScope    *scope,
                                              GError          **error);
SetlColumn   *setl_expr_evaluate_predicate   (SetlExpr         *self,
                                              SetlRecordBatch  *batch,
                                              SetlExprScope    *scope,
                                              gint64           *n_selected,
                                              GError          **error);
SetlRecordBatch *setl_expr_filter_batch      (SetlExpr         *self,
                                              SetlRecordBatch  *batch,
                                              SetlExprScope    *scope,
                                              GError          **error);
gboolean      setl_expr_evaluate_constant    (SetlExpr         *self,
                                              SetlExprScope    *scope,
                                              GValue           *value,
                                              GError          **error);
gboolean      setl_expr_evaluate_condition   (SetlExpr         *self,
                                              SetlExprScope    *scope,
                                              gboolean         *result,
                                              GError          **error);

G_END_DECLS
