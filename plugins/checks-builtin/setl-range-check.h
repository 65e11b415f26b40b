/* setl-range-check.h: in_range.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <setl/setl-validation.h>

G_BEGIN_DECLS

#define SETL_TYPE_BUILTIN_RANGE_CHECK (setl_builtin_range_check_get_type ())
G_DECLARE_FINAL_TYPE (SetlBuiltinRangeCheck, setl_builtin_range_check, SETL, BUILTIN_RANGE_CHECK, SetlCheck)

G_END_DECLS
