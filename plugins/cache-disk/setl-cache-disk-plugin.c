/* setl-cache-disk-plugin.c: the "cache-disk" plugin — the "disk" cache
 * policy.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <setl/setl-plugin.h>

#include "setl-disk-cache.h"

static gboolean
setl_cache_disk_plugin_init (SetlPlugin  *plugin,
                             GError     **error)
{
  return setl_plugin_add_feature (plugin, "disk", SETL_FEATURE_KIND_CACHE_POLICY,
                                  SETL_TYPE_DISK_CACHE, SETL_RANK_PRIMARY, NULL,
                                  "Keeps factory results in a directory: columnar, "
                                  "zstd-compressed, XXH3-checksummed, LRU-evicted, "
                                  "shared safely between processes",
                                  error);
}

SETL_PLUGIN_DEFINE ("cache-disk", "0.1.0",
                    "A cache policy that keeps results on disk, content-addressed, "
                    "compressed and checksummed",
                    "LGPL-2.1-or-later", "https://gitlab.com/libsetl/libsetl",
                    setl_cache_disk_plugin_init)
