/* setl-csv-value.h: text ↔ typed values for CSV cells, and type inference.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <setl/setl.h>

G_BEGIN_DECLS

/* Parsers take a cell's bytes (not nul-terminated) and return FALSE when the
 * text is not a value of the type. @strict selects the inference grammar
 * (see docs/plugin-csv.md): no leading zeros, no sign "+", only true/false. */
gboolean setl_csv_parse_bool      (const char *s, gsize n, gboolean strict, gboolean *out);
gboolean setl_csv_parse_int64     (const char *s, gsize n, gboolean strict, gint64 *out);
gboolean setl_csv_parse_double    (const char *s, gsize n, gboolean strict, double *out);
/* @format: NULL for ISO 8601, else a strftime-like pattern (%Y %m %d %H %M
 * %S %f %y %b %e %z %%). */
gboolean setl_csv_parse_date      (const char *s, gsize n, const char *format, gint32 *out);
gboolean setl_csv_parse_timestamp (const char *s, gsize n, const char *format, gint64 *out);

gboolean setl_csv_check_format    (const char *format, gboolean with_time, GError **error);

/* Formatters write into @buf (at least SETL_CSV_VALUE_BUF bytes) and return
 * the length. */
#define SETL_CSV_VALUE_BUF 128
gsize    setl_csv_format_int64     (char *buf, gint64 value);
gsize    setl_csv_format_double    (char *buf, double value);
gsize    setl_csv_format_date      (char *buf, gint32 days, const char *format);
gsize    setl_csv_format_timestamp (char *buf, gint64 usec, const char *format);

gint32   setl_csv_days_from_civil  (gint64 y, unsigned m, unsigned d);

/* Type inference over a sample: one per column. */
typedef struct
{
  guint candidates;   /* bit mask of the types every value so far fits */
  guint64 n_values;   /* non-null values seen */
} SetlCsvInference;

void         setl_csv_inference_init   (SetlCsvInference *inf);
void         setl_csv_inference_add    (SetlCsvInference *inf, const char *s, gsize n,
                                        const char *date_format, const char *timestamp_format);
SetlDataType setl_csv_inference_result (const SetlCsvInference *inf);

gboolean     setl_csv_parse_type_name  (const char *name, SetlDataType *type);

G_END_DECLS
