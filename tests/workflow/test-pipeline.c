/* test-pipeline.c: PySetl tests/workflow/test_pipeline.py
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "workflow-test-factories.h"

WT_DEFINE_PAYLOAD (Product1, product1)
WT_DEFINE_PAYLOAD (Product2, product2)
WT_DEFINE_PAYLOAD (ContainerProduct1, container_product1)
WT_DEFINE_PAYLOAD (Container2Product2, container2_product2)

/* Args: what FactoryWithInit makes of its parameters and its input. */
typedef struct
{
  GObject parent_instance;

  gboolean param_bool;
  GBytes *param_byte;
  gint64 param_int;
  double param_float;
  gboolean param_bool2;
  char *param_string;
  GObject *param_product2;
  char *param_input_string;
} Args;

typedef struct
{
  GObjectClass parent_class;
} ArgsClass;

GType args_get_type (void);
G_DEFINE_TYPE (Args, args, G_TYPE_OBJECT)

static void
args_finalize (GObject *object)
{
  Args *self = (Args *) object;

  g_clear_pointer (&self->param_byte, g_bytes_unref);
  g_free (self->param_string);
  g_clear_object (&self->param_product2);
  g_free (self->param_input_string);
  G_OBJECT_CLASS (args_parent_class)->finalize (object);
}

static void args_class_init (ArgsClass *klass) { G_OBJECT_CLASS (klass)->finalize = args_finalize; }
static void args_init (Args *self) {}

/* FactoryWithInit: PySetl's dataclass fields are GObject properties. */
typedef struct
{
  WtFactory parent_instance;

  Args params;   /* the parameters, in the shape of the output */
} FactoryWithInit;

typedef WtFactoryClass FactoryWithInitClass;
GType factory_with_init_get_type (void);
G_DEFINE_TYPE (FactoryWithInit, factory_with_init, WT_TYPE_FACTORY)

enum {
  PROP_0,
  PROP_PARAM_BOOL,
  PROP_PARAM_BYTE,
  PROP_PARAM_INT,
  PROP_PARAM_FLOAT,
  PROP_PARAM_BOOL2,
  PROP_PARAM_STRING,
  PROP_PARAM_PRODUCT2,
};

