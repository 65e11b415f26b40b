/* setl-schema-check.h: one check named by a schema document.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

#include "setl.h"   /* SetlCheckLevel */

G_BEGIN_DECLS

#define SETL_TYPE_SCHEMA_CHECK (setl_schema_check_get_type ())
G_DECLARE_FINAL_TYPE (SetlSchemaCheck, setl_schema_check, SETL, SCHEMA_CHECK, GObject)

const char           *setl_schema_check_get_name            (SetlSchemaCheck *self);
JsonObject           *setl_schema_check_get_parameters      (SetlSchemaCheck *self);
JsonNode             *setl_schema_check_get_primary         (SetlSchemaCheck *self);
const char           *setl_schema_check_get_error_message   (SetlSchemaCheck *self);
double                setl_schema_check_get_mostly          (SetlSchemaCheck *self);
SetlCheckLevel        setl_schema_check_get_level           (SetlSchemaCheck *self);
const char           *setl_schema_check_get_library         (SetlSchemaCheck *self);
const char           *setl_schema_check_get_library_version (SetlSchemaCheck *self);
const char           *setl_schema_check_get_column          (SetlSchemaCheck *self);
guint                 setl_schema_check_get_index           (SetlSchemaCheck *self);
const char           *setl_schema_check_get_origin          (SetlSchemaCheck *self);
const char           *setl_schema_check_get_source_name     (SetlSchemaCheck *self);
guint                 setl_schema_check_get_line            (SetlSchemaCheck *self);
char                 *setl_schema_check_describe            (SetlSchemaCheck *self);

G_END_DECLS
