/* test-cache.c: cache keys, the memory cache policy and a pipeline that
 * reuses its results — with the real jsonl, transforms and cache-memory
 * modules, found by the registry.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <setl/setl-plugin.h>
#include <setl/setl-validation.h>
#include <glib/gstdio.h>

/* ----------------------------------------------------------------------- */
/* Helpers                                                                  */

static SetlCachePolicy *
new_memory_cache (guint64 max_size,
                  guint64 ttl)
{
  g_autoptr(GError) error = NULL;
  SetlPluginFeature *feature =
    setl_plugin_registry_lookup_feature (setl_plugin_registry_get_default (), "memory");
  GObject *policy;

  g_assert_nonnull (feature);
  g_assert_cmpint (setl_plugin_feature_get_kind (feature), ==, SETL_FEATURE_KIND_CACHE_POLICY);
  policy = setl_plugin_feature_create (feature, &error);
  g_assert_no_error (error);
  g_assert_true (SETL_IS_CACHE_POLICY (policy));
  setl_cache_policy_set_max_size (SETL_CACHE_POLICY (policy), max_size);
  setl_cache_policy_set_ttl (SETL_CACHE_POLICY (policy), ttl);
  return SETL_CACHE_POLICY (policy);
}

static SetlFactory *
make (SetlPipeline *p,
      const char   *feature,
      const char   *name,
      const char   *input_from,
      const char   *first_property,
      ...)
{
  g_autoptr(GError) error = NULL;
  SetlFactory *f = setl_plugin_registry_create_factory (setl_plugin_registry_get_default (),
                                                        feature, &error);
  va_list args;

  g_assert_no_error (error);
  setl_factory_set_name (f, name);
  setl_factory_set_delivery_id (f, name);
  if (input_from != NULL)
    setl_delivery_set_delivery_id (setl_factory_get_delivery (f, "in"), input_from);
  va_start (args, first_property);
  if (first_property != NULL)
    g_object_set_valist (G_OBJECT (f), first_property, args);
  va_end (args);
  setl_pipeline_add_factory (p, f);
  g_object_unref (f);   /* the pipeline's stage holds it */
  return f;
}

static void
write_file (const char *path,
            const char *content)
{
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, content, -1, &error);
  g_assert_no_error (error);
}

/* Rewrites @path with @content and makes sure its fingerprint changes
 * even on a file system with coarse timestamps. */
static void
rewrite_file (const char *path,
              const char *content)
{
  g_autofree char *before = setl_cache_file_fingerprint (path);
  g_autofree char *tmp = g_strconcat (path, ".new", NULL);

  write_file (tmp, content);
  g_assert_cmpint (g_rename (tmp, path), ==, 0);   /* a new inode */
  {
    g_autofree char *after = setl_cache_file_fingerprint (path);
    g_assert_cmpstr (before, !=, after);
  }
}

static SetlFactoryStatus
status_of (SetlPipeline *p,
           const char   *name)
{
  SetlFactoryResult *r = setl_run_report_find (setl_pipeline_get_report (p), name);

  g_assert_nonnull (r);
  return setl_factory_result_get_status (r);
}

static SetlCacheMissReason
reason_of (SetlPipeline *p,
           const char   *name)
{
  return setl_factory_result_get_cache_reason (setl_run_report_find (setl_pipeline_get_report (p), name));
}

#define assert_status(p, name, st) \
  g_assert_cmpstr (setl_factory_status_to_string (status_of (p, name)), ==, \
                   setl_factory_status_to_string (st))

static char *
read_file (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *content = NULL;

  g_file_get_contents (path, &content, NULL, &error);
  g_assert_no_error (error);
  return content;
}

/* Two branches joined:  a → fa ─┐
 *                               ├→ both → out
 *                       b → fb ─┘                                          */
typedef struct {
  char *dir;
  char *a, *b, *out;
  char *where_a;
} Fixture;

static void
fixture_set_up (Fixture       *fx,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fx->dir = g_dir_make_tmp ("setl-cache-XXXXXX", &error);
  g_assert_no_error (error);
  fx->a = g_build_filename (fx->dir, "a.jsonl", NULL);
  fx->b = g_build_filename (fx->dir, "b.jsonl", NULL);
  fx->out = g_build_filename (fx->dir, "out.jsonl", NULL);
  fx->where_a = g_strdup ("age >= 18");
  write_file (fx->a, "{\"name\":\"ann\",\"age\":34}\n{\"name\":\"bob\",\"age\":17}\n"
                     "{\"name\":\"cat\",\"age\":52}\n");
  write_file (fx->b, "{\"name\":\"dan\",\"age\":40}\n{\"name\":\"eve\",\"age\":12}\n");
}

