/* test-jsonl-fuzz.c: the JSON Lines reader on thousands of random and
 * mutated lines (fixed seed): it must either read them or fail with an
 * error naming the file and line — never crash, leak or read out of
 * bounds (run under AddressSanitizer by the sanitizer pass).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "jsonl-test-util.h"

#define N_FILES 150
#define LINES_PER_FILE 25

static const char *const fragments[] = {
  "{", "}", "[", "]", ":", ",", "\"", "\\", "\\u", "\\ud83d", "\\ude00", "\\u00e9", "null", "true",
  "false", "0", "-1", "1.5e308", "1e999", "-0.0", "9223372036854775807", "9223372036854775808",
  "-9223372036854775809", "\"k\"", "\"a\"", "\"é\"", " ", "\t", "\r", "\n", "\xff", "\xc3", "\x00",
  "{\"a\":1}", "[1,[2,{\"x\":null}]]", "\"2024-01-31\"", "\"2024-01-31T10:00:00Z\"", "NaN", "\"NaN\"",
};

static void
random_value (GRand *rand, GString *s, int depth)
{
  switch (g_rand_int_range (rand, 0, depth > 3 ? 5 : 7))
    {
    case 0: g_string_append (s, "null"); break;
    case 1: g_string_append_printf (s, "%" G_GINT64_FORMAT, (gint64) g_rand_int (rand) * (g_rand_boolean (rand) ? 1 : -1) * (gint64) g_rand_int_range (rand, 1, 1 << 30)); break;
    case 2: g_string_append_printf (s, "%.17g", g_rand_double_range (rand, -1e6, 1e6)); break;
    case 3: g_string_append (s, g_rand_boolean (rand) ? "true" : "false"); break;
    case 4:
      g_string_append_c (s, '"');
      for (int i = g_rand_int_range (rand, 0, 8); i > 0; i--)
        g_string_append (s, (const char *[]) { "a", "é", "\\n", "\\\"", "\\u0041", "😀", " ", "\\\\" }[g_rand_int_range (rand, 0, 8)]);
      g_string_append_c (s, '"');
      break;
    case 5:
      g_string_append_c (s, '[');
      for (int i = g_rand_int_range (rand, 0, 3); i > 0; i--)
        {
          random_value (rand, s, depth + 1);
          if (i > 1)
            g_string_append_c (s, ',');
        }
      g_string_append_c (s, ']');
      break;
    default:
      g_string_append (s, "{\"n\":");
      random_value (rand, s, depth + 1);
      g_string_append_c (s, '}');
    }
}

static void
random_line (GRand *rand, GString *s)
{
  g_string_append_c (s, '{');
  for (int i = g_rand_int_range (rand, 0, 5); i > 0; i--)
    {
      g_string_append_printf (s, "\"%c\":", 'a' + g_rand_int_range (rand, 0, 6));
      random_value (rand, s, 0);
      if (i > 1)
        g_string_append_c (s, ',');
    }
  g_string_append_c (s, '}');
}

static void
mutate (GRand *rand, GString *s)
{
  for (int m = g_rand_int_range (rand, 1, 4); m > 0; m--)
    {
      gsize at = s->len ? (gsize) g_rand_int_range (rand, 0, (gint32) s->len) : 0;
      switch (g_rand_int_range (rand, 0, 4))
        {
        case 0:   /* flip a byte */
          if (s->len)
            s->str[at] = (char) g_rand_int_range (rand, 1, 256);
          break;
        case 1:   /* cut */
          g_string_truncate (s, at);
          break;
        case 2:   /* insert a fragment (a NUL among them) */
          {
            const char *f = fragments[g_rand_int_range (rand, 0, G_N_ELEMENTS (fragments))];
            g_string_insert_len (s, (gssize) at, f, f[0] ? (gssize) strlen (f) : 1);
          }
          break;
        default:  /* delete a run */
          {
            gssize n = g_rand_int_range (rand, 0, 5);
            g_string_erase (s, (gssize) at, MIN ((gssize) (s->len - at), n));
          }
        }
    }
}

static void
test_fuzz (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (20240531);
  g_autofree char *dir = tmp_dir ();
  const char *schemas[] = { NULL, "a:int64,b:double,c:string,d:bool,e:date,f:timestamp", "a:string,b:string" };
  guint ok = 0, failed = 0;

  for (guint f = 0; f < N_FILES; f++)
    {
      g_autoptr(GString) content = g_string_new (NULL);
      g_autofree char *path = NULL;
      gboolean mutated = f % 3 != 0;   /* a third of the files are valid */
      const char *schema = schemas[f % G_N_ELEMENTS (schemas)];
      g_autoptr(GError) error = NULL;
      g_autoptr(SetlTable) t = NULL;
      guint infer_rows;

      for (guint l = 0; l < LINES_PER_FILE; l++)
        {
          g_autoptr(GString) line = g_string_new (NULL);
          random_line (rand, line);
          if (mutated && g_rand_int_range (rand, 0, 4) == 0)
            mutate (rand, line);
          g_string_append_len (content, line->str, (gssize) line->len);
          g_string_append (content, g_rand_boolean (rand) ? "\n" : "\r\n");
        }
      path = write_file (dir, "fuzz.jsonl", content->str, (gssize) content->len);
      infer_rows = (guint) g_rand_int_range (rand, 0, 30);
      t = read_jsonl (path, schema, (guint) g_rand_int_range (rand, 1, 10), infer_rows, &error);
      if (t != NULL)
        {
          g_autofree char *out = g_build_filename (dir, "out.jsonl", NULL);
          g_autoptr(SetlTable) back = NULL;
          g_autoptr(GError) werr = NULL;

          g_assert_no_error (error);
          ok++;
          /* whatever was read writes and reads back the same */
          g_assert_cmpint (write_jsonl (t, out, &werr), ==, setl_table_get_n_rows (t));
          g_assert_no_error (werr);
          if (setl_table_get_n_columns (t) > 0)
            {
              g_autoptr(GString) s = g_string_new (NULL);
              for (guint c = 0; c < setl_table_get_n_columns (t); c++)
                {
                  SetlField *field = setl_table_get_field (t, c);
                  g_string_append_printf (s, "%s%s:%s", c ? "," : "", setl_field_get_name (field),
                                          setl_data_type_to_string (setl_field_get_data_type (field)));
                }
              back = read_jsonl (out, s->str, 1 << 20, 0, &werr);
              g_assert_no_error (werr);
              g_assert_cmpint (setl_table_get_n_rows (back), ==, setl_table_get_n_rows (t));
            }
        }
      else
        {
          g_assert_nonnull (error);
          /* errors name the file */
          if (strstr (error->message, path) == NULL)
            g_error ("error without the file name: %s", error->message);
          failed++;
          /* a valid file inferred from all its lines always reads */
          if (!mutated && schema == NULL && infer_rows == 0)
            g_error ("a valid file failed: %s", error->message);
        }
    }
  g_test_message ("%u files read, %u refused", ok, failed);
  g_assert_cmpuint (ok, >, 0);
  g_assert_cmpuint (failed, >, 0);
  rm_dir (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/jsonl/fuzz/random-and-mutated-lines", test_fuzz);
  return g_test_run ();
}
