/* setl-synthesizer.c: SetlSynthesizer — the type, its construction from
 * a schema (each column's checks merged, the targets invalid rows can
 * break, the schema's unique combinations and table checks) and its entry
 * points. The work is done in the setl-synth-*.c files and the stream
 * types (see setl-synthesizer-private.h for which does what).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/**
 * SetlSynthesizer:
 *
 * Makes data for tests from a schema: rows that satisfy every check
 * (setl_synthesizer_generate_stream(), setl_synthesizer_generate()), or
 * rows that each break exactly one named check
 * (setl_synthesizer_generate_invalid_stream(),
 * setl_synthesizer_generate_invalid()).
 *
 * |[<!-- language="C" -->
 * g_autoptr(SetlSynthesizer) synth = setl_synthesizer_new (schema, NULL, &error);
 * setl_synthesizer_set_seed (synth, 42);
 * g_autoptr(SetlBatchStream) rows = setl_synthesizer_generate_stream (synth, 1000000, &error);
 * // hand @rows to a sink: batches are made as the sink reads them
 * ]|
 *
 * **Merging.** The constraints the built-in checks state on a column are
 * merged when the synthesizer is made: bounds (`eq`, `gt`, `ge`, `lt`,
 * `le`, `in_range`) into one interval, `isin`/`eq` into one set of allowed
 * values, `ne`/`notin` into forbidden ones, `str_length` into one length
 * range (in characters), `str_startswith`/`str_endswith` into a prefix and
 * a suffix. Contradictory constraints — an empty interval, allowed values
 * that the other checks all refuse, two prefixes that differ — are refused
 * there, with an error naming the column and the checks.
 *
 * **Any check.** Values drawn from the merged constraints are then run
 * through every check of the column, third-party ones included; a value
 * that fails is drawn again, from the synthesis hook of the check it fails
 * (#SetlCheckClass.synthesize) when the check has one — so a check library
 * that can generate passing values makes its checks usable here — or,
 * for a check with a `pattern` (a regular expression) and no hook, from a
 * string sampled from the expression.
 *
 * **The whole data.** Uniqueness (columns and the schema's unique column
 * combinations) is kept by redrawing a value or a combination already
 * used; a domain too small for the rows is refused before anything is
 * made. Aggregate checks are aimed at: a column's nulls are counted
 * exactly (`null_fraction_in_range`, or the null probability), its values
 * drawn from a pool of exactly as many distinct values as
 * `distinct_count_in_range` asks, and its numbers steered towards the
 * mean `mean_in_range` asks with the spread `stddev_in_range` asks: each
 * value is drawn around what the values still to come must average to
 * reach both, so the last ones land them.
 * Table checks: a number of rows outside `row_count_in_range`, or a
 * `column_set` the schema's columns do not satisfy, is refused. The rows
 * are finally validated as a whole as they are made: rows that fail give
 * an error, never wrong data.
 *
 * **Streaming.** Rows are made batch by batch as a consumer reads the
 * stream, so memory stays one batch, plus the hashes of the values of the
 * unique columns and combinations (16 to 32 bytes a row, like the validator's
 * own uniqueness index) and the pool of a distinct-count column. Each pass
 * over a stream makes the same rows: a seed gives the same data.
 *
 * **Invalid rows.** Each row breaks one target, in turn: a null in a
 * column that is not nullable, a value that fails one check (of level
 * error, `mostly` 1) and passes the column's others, or — when
 * `report_duplicates` is `exclude_first`, the one mode where a repeat
 * makes exactly one row fail — a value of a unique column or a unique
 * combination of columns repeating an earlier row's; the other columns of
 * the row hold valid values. The #SetlSynthesizer::targets signal (and the
 * targets table of setl_synthesizer_generate_invalid()) says which target
 * each row breaks, as the validation report names it (column, check, check
 * number, reason). What no row can break alone — a check no value fails
 * while passing the others, uniqueness in another mode, aggregate and
 * table checks — is left out: setl_synthesizer_get_unbreakable().
 */
#include "setl-synthesizer-private.h"
#include "setl-synth-column.h"
#include "setl-synth-invalid.h"
#include "setl-synth-pass.h"
#include "setl-synth-plan.h"
#include "setl-synth-values.h"
#include "setl-synthesized-stream.h"

#define DEFAULT_BATCH_ROWS 65536

G_DEFINE_FINAL_TYPE (SetlSynthesizer, setl_synthesizer, G_TYPE_OBJECT)

