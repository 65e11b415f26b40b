/* test-dispatcher.c: PySetl tests/workflow/test_dispatcher.py
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "workflow-test-factories.h"

/* Container[Product], Container2[Product], Container[Product23] and
 * Container2[Product23]: four types in PySetl by its generics, four GTypes
 * here. */
WT_DEFINE_PAYLOAD (Product, product)
WT_DEFINE_PAYLOAD (Product23, product23)
WT_DEFINE_PAYLOAD (ContainerProduct, container_product)
WT_DEFINE_PAYLOAD (Container2Product, container2_product)
WT_DEFINE_PAYLOAD (ContainerProduct23, container_product23)
WT_DEFINE_PAYLOAD (Container2Product23, container2_product23)
/* DataSet[ProductSchema], DataSet[Product23Schema], DataSet[ContainerSchema]:
 * a "data set" here keeps its rows in x, comma-separated. */
WT_DEFINE_PAYLOAD (DataSetProduct, data_set_product)
WT_DEFINE_PAYLOAD (DataSetProduct23, data_set_product23)
WT_DEFINE_PAYLOAD (DataSetContainer, data_set_container)

/* get() returns its three list inputs joined: array1 + array2 + array3. */
static gboolean
concat_arrays (WtFactory  *self,
               GValue     *output,
               GError    **error)
{
  g_autoptr(GStrvBuilder) b = g_strv_builder_new ();
  const char *slots[] = { "array1", "array2", "array3" };

  for (guint i = 0; i < G_N_ELEMENTS (slots); i++)
    {
      const GValue *v = setl_factory_get_input (SETL_FACTORY (self), slots[i]);

      g_strv_builder_addv (b, (const char **) g_value_get_boxed (v));
    }
  g_value_take_boxed (output, g_strv_builder_end (b));
  return TRUE;
}

WT_DEFINE_FACTORY_FULL (MultipleInputFactory, multiple_input_factory, G_TYPE_STRV, concat_arrays,
  setl_factory_add_input (factory, "array1", G_TYPE_STRV, SETL_TYPE_EXTERNAL, "first");
  setl_factory_add_input (factory, "array2", G_TYPE_STRV, SETL_TYPE_EXTERNAL, "second");
  setl_factory_add_input (factory, "array3", G_TYPE_STRV, SETL_TYPE_EXTERNAL, NULL);)

/* get() returns what its output_delivery slot received. */
static gboolean
echo_output_delivery (WtFactory  *self,
                      GValue     *output,
                      GError    **error)
{
  g_value_copy (setl_factory_get_input (SETL_FACTORY (self), "output_delivery"), output);
  return TRUE;
}

WT_DEFINE_FACTORY_FULL (MyFactory, my_factory, container_product23_get_type (), echo_output_delivery,
  setl_factory_add_input (factory, "input_delivery", container2_product_get_type (),
                          SETL_TYPE_EXTERNAL, NULL);
  setl_factory_add_input (factory, "output_delivery", container_product23_get_type (),
                          SETL_TYPE_EXTERNAL, NULL);)

WT_DEFINE_FACTORY_FULL (MyFactory2, my_factory2, data_set_product23_get_type (), echo_output_delivery,
  setl_factory_add_input (factory, "input_delivery", data_set_product_get_type (),
                          SETL_TYPE_EXTERNAL, NULL);
  setl_factory_add_input (factory, "output_delivery", data_set_product23_get_type (),
                          SETL_TYPE_EXTERNAL, NULL);)

WT_DEFINE_FACTORY (StringFactory, string_factory, G_TYPE_STRING)
WT_DEFINE_FACTORY (OtherStringFactory, other_string_factory, G_TYPE_STRING)

WT_DEFINE_FACTORY (MultipleStringInputsFactory, multiple_string_inputs_factory, G_TYPE_STRING,
  setl_factory_add_input (factory, "input1_delivery", G_TYPE_STRING,
                          string_factory_get_type (), NULL);
  setl_factory_add_input (factory, "input2_delivery", G_TYPE_STRING,
                          string_factory_get_type (), NULL);)

/* Python's built-in types, as GTypes: int → gint64, float → double,
 * complex → a (dd) GVariant, bool, str, bytes → GBytes, list[int] → GArray. */
