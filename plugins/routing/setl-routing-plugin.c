/* setl-routing-plugin.c: routing rows and runs — A/B splits.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <setl/setl-plugin.h>

#include "setl-split.h"

static gboolean
setl_routing_plugin_init (SetlPlugin  *plugin,
                          GError     **error)
{
  return setl_plugin_add_feature (plugin, "split", SETL_FEATURE_KIND_TRANSFORM,
                                  SETL_TYPE_SPLIT, SETL_RANK_PRIMARY, NULL,
                                  "Assigns rows (by a hash of a key column) or whole runs "
                                  "(by the run key) to A/B variants with given percentages",
                                  error);
}

SETL_PLUGIN_DEFINE ("routing", "0.1.0",
                    "Routing: deterministic A/B splits of rows or runs",
                    "LGPL-2.1-or-later", "https://gitlab.com/libsetl/libsetl",
                    setl_routing_plugin_init)
