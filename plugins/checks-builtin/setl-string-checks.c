/* setl-string-checks.c: str_matches, str_contains, pattern,
 * str_startswith, str_endswith, str_length.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* Pandera's string checks, with Python's `re` semantics approximated by
 * PCRE (GRegex), which has the same syntax for what schemas use (classes,
 * groups, quantifiers, lookahead):
 *
 * - `str_matches(pattern)`: re.match, the pattern anchored at the start;
 * - `str_contains(pattern)`: re.search, anywhere;
 * - `pattern(pattern)`: re.fullmatch, the whole value (Frictionless
 *   `pattern`);
 * - `str_startswith(string)`, `str_endswith(string)`: plain text, no regex;
 * - `str_length(min_value, max_value)` inclusive, at least one of them, or
 *   `str_length(value)` for an exact length; lengths count characters.
 *
 * Three engines, one answer: a DFA (setl-builtin-dfa.c) for the ASCII
 * values when the pattern is simple enough for one — most are; PCRE2
 * JIT-compiled for ASCII batches otherwise; PCRE2 with its UTF-8 checks
 * (or GRegex, without PCRE2's headers) for non-ASCII values. */
#include "setl-string-checks.h"
#include "setl-builtin-dfa.h"
#include "setl-builtin-value.h"

#include <string.h>

#ifdef HAVE_PCRE2
/* PCRE2 directly when it is there: GRegex allocates match data on every
 * call, which costs more than the match on short values. Same engine, same
 * syntax. */
# define PCRE2_CODE_UNIT_WIDTH 8
# include <pcre2.h>
#endif

static const SetlDataType string_only[] = { SETL_DATA_TYPE_STRING };

/* Regex checks ------------------------------------------------------------- */

typedef enum { MODE_MATCH, MODE_SEARCH, MODE_FULL } RegexMode;

typedef struct {
  SetlCheck parent_instance;
  char *pattern;
  GRegex *regex;
  BuiltinDfa *dfa;    /* the pattern as a DFA, for ASCII values; NULL if outside its subset */
#ifdef HAVE_PCRE2
  pcre2_code *code;
  gboolean jit;       /* JIT-compiled: pcre2_jit_match() can be called */
#endif
} SetlBuiltinRegexCheck;

typedef struct {
  SetlCheckClass parent_class;
  RegexMode mode;
} SetlBuiltinRegexCheckClass;

static GType setl_builtin_regex_check_get_type (void) G_GNUC_CONST;
G_DEFINE_ABSTRACT_TYPE (SetlBuiltinRegexCheck, setl_builtin_regex_check, SETL_TYPE_CHECK)

#define REGEX_CHECK(o) ((SetlBuiltinRegexCheck *) (o))
#define REGEX_CHECK_GET_CLASS(o) ((SetlBuiltinRegexCheckClass *) G_OBJECT_GET_CLASS (o))

enum { PROP_0, PROP_PATTERN };

static void
regex_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  if (prop_id == PROP_PATTERN)
    g_value_set_string (value, REGEX_CHECK (object)->pattern);
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
regex_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  if (prop_id == PROP_PATTERN)
    {
      g_free (REGEX_CHECK (object)->pattern);
      REGEX_CHECK (object)->pattern = g_value_dup_string (value);
    }
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
regex_finalize (GObject *object)
{
  g_free (REGEX_CHECK (object)->pattern);
  g_clear_pointer (&REGEX_CHECK (object)->regex, g_regex_unref);
  g_clear_pointer (&REGEX_CHECK (object)->dfa, builtin_dfa_free);
#ifdef HAVE_PCRE2
  g_clear_pointer (&REGEX_CHECK (object)->code, pcre2_code_free);
#endif
  G_OBJECT_CLASS (setl_builtin_regex_check_parent_class)->finalize (object);
}

