/* setl-csv-sink.h: the "csv-sink" factory.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <setl/setl.h>

G_BEGIN_DECLS

#define SETL_TYPE_CSV_SINK (setl_csv_sink_get_type ())
G_DECLARE_FINAL_TYPE (SetlCsvSink, setl_csv_sink, SETL, CSV_SINK, SetlFactory)

G_END_DECLS