WT_DEFINE_FACTORY (BuiltinsFactory, builtins_factory, G_TYPE_STRING,
  setl_factory_add_input (factory, "int_delivery", G_TYPE_INT64, SETL_TYPE_EXTERNAL, NULL);
  setl_factory_add_input (factory, "float_delivery", G_TYPE_DOUBLE, SETL_TYPE_EXTERNAL, NULL);
  setl_factory_add_input (factory, "complex_delivery", G_TYPE_VARIANT, SETL_TYPE_EXTERNAL, NULL);
  setl_factory_add_input (factory, "bool_delivery", G_TYPE_BOOLEAN, SETL_TYPE_EXTERNAL, NULL);
  setl_factory_add_input (factory, "str_delivery", G_TYPE_STRING, SETL_TYPE_EXTERNAL, NULL);
  setl_factory_add_input (factory, "bytes_delivery", G_TYPE_BYTES, SETL_TYPE_EXTERNAL, NULL);
  setl_factory_add_input (factory, "list_delivery", G_TYPE_ARRAY, SETL_TYPE_EXTERNAL, NULL);)

/* For libsetl's own rules. */
WT_DEFINE_FACTORY (NamedProducerFactory, named_producer_factory, G_TYPE_STRING,
  setl_factory_add_input (factory, "from_string_factory", G_TYPE_STRING,
                          string_factory_get_type (), NULL);)
WT_DEFINE_FACTORY (ExactTypeFactory, exact_type_factory, G_TYPE_STRING,
  setl_factory_add_input (factory, "number", G_TYPE_INT64, SETL_TYPE_EXTERNAL, NULL);
  setl_factory_add_input (factory, "record", WT_TYPE_PAYLOAD, SETL_TYPE_EXTERNAL, NULL);)

static const char *const ab[] = { "a", "b", NULL };
static const char *const one_two[] = { "1", "2", NULL };
static const char *const xy[] = { "x", "y", NULL };
static const char *const mn[] = { "m", "n", NULL };

static SetlDeliverable *
strv_with_consumer (const char *const *value,
                    GType              producer,
                    GType              consumer)
{
  SetlDeliverable *d = wt_deliverable_strv (value, producer, NULL);

  setl_deliverable_add_consumer (d, consumer);
  return d;
}

static void
add_and_unref (SetlDispatcher  *dispatcher,
               SetlDeliverable *deliverable)
{
  setl_dispatcher_add_deliverable (dispatcher, deliverable);
  g_object_unref (deliverable);
}

/* test_dispatcher: each slot receives the deliverable of its exact type;
 * finding by type and by type name; collecting what a stage delivered. */
