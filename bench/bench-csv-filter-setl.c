/* bench-csv-filter-setl.c: the libsetl contender of the CSV filter benchmark.
 *
 *   bench-csv-filter-setl IN.csv OUT.csv [WHERE] [BATCH-SIZE]
 *
 * Builds csv-source → filter → csv-sink from the installed plugins (found
 * through the plugin registry, as `setl run` would: set SETL_PLUGIN_PATH to
 * the build tree's plugins/csv and plugins/transforms to use the built
 * ones), wires the slots by delivery id, runs the pipeline and prints the
 * rows written. WHERE defaults to "age >= 18". Types are inferred by the
 * source from the first 1000 rows, as a user who gives no schema gets them.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <setl/setl-plugin.h>
#include <stdio.h>
#include <stdlib.h>

static SetlFactory *
make (const char *feature, const char *name, const char *input_from, GError **error)
{
  SetlFactory *f = setl_plugin_registry_create_factory (setl_plugin_registry_get_default (),
                                                        feature, error);

  if (f == NULL)
    return NULL;
  setl_factory_set_name (f, name);
  /* wired as the pipeline-file loader does: by the producer's name */
  setl_factory_set_delivery_id (f, name);
  if (input_from != NULL)
    setl_delivery_set_delivery_id (setl_factory_get_delivery (f, "in"), input_from);
  return f;
}

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SetlFactory) src = NULL, flt = NULL, sink = NULL;
  g_autoptr(SetlPipeline) p = NULL;
  const char *where;
  guint batch_size = 0;
  const GValue *written;

  if (argc < 3)
    {
      fprintf (stderr, "usage: %s IN.csv OUT.csv [WHERE] [BATCH-SIZE]\n", argv[0]);
      return 2;
    }
  where = argc > 3 ? argv[3] : "age >= 18";
  if (argc > 4)
    batch_size = (guint) atoi (argv[4]);

  if ((src = make ("csv-source", "people", NULL, &error)) == NULL ||
      (flt = make ("filter", "adults", "people", &error)) == NULL ||
      (sink = make ("csv-sink", "out", "adults", &error)) == NULL)
    {
      fprintf (stderr, "%s\n", error->message);
      return 1;
    }
  g_object_set (src, "path", argv[1], NULL);
  g_object_set (flt, "where", where, NULL);
  g_object_set (sink, "path", argv[2], NULL);
  if (batch_size > 0)
    {
      g_object_set (src, "batch-size", batch_size, NULL);
      g_object_set (sink, "batch-size", batch_size, NULL);
    }

  p = setl_pipeline_new ("csv-filter");
  setl_pipeline_add_factory (p, src);
  setl_pipeline_add_factory (p, flt);
  setl_pipeline_add_factory (p, sink);
  if (!setl_pipeline_run (p, NULL, &error))
    {
      fprintf (stderr, "%s\n", error->message);
      return 1;
    }
  written = setl_pipeline_get_last_output (p);
  fprintf (stderr, "setl: %" G_GINT64_FORMAT " rows written\n", g_value_get_int64 (written));
  return 0;
}
