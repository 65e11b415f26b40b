/* setl-cache-policy.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/**
 * SetlCachePolicy:
 *
 * Where factory results are kept between runs, and for how long. Cache
 * policies are plugins (features of kind `cache-policy`): `memory` keeps
 * results in this process, bounded by bytes; `disk` keeps them in a
 * directory, compressed and checksummed. A #SetlPipeline with a policy
 * (setl_pipeline_set_cache_policy()) computes each factory's
 * #SetlCacheKey before running it, and reuses the stored result instead of
 * running the factory when the policy has one.
 *
 * Every policy has a #SetlCachePolicy:ttl: an entry older than that is a
 * miss (%SETL_CACHE_MISS_EXPIRED) and is dropped. The wrappers below check
 * it whatever the policy does, and tell a changed key from a missing entry.
 */
#include "setl-cache-policy.h"
#include "setl-cache-private.h"

G_DEFINE_INTERFACE (SetlCachePolicy, setl_cache_policy, G_TYPE_OBJECT)

static void
setl_cache_policy_default_init (SetlCachePolicyInterface *iface)
{
  /**
   * SetlCachePolicy:ttl:
   *
   * How long an entry stays fresh, in seconds after it was stored; 0 (the
   * default) keeps entries until they are evicted or cleared.
   */
  g_object_interface_install_property (iface,
    g_param_spec_uint64 ("ttl", "Time to live",
                         "Seconds an entry stays fresh after it is stored (0: forever)",
                         0, G_MAXUINT64, 0,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  /**
   * SetlCachePolicy:max-size:
   *
   * The most bytes the stored entries may take; the least recently used
   * ones are evicted to stay under it. 0 means no limit; each policy
   * documents its default.
   */
  g_object_interface_install_property (iface,
    g_param_spec_uint64 ("max-size", "Maximum size",
                         "Most bytes the entries may take, least recently used evicted first (0: no limit)",
                         0, G_MAXUINT64, 0,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
}

G_DEFINE_BOXED_TYPE (SetlCacheStats, setl_cache_stats, setl_cache_stats_copy, setl_cache_stats_free)

/**
 * setl_cache_stats_copy:
 * @stats: counters
 *
 * Returns: (transfer full): a copy of @stats
 */
SetlCacheStats *
setl_cache_stats_copy (const SetlCacheStats *stats)
{
  return g_memdup2 (stats, sizeof *stats);
}

/**
 * setl_cache_stats_free:
 * @stats: counters
 *
 * Frees @stats.
 */
void
setl_cache_stats_free (SetlCacheStats *stats)
{
  g_free (stats);
}

static const char *const miss_reasons[] = {
  [SETL_CACHE_MISS_NONE] = "hit",
  [SETL_CACHE_MISS_NO_ENTRY] = "no-entry",
  [SETL_CACHE_MISS_EXPIRED] = "expired",
  [SETL_CACHE_MISS_KEY_CHANGED] = "key-changed",
  [SETL_CACHE_MISS_CORRUPT] = "corrupt",
  [SETL_CACHE_MISS_OUTPUT_CHANGED] = "output-changed",
  [SETL_CACHE_MISS_RECOMPUTE] = "recompute",
  [SETL_CACHE_MISS_DISABLED] = "disabled",
  [SETL_CACHE_MISS_UNCACHEABLE] = "uncacheable",
};

/**
 * setl_cache_miss_reason_to_string:
 * @reason: a #SetlCacheMissReason
 *
 * Returns: the reason's nick as the run report writes it, e.g.
 *   `key-changed`, or `hit` for %SETL_CACHE_MISS_NONE
 */
const char *
setl_cache_miss_reason_to_string (SetlCacheMissReason reason)
{
  g_return_val_if_fail ((guint) reason < G_N_ELEMENTS (miss_reasons), NULL);
  return miss_reasons[reason];
}

static const char *const modes[] = {
  [SETL_CACHE_MODE_DEFAULT] = "default",
  [SETL_CACHE_MODE_RECOMPUTE] = "recompute",
  [SETL_CACHE_MODE_DISABLE] = "disable",
  [SETL_CACHE_MODE_IGNORE] = "ignore",
};

/**
 * setl_cache_mode_to_string:
 * @mode: a #SetlCacheMode
 *
 * Returns: the mode's name as pipeline files write it
 */
const char *
setl_cache_mode_to_string (SetlCacheMode mode)
{
  g_return_val_if_fail ((guint) mode < G_N_ELEMENTS (modes), NULL);
  return modes[mode];
}

/**
 * setl_cache_mode_from_string:
 * @nick: `default`, `recompute`, `disable` or `ignore`
 * @mode: (out): the mode
 *
 * Returns: whether @nick names a mode
 */
gboolean
setl_cache_mode_from_string (const char    *nick,
                             SetlCacheMode *mode)
{
  g_return_val_if_fail (nick != NULL, FALSE);
  g_return_val_if_fail (mode != NULL, FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (modes); i++)
    if (strcmp (nick, modes[i]) == 0)
      {
        *mode = i;
        return TRUE;
      }
  return FALSE;
}

static gboolean
not_supported (SetlCachePolicy  *self,
               const char       *method,
               GError          **error)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
               "Cache policy %s does not implement %s()", G_OBJECT_TYPE_NAME (self), method);
  return FALSE;
}

/**
 * setl_cache_policy_lookup:
 * @self: a #SetlCachePolicy
 * @key: the key to look up
 * @reason: (out) (optional): why there is no hit, %SETL_CACHE_MISS_NONE on
 *   a hit
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Looks up the entry stored under @key. An entry older than the policy's
 * TTL is dropped and reported as %SETL_CACHE_MISS_EXPIRED; a missing entry
 * is reported as %SETL_CACHE_MISS_KEY_CHANGED when another entry is stored
 * for the key's subject.
 *
 * Returns: (transfer full) (nullable): the entry, its payload possibly not
 *   loaded yet (see setl_cache_policy_load()), or %NULL on a miss (@error
 *   unset) or when the store failed (@error set)
 */
SetlCacheEntry *
setl_cache_policy_lookup (SetlCachePolicy      *self,
                          SetlCacheKey         *key,
                          SetlCacheMissReason  *reason,
                          GCancellable         *cancellable,
                          GError              **error)
{
  SetlCachePolicyInterface *iface;
  SetlCacheMissReason why = SETL_CACHE_MISS_NO_ENTRY;
  g_autoptr(SetlCacheEntry) entry = NULL;

  g_return_val_if_fail (SETL_IS_CACHE_POLICY (self), NULL);
  g_return_val_if_fail (SETL_IS_CACHE_KEY (key), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  iface = SETL_CACHE_POLICY_GET_IFACE (self);
  g_return_val_if_fail (iface->lookup != NULL, NULL);

  if (reason != NULL)
    *reason = SETL_CACHE_MISS_NO_ENTRY;
  entry = iface->lookup (self, key, &why, cancellable, error);
  if (entry == NULL && error != NULL && *error != NULL)
    return NULL;

  if (entry != NULL &&
      setl_cache_entry_is_expired (entry, setl_cache_policy_get_ttl (self), g_get_real_time ()))
    {
      /* The policy did not check: drop it here so it is not found again. */
      if (iface->remove != NULL)
        iface->remove (self, setl_cache_key_get_digest (key), NULL);
      g_clear_object (&entry);
      why = SETL_CACHE_MISS_EXPIRED;
    }
  else if (entry != NULL)
    why = SETL_CACHE_MISS_NONE;
  else if (why == SETL_CACHE_MISS_NONE)
    why = SETL_CACHE_MISS_NO_ENTRY;   /* a policy that forgot to say */

  if (why == SETL_CACHE_MISS_NO_ENTRY && iface->lookup_subject != NULL)
    {
      g_autoptr(SetlCacheEntry) previous =
        iface->lookup_subject (self, setl_cache_key_get_subject (key), cancellable, NULL);
      if (previous != NULL &&
          strcmp (setl_cache_key_get_digest (setl_cache_entry_get_key (previous)),
                  setl_cache_key_get_digest (key)) != 0)
        why = SETL_CACHE_MISS_KEY_CHANGED;
    }

  if (reason != NULL)
    *reason = why;
  return g_steal_pointer (&entry);
}

/**
 * setl_cache_policy_load:
 * @self: a #SetlCachePolicy
 * @entry: an entry returned by setl_cache_policy_lookup()
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Loads @entry's payload, unless it is loaded already.
 *
 * Returns: %TRUE when setl_cache_entry_get_payload() now has it; %FALSE
 *   with @error set when the entry vanished (%G_IO_ERROR_NOT_FOUND) or is
 *   damaged (%G_IO_ERROR_INVALID_DATA)
 */
gboolean
setl_cache_policy_load (SetlCachePolicy  *self,
                        SetlCacheEntry   *entry,
                        GCancellable     *cancellable,
                        GError          **error)
{
  SetlCachePolicyInterface *iface;

  g_return_val_if_fail (SETL_IS_CACHE_POLICY (self), FALSE);
  g_return_val_if_fail (SETL_IS_CACHE_ENTRY (entry), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (setl_cache_entry_get_payload (entry) != NULL)
    return TRUE;
  iface = SETL_CACHE_POLICY_GET_IFACE (self);
  if (iface->load == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   "Cache policy %s returned the entry of “%s” without its payload",
                   G_OBJECT_TYPE_NAME (self),
                   setl_cache_key_get_subject (setl_cache_entry_get_key (entry)));
      return FALSE;
    }
  if (!iface->load (self, entry, cancellable, error))
    return FALSE;
  if (setl_cache_entry_get_payload (entry) == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "Cache policy %s loaded no payload for “%s”",
                   G_OBJECT_TYPE_NAME (self),
                   setl_cache_key_get_subject (setl_cache_entry_get_key (entry)));
      return FALSE;
    }
  return TRUE;
}

/**
 * setl_cache_policy_store:
 * @self: a #SetlCachePolicy
 * @entry: an entry with its payload
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Stores @entry under its key's digest.
 *
 * Returns: %TRUE on success (including when the entry was too large to
 *   keep), %FALSE with @error set when the store failed
 */
gboolean
setl_cache_policy_store (SetlCachePolicy  *self,
                         SetlCacheEntry   *entry,
                         GCancellable     *cancellable,
                         GError          **error)
{
  g_return_val_if_fail (SETL_IS_CACHE_POLICY (self), FALSE);
  g_return_val_if_fail (SETL_IS_CACHE_ENTRY (entry), FALSE);
  g_return_val_if_fail (setl_cache_entry_get_payload (entry) != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (SETL_CACHE_POLICY_GET_IFACE (self)->store == NULL)
    return not_supported (self, "store", error);
  return SETL_CACHE_POLICY_GET_IFACE (self)->store (self, entry, cancellable, error);
}

/**
 * setl_cache_policy_lookup_subject:
 * @self: a #SetlCachePolicy
 * @subject: a key's subject
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the metadata of the entry stored
 *   last for @subject, or %NULL when there is none (or the policy does not
 *   track subjects, or on error with @error set)
 */
SetlCacheEntry *
setl_cache_policy_lookup_subject (SetlCachePolicy  *self,
                                  const char       *subject,
                                  GCancellable     *cancellable,
                                  GError          **error)
{
  SetlCachePolicyInterface *iface;

  g_return_val_if_fail (SETL_IS_CACHE_POLICY (self), NULL);
  g_return_val_if_fail (subject != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  iface = SETL_CACHE_POLICY_GET_IFACE (self);
  if (iface->lookup_subject == NULL)
    return NULL;
  return iface->lookup_subject (self, subject, cancellable, error);
}

/**
 * setl_cache_policy_remove:
 * @self: a #SetlCachePolicy
 * @digest: a key's digest
 * @error: return location for a #GError
 *
 * Drops the entry stored under @digest, if any.
 *
 * Returns: %TRUE if an entry was dropped; %FALSE if there was none or
 *   (with @error set) on failure
 */
gboolean
setl_cache_policy_remove (SetlCachePolicy  *self,
                          const char       *digest,
                          GError          **error)
{
  g_return_val_if_fail (SETL_IS_CACHE_POLICY (self), FALSE);
  g_return_val_if_fail (digest != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (SETL_CACHE_POLICY_GET_IFACE (self)->remove == NULL)
    return not_supported (self, "remove", error);
  return SETL_CACHE_POLICY_GET_IFACE (self)->remove (self, digest, error);
}

/**
 * setl_cache_policy_clear:
 * @self: a #SetlCachePolicy
 * @error: return location for a #GError
 *
 * Drops every entry.
 *
 * Returns: %TRUE on success, %FALSE with @error set
 */
gboolean
setl_cache_policy_clear (SetlCachePolicy  *self,
                         GError          **error)
{
  g_return_val_if_fail (SETL_IS_CACHE_POLICY (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (SETL_CACHE_POLICY_GET_IFACE (self)->clear == NULL)
    return not_supported (self, "clear", error);
  return SETL_CACHE_POLICY_GET_IFACE (self)->clear (self, error);
}

/**
 * setl_cache_policy_get_stats:
 * @self: a #SetlCachePolicy
 *
 * Returns: (transfer full): the policy's counters
 */
SetlCacheStats *
setl_cache_policy_get_stats (SetlCachePolicy *self)
{
  SetlCachePolicyInterface *iface;
  SetlCacheStats *stats;

  g_return_val_if_fail (SETL_IS_CACHE_POLICY (self), NULL);

  stats = g_new0 (SetlCacheStats, 1);
  iface = SETL_CACHE_POLICY_GET_IFACE (self);
  if (iface->get_stats != NULL)
    iface->get_stats (self, stats);
  return stats;
}

/**
 * setl_cache_policy_begin_store:
 * @self: a #SetlCachePolicy
 * @entry: the entry to store: its key and the metadata known before the
 *   first batch (an output fingerprint), no payload
 * @fields: (array length=n_fields): the schema of the batches
 * @n_fields: the number of fields
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Starts storing a table entry batch by batch: add the batches with
 * setl_cache_writer_add_batch(), set what only the end tells on @entry
 * (setl_cache_entry_set_data_version(), the compute time), then
 * setl_cache_writer_commit(). A policy that implements
 * #SetlCachePolicyInterface.begin_store (the disk cache) holds no more
 * than a few batches in memory meanwhile; for the others, the batches are
 * collected into a #SetlTable — at most #SetlCachePolicy:max-size bytes of
 * them — which is stored with setl_cache_policy_store().
 *
 * @entry's payload type becomes %SETL_TYPE_TABLE.
 *
 * Returns: (transfer full): a writer, or %NULL with @error set when the
 *   store cannot be written
 */
SetlCacheWriter *
setl_cache_policy_begin_store (SetlCachePolicy  *self,
                               SetlCacheEntry   *entry,
                               SetlField       **fields,
                               guint             n_fields,
                               GCancellable     *cancellable,
                               GError          **error)
{
  SetlCachePolicyInterface *iface;

  g_return_val_if_fail (SETL_IS_CACHE_POLICY (self), NULL);
  g_return_val_if_fail (SETL_IS_CACHE_ENTRY (entry), NULL);
  g_return_val_if_fail (setl_cache_entry_get_payload (entry) == NULL, NULL);
  g_return_val_if_fail (fields != NULL || n_fields == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  setl_cache_entry_set_payload_type (entry, SETL_TYPE_TABLE);
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;
  iface = SETL_CACHE_POLICY_GET_IFACE (self);
  if (iface->begin_store != NULL)
    return iface->begin_store (self, entry, fields, n_fields, cancellable, error);
  if (iface->store == NULL)
    {
      not_supported (self, "store", error);
      return NULL;
    }
  return _setl_cache_table_writer_new (self, entry, fields, n_fields,
                                       setl_cache_policy_get_max_size (self));
}

/**
 * setl_cache_policy_open_stream:
 * @self: a #SetlCachePolicy
 * @entry: an entry returned by setl_cache_policy_lookup() whose payload
 *   type is %SETL_TYPE_TABLE
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Opens @entry's table as a stream. A policy that implements
 * #SetlCachePolicyInterface.open_stream (the disk cache) checks the entry
 * and returns a stream that reads it batch by batch when it is read; for
 * the others this loads the payload (setl_cache_policy_load()) and returns
 * the table.
 *
 * Returns: (transfer full): the stream, or %NULL with @error set as
 *   setl_cache_policy_load() sets it: %G_IO_ERROR_NOT_FOUND when the entry
 *   vanished, %G_IO_ERROR_INVALID_DATA when it is damaged (and dropped)
 */
SetlBatchStream *
setl_cache_policy_open_stream (SetlCachePolicy  *self,
                               SetlCacheEntry   *entry,
                               GCancellable     *cancellable,
                               GError          **error)
{
  SetlCachePolicyInterface *iface;
  const GValue *payload;

  g_return_val_if_fail (SETL_IS_CACHE_POLICY (self), NULL);
  g_return_val_if_fail (SETL_IS_CACHE_ENTRY (entry), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (setl_cache_entry_get_payload_type (entry) != SETL_TYPE_TABLE)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "The cached result of “%s” is a %s, not a table",
                   setl_cache_key_get_subject (setl_cache_entry_get_key (entry)),
                   g_type_name (setl_cache_entry_get_payload_type (entry)));
      return NULL;
    }
  iface = SETL_CACHE_POLICY_GET_IFACE (self);
  if (iface->open_stream != NULL && setl_cache_entry_get_payload (entry) == NULL)
    return iface->open_stream (self, entry, cancellable, error);
  if (!setl_cache_policy_load (self, entry, cancellable, error))
    return NULL;
  payload = setl_cache_entry_get_payload (entry);
  return g_value_dup_object (payload);
}

/**
 * setl_cache_policy_get_ttl:
 * @self: a #SetlCachePolicy
 *
 * Returns: #SetlCachePolicy:ttl, in seconds
 */
guint64
setl_cache_policy_get_ttl (SetlCachePolicy *self)
{
  guint64 ttl = 0;

  g_return_val_if_fail (SETL_IS_CACHE_POLICY (self), 0);
  g_object_get (self, "ttl", &ttl, NULL);
  return ttl;
}

/**
 * setl_cache_policy_set_ttl:
 * @self: a #SetlCachePolicy
 * @ttl_seconds: seconds, 0 for no limit
 *
 * Sets #SetlCachePolicy:ttl.
 */
void
setl_cache_policy_set_ttl (SetlCachePolicy *self,
                           guint64          ttl_seconds)
{
  g_return_if_fail (SETL_IS_CACHE_POLICY (self));
  g_object_set (self, "ttl", ttl_seconds, NULL);
}

/**
 * setl_cache_policy_get_max_size:
 * @self: a #SetlCachePolicy
 *
 * Returns: #SetlCachePolicy:max-size, in bytes
 */
guint64
setl_cache_policy_get_max_size (SetlCachePolicy *self)
{
  guint64 max_size = 0;

  g_return_val_if_fail (SETL_IS_CACHE_POLICY (self), 0);
  g_object_get (self, "max-size", &max_size, NULL);
  return max_size;
}

/**
 * setl_cache_policy_set_max_size:
 * @self: a #SetlCachePolicy
 * @max_size: bytes, 0 for no limit
 *
 * Sets #SetlCachePolicy:max-size.
 */
void
setl_cache_policy_set_max_size (SetlCachePolicy *self,
                                guint64          max_size)
{
  g_return_if_fail (SETL_IS_CACHE_POLICY (self));
  g_object_set (self, "max-size", max_size, NULL);
}
