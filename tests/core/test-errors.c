/* test-errors.c: bad factories and bad wiring give errors that name the
 * factory and the slot — never a crash.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "core-test-factory.h"

static void
assert_contains (const char *haystack,
                 const char *needle)
{
  if (strstr (haystack, needle) == NULL)
    g_error ("“%s” does not contain “%s”", haystack, needle);
}

static void
test_fail_each_phase (void)
{
  for (int phase = SETL_FACTORY_PHASE_READ; phase <= SETL_FACTORY_PHASE_GET; phase++)
    {
      g_autoptr(SetlPipeline) p = setl_pipeline_new ("p");
      g_autoptr(CoreTestFactory) f = core_test_factory_new ("Loader", NULL, 1);
      g_autoptr(GError) error = NULL;
      g_autofree char *where = g_strdup_printf ("in %s: deliberate failure in %s",
                                                setl_factory_phase_to_string (phase),
                                                setl_factory_phase_to_string (phase));
      SetlFactoryResult *r;

      core_test_factory_set_fail_phase (f, phase);
      setl_pipeline_add_factory (p, SETL_FACTORY (f));
      g_assert_false (setl_pipeline_run (p, NULL, &error));
      /* the factory's own domain and code survive; the message is prefixed */
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
      assert_contains (error->message, "Factory “Loader” (CoreTestFactory, job group p/stage-0/Loader) failed");
      assert_contains (error->message, where);
      r = setl_run_report_find (setl_pipeline_get_report (p), "Loader");
      g_assert_cmpint (setl_factory_result_get_status (r), ==, SETL_FACTORY_STATUS_FAILED);
      g_assert_error (setl_factory_result_get_error (r), G_IO_ERROR, G_IO_ERROR_FAILED);
    }
}

static void
run_expecting (SetlFactory *f,
               GQuark       domain,
               int          code,
               const char  *fragment)
{
  g_autoptr(SetlPipeline) p = setl_pipeline_new ("p");
  g_autoptr(GError) error = NULL;

  setl_pipeline_add_factory (p, f);
  g_assert_false (setl_pipeline_run (p, NULL, &error));
  g_assert_error (error, domain, code);
  assert_contains (error->message, fragment);
  g_assert_null (setl_pipeline_get_last_output (p));
}

static void
test_no_get (void)
{
  g_autoptr(SetlFactory) f = g_object_new (CORE_TYPE_SILENT_FACTORY, "name", "Mute", NULL);

  run_expecting (f, SETL_PIPELINE_ERROR, SETL_PIPELINE_ERROR_NO_OUTPUT,
                 "“Mute” (CoreSilentFactory) does not implement get()");
}

static void
test_unset_output (void)
{
  g_autoptr(CoreTestFactory) f = core_test_factory_new ("Empty", NULL, 1);

  core_test_factory_set_output_mode (f, CORE_OUTPUT_UNSET);
  run_expecting (SETL_FACTORY (f), SETL_PIPELINE_ERROR, SETL_PIPELINE_ERROR_NO_OUTPUT,
                 "“Empty” (CoreTestFactory) returned no output");
}

static void
test_wrong_type (void)
{
  g_autoptr(CoreTestFactory) f = core_test_factory_new ("Liar", NULL, 1);

  core_test_factory_set_output_mode (f, CORE_OUTPUT_WRONG_TYPE);
  run_expecting (SETL_FACTORY (f), SETL_PIPELINE_ERROR, SETL_PIPELINE_ERROR_INVALID_PAYLOAD,
                 "returned a payload of type gchararray, but declares gint64");
}

static void
test_widened (void)
{
  g_autoptr(SetlPipeline) p = setl_pipeline_new ("p");
  g_autoptr(CoreTestFactory) f = core_test_factory_new ("Narrow", NULL, -42);
  g_autoptr(GError) error = NULL;
  const GValue *v;

  core_test_factory_set_output_mode (f, CORE_OUTPUT_GINT);
  setl_pipeline_add_factory (p, SETL_FACTORY (f));
  g_assert_true (setl_pipeline_run (p, NULL, &error));
  g_assert_no_error (error);
  v = setl_pipeline_get_last_output (p);
  g_assert_true (G_VALUE_HOLDS_INT64 (v));
  g_assert_cmpint (g_value_get_int64 (v), ==, -42);
}

static void
test_fail_silently (void)
{
  g_autoptr(CoreTestFactory) f = core_test_factory_new ("Quiet", NULL, 1);

  core_test_factory_set_output_mode (f, CORE_OUTPUT_FAIL_SILENTLY);
  run_expecting (SETL_FACTORY (f), SETL_PIPELINE_ERROR, SETL_PIPELINE_ERROR_NO_OUTPUT,
                 "“Quiet” (CoreTestFactory) failed in get() without saying why");
}

