/* version-plugin.c: a test plugin built twice, as version 1.0 (v1/) and
 * 2.0 (v2/) of the same plugin, so that the cache tests can check that a
 * new version of a plugin changes the keys of its factories.
 *
 * Its one feature, "cache-test-numbers", delivers the integers 1 … count
 * as a one-column table.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <setl/setl-plugin.h>

#define CACHE_TEST_TYPE_NUMBERS (cache_test_numbers_get_type ())
G_DECLARE_FINAL_TYPE (CacheTestNumbers, cache_test_numbers, CACHE_TEST, NUMBERS, SetlFactory)

struct _CacheTestNumbers
{
  SetlFactory parent_instance;
  guint count;
};

G_DEFINE_FINAL_TYPE (CacheTestNumbers, cache_test_numbers, SETL_TYPE_FACTORY)

static void
cache_test_numbers_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  g_value_set_uint (value, CACHE_TEST_NUMBERS (object)->count);
}

static void
cache_test_numbers_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  CACHE_TEST_NUMBERS (object)->count = g_value_get_uint (value);
}

static gboolean
cache_test_numbers_get (SetlFactory *factory, GValue *output, GError **error)
{
  CacheTestNumbers *self = CACHE_TEST_NUMBERS (factory);
  g_autoptr(SetlColumnBuilder) b = setl_column_builder_new (SETL_DATA_TYPE_INT64);
  g_autoptr(SetlField) field = setl_field_new ("n", SETL_DATA_TYPE_INT64, FALSE);
  g_autoptr(SetlColumn) column = NULL;
  g_autoptr(SetlRecordBatch) batch = NULL;

  for (guint i = 1; i <= self->count; i++)
    setl_column_builder_append_int64 (b, i);
  if ((column = setl_column_builder_finish (b, error)) == NULL ||
      (batch = setl_record_batch_new (&field, 1, &column, 1, error)) == NULL)
    return FALSE;
  g_value_take_object (output, setl_table_new_from_batch (batch));
  return TRUE;
}

static void
cache_test_numbers_class_init (CacheTestNumbersClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = cache_test_numbers_get_property;
  object_class->set_property = cache_test_numbers_set_property;
  SETL_FACTORY_CLASS (klass)->get = cache_test_numbers_get;
  setl_factory_class_set_output_type (SETL_FACTORY_CLASS (klass), SETL_TYPE_BATCH_STREAM);
  g_object_class_install_property (object_class, 1,
    g_param_spec_uint ("count", "Count", "How many numbers", 0, 1000000, 3,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS));
}

static void
cache_test_numbers_init (CacheTestNumbers *self)
{
}

static gboolean
plugin_init (SetlPlugin *plugin, GError **error)
{
  return setl_plugin_add_feature (plugin, "cache-test-numbers", SETL_FEATURE_KIND_SOURCE,
                                  CACHE_TEST_TYPE_NUMBERS, SETL_RANK_PRIMARY, NULL,
                                  "The integers 1 … count", error);
}

SETL_PLUGIN_DEFINE ("cache-test", CACHE_TEST_VERSION, "Cache tests: a versioned source",
                    "LGPL-2.1-or-later", "libsetl tests", plugin_init)
