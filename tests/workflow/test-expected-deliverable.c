/* test-expected-deliverable.c: PySetl tests/workflow/test_expected_deliverable.py
 *
 * PySetl's ExpectedDeliverable (a deliverable type, delivery id, producer
 * and consumer, without a payload) is a deliverable made with
 * setl_deliverable_new_expected() in libsetl.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "workflow-test-factories.h"

WT_DEFINE_PAYLOAD (CitizenModel, citizen_model)
WT_DEFINE_FACTORY (ProducerFactory, producer_factory, citizen_model_get_type ())
WT_DEFINE_FACTORY (ConsumerFactory, consumer_factory, G_TYPE_STRING)

/* test_expected_deliverable */
static void
test_expected_deliverable (void)
{
  g_autoptr(SetlDeliverable) expected =
    setl_deliverable_new_expected (citizen_model_get_type (), producer_factory_get_type (),
                                   "A citizen");

  setl_deliverable_add_consumer (expected, consumer_factory_get_type ());

  g_assert_nonnull (expected);
  g_assert_null (setl_deliverable_get_payload (expected));
  g_assert_true (setl_deliverable_get_payload_type (expected) == citizen_model_get_type ());
  g_assert_cmpstr (g_type_name (setl_deliverable_get_payload_type (expected)), ==, "CitizenModel");
  g_assert_cmpstr (setl_deliverable_get_delivery_id (expected), ==, "A citizen");
  g_assert_true (setl_deliverable_get_producer (expected) == producer_factory_get_type ());
  g_assert_true (setl_deliverable_has_consumer (expected, consumer_factory_get_type ()));
  g_assert_false (setl_deliverable_is_external (expected));
}

/* A deliverable that carries no payload cannot be a pipeline's external
 * input: there would be nothing to deliver. */
static void
test_expected_deliverable_not_an_input (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr(SetlPipeline) pipeline = setl_pipeline_new (NULL);
      g_autoptr(SetlDeliverable) expected =
        setl_deliverable_new_expected (G_TYPE_STRING, G_TYPE_NONE, NULL);

      setl_pipeline_set_input (pipeline, expected);
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();
  g_test_trap_assert_stderr ("*setl_pipeline_set_input*payload*");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/workflow/expected-deliverable/fields", test_expected_deliverable);
  g_test_add_func ("/workflow/expected-deliverable/not-an-input",
                   test_expected_deliverable_not_an_input);

  return g_test_run ();
}
