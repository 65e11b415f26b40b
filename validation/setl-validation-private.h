/* setl-validation-private.h: what the validation types share with each
 * other and nobody else.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "setl-validator.h"
#include "setl-aggregate-check.h"
#include "setl-validation-value.h"

G_BEGIN_DECLS

/* "FILE:LINE: column “C”: check N (“NAME”)", for messages. */
char *_setl_check_catalog_describe_reference (SetlSchemaCheck *reference);

/* The report, filled by a validation pass (setl-validator-run.c). */
typedef struct _SetlValidationEntry SetlValidationEntry;

SetlValidationReport *_setl_validation_report_new      (const char            *schema_name,
                                                        guint                  max_failure_cases);
/* Finds or adds the entry for one (reason, column, check, check_number);
 * @check_number < 0 for none. */
SetlValidationEntry  *_setl_validation_report_entry    (SetlValidationReport  *self,
                                                        SetlValidationReason   reason,
                                                        const char            *schema_context,
                                                        const char            *column,
                                                        const char            *check,
                                                        gint64                 check_number,
                                                        SetlCheckLevel         level,
                                                        const char            *message);
/* One failure: counted always, kept while under the cap. @row < 0: none;
 * @failure_case: (nullable), taken. */
void                  _setl_validation_entry_add_take  (SetlValidationEntry   *entry,
                                                        gint64                 row,
                                                        char                  *failure_case);
/* The same, the failure case being the value at @index of @column,
 * written out only if it is kept. */
void                  _setl_validation_entry_add_value (SetlValidationEntry   *entry,
                                                        gint64                 row,
                                                        SetlColumn            *column,
                                                        gint64                 index);
/* Whether the entry keeps no more failure cases; then failures can be
 * counted in bulk. */
gboolean              _setl_validation_entry_is_full   (SetlValidationEntry   *entry);
void                  _setl_validation_entry_add_count (SetlValidationEntry   *entry,
                                                        gint64                 n);
gint64                _setl_validation_entry_get_count (SetlValidationEntry   *entry);
SetlCheckLevel        _setl_validation_entry_get_level (SetlValidationEntry   *entry);
/* A check that passed after all (its `mostly`): its failures are listed as
 * tolerated in the summary, not as failures. */
void                  _setl_validation_entry_tolerate  (SetlValidationEntry   *entry,
                                                        gint64                 n_checked);
void                  _setl_validation_report_set_rows (SetlValidationReport  *self,
                                                        gint64                 n_rows,
                                                        gint64                 n_dropped);
void                  _setl_validation_report_finish   (SetlValidationReport  *self,
                                                        gboolean               complete);
gboolean              _setl_validation_report_has_errors (SetlValidationReport *self);
const char           *_setl_validation_report_first_error (SetlValidationReport *self);

/* The compiled schema, built by setl_validator_new(). */
typedef struct {
  SetlCheck *check;
  SetlSchemaCheck *reference;
  char *description;          /* in_range(min_value=1, max_value=5) */
  gboolean aggregate;
} SetlValidatorCheck;

typedef struct {
  SetlSchemaColumn *column;   /* (unowned: the schema holds it) */
  const char *name;
  SetlDataType type;
  gboolean nullable;
  gboolean required;
  gboolean unique;
  gboolean coerce;
  SetlSchemaReportDuplicates report_duplicates;
  GPtrArray *checks;          /* (element-type SetlValidatorCheck) */
} SetlValidatorColumn;

/* The validator's settings and compiled schema, shared with its passes. */
typedef struct {
  SetlSchema *schema;
  char *schema_name;          /* name@version, or name */
  GPtrArray *columns;         /* (element-type SetlValidatorColumn) */
  GPtrArray *table_checks;    /* (element-type SetlValidatorCheck) */
  gboolean lazy;
  SetlValidationDepth depth;
  guint max_failure_cases;
  gboolean drop_invalid_rows;
} SetlValidatorPlan;