static void
test_dispatcher (void)
{
  g_autoptr(GObject) p = wt_payload_new (product_get_type (), "1", NULL, NULL);
  g_autoptr(GObject) p23 = wt_payload_new (product23_get_type (), "1", NULL, NULL);
  g_autoptr(GObject) cont_prod = wt_payload_new (container_product_get_type (), NULL, NULL, p);
  g_autoptr(GObject) cont2_prod = wt_payload_new (container2_product_get_type (), NULL, NULL, p);
  g_autoptr(GObject) cont_prod2 = wt_payload_new (container_product23_get_type (), NULL, NULL, p23);
  g_autoptr(GObject) cont2_prod2 = wt_payload_new (container2_product23_get_type (), NULL, NULL, p23);
  g_autoptr(SetlDispatcher) dispatcher = setl_dispatcher_new ();
  g_autoptr(SetlDispatcher) dispatcher2 = setl_dispatcher_new ();
  g_autoptr(SetlFactory) factory = g_object_new (my_factory_get_type (), NULL);
  g_autoptr(SetlStage) stage = setl_stage_new ();
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *delivered;

  add_and_unref (dispatcher, wt_deliverable_object (cont_prod, G_TYPE_NONE, NULL));
  add_and_unref (dispatcher, wt_deliverable_object (cont2_prod, G_TYPE_NONE, NULL));
  add_and_unref (dispatcher, wt_deliverable_object (cont_prod2, G_TYPE_NONE, NULL));
  add_and_unref (dispatcher, wt_deliverable_object (cont2_prod2, G_TYPE_NONE, NULL));
  g_assert_true (setl_dispatcher_dispatch (dispatcher, factory, &error));
  g_assert_no_error (error);

  found = setl_dispatcher_find (dispatcher, container_product_get_type (), NULL, G_TYPE_INVALID);
  g_assert_cmpuint (found->len, ==, 1);
  g_clear_pointer (&found, g_ptr_array_unref);
  /* find_deliverable_by_name("Container[Product]"): by the type's name. */
  found = setl_dispatcher_find (dispatcher, g_type_from_name ("ContainerProduct"), NULL,
                                G_TYPE_INVALID);
  g_assert_cmpuint (found->len, ==, 1);
  g_assert_true (g_value_get_object (setl_deliverable_get_payload (found->pdata[0])) == cont_prod);
  g_clear_pointer (&found, g_ptr_array_unref);

  g_assert_true (setl_factory_get_input_object (factory, "input_delivery") == cont2_prod);
  g_assert_true (setl_factory_get_input_object (factory, "output_delivery") == cont_prod2);

  setl_stage_add_factory (stage, factory);
  g_assert_true (setl_stage_run (stage, NULL, &error));
  g_assert_no_error (error);

  found = setl_dispatcher_find (dispatcher2, container_product23_get_type (), NULL, G_TYPE_INVALID);
  g_assert_cmpuint (found->len, ==, 0);
  g_clear_pointer (&found, g_ptr_array_unref);

  /* collect_stage_deliverables(stage) */
  delivered = setl_stage_get_deliverables (stage);
  g_assert_cmpuint (delivered->len, ==, 1);
  for (guint i = 0; i < delivered->len; i++)
    setl_dispatcher_add_deliverable (dispatcher2, delivered->pdata[i]);

  found = setl_dispatcher_find (dispatcher2, container_product23_get_type (), NULL, G_TYPE_INVALID);
  g_assert_cmpuint (found->len, ==, 1);
  g_assert_true (setl_deliverable_get_producer (found->pdata[0]) == my_factory_get_type ());
  g_assert_true (g_value_get_object (setl_deliverable_get_payload (found->pdata[0])) == cont_prod2);
}

static GObject *
data_set (GType       type,
          const char *rows)
{
  WtPayload *ds = wt_payload_new (type, rows, NULL, NULL);
  g_auto(GStrv) split = g_strsplit (rows, ",", -1);

  ds->n = (gint64) g_strv_length (split);
  return G_OBJECT (ds);
}

static gboolean
has_row (gpointer    ds,
         const char *row)
{
  g_auto(GStrv) rows = g_strsplit (WT_PAYLOAD (ds)->x, ",", -1);

  return g_strv_contains ((const char * const *) rows, row);
}

/* test_dispatcher_dataset: three data sets of different schemas; each slot
 * gets the one of its schema. */
static void
test_dispatcher_dataset (void)
{
  g_autoptr(GObject) products = data_set (data_set_product_get_type (), "a,b");
  g_autoptr(GObject) products23 = data_set (data_set_product23_get_type (), "a2,b2");
  g_autoptr(GObject) containers = data_set (data_set_container_get_type (), "a2,b2");
  g_autoptr(SetlDispatcher) dispatcher = setl_dispatcher_new ();
  g_autoptr(SetlFactory) factory = g_object_new (my_factory2_get_type (), NULL);
  g_autoptr(GError) error = NULL;
  gpointer input, output;

  add_and_unref (dispatcher, wt_deliverable_object (products, G_TYPE_NONE, NULL));
  add_and_unref (dispatcher, wt_deliverable_object (products23, G_TYPE_NONE, NULL));
  add_and_unref (dispatcher, wt_deliverable_object (containers, G_TYPE_NONE, NULL));
  g_assert_true (setl_dispatcher_dispatch (dispatcher, factory, &error));
  g_assert_no_error (error);

  input = setl_factory_get_input_object (factory, "input_delivery");
  output = setl_factory_get_input_object (factory, "output_delivery");
  g_assert_cmpint (WT_PAYLOAD (input)->n, ==, 2);
  g_assert_true (has_row (input, "a"));
  g_assert_false (has_row (input, "a2"));
  g_assert_cmpint (WT_PAYLOAD (output)->n, ==, 2);
  g_assert_true (has_row (output, "a2"));
  g_assert_true (has_row (output, "b2"));
  g_assert_false (has_row (output, "a"));
  g_assert_true (output == (gpointer) products23);
}

