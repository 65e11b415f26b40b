/* setl-factory-result.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/**
 * SetlFactoryResult:
 *
 * The outcome of one factory in one run: its status and the reason for it,
 * the job group it ran in, how long each phase took (in microseconds), and
 * the error if it failed. Emitted with #SetlPipeline::factory-finished and
 * collected in the #SetlRunReport. Immutable once emitted.
 */
#include "setl-factory-result.h"
#include "setl-private.h"

struct _SetlFactoryResult
{
  GObject parent_instance;

  char *factory_name;
  const char *factory_type;   /* a type name: GLib keeps it for good */
  int stage;
  SetlJobGroup *job_group;    /* shared with the run, for its id */
  SetlFactoryStatus status;
  char *reason;
  GError *error;
  gint64 durations[SETL_FACTORY_N_PHASES];
  gboolean wrote;
};

G_DEFINE_FINAL_TYPE (SetlFactoryResult, setl_factory_result, G_TYPE_OBJECT)

static void
setl_factory_result_finalize (GObject *object)
{
  SetlFactoryResult *self = SETL_FACTORY_RESULT (object);

  g_free (self->factory_name);
  g_clear_pointer (&self->job_group, setl_job_group_unref);
  g_free (self->reason);
  g_clear_error (&self->error);

  G_OBJECT_CLASS (setl_factory_result_parent_class)->finalize (object);
}

static void
setl_factory_result_class_init (SetlFactoryResultClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = setl_factory_result_finalize;
}

static void
setl_factory_result_init (SetlFactoryResult *self)
{
}

SetlFactoryResult *
_setl_factory_result_new (const char   *factory_name,
                          GType         factory_type,
                          int           stage,
                          SetlJobGroup *job_group)
{
  SetlFactoryResult *self = g_object_new (SETL_TYPE_FACTORY_RESULT, NULL);

  self->factory_name = g_strdup (factory_name);
  self->factory_type = g_type_name (factory_type);
  self->stage = stage;
  self->job_group = setl_job_group_ref (job_group);
  return self;
}

void
_setl_factory_result_set_status (SetlFactoryResult *self,
                                 SetlFactoryStatus  status,
                                 const char        *reason)
{
  self->status = status;
  _setl_set_str (&self->reason, reason);
}

void
_setl_factory_result_take_error (SetlFactoryResult *self,
                                 GError            *error)
{
  g_clear_error (&self->error);
  self->error = error;
}

void
_setl_factory_result_set_duration (SetlFactoryResult *self,
                                   SetlFactoryPhase   phase,
                                   gint64             usec)
{
  self->durations[phase] = usec;
}

void
_setl_factory_result_set_wrote (SetlFactoryResult *self,
                                gboolean           wrote)
{
  self->wrote = wrote;
}

/**
 * setl_factory_result_get_factory_name:
 * @self: a #SetlFactoryResult
 *
 * Returns: the factory's name
 */
const char *
setl_factory_result_get_factory_name (SetlFactoryResult *self)
{
  g_return_val_if_fail (SETL_IS_FACTORY_RESULT (self), NULL);
  return self->factory_name;
}

/**
 * setl_factory_result_get_factory_type:
 * @self: a #SetlFactoryResult
 *
 * Returns: the factory's type name
 */
const char *
setl_factory_result_get_factory_type (SetlFactoryResult *self)
{
  g_return_val_if_fail (SETL_IS_FACTORY_RESULT (self), NULL);
  return self->factory_type;
}

/**
 * setl_factory_result_get_stage:
 * @self: a #SetlFactoryResult
 *
 * Returns: the index of the factory's stage, from 0
 */
int
setl_factory_result_get_stage (SetlFactoryResult *self)
{
  g_return_val_if_fail (SETL_IS_FACTORY_RESULT (self), -1);
  return self->stage;
}

/**
 * setl_factory_result_get_job_group:
 * @self: a #SetlFactoryResult
 *
 * Returns: the id of the job group the factory ran (or would have run) in
 */
const char *
setl_factory_result_get_job_group (SetlFactoryResult *self)
{
  g_return_val_if_fail (SETL_IS_FACTORY_RESULT (self), NULL);
  return self->job_group ? setl_job_group_get_id (self->job_group) : NULL;
}

