/* test-expr-parse.c: the grammar — precedence, associativity, every
 * construct — and syntax errors that point at the offending character.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "expr-test-util.h"

static char *
canonical (const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SetlExpr) expr = setl_expr_parse (text, &error);

  g_assert_no_error (error);
  g_assert_nonnull (expr);
  g_assert_cmpstr (setl_expr_get_text (expr), ==, text);
  return setl_expr_to_string (expr);
}

#define assert_parses_as(text, expected) \
  G_STMT_START { \
    g_autofree char *got_ = canonical (text); \
    g_assert_cmpstr (got_, ==, (expected)); \
    /* The canonical form reads back to itself. */ \
    g_autofree char *again_ = canonical (got_); \
    g_assert_cmpstr (again_, ==, got_); \
  } G_STMT_END

static void
test_precedence (void)
{
  assert_parses_as ("1 + 2 * 3", "(1 + (2 * 3))");
  assert_parses_as ("(1 + 2) * 3", "((1 + 2) * 3)");
  assert_parses_as ("a - b - c", "((a - b) - c)");
  assert_parses_as ("a / b * c % d", "(((a / b) * c) % d)");
  assert_parses_as ("a or b and c", "(a or (b and c))");
  assert_parses_as ("a and b or c and d", "((a and b) or (c and d))");
  assert_parses_as ("not a and b", "((not a) and b)");
  assert_parses_as ("not not a", "(not (not a))");
  assert_parses_as ("not a = b", "(not (a = b))");
  assert_parses_as ("a + 1 >= b * 2", "((a + 1) >= (b * 2))");
  assert_parses_as ("-a * b", "((-a) * b)");
  assert_parses_as ("- - a", "(-(-a))");
  assert_parses_as ("-a::double", "(-cast(a as double))");
  assert_parses_as ("a || b || c = d", "(((a || b) || c) = d)");
  assert_parses_as ("a + b || c", "((a + b) || c)");
  assert_parses_as ("a = b is null", "((a = b) is null)");
  assert_parses_as ("a is null is not null", "((a is null) is not null)");
  assert_parses_as ("a in (1, 2) = true", "((a in (1, 2)) = true)");
  assert_parses_as ("x between 1 and 2 and y", "((x between 1 and 2) and y)");
  assert_parses_as ("x not between a + 1 and b * 2", "(x not between (a + 1) and (b * 2))");
  assert_parses_as ("age >= 18 and city = 'Paris' or vip",
                    "(((age >= 18) and (city = 'Paris')) or vip)");
}

static void
test_literals (void)
{
  assert_parses_as ("42", "42");
  assert_parses_as ("-42", "-42");
  assert_parses_as ("-9223372036854775808", "-9223372036854775808");
  assert_parses_as ("9223372036854775807", "9223372036854775807");
  assert_parses_as ("1.5", "1.5");
  assert_parses_as ("1.", "1.0");
  assert_parses_as (".25", "0.25");
  assert_parses_as ("2e3", "2000.0");
  assert_parses_as ("1.5E-3", "0.0015");
  assert_parses_as ("'it''s'", "'it''s'");
  assert_parses_as ("''", "''");
  assert_parses_as ("'é — 日本'", "'é — 日本'");
  assert_parses_as ("TRUE", "true");
  assert_parses_as ("false", "false");
  assert_parses_as ("NULL", "null");
  assert_parses_as ("date '2024-01-31'", "date '2024-01-31'");
  assert_parses_as ("DATE '1969-12-31'", "date '1969-12-31'");
  assert_parses_as ("timestamp '2024-01-31T10:00:00Z'", "timestamp '2024-01-31T10:00:00Z'");
  assert_parses_as ("timestamp '2024-01-31 10:00:00.5+02:00'",
                    "timestamp '2024-01-31T08:00:00.500000Z'");
  assert_parses_as ("timestamp '2024-01-31'", "timestamp '2024-01-31T00:00:00Z'");
}

