/* setl-plugin-cache.c: plugins in the registry cache's binary form.
 *
 * The cache is read at every start-up, so it is a serialised GVariant, read
 * in place from a mapped file: no parsing, and nothing is copied but the
 * strings the plugin objects keep. (The scanner's output, read once per
 * scanned file, stays JSON: see setl-plugin-json.c.)
 *
 * The file is a 24-byte header — SETL_REGISTRY_MAGIC, the format version
 * as a little-endian guint32, 4 reserved bytes, a 64-bit checksum of the
 * rest — and a GVariant of type _setl_registry_variant_type in the host's
 * byte order:
 *
 *   (s libsetl version, a plugin, as conflicts already reported)
 *
 * A file whose checksum (which covers the variant's type too) does not
 * match is refused as damaged before any of
 * it is read, so a truncated or scribbled-on file is never half trusted.
 * (g_variant_is_normal_form() would catch less and cost more than the rest
 * of start-up together.) With the checksum good, the variant is read as
 * trusted data: see read_cache() in setl-plugin-registry.c.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "setl-plugin-private.h"

/* ms: a string or nothing, for the nullable fields. */
#define PROPERTY_TYPE "(sssmsmsxmsmsmsmas)"
#define FEATURE_TYPE  "(sssumsmsa" PROPERTY_TYPE ")"
/* filename, size, mtime, name, error code nick ("" when accepted), error
 * message, version, ABI major and minor, description, license, origin,
 * features, schema documents as JSON text. */
#define PLUGIN_TYPE   "(sxxmsssmsuumsmsmsa" FEATURE_TYPE "as)"

const char *const _setl_registry_variant_type = "(sa" PLUGIN_TYPE "as)";

/* FNV-1a, 64 bits, of the variant's type string then the data: enough to
 * tell a damaged file, or one laid out for another type, from a good one
 * (not meant against forgery: the cache is the user's own file), and about
 * a third of a millisecond for a cache of 100 plugins. */
guint64
_setl_registry_checksum (const char   *variant_type,
                         const guint8 *data,
                         gsize         length)
{
  guint64 hash = G_GUINT64_CONSTANT (0xcbf29ce484222325);

  for (const char *t = variant_type; *t; t++)
    {
      hash ^= (guint8) *t;
      hash *= G_GUINT64_CONSTANT (0x100000001b3);
    }
  for (gsize i = 0; i < length; i++)
    {
      hash ^= data[i];
      hash *= G_GUINT64_CONSTANT (0x100000001b3);
    }
  return hash;
}

static const char *
or_empty (const char *s)
{
  return s ? s : "";
}

static GVariant *
property_to_variant (SetlPropertyInfo *info)
{
  const char * const *values = setl_property_info_get_values (info);

  return g_variant_new ("(sssmsmsxmsmsms@mas)",
                        setl_property_info_get_name (info),
                        setl_property_info_get_value_type (info),
                        or_empty (setl_property_info_get_owner_type (info)),
                        setl_property_info_get_nick (info),
                        setl_property_info_get_blurb (info),
                        (gint64) setl_property_info_get_flags (info),
                        setl_property_info_get_default (info),
                        setl_property_info_get_minimum (info),
                        setl_property_info_get_maximum (info),
                        g_variant_new_maybe (G_VARIANT_TYPE_STRING_ARRAY,
                                             values ? g_variant_new_strv (values, -1) : NULL));
}

static GVariant *
feature_to_variant (SetlPluginFeature *feature)
{
  GPtrArray *props = setl_plugin_feature_get_properties (feature);
  GVariantBuilder b;

  g_variant_builder_init (&b, G_VARIANT_TYPE ("a" PROPERTY_TYPE));
  for (guint i = 0; i < props->len; i++)
    g_variant_builder_add_value (&b, property_to_variant (g_ptr_array_index (props, i)));
  return g_variant_new ("(sssumsmsa" PROPERTY_TYPE ")",
                        setl_plugin_feature_get_name (feature),
                        setl_feature_kind_to_string (setl_plugin_feature_get_kind (feature)),
                        setl_plugin_feature_get_type_name (feature),
                        setl_plugin_feature_get_rank (feature),
                        setl_plugin_feature_get_version (feature),
                        setl_plugin_feature_get_description (feature),
                        &b);
}