/* test_dispatcher_same_deliverable_exception: PySetl raises
 * AlreadyExistsException; adding the same deliverable twice is a
 * programmer error in libsetl (a critical), and the second add is refused. */
static void
test_dispatcher_same_deliverable (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr(SetlDispatcher) dispatcher = setl_dispatcher_new ();
      g_autoptr(SetlDeliverable) str = wt_deliverable_string ("String", G_TYPE_NONE, NULL);

      setl_dispatcher_add_deliverable (dispatcher, str);
      setl_dispatcher_add_deliverable (dispatcher, str);
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();
  g_test_trap_assert_stderr ("*CRITICAL*setl_dispatcher_add_deliverable: assertion*failed*");
}

/* The same, without aborting: the copy is not added. */
static void
test_dispatcher_same_deliverable_refused (void)
{
  g_autoptr(SetlDispatcher) dispatcher = setl_dispatcher_new ();
  g_autoptr(SetlDeliverable) str = wt_deliverable_string ("String", G_TYPE_NONE, NULL);

  setl_dispatcher_add_deliverable (dispatcher, str);
  g_test_expect_message ("Setl", G_LOG_LEVEL_CRITICAL, "setl_dispatcher_add_deliverable: assertion*");
  setl_dispatcher_add_deliverable (dispatcher, str);
  g_test_assert_expected_messages ();
  g_assert_cmpuint (setl_dispatcher_get_deliverables (dispatcher)->len, ==, 1);
}

/* test_dispatcher_multiple_matches: two strings from StringFactory, both for
 * MultipleStringInputsFactory, whose slots name StringFactory. */
static void
test_dispatcher_multiple_matches (void)
{
  g_autoptr(SetlDispatcher) dispatcher = setl_dispatcher_new ();
  g_autoptr(SetlFactory) factory = g_object_new (multiple_string_inputs_factory_get_type (), NULL);
  g_autoptr(GError) error = NULL;

  for (int i = 0; i < 2; i++)
    {
      SetlDeliverable *d = wt_deliverable_string ("String", string_factory_get_type (), NULL);

      setl_deliverable_add_consumer (d, multiple_string_inputs_factory_get_type ());
      add_and_unref (dispatcher, d);
    }

  g_assert_false (setl_dispatcher_dispatch (dispatcher, factory, &error));
  g_assert_error (error, SETL_PIPELINE_ERROR, SETL_PIPELINE_ERROR_AMBIGUOUS_DELIVERY);
  g_assert_nonnull (strstr (error->message, "factory “MultipleStringInputsFactory” input “input1_delivery”"));
  g_assert_nonnull (strstr (error->message, "2 candidates"));
  g_assert_nonnull (strstr (error->message, "the output of StringFactory"));
}

/* test_dispatcher_no_matched_producer: only a string is available; the
 * factory wants lists ("Cannot find type list[str]"). */
static void
test_dispatcher_no_matched_producer (void)
{
  g_autoptr(SetlDispatcher) dispatcher = setl_dispatcher_new ();
  g_autoptr(SetlFactory) factory = g_object_new (multiple_input_factory_get_type (), NULL);
  g_autoptr(GError) error = NULL;
  SetlDeliverable *d = wt_deliverable_string ("String", multiple_string_inputs_factory_get_type (), NULL);

  setl_deliverable_add_consumer (d, multiple_string_inputs_factory_get_type ());
  add_and_unref (dispatcher, d);

  g_assert_false (setl_dispatcher_dispatch (dispatcher, factory, &error));
  g_assert_error (error, SETL_PIPELINE_ERROR, SETL_PIPELINE_ERROR_MISSING_DELIVERY);
  g_assert_nonnull (strstr (error->message, "factory “MultipleInputFactory” input “array1” (GStrv"));
}

