/* setl-aggregate-check.h: a check over a whole column or table, computed
 * batch by batch (statistics, row counts, column sets).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "setl.h"

G_BEGIN_DECLS

#define SETL_TYPE_AGGREGATE_CHECK (setl_aggregate_check_get_type ())
G_DECLARE_DERIVABLE_TYPE (SetlAggregateCheck, setl_aggregate_check, SETL, AGGREGATE_CHECK, SetlCheck)

/**
 * SetlAggregateCheckClass:
 * @parent_class: the parent class
 * @begin: returns the state of a new pass (freed by @finish), or %NULL if
 *   the check keeps none
 * @update: adds one batch to @state. @column is the batch's column for a
 *   column check, %NULL for a table check (which reads @batch). Nulls in
 *   @column are the check's own business here (a null fraction counts them).
 * @finish: decides, from @state, whether the check passes, sets
 *   @observed (transfer full) to a short text of what was measured
 *   (`mean=3.5`, `rows=12`) that the report shows as the failure case, and
 *   frees @state. Returns %FALSE with @error set only if it cannot decide.
 *
 * The virtual methods of #SetlAggregateCheck. A subclass names itself and
 * its supported types as any #SetlCheck does; a table check also calls
 * setl_aggregate_check_class_set_table_check().
 */
struct _SetlAggregateCheckClass
{
  SetlCheckClass parent_class;

  gpointer (*begin)  (SetlAggregateCheck  *self);
  void     (*update) (SetlAggregateCheck  *self,
                      gpointer             state,
                      SetlRecordBatch     *batch,
                      SetlColumn          *column);
  gboolean (*finish) (SetlAggregateCheck  *self,
                      gpointer             state,
                      gboolean            *passed,
                      char               **observed,
                      GError             **error);

  /*< private >*/
  gboolean table_check;
  gpointer padding[8];
};

void      setl_aggregate_check_class_set_table_check (SetlAggregateCheckClass *klass,
                                                      gboolean                 table_check);
gboolean  setl_aggregate_check_is_table_check        (SetlAggregateCheck      *self);

gpointer  setl_aggregate_check_begin                 (SetlAggregateCheck      *self);
void      setl_aggregate_check_update                (SetlAggregateCheck      *self,
                                                      gpointer                 state,
                                                      SetlRecordBatch         *batch,
                                                      SetlColumn              *column);
gboolean  setl_aggregate_check_finish                (SetlAggregateCheck      *self,
                                                      gpointer                 state,
                                                      gboolean                *passed,
                                                      char                   **observed,
                                                      GError                 **error);

G_END_DECLS
