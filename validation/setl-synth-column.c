/* setl-synth-column.c: one column of the synthesizer (ColumnGen) — the
 * constraints its checks state, merged into one interval, one set of
 * allowed and one of forbidden values, one length range, a prefix and a
 * suffix (contradictions refused, naming the checks), what its aggregate
 * checks ask of the whole column; and values drawn from them, run
 * through the column's checks.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "setl-synth-column.h"
#include "setl-synth-values.h"

#include <math.h>

void
_setl_synth_column_gen_free (gpointer data)
{
  ColumnGen *gen = data;

  g_clear_pointer (&gen->allowed, g_ptr_array_unref);
  g_clear_pointer (&gen->forbidden, g_ptr_array_unref);
  g_clear_pointer (&gen->verify, g_ptr_array_unref);
  g_free (gen->prefix);
  g_free (gen->suffix);
  g_free (gen);
}

static void
tighten_lo (ColumnGen  *gen,
            double      bound,
            gboolean    inclusive,
            const char *by)
{
  if (isnan (bound))
    return;
  if (!gen->has_lo || bound > gen->lo || (bound == gen->lo && !inclusive))
    {
      gen->has_lo = TRUE;
      gen->lo = bound;
      gen->lo_incl = inclusive;
      gen->lo_by = by;
    }
}

static void
tighten_hi (ColumnGen  *gen,
            double      bound,
            gboolean    inclusive,
            const char *by)
{
  if (isnan (bound))
    return;
  if (!gen->has_hi || bound < gen->hi || (bound == gen->hi && !inclusive))
    {
      gen->has_hi = TRUE;
      gen->hi = bound;
      gen->hi_incl = inclusive;
      gen->hi_by = by;
    }
}

static double
json_number (JsonNode     *node,
             SetlDataType  type)
{
  g_auto(GValue) value = G_VALUE_INIT;

  if (node == NULL || !setl_validation_value_from_json (node, type, &value, NULL))
    return NAN;
  return _setl_synth_value_number (&value);
}

/* The characters of @text, each as a string value. */
static GPtrArray *
text_characters (const char *text)
{
  GPtrArray *values = g_ptr_array_new_with_free_func (_setl_synth_value_free);

  for (const char *p = text; p != NULL && *p != '\0'; p = g_utf8_next_char (p))
    {
      GValue *v = g_new0 (GValue, 1);

      g_value_init (v, G_TYPE_STRING);
      g_value_take_string (v, g_strndup (p, g_utf8_next_char (p) - p));
      g_ptr_array_add (values, v);
    }
  return values;
}

static gboolean
restrict_allowed (ColumnGen   *gen,
                  GPtrArray   *values,
                  const char  *by,
                  GError     **error)
{
  if (gen->allowed == NULL)
    {
      gen->allowed = g_ptr_array_ref (values);
      gen->allowed_by = by;
      return TRUE;
    }
  for (guint i = gen->allowed->len; i-- > 0;)
    {
      gboolean found = FALSE;

      for (guint j = 0; j < values->len && !found; j++)
        found = setl_validation_value_equal (g_ptr_array_index (gen->allowed, i),
                                             g_ptr_array_index (values, j));
      if (!found)
        g_ptr_array_remove_index (gen->allowed, i);
    }
  if (gen->allowed->len == 0)
    {
      g_set_error (error, SETL_VALIDATION_ERROR, SETL_VALIDATION_ERROR_INVALID_SCHEMA,
                   "column “%s”: checks %s and %s have no value in common",
                   gen->vc->name, gen->allowed_by, by);
      return FALSE;
    }
  return TRUE;
}

static gboolean
merge_affix (char       **affix,
             const char **affix_by,
             const char  *value,
             const char  *by,
             gboolean     prefix,
             const char  *column,
             GError     **error)
{
  if (value == NULL)
    return TRUE;
  if (*affix == NULL)
    {
      *affix = g_strdup (value);
      *affix_by = by;
      return TRUE;
    }
  /* One must extend the other; keep the longer. */
  if (prefix ? g_str_has_prefix (value, *affix) : g_str_has_suffix (value, *affix))
    {
      g_free (*affix);
      *affix = g_strdup (value);
      *affix_by = by;
      return TRUE;
    }
  if (prefix ? g_str_has_prefix (*affix, value) : g_str_has_suffix (*affix, value))
    return TRUE;
  g_set_error (error, SETL_VALIDATION_ERROR, SETL_VALIDATION_ERROR_INVALID_SCHEMA,
               "column “%s”: checks %s and %s contradict each other: no text %s with both",
               column, *affix_by, by, prefix ? "starts" : "ends");
  return FALSE;
}

