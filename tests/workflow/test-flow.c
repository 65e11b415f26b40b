/* test-flow.c: PySetl tests/workflow/test_flow.py
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "workflow-test-factories.h"

WT_DEFINE_PAYLOAD (Product, product)
WT_DEFINE_PAYLOAD (Product2, product2)

/* Producer makes a Product from the id it reads; Consumer takes it. */
static gboolean
make_product (WtFactory  *self,
              GValue     *output,
              GError    **error)
{
  const GValue *id = setl_factory_get_input (SETL_FACTORY (self), "id_delivery");

  g_value_take_object (output, wt_payload_new (product_get_type (), g_value_get_string (id),
                                               NULL, NULL));
  return TRUE;
}

static gboolean
wrap_product (WtFactory  *self,
              GValue     *output,
              GError    **error)
{
  GObject *p = setl_factory_get_input_object (SETL_FACTORY (self), "input");

  g_value_take_object (output, wt_payload_new (product2_get_type (), WT_PAYLOAD (p)->x, NULL, p));
  return TRUE;
}

WT_DEFINE_FACTORY_FULL (Producer, producer, product_get_type (), make_product,
  setl_factory_add_input (factory, "id_delivery", G_TYPE_STRING, SETL_TYPE_EXTERNAL, NULL);)
WT_DEFINE_FACTORY_FULL (Consumer, consumer, product2_get_type (), wrap_product,
  setl_factory_add_input (factory, "input", product_get_type (), producer_get_type (), NULL);)

typedef struct
{
  SetlFactory *producer;
  SetlFactory *consumer;
  SetlDeliverable *id;
  SetlNode *external;
  SetlNode *producer_node;
  SetlNode *consumer_node;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->producer = g_object_new (producer_get_type (), NULL);
  f->consumer = g_object_new (consumer_get_type (), NULL);
  f->id = wt_deliverable_string ("product-id", G_TYPE_NONE, NULL);
  f->external = setl_node_new_external (f->id);
  f->producer_node = setl_node_new_from_factory (f->producer, 0, FALSE);
  f->consumer_node = setl_node_new_from_factory (f->consumer, 1, FALSE);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->external);
  g_clear_object (&f->producer_node);
  g_clear_object (&f->consumer_node);
  g_clear_object (&f->id);
  g_clear_object (&f->producer);
  g_clear_object (&f->consumer);
}

/* test_flow: the flow between two factories. */
static void
test_flow_internal (Fixture       *f,
                    gconstpointer  data)
{
  SetlDelivery *slot = setl_factory_get_delivery (f->consumer, "input");
  g_autoptr(SetlFlow) flow = setl_flow_new (f->producer_node, f->consumer_node, slot);
  g_autofree char *text = setl_flow_describe (flow);

  g_assert_cmpstr (setl_flow_get_delivery_id (flow), ==, "");
  g_assert_cmpint (setl_flow_get_stage (flow), ==, 0);
  g_assert_true (setl_flow_get_payload_type (flow) == product_get_type ());
  g_assert_false (setl_flow_is_external (flow));
  g_assert_true (setl_flow_get_from (flow) == f->producer_node);
  g_assert_true (setl_flow_get_to (flow) == f->consumer_node);
  g_assert_true (setl_flow_get_slot (flow) == slot);

  /* str(): "Flow[Producer -> Consumer]"; repr(): stage, direction, payload. */
  g_assert_nonnull (strstr (text, "Flow: Producer (stage 0) → Consumer.input (stage 1)"));
  g_assert_nonnull (strstr (text, "Payload: Product"));
}

/* test_flow: the flow from an external input. */
static void
test_flow_external (Fixture       *f,
                    gconstpointer  data)
{
  SetlDelivery *slot = setl_factory_get_delivery (f->producer, "id_delivery");
  g_autoptr(SetlFlow) flow = setl_flow_new (f->external, f->producer_node, slot);
  g_autofree char *text = setl_flow_describe (flow);

  g_assert_true (setl_flow_is_external (flow));
  g_assert_cmpint (setl_flow_get_stage (flow), ==, -1);
  g_assert_true (setl_flow_get_payload_type (flow) == G_TYPE_STRING);
  g_assert_nonnull (strstr (text, "Flow: external gchararray (stage -1) → Producer.id_delivery (stage 0)"));
  g_assert_nonnull (strstr (text, "Payload: gchararray"));
}

/* test_flow: to_diagram() — the flows in a pipeline's diagrams, and the
 * flows the inspector finds are the ones built by hand above. */
static void
test_flow_in_pipeline (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(SetlPipeline) pipeline = setl_pipeline_new ("flows");
  g_autoptr(GError) error = NULL;
  g_autofree char *mermaid = NULL;
  g_autofree char *dot = NULL;
  GPtrArray *flows;
  const GValue *out;

  setl_pipeline_set_input (pipeline, f->id);
  setl_pipeline_add_factory (pipeline, f->producer);
  setl_pipeline_add_factory (pipeline, f->consumer);
  g_assert_true (setl_pipeline_run (pipeline, NULL, &error));
  g_assert_no_error (error);

  flows = setl_inspector_get_flows (setl_pipeline_get_inspector (pipeline));
  g_assert_cmpuint (flows->len, ==, 2);
  g_assert_true (setl_flow_is_external (flows->pdata[0]));
  g_assert_true (setl_node_get_factory (setl_flow_get_to (flows->pdata[0])) == f->producer);
  g_assert_true (setl_node_get_factory (setl_flow_get_from (flows->pdata[1])) == f->producer);
  g_assert_true (setl_node_get_factory (setl_flow_get_to (flows->pdata[1])) == f->consumer);
  g_assert_true (setl_flow_get_payload_type (flows->pdata[1]) == product_get_type ());

  mermaid = setl_pipeline_to_mermaid (pipeline);
  g_assert_nonnull (strstr (mermaid, "n0 -->|\"input\"| n1"));
  g_assert_nonnull (strstr (mermaid, "n2 -->|\"id_delivery\"| n0"));
  dot = setl_pipeline_to_dot (pipeline);
  g_assert_nonnull (strstr (dot, "n0 -> n1 [label=\"input\"]"));

  /* What flowed: the id, into a Product, into a Product2. */
  out = setl_pipeline_get_output (pipeline, consumer_get_type (), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (WT_PAYLOAD (g_value_get_object (out))->x, ==, "product-id");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/workflow/flow/internal", Fixture, NULL, fixture_set_up, test_flow_internal,
              fixture_tear_down);
  g_test_add ("/workflow/flow/external", Fixture, NULL, fixture_set_up, test_flow_external,
              fixture_tear_down);
  g_test_add ("/workflow/flow/in-pipeline", Fixture, NULL, fixture_set_up, test_flow_in_pipeline,
              fixture_tear_down);

  return g_test_run ();
}
