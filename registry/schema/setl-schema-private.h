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

G_END_DECLS
