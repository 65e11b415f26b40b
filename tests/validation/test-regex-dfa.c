/* test-regex-dfa.c: the regex checks' DFA (plugins/checks-builtin/
 * setl-builtin-dfa.c) against PCRE2, the engine whose answers it must give.
 *
 * Random patterns from the subset the DFA covers (and some just outside
 * it), random ASCII text, the three ways the checks compile a pattern
 * (str_matches: anchored; str_contains: not; pattern: "(?:…)\z",
 * anchored); every answer compared with pcre2_match() on the same
 * compiled source, in both forms of the DFA (the table by byte and the
 * compact one by byte class). Then the checks themselves, loaded from the plugin,
 * on columns that mix ASCII and non-ASCII values, against PCRE2 value by
 * value. The seed is GLib's (--seed to replay a failure).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <string.h>

#include "setl-builtin-dfa.h"
#include "validation-test-utils.h"

typedef enum { MODE_MATCH, MODE_SEARCH, MODE_FULL, N_MODES } Mode;

static char *
source_for (const char *pattern, Mode mode)
{
  return mode == MODE_FULL ? g_strdup_printf ("(?:%s)\\z", pattern) : g_strdup (pattern);
}

static pcre2_code *
pcre2_for (const char *source, Mode mode)
{
  int code;
  PCRE2_SIZE offset;

  /* As regex_prepare() in setl-string-checks.c compiles it. */
  return pcre2_compile ((PCRE2_SPTR) source, PCRE2_ZERO_TERMINATED,
                        PCRE2_UTF | (mode == MODE_SEARCH ? 0 : PCRE2_ANCHORED), &code, &offset, NULL);
}

/* 1 or 0; -1 when PCRE2 gives up (its match limit, on patterns that
 * backtrack exponentially: the DFA, which does not backtrack, answers
 * there as Python's re does, given time). */
static int
pcre2_says (pcre2_code *code, const char *text, gsize length)
{
  pcre2_match_data *match = pcre2_match_data_create_from_pattern (code, NULL);
  int rc = pcre2_match (code, (PCRE2_SPTR) text, length, 0, 0, match, NULL);

  pcre2_match_data_free (match);
  if (rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT || rc == PCRE2_ERROR_HEAPLIMIT)
    return -1;
  if (rc < 0 && rc != PCRE2_ERROR_NOMATCH)
    g_error ("PCRE2 error %d on “%s”", rc, text);
  return rc >= 0;
}

/* ---- random patterns ------------------------------------------------------ */

static const char *const atoms[] = {
  "a", "b", "c", "x", "\\.", ".", "-", "@", "_", "0", "7", " ", "\\n", "\\t", "\\-", "\\\\", "}", "]", "#",
  "[ab]", "[^a]", "[a-c]", "[^a-c0-9]", "[\\d.]", "[]a]", "[-a]", "[a-]", "[^\\n]", "[\\w@]", "[\\s]",
  "[\\W]", "[.]", "[$^]", "\\d", "\\D", "\\w", "\\W", "\\s", "\\S", "(?:)", "()",
};
static const char *const quantifiers[] = {
  "*", "+", "?", "*?", "+?", "??", "{2}", "{0,1}", "{1,3}", "{2,}", "{0}", "{1,2}?", "{3}",
};
/* Outside the DFA's subset (it must say so, not answer wrongly). */
static const char *const outside[] = {
  "(a)\\1", "(?=a)", "(?!b)", "(?i)a", "\\b", "\\B", "[[:alpha:]]", "a*+", "\\x41", "\\p{L}",
  "a{,2}", "a{x", "é", "$a", "\\z\\n", "(?<n>a)", "\\Qa\\E", "[\\d-z]", "\\v", "\\h",
  /* Repeated no times: PCRE2 10.42 does not find "zc" with the first
   * (the seed R02Sd2bc54b5764ccbe1c37bbd0845b3b67d found it). */
  "(?:a|.*){0}c", "x{0,0}",
};

