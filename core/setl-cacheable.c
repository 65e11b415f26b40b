/* setl-cacheable.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/**
 * SetlCacheable:
 *
 * Implemented by factories that read or write data outside the pipeline,
 * so that a cached result is not reused once that data changed. A CSV
 * source adds its file's fingerprint to its key:
 *
 * |[<!-- language="C" -->
 * static gboolean
 * my_source_add_fingerprint (SetlCacheable *cacheable, SetlCacheKey *key,
 *                            SetlFingerprintFlags flags,
 *                            GCancellable *cancellable, GError **error)
 * {
 *   MySource *self = MY_SOURCE (cacheable);
 *   return setl_cache_key_add_file (key, "input:path", self->path, flags,
 *                                   cancellable, error);
 * }
 * ]|
 *
 * Which properties count in a key: every readable property a factory
 * class adds, except those flagged %SETL_PARAM_NOT_IN_CACHE_KEY (or
 * excluded with setl_factory_class_exclude_from_cache_key()); of
 * #SetlFactory's own, `writable` and `code-version`.
 */
#include "setl-cacheable.h"
#include "setl-private.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <sys/stat.h>
#include <xxhash.h>

G_DEFINE_INTERFACE (SetlCacheable, setl_cacheable, G_TYPE_OBJECT)

static void
setl_cacheable_default_init (SetlCacheableInterface *iface)
{
}

/**
 * setl_cacheable_add_fingerprint:
 * @self: a #SetlCacheable
 * @key: the key being built
 * @flags: how precise to be
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Adds the fingerprint of the external data @self reads to @key.
 *
 * Returns: %TRUE on success, %FALSE with @error set when the data cannot
 *   be reached
 */
