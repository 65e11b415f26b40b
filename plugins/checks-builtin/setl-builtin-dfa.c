/* setl-builtin-dfa.c: a deterministic automaton for the simple regular
 * expressions of string checks, matched on ASCII text.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* Why: a schema's regex runs on every value of a column, and the values
 * are short (an e-mail address, a code): even JIT-compiled, a PCRE2 match
 * costs ~100 instructions of call and set-up before the first byte, and
 * ~400 a value in all on the validation benchmark's e-mail pattern. Most
 * schema patterns are regular in the strict sense (classes, literals,
 * alternation, quantifiers, anchors), and for those a DFA decides "is
 * there a match" in one table lookup a byte, with no backtracking and no
 * call.
 *
 * How: the pattern is parsed into a small syntax tree, compiled into a
 * Thompson NFA, and turned into a DFA by subset construction, eagerly
 * (patterns are small; the construction gives up past MAX_DFA_STATES and
 * PCRE2 does the work). Bytes are grouped into classes that no character
 * set of the pattern tells apart, so a row of the table has a column per
 * class, not per byte. Patterns with few states (nearly all) then get a
 * table by byte, whose step is a single load (setl-builtin-dfa.h): the
 * classes are how it is built, and the form that bigger automata keep.
 *
 * Semantics are PCRE2's as the regex checks compile it (PCRE2_UTF without
 * PCRE2_UCP, so \d \w \s are ASCII; "." is anything but "\n"; "$" and \Z
 * match at the end or before a final "\n", \z only at the end; ^ and \A
 * only at the start), for ASCII text: callers pass other text to PCRE2, so
 * Unicode stays PCRE2's business. Only "is there a match" is decided, so
 * greedy and lazy quantifiers are the same thing here. Anything whose
 * meaning would need care (back-references, lookaround, \b, option
 * settings, POSIX classes, possessive quantifiers, "$" followed by more
 * pattern) makes builtin_dfa_new() return NULL. tests/validation/
 * test-regex-dfa.c compares this with PCRE2 on random patterns and text. */
#include "setl-builtin-dfa.h"

#include <string.h>

#define MAX_NFA_STATES 4096
#define MAX_DFA_STATES 2048
#define MAX_REPEAT 1000
/* NFA states visited while building, at most: a schema's pattern must not
 * make loading it slow (PCRE2 takes over past this). */
#define MAX_WORK (G_GUINT64_CONSTANT (1) << 26)

/* ---- syntax tree ---------------------------------------------------------- */

typedef enum {
  N_EMPTY,
  N_SET,     /* one byte of a set */
  N_CAT,     /* a then b */
  N_ALT,     /* a or b */
  N_REPEAT,  /* a, min to max times (max -1: no limit) */
  N_BOL,     /* ^ \A */
  N_EOL,     /* $ \Z */
  N_EOS,     /* \z */
} NodeKind;

typedef struct {
  guint64 bits[2];   /* bytes 0-127 */
} Set;

typedef struct {
  NodeKind kind;
  int a, b;
  int min, max;
  Set set;
} Node;

typedef struct {
  const char *p, *end;
  GArray *nodes;     /* (element-type Node) */
  gboolean ok;
} Parser;

static void
set_add (Set *set, guint c)
{
  set->bits[c >> 6] |= G_GUINT64_CONSTANT (1) << (c & 63);
}

static void
set_add_range (Set *set, guint lo, guint hi)
{
  for (guint c = lo; c <= hi; c++)
    set_add (set, c);
}

static gboolean
set_has (const Set *set, guint c)
{
  return (set->bits[c >> 6] >> (c & 63)) & 1;
}

static void
set_union (Set *set, const Set *other)
{
  set->bits[0] |= other->bits[0];
  set->bits[1] |= other->bits[1];
}

static void
set_negate (Set *set)
{
  set->bits[0] = ~set->bits[0];
  set->bits[1] = ~set->bits[1];
}

static int
add_node (Parser *parser, NodeKind kind, int a, int b)
{
  Node node = { kind, a, b, 0, 0, { { 0, 0 } } };

  g_array_append_val (parser->nodes, node);
  return (int) parser->nodes->len - 1;
}

static int
add_set (Parser *parser, const Set *set)
{
  int n = add_node (parser, N_SET, -1, -1);

  g_array_index (parser->nodes, Node, n).set = *set;
  return n;
}

static int
fail (Parser *parser)
{
  parser->ok = FALSE;
  return -1;
}

/* \d \D \w \W \s \S as sets (PCRE2 without UCP: ASCII); FALSE for another
 * letter. */
