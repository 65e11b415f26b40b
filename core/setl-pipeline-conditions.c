/* setl-pipeline-conditions.c: conditions in a pipeline — parameters,
 * static pruning by the inspector, dynamic decisions and facts at run time,
 * and the empty value of an optional input whose producer was skipped.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The rules (docs/conditions.md):
 *
 * - A factory is skipped exactly when its own condition (or its stage's)
 *   is false, or a producer of one of its required inputs was skipped.
 * - A producer that failed (or was upstream-failed) makes its consumers
 *   upstream-failed, optional inputs included: a failure never turns into
 *   missing data silently.
 * - An optional input whose producer was skipped arrives empty and the
 *   factory runs.
 * - A #SetlOneOf delivers the arm that ran; it is skipped when every arm
 *   was skipped.
 *
 * Static conditions (parameters only) are decided in
 * _setl_conditions_inspect(), when the inspector has built the DAG; the
 * verdicts, and the factories they prune through required inputs, are kept
 * on the inspector so that `setl check` and `setl graph` show them.
 * Dynamic conditions are decided by _setl_conditions_decide() on the
 * calling thread, once the factory's inputs are prepared.
 *
 * Facts about an output are gathered once per run. The output of a factory
 * that some dynamic condition reads is materialised as a #SetlTable as soon
 * as its stage is over — before any consumer, which all run in later
 * stages, has read it — and the table replaces the stream in the
 * deliverable: consumers read the table, and the data is read once.
 */
#include "setl-condition-private.h"
#include "setl-error.h"
#include "setl-private.h"

#include <string.h>

typedef struct
{
  SetlOutputFacts *facts;
  GError *error;
} FactsEntry;

/* What conditions know about the pipeline as the last inspection saw it,
 * kept on the inspector. */
typedef struct
{
  GHashTable *pruned;     /* SetlFactory* → char* reason */
  GHashTable *by_name;    /* factory name → SetlFactory* (first in stage order) */
  GHashTable *stage_of;   /* SetlFactory* → stage index + 1 */
  GHashTable *observed;   /* SetlFactory*: outputs dynamic conditions read */
  GHashTable *facts;      /* SetlFactory* → FactsEntry*, the current run */
  GMutex lock;            /* facts: gathered on the calling thread, read by
                           * the inspector's users from anywhere */
} InspectorState;

static void
facts_entry_free (gpointer data)
{
  FactsEntry *e = data;

  g_clear_object (&e->facts);
  g_clear_error (&e->error);
  g_free (e);
}

static void
inspector_state_free (gpointer data)
{
  InspectorState *st = data;

  g_hash_table_unref (st->pruned);
  g_hash_table_unref (st->by_name);
  g_hash_table_unref (st->stage_of);
  g_hash_table_unref (st->observed);
  g_hash_table_unref (st->facts);
  g_mutex_clear (&st->lock);
  g_free (st);
}

static InspectorState *
inspector_state (SetlInspector *inspector,
                 gboolean       reset)
{
  static GQuark quark;
  InspectorState *st;

  if (quark == 0)
    quark = g_quark_from_static_string ("setl-conditions-inspector");
  st = g_object_get_qdata (G_OBJECT (inspector), quark);
  if (st == NULL)
    {
      st = g_new0 (InspectorState, 1);
      st->pruned = g_hash_table_new_full (NULL, NULL, NULL, g_free);
      st->by_name = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      st->stage_of = g_hash_table_new (NULL, NULL);
      st->observed = g_hash_table_new (NULL, NULL);
      st->facts = g_hash_table_new_full (NULL, NULL, NULL, facts_entry_free);
      g_mutex_init (&st->lock);
      g_object_set_qdata_full (G_OBJECT (inspector), quark, st, inspector_state_free);
    }
  else if (reset)
    {
      g_hash_table_remove_all (st->pruned);
      g_hash_table_remove_all (st->by_name);
      g_hash_table_remove_all (st->stage_of);
      g_hash_table_remove_all (st->observed);
      g_mutex_lock (&st->lock);
      g_hash_table_remove_all (st->facts);
      g_mutex_unlock (&st->lock);
    }
  return st;
}

/* ----------------------------------------------------------------------- */
/* Parameters                                                               */

