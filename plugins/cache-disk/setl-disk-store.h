/* setl-disk-store.h: a content-addressed directory of table files, shared
 * safely between processes.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <setl/setl.h>

#include "setl-table-file-writer.h"

G_BEGIN_DECLS

/**
 * SETL_DISK_STORE_LAYOUT:
 *
 * The name of the folder, inside the cache directory, that holds this
 * layout version's files. A new layout gets a new folder, so that an old
 * libsetl and a new one sharing a directory never read each other's files.
 * Version 2 put a hit block (setl-disk-hit-block.c) before each entry's
 * GVariant metadata: version 1 entries are simply not found.
 */
#define SETL_DISK_STORE_LAYOUT "disk-v2"

#define SETL_TYPE_DISK_STORE (setl_disk_store_get_type ())
G_DECLARE_FINAL_TYPE (SetlDiskStore, setl_disk_store, SETL, DISK_STORE, GObject)

/**
 * SetlDiskStoreUsage:
 * @size: bytes of the entry files
 * @n_entries: number of entry files
 *
 * What the store holds, all processes together.
 */
typedef struct {
  guint64 size;
  guint64 n_entries;
} SetlDiskStoreUsage;

SetlDiskStore *setl_disk_store_new            (const char          *dir,
                                               GError             **error);
const char    *setl_disk_store_get_dir        (SetlDiskStore       *self);
const char    *setl_disk_store_get_root       (SetlDiskStore       *self);

char          *setl_disk_store_entry_path     (SetlDiskStore       *self,
                                               const char          *digest);
char          *setl_disk_store_subject_path   (SetlDiskStore       *self,
                                               const char          *subject);

int            setl_disk_store_open           (SetlDiskStore       *self,
                                               const char          *path,
                                               GError             **error);
gboolean       setl_disk_store_prepare        (SetlDiskStore       *self,
                                               const char          *path,
                                               GError             **error);
void           setl_disk_store_touch          (int                  fd);

gboolean       setl_disk_store_commit         (SetlDiskStore       *self,
                                               SetlTableFileWriter *writer,
                                               guint64              max_size,
                                               guint64             *n_evicted,
                                               GError             **error);
gboolean       setl_disk_store_commit_subject (SetlDiskStore       *self,
                                               SetlTableFileWriter *writer,
                                               GError             **error);
gboolean       setl_disk_store_drop           (SetlDiskStore       *self,
                                               const char          *digest,
                                               int                  fd,
                                               gboolean            *dropped,
                                               GError             **error);
gboolean       setl_disk_store_evict          (SetlDiskStore       *self,
                                               guint64              max_size,
                                               guint64             *n_evicted,
                                               GError             **error);
gboolean       setl_disk_store_clear          (SetlDiskStore       *self,
                                               GError             **error);
gboolean       setl_disk_store_get_usage      (SetlDiskStore       *self,
                                               SetlDiskStoreUsage  *usage,
                                               GError             **error);
gboolean       setl_disk_store_scan           (SetlDiskStore       *self,
                                               SetlDiskStoreUsage  *usage,
                                               GError             **error);

G_END_DECLS
