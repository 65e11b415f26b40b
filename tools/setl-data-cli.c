/* setl-data-cli.c: see setl-data-cli.h.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "setl-data-cli.h"

#include <string.h>

/* Extensions → plugins, as `setl convert` reads them. */
static const struct { const char *extension; const char *plugin; } by_extension[] = {
  { ".csv", "csv" },
  { ".tsv", "csv" },
  { ".jsonl", "jsonl" },
  { ".ndjson", "jsonl" },
  { ".db", "sqlite" },
  { ".sqlite", "sqlite" },
  { ".sqlite3", "sqlite" },
};

const char *
setl_data_cli_plugin_for (const char *path)
{
  g_autofree char *lower = g_ascii_strdown (path, -1);

  for (guint i = 0; i < G_N_ELEMENTS (by_extension); i++)
    if (g_str_has_suffix (lower, by_extension[i].extension))
      return by_extension[i].plugin;
  return NULL;
}

/* The factory of feature PLUGIN-ROLE with its file (and table) set. */
static SetlFactory *
create_factory (SetlPluginRegistry  *registry,
                const char          *path,
                const char          *plugin,
                const char          *table,
                const char          *role,
                GError             **error)
{
  static const char * const location_names[] = { "path", "location", "database", "file", "filename", "uri" };
  g_autofree char *feature = NULL;
  g_autoptr(SetlFactory) factory = NULL;
  GObjectClass *klass;
  gboolean located = FALSE;

  if (plugin == NULL)
    plugin = setl_data_cli_plugin_for (path);
  if (plugin == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "cannot tell the format of “%s” from its extension "
                   "(.csv, .tsv, .jsonl, .ndjson, .db, .sqlite, .sqlite3)", path);
      return NULL;
    }
  feature = g_strdup_printf ("%s-%s", plugin, role);
  factory = setl_plugin_registry_create_factory (registry, feature, error);
  if (factory == NULL)
    return NULL;

  klass = G_OBJECT_GET_CLASS (factory);
  for (guint i = 0; i < G_N_ELEMENTS (location_names) && !located; i++)
    if (g_object_class_find_property (klass, location_names[i]) != NULL)
      {
        g_object_set (factory, location_names[i], path, NULL);
        located = TRUE;
      }
  if (!located)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   "feature “%s” has no property naming its file", feature);
      return NULL;
    }
  if (g_object_class_find_property (klass, "table") != NULL)
    {
      if (table == NULL)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       "“%s” is a database: name the table with --table", path);
          return NULL;
        }
      g_object_set (factory, "table", table, NULL);
    }
  setl_factory_set_name (factory, role);
  return g_steal_pointer (&factory);
}

SetlBatchStream *
setl_data_cli_open (SetlPluginRegistry  *registry,
                    const char          *path,
                    const char          *plugin,
                    const char          *table,
                    GError             **error)
{
  g_autoptr(SetlFactory) factory = NULL;
  g_auto(GValue) output = G_VALUE_INIT;

  factory = create_factory (registry, path, plugin, table, "source", error);
  if (factory == NULL)
    return NULL;
  if (!setl_factory_read (factory, NULL, error) ||
      !setl_factory_process (factory, NULL, error) ||
      !setl_factory_write (factory, NULL, error) ||
      !setl_factory_get (factory, &output, error))
    return NULL;
  if (!G_VALUE_HOLDS (&output, SETL_TYPE_BATCH_STREAM) || g_value_get_object (&output) == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   "the source for “%s” gave no batch stream", path);
      return NULL;
    }
  return g_value_dup_object (&output);
}

gboolean
setl_data_cli_write (SetlPluginRegistry  *registry,
                     const char          *path,
                     const char          *plugin,
                     const char          *table,
                     SetlBatchStream     *data,
                     gint64              *n_rows,
                     GError             **error)
{
  g_autoptr(SetlFactory) factory = NULL;
  g_auto(GValue) input = G_VALUE_INIT;
  g_auto(GValue) output = G_VALUE_INIT;
  SetlDelivery *slot;

  factory = create_factory (registry, path, plugin, table, "sink", error);
  if (factory == NULL)
    return FALSE;
  slot = setl_factory_get_delivery (factory, "in");
  if (slot == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   "the sink for “%s” has no input slot “in”", path);
      return FALSE;
    }
  g_value_init (&input, SETL_TYPE_BATCH_STREAM);
  g_value_set_object (&input, data);
  setl_delivery_set_value (slot, &input);
  if (!setl_factory_read (factory, NULL, error) ||
      !setl_factory_process (factory, NULL, error) ||
      !setl_factory_write (factory, NULL, error) ||
      !setl_factory_get (factory, &output, error))
    return FALSE;
  if (n_rows != NULL)
    *n_rows = G_VALUE_HOLDS_INT64 (&output) ? g_value_get_int64 (&output) : -1;
  return TRUE;
}

SetlSchema *
setl_data_cli_load_schema (const char  *spec,
                           const char  *registry_path,
                           GError     **error)
{
  g_autoptr(SetlSchemaRegistry) registry = NULL;

  /* A file wins: "a@1.json" is a file name, not a reference. */
  if (g_file_test (spec, G_FILE_TEST_IS_REGULAR) || strchr (spec, '@') == NULL)
    return setl_schema_new_from_file (spec, error);
  registry = setl_schema_registry_new (registry_path);
  return setl_schema_registry_lookup (registry, spec, error);
}

gboolean
setl_data_cli_write_file (const char  *path,
                          const char  *contents,
                          gssize       length,
                          GError     **error)
{
  return g_file_set_contents_full (path, contents, length,
                                   G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                   0644, error);
}
