/* setl-delivery.h: a declared input slot of a factory.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(SETL_INSIDE) && !defined(SETL_COMPILATION)
#error "Only <setl/setl.h> can be included directly."
#endif

#include <glib-object.h>

G_BEGIN_DECLS

#define SETL_TYPE_DELIVERY (setl_delivery_get_type ())
G_DECLARE_FINAL_TYPE (SetlDelivery, setl_delivery, SETL, DELIVERY, GObject)

SetlDelivery *setl_delivery_new            (const char   *name,
                                            GType         payload_type,
                                            GType         producer,
                                            const char   *delivery_id);

const char   *setl_delivery_get_name        (SetlDelivery *self);
GType         setl_delivery_get_payload_type (SetlDelivery *self);
GType         setl_delivery_get_producer    (SetlDelivery *self);
const char   *setl_delivery_get_delivery_id (SetlDelivery *self);
void          setl_delivery_set_delivery_id (SetlDelivery *self,
                                             const char   *delivery_id);
gboolean      setl_delivery_get_optional    (SetlDelivery *self);
void          setl_delivery_set_optional    (SetlDelivery *self,
                                             gboolean      optional);
GType         setl_delivery_get_consumer    (SetlDelivery *self);
gboolean      setl_delivery_has_producer    (SetlDelivery *self);

gboolean      setl_delivery_has_value       (SetlDelivery *self);
const GValue *setl_delivery_get_value       (SetlDelivery *self);
void          setl_delivery_set_value       (SetlDelivery *self,
                                             const GValue *value);
void          setl_delivery_reset           (SetlDelivery *self);

G_END_DECLS
