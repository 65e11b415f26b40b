/* setl-table-file-writer.c: SetlTableFileWriter — a table file written
 * batch by batch beside its target and renamed over it at the end.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "setl-table-file-writer.h"
#include "setl-table-file-private.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include <xxhash.h>
#include <zstd.h>

/**
 * SetlTableFileWriter:
 *
 * Writes a #SetlTable (or a stream of record batches with one schema) as a
 * table file: every batch is laid out as its Arrow buffers, compressed with
 * zstd and checksummed with XXH3 (see docs/plugin-cache-disk.md).
 *
 * The file is written under a temporary name in the target's directory;
 * setl_table_file_writer_finish() completes and syncs it, and
 * setl_table_file_writer_commit() renames it over the target, so a reader
 * sees either the old file or the whole new one. A writer dropped before
 * it commits removes its temporary file.
 *
 * |[<!-- language="C" -->
 * g_autoptr(SetlTableFileWriter) w =
 *   setl_table_file_writer_new (path, fields, n_fields, NULL, 1, &error);
 * for (guint i = 0; w != NULL && i < n_batches; i++)
 *   if (!setl_table_file_writer_add_batch (w, batches[i], &error))
 *     break;
 * ok = error == NULL && setl_table_file_writer_commit (w, &error);
 * ]|
 */
struct _SetlTableFileWriter
{
  GObject parent_instance;

  char       *path;
  char       *tmp_path;
  int         fd;
  GPtrArray  *fields;
  GBytes     *metadata;
  int         level;

  ZSTD_CCtx    *cctx;
  XXH3_state_t *content;
  GByteArray   *out;        /* frame header + compressed payload of a batch */

  GByteArray *schema;       /* the schema section as written */
  guint64     offset;       /* where the next write goes */
  guint64     n_batches;
  guint64     n_rows;
  guint64     schema_size;
  guint64     body_size;
  guint64     raw_size;
  char        content_hash[33];

  gboolean    finished;
  gboolean    committed;
  gboolean    failed;
};

G_DEFINE_TYPE (SetlTableFileWriter, setl_table_file_writer, G_TYPE_OBJECT)

G_DEFINE_QUARK (setl-table-file-error-quark, setl_table_file_error)

static const guint8 zeros[STF_ALIGN];

static void
setl_table_file_writer_finalize (GObject *object)
{
  SetlTableFileWriter *self = SETL_TABLE_FILE_WRITER (object);

  setl_table_file_writer_abort (self);
  g_free (self->path);
  g_free (self->tmp_path);
  g_clear_pointer (&self->fields, g_ptr_array_unref);
  g_clear_pointer (&self->metadata, g_bytes_unref);
  g_clear_pointer (&self->cctx, ZSTD_freeCCtx);
  g_clear_pointer (&self->content, XXH3_freeState);
  g_clear_pointer (&self->out, g_byte_array_unref);
  g_clear_pointer (&self->schema, g_byte_array_unref);

  G_OBJECT_CLASS (setl_table_file_writer_parent_class)->finalize (object);
}

static void
setl_table_file_writer_class_init (SetlTableFileWriterClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = setl_table_file_writer_finalize;
}

static void
setl_table_file_writer_init (SetlTableFileWriter *self)
{
  self->fd = -1;
}

static gboolean
set_io_error (SetlTableFileWriter  *self,
              const char           *what,
              int                   saved_errno,
              GError              **error)
{
  self->failed = TRUE;
  g_set_error (error, SETL_TABLE_FILE_ERROR, SETL_TABLE_FILE_ERROR_IO,
               "Cannot %s table file “%s”: %s", what, self->path,
               g_strerror (saved_errno));
  return FALSE;
}

static gboolean
write_at (SetlTableFileWriter  *self,
          const void           *data,
          gsize                 size,
          guint64               offset,
          GError              **error)
{
  const guint8 *p = data;

  while (size > 0)
    {
      gssize n = pwrite (self->fd, p, size, (off_t) offset);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return set_io_error (self, "write", n < 0 ? errno : EIO, error);
      p += n;
      size -= (gsize) n;
      offset += (guint64) n;
    }
  return TRUE;
}

static gboolean
append (SetlTableFileWriter  *self,
        const void           *data,
        gsize                 size,
        GError              **error)
{
  if (!write_at (self, data, size, self->offset, error))
    return FALSE;
  self->offset += size;
  return TRUE;
}

