/* setl-condition-context.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/**
 * SetlConditionContext:
 *
 * What a #SetlCondition may read when it is evaluated: the pipeline's
 * parameters (setl_pipeline_set_parameter()) and, for a dynamic condition,
 * facts about the outputs of the factories that have finished.
 *
 * setl_condition_context_get_scope() gives an expression scope holding the
 * parameters and resolving facts as `$FACTORY.FACT`:
 *
 * | name | type | |
 * | --- | --- | --- |
 * | `$F.row_count` | int64 | rows of F's output |
 * | `$F.column_count` | int64 | columns of F's output |
 * | `$F.columns` | string | column names, comma-separated |
 * | `$F.has_column.C` | bool | whether F's output has a column C |
 * | `$F.C.null_count` | int64 | nulls in column C |
 * | `$F.C.min`, `$F.C.max` | C's type | null when C has no value |
 * | `$F.value` | the output's | an output that is not a table (a sink's row count) |
 * | `$F.variant` | string | the variant an A/B split chose for the run (null otherwise) |
 *
 * Facts are gathered when a condition first reads them, once per output and
 * run (see docs/conditions.md for how streams are materialised).
 */
#include "setl-condition-context.h"
#include "setl-condition-private.h"
#include "setl-error.h"

#include <string.h>

struct _SetlConditionContext
{
  GObject parent_instance;

  GHashTable *parameters;          /* borrowed: name → GValue* */
  const SetlFactsSource *source;   /* NULL: static */
  gpointer source_data;
  SetlExprScope *scope;            /* made on demand */
  GError *error;                   /* the first fact that failed */
};

G_DEFINE_FINAL_TYPE (SetlConditionContext, setl_condition_context, G_TYPE_OBJECT)

static void
setl_condition_context_finalize (GObject *object)
{
  SetlConditionContext *self = SETL_CONDITION_CONTEXT (object);

  g_clear_object (&self->scope);
  g_clear_error (&self->error);
  G_OBJECT_CLASS (setl_condition_context_parent_class)->finalize (object);
}

static void
setl_condition_context_class_init (SetlConditionContextClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = setl_condition_context_finalize;
}

static void
setl_condition_context_init (SetlConditionContext *self)
{
}

SetlConditionContext *
_setl_condition_context_new (GHashTable            *parameters,
                             const SetlFactsSource *source,
                             gpointer               source_data)
{
  SetlConditionContext *self = g_object_new (SETL_TYPE_CONDITION_CONTEXT, NULL);

  self->parameters = parameters;
  self->source = source;
  self->source_data = source_data;
  return self;
}

const GError *
_setl_condition_context_get_error (SetlConditionContext *self)
{
  return self->error;
}

gboolean
_setl_condition_split_reference (const char            *reference,
                                 const SetlFactsSource *source,
                                 gpointer               source_data,
                                 char                 **factory,
                                 const char           **fact)
{
  /* Factory names may hold dots (namespaces): the longest prefix that
   * names a factory wins. */
  const char *dot = strrchr (reference, '.');

  while (dot != NULL && dot > reference)
    {
      g_autofree char *prefix = g_strndup (reference, dot - reference);
      const char *p = dot;

      if (source->is_output (prefix, source_data))
        {
          *factory = g_steal_pointer (&prefix);
          *fact = dot + 1;
          return TRUE;
        }
      for (dot = NULL; p > reference && dot == NULL; )
        if (*--p == '.')
          dot = p;
    }
  return FALSE;
}

/**
 * setl_condition_context_is_static:
 * @self: a #SetlConditionContext
 *
 * Returns: %TRUE when only parameters can be read (the inspector deciding
 *   a static condition before the run)
 */
gboolean
setl_condition_context_is_static (SetlConditionContext *self)
{
  g_return_val_if_fail (SETL_IS_CONDITION_CONTEXT (self), TRUE);
  return self->source == NULL;
}

/**
 * setl_condition_context_get_facts:
 * @self: a #SetlConditionContext
 * @factory_name: a factory of the pipeline that has finished
 * @error: return location for a #GError
 *
 * Gathers (once per run) the facts of @factory_name's output.
 *
 * Returns: (transfer none) (nullable): the facts, or %NULL with @error set
 */
