/* setl-table-file.c: reading table files back, checking everything.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "setl-table-file.h"
#include "setl-table-file-private.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include <xxhash.h>
#include <zstd.h>

/*
 * A table file is read in two steps. The header and the schema section
 * (setl_table_file_read_info()) are small and say everything about the
 * table but its values: the disk cache reads them on lookup. Then the
 * frames are read in file order and each checked against its checksum
 * before anything else; they are decompressed next, on several threads for
 * a large table, each into one 64-byte aligned block whose buffers become
 * the batch's columns through the Arrow C Data Interface — no row is
 * copied, and the block is freed when the last column pointing into it
 * goes. The content hash over the decompressed blocks is checked last.
 *
 * Nothing in the file is trusted before it is checked: every size is
 * checked against the file's size and against the others with overflow
 * checks, every section against its XXH3 checksum, and a file that fails
 * any of it gives a #GError naming the file and what is wrong, never a
 * crash. Errors say TRUNCATED when the file is shorter than its header
 * says, CORRUPT for everything else that does not add up.
 */

/**
 * setl_table_file_info_free:
 * @info: (transfer full): a #SetlTableFileInfo
 */
void
setl_table_file_info_free (SetlTableFileInfo *info)
{
  if (info == NULL)
    return;
  g_clear_pointer (&info->fields, g_ptr_array_unref);
  g_clear_pointer (&info->metadata, g_bytes_unref);
  g_free (info);
}

typedef struct {
  int            fd;
  const char    *name;
  guint64        size;
  const guint8  *head;       /* the file's first head_len bytes, or NULL */
  gsize          head_len;
} Source;

static gboolean G_GNUC_PRINTF (3, 4)
corrupt (const Source  *src,
         GError       **error,
         const char    *format,
         ...)
{
  g_autofree char *what = NULL;
  va_list args;

  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, SETL_TABLE_FILE_ERROR, SETL_TABLE_FILE_ERROR_CORRUPT,
               "Table file “%s” is corrupt: %s", src->name, what);
  return FALSE;
}

static gboolean
truncated (const Source  *src,
           guint64        expected,
           GError       **error)
{
  g_set_error (error, SETL_TABLE_FILE_ERROR, SETL_TABLE_FILE_ERROR_TRUNCATED,
               "Table file “%s” is truncated: %" G_GUINT64_FORMAT " bytes, "
               "%" G_GUINT64_FORMAT " expected", src->name, src->size, expected);
  return FALSE;
}

static gboolean
read_at (const Source  *src,
         void          *buf,
         gsize          size,
         guint64        offset,
         GError       **error)
{
  guint8 *p = buf;

  if (src->head != NULL && offset <= src->head_len && size <= src->head_len - offset)
    {
      memcpy (buf, src->head + offset, size);
      return TRUE;
    }
  while (size > 0)
    {
      gssize n = pread (src->fd, p, size, (off_t) offset);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved_errno = errno;

          g_set_error (error, SETL_TABLE_FILE_ERROR, SETL_TABLE_FILE_ERROR_IO,
                       "Cannot read table file “%s”: %s", src->name,
                       g_strerror (saved_errno));
          return FALSE;
        }
      if (n == 0)   /* shrunk since it was measured */
        {
          g_set_error (error, SETL_TABLE_FILE_ERROR, SETL_TABLE_FILE_ERROR_TRUNCATED,
                       "Table file “%s” is truncated: it ends at byte %"
                       G_GUINT64_FORMAT, src->name, offset);
          return FALSE;
        }
      p += n;
      size -= (gsize) n;
      offset += (guint64) n;
    }
  return TRUE;
}

/* What the reader needs beyond the public info. */
typedef struct {
  SetlTableFileInfo *info;
  guint8             content_hash[16];
  guint64            schema_size;
  guint64            body_size;
  GBytes            *field_bytes;   /* the descriptors, for the content hash */
} Header;

static void
header_clear (Header *h)
{
  g_clear_pointer (&h->info, setl_table_file_info_free);
  g_clear_pointer (&h->field_bytes, g_bytes_unref);
}

/* Checks the field descriptors; adds a SetlField per field to @fields
 * unless it is NULL (a disk cache lookup needs the checks, not the
 * objects). */
static gboolean
parse_fields (const Source  *src,
              const guint8  *p,
              gsize          size,
              guint          n_fields,
              GPtrArray     *fields,
              GError       **error)
{
  gsize pos = 0;

  for (guint i = 0; i < n_fields; i++)
    {
      guint type, nullable, has_tz;
      guint32 name_len, tz_len;
      g_autofree char *name = NULL;
      g_autofree char *tz = NULL;

      if (size - pos < 8)
        return corrupt (src, error, "field %u runs past the schema section", i);
      type = p[pos];
      nullable = p[pos + 1];
      has_tz = p[pos + 2];
      name_len = stf_get_u32 (p + pos + 4);
      pos += 8;
      if (type > SETL_DATA_TYPE_TIMESTAMP || nullable > 1 || has_tz > 1 ||
          (has_tz && type != SETL_DATA_TYPE_TIMESTAMP))
        return corrupt (src, error, "field %u has an invalid descriptor", i);
      if (name_len > size - pos)
        return corrupt (src, error, "field %u's name runs past the schema section", i);
      if (memchr (p + pos, 0, name_len) != NULL ||
          !g_utf8_validate ((const char *) p + pos, name_len, NULL))
        return corrupt (src, error, "field %u's name is not valid UTF-8", i);
      name = g_strndup ((const char *) p + pos, name_len);
      pos += name_len;

      if (size - pos < 4)
        return corrupt (src, error, "field “%s” runs past the schema section", name);
      tz_len = stf_get_u32 (p + pos);
      pos += 4;
      if (tz_len > size - pos || (!has_tz && tz_len != 0))
        return corrupt (src, error, "field “%s” has an invalid time zone", name);
      if (memchr (p + pos, 0, tz_len) != NULL ||
          !g_utf8_validate ((const char *) p + pos, tz_len, NULL))
        return corrupt (src, error, "field “%s”'s time zone is not valid UTF-8", name);
      if (has_tz)
        tz = g_strndup ((const char *) p + pos, tz_len);
      pos += tz_len;

      if (fields == NULL)
        continue;
      if (type == SETL_DATA_TYPE_TIMESTAMP)
        g_ptr_array_add (fields, setl_field_new_timestamp (name, nullable, tz));
      else
        g_ptr_array_add (fields, setl_field_new (name, type, nullable));
    }
  if (pos != size)
    return corrupt (src, error, "%" G_GSIZE_FORMAT " stray bytes after the fields",
                    size - pos);
  return TRUE;
}

