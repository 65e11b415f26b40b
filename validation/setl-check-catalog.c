/* setl-check-catalog.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/**
 * SetlCheckCatalog:
 *
 * Where the checks a schema names come from. A schema says `{"ge": 0}`;
 * the catalog finds the check-library plugin feature whose #SetlCheck class
 * is called `ge`, loads its module, creates the check, sets its parameters
 * from the document and prepares it, so that a wrong parameter (an empty
 * interval, a pattern that does not compile) is refused when the schema
 * loads, with the file, line, column and check in the message.
 *
 * Finding a check: a feature named like the check (`in_range`, or
 * `in-range`) is tried first; otherwise every check-library feature is
 * loaded until one's class has that check name. A check whose schema
 * records a library (setl_schema_check_get_library()) is looked up in that
 * plugin only. Applications can also add check types of their own with
 * setl_check_catalog_add_type(), found before any plugin's.
 *
 * Parameters: a document's `min_value` sets the check's `min-value`
 * property, converted from JSON to the property's type (booleans, numbers,
 * strings, enums by nick, string arrays, and #JsonNode properties as
 * they are). A value given without a name (`{"ge": 0}`) goes to the
 * check's only parameter, or to the one called `value`.
 */
#include "setl-check-catalog.h"
#include "setl-validator.h"
#include "setl-aggregate-check.h"
#include "setl-schema-private.h"
#include "setl-validation-private.h"

#include <string.h>

struct _SetlCheckCatalog
{
  GObject parent_instance;

  SetlPluginRegistry *plugins;
  GMutex lock;
  GHashTable *types;      /* check name -> GType added by the application */
};

G_DEFINE_FINAL_TYPE (SetlCheckCatalog, setl_check_catalog, G_TYPE_OBJECT)

static void
setl_check_catalog_finalize (GObject *object)
{
  SetlCheckCatalog *self = SETL_CHECK_CATALOG (object);

  g_clear_object (&self->plugins);
  g_hash_table_unref (self->types);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (setl_check_catalog_parent_class)->finalize (object);
}

static void
setl_check_catalog_class_init (SetlCheckCatalogClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = setl_check_catalog_finalize;
}

