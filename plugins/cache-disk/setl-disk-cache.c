/* setl-disk-cache.c: SetlDiskCache — factory results kept in a directory,
 * compressed and checksummed, shared between processes.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "setl-disk-cache.h"
#include "setl-disk-cache-private.h"
#include "setl-disk-cache-writer.h"
#include "setl-disk-hit-block.h"
#include "setl-disk-store.h"
#include "setl-table-file.h"
#include "setl-table-file-stream.h"
#include "setl-table-file-writer.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/**
 * SetlDiskCache:
 *
 * The `disk` cache policy (plugin `cache-disk`): each entry is a table
 * file (columnar, zstd, XXH3 checksums; see #SetlTableFileWriter) named by
 * its key's digest in a #SetlDiskStore directory, which several processes
 * may share. Its metadata — the key with its ingredients, times, data
 * version — is stored in the same file, so an entry is written and
 * replaced in one atomic rename.
 *
 * - A lookup reads and checks the entry's header and metadata, and (with
 *   #SetlDiskCache:verify, the default) every batch's checksum, without
 *   decompressing; the table is read by setl_cache_policy_load(), from the
 *   file the lookup opened, so an entry evicted in between is still read
 *   whole.
 * - An entry older than #SetlCachePolicy:ttl, or than the TTL in force in
 *   the process that stored it, is a miss and is removed.
 * - An entry that fails a check (truncated, a flipped bit, a wrong magic or
 *   version) is removed with a warning and reported as a miss
 *   (%SETL_CACHE_MISS_CORRUPT, or %G_IO_ERROR_INVALID_DATA from load).
 * - When the entries grow over #SetlCachePolicy:max-size (default
 *   %SETL_DISK_CACHE_DEFAULT_MAX_SIZE), the least recently used ones are
 *   removed; an entry larger than the limit is not stored.
 * - A stream is stored batch by batch (setl_cache_policy_begin_store(),
 *   #SetlDiskCacheWriter) and a cached table read back batch by batch
 *   (setl_cache_policy_open_stream(), #SetlTableFileStream): storing or
 *   reading an entry holds a batch in memory, not the table.
 *
 * |[<!-- language="C" -->
 * g_autoptr(SetlDiskCache) cache = setl_disk_cache_new ("/var/cache/etl");
 * g_object_set (cache, "ttl", (guint64) 86400, NULL);
 * setl_pipeline_set_cache_policy (pipeline, SETL_CACHE_POLICY (cache));
 * ]|
 */
struct _SetlDiskCache
{
  GObject parent_instance;

  GMutex          lock;          /* guards everything below */
  char           *dir;
  SetlDiskStore  *store;         /* opened on first use */
  guint64         ttl;
  guint64         max_size;
  int             level;
  gboolean        verify;
  SetlCacheStats  stats;
};

static void setl_disk_cache_policy_init (SetlCachePolicyInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SetlDiskCache, setl_disk_cache, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (SETL_TYPE_CACHE_POLICY,
                                                      setl_disk_cache_policy_init))

enum {
  PROP_0,
  PROP_DIR,
  PROP_COMPRESSION_LEVEL,
  PROP_VERIFY,
  PROP_TTL,
  PROP_MAX_SIZE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* What the entry file's metadata section holds: the hit block (what a
 * lookup reads, setl-disk-hit-block.c), then a GVariant of a format tag,
 * the entry's serialized metadata, what the disk policy adds to it ("ttl":
 * the TTL in force when the entry was stored), and the value of a simple
 * (non-table) payload. The GVariant is read only for the stored key's
 * ingredients (`setl cache explain`, a key of another subject). */
#define ENTRY_METADATA_TYPE "(sva{sv}mv)"
#define ENTRY_METADATA_TAG  "setl-disk-cache/2"

/* An entry returned by lookup keeps the file it was found in open, so that
 * load reads that very file even if it is replaced or evicted meanwhile. */
typedef struct {
  int      fd;
  char    *path;
  gboolean verified;   /* every batch's checksum was checked at lookup */
} OpenedEntry;

static void
opened_entry_free (gpointer data)
{
  OpenedEntry *opened = data;

  if (opened->fd >= 0)
    close (opened->fd);
  g_free (opened->path);
  g_free (opened);
}

static GQuark
opened_entry_quark (void)
{
  return g_quark_from_static_string ("setl-disk-cache-opened-entry");
}

static void
setl_disk_cache_finalize (GObject *object)
{
  SetlDiskCache *self = SETL_DISK_CACHE (object);

  g_clear_object (&self->store);
  g_free (self->dir);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (setl_disk_cache_parent_class)->finalize (object);
}