static void
fixture_tear_down (Fixture       *fx,
                   gconstpointer  data)
{
  const char *name;
  g_autoptr(GDir) d = g_dir_open (fx->dir, 0, NULL);

  while (d && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (fx->dir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (fx->dir);
  g_free (fx->dir);
  g_free (fx->a);
  g_free (fx->b);
  g_free (fx->out);
  g_free (fx->where_a);
}

static void
next_stage (SetlPipeline *p)
{
  g_autoptr(SetlStage) stage = setl_stage_new ();

  setl_pipeline_add_stage (p, stage);
}

/* A fresh pipeline, as `setl run` builds one for each run. */
static SetlPipeline *
build (Fixture         *fx,
       SetlCachePolicy *policy)
{
  SetlPipeline *p = setl_pipeline_new ("two-branches");
  SetlFactory *both;

  make (p, "jsonl-source", "a", NULL, "path", fx->a, NULL);
  make (p, "jsonl-source", "b", NULL, "path", fx->b, NULL);
  next_stage (p);
  make (p, "filter", "fa", "a", "where", fx->where_a, NULL);
  make (p, "filter", "fb", "b", "where", "age >= 18", NULL);
  next_stage (p);
  both = make (p, "union", "both", NULL, "inputs", 2, NULL);
  setl_delivery_set_delivery_id (setl_factory_get_delivery (both, "in1"), "fa");
  setl_delivery_set_delivery_id (setl_factory_get_delivery (both, "in2"), "fb");
  next_stage (p);
  make (p, "jsonl-sink", "out", "both", "path", fx->out, NULL);
  if (policy != NULL)
    setl_pipeline_set_cache_policy (p, policy);
  return p;
}

static const char *all[] = { "a", "b", "fa", "fb", "both", "out", NULL };

static void
run_ok (SetlPipeline *p)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (setl_pipeline_run (p, NULL, &error));
  g_assert_no_error (error);
}

/* ----------------------------------------------------------------------- */
/* Keys and hashes                                                          */

static void
test_key_digest (void)
{
  g_autoptr(SetlCacheKey) k1 = setl_cache_key_new ("p/f");
  g_autoptr(SetlCacheKey) k2 = setl_cache_key_new ("p/f");
  g_autoptr(SetlCacheKey) k3 = setl_cache_key_new ("p/f");
  g_autoptr(SetlCacheKey) k4 = setl_cache_key_new ("other/g");
  g_autoptr(SetlCacheKey) back = NULL;
  g_autoptr(GVariant) v = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) diff = NULL;

  setl_cache_key_add (k1, "ab", "c");
  setl_cache_key_add (k2, "ab", "c");
  setl_cache_key_add (k3, "a", "bc");   /* same bytes run together */
  setl_cache_key_add (k4, "ab", "c");

  g_assert_true (setl_cache_digest_is_valid (setl_cache_key_get_digest (k1)));
  g_assert_cmpstr (setl_cache_key_get_digest (k1), ==, setl_cache_key_get_digest (k2));
  g_assert_cmpstr (setl_cache_key_get_digest (k1), !=, setl_cache_key_get_digest (k3));
  /* The subject is not hashed: the same computation shares an entry. */
  g_assert_cmpstr (setl_cache_key_get_digest (k1), ==, setl_cache_key_get_digest (k4));
  g_assert_cmpstr (setl_cache_key_lookup (k1, "format"), ==, "1");
  g_assert_nonnull (setl_cache_key_lookup (k1, "abi"));

  diff = setl_cache_key_diff (k3, k1);
  g_assert_cmpuint (g_strv_length (diff), ==, 2);
  g_assert_true (g_strv_contains ((const char * const *) diff, "a"));
  g_assert_true (g_strv_contains ((const char * const *) diff, "ab"));

  v = g_variant_ref_sink (setl_cache_key_serialize (k3));
  back = setl_cache_key_deserialize (v, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (setl_cache_key_get_digest (back), ==, setl_cache_key_get_digest (k3));
  g_assert_cmpstr (setl_cache_key_get_subject (back), ==, "p/f");
  g_assert_cmpstr (setl_cache_key_lookup (back, "a"), ==, "bc");
  g_assert_false (setl_cache_digest_is_valid ("../../etc/passwd"));
  g_assert_false (setl_cache_digest_is_valid ("0123456789ABCDEF0123456789abcdef"));
}

static SetlTable *
table_of (const gint64 *values,
          guint         n,
          guint         rows_per_batch)
{
  g_autoptr(SetlField) field = setl_field_new ("x", SETL_DATA_TYPE_INT64, TRUE);
  g_autoptr(GPtrArray) batches = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;
  SetlTable *table;

  for (guint start = 0; start < n; start += rows_per_batch)
    {
      g_autoptr(SetlColumnBuilder) b = setl_column_builder_new (SETL_DATA_TYPE_INT64);
      g_autoptr(SetlColumn) column = NULL;

      for (guint i = start; i < MIN (n, start + rows_per_batch); i++)
        if (values[i] < 0)
          setl_column_builder_append_null (b);
        else
          setl_column_builder_append_int64 (b, values[i]);
      column = setl_column_builder_finish (b, &error);
      g_assert_no_error (error);
      g_ptr_array_add (batches, setl_record_batch_new (&field, 1, &column, 1, &error));
      g_assert_no_error (error);
    }
  table = setl_table_new (&field, 1, (SetlRecordBatch **) batches->pdata, batches->len, &error);
  g_assert_no_error (error);
  return table;
}

static char *
hash_table (SetlTable *table)
{
  g_auto(GValue) v = G_VALUE_INIT;
  g_autoptr(GError) error = NULL;
  char *hash;

  g_value_init (&v, SETL_TYPE_TABLE);
  g_value_set_object (&v, table);
  hash = setl_cache_payload_hash (&v, &error);
  g_assert_no_error (error);
  return hash;
}

static void
test_payload_hash (void)
{
  const gint64 a[] = { 1, 2, -1, 4, 5 };
  const gint64 b[] = { 1, 2, -1, 4, 6 };
  const gint64 c[] = { 1, 2, 0, 4, 5 };   /* a null is not a zero */
  g_autoptr(SetlTable) t1 = table_of (a, 5, 5);
  g_autoptr(SetlTable) t2 = table_of (a, 5, 2);
  g_autoptr(SetlTable) t3 = table_of (b, 5, 5);
  g_autoptr(SetlTable) t4 = table_of (c, 5, 5);
  g_autofree char *h1 = hash_table (t1), *h2 = hash_table (t2);
  g_autofree char *h3 = hash_table (t3), *h4 = hash_table (t4);
  g_auto(GValue) n1 = G_VALUE_INIT, n2 = G_VALUE_INIT;
  g_autofree char *hn1 = NULL, *hn2 = NULL;

  /* Batch boundaries do not count; values and nulls do. */
  g_assert_cmpstr (h1, ==, h2);
  g_assert_cmpstr (h1, !=, h3);
  g_assert_cmpstr (h1, !=, h4);

  g_value_init (&n1, G_TYPE_INT64);
  g_value_set_int64 (&n1, 42);
  g_value_init (&n2, G_TYPE_INT64);
  g_value_set_int64 (&n2, 43);
  hn1 = setl_cache_payload_hash (&n1, NULL);
  hn2 = setl_cache_payload_hash (&n2, NULL);
  g_assert_cmpstr (hn1, !=, hn2);
  g_assert_cmpuint (setl_cache_payload_size (&n1), ==, 8);
}

static void
test_entry_metadata (void)
{
  const gint64 a[] = { 7, 8, 9 };
  g_autoptr(SetlTable) t = table_of (a, 3, 3);
  g_autoptr(SetlCacheKey) key = setl_cache_key_new ("p/f");
  g_autoptr(SetlCacheEntry) entry = NULL, back = NULL;
  g_autoptr(GVariant) v = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GValue) payload = G_VALUE_INIT;

  setl_cache_key_add (key, "type", "T");
  g_value_init (&payload, SETL_TYPE_TABLE);
  g_value_set_object (&payload, t);
  entry = setl_cache_entry_new (key, &payload);
  g_assert_cmpuint (setl_cache_entry_get_size (entry), ==, setl_table_get_byte_size (t));
  setl_cache_entry_set_data_version (entry, "0123456789abcdef0123456789abcdef");
  setl_cache_entry_set_compute_time (entry, 1234);
  setl_cache_entry_set_output_fingerprint (entry, "size=1");

  v = g_variant_ref_sink (setl_cache_entry_serialize_metadata (entry));
  back = setl_cache_entry_deserialize_metadata (v, &error);
  g_assert_no_error (error);
  g_assert_null (setl_cache_entry_get_payload (back));
  g_assert_true (setl_cache_entry_get_payload_type (back) == SETL_TYPE_TABLE);
  g_assert_cmpint (setl_cache_entry_get_created (back), ==, setl_cache_entry_get_created (entry));
  g_assert_cmpuint (setl_cache_entry_get_size (back), ==, setl_cache_entry_get_size (entry));
  g_assert_cmpstr (setl_cache_entry_get_data_version (back), ==, "0123456789abcdef0123456789abcdef");
  g_assert_cmpint (setl_cache_entry_get_compute_time (back), ==, 1234);
  g_assert_cmpstr (setl_cache_entry_get_output_fingerprint (back), ==, "size=1");
  g_assert_cmpstr (setl_cache_key_lookup (setl_cache_entry_get_key (back), "type"), ==, "T");

  g_assert_false (setl_cache_entry_is_expired (entry, 0, G_MAXINT64));
  g_assert_false (setl_cache_entry_is_expired (entry, 10, setl_cache_entry_get_created (entry) + 9 * G_USEC_PER_SEC));
  g_assert_true (setl_cache_entry_is_expired (entry, 10, setl_cache_entry_get_created (entry) + 10 * G_USEC_PER_SEC));
}

/* ----------------------------------------------------------------------- */
/* The memory policy                                                        */

static SetlCacheEntry *
int_entry (const char *subject,
           const char *ingredient,
           gint64      value,
           guint64     size)
{
  g_autoptr(SetlCacheKey) key = setl_cache_key_new (subject);
  g_auto(GValue) v = G_VALUE_INIT;
  SetlCacheEntry *entry;

  setl_cache_key_add (key, "x", ingredient);
  g_value_init (&v, G_TYPE_INT64);
  g_value_set_int64 (&v, value);
  entry = setl_cache_entry_new (key, &v);
  setl_cache_entry_set_size (entry, size);
  return entry;
}

static gboolean
present (SetlCachePolicy *policy,
         SetlCacheEntry  *entry)
{
  SetlCacheMissReason reason;
  g_autoptr(SetlCacheEntry) found =
    setl_cache_policy_lookup (policy, setl_cache_entry_get_key (entry), &reason, NULL, NULL);

  if (found != NULL)
    g_assert_cmpint (g_value_get_int64 (setl_cache_entry_get_payload (found)), ==,
                     g_value_get_int64 (setl_cache_entry_get_payload (entry)));
  return found != NULL;
}

static void
test_memory_lru (void)
{
  g_autoptr(SetlCachePolicy) policy = new_memory_cache (1000, 0);
  g_autoptr(SetlCacheEntry) e1 = int_entry ("s/1", "1", 1, 400);
  g_autoptr(SetlCacheEntry) e2 = int_entry ("s/2", "2", 2, 400);
  g_autoptr(SetlCacheEntry) e3 = int_entry ("s/3", "3", 3, 400);
  g_autoptr(SetlCacheEntry) huge = int_entry ("s/4", "4", 4, 1001);
  g_autoptr(SetlCacheStats) stats = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (setl_cache_policy_store (policy, e1, NULL, &error));
  g_assert_true (setl_cache_policy_store (policy, e2, NULL, &error));
  /* e1 used last: e2 is now the least recently used. */
  g_assert_true (present (policy, e1));
  g_assert_true (setl_cache_policy_store (policy, e3, NULL, &error));
  g_assert_no_error (error);

  g_assert_true (present (policy, e1));
  g_assert_false (present (policy, e2));
  g_assert_true (present (policy, e3));

  /* Larger than the whole cache: not kept, and nothing evicted for it. */
  g_assert_true (setl_cache_policy_store (policy, huge, NULL, &error));
  g_assert_false (present (policy, huge));
  g_assert_true (present (policy, e1));

  stats = setl_cache_policy_get_stats (policy);
  g_assert_cmpuint (stats->n_entries, ==, 2);
  g_assert_cmpuint (stats->size, ==, 800);
  g_assert_cmpuint (stats->max_size, ==, 1000);
  g_assert_cmpuint (stats->evictions, ==, 1);
  g_assert_cmpuint (stats->stores, ==, 3);

  /* Lowering the limit evicts at once, least recently used first. */
  g_assert_true (present (policy, e3));
  setl_cache_policy_set_max_size (policy, 500);
  g_assert_false (present (policy, e1));
  g_assert_true (present (policy, e3));

  g_assert_true (setl_cache_policy_remove (policy, setl_cache_key_get_digest (setl_cache_entry_get_key (e3)), NULL));
  g_assert_false (present (policy, e3));
  g_assert_true (setl_cache_policy_clear (policy, NULL));
  g_clear_pointer (&stats, setl_cache_stats_free);
  stats = setl_cache_policy_get_stats (policy);
  g_assert_cmpuint (stats->n_entries, ==, 0);
  g_assert_cmpuint (stats->size, ==, 0);
}