SetlValidatorPlan    *_setl_validator_get_plan         (SetlValidator         *self);

/* One pass over a stream (setl-validator-run.c). */
typedef struct _SetlValidatorRun SetlValidatorRun;

SetlValidatorRun     *_setl_validator_run_new          (SetlValidator         *validator,
                                                        SetlValidationReport  *report,
                                                        gboolean               filter);
void                  _setl_validator_run_free         (SetlValidatorRun      *run);
/* Reads @fields once, before the first batch: schema-level failures. */
gboolean              _setl_validator_run_start        (SetlValidatorRun      *run,
                                                        SetlField            **fields,
                                                        guint                  n_fields,
                                                        GError               **error);
/* Validates one batch. With @output, stores the batch to pass on (coerced,
 * filtered, invalid rows dropped if asked), possibly with no rows. */
gboolean              _setl_validator_run_batch        (SetlValidatorRun      *run,
                                                        SetlRecordBatch       *batch,
                                                        SetlRecordBatch      **output,
                                                        GError               **error);
/* Whether an eager pass has found an error and should stop. */
gboolean              _setl_validator_run_should_stop  (SetlValidatorRun      *run);
gboolean              _setl_validator_run_finish       (SetlValidatorRun      *run,
                                                        gboolean               complete,
                                                        GError               **error);
/* The message of a failed check, for @column or the table (%NULL): the
 * custom one, or the check's description. Pushdown reports use it too, so
 * that a report says the same wherever it was made. */
char                 *_setl_validator_check_message    (SetlValidatorCheck    *check,
                                                        const char            *column);
/* The fields of the batches _setl_validator_run_batch() outputs. */
GPtrArray            *_setl_validator_run_output_fields (SetlValidatorRun     *run);

/* The stream setl_validator_filter() returns (setl-validated-stream.c). */
SetlBatchStream      *_setl_validated_stream_new       (SetlValidator         *validator,
                                                        SetlBatchStream       *input,
                                                        SetlValidationReport  *report);
void                  _setl_validation_report_reset    (SetlValidationReport  *self);

/* setl-unique-index.c: the set of values (or value combinations) seen. */
typedef struct _SetlUniqueIndex SetlUniqueIndex;

SetlUniqueIndex      *_setl_unique_index_new           (void);
void                  _setl_unique_index_free          (SetlUniqueIndex       *index);
/* Records @key seen at @row. Returns the number of times seen before
 * (0, 1 or 2 meaning "2 or more"); *@previous_row: the row it was last
 * seen at (ALL/EXCLUDE_LAST need it); with @keep_first the stored row
 * stays the first occurrence's. */
guint                 _setl_unique_index_add           (SetlUniqueIndex       *index,
                                                        const void            *key,
                                                        gsize                  length,
                                                        gint64                 row,
                                                        gboolean               keep_first,
                                                        gint64                *previous_row);
/* The same in steps, so that a loop can prefetch the slots of the values
 * it will add a few rows later. */
guint64               _setl_unique_index_hash          (const void            *key,
                                                        gsize                  length);
void                  _setl_unique_index_prefetch      (SetlUniqueIndex       *index,
                                                        guint64                hash);
guint                 _setl_unique_index_add_hashed    (SetlUniqueIndex       *index,
                                                        const void            *key,
                                                        gsize                  length,
                                                        guint64                hash,
                                                        gint64                 row,
                                                        gboolean               keep_first,
                                                        gint64                *previous_row);
/* Records int64 @keys at rows @first_row, @first_row + 1, … without
 * hashing them when they are strictly increasing and above every key seen
 * (none can then repeat): returns TRUE. Otherwise returns FALSE, having
 * recorded nothing: add them one by one. */
gboolean              _setl_unique_index_add_ascending (SetlUniqueIndex       *index,
                                                        const gint64          *keys,
                                                        gint64                 n,
                                                        gint64                 first_row);
gsize                 _setl_unique_index_get_byte_size (SetlUniqueIndex       *index);

G_END_DECLS
