/* setl-jsonl-plugin.c: JSON Lines source and sink.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <setl/setl-plugin.h>

#include "setl-jsonl-sink.h"
#include "setl-jsonl-source.h"

static gboolean
setl_jsonl_plugin_init (SetlPlugin  *plugin,
                        GError     **error)
{
  return setl_plugin_add_feature (plugin, "jsonl-source", SETL_FEATURE_KIND_SOURCE,
                                  SETL_TYPE_JSONL_SOURCE, SETL_RANK_PRIMARY, NULL,
                                  "Reads a JSON Lines file as a stream of record batches", error) &&
         setl_plugin_add_feature (plugin, "jsonl-sink", SETL_FEATURE_KIND_SINK,
                                  SETL_TYPE_JSONL_SINK, SETL_RANK_PRIMARY, NULL,
                                  "Writes rows as a JSON Lines file, atomically", error);
}

SETL_PLUGIN_DEFINE ("jsonl", "0.1.0",
                    "JSON Lines (one JSON object per line) source and sink",
                    "LGPL-2.1-or-later", "https://gitlab.com/libsetl/libsetl",
                    setl_jsonl_plugin_init)
