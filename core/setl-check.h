/* setl-check.h: a named, parameterized check over the values of a column.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(SETL_INSIDE) && !defined(SETL_COMPILATION)
#error "Only <setl/setl.h> can be included directly."
#endif

#include <glib-object.h>

#include "setl-data-type.h"
#include "setl-column.h"

G_BEGIN_DECLS

/**
 * SetlCheckLevel:
 * @SETL_CHECK_LEVEL_ERROR: a failure makes the data invalid
 * @SETL_CHECK_LEVEL_WARNING: a failure is reported, the data stays valid
 *
 * How much a failing check matters to the validation that runs it.
 */
typedef enum {
  SETL_CHECK_LEVEL_ERROR,
  SETL_CHECK_LEVEL_WARNING,
} SetlCheckLevel;

#define SETL_TYPE_CHECK_LEVEL (setl_check_level_get_type ())
GType   setl_check_level_get_type  (void) G_GNUC_CONST;

/**
 * SETL_CHECK_ERROR:
 *
 * Error domain of checks. Errors in this domain are from the
 * #SetlCheckError enumeration.
 */
#define SETL_CHECK_ERROR (setl_check_error_quark ())
GQuark  setl_check_error_quark     (void);

/**
 * SetlCheckError:
 * @SETL_CHECK_ERROR_INVALID_PARAMETER: a parameter of the check is missing
 *   or out of place (an empty interval, a malformed pattern…); the message
 *   names the check and the parameter
 * @SETL_CHECK_ERROR_UNSUPPORTED_TYPE: the check does not apply to columns
 *   of that type
 * @SETL_CHECK_ERROR_INVALID_CHECK: the check's class is incomplete (no name,
 *   no supported type, neither `check_column` nor `check_value`)
 * @SETL_CHECK_ERROR_FAILED: the check could not run, or its implementation
 *   returned something that is not a result for the column
 * @SETL_CHECK_ERROR_NOT_SUPPORTED: the check cannot do what was asked (it
 *   cannot synthesize values)
 *
 * Error codes of %SETL_CHECK_ERROR.
 */
typedef enum {
  SETL_CHECK_ERROR_INVALID_PARAMETER,
  SETL_CHECK_ERROR_UNSUPPORTED_TYPE,
  SETL_CHECK_ERROR_INVALID_CHECK,
  SETL_CHECK_ERROR_FAILED,
  SETL_CHECK_ERROR_NOT_SUPPORTED,
} SetlCheckError;

#define SETL_TYPE_CHECK_ERROR (setl_check_error_get_type ())
GType   setl_check_error_get_type  (void) G_GNUC_CONST;

#define SETL_TYPE_CHECK (setl_check_get_type ())
G_DECLARE_DERIVABLE_TYPE (SetlCheck, setl_check, SETL, CHECK, GObject)

/**
 * SetlCheckClass:
 * @parent_class: the parent class
 * @prepare: validates the check's parameters (its properties) and readies
 *   what running needs (a compiled pattern…). Returns %FALSE with @error set,
 *   preferably with setl_check_set_parameter_error(), when a parameter is
 *   missing or wrong. %NULL or the default: nothing to validate.
 * @check_column: a vectorized check: returns (transfer full) a bool column
 *   of the same length as @column, %TRUE where the value passes. Rows that
 *   are null in @column count as passing whatever this returns for them, so
 *   an implementation need not look at the validity bitmap. Returns %NULL
 *   with @error set if it cannot run. The default runs @check_value on every
 *   value that is not null: an element-wise check overrides @check_value
 *   only.
 * @check_value: an element-wise check: returns whether @value passes.
 *   @value holds a %G_TYPE_BOOLEAN (bool), %G_TYPE_INT64 (int64, timestamp
 *   in microseconds), %G_TYPE_DOUBLE (double), %G_TYPE_STRING (string) or
 *   %G_TYPE_INT (date32, in days), as setl_column_get_value() gives them,
 *   and is only valid during the call. Never called for nulls.
 * @synthesize: optional (%NULL when the check cannot): stores in @value (an
 *   uninitialised #GValue) a value of @type that passes the check, drawn
 *   with @rand so that a seed reproduces it; the #GValue types are those of
 *   @check_value. Returns %FALSE with @error set if no value of @type can
 *   pass.
 * @to_sql: optional (%NULL when the check cannot): returns (transfer full)
 *   an SQL boolean expression, in @dialect ("sqlite" or "postgresql", the
 *   nicks of #SetlSqlDialect; others may come), that is true where the
 *   value of @column (an SQL expression, already quoted) passes the check,
 *   so that validation can run in the database (#SetlValidationQuery).
 *   The expression is only evaluated where @column is not null, and must
 *   quote the check's parameters as SQL literals itself. Returns %NULL when
 *   the check cannot be written in that dialect (with @error set to say
 *   why, or not).
 *
 * The virtual methods of #SetlCheck. A check implements exactly one of
 * @check_column and @check_value; the class also names the check and the
 * column types it supports (setl_check_class_set_check_name(),
 * setl_check_class_add_supported_type()). Parameters are the subclass's
 * #GObject properties.
 */
