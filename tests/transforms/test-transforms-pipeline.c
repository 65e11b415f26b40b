/* test-transforms-pipeline.c: the real transforms and jsonl modules, found
 * by the registry, wired by delivery id and run in a SetlPipeline.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <setl/setl-plugin.h>
#include <glib/gstdio.h>

static SetlFactory *
make (const char *feature, const char *name, const char *input_from)
{
  g_autoptr(GError) error = NULL;
  SetlFactory *f = setl_plugin_registry_create_factory (setl_plugin_registry_get_default (),
                                                        feature, &error);

  g_assert_no_error (error);
  g_assert_nonnull (f);
  setl_factory_set_name (f, name);
  /* wired as the pipeline-file loader does: by the producer's name */
  setl_factory_set_delivery_id (f, name);
  if (input_from != NULL)
    setl_delivery_set_delivery_id (setl_factory_get_delivery (f, "in"), input_from);
  return f;
}

static char *
write_input (const char *dir, const char *name, const char *content)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (dir, name, NULL);

  g_file_set_contents (path, content, -1, &error);
  g_assert_no_error (error);
  return path;
}

static void
test_chain (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("setl-xf-XXXXXX", &error);
  g_autofree char *in = NULL, *out = NULL, *content = NULL;
  g_autoptr(SetlFactory) src = NULL, flt = NULL, sel = NULL, srt = NULL, lim = NULL, sink = NULL;
  g_autoptr(SetlPipeline) p = setl_pipeline_new ("chain");
  const char *params[] = { "min=18", NULL };
  const char *columns[] = { "name", "age", "age * 2 AS twice", NULL };
  const GValue *written;

  g_assert_no_error (error);
  in = write_input (dir, "people.jsonl",
                    "{\"name\":\"ann\",\"age\":34,\"city\":\"Paris\"}\n"
                    "{\"name\":\"bob\",\"age\":17}\r\n"
                    "\n"
                    "{\"name\":\"cat\",\"age\":null,\"city\":\"Lyon\"}\n"
                    "{\"name\":\"dan\",\"age\":34,\"extra\":{\"a\":[1,2]}}\n"
                    "{\"name\":\"eve\",\"age\":52}\n"
                    "{\"name\":\"fay\",\"age\":18}\n"
                    "{\"age\":40}");
  out = g_build_filename (dir, "top.jsonl", NULL);

  src = make ("jsonl-source", "src", NULL);
  g_object_set (src, "path", in, "batch-size", 2, NULL);
  flt = make ("filter", "flt", "src");
  g_object_set (flt, "where", "age >= $min", "parameters", params, NULL);
  sel = make ("select", "sel", "flt");
  g_object_set (sel, "columns", columns, NULL);
  srt = make ("sort", "srt", "sel");
  g_object_set (srt, "by", "age desc, name", NULL);
  lim = make ("limit", "lim", "srt");
  g_object_set (lim, "limit", (gint64) 3, NULL);
  sink = make ("jsonl-sink", "out", "lim");
  g_object_set (sink, "path", out, NULL);

  setl_pipeline_add_factory (p, src);
  setl_pipeline_add_factory (p, flt);
  setl_pipeline_add_factory (p, sel);
  setl_pipeline_add_factory (p, srt);
  setl_pipeline_add_factory (p, lim);
  setl_pipeline_add_factory (p, sink);
  g_assert_true (setl_pipeline_run (p, NULL, &error));
  g_assert_no_error (error);

  written = setl_pipeline_get_last_output (p);
  g_assert_cmpint (g_value_get_int64 (written), ==, 3);
  g_file_get_contents (out, &content, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (content, ==,
                   "{\"name\":\"eve\",\"age\":52,\"twice\":104}\n"
                   "{\"name\":null,\"age\":40,\"twice\":80}\n"
                   "{\"name\":\"ann\",\"age\":34,\"twice\":68}\n");

  g_unlink (in);
  g_unlink (out);
  g_rmdir (dir);
}

static void
test_union_by_delivery_id (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("setl-xf-XXXXXX", &error);
  g_autofree char *a = NULL, *b = NULL, *out = NULL, *content = NULL;
  g_autoptr(SetlFactory) sa = NULL, sb = NULL, u = NULL, sink = NULL;
  g_autoptr(SetlPipeline) p = setl_pipeline_new ("union");
  g_autoptr(SetlStage) sources = setl_stage_new ();

  a = write_input (dir, "a.jsonl", "{\"x\":1,\"s\":\"a1\"}\n{\"x\":2,\"s\":null}\n");
  b = write_input (dir, "b.jsonl", "{\"x\":3,\"s\":\"b1\"}\n");
  out = g_build_filename (dir, "all.jsonl", NULL);

  sa = make ("jsonl-source", "a", NULL);
  g_object_set (sa, "path", a, NULL);
  sb = make ("jsonl-source", "b", NULL);
  g_object_set (sb, "path", b, NULL);
  u = make ("union", "u", NULL);
  /* inputs in the reverse order of the stage, to show the wiring decides */
  setl_delivery_set_delivery_id (setl_factory_get_delivery (u, "in1"), "b");
  setl_delivery_set_delivery_id (setl_factory_get_delivery (u, "in2"), "a");
  sink = make ("jsonl-sink", "out", "u");
  g_object_set (sink, "path", out, NULL);

  setl_stage_add_factory (sources, sa);
  setl_stage_add_factory (sources, sb);
  setl_pipeline_add_stage (p, sources);
  setl_pipeline_add_factory (p, u);
  setl_pipeline_add_factory (p, sink);
  g_assert_true (setl_pipeline_run (p, NULL, &error));
  g_assert_no_error (error);
  g_file_get_contents (out, &content, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (content, ==,
                   "{\"x\":3,\"s\":\"b1\"}\n"
                   "{\"x\":1,\"s\":\"a1\"}\n"
                   "{\"x\":2,\"s\":null}\n");
  g_unlink (a);
  g_unlink (b);
  g_unlink (out);
  g_rmdir (dir);
}

static void
test_features_registered (void)
{
  SetlPluginRegistry *registry = setl_plugin_registry_get_default ();
  const char *names[] = { "filter", "select", "sort", "limit", "union" };

  g_assert_nonnull (setl_plugin_registry_lookup_plugin (registry, "transforms"));
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    g_assert_nonnull (setl_plugin_registry_lookup_feature (registry, names[i]));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/transforms/registry/features", test_features_registered);
  g_test_add_func ("/transforms/pipeline/jsonl-filter-select-sort-limit-jsonl", test_chain);
  g_test_add_func ("/transforms/pipeline/union-by-delivery-id", test_union_by_delivery_id);

  return g_test_run ();
}
