/* test-deliverable.c: PySetl tests/workflow/test_deliverable.py
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "workflow-test-factories.h"

WT_DEFINE_PAYLOAD (Citizen, citizen)
WT_DEFINE_FACTORY (ProducerFactory, producer_factory, citizen_get_type ())
WT_DEFINE_FACTORY (ConsumerFactory, consumer_factory, citizen_get_type ())

/* PySetl's Deliverable.same_deliverable(): same payload type, same producer,
 * and a common consumer unless neither names any. libsetl has no such method
 * (the dispatcher compares slots with deliverables, never deliverables with
 * each other); the getters it is made of are what this checks. */
static gboolean
same_deliverable (SetlDeliverable *a,
                  SetlDeliverable *b)
{
  const GType *consumers;
  guint n_a, n_b;
  gboolean common = FALSE;

  setl_deliverable_get_consumers (b, &n_b);
  consumers = setl_deliverable_get_consumers (a, &n_a);
  for (guint i = 0; i < n_a; i++)
    common |= setl_deliverable_has_consumer (b, consumers[i]);

  return setl_deliverable_get_payload_type (a) == setl_deliverable_get_payload_type (b) &&
         setl_deliverable_get_producer (a) == setl_deliverable_get_producer (b) &&
         (common || (n_a == 0 && n_b == 0));
}

static SetlDeliverable *
citizen_deliverable (const char *name,
                     gint64      age)
{
  g_autoptr(WtPayload) citizen = wt_payload_new (citizen_get_type (), name, NULL, NULL);
  SetlDeliverable *d;

  citizen->n = age;
  d = wt_deliverable_object (citizen, producer_factory_get_type (), NULL);
  setl_deliverable_add_consumer (d, consumer_factory_get_type ());
  return d;
}

/* test_deliverable: payload type, delivery id, and the payload type by
 * name and by type. */
static void
test_deliverable_basics (void)
{
  g_autoptr(SetlDeliverable) paul = citizen_deliverable ("Paul", 31);
  g_autoptr(SetlDeliverable) str = wt_deliverable_string ("string", G_TYPE_NONE, "a simple string");
  WtPayload *payload;

  g_assert_true (setl_deliverable_get_payload_type (paul) == citizen_get_type ());
  g_assert_cmpstr (g_type_name (setl_deliverable_get_payload_type (paul)), ==, "Citizen");
  g_assert_true (setl_deliverable_get_producer (paul) == producer_factory_get_type ());
  g_assert_false (setl_deliverable_is_external (paul));
  g_assert_true (setl_deliverable_has_consumer (paul, consumer_factory_get_type ()));
  g_assert_false (setl_deliverable_has_consumer (paul, producer_factory_get_type ()));
  g_assert_cmpstr (setl_deliverable_get_delivery_id (paul), ==, "");

  payload = g_value_get_object (setl_deliverable_get_payload (paul));
  g_assert_cmpstr (payload->x, ==, "Paul");
  g_assert_cmpint (payload->n, ==, 31);

  g_assert_true (setl_deliverable_get_payload_type (str) == G_TYPE_STRING);
  g_assert_cmpstr (setl_deliverable_get_delivery_id (str), ==, "a simple string");
  g_assert_cmpstr (g_value_get_string (setl_deliverable_get_payload (str)), ==, "string");
  /* No producer given: it came from outside the pipeline. */
  g_assert_true (setl_deliverable_get_producer (str) == SETL_TYPE_EXTERNAL);
  g_assert_true (setl_deliverable_is_external (str));
}

/* test_deliverable: same_deliverable() and has_same_payload_type(). */
static void
test_deliverable_same (void)
{
  g_autoptr(SetlDeliverable) paul = citizen_deliverable ("Paul", 31);
  g_autoptr(SetlDeliverable) gerardo = citizen_deliverable ("Gerardo", 28);
  g_autoptr(SetlDeliverable) str = wt_deliverable_string ("string", G_TYPE_NONE, "a simple string");

  g_assert_true (same_deliverable (paul, gerardo));
  g_assert_false (same_deliverable (paul, str));
  g_assert_true (setl_deliverable_get_payload_type (paul) ==
                 setl_deliverable_get_payload_type (gerardo));
  g_assert_false (setl_deliverable_get_payload_type (paul) ==
                  setl_deliverable_get_payload_type (str));
}

/* set_consumers() takes a set: the same consumer twice is one consumer. */
static void
test_deliverable_consumers (void)
{
  g_autoptr(SetlDeliverable) d = wt_deliverable_int64 (1, G_TYPE_NONE, NULL);
  const GType *consumers;
  guint n;

  setl_deliverable_get_consumers (d, &n);
  g_assert_cmpuint (n, ==, 0);

  setl_deliverable_add_consumer (d, consumer_factory_get_type ());
  setl_deliverable_add_consumer (d, producer_factory_get_type ());
  setl_deliverable_add_consumer (d, consumer_factory_get_type ());
  consumers = setl_deliverable_get_consumers (d, &n);
  g_assert_cmpuint (n, ==, 2);
  g_assert_true (consumers[0] == consumer_factory_get_type ());
  g_assert_true (consumers[1] == producer_factory_get_type ());
}

/* The payload is the producer's object, shared by reference — as in
 * Python, where a deliverable holds the object itself. */
static void
test_deliverable_payload_shared (void)
{
  g_autoptr(WtPayload) citizen = wt_payload_new (citizen_get_type (), "Paul", NULL, NULL);
  g_autoptr(SetlDeliverable) d = wt_deliverable_object (citizen, G_TYPE_NONE, NULL);
  GObject *weak = G_OBJECT (citizen);

  g_assert_true (g_value_get_object (setl_deliverable_get_payload (d)) == (gpointer) citizen);

  /* The deliverable keeps its payload alive. */
  g_object_add_weak_pointer (weak, (gpointer *) &weak);
  g_clear_object (&citizen);
  g_assert_nonnull (weak);
  g_clear_object (&d);
  g_assert_null (weak);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/workflow/deliverable/basics", test_deliverable_basics);
  g_test_add_func ("/workflow/deliverable/same-deliverable", test_deliverable_same);
  g_test_add_func ("/workflow/deliverable/consumers", test_deliverable_consumers);
  g_test_add_func ("/workflow/deliverable/payload-shared", test_deliverable_payload_shared);

  return g_test_run ();
}
