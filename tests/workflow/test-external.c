/* test-external.c: PySetl tests/workflow/test_external.py
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "workflow-test-factories.h"

WT_DEFINE_FACTORY (SomeFactory, some_factory, G_TYPE_STRING)

/* test_external: External().delivery_type() is External. In libsetl the
 * marker is a type, SETL_TYPE_EXTERNAL, used where a producer type goes. */
static void
test_external_marker (void)
{
  GType external = SETL_TYPE_EXTERNAL;

  g_assert_true (external != G_TYPE_INVALID);
  g_assert_cmpstr (g_type_name (external), ==, "SetlExternal");
  g_assert_true (g_type_is_a (external, G_TYPE_OBJECT));
  g_assert_true (G_TYPE_IS_FINAL (external));
  /* External is not a factory: nothing can subclass it to pose as one. */
  g_assert_false (g_type_is_a (external, SETL_TYPE_FACTORY));
  /* Same type every time: a singleton in the sense PySetl means. */
  g_assert_true (SETL_TYPE_EXTERNAL == external);
}

/* A producer left out, or given as G_TYPE_NONE or SETL_TYPE_EXTERNAL, means
 * External on both sides: slots accept any producer, deliverables come from
 * outside the pipeline. */
static void
test_external_default_producer (void)
{
  GType producers[] = { G_TYPE_NONE, G_TYPE_INVALID, SETL_TYPE_EXTERNAL };

  for (guint i = 0; i < G_N_ELEMENTS (producers); i++)
    {
      g_autoptr(SetlDelivery) slot = setl_delivery_new ("s", G_TYPE_STRING, producers[i], NULL);
      g_autoptr(SetlDeliverable) d = wt_deliverable_string ("x", producers[i], NULL);

      g_assert_true (setl_delivery_get_producer (slot) == SETL_TYPE_EXTERNAL);
      g_assert_false (setl_delivery_has_producer (slot));
      g_assert_true (setl_deliverable_get_producer (d) == SETL_TYPE_EXTERNAL);
      g_assert_true (setl_deliverable_is_external (d));
    }

  {
    g_autoptr(SetlDeliverable) d = wt_deliverable_string ("x", some_factory_get_type (), NULL);

    g_assert_false (setl_deliverable_is_external (d));
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/workflow/external/marker", test_external_marker);
  g_test_add_func ("/workflow/external/default-producer", test_external_default_producer);

  return g_test_run ();
}