SetlOutputFacts *
setl_condition_context_get_facts (SetlConditionContext  *self,
                                  const char            *factory_name,
                                  GError               **error)
{
  g_return_val_if_fail (SETL_IS_CONDITION_CONTEXT (self), NULL);
  g_return_val_if_fail (factory_name != NULL, NULL);

  if (self->source == NULL || !self->source->is_output (factory_name, self->source_data))
    {
      g_set_error (error, SETL_PIPELINE_ERROR, SETL_PIPELINE_ERROR_CONDITION,
                   "No facts about “%s”: %s", factory_name,
                   self->source == NULL ? "a static condition reads parameters only"
                                        : "it is not a factory of the pipeline");
      return NULL;
    }
  return self->source->get_facts (factory_name, self->source_data, error);
}

static gboolean
set_type (SetlDataType *type,
          SetlDataType  t)
{
  *type = t;
  return TRUE;
}

/* One fact of @facts, as a resolver gives it: the type, and the value when
 * @value is not NULL (left unset for null). */
static gboolean
resolve_fact (SetlOutputFacts *facts,
              const char      *fact,
              SetlDataType    *type,
              GValue          *value)
{
  const char *dot;
  int column;

  if (g_str_equal (fact, "row_count") || g_str_equal (fact, "column_count"))
    {
      if (!setl_output_facts_has_table (facts))
        return FALSE;
      if (value != NULL)
        {
          g_value_init (value, G_TYPE_INT64);
          g_value_set_int64 (value, g_str_equal (fact, "row_count") ? setl_output_facts_get_row_count (facts)
                                                   : setl_output_facts_get_n_columns (facts));
        }
      return set_type (type, SETL_DATA_TYPE_INT64);
    }
  if (g_str_equal (fact, "columns"))
    {
      if (!setl_output_facts_has_table (facts))
        return FALSE;
      if (value != NULL)
        {
          GString *s = g_string_new (NULL);

          for (guint i = 0; i < setl_output_facts_get_n_columns (facts); i++)
            g_string_append_printf (s, "%s%s", i ? "," : "", setl_output_facts_get_column_name (facts, i));
          g_value_init (value, G_TYPE_STRING);
          g_value_take_string (value, g_string_free (s, FALSE));
        }
      return set_type (type, SETL_DATA_TYPE_STRING);
    }
  if (g_str_has_prefix (fact, "has_column."))
    {
      if (!setl_output_facts_has_table (facts))
        return FALSE;
      if (value != NULL)
        {
          g_value_init (value, G_TYPE_BOOLEAN);
          g_value_set_boolean (value, setl_output_facts_find_column (facts, fact + strlen ("has_column.")) >= 0);
        }
      return set_type (type, SETL_DATA_TYPE_BOOL);
    }
  if (g_str_equal (fact, "value"))
    {
      const GValue *v = setl_output_facts_get_value (facts);
      GType t;

      if (v == NULL)
        return FALSE;
      t = G_TYPE_FUNDAMENTAL (G_VALUE_TYPE (v));
      if (t == G_TYPE_INT64 || t == G_TYPE_INT || t == G_TYPE_UINT || t == G_TYPE_LONG)
        *type = SETL_DATA_TYPE_INT64;
      else if (t == G_TYPE_DOUBLE || t == G_TYPE_FLOAT)
        *type = SETL_DATA_TYPE_DOUBLE;
      else if (t == G_TYPE_BOOLEAN)
        *type = SETL_DATA_TYPE_BOOL;
      else if (t == G_TYPE_STRING)
        *type = SETL_DATA_TYPE_STRING;
      else
        return FALSE;
      if (value != NULL && (t != G_TYPE_STRING || g_value_get_string (v) != NULL))
        {
          g_value_init (value, G_VALUE_TYPE (v));
          g_value_copy (v, value);
        }
      return TRUE;
    }

  /* COLUMN.null_count, COLUMN.min, COLUMN.max; the column may hold dots. */
  dot = strrchr (fact, '.');
  if (dot == NULL)
    return FALSE;
  {
    g_autofree char *name = g_strndup (fact, dot - fact);

    column = setl_output_facts_find_column (facts, name);
  }
  if (column < 0)
    return FALSE;
  if (g_str_equal (dot + 1, "null_count"))
    {
      if (value != NULL)
        {
          g_value_init (value, G_TYPE_INT64);
          g_value_set_int64 (value, setl_output_facts_get_null_count (facts, column));
        }
      return set_type (type, SETL_DATA_TYPE_INT64);
    }
  if (g_str_equal (dot + 1, "min") || g_str_equal (dot + 1, "max"))
    {
      if (value != NULL)
        {
          if (dot[2] == 'i')
            setl_output_facts_get_min (facts, column, value);
          else
            setl_output_facts_get_max (facts, column, value);
        }
      return set_type (type, setl_output_facts_get_column_type (facts, column));
    }
  return FALSE;
}