static void
factory_with_init_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  Args *p = &((FactoryWithInit *) object)->params;

  switch (prop_id)
    {
    case PROP_PARAM_BOOL: p->param_bool = g_value_get_boolean (value); break;
    case PROP_PARAM_BYTE:
      g_clear_pointer (&p->param_byte, g_bytes_unref);
      p->param_byte = g_value_dup_boxed (value);
      break;
    case PROP_PARAM_INT: p->param_int = g_value_get_int64 (value); break;
    case PROP_PARAM_FLOAT: p->param_float = g_value_get_double (value); break;
    case PROP_PARAM_BOOL2: p->param_bool2 = g_value_get_boolean (value); break;
    case PROP_PARAM_STRING:
      g_free (p->param_string);
      p->param_string = g_value_dup_string (value);
      break;
    case PROP_PARAM_PRODUCT2:
      g_clear_object (&p->param_product2);
      p->param_product2 = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
factory_with_init_finalize (GObject *object)
{
  Args *p = &((FactoryWithInit *) object)->params;

  g_clear_pointer (&p->param_byte, g_bytes_unref);
  g_free (p->param_string);
  g_clear_object (&p->param_product2);
  G_OBJECT_CLASS (factory_with_init_parent_class)->finalize (object);
}

static gboolean
make_args (WtFactory  *self,
           GValue     *output,
           GError    **error)
{
  Args *p = &((FactoryWithInit *) self)->params;
  Args *out = g_object_new (args_get_type (), NULL);

  out->param_bool = p->param_bool;
  out->param_byte = p->param_byte ? g_bytes_ref (p->param_byte) : NULL;
  out->param_int = p->param_int;
  out->param_float = p->param_float;
  out->param_bool2 = p->param_bool2;
  out->param_string = g_strdup (p->param_string);
  out->param_product2 = p->param_product2 ? g_object_ref (p->param_product2) : NULL;
  out->param_input_string =
    g_value_dup_string (setl_factory_get_input (SETL_FACTORY (self), "input_string_delivery"));
  g_value_take_object (output, out);
  return TRUE;
}

static void
factory_with_init_class_init (FactoryWithInitClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS;

  object_class->set_property = factory_with_init_set_property;
  object_class->finalize = factory_with_init_finalize;
  klass->compute = make_args;
  setl_factory_class_set_output_type (SETL_FACTORY_CLASS (klass), args_get_type ());

  g_object_class_install_property (object_class, PROP_PARAM_BOOL,
    g_param_spec_boolean ("param-bool", NULL, NULL, FALSE, flags));
  g_object_class_install_property (object_class, PROP_PARAM_BYTE,
    g_param_spec_boxed ("param-byte", NULL, NULL, G_TYPE_BYTES, flags));
  g_object_class_install_property (object_class, PROP_PARAM_INT,
    g_param_spec_int64 ("param-int", NULL, NULL, G_MININT64, G_MAXINT64, 0, flags));
  g_object_class_install_property (object_class, PROP_PARAM_FLOAT,
    g_param_spec_double ("param-float", NULL, NULL, -G_MAXDOUBLE, G_MAXDOUBLE, 0, flags));
  g_object_class_install_property (object_class, PROP_PARAM_BOOL2,
    g_param_spec_boolean ("param-bool2", NULL, NULL, TRUE, flags));
  g_object_class_install_property (object_class, PROP_PARAM_STRING,
    g_param_spec_string ("param-string", NULL, NULL, NULL, flags));
  g_object_class_install_property (object_class, PROP_PARAM_PRODUCT2,
    g_param_spec_object ("param-product2", NULL, NULL, product2_get_type (), flags));
}

static void
factory_with_init_init (FactoryWithInit *self)
{
  setl_factory_add_input (SETL_FACTORY (self), "input_string_delivery", G_TYPE_STRING,
                          SETL_TYPE_EXTERNAL, "id");
}

static gboolean
make_product1 (WtFactory  *self,
               GValue     *output,
               GError    **error)
{
  const GValue *id = setl_factory_get_input (SETL_FACTORY (self), "id_delivery");

  g_value_take_object (output, wt_payload_new (product1_get_type (), g_value_get_string (id),
                                               NULL, NULL));
  return TRUE;
}

static gboolean
make_product2 (WtFactory  *self,
               GValue     *output,
               GError    **error)
{
  g_value_take_object (output, wt_payload_new (product2_get_type (), "a", "b", NULL));
  return TRUE;
}

static gboolean
make_container (WtFactory  *self,
                GValue     *output,
                GError    **error)
{
  GObject *p1 = setl_factory_get_input_object (SETL_FACTORY (self), "product1_delivery");

  g_value_take_object (output, wt_payload_new (container_product1_get_type (), NULL, NULL, p1));
  return TRUE;
}

static gboolean
make_container2 (WtFactory  *self,
                 GValue     *output,
                 GError    **error)
{
  GObject *p2 = setl_factory_get_input_object (SETL_FACTORY (self), "p2_delivery");

  g_assert_nonnull (setl_factory_get_input_object (SETL_FACTORY (self), "p1_delivery"));
  g_value_take_object (output, wt_payload_new (container2_product2_get_type (), NULL, NULL, p2));
  return TRUE;
}

WT_DEFINE_FACTORY_FULL (ProductFactory, product_factory, product1_get_type (), make_product1,
  setl_factory_add_input (factory, "id_delivery", G_TYPE_STRING, SETL_TYPE_EXTERNAL, NULL);)
WT_DEFINE_FACTORY_FULL (Product2Factory, product2_factory, product2_get_type (), make_product2)
WT_DEFINE_FACTORY_FULL (ContainerFactory, container_factory, container_product1_get_type (),
                        make_container,
  setl_factory_add_input (factory, "product1_delivery", product1_get_type (), SETL_TYPE_EXTERNAL, NULL);)
WT_DEFINE_FACTORY_FULL (Container2Factory, container2_factory, container2_product2_get_type (),
                        make_container2,
  setl_factory_add_input (factory, "p1_delivery", product1_get_type (), SETL_TYPE_EXTERNAL, NULL);
  setl_factory_add_input (factory, "p2_delivery", product2_get_type (), SETL_TYPE_EXTERNAL, NULL);)

/* test_pipeline_simple: four factories in three stages from one external
 * id. */
static void
test_pipeline_simple (void)
{
  g_autoptr(SetlDeliverable) deliverable = wt_deliverable_string ("id_of_product", G_TYPE_NONE, NULL);
  g_autoptr(SetlFactory) factory1 = g_object_new (product_factory_get_type (), NULL);
  g_autoptr(SetlFactory) factory2 = g_object_new (product2_factory_get_type (), NULL);
  g_autoptr(SetlFactory) factory3 = g_object_new (container_factory_get_type (), NULL);
  g_autoptr(SetlFactory) factory4 = g_object_new (container2_factory_get_type (), NULL);
  g_autoptr(SetlStage) stage1 = setl_stage_new ();
  g_autoptr(SetlStage) stage2 = setl_stage_new ();
  g_autoptr(SetlStage) stage3 = setl_stage_new ();
  g_autoptr(SetlPipeline) pipeline = setl_pipeline_new (NULL);
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *described = NULL;
  g_autofree char *summary = NULL;
  g_autofree char *mermaid = NULL;
  g_autofree char *inspector_mermaid = NULL;
  SetlInspector *inspector;
  SetlNode *found_node;
  WtPayload *c2, *result3;
  const GValue *v;
  GPtrArray *nodes;
  guint n_factory_nodes = 0;

  setl_stage_add_factory (stage1, factory1);
  setl_stage_add_factory (stage1, factory2);
  setl_stage_add_factory (stage2, factory3);
  setl_stage_add_factory (stage3, factory4);
  setl_pipeline_set_input (pipeline, deliverable);
  setl_pipeline_add_stage (pipeline, stage1);
  setl_pipeline_add_stage (pipeline, stage2);
  setl_pipeline_add_stage (pipeline, stage3);
  g_assert_true (setl_pipeline_run (pipeline, NULL, &error));
  g_assert_no_error (error);

  inspector = setl_pipeline_get_inspector (pipeline);
  found_node = wt_pipeline_node (pipeline, factory4);
  g_assert_cmpstr (setl_node_get_name (found_node), ==, "Container2Factory");

  /* pipeline.dispatcher.size: the input and the four outputs. */
  all = setl_pipeline_find_deliverables (pipeline, G_TYPE_INVALID, NULL, G_TYPE_INVALID);
  g_assert_cmpuint (all->len, ==, 5);

  found = setl_pipeline_find_deliverables (pipeline, container2_product2_get_type (), NULL,
                                           G_TYPE_INVALID);
  g_assert_cmpuint (found->len, ==, 1);
  c2 = g_value_get_object (setl_deliverable_get_payload (found->pdata[0]));
  g_assert_cmpstr (WT_PAYLOAD (c2->content)->x, ==, "a");
  g_assert_cmpstr (WT_PAYLOAD (c2->content)->y, ==, "b");

  /* PySetl counts 4 nodes, libsetl 5: the external input is a node too. */
  nodes = setl_inspector_get_nodes (inspector);
  for (guint i = 0; i < nodes->len; i++)
    n_factory_nodes += !setl_node_is_external (nodes->pdata[i]);
  g_assert_cmpuint (n_factory_nodes, ==, 4);
  g_assert_cmpuint (nodes->len, ==, 5);
  g_assert_cmpuint (setl_inspector_get_flows (inspector)->len, ==, 4);
  g_assert_cmpuint (setl_node_get_inputs (found_node)->len, ==, 2);

  v = setl_pipeline_get_output (pipeline, container_factory_get_type (), &error);
  g_assert_no_error (error);
  result3 = g_value_get_object (v);
  g_assert_cmpstr (WT_PAYLOAD (result3->content)->x, ==, "id_of_product");

  described = setl_pipeline_describe (pipeline);
  summary = setl_inspector_describe (inspector);
  g_assert_cmpstr (described, ==, summary);
  mermaid = setl_pipeline_to_mermaid (pipeline);
  inspector_mermaid = setl_inspector_to_mermaid (inspector);
  g_assert_cmpstr (mermaid, ==, inspector_mermaid);
  g_assert_nonnull (strstr (mermaid, "subgraph stage2"));
}

/* test_pipline_builtins: a factory configured with properties of the
 * built-in types, an input reserved for it, benchmarks, and outputs found
 * by factory type. */
static void
test_pipeline_builtins (void)
{
  g_autoptr(SetlDeliverable) deliverable = wt_deliverable_string ("payload", G_TYPE_NONE, "id");
  g_autoptr(GObject) product2 = wt_payload_new (product2_get_type (), "a", "b", NULL);
  g_autoptr(GBytes) empty = g_bytes_new (NULL, 0);
  g_autoptr(SetlPipeline) pipeline = setl_pipeline_new (NULL);
  g_autoptr(SetlFactory) factory = NULL;
  g_autoptr(GPtrArray) benchmarks = NULL;
  g_autoptr(GError) error = NULL;
  const GValue *last, *by_type;
  Args *out;

  setl_deliverable_add_consumer (deliverable, factory_with_init_get_type ());
  setl_pipeline_set_benchmark (pipeline, TRUE);
  setl_pipeline_set_input (pipeline, deliverable);
  factory = g_object_new (factory_with_init_get_type (),
                          "param-bool", TRUE, "param-byte", empty, "param-string", "",
                          "param-int", (gint64) 1, "param-float", 1.0, "param-bool2", FALSE,
                          "param-product2", product2, NULL);
  setl_pipeline_add_factory (pipeline, factory);
  g_assert_true (setl_pipeline_run (pipeline, NULL, &error));
  g_assert_no_error (error);

  last = setl_pipeline_get_last_output (pipeline);
  benchmarks = setl_pipeline_get_benchmarks (pipeline);
  g_assert_cmpuint (benchmarks->len, ==, 1);
  g_assert_nonnull (last);
  out = g_value_get_object (last);
  g_assert_true (out->param_bool);
  g_assert_cmpuint (g_bytes_get_size (out->param_byte), ==, 0);
  g_assert_cmpstr (out->param_string, ==, "");
  g_assert_cmpint (out->param_int, ==, 1);
  g_assert_cmpfloat (out->param_float, ==, 1.0);
  g_assert_false (out->param_bool2);
  g_assert_cmpstr (WT_PAYLOAD (out->param_product2)->x, ==, "a");
  g_assert_cmpstr (WT_PAYLOAD (out->param_product2)->y, ==, "b");
  g_assert_cmpstr (out->param_input_string, ==, "payload");

  by_type = setl_pipeline_get_output (pipeline, factory_with_init_get_type (), &error);
  g_assert_no_error (error);
  g_assert_true (g_value_get_object (by_type) == (gpointer) out);

  g_assert_null (setl_pipeline_get_output (pipeline, product_factory_get_type (), &error));
  g_assert_error (error, SETL_PIPELINE_ERROR, SETL_PIPELINE_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "has no factory of type ProductFactory"));
}

