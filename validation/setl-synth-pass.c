/* setl-synth-pass.c: the rows of one pass over a synthesized stream (each
 * opening of the stream makes them again from the seed): the state of the
 * pass (Pass), values drawn for a column and judged against its merged
 * constraints, its checks and the values already used, drawn again where
 * they fail; numbers steered to a mean and a deviation; unique
 * combinations settled row by row; and the batches of valid rows, made
 * column by column.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "setl-synth-pass.h"
#include "setl-synth-column.h"
#include "setl-synth-hash-set.h"
#include "setl-synth-regex.h"
#include "setl-synth-values.h"

#include <math.h>
#include <string.h>

#define MAX_ROUNDS 64
#define COMBO_ROUNDS 2000

void
_setl_synth_pass_free (Pass *pass)
{
  SetlSynthesizer *self = pass->self;

  for (guint c = 0; c < self->columns->len; c++)
    {
      _setl_synth_hash_set_free (pass->cols[c].seen);
      g_clear_pointer (&pass->cols[c].pool, g_ptr_array_unref);
      if (G_IS_VALUE (&pass->cols[c].source))
        g_value_unset (&pass->cols[c].source);
    }
  for (guint k = 0; k < self->combos->len; k++)
    {
      ComboGen *combo = g_ptr_array_index (self->combos, k);

      _setl_synth_hash_set_free (pass->combos[k].seen);
      if (pass->combos[k].source != NULL)
        for (guint j = 0; j < combo->n; j++)
          if (G_IS_VALUE (&pass->combos[k].source[j]))
            g_value_unset (&pass->combos[k].source[j]);
      g_free (pass->combos[k].source);
    }
  g_free (pass->cols);
  g_free (pass->combos);
  g_clear_pointer (&pass->live, g_ptr_array_unref);
  g_clear_pointer (&pass->breaking, g_hash_table_unref);
  g_clear_pointer (&pass->run, _setl_validator_run_free);
  g_clear_object (&pass->report);
  g_clear_pointer (&pass->rand, g_rand_free);
  g_clear_object (&pass->self);
  g_free (pass);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Pass, _setl_synth_pass_free)

static guint64
gcd64 (guint64 a,
       guint64 b)
{
  while (b != 0)
    {
      guint64 t = a % b;

      a = b;
      b = t;
    }
  return a;
}

Pass *
_setl_synth_pass_new (SetlSynthesizer  *self,
                      ColumnPlan       *plans,
                      GPtrArray        *fields,
                      gint64            n_rows,
                      gboolean          invalid,
                      GError          **error)
{
  g_autoptr(Pass) pass = g_new0 (Pass, 1);

  pass->self = g_object_ref (self);
  pass->plans = plans;
  pass->invalid = invalid;
  pass->n_rows = n_rows;
  pass->rand = g_rand_new_with_seed (self->seed);
  pass->cols = g_new0 (ColumnPass, MAX (self->columns->len, 1));
  pass->combos = g_new0 (ComboPass, MAX (self->combos->len, 1));
  for (guint k = 0; k < self->combos->len; k++)
    pass->combos[k].seen = _setl_synth_hash_set_new ();

  if (invalid)
    {
      g_ptr_array_set_size (self->unbreakable, 0);
      for (guint i = 0; i < self->never->len; i++)
        g_ptr_array_add (self->unbreakable, g_strdup (g_ptr_array_index (self->never, i)));
      pass->live = g_ptr_array_new ();
      pass->breaking = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_ptr_array_unref);
      for (guint i = 0; i < self->targets->len; i++)
        g_ptr_array_add (pass->live, g_ptr_array_index (self->targets, i));
    }
  else
    {
      pass->report = _setl_validation_report_new (_setl_validator_get_plan (self->validator)->schema_name,
                                                  setl_validator_get_max_failure_cases (self->validator));
      pass->run = _setl_validator_run_new (self->validator, pass->report, FALSE);
      if (!_setl_validator_run_start (pass->run, (SetlField **) fields->pdata, fields->len, error))
        return NULL;
    }

  for (guint c = 0; c < self->columns->len; c++)
    {
      ColumnPlan *plan = &plans[c];
      ColumnPass *cp = &pass->cols[c];

      cp->nulls_left = plan->n_nulls;
      cp->rows_left = n_rows;
      cp->values_left = cp->n_values = n_rows - plan->n_nulls;
      if (plan->permute)
        {
          /* A step prime to the domain visits every position once. */
          cp->step = plan->domain > 1 ? (guint64) (g_rand_double (pass->rand) * (double) (plan->domain - 1)) + 1 : 1;
          while (gcd64 (cp->step, plan->domain) != 1)
            cp->step++;
          cp->offset = (guint64) (g_rand_double (pass->rand) * (double) plan->domain);
        }
      if (plan->pool_size > 0)
        {
          /* The pool: distinct valid values, each used at least once. */
          g_autofree GValue *values = g_new0 (GValue, plan->pool_size);
          g_autofree gboolean *want = g_new (gboolean, plan->pool_size);
          gboolean ok;

          for (gint64 i = 0; i < plan->pool_size; i++)
            want[i] = TRUE;
          cp->seen = _setl_synth_hash_set_new ();
          ok = _setl_synth_fill_values (pass, c, values, want, plan->pool_size, FALSE, error);
          g_clear_pointer (&cp->seen, _setl_synth_hash_set_free);
          cp->pool = g_ptr_array_new_full ((guint) plan->pool_size, _setl_synth_value_free);
          for (gint64 i = 0; i < plan->pool_size; i++)
            {
              if (ok)
                g_ptr_array_add (cp->pool, _setl_synth_value_copy (&values[i]));
              if (G_IS_VALUE (&values[i]))
                g_value_unset (&values[i]);
            }
          if (!ok)
            return NULL;
        }
      if (plan->distinct)
        cp->seen = _setl_synth_hash_set_new ();
    }
  return g_steal_pointer (&pass);
}

