/* setl-pipeline-file-cache.c: caching in pipeline files.
 *
 * A pipeline file may say where results are cached, and how each factory
 * uses the cache:
 *
 * |[
 * {
 *   "setl": 1,
 *   "cache": { "policy": "disk", "dir": "${pipeline_dir}/.cache", "ttl": 86400,
 *              "max-size": "2G", "fingerprint": "stat" },
 *   "factories": {
 *     "orders": { "feature": "csv-source", "properties": { "path": "orders.csv" } },
 *     "clean":  { "feature": "sql", "code-version": "3", "cache": "recompute", … }
 *   }
 * }
 * ]|
 *
 * `"cache"` names a cache-policy feature (`memory`, `disk`); its other
 * members are the policy's properties (`ttl` in seconds, `max-size` in
 * bytes or with a K, M or G suffix, `dir` for the disk policy), except
 * `"fingerprint"`: `"stat"` (size, modification time and inode of input
 * files, the default) or `"content"` (their content hash). A factory's
 * `"cache"` is its #SetlFactory:cache-mode (default, recompute, disable,
 * ignore) and `"code-version"` its #SetlFactory:code-version.
 *
 * The members are taken off the document before it is loaded
 * (_setl_pipeline_file_cache_expand()), and applied to the pipeline once
 * it is built (_setl_pipeline_file_cache_attach()).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "setl-pipeline-file-cache-private.h"
#include "setl-pipeline-compose-private.h"

#include <string.h>

typedef struct {
  JsonNode *cache;          /* the pipeline's "cache" object, or NULL */
  GHashTable *modes;        /* factory name → SetlCacheMode, as pointer */
  GHashTable *versions;     /* factory name → code version */
} FileCache;

static void
file_cache_free (gpointer data)
{
  FileCache *fc = data;

  g_clear_pointer (&fc->cache, json_node_unref);
  g_hash_table_unref (fc->modes);
  g_hash_table_unref (fc->versions);
  g_free (fc);
}

static FileCache *
file_cache (SetlPipelineFile *self)
{
  FileCache *fc = g_object_get_data (G_OBJECT (self), "setl-pf-cache");

  if (fc == NULL)
    {
      fc = g_new0 (FileCache, 1);
      fc->modes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      fc->versions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      g_object_set_data_full (G_OBJECT (self), "setl-pf-cache", fc, file_cache_free);
    }
  return fc;
}

G_GNUC_PRINTF (5, 6) static gboolean
fail_at (SetlPipelineFile *self,
         GError          **error,
         const char       *path,
         gboolean          key,
         const char       *format,
         ...)
{
  SetlPipelinePos *p = g_hash_table_lookup (_setl_pipeline_file_get_positions (self, key), path);
  SetlPipelinePos pos = p ? *p : (SetlPipelinePos) { 1, 1, NULL };
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, SETL_PIPELINE_FILE_ERROR, SETL_PIPELINE_FILE_ERROR_INVALID, "%s:%u:%u: %s",
               pos.source ? pos.source : setl_pipeline_file_get_source_name (self),
               pos.line, pos.column, message);
  return FALSE;
}

static gboolean
is_string (JsonNode *node)
{
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING;
}

/* Takes "cache" and "code-version" off one factory entry. */
static gboolean
expand_factory (SetlPipelineFile  *self,
                FileCache         *fc,
                const char        *name,
                JsonObject        *entry,
                const char        *path,
                GError           **error)
{
  JsonNode *member;

  member = json_object_get_member (entry, "cache");
  if (member != NULL)
    {
      g_autofree char *p = g_strconcat (path, "/cache", NULL);
      SetlCacheMode mode;

      if (!is_string (member) || !setl_cache_mode_from_string (json_node_get_string (member), &mode))
        return fail_at (self, error, p, FALSE,
                        "factory “%s”: “cache” is one of \"default\", \"recompute\", "
                        "\"disable\" and \"ignore\"", name ? name : "?");
      if (name != NULL)
        g_hash_table_replace (fc->modes, g_strdup (name), GINT_TO_POINTER (mode));
      json_object_remove_member (entry, "cache");
    }
  member = json_object_get_member (entry, "code-version");
  if (member != NULL)
    {
      g_autofree char *p = g_strconcat (path, "/code-version", NULL);

      if (!is_string (member) || json_node_get_string (member)[0] == '\0')
        return fail_at (self, error, p, FALSE,
                        "factory “%s”: “code-version” is a non-empty string", name ? name : "?");
      if (name != NULL)
        g_hash_table_replace (fc->versions, g_strdup (name), g_strdup (json_node_get_string (member)));
      json_object_remove_member (entry, "code-version");
    }
  return TRUE;
}

