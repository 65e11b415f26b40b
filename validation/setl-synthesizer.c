/* setl-synthesizer.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/**
 * SetlSynthesizer:
 *
 * Makes data for tests from a schema: rows that satisfy every check
 * (setl_synthesizer_generate()), or rows that each break exactly one named
 * check (setl_synthesizer_generate_invalid()).
 *
 * |[<!-- language="C" -->
 * g_autoptr(SetlSynthesizer) synth = setl_synthesizer_new (schema, NULL, &error);
 * setl_synthesizer_set_seed (synth, 42);
 * g_autoptr(SetlTable) rows = setl_synthesizer_generate (synth, 1000, NULL, &error);
 * ]|
 *
 * **Merging.** The constraints the built-in checks state on a column are
 * merged when the synthesizer is made: bounds (`eq`, `gt`, `ge`, `lt`,
 * `le`, `in_range`) into one interval, `isin`/`eq` into one set of allowed
 * values, `ne`/`notin` into forbidden ones, `str_length` into one length
 * range, `str_startswith`/`str_endswith` into a prefix and a suffix.
 * Contradictory constraints — an empty interval, allowed values that the
 * other checks all refuse, two prefixes that differ — are refused there,
 * with an error naming the column and the checks.
 *
 * **Any check.** Values drawn from the merged constraints are then run
 * through every check of the column, third-party ones included; a value
 * that fails is drawn again, from the synthesis hook of the check it fails
 * (#SetlCheckClass.synthesize) when the check has one — so a check library
 * that can generate passing values makes its checks usable here — or,
 * for a check with a `pattern` (a regular expression) and no hook, from a
 * string sampled from the expression. The rows
 * made are finally validated as a whole (aggregate and table checks
 * included): rows that fail give an error, never wrong data.
 *
 * **Invalid rows.** Each row breaks one target, in turn: a null in a
 * column that is not nullable, or a value that fails one check (of level
 * error, `mostly` 1) and passes the column's others; the other columns of
 * the row hold valid values. The targets table says which target each row
 * breaks, as the validation report names it (column, check, check number,
 * reason). Checks that cannot be broken alone (no value fails them and
 * passes the others) are left out: setl_synthesizer_get_unbreakable().
 * Uniqueness is a target only with `report_duplicates: exclude_first`,
 * the one mode where a duplicate makes exactly one row fail.
 */
#include "setl-validation-private.h"
#include "setl-synthesizer.h"

#include <math.h>
#include <string.h>

#define MAX_ROUNDS 64
#define INVALID_CANDIDATES 48

typedef enum {
  TARGET_CHECK,
  TARGET_NULL,
  TARGET_DUPLICATE,
} TargetKind;

typedef struct {
  TargetKind kind;
  guint column;              /* index in plan->columns */
  SetlValidatorCheck *check; /* TARGET_CHECK */
} Target;

typedef struct {
  SetlValidatorColumn *vc;
  SetlDataType type;
  /* Merged bounds, as doubles (days for dates, µs for timestamps). */
  gboolean has_lo, has_hi, lo_incl, hi_incl;
  double lo, hi;
  const char *lo_by, *hi_by;
  /* Allowed values (GValue *), NULL for any; forbidden ones. */
  GPtrArray *allowed;
  const char *allowed_by;
  GPtrArray *forbidden;
  gint64 min_len, max_len;   /* -1: none */
  const char *min_len_by, *max_len_by;
  char *prefix, *suffix;
  const char *prefix_by, *suffix_by;
  GPtrArray *verify;         /* (element-type SetlValidatorCheck): run on every value */
  double span;               /* width drawn from on an unbounded side */
} ColumnGen;

struct _SetlSynthesizer
{
  GObject parent_instance;

  SetlValidator *validator;
  GPtrArray *columns;        /* (element-type ColumnGen) */
  GPtrArray *targets;        /* (element-type Target) */
  GPtrArray *unbreakable;    /* (element-type utf8) */
  guint32 seed;
  double null_probability;
};

G_DEFINE_FINAL_TYPE (SetlSynthesizer, setl_synthesizer, G_TYPE_OBJECT)

static void
value_free (gpointer data)
{
  GValue *value = data;

  if (G_IS_VALUE (value))
    g_value_unset (value);
  g_free (value);
}

static GValue *
value_copy (const GValue *value)
{
  GValue *copy = g_new0 (GValue, 1);

  g_value_init (copy, G_VALUE_TYPE (value));
  g_value_copy (value, copy);
  return copy;
}

static void
column_gen_free (gpointer data)
{
  ColumnGen *gen = data;

  g_clear_pointer (&gen->allowed, g_ptr_array_unref);
  g_clear_pointer (&gen->forbidden, g_ptr_array_unref);
  g_clear_pointer (&gen->verify, g_ptr_array_unref);
  g_free (gen->prefix);
  g_free (gen->suffix);
  g_free (gen);
}

static void
setl_synthesizer_finalize (GObject *object)
{
  SetlSynthesizer *self = SETL_SYNTHESIZER (object);

  g_clear_pointer (&self->columns, g_ptr_array_unref);
  g_clear_pointer (&self->targets, g_ptr_array_unref);
  g_clear_pointer (&self->unbreakable, g_ptr_array_unref);
  g_clear_object (&self->validator);

  G_OBJECT_CLASS (setl_synthesizer_parent_class)->finalize (object);
}

static void
setl_synthesizer_class_init (SetlSynthesizerClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = setl_synthesizer_finalize;
}

static void
setl_synthesizer_init (SetlSynthesizer *self)
{
  self->columns = g_ptr_array_new_with_free_func (column_gen_free);
  self->targets = g_ptr_array_new_with_free_func (g_free);
  self->unbreakable = g_ptr_array_new_with_free_func (g_free);
  self->seed = 1;
}

/* ---- values ------------------------------------------------------------ */

static gboolean
is_numeric (SetlDataType type)
{
  return type == SETL_DATA_TYPE_INT64 || type == SETL_DATA_TYPE_DOUBLE ||
         type == SETL_DATA_TYPE_DATE32 || type == SETL_DATA_TYPE_TIMESTAMP;
}

static double
value_number (const GValue *value)
{
  if (G_VALUE_HOLDS_INT64 (value))
    return (double) g_value_get_int64 (value);
  if (G_VALUE_HOLDS_INT (value))
    return (double) g_value_get_int (value);
  if (G_VALUE_HOLDS_DOUBLE (value))
    return g_value_get_double (value);
  return NAN;
}

/* Stores @number in @value (uninitialised) as a value of @type. */
static void
value_set_number (GValue       *value,
                  SetlDataType  type,
                  double        number)
{
  switch (type)
    {
    case SETL_DATA_TYPE_DOUBLE:
      g_value_init (value, G_TYPE_DOUBLE);
      g_value_set_double (value, number);
      break;
    case SETL_DATA_TYPE_DATE32:
      g_value_init (value, G_TYPE_INT);
      g_value_set_int (value, (gint) CLAMP (number, G_MININT32, G_MAXINT32));
      break;
    default:
      g_value_init (value, G_TYPE_INT64);
      g_value_set_int64 (value, (gint64) CLAMP (number, -9.2e18, 9.2e18));
      break;
    }
}

static JsonNode *
check_json_property (SetlCheck  *check,
                     const char *name)
{
  GParamSpec *pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (check), name);
  JsonNode *node = NULL;

  if (pspec == NULL || pspec->value_type != JSON_TYPE_NODE)
    return NULL;
  g_object_get (check, name, &node, NULL);
  return node;
}

static gboolean
check_bool_property (SetlCheck  *check,
                     const char *name,
                     gboolean    fallback)
{
  gboolean value = fallback;

  if (g_object_class_find_property (G_OBJECT_GET_CLASS (check), name) != NULL)
    g_object_get (check, name, &value, NULL);
  return value;
}

