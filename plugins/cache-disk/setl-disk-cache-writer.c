/* setl-disk-cache-writer.c: SetlDiskCacheWriter — a disk cache entry
 * written batch by batch, committed atomically.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "setl-disk-cache-writer.h"
#include "setl-disk-cache-private.h"
#include "setl-table-file-stream.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <glib/gstdio.h>

/**
 * SetlDiskCacheWriter:
 *
 * What #SetlDiskCache's setl_cache_policy_begin_store() returns: each batch
 * is compressed and appended to a temporary file beside the entry's final
 * name as it arrives (#SetlTableFileWriter), so that storing a stream holds
 * one batch in memory, not the stream.
 *
 * - The entry's metadata goes at the start of the file, but its data
 *   version (the hash of the rows) is known only at the end: the writer
 *   starts with a placeholder of the same size (32 zeros) and writes the
 *   metadata again when it commits.
 * - As soon as the file grows over #SetlCachePolicy:max-size, adding a
 *   batch fails with %G_IO_ERROR_MESSAGE_TOO_LARGE and the temporary file
 *   is removed.
 * - Committing syncs the file and renames it into place under the store's
 *   lock, evicting least recently used entries beyond max-size, exactly as
 *   a whole-table store does, then records the entry as its subject's
 *   latest. It returns a #SetlTableFileStream over the committed file,
 *   opened before the rename, so the consumers read this very file batch by
 *   batch even if it is evicted or replaced meanwhile.
 * - Aborting, or dropping the writer before it commits, removes the
 *   temporary file: nothing stays.
 */
struct _SetlDiskCacheWriter
{
  SetlCacheWriter parent_instance;

  SetlDiskCache       *cache;
  SetlDiskStore       *store;
  SetlTableFileWriter *file;
  guint64              max_size;
  guint64              ttl;
};

G_DEFINE_FINAL_TYPE (SetlDiskCacheWriter, setl_disk_cache_writer, SETL_TYPE_CACHE_WRITER)

/* What a data version looks like (setl_cache_payload_hash()): its room is
 * reserved with this until the end. */
#define DATA_VERSION_PLACEHOLDER "00000000000000000000000000000000"

static void
setl_disk_cache_writer_finalize (GObject *object)
{
  SetlDiskCacheWriter *self = SETL_DISK_CACHE_WRITER (object);

  /* The parent's dispose aborted an uncommitted writer already. */
  g_clear_object (&self->file);
  g_clear_object (&self->store);
  g_clear_object (&self->cache);

  G_OBJECT_CLASS (setl_disk_cache_writer_parent_class)->finalize (object);
}

static gboolean
too_large (SetlDiskCacheWriter  *self,
           guint64               size,
           GError              **error)
{
  SetlCacheKey *key = setl_cache_entry_get_key (setl_cache_writer_get_entry (SETL_CACHE_WRITER (self)));

  g_set_error (error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE,
               "the entry of “%s” takes more than %" G_GUINT64_FORMAT " bytes on disk "
               "(%" G_GUINT64_FORMAT " so far), the cache's max-size",
               setl_cache_key_get_subject (key), self->max_size, size);
  return FALSE;
}

static gboolean
wrap_error (GError **error,
            GError  *local)
{
  /* Table file errors say which file; the pipeline's message says the
   * rest. */
  g_propagate_prefixed_error (error, local, "Disk cache: ");
  return FALSE;
}

static gboolean
setl_disk_cache_writer_add_batch (SetlCacheWriter  *writer,
                                  SetlRecordBatch  *batch,
                                  GCancellable     *cancellable,
                                  GError          **error)
{
  SetlDiskCacheWriter *self = SETL_DISK_CACHE_WRITER (writer);
  GError *local = NULL;
  guint64 size;

  if (!setl_table_file_writer_add_batch (self->file, batch, &local))
    return wrap_error (error, local);
  size = setl_table_file_writer_get_size (self->file);
  if (self->max_size > 0 && size > self->max_size)
    return too_large (self, size, error);
  return TRUE;
}

