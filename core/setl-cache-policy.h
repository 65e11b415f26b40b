/* setl-cache-policy.h: where and for how long factory results are kept.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(SETL_INSIDE) && !defined(SETL_COMPILATION)
#error "Only <setl/setl.h> can be included directly."
#endif

#include <gio/gio.h>

#include "setl-batch-stream.h"
#include "setl-cache-key.h"
#include "setl-cache-entry.h"
#include "setl-cache-writer.h"

G_BEGIN_DECLS

/**
 * SetlCacheMissReason:
 * @SETL_CACHE_MISS_NONE: not a miss: the entry was found and is fresh
 * @SETL_CACHE_MISS_NO_ENTRY: nothing is stored under the key, nor for the
 *   key's subject
 * @SETL_CACHE_MISS_EXPIRED: an entry was stored under the key but is older
 *   than the policy's TTL
 * @SETL_CACHE_MISS_KEY_CHANGED: nothing is stored under the key, but an
 *   entry is stored for the same subject under another key: an ingredient
 *   changed (setl_cache_key_diff() says which)
 * @SETL_CACHE_MISS_CORRUPT: the stored entry failed its checksum or could
 *   not be read; it was dropped
 * @SETL_CACHE_MISS_OUTPUT_CHANGED: the entry is fresh, but what the factory
 *   wrote outside (a file) changed since; the factory must write it again
 * @SETL_CACHE_MISS_RECOMPUTE: the factory's cache mode is
 *   %SETL_CACHE_MODE_RECOMPUTE: not looked up
 * @SETL_CACHE_MISS_DISABLED: the factory's cache mode is
 *   %SETL_CACHE_MODE_DISABLE or %SETL_CACHE_MODE_IGNORE, or the pipeline has
 *   no cache policy
 * @SETL_CACHE_MISS_UNCACHEABLE: the result cannot be cached: its type is not
 *   supported (see setl_cache_payload_type_is_supported()), or an input's
 *   data version is unknown
 *
 * Why a factory's result was not reused.
 */
typedef enum {
  SETL_CACHE_MISS_NONE,
  SETL_CACHE_MISS_NO_ENTRY,
  SETL_CACHE_MISS_EXPIRED,
  SETL_CACHE_MISS_KEY_CHANGED,
  SETL_CACHE_MISS_CORRUPT,
  SETL_CACHE_MISS_OUTPUT_CHANGED,
  SETL_CACHE_MISS_RECOMPUTE,
  SETL_CACHE_MISS_DISABLED,
  SETL_CACHE_MISS_UNCACHEABLE,
} SetlCacheMissReason;

/**
 * SetlCacheMode:
 * @SETL_CACHE_MODE_DEFAULT: look the result up; run on a miss and store
 * @SETL_CACHE_MODE_RECOMPUTE: always run, and store the result (refreshes
 *   the entry)
 * @SETL_CACHE_MODE_DISABLE: never look up nor store; the factory runs every
 *   time. Its dependents can still be cached: its data version is its key
 *   (so they are invalidated exactly when its own key changes)
 * @SETL_CACHE_MODE_IGNORE: never look up nor store, and leave the factory
 *   out of its dependents' keys (its data version is a constant): for
 *   factories whose output does not matter to what depends on them, such as
 *   a logger or a progress probe
 *
 * How one factory uses the pipeline's cache policy.
 */
typedef enum {
  SETL_CACHE_MODE_DEFAULT,
  SETL_CACHE_MODE_RECOMPUTE,
  SETL_CACHE_MODE_DISABLE,
  SETL_CACHE_MODE_IGNORE,
} SetlCacheMode;

const char *setl_cache_miss_reason_to_string (SetlCacheMissReason reason);
const char *setl_cache_mode_to_string        (SetlCacheMode       mode);
gboolean    setl_cache_mode_from_string      (const char         *nick,
                                              SetlCacheMode      *mode);

/**
 * SetlCacheStats:
 * @n_entries: entries stored now
 * @size: bytes used by the stored entries (for a disk policy: on disk)
 * @max_size: the size limit in bytes, 0 for none
 * @hits: lookups that found a fresh entry, since the policy was created
 * @misses: lookups that did not
 * @stores: entries stored
 * @evictions: entries dropped to stay under @max_size
 * @expired: entries dropped because they outlived the TTL
 * @corrupt: entries dropped because they failed their checksum
 *
 * Counters of a cache policy. The lookup counters cover this process only;
 * @n_entries and @size describe the whole store (for a disk policy, what
 * other processes stored counts too).
 */
