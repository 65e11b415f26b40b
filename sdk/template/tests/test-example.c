/* test-example.c: the example plugin, found by the registry on
 * SETL_PLUGIN_PATH and used in a pipeline. */
#include <setl/setl-plugin.h>

static SetlPipeline *
make_pipeline (gint64 maximum, SetlFactory **check_out)
{
  SetlPluginRegistry *registry = setl_plugin_registry_get_default ();
  g_autoptr(GError) error = NULL;
  g_autoptr(SetlFactory) counter = NULL;
  g_autoptr(SetlFactory) check = NULL;
  SetlPipeline *pipeline;

  counter = setl_plugin_registry_create_factory (registry, "example-counter", &error);
  g_assert_no_error (error);
  check = setl_plugin_registry_create_factory (registry, "example-range-check", &error);
  g_assert_no_error (error);

  g_object_set (counter, "start", (gint64) 1, "count", 4, NULL);   /* 1+2+3+4 */
  g_object_set (check, "maximum", maximum, NULL);

  pipeline = setl_pipeline_new ("example");
  setl_pipeline_add_factory (pipeline, counter);
  setl_pipeline_add_factory (pipeline, check);
  *check_out = g_steal_pointer (&check);
  return pipeline;
}

static void
test_found (void)
{
  SetlPluginRegistry *registry = setl_plugin_registry_get_default ();
  SetlPlugin *plugin = setl_plugin_registry_lookup_plugin (registry, "example");

  g_assert_nonnull (plugin);
  g_assert_cmpstr (setl_plugin_get_version (plugin), ==, "0.1.0");
  g_assert_nonnull (setl_plugin_registry_lookup_feature (registry, "example-counter"));
  g_assert_nonnull (setl_plugin_registry_lookup_feature (registry, "example-range-check"));
}

static void
test_pipeline_passes (void)
{
  g_autoptr(SetlFactory) check = NULL;
  g_autoptr(SetlPipeline) pipeline = make_pipeline (100, &check);
  g_autoptr(GError) error = NULL;
  const GValue *out;

  g_assert_true (setl_pipeline_run (pipeline, NULL, &error));
  g_assert_no_error (error);
  out = setl_pipeline_get_last_output (pipeline);
  g_assert_cmpint (g_value_get_int64 (out), ==, 10);
}

static void
test_pipeline_check_fails (void)
{
  g_autoptr(SetlFactory) check = NULL;
  g_autoptr(SetlPipeline) pipeline = make_pipeline (5, &check);
  g_autoptr(GError) error = NULL;

  g_assert_false (setl_pipeline_run (pipeline, NULL, &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "value 10 is outside [0, 5]"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/example/found", test_found);
  g_test_add_func ("/example/pipeline-passes", test_pipeline_passes);
  g_test_add_func ("/example/pipeline-check-fails", test_pipeline_check_fails);

  return g_test_run ();
}