static gboolean
class_escape (char c, Set *set)
{
  Set s = { { 0, 0 } };

  switch (g_ascii_tolower (c))
    {
    case 'd':
      set_add_range (&s, '0', '9');
      break;
    case 'w':
      set_add_range (&s, '0', '9');
      set_add_range (&s, 'a', 'z');
      set_add_range (&s, 'A', 'Z');
      set_add (&s, '_');
      break;
    case 's':
      /* space, \t \n \v \f \r: PCRE2's \s includes VT */
      set_add (&s, ' ');
      set_add_range (&s, '\t', '\r');
      break;
    default:
      return FALSE;
    }
  if (g_ascii_isupper (c))
    set_negate (&s);
  *set = s;
  return TRUE;
}

/* A character escape with one meaning in PCRE2 and here; -1 if not one. */
static int
char_escape (char c)
{
  switch (c)
    {
    case 'n': return '\n';
    case 't': return '\t';
    case 'r': return '\r';
    case 'f': return '\f';
    default:
      /* Escaped punctuation is itself; letters and digits have meanings
       * (\1, \b, \x41, \p{…}, \Q…) that are left to PCRE2. */
      if ((guchar) c < 0x80 && !g_ascii_isalnum (c) && c != '\0')
        return (guchar) c;
      return -1;
    }
}

/* One member of a bracket class: a byte (return value) or a set (@set
 * filled, returns -2); -1 on something outside the subset. */
static int
parse_class_member (Parser *parser, Set *set)
{
  char c;

  if (parser->p >= parser->end)
    return -1;
  c = *parser->p++;
  if ((guchar) c >= 0x80)
    return -1;
  if (c != '\\')
    return (guchar) c;
  if (parser->p >= parser->end)
    return -1;
  c = *parser->p++;
  if (class_escape (c, set))
    return -2;
  return char_escape (c);
}

static int
parse_class (Parser *parser)
{
  Set set = { { 0, 0 } };
  gboolean negate = FALSE, first = TRUE;

  if (parser->p < parser->end && *parser->p == '^')
    {
      negate = TRUE;
      parser->p++;
    }
  for (;;)
    {
      Set member = { { 0, 0 } };
      int lo, hi;

      if (parser->p >= parser->end)
        return fail (parser);
      /* "]" first is a member, as in PCRE2. */
      if (*parser->p == ']' && !first)
        {
          parser->p++;
          break;
        }
      /* [:alpha:], [.ch.], [=ch=]: POSIX, left to PCRE2. */
      if (*parser->p == '[' && parser->p + 1 < parser->end &&
          (parser->p[1] == ':' || parser->p[1] == '.' || parser->p[1] == '='))
        return fail (parser);
      first = FALSE;
      lo = parse_class_member (parser, &member);
      if (lo == -1)
        return fail (parser);
      if (parser->p + 1 < parser->end && parser->p[0] == '-' && parser->p[1] != ']')
        {
          parser->p++;
          if (lo == -2)
            return fail (parser);   /* [\d-z]: PCRE2 makes "-" a member; rare */
          hi = parse_class_member (parser, &member);
          if (hi < 0 || hi < lo)
            return fail (parser);
          set_add_range (&set, (guint) lo, (guint) hi);
        }
      else if (lo == -2)
        set_union (&set, &member);
      else
        set_add (&set, (guint) lo);
    }
  if (negate)
    set_negate (&set);
  return add_set (parser, &set);
}

static int parse_alternation (Parser *parser);

static int
parse_atom (Parser *parser)
{
  Set set = { { 0, 0 } };
  char c = *parser->p++;
  int inner, e;

  switch (c)
    {
    case '(':
      if (parser->p < parser->end && *parser->p == '?')
        {
          /* Only (?: …); (?i), (?=…), (?<name>…) and the rest to PCRE2. */
          if (parser->p + 1 >= parser->end || parser->p[1] != ':')
            return fail (parser);
          parser->p += 2;
        }
      inner = parse_alternation (parser);
      if (!parser->ok || parser->p >= parser->end || *parser->p != ')')
        return fail (parser);
      parser->p++;
      return inner;
    case '[':
      return parse_class (parser);
    case '.':
      set_add_range (&set, 0, 127);
      set.bits[0] &= ~(G_GUINT64_CONSTANT (1) << '\n');
      return add_set (parser, &set);
    case '^':
      return add_node (parser, N_BOL, -1, -1);
    case '$':
      return add_node (parser, N_EOL, -1, -1);
    case '\\':
      if (parser->p >= parser->end)
        return fail (parser);
      c = *parser->p++;
      if (c == 'A')
        return add_node (parser, N_BOL, -1, -1);
      if (c == 'Z')
        return add_node (parser, N_EOL, -1, -1);
      if (c == 'z')
        return add_node (parser, N_EOS, -1, -1);
      if (class_escape (c, &set))
        return add_set (parser, &set);
      if ((e = char_escape (c)) < 0)
        return fail (parser);
      set_add (&set, (guint) e);
      return add_set (parser, &set);
    case '*': case '+': case '?': case '{':
      return fail (parser);
    default:
      if ((guchar) c >= 0x80)
        return fail (parser);
      set_add (&set, (guchar) c);
      return add_set (parser, &set);
    }
}