static void
test_names (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SetlExpr) expr = NULL;
  g_auto(GStrv) columns = NULL;
  g_auto(GStrv) params = NULL;

  assert_parses_as ("\"first name\"", "\"first name\"");
  assert_parses_as ("\"say \"\"hi\"\"\"", "\"say \"\"hi\"\"\"");
  assert_parses_as ("\"and\"", "\"and\"");
  assert_parses_as ("_x1", "_x1");
  assert_parses_as ("prénom", "prénom");
  /* date and timestamp are column names unless a string follows. */
  assert_parses_as ("date > timestamp", "(\"date\" > \"timestamp\")");
  assert_parses_as ("$min_age", "$min_age");
  assert_parses_as ("$orders.row_count > 0", "($orders.row_count > 0)");

  expr = setl_expr_parse ("a + $p > b and a < $q or $p = 1", &error);
  g_assert_no_error (error);
  columns = setl_expr_get_column_names (expr);
  params = setl_expr_get_parameter_names (expr);
  g_assert_cmpuint (g_strv_length (columns), ==, 2);
  g_assert_cmpstr (columns[0], ==, "a");
  g_assert_cmpstr (columns[1], ==, "b");
  g_assert_cmpuint (g_strv_length (params), ==, 2);
  g_assert_cmpstr (params[0], ==, "p");
  g_assert_cmpstr (params[1], ==, "q");
  g_assert_false (setl_expr_is_constant (expr));
  g_clear_object (&expr);

  expr = setl_expr_parse ("$rows > 0", &error);
  g_assert_true (setl_expr_is_constant (expr));
  g_assert_false (setl_expr_is_checked (expr));
}

static void
test_constructs (void)
{
  assert_parses_as ("a = 1", "(a = 1)");
  assert_parses_as ("a == 1", "(a = 1)");
  assert_parses_as ("a != 1", "(a != 1)");
  assert_parses_as ("a <> 1", "(a != 1)");
  assert_parses_as ("a<1", "(a < 1)");
  assert_parses_as ("a<=1", "(a <= 1)");
  assert_parses_as ("a>1", "(a > 1)");
  assert_parses_as ("a>=1", "(a >= 1)");
  assert_parses_as ("a IS NULL", "(a is null)");
  assert_parses_as ("a is not null", "(a is not null)");
  assert_parses_as ("a in ('x')", "(a in ('x'))");
  assert_parses_as ("a NOT IN (1, null, 3)", "(a not in (1, null, 3))");
  assert_parses_as ("a in (b + 1, $p)", "(a in ((b + 1), $p))");
  assert_parses_as ("length(name)", "length(name)");
  assert_parses_as ("LOWER(name)", "lower(name)");
  assert_parses_as ("upper(name)", "upper(name)");
  assert_parses_as ("starts_with(name, 'A')", "starts_with(name, 'A')");
  assert_parses_as ("ends_with(name, 'z')", "ends_with(name, 'z')");
  assert_parses_as ("contains(name, 'x')", "contains(name, 'x')");
  assert_parses_as ("matches(email, '^[a-z]+@')", "matches(email, '^[a-z]+@')");
  assert_parses_as ("coalesce(a, b, 0)", "coalesce(a, b, 0)");
  assert_parses_as ("abs(a - b)", "abs((a - b))");
  assert_parses_as ("cast(a as int64)", "cast(a as int64)");
  assert_parses_as ("CAST(a AS Integer)", "cast(a as int64)");
  assert_parses_as ("try_cast(s as date)", "try_cast(s as date)");
  assert_parses_as ("a::text::bool", "cast(cast(a as string) as bool)");
  assert_parses_as ("'1'::bigint + 1", "(cast('1' as int64) + 1)");
  assert_parses_as ("x::timestamp", "cast(x as timestamp)");
  assert_parses_as ("+a", "a");
  assert_parses_as ("  a\n  and\tb  ", "(a and b)");
}

/* The message, with its caret line, exactly. */
static void
assert_syntax_error (const char   *text,
                     SetlExprError code,
                     const char   *expected)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SetlExpr) expr = setl_expr_parse (text, &error);

  g_assert_null (expr);
  g_assert_error (error, SETL_EXPR_ERROR, (gint) code);
  g_assert_cmpstr (error->message, ==, expected);
}

