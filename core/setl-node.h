/* setl-node.h: a vertex of a pipeline's DAG.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(SETL_INSIDE) && !defined(SETL_COMPILATION)
#error "Only <setl/setl.h> can be included directly."
#endif

#include "setl-deliverable.h"
#include "setl-factory.h"

G_BEGIN_DECLS

#define SETL_TYPE_NODE (setl_node_get_type ())
G_DECLARE_FINAL_TYPE (SetlNode, setl_node, SETL, NODE, GObject)

SetlNode     *setl_node_new_from_factory    (SetlFactory     *factory,
                                             int              stage,
                                             gboolean         final);
SetlNode     *setl_node_new_external        (SetlDeliverable *deliverable);

SetlFactory  *setl_node_get_factory         (SetlNode *self);
SetlDeliverable *setl_node_get_deliverable  (SetlNode *self);
GType         setl_node_get_factory_type    (SetlNode *self);
const char   *setl_node_get_name            (SetlNode *self);
int           setl_node_get_stage           (SetlNode *self);
gboolean      setl_node_is_external         (SetlNode *self);
gboolean      setl_node_is_final            (SetlNode *self);
GPtrArray    *setl_node_get_inputs          (SetlNode *self);
GType         setl_node_get_output_type     (SetlNode *self);
const char   *setl_node_get_delivery_id     (SetlNode *self);
const GType  *setl_node_get_consumers       (SetlNode *self,
                                             guint    *n_consumers);
GPtrArray    *setl_node_find_inputs         (SetlNode   *self,
                                             GType       payload_type,
                                             const char *delivery_id);
gboolean      setl_node_can_deliver_to      (SetlNode     *self,
                                             SetlNode     *consumer,
                                             SetlDelivery *slot);
char         *setl_node_describe            (SetlNode *self);

G_END_DECLS
