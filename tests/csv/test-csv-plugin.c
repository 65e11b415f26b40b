/* test-csv-plugin.c: the csv plugin as users get it — the shared module
 * found and loaded by the registry, its factories run in a SetlPipeline.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <setl/setl-plugin.h>
#include <glib/gstdio.h>
#include <string.h>

static char *tmpdir;

static void
test_features (void)
{
  SetlPluginRegistry *registry = setl_plugin_registry_get_default ();
  SetlPluginFeature *source = setl_plugin_registry_lookup_feature (registry, "csv-source");
  SetlPluginFeature *sink = setl_plugin_registry_lookup_feature (registry, "csv-sink");

  g_assert_nonnull (source);
  g_assert_nonnull (sink);
  g_assert_nonnull (setl_plugin_registry_lookup_plugin (registry, "csv"));
}

/* CSV → CSV through a two-stage pipeline: the sink pulls the source's
 * stream in its write phase. */
static void
test_pipeline (void)
{
  SetlPluginRegistry *registry = setl_plugin_registry_get_default ();
  g_autoptr(GError) error = NULL;
  g_autoptr(SetlFactory) source = setl_plugin_registry_create_factory (registry, "csv-source", &error);
  g_autoptr(SetlFactory) sink = NULL;
  g_autoptr(SetlPipeline) pipeline = setl_pipeline_new ("csv-copy");
  g_autofree char *in = g_build_filename (tmpdir, "in.csv", NULL);
  g_autofree char *out = g_build_filename (tmpdir, "out.csv", NULL);
  g_autofree char *rejects = g_build_filename (tmpdir, "rejects.csv", NULL);
  g_autofree char *text = NULL;
  g_autoptr(GString) content = g_string_new ("id,name,score\n");
  g_autoptr(GString) expected = g_string_new ("id,name,score\n");
  const GValue *rows;
  gint64 rejected = -1;

  g_assert_no_error (error);
  sink = setl_plugin_registry_create_factory (registry, "csv-sink", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (G_OBJECT_TYPE_NAME (source), ==, "SetlCsvSource");

  for (int i = 0; i < 2500; i++)
    {
      g_string_append_printf (content, "%d,\"n, %d\",%d.5\n", i, i, i);
      g_string_append_printf (expected, "%d,\"n, %d\",%d.5\n", i, i, i);
      if (i == 1234)
        g_string_append (content, "oops,\"unclosed\"x,1\n");
    }
  g_assert_true (g_file_set_contents (in, content->str, content->len, NULL));

  g_object_set (source, "name", "read", "path", in, "batch-size", 1000,
                "reject-file", rejects, "schema", "id:int64", NULL);
  g_object_set (sink, "name", "write", "path", out, NULL);
  setl_pipeline_add_factory (pipeline, source);
  setl_pipeline_add_factory (pipeline, sink);
  g_assert_true (setl_pipeline_run (pipeline, NULL, &error));
  g_assert_no_error (error);

  text = NULL;
  g_assert_true (g_file_get_contents (out, &text, NULL, NULL));
  g_assert_cmpstr (text, ==, expected->str);
  rows = setl_pipeline_get_output_by_name (pipeline, "write", &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_value_get_int64 (rows), ==, 2500);
  /* the progress count the sink kept while writing agrees */
  g_assert_cmpint (setl_factory_get_rows (sink), ==, 2500);
  g_object_get (source, "rejected-rows", &rejected, NULL);
  g_assert_cmpint (rejected, ==, 1);
  g_free (text);
  g_assert_true (g_file_get_contents (rejects, &text, NULL, NULL));
  g_assert_cmpstr (text, ==, "id,name,score\noops,\"unclosed\"x,1\n");
}

/* A malformed file fails the run with file:line:column, and the old
 * output stays as it was. */
static void
test_pipeline_failure (void)
{
  SetlPluginRegistry *registry = setl_plugin_registry_get_default ();
  g_autoptr(GError) error = NULL;
  g_autoptr(SetlFactory) source = setl_plugin_registry_create_factory (registry, "csv-source", &error);
  g_autoptr(SetlFactory) sink = setl_plugin_registry_create_factory (registry, "csv-sink", &error);
  g_autoptr(SetlPipeline) pipeline = setl_pipeline_new ("csv-fail");
  g_autofree char *in = g_build_filename (tmpdir, "bad.csv", NULL);
  g_autofree char *out = g_build_filename (tmpdir, "kept.csv", NULL);
  g_autofree char *text = NULL;
  g_autoptr(GString) content = g_string_new ("a,b\n");
  g_autofree char *where = NULL;

  for (int i = 0; i < 3000; i++)
    g_string_append_printf (content, "%d,x\n", i);
  g_string_append (content, "1,2,3\n");
  g_assert_true (g_file_set_contents (in, content->str, content->len, NULL));
  g_assert_true (g_file_set_contents (out, "precious\n", -1, NULL));

  g_object_set (source, "name", "read", "path", in, "batch-size", 100, NULL);
  g_object_set (sink, "name", "write", "path", out, NULL);
  setl_pipeline_add_factory (pipeline, source);
  setl_pipeline_add_factory (pipeline, sink);
  g_assert_false (setl_pipeline_run (pipeline, NULL, &error));
  g_assert_nonnull (error);
  where = g_strdup_printf ("%s:3002:3: row has 3 fields, expected 2", in);
  g_assert_nonnull (strstr (error->message, where));
  g_assert_true (g_file_get_contents (out, &text, NULL, NULL));
  g_assert_cmpstr (text, ==, "precious\n");
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  tmpdir = g_dir_make_tmp ("setl-csv-plugin-XXXXXX", NULL);
  g_test_add_func ("/csv/plugin/features", test_features);
  g_test_add_func ("/csv/plugin/pipeline", test_pipeline);
  g_test_add_func ("/csv/plugin/pipeline-failure", test_pipeline_failure);
  status = g_test_run ();
  {
    const char *names[] = { "in.csv", "out.csv", "rejects.csv", "bad.csv", "kept.csv" };
    for (guint i = 0; i < G_N_ELEMENTS (names); i++)
      {
        g_autofree char *p = g_build_filename (tmpdir, names[i], NULL);
        g_unlink (p);
      }
    g_rmdir (tmpdir);
  }
  g_free (tmpdir);
  return status;
}