static gint64
check_int64_property (SetlCheck  *check,
                      const char *name)
{
  GParamSpec *pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (check), name);
  gint64 value = -1;

  if (pspec == NULL || pspec->value_type != G_TYPE_INT64)
    return -1;
  g_object_get (check, name, &value, NULL);
  return value;
}

/* The values of a JSON array (or one value) as GValues of @type. */
static GPtrArray *
json_values (JsonNode     *node,
             SetlDataType  type)
{
  GPtrArray *values = g_ptr_array_new_with_free_func (value_free);

  if (node == NULL)
    return values;
  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          GValue *v = g_new0 (GValue, 1);

          if (setl_validation_value_from_json (json_array_get_element (array, i), type, v, NULL))
            g_ptr_array_add (values, v);
          else
            g_free (v);
        }
    }
  else
    {
      GValue *v = g_new0 (GValue, 1);

      if (setl_validation_value_from_json (node, type, v, NULL))
        g_ptr_array_add (values, v);
      else
        g_free (v);
    }
  return values;
}

/* ---- merging ----------------------------------------------------------- */

static void
tighten_lo (ColumnGen  *gen,
            double      bound,
            gboolean    inclusive,
            const char *by)
{
  if (isnan (bound))
    return;
  if (!gen->has_lo || bound > gen->lo || (bound == gen->lo && !inclusive))
    {
      gen->has_lo = TRUE;
      gen->lo = bound;
      gen->lo_incl = inclusive;
      gen->lo_by = by;
    }
}

static void
tighten_hi (ColumnGen  *gen,
            double      bound,
            gboolean    inclusive,
            const char *by)
{
  if (isnan (bound))
    return;
  if (!gen->has_hi || bound < gen->hi || (bound == gen->hi && !inclusive))
    {
      gen->has_hi = TRUE;
      gen->hi = bound;
      gen->hi_incl = inclusive;
      gen->hi_by = by;
    }
}

static double
json_number (JsonNode     *node,
             SetlDataType  type)
{
  g_auto(GValue) value = G_VALUE_INIT;

  if (node == NULL || !setl_validation_value_from_json (node, type, &value, NULL))
    return NAN;
  return value_number (&value);
}

static gboolean
restrict_allowed (ColumnGen   *gen,
                  GPtrArray   *values,
                  const char  *by,
                  GError     **error)
{
  if (gen->allowed == NULL)
    {
      gen->allowed = g_ptr_array_ref (values);
      gen->allowed_by = by;
      return TRUE;
    }
  for (guint i = gen->allowed->len; i-- > 0;)
    {
      gboolean found = FALSE;

      for (guint j = 0; j < values->len && !found; j++)
        found = setl_validation_value_equal (g_ptr_array_index (gen->allowed, i),
                                             g_ptr_array_index (values, j));
      if (!found)
        g_ptr_array_remove_index (gen->allowed, i);
    }
  if (gen->allowed->len == 0)
    {
      g_set_error (error, SETL_VALIDATION_ERROR, SETL_VALIDATION_ERROR_INVALID_SCHEMA,
                   "column “%s”: checks %s and %s have no value in common",
                   gen->vc->name, gen->allowed_by, by);
      return FALSE;
    }
  return TRUE;
}

static gboolean
merge_affix (char       **affix,
             const char **affix_by,
             const char  *value,
             const char  *by,
             gboolean     prefix,
             const char  *column,
             GError     **error)
{
  if (value == NULL)
    return TRUE;
  if (*affix == NULL)
    {
      *affix = g_strdup (value);
      *affix_by = by;
      return TRUE;
    }
  /* One must extend the other; keep the longer. */
  if (prefix ? g_str_has_prefix (value, *affix) : g_str_has_suffix (value, *affix))
    {
      g_free (*affix);
      *affix = g_strdup (value);
      *affix_by = by;
      return TRUE;
    }
  if (prefix ? g_str_has_prefix (*affix, value) : g_str_has_suffix (*affix, value))
    return TRUE;
  g_set_error (error, SETL_VALIDATION_ERROR, SETL_VALIDATION_ERROR_INVALID_SCHEMA,
               "column “%s”: checks %s and %s contradict each other: no text %s with both",
               column, *affix_by, by, prefix ? "starts" : "ends");
  return FALSE;
}

static gboolean
merge_check (ColumnGen           *gen,
             SetlValidatorCheck  *vcheck,
             GError             **error)
{
  SetlCheck *check = vcheck->check;
  const char *name = setl_check_get_check_name (check);
  const char *by = vcheck->description;
  SetlDataType type = gen->type;

  if (g_str_equal (name, "eq") || g_str_equal (name, "isin"))
    {
      g_autoptr(JsonNode) node = check_json_property (check, g_str_equal (name, "eq") ? "value" : "allowed-values");
      g_autoptr(GPtrArray) values = NULL;

      if (node == NULL)
        return TRUE;
      /* isin "abc" on strings means one of the characters, as in Pandera;
       * leave such sets to the check itself. */
      if (!g_str_equal (name, "eq") && !JSON_NODE_HOLDS_ARRAY (node))
        return TRUE;
      values = json_values (node, type);
      return restrict_allowed (gen, values, by, error);
    }
  if (g_str_equal (name, "ne") || g_str_equal (name, "notin"))
    {
      g_autoptr(JsonNode) node = check_json_property (check, g_str_equal (name, "ne") ? "value" : "forbidden-values");
      g_autoptr(GPtrArray) values = json_values (node, type);

      for (guint i = 0; i < values->len; i++)
        g_ptr_array_add (gen->forbidden, value_copy (g_ptr_array_index (values, i)));
      return TRUE;
    }
  if (is_numeric (type))
    {
      if (g_str_equal (name, "gt") || g_str_equal (name, "ge"))
        {
          g_autoptr(JsonNode) node = check_json_property (check, "min-value");

          tighten_lo (gen, json_number (node, type), g_str_equal (name, "ge"), by);
        }
      else if (g_str_equal (name, "lt") || g_str_equal (name, "le"))
        {
          g_autoptr(JsonNode) node = check_json_property (check, "max-value");

          tighten_hi (gen, json_number (node, type), g_str_equal (name, "le"), by);
        }
      else if (g_str_equal (name, "in_range"))
        {
          g_autoptr(JsonNode) lo = check_json_property (check, "min-value");
          g_autoptr(JsonNode) hi = check_json_property (check, "max-value");

          tighten_lo (gen, json_number (lo, type), check_bool_property (check, "include-min", TRUE), by);
          tighten_hi (gen, json_number (hi, type), check_bool_property (check, "include-max", TRUE), by);
        }
      return TRUE;
    }
  if (type != SETL_DATA_TYPE_STRING)
    return TRUE;
  if (g_str_equal (name, "str_length"))
    {
      gint64 exact = check_int64_property (check, "value");
      gint64 lo = exact >= 0 ? exact : check_int64_property (check, "min-value");
      gint64 hi = exact >= 0 ? exact : check_int64_property (check, "max-value");

      if (lo >= 0 && lo > gen->min_len)
        {
          gen->min_len = lo;
          gen->min_len_by = by;
        }
      if (hi >= 0 && (gen->max_len < 0 || hi < gen->max_len))
        {
          gen->max_len = hi;
          gen->max_len_by = by;
        }
      if (gen->max_len >= 0 && gen->min_len > gen->max_len)
        {
          g_set_error (error, SETL_VALIDATION_ERROR, SETL_VALIDATION_ERROR_INVALID_SCHEMA,
                       "column “%s”: checks %s and %s contradict each other: no text is at least "
                       "%" G_GINT64_FORMAT " and at most %" G_GINT64_FORMAT " characters long",
                       gen->vc->name, gen->min_len_by, gen->max_len_by, gen->min_len, gen->max_len);
          return FALSE;
        }
      return TRUE;
    }
  if (g_str_equal (name, "str_startswith") || g_str_equal (name, "str_endswith"))
    {
      g_autofree char *affix = NULL;
      gboolean prefix = g_str_equal (name, "str_startswith");

      if (g_object_class_find_property (G_OBJECT_GET_CLASS (check), "string") != NULL)
        g_object_get (check, "string", &affix, NULL);
      return prefix ? merge_affix (&gen->prefix, &gen->prefix_by, affix, by, TRUE, gen->vc->name, error)
                    : merge_affix (&gen->suffix, &gen->suffix_by, affix, by, FALSE, gen->vc->name, error);
    }
  return TRUE;
}

