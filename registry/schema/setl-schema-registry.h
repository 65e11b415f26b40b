/* setl-schema-registry.h: versioned schemas persisted in a directory.
 *
 * Including this header brings the whole schema API: #SetlSchema,
 * #SetlSchemaColumn, #SetlSchemaCompatibility and #SetlSchemaRegistry.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>

#include "setl-schema-error.h"
#include "setl-schema-column.h"
#include "setl-schema.h"
#include "setl-schema-compatibility.h"

G_BEGIN_DECLS

/**
 * SETL_SCHEMA_VERSION_LATEST:
 *
 * The version number that stands for the latest registered version in
 * setl_schema_registry_get().
 */
#define SETL_SCHEMA_VERSION_LATEST 0

#define SETL_TYPE_SCHEMA_REGISTRY (setl_schema_registry_get_type ())
G_DECLARE_FINAL_TYPE (SetlSchemaRegistry, setl_schema_registry, SETL, SCHEMA_REGISTRY, GObject)

SetlSchemaRegistry *setl_schema_registry_new               (const char          *path);
const char         *setl_schema_registry_get_path          (SetlSchemaRegistry  *self);

SetlSchema         *setl_schema_registry_register          (SetlSchemaRegistry  *self,
                                                            SetlSchema          *schema,
                                                            GError             **error);
SetlSchema         *setl_schema_registry_get               (SetlSchemaRegistry  *self,
                                                            const char          *name,
                                                            guint                version,
                                                            GError             **error);
SetlSchema         *setl_schema_registry_lookup            (SetlSchemaRegistry  *self,
                                                            const char          *reference,
                                                            GError             **error);
char              **setl_schema_registry_list_names        (SetlSchemaRegistry  *self,
                                                            GError             **error);
guint              *setl_schema_registry_list_versions     (SetlSchemaRegistry  *self,
                                                            const char          *name,
                                                            gsize               *n_versions,
                                                            GError             **error);
gboolean            setl_schema_registry_delete_version    (SetlSchemaRegistry  *self,
                                                            const char          *name,
                                                            guint                version,
                                                            GError             **error);
gboolean            setl_schema_registry_get_compatibility (SetlSchemaRegistry       *self,
                                                            const char               *name,
                                                            SetlSchemaCompatibility  *mode,
                                                            GError                  **error);
gboolean            setl_schema_registry_set_compatibility (SetlSchemaRegistry       *self,
                                                            const char               *name,
                                                            SetlSchemaCompatibility   mode,
                                                            GError                  **error);

gboolean            setl_schema_parse_reference            (const char  *reference,
                                                            char       **name,
                                                            guint       *version,
                                                            GError     **error);

G_END_DECLS