static gboolean
merge_check (ColumnGen           *gen,
             SetlValidatorCheck  *vcheck,
             GError             **error)
{
  SetlCheck *check = vcheck->check;
  const char *name = setl_check_get_check_name (check);
  const char *by = vcheck->description;
  SetlDataType type = gen->type;

  if (g_str_equal (name, "eq") || g_str_equal (name, "isin"))
    {
      g_autoptr(JsonNode) node = _setl_check_get_json_property (check, g_str_equal (name, "eq") ? "value" : "allowed-values");
      g_autoptr(GPtrArray) values = NULL;

      if (node == NULL)
        return TRUE;
      /* isin "abc" on strings means one of the characters, as in Pandera. */
      if (!g_str_equal (name, "eq") && !JSON_NODE_HOLDS_ARRAY (node))
        {
          if (type != SETL_DATA_TYPE_STRING || json_node_get_value_type (node) != G_TYPE_STRING)
            return TRUE;
          values = text_characters (json_node_get_string (node));
        }
      else
        values = _setl_synth_json_values (node, type);
      return restrict_allowed (gen, values, by, error);
    }
  if (g_str_equal (name, "ne") || g_str_equal (name, "notin"))
    {
      g_autoptr(JsonNode) node = _setl_check_get_json_property (check, g_str_equal (name, "ne") ? "value" : "forbidden-values");
      g_autoptr(GPtrArray) values = _setl_synth_json_values (node, type);

      for (guint i = 0; i < values->len; i++)
        g_ptr_array_add (gen->forbidden, _setl_synth_value_copy (g_ptr_array_index (values, i)));
      return TRUE;
    }
  if (_setl_synth_is_numeric (type))
    {
      if (g_str_equal (name, "gt") || g_str_equal (name, "ge"))
        {
          g_autoptr(JsonNode) node = _setl_check_get_json_property (check, "min-value");

          tighten_lo (gen, json_number (node, type), g_str_equal (name, "ge"), by);
        }
      else if (g_str_equal (name, "lt") || g_str_equal (name, "le"))
        {
          g_autoptr(JsonNode) node = _setl_check_get_json_property (check, "max-value");

          tighten_hi (gen, json_number (node, type), g_str_equal (name, "le"), by);
        }
      else if (g_str_equal (name, "in_range"))
        {
          g_autoptr(JsonNode) lo = _setl_check_get_json_property (check, "min-value");
          g_autoptr(JsonNode) hi = _setl_check_get_json_property (check, "max-value");

          tighten_lo (gen, json_number (lo, type), _setl_check_get_bool_property (check, "include-min", TRUE), by);
          tighten_hi (gen, json_number (hi, type), _setl_check_get_bool_property (check, "include-max", TRUE), by);
        }
      return TRUE;
    }
  if (type != SETL_DATA_TYPE_STRING)
    return TRUE;
  if (g_str_equal (name, "str_length"))
    {
      gint64 exact = _setl_check_get_int64_property (check, "value");
      gint64 lo = exact >= 0 ? exact : _setl_check_get_int64_property (check, "min-value");
      gint64 hi = exact >= 0 ? exact : _setl_check_get_int64_property (check, "max-value");

      if (lo >= 0 && lo > gen->min_len)
        {
          gen->min_len = lo;
          gen->min_len_by = by;
        }
      if (hi >= 0 && (gen->max_len < 0 || hi < gen->max_len))
        {
          gen->max_len = hi;
          gen->max_len_by = by;
        }
      if (gen->max_len >= 0 && gen->min_len > gen->max_len)
        {
          g_set_error (error, SETL_VALIDATION_ERROR, SETL_VALIDATION_ERROR_INVALID_SCHEMA,
                       "column “%s”: checks %s and %s contradict each other: no text is at least "
                       "%" G_GINT64_FORMAT " and at most %" G_GINT64_FORMAT " characters long",
                       gen->vc->name, gen->min_len_by, gen->max_len_by, gen->min_len, gen->max_len);
          return FALSE;
        }
      return TRUE;
    }
  if (g_str_equal (name, "str_startswith") || g_str_equal (name, "str_endswith"))
    {
      g_autofree char *affix = NULL;
      gboolean prefix = g_str_equal (name, "str_startswith");

      if (g_object_class_find_property (G_OBJECT_GET_CLASS (check), "string") != NULL)
        g_object_get (check, "string", &affix, NULL);
      return prefix ? merge_affix (&gen->prefix, &gen->prefix_by, affix, by, TRUE, gen->vc->name, error)
                    : merge_affix (&gen->suffix, &gen->suffix_by, affix, by, FALSE, gen->vc->name, error);
    }
  return TRUE;
}

