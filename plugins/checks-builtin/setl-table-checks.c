/* setl-table-checks.c: row_count_in_range, column_set.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* Table checks, listed in a schema's top-level "checks":
 * `row_count_in_range(min_value, max_value)` (inclusive, either optional,
 * one required) and `column_set(columns, exact=true)`: the data's columns
 * are exactly those named (in any order), or with `exact` false include
 * them all. */
#include "setl-table-checks.h"
#include "setl-builtin-value.h"

static const SetlDataType all_types[] = { BUILTIN_COMPARABLE_TYPES, SETL_DATA_TYPE_BOOL };

/* row_count_in_range ------------------------------------------------------- */

typedef struct {
  SetlAggregateCheck parent_instance;
  gint64 min_value;
  gint64 max_value;
} SetlBuiltinRowCountCheck;

typedef struct {
  SetlAggregateCheckClass parent_class;
} SetlBuiltinRowCountCheckClass;

G_DEFINE_FINAL_TYPE (SetlBuiltinRowCountCheck, setl_builtin_row_count_check, SETL_TYPE_AGGREGATE_CHECK)

#define ROW_COUNT(o) ((SetlBuiltinRowCountCheck *) (o))

enum { PROP_0, PROP_MIN_VALUE, PROP_MAX_VALUE };

static void
row_count_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_MIN_VALUE: g_value_set_int64 (value, ROW_COUNT (object)->min_value); break;
    case PROP_MAX_VALUE: g_value_set_int64 (value, ROW_COUNT (object)->max_value); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
row_count_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_MIN_VALUE: ROW_COUNT (object)->min_value = g_value_get_int64 (value); break;
    case PROP_MAX_VALUE: ROW_COUNT (object)->max_value = g_value_get_int64 (value); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static gboolean
row_count_prepare (SetlCheck *check, GError **error)
{
  SetlBuiltinRowCountCheck *self = ROW_COUNT (check);

  if (self->min_value < 0 && self->max_value < 0)
    {
      setl_check_set_parameter_error (check, error, "min_value", "at least a minimum or a maximum is required");
      return FALSE;
    }
  if (self->min_value >= 0 && self->max_value >= 0 && self->min_value > self->max_value)
    {
      setl_check_set_parameter_error (check, error, "max_value",
                                      "the interval is empty: max_value %" G_GINT64_FORMAT
                                      " is below min_value %" G_GINT64_FORMAT,
                                      self->max_value, self->min_value);
      return FALSE;
    }
  return TRUE;
}

static gpointer
row_count_begin (SetlAggregateCheck *check)
{
  return g_new0 (gint64, 1);
}

static void
row_count_update (SetlAggregateCheck *check, gpointer state, SetlRecordBatch *batch, SetlColumn *column)
{
  *(gint64 *) state += setl_record_batch_get_n_rows (batch);
}

static gboolean
row_count_finish (SetlAggregateCheck *check, gpointer state, gboolean *passed, char **observed, GError **error)
{
  SetlBuiltinRowCountCheck *self = ROW_COUNT (check);
  gint64 rows = *(gint64 *) state;

  *passed = (self->min_value < 0 || rows >= self->min_value) && (self->max_value < 0 || rows <= self->max_value);
  *observed = g_strdup_printf ("rows=%" G_GINT64_FORMAT, rows);
  g_free (state);
  return TRUE;
}

static void
setl_builtin_row_count_check_class_init (SetlBuiltinRowCountCheckClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  SetlCheckClass *check_class = SETL_CHECK_CLASS (klass);
  SetlAggregateCheckClass *aggregate_class = SETL_AGGREGATE_CHECK_CLASS (klass);

  object_class->get_property = row_count_get_property;
  object_class->set_property = row_count_set_property;
  check_class->prepare = row_count_prepare;
  aggregate_class->begin = row_count_begin;
  aggregate_class->update = row_count_update;
  aggregate_class->finish = row_count_finish;
  setl_aggregate_check_class_set_table_check (aggregate_class, TRUE);
  setl_check_class_set_check_name (check_class, "row_count_in_range");
  builtin_class_add_types (check_class, all_types, G_N_ELEMENTS (all_types));

  g_object_class_install_property (object_class, PROP_MIN_VALUE,
    g_param_spec_int64 ("min-value", "min_value", "Fewest rows allowed (-1: no minimum)",
                        -1, G_MAXINT64, -1, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS));
  g_object_class_install_property (object_class, PROP_MAX_VALUE,
    g_param_spec_int64 ("max-value", "max_value", "Most rows allowed (-1: no maximum)",
                        -1, G_MAXINT64, -1, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS));
}

static void
setl_builtin_row_count_check_init (SetlBuiltinRowCountCheck *self)
{
  self->min_value = self->max_value = -1;
}

