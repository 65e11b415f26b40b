/* setl-plugin.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/**
 * SetlPlugin:
 *
 * A plugin: a shared module that exports a #SetlPluginDesc made by
 * SETL_PLUGIN_DEFINE() and registers features in its init function.
 *
 * The registry (#SetlPluginRegistry) knows plugins mostly from its cache:
 * such a #SetlPlugin carries the descriptor and the features but its module
 * is not open. setl_plugin_load() opens it — with GModule, symbols bound
 * locally, made resident since it registers #GTypes — checks the descriptor
 * again and runs the init function; the features' types then resolve.
 *
 * A plugin the registry refused keeps the reason: setl_plugin_get_error().
 *
 * A plugin may ship schema documents (setl_plugin_add_schema()). They are
 * recorded with its features in the registry cache, and registered in the
 * versioned schema registry (#SetlSchemaRegistry, at its default path) when
 * the plugin is loaded because one of its features is used.
 *
 * setl_plugin_load_file() opens one plugin file directly, outside any
 * registry; the scanner helper and `setl-plugin-check` use it.
 */

#include "setl-plugin-private.h"
#include "setl-schema-registry.h"
#include "setl-cache-private.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

struct _SetlPlugin
{
  GObject parent_instance;

  char *filename;
  gint64 size;
  gint64 mtime_ns;

  guint abi_major;
  guint abi_minor;
  char *name;
  char *version;
  char *description;
  char *license;
  char *origin;

  GPtrArray *features;   /* SetlPluginFeature, in registration order */
  GPtrArray *schemas;    /* JsonNode: the schema documents it ships */
  GError *error;         /* why the plugin was refused, or NULL */

  GModule *module;
  gboolean loading;      /* its init function is running */
};

G_DEFINE_FINAL_TYPE (SetlPlugin, setl_plugin, G_TYPE_OBJECT)

/* One module at a time: init functions register types, and two threads
 * asking for features of the same plugin must not run its init twice. */
static GRecMutex load_lock;

static void
setl_plugin_finalize (GObject *object)
{
  SetlPlugin *self = SETL_PLUGIN (object);

  for (guint i = 0; i < self->features->len; i++)
    _setl_plugin_feature_set_plugin (g_ptr_array_index (self->features, i), NULL);
  g_ptr_array_unref (self->features);
  g_ptr_array_unref (self->schemas);
  g_free (self->filename);
  g_free (self->name);
  g_free (self->version);
  g_free (self->description);
  g_free (self->license);
  g_free (self->origin);
  g_clear_error (&self->error);
  /* The module stays resident: its types cannot be unregistered. */

  G_OBJECT_CLASS (setl_plugin_parent_class)->finalize (object);
}

static void
setl_plugin_class_init (SetlPluginClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = setl_plugin_finalize;
}

static void
setl_plugin_init (SetlPlugin *self)
{
  self->features = g_ptr_array_new_with_free_func (g_object_unref);
  self->schemas = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
}

SetlPlugin *
_setl_plugin_new_for_file (const char *filename)
{
  SetlPlugin *self = g_object_new (SETL_TYPE_PLUGIN, NULL);

  self->filename = g_strdup (filename);
  return self;
}

void
_setl_plugin_set_descriptor (SetlPlugin *self,
                             guint       abi_major,
                             guint       abi_minor,
                             const char *name,
                             const char *version,
                             const char *description,
                             const char *license,
                             const char *origin)
{
  self->abi_major = abi_major;
  self->abi_minor = abi_minor;
  g_free (self->name);
  self->name = g_strdup (name);
  g_free (self->version);
  self->version = g_strdup (version);
  g_free (self->description);
  self->description = g_strdup (description);
  g_free (self->license);
  self->license = g_strdup (license);
  g_free (self->origin);
  self->origin = g_strdup (origin);
}

void
_setl_plugin_take_feature (SetlPlugin        *self,
                           SetlPluginFeature *feature)
{
  _setl_plugin_feature_set_plugin (feature, self);
  g_ptr_array_add (self->features, feature);
}

void
_setl_plugin_take_schema (SetlPlugin *self,
                          JsonNode   *document)
{
  g_ptr_array_add (self->schemas, document);
}

void
_setl_plugin_take_error (SetlPlugin *self,
                         GError     *error)
{
  g_clear_error (&self->error);
  self->error = error;
}