static gboolean
parse_number (Parser *parser, int *value)
{
  int n = 0;

  if (parser->p >= parser->end || !g_ascii_isdigit (*parser->p))
    return FALSE;
  while (parser->p < parser->end && g_ascii_isdigit (*parser->p))
    {
      n = n * 10 + (*parser->p++ - '0');
      if (n > MAX_REPEAT)
        return FALSE;
    }
  *value = n;
  return TRUE;
}

static gboolean
is_quantifier (char c)
{
  return c == '*' || c == '+' || c == '?' || c == '{';
}

static int
parse_repeat (Parser *parser)
{
  int atom = parse_atom (parser), min, max, n;
  NodeKind kind;

  if (!parser->ok || parser->p >= parser->end || !is_quantifier (*parser->p))
    return atom;
  kind = g_array_index (parser->nodes, Node, atom).kind;
  if (kind == N_BOL || kind == N_EOL || kind == N_EOS)
    return fail (parser);
  switch (*parser->p++)
    {
    case '*': min = 0; max = -1; break;
    case '+': min = 1; max = -1; break;
    case '?': min = 0; max = 1; break;
    default:
      /* {m} {m,} {m,n} only; a "{" that is not one is text in PCRE2, and
       * {,n} changed meaning between versions: PCRE2 decides. */
      if (!parse_number (parser, &min))
        return fail (parser);
      max = min;
      if (parser->p < parser->end && *parser->p == ',')
        {
          parser->p++;
          max = -1;
          if (parser->p < parser->end && *parser->p != '}' && (!parse_number (parser, &max) || max < min))
            return fail (parser);
        }
      if (parser->p >= parser->end || *parser->p != '}')
        return fail (parser);
      parser->p++;
      /* An item repeated no times is left to PCRE2, whose answer there is
       * not always the regular one (10.42: "(?:a|.*){0}c" does not find
       * "zc", taken as anchored by the ".*"), so that a check answers
       * alike on ASCII and other text. */
      if (max == 0)
        return fail (parser);
      break;
    }
  /* Lazy is the same as greedy for "is there a match"; possessive is not. */
  if (parser->p < parser->end && *parser->p == '?')
    parser->p++;
  else if (parser->p < parser->end && *parser->p == '+')
    return fail (parser);
  if (parser->p < parser->end && is_quantifier (*parser->p))
    return fail (parser);
  n = add_node (parser, N_REPEAT, atom, -1);
  g_array_index (parser->nodes, Node, n).min = min;
  g_array_index (parser->nodes, Node, n).max = max;
  return n;
}

static int
parse_sequence (Parser *parser)
{
  int left = -1;

  while (parser->ok && parser->p < parser->end && *parser->p != '|' && *parser->p != ')')
    {
      int atom = parse_repeat (parser);

      if (!parser->ok)
        return -1;
      left = left < 0 ? atom : add_node (parser, N_CAT, left, atom);
    }
  return left < 0 ? add_node (parser, N_EMPTY, -1, -1) : left;
}

static int
parse_alternation (Parser *parser)
{
  int left = parse_sequence (parser);

  while (parser->ok && parser->p < parser->end && *parser->p == '|')
    {
      int right;

      parser->p++;
      right = parse_sequence (parser);
      if (!parser->ok)
        return -1;
      left = add_node (parser, N_ALT, left, right);
    }
  return left;
}

/* ---- NFA ------------------------------------------------------------------ */

typedef enum {
  S_SET,      /* consumes a byte of @set, goes to @out */
  S_SPLIT,    /* goes to @out and @out1 */
  S_BOL,
  S_EOL,
  S_EOS,
  S_MATCH,
} StateKind;

typedef struct {
  StateKind kind;
  int out, out1;
  Set set;
} State;

typedef struct {
  GArray *states;   /* (element-type State) */
  const Node *nodes;
  gboolean ok;
} Nfa;

