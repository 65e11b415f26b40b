/* setl-table-file.h: a SetlTable on disk — columnar, zstd-compressed,
 * checksummed with XXH3 — and reading it back without copying rows.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <setl/setl.h>

G_BEGIN_DECLS

/**
 * SETL_TABLE_FILE_VERSION:
 *
 * The format version this code writes and the only one it reads. Bump it on
 * any change of the layout described in docs/plugin-cache-disk.md.
 */
#define SETL_TABLE_FILE_VERSION 1

/**
 * SETL_TABLE_FILE_ERROR:
 *
 * The error domain of table files. Every message names the file.
 */
#define SETL_TABLE_FILE_ERROR (setl_table_file_error_quark ())
GQuark setl_table_file_error_quark (void);

/**
 * SetlTableFileError:
 * @SETL_TABLE_FILE_ERROR_IO: the file could not be opened, read, written,
 *   synced or renamed (the message carries the system's reason)
 * @SETL_TABLE_FILE_ERROR_NOT_TABLE_FILE: the file does not start with the
 *   table file magic
 * @SETL_TABLE_FILE_ERROR_VERSION: a format version, compression or byte
 *   order this build does not read
 * @SETL_TABLE_FILE_ERROR_TRUNCATED: the file is shorter than its header says
 * @SETL_TABLE_FILE_ERROR_CORRUPT: a checksum does not match, or sizes,
 *   types or offsets inside the file contradict each other
 *
 * Why a table file could not be written or read.
 */
typedef enum {
  SETL_TABLE_FILE_ERROR_IO,
  SETL_TABLE_FILE_ERROR_NOT_TABLE_FILE,
  SETL_TABLE_FILE_ERROR_VERSION,
  SETL_TABLE_FILE_ERROR_TRUNCATED,
  SETL_TABLE_FILE_ERROR_CORRUPT,
} SetlTableFileError;

/**
 * SetlTableFileInfo:
 * @version: the format version (%SETL_TABLE_FILE_VERSION)
 * @n_batches: the number of record batches
 * @n_rows: the number of rows, all batches together
 * @file_size: the size of the file in bytes
 * @raw_size: the bytes of the batches once decompressed
 * @n_fields: the number of fields
 * @fields: (element-type SetlField): the schema (empty from
 *   setl_table_file_check_info_fd())
 * @metadata: (nullable): the opaque bytes stored with the table (the disk
 *   cache keeps a serialized #SetlCacheEntry there)
 * @content_hash: 32 hexadecimal digits: XXH3-128 of the schema and of the
 *   uncompressed column buffers, the same for the same data whatever the
 *   compression level or metadata
 *
 * What the header of a table file says, read and checked without
 * decompressing any batch.
 */
typedef struct {
  guint32    version;
  guint64    n_batches;
  gint64     n_rows;
  guint64    file_size;
  guint64    raw_size;
  guint      n_fields;
  GPtrArray *fields;
  GBytes    *metadata;
  char       content_hash[33];
} SetlTableFileInfo;

void               setl_table_file_info_free (SetlTableFileInfo *info);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SetlTableFileInfo, setl_table_file_info_free)

SetlTableFileInfo *setl_table_file_read_info    (const char          *path,
                                                 GError             **error);
SetlTableFileInfo *setl_table_file_read_info_fd (int                  fd,
                                                 const char          *display_name,
                                                 GError             **error);
SetlTableFileInfo *setl_table_file_check_info_fd (int                 fd,
                                                 const char          *display_name,
                                                 GError             **error);
gboolean           setl_table_file_verify_fd    (int                  fd,
                                                 const char          *display_name,
                                                 GError             **error);
SetlTable         *setl_table_file_read         (const char          *path,
                                                 SetlTableFileInfo  **out_info,
                                                 GError             **error);
SetlTable         *setl_table_file_read_fd      (int                  fd,
                                                 const char          *display_name,
                                                 SetlTableFileInfo  **out_info,
                                                 GError             **error);

/**
 * SetlTableFileCursor:
 *
 * Reads a table file batch by batch (setl_table_file_cursor_new()).
 */
typedef struct _SetlTableFileCursor SetlTableFileCursor;

SetlTableFileCursor     *setl_table_file_cursor_new      (int                   fd,
                                                          const char           *display_name,
                                                          GError              **error);
const SetlTableFileInfo *setl_table_file_cursor_get_info (SetlTableFileCursor  *self);
SetlRecordBatch         *setl_table_file_cursor_next     (SetlTableFileCursor  *self,
                                                          GError              **error);
void                     setl_table_file_cursor_free     (SetlTableFileCursor  *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SetlTableFileCursor, setl_table_file_cursor_free)

gboolean           setl_table_file_write        (const char          *path,
                                                 SetlTable           *table,
                                                 GBytes              *metadata,
                                                 int                  compression_level,
                                                 SetlTableFileInfo  **out_info,
                                                 GError             **error);

G_END_DECLS