static void
test_null_object (void)
{
  g_autoptr(CoreObjectFactory) f = core_object_factory_new (TRUE, FALSE);

  run_expecting (SETL_FACTORY (f), SETL_PIPELINE_ERROR, SETL_PIPELINE_ERROR_NO_OUTPUT,
                 "returned a NULL payload of type CorePayload");
}

static void
test_wrong_object (void)
{
  g_autoptr(CoreObjectFactory) f = core_object_factory_new (FALSE, TRUE);

  run_expecting (SETL_FACTORY (f), SETL_PIPELINE_ERROR, SETL_PIPELINE_ERROR_INVALID_PAYLOAD,
                 "returned a SetlStage, but declares CorePayload");
}

static void
test_object_ok (void)
{
  g_autoptr(SetlPipeline) p = setl_pipeline_new ("p");
  g_autoptr(CoreObjectFactory) f = core_object_factory_new (FALSE, FALSE);
  g_autoptr(GError) error = NULL;
  const GValue *v;

  setl_pipeline_add_factory (p, SETL_FACTORY (f));
  g_assert_true (setl_pipeline_run (p, NULL, &error));
  v = setl_pipeline_get_output (p, CORE_TYPE_OBJECT_FACTORY, &error);
  g_assert_true (CORE_IS_PAYLOAD (g_value_get_object (v)));
}

static void
test_missing (void)
{
  g_autoptr(SetlPipeline) p = setl_pipeline_new ("p");
  g_autoptr(CoreTestFactory) a = core_test_factory_new ("A", "a", 1);
  g_autoptr(CoreTestFactory) b = core_test_factory_new ("Consumer", "b", 1);
  g_autoptr(GError) error = NULL;

  core_test_factory_add_int_input (b, "wanted", "nobody-makes-this");
  setl_pipeline_add_factory (p, SETL_FACTORY (a));
  setl_pipeline_add_factory (p, SETL_FACTORY (b));
  g_assert_false (setl_pipeline_run (p, NULL, &error));
  g_assert_error (error, SETL_PIPELINE_ERROR, SETL_PIPELINE_ERROR_MISSING_DELIVERY);
  assert_contains (error->message, "factory “Consumer” input “wanted” (gint64, delivery id “nobody-makes-this”)");
  /* nothing ran: the inspector refused before */
  g_assert_cmpuint (core_test_factory_get_phases_run (a), ==, 0);
  g_assert_null (setl_pipeline_get_report (p));
}

static void
test_optional_missing (void)
{
  g_autoptr(SetlPipeline) p = setl_pipeline_new ("p");
  g_autoptr(CoreTestFactory) b = core_test_factory_new ("B", "b", 7);
  g_autoptr(GError) error = NULL;

  setl_delivery_set_optional (core_test_factory_add_int_input (b, "maybe", "x"), TRUE);
  setl_pipeline_add_factory (p, SETL_FACTORY (b));
  g_assert_true (setl_pipeline_run (p, NULL, &error));
  g_assert_cmpint (core_test_factory_get_result (b), ==, 7);
}

static void
test_late_producer (void)
{
  g_autoptr(SetlPipeline) p = setl_pipeline_new ("p");
  g_autoptr(CoreTestFactory) consumer = core_test_factory_new ("Early", "e", 1);
  g_autoptr(CoreTestFactory) producer = core_test_factory_new ("Late", "late", 1);
  g_autoptr(GError) error = NULL;

  core_test_factory_add_int_input (consumer, "in", "late");
  setl_pipeline_add_factory (p, SETL_FACTORY (consumer));
  setl_pipeline_add_factory (p, SETL_FACTORY (producer));
  g_assert_false (setl_pipeline_inspect (p, &error));
  g_assert_error (error, SETL_PIPELINE_ERROR, SETL_PIPELINE_ERROR_MISSING_DELIVERY);
  assert_contains (error->message, "factory “Early” input “in”");
  assert_contains (error->message, "produced by factory “Late” (stage 1), which does not run before stage 0");
}

static void
test_same_stage_producer (void)
{
  g_autoptr(SetlPipeline) p = setl_pipeline_new ("p");
  g_autoptr(SetlStage) s = setl_stage_new ();
  g_autoptr(CoreTestFactory) a = core_test_factory_new ("A", "a", 1);
  g_autoptr(CoreTestFactory) b = core_test_factory_new ("B", "b", 1);
  g_autoptr(GError) error = NULL;

  core_test_factory_add_int_input (b, "in", "a");
  setl_stage_add_factory (s, SETL_FACTORY (a));
  setl_stage_add_factory (s, SETL_FACTORY (b));
  setl_pipeline_add_stage (p, s);
  g_assert_false (setl_pipeline_inspect (p, &error));
  g_assert_error (error, SETL_PIPELINE_ERROR, SETL_PIPELINE_ERROR_MISSING_DELIVERY);
  assert_contains (error->message, "factory “B” input “in”");
  assert_contains (error->message, "factory “A” (stage 0)");
}

