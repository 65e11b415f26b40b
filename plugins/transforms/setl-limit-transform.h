/* setl-limit-transform.h: the "limit" transform.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <setl/setl.h>

G_BEGIN_DECLS

#define SETL_TYPE_LIMIT_TRANSFORM (setl_limit_transform_get_type ())
G_DECLARE_FINAL_TYPE (SetlLimitTransform, setl_limit_transform, SETL, LIMIT_TRANSFORM, SetlFactory)

G_END_DECLS
