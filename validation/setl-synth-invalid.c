/* setl-synth-invalid.c: rows that each break exactly one target of the
 * schema, taken in turn — a null in a column that is not nullable, a
 * value that fails one check and passes the column's others, or a value
 * (or combination) of a unique column (or combination) repeating an
 * earlier row's — the other values of each row valid; and the targets
 * table saying which target each row breaks, as the validation report
 * names it. What no row can break alone is given up and listed.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "setl-synth-invalid.h"
#include "setl-synth-column.h"
#include "setl-synth-hash-set.h"
#include "setl-synth-regex.h"
#include "setl-synth-values.h"

#include <math.h>

#define INVALID_CANDIDATES 48

/* Values likely to fail some check of @gen: past the bounds, forbidden,
 * near the allowed ones, of wrong lengths, without the affixes, random. */
static gint64
draw_invalid_candidates (ColumnGen *gen,
                         GRand     *rand,
                         GValue    *out,
                         gint64     max)
{
  gint64 n = 0;

#define ADD_NUMBER(x) G_STMT_START { if (n < max) _setl_synth_value_set_number (&out[n++], gen->type, (x)); } G_STMT_END
#define ADD_STRING(s) G_STMT_START { if (n < max) { g_value_init (&out[n], G_TYPE_STRING); g_value_take_string (&out[n++], (s)); } else g_free (s); } G_STMT_END

  for (guint i = 0; i < gen->forbidden->len && n < max / 4; i++)
    {
      g_value_init (&out[n], G_VALUE_TYPE (g_ptr_array_index (gen->forbidden, i)));
      g_value_copy (g_ptr_array_index (gen->forbidden, i), &out[n++]);
    }
  if (_setl_synth_is_numeric (gen->type))
    {
      double step = gen->type == SETL_DATA_TYPE_DOUBLE ? 0.5 : 1;

      for (int k = 0; k < 4; k++)
        {
          double far = (double) g_rand_int_range (rand, 1, 1000) * step;

          if (gen->has_lo)
            ADD_NUMBER (gen->lo - (k == 0 ? (gen->lo_incl ? step : 0) : far));
          if (gen->has_hi)
            ADD_NUMBER (gen->hi + (k == 0 ? (gen->hi_incl ? step : 0) : far));
        }
      for (guint i = 0; gen->allowed != NULL && i < gen->allowed->len && i < 8; i++)
        {
          double v = _setl_synth_value_number (g_ptr_array_index (gen->allowed, i));

          ADD_NUMBER (v + step);
          ADD_NUMBER (v - step);
        }
      /* Two decimals at most: short texts in reports, whatever prints them. */
      while (n < max)
        ADD_NUMBER (round ((_setl_synth_default_origin (gen->type) +
                            (g_rand_double (rand) - 0.5) * 2 * _setl_synth_default_span (gen->type) * 1000) * 100) / 100);
    }
  else if (gen->type == SETL_DATA_TYPE_STRING)
    {
      gint64 too_short = gen->min_len > 0 ? gen->min_len - 1 : -1;
      gint64 too_long = gen->max_len >= 0 ? gen->max_len + 1 : -1;

      if (too_short >= 0)
        {
          ADD_STRING (_setl_synth_random_text (rand, too_short, NULL, NULL));
          if (_setl_synth_text_length (gen->prefix) + _setl_synth_text_length (gen->suffix) <= too_short)
            ADD_STRING (_setl_synth_random_text (rand, too_short, gen->prefix, gen->suffix));
        }
      if (too_long >= 0)
        {
          ADD_STRING (_setl_synth_random_text (rand, too_long, gen->prefix, gen->suffix));
          ADD_STRING (_setl_synth_random_text (rand, too_long + 3, NULL, NULL));
        }
      if (gen->prefix || gen->suffix)
        {
          gint64 length = gen->min_len > 0 ? gen->min_len : 6;

          if (gen->max_len >= 0 && length > gen->max_len)
            length = gen->max_len;
          ADD_STRING (_setl_synth_random_text (rand, length, NULL, gen->suffix));
          ADD_STRING (_setl_synth_random_text (rand, length, gen->prefix, NULL));
          ADD_STRING (_setl_synth_random_text (rand, length, NULL, NULL));
        }
      for (guint i = 0; gen->allowed != NULL && i < gen->allowed->len && i < 8; i++)
        ADD_STRING (g_strconcat (g_value_get_string (g_ptr_array_index (gen->allowed, i)), "x", NULL));
      /* Strings a pattern check matches, to break the column's other
       * checks while passing it. */
      for (guint c = 0; c < gen->verify->len; c++)
        {
          SetlCheck *check = ((SetlValidatorCheck *) g_ptr_array_index (gen->verify, c))->check;
          g_autofree char *pattern = NULL;

          if (g_object_class_find_property (G_OBJECT_GET_CLASS (check), "pattern") != NULL)
            g_object_get (check, "pattern", &pattern, NULL);
          for (int k = 0; pattern != NULL && k < 6; k++)
            {
              char *text = _setl_synth_regex_sample (pattern, rand);

              if (text == NULL)
                break;
              ADD_STRING (text);
            }
        }
      ADD_STRING (g_strdup (""));
      ADD_STRING (g_strdup ("Z9 !"));
      while (n < max)
        {
          gint64 length = g_rand_int_range (rand, 0, 16);
          gboolean keep_prefix = g_rand_boolean (rand), keep_suffix = g_rand_boolean (rand);

          ADD_STRING (_setl_synth_random_text (rand, length, keep_prefix ? gen->prefix : NULL,
                                               keep_suffix ? gen->suffix : NULL));
        }
    }
  else
    {
      while (n < max)
        {
          g_value_init (&out[n], G_TYPE_BOOLEAN);
          g_value_set_boolean (&out[n], n % 2 == 0);
          n++;
        }
    }
#undef ADD_NUMBER
#undef ADD_STRING
  return n;
}