static gboolean
read_header (const Source  *src,
             Header        *h,
             gboolean       want_fields,
             GError       **error)
{
  guint8 head[STF_HEADER_SIZE];
  guint8 end[STF_MAGIC_LEN];
  guint64 n = MIN (src->size, (guint64) STF_HEADER_SIZE);
  guint32 version, flags, n_fields;
  guint64 n_batches, n_rows, raw_size, expected;
  g_autofree guint8 *schema = NULL;
  guint64 meta_len;
  SetlTableFileInfo *info;

  if (!read_at (src, head, (gsize) n, 0, error))
    return FALSE;
  if (memcmp (head, STF_MAGIC, MIN (n, (guint64) STF_MAGIC_LEN)) != 0)
    {
      g_set_error (error, SETL_TABLE_FILE_ERROR, SETL_TABLE_FILE_ERROR_NOT_TABLE_FILE,
                   "“%s” is not a setl table file (wrong magic)", src->name);
      return FALSE;
    }
  if (n < STF_HEADER_SIZE)
    return truncated (src, STF_HEADER_SIZE, error);

  version = stf_get_u32 (head + 8);
  if (version != SETL_TABLE_FILE_VERSION)
    {
      g_set_error (error, SETL_TABLE_FILE_ERROR, SETL_TABLE_FILE_ERROR_VERSION,
                   "Table file “%s” has format version %u; this build reads "
                   "version %u", src->name, version, SETL_TABLE_FILE_VERSION);
      return FALSE;
    }
  if (stf_get_u64 (head + STF_HEADER_CHECKED) != XXH3_64bits (head, STF_HEADER_CHECKED))
    return corrupt (src, error, "the header fails its checksum");

  flags = stf_get_u32 (head + 12);
  if ((flags & STF_FLAG_CODEC_MASK) != STF_CODEC_ZSTD)
    {
      g_set_error (error, SETL_TABLE_FILE_ERROR, SETL_TABLE_FILE_ERROR_VERSION,
                   "Table file “%s” uses compression codec %u; this build reads "
                   "zstd (1)", src->name, flags & STF_FLAG_CODEC_MASK);
      return FALSE;
    }
  if (flags != STF_HOST_FLAGS)
    {
      g_set_error (error, SETL_TABLE_FILE_ERROR, SETL_TABLE_FILE_ERROR_VERSION,
                   "Table file “%s” was written with another byte order or "
                   "unknown flags (0x%x)", src->name, flags);
      return FALSE;
    }

  n_fields = stf_get_u32 (head + 16);
  n_batches = stf_get_u64 (head + 24);
  n_rows = stf_get_u64 (head + 32);
  h->schema_size = stf_get_u64 (head + 40);
  h->body_size = stf_get_u64 (head + 48);
  raw_size = stf_get_u64 (head + 56);
  memcpy (h->content_hash, head + 64, 16);

  if (!g_uint64_checked_add (&expected, STF_HEADER_SIZE + STF_MAGIC_LEN, h->schema_size) ||
      !g_uint64_checked_add (&expected, expected, h->body_size) ||
      n_rows > G_MAXINT64 || n_batches > h->body_size / STF_FRAME_HEADER_SIZE ||
      h->schema_size < 16 || n_fields > h->schema_size / 12)
    return corrupt (src, error, "the header's sizes are inconsistent");
  if (src->size < expected)
    return truncated (src, expected, error);
  if (src->size > expected)
    return corrupt (src, error, "%" G_GUINT64_FORMAT " bytes follow its end",
                    src->size - expected);

  /* Bounded by the file's size, checked above. */
  schema = g_malloc (h->schema_size);
  if (!read_at (src, schema, h->schema_size, STF_HEADER_SIZE, error))
    return FALSE;
  if (stf_get_u64 (schema + h->schema_size - 8) != XXH3_64bits (schema, h->schema_size - 8))
    return corrupt (src, error, "the schema section fails its checksum");
  meta_len = stf_get_u64 (schema);
  if (meta_len > h->schema_size - 16)
    return corrupt (src, error, "the metadata runs past the schema section");

  if (!read_at (src, end, sizeof end, src->size - STF_MAGIC_LEN, error))
    return FALSE;
  if (memcmp (end, STF_END_MAGIC, STF_MAGIC_LEN) != 0)
    return corrupt (src, error, "the end marker is missing");

  info = h->info = g_new0 (SetlTableFileInfo, 1);
  info->version = version;
  info->n_batches = n_batches;
  info->n_rows = (gint64) n_rows;
  info->file_size = src->size;
  info->raw_size = raw_size;
  info->n_fields = n_fields;
  info->fields = g_ptr_array_new_with_free_func (g_object_unref);
  /* Not g_snprintf(): sixteen of those were a tenth of a lookup. */
  for (guint i = 0; i < 16; i++)
    {
      static const char hex[] = "0123456789abcdef";

      info->content_hash[2 * i] = hex[h->content_hash[i] >> 4];
      info->content_hash[2 * i + 1] = hex[h->content_hash[i] & 0xf];
    }
  info->content_hash[32] = '\0';
  if (meta_len > 0)
    info->metadata = g_bytes_new (schema + 8, meta_len);

  h->field_bytes = g_bytes_new (schema + 8 + meta_len, h->schema_size - 16 - meta_len);
  return parse_fields (src, g_bytes_get_data (h->field_bytes, NULL),
                       g_bytes_get_size (h->field_bytes), n_fields,
                       want_fields ? info->fields : NULL, error);
}

