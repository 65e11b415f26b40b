/* setl-synth-plan.c: what a number of rows asks of each column
 * (ColumnPlan), worked out before any row is made: exactly how many nulls,
 * a pool of distinct values or distinct values throughout, the whole
 * domain walked in a random order when it is barely larger than the rows,
 * a mean and a spread to steer numbers to. What the rows cannot satisfy
 * (too few values for a unique column or combination, a null fraction or
 * a distinct count no such rows can have, a number of rows the table
 * checks refuse) is refused here, naming the column and the checks.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "setl-synth-plan.h"
#include "setl-synth-column.h"
#include "setl-synth-values.h"

#include <math.h>

/* How many distinct values column @gen can take (INFINITY: many more than
 * any number of rows), as the values the synthesizer draws. */
static double
column_domain (ColumnGen  *gen,
               ColumnPlan *plan)
{
  if (plan->pool_size > 0)
    return (double) plan->pool_size;
  if (gen->allowed != NULL)
    return gen->allowed->len;
  switch (gen->type)
    {
    case SETL_DATA_TYPE_BOOL:
      return MAX (0, 2 - (int) gen->forbidden->len);
    case SETL_DATA_TYPE_INT64:
    case SETL_DATA_TYPE_DATE32:
    case SETL_DATA_TYPE_TIMESTAMP:
      if (gen->has_lo && gen->has_hi)
        {
          double first = gen->lo_incl ? ceil (gen->lo) : floor (gen->lo) + 1;
          double last = gen->hi_incl ? floor (gen->hi) : ceil (gen->hi) - 1;
          double count = last - first + 1;

          for (guint i = 0; i < gen->forbidden->len; i++)
            if (_setl_synth_column_in_interval (gen, _setl_synth_value_number (g_ptr_array_index (gen->forbidden, i))))
              count--;
          return MAX (count, 0);
        }
      return INFINITY;
    case SETL_DATA_TYPE_DOUBLE:
      return gen->has_lo && gen->has_hi && gen->lo == gen->hi ? 1 : INFINITY;
    case SETL_DATA_TYPE_STRING:
      if (gen->max_len >= 0)
        {
          gint64 affixes = _setl_synth_text_length (gen->prefix) + _setl_synth_text_length (gen->suffix);
          double count = 0;

          /* Letters a to z only: the other characters drawn are a bonus. */
          for (gint64 length = MAX (gen->min_len, 1); length <= gen->max_len && count < 1e18; length++)
            if (length >= affixes)
              count += pow (26, (double) (length - affixes));
          return count;
        }
      return INFINITY;
    default:
      return INFINITY;
    }
}

static gboolean
plan_nulls (SetlSynthesizer  *self,
            ColumnGen        *gen,
            ColumnPlan       *plan,
            gint64            n_rows,
            GError          **error)
{
  double p = self->null_probability;
  gint64 k = (gint64) llround (p * (double) n_rows);

  if (!gen->vc->nullable)
    return TRUE;
  if (!isnan (gen->null_lo) || !isnan (gen->null_hi))
    {
      double lo = isnan (gen->null_lo) ? 0 : gen->null_lo;
      double hi = isnan (gen->null_hi) ? 1 : gen->null_hi;
      gint64 k_min = (gint64) ceil (lo * (double) n_rows - 1e-9);
      gint64 k_max = (gint64) floor (hi * (double) n_rows + 1e-9);

      k_min = CLAMP (k_min, 0, n_rows);
      k_max = CLAMP (k_max, 0, n_rows);
      if (n_rows > 0 && k_min > k_max)
        {
          g_set_error (error, SETL_VALIDATION_ERROR, SETL_VALIDATION_ERROR_INVALID_SCHEMA,
                       "column “%s”: check %s allows no number of nulls among %" G_GINT64_FORMAT " rows",
                       gen->vc->name, gen->null_by, n_rows);
          return FALSE;
        }
      /* The null probability when it falls in the range, else the middle. */
      if (k < k_min || k > k_max)
        k = k_min + (k_max - k_min) / 2;
    }
  plan->n_nulls = CLAMP (k, 0, n_rows);
  return TRUE;
}