static void
test_cycle (void)
{
  g_autoptr(SetlPipeline) p = setl_pipeline_new ("p");
  g_autoptr(CoreTestFactory) a = core_test_factory_new ("A", "a", 1);
  g_autoptr(CoreTestFactory) b = core_test_factory_new ("B", "b", 1);
  g_autoptr(CoreTestFactory) c = core_test_factory_new ("C", "c", 1);
  g_autoptr(GError) error = NULL;
  g_autofree char *mermaid = NULL;

  /* A needs C, C needs B, B needs A */
  core_test_factory_add_int_input (a, "from_c", "c");
  core_test_factory_add_int_input (c, "from_b", "b");
  core_test_factory_add_int_input (b, "from_a", "a");
  setl_pipeline_add_factory (p, SETL_FACTORY (a));
  setl_pipeline_add_factory (p, SETL_FACTORY (b));
  setl_pipeline_add_factory (p, SETL_FACTORY (c));
  g_assert_false (setl_pipeline_run (p, NULL, &error));
  g_assert_error (error, SETL_PIPELINE_ERROR, SETL_PIPELINE_ERROR_CYCLE);
  assert_contains (error->message, "factory “A” input “from_c”");
  assert_contains (error->message, "“A”.from_c ← “C”.from_b ← “B”.from_a ← “A”");

  /* a broken pipeline can still be drawn */
  mermaid = setl_pipeline_to_mermaid (p);
  assert_contains (mermaid, "flowchart LR");
}

static void
test_ambiguous (void)
{
  g_autoptr(SetlPipeline) p = setl_pipeline_new ("p");
  g_autoptr(SetlStage) s = setl_stage_new ();
  g_autoptr(CoreTestFactory) a1 = core_test_factory_new ("A1", NULL, 1);
  g_autoptr(CoreTestFactory) a2 = core_test_factory_new ("A2", NULL, 2);
  g_autoptr(CoreTestFactory) c = core_test_factory_new ("C", "c", 1);
  g_autoptr(GError) error = NULL;

  core_test_factory_add_int_input (c, "in", NULL);
  setl_stage_add_factory (s, SETL_FACTORY (a1));
  setl_stage_add_factory (s, SETL_FACTORY (a2));
  setl_pipeline_add_stage (p, s);
  setl_pipeline_add_factory (p, SETL_FACTORY (c));
  g_assert_false (setl_pipeline_run (p, NULL, &error));
  g_assert_error (error, SETL_PIPELINE_ERROR, SETL_PIPELINE_ERROR_AMBIGUOUS_DELIVERY);
  assert_contains (error->message, "factory “C” input “in” (gint64)");
  assert_contains (error->message, "factory “A1” (stage 0), factory “A2” (stage 0)");

  /* reserving one output for C resolves it */
  setl_factory_add_consumer (SETL_FACTORY (a2), CORE_TYPE_TEST_FACTORY);
  g_clear_error (&error);
  g_assert_true (setl_pipeline_run (p, NULL, &error));
  g_assert_cmpint (core_test_factory_get_result (c), ==, 3);
}

static void
test_consumer_mismatch (void)
{
  g_autoptr(SetlPipeline) p = setl_pipeline_new ("p");
  g_autoptr(CoreTestFactory) a = core_test_factory_new ("A", "a", 1);
  g_autoptr(CoreTestFactory) c = core_test_factory_new ("C", "c", 1);
  g_autoptr(GError) error = NULL;

  setl_factory_add_consumer (SETL_FACTORY (a), CORE_TYPE_OBJECT_FACTORY);
  core_test_factory_add_int_input (c, "in", "a");
  setl_pipeline_add_factory (p, SETL_FACTORY (a));
  setl_pipeline_add_factory (p, SETL_FACTORY (c));
  g_assert_false (setl_pipeline_inspect (p, &error));
  g_assert_error (error, SETL_PIPELINE_ERROR, SETL_PIPELINE_ERROR_CONSUMER_MISMATCH);
  assert_contains (error->message, "factory “C” input “in”");
  assert_contains (error->message, "reserved for other consumers than CoreTestFactory");
}

