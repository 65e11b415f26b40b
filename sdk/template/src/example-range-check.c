/* example-range-check.c: "example-range-check", a check library feature.
 *
 * The check "example_in_range" passes the int64 and double values that lie
 * in [minimum, maximum]. It is a SetlCheck subclass:
 *
 * - its parameters are GObject properties (the registry records them,
 *   `setl inspect` shows them, schemas set them);
 * - prepare() refuses an empty interval, with an error that names the
 *   check and the parameter;
 * - check_column() is vectorized: it reads the column's values buffer
 *   directly. Nulls need no care: the base class makes them pass. (An
 *   element-wise check implements check_value() instead, one GValue at a
 *   time, and the base class loops.)
 * - synthesize() makes values that pass, for synthetic test data.
 */
#include "example-range-check.h"

struct _ExampleRangeCheck
{
  SetlCheck parent_instance;

  double minimum;
  double maximum;
};

G_DEFINE_FINAL_TYPE (ExampleRangeCheck, example_range_check, SETL_TYPE_CHECK)

enum { PROP_0, PROP_MINIMUM, PROP_MAXIMUM, N_PROPS };
static GParamSpec *properties[N_PROPS];

static void
example_range_check_get_property (GObject *object, guint prop_id,
                                  GValue *value, GParamSpec *pspec)
{
  ExampleRangeCheck *self = EXAMPLE_RANGE_CHECK (object);

  switch (prop_id)
    {
    case PROP_MINIMUM: g_value_set_double (value, self->minimum); break;
    case PROP_MAXIMUM: g_value_set_double (value, self->maximum); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
example_range_check_set_property (GObject *object, guint prop_id,
                                  const GValue *value, GParamSpec *pspec)
{
  ExampleRangeCheck *self = EXAMPLE_RANGE_CHECK (object);

  switch (prop_id)
    {
    case PROP_MINIMUM: self->minimum = g_value_get_double (value); break;
    case PROP_MAXIMUM: self->maximum = g_value_get_double (value); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* Runs before the check does, and again after a property changes. */
static gboolean
example_range_check_prepare (SetlCheck *check, GError **error)
{
  ExampleRangeCheck *self = EXAMPLE_RANGE_CHECK (check);

  if (self->minimum > self->maximum)
    {
      setl_check_set_parameter_error (check, error, "maximum",
                                      "%g is below the minimum %g: no value can pass",
                                      self->maximum, self->minimum);
      return FALSE;
    }
  return TRUE;
}

static SetlColumn *
example_range_check_check_column (SetlCheck *check, SetlColumn *column, GError **error)
{
  ExampleRangeCheck *self = EXAMPLE_RANGE_CHECK (check);
  gint64 n = setl_column_get_length (column);
  gint64 offset = setl_column_get_offset (column);
  g_autoptr(SetlColumnBuilder) result = setl_column_builder_new (SETL_DATA_TYPE_BOOL);

  setl_column_builder_reserve (result, n, 0);
  if (setl_column_get_data_type (column) == SETL_DATA_TYPE_INT64)
    {
      const gint64 *values = (const gint64 *) setl_column_get_values_data (column) + offset;

      for (gint64 i = 0; i < n; i++)
        setl_column_builder_append_bool (result, values[i] >= self->minimum &&
                                                 values[i] <= self->maximum);
    }
  else   /* double: the only other type the class declares */
    {
      const double *values = (const double *) setl_column_get_values_data (column) + offset;

      for (gint64 i = 0; i < n; i++)
        setl_column_builder_append_bool (result, values[i] >= self->minimum &&
                                                 values[i] <= self->maximum);
    }
  return setl_column_builder_finish (result, error);
}

static gboolean
example_range_check_synthesize (SetlCheck *check, SetlDataType type, GRand *rand,
                                GValue *value, GError **error)
{
  ExampleRangeCheck *self = EXAMPLE_RANGE_CHECK (check);
  double v = g_rand_double_range (rand, self->minimum, self->maximum);

  /* A range wider than doubles can span draws infinities or NaN. */
  if (!(v >= self->minimum && v <= self->maximum))
    v = self->minimum;

  if (type == SETL_DATA_TYPE_DOUBLE)
    {
      g_value_init (value, G_TYPE_DOUBLE);
      g_value_set_double (value, v);
      return TRUE;
    }

  /* int64: an integer inside the range, if there is one. Bounds are
   * brought within what a gint64 holds before any conversion. */
  {
    const double limit = 9.2e18;
    double lo = MAX (self->minimum, -limit), hi = MIN (self->maximum, limit);
    gint64 first, last;

    if (lo > hi)
      {
        first = 1;
        last = 0;
      }
    else
      {
        first = (gint64) lo;            /* truncated: rounded up below */
        if ((double) first < lo)
          first++;
        last = (gint64) hi;
        if ((double) last > hi)
          last--;
      }
    if (first > last)
      {
        g_set_error (error, SETL_CHECK_ERROR, SETL_CHECK_ERROR_FAILED,
                     "Check “example_in_range”: no integer in [%g, %g]",
                     self->minimum, self->maximum);
        return FALSE;
      }
    g_value_init (value, G_TYPE_INT64);
    g_value_set_int64 (value, CLAMP ((gint64) CLAMP (v, lo, hi), first, last));
    return TRUE;
  }
}

static void
example_range_check_class_init (ExampleRangeCheckClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  SetlCheckClass *check_class = SETL_CHECK_CLASS (klass);

  object_class->get_property = example_range_check_get_property;
  object_class->set_property = example_range_check_set_property;
  check_class->prepare = example_range_check_prepare;
  check_class->check_column = example_range_check_check_column;
  check_class->synthesize = example_range_check_synthesize;

  /* What schemas call it, and the column types it runs on. */
  setl_check_class_set_check_name (check_class, "example_in_range");
  setl_check_class_add_supported_type (check_class, SETL_DATA_TYPE_INT64);
  setl_check_class_add_supported_type (check_class, SETL_DATA_TYPE_DOUBLE);

  properties[PROP_MINIMUM] =
    g_param_spec_double ("minimum", "Minimum", "The smallest value accepted (inclusive)",
                         -G_MAXDOUBLE, G_MAXDOUBLE, 0.0,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS);
  properties[PROP_MAXIMUM] =
    g_param_spec_double ("maximum", "Maximum", "The largest value accepted (inclusive)",
                         -G_MAXDOUBLE, G_MAXDOUBLE, 100.0,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
example_range_check_init (ExampleRangeCheck *self)
{
}
