/* test-regex-fallback.c: the regex checks as built without PCRE2's
 * headers (plugins/checks-builtin/setl-string-checks.c compiled here
 * without HAVE_PCRE2, so non-ASCII values and patterns the DFA cannot take
 * go to GRegex) give PCRE2's answers — compiled as the PCRE2 path compiles
 * them — on values with CR, CRLF and LF: newlines are LF only on both
 * paths. (Unicode classes still differ: GRegex cannot turn them off;
 * docs/validation.md.)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <string.h>

#include <setl/setl.h>
#include "setl-string-checks.h"

/* Patterns the DFA leaves to the engine (a lookahead) or that it takes,
 * over values the DFA leaves to the engine (non-ASCII) or not. */
static const char * const patterns[] = {
  "a.b", "a$", "a\\Z", "(?=a)a.", "(?=a)a$", ".*\\r", "a.$", "^.$", "(?m)^b", "(?m)a$", "(?s)a.b",
  NULL
};
static const char * const values[] = {
  "a\rb", "a\r", "a\n", "a\r\n", "a\r\nb", "a\nb", "\xc3\xa9" "a\rb", "a\r\xc3\xa9", "a\n\xc3\xa9",
  "\xc3\xa9\r", "\r", "a", "b\ra\rb", "\xc3\xa9\rb", NULL
};

static gboolean
pcre2_answer (const char *pattern,
              int         mode,
              const char *value)
{
  g_autofree char *source = mode == 2 ? g_strdup_printf ("(?:%s)\\z", pattern) : g_strdup (pattern);
  int code;
  PCRE2_SIZE offset;
  pcre2_code *re = pcre2_compile ((PCRE2_SPTR) source, PCRE2_ZERO_TERMINATED,
                                  PCRE2_UTF | (mode == 1 ? 0 : PCRE2_ANCHORED), &code, &offset, NULL);
  pcre2_match_data *match;
  gboolean pass;

  g_assert_nonnull (re);
  match = pcre2_match_data_create_from_pattern (re, NULL);
  pass = pcre2_match (re, (PCRE2_SPTR) value, strlen (value), 0, 0, match, NULL) >= 0;
  pcre2_match_data_free (match);
  pcre2_code_free (re);
  return pass;
}

static void
test_newlines_as_pcre2 (void)
{
  GType types[] = {
    setl_builtin_str_matches_check_get_type (),
    setl_builtin_str_contains_check_get_type (),
    setl_builtin_pattern_check_get_type (),
  };
  g_autoptr(SetlColumnBuilder) builder = setl_column_builder_new (SETL_DATA_TYPE_STRING);
  g_autoptr(SetlColumn) column = NULL;
  g_autoptr(GError) error = NULL;
  guint n_compared = 0, n_cr_differs = 0;

  for (guint v = 0; values[v] != NULL; v++)
    setl_column_builder_append_string (builder, values[v], -1);
  column = setl_column_builder_finish (builder, &error);
  g_assert_no_error (error);

  for (guint p = 0; patterns[p] != NULL; p++)
    for (int mode = 0; mode < 3; mode++)
      {
        g_autoptr(SetlCheck) check = g_object_new (types[mode], "pattern", patterns[p], NULL);
        g_autoptr(SetlColumn) result = NULL;

        g_assert_true (setl_check_prepare (check, &error));
        g_assert_no_error (error);
        result = setl_check_check_column (check, column, &error);
        g_assert_no_error (error);
        for (guint v = 0; values[v] != NULL; v++)
          {
            gboolean expected = pcre2_answer (patterns[p], mode, values[v]);
            gboolean actual = setl_column_get_bool (result, v);

            if (expected != actual)
              g_error ("mode %d, pattern “%s”, value %u: PCRE2 says %d, the check %d",
                       mode, patterns[p], v, expected, actual);
            n_compared++;
            /* GRegex's own default (newline ANY) would answer otherwise. */
            {
              g_autofree char *source = mode == 2 ? g_strdup_printf ("(?:%s)\\z", patterns[p])
                                                  : g_strdup (patterns[p]);
              g_autoptr(GRegex) any = g_regex_new (source, 0, 0, NULL);

              n_cr_differs += g_regex_match_full (any, values[v], -1, 0,
                                                  mode == 1 ? 0 : G_REGEX_MATCH_ANCHORED,
                                                  NULL, NULL) != expected;
            }
          }
      }
  g_assert_cmpuint (n_compared, ==, 3 * (G_N_ELEMENTS (patterns) - 1) * (G_N_ELEMENTS (values) - 1));
  /* the values tell the newline conventions apart */
  g_assert_cmpuint (n_cr_differs, >, 10);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/validation/regex-fallback/newlines-as-pcre2", test_newlines_as_pcre2);
  return g_test_run ();
}