static int
add_state (Nfa *nfa, StateKind kind, int out, int out1)
{
  State state = { kind, out, out1, { { 0, 0 } } };

  if (nfa->states->len >= MAX_NFA_STATES)
    {
      nfa->ok = FALSE;
      return 0;
    }
  g_array_append_val (nfa->states, state);
  return (int) nfa->states->len - 1;
}

#define STATE(nfa, i) (&g_array_index ((nfa)->states, State, (i)))

/* The states of @node, built backwards: @next is where a match of @node
 * goes on; returns where it starts. */
static int
build (Nfa *nfa, int node, int next)
{
  const Node *n = &nfa->nodes[node];
  int s;

  if (!nfa->ok)
    return 0;
  switch (n->kind)
    {
    case N_EMPTY:
      return next;
    case N_SET:
      s = add_state (nfa, S_SET, next, -1);
      if (nfa->ok)
        STATE (nfa, s)->set = n->set;
      return s;
    case N_CAT:
      return build (nfa, n->a, build (nfa, n->b, next));
    case N_ALT:
      {
        int a = build (nfa, n->a, next);
        int b = build (nfa, n->b, next);

        return add_state (nfa, S_SPLIT, a, b);
      }
    case N_BOL:
      return add_state (nfa, S_BOL, next, -1);
    case N_EOL:
      return add_state (nfa, S_EOL, next, -1);
    case N_EOS:
      return add_state (nfa, S_EOS, next, -1);
    case N_REPEAT:
      if (n->max < 0)
        {
          /* a{m,}: m copies, then a loop */
          int loop = add_state (nfa, S_SPLIT, -1, next);
          int body = build (nfa, n->a, loop);

          if (!nfa->ok)
            return 0;
          STATE (nfa, loop)->out = body;
          s = loop;
        }
      else
        {
          /* a{m,n}: m copies, then n - m optional ones, nested */
          s = next;
          for (int i = n->min; i < n->max && nfa->ok; i++)
            s = add_state (nfa, S_SPLIT, build (nfa, n->a, s), next);
        }
      for (int i = 0; i < n->min && nfa->ok; i++)
        s = build (nfa, n->a, s);
      return s;
    }
  g_assert_not_reached ();
}

/* Whether a match ends at @s when no byte is left, or only a final "\n"
 * (@before_newline: "$" and \Z hold there, \z does not). */
static gboolean
ends_in_match (Nfa *nfa, int s, gboolean before_newline, guint8 *seen)
{
  const State *state = STATE (nfa, s);

  if (seen[s])
    return FALSE;
  seen[s] = 1;
  switch (state->kind)
    {
    case S_MATCH:
      return TRUE;
    case S_SPLIT:
      return ends_in_match (nfa, state->out, before_newline, seen) ||
             ends_in_match (nfa, state->out1, before_newline, seen);
    case S_EOL:
      return ends_in_match (nfa, state->out, before_newline, seen);
    case S_EOS:
      return !before_newline && ends_in_match (nfa, state->out, before_newline, seen);
    default:
      return FALSE;
    }
}

/* Whether what may follow the end assertion at @s is only more end
 * assertions and the match: anything else ("$\n", "$^") is left to
 * PCRE2. */
static gboolean
end_is_final (Nfa *nfa, int s, guint8 *seen)
{
  const State *state = STATE (nfa, s);

  if (seen[s])
    return TRUE;
  seen[s] = 1;
  switch (state->kind)
    {
    case S_MATCH:
      return TRUE;
    case S_SPLIT:
      return end_is_final (nfa, state->out, seen) && end_is_final (nfa, state->out1, seen);
    case S_EOL:
    case S_EOS:
      return end_is_final (nfa, state->out, seen);
    default:
      return FALSE;
    }
}

/* ---- subset construction -------------------------------------------------- */

typedef struct {
  Nfa *nfa;
  guint *mark;       /* per NFA state: the pass that last reached it */
  guint pass;
  GArray *stack;     /* (element-type int) */
} Closure;

/* Adds to @set the states reached from @s without consuming a byte:
 * the ones that consume one, the end assertions and the match. ^ holds
 * only @at_start. */
