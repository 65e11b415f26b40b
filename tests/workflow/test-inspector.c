/* test-inspector.c: PySetl tests/workflow/test_inspector.py, and the
 * inspection-time refusals where libsetl is stricter than PySetl.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "workflow-test-factories.h"

WT_DEFINE_PAYLOAD (Record, record)
WT_DEFINE_PAYLOAD (SpecialRecord, special_record)

/* "0" + str1 + str2 */
static gboolean
join_inputs (WtFactory  *self,
             GValue     *output,
             GError    **error)
{
  SetlFactory *f = SETL_FACTORY (self);

  g_value_take_string (output, g_strconcat ("0",
                                            g_value_get_string (setl_factory_get_input (f, "str1_delivery")),
                                            g_value_get_string (setl_factory_get_input (f, "str2_delivery")),
                                            NULL));
  return TRUE;
}

static gboolean
echo_string (WtFactory  *self,
             GValue     *output,
             GError    **error)
{
  g_value_copy (setl_factory_get_input (SETL_FACTORY (self), "string_delivery"), output);
  return TRUE;
}

/* Adds the two ints it receives. */
static gboolean
add_ints (WtFactory  *self,
          GValue     *output,
          GError    **error)
{
  SetlFactory *f = SETL_FACTORY (self);

  g_value_set_int64 (output, g_value_get_int64 (setl_factory_get_input (f, "a")) +
                             g_value_get_int64 (setl_factory_get_input (f, "b")));
  return TRUE;
}

/* Reports whether its optional slot was filled. */
static gboolean
report_optional (WtFactory  *self,
                 GValue     *output,
                 GError    **error)
{
  g_value_set_string (output, setl_factory_get_input (SETL_FACTORY (self), "maybe") ? "filled" : "empty");
  return TRUE;
}

WT_DEFINE_FACTORY_FULL (MultipleInputFactory, multiple_input_factory, G_TYPE_STRING, join_inputs,
  setl_factory_set_delivery_id (factory, "MultipleInputFactory");
  setl_factory_add_input (factory, "str1_delivery", G_TYPE_STRING, SETL_TYPE_EXTERNAL, "1");
  setl_factory_add_input (factory, "str2_delivery", G_TYPE_STRING, SETL_TYPE_EXTERNAL, "2");)
WT_DEFINE_FACTORY_FULL (LastFactory, last_factory, G_TYPE_STRING, echo_string,
  setl_factory_add_input (factory, "string_delivery", G_TYPE_STRING, SETL_TYPE_EXTERNAL,
                          "MultipleInputFactory");)
WT_DEFINE_FACTORY_FULL (WrongLastFactory, wrong_last_factory, G_TYPE_STRING, echo_string,
  setl_factory_add_input (factory, "string_delivery", G_TYPE_STRING, SETL_TYPE_EXTERNAL, NULL);)

WT_DEFINE_FACTORY (StringA, string_a, G_TYPE_STRING, wt_factory_set_output_string (self, "a");)
WT_DEFINE_FACTORY (StringB, string_b, G_TYPE_STRING, wt_factory_set_output_string (self, "b");)
WT_DEFINE_FACTORY (IntProducer, int_producer, G_TYPE_INT64, wt_factory_set_output_int64 (self, 21);)
WT_DEFINE_FACTORY_FULL (TwoIntsFactory, two_ints_factory, G_TYPE_INT64, add_ints,
  setl_factory_add_input (factory, "a", G_TYPE_INT64, SETL_TYPE_EXTERNAL, NULL);
  setl_factory_add_input (factory, "b", G_TYPE_INT64, SETL_TYPE_EXTERNAL, NULL);)
WT_DEFINE_FACTORY (NeedsStringA, needs_string_a, G_TYPE_INT64,
  setl_factory_add_input (factory, "from_a", G_TYPE_STRING, string_a_get_type (), NULL);)
WT_DEFINE_FACTORY (NeedsRecord, needs_record, G_TYPE_INT64,
  setl_factory_add_input (factory, "record", record_get_type (), SETL_TYPE_EXTERNAL, NULL);)