static void
test_twice_added (void)
{
  g_autoptr(SetlPipeline) p = setl_pipeline_new ("p");
  g_autoptr(CoreTestFactory) a = core_test_factory_new ("A", "a", 1);
  g_autoptr(GError) error = NULL;

  setl_pipeline_add_factory (p, SETL_FACTORY (a));
  setl_pipeline_add_factory (p, SETL_FACTORY (a));
  g_assert_false (setl_pipeline_inspect (p, &error));
  assert_contains (error->message, "“A” (CoreTestFactory) is added to the pipeline twice");
}

static void
test_unknown_output (void)
{
  g_autoptr(SetlPipeline) p = setl_pipeline_new ("p");
  g_autoptr(CoreTestFactory) a = core_test_factory_new ("A", "a", 1);
  g_autoptr(GError) error = NULL;

  setl_pipeline_add_factory (p, SETL_FACTORY (a));
  g_assert_null (setl_pipeline_get_output_by_name (p, "A", &error));
  g_assert_error (error, SETL_PIPELINE_ERROR, SETL_PIPELINE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_null (setl_pipeline_get_output_by_name (p, "Nope", &error));
  assert_contains (error->message, "no factory called “Nope”");
  g_clear_error (&error);
  g_assert_null (setl_pipeline_get_output (p, CORE_TYPE_OBJECT_FACTORY, &error));
  assert_contains (error->message, "no factory of type CoreObjectFactory");
}

static void
test_diagrams (void)
{
  g_autoptr(SetlPipeline) p = setl_pipeline_new ("p");
  g_autoptr(CoreTestFactory) a = core_test_factory_new ("Read \"quoted\"", "a", 1);
  g_autoptr(CoreTestFactory) b = core_test_factory_new ("B", "b", 1);
  g_autoptr(SetlDeliverable) ext = NULL;
  g_auto(GValue) v = G_VALUE_INIT;
  g_autofree char *mermaid = NULL, *dot = NULL, *text = NULL;

  g_value_init (&v, G_TYPE_INT64);
  ext = setl_deliverable_new (&v, SETL_TYPE_EXTERNAL, "seed");
  setl_pipeline_set_input (p, ext);
  core_test_factory_add_int_input (a, "seed", "seed");
  core_test_factory_add_int_input (b, "from_a", "a");
  setl_pipeline_add_factory (p, SETL_FACTORY (a));
  setl_pipeline_add_factory (p, SETL_FACTORY (b));

  mermaid = setl_pipeline_to_mermaid (p);
  assert_contains (mermaid, "subgraph stage0[\"Stage 0\"]");
  assert_contains (mermaid, "n0[\"Read #quot;quoted#quot;<br/>CoreTestFactory → gint64\"]");
  assert_contains (mermaid, "n0 -->|\"from_a (a)\"| n1");
  assert_contains (mermaid, "n2 -->|\"seed (seed)\"| n0");
  dot = setl_pipeline_to_dot (p);
  assert_contains (dot, "digraph pipeline {");
  assert_contains (dot, "n0 [label=\"Read \\\"quoted\\\"\\nCoreTestFactory → gint64\"];");
  assert_contains (dot, "n2 [label=\"external gint64 “seed”\\ngint64\", style=dashed];");
  assert_contains (dot, "n0 -> n1 [label=\"from_a (a)\"];");
  text = setl_pipeline_describe (p);
  assert_contains (text, "========== Pipeline Summary ==========");
  assert_contains (text, "Input “from_a”: gint64 (delivery id: a)");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/errors/fail-each-phase", test_fail_each_phase);
  g_test_add_func ("/core/errors/no-get", test_no_get);
  g_test_add_func ("/core/errors/unset-output", test_unset_output);
  g_test_add_func ("/core/errors/wrong-type", test_wrong_type);
  g_test_add_func ("/core/errors/widened", test_widened);
  g_test_add_func ("/core/errors/fail-silently", test_fail_silently);
  g_test_add_func ("/core/errors/null-object", test_null_object);
  g_test_add_func ("/core/errors/wrong-object", test_wrong_object);
  g_test_add_func ("/core/errors/object-ok", test_object_ok);
  g_test_add_func ("/core/errors/missing", test_missing);
  g_test_add_func ("/core/errors/optional-missing", test_optional_missing);
  g_test_add_func ("/core/errors/late-producer", test_late_producer);
  g_test_add_func ("/core/errors/same-stage-producer", test_same_stage_producer);
  g_test_add_func ("/core/errors/cycle", test_cycle);
  g_test_add_func ("/core/errors/ambiguous", test_ambiguous);
  g_test_add_func ("/core/errors/consumer-mismatch", test_consumer_mismatch);
  g_test_add_func ("/core/errors/twice-added", test_twice_added);
  g_test_add_func ("/core/errors/unknown-output", test_unknown_output);
  g_test_add_func ("/core/errors/diagrams", test_diagrams);

  return g_test_run ();
}
