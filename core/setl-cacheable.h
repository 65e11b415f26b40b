/* setl-cacheable.h: what a factory tells the cache about data it reads
 * or writes outside the pipeline.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(SETL_INSIDE) && !defined(SETL_COMPILATION)
#error "Only <setl/setl.h> can be included directly."
#endif

#include <gio/gio.h>

#include "setl-cache-key.h"
#include "setl-cache-policy.h"
#include "setl-factory.h"

G_BEGIN_DECLS

/**
 * SETL_PARAM_NOT_IN_CACHE_KEY:
 *
 * A #GParamFlags bit for a factory property whose value does not change
 * the factory's output — a connection, a batch size, a thread count, a
 * password — and so must not be part of its cache key. Give it when
 * creating the #GParamSpec; for a property created elsewhere use
 * setl_factory_class_exclude_from_cache_key().
 */
#define SETL_PARAM_NOT_IN_CACHE_KEY (1 << (G_PARAM_USER_SHIFT + 3))

/**
 * SetlFingerprintFlags:
 * @SETL_FINGERPRINT_DEFAULT: describe files by size, modification time and
 *   inode (cheap)
 * @SETL_FINGERPRINT_CONTENT: hash the content of files (exact, reads them)
 *
 * How precisely a #SetlCacheable fingerprints the external data it reads.
 */
typedef enum /*< flags >*/ {
  SETL_FINGERPRINT_DEFAULT = 0,
  SETL_FINGERPRINT_CONTENT = 1 << 0,
} SetlFingerprintFlags;

#define SETL_TYPE_CACHEABLE (setl_cacheable_get_type ())
G_DECLARE_INTERFACE (SetlCacheable, setl_cacheable, SETL, CACHEABLE, GObject)

/**
 * SetlCacheableInterface:
 * @g_iface: the parent interface
 * @add_fingerprint: adds to @key one ingredient or more describing the
 *   external data the factory reads, as configured now (before it runs):
 *   for a file, its path and its size, modification time and inode, or its
 *   content hash when @flags has %SETL_FINGERPRINT_CONTENT (see
 *   setl_cache_key_add_file()). Ingredient names should start with
 *   `input:`. Fails when the data cannot be reached (a missing file): the
 *   factory is then run, and fails itself with its own error.
 * @output_fingerprint: returns a fingerprint of what the factory wrote
 *   outside the pipeline (for a file sink: the file's size, modification
 *   time and inode), or %NULL when it writes nothing or it is gone. It
 *   must depend on the factory's configuration only (its properties), not
 *   on state left by a run: it is called after the factory wrote, and
 *   stored with the entry, then again on a later hit — in another process,
 *   on a factory that has not run — and when the two differ the hit is
 *   turned into a miss (%SETL_CACHE_MISS_OUTPUT_CHANGED) so that the
 *   output is written again.
 *
 * Implemented by factories that read or write data outside the pipeline
 * (sources and sinks), so that the cache notices when that data changes.
 * A factory that reads external data and does not implement it is cached
 * on its properties alone.
 */
struct _SetlCacheableInterface
{
  GTypeInterface g_iface;

  gboolean (*add_fingerprint)    (SetlCacheable         *self,
                                  SetlCacheKey          *key,
                                  SetlFingerprintFlags   flags,
                                  GCancellable          *cancellable,
                                  GError               **error);
  char    *(*output_fingerprint) (SetlCacheable         *self,
                                  GError               **error);

  /*< private >*/
  gpointer padding[6];
};

gboolean  setl_cacheable_add_fingerprint    (SetlCacheable         *self,
                                             SetlCacheKey          *key,
                                             SetlFingerprintFlags   flags,
                                             GCancellable          *cancellable,
                                             GError               **error);
char     *setl_cacheable_output_fingerprint (SetlCacheable         *self,
                                             GError               **error);

gboolean  setl_cache_key_add_file           (SetlCacheKey          *key,
                                             const char            *name,
                                             const char            *path,
                                             SetlFingerprintFlags   flags,
                                             GCancellable          *cancellable,
                                             GError               **error);
char     *setl_cache_file_fingerprint       (const char            *path);

void      setl_factory_class_exclude_from_cache_key (GObjectClass *klass,
                                                     const char   *property_name);
gboolean  setl_cache_property_in_key        (GParamSpec            *pspec);

/* SetlFactory:code-version and SetlFactory:cache-mode, kept here. */
const char    *setl_factory_get_code_version (SetlFactory   *self);
void           setl_factory_set_code_version (SetlFactory   *self,
                                              const char    *code_version);
SetlCacheMode  setl_factory_get_cache_mode   (SetlFactory   *self);
void           setl_factory_set_cache_mode   (SetlFactory   *self,
                                              SetlCacheMode  mode);

G_END_DECLS