static void
value_free (gpointer data)
{
  GValue *v = data;

  g_value_unset (v);
  g_free (v);
}

static GHashTable *
parameters_of (SetlPipeline *pipeline)
{
  static GQuark quark;
  GHashTable *params;

  if (quark == 0)
    quark = g_quark_from_static_string ("setl-conditions-parameters");
  params = g_object_get_qdata (G_OBJECT (pipeline), quark);
  if (params == NULL)
    {
      params = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, value_free);
      g_object_set_qdata_full (G_OBJECT (pipeline), quark, params,
                               (GDestroyNotify) g_hash_table_unref);
    }
  return params;
}

/**
 * setl_pipeline_set_parameter:
 * @pipeline: a #SetlPipeline
 * @name: the parameter's name, as conditions read it (`$name`)
 * @value: (nullable): a #gboolean, integer, #gdouble or string value;
 *   %NULL removes the parameter
 *
 * Sets a parameter that conditions read. A pipeline built from a file has
 * the file's parameters. Changing a parameter changes the static decisions
 * of the next inspection (every run inspects first).
 */
void
setl_pipeline_set_parameter (SetlPipeline *pipeline,
                             const char   *name,
                             const GValue *value)
{
  GValue *copy;
  GType t;

  g_return_if_fail (SETL_IS_PIPELINE (pipeline));
  g_return_if_fail (name != NULL);

  if (value == NULL)
    {
      g_hash_table_remove (parameters_of (pipeline), name);
      return;
    }
  t = G_TYPE_FUNDAMENTAL (G_VALUE_TYPE (value));
  g_return_if_fail (t == G_TYPE_BOOLEAN || t == G_TYPE_INT || t == G_TYPE_UINT ||
                    t == G_TYPE_INT64 || t == G_TYPE_LONG || t == G_TYPE_DOUBLE ||
                    t == G_TYPE_FLOAT || t == G_TYPE_STRING);

  copy = g_new0 (GValue, 1);
  if (t == G_TYPE_INT || t == G_TYPE_UINT || t == G_TYPE_LONG)
    {
      g_value_init (copy, G_TYPE_INT64);
      g_value_transform (value, copy);
    }
  else if (t == G_TYPE_FLOAT)
    {
      g_value_init (copy, G_TYPE_DOUBLE);
      g_value_transform (value, copy);
    }
  else
    {
      g_value_init (copy, G_VALUE_TYPE (value));
      g_value_copy (value, copy);
    }
  g_hash_table_insert (parameters_of (pipeline), g_strdup (name), copy);
}

/**
 * setl_pipeline_get_parameter:
 * @pipeline: a #SetlPipeline
 * @name: a parameter name
 *
 * Returns: (transfer none) (nullable): the parameter's value
 */
const GValue *
setl_pipeline_get_parameter (SetlPipeline *pipeline,
                             const char   *name)
{
  g_return_val_if_fail (SETL_IS_PIPELINE (pipeline), NULL);
  g_return_val_if_fail (name != NULL, NULL);
  return g_hash_table_lookup (parameters_of (pipeline), name);
}

/* ----------------------------------------------------------------------- */
/* Inspection: static decisions                                             */

static gboolean
state_is_output (const char *name,
                 gpointer    data)
{
  InspectorState *st = data;

  return g_hash_table_contains (st->by_name, name);
}

static const SetlFactsSource static_names = { state_is_output, NULL, NULL };

/* Checks what @condition reads: parameters the pipeline has, and facts of
 * factories of earlier stages. Sets *@dynamic when it reads a fact. */