gboolean
_setl_pipeline_file_cache_expand (SetlPipelineFile  *self,
                                  JsonNode          *root,
                                  GError           **error)
{
  JsonObject *doc;
  JsonNode *factories, *cache;
  FileCache *fc;

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return TRUE;   /* the loader says what is wrong */
  doc = json_node_get_object (root);
  fc = file_cache (self);

  cache = json_object_get_member (doc, "cache");
  if (cache != NULL)
    {
      JsonNode *policy;

      if (!JSON_NODE_HOLDS_OBJECT (cache))
        return fail_at (self, error, "/cache", FALSE,
                        "“cache” is an object such as {\"policy\": \"disk\", \"dir\": \"…\"}");
      policy = json_object_get_member (json_node_get_object (cache), "policy");
      if (policy == NULL || !is_string (policy))
        return fail_at (self, error, "/cache", FALSE,
                        "“cache” needs a \"policy\": the name of a cache-policy feature "
                        "(\"memory\", \"disk\")");
      g_clear_pointer (&fc->cache, json_node_unref);
      fc->cache = json_node_copy (cache);
      json_object_remove_member (doc, "cache");
    }

  factories = json_object_get_member (doc, "factories");
  if (factories != NULL && JSON_NODE_HOLDS_OBJECT (factories))
    {
      JsonObject *object = json_node_get_object (factories);
      g_autoptr(GList) names = json_object_get_members (object);

      for (GList *l = names; l != NULL; l = l->next)
        {
          JsonNode *entry = json_object_get_member (object, l->data);
          g_autofree char *path = g_strconcat ("/factories/", (const char *) l->data, NULL);

          if (JSON_NODE_HOLDS_OBJECT (entry) &&
              !expand_factory (self, fc, l->data, json_node_get_object (entry), path, error))
            return FALSE;
        }
    }
  else if (factories != NULL && JSON_NODE_HOLDS_ARRAY (factories))
    {
      JsonArray *array = json_node_get_array (factories);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *entry = json_array_get_element (array, i);
          g_autofree char *path = g_strdup_printf ("/factories/%u", i);
          JsonNode *name;

          if (!JSON_NODE_HOLDS_OBJECT (entry))
            continue;
          name = json_object_get_member (json_node_get_object (entry), "name");
          if (!expand_factory (self, fc, name && is_string (name) ? json_node_get_string (name) : NULL,
                               json_node_get_object (entry), path, error))
            return FALSE;
        }
    }
  return TRUE;
}

/* "2G", "512M", "100K", or a number of bytes. */
static gboolean
parse_size (const char *text,
            guint64    *size)
{
  char *end = NULL;
  guint64 n, unit = 1;

  if (!g_ascii_isdigit (*text))
    return FALSE;
  n = g_ascii_strtoull (text, &end, 10);
  switch (g_ascii_toupper (*end))
    {
    case 'K': unit = 1 << 10; end++; break;
    case 'M': unit = 1 << 20; end++; break;
    case 'G': unit = 1 << 30; end++; break;
    case 'T': unit = (guint64) 1 << 40; end++; break;
    default: break;
    }
  if (*end == 'B' || *end == 'b')
    end++;
  if (*end != '\0' || n > G_MAXUINT64 / unit)
    return FALSE;
  *size = n * unit;
  return TRUE;
}

/* "${pipeline_dir}" in a directory, and a relative one, stand for the
 * pipeline file's directory, as in properties. */
static char *
resolve_dir (SetlPipelineFile *self,
             const char       *dir)
{
  g_autofree char *base = g_path_get_dirname (setl_pipeline_file_get_source_name (self));
  g_autofree char *absolute_base = g_path_is_absolute (base) ? g_strdup (base)
                                   : g_canonicalize_filename (base, NULL);
  GString *s = g_string_new (dir);

  g_string_replace (s, "${pipeline_dir}", absolute_base, 0);
  if (!g_path_is_absolute (s->str))
    {
      char *joined = g_build_filename (absolute_base, s->str, NULL);
      g_string_assign (s, joined);
      g_free (joined);
    }
  return g_string_free (s, FALSE);
}

