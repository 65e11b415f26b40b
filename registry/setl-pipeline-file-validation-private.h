/* setl-pipeline-file-validation-private.h: "validate" in pipeline files,
 * between the loader (setl-pipeline-file.c) and
 * setl-pipeline-file-validation.c.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "setl-plugin-private.h"
#include "setl-pipeline-file.h"

G_BEGIN_DECLS

/* Before the document is loaded: takes the factories' "validate" members
 * and the pipeline's "validate-stages" off @root (changed in place),
 * checking their shape. */
gboolean _setl_pipeline_file_validation_expand (SetlPipelineFile   *self,
                                                JsonNode           *root,
                                                GError            **error);

/* Once the pipeline is assembled: loads the schemas and hooks them on the
 * factories' inputs and outputs, and on the stages' boundaries. */
gboolean _setl_pipeline_file_validation_attach (SetlPipelineFile   *self,
                                                SetlPluginRegistry *registry,
                                                SetlPipeline       *pipeline,
                                                GHashTable         *built,
                                                GError            **error);

G_END_DECLS
