/* setl-csv-source.h: the "csv-source" factory.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <setl/setl.h>

G_BEGIN_DECLS

#define SETL_TYPE_CSV_SOURCE (setl_csv_source_get_type ())
G_DECLARE_FINAL_TYPE (SetlCsvSource, setl_csv_source, SETL, CSV_SOURCE, SetlFactory)

/* Shared with the sink: parses a one-byte delimiter or quote property
 * ("," ";" "|" "\t" "tab"). */
gboolean setl_csv_parse_char_property (SetlFactory *factory, const char *kind,
                                       const char *property, const char *value,
                                       char *out, GError **error);

G_END_DECLS
