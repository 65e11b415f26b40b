/* setl-cache-memory-plugin.c: the memory cache policy.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <setl/setl-plugin.h>

#include "setl-memory-cache.h"

static gboolean
setl_cache_memory_plugin_init (SetlPlugin  *plugin,
                               GError     **error)
{
  return setl_plugin_add_feature (plugin, "memory", SETL_FEATURE_KIND_CACHE_POLICY,
                                  SETL_TYPE_MEMORY_CACHE, SETL_RANK_PRIMARY, NULL,
                                  "Keeps results in this process, least recently used "
                                  "evicted beyond a size in bytes", error);
}

SETL_PLUGIN_DEFINE ("cache-memory", "0.1.0",
                    "Cache policy keeping factory results in memory (LRU by bytes, TTL)",
                    "LGPL-2.1-or-later", "https://gitlab.com/libsetl/libsetl",
                    setl_cache_memory_plugin_init)
