/* test-job-groups.c: job groups are set before a factory and always restored.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "core-test-factory.h"

/* ---- structured log capture ---- */

static GMutex log_lock;
static GPtrArray *log_records;   /* "group|message" */

static GLogWriterOutput
capture_writer (GLogLevelFlags   level,
                const GLogField *fields,
                gsize            n_fields,
                gpointer         user_data)
{
  const char *group = NULL, *message = NULL, *domain = NULL;

  for (gsize i = 0; i < n_fields; i++)
    {
      if (g_str_equal (fields[i].key, SETL_LOG_FIELD_JOB_GROUP))
        group = fields[i].value;
      else if (g_str_equal (fields[i].key, "MESSAGE"))
        message = fields[i].value;
      else if (g_str_equal (fields[i].key, "GLIB_DOMAIN"))
        domain = fields[i].value;
    }
  if (g_strcmp0 (domain, "CoreTest") == 0)
    {
      g_mutex_lock (&log_lock);
      g_ptr_array_add (log_records, g_strdup_printf ("%s|%s", group ? group : "", message));
      g_mutex_unlock (&log_lock);
      return G_LOG_WRITER_HANDLED;
    }
  return g_log_writer_default (level, fields, n_fields, user_data);
}

static void
test_matches (void)
{
  g_autoptr(SetlJobGroup) g = setl_job_group_new ("etl/stage-1/Load", "load");

  g_assert_true (setl_job_group_matches (g, "etl/stage-1/Load"));
  g_assert_true (setl_job_group_matches (g, "etl/stage-1"));
  g_assert_true (setl_job_group_matches (g, "etl/stage-1/"));
  g_assert_true (setl_job_group_matches (g, "etl"));
  g_assert_false (setl_job_group_matches (g, "etl/stage-10"));
  g_assert_false (setl_job_group_matches (g, "etl/stage-1/Lo"));
  g_assert_false (setl_job_group_matches (g, "other"));
  g_assert_cmpstr (setl_job_group_get_description (g), ==, "load");
}

static void
test_scope_nesting (void)
{
  g_autoptr(SetlJobGroup) a = setl_job_group_new ("a", NULL);
  g_autoptr(SetlJobGroup) b = setl_job_group_new ("a/b", NULL);
  SetlJobGroupScope *sa, *sb;

  g_assert_null (setl_job_group_get_current ());
  sa = setl_job_group_scope_enter (a);
  g_assert_true (setl_job_group_get_current () == a);
  sb = setl_job_group_scope_enter (b);
  g_assert_true (setl_job_group_get_current () == b);
  setl_job_group_scope_leave (sb);
  g_assert_true (setl_job_group_get_current () == a);
  setl_job_group_scope_leave (sa);
  g_assert_null (setl_job_group_get_current ());
}

static gpointer
read_current (gpointer data)
{
  return setl_job_group_get_current ();
}

static void
test_scope_per_thread (void)
{
  g_autoptr(SetlJobGroup) a = setl_job_group_new ("a", NULL);
  SetlJobGroupScope *sa = setl_job_group_scope_enter (a);
  GThread *t = g_thread_new ("reader", read_current, NULL);

  g_assert_null (g_thread_join (t));
  setl_job_group_scope_leave (sa);
}

/* Runs @factories, one stage each unless @one_stage, inside an outer scope
 * "app/nightly", and checks the outer scope is exactly restored. */
static gboolean
run_in_outer_scope (SetlPipeline  *p,
                    GError       **error)
{
  g_autoptr(SetlJobGroup) outer = setl_job_group_new ("app/nightly", "the application's scope");
  SetlJobGroupScope *scope = setl_job_group_scope_enter (outer);
  gboolean ok = setl_pipeline_run (p, NULL, error);

  g_assert_true (setl_job_group_get_current () == outer);
  setl_job_group_scope_leave (scope);
  g_assert_null (setl_job_group_get_current ());
  return ok;
}

