/* setl-pipeline-file-cache-private.h: "cache" and "code-version" in
 * pipeline files, between the loader (setl-pipeline-file.c) and
 * setl-pipeline-file-cache.c.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "setl-plugin-private.h"
#include "setl-pipeline-file.h"

G_BEGIN_DECLS

/* Before the document is loaded: takes the pipeline's "cache" member and
 * the factories' "cache" and "code-version" members off @root (changed in
 * place), checking them. */
gboolean _setl_pipeline_file_cache_expand (SetlPipelineFile   *self,
                                           JsonNode           *root,
                                           GError            **error);

/* Once the pipeline is assembled: sets the factories' cache modes and code
 * versions, and gives the pipeline the cache policy the file names. */
gboolean _setl_pipeline_file_cache_attach (SetlPipelineFile   *self,
                                           SetlPluginRegistry *registry,
                                           SetlPipeline       *pipeline,
                                           GHashTable         *built,
                                           GError            **error);

G_END_DECLS
