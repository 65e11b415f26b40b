/* validation-test-utils.h: typed CSV in and out, for the validation tests.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <setl/setl-validation.h>

G_BEGIN_DECLS

/* A table from CSV text whose header names "column:type" (int64, double,
 * string, bool, date, timestamp); an empty field is null, "" an empty
 * string. @batch_size 0: one batch. */
SetlTable *vt_table_from_csv   (const char  *text,
                                gint64       batch_size,
                                GError     **error);
SetlTable *vt_table_from_file  (const char  *path,
                                gint64       batch_size,
                                GError     **error);
/* The rows of a table as CSV lines (same quoting), without header. */
GPtrArray *vt_table_to_lines   (SetlTable   *table);
/* The data lines of a CSV file, without header. */
GPtrArray *vt_file_lines       (const char  *path,
                                char       **header);
/* Sorts both and compares; on a difference, prints both and returns FALSE. */
gboolean   vt_lines_equal      (GPtrArray   *expected,
                                GPtrArray   *actual,
                                const char  *what);
/* A validator over the built checks-builtin plugin, for @schema_json. */
SetlValidator *vt_validator_new (const char *schema_json,
                                 GError    **error);

G_END_DECLS