/* test_dispatcher_builtins */
static void
test_dispatcher_builtins (void)
{
  g_autoptr(SetlDispatcher) dispatcher = setl_dispatcher_new ();
  g_autoptr(SetlFactory) factory = g_object_new (builtins_factory_get_type (), NULL);
  g_autoptr(GBytes) bytes = g_bytes_new_static ("str", 3);
  g_autoptr(GArray) list = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GError) error = NULL;
  gint64 one = 1;
  GValue v = G_VALUE_INIT;
  GVariant *complex;
  double re, im;
  GArray *got;

  g_array_append_val (list, one);
  add_and_unref (dispatcher, wt_deliverable_int64 (1, G_TYPE_NONE, NULL));
  g_value_init (&v, G_TYPE_DOUBLE);
  g_value_set_double (&v, 1.0);
  add_and_unref (dispatcher, setl_deliverable_new (&v, G_TYPE_NONE, NULL));
  g_value_unset (&v);
  g_value_init (&v, G_TYPE_VARIANT);
  g_value_set_variant (&v, g_variant_new ("(dd)", 1.0, 2.0));
  add_and_unref (dispatcher, setl_deliverable_new (&v, G_TYPE_NONE, NULL));
  g_value_unset (&v);
  g_value_init (&v, G_TYPE_BOOLEAN);
  g_value_set_boolean (&v, TRUE);
  add_and_unref (dispatcher, setl_deliverable_new (&v, G_TYPE_NONE, NULL));
  g_value_unset (&v);
  add_and_unref (dispatcher, wt_deliverable_string ("str", G_TYPE_NONE, NULL));
  g_value_init (&v, G_TYPE_BYTES);
  g_value_set_boxed (&v, bytes);
  add_and_unref (dispatcher, setl_deliverable_new (&v, G_TYPE_NONE, NULL));
  g_value_unset (&v);
  g_value_init (&v, G_TYPE_ARRAY);
  g_value_set_boxed (&v, list);
  add_and_unref (dispatcher, setl_deliverable_new (&v, G_TYPE_NONE, NULL));
  g_value_unset (&v);

  g_assert_true (setl_dispatcher_dispatch (dispatcher, factory, &error));
  g_assert_no_error (error);

  g_assert_cmpint (g_value_get_int64 (setl_factory_get_input (factory, "int_delivery")), ==, 1);
  g_assert_cmpfloat (g_value_get_double (setl_factory_get_input (factory, "float_delivery")), ==, 1.0);
  complex = g_value_get_variant (setl_factory_get_input (factory, "complex_delivery"));
  g_variant_get (complex, "(dd)", &re, &im);
  g_assert_cmpfloat (re, ==, 1.0);
  g_assert_cmpfloat (im, ==, 2.0);
  g_assert_true (g_value_get_boolean (setl_factory_get_input (factory, "bool_delivery")));
  g_assert_cmpstr (g_value_get_string (setl_factory_get_input (factory, "str_delivery")), ==, "str");
  g_assert_true (g_bytes_equal (g_value_get_boxed (setl_factory_get_input (factory, "bytes_delivery")),
                                bytes));
  got = g_value_get_boxed (setl_factory_get_input (factory, "list_delivery"));
  g_assert_cmpuint (got->len, ==, 1);
  g_assert_cmpint (g_array_index (got, gint64, 0), ==, 1);
}

/* test_dispatcher_with_delivery_id: the delivery ids pick "first" and
 * "second"; array3 (no id) takes the one deliverable without an id. Then
 * the factory's own output is collected as a deliverable it produced. */
static void
test_dispatcher_with_delivery_id (void)
{
  g_autoptr(SetlDispatcher) dispatcher = setl_dispatcher_new ();
  g_autoptr(SetlFactory) factory = g_object_new (multiple_input_factory_get_type (), NULL);
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GValue) output = G_VALUE_INIT;
  g_autofree char *joined = NULL;
  g_autofree char *collected = NULL;

  add_and_unref (dispatcher, wt_deliverable_strv (ab, G_TYPE_NONE, "first"));
  add_and_unref (dispatcher, wt_deliverable_strv (one_two, G_TYPE_NONE, "second"));
  add_and_unref (dispatcher, wt_deliverable_strv (xy, G_TYPE_NONE, NULL));
  add_and_unref (dispatcher, wt_deliverable_strv (mn, G_TYPE_NONE, "fourth"));
  g_assert_true (setl_dispatcher_dispatch (dispatcher, factory, &error));
  g_assert_no_error (error);

  g_assert_true (wt_factory_run_phases (factory, &output, &error));
  g_assert_no_error (error);
  g_assert_true (setl_dispatcher_collect_factory (dispatcher, factory, &error));
  g_assert_no_error (error);

  found = setl_dispatcher_find (dispatcher, G_TYPE_STRV, NULL, multiple_input_factory_get_type ());
  g_assert_cmpuint (found->len, ==, 1);

  joined = wt_strv_join (&output);
  collected = wt_strv_join (setl_deliverable_get_payload (found->pdata[0]));
  g_assert_cmpstr (joined, ==, "a,b,1,2,x,y");
  g_assert_cmpstr (collected, ==, joined);
}

