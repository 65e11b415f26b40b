/* setl-checks-builtin-plugin.c: the built-in check library.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <setl/setl-plugin.h>

#include "setl-compare-checks.h"
#include "setl-range-check.h"
#include "setl-membership-checks.h"
#include "setl-string-checks.h"
#include "setl-stat-checks.h"
#include "setl-table-checks.h"

/* Feature names are the check names with "-" for "_" (feature names are
 * spelled like the other plugins'); schemas use the check names. */
static gboolean
setl_checks_builtin_plugin_init (SetlPlugin  *plugin,
                                 GError     **error)
{
  static const struct {
    const char *feature;
    GType (*get_type) (void);
    const char *description;
  } checks[] = {
    { "eq", setl_builtin_eq_check_get_type, "Values equal a value" },
    { "ne", setl_builtin_ne_check_get_type, "Values differ from a value" },
    { "gt", setl_builtin_gt_check_get_type, "Values are greater than a bound" },
    { "ge", setl_builtin_ge_check_get_type, "Values are at least a bound" },
    { "lt", setl_builtin_lt_check_get_type, "Values are less than a bound" },
    { "le", setl_builtin_le_check_get_type, "Values are at most a bound" },
    { "in-range", setl_builtin_range_check_get_type, "Values lie in an interval (ends included unless said)" },
    { "isin", setl_builtin_isin_check_get_type, "Values are among allowed values" },
    { "notin", setl_builtin_notin_check_get_type, "Values are not among forbidden values" },
    { "unique-values-eq", setl_builtin_unique_values_eq_check_get_type, "The column's distinct values are exactly a set" },
    { "str-matches", setl_builtin_str_matches_check_get_type, "Text matches a regular expression from its start" },
    { "str-contains", setl_builtin_str_contains_check_get_type, "Text contains a regular expression match" },
    { "pattern", setl_builtin_pattern_check_get_type, "Whole text matches a regular expression" },
    { "str-startswith", setl_builtin_str_startswith_check_get_type, "Text starts with a string" },
    { "str-endswith", setl_builtin_str_endswith_check_get_type, "Text ends with a string" },
    { "str-length", setl_builtin_str_length_check_get_type, "Text length (in characters) within bounds or exact" },
    { "mean-in-range", setl_builtin_mean_check_get_type, "The column's mean lies within bounds" },
    { "stddev-in-range", setl_builtin_stddev_check_get_type, "The column's standard deviation lies within bounds" },
    { "null-fraction-in-range", setl_builtin_null_fraction_check_get_type, "The column's fraction of nulls lies within bounds" },
    { "distinct-count-in-range", setl_builtin_distinct_count_check_get_type, "The column's number of distinct values lies within bounds" },
    { "row-count-in-range", setl_builtin_row_count_check_get_type, "The table's number of rows lies within bounds" },
    { "column-set", setl_builtin_column_set_check_get_type, "The table has exactly (or at least) the columns named" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (checks); i++)
    if (!setl_plugin_add_feature (plugin, checks[i].feature, SETL_FEATURE_KIND_CHECK_LIBRARY,
                                  checks[i].get_type (), SETL_RANK_PRIMARY, NULL,
                                  checks[i].description, error))
      return FALSE;
  return TRUE;
}

SETL_PLUGIN_DEFINE ("checks-builtin", "0.1.0",
                    "Built-in validation checks, with Pandera's semantics: comparisons, ranges, "
                    "sets, text, statistics, table shape",
                    "LGPL-2.1-or-later", "https://gitlab.com/libsetl/libsetl",
                    setl_checks_builtin_plugin_init)
