/* test-execution.c: stages run in order, factories of a stage in parallel,
 * with deterministic results, fail-fast, signals and an async API.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "core-test-factory.h"

static gint64
int_output (SetlPipeline *p,
            const char   *name)
{
  g_autoptr(GError) error = NULL;
  const GValue *v = setl_pipeline_get_output_by_name (p, name, &error);

  g_assert_no_error (error);
  g_assert_nonnull (v);
  return g_value_get_int64 (v);
}

static void
test_chain (void)
{
  g_autoptr(SetlPipeline) p = setl_pipeline_new ("chain");
  g_autoptr(CoreTestFactory) a = core_test_factory_new ("A", "a", 1);
  g_autoptr(CoreTestFactory) b = core_test_factory_new ("B", "b", 10);
  g_autoptr(CoreTestFactory) c = core_test_factory_new ("C", "c", 100);
  g_autoptr(GError) error = NULL;
  const GValue *v;

  core_test_factory_add_int_input (b, "from_a", "a");
  core_test_factory_add_int_input (c, "from_b", "b");
  core_test_factory_add_int_input (c, "from_a", "a");
  setl_pipeline_add_factory (p, SETL_FACTORY (a));
  setl_pipeline_add_factory (p, SETL_FACTORY (b));
  setl_pipeline_add_factory (p, SETL_FACTORY (c));

  g_assert_true (setl_pipeline_run (p, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (int_output (p, "A"), ==, 1);
  g_assert_cmpint (int_output (p, "B"), ==, 11);
  g_assert_cmpint (int_output (p, "C"), ==, 112);
  v = setl_pipeline_get_last_output (p);
  g_assert_cmpint (g_value_get_int64 (v), ==, 112);
  v = setl_pipeline_get_output (p, CORE_TYPE_TEST_FACTORY, &error);
  g_assert_cmpint (g_value_get_int64 (v), ==, 1);
  g_assert_cmpuint (setl_inspector_get_flows (setl_pipeline_get_inspector (p))->len, ==, 3);
  g_assert_true (setl_run_report_get_succeeded (setl_pipeline_get_report (p)));

  /* slots are emptied after the run: outputs are not kept twice */
  g_assert_false (setl_delivery_has_value (setl_factory_get_delivery (SETL_FACTORY (c), "from_b")));

  g_assert_cmpint (setl_factory_get_rows (SETL_FACTORY (c)), ==, 10);

  /* a pipeline can run again, with the same results; row counts restart */
  g_assert_true (setl_pipeline_run (p, NULL, &error));
  g_assert_cmpint (int_output (p, "C"), ==, 112);
  g_assert_cmpint (setl_factory_get_rows (SETL_FACTORY (c)), ==, 10);
}

static void
test_external_input (void)
{
  g_autoptr(SetlPipeline) p = setl_pipeline_new ("ext");
  g_autoptr(CoreTestFactory) a = core_test_factory_new ("A", NULL, 5);
  g_autoptr(SetlDeliverable) d = NULL;
  g_auto(GValue) v = G_VALUE_INIT;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) found = NULL;

  g_value_init (&v, G_TYPE_INT64);
  g_value_set_int64 (&v, 37);
  d = setl_deliverable_new (&v, SETL_TYPE_EXTERNAL, "seed");
  setl_pipeline_set_input (p, d);
  core_test_factory_add_int_input (a, "seed", "seed");
  setl_pipeline_add_factory (p, SETL_FACTORY (a));

  g_assert_true (setl_pipeline_run (p, NULL, &error));
  g_assert_cmpint (int_output (p, "A"), ==, 42);
  found = setl_pipeline_find_deliverables (p, G_TYPE_INT64, NULL, G_TYPE_INVALID);
  g_assert_cmpuint (found->len, ==, 2);
  g_clear_pointer (&found, g_ptr_array_unref);
  found = setl_pipeline_find_deliverables (p, G_TYPE_INVALID, NULL, SETL_TYPE_EXTERNAL);
  g_assert_cmpuint (found->len, ==, 1);
  g_assert_true (g_ptr_array_index (found, 0) == (gpointer) d);
}