static void
random_pattern (GString *out, int depth)
{
  int n = g_test_rand_int_range (1, 4);

  for (int i = 0; i < n; i++)
    {
      int r = g_test_rand_int_range (0, 100);

      if (r < 12 && depth < 3)
        {
          /* a group, maybe with alternatives */
          int alternatives = g_test_rand_int_range (1, 4);

          g_string_append (out, g_test_rand_bit () ? "(" : "(?:");
          for (int a = 0; a < alternatives; a++)
            {
              if (a > 0)
                g_string_append_c (out, '|');
              random_pattern (out, depth + 1);
            }
          g_string_append_c (out, ')');
        }
      else
        g_string_append (out, atoms[g_test_rand_int_range (0, G_N_ELEMENTS (atoms))]);
      if (g_test_rand_int_range (0, 100) < 35)
        g_string_append (out, quantifiers[g_test_rand_int_range (0, G_N_ELEMENTS (quantifiers))]);
    }
}

static char *
random_top_pattern (void)
{
  GString *out = g_string_new (NULL);
  int r = g_test_rand_int_range (0, 100);

  if (r < 30)
    g_string_append (out, g_test_rand_bit () ? "^" : "\\A");
  random_pattern (out, 0);
  if (g_test_rand_int_range (0, 100) < 20)
    {
      g_string_append_c (out, '|');
      if (g_test_rand_bit ())
        g_string_append_c (out, '^');
      random_pattern (out, 0);
    }
  r = g_test_rand_int_range (0, 100);
  if (r < 30)
    g_string_append (out, "$");
  else if (r < 36)
    g_string_append (out, "\\z");
  else if (r < 42)
    g_string_append (out, "\\Z");
  else if (r < 46)
    g_string_append (out, "$$");
  else if (r < 50)
    g_string_append (out, g_test_rand_bit () ? "(?:$|a)" : "(?:$|a)b");   /* the second: outside */
  else if (r < 54)
    g_string_insert (out, g_test_rand_int_range (0, (gint32) out->len + 1) , "^");  /* ^ anywhere */
  else if (r < 58)
    g_string_insert (out, 0, outside[g_test_rand_int_range (0, G_N_ELEMENTS (outside))]);
  return g_string_free (out, FALSE);
}

static char *
random_text (gsize *length)
{
  static const char alphabet[] = "abcx.-@_07 \n\t\r\v\fA}]#$^\\";
  /* Mostly short, as values are; some past the DFA's 16-byte steps. */
  int n = g_test_rand_int_range (0, 5) == 0 ? g_test_rand_int_range (10, 50) : g_test_rand_int_range (0, 10);
  char *text = g_malloc (n + 1);

  for (int i = 0; i < n; i++)
    text[i] = alphabet[g_test_rand_int_range (0, sizeof alphabet - 1)];
  /* A final "\n" now and then: where "$" and \z differ. */
  if (n > 0 && g_test_rand_int_range (0, 4) == 0)
    text[n - 1] = '\n';
  text[n] = '\0';
  *length = (gsize) n;
  return text;
}

/* A DFA, in either form (setl-builtin-dfa.h), on texts one by one and as
 * a column (four values in step), against PCRE2's @answers. */
static void
check_texts (const char   *source,
             Mode          mode,
             BuiltinDfa   *dfa,
             GString      *strings,
             GArray       *offsets,
             GArray       *answers)
{
  g_autofree guint8 *out = g_malloc (answers->len + 1);
  const char *form = dfa->rows != NULL ? "direct" : "compact";

  for (guint t = 0; t < answers->len; t++)
    {
      const gint32 *o = (const gint32 *) offsets->data;
      const char *text = strings->str + o[t];
      gsize length = (gsize) (o[t + 1] - o[t]);
      int expected = g_array_index (answers, int, t);
      gboolean got;

      if (expected < 0)
        continue;
      got = builtin_dfa_match (dfa, (const guint8 *) text, length);
      if (got != expected)
        {
          g_autofree char *copy = g_strndup (text, length);
          g_autofree char *shown = g_strescape (copy, NULL);

          g_error ("pattern “%s” (%s, %s form) on “%s”: DFA says %d, PCRE2 %d", source,
                   mode == MODE_SEARCH ? "search" : "anchored", form, shown, got, expected);
        }
    }
  /* The batch path gives the same answers. */
  builtin_dfa_match_strings (dfa, (const guint8 *) strings->str, (const gint32 *) offsets->data,
                             answers->len, out);
  for (guint t = 0; t < answers->len; t++)
    if (g_array_index (answers, int, t) >= 0 && out[t] != g_array_index (answers, int, t))
      g_error ("pattern “%s” (%s form): the batch path says %d on value %u, PCRE2 %d", source, form,
               out[t], t, g_array_index (answers, int, t));
}