static void
setl_check_catalog_init (SetlCheckCatalog *self)
{
  g_mutex_init (&self->lock);
  self->types = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

/**
 * setl_check_catalog_new:
 * @plugins: (nullable): the plugin registry to find check libraries in,
 *   %NULL for setl_plugin_registry_get_default()
 *
 * Returns: (transfer full): a new catalog
 */
SetlCheckCatalog *
setl_check_catalog_new (SetlPluginRegistry *plugins)
{
  SetlCheckCatalog *self;

  g_return_val_if_fail (plugins == NULL || SETL_IS_PLUGIN_REGISTRY (plugins), NULL);

  self = g_object_new (SETL_TYPE_CHECK_CATALOG, NULL);
  self->plugins = plugins ? g_object_ref (plugins) : NULL;
  return self;
}

/**
 * setl_check_catalog_get_default:
 *
 * The catalog of the process, over the default plugin registry. The schema
 * registry uses it to record check libraries.
 *
 * Returns: (transfer none): the default catalog
 */
SetlCheckCatalog *
setl_check_catalog_get_default (void)
{
  static gsize catalog = 0;

  if (g_once_init_enter (&catalog))
    g_once_init_leave (&catalog, (gsize) setl_check_catalog_new (NULL));
  return (SetlCheckCatalog *) catalog;
}

/**
 * setl_check_catalog_get_plugins:
 * @self: a #SetlCheckCatalog
 *
 * Returns: (transfer none): the plugin registry the catalog searches
 */
SetlPluginRegistry *
setl_check_catalog_get_plugins (SetlCheckCatalog *self)
{
  g_return_val_if_fail (SETL_IS_CHECK_CATALOG (self), NULL);
  /* The default registry is only asked for when needed: opening it scans
   * the plugin path. */
  return self->plugins ? self->plugins : setl_plugin_registry_get_default ();
}

/**
 * setl_check_catalog_add_type:
 * @self: a #SetlCheckCatalog
 * @check_type: a non-abstract #SetlCheck subclass
 *
 * Makes a check class of the application known by its check name, before
 * any plugin's. Schemas that use it cannot record a library for it.
 */
void
setl_check_catalog_add_type (SetlCheckCatalog *self,
                             GType             check_type)
{
  SetlCheckClass *klass;

  g_return_if_fail (SETL_IS_CHECK_CATALOG (self));
  g_return_if_fail (g_type_is_a (check_type, SETL_TYPE_CHECK) && !G_TYPE_IS_ABSTRACT (check_type));

  klass = g_type_class_ref (check_type);
  g_return_if_fail (klass->check_name != NULL);
  g_mutex_lock (&self->lock);
  g_hash_table_replace (self->types, g_strdup (klass->check_name), GSIZE_TO_POINTER (check_type));
  g_mutex_unlock (&self->lock);
  g_type_class_unref (klass);
}

/* Whether @feature provides the check called @name (loading its module). */
static gboolean
feature_provides (SetlPluginFeature *feature,
                  const char        *name,
                  const char        *library)
{
  g_autoptr(GError) error = NULL;
  SetlCheckClass *klass;
  gboolean provides;
  GType type;

  if (setl_plugin_feature_get_kind (feature) != SETL_FEATURE_KIND_CHECK_LIBRARY)
    return FALSE;
  if (library != NULL &&
      g_strcmp0 (setl_plugin_get_name (setl_plugin_feature_get_plugin (feature)), library) != 0)
    return FALSE;
  type = setl_plugin_feature_load_type (feature, &error);
  if (type == G_TYPE_INVALID || !g_type_is_a (type, SETL_TYPE_CHECK))
    return FALSE;
  klass = g_type_class_ref (type);
  provides = g_strcmp0 (klass->check_name, name) == 0;
  g_type_class_unref (klass);
  return provides;
}

/**
 * setl_check_catalog_lookup:
 * @self: a #SetlCheckCatalog
 * @check_name: a check name (`in_range`)
 * @library: (nullable): the plugin that must provide it, or %NULL for any
 * @error: return location for a #GError
 *
 * Finds the plugin feature providing a check, loading the modules it has
 * to look into.
 *
 * Returns: (transfer none): the feature, or %NULL with @error set
 *   (%SETL_VALIDATION_ERROR_UNKNOWN_CHECK)
 */
SetlPluginFeature *
setl_check_catalog_lookup (SetlCheckCatalog  *self,
                           const char        *check_name,
                           const char        *library,
                           GError           **error)
{
  SetlPluginRegistry *plugins;
  g_autoptr(GPtrArray) features = NULL;
  g_autofree char *dashed = NULL;
  SetlPluginFeature *feature;

  g_return_val_if_fail (SETL_IS_CHECK_CATALOG (self), NULL);
  g_return_val_if_fail (check_name != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  plugins = setl_check_catalog_get_plugins (self);

  /* Cheap first: a feature named after the check. */
  feature = setl_plugin_registry_lookup_feature (plugins, check_name);
  if (feature != NULL && feature_provides (feature, check_name, library))
    return feature;
  dashed = g_strdelimit (g_strdup (check_name), "_", '-');
  feature = setl_plugin_registry_lookup_feature (plugins, dashed);
  if (feature != NULL && feature_provides (feature, check_name, library))
    return feature;

  features = setl_plugin_registry_get_features (plugins, SETL_FEATURE_KIND_CHECK_LIBRARY);
  for (guint i = 0; i < features->len; i++)
    if (feature_provides (g_ptr_array_index (features, i), check_name, library))
      return g_ptr_array_index (features, i);

  if (library != NULL && setl_plugin_registry_lookup_plugin (plugins, library) == NULL)
    g_set_error (error, SETL_VALIDATION_ERROR, SETL_VALIDATION_ERROR_UNKNOWN_CHECK,
                 "unknown check “%s”: the schema takes it from check library “%s”, "
                 "which is not installed", check_name, library);
  else if (library != NULL)
    g_set_error (error, SETL_VALIDATION_ERROR, SETL_VALIDATION_ERROR_UNKNOWN_CHECK,
                 "unknown check “%s”: check library “%s” does not provide it",
                 check_name, library);
  else
    g_set_error (error, SETL_VALIDATION_ERROR, SETL_VALIDATION_ERROR_UNKNOWN_CHECK,
                 "unknown check “%s”: no loaded check library provides it "
                 "(see `setl plugins`)", check_name);
  return NULL;
}

/**
 * setl_check_catalog_lookup_type:
 * @self: a #SetlCheckCatalog
 * @check_name: a check name
 * @library: (nullable): the plugin that must provide it, or %NULL for any
 * @error: return location for a #GError
 *
 * Returns: the #SetlCheck subclass called @check_name (an application's
 *   first), or %G_TYPE_INVALID with @error set
 */
GType
setl_check_catalog_lookup_type (SetlCheckCatalog  *self,
                                const char        *check_name,
                                const char        *library,
                                GError           **error)
{
  SetlPluginFeature *feature;
  gpointer type;

  g_return_val_if_fail (SETL_IS_CHECK_CATALOG (self), G_TYPE_INVALID);
  g_return_val_if_fail (check_name != NULL, G_TYPE_INVALID);

  g_mutex_lock (&self->lock);
  type = g_hash_table_lookup (self->types, check_name);
  g_mutex_unlock (&self->lock);
  if (type != NULL)
    return GPOINTER_TO_SIZE (type);

  feature = setl_check_catalog_lookup (self, check_name, library, error);
  if (feature == NULL)
    return G_TYPE_INVALID;
  return setl_plugin_feature_load_type (feature, error);
}

/* "FILE:LINE: column “c”: check N (“name”)", for messages. */
char *
_setl_check_catalog_describe_reference (SetlSchemaCheck *reference)
{
  GString *out = g_string_new (NULL);
  const char *source = setl_schema_check_get_source_name (reference);

  if (source != NULL)
    {
      g_string_append (out, source);
      if (setl_schema_check_get_line (reference) > 0)
        g_string_append_printf (out, ":%u", setl_schema_check_get_line (reference));
      g_string_append (out, ": ");
    }
  if (setl_schema_check_get_column (reference) != NULL)
    g_string_append_printf (out, "column “%s”: ", setl_schema_check_get_column (reference));
  else
    g_string_append (out, "table: ");
  if (setl_schema_check_get_origin (reference) != NULL)
    g_string_append_printf (out, "%s (“%s”)", setl_schema_check_get_origin (reference),
                            setl_schema_check_get_name (reference));
  else
    g_string_append_printf (out, "check %u (“%s”)", setl_schema_check_get_index (reference) + 1,
                            setl_schema_check_get_name (reference));
  return g_string_free (out, FALSE);
}

/* The subclass's own parameters: what a schema may set. */
static GPtrArray *
check_parameters (GObjectClass *klass)
{
  g_autofree GParamSpec **pspecs = NULL;
  GPtrArray *out = g_ptr_array_new ();
  guint n;

  pspecs = g_object_class_list_properties (klass, &n);
  for (guint i = 0; i < n; i++)
    if (pspecs[i]->owner_type != SETL_TYPE_CHECK && pspecs[i]->owner_type != SETL_TYPE_AGGREGATE_CHECK &&
        g_type_is_a (pspecs[i]->owner_type, SETL_TYPE_CHECK) &&
        (pspecs[i]->flags & G_PARAM_WRITABLE) && !(pspecs[i]->flags & G_PARAM_CONSTRUCT_ONLY))
      g_ptr_array_add (out, pspecs[i]);
  return out;
}

static char *
list_parameters (GPtrArray *params)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < params->len; i++)
    {
      GParamSpec *pspec = g_ptr_array_index (params, i);
      g_autofree char *name = g_strdelimit (g_strdup (pspec->name), "-", '_');

      g_string_append_printf (out, "%s%s", i ? ", " : "", name);
    }
  if (params->len == 0)
    g_string_append (out, "none");
  return g_string_free (out, FALSE);
}

