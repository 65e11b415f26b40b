/* setl-schema-error.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "setl-schema-error.h"

#include <glib-object.h>

G_DEFINE_QUARK (setl-schema-error-quark, setl_schema_error)

G_DEFINE_ENUM_TYPE (SetlSchemaError, setl_schema_error,
  G_DEFINE_ENUM_VALUE (SETL_SCHEMA_ERROR_MALFORMED, "malformed"),
  G_DEFINE_ENUM_VALUE (SETL_SCHEMA_ERROR_INVALID, "invalid"),
  G_DEFINE_ENUM_VALUE (SETL_SCHEMA_ERROR_INVALID_REFERENCE, "invalid-reference"),
  G_DEFINE_ENUM_VALUE (SETL_SCHEMA_ERROR_NOT_FOUND, "not-found"),
  G_DEFINE_ENUM_VALUE (SETL_SCHEMA_ERROR_INCOMPATIBLE, "incompatible"),
  G_DEFINE_ENUM_VALUE (SETL_SCHEMA_ERROR_VERSION_EXISTS, "version-exists"),
  G_DEFINE_ENUM_VALUE (SETL_SCHEMA_ERROR_CORRUPT, "corrupt"),
  G_DEFINE_ENUM_VALUE (SETL_SCHEMA_ERROR_IO, "io"))
