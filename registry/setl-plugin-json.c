/* setl-plugin-json.c: plugins as JSON, the form shared by the scanner
 * helper's output and the registry cache.
 *
 * Reading is strict: a member of the wrong type or missing where it is
 * required fails the whole document, so that a damaged cache is rebuilt
 * rather than half trusted.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "setl-plugin-private.h"

const char *
_setl_plugin_error_code_to_nick (int code)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (SETL_TYPE_PLUGIN_ERROR);
  GEnumValue *v = g_enum_get_value (klass, code);

  return v ? v->value_nick : "scanner";
}

int
_setl_plugin_error_code_from_nick (const char *nick)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (SETL_TYPE_PLUGIN_ERROR);
  GEnumValue *v = nick ? g_enum_get_value_by_nick (klass, nick) : NULL;

  return v ? v->value : -1;
}

static void
add_string (JsonBuilder *b,
            const char  *name,
            const char  *value)
{
  json_builder_set_member_name (b, name);
  if (value)
    json_builder_add_string_value (b, value);
  else
    json_builder_add_null_value (b);
}

static void
add_int (JsonBuilder *b,
         const char  *name,
         gint64       value)
{
  json_builder_set_member_name (b, name);
  json_builder_add_int_value (b, value);
}

static void
add_property (JsonBuilder      *b,
              SetlPropertyInfo *info)
{
  const char * const *values = setl_property_info_get_values (info);

  json_builder_begin_object (b);
  add_string (b, "name", setl_property_info_get_name (info));
  add_string (b, "type", setl_property_info_get_value_type (info));
  add_string (b, "owner", setl_property_info_get_owner_type (info));
  add_string (b, "nick", setl_property_info_get_nick (info));
  add_string (b, "blurb", setl_property_info_get_blurb (info));
  add_int (b, "flags", setl_property_info_get_flags (info));
  add_string (b, "default", setl_property_info_get_default (info));
  add_string (b, "minimum", setl_property_info_get_minimum (info));
  add_string (b, "maximum", setl_property_info_get_maximum (info));
  json_builder_set_member_name (b, "values");
  if (values)
    {
      json_builder_begin_array (b);
      for (guint i = 0; values[i]; i++)
        json_builder_add_string_value (b, values[i]);
      json_builder_end_array (b);
    }
  else
    json_builder_add_null_value (b);
  json_builder_end_object (b);
}

static void
add_feature (JsonBuilder       *b,
             SetlPluginFeature *feature)
{
  GPtrArray *props = setl_plugin_feature_get_properties (feature);

  json_builder_begin_object (b);
  add_string (b, "name", setl_plugin_feature_get_name (feature));
  add_string (b, "kind", setl_feature_kind_to_string (setl_plugin_feature_get_kind (feature)));
  add_string (b, "type", setl_plugin_feature_get_type_name (feature));
  add_int (b, "rank", setl_plugin_feature_get_rank (feature));
  add_string (b, "version", setl_plugin_feature_get_version (feature));
  add_string (b, "description", setl_plugin_feature_get_description (feature));
  json_builder_set_member_name (b, "properties");
  json_builder_begin_array (b);
  for (guint i = 0; i < props->len; i++)
    add_property (b, g_ptr_array_index (props, i));
  json_builder_end_array (b);
  json_builder_end_object (b);
}

JsonNode *
_setl_plugin_to_json (SetlPlugin *self)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  const GError *error = setl_plugin_get_error (self);
  gint64 size, mtime;

  _setl_plugin_get_file_stamp (self, &size, &mtime);

  json_builder_begin_object (b);
  add_string (b, "filename", setl_plugin_get_filename (self));
  add_int (b, "size", size);
  add_int (b, "mtime", mtime);
  add_string (b, "name", setl_plugin_get_name (self));
  if (error)
    {
      json_builder_set_member_name (b, "error");
      json_builder_begin_object (b);
      add_string (b, "code", error->domain == SETL_PLUGIN_ERROR
                             ? _setl_plugin_error_code_to_nick (error->code) : "scanner");
      add_string (b, "message", error->message);
      json_builder_end_object (b);
    }
  else
    {
      GPtrArray *features = setl_plugin_get_features (self);

      add_string (b, "version", setl_plugin_get_version (self));
      add_int (b, "abi-major", setl_plugin_get_abi_major (self));
      add_int (b, "abi-minor", setl_plugin_get_abi_minor (self));
      add_string (b, "description", setl_plugin_get_description (self));
      add_string (b, "license", setl_plugin_get_license (self));
      add_string (b, "origin", setl_plugin_get_origin (self));
      json_builder_set_member_name (b, "features");
      json_builder_begin_array (b);
      for (guint i = 0; i < features->len; i++)
        add_feature (b, g_ptr_array_index (features, i));
      json_builder_end_array (b);
      /* Whole documents: the schema registry stores them as they are. */
      json_builder_set_member_name (b, "schemas");
      json_builder_begin_array (b);
      for (guint i = 0; i < setl_plugin_get_schemas (self)->len; i++)
        json_builder_add_value (b, json_node_copy (g_ptr_array_index (setl_plugin_get_schemas (self), i)));
      json_builder_end_array (b);
    }
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

