/* pushdown-test-common.h: what the pushdown tests on SQLite and PostgreSQL
 * share: a schema with every check that compiles to SQL, data that breaks
 * each, checks defined here (one with `to_sql`, one without), and the
 * comparison of two reports.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <setl/setl-validation.h>

G_BEGIN_DECLS

/* Column names and SQL types of the data (the last one not in the schema). */
typedef struct {
  const char *name;
  const char *setl_type;     /* vt_table_from_csv's header type */
  const char *sqlite_type;
  const char *pg_type;
} PdColumn;

extern const PdColumn pd_columns[];
extern const guint pd_n_columns;
extern const char pd_schema_json[];

/* Registers the test's checks in the default catalog: "multiple_of"
 * (with to_sql) and "opaque_positive" (without). */
void           pd_register_checks      (void);

/* Rows of pd_n_columns text cells (NULL: null), deterministic from @seed;
 * pd_row_free() frees one. */
void           pd_row_free             (gpointer            row);
GPtrArray     *pd_make_rows            (guint               n_rows,
                                        guint32             seed);
/* The same rows as a table for the client. */
SetlTable     *pd_rows_to_table        (GPtrArray          *rows);

SetlValidator *pd_validator_new        (const char         *schema_json);
SetlValidationReport *pd_validate_in_client (SetlValidator *validator,
                                             SetlTable     *table);

/* Asserts the two reports say the same: counts by reason, column and
 * check, messages, levels, totals, tolerated checks, and the failure-case
 * table (values and row positions), in any order. */
void           pd_assert_same_report   (SetlValidationReport *expected,
                                        SetlValidationReport *actual);
/* Asserts every check of @validator's schema failed in @report except
 * those named in @passing (NULL-terminated check names). */
void           pd_assert_checks_failed (SetlValidator        *validator,
                                        SetlValidationReport *report,
                                        const char * const   *passing);

/* Doubles that need 17 significant digits to read back (most negative,
 * one repeated): rows of the one column pd_double_column, written with
 * %.17g; a schema "x" over it (ge 0, unique), and the
 * same rows as a client table. */
extern const PdColumn pd_double_column;
extern const char pd_double_schema_json[];
GPtrArray     *pd_make_double_rows     (guint               n_rows,
                                        guint32             seed);
SetlTable     *pd_double_rows_to_table (GPtrArray          *rows);
/* How many failure cases of @report are written with 17 significant
 * digits (so that a test knows it compared some). */
guint          pd_count_17_digit_cases (SetlValidationReport *report);

/* Regular expressions: tricky patterns (PCRE), values, and a one-check
 * schema over the string column "v" of a table of the values. */
extern const char * const pd_regex_patterns[];
extern const char * const pd_regex_values[];
extern const char * const pd_regex_refused_on_postgresql[];
extern const char * const pd_regex_checks[];   /* str_matches, str_contains, pattern */
SetlTable     *pd_string_table         (const char * const *values);
char          *pd_regex_schema         (const char         *check,
                                        const char         *pattern);

G_END_DECLS