/* Where a steered column stands while a batch is drawn. */
typedef struct {
  double s1, s2;             /* sums of (value - center) and its square */
  gint64 left;               /* values still to draw, this one included */
} Moments;

/* A candidate value of column @c (judged afterwards): from the pool, from
 * the hook or the pattern of the check the last one failed, steered to a
 * mean and a deviation, or from the merged constraints. @moments: the
 * steered column's state, updated; NULL on redraws. */
static void
draw_cell (Pass               *pass,
           guint               c,
           SetlValidatorCheck *failed_by,
           guint               attempt,
           Moments            *moments,
           GValue             *out)
{
  ColumnGen *gen = g_ptr_array_index (pass->self->columns, c);
  ColumnPlan *plan = &pass->plans[c];
  ColumnPass *cp = &pass->cols[c];

  if (cp->pool != NULL && cp->pool->len > 0)
    {
      guint index = cp->pool_next < cp->pool->len ? cp->pool_next++
                                                  : (guint) g_rand_int_range (pass->rand, 0, (gint32) cp->pool->len);

      _setl_synth_value_assign (out, g_ptr_array_index (cp->pool, index));
      return;
    }
  if (plan->permute && cp->cursor < plan->domain)
    {
      guint64 k = cp->cursor++;
      guint64 position = (guint64) (((unsigned __int128) cp->step * k + cp->offset) % plan->domain);

      if (gen->allowed != NULL)
        _setl_synth_value_assign (out, g_ptr_array_index (gen->allowed, position));
      else
        _setl_synth_value_set_number (out, gen->type, plan->first + (double) position);
      return;
    }
  if (failed_by != NULL && setl_check_can_synthesize (failed_by->check) && (attempt & 1))
    {
      if (setl_check_synthesize (failed_by->check, gen->type, pass->rand, out, NULL))
        return;
      if (G_IS_VALUE (out))
        g_value_unset (out);
    }
  /* A pattern check with no hook of its own: a string its regular
   * expression matches. */
  if (failed_by != NULL && gen->type == SETL_DATA_TYPE_STRING &&
      !setl_check_can_synthesize (failed_by->check))
    {
      g_autofree char *pattern = NULL;

      if (g_object_class_find_property (G_OBJECT_GET_CLASS (failed_by->check), "pattern") != NULL)
        g_object_get (failed_by->check, "pattern", &pattern, NULL);
      if (pattern != NULL)
        {
          char *text = _setl_synth_regex_sample (pattern, pass->rand);

          if (text != NULL)
            {
              g_value_init (out, G_TYPE_STRING);
              g_value_take_string (out, text);
              return;
            }
        }
    }
  if (plan->steer)
    {
      double d, v;

      if (moments != NULL && moments->left > 0)
        {
          /* The values left must sum to -s1 and their squares to what
           * the deviation asks: draw this one from their mean with their
           * spread. The last one then lands both exactly. */
          double r = (double) moments->left;
          double goal = plan->spread * plan->spread * (double) MAX (pass->cols[c].n_values - 1, 0);
          double m = -moments->s1 / r;
          double q = (goal - moments->s2) / r - m * m;
          /* Uniform draws while many values are left to absorb their
           * randomness; towards the end, one deviation on either side,
           * which keeps what the last ones need reachable (the spread
           * left shrinks by 1 - 1/(r-1)² a step, to 0 at the last). */
          double z = moments->left == 1 ? 0
                   : moments->left <= 32 || plan->two_point ? (g_rand_boolean (pass->rand) ? 1 : -1)
                   : sqrt (3) * (2 * g_rand_double (pass->rand) - 1);

          d = m + (q > 0 ? sqrt (q) : 0) * z;
          if (plan->two_point && moments->left > 1)
            {
              /* A spread as wide as the room: values at either end, as
               * often as the mean to reach asks. */
              double p = CLAMP ((m + plan->spread) / (2 * plan->spread), 0, 1);

              d = g_rand_double (pass->rand) < p ? plan->spread : -plan->spread;
            }
        }
      else
        d = plan->width * (2 * g_rand_double (pass->rand) - 1);
      v = plan->center + d;
      if (gen->has_lo && v < gen->lo)
        v = gen->lo;
      if (gen->has_hi && v > gen->hi)
        v = gen->hi;
      /* Integers: rounded up or down at random, in proportion, so that
       * rounding adds no drift the next values would have to undo. */
      if (gen->type == SETL_DATA_TYPE_INT64 && moments != NULL && moments->left > 1)
        v = floor (v) + (g_rand_double (pass->rand) < v - floor (v) ? 1 : 0);
      else if (gen->type == SETL_DATA_TYPE_INT64)
        v = round (v);
      if (moments != NULL)
        {
          moments->s1 += v - plan->center;
          moments->s2 += (v - plan->center) * (v - plan->center);
          moments->left--;
        }
      _setl_synth_value_set_number (out, gen->type, v);
      return;
    }
  _setl_synth_column_draw_valid (gen, plan->span, pass->rand, out);
}