/* The interval, once merged, must hold a value. */
static gboolean
check_interval (ColumnGen  *gen,
                GError    **error)
{
  gboolean empty = FALSE;

  if (!gen->has_lo || !gen->has_hi)
    return TRUE;
  if (gen->lo > gen->hi)
    empty = TRUE;
  else if (gen->lo == gen->hi && !(gen->lo_incl && gen->hi_incl))
    empty = TRUE;
  else if (gen->type != SETL_DATA_TYPE_DOUBLE)
    {
      double first = gen->lo_incl ? ceil (gen->lo) : floor (gen->lo) + 1;
      double last = gen->hi_incl ? floor (gen->hi) : ceil (gen->hi) - 1;

      empty = first > last;
    }
  if (!empty)
    return TRUE;
  if (gen->lo_by == gen->hi_by)
    g_set_error (error, SETL_VALIDATION_ERROR, SETL_VALIDATION_ERROR_INVALID_SCHEMA,
                 "column “%s”: check %s allows no %s value",
                 gen->vc->name, gen->lo_by, setl_data_type_to_string (gen->type));
  else
    g_set_error (error, SETL_VALIDATION_ERROR, SETL_VALIDATION_ERROR_INVALID_SCHEMA,
                 "column “%s”: checks %s and %s contradict each other: no %s value satisfies both",
                 gen->vc->name, gen->lo_by, gen->hi_by, setl_data_type_to_string (gen->type));
  return FALSE;
}

static gboolean
in_interval (ColumnGen *gen,
             double     v)
{
  if (gen->has_lo && (v < gen->lo || (v == gen->lo && !gen->lo_incl)))
    return FALSE;
  if (gen->has_hi && (v > gen->hi || (v == gen->hi && !gen->hi_incl)))
    return FALSE;
  return TRUE;
}

static gboolean
is_forbidden (ColumnGen    *gen,
              const GValue *value)
{
  for (guint i = 0; i < gen->forbidden->len; i++)
    if (setl_validation_value_equal (value, g_ptr_array_index (gen->forbidden, i)))
      return TRUE;
  return FALSE;
}

/* A column of @values (unset GValues are nulls). */
static SetlColumn *
make_column (SetlDataType   type,
             GValue        *values,
             gint64         n,
             GError       **error)
{
  g_autoptr(SetlColumnBuilder) builder = setl_column_builder_new (type);

  setl_column_builder_reserve (builder, n, 0);
  for (gint64 i = 0; i < n; i++)
    {
      GValue *v = &values[i];

      if (!G_IS_VALUE (v))
        {
          setl_column_builder_append_null (builder);
          continue;
        }
      switch (type)
        {
        case SETL_DATA_TYPE_BOOL: setl_column_builder_append_bool (builder, g_value_get_boolean (v)); break;
        case SETL_DATA_TYPE_INT64: setl_column_builder_append_int64 (builder, g_value_get_int64 (v)); break;
        case SETL_DATA_TYPE_DOUBLE: setl_column_builder_append_double (builder, g_value_get_double (v)); break;
        case SETL_DATA_TYPE_STRING: setl_column_builder_append_string (builder, g_value_get_string (v), -1); break;
        case SETL_DATA_TYPE_DATE32: setl_column_builder_append_date32 (builder, g_value_get_int (v)); break;
        case SETL_DATA_TYPE_TIMESTAMP: setl_column_builder_append_timestamp (builder, g_value_get_int64 (v)); break;
        default: setl_column_builder_append_null (builder); break;
        }
    }
  return setl_column_builder_finish (builder, error);
}

/* Runs @check over @values; sets failed[i] for the values that fail. */
static gboolean
run_check (SetlValidatorCheck  *vcheck,
           SetlDataType         type,
           GValue              *values,
           gint64               n,
           gboolean            *failed,
           GError             **error)
{
  g_autoptr(SetlColumn) column = make_column (type, values, n, error);
  g_autoptr(GArray) indices = NULL;

  if (column == NULL ||
      !setl_check_run (vcheck->check, column, NULL, &indices, error))
    return FALSE;
  for (guint i = 0; indices != NULL && i < indices->len; i++)
    failed[g_array_index (indices, gint64, i)] = TRUE;
  return TRUE;
}

/* ---- drawing values ---------------------------------------------------- */

static char *
random_text (GRand      *rand,
             gint64      length,
             const char *prefix,
             const char *suffix)
{
  GString *s = g_string_new (prefix);
  gint64 middle = length - (gint64) strlen (prefix ? prefix : "") - (gint64) strlen (suffix ? suffix : "");

  for (gint64 i = 0; i < middle; i++)
    g_string_append_c (s, 'a' + g_rand_int_range (rand, 0, 26));
  if (suffix)
    g_string_append (s, suffix);
  return g_string_free (s, FALSE);
}

/* The default span of an unbounded side. */
static double
default_span (SetlDataType type)
{
  switch (type)
    {
    case SETL_DATA_TYPE_DATE32: return 365.0 * 30;
    case SETL_DATA_TYPE_TIMESTAMP: return 365.0 * 30 * 86400 * 1e6;
    default: return 1000.0;
    }
}

static double
default_origin (SetlDataType type)
{
  switch (type)
    {
    case SETL_DATA_TYPE_DATE32: return 10957;            /* 2000-01-01 */
    case SETL_DATA_TYPE_TIMESTAMP: return 946684800e6;   /* 2000-01-01 00:00 UTC */
    default: return 0;
    }
}

/* A value drawn from the merged constraints (not yet run through the
 * checks). */
static void
draw_valid (ColumnGen *gen,
            GRand     *rand,
            GValue    *out)
{
  if (gen->allowed != NULL)
    {
      const GValue *v = g_ptr_array_index (gen->allowed, g_rand_int_range (rand, 0, (gint32) gen->allowed->len));

      g_value_init (out, G_VALUE_TYPE (v));
      g_value_copy (v, out);
      return;
    }
  if (is_numeric (gen->type))
    {
      double span = gen->span;
      double lo = gen->has_lo ? gen->lo : (gen->has_hi ? MIN (gen->hi, default_origin (gen->type)) - span
                                                       : default_origin (gen->type));
      double hi = gen->has_hi ? gen->hi : lo + span;
      double v;

      if (gen->type == SETL_DATA_TYPE_DOUBLE)
        {
          v = lo + (hi - lo) * g_rand_double (rand);
          if (!in_interval (gen, v))
            v = (lo + hi) / 2;
        }
      else
        {
          double first = gen->has_lo && !gen->lo_incl && floor (lo) == lo ? lo + 1 : ceil (lo);
          double last = gen->has_hi && !gen->hi_incl && floor (hi) == hi ? hi - 1 : floor (hi);

          if (last < first)
            last = first;
          v = first + floor (g_rand_double (rand) * (last - first + 1));
          if (v > last)
            v = last;
        }
      value_set_number (out, gen->type, v);
      return;
    }
  if (gen->type == SETL_DATA_TYPE_STRING)
    {
      gint64 affixes = (gint64) strlen (gen->prefix ? gen->prefix : "") + (gint64) strlen (gen->suffix ? gen->suffix : "");
      gint64 lo = MAX (MAX (gen->min_len, 0), MIN (affixes, gen->max_len >= 0 ? gen->max_len : affixes));
      gint64 hi = gen->max_len >= 0 ? gen->max_len : MAX (lo, affixes) + 10;
      gint64 length;

      if (lo < 1 && hi >= 1)
        lo = 1;
      length = lo + (hi > lo ? g_rand_int_range (rand, 0, (gint32) MIN (hi - lo + 1, G_MAXINT32)) : 0);
      g_value_init (out, G_TYPE_STRING);
      g_value_take_string (out, random_text (rand, length, gen->prefix, gen->suffix));
      return;
    }
  g_value_init (out, G_TYPE_BOOLEAN);
  g_value_set_boolean (out, g_rand_boolean (rand));
}