typedef struct {
  guint64 n_entries;
  guint64 size;
  guint64 max_size;
  guint64 hits;
  guint64 misses;
  guint64 stores;
  guint64 evictions;
  guint64 expired;
  guint64 corrupt;

  /*< private >*/
  guint64 _setl_reserved[7];
} SetlCacheStats;

#define SETL_TYPE_CACHE_STATS (setl_cache_stats_get_type ())
GType           setl_cache_stats_get_type (void) G_GNUC_CONST;
SetlCacheStats *setl_cache_stats_copy     (const SetlCacheStats *stats);
void            setl_cache_stats_free     (SetlCacheStats       *stats);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SetlCacheStats, setl_cache_stats_free)

#define SETL_TYPE_CACHE_POLICY (setl_cache_policy_get_type ())
G_DECLARE_INTERFACE (SetlCachePolicy, setl_cache_policy, SETL, CACHE_POLICY, GObject)

/**
 * SetlCachePolicyInterface:
 * @g_iface: the parent interface
 * @lookup: finds the entry stored under setl_cache_key_get_digest() of
 *   @key. Returns a new entry carrying the stored key (with its
 *   ingredients) and metadata but not necessarily the payload (a disk policy
 *   loads it only in @load), or %NULL with @reason set to
 *   %SETL_CACHE_MISS_NO_ENTRY, %SETL_CACHE_MISS_EXPIRED or
 *   %SETL_CACHE_MISS_CORRUPT (a corrupt entry is dropped, with a warning).
 *   A policy may check the TTL itself; setl_cache_policy_lookup() checks it
 *   again anyway, and turns %SETL_CACHE_MISS_NO_ENTRY into
 *   %SETL_CACHE_MISS_KEY_CHANGED when @lookup_subject finds another entry.
 *   Returns %NULL with @error set only when the store itself fails (an I/O
 *   error on the cache directory); a missing entry is not an error.
 *   Must be safe to call from any thread.
 * @load: fills in the payload of an entry returned by @lookup (nothing to
 *   do when it is already there); fails with %G_IO_ERROR_NOT_FOUND when the
 *   entry vanished since (evicted, or removed by another process), or
 *   %G_IO_ERROR_INVALID_DATA when it fails its checksum. The loaded
 *   payload holds the type given by setl_cache_entry_get_payload_type().
 * @store: stores @entry (key, metadata and payload) under its key's
 *   digest, replacing what was there; the entry becomes the latest one of
 *   its key's subject. May evict least recently used entries to stay under
 *   the size limit. An entry larger than the limit is not stored, and that
 *   is not an error.
 * @lookup_subject: returns the metadata (no payload) of the entry stored
 *   last for @subject, whatever its key, or %NULL when there is none. Used
 *   to tell %SETL_CACHE_MISS_KEY_CHANGED from %SETL_CACHE_MISS_NO_ENTRY and
 *   by `setl cache explain`.
 * @remove: drops the entry stored under @digest; %TRUE if there was one
 * @clear: drops every entry
 * @get_stats: returns the policy's counters
 * @begin_store: optional. Starts storing a table entry batch by batch (see
 *   #SetlCacheWriter): @entry carries the key and the metadata known before
 *   the first batch, @fields the schema. The writer keeps no more than a
 *   few batches in memory, fails #SetlCacheWriter.add_batch with
 *   %G_IO_ERROR_MESSAGE_TOO_LARGE as soon as the entry outgrows
 *   #SetlCachePolicy:max-size, and on commit makes the entry the latest of
 *   its subject, as @store does. Without it, setl_cache_policy_begin_store()
 *   gives a writer that collects the batches into a #SetlTable and calls
 *   @store.
 * @open_stream: optional. Returns the table payload of an entry returned
 *   by @lookup as a #SetlBatchStream that reads it batch by batch, with
 *   the same checks as @load: an entry found damaged (every batch's
 *   checksum is checked before the stream is returned) or gone fails as
 *   @load would, and is dropped. Without it, setl_cache_policy_open_stream()
 *   calls @load and returns the table.
 *
 * The virtual methods of a cache policy. Payloads are a #SetlTable
 * (`SETL_TYPE_TABLE`, what a factory's #SetlBatchStream output is
 * materialized into) or a simple value: %G_TYPE_BOOLEAN, %G_TYPE_INT,
 * %G_TYPE_UINT, %G_TYPE_INT64, %G_TYPE_UINT64, %G_TYPE_DOUBLE or
 * %G_TYPE_STRING (a sink's row count, a scalar result). A policy must
 * return exactly what was stored: same type, same values, same schema.
 *
 * Implementations also implement the interface's properties:
 * #SetlCachePolicy:ttl and #SetlCachePolicy:max-size (with
 * g_object_class_override_property()).
 */
