/* setl-cache-entry.h: one cached result and what is known about it.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(SETL_INSIDE) && !defined(SETL_COMPILATION)
#error "Only <setl/setl.h> can be included directly."
#endif

#include <glib-object.h>

#include "setl-cache-key.h"

G_BEGIN_DECLS

#define SETL_TYPE_CACHE_ENTRY (setl_cache_entry_get_type ())
G_DECLARE_FINAL_TYPE (SetlCacheEntry, setl_cache_entry, SETL, CACHE_ENTRY, GObject)

SetlCacheEntry *setl_cache_entry_new                    (SetlCacheKey   *key,
                                                         const GValue   *payload);

SetlCacheKey   *setl_cache_entry_get_key                (SetlCacheEntry *self);

const GValue   *setl_cache_entry_get_payload            (SetlCacheEntry *self);
void            setl_cache_entry_set_payload            (SetlCacheEntry *self,
                                                         const GValue   *payload);
GType           setl_cache_entry_get_payload_type       (SetlCacheEntry *self);
void            setl_cache_entry_set_payload_type       (SetlCacheEntry *self,
                                                         GType           payload_type);

gint64          setl_cache_entry_get_created            (SetlCacheEntry *self);
void            setl_cache_entry_set_created            (SetlCacheEntry *self,
                                                         gint64          created);
gint64          setl_cache_entry_get_last_access        (SetlCacheEntry *self);
void            setl_cache_entry_set_last_access        (SetlCacheEntry *self,
                                                         gint64          last_access);
guint64         setl_cache_entry_get_size               (SetlCacheEntry *self);
void            setl_cache_entry_set_size               (SetlCacheEntry *self,
                                                         guint64         size);
const char     *setl_cache_entry_get_data_version       (SetlCacheEntry *self);
void            setl_cache_entry_set_data_version       (SetlCacheEntry *self,
                                                         const char     *data_version);
gint64          setl_cache_entry_get_compute_time       (SetlCacheEntry *self);
void            setl_cache_entry_set_compute_time       (SetlCacheEntry *self,
                                                         gint64          compute_time);
const char     *setl_cache_entry_get_output_fingerprint (SetlCacheEntry *self);
void            setl_cache_entry_set_output_fingerprint (SetlCacheEntry *self,
                                                         const char     *fingerprint);

gboolean        setl_cache_entry_is_expired             (SetlCacheEntry *self,
                                                         guint64         ttl_seconds,
                                                         gint64          now);
SetlCacheEntry *setl_cache_entry_copy_metadata          (SetlCacheEntry *self);

GVariant       *setl_cache_entry_serialize_metadata     (SetlCacheEntry *self);
SetlCacheEntry *setl_cache_entry_deserialize_metadata   (GVariant       *variant,
                                                         GError        **error);
SetlCacheEntry *setl_cache_entry_deserialize_metadata_for_key (GVariant       *variant,
                                                               SetlCacheKey   *key,
                                                               GError        **error);

gboolean        setl_cache_payload_type_is_supported    (GType           type);
char           *setl_cache_payload_hash                 (const GValue   *payload,
                                                         GError        **error);
guint64         setl_cache_payload_size                 (const GValue   *payload);

G_END_DECLS
