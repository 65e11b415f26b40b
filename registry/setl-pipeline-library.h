/* setl-pipeline-library.h: installed pipeline templates, found on a search
 * path and referenced by name and version; what a template declares; the
 * graph of a composed pipeline.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(SETL_PLUGIN_INSIDE) && !defined(SETL_COMPILATION)
#error "Only <setl/setl-plugin.h> can be included directly."
#endif

#include <glib-object.h>

/* Included by <setl/setl-plugin.h> after the registry and pipeline files. */

G_BEGIN_DECLS

char            **setl_pipeline_library_get_search_path (SetlPluginRegistry *registry);
char             *setl_pipeline_library_find            (const char         *reference,
                                                         SetlPluginRegistry *registry,
                                                         GError            **error);
SetlPipelineFile *setl_pipeline_library_load            (const char         *reference,
                                                         SetlPluginRegistry *registry,
                                                         GError            **error);
GPtrArray        *setl_pipeline_library_list            (SetlPluginRegistry *registry,
                                                         GPtrArray         **errors);

guint             setl_pipeline_file_get_version        (SetlPipelineFile   *self);
gboolean          setl_pipeline_file_is_template        (SetlPipelineFile   *self);
char             *setl_pipeline_file_describe_template  (SetlPipelineFile   *self);
char             *setl_pipeline_file_draw               (SetlPipelineFile   *self,
                                                         SetlPipeline       *pipeline,
                                                         const char         *format);

G_END_DECLS