static void
setl_disk_cache_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  SetlDiskCache *self = SETL_DISK_CACHE (object);

  g_mutex_lock (&self->lock);
  switch (prop_id)
    {
    case PROP_DIR:
      g_value_set_string (value, self->dir);
      break;
    case PROP_COMPRESSION_LEVEL:
      g_value_set_int (value, self->level);
      break;
    case PROP_VERIFY:
      g_value_set_boolean (value, self->verify);
      break;
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
setl_disk_cache_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  SetlDiskCache *self = SETL_DISK_CACHE (object);
  gboolean changed = FALSE;

  g_mutex_lock (&self->lock);
  switch (prop_id)
    {
    case PROP_DIR:
      {
        const char *dir = g_value_get_string (value);
        g_autofree char *resolved = dir != NULL && *dir != '\0'
          ? g_strdup (dir)
          : g_build_filename (g_get_user_cache_dir (), "setl", NULL);

        if (g_strcmp0 (resolved, self->dir) != 0)
          {
            g_free (self->dir);
            self->dir = g_steal_pointer (&resolved);
            g_clear_object (&self->store);   /* reopened in the new place */
            changed = TRUE;
          }
      }
      break;
    case PROP_COMPRESSION_LEVEL:
      changed = self->level != g_value_get_int (value);
      self->level = g_value_get_int (value);
      break;
    case PROP_VERIFY:
      changed = self->verify != g_value_get_boolean (value);
      self->verify = g_value_get_boolean (value);
      break;
    case PROP_TTL:
      changed = self->ttl != g_value_get_uint64 (value);
      self->ttl = g_value_get_uint64 (value);
      break;
    case PROP_MAX_SIZE:
      changed = self->max_size != g_value_get_uint64 (value);
      self->max_size = g_value_get_uint64 (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
  g_mutex_unlock (&self->lock);

  if (changed)
    g_object_notify_by_pspec (object, pspec);
}

static void
setl_disk_cache_class_init (SetlDiskCacheClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = setl_disk_cache_finalize;
  object_class->get_property = setl_disk_cache_get_property;
  object_class->set_property = setl_disk_cache_set_property;

  /**
   * SetlDiskCache:dir:
   *
   * The cache directory. Setting %NULL or "" selects the default,
   * g_get_user_cache_dir()/setl (`~/.cache/setl`); reading it gives the
   * directory in use. Several processes may share it.
   */
  properties[PROP_DIR] =
    g_param_spec_string ("dir", "Directory",
                         "The cache directory (default: the user's cache directory/setl)",
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_EXPLICIT_NOTIFY |
                         G_PARAM_STATIC_STRINGS);
  /**
   * SetlDiskCache:compression-level:
   *
   * The zstd level entries are written with: from -7 (zstd's fast
   * levels: least CPU, largest entries) to 19 (smallest entries, slowest).
   * Reading is about as fast whatever the level.
   */
  properties[PROP_COMPRESSION_LEVEL] =
    g_param_spec_int ("compression-level", "Compression level",
                      "The zstd level entries are written with (-7: fastest, 19: smallest)",
                      -7, 19, 1,
                      G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_EXPLICIT_NOTIFY |
                      G_PARAM_STATIC_STRINGS);
  /**
   * SetlDiskCache:verify:
   *
   * Whether a lookup checks the checksum of every batch of the entry (it
   * reads the whole compressed file, but decompresses nothing), so that a
   * damaged entry is always a miss. Off by default: a lookup then checks
   * the header and metadata only, and damage inside a batch is found when
   * the table is loaded — every batch's checksum is checked then, before
   * any row is handed on, and the pipeline runs the factory after all
   * (its result says "recomputed"). Turn it on for policies used outside a
   * #SetlPipeline, where nothing would recompute. Checking costs reading
   * the whole entry at lookup (about 19 ms for a 53 MB entry).
   */
  properties[PROP_VERIFY] =
    g_param_spec_boolean ("verify", "Verify",
                          "Check every batch's checksum at lookup, so that any damage is a miss",
                          FALSE,
                          G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, PROP_TTL, properties);

  g_object_class_override_property (object_class, PROP_TTL, "ttl");
  g_object_class_override_property (object_class, PROP_MAX_SIZE, "max-size");
  properties[PROP_TTL] = g_object_class_find_property (object_class, "ttl");
  properties[PROP_MAX_SIZE] = g_object_class_find_property (object_class, "max-size");
}

static void
setl_disk_cache_init (SetlDiskCache *self)
{
  g_mutex_init (&self->lock);
  self->max_size = SETL_DISK_CACHE_DEFAULT_MAX_SIZE;
  self->level = 1;
  self->verify = FALSE;
}

/**
 * setl_disk_cache_new:
 * @dir: (nullable): the cache directory, or %NULL for the default
 *
 * Returns: (transfer full): a disk cache policy
 */
SetlDiskCache *
setl_disk_cache_new (const char *dir)
{
  return g_object_new (SETL_TYPE_DISK_CACHE, "dir", dir, NULL);
}

/**
 * setl_disk_cache_get_dir:
 * @self: a #SetlDiskCache
 *
 * Returns: the cache directory in use
 */
const char *
setl_disk_cache_get_dir (SetlDiskCache *self)
{
  g_return_val_if_fail (SETL_IS_DISK_CACHE (self), NULL);
  return self->dir;
}

/* The store, opened on first use; and a snapshot of the settings, so that
 * one operation sees one consistent configuration. */
typedef struct {
  SetlDiskStore *store;
  guint64        ttl;
  guint64        max_size;
  int            level;
  gboolean       verify;
} Settings;

static gboolean
get_settings (SetlDiskCache  *self,
              Settings       *settings,
              GError        **error)
{
  gboolean ok = TRUE;

  g_mutex_lock (&self->lock);
  if (self->store == NULL)
    self->store = setl_disk_store_new (self->dir, error);
  if (self->store != NULL)
    settings->store = g_object_ref (self->store);
  else
    ok = FALSE;
  settings->ttl = self->ttl;
  settings->max_size = self->max_size;
  settings->level = self->level;
  settings->verify = self->verify;
  g_mutex_unlock (&self->lock);
  return ok;
}

static void
settings_clear (Settings *settings)
{
  g_clear_object (&settings->store);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Settings, settings_clear)

static void
count (SetlDiskCache *self,
       guint64       *counter,
       gint64         delta)
{
  g_mutex_lock (&self->lock);
  *counter += delta;
  g_mutex_unlock (&self->lock);
}

/* ---------------------------------------------------------------------- */
/* Entry metadata                                                          */

static GVariant *
value_to_variant (const GValue *value)
{
  switch (G_VALUE_TYPE (value))
    {
    case G_TYPE_BOOLEAN: return g_variant_new_boolean (g_value_get_boolean (value));
    case G_TYPE_INT: return g_variant_new_int32 (g_value_get_int (value));
    case G_TYPE_UINT: return g_variant_new_uint32 (g_value_get_uint (value));
    case G_TYPE_INT64: return g_variant_new_int64 (g_value_get_int64 (value));
    case G_TYPE_UINT64: return g_variant_new_uint64 (g_value_get_uint64 (value));
    case G_TYPE_DOUBLE: return g_variant_new_double (g_value_get_double (value));
    case G_TYPE_STRING: return g_variant_new_maybe (G_VARIANT_TYPE_STRING,
                                                    g_value_get_string (value)
                                                    ? g_variant_new_string (g_value_get_string (value))
                                                    : NULL);
    default: return NULL;
    }
}

static gboolean
value_from_variant (GType      type,
                    GVariant  *variant,
                    GValue    *value)
{
  static const struct { GType type; const char *signature; } sigs[] = {
    { G_TYPE_BOOLEAN, "b" }, { G_TYPE_INT, "i" }, { G_TYPE_UINT, "u" },
    { G_TYPE_INT64, "x" }, { G_TYPE_UINT64, "t" }, { G_TYPE_DOUBLE, "d" },
    { G_TYPE_STRING, "ms" },
  };
  const char *sig = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (sigs); i++)
    if (sigs[i].type == type)
      sig = sigs[i].signature;
  if (sig == NULL || !g_variant_is_of_type (variant, G_VARIANT_TYPE (sig)))
    return FALSE;

  g_value_init (value, type);
  switch (type)
    {
    case G_TYPE_BOOLEAN: g_value_set_boolean (value, g_variant_get_boolean (variant)); break;
    case G_TYPE_INT: g_value_set_int (value, g_variant_get_int32 (variant)); break;
    case G_TYPE_UINT: g_value_set_uint (value, g_variant_get_uint32 (variant)); break;
    case G_TYPE_INT64: g_value_set_int64 (value, g_variant_get_int64 (variant)); break;
    case G_TYPE_UINT64: g_value_set_uint64 (value, g_variant_get_uint64 (variant)); break;
    case G_TYPE_DOUBLE: g_value_set_double (value, g_variant_get_double (variant)); break;
    default:
      {
        g_autoptr(GVariant) inner = g_variant_get_maybe (variant);
        g_value_set_string (value, inner ? g_variant_get_string (inner, NULL) : NULL);
      }
    }
  return TRUE;
}

GBytes *
_setl_disk_cache_encode_metadata (SetlCacheEntry *entry,
                                  guint64         ttl,
                                  const GValue   *simple_value)
{
  GVariant *value = simple_value != NULL ? value_to_variant (simple_value) : NULL;
  g_autoptr(GVariant) v = NULL;
  GVariantBuilder extra;
  GByteArray *buf = g_byte_array_new ();

  g_variant_builder_init (&extra, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&extra, "{sv}", "ttl", g_variant_new_uint64 (ttl));
  v = g_variant_ref_sink (
        g_variant_new ("(sva{sv}mv)", ENTRY_METADATA_TAG,
                       setl_cache_entry_serialize_metadata (entry), &extra, value));
  _setl_disk_hit_block_append (buf, entry, ttl, simple_value);
  g_byte_array_append (buf, g_variant_get_data (v), (guint) g_variant_get_size (v));
  return g_byte_array_free_to_bytes (buf);
}

/* Reads back what encode_metadata() wrote; @path only names the file in
 * errors. The simple value, if any, becomes the entry's payload. With @key
 * (the key looked up), the entry must be that key's and takes it, read
 * from the hit block alone (checked byte by byte: the checksums that
 * cover it are no signature); the GVariant is read for the stored key's
 * ingredients — without @key, or for a key of another subject. */
static SetlCacheEntry *
decode_metadata (GBytes        *bytes,
                 const char    *path,
                 SetlCacheKey  *key,
                 guint64       *stored_ttl,
                 GError       **error)
{
  g_autoptr(GVariant) v = NULL;
  g_autoptr(GVariant) inner = NULL;
  g_autoptr(GVariant) extra = NULL;
  g_autoptr(GVariant) value = NULL;
  g_autoptr(SetlCacheEntry) entry = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GBytes) variant_bytes = NULL;
  const char *tag = NULL;
  const guint8 *data;
  gsize size, block_size;

  if (bytes == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "Cache entry “%s” has no metadata", path);
      return NULL;
    }
  data = g_bytes_get_data (bytes, &size);
  /* A lookup by key reads the hit block alone; it says when the stored
   * key must be read from the GVariant after all (another subject). */
  if (key != NULL)
    {
      entry = _setl_disk_hit_block_read (data, size, key, stored_ttl, &local_error);
      if (entry != NULL)
        return g_steal_pointer (&entry);
    }
  if (local_error == NULL)
    _setl_disk_hit_block_size (data, size, &block_size, &local_error);
  if (local_error != NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "Cache entry “%s”: %s", path, local_error->message);
      return NULL;
    }
  variant_bytes = g_bytes_new_from_bytes (bytes, block_size, size - block_size);
  /* Not trusted: GVariant checks serialized data as it reads it. Read
   * child by child: g_variant_get() and g_variant_lookup() parse their
   * format strings on every call (a tenth of a lookup's instructions). */
  v = g_variant_ref_sink (g_variant_new_from_bytes (G_VARIANT_TYPE (ENTRY_METADATA_TYPE),
                                                    variant_bytes, FALSE));
  {
    g_autoptr(GVariant) tag_child = g_variant_get_child_value (v, 0);
    g_autoptr(GVariant) inner_child = g_variant_get_child_value (v, 1);
    g_autoptr(GVariant) value_child = g_variant_get_child_value (v, 3);

    tag = g_variant_get_string (tag_child, NULL);
    if (strcmp (tag, ENTRY_METADATA_TAG) != 0)
      {
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                     "Cache entry “%s” has metadata of format “%s”, not “%s”",
                     path, tag, ENTRY_METADATA_TAG);
        return NULL;
      }
    inner = g_variant_get_variant (inner_child);
    extra = g_variant_get_child_value (v, 2);
    if (g_variant_n_children (value_child) > 0)
      {
        g_autoptr(GVariant) boxed = g_variant_get_child_value (value_child, 0);
        value = g_variant_get_variant (boxed);
      }
  }
  if (stored_ttl != NULL)
    {
      gsize n = g_variant_n_children (extra);

      *stored_ttl = 0;
      for (gsize i = 0; i < n; i++)
        {
          g_autoptr(GVariant) item = g_variant_get_child_value (extra, i);
          g_autoptr(GVariant) name = g_variant_get_child_value (item, 0);
          g_autoptr(GVariant) boxed = NULL;
          g_autoptr(GVariant) ttl = NULL;

          if (strcmp (g_variant_get_string (name, NULL), "ttl") != 0)
            continue;
          boxed = g_variant_get_child_value (item, 1);
          ttl = g_variant_get_variant (boxed);
          if (g_variant_is_of_type (ttl, G_VARIANT_TYPE_UINT64))
            *stored_ttl = g_variant_get_uint64 (ttl);
          break;
        }
    }
  entry = key != NULL ? setl_cache_entry_deserialize_metadata_for_key (inner, key, &local_error)
                      : setl_cache_entry_deserialize_metadata (inner, &local_error);
  if (entry == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "Cache entry “%s”: %s", path, local_error->message);
      return NULL;
    }

  if (setl_cache_entry_get_payload_type (entry) == SETL_TYPE_TABLE)
    {
      if (value != NULL)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       "Cache entry “%s” holds a table and a value", path);
          return NULL;
        }
    }
  else
    {
      g_auto(GValue) payload = G_VALUE_INIT;

      if (value == NULL ||
          !value_from_variant (setl_cache_entry_get_payload_type (entry), value, &payload))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       "Cache entry “%s” lacks its %s value", path,
                       g_type_name (setl_cache_entry_get_payload_type (entry)));
          return NULL;
        }
      setl_cache_entry_set_payload (entry, &payload);
    }
  return g_steal_pointer (&entry);
}