/* test_pipeline_single_factory: a stage run on its own is benchmarked by
 * the stage; a pipeline that ran nothing has no output and no benchmarks. */
static void
test_pipeline_single_factory (void)
{
  g_autoptr(SetlFactory) factory = g_object_new (product2_factory_get_type (), NULL);
  g_autoptr(SetlStage) stage = setl_stage_new ();
  g_autoptr(SetlPipeline) pipeline = setl_pipeline_new (NULL);
  g_autoptr(GPtrArray) pipeline_benchmarks = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *benchmarks;
  SetlFactoryResult *benchmark;

  setl_pipeline_set_benchmark (pipeline, TRUE);
  setl_stage_set_benchmark (stage, TRUE);
  setl_stage_add_factory (stage, factory);
  g_assert_true (setl_stage_run (stage, NULL, &error));
  g_assert_no_error (error);

  benchmarks = setl_stage_get_benchmarks (stage);
  g_assert_cmpuint (benchmarks->len, ==, 1);
  benchmark = benchmarks->pdata[0];
  g_assert_cmpstr (setl_factory_result_get_factory_name (benchmark), ==, "Product2Factory");
  g_assert_cmpint (setl_factory_result_get_status (benchmark), ==, SETL_FACTORY_STATUS_SUCCEEDED);
  /* round(benchmark.read) == 0, in seconds */
  for (int phase = 0; phase < SETL_FACTORY_N_PHASES; phase++)
    {
      g_assert_cmpint (setl_factory_result_get_duration (benchmark, phase), >=, 0);
      g_assert_cmpint (setl_factory_result_get_duration (benchmark, phase), <, G_USEC_PER_SEC / 2);
    }
  g_assert_cmpint (setl_factory_result_get_total_duration (benchmark), <, G_USEC_PER_SEC / 2);

  g_assert_null (setl_pipeline_get_last_output (pipeline));
  pipeline_benchmarks = setl_pipeline_get_benchmarks (pipeline);
  g_assert_cmpuint (pipeline_benchmarks->len, ==, 0);
}

