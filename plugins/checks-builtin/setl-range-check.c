/* setl-range-check.c: in_range.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* Pandera's `in_range(min_value, max_value, include_min=True,
 * include_max=True)`: both bounds are required, and an empty interval
 * (max below min, or equal bounds with one end excluded) is refused when
 * the check is prepared, that is when the schema loads. */
#include "setl-range-check.h"
#include "setl-builtin-value.h"

#include <math.h>

struct _SetlBuiltinRangeCheck
{
  SetlCheck parent_instance;
  JsonNode *min_value;
  JsonNode *max_value;
  gboolean include_min;
  gboolean include_max;
};

G_DEFINE_FINAL_TYPE (SetlBuiltinRangeCheck, setl_builtin_range_check, SETL_TYPE_CHECK)

enum { PROP_0, PROP_MIN_VALUE, PROP_MAX_VALUE, PROP_INCLUDE_MIN, PROP_INCLUDE_MAX, N_PROPS };
static GParamSpec *properties[N_PROPS];

static void
range_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  SetlBuiltinRangeCheck *self = SETL_BUILTIN_RANGE_CHECK (object);

  switch (prop_id)
    {
    case PROP_MIN_VALUE: g_value_set_boxed (value, self->min_value); break;
    case PROP_MAX_VALUE: g_value_set_boxed (value, self->max_value); break;
    case PROP_INCLUDE_MIN: g_value_set_boolean (value, self->include_min); break;
    case PROP_INCLUDE_MAX: g_value_set_boolean (value, self->include_max); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
set_node (JsonNode **slot, const GValue *value)
{
  g_clear_pointer (slot, json_node_unref);
  *slot = g_value_get_boxed (value) ? json_node_copy (g_value_get_boxed (value)) : NULL;
}

static void
range_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  SetlBuiltinRangeCheck *self = SETL_BUILTIN_RANGE_CHECK (object);

  switch (prop_id)
    {
    case PROP_MIN_VALUE: set_node (&self->min_value, value); break;
    case PROP_MAX_VALUE: set_node (&self->max_value, value); break;
    case PROP_INCLUDE_MIN: self->include_min = g_value_get_boolean (value); break;
    case PROP_INCLUDE_MAX: self->include_max = g_value_get_boolean (value); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
range_finalize (GObject *object)
{
  SetlBuiltinRangeCheck *self = SETL_BUILTIN_RANGE_CHECK (object);

  g_clear_pointer (&self->min_value, json_node_unref);
  g_clear_pointer (&self->max_value, json_node_unref);
  G_OBJECT_CLASS (setl_builtin_range_check_parent_class)->finalize (object);
}

static gboolean
range_prepare (SetlCheck *check, GError **error)
{
  SetlBuiltinRangeCheck *self = SETL_BUILTIN_RANGE_CHECK (check);
  g_autofree char *min = NULL, *max = NULL;
  int c;

  if (self->min_value == NULL || !JSON_NODE_HOLDS_VALUE (self->min_value))
    {
      setl_check_set_parameter_error (check, error, "min_value", "a lower bound is required");
      return FALSE;
    }
  if (self->max_value == NULL || !JSON_NODE_HOLDS_VALUE (self->max_value))
    {
      setl_check_set_parameter_error (check, error, "max_value", "an upper bound is required");
      return FALSE;
    }
  min = builtin_json_to_string (self->min_value);
  max = builtin_json_to_string (self->max_value);
  if (!builtin_json_compare (self->min_value, self->max_value, &c))
    {
      setl_check_set_parameter_error (check, error, "max_value",
                                      "%s and %s cannot be compared (give two numbers or two strings)",
                                      min, max);
      return FALSE;
    }
  if (c > 0)
    {
      setl_check_set_parameter_error (check, error, "max_value",
                                      "the interval is empty: max_value %s is below min_value %s", max, min);
      return FALSE;
    }
  if (c == 0 && (!self->include_min || !self->include_max))
    {
      setl_check_set_parameter_error (check, error, self->include_min ? "include_max" : "include_min",
                                      "the interval is empty: min_value and max_value are both %s "
                                      "and an end is excluded", min);
      return FALSE;
    }
  return TRUE;
}

static SetlColumn *
range_check_column (SetlCheck *check, SetlColumn *column, GError **error)
{
  SetlBuiltinRangeCheck *self = SETL_BUILTIN_RANGE_CHECK (check);
  g_autoptr(BuiltinBools) builder = NULL;
  g_autoptr(GError) local = NULL;
  BuiltinValue min, max;
  BuiltinColumn data;
  SetlDataType type = setl_column_get_data_type (column);

  if (!builtin_value_from_json (self->min_value, type, &min, &local))
    {
      setl_check_set_parameter_error (check, error, "min_value", "%s", local->message);
      return NULL;
    }
  if (!builtin_value_from_json (self->max_value, type, &max, &local))
    {
      builtin_value_clear (&min);
      setl_check_set_parameter_error (check, error, "max_value", "%s", local->message);
      return NULL;
    }
  builtin_column_init (&data, column);
  builder = builtin_bools_new (data.length);
  if ((data.type == SETL_DATA_TYPE_INT64 && !min.as_double && !max.as_double) ||
      data.type == SETL_DATA_TYPE_TIMESTAMP)
    {
      /* The common cases without a call per row: one loop of comparisons
       * the compiler vectorizes. Nulls are the base class's business. */
      const gint64 *v = (const gint64 *) data.values + data.offset;
      gint64 lo = min.i, hi = max.i;

      /* Excluded ends as included ones: v > lo is v >= lo + 1. An end that
       * leaves no integer (lo = INT64_MAX excluded) makes the loop fail
       * every row: lo > hi. */
      if (!self->include_min)
        {
          if (lo == G_MAXINT64)
            hi = G_MININT64, lo = G_MAXINT64;
          else
            lo++;
        }
      if (!self->include_max)
        {
          if (hi == G_MININT64)
            lo = G_MAXINT64, hi = G_MININT64;
          else
            hi--;
        }
      for (gint64 i = 0; i < data.length; i++)
        builder->bytes[i] = (guint8) ((v[i] >= lo) & (v[i] <= hi));
      builder->n = data.length;
    }
  else if (data.type == SETL_DATA_TYPE_DOUBLE)
    {
      /* A NaN compares false both ways: it fails, as builtin_compare_row says. */
      const double *v = (const double *) data.values + data.offset;
      double lo = min.d, hi = max.d;
      gboolean in_min = self->include_min, in_max = self->include_max;

      for (gint64 i = 0; i < data.length; i++)
        builder->bytes[i] = (guint8) (((in_min ? v[i] >= lo : v[i] > lo) & (in_max ? v[i] <= hi : v[i] < hi)));
      builder->n = data.length;
    }
  else
    for (gint64 i = 0; i < data.length; i++)
      {
        int lo = builtin_compare_row (&data, i, &min);
        int hi = builtin_compare_row (&data, i, &max);
        gboolean pass = (lo == 1 || (lo == 0 && self->include_min)) &&
                        (hi == -1 || (hi == 0 && self->include_max));

        builtin_bools_append (builder, pass);
      }
  builtin_value_clear (&min);
  builtin_value_clear (&max);
  return builtin_bools_finish (builder, error);
}

static gboolean
range_synthesize (SetlCheck *check, SetlDataType type, GRand *rand, GValue *value, GError **error)
{
  SetlBuiltinRangeCheck *self = SETL_BUILTIN_RANGE_CHECK (check);
  g_auto(GValue) lo = G_VALUE_INIT;
  g_auto(GValue) hi = G_VALUE_INIT;

  if (type == SETL_DATA_TYPE_STRING)
    {
      /* The lower bound itself when it is allowed, else the upper one. */
      if (!setl_validation_value_from_json (self->include_min ? self->min_value : self->max_value,
                                            type, value, error))
        return FALSE;
      if (!self->include_min && !self->include_max)
        {
          g_value_unset (value);
          g_set_error (error, SETL_CHECK_ERROR, SETL_CHECK_ERROR_NOT_SUPPORTED,
                       "in_range cannot make a string strictly between two strings");
          return FALSE;
        }
      return TRUE;
    }
  if (!setl_validation_value_from_json (self->min_value, type == SETL_DATA_TYPE_INT64 ? SETL_DATA_TYPE_DOUBLE : type, &lo, error) ||
      !setl_validation_value_from_json (self->max_value, type == SETL_DATA_TYPE_INT64 ? SETL_DATA_TYPE_DOUBLE : type, &hi, error))
    return FALSE;
  switch (type)
    {
    case SETL_DATA_TYPE_DOUBLE:
      {
        double a = g_value_get_double (&lo), b = g_value_get_double (&hi);
        double v = a + (b - a) * g_rand_double_range (rand, 0.01, 0.99);

        if (a == b)
          v = a;
        g_value_init (value, G_TYPE_DOUBLE);
        g_value_set_double (value, v);
        return TRUE;
      }
    case SETL_DATA_TYPE_INT64:
      {
        double a = g_value_get_double (&lo), b = g_value_get_double (&hi);
        gint64 first = (gint64) ceil (a), last = (gint64) floor (b);

        if (!self->include_min && (double) first == a)
          first++;
        if (!self->include_max && (double) last == b)
          last--;
        if (first > last)
          {
            g_set_error (error, SETL_CHECK_ERROR, SETL_CHECK_ERROR_NOT_SUPPORTED,
                         "no integer lies in the interval");
            return FALSE;
          }
        g_value_init (value, G_TYPE_INT64);
        g_value_set_int64 (value, first + (gint64) (g_rand_double (rand) * (double) (last - first + 1)));
        if (g_value_get_int64 (value) > last)
          g_value_set_int64 (value, last);
        return TRUE;
      }
    case SETL_DATA_TYPE_DATE32:
    case SETL_DATA_TYPE_TIMESTAMP:
      {
        gint64 a = type == SETL_DATA_TYPE_DATE32 ? g_value_get_int (&lo) : g_value_get_int64 (&lo);
        gint64 b = type == SETL_DATA_TYPE_DATE32 ? g_value_get_int (&hi) : g_value_get_int64 (&hi);
        gint64 first = a + (self->include_min ? 0 : 1), last = b - (self->include_max ? 0 : 1);
        gint64 v;

        if (first > last)
          {
            g_set_error (error, SETL_CHECK_ERROR, SETL_CHECK_ERROR_NOT_SUPPORTED, "the interval holds no value");
            return FALSE;
          }
        v = first + (gint64) (g_rand_double (rand) * (double) (last - first));
        g_value_init (value, type == SETL_DATA_TYPE_DATE32 ? G_TYPE_INT : G_TYPE_INT64);
        if (type == SETL_DATA_TYPE_DATE32)
          g_value_set_int (value, (gint) v);
        else
          g_value_set_int64 (value, v);
        return TRUE;
      }
    default:
      return FALSE;
    }
}

static void
setl_builtin_range_check_class_init (SetlBuiltinRangeCheckClass *klass)
{
  static const SetlDataType types[] = { BUILTIN_COMPARABLE_TYPES };
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  SetlCheckClass *check_class = SETL_CHECK_CLASS (klass);

  object_class->get_property = range_get_property;
  object_class->set_property = range_set_property;
  object_class->finalize = range_finalize;
  check_class->prepare = range_prepare;
  check_class->check_column = range_check_column;
  check_class->synthesize = range_synthesize;
  setl_check_class_set_check_name (check_class, "in_range");
  builtin_class_add_types (check_class, types, G_N_ELEMENTS (types));

  properties[PROP_MIN_VALUE] =
    g_param_spec_boxed ("min-value", "min_value", "Lower bound of the interval", JSON_TYPE_NODE,
                        G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  properties[PROP_MAX_VALUE] =
    g_param_spec_boxed ("max-value", "max_value", "Upper bound of the interval", JSON_TYPE_NODE,
                        G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  properties[PROP_INCLUDE_MIN] =
    g_param_spec_boolean ("include-min", "include_min", "Whether the lower bound is allowed", TRUE,
                          G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS);
  properties[PROP_INCLUDE_MAX] =
    g_param_spec_boolean ("include-max", "include_max", "Whether the upper bound is allowed", TRUE,
                          G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
setl_builtin_range_check_init (SetlBuiltinRangeCheck *self)
{
  self->include_min = TRUE;
  self->include_max = TRUE;
}