/* ---------------------------------------------------------------------- */
/* The policy                                                              */

static void
drop_corrupt (SetlDiskCache  *self,
              SetlDiskStore  *store,
              const char     *digest,
              int             fd,
              const char     *message)
{
  g_autoptr(GError) error = NULL;

  g_warning ("Disk cache: dropping a damaged entry: %s", message);
  if (!setl_disk_store_drop (store, digest, fd, NULL, &error))
    g_warning ("%s", error->message);
  count (self, &self->stats.corrupt, 1);
}

/* An entry found at lookup could not be read: an I/O error is reported as
 * such; anything else means the entry is damaged, so it is dropped and the
 * hit counted at lookup becomes a miss. Closes @fd. */
static void
fail_read (SetlDiskCache  *self,
           SetlDiskStore  *store,
           const char     *digest,
           int             fd,
           const GError   *local_error,
           GError        **error)
{
  if (g_error_matches (local_error, SETL_TABLE_FILE_ERROR, SETL_TABLE_FILE_ERROR_IO))
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "Disk cache: %s",
                 local_error->message);
  else
    {
      drop_corrupt (self, store, digest, fd, local_error->message);
      count (self, &self->stats.hits, -1);
      count (self, &self->stats.misses, 1);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "Disk cache: %s",
                   local_error->message);
    }
  close (fd);
}

