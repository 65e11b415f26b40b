/* setl-expr-scope.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/**
 * SetlExprScope:
 *
 * What the names in a #SetlExpr mean: the columns it may refer to, with
 * their types, and the parameters (`$name`), with their types and values.
 *
 * A filter checks its expression against a scope made from its input's
 * fields; a condition on a stage checks its expression against a scope of
 * parameters only:
 *
 * |[<!-- language="C" -->
 * g_autoptr(SetlExprScope) scope = setl_expr_scope_new_for_fields (fields, n_fields);
 * setl_expr_scope_set_int64 (scope, "min_age", 18);
 * g_autoptr(SetlExpr) expr = setl_expr_compile ("age >= $min_age", scope, &error);
 * ]|
 *
 * A parameter can be declared with a type only
 * (setl_expr_scope_declare_parameter()), so that an expression is checked
 * before its value is known, and given a value later. Parameters the scope
 * does not hold are asked of a resolver (setl_expr_scope_set_resolver()):
 * this is how facts computed elsewhere — the row count or the statistics of
 * an upstream output — are exposed to conditions without being copied in.
 *
 * A scope is not locked: fill it, then share it read-only between the
 * threads that evaluate expressions.
 */
#include "setl-expr-private.h"

#include <string.h>

typedef struct {
  SetlDataType type;
  gboolean has_value;
  gboolean is_null;
  GValue value;
} Parameter;

struct _SetlExprScope
{
  GObject parent_instance;

  GPtrArray *column_names;     /* (element-type utf8), in order */
  GHashTable *columns;         /* name → GINT_TO_POINTER (type + 1) */
  GHashTable *parameters;      /* name → Parameter */

  SetlExprResolveFunc resolver;
  gpointer resolver_data;
  GDestroyNotify resolver_destroy;
};

G_DEFINE_FINAL_TYPE (SetlExprScope, setl_expr_scope, G_TYPE_OBJECT)

static void
parameter_free (gpointer data)
{
  Parameter *param = data;

  if (G_IS_VALUE (&param->value))
    g_value_unset (&param->value);
  g_free (param);
}

static void
setl_expr_scope_finalize (GObject *object)
{
  SetlExprScope *self = SETL_EXPR_SCOPE (object);

  g_ptr_array_unref (self->column_names);
  g_hash_table_unref (self->columns);
  g_hash_table_unref (self->parameters);
  if (self->resolver_destroy != NULL)
    self->resolver_destroy (self->resolver_data);

  G_OBJECT_CLASS (setl_expr_scope_parent_class)->finalize (object);
}

static void
setl_expr_scope_class_init (SetlExprScopeClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = setl_expr_scope_finalize;
}

static void
setl_expr_scope_init (SetlExprScope *self)
{
  self->column_names = g_ptr_array_new_with_free_func (g_free);
  self->columns = g_hash_table_new (g_str_hash, g_str_equal);
  self->parameters = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, parameter_free);
}

/**
 * setl_expr_scope_new:
 *
 * Returns: (transfer full): an empty scope: no columns, no parameters
 */
SetlExprScope *
setl_expr_scope_new (void)
{
  return g_object_new (SETL_TYPE_EXPR_SCOPE, NULL);
}

/**
 * setl_expr_scope_new_for_fields:
 * @fields: (array length=n_fields): the fields of a table or record batch
 * @n_fields: the number of fields
 *
 * Returns: (transfer full): a scope whose columns are @fields
 */
SetlExprScope *
setl_expr_scope_new_for_fields (SetlField **fields,
                                guint       n_fields)
{
  SetlExprScope *self = setl_expr_scope_new ();
  setl_expr_scope_add_fields (self, fields, n_fields);
  return self;
}

/**
 * setl_expr_scope_add_column:
 * @self: a #SetlExprScope
 * @name: the column's name
 * @type: its type
 *
 * Adds a column, or changes the type of one of that name.
 */
