/* setl-memory-cache.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/**
 * SetlMemoryCache:
 *
 * A #SetlCachePolicy that keeps results in this process: for an
 * application that runs the same pipeline again (a desktop tool refreshing
 * a view), or for one run that asks for several outputs. Entries hold
 * their payload by reference — a cached #SetlTable is shared, never copied
 * — and count its bytes (setl_cache_payload_size()) against
 * #SetlCachePolicy:max-size, 256 MiB by default; the least recently used
 * entries are evicted beyond it, and an entry larger than the whole limit
 * is not kept. #SetlCachePolicy:ttl expires entries.
 *
 * All methods take a lock: the factories of a stage look up and store
 * from several threads.
 */
#include "setl-memory-cache.h"

#define DEFAULT_MAX_SIZE ((guint64) 256 << 20)

typedef struct {
  SetlCacheEntry *entry;   /* with its payload */
  GList link;              /* in lru, most recent first; data = the Item */
} Item;

struct _SetlMemoryCache
{
  GObject parent_instance;

  GMutex lock;
  GHashTable *items;       /* digest → Item* */
  GQueue lru;              /* of Item*, via Item.link */
  GHashTable *subjects;    /* subject → SetlCacheEntry* (metadata, latest) */
  guint64 size;
  guint64 max_size;
  guint64 ttl;
  SetlCacheStats stats;
};

enum {
  PROP_0,
  PROP_TTL,
  PROP_MAX_SIZE,
};

static void setl_memory_cache_policy_init (SetlCachePolicyInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SetlMemoryCache, setl_memory_cache, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (SETL_TYPE_CACHE_POLICY,
                                                      setl_memory_cache_policy_init))

static void
item_free (gpointer data)
{
  Item *item = data;

  g_object_unref (item->entry);
  g_free (item);
}

/* Under the lock. */
static void
drop (SetlMemoryCache *self,
      Item            *item)
{
  self->size -= setl_cache_entry_get_size (item->entry);
  g_queue_unlink (&self->lru, &item->link);
  g_hash_table_remove (self->items, setl_cache_key_get_digest (setl_cache_entry_get_key (item->entry)));
}

/* Under the lock: evicts least recently used entries until @self holds at
 * most its limit. */
static void
evict (SetlMemoryCache *self)
{
  while (self->max_size > 0 && self->size > self->max_size && self->lru.tail != NULL)
    {
      drop (self, self->lru.tail->data);
      self->stats.evictions++;
    }
}

static void
setl_memory_cache_finalize (GObject *object)
{
  SetlMemoryCache *self = SETL_MEMORY_CACHE (object);

  g_hash_table_unref (self->items);
  g_hash_table_unref (self->subjects);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (setl_memory_cache_parent_class)->finalize (object);
}

static void
setl_memory_cache_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  SetlMemoryCache *self = SETL_MEMORY_CACHE (object);

  g_mutex_lock (&self->lock);
  switch (prop_id)
    {
    case PROP_TTL:
      g_value_set_uint64 (value, self->ttl);
      break;
    case PROP_MAX_SIZE:
      g_value_set_uint64 (value, self->max_size);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
  g_mutex_unlock (&self->lock);
}

static void
setl_memory_cache_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  SetlMemoryCache *self = SETL_MEMORY_CACHE (object);

  g_mutex_lock (&self->lock);
  switch (prop_id)
    {
    case PROP_TTL:
      self->ttl = g_value_get_uint64 (value);
      break;
    case PROP_MAX_SIZE:
      self->max_size = g_value_get_uint64 (value);
      evict (self);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
  g_mutex_unlock (&self->lock);
  g_object_notify_by_pspec (object, pspec);
}

static void
setl_memory_cache_class_init (SetlMemoryCacheClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = setl_memory_cache_finalize;
  object_class->get_property = setl_memory_cache_get_property;
  object_class->set_property = setl_memory_cache_set_property;

  g_object_class_override_property (object_class, PROP_TTL, "ttl");
  g_object_class_override_property (object_class, PROP_MAX_SIZE, "max-size");
}

static void
setl_memory_cache_init (SetlMemoryCache *self)
{
  g_mutex_init (&self->lock);
  self->items = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, item_free);
  self->subjects = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->max_size = DEFAULT_MAX_SIZE;
}

static SetlCacheEntry *
setl_memory_cache_lookup (SetlCachePolicy      *policy,
                          SetlCacheKey         *key,
                          SetlCacheMissReason  *reason,
                          GCancellable         *cancellable,
                          GError              **error)
{
  SetlMemoryCache *self = SETL_MEMORY_CACHE (policy);
  SetlCacheEntry *found = NULL;
  Item *item;
  gint64 now = g_get_real_time ();

  g_mutex_lock (&self->lock);
  item = g_hash_table_lookup (self->items, setl_cache_key_get_digest (key));
  if (item == NULL)
    *reason = SETL_CACHE_MISS_NO_ENTRY;
  else if (setl_cache_entry_is_expired (item->entry, self->ttl, now))
    {
      drop (self, item);
      self->stats.expired++;
      *reason = SETL_CACHE_MISS_EXPIRED;
    }
  else
    {
      g_queue_unlink (&self->lru, &item->link);
      g_queue_push_head_link (&self->lru, &item->link);
      setl_cache_entry_set_last_access (item->entry, now);
      /* A copy: the caller may drop or load into it without touching ours. */
      found = setl_cache_entry_copy_metadata (item->entry);
      setl_cache_entry_set_payload (found, setl_cache_entry_get_payload (item->entry));
      *reason = SETL_CACHE_MISS_NONE;
    }
  if (found != NULL)
    self->stats.hits++;
  else
    self->stats.misses++;
  g_mutex_unlock (&self->lock);
  return found;
}