/* Reads and checks an entry's header and metadata from @fd. */
static SetlCacheEntry *
read_entry (int            fd,
            const char    *path,
            SetlCacheKey  *lookup_key,
            const char    *digest,
            guint64       *file_size,
            guint64       *stored_ttl,
            GError       **error)
{
  g_autoptr(SetlTableFileInfo) info = NULL;
  g_autoptr(SetlCacheEntry) entry = NULL;
  SetlCacheKey *key;

  info = setl_table_file_check_info_fd (fd, path, error);
  if (info == NULL)
    return NULL;
  entry = decode_metadata (info->metadata, path, lookup_key, stored_ttl, error);
  if (entry == NULL)
    return NULL;
  key = setl_cache_entry_get_key (entry);
  if (digest != NULL && strcmp (setl_cache_key_get_digest (key), digest) != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "Cache entry “%s” holds the entry of key %s", path,
                   setl_cache_key_get_digest (key));
      return NULL;
    }
  if (setl_cache_entry_get_payload_type (entry) != SETL_TYPE_TABLE &&
      (info->n_fields > 0 || info->n_batches > 0))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "Cache entry “%s” holds a value but also a table", path);
      return NULL;
    }
  *file_size = info->file_size;
  return g_steal_pointer (&entry);
}

static SetlCacheEntry *
setl_disk_cache_lookup (SetlCachePolicy      *policy,
                        SetlCacheKey         *key,
                        SetlCacheMissReason  *reason,
                        GCancellable         *cancellable,
                        GError              **error)
{
  SetlDiskCache *self = SETL_DISK_CACHE (policy);
  g_auto(Settings) settings = { 0 };
  const char *digest = setl_cache_key_get_digest (key);
  g_autofree char *path = NULL;
  g_autoptr(SetlCacheEntry) entry = NULL;
  g_autoptr(GError) local_error = NULL;
  guint64 file_size = 0;
  guint64 stored_ttl = 0;
  gint64 now = g_get_real_time ();
  OpenedEntry *opened;
  int fd;

  *reason = SETL_CACHE_MISS_NO_ENTRY;
  if (g_cancellable_set_error_if_cancelled (cancellable, error) ||
      !get_settings (self, &settings, error))
    return NULL;

  path = setl_disk_store_entry_path (settings.store, digest);
  fd = setl_disk_store_open (settings.store, path, error);
  if (fd < 0)
    {
      if (error == NULL || *error == NULL)
        count (self, &self->stats.misses, 1);
      return NULL;
    }

  entry = read_entry (fd, path, key, digest, &file_size, &stored_ttl, &local_error);
  /* A table is read later, maybe by a consumer already running: damage
   * found then could only fail it. Checking every batch's checksum now
   * turns any damage into a miss, and the factory is run instead. */
  if (entry != NULL && settings.verify && setl_cache_entry_get_payload (entry) == NULL &&
      !setl_table_file_verify_fd (fd, path, &local_error))
    g_clear_object (&entry);
  if (entry == NULL)
    {
      if (g_error_matches (local_error, SETL_TABLE_FILE_ERROR, SETL_TABLE_FILE_ERROR_IO))
        {
          close (fd);
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      drop_corrupt (self, settings.store, digest, fd, local_error->message);
      close (fd);
      count (self, &self->stats.misses, 1);
      *reason = SETL_CACHE_MISS_CORRUPT;
      return NULL;
    }

  /* Both the TTL in force now and the one the entry was stored under
   * apply: a result stored as valid for an hour is not served after that
   * to a process configured with a longer TTL, or none. */
  if (setl_cache_entry_is_expired (entry, settings.ttl, now) ||
      setl_cache_entry_is_expired (entry, stored_ttl, now))
    {
      gboolean dropped = FALSE;

      setl_disk_store_drop (settings.store, digest, fd, &dropped, NULL);
      close (fd);
      if (dropped)
        count (self, &self->stats.expired, 1);
      count (self, &self->stats.misses, 1);
      *reason = SETL_CACHE_MISS_EXPIRED;
      return NULL;
    }

  setl_cache_entry_set_size (entry, file_size);
  setl_cache_entry_set_last_access (entry, now);
  setl_disk_store_touch (fd);
  count (self, &self->stats.hits, 1);
  *reason = SETL_CACHE_MISS_NONE;

  if (setl_cache_entry_get_payload (entry) != NULL)
    close (fd);   /* a simple value: nothing more to read */
  else
    {
      opened = g_new0 (OpenedEntry, 1);
      opened->fd = fd;
      opened->path = g_steal_pointer (&path);
      opened->verified = settings.verify;
      g_object_set_qdata_full (G_OBJECT (entry), opened_entry_quark (), opened,
                               opened_entry_free);
    }
  return g_steal_pointer (&entry);
}

/* The file of an entry returned by lookup: the one lookup opened, or (for
 * an entry this policy did not look up) the one stored now. -1 with
 * G_IO_ERROR_NOT_FOUND when there is none. */
static int
take_entry_file (SetlCacheEntry  *entry,
                 SetlDiskStore   *store,
                 char           **path,
                 gboolean        *verified,
                 GError         **error)
{
  SetlCacheKey *key = setl_cache_entry_get_key (entry);
  OpenedEntry *opened = g_object_steal_qdata (G_OBJECT (entry), opened_entry_quark ());
  int fd;

  *verified = FALSE;
  if (opened != NULL)
    {
      fd = opened->fd;
      *path = g_steal_pointer (&opened->path);
      *verified = opened->verified;
      opened->fd = -1;
      opened_entry_free (opened);
      return fd;
    }
  *path = setl_disk_store_entry_path (store, setl_cache_key_get_digest (key));
  fd = setl_disk_store_open (store, *path, error);
  if (fd < 0 && (error == NULL || *error == NULL))
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                 "Disk cache: the entry of “%s” (%s) is gone",
                 setl_cache_key_get_subject (key), *path);
  return fd;
}

