/* setl-plugin-feature.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/**
 * SetlPluginFeature:
 *
 * Something a plugin provides: a factory (source, sink or transform), a
 * backend adapter, a cache policy or a check library. A plugin's init
 * function registers its features with setl_plugin_add_feature(); the
 * registry remembers them — name, kind, rank, version, description, type
 * name and the type's #GObject properties — in its cache, so a feature can
 * be listed and described without opening its module.
 *
 * The module is opened the first time the feature's type is needed:
 * setl_plugin_feature_load_type() or setl_plugin_feature_create().
 *
 * |[<!-- language="C" -->
 * SetlPluginFeature *feature =
 *   setl_plugin_registry_lookup_feature (setl_plugin_registry_get_default (),
 *                                        "csv-source");
 * g_autoptr(GObject) source = setl_plugin_feature_create (feature, &error);
 * ]|
 */

#include "setl-plugin-private.h"

struct _SetlPluginFeature
{
  GObject parent_instance;

  SetlPlugin *plugin;   /* not owned: the plugin owns its features */
  char *name;
  SetlFeatureKind kind;
  char *type_name;
  guint rank;
  char *version;
  char *description;
  GType type;           /* G_TYPE_INVALID until the module is loaded */
  GPtrArray *properties;
};

G_DEFINE_FINAL_TYPE (SetlPluginFeature, setl_plugin_feature, G_TYPE_OBJECT)

static void
setl_plugin_feature_finalize (GObject *object)
{
  SetlPluginFeature *self = SETL_PLUGIN_FEATURE (object);

  g_free (self->name);
  g_free (self->type_name);
  g_free (self->version);
  g_free (self->description);
  g_ptr_array_unref (self->properties);

  G_OBJECT_CLASS (setl_plugin_feature_parent_class)->finalize (object);
}

static void
setl_plugin_feature_class_init (SetlPluginFeatureClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = setl_plugin_feature_finalize;
}

static void
setl_plugin_feature_init (SetlPluginFeature *self)
{
  self->properties = g_ptr_array_new_with_free_func ((GDestroyNotify) setl_property_info_unref);
}

static const char *kind_nicks[] = {
  [SETL_FEATURE_KIND_SOURCE] = "source",
  [SETL_FEATURE_KIND_SINK] = "sink",
  [SETL_FEATURE_KIND_TRANSFORM] = "transform",
  [SETL_FEATURE_KIND_BACKEND] = "backend",
  [SETL_FEATURE_KIND_CACHE_POLICY] = "cache-policy",
  [SETL_FEATURE_KIND_CHECK_LIBRARY] = "check-library",
};

/**
 * setl_feature_kind_to_string:
 * @kind: a #SetlFeatureKind
 *
 * Returns: the kind's nick, e.g. `source` or `cache-policy`
 */
const char *
setl_feature_kind_to_string (SetlFeatureKind kind)
{
  g_return_val_if_fail ((guint) kind < G_N_ELEMENTS (kind_nicks), NULL);
  return kind_nicks[kind];
}

/**
 * setl_feature_kind_from_string:
 * @nick: a kind's nick
 * @kind: (out): where to store the kind
 *
 * Returns: %TRUE if @nick names a kind
 */
gboolean
setl_feature_kind_from_string (const char      *nick,
                               SetlFeatureKind *kind)
{
  for (guint i = 0; i < G_N_ELEMENTS (kind_nicks); i++)
    if (g_strcmp0 (nick, kind_nicks[i]) == 0)
      {
        *kind = i;
        return TRUE;
      }
  return FALSE;
}

/**
 * setl_feature_kind_is_factory:
 * @kind: a #SetlFeatureKind
 *
 * Returns: %TRUE for the kinds whose type is a #SetlFactory (sources, sinks
 *   and transforms)
 */