static void
test_memory_reasons (void)
{
  g_autoptr(SetlCachePolicy) policy = new_memory_cache (0, 1);
  g_autoptr(SetlCacheEntry) old = int_entry ("p/f", "v1", 1, 8);
  g_autoptr(SetlCacheEntry) now = int_entry ("p/f", "v2", 2, 8);
  g_autoptr(SetlCacheEntry) found = NULL, previous = NULL;
  SetlCacheMissReason reason;

  found = setl_cache_policy_lookup (policy, setl_cache_entry_get_key (old), &reason, NULL, NULL);
  g_assert_null (found);
  g_assert_cmpint (reason, ==, SETL_CACHE_MISS_NO_ENTRY);

  g_assert_true (setl_cache_policy_store (policy, old, NULL, NULL));
  found = setl_cache_policy_lookup (policy, setl_cache_entry_get_key (now), &reason, NULL, NULL);
  g_assert_null (found);
  g_assert_cmpint (reason, ==, SETL_CACHE_MISS_KEY_CHANGED);
  previous = setl_cache_policy_lookup_subject (policy, "p/f", NULL, NULL);
  g_assert_nonnull (previous);
  g_assert_cmpstr (setl_cache_key_lookup (setl_cache_entry_get_key (previous), "x"), ==, "v1");

  found = setl_cache_policy_lookup (policy, setl_cache_entry_get_key (old), &reason, NULL, NULL);
  g_assert_nonnull (found);
  g_assert_cmpint (reason, ==, SETL_CACHE_MISS_NONE);
  g_clear_object (&found);

  /* TTL: one second. */
  g_usleep (1100 * 1000);
  found = setl_cache_policy_lookup (policy, setl_cache_entry_get_key (old), &reason, NULL, NULL);
  g_assert_null (found);
  g_assert_cmpint (reason, ==, SETL_CACHE_MISS_EXPIRED);
}

/* ----------------------------------------------------------------------- */
/* Pipelines                                                                */

static void
test_rerun_hits (Fixture       *fx,
                 gconstpointer  data)
{
  g_autoptr(SetlCachePolicy) policy = new_memory_cache (0, 0);
  g_autoptr(SetlPipeline) p1 = build (fx, policy);
  g_autoptr(SetlPipeline) p2 = NULL;
  g_autofree char *first = NULL, *second = NULL, *json = NULL;
  g_autoptr(SetlCacheStats) stats = NULL;

  run_ok (p1);
  for (guint i = 0; all[i]; i++)
    {
      assert_status (p1, all[i], SETL_FACTORY_STATUS_SUCCEEDED);
      g_assert_cmpint (reason_of (p1, all[i]), ==, SETL_CACHE_MISS_NO_ENTRY);
      g_assert_cmpuint (setl_factory_result_get_cache_bytes (setl_run_report_find (setl_pipeline_get_report (p1), all[i])), >, 0);
    }
  first = read_file (fx->out);
  g_assert_nonnull (strstr (first, "\"dan\""));
  g_assert_null (strstr (first, "\"bob\""));

  p2 = build (fx, policy);
  run_ok (p2);
  for (guint i = 0; all[i]; i++)
    {
      SetlFactoryResult *r = setl_run_report_find (setl_pipeline_get_report (p2), all[i]);

      assert_status (p2, all[i], SETL_FACTORY_STATUS_REUSED);
      g_assert_cmpint (setl_factory_result_get_cache_reason (r), ==, SETL_CACHE_MISS_NONE);
      g_assert_cmpuint (setl_factory_result_get_cache_bytes (r), >, 0);
      g_assert_cmpstr (setl_factory_result_get_cache_key (r), ==,
                       setl_factory_result_get_cache_key (setl_run_report_find (setl_pipeline_get_report (p1), all[i])));
    }
  second = read_file (fx->out);
  g_assert_cmpstr (first, ==, second);

  /* The report tells hits and bytes. */
  json = setl_run_report_to_json (setl_pipeline_get_report (p2));
  g_assert_nonnull (strstr (json, "\"status\" : \"hit\""));
  g_assert_nonnull (strstr (json, "\"time_saved_us\""));

  stats = setl_cache_policy_get_stats (policy);
  g_assert_cmpuint (stats->hits, ==, 6);
  g_assert_cmpuint (stats->stores, ==, 6);
}

static void
test_touch_input (Fixture       *fx,
                  gconstpointer  data)
{
  g_autoptr(SetlCachePolicy) policy = new_memory_cache (0, 0);
  g_autoptr(SetlPipeline) p1 = build (fx, policy);
  g_autoptr(SetlPipeline) p2 = NULL;
  g_autofree char *out = NULL;
  const char * const *changed;

  run_ok (p1);
  rewrite_file (fx->a, "{\"name\":\"ann\",\"age\":34}\n{\"name\":\"zoe\",\"age\":29}\n");
  p2 = build (fx, policy);
  run_ok (p2);

  /* a's side and everything downstream of it ran again; b's did not. */
  assert_status (p2, "a", SETL_FACTORY_STATUS_SUCCEEDED);
  assert_status (p2, "fa", SETL_FACTORY_STATUS_SUCCEEDED);
  assert_status (p2, "both", SETL_FACTORY_STATUS_SUCCEEDED);
  assert_status (p2, "out", SETL_FACTORY_STATUS_SUCCEEDED);
  assert_status (p2, "b", SETL_FACTORY_STATUS_REUSED);
  assert_status (p2, "fb", SETL_FACTORY_STATUS_REUSED);
  g_assert_cmpint (reason_of (p2, "a"), ==, SETL_CACHE_MISS_KEY_CHANGED);
  g_assert_cmpint (reason_of (p2, "fa"), ==, SETL_CACHE_MISS_KEY_CHANGED);

  changed = setl_factory_result_get_cache_changed (setl_run_report_find (setl_pipeline_get_report (p2), "a"));
  g_assert_nonnull (changed);
  g_assert_cmpuint (g_strv_length ((char **) changed), ==, 1);
  g_assert_cmpstr (changed[0], ==, "input:file");
  changed = setl_factory_result_get_cache_changed (setl_run_report_find (setl_pipeline_get_report (p2), "fa"));
  g_assert_cmpstr (changed[0], ==, "input:in");

  out = read_file (fx->out);
  g_assert_nonnull (strstr (out, "\"zoe\""));
  g_assert_null (strstr (out, "\"cat\""));
}

static void
test_property_change (Fixture       *fx,
                      gconstpointer  data)
{
  g_autoptr(SetlCachePolicy) policy = new_memory_cache (0, 0);
  g_autoptr(SetlPipeline) p1 = build (fx, policy);
  g_autoptr(SetlPipeline) p2 = NULL;
  g_autofree char *out = NULL;
  const char * const *changed;

  run_ok (p1);
  g_free (fx->where_a);
  fx->where_a = g_strdup ("age >= 40");
  p2 = build (fx, policy);
  run_ok (p2);

  assert_status (p2, "a", SETL_FACTORY_STATUS_REUSED);
  assert_status (p2, "b", SETL_FACTORY_STATUS_REUSED);
  assert_status (p2, "fb", SETL_FACTORY_STATUS_REUSED);
  assert_status (p2, "fa", SETL_FACTORY_STATUS_SUCCEEDED);
  assert_status (p2, "both", SETL_FACTORY_STATUS_SUCCEEDED);
  assert_status (p2, "out", SETL_FACTORY_STATUS_SUCCEEDED);
  changed = setl_factory_result_get_cache_changed (setl_run_report_find (setl_pipeline_get_report (p2), "fa"));
  g_assert_nonnull (changed);
  g_assert_cmpuint (g_strv_length ((char **) changed), ==, 1);
  g_assert_cmpstr (changed[0], ==, "property:where");

  out = read_file (fx->out);
  g_assert_null (strstr (out, "\"ann\""));   /* 34: filtered out now */
  g_assert_nonnull (strstr (out, "\"cat\""));

  /* Back to the first value: its entry is still there. */
  {
    g_autoptr(SetlPipeline) p3 = NULL;

    g_free (fx->where_a);
    fx->where_a = g_strdup ("age >= 18");
    p3 = build (fx, policy);
    run_ok (p3);
    assert_status (p3, "fa", SETL_FACTORY_STATUS_REUSED);
    assert_status (p3, "both", SETL_FACTORY_STATUS_REUSED);
    /* out's entry is there too, but the file it wrote was replaced since. */
    assert_status (p3, "out", SETL_FACTORY_STATUS_SUCCEEDED);
    g_assert_cmpint (reason_of (p3, "out"), ==, SETL_CACHE_MISS_OUTPUT_CHANGED);
    g_free (out);
    out = read_file (fx->out);
    g_assert_nonnull (strstr (out, "\"ann\""));
  }
}