/* The field descriptors are hashed into the content hash too: the same
 * rows under another schema are other data. */
static void
encode_fields (GByteArray *buf,
               GPtrArray  *fields)
{
  for (guint i = 0; i < fields->len; i++)
    {
      SetlField *field = g_ptr_array_index (fields, i);
      const char *name = setl_field_get_name (field);
      const char *tz = setl_field_get_timezone (field);
      guint8 head[8] = { 0 };
      guint8 len[4];

      head[0] = (guint8) setl_field_get_data_type (field);
      head[1] = setl_field_get_nullable (field) ? 1 : 0;
      head[2] = tz != NULL ? 1 : 0;
      stf_put_u32 (head + 4, (guint32) strlen (name));
      g_byte_array_append (buf, head, sizeof head);
      g_byte_array_append (buf, (const guint8 *) name, (guint) strlen (name));
      stf_put_u32 (len, tz != NULL ? (guint32) strlen (tz) : 0);
      g_byte_array_append (buf, len, sizeof len);
      if (tz != NULL)
        g_byte_array_append (buf, (const guint8 *) tz, (guint) strlen (tz));
    }
}

static gboolean
write_schema (SetlTableFileWriter  *self,
              GError              **error)
{
  g_autoptr(GByteArray) buf = g_byte_array_new ();
  gsize meta_len = self->metadata != NULL ? g_bytes_get_size (self->metadata) : 0;
  guint8 word[8];
  guint fields_start;

  stf_put_u64 (word, meta_len);
  g_byte_array_append (buf, word, 8);
  if (meta_len > 0)
    g_byte_array_append (buf, g_bytes_get_data (self->metadata, NULL), (guint) meta_len);

  fields_start = buf->len;
  encode_fields (buf, self->fields);
  XXH3_128bits_update (self->content, buf->data + fields_start, buf->len - fields_start);

  stf_put_u64 (word, XXH3_64bits (buf->data, buf->len));
  g_byte_array_append (buf, word, 8);

  self->schema_size = buf->len;
  if (!append (self, buf->data, buf->len, error))
    return FALSE;
  /* Kept, for setl_table_file_writer_set_metadata(). */
  self->schema = g_steal_pointer (&buf);
  return TRUE;
}

/**
 * setl_table_file_writer_new:
 * @path: the file to write (replaced when the writer commits)
 * @fields: (array length=n_fields): the schema of every batch
 * @n_fields: the number of fields
 * @metadata: (nullable): opaque bytes stored in the file's schema section
 *   and returned in #SetlTableFileInfo
 * @compression_level: the zstd level (negative: zstd's fast levels; 1 is fast; 0 means zstd's default)
 * @error: return location for a #GError
 *
 * Creates the temporary file beside @path and writes the schema.
 *
 * Returns: (transfer full): a writer, or %NULL when the temporary file
 *   cannot be created
 */