static gboolean
setl_memory_cache_load (SetlCachePolicy  *policy,
                        SetlCacheEntry   *entry,
                        GCancellable     *cancellable,
                        GError          **error)
{
  SetlMemoryCache *self = SETL_MEMORY_CACHE (policy);
  const char *digest = setl_cache_key_get_digest (setl_cache_entry_get_key (entry));
  Item *item;
  gboolean ok = FALSE;

  /* Lookups hand out payloads already; this serves an entry whose payload
   * was dropped since, if ours is still there. */
  g_mutex_lock (&self->lock);
  item = g_hash_table_lookup (self->items, digest);
  if (item != NULL)
    {
      setl_cache_entry_set_payload (entry, setl_cache_entry_get_payload (item->entry));
      ok = TRUE;
    }
  g_mutex_unlock (&self->lock);
  if (!ok)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                 "Memory cache: the entry of “%s” was evicted",
                 setl_cache_key_get_subject (setl_cache_entry_get_key (entry)));
  return ok;
}

static gboolean
setl_memory_cache_store (SetlCachePolicy  *policy,
                         SetlCacheEntry   *entry,
                         GCancellable     *cancellable,
                         GError          **error)
{
  SetlMemoryCache *self = SETL_MEMORY_CACHE (policy);
  SetlCacheKey *key = setl_cache_entry_get_key (entry);
  const char *digest = setl_cache_key_get_digest (key);
  guint64 size = setl_cache_entry_get_size (entry);
  Item *item, *old;

  g_mutex_lock (&self->lock);
  g_hash_table_replace (self->subjects, g_strdup (setl_cache_key_get_subject (key)),
                        setl_cache_entry_copy_metadata (entry));
  old = g_hash_table_lookup (self->items, digest);
  if (old != NULL)
    drop (self, old);
  if (self->max_size > 0 && size > self->max_size)
    {
      g_mutex_unlock (&self->lock);
      return TRUE;    /* too large to keep: not an error */
    }

  item = g_new0 (Item, 1);
  item->entry = setl_cache_entry_copy_metadata (entry);
  setl_cache_entry_set_payload (item->entry, setl_cache_entry_get_payload (entry));
  setl_cache_entry_set_last_access (item->entry, g_get_real_time ());
  item->link.data = item;
  /* Keyed by the entry's own digest string, which lives as long as it. */
  g_hash_table_insert (self->items,
                       (gpointer) setl_cache_key_get_digest (setl_cache_entry_get_key (item->entry)),
                       item);
  g_queue_push_head_link (&self->lru, &item->link);
  self->size += size;
  self->stats.stores++;
  evict (self);
  g_mutex_unlock (&self->lock);
  return TRUE;
}

static SetlCacheEntry *
setl_memory_cache_lookup_subject (SetlCachePolicy  *policy,
                                  const char       *subject,
                                  GCancellable     *cancellable,
                                  GError          **error)
{
  SetlMemoryCache *self = SETL_MEMORY_CACHE (policy);
  SetlCacheEntry *entry, *copy = NULL;

  g_mutex_lock (&self->lock);
  entry = g_hash_table_lookup (self->subjects, subject);
  if (entry != NULL)
    copy = setl_cache_entry_copy_metadata (entry);
  g_mutex_unlock (&self->lock);
  return copy;
}

static gboolean
setl_memory_cache_remove (SetlCachePolicy  *policy,
                          const char       *digest,
                          GError          **error)
{
  SetlMemoryCache *self = SETL_MEMORY_CACHE (policy);
  Item *item;

  g_mutex_lock (&self->lock);
  item = g_hash_table_lookup (self->items, digest);
  if (item != NULL)
    drop (self, item);
  g_mutex_unlock (&self->lock);
  return item != NULL;
}

static gboolean
setl_memory_cache_clear (SetlCachePolicy  *policy,
                         GError          **error)
{
  SetlMemoryCache *self = SETL_MEMORY_CACHE (policy);

  g_mutex_lock (&self->lock);
  g_queue_init (&self->lru);
  g_hash_table_remove_all (self->items);
  g_hash_table_remove_all (self->subjects);
  self->size = 0;
  g_mutex_unlock (&self->lock);
  return TRUE;
}

static void
setl_memory_cache_get_stats (SetlCachePolicy *policy,
                             SetlCacheStats  *stats)
{
  SetlMemoryCache *self = SETL_MEMORY_CACHE (policy);

  g_mutex_lock (&self->lock);
  *stats = self->stats;
  stats->n_entries = g_hash_table_size (self->items);
  stats->size = self->size;
  stats->max_size = self->max_size;
  g_mutex_unlock (&self->lock);
}

static void
setl_memory_cache_policy_init (SetlCachePolicyInterface *iface)
{
  iface->lookup = setl_memory_cache_lookup;
  iface->load = setl_memory_cache_load;
  iface->store = setl_memory_cache_store;
  iface->lookup_subject = setl_memory_cache_lookup_subject;
  iface->remove = setl_memory_cache_remove;
  iface->clear = setl_memory_cache_clear;
  iface->get_stats = setl_memory_cache_get_stats;
}

/**
 * setl_memory_cache_new:
 * @max_size: bytes, 0 for no limit
 * @ttl_seconds: seconds, 0 for none
 *
 * Returns: (transfer full): a new, empty memory cache
 */
SetlMemoryCache *
setl_memory_cache_new (guint64 max_size,
                       guint64 ttl_seconds)
{
  return g_object_new (SETL_TYPE_MEMORY_CACHE, "max-size", max_size, "ttl", ttl_seconds, NULL);
}
