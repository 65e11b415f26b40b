/* test-example.c: the example plugin, found by the registry on
 * SETL_PLUGIN_PATH: its source runs in a pipeline, its check runs over a
 * column. */
#include <setl/setl-plugin.h>

#include <string.h>

static void
test_found (void)
{
  SetlPluginRegistry *registry = setl_plugin_registry_get_default ();
  SetlPlugin *plugin = setl_plugin_registry_lookup_plugin (registry, "example");
  SetlPluginFeature *check;

  g_assert_nonnull (plugin);
  g_assert_cmpstr (setl_plugin_get_version (plugin), ==, "0.1.0");
  g_assert_nonnull (setl_plugin_registry_lookup_feature (registry, "example-counter"));
  check = setl_plugin_registry_lookup_feature (registry, "example-range-check");
  g_assert_nonnull (check);
  g_assert_cmpint (setl_plugin_feature_get_kind (check), ==, SETL_FEATURE_KIND_CHECK_LIBRARY);
  /* Its parameters are known without opening the module. */
  g_assert_nonnull (setl_plugin_feature_find_property (check, "maximum"));
}

/* Runs example-counter in a pipeline and returns its output. */
static gint64
run_counter (gint64 start, guint count)
{
  SetlPluginRegistry *registry = setl_plugin_registry_get_default ();
  g_autoptr(GError) error = NULL;
  g_autoptr(SetlFactory) counter = NULL;
  g_autoptr(SetlPipeline) pipeline = setl_pipeline_new ("example");

  counter = setl_plugin_registry_create_factory (registry, "example-counter", &error);
  g_assert_no_error (error);
  g_object_set (counter, "start", start, "count", count, NULL);
  setl_pipeline_add_factory (pipeline, counter);

  g_assert_true (setl_pipeline_run (pipeline, NULL, &error));
  g_assert_no_error (error);
  return g_value_get_int64 (setl_pipeline_get_last_output (pipeline));
}

static SetlCheck *
create_check (double minimum, double maximum)
{
  SetlPluginRegistry *registry = setl_plugin_registry_get_default ();
  SetlPluginFeature *feature = setl_plugin_registry_lookup_feature (registry, "example-range-check");
  g_autoptr(GError) error = NULL;
  GObject *object = setl_plugin_feature_create (feature, &error);

  g_assert_no_error (error);
  g_assert_true (SETL_IS_CHECK (object));
  g_object_set (object, "minimum", minimum, "maximum", maximum, NULL);
  return SETL_CHECK (object);
}

static void
test_pipeline_source (void)
{
  g_assert_cmpint (run_counter (1, 4), ==, 10);    /* 1+2+3+4 */
}

/* The counter's sums, checked: the values outside the range fail, the
 * null passes (nulls are the schema's business, not the check's). */
static void
test_check_column (void)
{
  g_autoptr(SetlCheck) check = create_check (0, 20);
  g_autoptr(SetlColumnBuilder) builder = setl_column_builder_new (SETL_DATA_TYPE_INT64);
  g_autoptr(SetlColumn) column = NULL;
  g_autoptr(GArray) failed = NULL;
  g_autoptr(GError) error = NULL;
  gint64 n_failed;

  g_assert_cmpstr (setl_check_get_check_name (check), ==, "example_in_range");
  setl_column_builder_append_int64 (builder, run_counter (1, 4));    /* 10: passes */
  setl_column_builder_append_null (builder);                         /* passes */
  setl_column_builder_append_int64 (builder, run_counter (1, 10));   /* 55: fails */
  setl_column_builder_append_int64 (builder, run_counter (-5, 3));   /* -12: fails */
  column = setl_column_builder_finish (builder, &error);
  g_assert_no_error (error);

  g_assert_true (setl_check_run (check, column, &n_failed, &failed, &error));
  g_assert_no_error (error);
  g_assert_cmpint (n_failed, ==, 2);
  g_assert_cmpint (g_array_index (failed, gint64, 0), ==, 2);
  g_assert_cmpint (g_array_index (failed, gint64, 1), ==, 3);
}

static void
test_check_empty_range_refused (void)
{
  g_autoptr(SetlCheck) check = create_check (10, 5);
  g_autoptr(GError) error = NULL;

  g_assert_false (setl_check_prepare (check, &error));
  g_assert_error (error, SETL_CHECK_ERROR, SETL_CHECK_ERROR_INVALID_PARAMETER);
  g_assert_nonnull (strstr (error->message, "“example_in_range”"));
  g_assert_nonnull (strstr (error->message, "parameter “maximum”"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/example/found", test_found);
  g_test_add_func ("/example/pipeline-source", test_pipeline_source);
  g_test_add_func ("/example/check-column", test_check_column);
  g_test_add_func ("/example/check-empty-range-refused", test_check_empty_range_refused);

  return g_test_run ();
}
