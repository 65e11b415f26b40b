/* test-factory.c: PySetl tests/workflow/test_factory.py
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "workflow-test-factories.h"

WT_DEFINE_PAYLOAD (CitizenModel, citizen_model)
WT_DEFINE_PAYLOAD (DataSetCitizen, data_set_citizen)

static gboolean
make_gerardo (WtFactory  *self,
              GValue     *output,
              GError    **error)
{
  WtPayload *citizen = wt_payload_new (citizen_model_get_type (), "Gerardo", NULL, NULL);

  citizen->n = 28;
  g_value_take_object (output, citizen);
  return TRUE;
}

WT_DEFINE_FACTORY_FULL (FirstFactory, first_factory, citizen_model_get_type (), make_gerardo)

WT_DEFINE_FACTORY (SecondFactory, second_factory, data_set_citizen_get_type (),
  setl_factory_add_input (factory, "first_citizen", citizen_model_get_type (),
                          first_factory_get_type (), NULL);
  setl_factory_add_input (factory, "external_citizen", citizen_model_get_type (),
                          SETL_TYPE_EXTERNAL, "the good citizen");)

WT_DEFINE_FACTORY (NoTypeFactory, no_type_factory, G_TYPE_NONE)

/* PySetl's CustomFactory(Factory[T]) is generic; InheritedCustomFactory
 * binds T; DeepInheritedFactory inherits the binding. In GObject: an
 * intermediate class without an output type, a subclass that declares one,
 * a subclass of that which declares nothing, and one that overrides it. */
WT_DEFINE_FACTORY (CustomFactory, custom_factory, G_TYPE_NONE)

typedef WtFactory InheritedCustomFactory;
typedef WtFactoryClass InheritedCustomFactoryClass;
GType inherited_custom_factory_get_type (void);
G_DEFINE_TYPE (InheritedCustomFactory, inherited_custom_factory, custom_factory_get_type ())
static void
inherited_custom_factory_class_init (InheritedCustomFactoryClass *klass)
{
  setl_factory_class_set_output_type (SETL_FACTORY_CLASS (klass), data_set_citizen_get_type ());
}
static void inherited_custom_factory_init (InheritedCustomFactory *self) {}

typedef WtFactory DeepInheritedFactory;
typedef WtFactoryClass DeepInheritedFactoryClass;
GType deep_inherited_factory_get_type (void);
G_DEFINE_TYPE (DeepInheritedFactory, deep_inherited_factory, inherited_custom_factory_get_type ())
static void deep_inherited_factory_class_init (DeepInheritedFactoryClass *klass) {}
static void deep_inherited_factory_init (DeepInheritedFactory *self) {}

typedef WtFactory OverridingFactory;
typedef WtFactoryClass OverridingFactoryClass;
GType overriding_factory_get_type (void);
G_DEFINE_TYPE (OverridingFactory, overriding_factory, deep_inherited_factory_get_type ())
static void
overriding_factory_class_init (OverridingFactoryClass *klass)
{
  setl_factory_class_set_output_type (SETL_FACTORY_CLASS (klass), G_TYPE_INT64);
}
static void overriding_factory_init (OverridingFactory *self) {}

/* A factory written straight on SetlFactory, implementing nothing. */
typedef SetlFactory BareFactory;
typedef SetlFactoryClass BareFactoryClass;
GType bare_factory_get_type (void);
G_DEFINE_TYPE (BareFactory, bare_factory, SETL_TYPE_FACTORY)
static void
bare_factory_class_init (BareFactoryClass *klass)
{
  setl_factory_class_set_output_type (klass, G_TYPE_STRING);
}
static void bare_factory_init (BareFactory *self) {}

/* test_factory: output types, the output after read/process/write, and the
 * declared input slots. */
