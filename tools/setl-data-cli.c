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

/* Runs the source FACTORY's phases and returns its stream. */
static SetlBatchStream *
run_source (SetlFactory  *factory,
            const char   *path,
            GError      **error)
{
  g_auto(GValue) output = G_VALUE_INIT;

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

SetlBatchStream *
setl_data_cli_open (SetlPluginRegistry  *registry,
                    const char          *path,
                    const char          *plugin,
                    const char          *table,
                    GError             **error)
{
  return setl_data_cli_open_for_schema (registry, path, plugin, table, NULL, error);
}

/* Whether a column read as HAVE is read as the schema's WANT instead:
 * only where reading as WANT cannot fail on a value the guess accepted —
 * any text is a string, any integer a double. A column of another type
 * (an int64 schema column over text) keeps its guess, so that the
 * validator reports the wrong type or coerces it, instead of the source
 * failing on the first value that does not parse. */
static gboolean
read_as_schema_type (SetlDataType have,
                     SetlDataType want)
{
  return have != want &&
         (want == SETL_DATA_TYPE_STRING ||
          (want == SETL_DATA_TYPE_DOUBLE && have == SETL_DATA_TYPE_INT64));
}

/* A column name the sources' "NAME:TYPE, …" schema property can carry. */
static gboolean
name_fits_type_list (const char *name)
{
  gsize len = strlen (name);

  return len > 0 && strchr (name, ',') == NULL &&
         !g_ascii_isspace (name[0]) && !g_ascii_isspace (name[len - 1]);
}

/* Type names as the csv and jsonl sources' schema property spells them. */
static const char *
type_list_name (SetlDataType type)
{
  return type == SETL_DATA_TYPE_DATE32 ? "date" : setl_data_type_to_string (type);
}

SetlBatchStream *
setl_data_cli_open_for_schema (SetlPluginRegistry  *registry,
                               const char          *path,
                               const char          *plugin,
                               const char          *table,
                               SetlSchema          *schema,
                               GError             **error)
{
  g_autoptr(SetlFactory) factory = NULL;
  g_autoptr(SetlBatchStream) guessed = NULL;
  g_autoptr(GString) types = NULL;
  GParamSpec *pspec;
  SetlField **fields;
  guint n_fields = 0;
  gboolean forced = FALSE;
  gboolean every_column;

  factory = create_factory (registry, path, plugin, table, "source", error);
  if (factory == NULL)
    return NULL;
  guessed = run_source (factory, path, error);
  if (guessed == NULL || schema == NULL)
    return g_steal_pointer (&guessed);

  /* Text formats guess their columns' types, and a string column whose
   * values all look like numbers (zip codes, synthesized `\d+` values)
   * would be guessed wrong and fail as the wrong type. Read the columns
   * the schema knows with its types — the sources take them in their
   * "schema" property — and the others as guessed (a strict schema
   * reports them). The csv source takes the columns it is told and
   * guesses the rest; the jsonl source reads exactly the columns it is
   * told, so it is told every column, in the order guessed. */
  if (plugin == NULL)
    plugin = setl_data_cli_plugin_for (path);
  /* Databases have types; and postgres-source's "schema" is a namespace. */
  if (g_strcmp0 (plugin, "csv") != 0 && g_strcmp0 (plugin, "jsonl") != 0)
    return g_steal_pointer (&guessed);
  pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (factory), "schema");
  if (pspec == NULL || pspec->value_type != G_TYPE_STRING)
    return g_steal_pointer (&guessed);
  every_column = g_str_equal (plugin, "jsonl");
  fields = setl_batch_stream_get_fields (guessed, &n_fields);
  types = g_string_new (NULL);
  for (guint i = 0; i < n_fields; i++)
    {
      const char *name = setl_field_get_name (fields[i]);
      SetlDataType have = setl_field_get_data_type (fields[i]);
      SetlSchemaColumn *column = setl_schema_lookup_column (schema, name);
      SetlDataType type = have;

      if (column != NULL && read_as_schema_type (have, setl_schema_column_get_data_type (column)))
        type = setl_schema_column_get_data_type (column);
      if (!name_fits_type_list (name))
        {
          /* Such a name cannot be listed: the jsonl source then keeps its
           * guesses for every column, the csv source for that one. */
          if (every_column)
            return g_steal_pointer (&guessed);
          continue;
        }
      if (type == have && !every_column)
        continue;
      forced |= type != have;
      g_string_append_printf (types, "%s%s:%s", types->len > 0 ? ", " : "", name,
                              type_list_name (type));
    }
  if (!forced)
    return g_steal_pointer (&guessed);

  g_clear_object (&factory);
  factory = create_factory (registry, path, plugin, table, "source", error);
  if (factory == NULL)
    return NULL;
  g_object_set (factory, "schema", types->str, NULL);
  /* The guess saw the keys of a sample only: a key first seen later is an
   * error, as it is when reading with the guess, not skipped unseen. */
  if (every_column && g_object_class_find_property (G_OBJECT_GET_CLASS (factory), "ignore-unknown-keys"))
    g_object_set (factory, "ignore-unknown-keys", FALSE, NULL);
  return run_source (factory, path, error);
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
