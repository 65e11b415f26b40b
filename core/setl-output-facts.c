/* setl-output-facts.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/**
 * SetlOutputFacts:
 *
 * Facts about one factory's output, as dynamic conditions read them: for a
 * table, its row count, its columns, and per column the number of nulls,
 * the minimum and the maximum; for any other output (a sink's row count, a
 * string), the value itself.
 *
 * They are gathered in one pass over a #SetlTable that is already in memory,
 * so a condition never re-reads the data: the pipeline materialises a
 * streamed output once, gathers the facts from the table, and hands the
 * same table to the output's consumers (see docs/conditions.md).
 *
 * Minimum and maximum skip nulls and are unset (null) for a column without
 * a value; doubles ignore NaN; strings compare by their UTF-8 bytes, as
 * expressions do.
 */
#include "setl-output-facts.h"
#include "setl-column.h"
#include "setl-field.h"
#include "setl-record-batch.h"

#include <math.h>
#include <string.h>

typedef struct
{
  char *name;
  SetlDataType type;
  gint64 null_count;
  gboolean has_range;
  GValue min;
  GValue max;
} ColumnFacts;

struct _SetlOutputFacts
{
  GObject parent_instance;

  gboolean has_table;
  gint64 row_count;
  GArray *columns;          /* of ColumnFacts */
  GValue value;             /* non-table outputs */
};

G_DEFINE_FINAL_TYPE (SetlOutputFacts, setl_output_facts, G_TYPE_OBJECT)

static void
column_facts_clear (gpointer data)
{
  ColumnFacts *c = data;

  g_free (c->name);
  if (G_IS_VALUE (&c->min))
    g_value_unset (&c->min);
  if (G_IS_VALUE (&c->max))
    g_value_unset (&c->max);
}

static void
setl_output_facts_finalize (GObject *object)
{
  SetlOutputFacts *self = SETL_OUTPUT_FACTS (object);

  g_array_unref (self->columns);
  if (G_IS_VALUE (&self->value))
    g_value_unset (&self->value);
  G_OBJECT_CLASS (setl_output_facts_parent_class)->finalize (object);
}

static void
setl_output_facts_class_init (SetlOutputFactsClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = setl_output_facts_finalize;
}

static void
setl_output_facts_init (SetlOutputFacts *self)
{
  self->columns = g_array_new (FALSE, TRUE, sizeof (ColumnFacts));
  g_array_set_clear_func (self->columns, column_facts_clear);
}

/* Compares two non-null values of one column; NaN has been left out. */
static int
compare_at (SetlColumn *col,
            gint64      i,
            SetlColumn *best_col,
            gint64      best)
{
  switch (setl_column_get_data_type (col))
    {
    case SETL_DATA_TYPE_BOOL:
      return (int) setl_column_get_bool (col, i) - (int) setl_column_get_bool (best_col, best);
    case SETL_DATA_TYPE_INT64:
    case SETL_DATA_TYPE_TIMESTAMP:
      {
        gint64 a = setl_column_get_int64 (col, i), b = setl_column_get_int64 (best_col, best);

        return a < b ? -1 : a > b;
      }
    case SETL_DATA_TYPE_DATE32:
      {
        gint32 a = setl_column_get_date32 (col, i), b = setl_column_get_date32 (best_col, best);

        return a < b ? -1 : a > b;
      }
    case SETL_DATA_TYPE_DOUBLE:
      {
        double a = setl_column_get_double (col, i), b = setl_column_get_double (best_col, best);

        return a < b ? -1 : a > b;
      }
    case SETL_DATA_TYPE_STRING:
      {
        gsize la, lb;
        const char *a = setl_column_get_string (col, i, &la);
        const char *b = setl_column_get_string (best_col, best, &lb);
        int c = memcmp (a, b, MIN (la, lb));

        return c != 0 ? c : (la < lb ? -1 : la > lb);
      }
    default:
      return 0;
    }
}

static gboolean
is_nan_at (SetlColumn *col,
           gint64      i)
{
  return setl_column_get_data_type (col) == SETL_DATA_TYPE_DOUBLE &&
         isnan (setl_column_get_double (col, i));
}

