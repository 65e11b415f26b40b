/* setl-deliverable.h: a produced output and where it may go.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(SETL_INSIDE) && !defined(SETL_COMPILATION)
#error "Only <setl/setl.h> can be included directly."
#endif

#include <glib-object.h>

G_BEGIN_DECLS

#define SETL_TYPE_DELIVERABLE (setl_deliverable_get_type ())
G_DECLARE_FINAL_TYPE (SetlDeliverable, setl_deliverable, SETL, DELIVERABLE, GObject)

SetlDeliverable *setl_deliverable_new              (const GValue    *payload,
                                                    GType            producer,
                                                    const char      *delivery_id);
SetlDeliverable *setl_deliverable_new_expected     (GType            payload_type,
                                                    GType            producer,
                                                    const char      *delivery_id);

const GValue    *setl_deliverable_get_payload      (SetlDeliverable *self);
GType            setl_deliverable_get_payload_type (SetlDeliverable *self);
GType            setl_deliverable_get_producer     (SetlDeliverable *self);
const char      *setl_deliverable_get_delivery_id  (SetlDeliverable *self);
gboolean         setl_deliverable_is_external      (SetlDeliverable *self);

void             setl_deliverable_add_consumer     (SetlDeliverable *self,
                                                    GType            consumer);
const GType     *setl_deliverable_get_consumers    (SetlDeliverable *self,
                                                    guint           *n_consumers);
gboolean         setl_deliverable_has_consumer     (SetlDeliverable *self,
                                                    GType            consumer);

G_END_DECLS