static gboolean
plan_distinct (SetlSynthesizer  *self,
               ColumnGen        *gen,
               ColumnPlan       *plan,
               gint64            n_values,
               GError          **error)
{
  gboolean aimed = !isnan (gen->distinct_lo) || !isnan (gen->distinct_hi);
  double lo = isnan (gen->distinct_lo) ? 0 : ceil (gen->distinct_lo);
  double hi = isnan (gen->distinct_hi) ? INFINITY : floor (gen->distinct_hi);
  double need, domain;

  if (gen->vc->unique)
    {
      plan->distinct = TRUE;
      if (aimed && n_values > 0 && ((double) n_values < lo || (double) n_values > hi))
        {
          g_set_error (error, SETL_VALIDATION_ERROR, SETL_VALIDATION_ERROR_INVALID_SCHEMA,
                       "column “%s” is unique, so its %" G_GINT64_FORMAT " values are distinct, "
                       "which check %s does not allow",
                       gen->vc->name, n_values, gen->distinct_by);
          return FALSE;
        }
    }
  else if (aimed)
    {
      if (lo > (double) n_values || (n_values > 0 && hi < 1))
        {
          g_set_error (error, SETL_VALIDATION_ERROR, SETL_VALIDATION_ERROR_INVALID_SCHEMA,
                       "column “%s”: check %s cannot hold with %" G_GINT64_FORMAT " values "
                       "(the rows that are not null)",
                       gen->vc->name, gen->distinct_by, n_values);
          return FALSE;
        }
      if (hi < (double) n_values)
        /* Fewer distinct values than rows: a pool of exactly that many. */
        plan->pool_size = (gint64) (isnan (gen->distinct_lo) ? MAX (1, floor ((hi + 1) / 2))
                                                            : MAX (1, floor ((lo + hi) / 2)));
      else if (lo > 1)
        plan->distinct = TRUE;
    }
  if (!plan->distinct && plan->pool_size == 0)
    return TRUE;

  need = plan->distinct ? (double) n_values : (double) plan->pool_size;
  {
    gint64 pool = plan->pool_size;

    plan->pool_size = 0;   /* the domain of the values drawn into the pool */
    domain = column_domain (gen, plan);
    plan->pool_size = pool;
  }
  if (domain < need)
    {
      const char *why = gen->vc->unique ? "is unique" : "needs distinct values";

      if (gen->allowed != NULL)
        g_set_error (error, SETL_VALIDATION_ERROR, SETL_VALIDATION_ERROR_INVALID_SCHEMA,
                     "column “%s” %s, but %s allows %u values, fewer than %.0f",
                     gen->vc->name, why, gen->allowed_by, gen->allowed->len, need);
      else if (gen->has_lo && gen->has_hi)
        g_set_error (error, SETL_VALIDATION_ERROR, SETL_VALIDATION_ERROR_INVALID_SCHEMA,
                     "column “%s” %s, but checks %s and %s allow %.0f values, fewer than %.0f",
                     gen->vc->name, why, gen->lo_by, gen->hi_by, domain, need);
      else
        g_set_error (error, SETL_VALIDATION_ERROR, SETL_VALIDATION_ERROR_INVALID_SCHEMA,
                     "column “%s” %s, but its checks allow %.0f values, fewer than %.0f",
                     gen->vc->name, why, domain, need);
      return FALSE;
    }
  /* A domain barely larger than the values it must give: drawing at
   * random would take ever longer to find the last unused values, so
   * walk the whole domain in a random order instead. */
  if ((gen->allowed != NULL ||
       (gen->type != SETL_DATA_TYPE_DOUBLE && _setl_synth_is_numeric (gen->type) && gen->has_lo && gen->has_hi)) &&
      domain <= 4 * need)
    {
      plan->permute = TRUE;
      if (gen->allowed != NULL)
        plan->domain = gen->allowed->len;
      else
        {
          double last = gen->hi_incl ? floor (gen->hi) : ceil (gen->hi) - 1;

          plan->first = gen->lo_incl ? ceil (gen->lo) : floor (gen->lo) + 1;
          plan->domain = (guint64) (last - plan->first + 1);
        }
    }
  /* Integers for distinct values: room to draw from. */
  if (plan->distinct && gen->type != SETL_DATA_TYPE_DOUBLE && _setl_synth_is_numeric (gen->type))
    plan->span = MAX (plan->span, need * 10);
  return TRUE;
}

