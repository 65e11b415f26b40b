/* bench-plugin-startup-plugin.c: the plugin bench-plugin-startup makes 100
 * copies of.
 *
 * Compiled once to an object; each copy links it with a two-line file that
 * defines bench_plugin_name, so every copy is a distinct plugin with its own
 * plugin, feature and type names (two copies could be loaded in one process).
 * Each provides a source and a transform with a few properties, so that the
 * registry cache holds what a real plugin's entry holds.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <setl/setl-plugin.h>

extern const char bench_plugin_name[];

typedef struct { SetlFactory parent_instance; guint count; char *label; double ratio; } BenchFactory;
typedef struct { SetlFactoryClass parent_class; } BenchFactoryClass;

enum { PROP_0, PROP_COUNT, PROP_LABEL, PROP_RATIO, N_PROPS };

static gpointer source_parent_class;

static void
bench_get_property (GObject *object, guint id, GValue *value, GParamSpec *pspec)
{
  BenchFactory *self = (BenchFactory *) object;

  switch (id)
    {
    case PROP_COUNT: g_value_set_uint (value, self->count); break;
    case PROP_LABEL: g_value_set_string (value, self->label); break;
    case PROP_RATIO: g_value_set_double (value, self->ratio); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, id, pspec);
    }
}

static void
bench_set_property (GObject *object, guint id, const GValue *value, GParamSpec *pspec)
{
  BenchFactory *self = (BenchFactory *) object;

  switch (id)
    {
    case PROP_COUNT: self->count = g_value_get_uint (value); break;
    case PROP_LABEL: g_free (self->label); self->label = g_value_dup_string (value); break;
    case PROP_RATIO: self->ratio = g_value_get_double (value); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, id, pspec);
    }
}

static void
bench_finalize (GObject *object)
{
  g_free (((BenchFactory *) object)->label);
  G_OBJECT_CLASS (source_parent_class)->finalize (object);
}

static gboolean
bench_get (SetlFactory *factory, GValue *output, GError **error)
{
  g_value_set_int64 (output, ((BenchFactory *) factory)->count);
  return TRUE;
}

static void
bench_class_init (gpointer klass, gpointer data)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  SetlFactoryClass *factory_class = SETL_FACTORY_CLASS (klass);
  GParamSpec *props[N_PROPS] = { NULL, };

  source_parent_class = g_type_class_peek_parent (klass);
  object_class->get_property = bench_get_property;
  object_class->set_property = bench_set_property;
  object_class->finalize = bench_finalize;
  factory_class->get = bench_get;
  setl_factory_class_set_output_type (factory_class, G_TYPE_INT64);

  props[PROP_COUNT] = g_param_spec_uint ("count", "Count", "How many rows to make",
                                         0, 1000000, 10,
                                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS);
  props[PROP_LABEL] = g_param_spec_string ("label", "Label", "A label for the rows", "bench",
                                           G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS);
  props[PROP_RATIO] = g_param_spec_double ("ratio", "Ratio", "A ratio applied to every row",
                                           0.0, 1.0, 0.5,
                                           G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, props);
}

static void
bench_transform_init (GTypeInstance *instance, gpointer klass)
{
  setl_factory_add_input (SETL_FACTORY (instance), "rows", G_TYPE_INT64, SETL_TYPE_EXTERNAL, NULL);
}

static GType
register_type (const char *kind, GInstanceInitFunc instance_init)
{
  g_autofree char *type_name = NULL;

  /* "BenchSource_bench_042": a type name per copy. */
  type_name = g_strdup_printf ("Bench%s_%s", kind, bench_plugin_name);
  g_strdelimit (type_name, "-", '_');
  return g_type_register_static_simple (SETL_TYPE_FACTORY, type_name,
                                        sizeof (BenchFactoryClass), bench_class_init,
                                        sizeof (BenchFactory), instance_init, 0);
}

static gboolean
bench_plugin_init (SetlPlugin *plugin, GError **error)
{
  g_autofree char *source = g_strdup_printf ("%s-source", bench_plugin_name);
  g_autofree char *transform = g_strdup_printf ("%s-transform", bench_plugin_name);

  return setl_plugin_add_feature (plugin, source, SETL_FEATURE_KIND_SOURCE,
                                  register_type ("Source", NULL), SETL_RANK_PRIMARY, NULL,
                                  "Makes rows for the start-up benchmark", error) &&
         setl_plugin_add_feature (plugin, transform, SETL_FEATURE_KIND_TRANSFORM,
                                  register_type ("Transform", bench_transform_init),
                                  SETL_RANK_SECONDARY, NULL,
                                  "Passes rows on, for the start-up benchmark", error);
}

SETL_PLUGIN_DEFINE (bench_plugin_name, "1.0.0", "A generated plugin for bench-plugin-startup",
                    "LGPL-2.1-or-later", "https://example.org/bench", bench_plugin_init)
