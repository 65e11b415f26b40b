/* setl-validator-run.c: one validation pass over a stream.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* A pass sees the stream's fields once (_setl_validator_run_start: the
 * schema level) then every batch (_setl_validator_run_batch: the data
 * level), and decides what aggregates and `mostly` thresholds say at the
 * end (_setl_validator_run_finish). Both setl_validator_validate() and the
 * stream of setl_validator_filter() drive it. Rows are numbered from the
 * start of the stream, whatever the batches. */
#include "setl-validation-private.h"
#include "setl-expr-private.h"

#include <string.h>

typedef struct {
  SetlValidatorColumn *plan;
  int input_index;          /* -1: not in the data */
  SetlDataType input_type;
  gboolean coerce;          /* convert from input_type to plan->type */
  gboolean skip_checks;     /* wrong type, not coerced: values not checked */
  SetlUniqueIndex *unique;
  gint64 *n_failed;         /* per check, for `mostly` */
  gint64 *n_checked;
  gpointer *states;         /* per check: aggregate state */
  gboolean *started;        /* per check: aggregate begun */
  SetlValidationEntry **entries; /* per check: its check_failed entry, once made */
  char *coerce_check;       /* coerce_dtype('int64') */
} RunColumn;

typedef struct {
  int *indices;             /* input indices, -1 terminated; NULL: skipped */
  guint n;
  SetlUniqueIndex *index;
} RunCombo;

struct _SetlValidatorRun
{
  SetlValidator *validator;
  SetlValidatorPlan *plan;
  SetlValidationReport *report;
  gboolean filter;

  RunColumn *columns;
  guint n_columns;
  RunCombo *combos;
  guint n_combos;
  gpointer *table_states;

  SetlField **input_fields;
  guint n_input_fields;
  int *schema_index;        /* per input field: schema column or -1 */
  GPtrArray *output_fields;
  GArray *output_inputs;    /* (element-type int): input index per output column */

  gint64 n_rows;
  gint64 n_dropped;
  guint64 n_batches;
  gboolean stopped;
};

SetlValidatorRun *
_setl_validator_run_new (SetlValidator        *validator,
                         SetlValidationReport *report,
                         gboolean              filter)
{
  SetlValidatorRun *run = g_new0 (SetlValidatorRun, 1);
  SetlValidatorPlan *plan = _setl_validator_get_plan (validator);

  run->validator = g_object_ref (validator);
  run->plan = plan;
  run->report = g_object_ref (report);
  run->filter = filter;
  run->n_columns = plan->columns->len;
  run->columns = g_new0 (RunColumn, run->n_columns);
  for (guint i = 0; i < run->n_columns; i++)
    {
      RunColumn *c = &run->columns[i];
      guint n = 0;

      c->plan = g_ptr_array_index (plan->columns, i);
      c->input_index = -1;
      n = c->plan->checks->len;
      c->n_failed = g_new0 (gint64, n);
      c->n_checked = g_new0 (gint64, n);
      c->states = g_new0 (gpointer, n);
      c->started = g_new0 (gboolean, n);
      c->entries = g_new0 (SetlValidationEntry *, n);
      c->coerce_check = g_strdup_printf ("coerce_dtype('%s')", setl_data_type_to_string (c->plan->type));
    }
  run->n_combos = setl_schema_get_n_unique (plan->schema);
  run->combos = g_new0 (RunCombo, run->n_combos);
  run->table_states = g_new0 (gpointer, plan->table_checks->len);
  run->output_fields = g_ptr_array_new_with_free_func (g_object_unref);
  run->output_inputs = g_array_new (FALSE, FALSE, sizeof (int));
  return run;
}

static void
finish_aggregates_quietly (SetlValidatorRun *run)
{
  for (guint i = 0; i < run->n_columns; i++)
    {
      RunColumn *c = &run->columns[i];

      for (guint j = 0; j < c->plan->checks->len; j++)
        if (c->started[j])
          {
            SetlValidatorCheck *check = g_ptr_array_index (c->plan->checks, j);
            gboolean passed;

            setl_aggregate_check_finish (SETL_AGGREGATE_CHECK (check->check), c->states[j],
                                         &passed, NULL, NULL);
            c->started[j] = FALSE;
          }
    }
  for (guint j = 0; j < run->plan->table_checks->len; j++)
    if (run->table_states[j] != NULL)
      {
        SetlValidatorCheck *check = g_ptr_array_index (run->plan->table_checks, j);
        gpointer state = run->table_states[j] == GINT_TO_POINTER (1) ? NULL : run->table_states[j];
        gboolean passed;

        setl_aggregate_check_finish (SETL_AGGREGATE_CHECK (check->check), state, &passed, NULL, NULL);
        run->table_states[j] = NULL;
      }
}