static char *
target_describe (SetlSynthesizer *self,
                 Target          *target)
{
  ColumnGen *gen;

  if (target->kind == TARGET_COMBINATION)
    return g_strdup_printf ("%s: multiple_fields_uniqueness",
                            ((ComboGen *) g_ptr_array_index (self->combos, target->column))->names);
  gen = g_ptr_array_index (self->columns, target->column);
  switch (target->kind)
    {
    case TARGET_NULL: return g_strdup_printf ("%s: not_nullable", gen->vc->name);
    case TARGET_DUPLICATE: return g_strdup_printf ("%s: field_uniqueness", gen->vc->name);
    default: return g_strdup_printf ("%s: %s", gen->vc->name, target->check->description);
    }
}

#define BREAKING_CACHE 16

/* A value that fails @target's check and passes the column's others, not
 * used before in a distinct column. Values found for a column whose
 * values may repeat are kept for the next rows with that target. */
static gboolean
find_breaking_value (Pass      *pass,
                     Target    *target,
                     GValue    *out,
                     GError   **error)
{
  ColumnGen *gen = g_ptr_array_index (pass->self->columns, target->column);
  SetlSynthHashSet *seen = pass->cols[target->column].seen;
  GPtrArray *cache = seen == NULL ? g_hash_table_lookup (pass->breaking, target) : NULL;

  if (cache != NULL && cache->len >= BREAKING_CACHE / 2)
    {
      _setl_synth_value_assign (out, g_ptr_array_index (cache, g_rand_int_range (pass->rand, 0, (gint32) cache->len)));
      return TRUE;
    }
  for (int attempt = 0; attempt < 4; attempt++)
    {
      GValue candidates[INVALID_CANDIDATES] = { G_VALUE_INIT };
      gboolean others_fail[INVALID_CANDIDATES] = { FALSE };
      gboolean target_fails[INVALID_CANDIDATES] = { FALSE };
      gint64 n = draw_invalid_candidates (gen, pass->rand, candidates, INVALID_CANDIDATES);
      gboolean found = FALSE;

      for (guint c = 0; c < gen->verify->len; c++)
        {
          SetlValidatorCheck *vcheck = g_ptr_array_index (gen->verify, c);
          gboolean fails[INVALID_CANDIDATES] = { FALSE };

          if (!_setl_synth_run_check (vcheck, gen->type, candidates, n, fails, error))
            {
              for (gint64 i = 0; i < n; i++)
                g_value_unset (&candidates[i]);
              return FALSE;
            }
          for (gint64 i = 0; i < n; i++)
            {
              if (vcheck == target->check)
                target_fails[i] = fails[i];
              else
                others_fail[i] |= fails[i];
            }
        }
      for (gint64 i = 0; i < n; i++)
        {
          if (target_fails[i] && !others_fail[i] &&
              (seen == NULL || !_setl_synth_hash_set_contains (seen, _setl_synth_value_hash (&candidates[i]))))
            {
              if (!found)
                {
                  _setl_synth_value_assign (out, &candidates[i]);
                  if (seen != NULL)
                    _setl_synth_hash_set_add (seen, _setl_synth_value_hash (out));
                  found = TRUE;
                }
              if (seen == NULL)
                {
                  if (cache == NULL)
                    {
                      cache = g_ptr_array_new_with_free_func (_setl_synth_value_free);
                      g_hash_table_insert (pass->breaking, target, cache);
                    }
                  if (cache->len < BREAKING_CACHE)
                    g_ptr_array_add (cache, _setl_synth_value_copy (&candidates[i]));
                }
            }
          g_value_unset (&candidates[i]);
        }
      if (found)
        return TRUE;
    }
  return TRUE;   /* none: @out left unset */
}