static void
test_errors (void)
{
  assert_syntax_error ("age >= 18 and", SETL_EXPR_ERROR_SYNTAX,
                       "Expected an expression after 'and' at column 14:\n"
                       "  age >= 18 and\n"
                       "               ^");
  assert_syntax_error ("age >= and 18", SETL_EXPR_ERROR_SYNTAX,
                       "Expected an expression after '>=', found 'and' at column 8:\n"
                       "  age >= and 18\n"
                       "         ^");
  assert_syntax_error ("", SETL_EXPR_ERROR_SYNTAX,
                       "Expected an expression, found an empty text at column 1:\n"
                       "  \n"
                       "  ^");
  assert_syntax_error ("(a + 1", SETL_EXPR_ERROR_SYNTAX,
                       "Expected ')' to close the '(' at column 1, found end of input at column 7:\n"
                       "  (a + 1\n"
                       "        ^");
  assert_syntax_error ("a + 1)", SETL_EXPR_ERROR_SYNTAX,
                       "Unexpected ')' with no '(' to close at column 6:\n"
                       "  a + 1)\n"
                       "       ^");
  assert_syntax_error ("name = 'Bob", SETL_EXPR_ERROR_SYNTAX,
                       "Unterminated string (no closing ') at column 8:\n"
                       "  name = 'Bob\n"
                       "         ^");
  assert_syntax_error ("\"first name = 1", SETL_EXPR_ERROR_SYNTAX,
                       "Unterminated quoted identifier (no closing \") at column 1:\n"
                       "  \"first name = 1\n"
                       "  ^");
  assert_syntax_error ("a # b", SETL_EXPR_ERROR_SYNTAX,
                       "Unexpected character '#' at column 3:\n"
                       "  a # b\n"
                       "    ^");
  assert_syntax_error ("a ! b", SETL_EXPR_ERROR_SYNTAX,
                       "Unexpected character '!' (use 'not' or '!=') at column 3:\n"
                       "  a ! b\n"
                       "    ^");
  assert_syntax_error ("age 18", SETL_EXPR_ERROR_SYNTAX,
                       "Expected an operator or the end of the expression, found '18' at column 5:\n"
                       "  age 18\n"
                       "      ^");
  assert_syntax_error ("1 < a < 3", SETL_EXPR_ERROR_SYNTAX,
                       "Comparisons cannot be chained: write 'a < b and b < c', or use "
                       "parentheses at column 7:\n"
                       "  1 < a < 3\n"
                       "        ^");
  assert_syntax_error ("a in 1, 2", SETL_EXPR_ERROR_SYNTAX,
                       "Expected '(' and a list of values after 'in', found '1' at column 6:\n"
                       "  a in 1, 2\n"
                       "       ^");
  assert_syntax_error ("a in (1, 2", SETL_EXPR_ERROR_SYNTAX,
                       "Expected ',' or ')' to close the list opened at column 6, found end "
                       "of input at column 11:\n"
                       "  a in (1, 2\n"
                       "            ^");
  assert_syntax_error ("a in ()", SETL_EXPR_ERROR_SYNTAX,
                       "Expected an expression after '(', found ')' at column 7:\n"
                       "  a in ()\n"
                       "        ^");
  assert_syntax_error ("x between 1 or 2", SETL_EXPR_ERROR_SYNTAX,
                       "Expected 'and' and an upper bound after 'between', found 'or' at column 13:\n"
                       "  x between 1 or 2\n"
                       "              ^");
  assert_syntax_error ("a is 3", SETL_EXPR_ERROR_SYNTAX,
                       "Expected 'null' after 'is', found '3' at column 6:\n"
                       "  a is 3\n"
                       "       ^");
  assert_syntax_error ("cast(a int64)", SETL_EXPR_ERROR_SYNTAX,
                       "Expected 'as' and a type in cast(), found 'int64' at column 8:\n"
                       "  cast(a int64)\n"
                       "         ^");
  assert_syntax_error ("a::int32", SETL_EXPR_ERROR_SYNTAX,
                       "Expected a type (int64, double, string, bool, date or timestamp), "
                       "found 'int32' at column 4:\n"
                       "  a::int32\n"
                       "     ^");
  assert_syntax_error ("lenght(name) > 3", SETL_EXPR_ERROR_UNKNOWN_FUNCTION,
                       "Unknown function 'lenght' (did you mean length()? functions are: "
                       "length, lower, upper, starts_with, ends_with, contains, matches, "
                       "coalesce, abs) at column 1:\n"
                       "  lenght(name) > 3\n"
                       "  ^");
  assert_syntax_error ("lower(a, b)", SETL_EXPR_ERROR_UNKNOWN_FUNCTION,
                       "lower() takes 1 argument, not 2 at column 1:\n"
                       "  lower(a, b)\n"
                       "  ^");
  assert_syntax_error ("coalesce()", SETL_EXPR_ERROR_UNKNOWN_FUNCTION,
                       "coalesce() takes at least 1 argument at column 1:\n"
                       "  coalesce()\n"
                       "  ^");
  assert_syntax_error ("9223372036854775808", SETL_EXPR_ERROR_SYNTAX,
                       "Integer '9223372036854775808' is out of the int64 range at column 1:\n"
                       "  9223372036854775808\n"
                       "  ^");
  assert_syntax_error ("a = 12abc", SETL_EXPR_ERROR_SYNTAX,
                       "Invalid number at column 7:\n"
                       "  a = 12abc\n"
                       "        ^");
  assert_syntax_error ("d > date '2024-02-30'", SETL_EXPR_ERROR_SYNTAX,
                       "Invalid date '2024-02-30' (expected YYYY-MM-DD) at column 10:\n"
                       "  d > date '2024-02-30'\n"
                       "           ^");
  assert_syntax_error ("$ = 1", SETL_EXPR_ERROR_SYNTAX,
                       "Expected a parameter name after '$' at column 2:\n"
                       "  $ = 1\n"
                       "   ^");
  assert_syntax_error ("\"\" = 1", SETL_EXPR_ERROR_SYNTAX,
                       "Empty quoted identifier at column 1:\n"
                       "  \"\" = 1\n"
                       "  ^");
  assert_syntax_error ("and", SETL_EXPR_ERROR_SYNTAX,
                       "Expected an expression, found 'and' at column 1:\n"
                       "  and\n"
                       "  ^");
  /* Columns count characters, not bytes. */
  assert_syntax_error ("'日本' = ", SETL_EXPR_ERROR_SYNTAX,
                       "Expected an expression after '=' at column 8:\n"
                       "  '日本' = \n"
                       "         ^");
  /* Several lines: the line is named and shown alone. */
  assert_syntax_error ("a = 1\nand b >\n", SETL_EXPR_ERROR_SYNTAX,
                       "Expected an expression after '>' at line 3, column 1:\n"
                       "  \n"
                       "  ^");
  assert_syntax_error ("a = 1\n  and # b", SETL_EXPR_ERROR_SYNTAX,
                       "Unexpected character '#' at line 2, column 7:\n"
                       "    and # b\n"
                       "        ^");
}