/* Strict accessors: they fail on a missing member or one of the wrong
 * type; "nullable" ones accept JSON null. */

static gboolean
get_member (JsonObject  *o,
            const char  *name,
            JsonNodeType type,
            gboolean     nullable,
            JsonNode   **out,
            GError     **error)
{
  JsonNode *node = json_object_get_member (o, name);

  if (node != NULL && nullable && JSON_NODE_HOLDS_NULL (node))
    {
      *out = NULL;
      return TRUE;
    }
  if (node == NULL || json_node_get_node_type (node) != type)
    {
      g_set_error (error, SETL_PLUGIN_ERROR, SETL_PLUGIN_ERROR_SCANNER,
                   "member “%s” is missing or of the wrong type", name);
      return FALSE;
    }
  *out = node;
  return TRUE;
}

static gboolean
get_string (JsonObject  *o,
            const char  *name,
            gboolean     nullable,
            const char **out,
            GError     **error)
{
  JsonNode *node;

  if (!get_member (o, name, JSON_NODE_VALUE, nullable, &node, error))
    return FALSE;
  if (node == NULL)
    {
      *out = NULL;
      return TRUE;
    }
  if (json_node_get_value_type (node) != G_TYPE_STRING)
    {
      g_set_error (error, SETL_PLUGIN_ERROR, SETL_PLUGIN_ERROR_SCANNER,
                   "member “%s” is not a string", name);
      return FALSE;
    }
  *out = json_node_get_string (node);
  return TRUE;
}

static gboolean
get_int (JsonObject  *o,
         const char  *name,
         gint64      *out,
         GError     **error)
{
  JsonNode *node;

  if (!get_member (o, name, JSON_NODE_VALUE, FALSE, &node, error))
    return FALSE;
  if (json_node_get_value_type (node) != G_TYPE_INT64)
    {
      g_set_error (error, SETL_PLUGIN_ERROR, SETL_PLUGIN_ERROR_SCANNER,
                   "member “%s” is not an integer", name);
      return FALSE;
    }
  *out = json_node_get_int (node);
  return TRUE;
}

static gboolean
get_array (JsonObject  *o,
           const char  *name,
           gboolean     nullable,
           JsonArray  **out,
           GError     **error)
{
  JsonNode *node;

  if (!get_member (o, name, JSON_NODE_ARRAY, nullable, &node, error))
    return FALSE;
  *out = node ? json_node_get_array (node) : NULL;
  return TRUE;
}

