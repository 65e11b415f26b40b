/* setl-compare-checks.h: eq, ne, gt, ge, lt, le.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <setl/setl-validation.h>

G_BEGIN_DECLS

GType setl_builtin_compare_check_get_type (void) G_GNUC_CONST;
GType setl_builtin_eq_check_get_type (void) G_GNUC_CONST;
GType setl_builtin_ne_check_get_type (void) G_GNUC_CONST;
GType setl_builtin_gt_check_get_type (void) G_GNUC_CONST;
GType setl_builtin_ge_check_get_type (void) G_GNUC_CONST;
GType setl_builtin_lt_check_get_type (void) G_GNUC_CONST;
GType setl_builtin_le_check_get_type (void) G_GNUC_CONST;

G_END_DECLS
