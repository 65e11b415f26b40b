/* setl-validation-report.h: what a validation found.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "setl.h"

G_BEGIN_DECLS

/**
 * SetlValidationReason:
 * @SETL_VALIDATION_REASON_COLUMN_NOT_IN_SCHEMA: a column of the data that
 *   a strict schema does not name (`column_not_in_schema`, SCHEMA)
 * @SETL_VALIDATION_REASON_COLUMN_NOT_IN_DATAFRAME: a required column is
 *   missing from the data (`column_not_in_dataframe`, SCHEMA)
 * @SETL_VALIDATION_REASON_COLUMN_NOT_ORDERED: an ordered schema's columns
 *   appear in another order (`column_not_ordered`, SCHEMA)
 * @SETL_VALIDATION_REASON_WRONG_DTYPE: a column has another type than the
 *   schema's and is not coerced (`wrong_dtype`, SCHEMA)
 * @SETL_VALIDATION_REASON_COERCION_FAILED: a value cannot be converted to
 *   the column's type (`coercion_failed`, DATA)
 * @SETL_VALIDATION_REASON_SERIES_CONTAINS_NULLS: a null in a column that is
 *   not nullable, once per null (`series_contains_nulls`, DATA)
 * @SETL_VALIDATION_REASON_SERIES_CONTAINS_DUPLICATES: a repeated value in
 *   a unique column (`series_contains_duplicates`, DATA)
 * @SETL_VALIDATION_REASON_DUPLICATES: a repeated combination of a unique
 *   column combination (`duplicates`, DATA)
 * @SETL_VALIDATION_REASON_CHECK_FAILED: a value, column or table failing a
 *   check (`check_failed`, DATA)
 * @SETL_VALIDATION_REASON_CHECK_ERROR: a check that could not run on the
 *   data (`check_error`, DATA)
 *
 * Why a failure case was reported. The nick (in parentheses) is what the
 * JSON summary and the report table say; the group (SCHEMA or DATA) is
 * setl_validation_reason_is_schema().
 */
typedef enum {
  SETL_VALIDATION_REASON_COLUMN_NOT_IN_SCHEMA,
  SETL_VALIDATION_REASON_COLUMN_NOT_IN_DATAFRAME,
  SETL_VALIDATION_REASON_COLUMN_NOT_ORDERED,
  SETL_VALIDATION_REASON_WRONG_DTYPE,
  SETL_VALIDATION_REASON_COERCION_FAILED,
  SETL_VALIDATION_REASON_SERIES_CONTAINS_NULLS,
  SETL_VALIDATION_REASON_SERIES_CONTAINS_DUPLICATES,
  SETL_VALIDATION_REASON_DUPLICATES,
  SETL_VALIDATION_REASON_CHECK_FAILED,
  SETL_VALIDATION_REASON_CHECK_ERROR,
} SetlValidationReason;

GType        setl_validation_reason_get_type   (void) G_GNUC_CONST;
#define SETL_TYPE_VALIDATION_REASON (setl_validation_reason_get_type ())
const char  *setl_validation_reason_to_string  (SetlValidationReason reason);
gboolean     setl_validation_reason_is_schema  (SetlValidationReason reason);

/**
 * SETL_VALIDATION_DEFAULT_MAX_FAILURE_CASES:
 *
 * How many failure cases a report keeps per check unless told otherwise.
 * Counts are always exact whatever the cap.
 */
#define SETL_VALIDATION_DEFAULT_MAX_FAILURE_CASES 1000

#define SETL_TYPE_VALIDATION_REPORT (setl_validation_report_get_type ())
G_DECLARE_FINAL_TYPE (SetlValidationReport, setl_validation_report, SETL, VALIDATION_REPORT, GObject)

gboolean     setl_validation_report_get_valid          (SetlValidationReport *self);
gboolean     setl_validation_report_get_complete       (SetlValidationReport *self);
const char  *setl_validation_report_get_schema_name    (SetlValidationReport *self);
const char  *setl_validation_report_get_ran_in         (SetlValidationReport *self);
void         setl_validation_report_set_ran_in         (SetlValidationReport *self,
                                                        const char           *ran_in);
gint64       setl_validation_report_get_n_rows         (SetlValidationReport *self);
gint64       setl_validation_report_get_n_dropped_rows (SetlValidationReport *self);
gint64       setl_validation_report_get_n_failures     (SetlValidationReport *self);
gint64       setl_validation_report_get_n_errors       (SetlValidationReport *self);
gint64       setl_validation_report_get_n_warnings     (SetlValidationReport *self);
gint64       setl_validation_report_count              (SetlValidationReport *self,
                                                        SetlValidationReason  reason,
                                                        const char           *column,
                                                        const char           *check);
SetlTable   *setl_validation_report_get_failure_cases  (SetlValidationReport *self);
JsonNode    *setl_validation_report_to_json_node       (SetlValidationReport *self);
char        *setl_validation_report_to_json            (SetlValidationReport *self,
                                                        gboolean              pretty);
char        *setl_validation_report_to_text            (SetlValidationReport *self);

G_END_DECLS