WT_DEFINE_FACTORY (SpecialProducer, special_producer, special_record_get_type ())
WT_DEFINE_FACTORY (CycleA, cycle_a, G_TYPE_INT64,
  setl_factory_add_input (factory, "from_b", G_TYPE_DOUBLE, SETL_TYPE_EXTERNAL, NULL);)
WT_DEFINE_FACTORY (CycleB, cycle_b, G_TYPE_DOUBLE,
  setl_factory_add_input (factory, "from_a", G_TYPE_INT64, SETL_TYPE_EXTERNAL, NULL);)
WT_DEFINE_FACTORY_FULL (OptionalFactory, optional_factory, G_TYPE_STRING, report_optional,
  setl_delivery_set_optional (setl_factory_add_input (factory, "maybe", G_TYPE_DOUBLE,
                                                      SETL_TYPE_EXTERNAL, NULL), TRUE);)

static void
set_input_and_unref (SetlPipeline    *pipeline,
                     SetlDeliverable *deliverable)
{
  setl_pipeline_set_input (pipeline, deliverable);
  g_object_unref (deliverable);
}

/* test_inpsector: two external strings told apart by delivery id, a
 * factory that takes both, and one that takes its output by its id. */
static void
test_inspector (void)
{
  g_autoptr(SetlPipeline) pipeline = setl_pipeline_new ("inspector");
  g_autoptr(SetlFactory) factory = g_object_new (multiple_input_factory_get_type (), NULL);
  g_autoptr(SetlFactory) last = g_object_new (last_factory_get_type (), NULL);
  g_autoptr(SetlFactory) wrong = g_object_new (wrong_last_factory_get_type (), NULL);
  g_autoptr(GPtrArray) producers = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *mermaid = NULL;
  g_autofree char *summary = NULL;
  g_autofree char *described = NULL;
  SetlInspector *inspector;
  GPtrArray *nodes;
  guint n_factory_nodes = 0;

  set_input_and_unref (pipeline, wt_deliverable_string ("string_1", G_TYPE_NONE, "1"));
  set_input_and_unref (pipeline, wt_deliverable_string ("string_2", G_TYPE_NONE, "2"));
  setl_pipeline_add_factory (pipeline, factory);
  setl_pipeline_add_factory (pipeline, last);

  inspector = setl_pipeline_get_inspector (pipeline);
  g_assert_true (setl_inspector_inspect (inspector, &error));
  g_assert_no_error (error);

  /* graph.find_deliveries(factory): two, both from External. */
  producers = setl_inspector_get_producers (inspector, factory);
  g_assert_cmpuint (producers->len, ==, 2);
  for (guint i = 0; i < producers->len; i++)
    {
      g_assert_true (setl_node_is_external (producers->pdata[i]));
      g_assert_true (setl_node_get_factory_type (producers->pdata[i]) == SETL_TYPE_EXTERNAL);
    }
  g_assert_cmpuint (wt_count_flows (pipeline, SETL_TYPE_EXTERNAL, factory), ==, 2);
  g_assert_cmpuint (wt_count_flows (pipeline, multiple_input_factory_get_type (), last), ==, 1);

  g_assert_null (setl_inspector_find_node (inspector, wrong));
  /* PySetl counts the factories' nodes (2); libsetl's node list also has
   * one node per external input. */
  nodes = setl_inspector_get_nodes (inspector);
  for (guint i = 0; i < nodes->len; i++)
    n_factory_nodes += !setl_node_is_external (nodes->pdata[i]);
  g_assert_cmpuint (n_factory_nodes, ==, 2);
  g_assert_cmpuint (nodes->len, ==, 4);
  g_assert_cmpuint (setl_inspector_get_flows (inspector)->len, ==, 3);

  /* "LastFactory<|--strMultipleinputfactory:Input" */
  mermaid = setl_inspector_to_mermaid (inspector);
  g_assert_nonnull (strstr (mermaid, "n0 -->|\"string_delivery (MultipleInputFactory)\"| n1"));

  summary = setl_inspector_describe (inspector);
  g_assert_true (g_str_has_prefix (summary, "========== Pipeline Summary =========="));
  described = setl_pipeline_describe (pipeline);
  g_assert_cmpstr (described, ==, summary);

  /* And it runs as inspected. */
  g_assert_true (setl_pipeline_run (pipeline, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (g_value_get_string (setl_pipeline_get_last_output (pipeline)), ==,
                   "0string_1string_2");
}

/* test_inspector_exceptions: the same factory in two stages ("Multiple
 * factories found"). */
static void
test_inspector_twice_added (void)
{
  g_autoptr(SetlPipeline) pipeline = setl_pipeline_new ("twice");
  g_autoptr(SetlFactory) factory = g_object_new (multiple_input_factory_get_type (), NULL);
  g_autoptr(GError) error = NULL;

  set_input_and_unref (pipeline, wt_deliverable_string ("string_1", G_TYPE_NONE, "1"));
  set_input_and_unref (pipeline, wt_deliverable_string ("string_2", G_TYPE_NONE, "2"));
  setl_pipeline_add_factory (pipeline, factory);
  setl_pipeline_add_factory (pipeline, factory);

  g_assert_false (setl_pipeline_run (pipeline, NULL, &error));
  g_assert_error (error, SETL_PIPELINE_ERROR, SETL_PIPELINE_ERROR_AMBIGUOUS_DELIVERY);
  g_assert_nonnull (strstr (error->message,
                            "“MultipleInputFactory” (MultipleInputFactory) is added to the pipeline twice"));
  g_assert_cmpuint (WT_FACTORY (factory)->n_read, ==, 0);
}

/* libsetl refuses at inspection time a slot that two outputs could fill;
 * PySetl's inspector lets it through and its dispatcher fails while the
 * pipeline runs. Nothing runs here. */
static void
test_inspector_ambiguous (void)
{
  g_autoptr(SetlPipeline) pipeline = setl_pipeline_new ("ambiguous");
  g_autoptr(SetlStage) first = setl_stage_new ();
  g_autoptr(SetlFactory) a = g_object_new (string_a_get_type (), NULL);
  g_autoptr(SetlFactory) b = g_object_new (string_b_get_type (), NULL);
  g_autoptr(SetlFactory) consumer = g_object_new (wrong_last_factory_get_type (), NULL);
  g_autoptr(GError) error = NULL;

  setl_stage_add_factory (first, a);
  setl_stage_add_factory (first, b);
  setl_pipeline_add_stage (pipeline, first);
  setl_pipeline_add_factory (pipeline, consumer);

  g_assert_false (setl_pipeline_run (pipeline, NULL, &error));
  g_assert_error (error, SETL_PIPELINE_ERROR, SETL_PIPELINE_ERROR_AMBIGUOUS_DELIVERY);
  g_assert_nonnull (strstr (error->message, "factory “WrongLastFactory” input “string_delivery”"));
  g_assert_nonnull (strstr (error->message, "factory “StringA” (stage 0), factory “StringB” (stage 0)"));
  g_assert_cmpuint (WT_FACTORY (a)->n_read, ==, 0);
  g_assert_cmpuint (WT_FACTORY (consumer)->n_read, ==, 0);
  g_clear_error (&error);

  /* Naming the producer in the slot resolves it. */
  {
    g_autoptr(SetlPipeline) fixed = setl_pipeline_new ("fixed");
    g_autoptr(SetlStage) stage = setl_stage_new ();
    g_autoptr(SetlFactory) a2 = g_object_new (string_a_get_type (), NULL);
    g_autoptr(SetlFactory) b2 = g_object_new (string_b_get_type (), NULL);
    g_autoptr(SetlFactory) needs_a = g_object_new (needs_string_a_get_type (), NULL);

    setl_stage_add_factory (stage, a2);
    setl_stage_add_factory (stage, b2);
    setl_pipeline_add_stage (fixed, stage);
    setl_pipeline_add_factory (fixed, needs_a);
    wt_factory_set_output_int64 (WT_FACTORY (needs_a), 1);
    g_assert_true (setl_pipeline_run (fixed, NULL, &error));
    g_assert_no_error (error);
  }
}

/* PySetl's Node.target_node() raises when one output could go into two
 * slots of the same type that name no producer; libsetl matches slot by
 * slot, so both slots receive that output. */
static void
test_inspector_same_type_slots (void)
{
  g_autoptr(SetlPipeline) pipeline = setl_pipeline_new ("same-type");
  g_autoptr(SetlFactory) producer = g_object_new (int_producer_get_type (), NULL);
  g_autoptr(SetlFactory) consumer = g_object_new (two_ints_factory_get_type (), NULL);
  g_autoptr(GPtrArray) producers = NULL;
  g_autoptr(GError) error = NULL;

  setl_pipeline_add_factory (pipeline, producer);
  setl_pipeline_add_factory (pipeline, consumer);
  g_assert_true (setl_pipeline_run (pipeline, NULL, &error));
  g_assert_no_error (error);

  producers = setl_inspector_get_producers (setl_pipeline_get_inspector (pipeline), consumer);
  g_assert_cmpuint (producers->len, ==, 2);
  g_assert_true (producers->pdata[0] == producers->pdata[1]);
  g_assert_cmpint (g_value_get_int64 (setl_pipeline_get_last_output (pipeline)), ==, 42);
}

/* A required slot with no producer in an earlier stage; when the producer
 * is in the same or a later stage, the error says so. */
static void
test_inspector_missing (void)
{
  g_autoptr(SetlPipeline) pipeline = setl_pipeline_new ("missing");
  g_autoptr(SetlPipeline) late = setl_pipeline_new ("late");
  g_autoptr(SetlPipeline) same = setl_pipeline_new ("same");
  g_autoptr(SetlStage) stage = setl_stage_new ();
  g_autoptr(SetlFactory) consumer = g_object_new (wrong_last_factory_get_type (), NULL);
  g_autoptr(SetlFactory) consumer2 = g_object_new (wrong_last_factory_get_type (), NULL);
  g_autoptr(SetlFactory) consumer3 = g_object_new (wrong_last_factory_get_type (), NULL);
  g_autoptr(SetlFactory) a = g_object_new (string_a_get_type (), NULL);
  g_autoptr(SetlFactory) a3 = g_object_new (string_a_get_type (), NULL);
  g_autoptr(GError) error = NULL;

  setl_pipeline_add_factory (pipeline, consumer);
  g_assert_false (setl_pipeline_inspect (pipeline, &error));
  g_assert_error (error, SETL_PIPELINE_ERROR, SETL_PIPELINE_ERROR_MISSING_DELIVERY);
  g_assert_nonnull (strstr (error->message, "factory “WrongLastFactory” input “string_delivery” (gchararray)"));
  g_assert_nonnull (strstr (error->message, "no factory of an earlier stage and no external input"));
  g_clear_error (&error);

  setl_pipeline_add_factory (late, consumer2);
  setl_pipeline_add_factory (late, a);
  g_assert_false (setl_pipeline_inspect (late, &error));
  g_assert_error (error, SETL_PIPELINE_ERROR, SETL_PIPELINE_ERROR_MISSING_DELIVERY);
  g_assert_nonnull (strstr (error->message, "produced by factory “StringA” (stage 1), which does not run before stage 0"));
  g_clear_error (&error);

  /* PySetl's stage rule (test_target_node_different_stage): a factory of
   * the same stage does not feed another. */
  setl_stage_add_factory (stage, a3);
  setl_stage_add_factory (stage, consumer3);
  setl_pipeline_add_stage (same, stage);
  g_assert_false (setl_pipeline_inspect (same, &error));
  g_assert_error (error, SETL_PIPELINE_ERROR, SETL_PIPELINE_ERROR_MISSING_DELIVERY);
  g_assert_nonnull (strstr (error->message, "does not run before stage 0"));
}

/* Factories that need each other. */
static void
test_inspector_cycle (void)
{
  g_autoptr(SetlPipeline) pipeline = setl_pipeline_new ("cycle");
  g_autoptr(SetlFactory) a = g_object_new (cycle_a_get_type (), NULL);
  g_autoptr(SetlFactory) b = g_object_new (cycle_b_get_type (), NULL);
  g_autoptr(GError) error = NULL;

  setl_pipeline_add_factory (pipeline, a);
  setl_pipeline_add_factory (pipeline, b);
  g_assert_false (setl_pipeline_run (pipeline, NULL, &error));
  g_assert_error (error, SETL_PIPELINE_ERROR, SETL_PIPELINE_ERROR_CYCLE);
  g_assert_nonnull (strstr (error->message, "“CycleA”.from_b ← “CycleB”.from_a ← “CycleA”"));
  g_assert_cmpuint (WT_FACTORY (a)->n_read, ==, 0);
}

/* A slot that names a producer takes neither an external input nor
 * another factory's output of its type. */
static void
test_inspector_named_producer (void)
{
  g_autoptr(SetlPipeline) pipeline = setl_pipeline_new ("named");
  g_autoptr(SetlFactory) b = g_object_new (string_b_get_type (), NULL);
  g_autoptr(SetlFactory) needs_a = g_object_new (needs_string_a_get_type (), NULL);
  g_autoptr(GError) error = NULL;

  set_input_and_unref (pipeline, wt_deliverable_string ("external", G_TYPE_NONE, NULL));
  setl_pipeline_add_factory (pipeline, b);
  setl_pipeline_add_factory (pipeline, needs_a);
  g_assert_false (setl_pipeline_inspect (pipeline, &error));
  g_assert_error (error, SETL_PIPELINE_ERROR, SETL_PIPELINE_ERROR_MISSING_DELIVERY);
  g_assert_nonnull (strstr (error->message, "input “from_a” (gchararray, from StringA)"));
}

/* Payload types match exactly: a subtype's output does not fill a slot of
 * its parent type. */
static void
test_inspector_exact_type (void)
{
  g_autoptr(SetlPipeline) pipeline = setl_pipeline_new ("exact");
  g_autoptr(SetlFactory) special = g_object_new (special_producer_get_type (), NULL);
  g_autoptr(SetlFactory) needs = g_object_new (needs_record_get_type (), NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (g_type_is_a (special_record_get_type (), WT_TYPE_PAYLOAD));
  setl_pipeline_add_factory (pipeline, special);
  setl_pipeline_add_factory (pipeline, needs);
  g_assert_false (setl_pipeline_inspect (pipeline, &error));
  g_assert_error (error, SETL_PIPELINE_ERROR, SETL_PIPELINE_ERROR_MISSING_DELIVERY);
  g_assert_nonnull (strstr (error->message, "input “record” (Record)"));
}

/* An optional slot nothing fills: the pipeline runs, the slot is empty. */
static void
test_inspector_optional (void)
{
  g_autoptr(SetlPipeline) pipeline = setl_pipeline_new ("optional");
  g_autoptr(SetlFactory) factory = g_object_new (optional_factory_get_type (), NULL);
  g_autoptr(GError) error = NULL;

  setl_pipeline_add_factory (pipeline, factory);
  g_assert_true (setl_pipeline_run (pipeline, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (setl_inspector_get_flows (setl_pipeline_get_inspector (pipeline))->len, ==, 0);
  g_assert_cmpstr (g_value_get_string (setl_pipeline_get_last_output (pipeline)), ==, "empty");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/workflow/inspector/inspect", test_inspector);
  g_test_add_func ("/workflow/inspector/twice-added", test_inspector_twice_added);
  g_test_add_func ("/workflow/inspector/ambiguous", test_inspector_ambiguous);
  g_test_add_func ("/workflow/inspector/same-type-slots", test_inspector_same_type_slots);
  g_test_add_func ("/workflow/inspector/missing", test_inspector_missing);
  g_test_add_func ("/workflow/inspector/cycle", test_inspector_cycle);
  g_test_add_func ("/workflow/inspector/named-producer", test_inspector_named_producer);
  g_test_add_func ("/workflow/inspector/exact-type", test_inspector_exact_type);
  g_test_add_func ("/workflow/inspector/optional", test_inspector_optional);

  return g_test_run ();
}
