/* test-expr-check.c: type checking against a scope — result types, type
 * errors, unknown names, casts and patterns of literals.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "expr-test-util.h"

static SetlExprScope *
people_scope (void)
{
  SetlExprScope *scope = setl_expr_scope_new ();

  setl_expr_scope_add_column (scope, "age", SETL_DATA_TYPE_INT64);
  setl_expr_scope_add_column (scope, "score", SETL_DATA_TYPE_DOUBLE);
  setl_expr_scope_add_column (scope, "name", SETL_DATA_TYPE_STRING);
  setl_expr_scope_add_column (scope, "first name", SETL_DATA_TYPE_STRING);
  setl_expr_scope_add_column (scope, "vip", SETL_DATA_TYPE_BOOL);
  setl_expr_scope_add_column (scope, "born", SETL_DATA_TYPE_DATE32);
  setl_expr_scope_add_column (scope, "seen", SETL_DATA_TYPE_TIMESTAMP);
  setl_expr_scope_set_int64 (scope, "min_age", 18);
  setl_expr_scope_declare_parameter (scope, "city", SETL_DATA_TYPE_STRING);
  return scope;
}

static SetlDataType
result_type (const char *text)
{
  g_autoptr(SetlExprScope) scope = people_scope ();
  g_autoptr(GError) error = NULL;
  g_autoptr(SetlExpr) expr = setl_expr_compile (text, scope, &error);

  g_assert_no_error (error);
  g_assert_true (setl_expr_is_checked (expr));
  return setl_expr_get_result_type (expr);
}

static void
test_result_types (void)
{
  g_assert_cmpint (result_type ("age"), ==, SETL_DATA_TYPE_INT64);
  g_assert_cmpint (result_type ("age + 1"), ==, SETL_DATA_TYPE_INT64);
  g_assert_cmpint (result_type ("age + 1.5"), ==, SETL_DATA_TYPE_DOUBLE);
  g_assert_cmpint (result_type ("age / 2"), ==, SETL_DATA_TYPE_INT64);
  g_assert_cmpint (result_type ("score * age"), ==, SETL_DATA_TYPE_DOUBLE);
  g_assert_cmpint (result_type ("-score"), ==, SETL_DATA_TYPE_DOUBLE);
  g_assert_cmpint (result_type ("age >= $min_age"), ==, SETL_DATA_TYPE_BOOL);
  g_assert_cmpint (result_type ("age > score"), ==, SETL_DATA_TYPE_BOOL);
  g_assert_cmpint (result_type ("name || 'x'"), ==, SETL_DATA_TYPE_STRING);
  g_assert_cmpint (result_type ("\"first name\" = $city"), ==, SETL_DATA_TYPE_BOOL);
  g_assert_cmpint (result_type ("born < seen"), ==, SETL_DATA_TYPE_BOOL);
  g_assert_cmpint (result_type ("born >= '2000-01-01'"), ==, SETL_DATA_TYPE_BOOL);
  g_assert_cmpint (result_type ("'2000-01-01' <= seen"), ==, SETL_DATA_TYPE_BOOL);
  g_assert_cmpint (result_type ("born between '2000-01-01' and seen"), ==, SETL_DATA_TYPE_BOOL);
  g_assert_cmpint (result_type ("null"), ==, SETL_DATA_TYPE_BOOL);
  g_assert_cmpint (result_type ("null + 1"), ==, SETL_DATA_TYPE_INT64);
  g_assert_cmpint (result_type ("age in (1, 2.5, null)"), ==, SETL_DATA_TYPE_BOOL);
  g_assert_cmpint (result_type ("coalesce(null, age, 0)"), ==, SETL_DATA_TYPE_INT64);
  g_assert_cmpint (result_type ("coalesce(age, score)"), ==, SETL_DATA_TYPE_DOUBLE);
  g_assert_cmpint (result_type ("length(name)"), ==, SETL_DATA_TYPE_INT64);
  g_assert_cmpint (result_type ("lower(name)"), ==, SETL_DATA_TYPE_STRING);
  g_assert_cmpint (result_type ("matches(name, '^A')"), ==, SETL_DATA_TYPE_BOOL);
  g_assert_cmpint (result_type ("abs(score)"), ==, SETL_DATA_TYPE_DOUBLE);
  g_assert_cmpint (result_type ("cast(age as string)"), ==, SETL_DATA_TYPE_STRING);
  g_assert_cmpint (result_type ("name::date"), ==, SETL_DATA_TYPE_DATE32);
  g_assert_cmpint (result_type ("seen::date"), ==, SETL_DATA_TYPE_DATE32);
  g_assert_cmpint (result_type ("cast(null as timestamp)"), ==, SETL_DATA_TYPE_TIMESTAMP);
  g_assert_cmpint (result_type ("vip is null"), ==, SETL_DATA_TYPE_BOOL);
  g_assert_cmpint (result_type ("vip = true"), ==, SETL_DATA_TYPE_BOOL);
}

static void
assert_check_error (const char    *text,
                    SetlExprError  code,
                    const char    *expected)
{
  g_autoptr(SetlExprScope) scope = people_scope ();
  g_autoptr(GError) error = NULL;
  g_autoptr(SetlExpr) expr = setl_expr_parse (text, &error);

  g_assert_no_error (error);
  g_assert_false (setl_expr_check (expr, scope, &error));
  g_assert_false (setl_expr_is_checked (expr));
  g_assert_error (error, SETL_EXPR_ERROR, (gint) code);
  if (g_strcmp0 (error->message, expected) != 0)
    g_error ("%s:\nexpected: %s\ngot:      %s", text, expected, error->message);
}

static void
test_type_errors (void)
{
  assert_check_error ("name > 5", SETL_EXPR_ERROR_TYPE,
                      "Cannot compare 'name' (string) with '5' (int64); use cast(… as …) "
                      "to convert at column 6:\n"
                      "  name > 5\n"
                      "       ^");
  assert_check_error ("age = '18'", SETL_EXPR_ERROR_TYPE,
                      "Cannot compare 'age' (int64) with ''18'' (string); use cast(… as …) "
                      "to convert at column 5:\n"
                      "  age = '18'\n"
                      "      ^");
  assert_check_error ("vip < 1", SETL_EXPR_ERROR_TYPE,
                      "Cannot compare 'vip' (bool) with '1' (int64) at column 5:\n"
                      "  vip < 1\n"
                      "      ^");
  assert_check_error ("age in (1, 'two', 3)", SETL_EXPR_ERROR_TYPE,
                      "Cannot compare 'age' (int64) with ''two'' (string); use cast(… as …) "
                      "to convert at column 12:\n"
                      "  age in (1, 'two', 3)\n"
                      "             ^");
  assert_check_error ("name + 1", SETL_EXPR_ERROR_TYPE,
                      "Operator '+' needs a number, but 'name' is string at column 1:\n"
                      "  name + 1\n"
                      "  ^");
  assert_check_error ("age and vip", SETL_EXPR_ERROR_TYPE,
                      "'and' needs a bool, but 'age' is int64 at column 1:\n"
                      "  age and vip\n"
                      "  ^");
  assert_check_error ("not name", SETL_EXPR_ERROR_TYPE,
                      "'not' needs a bool, but 'name' is string at column 5:\n"
                      "  not name\n"
                      "      ^");
  assert_check_error ("-vip", SETL_EXPR_ERROR_TYPE,
                      "Unary '-' needs a number, but 'vip' is bool at column 2:\n"
                      "  -vip\n"
                      "   ^");
  assert_check_error ("length(age) > 1", SETL_EXPR_ERROR_TYPE,
                      "length() needs a string, but 'age' is int64 at column 8:\n"
                      "  length(age) > 1\n"
                      "         ^");
  assert_check_error ("age || 'x'", SETL_EXPR_ERROR_TYPE,
                      "'||' needs a string, but 'age' is int64 at column 1:\n"
                      "  age || 'x'\n"
                      "  ^");
  assert_check_error ("cast(vip as date)", SETL_EXPR_ERROR_TYPE,
                      "Cannot cast 'vip' (bool) to date at column 1:\n"
                      "  cast(vip as date)\n"
                      "  ^");
  assert_check_error ("coalesce(age, name)", SETL_EXPR_ERROR_TYPE,
                      "Cannot mix in coalesce() 'age' (int64) with 'name' (string); use "
                      "cast(… as …) to convert at column 1:\n"
                      "  coalesce(age, name)\n"
                      "  ^");
  assert_check_error ("matches(name, name)", SETL_EXPR_ERROR_TYPE,
                      "The pattern of matches() must be a literal or a parameter, not a "
                      "column at column 15:\n"
                      "  matches(name, name)\n"
                      "                ^");
}

static void
test_unknown_names (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SetlExpr) expr = NULL;

  assert_check_error ("agee > 1", SETL_EXPR_ERROR_UNKNOWN_COLUMN,
                      "Unknown column 'agee' (did you mean 'age'?) at column 1:\n"
                      "  agee > 1\n"
                      "  ^");
  assert_check_error ("age > 1 and zzz", SETL_EXPR_ERROR_UNKNOWN_COLUMN,
                      "Unknown column 'zzz' at column 13:\n"
                      "  age > 1 and zzz\n"
                      "              ^");
  assert_check_error ("min_age > 1", SETL_EXPR_ERROR_UNKNOWN_COLUMN,
                      "Unknown column 'min_age' (did you mean the parameter '$min_age'?) at column 1:\n"
                      "  min_age > 1\n"
                      "  ^");
  assert_check_error ("age > $max_age", SETL_EXPR_ERROR_UNKNOWN_PARAMETER,
                      "Unknown parameter '$max_age' at column 7:\n"
                      "  age > $max_age\n"
                      "        ^");

  /* No scope at all: literals only. */
  expr = setl_expr_parse ("x = 1", &error);
  g_assert_false (setl_expr_check (expr, NULL, &error));
  g_assert_error (error, SETL_EXPR_ERROR, SETL_EXPR_ERROR_UNKNOWN_COLUMN);
  g_assert_true (strstr (error->message, "no columns are available here") != NULL);
}

