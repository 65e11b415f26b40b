/* setl-stat-checks.h: statistics of a whole column within bounds.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <setl/setl-validation.h>

G_BEGIN_DECLS

GType setl_builtin_mean_check_get_type (void) G_GNUC_CONST;
GType setl_builtin_stddev_check_get_type (void) G_GNUC_CONST;
GType setl_builtin_null_fraction_check_get_type (void) G_GNUC_CONST;
GType setl_builtin_distinct_count_check_get_type (void) G_GNUC_CONST;

G_END_DECLS