static gboolean
source_init (Source      *src,
             int          fd,
             const char  *name,
             GError     **error)
{
  struct stat st;

  src->fd = fd;
  src->name = name;
  src->head = NULL;
  src->head_len = 0;
  if (fstat (fd, &st) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, SETL_TABLE_FILE_ERROR, SETL_TABLE_FILE_ERROR_IO,
                   "Cannot read table file “%s”: %s", name, g_strerror (saved_errno));
      return FALSE;
    }
  if (!S_ISREG (st.st_mode))
    {
      g_set_error (error, SETL_TABLE_FILE_ERROR, SETL_TABLE_FILE_ERROR_IO,
                   "Cannot read table file “%s”: not a regular file", name);
      return FALSE;
    }
  src->size = (guint64) st.st_size;
  return TRUE;
}

static SetlTableFileInfo *
read_info_fd (int          fd,
              const char  *display_name,
              gboolean     want_fields,
              GError     **error)
{
  Source src;
  Header h = { 0 };
  SetlTableFileInfo *info;
  guint8 head[4096];

  if (!source_init (&src, fd, display_name, error))
    return NULL;
  /* One read for the header, the schema section and, in a small file (a
   * disk cache lookup's usual case), the end marker: not three. */
  if (!read_at (&src, head, (gsize) MIN (src.size, (guint64) sizeof head), 0, error))
    return NULL;
  src.head = head;
  src.head_len = (gsize) MIN (src.size, (guint64) sizeof head);
  if (!read_header (&src, &h, want_fields, error))
    {
      header_clear (&h);
      return NULL;
    }
  info = g_steal_pointer (&h.info);
  header_clear (&h);
  return info;
}

/**
 * setl_table_file_read_info_fd:
 * @fd: a file descriptor open for reading; only pread() is used, so the
 *   file position does not matter and is not changed
 * @display_name: the name to put in error messages
 * @error: return location for a #GError
 *
 * Reads and checks the header, the schema section and the end marker, and
 * checks that the file has exactly the size they say. The batches are not
 * read: a bit flipped in one is found by setl_table_file_read_fd().
 *
 * Returns: (transfer full): the header's content, or %NULL with
 *   #SETL_TABLE_FILE_ERROR
 */