static void
test_literal_casts (void)
{
  /* SQL: an invalid cast of a literal is an error when the expression is
   * checked, not a null. try_cast gives null instead. */
  assert_check_error ("age = cast('abc' as int64)", SETL_EXPR_ERROR_INVALID_CAST,
                      "Cannot cast ''abc'' to int64: not an integer in the int64 range at column 12:\n"
                      "  age = cast('abc' as int64)\n"
                      "             ^");
  assert_check_error ("born > '2024-13-01'", SETL_EXPR_ERROR_INVALID_CAST,
                      "Cannot cast ''2024-13-01'' to date: not a date (YYYY-MM-DD) at column 8:\n"
                      "  born > '2024-13-01'\n"
                      "         ^");
  assert_check_error ("'x'::bool", SETL_EXPR_ERROR_INVALID_CAST,
                      "Cannot cast ''x'' to bool: not a boolean (true/false, yes/no, on/off, "
                      "1/0) at column 1:\n"
                      "  'x'::bool\n"
                      "  ^");
  assert_check_error ("1e300::int64 > 0", SETL_EXPR_ERROR_INVALID_CAST,
                      "Cannot cast '1e300' to int64: out of the int64 range at column 1:\n"
                      "  1e300::int64 > 0\n"
                      "  ^");
  assert_constant ("try_cast('abc' as int64)", "null");
  assert_constant ("try_cast('12' as int64)", "12");
}