static void
test_parallel_rendezvous (void)
{
  g_autoptr(SetlPipeline) p = g_object_new (SETL_TYPE_PIPELINE, "max-threads", 2, NULL);
  g_autoptr(SetlStage) s = setl_stage_new ();
  g_autoptr(CoreTestFactory) a = core_test_factory_new ("A", "a", 1);
  g_autoptr(CoreTestFactory) b = core_test_factory_new ("B", "b", 2);
  g_autoptr(GError) error = NULL;
  CoreRendezvous rv = { .expected = 2 };

  /* each waits until the other is running: only a parallel run passes */
  core_test_factory_set_rendezvous (a, &rv);
  core_test_factory_set_rendezvous (b, &rv);
  setl_stage_add_factory (s, SETL_FACTORY (a));
  setl_stage_add_factory (s, SETL_FACTORY (b));
  setl_pipeline_add_stage (p, s);
  g_assert_true (setl_pipeline_run (p, NULL, &error));
  g_assert_no_error (error);
  g_mutex_clear (&rv.lock);
  g_cond_clear (&rv.cond);
}

static void
test_sequential_when_one_thread (void)
{
  g_autoptr(SetlPipeline) p = g_object_new (SETL_TYPE_PIPELINE, "max-threads", 1, NULL);
  g_autoptr(SetlStage) s = setl_stage_new ();
  g_autoptr(CoreTestFactory) a = core_test_factory_new ("A", "a", 1);
  g_autoptr(CoreTestFactory) b = core_test_factory_new ("B", "b", 2);
  g_autoptr(GError) error = NULL;

  setl_stage_add_factory (s, SETL_FACTORY (a));
  setl_stage_add_factory (s, SETL_FACTORY (b));
  setl_pipeline_add_stage (p, s);
  g_assert_true (setl_pipeline_run (p, NULL, &error));
  g_assert_true (core_test_factory_get_thread (a) == g_thread_self ());
  g_assert_true (core_test_factory_get_thread (b) == g_thread_self ());
}

static SetlPipeline *
build_wide (int max_threads)
{
  SetlPipeline *p = g_object_new (SETL_TYPE_PIPELINE, "name", "wide", "max-threads", max_threads, NULL);
  g_autoptr(SetlStage) s0 = setl_stage_new ();
  g_autoptr(SetlStage) s1 = setl_stage_new ();

  for (int i = 0; i < 8; i++)
    {
      g_autofree char *name = g_strdup_printf ("F%d", i);
      g_autofree char *id = g_strdup_printf ("f%d", i);
      g_autoptr(CoreTestFactory) f = core_test_factory_new (name, id, i * 3);
      g_autofree char *gname = g_strdup_printf ("G%d", i);
      g_autofree char *gid = g_strdup_printf ("g%d", i);
      g_autoptr(CoreTestFactory) g = core_test_factory_new (gname, gid, 1000);

      /* later factories finish first */
      core_test_factory_set_work_ms (f, (8 - i) * 15);
      setl_stage_add_factory (s0, SETL_FACTORY (f));
      core_test_factory_add_int_input (g, "in", id);
      setl_stage_add_factory (s1, SETL_FACTORY (g));
    }
  setl_pipeline_add_stage (p, s0);
  setl_pipeline_add_stage (p, s1);
  return p;
}

static void
on_finished_order (SetlPipeline      *p,
                   SetlFactory       *f,
                   SetlFactoryResult *r,
                   GPtrArray         *order)
{
  g_ptr_array_add (order, g_strdup (setl_factory_get_name (f)));
}