/* Judges @values[0..m): sets bad[k] (and failed_by[k], the first check
 * failed) for those that fail the merged constraints or a check, or
 * repeat a value of a distinct column (the others are recorded as used). */
static gboolean
judge_values (Pass                *pass,
              guint                c,
              GValue              *values,
              gint64               m,
              gboolean            *bad,
              SetlValidatorCheck **failed_by,
              GError             **error)
{
  ColumnGen *gen = g_ptr_array_index (pass->self->columns, c);
  ColumnPass *cp = &pass->cols[c];
  g_autofree gboolean *fails = g_new (gboolean, MAX (m, 1));

  for (gint64 k = 0; k < m; k++)
    {
      failed_by[k] = NULL;
      bad[k] = G_IS_VALUE (&values[k]) &&
               (_setl_synth_column_is_forbidden (gen, &values[k]) ||
                (_setl_synth_is_numeric (gen->type) && !_setl_synth_column_in_interval (gen, _setl_synth_value_number (&values[k]))));
    }
  for (guint j = 0; j < gen->verify->len; j++)
    {
      SetlValidatorCheck *vcheck = g_ptr_array_index (gen->verify, j);

      memset (fails, 0, sizeof (gboolean) * MAX (m, 1));
      if (!_setl_synth_run_check (vcheck, gen->type, values, m, fails, error))
        return FALSE;
      for (gint64 k = 0; k < m; k++)
        if (fails[k])
          {
            bad[k] = TRUE;
            if (failed_by[k] == NULL)
              failed_by[k] = vcheck;
          }
    }
  if (cp->seen != NULL)
    for (gint64 k = 0; k < m; k++)
      if (!bad[k] && G_IS_VALUE (&values[k]) && !_setl_synth_hash_set_add (cp->seen, _setl_synth_value_hash (&values[k])))
        bad[k] = TRUE;
  return TRUE;
}

