/* setl-aggregate-check.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/**
 * SetlAggregateCheck:
 *
 * A check that decides once for a whole column or table, from what it
 * gathered over every batch: a mean or a standard deviation within bounds,
 * a fraction of nulls, a number of distinct values, a number of rows, a set
 * of columns. A #SetlCheck looks at values one batch at a time and fails
 * rows; an aggregate check fails as a whole, and the validator reports it
 * once, with what it measured as the failure case.
 *
 * A subclass implements `begin` (a fresh state for one pass), `update`
 * (called for every batch, with the batch's column for a column check) and
 * `finish` (decides, says what it measured, frees the state); a table
 * check also calls setl_aggregate_check_class_set_table_check() in its
 * class init, and appears in a schema's top-level `checks`.
 *
 * Because it is a #SetlCheck, an aggregate check is registered by a
 * check-library plugin like any other, with its name, parameters and
 * supported types. Its `check_column` passes every row: running it
 * value by value means nothing.
 */
#include "setl-aggregate-check.h"

G_DEFINE_ABSTRACT_TYPE (SetlAggregateCheck, setl_aggregate_check, SETL_TYPE_CHECK)

/* Row by row, an aggregate check has nothing to say: every row passes. */
static SetlColumn *
setl_aggregate_check_check_column (SetlCheck   *check,
                                   SetlColumn  *column,
                                   GError     **error)
{
  gint64 length = setl_column_get_length (column);
  g_autoptr(SetlColumnBuilder) builder = setl_column_builder_new (SETL_DATA_TYPE_BOOL);

  setl_column_builder_reserve (builder, length, 0);
  for (gint64 i = 0; i < length; i++)
    setl_column_builder_append_bool (builder, TRUE);
  return setl_column_builder_finish (builder, error);
}

static void
setl_aggregate_check_class_init (SetlAggregateCheckClass *klass)
{
  SETL_CHECK_CLASS (klass)->check_column = setl_aggregate_check_check_column;
}

static void
setl_aggregate_check_init (SetlAggregateCheck *self)
{
}

/**
 * setl_aggregate_check_class_set_table_check:
 * @klass: a #SetlAggregateCheckClass
 * @table_check: whether the check reads whole batches rather than a column
 *
 * Makes the checks of this class table checks, which a schema lists in its
 * top-level `checks` and whose `update` receives no column. Call it from
 * the class init function.
 */
void
setl_aggregate_check_class_set_table_check (SetlAggregateCheckClass *klass,
                                            gboolean                 table_check)
{
  g_return_if_fail (SETL_IS_AGGREGATE_CHECK_CLASS (klass));
  klass->table_check = table_check;
}

/**
 * setl_aggregate_check_is_table_check:
 * @self: a #SetlAggregateCheck
 *
 * Returns: whether the check is a table check
 */
gboolean
setl_aggregate_check_is_table_check (SetlAggregateCheck *self)
{
  g_return_val_if_fail (SETL_IS_AGGREGATE_CHECK (self), FALSE);
  return SETL_AGGREGATE_CHECK_GET_CLASS (self)->table_check;
}

/**
 * setl_aggregate_check_begin:
 * @self: a #SetlAggregateCheck
 *
 * Starts a pass over the data.
 *
 * Returns: (transfer full) (nullable): the state of the pass, for
 *   setl_aggregate_check_update() and setl_aggregate_check_finish()
 */
gpointer
setl_aggregate_check_begin (SetlAggregateCheck *self)
{
  SetlAggregateCheckClass *klass;

  g_return_val_if_fail (SETL_IS_AGGREGATE_CHECK (self), NULL);
  klass = SETL_AGGREGATE_CHECK_GET_CLASS (self);
  return klass->begin ? klass->begin (self) : NULL;
}

/**
 * setl_aggregate_check_update:
 * @self: a #SetlAggregateCheck
 * @state: (nullable): what setl_aggregate_check_begin() returned
 * @batch: the next batch of data
 * @column: (nullable): the checked column of @batch, %NULL for a table check
 *
 * Adds a batch to the pass.
 */
void
setl_aggregate_check_update (SetlAggregateCheck *self,
                             gpointer            state,
                             SetlRecordBatch    *batch,
                             SetlColumn         *column)
{
  SetlAggregateCheckClass *klass;

  g_return_if_fail (SETL_IS_AGGREGATE_CHECK (self));
  g_return_if_fail (SETL_IS_RECORD_BATCH (batch));

  klass = SETL_AGGREGATE_CHECK_GET_CLASS (self);
  if (klass->update)
    klass->update (self, state, batch, column);
}

/**
 * setl_aggregate_check_finish:
 * @self: a #SetlAggregateCheck
 * @state: (transfer full) (nullable): the state of the pass, freed here
 * @passed: (out): whether the check passes
 * @observed: (out) (transfer full) (optional) (nullable): what the check
 *   measured, as text for the report
 * @error: return location for a #GError
 *
 * Ends a pass and decides.
 *
 * Returns: %TRUE if the check could decide; %FALSE with @error set
 */
gboolean
setl_aggregate_check_finish (SetlAggregateCheck  *self,
                             gpointer             state,
                             gboolean            *passed,
                             char               **observed,
                             GError             **error)
{
  SetlAggregateCheckClass *klass;
  g_autofree char *text = NULL;
  GError *local = NULL;
  gboolean ok;

  g_return_val_if_fail (SETL_IS_AGGREGATE_CHECK (self), FALSE);
  g_return_val_if_fail (passed != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  klass = SETL_AGGREGATE_CHECK_GET_CLASS (self);
  *passed = TRUE;
  if (klass->finish == NULL)
    {
      g_set_error (error, SETL_CHECK_ERROR, SETL_CHECK_ERROR_INVALID_CHECK,
                   "Check “%s” (%s) is an aggregate check without a finish method",
                   setl_check_get_check_name (SETL_CHECK (self)), G_OBJECT_TYPE_NAME (self));
      return FALSE;
    }
  ok = klass->finish (self, state, passed, &text, &local);
  if (!ok)
    {
      if (local == NULL)
        g_set_error (&local, SETL_CHECK_ERROR, SETL_CHECK_ERROR_FAILED,
                     "Check “%s” (%s) could not decide, and does not say why",
                     setl_check_get_check_name (SETL_CHECK (self)), G_OBJECT_TYPE_NAME (self));
      g_propagate_error (error, local);
      return FALSE;
    }
  g_clear_error (&local);
  if (observed)
    *observed = g_steal_pointer (&text);
  return TRUE;
}