static gboolean
check_references (SetlPipeline  *pipeline,
                  InspectorState *st,
                  SetlCondition *condition,
                  const char    *owner,
                  int            stage,
                  gboolean      *dynamic,
                  GError       **error)
{
  g_auto(GStrv) refs = setl_condition_get_references (condition);
  GHashTable *params = parameters_of (pipeline);

  *dynamic = FALSE;
  for (guint i = 0; refs[i] != NULL; i++)
    {
      g_autofree char *factory_name = NULL;
      g_autofree char *text = NULL;
      const char *fact;
      SetlFactory *producer;
      int producer_stage;

      if (g_hash_table_contains (params, refs[i]))
        continue;
      if (!_setl_condition_split_reference (refs[i], &static_names, st, &factory_name, &fact))
        {
          text = setl_condition_to_string (condition);
          g_set_error (error, SETL_PIPELINE_ERROR, SETL_PIPELINE_ERROR_CONDITION,
                       "The condition “%s” of %s reads “$%s”, which is neither a parameter "
                       "nor a fact about a factory's output (“$FACTORY.row_count”…)",
                       text, owner, refs[i]);
          return FALSE;
        }
      producer = g_hash_table_lookup (st->by_name, factory_name);
      producer_stage = GPOINTER_TO_INT (g_hash_table_lookup (st->stage_of, producer)) - 1;
      if (producer_stage >= stage)
        {
          text = setl_condition_to_string (condition);
          g_set_error (error, SETL_PIPELINE_ERROR, SETL_PIPELINE_ERROR_CONDITION,
                       "The condition “%s” of %s reads facts about “%s”, which runs in "
                       "stage %d, not before stage %d",
                       text, owner, factory_name, producer_stage, stage);
          return FALSE;
        }
      g_hash_table_add (st->observed, producer);
      *dynamic = TRUE;
    }
  return TRUE;
}

static gboolean is_dynamic (InspectorState *st,
                            SetlCondition  *condition);

/* A dynamic condition `STATIC and DYNAMIC` is false when its static
 * operand is: prune it then too. An operand that cannot be decided is left
 * to the run. */
static gboolean
decide_static_part (SetlPipeline   *pipeline,
                    InspectorState *st,
                    SetlCondition  *condition,
                    const char     *whose,
                    char          **reason)
{
  g_autoptr(GPtrArray) conjuncts = NULL;
  g_autoptr(SetlConditionContext) context = NULL;

  if (!SETL_IS_EXPR_CONDITION (condition))
    return TRUE;
  conjuncts = _setl_expr_condition_get_conjuncts (SETL_EXPR_CONDITION (condition));
  if (conjuncts->len < 2)
    return TRUE;
  context = _setl_condition_context_new (parameters_of (pipeline), NULL, NULL);
  for (guint i = 0; i < conjuncts->len; i++)
    {
      g_autoptr(SetlExprCondition) part = setl_expr_condition_new (g_ptr_array_index (conjuncts, i), NULL);
      gboolean holds = TRUE;

      if (part == NULL || is_dynamic (st, SETL_CONDITION (part)) ||
          !setl_condition_evaluate (SETL_CONDITION (part), context, &holds, NULL) || holds)
        continue;
      {
        g_autofree char *text = setl_condition_to_string (condition);

        *reason = g_strdup_printf ("%s condition “%s” is false (its part “%s” is false before the run)",
                                   whose, text, (char *) g_ptr_array_index (conjuncts, i));
      }
      return TRUE;
    }
  return TRUE;
}

/* Decides @condition before the run if it is static. Returns FALSE on
 * error; *@reason is set when it prunes. */
static gboolean
decide_static (SetlPipeline   *pipeline,
               InspectorState *st,
               SetlCondition  *condition,
               const char     *owner,
               const char     *whose,
               int             stage,
               char          **reason,
               GError        **error)
{
  g_autoptr(SetlConditionContext) context = NULL;
  g_autofree char *text = NULL;
  gboolean dynamic, holds;
  GError *local = NULL;

  if (!check_references (pipeline, st, condition, owner, stage, &dynamic, error))
    return FALSE;
  if (dynamic)
    return decide_static_part (pipeline, st, condition, whose, reason);

  context = _setl_condition_context_new (parameters_of (pipeline), NULL, NULL);
  if (!setl_condition_evaluate (condition, context, &holds, &local))
    {
      g_propagate_prefixed_error (error, local, "%s: ", owner);
      return FALSE;
    }
  if (!holds)
    {
      text = setl_condition_to_string (condition);
      *reason = g_strdup_printf ("%s condition “%s” is false", whose, text);
    }
  return TRUE;
}