static SetlCachePolicy *
create_policy (SetlPipelineFile    *self,
               SetlPluginRegistry  *registry,
               JsonObject          *cache,
               SetlFingerprintFlags *flags,
               GError             **error)
{
  const char *name = json_object_get_string_member (cache, "policy");
  SetlPluginFeature *feature = setl_plugin_registry_lookup_feature (registry, name);
  g_autoptr(GObject) policy = NULL;
  g_autoptr(GList) members = NULL;
  g_autoptr(GError) local = NULL;

  if (feature == NULL || setl_plugin_feature_get_kind (feature) != SETL_FEATURE_KIND_CACHE_POLICY)
    {
      g_autoptr(GPtrArray) known = g_ptr_array_new ();
      GPtrArray *features = setl_plugin_registry_get_features (registry, SETL_FEATURE_KIND_CACHE_POLICY);
      g_autoptr(GString) message = g_string_new (NULL);

      for (guint i = 0; features && i < features->len; i++)
        g_ptr_array_add (known, (gpointer) setl_plugin_feature_get_name (g_ptr_array_index (features, i)));
      g_string_printf (message, "no installed plugin provides the cache policy “%s”", name);
      _setl_pipeline_file_append_suggestion (message, name, known, "cache policy");
      if (features != NULL)
        g_ptr_array_unref (features);
      return fail_at (self, error, "/cache/policy", FALSE, "%s", message->str), NULL;
    }
  policy = setl_plugin_feature_create (feature, &local);
  if (policy == NULL || !SETL_IS_CACHE_POLICY (policy))
    {
      fail_at (self, error, "/cache/policy", FALSE, "cache policy “%s”: %s", name,
               local ? local->message : "not a SetlCachePolicy");
      return NULL;
    }

  members = json_object_get_members (cache);
  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *option = l->data;
      JsonNode *value = json_object_get_member (cache, option);
      g_autofree char *path = g_strconcat ("/cache/", option, NULL);
      GParamSpec *pspec;
      g_auto(GValue) v = G_VALUE_INIT;

      if (strcmp (option, "policy") == 0)
        continue;
      if (strcmp (option, "fingerprint") == 0)
        {
          const char *text = is_string (value) ? json_node_get_string (value) : "";

          if (strcmp (text, "content") == 0)
            *flags = SETL_FINGERPRINT_CONTENT;
          else if (strcmp (text, "stat") == 0)
            *flags = SETL_FINGERPRINT_DEFAULT;
          else
            return fail_at (self, error, path, FALSE,
                            "“fingerprint” is \"stat\" (size, time and inode of files) "
                            "or \"content\" (their hash)"), NULL;
          continue;
        }
      pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (policy), option);
      if (pspec == NULL || !(pspec->flags & G_PARAM_WRITABLE))
        return fail_at (self, error, path, TRUE, "cache policy “%s” has no option “%s”",
                        name, option), NULL;
      if (!JSON_NODE_HOLDS_VALUE (value))
        return fail_at (self, error, path, FALSE, "cache option “%s” is a string, a number "
                        "or a boolean", option), NULL;

      g_value_init (&v, pspec->value_type);
      if (pspec->value_type == G_TYPE_UINT64 && is_string (value))
        {
          guint64 size;

          if (!parse_size (json_node_get_string (value), &size))
            return fail_at (self, error, path, FALSE, "cache option “%s”: “%s” is not a size "
                            "(bytes, or a number with K, M or G)", option,
                            json_node_get_string (value)), NULL;
          g_value_set_uint64 (&v, size);
        }
      else if (pspec->value_type == G_TYPE_STRING && is_string (value) &&
               (strcmp (option, "dir") == 0 || strcmp (option, "directory") == 0))
        g_value_take_string (&v, resolve_dir (self, json_node_get_string (value)));
      else
        {
          g_auto(GValue) from = G_VALUE_INIT;

          json_node_get_value (value, &from);
          if (G_VALUE_HOLDS_INT64 (&from) && g_value_get_int64 (&from) < 0 &&
              (pspec->value_type == G_TYPE_UINT64 || pspec->value_type == G_TYPE_UINT))
            return fail_at (self, error, path, FALSE, "cache option “%s” cannot be negative",
                            option), NULL;
          if (!g_value_type_transformable (G_VALUE_TYPE (&from), pspec->value_type) ||
              !g_value_transform (&from, &v) || g_param_value_validate (pspec, &v))
            return fail_at (self, error, path, FALSE, "cache option “%s” is a %s",
                            option, g_type_name (pspec->value_type)), NULL;
        }
      g_object_set_property (policy, option, &v);
    }
  return SETL_CACHE_POLICY (g_steal_pointer (&policy));
}

gboolean
_setl_pipeline_file_cache_attach (SetlPipelineFile   *self,
                                  SetlPluginRegistry *registry,
                                  SetlPipeline       *pipeline,
                                  GHashTable         *built,
                                  GError            **error)
{
  FileCache *fc = g_object_get_data (G_OBJECT (self), "setl-pf-cache");
  GHashTableIter iter;
  gpointer name, value;

  if (fc == NULL)
    return TRUE;

  g_hash_table_iter_init (&iter, fc->modes);
  while (g_hash_table_iter_next (&iter, &name, &value))
    {
      SetlFactory *factory = g_hash_table_lookup (built, name);
      if (factory != NULL)
        setl_factory_set_cache_mode (factory, GPOINTER_TO_INT (value));
    }
  g_hash_table_iter_init (&iter, fc->versions);
  while (g_hash_table_iter_next (&iter, &name, &value))
    {
      SetlFactory *factory = g_hash_table_lookup (built, name);
      if (factory != NULL)
        setl_factory_set_code_version (factory, value);
    }

  if (fc->cache != NULL)
    {
      SetlFingerprintFlags flags = SETL_FINGERPRINT_DEFAULT;
      g_autoptr(SetlCachePolicy) policy =
        create_policy (self, registry, json_node_get_object (fc->cache), &flags, error);

      if (policy == NULL)
        return FALSE;
      setl_pipeline_set_cache_policy (pipeline, policy);
      setl_pipeline_set_fingerprint_flags (pipeline, flags);
    }
  return TRUE;
}
