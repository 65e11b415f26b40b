/* setl-cmd-convert.c: `setl convert IN OUT` — a two-factory pipeline, a
 * source and a sink chosen by file extension or by plugin name.
 *
 * The pipeline is written as a pipeline file in memory and goes through
 * SetlPipelineFile like any other, so properties are checked, converted and
 * reported the same way.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <stdio.h>
#include <string.h>

#include <json-glib/json-glib.h>
#include <setl/setl-plugin.h>

#include "setl-commands.h"
#include "setl-pipeline-cli.h"

/* Extensions → plugin names, whose features are PLUGIN-source and
 * PLUGIN-sink. */
static const struct { const char *extension; const char *plugin; } by_extension[] = {
  { ".csv", "csv" },
  { ".tsv", "csv" },
  { ".jsonl", "jsonl" },
  { ".ndjson", "jsonl" },
  { ".db", "sqlite" },
  { ".sqlite", "sqlite" },
  { ".sqlite3", "sqlite" },
};

static const char *
plugin_for (const char *path)
{
  g_autofree char *lower = g_ascii_strdown (path, -1);

  for (guint i = 0; i < G_N_ELEMENTS (by_extension); i++)
    if (g_str_has_suffix (lower, by_extension[i].extension))
      return by_extension[i].plugin;
  return NULL;
}

/* The feature for @plugin_or_feature in @role ("source" or "sink"):
 * "csv" → "csv-source"; a full feature name is taken as it is. */
static char *
feature_for (SetlPluginRegistry *registry,
             const char         *plugin_or_feature,
             const char         *role)
{
  g_autofree char *with_role = g_strdup_printf ("%s-%s", plugin_or_feature, role);

  /* "sqlite" is also the name of a backend: PLUGIN-ROLE comes first. */
  if (setl_plugin_registry_lookup_feature (registry, with_role) == NULL &&
      setl_plugin_registry_lookup_feature (registry, plugin_or_feature) != NULL)
    return g_strdup (plugin_or_feature);
  return g_steal_pointer (&with_role);
}

/* The property that names the file: the first the feature has of the usual
 * names. */
static const char *
location_property (SetlPluginRegistry *registry,
                   const char         *feature_name)
{
  static const char * const names[] = { "location", "path", "file", "filename", "database", "uri" };
  SetlPluginFeature *feature = setl_plugin_registry_lookup_feature (registry, feature_name);

  if (feature == NULL)
    return "location";   /* building the pipeline names the missing feature */
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (setl_plugin_feature_find_property (feature, names[i]) != NULL)
      return names[i];
  return "location";
}

/* "${" in a path must not read as a parameter reference. */
static char *
escape_dollars (const char *text)
{
  g_auto(GStrv) parts = g_strsplit (text, "${", -1);

  return g_strjoinv ("$${", parts);
}

static void
add_factory (JsonBuilder        *builder,
             SetlPluginRegistry *registry,
             const char         *name,
             const char         *feature,
             const char         *path,
             const char         *table,
             const char         *input)
{
  g_autofree char *location = escape_dollars (path);
  SetlPluginFeature *f = setl_plugin_registry_lookup_feature (registry, feature);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, name);
  json_builder_set_member_name (builder, "feature");
  json_builder_add_string_value (builder, feature);
  json_builder_set_member_name (builder, "properties");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, location_property (registry, feature));
  json_builder_add_string_value (builder, location);
  if (table != NULL && f != NULL && setl_plugin_feature_find_property (f, "table") != NULL)
    {
      g_autofree char *escaped = escape_dollars (table);

      json_builder_set_member_name (builder, "table");
      json_builder_add_string_value (builder, escaped);
    }
  json_builder_end_object (builder);
  if (input != NULL)
    {
      json_builder_set_member_name (builder, "inputs");
      json_builder_add_string_value (builder, input);
    }
  json_builder_end_object (builder);
}