static SetlPropertyInfo *
property_from_json (JsonNode  *node,
                    GError   **error)
{
  JsonObject *o;
  const char *name, *type, *owner, *nick, *blurb, *def, *min, *max;
  gint64 flags;
  JsonArray *values_array;
  g_autoptr(GStrvBuilder) values = NULL;
  g_auto(GStrv) values_v = NULL;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, SETL_PLUGIN_ERROR, SETL_PLUGIN_ERROR_SCANNER,
                   "a property is not an object");
      return NULL;
    }
  o = json_node_get_object (node);
  if (!get_string (o, "name", FALSE, &name, error) ||
      !get_string (o, "type", FALSE, &type, error) ||
      !get_string (o, "owner", FALSE, &owner, error) ||
      !get_string (o, "nick", TRUE, &nick, error) ||
      !get_string (o, "blurb", TRUE, &blurb, error) ||
      !get_int (o, "flags", &flags, error) ||
      !get_string (o, "default", TRUE, &def, error) ||
      !get_string (o, "minimum", TRUE, &min, error) ||
      !get_string (o, "maximum", TRUE, &max, error) ||
      !get_array (o, "values", TRUE, &values_array, error))
    return NULL;

  if (values_array)
    {
      values = g_strv_builder_new ();
      for (guint i = 0; i < json_array_get_length (values_array); i++)
        {
          JsonNode *v = json_array_get_element (values_array, i);
          if (!JSON_NODE_HOLDS_VALUE (v) || json_node_get_value_type (v) != G_TYPE_STRING)
            {
              g_set_error (error, SETL_PLUGIN_ERROR, SETL_PLUGIN_ERROR_SCANNER,
                           "property “%s” has a value that is not a string", name);
              return NULL;
            }
          g_strv_builder_add (values, json_node_get_string (v));
        }
      values_v = g_strv_builder_end (values);
    }

  return _setl_property_info_new (name, type, owner, nick, blurb, flags, def, min, max,
                                  (const char * const *) values_v);
}

static SetlPluginFeature *
feature_from_json (SetlPlugin *plugin,
                   JsonNode   *node,
                   GError    **error)
{
  JsonObject *o;
  const char *name, *kind_nick, *type, *version, *description;
  gint64 rank;
  JsonArray *props;
  SetlFeatureKind kind;
  g_autoptr(SetlPluginFeature) feature = NULL;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, SETL_PLUGIN_ERROR, SETL_PLUGIN_ERROR_SCANNER,
                   "a feature is not an object");
      return NULL;
    }
  o = json_node_get_object (node);
  if (!get_string (o, "name", FALSE, &name, error) ||
      !get_string (o, "kind", FALSE, &kind_nick, error) ||
      !get_string (o, "type", FALSE, &type, error) ||
      !get_int (o, "rank", &rank, error) ||
      !get_string (o, "version", TRUE, &version, error) ||
      !get_string (o, "description", TRUE, &description, error) ||
      !get_array (o, "properties", FALSE, &props, error))
    return NULL;
  if (!setl_feature_kind_from_string (kind_nick, &kind))
    {
      g_set_error (error, SETL_PLUGIN_ERROR, SETL_PLUGIN_ERROR_SCANNER,
                   "feature “%s” has an unknown kind “%s”", name, kind_nick);
      return NULL;
    }
  if (rank < 0 || rank > G_MAXUINT)
    {
      g_set_error (error, SETL_PLUGIN_ERROR, SETL_PLUGIN_ERROR_SCANNER,
                   "feature “%s” has an invalid rank", name);
      return NULL;
    }

  feature = _setl_plugin_feature_new (plugin, name, kind, type, rank, version, description);
  for (guint i = 0; i < json_array_get_length (props); i++)
    {
      g_autoptr(SetlPropertyInfo) info =
        property_from_json (json_array_get_element (props, i), error);
      if (info == NULL)
        return NULL;
      _setl_plugin_feature_add_property (feature, info);
    }
  return g_steal_pointer (&feature);
}