static SetlFactory *
find (SetlPipeline *p,
      const char   *name)
{
  GPtrArray *stages = setl_pipeline_get_stages (p);

  for (guint s = 0; s < stages->len; s++)
    {
      GPtrArray *factories = setl_stage_get_factories (g_ptr_array_index (stages, s));
      for (guint f = 0; f < factories->len; f++)
        if (g_strcmp0 (setl_factory_get_name (g_ptr_array_index (factories, f)), name) == 0)
          return g_ptr_array_index (factories, f);
    }
  g_assert_not_reached ();
}

/* A validation hook is part of its factory's key: a result made under one
 * hook is not served under another. */
static SetlPipeline *
build_hooked (Fixture              *fx,
              SetlCachePolicy      *policy,
              gint64                min_age,
              SetlValidationAction  action)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *json = g_strdup_printf (
    "{\"name\": \"grown\", \"columns\": [{\"name\": \"name\", \"type\": \"string\"},"
    " {\"name\": \"age\", \"type\": \"int64\", \"checks\": [{\"ge\": %" G_GINT64_FORMAT "}]}]}",
    min_age);
  g_autoptr(SetlSchema) schema = setl_schema_new_from_data (json, -1, "grown.json", &error);
  g_autoptr(SetlValidator) validator = NULL;
  SetlPipeline *p = build (fx, policy);

  g_assert_no_error (error);
  validator = setl_validator_new (schema, NULL, &error);
  g_assert_no_error (error);
  setl_validation_hook_add (find (p, "fa"), NULL, validator, action);
  return p;
}

static gboolean
pass_through (SetlFactory  *factory,
              const char   *slot,
              GValue       *value,
              gpointer      user_data,
              GError      **error)
{
  return TRUE;
}

static void
test_hook_in_key (Fixture       *fx,
                  gconstpointer  data)
{
  g_autoptr(SetlCachePolicy) policy = new_memory_cache (0, 0);
  g_autoptr(SetlPipeline) dropping = build_hooked (fx, policy, 40, SETL_VALIDATION_ACTION_DROP);
  g_autoptr(SetlPipeline) warning = NULL;
  g_autoptr(SetlPipeline) stricter = NULL;
  g_autoptr(SetlPipeline) again = NULL;
  g_autoptr(SetlPipeline) keyless = NULL;
  g_autofree char *out = NULL;
  const char * const *changed;
  GLogLevelFlags fatal;

  run_ok (dropping);
  out = read_file (fx->out);
  g_assert_null (strstr (out, "\"ann\""));     /* 34: dropped by the hook */
  g_assert_nonnull (strstr (out, "\"cat\""));

  /* Same schema, "warn": ann passes through, so fa must run again (and
   * warn, which is not fatal here). */
  fatal = g_log_set_always_fatal (G_LOG_FATAL_MASK);
  warning = build_hooked (fx, policy, 40, SETL_VALIDATION_ACTION_WARN);
  run_ok (warning);
  g_log_set_always_fatal (fatal);
  assert_status (warning, "a", SETL_FACTORY_STATUS_REUSED);
  assert_status (warning, "fa", SETL_FACTORY_STATUS_SUCCEEDED);
  changed = setl_factory_result_get_cache_changed (setl_run_report_find (setl_pipeline_get_report (warning), "fa"));
  g_assert_nonnull (changed);
  g_assert_cmpuint (g_strv_length ((char **) changed), ==, 1);
  g_assert_cmpstr (changed[0], ==, "filter:1:output");
  g_free (out);
  out = read_file (fx->out);
  g_assert_nonnull (strstr (out, "\"ann\""));

  /* A changed schema, same action: runs again, and drops more. */
  stricter = build_hooked (fx, policy, 50, SETL_VALIDATION_ACTION_DROP);
  run_ok (stricter);
  assert_status (stricter, "fa", SETL_FACTORY_STATUS_SUCCEEDED);
  g_free (out);
  out = read_file (fx->out);
  g_assert_null (strstr (out, "\"ann\""));
  g_assert_nonnull (strstr (out, "\"cat\""));

  /* The first hook again: its entry is still there. */
  again = build_hooked (fx, policy, 40, SETL_VALIDATION_ACTION_DROP);
  run_ok (again);
  assert_status (again, "fa", SETL_FACTORY_STATUS_REUSED);

  /* A filter that does not say what it does: never cached. */
  keyless = build (fx, policy);
  setl_factory_add_filter (find (keyless, "fa"), NULL, pass_through, NULL, NULL);
  run_ok (keyless);
  assert_status (keyless, "fa", SETL_FACTORY_STATUS_SUCCEEDED);
  g_assert_cmpint (reason_of (keyless, "fa"), ==, SETL_CACHE_MISS_UNCACHEABLE);
  {
    g_autoptr(SetlPipeline) keyless_again = build (fx, policy);

    setl_factory_add_filter (find (keyless_again, "fa"), NULL, pass_through, NULL, NULL);
    run_ok (keyless_again);
    assert_status (keyless_again, "fa", SETL_FACTORY_STATUS_SUCCEEDED);
  }
}

static void
test_output_deleted (Fixture       *fx,
                     gconstpointer  data)
{
  g_autoptr(SetlCachePolicy) policy = new_memory_cache (0, 0);
  g_autoptr(SetlPipeline) p1 = build (fx, policy);
  g_autoptr(SetlPipeline) p2 = NULL;

  run_ok (p1);
  g_assert_cmpint (g_unlink (fx->out), ==, 0);
  p2 = build (fx, policy);
  run_ok (p2);
  assert_status (p2, "both", SETL_FACTORY_STATUS_REUSED);
  assert_status (p2, "out", SETL_FACTORY_STATUS_SUCCEEDED);
  g_assert_cmpint (reason_of (p2, "out"), ==, SETL_CACHE_MISS_OUTPUT_CHANGED);
  g_assert_true (g_file_test (fx->out, G_FILE_TEST_EXISTS));
}

static void
test_ttl (Fixture       *fx,
          gconstpointer  data)
{
  g_autoptr(SetlCachePolicy) policy = new_memory_cache (0, 1);
  g_autoptr(SetlPipeline) p1 = build (fx, policy);
  g_autoptr(SetlPipeline) p2 = NULL, p3 = NULL;

  run_ok (p1);
  p2 = build (fx, policy);
  run_ok (p2);
  assert_status (p2, "fa", SETL_FACTORY_STATUS_REUSED);
  g_usleep (1100 * 1000);
  p3 = build (fx, policy);
  run_ok (p3);
  for (guint i = 0; all[i]; i++)
    {
      assert_status (p3, all[i], SETL_FACTORY_STATUS_SUCCEEDED);
      g_assert_cmpint (reason_of (p3, all[i]), ==, SETL_CACHE_MISS_EXPIRED);
    }
}

static void
test_early_cutoff (Fixture       *fx,
                   gconstpointer  data)
{
  g_autoptr(SetlCachePolicy) policy = new_memory_cache (0, 0);
  g_autoptr(SetlPipeline) p1 = build (fx, policy);
  g_autoptr(SetlPipeline) p2 = NULL;

  run_ok (p1);
  /* One more row, that the filter drops: fa delivers the same data. */
  rewrite_file (fx->a, "{\"name\":\"ann\",\"age\":34}\n{\"name\":\"bob\",\"age\":17}\n"
                       "{\"name\":\"cat\",\"age\":52}\n{\"name\":\"kid\",\"age\":3}\n");
  p2 = build (fx, policy);
  run_ok (p2);
  assert_status (p2, "a", SETL_FACTORY_STATUS_SUCCEEDED);
  assert_status (p2, "fa", SETL_FACTORY_STATUS_SUCCEEDED);
  assert_status (p2, "both", SETL_FACTORY_STATUS_REUSED);
  assert_status (p2, "out", SETL_FACTORY_STATUS_REUSED);
}