SetlTableFileInfo *
setl_table_file_read_info_fd (int          fd,
                              const char  *display_name,
                              GError     **error)
{
  g_return_val_if_fail (fd >= 0, NULL);
  g_return_val_if_fail (display_name != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return read_info_fd (fd, display_name, TRUE, error);
}

/**
 * setl_table_file_check_info_fd:
 * @fd: a file descriptor open for reading
 * @display_name: the name to put in error messages
 * @error: return location for a #GError
 *
 * Like setl_table_file_read_info_fd(), with the same checks (the field
 * descriptors among them), but without making the schema's #SetlField
 * objects: @fields is empty, @n_fields says how many there are. For a
 * disk cache lookup, which needs the metadata and nothing of the schema.
 *
 * Returns: (transfer full): the header's content, or %NULL with
 *   #SETL_TABLE_FILE_ERROR
 */
SetlTableFileInfo *
setl_table_file_check_info_fd (int          fd,
                               const char  *display_name,
                               GError     **error)
{
  g_return_val_if_fail (fd >= 0, NULL);
  g_return_val_if_fail (display_name != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return read_info_fd (fd, display_name, FALSE, error);
}

static int
open_file (const char  *path,
           GError     **error)
{
  int fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);

  if (fd < 0)
    {
      int saved_errno = errno;

      g_set_error (error, SETL_TABLE_FILE_ERROR, SETL_TABLE_FILE_ERROR_IO,
                   "Cannot open table file “%s”: %s", path, g_strerror (saved_errno));
    }
  return fd;
}

/**
 * setl_table_file_read_info:
 * @path: a table file
 * @error: return location for a #GError
 *
 * Like setl_table_file_read_info_fd(), opening @path.
 *
 * Returns: (transfer full): the header's content, or %NULL
 */
SetlTableFileInfo *
setl_table_file_read_info (const char  *path,
                           GError     **error)
{
  SetlTableFileInfo *info;
  int fd;

  g_return_val_if_fail (path != NULL, NULL);

  fd = open_file (path, error);
  if (fd < 0)
    return NULL;
  info = setl_table_file_read_info_fd (fd, path, error);
  close (fd);
  return info;
}

/* ---------------------------------------------------------------------- */
/* Batches                                                                  */

/* Keeps the decompressed block alive for as long as a column points into
 * it: each column's ArrowArray holds a reference. */
typedef struct {
  GBytes     *block;
  const void *buffers[3];
} ColumnArray;

static void
column_array_release (struct ArrowArray *array)
{
  ColumnArray *priv = array->private_data;

  g_bytes_unref (priv->block);
  g_free (priv);
  array->release = NULL;
}

static void
column_schema_release (struct ArrowSchema *schema)
{
  schema->release = NULL;   /* nothing allocated: strings are the caller's */
}

static const char *
arrow_format (SetlDataType type)
{
  switch (type)
    {
    case SETL_DATA_TYPE_BOOL: return "b";
    case SETL_DATA_TYPE_INT64: return "l";
    case SETL_DATA_TYPE_DOUBLE: return "g";
    case SETL_DATA_TYPE_STRING: return "u";
    case SETL_DATA_TYPE_DATE32: return "tdD";
    default: return "tsu:";
    }
}

static guint64
values_size (SetlDataType type,
             guint64      n_rows)
{
  switch (type)
    {
    case SETL_DATA_TYPE_BOOL: return (n_rows + 7) / 8;
    case SETL_DATA_TYPE_DATE32: return n_rows * 4;
    case SETL_DATA_TYPE_STRING: return (n_rows + 1) * 4;
    default: return n_rows * 8;
    }
}

/* Where one column's buffers are in a block, once checked. */
typedef struct {
  guint64 null_count;
  guint64 validity;     /* G_MAXUINT64: none */
  guint64 values;
  guint64 data;
  guint64 data_size;
} ColumnLayout;

static gboolean
layout_column (const Source   *src,
               guint64         batch,
               SetlField      *field,
               const guint8   *desc,
               guint64         n_rows,
               guint64         raw_size,
               guint64        *pos,
               ColumnLayout   *out,
               GError        **error)
{
  SetlDataType type = setl_field_get_data_type (field);
  const char *name = setl_field_get_name (field);
  guint64 p = *pos;

  out->null_count = stf_get_u64 (desc);
  out->data_size = stf_get_u64 (desc + 8);
  out->validity = G_MAXUINT64;
  out->data = 0;

  /* n_rows <= raw_size (checked by the caller) bounds every product. */
  if (out->null_count > n_rows)
    return corrupt (src, error, "column “%s” of batch %" G_GUINT64_FORMAT
                    " has more nulls than rows", name, batch);
  if (out->null_count > 0 && !setl_field_get_nullable (field))
    return corrupt (src, error, "column “%s” of batch %" G_GUINT64_FORMAT
                    " has nulls but is not nullable", name, batch);
  if (type != SETL_DATA_TYPE_STRING ? out->data_size != 0 : out->data_size > G_MAXINT32)
    return corrupt (src, error, "column “%s” of batch %" G_GUINT64_FORMAT
                    " has an invalid data size", name, batch);

  if (out->null_count > 0)
    {
      out->validity = p;
      p = stf_align (p + (n_rows + 7) / 8);
    }
  out->values = p;
  p += values_size (type, n_rows);
  if (type == SETL_DATA_TYPE_STRING)
    {
      p = stf_align (p);
      out->data = p;
      p += out->data_size;
    }
  p = stf_align (p);
  if (p > raw_size)
    return corrupt (src, error, "column “%s” of batch %" G_GUINT64_FORMAT
                    " runs past the batch's %" G_GUINT64_FORMAT " bytes",
                    name, batch, raw_size);
  *pos = p;
  return TRUE;
}

static SetlColumn *
make_column (const Source        *src,
             guint64              batch,
             SetlField           *field,
             GBytes              *block,
             const ColumnLayout  *layout,
             guint64              n_rows,
             GError             **error)
{
  const guint8 *base = g_bytes_get_data (block, NULL);
  SetlDataType type = setl_field_get_data_type (field);
  const char *name = setl_field_get_name (field);
  g_autofree char *format = NULL;
  g_autoptr(GError) local_error = NULL;
  struct ArrowArray array = { 0 };
  struct ArrowSchema schema = { 0 };
  ColumnArray *priv;
  SetlColumn *column;

  if (type == SETL_DATA_TYPE_STRING)
    {
      const gint32 *offsets = (const gint32 *) (base + layout->values);

      /* The import checks that offsets never decrease; the ends are ours. */
      if (offsets[0] != 0 || (guint64) offsets[n_rows] != layout->data_size)
        {
          corrupt (src, error, "column “%s” of batch %" G_GUINT64_FORMAT
                   " has string offsets outside its data", name, batch);
          return NULL;
        }
    }

  priv = g_new0 (ColumnArray, 1);
  priv->block = g_bytes_ref (block);
  priv->buffers[0] = layout->validity != G_MAXUINT64 ? base + layout->validity : NULL;
  priv->buffers[1] = base + layout->values;
  priv->buffers[2] = base + layout->data;
  array.length = (gint64) n_rows;
  array.null_count = (gint64) layout->null_count;
  array.n_buffers = type == SETL_DATA_TYPE_STRING ? 3 : 2;
  array.buffers = priv->buffers;
  array.release = column_array_release;
  array.private_data = priv;

  format = type == SETL_DATA_TYPE_TIMESTAMP && setl_field_get_timezone (field) != NULL
           ? g_strconcat ("tsu:", setl_field_get_timezone (field), NULL)
           : g_strdup (arrow_format (type));
  schema.format = format;
  schema.name = name;
  schema.flags = setl_field_get_nullable (field) ? ARROW_FLAG_NULLABLE : 0;
  schema.release = column_schema_release;

  column = setl_column_import_from_c (&array, &schema, NULL, &local_error);
  if (column == NULL)
    {
      corrupt (src, error, "batch %" G_GUINT64_FORMAT ": %s", batch, local_error->message);
      return NULL;
    }
  if ((guint64) setl_column_get_null_count (column) != layout->null_count)
    {
      corrupt (src, error, "column “%s” of batch %" G_GUINT64_FORMAT
               " has %" G_GINT64_FORMAT " nulls in its bitmap, %" G_GUINT64_FORMAT
               " in its descriptor", name, batch, setl_column_get_null_count (column),
               layout->null_count);
      g_object_unref (column);
      return NULL;
    }
  return column;
}

static SetlRecordBatch *
make_batch (const Source  *src,
            guint64        batch,
            GPtrArray     *fields,
            GBytes        *block,
            guint64        n_rows,
            GError       **error)
{
  const guint8 *base = g_bytes_get_data (block, NULL);
  guint64 raw_size = g_bytes_get_size (block);
  guint n_fields = fields->len;
  guint64 pos = stf_align ((guint64) n_fields * STF_COLUMN_DESC_SIZE);
  g_autoptr(GPtrArray) columns = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) local_error = NULL;
  SetlRecordBatch *result;

  if (pos > raw_size || n_rows > raw_size * 8)
    {
      corrupt (src, error, "batch %" G_GUINT64_FORMAT " is too small for its "
               "columns", batch);
      return NULL;
    }
  if (n_fields == 0 && n_rows != 0)
    {
      corrupt (src, error, "batch %" G_GUINT64_FORMAT " has rows but no columns", batch);
      return NULL;
    }

  for (guint i = 0; i < n_fields; i++)
    {
      SetlField *field = g_ptr_array_index (fields, i);
      ColumnLayout layout = { 0 };
      SetlColumn *column;

      if (!layout_column (src, batch, field, base + (gsize) i * STF_COLUMN_DESC_SIZE,
                          n_rows, raw_size, &pos, &layout, error))
        return NULL;
      column = make_column (src, batch, field, block, &layout, n_rows, error);
      if (column == NULL)
        return NULL;
      g_ptr_array_add (columns, column);
    }
  if (pos != raw_size)
    {
      corrupt (src, error, "batch %" G_GUINT64_FORMAT " has %" G_GUINT64_FORMAT
               " bytes its columns do not account for", batch, raw_size - pos);
      return NULL;
    }

  result = setl_record_batch_new ((SetlField **) fields->pdata, n_fields,
                                  (SetlColumn **) columns->pdata, columns->len,
                                  &local_error);
  if (result == NULL)
    corrupt (src, error, "batch %" G_GUINT64_FORMAT ": %s", batch, local_error->message);
  return result;
}

