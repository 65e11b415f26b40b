/* test-node.c: PySetl tests/workflow/test_node.py
 *
 * PySetl builds Node objects by hand (factory class, uuid, stage, expected
 * deliveries, output). A SetlNode is made from a factory, so each node here
 * comes from a factory configured the same way: its type, its input slots,
 * its output type, delivery id and consumers.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "workflow-test-factories.h"

WT_DEFINE_PAYLOAD (DataSetComplexProduct, data_set_complex_product)
WT_DEFINE_PAYLOAD (Producer1Payload, producer1_payload)

WT_DEFINE_FACTORY (Producer1, producer1, G_TYPE_INT64)
WT_DEFINE_FACTORY (Producer2, producer2, G_TYPE_NONE)
WT_DEFINE_FACTORY (Producer23, producer23, G_TYPE_NONE)
WT_DEFINE_FACTORY (ProducerContainer1, producer_container1, G_TYPE_NONE)
WT_DEFINE_FACTORY (ProducerContainer2, producer_container2, G_TYPE_NONE)
WT_DEFINE_FACTORY (ProducerContainer23, producer_container23, G_TYPE_NONE)

WT_DEFINE_FACTORY (ConcreteProducer, concrete_producer, data_set_complex_product_get_type (),
  setl_factory_add_input (factory, "input1", G_TYPE_STRING, SETL_TYPE_EXTERNAL, "input1");
  setl_factory_add_input (factory, "input2", G_TYPE_ARRAY, SETL_TYPE_EXTERNAL, "input2");)

/* One slot of a hand-made node: payload type, producer, delivery id. */
typedef struct
{
  GType type;
  GType producer;
  const char *id;
} Slot;

#define END_SLOTS { G_TYPE_INVALID, G_TYPE_INVALID, NULL }

/* Node(factory_class, uuid, stage, expected_deliveries,
 *      NodeOutput(delivery_type, consumer, delivery_id)) */
static SetlNode *
make_node (GType       factory_type,
           int         stage,
           const Slot *slots,
           GType       output_type,
           GType       consumer,
           const char *delivery_id)
{
  g_autoptr(SetlFactory) factory = g_object_new (factory_type, NULL);

  for (guint i = 0; slots[i].type != G_TYPE_INVALID; i++)
    {
      g_autofree char *name = g_strdup_printf ("slot%u", i);

      setl_factory_add_input (factory, name, slots[i].type, slots[i].producer, slots[i].id);
    }
  wt_factory_set_output_type (WT_FACTORY (factory), output_type);
  if (consumer != G_TYPE_INVALID)
    setl_factory_add_consumer (factory, consumer);
  setl_factory_set_delivery_id (factory, delivery_id);
  return setl_node_new_from_factory (factory, stage, FALSE);
}

/* PySetl's Node.target_node(): does @from's output go into some slot of
 * @to? In libsetl the stage rule (@from must run in an earlier stage) is the
 * inspector's, setl_node_can_deliver_to() checks everything else. */
static gboolean
target_node (SetlNode *from,
             SetlNode *to)
{
  GPtrArray *slots = setl_node_get_inputs (to);

  if (setl_node_get_stage (from) >= setl_node_get_stage (to))
    return FALSE;
  for (guint i = 0; i < slots->len; i++)
    if (setl_node_can_deliver_to (from, to, slots->pdata[i]))
      return TRUE;
  return FALSE;
}

static gboolean
all_external (SetlNode *node)
{
  GPtrArray *slots = setl_node_get_inputs (node);

  for (guint i = 0; i < slots->len; i++)
    if (setl_delivery_get_producer (slots->pdata[i]) != SETL_TYPE_EXTERNAL)
      return FALSE;
  return TRUE;
}

/* Slot[] { str from External }, as a block-scope compound literal. */
#define str_external ((const Slot[]) { { G_TYPE_STRING, SETL_TYPE_EXTERNAL, NULL }, END_SLOTS })