static void
test_deterministic_order (void)
{
  g_autoptr(SetlPipeline) par = build_wide (4);
  g_autoptr(SetlPipeline) seq = build_wide (1);
  g_autoptr(GPtrArray) order = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  GPtrArray *d_par, *d_seq;

  g_signal_connect (par, "factory-finished", G_CALLBACK (on_finished_order), order);
  g_assert_true (setl_pipeline_run (par, NULL, &error));
  g_assert_true (setl_pipeline_run (seq, NULL, &error));
  g_assert_no_error (error);

  /* finished out of order… */
  g_assert_cmpstr (g_ptr_array_index (order, 0), !=, "F0");
  /* …published in order, identical to a sequential run */
  d_par = setl_stage_get_deliverables (g_ptr_array_index (setl_pipeline_get_stages (par), 0));
  d_seq = setl_stage_get_deliverables (g_ptr_array_index (setl_pipeline_get_stages (seq), 0));
  g_assert_cmpuint (d_par->len, ==, 8);
  for (guint i = 0; i < 8; i++)
    {
      g_autofree char *name = g_strdup_printf ("G%u", i);

      g_assert_cmpint (g_value_get_int64 (setl_deliverable_get_payload (g_ptr_array_index (d_par, i))),
                       ==, (gint64) i * 3);
      g_assert_cmpint (g_value_get_int64 (setl_deliverable_get_payload (g_ptr_array_index (d_par, i))),
                       ==, g_value_get_int64 (setl_deliverable_get_payload (g_ptr_array_index (d_seq, i))));
      g_assert_cmpint (int_output (par, name), ==, 1000 + i * 3);
      g_assert_cmpint (int_output (par, name), ==, int_output (seq, name));
    }
  {
    g_autofree char *a = setl_run_report_to_json (setl_pipeline_get_report (par));
    GPtrArray *rp = setl_run_report_get_results (setl_pipeline_get_report (par));
    GPtrArray *rs = setl_run_report_get_results (setl_pipeline_get_report (seq));

    g_assert_cmpuint (rp->len, ==, rs->len);
    for (guint i = 0; i < rp->len; i++)
      g_assert_cmpstr (setl_factory_result_get_factory_name (g_ptr_array_index (rp, i)), ==,
                       setl_factory_result_get_factory_name (g_ptr_array_index (rs, i)));
  }
}

static void
test_fail_fast (void)
{
  g_autoptr(SetlPipeline) p = g_object_new (SETL_TYPE_PIPELINE, "name", "ff", "max-threads", 2, NULL);
  g_autoptr(SetlStage) s0 = setl_stage_new ();
  g_autoptr(CoreTestFactory) bad = core_test_factory_new ("Bad", "bad", 1);
  g_autoptr(CoreTestFactory) slow = core_test_factory_new ("Slow", "slow", 2);
  g_autoptr(CoreTestFactory) next = core_test_factory_new ("Next", "next", 3);
  g_autoptr(GError) error = NULL;
  SetlRunReport *report;

  core_test_factory_set_fail_phase (bad, SETL_FACTORY_PHASE_PROCESS);
  core_test_factory_set_work_ms (bad, 30);
  core_test_factory_set_work_ms (slow, 10000);
  setl_stage_add_factory (s0, SETL_FACTORY (bad));
  setl_stage_add_factory (s0, SETL_FACTORY (slow));
  setl_pipeline_add_stage (p, s0);
  setl_pipeline_add_factory (p, SETL_FACTORY (next));

  g_assert_false (setl_pipeline_run (p, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "“Bad”"));
  g_assert_nonnull (strstr (error->message, "in process"));

  report = setl_pipeline_get_report (p);
  g_assert_false (setl_run_report_get_succeeded (report));
  g_assert_cmpint (setl_factory_result_get_status (setl_run_report_find (report, "Bad")), ==, SETL_FACTORY_STATUS_FAILED);
  g_assert_cmpint (setl_factory_result_get_status (setl_run_report_find (report, "Slow")), ==, SETL_FACTORY_STATUS_CANCELLED);
  /* Independent of "Bad", "Next" was cancelled by the stop, not skipped:
   * skipped is for conditions (docs/conditions.md). */
  g_assert_cmpint (setl_factory_result_get_status (setl_run_report_find (report, "Next")), ==, SETL_FACTORY_STATUS_CANCELLED);
  g_assert_nonnull (strstr (setl_factory_result_get_reason (setl_run_report_find (report, "Next")), "“Bad” failed"));
  g_assert_cmpuint (core_test_factory_get_phases_run (next), ==, 0);
}