static gboolean
regex_prepare (SetlCheck *check, GError **error)
{
  SetlBuiltinRegexCheck *self = REGEX_CHECK (check);
  g_autoptr(GError) local = NULL;
  g_autofree char *source = NULL;

  g_clear_pointer (&self->regex, g_regex_unref);
  if (self->pattern == NULL)
    {
      setl_check_set_parameter_error (check, error, "pattern", "a regular expression is required");
      return FALSE;
    }
  /* fullmatch: the whole value, up to its very end (\z, not $). */
  source = REGEX_CHECK_GET_CLASS (check)->mode == MODE_FULL
           ? g_strdup_printf ("(?:%s)\\z", self->pattern) : g_strdup (self->pattern);
  /* Newlines are LF only, as PCRE2's default (the PCRE2 path below, and
   * the SQLite pushdown's GRegex) — GRegex's own default also takes CR
   * and CRLF, so that `.` would not match a CR nor `$` a value ending in
   * one. GRegex (GLib 2.74) always applies Unicode properties to `\d`,
   * `\w`, `\s`, `\b` and POSIX classes, which the PCRE2 path does not
   * (no PCRE2_UCP), and offers no flag to turn that off: on non-ASCII text
   * the fallback below, used only without PCRE2's headers, can answer
   * otherwise (docs/validation.md). */
  self->regex = g_regex_new (source, G_REGEX_OPTIMIZE | G_REGEX_NEWLINE_LF, 0, &local);
  if (self->regex == NULL)
    {
      setl_check_set_parameter_error (check, error, "pattern", "“%s” is not a valid regular expression: %s",
                                      self->pattern, local->message);
      return FALSE;
    }
  /* Simple patterns (classes, literals, alternation, quantifiers, anchors:
   * most schema patterns) also as a DFA, which decides an ASCII value in a
   * table lookup a byte where PCRE2 spends ~100 instructions a call before
   * the first byte (setl-builtin-dfa.c). The DFA is compiled from the same
   * source, so it is anchored when the PCRE2 code is. */
  g_clear_pointer (&self->dfa, builtin_dfa_free);
  self->dfa = builtin_dfa_new (source, REGEX_CHECK_GET_CLASS (check)->mode != MODE_SEARCH);
#ifdef HAVE_PCRE2
  {
    int code;
    PCRE2_SIZE offset;

    g_clear_pointer (&self->code, pcre2_code_free);
    /* Anchored at compile time rather than per match, so that the JIT
     * code (which takes no PCRE2_ANCHORED at match time) is anchored. */
    self->code = pcre2_compile ((PCRE2_SPTR) source, PCRE2_ZERO_TERMINATED,
                                PCRE2_UTF | PCRE2_NO_UTF_CHECK |
                                (REGEX_CHECK_GET_CLASS (check)->mode == MODE_SEARCH ? 0 : PCRE2_ANCHORED),
                                &code, &offset, NULL);
    /* GRegex accepted it; should PCRE2 alone not, GRegex does the work. */
    self->jit = self->code != NULL && pcre2_jit_compile (self->code, PCRE2_JIT_COMPLETE) == 0;
  }
#endif
  return TRUE;
}

#ifdef HAVE_PCRE2
/* Whether the compiled pattern can only match at the start of the subject
 * (compiled with PCRE2_ANCHORED, as str_matches and pattern are, or
 * starting with ^ or \A on every branch). */
static gboolean
pattern_is_anchored (const pcre2_code *code)
{
  uint32_t options = 0;

  pcre2_pattern_info (code, PCRE2_INFO_ALLOPTIONS, &options);
  return (options & PCRE2_ANCHORED) != 0;
}
#endif

/* Whether the text of @data's rows holds only ASCII bytes, eight at a time. */
static gboolean
strings_are_ascii (const BuiltinColumn *data)
{
  const gint32 *offsets = data->values;
  const guint8 *p, *end;
  guint64 any = 0;

  if (data->length == 0 || data->strings == NULL)
    return TRUE;
  p = (const guint8 *) data->strings + offsets[data->offset];
  end = (const guint8 *) data->strings + offsets[data->offset + data->length];
  for (; p + 8 <= end; p += 8)
    {
      guint64 word;

      memcpy (&word, p, 8);
      any |= word;
    }
  for (; p < end; p++)
    any |= *p;
  return (any & G_GUINT64_CONSTANT (0x8080808080808080)) == 0;
}

static gboolean
value_is_ascii (const guint8 *s, gsize length)
{
  for (gsize i = 0; i < length; i++)
    if (s[i] >= 0x80)
      return FALSE;
  return TRUE;
}

/* The DFA on ASCII values; the regex engine, with its UTF-8 checks, on
 * the others (Unicode is its business). */