/* test_node */
static void
test_node (void)
{
  g_autoptr(SetlFactory) factory = g_object_new (concrete_producer_get_type (), NULL);
  g_autoptr(SetlNode) node = setl_node_new_from_factory (factory, 0, TRUE);
  g_autoptr(GPtrArray) by_type = setl_node_find_inputs (node, G_TYPE_STRING, "input1");
  g_autofree char *text = setl_node_describe (node);
  GPtrArray *inputs = setl_node_get_inputs (node);
  SetlDelivery *by_id = NULL;

  g_assert_cmpuint (inputs->len, ==, setl_factory_get_deliveries (factory)->len);
  for (guint i = 0; i < inputs->len; i++)
    g_assert_true (inputs->pdata[i] == setl_factory_get_deliveries (factory)->pdata[i]);
  g_assert_cmpstr (setl_node_get_name (node), ==, "ConcreteProducer");
  g_assert_true (setl_node_get_factory (node) == factory);
  g_assert_true (setl_node_get_factory_type (node) == concrete_producer_get_type ());
  g_assert_true (setl_node_is_final (node));
  g_assert_false (setl_node_is_external (node));
  g_assert_true (setl_node_get_output_type (node) == data_set_complex_product_get_type ());
  /* node.producers == [External, External] */
  g_assert_true (all_external (node));

  /* find_input_by_type(str, "input1") */
  g_assert_cmpuint (by_type->len, ==, 1);
  g_assert_cmpstr (setl_delivery_get_delivery_id (by_type->pdata[0]), ==, "input1");
  g_assert_true (setl_delivery_get_producer (by_type->pdata[0]) == SETL_TYPE_EXTERNAL);
  g_assert_true (setl_delivery_get_payload_type (by_type->pdata[0]) == G_TYPE_STRING);

  /* find_input_by_delivery_id("input2") */
  for (guint i = 0; i < inputs->len; i++)
    if (g_str_equal (setl_delivery_get_delivery_id (inputs->pdata[i]), "input2"))
      {
        g_assert_null (by_id);
        by_id = inputs->pdata[i];
      }
  g_assert_nonnull (by_id);
  g_assert_true (setl_delivery_get_producer (by_id) == SETL_TYPE_EXTERNAL);
  g_assert_true (setl_delivery_get_payload_type (by_id) == G_TYPE_ARRAY);

  /* str(node) */
  g_assert_nonnull (strstr (text, "Factory: ConcreteProducer"));
  g_assert_nonnull (strstr (text, "Stage: 0"));
  g_assert_nonnull (strstr (text, "Input “input1”: gchararray (delivery id: input1)"));
  g_assert_nonnull (strstr (text, "Input “input2”: GArray (delivery id: input2)"));
  g_assert_nonnull (strstr (text, "Output: DataSetComplexProduct"));
}

/* test_node_target_node: a consumer list lets only Producer2 take the
 * output. */
static void
test_node_target_node (void)
{
  const Slot int_from_p1_pc2[] = {
    { G_TYPE_INT64, producer1_get_type (), NULL },
    { G_TYPE_INT64, producer_container2_get_type (), NULL },
    END_SLOTS,
  };
  g_autoptr(SetlNode) stage0 = make_node (producer1_get_type (), 0, str_external, G_TYPE_INT64,
                                          producer2_get_type (), NULL);
  g_autoptr(SetlNode) stage1 = make_node (producer2_get_type (), 1, int_from_p1_pc2, G_TYPE_STRV,
                                          producer23_get_type (), NULL);
  g_autoptr(SetlNode) stage1wrong = make_node (producer23_get_type (), 1, int_from_p1_pc2,
                                               G_TYPE_STRV, producer23_get_type (), NULL);

  g_assert_true (target_node (stage0, stage1));
  g_assert_false (target_node (stage0, stage1wrong));
}

