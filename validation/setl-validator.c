/* setl-validator.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/**
 * SetlValidator:
 *
 * Validates data against a #SetlSchema, batch by batch, the way Pandera
 * validates a DataFrame: the columns' presence, order and types (the
 * schema level), then nulls, coercion, uniqueness and checks (the data
 * level), gathering failures into a #SetlValidationReport.
 *
 * |[<!-- language="C" -->
 * g_autoptr(SetlSchema) schema = setl_schema_new_from_file ("people.json", &error);
 * g_autoptr(SetlValidator) validator = setl_validator_new (schema, NULL, &error);
 * // every failure, not just the first
 * setl_validator_set_lazy (validator, TRUE);
 * g_autoptr(SetlValidationReport) report =
 *   setl_validator_validate (validator, SETL_BATCH_STREAM (table), NULL, &error);
 * if (!setl_validation_report_get_valid (report))
 *   g_print ("%s", setl_validation_report_to_text (report));
 * ]|
 *
 * Creating a validator builds every check the schema names (see
 * #SetlCheckCatalog), so that an unknown check, a wrong parameter or a
 * check that does not apply to its column's type is refused there, with
 * the schema file, line, column and check in the message.
 *
 * **Streaming.** Validation reads each batch once and keeps only what
 * uniqueness needs (the values seen, see #SetlSchemaColumn:unique) and
 * the state of aggregate checks: memory does not grow with the data
 * otherwise. setl_validator_filter() validates as a consumer reads, and
 * passes on the data coerced to the schema's types, without the columns a
 * `"strict": "filter"` schema leaves out, and without the failing rows
 * when #SetlValidator:drop-invalid-rows is set.
 *
 * **Lazy or eager.** An eager validator (the default, as in Pandera) stops
 * at the first batch with a failure of level error; a lazy one validates
 * everything and reports every failure.
 *
 * **Semantics**, following Pandera: a null in a column that is not
 * nullable is one `not_nullable` failure per null; checks ignore nulls; a
 * column of the wrong type is a `wrong_dtype` failure and its checks do not
 * run, unless the column (or schema) has `coerce`, in which case values
 * that do not convert are `coercion_failed` failures; duplicates follow
 * `report_duplicates`.
 */
#include "setl-validation-private.h"

struct _SetlValidator
{
  GObject parent_instance;

  SetlValidatorPlan plan;
  SetlCheckCatalog *catalog;
};

enum {
  PROP_0,
  PROP_SCHEMA,
  PROP_LAZY,
  PROP_DEPTH,
  PROP_MAX_FAILURE_CASES,
  PROP_DROP_INVALID_ROWS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (SetlValidator, setl_validator, G_TYPE_OBJECT)

G_DEFINE_ENUM_TYPE (SetlValidationDepth, setl_validation_depth,
  G_DEFINE_ENUM_VALUE (SETL_VALIDATION_DEPTH_SCHEMA_AND_DATA, "schema-and-data"),
  G_DEFINE_ENUM_VALUE (SETL_VALIDATION_DEPTH_SCHEMA_ONLY, "schema-only"),
  G_DEFINE_ENUM_VALUE (SETL_VALIDATION_DEPTH_DATA_ONLY, "data-only"))

G_DEFINE_ENUM_TYPE (SetlValidationError, setl_validation_error,
  G_DEFINE_ENUM_VALUE (SETL_VALIDATION_ERROR_UNKNOWN_CHECK, "unknown-check"),
  G_DEFINE_ENUM_VALUE (SETL_VALIDATION_ERROR_INVALID_CHECK, "invalid-check"),
  G_DEFINE_ENUM_VALUE (SETL_VALIDATION_ERROR_INVALID_SCHEMA, "invalid-schema"),
  G_DEFINE_ENUM_VALUE (SETL_VALIDATION_ERROR_FAILED, "failed"))

G_DEFINE_QUARK (setl-validation-error-quark, setl_validation_error)

static void
validator_check_free (gpointer data)
{
  SetlValidatorCheck *check = data;

  g_clear_object (&check->check);
  g_clear_object (&check->reference);
  g_free (check->description);
  g_free (check);
}

static void
validator_column_free (gpointer data)
{
  SetlValidatorColumn *column = data;

  g_ptr_array_unref (column->checks);
  g_free (column);
}

static void
setl_validator_finalize (GObject *object)
{
  SetlValidator *self = SETL_VALIDATOR (object);

  g_clear_object (&self->plan.schema);
  g_free (self->plan.schema_name);
  g_clear_pointer (&self->plan.columns, g_ptr_array_unref);
  g_clear_pointer (&self->plan.table_checks, g_ptr_array_unref);
  g_clear_object (&self->catalog);

  G_OBJECT_CLASS (setl_validator_parent_class)->finalize (object);
}

static void
setl_validator_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  SetlValidator *self = SETL_VALIDATOR (object);