void
_setl_validator_run_free (SetlValidatorRun *run)
{
  if (run == NULL)
    return;
  finish_aggregates_quietly (run);
  for (guint i = 0; i < run->n_columns; i++)
    {
      RunColumn *c = &run->columns[i];

      _setl_unique_index_free (c->unique);
      g_free (c->n_failed);
      g_free (c->n_checked);
      g_free (c->states);
      g_free (c->started);
      g_free (c->entries);
      g_free (c->coerce_check);
    }
  g_free (run->columns);
  for (guint i = 0; i < run->n_combos; i++)
    {
      g_free (run->combos[i].indices);
      _setl_unique_index_free (run->combos[i].index);
    }
  g_free (run->combos);
  g_free (run->table_states);
  for (guint i = 0; i < run->n_input_fields; i++)
    g_object_unref (run->input_fields[i]);
  g_free (run->input_fields);
  g_free (run->schema_index);
  g_ptr_array_unref (run->output_fields);
  g_array_unref (run->output_inputs);
  g_object_unref (run->report);
  g_object_unref (run->validator);
  g_free (run);
}

GPtrArray *
_setl_validator_run_output_fields (SetlValidatorRun *run)
{
  return run->output_fields;
}

static gboolean
schema_level (SetlValidatorRun *run)
{
  return run->plan->depth != SETL_VALIDATION_DEPTH_DATA_ONLY;
}

static void
add_schema_failure (SetlValidatorRun     *run,
                    SetlValidationReason  reason,
                    const char           *schema_context,
                    const char           *column,
                    const char           *check,
                    const char           *failure_case,
                    const char           *message)
{
  SetlValidationEntry *entry;

  entry = _setl_validation_report_entry (run->report, reason, schema_context, column, check, -1,
                                         SETL_CHECK_LEVEL_ERROR, message);
  _setl_validation_entry_add_take (entry, -1, g_strdup (failure_case));
}

gboolean
_setl_validator_run_start (SetlValidatorRun  *run,
                           SetlField        **fields,
                           guint              n_fields,
                           GError           **error)
{
  SetlValidatorPlan *plan = run->plan;
  g_autoptr(GHashTable) by_name = g_hash_table_new (g_str_hash, g_str_equal);
  int highest = -1;

  run->n_input_fields = n_fields;
  run->input_fields = g_new0 (SetlField *, n_fields);
  run->schema_index = g_new0 (int, n_fields);
  for (guint i = 0; i < n_fields; i++)
    {
      run->input_fields[i] = g_object_ref (fields[i]);
      run->schema_index[i] = -1;
      if (!g_hash_table_contains (by_name, setl_field_get_name (fields[i])))
        g_hash_table_insert (by_name, (gpointer) setl_field_get_name (fields[i]), GINT_TO_POINTER (i + 1));
    }

  for (guint i = 0; i < run->n_columns; i++)
    {
      RunColumn *c = &run->columns[i];
      int index = GPOINTER_TO_INT (g_hash_table_lookup (by_name, c->plan->name)) - 1;

      c->input_index = index;
      if (index < 0)
        {
          if (c->plan->required && schema_level (run))
            {
              g_autofree char *message = g_strdup_printf ("column “%s” is not in the data", c->plan->name);

              add_schema_failure (run, SETL_VALIDATION_REASON_COLUMN_NOT_IN_DATAFRAME, "DataFrameSchema",
                                  c->plan->name, "column_in_dataframe", c->plan->name, message);
            }
          continue;
        }
      run->schema_index[index] = (int) i;
      c->input_type = setl_field_get_data_type (fields[index]);
      if (c->input_type != c->plan->type)
        {
          if (c->plan->coerce)
            c->coerce = TRUE;
          else
            {
              c->skip_checks = TRUE;
              if (schema_level (run))
                {
                  g_autofree char *check = g_strdup_printf ("dtype('%s')", setl_data_type_to_string (c->plan->type));
                  g_autofree char *message = g_strdup_printf ("column “%s” is %s, the schema says %s",
                                                              c->plan->name,
                                                              setl_data_type_to_string (c->input_type),
                                                              setl_data_type_to_string (c->plan->type));

                  add_schema_failure (run, SETL_VALIDATION_REASON_WRONG_DTYPE, "Column", c->plan->name,
                                      check, setl_data_type_to_string (c->input_type), message);
                }
            }
        }
      if (c->plan->unique)
        c->unique = _setl_unique_index_new ();
    }

  for (guint i = 0; i < n_fields; i++)
    {
      const char *name = setl_field_get_name (fields[i]);
      int schema_index = run->schema_index[i];

      if (schema_index < 0)
        {
          if (plan->schema != NULL && setl_schema_get_strict (plan->schema) == SETL_SCHEMA_STRICT_ERROR &&
              schema_level (run))
            {
              g_autofree char *message = g_strdup_printf ("column “%s” is not in the schema", name);

              add_schema_failure (run, SETL_VALIDATION_REASON_COLUMN_NOT_IN_SCHEMA, "DataFrameSchema",
                                  name, "column_in_schema", name, message);
            }
          continue;
        }
      if (setl_schema_get_ordered (plan->schema) && schema_level (run))
        {
          if (schema_index < highest)
            {
              g_autofree char *message = g_strdup_printf ("column “%s” is out of the schema's order", name);

              add_schema_failure (run, SETL_VALIDATION_REASON_COLUMN_NOT_ORDERED, "DataFrameSchema",
                                  name, "column_ordered", name, message);
            }
          highest = MAX (highest, schema_index);
        }
    }

  /* What the filtered stream gives: the input's columns, coerced, without
   * those a "filter" schema does not name. */
  for (guint i = 0; i < n_fields; i++)
    {
      int schema_index = run->schema_index[i];
      int input = (int) i;

      if (schema_index < 0 && setl_schema_get_strict (plan->schema) == SETL_SCHEMA_STRICT_FILTER)
        continue;
      if (schema_index >= 0 && run->columns[schema_index].coerce)
        g_ptr_array_add (run->output_fields,
                         setl_field_new (setl_field_get_name (fields[i]), run->columns[schema_index].plan->type,
                                         TRUE));
      else
        g_ptr_array_add (run->output_fields, g_object_ref (fields[i]));
      g_array_append_val (run->output_inputs, input);
    }

  for (guint k = 0; k < run->n_combos; k++)
    {
      const char * const *names = setl_schema_get_unique (plan->schema, k);
      guint n = g_strv_length ((char **) names);
      RunCombo *combo = &run->combos[k];
      gboolean all = TRUE;

      combo->n = n;
      combo->indices = g_new0 (int, n);
      for (guint j = 0; j < n; j++)
        {
          combo->indices[j] = GPOINTER_TO_INT (g_hash_table_lookup (by_name, names[j])) - 1;
          all = all && combo->indices[j] >= 0;
        }
      /* A missing column is already reported: no combination to check. */
      if (all)
        combo->index = _setl_unique_index_new ();
      else
        g_clear_pointer (&combo->indices, g_free);
    }

  if (plan->depth != SETL_VALIDATION_DEPTH_SCHEMA_ONLY)
    {
      for (guint i = 0; i < run->n_columns; i++)
        {
          RunColumn *c = &run->columns[i];

          if (c->input_index < 0 || c->skip_checks)
            continue;
          for (guint j = 0; j < c->plan->checks->len; j++)
            {
              SetlValidatorCheck *check = g_ptr_array_index (c->plan->checks, j);

              if (check->aggregate)
                {
                  c->states[j] = setl_aggregate_check_begin (SETL_AGGREGATE_CHECK (check->check));
                  c->started[j] = TRUE;
                }
            }
        }
      for (guint j = 0; j < plan->table_checks->len; j++)
        {
          SetlValidatorCheck *check = g_ptr_array_index (plan->table_checks, j);

          run->table_states[j] = setl_aggregate_check_begin (SETL_AGGREGATE_CHECK (check->check));
          /* A NULL state still means "begun": remember with a marker. */
          if (run->table_states[j] == NULL)
            run->table_states[j] = GINT_TO_POINTER (1);
        }
    }

  if (!plan->lazy && !plan->drop_invalid_rows && _setl_validation_report_has_errors (run->report))
    run->stopped = TRUE;
  return TRUE;
}

