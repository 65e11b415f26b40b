/* setl-pipeline-cache.h: caching and lazy evaluation of a SetlPipeline.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(SETL_INSIDE) && !defined(SETL_COMPILATION)
#error "Only <setl/setl.h> can be included directly."
#endif

#include <gio/gio.h>

#include "setl-pipeline.h"
#include "setl-factory-result.h"
#include "setl-cache-policy.h"
#include "setl-cacheable.h"

G_BEGIN_DECLS

void             setl_pipeline_set_cache_policy      (SetlPipeline          *self,
                                                      SetlCachePolicy       *policy);
SetlCachePolicy *setl_pipeline_get_cache_policy      (SetlPipeline          *self);
void             setl_pipeline_set_fingerprint_flags (SetlPipeline          *self,
                                                      SetlFingerprintFlags   flags);
SetlFingerprintFlags setl_pipeline_get_fingerprint_flags (SetlPipeline     *self);

void             setl_pipeline_set_requested_outputs (SetlPipeline          *self,
                                                      const char * const    *outputs);
const char * const *setl_pipeline_get_requested_outputs (SetlPipeline      *self);
gboolean         setl_pipeline_run_outputs           (SetlPipeline          *self,
                                                      const char * const    *outputs,
                                                      GCancellable          *cancellable,
                                                      GError               **error);

SetlCacheKey    *setl_pipeline_compute_cache_key     (SetlPipeline          *self,
                                                      const char            *factory_name,
                                                      GCancellable          *cancellable,
                                                      GError               **error);

SetlCacheMissReason setl_factory_result_get_cache_reason     (SetlFactoryResult *self);
const char         *setl_factory_result_get_cache_key        (SetlFactoryResult *self);
guint64             setl_factory_result_get_cache_bytes      (SetlFactoryResult *self);
gint64              setl_factory_result_get_cache_time_saved (SetlFactoryResult *self);
const char * const *setl_factory_result_get_cache_changed    (SetlFactoryResult *self);

G_END_DECLS