static void
closure_add (Closure *c, int s, gboolean at_start, GArray *set)
{
  g_array_append_val (c->stack, s);
  while (c->stack->len > 0)
    {
      int i = g_array_index (c->stack, int, c->stack->len - 1);
      const State *state;

      g_array_set_size (c->stack, c->stack->len - 1);
      if (c->mark[i] == c->pass)
        continue;
      c->mark[i] = c->pass;
      state = STATE (c->nfa, i);
      switch (state->kind)
        {
        case S_SPLIT:
          /* out1 pushed first so that out is looked at first; order does
           * not matter for the set, only for the stack's depth. */
          g_array_append_val (c->stack, state->out1);
          g_array_append_val (c->stack, state->out);
          break;
        case S_BOL:
          if (at_start)
            g_array_append_val (c->stack, state->out);
          break;
        default:
          g_array_append_val (set, i);
          break;
        }
    }
}

static int
compare_int (gconstpointer a, gconstpointer b)
{
  return *(const int *) a - *(const int *) b;
}

typedef struct {
  GHashTable *index;   /* GBytes (sorted NFA states) -> DFA state + 1 */
  GPtrArray *sets;     /* DFA state -> GBytes */
} Subsets;

/* The DFA state for the NFA states in @set (sorted here), added if new;
 * -1 past MAX_DFA_STATES. */
static int
subset_state (Subsets *subsets, GArray *set)
{
  GBytes *key;
  gpointer found;

  g_array_sort (set, compare_int);
  key = g_bytes_new (set->data, set->len * sizeof (int));
  found = g_hash_table_lookup (subsets->index, key);
  if (found != NULL)
    {
      g_bytes_unref (key);
      return GPOINTER_TO_INT (found) - 1;
    }
  if (subsets->sets->len >= MAX_DFA_STATES)
    {
      g_bytes_unref (key);
      return -1;
    }
  g_ptr_array_add (subsets->sets, key);
  g_hash_table_insert (subsets->index, g_bytes_ref (key), GINT_TO_POINTER (subsets->sets->len));
  return (int) subsets->sets->len - 1;
}

/* Groups the bytes 0-127 so that no set of the NFA tells two bytes of a
 * group apart; fills @classes and returns how many groups. */
static guint
byte_classes (Nfa *nfa, guint8 classes[256], guint8 representative[128])
{
  guint n = 1;

  memset (classes, 0, 128);
  for (guint s = 0; s < nfa->states->len; s++)
    {
      const State *state = STATE (nfa, s);
      int split_to[128];

      if (state->kind != S_SET)
        continue;
      /* Each class cut by this set: its members in the set move to a new
       * class (one per old class). */
      for (guint k = 0; k < n; k++)
        split_to[k] = -1;
      {
        guint old_n = n;
        gboolean in[128], out[128];

        memset (in, 0, sizeof in);
        memset (out, 0, sizeof out);
        for (guint c = 0; c < 128; c++)
          {
            if (set_has (&state->set, c))
              in[classes[c]] = TRUE;
            else
              out[classes[c]] = TRUE;
          }
        for (guint c = 0; c < 128; c++)
          {
            guint k = classes[c];

            if (k < old_n && in[k] && out[k] && set_has (&state->set, c))
              {
                if (split_to[k] < 0)
                  split_to[k] = (int) n++;
                classes[c] = (guint8) split_to[k];
              }
          }
      }
    }
  for (guint c = 0; c < 128; c++)
    representative[classes[c]] = (guint8) c;
  /* Non-ASCII bytes: a class of their own, which goes nowhere. */
  memset (classes + 128, (int) n, 128);
  return n + 1;
}

/* The NFA of @pattern; its start state, or -1 if the pattern is outside
 * the subset. */
static int
nfa_from_pattern (const char *pattern,
                  GArray     *nodes,
                  Nfa        *nfa)
{
  Parser parser = { pattern, pattern + strlen (pattern), nodes, TRUE };
  g_autofree guint8 *seen = NULL;
  int root, start;

  root = parse_alternation (&parser);
  if (!parser.ok || parser.p != parser.end)
    return -1;   /* also an unbalanced ")" */
  nfa->nodes = (const Node *) nodes->data;
  start = build (nfa, root, add_state (nfa, S_MATCH, -1, -1));
  if (!nfa->ok)
    return -1;
  seen = g_new0 (guint8, nfa->states->len);
  for (guint s = 0; s < nfa->states->len; s++)
    {
      StateKind kind = STATE (nfa, s)->kind;

      if ((kind == S_EOL || kind == S_EOS) && !end_is_final (nfa, STATE (nfa, s)->out, seen))
        return -1;
      memset (seen, 0, nfa->states->len);
    }
  return start;
}