/* ---- strings a regular expression matches ------------------------------ */

/* A small generator for the regular expressions schemas use: literals,
 * escapes (\d \w \s and escaped characters), classes ([a-z0-9_], negated
 * ones over printable ASCII), `.`, groups with alternatives, the
 * quantifiers * + ? {m} {m,} {m,n}, and ^ $ anchors. Anything else
 * (back-references, look-arounds) gives up: the caller draws otherwise. */
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
static char *
regex_sample (const char *pattern,
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

/* ---- construction ------------------------------------------------------ */

static gboolean
prepare_column (SetlSynthesizer      *self,
                SetlValidatorColumn  *vc,
                GError              **error)
{
  ColumnGen *gen = g_new0 (ColumnGen, 1);

  gen->vc = vc;
  gen->type = vc->type;
  gen->min_len = gen->max_len = -1;
  gen->forbidden = g_ptr_array_new_with_free_func (value_free);
  gen->verify = g_ptr_array_new ();
  g_ptr_array_add (self->columns, gen);

  for (guint i = 0; i < vc->checks->len; i++)
    {
      SetlValidatorCheck *vcheck = g_ptr_array_index (vc->checks, i);

      if (vcheck->aggregate)
        continue;   /* judged on the whole data at the end */
      g_ptr_array_add (gen->verify, vcheck);
      if (!merge_check (gen, vcheck, error))
        return FALSE;
    }
  if (!check_interval (gen, error))
    return FALSE;

  /* Allowed values must get through every other constraint. */
  if (gen->allowed != NULL)
    {
      g_autoptr(GPtrArray) rejected_by = g_ptr_array_new ();
      gint64 n = gen->allowed->len;
      g_autofree GValue *values = g_new0 (GValue, n);
      g_autofree gboolean *failed = g_new0 (gboolean, n);

      for (gint64 i = 0; i < n; i++)
        {
          const GValue *v = g_ptr_array_index (gen->allowed, i);

          g_value_init (&values[i], G_VALUE_TYPE (v));
          g_value_copy (v, &values[i]);
          if (is_forbidden (gen, v) || (is_numeric (gen->type) && !in_interval (gen, value_number (v))))
            failed[i] = TRUE;
        }
      for (guint c = 0; c < gen->verify->len; c++)
        {
          g_autofree gboolean *fails = g_new0 (gboolean, n);
          SetlValidatorCheck *vcheck = g_ptr_array_index (gen->verify, c);
          gboolean rejected = FALSE;

          if (!run_check (vcheck, gen->type, values, n, fails, error))
            {
              for (gint64 i = 0; i < n; i++)
                g_value_unset (&values[i]);
              return FALSE;
            }
          for (gint64 i = 0; i < n; i++)
            if (fails[i] && !failed[i])
              {
                failed[i] = TRUE;
                rejected = TRUE;
              }
          if (rejected)
            g_ptr_array_add (rejected_by, vcheck->description);
        }
      for (gint64 i = n; i-- > 0;)
        {
          g_value_unset (&values[i]);
          if (failed[i])
            g_ptr_array_remove_index (gen->allowed, (guint) i);
        }
      if (gen->allowed->len == 0)
        {
          g_autofree char *others = NULL;

          g_ptr_array_add (rejected_by, NULL);
          others = g_strjoinv (", ", (char **) rejected_by->pdata);
          g_set_error (error, SETL_VALIDATION_ERROR, SETL_VALIDATION_ERROR_INVALID_SCHEMA,
                       "column “%s”: no value allowed by %s passes the other checks%s%s",
                       vc->name, gen->allowed_by, *others ? ": " : "", others);
          return FALSE;
        }
    }

  /* Targets for invalid rows. */
  if (!vc->nullable)
    {
      Target *t = g_new0 (Target, 1);

      t->kind = TARGET_NULL;
      t->column = self->columns->len - 1;
      g_ptr_array_add (self->targets, t);
    }
  for (guint c = 0; c < gen->verify->len; c++)
    {
      SetlValidatorCheck *vcheck = g_ptr_array_index (gen->verify, c);
      Target *t;

      /* A warning, or a check passing on "mostly", makes no row fail. */
      if (setl_check_get_level (vcheck->check) != SETL_CHECK_LEVEL_ERROR ||
          setl_check_get_mostly (vcheck->check) < 1.0)
        continue;
      t = g_new0 (Target, 1);
      t->kind = TARGET_CHECK;
      t->column = self->columns->len - 1;
      t->check = vcheck;
      g_ptr_array_add (self->targets, t);
    }
  if (vc->unique && vc->report_duplicates == SETL_SCHEMA_REPORT_DUPLICATES_EXCLUDE_FIRST)
    {
      Target *t = g_new0 (Target, 1);

      t->kind = TARGET_DUPLICATE;
      t->column = self->columns->len - 1;
      g_ptr_array_add (self->targets, t);
    }
  return TRUE;
}

/**
 * setl_synthesizer_new:
 * @schema: the schema the rows are made for
 * @catalog: (nullable): where the checks come from; the default catalog
 *   if %NULL
 * @error: return location for a #GError
 *
 * Builds the schema's checks and merges the constraints they put on each
 * column.
 *
 * Returns: (transfer full): a new #SetlSynthesizer, or %NULL with @error
 *   set if a check cannot be built or the checks on a column contradict
 *   each other (%SETL_VALIDATION_ERROR_INVALID_SCHEMA, naming the column
 *   and the checks)
 */
SetlSynthesizer *
setl_synthesizer_new (SetlSchema        *schema,
                      SetlCheckCatalog  *catalog,
                      GError           **error)
{
  g_autoptr(SetlSynthesizer) self = NULL;
  SetlValidatorPlan *plan;

  g_return_val_if_fail (SETL_IS_SCHEMA (schema), NULL);
  g_return_val_if_fail (catalog == NULL || SETL_IS_CHECK_CATALOG (catalog), NULL);

  self = g_object_new (SETL_TYPE_SYNTHESIZER, NULL);
  self->validator = setl_validator_new (schema, catalog, error);
  if (self->validator == NULL)
    return NULL;
  setl_validator_set_lazy (self->validator, TRUE);
  plan = _setl_validator_get_plan (self->validator);
  for (guint i = 0; i < plan->columns->len; i++)
    if (!prepare_column (self, g_ptr_array_index (plan->columns, i), error))
      return NULL;
  return g_steal_pointer (&self);
}

/**
 * setl_synthesizer_get_schema:
 * @self: a #SetlSynthesizer
 *
 * Returns: (transfer none): the schema
 */
SetlSchema *
setl_synthesizer_get_schema (SetlSynthesizer *self)
{
  g_return_val_if_fail (SETL_IS_SYNTHESIZER (self), NULL);
  return setl_validator_get_schema (self->validator);
}

/**
 * setl_synthesizer_get_seed:
 * @self: a #SetlSynthesizer
 *
 * Returns: the seed of the random draws (1 unless set)
 */
guint32
setl_synthesizer_get_seed (SetlSynthesizer *self)
{
  g_return_val_if_fail (SETL_IS_SYNTHESIZER (self), 0);
  return self->seed;
}

/**
 * setl_synthesizer_set_seed:
 * @self: a #SetlSynthesizer
 * @seed: the seed
 *
 * Sets the seed: the same seed and schema give the same rows.
 */
void
setl_synthesizer_set_seed (SetlSynthesizer *self,
                           guint32          seed)
{
  g_return_if_fail (SETL_IS_SYNTHESIZER (self));
  self->seed = seed;
}

/**
 * setl_synthesizer_get_null_probability:
 * @self: a #SetlSynthesizer
 *
 * Returns: the probability of a null in a nullable column (0 unless set)
 */
double
setl_synthesizer_get_null_probability (SetlSynthesizer *self)
{
  g_return_val_if_fail (SETL_IS_SYNTHESIZER (self), 0);
  return self->null_probability;
}

/**
 * setl_synthesizer_set_null_probability:
 * @self: a #SetlSynthesizer
 * @probability: between 0 and 1
 *
 * Sets how often a value of a nullable column is null in valid rows.
 */
void
setl_synthesizer_set_null_probability (SetlSynthesizer *self,
                                       double           probability)
{
  g_return_if_fail (SETL_IS_SYNTHESIZER (self));
  g_return_if_fail (probability >= 0 && probability <= 1);
  self->null_probability = probability;
}

/**
 * setl_synthesizer_get_unbreakable:
 * @self: a #SetlSynthesizer
 *
 * The checks setl_synthesizer_generate_invalid() could not break alone in
 * its last call (every value that fails them fails another check of the
 * column too, or none could be found), as `column: check`.
 *
 * Returns: (transfer full) (array zero-terminated=1): the descriptions
 */
char **
setl_synthesizer_get_unbreakable (SetlSynthesizer *self)
{
  GStrvBuilder *builder = g_strv_builder_new ();
  char **result;

  g_return_val_if_fail (SETL_IS_SYNTHESIZER (self), NULL);

  for (guint i = 0; i < self->unbreakable->len; i++)
    g_strv_builder_add (builder, g_ptr_array_index (self->unbreakable, i));
  result = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);
  return result;
}

