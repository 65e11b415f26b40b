/* setl-flow.h: an edge of a pipeline's DAG.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(SETL_INSIDE) && !defined(SETL_COMPILATION)
#error "Only <setl/setl.h> can be included directly."
#endif

#include "setl-node.h"

G_BEGIN_DECLS

#define SETL_TYPE_FLOW (setl_flow_get_type ())
G_DECLARE_FINAL_TYPE (SetlFlow, setl_flow, SETL, FLOW, GObject)

SetlFlow     *setl_flow_new              (SetlNode     *from,
                                          SetlNode     *to,
                                          SetlDelivery *slot);
SetlNode     *setl_flow_get_from         (SetlFlow *self);
SetlNode     *setl_flow_get_to           (SetlFlow *self);
SetlDelivery *setl_flow_get_slot         (SetlFlow *self);
GType         setl_flow_get_payload_type (SetlFlow *self);
const char   *setl_flow_get_delivery_id  (SetlFlow *self);
int           setl_flow_get_stage        (SetlFlow *self);
gboolean      setl_flow_is_external      (SetlFlow *self);
char         *setl_flow_describe         (SetlFlow *self);

G_END_DECLS