gboolean
_setl_validator_run_should_stop (SetlValidatorRun *run)
{
  return run->stopped;
}

/* Coercion ---------------------------------------------------------------- */

static gboolean
read_value (SetlColumn    *column,
            gint64         row,
            SetlExprValue *value)
{
  value->type = setl_column_get_data_type (column);
  value->is_null = setl_column_is_null (column, row);
  if (value->is_null)
    return FALSE;
  switch (value->type)
    {
    case SETL_DATA_TYPE_BOOL: value->v.b = setl_column_get_bool (column, row); break;
    case SETL_DATA_TYPE_INT64: value->v.i = setl_column_get_int64 (column, row); break;
    case SETL_DATA_TYPE_DOUBLE: value->v.d = setl_column_get_double (column, row); break;
    case SETL_DATA_TYPE_STRING: value->str = setl_column_get_string (column, row, &value->len); break;
    case SETL_DATA_TYPE_DATE32: value->v.date = setl_column_get_date32 (column, row); break;
    case SETL_DATA_TYPE_TIMESTAMP: value->v.i = setl_column_get_timestamp (column, row); break;
    default: break;
    }
  return TRUE;
}

static void
append_value (SetlColumnBuilder   *builder,
              const SetlExprValue *value)
{
  switch (value->type)
    {
    case SETL_DATA_TYPE_BOOL: setl_column_builder_append_bool (builder, value->v.b); break;
    case SETL_DATA_TYPE_INT64: setl_column_builder_append_int64 (builder, value->v.i); break;
    case SETL_DATA_TYPE_DOUBLE: setl_column_builder_append_double (builder, value->v.d); break;
    case SETL_DATA_TYPE_STRING: setl_column_builder_append_string (builder, value->str, (gssize) value->len); break;
    case SETL_DATA_TYPE_DATE32: setl_column_builder_append_date32 (builder, value->v.date); break;
    case SETL_DATA_TYPE_TIMESTAMP: setl_column_builder_append_timestamp (builder, value->v.i); break;
    default: setl_column_builder_append_null (builder); break;
    }
}

/* @column converted to @type; rows whose value does not convert are null in
 * the result and listed in @failed. */
