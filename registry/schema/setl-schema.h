/* setl-schema.h: a schema document, a name, a version and typed columns.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

#include "setl-schema-error.h"
#include "setl-schema-column.h"

G_BEGIN_DECLS

/**
 * SetlSchemaStrict:
 * @SETL_SCHEMA_STRICT_NONE: columns the schema does not name are allowed
 *   (`"strict": false`, the default)
 * @SETL_SCHEMA_STRICT_ERROR: a column the schema does not name is a failure
 *   (`"strict": true`)
 * @SETL_SCHEMA_STRICT_FILTER: columns the schema does not name are dropped
 *   from the validated output (`"strict": "filter"`)
 *
 * What a schema says about columns it does not name.
 */
typedef enum {
  SETL_SCHEMA_STRICT_NONE,
  SETL_SCHEMA_STRICT_ERROR,
  SETL_SCHEMA_STRICT_FILTER,
} SetlSchemaStrict;

GType setl_schema_strict_get_type (void) G_GNUC_CONST;
#define SETL_TYPE_SCHEMA_STRICT (setl_schema_strict_get_type ())

#define SETL_TYPE_SCHEMA (setl_schema_get_type ())
G_DECLARE_FINAL_TYPE (SetlSchema, setl_schema, SETL, SCHEMA, GObject)

SetlSchema       *setl_schema_new_from_data     (const char  *data,
                                                 gssize       length,
                                                 const char  *source_name,
                                                 GError     **error);
SetlSchema       *setl_schema_new_from_file     (const char  *path,
                                                 GError     **error);
SetlSchema       *setl_schema_new_from_json     (JsonNode    *document,
                                                 const char  *source_name,
                                                 GError     **error);

const char       *setl_schema_get_name          (SetlSchema  *self);
guint             setl_schema_get_version       (SetlSchema  *self);
const char       *setl_schema_get_description   (SetlSchema  *self);
const char       *setl_schema_get_source_name   (SetlSchema  *self);
guint             setl_schema_get_n_columns     (SetlSchema  *self);
SetlSchemaColumn *setl_schema_get_column        (SetlSchema  *self,
                                                 guint        index);
SetlSchemaColumn *setl_schema_lookup_column     (SetlSchema  *self,
                                                 const char  *name);
JsonNode         *setl_schema_get_document      (SetlSchema  *self);
char             *setl_schema_to_json           (SetlSchema  *self,
                                                 gboolean     pretty);
gboolean          setl_schema_equal_content     (SetlSchema  *a,
                                                 SetlSchema  *b);
SetlSchema       *setl_schema_with_version      (SetlSchema  *self,
                                                 guint        version);

gboolean          setl_schema_is_valid_name     (const char  *name);

SetlSchemaStrict  setl_schema_get_strict        (SetlSchema  *self);
gboolean          setl_schema_get_ordered       (SetlSchema  *self);
gboolean          setl_schema_get_coerce        (SetlSchema  *self);
guint             setl_schema_get_n_unique      (SetlSchema  *self);
const char * const *setl_schema_get_unique      (SetlSchema  *self,
                                                 guint        index);
SetlSchemaReportDuplicates setl_schema_get_report_duplicates (SetlSchema *self);
GPtrArray        *setl_schema_get_checks        (SetlSchema  *self);
gboolean          setl_schema_has_checks        (SetlSchema  *self);

G_END_DECLS