/* test_target_node_different_stage */
static void
test_target_node_different_stage (void)
{
  const Slot int_from_p1_pc2[] = {
    { G_TYPE_INT64, producer1_get_type (), NULL },
    { G_TYPE_INT64, producer_container2_get_type (), NULL },
    END_SLOTS,
  };
  g_autoptr(SetlNode) stage0 = make_node (producer1_get_type (), 0, str_external, G_TYPE_INT64,
                                          G_TYPE_INVALID, NULL);
  g_autoptr(SetlNode) stage1 = make_node (producer2_get_type (), 1, int_from_p1_pc2, G_TYPE_STRV,
                                          producer23_get_type (), NULL);
  g_autoptr(SetlNode) stage1in0 = make_node (producer2_get_type (), 0, int_from_p1_pc2, G_TYPE_STRV,
                                             producer23_get_type (), NULL);

  g_assert_true (target_node (stage0, stage1));
  g_assert_false (target_node (stage0, stage1in0));
  /* Stages aside, the output fits: the stage rule alone refuses it. */
  g_assert_true (setl_node_can_deliver_to (stage0, stage1in0,
                                           setl_node_get_inputs (stage1in0)->pdata[0]));
}

/* test_target_node_uuid: a node never feeds itself, nor another node of the
 * same factory instance (PySetl: same factory_uuid). */
static void
test_target_node_uuid (void)
{
  const Slot int_external[] = { { G_TYPE_INT64, SETL_TYPE_EXTERNAL, NULL }, END_SLOTS };
  g_autoptr(SetlFactory) f1 = g_object_new (producer1_get_type (), NULL);
  g_autoptr(SetlNode) node1 = NULL;
  g_autoptr(SetlNode) node2 = make_node (producer1_get_type (), 1, int_external, G_TYPE_STRV,
                                         G_TYPE_INVALID, NULL);
  g_autoptr(SetlNode) node3 = NULL;

  /* f1 takes an int and makes an int, so that only identity stands in the
   * way of node1 feeding node3. */
  setl_factory_add_input (f1, "slot0", G_TYPE_INT64, SETL_TYPE_EXTERNAL, NULL);
  node1 = setl_node_new_from_factory (f1, 0, FALSE);
  node3 = setl_node_new_from_factory (f1, 1, FALSE);

  g_assert_true (target_node (node1, node2));
  g_assert_false (target_node (node1, node3));
  g_assert_false (setl_node_can_deliver_to (node1, node1, setl_node_get_inputs (node1)->pdata[0]));
}