/* A factory the inspector prunes because what it requires is pruned. */
static char *
pruned_by_inputs (SetlInspector  *inspector,
                  InspectorState *st,
                  SetlFactory    *factory)
{
  guint n_slots, n_arms = 0, n_pruned_arms = 0;
  const SetlResolvedSlot *slots = _setl_inspector_get_resolved (inspector, factory, &n_slots);

  for (guint i = 0; i < n_slots; i++)
    {
      SetlFactory *producer;

      if (slots[i].source == NULL || setl_node_is_external (slots[i].source))
        continue;
      producer = setl_node_get_factory (slots[i].source);
      if (SETL_IS_ONE_OF (factory))
        {
          n_arms++;
          n_pruned_arms += g_hash_table_contains (st->pruned, producer);
          continue;
        }
      if (!setl_delivery_get_optional (slots[i].slot) && g_hash_table_contains (st->pruned, producer))
        return g_strdup_printf ("input “%s” comes from factory “%s”, which is pruned",
                                setl_delivery_get_name (slots[i].slot),
                                setl_factory_get_name (producer));
    }
  if (n_arms > 0 && n_arms == n_pruned_arms)
    return g_strdup ("every branch it takes is pruned");
  return NULL;
}

/* The inspector refuses a branch set that may run no arm when a later
 * factory requires its output. */
static gboolean
check_branch_sets (SetlInspector  *inspector,
                   GError        **error)
{
  GPtrArray *flows = setl_inspector_get_flows (inspector);

  for (guint i = 0; i < flows->len; i++)
    {
      SetlFlow *flow = g_ptr_array_index (flows, i);
      SetlNode *from = setl_flow_get_from (flow);
      SetlFactory *one_of = setl_node_is_external (from) ? NULL : setl_node_get_factory (from);
      SetlDelivery *slot = setl_flow_get_slot (flow);

      if (one_of == NULL || !SETL_IS_ONE_OF (one_of) ||
          setl_one_of_get_exhaustive (SETL_ONE_OF (one_of)) || setl_delivery_get_optional (slot))
        continue;
      g_set_error (error, SETL_PIPELINE_ERROR, SETL_PIPELINE_ERROR_CONDITION,
                   "The branch set “%s” has no else (or default), so it may run no branch, but "
                   "factory “%s” requires its output (input “%s”): add an else arm, or make "
                   "the input optional",
                   setl_factory_get_name (one_of), setl_node_get_name (setl_flow_get_to (flow)),
                   setl_delivery_get_name (slot));
      return FALSE;
    }
  return TRUE;
}

gboolean
_setl_conditions_inspect (SetlPipeline   *pipeline,
                          SetlInspector  *inspector,
                          GError        **error)
{
  InspectorState *st = inspector_state (inspector, TRUE);
  GPtrArray *stages = setl_pipeline_get_stages (pipeline);
  gboolean any = FALSE;

  /* Most pipelines have no condition: do not index thousands of factories
   * by name for nothing (an inspection is part of every run). */
  for (guint s = 0; s < stages->len && !any; s++)
    {
      SetlStage *stage = g_ptr_array_index (stages, s);
      GPtrArray *factories = setl_stage_get_factories (stage);

      any = setl_stage_get_condition (stage) != NULL;
      for (guint f = 0; f < factories->len && !any; f++)
        any = setl_factory_get_condition (g_ptr_array_index (factories, f)) != NULL ||
              SETL_IS_ONE_OF (g_ptr_array_index (factories, f));
    }
  if (!any)
    return TRUE;

  for (guint s = 0; s < stages->len; s++)
    {
      GPtrArray *factories = setl_stage_get_factories (g_ptr_array_index (stages, s));

      for (guint f = 0; f < factories->len; f++)
        {
          SetlFactory *factory = g_ptr_array_index (factories, f);

          if (!g_hash_table_contains (st->by_name, setl_factory_get_name (factory)))
            g_hash_table_insert (st->by_name, g_strdup (setl_factory_get_name (factory)), factory);
          g_hash_table_insert (st->stage_of, factory, GINT_TO_POINTER (s + 1));
        }
    }

  for (guint s = 0; s < stages->len; s++)
    {
      SetlStage *stage = g_ptr_array_index (stages, s);
      GPtrArray *factories = setl_stage_get_factories (stage);
      SetlCondition *stage_condition = setl_stage_get_condition (stage);
      g_autofree char *stage_reason = NULL;

      if (stage_condition != NULL)
        {
          g_autofree char *owner = g_strdup_printf ("stage %u", s);
          g_autofree char *whose = g_strdup_printf ("the stage %u", s);

          if (!decide_static (pipeline, st, stage_condition, owner, whose, (int) s,
                              &stage_reason, error))
            return FALSE;
        }

      for (guint f = 0; f < factories->len; f++)
        {
          SetlFactory *factory = g_ptr_array_index (factories, f);
          SetlCondition *condition = setl_factory_get_condition (factory);
          char *reason = NULL;

          if (condition != NULL)
            {
              g_autofree char *owner = g_strdup_printf ("factory “%s”", setl_factory_get_name (factory));

              if (!decide_static (pipeline, st, condition, owner, "its", (int) s, &reason, error))
                return FALSE;
            }
          if (reason == NULL && stage_reason != NULL)
            reason = g_strdup (stage_reason);
          if (reason == NULL)
            reason = pruned_by_inputs (inspector, st, factory);
          if (reason != NULL)
            g_hash_table_insert (st->pruned, factory, reason);
        }
    }
  return check_branch_sets (inspector, error);
}

