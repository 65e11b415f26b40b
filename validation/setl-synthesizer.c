/* setl-synthesizer.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/**
 * SetlSynthesizer:
 *
 * Makes data for tests from a schema: rows that satisfy every check
 * (setl_synthesizer_generate_stream(), setl_synthesizer_generate()), or
 * rows that each break exactly one named check
 * (setl_synthesizer_generate_invalid_stream(),
 * setl_synthesizer_generate_invalid()).
 *
 * |[<!-- language="C" -->
 * g_autoptr(SetlSynthesizer) synth = setl_synthesizer_new (schema, NULL, &error);
 * setl_synthesizer_set_seed (synth, 42);
 * g_autoptr(SetlBatchStream) rows = setl_synthesizer_generate_stream (synth, 1000000, &error);
 * // hand @rows to a sink: batches are made as the sink reads them
 * ]|
 *
 * **Merging.** The constraints the built-in checks state on a column are
 * merged when the synthesizer is made: bounds (`eq`, `gt`, `ge`, `lt`,
 * `le`, `in_range`) into one interval, `isin`/`eq` into one set of allowed
 * values, `ne`/`notin` into forbidden ones, `str_length` into one length
 * range (in characters), `str_startswith`/`str_endswith` into a prefix and
 * a suffix. Contradictory constraints — an empty interval, allowed values
 * that the other checks all refuse, two prefixes that differ — are refused
 * there, with an error naming the column and the checks.
 *
 * **Any check.** Values drawn from the merged constraints are then run
 * through every check of the column, third-party ones included; a value
 * that fails is drawn again, from the synthesis hook of the check it fails
 * (#SetlCheckClass.synthesize) when the check has one — so a check library
 * that can generate passing values makes its checks usable here — or,
 * for a check with a `pattern` (a regular expression) and no hook, from a
 * string sampled from the expression.
 *
 * **The whole data.** Uniqueness (columns and the schema's unique column
 * combinations) is kept by redrawing a value or a combination already
 * used; a domain too small for the rows is refused before anything is
 * made. Aggregate checks are aimed at: a column's nulls are counted
 * exactly (`null_fraction_in_range`, or the null probability), its values
 * drawn from a pool of exactly as many distinct values as
 * `distinct_count_in_range` asks, and its numbers steered towards the
 * mean `mean_in_range` asks with the spread `stddev_in_range` asks: each
 * value is drawn around what the values still to come must average to
 * reach both, so the last ones land them.
 * Table checks: a number of rows outside `row_count_in_range`, or a
 * `column_set` the schema's columns do not satisfy, is refused. The rows
 * are finally validated as a whole as they are made: rows that fail give
 * an error, never wrong data.
 *
 * **Streaming.** Rows are made batch by batch as a consumer reads the
 * stream, so memory stays one batch, plus the hashes of the values of the
 * unique columns and combinations (16 to 32 bytes a row, like the validator's
 * own uniqueness index) and the pool of a distinct-count column. Each pass
 * over a stream makes the same rows: a seed gives the same data.
 *
 * **Invalid rows.** Each row breaks one target, in turn: a null in a
 * column that is not nullable, a value that fails one check (of level
 * error, `mostly` 1) and passes the column's others, or — when
 * `report_duplicates` is `exclude_first`, the one mode where a repeat
 * makes exactly one row fail — a value of a unique column or a unique
 * combination of columns repeating an earlier row's; the other columns of
 * the row hold valid values. The #SetlSynthesizer::targets signal (and the
 * targets table of setl_synthesizer_generate_invalid()) says which target
 * each row breaks, as the validation report names it (column, check, check
 * number, reason). What no row can break alone — a check no value fails
 * while passing the others, uniqueness in another mode, aggregate and
 * table checks — is left out: setl_synthesizer_get_unbreakable().
 */
#include "setl-validation-private.h"
#include "setl-synthesizer.h"

#include <math.h>
#include <string.h>

#define MAX_ROUNDS 64
#define COMBO_ROUNDS 2000
#define INVALID_CANDIDATES 48
#define DEFAULT_BATCH_ROWS 65536

typedef enum {
  TARGET_CHECK,
  TARGET_NULL,
  TARGET_DUPLICATE,
  TARGET_COMBINATION,
} TargetKind;

typedef struct {
  TargetKind kind;
  guint column;              /* index in self->columns; the combination's for TARGET_COMBINATION */
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
  gint64 min_len, max_len;   /* -1: none; in characters */
  const char *min_len_by, *max_len_by;
  char *prefix, *suffix;
  const char *prefix_by, *suffix_by;
  GPtrArray *verify;         /* (element-type SetlValidatorCheck): run on every value */
  /* What the built-in aggregate checks ask (NAN: no bound). */
  double mean_lo, mean_hi, std_lo, std_hi, null_lo, null_hi, distinct_lo, distinct_hi;
  const char *mean_by, *std_by, *null_by, *distinct_by;
  const char *exact_values;  /* unique_values_eq: every allowed value must appear */
} ColumnGen;

/* A unique combination of columns (schema member `unique`). */
typedef struct {
  guint *columns;            /* indices in self->columns */
  guint n;
  char *names;               /* "a, b", as in the sidecar */
} ComboGen;

/* Per call: how the rows of one column are made. */
typedef struct {
  gint64 n_nulls;            /* exactly this many nulls (valid rows) */
  gint64 pool_size;          /* > 0: values from a pool of this many distinct ones */
  gboolean distinct;         /* values kept distinct (unique, or a distinct count to reach) */
  gboolean permute;          /* distinct values taken in a random order of the whole domain */
  double first;              /* permute: the first integer of the interval */
  guint64 domain;            /* permute: the integers of the interval, or the allowed values */
  gboolean steer;            /* numbers steered to a mean and a deviation */
  double center, spread, width;
  gboolean two_point;        /* steered values at ± one deviation (a wide spread) */
  double span;
} ColumnPlan;

struct _SetlSynthesizer
{
  GObject parent_instance;

  SetlValidator *validator;
  GPtrArray *columns;        /* (element-type ColumnGen) */
  GPtrArray *combos;         /* (element-type ComboGen) */
  GPtrArray *targets;        /* (element-type Target) */
  GPtrArray *never;          /* (element-type utf8): what no row breaks alone, whatever the rows */
  GPtrArray *unbreakable;    /* (element-type utf8): the last pass's */
  gint64 min_rows, max_rows; /* row_count_in_range; -1: none */
  const char *min_rows_by, *max_rows_by;
  guint32 seed;
  double null_probability;
  gint64 batch_size;
};

G_DEFINE_FINAL_TYPE (SetlSynthesizer, setl_synthesizer, G_TYPE_OBJECT)

