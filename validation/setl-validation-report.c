/* setl-validation-report.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/**
 * SetlValidationReport:
 *
 * What a validation found, in three forms:
 *
 * - the **failure cases**, a #SetlTable with one row per failure, as
 *   Pandera's lazy `SchemaErrors.failure_cases`: `schema_context`
 *   (`DataFrameSchema` for the table, `Column` for a column), `column`,
 *   `check` (`in_range(min_value=1, max_value=5)`, `not_nullable`,
 *   `field_uniqueness`…), `check_number` (the check's position in its list,
 *   null for schema-level failures), `failure_case` (the failing value as
 *   text, the missing column's name, the measured statistic…) and `row`
 *   (the row's position in the data, from 0; null when no row is at fault);
 * - a **JSON summary** (setl_validation_report_to_json()) grouping failures
 *   by group (`SCHEMA`, `DATA`) and reason (#SetlValidationReason), with
 *   exact counts per column and check;
 * - a **text summary** (setl_validation_report_to_text()) for people.
 *
 * Counts are exact: the report keeps at most
 * #SetlValidator:max-failure-cases failure cases per check, but counts all
 * of them. A check that fails a few values but passes by its `mostly`
 * threshold is listed as tolerated in the summaries, not as failures.
 */
#include "setl-validation-private.h"

#include <string.h>

G_DEFINE_ENUM_TYPE (SetlValidationReason, setl_validation_reason,
  G_DEFINE_ENUM_VALUE (SETL_VALIDATION_REASON_COLUMN_NOT_IN_SCHEMA, "column_not_in_schema"),
  G_DEFINE_ENUM_VALUE (SETL_VALIDATION_REASON_COLUMN_NOT_IN_DATAFRAME, "column_not_in_dataframe"),
  G_DEFINE_ENUM_VALUE (SETL_VALIDATION_REASON_COLUMN_NOT_ORDERED, "column_not_ordered"),
  G_DEFINE_ENUM_VALUE (SETL_VALIDATION_REASON_WRONG_DTYPE, "wrong_dtype"),
  G_DEFINE_ENUM_VALUE (SETL_VALIDATION_REASON_COERCION_FAILED, "coercion_failed"),
  G_DEFINE_ENUM_VALUE (SETL_VALIDATION_REASON_SERIES_CONTAINS_NULLS, "series_contains_nulls"),
  G_DEFINE_ENUM_VALUE (SETL_VALIDATION_REASON_SERIES_CONTAINS_DUPLICATES, "series_contains_duplicates"),
  G_DEFINE_ENUM_VALUE (SETL_VALIDATION_REASON_DUPLICATES, "duplicates"),
  G_DEFINE_ENUM_VALUE (SETL_VALIDATION_REASON_CHECK_FAILED, "check_failed"),
  G_DEFINE_ENUM_VALUE (SETL_VALIDATION_REASON_CHECK_ERROR, "check_error"))

/**
 * setl_validation_reason_to_string:
 * @reason: a #SetlValidationReason
 *
 * Returns: (transfer none): the reason as reports spell it
 *   (`column_not_in_dataframe`)
 */
const char *
setl_validation_reason_to_string (SetlValidationReason reason)
{
  GEnumClass *klass = g_type_class_ref (SETL_TYPE_VALIDATION_REASON);
  GEnumValue *value = g_enum_get_value (klass, reason);

  g_type_class_unref (klass);
  g_return_val_if_fail (value != NULL, NULL);
  return value->value_nick;
}

/**
 * setl_validation_reason_is_schema:
 * @reason: a #SetlValidationReason
 *
 * Returns: %TRUE for reasons about the table's shape (the `SCHEMA` group:
 *   columns missing, extra, out of order or of the wrong type), %FALSE for
 *   reasons about values (the `DATA` group)
 */
gboolean
setl_validation_reason_is_schema (SetlValidationReason reason)
{
  return reason <= SETL_VALIDATION_REASON_WRONG_DTYPE;
}

typedef struct {
  gint64 row;
  char *failure_case;
} Case;