static void
test_continue_on_error (void)
{
  g_autoptr(SetlPipeline) p = g_object_new (SETL_TYPE_PIPELINE, "name", "coe",
                                            "continue-on-error", TRUE, NULL);
  g_autoptr(SetlStage) s0 = setl_stage_new ();
  g_autoptr(SetlStage) s1 = setl_stage_new ();
  g_autoptr(CoreTestFactory) bad = core_test_factory_new ("Bad", "bad", 1);
  g_autoptr(CoreTestFactory) good = core_test_factory_new ("Good", "good", 2);
  g_autoptr(CoreTestFactory) needs_bad = core_test_factory_new ("NeedsBad", "nb", 3);
  g_autoptr(CoreTestFactory) needs_good = core_test_factory_new ("NeedsGood", "ng", 4);
  g_autoptr(GError) error = NULL;
  SetlRunReport *report;
  SetlFactoryResult *r;

  core_test_factory_set_fail_phase (bad, SETL_FACTORY_PHASE_READ);
  core_test_factory_add_int_input (needs_bad, "in", "bad");
  core_test_factory_add_int_input (needs_good, "in", "good");
  setl_stage_add_factory (s0, SETL_FACTORY (bad));
  setl_stage_add_factory (s0, SETL_FACTORY (good));
  setl_stage_add_factory (s1, SETL_FACTORY (needs_bad));
  setl_stage_add_factory (s1, SETL_FACTORY (needs_good));
  setl_pipeline_add_stage (p, s0);
  setl_pipeline_add_stage (p, s1);

  g_assert_false (setl_pipeline_run (p, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
  report = setl_pipeline_get_report (p);
  r = setl_run_report_find (report, "NeedsBad");
  g_assert_cmpint (setl_factory_result_get_status (r), ==, SETL_FACTORY_STATUS_UPSTREAM_FAILED);
  g_assert_nonnull (strstr (setl_factory_result_get_reason (r), "“Bad”, which failed"));
  g_assert_cmpint (setl_factory_result_get_status (setl_run_report_find (report, "NeedsGood")), ==,
                   SETL_FACTORY_STATUS_SUCCEEDED);
  g_assert_cmpint (int_output (p, "NeedsGood"), ==, 6);
}

static void
test_writable (void)
{
  g_autoptr(SetlPipeline) p = setl_pipeline_new ("w");
  g_autoptr(CoreTestFactory) a = core_test_factory_new ("A", "a", 1);
  g_autoptr(CoreTestFactory) b = core_test_factory_new ("B", "b", 1);
  g_autoptr(CoreTestFactory) c = core_test_factory_new ("C", "c", 1);
  g_autoptr(GError) error = NULL;
  SetlStage *sb;
  guint write_bit = 1u << SETL_FACTORY_PHASE_WRITE;

  setl_pipeline_add_factory (p, SETL_FACTORY (a));
  sb = setl_pipeline_add_factory (p, SETL_FACTORY (b));
  setl_stage_set_writable (sb, FALSE);
  setl_factory_set_writable (SETL_FACTORY (c), FALSE);
  setl_pipeline_add_factory (p, SETL_FACTORY (c));
  /* a failing write is never reached when writing is off */
  core_test_factory_set_fail_phase (b, SETL_FACTORY_PHASE_WRITE);
  core_test_factory_set_fail_phase (c, SETL_FACTORY_PHASE_WRITE);

  g_assert_true (setl_pipeline_run (p, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (core_test_factory_get_phases_run (a) & write_bit);
  g_assert_false (core_test_factory_get_phases_run (b) & write_bit);
  g_assert_false (core_test_factory_get_phases_run (c) & write_bit);
  g_assert_true (setl_factory_result_get_wrote (setl_run_report_find (setl_pipeline_get_report (p), "A")));
  g_assert_false (setl_factory_result_get_wrote (setl_run_report_find (setl_pipeline_get_report (p), "B")));
}

typedef struct {
  guint started, finished, stages, progress;
  guint last_done, last_total;
  GThread *thread;
  gboolean wrong_thread;
} SignalLog;

static void
on_started (SetlPipeline *p, SetlFactory *f, const char *group, SignalLog *log)
{
  log->started++;
  g_assert_true (g_str_has_suffix (group, setl_factory_get_name (f)));
  if (g_thread_self () != log->thread)
    log->wrong_thread = TRUE;
}

static void
on_finished (SetlPipeline *p, SetlFactory *f, SetlFactoryResult *r, SignalLog *log)
{
  log->finished++;
  if (g_thread_self () != log->thread)
    log->wrong_thread = TRUE;
}

static void
on_stage (SetlPipeline *p, SetlStage *s, SignalLog *log)
{
  g_assert_cmpint (setl_stage_get_index (s), ==, (int) log->stages);
  log->stages++;
}

static void
on_progress (SetlPipeline *p, guint done, guint total, SignalLog *log)
{
  log->progress++;
  g_assert_cmpuint (done, ==, log->last_done + 1);
  log->last_done = done;
  log->last_total = total;
}

static void
connect_log (SetlPipeline *p, SignalLog *log)
{
  log->thread = g_thread_self ();
  g_signal_connect (p, "factory-started", G_CALLBACK (on_started), log);
  g_signal_connect (p, "factory-finished", G_CALLBACK (on_finished), log);
  g_signal_connect (p, "stage-finished", G_CALLBACK (on_stage), log);
  g_signal_connect (p, "progress", G_CALLBACK (on_progress), log);
}

static void
test_signals (void)
{
  g_autoptr(SetlPipeline) p = build_wide (2);
  g_autoptr(GError) error = NULL;
  SignalLog log = { 0 };

  connect_log (p, &log);
  g_assert_true (setl_pipeline_run (p, NULL, &error));
  g_assert_cmpuint (log.started, ==, 16);
  g_assert_cmpuint (log.finished, ==, 16);
  g_assert_cmpuint (log.stages, ==, 2);
  g_assert_cmpuint (log.progress, ==, 16);
  g_assert_cmpuint (log.last_done, ==, 16);
  g_assert_cmpuint (log.last_total, ==, 16);
  /* synchronous runs emit on the calling thread, even for parallel stages */
  g_assert_false (log.wrong_thread);
}

typedef struct {
  GMainLoop *loop;
  gboolean ok;
  GError *error;
} AsyncResult;

static void
on_done (GObject *source, GAsyncResult *result, gpointer data)
{
  AsyncResult *ar = data;

  ar->ok = setl_pipeline_run_finish (SETL_PIPELINE (source), result, &ar->error);
  g_main_loop_quit (ar->loop);
}

static void
test_async (void)
{
  g_autoptr(SetlPipeline) p = build_wide (2);
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GError) busy = NULL;
  SignalLog log = { 0 };
  AsyncResult ar = { loop, FALSE, NULL };

  connect_log (p, &log);
  setl_pipeline_run_async (p, NULL, on_done, &ar);
  /* a second run while the first is going is refused */
  g_assert_false (setl_pipeline_run (p, NULL, &busy));
  g_assert_error (busy, SETL_PIPELINE_ERROR, SETL_PIPELINE_ERROR_BUSY);
  g_main_loop_run (loop);

  g_assert_no_error (ar.error);
  g_assert_true (ar.ok);
  g_assert_cmpuint (log.finished, ==, 16);
  g_assert_cmpuint (log.stages, ==, 2);
  g_assert_cmpuint (log.last_done, ==, 16);
  /* signals arrive in the caller's main context, on its thread */
  g_assert_false (log.wrong_thread);
  g_assert_cmpint (int_output (p, "G7"), ==, 1021);
}

static void
cancel_on_start (SetlPipeline *p, SetlFactory *f, const char *group, GCancellable *c)
{
  g_cancellable_cancel (c);
}

static void
test_async_cancel (void)
{
  g_autoptr(SetlPipeline) p = setl_pipeline_new ("c");
  g_autoptr(CoreTestFactory) slow = core_test_factory_new ("Slow", "s", 1);
  g_autoptr(CoreTestFactory) after = core_test_factory_new ("After", "a", 1);
  g_autoptr(GCancellable) c = g_cancellable_new ();
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  AsyncResult ar = { loop, TRUE, NULL };
  SetlRunReport *report;

  core_test_factory_set_work_ms (slow, 10000);
  setl_pipeline_add_factory (p, SETL_FACTORY (slow));
  setl_pipeline_add_factory (p, SETL_FACTORY (after));
  g_signal_connect (p, "factory-started", G_CALLBACK (cancel_on_start), c);
  setl_pipeline_run_async (p, c, on_done, &ar);
  g_main_loop_run (loop);

  g_assert_false (ar.ok);
  g_assert_error (ar.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&ar.error);
  report = setl_pipeline_get_report (p);
  g_assert_cmpint (setl_factory_result_get_status (setl_run_report_find (report, "Slow")), ==, SETL_FACTORY_STATUS_CANCELLED);
  g_assert_cmpint (setl_factory_result_get_status (setl_run_report_find (report, "After")), ==, SETL_FACTORY_STATUS_CANCELLED);
  g_assert_cmpuint (core_test_factory_get_phases_run (after), ==, 0);
}

static void
test_report_json (void)
{
  g_autoptr(SetlPipeline) p = setl_pipeline_new ("json");
  g_autoptr(CoreTestFactory) a = core_test_factory_new ("A", "a", 1);
  g_autoptr(CoreTestFactory) b = core_test_factory_new ("B", "b", 1);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  g_autofree char *dir = NULL, *path = NULL, *saved = NULL;
  JsonObject *root, *fb, *timings, *err;
  JsonArray *factories;

  core_test_factory_set_fail_phase (b, SETL_FACTORY_PHASE_WRITE);
  setl_pipeline_add_factory (p, SETL_FACTORY (a));
  setl_pipeline_add_factory (p, SETL_FACTORY (b));
  g_assert_false (setl_pipeline_run (p, NULL, &error));
  g_clear_error (&error);

  json = setl_run_report_to_json (setl_pipeline_get_report (p));
  g_assert_true (json_parser_load_from_data (parser, json, -1, &error));
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (root, "pipeline"), ==, "json");
  g_assert_false (json_object_get_boolean_member (root, "succeeded"));
  factories = json_object_get_array_member (root, "factories");
  g_assert_cmpuint (json_array_get_length (factories), ==, 2);
  fb = json_array_get_object_element (factories, 1);
  g_assert_cmpstr (json_object_get_string_member (fb, "status"), ==, "failed");
  g_assert_cmpstr (json_object_get_string_member (fb, "job_group"), ==, "json/stage-1/B");
  timings = json_object_get_object_member (fb, "timings_us");
  g_assert_true (json_object_has_member (timings, "read"));
  g_assert_true (json_object_has_member (timings, "write"));
  err = json_object_get_object_member (fb, "error");
  g_assert_cmpstr (json_object_get_string_member (err, "domain"), ==, "g-io-error-quark");
  g_assert_cmpint (json_object_get_int_member (err, "code"), ==, G_IO_ERROR_FAILED);
  g_assert_nonnull (strstr (json_object_get_string_member (err, "message"), "in write"));
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (factories, 0), "status"),
                   ==, "succeeded");

  dir = g_dir_make_tmp ("setl-report-XXXXXX", &error);
  path = g_build_filename (dir, "report.json", NULL);
  g_assert_true (setl_run_report_save (setl_pipeline_get_report (p), path, &error));
  g_assert_true (g_file_get_contents (path, &saved, NULL, &error));
  g_assert_cmpstr (saved, ==, json);
  g_unlink (path);
  g_rmdir (dir);
}