/* A mean and a spread to steer the numbers of a column to. */
static gboolean
plan_steering (ColumnGen   *gen,
               ColumnPlan  *plan,
               gint64       n_values,
               GError     **error)
{
  gboolean mean = !isnan (gen->mean_lo) || !isnan (gen->mean_hi);
  gboolean std = !isnan (gen->std_lo) || !isnan (gen->std_hi);
  double a = gen->has_lo ? gen->lo : -INFINITY;
  double b = gen->has_hi ? gen->hi : INFINITY;
  double preferred, room, spread;

  /* The values the interval holds: its integers, or inside an excluded
   * bound. */
  if (gen->type == SETL_DATA_TYPE_INT64)
    {
      if (isfinite (a))
        a = gen->lo_incl ? ceil (a) : floor (a) + 1;
      if (isfinite (b))
        b = gen->hi_incl ? floor (b) : ceil (b) - 1;
    }
  else
    {
      if (isfinite (a) && !gen->lo_incl)
        a = nextafter (a, INFINITY);
      if (isfinite (b) && !gen->hi_incl)
        b = nextafter (b, -INFINITY);
    }

  if ((!mean && !std) || gen->allowed != NULL || plan->pool_size > 0 ||
      (gen->type != SETL_DATA_TYPE_INT64 && gen->type != SETL_DATA_TYPE_DOUBLE))
    return TRUE;   /* left to the final validation */

  if (isfinite (a) && isfinite (b))
    preferred = (a + b) / 2;
  else if (isfinite (a))
    preferred = a + plan->span / 2;
  else if (isfinite (b))
    preferred = b - plan->span / 2;
  else
    preferred = 0;
  plan->center = preferred;
  if (mean)
    {
      double lo = isnan (gen->mean_lo) ? -INFINITY : gen->mean_lo;
      double hi = isnan (gen->mean_hi) ? INFINITY : gen->mean_hi;

      if (lo > b || hi < a)
        {
          g_set_error (error, SETL_VALIDATION_ERROR, SETL_VALIDATION_ERROR_INVALID_SCHEMA,
                       "column “%s”: checks %s and %s contradict each other: the values "
                       "cannot have that mean",
                       gen->vc->name, gen->mean_by, lo > b ? gen->hi_by : gen->lo_by);
          return FALSE;
        }
      lo = MAX (lo, a);
      hi = MIN (hi, b);
      /* Aim at the middle of the range, never at an edge: rounding would
       * fall on either side. */
      if (isfinite (lo) && isfinite (hi))
        preferred = (lo + hi) / 2;
      else if (isfinite (lo) && preferred <= lo)
        preferred = lo + (isfinite (b) ? (b - lo) / 2 : plan->span / 4);
      else if (isfinite (hi) && preferred >= hi)
        preferred = hi - (isfinite (a) ? (hi - a) / 2 : plan->span / 4);
      plan->center = preferred;
    }
  room = MIN (plan->center - a, b - plan->center);
  if (std)
    {
      double lo = isnan (gen->std_lo) ? 0 : gen->std_lo;
      double hi = isnan (gen->std_hi) ? INFINITY : gen->std_hi;

      spread = isfinite (hi) ? (lo + hi) / 2 : (lo > 0 ? lo * 1.25 : 1);
    }
  else
    spread = plan->span / 8;
  /* The widest spread values in [a, b] can have: half at each end. */
  if (std && isfinite (room) && n_values > 1 && !isnan (gen->std_lo) &&
      gen->std_lo > (b - a) / 2 * sqrt ((double) n_values / (double) (n_values - 1)))
    {
      g_set_error (error, SETL_VALIDATION_ERROR, SETL_VALIDATION_ERROR_INVALID_SCHEMA,
                   "column “%s”: checks %s, %s and %s contradict each other: values that "
                   "close together cannot spread that much",
                   gen->vc->name, gen->std_by, gen->lo_by, gen->hi_by);
      return FALSE;
    }
  /* Values stray up to about sqrt(3) deviations from the center; a wider
   * spread takes values at one deviation on either side only. */
  if (!std)
    spread = MIN (spread, room / 2);
  else if (spread > room / 2)
    {
      plan->two_point = TRUE;
      spread = MIN (spread, room);
    }
  plan->spread = spread;
  plan->width = MIN (plan->spread * sqrt (3), room);
  plan->steer = TRUE;
  return TRUE;
}