int
setl_cmd_convert (int    argc,
                  char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new ("IN OUT — convert between formats");
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;
  g_autofree char *table = NULL;
  g_autofree char *report_path = NULL;
  GOptionEntry entries[] = {
    { "from", 0, 0, G_OPTION_ARG_STRING, &from,
      "The source plugin (csv, jsonl, sqlite) or feature, instead of IN's extension", "PLUGIN" },
    { "to", 0, 0, G_OPTION_ARG_STRING, &to,
      "The sink plugin (csv, jsonl, sqlite) or feature, instead of OUT's extension", "PLUGIN" },
    { "table", 't', 0, G_OPTION_ARG_STRING, &table,
      "The table to read or write, for database formats (SQLite)", "TABLE" },
    { "report", 'r', 0, G_OPTION_ARG_FILENAME, &report_path,
      "Write the run report (JSON) to FILE", "FILE" },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(SetlPluginRegistry) registry = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(SetlPipelineFile) file = NULL;
  g_autoptr(SetlPipeline) pipeline = NULL;
  g_autofree char *text = NULL;
  g_autofree char *source = NULL;
  g_autofree char *sink = NULL;
  const GValue *rows;
  const char *in_plugin, *out_plugin;

  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_set_summary (context,
    "Reads IN with a source and writes it to OUT with a sink, streaming.\n"
    "Formats by extension: .csv/.tsv (csv), .jsonl/.ndjson (jsonl),\n"
    ".db/.sqlite/.sqlite3 (sqlite, with --table). OUT is replaced atomically.");
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      fprintf (stderr, "setl convert: %s\n", error->message);
      return 2;
    }
  if (argc != 3)
    {
      fprintf (stderr, "Usage: setl convert IN OUT [--from PLUGIN] [--to PLUGIN] [--table TABLE]\n");
      return 2;
    }

  in_plugin = from ? from : plugin_for (argv[1]);
  out_plugin = to ? to : plugin_for (argv[2]);
  if (in_plugin == NULL || out_plugin == NULL)
    {
      fprintf (stderr, "setl convert: cannot tell the format of “%s” from its extension; "
               "use --%s PLUGIN (csv, jsonl, sqlite)\n",
               in_plugin == NULL ? argv[1] : argv[2], in_plugin == NULL ? "from" : "to");
      return 2;
    }

  if ((registry = setl_cli_open_registry (&error)) == NULL)
    {
      fprintf (stderr, "setl convert: %s\n", error->message);
      return 1;
    }
  source = feature_for (registry, in_plugin, "source");
  sink = feature_for (registry, out_plugin, "sink");

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "setl");
  json_builder_add_int_value (builder, SETL_PIPELINE_FILE_VERSION);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, "convert");
  json_builder_set_member_name (builder, "factories");
  json_builder_begin_array (builder);
  add_factory (builder, registry, "read", source, argv[1], table, NULL);
  add_factory (builder, registry, "write", sink, argv[2], table, "read");
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  text = json_generator_to_data (generator, NULL);

  if ((file = setl_pipeline_file_new_from_data (text, -1, "setl convert", NULL, &error)) == NULL ||
      (pipeline = setl_pipeline_file_build (file, registry, &error)) == NULL ||
      !setl_pipeline_run (pipeline, NULL, &error))
    {
      if (pipeline != NULL && report_path != NULL)
        setl_run_report_save (setl_pipeline_get_report (pipeline), report_path, NULL);
      fprintf (stderr, "setl convert: %s\n", error->message);
      return 1;
    }
  if (report_path != NULL && !setl_run_report_save (setl_pipeline_get_report (pipeline), report_path, &error))
    {
      fprintf (stderr, "setl convert: cannot write the report: %s\n", error->message);
      return 1;
    }

  rows = setl_pipeline_get_output_by_name (pipeline, "write", NULL);
  if (rows != NULL && G_VALUE_HOLDS_INT64 (rows))
    printf ("%s → %s: %" G_GINT64_FORMAT " rows (%s → %s)\n", argv[1], argv[2],
            g_value_get_int64 (rows), source, sink);
  else
    printf ("%s → %s (%s → %s)\n", argv[1], argv[2], source, sink);
  return 0;
}