void
_setl_plugin_set_file_stamp (SetlPlugin *self,
                             gint64      size,
                             gint64      mtime_ns)
{
  self->size = size;
  self->mtime_ns = mtime_ns;
}

void
_setl_plugin_get_file_stamp (SetlPlugin *self,
                             gint64     *size,
                             gint64     *mtime_ns)
{
  *size = self->size;
  *mtime_ns = self->mtime_ns;
}

gboolean
_setl_plugin_stat_file (const char *filename,
                        gint64     *size,
                        gint64     *mtime_ns)
{
  struct stat st;

  if (stat (filename, &st) != 0 || !S_ISREG (st.st_mode))
    return FALSE;
  *size = st.st_size;
  *mtime_ns = (gint64) st.st_mtim.tv_sec * G_GINT64_CONSTANT (1000000000) + st.st_mtim.tv_nsec;
  return TRUE;
}

/* Is @filename an ELF file? Tells "not a plugin at all" apart from "a
 * shared object that cannot be opened" (a missing library or symbol). */
static gboolean
looks_like_shared_object (const char *filename)
{
  char magic[4];
  FILE *f = fopen (filename, "rb");
  gboolean ok;

  if (f == NULL)
    return FALSE;
  ok = fread (magic, 1, 4, f) == 4 && memcmp (magic, "\177ELF", 4) == 0;
  fclose (f);
  return ok;
}

static gboolean
check_descriptor (const char            *filename,
                  const SetlPluginDesc  *desc,
                  GError               **error)
{
  if (desc->abi_major != SETL_ABI_MAJOR || desc->abi_minor > SETL_ABI_MINOR)
    {
      g_set_error (error, SETL_PLUGIN_ERROR, SETL_PLUGIN_ERROR_ABI_MISMATCH,
                   "Plugin file %s was built for plugin ABI %u.%u, but this "
                   "libsetl provides ABI %d.%d (the major must be equal and "
                   "the minor not newer)",
                   filename, desc->abi_major, desc->abi_minor,
                   SETL_ABI_MAJOR, SETL_ABI_MINOR);
      return FALSE;
    }
  if (desc->name == NULL || desc->name[0] == '\0' ||
      desc->version == NULL || desc->init == NULL)
    {
      g_set_error (error, SETL_PLUGIN_ERROR, SETL_PLUGIN_ERROR_INVALID_DESCRIPTOR,
                   "Plugin file %s has a descriptor without %s",
                   filename,
                   desc->name == NULL || desc->name[0] == '\0' ? "a name" :
                   desc->version == NULL ? "a version" : "an init function");
      return FALSE;
    }
  return TRUE;
}

/* Opens the module and returns its descriptor; nothing of the plugin runs. */
static const SetlPluginDesc *
open_module (const char  *filename,
             GModule    **module_out,
             GError     **error)
{
  GModule *module;
  gpointer symbol = NULL;
  const SetlPluginDesc *desc;

  if (!g_file_test (filename, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, SETL_PLUGIN_ERROR, SETL_PLUGIN_ERROR_NOT_FOUND,
                   "Plugin file %s does not exist", filename);
      return NULL;
    }
  if (!looks_like_shared_object (filename))
    {
      g_set_error (error, SETL_PLUGIN_ERROR, SETL_PLUGIN_ERROR_NOT_A_PLUGIN,
                   "Plugin file %s is not a shared object", filename);
      return NULL;
    }

  /* Locally bound, so that plugins cannot interpose each other's symbols;
   * not lazy, so that a missing symbol is found now rather than crashing
   * later in the middle of a pipeline. */
  module = g_module_open (filename, G_MODULE_BIND_LOCAL);
  if (module == NULL)
    {
      g_set_error (error, SETL_PLUGIN_ERROR, SETL_PLUGIN_ERROR_MISSING_DEPENDENCY,
                   "Plugin file %s cannot be opened (a library or symbol it "
                   "needs is missing): %s", filename, g_module_error ());
      return NULL;
    }

  if (!g_module_symbol (module, SETL_PLUGIN_DESC_SYMBOL, &symbol) || symbol == NULL)
    {
      g_set_error (error, SETL_PLUGIN_ERROR, SETL_PLUGIN_ERROR_NO_DESCRIPTOR,
                   "Plugin file %s exports no “" SETL_PLUGIN_DESC_SYMBOL "” "
                   "descriptor (is SETL_PLUGIN_DEFINE missing?)", filename);
      g_module_close (module);
      return NULL;
    }
  desc = symbol;

  if (!check_descriptor (filename, desc, error))
    {
      g_module_close (module);
      return NULL;
    }

  *module_out = module;
  return desc;
}