static void
test_modes (Fixture       *fx,
            gconstpointer  data)
{
  g_autoptr(SetlCachePolicy) policy = new_memory_cache (0, 0);
  g_autoptr(SetlPipeline) p1 = build (fx, policy);
  g_autoptr(SetlPipeline) p2 = NULL, p3 = NULL, p4 = NULL, p5 = NULL;

  run_ok (p1);

  /* recompute: runs and stores; same data, so its dependents are reused. */
  p2 = build (fx, policy);
  g_object_set (find (p2, "fa"), "cache-mode", SETL_CACHE_MODE_RECOMPUTE, NULL);
  run_ok (p2);
  assert_status (p2, "fa", SETL_FACTORY_STATUS_SUCCEEDED);
  g_assert_cmpint (reason_of (p2, "fa"), ==, SETL_CACHE_MISS_RECOMPUTE);
  assert_status (p2, "both", SETL_FACTORY_STATUS_REUSED);

  /* disable: runs every time; dependents are keyed on its key. */
  p3 = build (fx, policy);
  setl_factory_set_cache_mode (find (p3, "fa"), SETL_CACHE_MODE_DISABLE);
  run_ok (p3);
  assert_status (p3, "fa", SETL_FACTORY_STATUS_SUCCEEDED);
  g_assert_cmpint (reason_of (p3, "fa"), ==, SETL_CACHE_MISS_DISABLED);
  assert_status (p3, "both", SETL_FACTORY_STATUS_SUCCEEDED);
  p4 = build (fx, policy);
  setl_factory_set_cache_mode (find (p4, "fa"), SETL_CACHE_MODE_DISABLE);
  run_ok (p4);
  assert_status (p4, "fa", SETL_FACTORY_STATUS_SUCCEEDED);
  assert_status (p4, "both", SETL_FACTORY_STATUS_REUSED);
  assert_status (p4, "out", SETL_FACTORY_STATUS_REUSED);

  /* ignore: runs, and its dependents do not see it change. */
  rewrite_file (fx->b, "{\"name\":\"dan\",\"age\":40}\n");
  p5 = build (fx, policy);
  setl_factory_set_cache_mode (find (p5, "b"), SETL_CACHE_MODE_IGNORE);
  run_ok (p5);
  assert_status (p5, "b", SETL_FACTORY_STATUS_SUCCEEDED);
  g_assert_cmpint (reason_of (p5, "b"), ==, SETL_CACHE_MISS_DISABLED);
  g_assert_null (setl_factory_result_get_cache_key (setl_run_report_find (setl_pipeline_get_report (p5), "b")));
  assert_status (p5, "fb", SETL_FACTORY_STATUS_SUCCEEDED);   /* "ignored" is new */
}