static void
test_invalid_regex (void)
{
  g_autoptr(SetlExprScope) scope = people_scope ();
  g_autoptr(GError) error = NULL;
  g_autoptr(SetlExpr) expr = setl_expr_parse ("matches(name, '([a-z')", &error);

  g_assert_false (setl_expr_check (expr, scope, &error));
  g_assert_error (error, SETL_EXPR_ERROR, SETL_EXPR_ERROR_INVALID_REGEX);
  g_assert_true (g_str_has_prefix (error->message, "Invalid regular expression: "));
  g_assert_true (strstr (error->message, "at column 15:\n  matches(name, '([a-z')\n                ^") != NULL);
}

static void
test_recheck (void)
{
  g_autoptr(SetlExprScope) ints = setl_expr_scope_new ();
  g_autoptr(SetlExprScope) doubles = setl_expr_scope_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(SetlExpr) expr = setl_expr_parse ("a + 1 > 2.5", &error);
  g_autofree char *text = NULL;

  setl_expr_scope_add_column (ints, "a", SETL_DATA_TYPE_INT64);
  setl_expr_scope_add_column (doubles, "a", SETL_DATA_TYPE_DOUBLE);
  g_assert_true (setl_expr_check (expr, ints, &error));
  g_assert_true (setl_expr_check (expr, doubles, &error));
  g_assert_no_error (error);
  /* Implicit conversions never show in the text. */
  text = setl_expr_to_string (expr);
  g_assert_cmpstr (text, ==, "((a + 1) > 2.5)");

  setl_expr_scope_add_column (doubles, "a", SETL_DATA_TYPE_STRING);
  g_assert_false (setl_expr_check (expr, doubles, &error));
  g_assert_error (error, SETL_EXPR_ERROR, SETL_EXPR_ERROR_TYPE);
  g_assert_false (setl_expr_is_checked (expr));
}