enum { SIGNAL_TARGETS, N_SIGNALS };
static guint signals[N_SIGNALS];

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
value_assign (GValue       *dest,
              const GValue *src)
{
  if (G_IS_VALUE (dest))
    g_value_unset (dest);
  if (src != NULL && G_IS_VALUE (src))
    {
      g_value_init (dest, G_VALUE_TYPE (src));
      g_value_copy (src, dest);
    }
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
combo_gen_free (gpointer data)
{
  ComboGen *combo = data;

  g_free (combo->columns);
  g_free (combo->names);
  g_free (combo);
}

static void
setl_synthesizer_finalize (GObject *object)
{
  SetlSynthesizer *self = SETL_SYNTHESIZER (object);

  g_clear_pointer (&self->columns, g_ptr_array_unref);
  g_clear_pointer (&self->combos, g_ptr_array_unref);
  g_clear_pointer (&self->targets, g_ptr_array_unref);
  g_clear_pointer (&self->never, g_ptr_array_unref);
  g_clear_pointer (&self->unbreakable, g_ptr_array_unref);
  g_clear_object (&self->validator);

  G_OBJECT_CLASS (setl_synthesizer_parent_class)->finalize (object);
}

static void
setl_synthesizer_class_init (SetlSynthesizerClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = setl_synthesizer_finalize;

  /**
   * SetlSynthesizer::targets:
   * @self: the synthesizer
   * @targets: which target each row of the batch just made breaks: a
   *   batch with columns row (over the whole stream), column, check,
   *   check_number and reason, as the validation report names them
   *
   * Emitted by a stream of setl_synthesizer_generate_invalid_stream() for
   * each batch of rows it makes, before the batch is returned, on the
   * thread reading the stream: write the targets out as they come and
   * memory stays bounded.
   */
  signals[SIGNAL_TARGETS] =
    g_signal_new ("targets", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, SETL_TYPE_RECORD_BATCH);
}

static void
setl_synthesizer_init (SetlSynthesizer *self)
{
  self->columns = g_ptr_array_new_with_free_func (column_gen_free);
  self->combos = g_ptr_array_new_with_free_func (combo_gen_free);
  self->targets = g_ptr_array_new_with_free_func (g_free);
  self->never = g_ptr_array_new_with_free_func (g_free);
  self->unbreakable = g_ptr_array_new_with_free_func (g_free);
  self->min_rows = self->max_rows = -1;
  self->seed = 1;
  self->batch_size = DEFAULT_BATCH_ROWS;
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

/* The characters of @text, each as a string value. */
static GPtrArray *
text_characters (const char *text)
{
  GPtrArray *values = g_ptr_array_new_with_free_func (value_free);

  for (const char *p = text; p != NULL && *p != '\0'; p = g_utf8_next_char (p))
    {
      GValue *v = g_new0 (GValue, 1);

      g_value_init (v, G_TYPE_STRING);
      g_value_take_string (v, g_strndup (p, g_utf8_next_char (p) - p));
      g_ptr_array_add (values, v);
    }
  return values;
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
      /* isin "abc" on strings means one of the characters, as in Pandera. */
      if (!g_str_equal (name, "eq") && !JSON_NODE_HOLDS_ARRAY (node))
        {
          if (type != SETL_DATA_TYPE_STRING || json_node_get_value_type (node) != G_TYPE_STRING)
            return TRUE;
          values = text_characters (json_node_get_string (node));
        }
      else
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

/* Characters in text (lengths are counted in characters, as str_length
 * does, not in bytes). */
static gint64
text_length (const char *text)
{
  return text != NULL ? g_utf8_strlen (text, -1) : 0;
}

/* Random text of @length characters with @prefix and @suffix: mostly
 * ASCII letters, one character in eight from other scripts, so that
 * lengths in characters and in bytes differ. */
static char *
random_text (GRand      *rand,
             gint64      length,
             const char *prefix,
             const char *suffix)
{
  static const gunichar others[] = { 0xe9, 0xdf, 0xf8, 0x436, 0x3bb, 0x4e2d, 0x6587 };
  GString *s = g_string_new (prefix);
  gint64 middle = length - text_length (prefix) - text_length (suffix);

  for (gint64 i = 0; i < middle; i++)
    {
      if (g_rand_int_range (rand, 0, 8) == 0)
        g_string_append_unichar (s, others[g_rand_int_range (rand, 0, G_N_ELEMENTS (others))]);
      else
        g_string_append_c (s, 'a' + g_rand_int_range (rand, 0, 26));
    }
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
            double     span,
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
      gint64 affixes = text_length (gen->prefix) + text_length (gen->suffix);
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
/* ---- the hashes of the values already used ----------------------------- */

/* Uniqueness is kept with 64-bit hashes of the values (or combinations):
 * two equal values always hash alike, so nothing repeated gets through,
 * and the rare two different values with one hash only cost a redraw. */
typedef struct {
  guint64 *slots;            /* 0: empty */
  gsize capacity;            /* a power of two */
  gsize n;
} HashSet64;

static HashSet64 *
hash_set_new (void)
{
  HashSet64 *set = g_new0 (HashSet64, 1);

  set->capacity = 64;
  set->slots = g_new0 (guint64, set->capacity);
  return set;
}

static void
hash_set_free (HashSet64 *set)
{
  if (set == NULL)
    return;
  g_free (set->slots);
  g_free (set);
}

static gboolean
hash_set_contains (HashSet64 *set,
                   guint64    hash)
{
  gsize mask = set->capacity - 1;

  hash = hash != 0 ? hash : 1;
  for (gsize i = hash & mask; set->slots[i] != 0; i = (i + 1) & mask)
    if (set->slots[i] == hash)
      return TRUE;
  return FALSE;
}

static void
hash_set_insert (guint64 *slots,
                 gsize    capacity,
                 guint64  hash)
{
  gsize mask = capacity - 1;
  gsize i = hash & mask;

  while (slots[i] != 0 && slots[i] != hash)
    i = (i + 1) & mask;
  slots[i] = hash;
}

/* Returns FALSE if @hash was there already. */
static gboolean
hash_set_add (HashSet64 *set,
              guint64    hash)
{
  hash = hash != 0 ? hash : 1;
  if (hash_set_contains (set, hash))
    return FALSE;
  if ((set->n + 1) * 2 > set->capacity)
    {
      gsize capacity = set->capacity * 2;
      guint64 *slots = g_new0 (guint64, capacity);

      for (gsize i = 0; i < set->capacity; i++)
        if (set->slots[i] != 0)
          hash_set_insert (slots, capacity, set->slots[i]);
      g_free (set->slots);
      set->slots = slots;
      set->capacity = capacity;
    }
  hash_set_insert (set->slots, set->capacity, hash);
  set->n++;
  return TRUE;
}

static guint64
fnv_bytes (guint64     hash,
           const void *data,
           gsize       length)
{
  const guchar *p = data;

  for (gsize i = 0; i < length; i++)
    {
      hash ^= p[i];
      hash *= G_GUINT64_CONSTANT (0x100000001b3);
    }
  return hash;
}

#define HASH_SEED G_GUINT64_CONSTANT (0xcbf29ce484222325)

/* Adds @value (an unset GValue: a null) to @hash. */
static guint64
value_hash_into (guint64       hash,
                 const GValue *value)
{
  guint8 tag = value != NULL && G_IS_VALUE (value) ? 1 : 0;

  hash = fnv_bytes (hash, &tag, 1);
  if (!tag)
    return hash;
  switch (G_VALUE_TYPE (value))
    {
    case G_TYPE_BOOLEAN:
      {
        guint8 b = g_value_get_boolean (value) ? 1 : 0;
        return fnv_bytes (hash, &b, 1);
      }
    case G_TYPE_INT:
      {
        gint32 x = g_value_get_int (value);
        return fnv_bytes (hash, &x, sizeof x);
      }
    case G_TYPE_INT64:
      {
        gint64 x = g_value_get_int64 (value);
        return fnv_bytes (hash, &x, sizeof x);
      }
    case G_TYPE_DOUBLE:
      {
        double x = g_value_get_double (value);

        if (x == 0)
          x = 0;   /* -0 and 0 alike: a redraw at worst */
        return fnv_bytes (hash, &x, sizeof x);
      }
    case G_TYPE_STRING:
      {
        const char *s = g_value_get_string (value);
        guint32 length = s != NULL ? (guint32) strlen (s) : 0;

        hash = fnv_bytes (hash, &length, sizeof length);
        return fnv_bytes (hash, s, length);
      }
    default:
      return hash;
    }
}

static guint64
hash_finish (guint64 x)
{
  x ^= x >> 30;
  x *= G_GUINT64_CONSTANT (0xbf58476d1ce4e5b9);
  x ^= x >> 27;
  x *= G_GUINT64_CONSTANT (0x94d049bb133111eb);
  x ^= x >> 31;
  return x;
}

static guint64
value_hash64 (const GValue *value)
{
  return hash_finish (value_hash_into (HASH_SEED, value));
}

/* ---- construction ------------------------------------------------------ */

static double
check_double_property (SetlCheck  *check,
                       const char *name)
{
  GParamSpec *pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (check), name);
  double value = NAN;

  if (pspec == NULL || pspec->value_type != G_TYPE_DOUBLE)
    return NAN;
  g_object_get (check, name, &value, NULL);
  return value;
}

/* The aggregate checks of checks-builtin say what the whole column must
 * look like: remember it, to aim for it. */
static gboolean
note_aggregate (ColumnGen           *gen,
                SetlValidatorCheck  *vcheck,
                GError             **error)
{
  const char *name = setl_check_get_check_name (vcheck->check);
  double lo = check_double_property (vcheck->check, "min-value");
  double hi = check_double_property (vcheck->check, "max-value");

#define TIGHTEN(field_lo, field_hi, field_by)                        \
  G_STMT_START {                                                     \
    if (!isnan (lo) && (isnan (gen->field_lo) || lo > gen->field_lo)) \
      gen->field_lo = lo;                                            \
    if (!isnan (hi) && (isnan (gen->field_hi) || hi < gen->field_hi)) \
      gen->field_hi = hi;                                            \
    gen->field_by = vcheck->description;                             \
  } G_STMT_END

  if (g_str_equal (name, "mean_in_range"))
    TIGHTEN (mean_lo, mean_hi, mean_by);
  else if (g_str_equal (name, "stddev_in_range"))
    TIGHTEN (std_lo, std_hi, std_by);
  else if (g_str_equal (name, "null_fraction_in_range"))
    TIGHTEN (null_lo, null_hi, null_by);
  else if (g_str_equal (name, "distinct_count_in_range"))
    TIGHTEN (distinct_lo, distinct_hi, distinct_by);
  else if (g_str_equal (name, "unique_values_eq"))
    {
      /* Exactly these values, each of them: allowed values, and as many
       * distinct ones. */
      g_autoptr(JsonNode) node = check_json_property (vcheck->check, "values");
      g_autoptr(GPtrArray) values = NULL;

      if (node == NULL)
        return TRUE;
      values = json_values (node, gen->type);
      if (!restrict_allowed (gen, values, vcheck->description, error))
        return FALSE;
      gen->exact_values = vcheck->description;
    }
#undef TIGHTEN
  return TRUE;
}

static gboolean
prepare_column (SetlSynthesizer      *self,
                SetlValidatorColumn  *vc,
                GError              **error)
{
  ColumnGen *gen = g_new0 (ColumnGen, 1);

  gen->vc = vc;
  gen->type = vc->type;
  gen->min_len = gen->max_len = -1;
  gen->mean_lo = gen->mean_hi = gen->std_lo = gen->std_hi = NAN;
  gen->null_lo = gen->null_hi = gen->distinct_lo = gen->distinct_hi = NAN;
  gen->forbidden = g_ptr_array_new_with_free_func (value_free);
  gen->verify = g_ptr_array_new ();
  g_ptr_array_add (self->columns, gen);

  for (guint i = 0; i < vc->checks->len; i++)
    {
      SetlValidatorCheck *vcheck = g_ptr_array_index (vc->checks, i);

      if (vcheck->aggregate)
        {
          /* Judged on the whole data: aimed at, never broken by one row. */
          if (!note_aggregate (gen, vcheck, error))
            return FALSE;
          g_ptr_array_add (self->never, g_strdup_printf ("%s: %s", vc->name, vcheck->description));
          continue;
        }
      g_ptr_array_add (gen->verify, vcheck);
      if (!merge_check (gen, vcheck, error))
        return FALSE;
    }
  if (!check_interval (gen, error))
    return FALSE;
  if (!isnan (gen->null_lo) && gen->null_lo > 0 && !vc->nullable)
    {
      g_set_error (error, SETL_VALIDATION_ERROR, SETL_VALIDATION_ERROR_INVALID_SCHEMA,
                   "column “%s”: check %s asks for nulls, but the column is not nullable",
                   vc->name, gen->null_by);
      return FALSE;
    }

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

  if (gen->exact_values != NULL)
    {
      g_autoptr(JsonNode) node = NULL;

      for (guint i = 0; i < vc->checks->len && node == NULL; i++)
        {
          SetlValidatorCheck *vcheck = g_ptr_array_index (vc->checks, i);

          if (vcheck->description == gen->exact_values)
            node = check_json_property (vcheck->check, "values");
        }
      if (node != NULL && JSON_NODE_HOLDS_ARRAY (node) &&
          gen->allowed->len < json_array_get_length (json_node_get_array (node)))
        {
          g_set_error (error, SETL_VALIDATION_ERROR, SETL_VALIDATION_ERROR_INVALID_SCHEMA,
                       "column “%s”: check %s asks for values its other checks refuse",
                       vc->name, gen->exact_values);
          return FALSE;
        }
      gen->distinct_lo = gen->distinct_hi = gen->allowed->len;
      gen->distinct_by = gen->exact_values;
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
  else if (vc->unique)
    /* A repeat makes two rows fail (or the first one only). */
    g_ptr_array_add (self->never, g_strdup_printf ("%s: field_uniqueness", vc->name));
  return TRUE;
}

static int
column_index (SetlSynthesizer *self,
              const char      *name)
{
  for (guint i = 0; i < self->columns->len; i++)
    if (g_str_equal (((ColumnGen *) g_ptr_array_index (self->columns, i))->vc->name, name))
      return (int) i;
  return -1;
}

/* Whether every column of @inner is among @outer's. */
static gboolean
combo_covers (const guint *outer,
              guint        n_outer,
              const guint *inner,
              guint        n_inner)
{
  for (guint i = 0; i < n_inner; i++)
    {
      gboolean found = FALSE;

      for (guint j = 0; j < n_outer && !found; j++)
        found = outer[j] == inner[i];
      if (!found)
        return FALSE;
    }
  return TRUE;
}

/* The schema's unique combinations and table checks. */
static gboolean
prepare_schema (SetlSynthesizer  *self,
                SetlValidatorPlan *plan,
                GError          **error)
{
  SetlSchema *schema = plan->schema;
  gboolean exclude_first = setl_schema_get_report_duplicates (schema) == SETL_SCHEMA_REPORT_DUPLICATES_EXCLUDE_FIRST;

  for (guint k = 0; k < setl_schema_get_n_unique (schema); k++)
    {
      const char * const *names = setl_schema_get_unique (schema, k);
      ComboGen *combo = g_new0 (ComboGen, 1);

      combo->n = g_strv_length ((char **) names);
      combo->columns = g_new0 (guint, MAX (combo->n, 1));
      combo->names = g_strjoinv (", ", (char **) names);
      g_ptr_array_add (self->combos, combo);
      for (guint j = 0; j < combo->n; j++)
        {
          int index = column_index (self, names[j]);

          if (index < 0)
            {
              g_set_error (error, SETL_VALIDATION_ERROR, SETL_VALIDATION_ERROR_INVALID_SCHEMA,
                           "schema “%s”: the unique combination %s names “%s”, which is not a column",
                           setl_schema_get_name (schema), combo->names, names[j]);
              return FALSE;
            }
          combo->columns[j] = (guint) index;
        }
    }

  /* A repeated combination is a target when it makes exactly one row fail:
   * exclude_first, and no other uniqueness (a unique column, a smaller
   * combination) within it, which the repeat would break too. */
  for (guint k = 0; k < self->combos->len; k++)
    {
      ComboGen *combo = g_ptr_array_index (self->combos, k);
      gboolean alone = exclude_first;

      for (guint j = 0; j < combo->n && alone; j++)
        alone = !((ColumnGen *) g_ptr_array_index (self->columns, combo->columns[j]))->vc->unique;
      for (guint m = 0; m < self->combos->len && alone; m++)
        {
          ComboGen *other = g_ptr_array_index (self->combos, m);

          if (m != k && combo_covers (combo->columns, combo->n, other->columns, other->n) &&
              (other->n < combo->n || m < k))
            alone = FALSE;
        }
      if (alone)
        {
          Target *t = g_new0 (Target, 1);

          t->kind = TARGET_COMBINATION;
          t->column = k;
          g_ptr_array_add (self->targets, t);
        }
      else
        g_ptr_array_add (self->never, g_strdup_printf ("%s: multiple_fields_uniqueness", combo->names));
    }

  for (guint i = 0; i < plan->table_checks->len; i++)
    {
      SetlValidatorCheck *vcheck = g_ptr_array_index (plan->table_checks, i);
      const char *name = setl_check_get_check_name (vcheck->check);

      g_ptr_array_add (self->never, g_strdup (vcheck->description));
      if (g_str_equal (name, "row_count_in_range"))
        {
          gint64 lo = check_int64_property (vcheck->check, "min-value");
          gint64 hi = check_int64_property (vcheck->check, "max-value");

          if (lo >= 0 && lo > self->min_rows)
            {
              self->min_rows = lo;
              self->min_rows_by = vcheck->description;
            }
          if (hi >= 0 && (self->max_rows < 0 || hi < self->max_rows))
            {
              self->max_rows = hi;
              self->max_rows_by = vcheck->description;
            }
        }
      else if (g_str_equal (name, "column_set"))
        {
          g_auto(GStrv) columns = NULL;
          gboolean exact = check_bool_property (vcheck->check, "exact", TRUE);

          g_object_get (vcheck->check, "columns", &columns, NULL);
          /* The rows have exactly the schema's columns. */
          for (guint j = 0; columns != NULL && columns[j] != NULL; j++)
            if (column_index (self, columns[j]) < 0)
              {
                g_set_error (error, SETL_VALIDATION_ERROR, SETL_VALIDATION_ERROR_INVALID_SCHEMA,
                             "table check %s asks for column “%s”, which the schema does not have",
                             vcheck->description, columns[j]);
                return FALSE;
              }
          for (guint c = 0; exact && c < self->columns->len; c++)
            {
              const char *column = ((ColumnGen *) g_ptr_array_index (self->columns, c))->vc->name;

              if (columns == NULL || !g_strv_contains ((const char * const *) columns, column))
                {
                  g_set_error (error, SETL_VALIDATION_ERROR, SETL_VALIDATION_ERROR_INVALID_SCHEMA,
                               "table check %s leaves out the schema's column “%s”: no rows have "
                               "every column of the schema and only those",
                               vcheck->description, column);
                  return FALSE;
                }
            }
        }
    }
  if (self->min_rows >= 0 && self->max_rows >= 0 && self->min_rows > self->max_rows)
    {
      g_set_error (error, SETL_VALIDATION_ERROR, SETL_VALIDATION_ERROR_INVALID_SCHEMA,
                   "table checks %s and %s contradict each other: no number of rows satisfies both",
                   self->min_rows_by, self->max_rows_by);
      return FALSE;
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
  if (!prepare_schema (self, plan, error))
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
 * setl_synthesizer_get_batch_size:
 * @self: a #SetlSynthesizer
 *
 * Returns: the rows of each batch the streams make (65536 unless set)
 */
gint64
setl_synthesizer_get_batch_size (SetlSynthesizer *self)
{
  g_return_val_if_fail (SETL_IS_SYNTHESIZER (self), 0);
  return self->batch_size;
}

/**
 * setl_synthesizer_set_batch_size:
 * @self: a #SetlSynthesizer
 * @batch_size: rows per batch, at least 1
 *
 * Sets how many rows each batch holds: memory grows with it. The rows
 * made for a seed depend on it too (values are drawn column by column
 * within a batch).
 */
void
setl_synthesizer_set_batch_size (SetlSynthesizer *self,
                                 gint64           batch_size)
{
  g_return_if_fail (SETL_IS_SYNTHESIZER (self));
  g_return_if_fail (batch_size >= 1);
  self->batch_size = batch_size;
}

/**
 * setl_synthesizer_get_unbreakable:
 * @self: a #SetlSynthesizer
 *
 * What the last pass of setl_synthesizer_generate_invalid_stream() (or
 * setl_synthesizer_generate_invalid()) could not break alone, as
 * `column: check` (or the table check): checks no value fails while
 * passing the column's other checks; uniqueness of a column or a
 * combination unless `report_duplicates` is `exclude_first` (otherwise a
 * repeat fails two rows, or the earlier one); a repeat with no earlier
 * valid row to repeat; aggregate checks (mean, standard deviation, null
 * fraction, distinct count) and table checks, which no single row decides.
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

/* ---- planning: what a number of rows asks ------------------------------ */

/* How many distinct values column @gen can take (INFINITY: many more than
 * any number of rows), as the values the synthesizer draws. */
static double
column_domain (ColumnGen  *gen,
               ColumnPlan *plan)
{
  if (plan->pool_size > 0)
    return (double) plan->pool_size;
  if (gen->allowed != NULL)
    return gen->allowed->len;
  switch (gen->type)
    {
    case SETL_DATA_TYPE_BOOL:
      return MAX (0, 2 - (int) gen->forbidden->len);
    case SETL_DATA_TYPE_INT64:
    case SETL_DATA_TYPE_DATE32:
    case SETL_DATA_TYPE_TIMESTAMP:
      if (gen->has_lo && gen->has_hi)
        {
          double first = gen->lo_incl ? ceil (gen->lo) : floor (gen->lo) + 1;
          double last = gen->hi_incl ? floor (gen->hi) : ceil (gen->hi) - 1;
          double count = last - first + 1;

          for (guint i = 0; i < gen->forbidden->len; i++)
            if (in_interval (gen, value_number (g_ptr_array_index (gen->forbidden, i))))
              count--;
          return MAX (count, 0);
        }
      return INFINITY;
    case SETL_DATA_TYPE_DOUBLE:
      return gen->has_lo && gen->has_hi && gen->lo == gen->hi ? 1 : INFINITY;
    case SETL_DATA_TYPE_STRING:
      if (gen->max_len >= 0)
        {
          gint64 affixes = text_length (gen->prefix) + text_length (gen->suffix);
          double count = 0;

          /* Letters a to z only: the other characters drawn are a bonus. */
          for (gint64 length = MAX (gen->min_len, 1); length <= gen->max_len && count < 1e18; length++)
            if (length >= affixes)
              count += pow (26, (double) (length - affixes));
          return count;
        }
      return INFINITY;
    default:
      return INFINITY;
    }
}

static gboolean
plan_nulls (SetlSynthesizer  *self,
            ColumnGen        *gen,
            ColumnPlan       *plan,
            gint64            n_rows,
            GError          **error)
{
  double p = self->null_probability;
  gint64 k = (gint64) llround (p * (double) n_rows);

  if (!gen->vc->nullable)
    return TRUE;
  if (!isnan (gen->null_lo) || !isnan (gen->null_hi))
    {
      double lo = isnan (gen->null_lo) ? 0 : gen->null_lo;
      double hi = isnan (gen->null_hi) ? 1 : gen->null_hi;
      gint64 k_min = (gint64) ceil (lo * (double) n_rows - 1e-9);
      gint64 k_max = (gint64) floor (hi * (double) n_rows + 1e-9);

      k_min = CLAMP (k_min, 0, n_rows);
      k_max = CLAMP (k_max, 0, n_rows);
      if (n_rows > 0 && k_min > k_max)
        {
          g_set_error (error, SETL_VALIDATION_ERROR, SETL_VALIDATION_ERROR_INVALID_SCHEMA,
                       "column “%s”: check %s allows no number of nulls among %" G_GINT64_FORMAT " rows",
                       gen->vc->name, gen->null_by, n_rows);
          return FALSE;
        }
      /* The null probability when it falls in the range, else the middle. */
      if (k < k_min || k > k_max)
        k = k_min + (k_max - k_min) / 2;
    }
  plan->n_nulls = CLAMP (k, 0, n_rows);
  return TRUE;
}

static gboolean
plan_distinct (SetlSynthesizer  *self,
               ColumnGen        *gen,
               ColumnPlan       *plan,
               gint64            n_values,
               GError          **error)
{
  gboolean aimed = !isnan (gen->distinct_lo) || !isnan (gen->distinct_hi);
  double lo = isnan (gen->distinct_lo) ? 0 : ceil (gen->distinct_lo);
  double hi = isnan (gen->distinct_hi) ? INFINITY : floor (gen->distinct_hi);
  double need, domain;

  if (gen->vc->unique)
    {
      plan->distinct = TRUE;
      if (aimed && n_values > 0 && ((double) n_values < lo || (double) n_values > hi))
        {
          g_set_error (error, SETL_VALIDATION_ERROR, SETL_VALIDATION_ERROR_INVALID_SCHEMA,
                       "column “%s” is unique, so its %" G_GINT64_FORMAT " values are distinct, "
                       "which check %s does not allow",
                       gen->vc->name, n_values, gen->distinct_by);
          return FALSE;
        }
    }
  else if (aimed)
    {
      if (lo > (double) n_values || (n_values > 0 && hi < 1))
        {
          g_set_error (error, SETL_VALIDATION_ERROR, SETL_VALIDATION_ERROR_INVALID_SCHEMA,
                       "column “%s”: check %s cannot hold with %" G_GINT64_FORMAT " values "
                       "(the rows that are not null)",
                       gen->vc->name, gen->distinct_by, n_values);
          return FALSE;
        }
      if (hi < (double) n_values)
        /* Fewer distinct values than rows: a pool of exactly that many. */
        plan->pool_size = (gint64) (isnan (gen->distinct_lo) ? MAX (1, floor ((hi + 1) / 2))
                                                            : MAX (1, floor ((lo + hi) / 2)));
      else if (lo > 1)
        plan->distinct = TRUE;
    }
  if (!plan->distinct && plan->pool_size == 0)
    return TRUE;

  need = plan->distinct ? (double) n_values : (double) plan->pool_size;
  {
    gint64 pool = plan->pool_size;

    plan->pool_size = 0;   /* the domain of the values drawn into the pool */
    domain = column_domain (gen, plan);
    plan->pool_size = pool;
  }
  if (domain < need)
    {
      const char *why = gen->vc->unique ? "is unique" : "needs distinct values";

      if (gen->allowed != NULL)
        g_set_error (error, SETL_VALIDATION_ERROR, SETL_VALIDATION_ERROR_INVALID_SCHEMA,
                     "column “%s” %s, but %s allows %u values, fewer than %.0f",
                     gen->vc->name, why, gen->allowed_by, gen->allowed->len, need);
      else if (gen->has_lo && gen->has_hi)
        g_set_error (error, SETL_VALIDATION_ERROR, SETL_VALIDATION_ERROR_INVALID_SCHEMA,
                     "column “%s” %s, but checks %s and %s allow %.0f values, fewer than %.0f",
                     gen->vc->name, why, gen->lo_by, gen->hi_by, domain, need);
      else
        g_set_error (error, SETL_VALIDATION_ERROR, SETL_VALIDATION_ERROR_INVALID_SCHEMA,
                     "column “%s” %s, but its checks allow %.0f values, fewer than %.0f",
                     gen->vc->name, why, domain, need);
      return FALSE;
    }
  /* A domain barely larger than the values it must give: drawing at
   * random would take ever longer to find the last unused values, so
   * walk the whole domain in a random order instead. */
  if ((gen->allowed != NULL ||
       (gen->type != SETL_DATA_TYPE_DOUBLE && is_numeric (gen->type) && gen->has_lo && gen->has_hi)) &&
      domain <= 4 * need)
    {
      plan->permute = TRUE;
      if (gen->allowed != NULL)
        plan->domain = gen->allowed->len;
      else
        {
          double last = gen->hi_incl ? floor (gen->hi) : ceil (gen->hi) - 1;

          plan->first = gen->lo_incl ? ceil (gen->lo) : floor (gen->lo) + 1;
          plan->domain = (guint64) (last - plan->first + 1);
        }
    }
  /* Integers for distinct values: room to draw from. */
  if (plan->distinct && gen->type != SETL_DATA_TYPE_DOUBLE && is_numeric (gen->type))
    plan->span = MAX (plan->span, need * 10);
  return TRUE;
}

/* A mean and a spread to steer the numbers of a column to. */
static gboolean
plan_steering (ColumnGen   *gen,
               ColumnPlan  *plan,
               gint64       n_values,
               GError     **error)
{
  gboolean mean = !isnan (gen->mean_lo) || !isnan (gen->mean_hi);
  gboolean std = !isnan (gen->std_lo) || !isnan (gen->std_hi);
  double a = gen->has_lo ? gen->lo : -INFINITY;
  double b = gen->has_hi ? gen->hi : INFINITY;
  double preferred, room, spread;

  /* The values the interval holds: its integers, or inside an excluded
   * bound. */
  if (gen->type == SETL_DATA_TYPE_INT64)
    {
      if (isfinite (a))
        a = gen->lo_incl ? ceil (a) : floor (a) + 1;
      if (isfinite (b))
        b = gen->hi_incl ? floor (b) : ceil (b) - 1;
    }
  else
    {
      if (isfinite (a) && !gen->lo_incl)
        a = nextafter (a, INFINITY);
      if (isfinite (b) && !gen->hi_incl)
        b = nextafter (b, -INFINITY);
    }

  if ((!mean && !std) || gen->allowed != NULL || plan->pool_size > 0 ||
      (gen->type != SETL_DATA_TYPE_INT64 && gen->type != SETL_DATA_TYPE_DOUBLE))
    return TRUE;   /* left to the final validation */

  if (isfinite (a) && isfinite (b))
    preferred = (a + b) / 2;
  else if (isfinite (a))
    preferred = a + plan->span / 2;
  else if (isfinite (b))
    preferred = b - plan->span / 2;
  else
    preferred = 0;
  plan->center = preferred;
  if (mean)
    {
      double lo = isnan (gen->mean_lo) ? -INFINITY : gen->mean_lo;
      double hi = isnan (gen->mean_hi) ? INFINITY : gen->mean_hi;

      if (lo > b || hi < a)
        {
          g_set_error (error, SETL_VALIDATION_ERROR, SETL_VALIDATION_ERROR_INVALID_SCHEMA,
                       "column “%s”: checks %s and %s contradict each other: the values "
                       "cannot have that mean",
                       gen->vc->name, gen->mean_by, lo > b ? gen->hi_by : gen->lo_by);
          return FALSE;
        }
      lo = MAX (lo, a);
      hi = MIN (hi, b);
      /* Aim at the middle of the range, never at an edge: rounding would
       * fall on either side. */
      if (isfinite (lo) && isfinite (hi))
        preferred = (lo + hi) / 2;
      else if (isfinite (lo) && preferred <= lo)
        preferred = lo + (isfinite (b) ? (b - lo) / 2 : plan->span / 4);
      else if (isfinite (hi) && preferred >= hi)
        preferred = hi - (isfinite (a) ? (hi - a) / 2 : plan->span / 4);
      plan->center = preferred;
    }
  room = MIN (plan->center - a, b - plan->center);
  if (std)
    {
      double lo = isnan (gen->std_lo) ? 0 : gen->std_lo;
      double hi = isnan (gen->std_hi) ? INFINITY : gen->std_hi;

      spread = isfinite (hi) ? (lo + hi) / 2 : (lo > 0 ? lo * 1.25 : 1);
    }
  else
    spread = plan->span / 8;
  /* The widest spread values in [a, b] can have: half at each end. */
  if (std && isfinite (room) && n_values > 1 && !isnan (gen->std_lo) &&
      gen->std_lo > (b - a) / 2 * sqrt ((double) n_values / (double) (n_values - 1)))
    {
      g_set_error (error, SETL_VALIDATION_ERROR, SETL_VALIDATION_ERROR_INVALID_SCHEMA,
                   "column “%s”: checks %s, %s and %s contradict each other: values that "
                   "close together cannot spread that much",
                   gen->vc->name, gen->std_by, gen->lo_by, gen->hi_by);
      return FALSE;
    }
  /* Values stray up to about sqrt(3) deviations from the center; a wider
   * spread takes values at one deviation on either side only. */
  if (!std)
    spread = MIN (spread, room / 2);
  else if (spread > room / 2)
    {
      plan->two_point = TRUE;
      spread = MIN (spread, room);
    }
  plan->spread = spread;
  plan->width = MIN (plan->spread * sqrt (3), room);
  plan->steer = TRUE;
  return TRUE;
}

static gboolean
plan_combos (SetlSynthesizer  *self,
             ColumnPlan       *plans,
             gint64            n_rows,
             GError          **error)
{
  for (guint k = 0; k < self->combos->len; k++)
    {
      ComboGen *combo = g_ptr_array_index (self->combos, k);
      g_autoptr(GString) sizes = g_string_new (NULL);
      double product = 1;

      for (guint j = 0; j < combo->n; j++)
        {
          ColumnGen *gen = g_ptr_array_index (self->columns, combo->columns[j]);
          ColumnPlan *plan = &plans[combo->columns[j]];
          double domain = column_domain (gen, plan) + (plan->n_nulls > 0 ? 1 : 0);

          product *= domain;
          g_string_append_printf (sizes, "%s“%s”: %s", j > 0 ? ", " : "", gen->vc->name,
                                  isfinite (domain) ? "" : "many");
          if (isfinite (domain))
            g_string_append_printf (sizes, "%.0f", domain);
        }
      if (product < (double) n_rows)
        {
          g_set_error (error, SETL_VALIDATION_ERROR, SETL_VALIDATION_ERROR_INVALID_SCHEMA,
                       "columns %s are a unique combination, but their checks allow %.0f "
                       "combinations (%s values), fewer than %" G_GINT64_FORMAT " rows",
                       combo->names, product, sizes->str, n_rows);
          return FALSE;
        }
    }
  return TRUE;
}

/* What @n_rows rows ask of each column, refused when they cannot be made. */
static ColumnPlan *
plan_rows (SetlSynthesizer  *self,
           gint64            n_rows,
           gboolean          invalid,
           GError          **error)
{
  g_autofree ColumnPlan *plans = g_new0 (ColumnPlan, MAX (self->columns->len, 1));

  if (self->min_rows >= 0 && n_rows < self->min_rows)
    {
      g_set_error (error, SETL_VALIDATION_ERROR, SETL_VALIDATION_ERROR_INVALID_SCHEMA,
                   "table check %s asks for at least %" G_GINT64_FORMAT " rows: %" G_GINT64_FORMAT
                   " rows would fail it", self->min_rows_by, self->min_rows, n_rows);
      return NULL;
    }
  if (self->max_rows >= 0 && n_rows > self->max_rows)
    {
      g_set_error (error, SETL_VALIDATION_ERROR, SETL_VALIDATION_ERROR_INVALID_SCHEMA,
                   "table check %s allows at most %" G_GINT64_FORMAT " rows: %" G_GINT64_FORMAT
                   " rows would fail it", self->max_rows_by, self->max_rows, n_rows);
      return NULL;
    }
  for (guint c = 0; c < self->columns->len; c++)
    {
      ColumnGen *gen = g_ptr_array_index (self->columns, c);
      ColumnPlan *plan = &plans[c];

      plan->span = default_span (gen->type);
      /* Invalid rows hold nulls only where a null is the target. */
      if (!invalid && !plan_nulls (self, gen, plan, n_rows, error))
        return NULL;
      if (!plan_distinct (self, gen, plan, n_rows - plan->n_nulls, error) ||
          !plan_steering (gen, plan, n_rows - plans[c].n_nulls, error))
        return NULL;
    }
  if (!plan_combos (self, plans, n_rows, error))
    return NULL;
  return g_steal_pointer (&plans);
}

/* ---- one pass: the rows of one reading of a stream --------------------- */

typedef struct {
  HashSet64 *seen;           /* distinct columns: the values used */
  gint64 nulls_left;         /* exact null count, by selection sampling */
  gint64 rows_left;
  gint64 values_left;        /* values (not null) still to make */
  gint64 n_values;           /* values (not null) in all */
  double deviation;          /* steered columns: sum of (value - center) */
  double squares;            /* steered columns: sum of (value - center)² */
  GPtrArray *pool;           /* (element-type GValue) the distinct values */
  guint pool_next;
  GValue source;             /* invalid rows: a valid value of an earlier row */
  guint64 cursor;            /* permute: how far along the domain */
  guint64 step, offset;      /* permute: position k is (step × k + offset) mod domain */
} ColumnPass;

typedef struct {
  HashSet64 *seen;
  GValue *source;            /* invalid rows: an earlier row's valid combination */
} ComboPass;

typedef struct {
  SetlSynthesizer *self;
  ColumnPlan *plans;         /* (unowned) the stream's */
  gboolean invalid;
  gint64 n_rows;
  gint64 done;
  GRand *rand;
  ColumnPass *cols;
  ComboPass *combos;
  GPtrArray *live;           /* invalid rows: (element-type Target) still breakable */
  GHashTable *breaking;      /* invalid rows: Target → (element-type GValue) values breaking it */
  SetlValidationReport *report;
  SetlValidatorRun *run;     /* valid rows: the whole data validated as made */
} Pass;

static void
pass_free (Pass *pass)
{
  SetlSynthesizer *self = pass->self;

  for (guint c = 0; c < self->columns->len; c++)
    {
      hash_set_free (pass->cols[c].seen);
      g_clear_pointer (&pass->cols[c].pool, g_ptr_array_unref);
      if (G_IS_VALUE (&pass->cols[c].source))
        g_value_unset (&pass->cols[c].source);
    }
  for (guint k = 0; k < self->combos->len; k++)
    {
      ComboGen *combo = g_ptr_array_index (self->combos, k);

      hash_set_free (pass->combos[k].seen);
      if (pass->combos[k].source != NULL)
        for (guint j = 0; j < combo->n; j++)
          if (G_IS_VALUE (&pass->combos[k].source[j]))
            g_value_unset (&pass->combos[k].source[j]);
      g_free (pass->combos[k].source);
    }
  g_free (pass->cols);
  g_free (pass->combos);
  g_clear_pointer (&pass->live, g_ptr_array_unref);
  g_clear_pointer (&pass->breaking, g_hash_table_unref);
  g_clear_pointer (&pass->run, _setl_validator_run_free);
  g_clear_object (&pass->report);
  g_clear_pointer (&pass->rand, g_rand_free);
  g_clear_object (&pass->self);
  g_free (pass);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Pass, pass_free)

static gboolean fill_values (Pass *pass, guint c, GValue *values, const gboolean *want,
                             gint64 n, gboolean steered, GError **error);

static char *
target_describe (SetlSynthesizer *self,
                 Target          *target)
{
  ColumnGen *gen;

  if (target->kind == TARGET_COMBINATION)
    return g_strdup_printf ("%s: multiple_fields_uniqueness",
                            ((ComboGen *) g_ptr_array_index (self->combos, target->column))->names);
  gen = g_ptr_array_index (self->columns, target->column);
  switch (target->kind)
    {
    case TARGET_NULL: return g_strdup_printf ("%s: not_nullable", gen->vc->name);
    case TARGET_DUPLICATE: return g_strdup_printf ("%s: field_uniqueness", gen->vc->name);
    default: return g_strdup_printf ("%s: %s", gen->vc->name, target->check->description);
    }
}

static guint64
gcd64 (guint64 a,
       guint64 b)
{
  while (b != 0)
    {
      guint64 t = a % b;

      a = b;
      b = t;
    }
  return a;
}

static Pass *
pass_new (SetlSynthesizer  *self,
          ColumnPlan       *plans,
          GPtrArray        *fields,
          gint64            n_rows,
          gboolean          invalid,
          GError          **error)
{
  g_autoptr(Pass) pass = g_new0 (Pass, 1);

  pass->self = g_object_ref (self);
  pass->plans = plans;
  pass->invalid = invalid;
  pass->n_rows = n_rows;
  pass->rand = g_rand_new_with_seed (self->seed);
  pass->cols = g_new0 (ColumnPass, MAX (self->columns->len, 1));
  pass->combos = g_new0 (ComboPass, MAX (self->combos->len, 1));
  for (guint k = 0; k < self->combos->len; k++)
    pass->combos[k].seen = hash_set_new ();

  if (invalid)
    {
      g_ptr_array_set_size (self->unbreakable, 0);
      for (guint i = 0; i < self->never->len; i++)
        g_ptr_array_add (self->unbreakable, g_strdup (g_ptr_array_index (self->never, i)));
      pass->live = g_ptr_array_new ();
      pass->breaking = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_ptr_array_unref);
      for (guint i = 0; i < self->targets->len; i++)
        g_ptr_array_add (pass->live, g_ptr_array_index (self->targets, i));
    }
  else
    {
      pass->report = _setl_validation_report_new (_setl_validator_get_plan (self->validator)->schema_name,
                                                  setl_validator_get_max_failure_cases (self->validator));
      pass->run = _setl_validator_run_new (self->validator, pass->report, FALSE);
      if (!_setl_validator_run_start (pass->run, (SetlField **) fields->pdata, fields->len, error))
        return NULL;
    }

  for (guint c = 0; c < self->columns->len; c++)
    {
      ColumnPlan *plan = &plans[c];
      ColumnPass *cp = &pass->cols[c];

      cp->nulls_left = plan->n_nulls;
      cp->rows_left = n_rows;
      cp->values_left = cp->n_values = n_rows - plan->n_nulls;
      if (plan->permute)
        {
          /* A step prime to the domain visits every position once. */
          cp->step = plan->domain > 1 ? (guint64) (g_rand_double (pass->rand) * (double) (plan->domain - 1)) + 1 : 1;
          while (gcd64 (cp->step, plan->domain) != 1)
            cp->step++;
          cp->offset = (guint64) (g_rand_double (pass->rand) * (double) plan->domain);
        }
      if (plan->pool_size > 0)
        {
          /* The pool: distinct valid values, each used at least once. */
          g_autofree GValue *values = g_new0 (GValue, plan->pool_size);
          g_autofree gboolean *want = g_new (gboolean, plan->pool_size);
          gboolean ok;

          for (gint64 i = 0; i < plan->pool_size; i++)
            want[i] = TRUE;
          cp->seen = hash_set_new ();
          ok = fill_values (pass, c, values, want, plan->pool_size, FALSE, error);
          g_clear_pointer (&cp->seen, hash_set_free);
          cp->pool = g_ptr_array_new_full ((guint) plan->pool_size, value_free);
          for (gint64 i = 0; i < plan->pool_size; i++)
            {
              if (ok)
                g_ptr_array_add (cp->pool, value_copy (&values[i]));
              if (G_IS_VALUE (&values[i]))
                g_value_unset (&values[i]);
            }
          if (!ok)
            return NULL;
        }
      if (plan->distinct)
        cp->seen = hash_set_new ();
    }
  return g_steal_pointer (&pass);
}

/* ---- drawing and judging values ---------------------------------------- */

/* Where a steered column stands while a batch is drawn. */
typedef struct {
  double s1, s2;             /* sums of (value - center) and its square */
  gint64 left;               /* values still to draw, this one included */
} Moments;

/* A candidate value of column @c (judged afterwards): from the pool, from
 * the hook or the pattern of the check the last one failed, steered to a
 * mean and a deviation, or from the merged constraints. @moments: the
 * steered column's state, updated; NULL on redraws. */
static void
draw_cell (Pass               *pass,
           guint               c,
           SetlValidatorCheck *failed_by,
           guint               attempt,
           Moments            *moments,
           GValue             *out)
{
  ColumnGen *gen = g_ptr_array_index (pass->self->columns, c);
  ColumnPlan *plan = &pass->plans[c];
  ColumnPass *cp = &pass->cols[c];

  if (cp->pool != NULL && cp->pool->len > 0)
    {
      guint index = cp->pool_next < cp->pool->len ? cp->pool_next++
                                                  : (guint) g_rand_int_range (pass->rand, 0, (gint32) cp->pool->len);

      value_assign (out, g_ptr_array_index (cp->pool, index));
      return;
    }
  if (plan->permute && cp->cursor < plan->domain)
    {
      guint64 k = cp->cursor++;
      guint64 position = (guint64) (((unsigned __int128) cp->step * k + cp->offset) % plan->domain);

      if (gen->allowed != NULL)
        value_assign (out, g_ptr_array_index (gen->allowed, position));
      else
        value_set_number (out, gen->type, plan->first + (double) position);
      return;
    }
  if (failed_by != NULL && setl_check_can_synthesize (failed_by->check) && (attempt & 1))
    {
      if (setl_check_synthesize (failed_by->check, gen->type, pass->rand, out, NULL))
        return;
      if (G_IS_VALUE (out))
        g_value_unset (out);
    }
  /* A pattern check with no hook of its own: a string its regular
   * expression matches. */
  if (failed_by != NULL && gen->type == SETL_DATA_TYPE_STRING &&
      !setl_check_can_synthesize (failed_by->check))
    {
      g_autofree char *pattern = NULL;

      if (g_object_class_find_property (G_OBJECT_GET_CLASS (failed_by->check), "pattern") != NULL)
        g_object_get (failed_by->check, "pattern", &pattern, NULL);
      if (pattern != NULL)
        {
          char *text = regex_sample (pattern, pass->rand);

          if (text != NULL)
            {
              g_value_init (out, G_TYPE_STRING);
              g_value_take_string (out, text);
              return;
            }
        }
    }
  if (plan->steer)
    {
      double d, v;

      if (moments != NULL && moments->left > 0)
        {
          /* The values left must sum to -s1 and their squares to what
           * the deviation asks: draw this one from their mean with their
           * spread. The last one then lands both exactly. */
          double r = (double) moments->left;
          double goal = plan->spread * plan->spread * (double) MAX (pass->cols[c].n_values - 1, 0);
          double m = -moments->s1 / r;
          double q = (goal - moments->s2) / r - m * m;
          /* Uniform draws while many values are left to absorb their
           * randomness; towards the end, one deviation on either side,
           * which keeps what the last ones need reachable (the spread
           * left shrinks by 1 - 1/(r-1)² a step, to 0 at the last). */
          double z = moments->left == 1 ? 0
                   : moments->left <= 32 || plan->two_point ? (g_rand_boolean (pass->rand) ? 1 : -1)
                   : sqrt (3) * (2 * g_rand_double (pass->rand) - 1);

          d = m + (q > 0 ? sqrt (q) : 0) * z;
          if (plan->two_point && moments->left > 1)
            {
              /* A spread as wide as the room: values at either end, as
               * often as the mean to reach asks. */
              double p = CLAMP ((m + plan->spread) / (2 * plan->spread), 0, 1);

              d = g_rand_double (pass->rand) < p ? plan->spread : -plan->spread;
            }
        }
      else
        d = plan->width * (2 * g_rand_double (pass->rand) - 1);
      v = plan->center + d;
      if (gen->has_lo && v < gen->lo)
        v = gen->lo;
      if (gen->has_hi && v > gen->hi)
        v = gen->hi;
      /* Integers: rounded up or down at random, in proportion, so that
       * rounding adds no drift the next values would have to undo. */
      if (gen->type == SETL_DATA_TYPE_INT64 && moments != NULL && moments->left > 1)
        v = floor (v) + (g_rand_double (pass->rand) < v - floor (v) ? 1 : 0);
      else if (gen->type == SETL_DATA_TYPE_INT64)
        v = round (v);
      if (moments != NULL)
        {
          moments->s1 += v - plan->center;
          moments->s2 += (v - plan->center) * (v - plan->center);
          moments->left--;
        }
      value_set_number (out, gen->type, v);
      return;
    }
  draw_valid (gen, plan->span, pass->rand, out);
}

/* Judges @values[0..m): sets bad[k] (and failed_by[k], the first check
 * failed) for those that fail the merged constraints or a check, or
 * repeat a value of a distinct column (the others are recorded as used). */
static gboolean
judge_values (Pass                *pass,
              guint                c,
              GValue              *values,
              gint64               m,
              gboolean            *bad,
              SetlValidatorCheck **failed_by,
              GError             **error)
{
  ColumnGen *gen = g_ptr_array_index (pass->self->columns, c);
  ColumnPass *cp = &pass->cols[c];
  g_autofree gboolean *fails = g_new (gboolean, MAX (m, 1));

  for (gint64 k = 0; k < m; k++)
    {
      failed_by[k] = NULL;
      bad[k] = G_IS_VALUE (&values[k]) &&
               (is_forbidden (gen, &values[k]) ||
                (is_numeric (gen->type) && !in_interval (gen, value_number (&values[k]))));
    }
  for (guint j = 0; j < gen->verify->len; j++)
    {
      SetlValidatorCheck *vcheck = g_ptr_array_index (gen->verify, j);

      memset (fails, 0, sizeof (gboolean) * MAX (m, 1));
      if (!run_check (vcheck, gen->type, values, m, fails, error))
        return FALSE;
      for (gint64 k = 0; k < m; k++)
        if (fails[k])
          {
            bad[k] = TRUE;
            if (failed_by[k] == NULL)
              failed_by[k] = vcheck;
          }
    }
  if (cp->seen != NULL)
    for (gint64 k = 0; k < m; k++)
      if (!bad[k] && G_IS_VALUE (&values[k]) && !hash_set_add (cp->seen, value_hash64 (&values[k])))
        bad[k] = TRUE;
  return TRUE;
}

/* Fills the cells @want says of @values[0..n) with valid values of column
 * @c: drawn, judged, drawn again where they fail. */
static gboolean
fill_values (Pass            *pass,
             guint            c,
             GValue          *values,
             const gboolean  *want,
             gint64           n,
             gboolean         steered,
             GError         **error)
{
  ColumnGen *gen = g_ptr_array_index (pass->self->columns, c);
  g_autofree gboolean *bad = g_new0 (gboolean, MAX (n, 1));
  g_autofree SetlValidatorCheck **failed_by = g_new0 (SetlValidatorCheck *, MAX (n, 1));
  g_autofree gint64 *pending = g_new (gint64, MAX (n, 1));
  g_autofree GValue *packed = g_new0 (GValue, MAX (n, 1));
  g_autofree gboolean *packed_bad = g_new0 (gboolean, MAX (n, 1));
  g_autofree SetlValidatorCheck **packed_by = g_new0 (SetlValidatorCheck *, MAX (n, 1));
  Moments moments = { pass->cols[c].deviation, pass->cols[c].squares, pass->cols[c].values_left };
  gint64 n_bad = 0;

  for (gint64 i = 0; i < n; i++)
    n_bad += bad[i] = want[i];

  for (guint round = 0; n_bad > 0; round++)
    {
      gint64 m = 0;

      if (round == MAX_ROUNDS)
        {
          for (gint64 i = 0; i < n; i++)
            if (bad[i])
              {
                g_set_error (error, SETL_VALIDATION_ERROR, SETL_VALIDATION_ERROR_INVALID_SCHEMA,
                             "column “%s”: no value passing every check was found after %d tries%s%s%s",
                             gen->vc->name, MAX_ROUNDS,
                             failed_by[i] ? " (check " : (pass->cols[c].seen ? " (the values must be distinct" : ""),
                             failed_by[i] ? failed_by[i]->description : "",
                             failed_by[i] || pass->cols[c].seen ? " keeps failing)" : "");
                return FALSE;
              }
        }
      for (gint64 i = 0; i < n; i++)
        {
          if (!bad[i])
            continue;
          if (G_IS_VALUE (&values[i]))
            g_value_unset (&values[i]);
          draw_cell (pass, c, failed_by[i], round, round == 0 && steered ? &moments : NULL, &values[i]);
          pending[m] = i;
          packed[m++] = values[i];   /* a bitwise copy, judged in place */
        }
      if (!judge_values (pass, c, packed, m, packed_bad, packed_by, error))
        return FALSE;
      n_bad = 0;
      for (gint64 k = 0; k < m; k++)
        {
          bad[pending[k]] = packed_bad[k];
          failed_by[pending[k]] = packed_by[k];
          n_bad += packed_bad[k];
        }
    }
  return TRUE;
}

/* The last value of a steered column lands the mean: it makes up for the
 * whole drift, if the value it takes passes. */
static gboolean
land_mean (Pass     *pass,
           guint     c,
           GValue   *cell,
           double    drift,
           GError  **error)
{
  ColumnGen *gen = g_ptr_array_index (pass->self->columns, c);
  double old = value_number (cell), v = old - drift;
  GValue candidate = G_VALUE_INIT;
  gboolean bad = FALSE;
  SetlValidatorCheck *failed_by = NULL;

  if (gen->type == SETL_DATA_TYPE_INT64)
    v = round (v);
  if (v == old || isnan (v))
    return TRUE;
  value_set_number (&candidate, gen->type, v);
  if (!judge_values (pass, c, &candidate, 1, &bad, &failed_by, error))
    {
      g_value_unset (&candidate);
      return FALSE;
    }
  if (!bad)
    value_assign (cell, &candidate);
  g_value_unset (&candidate);
  return TRUE;
}

static guint64
combo_hash (ComboGen  *combo,
            GValue   **columns,
            gint64     row)
{
  guint64 hash = HASH_SEED;

  for (guint j = 0; j < combo->n; j++)
    hash = value_hash_into (hash, &columns[combo->columns[j]][row]);
  return hash_finish (hash);
}

/* Makes the combinations of row @row unique: a combination already used
 * has its cells redrawn (not those @fixed says; the nulls only if nothing
 * else can change). @expected: the combination the row repeats on
 * purpose, or -1. With @stuck, a combination that cannot be made unique
 * sets *@stuck instead of an error. */
static gboolean
settle_combos (Pass       *pass,
               GValue    **columns,
               gboolean  **fixed,
               gint64      row,
               int         expected,
               gboolean   *stuck,
               GError    **error)
{
  SetlSynthesizer *self = pass->self;
  guint n_combos = self->combos->len;
  g_autofree guint64 *hashes = g_new (guint64, MAX (n_combos, 1));
  /* Drawing until an unused combination comes up takes domain / unused
   * draws on average: at worst (as many combinations as rows) about the
   * number of rows for the last ones. Invalid rows, whose fixed values
   * can leave no combination free, give up sooner. */
  guint64 max_rounds = stuck != NULL ? COMBO_ROUNDS : MAX (COMBO_ROUNDS, 20 * (guint64) pass->n_rows);

  for (guint64 round = 0;; round++)
    {
      int taken = -1;

      for (guint k = 0; k < n_combos && taken < 0; k++)
        {
          hashes[k] = combo_hash (g_ptr_array_index (self->combos, k), columns, row);
          if ((int) k != expected && hash_set_contains (pass->combos[k].seen, hashes[k]))
            taken = (int) k;
          /* Two combinations of one row are the same only if equal. */
        }
      if (taken < 0)
        break;
      {
        ComboGen *combo = g_ptr_array_index (self->combos, taken);
        gboolean changed = FALSE;

        if (round == max_rounds && stuck != NULL)
          {
            *stuck = TRUE;
            return TRUE;
          }
        if (round == max_rounds)
          {
            g_set_error (error, SETL_VALIDATION_ERROR, SETL_VALIDATION_ERROR_INVALID_SCHEMA,
                         "columns %s are a unique combination: no unused combination was found "
                         "after %" G_GUINT64_FORMAT " draws (their checks leave few more combinations "
                         "than rows)", combo->names, max_rounds);
            return FALSE;
          }
        for (int with_nulls = 0; with_nulls < 2 && !changed; with_nulls++)
          for (guint j = 0; j < combo->n; j++)
            {
              guint c = combo->columns[j];
              GValue *cell = &columns[c][row];
              gboolean want = TRUE;

              if ((fixed != NULL && fixed[c][row]) || (!with_nulls && !G_IS_VALUE (cell)))
                continue;
              if (!fill_values (pass, c, cell, &want, 1, FALSE, error))
                return FALSE;
              changed = TRUE;
            }
        if (!changed && stuck != NULL)
          {
            *stuck = TRUE;
            return TRUE;
          }
        if (!changed)
          {
            g_set_error (error, SETL_VALIDATION_ERROR, SETL_VALIDATION_ERROR_INVALID_SCHEMA,
                         "columns %s are a unique combination: row %" G_GINT64_FORMAT
                         " repeats one and none of its values can change",
                         combo->names, pass->done + row);
            return FALSE;
          }
      }
    }
  for (guint k = 0; k < n_combos; k++)
    if ((int) k != expected)
      hash_set_add (pass->combos[k].seen, hashes[k]);
  return TRUE;
}

/* ---- batches ----------------------------------------------------------- */

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

static void
free_cells (GValue **columns,
            guint    n_columns,
            gint64   n)
{
  for (guint c = 0; c < n_columns; c++)
    {
      for (gint64 i = 0; columns[c] != NULL && i < n; i++)
        if (G_IS_VALUE (&columns[c][i]))
          g_value_unset (&columns[c][i]);
      g_free (columns[c]);
    }
  g_free (columns);
}

/* Updates the drift of the steered columns from the values of a batch. */
static void
add_drift (Pass     *pass,
           GValue  **columns,
           gint64    n)
{
  for (guint c = 0; c < pass->self->columns->len; c++)
    if (pass->plans[c].steer)
      for (gint64 i = 0; i < n; i++)
        if (G_IS_VALUE (&columns[c][i]))
          {
            double d = value_number (&columns[c][i]) - pass->plans[c].center;

            pass->cols[c].deviation += d;
            pass->cols[c].squares += d * d;
          }
}

static SetlRecordBatch *
make_valid_batch (Pass       *pass,
                  GPtrArray  *fields,
                  gint64      n,
                  GError    **error)
{
  SetlSynthesizer *self = pass->self;
  guint n_columns = self->columns->len;
  GValue **columns = g_new0 (GValue *, MAX (n_columns, 1));
  g_autofree gboolean *want = g_new (gboolean, MAX (n, 1));
  SetlRecordBatch *batch = NULL;
  gboolean ok = TRUE;

  for (guint c = 0; ok && c < n_columns; c++)
    {
      ColumnPass *cp = &pass->cols[c];
      gint64 count = 0, last = -1;

      columns[c] = g_new0 (GValue, MAX (n, 1));
      /* Exactly the planned number of nulls, spread at random
       * (selection sampling: each row is null with the probability
       * nulls left / rows left). */
      for (gint64 i = 0; i < n; i++)
        {
          gboolean null = cp->nulls_left > 0 &&
                          g_rand_double (pass->rand) * (double) cp->rows_left < (double) cp->nulls_left;

          cp->rows_left--;
          cp->nulls_left -= null;
          want[i] = !null;
          if (!null)
            {
              count++;
              last = i;
            }
        }
      ok = fill_values (pass, c, columns[c], want, n, TRUE, error);
      cp->values_left -= count;
      if (ok && pass->plans[c].steer && cp->values_left == 0 && last >= 0)
        {
          double drift = cp->deviation;

          for (gint64 i = 0; i < n; i++)
            if (G_IS_VALUE (&columns[c][i]))
              drift += value_number (&columns[c][i]) - pass->plans[c].center;
          ok = land_mean (pass, c, &columns[c][last], drift, error);
        }
    }
  for (gint64 i = 0; ok && self->combos->len > 0 && i < n; i++)
    ok = settle_combos (pass, columns, NULL, i, -1, NULL, error);
  if (ok)
    {
      add_drift (pass, columns, n);
      batch = make_batch (self, fields, columns, n, error);
    }
  free_cells (columns, n_columns, n);
  return batch;
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
      /* Two decimals at most: short texts in reports, whatever prints them. */
      while (n < max)
        ADD_NUMBER (round ((default_origin (gen->type) +
                            (g_rand_double (rand) - 0.5) * 2 * default_span (gen->type) * 1000) * 100) / 100);
    }
  else if (gen->type == SETL_DATA_TYPE_STRING)
    {
      gint64 too_short = gen->min_len > 0 ? gen->min_len - 1 : -1;
      gint64 too_long = gen->max_len >= 0 ? gen->max_len + 1 : -1;

      if (too_short >= 0)
        {
          ADD_STRING (random_text (rand, too_short, NULL, NULL));
          if (text_length (gen->prefix) + text_length (gen->suffix) <= too_short)
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

#define BREAKING_CACHE 16

/* A value that fails @target's check and passes the column's others, not
 * used before in a distinct column. Values found for a column whose
 * values may repeat are kept for the next rows with that target. */
static gboolean
find_breaking_value (Pass      *pass,
                     Target    *target,
                     GValue    *out,
                     GError   **error)
{
  ColumnGen *gen = g_ptr_array_index (pass->self->columns, target->column);
  HashSet64 *seen = pass->cols[target->column].seen;
  GPtrArray *cache = seen == NULL ? g_hash_table_lookup (pass->breaking, target) : NULL;

  if (cache != NULL && cache->len >= BREAKING_CACHE / 2)
    {
      value_assign (out, g_ptr_array_index (cache, g_rand_int_range (pass->rand, 0, (gint32) cache->len)));
      return TRUE;
    }
  for (int attempt = 0; attempt < 4; attempt++)
    {
      GValue candidates[INVALID_CANDIDATES] = { G_VALUE_INIT };
      gboolean others_fail[INVALID_CANDIDATES] = { FALSE };
      gboolean target_fails[INVALID_CANDIDATES] = { FALSE };
      gint64 n = draw_invalid_candidates (gen, pass->rand, candidates, INVALID_CANDIDATES);
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
          if (target_fails[i] && !others_fail[i] &&
              (seen == NULL || !hash_set_contains (seen, value_hash64 (&candidates[i]))))
            {
              if (!found)
                {
                  value_assign (out, &candidates[i]);
                  if (seen != NULL)
                    hash_set_add (seen, value_hash64 (out));
                  found = TRUE;
                }
              if (seen == NULL)
                {
                  if (cache == NULL)
                    {
                      cache = g_ptr_array_new_with_free_func (value_free);
                      g_hash_table_insert (pass->breaking, target, cache);
                    }
                  if (cache->len < BREAKING_CACHE)
                    g_ptr_array_add (cache, value_copy (&candidates[i]));
                }
            }
          g_value_unset (&candidates[i]);
        }
      if (found)
        return TRUE;
    }
  return TRUE;   /* none: @out left unset */
}

/* Whether @target puts an invalid value (or a null) in column @c. */
static gboolean
target_breaks_column (Target *target,
                      guint   c)
{
  return (target->kind == TARGET_NULL || target->kind == TARGET_CHECK) && target->column == c;
}

static gboolean
target_breaks_combo (Target   *target,
                     ComboGen *combo)
{
  for (guint j = 0; j < combo->n; j++)
    if (target_breaks_column (target, combo->columns[j]))
      return TRUE;
  return FALSE;
}

/* Whether a repeat target has an earlier valid value (or combination) to
 * repeat. */
static gboolean
target_ready (Pass   *pass,
              Target *target)
{
  if (target->kind == TARGET_DUPLICATE)
    return G_IS_VALUE (&pass->cols[target->column].source);
  if (target->kind == TARGET_COMBINATION)
    return pass->combos[target->column].source != NULL;
  return TRUE;
}

/* Until there is an earlier value to repeat, a repeat target gives way to
 * a target that leaves the repeated columns valid (that row then becomes
 * the source); NULL if there is none. */
static Target *
stand_in (Pass   *pass,
          Target *target)
{
  for (guint k = 0; k < pass->live->len; k++)
    {
      Target *other = g_ptr_array_index (pass->live, k);

      if (other->kind != TARGET_NULL && other->kind != TARGET_CHECK)
        continue;
      if (target->kind == TARGET_DUPLICATE && other->column == target->column)
        continue;
      if (target->kind == TARGET_COMBINATION &&
          target_breaks_combo (other, g_ptr_array_index (pass->self->combos, target->column)))
        continue;
      return other;
    }
  return NULL;
}

static void
give_up_target (Pass   *pass,
                Target *target)
{
  g_ptr_array_add (pass->self->unbreakable, target_describe (pass->self, target));
  g_ptr_array_remove (pass->live, target);
}

/* Breaks @target in row @row; FALSE in *@broken if no value can. */
static gboolean
apply_target (Pass       *pass,
              Target     *target,
              GValue    **columns,
              gboolean  **fixed,
              gint64      row,
              gboolean   *broken,
              GError    **error)
{
  SetlSynthesizer *self = pass->self;

  *broken = TRUE;
  switch (target->kind)
    {
    case TARGET_NULL:
      g_value_unset (&columns[target->column][row]);
      fixed[target->column][row] = TRUE;
      return TRUE;
    case TARGET_DUPLICATE:
      /* With exclude_first only the repeat is reported. */
      value_assign (&columns[target->column][row], &pass->cols[target->column].source);
      fixed[target->column][row] = TRUE;
      return TRUE;
    case TARGET_COMBINATION:
      {
        ComboGen *combo = g_ptr_array_index (self->combos, target->column);

        for (guint j = 0; j < combo->n; j++)
          {
            value_assign (&columns[combo->columns[j]][row], &pass->combos[target->column].source[j]);
            fixed[combo->columns[j]][row] = TRUE;
          }
        return TRUE;
      }
    default:
      {
        g_auto(GValue) value = G_VALUE_INIT;

        if (!find_breaking_value (pass, target, &value, error))
          return FALSE;
        if (!G_IS_VALUE (&value))
          {
            *broken = FALSE;
            return TRUE;
          }
        value_assign (&columns[target->column][row], &value);
        fixed[target->column][row] = TRUE;
        return TRUE;
      }
    }
}

/* A finished row's valid values are sources for repeats. */
static void
note_sources (Pass     *pass,
              Target   *target,
              GValue  **columns,
              gint64    row)
{
  SetlSynthesizer *self = pass->self;

  for (guint c = 0; c < self->columns->len; c++)
    if (!G_IS_VALUE (&pass->cols[c].source) && !target_breaks_column (target, c) &&
        G_IS_VALUE (&columns[c][row]))
      value_assign (&pass->cols[c].source, &columns[c][row]);
  for (guint k = 0; k < self->combos->len; k++)
    {
      ComboGen *combo = g_ptr_array_index (self->combos, k);

      if (pass->combos[k].source != NULL || target_breaks_combo (target, combo))
        continue;
      pass->combos[k].source = g_new0 (GValue, combo->n);
      for (guint j = 0; j < combo->n; j++)
        value_assign (&pass->combos[k].source[j], &columns[combo->columns[j]][row]);
    }
}

static GPtrArray *
target_fields (void)
{
  GPtrArray *fields = g_ptr_array_new_with_free_func (g_object_unref);

  g_ptr_array_add (fields, setl_field_new ("row", SETL_DATA_TYPE_INT64, FALSE));
  g_ptr_array_add (fields, setl_field_new ("column", SETL_DATA_TYPE_STRING, FALSE));
  g_ptr_array_add (fields, setl_field_new ("check", SETL_DATA_TYPE_STRING, FALSE));
  g_ptr_array_add (fields, setl_field_new ("check_number", SETL_DATA_TYPE_INT64, TRUE));
  g_ptr_array_add (fields, setl_field_new ("reason", SETL_DATA_TYPE_STRING, FALSE));
  return fields;
}

static SetlRecordBatch *
make_targets_batch (SetlSynthesizer  *self,
                    Target          **targets,
                    gint64            first_row,
                    gint64            n,
                    GError          **error)
{
  g_autoptr(SetlColumnBuilder) row_b = setl_column_builder_new (SETL_DATA_TYPE_INT64);
  g_autoptr(SetlColumnBuilder) column_b = setl_column_builder_new (SETL_DATA_TYPE_STRING);
  g_autoptr(SetlColumnBuilder) check_b = setl_column_builder_new (SETL_DATA_TYPE_STRING);
  g_autoptr(SetlColumnBuilder) number_b = setl_column_builder_new (SETL_DATA_TYPE_INT64);
  g_autoptr(SetlColumnBuilder) reason_b = setl_column_builder_new (SETL_DATA_TYPE_STRING);
  g_autoptr(GPtrArray) fields = target_fields ();
  g_autoptr(GPtrArray) columns = g_ptr_array_new_with_free_func (g_object_unref);
  SetlColumnBuilder *builders[5];

  for (gint64 i = 0; i < n; i++)
    {
      Target *t = targets[i];
      SetlValidationReason reason;
      const char *check;

      setl_column_builder_append_int64 (row_b, first_row + i);
      if (t->kind == TARGET_COMBINATION)
        setl_column_builder_append_string (column_b,
          ((ComboGen *) g_ptr_array_index (self->combos, t->column))->names, -1);
      else
        setl_column_builder_append_string (column_b,
          ((ColumnGen *) g_ptr_array_index (self->columns, t->column))->vc->name, -1);
      switch (t->kind)
        {
        case TARGET_NULL:
          check = "not_nullable";
          reason = SETL_VALIDATION_REASON_SERIES_CONTAINS_NULLS;
          break;
        case TARGET_DUPLICATE:
          check = "field_uniqueness";
          reason = SETL_VALIDATION_REASON_SERIES_CONTAINS_DUPLICATES;
          break;
        case TARGET_COMBINATION:
          check = "multiple_fields_uniqueness";
          reason = SETL_VALIDATION_REASON_DUPLICATES;
          break;
        default:
          check = t->check->description;
          reason = SETL_VALIDATION_REASON_CHECK_FAILED;
          break;
        }
      setl_column_builder_append_string (check_b, check, -1);
      if (t->kind == TARGET_CHECK)
        setl_column_builder_append_int64 (number_b, setl_schema_check_get_index (t->check->reference));
      else
        setl_column_builder_append_null (number_b);
      setl_column_builder_append_string (reason_b, setl_validation_reason_to_string (reason), -1);
    }
  builders[0] = row_b;
  builders[1] = column_b;
  builders[2] = check_b;
  builders[3] = number_b;
  builders[4] = reason_b;
  for (guint i = 0; i < G_N_ELEMENTS (builders); i++)
    {
      SetlColumn *column = setl_column_builder_finish (builders[i], error);

      if (column == NULL)
        return NULL;
      g_ptr_array_add (columns, column);
    }
  return setl_record_batch_new ((SetlField **) fields->pdata, fields->len,
                                (SetlColumn **) columns->pdata, columns->len, error);
}

static SetlRecordBatch *
make_invalid_batch (Pass       *pass,
                    GPtrArray  *fields,
                    gint64      n,
                    GError    **error)
{
  SetlSynthesizer *self = pass->self;
  guint n_columns = self->columns->len;
  GValue **columns = g_new0 (GValue *, MAX (n_columns, 1));
  g_autofree gboolean **fixed = g_new0 (gboolean *, MAX (n_columns, 1));
  g_autofree gboolean *want = g_new (gboolean, MAX (n, 1));
  g_autofree Target **row_targets = g_new0 (Target *, MAX (n, 1));
  g_autofree GValue *saved = g_new0 (GValue, MAX (n_columns, 1));
  g_autoptr(SetlRecordBatch) targets = NULL;
  SetlRecordBatch *batch = NULL;
  gboolean ok = TRUE;

  /* Valid values everywhere (no nulls), then one target per row broken. */
  for (gint64 i = 0; i < n; i++)
    want[i] = TRUE;
  for (guint c = 0; c < n_columns; c++)
    {
      columns[c] = g_new0 (GValue, MAX (n, 1));
      fixed[c] = g_new0 (gboolean, MAX (n, 1));
    }
  for (guint c = 0; ok && c < n_columns; c++)
    {
      ok = fill_values (pass, c, columns[c], want, n, TRUE, error);
      pass->cols[c].values_left -= n;
    }

  for (gint64 i = 0; ok && i < n; i++)
    {
      gint64 row = pass->done + i;
      gboolean broken = FALSE;

      for (guint c = 0; c < n_columns; c++)
        value_assign (&saved[c], &columns[c][i]);
      while (ok && !broken && pass->live->len > 0)
        {
          Target *t = g_ptr_array_index (pass->live, row % pass->live->len);
          gboolean stuck = FALSE;

          if (!target_ready (pass, t))
            {
              Target *other = stand_in (pass, t);

              if (other == NULL)
                {
                  give_up_target (pass, t);
                  continue;
                }
              t = other;
            }
          ok = apply_target (pass, t, columns, fixed, i, &broken, error);
          if (ok && broken)
            ok = settle_combos (pass, columns, fixed, i,
                                t->kind == TARGET_COMBINATION ? (int) t->column : -1, &stuck, error);
          if (ok && stuck)
            {
              /* Its value leaves every combination of the row taken (a
               * null, say, with few values beside it): another target,
               * and the row as it was. */
              for (guint c = 0; c < n_columns; c++)
                {
                  value_assign (&columns[c][i], &saved[c]);
                  fixed[c][i] = FALSE;
                }
              broken = FALSE;
            }
          if (ok && broken)
            row_targets[i] = t;
          else if (ok)
            give_up_target (pass, t);
        }
      if (ok && !broken)
        {
          g_set_error (error, SETL_VALIDATION_ERROR, SETL_VALIDATION_ERROR_INVALID_SCHEMA,
                       "schema “%s” has no check that a row can break alone",
                       setl_schema_get_name (setl_synthesizer_get_schema (self)));
          ok = FALSE;
        }
      if (ok)
        note_sources (pass, row_targets[i], columns, i);
    }
  for (guint c = 0; c < n_columns; c++)
    if (G_IS_VALUE (&saved[c]))
      g_value_unset (&saved[c]);
  if (ok)
    {
      add_drift (pass, columns, n);
      targets = make_targets_batch (self, row_targets, pass->done, n, error);
      ok = targets != NULL;
    }
  if (ok)
    batch = make_batch (self, fields, columns, n, error);
  for (guint c = 0; c < n_columns; c++)
    g_free (fixed[c]);
  free_cells (columns, n_columns, n);
  if (batch != NULL)
    g_signal_emit (self, signals[SIGNAL_TARGETS], 0, targets);
  return batch;
}

/* ---- the stream -------------------------------------------------------- */

/* The stream the generate_stream functions return: each pass (open)
 * makes the rows again from the seed, batch by batch. */
#define SETL_TYPE_SYNTHESIZED_STREAM (setl_synthesized_stream_get_type ())
G_DECLARE_FINAL_TYPE (SetlSynthesizedStream, setl_synthesized_stream, SETL, SYNTHESIZED_STREAM, GObject)

struct _SetlSynthesizedStream
{
  GObject parent_instance;

  SetlSynthesizer *synth;
  ColumnPlan *plans;
  GPtrArray *fields;
  gint64 n_rows;
  gboolean invalid;
};

#define SETL_TYPE_SYNTHESIZED_ITERATOR (setl_synthesized_iterator_get_type ())
G_DECLARE_FINAL_TYPE (SetlSynthesizedIterator, setl_synthesized_iterator, SETL, SYNTHESIZED_ITERATOR,
                      SetlBatchIterator)

struct _SetlSynthesizedIterator
{
  SetlBatchIterator parent_instance;

  SetlSynthesizedStream *stream;
  Pass *pass;
  gboolean done;
};

static void setl_synthesized_stream_iface_init (SetlBatchStreamInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SetlSynthesizedStream, setl_synthesized_stream, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (SETL_TYPE_BATCH_STREAM,
                                                      setl_synthesized_stream_iface_init))
G_DEFINE_FINAL_TYPE (SetlSynthesizedIterator, setl_synthesized_iterator, SETL_TYPE_BATCH_ITERATOR)

static gboolean
finish_pass (SetlSynthesizedIterator  *self,
             GError                  **error)
{
  Pass *pass = self->pass;
  g_autofree char *text = NULL;

  if (pass->run == NULL)
    return TRUE;
  if (!_setl_validator_run_finish (pass->run, TRUE, error))
    return FALSE;
  if (setl_validation_report_get_valid (pass->report))
    return TRUE;
  text = setl_validation_report_to_text (pass->report);
  g_set_error (error, SETL_VALIDATION_ERROR, SETL_VALIDATION_ERROR_INVALID_SCHEMA,
               "the synthesized rows do not pass the schema (checks on the whole data, "
               "or between columns, that could not be aimed at):\n%s", text);
  return FALSE;
}

static SetlRecordBatch *
setl_synthesized_iterator_next (SetlBatchIterator  *iterator,
                                GCancellable       *cancellable,
                                GError            **error)
{
  SetlSynthesizedIterator *self = SETL_SYNTHESIZED_ITERATOR (iterator);
  SetlSynthesizedStream *stream = self->stream;
  Pass *pass = self->pass;
  SetlRecordBatch *batch;
  gint64 n;

  if (self->done)
    return NULL;
  if (pass->done >= stream->n_rows)
    {
      self->done = TRUE;
      finish_pass (self, error);
      return NULL;
    }
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    {
      self->done = TRUE;
      return NULL;
    }
  n = MIN (stream->synth->batch_size, stream->n_rows - pass->done);
  batch = stream->invalid ? make_invalid_batch (pass, stream->fields, n, error)
                          : make_valid_batch (pass, stream->fields, n, error);
  if (batch == NULL ||
      (pass->run != NULL && !_setl_validator_run_batch (pass->run, batch, NULL, error)))
    {
      self->done = TRUE;
      g_clear_object (&batch);
      return NULL;
    }
  pass->done += n;
  return batch;
}

static void
setl_synthesized_iterator_finalize (GObject *object)
{
  SetlSynthesizedIterator *self = SETL_SYNTHESIZED_ITERATOR (object);

  g_clear_pointer (&self->pass, pass_free);
  g_clear_object (&self->stream);

  G_OBJECT_CLASS (setl_synthesized_iterator_parent_class)->finalize (object);
}

static void
setl_synthesized_iterator_class_init (SetlSynthesizedIteratorClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = setl_synthesized_iterator_finalize;
  SETL_BATCH_ITERATOR_CLASS (klass)->next = setl_synthesized_iterator_next;
}

static void
setl_synthesized_iterator_init (SetlSynthesizedIterator *self)
{
}

static SetlField **
setl_synthesized_stream_get_fields (SetlBatchStream *stream,
                                    guint           *n_fields)
{
  SetlSynthesizedStream *self = SETL_SYNTHESIZED_STREAM (stream);

  *n_fields = self->fields->len;
  return (SetlField **) self->fields->pdata;
}

static SetlBatchIterator *
setl_synthesized_stream_open (SetlBatchStream  *stream,
                              GCancellable     *cancellable,
                              GError          **error)
{
  SetlSynthesizedStream *self = SETL_SYNTHESIZED_STREAM (stream);
  g_autoptr(SetlSynthesizedIterator) iterator = NULL;
  Pass *pass;

  pass = pass_new (self->synth, self->plans, self->fields, self->n_rows, self->invalid, error);
  if (pass == NULL)
    return NULL;
  iterator = g_object_new (SETL_TYPE_SYNTHESIZED_ITERATOR, NULL);
  iterator->stream = g_object_ref (self);
  iterator->pass = pass;
  return SETL_BATCH_ITERATOR (g_steal_pointer (&iterator));
}

static void
setl_synthesized_stream_iface_init (SetlBatchStreamInterface *iface)
{
  iface->get_fields = setl_synthesized_stream_get_fields;
  iface->open = setl_synthesized_stream_open;
}

static void
setl_synthesized_stream_finalize (GObject *object)
{
  SetlSynthesizedStream *self = SETL_SYNTHESIZED_STREAM (object);

  g_clear_pointer (&self->plans, g_free);
  g_clear_pointer (&self->fields, g_ptr_array_unref);
  g_clear_object (&self->synth);

  G_OBJECT_CLASS (setl_synthesized_stream_parent_class)->finalize (object);
}

static void
setl_synthesized_stream_class_init (SetlSynthesizedStreamClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = setl_synthesized_stream_finalize;
}

static void
setl_synthesized_stream_init (SetlSynthesizedStream *self)
{
}

static SetlBatchStream *
make_stream (SetlSynthesizer  *self,
             gint64            n_rows,
             gboolean          invalid,
             GError          **error)
{
  g_autoptr(SetlSynthesizedStream) stream = NULL;
  ColumnPlan *plans;

  if (invalid && self->targets->len == 0)
    {
      g_set_error (error, SETL_VALIDATION_ERROR, SETL_VALIDATION_ERROR_INVALID_SCHEMA,
                   "schema “%s” has no check that a row can break alone",
                   setl_schema_get_name (setl_synthesizer_get_schema (self)));
      return NULL;
    }
  plans = plan_rows (self, n_rows, invalid, error);
  if (plans == NULL)
    return NULL;
  stream = g_object_new (SETL_TYPE_SYNTHESIZED_STREAM, NULL);
  stream->synth = g_object_ref (self);
  stream->plans = plans;
  stream->fields = make_fields (self);
  stream->n_rows = n_rows;
  stream->invalid = invalid;
  return SETL_BATCH_STREAM (g_steal_pointer (&stream));
}

/**
 * setl_synthesizer_generate_stream:
 * @self: a #SetlSynthesizer
 * @n_rows: how many rows
 * @error: return location for a #GError
 *
 * Makes a stream of @n_rows rows that pass the schema. The rows are made
 * batch by batch as the stream is read (memory stays about one batch),
 * and validated as they are made: a pass whose rows fail the schema as a
 * whole (aggregate or table checks, or checks between columns, that
 * could not be aimed at) ends with an error, so that a sink writing
 * atomically leaves nothing behind. Each pass makes the same rows.
 *
 * Returns: (transfer full): the stream; %NULL with @error set
 *   (%SETL_VALIDATION_ERROR_INVALID_SCHEMA) if @n_rows rows cannot satisfy
 *   the schema: a number of rows outside `row_count_in_range`, a unique
 *   column or combination whose values are too few, a null fraction or a
 *   distinct count no such rows can have — the error names the column
 *   and the checks
 */
SetlBatchStream *
setl_synthesizer_generate_stream (SetlSynthesizer  *self,
                                  gint64            n_rows,
                                  GError          **error)
{
  g_return_val_if_fail (SETL_IS_SYNTHESIZER (self), NULL);
  g_return_val_if_fail (n_rows >= 0, NULL);
  return make_stream (self, n_rows, FALSE, error);
}

/**
 * setl_synthesizer_generate_invalid_stream:
 * @self: a #SetlSynthesizer
 * @n_rows: how many rows
 * @error: return location for a #GError
 *
 * Makes a stream of @n_rows rows that each break exactly one target of
 * the schema (the targets taken in turn). As each batch is made, the
 * #SetlSynthesizer::targets signal gives the target of each of its rows.
 * What no row can break alone is then listed by
 * setl_synthesizer_get_unbreakable().
 *
 * Returns: (transfer full): the stream; %NULL with @error set if the
 *   schema has no target a row can break alone, or @n_rows rows cannot
 *   be made (see setl_synthesizer_generate_stream())
 */
SetlBatchStream *
setl_synthesizer_generate_invalid_stream (SetlSynthesizer  *self,
                                          gint64            n_rows,
                                          GError          **error)
{
  g_return_val_if_fail (SETL_IS_SYNTHESIZER (self), NULL);
  g_return_val_if_fail (n_rows >= 0, NULL);
  return make_stream (self, n_rows, TRUE, error);
}

/**
 * setl_synthesizer_generate:
 * @self: a #SetlSynthesizer
 * @n_rows: how many rows
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Makes @n_rows rows that pass the schema, in memory: the rows of
 * setl_synthesizer_generate_stream(), collected.
 *
 * Returns: (transfer full): the rows, one column per schema column; %NULL
 *   with @error set if no such rows could be made
 */
SetlTable *
setl_synthesizer_generate (SetlSynthesizer  *self,
                           gint64            n_rows,
                           GCancellable     *cancellable,
                           GError          **error)
{
  g_autoptr(SetlBatchStream) stream = NULL;

  g_return_val_if_fail (SETL_IS_SYNTHESIZER (self), NULL);
  g_return_val_if_fail (n_rows >= 0, NULL);

  stream = make_stream (self, n_rows, FALSE, error);
  if (stream == NULL)
    return NULL;
  return setl_batch_stream_collect (stream, cancellable, error);
}

static void
collect_targets (SetlSynthesizer *self,
                 SetlRecordBatch *targets,
                 GPtrArray       *batches)
{
  g_ptr_array_add (batches, g_object_ref (targets));
}

/**
 * setl_synthesizer_generate_invalid:
 * @self: a #SetlSynthesizer
 * @n_rows: how many rows
 * @targets: (out) (transfer full) (optional): which target each row
 *   breaks: a table with columns row, column, check, check_number and
 *   reason, as the validation report names them
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Makes @n_rows rows that each break exactly one target of the schema, in
 * memory: the rows of setl_synthesizer_generate_invalid_stream(),
 * collected. A lazy validation of the rows reports, for each row, exactly
 * the failure its target names.
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
  g_autoptr(SetlBatchStream) stream = NULL;
  g_autoptr(GPtrArray) batches = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) fields = NULL;
  g_autoptr(SetlTable) rows = NULL;
  gulong handler;

  g_return_val_if_fail (SETL_IS_SYNTHESIZER (self), NULL);
  g_return_val_if_fail (n_rows >= 0, NULL);

  stream = make_stream (self, n_rows, TRUE, error);
  if (stream == NULL)
    return NULL;
  handler = g_signal_connect (self, "targets", G_CALLBACK (collect_targets), batches);
  rows = setl_batch_stream_collect (stream, cancellable, error);
  g_signal_handler_disconnect (self, handler);
  if (rows == NULL)
    return NULL;
  if (targets != NULL)
    {
      fields = target_fields ();
      *targets = setl_table_new ((SetlField **) fields->pdata, fields->len,
                                 (SetlRecordBatch **) batches->pdata, batches->len, error);
      if (*targets == NULL)
        return NULL;
    }
  return g_steal_pointer (&rows);
}