/* ---- valid rows -------------------------------------------------------- */

typedef struct {
  GHashTable *seen;   /* unique columns: GValue * → NULL */
} ColumnState;

static guint
gvalue_hash (gconstpointer v)
{
  return setl_validation_value_hash (v);
}

static gboolean
gvalue_equal (gconstpointer a,
              gconstpointer b)
{
  return setl_validation_value_equal (a, b);
}

/* Fills @values[0..n) with valid values of column @gen: drawn, run through
 * the checks, drawn again (from the failing check's hook when it has one)
 * where they fail. */
static gboolean
fill_valid (SetlSynthesizer  *self,
            ColumnGen        *gen,
            ColumnState      *state,
            GRand            *rand,
            GValue           *values,
            gint64            n,
            gboolean          allow_nulls,
            GError          **error)
{
  g_autofree gboolean *bad = g_new0 (gboolean, n);
  g_autofree SetlValidatorCheck **failed_by = g_new0 (SetlValidatorCheck *, n);
  gint64 n_bad = n;

  for (gint64 i = 0; i < n; i++)
    bad[i] = TRUE;

  for (guint round = 0; n_bad > 0; round++)
    {
      if (round == MAX_ROUNDS)
        {
          for (gint64 i = 0; i < n; i++)
            if (bad[i])
              {
                g_set_error (error, SETL_VALIDATION_ERROR, SETL_VALIDATION_ERROR_INVALID_SCHEMA,
                             "column “%s”: no value passing every check was found after %d tries%s%s%s",
                             gen->vc->name, MAX_ROUNDS,
                             failed_by[i] ? " (check " : (gen->vc->unique ? " (the column is unique" : ""),
                             failed_by[i] ? failed_by[i]->description : "",
                             failed_by[i] || gen->vc->unique ? " keeps failing)" : "");
                return FALSE;
              }
        }
      /* Draw the values still bad. */
      for (gint64 i = 0; i < n; i++)
        {
          if (!bad[i])
            continue;
          if (G_IS_VALUE (&values[i]))
            g_value_unset (&values[i]);
          if (allow_nulls && gen->vc->nullable && self->null_probability > 0 &&
              g_rand_double (rand) < self->null_probability)
            continue;   /* a null: passes every check */
          if (failed_by[i] != NULL && setl_check_can_synthesize (failed_by[i]->check) && (round & 1))
            {
              if (setl_check_synthesize (failed_by[i]->check, gen->type, rand, &values[i], NULL))
                continue;
            }
          /* A pattern check with no hook of its own: a string its regular
           * expression matches. */
          if (failed_by[i] != NULL && gen->type == SETL_DATA_TYPE_STRING &&
              !setl_check_can_synthesize (failed_by[i]->check))
            {
              g_autofree char *pattern = NULL;

              if (g_object_class_find_property (G_OBJECT_GET_CLASS (failed_by[i]->check), "pattern") != NULL)
                g_object_get (failed_by[i]->check, "pattern", &pattern, NULL);
              if (pattern != NULL)
                {
                  char *text = regex_sample (pattern, rand);

                  if (text != NULL)
                    {
                      g_value_init (&values[i], G_TYPE_STRING);
                      g_value_take_string (&values[i], text);
                      continue;
                    }
                }
            }
          draw_valid (gen, rand, &values[i]);
        }
      /* Judge the values drawn this round (a bitwise copy, packed):
       * merged constraints, then every check, then uniqueness. */
      {
        g_autofree gint64 *pending = g_new (gint64, n_bad);
        g_autofree GValue *packed = g_new0 (GValue, n_bad);
        gint64 m = 0;

        for (gint64 i = 0; i < n; i++)
          if (bad[i])
            {
              pending[m] = i;
              packed[m++] = values[i];
            }
        for (gint64 k = 0; k < m; k++)
          {
            gint64 i = pending[k];

            bad[i] = FALSE;
            failed_by[i] = NULL;
            if (G_IS_VALUE (&values[i]) &&
                (is_forbidden (gen, &values[i]) ||
                 (is_numeric (gen->type) && !in_interval (gen, value_number (&values[i])))))
              bad[i] = TRUE;
          }
        for (guint c = 0; c < gen->verify->len; c++)
          {
            g_autofree gboolean *fails = g_new0 (gboolean, m);
            SetlValidatorCheck *vcheck = g_ptr_array_index (gen->verify, c);

            if (!run_check (vcheck, gen->type, packed, m, fails, error))
              return FALSE;
            for (gint64 k = 0; k < m; k++)
              if (fails[k])
                {
                  bad[pending[k]] = TRUE;
                  if (failed_by[pending[k]] == NULL)
                    failed_by[pending[k]] = vcheck;
                }
          }
        if (state->seen != NULL)
          for (gint64 k = 0; k < m; k++)
            {
              gint64 i = pending[k];

              if (bad[i] || !G_IS_VALUE (&values[i]))
                continue;
              if (g_hash_table_contains (state->seen, &values[i]))
                bad[i] = TRUE;
              else
                g_hash_table_add (state->seen, value_copy (&values[i]));
            }
      }
      n_bad = 0;
      for (gint64 i = 0; i < n; i++)
        n_bad += bad[i];
    }
  return TRUE;
}

static GPtrArray *
make_fields (SetlSynthesizer *self)
{
  GPtrArray *fields = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < self->columns->len; i++)
    {
      ColumnGen *gen = g_ptr_array_index (self->columns, i);

      /* Nullable fields throughout: invalid rows put nulls anywhere. */
      g_ptr_array_add (fields, setl_field_new (gen->vc->name, gen->type, TRUE));
    }
  return fields;
}

static void
states_init (SetlSynthesizer *self,
             ColumnState     *states)
{
  for (guint i = 0; i < self->columns->len; i++)
    {
      ColumnGen *gen = g_ptr_array_index (self->columns, i);

      states[i].seen = gen->vc->unique
        ? g_hash_table_new_full (gvalue_hash, gvalue_equal, value_free, NULL) : NULL;
    }
}

static void
states_clear (SetlSynthesizer *self,
              ColumnState     *states)
{
  for (guint i = 0; i < self->columns->len; i++)
    g_clear_pointer (&states[i].seen, g_hash_table_unref);
}

/* Unique columns need room: draw from a span ten times the rows, and
 * refuse an interval holding fewer integers than rows. */
