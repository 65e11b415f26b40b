/* expr-fuzz-common.h: what the fuzz target and the random-input test do
 * with one input — parse it; when it parses, print it back and parse that,
 * check it against a scope of every type, and evaluate it over a small
 * batch with nulls and a slice. Nothing may crash, leak or read out of
 * bounds; errors are fine.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <setl/setl.h>
#include <string.h>

static SetlRecordBatch *
fuzz_batch (void)
{
  static SetlRecordBatch *batch;

  /* Built once; the tests and the fuzz target are single-threaded. */
  if (batch == NULL)
    {
      g_autoptr(SetlColumnBuilder) i = setl_column_builder_new (SETL_DATA_TYPE_INT64);
      g_autoptr(SetlColumnBuilder) d = setl_column_builder_new (SETL_DATA_TYPE_DOUBLE);
      g_autoptr(SetlColumnBuilder) s = setl_column_builder_new (SETL_DATA_TYPE_STRING);
      g_autoptr(SetlColumnBuilder) b = setl_column_builder_new (SETL_DATA_TYPE_BOOL);
      g_autoptr(SetlColumnBuilder) t = setl_column_builder_new (SETL_DATA_TYPE_DATE32);
      g_autoptr(SetlColumnBuilder) ts = setl_column_builder_new (SETL_DATA_TYPE_TIMESTAMP);
      static const char *const words[] = { "a", "", "2024-01-31", "42", "x y", "é", "true", "-7.5" };
      SetlField *fields[6];
      SetlColumn *columns[6];
      SetlRecordBatch *whole, *slice;

      for (int r = 0; r < 70; r++)
        {
          if (r % 7 == 3)
            {
              setl_column_builder_append_null (i);
              setl_column_builder_append_null (s);
            }
          else
            {
              setl_column_builder_append_int64 (i, r % 5 == 0 ? G_MAXINT64 - r : r - 30);
              setl_column_builder_append_string (s, words[r % 8], -1);
            }
          if (r % 5 == 1)
            setl_column_builder_append_null (d);
          else
            setl_column_builder_append_double (d, r * 0.5 - 3);
          if (r % 3 == 2)
            setl_column_builder_append_null (b);
          else
            setl_column_builder_append_bool (b, r % 2);
          setl_column_builder_append_date32 (t, r * 400 - 1000);
          setl_column_builder_append_timestamp (ts, (gint64) r * 3600000000 * 100);
        }
      columns[0] = setl_column_builder_finish (i, NULL);
      columns[1] = setl_column_builder_finish (d, NULL);
      columns[2] = setl_column_builder_finish (s, NULL);
      columns[3] = setl_column_builder_finish (b, NULL);
      columns[4] = setl_column_builder_finish (t, NULL);
      columns[5] = setl_column_builder_finish (ts, NULL);
      fields[0] = setl_field_new ("i", SETL_DATA_TYPE_INT64, TRUE);
      fields[1] = setl_field_new ("d", SETL_DATA_TYPE_DOUBLE, TRUE);
      fields[2] = setl_field_new ("s", SETL_DATA_TYPE_STRING, TRUE);
      fields[3] = setl_field_new ("b", SETL_DATA_TYPE_BOOL, TRUE);
      fields[4] = setl_field_new ("t", SETL_DATA_TYPE_DATE32, TRUE);
      fields[5] = setl_field_new ("ts", SETL_DATA_TYPE_TIMESTAMP, TRUE);
      whole = setl_record_batch_new (fields, 6, columns, 6, NULL);
      slice = setl_record_batch_slice (whole, 5, 60);
      for (int k = 0; k < 6; k++)
        {
          g_object_unref (fields[k]);
          g_object_unref (columns[k]);
        }
      g_object_unref (whole);
      batch = slice;
    }
  return batch;
}

static SetlExprScope *
fuzz_scope (void)
{
  SetlRecordBatch *batch = fuzz_batch ();
  guint n_fields;
  SetlField **fields = setl_record_batch_get_fields (batch, &n_fields);
  SetlExprScope *scope = setl_expr_scope_new_for_fields (fields, n_fields);

  setl_expr_scope_set_int64 (scope, "n", 3);
  setl_expr_scope_set_double (scope, "x", 0.5);
  setl_expr_scope_set_string (scope, "p", "^a");
  setl_expr_scope_set_bool (scope, "flag", TRUE);
  setl_expr_scope_set_parameter_null (scope, "z", SETL_DATA_TYPE_INT64);
  setl_expr_scope_declare_parameter (scope, "unset", SETL_DATA_TYPE_STRING);
  return scope;
}

/* How many inputs got as far as evaluation. */
static guint fuzz_n_evaluated;

static void
fuzz_expr_one (const guint8 *data,
               gsize         size)
{
  g_autofree char *text = g_strndup ((const char *) data, size);
  g_autoptr(GError) error = NULL;
  g_autoptr(SetlExpr) expr = setl_expr_parse (text, &error);
  g_autoptr(SetlExprScope) scope = NULL;
  g_autofree char *canonical = NULL;

  if (expr == NULL)
    {
      /* Every failure is a GError of our domain with a caret line. */
      g_assert_true (error != NULL && error->domain == SETL_EXPR_ERROR);
      g_assert_true (strchr (error->message, '^') != NULL);
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
      return;
    }

  /* The canonical text reads back to itself. */
  canonical = setl_expr_to_string (expr);
  {
    g_autoptr(SetlExpr) again = setl_expr_parse (canonical, NULL);
    if (again != NULL)
      {
        g_autofree char *twice = setl_expr_to_string (again);
        g_assert_cmpstr (twice, ==, canonical);
      }
  }

  scope = fuzz_scope ();
  if (!setl_expr_check (expr, scope, &error))
    {
      g_assert_true (error != NULL && error->domain == SETL_EXPR_ERROR);
      return;
    }

  fuzz_n_evaluated++;
  {
    g_autoptr(SetlColumn) column = setl_expr_evaluate (expr, fuzz_batch (), scope, &error);
    g_clear_error (&error);
    if (column != NULL)
      {
        g_assert_cmpint (setl_column_get_length (column), ==, 60);
        g_assert_cmpint (setl_column_get_data_type (column), ==, setl_expr_get_result_type (expr));
      }
  }
  if (setl_expr_get_result_type (expr) == SETL_DATA_TYPE_BOOL)
    {
      g_autoptr(SetlRecordBatch) kept = setl_expr_filter_batch (expr, fuzz_batch (), scope, &error);
      g_clear_error (&error);
      if (kept != NULL)
        g_assert_cmpint (setl_record_batch_get_n_rows (kept), <=, 60);
    }
  if (setl_expr_is_constant (expr))
    {
      GValue value = G_VALUE_INIT;
      if (setl_expr_evaluate_constant (expr, scope, &value, &error) && G_IS_VALUE (&value))
        g_value_unset (&value);
      g_clear_error (&error);
    }
}