/* The flags of the DFA state made of the NFA states @members. */
static guint8
subset_flags (Nfa       *nfa,
              const int *members,
              guint      n_members,
              guint8    *seen)
{
  guint8 f = 0;

  for (guint m = 0; m < n_members; m++)
    {
      int s = members[m];
      StateKind kind = STATE (nfa, s)->kind;

      if (kind == S_MATCH)
        f |= BUILTIN_DFA_ACCEPT | BUILTIN_DFA_ACCEPT_END;
      else if (kind == S_EOL || kind == S_EOS)
        {
          memset (seen, 0, nfa->states->len);
          if (ends_in_match (nfa, s, FALSE, seen))
            f |= BUILTIN_DFA_ACCEPT_END;
          memset (seen, 0, nfa->states->len);
          if (ends_in_match (nfa, s, TRUE, seen))
            f |= BUILTIN_DFA_ACCEPT_NL;
        }
    }
  return f;
}

/* Subset construction from the NFA state @start: fills @next (a row of
 * n_classes state numbers per DFA state, the last column the non-ASCII
 * class) and @flags (one per state), and sets dfa->start and
 * dfa->n_states. FALSE past MAX_DFA_STATES or MAX_WORK. */
static gboolean
build_subsets (Nfa           *nfa,
               int            start,
               gboolean       anchored,
               const guint8   representative[128],
               BuiltinDfa    *dfa,
               GArray        *next,
               GByteArray    *flags)
{
  g_autoptr(GArray) stack = g_array_new (FALSE, FALSE, sizeof (int));
  g_autoptr(GArray) set = g_array_new (FALSE, FALSE, sizeof (int));
  g_autoptr(GArray) restart = g_array_new (FALSE, FALSE, sizeof (int));
  g_autofree guint *mark = g_new0 (guint, nfa->states->len);
  g_autofree guint8 *seen = g_new0 (guint8, nfa->states->len);
  g_autoptr(GHashTable) index = g_hash_table_new_full (g_bytes_hash, g_bytes_equal,
                                                       (GDestroyNotify) g_bytes_unref, NULL);
  g_autoptr(GPtrArray) sets = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  Subsets subsets = { index, sets };
  Closure closure = { nfa, mark, 0, stack };
  guint n_classes = dfa->n_classes;
  guint64 work = 0;

  /* State 0: no NFA state, no match possible (the "dead" state). */
  subset_state (&subsets, set);
  /* Search (not anchored): a match may start at any byte, so the start's
   * states (without ^) join every state. */
  closure.pass++;
  closure_add (&closure, start, FALSE, restart);
  closure.pass++;
  closure_add (&closure, start, TRUE, set);
  dfa->start = (guint32) subset_state (&subsets, set);

  for (guint d = 0; d < sets->len; d++)
    {
      gsize size;
      const int *members = g_bytes_get_data (g_ptr_array_index (sets, d), &size);
      guint n_members = (guint) (size / sizeof (int));
      guint32 dead = 0;

      for (guint k = 0; k + 1 < n_classes; k++)
        {
          guint8 c = representative[k];
          int target;
          guint32 t;

          work += n_members + (anchored ? 0 : restart->len);
          if (work > MAX_WORK)
            return FALSE;
          g_array_set_size (set, 0);
          closure.pass++;
          for (guint m = 0; m < n_members; m++)
            {
              const State *state = STATE (nfa, members[m]);

              if (state->kind == S_SET && set_has (&state->set, c))
                closure_add (&closure, state->out, FALSE, set);
            }
          if (!anchored && d != 0)
            for (guint r = 0; r < restart->len; r++)
              closure_add (&closure, g_array_index (restart, int, r), FALSE, set);
          if ((target = subset_state (&subsets, set)) < 0)
            return FALSE;
          t = (guint32) target;
          g_array_append_val (next, t);
        }
      g_array_append_val (next, dead);   /* the non-ASCII class */
      {
        guint8 f = d == 0 ? BUILTIN_DFA_DEAD : subset_flags (nfa, members, n_members, seen);

        g_byte_array_append (flags, &f, 1);
      }
    }
  dfa->n_states = sets->len;
  return TRUE;
}

/* The direct form of the DFA whose transitions (state numbers, a row of
 * n_classes per state) and flags (one per state) are given. */
static BuiltinDfaRow *
direct_rows (const BuiltinDfa *dfa,
             const guint32    *next,
             const guint8     *flags)
{
  BuiltinDfaRow *rows = g_new0 (BuiltinDfaRow, dfa->n_states);

  for (guint d = 0; d < dfa->n_states; d++)
    {
      BuiltinDfaRow *row = rows + d;

      row->flags = flags[d];
      for (guint b = 0; b < 256; b++)
        {
          /* Accepting states keep accepting (a prefix match is a match). */
          guint32 t = (flags[d] & BUILTIN_DFA_ACCEPT) ? d : next[(gsize) d * dfa->n_classes + dfa->classes[b]];

          row->next[b] = rows + t;
          /* As the compact form's last step: "$" and \Z also hold before a
           * final "\n". */
          row->last[b] = (b == '\n' && (flags[d] & BUILTIN_DFA_ACCEPT_NL)) ||
                         (flags[t] & (BUILTIN_DFA_ACCEPT | BUILTIN_DFA_ACCEPT_END)) != 0;
        }
    }
  return rows;
}