/* test_target_node_io */
static void
test_target_node_io (void)
{
  const Slot two_external[] = {
    { G_TYPE_INT64, SETL_TYPE_EXTERNAL, NULL },
    { G_TYPE_INT64, SETL_TYPE_EXTERNAL, NULL },
    END_SLOTS,
  };
  const Slot external_and_pc2[] = {
    { G_TYPE_INT64, SETL_TYPE_EXTERNAL, NULL },
    { G_TYPE_INT64, producer_container2_get_type (), NULL },
    END_SLOTS,
  };
  const Slot wrong_type[] = {
    { G_TYPE_DOUBLE, SETL_TYPE_EXTERNAL, NULL },
    { G_TYPE_INT64, producer_container2_get_type (), NULL },
    END_SLOTS,
  };
  const Slot wrong_producer[] = {
    { G_TYPE_INT64, producer_container1_get_type (), NULL },
    { G_TYPE_INT64, producer_container2_get_type (), NULL },
    END_SLOTS,
  };
  const Slot p1_and_pc2[] = {
    { G_TYPE_INT64, producer1_get_type (), NULL },
    { G_TYPE_INT64, producer_container2_get_type (), NULL },
    END_SLOTS,
  };
  GType p1 = producer1_get_type (), p2 = producer2_get_type ();
  g_autoptr(SetlNode) node1 = make_node (p1, 0, str_external, G_TYPE_INT64, G_TYPE_INVALID, NULL);
  g_autoptr(SetlNode) node1_with_consumer = make_node (p1, 0, str_external, G_TYPE_INT64, p2, NULL);
  g_autoptr(SetlNode) node1_wrong_consumer = make_node (p1, 0, str_external, G_TYPE_INT64,
                                                        producer_container2_get_type (), NULL);
  g_autoptr(SetlNode) node2 = make_node (p2, 1, two_external, G_TYPE_STRV, G_TYPE_INVALID, NULL);
  g_autoptr(SetlNode) node21 = make_node (p2, 1, external_and_pc2, G_TYPE_STRV, G_TYPE_INVALID, NULL);
  g_autoptr(SetlNode) node21_wrong_type = make_node (p2, 1, wrong_type, G_TYPE_STRV,
                                                     G_TYPE_INVALID, NULL);
  g_autoptr(SetlNode) node21_wrong_producer = make_node (p2, 1, wrong_producer, G_TYPE_STRV,
                                                         G_TYPE_INVALID, NULL);
  g_autoptr(SetlNode) node22 = make_node (p2, 1, p1_and_pc2, G_TYPE_STRV, G_TYPE_INVALID, NULL);

  g_assert_true (target_node (node1, node21));
  g_assert_false (target_node (node1, node21_wrong_type));
  g_assert_true (all_external (node1));

  g_assert_true (target_node (node1_with_consumer, node21));
  g_assert_false (target_node (node1_with_consumer, node21_wrong_type));
  g_assert_false (target_node (node1_with_consumer, node21_wrong_producer));

  g_assert_true (target_node (node1, node22));
  g_assert_true (target_node (node1_with_consumer, node22));
  g_assert_false (target_node (node1_wrong_consumer, node22));
  g_assert_true (all_external (node1_wrong_consumer));

  /* PySetl raises InvalidDeliveryException here: two slots of node2 take
   * any int and it cannot tell which one node1 fills. libsetl matches slot
   * by slot, so node1 fits both (and a pipeline would fill both with it;
   * see /workflow/inspector/same-type-slots). */
  g_assert_true (setl_node_can_deliver_to (node1, node2, setl_node_get_inputs (node2)->pdata[0]));
  g_assert_true (setl_node_can_deliver_to (node1, node2, setl_node_get_inputs (node2)->pdata[1]));
  g_assert_true (setl_node_can_deliver_to (node1_with_consumer, node2,
                                           setl_node_get_inputs (node2)->pdata[0]));
}

/* test_target_node_ereasure: factories whose output types PySetl's generics
 * erase to the same class are still told apart by factory type. */
static void
test_target_node_erasure (void)
{
  const Slot from_pc1_pc2[] = {
    { G_TYPE_INT64, producer_container1_get_type (), NULL },
    { G_TYPE_INT64, producer_container2_get_type (), NULL },
    END_SLOTS,
  };
  const Slot float_from_pc1[] = {
    { G_TYPE_DOUBLE, producer_container1_get_type (), NULL },
    END_SLOTS,
  };
  GType pc1 = producer_container1_get_type ();
  g_autoptr(SetlNode) node1 = make_node (pc1, 0, str_external, G_TYPE_INT64, G_TYPE_INVALID, NULL);
  g_autoptr(SetlNode) node11 = make_node (pc1, 0, str_external, G_TYPE_INT64,
                                          producer_container2_get_type (), NULL);
  g_autoptr(SetlNode) node2 = make_node (producer_container2_get_type (), 1, from_pc1_pc2,
                                         G_TYPE_STRV, producer23_get_type (), NULL);
  g_autoptr(SetlNode) node3 = make_node (producer_container23_get_type (), 1, from_pc1_pc2,
                                         G_TYPE_STRV, producer23_get_type (), NULL);
  g_autoptr(SetlNode) node3_string = make_node (producer_container23_get_type (), 1, float_from_pc1,
                                                G_TYPE_STRV, producer23_get_type (), NULL);

  g_assert_true (target_node (node1, node2));
  g_assert_true (target_node (node1, node3));
  g_assert_true (target_node (node11, node2));
  g_assert_false (target_node (node11, node3));
  g_assert_false (target_node (node11, node3_string));
}

