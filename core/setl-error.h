/* setl-error.h: the error domain of the workflow core.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(SETL_INSIDE) && !defined(SETL_COMPILATION)
#error "Only <setl/setl.h> can be included directly."
#endif

#include <glib.h>

G_BEGIN_DECLS

/**
 * SETL_PIPELINE_ERROR:
 *
 * Error domain of the workflow core: inspection, dispatch and execution of
 * pipelines. Errors in this domain use #SetlPipelineError codes.
 */
#define SETL_PIPELINE_ERROR (setl_pipeline_error_quark ())

/**
 * SetlPipelineError:
 * @SETL_PIPELINE_ERROR_MISSING_DELIVERY: a required input slot has no
 *   producer in an earlier stage and no external input.
 * @SETL_PIPELINE_ERROR_AMBIGUOUS_DELIVERY: several deliverables share the
 *   type, delivery id, producer and consumer an input slot asks for.
 * @SETL_PIPELINE_ERROR_CYCLE: factories depend on each other in a cycle.
 * @SETL_PIPELINE_ERROR_INVALID_PAYLOAD: a factory produced a payload of the
 *   wrong type.
 * @SETL_PIPELINE_ERROR_NO_OUTPUT: a factory produced no output (a %NULL
 *   payload, or `get` not implemented).
 * @SETL_PIPELINE_ERROR_CONSUMER_MISMATCH: a deliverable is reserved for other
 *   consumers than the factory asking for it.
 * @SETL_PIPELINE_ERROR_NOT_FOUND: the requested factory or output does not
 *   exist.
 * @SETL_PIPELINE_ERROR_BUSY: the pipeline is already running.
 * @SETL_PIPELINE_ERROR_DEPENDENCY: a factory did not run because a factory it
 *   depends on failed or was cancelled.
 * @SETL_PIPELINE_ERROR_CONDITION: a condition reads an unknown parameter or
 *   fact, cannot be decided, or a branch set that may run no branch feeds
 *   a required input (Since: 1.0)
 *
 * Error codes of #SETL_PIPELINE_ERROR.
 */
typedef enum {
  SETL_PIPELINE_ERROR_MISSING_DELIVERY,
  SETL_PIPELINE_ERROR_AMBIGUOUS_DELIVERY,
  SETL_PIPELINE_ERROR_CYCLE,
  SETL_PIPELINE_ERROR_INVALID_PAYLOAD,
  SETL_PIPELINE_ERROR_NO_OUTPUT,
  SETL_PIPELINE_ERROR_CONSUMER_MISMATCH,
  SETL_PIPELINE_ERROR_NOT_FOUND,
  SETL_PIPELINE_ERROR_BUSY,
  SETL_PIPELINE_ERROR_DEPENDENCY,
  SETL_PIPELINE_ERROR_CONDITION,
} SetlPipelineError;

GQuark setl_pipeline_error_quark (void);

G_END_DECLS