static void
test_lazy_outputs (Fixture       *fx,
                   gconstpointer  data)
{
  g_autoptr(SetlCachePolicy) policy = new_memory_cache (0, 0);
  g_autoptr(SetlPipeline) p1 = build (fx, NULL);
  g_autoptr(SetlPipeline) p2 = NULL, p3 = NULL;
  g_autoptr(GError) error = NULL;
  const char *want_fa[] = { "fa", NULL };
  const char *want_out[] = { "out", NULL };
  const char *want_nothing[] = { "nope", NULL };

  /* Without a cache: only what fa needs runs. */
  g_assert_true (setl_pipeline_run_outputs (p1, want_fa, NULL, &error));
  g_assert_no_error (error);
  assert_status (p1, "a", SETL_FACTORY_STATUS_SUCCEEDED);
  assert_status (p1, "fa", SETL_FACTORY_STATUS_SUCCEEDED);
  assert_status (p1, "b", SETL_FACTORY_STATUS_SKIPPED);
  assert_status (p1, "fb", SETL_FACTORY_STATUS_SKIPPED);
  assert_status (p1, "both", SETL_FACTORY_STATUS_SKIPPED);
  assert_status (p1, "out", SETL_FACTORY_STATUS_SKIPPED);
  g_assert_false (g_file_test (fx->out, G_FILE_TEST_EXISTS));
  g_assert_nonnull (strstr (setl_factory_result_get_reason (setl_run_report_find (setl_pipeline_get_report (p1), "b")),
                            "not needed"));
  g_assert_null (setl_pipeline_get_requested_outputs (p1));

  g_assert_false (setl_pipeline_run_outputs (p1, want_nothing, NULL, &error));
  g_assert_error (error, SETL_PIPELINE_ERROR, SETL_PIPELINE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Warm the cache with a whole run, then ask for fa only: nothing runs. */
  p2 = build (fx, policy);
  run_ok (p2);
  p3 = build (fx, policy);
  g_assert_true (setl_pipeline_run_outputs (p3, want_fa, NULL, &error));
  g_assert_no_error (error);
  assert_status (p3, "a", SETL_FACTORY_STATUS_REUSED);
  assert_status (p3, "fa", SETL_FACTORY_STATUS_REUSED);
  assert_status (p3, "out", SETL_FACTORY_STATUS_SKIPPED);
  {
    const GValue *v = setl_pipeline_get_output_by_name (p3, "fa", &error);
    g_autoptr(SetlTable) t = NULL;

    g_assert_no_error (error);
    g_assert_nonnull (v);
    t = setl_batch_stream_collect (g_value_get_object (v), NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpint (setl_table_get_n_rows (t), ==, 2);   /* ann, cat */
  }

  /* The final output, after an input changed on the other branch. */
  rewrite_file (fx->b, "{\"name\":\"dan\",\"age\":40}\n{\"name\":\"fox\",\"age\":70}\n");
  {
    g_autoptr(SetlPipeline) p4 = build (fx, policy);
    g_autofree char *out = NULL;

    g_assert_true (setl_pipeline_run_outputs (p4, want_out, NULL, &error));
    g_assert_no_error (error);
    assert_status (p4, "a", SETL_FACTORY_STATUS_REUSED);
    assert_status (p4, "fa", SETL_FACTORY_STATUS_REUSED);
    assert_status (p4, "b", SETL_FACTORY_STATUS_SUCCEEDED);
    assert_status (p4, "out", SETL_FACTORY_STATUS_SUCCEEDED);
    out = read_file (fx->out);
    g_assert_nonnull (strstr (out, "\"fox\""));
    g_assert_nonnull (strstr (out, "\"ann\""));   /* read from the cached fa */
  }
}

/* Flips one byte of every table file under @dir. */
static guint
damage_files (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;
  guint n = 0;

  while (d && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autofree char *content = NULL;
      gsize length;

      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        {
          n += damage_files (path);
          continue;
        }
      if (!g_str_has_suffix (name, ".stbl") || !g_file_get_contents (path, &content, &length, NULL) ||
          length == 0)
        continue;
      /* Near the end: in a table's last batch, which a disk cache checks
       * only when the table is loaded, after its factory was reused. */
      content[length * 19 / 20] ^= 0x5a;
      g_assert_true (g_file_set_contents (path, content, length, NULL));
      n++;
    }
  return n;
}

/* With the real disk policy: entries damaged on disk are found when they
 * are loaded, after their factories were reported reused; the factories
 * run after all and the run succeeds with the right output. */
static void
test_damaged_entry (Fixture       *fx,
                    gconstpointer  data)
{
  SetlPluginFeature *feature =
    setl_plugin_registry_lookup_feature (setl_plugin_registry_get_default (), "disk");
  g_autoptr(GError) error = NULL;
  g_autoptr(GObject) policy = NULL;
  g_autoptr(SetlPipeline) p1 = NULL, p2 = NULL;
  g_autofree char *dir = g_build_filename (fx->dir, "cache", NULL);
  g_autofree char *first = NULL, *second = NULL;
  GLogLevelFlags fatal;
  gboolean lazy_check;

  if (feature == NULL)
    {
      g_test_skip ("the cache-disk plugin is not built");
      return;
    }
  policy = setl_plugin_feature_create (feature, &error);
  g_assert_no_error (error);
  g_object_set (policy, "dir", dir, NULL);
  /* Checking batches only when a table is loaded, as the pipeline allows:
   * damage is then found after the factory was reported reused. */
  lazy_check = g_object_class_find_property (G_OBJECT_GET_CLASS (policy), "verify") != NULL;
  if (lazy_check)
    g_object_set (policy, "verify", FALSE, NULL);

  p1 = build (fx, SETL_CACHE_POLICY (policy));
  run_ok (p1);
  first = read_file (fx->out);
  g_assert_cmpuint (damage_files (dir), >, 0);
  g_assert_cmpint (g_unlink (fx->out), ==, 0);   /* so that "out" runs and reads */

  /* The damage is reported with warnings, as it should be (the disk cache
   * also drops the damaged records of the entries' subjects, later). */
  fatal = g_log_set_always_fatal (G_LOG_FATAL_MASK);
  p2 = build (fx, SETL_CACHE_POLICY (policy));
  run_ok (p2);

  second = read_file (fx->out);
  g_assert_cmpstr (first, ==, second);
  /* Found damaged when looked up (a miss, the factory runs), or only when
   * "out" loaded its table (reused, then run after all): which depends on
   * where the byte fell in the disk cache's file. Either way the reason is
   * the same, and "out" read the right rows. */
  for (guint i = 0; all[i]; i++)
    {
      SetlFactoryResult *r = setl_run_report_find (setl_pipeline_get_report (p2), all[i]);
      SetlFactoryStatus st = setl_factory_result_get_status (r);

      if (g_str_equal (all[i], "out"))
        continue;   /* its file was deleted: output-changed, or corrupt */
      g_assert_cmpint (setl_factory_result_get_cache_reason (r), ==, SETL_CACHE_MISS_CORRUPT);
      g_assert_true (st == SETL_FACTORY_STATUS_SUCCEEDED || st == SETL_FACTORY_STATUS_REUSED);
    }
  assert_status (p2, "out", SETL_FACTORY_STATUS_SUCCEEDED);
  if (lazy_check)
    assert_status (p2, "both", SETL_FACTORY_STATUS_REUSED);
  if (status_of (p2, "both") == SETL_FACTORY_STATUS_REUSED)
    {
      g_autofree char *json = setl_run_report_to_json (setl_pipeline_get_report (p2));
      g_assert_nonnull (strstr (json, "\"recomputed\" : true"));
    }
  {
    /* Dropped, and stored anew by the next run. */
    g_autoptr(SetlPipeline) p3 = build (fx, SETL_CACHE_POLICY (policy));
    g_autoptr(SetlPipeline) p4 = NULL;

    run_ok (p3);
    p4 = build (fx, SETL_CACHE_POLICY (policy));
    run_ok (p4);
    for (guint i = 0; all[i]; i++)
      assert_status (p4, all[i], SETL_FACTORY_STATUS_REUSED);
  }
  g_log_set_always_fatal (fatal);
}

/* SQLite: the source's key follows the database file, and a reused sink
 * writes again once the database changed behind it. */
static SetlPipeline *
build_sqlite_write (Fixture         *fx,
                    const char      *from,
                    const char      *db,
                    SetlCachePolicy *policy)
{
  SetlPipeline *p = setl_pipeline_new ("sqlite-write");

  make (p, "jsonl-source", "in", NULL, "path", from, NULL);
  make (p, "sqlite-sink", "db", "in", "database", db, "table", "people", NULL);
  if (policy != NULL)
    setl_pipeline_set_cache_policy (p, policy);
  return p;
}

static void
test_sqlite (Fixture       *fx,
             gconstpointer  data)
{
  g_autoptr(SetlCachePolicy) policy = new_memory_cache (0, 0);
  g_autofree char *db = g_build_filename (fx->dir, "people.sqlite", NULL);
  g_autoptr(SetlPipeline) w1 = NULL, w2 = NULL, w3 = NULL, w4 = NULL;
  g_autoptr(SetlPipeline) r1 = NULL, r2 = NULL;
  g_autoptr(SetlCacheKey) k1 = NULL, k2 = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) diff = NULL;

  if (setl_plugin_registry_lookup_feature (setl_plugin_registry_get_default (), "sqlite-source") == NULL)
    {
      g_test_skip ("the sqlite plugin is not built");
      return;
    }
  w1 = build_sqlite_write (fx, fx->a, db, policy);
  run_ok (w1);
  w2 = build_sqlite_write (fx, fx->a, db, policy);
  run_ok (w2);
  assert_status (w2, "db", SETL_FACTORY_STATUS_REUSED);

  r1 = setl_pipeline_new ("sqlite-read");
  make (r1, "sqlite-source", "rows", NULL, "database", db, "table", "people", NULL);
  setl_pipeline_set_cache_policy (r1, policy);
  k1 = setl_pipeline_compute_cache_key (r1, "rows", NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (setl_cache_key_lookup (k1, "input:database"), db));
  run_ok (r1);

  /* Another table's data written into the same file, in place: let the
   * clock move on, as file times only change with the kernel's tick. */
  g_usleep (50 * 1000);
  w3 = build_sqlite_write (fx, fx->b, db, policy);
  run_ok (w3);
  r2 = setl_pipeline_new ("sqlite-read");
  make (r2, "sqlite-source", "rows", NULL, "database", db, "table", "people", NULL);
  setl_pipeline_set_cache_policy (r2, policy);
  k2 = setl_pipeline_compute_cache_key (r2, "rows", NULL, &error);
  g_assert_no_error (error);
  diff = setl_cache_key_diff (k2, k1);
  g_assert_true (g_strv_contains ((const char * const *) diff, "input:database"));
  run_ok (r2);
  assert_status (r2, "rows", SETL_FACTORY_STATUS_SUCCEEDED);
  g_assert_cmpint (reason_of (r2, "rows"), ==, SETL_CACHE_MISS_KEY_CHANGED);

  /* w1's entry is there, but the database is no longer what it wrote. */
  w4 = build_sqlite_write (fx, fx->a, db, policy);
  run_ok (w4);
  assert_status (w4, "in", SETL_FACTORY_STATUS_REUSED);
  assert_status (w4, "db", SETL_FACTORY_STATUS_SUCCEEDED);
  g_assert_cmpint (reason_of (w4, "db"), ==, SETL_CACHE_MISS_OUTPUT_CHANGED);
}

/* Large entries are stored on a thread of their own while the run goes on;
 * the run still reports them stored, and the next run finds them. */
static void
test_large_entries (Fixture       *fx,
                    gconstpointer  data)
{
  g_autoptr(SetlCachePolicy) policy = new_memory_cache (0, 0);
  g_autoptr(GString) rows = g_string_new (NULL);
  g_autoptr(SetlPipeline) p1 = NULL, p2 = NULL;
  g_autoptr(SetlCacheStats) stats = NULL;
  SetlFactoryResult *a;

  for (guint i = 0; i < 120000; i++)
    g_string_append_printf (rows, "{\"name\":\"person-%u\",\"age\":%u}\n", i, i % 90);
  rewrite_file (fx->a, rows->str);

  p1 = build (fx, policy);
  run_ok (p1);
  a = setl_run_report_find (setl_pipeline_get_report (p1), "a");
  g_assert_cmpuint (setl_factory_result_get_cache_bytes (a), >, 1 << 20);
  stats = setl_cache_policy_get_stats (policy);
  g_assert_cmpuint (stats->stores, ==, 6);

  p2 = build (fx, policy);
  run_ok (p2);
  for (guint i = 0; all[i]; i++)
    assert_status (p2, all[i], SETL_FACTORY_STATUS_REUSED);
}

/* ----------------------------------------------------------------------- */
/* A new version of a plugin changes its factories' keys                    */

/* In a subprocess whose registry sees one version of the cache-test plugin:
 * writes the key of a factory of it, and its "plugin" ingredient. */
static void
test_plugin_version_child (void)
{
  g_autoptr(SetlPipeline) p = NULL;
  g_autoptr(SetlCachePolicy) policy = NULL;
  g_autoptr(SetlCacheKey) key = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  if (!g_test_subprocess ())
    return;
  p = setl_pipeline_new ("versions");
  make (p, "cache-test-numbers", "numbers", NULL, "count", 5, NULL);
  policy = new_memory_cache (0, 0);
  setl_pipeline_set_cache_policy (p, policy);
  key = setl_pipeline_compute_cache_key (p, "numbers", NULL, &error);
  g_assert_no_error (error);
  text = g_strdup_printf ("%s\n%s\n", setl_cache_key_get_digest (key),
                          setl_cache_key_lookup (key, "plugin"));
  write_file (g_getenv ("SETL_CACHE_TEST_OUT"), text);
}

static char **
key_with_plugin (const char *plugin_dir)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("setl-cache-version-XXXXXX", &error);
  g_autofree char *registry = g_build_filename (dir, "registry.json", NULL);
  g_autofree char *out = g_build_filename (dir, "key.txt", NULL);
  g_autofree char *path = g_strconcat (plugin_dir, ":", g_getenv ("SETL_CACHE_TEST_MEMORY"), NULL);
  g_autofree char *saved_path = g_strdup (g_getenv ("SETL_PLUGIN_PATH"));
  g_autofree char *saved_registry = g_strdup (g_getenv ("SETL_REGISTRY"));
  g_autofree char *content = NULL;

  g_assert_no_error (error);
  g_setenv ("SETL_PLUGIN_PATH", path, TRUE);
  g_setenv ("SETL_REGISTRY", registry, TRUE);
  g_setenv ("SETL_CACHE_TEST_OUT", out, TRUE);
  g_test_trap_subprocess ("/cache/key/plugin-version/subprocess", 0,
                          G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
  g_setenv ("SETL_PLUGIN_PATH", saved_path, TRUE);
  g_setenv ("SETL_REGISTRY", saved_registry, TRUE);
  g_unsetenv ("SETL_CACHE_TEST_OUT");

  content = read_file (out);
  g_unlink (out);
  g_unlink (registry);
  g_rmdir (dir);
  g_strchomp (content);
  return g_strsplit (content, "\n", 2);
}

static void
test_plugin_version (void)
{
  g_auto(GStrv) v1 = NULL, v1_again = NULL, v2 = NULL;

  if (g_getenv ("SETL_CACHE_TEST_V1") == NULL)
    {
      g_test_skip ("SETL_CACHE_TEST_V1 not set (run through meson test)");
      return;
    }
  v1 = key_with_plugin (g_getenv ("SETL_CACHE_TEST_V1"));
  v1_again = key_with_plugin (g_getenv ("SETL_CACHE_TEST_V1"));
  v2 = key_with_plugin (g_getenv ("SETL_CACHE_TEST_V2"));

  /* The same in another process; changed by the plugin's version alone. */
  g_assert_cmpstr (v1[0], ==, v1_again[0]);
  g_assert_cmpstr (v1[1], ==, "cache-test 1.0");
  g_assert_cmpstr (v2[1], ==, "cache-test 2.0");
  g_assert_cmpstr (v1[0], !=, v2[0]);
}

/* ----------------------------------------------------------------------- */
/* Pipeline files                                                           */

static SetlPipeline *
build_file (const char  *json,
            GError     **error)
{
  g_autoptr(SetlPipelineFile) file =
    setl_pipeline_file_new_from_data (json, -1, "cached.json", "/tmp", error);

  if (file == NULL)
    return NULL;
  return setl_pipeline_file_build (file, setl_plugin_registry_get_default (), error);
}

#define ONE_FACTORY "{\"s\": {\"feature\": \"jsonl-source\", \"properties\": {\"path\": \"x.jsonl\"}}}"

static void
test_pipeline_file (Fixture       *fx,
                    gconstpointer  data)
{
  g_autofree char *json = g_strdup_printf (
    "{\"setl\": 1, \"name\": \"filed\",\n"
    " \"cache\": {\"policy\": \"memory\", \"max-size\": \"2M\", \"ttl\": 60,\n"
    "             \"fingerprint\": \"content\"},\n"
    " \"factories\": {\n"
    "  \"a\": {\"feature\": \"jsonl-source\", \"properties\": {\"path\": \"%s\"}},\n"
    "  \"fa\": {\"feature\": \"filter\", \"cache\": \"recompute\", \"code-version\": \"7\",\n"
    "          \"properties\": {\"where\": \"age > 20\"}, \"inputs\": {\"in\": \"a\"}}}}", fx->a);
  g_autoptr(GError) error = NULL;
  g_autoptr(SetlPipeline) p = build_file (json, &error);
  SetlCachePolicy *policy;
  struct { const char *json; const char *message; } bad[] = {
    { "{\"setl\": 1, \"cache\": \"disk\", \"factories\": " ONE_FACTORY "}", "cached.json:1:22: “cache” is an object" },
    { "{\"setl\": 1, \"cache\": {\"dir\": \"x\"}, \"factories\": " ONE_FACTORY "}", "needs a \"policy\"" },
    { "{\"setl\": 1, \"cache\": {\"policy\": \"memroy\"}, \"factories\": " ONE_FACTORY "}",
      "cached.json:1:33: no installed plugin provides the cache policy “memroy”; did you mean “memory”?" },
    { "{\"setl\": 1, \"cache\": {\"policy\": \"memory\", \"colour\": 1}, \"factories\": " ONE_FACTORY "}",
      "cache policy “memory” has no option “colour”" },
    { "{\"setl\": 1, \"cache\": {\"policy\": \"memory\", \"max-size\": \"lots\"}, \"factories\": " ONE_FACTORY "}",
      "“lots” is not a size" },
    { "{\"setl\": 1, \"factories\": {\"x\": {\"feature\": \"filter\", \"cache\": \"always\"}}}",
      "factory “x”: “cache” is one of" },
  };

  g_assert_no_error (error);
  policy = setl_pipeline_get_cache_policy (p);
  g_assert_nonnull (policy);
  g_assert_cmpstr (G_OBJECT_TYPE_NAME (policy), ==, "SetlMemoryCache");
  g_assert_cmpuint (setl_cache_policy_get_max_size (policy), ==, 2 << 20);
  g_assert_cmpuint (setl_cache_policy_get_ttl (policy), ==, 60);
  g_assert_cmpint (setl_pipeline_get_fingerprint_flags (p), ==, SETL_FINGERPRINT_CONTENT);
  g_assert_cmpint (setl_factory_get_cache_mode (find (p, "fa")), ==, SETL_CACHE_MODE_RECOMPUTE);
  g_assert_cmpint (setl_factory_get_cache_mode (find (p, "a")), ==, SETL_CACHE_MODE_DEFAULT);
  g_assert_cmpstr (setl_factory_get_code_version (find (p, "fa")), ==, "7");

  run_ok (p);
  assert_status (p, "fa", SETL_FACTORY_STATUS_SUCCEEDED);
  {
    g_autoptr(SetlCacheKey) key = NULL;

    /* Content fingerprints: the file's hash is in a's key. */
    setl_pipeline_set_cache_policy (p, policy);
    key = setl_pipeline_compute_cache_key (p, "a", NULL, &error);
    g_assert_no_error (error);
    g_assert_nonnull (strstr (setl_cache_key_lookup (key, "input:file"), "xxh3-128="));
    g_clear_object (&key);
    key = setl_pipeline_compute_cache_key (p, "fa", NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (setl_cache_key_lookup (key, "code-version"), ==, "7");
  }

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(SetlPipeline) none = build_file (bad[i].json, &error);

      g_assert_null (none);
      g_assert_nonnull (error);
      if (strstr (error->message, bad[i].message) == NULL)
        g_error ("expected “%s” in “%s”", bad[i].message, error->message);
      g_clear_error (&error);
    }
}

/* ----------------------------------------------------------------------- */
/* Scheduling a warm run                                                    */

/* An int64 source that notes the thread each of its methods is called on:
 * its process() when it runs, its get_output_type() also when its cached
 * result is handed on. */
#define TEST_TYPE_VALUE (test_value_get_type ())
G_DECLARE_FINAL_TYPE (TestValue, test_value, TEST, VALUE, SetlFactory)

struct _TestValue
{
  SetlFactory parent_instance;
  gint64 value;
};

G_DEFINE_FINAL_TYPE (TestValue, test_value, SETL_TYPE_FACTORY)

static GMutex value_lock;
static GPtrArray *value_threads;   /* GThread*, one per call, not owned */
static GPtrArray *value_ran;       /* TestValue*, in the order they ran */

static void
value_note (TestValue *self,
            gboolean   ran)
{
  g_mutex_lock (&value_lock);
  g_ptr_array_add (value_threads, g_thread_self ());
  if (ran)
    g_ptr_array_add (value_ran, self);
  g_mutex_unlock (&value_lock);
}

static void
value_forget (void)
{
  g_mutex_lock (&value_lock);
  g_ptr_array_set_size (value_threads, 0);
  g_ptr_array_set_size (value_ran, 0);
  g_mutex_unlock (&value_lock);
}

/* How many of the noted calls were made on a thread other than this one. */
static guint
value_calls_elsewhere (void)
{
  guint n = 0;

  g_mutex_lock (&value_lock);
  for (guint i = 0; i < value_threads->len; i++)
    if (g_ptr_array_index (value_threads, i) != g_thread_self ())
      n++;
  g_mutex_unlock (&value_lock);
  return n;
}

static void
test_value_get_property (GObject *object, guint id, GValue *value, GParamSpec *pspec)
{
  g_value_set_int64 (value, TEST_VALUE (object)->value);
}

static void
test_value_set_property (GObject *object, guint id, const GValue *value, GParamSpec *pspec)
{
  TEST_VALUE (object)->value = g_value_get_int64 (value);
}

static gboolean
test_value_process (SetlFactory *factory, GCancellable *cancellable, GError **error)
{
  value_note (TEST_VALUE (factory), TRUE);
  return TRUE;
}

static gboolean
test_value_get (SetlFactory *factory, GValue *output, GError **error)
{
  g_value_set_int64 (output, TEST_VALUE (factory)->value);
  return TRUE;
}

static GType
test_value_get_output_type (SetlFactory *factory)
{
  value_note (TEST_VALUE (factory), FALSE);
  return G_TYPE_INT64;
}

static void
test_value_class_init (TestValueClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  SetlFactoryClass *factory_class = SETL_FACTORY_CLASS (klass);

  object_class->get_property = test_value_get_property;
  object_class->set_property = test_value_set_property;
  factory_class->process = test_value_process;
  factory_class->get = test_value_get;
  factory_class->get_output_type = test_value_get_output_type;
  g_object_class_install_property (object_class, 1,
    g_param_spec_int64 ("value", NULL, NULL, G_MININT64, G_MAXINT64, 0,
                        G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS));
}

static void
test_value_init (TestValue *self)
{
}

/* Two independent sources in one stage, which may run in parallel. */
static SetlPipeline *
build_values (SetlCachePolicy *policy,
              gint64           x,
              gint64           y,
              int              max_threads)
{
  SetlPipeline *p = setl_pipeline_new ("values");
  g_autoptr(SetlStage) stage = setl_stage_new ();

  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(SetlFactory) f = g_object_new (TEST_TYPE_VALUE, "name", i ? "y" : "x",
                                               "value", i ? y : x, NULL);
      setl_factory_set_delivery_id (f, i ? "y" : "x");
      setl_stage_add_factory (stage, f);
    }
  setl_pipeline_add_stage (p, stage);
  setl_pipeline_set_max_threads (p, max_threads);
  setl_pipeline_set_cache_policy (p, policy);
  return p;
}