/* test_dispatcher_delivery_id_exception: two lists without an id for the
 * slot without an id. PySetl answers "Cannot find type list[str]"
 * (NoDeliverableException); libsetl names the real problem: the slot is
 * ambiguous. */
static void
test_dispatcher_delivery_id_exception (void)
{
  g_autoptr(SetlDispatcher) dispatcher = setl_dispatcher_new ();
  g_autoptr(SetlFactory) factory = g_object_new (multiple_input_factory_get_type (), NULL);
  g_autoptr(GError) error = NULL;

  add_and_unref (dispatcher, wt_deliverable_strv (ab, G_TYPE_NONE, "first"));
  add_and_unref (dispatcher, wt_deliverable_strv (one_two, G_TYPE_NONE, "second"));
  add_and_unref (dispatcher, wt_deliverable_strv (xy, G_TYPE_NONE, NULL));
  add_and_unref (dispatcher, wt_deliverable_strv (mn, G_TYPE_NONE, NULL));

  g_assert_false (setl_dispatcher_dispatch (dispatcher, factory, &error));
  g_assert_error (error, SETL_PIPELINE_ERROR, SETL_PIPELINE_ERROR_AMBIGUOUS_DELIVERY);
  g_assert_nonnull (strstr (error->message, "input “array3”"));
  g_assert_nonnull (strstr (error->message, "2 candidates"));
}

/* test_dispatcher_consumer_not_in_deliverable_list: the only list without
 * an id is reserved for MyFactory. */
static void
test_dispatcher_consumer_not_in_list (void)
{
  g_autoptr(SetlDispatcher) dispatcher = setl_dispatcher_new ();
  g_autoptr(SetlFactory) factory = g_object_new (multiple_input_factory_get_type (), NULL);
  g_autoptr(GError) error = NULL;

  add_and_unref (dispatcher, wt_deliverable_strv (ab, G_TYPE_NONE, "first"));
  add_and_unref (dispatcher, wt_deliverable_strv (one_two, G_TYPE_NONE, "second"));
  add_and_unref (dispatcher, strv_with_consumer (xy, G_TYPE_NONE, my_factory_get_type ()));

  g_assert_false (setl_dispatcher_dispatch (dispatcher, factory, &error));
  g_assert_error (error, SETL_PIPELINE_ERROR, SETL_PIPELINE_ERROR_CONSUMER_MISMATCH);
  g_assert_nonnull (strstr (error->message, "input “array3”"));
  g_assert_nonnull (strstr (error->message, "other consumers than MultipleInputFactory"));
}

/* test_dispatcher_multiple_matches_no_producer_matches: two lists from
 * MultipleInputFactory, none external, none for this consumer. PySetl finds
 * no deliverable (NoDeliverableException); libsetl reports the ambiguity. */
static void
test_dispatcher_multiple_matches_no_producer_matches (void)
{
  g_autoptr(SetlDispatcher) dispatcher = setl_dispatcher_new ();
  g_autoptr(SetlFactory) factory = g_object_new (multiple_input_factory_get_type (), NULL);
  g_autoptr(GError) error = NULL;

  add_and_unref (dispatcher, wt_deliverable_strv (ab, G_TYPE_NONE, "first"));
  add_and_unref (dispatcher, wt_deliverable_strv (one_two, G_TYPE_NONE, "second"));
  add_and_unref (dispatcher, wt_deliverable_strv (xy, multiple_input_factory_get_type (), NULL));
  add_and_unref (dispatcher, wt_deliverable_strv (mn, multiple_input_factory_get_type (), NULL));

  g_assert_false (setl_dispatcher_dispatch (dispatcher, factory, &error));
  g_assert_error (error, SETL_PIPELINE_ERROR, SETL_PIPELINE_ERROR_AMBIGUOUS_DELIVERY);
  g_assert_nonnull (strstr (error->message, "the output of MultipleInputFactory, "
                                            "the output of MultipleInputFactory"));
}

