/* example-counter-source.c: "example-counter", a source.
 *
 * Outputs (a gint64) the sum of "count" numbers starting at "start". Its
 * configuration is its GObject properties: the registry records their type,
 * default, range and description, and `setl inspect` shows them.
 */
#include "example-counter-source.h"

struct _ExampleCounterSource
{
  SetlFactory parent_instance;

  gint64 start;
  guint count;
  gint64 sum;
};

G_DEFINE_FINAL_TYPE (ExampleCounterSource, example_counter_source, SETL_TYPE_FACTORY)

enum { PROP_0, PROP_START, PROP_COUNT, N_PROPS };
static GParamSpec *properties[N_PROPS];

static void
example_counter_source_get_property (GObject *object, guint prop_id,
                                     GValue *value, GParamSpec *pspec)
{
  ExampleCounterSource *self = EXAMPLE_COUNTER_SOURCE (object);

  switch (prop_id)
    {
    case PROP_START: g_value_set_int64 (value, self->start); break;
    case PROP_COUNT: g_value_set_uint (value, self->count); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
example_counter_source_set_property (GObject *object, guint prop_id,
                                     const GValue *value, GParamSpec *pspec)
{
  ExampleCounterSource *self = EXAMPLE_COUNTER_SOURCE (object);

  switch (prop_id)
    {
    case PROP_START: self->start = g_value_get_int64 (value); break;
    case PROP_COUNT: self->count = g_value_get_uint (value); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* A real source reads in read(); this one has nothing to read. */
static gboolean
example_counter_source_process (SetlFactory *factory, GCancellable *cancellable,
                                GError **error)
{
  ExampleCounterSource *self = EXAMPLE_COUNTER_SOURCE (factory);

  self->sum = 0;
  for (guint i = 0; i < self->count; i++)
    self->sum += self->start + i;
  return TRUE;
}

static gboolean
example_counter_source_get (SetlFactory *factory, GValue *output, GError **error)
{
  g_value_set_int64 (output, EXAMPLE_COUNTER_SOURCE (factory)->sum);
  return TRUE;
}

static void
example_counter_source_class_init (ExampleCounterSourceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  SetlFactoryClass *factory_class = SETL_FACTORY_CLASS (klass);

  object_class->get_property = example_counter_source_get_property;
  object_class->set_property = example_counter_source_set_property;
  factory_class->process = example_counter_source_process;
  factory_class->get = example_counter_source_get;
  setl_factory_class_set_output_type (factory_class, G_TYPE_INT64);

  properties[PROP_START] =
    g_param_spec_int64 ("start", "Start", "The first number",
                        -1000000, 1000000, 1,
                        G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS);
  properties[PROP_COUNT] =
    g_param_spec_uint ("count", "Count", "How many numbers to add up",
                       0, 1000, 5,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
example_counter_source_init (ExampleCounterSource *self)
{
}
