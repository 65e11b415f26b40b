/* setl-validator.h: validates tables and batch streams against a schema.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>

#include "setl.h"
#include "setl-schema-registry.h"
#include "setl-check-catalog.h"
#include "setl-validation-report.h"

G_BEGIN_DECLS

/**
 * SetlValidationDepth:
 * @SETL_VALIDATION_DEPTH_SCHEMA_AND_DATA: both (the default)
 * @SETL_VALIDATION_DEPTH_SCHEMA_ONLY: columns, their presence, order and
 *   types only: no value is read
 * @SETL_VALIDATION_DEPTH_DATA_ONLY: nulls, coercion, uniqueness and checks
 *   only; missing columns are skipped silently
 *
 * How deep a validation goes, as Pandera's `ValidationDepth`.
 */
typedef enum {
  SETL_VALIDATION_DEPTH_SCHEMA_AND_DATA,
  SETL_VALIDATION_DEPTH_SCHEMA_ONLY,
  SETL_VALIDATION_DEPTH_DATA_ONLY,
} SetlValidationDepth;

GType setl_validation_depth_get_type (void) G_GNUC_CONST;
#define SETL_TYPE_VALIDATION_DEPTH (setl_validation_depth_get_type ())

/**
 * SETL_VALIDATION_ERROR:
 *
 * Error domain of validation: a schema that cannot be used, or data that
 * cannot be read. Invalid data is not an error: it gives a report.
 */
#define SETL_VALIDATION_ERROR (setl_validation_error_quark ())
GQuark setl_validation_error_quark (void);

/**
 * SetlValidationError:
 * @SETL_VALIDATION_ERROR_UNKNOWN_CHECK: no loaded check library provides a
 *   check the schema names; the message names the file, line, column and
 *   check
 * @SETL_VALIDATION_ERROR_INVALID_CHECK: a check's parameters are wrong (an
 *   empty interval, a pattern that does not compile), or it does not apply
 *   to its column's type
 * @SETL_VALIDATION_ERROR_INVALID_SCHEMA: the schema contradicts itself (a
 *   unique combination naming an unknown column…)
 * @SETL_VALIDATION_ERROR_FAILED: the data could not be read, or a check
 *   failed to run in eager mode
 *
 * Error codes of %SETL_VALIDATION_ERROR.
 */
typedef enum {
  SETL_VALIDATION_ERROR_UNKNOWN_CHECK,
  SETL_VALIDATION_ERROR_INVALID_CHECK,
  SETL_VALIDATION_ERROR_INVALID_SCHEMA,
  SETL_VALIDATION_ERROR_FAILED,
} SetlValidationError;

GType setl_validation_error_get_type (void) G_GNUC_CONST;
#define SETL_TYPE_VALIDATION_ERROR (setl_validation_error_get_type ())

#define SETL_TYPE_VALIDATOR (setl_validator_get_type ())
G_DECLARE_FINAL_TYPE (SetlValidator, setl_validator, SETL, VALIDATOR, GObject)

SetlValidator        *setl_validator_new                   (SetlSchema           *schema,
                                                            SetlCheckCatalog     *catalog,
                                                            GError              **error);

SetlSchema           *setl_validator_get_schema            (SetlValidator        *self);
SetlCheckCatalog     *setl_validator_get_catalog           (SetlValidator        *self);
gboolean              setl_validator_get_lazy              (SetlValidator        *self);
void                  setl_validator_set_lazy              (SetlValidator        *self,
                                                            gboolean              lazy);
SetlValidationDepth   setl_validator_get_depth             (SetlValidator        *self);
void                  setl_validator_set_depth             (SetlValidator        *self,
                                                            SetlValidationDepth   depth);
guint                 setl_validator_get_max_failure_cases (SetlValidator        *self);
void                  setl_validator_set_max_failure_cases (SetlValidator        *self,
                                                            guint                 max);
gboolean              setl_validator_get_drop_invalid_rows (SetlValidator        *self);
void                  setl_validator_set_drop_invalid_rows (SetlValidator        *self,
                                                            gboolean              drop);
guint                 setl_validator_get_n_checks          (SetlValidator        *self);
SetlCheck            *setl_validator_get_check             (SetlValidator        *self,
                                                            guint                 index,
                                                            SetlSchemaCheck     **reference);

SetlValidationReport *setl_validator_validate              (SetlValidator        *self,
                                                            SetlBatchStream      *data,
                                                            GCancellable         *cancellable,
                                                            GError              **error);
SetlBatchStream      *setl_validator_filter                (SetlValidator        *self,
                                                            SetlBatchStream      *data,
                                                            SetlValidationReport **report);

G_END_DECLS
