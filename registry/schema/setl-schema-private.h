/* setl-schema-private.h: what the schema types share with each other and
 * nobody else.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "setl-schema-registry.h"

G_BEGIN_DECLS

/* Takes the column's object as found in the document (a reference is kept)
 * once the parser has checked it. */
SetlSchemaColumn *_setl_schema_column_new_from_object (JsonObject           *object,
                                                       const char           *name,
                                                       SetlSchemaColumnType  type,
                                                       gboolean              nullable,
                                                       gboolean              required);

/* Parses @data, giving @error codes of @malformed_code / @invalid_code so
 * that the registry can report its own files as corrupt. */
SetlSchema       *_setl_schema_parse                  (const char  *data,
                                                       gssize       length,
                                                       const char  *source_name,
                                                       gint         malformed_code,
                                                       gint         invalid_code,
                                                       GError     **error);

/* The parser's state, shared with the parser of validation members
 * (setl-schema-check.c) so that their errors name the file and line. */
typedef struct _SetlSchemaParseContext SetlSchemaParseContext;

guint       _setl_schema_parse_member_line  (SetlSchemaParseContext *ctx,
                                             JsonObject             *object,
                                             const char             *member);
guint       _setl_schema_parse_element_line (SetlSchemaParseContext *ctx,
                                             JsonArray              *array,
                                             guint                   index);
guint       _setl_schema_parse_object_line  (SetlSchemaParseContext *ctx,
                                             JsonObject             *object);
const char *_setl_schema_parse_get_source   (SetlSchemaParseContext *ctx);
JsonObject *_setl_schema_parse_get_check_libraries (SetlSchemaParseContext *ctx);
void        _setl_schema_parse_error        (GError                 **error,
                                             SetlSchemaParseContext  *ctx,
                                             guint                    line,
                                             const char              *format,
                                             ...) G_GNUC_PRINTF (4, 5);
const char *_setl_schema_describe_node      (JsonNode               *node);
/* integer, number, boolean, datetime (Frictionless names); FALSE otherwise. */
gboolean    _setl_schema_frictionless_type  (const char             *name,
                                             SetlSchemaColumnType   *type);

/* What a column says about validation, parsed by setl-schema-check.c. */
typedef struct {
  gboolean unique;
  gboolean coerce;
  SetlSchemaReportDuplicates report_duplicates;
  GPtrArray *checks;          /* (element-type SetlSchemaCheck), owned */
  int constraints_required;   /* Frictionless constraints.required, -1 if absent */
} SetlSchemaColumnValidation;

gboolean    _setl_schema_parse_column_validation (SetlSchemaParseContext     *ctx,
                                                  JsonObject                 *object,
                                                  const char                 *column,
                                                  SetlSchemaColumnType        type,
                                                  const char                 *what,
                                                  SetlSchemaColumnValidation *out,
                                                  GError                    **error);
/* Takes out->checks. */
void        _setl_schema_column_take_validation  (SetlSchemaColumn           *column,
                                                  SetlSchemaColumnValidation *validation);
gboolean    _setl_schema_parse_schema_validation (SetlSchemaParseContext     *ctx,
                                                  JsonObject                 *object,
                                                  GPtrArray                  *columns,
                                                  SetlSchemaStrict           *strict,
                                                  gboolean                   *ordered,
                                                  gboolean                   *coerce,
                                                  SetlSchemaReportDuplicates *report_duplicates,
                                                  GPtrArray                  *unique,
                                                  GPtrArray                  *checks,
                                                  GError                    **error);

/* validation/setl-check-catalog.c: @schema with the library of each of its
 * checks recorded, from the default catalog; NULL with @error set if no
 * loaded library provides one of them. The registry calls it before saving. */
SetlSchema *_setl_check_catalog_record_default   (SetlSchema  *schema,
                                                  GError     **error);

G_END_DECLS
