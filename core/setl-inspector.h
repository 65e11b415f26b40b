/* setl-inspector.h: builds and checks a pipeline's DAG before it runs.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(SETL_INSIDE) && !defined(SETL_COMPILATION)
#error "Only <setl/setl.h> can be included directly."
#endif

#include "setl-flow.h"
#include "setl-node.h"

G_BEGIN_DECLS

typedef struct _SetlPipeline SetlPipeline;

#define SETL_TYPE_INSPECTOR (setl_inspector_get_type ())
G_DECLARE_FINAL_TYPE (SetlInspector, setl_inspector, SETL, INSPECTOR, GObject)

SetlInspector *setl_inspector_new        (SetlPipeline  *pipeline);
gboolean       setl_inspector_inspect    (SetlInspector *self,
                                          GError       **error);
GPtrArray     *setl_inspector_get_nodes  (SetlInspector *self);
GPtrArray     *setl_inspector_get_flows  (SetlInspector *self);
SetlNode      *setl_inspector_find_node  (SetlInspector *self,
                                          SetlFactory   *factory);
GPtrArray     *setl_inspector_get_producers (SetlInspector *self,
                                             SetlFactory   *factory);
char          *setl_inspector_describe   (SetlInspector *self);
char          *setl_inspector_to_mermaid (SetlInspector *self);
char          *setl_inspector_to_dot     (SetlInspector *self);

G_END_DECLS