gboolean
setl_cacheable_add_fingerprint (SetlCacheable         *self,
                                SetlCacheKey          *key,
                                SetlFingerprintFlags   flags,
                                GCancellable          *cancellable,
                                GError               **error)
{
  SetlCacheableInterface *iface;

  g_return_val_if_fail (SETL_IS_CACHEABLE (self), FALSE);
  g_return_val_if_fail (SETL_IS_CACHE_KEY (key), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  iface = SETL_CACHEABLE_GET_IFACE (self);
  if (iface->add_fingerprint == NULL)
    return TRUE;
  return iface->add_fingerprint (self, key, flags, cancellable, error);
}

/**
 * setl_cacheable_output_fingerprint:
 * @self: a #SetlCacheable
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the fingerprint of what @self wrote
 *   outside the pipeline, or %NULL when it writes nothing there, when that
 *   is gone, or on error (with @error set)
 */
char *
setl_cacheable_output_fingerprint (SetlCacheable  *self,
                                   GError        **error)
{
  SetlCacheableInterface *iface;

  g_return_val_if_fail (SETL_IS_CACHEABLE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  iface = SETL_CACHEABLE_GET_IFACE (self);
  if (iface->output_fingerprint == NULL)
    return NULL;
  return iface->output_fingerprint (self, error);
}

/**
 * setl_cache_file_fingerprint:
 * @path: a file name
 *
 * Describes a file cheaply: its size, modification time (in nanoseconds),
 * inode and device. A rewritten file changes it even when its size stays
 * the same; a file replaced by rename changes inode.
 *
 * Returns: (transfer full) (nullable): the fingerprint, or %NULL when the
 *   file does not exist
 */
char *
setl_cache_file_fingerprint (const char *path)
{
  struct stat st;

  g_return_val_if_fail (path != NULL, NULL);

  if (stat (path, &st) != 0)
    return NULL;
  return g_strdup_printf ("size=%" G_GINT64_FORMAT " mtime=%" G_GINT64_FORMAT ".%09ld"
                          " inode=%" G_GUINT64_FORMAT " dev=%" G_GUINT64_FORMAT,
                          (gint64) st.st_size, (gint64) st.st_mtim.tv_sec,
                          (long) st.st_mtim.tv_nsec, (guint64) st.st_ino,
                          (guint64) st.st_dev);
}

static char *
hash_file (const char    *path,
           GCancellable  *cancellable,
           GError       **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInputStream) in = g_file_read (file, cancellable, error);
  g_autofree guint8 *buffer = NULL;
  XXH3_state_t *state;
  XXH128_hash_t hash;
  gssize n;

  if (in == NULL)
    return NULL;
  buffer = g_malloc (1 << 20);
  state = XXH3_createState ();
  XXH3_128bits_reset (state);
  while ((n = g_input_stream_read (G_INPUT_STREAM (in), buffer, 1 << 20, cancellable, error)) > 0)
    XXH3_128bits_update (state, buffer, (gsize) n);
  hash = XXH3_128bits_digest (state);
  XXH3_freeState (state);
  if (n < 0)
    return NULL;
  return g_strdup_printf ("xxh3-128=%016" G_GINT64_MODIFIER "x%016" G_GINT64_MODIFIER "x",
                          (guint64) hash.high64, (guint64) hash.low64);
}

/**
 * setl_cache_key_add_file:
 * @key: the key being built
 * @name: the ingredient's name, e.g. `input:path`
 * @path: the file read
 * @flags: %SETL_FINGERPRINT_CONTENT to hash the file's content rather than
 *   describe it by setl_cache_file_fingerprint()
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Adds an ingredient @name whose value names @path and fingerprints it.
 *
 * Returns: %TRUE on success; %FALSE with @error set (a #GIOError naming
 *   the file) when the file cannot be read
 */
gboolean
setl_cache_key_add_file (SetlCacheKey          *key,
                         const char            *name,
                         const char            *path,
                         SetlFingerprintFlags   flags,
                         GCancellable          *cancellable,
                         GError               **error)
{
  g_autofree char *fingerprint = NULL;

  g_return_val_if_fail (SETL_IS_CACHE_KEY (key), FALSE);
  g_return_val_if_fail (name != NULL && path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (flags & SETL_FINGERPRINT_CONTENT)
    {
      g_autoptr(GError) local_error = NULL;

      fingerprint = hash_file (path, cancellable, &local_error);
      if (fingerprint == NULL)
        {
          g_set_error (error, local_error->domain, local_error->code,
                       "Cannot fingerprint “%s”: %s", path, local_error->message);
          return FALSE;
        }
    }
  else
    {
      fingerprint = setl_cache_file_fingerprint (path);
      if (fingerprint == NULL)
        {
          int saved_errno = errno;
          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                       "Cannot fingerprint “%s”: %s", path, g_strerror (saved_errno));
          return FALSE;
        }
    }
  setl_cache_key_add_printf (key, name, "%s %s", path, fingerprint);
  return TRUE;
}

static GQuark
not_in_key_quark (void)
{
  /* Asked for every property of every key: g_quark_from_static_string()
   * takes a global lock each time. */
  static GQuark quark;

  if (G_UNLIKELY (quark == 0))
    quark = g_quark_from_static_string ("setl-not-in-cache-key");
  return quark;
}

/**
 * setl_factory_class_exclude_from_cache_key:
 * @klass: a factory class (from its class_init)
 * @property_name: one of its properties
 *
 * Leaves a property out of the cache key, as %SETL_PARAM_NOT_IN_CACHE_KEY
 * does, for a property whose #GParamSpec was made without that flag.
 */
void
setl_factory_class_exclude_from_cache_key (GObjectClass *klass,
                                           const char   *property_name)
{
  GParamSpec *pspec;

  g_return_if_fail (G_IS_OBJECT_CLASS (klass));
  g_return_if_fail (property_name != NULL);

  pspec = g_object_class_find_property (klass, property_name);
  if (pspec == NULL)
    {
      g_critical ("%s has no property “%s” to leave out of its cache key",
                  G_OBJECT_CLASS_NAME (klass), property_name);
      return;
    }
  g_param_spec_set_qdata (pspec, not_in_key_quark (), GINT_TO_POINTER (1));
}

/**
 * setl_cache_property_in_key:
 * @pspec: a factory's property
 *
 * Returns: whether the property's value is part of the factory's cache key
 */
gboolean
setl_cache_property_in_key (GParamSpec *pspec)
{
  g_return_val_if_fail (G_IS_PARAM_SPEC (pspec), FALSE);

  if (!(pspec->flags & G_PARAM_READABLE))
    return FALSE;
  if (pspec->flags & SETL_PARAM_NOT_IN_CACHE_KEY)
    return FALSE;
  if (g_param_spec_get_qdata (pspec, not_in_key_quark ()) != NULL)
    return FALSE;
  /* SetlFactory's own: the name and delivery id only place the factory in
   * the pipeline; the output type is implied by the factory's type. */
  if (pspec->owner_type == SETL_TYPE_FACTORY)
    return strcmp (pspec->name, "writable") == 0 || strcmp (pspec->name, "code-version") == 0;
  return TRUE;
}

static GQuark
code_version_quark (void)
{
  /* Asked for on every key; see not_in_key_quark(). */
  static GQuark quark;

  if (G_UNLIKELY (quark == 0))
    quark = g_quark_from_static_string ("setl-factory-code-version");
  return quark;
}

static GQuark
cache_mode_quark (void)
{
  /* Asked for on every key; see not_in_key_quark(). */
  static GQuark quark;

  if (G_UNLIKELY (quark == 0))
    quark = g_quark_from_static_string ("setl-factory-cache-mode");
  return quark;
}

/**
 * setl_factory_get_code_version:
 * @self: a #SetlFactory
 *
 * Returns: (nullable): #SetlFactory:code-version
 */
const char *
setl_factory_get_code_version (SetlFactory *self)
{
  g_return_val_if_fail (SETL_IS_FACTORY (self), NULL);
  return g_object_get_qdata (G_OBJECT (self), code_version_quark ());
}

/**
 * setl_factory_set_code_version:
 * @self: a #SetlFactory
 * @code_version: (nullable): the version of the factory's logic
 *
 * Sets #SetlFactory:code-version.
 */
void
setl_factory_set_code_version (SetlFactory *self,
                               const char  *code_version)
{
  g_return_if_fail (SETL_IS_FACTORY (self));

  if (g_strcmp0 (setl_factory_get_code_version (self), code_version) == 0)
    return;
  g_object_set_qdata_full (G_OBJECT (self), code_version_quark (),
                           g_strdup (code_version), g_free);
  g_object_notify (G_OBJECT (self), "code-version");
}

/**
 * setl_factory_get_cache_mode:
 * @self: a #SetlFactory
 *
 * Returns: #SetlFactory:cache-mode
 */
SetlCacheMode
setl_factory_get_cache_mode (SetlFactory *self)
{
  g_return_val_if_fail (SETL_IS_FACTORY (self), SETL_CACHE_MODE_DEFAULT);
  return GPOINTER_TO_INT (g_object_get_qdata (G_OBJECT (self), cache_mode_quark ()));
}

/**
 * setl_factory_set_cache_mode:
 * @self: a #SetlFactory
 * @mode: how the factory uses its pipeline's cache
 *
 * Sets #SetlFactory:cache-mode.
 */
void
setl_factory_set_cache_mode (SetlFactory   *self,
                             SetlCacheMode  mode)
{
  g_return_if_fail (SETL_IS_FACTORY (self));
  g_return_if_fail ((guint) mode <= SETL_CACHE_MODE_IGNORE);

  if (setl_factory_get_cache_mode (self) == mode)
    return;
  g_object_set_qdata (G_OBJECT (self), cache_mode_quark (), GINT_TO_POINTER (mode));
  g_object_notify (G_OBJECT (self), "cache-mode");
}