/* One batch on its way from the file to a SetlRecordBatch. */
typedef struct {
  guint64          n_rows;
  guint64          raw_size;
  GBytes          *compressed;
  GBytes          *block;       /* decompressed */
  SetlRecordBatch *batch;
  GError          *error;
} Frame;

static void
frame_clear (gpointer data)
{
  Frame *f = data;

  g_clear_pointer (&f->compressed, g_bytes_unref);
  g_clear_pointer (&f->block, g_bytes_unref);
  g_clear_object (&f->batch);
  g_clear_error (&f->error);
}

/* Reads frame @index at *@pos and checks its checksum and sizes; the
 * compressed bytes are kept for decompression. */
static gboolean
read_frame (const Source  *src,
            guint64        index,
            guint64       *pos,
            guint64        body_end,
            guint64       *raw_left,
            Frame         *out,
            GError       **error)
{
  guint8 header[STF_FRAME_HEADER_SIZE];
  guint64 comp_size;
  unsigned long long content_size;
  guint8 *payload;

  if (body_end - *pos < STF_FRAME_HEADER_SIZE)
    return corrupt (src, error, "batch %" G_GUINT64_FORMAT " runs past the body", index);
  if (!read_at (src, header, sizeof header, *pos, error))
    return FALSE;
  *pos += STF_FRAME_HEADER_SIZE;
  out->n_rows = stf_get_u64 (header + 8);
  out->raw_size = stf_get_u64 (header + 16);
  comp_size = stf_get_u64 (header + 24);
  if (stf_get_u32 (header) != STF_FRAME_MAGIC || comp_size > body_end - *pos)
    return corrupt (src, error, "batch %" G_GUINT64_FORMAT " has an invalid frame header", index);

  /* Bounded by the file's size, checked above. */
  payload = g_malloc (MAX (comp_size, 1));
  out->compressed = g_bytes_new_take (payload, comp_size);
  if (!read_at (src, payload, comp_size, *pos, error))
    return FALSE;
  *pos += comp_size;

  if (stf_frame_checksum (header, payload, comp_size) != stf_get_u64 (header + STF_FRAME_CHECKED))
    return corrupt (src, error, "batch %" G_GUINT64_FORMAT " fails its checksum", index);

  /* The checksum passed, so these are what the writer wrote; they are still
   * checked against each other before anything is allocated. */
  content_size = ZSTD_getFrameContentSize (payload, comp_size);
  if (content_size != out->raw_size || out->raw_size > *raw_left || out->n_rows > G_MAXINT64)
    return corrupt (src, error, "batch %" G_GUINT64_FORMAT " has inconsistent sizes", index);
  *raw_left -= out->raw_size;
  return TRUE;
}

typedef struct {
  void  *data;
  gsize  size;
} MappedBlock;

static void
mapped_block_free (gpointer data)
{
  MappedBlock *m = data;

  munmap (m->data, m->size);
  g_free (m);
}