SetlPlugin *
_setl_plugin_from_json (JsonNode  *node,
                        GError   **error)
{
  JsonObject *o;
  JsonNode *error_node;
  const char *filename, *name;
  gint64 size, mtime;
  g_autoptr(SetlPlugin) plugin = NULL;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, SETL_PLUGIN_ERROR, SETL_PLUGIN_ERROR_SCANNER,
                   "a plugin entry is not an object");
      return NULL;
    }
  o = json_node_get_object (node);
  if (!get_string (o, "filename", FALSE, &filename, error) ||
      !get_int (o, "size", &size, error) ||
      !get_int (o, "mtime", &mtime, error) ||
      !get_string (o, "name", TRUE, &name, error))
    return NULL;

  plugin = _setl_plugin_new_for_file (filename);
  _setl_plugin_set_file_stamp (plugin, size, mtime);

  error_node = json_object_get_member (o, "error");
  if (error_node != NULL)
    {
      const char *code_nick, *message;
      int code;

      if (!JSON_NODE_HOLDS_OBJECT (error_node) ||
          !get_string (json_node_get_object (error_node), "code", FALSE, &code_nick, error) ||
          !get_string (json_node_get_object (error_node), "message", FALSE, &message, error))
        {
          g_prefix_error (error, "error of %s: ", filename);
          return NULL;
        }
      code = _setl_plugin_error_code_from_nick (code_nick);
      if (code < 0)
        {
          g_set_error (error, SETL_PLUGIN_ERROR, SETL_PLUGIN_ERROR_SCANNER,
                       "unknown error code “%s” for %s", code_nick, filename);
          return NULL;
        }
      _setl_plugin_set_descriptor (plugin, 0, 0, name, NULL, NULL, NULL, NULL);
      _setl_plugin_take_error (plugin, g_error_new_literal (SETL_PLUGIN_ERROR, code, message));
    }
  else
    {
      const char *version, *description, *license, *origin;
      gint64 abi_major, abi_minor;
      JsonArray *features, *schemas;

      if (name == NULL)
        {
          g_set_error (error, SETL_PLUGIN_ERROR, SETL_PLUGIN_ERROR_SCANNER,
                       "plugin %s has no name", filename);
          return NULL;
        }
      if (!get_string (o, "version", FALSE, &version, error) ||
          !get_int (o, "abi-major", &abi_major, error) ||
          !get_int (o, "abi-minor", &abi_minor, error) ||
          !get_string (o, "description", TRUE, &description, error) ||
          !get_string (o, "license", TRUE, &license, error) ||
          !get_string (o, "origin", TRUE, &origin, error) ||
          !get_array (o, "features", FALSE, &features, error) ||
          !get_array (o, "schemas", FALSE, &schemas, error))
        {
          g_prefix_error (error, "plugin %s: ", filename);
          return NULL;
        }
      _setl_plugin_set_descriptor (plugin, abi_major, abi_minor, name, version,
                                   description, license, origin);
      for (guint i = 0; i < json_array_get_length (features); i++)
        {
          SetlPluginFeature *f = feature_from_json (plugin, json_array_get_element (features, i), error);
          if (f == NULL)
            {
              g_prefix_error (error, "plugin %s: ", filename);
              return NULL;
            }
          _setl_plugin_take_feature (plugin, f);
        }
      for (guint i = 0; i < json_array_get_length (schemas); i++)
        {
          JsonNode *document = json_array_get_element (schemas, i);

          if (!JSON_NODE_HOLDS_OBJECT (document))
            {
              g_set_error (error, SETL_PLUGIN_ERROR, SETL_PLUGIN_ERROR_SCANNER,
                           "plugin %s: schema %u is not an object", filename, i + 1);
              return NULL;
            }
          _setl_plugin_take_schema (plugin, json_node_copy (document));
        }
    }
  return g_steal_pointer (&plugin);
}