static gboolean
json_to_property (JsonNode    *node,
                  GParamSpec  *pspec,
                  GValue      *value,
                  GError     **error)
{
  GType type = G_PARAM_SPEC_VALUE_TYPE (pspec);
  GType t = JSON_NODE_HOLDS_VALUE (node) ? json_node_get_value_type (node) : G_TYPE_INVALID;

  g_value_init (value, type);
  if (type == JSON_TYPE_NODE)
    {
      g_value_set_boxed (value, node);
      return TRUE;
    }
  if (type == G_TYPE_BOOLEAN && t == G_TYPE_BOOLEAN)
    {
      g_value_set_boolean (value, json_node_get_boolean (node));
      return TRUE;
    }
  if (type == G_TYPE_STRING && t == G_TYPE_STRING)
    {
      g_value_set_string (value, json_node_get_string (node));
      return TRUE;
    }
  if ((type == G_TYPE_DOUBLE || type == G_TYPE_FLOAT) && (t == G_TYPE_DOUBLE || t == G_TYPE_INT64))
    {
      double d = t == G_TYPE_DOUBLE ? json_node_get_double (node) : (double) json_node_get_int (node);

      if (type == G_TYPE_DOUBLE)
        g_value_set_double (value, d);
      else
        g_value_set_float (value, (float) d);
      return TRUE;
    }
  if (t == G_TYPE_INT64 &&
      (type == G_TYPE_INT || type == G_TYPE_UINT || type == G_TYPE_INT64 || type == G_TYPE_UINT64 ||
       type == G_TYPE_LONG || type == G_TYPE_ULONG))
    {
      g_auto(GValue) v64 = G_VALUE_INIT;

      g_value_init (&v64, G_TYPE_INT64);
      g_value_set_int64 (&v64, json_node_get_int (node));
      if (g_value_transform (&v64, value))
        return TRUE;
    }
  if (G_TYPE_IS_ENUM (type) && t == G_TYPE_STRING)
    {
      GEnumClass *klass = g_type_class_ref (type);
      GEnumValue *ev = g_enum_get_value_by_nick (klass, json_node_get_string (node));

      if (ev == NULL)
        ev = g_enum_get_value_by_name (klass, json_node_get_string (node));
      if (ev != NULL)
        g_value_set_enum (value, ev->value);
      g_type_class_unref (klass);
      if (ev != NULL)
        return TRUE;
    }
  if (type == G_TYPE_STRV && JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);
      g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
      gboolean ok = TRUE;

      for (guint i = 0; i < json_array_get_length (array) && ok; i++)
        {
          JsonNode *e = json_array_get_element (array, i);

          ok = JSON_NODE_HOLDS_VALUE (e) && json_node_get_value_type (e) == G_TYPE_STRING;
          if (ok)
            g_strv_builder_add (builder, json_node_get_string (e));
        }
      if (ok)
        {
          g_value_take_boxed (value, g_strv_builder_end (builder));
          return TRUE;
        }
    }
  g_set_error (error, SETL_VALIDATION_ERROR, SETL_VALIDATION_ERROR_INVALID_CHECK,
               "expected %s", g_type_name (type));
  g_value_unset (value);
  return FALSE;
}