static SetlColumn *
regex_check_column_dfa (SetlBuiltinRegexCheck *self, BuiltinColumn *data, GError **error)
{
  g_autoptr(BuiltinBools) builder = builtin_bools_new (data->length);
  const gint32 *offsets = (const gint32 *) data->values + data->offset;
  const guint8 *strings = (const guint8 *) (data->strings ? data->strings : "");
  gboolean anchored = REGEX_CHECK_GET_CLASS (self)->mode != MODE_SEARCH;
#ifdef HAVE_PCRE2
  pcre2_match_data *match = NULL;
#endif

  if (strings_are_ascii (data))
    {
      builtin_dfa_match_strings (self->dfa, strings, offsets, data->length, builder->bytes);
      builder->n = data->length;
      return builtin_bools_finish (builder, error);
    }
  for (gint64 i = 0; i < data->length; i++)
    {
      const guint8 *s = strings + offsets[i];
      gsize length = (gsize) (offsets[i + 1] - offsets[i]);
      gboolean pass;

      if (value_is_ascii (s, length))
        pass = builtin_dfa_match (self->dfa, s, length);
#ifdef HAVE_PCRE2
      else if (self->code != NULL)
        {
          if (match == NULL)
            match = pcre2_match_data_create_from_pattern (self->code, NULL);
          pass = pcre2_match (self->code, s, length, 0, anchored ? PCRE2_ANCHORED : 0, match, NULL) >= 0;
        }
#endif
      else
        pass = g_regex_match_full (self->regex, (const char *) s, (gssize) length, 0,
                                   anchored ? G_REGEX_MATCH_ANCHORED : 0, NULL, NULL);
      builtin_bools_append (builder, pass);
    }
#ifdef HAVE_PCRE2
  g_clear_pointer (&match, pcre2_match_data_free);
#endif
  return builtin_bools_finish (builder, error);
}

static SetlColumn *
regex_check_column (SetlCheck *check, SetlColumn *column, GError **error)
{
  SetlBuiltinRegexCheck *self = REGEX_CHECK (check);
  GRegexMatchFlags flags = REGEX_CHECK_GET_CLASS (check)->mode == MODE_SEARCH ? 0 : G_REGEX_MATCH_ANCHORED;
  g_autoptr(BuiltinBools) builder = NULL;
  BuiltinColumn data;

  builtin_column_init (&data, column);
  if (self->dfa != NULL)
    return regex_check_column_dfa (self, &data, error);
  builder = builtin_bools_new (data.length);
#ifdef HAVE_PCRE2
  if (self->code != NULL)
    {
      pcre2_match_data *match = pcre2_match_data_create_from_pattern (self->code, NULL);
      uint32_t options = flags & G_REGEX_MATCH_ANCHORED ? PCRE2_ANCHORED : 0;

      /* pcre2_jit_match() skips pcre2_match()'s checks, UTF-8 validation of
       * every value among them, which costs as much as the match on short
       * values; it may only see valid UTF-8, so it runs when the batch's
       * text is ASCII (the common case, told by one pass over the bytes).
       * It takes no PCRE2_ANCHORED at match time: the anchoring must be in
       * the compiled pattern (see regex_prepare()). */
      if (self->jit && (options == 0 || pattern_is_anchored (self->code)) &&
          strings_are_ascii (&data))
        {
          const gint32 *offsets = (const gint32 *) data.values + data.offset;
          const char *strings = data.strings ? data.strings : "";

          for (gint64 i = 0; i < data.length; i++)
            builtin_bools_append (builder,
              pcre2_jit_match (self->code, (PCRE2_SPTR) strings + offsets[i],
                               (PCRE2_SIZE) (offsets[i + 1] - offsets[i]), 0, 0, match, NULL) >= 0);
        }
      else
        for (gint64 i = 0; i < data.length; i++)
          {
            gsize length;
            const char *s = builtin_string_row (&data, i, &length);

            builtin_bools_append (builder,
              pcre2_match (self->code, (PCRE2_SPTR) s, length, 0, options, match, NULL) >= 0);
          }
      pcre2_match_data_free (match);
      return builtin_bools_finish (builder, error);
    }
#endif
  for (gint64 i = 0; i < data.length; i++)
    {
      gsize length;
      const char *s = builtin_string_row (&data, i, &length);

      builtin_bools_append (builder,
        g_regex_match_full (self->regex, s, (gssize) length, 0, flags, NULL, NULL));
    }
  return builtin_bools_finish (builder, error);
}

static void
setl_builtin_regex_check_class_init (SetlBuiltinRegexCheckClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  SetlCheckClass *check_class = SETL_CHECK_CLASS (klass);

  object_class->get_property = regex_get_property;
  object_class->set_property = regex_set_property;
  object_class->finalize = regex_finalize;
  check_class->prepare = regex_prepare;
  check_class->check_column = regex_check_column;
}