static SetlColumn *
coerce_column (SetlColumn   *column,
               SetlDataType  type,
               GArray       *failed)
{
  g_autoptr(SetlColumnBuilder) builder = setl_column_builder_new (type);
  gint64 n = setl_column_get_length (column);

  setl_column_builder_reserve (builder, n, 0);
  for (gint64 i = 0; i < n; i++)
    {
      SetlExprValue in = { 0, }, out = { 0, };
      g_autofree char *owned = NULL;
      const char *why = NULL;

      if (!read_value (column, i, &in))
        {
          setl_column_builder_append_null (builder);
          continue;
        }
      out.type = type;
      if (_setl_expr_cast_value (&in, type, &out, &owned, &why))
        {
          out.type = type;
          append_value (builder, &out);
        }
      else
        {
          setl_column_builder_append_null (builder);
          g_array_append_val (failed, i);
        }
    }
  return setl_column_builder_finish (builder, NULL);
}

/* Rows -------------------------------------------------------------------- */

static void
mark (guint8 *invalid,
      gint64  row)
{
  if (invalid != NULL && row >= 0)
    invalid[row] = 1;
}

/* The bytes uniqueness compares for one value: 8 bytes for fixed-width
 * types, the string's bytes for strings. */
static const void *
value_key (SetlColumn *column,
           gint64      row,
           guint64    *scratch,
           gsize      *length)
{
  switch (setl_column_get_data_type (column))
    {
    case SETL_DATA_TYPE_STRING:
      return setl_column_get_string (column, row, length);
    case SETL_DATA_TYPE_DOUBLE:
      {
        double d = setl_column_get_double (column, row);

        if (d == 0.0)
          d = 0.0;   /* -0 and 0 are one value */
        memcpy (scratch, &d, 8);
        break;
      }
    case SETL_DATA_TYPE_BOOL:
      *scratch = setl_column_get_bool (column, row);
      break;
    case SETL_DATA_TYPE_INT64:
      *scratch = (guint64) setl_column_get_int64 (column, row);
      break;
    case SETL_DATA_TYPE_DATE32:
      *scratch = (guint64) setl_column_get_date32 (column, row);
      break;
    case SETL_DATA_TYPE_TIMESTAMP:
    default:
      *scratch = (guint64) setl_column_get_timestamp (column, row);
      break;
    }
  *length = 8;
  return scratch;
}

/* Which occurrences of a repeated key to report, given how many times it
 * was seen before (@seen) and where (@previous). Reports through @report
 * for @row and, for `all` and `exclude_last`, an earlier row. */
typedef void (*ReportRow) (gpointer user_data, gint64 row);

static void
report_duplicate (SetlSchemaReportDuplicates mode,
                  guint                      seen,
                  gint64                     row,
                  gint64                     previous,
                  ReportRow                  report,
                  gpointer                   user_data)
{
  if (seen == 0)
    return;
  switch (mode)
    {
    case SETL_SCHEMA_REPORT_DUPLICATES_ALL:
      if (seen == 1)
        report (user_data, previous);   /* the first occurrence, now known repeated */
      report (user_data, row);
      break;
    case SETL_SCHEMA_REPORT_DUPLICATES_EXCLUDE_FIRST:
      report (user_data, row);
      break;
    case SETL_SCHEMA_REPORT_DUPLICATES_EXCLUDE_LAST:
      report (user_data, previous);     /* not the last, since this one follows */
      break;
    default:
      break;
    }
}

typedef struct {
  SetlValidationEntry *entry;
  SetlColumn *column;        /* the value, the same for every occurrence, */
  gint64 index;              /* is the one at this index */
  guint8 *invalid;
  gint64 offset;
} DuplicateReport;

static void
report_duplicate_row (gpointer user_data,
                      gint64   row)
{
  DuplicateReport *r = user_data;

  _setl_validation_entry_add_value (r->entry, row, r->column, r->index);
  if (row >= r->offset)
    mark (r->invalid, row - r->offset);
}