/* Blocks this large are mapped from the kernel and unmapped when freed:
 * a batch decompressed on a read-ahead thread and freed by its reader
 * would otherwise stay resident in that thread's malloc arena, and a
 * stream read batch by batch would hold far more than its few batches. */
#define MAP_BLOCKS_FROM ((gsize) 1 << 20)

/* A 64-byte aligned block of @size bytes for a decompressed batch; NULL
 * when there is no memory. */
static GBytes *
block_new (gsize   size,
           void  **data)
{
  void *block = NULL;

  if (size >= MAP_BLOCKS_FROM)
    {
      MappedBlock *m;

      block = mmap (NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
      if (block == MAP_FAILED)
        return NULL;
      m = g_new (MappedBlock, 1);
      m->data = block;
      m->size = size;
      *data = block;
      return g_bytes_new_with_free_func (block, size, mapped_block_free, m);
    }
  if (posix_memalign (&block, STF_ALIGN, MAX (size, 1)) != 0)
    return NULL;
  *data = block;
  return g_bytes_new_with_free_func (block, size, free, block);
}

/* Decompresses a checked frame into a 64-byte aligned block and builds its
 * batch; safe to run on any thread. */
static void
decode_frame (const Source  *src,
              ZSTD_DCtx     *dctx,
              GPtrArray     *fields,
              guint64        index,
              Frame         *f)
{
  gsize comp_size;
  const void *payload = g_bytes_get_data (f->compressed, &comp_size);
  void *block = NULL;
  size_t rc;

  f->block = block_new (f->raw_size, &block);
  if (f->block == NULL)
    {
      g_set_error (&f->error, SETL_TABLE_FILE_ERROR, SETL_TABLE_FILE_ERROR_IO,
                   "Cannot read table file “%s”: no memory for batch %"
                   G_GUINT64_FORMAT " (%" G_GUINT64_FORMAT " bytes)",
                   src->name, index, f->raw_size);
      return;
    }
  rc = ZSTD_decompressDCtx (dctx, block, f->raw_size, payload, comp_size);
  g_clear_pointer (&f->compressed, g_bytes_unref);
  if (ZSTD_isError (rc) || rc != f->raw_size)
    {
      corrupt (src, &f->error, "batch %" G_GUINT64_FORMAT " does not decompress: %s",
               index, ZSTD_isError (rc) ? ZSTD_getErrorName (rc) : "short output");
      return;
    }
  f->batch = make_batch (src, index, fields, f->block, f->n_rows, &f->error);
}

typedef struct {
  const Source *src;
  GPtrArray    *fields;
  GArray       *frames;
  gint          next;      /* the next frame to decode, taken atomically */
} DecodeJob;

static gpointer
decode_worker (gpointer data)
{
  DecodeJob *job = data;
  ZSTD_DCtx *dctx = ZSTD_createDCtx ();
  gint i;

  while ((i = g_atomic_int_add (&job->next, 1)) < (gint) job->frames->len)
    {
      Frame *f = &g_array_index (job->frames, Frame, i);

      if (dctx == NULL)
        g_set_error (&f->error, SETL_TABLE_FILE_ERROR, SETL_TABLE_FILE_ERROR_IO,
                     "Cannot read table file “%s”: out of memory", job->src->name);
      else
        decode_frame (job->src, dctx, job->fields, (guint64) i, f);
    }
  g_clear_pointer (&dctx, ZSTD_freeDCtx);
  return NULL;
}

/* Batches are decompressed on several threads when there is enough to
 * share: decompression is most of the cost of a read. */
#define PARALLEL_MIN_RAW_SIZE (8u << 20)
#define MAX_DECODE_THREADS    8

static void
decode_frames (DecodeJob *job,
               guint64    raw_size)
{
  guint n_threads = 1;
  GThread *threads[MAX_DECODE_THREADS];

  if (raw_size >= PARALLEL_MIN_RAW_SIZE && job->frames->len > 1)
    n_threads = MIN (MIN ((guint) g_get_num_processors (), job->frames->len),
                     MAX_DECODE_THREADS);
  for (guint t = 1; t < n_threads; t++)
    threads[t] = g_thread_new ("setl-table-read", decode_worker, job);
  decode_worker (job);
  for (guint t = 1; t < n_threads; t++)
    g_thread_join (threads[t]);
}

static SetlTable *
read_table (const Source  *src,
            Header        *h,
            GError       **error)
{
  SetlTableFileInfo *info = h->info;
  g_autoptr(GArray) frames = g_array_new (FALSE, TRUE, sizeof (Frame));
  g_autoptr(GPtrArray) batches = g_ptr_array_new ();
  g_autoptr(GError) local_error = NULL;
  guint64 pos = STF_HEADER_SIZE + h->schema_size;
  guint64 body_end = pos + h->body_size;
  guint64 raw_left = info->raw_size;
  guint64 n_rows = 0;
  XXH3_state_t *content = NULL;
  XXH128_canonical_t canonical;
  DecodeJob job;
  SetlTable *table = NULL;

  g_array_set_clear_func (frames, frame_clear);
  g_array_set_size (frames, (guint) info->n_batches);

  /* Read and check every frame first (sequential I/O), decompress them
   * next (in parallel), then check the whole. */
  for (guint64 i = 0; i < info->n_batches; i++)
    if (!read_frame (src, i, &pos, body_end, &raw_left,
                     &g_array_index (frames, Frame, i), error))
      return NULL;
  if (pos != body_end || raw_left != 0)
    {
      corrupt (src, error, "its batches do not add up to what the header says");
      return NULL;
    }

  job.src = src;
  job.fields = info->fields;
  job.frames = frames;
  job.next = 0;
  decode_frames (&job, info->raw_size);

  content = XXH3_createState ();
  if (content == NULL)
    {
      g_set_error (error, SETL_TABLE_FILE_ERROR, SETL_TABLE_FILE_ERROR_IO,
                   "Cannot read table file “%s”: out of memory", src->name);
      return NULL;
    }
  XXH3_128bits_reset (content);
  XXH3_128bits_update (content, g_bytes_get_data (h->field_bytes, NULL),
                       g_bytes_get_size (h->field_bytes));
  for (guint i = 0; i < frames->len; i++)
    {
      Frame *f = &g_array_index (frames, Frame, i);
      guint8 rows_le[8];

      /* The first failure in file order, whichever thread met it. */
      if (f->error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&f->error));
          goto out;
        }
      stf_put_u64 (rows_le, f->n_rows);
      XXH3_128bits_update (content, rows_le, sizeof rows_le);
      XXH3_128bits_update (content, g_bytes_get_data (f->block, NULL), f->raw_size);
      n_rows += (guint64) setl_record_batch_get_n_rows (f->batch);
      g_ptr_array_add (batches, f->batch);
    }

  if (n_rows != (guint64) info->n_rows)
    {
      corrupt (src, error, "its batches do not add up to what the header says");
      goto out;
    }
  XXH128_canonicalFromHash (&canonical, XXH3_128bits_digest (content));
  if (memcmp (canonical.digest, h->content_hash, 16) != 0)
    {
      corrupt (src, error, "the content hash does not match");
      goto out;
    }

  table = setl_table_new ((SetlField **) info->fields->pdata, info->fields->len,
                          (SetlRecordBatch **) batches->pdata, batches->len, &local_error);
  if (table == NULL)
    corrupt (src, error, "%s", local_error->message);

