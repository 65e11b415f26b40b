/* setl-validation-hook.h: a schema on a factory's inputs or output, or on
 * a stage boundary.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "setl.h"
#include "setl-validator.h"
#include "setl-validation-pushdown.h"

G_BEGIN_DECLS

/**
 * SetlValidationAction:
 * @SETL_VALIDATION_ACTION_FAIL: invalid data makes the factory reading it
 *   fail, with the report's text (`"fail"`)
 * @SETL_VALIDATION_ACTION_DROP: invalid rows are dropped and counted
 *   (`"drop"`)
 * @SETL_VALIDATION_ACTION_WARN: a warning is logged with the report's
 *   text; the data passes unchanged (`"warn"`)
 *
 * What a validation hook does with data that fails its schema.
 */
typedef enum {
  SETL_VALIDATION_ACTION_FAIL,
  SETL_VALIDATION_ACTION_DROP,
  SETL_VALIDATION_ACTION_WARN,
} SetlValidationAction;

GType     setl_validation_action_get_type    (void) G_GNUC_CONST;
#define SETL_TYPE_VALIDATION_ACTION (setl_validation_action_get_type ())
gboolean  setl_validation_action_from_string (const char           *string,
                                              SetlValidationAction *action);

void                  setl_validation_hook_add        (SetlFactory          *factory,
                                                       const char           *slot,
                                                       SetlValidator        *validator,
                                                       SetlValidationAction  action);
void                  setl_validation_hook_add_full   (SetlFactory          *factory,
                                                       const char           *slot,
                                                       SetlValidator        *validator,
                                                       SetlValidationAction  action,
                                                       SetlPushdownMode      pushdown);
void                  setl_validation_hook_add_stage  (SetlStage            *stage,
                                                       SetlValidator        *validator,
                                                       SetlValidationAction  action);
void                  setl_validation_hook_add_stage_full (SetlStage            *stage,
                                                           SetlValidator        *validator,
                                                           SetlValidationAction  action,
                                                           SetlPushdownMode      pushdown);
SetlValidationReport *setl_validation_hook_get_report (SetlFactory          *factory,
                                                       const char           *slot);
SetlBatchStream      *setl_validation_hook_wrap       (SetlValidator        *validator,
                                                       SetlBatchStream      *data,
                                                       SetlValidationAction  action,
                                                       const char           *context,
                                                       SetlValidationReport **report);

G_END_DECLS