/* Whether @target puts an invalid value (or a null) in column @c. */
static gboolean
target_breaks_column (Target *target,
                      guint   c)
{
  return (target->kind == TARGET_NULL || target->kind == TARGET_CHECK) && target->column == c;
}

static gboolean
target_breaks_combo (Target   *target,
                     ComboGen *combo)
{
  for (guint j = 0; j < combo->n; j++)
    if (target_breaks_column (target, combo->columns[j]))
      return TRUE;
  return FALSE;
}

/* Whether a repeat target has an earlier valid value (or combination) to
 * repeat. */
static gboolean
target_ready (Pass   *pass,
              Target *target)
{
  if (target->kind == TARGET_DUPLICATE)
    return G_IS_VALUE (&pass->cols[target->column].source);
  if (target->kind == TARGET_COMBINATION)
    return pass->combos[target->column].source != NULL;
  return TRUE;
}

/* Until there is an earlier value to repeat, a repeat target gives way to
 * a target that leaves the repeated columns valid (that row then becomes
 * the source); NULL if there is none. */
static Target *
stand_in (Pass   *pass,
          Target *target)
{
  for (guint k = 0; k < pass->live->len; k++)
    {
      Target *other = g_ptr_array_index (pass->live, k);

      if (other->kind != TARGET_NULL && other->kind != TARGET_CHECK)
        continue;
      if (target->kind == TARGET_DUPLICATE && other->column == target->column)
        continue;
      if (target->kind == TARGET_COMBINATION &&
          target_breaks_combo (other, g_ptr_array_index (pass->self->combos, target->column)))
        continue;
      return other;
    }
  return NULL;
}

static void
give_up_target (Pass   *pass,
                Target *target)
{
  g_ptr_array_add (pass->self->unbreakable, target_describe (pass->self, target));
  g_ptr_array_remove (pass->live, target);
}

/* Breaks @target in row @row; FALSE in *@broken if no value can. */
static gboolean
apply_target (Pass       *pass,
              Target     *target,
              GValue    **columns,
              gboolean  **fixed,
              gint64      row,
              gboolean   *broken,
              GError    **error)
{
  SetlSynthesizer *self = pass->self;

  *broken = TRUE;
  switch (target->kind)
    {
    case TARGET_NULL:
      g_value_unset (&columns[target->column][row]);
      fixed[target->column][row] = TRUE;
      return TRUE;
    case TARGET_DUPLICATE:
      /* With exclude_first only the repeat is reported. */
      _setl_synth_value_assign (&columns[target->column][row], &pass->cols[target->column].source);
      fixed[target->column][row] = TRUE;
      return TRUE;
    case TARGET_COMBINATION:
      {
        ComboGen *combo = g_ptr_array_index (self->combos, target->column);

        for (guint j = 0; j < combo->n; j++)
          {
            _setl_synth_value_assign (&columns[combo->columns[j]][row], &pass->combos[target->column].source[j]);
            fixed[combo->columns[j]][row] = TRUE;
          }
        return TRUE;
      }
    default:
      {
        g_auto(GValue) value = G_VALUE_INIT;

        if (!find_breaking_value (pass, target, &value, error))
          return FALSE;
        if (!G_IS_VALUE (&value))
          {
            *broken = FALSE;
            return TRUE;
          }
        _setl_synth_value_assign (&columns[target->column][row], &value);
        fixed[target->column][row] = TRUE;
        return TRUE;
      }
    }
}

