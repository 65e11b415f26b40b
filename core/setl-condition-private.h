/* setl-condition-private.h: what conditions share with the pipeline and
 * its inspector, and nobody else.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "setl.h"

G_BEGIN_DECLS

/* Where a dynamic context finds facts: @is_output says whether a name is a
 * factory of the pipeline; @get_facts gathers (once) the facts of its
 * output, NULL with @error set when it cannot (the factory did not deliver,
 * its stream failed). @get_variant may return NULL. */
typedef struct
{
  gboolean          (*is_output)   (const char *name,
                                    gpointer    data);
  SetlOutputFacts  *(*get_facts)   (const char *name,
                                    gpointer    data,
                                    GError    **error);
  const char       *(*get_variant) (const char *name,
                                    gpointer    data);
} SetlFactsSource;

/* @parameters: name → GValue*, borrowed for the context's life. @source
 * NULL makes a static context: only parameters. */
SetlConditionContext *_setl_condition_context_new (GHashTable            *parameters,
                                                   const SetlFactsSource *source,
                                                   gpointer               source_data);
/* The first error met while resolving a fact, which the expression
 * language can only report as an unknown parameter. */
const GError *_setl_condition_context_get_error (SetlConditionContext *self);

/* Splits "a.b.row_count" into the factory ("a.b", per @is_output) and the
 * fact ("row_count"); FALSE when no prefix names a factory. */
gboolean _setl_condition_split_reference (const char            *reference,
                                          const SetlFactsSource *source,
                                          gpointer               source_data,
                                          char                 **factory,
                                          const char           **fact);

GPtrArray *_setl_expr_condition_get_conjuncts (SetlExprCondition *self);

/* The pipeline's side: see setl-pipeline-conditions.c. */
gboolean _setl_conditions_inspect (SetlPipeline  *pipeline,
                                   SetlInspector *inspector,
                                   GError       **error);

/* What the run needs of the pipeline: the status and output of a factory
 * of the current run. */
typedef SetlDeliverable *(*SetlRunOutputFunc) (gpointer           data,
                                               SetlFactory       *factory,
                                               SetlFactoryStatus *status);

/* Decides, on the calling thread, whether a factory whose inputs have
 * been prepared (@dynamic) or not yet (!@dynamic) runs: PENDING to run it,
 * otherwise the status to give it, with *@reason (and *@error for FAILED,
 * UPSTREAM_FAILED and CANCELLED). */
SetlFactoryStatus _setl_conditions_decide (SetlPipeline      *pipeline,
                                           SetlFactory       *factory,
                                           SetlStage         *stage,
                                           gboolean           dynamic,
                                           SetlRunOutputFunc  output_of,
                                           gpointer           data,
                                           GCancellable      *cancellable,
                                           char             **reason,
                                           GError           **error);

/* After @stage has published its outputs: gathers the facts of those that
 * dynamic conditions read, before any consumer reads them. */
void _setl_conditions_stage_finished (SetlPipeline      *pipeline,
                                      SetlStage         *stage,
                                      SetlRunOutputFunc  output_of,
                                      gpointer           data,
                                      GCancellable      *cancellable);

/* An optional @slot of @factory whose producer was skipped: fills it with
 * the documented empty value (an empty table for streams; nothing for the
 * arms of a #SetlOneOf, which must tell which branch ran). */
void _setl_conditions_fill_empty (SetlFactory  *factory,
                                  SetlDelivery *slot);

/* Copies what conditions and routing recorded about @factory (its
 * variant) into its result, for the run report. */
void _setl_conditions_annotate (SetlFactory       *factory,
                                SetlFactoryResult *result);

/* Replaces a published deliverable's payload by the same data in another
 * form (a stream by the table read from it). */
void _setl_deliverable_set_payload (SetlDeliverable *self,
                                    const GValue    *payload);

G_END_DECLS