  switch (prop_id)
    {
    case PROP_SCHEMA:
      g_value_set_object (value, self->plan.schema);
      break;
    case PROP_LAZY:
      g_value_set_boolean (value, self->plan.lazy);
      break;
    case PROP_DEPTH:
      g_value_set_enum (value, self->plan.depth);
      break;
    case PROP_MAX_FAILURE_CASES:
      g_value_set_uint (value, self->plan.max_failure_cases);
      break;
    case PROP_DROP_INVALID_ROWS:
      g_value_set_boolean (value, self->plan.drop_invalid_rows);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
setl_validator_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  SetlValidator *self = SETL_VALIDATOR (object);

  switch (prop_id)
    {
    case PROP_LAZY:
      setl_validator_set_lazy (self, g_value_get_boolean (value));
      break;
    case PROP_DEPTH:
      setl_validator_set_depth (self, g_value_get_enum (value));
      break;
    case PROP_MAX_FAILURE_CASES:
      setl_validator_set_max_failure_cases (self, g_value_get_uint (value));
      break;
    case PROP_DROP_INVALID_ROWS:
      setl_validator_set_drop_invalid_rows (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
setl_validator_class_init (SetlValidatorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = setl_validator_finalize;
  object_class->get_property = setl_validator_get_property;
  object_class->set_property = setl_validator_set_property;

  /**
   * SetlValidator:schema:
   *
   * The schema data is validated against.
   */
  properties[PROP_SCHEMA] =
    g_param_spec_object ("schema", "Schema", "The schema data is validated against",
                         SETL_TYPE_SCHEMA,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /**
   * SetlValidator:lazy:
   *
   * Whether to validate everything and report every failure (%TRUE), or
   * to stop at the first batch with a failure of level error (%FALSE, the
   * default, as Pandera's `lazy=False`).
   */
  properties[PROP_LAZY] =
    g_param_spec_boolean ("lazy", "Lazy", "Report every failure rather than stop at the first",
                          FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * SetlValidator:depth:
   *
   * What is validated: the table's shape, its values, or both.
   */
  properties[PROP_DEPTH] =
    g_param_spec_enum ("depth", "Depth", "Validate the schema, the data, or both",
                       SETL_TYPE_VALIDATION_DEPTH, SETL_VALIDATION_DEPTH_SCHEMA_AND_DATA,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * SetlValidator:max-failure-cases:
   *
   * How many failure cases the report keeps per check; counts stay exact.
   */
  properties[PROP_MAX_FAILURE_CASES] =
    g_param_spec_uint ("max-failure-cases", "Max failure cases",
                       "Failure cases kept per check (counts stay exact)",
                       0, G_MAXUINT, SETL_VALIDATION_DEFAULT_MAX_FAILURE_CASES,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * SetlValidator:drop-invalid-rows:
   *
   * Whether setl_validator_filter() leaves out the rows that fail (and
   * counts them in the report) rather than pass them on. Failures of
   * level warning and checks with a `mostly` below 1 drop no row.
   */
  properties[PROP_DROP_INVALID_ROWS] =
    g_param_spec_boolean ("drop-invalid-rows", "Drop invalid rows",
                          "Leave failing rows out of the filtered output",
                          FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
setl_validator_init (SetlValidator *self)
{
  self->plan.max_failure_cases = SETL_VALIDATION_DEFAULT_MAX_FAILURE_CASES;
  self->plan.depth = SETL_VALIDATION_DEPTH_SCHEMA_AND_DATA;
  self->plan.columns = g_ptr_array_new_with_free_func (validator_column_free);
  self->plan.table_checks = g_ptr_array_new_with_free_func (validator_check_free);
}

static char *
type_list (SetlCheck *check)
{
  g_autofree SetlDataType *types = NULL;
  GString *out = g_string_new (NULL);
  guint n;

  types = setl_check_get_supported_types (check, &n);
  for (guint i = 0; i < n; i++)
    g_string_append_printf (out, "%s%s", i ? ", " : "", setl_data_type_to_string (types[i]));
  return g_string_free (out, FALSE);
}

static SetlValidatorCheck *
build_check (SetlValidator    *self,
             SetlSchemaCheck  *reference,
             SetlSchemaColumn *column,
             GError          **error)
{
  g_autoptr(SetlCheck) check = NULL;
  g_autofree char *where = NULL;
  SetlValidatorCheck *out;
  gboolean aggregate, table;

  check = setl_check_catalog_create (self->catalog, reference, error);
  if (check == NULL)
    return NULL;

  aggregate = SETL_IS_AGGREGATE_CHECK (check);
  table = aggregate && setl_aggregate_check_is_table_check (SETL_AGGREGATE_CHECK (check));
  where = _setl_check_catalog_describe_reference (reference);
  if (column == NULL && !table)
    {
      g_set_error (error, SETL_VALIDATION_ERROR, SETL_VALIDATION_ERROR_INVALID_CHECK,
                   "%s: “%s” checks column values: list it in a column's “checks”, "
                   "not in the schema's", where, setl_schema_check_get_name (reference));
      return NULL;
    }
  if (column != NULL && table)
    {
      g_set_error (error, SETL_VALIDATION_ERROR, SETL_VALIDATION_ERROR_INVALID_CHECK,
                   "%s: “%s” is a table check: list it in the schema's “checks”, "
                   "not in a column's", where, setl_schema_check_get_name (reference));
      return NULL;
    }
  if (column != NULL && !setl_check_supports_type (check, setl_schema_column_get_data_type (column)))
    {
      g_autofree char *types = type_list (check);

      g_set_error (error, SETL_VALIDATION_ERROR, SETL_VALIDATION_ERROR_INVALID_CHECK,
                   "%s: “%s” does not apply to %s columns (it takes: %s)", where,
                   setl_schema_check_get_name (reference),
                   setl_data_type_to_string (setl_schema_column_get_data_type (column)), types);
      return NULL;
    }

  /* A dry run on no rows: parameters that only make sense for the
   * column's type (a date bound, a number for an int64 column) are checked
   * now rather than on the first batch. */
  if (column != NULL && !aggregate)
    {
      g_autoptr(SetlColumnBuilder) builder = setl_column_builder_new (setl_schema_column_get_data_type (column));
      g_autoptr(SetlColumn) empty = setl_column_builder_finish (builder, NULL);
      g_autoptr(SetlColumn) result = NULL;
      g_autoptr(GError) local = NULL;

      result = setl_check_check_column (check, empty, &local);
      if (result == NULL)
        {
          g_set_error (error, SETL_VALIDATION_ERROR, SETL_VALIDATION_ERROR_INVALID_CHECK,
                       "%s: %s", where, local->message);
          return NULL;
        }
    }

  out = g_new0 (SetlValidatorCheck, 1);
  out->check = g_steal_pointer (&check);
  out->reference = g_object_ref (reference);
  out->description = setl_schema_check_describe (reference);
  out->aggregate = aggregate;
  return out;
}

static gboolean
compile (SetlValidator  *self,
         GError        **error)
{
  SetlSchema *schema = self->plan.schema;
  GPtrArray *table_checks;

  if (setl_schema_get_version (schema) > 0)
    self->plan.schema_name = g_strdup_printf ("%s@%u", setl_schema_get_name (schema),
                                              setl_schema_get_version (schema));
  else
    self->plan.schema_name = g_strdup (setl_schema_get_name (schema));

  for (guint i = 0; i < setl_schema_get_n_columns (schema); i++)
    {
      SetlSchemaColumn *column = setl_schema_get_column (schema, i);
      SetlValidatorColumn *plan = g_new0 (SetlValidatorColumn, 1);
      GPtrArray *checks = setl_schema_column_get_checks (column);

      plan->column = column;
      plan->name = setl_schema_column_get_name (column);
      plan->type = setl_schema_column_get_data_type (column);
      plan->nullable = setl_schema_column_get_nullable (column);
      plan->required = setl_schema_column_get_required (column);
      plan->unique = setl_schema_column_get_unique (column);
      plan->coerce = setl_schema_column_get_coerce (column) || setl_schema_get_coerce (schema);
      plan->report_duplicates = setl_schema_column_get_report_duplicates (column);
      plan->checks = g_ptr_array_new_with_free_func (validator_check_free);
      g_ptr_array_add (self->plan.columns, plan);

      for (guint j = 0; j < checks->len; j++)
        {
          SetlValidatorCheck *check = build_check (self, g_ptr_array_index (checks, j), column, error);

          if (check == NULL)
            return FALSE;
          g_ptr_array_add (plan->checks, check);
        }
    }

  table_checks = setl_schema_get_checks (schema);
  for (guint j = 0; j < table_checks->len; j++)
    {
      SetlValidatorCheck *check = build_check (self, g_ptr_array_index (table_checks, j), NULL, error);

      if (check == NULL)
        return FALSE;
      g_ptr_array_add (self->plan.table_checks, check);
    }
  return TRUE;
}

/**
 * setl_validator_new:
 * @schema: the schema to validate against
 * @catalog: (nullable): where to find the checks the schema names, %NULL
 *   for setl_check_catalog_get_default()
 * @error: return location for a #GError
 *
 * Builds a validator, and every check of @schema with it.
 *
 * Returns: (transfer full): the validator; %NULL with @error set in the
 *   %SETL_VALIDATION_ERROR domain (an unknown check, a wrong parameter such
 *   as an empty interval, a check for another column type), the message
 *   naming the schema file, line, column and check
 */
SetlValidator *
setl_validator_new (SetlSchema        *schema,
                    SetlCheckCatalog  *catalog,
                    GError           **error)
{
  g_autoptr(SetlValidator) self = NULL;

  g_return_val_if_fail (SETL_IS_SCHEMA (schema), NULL);
  g_return_val_if_fail (catalog == NULL || SETL_IS_CHECK_CATALOG (catalog), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_object_new (SETL_TYPE_VALIDATOR, NULL);
  self->plan.schema = g_object_ref (schema);
  self->catalog = g_object_ref (catalog ? catalog : setl_check_catalog_get_default ());
  if (!compile (self, error))
    return NULL;
  return g_steal_pointer (&self);
}

SetlValidatorPlan *
_setl_validator_get_plan (SetlValidator *self)
{
  return &self->plan;
}

/**
 * setl_validator_get_schema:
 * @self: a #SetlValidator
 *
 * Returns: (transfer none): the schema
 */
SetlSchema *
setl_validator_get_schema (SetlValidator *self)
{
  g_return_val_if_fail (SETL_IS_VALIDATOR (self), NULL);
  return self->plan.schema;
}

/**
 * setl_validator_get_catalog:
 * @self: a #SetlValidator
 *
 * Returns: (transfer none): where the validator found its checks
 */
SetlCheckCatalog *
setl_validator_get_catalog (SetlValidator *self)
{
  g_return_val_if_fail (SETL_IS_VALIDATOR (self), NULL);
  return self->catalog;
}

/**
 * setl_validator_get_lazy:
 * @self: a #SetlValidator
 *
 * Returns: whether validation reports every failure
 */
gboolean
setl_validator_get_lazy (SetlValidator *self)
{
  g_return_val_if_fail (SETL_IS_VALIDATOR (self), FALSE);
  return self->plan.lazy;
}

/**
 * setl_validator_set_lazy:
 * @self: a #SetlValidator
 * @lazy: whether to report every failure rather than stop at the first
 *
 * Sets #SetlValidator:lazy.
 */
void
setl_validator_set_lazy (SetlValidator *self,
                         gboolean       lazy)
{
  g_return_if_fail (SETL_IS_VALIDATOR (self));

  lazy = !!lazy;
  if (self->plan.lazy == lazy)
    return;
  self->plan.lazy = lazy;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAZY]);
}

/**
 * setl_validator_get_depth:
 * @self: a #SetlValidator
 *
 * Returns: what validation looks at
 */
SetlValidationDepth
setl_validator_get_depth (SetlValidator *self)
{
  g_return_val_if_fail (SETL_IS_VALIDATOR (self), SETL_VALIDATION_DEPTH_SCHEMA_AND_DATA);
  return self->plan.depth;
}

/**
 * setl_validator_set_depth:
 * @self: a #SetlValidator
 * @depth: what to validate
 *
 * Sets #SetlValidator:depth.
 */
void
setl_validator_set_depth (SetlValidator       *self,
                          SetlValidationDepth  depth)
{
  g_return_if_fail (SETL_IS_VALIDATOR (self));
  g_return_if_fail ((guint) depth <= SETL_VALIDATION_DEPTH_DATA_ONLY);

  if (self->plan.depth == depth)
    return;
  self->plan.depth = depth;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DEPTH]);
}

/**
 * setl_validator_get_max_failure_cases:
 * @self: a #SetlValidator
 *
 * Returns: how many failure cases reports keep per check
 */
guint
setl_validator_get_max_failure_cases (SetlValidator *self)
{
  g_return_val_if_fail (SETL_IS_VALIDATOR (self), 0);
  return self->plan.max_failure_cases;
}

/**
 * setl_validator_set_max_failure_cases:
 * @self: a #SetlValidator
 * @max: how many failure cases to keep per check
 *
 * Sets #SetlValidator:max-failure-cases. Counts stay exact whatever @max.
 */
void
setl_validator_set_max_failure_cases (SetlValidator *self,
                                      guint          max)
{
  g_return_if_fail (SETL_IS_VALIDATOR (self));

  if (self->plan.max_failure_cases == max)
    return;
  self->plan.max_failure_cases = max;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_FAILURE_CASES]);
}

/**
 * setl_validator_get_drop_invalid_rows:
 * @self: a #SetlValidator
 *
 * Returns: whether setl_validator_filter() drops failing rows
 */
gboolean
setl_validator_get_drop_invalid_rows (SetlValidator *self)
{
  g_return_val_if_fail (SETL_IS_VALIDATOR (self), FALSE);
  return self->plan.drop_invalid_rows;
}

/**
 * setl_validator_set_drop_invalid_rows:
 * @self: a #SetlValidator
 * @drop: whether to drop failing rows
 *
 * Sets #SetlValidator:drop-invalid-rows.
 */
void
setl_validator_set_drop_invalid_rows (SetlValidator *self,
                                      gboolean       drop)
{
  g_return_if_fail (SETL_IS_VALIDATOR (self));

  drop = !!drop;
  if (self->plan.drop_invalid_rows == drop)
    return;
  self->plan.drop_invalid_rows = drop;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DROP_INVALID_ROWS]);
}

/**
 * setl_validator_get_n_checks:
 * @self: a #SetlValidator
 *
 * Returns: the number of checks built from the schema, column checks (in
 *   column order) then table checks
 */
guint
setl_validator_get_n_checks (SetlValidator *self)
{
  guint n = 0;

  g_return_val_if_fail (SETL_IS_VALIDATOR (self), 0);

  for (guint i = 0; i < self->plan.columns->len; i++)
    n += ((SetlValidatorColumn *) g_ptr_array_index (self->plan.columns, i))->checks->len;
  return n + self->plan.table_checks->len;
}

/**
 * setl_validator_get_check:
 * @self: a #SetlValidator
 * @index: below setl_validator_get_n_checks()
 * @reference: (out) (transfer none) (optional): the schema's entry for it
 *
 * The checks as built, for tools that synthesize or push checks down.
 *
 * Returns: (transfer none): the check at @index
 */
SetlCheck *
setl_validator_get_check (SetlValidator    *self,
                          guint             index,
                          SetlSchemaCheck **reference)
{
  SetlValidatorCheck *check = NULL;

  g_return_val_if_fail (SETL_IS_VALIDATOR (self), NULL);

  for (guint i = 0; i < self->plan.columns->len && check == NULL; i++)
    {
      GPtrArray *checks = ((SetlValidatorColumn *) g_ptr_array_index (self->plan.columns, i))->checks;

      if (index < checks->len)
        check = g_ptr_array_index (checks, index);
      else
        index -= checks->len;
    }
  if (check == NULL)
    {
      g_return_val_if_fail (index < self->plan.table_checks->len, NULL);
      check = g_ptr_array_index (self->plan.table_checks, index);
    }
  if (reference)
    *reference = check->reference;
  return check->check;
}

/**
 * setl_validator_validate:
 * @self: a #SetlValidator
 * @data: the data: a #SetlTable or any #SetlBatchStream
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Validates @data in one pass. Invalid data is not an error: the report
 * says what fails (setl_validation_report_get_valid()).
 *
 * Returns: (transfer full): the report; %NULL with @error set if the data
 *   could not be read, a check could not run, or @cancellable was cancelled
 */
SetlValidationReport *
setl_validator_validate (SetlValidator  *self,
                         SetlBatchStream *data,
                         GCancellable   *cancellable,
                         GError        **error)
{
  g_autoptr(SetlValidationReport) report = NULL;
  g_autoptr(SetlBatchIterator) iterator = NULL;
  SetlField **fields = NULL;
  SetlValidatorRun *run;
  gboolean ok = TRUE, complete = TRUE;
  guint n_fields = 0;

  g_return_val_if_fail (SETL_IS_VALIDATOR (self), NULL);
  g_return_val_if_fail (SETL_IS_BATCH_STREAM (data), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  report = _setl_validation_report_new (self->plan.schema_name, self->plan.max_failure_cases);
  run = _setl_validator_run_new (self, report, FALSE);

  fields = setl_batch_stream_get_fields (data, &n_fields);
  ok = _setl_validator_run_start (run, fields, n_fields, error);
  if (ok && _setl_validator_run_should_stop (run))
    complete = FALSE;
  else if (ok && self->plan.depth != SETL_VALIDATION_DEPTH_SCHEMA_ONLY)
    {
      /* The next batches are read (parsed) on another core while this one
       * is validated. */
      iterator = setl_batch_stream_open_read_ahead (data, 2, cancellable, error);
      ok = iterator != NULL;
      while (ok)
        {
          g_autoptr(SetlRecordBatch) batch = NULL;
          GError *local = NULL;

          if (g_cancellable_set_error_if_cancelled (cancellable, error))
            {
              ok = FALSE;
              break;
            }
          batch = setl_batch_iterator_next (iterator, cancellable, &local);
          if (batch == NULL)
            {
              if (local != NULL)
                {
                  g_propagate_error (error, local);
                  ok = FALSE;
                }
              break;
            }
          ok = _setl_validator_run_batch (run, batch, NULL, error);
          if (ok && _setl_validator_run_should_stop (run))
            {
              complete = FALSE;
              break;
            }
        }
      /* Stops the reader before the run's state goes. */
      g_clear_object (&iterator);
    }
  if (ok)
    ok = _setl_validator_run_finish (run, complete, error);
  _setl_validator_run_free (run);
  return ok ? g_steal_pointer (&report) : NULL;
}

/**
 * setl_validator_filter:
 * @self: a #SetlValidator
 * @data: the data to validate as it is read
 * @report: (out) (transfer full) (optional): the report, filled in as the
 *   returned stream is read and complete once it has been read to the end
 *
 * Validates @data while a consumer reads it: the returned stream gives
 * @data's batches coerced to the schema's types, without the columns a
 * `"strict": "filter"` schema leaves out, and without the failing rows if
 * #SetlValidator:drop-invalid-rows is set. Each pass over the stream (each
 * setl_batch_stream_open()) validates again and starts the report afresh.
 *
 * An eager validator that finds a failure of level error, without
 * drop-invalid-rows, makes the stream fail (%SETL_VALIDATION_ERROR_FAILED,
 * naming the failure); a lazy one lets it end normally and the report
 * says what failed.
 *
 * Returns: (transfer full): the validated stream
 */
SetlBatchStream *
setl_validator_filter (SetlValidator         *self,
                       SetlBatchStream       *data,
                       SetlValidationReport **report)
{
  g_autoptr(SetlValidationReport) r = NULL;

  g_return_val_if_fail (SETL_IS_VALIDATOR (self), NULL);
  g_return_val_if_fail (SETL_IS_BATCH_STREAM (data), NULL);

  r = _setl_validation_report_new (self->plan.schema_name, self->plan.max_failure_cases);
  if (report)
    *report = g_object_ref (r);
  return _setl_validated_stream_new (self, data, r);
}
