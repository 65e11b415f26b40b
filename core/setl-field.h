/* setl-field.h: the name, type and nullability of one table column.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(SETL_INSIDE) && !defined(SETL_COMPILATION)
#error "Only <setl/setl.h> can be included directly."
#endif

#include <glib-object.h>
#include "setl-data-type.h"

G_BEGIN_DECLS

#define SETL_TYPE_FIELD (setl_field_get_type ())
G_DECLARE_FINAL_TYPE (SetlField, setl_field, SETL, FIELD, GObject)

SetlField    *setl_field_new            (const char   *name,
                                         SetlDataType  data_type,
                                         gboolean      nullable);
SetlField    *setl_field_new_timestamp  (const char   *name,
                                         gboolean      nullable,
                                         const char   *timezone);

const char   *setl_field_get_name       (SetlField    *self);
SetlDataType  setl_field_get_data_type  (SetlField    *self);
gboolean      setl_field_get_nullable   (SetlField    *self);
const char   *setl_field_get_timezone   (SetlField    *self);

SetlField    *setl_field_with_name      (SetlField    *self,
                                         const char   *name);
gboolean      setl_field_equal          (SetlField    *a,
                                         SetlField    *b);
char         *setl_field_to_string      (SetlField    *self);

G_END_DECLS