static void
check_unique (SetlValidatorRun *run,
              RunColumn        *c,
              SetlColumn       *column,
              gint64            offset,
              guint8           *invalid)
{
  gint64 n = setl_column_get_length (column);
  gboolean keep_first = c->plan->report_duplicates != SETL_SCHEMA_REPORT_DUPLICATES_EXCLUDE_LAST;
  gboolean has_nulls = setl_column_get_null_count (column) > 0;
  SetlValidationEntry *entry = NULL;
  SetlDataType type = setl_column_get_data_type (column);
  const gint64 *ints = NULL;
  g_autofree guint64 *hashes = NULL;
  enum { AHEAD = 16 };

  if (type == SETL_DATA_TYPE_INT64 || type == SETL_DATA_TYPE_TIMESTAMP)
    {
      ints = (const gint64 *) setl_column_get_values_data (column) + setl_column_get_offset (column);
      /* Ids in increasing order (the common case) need no hashing. */
      if (!has_nulls && _setl_unique_index_add_ascending (c->unique, ints, n, offset))
        return;
    }

  /* Hashes first, so that the slots can be prefetched AHEAD rows early. */
  hashes = g_new (guint64, MAX (n, 1));
  if (ints != NULL)
    for (gint64 i = 0; i < n; i++)
      hashes[i] = _setl_unique_index_hash (&ints[i], 8);
  else
    for (gint64 i = 0; i < n; i++)
      {
        guint64 scratch;
        gsize length;
        const void *key = value_key (column, i, &scratch, &length);

        hashes[i] = _setl_unique_index_hash (key, length);
      }

  for (gint64 i = 0; i < n; i++)
    {
      guint64 scratch;
      gsize length;
      const void *key;
      gint64 previous;
      guint seen;

      if (i + AHEAD < n)
        _setl_unique_index_prefetch (c->unique, hashes[i + AHEAD]);
      /* Nulls are not values: they never repeat one. */
      if (has_nulls && setl_column_is_null (column, i))
        continue;
      if (ints != NULL)
        {
          key = &ints[i];
          length = 8;
        }
      else
        key = value_key (column, i, &scratch, &length);
      seen = _setl_unique_index_add_hashed (c->unique, key, length, hashes[i], offset + i, keep_first, &previous);
      if (seen > 0)
        {
          DuplicateReport r;

          if (entry == NULL)
            {
              g_autofree char *message = g_strdup_printf ("column “%s” has duplicate values", c->plan->name);

              entry = _setl_validation_report_entry (run->report, SETL_VALIDATION_REASON_SERIES_CONTAINS_DUPLICATES,
                                                     "Column", c->plan->name, "field_uniqueness", -1,
                                                     SETL_CHECK_LEVEL_ERROR, message);
            }
          r.entry = entry;
          r.column = column;
          r.index = i;
          r.invalid = invalid;
          r.offset = offset;
          report_duplicate (c->plan->report_duplicates, seen, offset + i, previous,
                            report_duplicate_row, &r);
        }
    }
}

typedef struct {
  SetlValidatorRun *run;
  RunCombo *combo;
  SetlColumn **columns;
  gint64 current;            /* row in the batch whose values are reported */
  guint8 *invalid;
  gint64 offset;
  SetlValidationEntry **entries;
} ComboReport;

static void
report_combo_row (gpointer user_data,
                  gint64   row)
{
  ComboReport *r = user_data;

  /* Long format, as Pandera: one failure case per column of the
   * combination; the values are the repeated ones, the same on every
   * occurrence. */
  for (guint j = 0; j < r->combo->n; j++)
    _setl_validation_entry_add_value (r->entries[j], row, r->columns[j], r->current);
  if (row >= r->offset)
    mark (r->invalid, row - r->offset);
}

static void
check_combo (SetlValidatorRun  *run,
             RunCombo          *combo,
             SetlColumn       **columns,
             gint64             n,
             gint64             offset,
             guint8            *invalid)
{
  SetlSchemaReportDuplicates mode = setl_schema_get_report_duplicates (run->plan->schema);
  gboolean keep_first = mode != SETL_SCHEMA_REPORT_DUPLICATES_EXCLUDE_LAST;
  g_autoptr(GByteArray) key = g_byte_array_new ();
  g_autofree SetlValidationEntry **entries = NULL;

  for (gint64 i = 0; i < n; i++)
    {
      gint64 previous;
      guint seen;

      g_byte_array_set_size (key, 0);
      for (guint j = 0; j < combo->n; j++)
        {
          guint8 tag = setl_column_is_null (columns[j], i) ? 0 : 1;

          g_byte_array_append (key, &tag, 1);
          if (tag)
            {
              guint64 scratch;
              gsize length;
              const void *bytes = value_key (columns[j], i, &scratch, &length);
              guint32 l = (guint32) length;

              g_byte_array_append (key, (const guint8 *) &l, 4);
              g_byte_array_append (key, bytes, (guint) length);
            }
        }
      seen = _setl_unique_index_add (combo->index, key->data, key->len, offset + i, keep_first, &previous);
      if (seen > 0)
        {
          ComboReport r = { run, combo, columns, i, invalid, offset, NULL };

          if (entries == NULL)
            {
              const char * const *names = NULL;

              entries = g_new0 (SetlValidationEntry *, combo->n);
              for (guint k = 0; k < run->n_combos; k++)
                if (&run->combos[k] == combo)
                  names = setl_schema_get_unique (run->plan->schema, k);
              for (guint j = 0; j < combo->n; j++)
                {
                  g_autofree char *joined = g_strjoinv (", ", (char **) names);
                  g_autofree char *message = g_strdup_printf ("columns %s have duplicate combinations", joined);

                  entries[j] = _setl_validation_report_entry (run->report, SETL_VALIDATION_REASON_DUPLICATES,
                                                              "DataFrameSchema", names[j],
                                                              "multiple_fields_uniqueness", -1,
                                                              SETL_CHECK_LEVEL_ERROR, message);
                }
            }
          r.entries = entries;
          report_duplicate (mode, seen, offset + i, previous, report_combo_row, &r);
        }
    }
}

char *
_setl_validator_check_message (SetlValidatorCheck *check,
                               const char         *column)
{
  const char *custom = setl_check_get_error_message (check->check);

  if (custom != NULL)
    return g_strdup (custom);
  if (column != NULL)
    return g_strdup_printf ("column “%s” failed %s", column, check->description);
  return g_strdup_printf ("table failed %s", check->description);
}

