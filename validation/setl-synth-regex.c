/* setl-synth-regex.c: strings a regular expression matches, for the
 * synthesizer to try on a check with a pattern and no synthesis hook of
 * its own (str_matches, str_contains, pattern, or any check with a
 * `pattern` property).
 *
 * A small generator for the regular expressions schemas use: literals,
 * escapes (\d \w \s and escaped characters), classes ([a-z0-9_], negated
 * ones over printable ASCII), `.`, groups with alternatives, the
 * quantifiers * + ? {m} {m,} {m,n}, and ^ $ anchors. Anything else
 * (back-references, look-arounds) gives up: the caller draws otherwise.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "setl-synth-regex.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
  const char *p;
  GRand *rand;
  GString *out;
  int depth;
  gboolean failed;
} RegexSample;

static void sample_alternatives (RegexSample *rs, gboolean emit);

static void
class_add_range (gboolean *set, int lo, int hi)
{
  for (int c = lo; c <= hi && c < 128; c++)
    if (c >= 0)
      set[c] = TRUE;
}

static gboolean
class_escape (gboolean *set, char e)
{
  switch (e)
    {
    case 'd': class_add_range (set, '0', '9'); return TRUE;
    case 'w': class_add_range (set, 'a', 'z'); class_add_range (set, 'A', 'Z');
              class_add_range (set, '0', '9'); set['_'] = TRUE; return TRUE;
    case 's': set[' '] = TRUE; return TRUE;
    case 'D': case 'W': case 'S': case 'b': case 'B': return FALSE;
    default:
      if (g_ascii_isalnum (e))
        return FALSE;   /* \n, \t, \1…: not supported */
      set[(guchar) e & 0x7f] = TRUE;
      return TRUE;
    }
}

/* One atom into @set (the characters it may be); FALSE for a group,
 * handled by the caller. */
static gboolean
parse_atom_class (RegexSample *rs, gboolean *set)
{
  char c = *rs->p;

  if (c == '.')
    {
      rs->p++;
      class_add_range (set, 'a', 'z');
      class_add_range (set, '0', '9');
      return TRUE;
    }
  if (c == '\\')
    {
      rs->p++;
      if (*rs->p == '\0' || !class_escape (set, *rs->p))
        rs->failed = TRUE;
      else
        rs->p++;
      return TRUE;
    }
  if (c == '[')
    {
      gboolean negate = FALSE, inner[128] = { FALSE };

      rs->p++;
      if (*rs->p == '^')
        {
          negate = TRUE;
          rs->p++;
        }
      if (*rs->p == ']')
        {
          inner[']'] = TRUE;
          rs->p++;
        }
      while (*rs->p && *rs->p != ']')
        {
          int lo = (guchar) *rs->p;

          if (lo == '\\')
            {
              rs->p++;
              if (*rs->p == '\0' || !class_escape (inner, *rs->p))
                {
                  rs->failed = TRUE;
                  return TRUE;
                }
              rs->p++;
              continue;
            }
          rs->p++;
          if (*rs->p == '-' && rs->p[1] && rs->p[1] != ']')
            {
              class_add_range (inner, lo, (guchar) rs->p[1]);
              rs->p += 2;
            }
          else
            class_add_range (inner, lo, lo);
        }
      if (*rs->p != ']')
        {
          rs->failed = TRUE;
          return TRUE;
        }
      rs->p++;
      for (int k = 0x21; k < 0x7f; k++)
        set[k] = negate ? !inner[k] : inner[k];
      if (!negate)
        for (int k = 0; k < 0x21; k++)
          set[k] = inner[k];
      return TRUE;
    }
  if (c == '(')
    return FALSE;
  if (strchr ("*+?{|)", c) != NULL)
    {
      rs->failed = TRUE;
      return TRUE;
    }
  rs->p++;
  set[(guchar) c & 0x7f] = TRUE;
  return TRUE;
}