static void
test_factory (void)
{
  g_autoptr(SetlFactory) first = g_object_new (first_factory_get_type (), NULL);
  g_autoptr(SetlFactory) second = g_object_new (second_factory_get_type (), NULL);
  g_autoptr(SetlFactory) another_first = g_object_new (first_factory_get_type (), NULL);
  g_autoptr(GError) error = NULL;
  g_auto(GValue) output = G_VALUE_INIT;
  GPtrArray *slots;
  WtPayload *citizen;
  GType output_type = G_TYPE_INVALID;

  g_assert_true (setl_factory_get_output_type (first) == citizen_model_get_type ());
  g_assert_true (setl_factory_get_output_type (second) == data_set_citizen_get_type ());
  g_object_get (second, "output-type", &output_type, NULL);
  g_assert_true (output_type == data_set_citizen_get_type ());

  /* PySetl's uuid: every instance is its own factory. The name defaults to
   * the type name and is what messages use. */
  g_assert_true (first != another_first);
  g_assert_cmpstr (setl_factory_get_name (first), ==, "FirstFactory");
  g_assert_cmpstr (setl_factory_get_name (second), ==, "SecondFactory");

  g_assert_true (wt_factory_run_phases (first, &output, &error));
  g_assert_no_error (error);
  citizen = g_value_get_object (&output);
  g_assert_true (G_TYPE_CHECK_INSTANCE_TYPE (citizen, citizen_model_get_type ()));
  g_assert_cmpstr (citizen->x, ==, "Gerardo");
  g_assert_cmpint (citizen->n, ==, 28);

  /* expected_deliveries(): libsetl keeps declaration order, where PySetl
   * sorts by attribute name ([External, FirstFactory]). */
  slots = setl_factory_get_deliveries (second);
  g_assert_cmpuint (slots->len, ==, 2);
  g_assert_true (setl_delivery_get_payload_type (slots->pdata[0]) == citizen_model_get_type ());
  g_assert_true (setl_delivery_get_payload_type (slots->pdata[1]) == citizen_model_get_type ());
  g_assert_true (setl_delivery_get_producer (slots->pdata[0]) == first_factory_get_type ());
  g_assert_true (setl_delivery_get_producer (slots->pdata[1]) == SETL_TYPE_EXTERNAL);
  g_assert_cmpstr (setl_delivery_get_delivery_id (slots->pdata[1]), ==, "the good citizen");
}

/* test_no_type_factory: a factory that declares no output type. PySetl
 * raises when asked for its type; libsetl answers G_TYPE_NONE, and getting
 * its output fails with an error that names it. */
static void
test_no_type_factory (void)
{
  g_autoptr(SetlFactory) factory = g_object_new (no_type_factory_get_type (), NULL);
  g_autoptr(GError) error = NULL;
  g_auto(GValue) output = G_VALUE_INIT;

  g_assert_true (setl_factory_get_output_type (factory) == G_TYPE_NONE);
  g_assert_false (wt_factory_run_phases (factory, &output, &error));
  g_assert_error (error, SETL_PIPELINE_ERROR, SETL_PIPELINE_ERROR_INVALID_PAYLOAD);
  g_assert_nonnull (strstr (error->message, "“NoTypeFactory” (NoTypeFactory) declares no usable output type"));
  g_assert_false (G_IS_VALUE (&output));
}

/* test_inherited_custom_factory */
static void
test_inherited_custom_factory (void)
{
  g_autoptr(SetlFactory) custom = g_object_new (custom_factory_get_type (), NULL);
  g_autoptr(SetlFactory) inherited = g_object_new (inherited_custom_factory_get_type (), NULL);

  g_assert_true (setl_factory_get_output_type (custom) == G_TYPE_NONE);
  g_assert_true (setl_factory_get_output_type (inherited) == data_set_citizen_get_type ());
}

/* test_deep_inherited_factory; and a subclass may declare its own type. */
static void
test_deep_inherited_factory (void)
{
  g_autoptr(SetlFactory) deep = g_object_new (deep_inherited_factory_get_type (), NULL);
  g_autoptr(SetlFactory) overriding = g_object_new (overriding_factory_get_type (), NULL);
  g_autoptr(SetlFactory) inherited = g_object_new (inherited_custom_factory_get_type (), NULL);

  g_assert_true (setl_factory_get_output_type (deep) == data_set_citizen_get_type ());
  g_assert_true (setl_factory_get_output_type (overriding) == G_TYPE_INT64);
  /* Overriding in a subclass leaves the parent alone. */
  g_assert_true (setl_factory_get_output_type (inherited) == data_set_citizen_get_type ());
}