static gboolean
plan_combos (SetlSynthesizer  *self,
             ColumnPlan       *plans,
             gint64            n_rows,
             GError          **error)
{
  for (guint k = 0; k < self->combos->len; k++)
    {
      ComboGen *combo = g_ptr_array_index (self->combos, k);
      g_autoptr(GString) sizes = g_string_new (NULL);
      double product = 1;

      for (guint j = 0; j < combo->n; j++)
        {
          ColumnGen *gen = g_ptr_array_index (self->columns, combo->columns[j]);
          ColumnPlan *plan = &plans[combo->columns[j]];
          double domain = column_domain (gen, plan) + (plan->n_nulls > 0 ? 1 : 0);

          product *= domain;
          g_string_append_printf (sizes, "%s“%s”: %s", j > 0 ? ", " : "", gen->vc->name,
                                  isfinite (domain) ? "" : "many");
          if (isfinite (domain))
            g_string_append_printf (sizes, "%.0f", domain);
        }
      if (product < (double) n_rows)
        {
          g_set_error (error, SETL_VALIDATION_ERROR, SETL_VALIDATION_ERROR_INVALID_SCHEMA,
                       "columns %s are a unique combination, but their checks allow %.0f "
                       "combinations (%s values), fewer than %" G_GINT64_FORMAT " rows",
                       combo->names, product, sizes->str, n_rows);
          return FALSE;
        }
    }
  return TRUE;
}

/* What @n_rows rows ask of each column, refused when they cannot be made. */
ColumnPlan *
_setl_synth_plan_rows (SetlSynthesizer  *self,
                       gint64            n_rows,
                       gboolean          invalid,
                       GError          **error)
{
  g_autofree ColumnPlan *plans = g_new0 (ColumnPlan, MAX (self->columns->len, 1));

  if (self->min_rows >= 0 && n_rows < self->min_rows)
    {
      g_set_error (error, SETL_VALIDATION_ERROR, SETL_VALIDATION_ERROR_INVALID_SCHEMA,
                   "table check %s asks for at least %" G_GINT64_FORMAT " rows: %" G_GINT64_FORMAT
                   " rows would fail it", self->min_rows_by, self->min_rows, n_rows);
      return NULL;
    }
  if (self->max_rows >= 0 && n_rows > self->max_rows)
    {
      g_set_error (error, SETL_VALIDATION_ERROR, SETL_VALIDATION_ERROR_INVALID_SCHEMA,
                   "table check %s allows at most %" G_GINT64_FORMAT " rows: %" G_GINT64_FORMAT
                   " rows would fail it", self->max_rows_by, self->max_rows, n_rows);
      return NULL;
    }
  for (guint c = 0; c < self->columns->len; c++)
    {
      ColumnGen *gen = g_ptr_array_index (self->columns, c);
      ColumnPlan *plan = &plans[c];

      plan->span = _setl_synth_default_span (gen->type);
      /* Invalid rows hold nulls only where a null is the target. */
      if (!invalid && !plan_nulls (self, gen, plan, n_rows, error))
        return NULL;
      if (!plan_distinct (self, gen, plan, n_rows - plan->n_nulls, error) ||
          !plan_steering (gen, plan, n_rows - plans[c].n_nulls, error))
        return NULL;
    }
  if (!plan_combos (self, plans, n_rows, error))
    return NULL;
  return g_steal_pointer (&plans);
}