static gboolean
run_check (SetlValidatorRun   *run,
           RunColumn          *c,
           guint               j,
           SetlColumn         *column,
           gint64              offset,
           guint8             *invalid,
           GError            **error)
{
  SetlValidatorCheck *check = g_ptr_array_index (c->plan->checks, j);
  g_autoptr(GArray) rows = NULL;
  g_autoptr(GError) local = NULL;
  SetlCheckLevel level = setl_check_get_level (check->check);
  gboolean drops = level == SETL_CHECK_LEVEL_ERROR && setl_check_get_mostly (check->check) >= 1.0;
  SetlValidationEntry *entry;
  gint64 n_failed = 0;
  /* Once the entry keeps no more cases, and no row is to be dropped, the
   * failing rows are not needed: only their number. */
  gboolean want_rows = c->entries[j] == NULL || !_setl_validation_entry_is_full (c->entries[j]) ||
                       (drops && invalid != NULL);

  if (!setl_check_run (check->check, column, &n_failed, want_rows ? &rows : NULL, &local))
    {
      entry = _setl_validation_report_entry (run->report, SETL_VALIDATION_REASON_CHECK_ERROR, "Column",
                                             c->plan->name, check->description,
                                             setl_schema_check_get_index (check->reference),
                                             SETL_CHECK_LEVEL_ERROR, local->message);
      _setl_validation_entry_add_take (entry, -1, g_strdup (local->message));
      if (!run->plan->lazy)
        {
          g_set_error (error, SETL_VALIDATION_ERROR, SETL_VALIDATION_ERROR_FAILED,
                       "column “%s”: %s", c->plan->name, local->message);
          return FALSE;
        }
      return TRUE;
    }

  c->n_failed[j] += n_failed;
  c->n_checked[j] += setl_column_get_length (column) - setl_column_get_null_count (column);
  if (n_failed == 0)
    return TRUE;

  if (c->entries[j] == NULL)
    {
      g_autofree char *message = _setl_validator_check_message (check, c->plan->name);

      c->entries[j] = _setl_validation_report_entry (run->report, SETL_VALIDATION_REASON_CHECK_FAILED, "Column",
                                                     c->plan->name, check->description,
                                                     setl_schema_check_get_index (check->reference), level,
                                                     message);
    }
  entry = c->entries[j];
  if (rows == NULL)
    {
      _setl_validation_entry_add_count (entry, n_failed);
      return TRUE;
    }
  for (guint k = 0; k < rows->len; k++)
    {
      gint64 row = g_array_index (rows, gint64, k);

      _setl_validation_entry_add_value (entry, offset + row, column, row);
      if (drops)
        mark (invalid, row);
    }
  return TRUE;
}

/* @batch with the rows where @invalid is 0, the columns of @columns. */
static SetlRecordBatch *
take_rows (GPtrArray     *fields,
           SetlColumn   **columns,
           gint64         n,
           const guint8  *invalid,
           GError       **error)
{
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint j = 0; j < fields->len; j++)
    {
      SetlColumn *column = columns[j];
      g_autoptr(SetlColumnBuilder) builder = NULL;

      if (invalid == NULL)
        {
          g_ptr_array_add (out, g_object_ref (column));
          continue;
        }
      builder = setl_column_builder_new (setl_column_get_data_type (column));
      for (gint64 i = 0; i < n; i++)
        {
          SetlExprValue value = { 0, };

          if (invalid[i])
            continue;
          if (read_value (column, i, &value))
            append_value (builder, &value);
          else
            setl_column_builder_append_null (builder);
        }
      g_ptr_array_add (out, setl_column_builder_finish (builder, NULL));
    }
  return setl_record_batch_new ((SetlField **) fields->pdata, fields->len,
                                (SetlColumn **) out->pdata, out->len, error);
}

