/* setl-disk-cache-writer.h: a disk cache entry written batch by batch.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <setl/setl.h>

#include "setl-disk-cache.h"
#include "setl-disk-store.h"
#include "setl-table-file-writer.h"

G_BEGIN_DECLS

#define SETL_TYPE_DISK_CACHE_WRITER (setl_disk_cache_writer_get_type ())
G_DECLARE_FINAL_TYPE (SetlDiskCacheWriter, setl_disk_cache_writer, SETL, DISK_CACHE_WRITER,
                      SetlCacheWriter)

SetlCacheWriter *setl_disk_cache_writer_new (SetlDiskCache        *cache,
                                             SetlDiskStore        *store,
                                             SetlCacheEntry       *entry,
                                             SetlField           **fields,
                                             guint                 n_fields,
                                             guint64               max_size,
                                             guint64               ttl,
                                             int                   level,
                                             GError              **error);
const char      *setl_disk_cache_writer_get_temp_path (SetlDiskCacheWriter *self);

G_END_DECLS
