/* setl-cache-key.h: what a cached result depends on, and its digest.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(SETL_INSIDE) && !defined(SETL_COMPILATION)
#error "Only <setl/setl.h> can be included directly."
#endif

#include <glib-object.h>

G_BEGIN_DECLS

/**
 * SETL_CACHE_KEY_FORMAT_VERSION:
 *
 * The version of the canonical bytes a #SetlCacheKey digest is computed
 * over. It is itself the first ingredient of every key, so bumping it
 * invalidates every stored entry.
 */
#define SETL_CACHE_KEY_FORMAT_VERSION 1

/**
 * SETL_CACHE_DIGEST_LENGTH:
 *
 * The length of a digest in hexadecimal characters (XXH3-128: 32),
 * not counting the terminating NUL.
 */
#define SETL_CACHE_DIGEST_LENGTH 32

#define SETL_TYPE_CACHE_KEY (setl_cache_key_get_type ())
G_DECLARE_FINAL_TYPE (SetlCacheKey, setl_cache_key, SETL, CACHE_KEY, GObject)

SetlCacheKey  *setl_cache_key_new                (const char    *subject);
SetlCacheKey  *setl_cache_key_new_stored         (const char    *subject,
                                                  const char    *digest);

const char    *setl_cache_key_get_subject        (SetlCacheKey  *self);

void           setl_cache_key_add                (SetlCacheKey  *self,
                                                  const char    *name,
                                                  const char    *value);
void           setl_cache_key_add_printf         (SetlCacheKey  *self,
                                                  const char    *name,
                                                  const char    *format,
                                                  ...) G_GNUC_PRINTF (3, 4);

guint          setl_cache_key_get_n_ingredients  (SetlCacheKey  *self);
const char    *setl_cache_key_get_ingredient_name  (SetlCacheKey *self,
                                                    guint         index);
const char    *setl_cache_key_get_ingredient_value (SetlCacheKey *self,
                                                    guint         index);
const char    *setl_cache_key_lookup             (SetlCacheKey  *self,
                                                  const char    *name);

const char    *setl_cache_key_get_digest         (SetlCacheKey  *self);
gboolean       setl_cache_key_equal              (SetlCacheKey  *a,
                                                  SetlCacheKey  *b);
char         **setl_cache_key_diff               (SetlCacheKey  *self,
                                                  SetlCacheKey  *previous);

GVariant      *setl_cache_key_serialize          (SetlCacheKey  *self);
SetlCacheKey  *setl_cache_key_deserialize        (GVariant      *variant,
                                                  GError       **error);

gboolean       setl_cache_digest_is_valid        (const char    *digest);

G_END_DECLS
