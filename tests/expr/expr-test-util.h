/* expr-test-util.h: small batches and checks shared by the expression tests.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <setl/setl.h>
#include <string.h>

/* Columns from C arrays; a set bit in @nulls (bit i) makes row i null. */
static inline SetlColumn *
make_int64 (const gint64 *values, gsize n, guint64 nulls)
{
  g_autoptr(SetlColumnBuilder) b = setl_column_builder_new (SETL_DATA_TYPE_INT64);
  for (gsize i = 0; i < n; i++)
    if (nulls & (G_GUINT64_CONSTANT (1) << i))
      setl_column_builder_append_null (b);
    else
      setl_column_builder_append_int64 (b, values[i]);
  return setl_column_builder_finish (b, NULL);
}

static inline SetlColumn *
make_double (const double *values, gsize n, guint64 nulls)
{
  g_autoptr(SetlColumnBuilder) b = setl_column_builder_new (SETL_DATA_TYPE_DOUBLE);
  for (gsize i = 0; i < n; i++)
    if (nulls & (G_GUINT64_CONSTANT (1) << i))
      setl_column_builder_append_null (b);
    else
      setl_column_builder_append_double (b, values[i]);
  return setl_column_builder_finish (b, NULL);
}

/* NULL entries are nulls. */
static inline SetlColumn *
make_string (const char *const *values, gsize n)
{
  g_autoptr(SetlColumnBuilder) b = setl_column_builder_new (SETL_DATA_TYPE_STRING);
  for (gsize i = 0; i < n; i++)
    if (values[i] == NULL)
      setl_column_builder_append_null (b);
    else
      setl_column_builder_append_string (b, values[i], -1);
  return setl_column_builder_finish (b, NULL);
}

/* -1 for null */
static inline SetlColumn *
make_bool (const int *values, gsize n)
{
  g_autoptr(SetlColumnBuilder) b = setl_column_builder_new (SETL_DATA_TYPE_BOOL);
  for (gsize i = 0; i < n; i++)
    if (values[i] < 0)
      setl_column_builder_append_null (b);
    else
      setl_column_builder_append_bool (b, values[i] != 0);
  return setl_column_builder_finish (b, NULL);
}

static inline SetlColumn *
make_date (const gint32 *values, gsize n, guint64 nulls)
{
  g_autoptr(SetlColumnBuilder) b = setl_column_builder_new (SETL_DATA_TYPE_DATE32);
  for (gsize i = 0; i < n; i++)
    if (nulls & (G_GUINT64_CONSTANT (1) << i))
      setl_column_builder_append_null (b);
    else
      setl_column_builder_append_date32 (b, values[i]);
  return setl_column_builder_finish (b, NULL);
}

/* A batch from alternating names and (transferred) columns, NULL-ended. */
static inline SetlRecordBatch *
make_batch (const char *name, SetlColumn *column, ...)
{
  g_autoptr(GPtrArray) fields = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) columns = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;
  SetlRecordBatch *batch;
  va_list args;

  va_start (args, column);
  while (name != NULL)
    {
      g_ptr_array_add (fields, setl_field_new (name, setl_column_get_data_type (column), TRUE));
      g_ptr_array_add (columns, column);
      name = va_arg (args, const char *);
      if (name != NULL)
        column = va_arg (args, SetlColumn *);
    }
  va_end (args);
  batch = setl_record_batch_new ((SetlField **) fields->pdata, fields->len,
                                 (SetlColumn **) columns->pdata, columns->len, &error);
  g_assert_no_error (error);
  return batch;
}

/* Row @row of @column as text ("null" for a null), for compact asserts. */
static inline char *
cell_text (SetlColumn *column, gint64 row)
{
  if (setl_column_is_null (column, row))
    return g_strdup ("null");
  switch (setl_column_get_data_type (column))
    {
    case SETL_DATA_TYPE_BOOL:
      return g_strdup (setl_column_get_bool (column, row) ? "true" : "false");
    case SETL_DATA_TYPE_INT64:
      return g_strdup_printf ("%" G_GINT64_FORMAT, setl_column_get_int64 (column, row));
    case SETL_DATA_TYPE_DOUBLE:
      return g_strdup_printf ("%g", setl_column_get_double (column, row));
    case SETL_DATA_TYPE_STRING:
      return setl_column_dup_string (column, row);
    case SETL_DATA_TYPE_DATE32:
      return g_strdup_printf ("d%d", setl_column_get_date32 (column, row));
    case SETL_DATA_TYPE_TIMESTAMP:
      return g_strdup_printf ("t%" G_GINT64_FORMAT, setl_column_get_timestamp (column, row));
    default:
      return g_strdup ("?");
    }
}

/* The whole column as "a,b,null,…". */
static inline char *
column_text (SetlColumn *column)
{
  GString *out = g_string_new (NULL);
  for (gint64 i = 0; i < setl_column_get_length (column); i++)
    {
      g_autofree char *cell = cell_text (column, i);
      if (i > 0)
        g_string_append_c (out, ',');
      g_string_append (out, cell);
    }
  return g_string_free (out, FALSE);
}

/* The value of a constant expression as text: "null", "true", "42", "'s'",
 * "1.5", or "error:<code>". */
static inline char *
constant_text (const char *text, SetlExprScope *scope)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SetlExpr) expr = setl_expr_compile (text, scope, &error);
  GValue value = G_VALUE_INIT;
  char *out;

  if (expr == NULL || !setl_expr_evaluate_constant (expr, scope, &value, &error))
    {
      g_assert_true (error != NULL && error->domain == SETL_EXPR_ERROR);
      return g_strdup_printf ("error:%d", error->code);
    }
  if (!G_IS_VALUE (&value))
    return g_strdup ("null");
  if (G_VALUE_HOLDS_BOOLEAN (&value))
    out = g_strdup (g_value_get_boolean (&value) ? "true" : "false");
  else if (G_VALUE_HOLDS_INT64 (&value))
    out = g_strdup_printf ("%" G_GINT64_FORMAT, g_value_get_int64 (&value));
  else if (G_VALUE_HOLDS_INT (&value))
    out = g_strdup_printf ("d%d", g_value_get_int (&value));
  else if (G_VALUE_HOLDS_DOUBLE (&value))
    out = g_strdup_printf ("%g", g_value_get_double (&value));
  else
    out = g_strdup_printf ("'%s'", g_value_get_string (&value));
  g_value_unset (&value);
  return out;
}

#define assert_constant(text, expected) \
  G_STMT_START { \
    g_autofree char *got_ = constant_text ((text), NULL); \
    if (g_strcmp0 (got_, (expected)) != 0) \
      g_error ("%s: expected %s, got %s", (text), (expected), got_); \
  } G_STMT_END
