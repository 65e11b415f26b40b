/* bench-cache.c: a pipeline run cold, then again unchanged, with a cache.
 *
 *   bench-cache [--rows N] [--repeat R] [--csv FILE]
 *
 * 1. The README's example pipeline (greeter → shouter), in this process,
 *    with the memory cache policy: the cold run computes and stores, the
 *    warm runs (R of them, median printed) reuse both results.
 * 2. With --csv FILE (a CSV written by bench-csv-filter-gen), the pipeline
 *    csv-source → filter `age >= 18` → csv-sink over it, in this process,
 *    with the memory cache: cold, then warm. The plugins come from the
 *    registry (SETL_PLUGIN_PATH). Cross-process warm runs, with the disk
 *    cache, are measured by bench-cache.sh.
 *
 * Prints one line per measurement: what, cold, warm, warm/cold, and the
 * statuses of the warm run's factories.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <setl/setl-plugin.h>
#include <glib/gstdio.h>
#include <stdio.h>

/* The README's two factories (examples/readme/readme-example.c). */
#define MY_TYPE_GREETER (my_greeter_get_type ())
G_DECLARE_FINAL_TYPE (MyGreeter, my_greeter, MY, GREETER, SetlFactory)
struct _MyGreeter { SetlFactory parent_instance; };
G_DEFINE_FINAL_TYPE (MyGreeter, my_greeter, SETL_TYPE_FACTORY)

static gboolean
my_greeter_get (SetlFactory *factory, GValue *output, GError **error)
{
  g_value_set_string (output, "hello, pipeline");
  return TRUE;
}

static void
my_greeter_class_init (MyGreeterClass *klass)
{
  SETL_FACTORY_CLASS (klass)->get = my_greeter_get;
  setl_factory_class_set_output_type (SETL_FACTORY_CLASS (klass), G_TYPE_STRING);
}

static void my_greeter_init (MyGreeter *self) {}

#define MY_TYPE_SHOUTER (my_shouter_get_type ())
G_DECLARE_FINAL_TYPE (MyShouter, my_shouter, MY, SHOUTER, SetlFactory)
struct _MyShouter { SetlFactory parent_instance; char *shout; };
G_DEFINE_FINAL_TYPE (MyShouter, my_shouter, SETL_TYPE_FACTORY)

static gboolean
my_shouter_process (SetlFactory *factory, GCancellable *cancellable, GError **error)
{
  const char *text = g_value_get_string (setl_factory_get_input (factory, "text"));

  g_free (MY_SHOUTER (factory)->shout);
  MY_SHOUTER (factory)->shout = g_utf8_strup (text, -1);
  return TRUE;
}

static gboolean
my_shouter_get (SetlFactory *factory, GValue *output, GError **error)
{
  g_value_set_string (output, MY_SHOUTER (factory)->shout);
  return TRUE;
}

static void
my_shouter_finalize (GObject *object)
{
  g_free (MY_SHOUTER (object)->shout);
  G_OBJECT_CLASS (my_shouter_parent_class)->finalize (object);
}

static void
my_shouter_class_init (MyShouterClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = my_shouter_finalize;
  SETL_FACTORY_CLASS (klass)->process = my_shouter_process;
  SETL_FACTORY_CLASS (klass)->get = my_shouter_get;
  setl_factory_class_set_output_type (SETL_FACTORY_CLASS (klass), G_TYPE_STRING);
}

static void
my_shouter_init (MyShouter *self)
{
  setl_factory_add_input (SETL_FACTORY (self), "text", G_TYPE_STRING, MY_TYPE_GREETER, NULL);
}

typedef SetlPipeline *(*BuildFunc) (gpointer data);

static SetlPipeline *
build_readme (gpointer data)
{
  SetlPipeline *p = setl_pipeline_new ("readme");
  g_autoptr(SetlFactory) greeter = g_object_new (MY_TYPE_GREETER, NULL);
  g_autoptr(SetlFactory) shouter = g_object_new (MY_TYPE_SHOUTER, NULL);

  setl_pipeline_add_factory (p, greeter);
  setl_pipeline_add_factory (p, shouter);
  return p;
}

static SetlFactory *
make (SetlPipeline *p,
      const char   *feature,
      const char   *name,
      const char   *input_from)
{
  g_autoptr(GError) error = NULL;
  SetlFactory *f = setl_plugin_registry_create_factory (setl_plugin_registry_get_default (),
                                                        feature, &error);

  if (f == NULL)
    g_error ("%s", error->message);
  setl_factory_set_name (f, name);
  setl_factory_set_delivery_id (f, name);
  if (input_from != NULL)
    setl_delivery_set_delivery_id (setl_factory_get_delivery (f, "in"), input_from);
  setl_pipeline_add_factory (p, f);
  g_object_unref (f);
  return f;
}