struct _SetlValidationEntry
{
  SetlValidationReason reason;
  char *schema_context;
  char *column;
  char *check;
  gint64 check_number;
  SetlCheckLevel level;
  char *message;
  gint64 count;
  GArray *cases;          /* (element-type Case) */
  guint cap;               /* failure cases kept at most */
  gboolean tolerated;
  gint64 n_checked;
};

struct _SetlValidationReport
{
  GObject parent_instance;

  char *schema_name;
  guint max_failure_cases;
  gint64 n_rows;
  gint64 n_dropped;
  gboolean complete;
  GPtrArray *entries;     /* (element-type SetlValidationEntry), in order found */
  GHashTable *index;      /* key -> entry */
  SetlTable *failure_cases;   /* built on demand */
  char *ran_in;           /* nullable: where it ran (setl_validation_report_set_ran_in()) */
};

G_DEFINE_FINAL_TYPE (SetlValidationReport, setl_validation_report, G_TYPE_OBJECT)

static void
case_clear (gpointer data)
{
  g_free (((Case *) data)->failure_case);
}

static void
entry_free (gpointer data)
{
  SetlValidationEntry *entry = data;

  g_free (entry->schema_context);
  g_free (entry->column);
  g_free (entry->check);
  g_free (entry->message);
  g_array_unref (entry->cases);
  g_free (entry);
}

static void
setl_validation_report_finalize (GObject *object)
{
  SetlValidationReport *self = SETL_VALIDATION_REPORT (object);

  g_free (self->schema_name);
  g_free (self->ran_in);
  g_hash_table_unref (self->index);
  g_ptr_array_unref (self->entries);
  g_clear_object (&self->failure_cases);

  G_OBJECT_CLASS (setl_validation_report_parent_class)->finalize (object);
}

static void
setl_validation_report_class_init (SetlValidationReportClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = setl_validation_report_finalize;
}