gboolean
_setl_validator_run_batch (SetlValidatorRun  *run,
                           SetlRecordBatch   *batch,
                           SetlRecordBatch  **output,
                           GError           **error)
{
  SetlValidatorPlan *plan = run->plan;
  gint64 n = setl_record_batch_get_n_rows (batch);
  gint64 offset = run->n_rows;
  gboolean dropping = output != NULL && plan->drop_invalid_rows;
  g_autofree guint8 *invalid = dropping ? g_malloc0 ((gsize) MAX (n, 1)) : NULL;
  g_autoptr(GPtrArray) effective = g_ptr_array_new_with_free_func (g_object_unref);
  gboolean ok = TRUE;

  /* A stream's batches all have its fields; one that does not is a broken
   * stream, not invalid data. */
  if (setl_record_batch_get_n_columns (batch) != run->n_input_fields)
    {
      g_set_error (error, SETL_VALIDATION_ERROR, SETL_VALIDATION_ERROR_FAILED,
                   "a batch of %u columns in a stream of %u (at row %" G_GINT64_FORMAT ")",
                   setl_record_batch_get_n_columns (batch), run->n_input_fields, offset);
      return FALSE;
    }
  for (guint i = 0; i < run->n_input_fields; i++)
    if (setl_field_get_data_type (setl_record_batch_get_field (batch, i)) !=
        setl_field_get_data_type (run->input_fields[i]))
      {
        g_set_error (error, SETL_VALIDATION_ERROR, SETL_VALIDATION_ERROR_FAILED,
                     "column “%s” is %s in a batch of a stream that says %s (at row %" G_GINT64_FORMAT ")",
                     setl_field_get_name (run->input_fields[i]),
                     setl_data_type_to_string (setl_field_get_data_type (setl_record_batch_get_field (batch, i))),
                     setl_data_type_to_string (setl_field_get_data_type (run->input_fields[i])), offset);
        return FALSE;
      }

  /* The batch's columns as checked: coerced where the schema says so. */
  for (guint i = 0; i < run->n_input_fields; i++)
    g_ptr_array_add (effective, g_object_ref (setl_record_batch_get_column (batch, i)));

  for (guint i = 0; i < run->n_columns && ok; i++)
    {
      RunColumn *c = &run->columns[i];
      g_autofree guint8 *coercion_failed = NULL;
      SetlColumn *column;

      if (c->input_index < 0)
        continue;
      column = g_ptr_array_index (effective, c->input_index);

      if (c->coerce)
        {
          g_autoptr(GArray) failed = g_array_new (FALSE, FALSE, sizeof (gint64));
          SetlColumn *coerced = coerce_column (column, c->plan->type, failed);

          if (failed->len > 0)
            {
              g_autofree char *message = g_strdup_printf ("column “%s”: values that are not %s",
                                                          c->plan->name, setl_data_type_to_string (c->plan->type));
              SetlValidationEntry *entry =
                _setl_validation_report_entry (run->report, SETL_VALIDATION_REASON_COERCION_FAILED, "Column",
                                               c->plan->name, c->coerce_check, -1, SETL_CHECK_LEVEL_ERROR, message);

              coercion_failed = g_malloc0 ((gsize) n);
              for (guint k = 0; k < failed->len; k++)
                {
                  gint64 row = g_array_index (failed, gint64, k);

                  coercion_failed[row] = 1;
                  _setl_validation_entry_add_value (entry, offset + row, column, row);
                  mark (invalid, row);
                }
            }
          g_ptr_array_index (effective, c->input_index) = coerced;
          g_object_unref (column);
          column = coerced;
        }

      if (!c->plan->nullable && setl_column_get_null_count (column) > 0)
        {
          g_autofree char *message = g_strdup_printf ("non-nullable column “%s” contains null values", c->plan->name);
          SetlValidationEntry *entry =
            _setl_validation_report_entry (run->report, SETL_VALIDATION_REASON_SERIES_CONTAINS_NULLS, "Column",
                                           c->plan->name, "not_nullable", -1, SETL_CHECK_LEVEL_ERROR, message);

          for (gint64 row = 0; row < n; row++)
            if (setl_column_is_null (column, row) && !(coercion_failed && coercion_failed[row]))
              {
                _setl_validation_entry_add_take (entry, offset + row, NULL);
                mark (invalid, row);
              }
        }

      if (c->unique != NULL && !c->skip_checks)
        check_unique (run, c, column, offset, invalid);

      if (c->skip_checks)
        {
          /* A column of the wrong type fails every row (as Pandera's
           * drop_invalid_rows drops them all). */
          if (invalid != NULL && run->plan->depth != SETL_VALIDATION_DEPTH_DATA_ONLY)
            memset (invalid, 1, (gsize) n);
          continue;
        }
      for (guint j = 0; j < c->plan->checks->len && ok; j++)
        {
          SetlValidatorCheck *check = g_ptr_array_index (c->plan->checks, j);

          if (check->aggregate)
            setl_aggregate_check_update (SETL_AGGREGATE_CHECK (check->check), c->states[j], batch, column);
          else
            ok = run_check (run, c, j, column, offset, invalid, error);
        }
    }

  for (guint k = 0; k < run->n_combos && ok; k++)
    {
      RunCombo *combo = &run->combos[k];
      g_autofree SetlColumn **columns = NULL;

      if (combo->index == NULL)
        continue;
      columns = g_new0 (SetlColumn *, combo->n);
      for (guint j = 0; j < combo->n; j++)
        columns[j] = g_ptr_array_index (effective, combo->indices[j]);
      check_combo (run, combo, columns, n, offset, invalid);
    }

  for (guint j = 0; j < plan->table_checks->len && ok; j++)
    {
      SetlValidatorCheck *check = g_ptr_array_index (plan->table_checks, j);
      gpointer state = run->table_states[j] == GINT_TO_POINTER (1) ? NULL : run->table_states[j];

      setl_aggregate_check_update (SETL_AGGREGATE_CHECK (check->check), state, batch, NULL);
    }

  if (!ok)
    return FALSE;
  run->n_rows += n;
  run->n_batches++;

  if (output != NULL)
    {
      g_autofree SetlColumn **columns = g_new0 (SetlColumn *, run->output_inputs->len);
      gint64 dropped = 0;

      for (guint j = 0; j < run->output_inputs->len; j++)
        columns[j] = g_ptr_array_index (effective, g_array_index (run->output_inputs, int, j));
      if (invalid != NULL)
        for (gint64 i = 0; i < n; i++)
          dropped += invalid[i];
      run->n_dropped += dropped;
      *output = take_rows (run->output_fields, columns, n,
                           dropped > 0 ? invalid : NULL, error);
      if (*output == NULL)
        return FALSE;
    }

  if (!plan->lazy && !plan->drop_invalid_rows && _setl_validation_report_has_errors (run->report))
    run->stopped = TRUE;
  return TRUE;
}