static gboolean
run_init (SetlPlugin            *self,
          const SetlPluginDesc  *desc,
          GError               **error)
{
  g_autoptr(GError) local_error = NULL;
  gboolean ok;

  self->loading = TRUE;
  ok = desc->init (self, &local_error);
  self->loading = FALSE;

  if (!ok)
    {
      g_set_error (error, SETL_PLUGIN_ERROR, SETL_PLUGIN_ERROR_INIT_FAILED,
                   "Plugin “%s” (%s) failed to initialise: %s",
                   desc->name, self->filename,
                   local_error ? local_error->message : "its init function returned FALSE");
      return FALSE;
    }
  return TRUE;
}

/**
 * setl_plugin_load_file:
 * @filename: the path of a plugin module
 * @error: return location for a #GError
 *
 * Opens the plugin module at @filename, checks its descriptor and runs its
 * init function, outside any registry. The module stays resident.
 *
 * Loading the same plugin file twice in one process fails the second time
 * with %SETL_PLUGIN_ERROR_INIT_FAILED if its types are already registered;
 * applications should go through #SetlPluginRegistry instead.
 *
 * Returns: (transfer full): the loaded plugin, or %NULL with @error set in
 *   the %SETL_PLUGIN_ERROR domain
 */
SetlPlugin *
setl_plugin_load_file (const char  *filename,
                       GError     **error)
{
  g_autoptr(SetlPlugin) self = NULL;
  GModule *module = NULL;
  const SetlPluginDesc *desc;

  g_return_val_if_fail (filename != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  g_rec_mutex_lock (&load_lock);
  desc = open_module (filename, &module, error);
  if (desc == NULL)
    {
      g_rec_mutex_unlock (&load_lock);
      return NULL;
    }

  self = _setl_plugin_new_for_file (filename);
  _setl_plugin_stat_file (filename, &self->size, &self->mtime_ns);
  _setl_plugin_set_descriptor (self, desc->abi_major, desc->abi_minor, desc->name,
                               desc->version, desc->description, desc->license,
                               desc->origin);
  g_module_make_resident (module);
  self->module = module;

  if (!run_init (self, desc, error))
    {
      g_rec_mutex_unlock (&load_lock);
      return NULL;
    }
  g_rec_mutex_unlock (&load_lock);
  return g_steal_pointer (&self);
}

/* Registers the schemas the plugin ships in the default schema registry.
 * Registering a document equal to a registered version is a no-op there,
 * so this is harmless in every process that uses the plugin. A schema that
 * cannot be registered (incompatible with the versions already there, an
 * unwritable directory) does not make the plugin unusable: it is reported
 * as a warning naming the plugin and the schema. */
static void
register_schemas (SetlPlugin *self)
{
  g_autoptr(SetlSchemaRegistry) registry = NULL;

  if (self->schemas->len == 0)
    return;

  registry = setl_schema_registry_new (NULL);
  for (guint i = 0; i < self->schemas->len; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *source = g_strdup_printf ("schema %u of plugin “%s” (%s)",
                                                 i + 1, self->name, self->filename);
      g_autoptr(SetlSchema) schema =
        setl_schema_new_from_json (g_ptr_array_index (self->schemas, i), source, &error);
      g_autoptr(SetlSchema) stored = NULL;

      if (schema != NULL)
        stored = setl_schema_registry_register (registry, schema, &error);
      if (stored == NULL)
        g_warning ("Plugin “%s” (%s): cannot register its schema in %s: %s",
                   self->name, self->filename,
                   setl_schema_registry_get_path (registry), error->message);
    }
}

/**
 * setl_plugin_load:
 * @self: a #SetlPlugin
 * @error: return location for a #GError
 *
 * Opens the plugin's module and runs its init function, unless that was
 * done already. A plugin the registry refused fails with the reason it was
 * refused.
 *
 * Returns: %TRUE if the plugin is loaded
 */
gboolean
setl_plugin_load (SetlPlugin  *self,
                  GError     **error)
{
  const SetlPluginDesc *desc;
  GModule *module = NULL;
  gboolean ok = FALSE;

  g_return_val_if_fail (SETL_IS_PLUGIN (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->error != NULL)
    {
      g_propagate_error (error, g_error_copy (self->error));
      return FALSE;
    }

  g_rec_mutex_lock (&load_lock);
  if (self->module != NULL)
    {
      g_rec_mutex_unlock (&load_lock);
      return TRUE;
    }

  desc = open_module (self->filename, &module, error);
  if (desc == NULL)
    goto out;

  if (g_strcmp0 (desc->name, self->name) != 0)
    {
      g_set_error (error, SETL_PLUGIN_ERROR, SETL_PLUGIN_ERROR_CHANGED,
                   "Plugin file %s now holds plugin “%s”, not “%s”: it "
                   "changed since it was scanned",
                   self->filename, desc->name, self->name);
      g_module_close (module);
      goto out;
    }

  g_module_make_resident (module);
  self->module = module;
  /* The init function adds the schemas again: what the module ships now
   * wins over what was cached. */
  g_ptr_array_set_size (self->schemas, 0);
  {
    GError *init_error = NULL;

    ok = run_init (self, desc, &init_error);
    if (!ok)
      {
        /* The init ran and failed: do not run it again on the next use. */
        _setl_plugin_take_error (self, g_error_copy (init_error));
        g_propagate_error (error, init_error);
      }
  }
  if (ok)
    register_schemas (self);

out:
  g_rec_mutex_unlock (&load_lock);
  return ok;
}

/**
 * setl_plugin_add_feature:
 * @self: the plugin whose init function is running
 * @name: the feature's name, unique among all plugins
 * @kind: what the feature is
 * @type: the feature's type: a #SetlFactory subclass for sources, sinks
 *   and transforms, a #SetlCheck subclass for check libraries, a #GObject
 *   class otherwise; not abstract
 * @rank: the feature's rank, e.g. %SETL_RANK_PRIMARY
 * @version: (nullable): the feature's version, %NULL for the plugin's
 * @description: (nullable): what the feature does, in one sentence
 * @error: return location for a #GError
 *
 * Registers a feature. Call it from the plugin's init function only. The
 * type's #GObject properties become the feature's configuration: their
 * type, default, range and blurb are recorded in the registry cache.
 *
 * Returns: %TRUE on success; %FALSE with @error set
 *   (%SETL_PLUGIN_ERROR_INVALID_FEATURE or
 *   %SETL_PLUGIN_ERROR_NAME_CONFLICT) otherwise
 */
gboolean
setl_plugin_add_feature (SetlPlugin       *self,
                         const char       *name,
                         SetlFeatureKind   kind,
                         GType             type,
                         guint             rank,
                         const char       *version,
                         const char       *description,
                         GError          **error)
{
  SetlPluginFeature *feature;

  g_return_val_if_fail (SETL_IS_PLUGIN (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if ((guint) kind > SETL_FEATURE_KIND_CHECK_LIBRARY)
    {
      g_set_error (error, SETL_PLUGIN_ERROR, SETL_PLUGIN_ERROR_INVALID_FEATURE,
                   "Plugin “%s” (%s): feature “%s” has an unknown kind %d",
                   self->name, self->filename, name, kind);
      return FALSE;
    }
  if (setl_feature_kind_is_factory (kind)
      ? !g_type_is_a (type, SETL_TYPE_FACTORY)
      : !g_type_is_a (type, G_TYPE_OBJECT))
    {
      g_set_error (error, SETL_PLUGIN_ERROR, SETL_PLUGIN_ERROR_INVALID_FEATURE,
                   "Plugin “%s” (%s): feature “%s” is a %s but its type %s "
                   "is not a %s", self->name, self->filename, name,
                   setl_feature_kind_to_string (kind),
                   type ? g_type_name (type) : "(invalid)",
                   setl_feature_kind_is_factory (kind) ? "SetlFactory" : "GObject");
      return FALSE;
    }
  /* A check library's checks are run by validation through SetlCheck. */
  if (kind == SETL_FEATURE_KIND_CHECK_LIBRARY && !g_type_is_a (type, SETL_TYPE_CHECK))
    {
      g_set_error (error, SETL_PLUGIN_ERROR, SETL_PLUGIN_ERROR_INVALID_FEATURE,
                   "Plugin “%s” (%s): feature “%s” is a check-library but its type %s "
                   "is not a SetlCheck", self->name, self->filename, name, g_type_name (type));
      return FALSE;
    }
  if (G_TYPE_IS_ABSTRACT (type))
    {
      g_set_error (error, SETL_PLUGIN_ERROR, SETL_PLUGIN_ERROR_INVALID_FEATURE,
                   "Plugin “%s” (%s): feature “%s” has an abstract type %s",
                   self->name, self->filename, name, g_type_name (type));
      return FALSE;
    }
  /* Cache keys name the plugin a factory type comes from, and its version. */
  _setl_cache_note_type_origin (type, self->name, self->version, version ? version : self->version);

  /* Loading a plugin known from the cache: fill in the cached feature. */
  feature = setl_plugin_get_feature (self, name);
  if (feature != NULL)
    {
      if (!self->loading || setl_plugin_feature_is_loaded (feature))
        {
          g_set_error (error, SETL_PLUGIN_ERROR, SETL_PLUGIN_ERROR_NAME_CONFLICT,
                       "Plugin “%s” (%s) registers feature “%s” twice",
                       self->name, self->filename, name);
          return FALSE;
        }
      _setl_plugin_feature_set_type (feature, type);
      return TRUE;
    }

  {
    GObjectClass *klass = g_type_class_ref (type);
    g_autofree GParamSpec **pspecs = NULL;
    guint n_pspecs = 0;

    feature = _setl_plugin_feature_new (self, name, kind, g_type_name (type), rank,
                                        version ? version : self->version,
                                        description);
    _setl_plugin_feature_set_type (feature, type);
    pspecs = g_object_class_list_properties (klass, &n_pspecs);
    for (guint i = 0; i < n_pspecs; i++)
      {
        g_autoptr(SetlPropertyInfo) info = setl_property_info_new_from_pspec (pspecs[i]);
        _setl_plugin_feature_add_property (feature, info);
      }
    g_type_class_unref (klass);
    _setl_plugin_take_feature (self, feature);
  }
  return TRUE;
}

/**
 * setl_plugin_add_schema:
 * @self: the plugin whose init function is running
 * @document: a schema document, as JSON text (see the schema registry's
 *   documentation for its members)
 * @error: return location for a #GError
 *
 * Ships a schema with the plugin. Call it from the plugin's init function
 * only, once per schema document; to ship a document kept in a #GResource,
 * pass the resource's bytes as text.
 *
 * The document is checked now, so that a malformed one fails the plugin's
 * init (and the registry refuses the plugin) when it is scanned. It is
 * recorded in the registry cache with the plugin's features, and
 * registered in the versioned schema registry (at its default path, see
 * #SetlSchemaRegistry:path) when the plugin is loaded because one of its
 * features is first used — not when it is scanned. A document equal to a
 * registered version is not registered twice.
 *
 * Returns: %TRUE on success; %FALSE with @error set (in the
 *   %SETL_SCHEMA_ERROR domain, the message naming the plugin) otherwise
 */
gboolean
setl_plugin_add_schema (SetlPlugin  *self,
                        const char  *document,
                        GError     **error)
{
  g_autoptr(SetlSchema) schema = NULL;
  g_autofree char *source = NULL;

  g_return_val_if_fail (SETL_IS_PLUGIN (self), FALSE);
  g_return_val_if_fail (document != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  source = g_strdup_printf ("schema %u of plugin “%s” (%s)",
                            self->schemas->len + 1, self->name, self->filename);
  schema = setl_schema_new_from_data (document, -1, source, error);
  if (schema == NULL)
    return FALSE;
  g_ptr_array_add (self->schemas, json_node_copy (setl_schema_get_document (schema)));
  return TRUE;
}

/**
 * setl_plugin_get_schemas:
 * @self: a #SetlPlugin
 *
 * The schema documents the plugin ships (see setl_plugin_add_schema()),
 * known from the registry cache before the plugin is loaded.
 *
 * Returns: (transfer none) (element-type Json.Node): the documents, in the
 *   order the plugin added them
 */
GPtrArray *
setl_plugin_get_schemas (SetlPlugin *self)
{
  g_return_val_if_fail (SETL_IS_PLUGIN (self), NULL);
  return self->schemas;
}

/**
 * setl_plugin_get_name:
 * @self: a #SetlPlugin
 *
 * Returns: (nullable): the plugin's name (%NULL for a file refused before
 *   its descriptor could be read)
 */
const char *
setl_plugin_get_name (SetlPlugin *self)
{
  g_return_val_if_fail (SETL_IS_PLUGIN (self), NULL);
  return self->name;
}

/**
 * setl_plugin_get_version:
 * @self: a #SetlPlugin
 *
 * Returns: (nullable): the plugin's version
 */
const char *
setl_plugin_get_version (SetlPlugin *self)
{
  g_return_val_if_fail (SETL_IS_PLUGIN (self), NULL);
  return self->version;
}

/**
 * setl_plugin_get_description:
 * @self: a #SetlPlugin
 *
 * Returns: (nullable): what the plugin provides
 */
const char *
setl_plugin_get_description (SetlPlugin *self)
{
  g_return_val_if_fail (SETL_IS_PLUGIN (self), NULL);
  return self->description;
}

/**
 * setl_plugin_get_license:
 * @self: a #SetlPlugin
 *
 * Returns: (nullable): the plugin's license
 */
const char *
setl_plugin_get_license (SetlPlugin *self)
{
  g_return_val_if_fail (SETL_IS_PLUGIN (self), NULL);
  return self->license;
}

/**
 * setl_plugin_get_origin:
 * @self: a #SetlPlugin
 *
 * Returns: (nullable): where the plugin comes from
 */
const char *
setl_plugin_get_origin (SetlPlugin *self)
{
  g_return_val_if_fail (SETL_IS_PLUGIN (self), NULL);
  return self->origin;
}

/**
 * setl_plugin_get_filename:
 * @self: a #SetlPlugin
 *
 * Returns: the path of the plugin's module
 */
const char *
setl_plugin_get_filename (SetlPlugin *self)
{
  g_return_val_if_fail (SETL_IS_PLUGIN (self), NULL);
  return self->filename;
}

/**
 * setl_plugin_get_abi_major:
 * @self: a #SetlPlugin
 *
 * Returns: the ABI major the plugin was built against
 */
guint
setl_plugin_get_abi_major (SetlPlugin *self)
{
  g_return_val_if_fail (SETL_IS_PLUGIN (self), 0);
  return self->abi_major;
}

/**
 * setl_plugin_get_abi_minor:
 * @self: a #SetlPlugin
 *
 * Returns: the ABI minor the plugin was built against
 */
guint
setl_plugin_get_abi_minor (SetlPlugin *self)
{
  g_return_val_if_fail (SETL_IS_PLUGIN (self), 0);
  return self->abi_minor;
}

/**
 * setl_plugin_get_error:
 * @self: a #SetlPlugin
 *
 * Returns: (nullable) (transfer none): why the plugin was refused, or %NULL
 *   if it was not
 */
const GError *
setl_plugin_get_error (SetlPlugin *self)
{
  g_return_val_if_fail (SETL_IS_PLUGIN (self), NULL);
  return self->error;
}

/**
 * setl_plugin_is_loaded:
 * @self: a #SetlPlugin
 *
 * Returns: %TRUE if the plugin's module is open in this process
 */
gboolean
setl_plugin_is_loaded (SetlPlugin *self)
{
  g_return_val_if_fail (SETL_IS_PLUGIN (self), FALSE);
  return self->module != NULL;
}

/**
 * setl_plugin_get_features:
 * @self: a #SetlPlugin
 *
 * Returns: (transfer none) (element-type SetlPluginFeature): the plugin's
 *   features, in the order it registered them
 */
GPtrArray *
setl_plugin_get_features (SetlPlugin *self)
{
  g_return_val_if_fail (SETL_IS_PLUGIN (self), NULL);
  return self->features;
}

/**
 * setl_plugin_get_feature:
 * @self: a #SetlPlugin
 * @name: a feature name
 *
 * Returns: (transfer none) (nullable): the plugin's feature called @name
 */
SetlPluginFeature *
setl_plugin_get_feature (SetlPlugin *self,
                         const char *name)
{
  g_return_val_if_fail (SETL_IS_PLUGIN (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  for (guint i = 0; i < self->features->len; i++)
    {
      SetlPluginFeature *f = g_ptr_array_index (self->features, i);
      if (g_str_equal (setl_plugin_feature_get_name (f), name))
        return f;
    }
  return NULL;
}