out:
  XXH3_freeState (content);
  return table;
}

/* ---------------------------------------------------------------------- */
/* Reading batch by batch                                                   */

/*
 * A cursor reads a table file's batches one at a time, in file order, each
 * checked against its checksum, decompressed and handed on before the next
 * is read: memory holds one batch, whatever the file's size. The checks a
 * whole read makes at the end — the batches add up to what the header
 * says, the content hash over the decompressed blocks — are made when the
 * last batch has been read, so a file that passes every frame checksum but
 * was written wrong fails only then: setl_table_file_verify_fd() first
 * makes damage since it was written a failure before any batch is read.
 */
struct _SetlTableFileCursor
{
  Source        src;
  char         *name;
  Header        h;
  guint64       pos;
  guint64       body_end;
  guint64       raw_left;
  guint64       index;
  guint64       n_rows;
  XXH3_state_t *content;
  ZSTD_DCtx    *dctx;
  gboolean      done;
};

/**
 * setl_table_file_cursor_new:
 * @fd: a file descriptor open for reading (only pread() is used; it must
 *   stay open as long as the cursor)
 * @display_name: the name to put in error messages
 * @error: return location for a #GError
 *
 * Reads and checks the header, as setl_table_file_read_info_fd() does,
 * and gets ready to read the batches one by one.
 *
 * Returns: (transfer full): a cursor, or %NULL with #SETL_TABLE_FILE_ERROR
 */
SetlTableFileCursor *
setl_table_file_cursor_new (int          fd,
                            const char  *display_name,
                            GError     **error)
{
  SetlTableFileCursor *self;

  g_return_val_if_fail (fd >= 0, NULL);
  g_return_val_if_fail (display_name != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_new0 (SetlTableFileCursor, 1);
  self->name = g_strdup (display_name);
  if (!source_init (&self->src, fd, self->name, error) ||
      !read_header (&self->src, &self->h, TRUE, error))
    {
      setl_table_file_cursor_free (self);
      return NULL;
    }
  self->pos = STF_HEADER_SIZE + self->h.schema_size;
  self->body_end = self->pos + self->h.body_size;
  self->raw_left = self->h.info->raw_size;
  self->content = XXH3_createState ();
  self->dctx = ZSTD_createDCtx ();
  if (self->content == NULL || self->dctx == NULL)
    {
      g_set_error (error, SETL_TABLE_FILE_ERROR, SETL_TABLE_FILE_ERROR_IO,
                   "Cannot read table file “%s”: out of memory", display_name);
      setl_table_file_cursor_free (self);
      return NULL;
    }
  XXH3_128bits_reset (self->content);
  XXH3_128bits_update (self->content, g_bytes_get_data (self->h.field_bytes, NULL),
                       g_bytes_get_size (self->h.field_bytes));
  return self;
}

/**
 * setl_table_file_cursor_get_info:
 * @self: a cursor
 *
 * Returns: (transfer none): what the file's header says
 */
const SetlTableFileInfo *
setl_table_file_cursor_get_info (SetlTableFileCursor *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->h.info;
}

/* After the last batch: what read_table() checks once it has them all. */
static gboolean
cursor_check_end (SetlTableFileCursor  *self,
                  GError              **error)
{
  XXH128_canonical_t canonical;

  if (self->pos != self->body_end || self->raw_left != 0 ||
      self->n_rows != (guint64) self->h.info->n_rows)
    return corrupt (&self->src, error, "its batches do not add up to what the header says");
  XXH128_canonicalFromHash (&canonical, XXH3_128bits_digest (self->content));
  if (memcmp (canonical.digest, self->h.content_hash, 16) != 0)
    return corrupt (&self->src, error, "the content hash does not match");
  return TRUE;
}

/**
 * setl_table_file_cursor_next:
 * @self: a cursor
 * @error: return location for a #GError
 *
 * Reads, checks and decompresses the next batch. Its columns point into
 * the decompressed block, which lives as long as they do.
 *
 * Returns: (transfer full) (nullable): the next batch; %NULL at the end
 *   (after the checks of the whole file passed), or with @error set. After
 *   %NULL, it returns %NULL again.
 */
SetlRecordBatch *
setl_table_file_cursor_next (SetlTableFileCursor  *self,
                             GError              **error)
{
  Frame f = { 0 };
  guint8 rows_le[8];
  SetlRecordBatch *batch;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (self->done)
    return NULL;
  if (self->index == self->h.info->n_batches)
    {
      self->done = TRUE;
      cursor_check_end (self, error);
      return NULL;
    }
  if (!read_frame (&self->src, self->index, &self->pos, self->body_end, &self->raw_left,
                   &f, error))
    {
      frame_clear (&f);
      self->done = TRUE;
      return NULL;
    }
  decode_frame (&self->src, self->dctx, self->h.info->fields, self->index, &f);
  if (f.error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&f.error));
      frame_clear (&f);
      self->done = TRUE;
      return NULL;
    }
  stf_put_u64 (rows_le, f.n_rows);
  XXH3_128bits_update (self->content, rows_le, sizeof rows_le);
  XXH3_128bits_update (self->content, g_bytes_get_data (f.block, NULL), f.raw_size);
  self->n_rows += (guint64) setl_record_batch_get_n_rows (f.batch);
  self->index++;
  batch = g_steal_pointer (&f.batch);
  frame_clear (&f);
  return batch;
}