/* A stage whose factories are all cached is run on the calling thread:
 * starting the pool's threads would take longer than handing the results
 * on. So is a stage with one factory to run. Two factories to run still
 * run on the pool's threads. Each factory is looked up once a run, though
 * a stage's lookups are made before it is dispatched. */
static void
test_warm_stage_inline (void)
{
  g_autoptr(SetlCachePolicy) policy = new_memory_cache (0, 0);
  g_autoptr(SetlCacheStats) cold = NULL, warm = NULL, mixed = NULL;

  value_threads = g_ptr_array_new ();
  value_ran = g_ptr_array_new ();

  /* Cold: both run, on the pool's threads (the calling thread only emits
   * the signals then). */
  {
    g_autoptr(SetlPipeline) p = build_values (policy, 1, 2, 4);

    run_ok (p);
    assert_status (p, "x", SETL_FACTORY_STATUS_SUCCEEDED);
    assert_status (p, "y", SETL_FACTORY_STATUS_SUCCEEDED);
    g_assert_cmpuint (value_ran->len, ==, 2);
    g_assert_cmpuint (value_calls_elsewhere (), >, 0);
    cold = setl_cache_policy_get_stats (policy);
    g_assert_cmpuint (cold->misses, ==, 2);
    g_assert_cmpuint (cold->stores, ==, 2);
  }

  /* Warm: nothing runs, nothing is called on another thread. */
  value_forget ();
  {
    g_autoptr(SetlPipeline) p = build_values (policy, 1, 2, 4);
    const GValue *v;

    run_ok (p);
    assert_status (p, "x", SETL_FACTORY_STATUS_REUSED);
    assert_status (p, "y", SETL_FACTORY_STATUS_REUSED);
    g_assert_cmpuint (value_ran->len, ==, 0);
    g_assert_cmpuint (value_threads->len, >, 0);
    g_assert_cmpuint (value_calls_elsewhere (), ==, 0);
    v = setl_pipeline_get_output_by_name (p, "y", NULL);
    g_assert_nonnull (v);
    g_assert_cmpint (g_value_get_int64 (v), ==, 2);
    warm = setl_cache_policy_get_stats (policy);
    g_assert_cmpuint (warm->hits - cold->hits, ==, 2);
    g_assert_cmpuint (warm->misses, ==, cold->misses);
  }

  /* One to run, one reused: the one that runs does so on this thread. */
  value_forget ();
  {
    g_autoptr(SetlPipeline) p = build_values (policy, 1, 3, 4);

    run_ok (p);
    assert_status (p, "x", SETL_FACTORY_STATUS_REUSED);
    assert_status (p, "y", SETL_FACTORY_STATUS_SUCCEEDED);
    g_assert_cmpuint (value_ran->len, ==, 1);
    g_assert_cmpstr (setl_factory_get_name (g_ptr_array_index (value_ran, 0)), ==, "y");
    g_assert_cmpuint (value_calls_elsewhere (), ==, 0);
    mixed = setl_cache_policy_get_stats (policy);
    g_assert_cmpuint (mixed->hits - warm->hits, ==, 1);
    g_assert_cmpuint (mixed->misses - warm->misses, ==, 1);
  }

  /* Two to run: in parallel again. */
  value_forget ();
  {
    g_autoptr(SetlPipeline) p = build_values (policy, 4, 5, 4);

    run_ok (p);
    assert_status (p, "x", SETL_FACTORY_STATUS_SUCCEEDED);
    assert_status (p, "y", SETL_FACTORY_STATUS_SUCCEEDED);
    g_assert_cmpuint (value_calls_elsewhere (), >, 0);
  }

  g_clear_pointer (&value_threads, g_ptr_array_unref);
  g_clear_pointer (&value_ran, g_ptr_array_unref);
}