static void
test_invalid_utf8 (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SetlExpr) expr = setl_expr_parse ("a = '\xff'", &error);

  g_assert_null (expr);
  g_assert_error (error, SETL_EXPR_ERROR, SETL_EXPR_ERROR_SYNTAX);
  g_assert_true (g_str_has_prefix (error->message, "Invalid UTF-8 at column 6:"));
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
}

static void
test_depth_limit (void)
{
  g_autoptr(GError) error = NULL;
  GString *deep = g_string_new (NULL);
  GString *chain = g_string_new ("1");
  g_autoptr(SetlExpr) expr = NULL;

  /* Parentheses and operator chains both count; neither may blow the
   * stack of the checker or the evaluator. */
  for (int i = 0; i < 100000; i++)
    g_string_append_c (deep, '(');
  g_string_append (deep, "1");
  expr = setl_expr_parse (deep->str, &error);
  g_assert_null (expr);
  g_assert_error (error, SETL_EXPR_ERROR, SETL_EXPR_ERROR_SYNTAX);
  g_assert_true (strstr (error->message, "nested too deeply") != NULL);
  g_clear_error (&error);

  for (int i = 0; i < 5000; i++)
    g_string_append (chain, " + 1");
  expr = setl_expr_parse (chain->str, &error);
  g_assert_null (expr);
  g_assert_error (error, SETL_EXPR_ERROR, SETL_EXPR_ERROR_SYNTAX);
  g_clear_error (&error);

  for (int i = 0; i < 5000; i++)
    g_string_append (deep, "not ");
  g_string_free (deep, TRUE);
  g_string_free (chain, TRUE);

  /* A long flat list is fine. */
  {
    GString *list = g_string_new ("a in (0");
    for (int i = 1; i < 5000; i++)
      g_string_append_printf (list, ", %d", i);
    g_string_append_c (list, ')');
    expr = setl_expr_parse (list->str, &error);
    g_assert_no_error (error);
    g_assert_nonnull (expr);
    g_string_free (list, TRUE);
  }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/expr/parse/precedence", test_precedence);
  g_test_add_func ("/expr/parse/literals", test_literals);
  g_test_add_func ("/expr/parse/names", test_names);
  g_test_add_func ("/expr/parse/constructs", test_constructs);
  g_test_add_func ("/expr/parse/errors", test_errors);
  g_test_add_func ("/expr/parse/invalid-utf8", test_invalid_utf8);
  g_test_add_func ("/expr/parse/depth-limit", test_depth_limit);

  return g_test_run ();
}
