/* setl-membership-checks.h: isin, notin, unique_values_eq.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <setl/setl-validation.h>

G_BEGIN_DECLS

GType setl_builtin_isin_check_get_type (void) G_GNUC_CONST;
GType setl_builtin_notin_check_get_type (void) G_GNUC_CONST;
GType setl_builtin_unique_values_eq_check_get_type (void) G_GNUC_CONST;

G_END_DECLS
