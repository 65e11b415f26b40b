/* test-expr-eval.c: SQL null semantics, functions, casts, and evaluation
 * over record batches (nulls, slices, parameters, filters).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "expr-test-util.h"

/* Three-valued logic, every combination, on constants. */
static void
test_kleene_constants (void)
{
  static const struct { const char *text, *expected; } cases[] = {
    { "true and true", "true" }, { "true and false", "false" }, { "true and null", "null" },
    { "false and true", "false" }, { "false and false", "false" }, { "false and null", "false" },
    { "null and true", "null" }, { "null and false", "false" }, { "null and null", "null" },
    { "true or true", "true" }, { "true or false", "true" }, { "true or null", "true" },
    { "false or true", "true" }, { "false or false", "false" }, { "false or null", "null" },
    { "null or true", "true" }, { "null or false", "null" }, { "null or null", "null" },
    { "not true", "false" }, { "not false", "true" }, { "not null", "null" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    assert_constant (cases[i].text, cases[i].expected);
}

/* The same table, column against column, so that the bitmaps do it. */
static void
test_kleene_columns (void)
{
  static const int a[] = { 1, 1, 1, 0, 0, 0, -1, -1, -1 };
  static const int b[] = { 1, 0, -1, 1, 0, -1, 1, 0, -1 };
  g_autoptr(SetlRecordBatch) batch = make_batch ("a", make_bool (a, 9), "b", make_bool (b, 9), NULL);
  g_auto(GStrv) fields_unused = NULL;
  static const struct { const char *text, *expected; } cases[] = {
    { "a and b", "true,false,null,false,false,false,null,false,null" },
    { "a or b", "true,true,true,true,false,null,true,null,null" },
    { "not a", "false,false,false,true,true,true,null,null,null" },
    { "a = b", "true,false,null,false,true,null,null,null,null" },
    { "a < b", "false,false,null,true,false,null,null,null,null" },
    { "a is null", "false,false,false,false,false,false,true,true,true" },
    { "b is not null", "true,true,false,true,true,false,true,true,false" },
    { "a and true", "true,true,true,false,false,false,null,null,null" },
    { "a or null", "true,true,true,null,null,null,null,null,null" },
    { "coalesce(a, b, false)", "true,true,true,false,false,false,true,false,false" },
  };
  guint n_fields;
  SetlField **fields = setl_record_batch_get_fields (batch, &n_fields);
  g_autoptr(SetlExprScope) scope = setl_expr_scope_new_for_fields (fields, n_fields);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(SetlExpr) expr = setl_expr_compile (cases[i].text, scope, &error);
      g_autoptr(SetlColumn) result = NULL;
      g_autofree char *text = NULL;

      g_assert_no_error (error);
      result = setl_expr_evaluate (expr, batch, scope, &error);
      g_assert_no_error (error);
      text = column_text (result);
      if (g_strcmp0 (text, cases[i].expected) != 0)
        g_error ("%s: expected %s, got %s", cases[i].text, cases[i].expected, text);
    }
}

static void
test_null_propagation (void)
{
  assert_constant ("null + 1", "null");
  assert_constant ("1 - null", "null");
  assert_constant ("null * 2.5", "null");
  assert_constant ("-null", "null");
  assert_constant ("null = null", "null");
  assert_constant ("null != 1", "null");
  assert_constant ("1 < null", "null");
  assert_constant ("'a' >= null", "null");
  assert_constant ("null is null", "true");
  assert_constant ("null is not null", "false");
  assert_constant ("(1 + null) is null", "true");
  assert_constant ("length(null)", "null");
  assert_constant ("lower(null)", "null");
  assert_constant ("contains(null, 'a')", "null");
  assert_constant ("contains('a', null)", "null");
  assert_constant ("'a' || null", "null");
  assert_constant ("cast(null as int64)", "null");
  assert_constant ("coalesce(null, null, 3)", "3");
  assert_constant ("coalesce(null)", "null");
  assert_constant ("null between 1 and 2", "null");
  assert_constant ("1 between null and 2", "null");
  assert_constant ("3 between null and 2", "false");
  assert_constant ("1 not between 2 and null", "true");
}

static void
test_in (void)
{
  /* SQL: true if any item equals; otherwise null if x or any item is
   * null; otherwise false. not in is its negation. */
  assert_constant ("1 in (1, 2)", "true");
  assert_constant ("3 in (1, 2)", "false");
  assert_constant ("1 in (1, null)", "true");
  assert_constant ("3 in (1, null)", "null");
  assert_constant ("null in (1, 2)", "null");
  assert_constant ("null in (null)", "null");
  assert_constant ("3 not in (1, 2)", "true");
  assert_constant ("1 not in (1, 2)", "false");
  assert_constant ("3 not in (1, null)", "null");
  assert_constant ("1 not in (1, null)", "false");
  assert_constant ("2 in (1.5, 2.0)", "true");
  assert_constant ("'b' in ('a', 'b')", "true");
  assert_constant ("date '2024-01-31' in ('2024-01-31')", "true");
}

static void
test_arithmetic (void)
{
  assert_constant ("1 + 2 * 3", "7");
  assert_constant ("(1 + 2) * 3", "9");
  assert_constant ("7 / 2", "3");
  assert_constant ("-7 / 2", "-3");
  assert_constant ("7 % 3", "1");
  assert_constant ("-7 % 3", "-1");
  assert_constant ("7 / 2.0", "3.5");
  assert_constant ("7.5 % 2", "1.5");
  assert_constant ("10 - 2 - 3", "5");
  assert_constant ("- 5 + 2", "-3");
  assert_constant ("-(5 + 2)", "-7");
  /* Division by zero gives null (documented). */
  assert_constant ("1 / 0", "null");
  assert_constant ("1 % 0", "null");
  assert_constant ("1.0 / 0", "null");
  assert_constant ("-9223372036854775808 % -1", "0");
  assert_constant ("abs(-3)", "3");
  assert_constant ("abs(-2.5)", "2.5");
  /* Overflow is an error. */
  g_autofree char *code = g_strdup_printf ("error:%d", SETL_EXPR_ERROR_OVERFLOW);
  assert_constant ("9223372036854775807 + 1", code);
  assert_constant ("-9223372036854775808 - 1", code);
  assert_constant ("4611686018427387904 * 2", code);
  assert_constant ("-9223372036854775808 / -1", code);
  assert_constant ("-(-9223372036854775808)", code);
  assert_constant ("abs(-9223372036854775808)", code);
}

static void
test_comparisons (void)
{
  assert_constant ("1 < 2", "true");
  assert_constant ("2 <= 2", "true");
  assert_constant ("1 = 1.0", "true");
  assert_constant ("1 != 1.5", "true");
  assert_constant ("'abc' < 'abd'", "true");
  assert_constant ("'ab' < 'abc'", "true");
  assert_constant ("'b' > 'abc'", "true");
  assert_constant ("'é' > 'z'", "true");
  assert_constant ("false < true", "true");
  assert_constant ("true = true", "true");
  assert_constant ("date '2024-01-31' < date '2024-02-01'", "true");
  assert_constant ("date '2024-01-31' = timestamp '2024-01-31T00:00:00Z'", "true");
  assert_constant ("date '2024-01-31' < timestamp '2024-01-31T00:00:01Z'", "true");
  assert_constant ("timestamp '2024-01-31T10:00:00+01:00' = timestamp '2024-01-31T09:00:00Z'", "true");
  assert_constant ("2 between 1 and 3", "true");
  assert_constant ("0 not between 1 and 3", "true");
}

static void
test_functions (void)
{
  assert_constant ("length('héllo')", "5");
  assert_constant ("length('')", "0");
  assert_constant ("lower('HeLLo')", "'hello'");
  assert_constant ("upper('straße')", "'STRASSE'");
  assert_constant ("lower('ÉCOLE')", "'école'");
  assert_constant ("starts_with('hello', 'he')", "true");
  assert_constant ("starts_with('hello', 'lo')", "false");
  assert_constant ("starts_with('he', 'hello')", "false");
  assert_constant ("ends_with('hello', 'lo')", "true");
  assert_constant ("ends_with('hello', '')", "true");
  assert_constant ("contains('hello', 'ell')", "true");
  assert_constant ("contains('hello', 'xyz')", "false");
  assert_constant ("contains('hello', '')", "true");
  assert_constant ("matches('ab12', '^[a-z]+[0-9]+$')", "true");
  assert_constant ("matches('ab', '^[0-9]+$')", "false");
  assert_constant ("matches('Ünïcode', '^\\w+$')", "true");
  assert_constant ("'ab' || 'cd' || ''", "'abcd'");
  assert_constant ("coalesce(null, 'x')", "'x'");
}

static void
test_casts (void)
{
  g_autofree char *invalid = g_strdup_printf ("error:%d", SETL_EXPR_ERROR_INVALID_CAST);

  assert_constant ("cast(' 42 ' as int64)", "42");
  assert_constant ("cast('-1.5e2' as double)", "-150");
  assert_constant ("cast(2.5 as int64)", "3");
  assert_constant ("cast(-2.5 as int64)", "-3");
  assert_constant ("cast(3 as double) / 2", "1.5");
  assert_constant ("cast(42 as string)", "'42'");
  assert_constant ("cast(0.1 as string)", "'0.1'");
  assert_constant ("cast(1e100 as string)", "'1e+100'");
  assert_constant ("cast(true as string)", "'true'");
  assert_constant ("cast(true as int64)", "1");
  assert_constant ("cast(0 as bool)", "false");
  assert_constant ("cast(-3 as bool)", "true");
  assert_constant ("cast('Yes' as bool)", "true");
  assert_constant ("cast('off' as bool)", "false");
  assert_constant ("cast('1970-01-02' as date)", "d1");
  assert_constant ("cast('1969-12-31' as date)", "d-1");
  assert_constant ("'2000-03-01'::date", "d11017");
  assert_constant ("cast(date '2024-01-31' as string)", "'2024-01-31'");
  assert_constant ("cast('1970-01-01T00:00:01.5Z' as timestamp)", "1500000");
  assert_constant ("cast(timestamp '1969-12-31T23:59:59Z' as date)", "d-1");
  assert_constant ("cast(date '1970-01-02' as timestamp)", "86400000000");
  assert_constant ("cast(timestamp '2024-01-31T10:00:00.25Z' as string)", "'2024-01-31T10:00:00.250000Z'");
  assert_constant ("cast(timestamp '1969-12-31T23:59:59.5Z' as string)", "'1969-12-31T23:59:59.500000Z'");
  assert_constant ("cast(cast(123 as string) as int64)", "123");
  /* Literal casts fail at check time, as in SQL. */
  assert_constant ("cast('12x' as int64)", invalid);
  assert_constant ("cast('' as double)", invalid);
  assert_constant ("cast('99999999999999999999' as int64)", invalid);
  assert_constant ("cast('2024-02-30' as date)", invalid);
  assert_constant ("cast('maybe' as bool)", invalid);
  assert_constant ("cast('NaN' as double)::int64", invalid);
  assert_constant ("try_cast('2024-02-30' as date)", "null");
}

static SetlRecordBatch *
people_batch (void)
{
  static const gint64 ages[] = { 17, 18, 45, 0, 70, 12, 33, 18 };
  static const double scores[] = { 1.5, 2.0, 0, 4.25, -1, 3, 0.5, 10 };
  static const char *const names[] = { "Ann", "bob", NULL, "Émile", "Dan", "", "ann-marie", "Zoé" };
  static const char *const raw[] = { "1", "x", "3", NULL, "5", "6", "7", "8" };

  /* age null at row 3, score null at rows 2 and 5. */
  return make_batch ("age", make_int64 (ages, 8, 1 << 3),
                     "score", make_double (scores, 8, (1 << 2) | (1 << 5)),
                     "name", make_string (names, 8),
                     "raw", make_string (raw, 8),
                     NULL);
}

static char *
eval_text (SetlRecordBatch *batch,
           SetlExprScope   *params,
           const char      *text)
{
  guint n_fields;
  SetlField **fields = setl_record_batch_get_fields (batch, &n_fields);
  g_autoptr(SetlExprScope) own = NULL;
  SetlExprScope *scope = params;
  g_autoptr(GError) error = NULL;
  g_autoptr(SetlExpr) expr = NULL;
  g_autoptr(SetlColumn) result = NULL;

  if (scope == NULL)
    scope = own = setl_expr_scope_new ();
  setl_expr_scope_add_fields (scope, fields, n_fields);
  expr = setl_expr_compile (text, scope, &error);
  g_assert_no_error (error);
  result = setl_expr_evaluate (expr, batch, scope, &error);
  if (result == NULL)
    return g_strdup_printf ("error:%d:%s", error->code, error->message);
  g_assert_cmpint (setl_column_get_length (result), ==, setl_record_batch_get_n_rows (batch));
  g_assert_cmpint (setl_column_get_data_type (result), ==, setl_expr_get_result_type (expr));
  return column_text (result);
}

#define assert_eval(batch, params, text, expected) \
  G_STMT_START { \
    g_autofree char *got_ = eval_text ((batch), (params), (text)); \
    if (g_strcmp0 (got_, (expected)) != 0) \
      g_error ("%s: expected %s, got %s", (text), (expected), got_); \
  } G_STMT_END

static void
test_batch (void)
{
  g_autoptr(SetlRecordBatch) batch = people_batch ();

  assert_eval (batch, NULL, "age", "17,18,45,null,70,12,33,18");
  assert_eval (batch, NULL, "age >= 18", "false,true,true,null,true,false,true,true");
  assert_eval (batch, NULL, "18 <= age", "false,true,true,null,true,false,true,true");
  assert_eval (batch, NULL, "age + score", "18.5,20,null,null,69,null,33.5,28");
  assert_eval (batch, NULL, "age * 2 - 1", "33,35,89,null,139,23,65,35");
  assert_eval (batch, NULL, "age / (age - 18)", "-17,null,1,null,1,-2,2,null");
  assert_eval (batch, NULL, "score > age / 10", "true,true,null,null,false,null,false,true");
  assert_eval (batch, NULL, "-score", "-1.5,-2,null,-4.25,1,null,-0.5,-10");
  assert_eval (batch, NULL, "age in (18, 70, null)", "null,true,null,null,true,null,null,true");
  assert_eval (batch, NULL, "age not in (18, 70)", "true,false,true,null,false,true,true,false");
  assert_eval (batch, NULL, "age between 18 and 45", "false,true,true,null,false,false,true,true");
  assert_eval (batch, NULL, "name is null or age is null", "false,false,true,true,false,false,false,false");
  assert_eval (batch, NULL, "length(name)", "3,3,null,5,3,0,9,3");
  assert_eval (batch, NULL, "lower(name)", "ann,bob,null,émile,dan,,ann-marie,zoé");
  assert_eval (batch, NULL, "upper(name)", "ANN,BOB,null,ÉMILE,DAN,,ANN-MARIE,ZOÉ");
  assert_eval (batch, NULL, "starts_with(lower(name), 'ann')", "true,false,null,false,false,false,true,false");
  assert_eval (batch, NULL, "ends_with(name, 'é')", "false,false,null,false,false,false,false,true");
  assert_eval (batch, NULL, "contains(name, 'n')", "true,false,null,false,true,false,true,false");
  assert_eval (batch, NULL, "matches(name, '^[A-Z]')", "true,false,null,false,true,false,false,true");
  assert_eval (batch, NULL, "name || '!'", "Ann!,bob!,null,Émile!,Dan!,!,ann-marie!,Zoé!");
  assert_eval (batch, NULL, "name > 'D'", "false,true,null,true,true,false,true,true");
  assert_eval (batch, NULL, "coalesce(score, age, -1)", "1.5,2,45,4.25,-1,12,0.5,10");
  assert_eval (batch, NULL, "cast(age as string) || '/' || name", "17/Ann,18/bob,null,null,70/Dan,12/,33/ann-marie,18/Zoé");
  assert_eval (batch, NULL, "try_cast(raw as int64)", "1,null,3,null,5,6,7,8");
  assert_eval (batch, NULL, "abs(score)", "1.5,2,null,4.25,1,null,0.5,10");
  assert_eval (batch, NULL, "1 + 1", "2,2,2,2,2,2,2,2");
  assert_eval (batch, NULL, "null + age", "null,null,null,null,null,null,null,null");
  assert_eval (batch, NULL, "age > 20 and score > 0", "false,false,null,null,false,false,true,false");
  assert_eval (batch, NULL, "age > 20 or score > 3", "false,false,true,true,true,null,true,true");
}

static void
test_cast_error_in_data (void)
{
  g_autoptr(SetlRecordBatch) batch = people_batch ();
  g_autofree char *got = eval_text (batch, NULL, "cast(raw as int64) > 0");

  /* SQL: an invalid cast of a value is an error naming it and its row. */
  g_assert_cmpstr (got, ==,
                   "error:5:Cannot cast 'x' (string) to int64: not an integer in the int64 "
                   "range (row 1 of the batch) at column 1:\n"
                   "  cast(raw as int64) > 0\n"
                   "  ^");
}

static void
test_overflow_in_data (void)
{
  static const gint64 big[] = { 1, G_MAXINT64, 3 };
  g_autoptr(SetlRecordBatch) batch = make_batch ("x", make_int64 (big, 3, 0), NULL);
  g_autoptr(SetlRecordBatch) masked = make_batch ("x", make_int64 (big, 3, 1 << 1), NULL);
  g_autofree char *got = eval_text (batch, NULL, "x + 1");

  g_assert_true (g_str_has_prefix (got, "error:6:Integer overflow"));
  g_assert_true (strstr (got, "(row 1 of the batch)") != NULL);
  /* A null row's garbage never overflows. */
  assert_eval (masked, NULL, "x + 1", "2,null,4");
}

/* Slices start at a non-zero offset in their buffers, even within a byte
 * of the validity bitmap. */
static void
test_slices (void)
{
  gint64 values[70];
  const char *strings[70];
  g_autoptr(SetlRecordBatch) whole = NULL;

  for (int i = 0; i < 70; i++)
    {
      values[i] = i;
      g_autofree char *label = g_strdup_printf ("s%d", i);
      strings[i] = i % 5 == 0 ? NULL : g_intern_string (label);
    }
  whole = make_batch ("v", make_int64 (values, 64, (G_GUINT64_CONSTANT (1) << 7) | (G_GUINT64_CONSTANT (1) << 40)),
                      "s", make_string (strings, 64), NULL);

  for (gint64 offset = 0; offset < 12; offset++)
    {
      g_autoptr(SetlRecordBatch) slice = setl_record_batch_slice (whole, offset, 50);
      g_autofree char *got = eval_text (slice, NULL, "v % 3 = 0 or s is null");
      g_autofree char *got_s = eval_text (slice, NULL, "s || '.'");
      GString *expected = g_string_new (NULL);
      GString *expected_s = g_string_new (NULL);

      for (gint64 r = 0; r < 50; r++)
        {
          gint64 i = offset + r;
          gboolean v_null = i == 7 || i == 40;
          gboolean s_null = i % 5 == 0;
          const char *cell;

          if (s_null)
            cell = "true";
          else if (v_null)
            cell = "null";
          else
            cell = i % 3 == 0 ? "true" : "false";
          g_string_append_printf (expected, "%s%s", r ? "," : "", cell);
          if (s_null)
            g_string_append_printf (expected_s, "%snull", r ? "," : "");
          else
            g_string_append_printf (expected_s, "%ss%" G_GINT64_FORMAT ".", r ? "," : "", i);
        }
      g_assert_cmpstr (got, ==, expected->str);
      g_assert_cmpstr (got_s, ==, expected_s->str);
      g_string_free (expected, TRUE);
      g_string_free (expected_s, TRUE);
    }
}

static void
test_bare_column_is_shared (void)
{
  g_autoptr(SetlRecordBatch) batch = people_batch ();
  g_autoptr(SetlExprScope) scope = NULL;
  g_autoptr(SetlExpr) expr = NULL;
  g_autoptr(SetlColumn) result = NULL;
  guint n_fields;
  SetlField **fields = setl_record_batch_get_fields (batch, &n_fields);

  scope = setl_expr_scope_new_for_fields (fields, n_fields);
  expr = setl_expr_compile ("name", scope, NULL);
  result = setl_expr_evaluate (expr, batch, NULL, NULL);
  g_assert_true (result == setl_record_batch_get_column_by_name (batch, "name"));
}

static void
test_parameters (void)
{
  g_autoptr(SetlRecordBatch) batch = people_batch ();
  g_autoptr(SetlExprScope) scope = setl_expr_scope_new ();

  setl_expr_scope_set_int64 (scope, "min", 18);
  setl_expr_scope_set_double (scope, "ratio", 0.5);
  setl_expr_scope_set_string (scope, "prefix", "ann");
  setl_expr_scope_set_string (scope, "pattern", "^[a-z]");
  setl_expr_scope_set_parameter_null (scope, "nothing", SETL_DATA_TYPE_INT64);
  assert_eval (batch, scope, "age >= $min", "false,true,true,null,true,false,true,true");
  assert_eval (batch, scope, "age >= $min + 20", "false,false,true,null,true,false,false,false");
  assert_eval (batch, scope, "score * $ratio", "0.75,1,null,2.125,-0.5,null,0.25,5");
  assert_eval (batch, scope, "starts_with(lower(name), $prefix)", "true,false,null,false,false,false,true,false");
  assert_eval (batch, scope, "matches(name, $pattern)", "false,true,null,false,false,false,true,false");
  assert_eval (batch, scope, "age = $nothing", "null,null,null,null,null,null,null,null");
  assert_eval (batch, scope, "coalesce($nothing, age)", "17,18,45,null,70,12,33,18");

  /* A declared parameter without a value is an evaluation error. */
  setl_expr_scope_declare_parameter (scope, "later", SETL_DATA_TYPE_INT64);
  {
    g_autofree char *got = eval_text (batch, scope, "age > $later");
    g_assert_true (g_str_has_prefix (got, "error:9:Parameter '$later' is declared but has no value"));
  }
  /* An invalid pattern from a parameter is found at evaluation. */
  setl_expr_scope_set_string (scope, "pattern", "(");
  {
    g_autofree char *got = eval_text (batch, scope, "matches(name, $pattern)");
    g_assert_true (g_str_has_prefix (got, "error:7:Invalid regular expression '('"));
  }
}

static void
test_schema_mismatch (void)
{
  g_autoptr(SetlRecordBatch) batch = people_batch ();
  g_autoptr(SetlExprScope) scope = setl_expr_scope_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(SetlExpr) expr = NULL;
  g_autoptr(SetlExpr) unchecked = setl_expr_parse ("age > 1", NULL);
  g_autoptr(SetlColumn) result = NULL;

  setl_expr_scope_add_column (scope, "age", SETL_DATA_TYPE_DOUBLE);
  setl_expr_scope_add_column (scope, "missing", SETL_DATA_TYPE_DOUBLE);
  expr = setl_expr_compile ("age > 1", scope, &error);
  result = setl_expr_evaluate (expr, batch, scope, &error);
  g_assert_null (result);
  g_assert_error (error, SETL_EXPR_ERROR, SETL_EXPR_ERROR_SCHEMA_MISMATCH);
  g_assert_true (strstr (error->message, "'age' as double") != NULL);
  g_clear_error (&error);
  g_clear_object (&expr);

  expr = setl_expr_compile ("missing > 1", scope, &error);
  result = setl_expr_evaluate (expr, batch, scope, &error);
  g_assert_null (result);
  g_assert_error (error, SETL_EXPR_ERROR, SETL_EXPR_ERROR_UNKNOWN_COLUMN);
  g_clear_error (&error);

  result = setl_expr_evaluate (unchecked, batch, scope, &error);
  g_assert_null (result);
  g_assert_error (error, SETL_EXPR_ERROR, SETL_EXPR_ERROR_NOT_CHECKED);
}

static void
test_filter (void)
{
  g_autoptr(SetlRecordBatch) batch = people_batch ();
  guint n_fields;
  SetlField **fields = setl_record_batch_get_fields (batch, &n_fields);
  g_autoptr(SetlExprScope) scope = setl_expr_scope_new_for_fields (fields, n_fields);
  g_autoptr(GError) error = NULL;
  g_autoptr(SetlExpr) adults = setl_expr_compile ("age >= 18", scope, &error);
  g_autoptr(SetlExpr) all = setl_expr_compile ("true", scope, &error);
  g_autoptr(SetlExpr) none = setl_expr_compile ("null", scope, &error);
  g_autoptr(SetlExpr) run = setl_expr_compile ("age between 17 and 18 and score < 3", scope, &error);
  g_autoptr(SetlExpr) numeric = setl_expr_compile ("age + 1", scope, &error);
  g_autoptr(SetlColumn) selection = NULL;
  g_autoptr(SetlRecordBatch) kept = NULL;
  g_autofree char *names = NULL;
  g_autofree char *scores = NULL;
  g_autofree char *ages = NULL;
  g_autofree char *bits = NULL;
  gint64 n_selected = -1;

  g_assert_no_error (error);

  /* Null counts as not selected. */
  selection = setl_expr_evaluate_predicate (adults, batch, NULL, &n_selected, &error);
  g_assert_no_error (error);
  bits = column_text (selection);
  g_assert_cmpstr (bits, ==, "false,true,true,false,true,false,true,true");
  g_assert_cmpint (setl_column_get_null_count (selection), ==, 0);
  g_assert_cmpint (n_selected, ==, 5);

  kept = setl_expr_filter_batch (adults, batch, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (setl_record_batch_get_n_rows (kept), ==, 5);
  ages = column_text (setl_record_batch_get_column (kept, 0));
  scores = column_text (setl_record_batch_get_column (kept, 1));
  names = column_text (setl_record_batch_get_column (kept, 2));
  g_assert_cmpstr (ages, ==, "18,45,70,33,18");
  g_assert_cmpstr (scores, ==, "2,null,-1,0.5,10");
  g_assert_cmpstr (names, ==, "bob,null,Dan,ann-marie,Zoé");
  g_assert_true (setl_field_equal (setl_record_batch_get_field (kept, 2),
                                   setl_record_batch_get_field (batch, 2)));
  g_clear_object (&kept);

  /* All rows: the batch itself. */
  kept = setl_expr_filter_batch (all, batch, NULL, &error);
  g_assert_true (kept == batch);
  g_clear_object (&kept);

  kept = setl_expr_filter_batch (none, batch, NULL, &error);
  g_assert_cmpint (setl_record_batch_get_n_rows (kept), ==, 0);
  g_assert_cmpuint (setl_record_batch_get_n_columns (kept), ==, 4);
  g_clear_object (&kept);

  /* One run of rows: a zero-copy slice. */
  kept = setl_expr_filter_batch (run, batch, NULL, &error);
  g_assert_cmpint (setl_record_batch_get_n_rows (kept), ==, 2);
  g_assert_true (setl_column_get_buffer (setl_record_batch_get_column (kept, 2), 2) ==
                 setl_column_get_buffer (setl_record_batch_get_column (batch, 2), 2));
  g_clear_object (&kept);

  kept = setl_expr_filter_batch (numeric, batch, NULL, &error);
  g_assert_null (kept);
  g_assert_error (error, SETL_EXPR_ERROR, SETL_EXPR_ERROR_TYPE);
}

static void
test_filter_large (void)
{
  const gint64 n = 10000;
  g_autoptr(SetlColumnBuilder) ib = setl_column_builder_new (SETL_DATA_TYPE_INT64);
  g_autoptr(SetlColumnBuilder) sb = setl_column_builder_new (SETL_DATA_TYPE_STRING);
  g_autoptr(SetlColumnBuilder) bb = setl_column_builder_new (SETL_DATA_TYPE_BOOL);
  g_autoptr(SetlColumnBuilder) db = setl_column_builder_new (SETL_DATA_TYPE_DATE32);
  g_autoptr(SetlRecordBatch) batch = NULL;
  g_autoptr(SetlRecordBatch) slice = NULL;
  g_autoptr(SetlRecordBatch) kept = NULL;
  g_autoptr(SetlExprScope) scope = NULL;
  g_autoptr(SetlExpr) expr = NULL;
  g_autoptr(GError) error = NULL;
  guint n_fields;
  SetlField **fields;
  gint64 k = 0;

  for (gint64 i = 0; i < n; i++)
    {
      g_autofree char *s = g_strdup_printf ("row%" G_GINT64_FORMAT, i);
      if (i % 11 == 0)
        setl_column_builder_append_null (ib);
      else
        setl_column_builder_append_int64 (ib, i);
      setl_column_builder_append_string (sb, s, -1);
      if (i % 13 == 0)
        setl_column_builder_append_null (bb);
      else
        setl_column_builder_append_bool (bb, i % 2);
      setl_column_builder_append_date32 (db, (gint32) i);
    }
  batch = make_batch ("i", setl_column_builder_finish (ib, NULL),
                      "s", setl_column_builder_finish (sb, NULL),
                      "b", setl_column_builder_finish (bb, NULL),
                      "d", setl_column_builder_finish (db, NULL), NULL);
  slice = setl_record_batch_slice (batch, 3, n - 10);
  fields = setl_record_batch_get_fields (batch, &n_fields);
  scope = setl_expr_scope_new_for_fields (fields, n_fields);
  expr = setl_expr_compile ("i % 7 = 3 or b", scope, &error);
  g_assert_no_error (error);
  kept = setl_expr_filter_batch (expr, slice, NULL, &error);
  g_assert_no_error (error);

  for (gint64 r = 0; r < n - 10; r++)
    {
      gint64 i = r + 3;
      gboolean i_null = i % 11 == 0, b_null = i % 13 == 0;
      gboolean keep = (!i_null && i % 7 == 3) || (!b_null && i % 2);

      if (!keep)
        continue;
      {
        g_autofree char *s = setl_column_dup_string (setl_record_batch_get_column (kept, 1), k);
        g_autofree char *want = g_strdup_printf ("row%" G_GINT64_FORMAT, i);
        g_assert_cmpstr (s, ==, want);
      }
      g_assert_cmpint (setl_column_is_null (setl_record_batch_get_column (kept, 0), k), ==, i_null);
      if (!i_null)
        g_assert_cmpint (setl_column_get_int64 (setl_record_batch_get_column (kept, 0), k), ==, i);
      g_assert_cmpint (setl_column_is_null (setl_record_batch_get_column (kept, 2), k), ==, b_null);
      g_assert_cmpint (setl_column_get_date32 (setl_record_batch_get_column (kept, 3), k), ==, i);
      k++;
    }
  g_assert_cmpint (setl_record_batch_get_n_rows (kept), ==, k);
  g_assert_cmpint (k, >, 1000);
}

static void
test_constant_api (void)
{
  g_autoptr(SetlExprScope) scope = setl_expr_scope_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(SetlExpr) expr = NULL;
  GValue value = G_VALUE_INIT;
  gboolean holds = TRUE;

  setl_expr_scope_set_int64 (scope, "rows", 0);
  setl_expr_scope_set_string (scope, "env", "prod");
  expr = setl_expr_compile ("$rows > 0 or $env = 'dev'", scope, &error);
  g_assert_no_error (error);
  g_assert_true (setl_expr_evaluate_condition (expr, scope, &holds, &error));
  g_assert_false (holds);
  setl_expr_scope_set_string (scope, "env", "dev");
  g_assert_true (setl_expr_evaluate_condition (expr, scope, &holds, &error));
  g_assert_true (holds);
  g_clear_object (&expr);

  /* A null condition does not hold. */
  setl_expr_scope_set_parameter_null (scope, "maybe", SETL_DATA_TYPE_BOOL);
  expr = setl_expr_compile ("$maybe", scope, &error);
  g_assert_true (setl_expr_evaluate_condition (expr, scope, &holds, &error));
  g_assert_false (holds);
  g_assert_true (setl_expr_evaluate_constant (expr, scope, &value, &error));
  g_assert_false (G_IS_VALUE (&value));
  g_clear_object (&expr);

  expr = setl_expr_compile ("upper($env) || '-1'", scope, &error);
  g_assert_true (setl_expr_evaluate_constant (expr, scope, &value, &error));
  g_assert_cmpstr (g_value_get_string (&value), ==, "DEV-1");
  g_value_unset (&value);
  g_assert_false (setl_expr_evaluate_condition (expr, scope, &holds, &error));
  g_assert_error (error, SETL_EXPR_ERROR, SETL_EXPR_ERROR_TYPE);
  g_clear_error (&error);
  g_clear_object (&expr);

  setl_expr_scope_add_column (scope, "age", SETL_DATA_TYPE_INT64);
  expr = setl_expr_compile ("$rows > 0 and age > 1", scope, &error);
  g_assert_false (setl_expr_evaluate_constant (expr, scope, &value, &error));
  g_assert_error (error, SETL_EXPR_ERROR, SETL_EXPR_ERROR_NOT_CONSTANT);
  g_assert_true (strstr (error->message, "reads 'age' at column 15") != NULL);
}

/* Facts about upstream outputs come from a resolver: types when checked,
 * values when evaluated. */
static int resolver_value_calls;

static gboolean
resolve_facts (const char   *name,
               SetlDataType *type,
               GValue       *value,
               gpointer      user_data)
{
  gint64 *row_count = user_data;

  if (g_str_equal (name, "orders.row_count"))
    {
      *type = SETL_DATA_TYPE_INT64;
      if (value != NULL)
        {
          resolver_value_calls++;
          g_value_init (value, G_TYPE_INT64);
          g_value_set_int64 (value, *row_count);
        }
      return TRUE;
    }
  if (g_str_equal (name, "orders.max_day"))
    {
      *type = SETL_DATA_TYPE_DATE32;
      if (value != NULL)
        {
          g_value_init (value, G_TYPE_INT);
          g_value_set_int (value, 19753);   /* 2024-01-31 */
        }
      return TRUE;
    }
  if (g_str_equal (name, "orders.min_price"))
    {
      *type = SETL_DATA_TYPE_DOUBLE;
      return TRUE;   /* unknown yet: null */
    }
  return FALSE;
}

static void
test_resolver (void)
{
  g_autoptr(SetlExprScope) scope = setl_expr_scope_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(SetlExpr) expr = NULL;
  gint64 rows = 0;
  gboolean holds = TRUE;
  SetlDataType type;

  setl_expr_scope_set_resolver (scope, resolve_facts, &rows, NULL);
  g_assert_true (setl_expr_scope_lookup_parameter (scope, "orders.row_count", &type));
  g_assert_cmpint (type, ==, SETL_DATA_TYPE_INT64);
  g_assert_false (setl_expr_scope_lookup_parameter (scope, "orders.nope", NULL));

  expr = setl_expr_compile ("$orders.row_count > 0 and $orders.max_day >= date '2024-01-01'",
                            scope, &error);
  g_assert_no_error (error);
  g_assert_cmpint (resolver_value_calls, ==, 0);
  g_assert_true (setl_expr_evaluate_condition (expr, scope, &holds, &error));
  g_assert_false (holds);
  rows = 12;
  g_assert_true (setl_expr_evaluate_condition (expr, scope, &holds, &error));
  g_assert_true (holds);
  g_assert_cmpint (resolver_value_calls, ==, 2);
  g_clear_object (&expr);

  assert_constant ("1", "1");
  expr = setl_expr_compile ("$orders.min_price is null", scope, &error);
  g_assert_true (setl_expr_evaluate_condition (expr, scope, &holds, &error));
  g_assert_true (holds);
  g_clear_object (&expr);

  expr = setl_expr_parse ("$orders.nope > 1", NULL);
  g_assert_false (setl_expr_check (expr, scope, &error));
  g_assert_error (error, SETL_EXPR_ERROR, SETL_EXPR_ERROR_UNKNOWN_PARAMETER);
}

static void
test_dates_in_batch (void)
{
  static const gint32 days[] = { 0, 19753, -1, 19754 };
  g_autoptr(SetlRecordBatch) batch = make_batch ("d", make_date (days, 4, 1 << 2), NULL);

  assert_eval (batch, NULL, "d >= '2024-01-31'", "false,true,null,true");
  assert_eval (batch, NULL, "d = date '1970-01-01'", "true,false,null,false");
  assert_eval (batch, NULL, "d < timestamp '2024-01-31T12:00:00Z'", "true,true,null,false");
  assert_eval (batch, NULL, "cast(d as string)", "1970-01-01,2024-01-31,null,2024-02-01");
  assert_eval (batch, NULL, "d::timestamp", "t0,t1706659200000000,null,t1706745600000000");
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/expr/eval/kleene-constants", test_kleene_constants);
  g_test_add_func ("/expr/eval/kleene-columns", test_kleene_columns);
  g_test_add_func ("/expr/eval/null-propagation", test_null_propagation);
  g_test_add_func ("/expr/eval/in", test_in);
  g_test_add_func ("/expr/eval/arithmetic", test_arithmetic);
  g_test_add_func ("/expr/eval/comparisons", test_comparisons);
  g_test_add_func ("/expr/eval/functions", test_functions);
  g_test_add_func ("/expr/eval/casts", test_casts);
  g_test_add_func ("/expr/eval/batch", test_batch);
  g_test_add_func ("/expr/eval/cast-error-in-data", test_cast_error_in_data);
  g_test_add_func ("/expr/eval/overflow-in-data", test_overflow_in_data);
  g_test_add_func ("/expr/eval/slices", test_slices);
  g_test_add_func ("/expr/eval/bare-column-is-shared", test_bare_column_is_shared);
  g_test_add_func ("/expr/eval/parameters", test_parameters);
  g_test_add_func ("/expr/eval/schema-mismatch", test_schema_mismatch);
  g_test_add_func ("/expr/eval/filter", test_filter);
  g_test_add_func ("/expr/eval/filter-large", test_filter_large);
  g_test_add_func ("/expr/eval/constant-api", test_constant_api);
  g_test_add_func ("/expr/eval/resolver", test_resolver);
  g_test_add_func ("/expr/eval/dates-in-batch", test_dates_in_batch);

  return g_test_run ();
}
