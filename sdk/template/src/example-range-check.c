/* example-range-check.c: "example-range-check", a check.
 *
 * libsetl's check-library interface is not defined yet, so this check is a
 * transform: it takes a gint64 input "value", fails the pipeline with an
 * error naming the value and the bound when it lies outside
 * [minimum, maximum], and passes the value on otherwise.
 */
#include "example-range-check.h"

struct _ExampleRangeCheck
{
  SetlFactory parent_instance;

  gint64 minimum;
  gint64 maximum;
  gint64 value;
};

G_DEFINE_FINAL_TYPE (ExampleRangeCheck, example_range_check, SETL_TYPE_FACTORY)

enum { PROP_0, PROP_MINIMUM, PROP_MAXIMUM, N_PROPS };
static GParamSpec *properties[N_PROPS];

static void
example_range_check_get_property (GObject *object, guint prop_id,
                                  GValue *value, GParamSpec *pspec)
{
  ExampleRangeCheck *self = EXAMPLE_RANGE_CHECK (object);

  switch (prop_id)
    {
    case PROP_MINIMUM: g_value_set_int64 (value, self->minimum); break;
    case PROP_MAXIMUM: g_value_set_int64 (value, self->maximum); break;
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
    case PROP_MINIMUM: self->minimum = g_value_get_int64 (value); break;
    case PROP_MAXIMUM: self->maximum = g_value_get_int64 (value); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static gboolean
example_range_check_process (SetlFactory *factory, GCancellable *cancellable,
                             GError **error)
{
  ExampleRangeCheck *self = EXAMPLE_RANGE_CHECK (factory);

  self->value = g_value_get_int64 (setl_factory_get_input (factory, "value"));
  if (self->value < self->minimum || self->value > self->maximum)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "example-range-check “%s”: value %" G_GINT64_FORMAT
                   " is outside [%" G_GINT64_FORMAT ", %" G_GINT64_FORMAT "]",
                   setl_factory_get_name (factory) ? setl_factory_get_name (factory) : "",
                   self->value, self->minimum, self->maximum);
      return FALSE;
    }
  return TRUE;
}

static gboolean
example_range_check_get (SetlFactory *factory, GValue *output, GError **error)
{
  g_value_set_int64 (output, EXAMPLE_RANGE_CHECK (factory)->value);
  return TRUE;
}

static void
example_range_check_class_init (ExampleRangeCheckClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  SetlFactoryClass *factory_class = SETL_FACTORY_CLASS (klass);

  object_class->get_property = example_range_check_get_property;
  object_class->set_property = example_range_check_set_property;
  factory_class->process = example_range_check_process;
  factory_class->get = example_range_check_get;
  setl_factory_class_set_output_type (factory_class, G_TYPE_INT64);

  properties[PROP_MINIMUM] =
    g_param_spec_int64 ("minimum", "Minimum", "The smallest value accepted (inclusive)",
                        G_MININT64, G_MAXINT64, 0,
                        G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS);
  properties[PROP_MAXIMUM] =
    g_param_spec_int64 ("maximum", "Maximum", "The largest value accepted (inclusive)",
                        G_MININT64, G_MAXINT64, G_MAXINT64,
                        G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
example_range_check_init (ExampleRangeCheck *self)
{
  setl_factory_add_input (SETL_FACTORY (self), "value", G_TYPE_INT64,
                          SETL_TYPE_EXTERNAL, NULL);
}