static gboolean
setl_disk_cache_load (SetlCachePolicy  *policy,
                      SetlCacheEntry   *entry,
                      GCancellable     *cancellable,
                      GError          **error)
{
  SetlDiskCache *self = SETL_DISK_CACHE (policy);
  g_auto(Settings) settings = { 0 };
  SetlCacheKey *key = setl_cache_entry_get_key (entry);
  const char *digest = setl_cache_key_get_digest (key);
  g_autofree char *path = NULL;
  g_autoptr(SetlTableFileInfo) info = NULL;
  g_autoptr(SetlTable) table = NULL;
  gboolean verified;
  g_autoptr(SetlCacheEntry) stored = NULL;
  g_autoptr(GError) local_error = NULL;
  g_auto(GValue) payload = G_VALUE_INIT;
  int fd;

  if (setl_cache_entry_get_payload (entry) != NULL)
    return TRUE;
  if (setl_cache_entry_get_payload_type (entry) != SETL_TYPE_TABLE)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "Disk cache: the entry of “%s” has no %s payload to load",
                   setl_cache_key_get_subject (key),
                   g_type_name (setl_cache_entry_get_payload_type (entry)));
      return FALSE;
    }
  if (g_cancellable_set_error_if_cancelled (cancellable, error) ||
      !get_settings (self, &settings, error))
    return FALSE;

  fd = take_entry_file (entry, settings.store, &path, &verified, error);
  if (fd < 0)
    return FALSE;

  table = setl_table_file_read_fd (fd, path, &info, &local_error);
  if (table != NULL)
    stored = decode_metadata (info->metadata, path, key, NULL, &local_error);
  if (stored != NULL &&
      strcmp (setl_cache_key_get_digest (setl_cache_entry_get_key (stored)), digest) != 0)
    g_set_error (&local_error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                 "Cache entry “%s” holds the entry of another key", path);

  if (local_error != NULL)
    {
      fail_read (self, settings.store, digest, fd, local_error, error);
      return FALSE;
    }
  close (fd);

  g_value_init (&payload, SETL_TYPE_TABLE);
  g_value_set_object (&payload, table);
  setl_cache_entry_set_payload (entry, &payload);
  return TRUE;
}

