/* setl-xf-map-stream.h: a stream that transforms each batch of another
 * stream as it passes. Private to the transforms plugin.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <setl/setl.h>

G_BEGIN_DECLS

/* Returns the transformed batch (transfer full), or NULL with @error set.
 * A batch of zero rows is dropped from the output stream. */
typedef SetlRecordBatch *(*SetlXfMapFunc) (SetlRecordBatch  *batch,
                                           gpointer          user_data,
                                           GError          **error);

#define SETL_TYPE_XF_MAP_STREAM (setl_xf_map_stream_get_type ())
G_DECLARE_FINAL_TYPE (SetlXfMapStream, setl_xf_map_stream, SETL, XF_MAP_STREAM, GObject)

SetlXfMapStream *setl_xf_map_stream_new (SetlBatchStream  *upstream,
                                         SetlField       **fields,
                                         guint             n_fields,
                                         SetlXfMapFunc     func,
                                         gpointer          user_data,
                                         GDestroyNotify    destroy);

G_END_DECLS
