/* setl-table-checks.h: row_count_in_range, column_set.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <setl/setl-validation.h>

G_BEGIN_DECLS

GType setl_builtin_row_count_check_get_type (void) G_GNUC_CONST;
GType setl_builtin_column_set_check_get_type (void) G_GNUC_CONST;

G_END_DECLS