void
setl_expr_scope_add_column (SetlExprScope *self,
                            const char    *name,
                            SetlDataType   type)
{
  g_return_if_fail (SETL_IS_EXPR_SCOPE (self));
  g_return_if_fail (name != NULL);
  g_return_if_fail ((guint) type <= SETL_DATA_TYPE_TIMESTAMP);

  if (!g_hash_table_contains (self->columns, name))
    g_ptr_array_add (self->column_names, g_strdup (name));
  for (guint i = 0; i < self->column_names->len; i++)
    if (g_str_equal (g_ptr_array_index (self->column_names, i), name))
      g_hash_table_insert (self->columns, g_ptr_array_index (self->column_names, i),
                           GINT_TO_POINTER (type + 1));
}

/**
 * setl_expr_scope_add_fields:
 * @self: a #SetlExprScope
 * @fields: (array length=n_fields): fields
 * @n_fields: the number of fields
 *
 * Adds a column for each field.
 */
void
setl_expr_scope_add_fields (SetlExprScope  *self,
                            SetlField     **fields,
                            guint           n_fields)
{
  g_return_if_fail (SETL_IS_EXPR_SCOPE (self));
  g_return_if_fail (fields != NULL || n_fields == 0);

  for (guint i = 0; i < n_fields; i++)
    setl_expr_scope_add_column (self, setl_field_get_name (fields[i]),
                                setl_field_get_data_type (fields[i]));
}

/**
 * setl_expr_scope_lookup_column:
 * @self: a #SetlExprScope
 * @name: a column name
 * @type: (out) (optional): where to store the column's type
 *
 * Returns: whether the scope has a column called @name
 */
