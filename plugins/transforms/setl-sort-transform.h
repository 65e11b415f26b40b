/* setl-sort-transform.h: the "sort" transform.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <setl/setl.h>

G_BEGIN_DECLS

#define SETL_TYPE_SORT_TRANSFORM (setl_sort_transform_get_type ())
G_DECLARE_FINAL_TYPE (SetlSortTransform, setl_sort_transform, SETL, SORT_TRANSFORM, SetlFactory)

G_END_DECLS