static void
setl_builtin_regex_check_init (SetlBuiltinRegexCheck *self)
{
}

static void
regex_subclass_init (SetlBuiltinRegexCheckClass *klass,
                     const char                 *name,
                     RegexMode                   mode,
                     const char                 *blurb)
{
  SetlCheckClass *check_class = SETL_CHECK_CLASS (klass);

  /* GObject does not pass get/set_property on to subclasses. */
  G_OBJECT_CLASS (klass)->get_property = regex_get_property;
  G_OBJECT_CLASS (klass)->set_property = regex_set_property;
  klass->mode = mode;
  setl_check_class_set_check_name (check_class, name);
  builtin_class_add_types (check_class, string_only, 1);
  g_object_class_install_property (G_OBJECT_CLASS (klass), PROP_PATTERN,
    g_param_spec_string ("pattern", "pattern", blurb, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS));
}

#define DEFINE_REGEX(Name, name, NAME_STR, MODE, BLURB)                                   \
  typedef SetlBuiltinRegexCheck Name;                                                      \
  typedef SetlBuiltinRegexCheckClass Name##Class;                                          \
  G_DEFINE_FINAL_TYPE (Name, name, setl_builtin_regex_check_get_type ())                   \
  static void name##_class_init (Name##Class *klass)                                       \
  { regex_subclass_init (klass, NAME_STR, MODE, BLURB); }                                   \
  static void name##_init (Name *self) { }

DEFINE_REGEX (SetlBuiltinStrMatchesCheck, setl_builtin_str_matches_check, "str_matches", MODE_MATCH,
              "Regular expression values must match from their start")
DEFINE_REGEX (SetlBuiltinStrContainsCheck, setl_builtin_str_contains_check, "str_contains", MODE_SEARCH,
              "Regular expression found anywhere in values")
DEFINE_REGEX (SetlBuiltinPatternCheck, setl_builtin_pattern_check, "pattern", MODE_FULL,
              "Regular expression whole values must match")

/* startswith / endswith ------------------------------------------------------ */

typedef struct {
  SetlCheck parent_instance;
  char *string;
} SetlBuiltinAffixCheck;

typedef struct {
  SetlCheckClass parent_class;
  gboolean suffix;
} SetlBuiltinAffixCheckClass;

static GType setl_builtin_affix_check_get_type (void) G_GNUC_CONST;
G_DEFINE_ABSTRACT_TYPE (SetlBuiltinAffixCheck, setl_builtin_affix_check, SETL_TYPE_CHECK)

#define AFFIX_CHECK(o) ((SetlBuiltinAffixCheck *) (o))

enum { PROP_AFFIX_0, PROP_STRING };

static void
affix_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  if (prop_id == PROP_STRING)
    g_value_set_string (value, AFFIX_CHECK (object)->string);
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
affix_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  if (prop_id == PROP_STRING)
    {
      g_free (AFFIX_CHECK (object)->string);
      AFFIX_CHECK (object)->string = g_value_dup_string (value);
    }
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
affix_finalize (GObject *object)
{
  g_free (AFFIX_CHECK (object)->string);
  G_OBJECT_CLASS (setl_builtin_affix_check_parent_class)->finalize (object);
}

static gboolean
affix_prepare (SetlCheck *check, GError **error)
{
  if (AFFIX_CHECK (check)->string == NULL)
    {
      setl_check_set_parameter_error (check, error, "string", "a string is required");
      return FALSE;
    }
  return TRUE;
}

static SetlColumn *
affix_check_column (SetlCheck *check, SetlColumn *column, GError **error)
{
  const char *affix = AFFIX_CHECK (check)->string;
  gsize n = strlen (affix);
  gboolean suffix = ((SetlBuiltinAffixCheckClass *) G_OBJECT_GET_CLASS (check))->suffix;
  g_autoptr(BuiltinBools) builder = NULL;
  BuiltinColumn data;

  builtin_column_init (&data, column);
  builder = builtin_bools_new (data.length);
  for (gint64 i = 0; i < data.length; i++)
    {
      gsize length;
      const char *s = builtin_string_row (&data, i, &length);
      gboolean pass = length >= n && memcmp (suffix ? s + length - n : s, affix, n) == 0;

      builtin_bools_append (builder, pass);
    }
  return builtin_bools_finish (builder, error);
}

