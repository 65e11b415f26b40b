/* setl-disk-cache.h: the "disk" cache policy.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <setl/setl.h>

G_BEGIN_DECLS

/**
 * SETL_DISK_CACHE_DEFAULT_MAX_SIZE:
 *
 * The default #SetlCachePolicy:max-size of the disk policy: 2 GiB.
 */
#define SETL_DISK_CACHE_DEFAULT_MAX_SIZE (G_GUINT64_CONSTANT (2) << 30)

#define SETL_TYPE_DISK_CACHE (setl_disk_cache_get_type ())
G_DECLARE_FINAL_TYPE (SetlDiskCache, setl_disk_cache, SETL, DISK_CACHE, GObject)

SetlDiskCache *setl_disk_cache_new      (const char    *dir);
const char    *setl_disk_cache_get_dir  (SetlDiskCache *self);

G_END_DECLS
