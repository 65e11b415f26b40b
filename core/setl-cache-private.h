/* setl-cache-private.h: what the pipeline and the registry share with the
 * cache code, and nobody else.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "setl-private.h"

G_BEGIN_DECLS

/* Called by the registry for each feature a plugin registers: cache keys
 * name the plugin a factory type comes from and its versions. */
void             _setl_cache_note_type_origin (GType          type,
                                               const char    *plugin_name,
                                               const char    *plugin_version,
                                               const char    *feature_version);

/* The cache side of a run (setl-pipeline-cache.c), kept on the pipeline
 * while it runs. _setl_cache_run_begin() fails when a requested output
 * names no factory; it does nothing when the pipeline has neither a cache
 * policy nor requested outputs. */
gboolean         _setl_cache_run_begin   (SetlPipeline       *pipeline,
                                          SetlInspector      *inspector,
                                          GError            **error);
void             _setl_cache_run_end     (SetlPipeline       *pipeline);

/* Before a factory's slots are filled: FALSE, with @result marked skipped,
 * when the requested outputs do not need the factory. */
gboolean         _setl_cache_run_needed  (SetlPipeline       *pipeline,
                                          SetlFactory        *factory,
                                          SetlFactoryResult  *result);

/* Instead of _setl_factory_run(): reuses the cached result when there is
 * one (marking @result REUSED), else runs the factory and stores what it
 * made. */
SetlDeliverable *_setl_cache_run_factory (SetlPipeline       *pipeline,
                                          SetlFactory        *factory,
                                          SetlJobGroup       *group,
                                          gboolean            stage_writable,
                                          GPtrArray          *hooks,
                                          GCancellable       *cancellable,
                                          SetlFactoryResult  *result);

/* Before a stage is dispatched, on the calling thread: computes @factory's
 * key and looks it up, for its _setl_cache_run_factory() to use rather
 * than looking up again. TRUE when the factory will only hand on a cached
 * result that needs no loading — running it inline then costs less than
 * a thread. FALSE when it will run, or when keys are not computed ahead
 * (no cache policy; content fingerprints, which read whole files). */
gboolean         _setl_cache_prefetch    (SetlPipeline       *pipeline,
                                          SetlFactory        *factory,
                                          GCancellable       *cancellable);

/* A cached table loaded from @policy when first read (setl-cache-stream.c). */
G_DECLARE_FINAL_TYPE (SetlCacheStream, _setl_cache_stream, SETL, CACHE_STREAM, GObject)
SetlCacheStream *_setl_cache_stream_new (SetlCachePolicy *policy,
                                         SetlCacheEntry  *entry);
void             _setl_cache_stream_set_fallback (SetlCacheStream   *self,
                                                  SetlFactory       *factory,
                                                  SetlJobGroup      *group,
                                                  gboolean           stage_writable,
                                                  GPtrArray         *hooks,
                                                  SetlFactoryResult *result);
/* @result's factory was run after all: its entry was damaged. */
void             _setl_cache_note_recomputed (SetlFactoryResult *result);

/* Adds the "cache" member of a factory's entry in the run report. */
void             _setl_cache_report_result (JsonBuilder      *builder,
                                            SetlFactoryResult *result);

/* The content hash of a table (setl_cache_payload_hash()), computed batch
 * by batch as a stream passes (setl-cache-entry.c). */
typedef struct _SetlTableHasher SetlTableHasher;
SetlTableHasher *_setl_table_hasher_new       (SetlField        **fields,
                                               guint              n_fields);
void             _setl_table_hasher_add_batch (SetlTableHasher   *self,
                                               SetlRecordBatch   *batch);
char            *_setl_table_hasher_finish    (SetlTableHasher   *self);
void             _setl_table_hasher_free      (SetlTableHasher   *self);

/* The writer of policies without a streaming store (setl-cache-writer.c):
 * collects the batches into a #SetlTable, at most @max_size bytes of them
 * (0: no limit), and stores that with setl_cache_policy_store(). */
SetlCacheWriter *_setl_cache_table_writer_new (SetlCachePolicy  *policy,
                                               SetlCacheEntry   *entry,
                                               SetlField       **fields,
                                               guint             n_fields,
                                               guint64           max_size);

G_END_DECLS
