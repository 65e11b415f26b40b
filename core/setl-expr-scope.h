/* setl-expr-scope.h: the names an expression may refer to — columns and
 * parameters — with their types and, for parameters, their values.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(SETL_INSIDE) && !defined(SETL_COMPILATION)
#error "Only <setl/setl.h> can be included directly."
#endif

#include <glib-object.h>
#include "setl-data-type.h"
#include "setl-field.h"

G_BEGIN_DECLS

/**
 * SetlExprResolveFunc:
 * @name: the parameter's name, without the `$` (for example
 *   `orders.row_count`)
 * @type: (out): where to store the parameter's type
 * @value: (out caller-allocates) (optional): %NULL when only the type is
 *   asked for (type checking); otherwise an uninitialised #GValue to
 *   initialise and set, or to leave uninitialised for a null value
 * @user_data: the data given to setl_expr_scope_set_resolver()
 *
 * Resolves a parameter the scope does not hold itself. This is how facts
 * known only to the caller — row counts and column statistics of upstream
 * outputs, configuration — become parameters of an expression without being
 * copied into the scope beforehand: the type is asked for when the
 * expression is checked, the value when it is evaluated.
 *
 * The #GValue types accepted are those of setl_expr_scope_set_parameter().
 *
 * Returns: %TRUE if @name is known
 */
typedef gboolean (*SetlExprResolveFunc) (const char   *name,
                                         SetlDataType *type,
                                         GValue       *value,
                                         gpointer      user_data);

#define SETL_TYPE_EXPR_SCOPE (setl_expr_scope_get_type ())
G_DECLARE_FINAL_TYPE (SetlExprScope, setl_expr_scope, SETL, EXPR_SCOPE, GObject)

SetlExprScope *setl_expr_scope_new                 (void);
SetlExprScope *setl_expr_scope_new_for_fields      (SetlField     **fields,
                                                    guint           n_fields);

void      setl_expr_scope_add_column               (SetlExprScope  *self,
                                                    const char     *name,
                                                    SetlDataType    type);
void      setl_expr_scope_add_fields               (SetlExprScope  *self,
                                                    SetlField     **fields,
                                                    guint           n_fields);
gboolean  setl_expr_scope_lookup_column            (SetlExprScope  *self,
                                                    const char     *name,
                                                    SetlDataType   *type);
char    **setl_expr_scope_list_columns             (SetlExprScope  *self);

void      setl_expr_scope_declare_parameter        (SetlExprScope  *self,
                                                    const char     *name,
                                                    SetlDataType    type);
gboolean  setl_expr_scope_set_parameter            (SetlExprScope  *self,
                                                    const char     *name,
                                                    const GValue   *value,
                                                    GError        **error);
void      setl_expr_scope_set_parameter_null       (SetlExprScope  *self,
                                                    const char     *name,
                                                    SetlDataType    type);
void      setl_expr_scope_set_bool                 (SetlExprScope  *self,
                                                    const char     *name,
                                                    gboolean        value);
void      setl_expr_scope_set_int64                (SetlExprScope  *self,
                                                    const char     *name,
                                                    gint64          value);
void      setl_expr_scope_set_double               (SetlExprScope  *self,
                                                    const char     *name,
                                                    double          value);
void      setl_expr_scope_set_string               (SetlExprScope  *self,
                                                    const char     *name,
                                                    const char     *value);
void      setl_expr_scope_set_date                 (SetlExprScope  *self,
                                                    const char     *name,
                                                    gint32          days);
void      setl_expr_scope_set_timestamp            (SetlExprScope  *self,
                                                    const char     *name,
                                                    gint64          usec);
gboolean  setl_expr_scope_lookup_parameter         (SetlExprScope  *self,
                                                    const char     *name,
                                                    SetlDataType   *type);
char    **setl_expr_scope_list_parameters          (SetlExprScope  *self);

void      setl_expr_scope_set_resolver             (SetlExprScope      *self,
                                                    SetlExprResolveFunc func,
                                                    gpointer            user_data,
                                                    GDestroyNotify      destroy);

G_END_DECLS
