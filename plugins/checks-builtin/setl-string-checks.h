/* setl-string-checks.h: str_matches, str_contains, pattern, str_startswith,
 * str_endswith, str_length.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <setl/setl-validation.h>

G_BEGIN_DECLS

GType setl_builtin_str_matches_check_get_type (void) G_GNUC_CONST;
GType setl_builtin_str_contains_check_get_type (void) G_GNUC_CONST;
GType setl_builtin_pattern_check_get_type (void) G_GNUC_CONST;
GType setl_builtin_str_startswith_check_get_type (void) G_GNUC_CONST;
GType setl_builtin_str_endswith_check_get_type (void) G_GNUC_CONST;
GType setl_builtin_str_length_check_get_type (void) G_GNUC_CONST;

G_END_DECLS
