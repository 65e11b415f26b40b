/* setl-dispatcher.h: routes deliverables to input slots.
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

#define SETL_TYPE_DISPATCHER (setl_dispatcher_get_type ())
G_DECLARE_FINAL_TYPE (SetlDispatcher, setl_dispatcher, SETL, DISPATCHER, GObject)

SetlDispatcher  *setl_dispatcher_new               (void);
void             setl_dispatcher_add_deliverable   (SetlDispatcher  *self,
                                                    SetlDeliverable *deliverable);
GPtrArray       *setl_dispatcher_get_deliverables  (SetlDispatcher  *self);
GPtrArray       *setl_dispatcher_find              (SetlDispatcher  *self,
                                                    GType            payload_type,
                                                    const char      *delivery_id,
                                                    GType            producer);
SetlDeliverable *setl_dispatcher_select            (SetlDispatcher  *self,
                                                    SetlFactory     *consumer,
                                                    SetlDelivery    *slot,
                                                    GError         **error);
gboolean         setl_dispatcher_dispatch          (SetlDispatcher  *self,
                                                    SetlFactory     *consumer,
                                                    GError         **error);
gboolean         setl_dispatcher_collect_factory   (SetlDispatcher  *self,
                                                    SetlFactory     *factory,
                                                    GError         **error);
void             setl_dispatcher_clear             (SetlDispatcher  *self);

G_END_DECLS