/* The interval, once merged, must hold a value. */
static gboolean
check_interval (ColumnGen  *gen,
                GError    **error)
{
  gboolean empty = FALSE;

  if (!gen->has_lo || !gen->has_hi)
    return TRUE;
  if (gen->lo > gen->hi)
    empty = TRUE;
  else if (gen->lo == gen->hi && !(gen->lo_incl && gen->hi_incl))
    empty = TRUE;
  else if (gen->type != SETL_DATA_TYPE_DOUBLE)
    {
      double first = gen->lo_incl ? ceil (gen->lo) : floor (gen->lo) + 1;
      double last = gen->hi_incl ? floor (gen->hi) : ceil (gen->hi) - 1;

      empty = first > last;
    }
  if (!empty)
    return TRUE;
  if (gen->lo_by == gen->hi_by)
    g_set_error (error, SETL_VALIDATION_ERROR, SETL_VALIDATION_ERROR_INVALID_SCHEMA,
                 "column “%s”: check %s allows no %s value",
                 gen->vc->name, gen->lo_by, setl_data_type_to_string (gen->type));
  else
    g_set_error (error, SETL_VALIDATION_ERROR, SETL_VALIDATION_ERROR_INVALID_SCHEMA,
                 "column “%s”: checks %s and %s contradict each other: no %s value satisfies both",
                 gen->vc->name, gen->lo_by, gen->hi_by, setl_data_type_to_string (gen->type));
  return FALSE;
}

gboolean
_setl_synth_column_in_interval (ColumnGen *gen,
                                double     v)
{
  if (gen->has_lo && (v < gen->lo || (v == gen->lo && !gen->lo_incl)))
    return FALSE;
  if (gen->has_hi && (v > gen->hi || (v == gen->hi && !gen->hi_incl)))
    return FALSE;
  return TRUE;
}

gboolean
_setl_synth_column_is_forbidden (ColumnGen    *gen,
                                 const GValue *value)
{
  for (guint i = 0; i < gen->forbidden->len; i++)
    if (setl_validation_value_equal (value, g_ptr_array_index (gen->forbidden, i)))
      return TRUE;
  return FALSE;
}

/* A column of @values (unset GValues are nulls). */
SetlColumn *
_setl_synth_make_column (SetlDataType   type,
                         GValue        *values,
                         gint64         n,
                         GError       **error)
{
  g_autoptr(SetlColumnBuilder) builder = setl_column_builder_new (type);

  setl_column_builder_reserve (builder, n, 0);
  for (gint64 i = 0; i < n; i++)
    {
      GValue *v = &values[i];

      if (!G_IS_VALUE (v))
        {
          setl_column_builder_append_null (builder);
          continue;
        }
      switch (type)
        {
        case SETL_DATA_TYPE_BOOL: setl_column_builder_append_bool (builder, g_value_get_boolean (v)); break;
        case SETL_DATA_TYPE_INT64: setl_column_builder_append_int64 (builder, g_value_get_int64 (v)); break;
        case SETL_DATA_TYPE_DOUBLE: setl_column_builder_append_double (builder, g_value_get_double (v)); break;
        case SETL_DATA_TYPE_STRING: setl_column_builder_append_string (builder, g_value_get_string (v), -1); break;
        case SETL_DATA_TYPE_DATE32: setl_column_builder_append_date32 (builder, g_value_get_int (v)); break;
        case SETL_DATA_TYPE_TIMESTAMP: setl_column_builder_append_timestamp (builder, g_value_get_int64 (v)); break;
        default: setl_column_builder_append_null (builder); break;
        }
    }
  return setl_column_builder_finish (builder, error);
}