static void
test_dfa_random (void)
{
  guint n_patterns = g_test_slow () ? 20000 : 4000;
  guint covered = 0, refused = 0, compared = 0, matched = 0, direct = 0;
  g_autoptr(GString) strings = g_string_new (NULL);
  g_autoptr(GArray) offsets = g_array_new (FALSE, TRUE, sizeof (gint32));
  g_autoptr(GArray) answers = g_array_new (FALSE, FALSE, sizeof (int));

  for (guint p = 0; p < n_patterns; p++)
    {
      g_autofree char *pattern = random_top_pattern ();
      Mode mode = (Mode) g_test_rand_int_range (0, N_MODES);
      g_autofree char *source = source_for (pattern, mode);
      pcre2_code *code = pcre2_for (source, mode);
      g_autoptr(BuiltinDfa) dfa = NULL;
      g_autoptr(BuiltinDfa) compact = NULL;

      if (code == NULL)
        continue;   /* not a pattern at all: the check refuses it first */
      dfa = builtin_dfa_new (source, mode != MODE_SEARCH);
      if (dfa == NULL)
        {
          refused++;
          pcre2_code_free (code);
          continue;
        }
      covered++;
      direct += dfa->rows != NULL;
      /* The compact form of the same pattern, as patterns with too many
       * states for the direct table get it. */
      compact = builtin_dfa_new_full (source, mode != MODE_SEARCH, 0);
      g_assert_nonnull (compact);
      g_assert_null (compact->rows);
      g_assert_cmpuint (compact->n_states, ==, dfa->n_states);
      g_string_truncate (strings, 0);
      g_array_set_size (offsets, 1);
      g_array_set_size (answers, 0);
      for (guint t = 0; t < 60; t++)
        {
          gsize length;
          g_autofree char *text = random_text (&length);
          int expected = pcre2_says (code, text, length);
          gint32 end;

          /* The same texts as one column, for the batch path. */
          g_string_append_len (strings, text, (gssize) length);
          end = (gint32) strings->len;
          g_array_append_val (offsets, end);
          g_array_append_val (answers, expected);
          if (expected < 0)
            continue;
          compared++;
          matched += expected;
        }
      check_texts (source, mode, dfa, strings, offsets, answers);
      check_texts (source, mode, compact, strings, offsets, answers);
      pcre2_code_free (code);
    }
  g_test_message ("%u patterns covered by the DFA (%u in the direct form), %u left to PCRE2; "
                  "%u texts compared, %u matching", covered, direct, refused, compared, matched);
  /* Not vacuous: most patterns are in the subset, some are not, and the
   * texts both match and fail. */
  g_assert_cmpuint (covered, >, n_patterns / 2);
  g_assert_cmpuint (refused, >, n_patterns / 50);
  g_assert_cmpuint (matched, >, compared / 10);
  g_assert_cmpuint (matched, <, compared - compared / 10);
  /* Random patterns are small: the direct form, nearly always. */
  g_assert_cmpuint (direct, >, covered - covered / 10);
}

/* The bound on the direct table: a pattern with more states than it
 * allows takes the compact form, one within it the direct form, and
 * both give PCRE2's answers, on long texts too (the early stop every 16
 * bytes). */
