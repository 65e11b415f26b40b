/* setl-stat-checks.c: mean_in_range, stddev_in_range,
 * null_fraction_in_range, distinct_count_in_range.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* Aggregate checks over a whole column, as Great Expectations'
 * expect_column_mean/stdev/…_to_be_between: the statistic of all the
 * batches must lie within [min_value, max_value], both inclusive and
 * either optional (at least one is required). The mean and the standard
 * deviation (the sample one, n - 1, as pandas) are of the non-null values
 * of a numeric column and pass when there is none; the null fraction counts
 * nulls among all rows; the distinct count counts distinct non-null
 * values (keeping them, so its memory grows with them). */
#include "setl-stat-checks.h"
#include "setl-builtin-value.h"

#include <math.h>

typedef enum { STAT_MEAN, STAT_STDDEV, STAT_NULL_FRACTION, STAT_DISTINCT } StatKind;

typedef struct {
  SetlAggregateCheck parent_instance;
  double min_value;
  double max_value;
} SetlBuiltinStatCheck;

typedef struct {
  SetlAggregateCheckClass parent_class;
  StatKind kind;
  const char *label;
} SetlBuiltinStatCheckClass;

static GType setl_builtin_stat_check_get_type (void) G_GNUC_CONST;
G_DEFINE_ABSTRACT_TYPE (SetlBuiltinStatCheck, setl_builtin_stat_check, SETL_TYPE_AGGREGATE_CHECK)

#define STAT(o) ((SetlBuiltinStatCheck *) (o))
#define STAT_GET_CLASS(o) ((SetlBuiltinStatCheckClass *) G_OBJECT_GET_CLASS (o))

enum { PROP_0, PROP_MIN_VALUE, PROP_MAX_VALUE };

typedef struct {
  gint64 n;            /* values (non-null) */
  gint64 rows;
  double mean, m2;     /* Welford */
  GHashTable *distinct;
} StatState;

static void
stat_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_MIN_VALUE: g_value_set_double (value, STAT (object)->min_value); break;
    case PROP_MAX_VALUE: g_value_set_double (value, STAT (object)->max_value); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
stat_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_MIN_VALUE: STAT (object)->min_value = g_value_get_double (value); break;
    case PROP_MAX_VALUE: STAT (object)->max_value = g_value_get_double (value); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static gboolean
stat_prepare (SetlCheck *check, GError **error)
{
  SetlBuiltinStatCheck *self = STAT (check);

  if (isnan (self->min_value) && isnan (self->max_value))
    {
      setl_check_set_parameter_error (check, error, "min_value", "at least a minimum or a maximum is required");
      return FALSE;
    }
  if (!isnan (self->min_value) && !isnan (self->max_value) && self->min_value > self->max_value)
    {
      setl_check_set_parameter_error (check, error, "max_value", "the interval is empty: max_value %g is below min_value %g",
                                      self->max_value, self->min_value);
      return FALSE;
    }
  return TRUE;
}

static gpointer
stat_begin (SetlAggregateCheck *check)
{
  StatState *state = g_new0 (StatState, 1);

  if (STAT_GET_CLASS (check)->kind == STAT_DISTINCT)
    state->distinct = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  return state;
}

static void
stat_update (SetlAggregateCheck *check, gpointer data, SetlRecordBatch *batch, SetlColumn *column)
{
  StatState *state = data;
  StatKind kind = STAT_GET_CLASS (check)->kind;
  gint64 length = setl_column_get_length (column);
  BuiltinColumn c;

  builtin_column_init (&c, column);
  state->rows += length;
  for (gint64 i = 0; i < length; i++)
    {
      double x;

      if (setl_column_is_null (column, i))
        continue;
      if (kind == STAT_DISTINCT)
        {
          g_hash_table_add (state->distinct, builtin_key_row (&c, i));
          continue;
        }
      state->n++;
      if (kind == STAT_NULL_FRACTION)
        continue;
      x = c.type == SETL_DATA_TYPE_INT64 ? (double) ((const gint64 *) c.values)[c.offset + i]
                                         : ((const double *) c.values)[c.offset + i];
      {
        double delta = x - state->mean;

        state->mean += delta / (double) state->n;
        state->m2 += delta * (x - state->mean);
      }
    }
}