/**
 * setl_table_file_cursor_free:
 * @self: (transfer full) (nullable): a cursor
 *
 * Frees the cursor (not its file descriptor).
 */
void
setl_table_file_cursor_free (SetlTableFileCursor *self)
{
  if (self == NULL)
    return;
  header_clear (&self->h);
  g_clear_pointer (&self->content, XXH3_freeState);
  g_clear_pointer (&self->dctx, ZSTD_freeDCtx);
  g_free (self->name);
  g_free (self);
}

/**
 * setl_table_file_verify_fd:
 * @fd: a file descriptor open for reading (only pread() is used)
 * @display_name: the name to put in error messages
 * @error: return location for a #GError
 *
 * Checks everything that can be checked without decompressing: the
 * header, the schema section, the end marker, and every frame against its
 * checksum. It reads the whole file, but costs a small fraction of
 * setl_table_file_read_fd(); a file it accepts can still fail the content
 * hash only if it was written wrong, not if it was damaged since.
 *
 * Returns: %TRUE when the file is intact, or %FALSE with
 *   #SETL_TABLE_FILE_ERROR
 */
gboolean
setl_table_file_verify_fd (int          fd,
                           const char  *display_name,
                           GError     **error)
{
  Source src;
  Header h = { 0 };
  gboolean ok = FALSE;
  guint64 pos, body_end, raw_left;

  g_return_val_if_fail (fd >= 0, FALSE);
  g_return_val_if_fail (display_name != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!source_init (&src, fd, display_name, error) ||
      !read_header (&src, &h, TRUE, error))
    goto out;

  pos = STF_HEADER_SIZE + h.schema_size;
  body_end = pos + h.body_size;
  raw_left = h.info->raw_size;
  for (guint64 i = 0; i < h.info->n_batches; i++)
    {
      Frame f = { 0 };
      gboolean frame_ok = read_frame (&src, i, &pos, body_end, &raw_left, &f, error);

      frame_clear (&f);
      if (!frame_ok)
        goto out;
    }
  if (pos != body_end || raw_left != 0)
    {
      corrupt (&src, error, "its batches do not add up to what the header says");
      goto out;
    }
  ok = TRUE;

out:
  header_clear (&h);
  return ok;
}

/**
 * setl_table_file_read_fd:
 * @fd: a file descriptor open for reading (only pread() is used)
 * @display_name: the name to put in error messages
 * @out_info: (out) (optional) (transfer full): the header's content
 * @error: return location for a #GError
 *
 * Reads a whole table file, checking every checksum, size and offset. The
 * columns of each batch point into one block holding the decompressed
 * batch; no value is copied after decompression.
 *
 * Returns: (transfer full): the table, or %NULL with #SETL_TABLE_FILE_ERROR
 */
SetlTable *
setl_table_file_read_fd (int                  fd,
                         const char          *display_name,
                         SetlTableFileInfo  **out_info,
                         GError             **error)
{
  Source src;
  Header h = { 0 };
  SetlTable *table = NULL;

  g_return_val_if_fail (fd >= 0, NULL);
  g_return_val_if_fail (display_name != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (source_init (&src, fd, display_name, error) &&
      read_header (&src, &h, TRUE, error))
    table = read_table (&src, &h, error);

  if (table != NULL && out_info != NULL)
    *out_info = g_steal_pointer (&h.info);
  header_clear (&h);
  return table;
}

/**
 * setl_table_file_read:
 * @path: a table file
 * @out_info: (out) (optional) (transfer full): the header's content
 * @error: return location for a #GError
 *
 * Like setl_table_file_read_fd(), opening @path.
 *
 * Returns: (transfer full): the table, or %NULL
 */
SetlTable *
setl_table_file_read (const char          *path,
                      SetlTableFileInfo  **out_info,
                      GError             **error)
{
  SetlTable *table;
  int fd;

  g_return_val_if_fail (path != NULL, NULL);

  fd = open_file (path, error);
  if (fd < 0)
    return NULL;
  table = setl_table_file_read_fd (fd, path, out_info, error);
  close (fd);
  return table;
}