static void
test_dfa_forms (void)
{
  /* Texts: for each slot in turn, one of its "|"-separated pieces; the
   * slots over and over for the texts of an alphabet. */
  static const char *const email[] = {
    "j.|b.|J.|j|", "smith|x|smithsmithjones|", "42|7|", "@||@@", "example|corp|examplecorpexample|",
    ".com|.io|.org|.net\n|com|.com.de", NULL
  };
  static const char *const abc[] = { "a|b|ab|ba|aab|c|\n", NULL };
  static const struct {
    const char *pattern;
    Mode mode;
    gboolean direct;
    const char *const *slots;
  } patterns[] = {
    /* the validation benchmark's e-mail pattern: 16 states */
    { "^[a-z]\\.[a-z]+[0-9]+@[a-z]+\\.(com|net|org)$", MODE_MATCH, TRUE, email },
    /* searching for an "a" 8 bytes before the end: 2^8 states and more */
    { "a[ab]{7}$", MODE_SEARCH, FALSE, abc },
    { "(?:a|b)*a[ab]{7}c", MODE_MATCH, FALSE, abc },
    { "[ab]*a[ab]{2}", MODE_FULL, TRUE, abc },
  };
  g_autoptr(GString) strings = g_string_new (NULL);
  g_autoptr(GArray) offsets = g_array_new (FALSE, TRUE, sizeof (gint32));
  g_autoptr(GArray) answers = g_array_new (FALSE, FALSE, sizeof (int));

  for (guint i = 0; i < G_N_ELEMENTS (patterns); i++)
    {
      g_autofree char *source = source_for (patterns[i].pattern, patterns[i].mode);
      gboolean anchored = patterns[i].mode != MODE_SEARCH;
      g_autoptr(BuiltinDfa) dfa = builtin_dfa_new (source, anchored);
      g_autoptr(BuiltinDfa) at_bound = NULL, over_bound = NULL;
      pcre2_code *code = pcre2_for (source, patterns[i].mode);
      gsize bound;
      guint matched = 0;

      g_assert_nonnull (dfa);
      g_assert_nonnull (code);
      g_assert_cmpint (dfa->rows != NULL, ==, patterns[i].direct);
      /* Exactly the size of the direct table is within the bound. */
      bound = dfa->n_states * sizeof (BuiltinDfaRow);
      g_assert_cmpint (bound <= BUILTIN_DFA_MAX_DIRECT_BYTES, ==, patterns[i].direct);
      at_bound = builtin_dfa_new_full (source, anchored, bound);
      over_bound = builtin_dfa_new_full (source, anchored, bound - 1);
      g_assert_nonnull (at_bound->rows);
      g_assert_null (over_bound->rows);

      g_string_truncate (strings, 0);
      g_array_set_size (offsets, 1);
      g_array_set_size (answers, 0);
      for (guint t = 0; t < 2000; t++)
        {
          const char *const *slots = patterns[i].slots;
          int n = slots[1] != NULL ? 1 :
                  g_test_rand_int_range (0, 4) == 0 ? g_test_rand_int_range (10, 40) : g_test_rand_int_range (0, 8);
          gsize start = strings->len;
          gint32 end;
          int expected;

          for (int k = 0; k < n; k++)
            for (guint slot = 0; slots[slot] != NULL; slot++)
              {
                g_auto(GStrv) pieces = g_strsplit (slots[slot], "|", -1);

                g_string_append (strings, pieces[g_test_rand_int_range (0, (gint32) g_strv_length (pieces))]);
              }
          end = (gint32) strings->len;
          expected = pcre2_says (code, strings->str + start, strings->len - start);
          g_assert_cmpint (expected, >=, 0);
          g_array_append_val (offsets, end);
          g_array_append_val (answers, expected);
          matched += expected;
        }
      /* Not vacuous: both answers occur. */
      g_test_message ("%s: %u states, %u of %u texts matching", source, dfa->n_states, matched, answers->len);
      g_assert_cmpuint (matched, >, 0);
      g_assert_cmpuint (matched, <, answers->len);
      check_texts (source, patterns[i].mode, dfa, strings, offsets, answers);
      check_texts (source, patterns[i].mode, at_bound, strings, offsets, answers);
      check_texts (source, patterns[i].mode, over_bound, strings, offsets, answers);
      pcre2_code_free (code);
    }
}