/* A finished row's valid values are sources for repeats. */
static void
note_sources (Pass     *pass,
              Target   *target,
              GValue  **columns,
              gint64    row)
{
  SetlSynthesizer *self = pass->self;

  for (guint c = 0; c < self->columns->len; c++)
    if (!G_IS_VALUE (&pass->cols[c].source) && !target_breaks_column (target, c) &&
        G_IS_VALUE (&columns[c][row]))
      _setl_synth_value_assign (&pass->cols[c].source, &columns[c][row]);
  for (guint k = 0; k < self->combos->len; k++)
    {
      ComboGen *combo = g_ptr_array_index (self->combos, k);

      if (pass->combos[k].source != NULL || target_breaks_combo (target, combo))
        continue;
      pass->combos[k].source = g_new0 (GValue, combo->n);
      for (guint j = 0; j < combo->n; j++)
        _setl_synth_value_assign (&pass->combos[k].source[j], &columns[combo->columns[j]][row]);
    }
}

GPtrArray *
_setl_synth_target_fields (void)
{
  GPtrArray *fields = g_ptr_array_new_with_free_func (g_object_unref);

  g_ptr_array_add (fields, setl_field_new ("row", SETL_DATA_TYPE_INT64, FALSE));
  g_ptr_array_add (fields, setl_field_new ("column", SETL_DATA_TYPE_STRING, FALSE));
  g_ptr_array_add (fields, setl_field_new ("check", SETL_DATA_TYPE_STRING, FALSE));
  g_ptr_array_add (fields, setl_field_new ("check_number", SETL_DATA_TYPE_INT64, TRUE));
  g_ptr_array_add (fields, setl_field_new ("reason", SETL_DATA_TYPE_STRING, FALSE));
  return fields;
}

static SetlRecordBatch *
make_targets_batch (SetlSynthesizer  *self,
                    Target          **targets,
                    gint64            first_row,
                    gint64            n,
                    GError          **error)
{
  g_autoptr(SetlColumnBuilder) row_b = setl_column_builder_new (SETL_DATA_TYPE_INT64);
  g_autoptr(SetlColumnBuilder) column_b = setl_column_builder_new (SETL_DATA_TYPE_STRING);
  g_autoptr(SetlColumnBuilder) check_b = setl_column_builder_new (SETL_DATA_TYPE_STRING);
  g_autoptr(SetlColumnBuilder) number_b = setl_column_builder_new (SETL_DATA_TYPE_INT64);
  g_autoptr(SetlColumnBuilder) reason_b = setl_column_builder_new (SETL_DATA_TYPE_STRING);
  g_autoptr(GPtrArray) fields = _setl_synth_target_fields ();
  g_autoptr(GPtrArray) columns = g_ptr_array_new_with_free_func (g_object_unref);
  SetlColumnBuilder *builders[5];

  for (gint64 i = 0; i < n; i++)
    {
      Target *t = targets[i];
      SetlValidationReason reason;
      const char *check;

      setl_column_builder_append_int64 (row_b, first_row + i);
      if (t->kind == TARGET_COMBINATION)
        setl_column_builder_append_string (column_b,
          ((ComboGen *) g_ptr_array_index (self->combos, t->column))->names, -1);
      else
        setl_column_builder_append_string (column_b,
          ((ColumnGen *) g_ptr_array_index (self->columns, t->column))->vc->name, -1);
      switch (t->kind)
        {
        case TARGET_NULL:
          check = "not_nullable";
          reason = SETL_VALIDATION_REASON_SERIES_CONTAINS_NULLS;
          break;
        case TARGET_DUPLICATE:
          check = "field_uniqueness";
          reason = SETL_VALIDATION_REASON_SERIES_CONTAINS_DUPLICATES;
          break;
        case TARGET_COMBINATION:
          check = "multiple_fields_uniqueness";
          reason = SETL_VALIDATION_REASON_DUPLICATES;
          break;
        default:
          check = t->check->description;
          reason = SETL_VALIDATION_REASON_CHECK_FAILED;
          break;
        }
      setl_column_builder_append_string (check_b, check, -1);
      if (t->kind == TARGET_CHECK)
        setl_column_builder_append_int64 (number_b, setl_schema_check_get_index (t->check->reference));
      else
        setl_column_builder_append_null (number_b);
      setl_column_builder_append_string (reason_b, setl_validation_reason_to_string (reason), -1);
    }
  builders[0] = row_b;
  builders[1] = column_b;
  builders[2] = check_b;
  builders[3] = number_b;
  builders[4] = reason_b;
  for (guint i = 0; i < G_N_ELEMENTS (builders); i++)
    {
      SetlColumn *column = setl_column_builder_finish (builders[i], error);

      if (column == NULL)
        return NULL;
      g_ptr_array_add (columns, column);
    }
  return setl_record_batch_new ((SetlField **) fields->pdata, fields->len,
                                (SetlColumn **) columns->pdata, columns->len, error);
}

