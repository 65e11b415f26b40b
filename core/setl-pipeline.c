/* setl-pipeline.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/**
 * SetlPipeline:
 *
 * Stages of factories plus external inputs, checked and run as one job.
 *
 * Before running, the pipeline's #SetlInspector builds the DAG and refuses a
 * pipeline with missing, ambiguous or cyclic dependencies. Stages then run in
 * order. The factories of a stage run in parallel on up to
 * #SetlPipeline:max-threads threads; their outputs are published in the
 * order the factories were added, so a parallel run delivers exactly what a
 * sequential one does. With a cache policy, a stage's keys are looked up
 * before it is dispatched, and a stage with at most one factory to run
 * (the others reused from the cache) runs on the calling thread.
 *
 * Every factory runs inside its job group, `pipeline/stage-N/factory`,
 * entered before `read` and left after `get` whatever happens; a worker
 * thread starts from a copy of the caller's current group, never a live
 * reference. setl_pipeline_cancel_job_group() cancels exactly the factories
 * of a group; the factories that need their output are then reported as
 * cancelled by dependency.
 *
 * A failure stops the run at the end of its stage, cancelling the other
 * factories of that stage and the stages after it (their factories that
 * depend on the failed one are upstream-failed), unless
 * #SetlPipeline:continue-on-error is set; in that case only the factories
 * that depend on the failed one are upstream-failed.
 *
 * Factories and stages may have conditions (setl_factory_set_condition(),
 * docs/conditions.md): a factory whose condition is false is skipped, and so
 * are the factories that require its output.
 *
 * |[<!-- language="C" -->
 * g_autoptr(SetlPipeline) p = setl_pipeline_new ("citizens");
 * setl_pipeline_add_factory (p, SETL_FACTORY (load));
 * setl_pipeline_add_factory (p, SETL_FACTORY (count));
 * if (!setl_pipeline_run (p, NULL, &error))
 *   g_printerr ("%s\n", error->message);   // names the factory and phase
 * const GValue *n = setl_pipeline_get_output (p, MY_TYPE_COUNT, &error);
 * ]|
 *
 * setl_pipeline_run_async() runs the pipeline on a worker thread and emits
 * the signals in the caller's main context, for applications with a main
 * loop.
 */
#include "setl-pipeline.h"
#include "setl-cache-private.h"
#include "setl-condition-private.h"
#include "setl-dispatcher.h"
#include "setl-error.h"
#include "setl-private.h"


struct _SetlPipeline
{
  GObject parent_instance;

  char *name;
  int max_threads;
  gboolean continue_on_error;
  gboolean benchmark;

  GPtrArray *stages;          /* of SetlStage */
  GPtrArray *inputs;          /* of SetlDeliverable */
  GPtrArray *hooks;           /* of SetlJobGroupHook */
  SetlInspector *inspector;
  SetlDispatcher *dispatcher; /* external inputs and outputs of the last run */
  GHashTable *outputs;        /* SetlFactory* → SetlDeliverable*, last run */
  SetlRunReport *report;

  GMutex lock;                /* guards running and run, for cancellation */
  gboolean running;
  struct _RunContext *run;
};

enum {
  PROP_0,
  PROP_NAME,
  PROP_MAX_THREADS,
  PROP_CONTINUE_ON_ERROR,
  PROP_BENCHMARK,
  N_PROPS
};

enum {
  SIGNAL_FACTORY_STARTED,
  SIGNAL_FACTORY_FINISHED,
  SIGNAL_STAGE_FINISHED,
  SIGNAL_PROGRESS,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (SetlPipeline, setl_pipeline, G_TYPE_OBJECT)

/* ----------------------------------------------------------------------- */
/* Run state                                                                */

typedef struct
{
  SetlFactory *factory;
  SetlStage *stage;
  SetlJobGroup *group;
  SetlFactoryResult *result;
  SetlDeliverable *deliverable;   /* set on success */
  GCancellable *cancellable;
  gboolean cancel_requested;      /* by job group or fail-fast */
  gboolean finished;              /* under the pipeline's lock */
} FactoryRun;

typedef enum { EVENT_STARTED, EVENT_FINISHED, EVENT_LEFT } EventType;

typedef struct
{
  EventType type;
  FactoryRun *run;
} Event;

typedef struct _RunContext
{
  SetlPipeline *pipeline;
  GMainContext *emit_context;     /* NULL: emit on the running thread */
  GCancellable *cancellable;      /* the caller's */
  gulong cancelled_id;
  SetlJobGroup *outer;            /* the caller's group when the run started */
  FactoryRun *block;              /* every FactoryRun, in stage order, one
                                   * allocation: the order the inspector numbers
                                   * its factory nodes in */
  guint *stage_first;             /* index in block of each stage's first */
  GPtrArray *runs;                /* of FactoryRun*, pointing into block */
  GAsyncQueue *events;            /* of Event*, from workers */
  GThreadPool *pool;
  guint threads;                  /* 0 until a stage needs to know */
  guint done;
} RunContext;

static void
factory_run_clear (FactoryRun *r)
{
  g_clear_object (&r->factory);
  g_clear_object (&r->stage);
  g_clear_pointer (&r->group, setl_job_group_unref);
  g_clear_object (&r->result);
  g_clear_object (&r->deliverable);
  g_clear_object (&r->cancellable);
}

/* The run of factory @i of @stage_index. */
static FactoryRun *
run_at (RunContext *ctx,
        guint       stage_index,
        guint       i)
{
  return &ctx->block[ctx->stage_first[stage_index] + i];
}

/* ----------------------------------------------------------------------- */
/* Signal emission: directly, or in the caller's main context for async runs */

typedef struct
{
  guint signal_id;
  guint n_values;
  GValue values[3];
} Emission;

static gboolean
emission_dispatch (gpointer data)
{
  Emission *e = data;

  g_signal_emitv (e->values, e->signal_id, 0, NULL);
  return G_SOURCE_REMOVE;
}

static void
emission_free (gpointer data)
{
  Emission *e = data;

  for (guint i = 0; i < e->n_values; i++)
    g_value_unset (&e->values[i]);
  g_free (e);
}

static Emission *
emission_new (SetlPipeline *self,
              guint         signal_id)
{
  Emission *e = g_new0 (Emission, 1);

  e->signal_id = signal_id;
  g_value_init (&e->values[0], SETL_TYPE_PIPELINE);
  g_value_set_object (&e->values[0], self);
  e->n_values = 1;
  return e;
}

static void
emission_add_object (Emission *e,
                     gpointer  object)
{
  g_value_init (&e->values[e->n_values], G_OBJECT_TYPE (object));
  g_value_set_object (&e->values[e->n_values++], object);
}

static void
emission_add_uint (Emission *e,
                   guint     v)
{
  g_value_init (&e->values[e->n_values], G_TYPE_UINT);
  g_value_set_uint (&e->values[e->n_values++], v);
}

static void
emission_add_string (Emission   *e,
                     const char *s)
{
  g_value_init (&e->values[e->n_values], G_TYPE_STRING);
  g_value_set_string (&e->values[e->n_values++], s);
}

static void
emit (RunContext *ctx,
      Emission   *e)
{
  if (ctx->emit_context != NULL)
    {
      /* Not g_main_context_invoke_full(): it calls the function right here,
       * on the worker, whenever it can acquire the context — e.g. when the
       * caller has not entered its main loop yet. An idle source always
       * dispatches in the caller's context, and sources of one priority
       * dispatch in the order attached, so the signals keep their order and
       * come before the GTask's callback. */
      GSource *source = g_idle_source_new ();

      g_source_set_priority (source, G_PRIORITY_DEFAULT);
      g_source_set_callback (source, emission_dispatch, e, emission_free);
      g_source_set_static_name (source, "[setl] pipeline signal");
      g_source_attach (source, ctx->emit_context);
      g_source_unref (source);
      return;
    }
  emission_dispatch (e);
  emission_free (e);
}

/* Whether an emission of @signal_id can reach anyone. A synchronous run
 * with nobody connected skips building the emission: four of them per
 * factory were a fifth of the run's own time with 10,000 factories. An
 * asynchronous run always queues them, as a handler may be connected before
 * they are dispatched. */
static gboolean
wanted (RunContext *ctx,
        guint       signal_id)
{
  return ctx->emit_context != NULL ||
         g_signal_has_handler_pending (ctx->pipeline, signal_id, 0, FALSE);
}

static void
emit_started (RunContext *ctx,
              FactoryRun *r)
{
  Emission *e;

  if (!wanted (ctx, signals[SIGNAL_FACTORY_STARTED]))
    return;
  e = emission_new (ctx->pipeline, signals[SIGNAL_FACTORY_STARTED]);

  emission_add_object (e, r->factory);
  emission_add_string (e, setl_job_group_get_id (r->group));
  emit (ctx, e);
}

static void
set_finished (RunContext *ctx,
              FactoryRun *r)
{
  g_mutex_lock (&ctx->pipeline->lock);
  r->finished = TRUE;
  g_mutex_unlock (&ctx->pipeline->lock);
}

static void
emit_finished (RunContext *ctx,
               FactoryRun *r)
{
  Emission *e;

  set_finished (ctx, r);
  if (wanted (ctx, signals[SIGNAL_FACTORY_FINISHED]))
    {
      e = emission_new (ctx->pipeline, signals[SIGNAL_FACTORY_FINISHED]);
      emission_add_object (e, r->factory);
      emission_add_object (e, r->result);
      emit (ctx, e);
    }

  ctx->done++;
  if (wanted (ctx, signals[SIGNAL_PROGRESS]))
    {
      e = emission_new (ctx->pipeline, signals[SIGNAL_PROGRESS]);
      emission_add_uint (e, ctx->done);
      emission_add_uint (e, ctx->runs->len);
      emit (ctx, e);
    }
}

static void
emit_stage_finished (RunContext *ctx,
                     SetlStage  *stage)
{
  Emission *e;

  if (!wanted (ctx, signals[SIGNAL_STAGE_FINISHED]))
    return;
  e = emission_new (ctx->pipeline, signals[SIGNAL_STAGE_FINISHED]);
  emission_add_object (e, stage);
  emit (ctx, e);
}

/* ----------------------------------------------------------------------- */
/* GObject boilerplate                                                      */

static void
setl_pipeline_finalize (GObject *object)
{
  SetlPipeline *self = SETL_PIPELINE (object);

  g_free (self->name);
  g_ptr_array_unref (self->stages);
  g_ptr_array_unref (self->inputs);
  g_ptr_array_unref (self->hooks);
  g_clear_object (&self->inspector);
  g_clear_object (&self->dispatcher);
  g_hash_table_unref (self->outputs);
  g_clear_object (&self->report);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (setl_pipeline_parent_class)->finalize (object);
}

static void
setl_pipeline_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  SetlPipeline *self = SETL_PIPELINE (object);