BuiltinDfa *
builtin_dfa_new_full (const char *pattern,
                      gboolean    anchored,
                      gsize       max_direct_bytes)
{
  g_autoptr(GArray) nodes = g_array_new (FALSE, FALSE, sizeof (Node));
  g_autoptr(GArray) states = g_array_new (FALSE, FALSE, sizeof (State));
  g_autoptr(GArray) next = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_autoptr(GByteArray) flags = g_byte_array_new ();
  g_autoptr(BuiltinDfa) dfa = NULL;
  Nfa nfa = { states, NULL, TRUE };
  guint8 representative[128];
  guint n_classes;
  int start;

  g_return_val_if_fail (pattern != NULL, NULL);

  if ((start = nfa_from_pattern (pattern, nodes, &nfa)) < 0)
    return NULL;
  dfa = g_new0 (BuiltinDfa, 1);
  n_classes = dfa->n_classes = byte_classes (&nfa, dfa->classes, representative);
  if (!build_subsets (&nfa, start, anchored, representative, dfa, next, flags))
    return NULL;

  if ((gsize) dfa->n_states * sizeof (BuiltinDfaRow) <= max_direct_bytes)
    {
      dfa->rows = direct_rows (dfa, (const guint32 *) next->data, flags->data);
      dfa->start_row = dfa->rows + dfa->start;
      return g_steal_pointer (&dfa);
    }

  /* Rows named by their offsets; accepting states keep accepting (a
   * prefix match is a match: the loop need not stop on it at once). */
  dfa->next = (guint32 *) g_array_free (g_steal_pointer (&next), FALSE);
  dfa->flags = g_new0 (guint8, (gsize) dfa->n_states * n_classes);
  for (guint d = 0; d < dfa->n_states; d++)
    {
      guint32 *row = dfa->next + (gsize) d * n_classes;

      dfa->flags[(gsize) d * n_classes] = flags->data[d];
      for (guint k = 0; k < n_classes; k++)
        row[k] = (flags->data[d] & BUILTIN_DFA_ACCEPT) ? d * n_classes : row[k] * n_classes;
    }
  dfa->start *= n_classes;
  return g_steal_pointer (&dfa);
}

BuiltinDfa *
builtin_dfa_new (const char *pattern,
                 gboolean    anchored)
{
  return builtin_dfa_new_full (pattern, anchored, BUILTIN_DFA_MAX_DIRECT_BYTES);
}

/* builtin_dfa_match_strings() in the direct form. */
static void
match_strings_rows (const BuiltinDfa *dfa,
                    const guint8     *strings,
                    const gint32     *offsets,
                    gint64            n,
                    guint8           *out)
{
  const BuiltinDfaRow *start = dfa->start_row;
  gint64 r = 0;

  /* As in match_strings_compact(): four values in step over the bytes
   * they all have (but their last). */
  for (; r + 4 <= n; r += 4)
    {
      const guint8 *t0 = strings + offsets[r], *t1 = strings + offsets[r + 1];
      const guint8 *t2 = strings + offsets[r + 2], *t3 = strings + offsets[r + 3];
      gsize l0 = (gsize) (offsets[r + 1] - offsets[r]), l1 = (gsize) (offsets[r + 2] - offsets[r + 1]);
      gsize l2 = (gsize) (offsets[r + 3] - offsets[r + 2]), l3 = (gsize) (offsets[r + 4] - offsets[r + 3]);
      gsize common = MIN (MIN (l0, l1), MIN (l2, l3));
      const BuiltinDfaRow *s0 = start, *s1 = start, *s2 = start, *s3 = start;
      gsize i;

      if (common == 0)
        {
          for (gint64 k = r; k < r + 4; k++)
            out[k] = builtin_dfa_match (dfa, strings + offsets[k], (gsize) (offsets[k + 1] - offsets[k]));
          continue;
        }
      /* Four bytes a turn (fewer loop tests); the bytes left go to each
       * value's end, which takes them without a loop. */
      common--;
      for (i = 0; i + 4 <= common; i += 4)
        {
#define STEP4(k) \
          s0 = s0->next[t0[i + k]]; \
          s1 = s1->next[t1[i + k]]; \
          s2 = s2->next[t2[i + k]]; \
          s3 = s3->next[t3[i + k]]
          STEP4 (0);
          STEP4 (1);
          STEP4 (2);
          STEP4 (3);
#undef STEP4
        }
      /* Short values (the usual case) skip the early-stop test at once. */
      if (MAX (MAX (l0, l1), MAX (l2, l3)) - 1 - i <= 15)
        {
          out[r] = builtin_dfa_match_rows_end (s0, t0 + l0 - 1, l0 - 1 - i);
          out[r + 1] = builtin_dfa_match_rows_end (s1, t1 + l1 - 1, l1 - 1 - i);
          out[r + 2] = builtin_dfa_match_rows_end (s2, t2 + l2 - 1, l2 - 1 - i);
          out[r + 3] = builtin_dfa_match_rows_end (s3, t3 + l3 - 1, l3 - 1 - i);
          continue;
        }
      out[r] = builtin_dfa_match_rows_from (s0, t0, i, l0);
      out[r + 1] = builtin_dfa_match_rows_from (s1, t1, i, l1);
      out[r + 2] = builtin_dfa_match_rows_from (s2, t2, i, l2);
      out[r + 3] = builtin_dfa_match_rows_from (s3, t3, i, l3);
    }
  for (; r < n; r++)
    out[r] = builtin_dfa_match (dfa, strings + offsets[r], (gsize) (offsets[r + 1] - offsets[r]));
}