static void
test_dfa_cases (void)
{
  static const struct { const char *pattern; Mode mode; const char *text; gboolean match; } cases[] = {
    { "^[a-z]\\.[a-z]+[0-9]+@[a-z]+\\.(com|net|org)$", MODE_MATCH, "j.smith42@example.com", TRUE },
    { "^[a-z]\\.[a-z]+[0-9]+@[a-z]+\\.(com|net|org)$", MODE_MATCH, "j.smith42@example.com\n", TRUE },
    { "^[a-z]\\.[a-z]+[0-9]+@[a-z]+\\.(com|net|org)$", MODE_MATCH, "j.smith42@example.comx", FALSE },
    { "^[a-z]\\.[a-z]+[0-9]+@[a-z]+\\.(com|net|org)$", MODE_MATCH, "j.smith42@web.de", FALSE },
    { "^[a-z]\\.[a-z]+[0-9]+@[a-z]+\\.(com|net|org)$", MODE_MATCH, "j.smith@example.com", FALSE },
    { "b+", MODE_MATCH, "abc", FALSE },            /* re.match: at the start only */
    { "b+", MODE_SEARCH, "abc", TRUE },
    { "b+", MODE_FULL, "bbc", FALSE },
    { "b+", MODE_FULL, "bb", TRUE },
    { "b+", MODE_FULL, "bb\n", FALSE },            /* fullmatch: \z, not $ */
    { "a$", MODE_SEARCH, "xa\n", TRUE },
    { "a\\z", MODE_SEARCH, "xa\n", FALSE },
    { "a\\Z", MODE_SEARCH, "xa\n", TRUE },
    { "a$", MODE_SEARCH, "xa\n\n", FALSE },
    { "^a", MODE_SEARCH, "ba", FALSE },
    { "", MODE_MATCH, "", TRUE },
    { "", MODE_FULL, "x", FALSE },
    { "a|", MODE_MATCH, "x", TRUE },
    { "(?:ab){2,3}c", MODE_MATCH, "ababc", TRUE },
    { "(?:ab){2,3}c", MODE_MATCH, "abc", FALSE },
    { "(?:ab){2,3}c", MODE_MATCH, "ababababc", FALSE },
    { "x{0,1}y", MODE_FULL, "y", TRUE },
    { "[]a-]+", MODE_FULL, "]-a", TRUE },
    { "[^\\n]*", MODE_FULL, "ab\n", FALSE },
    { ".*", MODE_FULL, "ab\n", FALSE },
    { "\\s\\S\\w\\W\\d\\D", MODE_MATCH, "\v!_ 0x", TRUE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *source = source_for (cases[i].pattern, cases[i].mode);
      g_autoptr(BuiltinDfa) dfa = builtin_dfa_new (source, cases[i].mode != MODE_SEARCH);
      pcre2_code *code = pcre2_for (source, cases[i].mode);
      gsize length = strlen (cases[i].text);

      g_assert_nonnull (dfa);
      g_assert_nonnull (code);
      /* The expected answers are PCRE2's (checked here) and Python's re. */
      g_assert_cmpint (pcre2_says (code, cases[i].text, length), ==, cases[i].match);
      g_assert_cmpint (builtin_dfa_match (dfa, (const guint8 *) cases[i].text, length), ==, cases[i].match);
      pcre2_code_free (code);
    }
}

static void
test_dfa_outside (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (outside); i++)
    {
      g_autoptr(BuiltinDfa) dfa = builtin_dfa_new (outside[i], TRUE);

      if (dfa != NULL)
        g_error ("“%s” is outside the DFA's subset but was compiled", outside[i]);
    }
  /* Past the state limits: PCRE2's. */
  g_assert_null (builtin_dfa_new ("(?:a{1000}){1000}", TRUE));
  g_assert_null (builtin_dfa_new ("[ab]*a[ab]{20}", FALSE));
  /* Non-ASCII text never matches the DFA (callers give it to PCRE2), in
   * either form. */
  for (gsize bound = 0; bound <= BUILTIN_DFA_MAX_DIRECT_BYTES; bound += BUILTIN_DFA_MAX_DIRECT_BYTES)
    {
      g_autoptr(BuiltinDfa) dfa = builtin_dfa_new_full ("a.b", TRUE, bound);

      g_assert_nonnull (dfa);
      g_assert_true ((dfa->rows != NULL) == (bound > 0));
      g_assert_true (builtin_dfa_match (dfa, (const guint8 *) "axb", 3));
      g_assert_false (builtin_dfa_match (dfa, (const guint8 *) "a\xc3\xa9" "b", 4));
      g_assert_false (builtin_dfa_match (dfa, (const guint8 *) "a\xff" "b", 3));
    }
}

/* ---- the checks, through the plugin --------------------------------------- */

static const char *const check_patterns[] = {
  "[a-z]+\\d", "^b", "a.c$", "(?:é|a)b", "\\w+@\\w+\\.(com|org)$", "[^a]", "x*", "é+", ".",
  "(a)\\1", "(?i)AB",   /* the last two: PCRE2 alone */
};