gboolean
setl_feature_kind_is_factory (SetlFeatureKind kind)
{
  return kind == SETL_FEATURE_KIND_SOURCE || kind == SETL_FEATURE_KIND_SINK ||
         kind == SETL_FEATURE_KIND_TRANSFORM;
}

SetlPluginFeature *
_setl_plugin_feature_new (SetlPlugin      *plugin,
                          const char      *name,
                          SetlFeatureKind  kind,
                          const char      *type_name,
                          guint            rank,
                          const char      *version,
                          const char      *description)
{
  SetlPluginFeature *self = g_object_new (SETL_TYPE_PLUGIN_FEATURE, NULL);

  self->plugin = plugin;
  self->name = g_strdup (name);
  self->kind = kind;
  self->type_name = g_strdup (type_name);
  self->rank = rank;
  self->version = g_strdup (version);
  self->description = g_strdup (description);
  return self;
}

void
_setl_plugin_feature_set_type (SetlPluginFeature *self,
                               GType              type)
{
  self->type = type;
}

void
_setl_plugin_feature_set_plugin (SetlPluginFeature *self,
                                 SetlPlugin        *plugin)
{
  self->plugin = plugin;
}

void
_setl_plugin_feature_add_property (SetlPluginFeature *self,
                                   SetlPropertyInfo  *info)
{
  g_ptr_array_add (self->properties, setl_property_info_ref (info));
}

/**
 * setl_plugin_feature_get_name:
 * @self: a #SetlPluginFeature
 *
 * Returns: the feature's name, unique among all plugins
 */
const char *
setl_plugin_feature_get_name (SetlPluginFeature *self)
{
  g_return_val_if_fail (SETL_IS_PLUGIN_FEATURE (self), NULL);
  return self->name;
}

/**
 * setl_plugin_feature_get_kind:
 * @self: a #SetlPluginFeature
 *
 * Returns: what the feature is
 */
SetlFeatureKind
setl_plugin_feature_get_kind (SetlPluginFeature *self)
{
  g_return_val_if_fail (SETL_IS_PLUGIN_FEATURE (self), 0);
  return self->kind;
}

/**
 * setl_plugin_feature_get_rank:
 * @self: a #SetlPluginFeature
 *
 * Returns: the feature's rank (%SETL_RANK_PRIMARY, …): the higher, the more
 *   it is preferred among features of the same kind
 */
guint
setl_plugin_feature_get_rank (SetlPluginFeature *self)
{
  g_return_val_if_fail (SETL_IS_PLUGIN_FEATURE (self), 0);
  return self->rank;
}

/**
 * setl_plugin_feature_get_version:
 * @self: a #SetlPluginFeature
 *
 * Returns: the feature's version (the plugin's unless the plugin gave one)
 */
const char *
setl_plugin_feature_get_version (SetlPluginFeature *self)
{
  g_return_val_if_fail (SETL_IS_PLUGIN_FEATURE (self), NULL);
  return self->version;
}

/**
 * setl_plugin_feature_get_description:
 * @self: a #SetlPluginFeature
 *
 * Returns: (nullable): what the feature does
 */
const char *
setl_plugin_feature_get_description (SetlPluginFeature *self)
{
  g_return_val_if_fail (SETL_IS_PLUGIN_FEATURE (self), NULL);
  return self->description;
}

/**
 * setl_plugin_feature_get_type_name:
 * @self: a #SetlPluginFeature
 *
 * Returns: the name of the feature's #GType (known without loading it)
 */
const char *
setl_plugin_feature_get_type_name (SetlPluginFeature *self)
{
  g_return_val_if_fail (SETL_IS_PLUGIN_FEATURE (self), NULL);
  return self->type_name;
}

/**
 * setl_plugin_feature_get_plugin:
 * @self: a #SetlPluginFeature
 *
 * Returns: (transfer none) (nullable): the plugin that provides the feature
 */
SetlPlugin *
setl_plugin_feature_get_plugin (SetlPluginFeature *self)
{
  g_return_val_if_fail (SETL_IS_PLUGIN_FEATURE (self), NULL);
  return self->plugin;
}