/* column_set ---------------------------------------------------------------- */

typedef struct {
  SetlAggregateCheck parent_instance;
  char **columns;
  gboolean exact;
} SetlBuiltinColumnSetCheck;

typedef struct {
  SetlAggregateCheckClass parent_class;
} SetlBuiltinColumnSetCheckClass;

G_DEFINE_FINAL_TYPE (SetlBuiltinColumnSetCheck, setl_builtin_column_set_check, SETL_TYPE_AGGREGATE_CHECK)

#define COLUMN_SET(o) ((SetlBuiltinColumnSetCheck *) (o))

enum { PROP_CS_0, PROP_COLUMNS, PROP_EXACT };

static void
column_set_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_COLUMNS: g_value_set_boxed (value, COLUMN_SET (object)->columns); break;
    case PROP_EXACT: g_value_set_boolean (value, COLUMN_SET (object)->exact); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
column_set_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_COLUMNS:
      g_strfreev (COLUMN_SET (object)->columns);
      COLUMN_SET (object)->columns = g_value_dup_boxed (value);
      break;
    case PROP_EXACT: COLUMN_SET (object)->exact = g_value_get_boolean (value); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
column_set_finalize (GObject *object)
{
  g_strfreev (COLUMN_SET (object)->columns);
  G_OBJECT_CLASS (setl_builtin_column_set_check_parent_class)->finalize (object);
}

static gboolean
column_set_prepare (SetlCheck *check, GError **error)
{
  if (COLUMN_SET (check)->columns == NULL)
    {
      setl_check_set_parameter_error (check, error, "columns", "a list of column names is required");
      return FALSE;
    }
  return TRUE;
}

static gpointer
column_set_begin (SetlAggregateCheck *check)
{
  return g_ptr_array_new_with_free_func (g_free);
}

static void
column_set_update (SetlAggregateCheck *check, gpointer state, SetlRecordBatch *batch, SetlColumn *column)
{
  GPtrArray *names = state;

  if (names->len > 0)
    return;
  for (guint i = 0; i < setl_record_batch_get_n_columns (batch); i++)
    g_ptr_array_add (names, g_strdup (setl_field_get_name (setl_record_batch_get_field (batch, i))));
}

static gboolean
column_set_finish (SetlAggregateCheck *check, gpointer state, gboolean *passed, char **observed, GError **error)
{
  SetlBuiltinColumnSetCheck *self = COLUMN_SET (check);
  GPtrArray *names = state;
  GString *text = g_string_new ("columns: ");

  *passed = TRUE;
  for (guint i = 0; self->columns[i] != NULL && *passed; i++)
    {
      gboolean found = FALSE;

      for (guint j = 0; j < names->len && !found; j++)
        found = g_str_equal (g_ptr_array_index (names, j), self->columns[i]);
      *passed = found;
    }
  if (*passed && self->exact)
    for (guint j = 0; j < names->len && *passed; j++)
      *passed = g_strv_contains ((const char * const *) self->columns, g_ptr_array_index (names, j));
  for (guint j = 0; j < names->len; j++)
    g_string_append_printf (text, "%s%s", j ? ", " : "", (const char *) g_ptr_array_index (names, j));
  *observed = g_string_free (text, FALSE);
  g_ptr_array_unref (names);
  return TRUE;
}

static void
setl_builtin_column_set_check_class_init (SetlBuiltinColumnSetCheckClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  SetlCheckClass *check_class = SETL_CHECK_CLASS (klass);
  SetlAggregateCheckClass *aggregate_class = SETL_AGGREGATE_CHECK_CLASS (klass);

  object_class->get_property = column_set_get_property;
  object_class->set_property = column_set_set_property;
  object_class->finalize = column_set_finalize;
  check_class->prepare = column_set_prepare;
  aggregate_class->begin = column_set_begin;
  aggregate_class->update = column_set_update;
  aggregate_class->finish = column_set_finish;
  setl_aggregate_check_class_set_table_check (aggregate_class, TRUE);
  setl_check_class_set_check_name (check_class, "column_set");
  builtin_class_add_types (check_class, all_types, G_N_ELEMENTS (all_types));

  g_object_class_install_property (object_class, PROP_COLUMNS,
    g_param_spec_boxed ("columns", "columns", "The column names the data must have",
                        G_TYPE_STRV, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS));
  g_object_class_install_property (object_class, PROP_EXACT,
    g_param_spec_boolean ("exact", "exact", "Whether other columns are refused", TRUE,
                          G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS));
}

static void
setl_builtin_column_set_check_init (SetlBuiltinColumnSetCheck *self)
{
  self->exact = TRUE;
}