static void
assert_hook_pairs (CoreRecordingHook *hook,
                   const char        *group,
                   gboolean           expect_restore_outer)
{
  g_autoptr(GPtrArray) events = core_recording_hook_dup_events (hook);
  g_autofree char *set = g_strdup_printf ("set:%s", group);
  guint set_at = G_MAXUINT;

  for (guint i = 0; i < events->len; i++)
    if (g_str_equal (g_ptr_array_index (events, i), set))
      set_at = i;
  g_assert_cmpuint (set_at, !=, G_MAXUINT);
  /* a restore follows on the same factory's path */
  for (guint i = set_at + 1; i < events->len; i++)
    {
      const char *e = g_ptr_array_index (events, i);

      if (g_str_has_prefix (e, "restore:"))
        {
          if (expect_restore_outer)
            g_assert_cmpstr (e, ==, "restore:app/nightly");
          return;
        }
    }
  g_assert_not_reached ();
}

static void
test_restore_on_success (void)
{
  g_autoptr(SetlPipeline) p = setl_pipeline_new ("p");
  g_autoptr(CoreTestFactory) f = core_test_factory_new ("F", NULL, 1);
  g_autoptr(CoreRecordingHook) hook = core_recording_hook_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) events = NULL;

  setl_pipeline_add_factory (p, SETL_FACTORY (f));
  setl_pipeline_add_job_group_hook (p, SETL_JOB_GROUP_HOOK (hook));
  g_assert_true (run_in_outer_scope (p, &error));
  g_assert_no_error (error);

  for (guint ph = 0; ph < SETL_FACTORY_N_PHASES; ph++)
    g_assert_cmpstr (core_test_factory_get_group_in (f, ph), ==, "p/stage-0/F");

  events = core_recording_hook_dup_events (hook);
  g_assert_cmpuint (events->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (events, 0), ==, "set:p/stage-0/F");
  g_assert_cmpstr (g_ptr_array_index (events, 1), ==, "restore:app/nightly");
  g_assert_cmpstr (setl_factory_result_get_job_group (
                     setl_run_report_find (setl_pipeline_get_report (p), "F")),
                   ==, "p/stage-0/F");
}

static void
test_restore_on_error (void)
{
  for (int phase = SETL_FACTORY_PHASE_READ; phase <= SETL_FACTORY_PHASE_GET; phase++)
    {
      g_autoptr(SetlPipeline) p = setl_pipeline_new ("p");
      g_autoptr(CoreTestFactory) f = core_test_factory_new ("F", NULL, 1);
      g_autoptr(CoreRecordingHook) hook = core_recording_hook_new ();
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) events = NULL;

      core_test_factory_set_fail_phase (f, phase);
      setl_pipeline_add_factory (p, SETL_FACTORY (f));
      setl_pipeline_add_job_group_hook (p, SETL_JOB_GROUP_HOOK (hook));
      g_assert_false (run_in_outer_scope (p, &error));
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);

      events = core_recording_hook_dup_events (hook);
      g_assert_cmpuint (events->len, ==, 2);
      g_assert_cmpstr (g_ptr_array_index (events, 0), ==, "set:p/stage-0/F");
      g_assert_cmpstr (g_ptr_array_index (events, 1), ==, "restore:app/nightly");
      /* the failing phase ran inside the group, later ones did not run */
      g_assert_cmpstr (core_test_factory_get_group_in (f, phase), ==, "p/stage-0/F");
      if (phase < SETL_FACTORY_PHASE_GET)
        g_assert_false (core_test_factory_get_phases_run (f) & (1u << SETL_FACTORY_PHASE_GET));
    }
}

typedef struct {
  SetlPipeline *pipeline;
  char *group;
} DelayedCancel;

