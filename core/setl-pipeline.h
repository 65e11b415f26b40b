/* setl-pipeline.h: stages, external inputs, and running them.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(SETL_INSIDE) && !defined(SETL_COMPILATION)
#error "Only <setl/setl.h> can be included directly."
#endif

#include <gio/gio.h>

#include "setl-deliverable.h"
#include "setl-factory.h"
#include "setl-inspector.h"
#include "setl-job-group-hook.h"
#include "setl-run-report.h"
#include "setl-stage.h"

G_BEGIN_DECLS

#define SETL_TYPE_PIPELINE (setl_pipeline_get_type ())
G_DECLARE_FINAL_TYPE (SetlPipeline, setl_pipeline, SETL, PIPELINE, GObject)

SetlPipeline  *setl_pipeline_new                 (const char       *name);

const char    *setl_pipeline_get_name            (SetlPipeline     *self);
int            setl_pipeline_get_max_threads     (SetlPipeline     *self);
void           setl_pipeline_set_max_threads     (SetlPipeline     *self,
                                                  int               max_threads);
gboolean       setl_pipeline_get_continue_on_error (SetlPipeline   *self);
void           setl_pipeline_set_continue_on_error (SetlPipeline   *self,
                                                    gboolean        continue_on_error);
gboolean       setl_pipeline_get_benchmark       (SetlPipeline     *self);
void           setl_pipeline_set_benchmark       (SetlPipeline     *self,
                                                  gboolean          benchmark);

void           setl_pipeline_add_stage           (SetlPipeline     *self,
                                                  SetlStage        *stage);
SetlStage     *setl_pipeline_add_factory         (SetlPipeline     *self,
                                                  SetlFactory      *factory);
GPtrArray     *setl_pipeline_get_stages          (SetlPipeline     *self);
void           setl_pipeline_set_input           (SetlPipeline     *self,
                                                  SetlDeliverable  *deliverable);
GPtrArray     *setl_pipeline_get_inputs          (SetlPipeline     *self);
void           setl_pipeline_add_job_group_hook  (SetlPipeline     *self,
                                                  SetlJobGroupHook *hook);

gboolean       setl_pipeline_inspect             (SetlPipeline     *self,
                                                  GError          **error);
SetlInspector *setl_pipeline_get_inspector       (SetlPipeline     *self);
char          *setl_pipeline_describe            (SetlPipeline     *self);
char          *setl_pipeline_to_mermaid          (SetlPipeline     *self);
char          *setl_pipeline_to_dot              (SetlPipeline     *self);

gboolean       setl_pipeline_run                 (SetlPipeline     *self,
                                                  GCancellable     *cancellable,
                                                  GError          **error);
void           setl_pipeline_run_async           (SetlPipeline     *self,
                                                  GCancellable     *cancellable,
                                                  GAsyncReadyCallback callback,
                                                  gpointer          user_data);
gboolean       setl_pipeline_run_finish          (SetlPipeline     *self,
                                                  GAsyncResult     *result,
                                                  GError          **error);
guint          setl_pipeline_cancel_job_group    (SetlPipeline     *self,
                                                  const char       *id_or_prefix);

SetlRunReport *setl_pipeline_get_report          (SetlPipeline     *self);
GPtrArray     *setl_pipeline_get_benchmarks      (SetlPipeline     *self);
const GValue  *setl_pipeline_get_output          (SetlPipeline     *self,
                                                  GType             producer,
                                                  GError          **error);
const GValue  *setl_pipeline_get_output_by_name  (SetlPipeline     *self,
                                                  const char       *factory_name,
                                                  GError          **error);
const GValue  *setl_pipeline_get_last_output     (SetlPipeline     *self);
GPtrArray     *setl_pipeline_find_deliverables   (SetlPipeline     *self,
                                                  GType             payload_type,
                                                  const char       *delivery_id,
                                                  GType             producer);

G_END_DECLS
