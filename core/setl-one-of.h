/* setl-one-of.h: the output of whichever of several exclusive branches ran.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(SETL_INSIDE) && !defined(SETL_COMPILATION)
#error "Only <setl/setl.h> can be included directly."
#endif

#include "setl-factory.h"

G_BEGIN_DECLS

#define SETL_TYPE_ONE_OF (setl_one_of_get_type ())
G_DECLARE_FINAL_TYPE (SetlOneOf, setl_one_of, SETL, ONE_OF, SetlFactory)

SetlOneOf    *setl_one_of_new            (const char *name,
                                          GType       payload_type,
                                          gboolean    exhaustive);
SetlDelivery *setl_one_of_add_arm        (SetlOneOf  *self,
                                          const char *slot_name,
                                          GType       producer,
                                          const char *delivery_id);
gboolean      setl_one_of_get_exhaustive (SetlOneOf  *self);
const char   *setl_one_of_get_chosen     (SetlOneOf  *self);

G_END_DECLS
