/* setl-filter-transform.h: the "filter" transform.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <setl/setl.h>

G_BEGIN_DECLS

#define SETL_TYPE_FILTER_TRANSFORM (setl_filter_transform_get_type ())
G_DECLARE_FINAL_TYPE (SetlFilterTransform, setl_filter_transform, SETL, FILTER_TRANSFORM, SetlFactory)

G_END_DECLS