/* Runs @check over @values; sets failed[i] for the values that fail. */
gboolean
_setl_synth_run_check (SetlValidatorCheck  *vcheck,
                       SetlDataType         type,
                       GValue              *values,
                       gint64               n,
                       gboolean            *failed,
                       GError             **error)
{
  g_autoptr(SetlColumn) column = _setl_synth_make_column (type, values, n, error);
  g_autoptr(GArray) indices = NULL;

  if (column == NULL ||
      !setl_check_run (vcheck->check, column, NULL, &indices, error))
    return FALSE;
  for (guint i = 0; indices != NULL && i < indices->len; i++)
    failed[g_array_index (indices, gint64, i)] = TRUE;
  return TRUE;
}

/* Characters in text (lengths are counted in characters, as str_length
 * does, not in bytes). */
gint64
_setl_synth_text_length (const char *text)
{
  return text != NULL ? g_utf8_strlen (text, -1) : 0;
}

/* Random text of @length characters with @prefix and @suffix: mostly
 * ASCII letters, one character in eight from other scripts, so that
 * lengths in characters and in bytes differ. */
char *
_setl_synth_random_text (GRand      *rand,
                         gint64      length,
                         const char *prefix,
                         const char *suffix)
{
  static const gunichar others[] = { 0xe9, 0xdf, 0xf8, 0x436, 0x3bb, 0x4e2d, 0x6587 };
  GString *s = g_string_new (prefix);
  gint64 middle = length - _setl_synth_text_length (prefix) - _setl_synth_text_length (suffix);

  for (gint64 i = 0; i < middle; i++)
    {
      if (g_rand_int_range (rand, 0, 8) == 0)
        g_string_append_unichar (s, others[g_rand_int_range (rand, 0, G_N_ELEMENTS (others))]);
      else
        g_string_append_c (s, 'a' + g_rand_int_range (rand, 0, 26));
    }
  if (suffix)
    g_string_append (s, suffix);
  return g_string_free (s, FALSE);
}

/* The default span of an unbounded side. */
double
_setl_synth_default_span (SetlDataType type)
{
  switch (type)
    {
    case SETL_DATA_TYPE_DATE32: return 365.0 * 30;
    case SETL_DATA_TYPE_TIMESTAMP: return 365.0 * 30 * 86400 * 1e6;
    default: return 1000.0;
    }
}

double
_setl_synth_default_origin (SetlDataType type)
{
  switch (type)
    {
    case SETL_DATA_TYPE_DATE32: return 10957;            /* 2000-01-01 */
    case SETL_DATA_TYPE_TIMESTAMP: return 946684800e6;   /* 2000-01-01 00:00 UTC */
    default: return 0;
    }
}

/* A value drawn from the merged constraints (not yet run through the
 * checks). */