static gboolean
resolve (const char   *name,
         SetlDataType *type,
         GValue       *value,
         gpointer      user_data)
{
  SetlConditionContext *self = user_data;
  g_autofree char *factory = NULL;
  const char *fact;
  SetlOutputFacts *facts;
  GError *local = NULL;

  if (self->source == NULL ||
      !_setl_condition_split_reference (name, self->source, self->source_data, &factory, &fact))
    return FALSE;

  /* The variant needs no data: an A/B split sets it as it runs. */
  if (g_str_equal (fact, "variant"))
    {
      const char *variant = self->source->get_variant ? self->source->get_variant (factory, self->source_data) : NULL;

      if (value != NULL && variant != NULL)
        {
          g_value_init (value, G_TYPE_STRING);
          g_value_set_string (value, variant);
        }
      *type = SETL_DATA_TYPE_STRING;
      return TRUE;
    }

  facts = self->source->get_facts (factory, self->source_data, &local);
  if (facts == NULL)
    {
      if (self->error == NULL)
        self->error = local;
      else
        g_error_free (local);
      return FALSE;
    }
  return resolve_fact (facts, fact, type, value);
}

static void
add_parameter (gpointer key,
               gpointer value,
               gpointer user_data)
{
  SetlConditionContext *self = user_data;

  /* Values were checked when they were set. */
  if (!setl_expr_scope_set_parameter (self->scope, key, value, NULL))
    g_warn_if_reached ();
}

/**
 * setl_condition_context_get_scope:
 * @self: a #SetlConditionContext
 *
 * Returns: (transfer none): an expression scope with the parameters, which
 *   resolves `$FACTORY.FACT` names to facts
 */
SetlExprScope *
setl_condition_context_get_scope (SetlConditionContext *self)
{
  g_return_val_if_fail (SETL_IS_CONDITION_CONTEXT (self), NULL);

  if (self->scope == NULL)
    {
      self->scope = setl_expr_scope_new ();
      if (self->parameters != NULL)
        g_hash_table_foreach (self->parameters, add_parameter, self);
      setl_expr_scope_set_resolver (self->scope, resolve, self, NULL);
    }
  return self->scope;
}

/**
 * setl_condition_context_lookup:
 * @self: a #SetlConditionContext
 * @name: a parameter or fact name, without `$`
 * @value: (out caller-allocates): an uninitialised #GValue, left unset for
 *   a null
 * @error: return location for a #GError
 *
 * What `$NAME` reads in an expression condition, for conditions written in
 * C.
 *
 * Returns: %FALSE with @error set if @name is unknown
 */
gboolean
setl_condition_context_lookup (SetlConditionContext  *self,
                               const char            *name,
                               GValue                *value,
                               GError               **error)
{
  const GValue *param;
  SetlDataType type;

  g_return_val_if_fail (SETL_IS_CONDITION_CONTEXT (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);
  g_return_val_if_fail (value != NULL && !G_IS_VALUE (value), FALSE);

  param = self->parameters ? g_hash_table_lookup (self->parameters, name) : NULL;
  if (param != NULL)
    {
      g_value_init (value, G_VALUE_TYPE (param));
      g_value_copy (param, value);
      return TRUE;
    }
  if (resolve (name, &type, value, self))
    return TRUE;
  if (self->error != NULL)
    g_propagate_error (error, g_error_copy (self->error));
  else
    g_set_error (error, SETL_PIPELINE_ERROR, SETL_PIPELINE_ERROR_CONDITION,
                 "Unknown parameter or fact “$%s”", name);
  return FALSE;
}
