/* setl-stage.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/**
 * SetlStage:
 *
 * An ordered group of factories that do not depend on each other. Stages run
 * one after another; the factories of one stage may run in parallel (see
 * #SetlPipeline:max-threads), and their outputs are published in the order
 * they were added, whatever order they finish in.
 *
 * The write phase of a factory runs only when both the factory and its stage
 * are writable. With #SetlStage:benchmark set, the stage keeps each
 * factory's phase timings (setl_stage_get_benchmarks()).
 *
 * A stage can also run on its own, outside a pipeline: its factories then
 * run one after another, with inputs set by hand.
 */
#include "setl-stage.h"
#include "setl-private.h"

struct _SetlStage
{
  GObject parent_instance;

  GPtrArray *factories;      /* of SetlFactory */
  GPtrArray *deliverables;   /* of SetlDeliverable, after run */
  GPtrArray *benchmarks;     /* of SetlFactoryResult */
  int index;
  gboolean writable;
  gboolean benchmark;
};

enum {
  PROP_0,
  PROP_INDEX,
  PROP_WRITABLE,
  PROP_BENCHMARK,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (SetlStage, setl_stage, G_TYPE_OBJECT)

static void
setl_stage_finalize (GObject *object)
{
  SetlStage *self = SETL_STAGE (object);

  g_ptr_array_unref (self->factories);
  g_ptr_array_unref (self->deliverables);
  g_ptr_array_unref (self->benchmarks);

  G_OBJECT_CLASS (setl_stage_parent_class)->finalize (object);
}

static void
setl_stage_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  SetlStage *self = SETL_STAGE (object);