/**
 * setl_plugin_feature_get_properties:
 * @self: a #SetlPluginFeature
 *
 * The #GObject properties of the feature's type, its ancestors' included,
 * as they were when the plugin was scanned.
 *
 * Returns: (transfer none) (element-type SetlPropertyInfo): the properties
 */
GPtrArray *
setl_plugin_feature_get_properties (SetlPluginFeature *self)
{
  g_return_val_if_fail (SETL_IS_PLUGIN_FEATURE (self), NULL);
  return self->properties;
}

/**
 * setl_plugin_feature_find_property:
 * @self: a #SetlPluginFeature
 * @name: a property name
 *
 * Returns: (transfer none) (nullable): the property called @name
 */
SetlPropertyInfo *
setl_plugin_feature_find_property (SetlPluginFeature *self,
                                   const char        *name)
{
  g_return_val_if_fail (SETL_IS_PLUGIN_FEATURE (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  for (guint i = 0; i < self->properties->len; i++)
    {
      SetlPropertyInfo *info = g_ptr_array_index (self->properties, i);
      if (g_str_equal (setl_property_info_get_name (info), name))
        return info;
    }
  return NULL;
}

/**
 * setl_plugin_feature_is_loaded:
 * @self: a #SetlPluginFeature
 *
 * Returns: %TRUE once the feature's module is open and its type registered
 */
gboolean
setl_plugin_feature_is_loaded (SetlPluginFeature *self)
{
  g_return_val_if_fail (SETL_IS_PLUGIN_FEATURE (self), FALSE);
  return self->type != G_TYPE_INVALID;
}

/**
 * setl_plugin_feature_load_type:
 * @self: a #SetlPluginFeature
 * @error: return location for a #GError
 *
 * Returns the feature's #GType, opening the plugin's module (and running
 * its init function) if that has not happened yet in this process.
 *
 * Returns: the type, or %G_TYPE_INVALID with @error set
 */
GType
setl_plugin_feature_load_type (SetlPluginFeature  *self,
                               GError            **error)
{
  g_return_val_if_fail (SETL_IS_PLUGIN_FEATURE (self), G_TYPE_INVALID);
  g_return_val_if_fail (error == NULL || *error == NULL, G_TYPE_INVALID);

  if (self->type != G_TYPE_INVALID)
    return self->type;

  if (self->plugin == NULL)
    {
      g_set_error (error, SETL_PLUGIN_ERROR, SETL_PLUGIN_ERROR_NOT_FOUND,
                   "Feature “%s” belongs to no plugin", self->name);
      return G_TYPE_INVALID;
    }

  if (!setl_plugin_load (self->plugin, error))
    return G_TYPE_INVALID;

  if (self->type == G_TYPE_INVALID)
    {
      g_set_error (error, SETL_PLUGIN_ERROR, SETL_PLUGIN_ERROR_CHANGED,
                   "Plugin file %s no longer registers feature “%s”; "
                   "it changed since it was scanned",
                   setl_plugin_get_filename (self->plugin), self->name);
      return G_TYPE_INVALID;
    }
  return self->type;
}

/**
 * setl_plugin_feature_create:
 * @self: a #SetlPluginFeature
 * @error: return location for a #GError
 *
 * Makes a new instance of the feature's type with default properties,
 * loading the plugin first if needed. For the factory kinds the result is a
 * #SetlFactory.
 *
 * Returns: (transfer full) (nullable): the new object, or %NULL with @error
 *   set
 */
GObject *
setl_plugin_feature_create (SetlPluginFeature  *self,
                            GError            **error)
{
  GType type;

  g_return_val_if_fail (SETL_IS_PLUGIN_FEATURE (self), NULL);

  type = setl_plugin_feature_load_type (self, error);
  if (type == G_TYPE_INVALID)
    return NULL;
  return g_object_new (type, NULL);
}