struct _SetlCachePolicyInterface
{
  GTypeInterface g_iface;

  SetlCacheEntry *(*lookup)         (SetlCachePolicy      *self,
                                     SetlCacheKey         *key,
                                     SetlCacheMissReason  *reason,
                                     GCancellable         *cancellable,
                                     GError              **error);
  gboolean        (*load)           (SetlCachePolicy      *self,
                                     SetlCacheEntry       *entry,
                                     GCancellable         *cancellable,
                                     GError              **error);
  gboolean        (*store)          (SetlCachePolicy      *self,
                                     SetlCacheEntry       *entry,
                                     GCancellable         *cancellable,
                                     GError              **error);
  SetlCacheEntry *(*lookup_subject) (SetlCachePolicy      *self,
                                     const char           *subject,
                                     GCancellable         *cancellable,
                                     GError              **error);
  gboolean        (*remove)         (SetlCachePolicy      *self,
                                     const char           *digest,
                                     GError              **error);
  gboolean        (*clear)          (SetlCachePolicy      *self,
                                     GError              **error);
  void            (*get_stats)      (SetlCachePolicy      *self,
                                     SetlCacheStats       *stats);
  SetlCacheWriter *(*begin_store)   (SetlCachePolicy      *self,
                                     SetlCacheEntry       *entry,
                                     SetlField           **fields,
                                     guint                 n_fields,
                                     GCancellable         *cancellable,
                                     GError              **error);
  SetlBatchStream *(*open_stream)   (SetlCachePolicy      *self,
                                     SetlCacheEntry       *entry,
                                     GCancellable         *cancellable,
                                     GError              **error);

  /*< private >*/
  gpointer padding[10];
};

SetlCacheEntry *setl_cache_policy_lookup         (SetlCachePolicy      *self,
                                                  SetlCacheKey         *key,
                                                  SetlCacheMissReason  *reason,
                                                  GCancellable         *cancellable,
                                                  GError              **error);
gboolean        setl_cache_policy_load           (SetlCachePolicy      *self,
                                                  SetlCacheEntry       *entry,
                                                  GCancellable         *cancellable,
                                                  GError              **error);
gboolean        setl_cache_policy_store          (SetlCachePolicy      *self,
                                                  SetlCacheEntry       *entry,
                                                  GCancellable         *cancellable,
                                                  GError              **error);
SetlCacheEntry *setl_cache_policy_lookup_subject (SetlCachePolicy      *self,
                                                  const char           *subject,
                                                  GCancellable         *cancellable,
                                                  GError              **error);
gboolean        setl_cache_policy_remove         (SetlCachePolicy      *self,
                                                  const char           *digest,
                                                  GError              **error);
gboolean        setl_cache_policy_clear          (SetlCachePolicy      *self,
                                                  GError              **error);
SetlCacheStats *setl_cache_policy_get_stats      (SetlCachePolicy      *self);
SetlCacheWriter *setl_cache_policy_begin_store   (SetlCachePolicy      *self,
                                                  SetlCacheEntry       *entry,
                                                  SetlField           **fields,
                                                  guint                 n_fields,
                                                  GCancellable         *cancellable,
                                                  GError              **error);
SetlBatchStream *setl_cache_policy_open_stream   (SetlCachePolicy      *self,
                                                  SetlCacheEntry       *entry,
                                                  GCancellable         *cancellable,
                                                  GError              **error);

guint64         setl_cache_policy_get_ttl        (SetlCachePolicy      *self);
void            setl_cache_policy_set_ttl        (SetlCachePolicy      *self,
                                                  guint64               ttl_seconds);
guint64         setl_cache_policy_get_max_size   (SetlCachePolicy      *self);
void            setl_cache_policy_set_max_size   (SetlCachePolicy      *self,
                                                  guint64               max_size);

G_END_DECLS
