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

/* Members the first pass writes into the document for the second: a
 * factory arm's label (beside its condition, written as its "when"), and
 * the mark of a one-of ({"exhaustive": BOOL}; its arms are its input
 * slots). Composition copies them into each instance (the label rewritten
 * as a "when" is); the second pass takes them off. */
#define SETL_PIPELINE_ARM_LABEL_MEMBER "@when-label"
#define SETL_PIPELINE_ONE_OF_MEMBER "@one-of"

/* Before composition: expands each branch set ("branch", or "switch" and
 * "cases") into its arms — factory entries whose "when" is the arm's
 * condition — and a one-of entry under the set's name, and each "one_of"
 * input into a one-of entry. Factories' "when" stay in the document, so
 * that composition rewrites a template's into each instance's names (and
 * puts a sub-pipeline entry's on every factory inside it). @root is
 * changed in place. */
gboolean _setl_pipeline_conditions_expand_sets (SetlPipelineFile  *self,
                                                JsonNode          *root,
                                                GError           **error);

/* Before the document is loaded (after composition): takes the "when"
 * members off factory entries and the marks the first pass wrote, and
 * expands any branch set left. @root is changed in place. */
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