struct _SetlCheckClass
{
  GObjectClass parent_class;

  gboolean    (*prepare)      (SetlCheck     *self,
                               GError       **error);
  SetlColumn *(*check_column) (SetlCheck     *self,
                               SetlColumn    *column,
                               GError       **error);
  gboolean    (*check_value)  (SetlCheck     *self,
                               const GValue  *value);
  gboolean    (*synthesize)   (SetlCheck     *self,
                               SetlDataType   type,
                               GRand         *rand,
                               GValue        *value,
                               GError       **error);

  /*< private >*/
  const char *check_name;
  guint32     supported_types;   /* bit (1 << SetlDataType) per type */

  /*< public >*/
  /* Took one slot of the padding: the class keeps its size. */
  char       *(*to_sql)       (SetlCheck     *self,
                               const char    *dialect,
                               const char    *column,
                               GError       **error);

  /*< private >*/
  gpointer    padding[9];
};

void          setl_check_class_set_check_name      (SetlCheckClass  *klass,
                                                    const char      *name);
void          setl_check_class_add_supported_type  (SetlCheckClass  *klass,
                                                    SetlDataType     type);

const char   *setl_check_get_check_name            (SetlCheck       *self);
SetlDataType *setl_check_get_supported_types       (SetlCheck       *self,
                                                    guint           *n_types);
gboolean      setl_check_supports_type             (SetlCheck       *self,
                                                    SetlDataType     type);
gboolean      setl_check_is_vectorized             (SetlCheck       *self);
gboolean      setl_check_can_synthesize            (SetlCheck       *self);
gboolean      setl_check_can_compile_to_sql        (SetlCheck       *self);
char         *setl_check_to_sql                    (SetlCheck       *self,
                                                    const char      *dialect,
                                                    const char      *column,
                                                    GError         **error);

double        setl_check_get_mostly                (SetlCheck       *self);
void          setl_check_set_mostly                (SetlCheck       *self,
                                                    double           mostly);
SetlCheckLevel setl_check_get_level                (SetlCheck       *self);
void          setl_check_set_level                 (SetlCheck       *self,
                                                    SetlCheckLevel   level);
const char   *setl_check_get_error_message         (SetlCheck       *self);
void          setl_check_set_error_message         (SetlCheck       *self,
                                                    const char      *message);

gboolean      setl_check_prepare                   (SetlCheck       *self,
                                                    GError         **error);
SetlColumn   *setl_check_check_column              (SetlCheck       *self,
                                                    SetlColumn      *column,
                                                    GError         **error);
gboolean      setl_check_run                       (SetlCheck       *self,
                                                    SetlColumn      *column,
                                                    gint64          *n_failed,
                                                    GArray         **failure_indices,
                                                    GError         **error);
gboolean      setl_check_passes                    (SetlCheck       *self,
                                                    gint64           n_failed,
                                                    gint64           n_checked);
gboolean      setl_check_synthesize                (SetlCheck       *self,
                                                    SetlDataType     type,
                                                    GRand           *rand,
                                                    GValue          *value,
                                                    GError         **error);
char         *setl_check_describe                  (SetlCheck       *self);

void          setl_check_set_parameter_error       (SetlCheck       *self,
                                                    GError         **error,
                                                    const char      *parameter,
                                                    const char      *format,
                                                    ...) G_GNUC_PRINTF (4, 5);

G_END_DECLS
