/* setl-jsonl-sink.h: the "jsonl-sink" factory.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <setl/setl.h>

G_BEGIN_DECLS

#define SETL_TYPE_JSONL_SINK (setl_jsonl_sink_get_type ())
G_DECLARE_FINAL_TYPE (SetlJsonlSink, setl_jsonl_sink, SETL, JSONL_SINK, SetlFactory)

G_END_DECLS
