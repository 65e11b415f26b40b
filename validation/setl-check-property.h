/* setl-check-property.h: a check's parameters read by name. Private.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "setl-validation-private.h"

G_BEGIN_DECLS

/* A check's property by name; NULL, -1 or NAN (or @fallback) when the
 * check has none of that type. */
G_GNUC_INTERNAL
JsonNode  *_setl_check_get_json_property   (SetlCheck  *check,
                                            const char *name);
G_GNUC_INTERNAL
gboolean   _setl_check_get_bool_property   (SetlCheck  *check,
                                            const char *name,
                                            gboolean    fallback);
G_GNUC_INTERNAL
gint64     _setl_check_get_int64_property  (SetlCheck  *check,
                                            const char *name);
G_GNUC_INTERNAL
double     _setl_check_get_double_property (SetlCheck  *check,
                                            const char *name);

G_END_DECLS
