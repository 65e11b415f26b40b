/* test-delivery.c: PySetl tests/workflow/test_delivery.py
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "workflow-test-factories.h"

WT_DEFINE_PAYLOAD (Citizen, citizen)
WT_DEFINE_FACTORY (CitizenFactory, citizen_factory, citizen_get_type ())
WT_DEFINE_FACTORY (ReaderFactory, reader_factory, G_TYPE_STRING,
                   setl_factory_add_input (factory, "citizen", citizen_get_type (),
                                           citizen_factory_get_type (), NULL);)

/* test_delivery: a slot from CitizenFactory of type Citizen, set by hand,
 * gives back the very payload it was set with. */
static void
test_delivery_set_get (void)
{
  g_autoptr(WtPayload) paul = wt_payload_new (citizen_get_type (), "Paul", NULL, NULL);
  g_autoptr(SetlDelivery) delivery = setl_delivery_new ("citizen", citizen_get_type (),
                                                        citizen_factory_get_type (), NULL);
  g_auto(GValue) v = G_VALUE_INIT;

  g_value_init (&v, citizen_get_type ());
  g_value_set_object (&v, paul);
  setl_delivery_set_value (delivery, &v);

  g_assert_true (setl_delivery_has_value (delivery));
  g_assert_true (g_value_get_object (setl_delivery_get_value (delivery)) == (gpointer) paul);
  g_assert_true (setl_delivery_get_payload_type (delivery) == citizen_get_type ());
  g_assert_true (setl_delivery_get_producer (delivery) == citizen_factory_get_type ());
  g_assert_true (setl_delivery_has_producer (delivery));
  g_assert_cmpstr (setl_delivery_get_name (delivery), ==, "citizen");
  g_assert_cmpstr (setl_delivery_get_delivery_id (delivery), ==, "");
  g_assert_false (setl_delivery_get_optional (delivery));
}

/* test_delivery_exceptions: reading a slot that was never filled. PySetl
 * raises "Delivery with no value"; in libsetl the slot says it is empty and
 * its value is NULL (a factory whose required slot stays empty never runs:
 * the inspector refuses the pipeline first). */
static void
test_delivery_no_value (void)
{
  g_autoptr(SetlDelivery) delivery = setl_delivery_new ("anything", G_TYPE_STRING,
                                                        SETL_TYPE_EXTERNAL, NULL);
  g_autoptr(SetlFactory) reader = g_object_new (reader_factory_get_type (), NULL);
  g_autoptr(WtPayload) paul = wt_payload_new (citizen_get_type (), "Paul", NULL, NULL);
  g_auto(GValue) v = G_VALUE_INIT;

  g_assert_false (setl_delivery_has_value (delivery));
  g_assert_null (setl_delivery_get_value (delivery));
  g_assert_false (setl_delivery_has_producer (delivery));

  g_assert_null (setl_factory_get_input (reader, "citizen"));
  g_assert_null (setl_factory_get_input_object (reader, "citizen"));
  g_assert_null (setl_factory_get_input (reader, "no such slot"));

  /* Filled, then emptied again: the payload is released. */
  g_value_init (&v, citizen_get_type ());
  g_value_set_object (&v, paul);
  setl_delivery_set_value (setl_factory_get_delivery (reader, "citizen"), &v);
  g_assert_true (setl_factory_get_input_object (reader, "citizen") == (gpointer) paul);
  setl_delivery_reset (setl_factory_get_delivery (reader, "citizen"));
  g_assert_null (setl_factory_get_input (reader, "citizen"));
}

/* A slot knows the factory type that declared it, as PySetl's Delivery
 * knows its consumer once the factory class is built. */
static void
test_delivery_consumer (void)
{
  g_autoptr(SetlFactory) reader = g_object_new (reader_factory_get_type (), NULL);
  g_autoptr(SetlDelivery) loose = setl_delivery_new ("loose", G_TYPE_INT64, G_TYPE_NONE, "id");
  SetlDelivery *slot = setl_factory_get_delivery (reader, "citizen");

  g_assert_nonnull (slot);
  g_assert_true (setl_delivery_get_consumer (slot) == reader_factory_get_type ());

  /* Not added to a factory yet; G_TYPE_NONE as a producer means any. */
  g_assert_true (setl_delivery_get_consumer (loose) == G_TYPE_NONE);
  g_assert_true (setl_delivery_get_producer (loose) == SETL_TYPE_EXTERNAL);
  g_assert_cmpstr (setl_delivery_get_delivery_id (loose), ==, "id");

  setl_factory_add_delivery (reader, loose);
  g_assert_true (setl_delivery_get_consumer (loose) == reader_factory_get_type ());
  g_assert_true (setl_factory_get_delivery (reader, "loose") == loose);
  g_assert_cmpuint (setl_factory_get_deliveries (reader)->len, ==, 2);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/workflow/delivery/set-get", test_delivery_set_get);
  g_test_add_func ("/workflow/delivery/no-value", test_delivery_no_value);
  g_test_add_func ("/workflow/delivery/consumer", test_delivery_consumer);

  return g_test_run ();
}
