/* setl-select-transform.h: the "select" transform.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <setl/setl.h>

G_BEGIN_DECLS

#define SETL_TYPE_SELECT_TRANSFORM (setl_select_transform_get_type ())
G_DECLARE_FINAL_TYPE (SetlSelectTransform, setl_select_transform, SETL, SELECT_TRANSFORM, SetlFactory)

G_END_DECLS