  switch (prop_id)
    {
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_MAX_THREADS:
      g_value_set_int (value, self->max_threads);
      break;
    case PROP_CONTINUE_ON_ERROR:
      g_value_set_boolean (value, self->continue_on_error);
      break;
    case PROP_BENCHMARK:
      g_value_set_boolean (value, self->benchmark);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
setl_pipeline_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  SetlPipeline *self = SETL_PIPELINE (object);

  switch (prop_id)
    {
    case PROP_NAME:
      g_free (self->name);
      self->name = g_value_dup_string (value);
      if (self->name == NULL || *self->name == '\0')
        _setl_set_str (&self->name, "pipeline");
      break;
    case PROP_MAX_THREADS:
      setl_pipeline_set_max_threads (self, g_value_get_int (value));
      break;
    case PROP_CONTINUE_ON_ERROR:
      setl_pipeline_set_continue_on_error (self, g_value_get_boolean (value));
      break;
    case PROP_BENCHMARK:
      setl_pipeline_set_benchmark (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
setl_pipeline_class_init (SetlPipelineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = setl_pipeline_finalize;
  object_class->get_property = setl_pipeline_get_property;
  object_class->set_property = setl_pipeline_set_property;

  /**
   * SetlPipeline:name:
   *
   * The pipeline's name, the first component of its job group ids.
   */
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, "pipeline",
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * SetlPipeline:max-threads:
   *
   * How many factories of a stage may run at once; 0 (the default) means
   * the number of processors, 1 runs everything on the calling thread.
   */
  properties[PROP_MAX_THREADS] =
    g_param_spec_int ("max-threads", NULL, NULL, 0, 1024, 0,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * SetlPipeline:continue-on-error:
   *
   * When %FALSE (the default) a failure cancels the rest of its stage and
   * stops the run; when %TRUE the run goes on, and only the factories that
   * depend on a failed one are not run (upstream-failed).
   */
  properties[PROP_CONTINUE_ON_ERROR] =
    g_param_spec_boolean ("continue-on-error", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * SetlPipeline:benchmark:
   *
   * Whether the stages keep phase timings (see setl_pipeline_get_benchmarks()).
   * The run report has timings either way.
   */
  properties[PROP_BENCHMARK] =
    g_param_spec_boolean ("benchmark", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * SetlPipeline::factory-started:
   * @self: the pipeline
   * @factory: the factory
   * @job_group: the id of the factory's job group
   *
   * A factory is about to read.
   */
  signals[SIGNAL_FACTORY_STARTED] =
    g_signal_new ("factory-started", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, SETL_TYPE_FACTORY, G_TYPE_STRING);
  /**
   * SetlPipeline::factory-finished:
   * @self: the pipeline
   * @factory: the factory
   * @result: its status, timings and error
   *
   * A factory succeeded, failed, or was skipped or cancelled.
   */
  signals[SIGNAL_FACTORY_FINISHED] =
    g_signal_new ("factory-finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, SETL_TYPE_FACTORY, SETL_TYPE_FACTORY_RESULT);
  /**
   * SetlPipeline::stage-finished:
   * @self: the pipeline
   * @stage: the stage
   *
   * Every factory of @stage has finished and its outputs are published.
   */
  signals[SIGNAL_STAGE_FINISHED] =
    g_signal_new ("stage-finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, SETL_TYPE_STAGE);
  /**
   * SetlPipeline::progress:
   * @self: the pipeline
   * @done: how many factories have finished
   * @total: how many factories the pipeline has
   *
   * Emitted after every #SetlPipeline::factory-finished.
   */
  signals[SIGNAL_PROGRESS] =
    g_signal_new ("progress", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_UINT);
}

static void
setl_pipeline_init (SetlPipeline *self)
{
  self->name = g_strdup ("pipeline");
  self->stages = g_ptr_array_new_with_free_func (g_object_unref);
  self->inputs = g_ptr_array_new_with_free_func (g_object_unref);
  self->hooks = g_ptr_array_new_with_free_func (g_object_unref);
  self->dispatcher = setl_dispatcher_new ();
  self->outputs = g_hash_table_new_full (NULL, NULL, NULL, g_object_unref);
  g_mutex_init (&self->lock);
}

/* ----------------------------------------------------------------------- */
/* Building                                                                 */

/**
 * setl_pipeline_new:
 * @name: (nullable): the pipeline's name, %NULL for "pipeline"
 *
 * Returns: (transfer full): an empty pipeline
 */
SetlPipeline *
setl_pipeline_new (const char *name)
{
  return g_object_new (SETL_TYPE_PIPELINE, "name", name, NULL);
}

/**
 * setl_pipeline_get_name:
 * @self: a #SetlPipeline
 *
 * Returns: the pipeline's name
 */
const char *
setl_pipeline_get_name (SetlPipeline *self)
{
  g_return_val_if_fail (SETL_IS_PIPELINE (self), NULL);
  return self->name;
}

/**
 * setl_pipeline_get_max_threads:
 * @self: a #SetlPipeline
 *
 * Returns: the #SetlPipeline:max-threads setting
 */
int
setl_pipeline_get_max_threads (SetlPipeline *self)
{
  g_return_val_if_fail (SETL_IS_PIPELINE (self), 0);
  return self->max_threads;
}

/**
 * setl_pipeline_set_max_threads:
 * @self: a #SetlPipeline
 * @max_threads: threads per stage; 0 for the number of processors
 */
void
setl_pipeline_set_max_threads (SetlPipeline *self,
                               int           max_threads)
{
  g_return_if_fail (SETL_IS_PIPELINE (self));
  g_return_if_fail (max_threads >= 0);

  if (self->max_threads == max_threads)
    return;
  self->max_threads = max_threads;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_THREADS]);
}

/**
 * setl_pipeline_get_continue_on_error:
 * @self: a #SetlPipeline
 *
 * Returns: the #SetlPipeline:continue-on-error setting
 */
gboolean
setl_pipeline_get_continue_on_error (SetlPipeline *self)
{
  g_return_val_if_fail (SETL_IS_PIPELINE (self), FALSE);
  return self->continue_on_error;
}

/**
 * setl_pipeline_set_continue_on_error:
 * @self: a #SetlPipeline
 * @continue_on_error: whether a failure leaves independent factories running
 */
void
setl_pipeline_set_continue_on_error (SetlPipeline *self,
                                     gboolean      continue_on_error)
{
  g_return_if_fail (SETL_IS_PIPELINE (self));

  continue_on_error = !!continue_on_error;
  if (self->continue_on_error == continue_on_error)
    return;
  self->continue_on_error = continue_on_error;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONTINUE_ON_ERROR]);
}

/**
 * setl_pipeline_get_benchmark:
 * @self: a #SetlPipeline
 *
 * Returns: the #SetlPipeline:benchmark setting
 */
gboolean
setl_pipeline_get_benchmark (SetlPipeline *self)
{
  g_return_val_if_fail (SETL_IS_PIPELINE (self), FALSE);
  return self->benchmark;
}

/**
 * setl_pipeline_set_benchmark:
 * @self: a #SetlPipeline
 * @benchmark: whether stages keep phase timings
 */
void
setl_pipeline_set_benchmark (SetlPipeline *self,
                             gboolean      benchmark)
{
  g_return_if_fail (SETL_IS_PIPELINE (self));

  benchmark = !!benchmark;
  if (self->benchmark == benchmark)
    return;
  self->benchmark = benchmark;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BENCHMARK]);
}

/**
 * setl_pipeline_add_stage:
 * @self: a #SetlPipeline
 * @stage: (transfer none): the next stage
 *
 * Appends @stage; it runs after every stage added before it.
 */
void
setl_pipeline_add_stage (SetlPipeline *self,
                         SetlStage    *stage)
{
  g_return_if_fail (SETL_IS_PIPELINE (self));
  g_return_if_fail (SETL_IS_STAGE (stage));
  g_return_if_fail (setl_stage_get_index (stage) < 0);

  _setl_stage_set_index (stage, self->stages->len);
  g_ptr_array_add (self->stages, g_object_ref (stage));
}

/**
 * setl_pipeline_add_factory:
 * @self: a #SetlPipeline
 * @factory: (transfer none): a factory
 *
 * Appends a new stage holding only @factory.
 *
 * Returns: (transfer none): the new stage
 */
SetlStage *
setl_pipeline_add_factory (SetlPipeline *self,
                           SetlFactory  *factory)
{
  g_autoptr(SetlStage) stage = NULL;

  g_return_val_if_fail (SETL_IS_PIPELINE (self), NULL);
  g_return_val_if_fail (SETL_IS_FACTORY (factory), NULL);

  stage = setl_stage_new ();
  setl_stage_add_factory (stage, factory);
  setl_pipeline_add_stage (self, stage);
  return stage;
}

/**
 * setl_pipeline_get_stages:
 * @self: a #SetlPipeline
 *
 * Returns: (transfer none) (element-type SetlStage): the stages, in run order
 */
GPtrArray *
setl_pipeline_get_stages (SetlPipeline *self)
{
  g_return_val_if_fail (SETL_IS_PIPELINE (self), NULL);
  return self->stages;
}

/**
 * setl_pipeline_set_input:
 * @self: a #SetlPipeline
 * @deliverable: (transfer none): data from outside the pipeline
 *
 * Makes @deliverable available to the factories' input slots, as PySetl's
 * `set_input_from_deliverable`. Setting the same deliverable twice is a
 * programmer error.
 */
void
setl_pipeline_set_input (SetlPipeline    *self,
                         SetlDeliverable *deliverable)
{
  g_return_if_fail (SETL_IS_PIPELINE (self));
  g_return_if_fail (SETL_IS_DELIVERABLE (deliverable));
  g_return_if_fail (setl_deliverable_get_payload (deliverable) != NULL);
  g_return_if_fail (!g_ptr_array_find (self->inputs, deliverable, NULL));

  g_ptr_array_add (self->inputs, g_object_ref (deliverable));
}

/**
 * setl_pipeline_get_inputs:
 * @self: a #SetlPipeline
 *
 * Returns: (transfer none) (element-type SetlDeliverable): the external inputs
 */
GPtrArray *
setl_pipeline_get_inputs (SetlPipeline *self)
{
  g_return_val_if_fail (SETL_IS_PIPELINE (self), NULL);
  return self->inputs;
}

/**
 * setl_pipeline_add_job_group_hook:
 * @self: a #SetlPipeline
 * @hook: (transfer none): a backend or tracer to tell about job groups
 *
 * Registers @hook; around every factory, it is told the factory's job group
 * and then told to restore the previous one.
 */
void
setl_pipeline_add_job_group_hook (SetlPipeline     *self,
                                  SetlJobGroupHook *hook)
{
  g_return_if_fail (SETL_IS_PIPELINE (self));
  g_return_if_fail (SETL_IS_JOB_GROUP_HOOK (hook));

  g_ptr_array_add (self->hooks, g_object_ref (hook));
}

/* ----------------------------------------------------------------------- */
/* Inspection                                                               */

/**
 * setl_pipeline_inspect:
 * @self: a #SetlPipeline
 * @error: return location for a #GError
 *
 * Builds and checks the DAG without running anything.
 *
 * Returns: %TRUE if the pipeline can run
 */
gboolean
setl_pipeline_inspect (SetlPipeline  *self,
                       GError       **error)
{
  g_return_val_if_fail (SETL_IS_PIPELINE (self), FALSE);

  if (self->inspector == NULL)
    self->inspector = setl_inspector_new (self);
  return setl_inspector_inspect (self->inspector, error);
}

/**
 * setl_pipeline_get_inspector:
 * @self: a #SetlPipeline
 *
 * Returns: (transfer none): the pipeline's inspector, holding the DAG of the
 *   last inspection
 */
SetlInspector *
setl_pipeline_get_inspector (SetlPipeline *self)
{
  g_return_val_if_fail (SETL_IS_PIPELINE (self), NULL);

  if (self->inspector == NULL)
    self->inspector = setl_inspector_new (self);
  return self->inspector;
}

/**
 * setl_pipeline_describe:
 * @self: a #SetlPipeline
 *
 * Inspects the pipeline and describes its DAG; a pipeline that would not
 * pass inspection is described as far as it can be resolved.
 *
 * Returns: (transfer full): the pipeline summary
 */
char *
setl_pipeline_describe (SetlPipeline *self)
{
  g_return_val_if_fail (SETL_IS_PIPELINE (self), NULL);

  setl_pipeline_inspect (self, NULL);
  return setl_inspector_describe (self->inspector);
}

/**
 * setl_pipeline_to_mermaid:
 * @self: a #SetlPipeline
 *
 * Returns: (transfer full): the DAG as a Mermaid flowchart
 */
char *
setl_pipeline_to_mermaid (SetlPipeline *self)
{
  g_return_val_if_fail (SETL_IS_PIPELINE (self), NULL);

  setl_pipeline_inspect (self, NULL);
  return setl_inspector_to_mermaid (self->inspector);
}

/**
 * setl_pipeline_to_dot:
 * @self: a #SetlPipeline
 *
 * Returns: (transfer full): the DAG in Graphviz DOT
 */
char *
setl_pipeline_to_dot (SetlPipeline *self)
{
  g_return_val_if_fail (SETL_IS_PIPELINE (self), NULL);

  setl_pipeline_inspect (self, NULL);
  return setl_inspector_to_dot (self->inspector);
}

/* ----------------------------------------------------------------------- */
/* Running                                                                  */

static void
on_run_cancelled (GCancellable *cancellable,
                  gpointer      data)
{
  RunContext *ctx = data;
  SetlPipeline *self = ctx->pipeline;

  g_mutex_lock (&self->lock);
  for (guint i = 0; i < ctx->runs->len; i++)
    {
      FactoryRun *r = g_ptr_array_index (ctx->runs, i);

      r->cancel_requested = TRUE;
      g_cancellable_cancel (r->cancellable);
    }
  g_mutex_unlock (&self->lock);
}

/* Job group ids, `pipeline/stage-N/factory`, must name one factory: a
 * second factory of the same name in a stage gets a numeric suffix. Ids of
 * different stages cannot collide (the stage number ends at the first "/"
 * after "stage-"), so uniqueness is checked among the names of one stage:
 * @taken holds them (borrowed, or owned by @made for the suffixed ones).
 * Returns the id, newly allocated, put together without printf. */
static char *
unique_group_id (const char  *prefix,
                 SetlFactory *factory,
                 GHashTable  *taken,
                 GPtrArray   *made)
{
  const char *name = setl_factory_get_name (factory);

  if (g_hash_table_contains (taken, name))
    {
      char *suffixed = NULL;

      for (guint n = 2; suffixed == NULL || g_hash_table_contains (taken, suffixed); n++)
        {
          g_free (suffixed);
          suffixed = g_strdup_printf ("%s-%u", name, n);
        }
      g_ptr_array_add (made, suffixed);
      name = suffixed;
    }
  g_hash_table_add (taken, (gpointer) name);
  return g_strconcat (prefix, name, NULL);
}

static RunContext *
run_context_new (SetlPipeline *self,
                 GCancellable *cancellable,
                 GMainContext *emit_context)
{
  RunContext *ctx = g_new0 (RunContext, 1);
  g_autoptr(GHashTable) taken = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) made = g_ptr_array_new_with_free_func (g_free);
  SetlJobGroup *outer = setl_job_group_get_current ();
  guint n_runs = 0, k = 0;

  ctx->pipeline = self;
  ctx->emit_context = emit_context ? g_main_context_ref (emit_context) : NULL;
  ctx->cancellable = cancellable ? g_object_ref (cancellable) : NULL;
  ctx->outer = outer ? setl_job_group_ref (outer) : NULL;
  ctx->events = g_async_queue_new_full (g_free);

  ctx->stage_first = g_new (guint, self->stages->len + 1);
  for (guint s = 0; s < self->stages->len; s++)
    {
      ctx->stage_first[s] = n_runs;
      n_runs += setl_stage_get_factories (g_ptr_array_index (self->stages, s))->len;
    }
  ctx->stage_first[self->stages->len] = n_runs;
  ctx->block = g_new0 (FactoryRun, n_runs);
  ctx->runs = g_ptr_array_sized_new (n_runs);

  for (guint s = 0; s < self->stages->len; s++)
    {
      SetlStage *stage = g_ptr_array_index (self->stages, s);
      GPtrArray *factories = setl_stage_get_factories (stage);
      /* "pipeline/stage-N/" and "Factory “X” (T) of pipeline “P”, stage N",
       * put together without printf, which cost as much as the rest of this
       * loop. */
      g_autofree char *prefix = g_strdup_printf ("%s/stage-%u/", self->name, s);
      g_autofree char *of_pipeline = g_strdup_printf (") of pipeline “%s”, stage %u", self->name, s);

      g_hash_table_remove_all (taken);
      for (guint f = 0; f < factories->len; f++, k++)
        {
          SetlFactory *factory = g_ptr_array_index (factories, f);
          FactoryRun *r = &ctx->block[k];
          char *id = unique_group_id (prefix, factory, taken, made);
          char *description = g_strconcat ("Factory “", setl_factory_get_name (factory), "” (",
                                           G_OBJECT_TYPE_NAME (factory), of_pipeline, NULL);

          r->factory = g_object_ref (factory);
          r->stage = g_object_ref (stage);
          r->group = _setl_job_group_new_take (id, description);
          r->result = _setl_factory_result_new (setl_factory_get_name (factory),
                                                G_OBJECT_TYPE (factory), s, r->group);
          r->cancellable = g_cancellable_new ();
          _setl_factory_reset_rows (factory);
          g_ptr_array_add (ctx->runs, r);
        }
    }
  return ctx;
}

static void
run_context_free (RunContext *ctx)
{
  if (ctx->pool)
    g_thread_pool_free (ctx->pool, FALSE, TRUE);
  g_clear_pointer (&ctx->emit_context, g_main_context_unref);
  g_clear_object (&ctx->cancellable);
  g_clear_pointer (&ctx->outer, setl_job_group_unref);
  for (guint i = 0; i < ctx->runs->len; i++)
    factory_run_clear (&ctx->block[i]);
  g_ptr_array_unref (ctx->runs);
  g_free (ctx->block);
  g_free (ctx->stage_first);
  g_async_queue_unref (ctx->events);
  g_free (ctx);
}

static void
mark (FactoryRun        *r,
      SetlFactoryStatus  status,
      const char        *reason,
      GError            *error)
{
  _setl_factory_result_set_status (r->result, status, reason);
  if (error)
    _setl_factory_result_take_error (r->result, error);
}

static gboolean
is_pending (FactoryRun *r)
{
  return setl_factory_result_get_status (r->result) == SETL_FACTORY_STATUS_PENDING;
}

/* Fills the factory's slots from what the inspector resolved. Returns FALSE,
 * having marked the factory, when a required input did not arrive. */
static gboolean
prepare (RunContext *ctx,
         FactoryRun *r)
{
  SetlPipeline *self = ctx->pipeline;
  guint n_slots;
  const SetlResolvedSlot *resolved = _setl_inspector_get_resolved (self->inspector, r->factory,
                                                                   &n_slots);
  const char *name = setl_factory_get_name (r->factory);

  /* Lazy evaluation: only what the requested outputs need runs. */
  if (!_setl_cache_run_needed (self, r->factory, r->result))
    return FALSE;

  for (guint i = 0; i < n_slots; i++)
    {
      const SetlResolvedSlot *slot = &resolved[i];
      SetlFactory *producer;
      FactoryRun *up;
      SetlFactoryStatus status;
      g_autofree char *reason = NULL;

      setl_delivery_reset (slot->slot);
      if (slot->source == NULL)
        continue;
      if (setl_node_is_external (slot->source))
        {
          setl_delivery_set_value (slot->slot,
                                   setl_deliverable_get_payload (setl_node_get_deliverable (slot->source)));
          continue;
        }

      /* The inspector numbers factory nodes in stage order, as block is. */
      producer = setl_node_get_factory (slot->source);
      up = &ctx->block[_setl_node_get_index (slot->source)];
      g_assert (up->factory == producer);
      if (up->deliverable != NULL)
        {
          setl_delivery_set_value (slot->slot, setl_deliverable_get_payload (up->deliverable));
          continue;
        }

      /* Skip semantics (docs/conditions.md): a skipped producer skips the
       * factories that require its output, and an optional input arrives
       * empty; a failure is never turned into missing data. */
      status = setl_factory_result_get_status (up->result);
      if (status == SETL_FACTORY_STATUS_SKIPPED && setl_delivery_get_optional (slot->slot))
        {
          _setl_conditions_fill_empty (r->factory, slot->slot);
          continue;
        }
      reason = g_strdup_printf ("input “%s” comes from factory “%s”, which %s",
                                setl_delivery_get_name (slot->slot),
                                setl_factory_get_name (producer),
                                status == SETL_FACTORY_STATUS_CANCELLED ? "was cancelled"
                                : status == SETL_FACTORY_STATUS_FAILED ? "failed"
                                : status == SETL_FACTORY_STATUS_SKIPPED ? "was skipped"
                                : "did not run because a factory it needs failed");
      if (status == SETL_FACTORY_STATUS_SKIPPED)
        {
          mark (r, SETL_FACTORY_STATUS_SKIPPED, reason, NULL);
          return FALSE;
        }
      mark (r, status == SETL_FACTORY_STATUS_CANCELLED ? SETL_FACTORY_STATUS_CANCELLED
                                                       : SETL_FACTORY_STATUS_UPSTREAM_FAILED,
            reason,
            g_error_new (SETL_PIPELINE_ERROR, SETL_PIPELINE_ERROR_DEPENDENCY,
                         "Factory “%s” did not run: %s", name, reason));
      return FALSE;
    }
  return TRUE;
}

/* The status and output of @factory in the run, for conditions. */
static SetlDeliverable *
run_output_of (gpointer           data,
               SetlFactory       *factory,
               SetlFactoryStatus *status)
{
  RunContext *ctx = data;
  SetlNode *node = setl_inspector_find_node (ctx->pipeline->inspector, factory);
  FactoryRun *r;

  *status = SETL_FACTORY_STATUS_PENDING;
  if (node == NULL)
    return NULL;
  r = &ctx->block[_setl_node_get_index (node)];
  *status = setl_factory_result_get_status (r->result);
  return r->deliverable;
}

/* Whether @r's conditions let it run: its static verdict before its inputs
 * are prepared, its dynamic conditions after (setl-pipeline-conditions.c).
 * Marks it otherwise. */
static gboolean
conditions_allow (RunContext *ctx,
                  FactoryRun *r,
                  gboolean    dynamic)
{
  g_autofree char *reason = NULL;
  GError *error = NULL;
  SetlFactoryStatus status;

  status = _setl_conditions_decide (ctx->pipeline, r->factory, r->stage, dynamic,
                                    run_output_of, ctx, ctx->cancellable, &reason, &error);
  if (status == SETL_FACTORY_STATUS_PENDING)
    return TRUE;
  for (guint j = 0; dynamic && j < setl_factory_get_deliveries (r->factory)->len; j++)
    setl_delivery_reset (g_ptr_array_index (setl_factory_get_deliveries (r->factory), j));
  mark (r, status, reason, error);
  return FALSE;
}

/* Runs one factory on the current thread, starting from a copy of the
 * caller's job group so that nothing is shared between threads. */
static void
execute (RunContext *ctx,
         FactoryRun *r)
{
  SetlJobGroupScope *outer_scope = NULL;
  gboolean cancel;

  g_mutex_lock (&ctx->pipeline->lock);
  cancel = r->cancel_requested;
  g_mutex_unlock (&ctx->pipeline->lock);
  if (cancel)
    {
      mark (r, SETL_FACTORY_STATUS_CANCELLED, "cancelled before it started",
            g_error_new (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                         "Factory “%s” (job group %s) was cancelled before it started",
                         setl_factory_get_name (r->factory), setl_job_group_get_id (r->group)));
      return;
    }

  if (ctx->outer != NULL)
    {
      g_autoptr(SetlJobGroup) copy = setl_job_group_copy (ctx->outer);

      outer_scope = setl_job_group_scope_enter (copy);
    }
  r->deliverable = _setl_cache_run_factory (ctx->pipeline, r->factory, r->group,
                                            setl_stage_get_writable (r->stage),
                                            ctx->pipeline->hooks, r->cancellable, r->result);
  if (outer_scope != NULL)
    setl_job_group_scope_leave (outer_scope);
  set_finished (ctx, r);
}

static void
push_event (RunContext *ctx,
            EventType   type,
            FactoryRun *r)
{
  Event *e = g_new (Event, 1);

  e->type = type;
  e->run = r;
  g_async_queue_push (ctx->events, e);
}

/* The work of one stage, shared by the pool's threads and the calling
 * thread: each takes the next factory until none is left. Handing the pool
 * one task per thread rather than one per factory spares a wake-up per
 * factory; with trivial factories, that hand-off was most of a parallel
 * stage's time. */
typedef struct
{
  GPtrArray *ready;       /* of FactoryRun* */
  gint next;              /* index of the next one to take, atomic */
  gint stopped;           /* set, atomically, by the first failure */
  gboolean want_started;  /* whether EVENT_STARTED and EVENT_FINISHED can */
  gboolean want_finished; /* reach anyone, as the stage starts (see wanted()) */
} StageWork;

static void stop_stage (RunContext *ctx,
                        GPtrArray  *stage_runs,
                        FactoryRun *failed);

static gboolean
failed (FactoryRun *r)
{
  return setl_factory_result_get_status (r->result) == SETL_FACTORY_STATUS_FAILED;
}

/* Fail fast, from the thread the failure happened on: the running factories
 * of the stage are cancelled at once, whatever the calling thread is busy
 * with. */
static void
check_failure (RunContext *ctx,
               StageWork  *work,
               FactoryRun *r)
{
  if (failed (r) && !ctx->pipeline->continue_on_error &&
      g_atomic_int_compare_and_exchange (&work->stopped, 0, 1))
    stop_stage (ctx, work->ready, r);
}

static void
worker (gpointer data,
        gpointer user_data)
{
  StageWork *work = data;
  RunContext *ctx = user_data;
  guint i;

  while ((i = (guint) g_atomic_int_add (&work->next, 1)) < work->ready->len)
    {
      FactoryRun *r = g_ptr_array_index (work->ready, i);

      if (work->want_started)
        push_event (ctx, EVENT_STARTED, r);
      execute (ctx, r);
      check_failure (ctx, work, r);
      if (work->want_finished)
        push_event (ctx, EVENT_FINISHED, r);
    }
  /* The last touch of @work: the stage waits for it before it returns. */
  push_event (ctx, EVENT_LEFT, NULL);
}

/* Fail fast: the first failure cancels the factories of its stage that are
 * still queued or running. */
static void
stop_stage (RunContext *ctx,
            GPtrArray  *stage_runs,
            FactoryRun *failed)
{
  g_mutex_lock (&ctx->pipeline->lock);
  for (guint i = 0; i < stage_runs->len; i++)
    {
      FactoryRun *r = g_ptr_array_index (stage_runs, i);

      if (r == failed)
        continue;
      r->cancel_requested = TRUE;
      g_cancellable_cancel (r->cancellable);
    }
  g_mutex_unlock (&ctx->pipeline->lock);
}

/* Asked once per run: counting the processors reads /sys each time. */
static guint
effective_threads (RunContext *ctx)
{
  SetlPipeline *self = ctx->pipeline;

  if (ctx->threads == 0)
    ctx->threads = self->max_threads > 0 ? (guint) self->max_threads : g_get_num_processors ();
  return ctx->threads;
}

/* Whether the factories of a stage are better run on the calling thread
 * although several are ready: when at most one of them has work to do, as
 * in a run whose results are all cached. Their keys are computed and
 * looked up now (_setl_cache_prefetch()), and their runs reuse what was
 * found. Handing on cached results takes microseconds; starting the pool's
 * threads took most of a warm run's time. */
static gboolean
run_inline (RunContext *ctx,
            GPtrArray  *ready)
{
  guint work = 0;

  for (guint i = 0; i < ready->len && work <= 1; i++)
    {
      FactoryRun *r = g_ptr_array_index (ready, i);

      if (!_setl_cache_prefetch (ctx->pipeline, r->factory, r->cancellable))
        work++;
    }
  return work <= 1;
}

/* An event from a worker, on the calling thread. Returns 1 for EVENT_LEFT. */
static guint
handle_event (RunContext *ctx,
              Event      *e)
{
  switch (e->type)
    {
    case EVENT_LEFT:
      return 1;
    case EVENT_STARTED:
      emit_started (ctx, e->run);
      return 0;
    case EVENT_FINISHED:
      emit_finished (ctx, e->run);
      return 0;
    }
  g_assert_not_reached ();
}

/* Returns FALSE when the run must stop after this stage. */
static gboolean
run_stage (RunContext *ctx,
           guint       stage_index,
           SetlStage  *stage)
{
  SetlPipeline *self = ctx->pipeline;
  GPtrArray *factories = setl_stage_get_factories (stage);
  g_autoptr(GPtrArray) ready = g_ptr_array_new ();
  gboolean stop = FALSE;
  guint threads = 1;

  _setl_stage_reset_run (stage);
  setl_stage_set_benchmark (stage, self->benchmark);

  for (guint i = 0; i < factories->len; i++)
    {
      FactoryRun *r = run_at (ctx, stage_index, i);

      if (is_pending (r) && conditions_allow (ctx, r, FALSE) && prepare (ctx, r) &&
          conditions_allow (ctx, r, TRUE))
        g_ptr_array_add (ready, r);
      else
        emit_finished (ctx, r);
    }

  if (ready->len > 1 && !run_inline (ctx, ready) && (threads = effective_threads (ctx)) > 1)
    {
      /* The factories run on the pool's threads; the calling thread emits
       * the signals from the events queue. Nobody listening (checked as the
       * stage starts, as for want_started), the workers send no event per
       * factory at all: factory-finished is unheard and progress is
       * accounted for when the stage is over, and a failure stops the
       * stage from the worker it happened on. Waking the calling thread
       * for every trivial factory cost more than running it. */
      StageWork work = { ready, 0, 0,
                         wanted (ctx, signals[SIGNAL_FACTORY_STARTED]),
                         wanted (ctx, signals[SIGNAL_FACTORY_FINISHED]) ||
                         wanted (ctx, signals[SIGNAL_PROGRESS]) };
      guint n_tasks = MIN (threads, ready->len), left = 0, i;

      if (ctx->pool == NULL)
        ctx->pool = g_thread_pool_new (worker, ctx, (int) threads, FALSE, NULL);
      for (i = 0; i < n_tasks; i++)
        g_thread_pool_push (ctx->pool, &work, NULL);

      /* Every worker's events come before its EVENT_LEFT. */
      while (left < n_tasks)
        {
          g_autofree Event *e = g_async_queue_pop (ctx->events);

          left += handle_event (ctx, e);
        }
      if (!work.want_finished)
        for (i = 0; i < ready->len; i++)
          emit_finished (ctx, g_ptr_array_index (ready, i));
      stop = g_atomic_int_get (&work.stopped);
    }
  else
    {
      for (guint i = 0; i < ready->len; i++)
        {
          FactoryRun *r = g_ptr_array_index (ready, i);

          emit_started (ctx, r);
          execute (ctx, r);
          emit_finished (ctx, r);
          if (failed (r) && !self->continue_on_error && !stop)
            {
              stop = TRUE;
              stop_stage (ctx, ready, r);
            }
        }
    }

  /* Publish in the order the factories were added, not as they finished. */
  for (guint i = 0; i < factories->len; i++)
    {
      FactoryRun *r = run_at (ctx, stage_index, i);

      if (r->deliverable)
        {
          setl_dispatcher_add_deliverable (self->dispatcher, r->deliverable);
          g_hash_table_insert (self->outputs, r->factory, g_object_ref (r->deliverable));
        }
      _setl_stage_record (stage, r->deliverable, r->result);
    }
  _setl_conditions_stage_finished (self, stage, run_output_of, ctx, ctx->cancellable);
  emit_stage_finished (ctx, stage);

  return !stop && !g_cancellable_is_cancelled (ctx->cancellable);
}

static gboolean
finish_run (RunContext  *ctx,
            gint64       start,
            GError     **error)
{
  SetlPipeline *self = ctx->pipeline;
  FactoryRun *first_failed = NULL, *first_cancelled = NULL;
  SetlRunReport *report = _setl_run_report_new (self->name);
  guint n_cancelled = 0;

  for (guint i = 0; i < ctx->runs->len; i++)
    {
      FactoryRun *r = g_ptr_array_index (ctx->runs, i);
      SetlFactoryStatus status = setl_factory_result_get_status (r->result);

      _setl_conditions_annotate (r->factory, r->result);
      _setl_run_report_add (report, r->result);
      if (status == SETL_FACTORY_STATUS_FAILED && first_failed == NULL)
        first_failed = r;
      if (status == SETL_FACTORY_STATUS_CANCELLED)
        {
          n_cancelled++;
          if (first_cancelled == NULL)
            first_cancelled = r;
        }
      /* Slots hold references to upstream outputs; the run is over. */
      for (guint j = 0; j < setl_factory_get_deliveries (r->factory)->len; j++)
        setl_delivery_reset (g_ptr_array_index (setl_factory_get_deliveries (r->factory), j));
    }

  _setl_run_report_finish (report, first_failed == NULL && n_cancelled == 0,
                           g_get_monotonic_time () - start);
  g_clear_object (&self->report);
  self->report = report;

  if (first_failed != NULL)
    {
      g_propagate_error (error, g_error_copy (setl_factory_result_get_error (first_failed->result)));
      return FALSE;
    }
  if (first_cancelled != NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                   "Pipeline “%s”: %u factories cancelled, the first “%s” (%s)",
                   self->name, n_cancelled, setl_factory_get_name (first_cancelled->factory),
                   setl_factory_result_get_reason (first_cancelled->result));
      return FALSE;
    }
  return TRUE;
}

static gboolean
run_internal (SetlPipeline  *self,
              GCancellable  *cancellable,
              GMainContext  *emit_context,
              GError       **error)
{
  RunContext *ctx;
  gint64 start = g_get_monotonic_time ();
  gboolean ok, go_on = TRUE;
  FactoryRun *stopper = NULL;

  if (!setl_pipeline_inspect (self, error))
    return FALSE;
  if (!_setl_cache_run_begin (self, self->inspector, error))
    return FALSE;

  setl_dispatcher_clear (self->dispatcher);
  g_hash_table_remove_all (self->outputs);
  for (guint i = 0; i < self->inputs->len; i++)
    setl_dispatcher_add_deliverable (self->dispatcher, g_ptr_array_index (self->inputs, i));

  ctx = run_context_new (self, cancellable, emit_context);
  g_mutex_lock (&self->lock);
  self->run = ctx;
  g_mutex_unlock (&self->lock);
  if (cancellable)
    ctx->cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (on_run_cancelled), ctx, NULL);