enum { SIGNAL_TARGETS, N_SIGNALS };
static guint signals[N_SIGNALS];

static void
combo_gen_free (gpointer data)
{
  ComboGen *combo = data;

  g_free (combo->columns);
  g_free (combo->names);
  g_free (combo);
}

static void
setl_synthesizer_finalize (GObject *object)
{
  SetlSynthesizer *self = SETL_SYNTHESIZER (object);

  g_clear_pointer (&self->columns, g_ptr_array_unref);
  g_clear_pointer (&self->combos, g_ptr_array_unref);
  g_clear_pointer (&self->targets, g_ptr_array_unref);
  g_clear_pointer (&self->never, g_ptr_array_unref);
  g_clear_pointer (&self->unbreakable, g_ptr_array_unref);
  g_clear_object (&self->validator);

  G_OBJECT_CLASS (setl_synthesizer_parent_class)->finalize (object);
}

static void
setl_synthesizer_class_init (SetlSynthesizerClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = setl_synthesizer_finalize;

  /**
   * SetlSynthesizer::targets:
   * @self: the synthesizer
   * @targets: which target each row of the batch just made breaks: a
   *   batch with columns row (over the whole stream), column, check,
   *   check_number and reason, as the validation report names them
   *
   * Emitted by a stream of setl_synthesizer_generate_invalid_stream() for
   * each batch of rows it makes, before the batch is returned, on the
   * thread reading the stream: write the targets out as they come and
   * memory stays bounded.
   */
  signals[SIGNAL_TARGETS] =
    g_signal_new ("targets", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, SETL_TYPE_RECORD_BATCH);
}

static void
setl_synthesizer_init (SetlSynthesizer *self)
{
  self->columns = g_ptr_array_new_with_free_func (_setl_synth_column_gen_free);
  self->combos = g_ptr_array_new_with_free_func (combo_gen_free);
  self->targets = g_ptr_array_new_with_free_func (g_free);
  self->never = g_ptr_array_new_with_free_func (g_free);
  self->unbreakable = g_ptr_array_new_with_free_func (g_free);
  self->min_rows = self->max_rows = -1;
  self->seed = 1;
  self->batch_size = DEFAULT_BATCH_ROWS;
}

void
_setl_synthesizer_emit_targets (SetlSynthesizer *self,
                                SetlRecordBatch *targets)
{
  g_signal_emit (self, signals[SIGNAL_TARGETS], 0, targets);
}

/* ---- construction ------------------------------------------------------ */

static gboolean
prepare_column (SetlSynthesizer      *self,
                SetlValidatorColumn  *vc,
                GError              **error)
{
  ColumnGen *gen = _setl_synth_column_gen_new (vc);

  g_ptr_array_add (self->columns, gen);
  if (!_setl_synth_column_gen_merge (gen, self->never, error))
    return FALSE;

  /* Targets for invalid rows. */
  if (!vc->nullable)
    {
      Target *t = g_new0 (Target, 1);

      t->kind = TARGET_NULL;
      t->column = self->columns->len - 1;
      g_ptr_array_add (self->targets, t);
    }
  for (guint c = 0; c < gen->verify->len; c++)
    {
      SetlValidatorCheck *vcheck = g_ptr_array_index (gen->verify, c);
      Target *t;

      /* A warning, or a check passing on "mostly", makes no row fail. */
      if (setl_check_get_level (vcheck->check) != SETL_CHECK_LEVEL_ERROR ||
          setl_check_get_mostly (vcheck->check) < 1.0)
        continue;
      t = g_new0 (Target, 1);
      t->kind = TARGET_CHECK;
      t->column = self->columns->len - 1;
      t->check = vcheck;
      g_ptr_array_add (self->targets, t);
    }
  if (vc->unique && vc->report_duplicates == SETL_SCHEMA_REPORT_DUPLICATES_EXCLUDE_FIRST)
    {
      Target *t = g_new0 (Target, 1);

      t->kind = TARGET_DUPLICATE;
      t->column = self->columns->len - 1;
      g_ptr_array_add (self->targets, t);
    }
  else if (vc->unique)
    /* A repeat makes two rows fail (or the first one only). */
    g_ptr_array_add (self->never, g_strdup_printf ("%s: field_uniqueness", vc->name));
  return TRUE;
}

static int
column_index (SetlSynthesizer *self,
              const char      *name)
{
  for (guint i = 0; i < self->columns->len; i++)
    if (g_str_equal (((ColumnGen *) g_ptr_array_index (self->columns, i))->vc->name, name))
      return (int) i;
  return -1;
}