static gboolean
prepare_spans (SetlSynthesizer  *self,
               gint64            n_rows,
               GError          **error)
{
  for (guint i = 0; i < self->columns->len; i++)
    {
      ColumnGen *gen = g_ptr_array_index (self->columns, i);

      gen->span = default_span (gen->type);
      if (!gen->vc->unique)
        continue;
      if (gen->type != SETL_DATA_TYPE_DOUBLE && is_numeric (gen->type))
        gen->span = MAX (gen->span, (double) n_rows * 10);
      if (gen->allowed != NULL && (gint64) gen->allowed->len < n_rows)
        {
          g_set_error (error, SETL_VALIDATION_ERROR, SETL_VALIDATION_ERROR_INVALID_SCHEMA,
                       "column “%s” is unique, but %s allows %u values, fewer than %" G_GINT64_FORMAT " rows",
                       gen->vc->name, gen->allowed_by, gen->allowed->len, n_rows);
          return FALSE;
        }
      if (gen->has_lo && gen->has_hi && gen->type != SETL_DATA_TYPE_DOUBLE && is_numeric (gen->type))
        {
          double first = gen->lo_incl ? ceil (gen->lo) : floor (gen->lo) + 1;
          double last = gen->hi_incl ? floor (gen->hi) : ceil (gen->hi) - 1;

          if (last - first + 1 < (double) n_rows)
            {
              g_set_error (error, SETL_VALIDATION_ERROR, SETL_VALIDATION_ERROR_INVALID_SCHEMA,
                           "column “%s” is unique, but checks %s and %s allow %.0f values, "
                           "fewer than %" G_GINT64_FORMAT " rows",
                           gen->vc->name, gen->lo_by, gen->hi_by, last - first + 1, n_rows);
              return FALSE;
            }
        }
    }
  return TRUE;
}

static SetlRecordBatch *
make_batch (SetlSynthesizer  *self,
            GPtrArray        *fields,
            GValue          **columns,
            gint64            n,
            GError          **error)
{
  g_autoptr(GPtrArray) built = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint c = 0; c < self->columns->len; c++)
    {
      ColumnGen *gen = g_ptr_array_index (self->columns, c);
      SetlColumn *column = make_column (gen->type, columns[c], n, error);

      if (column == NULL)
        return NULL;
      g_ptr_array_add (built, column);
    }
  return setl_record_batch_new ((SetlField **) fields->pdata, fields->len,
                                (SetlColumn **) built->pdata, built->len, error);
}

/* Validates @table as a whole; rows that fail are an error. */
static gboolean
verify_table (SetlSynthesizer  *self,
              SetlTable        *table,
              GCancellable     *cancellable,
              GError          **error)
{
  g_autoptr(SetlValidationReport) report = NULL;
  g_autofree char *text = NULL;

  report = setl_validator_validate (self->validator, SETL_BATCH_STREAM (table), cancellable, error);
  if (report == NULL)
    return FALSE;
  if (setl_validation_report_get_valid (report))
    return TRUE;
  text = setl_validation_report_to_text (report);
  g_set_error (error, SETL_VALIDATION_ERROR, SETL_VALIDATION_ERROR_INVALID_SCHEMA,
               "the synthesized rows do not pass the schema (checks on the whole data, "
               "or between columns, cannot be synthesized):\n%s", text);
  return FALSE;
}

#define SYNTH_BATCH_ROWS 65536

/**
 * setl_synthesizer_generate:
 * @self: a #SetlSynthesizer
 * @n_rows: how many rows
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Makes @n_rows rows that pass the schema, and checks that they do.
 *
 * Returns: (transfer full): the rows, one column per schema column; %NULL
 *   with @error set if no such rows could be made (a check no value was
 *   found for, aggregate or table checks the rows fail)
 */
SetlTable *
setl_synthesizer_generate (SetlSynthesizer  *self,
                           gint64            n_rows,
                           GCancellable     *cancellable,
                           GError          **error)
{
  g_autoptr(GRand) rand = NULL;
  g_autoptr(GPtrArray) fields = NULL;
  g_autoptr(GPtrArray) batches = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(SetlTable) table = NULL;
  g_autofree ColumnState *states = NULL;
  guint n_columns;
  gboolean ok = TRUE;

  g_return_val_if_fail (SETL_IS_SYNTHESIZER (self), NULL);
  g_return_val_if_fail (n_rows >= 0, NULL);

  rand = g_rand_new_with_seed (self->seed);
  fields = make_fields (self);
  n_columns = self->columns->len;
  states = g_new0 (ColumnState, MAX (n_columns, 1));
  states_init (self, states);
  if (!prepare_spans (self, n_rows, error))
    {
      states_clear (self, states);
      return NULL;
    }

  for (gint64 done = 0; ok && done < n_rows; done += SYNTH_BATCH_ROWS)
    {
      gint64 n = MIN (SYNTH_BATCH_ROWS, n_rows - done);
      g_autofree GValue **columns = g_new0 (GValue *, MAX (n_columns, 1));
      SetlRecordBatch *batch = NULL;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        {
          ok = FALSE;
          break;
        }
      for (guint c = 0; c < n_columns; c++)
        columns[c] = g_new0 (GValue, n);
      for (guint c = 0; ok && c < n_columns; c++)
        ok = fill_valid (self, g_ptr_array_index (self->columns, c), &states[c], rand,
                         columns[c], n, TRUE, error);
      if (ok)
        batch = make_batch (self, fields, columns, n, error);
      ok = ok && batch != NULL;
      if (batch != NULL)
        g_ptr_array_add (batches, batch);
      for (guint c = 0; c < n_columns; c++)
        {
          for (gint64 i = 0; i < n; i++)
            if (G_IS_VALUE (&columns[c][i]))
              g_value_unset (&columns[c][i]);
          g_free (columns[c]);
        }
    }
  states_clear (self, states);
  if (!ok)
    return NULL;
  table = setl_table_new ((SetlField **) fields->pdata, fields->len,
                          (SetlRecordBatch **) batches->pdata, batches->len, error);
  if (table == NULL || !verify_table (self, table, cancellable, error))
    return NULL;
  return g_steal_pointer (&table);
}

/* ---- invalid rows ------------------------------------------------------ */

/* Values likely to fail some check of @gen: past the bounds, forbidden,
 * near the allowed ones, of wrong lengths, without the affixes, random. */