static SetlBatchStream *
setl_disk_cache_writer_commit (SetlCacheWriter  *writer,
                               GCancellable     *cancellable,
                               GError          **error)
{
  SetlDiskCacheWriter *self = SETL_DISK_CACHE_WRITER (writer);
  SetlCacheEntry *entry = setl_cache_writer_get_entry (writer);
  g_autoptr(GBytes) metadata = _setl_disk_cache_encode_metadata (entry, self->ttl, NULL);
  g_autoptr(SetlTableFileInfo) info = NULL;
  g_autoptr(GError) subject_error = NULL;
  g_autofree char *path = g_strdup (setl_table_file_writer_get_path (self->file));
  GError *local = NULL;
  guint64 n_evicted = 0;
  int fd;

  if (!setl_table_file_writer_set_metadata (self->file, metadata, &local) ||
      !setl_table_file_writer_finish (self->file, &info, &local))
    {
      wrap_error (error, local);
      return NULL;
    }
  if (self->max_size > 0 && info->file_size > self->max_size)
    {
      too_large (self, info->file_size, error);
      return NULL;
    }

  /* Opened before the rename: the consumers read this file whatever
   * happens to the name afterwards. */
  fd = g_open (setl_table_file_writer_get_temp_path (self->file), O_RDONLY | O_CLOEXEC, 0);
  if (fd < 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   "Disk cache: cannot open “%s” again: %s",
                   setl_table_file_writer_get_temp_path (self->file), g_strerror (saved_errno));
      return NULL;
    }
  if (!setl_disk_store_commit (self->store, self->file, self->max_size, &n_evicted, error))
    {
      close (fd);
      return NULL;
    }
  setl_cache_entry_set_size (entry, info->file_size);
  _setl_disk_cache_note_stored (self->cache, n_evicted);
  /* The entry is stored; only the explanation of later misses is lost. */
  if (!_setl_disk_cache_write_subject (self->store, entry, &subject_error))
    g_warning ("Disk cache: the entry of “%s” is stored, but not recorded as its "
               "latest: %s", setl_cache_key_get_subject (setl_cache_entry_get_key (entry)),
               subject_error->message);

  return SETL_BATCH_STREAM (setl_table_file_stream_new (fd, path, error));
}

static void
setl_disk_cache_writer_abort (SetlCacheWriter *writer)
{
  SetlDiskCacheWriter *self = SETL_DISK_CACHE_WRITER (writer);

  if (self->file != NULL)
    setl_table_file_writer_abort (self->file);
}

static void
setl_disk_cache_writer_class_init (SetlDiskCacheWriterClass *klass)
{
  SetlCacheWriterClass *writer_class = SETL_CACHE_WRITER_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = setl_disk_cache_writer_finalize;
  writer_class->add_batch = setl_disk_cache_writer_add_batch;
  writer_class->commit = setl_disk_cache_writer_commit;
  writer_class->abort = setl_disk_cache_writer_abort;
}

static void
setl_disk_cache_writer_init (SetlDiskCacheWriter *self)
{
}

/**
 * setl_disk_cache_writer_new:
 * @cache: the policy
 * @store: its store, opened
 * @entry: the entry to store (key and metadata, payload type table)
 * @fields: (array length=n_fields): the schema
 * @n_fields: the number of fields
 * @max_size: the policy's max-size, 0 for none
 * @ttl: the policy's TTL, recorded in the entry
 * @level: the zstd level
 * @error: return location for a #GError
 *
 * Creates the entry's temporary file and writes its schema and a
 * placeholder of its metadata.
 *
 * Returns: (transfer full): the writer, or %NULL with @error set
 */
SetlCacheWriter *
setl_disk_cache_writer_new (SetlDiskCache   *cache,
                            SetlDiskStore   *store,
                            SetlCacheEntry  *entry,
                            SetlField      **fields,
                            guint            n_fields,
                            guint64          max_size,
                            guint64          ttl,
                            int              level,
                            GError         **error)
{
  SetlCacheKey *key = setl_cache_entry_get_key (entry);
  g_autoptr(SetlCacheEntry) placeholder = setl_cache_entry_copy_metadata (entry);
  g_autoptr(GBytes) metadata = NULL;
  g_autoptr(GPtrArray) array = g_ptr_array_new ();
  g_autofree char *path = setl_disk_store_entry_path (store, setl_cache_key_get_digest (key));
  g_autoptr(SetlDiskCacheWriter) self = NULL;
  GError *local = NULL;

  if (!setl_disk_store_prepare (store, path, error))
    return NULL;
  setl_cache_entry_set_data_version (placeholder, DATA_VERSION_PLACEHOLDER);
  metadata = _setl_disk_cache_encode_metadata (placeholder, ttl, NULL);

  for (guint i = 0; i < n_fields; i++)
    g_ptr_array_add (array, fields[i]);
  self = g_object_new (SETL_TYPE_DISK_CACHE_WRITER, "entry", entry, "fields", array, NULL);
  self->cache = g_object_ref (cache);
  self->store = g_object_ref (store);
  self->max_size = max_size;
  self->ttl = ttl;
  self->file = setl_table_file_writer_new (path, fields, n_fields, metadata, level, &local);
  if (self->file == NULL)
    {
      wrap_error (error, local);
      return NULL;
    }
  return SETL_CACHE_WRITER (g_steal_pointer (&self));
}

/**
 * setl_disk_cache_writer_get_temp_path:
 * @self: a #SetlDiskCacheWriter
 *
 * Returns: (nullable): the temporary file being written, until the writer
 *   commits or aborts
 */
const char *
setl_disk_cache_writer_get_temp_path (SetlDiskCacheWriter *self)
{
  g_return_val_if_fail (SETL_IS_DISK_CACHE_WRITER (self), NULL);
  return self->file ? setl_table_file_writer_get_temp_path (self->file) : NULL;
}