/* Whether every column of @inner is among @outer's. */
static gboolean
combo_covers (const guint *outer,
              guint        n_outer,
              const guint *inner,
              guint        n_inner)
{
  for (guint i = 0; i < n_inner; i++)
    {
      gboolean found = FALSE;

      for (guint j = 0; j < n_outer && !found; j++)
        found = outer[j] == inner[i];
      if (!found)
        return FALSE;
    }
  return TRUE;
}

/* The schema's unique combinations and table checks. */
static gboolean
prepare_schema (SetlSynthesizer  *self,
                SetlValidatorPlan *plan,
                GError          **error)
{
  SetlSchema *schema = plan->schema;
  gboolean exclude_first = setl_schema_get_report_duplicates (schema) == SETL_SCHEMA_REPORT_DUPLICATES_EXCLUDE_FIRST;

  for (guint k = 0; k < setl_schema_get_n_unique (schema); k++)
    {
      const char * const *names = setl_schema_get_unique (schema, k);
      ComboGen *combo = g_new0 (ComboGen, 1);

      combo->n = g_strv_length ((char **) names);
      combo->columns = g_new0 (guint, MAX (combo->n, 1));
      combo->names = g_strjoinv (", ", (char **) names);
      g_ptr_array_add (self->combos, combo);
      for (guint j = 0; j < combo->n; j++)
        {
          int index = column_index (self, names[j]);

          if (index < 0)
            {
              g_set_error (error, SETL_VALIDATION_ERROR, SETL_VALIDATION_ERROR_INVALID_SCHEMA,
                           "schema “%s”: the unique combination %s names “%s”, which is not a column",
                           setl_schema_get_name (schema), combo->names, names[j]);
              return FALSE;
            }
          combo->columns[j] = (guint) index;
        }
    }

  /* A repeated combination is a target when it makes exactly one row fail:
   * exclude_first, and no other uniqueness (a unique column, a smaller
   * combination) within it, which the repeat would break too. */
  for (guint k = 0; k < self->combos->len; k++)
    {
      ComboGen *combo = g_ptr_array_index (self->combos, k);
      gboolean alone = exclude_first;

      for (guint j = 0; j < combo->n && alone; j++)
        alone = !((ColumnGen *) g_ptr_array_index (self->columns, combo->columns[j]))->vc->unique;
      for (guint m = 0; m < self->combos->len && alone; m++)
        {
          ComboGen *other = g_ptr_array_index (self->combos, m);

          if (m != k && combo_covers (combo->columns, combo->n, other->columns, other->n) &&
              (other->n < combo->n || m < k))
            alone = FALSE;
        }
      if (alone)
        {
          Target *t = g_new0 (Target, 1);

          t->kind = TARGET_COMBINATION;
          t->column = k;
          g_ptr_array_add (self->targets, t);
        }
      else
        g_ptr_array_add (self->never, g_strdup_printf ("%s: multiple_fields_uniqueness", combo->names));
    }

  for (guint i = 0; i < plan->table_checks->len; i++)
    {
      SetlValidatorCheck *vcheck = g_ptr_array_index (plan->table_checks, i);
      const char *name = setl_check_get_check_name (vcheck->check);

      g_ptr_array_add (self->never, g_strdup (vcheck->description));
      if (g_str_equal (name, "row_count_in_range"))
        {
          gint64 lo = _setl_check_get_int64_property (vcheck->check, "min-value");
          gint64 hi = _setl_check_get_int64_property (vcheck->check, "max-value");

          if (lo >= 0 && lo > self->min_rows)
            {
              self->min_rows = lo;
              self->min_rows_by = vcheck->description;
            }
          if (hi >= 0 && (self->max_rows < 0 || hi < self->max_rows))
            {
              self->max_rows = hi;
              self->max_rows_by = vcheck->description;
            }
        }
      else if (g_str_equal (name, "column_set"))
        {
          g_auto(GStrv) columns = NULL;
          gboolean exact = _setl_check_get_bool_property (vcheck->check, "exact", TRUE);

          g_object_get (vcheck->check, "columns", &columns, NULL);
          /* The rows have exactly the schema's columns. */
          for (guint j = 0; columns != NULL && columns[j] != NULL; j++)
            if (column_index (self, columns[j]) < 0)
              {
                g_set_error (error, SETL_VALIDATION_ERROR, SETL_VALIDATION_ERROR_INVALID_SCHEMA,
                             "table check %s asks for column “%s”, which the schema does not have",
                             vcheck->description, columns[j]);
                return FALSE;
              }
          for (guint c = 0; exact && c < self->columns->len; c++)
            {
              const char *column = ((ColumnGen *) g_ptr_array_index (self->columns, c))->vc->name;

              if (columns == NULL || !g_strv_contains ((const char * const *) columns, column))
                {
                  g_set_error (error, SETL_VALIDATION_ERROR, SETL_VALIDATION_ERROR_INVALID_SCHEMA,
                               "table check %s leaves out the schema's column “%s”: no rows have "
                               "every column of the schema and only those",
                               vcheck->description, column);
                  return FALSE;
                }
            }
        }
    }
  if (self->min_rows >= 0 && self->max_rows >= 0 && self->min_rows > self->max_rows)
    {
      g_set_error (error, SETL_VALIDATION_ERROR, SETL_VALIDATION_ERROR_INVALID_SCHEMA,
                   "table checks %s and %s contradict each other: no number of rows satisfies both",
                   self->min_rows_by, self->max_rows_by);
      return FALSE;
    }
  return TRUE;
}

