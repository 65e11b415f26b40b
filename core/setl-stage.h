/* setl-stage.h: factories that run together.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(SETL_INSIDE) && !defined(SETL_COMPILATION)
#error "Only <setl/setl.h> can be included directly."
#endif

#include "setl-factory.h"

G_BEGIN_DECLS

#define SETL_TYPE_STAGE (setl_stage_get_type ())
G_DECLARE_FINAL_TYPE (SetlStage, setl_stage, SETL, STAGE, GObject)

SetlStage  *setl_stage_new              (void);
void        setl_stage_add_factory      (SetlStage    *self,
                                         SetlFactory  *factory);
GPtrArray  *setl_stage_get_factories    (SetlStage    *self);
int         setl_stage_get_index        (SetlStage    *self);
gboolean    setl_stage_get_writable     (SetlStage    *self);
void        setl_stage_set_writable     (SetlStage    *self,
                                         gboolean      writable);
gboolean    setl_stage_get_benchmark    (SetlStage    *self);
void        setl_stage_set_benchmark    (SetlStage    *self,
                                         gboolean      benchmark);
gboolean    setl_stage_run              (SetlStage    *self,
                                         GCancellable *cancellable,
                                         GError      **error);
GPtrArray  *setl_stage_get_deliverables (SetlStage    *self);
GPtrArray  *setl_stage_get_benchmarks   (SetlStage    *self);
char       *setl_stage_describe         (SetlStage    *self);

G_END_DECLS
