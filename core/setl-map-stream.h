/* setl-map-stream.h: a stream that transforms each batch of another stream
 * as it passes.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(SETL_INSIDE) && !defined(SETL_COMPILATION)
#error "Only <setl/setl.h> can be included directly."
#endif

#include "setl-batch-stream.h"
#include "setl-record-batch.h"

G_BEGIN_DECLS

/**
 * SetlMapStreamFunc:
 * @batch: a batch of the upstream stream
 * @user_data: the data given to setl_map_stream_new()
 * @error: return location for a #GError
 *
 * Transforms one batch. It may be called from several threads at once
 * (one per open pass), so @user_data must not change once the stream is
 * built.
 *
 * Returns: (transfer full) (nullable): the transformed batch (a batch of
 *   zero rows is dropped from the output), or %NULL with @error set
 */
typedef SetlRecordBatch *(*SetlMapStreamFunc) (SetlRecordBatch  *batch,
                                               gpointer          user_data,
                                               GError          **error);

#define SETL_TYPE_MAP_STREAM (setl_map_stream_get_type ())
G_DECLARE_FINAL_TYPE (SetlMapStream, setl_map_stream, SETL, MAP_STREAM, GObject)

SetlMapStream *setl_map_stream_new (SetlBatchStream   *upstream,
                                    SetlField        **fields,
                                    guint              n_fields,
                                    SetlMapStreamFunc  func,
                                    gpointer           user_data,
                                    GDestroyNotify     destroy);

G_END_DECLS