/**
 * setl_synthesizer_new:
 * @schema: the schema the rows are made for
 * @catalog: (nullable): where the checks come from; the default catalog
 *   if %NULL
 * @error: return location for a #GError
 *
 * Builds the schema's checks and merges the constraints they put on each
 * column.
 *
 * Returns: (transfer full): a new #SetlSynthesizer, or %NULL with @error
 *   set if a check cannot be built or the checks on a column contradict
 *   each other (%SETL_VALIDATION_ERROR_INVALID_SCHEMA, naming the column
 *   and the checks)
 */
SetlSynthesizer *
setl_synthesizer_new (SetlSchema        *schema,
                      SetlCheckCatalog  *catalog,
                      GError           **error)
{
  g_autoptr(SetlSynthesizer) self = NULL;
  SetlValidatorPlan *plan;

  g_return_val_if_fail (SETL_IS_SCHEMA (schema), NULL);
  g_return_val_if_fail (catalog == NULL || SETL_IS_CHECK_CATALOG (catalog), NULL);

  self = g_object_new (SETL_TYPE_SYNTHESIZER, NULL);
  self->validator = setl_validator_new (schema, catalog, error);
  if (self->validator == NULL)
    return NULL;
  setl_validator_set_lazy (self->validator, TRUE);
  plan = _setl_validator_get_plan (self->validator);
  for (guint i = 0; i < plan->columns->len; i++)
    if (!prepare_column (self, g_ptr_array_index (plan->columns, i), error))
      return NULL;
  if (!prepare_schema (self, plan, error))
    return NULL;
  return g_steal_pointer (&self);
}
/**
 * setl_synthesizer_get_schema:
 * @self: a #SetlSynthesizer
 *
 * Returns: (transfer none): the schema
 */
SetlSchema *
setl_synthesizer_get_schema (SetlSynthesizer *self)
{
  g_return_val_if_fail (SETL_IS_SYNTHESIZER (self), NULL);
  return setl_validator_get_schema (self->validator);
}

/**
 * setl_synthesizer_get_seed:
 * @self: a #SetlSynthesizer
 *
 * Returns: the seed of the random draws (1 unless set)
 */
guint32
setl_synthesizer_get_seed (SetlSynthesizer *self)
{
  g_return_val_if_fail (SETL_IS_SYNTHESIZER (self), 0);
  return self->seed;
}

/**
 * setl_synthesizer_set_seed:
 * @self: a #SetlSynthesizer
 * @seed: the seed
 *
 * Sets the seed: the same seed and schema give the same rows.
 */
void
setl_synthesizer_set_seed (SetlSynthesizer *self,
                           guint32          seed)
{
  g_return_if_fail (SETL_IS_SYNTHESIZER (self));
  self->seed = seed;
}

/**
 * setl_synthesizer_get_null_probability:
 * @self: a #SetlSynthesizer
 *
 * Returns: the probability of a null in a nullable column (0 unless set)
 */
double
setl_synthesizer_get_null_probability (SetlSynthesizer *self)
{
  g_return_val_if_fail (SETL_IS_SYNTHESIZER (self), 0);
  return self->null_probability;
}