/* PySetl's get() returning None: no output is an error, not a NULL
 * payload passed downstream. The same for a factory without get(), and
 * for one returning another type than it declares. */
static void
test_factory_bad_outputs (void)
{
  g_autoptr(SetlFactory) bare = g_object_new (bare_factory_get_type (), NULL);
  g_autoptr(SetlFactory) none = g_object_new (first_factory_get_type (), NULL);
  g_autoptr(SetlFactory) liar = g_object_new (first_factory_get_type (), NULL);
  g_autoptr(GError) error = NULL;
  g_auto(GValue) output = G_VALUE_INIT;

  g_assert_false (setl_factory_get (bare, &output, &error));
  g_assert_error (error, SETL_PIPELINE_ERROR, SETL_PIPELINE_ERROR_NO_OUTPUT);
  g_assert_nonnull (strstr (error->message, "does not implement get()"));
  g_clear_error (&error);

  /* The process phase never ran: nothing to return. */
  g_assert_false (setl_factory_get (none, &output, &error));
  g_assert_error (error, SETL_PIPELINE_ERROR, SETL_PIPELINE_ERROR_NO_OUTPUT);
  g_assert_nonnull (strstr (error->message, "“FirstFactory”"));
  g_assert_false (G_IS_VALUE (&output));
  g_clear_error (&error);

  wt_factory_set_output_string (WT_FACTORY (liar), "not a citizen");
  g_assert_false (setl_factory_get (liar, &output, &error));
  g_assert_error (error, SETL_PIPELINE_ERROR, SETL_PIPELINE_ERROR_INVALID_PAYLOAD);
  g_assert_nonnull (strstr (error->message, "gchararray"));
  g_assert_nonnull (strstr (error->message, "CitizenModel"));
  g_assert_false (G_IS_VALUE (&output));
}

/* A factory is configured through properties, with PySetl's defaults:
 * writable, no delivery id, named after its type. */
static void
test_factory_properties (void)
{
  g_autoptr(SetlFactory) factory = g_object_new (first_factory_get_type (),
                                                 "name", "first", "delivery-id", "id",
                                                 "writable", FALSE, NULL);
  g_autoptr(SetlFactory) plain = g_object_new (first_factory_get_type (), NULL);
  const GType *consumers;
  guint n;

  g_assert_cmpstr (setl_factory_get_name (factory), ==, "first");
  g_assert_cmpstr (setl_factory_get_delivery_id (factory), ==, "id");
  g_assert_false (setl_factory_get_writable (factory));

  g_assert_cmpstr (setl_factory_get_delivery_id (plain), ==, "");
  g_assert_true (setl_factory_get_writable (plain));
  setl_factory_set_name (plain, NULL);
  g_assert_cmpstr (setl_factory_get_name (plain), ==, "FirstFactory");

  setl_factory_add_consumer (plain, second_factory_get_type ());
  setl_factory_add_consumer (plain, second_factory_get_type ());
  consumers = setl_factory_get_consumers (plain, &n);
  g_assert_cmpuint (n, ==, 1);
  g_assert_true (consumers[0] == second_factory_get_type ());
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/workflow/factory/factory", test_factory);
  g_test_add_func ("/workflow/factory/no-type", test_no_type_factory);
  g_test_add_func ("/workflow/factory/inherited-custom", test_inherited_custom_factory);
  g_test_add_func ("/workflow/factory/deep-inherited", test_deep_inherited_factory);
  g_test_add_func ("/workflow/factory/bad-outputs", test_factory_bad_outputs);
  g_test_add_func ("/workflow/factory/properties", test_factory_properties);

  return g_test_run ();
}
