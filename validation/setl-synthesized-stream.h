/* setl-synthesized-stream.h: the stream of synthesized rows
 * (setl-synthesized-stream.c).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "setl-synthesizer-private.h"

G_BEGIN_DECLS

#define SETL_TYPE_SYNTHESIZED_STREAM (setl_synthesized_stream_get_type ())
G_DECLARE_FINAL_TYPE (SetlSynthesizedStream, setl_synthesized_stream, SETL, SYNTHESIZED_STREAM, GObject)

/* (transfer full): a stream of @n_rows rows of @synth (valid ones, or
 * @invalid ones); takes @plans and @fields. */
G_GNUC_INTERNAL
SetlBatchStream *_setl_synthesized_stream_new (SetlSynthesizer *synth,
                                               ColumnPlan      *plans,
                                               GPtrArray       *fields,
                                               gint64           n_rows,
                                               gboolean         invalid);

G_END_DECLS