/**
 * setl_synthesizer_set_null_probability:
 * @self: a #SetlSynthesizer
 * @probability: between 0 and 1
 *
 * Sets how often a value of a nullable column is null in valid rows.
 */
void
setl_synthesizer_set_null_probability (SetlSynthesizer *self,
                                       double           probability)
{
  g_return_if_fail (SETL_IS_SYNTHESIZER (self));
  g_return_if_fail (probability >= 0 && probability <= 1);
  self->null_probability = probability;
}

/**
 * setl_synthesizer_get_batch_size:
 * @self: a #SetlSynthesizer
 *
 * Returns: the rows of each batch the streams make (65536 unless set)
 */
gint64
setl_synthesizer_get_batch_size (SetlSynthesizer *self)
{
  g_return_val_if_fail (SETL_IS_SYNTHESIZER (self), 0);
  return self->batch_size;
}

/**
 * setl_synthesizer_set_batch_size:
 * @self: a #SetlSynthesizer
 * @batch_size: rows per batch, at least 1
 *
 * Sets how many rows each batch holds: memory grows with it. The rows
 * made for a seed depend on it too (values are drawn column by column
 * within a batch).
 */
void
setl_synthesizer_set_batch_size (SetlSynthesizer *self,
                                 gint64           batch_size)
{
  g_return_if_fail (SETL_IS_SYNTHESIZER (self));
  g_return_if_fail (batch_size >= 1);
  self->batch_size = batch_size;
}

/**
 * setl_synthesizer_get_unbreakable:
 * @self: a #SetlSynthesizer
 *
 * What the last pass of setl_synthesizer_generate_invalid_stream() (or
 * setl_synthesizer_generate_invalid()) could not break alone, as
 * `column: check` (or the table check): checks no value fails while
 * passing the column's other checks; uniqueness of a column or a
 * combination unless `report_duplicates` is `exclude_first` (otherwise a
 * repeat fails two rows, or the earlier one); a repeat with no earlier
 * valid row to repeat; aggregate checks (mean, standard deviation, null
 * fraction, distinct count) and table checks, which no single row decides.
 *
 * Returns: (transfer full) (array zero-terminated=1): the descriptions
 */
char **
setl_synthesizer_get_unbreakable (SetlSynthesizer *self)
{
  GStrvBuilder *builder = g_strv_builder_new ();
  char **result;

  g_return_val_if_fail (SETL_IS_SYNTHESIZER (self), NULL);

  for (guint i = 0; i < self->unbreakable->len; i++)
    g_strv_builder_add (builder, g_ptr_array_index (self->unbreakable, i));
  result = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);
  return result;
}

/* ---- entry points ------------------------------------------------------ */

static SetlBatchStream *
make_stream (SetlSynthesizer  *self,
             gint64            n_rows,
             gboolean          invalid,
             GError          **error)
{
  ColumnPlan *plans;

  if (invalid && self->targets->len == 0)
    {
      g_set_error (error, SETL_VALIDATION_ERROR, SETL_VALIDATION_ERROR_INVALID_SCHEMA,
                   "schema “%s” has no check that a row can break alone",
                   setl_schema_get_name (setl_synthesizer_get_schema (self)));
      return NULL;
    }
  plans = _setl_synth_plan_rows (self, n_rows, invalid, error);
  if (plans == NULL)
    return NULL;
  return _setl_synthesized_stream_new (self, plans, _setl_synth_make_fields (self), n_rows, invalid);
}

/**
 * setl_synthesizer_generate_stream:
 * @self: a #SetlSynthesizer
 * @n_rows: how many rows
 * @error: return location for a #GError
 *
 * Makes a stream of @n_rows rows that pass the schema. The rows are made
 * batch by batch as the stream is read (memory stays about one batch),
 * and validated as they are made: a pass whose rows fail the schema as a
 * whole (aggregate or table checks, or checks between columns, that
 * could not be aimed at) ends with an error, so that a sink writing
 * atomically leaves nothing behind. Each pass makes the same rows.
 *
 * Returns: (transfer full): the stream; %NULL with @error set
 *   (%SETL_VALIDATION_ERROR_INVALID_SCHEMA) if @n_rows rows cannot satisfy
 *   the schema: a number of rows outside `row_count_in_range`, a unique
 *   column or combination whose values are too few, a null fraction or a
 *   distinct count no such rows can have — the error names the column
 *   and the checks
 */