/**
 * setl_factory_result_get_status:
 * @self: a #SetlFactoryResult
 *
 * Returns: the factory's status
 */
SetlFactoryStatus
setl_factory_result_get_status (SetlFactoryResult *self)
{
  g_return_val_if_fail (SETL_IS_FACTORY_RESULT (self), SETL_FACTORY_STATUS_PENDING);
  return self->status;
}

/**
 * setl_factory_result_get_reason:
 * @self: a #SetlFactoryResult
 *
 * Returns: (nullable): why the factory was skipped, cancelled or failed
 */
const char *
setl_factory_result_get_reason (SetlFactoryResult *self)
{
  g_return_val_if_fail (SETL_IS_FACTORY_RESULT (self), NULL);
  return self->reason;
}

/**
 * setl_factory_result_get_error:
 * @self: a #SetlFactoryResult
 *
 * Returns: (transfer none) (nullable): the error of a failed or cancelled
 *   factory
 */
const GError *
setl_factory_result_get_error (SetlFactoryResult *self)
{
  g_return_val_if_fail (SETL_IS_FACTORY_RESULT (self), NULL);
  return self->error;
}

/**
 * setl_factory_result_get_duration:
 * @self: a #SetlFactoryResult
 * @phase: a phase
 *
 * Returns: how long @phase took, in microseconds; 0 if it did not run
 */
gint64
setl_factory_result_get_duration (SetlFactoryResult *self,
                                  SetlFactoryPhase   phase)
{
  g_return_val_if_fail (SETL_IS_FACTORY_RESULT (self), 0);
  g_return_val_if_fail ((guint) phase < SETL_FACTORY_N_PHASES, 0);
  return self->durations[phase];
}

/**
 * setl_factory_result_get_total_duration:
 * @self: a #SetlFactoryResult
 *
 * Returns: the time of all phases, in microseconds
 */
gint64
setl_factory_result_get_total_duration (SetlFactoryResult *self)
{
  gint64 total = 0;

  g_return_val_if_fail (SETL_IS_FACTORY_RESULT (self), 0);
  for (guint i = 0; i < SETL_FACTORY_N_PHASES; i++)
    total += self->durations[i];
  return total;
}

/**
 * setl_factory_result_get_wrote:
 * @self: a #SetlFactoryResult
 *
 * Returns: whether the write phase ran
 */
gboolean
setl_factory_result_get_wrote (SetlFactoryResult *self)
{
  g_return_val_if_fail (SETL_IS_FACTORY_RESULT (self), FALSE);
  return self->wrote;
}

/**
 * setl_factory_status_to_string:
 * @status: a #SetlFactoryStatus
 *
 * Returns: the status as the run report spells it, e.g. "succeeded"
 */
const char *
setl_factory_status_to_string (SetlFactoryStatus status)
{
  switch (status)
    {
    case SETL_FACTORY_STATUS_PENDING: return "pending";
    case SETL_FACTORY_STATUS_RUNNING: return "running";
    case SETL_FACTORY_STATUS_SUCCEEDED: return "succeeded";
    case SETL_FACTORY_STATUS_FAILED: return "failed";
    case SETL_FACTORY_STATUS_SKIPPED: return "skipped";
    case SETL_FACTORY_STATUS_CANCELLED: return "cancelled";
    case SETL_FACTORY_STATUS_REUSED: return "reused";
    case SETL_FACTORY_STATUS_UPSTREAM_FAILED: return "upstream-failed";
    default: return "unknown";
    }
}

/**
 * setl_factory_phase_to_string:
 * @phase: a #SetlFactoryPhase
 *
 * Returns: the phase's name, e.g. "read"
 */
const char *
setl_factory_phase_to_string (SetlFactoryPhase phase)
{
  switch (phase)
    {
    case SETL_FACTORY_PHASE_READ: return "read";
    case SETL_FACTORY_PHASE_PROCESS: return "process";
    case SETL_FACTORY_PHASE_WRITE: return "write";
    case SETL_FACTORY_PHASE_GET: return "get";
    default: return "unknown";
    }
}