static void
gather_column (SetlOutputFacts *self,
               SetlTable       *table,
               guint            c)
{
  ColumnFacts *facts = &g_array_index (self->columns, ColumnFacts, c);
  /* The rows holding the minimum and maximum so far, kept as (batch
   * column, row) so that nothing is copied until the end. */
  g_autoptr(SetlColumn) min_col = NULL;
  g_autoptr(SetlColumn) max_col = NULL;
  gint64 min_row = 0, max_row = 0;

  for (guint b = 0; b < setl_table_get_n_batches (table); b++)
    {
      SetlColumn *col = setl_record_batch_get_column (setl_table_get_batch (table, b), c);
      gint64 n = setl_column_get_length (col);

      facts->null_count += setl_column_get_null_count (col);
      for (gint64 i = 0; i < n; i++)
        {
          if (setl_column_is_null (col, i) || is_nan_at (col, i))
            continue;
          if (min_col == NULL || compare_at (col, i, min_col, min_row) < 0)
            {
              g_set_object (&min_col, col);
              min_row = i;
            }
          if (max_col == NULL || compare_at (col, i, max_col, max_row) > 0)
            {
              g_set_object (&max_col, col);
              max_row = i;
            }
        }
    }
  if (min_col != NULL)
    {
      facts->has_range = TRUE;
      setl_column_get_value (min_col, min_row, &facts->min);
      setl_column_get_value (max_col, max_row, &facts->max);
    }
}

/**
 * setl_output_facts_new_from_table:
 * @table: a table
 *
 * Gathers the facts of @table in one pass over its batches.
 *
 * Returns: (transfer full): the facts
 */
SetlOutputFacts *
setl_output_facts_new_from_table (SetlTable *table)
{
  SetlOutputFacts *self;
  SetlField **fields;
  guint n_fields;

  g_return_val_if_fail (SETL_IS_TABLE (table), NULL);

  self = g_object_new (SETL_TYPE_OUTPUT_FACTS, NULL);
  self->has_table = TRUE;
  self->row_count = setl_table_get_n_rows (table);
  fields = setl_table_get_fields (table, &n_fields);
  g_array_set_size (self->columns, n_fields);
  for (guint c = 0; c < n_fields; c++)
    {
      ColumnFacts *facts = &g_array_index (self->columns, ColumnFacts, c);

      facts->name = g_strdup (setl_field_get_name (fields[c]));
      facts->type = setl_field_get_data_type (fields[c]);
      gather_column (self, table, c);
    }
  return self;
}

/**
 * setl_output_facts_new_from_value:
 * @value: an output that is not a table
 *
 * Returns: (transfer full): facts holding a copy of @value
 */
SetlOutputFacts *
setl_output_facts_new_from_value (const GValue *value)
{
  SetlOutputFacts *self;

  g_return_val_if_fail (G_IS_VALUE (value), NULL);

  self = g_object_new (SETL_TYPE_OUTPUT_FACTS, NULL);
  g_value_init (&self->value, G_VALUE_TYPE (value));
  g_value_copy (value, &self->value);
  return self;
}

/**
 * setl_output_facts_has_table:
 * @self: a #SetlOutputFacts
 *
 * Returns: whether the output was a table (row count and columns are known)
 */
gboolean
setl_output_facts_has_table (SetlOutputFacts *self)
{
  g_return_val_if_fail (SETL_IS_OUTPUT_FACTS (self), FALSE);
  return self->has_table;
}

/**
 * setl_output_facts_get_row_count:
 * @self: a #SetlOutputFacts
 *
 * Returns: the number of rows; 0 for an output that is not a table
 */
gint64
setl_output_facts_get_row_count (SetlOutputFacts *self)
{
  g_return_val_if_fail (SETL_IS_OUTPUT_FACTS (self), 0);
  return self->row_count;
}

/**
 * setl_output_facts_get_n_columns:
 * @self: a #SetlOutputFacts
 *
 * Returns: the number of columns
 */
guint
setl_output_facts_get_n_columns (SetlOutputFacts *self)
{
  g_return_val_if_fail (SETL_IS_OUTPUT_FACTS (self), 0);
  return self->columns->len;
}

static ColumnFacts *
column_at (SetlOutputFacts *self,
           guint            column)
{
  g_return_val_if_fail (column < self->columns->len, NULL);
  return &g_array_index (self->columns, ColumnFacts, column);
}

