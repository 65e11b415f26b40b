/* setl-pipeline-file-conditions-private.h: conditions and branch sets in
 * pipeline files, between the loader (setl-pipeline-file.c) and
 * setl-pipeline-file-conditions.c.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "setl-plugin-private.h"
#include "setl-pipeline-file.h"

G_BEGIN_DECLS

/* The pseudo-feature of a branch set's output (a #SetlOneOf). */
#define SETL_PIPELINE_ONE_OF_FEATURE "one-of"

/* Before the document is loaded: takes the "when" members off factory
 * entries, and expands each branch set ("branch", or "switch" and
 * "cases") into its arms — factory entries with a condition — and a
 * one-of entry under the set's name. @root is changed in place. */
gboolean _setl_pipeline_conditions_expand (SetlPipelineFile  *self,
                                           JsonNode          *root,
                                           GError           **error);

/* Creates the factory of a one-of entry (*@factory NULL for any other
 * entry): its arms, created before it, give its payload type. */
gboolean _setl_pipeline_conditions_create_factory (SetlPipelineFile  *self,
                                                   const char        *name,
                                                   GHashTable        *built,
                                                   SetlFactory      **factory,
                                                   GError           **error);

/* Once the pipeline is assembled: gives it the file's parameters and sets
 * every factory's condition, checking what each one reads. */
gboolean _setl_pipeline_conditions_attach (SetlPipelineFile  *self,
                                           SetlPipeline      *pipeline,
                                           GHashTable        *built,
                                           GError           **error);

G_END_DECLS
