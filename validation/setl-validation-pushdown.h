/* setl-validation-pushdown.h: a schema's checks run as SQL in the database
 * a #SetlSqlRelation lives in.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "setl.h"
#include "setl-validator.h"

G_BEGIN_DECLS

/**
 * SetlPushdownMode:
 * @SETL_PUSHDOWN_MODE_AUTO: push down when the data is a relation in a
 *   SQL database and every check compiles to SQL, else validate in the
 *   client (`"auto"`, the default)
 * @SETL_PUSHDOWN_MODE_NEVER: always validate in the client (`"never"`)
 * @SETL_PUSHDOWN_MODE_ALWAYS: push down, or fail saying why not (the
 *   factory, and the check that does not compile) (`"always"`)
 *
 * Where a validation hook validates (see setl_validation_hook_add_full()).
 */
typedef enum {
  SETL_PUSHDOWN_MODE_AUTO,
  SETL_PUSHDOWN_MODE_NEVER,
  SETL_PUSHDOWN_MODE_ALWAYS,
} SetlPushdownMode;

GType     setl_pushdown_mode_get_type    (void) G_GNUC_CONST;
#define SETL_TYPE_PUSHDOWN_MODE (setl_pushdown_mode_get_type ())
gboolean  setl_pushdown_mode_from_string (const char       *string,
                                          SetlPushdownMode *mode);

SetlValidationReport *setl_validator_validate_in_database (SetlValidator    *self,
                                                           SetlSqlRelation  *relation,
                                                           GCancellable     *cancellable,
                                                           GError          **error);

G_END_DECLS