gboolean
setl_expr_scope_lookup_column (SetlExprScope *self,
                               const char    *name,
                               SetlDataType  *type)
{
  gpointer found;

  g_return_val_if_fail (SETL_IS_EXPR_SCOPE (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  found = g_hash_table_lookup (self->columns, name);
  if (found == NULL)
    return FALSE;
  if (type != NULL)
    *type = (SetlDataType) (GPOINTER_TO_INT (found) - 1);
  return TRUE;
}

/**
 * setl_expr_scope_list_columns:
 * @self: a #SetlExprScope
 *
 * Returns: (transfer full) (array zero-terminated=1): the column names, in
 *   the order they were added
 */
char **
setl_expr_scope_list_columns (SetlExprScope *self)
{
  GStrvBuilder *builder;
  char **names;

  g_return_val_if_fail (SETL_IS_EXPR_SCOPE (self), NULL);

  builder = g_strv_builder_new ();
  for (guint i = 0; i < self->column_names->len; i++)
    g_strv_builder_add (builder, g_ptr_array_index (self->column_names, i));
  names = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);
  return names;
}

static Parameter *
ensure_parameter (SetlExprScope *self,
                  const char    *name,
                  SetlDataType   type)
{
  Parameter *param = g_hash_table_lookup (self->parameters, name);

  if (param == NULL)
    {
      param = g_new0 (Parameter, 1);
      g_hash_table_insert (self->parameters, g_strdup (name), param);
    }
  if (G_IS_VALUE (&param->value))
    g_value_unset (&param->value);
  param->type = type;
  param->has_value = FALSE;
  param->is_null = FALSE;
  return param;
}

/**
 * setl_expr_scope_declare_parameter:
 * @self: a #SetlExprScope
 * @name: the parameter's name, without the `$`
 * @type: its type
 *
 * Declares a parameter without a value yet (dropping any value it had), so
 * that expressions using it can be checked. Evaluating one before a value
 * is set fails with %SETL_EXPR_ERROR_PARAMETER_UNSET.
 */
void
setl_expr_scope_declare_parameter (SetlExprScope *self,
                                   const char    *name,
                                   SetlDataType   type)
{
  g_return_if_fail (SETL_IS_EXPR_SCOPE (self));
  g_return_if_fail (name != NULL);
  g_return_if_fail ((guint) type <= SETL_DATA_TYPE_TIMESTAMP);

  ensure_parameter (self, name, type);
}

/* Maps a GValue to an expression type; dates and timestamps come as GDate
 * and GDateTime. */
static gboolean
value_to_expr (const GValue  *value,
               SetlExprValue *out,
               char         **owned)
{
  GType type = G_VALUE_TYPE (value);

  memset (out, 0, sizeof *out);
  *owned = NULL;
  switch (G_TYPE_FUNDAMENTAL (type))
    {
    case G_TYPE_BOOLEAN:
      out->type = SETL_DATA_TYPE_BOOL;
      out->v.b = g_value_get_boolean (value) != FALSE;
      return TRUE;
    case G_TYPE_INT:
      out->type = SETL_DATA_TYPE_INT64;
      out->v.i = g_value_get_int (value);
      return TRUE;
    case G_TYPE_UINT:
      out->type = SETL_DATA_TYPE_INT64;
      out->v.i = g_value_get_uint (value);
      return TRUE;
    case G_TYPE_LONG:
      out->type = SETL_DATA_TYPE_INT64;
      out->v.i = g_value_get_long (value);
      return TRUE;
    case G_TYPE_INT64:
      out->type = SETL_DATA_TYPE_INT64;
      out->v.i = g_value_get_int64 (value);
      return TRUE;
    case G_TYPE_UINT64:
      if (g_value_get_uint64 (value) > G_MAXINT64)
        return FALSE;
      out->type = SETL_DATA_TYPE_INT64;
      out->v.i = (gint64) g_value_get_uint64 (value);
      return TRUE;
    case G_TYPE_FLOAT:
      out->type = SETL_DATA_TYPE_DOUBLE;
      out->v.d = g_value_get_float (value);
      return TRUE;
    case G_TYPE_DOUBLE:
      out->type = SETL_DATA_TYPE_DOUBLE;
      out->v.d = g_value_get_double (value);
      return TRUE;
    case G_TYPE_STRING:
      out->type = SETL_DATA_TYPE_STRING;
      if (g_value_get_string (value) == NULL)
        out->is_null = TRUE;
      else
        {
          *owned = g_value_dup_string (value);
          out->str = *owned;
          out->len = strlen (*owned);
        }
      return TRUE;
    case G_TYPE_BOXED:
      if (type == G_TYPE_DATE)
        {
          GDate *date = g_value_get_boxed (value);
          GDate epoch;

          out->type = SETL_DATA_TYPE_DATE32;
          if (date == NULL || !g_date_valid (date))
            out->is_null = TRUE;
          else
            {
              g_date_clear (&epoch, 1);
              g_date_set_dmy (&epoch, 1, G_DATE_JANUARY, 1970);
              out->v.date = (gint32) ((gint64) g_date_get_julian (date) - g_date_get_julian (&epoch));
            }
          return TRUE;
        }
      if (type == G_TYPE_DATE_TIME)
        {
          GDateTime *dt = g_value_get_boxed (value);

          out->type = SETL_DATA_TYPE_TIMESTAMP;
          if (dt == NULL)
            out->is_null = TRUE;
          else
            out->v.i = g_date_time_to_unix (dt) * G_USEC_PER_SEC + g_date_time_get_microsecond (dt);
          return TRUE;
        }
      return FALSE;
    default:
      return FALSE;
    }
}

/* Stores @v in the parameter's GValue, in the form
 * setl_expr_evaluate_constant() gives back. */
static void
set_parameter_value (SetlExprScope       *self,
                     const char          *name,
                     const SetlExprValue *v)
{
  Parameter *param = ensure_parameter (self, name, v->type);

  param->has_value = TRUE;
  param->is_null = v->is_null;
  if (v->is_null)
    return;
  switch (v->type)
    {
    case SETL_DATA_TYPE_BOOL:
      g_value_init (&param->value, G_TYPE_BOOLEAN);
      g_value_set_boolean (&param->value, v->v.b);
      break;
    case SETL_DATA_TYPE_INT64:
    case SETL_DATA_TYPE_TIMESTAMP:
      g_value_init (&param->value, G_TYPE_INT64);
      g_value_set_int64 (&param->value, v->v.i);
      break;
    case SETL_DATA_TYPE_DOUBLE:
      g_value_init (&param->value, G_TYPE_DOUBLE);
      g_value_set_double (&param->value, v->v.d);
      break;
    case SETL_DATA_TYPE_STRING:
      g_value_init (&param->value, G_TYPE_STRING);
      g_value_take_string (&param->value, g_strndup (v->str, v->len));
      break;
    case SETL_DATA_TYPE_DATE32:
      g_value_init (&param->value, G_TYPE_INT);
      g_value_set_int (&param->value, v->v.date);
      break;
    default:
      g_assert_not_reached ();
    }
}

/**
 * setl_expr_scope_set_parameter:
 * @self: a #SetlExprScope
 * @name: the parameter's name, without the `$`
 * @value: its value: a boolean; an integer of any width (int64); a float
 *   or double (double); a string (string, %NULL for a null); a #GDate
 *   (date) or a #GDateTime (timestamp)
 * @error: return location for a #GError
 *
 * Sets a parameter, declaring it with the type of @value.
 *
 * Returns: %FALSE if @value's type has no expression type
 */
gboolean
setl_expr_scope_set_parameter (SetlExprScope  *self,
                               const char     *name,
                               const GValue   *value,
                               GError        **error)
{
  SetlExprValue v;
  g_autofree char *owned = NULL;

  g_return_val_if_fail (SETL_IS_EXPR_SCOPE (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);
  g_return_val_if_fail (G_IS_VALUE (value), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!value_to_expr (value, &v, &owned))
    {
      g_set_error (error, SETL_EXPR_ERROR, SETL_EXPR_ERROR_TYPE,
                   "Parameter '$%s': a %s value has no expression type "
                   "(use a boolean, an integer, a double, a string, a GDate or a GDateTime)",
                   name, G_VALUE_TYPE_NAME (value));
      return FALSE;
    }
  set_parameter_value (self, name, &v);
  return TRUE;
}

/**
 * setl_expr_scope_set_parameter_null:
 * @self: a #SetlExprScope
 * @name: the parameter's name, without the `$`
 * @type: its type
 *
 * Sets a parameter to null.
 */
void
setl_expr_scope_set_parameter_null (SetlExprScope *self,
                                    const char    *name,
                                    SetlDataType   type)
{
  SetlExprValue v = { .type = type, .is_null = TRUE };

  g_return_if_fail (SETL_IS_EXPR_SCOPE (self));
  g_return_if_fail (name != NULL);
  g_return_if_fail ((guint) type <= SETL_DATA_TYPE_TIMESTAMP);
  set_parameter_value (self, name, &v);
}

#define DEFINE_SETTER(suffix, ctype, settype, field) \
  void \
  setl_expr_scope_set_##suffix (SetlExprScope *self, \
                                const char    *name, \
                                ctype          value) \
  { \
    SetlExprValue v = { .type = settype }; \
    g_return_if_fail (SETL_IS_EXPR_SCOPE (self)); \
    g_return_if_fail (name != NULL); \
    v.v.field = value; \
    set_parameter_value (self, name, &v); \
  }

/**
 * setl_expr_scope_set_bool:
 * @self: a #SetlExprScope
 * @name: the parameter's name, without the `$`
 * @value: its value
 *
 * Sets a bool parameter.
 */
DEFINE_SETTER (bool, gboolean, SETL_DATA_TYPE_BOOL, b)

/**
 * setl_expr_scope_set_int64:
 * @self: a #SetlExprScope
 * @name: the parameter's name, without the `$`
 * @value: its value
 *
 * Sets an int64 parameter.
 */
DEFINE_SETTER (int64, gint64, SETL_DATA_TYPE_INT64, i)

/**
 * setl_expr_scope_set_double:
 * @self: a #SetlExprScope
 * @name: the parameter's name, without the `$`
 * @value: its value
 *
 * Sets a double parameter.
 */
DEFINE_SETTER (double, double, SETL_DATA_TYPE_DOUBLE, d)

/**
 * setl_expr_scope_set_date:
 * @self: a #SetlExprScope
 * @name: the parameter's name, without the `$`
 * @days: its value, in days since 1970-01-01
 *
 * Sets a date parameter.
 */
DEFINE_SETTER (date, gint32, SETL_DATA_TYPE_DATE32, date)

/**
 * setl_expr_scope_set_timestamp:
 * @self: a #SetlExprScope
 * @name: the parameter's name, without the `$`
 * @usec: its value, in microseconds since 1970-01-01 00:00:00 UTC
 *
 * Sets a timestamp parameter.
 */
DEFINE_SETTER (timestamp, gint64, SETL_DATA_TYPE_TIMESTAMP, i)

/**
 * setl_expr_scope_set_string:
 * @self: a #SetlExprScope
 * @name: the parameter's name, without the `$`
 * @value: (nullable): its value, %NULL for a null
 *
 * Sets a string parameter.
 */
void
setl_expr_scope_set_string (SetlExprScope *self,
                            const char    *name,
                            const char    *value)
{
  SetlExprValue v = { .type = SETL_DATA_TYPE_STRING, .is_null = value == NULL,
                      .str = value, .len = value ? strlen (value) : 0 };

  g_return_if_fail (SETL_IS_EXPR_SCOPE (self));
  g_return_if_fail (name != NULL);
  set_parameter_value (self, name, &v);
}

/**
 * setl_expr_scope_lookup_parameter:
 * @self: a #SetlExprScope
 * @name: a parameter name, without the `$`
 * @type: (out) (optional): where to store the parameter's type
 *
 * Looks a parameter up in the scope, then asks the resolver.
 *
 * Returns: whether the parameter is known
 */
gboolean
setl_expr_scope_lookup_parameter (SetlExprScope *self,
                                  const char    *name,
                                  SetlDataType  *type)
{
  Parameter *param;
  SetlDataType resolved = SETL_DATA_TYPE_BOOL;

  g_return_val_if_fail (SETL_IS_EXPR_SCOPE (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  param = g_hash_table_lookup (self->parameters, name);
  if (param != NULL)
    {
      if (type != NULL)
        *type = param->type;
      return TRUE;
    }
  if (self->resolver != NULL && self->resolver (name, &resolved, NULL, self->resolver_data))
    {
      if ((guint) resolved > SETL_DATA_TYPE_TIMESTAMP)
        return FALSE;
      if (type != NULL)
        *type = resolved;
      return TRUE;
    }
  return FALSE;
}

static int
compare_names (const void *a,
               const void *b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

/**
 * setl_expr_scope_list_parameters:
 * @self: a #SetlExprScope
 *
 * Returns: (transfer full) (array zero-terminated=1): the names of the
 *   parameters the scope holds (not those its resolver knows), sorted
 */
char **
setl_expr_scope_list_parameters (SetlExprScope *self)
{
  g_autofree const char **keys = NULL;
  GStrvBuilder *builder;
  char **names;
  guint n;

  g_return_val_if_fail (SETL_IS_EXPR_SCOPE (self), NULL);

  keys = (const char **) g_hash_table_get_keys_as_array (self->parameters, &n);
  qsort (keys, n, sizeof (char *), compare_names);
  builder = g_strv_builder_new ();
  g_strv_builder_addv (builder, keys);
  names = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);
  return names;
}

/**
 * setl_expr_scope_set_resolver:
 * @self: a #SetlExprScope
 * @func: (scope notified) (nullable): the resolver, or %NULL for none
 * @user_data: (closure func): data for @func
 * @destroy: (destroy func): frees @user_data
 *
 * Sets the function asked for parameters the scope does not hold. It may be
 * called from the threads that check and evaluate expressions.
 */
void
setl_expr_scope_set_resolver (SetlExprScope       *self,
                              SetlExprResolveFunc  func,
                              gpointer             user_data,
                              GDestroyNotify       destroy)
{
  g_return_if_fail (SETL_IS_EXPR_SCOPE (self));

  if (self->resolver_destroy != NULL)
    self->resolver_destroy (self->resolver_data);
  self->resolver = func;
  self->resolver_data = user_data;
  self->resolver_destroy = destroy;
}

gboolean
_setl_expr_scope_get_value (SetlExprScope  *scope,
                            const char     *name,
                            SetlDataType    expected,
                            SetlExprValue  *value,
                            char          **owned,
                            GError        **error)
{
  Parameter *param = scope ? g_hash_table_lookup (scope->parameters, name) : NULL;
  SetlDataType type = expected;
  GValue resolved = G_VALUE_INIT;

  *owned = NULL;
  memset (value, 0, sizeof *value);

  if (param != NULL)
    {
      if (!param->has_value)
        {
          g_set_error (error, SETL_EXPR_ERROR, SETL_EXPR_ERROR_PARAMETER_UNSET,
                       "Parameter '$%s' is declared but has no value", name);
          return FALSE;
        }
      if (param->is_null)
        {
          value->type = param->type;
          value->is_null = TRUE;
        }
      else
        {
          if (!value_to_expr (&param->value, value, owned))
            g_assert_not_reached ();
          /* Dates and timestamps are stored as int and int64. */
          if (param->type == SETL_DATA_TYPE_DATE32)
            value->v.date = (gint32) value->v.i;
        }
      value->type = param->type;
    }
  else if (scope != NULL && scope->resolver != NULL &&
           scope->resolver (name, &type, &resolved, scope->resolver_data))
    {
      if (!G_IS_VALUE (&resolved))
        {
          value->type = type;
          value->is_null = TRUE;
        }
      else
        {
          gboolean ok = value_to_expr (&resolved, value, owned);
          g_value_unset (&resolved);
          if (!ok)
            {
              g_set_error (error, SETL_EXPR_ERROR, SETL_EXPR_ERROR_TYPE,
                           "Parameter '$%s': the resolver gave a value of a type "
                           "expressions do not have", name);
              return FALSE;
            }
          /* A resolver may give an int for a date (days) or an int64 for a
           * timestamp (µs), as setl_expr_evaluate_constant() does. */
          if (value->type == SETL_DATA_TYPE_INT64 &&
              (type == SETL_DATA_TYPE_DATE32 || type == SETL_DATA_TYPE_TIMESTAMP))
            {
              if (type == SETL_DATA_TYPE_DATE32)
                value->v.date = (gint32) value->v.i;
              value->type = type;
            }
        }
    }
  else
    {
      g_set_error (error, SETL_EXPR_ERROR, SETL_EXPR_ERROR_UNKNOWN_PARAMETER,
                   "Unknown parameter '$%s'", name);
      return FALSE;
    }

  if (value->type != expected)
    {
      if (value->type == SETL_DATA_TYPE_INT64 && expected == SETL_DATA_TYPE_DOUBLE && !value->is_null)
        {
          value->v.d = (double) value->v.i;
          value->type = expected;
        }
      else if (value->is_null)
        value->type = expected;
      else
        {
          g_clear_pointer (owned, g_free);
          g_set_error (error, SETL_EXPR_ERROR, SETL_EXPR_ERROR_SCHEMA_MISMATCH,
                       "Parameter '$%s' is now a %s, but the expression was checked "
                       "with a %s", name, _setl_expr_type_name (value->type),
                       _setl_expr_type_name (expected));
          return FALSE;
        }
    }
  return TRUE;
}

char *
_setl_expr_scope_closest_column (SetlExprScope *scope,
                                 const char    *name)
{
  g_ptr_array_add (scope->column_names, NULL);
  {
    char *closest = _setl_expr_closest_name (name, (const char *const *) scope->column_names->pdata);
    g_ptr_array_remove_index (scope->column_names, scope->column_names->len - 1);
    return closest;
  }
}