SetlBatchStream *
setl_synthesizer_generate_stream (SetlSynthesizer  *self,
                                  gint64            n_rows,
                                  GError          **error)
{
  g_return_val_if_fail (SETL_IS_SYNTHESIZER (self), NULL);
  g_return_val_if_fail (n_rows >= 0, NULL);
  return make_stream (self, n_rows, FALSE, error);
}

/**
 * setl_synthesizer_generate_invalid_stream:
 * @self: a #SetlSynthesizer
 * @n_rows: how many rows
 * @error: return location for a #GError
 *
 * Makes a stream of @n_rows rows that each break exactly one target of
 * the schema (the targets taken in turn). As each batch is made, the
 * #SetlSynthesizer::targets signal gives the target of each of its rows.
 * What no row can break alone is then listed by
 * setl_synthesizer_get_unbreakable().
 *
 * Returns: (transfer full): the stream; %NULL with @error set if the
 *   schema has no target a row can break alone, or @n_rows rows cannot
 *   be made (see setl_synthesizer_generate_stream())
 */
SetlBatchStream *
setl_synthesizer_generate_invalid_stream (SetlSynthesizer  *self,
                                          gint64            n_rows,
                                          GError          **error)
{
  g_return_val_if_fail (SETL_IS_SYNTHESIZER (self), NULL);
  g_return_val_if_fail (n_rows >= 0, NULL);
  return make_stream (self, n_rows, TRUE, error);
}

/**
 * setl_synthesizer_generate:
 * @self: a #SetlSynthesizer
 * @n_rows: how many rows
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Makes @n_rows rows that pass the schema, in memory: the rows of
 * setl_synthesizer_generate_stream(), collected.
 *
 * Returns: (transfer full): the rows, one column per schema column; %NULL
 *   with @error set if no such rows could be made
 */
SetlTable *
setl_synthesizer_generate (SetlSynthesizer  *self,
                           gint64            n_rows,
                           GCancellable     *cancellable,
                           GError          **error)
{
  g_autoptr(SetlBatchStream) stream = NULL;

  g_return_val_if_fail (SETL_IS_SYNTHESIZER (self), NULL);
  g_return_val_if_fail (n_rows >= 0, NULL);

  stream = make_stream (self, n_rows, FALSE, error);
  if (stream == NULL)
    return NULL;
  return setl_batch_stream_collect (stream, cancellable, error);
}

static void
collect_targets (SetlSynthesizer *self,
                 SetlRecordBatch *targets,
                 GPtrArray       *batches)
{
  g_ptr_array_add (batches, g_object_ref (targets));
}

/**
 * setl_synthesizer_generate_invalid:
 * @self: a #SetlSynthesizer
 * @n_rows: how many rows
 * @targets: (out) (transfer full) (optional): which target each row
 *   breaks: a table with columns row, column, check, check_number and
 *   reason, as the validation report names them
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Makes @n_rows rows that each break exactly one target of the schema, in
 * memory: the rows of setl_synthesizer_generate_invalid_stream(),
 * collected. A lazy validation of the rows reports, for each row, exactly
 * the failure its target names.
 *
 * Returns: (transfer full): the rows; %NULL with @error set if the schema
 *   has no check that can be broken alone, or valid values could not be
 *   made for the other columns
 */
SetlTable *
setl_synthesizer_generate_invalid (SetlSynthesizer  *self,
                                   gint64            n_rows,
                                   SetlTable       **targets,
                                   GCancellable     *cancellable,
                                   GError          **error)
{
  g_autoptr(SetlBatchStream) stream = NULL;
  g_autoptr(GPtrArray) batches = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) fields = NULL;
  g_autoptr(SetlTable) rows = NULL;
  gulong handler;

  g_return_val_if_fail (SETL_IS_SYNTHESIZER (self), NULL);
  g_return_val_if_fail (n_rows >= 0, NULL);

  stream = make_stream (self, n_rows, TRUE, error);
  if (stream == NULL)
    return NULL;
  handler = g_signal_connect (self, "targets", G_CALLBACK (collect_targets), batches);
  rows = setl_batch_stream_collect (stream, cancellable, error);
  g_signal_handler_disconnect (self, handler);
  if (rows == NULL)
    return NULL;
  if (targets != NULL)
    {
      fields = _setl_synth_target_fields ();
      *targets = setl_table_new ((SetlField **) fields->pdata, fields->len,
                                 (SetlRecordBatch **) batches->pdata, batches->len, error);
      if (*targets == NULL)
        return NULL;
    }
  return g_steal_pointer (&rows);
}
