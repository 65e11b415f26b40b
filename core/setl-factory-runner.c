/* setl-factory-runner.c: one factory's trip through its phases.
 *
 * Shared by SetlStage (which runs its factories one after another) and
 * SetlPipeline (which may run them on worker threads). The guarantee that
 * matters lives here: the job group is entered before `read` and left after
 * `get` on every path, and backend hooks are restored in the reverse order
 * they were set.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "setl-private.h"


typedef gboolean (*PhaseFunc) (SetlFactory *, GCancellable *, GError **);

static gboolean
run_phase (SetlFactory       *factory,
           SetlFactoryPhase   phase,
           PhaseFunc          func,
           GCancellable      *cancellable,
           SetlFactoryResult *result,
           GError           **error)
{
  gint64 start = g_get_monotonic_time ();
  gboolean ok;

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  ok = func (factory, cancellable, error);
  _setl_factory_result_set_duration (result, phase, g_get_monotonic_time () - start);
  return ok;
}

static SetlDeliverable *
make_deliverable (SetlFactory *factory,
                  GValue      *output)
{
  SetlDeliverable *d = setl_deliverable_new (output, G_OBJECT_TYPE (factory),
                                             setl_factory_get_delivery_id (factory));
  const GType *consumers;
  guint n;

  consumers = setl_factory_get_consumers (factory, &n);
  for (guint i = 0; i < n; i++)
    setl_deliverable_add_consumer (d, consumers[i]);
  return d;
}

SetlDeliverable *
_setl_factory_run (SetlFactory       *factory,
                   SetlJobGroup      *group,
                   gboolean           stage_writable,
                   GPtrArray         *hooks,
                   GCancellable      *cancellable,
                   SetlFactoryResult *result)
{
  SetlJobGroup *previous = setl_job_group_get_current ();
  SetlJobGroupScope *scope;
  SetlDeliverable *deliverable = NULL;
  SetlFactoryPhase phase = SETL_FACTORY_PHASE_READ;
  g_auto(GValue) output = G_VALUE_INIT;
  GError *error = NULL;
  gboolean wrote = FALSE, debug;
  gint64 start;

  scope = setl_job_group_scope_enter (group);
  /* Code the phases reach without a cancellable parameter (validation
   * hooks running SQL in setl_factory_get()) finds it here. */
  if (cancellable != NULL)
    g_cancellable_push_current (cancellable);
  for (guint i = 0; hooks && i < hooks->len; i++)
    setl_job_group_hook_set (g_ptr_array_index (hooks, i), group);

  _setl_factory_result_set_status (result, SETL_FACTORY_STATUS_RUNNING, NULL);
  /* GLib's idiom for debug messages on a hot path: formatting and writing
   * these two cost as much as the rest of the trip of a trivial factory,
   * so they are only made when G_MESSAGES_DEBUG asks for them. */
  debug = !g_log_writer_default_would_drop (G_LOG_LEVEL_DEBUG, G_LOG_DOMAIN);
  if (debug)
    setl_log (G_LOG_DOMAIN, G_LOG_LEVEL_DEBUG, "Factory “%s” started",
              setl_factory_get_name (factory));

  if (!run_phase (factory, phase, setl_factory_read, cancellable, result, &error))
    goto out;
  phase = SETL_FACTORY_PHASE_PROCESS;
  if (!run_phase (factory, phase, setl_factory_process, cancellable, result, &error))
    goto out;
  phase = SETL_FACTORY_PHASE_WRITE;
  if (stage_writable && setl_factory_get_writable (factory))
    {
      if (!run_phase (factory, phase, setl_factory_write, cancellable, result, &error))
        goto out;
      wrote = TRUE;
    }
  phase = SETL_FACTORY_PHASE_GET;
  if (g_cancellable_set_error_if_cancelled (cancellable, &error))
    goto out;
  start = g_get_monotonic_time ();
  if (setl_factory_get (factory, &output, &error))
    deliverable = make_deliverable (factory, &output);
  _setl_factory_result_set_duration (result, phase, g_get_monotonic_time () - start);

out:
  _setl_factory_result_set_wrote (result, wrote);
  if (error != NULL)
    {
      gboolean cancelled = g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
                           g_cancellable_is_cancelled (cancellable);

      g_prefix_error (&error, "Factory “%s” (%s, job group %s) %s in %s: ",
                      setl_factory_get_name (factory), G_OBJECT_TYPE_NAME (factory),
                      setl_job_group_get_id (group),
                      cancelled ? "was cancelled" : "failed",
                      setl_factory_phase_to_string (phase));
      setl_log (G_LOG_DOMAIN, G_LOG_LEVEL_INFO,
                "%s", error->message);
      _setl_factory_result_set_status (result,
                                       cancelled ? SETL_FACTORY_STATUS_CANCELLED
                                                 : SETL_FACTORY_STATUS_FAILED,
                                       cancelled ? "cancelled while running" : NULL);
      _setl_factory_result_take_error (result, error);
    }
  else
    {
      if (debug)
        setl_log (G_LOG_DOMAIN, G_LOG_LEVEL_DEBUG, "Factory “%s” succeeded",
                  setl_factory_get_name (factory));
      _setl_factory_result_set_status (result, SETL_FACTORY_STATUS_SUCCEEDED, NULL);
    }

  if (cancellable != NULL)
    g_cancellable_pop_current (cancellable);
  for (guint i = hooks ? hooks->len : 0; i > 0; i--)
    setl_job_group_hook_restore (g_ptr_array_index (hooks, i - 1), previous);
  setl_job_group_scope_leave (scope);

  return deliverable;
}