static SetlPipeline *
build_csv (gpointer data)
{
  const char *path = data;
  g_autofree char *out = g_strconcat (path, ".adults.csv", NULL);
  SetlPipeline *p = setl_pipeline_new ("adults");

  g_object_set (make (p, "csv-source", "people", NULL), "path", path, NULL);
  g_object_set (make (p, "filter", "adults", "people"), "where", "age >= 18", NULL);
  g_object_set (make (p, "csv-sink", "out", "adults"), "path", out, NULL);
  return p;
}

static gint64
run_once (BuildFunc        build,
          gpointer         data,
          SetlCachePolicy *policy,
          GString         *statuses)
{
  g_autoptr(SetlPipeline) p = build (data);
  g_autoptr(GError) error = NULL;
  gint64 start;

  setl_pipeline_set_cache_policy (p, policy);
  start = g_get_monotonic_time ();
  if (!setl_pipeline_run (p, NULL, &error))
    g_error ("%s", error->message);
  start = g_get_monotonic_time () - start;
  if (statuses != NULL)
    {
      GPtrArray *results = setl_run_report_get_results (setl_pipeline_get_report (p));

      g_string_truncate (statuses, 0);
      for (guint i = 0; i < results->len; i++)
        g_string_append_printf (statuses, "%s%s=%s", i ? " " : "",
                                setl_factory_result_get_factory_name (g_ptr_array_index (results, i)),
                                setl_factory_status_to_string (setl_factory_result_get_status (g_ptr_array_index (results, i))));
    }
  return start;
}

static int
compare_gint64 (gconstpointer a,
                gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;
  return x < y ? -1 : x > y;
}

static void
measure (const char *what,
         BuildFunc   build,
         gpointer    data,
         guint       repeat)
{
  SetlPluginFeature *feature =
    setl_plugin_registry_lookup_feature (setl_plugin_registry_get_default (), "memory");
  g_autoptr(GError) error = NULL;
  g_autoptr(GObject) policy = NULL;
  g_autoptr(GArray) warm = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GString) statuses = g_string_new (NULL);
  gint64 cold, uncached, median;

  if (feature == NULL || (policy = setl_plugin_feature_create (feature, &error)) == NULL)
    g_error ("the memory cache policy (plugin cache-memory) is not installed%s%s",
             error ? ": " : "", error ? error->message : "");
  /* Enough room for the 10-million-row tables. */
  setl_cache_policy_set_max_size (SETL_CACHE_POLICY (policy), (guint64) 16 << 30);

  uncached = run_once (build, data, NULL, NULL);
  cold = run_once (build, data, SETL_CACHE_POLICY (policy), NULL);
  for (guint i = 0; i < repeat; i++)
    {
      gint64 t = run_once (build, data, SETL_CACHE_POLICY (policy), statuses);
      g_array_append_val (warm, t);
    }
  g_array_sort (warm, compare_gint64);
  median = g_array_index (warm, gint64, warm->len / 2);
  printf ("%-28s no cache %10.3f ms  cold %10.3f ms  warm (median of %u) %8.3f ms  "
          "warm/cold %6.2f %%  [%s]\n",
          what, uncached / 1e3, cold / 1e3, repeat, median / 1e3,
          100.0 * median / MAX (cold, 1), statuses->str);
}

int
main (int argc, char **argv)
{
  g_autofree char *csv = NULL;
  int repeat = 5;
  GOptionEntry entries[] = {
    { "csv", 0, 0, G_OPTION_ARG_FILENAME, &csv, "Also the CSV pipeline over FILE", "FILE" },
    { "repeat", 'r', 0, G_OPTION_ARG_INT, &repeat, "Warm runs (default 5)", "R" },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("— cold and warm runs with a cache");
  g_autoptr(GError) error = NULL;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      fprintf (stderr, "%s\n", error->message);
      return 2;
    }
  if (!setl_plugin_registry_update (setl_plugin_registry_get_default (), &error))
    g_error ("%s", error->message);

  measure ("readme (memory, in-process)", build_readme, NULL, (guint) MAX (repeat, 1));
  if (csv != NULL)
    {
      g_autofree char *out = g_strconcat (csv, ".adults.csv", NULL);

      measure ("csv filter (memory)", build_csv, csv, (guint) MAX (repeat, 1));
      g_unlink (out);
    }
  return 0;
}
