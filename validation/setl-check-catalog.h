/* setl-check-catalog.h: finds the check-library plugin providing a check
 * and builds checks from schema documents.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "setl-plugin.h"
#include "setl-schema-registry.h"

G_BEGIN_DECLS

#define SETL_TYPE_CHECK_CATALOG (setl_check_catalog_get_type ())
G_DECLARE_FINAL_TYPE (SetlCheckCatalog, setl_check_catalog, SETL, CHECK_CATALOG, GObject)

SetlCheckCatalog  *setl_check_catalog_new            (SetlPluginRegistry *plugins);
SetlCheckCatalog  *setl_check_catalog_get_default    (void);
SetlPluginRegistry *setl_check_catalog_get_plugins   (SetlCheckCatalog   *self);

void               setl_check_catalog_add_type       (SetlCheckCatalog   *self,
                                                      GType               check_type);
SetlPluginFeature *setl_check_catalog_lookup         (SetlCheckCatalog   *self,
                                                      const char         *check_name,
                                                      const char         *library,
                                                      GError            **error);
GType              setl_check_catalog_lookup_type    (SetlCheckCatalog   *self,
                                                      const char         *check_name,
                                                      const char         *library,
                                                      GError            **error);
SetlCheck         *setl_check_catalog_create         (SetlCheckCatalog   *self,
                                                      SetlSchemaCheck    *reference,
                                                      GError            **error);
SetlSchema        *setl_check_catalog_record_libraries (SetlCheckCatalog *self,
                                                        SetlSchema       *schema,
                                                        GError          **error);

G_END_DECLS