SetlTableFileWriter *
setl_table_file_writer_new (const char   *path,
                            SetlField   **fields,
                            guint         n_fields,
                            GBytes       *metadata,
                            int           compression_level,
                            GError      **error)
{
  g_autoptr(SetlTableFileWriter) self = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *base = NULL;
  guint8 header[STF_HEADER_SIZE] = { 0 };

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (fields != NULL || n_fields == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_object_new (SETL_TYPE_TABLE_FILE_WRITER, NULL);
  self->path = g_strdup (path);
  self->fields = g_ptr_array_new_full (n_fields, g_object_unref);
  for (guint i = 0; i < n_fields; i++)
    g_ptr_array_add (self->fields, g_object_ref (fields[i]));
  self->metadata = metadata != NULL ? g_bytes_ref (metadata) : NULL;
  self->level = compression_level;

  self->cctx = ZSTD_createCCtx ();
  self->content = XXH3_createState ();
  self->out = g_byte_array_new ();
  if (self->cctx == NULL || self->content == NULL)
    {
      g_set_error (error, SETL_TABLE_FILE_ERROR, SETL_TABLE_FILE_ERROR_IO,
                   "Cannot write table file “%s”: out of memory", path);
      return NULL;
    }
  XXH3_128bits_reset (self->content);

  /* Beside the target, so that rename() is atomic; a dot name so that
   * directory scans can tell it from a finished file. */
  dir = g_path_get_dirname (path);
  base = g_path_get_basename (path);
  self->tmp_path = g_strdup_printf ("%s/.%s.tmp-XXXXXX", dir, base);
  self->fd = g_mkstemp_full (self->tmp_path, O_RDWR | O_CLOEXEC, 0644);
  if (self->fd < 0)
    {
      int saved_errno = errno;

      g_clear_pointer (&self->tmp_path, g_free);
      set_io_error (self, "create a temporary file for", saved_errno, error);
      return NULL;
    }

  /* The header is written last, once the counts are known; zeros until
   * then, which no reader accepts. */
  if (!append (self, header, sizeof header, error) ||
      !write_schema (self, error))
    return NULL;

  return g_steal_pointer (&self);
}

/* One piece of the uncompressed batch. */
typedef struct {
  const void *data;
  gsize       size;
} Segment;

typedef struct {
  GArray    *segments;
  GPtrArray *owned;       /* buffers made for this batch (rebased, shifted) */
  guint64    size;
} RawBatch;

static void
raw_add (RawBatch   *raw,
         const void *data,
         gsize       size)
{
  Segment seg = { data, size };

  if (size == 0)
    return;
  g_array_append_val (raw->segments, seg);
  raw->size += size;
}

static void
raw_pad (RawBatch *raw)
{
  raw_add (raw, zeros, (gsize) (stf_align (raw->size) - raw->size));
}

/* Adds @length bits of @bits starting at bit @offset, re-based to bit 0,
 * with the bits past @length cleared so that the same values always give
 * the same bytes (and the same content hash). */
static void
raw_add_bits (RawBatch     *raw,
              const guint8 *bits,
              gint64        offset,
              gint64        length)
{
  gsize n_bytes = (gsize) (length + 7) / 8;
  guint tail = (guint) (length % 8);

  if (length == 0)
    return;

  if (offset % 8 == 0)
    {
      const guint8 *start = bits + offset / 8;
      gsize whole = tail == 0 ? n_bytes : n_bytes - 1;
      guint8 *last;

      raw_add (raw, start, whole);
      if (tail == 0)
        return;
      last = g_malloc (1);
      *last = start[whole] & (guint8) ((1u << tail) - 1);
      g_ptr_array_add (raw->owned, last);
      raw_add (raw, last, 1);
      return;
    }

  /* A slice starting mid-byte: shift the bits down. Only slices at batch
   * edges get here. */
  {
    guint8 *copy = g_malloc0 (n_bytes);

    for (gint64 i = 0; i < length; i++)
      {
        gint64 bit = offset + i;

        if (bits[bit / 8] & (1u << (bit % 8)))
          copy[i / 8] |= (guint8) (1u << (i % 8));
      }
    g_ptr_array_add (raw->owned, copy);
    raw_add (raw, copy, n_bytes);
  }
}

static void
raw_add_column (RawBatch   *raw,
                SetlColumn *column,
                guint8     *desc)
{
  SetlDataType type = setl_column_get_data_type (column);
  gint64 offset = setl_column_get_offset (column);
  gint64 length = setl_column_get_length (column);
  gint64 null_count = setl_column_get_null_count (column);
  const guint8 *values = setl_column_get_values_data (column);
  guint64 data_size = 0;

  if (null_count > 0)
    {
      raw_add_bits (raw, setl_column_get_validity_bitmap (column), offset, length);
      raw_pad (raw);
    }

  switch (type)
    {
    case SETL_DATA_TYPE_BOOL:
      if (length > 0)
        raw_add_bits (raw, values, offset, length);
      break;
    case SETL_DATA_TYPE_DATE32:
      if (length > 0)
        raw_add (raw, values + offset * 4, (gsize) length * 4);
      break;
    case SETL_DATA_TYPE_STRING:
      {
        static const gint32 empty_offsets[1] = { 0 };
        const gint32 *offsets = (const gint32 *) values;
        const char *data = setl_column_get_string_data (column);
        gint32 base;

        if (length == 0 || offsets == NULL)
          {
            raw_add (raw, empty_offsets, sizeof empty_offsets);
            break;
          }
        base = offsets[offset];
        data_size = (guint64) (offsets[offset + length] - base);
        if (base == 0)
          raw_add (raw, offsets + offset, (gsize) (length + 1) * 4);
        else
          {
            gint32 *rebased = g_new (gint32, length + 1);

            for (gint64 i = 0; i <= length; i++)
              rebased[i] = offsets[offset + i] - base;
            g_ptr_array_add (raw->owned, rebased);
            raw_add (raw, rebased, (gsize) (length + 1) * 4);
          }
        raw_pad (raw);
        if (data_size > 0)
          raw_add (raw, data + base, (gsize) data_size);
      }
      break;
    default:   /* int64, double, timestamp */
      if (length > 0)
        raw_add (raw, values + offset * 8, (gsize) length * 8);
    }
  raw_pad (raw);

  stf_put_u64 (desc, (guint64) null_count);
  stf_put_u64 (desc + 8, data_size);
}

static gboolean
check_batch_schema (SetlTableFileWriter  *self,
                    SetlRecordBatch      *batch,
                    GError              **error)
{
  guint n_columns = setl_record_batch_get_n_columns (batch);

  if (n_columns != self->fields->len)
    {
      g_set_error (error, SETL_TABLE_FILE_ERROR, SETL_TABLE_FILE_ERROR_CORRUPT,
                   "Cannot write table file “%s”: batch %" G_GUINT64_FORMAT
                   " has %u columns, the file's schema %u", self->path,
                   self->n_batches, n_columns, self->fields->len);
      return FALSE;
    }
  for (guint i = 0; i < n_columns; i++)
    if (!setl_field_equal (setl_record_batch_get_field (batch, i),
                           g_ptr_array_index (self->fields, i)))
      {
        g_set_error (error, SETL_TABLE_FILE_ERROR, SETL_TABLE_FILE_ERROR_CORRUPT,
                     "Cannot write table file “%s”: column “%s” of batch %"
                     G_GUINT64_FORMAT " differs from the file's schema",
                     self->path, setl_field_get_name (setl_record_batch_get_field (batch, i)),
                     self->n_batches);
        return FALSE;
      }
  return TRUE;
}

static gboolean
compress_raw (SetlTableFileWriter  *self,
              RawBatch             *raw,
              GError              **error)
{
  size_t bound = ZSTD_compressBound (raw->size);
  ZSTD_outBuffer out;
  size_t rc = 0;

  if (bound > G_MAXUINT - STF_FRAME_HEADER_SIZE)
    {
      self->failed = TRUE;
      g_set_error (error, SETL_TABLE_FILE_ERROR, SETL_TABLE_FILE_ERROR_IO,
                   "Cannot write table file “%s”: a batch of %" G_GUINT64_FORMAT
                   " bytes is too large for one frame", self->path, raw->size);
      return FALSE;
    }
  g_byte_array_set_size (self->out, (guint) (STF_FRAME_HEADER_SIZE + bound));
  out.dst = self->out->data + STF_FRAME_HEADER_SIZE;
  out.size = bound;
  out.pos = 0;

  ZSTD_CCtx_reset (self->cctx, ZSTD_reset_session_only);
  ZSTD_CCtx_setParameter (self->cctx, ZSTD_c_compressionLevel, self->level);
  ZSTD_CCtx_setPledgedSrcSize (self->cctx, raw->size);

  for (guint i = 0; i < raw->segments->len; i++)
    {
      Segment *seg = &g_array_index (raw->segments, Segment, i);
      ZSTD_inBuffer in = { seg->data, seg->size, 0 };

      XXH3_128bits_update (self->content, seg->data, seg->size);
      while (in.pos < in.size)
        {
          rc = ZSTD_compressStream2 (self->cctx, &out, &in, ZSTD_e_continue);
          if (ZSTD_isError (rc))
            goto fail;
        }
    }
  do
    {
      ZSTD_inBuffer in = { NULL, 0, 0 };

      rc = ZSTD_compressStream2 (self->cctx, &out, &in, ZSTD_e_end);
      if (ZSTD_isError (rc))
        goto fail;
    }
  while (rc != 0);

  g_byte_array_set_size (self->out, (guint) (STF_FRAME_HEADER_SIZE + out.pos));
  return TRUE;

fail:
  self->failed = TRUE;
  g_set_error (error, SETL_TABLE_FILE_ERROR, SETL_TABLE_FILE_ERROR_IO,
               "Cannot write table file “%s”: zstd: %s", self->path,
               ZSTD_getErrorName (rc));
  return FALSE;
}

/**
 * setl_table_file_writer_add_batch:
 * @self: a #SetlTableFileWriter
 * @batch: a record batch with the writer's schema
 * @error: return location for a #GError
 *
 * Compresses @batch and appends it to the file.
 *
 * Returns: %TRUE on success
 */
gboolean
setl_table_file_writer_add_batch (SetlTableFileWriter  *self,
                                  SetlRecordBatch      *batch,
                                  GError              **error)
{
  guint n_columns;
  gint64 n_rows;
  g_autofree guint8 *descs = NULL;
  gsize descs_size;
  RawBatch raw = { 0 };
  guint8 *frame;
  guint8 rows_le[8];
  gboolean ok = FALSE;

  g_return_val_if_fail (SETL_IS_TABLE_FILE_WRITER (self), FALSE);
  g_return_val_if_fail (SETL_IS_RECORD_BATCH (batch), FALSE);
  g_return_val_if_fail (!self->finished && !self->failed, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_batch_schema (self, batch, error))
    return FALSE;

  n_columns = setl_record_batch_get_n_columns (batch);
  n_rows = setl_record_batch_get_n_rows (batch);
  descs_size = (gsize) n_columns * STF_COLUMN_DESC_SIZE;
  descs = g_malloc0 (MAX (descs_size, 1));

  raw.segments = g_array_new (FALSE, FALSE, sizeof (Segment));
  raw.owned = g_ptr_array_new_with_free_func (g_free);
  /* The descriptors go first but are filled as the columns are laid out:
   * the segment points at them, and nothing is read before compression. */
  raw_add (&raw, descs, descs_size);
  raw_pad (&raw);
  for (guint i = 0; i < n_columns; i++)
    raw_add_column (&raw, setl_record_batch_get_column (batch, i),
                    descs + (gsize) i * STF_COLUMN_DESC_SIZE);

  stf_put_u64 (rows_le, (guint64) n_rows);
  XXH3_128bits_update (self->content, rows_le, sizeof rows_le);
  if (!compress_raw (self, &raw, error))
    goto out;

  frame = self->out->data;
  memset (frame, 0, STF_FRAME_HEADER_SIZE);
  stf_put_u32 (frame, STF_FRAME_MAGIC);
  stf_put_u64 (frame + 8, (guint64) n_rows);
  stf_put_u64 (frame + 16, raw.size);
  stf_put_u64 (frame + 24, self->out->len - STF_FRAME_HEADER_SIZE);
  stf_put_u64 (frame + STF_FRAME_CHECKED,
               stf_frame_checksum (frame, frame + STF_FRAME_HEADER_SIZE,
                                   self->out->len - STF_FRAME_HEADER_SIZE));

  if (!append (self, self->out->data, self->out->len, error))
    goto out;

  self->n_batches++;
  self->n_rows += (guint64) n_rows;
  self->raw_size += raw.size;
  self->body_size += self->out->len;
  ok = TRUE;

out:
  g_array_unref (raw.segments);
  g_ptr_array_unref (raw.owned);
  /* Keep the compressed buffer for the next batch, unless it is large. */
  if (self->out->len > 16 * 1024 * 1024)
    {
      g_byte_array_unref (self->out);
      self->out = g_byte_array_new ();
    }
  return ok;
}

/**
 * setl_table_file_writer_set_metadata:
 * @self: a #SetlTableFileWriter, not finished
 * @metadata: bytes of exactly the size of those given to
 *   setl_table_file_writer_new()
 * @error: return location for a #GError
 *
 * Replaces the metadata written at the start of the file: for values known
 * only once every batch was written (a hash of the rows), which the caller
 * reserves room for with a placeholder of the same size. The metadata is
 * not part of the content hash; the schema section's checksum is written
 * again.
 *
 * Returns: %TRUE on success; %FALSE with %SETL_TABLE_FILE_ERROR_IO when
 *   the size differs or the write fails
 */
gboolean
setl_table_file_writer_set_metadata (SetlTableFileWriter  *self,
                                     GBytes               *metadata,
                                     GError              **error)
{
  gsize size, old_size;
  guint8 word[8];

  g_return_val_if_fail (SETL_IS_TABLE_FILE_WRITER (self), FALSE);
  g_return_val_if_fail (metadata != NULL, FALSE);
  g_return_val_if_fail (!self->finished && !self->failed && self->schema != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  size = g_bytes_get_size (metadata);
  old_size = self->metadata != NULL ? g_bytes_get_size (self->metadata) : 0;
  if (size != old_size)
    {
      self->failed = TRUE;
      g_set_error (error, SETL_TABLE_FILE_ERROR, SETL_TABLE_FILE_ERROR_IO,
                   "Cannot write table file “%s”: its metadata changed size "
                   "(%" G_GSIZE_FORMAT " bytes, %" G_GSIZE_FORMAT " reserved)",
                   self->path, size, old_size);
      return FALSE;
    }
  /* Layout: u64 length, the metadata, the fields, u64 checksum. */
  memcpy (self->schema->data + 8, g_bytes_get_data (metadata, NULL), size);
  stf_put_u64 (word, XXH3_64bits (self->schema->data, self->schema->len - 8));
  memcpy (self->schema->data + self->schema->len - 8, word, 8);
  g_clear_pointer (&self->metadata, g_bytes_unref);
  self->metadata = g_bytes_ref (metadata);
  return write_at (self, self->schema->data, self->schema->len, STF_HEADER_SIZE, error);
}

/**
 * setl_table_file_writer_get_size:
 * @self: a #SetlTableFileWriter
 *
 * Returns: the bytes written so far; once finished, the file's size
 */
guint64
setl_table_file_writer_get_size (SetlTableFileWriter *self)
{
  g_return_val_if_fail (SETL_IS_TABLE_FILE_WRITER (self), 0);
  /* Before the end marker is written, count it: it will be. */
  return self->finished ? self->offset : self->offset + STF_MAGIC_LEN;
}

static SetlTableFileInfo *
make_info (SetlTableFileWriter *self)
{
  SetlTableFileInfo *info = g_new0 (SetlTableFileInfo, 1);

  info->version = SETL_TABLE_FILE_VERSION;
  info->n_batches = self->n_batches;
  info->n_rows = (gint64) self->n_rows;
  info->file_size = self->offset;
  info->raw_size = self->raw_size;
  info->n_fields = self->fields->len;
  info->fields = g_ptr_array_ref (self->fields);
  info->metadata = self->metadata != NULL ? g_bytes_ref (self->metadata) : NULL;
  memcpy (info->content_hash, self->content_hash, sizeof info->content_hash);
  return info;
}

/**
 * setl_table_file_writer_finish:
 * @self: a #SetlTableFileWriter
 * @out_info: (out) (optional) (transfer full): what the header says
 * @error: return location for a #GError
 *
 * Writes the header and the end marker, and syncs and closes the
 * temporary file. The target is not replaced yet: see
 * setl_table_file_writer_commit().
 *
 * Returns: %TRUE on success
 */
gboolean
setl_table_file_writer_finish (SetlTableFileWriter  *self,
                               SetlTableFileInfo   **out_info,
                               GError              **error)
{
  guint8 header[STF_HEADER_SIZE] = { 0 };
  XXH128_canonical_t canonical;

  g_return_val_if_fail (SETL_IS_TABLE_FILE_WRITER (self), FALSE);
  g_return_val_if_fail (!self->failed && (self->finished || self->fd >= 0), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!self->finished)
    {
      if (!append (self, STF_END_MAGIC, STF_MAGIC_LEN, error))
        return FALSE;

      XXH128_canonicalFromHash (&canonical, XXH3_128bits_digest (self->content));
      for (guint i = 0; i < 16; i++)
        g_snprintf (self->content_hash + 2 * i, 3, "%02x", canonical.digest[i]);

      memcpy (header, STF_MAGIC, STF_MAGIC_LEN);
      stf_put_u32 (header + 8, SETL_TABLE_FILE_VERSION);
      stf_put_u32 (header + 12, STF_HOST_FLAGS);
      stf_put_u32 (header + 16, self->fields->len);
      stf_put_u64 (header + 24, self->n_batches);
      stf_put_u64 (header + 32, self->n_rows);
      stf_put_u64 (header + 40, self->schema_size);
      stf_put_u64 (header + 48, self->body_size);
      stf_put_u64 (header + 56, self->raw_size);
      memcpy (header + 64, canonical.digest, 16);
      stf_put_u64 (header + STF_HEADER_CHECKED, XXH3_64bits (header, STF_HEADER_CHECKED));

      if (!write_at (self, header, sizeof header, 0, error))
        return FALSE;
      /* The data must be on disk before the rename makes it visible, or a
       * crash could leave a complete-looking name over incomplete data. */
      if (fsync (self->fd) != 0)
        return set_io_error (self, "sync", errno, error);
      if (close (self->fd) != 0)
        {
          self->fd = -1;
          return set_io_error (self, "close", errno, error);
        }
      self->fd = -1;
      self->finished = TRUE;
    }

  if (out_info != NULL)
    *out_info = make_info (self);
  return TRUE;
}

/**
 * setl_table_file_writer_commit:
 * @self: a #SetlTableFileWriter
 * @error: return location for a #GError
 *
 * Finishes the file if that is not done yet, then renames it over the
 * target path and syncs the directory.
 *
 * Returns: %TRUE on success
 */
gboolean
setl_table_file_writer_commit (SetlTableFileWriter  *self,
                               GError              **error)
{
  g_autofree char *dir = NULL;
  int dfd;

  g_return_val_if_fail (SETL_IS_TABLE_FILE_WRITER (self), FALSE);
  g_return_val_if_fail (!self->committed && !self->failed, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!self->finished && !setl_table_file_writer_finish (self, NULL, error))
    return FALSE;

  if (g_rename (self->tmp_path, self->path) != 0)
    return set_io_error (self, "rename the temporary file into", errno, error);
  self->committed = TRUE;
  g_clear_pointer (&self->tmp_path, g_free);

  /* Make the rename itself durable; a file system that cannot sync a
   * directory still renamed atomically, so that is not an error. */
  dir = g_path_get_dirname (self->path);
  dfd = open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0)
    {
      (void) fsync (dfd);
      close (dfd);
    }
  return TRUE;
}

/**
 * setl_table_file_writer_abort:
 * @self: a #SetlTableFileWriter
 *
 * Gives up: closes and removes the temporary file. The target is left as
 * it was. Does nothing after a commit.
 */
void
setl_table_file_writer_abort (SetlTableFileWriter *self)
{
  g_return_if_fail (SETL_IS_TABLE_FILE_WRITER (self));

  if (self->fd >= 0)
    {
      close (self->fd);
      self->fd = -1;
    }
  if (self->tmp_path != NULL && !self->committed)
    g_unlink (self->tmp_path);
  g_clear_pointer (&self->tmp_path, g_free);
  self->failed = TRUE;
}

/**
 * setl_table_file_writer_get_path:
 * @self: a #SetlTableFileWriter
 *
 * Returns: the target path
 */
const char *
setl_table_file_writer_get_path (SetlTableFileWriter *self)
{
  g_return_val_if_fail (SETL_IS_TABLE_FILE_WRITER (self), NULL);
  return self->path;
}

/**
 * setl_table_file_writer_get_temp_path:
 * @self: a #SetlTableFileWriter
 *
 * Returns: (nullable): the temporary file, until it is committed or aborted
 */
const char *
setl_table_file_writer_get_temp_path (SetlTableFileWriter *self)
{
  g_return_val_if_fail (SETL_IS_TABLE_FILE_WRITER (self), NULL);
  return self->tmp_path;
}

/**
 * setl_table_file_write:
 * @path: the file to write
 * @table: the table
 * @metadata: (nullable): opaque bytes to store with it
 * @compression_level: the zstd level
 * @out_info: (out) (optional) (transfer full): what the header says
 * @error: return location for a #GError
 *
 * Writes @table to @path atomically (temporary file, fsync, rename).
 *
 * Returns: %TRUE on success; on failure @path is untouched
 */
gboolean
setl_table_file_write (const char          *path,
                       SetlTable           *table,
                       GBytes              *metadata,
                       int                  compression_level,
                       SetlTableFileInfo  **out_info,
                       GError             **error)
{
  g_autoptr(SetlTableFileWriter) writer = NULL;
  SetlField **fields;
  guint n_fields;

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (SETL_IS_TABLE (table), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  fields = setl_table_get_fields (table, &n_fields);
  writer = setl_table_file_writer_new (path, fields, n_fields, metadata,
                                       compression_level, error);
  if (writer == NULL)
    return FALSE;
  for (guint i = 0; i < setl_table_get_n_batches (table); i++)
    if (!setl_table_file_writer_add_batch (writer, setl_table_get_batch (table, i), error))
      return FALSE;
  return setl_table_file_writer_finish (writer, out_info, error) &&
         setl_table_file_writer_commit (writer, error);
}