/* Writes @entry's file beside its final path; NULL with @error on failure. */
static SetlTableFileWriter *
write_entry_file (const char      *path,
                  SetlCacheEntry  *entry,
                  const GValue    *payload,
                  int              level,
                  guint64          ttl,
                  GCancellable    *cancellable,
                  GError         **error)
{
  g_autoptr(SetlTableFileWriter) writer = NULL;
  g_autoptr(GBytes) metadata = NULL;
  SetlTable *table = NULL;
  SetlField **fields = NULL;
  guint n_fields = 0;

  if (G_VALUE_HOLDS (payload, SETL_TYPE_TABLE))
    {
      table = g_value_get_object (payload);
      if (table == NULL)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       "Disk cache: the entry of “%s” holds a NULL table",
                       setl_cache_key_get_subject (setl_cache_entry_get_key (entry)));
          return NULL;
        }
      fields = setl_table_get_fields (table, &n_fields);
      metadata = _setl_disk_cache_encode_metadata (entry, ttl, NULL);
    }
  else
    metadata = _setl_disk_cache_encode_metadata (entry, ttl, payload);

  writer = setl_table_file_writer_new (path, fields, n_fields, metadata, level, error);
  if (writer == NULL)
    return NULL;
  for (guint i = 0; table != NULL && i < setl_table_get_n_batches (table); i++)
    if (g_cancellable_set_error_if_cancelled (cancellable, error) ||
        !setl_table_file_writer_add_batch (writer, setl_table_get_batch (table, i), error))
      return NULL;
  return g_steal_pointer (&writer);
}