void
_setl_synth_column_draw_valid (ColumnGen *gen,
                               double     span,
                               GRand     *rand,
                               GValue    *out)
{
  if (gen->allowed != NULL)
    {
      const GValue *v = g_ptr_array_index (gen->allowed, g_rand_int_range (rand, 0, (gint32) gen->allowed->len));

      g_value_init (out, G_VALUE_TYPE (v));
      g_value_copy (v, out);
      return;
    }
  if (_setl_synth_is_numeric (gen->type))
    {
      double lo = gen->has_lo ? gen->lo : (gen->has_hi ? MIN (gen->hi, _setl_synth_default_origin (gen->type)) - span
                                                       : _setl_synth_default_origin (gen->type));
      double hi = gen->has_hi ? gen->hi : lo + span;
      double v;

      if (gen->type == SETL_DATA_TYPE_DOUBLE)
        {
          v = lo + (hi - lo) * g_rand_double (rand);
          if (!_setl_synth_column_in_interval (gen, v))
            v = (lo + hi) / 2;
        }
      else
        {
          double first = gen->has_lo && !gen->lo_incl && floor (lo) == lo ? lo + 1 : ceil (lo);
          double last = gen->has_hi && !gen->hi_incl && floor (hi) == hi ? hi - 1 : floor (hi);

          if (last < first)
            last = first;
          v = first + floor (g_rand_double (rand) * (last - first + 1));
          if (v > last)
            v = last;
        }
      _setl_synth_value_set_number (out, gen->type, v);
      return;
    }
  if (gen->type == SETL_DATA_TYPE_STRING)
    {
      gint64 affixes = _setl_synth_text_length (gen->prefix) + _setl_synth_text_length (gen->suffix);
      gint64 lo = MAX (MAX (gen->min_len, 0), MIN (affixes, gen->max_len >= 0 ? gen->max_len : affixes));
      gint64 hi = gen->max_len >= 0 ? gen->max_len : MAX (lo, affixes) + 10;
      gint64 length;

      if (lo < 1 && hi >= 1)
        lo = 1;
      length = lo + (hi > lo ? g_rand_int_range (rand, 0, (gint32) MIN (hi - lo + 1, G_MAXINT32)) : 0);
      g_value_init (out, G_TYPE_STRING);
      g_value_take_string (out, _setl_synth_random_text (rand, length, gen->prefix, gen->suffix));
      return;
    }
  g_value_init (out, G_TYPE_BOOLEAN);
  g_value_set_boolean (out, g_rand_boolean (rand));
}

/* The aggregate checks of checks-builtin say what the whole column must
 * look like: remember it, to aim for it. */
static gboolean
note_aggregate (ColumnGen           *gen,
                SetlValidatorCheck  *vcheck,
                GError             **error)
{
  const char *name = setl_check_get_check_name (vcheck->check);
  double lo = _setl_check_get_double_property (vcheck->check, "min-value");
  double hi = _setl_check_get_double_property (vcheck->check, "max-value");

#define TIGHTEN(field_lo, field_hi, field_by)                        \
  G_STMT_START {                                                     \
    if (!isnan (lo) && (isnan (gen->field_lo) || lo > gen->field_lo)) \
      gen->field_lo = lo;                                            \
    if (!isnan (hi) && (isnan (gen->field_hi) || hi < gen->field_hi)) \
      gen->field_hi = hi;                                            \
    gen->field_by = vcheck->description;                             \
  } G_STMT_END

  if (g_str_equal (name, "mean_in_range"))
    TIGHTEN (mean_lo, mean_hi, mean_by);
  else if (g_str_equal (name, "stddev_in_range"))
    TIGHTEN (std_lo, std_hi, std_by);
  else if (g_str_equal (name, "null_fraction_in_range"))
    TIGHTEN (null_lo, null_hi, null_by);
  else if (g_str_equal (name, "distinct_count_in_range"))
    TIGHTEN (distinct_lo, distinct_hi, distinct_by);
  else if (g_str_equal (name, "unique_values_eq"))
    {
      /* Exactly these values, each of them: allowed values, and as many
       * distinct ones. */
      g_autoptr(JsonNode) node = _setl_check_get_json_property (vcheck->check, "values");
      g_autoptr(GPtrArray) values = NULL;

      if (node == NULL)
        return TRUE;
      values = _setl_synth_json_values (node, gen->type);
      if (!restrict_allowed (gen, values, vcheck->description, error))
        return FALSE;
      gen->exact_values = vcheck->description;
    }
#undef TIGHTEN
  return TRUE;
}

ColumnGen *
_setl_synth_column_gen_new (SetlValidatorColumn *vc)
{
  ColumnGen *gen = g_new0 (ColumnGen, 1);

  gen->vc = vc;
  gen->type = vc->type;
  gen->min_len = gen->max_len = -1;
  gen->mean_lo = gen->mean_hi = gen->std_lo = gen->std_hi = NAN;
  gen->null_lo = gen->null_hi = gen->distinct_lo = gen->distinct_hi = NAN;
  gen->forbidden = g_ptr_array_new_with_free_func (_setl_synth_value_free);
  gen->verify = g_ptr_array_new ();
  return gen;
}