/* test_dispatcher_matches_by_producer: of an external list and one
 * produced by a factory, a slot that names no producer takes the external
 * one. */
static void
test_dispatcher_matches_by_producer (void)
{
  g_autoptr(SetlDispatcher) dispatcher = setl_dispatcher_new ();
  g_autoptr(SetlFactory) factory = g_object_new (multiple_input_factory_get_type (), NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *array3 = NULL;

  add_and_unref (dispatcher, wt_deliverable_strv (ab, G_TYPE_NONE, "first"));
  add_and_unref (dispatcher, wt_deliverable_strv (one_two, G_TYPE_NONE, "second"));
  add_and_unref (dispatcher, wt_deliverable_strv (xy, G_TYPE_NONE, NULL));
  add_and_unref (dispatcher, wt_deliverable_strv (mn, multiple_input_factory_get_type (), NULL));

  g_assert_true (setl_dispatcher_dispatch (dispatcher, factory, &error));
  g_assert_no_error (error);
  array3 = wt_strv_join (setl_factory_get_input (factory, "array3"));
  g_assert_cmpstr (array3, ==, "x,y");
}

/* test_dispatcher_matches_by_consumer: of two external lists, the one
 * reserved for this factory. */
static void
test_dispatcher_matches_by_consumer (void)
{
  g_autoptr(SetlDispatcher) dispatcher = setl_dispatcher_new ();
  g_autoptr(SetlFactory) factory = g_object_new (multiple_input_factory_get_type (), NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *array3 = NULL;

  add_and_unref (dispatcher, wt_deliverable_strv (ab, G_TYPE_NONE, "first"));
  add_and_unref (dispatcher, wt_deliverable_strv (one_two, G_TYPE_NONE, "second"));
  add_and_unref (dispatcher, strv_with_consumer (xy, G_TYPE_NONE, multiple_input_factory_get_type ()));
  add_and_unref (dispatcher, wt_deliverable_strv (mn, G_TYPE_NONE, NULL));

  g_assert_true (setl_dispatcher_dispatch (dispatcher, factory, &error));
  g_assert_no_error (error);
  array3 = wt_strv_join (setl_factory_get_input (factory, "array3"));
  g_assert_cmpstr (array3, ==, "x,y");
}

/* libsetl: a slot that names a producer takes only that producer's output —
 * never an external input, never another factory's. */
static void
test_dispatcher_named_producer_only (void)
{
  g_autoptr(SetlDispatcher) dispatcher = setl_dispatcher_new ();
  g_autoptr(SetlFactory) factory = g_object_new (named_producer_factory_get_type (), NULL);
  g_autoptr(SetlDeliverable) wanted = wt_deliverable_string ("wanted", string_factory_get_type (), NULL);
  g_autoptr(GError) error = NULL;

  add_and_unref (dispatcher, wt_deliverable_string ("external", G_TYPE_NONE, NULL));
  add_and_unref (dispatcher, wt_deliverable_string ("other", other_string_factory_get_type (), NULL));
  g_assert_false (setl_dispatcher_dispatch (dispatcher, factory, &error));
  g_assert_error (error, SETL_PIPELINE_ERROR, SETL_PIPELINE_ERROR_MISSING_DELIVERY);
  g_assert_nonnull (strstr (error->message, "from StringFactory"));
  g_clear_error (&error);

  setl_dispatcher_add_deliverable (dispatcher, wanted);
  g_assert_true (setl_dispatcher_dispatch (dispatcher, factory, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (g_value_get_string (setl_factory_get_input (factory, "from_string_factory")), ==,
                   "wanted");
}

/* libsetl: payload types match exactly by GType — a gint deliverable does
 * not fill a gint64 slot, nor a subtype's object a slot of its parent type. */
static void
test_dispatcher_exact_type (void)
{
  g_autoptr(SetlDispatcher) dispatcher = setl_dispatcher_new ();
  g_autoptr(SetlFactory) factory = g_object_new (exact_type_factory_get_type (), NULL);
  g_autoptr(GObject) product = wt_payload_new (product_get_type (), "p", NULL, NULL);
  g_autoptr(GObject) plain = wt_payload_new (WT_TYPE_PAYLOAD, "plain", NULL, NULL);
  g_autoptr(GError) error = NULL;
  GValue v = G_VALUE_INIT;

  g_value_init (&v, G_TYPE_INT);
  g_value_set_int (&v, 7);
  add_and_unref (dispatcher, setl_deliverable_new (&v, G_TYPE_NONE, NULL));
  g_value_unset (&v);
  add_and_unref (dispatcher, wt_deliverable_object (product, G_TYPE_NONE, NULL));

  g_assert_false (setl_dispatcher_dispatch (dispatcher, factory, &error));
  g_assert_error (error, SETL_PIPELINE_ERROR, SETL_PIPELINE_ERROR_MISSING_DELIVERY);
  g_assert_nonnull (strstr (error->message, "input “number” (gint64)"));
  g_clear_error (&error);

  add_and_unref (dispatcher, wt_deliverable_int64 (7, G_TYPE_NONE, NULL));
  g_assert_false (setl_dispatcher_dispatch (dispatcher, factory, &error));
  g_assert_error (error, SETL_PIPELINE_ERROR, SETL_PIPELINE_ERROR_MISSING_DELIVERY);
  g_assert_nonnull (strstr (error->message, "input “record” (WtPayload)"));
  g_clear_error (&error);

  add_and_unref (dispatcher, wt_deliverable_object (plain, G_TYPE_NONE, NULL));
  g_assert_true (setl_dispatcher_dispatch (dispatcher, factory, &error));
  g_assert_no_error (error);
  g_assert_true (setl_factory_get_input_object (factory, "record") == plain);
}

/* libsetl: an optional slot without a match is emptied, not an error. */
static void
test_dispatcher_optional_slot (void)
{
  g_autoptr(SetlDispatcher) dispatcher = setl_dispatcher_new ();
  g_autoptr(SetlFactory) factory = g_object_new (named_producer_factory_get_type (), NULL);
  SetlDelivery *slot = setl_factory_get_delivery (factory, "from_string_factory");
  g_autoptr(GError) error = NULL;
  g_auto(GValue) stale = G_VALUE_INIT;

  g_value_init (&stale, G_TYPE_STRING);
  g_value_set_string (&stale, "stale");
  setl_delivery_set_value (slot, &stale);
  setl_delivery_set_optional (slot, TRUE);

  g_assert_true (setl_dispatcher_dispatch (dispatcher, factory, &error));
  g_assert_no_error (error);
  g_assert_false (setl_delivery_has_value (slot));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/workflow/dispatcher/dispatch", test_dispatcher);
  g_test_add_func ("/workflow/dispatcher/dataset", test_dispatcher_dataset);
  g_test_add_func ("/workflow/dispatcher/same-deliverable", test_dispatcher_same_deliverable);
  g_test_add_func ("/workflow/dispatcher/same-deliverable-refused",
                   test_dispatcher_same_deliverable_refused);
  g_test_add_func ("/workflow/dispatcher/multiple-matches", test_dispatcher_multiple_matches);
  g_test_add_func ("/workflow/dispatcher/no-matched-producer", test_dispatcher_no_matched_producer);
  g_test_add_func ("/workflow/dispatcher/builtins", test_dispatcher_builtins);
  g_test_add_func ("/workflow/dispatcher/with-delivery-id", test_dispatcher_with_delivery_id);
  g_test_add_func ("/workflow/dispatcher/delivery-id-exception", test_dispatcher_delivery_id_exception);
  g_test_add_func ("/workflow/dispatcher/consumer-not-in-list", test_dispatcher_consumer_not_in_list);
  g_test_add_func ("/workflow/dispatcher/multiple-matches-no-producer-matches",
                   test_dispatcher_multiple_matches_no_producer_matches);
  g_test_add_func ("/workflow/dispatcher/matches-by-producer", test_dispatcher_matches_by_producer);
  g_test_add_func ("/workflow/dispatcher/matches-by-consumer", test_dispatcher_matches_by_consumer);
  g_test_add_func ("/workflow/dispatcher/named-producer-only", test_dispatcher_named_producer_only);
  g_test_add_func ("/workflow/dispatcher/exact-type", test_dispatcher_exact_type);
  g_test_add_func ("/workflow/dispatcher/optional-slot", test_dispatcher_optional_slot);

  return g_test_run ();
}
