/* test-stage.c: PySetl tests/workflow/test_stage.py
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <glib/gstdio.h>

#include "workflow-test-factories.h"

WT_DEFINE_PAYLOAD (Persisted, persisted)

WT_DEFINE_FACTORY (IntFactory, int_factory, G_TYPE_INT64, wt_factory_set_output_int64 (self, 1);)

/* PersistanceFactory's output is ready from the start; its write phase
 * persists it (to a file here, to CSV in PySetl) and takes a while. */
WT_DEFINE_FACTORY (PersistanceFactory, persistance_factory, persisted_get_type (),
  {
    g_autoptr(GObject) rows = wt_payload_new (persisted_get_type (), "a,b", NULL, NULL);

    wt_factory_set_output_object (self, rows);
    self->write_sleep_us = 5000;
  })

/* test_stage_exceptions: the same factory twice in a stage. PySetl raises
 * AlreadyExistsException; libsetl treats it as a programmer error. */
static void
test_stage_duplicate_factory (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr(SetlFactory) factory = g_object_new (int_factory_get_type (), NULL);
      g_autoptr(SetlStage) stage = setl_stage_new ();

      setl_stage_add_factory (stage, factory);
      setl_stage_add_factory (stage, factory);
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();
  g_test_trap_assert_stderr ("*CRITICAL*setl_stage_add_factory: assertion*failed*");
}