gboolean
_setl_synth_column_gen_merge (ColumnGen  *gen,
                              GPtrArray  *never,
                              GError    **error)
{
  SetlValidatorColumn *vc = gen->vc;

  for (guint i = 0; i < vc->checks->len; i++)
    {
      SetlValidatorCheck *vcheck = g_ptr_array_index (vc->checks, i);

      if (vcheck->aggregate)
        {
          /* Judged on the whole data: aimed at, never broken by one row. */
          if (!note_aggregate (gen, vcheck, error))
            return FALSE;
          g_ptr_array_add (never, g_strdup_printf ("%s: %s", vc->name, vcheck->description));
          continue;
        }
      g_ptr_array_add (gen->verify, vcheck);
      if (!merge_check (gen, vcheck, error))
        return FALSE;
    }
  if (!check_interval (gen, error))
    return FALSE;
  if (!isnan (gen->null_lo) && gen->null_lo > 0 && !vc->nullable)
    {
      g_set_error (error, SETL_VALIDATION_ERROR, SETL_VALIDATION_ERROR_INVALID_SCHEMA,
                   "column “%s”: check %s asks for nulls, but the column is not nullable",
                   vc->name, gen->null_by);
      return FALSE;
    }

  /* Allowed values must get through every other constraint. */
  if (gen->allowed != NULL)
    {
      g_autoptr(GPtrArray) rejected_by = g_ptr_array_new ();
      gint64 n = gen->allowed->len;
      g_autofree GValue *values = g_new0 (GValue, n);
      g_autofree gboolean *failed = g_new0 (gboolean, n);

      for (gint64 i = 0; i < n; i++)
        {
          const GValue *v = g_ptr_array_index (gen->allowed, i);

          g_value_init (&values[i], G_VALUE_TYPE (v));
          g_value_copy (v, &values[i]);
          if (_setl_synth_column_is_forbidden (gen, v) || (_setl_synth_is_numeric (gen->type) && !_setl_synth_column_in_interval (gen, _setl_synth_value_number (v))))
            failed[i] = TRUE;
        }
      for (guint c = 0; c < gen->verify->len; c++)
        {
          g_autofree gboolean *fails = g_new0 (gboolean, n);
          SetlValidatorCheck *vcheck = g_ptr_array_index (gen->verify, c);
          gboolean rejected = FALSE;

          if (!_setl_synth_run_check (vcheck, gen->type, values, n, fails, error))
            {
              for (gint64 i = 0; i < n; i++)
                g_value_unset (&values[i]);
              return FALSE;
            }
          for (gint64 i = 0; i < n; i++)
            if (fails[i] && !failed[i])
              {
                failed[i] = TRUE;
                rejected = TRUE;
              }
          if (rejected)
            g_ptr_array_add (rejected_by, vcheck->description);
        }
      for (gint64 i = n; i-- > 0;)
        {
          g_value_unset (&values[i]);
          if (failed[i])
            g_ptr_array_remove_index (gen->allowed, (guint) i);
        }
      if (gen->allowed->len == 0)
        {
          g_autofree char *others = NULL;

          g_ptr_array_add (rejected_by, NULL);
          others = g_strjoinv (", ", (char **) rejected_by->pdata);
          g_set_error (error, SETL_VALIDATION_ERROR, SETL_VALIDATION_ERROR_INVALID_SCHEMA,
                       "column “%s”: no value allowed by %s passes the other checks%s%s",
                       vc->name, gen->allowed_by, *others ? ": " : "", others);
          return FALSE;
        }
    }

  if (gen->exact_values != NULL)
    {
      g_autoptr(JsonNode) node = NULL;

      for (guint i = 0; i < vc->checks->len && node == NULL; i++)
        {
          SetlValidatorCheck *vcheck = g_ptr_array_index (vc->checks, i);

          if (vcheck->description == gen->exact_values)
            node = _setl_check_get_json_property (vcheck->check, "values");
        }
      if (node != NULL && JSON_NODE_HOLDS_ARRAY (node) &&
          gen->allowed->len < json_array_get_length (json_node_get_array (node)))
        {
          g_set_error (error, SETL_VALIDATION_ERROR, SETL_VALIDATION_ERROR_INVALID_SCHEMA,
                       "column “%s”: check %s asks for values its other checks refuse",
                       vc->name, gen->exact_values);
          return FALSE;
        }
      gen->distinct_lo = gen->distinct_hi = gen->allowed->len;
      gen->distinct_by = gen->exact_values;
    }

  return TRUE;
}