/**
 * setl_inspector_get_pruned_reason:
 * @self: a #SetlInspector
 * @factory: a factory of the pipeline
 *
 * Whether the last inspection pruned @factory — its static condition (or
 * its stage's) is false, or a factory whose output it requires is pruned —
 * and why.
 *
 * Returns: (nullable): the reason, %NULL if @factory is not pruned
 */
const char *
setl_inspector_get_pruned_reason (SetlInspector *self,
                                  SetlFactory   *factory)
{
  g_return_val_if_fail (SETL_IS_INSPECTOR (self), NULL);
  g_return_val_if_fail (SETL_IS_FACTORY (factory), NULL);

  return g_hash_table_lookup (inspector_state (self, FALSE)->pruned, factory);
}

/* ----------------------------------------------------------------------- */
/* Running: facts and dynamic decisions                                     */

typedef struct
{
  InspectorState *st;
  SetlRunOutputFunc output_of;
  gpointer data;
  GCancellable *cancellable;
} RunFacts;

static const char *
status_words (SetlFactoryStatus status)
{
  switch (status)
    {
    case SETL_FACTORY_STATUS_SKIPPED: return "was skipped";
    case SETL_FACTORY_STATUS_FAILED: return "failed";
    case SETL_FACTORY_STATUS_UPSTREAM_FAILED: return "did not run because a factory it needs failed";
    case SETL_FACTORY_STATUS_CANCELLED: return "was cancelled";
    default: return "has no output";
    }
}

/* Gathers (once) the facts of @factory's output, materialising a stream
 * into a table that replaces it in the deliverable. */
static FactsEntry *
gather (RunFacts    *rf,
        SetlFactory *factory)
{
  FactsEntry *e;
  SetlDeliverable *d;
  SetlFactoryStatus status;
  const GValue *payload;

  g_mutex_lock (&rf->st->lock);
  e = g_hash_table_lookup (rf->st->facts, factory);
  g_mutex_unlock (&rf->st->lock);
  if (e != NULL)
    return e;

  e = g_new0 (FactsEntry, 1);
  d = rf->output_of (rf->data, factory, &status);
  payload = d ? setl_deliverable_get_payload (d) : NULL;
  if (payload == NULL)
    g_set_error (&e->error, SETL_PIPELINE_ERROR, SETL_PIPELINE_ERROR_DEPENDENCY,
                 "no facts about “%s”: it %s", setl_factory_get_name (factory), status_words (status));
  else if (G_VALUE_HOLDS (payload, SETL_TYPE_BATCH_STREAM) && g_value_get_object (payload) != NULL)
    {
      SetlBatchStream *stream = g_value_get_object (payload);
      g_autoptr(SetlTable) table = NULL;

      if (SETL_IS_TABLE (stream))
        table = g_object_ref (SETL_TABLE (stream));
      else if ((table = setl_batch_stream_collect (stream, rf->cancellable, &e->error)) != NULL)
        {
          GValue v = G_VALUE_INIT;

          g_value_init (&v, G_VALUE_TYPE (payload));
          g_value_set_object (&v, table);
          _setl_deliverable_set_payload (d, &v);
          g_value_unset (&v);
        }
      else
        g_prefix_error (&e->error, "reading the output of “%s” for its facts: ",
                        setl_factory_get_name (factory));
      if (table != NULL)
        e->facts = setl_output_facts_new_from_table (table);
    }
  else
    e->facts = setl_output_facts_new_from_value (payload);

  g_mutex_lock (&rf->st->lock);
  g_hash_table_insert (rf->st->facts, factory, e);
  g_mutex_unlock (&rf->st->lock);
  return e;
}