static void
setl_validation_report_init (SetlValidationReport *self)
{
  self->entries = g_ptr_array_new_with_free_func (entry_free);
  self->index = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

SetlValidationReport *
_setl_validation_report_new (const char *schema_name,
                             guint       max_failure_cases)
{
  SetlValidationReport *self = g_object_new (SETL_TYPE_VALIDATION_REPORT, NULL);

  self->schema_name = g_strdup (schema_name);
  self->max_failure_cases = max_failure_cases;
  return self;
}

void
_setl_validation_report_reset (SetlValidationReport *self)
{
  g_hash_table_remove_all (self->index);
  g_ptr_array_set_size (self->entries, 0);
  g_clear_object (&self->failure_cases);
  self->n_rows = self->n_dropped = 0;
  self->complete = FALSE;
}

SetlValidationEntry *
_setl_validation_report_entry (SetlValidationReport *self,
                               SetlValidationReason  reason,
                               const char           *schema_context,
                               const char           *column,
                               const char           *check,
                               gint64                check_number,
                               SetlCheckLevel        level,
                               const char           *message)
{
  g_autofree char *key = g_strdup_printf ("%d\x1f%s\x1f%s\x1f%s\x1f%" G_GINT64_FORMAT,
                                          reason, schema_context, column ? column : "\x1e",
                                          check, check_number);
  SetlValidationEntry *entry = g_hash_table_lookup (self->index, key);

  if (entry != NULL)
    return entry;
  entry = g_new0 (SetlValidationEntry, 1);
  entry->reason = reason;
  entry->schema_context = g_strdup (schema_context);
  entry->column = g_strdup (column);
  entry->check = g_strdup (check);
  entry->check_number = check_number;
  entry->level = level;
  entry->message = g_strdup (message);
  entry->cap = self->max_failure_cases;
  entry->cases = g_array_new (FALSE, FALSE, sizeof (Case));
  g_array_set_clear_func (entry->cases, case_clear);
  g_ptr_array_add (self->entries, entry);
  g_hash_table_insert (self->index, g_steal_pointer (&key), entry);
  g_clear_object (&self->failure_cases);
  return entry;
}

void
_setl_validation_entry_add_take (SetlValidationEntry *entry,
                                 gint64               row,
                                 char                *failure_case)
{
  entry->count++;
  if (entry->cases->len < entry->cap)
    {
      Case c = { row, failure_case };
      g_array_append_val (entry->cases, c);
    }
  else
    g_free (failure_case);
}

void
_setl_validation_entry_add_value (SetlValidationEntry *entry,
                                  gint64               row,
                                  SetlColumn          *column,
                                  gint64               index)
{
  /* Formatting every failing value would cost more than checking it. */
  if (entry->cases->len < entry->cap)
    _setl_validation_entry_add_take (entry, row, setl_validation_column_value_to_string (column, index));
  else
    entry->count++;
}

gboolean
_setl_validation_entry_is_full (SetlValidationEntry *entry)
{
  return entry->cases->len >= entry->cap;
}

void
_setl_validation_entry_add_count (SetlValidationEntry *entry,
                                  gint64               n)
{
  entry->count += n;
}

gint64
_setl_validation_entry_get_count (SetlValidationEntry *entry)
{
  return entry->count;
}

SetlCheckLevel
_setl_validation_entry_get_level (SetlValidationEntry *entry)
{
  return entry->level;
}

void
_setl_validation_entry_tolerate (SetlValidationEntry *entry,
                                 gint64               n_checked)
{
  entry->tolerated = TRUE;
  entry->n_checked = n_checked;
}

void
_setl_validation_report_set_rows (SetlValidationReport *self,
                                  gint64                n_rows,
                                  gint64                n_dropped)
{
  self->n_rows = n_rows;
  self->n_dropped = n_dropped;
}

static int
compare_cases (gconstpointer a,
               gconstpointer b)
{
  const Case *x = a, *y = b;

  return x->row < y->row ? -1 : x->row > y->row;
}

void
_setl_validation_report_finish (SetlValidationReport *self,
                                gboolean              complete)
{
  self->complete = complete;
  /* Uniqueness reports an earlier row when it sees a later one: put each
   * check's cases back in row order. */
  for (guint i = 0; i < self->entries->len; i++)
    {
      SetlValidationEntry *entry = g_ptr_array_index (self->entries, i);

      g_array_sort (entry->cases, compare_cases);
    }
  g_clear_object (&self->failure_cases);
}

static gboolean
entry_counts (SetlValidationEntry *entry)
{
  return !entry->tolerated && entry->count > 0;
}

gboolean
_setl_validation_report_has_errors (SetlValidationReport *self)
{
  for (guint i = 0; i < self->entries->len; i++)
    {
      SetlValidationEntry *entry = g_ptr_array_index (self->entries, i);

      if (entry_counts (entry) && entry->level == SETL_CHECK_LEVEL_ERROR)
        return TRUE;
    }
  return FALSE;
}

const char *
_setl_validation_report_first_error (SetlValidationReport *self)
{
  for (guint i = 0; i < self->entries->len; i++)
    {
      SetlValidationEntry *entry = g_ptr_array_index (self->entries, i);

      if (entry_counts (entry) && entry->level == SETL_CHECK_LEVEL_ERROR)
        return entry->message;
    }
  return NULL;
}

/**
 * setl_validation_report_get_valid:
 * @self: a #SetlValidationReport
 *
 * Returns: whether the data passed: no failure of level error (warnings and
 *   checks tolerated by their `mostly` do not count)
 */
gboolean
setl_validation_report_get_valid (SetlValidationReport *self)
{
  g_return_val_if_fail (SETL_IS_VALIDATION_REPORT (self), FALSE);
  return !_setl_validation_report_has_errors (self);
}

/**
 * setl_validation_report_get_complete:
 * @self: a #SetlValidationReport
 *
 * A report is incomplete while the stream setl_validator_filter() returned
 * is still being read, and after an eager validation stopped at its first
 * failure.
 *
 * Returns: whether every row was validated
 */
gboolean
setl_validation_report_get_complete (SetlValidationReport *self)
{
  g_return_val_if_fail (SETL_IS_VALIDATION_REPORT (self), FALSE);
  return self->complete;
}

/**
 * setl_validation_report_get_schema_name:
 * @self: a #SetlValidationReport
 *
 * Returns: the schema validated against, as `name@version` (or `name` for
 *   an unregistered document)
 */
const char *
setl_validation_report_get_schema_name (SetlValidationReport *self)
{
  g_return_val_if_fail (SETL_IS_VALIDATION_REPORT (self), NULL);
  return self->schema_name;
}

/**
 * setl_validation_report_get_ran_in:
 * @self: a #SetlValidationReport
 *
 * Where the validation ran: `client` when the rows were read and checked
 * by libsetl, or the database that ran the checks as SQL (a pushed-down
 * validation, setl_validation_pushdown()): `sqlite:FILE`,
 * `postgresql://user@host:port/db` (never with a password). The JSON
 * summary has it as `ran_in`.
 *
 * Returns: (nullable): where the validation ran, or %NULL when the caller
 *   did not say (setl_validator_validate() alone does not)
 */
const char *
setl_validation_report_get_ran_in (SetlValidationReport *self)
{
  g_return_val_if_fail (SETL_IS_VALIDATION_REPORT (self), NULL);
  return self->ran_in;
}

/**
 * setl_validation_report_set_ran_in:
 * @self: a #SetlValidationReport
 * @ran_in: (nullable): `client`, or the database (without a password)
 *
 * Records where the validation ran (see setl_validation_report_get_ran_in()).
 */
void
setl_validation_report_set_ran_in (SetlValidationReport *self,
                                   const char           *ran_in)
{
  g_return_if_fail (SETL_IS_VALIDATION_REPORT (self));
  g_free (self->ran_in);
  self->ran_in = g_strdup (ran_in);
}

/**
 * setl_validation_report_get_n_rows:
 * @self: a #SetlValidationReport
 *
 * Returns: the number of rows validated
 */
gint64
setl_validation_report_get_n_rows (SetlValidationReport *self)
{
  g_return_val_if_fail (SETL_IS_VALIDATION_REPORT (self), 0);
  return self->n_rows;
}

/**
 * setl_validation_report_get_n_dropped_rows:
 * @self: a #SetlValidationReport
 *
 * Returns: the number of rows left out of the output for failing, with
 *   #SetlValidator:drop-invalid-rows
 */
gint64
setl_validation_report_get_n_dropped_rows (SetlValidationReport *self)
{
  g_return_val_if_fail (SETL_IS_VALIDATION_REPORT (self), 0);
  return self->n_dropped;
}

static gint64
sum_counts (SetlValidationReport *self,
            int                   level)
{
  gint64 total = 0;

  for (guint i = 0; i < self->entries->len; i++)
    {
      SetlValidationEntry *entry = g_ptr_array_index (self->entries, i);

      if (entry_counts (entry) && (level < 0 || (int) entry->level == level))
        total += entry->count;
    }
  return total;
}

/**
 * setl_validation_report_get_n_failures:
 * @self: a #SetlValidationReport
 *
 * Returns: the number of failure cases, errors and warnings, kept or not
 */
gint64
setl_validation_report_get_n_failures (SetlValidationReport *self)
{
  g_return_val_if_fail (SETL_IS_VALIDATION_REPORT (self), 0);
  return sum_counts (self, -1);
}

/**
 * setl_validation_report_get_n_errors:
 * @self: a #SetlValidationReport
 *
 * Returns: the number of failure cases of level error
 */
gint64
setl_validation_report_get_n_errors (SetlValidationReport *self)
{
  g_return_val_if_fail (SETL_IS_VALIDATION_REPORT (self), 0);
  return sum_counts (self, SETL_CHECK_LEVEL_ERROR);
}

/**
 * setl_validation_report_get_n_warnings:
 * @self: a #SetlValidationReport
 *
 * Returns: the number of failure cases of level warning
 */
gint64
setl_validation_report_get_n_warnings (SetlValidationReport *self)
{
  g_return_val_if_fail (SETL_IS_VALIDATION_REPORT (self), 0);
  return sum_counts (self, SETL_CHECK_LEVEL_WARNING);
}

/**
 * setl_validation_report_count:
 * @self: a #SetlValidationReport
 * @reason: a #SetlValidationReason
 * @column: (nullable): a column name, or %NULL for any
 * @check: (nullable): a check as the report names it (`not_nullable`,
 *   `in_range(min_value=1, max_value=5)`) or just its name (`in_range`),
 *   or %NULL for any
 *
 * Returns: the exact number of failures for @reason (of @column and
 *   @check), tolerated checks left out
 */
gint64
setl_validation_report_count (SetlValidationReport *self,
                              SetlValidationReason  reason,
                              const char           *column,
                              const char           *check)
{
  gint64 total = 0;

  g_return_val_if_fail (SETL_IS_VALIDATION_REPORT (self), 0);

  for (guint i = 0; i < self->entries->len; i++)
    {
      SetlValidationEntry *entry = g_ptr_array_index (self->entries, i);
      gsize n = check ? strlen (check) : 0;

      if (!entry_counts (entry) || entry->reason != reason)
        continue;
      if (column != NULL && g_strcmp0 (entry->column, column) != 0)
        continue;
      if (check != NULL && !g_str_equal (entry->check, check) &&
          !(strncmp (entry->check, check, n) == 0 && entry->check[n] == '('))
        continue;
      total += entry->count;
    }
  return total;
}

static SetlTable *
build_failure_cases (SetlValidationReport *self)
{
  g_autoptr(SetlColumnBuilder) context = setl_column_builder_new (SETL_DATA_TYPE_STRING);
  g_autoptr(SetlColumnBuilder) column = setl_column_builder_new (SETL_DATA_TYPE_STRING);
  g_autoptr(SetlColumnBuilder) check = setl_column_builder_new (SETL_DATA_TYPE_STRING);
  g_autoptr(SetlColumnBuilder) number = setl_column_builder_new (SETL_DATA_TYPE_INT64);
  g_autoptr(SetlColumnBuilder) failure = setl_column_builder_new (SETL_DATA_TYPE_STRING);
  g_autoptr(SetlColumnBuilder) row = setl_column_builder_new (SETL_DATA_TYPE_INT64);
  SetlColumnBuilder *builders[] = { context, column, check, number, failure, row };
  static const char *names[] = { "schema_context", "column", "check", "check_number", "failure_case", "row" };
  static const SetlDataType types[] = { SETL_DATA_TYPE_STRING, SETL_DATA_TYPE_STRING, SETL_DATA_TYPE_STRING,
                                        SETL_DATA_TYPE_INT64, SETL_DATA_TYPE_STRING, SETL_DATA_TYPE_INT64 };
  static const gboolean nullable[] = { FALSE, TRUE, FALSE, TRUE, TRUE, TRUE };
  SetlField *fields[G_N_ELEMENTS (names)];
  SetlColumn *columns[G_N_ELEMENTS (names)];
  g_autoptr(SetlRecordBatch) batch = NULL;
  SetlTable *table;

  for (guint i = 0; i < self->entries->len; i++)
    {
      SetlValidationEntry *entry = g_ptr_array_index (self->entries, i);

      if (!entry_counts (entry))
        continue;
      for (guint j = 0; j < entry->cases->len; j++)
        {
          Case *c = &g_array_index (entry->cases, Case, j);

          setl_column_builder_append_string (context, entry->schema_context, -1);
          if (entry->column)
            setl_column_builder_append_string (column, entry->column, -1);
          else
            setl_column_builder_append_null (column);
          setl_column_builder_append_string (check, entry->check, -1);
          if (entry->check_number >= 0)
            setl_column_builder_append_int64 (number, entry->check_number);
          else
            setl_column_builder_append_null (number);
          if (c->failure_case)
            setl_column_builder_append_string (failure, c->failure_case, -1);
          else
            setl_column_builder_append_null (failure);
          if (c->row >= 0)
            setl_column_builder_append_int64 (row, c->row);
          else
            setl_column_builder_append_null (row);
        }
    }

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      fields[i] = setl_field_new (names[i], types[i], nullable[i]);
      columns[i] = setl_column_builder_finish (builders[i], NULL);
    }
  batch = setl_record_batch_new (fields, G_N_ELEMENTS (names), columns, G_N_ELEMENTS (names), NULL);
  table = setl_table_new (fields, G_N_ELEMENTS (names), &batch, 1, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_object_unref (fields[i]);
      g_object_unref (columns[i]);
    }
  return table;
}