/* …and the second add is refused. */
static void
test_stage_duplicate_factory_refused (void)
{
  g_autoptr(SetlFactory) factory = g_object_new (int_factory_get_type (), NULL);
  g_autoptr(SetlStage) stage = setl_stage_new ();
  g_autoptr(GError) error = NULL;

  setl_stage_add_factory (stage, factory);
  g_test_expect_message ("Setl", G_LOG_LEVEL_CRITICAL, "setl_stage_add_factory: assertion*");
  setl_stage_add_factory (stage, factory);
  g_test_assert_expected_messages ();
  g_assert_cmpuint (setl_stage_get_factories (stage)->len, ==, 1);

  g_assert_true (setl_stage_run (stage, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (WT_FACTORY (factory)->n_read, ==, 1);
  g_assert_cmpuint (setl_stage_get_deliverables (stage)->len, ==, 1);
}

/* test_no_spark_stage: a stage run on its own delivers; in a pipeline its
 * factory is node 0, final. */
static void
test_stage_run (void)
{
  g_autoptr(SetlFactory) factory = g_object_new (int_factory_get_type (), NULL);
  g_autoptr(SetlStage) stage = setl_stage_new ();
  g_autoptr(SetlPipeline) pipeline = setl_pipeline_new (NULL);
  g_autoptr(GError) error = NULL;
  SetlDeliverable *d;
  SetlNode *node;

  setl_stage_add_factory (stage, factory);
  g_assert_true (setl_stage_run (stage, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (setl_stage_get_deliverables (stage)->len, ==, 1);
  d = setl_stage_get_deliverables (stage)->pdata[0];
  g_assert_cmpint (g_value_get_int64 (setl_deliverable_get_payload (d)), ==, 1);
  g_assert_true (setl_deliverable_get_producer (d) == int_factory_get_type ());

  /* stage.create_nodes()[0] == Node.from_factory(factory, 0, True) */
  setl_pipeline_add_stage (pipeline, stage);
  g_assert_true (setl_pipeline_inspect (pipeline, &error));
  g_assert_no_error (error);
  node = wt_pipeline_node (pipeline, factory);
  g_assert_cmpint (setl_node_get_stage (node), ==, 0);
  g_assert_true (setl_node_is_final (node));
  g_assert_true (setl_node_get_factory (node) == factory);
  g_assert_true (setl_node_get_output_type (node) == G_TYPE_INT64);
}

/* test_stage: a benchmarked stage that does not write, then does. */
static void
test_stage_writable_benchmark (void)
{
  g_autoptr(SetlFactory) factory = g_object_new (persistance_factory_get_type (), NULL);
  g_autoptr(SetlStage) stage = setl_stage_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("setl-stage-XXXXXX", &error);
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;
  SetlFactoryResult *not_writing, *writing;
  g_autoptr(SetlFactoryResult) kept = NULL;
  GPtrArray *benchmarks;

  g_assert_no_error (error);
  path = g_build_filename (dir, "persisted.csv", NULL);
  WT_FACTORY (factory)->write_path = g_strdup (path);

  setl_stage_set_benchmark (stage, TRUE);
  setl_stage_set_writable (stage, FALSE);
  setl_stage_add_factory (stage, factory);

  g_assert_true (setl_stage_get_benchmark (stage));
  g_assert_false (setl_stage_get_writable (stage));
  /* stage_id: the index a pipeline gives it; none yet. */
  g_assert_cmpint (setl_stage_get_index (stage), ==, -1);
  g_assert_cmpuint (setl_stage_get_deliverables (stage)->len, ==, 0);
  /* str(stage): "PersistanceFactory -> DataSet[Persisted]" */
  text = setl_stage_describe (stage);
  g_assert_nonnull (strstr (text, "PersistanceFactory (PersistanceFactory) → Persisted"));
  g_assert_nonnull (strstr (text, "not writable"));

  g_assert_true (setl_stage_run (stage, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (WT_FACTORY (factory)->n_write, ==, 0);
  g_assert_true (setl_deliverable_get_payload_type (setl_stage_get_deliverables (stage)->pdata[0]) ==
                 persisted_get_type ());
  benchmarks = setl_stage_get_benchmarks (stage);
  g_assert_cmpuint (benchmarks->len, ==, 1);
  kept = g_object_ref (benchmarks->pdata[0]);
  not_writing = kept;
  g_assert_false (setl_factory_result_get_wrote (not_writing));

  setl_stage_set_writable (stage, TRUE);
  g_assert_true (setl_stage_run (stage, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpuint (WT_FACTORY (factory)->n_write, ==, 1);

  /* PySetl's benchmarks pile up across runs (2 here); libsetl's describe
   * the last run. */
  benchmarks = setl_stage_get_benchmarks (stage);
  g_assert_cmpuint (benchmarks->len, ==, 1);
  writing = benchmarks->pdata[0];
  g_assert_true (writing != not_writing);
  g_assert_true (setl_factory_result_get_wrote (writing));
  g_assert_cmpint (setl_factory_result_get_duration (not_writing, SETL_FACTORY_PHASE_WRITE), ==, 0);
  g_assert_cmpint (setl_factory_result_get_duration (writing, SETL_FACTORY_PHASE_WRITE), >=, 5000);
  g_assert_cmpint (setl_factory_result_get_total_duration (not_writing), <,
                   setl_factory_result_get_total_duration (writing));

  /* connector.drop() */
  g_assert_cmpint (g_unlink (path), ==, 0);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

/* should_write(): the stage and the factory must both be writable. */
static void
test_stage_factory_not_writable (void)
{
  g_autoptr(SetlFactory) factory = g_object_new (int_factory_get_type (), "writable", FALSE, NULL);
  g_autoptr(SetlStage) stage = setl_stage_new ();
  g_autoptr(GError) error = NULL;

  g_assert_true (setl_stage_get_writable (stage));
  setl_stage_add_factory (stage, factory);
  g_assert_true (setl_stage_run (stage, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (WT_FACTORY (factory)->n_process, ==, 1);
  g_assert_cmpuint (WT_FACTORY (factory)->n_write, ==, 0);
  /* Not benchmarked: no timings kept. */
  g_assert_cmpuint (setl_stage_get_benchmarks (stage)->len, ==, 0);
}

/* stage_id, start and end: a pipeline numbers its stages; the first starts
 * the DAG and only the last one's nodes are final. */
static void
test_stage_index (void)
{
  g_autoptr(SetlFactory) first = g_object_new (int_factory_get_type (), NULL);
  g_autoptr(SetlFactory) last = g_object_new (int_factory_get_type (), NULL);
  g_autoptr(SetlPipeline) pipeline = setl_pipeline_new (NULL);
  g_autoptr(GError) error = NULL;
  SetlStage *s0, *s1;

  s0 = setl_pipeline_add_factory (pipeline, first);
  s1 = setl_pipeline_add_factory (pipeline, last);
  g_assert_cmpint (setl_stage_get_index (s0), ==, 0);
  g_assert_cmpint (setl_stage_get_index (s1), ==, 1);
  g_assert_true (setl_pipeline_inspect (pipeline, &error));
  g_assert_no_error (error);
  g_assert_false (setl_node_is_final (wt_pipeline_node (pipeline, first)));
  g_assert_true (setl_node_is_final (wt_pipeline_node (pipeline, last)));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/workflow/stage/duplicate-factory", test_stage_duplicate_factory);
  g_test_add_func ("/workflow/stage/duplicate-factory-refused", test_stage_duplicate_factory_refused);
  g_test_add_func ("/workflow/stage/run", test_stage_run);
  g_test_add_func ("/workflow/stage/writable-benchmark", test_stage_writable_benchmark);
  g_test_add_func ("/workflow/stage/factory-not-writable", test_stage_factory_not_writable);
  g_test_add_func ("/workflow/stage/index", test_stage_index);

  return g_test_run ();
}
