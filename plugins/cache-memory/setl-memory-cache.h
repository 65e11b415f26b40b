/* setl-memory-cache.h: factory results kept in this process.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <setl/setl.h>

G_BEGIN_DECLS

#define SETL_TYPE_MEMORY_CACHE (setl_memory_cache_get_type ())
G_DECLARE_FINAL_TYPE (SetlMemoryCache, setl_memory_cache, SETL, MEMORY_CACHE, GObject)

SetlMemoryCache *setl_memory_cache_new (guint64 max_size,
                                        guint64 ttl_seconds);

G_END_DECLS
