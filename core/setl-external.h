/* setl-external.h: the marker for data that comes from outside a pipeline.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(SETL_INSIDE) && !defined(SETL_COMPILATION)
#error "Only <setl/setl.h> can be included directly."
#endif

#include <glib-object.h>

G_BEGIN_DECLS

#define SETL_TYPE_EXTERNAL (setl_external_get_type ())
G_DECLARE_FINAL_TYPE (SetlExternal, setl_external, SETL, EXTERNAL, GObject)

G_END_DECLS