static gboolean
finish_aggregate (SetlValidatorRun   *run,
                  SetlValidatorCheck *check,
                  const char         *column,
                  gpointer            state,
                  GError            **error)
{
  g_autofree char *observed = NULL;
  g_autoptr(GError) local = NULL;
  gboolean passed = TRUE;
  SetlValidationEntry *entry;

  if (!setl_aggregate_check_finish (SETL_AGGREGATE_CHECK (check->check), state, &passed, &observed, &local))
    {
      entry = _setl_validation_report_entry (run->report, SETL_VALIDATION_REASON_CHECK_ERROR,
                                             column ? "Column" : "DataFrameSchema", column, check->description,
                                             setl_schema_check_get_index (check->reference),
                                             SETL_CHECK_LEVEL_ERROR, local->message);
      _setl_validation_entry_add_take (entry, -1, g_strdup (local->message));
      return TRUE;
    }
  if (!passed)
    {
      g_autofree char *message = _setl_validator_check_message (check, column);

      entry = _setl_validation_report_entry (run->report, SETL_VALIDATION_REASON_CHECK_FAILED,
                                             column ? "Column" : "DataFrameSchema", column, check->description,
                                             setl_schema_check_get_index (check->reference),
                                             setl_check_get_level (check->check), message);
      _setl_validation_entry_add_take (entry, -1, g_steal_pointer (&observed));
    }
  return TRUE;
}

gboolean
_setl_validator_run_finish (SetlValidatorRun  *run,
                            gboolean           complete,
                            GError           **error)
{
  SetlValidatorPlan *plan = run->plan;

  /* Aggregates decide on what they saw; an eager pass that stopped early
   * has not seen everything, so they stay silent. */
  for (guint i = 0; i < run->n_columns; i++)
    {
      RunColumn *c = &run->columns[i];

      for (guint j = 0; j < c->plan->checks->len; j++)
        {
          SetlValidatorCheck *check = g_ptr_array_index (c->plan->checks, j);

          if (c->started[j] && complete)
            {
              c->started[j] = FALSE;
              if (!finish_aggregate (run, check, c->plan->name, c->states[j], error))
                return FALSE;
            }
          else if (!check->aggregate && c->n_failed[j] > 0 &&
                   setl_check_passes (check->check, c->n_failed[j], c->n_checked[j]) &&
                   setl_check_get_mostly (check->check) < 1.0)
            {
              SetlValidationEntry *entry =
                _setl_validation_report_entry (run->report, SETL_VALIDATION_REASON_CHECK_FAILED, "Column",
                                               c->plan->name, check->description,
                                               setl_schema_check_get_index (check->reference),
                                               setl_check_get_level (check->check), NULL);

              _setl_validation_entry_tolerate (entry, c->n_checked[j]);
            }
        }
    }
  /* A stream without batches still has columns: table checks see them in
   * an empty batch. */
  if (run->n_batches == 0 && complete && plan->table_checks->len > 0)
    {
      g_autoptr(GPtrArray) columns = g_ptr_array_new_with_free_func (g_object_unref);
      g_autoptr(SetlRecordBatch) empty = NULL;

      for (guint i = 0; i < run->n_input_fields; i++)
        {
          g_autoptr(SetlColumnBuilder) builder =
            setl_column_builder_new (setl_field_get_data_type (run->input_fields[i]));

          g_ptr_array_add (columns, setl_column_builder_finish (builder, NULL));
        }
      empty = setl_record_batch_new (run->input_fields, run->n_input_fields,
                                     (SetlColumn **) columns->pdata, columns->len, NULL);
      for (guint j = 0; j < plan->table_checks->len && empty != NULL; j++)
        if (run->table_states[j] != NULL)
          {
            SetlValidatorCheck *check = g_ptr_array_index (plan->table_checks, j);
            gpointer state = run->table_states[j] == GINT_TO_POINTER (1) ? NULL : run->table_states[j];

            setl_aggregate_check_update (SETL_AGGREGATE_CHECK (check->check), state, empty, NULL);
          }
    }
  for (guint j = 0; j < plan->table_checks->len && complete; j++)
    if (run->table_states[j] != NULL)
      {
        SetlValidatorCheck *check = g_ptr_array_index (plan->table_checks, j);
        gpointer state = run->table_states[j] == GINT_TO_POINTER (1) ? NULL : run->table_states[j];

        run->table_states[j] = NULL;
        if (!finish_aggregate (run, check, NULL, state, error))
          return FALSE;
      }
  finish_aggregates_quietly (run);

  _setl_validation_report_set_rows (run->report, run->n_rows, run->n_dropped);
  _setl_validation_report_finish (run->report, complete);
  return TRUE;
}
