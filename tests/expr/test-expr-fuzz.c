/* test-expr-fuzz.c: thousands of random and mutated inputs through the
 * parser, checker and evaluator, deterministically (fixed seeds). Run it
 * under AddressSanitizer to catch what does not crash outright.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "expr-fuzz-common.h"

static const char *const seeds[] = {
  "i >= 18 and s = 'Paris'",
  "i + 1 > d * 2.5 or s is null",
  "not (b and i in (1, 2, null)) or t between '2000-01-01' and ts",
  "coalesce(i, $n, -9223372036854775808) % 7 = 3",
  "lower(s) || upper(s) = 'x' and length(s) >= $n",
  "matches(s, $p) or contains(s, 'a') or starts_with(s, '') or ends_with(s, 'y')",
  "cast(s as int64) > 0 or try_cast(s as date) is not null",
  "s::double / 0 = d::int64::double",
  "abs(i) - -i * i / $z",
  "\"s\" not in ('a', 'é', $unset) and ts > timestamp '2024-01-31T10:00:00+02:00'",
  "date '2024-02-29' = t or i::string::bool",
  "(((i)))",
  "$flag and $x < 1e300",
};

static const char *const pieces[] = {
  " ", "(", ")", ",", "'", "''", "\"", "$", "::", "||", "-", "+", "*", "/", "%",
  "=", "!=", "<>", "<", "<=", ">", ">=", "and", "or", "not", "is", "null", "in",
  "between", "true", "false", "cast", "as", "int64", "date", "timestamp", "i",
  "d", "s", "b", "t", "ts", "$n", "$x", "$p", "$z", "$flag", "0", "1.5",
  "9223372036854775807", "'2024-01-31'", "length(", "lower(", "matches(",
  "coalesce(", "try_cast(", "\xc3\xa9", "\xff", "\n", "\t", "\0",
};

static void
insert_bytes (GByteArray   *array,
              guint         at,
              const guint8 *bytes,
              gsize         len)
{
  guint old = array->len;

  g_byte_array_set_size (array, old + (guint) len);
  memmove (array->data + at + len, array->data + at, old - at);
  memcpy (array->data + at, bytes, len);
}

static void
mutate (GRand  *rand,
        GByteArray *text)
{
  guint op = g_rand_int_range (rand, 0, 4);
  guint at = text->len ? g_rand_int_range (rand, 0, (gint32) text->len + 1) : 0;

  switch (op)
    {
    case 0:   /* insert a piece */
      {
        const char *piece = pieces[g_rand_int_range (rand, 0, G_N_ELEMENTS (pieces))];
        gsize len = piece[0] == '\0' ? 1 : strlen (piece);
        insert_bytes (text, at, (const guint8 *) piece, len);
        break;
      }
    case 1:   /* delete a run */
      if (text->len > 0 && at < text->len)
        {
          guint want = (guint) g_rand_int_range (rand, 1, 6);
          g_byte_array_remove_range (text, at, MIN (want, text->len - at));
        }
      break;
    case 2:   /* flip a byte */
      if (text->len > 0 && at < text->len)
        text->data[at] = (guint8) g_rand_int_range (rand, 0, 256);
      break;
    default:  /* duplicate a run */
      if (text->len > 0 && at < text->len)
        {
          guint want = (guint) g_rand_int_range (rand, 1, 12);
          guint len = MIN (want, text->len - at);
          g_autofree guint8 *copy = g_memdup2 (text->data + at, len);
          insert_bytes (text, g_rand_int_range (rand, 0, (gint32) text->len + 1), copy, len);
        }
    }
}

static void
test_random_bytes (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (20240131);

  for (int k = 0; k < 3000; k++)
    {
      guint8 bytes[48];
      guint len = g_rand_int_range (rand, 0, sizeof bytes);

      for (guint i = 0; i < len; i++)
        bytes[i] = (guint8) g_rand_int_range (rand, 0, 256);
      fuzz_expr_one (bytes, len);
    }
}

static void
test_random_tokens (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);

  for (int k = 0; k < 4000; k++)
    {
      GString *text = g_string_new (NULL);
      guint n = g_rand_int_range (rand, 1, 16);

      for (guint i = 0; i < n; i++)
        {
          g_string_append (text, pieces[g_rand_int_range (rand, 0, G_N_ELEMENTS (pieces) - 1)]);
          g_string_append_c (text, ' ');
        }
      fuzz_expr_one ((const guint8 *) text->str, text->len);
      g_string_free (text, TRUE);
    }
}

static void
test_mutated_seeds (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);
  guint parsed = 0;

  fuzz_n_evaluated = 0;

  for (guint s = 0; s < G_N_ELEMENTS (seeds); s++)
    {
      GByteArray *text = g_byte_array_new ();

      g_byte_array_append (text, (const guint8 *) seeds[s], strlen (seeds[s]));
      /* Seeds themselves are well formed and go all the way through. */
      {
        g_autoptr(SetlExpr) expr = setl_expr_parse (seeds[s], NULL);
        g_assert_nonnull (expr);
        parsed++;
      }
      {
        guint before = fuzz_n_evaluated;
        fuzz_expr_one (text->data, text->len);
        if (fuzz_n_evaluated != before + 1)
          g_error ("seed %s does not check", seeds[s]);
      }
      /* Mostly one or two mutations away from the seed, so that many
       * inputs still parse and reach the checker and the evaluator; now
       * and then a long walk of accumulated mutations. */
      for (int k = 0; k < 600; k++)
        {
          guint n_mutations = k % 10 == 9 ? 30 : (guint) g_rand_int_range (rand, 1, 3);

          g_byte_array_set_size (text, 0);
          g_byte_array_append (text, (const guint8 *) seeds[s], strlen (seeds[s]));
          for (guint m = 0; m < n_mutations; m++)
            mutate (rand, text);
          fuzz_expr_one (text->data, text->len);
        }
      g_byte_array_unref (text);
    }
  g_assert_cmpuint (parsed, ==, G_N_ELEMENTS (seeds));
  /* Mutations must not all die in the parser: many reach evaluation. */
  g_test_message ("%u inputs evaluated", fuzz_n_evaluated);
  g_assert_cmpuint (fuzz_n_evaluated, >, 300);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/expr/fuzz/random-bytes", test_random_bytes);
  g_test_add_func ("/expr/fuzz/random-tokens", test_random_tokens);
  g_test_add_func ("/expr/fuzz/mutated-seeds", test_mutated_seeds);

  return g_test_run ();
}