SetlRecordBatch *
_setl_synth_make_invalid_batch (Pass       *pass,
                                GPtrArray  *fields,
                                gint64      n,
                                GError    **error)
{
  SetlSynthesizer *self = pass->self;
  guint n_columns = self->columns->len;
  GValue **columns = g_new0 (GValue *, MAX (n_columns, 1));
  g_autofree gboolean **fixed = g_new0 (gboolean *, MAX (n_columns, 1));
  g_autofree gboolean *want = g_new (gboolean, MAX (n, 1));
  g_autofree Target **row_targets = g_new0 (Target *, MAX (n, 1));
  g_autofree GValue *saved = g_new0 (GValue, MAX (n_columns, 1));
  g_autoptr(SetlRecordBatch) targets = NULL;
  SetlRecordBatch *batch = NULL;
  gboolean ok = TRUE;

  /* Valid values everywhere (no nulls), then one target per row broken. */
  for (gint64 i = 0; i < n; i++)
    want[i] = TRUE;
  for (guint c = 0; c < n_columns; c++)
    {
      columns[c] = g_new0 (GValue, MAX (n, 1));
      fixed[c] = g_new0 (gboolean, MAX (n, 1));
    }
  for (guint c = 0; ok && c < n_columns; c++)
    {
      ok = _setl_synth_fill_values (pass, c, columns[c], want, n, TRUE, error);
      pass->cols[c].values_left -= n;
    }

  for (gint64 i = 0; ok && i < n; i++)
    {
      gint64 row = pass->done + i;
      gboolean broken = FALSE;

      for (guint c = 0; c < n_columns; c++)
        _setl_synth_value_assign (&saved[c], &columns[c][i]);
      while (ok && !broken && pass->live->len > 0)
        {
          Target *t = g_ptr_array_index (pass->live, row % pass->live->len);
          gboolean stuck = FALSE;

          if (!target_ready (pass, t))
            {
              Target *other = stand_in (pass, t);

              if (other == NULL)
                {
                  give_up_target (pass, t);
                  continue;
                }
              t = other;
            }
          ok = apply_target (pass, t, columns, fixed, i, &broken, error);
          if (ok && broken)
            ok = _setl_synth_settle_combos (pass, columns, fixed, i,
                                            t->kind == TARGET_COMBINATION ? (int) t->column : -1, &stuck, error);
          if (ok && stuck)
            {
              /* Its value leaves every combination of the row taken (a
               * null, say, with few values beside it): another target,
               * and the row as it was. */
              for (guint c = 0; c < n_columns; c++)
                {
                  _setl_synth_value_assign (&columns[c][i], &saved[c]);
                  fixed[c][i] = FALSE;
                }
              broken = FALSE;
            }
          if (ok && broken)
            row_targets[i] = t;
          else if (ok)
            give_up_target (pass, t);
        }
      if (ok && !broken)
        {
          g_set_error (error, SETL_VALIDATION_ERROR, SETL_VALIDATION_ERROR_INVALID_SCHEMA,
                       "schema “%s” has no check that a row can break alone",
                       setl_schema_get_name (setl_synthesizer_get_schema (self)));
          ok = FALSE;
        }
      if (ok)
        note_sources (pass, row_targets[i], columns, i);
    }
  for (guint c = 0; c < n_columns; c++)
    if (G_IS_VALUE (&saved[c]))
      g_value_unset (&saved[c]);
  if (ok)
    {
      _setl_synth_add_drift (pass, columns, n);
      targets = make_targets_batch (self, row_targets, pass->done, n, error);
      ok = targets != NULL;
    }
  if (ok)
    batch = _setl_synth_make_batch (self, fields, columns, n, error);
  for (guint c = 0; c < n_columns; c++)
    g_free (fixed[c]);
  _setl_synth_free_cells (columns, n_columns, n);
  if (batch != NULL)
    _setl_synthesizer_emit_targets (self, targets);
  return batch;
}