/* Fills the cells @want says of @values[0..n) with valid values of column
 * @c: drawn, judged, drawn again where they fail. */
gboolean
_setl_synth_fill_values (Pass            *pass,
                         guint            c,
                         GValue          *values,
                         const gboolean  *want,
                         gint64           n,
                         gboolean         steered,
                         GError         **error)
{
  ColumnGen *gen = g_ptr_array_index (pass->self->columns, c);
  g_autofree gboolean *bad = g_new0 (gboolean, MAX (n, 1));
  g_autofree SetlValidatorCheck **failed_by = g_new0 (SetlValidatorCheck *, MAX (n, 1));
  g_autofree gint64 *pending = g_new (gint64, MAX (n, 1));
  g_autofree GValue *packed = g_new0 (GValue, MAX (n, 1));
  g_autofree gboolean *packed_bad = g_new0 (gboolean, MAX (n, 1));
  g_autofree SetlValidatorCheck **packed_by = g_new0 (SetlValidatorCheck *, MAX (n, 1));
  Moments moments = { pass->cols[c].deviation, pass->cols[c].squares, pass->cols[c].values_left };
  gint64 n_bad = 0;

  for (gint64 i = 0; i < n; i++)
    n_bad += bad[i] = want[i];

  for (guint round = 0; n_bad > 0; round++)
    {
      gint64 m = 0;

      if (round == MAX_ROUNDS)
        {
          for (gint64 i = 0; i < n; i++)
            if (bad[i])
              {
                g_set_error (error, SETL_VALIDATION_ERROR, SETL_VALIDATION_ERROR_INVALID_SCHEMA,
                             "column “%s”: no value passing every check was found after %d tries%s%s%s",
                             gen->vc->name, MAX_ROUNDS,
                             failed_by[i] ? " (check " : (pass->cols[c].seen ? " (the values must be distinct" : ""),
                             failed_by[i] ? failed_by[i]->description : "",
                             failed_by[i] || pass->cols[c].seen ? " keeps failing)" : "");
                return FALSE;
              }
        }
      for (gint64 i = 0; i < n; i++)
        {
          if (!bad[i])
            continue;
          if (G_IS_VALUE (&values[i]))
            g_value_unset (&values[i]);
          draw_cell (pass, c, failed_by[i], round, round == 0 && steered ? &moments : NULL, &values[i]);
          pending[m] = i;
          packed[m++] = values[i];   /* a bitwise copy, judged in place */
        }
      if (!judge_values (pass, c, packed, m, packed_bad, packed_by, error))
        return FALSE;
      n_bad = 0;
      for (gint64 k = 0; k < m; k++)
        {
          bad[pending[k]] = packed_bad[k];
          failed_by[pending[k]] = packed_by[k];
          n_bad += packed_bad[k];
        }
    }
  return TRUE;
}

/* The last value of a steered column lands the mean: it makes up for the
 * whole drift, if the value it takes passes. */
static gboolean
land_mean (Pass     *pass,
           guint     c,
           GValue   *cell,
           double    drift,
           GError  **error)
{
  ColumnGen *gen = g_ptr_array_index (pass->self->columns, c);
  double old = _setl_synth_value_number (cell), v = old - drift;
  GValue candidate = G_VALUE_INIT;
  gboolean bad = FALSE;
  SetlValidatorCheck *failed_by = NULL;

  if (gen->type == SETL_DATA_TYPE_INT64)
    v = round (v);
  if (v == old || isnan (v))
    return TRUE;
  _setl_synth_value_set_number (&candidate, gen->type, v);
  if (!judge_values (pass, c, &candidate, 1, &bad, &failed_by, error))
    {
      g_value_unset (&candidate);
      return FALSE;
    }
  if (!bad)
    _setl_synth_value_assign (cell, &candidate);
  g_value_unset (&candidate);
  return TRUE;
}