static gboolean
stat_finish (SetlAggregateCheck *check, gpointer data, gboolean *passed, char **observed, GError **error)
{
  SetlBuiltinStatCheck *self = STAT (check);
  SetlBuiltinStatCheckClass *klass = STAT_GET_CLASS (check);
  StatState *state = data;
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];
  double value = NAN;

  switch (klass->kind)
    {
    case STAT_MEAN: value = state->n > 0 ? state->mean : NAN; break;
    case STAT_STDDEV: value = state->n > 1 ? sqrt (state->m2 / (double) (state->n - 1)) : NAN; break;
    case STAT_NULL_FRACTION: value = state->rows > 0 ? (double) (state->rows - state->n) / (double) state->rows : NAN; break;
    case STAT_DISTINCT: value = (double) g_hash_table_size (state->distinct); break;
    default: break;
    }
  if (isnan (value))
    {
      *passed = TRUE;   /* nothing to measure */
      *observed = g_strdup_printf ("%s=none", klass->label);
    }
  else
    {
      *passed = (isnan (self->min_value) || value >= self->min_value) &&
                (isnan (self->max_value) || value <= self->max_value);
      g_ascii_formatd (buffer, sizeof buffer, "%.10g", value);
      *observed = g_strdup_printf ("%s=%s", klass->label, buffer);
    }
  g_clear_pointer (&state->distinct, g_hash_table_unref);
  g_free (state);
  return TRUE;
}

static void
setl_builtin_stat_check_class_init (SetlBuiltinStatCheckClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  SetlAggregateCheckClass *aggregate_class = SETL_AGGREGATE_CHECK_CLASS (klass);

  object_class->get_property = stat_get_property;
  object_class->set_property = stat_set_property;
  SETL_CHECK_CLASS (klass)->prepare = stat_prepare;
  aggregate_class->begin = stat_begin;
  aggregate_class->update = stat_update;
  aggregate_class->finish = stat_finish;
}

static void
setl_builtin_stat_check_init (SetlBuiltinStatCheck *self)
{
  self->min_value = NAN;
  self->max_value = NAN;
}

static void
stat_subclass_init (SetlBuiltinStatCheckClass *klass, const char *name, StatKind kind, const char *label)
{
  static const SetlDataType numeric[] = { SETL_DATA_TYPE_INT64, SETL_DATA_TYPE_DOUBLE };
  static const SetlDataType all[] = { BUILTIN_COMPARABLE_TYPES, SETL_DATA_TYPE_BOOL };
  SetlCheckClass *check_class = SETL_CHECK_CLASS (klass);
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  /* GObject does not pass get/set_property on to subclasses. */
  object_class->get_property = stat_get_property;
  object_class->set_property = stat_set_property;
  klass->kind = kind;
  klass->label = label;
  setl_check_class_set_check_name (check_class, name);
  if (kind == STAT_MEAN || kind == STAT_STDDEV)
    builtin_class_add_types (check_class, numeric, G_N_ELEMENTS (numeric));
  else
    builtin_class_add_types (check_class, all, G_N_ELEMENTS (all));
  /* NaN, the default, means "no bound". */
  g_object_class_install_property (object_class, PROP_MIN_VALUE,
    g_param_spec_double ("min-value", "min_value", "Lowest value allowed, inclusive (NaN: none)",
                         -G_MAXDOUBLE, G_MAXDOUBLE, 0.0, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS));
  g_object_class_install_property (object_class, PROP_MAX_VALUE,
    g_param_spec_double ("max-value", "max_value", "Highest value allowed, inclusive (NaN: none)",
                         -G_MAXDOUBLE, G_MAXDOUBLE, 0.0, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS));
}

#define DEFINE_STAT(Name, name, NAME_STR, KIND, LABEL)                                     \
  typedef SetlBuiltinStatCheck Name;                                                        \
  typedef SetlBuiltinStatCheckClass Name##Class;                                            \
  G_DEFINE_FINAL_TYPE (Name, name, setl_builtin_stat_check_get_type ())                     \
  static void name##_class_init (Name##Class *klass)                                        \
  { stat_subclass_init (klass, NAME_STR, KIND, LABEL); }                                     \
  static void name##_init (Name *self) { }

DEFINE_STAT (SetlBuiltinMeanCheck, setl_builtin_mean_check, "mean_in_range", STAT_MEAN, "mean")
DEFINE_STAT (SetlBuiltinStddevCheck, setl_builtin_stddev_check, "stddev_in_range", STAT_STDDEV, "stddev")
DEFINE_STAT (SetlBuiltinNullFractionCheck, setl_builtin_null_fraction_check, "null_fraction_in_range",
             STAT_NULL_FRACTION, "null_fraction")
DEFINE_STAT (SetlBuiltinDistinctCountCheck, setl_builtin_distinct_count_check, "distinct_count_in_range",
             STAT_DISTINCT, "distinct_count")