static gboolean
set_parameter (SetlCheck        *check,
               GParamSpec       *pspec,
               const char       *name,
               JsonNode         *node,
               const char       *where,
               GError          **error)
{
  g_auto(GValue) value = G_VALUE_INIT;
  g_autoptr(GError) local = NULL;
  g_autofree char *json = NULL;

  if (!json_to_property (node, pspec, &value, &local))
    {
      json = json_to_string (node, FALSE);
      g_set_error (error, SETL_VALIDATION_ERROR, SETL_VALIDATION_ERROR_INVALID_CHECK,
                   "%s: parameter “%s”: %s is not a valid value (%s)", where, name, json, local->message);
      return FALSE;
    }
  if (g_param_value_validate (pspec, &value))
    {
      json = json_to_string (node, FALSE);
      g_set_error (error, SETL_VALIDATION_ERROR, SETL_VALIDATION_ERROR_INVALID_CHECK,
                   "%s: parameter “%s”: %s is out of range", where, name, json);
      return FALSE;
    }
  g_object_set_property (G_OBJECT (check), pspec->name, &value);
  return TRUE;
}

/**
 * setl_check_catalog_create:
 * @self: a #SetlCheckCatalog
 * @reference: a check as a schema names it
 * @error: return location for a #GError
 *
 * Builds and prepares the check @reference names: finds its class (in the
 * library the schema records, if any), sets its parameters, its
 * #SetlCheck:mostly, #SetlCheck:level and #SetlCheck:error-message, and
 * prepares it. Errors start with `FILE:LINE: column “C”: check N (“NAME”)`.
 *
 * Returns: (transfer full): the check, ready to run; %NULL with @error set:
 *   %SETL_VALIDATION_ERROR_UNKNOWN_CHECK or
 *   %SETL_VALIDATION_ERROR_INVALID_CHECK (an unknown or wrong parameter, or
 *   one that the check's preparation refuses)
 */