static gboolean
affix_synthesize (SetlCheck *check, SetlDataType type, GRand *rand, GValue *value, GError **error)
{
  const char *affix = AFFIX_CHECK (check)->string;
  gboolean suffix = ((SetlBuiltinAffixCheckClass *) G_OBJECT_GET_CLASS (check))->suffix;
  g_autofree char *middle = g_strdup_printf ("%u", (guint) g_rand_int_range (rand, 0, 1000));

  g_value_init (value, G_TYPE_STRING);
  g_value_take_string (value, suffix ? g_strconcat (middle, affix, NULL) : g_strconcat (affix, middle, NULL));
  return TRUE;
}

static void
setl_builtin_affix_check_class_init (SetlBuiltinAffixCheckClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  SetlCheckClass *check_class = SETL_CHECK_CLASS (klass);

  object_class->get_property = affix_get_property;
  object_class->set_property = affix_set_property;
  object_class->finalize = affix_finalize;
  check_class->prepare = affix_prepare;
  check_class->check_column = affix_check_column;
  check_class->synthesize = affix_synthesize;
}

static void
setl_builtin_affix_check_init (SetlBuiltinAffixCheck *self)
{
}

static void
affix_subclass_init (SetlBuiltinAffixCheckClass *klass, const char *name, gboolean suffix, const char *blurb)
{
  SetlCheckClass *check_class = SETL_CHECK_CLASS (klass);

  G_OBJECT_CLASS (klass)->get_property = affix_get_property;
  G_OBJECT_CLASS (klass)->set_property = affix_set_property;
  klass->suffix = suffix;
  setl_check_class_set_check_name (check_class, name);
  builtin_class_add_types (check_class, string_only, 1);
  g_object_class_install_property (G_OBJECT_CLASS (klass), PROP_STRING,
    g_param_spec_string ("string", "string", blurb, NULL, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS));
}

typedef SetlBuiltinAffixCheck SetlBuiltinStrStartswithCheck;
typedef SetlBuiltinAffixCheckClass SetlBuiltinStrStartswithCheckClass;
G_DEFINE_FINAL_TYPE (SetlBuiltinStrStartswithCheck, setl_builtin_str_startswith_check, setl_builtin_affix_check_get_type ())
static void setl_builtin_str_startswith_check_class_init (SetlBuiltinStrStartswithCheckClass *klass)
{
  affix_subclass_init (klass, "str_startswith", FALSE, "Text values must start with");
}
static void setl_builtin_str_startswith_check_init (SetlBuiltinStrStartswithCheck *self) { }

typedef SetlBuiltinAffixCheck SetlBuiltinStrEndswithCheck;
typedef SetlBuiltinAffixCheckClass SetlBuiltinStrEndswithCheckClass;
G_DEFINE_FINAL_TYPE (SetlBuiltinStrEndswithCheck, setl_builtin_str_endswith_check, setl_builtin_affix_check_get_type ())
static void setl_builtin_str_endswith_check_class_init (SetlBuiltinStrEndswithCheckClass *klass)
{
  affix_subclass_init (klass, "str_endswith", TRUE, "Text values must end with");
}
static void setl_builtin_str_endswith_check_init (SetlBuiltinStrEndswithCheck *self) { }

/* str_length ---------------------------------------------------------------- */

typedef struct {
  SetlCheck parent_instance;
  gint64 value;
  gint64 min_value;
  gint64 max_value;
  gint64 lo, hi;          /* the inclusive bounds prepared */
} SetlBuiltinStrLengthCheck;

typedef struct {
  SetlCheckClass parent_class;
} SetlBuiltinStrLengthCheckClass;

G_DEFINE_FINAL_TYPE (SetlBuiltinStrLengthCheck, setl_builtin_str_length_check, SETL_TYPE_CHECK)

#define STR_LENGTH(o) ((SetlBuiltinStrLengthCheck *) (o))

enum { PROP_LENGTH_0, PROP_VALUE, PROP_MIN_VALUE, PROP_MAX_VALUE };

