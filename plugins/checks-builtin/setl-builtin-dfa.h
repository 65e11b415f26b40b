/* setl-builtin-dfa.h: a deterministic automaton for the simple regular
 * expressions of string checks, matched on ASCII text.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Flags of a DFA state. */
enum {
  BUILTIN_DFA_ACCEPT = 1 << 0,     /* a match ends here: found (the state keeps it) */
  BUILTIN_DFA_DEAD = 1 << 1,       /* no match can follow (the state keeps it) */
  BUILTIN_DFA_ACCEPT_NL = 1 << 2,  /* a match if only a final "\n" is left ($, \Z) */
  BUILTIN_DFA_ACCEPT_END = 1 << 3, /* a match if nothing is left ($, \Z, \z) */
};

/* A state of the direct table: where each byte leads, and the answer if
 * that byte is the text's last. A step is one load (the next row's
 * address, from the row and the byte: no class lookup, no multiply), and
 * the last byte is one more: the end of the text needs no step of its
 * own. Non-ASCII bytes lead to the dead state. */
typedef struct _BuiltinDfaRow BuiltinDfaRow;
struct _BuiltinDfaRow {
  const BuiltinDfaRow *next[256];
  guint8 last[256];      /* 1 if a text ending with this byte matches */
  guint8 flags;          /* BUILTIN_DFA_* of this state */
};

/* Two forms of the same automaton. Most patterns have few states, and
 * take the direct table (@rows, a row of 256 entries per state). Past
 * BUILTIN_DFA_MAX_DIRECT_BYTES it would take too much memory, and the
 * compact form is used instead: bytes grouped into classes that no
 * character set of the pattern tells apart, a row per state with a
 * column per class, a state named by its row's offset in @next (state ×
 * n_classes), so that a step is a class lookup, an addition and a load.
 * In both, accepting states and the dead state go nowhere else whatever
 * follows, so the loops need not look at them on every byte. */
/* About 110 states: all but unusual patterns. A value only touches the
 * entries of the bytes it has, so the cache sees a small part of it. */
#define BUILTIN_DFA_MAX_DIRECT_BYTES (256 * 1024)

typedef struct {
  guint8 classes[256];   /* byte -> class; non-ASCII bytes: a class that dies */
  guint n_classes;       /* columns of @next */
  guint n_states;
  BuiltinDfaRow *rows;   /* n_states, or NULL: the compact form below */
  const BuiltinDfaRow *start_row;
  guint32 start;         /* offset of the start state's row (compact form) */
  guint32 *next;         /* n_states × n_classes: offsets of rows */
  guint8 *flags;         /* by row offset (n_states × n_classes, sparse) */
} BuiltinDfa;

/* The DFA for @pattern (PCRE2 syntax, as compiled by the regex checks:
 * PCRE2_UTF, no other option), anchored at the start if @anchored (as
 * PCRE2_ANCHORED), or %NULL if the pattern uses something outside the
 * subset it covers — literals, escaped punctuation, \n \t \r \f, . \d \D
 * \w \W \s \S, bracket classes with ranges, groups ( ) and (?: ),
 * alternation, the quantifiers * + ? {m} {m,} {m,n} (greedy or lazy), ^ \A
 * at the start, $ \Z \z at the end: back-references, lookaround, option
 * settings, \b, POSIX classes, possessive quantifiers, non-ASCII pattern
 * text or too many states are left to PCRE2. */
BuiltinDfa *builtin_dfa_new      (const char       *pattern,
                                  gboolean          anchored);
/* builtin_dfa_new() with another bound than BUILTIN_DFA_MAX_DIRECT_BYTES
 * on the direct table (0: always the compact form), for the tests, which
 * compare both forms with PCRE2. */
BuiltinDfa *builtin_dfa_new_full (const char       *pattern,
                                  gboolean          anchored,
                                  gsize             max_direct_bytes);
void        builtin_dfa_free     (BuiltinDfa       *dfa);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BuiltinDfa, builtin_dfa_free)

/* The end of builtin_dfa_match() in the direct form: @row is the state
 * before the @n_left bytes (at most 15) that precede @last, the text's
 * last byte. The bytes are counted back from @last: one jump to the first
 * of them, then two instructions a byte, no loop. */
