/* setl-split-stream.h: a stream that maps each batch of another stream as
 * it passes. Private to the routing plugin.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <setl/setl.h>

G_BEGIN_DECLS

/* Returns the mapped batch (transfer full; zero rows are dropped), or NULL
 * with @error set. */
typedef SetlRecordBatch *(*SetlSplitMapFunc) (SetlRecordBatch  *batch,
                                              gpointer          user_data,
                                              GError          **error);

#define SETL_TYPE_SPLIT_STREAM (setl_split_stream_get_type ())
G_DECLARE_FINAL_TYPE (SetlSplitStream, setl_split_stream, SETL, SPLIT_STREAM, GObject)

SetlSplitStream *setl_split_stream_new (SetlBatchStream  *upstream,
                                        SetlField       **fields,
                                        guint             n_fields,
                                        SetlSplitMapFunc  func,
                                        gpointer          user_data,
                                        GDestroyNotify    destroy);

G_END_DECLS
