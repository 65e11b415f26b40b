/* test-jsonl-registry.c: the real jsonl module, found by the registry,
 * in a SetlPipeline: jsonl-source → jsonl-sink.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <setl/setl-plugin.h>
#include <glib/gstdio.h>

static void
test_copy (void)
{
  SetlPluginRegistry *registry = setl_plugin_registry_get_default ();
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("setl-jsonl-XXXXXX", &error);
  g_autofree char *in = g_build_filename (dir, "in.jsonl", NULL);
  g_autofree char *out = g_build_filename (dir, "out.jsonl", NULL);
  g_autofree char *content = NULL;
  g_autoptr(SetlFactory) src = NULL, sink = NULL;
  g_autoptr(SetlPipeline) p = setl_pipeline_new ("copy");
  GParamSpec *pspec;

  g_assert_nonnull (setl_plugin_registry_lookup_plugin (registry, "jsonl"));
  src = setl_plugin_registry_create_factory (registry, "jsonl-source", &error);
  g_assert_no_error (error);
  sink = setl_plugin_registry_create_factory (registry, "jsonl-sink", &error);
  g_assert_no_error (error);
  /* configuration is through documented properties */
  pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (src), "infer-rows");
  g_assert_nonnull (pspec);
  g_assert_nonnull (g_param_spec_get_blurb (pspec));

  g_file_set_contents (in, "{\"a\": 1, \"b\": \"x\"}\n{\"b\": null, \"c\": [true]}\r\n{\"a\": -5, \"b\": \"é\"}", -1, &error);
  g_assert_no_error (error);
  g_object_set (src, "path", in, "batch-size", 1, NULL);
  g_object_set (sink, "path", out, NULL);
  setl_pipeline_add_factory (p, src);
  setl_pipeline_add_factory (p, sink);
  g_assert_true (setl_pipeline_run (p, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_value_get_int64 (setl_pipeline_get_last_output (p)), ==, 3);
  g_assert_cmpint (setl_factory_get_rows (sink), ==, 3);   /* the progress count */
  g_file_get_contents (out, &content, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (content, ==,
                   "{\"a\":1,\"b\":\"x\",\"c\":null}\n"
                   "{\"a\":null,\"b\":null,\"c\":\"[true]\"}\n"
                   "{\"a\":-5,\"b\":\"é\",\"c\":null}\n");
  g_unlink (in);
  g_unlink (out);
  g_rmdir (dir);
}

static void
test_malformed_in_pipeline (void)
{
  SetlPluginRegistry *registry = setl_plugin_registry_get_default ();
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("setl-jsonl-XXXXXX", &error);
  g_autofree char *in = g_build_filename (dir, "in.jsonl", NULL);
  g_autofree char *out = g_build_filename (dir, "out.jsonl", NULL);
  g_autofree char *where = NULL;
  g_autoptr(SetlFactory) src = setl_plugin_registry_create_factory (registry, "jsonl-source", NULL);
  g_autoptr(SetlFactory) sink = setl_plugin_registry_create_factory (registry, "jsonl-sink", NULL);
  g_autoptr(SetlPipeline) p = setl_pipeline_new ("bad");

  /* the sample (1 row) passes; line 3 fails while the sink pulls */
  g_file_set_contents (in, "{\"a\": 1}\n{\"a\": 2}\n{\"a\": }\n", -1, &error);
  g_object_set (src, "path", in, "infer-rows", 1, NULL);
  g_object_set (sink, "path", out, NULL);
  setl_pipeline_add_factory (p, src);
  setl_pipeline_add_factory (p, sink);
  g_assert_false (setl_pipeline_run (p, NULL, &error));
  g_assert_nonnull (error);
  where = g_strdup_printf ("%s:3:", in);
  g_assert_nonnull (strstr (error->message, where));
  g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
  g_unlink (in);
  g_rmdir (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/jsonl/registry/pipeline-copy", test_copy);
  g_test_add_func ("/jsonl/registry/malformed-line-fails-run", test_malformed_in_pipeline);
  return g_test_run ();
}