static guint64
combo_hash (ComboGen  *combo,
            GValue   **columns,
            gint64     row)
{
  return _setl_synth_row_hash (columns, combo->columns, combo->n, row);
}

/* Makes the combinations of row @row unique: a combination already used
 * has its cells redrawn (not those @fixed says; the nulls only if nothing
 * else can change). @expected: the combination the row repeats on
 * purpose, or -1. With @stuck, a combination that cannot be made unique
 * sets *@stuck instead of an error. */
gboolean
_setl_synth_settle_combos (Pass       *pass,
                           GValue    **columns,
                           gboolean  **fixed,
                           gint64      row,
                           int         expected,
                           gboolean   *stuck,
                           GError    **error)
{
  SetlSynthesizer *self = pass->self;
  guint n_combos = self->combos->len;
  g_autofree guint64 *hashes = g_new (guint64, MAX (n_combos, 1));
  /* Drawing until an unused combination comes up takes domain / unused
   * draws on average: at worst (as many combinations as rows) about the
   * number of rows for the last ones. Invalid rows, whose fixed values
   * can leave no combination free, give up sooner. */
  guint64 max_rounds = stuck != NULL ? COMBO_ROUNDS : MAX (COMBO_ROUNDS, 20 * (guint64) pass->n_rows);

  for (guint64 round = 0;; round++)
    {
      int taken = -1;

      for (guint k = 0; k < n_combos && taken < 0; k++)
        {
          hashes[k] = combo_hash (g_ptr_array_index (self->combos, k), columns, row);
          if ((int) k != expected && _setl_synth_hash_set_contains (pass->combos[k].seen, hashes[k]))
            taken = (int) k;
          /* Two combinations of one row are the same only if equal. */
        }
      if (taken < 0)
        break;
      {
        ComboGen *combo = g_ptr_array_index (self->combos, taken);
        gboolean changed = FALSE;

        if (round == max_rounds && stuck != NULL)
          {
            *stuck = TRUE;
            return TRUE;
          }
        if (round == max_rounds)
          {
            g_set_error (error, SETL_VALIDATION_ERROR, SETL_VALIDATION_ERROR_INVALID_SCHEMA,
                         "columns %s are a unique combination: no unused combination was found "
                         "after %" G_GUINT64_FORMAT " draws (their checks leave few more combinations "
                         "than rows)", combo->names, max_rounds);
            return FALSE;
          }
        for (int with_nulls = 0; with_nulls < 2 && !changed; with_nulls++)
          for (guint j = 0; j < combo->n; j++)
            {
              guint c = combo->columns[j];
              GValue *cell = &columns[c][row];
              gboolean want = TRUE;

              if ((fixed != NULL && fixed[c][row]) || (!with_nulls && !G_IS_VALUE (cell)))
                continue;
              if (!_setl_synth_fill_values (pass, c, cell, &want, 1, FALSE, error))
                return FALSE;
              changed = TRUE;
            }
        if (!changed && stuck != NULL)
          {
            *stuck = TRUE;
            return TRUE;
          }
        if (!changed)
          {
            g_set_error (error, SETL_VALIDATION_ERROR, SETL_VALIDATION_ERROR_INVALID_SCHEMA,
                         "columns %s are a unique combination: row %" G_GINT64_FORMAT
                         " repeats one and none of its values can change",
                         combo->names, pass->done + row);
            return FALSE;
          }
      }
    }
  for (guint k = 0; k < n_combos; k++)
    if ((int) k != expected)
      _setl_synth_hash_set_add (pass->combos[k].seen, hashes[k]);
  return TRUE;
}

GPtrArray *
_setl_synth_make_fields (SetlSynthesizer *self)
{
  GPtrArray *fields = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < self->columns->len; i++)
    {
      ColumnGen *gen = g_ptr_array_index (self->columns, i);

      /* Nullable fields throughout: invalid rows put nulls anywhere. */
      g_ptr_array_add (fields, setl_field_new (gen->vc->name, gen->type, TRUE));
    }
  return fields;
}

