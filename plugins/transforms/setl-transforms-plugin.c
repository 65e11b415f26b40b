/* setl-transforms-plugin.c: the built-in streaming transforms.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <setl/setl-plugin.h>

#include "setl-filter-transform.h"
#include "setl-limit-transform.h"
#include "setl-select-transform.h"
#include "setl-sort-transform.h"
#include "setl-union-transform.h"

static gboolean
setl_transforms_plugin_init (SetlPlugin  *plugin,
                             GError     **error)
{
  return setl_plugin_add_feature (plugin, "filter", SETL_FEATURE_KIND_TRANSFORM,
                                  SETL_TYPE_FILTER_TRANSFORM, SETL_RANK_PRIMARY, NULL,
                                  "Keeps the rows for which a condition is true", error) &&
         setl_plugin_add_feature (plugin, "select", SETL_FEATURE_KIND_TRANSFORM,
                                  SETL_TYPE_SELECT_TRANSFORM, SETL_RANK_PRIMARY, NULL,
                                  "Keeps, renames and computes columns", error) &&
         setl_plugin_add_feature (plugin, "sort", SETL_FEATURE_KIND_TRANSFORM,
                                  SETL_TYPE_SORT_TRANSFORM, SETL_RANK_PRIMARY, NULL,
                                  "Orders rows by keys (stable; holds all rows in memory)", error) &&
         setl_plugin_add_feature (plugin, "limit", SETL_FEATURE_KIND_TRANSFORM,
                                  SETL_TYPE_LIMIT_TRANSFORM, SETL_RANK_PRIMARY, NULL,
                                  "Passes on at most N rows after an offset", error) &&
         setl_plugin_add_feature (plugin, "union", SETL_FEATURE_KIND_TRANSFORM,
                                  SETL_TYPE_UNION_TRANSFORM, SETL_RANK_PRIMARY, NULL,
                                  "Concatenates inputs with the same columns", error);
}

SETL_PLUGIN_DEFINE ("transforms", "0.1.0",
                    "Built-in streaming transforms: filter, select, sort, limit, union",
                    "LGPL-2.1-or-later", "https://gitlab.com/libsetl/libsetl",
                    setl_transforms_plugin_init)