gboolean
_setl_disk_cache_write_subject (SetlDiskStore   *store,
                                SetlCacheEntry  *entry,
                                GError         **error)
{
  const char *subject = setl_cache_key_get_subject (setl_cache_entry_get_key (entry));
  g_autofree char *path = setl_disk_store_subject_path (store, subject);
  g_autoptr(SetlCacheEntry) meta = setl_cache_entry_copy_metadata (entry);
  g_autoptr(GBytes) metadata = NULL;
  g_autoptr(SetlTableFileWriter) writer = NULL;
  GValue zero = G_VALUE_INIT;

  /* The record says which entry is the latest and what its key was made
   * of; a simple payload is not needed there, but the format wants a value
   * for non-table entries. */
  if (setl_cache_entry_get_payload_type (meta) != SETL_TYPE_TABLE)
    g_value_init (&zero, setl_cache_entry_get_payload_type (meta));
  metadata = _setl_disk_cache_encode_metadata (meta, 0, G_IS_VALUE (&zero) ? &zero : NULL);
  if (G_IS_VALUE (&zero))
    g_value_unset (&zero);

  if (!setl_disk_store_prepare (store, path, error))
    return FALSE;
  writer = setl_table_file_writer_new (path, NULL, 0, metadata, 1, error);
  return writer != NULL &&
         setl_table_file_writer_finish (writer, NULL, error) &&
         setl_disk_store_commit_subject (store, writer, error);
}

static gboolean
setl_disk_cache_store (SetlCachePolicy  *policy,
                       SetlCacheEntry   *entry,
                       GCancellable     *cancellable,
                       GError          **error)
{
  SetlDiskCache *self = SETL_DISK_CACHE (policy);
  g_auto(Settings) settings = { 0 };
  SetlCacheKey *key = setl_cache_entry_get_key (entry);
  const GValue *payload = setl_cache_entry_get_payload (entry);
  g_autofree char *path = NULL;
  g_autoptr(SetlTableFileWriter) writer = NULL;
  g_autoptr(SetlTableFileInfo) info = NULL;
  guint64 n_evicted = 0;

  if (!setl_cache_payload_type_is_supported (G_VALUE_TYPE (payload)))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   "Disk cache: cannot store a %s (the result of “%s”)",
                   G_VALUE_TYPE_NAME (payload), setl_cache_key_get_subject (key));
      return FALSE;
    }
  if (!get_settings (self, &settings, error))
    return FALSE;

  path = setl_disk_store_entry_path (settings.store, setl_cache_key_get_digest (key));
  if (!setl_disk_store_prepare (settings.store, path, error))
    return FALSE;
  writer = write_entry_file (path, entry, payload, settings.level, settings.ttl,
                             cancellable, error);
  if (writer == NULL || !setl_table_file_writer_finish (writer, &info, error))
    return FALSE;

  if (settings.max_size > 0 && info->file_size > settings.max_size)
    {
      g_debug ("Disk cache: the entry of “%s” takes %" G_GUINT64_FORMAT " bytes, more "
               "than max-size; not stored", setl_cache_key_get_subject (key),
               info->file_size);
      setl_table_file_writer_abort (writer);
      return TRUE;
    }
  if (!setl_disk_store_commit (settings.store, writer, settings.max_size, &n_evicted, error))
    return FALSE;

  setl_cache_entry_set_size (entry, info->file_size);
  _setl_disk_cache_note_stored (self, n_evicted);
  return _setl_disk_cache_write_subject (settings.store, entry, error);
}

void
_setl_disk_cache_note_stored (SetlDiskCache *self,
                              guint64        n_evicted)
{
  count (self, &self->stats.stores, 1);
  count (self, &self->stats.evictions, (gint64) n_evicted);
}

static SetlCacheWriter *
setl_disk_cache_begin_store (SetlCachePolicy  *policy,
                             SetlCacheEntry   *entry,
                             SetlField       **fields,
                             guint             n_fields,
                             GCancellable     *cancellable,
                             GError          **error)
{
  SetlDiskCache *self = SETL_DISK_CACHE (policy);
  g_auto(Settings) settings = { 0 };

  if (!get_settings (self, &settings, error))
    return NULL;
  return setl_disk_cache_writer_new (self, settings.store, entry, fields, n_fields,
                                     settings.max_size, settings.ttl, settings.level, error);
}