/* Cancels while the factory is inside its phases, not before it starts. */
static gpointer
cancel_later (gpointer data)
{
  DelayedCancel *dc = data;
  guint n;

  g_usleep (100 * 1000);
  n = setl_pipeline_cancel_job_group (dc->pipeline, dc->group);
  g_free (dc->group);
  g_free (dc);
  return GUINT_TO_POINTER (n);
}

static void
cancel_own_group (SetlPipeline *p,
                  SetlFactory  *factory,
                  const char   *group,
                  GThread     **thread)
{
  DelayedCancel *dc = g_new0 (DelayedCancel, 1);

  dc->pipeline = p;
  dc->group = g_strdup (group);
  *thread = g_thread_new ("canceller", cancel_later, dc);
}

static void
test_restore_on_cancel (void)
{
  g_autoptr(SetlPipeline) p = setl_pipeline_new ("p");
  g_autoptr(CoreTestFactory) slow = core_test_factory_new ("Slow", NULL, 1);
  g_autoptr(CoreRecordingHook) hook = core_recording_hook_new ();
  g_autoptr(GError) error = NULL;
  GThread *canceller = NULL;
  SetlFactoryResult *r;

  core_test_factory_set_work_ms (slow, 10000);
  setl_pipeline_add_factory (p, SETL_FACTORY (slow));
  setl_pipeline_add_job_group_hook (p, SETL_JOB_GROUP_HOOK (hook));
  g_signal_connect (p, "factory-started", G_CALLBACK (cancel_own_group), &canceller);

  g_assert_false (run_in_outer_scope (p, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (GPOINTER_TO_UINT (g_thread_join (canceller)), ==, 1);
  g_assert_true (core_test_factory_get_phases_run (slow) & (1u << SETL_FACTORY_PHASE_PROCESS));
  assert_hook_pairs (hook, "p/stage-0/Slow", TRUE);
  r = setl_run_report_find (setl_pipeline_get_report (p), "Slow");
  g_assert_cmpint (setl_factory_result_get_status (r), ==, SETL_FACTORY_STATUS_CANCELLED);
  /* cancellation was cooperative and prompt, not the 10 s of work */
  g_assert_cmpint (setl_factory_result_get_duration (r, SETL_FACTORY_PHASE_PROCESS), <, 5 * G_USEC_PER_SEC);
}

static void
test_parallel_copies (void)
{
  g_autoptr(SetlPipeline) p = g_object_new (SETL_TYPE_PIPELINE, "name", "p", "max-threads", 2, NULL);
  g_autoptr(SetlStage) stage = setl_stage_new ();
  g_autoptr(CoreTestFactory) a = core_test_factory_new ("A", "a", 1);
  g_autoptr(CoreTestFactory) b = core_test_factory_new ("B", "b", 2);
  g_autoptr(CoreRecordingHook) hook = core_recording_hook_new ();
  g_autoptr(GError) error = NULL;
  CoreRendezvous rv = { .expected = 2 };

  core_test_factory_set_rendezvous (a, &rv);
  core_test_factory_set_rendezvous (b, &rv);
  setl_stage_add_factory (stage, SETL_FACTORY (a));
  setl_stage_add_factory (stage, SETL_FACTORY (b));
  setl_pipeline_add_stage (p, stage);
  setl_pipeline_add_job_group_hook (p, SETL_JOB_GROUP_HOOK (hook));

  g_assert_true (run_in_outer_scope (p, &error));
  g_assert_no_error (error);

  /* each ran on a worker thread, in its own group, and restored a copy of
   * the caller's group there */
  g_assert_true (core_test_factory_get_thread (a) != g_thread_self ());
  g_assert_true (core_test_factory_get_thread (b) != g_thread_self ());
  g_assert_true (core_test_factory_get_thread (a) != core_test_factory_get_thread (b));
  g_assert_cmpstr (core_test_factory_get_group_in (a, SETL_FACTORY_PHASE_PROCESS), ==, "p/stage-0/A");
  g_assert_cmpstr (core_test_factory_get_group_in (b, SETL_FACTORY_PHASE_PROCESS), ==, "p/stage-0/B");
  assert_hook_pairs (hook, "p/stage-0/A", TRUE);
  assert_hook_pairs (hook, "p/stage-0/B", TRUE);
  g_mutex_clear (&rv.lock);
  g_cond_clear (&rv.cond);
}

static void
test_parallel_error_restores (void)
{
  g_autoptr(SetlPipeline) p = g_object_new (SETL_TYPE_PIPELINE, "name", "p", "max-threads", 2, NULL);
  g_autoptr(SetlStage) stage = setl_stage_new ();
  g_autoptr(CoreTestFactory) a = core_test_factory_new ("A", "a", 1);
  g_autoptr(CoreTestFactory) b = core_test_factory_new ("B", "b", 2);
  g_autoptr(CoreRecordingHook) hook = core_recording_hook_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) events = NULL;
  guint sets = 0, restores = 0;

  core_test_factory_set_fail_phase (a, SETL_FACTORY_PHASE_PROCESS);
  core_test_factory_set_work_ms (b, 3000);
  setl_stage_add_factory (stage, SETL_FACTORY (a));
  setl_stage_add_factory (stage, SETL_FACTORY (b));
  setl_pipeline_add_stage (p, stage);
  setl_pipeline_add_job_group_hook (p, SETL_JOB_GROUP_HOOK (hook));

  g_assert_false (run_in_outer_scope (p, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
  events = core_recording_hook_dup_events (hook);
  for (guint i = 0; i < events->len; i++)
    {
      const char *e = g_ptr_array_index (events, i);

      if (g_str_has_prefix (e, "set:"))
        sets++;
      else
        {
          g_assert_cmpstr (e, ==, "restore:app/nightly");
          restores++;
        }
    }
  g_assert_cmpuint (sets, ==, restores);
  g_assert_cmpuint (sets, >=, 1);
}

static void
test_log_field (void)
{
  g_autoptr(SetlPipeline) p = setl_pipeline_new ("logged");
  g_autoptr(CoreTestFactory) f = core_test_factory_new ("Talker", NULL, 1);
  g_autoptr(GError) error = NULL;
  gboolean found = FALSE;

  setl_pipeline_add_factory (p, SETL_FACTORY (f));
  g_assert_true (setl_pipeline_run (p, NULL, &error));

  g_mutex_lock (&log_lock);
  for (guint i = 0; i < log_records->len; i++)
    if (g_str_equal (g_ptr_array_index (log_records, i), "logged/stage-0/Talker|processing Talker"))
      found = TRUE;
  g_mutex_unlock (&log_lock);
  g_assert_true (found);

  /* outside any factory, no group is attached */
  setl_log ("CoreTest", G_LOG_LEVEL_INFO, "outside");
  g_mutex_lock (&log_lock);
  g_assert_cmpstr (g_ptr_array_index (log_records, log_records->len - 1), ==, "|outside");
  g_mutex_unlock (&log_lock);
}

static void
cancel_slow_when_started (SetlPipeline *p,
                          SetlFactory  *factory,
                          const char   *group,
                          gpointer      data)
{
  if (g_str_equal (setl_factory_get_name (factory), "Slow"))
    setl_pipeline_cancel_job_group (p, "p/stage-0/Slow");
}

/* Cancelling one group cancels exactly its factory and what depends on it. */
static void
test_cancel_by_id (void)
{
  g_autoptr(SetlPipeline) p = g_object_new (SETL_TYPE_PIPELINE, "name", "p", "max-threads", 2, NULL);
  g_autoptr(SetlStage) s0 = setl_stage_new ();
  g_autoptr(SetlStage) s1 = setl_stage_new ();
  g_autoptr(CoreTestFactory) slow = core_test_factory_new ("Slow", "slow", 1);
  g_autoptr(CoreTestFactory) fast = core_test_factory_new ("Fast", "fast", 2);
  g_autoptr(CoreTestFactory) after_slow = core_test_factory_new ("AfterSlow", "as", 10);
  g_autoptr(CoreTestFactory) after_fast = core_test_factory_new ("AfterFast", "af", 20);
  g_autoptr(GError) error = NULL;
  SetlRunReport *report;
  SetlFactoryResult *r;

  core_test_factory_set_work_ms (slow, 10000);
  core_test_factory_set_work_ms (fast, 50);
  core_test_factory_add_int_input (after_slow, "in", "slow");
  core_test_factory_add_int_input (after_fast, "in", "fast");
  setl_stage_add_factory (s0, SETL_FACTORY (slow));
  setl_stage_add_factory (s0, SETL_FACTORY (fast));
  setl_stage_add_factory (s1, SETL_FACTORY (after_slow));
  setl_stage_add_factory (s1, SETL_FACTORY (after_fast));
  setl_pipeline_add_stage (p, s0);
  setl_pipeline_add_stage (p, s1);
  g_signal_connect (p, "factory-started", G_CALLBACK (cancel_slow_when_started), NULL);

  g_assert_false (setl_pipeline_run (p, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_nonnull (strstr (error->message, "Slow"));

  report = setl_pipeline_get_report (p);
  r = setl_run_report_find (report, "Slow");
  g_assert_cmpint (setl_factory_result_get_status (r), ==, SETL_FACTORY_STATUS_CANCELLED);
  r = setl_run_report_find (report, "AfterSlow");
  g_assert_cmpint (setl_factory_result_get_status (r), ==, SETL_FACTORY_STATUS_CANCELLED);
  g_assert_nonnull (strstr (setl_factory_result_get_reason (r), "“Slow”"));
  g_assert_error (setl_factory_result_get_error (r), SETL_PIPELINE_ERROR, SETL_PIPELINE_ERROR_DEPENDENCY);
  g_assert_cmpuint (core_test_factory_get_phases_run (after_slow), ==, 0);
  r = setl_run_report_find (report, "Fast");
  g_assert_cmpint (setl_factory_result_get_status (r), ==, SETL_FACTORY_STATUS_SUCCEEDED);
  r = setl_run_report_find (report, "AfterFast");
  g_assert_cmpint (setl_factory_result_get_status (r), ==, SETL_FACTORY_STATUS_SUCCEEDED);
  g_assert_cmpint (core_test_factory_get_result (after_fast), ==, 22);
}

static void
cancel_stage_one (SetlPipeline *p,
                  SetlStage    *stage,
                  gpointer      data)
{
  if (setl_stage_get_index (stage) == 0)
    g_assert_cmpuint (setl_pipeline_cancel_job_group (p, "p/stage-1"), ==, 2);
}

static void
test_cancel_by_prefix (void)
{
  g_autoptr(SetlPipeline) p = setl_pipeline_new ("p");
  g_autoptr(SetlStage) s1 = setl_stage_new ();
  g_autoptr(CoreTestFactory) a = core_test_factory_new ("A", "a", 1);
  g_autoptr(CoreTestFactory) b = core_test_factory_new ("B", "b", 2);
  g_autoptr(CoreTestFactory) c = core_test_factory_new ("C", "c", 3);
  g_autoptr(CoreTestFactory) d = core_test_factory_new ("D", "d", 4);
  g_autoptr(CoreTestFactory) e = core_test_factory_new ("E", "e", 5);
  g_autoptr(GError) error = NULL;
  SetlRunReport *report;

  core_test_factory_add_int_input (d, "in", "b");
  core_test_factory_add_int_input (e, "in", "a");
  setl_pipeline_add_factory (p, SETL_FACTORY (a));
  setl_stage_add_factory (s1, SETL_FACTORY (b));
  setl_stage_add_factory (s1, SETL_FACTORY (c));
  setl_pipeline_add_stage (p, s1);
  {
    g_autoptr(SetlStage) s2 = setl_stage_new ();

    setl_stage_add_factory (s2, SETL_FACTORY (d));
    setl_stage_add_factory (s2, SETL_FACTORY (e));
    setl_pipeline_add_stage (p, s2);
  }
  g_signal_connect (p, "stage-finished", G_CALLBACK (cancel_stage_one), NULL);

  g_assert_false (setl_pipeline_run (p, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  report = setl_pipeline_get_report (p);
  g_assert_cmpint (setl_factory_result_get_status (setl_run_report_find (report, "A")), ==, SETL_FACTORY_STATUS_SUCCEEDED);
  g_assert_cmpint (setl_factory_result_get_status (setl_run_report_find (report, "B")), ==, SETL_FACTORY_STATUS_CANCELLED);
  g_assert_cmpint (setl_factory_result_get_status (setl_run_report_find (report, "C")), ==, SETL_FACTORY_STATUS_CANCELLED);
  g_assert_cmpint (setl_factory_result_get_status (setl_run_report_find (report, "D")), ==, SETL_FACTORY_STATUS_CANCELLED);
  g_assert_cmpint (setl_factory_result_get_status (setl_run_report_find (report, "E")), ==, SETL_FACTORY_STATUS_SUCCEEDED);
  g_assert_cmpuint (core_test_factory_get_phases_run (b), ==, 0);
  g_assert_cmpuint (core_test_factory_get_phases_run (c), ==, 0);
  g_assert_cmpint (core_test_factory_get_result (e), ==, 6);
}

static void
test_unique_ids (void)
{
  g_autoptr(SetlPipeline) p = setl_pipeline_new ("p");
  g_autoptr(SetlStage) s = setl_stage_new ();
  g_autoptr(CoreTestFactory) a = core_test_factory_new ("Same", "a", 1);
  g_autoptr(CoreTestFactory) b = core_test_factory_new ("Same", "b", 2);
  g_autoptr(GError) error = NULL;
  GPtrArray *results;

  setl_stage_add_factory (s, SETL_FACTORY (a));
  setl_stage_add_factory (s, SETL_FACTORY (b));
  setl_pipeline_add_stage (p, s);
  g_assert_true (setl_pipeline_run (p, NULL, &error));
  results = setl_run_report_get_results (setl_pipeline_get_report (p));
  g_assert_cmpstr (setl_factory_result_get_job_group (g_ptr_array_index (results, 0)), ==, "p/stage-0/Same");
  g_assert_cmpstr (setl_factory_result_get_job_group (g_ptr_array_index (results, 1)), ==, "p/stage-0/Same-2");
}

int
main (int argc, char **argv)
{
  int ret;

  log_records = g_ptr_array_new_with_free_func (g_free);
  g_log_set_writer_func (capture_writer, NULL, NULL);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/job-group/matches", test_matches);
  g_test_add_func ("/core/job-group/scope-nesting", test_scope_nesting);
  g_test_add_func ("/core/job-group/scope-per-thread", test_scope_per_thread);
  g_test_add_func ("/core/job-group/restore-on-success", test_restore_on_success);
  g_test_add_func ("/core/job-group/restore-on-error", test_restore_on_error);
  g_test_add_func ("/core/job-group/restore-on-cancel", test_restore_on_cancel);
  g_test_add_func ("/core/job-group/parallel-copies", test_parallel_copies);
  g_test_add_func ("/core/job-group/parallel-error-restores", test_parallel_error_restores);
  g_test_add_func ("/core/job-group/log-field", test_log_field);
  g_test_add_func ("/core/job-group/cancel-by-id", test_cancel_by_id);
  g_test_add_func ("/core/job-group/cancel-by-prefix", test_cancel_by_prefix);
  g_test_add_func ("/core/job-group/unique-ids", test_unique_ids);

  ret = g_test_run ();
  g_ptr_array_unref (log_records);
  return ret;
}
