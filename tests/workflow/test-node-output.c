/* test-node-output.c: PySetl tests/workflow/test_node_output.py
 *
 * PySetl keeps a node's output in a NodeOutput (delivery type, consumers,
 * delivery id, final, external). libsetl folds those into SetlNode; this
 * checks them there.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "workflow-test-factories.h"

WT_DEFINE_PAYLOAD (CitizenDataclass, citizen_dataclass)
WT_DEFINE_FACTORY (CitizenFactory, citizen_factory, citizen_dataclass_get_type ())
WT_DEFINE_FACTORY (ReaderFactory, reader_factory, G_TYPE_STRING)

/* test_node_output: output_base — an external int with delivery id "base". */
static void
test_node_output_external (void)
{
  g_autoptr(SetlDeliverable) d = wt_deliverable_int64 (1, G_TYPE_NONE, "base");
  g_autoptr(SetlNode) node = setl_node_new_external (d);
  guint n;

  g_assert_true (setl_node_get_output_type (node) == G_TYPE_INT64);
  g_assert_cmpstr (setl_node_get_delivery_id (node), ==, "base");
  g_assert_false (setl_node_is_final (node));
  g_assert_true (setl_node_is_external (node));
  setl_node_get_consumers (node, &n);
  g_assert_cmpuint (n, ==, 0);
  /* diagram_id "intBaseExternal": the name says the same. */
  g_assert_cmpstr (setl_node_get_name (node), ==, "external gint64 “base”");
}

/* test_node_output: output_dataclass — a final output with an id. */
static void
test_node_output_final (void)
{
  g_autoptr(SetlFactory) factory = g_object_new (citizen_factory_get_type (),
                                                 "delivery-id", "schema", NULL);
  g_autoptr(SetlNode) final = setl_node_new_from_factory (factory, 2, TRUE);
  g_autoptr(SetlNode) middle = setl_node_new_from_factory (factory, 2, FALSE);
  guint n;

  g_assert_true (setl_node_is_final (final));
  g_assert_false (setl_node_is_final (middle));
  g_assert_false (setl_node_is_external (final));
  g_assert_true (setl_node_get_output_type (final) == citizen_dataclass_get_type ());
  g_assert_cmpstr (setl_node_get_delivery_id (final), ==, "schema");
  setl_node_get_consumers (final, &n);
  g_assert_cmpuint (n, ==, 0);
}

/* NodeOutput(consumer=…): an external input or a factory reserved for a
 * consumer carries the reservation into its node. */
static void
test_node_output_consumers (void)
{
  g_autoptr(SetlDeliverable) d = wt_deliverable_string ("x", G_TYPE_NONE, NULL);
  g_autoptr(SetlFactory) factory = g_object_new (citizen_factory_get_type (), NULL);
  g_autoptr(SetlNode) external = NULL;
  g_autoptr(SetlNode) node = NULL;
  const GType *consumers;
  guint n;

  setl_deliverable_add_consumer (d, reader_factory_get_type ());
  setl_factory_add_consumer (factory, reader_factory_get_type ());
  external = setl_node_new_external (d);
  node = setl_node_new_from_factory (factory, 0, FALSE);

  consumers = setl_node_get_consumers (external, &n);
  g_assert_cmpuint (n, ==, 1);
  g_assert_true (consumers[0] == reader_factory_get_type ());
  consumers = setl_node_get_consumers (node, &n);
  g_assert_cmpuint (n, ==, 1);
  g_assert_true (consumers[0] == reader_factory_get_type ());
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/workflow/node-output/external", test_node_output_external);
  g_test_add_func ("/workflow/node-output/final", test_node_output_final);
  g_test_add_func ("/workflow/node-output/consumers", test_node_output_consumers);

  return g_test_run ();
}