static SetlOutputFacts *
run_get_facts (const char *name,
               gpointer    data,
               GError    **error)
{
  RunFacts *rf = data;
  SetlFactory *factory = g_hash_table_lookup (rf->st->by_name, name);
  FactsEntry *e = gather (rf, factory);

  if (e->facts == NULL)
    g_propagate_error (error, g_error_copy (e->error));
  return e->facts;
}

static const char *
run_get_variant (const char *name,
                 gpointer    data)
{
  RunFacts *rf = data;

  return setl_factory_get_variant (g_hash_table_lookup (rf->st->by_name, name));
}

static gboolean
run_is_output (const char *name,
               gpointer    data)
{
  return g_hash_table_contains (((RunFacts *) data)->st->by_name, name);
}

static const SetlFactsSource run_source = { run_is_output, run_get_facts, run_get_variant };

/* Before a dynamic condition reads facts of a factory, that factory must
 * have succeeded: the facts are an input. */
static SetlFactoryStatus
check_fact_producers (RunFacts       *rf,
                      SetlCondition  *condition,
                      char          **reason,
                      GError        **error)
{
  g_auto(GStrv) refs = setl_condition_get_references (condition);

  for (guint i = 0; refs[i] != NULL; i++)
    {
      g_autofree char *name = NULL;
      const char *fact;
      SetlFactory *producer;
      SetlFactoryStatus status;

      if (!_setl_condition_split_reference (refs[i], &run_source, rf, &name, &fact))
        continue;
      producer = g_hash_table_lookup (rf->st->by_name, name);
      rf->output_of (rf->data, producer, &status);
      if (status == SETL_FACTORY_STATUS_SUCCEEDED || status == SETL_FACTORY_STATUS_REUSED)
        continue;
      *reason = g_strdup_printf ("its condition reads facts about factory “%s”, which %s",
                                 name, status_words (status));
      if (status == SETL_FACTORY_STATUS_SKIPPED)
        return SETL_FACTORY_STATUS_SKIPPED;
      g_set_error (error, SETL_PIPELINE_ERROR, SETL_PIPELINE_ERROR_DEPENDENCY, "%s", *reason);
      return status == SETL_FACTORY_STATUS_CANCELLED ? SETL_FACTORY_STATUS_CANCELLED
                                                     : SETL_FACTORY_STATUS_UPSTREAM_FAILED;
    }
  return SETL_FACTORY_STATUS_PENDING;
}

static SetlFactoryStatus
decide_dynamic (SetlPipeline   *pipeline,
                RunFacts       *rf,
                SetlFactory    *factory,
                SetlCondition  *condition,
                const char     *whose,
                char          **reason,
                GError        **error)
{
  g_autoptr(SetlConditionContext) context = NULL;
  g_autofree char *text = NULL;
  SetlFactoryStatus status;
  gboolean holds;
  GError *local = NULL;

  status = check_fact_producers (rf, condition, reason, error);
  if (status != SETL_FACTORY_STATUS_PENDING)
    return status;

  context = _setl_condition_context_new (parameters_of (pipeline), &run_source, rf);
  text = setl_condition_to_string (condition);
  if (!setl_condition_evaluate (condition, context, &holds, &local))
    {
      *reason = g_strdup_printf ("%s condition “%s” could not be decided", whose, text);
      g_propagate_prefixed_error (error, local, "Factory “%s”: ", setl_factory_get_name (factory));
      return SETL_FACTORY_STATUS_FAILED;
    }
  if (!holds)
    {
      *reason = g_strdup_printf ("%s condition “%s” is false", whose, text);
      return SETL_FACTORY_STATUS_SKIPPED;
    }
  return SETL_FACTORY_STATUS_PENDING;
}