static char *
random_value (void)
{
  static const char *const pieces[] = { "a", "b", "c", "x", "1", "@", ".", "com", "org", "é", "ü", "\n", "ab", "AB" };
  GString *s = g_string_new (NULL);
  int n = g_test_rand_int_range (0, 6);

  for (int i = 0; i < n; i++)
    g_string_append (s, pieces[g_test_rand_int_range (0, G_N_ELEMENTS (pieces))]);
  return g_string_free (s, FALSE);
}

static void
test_checks_against_pcre2 (void)
{
  static const char *const checks[] = { "str_matches", "str_contains", "pattern" };
  static const Mode modes[] = { MODE_MATCH, MODE_SEARCH, MODE_FULL };

  for (guint round = 0; round < 4; round++)
    for (guint p = 0; p < G_N_ELEMENTS (check_patterns); p++)
      for (guint c = 0; c < G_N_ELEMENTS (checks); c++)
        {
          /* Round 0: only ASCII values (the batch path); then mixed. */
          guint n_rows = 300;
          g_autoptr(SetlColumnBuilder) builder = setl_column_builder_new (SETL_DATA_TYPE_STRING);
          g_autoptr(SetlField) field = setl_field_new ("s", SETL_DATA_TYPE_STRING, FALSE);
          g_autoptr(SetlColumn) column = NULL;
          g_autoptr(SetlRecordBatch) batch = NULL;
          g_autoptr(SetlTable) table = NULL;
          g_autoptr(SetlValidator) validator = NULL;
          g_autoptr(SetlValidationReport) report = NULL;
          g_autoptr(GError) error = NULL;
          g_autoptr(JsonNode) pattern_json = json_node_new (JSON_NODE_VALUE);
          g_autofree char *pattern_text = NULL, *schema = NULL, *source = source_for (check_patterns[p], modes[c]);
          pcre2_code *code = pcre2_for (source, modes[c]);
          gint64 expected = 0;

          g_assert_nonnull (code);
          for (guint r = 0; r < n_rows;)
            {
              g_autofree char *value = random_value ();

              if (round == 0 && !g_str_is_ascii (value))
                continue;
              setl_column_builder_append_string (builder, value, -1);
              int says = pcre2_says (code, value, strlen (value));

              g_assert_cmpint (says, >=, 0);   /* no pathological pattern here */
              expected += !says;
              r++;
            }
          pcre2_code_free (code);
          column = setl_column_builder_finish (builder, &error);
          g_assert_no_error (error);
          batch = setl_record_batch_new (&field, 1, &column, 1, &error);
          g_assert_no_error (error);
          table = setl_table_new_from_batch (batch);

          json_node_set_string (pattern_json, check_patterns[p]);
          pattern_text = json_to_string (pattern_json, FALSE);
          schema = g_strdup_printf ("{\"name\": \"s\", \"columns\": [{\"name\": \"s\", \"type\": \"string\","
                                    " \"checks\": [{\"%s\": %s}]}]}", checks[c], pattern_text);
          validator = vt_validator_new (schema, &error);
          g_assert_no_error (error);
          setl_validator_set_lazy (validator, TRUE);
          report = setl_validator_validate (validator, SETL_BATCH_STREAM (table), NULL, &error);
          g_assert_no_error (error);
          if (setl_validation_report_count (report, SETL_VALIDATION_REASON_CHECK_FAILED, "s", NULL) != expected)
            g_error ("%s %s: %" G_GINT64_FORMAT " failures, PCRE2 says %" G_GINT64_FORMAT, checks[c],
                     pattern_text, setl_validation_report_count (report, SETL_VALIDATION_REASON_CHECK_FAILED, "s", NULL),
                     expected);
        }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/validation/regex-dfa/against-pcre2-random", test_dfa_random);
  g_test_add_func ("/validation/regex-dfa/direct-and-compact", test_dfa_forms);
  g_test_add_func ("/validation/regex-dfa/cases", test_dfa_cases);
  g_test_add_func ("/validation/regex-dfa/outside-subset", test_dfa_outside);
  g_test_add_func ("/validation/regex-dfa/checks-against-pcre2", test_checks_against_pcre2);
  return g_test_run ();
}