static SetlBatchStream *
setl_disk_cache_open_stream (SetlCachePolicy  *policy,
                             SetlCacheEntry   *entry,
                             GCancellable     *cancellable,
                             GError          **error)
{
  SetlDiskCache *self = SETL_DISK_CACHE (policy);
  g_auto(Settings) settings = { 0 };
  SetlCacheKey *key = setl_cache_entry_get_key (entry);
  const char *digest = setl_cache_key_get_digest (key);
  g_autoptr(SetlCacheEntry) stored = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *path = NULL;
  guint64 file_size = 0;
  gboolean verified;
  int fd;

  if (g_cancellable_set_error_if_cancelled (cancellable, error) ||
      !get_settings (self, &settings, error))
    return NULL;
  fd = take_entry_file (entry, settings.store, &path, &verified, error);
  if (fd < 0)
    return NULL;

  /* Every batch's checksum before the first batch is handed on: a damaged
   * entry is found while its factory can still be run instead. What
   * decompressing finds (a file written wrong) fails the pass. */
  stored = read_entry (fd, path, key, digest, &file_size, NULL, &local_error);
  if (stored != NULL && !verified)
    setl_table_file_verify_fd (fd, path, &local_error);
  if (local_error != NULL)
    {
      fail_read (self, settings.store, digest, fd, local_error, error);
      return NULL;
    }
  return SETL_BATCH_STREAM (setl_table_file_stream_new (fd, path, error));
}

static SetlCacheEntry *
setl_disk_cache_lookup_subject (SetlCachePolicy  *policy,
                                const char       *subject,
                                GCancellable     *cancellable,
                                GError          **error)
{
  SetlDiskCache *self = SETL_DISK_CACHE (policy);
  g_auto(Settings) settings = { 0 };
  g_autofree char *path = NULL;
  g_autoptr(SetlTable) table = NULL;
  g_autoptr(SetlTableFileInfo) info = NULL;
  g_autoptr(SetlCacheEntry) entry = NULL;
  g_autoptr(GError) local_error = NULL;
  int fd;

  if (!get_settings (self, &settings, error))
    return NULL;
  path = setl_disk_store_subject_path (settings.store, subject);
  fd = setl_disk_store_open (settings.store, path, error);
  if (fd < 0)
    return NULL;

  table = setl_table_file_read_fd (fd, path, &info, &local_error);
  close (fd);
  if (table != NULL)
    entry = decode_metadata (info->metadata, path, NULL, NULL, &local_error);
  if (entry != NULL &&
      strcmp (setl_cache_key_get_subject (setl_cache_entry_get_key (entry)), subject) != 0)
    g_clear_object (&entry);   /* a hash collision: as good as none */

  if (local_error != NULL)
    {
      /* Only the explanation of a miss is lost: remove it, and go on. */
      g_warning ("Disk cache: dropping a damaged subject record: %s", local_error->message);
      unlink (path);
      return NULL;
    }
  if (entry != NULL)
    setl_cache_entry_set_payload (entry, NULL);
  return g_steal_pointer (&entry);
}

static gboolean
setl_disk_cache_remove (SetlCachePolicy  *policy,
                        const char       *digest,
                        GError          **error)
{
  SetlDiskCache *self = SETL_DISK_CACHE (policy);
  g_auto(Settings) settings = { 0 };
  gboolean dropped = FALSE;

  if (!setl_cache_digest_is_valid (digest))
    return FALSE;
  if (!get_settings (self, &settings, error) ||
      !setl_disk_store_drop (settings.store, digest, -1, &dropped, error))
    return FALSE;
  return dropped;
}

static gboolean
setl_disk_cache_clear (SetlCachePolicy  *policy,
                       GError          **error)
{
  SetlDiskCache *self = SETL_DISK_CACHE (policy);
  g_auto(Settings) settings = { 0 };

  return get_settings (self, &settings, error) &&
         setl_disk_store_clear (settings.store, error);
}

static void
setl_disk_cache_get_stats (SetlCachePolicy *policy,
                           SetlCacheStats  *stats)
{
  SetlDiskCache *self = SETL_DISK_CACHE (policy);
  g_auto(Settings) settings = { 0 };
  g_autoptr(GError) error = NULL;
  SetlDiskStoreUsage usage = { 0 };

  if (!get_settings (self, &settings, &error) ||
      !setl_disk_store_get_usage (settings.store, &usage, &error))
    g_debug ("%s", error->message);

  g_mutex_lock (&self->lock);
  *stats = self->stats;
  g_mutex_unlock (&self->lock);
  stats->n_entries = usage.n_entries;
  stats->size = usage.size;
  stats->max_size = settings.max_size;
}

static void
setl_disk_cache_policy_init (SetlCachePolicyInterface *iface)
{
  iface->lookup = setl_disk_cache_lookup;
  iface->load = setl_disk_cache_load;
  iface->store = setl_disk_cache_store;
  iface->lookup_subject = setl_disk_cache_lookup_subject;
  iface->remove = setl_disk_cache_remove;
  iface->clear = setl_disk_cache_clear;
  iface->get_stats = setl_disk_cache_get_stats;
  iface->begin_store = setl_disk_cache_begin_store;
  iface->open_stream = setl_disk_cache_open_stream;
}
