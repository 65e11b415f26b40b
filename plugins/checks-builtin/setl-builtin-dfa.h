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

/* A state is named by its row's offset in @next (state × n_classes), so
 * that a step is one addition and one load. Accepting states and the dead
 * state go nowhere else whatever follows, so the loop need not look at
 * them on every byte. */
typedef struct {
  guint8 classes[256];   /* byte -> class; non-ASCII bytes: a class that dies */
  guint n_classes;       /* columns of @next */
  guint n_states;
  guint32 start;         /* offset of the start state's row */
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
void        builtin_dfa_free     (BuiltinDfa       *dfa);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BuiltinDfa, builtin_dfa_free)

/* builtin_dfa_match() from @state, the state after @text's first @i
 * bytes (@i < @length). */
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
