/* setl-schema-error.h: the error domain of schemas and the schema registry.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/**
 * SETL_SCHEMA_ERROR:
 *
 * Error domain of schema documents and of the versioned schema registry.
 * Errors in this domain use #SetlSchemaError codes.
 */
#define SETL_SCHEMA_ERROR (setl_schema_error_quark ())

/**
 * SetlSchemaError:
 * @SETL_SCHEMA_ERROR_MALFORMED: the text is not well-formed JSON; the message
 *   names the file, the line and the position, and what was expected.
 * @SETL_SCHEMA_ERROR_INVALID: well-formed JSON that is not a valid schema
 *   document (no name, unknown column type, duplicate column…); the message
 *   names the file, the line and the member at fault.
 * @SETL_SCHEMA_ERROR_INVALID_REFERENCE: a schema name or a `name@version`
 *   reference that cannot be parsed, or a name unfit for the registry.
 * @SETL_SCHEMA_ERROR_NOT_FOUND: no schema of that name, or no such version.
 * @SETL_SCHEMA_ERROR_INCOMPATIBLE: a new version breaks the compatibility
 *   mode of its name; the message names the column, the rule and the version
 *   it is incompatible with.
 * @SETL_SCHEMA_ERROR_VERSION_EXISTS: the version asked for is already taken
 *   or lower than the latest version.
 * @SETL_SCHEMA_ERROR_CORRUPT: a file of the registry cannot be read back
 *   (truncated, edited by hand, not matching its file name).
 * @SETL_SCHEMA_ERROR_IO: the registry directory or one of its files cannot
 *   be created, locked, written or removed.
 *
 * Error codes of #SETL_SCHEMA_ERROR.
 */
typedef enum {
  SETL_SCHEMA_ERROR_MALFORMED,
  SETL_SCHEMA_ERROR_INVALID,
  SETL_SCHEMA_ERROR_INVALID_REFERENCE,
  SETL_SCHEMA_ERROR_NOT_FOUND,
  SETL_SCHEMA_ERROR_INCOMPATIBLE,
  SETL_SCHEMA_ERROR_VERSION_EXISTS,
  SETL_SCHEMA_ERROR_CORRUPT,
  SETL_SCHEMA_ERROR_IO,
} SetlSchemaError;

GQuark setl_schema_error_quark (void);

GType  setl_schema_error_get_type (void) G_GNUC_CONST;
#define SETL_TYPE_SCHEMA_ERROR (setl_schema_error_get_type ())

G_END_DECLS