SetlCheck *
setl_check_catalog_create (SetlCheckCatalog  *self,
                           SetlSchemaCheck   *reference,
                           GError           **error)
{
  g_autofree char *where = NULL;
  g_autoptr(GError) local = NULL;
  g_autoptr(SetlCheck) check = NULL;
  g_autoptr(GPtrArray) params = NULL;
  g_autoptr(GList) names = NULL;
  JsonObject *parameters;
  JsonNode *primary;
  GType type;

  g_return_val_if_fail (SETL_IS_CHECK_CATALOG (self), NULL);
  g_return_val_if_fail (SETL_IS_SCHEMA_CHECK (reference), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  where = _setl_check_catalog_describe_reference (reference);
  type = setl_check_catalog_lookup_type (self, setl_schema_check_get_name (reference),
                                         setl_schema_check_get_library (reference), &local);
  if (type == G_TYPE_INVALID)
    {
      g_set_error (error, SETL_VALIDATION_ERROR, SETL_VALIDATION_ERROR_UNKNOWN_CHECK,
                   "%s: %s", where, local->message);
      return NULL;
    }
  check = g_object_new (type, NULL);
  params = check_parameters (G_OBJECT_GET_CLASS (check));

  primary = setl_schema_check_get_primary (reference);
  if (primary != NULL)
    {
      GParamSpec *pspec = NULL;

      if (params->len == 1)
        pspec = g_ptr_array_index (params, 0);
      else
        pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (check), "value");
      if (pspec == NULL)
        {
          g_autofree char *list = list_parameters (params);
          g_autofree char *first = params->len > 0
            ? g_strdelimit (g_strdup (((GParamSpec *) g_ptr_array_index (params, 0))->name), "-", '_')
            : g_strdup ("parameter");

          g_set_error (error, SETL_VALIDATION_ERROR, SETL_VALIDATION_ERROR_INVALID_CHECK,
                       "%s: this check has several parameters (%s): name them, as in "
                       "{\"%s\": {\"%s\": …}}", where, list, setl_schema_check_get_name (reference), first);
          return NULL;
        }
      if (!set_parameter (check, pspec, "value", primary, where, error))
        return NULL;
    }

  parameters = setl_schema_check_get_parameters (reference);
  names = json_object_get_members (parameters);
  for (GList *l = names; l != NULL; l = l->next)
    {
      const char *name = l->data;
      g_autofree char *property = g_strdelimit (g_strdup (name), "_", '-');
      GParamSpec *pspec = NULL;

      for (guint i = 0; i < params->len; i++)
        if (g_str_equal (((GParamSpec *) g_ptr_array_index (params, i))->name, property))
          pspec = g_ptr_array_index (params, i);
      if (pspec == NULL)
        {
          g_autofree char *list = list_parameters (params);

          g_set_error (error, SETL_VALIDATION_ERROR, SETL_VALIDATION_ERROR_INVALID_CHECK,
                       "%s: unknown parameter “%s” (the check takes: %s)", where, name, list);
          return NULL;
        }
      if (!set_parameter (check, pspec, name, json_object_get_member (parameters, name), where, error))
        return NULL;
    }

  setl_check_set_mostly (check, setl_schema_check_get_mostly (reference));
  setl_check_set_level (check, setl_schema_check_get_level (reference));
  setl_check_set_error_message (check, setl_schema_check_get_error_message (reference));

  if (!setl_check_prepare (check, &local))
    {
      g_set_error (error, SETL_VALIDATION_ERROR, SETL_VALIDATION_ERROR_INVALID_CHECK,
                   "%s: %s", where, local->message);
      return NULL;
    }
  return g_steal_pointer (&check);
}