  setl_log (G_LOG_DOMAIN, G_LOG_LEVEL_DEBUG, "Pipeline “%s”: %u stages, %u factories",
            self->name, self->stages->len, ctx->runs->len);

  for (guint s = 0; s < self->stages->len; s++)
    {
      SetlStage *stage = g_ptr_array_index (self->stages, s);

      if (go_on)
        {
          go_on = run_stage (ctx, s, stage);
          if (!go_on)
            for (guint i = 0; i < ctx->runs->len && stopper == NULL; i++)
              if (failed (g_ptr_array_index (ctx->runs, i)))
                stopper = g_ptr_array_index (ctx->runs, i);
          continue;
        }

      /* The run stopped: account for the factories that never ran. Those
       * that need a failed factory are upstream-failed; the others were
       * cancelled, by the failure or by the caller. Stages run in order,
       * so a producer's state is known here. Those pruned by a static
       * condition would not have run anyway: skipped, as they are. */
      for (guint f = 0; f < setl_stage_get_factories (stage)->len; f++)
        {
          FactoryRun *r = run_at (ctx, s, f);
          g_autofree char *reason = NULL;
          guint n_slots;
          const SetlResolvedSlot *slots = _setl_inspector_get_resolved (self->inspector, r->factory, &n_slots);
          FactoryRun *failed_producer = NULL;

          if (!conditions_allow (ctx, r, FALSE))
            {
              emit_finished (ctx, r);
              continue;
            }

          for (guint k = 0; k < n_slots && failed_producer == NULL; k++)
            {
              FactoryRun *up;
              SetlFactoryStatus st;

              if (slots[k].source == NULL || setl_node_is_external (slots[k].source))
                continue;
              up = &ctx->block[_setl_node_get_index (slots[k].source)];
              st = setl_factory_result_get_status (up->result);
              if (st == SETL_FACTORY_STATUS_FAILED || st == SETL_FACTORY_STATUS_UPSTREAM_FAILED)
                failed_producer = up;
            }
          if (failed_producer != NULL)
            reason = g_strdup_printf ("input comes from factory “%s”, which %s",
                                      setl_factory_get_name (failed_producer->factory),
                                      failed (failed_producer) ? "failed"
                                      : "did not run because a factory it needs failed");
          else if (stopper)
            reason = g_strdup_printf ("the run stopped after factory “%s” failed",
                                      setl_factory_get_name (stopper->factory));
          else
            reason = g_strdup ("the pipeline was cancelled");

          mark (r, failed_producer ? SETL_FACTORY_STATUS_UPSTREAM_FAILED : SETL_FACTORY_STATUS_CANCELLED,
                reason, NULL);
          emit_finished (ctx, r);
        }
      _setl_stage_reset_run (stage);
    }

