/* setl-plugin-registry.h: finds plugins and remembers what they provide.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(SETL_PLUGIN_INSIDE) && !defined(SETL_COMPILATION)
#error "Only <setl/setl-plugin.h> can be included directly."
#endif

#include <gio/gio.h>

G_BEGIN_DECLS

#define SETL_TYPE_PLUGIN_REGISTRY (setl_plugin_registry_get_type ())
G_DECLARE_FINAL_TYPE (SetlPluginRegistry, setl_plugin_registry, SETL, PLUGIN_REGISTRY, GObject)

SetlPluginRegistry *setl_plugin_registry_get_default   (void);
SetlPluginRegistry *setl_plugin_registry_new           (const char * const *search_path,
                                                        const char         *cache_file);

gboolean            setl_plugin_registry_update        (SetlPluginRegistry *self,
                                                        GError            **error);

const char * const *setl_plugin_registry_get_search_path (SetlPluginRegistry *self);
const char         *setl_plugin_registry_get_cache_file  (SetlPluginRegistry *self);
guint               setl_plugin_registry_get_n_scanned   (SetlPluginRegistry *self);

GPtrArray          *setl_plugin_registry_get_plugins   (SetlPluginRegistry *self);
GPtrArray          *setl_plugin_registry_get_refused   (SetlPluginRegistry *self);
GPtrArray          *setl_plugin_registry_get_features  (SetlPluginRegistry *self,
                                                        SetlFeatureKind     kind);
SetlPlugin         *setl_plugin_registry_lookup_plugin (SetlPluginRegistry *self,
                                                        const char         *name);
SetlPluginFeature  *setl_plugin_registry_lookup_feature (SetlPluginRegistry *self,
                                                        const char         *name);
SetlFactory        *setl_plugin_registry_create_factory (SetlPluginRegistry *self,
                                                        const char         *feature_name,
                                                        GError            **error);

char              **setl_plugin_registry_default_search_path (void);
char               *setl_plugin_registry_default_cache_file  (void);

G_END_DECLS
