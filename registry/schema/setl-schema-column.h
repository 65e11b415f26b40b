/* setl-schema-column.h: one typed column of a schema document.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

#include "setl-schema-check.h"
#include "setl.h"   /* SetlDataType */

G_BEGIN_DECLS

/**
 * SetlSchemaColumnType:
 * @SETL_SCHEMA_COLUMN_TYPE_BOOL: `"bool"`, true or false.
 * @SETL_SCHEMA_COLUMN_TYPE_INT64: `"int64"`, a signed 64-bit integer.
 * @SETL_SCHEMA_COLUMN_TYPE_DOUBLE: `"double"`, an IEEE 754 double.
 * @SETL_SCHEMA_COLUMN_TYPE_STRING: `"string"`, UTF-8 text.
 * @SETL_SCHEMA_COLUMN_TYPE_DATE: `"date"`, a calendar day.
 * @SETL_SCHEMA_COLUMN_TYPE_TIMESTAMP: `"timestamp"`, an instant.
 *
 * The type of a schema column, spelled in schema documents by the name in
 * quotes.
 */
typedef enum {
  SETL_SCHEMA_COLUMN_TYPE_BOOL,
  SETL_SCHEMA_COLUMN_TYPE_INT64,
  SETL_SCHEMA_COLUMN_TYPE_DOUBLE,
  SETL_SCHEMA_COLUMN_TYPE_STRING,
  SETL_SCHEMA_COLUMN_TYPE_DATE,
  SETL_SCHEMA_COLUMN_TYPE_TIMESTAMP,
} SetlSchemaColumnType;

GType        setl_schema_column_type_get_type    (void) G_GNUC_CONST;
#define SETL_TYPE_SCHEMA_COLUMN_TYPE (setl_schema_column_type_get_type ())

const char  *setl_schema_column_type_to_string   (SetlSchemaColumnType  type);
gboolean     setl_schema_column_type_from_string (const char           *string,
                                                  SetlSchemaColumnType *type);

/**
 * SetlSchemaReportDuplicates:
 * @SETL_SCHEMA_REPORT_DUPLICATES_ALL: every occurrence of a repeated value
 *   (or combination of values) is a failure
 * @SETL_SCHEMA_REPORT_DUPLICATES_EXCLUDE_FIRST: every occurrence but the
 *   first
 * @SETL_SCHEMA_REPORT_DUPLICATES_EXCLUDE_LAST: every occurrence but the last
 *
 * Which rows a uniqueness constraint reports, as Pandera's
 * `report_duplicates` (`"all"`, `"exclude_first"`, `"exclude_last"`).
 */
typedef enum {
  SETL_SCHEMA_REPORT_DUPLICATES_ALL,
  SETL_SCHEMA_REPORT_DUPLICATES_EXCLUDE_FIRST,
  SETL_SCHEMA_REPORT_DUPLICATES_EXCLUDE_LAST,
} SetlSchemaReportDuplicates;

GType        setl_schema_report_duplicates_get_type (void) G_GNUC_CONST;
#define SETL_TYPE_SCHEMA_REPORT_DUPLICATES (setl_schema_report_duplicates_get_type ())

#define SETL_TYPE_SCHEMA_COLUMN (setl_schema_column_get_type ())
G_DECLARE_FINAL_TYPE (SetlSchemaColumn, setl_schema_column, SETL, SCHEMA_COLUMN, GObject)

SetlSchemaColumn     *setl_schema_column_new             (const char           *name,
                                                          SetlSchemaColumnType  type,
                                                          gboolean              nullable,
                                                          gboolean              required);

const char           *setl_schema_column_get_name        (SetlSchemaColumn *self);
SetlSchemaColumnType  setl_schema_column_get_column_type (SetlSchemaColumn *self);
gboolean              setl_schema_column_get_nullable    (SetlSchemaColumn *self);
gboolean              setl_schema_column_get_required    (SetlSchemaColumn *self);
const char           *setl_schema_column_get_description (SetlSchemaColumn *self);
gboolean              setl_schema_column_has_default     (SetlSchemaColumn *self);
JsonNode             *setl_schema_column_get_default     (SetlSchemaColumn *self);
JsonObject           *setl_schema_column_get_document    (SetlSchemaColumn *self);
gboolean              setl_schema_column_get_optional    (SetlSchemaColumn *self);

SetlDataType          setl_schema_column_get_data_type   (SetlSchemaColumn *self);
gboolean              setl_schema_column_get_unique      (SetlSchemaColumn *self);
gboolean              setl_schema_column_get_coerce      (SetlSchemaColumn *self);
SetlSchemaReportDuplicates setl_schema_column_get_report_duplicates (SetlSchemaColumn *self);
GPtrArray            *setl_schema_column_get_checks      (SetlSchemaColumn *self);

G_END_DECLS
