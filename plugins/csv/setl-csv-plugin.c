/* setl-csv-plugin.c: the "csv" plugin — CSV files as sources and sinks.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <setl/setl-plugin.h>

#include "setl-csv-sink.h"
#include "setl-csv-source.h"

static gboolean
setl_csv_plugin_init (SetlPlugin  *plugin,
                      GError     **error)
{
  return setl_plugin_add_feature (plugin, "csv-source", SETL_FEATURE_KIND_SOURCE,
                                  SETL_TYPE_CSV_SOURCE, SETL_RANK_PRIMARY, NULL,
                                  "Reads a CSV file (RFC 4180) as a stream of record batches",
                                  error) &&
         setl_plugin_add_feature (plugin, "csv-sink", SETL_FEATURE_KIND_SINK,
                                  SETL_TYPE_CSV_SINK, SETL_RANK_PRIMARY, NULL,
                                  "Writes a stream of record batches to a CSV file, atomically",
                                  error);
}

SETL_PLUGIN_DEFINE ("csv", "0.1.0",
                    "CSV files: a streaming source with type inference and a streaming, "
                    "atomic sink",
                    "LGPL-2.1-or-later", "https://gitlab.com/libsetl/libsetl",
                    setl_csv_plugin_init)