static inline gboolean
builtin_dfa_match_rows_end (const BuiltinDfaRow *row,
                            const guint8        *last,
                            gsize                n_left)
{
#define BUILTIN_DFA_STEP(k) case k: row = row->next[last[-k]]; G_GNUC_FALLTHROUGH
  /* (The mask tells the compiler that the jump needs no bounds test.) */
  switch (n_left & 15)
    {
    BUILTIN_DFA_STEP (15); BUILTIN_DFA_STEP (14); BUILTIN_DFA_STEP (13);
    BUILTIN_DFA_STEP (12); BUILTIN_DFA_STEP (11); BUILTIN_DFA_STEP (10); BUILTIN_DFA_STEP (9);
    BUILTIN_DFA_STEP (8); BUILTIN_DFA_STEP (7); BUILTIN_DFA_STEP (6); BUILTIN_DFA_STEP (5);
    BUILTIN_DFA_STEP (4); BUILTIN_DFA_STEP (3); BUILTIN_DFA_STEP (2); BUILTIN_DFA_STEP (1);
    default:
      break;
    }
#undef BUILTIN_DFA_STEP
  return row->last[*last];
}

/* builtin_dfa_match() in the direct form from @row, the state after
 * @text's first @i bytes (@i < @length). */
static inline gboolean
builtin_dfa_match_rows_from (const BuiltinDfaRow *row,
                             const guint8        *text,
                             gsize                i,
                             gsize                length)
{
  gsize last = length - 1;

  /* 16 bytes between looks at the state: a decided value (accepting or
   * dead) stops early without a test on every byte. A value with 15
   * bytes or fewer left is not looked at before its end: stopping early
   * could save less than the look costs. */
  while (last - i > 15)
    {
      for (gsize end = i + 16; i < end; i += 4)
        {
          row = row->next[text[i]];
          row = row->next[text[i + 1]];
          row = row->next[text[i + 2]];
          row = row->next[text[i + 3]];
        }
      if (G_UNLIKELY (row->flags & (BUILTIN_DFA_ACCEPT | BUILTIN_DFA_DEAD)))
        return (row->flags & BUILTIN_DFA_ACCEPT) != 0;
    }
  return builtin_dfa_match_rows_end (row, text + last, last - i);
}

/* builtin_dfa_match() in the compact form from @state, the state after
 * @text's first @i bytes (@i < @length). */
static inline gboolean
builtin_dfa_match_from (const BuiltinDfa *dfa,
                        gsize             state,
                        const guint8     *text,
                        gsize             i,
                        gsize             length)
{
  const guint32 *next = dfa->next;
  const guint8 *classes = dfa->classes;
  gsize last = length - 1;

  while (i < last)
    {
      /* 16 bytes between looks at the state: a decided value (accepting
       * or dead) stops early without a test on every byte. */
      gsize end = last - i > 16 ? i + 16 : last;

      for (; i + 4 <= end; i += 4)
        {
          state = next[state + classes[text[i]]];
          state = next[state + classes[text[i + 1]]];
          state = next[state + classes[text[i + 2]]];
          state = next[state + classes[text[i + 3]]];
        }
      for (; i < end; i++)
        state = next[state + classes[text[i]]];
      if (G_UNLIKELY (dfa->flags[state] & (BUILTIN_DFA_ACCEPT | BUILTIN_DFA_DEAD)))
        return (dfa->flags[state] & BUILTIN_DFA_ACCEPT) != 0;
    }
  /* "$" and \Z also hold before a final "\n". */
  if (text[last] == '\n' && (dfa->flags[state] & BUILTIN_DFA_ACCEPT_NL))
    return TRUE;
  state = next[state + classes[text[last]]];
  return (dfa->flags[state] & (BUILTIN_DFA_ACCEPT | BUILTIN_DFA_ACCEPT_END)) != 0;
}

/* Whether PCRE2 would find a match of the pattern in @text, which must be
 * ASCII (every byte below 0x80): a non-ASCII byte never matches here, so
 * callers send other text to PCRE2. A few instructions a byte, no call. */
static inline gboolean
builtin_dfa_match (const BuiltinDfa *dfa,
                   const guint8     *text,
                   gsize             length)
{
  if (dfa->rows != NULL)
    {
      if (length == 0)
        return (dfa->start_row->flags & (BUILTIN_DFA_ACCEPT | BUILTIN_DFA_ACCEPT_END)) != 0;
      return builtin_dfa_match_rows_from (dfa->start_row, text, 0, length);
    }
  if (length == 0)
    return (dfa->flags[dfa->start] & (BUILTIN_DFA_ACCEPT | BUILTIN_DFA_ACCEPT_END)) != 0;
  return builtin_dfa_match_from (dfa, dfa->start, text, 0, length);
}

/* builtin_dfa_match() on @n values of an Arrow string buffer (@offsets
 * has @n + 1 entries), one byte (1 or 0) a value into @out. */
void        builtin_dfa_match_strings (const BuiltinDfa *dfa,
                                       const guint8     *strings,
                                       const gint32     *offsets,
                                       gint64            n,
                                       guint8           *out);

G_END_DECLS
