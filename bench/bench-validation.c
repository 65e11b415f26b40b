/* bench-validation.c: validation of a CSV file against a schema, against
 * reading the same file without validating.
 *
 *   bench-validation read FILE.csv
 *   bench-validation read-direct FILE.csv
 *   bench-validation validate FILE.csv SCHEMA.json
 *
 * Reads FILE.csv through the installed csv-source (SETL_PLUGIN_PATH), in
 * batches, and either just counts the rows (read, read-direct) or
 * validates them lazily against SCHEMA.json (validate). "read" takes the
 * batches the way the validator does, read ahead on another thread
 * (setl_batch_stream_open_read_ahead(), depth 2), so that the two differ
 * only by the checking; "read-direct" takes them from
 * setl_batch_stream_open() (csv-source still parses one batch ahead on
 * its own thread). Prints one JSON line: the mode, the seconds taken, the
 * CPU seconds (user + system, all threads), the peak resident memory
 * (ru_maxrss), and for validate the report's counts by reason, column and
 * check — which bench-validation-pandas.py prints too, for
 * bench-validation.sh to compare.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>

#include <setl/setl-plugin.h>
#include <setl/setl-validation.h>

static SetlBatchStream *
open_csv (const char  *path,
          GError     **error)
{
  g_autoptr(SetlFactory) source = NULL;
  g_auto(GValue) output = G_VALUE_INIT;

  source = setl_plugin_registry_create_factory (setl_plugin_registry_get_default (), "csv-source", error);
  if (source == NULL)
    return NULL;
  g_object_set (source, "path", path, NULL);
  if (!setl_factory_read (source, NULL, error) || !setl_factory_process (source, NULL, error) ||
      !setl_factory_get (source, &output, error))
    return NULL;
  return g_value_dup_object (&output);
}

static long
peak_rss_kb (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

/* Page faults: the allocator giving batch buffers back to the system and
 * faulting them in again shows here (and as system time). */
static long
minor_faults (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_minflt;
}

static double
cpu_seconds (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec + usage.ru_stime.tv_sec +
         (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SetlBatchStream) data = NULL;
  gboolean validate, direct;
  gint64 start, rows = 0;
  double cpu_start;

  if (argc < 3 || (strcmp (argv[1], "read") != 0 && strcmp (argv[1], "read-direct") != 0 &&
                   strcmp (argv[1], "validate") != 0) ||
      (strcmp (argv[1], "validate") == 0 && argc != 4))
    {
      fprintf (stderr, "usage: %s read FILE.csv | read-direct FILE.csv | validate FILE.csv SCHEMA.json\n", argv[0]);
      return 2;
    }
  validate = strcmp (argv[1], "validate") == 0;
  direct = strcmp (argv[1], "read-direct") == 0;

  start = g_get_monotonic_time ();
  cpu_start = cpu_seconds ();
  if ((data = open_csv (argv[2], &error)) == NULL)
    {
      fprintf (stderr, "bench-validation: %s\n", error->message);
      return 1;
    }
  if (!validate)
    {
      /* The validator's way of taking batches (setl_validator_validate()),
       * or the stream's own. */
      g_autoptr(SetlBatchIterator) it = direct ? setl_batch_stream_open (data, NULL, &error)
                                               : setl_batch_stream_open_read_ahead (data, 2, NULL, &error);
      SetlRecordBatch *batch;

      while (it != NULL && (batch = setl_batch_iterator_next (it, NULL, &error)) != NULL)
        {
          rows += setl_record_batch_get_n_rows (batch);
          g_object_unref (batch);
        }
      if (error != NULL)
        {
          fprintf (stderr, "bench-validation: %s\n", error->message);
          return 1;
        }
      printf ("{\"mode\": \"%s\", \"rows\": %" G_GINT64_FORMAT ", \"seconds\": %.3f, \"cpu_seconds\": %.3f, "
              "\"peak_rss_mb\": %.1f, \"minor_faults\": %ld}\n", argv[1],
              rows, (g_get_monotonic_time () - start) / 1e6, cpu_seconds () - cpu_start, peak_rss_kb () / 1024.0,
              minor_faults ());
      return 0;
    }

  {
    g_autoptr(SetlSchema) schema = setl_schema_new_from_file (argv[3], &error);
    g_autoptr(SetlValidator) validator = NULL;
    g_autoptr(SetlValidationReport) report = NULL;
    g_autoptr(JsonNode) json = NULL;
    JsonObject *root;
    GString *counts = g_string_new (NULL);
    double seconds, cpu;
    static const char *groups[] = { "SCHEMA", "DATA" };

    if (schema == NULL || (validator = setl_validator_new (schema, NULL, &error)) == NULL)
      {
        fprintf (stderr, "bench-validation: %s\n", error->message);
        return 1;
      }
    setl_validator_set_lazy (validator, TRUE);
    report = setl_validator_validate (validator, data, NULL, &error);
    seconds = (g_get_monotonic_time () - start) / 1e6;
    cpu = cpu_seconds () - cpu_start;
    if (report == NULL)
      {
        fprintf (stderr, "bench-validation: %s\n", error->message);
        return 1;
      }
    json = setl_validation_report_to_json_node (report);
    root = json_node_get_object (json);
    for (guint g = 0; g < G_N_ELEMENTS (groups); g++)
      {
        JsonObject *group = json_object_get_object_member (root, groups[g]);
        g_autoptr(GList) reasons = json_object_get_members (group);

        for (GList *l = reasons; l != NULL; l = l->next)
          {
            JsonArray *entries = json_object_get_array_member (group, l->data);

            for (guint i = 0; i < json_array_get_length (entries); i++)
              {
                JsonObject *e = json_array_get_object_element (entries, i);

                g_string_append_printf (counts, "%s\"%s|%s\": %" G_GINT64_FORMAT, counts->len ? ", " : "",
                                        (const char *) l->data, json_object_get_string_member (e, "column"),
                                        json_object_get_int_member (e, "count"));
              }
          }
      }
    printf ("{\"mode\": \"validate\", \"rows\": %" G_GINT64_FORMAT ", \"seconds\": %.3f, \"cpu_seconds\": %.3f, "
            "\"peak_rss_mb\": %.1f, \"minor_faults\": %ld, \"counts\": {%s}}\n",
            setl_validation_report_get_n_rows (report), seconds, cpu, peak_rss_kb () / 1024.0, minor_faults (),
            counts->str);
    g_string_free (counts, TRUE);
  }
  return 0;
}