GVariant *
_setl_plugin_to_variant (SetlPlugin *self)
{
  const GError *error = setl_plugin_get_error (self);
  GPtrArray *features = setl_plugin_get_features (self);
  GPtrArray *schemas = setl_plugin_get_schemas (self);
  GVariantBuilder fb, sb;
  gint64 size, mtime;

  _setl_plugin_get_file_stamp (self, &size, &mtime);
  g_variant_builder_init (&fb, G_VARIANT_TYPE ("a" FEATURE_TYPE));
  g_variant_builder_init (&sb, G_VARIANT_TYPE_STRING_ARRAY);
  if (error == NULL)
    {
      g_autoptr(JsonGenerator) gen = json_generator_new ();

      for (guint i = 0; i < features->len; i++)
        g_variant_builder_add_value (&fb, feature_to_variant (g_ptr_array_index (features, i)));
      for (guint i = 0; i < schemas->len; i++)
        {
          g_autofree char *text = NULL;

          json_generator_set_root (gen, g_ptr_array_index (schemas, i));
          text = json_generator_to_data (gen, NULL);
          g_variant_builder_add (&sb, "s", text);
        }
    }

  return g_variant_new (PLUGIN_TYPE,
                        setl_plugin_get_filename (self), size, mtime,
                        setl_plugin_get_name (self),
                        error ? (error->domain == SETL_PLUGIN_ERROR
                                 ? _setl_plugin_error_code_to_nick (error->code) : "scanner") : "",
                        error ? error->message : "",
                        setl_plugin_get_version (self),
                        setl_plugin_get_abi_major (self),
                        setl_plugin_get_abi_minor (self),
                        setl_plugin_get_description (self),
                        setl_plugin_get_license (self),
                        setl_plugin_get_origin (self),
                        &fb, &sb);
}

/* Readers of one member of a tuple. g_variant_get() with a format string
 * is much slower here: it scans the format and checks the value's form
 * again for every call, and a cache holds thousands of properties. The
 * strings point into the cache's mapping, which the caller keeps alive. */
static const char *
member_string (GVariant *tuple,
               gsize     index)
{
  g_autoptr(GVariant) child = g_variant_get_child_value (tuple, index);

  return g_variant_get_string (child, NULL);
}

static const char *
member_maybe_string (GVariant *tuple,
                     gsize     index)
{
  g_autoptr(GVariant) child = g_variant_get_child_value (tuple, index);
  g_autoptr(GVariant) inner = g_variant_get_maybe (child);

  return inner ? g_variant_get_string (inner, NULL) : NULL;
}

static gint64
member_int64 (GVariant *tuple,
              gsize     index)
{
  g_autoptr(GVariant) child = g_variant_get_child_value (tuple, index);

  return g_variant_get_int64 (child);
}

static guint32
member_uint32 (GVariant *tuple,
               gsize     index)
{
  g_autoptr(GVariant) child = g_variant_get_child_value (tuple, index);

  return g_variant_get_uint32 (child);
}

static SetlPropertyInfo *
property_from_variant (GVariant *v)
{
  g_autoptr(GVariant) values = g_variant_get_child_value (v, 9);
  g_autoptr(GVariant) inner = g_variant_get_maybe (values);
  g_autofree const char **strv = inner ? g_variant_get_strv (inner, NULL) : NULL;
  const char *owner = member_string (v, 2);

  return _setl_property_info_new (member_string (v, 0), member_string (v, 1),
                                  owner[0] ? owner : NULL,
                                  member_maybe_string (v, 3), member_maybe_string (v, 4),
                                  (GParamFlags) member_int64 (v, 5),
                                  member_maybe_string (v, 6), member_maybe_string (v, 7),
                                  member_maybe_string (v, 8),
                                  (const char * const *) strv);
}