/* test_pipeline_no_solution: the only string has another delivery id and is
 * reserved for another factory. PySetl fails while running; libsetl fails
 * the inspection, before anything runs, naming the factory and slot. */
static void
test_pipeline_no_solution (void)
{
  g_autoptr(SetlDeliverable) deliverable = wt_deliverable_string ("payload", G_TYPE_NONE, "wront_id");
  g_autoptr(SetlFactory) factory = g_object_new (product_factory_get_type (), NULL);
  g_autoptr(SetlPipeline) pipeline = setl_pipeline_new (NULL);
  g_autoptr(GError) error = NULL;

  setl_deliverable_add_consumer (deliverable, factory_with_init_get_type ());
  setl_pipeline_set_input (pipeline, deliverable);
  setl_pipeline_add_factory (pipeline, factory);

  g_assert_false (setl_pipeline_run (pipeline, NULL, &error));
  g_assert_error (error, SETL_PIPELINE_ERROR, SETL_PIPELINE_ERROR_MISSING_DELIVERY);
  g_assert_nonnull (strstr (error->message, "factory “ProductFactory” input “id_delivery” (gchararray)"));
  g_assert_cmpuint (WT_FACTORY (factory)->n_read, ==, 0);
  g_assert_null (setl_pipeline_get_last_output (pipeline));
}