static gint64
draw_invalid_candidates (ColumnGen *gen,
                         GRand     *rand,
                         GValue    *out,
                         gint64     max)
{
  gint64 n = 0;

#define ADD_NUMBER(x) G_STMT_START { if (n < max) value_set_number (&out[n++], gen->type, (x)); } G_STMT_END
#define ADD_STRING(s) G_STMT_START { if (n < max) { g_value_init (&out[n], G_TYPE_STRING); g_value_take_string (&out[n++], (s)); } else g_free (s); } G_STMT_END

  for (guint i = 0; i < gen->forbidden->len && n < max / 4; i++)
    {
      g_value_init (&out[n], G_VALUE_TYPE (g_ptr_array_index (gen->forbidden, i)));
      g_value_copy (g_ptr_array_index (gen->forbidden, i), &out[n++]);
    }
  if (is_numeric (gen->type))
    {
      double step = gen->type == SETL_DATA_TYPE_DOUBLE ? 0.5 : 1;

      for (int k = 0; k < 4; k++)
        {
          double far = (double) g_rand_int_range (rand, 1, 1000) * step;

          if (gen->has_lo)
            ADD_NUMBER (gen->lo - (k == 0 ? (gen->lo_incl ? step : 0) : far));
          if (gen->has_hi)
            ADD_NUMBER (gen->hi + (k == 0 ? (gen->hi_incl ? step : 0) : far));
        }
      for (guint i = 0; gen->allowed != NULL && i < gen->allowed->len && i < 8; i++)
        {
          double v = value_number (g_ptr_array_index (gen->allowed, i));

          ADD_NUMBER (v + step);
          ADD_NUMBER (v - step);
        }
      while (n < max)
        ADD_NUMBER (default_origin (gen->type) +
                    (g_rand_double (rand) - 0.5) * 2 * default_span (gen->type) * 1000);
    }
  else if (gen->type == SETL_DATA_TYPE_STRING)
    {
      gint64 too_short = gen->min_len > 0 ? gen->min_len - 1 : -1;
      gint64 too_long = gen->max_len >= 0 ? gen->max_len + 1 : -1;

      if (too_short >= 0)
        {
          ADD_STRING (random_text (rand, too_short, NULL, NULL));
          if ((gint64) (strlen (gen->prefix ? gen->prefix : "") + strlen (gen->suffix ? gen->suffix : "")) <= too_short)
            ADD_STRING (random_text (rand, too_short, gen->prefix, gen->suffix));
        }
      if (too_long >= 0)
        {
          ADD_STRING (random_text (rand, too_long, gen->prefix, gen->suffix));
          ADD_STRING (random_text (rand, too_long + 3, NULL, NULL));
        }
      if (gen->prefix || gen->suffix)
        {
          gint64 length = gen->min_len > 0 ? gen->min_len : 6;

          if (gen->max_len >= 0 && length > gen->max_len)
            length = gen->max_len;
          ADD_STRING (random_text (rand, length, NULL, gen->suffix));
          ADD_STRING (random_text (rand, length, gen->prefix, NULL));
          ADD_STRING (random_text (rand, length, NULL, NULL));
        }
      for (guint i = 0; gen->allowed != NULL && i < gen->allowed->len && i < 8; i++)
        ADD_STRING (g_strconcat (g_value_get_string (g_ptr_array_index (gen->allowed, i)), "x", NULL));
      /* Strings a pattern check matches, to break the column's other
       * checks while passing it. */
      for (guint c = 0; c < gen->verify->len; c++)
        {
          SetlCheck *check = ((SetlValidatorCheck *) g_ptr_array_index (gen->verify, c))->check;
          g_autofree char *pattern = NULL;

          if (g_object_class_find_property (G_OBJECT_GET_CLASS (check), "pattern") != NULL)
            g_object_get (check, "pattern", &pattern, NULL);
          for (int k = 0; pattern != NULL && k < 6; k++)
            {
              char *text = regex_sample (pattern, rand);

              if (text == NULL)
                break;
              ADD_STRING (text);
            }
        }
      ADD_STRING (g_strdup (""));
      ADD_STRING (g_strdup ("Z9 !"));
      while (n < max)
        {
          gint64 length = g_rand_int_range (rand, 0, 16);
          gboolean keep_prefix = g_rand_boolean (rand), keep_suffix = g_rand_boolean (rand);

          ADD_STRING (random_text (rand, length, keep_prefix ? gen->prefix : NULL,
                                   keep_suffix ? gen->suffix : NULL));
        }
    }
  else
    {
      while (n < max)
        {
          g_value_init (&out[n], G_TYPE_BOOLEAN);
          g_value_set_boolean (&out[n], n % 2 == 0);
          n++;
        }
    }
#undef ADD_NUMBER
#undef ADD_STRING
  return n;
}

/* A value that fails @target's check and passes the column's others, not
 * seen before in a unique column. */
static gboolean
find_breaking_value (ColumnGen    *gen,
                     ColumnState  *state,
                     Target       *target,
                     GRand        *rand,
                     GValue       *out,
                     GError      **error)
{
  for (int attempt = 0; attempt < 4; attempt++)
    {
      GValue candidates[INVALID_CANDIDATES] = { G_VALUE_INIT };
      gboolean others_fail[INVALID_CANDIDATES] = { FALSE };
      gboolean target_fails[INVALID_CANDIDATES] = { FALSE };
      gint64 n = draw_invalid_candidates (gen, rand, candidates, INVALID_CANDIDATES);
      gboolean found = FALSE;

      for (guint c = 0; c < gen->verify->len; c++)
        {
          SetlValidatorCheck *vcheck = g_ptr_array_index (gen->verify, c);
          gboolean fails[INVALID_CANDIDATES] = { FALSE };

          if (!run_check (vcheck, gen->type, candidates, n, fails, error))
            {
              for (gint64 i = 0; i < n; i++)
                g_value_unset (&candidates[i]);
              return FALSE;
            }
          for (gint64 i = 0; i < n; i++)
            {
              if (vcheck == target->check)
                target_fails[i] = fails[i];
              else
                others_fail[i] |= fails[i];
            }
        }
      for (gint64 i = 0; i < n; i++)
        {
          if (!found && target_fails[i] && !others_fail[i] &&
              (state->seen == NULL || !g_hash_table_contains (state->seen, &candidates[i])))
            {
              g_value_init (out, G_VALUE_TYPE (&candidates[i]));
              g_value_copy (&candidates[i], out);
              if (state->seen != NULL)
                g_hash_table_add (state->seen, value_copy (out));
              found = TRUE;
            }
          g_value_unset (&candidates[i]);
        }
      if (found)
        return TRUE;
    }
  return TRUE;   /* none: @out left unset */
}

static char *
target_describe (SetlSynthesizer *self,
                 Target          *target)
{
  ColumnGen *gen = g_ptr_array_index (self->columns, target->column);

  switch (target->kind)
    {
    case TARGET_NULL: return g_strdup_printf ("%s: not_nullable", gen->vc->name);
    case TARGET_DUPLICATE: return g_strdup_printf ("%s: field_uniqueness", gen->vc->name);
    default: return g_strdup_printf ("%s: %s", gen->vc->name, target->check->description);
    }
}

static SetlTable *
make_targets_table (GArray     *rows,
                    GPtrArray  *targets,
                    SetlSynthesizer *self,
                    GError    **error)
{
  g_autoptr(SetlColumnBuilder) row_b = setl_column_builder_new (SETL_DATA_TYPE_INT64);
  g_autoptr(SetlColumnBuilder) column_b = setl_column_builder_new (SETL_DATA_TYPE_STRING);
  g_autoptr(SetlColumnBuilder) check_b = setl_column_builder_new (SETL_DATA_TYPE_STRING);
  g_autoptr(SetlColumnBuilder) number_b = setl_column_builder_new (SETL_DATA_TYPE_INT64);
  g_autoptr(SetlColumnBuilder) reason_b = setl_column_builder_new (SETL_DATA_TYPE_STRING);
  g_autoptr(SetlField) f_row = setl_field_new ("row", SETL_DATA_TYPE_INT64, FALSE);
  g_autoptr(SetlField) f_column = setl_field_new ("column", SETL_DATA_TYPE_STRING, FALSE);
  g_autoptr(SetlField) f_check = setl_field_new ("check", SETL_DATA_TYPE_STRING, FALSE);
  g_autoptr(SetlField) f_number = setl_field_new ("check_number", SETL_DATA_TYPE_INT64, TRUE);
  g_autoptr(SetlField) f_reason = setl_field_new ("reason", SETL_DATA_TYPE_STRING, FALSE);
  SetlField *fields[5] = { f_row, f_column, f_check, f_number, f_reason };
  SetlColumn *columns[5] = { NULL };
  g_autoptr(SetlRecordBatch) batch = NULL;

  for (guint i = 0; i < rows->len; i++)
    {
      Target *t = g_ptr_array_index (targets, i);
      ColumnGen *gen = g_ptr_array_index (self->columns, t->column);

      setl_column_builder_append_int64 (row_b, g_array_index (rows, gint64, i));
      setl_column_builder_append_string (column_b, gen->vc->name, -1);
      switch (t->kind)
        {
        case TARGET_NULL:
          setl_column_builder_append_string (check_b, "not_nullable", -1);
          setl_column_builder_append_null (number_b);
          setl_column_builder_append_string (reason_b,
            setl_validation_reason_to_string (SETL_VALIDATION_REASON_SERIES_CONTAINS_NULLS), -1);
          break;
        case TARGET_DUPLICATE:
          setl_column_builder_append_string (check_b, "field_uniqueness", -1);
          setl_column_builder_append_null (number_b);
          setl_column_builder_append_string (reason_b,
            setl_validation_reason_to_string (SETL_VALIDATION_REASON_SERIES_CONTAINS_DUPLICATES), -1);
          break;
        default:
          setl_column_builder_append_string (check_b, t->check->description, -1);
          setl_column_builder_append_int64 (number_b, setl_schema_check_get_index (t->check->reference));
          setl_column_builder_append_string (reason_b,
            setl_validation_reason_to_string (SETL_VALIDATION_REASON_CHECK_FAILED), -1);
          break;
        }
    }
  columns[0] = setl_column_builder_finish (row_b, error);
  columns[1] = setl_column_builder_finish (column_b, error);
  columns[2] = setl_column_builder_finish (check_b, error);
  columns[3] = setl_column_builder_finish (number_b, error);
  columns[4] = setl_column_builder_finish (reason_b, error);
  for (guint i = 0; i < 5; i++)
    if (columns[i] == NULL)
      goto out;
  batch = setl_record_batch_new (fields, 5, columns, 5, error);
out:
  for (guint i = 0; i < 5; i++)
    g_clear_object (&columns[i]);
  return batch ? setl_table_new_from_batch (batch) : NULL;
}