static void
parse_quantifier (RegexSample *rs, int *lo, int *hi)
{
  *lo = *hi = 1;
  switch (*rs->p)
    {
    case '*': *lo = 0; *hi = 3; rs->p++; break;
    case '+': *lo = 1; *hi = 4; rs->p++; break;
    case '?': *lo = 0; *hi = 1; rs->p++; break;
    case '{':
      {
        char *end = NULL;
        long m = strtol (rs->p + 1, &end, 10);

        if (end == rs->p + 1 || m < 0 || m > 1000)
          {
            rs->failed = TRUE;
            return;
          }
        *lo = *hi = (int) m;
        if (*end == ',')
          {
            char *end2 = NULL;
            long n = strtol (end + 1, &end2, 10);

            *hi = end2 == end + 1 ? (int) m + 4 : (int) n;
            end = end2;
          }
        if (*end != '}' || *hi < *lo)
          {
            rs->failed = TRUE;
            return;
          }
        rs->p = end + 1;
      }
      break;
    default:
      return;
    }
  if (*rs->p == '?' || *rs->p == '+')
    rs->p++;   /* lazy or possessive: the same strings */
}

/* One sequence, up to | or ) or the end. */
static void
sample_sequence (RegexSample *rs, gboolean emit)
{
  while (!rs->failed && *rs->p && *rs->p != '|' && *rs->p != ')')
    {
      gboolean set[128] = { FALSE };
      const char *group = NULL;
      int lo, hi, n;

      if (*rs->p == '^' || *rs->p == '$')
        {
          rs->p++;
          continue;
        }
      if (!parse_atom_class (rs, set))
        {
          /* a group: remember where it starts, skip it once to find the
           * quantifier, then sample it n times */
          rs->p++;
          if (*rs->p == '?')
            {
              if (rs->p[1] != ':')
                {
                  rs->failed = TRUE;
                  return;
                }
              rs->p += 2;
            }
          group = rs->p;
          if (++rs->depth > 32)
            {
              rs->failed = TRUE;
              return;
            }
          sample_alternatives (rs, FALSE);
          rs->depth--;
          if (rs->failed || *rs->p != ')')
            {
              rs->failed = TRUE;
              return;
            }
          rs->p++;
        }
      if (rs->failed)
        return;
      parse_quantifier (rs, &lo, &hi);
      if (rs->failed)
        return;
      n = lo + (hi > lo ? g_rand_int_range (rs->rand, 0, hi - lo + 1) : 0);
      for (int k = 0; k < n && emit; k++)
        {
          if (group != NULL)
            {
              const char *after = rs->p;

              rs->p = group;
              rs->depth++;
              sample_alternatives (rs, TRUE);
              rs->depth--;
              rs->p = after;
              if (rs->failed)
                return;
            }
          else
            {
              int choices[128], m = 0;

              for (int c = 0; c < 128; c++)
                if (set[c])
                  choices[m++] = c;
              if (m == 0)
                {
                  rs->failed = TRUE;
                  return;
                }
              g_string_append_c (rs->out, (char) choices[g_rand_int_range (rs->rand, 0, m)]);
            }
        }
    }
}

/* Alternatives a|b|c up to ) or the end: one is sampled (when @emit), all
 * are parsed. */
static void
sample_alternatives (RegexSample *rs, gboolean emit)
{
  const char *starts[64];
  int n = 0, pick;
  const char *end;

  /* Find the alternatives' starts by parsing them without output. */
  starts[n++] = rs->p;
  sample_sequence (rs, FALSE);
  while (!rs->failed && *rs->p == '|')
    {
      rs->p++;
      if (n == G_N_ELEMENTS (starts))
        {
          rs->failed = TRUE;
          return;
        }
      starts[n++] = rs->p;
      sample_sequence (rs, FALSE);
    }
  if (rs->failed || !emit)
    return;
  end = rs->p;
  pick = g_rand_int_range (rs->rand, 0, n);
  rs->p = starts[pick];
  sample_sequence (rs, TRUE);
  rs->p = end;
}

/* A string @pattern matches, or NULL if the pattern is beyond this
 * generator. */
char *
_setl_synth_regex_sample (const char *pattern,
                          GRand      *rand)
{
  RegexSample rs = { pattern, rand, g_string_new (NULL), 0, FALSE };

  sample_alternatives (&rs, TRUE);
  if (rs.failed || *rs.p != '\0')
    {
      g_string_free (rs.out, TRUE);
      return NULL;
    }
  return g_string_free (rs.out, FALSE);
}