/* A pipeline runs again from scratch: same outputs, the old ones dropped. */
static void
test_pipeline_rerun (void)
{
  g_autoptr(SetlDeliverable) deliverable = wt_deliverable_string ("again", G_TYPE_NONE, NULL);
  g_autoptr(SetlFactory) factory1 = g_object_new (product_factory_get_type (), NULL);
  g_autoptr(SetlFactory) factory3 = g_object_new (container_factory_get_type (), NULL);
  g_autoptr(SetlPipeline) pipeline = setl_pipeline_new (NULL);
  g_autoptr(GError) error = NULL;

  setl_pipeline_set_input (pipeline, deliverable);
  setl_pipeline_add_factory (pipeline, factory1);
  setl_pipeline_add_factory (pipeline, factory3);
  for (int i = 0; i < 2; i++)
    {
      g_autoptr(GPtrArray) all = NULL;
      WtPayload *c;

      g_assert_true (setl_pipeline_run (pipeline, NULL, &error));
      g_assert_no_error (error);
      all = setl_pipeline_find_deliverables (pipeline, G_TYPE_INVALID, NULL, G_TYPE_INVALID);
      g_assert_cmpuint (all->len, ==, 3);
      c = g_value_get_object (setl_pipeline_get_last_output (pipeline));
      g_assert_cmpstr (WT_PAYLOAD (c->content)->x, ==, "again");
    }
  g_assert_cmpuint (WT_FACTORY (factory3)->n_read, ==, 2);
}

/* set_input_from_deliverable() twice with one deliverable: PySetl's
 * dispatcher raises AlreadyExistsException; libsetl refuses the copy with
 * a critical, so the input does not become ambiguous with itself. */
static void
test_pipeline_same_input_twice (void)
{
  g_autoptr(SetlDeliverable) deliverable = wt_deliverable_string ("once", G_TYPE_NONE, NULL);
  g_autoptr(SetlFactory) factory = g_object_new (product_factory_get_type (), NULL);
  g_autoptr(SetlPipeline) pipeline = setl_pipeline_new (NULL);
  g_autoptr(GError) error = NULL;

  setl_pipeline_set_input (pipeline, deliverable);
  g_test_expect_message ("Setl", G_LOG_LEVEL_CRITICAL, "setl_pipeline_set_input: assertion*");
  setl_pipeline_set_input (pipeline, deliverable);
  g_test_assert_expected_messages ();
  g_assert_cmpuint (setl_pipeline_get_inputs (pipeline)->len, ==, 1);

  setl_pipeline_add_factory (pipeline, factory);
  g_assert_true (setl_pipeline_run (pipeline, NULL, &error));
  g_assert_no_error (error);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/workflow/pipeline/simple", test_pipeline_simple);
  g_test_add_func ("/workflow/pipeline/builtins", test_pipeline_builtins);
  g_test_add_func ("/workflow/pipeline/single-factory", test_pipeline_single_factory);
  g_test_add_func ("/workflow/pipeline/no-solution", test_pipeline_no_solution);
  g_test_add_func ("/workflow/pipeline/rerun", test_pipeline_rerun);
  g_test_add_func ("/workflow/pipeline/same-input-twice", test_pipeline_same_input_twice);

  return g_test_run ();
}