  if (cancellable)
    g_cancellable_disconnect (cancellable, ctx->cancelled_id);
  if (ctx->pool)
    {
      g_thread_pool_free (ctx->pool, FALSE, TRUE);
      ctx->pool = NULL;
    }
  g_mutex_lock (&self->lock);
  self->run = NULL;
  g_mutex_unlock (&self->lock);

  _setl_cache_run_end (self);
  ok = finish_run (ctx, start, error);
  run_context_free (ctx);
  return ok;
}

static gboolean
begin_run (SetlPipeline  *self,
           GError       **error)
{
  gboolean busy;

  g_mutex_lock (&self->lock);
  busy = self->running;
  self->running = TRUE;
  g_mutex_unlock (&self->lock);
  if (busy)
    g_set_error (error, SETL_PIPELINE_ERROR, SETL_PIPELINE_ERROR_BUSY,
                 "Pipeline “%s” is already running", self->name);
  return !busy;
}

static void
end_run (SetlPipeline *self)
{
  g_mutex_lock (&self->lock);
  self->running = FALSE;
  g_mutex_unlock (&self->lock);
}

/**
 * setl_pipeline_run:
 * @self: a #SetlPipeline
 * @cancellable: (nullable): cancels the whole run
 * @error: return location for a #GError
 *
 * Inspects the pipeline, then runs its stages in order. Signals are emitted
 * on the calling thread. On failure, @error is the first failed factory's
 * error, its message prefixed with the factory, its job group and the phase
 * that failed; the run report (setl_pipeline_get_report()) has every
 * factory's outcome.
 *
 * Returns: %TRUE if every factory succeeded
 */