/**
 * setl_validation_report_get_failure_cases:
 * @self: a #SetlValidationReport
 *
 * The failure cases kept (at most #SetlValidator:max-failure-cases per
 * check), grouped by check in the order they were found and by row within
 * a check. Columns: `schema_context`, `column`, `check`, `check_number`,
 * `failure_case` (strings, and int64 for `check_number` and `row`).
 *
 * Returns: (transfer none): the failure-case table
 */
SetlTable *
setl_validation_report_get_failure_cases (SetlValidationReport *self)
{
  g_return_val_if_fail (SETL_IS_VALIDATION_REPORT (self), NULL);

  if (self->failure_cases == NULL)
    self->failure_cases = build_failure_cases (self);
  return self->failure_cases;
}

#define SAMPLE_SIZE 5

static JsonNode *
entry_to_json (SetlValidationEntry *entry)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "schema_context");
  json_builder_add_string_value (b, entry->schema_context);
  json_builder_set_member_name (b, "column");
  if (entry->column)
    json_builder_add_string_value (b, entry->column);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "check");
  json_builder_add_string_value (b, entry->check);
  json_builder_set_member_name (b, "check_number");
  if (entry->check_number >= 0)
    json_builder_add_int_value (b, entry->check_number);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "level");
  json_builder_add_string_value (b, entry->level == SETL_CHECK_LEVEL_WARNING ? "warning" : "error");
  json_builder_set_member_name (b, "count");
  json_builder_add_int_value (b, entry->count);
  json_builder_set_member_name (b, "kept");
  json_builder_add_int_value (b, entry->cases->len);
  if (entry->message)
    {
      json_builder_set_member_name (b, "message");
      json_builder_add_string_value (b, entry->message);
    }
  json_builder_set_member_name (b, "failure_cases");
  json_builder_begin_array (b);
  for (guint i = 0; i < entry->cases->len && i < SAMPLE_SIZE; i++)
    {
      Case *c = &g_array_index (entry->cases, Case, i);

      if (c->failure_case)
        json_builder_add_string_value (b, c->failure_case);
      else
        json_builder_add_null_value (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

/**
 * setl_validation_report_to_json_node:
 * @self: a #SetlValidationReport
 *
 * The JSON summary:
 *
 * |[
 * { "schema": "people@2", "valid": false, "complete": true,
 *   "rows": 10, "dropped_rows": 0,
 *   "failures": 4, "errors": 4, "warnings": 0,
 *   "SCHEMA": { "column_not_in_dataframe": [
 *       { "schema_context": "DataFrameSchema", "column": "email",
 *         "check": "column_in_dataframe", "check_number": null,
 *         "level": "error", "count": 1, "kept": 1, "failure_cases": ["email"] } ] },
 *   "DATA": { "check_failed": [
 *       { "schema_context": "Column", "column": "age",
 *         "check": "in_range(min_value=0, max_value=120)", "check_number": 0,
 *         "level": "error", "count": 3, "kept": 3,
 *         "failure_cases": ["-1", "200", "999"] } ] },
 *   "tolerated": [ … checks that failed values but passed by `mostly` … ] }
 * ]|
 *
 * `count` is exact; `kept` is how many failure cases the table holds;
 * `failure_cases` shows the first few.
 *
 * Returns: (transfer full): the summary
 */
JsonNode *
setl_validation_report_to_json_node (SetlValidationReport *self)
{
  g_autoptr(JsonObject) root = json_object_new ();
  g_autoptr(JsonObject) schema_group = json_object_new ();
  g_autoptr(JsonObject) data_group = json_object_new ();
  g_autoptr(JsonArray) tolerated = json_array_new ();

  g_return_val_if_fail (SETL_IS_VALIDATION_REPORT (self), NULL);

  json_object_set_string_member (root, "schema", self->schema_name);
  json_object_set_boolean_member (root, "valid", setl_validation_report_get_valid (self));
  json_object_set_boolean_member (root, "complete", self->complete);
  if (self->ran_in != NULL)
    json_object_set_string_member (root, "ran_in", self->ran_in);
  json_object_set_int_member (root, "rows", self->n_rows);
  json_object_set_int_member (root, "dropped_rows", self->n_dropped);
  json_object_set_int_member (root, "failures", sum_counts (self, -1));
  json_object_set_int_member (root, "errors", sum_counts (self, SETL_CHECK_LEVEL_ERROR));
  json_object_set_int_member (root, "warnings", sum_counts (self, SETL_CHECK_LEVEL_WARNING));

  for (guint i = 0; i < self->entries->len; i++)
    {
      SetlValidationEntry *entry = g_ptr_array_index (self->entries, i);
      JsonObject *group = setl_validation_reason_is_schema (entry->reason) ? schema_group : data_group;
      const char *reason = setl_validation_reason_to_string (entry->reason);

      if (entry->count == 0)
        continue;
      if (entry->tolerated)
        {
          JsonNode *node = entry_to_json (entry);

          json_object_set_int_member (json_node_get_object (node), "checked", entry->n_checked);
          json_array_add_element (tolerated, node);
          continue;
        }
      if (!json_object_has_member (group, reason))
        json_object_set_array_member (group, reason, json_array_new ());
      json_array_add_element (json_object_get_array_member (group, reason), entry_to_json (entry));
    }
  json_object_set_object_member (root, "SCHEMA", json_object_ref (schema_group));
  json_object_set_object_member (root, "DATA", json_object_ref (data_group));
  if (json_array_get_length (tolerated) > 0)
    json_object_set_array_member (root, "tolerated", json_array_ref (tolerated));
  return json_node_init_object (json_node_alloc (), root);
}

/**
 * setl_validation_report_to_json:
 * @self: a #SetlValidationReport
 * @pretty: whether to indent
 *
 * Returns: (transfer full): the JSON summary as text (see
 *   setl_validation_report_to_json_node())
 */
char *
setl_validation_report_to_json (SetlValidationReport *self,
                                gboolean              pretty)
{
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonGenerator) generator = json_generator_new ();

  g_return_val_if_fail (SETL_IS_VALIDATION_REPORT (self), NULL);

  node = setl_validation_report_to_json_node (self);
  json_generator_set_root (generator, node);
  json_generator_set_pretty (generator, pretty);
  json_generator_set_indent (generator, 2);
  return json_generator_to_data (generator, NULL);
}

static void
append_group (SetlValidationReport *self,
              GString              *out,
              gboolean              schema)
{
  gboolean header = FALSE;

  for (int reason = 0; reason <= SETL_VALIDATION_REASON_CHECK_ERROR; reason++)
    {
      gint64 total = 0;

      if (setl_validation_reason_is_schema (reason) != schema)
        continue;
      for (guint i = 0; i < self->entries->len; i++)
        {
          SetlValidationEntry *entry = g_ptr_array_index (self->entries, i);

          if (entry_counts (entry) && (int) entry->reason == reason)
            total += entry->count;
        }
      if (total == 0)
        continue;
      if (!header)
        g_string_append_printf (out, "%s\n", schema ? "SCHEMA" : "DATA");
      header = TRUE;
      g_string_append_printf (out, "  %s: %" G_GINT64_FORMAT "\n",
                              setl_validation_reason_to_string (reason), total);
      for (guint i = 0; i < self->entries->len; i++)
        {
          SetlValidationEntry *entry = g_ptr_array_index (self->entries, i);

          if (!entry_counts (entry) || (int) entry->reason != reason)
            continue;
          g_string_append (out, "    - ");
          if (entry->column)
            g_string_append_printf (out, "column “%s”: ", entry->column);
          g_string_append (out, entry->check);
          if (entry->level == SETL_CHECK_LEVEL_WARNING)
            g_string_append (out, " [warning]");
          g_string_append_printf (out, ": %" G_GINT64_FORMAT " failure%s", entry->count,
                                  entry->count == 1 ? "" : "s");
          if (entry->cases->len > 0 && (entry->cases->len > 1 || g_array_index (entry->cases, Case, 0).failure_case))
            {
              g_string_append (out, ", e.g. ");
              for (guint j = 0; j < entry->cases->len && j < SAMPLE_SIZE; j++)
                {
                  Case *c = &g_array_index (entry->cases, Case, j);

                  g_string_append_printf (out, "%s%s", j ? ", " : "",
                                          c->failure_case ? c->failure_case : "null");
                  if (c->row >= 0)
                    g_string_append_printf (out, " (row %" G_GINT64_FORMAT ")", c->row);
                }
              if (entry->count > SAMPLE_SIZE)
                g_string_append (out, ", …");
            }
          g_string_append_c (out, '\n');
          if (entry->message)
            g_string_append_printf (out, "      %s\n", entry->message);
        }
    }
}

/**
 * setl_validation_report_to_text:
 * @self: a #SetlValidationReport
 *
 * A summary for people: the verdict, then failures grouped as in the JSON
 * summary, with a few failing values each.
 *
 * |[
 * Schema people@2: invalid: 10 rows, 4 failures (4 errors, 0 warnings)
 * SCHEMA
 *   column_not_in_dataframe: 1
 *     - column “email”: column_in_dataframe: 1 failure, e.g. email
 * DATA
 *   check_failed: 3
 *     - column “age”: in_range(min_value=0, max_value=120): 3 failures, e.g. -1 (row 2), 200 (row 5), 999 (row 7)
 * ]|
 *
 * Returns: (transfer full): the text, ending with a newline
 */
char *
setl_validation_report_to_text (SetlValidationReport *self)
{
  GString *out;

  g_return_val_if_fail (SETL_IS_VALIDATION_REPORT (self), NULL);

  out = g_string_new (NULL);
  g_string_append_printf (out, "Schema %s: %s: %" G_GINT64_FORMAT " row%s",
                          self->schema_name,
                          setl_validation_report_get_valid (self) ? "valid" : "invalid",
                          self->n_rows, self->n_rows == 1 ? "" : "s");
  if (self->n_dropped > 0)
    g_string_append_printf (out, " (%" G_GINT64_FORMAT " dropped)", self->n_dropped);
  g_string_append_printf (out, ", %" G_GINT64_FORMAT " failure%s (%" G_GINT64_FORMAT " error%s, %"
                          G_GINT64_FORMAT " warning%s)%s\n",
                          sum_counts (self, -1), sum_counts (self, -1) == 1 ? "" : "s",
                          sum_counts (self, SETL_CHECK_LEVEL_ERROR),
                          sum_counts (self, SETL_CHECK_LEVEL_ERROR) == 1 ? "" : "s",
                          sum_counts (self, SETL_CHECK_LEVEL_WARNING),
                          sum_counts (self, SETL_CHECK_LEVEL_WARNING) == 1 ? "" : "s",
                          self->complete ? "" : " — stopped early, not every row was validated");
  /* Said only when the checks ran as SQL in a database: unusual enough to
   * be worth a line. */
  if (self->ran_in != NULL && !g_str_equal (self->ran_in, "client"))
    g_string_append_printf (out, "Validated in the database, as SQL: %s\n", self->ran_in);
  append_group (self, out, TRUE);
  append_group (self, out, FALSE);
  for (guint i = 0; i < self->entries->len; i++)
    {
      SetlValidationEntry *entry = g_ptr_array_index (self->entries, i);

      if (entry->tolerated && entry->count > 0)
        g_string_append_printf (out, "tolerated: column “%s”: %s: %" G_GINT64_FORMAT " of %"
                                G_GINT64_FORMAT " values failed, within mostly\n",
                                entry->column ? entry->column : "(table)", entry->check,
                                entry->count, entry->n_checked);
    }
  return g_string_free (out, FALSE);
}
