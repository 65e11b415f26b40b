/* setl-validation-value.h: values of check parameters and failure cases.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "setl.h"

G_BEGIN_DECLS

gboolean  setl_validation_value_from_json   (JsonNode      *node,
                                             SetlDataType   type,
                                             GValue        *value,
                                             GError       **error);
int       setl_validation_value_compare     (const GValue  *a,
                                             const GValue  *b);
gboolean  setl_validation_value_equal       (const GValue  *a,
                                             const GValue  *b);
guint     setl_validation_value_hash        (const GValue  *value);
char     *setl_validation_value_to_string   (const GValue  *value,
                                             SetlDataType   type);
char     *setl_validation_column_value_to_string (SetlColumn *column,
                                                  gint64      row);
GType     setl_validation_value_type        (SetlDataType   type);

G_END_DECLS
