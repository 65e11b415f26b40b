/* setl-schema-compatibility.h: compatibility modes and the rules between
 * two versions of a schema.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib-object.h>

#include "setl-schema.h"

G_BEGIN_DECLS

/**
 * SetlSchemaCompatibility:
 * @SETL_SCHEMA_COMPATIBILITY_NONE: any new version is accepted.
 * @SETL_SCHEMA_COMPATIBILITY_BACKWARD: consumers using the new version can
 *   read data written with the latest registered version.
 * @SETL_SCHEMA_COMPATIBILITY_FORWARD: consumers using the latest registered
 *   version can read data written with the new one.
 * @SETL_SCHEMA_COMPATIBILITY_FULL: both %SETL_SCHEMA_COMPATIBILITY_BACKWARD
 *   and %SETL_SCHEMA_COMPATIBILITY_FORWARD.
 * @SETL_SCHEMA_COMPATIBILITY_BACKWARD_TRANSITIVE: backward against every
 *   registered version, not only the latest.
 * @SETL_SCHEMA_COMPATIBILITY_FORWARD_TRANSITIVE: forward against every
 *   registered version.
 * @SETL_SCHEMA_COMPATIBILITY_FULL_TRANSITIVE: full against every registered
 *   version.
 *
 * How a new version of a schema must relate to the versions already
 * registered under its name, with the meaning Confluent Schema Registry gives
 * these names. The default of a name is
 * %SETL_SCHEMA_COMPATIBILITY_BACKWARD.
 */
typedef enum {
  SETL_SCHEMA_COMPATIBILITY_NONE,
  SETL_SCHEMA_COMPATIBILITY_BACKWARD,
  SETL_SCHEMA_COMPATIBILITY_FORWARD,
  SETL_SCHEMA_COMPATIBILITY_FULL,
  SETL_SCHEMA_COMPATIBILITY_BACKWARD_TRANSITIVE,
  SETL_SCHEMA_COMPATIBILITY_FORWARD_TRANSITIVE,
  SETL_SCHEMA_COMPATIBILITY_FULL_TRANSITIVE,
} SetlSchemaCompatibility;

GType        setl_schema_compatibility_get_type      (void) G_GNUC_CONST;
#define SETL_TYPE_SCHEMA_COMPATIBILITY (setl_schema_compatibility_get_type ())

const char  *setl_schema_compatibility_to_string     (SetlSchemaCompatibility  mode);
gboolean     setl_schema_compatibility_from_string   (const char              *string,
                                                      SetlSchemaCompatibility *mode);
gboolean     setl_schema_compatibility_is_transitive (SetlSchemaCompatibility  mode);

gboolean     setl_schema_check_compatibility         (SetlSchema              *new_schema,
                                                      SetlSchema              *old_schema,
                                                      SetlSchemaCompatibility  mode,
                                                      GError                 **error);

G_END_DECLS