/* What the body of a table file holds: its frames, after the header (96
 * bytes: the sizes of the schema section at 40 and of the body at 48) and
 * the schema section. A flipped byte there is found only when the table is
 * read, never by a lookup. Returns how many files had a body. */
static guint
damage_bodies (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;
  guint n = 0;

  while (d && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autofree char *content = NULL;
      gsize length;
      guint64 schema_size, body_size;

      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        {
          n += damage_bodies (path);
          continue;
        }
      if (!g_str_has_suffix (name, ".stbl") || !g_file_get_contents (path, &content, &length, NULL) ||
          length < 96)
        continue;
      memcpy (&schema_size, content + 40, 8);
      memcpy (&body_size, content + 48, 8);
      schema_size = GUINT64_FROM_LE (schema_size);
      body_size = GUINT64_FROM_LE (body_size);
      if (body_size == 0)
        continue;   /* a simple value, kept in the metadata */
      g_assert_cmpuint (96 + schema_size + body_size, <, length);
      content[96 + schema_size + body_size - 1] ^= 0x5a;   /* the last frame's last byte */
      g_assert_true (g_file_set_contents (path, content, length, NULL));
      n++;
    }
  return n;
}

/* With the disk policy: a warm run whose sink is reused reads none of the
 * tables upstream of it, so damage inside them goes unnoticed — they are
 * not loaded. The control: a run whose sink must write reads them, and
 * finds the damage. */
static void
test_warm_loads_nothing (Fixture       *fx,
                         gconstpointer  data)
{
  SetlPluginFeature *feature =
    setl_plugin_registry_lookup_feature (setl_plugin_registry_get_default (), "disk");
  g_autoptr(GError) error = NULL;
  g_autoptr(GObject) policy = NULL;
  g_autoptr(SetlPipeline) p1 = NULL, p2 = NULL, p3 = NULL;
  g_autofree char *dir = g_build_filename (fx->dir, "cache", NULL);
  g_autofree char *first = NULL, *second = NULL;

  if (feature == NULL)
    {
      g_test_skip ("the cache-disk plugin is not built");
      return;
    }
  policy = setl_plugin_feature_create (feature, &error);
  g_assert_no_error (error);
  g_object_set (policy, "dir", dir, "verify", FALSE, NULL);

  p1 = build (fx, SETL_CACHE_POLICY (policy));
  run_ok (p1);
  first = read_file (fx->out);
  /* Every factory but the sink stored a table. */
  g_assert_cmpuint (damage_bodies (dir), ==, 5);

  p2 = build (fx, SETL_CACHE_POLICY (policy));
  run_ok (p2);
  for (guint i = 0; all[i]; i++)
    {
      SetlFactoryResult *r = setl_run_report_find (setl_pipeline_get_report (p2), all[i]);

      assert_status (p2, all[i], SETL_FACTORY_STATUS_REUSED);
      g_assert_cmpint (setl_factory_result_get_cache_reason (r), ==, SETL_CACHE_MISS_NONE);
    }
  {
    g_autofree char *json = setl_run_report_to_json (setl_pipeline_get_report (p2));
    g_assert_null (strstr (json, "recomputed"));
  }
  second = read_file (fx->out);
  g_assert_cmpstr (first, ==, second);

  /* The control: when "out" must run (its file is gone), it reads "both",
   * which finds the damage (with warnings) and runs after all. */
  g_assert_cmpint (g_unlink (fx->out), ==, 0);
  p3 = build (fx, SETL_CACHE_POLICY (policy));
  {
    GLogLevelFlags fatal = g_log_set_always_fatal (G_LOG_FATAL_MASK);
    g_autofree char *third = NULL;
    g_autofree char *json = NULL;

    run_ok (p3);
    g_log_set_always_fatal (fatal);
    third = read_file (fx->out);
    g_assert_cmpstr (first, ==, third);
    g_assert_cmpint (reason_of (p3, "both"), ==, SETL_CACHE_MISS_CORRUPT);
    json = setl_run_report_to_json (setl_pipeline_get_report (p3));
    g_assert_nonnull (strstr (json, "\"recomputed\" : true"));
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cache/key/digest", test_key_digest);
  g_test_add_func ("/cache/key/payload-hash", test_payload_hash);
  g_test_add_func ("/cache/entry/metadata", test_entry_metadata);
  g_test_add_func ("/cache/key/plugin-version", test_plugin_version);
  g_test_add_func ("/cache/key/plugin-version/subprocess", test_plugin_version_child);
  g_test_add_func ("/cache/memory/lru-by-bytes", test_memory_lru);
  g_test_add_func ("/cache/memory/miss-reasons", test_memory_reasons);
  g_test_add_func ("/cache/pipeline/warm-stage-runs-inline", test_warm_stage_inline);
#define ADD(path, func) \
  g_test_add ("/cache/pipeline/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("rerun-hits-everywhere", test_rerun_hits);
  ADD ("touched-input-reruns-downstream", test_touch_input);
  ADD ("changed-property-reruns-dependents", test_property_change);
  ADD ("validation-hook-in-key", test_hook_in_key);
  ADD ("deleted-output-rewritten", test_output_deleted);
  ADD ("ttl-expiry", test_ttl);
  ADD ("early-cutoff", test_early_cutoff);
  ADD ("modes", test_modes);
  ADD ("lazy-outputs", test_lazy_outputs);
  ADD ("pipeline-file", test_pipeline_file);
  ADD ("damaged-entry-recomputed", test_damaged_entry);
  ADD ("sqlite-fingerprints", test_sqlite);
  ADD ("large-entries", test_large_entries);
  ADD ("warm-run-loads-nothing-upstream", test_warm_loads_nothing);
#undef ADD
  return g_test_run ();
}