static gboolean
is_dynamic (InspectorState *st,
            SetlCondition  *condition)
{
  g_auto(GStrv) refs = setl_condition_get_references (condition);

  for (guint i = 0; refs[i] != NULL; i++)
    {
      g_autofree char *name = NULL;
      const char *fact;

      if (_setl_condition_split_reference (refs[i], &static_names, st, &name, &fact))
        return TRUE;
    }
  return FALSE;
}

SetlFactoryStatus
_setl_conditions_decide (SetlPipeline       *pipeline,
                         SetlFactory        *factory,
                         SetlStage          *stage,
                         gboolean            dynamic,
                         SetlRunOutputFunc   output_of,
                         gpointer            data,
                         GCancellable       *cancellable,
                         char              **reason,
                         GError            **error)
{
  SetlInspector *inspector = setl_pipeline_get_inspector (pipeline);
  InspectorState *st = inspector_state (inspector, FALSE);
  RunFacts rf = { st, output_of, data, cancellable };
  SetlCondition *condition;
  SetlFactoryStatus status;
  const char *pruned;

  if (!dynamic)
    {
      pruned = g_hash_table_lookup (st->pruned, factory);
      if (pruned == NULL)
        return SETL_FACTORY_STATUS_PENDING;
      *reason = g_strdup (pruned);
      return SETL_FACTORY_STATUS_SKIPPED;
    }

  if (SETL_IS_ONE_OF (factory))
    {
      GPtrArray *slots = setl_factory_get_deliveries (factory);
      gboolean any = FALSE;

      for (guint i = 0; i < slots->len && !any; i++)
        any = setl_delivery_has_value (g_ptr_array_index (slots, i));
      if (!any)
        {
          *reason = g_strdup ("none of its branches ran");
          return SETL_FACTORY_STATUS_SKIPPED;
        }
    }

  condition = setl_stage_get_condition (stage);
  if (condition != NULL && is_dynamic (st, condition))
    {
      status = decide_dynamic (pipeline, &rf, factory, condition, "the stage's", reason, error);
      if (status != SETL_FACTORY_STATUS_PENDING)
        return status;
    }
  condition = setl_factory_get_condition (factory);
  if (condition != NULL && is_dynamic (st, condition))
    return decide_dynamic (pipeline, &rf, factory, condition, "its", reason, error);
  return SETL_FACTORY_STATUS_PENDING;
}

/* Gathers the facts of the outputs of @stage that dynamic conditions
 * read, before any consumer (all in later stages) reads them. */
void
_setl_conditions_stage_finished (SetlPipeline      *pipeline,
                                 SetlStage         *stage,
                                 SetlRunOutputFunc  output_of,
                                 gpointer           data,
                                 GCancellable      *cancellable)
{
  InspectorState *st = inspector_state (setl_pipeline_get_inspector (pipeline), FALSE);
  GPtrArray *factories = setl_stage_get_factories (stage);
  RunFacts rf = { st, output_of, data, cancellable };

  if (g_hash_table_size (st->observed) == 0)
    return;
  for (guint i = 0; i < factories->len; i++)
    {
      SetlFactory *factory = g_ptr_array_index (factories, i);
      SetlFactoryStatus status;

      if (!g_hash_table_contains (st->observed, factory) ||
          output_of (data, factory, &status) == NULL)
        continue;
      gather (&rf, factory);
    }
}

/* ----------------------------------------------------------------------- */
/* Empty inputs                                                             */

void
_setl_conditions_fill_empty (SetlFactory  *factory,
                             SetlDelivery *slot)
{
  GType type = setl_delivery_get_payload_type (slot);

  /* An arm of a one-of must stay unset: the one-of tells which branch ran
   * by which slot holds a value. */
  if (SETL_IS_ONE_OF (factory))
    return;
  if (type == SETL_TYPE_TABLE || type == SETL_TYPE_BATCH_STREAM)
    {
      g_autoptr(SetlTable) empty = setl_table_new (NULL, 0, NULL, 0, NULL);
      GValue v = G_VALUE_INIT;

      g_value_init (&v, type);
      g_value_set_object (&v, empty);
      setl_delivery_set_value (slot, &v);
      g_value_unset (&v);
    }
  /* Other payload types have no natural empty value: the slot stays
   * without one (setl_factory_get_input() returns %NULL). */
}