static void
test_benchmark (void)
{
  g_autoptr(SetlPipeline) p = g_object_new (SETL_TYPE_PIPELINE, "benchmark", TRUE, NULL);
  g_autoptr(CoreTestFactory) a = core_test_factory_new ("A", "a", 1);
  g_autoptr(GPtrArray) b = NULL;
  g_autoptr(GError) error = NULL;

  core_test_factory_set_work_ms (a, 20);
  setl_pipeline_add_factory (p, SETL_FACTORY (a));
  g_assert_true (setl_pipeline_run (p, NULL, &error));
  b = setl_pipeline_get_benchmarks (p);
  g_assert_cmpuint (b->len, ==, 1);
  g_assert_cmpint (setl_factory_result_get_duration (g_ptr_array_index (b, 0), SETL_FACTORY_PHASE_PROCESS),
                   >=, 20 * 1000);
  g_clear_pointer (&b, g_ptr_array_unref);

  setl_pipeline_set_benchmark (p, FALSE);
  g_assert_true (setl_pipeline_run (p, NULL, &error));
  b = setl_pipeline_get_benchmarks (p);
  g_assert_cmpuint (b->len, ==, 0);
}

static void
test_stage_standalone (void)
{
  g_autoptr(SetlStage) s = setl_stage_new ();
  g_autoptr(CoreTestFactory) a = core_test_factory_new ("A", "a", 4);
  g_autoptr(CoreTestFactory) b = core_test_factory_new ("B", "b", 5);
  g_autoptr(GError) error = NULL;
  GPtrArray *d;

  setl_stage_set_benchmark (s, TRUE);
  setl_stage_add_factory (s, SETL_FACTORY (a));
  setl_stage_add_factory (s, SETL_FACTORY (b));
  g_assert_true (setl_stage_run (s, NULL, &error));
  d = setl_stage_get_deliverables (s);
  g_assert_cmpuint (d->len, ==, 2);
  g_assert_cmpint (g_value_get_int64 (setl_deliverable_get_payload (g_ptr_array_index (d, 1))), ==, 5);
  g_assert_cmpstr (setl_deliverable_get_delivery_id (g_ptr_array_index (d, 1)), ==, "b");
  g_assert_cmpuint (setl_stage_get_benchmarks (s)->len, ==, 2);
  g_assert_cmpstr (core_test_factory_get_group_in (a, SETL_FACTORY_PHASE_READ), ==, "stage/A");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/execution/chain", test_chain);
  g_test_add_func ("/core/execution/external-input", test_external_input);
  g_test_add_func ("/core/execution/parallel-rendezvous", test_parallel_rendezvous);
  g_test_add_func ("/core/execution/sequential-one-thread", test_sequential_when_one_thread);
  g_test_add_func ("/core/execution/deterministic-order", test_deterministic_order);
  g_test_add_func ("/core/execution/fail-fast", test_fail_fast);
  g_test_add_func ("/core/execution/continue-on-error", test_continue_on_error);
  g_test_add_func ("/core/execution/writable", test_writable);
  g_test_add_func ("/core/execution/signals", test_signals);
  g_test_add_func ("/core/execution/async", test_async);
  g_test_add_func ("/core/execution/async-cancel", test_async_cancel);
  g_test_add_func ("/core/execution/report-json", test_report_json);
  g_test_add_func ("/core/execution/benchmark", test_benchmark);
  g_test_add_func ("/core/execution/stage-standalone", test_stage_standalone);

  return g_test_run ();
}