static void
length_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  SetlBuiltinStrLengthCheck *self = STR_LENGTH (object);

  switch (prop_id)
    {
    case PROP_VALUE: g_value_set_int64 (value, self->value); break;
    case PROP_MIN_VALUE: g_value_set_int64 (value, self->min_value); break;
    case PROP_MAX_VALUE: g_value_set_int64 (value, self->max_value); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
length_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  SetlBuiltinStrLengthCheck *self = STR_LENGTH (object);

  switch (prop_id)
    {
    case PROP_VALUE: self->value = g_value_get_int64 (value); break;
    case PROP_MIN_VALUE: self->min_value = g_value_get_int64 (value); break;
    case PROP_MAX_VALUE: self->max_value = g_value_get_int64 (value); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static gboolean
length_prepare (SetlCheck *check, GError **error)
{
  SetlBuiltinStrLengthCheck *self = STR_LENGTH (check);

  if (self->value >= 0 && (self->min_value >= 0 || self->max_value >= 0))
    {
      setl_check_set_parameter_error (check, error, "value",
                                      "give either an exact length (value) or bounds (min_value, max_value), not both");
      return FALSE;
    }
  if (self->value >= 0)
    {
      self->lo = self->hi = self->value;
      return TRUE;
    }
  if (self->min_value < 0 && self->max_value < 0)
    {
      setl_check_set_parameter_error (check, error, "min_value",
                                      "at least a minimum or a maximum length is required");
      return FALSE;
    }
  self->lo = self->min_value >= 0 ? self->min_value : 0;
  self->hi = self->max_value >= 0 ? self->max_value : G_MAXINT64;
  if (self->lo > self->hi)
    {
      setl_check_set_parameter_error (check, error, "max_value",
                                      "the interval is empty: max_value %" G_GINT64_FORMAT
                                      " is below min_value %" G_GINT64_FORMAT, self->hi, self->lo);
      return FALSE;
    }
  return TRUE;
}

static SetlColumn *
length_check_column (SetlCheck *check, SetlColumn *column, GError **error)
{
  SetlBuiltinStrLengthCheck *self = STR_LENGTH (check);
  g_autoptr(BuiltinBools) builder = NULL;
  BuiltinColumn data;

  builtin_column_init (&data, column);
  builder = builtin_bools_new (data.length);
  for (gint64 i = 0; i < data.length; i++)
    {
      gsize bytes;
      const char *s = builtin_string_row (&data, i, &bytes);
      /* Characters, as Python's len(). */
      gint64 n = (gint64) g_utf8_strlen (s, (gssize) bytes);

      builtin_bools_append (builder, n >= self->lo && n <= self->hi);
    }
  return builtin_bools_finish (builder, error);
}

static gboolean
length_synthesize (SetlCheck *check, SetlDataType type, GRand *rand, GValue *value, GError **error)
{
  SetlBuiltinStrLengthCheck *self = STR_LENGTH (check);
  gint64 hi = MIN (self->hi, self->lo + 20);
  gint64 n = self->lo + (hi > self->lo ? g_rand_int_range (rand, 0, (gint32) (hi - self->lo + 1)) : 0);
  GString *s = g_string_sized_new ((gsize) n);

  for (gint64 i = 0; i < n; i++)
    g_string_append_c (s, (char) ('a' + g_rand_int_range (rand, 0, 26)));
  g_value_init (value, G_TYPE_STRING);
  g_value_take_string (value, g_string_free (s, FALSE));
  return TRUE;
}

static void
setl_builtin_str_length_check_class_init (SetlBuiltinStrLengthCheckClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  SetlCheckClass *check_class = SETL_CHECK_CLASS (klass);

  object_class->get_property = length_get_property;
  object_class->set_property = length_set_property;
  check_class->prepare = length_prepare;
  check_class->check_column = length_check_column;
  check_class->synthesize = length_synthesize;
  setl_check_class_set_check_name (check_class, "str_length");
  builtin_class_add_types (check_class, string_only, 1);

  g_object_class_install_property (object_class, PROP_VALUE,
    g_param_spec_int64 ("value", "value", "Exact length in characters (-1: none)",
                        -1, G_MAXINT64, -1, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS));
  g_object_class_install_property (object_class, PROP_MIN_VALUE,
    g_param_spec_int64 ("min-value", "min_value", "Shortest length allowed (-1: none)",
                        -1, G_MAXINT64, -1, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS));
  g_object_class_install_property (object_class, PROP_MAX_VALUE,
    g_param_spec_int64 ("max-value", "max_value", "Longest length allowed (-1: none)",
                        -1, G_MAXINT64, -1, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS));
}

static void
setl_builtin_str_length_check_init (SetlBuiltinStrLengthCheck *self)
{
  self->value = self->min_value = self->max_value = -1;
}
