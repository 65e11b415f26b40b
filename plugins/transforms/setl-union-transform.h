/* setl-union-transform.h: the "union" transform.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <setl/setl.h>

G_BEGIN_DECLS

#define SETL_TYPE_UNION_TRANSFORM (setl_union_transform_get_type ())
G_DECLARE_FINAL_TYPE (SetlUnionTransform, setl_union_transform, SETL, UNION_TRANSFORM, SetlFactory)

G_END_DECLS