/* builtin_dfa_match_strings() in the compact form. */
static void
match_strings_compact (const BuiltinDfa *dfa,
                       const guint8     *strings,
                       const gint32     *offsets,
                       gint64            n,
                       guint8           *out)
{
  const guint32 *next = dfa->next;
  const guint8 *classes = dfa->classes;
  gint64 r = 0;

  /* Each step waits for the previous one's table load: one value at a time
   * runs at the load latency, not at the processor's width. Four values in
   * step, over the bytes they all have (but their last), keep four chains
   * of loads in flight; each value then finishes on its own. */
  for (; r + 4 <= n; r += 4)
    {
      const guint8 *t0 = strings + offsets[r], *t1 = strings + offsets[r + 1];
      const guint8 *t2 = strings + offsets[r + 2], *t3 = strings + offsets[r + 3];
      gsize l0 = (gsize) (offsets[r + 1] - offsets[r]), l1 = (gsize) (offsets[r + 2] - offsets[r + 1]);
      gsize l2 = (gsize) (offsets[r + 3] - offsets[r + 2]), l3 = (gsize) (offsets[r + 4] - offsets[r + 3]);
      gsize common = MIN (MIN (l0, l1), MIN (l2, l3));
      gsize s0 = dfa->start, s1 = s0, s2 = s0, s3 = s0;

      if (common == 0)
        {
          for (gint64 k = r; k < r + 4; k++)
            out[k] = builtin_dfa_match (dfa, strings + offsets[k], (gsize) (offsets[k + 1] - offsets[k]));
          continue;
        }
      common--;
      for (gsize i = 0; i < common; i++)
        {
          s0 = next[s0 + classes[t0[i]]];
          s1 = next[s1 + classes[t1[i]]];
          s2 = next[s2 + classes[t2[i]]];
          s3 = next[s3 + classes[t3[i]]];
        }
      out[r] = builtin_dfa_match_from (dfa, s0, t0, common, l0);
      out[r + 1] = builtin_dfa_match_from (dfa, s1, t1, common, l1);
      out[r + 2] = builtin_dfa_match_from (dfa, s2, t2, common, l2);
      out[r + 3] = builtin_dfa_match_from (dfa, s3, t3, common, l3);
    }
  for (; r < n; r++)
    out[r] = builtin_dfa_match (dfa, strings + offsets[r], (gsize) (offsets[r + 1] - offsets[r]));
}

void
builtin_dfa_match_strings (const BuiltinDfa *dfa,
                           const guint8     *strings,
                           const gint32     *offsets,
                           gint64            n,
                           guint8           *out)
{
  if (dfa->rows != NULL)
    match_strings_rows (dfa, strings, offsets, n, out);
  else
    match_strings_compact (dfa, strings, offsets, n, out);
}

void
builtin_dfa_free (BuiltinDfa *dfa)
{
  if (dfa == NULL)
    return;
  g_free (dfa->rows);
  g_free (dfa->next);
  g_free (dfa->flags);
  g_free (dfa);
}