static SetlPluginFeature *
feature_from_variant (SetlPlugin  *plugin,
                      GVariant    *v,
                      GError     **error)
{
  const char *name = member_string (v, 0);
  const char *kind_nick = member_string (v, 1);
  g_autoptr(GVariant) props = g_variant_get_child_value (v, 6);
  g_autoptr(SetlPluginFeature) feature = NULL;
  SetlFeatureKind kind;
  gsize n;

  if (!setl_feature_kind_from_string (kind_nick, &kind))
    {
      g_set_error (error, SETL_PLUGIN_ERROR, SETL_PLUGIN_ERROR_SCANNER,
                   "feature “%s” has an unknown kind “%s”", name, kind_nick);
      return NULL;
    }
  feature = _setl_plugin_feature_new (plugin, name, kind, member_string (v, 2),
                                      member_uint32 (v, 3), member_maybe_string (v, 4),
                                      member_maybe_string (v, 5));
  n = g_variant_n_children (props);
  for (gsize i = 0; i < n; i++)
    {
      g_autoptr(GVariant) prop = g_variant_get_child_value (props, i);
      SetlPropertyInfo *info = property_from_variant (prop);

      _setl_plugin_feature_add_property (feature, info);
      setl_property_info_unref (info);
    }
  return g_steal_pointer (&feature);
}

SetlPlugin *
_setl_plugin_from_variant (GVariant  *v,
                           GError   **error)
{
  const char *filename = member_string (v, 0);
  const char *name = member_maybe_string (v, 3);
  const char *code_nick = member_string (v, 4);
  const char *version = member_maybe_string (v, 6);
  g_autoptr(GVariant) features = NULL;
  g_autoptr(GVariant) schemas = NULL;
  g_autoptr(SetlPlugin) plugin = NULL;
  gsize n;

  plugin = _setl_plugin_new_for_file (filename);
  _setl_plugin_set_file_stamp (plugin, member_int64 (v, 1), member_int64 (v, 2));

  if (code_nick[0] != '\0')
    {
      int code = _setl_plugin_error_code_from_nick (code_nick);

      if (code < 0)
        {
          g_set_error (error, SETL_PLUGIN_ERROR, SETL_PLUGIN_ERROR_SCANNER,
                       "unknown error code “%s” for %s", code_nick, filename);
          return NULL;
        }
      _setl_plugin_set_descriptor (plugin, 0, 0, name, NULL, NULL, NULL, NULL);
      _setl_plugin_take_error (plugin, g_error_new_literal (SETL_PLUGIN_ERROR, code,
                                                            member_string (v, 5)));
      return g_steal_pointer (&plugin);
    }

  if (name == NULL || version == NULL)
    {
      g_set_error (error, SETL_PLUGIN_ERROR, SETL_PLUGIN_ERROR_SCANNER,
                   "plugin %s has no name or no version", filename);
      return NULL;
    }
  _setl_plugin_set_descriptor (plugin, member_uint32 (v, 7), member_uint32 (v, 8), name,
                               version, member_maybe_string (v, 9),
                               member_maybe_string (v, 10), member_maybe_string (v, 11));

  features = g_variant_get_child_value (v, 12);
  n = g_variant_n_children (features);
  for (gsize i = 0; i < n; i++)
    {
      g_autoptr(GVariant) f = g_variant_get_child_value (features, i);
      SetlPluginFeature *feature = feature_from_variant (plugin, f, error);

      if (feature == NULL)
        {
          g_prefix_error (error, "plugin %s: ", filename);
          return NULL;
        }
      _setl_plugin_take_feature (plugin, feature);
    }

  schemas = g_variant_get_child_value (v, 13);
  n = g_variant_n_children (schemas);
  for (gsize i = 0; i < n; i++)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();

      if (!json_parser_load_from_data (parser, member_string (schemas, i), -1, error))
        {
          g_prefix_error (error, "plugin %s: a schema: ", filename);
          return NULL;
        }
      if (!JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
        {
          g_set_error (error, SETL_PLUGIN_ERROR, SETL_PLUGIN_ERROR_SCANNER,
                       "plugin %s: a schema is not an object", filename);
          return NULL;
        }
      _setl_plugin_take_schema (plugin, json_node_copy (json_parser_get_root (parser)));
    }
  return g_steal_pointer (&plugin);
}