gboolean
setl_pipeline_run (SetlPipeline  *self,
                   GCancellable  *cancellable,
                   GError       **error)
{
  gboolean ok;

  g_return_val_if_fail (SETL_IS_PIPELINE (self), FALSE);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!begin_run (self, error))
    return FALSE;
  ok = run_internal (self, cancellable, NULL, error);
  end_run (self);
  return ok;
}

static void
run_in_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  SetlPipeline *self = source_object;
  GError *error = NULL;
  gboolean ok;

  ok = run_internal (self, cancellable, g_task_get_context (task), &error);
  end_run (self);
  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/**
 * setl_pipeline_run_async:
 * @self: a #SetlPipeline
 * @cancellable: (nullable): cancels the whole run
 * @callback: (scope async): called when the run is over
 * @user_data: data for @callback
 *
 * Runs the pipeline on a worker thread. The signals are emitted, and
 * @callback called, in the thread-default main context of the caller.
 */
void
setl_pipeline_run_async (SetlPipeline        *self,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  GError *error = NULL;

  g_return_if_fail (SETL_IS_PIPELINE (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, setl_pipeline_run_async);
  g_task_set_check_cancellable (task, FALSE);
  if (!begin_run (self, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_run_in_thread (task, run_in_thread);
}

/**
 * setl_pipeline_run_finish:
 * @self: a #SetlPipeline
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Returns: %TRUE if every factory succeeded
 */
gboolean
setl_pipeline_run_finish (SetlPipeline  *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (SETL_IS_PIPELINE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * setl_pipeline_cancel_job_group:
 * @self: a #SetlPipeline
 * @id_or_prefix: a job group id, or a prefix of ids made of whole path
 *   components (`etl/stage-1` for a whole stage)
 *
 * Cancels the factories of a running pipeline whose job groups match
 * @id_or_prefix (see setl_job_group_matches()): those still waiting never
 * start, those running see their #GCancellable cancelled. The factories
 * that need their outputs are reported as cancelled by dependency; the
 * others carry on. Safe to call from any thread.
 *
 * Returns: how many factories were cancelled; 0 when not running
 */
guint
setl_pipeline_cancel_job_group (SetlPipeline *self,
                                const char   *id_or_prefix)
{
  guint n = 0;

  g_return_val_if_fail (SETL_IS_PIPELINE (self), 0);
  g_return_val_if_fail (id_or_prefix != NULL, 0);

  g_mutex_lock (&self->lock);
  if (self->run != NULL)
    {
      GPtrArray *runs = self->run->runs;

      for (guint i = 0; i < runs->len; i++)
        {
          FactoryRun *r = g_ptr_array_index (runs, i);

          if (r->finished || !setl_job_group_matches (r->group, id_or_prefix))
            continue;
          r->cancel_requested = TRUE;
          g_cancellable_cancel (r->cancellable);
          n++;
        }
    }
  g_mutex_unlock (&self->lock);
  return n;
}

/* ----------------------------------------------------------------------- */
/* Results                                                                  */

/**
 * setl_pipeline_get_report:
 * @self: a #SetlPipeline
 *
 * Returns: (transfer none) (nullable): the report of the last run
 */
SetlRunReport *
setl_pipeline_get_report (SetlPipeline *self)
{
  g_return_val_if_fail (SETL_IS_PIPELINE (self), NULL);
  return self->report;
}

/**
 * setl_pipeline_get_benchmarks:
 * @self: a #SetlPipeline
 *
 * Returns: (transfer container) (element-type SetlFactoryResult): the phase
 *   timings of every factory of the last run; empty unless
 *   #SetlPipeline:benchmark was set
 */
GPtrArray *
setl_pipeline_get_benchmarks (SetlPipeline *self)
{
  GPtrArray *out = g_ptr_array_new_with_free_func (g_object_unref);

  g_return_val_if_fail (SETL_IS_PIPELINE (self), out);

  for (guint s = 0; s < self->stages->len; s++)
    {
      GPtrArray *b = setl_stage_get_benchmarks (g_ptr_array_index (self->stages, s));

      for (guint i = 0; i < b->len; i++)
        g_ptr_array_add (out, g_object_ref (g_ptr_array_index (b, i)));
    }
  return out;
}

static const GValue *
output_of (SetlPipeline  *self,
           SetlFactory   *factory,
           GError       **error)
{
  SetlDeliverable *d = g_hash_table_lookup (self->outputs, factory);

  if (d == NULL)
    {
      g_set_error (error, SETL_PIPELINE_ERROR, SETL_PIPELINE_ERROR_NOT_FOUND,
                   "Factory “%s” (%s) has no output: it has not run successfully",
                   setl_factory_get_name (factory), G_OBJECT_TYPE_NAME (factory));
      return NULL;
    }
  return setl_deliverable_get_payload (d);
}

static SetlFactory *
find_factory (SetlPipeline *self,
              GType         type,
              const char   *name)
{
  for (guint s = 0; s < self->stages->len; s++)
    {
      GPtrArray *factories = setl_stage_get_factories (g_ptr_array_index (self->stages, s));

      for (guint i = 0; i < factories->len; i++)
        {
          SetlFactory *f = g_ptr_array_index (factories, i);

          if (name ? g_str_equal (setl_factory_get_name (f), name)
                   : g_type_is_a (G_OBJECT_TYPE (f), type))
            return f;
        }
    }
  return NULL;
}

/**
 * setl_pipeline_get_output:
 * @self: a #SetlPipeline
 * @producer: a factory type
 * @error: return location for a #GError
 *
 * The output of the first factory (in stage order) that is a @producer.
 *
 * Returns: (transfer none) (nullable): the output, owned by the pipeline
 *   until its next run
 */
const GValue *
setl_pipeline_get_output (SetlPipeline  *self,
                          GType          producer,
                          GError       **error)
{
  SetlFactory *f;

  g_return_val_if_fail (SETL_IS_PIPELINE (self), NULL);

  f = find_factory (self, producer, NULL);
  if (f == NULL)
    {
      g_set_error (error, SETL_PIPELINE_ERROR, SETL_PIPELINE_ERROR_NOT_FOUND,
                   "Pipeline “%s” has no factory of type %s", self->name, g_type_name (producer));
      return NULL;
    }
  return output_of (self, f, error);
}

/**
 * setl_pipeline_get_output_by_name:
 * @self: a #SetlPipeline
 * @factory_name: a factory name
 * @error: return location for a #GError
 *
 * Returns: (transfer none) (nullable): the output of the first factory called
 *   @factory_name
 */
const GValue *
setl_pipeline_get_output_by_name (SetlPipeline  *self,
                                  const char    *factory_name,
                                  GError       **error)
{
  SetlFactory *f;

  g_return_val_if_fail (SETL_IS_PIPELINE (self), NULL);
  g_return_val_if_fail (factory_name != NULL, NULL);

  f = find_factory (self, G_TYPE_INVALID, factory_name);
  if (f == NULL)
    {
      g_set_error (error, SETL_PIPELINE_ERROR, SETL_PIPELINE_ERROR_NOT_FOUND,
                   "Pipeline “%s” has no factory called “%s”", self->name, factory_name);
      return NULL;
    }
  return output_of (self, f, error);
}

/**
 * setl_pipeline_get_last_output:
 * @self: a #SetlPipeline
 *
 * Returns: (transfer none) (nullable): the output of the last factory of the
 *   last stage, %NULL if it has none
 */
const GValue *
setl_pipeline_get_last_output (SetlPipeline *self)
{
  GPtrArray *factories;
  SetlDeliverable *d;

  g_return_val_if_fail (SETL_IS_PIPELINE (self), NULL);

  if (self->stages->len == 0)
    return NULL;
  factories = setl_stage_get_factories (g_ptr_array_index (self->stages, self->stages->len - 1));
  if (factories->len == 0)
    return NULL;
  d = g_hash_table_lookup (self->outputs, g_ptr_array_index (factories, factories->len - 1));
  return d ? setl_deliverable_get_payload (d) : NULL;
}

/**
 * setl_pipeline_find_deliverables:
 * @self: a #SetlPipeline
 * @payload_type: a payload type, or %G_TYPE_INVALID for any
 * @delivery_id: (nullable): a delivery id, or %NULL for any
 * @producer: a producer type, or %G_TYPE_INVALID for any
 *
 * Searches the external inputs and the outputs of the last run.
 *
 * Returns: (transfer container) (element-type SetlDeliverable): the matches
 */
GPtrArray *
setl_pipeline_find_deliverables (SetlPipeline *self,
                                 GType         payload_type,
                                 const char   *delivery_id,
                                 GType         producer)
{
  g_return_val_if_fail (SETL_IS_PIPELINE (self), NULL);
  return setl_dispatcher_find (self->dispatcher, payload_type, delivery_id, producer);
}