SetlRecordBatch *
_setl_synth_make_batch (SetlSynthesizer  *self,
                        GPtrArray        *fields,
                        GValue          **columns,
                        gint64            n,
                        GError          **error)
{
  g_autoptr(GPtrArray) built = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint c = 0; c < self->columns->len; c++)
    {
      ColumnGen *gen = g_ptr_array_index (self->columns, c);
      SetlColumn *column = _setl_synth_make_column (gen->type, columns[c], n, error);

      if (column == NULL)
        return NULL;
      g_ptr_array_add (built, column);
    }
  return setl_record_batch_new ((SetlField **) fields->pdata, fields->len,
                                (SetlColumn **) built->pdata, built->len, error);
}

void
_setl_synth_free_cells (GValue **columns,
                        guint    n_columns,
                        gint64   n)
{
  for (guint c = 0; c < n_columns; c++)
    {
      for (gint64 i = 0; columns[c] != NULL && i < n; i++)
        if (G_IS_VALUE (&columns[c][i]))
          g_value_unset (&columns[c][i]);
      g_free (columns[c]);
    }
  g_free (columns);
}

/* Updates the drift of the steered columns from the values of a batch. */
void
_setl_synth_add_drift (Pass     *pass,
                       GValue  **columns,
                       gint64    n)
{
  for (guint c = 0; c < pass->self->columns->len; c++)
    if (pass->plans[c].steer)
      for (gint64 i = 0; i < n; i++)
        if (G_IS_VALUE (&columns[c][i]))
          {
            double d = _setl_synth_value_number (&columns[c][i]) - pass->plans[c].center;

            pass->cols[c].deviation += d;
            pass->cols[c].squares += d * d;
          }
}

SetlRecordBatch *
_setl_synth_make_valid_batch (Pass       *pass,
                              GPtrArray  *fields,
                              gint64      n,
                              GError    **error)
{
  SetlSynthesizer *self = pass->self;
  guint n_columns = self->columns->len;
  GValue **columns = g_new0 (GValue *, MAX (n_columns, 1));
  g_autofree gboolean *want = g_new (gboolean, MAX (n, 1));
  SetlRecordBatch *batch = NULL;
  gboolean ok = TRUE;

  for (guint c = 0; ok && c < n_columns; c++)
    {
      ColumnPass *cp = &pass->cols[c];
      gint64 count = 0, last = -1;

      columns[c] = g_new0 (GValue, MAX (n, 1));
      /* Exactly the planned number of nulls, spread at random
       * (selection sampling: each row is null with the probability
       * nulls left / rows left). */
      for (gint64 i = 0; i < n; i++)
        {
          gboolean null = cp->nulls_left > 0 &&
                          g_rand_double (pass->rand) * (double) cp->rows_left < (double) cp->nulls_left;

          cp->rows_left--;
          cp->nulls_left -= null;
          want[i] = !null;
          if (!null)
            {
              count++;
              last = i;
            }
        }
      ok = _setl_synth_fill_values (pass, c, columns[c], want, n, TRUE, error);
      cp->values_left -= count;
      if (ok && pass->plans[c].steer && cp->values_left == 0 && last >= 0)
        {
          double drift = cp->deviation;

          for (gint64 i = 0; i < n; i++)
            if (G_IS_VALUE (&columns[c][i]))
              drift += _setl_synth_value_number (&columns[c][i]) - pass->plans[c].center;
          ok = land_mean (pass, c, &columns[c][last], drift, error);
        }
    }
  for (gint64 i = 0; ok && self->combos->len > 0 && i < n; i++)
    ok = _setl_synth_settle_combos (pass, columns, NULL, i, -1, NULL, error);
  if (ok)
    {
      _setl_synth_add_drift (pass, columns, n);
      batch = _setl_synth_make_batch (self, fields, columns, n, error);
    }
  _setl_synth_free_cells (columns, n_columns, n);
  return batch;
}