/**
 * setl_output_facts_get_column_name:
 * @self: a #SetlOutputFacts
 * @column: a column index
 *
 * Returns: the column's name
 */
const char *
setl_output_facts_get_column_name (SetlOutputFacts *self,
                                   guint            column)
{
  ColumnFacts *c;

  g_return_val_if_fail (SETL_IS_OUTPUT_FACTS (self), NULL);
  c = column_at (self, column);
  return c ? c->name : NULL;
}

/**
 * setl_output_facts_find_column:
 * @self: a #SetlOutputFacts
 * @name: a column name
 *
 * Returns: the index of the column called @name, or -1
 */
int
setl_output_facts_find_column (SetlOutputFacts *self,
                               const char      *name)
{
  g_return_val_if_fail (SETL_IS_OUTPUT_FACTS (self), -1);
  g_return_val_if_fail (name != NULL, -1);

  for (guint i = 0; i < self->columns->len; i++)
    if (g_str_equal (g_array_index (self->columns, ColumnFacts, i).name, name))
      return (int) i;
  return -1;
}

/**
 * setl_output_facts_get_column_type:
 * @self: a #SetlOutputFacts
 * @column: a column index
 *
 * Returns: the column's type
 */
SetlDataType
setl_output_facts_get_column_type (SetlOutputFacts *self,
                                   guint            column)
{
  ColumnFacts *c;

  g_return_val_if_fail (SETL_IS_OUTPUT_FACTS (self), SETL_DATA_TYPE_BOOL);
  c = column_at (self, column);
  return c ? c->type : SETL_DATA_TYPE_BOOL;
}

/**
 * setl_output_facts_get_null_count:
 * @self: a #SetlOutputFacts
 * @column: a column index
 *
 * Returns: how many values of the column are null
 */
gint64
setl_output_facts_get_null_count (SetlOutputFacts *self,
                                  guint            column)
{
  ColumnFacts *c;

  g_return_val_if_fail (SETL_IS_OUTPUT_FACTS (self), 0);
  c = column_at (self, column);
  return c ? c->null_count : 0;
}

static gboolean
copy_range (const ColumnFacts *c,
            const GValue      *from,
            GValue            *value)
{
  if (c == NULL || !c->has_range)
    return FALSE;
  g_value_init (value, G_VALUE_TYPE (from));
  g_value_copy (from, value);
  return TRUE;
}

/**
 * setl_output_facts_get_min:
 * @self: a #SetlOutputFacts
 * @column: a column index
 * @value: (out caller-allocates): an uninitialised #GValue
 *
 * The smallest non-null value of the column, in the form
 * setl_column_get_value() gives.
 *
 * Returns: %FALSE, leaving @value unset, when the column has no value
 */
gboolean
setl_output_facts_get_min (SetlOutputFacts *self,
                           guint            column,
                           GValue          *value)
{
  ColumnFacts *c;

  g_return_val_if_fail (SETL_IS_OUTPUT_FACTS (self), FALSE);
  c = column_at (self, column);
  return copy_range (c, c ? &c->min : NULL, value);
}

/**
 * setl_output_facts_get_max:
 * @self: a #SetlOutputFacts
 * @column: a column index
 * @value: (out caller-allocates): an uninitialised #GValue
 *
 * Returns: %FALSE, leaving @value unset, when the column has no value
 */
gboolean
setl_output_facts_get_max (SetlOutputFacts *self,
                           guint            column,
                           GValue          *value)
{
  ColumnFacts *c;

  g_return_val_if_fail (SETL_IS_OUTPUT_FACTS (self), FALSE);
  c = column_at (self, column);
  return copy_range (c, c ? &c->max : NULL, value);
}

/**
 * setl_output_facts_get_value:
 * @self: a #SetlOutputFacts
 *
 * Returns: (transfer none) (nullable): the output itself, when it was not a
 *   table
 */
const GValue *
setl_output_facts_get_value (SetlOutputFacts *self)
{
  g_return_val_if_fail (SETL_IS_OUTPUT_FACTS (self), NULL);
  return G_IS_VALUE (&self->value) ? &self->value : NULL;
}