/**
 * setl_synthesizer_generate_invalid:
 * @self: a #SetlSynthesizer
 * @n_rows: how many rows
 * @targets: (out) (transfer full) (optional): which check each row breaks:
 *   a table with columns row, column, check, check_number and reason, as
 *   the validation report names them
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Makes @n_rows rows that each break exactly one target of the schema
 * (the targets taken in turn): a lazy validation of the rows reports, for
 * each row, exactly the failure its target names.
 *
 * Returns: (transfer full): the rows; %NULL with @error set if the schema
 *   has no check that can be broken alone, or valid values could not be
 *   made for the other columns
 */
SetlTable *
setl_synthesizer_generate_invalid (SetlSynthesizer  *self,
                                   gint64            n_rows,
                                   SetlTable       **targets,
                                   GCancellable     *cancellable,
                                   GError          **error)
{
  g_autoptr(GRand) rand = NULL;
  g_autoptr(GPtrArray) fields = NULL;
  g_autoptr(GPtrArray) live = g_ptr_array_new ();   /* (element-type Target) still breakable */
  g_autoptr(GPtrArray) row_targets = g_ptr_array_new ();
  g_autoptr(GArray) rows = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(SetlRecordBatch) batch = NULL;
  g_autoptr(SetlTable) table = NULL;
  g_autofree ColumnState *states = NULL;
  g_autofree GValue **columns = NULL;
  guint n_columns;
  gboolean ok = TRUE;
  g_autofree gint64 *sources = NULL;     /* per column: a row with a valid value, or -1 */

  g_return_val_if_fail (SETL_IS_SYNTHESIZER (self), NULL);
  g_return_val_if_fail (n_rows >= 0, NULL);

  g_ptr_array_set_size (self->unbreakable, 0);
  for (guint i = 0; i < self->targets->len; i++)
    g_ptr_array_add (live, g_ptr_array_index (self->targets, i));
  if (live->len == 0)
    {
      g_set_error (error, SETL_VALIDATION_ERROR, SETL_VALIDATION_ERROR_INVALID_SCHEMA,
                   "schema “%s” has no check that a row can break alone",
                   setl_schema_get_name (setl_synthesizer_get_schema (self)));
      return NULL;
    }

  rand = g_rand_new_with_seed (self->seed);
  fields = make_fields (self);
  n_columns = self->columns->len;
  states = g_new0 (ColumnState, MAX (n_columns, 1));
  states_init (self, states);
  if (!prepare_spans (self, n_rows, error))
    {
      states_clear (self, states);
      return NULL;
    }
  columns = g_new0 (GValue *, MAX (n_columns, 1));
  sources = g_new (gint64, MAX (n_columns, 1));
  for (guint c = 0; c < n_columns; c++)
    {
      columns[c] = g_new0 (GValue, MAX (n_rows, 1));
      sources[c] = -1;
    }

  /* Valid values everywhere (no nulls), then one value per row broken. */
  for (guint c = 0; ok && c < n_columns; c++)
    ok = fill_valid (self, g_ptr_array_index (self->columns, c), &states[c], rand,
                     columns[c], n_rows, FALSE, error);

  for (gint64 row = 0; ok && row < n_rows; row++)
    {
      gboolean broken = FALSE;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        {
          ok = FALSE;
          break;
        }
      while (!broken && live->len > 0)
        {
          Target *t = g_ptr_array_index (live, row % live->len);
          ColumnGen *gen;
          GValue *cell;
          g_auto(GValue) value = G_VALUE_INIT;

          /* A duplicate copies the valid value of an earlier row: until
           * there is one, break something in another column (that row
           * then becomes the source); with no other column, it cannot be
           * broken alone. */
          if (t->kind == TARGET_DUPLICATE && sources[t->column] < 0)
            {
              Target *other = NULL;

              for (guint k = 0; k < live->len && other == NULL; k++)
                {
                  Target *candidate = g_ptr_array_index (live, k);

                  if (candidate->column != t->column)
                    other = candidate;
                }
              if (other == NULL)
                {
                  g_ptr_array_add (self->unbreakable, target_describe (self, t));
                  g_ptr_array_remove (live, t);
                  continue;
                }
              t = other;
            }
          gen = g_ptr_array_index (self->columns, t->column);
          cell = &columns[t->column][row];

          switch (t->kind)
            {
            case TARGET_NULL:
              g_value_unset (cell);
              broken = TRUE;
              break;
            case TARGET_DUPLICATE:
              /* A copy of an earlier row's valid value: with exclude_first
               * only this row is reported. */
              {
                GValue *source = &columns[t->column][sources[t->column]];

                g_value_unset (cell);
                g_value_init (cell, G_VALUE_TYPE (source));
                g_value_copy (source, cell);
                broken = TRUE;
              }
              break;
            default:
              if (!find_breaking_value (gen, &states[t->column], t, rand, &value, error))
                {
                  ok = FALSE;
                  break;
                }
              if (G_IS_VALUE (&value))
                {
                  g_value_unset (cell);
                  g_value_init (cell, G_VALUE_TYPE (&value));
                  g_value_copy (&value, cell);
                  broken = TRUE;
                }
              break;
            }
          if (!ok)
            break;
          if (broken)
            {
              g_array_append_val (rows, row);
              g_ptr_array_add (row_targets, t);
              /* This row's values are valid in every other column (and
               * in this one for a duplicate): a source for duplicates. */
              for (guint c = 0; c < n_columns; c++)
                if (sources[c] < 0 && (c != t->column || t->kind == TARGET_DUPLICATE))
                  sources[c] = row;
            }
          else
            {
              g_ptr_array_add (self->unbreakable, target_describe (self, t));
              g_ptr_array_remove (live, t);
            }
        }
      if (ok && !broken)
        {
          g_set_error (error, SETL_VALIDATION_ERROR, SETL_VALIDATION_ERROR_INVALID_SCHEMA,
                       "schema “%s” has no check that a row can break alone",
                       setl_schema_get_name (setl_synthesizer_get_schema (self)));
          ok = FALSE;
        }
    }

  if (ok)
    batch = make_batch (self, fields, columns, n_rows, error);
  ok = ok && batch != NULL;
  for (guint c = 0; c < n_columns; c++)
    {
      for (gint64 i = 0; i < n_rows; i++)
        if (G_IS_VALUE (&columns[c][i]))
          g_value_unset (&columns[c][i]);
      g_free (columns[c]);
    }
  states_clear (self, states);
  if (!ok)
    return NULL;
  table = setl_table_new_from_batch (batch);
  if (targets != NULL)
    {
      *targets = make_targets_table (rows, row_targets, self, error);
      if (*targets == NULL)
        return NULL;
    }
  return g_steal_pointer (&table);
}