/* test_target_node_delivery_id: the payload type is a class (Producer1 in
 * PySetl); ids must match. */
static void
test_target_node_delivery_id (void)
{
  const Slot in_id_1[] = { { G_TYPE_STRING, SETL_TYPE_EXTERNAL, "id_1" }, END_SLOTS };
  GType payload = producer1_payload_get_type ();
  const Slot id_2[] = { { payload, SETL_TYPE_EXTERNAL, "id_2" }, END_SLOTS };
  const Slot id_wrong[] = { { payload, SETL_TYPE_EXTERNAL, "id_wrong" }, END_SLOTS };
  const Slot both[] = {
    { payload, SETL_TYPE_EXTERNAL, "id_wrong" },
    { payload, SETL_TYPE_EXTERNAL, "id_2" },
    END_SLOTS,
  };
  GType p1 = producer1_get_type (), pc1 = producer_container1_get_type ();
  g_autoptr(SetlNode) node1 = make_node (p1, 0, in_id_1, payload, G_TYPE_INVALID, "id_2");
  g_autoptr(SetlNode) node1_bis = make_node (p1, 0, in_id_1, payload, G_TYPE_INVALID, "id_wrong");
  g_autoptr(SetlNode) node1_ter = make_node (p1, 0, in_id_1, payload, G_TYPE_INVALID, "nothing");
  g_autoptr(SetlNode) node2 = make_node (pc1, 1, id_2, G_TYPE_STRV, G_TYPE_INVALID, "id_3");
  g_autoptr(SetlNode) node2_bis = make_node (pc1, 1, id_wrong, G_TYPE_STRV, G_TYPE_INVALID, "id_3");
  g_autoptr(SetlNode) node2_ter = make_node (pc1, 1, both, G_TYPE_STRV, G_TYPE_INVALID, "id_3");

  g_assert_true (target_node (node1, node2));
  g_assert_true (target_node (node1_bis, node2_bis));
  g_assert_false (target_node (node1, node2_bis));
  g_assert_false (target_node (node1_bis, node2));
  g_assert_true (target_node (node1, node2_ter));
  g_assert_true (target_node (node1_bis, node2_ter));
  g_assert_false (target_node (node1_ter, node2_ter));
}

/* test_node_external */
static void
test_node_external (void)
{
  g_autoptr(SetlDeliverable) d = wt_deliverable_int64 (1, G_TYPE_NONE, NULL);
  g_autoptr(SetlNode) external = setl_node_new_external (d);
  g_autofree char *text = setl_node_describe (external);

  g_assert_true (setl_node_get_factory_type (external) == SETL_TYPE_EXTERNAL);
  g_assert_cmpint (setl_node_get_stage (external), ==, -1);
  g_assert_cmpuint (setl_node_get_inputs (external)->len, ==, 0);
  g_assert_true (setl_node_is_external (external));
  g_assert_null (setl_node_get_factory (external));
  g_assert_true (setl_node_get_deliverable (external) == d);
  g_assert_true (setl_node_get_output_type (external) == G_TYPE_INT64);
  g_assert_nonnull (strstr (text, "External: external gint64"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/workflow/node/node", test_node);
  g_test_add_func ("/workflow/node/target-node", test_node_target_node);
  g_test_add_func ("/workflow/node/target-node-different-stage", test_target_node_different_stage);
  g_test_add_func ("/workflow/node/target-node-uuid", test_target_node_uuid);
  g_test_add_func ("/workflow/node/target-node-io", test_target_node_io);
  g_test_add_func ("/workflow/node/target-node-erasure", test_target_node_erasure);
  g_test_add_func ("/workflow/node/target-node-delivery-id", test_target_node_delivery_id);
  g_test_add_func ("/workflow/node/external", test_node_external);

  return g_test_run ();
}