  switch (prop_id)
    {
    case PROP_INDEX:
      g_value_set_int (value, self->index);
      break;
    case PROP_WRITABLE:
      g_value_set_boolean (value, self->writable);
      break;
    case PROP_BENCHMARK:
      g_value_set_boolean (value, self->benchmark);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
setl_stage_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  SetlStage *self = SETL_STAGE (object);

  switch (prop_id)
    {
    case PROP_WRITABLE:
      setl_stage_set_writable (self, g_value_get_boolean (value));
      break;
    case PROP_BENCHMARK:
      setl_stage_set_benchmark (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
setl_stage_class_init (SetlStageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = setl_stage_finalize;
  object_class->get_property = setl_stage_get_property;
  object_class->set_property = setl_stage_set_property;

  /**
   * SetlStage:index:
   *
   * The stage's position in its pipeline, from 0; -1 until added to one.
   */
  properties[PROP_INDEX] =
    g_param_spec_int ("index", NULL, NULL, -1, G_MAXINT, -1,
                      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /**
   * SetlStage:writable:
   *
   * Whether the write phase of the stage's factories may run.
   */
  properties[PROP_WRITABLE] =
    g_param_spec_boolean ("writable", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * SetlStage:benchmark:
   *
   * Whether the stage keeps the phase timings of its factories.
   */
  properties[PROP_BENCHMARK] =
    g_param_spec_boolean ("benchmark", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
setl_stage_init (SetlStage *self)
{
  self->factories = g_ptr_array_new_with_free_func (g_object_unref);
  self->deliverables = g_ptr_array_new_with_free_func (g_object_unref);
  self->benchmarks = g_ptr_array_new_with_free_func (g_object_unref);
  self->index = -1;
  self->writable = TRUE;
}

/**
 * setl_stage_new:
 *
 * Returns: (transfer full): an empty, writable stage
 */
SetlStage *
setl_stage_new (void)
{
  return g_object_new (SETL_TYPE_STAGE, NULL);
}

/**
 * setl_stage_add_factory:
 * @self: a #SetlStage
 * @factory: (transfer none): a factory
 *
 * Appends @factory. A factory instance belongs to one stage only; adding
 * it twice is a programmer error (PySetl raises AlreadyExistsException).
 */
void
setl_stage_add_factory (SetlStage   *self,
                        SetlFactory *factory)
{
  g_return_if_fail (SETL_IS_STAGE (self));
  g_return_if_fail (SETL_IS_FACTORY (factory));
  g_return_if_fail (!g_ptr_array_find (self->factories, factory, NULL));

  g_ptr_array_add (self->factories, g_object_ref (factory));
}

/**
 * setl_stage_get_factories:
 * @self: a #SetlStage
 *
 * Returns: (transfer none) (element-type SetlFactory): the factories, in the
 *   order added
 */
GPtrArray *
setl_stage_get_factories (SetlStage *self)
{
  g_return_val_if_fail (SETL_IS_STAGE (self), NULL);
  return self->factories;
}

/**
 * setl_stage_get_index:
 * @self: a #SetlStage
 *
 * Returns: the stage's index in its pipeline, -1 if in none
 */
int
setl_stage_get_index (SetlStage *self)
{
  g_return_val_if_fail (SETL_IS_STAGE (self), -1);
  return self->index;
}

void
_setl_stage_set_index (SetlStage *self,
                       int        index)
{
  if (self->index == index)
    return;
  self->index = index;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INDEX]);
}

char *
_setl_stage_job_group_id (SetlStage   *self,
                          const char  *pipeline_name,
                          SetlFactory *factory)
{
  if (pipeline_name)
    return g_strdup_printf ("%s/stage-%d/%s", pipeline_name, self->index,
                            setl_factory_get_name (factory));
  if (self->index < 0)
    return g_strdup_printf ("stage/%s", setl_factory_get_name (factory));
  return g_strdup_printf ("stage-%d/%s", self->index, setl_factory_get_name (factory));
}

/**
 * setl_stage_get_writable:
 * @self: a #SetlStage
 *
 * Returns: whether the stage's factories may write
 */
gboolean
setl_stage_get_writable (SetlStage *self)
{
  g_return_val_if_fail (SETL_IS_STAGE (self), FALSE);
  return self->writable;
}

/**
 * setl_stage_set_writable:
 * @self: a #SetlStage
 * @writable: whether the stage's factories may write
 */
void
setl_stage_set_writable (SetlStage *self,
                         gboolean   writable)
{
  g_return_if_fail (SETL_IS_STAGE (self));

  writable = !!writable;
  if (self->writable == writable)
    return;
  self->writable = writable;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WRITABLE]);
}

/**
 * setl_stage_get_benchmark:
 * @self: a #SetlStage
 *
 * Returns: whether the stage keeps phase timings
 */
gboolean
setl_stage_get_benchmark (SetlStage *self)
{
  g_return_val_if_fail (SETL_IS_STAGE (self), FALSE);
  return self->benchmark;
}

/**
 * setl_stage_set_benchmark:
 * @self: a #SetlStage
 * @benchmark: whether to keep phase timings
 */
void
setl_stage_set_benchmark (SetlStage *self,
                          gboolean   benchmark)
{
  g_return_if_fail (SETL_IS_STAGE (self));

  benchmark = !!benchmark;
  if (self->benchmark == benchmark)
    return;
  self->benchmark = benchmark;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BENCHMARK]);
}

/* The pipeline records what it ran through these, so that a stage's
 * deliverables and benchmarks read the same however it was run. */
void
_setl_stage_reset_run (SetlStage *self)
{
  g_ptr_array_set_size (self->deliverables, 0);
  g_ptr_array_set_size (self->benchmarks, 0);
}

void
_setl_stage_record (SetlStage         *self,
                    SetlDeliverable   *deliverable,
                    SetlFactoryResult *result)
{
  if (deliverable)
    g_ptr_array_add (self->deliverables, g_object_ref (deliverable));
  if (self->benchmark && result)
    g_ptr_array_add (self->benchmarks, g_object_ref (result));
}

/**
 * setl_stage_run:
 * @self: a #SetlStage
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Runs the stage's factories one after another, each in its job group
 * (`stage-N/name`), and collects their outputs as deliverables. Inputs must
 * have been set beforehand (a pipeline does that). Stops at the first
 * failure.
 *
 * Returns: %TRUE if every factory succeeded
 */
gboolean
setl_stage_run (SetlStage     *self,
                GCancellable  *cancellable,
                GError       **error)
{
  g_return_val_if_fail (SETL_IS_STAGE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  _setl_stage_reset_run (self);
  for (guint i = 0; i < self->factories->len; i++)
    {
      SetlFactory *factory = g_ptr_array_index (self->factories, i);
      g_autofree char *id = _setl_stage_job_group_id (self, NULL, factory);
      g_autoptr(SetlJobGroup) group = setl_job_group_new (id, NULL);
      g_autoptr(SetlFactoryResult) result = NULL;
      g_autoptr(SetlDeliverable) d = NULL;

      result = _setl_factory_result_new (setl_factory_get_name (factory),
                                         G_OBJECT_TYPE (factory), self->index, group);
      _setl_factory_reset_rows (factory);
      d = _setl_factory_run (factory, group, self->writable, NULL, cancellable, result);
      _setl_stage_record (self, d, result);
      if (d == NULL)
        {
          g_propagate_error (error, g_error_copy (setl_factory_result_get_error (result)));
          return FALSE;
        }
    }
  return TRUE;
}

/**
 * setl_stage_get_deliverables:
 * @self: a #SetlStage
 *
 * Returns: (transfer none) (element-type SetlDeliverable): the outputs of the
 *   last run, in factory order
 */
GPtrArray *
setl_stage_get_deliverables (SetlStage *self)
{
  g_return_val_if_fail (SETL_IS_STAGE (self), NULL);
  return self->deliverables;
}

/**
 * setl_stage_get_benchmarks:
 * @self: a #SetlStage
 *
 * Returns: (transfer none) (element-type SetlFactoryResult): the results of
 *   the last run, with phase timings; empty unless #SetlStage:benchmark is set
 */
GPtrArray *
setl_stage_get_benchmarks (SetlStage *self)
{
  g_return_val_if_fail (SETL_IS_STAGE (self), NULL);
  return self->benchmarks;
}

/**
 * setl_stage_describe:
 * @self: a #SetlStage
 *
 * Returns: (transfer full): a text description of the stage
 */
char *
setl_stage_describe (SetlStage *self)
{
  GString *s;

  g_return_val_if_fail (SETL_IS_STAGE (self), NULL);

  s = g_string_new (NULL);
  g_string_append_printf (s, "Stage %d (%u factories%s)\n", self->index, self->factories->len,
                          self->writable ? "" : ", not writable");
  for (guint i = 0; i < self->factories->len; i++)
    {
      SetlFactory *f = g_ptr_array_index (self->factories, i);

      g_string_append_printf (s, "  %s (%s) → %s\n", setl_factory_get_name (f),
                              G_OBJECT_TYPE_NAME (f),
                              g_type_name (setl_factory_get_output_type (f)));
    }
  return g_string_free (s, FALSE);
}