static void
test_scope (void)
{
  g_autoptr(SetlExprScope) scope = setl_expr_scope_new ();
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) params = NULL;
  g_auto(GStrv) columns = NULL;
  GValue value = G_VALUE_INIT;
  SetlDataType type;

  g_value_init (&value, G_TYPE_UINT);
  g_value_set_uint (&value, 7);
  g_assert_true (setl_expr_scope_set_parameter (scope, "n", &value, &error));
  g_value_unset (&value);
  g_assert_true (setl_expr_scope_lookup_parameter (scope, "n", &type));
  g_assert_cmpint (type, ==, SETL_DATA_TYPE_INT64);

  g_value_init (&value, G_TYPE_POINTER);
  g_assert_false (setl_expr_scope_set_parameter (scope, "p", &value, &error));
  g_assert_error (error, SETL_EXPR_ERROR, SETL_EXPR_ERROR_TYPE);
  g_value_unset (&value);

  setl_expr_scope_set_string (scope, "b", "x");
  params = setl_expr_scope_list_parameters (scope);
  g_assert_cmpuint (g_strv_length (params), ==, 2);
  g_assert_cmpstr (params[0], ==, "b");
  g_assert_cmpstr (params[1], ==, "n");

  setl_expr_scope_add_column (scope, "z", SETL_DATA_TYPE_BOOL);
  setl_expr_scope_add_column (scope, "a", SETL_DATA_TYPE_BOOL);
  setl_expr_scope_add_column (scope, "z", SETL_DATA_TYPE_INT64);
  columns = setl_expr_scope_list_columns (scope);
  g_assert_cmpuint (g_strv_length (columns), ==, 2);
  g_assert_cmpstr (columns[0], ==, "z");
  g_assert_true (setl_expr_scope_lookup_column (scope, "z", &type));
  g_assert_cmpint (type, ==, SETL_DATA_TYPE_INT64);
  g_assert_false (setl_expr_scope_lookup_column (scope, "q", NULL));
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/expr/check/result-types", test_result_types);
  g_test_add_func ("/expr/check/type-errors", test_type_errors);
  g_test_add_func ("/expr/check/unknown-names", test_unknown_names);
  g_test_add_func ("/expr/check/literal-casts", test_literal_casts);
  g_test_add_func ("/expr/check/invalid-regex", test_invalid_regex);
  g_test_add_func ("/expr/check/recheck", test_recheck);
  g_test_add_func ("/expr/check/scope", test_scope);

  return g_test_run ();
}