static void
collect_checks (SetlSchema *schema,
                GPtrArray  *out)
{
  for (guint i = 0; i < setl_schema_get_n_columns (schema); i++)
    {
      GPtrArray *checks = setl_schema_column_get_checks (setl_schema_get_column (schema, i));

      for (guint j = 0; j < checks->len; j++)
        g_ptr_array_add (out, g_ptr_array_index (checks, j));
    }
  for (guint j = 0; j < setl_schema_get_checks (schema)->len; j++)
    g_ptr_array_add (out, g_ptr_array_index (setl_schema_get_checks (schema), j));
}

/**
 * setl_check_catalog_record_libraries:
 * @self: a #SetlCheckCatalog
 * @schema: a schema
 * @error: return location for a #GError
 *
 * Records in @schema's document, under `check_libraries`, the plugin and
 * version that provide each check it names, as the schema registry does
 * before saving. Checks the application added with
 * setl_check_catalog_add_type() come from no library and are not recorded.
 *
 * Returns: (transfer full): a copy of @schema with the libraries recorded;
 *   %NULL with @error set (%SETL_VALIDATION_ERROR_UNKNOWN_CHECK naming the
 *   file, line, column and check) if no loaded library provides one
 */
SetlSchema *
setl_check_catalog_record_libraries (SetlCheckCatalog  *self,
                                     SetlSchema        *schema,
                                     GError           **error)
{
  g_autoptr(GPtrArray) checks = g_ptr_array_new ();
  g_autoptr(JsonObject) libraries = json_object_new ();
  g_autoptr(JsonNode) document = NULL;
  JsonObject *root;

  g_return_val_if_fail (SETL_IS_CHECK_CATALOG (self), NULL);
  g_return_val_if_fail (SETL_IS_SCHEMA (schema), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  collect_checks (schema, checks);
  for (guint i = 0; i < checks->len; i++)
    {
      SetlSchemaCheck *reference = g_ptr_array_index (checks, i);
      const char *name = setl_schema_check_get_name (reference);
      g_autoptr(GError) local = NULL;
      SetlPluginFeature *feature;
      SetlPlugin *plugin;
      JsonObject *entry;
      gboolean own;

      if (json_object_has_member (libraries, name))
        continue;
      g_mutex_lock (&self->lock);
      own = g_hash_table_contains (self->types, name);
      g_mutex_unlock (&self->lock);
      if (own)
        continue;
      feature = setl_check_catalog_lookup (self, name, setl_schema_check_get_library (reference), &local);
      if (feature == NULL)
        {
          g_autofree char *where = _setl_check_catalog_describe_reference (reference);

          g_set_error (error, SETL_VALIDATION_ERROR, SETL_VALIDATION_ERROR_UNKNOWN_CHECK,
                       "%s: %s", where, local->message);
          return NULL;
        }
      plugin = setl_plugin_feature_get_plugin (feature);
      entry = json_object_new ();
      json_object_set_string_member (entry, "plugin", setl_plugin_get_name (plugin));
      json_object_set_string_member (entry, "version",
                                     setl_plugin_feature_get_version (feature)
                                     ? setl_plugin_feature_get_version (feature)
                                     : setl_plugin_get_version (plugin));
      json_object_set_object_member (libraries, name, entry);
    }

  /* A new top-level object: json_node_copy() would share the schema's,
   * and schemas never change. Members are shared, unmodified. */
  root = json_object_new ();
  {
    JsonObject *old = json_node_get_object (setl_schema_get_document (schema));
    g_autoptr(GList) members = json_object_get_members (old);

    for (GList *l = members; l != NULL; l = l->next)
      if (!g_str_equal (l->data, "check_libraries") || json_object_get_size (libraries) == 0)
        json_object_set_member (root, l->data, json_node_copy (json_object_get_member (old, l->data)));
  }
  if (json_object_get_size (libraries) > 0)
    json_object_set_object_member (root, "check_libraries", json_object_ref (libraries));
  document = json_node_init_object (json_node_alloc (), root);
  json_object_unref (root);
  return setl_schema_new_from_json (document, setl_schema_get_source_name (schema), error);
}

SetlSchema *
_setl_check_catalog_record_default (SetlSchema  *schema,
                                    GError     **error)
{
  return setl_check_catalog_record_libraries (setl_check_catalog_get_default (), schema, error);
}
