/* test-disk-cache.c: the "disk" cache policy and its store — hits and
 * misses, TTL, damaged entries, LRU eviction by size, and two processes
 * filling one directory at once.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <setl/setl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "setl-disk-cache.h"
#include "setl-disk-store.h"
#include "setl-table-file.h"
#include "setl-table-file-private.h"
#include "cache-disk-test-util.h"

static char *tmpdir;

/* A fresh cache directory per test. */
static char *
new_cache_dir (const char *name)
{
  return g_build_filename (tmpdir, name, NULL);
}

static SetlCacheKey *
make_key (const char *subject,
          guint       seed)
{
  SetlCacheKey *key = setl_cache_key_new (subject);

  setl_cache_key_add (key, "type", "TestFactory");
  setl_cache_key_add_printf (key, "seed", "%u", seed);
  return key;
}

static SetlTable *
table_for_seed (guint seed)
{
  return cd_test_make_table (200 + (gint64) seed * 7, 100, seed);
}

static SetlCacheEntry *
make_table_entry (SetlCacheKey *key,
                  SetlTable    *table)
{
  g_auto(GValue) v = G_VALUE_INIT;
  SetlCacheEntry *entry;

  g_value_init (&v, SETL_TYPE_TABLE);
  g_value_set_object (&v, table);
  entry = setl_cache_entry_new (key, &v);
  setl_cache_entry_set_data_version (entry, "0123456789abcdef0123456789abcdef");
  setl_cache_entry_set_compute_time (entry, 4242);
  setl_cache_entry_set_output_fingerprint (entry, "size=1;mtime=2");
  return entry;
}

static void
store_table (SetlCachePolicy *policy,
             SetlCacheKey    *key,
             SetlTable       *table)
{
  g_autoptr(SetlCacheEntry) entry = make_table_entry (key, table);
  g_autoptr(GError) error = NULL;

  g_assert_true (setl_cache_policy_store (policy, entry, NULL, &error));
  g_assert_no_error (error);
}

static char *
entry_path (SetlDiskCache *cache,
            SetlCacheKey  *key)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SetlDiskStore) store = setl_disk_store_new (setl_disk_cache_get_dir (cache), &error);

  g_assert_no_error (error);
  return setl_disk_store_entry_path (store, setl_cache_key_get_digest (key));
}

static void
assert_usage_consistent (const char *dir)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SetlDiskStore) store = setl_disk_store_new (dir, &error);
  SetlDiskStoreUsage counted, scanned;

  g_assert_no_error (error);
  g_assert_true (setl_disk_store_get_usage (store, &counted, &error));
  g_assert_true (setl_disk_store_scan (store, &scanned, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (counted.size, ==, scanned.size);
  g_assert_cmpuint (counted.n_entries, ==, scanned.n_entries);
}

static void
test_store_lookup_load (void)
{
  g_autofree char *dir = new_cache_dir ("basic");
  g_autoptr(SetlDiskCache) cache = setl_disk_cache_new (dir);
  SetlCachePolicy *policy = SETL_CACHE_POLICY (cache);
  g_autoptr(SetlCacheKey) key = make_key ("pipe/read", 1);
  g_autoptr(SetlTable) table = table_for_seed (1);
  g_autoptr(SetlCacheEntry) found = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autoptr(SetlCacheStats) stats = NULL;
  SetlCacheMissReason reason = SETL_CACHE_MISS_NONE;
  gint64 before = g_get_real_time ();
  SetlCacheKey *stored_key;
  struct stat st;

  g_assert_cmpstr (setl_disk_cache_get_dir (cache), ==, dir);
  store_table (policy, key, table);
  path = entry_path (cache, key);
  g_assert_cmpint (g_stat (path, &st), ==, 0);

  found = setl_cache_policy_lookup (policy, key, &reason, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (found);
  g_assert_cmpint (reason, ==, SETL_CACHE_MISS_NONE);
  /* The lookup read the metadata only. */
  g_assert_null (setl_cache_entry_get_payload (found));
  g_assert_true (setl_cache_entry_get_payload_type (found) == SETL_TYPE_TABLE);
  g_assert_cmpuint (setl_cache_entry_get_size (found), ==, (guint64) st.st_size);
  g_assert_cmpint (setl_cache_entry_get_last_access (found), >=, before);
  g_assert_cmpstr (setl_cache_entry_get_data_version (found), ==, "0123456789abcdef0123456789abcdef");
  g_assert_cmpint (setl_cache_entry_get_compute_time (found), ==, 4242);
  g_assert_cmpstr (setl_cache_entry_get_output_fingerprint (found), ==, "size=1;mtime=2");
  stored_key = setl_cache_entry_get_key (found);
  g_assert_cmpstr (setl_cache_key_get_subject (stored_key), ==, "pipe/read");
  g_assert_cmpstr (setl_cache_key_lookup (stored_key, "seed"), ==, "1");
  g_assert_true (setl_cache_key_equal (stored_key, key));

  g_assert_true (setl_cache_policy_load (policy, found, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (setl_table_equal (g_value_get_object (setl_cache_entry_get_payload (found)), table));

  stats = setl_cache_policy_get_stats (policy);
  g_assert_cmpuint (stats->hits, ==, 1);
  g_assert_cmpuint (stats->stores, ==, 1);
  g_assert_cmpuint (stats->n_entries, ==, 1);
  g_assert_cmpuint (stats->size, ==, (guint64) st.st_size);
  g_assert_cmpuint (stats->max_size, ==, SETL_DISK_CACHE_DEFAULT_MAX_SIZE);
  assert_usage_consistent (dir);
}

/* A hit takes the key it was looked up by when the stored one has its
 * subject (the stored ingredients are then not read back); a key of the
 * same ingredients from another subject gets the stored key, read whole. */
static void
test_lookup_key_subject (void)
{
  g_autofree char *dir = new_cache_dir ("key-subject");
  g_autoptr(SetlDiskCache) cache = setl_disk_cache_new (dir);
  SetlCachePolicy *policy = SETL_CACHE_POLICY (cache);
  g_autoptr(SetlCacheKey) key = make_key ("pipe/read", 3);
  g_autoptr(SetlCacheKey) again = make_key ("pipe/read", 3);
  g_autoptr(SetlCacheKey) other = make_key ("other/read", 3);
  g_autoptr(SetlTable) table = table_for_seed (3);
  g_autoptr(SetlCacheEntry) found = NULL;
  g_autoptr(SetlCacheEntry) shared = NULL;
  g_autoptr(GError) error = NULL;
  SetlCacheKey *stored_key;

  store_table (policy, key, table);

  found = setl_cache_policy_lookup (policy, again, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (found);
  g_assert_true (setl_cache_entry_get_key (found) == again);

  g_assert_cmpstr (setl_cache_key_get_digest (other), ==, setl_cache_key_get_digest (key));
  shared = setl_cache_policy_lookup (policy, other, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (shared);
  stored_key = setl_cache_entry_get_key (shared);
  g_assert_true (stored_key != other);
  g_assert_cmpstr (setl_cache_key_get_subject (stored_key), ==, "pipe/read");
  g_assert_cmpstr (setl_cache_key_lookup (stored_key, "type"), ==, "TestFactory");
  g_assert_cmpstr (setl_cache_key_lookup (stored_key, "seed"), ==, "3");
  g_assert_true (setl_cache_key_equal (stored_key, key));

  g_assert_true (setl_cache_policy_load (policy, found, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (setl_table_equal (g_value_get_object (setl_cache_entry_get_payload (found)), table));
  g_assert_true (setl_cache_policy_load (policy, shared, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (setl_table_equal (g_value_get_object (setl_cache_entry_get_payload (shared)), table));
}

static void
check_simple (SetlCachePolicy *policy,
              const GValue    *value,
              guint            seed)
{
  g_autoptr(SetlCacheKey) key = make_key ("pipe/simple", seed);
  g_autoptr(SetlCacheEntry) entry = setl_cache_entry_new (key, value);
  g_autoptr(SetlCacheEntry) found = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *want = NULL;
  g_autofree char *got = NULL;
  const GValue *payload;

  g_assert_true (setl_cache_policy_store (policy, entry, NULL, &error));
  g_assert_no_error (error);
  found = setl_cache_policy_lookup (policy, key, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (found);
  g_assert_true (setl_cache_policy_load (policy, found, NULL, &error));
  payload = setl_cache_entry_get_payload (found);
  g_assert_nonnull (payload);
  g_assert_cmpstr (G_VALUE_TYPE_NAME (payload), ==, G_VALUE_TYPE_NAME (value));
  want = g_strdup_value_contents (value);
  got = g_strdup_value_contents (payload);
  g_assert_cmpstr (got, ==, want);
}

static void
test_simple_values (void)
{
  g_autofree char *dir = new_cache_dir ("simple");
  g_autoptr(SetlDiskCache) cache = setl_disk_cache_new (dir);
  SetlCachePolicy *policy = SETL_CACHE_POLICY (cache);
  GValue v = G_VALUE_INIT;
  guint seed = 0;

#define CHECK(type, setter, val) \
  g_value_init (&v, type); setter (&v, val); check_simple (policy, &v, seed++); g_value_unset (&v)

  CHECK (G_TYPE_BOOLEAN, g_value_set_boolean, TRUE);
  CHECK (G_TYPE_INT, g_value_set_int, -42);
  CHECK (G_TYPE_UINT, g_value_set_uint, 4000000000u);
  CHECK (G_TYPE_INT64, g_value_set_int64, G_MININT64);
  CHECK (G_TYPE_UINT64, g_value_set_uint64, G_MAXUINT64);
  CHECK (G_TYPE_DOUBLE, g_value_set_double, -1.5e300);
  CHECK (G_TYPE_STRING, g_value_set_string, "rows: 10, “quoted”");
  CHECK (G_TYPE_STRING, g_value_set_string, "");
  CHECK (G_TYPE_STRING, g_value_set_string, NULL);
#undef CHECK
  assert_usage_consistent (dir);
}

/* A miss says whether the subject was ever stored; lookup_subject gives
 * the latest entry's key, which explains the miss. */
static void
test_miss_reasons (void)
{
  g_autofree char *dir = new_cache_dir ("miss");
  g_autoptr(SetlDiskCache) cache = setl_disk_cache_new (dir);
  SetlCachePolicy *policy = SETL_CACHE_POLICY (cache);
  g_autoptr(SetlCacheKey) k1 = make_key ("pipe/f", 1);
  g_autoptr(SetlCacheKey) k2 = make_key ("pipe/f", 2);
  g_autoptr(SetlCacheKey) k3 = make_key ("pipe/f", 3);
  /* The subject is not part of the digest: other ingredients too. */
  g_autoptr(SetlCacheKey) other = make_key ("pipe/g", 99);
  g_autoptr(SetlTable) t1 = table_for_seed (1);
  g_autoptr(SetlTable) t2 = table_for_seed (2);
  g_autoptr(SetlCacheEntry) found = NULL;
  g_autoptr(SetlCacheEntry) latest = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) diff = NULL;
  SetlCacheMissReason reason;

  found = setl_cache_policy_lookup (policy, k1, &reason, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (found);
  g_assert_cmpint (reason, ==, SETL_CACHE_MISS_NO_ENTRY);
  g_assert_null (setl_cache_policy_lookup_subject (policy, "pipe/f", NULL, &error));
  g_assert_no_error (error);

  store_table (policy, k1, t1);
  store_table (policy, k2, t2);

  found = setl_cache_policy_lookup (policy, k3, &reason, NULL, &error);
  g_assert_null (found);
  g_assert_cmpint (reason, ==, SETL_CACHE_MISS_KEY_CHANGED);
  found = setl_cache_policy_lookup (policy, other, &reason, NULL, &error);
  g_assert_null (found);
  g_assert_cmpint (reason, ==, SETL_CACHE_MISS_NO_ENTRY);

  latest = setl_cache_policy_lookup_subject (policy, "pipe/f", NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (latest);
  g_assert_null (setl_cache_entry_get_payload (latest));
  g_assert_true (setl_cache_key_equal (setl_cache_entry_get_key (latest), k2));
  diff = setl_cache_key_diff (k3, setl_cache_entry_get_key (latest));
  g_assert_nonnull (diff);
  g_assert_cmpuint (g_strv_length (diff), >=, 1);

  /* Both entries are there, each under its own digest. */
  found = setl_cache_policy_lookup (policy, k1, &reason, NULL, &error);
  g_assert_nonnull (found);
  g_assert_true (setl_cache_policy_load (policy, found, NULL, &error));
  g_assert_true (setl_table_equal (g_value_get_object (setl_cache_entry_get_payload (found)), t1));
}

static void
test_ttl (void)
{
  g_autofree char *dir = new_cache_dir ("ttl");
  g_autoptr(SetlDiskCache) cache = setl_disk_cache_new (dir);
  SetlCachePolicy *policy = SETL_CACHE_POLICY (cache);
  g_autoptr(SetlCacheKey) old_key = make_key ("pipe/old", 1);
  g_autoptr(SetlCacheKey) new_key = make_key ("pipe/new", 2);
  g_autoptr(SetlTable) table = table_for_seed (1);
  g_autoptr(SetlCacheEntry) old_entry = make_table_entry (old_key, table);
  g_autoptr(SetlCacheEntry) found = NULL;
  g_autoptr(SetlCacheStats) stats = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *old_path = entry_path (cache, old_key);
  SetlCacheMissReason reason;

  /* Stored "an hour ago"; the TTL is what decides, at lookup time. */
  setl_cache_entry_set_created (old_entry, g_get_real_time () - (gint64) 3600 * G_USEC_PER_SEC);
  g_assert_true (setl_cache_policy_store (policy, old_entry, NULL, &error));
  store_table (policy, new_key, table);

  /* No TTL: both are fresh. */
  found = setl_cache_policy_lookup (policy, old_key, &reason, NULL, &error);
  g_assert_nonnull (found);
  g_clear_object (&found);

  setl_cache_policy_set_ttl (policy, 600);
  g_assert_cmpuint (setl_cache_policy_get_ttl (policy), ==, 600);
  found = setl_cache_policy_lookup (policy, old_key, &reason, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (found);
  g_assert_cmpint (reason, ==, SETL_CACHE_MISS_EXPIRED);
  g_assert_false (g_file_test (old_path, G_FILE_TEST_EXISTS));

  found = setl_cache_policy_lookup (policy, new_key, &reason, NULL, &error);
  g_assert_nonnull (found);
  g_assert_cmpint (reason, ==, SETL_CACHE_MISS_NONE);

  stats = setl_cache_policy_get_stats (policy);
  g_assert_cmpuint (stats->expired, ==, 1);
  g_assert_cmpuint (stats->n_entries, ==, 1);
  assert_usage_consistent (dir);
}

/* The TTL an entry was stored under goes with it: another process with no
 * TTL, sharing the directory, does not serve it after that. */
static void
test_stored_ttl (void)
{
  g_autofree char *dir = new_cache_dir ("stored-ttl");
  g_autoptr(SetlDiskCache) writer = setl_disk_cache_new (dir);
  g_autoptr(SetlDiskCache) reader = setl_disk_cache_new (dir);
  g_autoptr(SetlCacheKey) old_key = make_key ("pipe/old", 1);
  g_autoptr(SetlCacheKey) new_key = make_key ("pipe/new", 2);
  g_autoptr(SetlTable) table = table_for_seed (1);
  g_autoptr(SetlCacheEntry) old_entry = make_table_entry (old_key, table);
  g_autoptr(SetlCacheEntry) found = NULL;
  g_autoptr(GError) error = NULL;
  SetlCacheMissReason reason;

  setl_cache_policy_set_ttl (SETL_CACHE_POLICY (writer), 600);
  setl_cache_entry_set_created (old_entry, g_get_real_time () - (gint64) 3600 * G_USEC_PER_SEC);
  g_assert_true (setl_cache_policy_store (SETL_CACHE_POLICY (writer), old_entry, NULL, &error));
  store_table (SETL_CACHE_POLICY (writer), new_key, table);

  g_assert_cmpuint (setl_cache_policy_get_ttl (SETL_CACHE_POLICY (reader)), ==, 0);
  found = setl_cache_policy_lookup (SETL_CACHE_POLICY (reader), old_key, &reason, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (found);
  g_assert_cmpint (reason, ==, SETL_CACHE_MISS_EXPIRED);
  found = setl_cache_policy_lookup (SETL_CACHE_POLICY (reader), new_key, &reason, NULL, &error);
  g_assert_nonnull (found);
}

static void
flip_byte (const char *path,
           gsize       offset)
{
  g_autoptr(GBytes) bytes = cd_test_read_file (path);
  gsize size = g_bytes_get_size (bytes);
  g_autofree guint8 *copy = g_memdup2 (g_bytes_get_data (bytes, NULL), size);

  g_assert_cmpuint (offset, <, size);
  copy[offset] ^= 0x10;
  cd_test_write_file (path, copy, size);
}

/* A bit flipped in a batch: with verify the lookup finds it; without
 * (the default), the lookup passes (header and metadata are fine) and load
 * finds it. Either way: dropped with a warning, and a miss. */
static void
test_corrupt_payload (void)
{
  g_autofree char *dir = new_cache_dir ("corrupt-payload");
  g_autoptr(SetlDiskCache) cache = setl_disk_cache_new (dir);
  SetlCachePolicy *policy = SETL_CACHE_POLICY (cache);
  g_autoptr(SetlCacheKey) key = make_key ("pipe/x", 1);
  g_autoptr(SetlTable) table = table_for_seed (1);
  g_autoptr(SetlCacheEntry) found = NULL;
  g_autoptr(SetlCacheStats) stats = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = entry_path (cache, key);
  SetlCacheMissReason reason = SETL_CACHE_MISS_NONE;
  gboolean verify = FALSE;
  struct stat st;

  g_object_get (cache, "verify", &verify, NULL);
  g_assert_false (verify);
  g_object_set (cache, "verify", TRUE, NULL);
  store_table (policy, key, table);
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  flip_byte (path, (gsize) st.st_size - 100);

  g_test_expect_message ("setl-cache-disk", G_LOG_LEVEL_WARNING, "*damaged entry*checksum*");
  found = setl_cache_policy_lookup (policy, key, &reason, NULL, &error);
  g_test_assert_expected_messages ();
  g_assert_no_error (error);
  g_assert_null (found);
  g_assert_cmpint (reason, ==, SETL_CACHE_MISS_CORRUPT);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));

  /* Without verify, load finds it. */
  g_object_set (cache, "verify", FALSE, NULL);
  store_table (policy, key, table);
  flip_byte (path, (gsize) st.st_size - 100);
  found = setl_cache_policy_lookup (policy, key, NULL, NULL, &error);
  g_assert_nonnull (found);
  g_test_expect_message ("setl-cache-disk", G_LOG_LEVEL_WARNING, "*damaged entry*checksum*");
  g_assert_false (setl_cache_policy_load (policy, found, NULL, &error));
  g_test_assert_expected_messages ();
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_assert_nonnull (strstr (error->message, path));
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));

  stats = setl_cache_policy_get_stats (policy);
  g_assert_cmpuint (stats->corrupt, ==, 2);
  g_assert_cmpuint (stats->hits, ==, 0);
  g_assert_cmpuint (stats->n_entries, ==, 0);
  assert_usage_consistent (dir);

  /* Recomputed and stored again, it is a hit. */
  g_clear_object (&found);
  store_table (policy, key, table);
  found = setl_cache_policy_lookup (policy, key, NULL, NULL, NULL);
  g_assert_nonnull (found);
  g_assert_true (setl_cache_policy_load (policy, found, NULL, NULL));
}

/* Damage in the header, or a truncated file, is caught by the lookup
 * itself: dropped with a warning and reported as a corrupt miss. */
static void
test_corrupt_header (void)
{
  g_autofree char *dir = new_cache_dir ("corrupt-header");
  g_autoptr(SetlDiskCache) cache = setl_disk_cache_new (dir);
  SetlCachePolicy *policy = SETL_CACHE_POLICY (cache);
  g_autoptr(SetlTable) table = table_for_seed (2);
  g_autoptr(GError) error = NULL;

  for (guint how = 0; how < 3; how++)
    {
      g_autoptr(SetlCacheKey) key = make_key ("pipe/h", how);
      g_autofree char *path = entry_path (cache, key);
      g_autoptr(SetlCacheEntry) found = NULL;
      SetlCacheMissReason reason = SETL_CACHE_MISS_NONE;
      struct stat st;

      store_table (policy, key, table);
      g_assert_cmpint (g_stat (path, &st), ==, 0);
      if (how == 0)
        flip_byte (path, 30);                           /* the header */
      else if (how == 1)
        flip_byte (path, 100);                          /* the metadata */
      else
        g_assert_cmpint (truncate (path, st.st_size / 2), ==, 0);

      g_test_expect_message ("setl-cache-disk", G_LOG_LEVEL_WARNING, "*damaged entry*");
      found = setl_cache_policy_lookup (policy, key, &reason, NULL, &error);
      g_test_assert_expected_messages ();
      g_assert_no_error (error);
      g_assert_null (found);
      g_assert_cmpint (reason, ==, SETL_CACHE_MISS_CORRUPT);
      g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
    }
  assert_usage_consistent (dir);
}

/* The least recently used entry goes first: storing, and hitting, count
 * as uses. */
static void
test_lru_eviction (void)
{
  g_autofree char *dir = new_cache_dir ("lru");
  g_autoptr(SetlDiskCache) cache = setl_disk_cache_new (dir);
  SetlCachePolicy *policy = SETL_CACHE_POLICY (cache);
  g_autoptr(SetlTable) table = table_for_seed (5);
  /* One table under four keys: four files of (almost exactly) one size. */
  g_autoptr(SetlCacheKey) ka = make_key ("pipe/a", 5);
  g_autoptr(SetlCacheKey) kb = make_key ("pipe/b", 6);
  g_autoptr(SetlCacheKey) kc = make_key ("pipe/c", 7);
  g_autoptr(SetlCacheKey) kd = make_key ("pipe/d", 8);
  g_autoptr(SetlCacheEntry) hit = NULL;
  g_autoptr(SetlCacheStats) stats = NULL;
  g_autofree char *pa = entry_path (cache, ka);
  g_autofree char *pb = entry_path (cache, kb);
  g_autofree char *pc = entry_path (cache, kc);
  g_autofree char *pd = entry_path (cache, kd);
  struct stat st;
  guint64 one;

  store_table (policy, ka, table);
  g_assert_cmpint (g_stat (pa, &st), ==, 0);
  one = (guint64) st.st_size;
  /* Room for three and a half entries of (almost exactly) this size. */
  setl_cache_policy_set_max_size (policy, one * 7 / 2);
  store_table (policy, kb, table);
  store_table (policy, kc, table);

  hit = setl_cache_policy_lookup (policy, ka, NULL, NULL, NULL);
  g_assert_nonnull (hit);
  store_table (policy, kd, table);

  g_assert_true (g_file_test (pa, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (pb, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (pc, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (pd, G_FILE_TEST_EXISTS));

  /* The entry found before its file was evicted still loads whole. */
  g_assert_true (setl_cache_policy_load (policy, hit, NULL, NULL));

  stats = setl_cache_policy_get_stats (policy);
  g_assert_cmpuint (stats->evictions, ==, 1);
  g_assert_cmpuint (stats->n_entries, ==, 3);
  g_assert_cmpuint (stats->size, <=, one * 7 / 2);
  assert_usage_consistent (dir);
}

static void
test_too_large (void)
{
  g_autofree char *dir = new_cache_dir ("too-large");
  g_autoptr(SetlDiskCache) cache = setl_disk_cache_new (dir);
  SetlCachePolicy *policy = SETL_CACHE_POLICY (cache);
  g_autoptr(SetlCacheKey) key = make_key ("pipe/big", 1);
  g_autoptr(SetlTable) table = table_for_seed (1);
  g_autoptr(SetlCacheStats) stats = NULL;
  g_autofree char *path = entry_path (cache, key);

  setl_cache_policy_set_max_size (policy, 1000);
  store_table (policy, key, table);   /* not an error */
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_null (setl_cache_policy_lookup (policy, key, NULL, NULL, NULL));
  stats = setl_cache_policy_get_stats (policy);
  g_assert_cmpuint (stats->stores, ==, 0);
  g_assert_cmpuint (stats->n_entries, ==, 0);
  assert_usage_consistent (dir);
}

static void
test_remove_clear (void)
{
  g_autofree char *dir = new_cache_dir ("remove");
  g_autoptr(SetlDiskCache) cache = setl_disk_cache_new (dir);
  SetlCachePolicy *policy = SETL_CACHE_POLICY (cache);
  g_autoptr(SetlTable) table = table_for_seed (3);
  g_autoptr(SetlCacheStats) stats = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < 5; i++)
    {
      g_autoptr(SetlCacheKey) key = make_key ("pipe/r", i);
      store_table (policy, key, table);
    }
  {
    g_autoptr(SetlCacheKey) key = make_key ("pipe/r", 0);
    const char *digest = setl_cache_key_get_digest (key);

    g_assert_true (setl_cache_policy_remove (policy, digest, &error));
    g_assert_false (setl_cache_policy_remove (policy, digest, &error));
    g_assert_no_error (error);
    g_assert_null (setl_cache_policy_lookup (policy, key, NULL, NULL, NULL));
  }
  stats = setl_cache_policy_get_stats (policy);
  g_assert_cmpuint (stats->n_entries, ==, 4);
  g_clear_pointer (&stats, setl_cache_stats_free);

  g_assert_true (setl_cache_policy_clear (policy, &error));
  g_assert_no_error (error);
  stats = setl_cache_policy_get_stats (policy);
  g_assert_cmpuint (stats->n_entries, ==, 0);
  g_assert_cmpuint (stats->size, ==, 0);
  g_assert_null (setl_cache_policy_lookup_subject (policy, "pipe/r", NULL, NULL));
  assert_usage_consistent (dir);
}

static void
test_default_dir (void)
{
  g_autoptr(SetlDiskCache) cache = setl_disk_cache_new (NULL);
  g_autofree char *expected = g_build_filename (g_get_user_cache_dir (), "setl", NULL);
  g_autofree char *prop = NULL;

  g_assert_cmpstr (setl_disk_cache_get_dir (cache), ==, expected);
  g_object_get (cache, "dir", &prop, NULL);
  g_assert_cmpstr (prop, ==, expected);
  g_object_set (cache, "dir", tmpdir, NULL);
  g_assert_cmpstr (setl_disk_cache_get_dir (cache), ==, tmpdir);
}

/* Damaged counters are recomputed from the directory, and temporary files
 * of writers that died long ago are swept by eviction. */
static void
test_store_repair (void)
{
  g_autofree char *dir = new_cache_dir ("repair");
  g_autoptr(SetlDiskCache) cache = setl_disk_cache_new (dir);
  SetlCachePolicy *policy = SETL_CACHE_POLICY (cache);
  g_autoptr(SetlTable) table = table_for_seed (1);
  g_autoptr(SetlDiskStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *lock = NULL;
  g_autofree char *stale = NULL;
  g_autofree char *fresh = NULL;
  g_autofree char *fan = NULL;
  struct timespec old_times[2] = { { 1000000, 0 }, { 1000000, 0 } };
  SetlDiskStoreUsage usage;

  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(SetlCacheKey) key = make_key ("pipe/rep", i);
      store_table (policy, key, table);
    }
  store = setl_disk_store_new (dir, &error);
  g_assert_no_error (error);
  lock = g_build_filename (setl_disk_store_get_root (store), "lock", NULL);
  cd_test_write_file (lock, "garbage that is not counters", 28);
  assert_usage_consistent (dir);
  g_assert_true (setl_disk_store_get_usage (store, &usage, &error));
  g_assert_cmpuint (usage.n_entries, ==, 3);

  fan = g_build_filename (setl_disk_store_get_root (store), "entries", "00", NULL);
  g_assert_cmpint (g_mkdir_with_parents (fan, 0755), ==, 0);
  stale = g_build_filename (fan, ".00dead.stbl.tmp-AAAAAA", NULL);
  fresh = g_build_filename (fan, ".00beef.stbl.tmp-BBBBBB", NULL);
  cd_test_write_file (stale, "x", 1);
  cd_test_write_file (fresh, "y", 1);
  g_assert_cmpint (utimensat (AT_FDCWD, stale, old_times, 0), ==, 0);

  g_assert_true (setl_disk_store_evict (store, G_MAXUINT64, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (g_file_test (stale, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (fresh, G_FILE_TEST_EXISTS));
  /* Temporary files are not entries. */
  assert_usage_consistent (dir);
  g_assert_true (setl_disk_store_get_usage (store, &usage, &error));
  g_assert_cmpuint (usage.n_entries, ==, 3);
}

/* Factories of one stage run on several threads and share the policy:
 * the store's mutex must exclude them where flock() on one open file does
 * not. */
typedef struct {
  SetlCachePolicy *policy;
  guint            id;
  gboolean         ok;
} ThreadJob;

static gpointer
thread_fill (gpointer data)
{
  ThreadJob *job = data;

  job->ok = TRUE;
  /* All threads walk the keys in the same order, so that they store the
   * same key at the same moment. */
  for (guint round = 0; round < 64; round++)
    {
      guint seed = round % 32;
      g_autoptr(SetlCacheKey) key = make_key ("threads", seed);
      g_autoptr(SetlTable) expected = table_for_seed (seed);
      g_autoptr(SetlCacheEntry) found = NULL;
      g_autoptr(GError) error = NULL;

      found = setl_cache_policy_lookup (job->policy, key, NULL, NULL, &error);
      if (found != NULL)
        {
          if (!setl_cache_policy_load (job->policy, found, NULL, &error) ||
              !setl_table_equal (g_value_get_object (setl_cache_entry_get_payload (found)),
                                 expected))
            job->ok = FALSE;
        }
      else
        {
          g_autoptr(SetlCacheEntry) entry = make_table_entry (key, expected);

          if (error != NULL || !setl_cache_policy_store (job->policy, entry, NULL, &error))
            job->ok = FALSE;
        }
    }
  return NULL;
}

static void
test_threads (void)
{
  g_autofree char *dir = new_cache_dir ("threads");
  g_autoptr(SetlDiskCache) cache = setl_disk_cache_new (dir);
  SetlCachePolicy *policy = SETL_CACHE_POLICY (cache);
  ThreadJob jobs[4];
  GThread *threads[4];
  g_autoptr(SetlCacheStats) stats = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (jobs); i++)
    {
      jobs[i].policy = policy;
      jobs[i].id = i;
      threads[i] = g_thread_new ("cache-test", thread_fill, &jobs[i]);
    }
  for (guint i = 0; i < G_N_ELEMENTS (jobs); i++)
    {
      g_thread_join (threads[i]);
      g_assert_true (jobs[i].ok);
    }
  assert_usage_consistent (dir);
  stats = setl_cache_policy_get_stats (policy);
  g_assert_cmpuint (stats->n_entries, ==, 32);
}

/* ---------------------------------------------------------------------- */
/* Two processes                                                            */

/* Run in a child process: looks up, loads and checks, or stores, a
 * sequence of @n_keys keys that the other child uses too, under a size
 * limit (0: none). With @same_order both children walk the keys in the
 * same order, so that they miss and store the same key at the same time;
 * otherwise in different orders. Exits non-zero on the first wrong result. */
static int
run_child (const char *dir,
           guint       id,
           guint64     max_size,
           guint       n_keys,
           gboolean    same_order)
{
  g_autoptr(SetlDiskCache) cache = setl_disk_cache_new (dir);
  SetlCachePolicy *policy = SETL_CACHE_POLICY (cache);
  guint hits = 0, stores = 0;

  setl_cache_policy_set_max_size (policy, max_size);
  for (guint round = 0; round < n_keys * 3; round++)
    {
      guint seed = same_order ? round % n_keys : (round * (id == 0 ? 7 : 5) + id) % n_keys;
      g_autoptr(SetlCacheKey) key = make_key ("shared", seed);
      g_autoptr(SetlTable) expected = table_for_seed (seed);
      g_autoptr(SetlCacheEntry) found = NULL;
      g_autoptr(GError) error = NULL;
      SetlCacheMissReason reason;

      found = setl_cache_policy_lookup (policy, key, &reason, NULL, &error);
      if (error != NULL)
        {
          g_printerr ("child %u: lookup: %s\n", id, error->message);
          return 1;
        }
      if (found != NULL)
        {
          if (!setl_cache_policy_load (policy, found, NULL, &error))
            {
              g_printerr ("child %u: load: %s\n", id, error->message);
              return 1;
            }
          if (!setl_table_equal (g_value_get_object (setl_cache_entry_get_payload (found)),
                                 expected))
            {
              g_printerr ("child %u: key %u: wrong table\n", id, seed);
              return 1;
            }
          hits++;
          continue;
        }
      if (reason == SETL_CACHE_MISS_CORRUPT)
        {
          g_printerr ("child %u: key %u: a corrupt entry\n", id, seed);
          return 1;
        }
      {
        g_autoptr(SetlCacheEntry) entry = make_table_entry (key, expected);

        if (!setl_cache_policy_store (policy, entry, NULL, &error))
          {
            g_printerr ("child %u: store: %s\n", id, error->message);
            return 1;
          }
        stores++;
      }
    }
  g_printerr ("child %u: %u hits, %u stores\n", id, hits, stores);
  return 0;
}

static guint64
entry_size_for_seed (guint seed)
{
  g_autofree char *probe_dir = g_strdup_printf ("%s/probe-%u", tmpdir, seed);
  g_autoptr(SetlDiskCache) probe = setl_disk_cache_new (probe_dir);
  g_autoptr(SetlCacheKey) key = make_key ("shared", seed);
  g_autoptr(SetlTable) table = table_for_seed (seed);
  g_autoptr(SetlCacheStats) stats = NULL;

  store_table (SETL_CACHE_POLICY (probe), key, table);
  stats = setl_cache_policy_get_stats (SETL_CACHE_POLICY (probe));
  return stats->size;
}

/* Two real processes fill one directory at once; then the directory must
 * be consistent: counters equal to what is on disk, the limit kept, no
 * temporary file left, and every entry the table of its key. */
static void
run_two_processes (const char *name,
                   guint       n_keys,
                   guint64     max_size,
                   gboolean    same_order)
{
  g_autofree char *dir = new_cache_dir (name);
  g_autofree char *self_exe = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *max = g_strdup_printf ("%" G_GUINT64_FORMAT, max_size);
  g_autofree char *keys = g_strdup_printf ("%u", n_keys);
  g_autoptr(SetlDiskStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SetlDiskCache) cache = NULL;
  GPid pids[2];
  SetlDiskStoreUsage usage;
  guint checked = 0;

  g_assert_nonnull (self_exe);
  for (guint id = 0; id < 2; id++)
    {
      g_autofree char *id_str = g_strdup_printf ("%u", id);
      const char *argv[] = { self_exe, "--child", dir, id_str, max, keys,
                             same_order ? "same" : "mixed", NULL };

      g_spawn_async (NULL, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD,
                     NULL, NULL, &pids[id], &error);
      g_assert_no_error (error);
    }
  for (guint id = 0; id < 2; id++)
    {
      int status = 0;

      g_assert_cmpint (waitpid (pids[id], &status, 0), ==, pids[id]);
      g_assert_true (WIFEXITED (status));
      g_assert_cmpint (WEXITSTATUS (status), ==, 0);
      g_spawn_close_pid (pids[id]);
    }

  assert_usage_consistent (dir);
  store = setl_disk_store_new (dir, &error);
  g_assert_no_error (error);
  g_assert_true (setl_disk_store_scan (store, &usage, &error));
  g_assert_cmpuint (usage.n_entries, >, 0);
  if (max_size > 0)
    /* One entry of slack: the entry just stored is never evicted. */
    g_assert_cmpuint (usage.size, <=, max_size + entry_size_for_seed (n_keys - 1));
  else
    g_assert_cmpuint (usage.n_entries, ==, n_keys);

  cache = setl_disk_cache_new (dir);
  for (guint seed = 0; seed < n_keys; seed++)
    {
      g_autoptr(SetlCacheKey) key = make_key ("shared", seed);
      g_autofree char *path = setl_disk_store_entry_path (store, setl_cache_key_get_digest (key));
      g_autofree char *fan = g_path_get_dirname (path);
      g_autoptr(GDir) d = g_dir_open (fan, 0, NULL);
      g_autoptr(SetlCacheEntry) found = NULL;
      g_autoptr(SetlTable) expected = table_for_seed (seed);
      SetlCacheMissReason reason;
      const char *entry_name;

      while (d != NULL && (entry_name = g_dir_read_name (d)) != NULL)
        g_assert_false (entry_name[0] == '.');

      found = setl_cache_policy_lookup (SETL_CACHE_POLICY (cache), key, &reason, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpint (reason, !=, SETL_CACHE_MISS_CORRUPT);
      if (found == NULL)
        continue;
      g_assert_true (setl_cache_policy_load (SETL_CACHE_POLICY (cache), found, NULL, &error));
      g_assert_no_error (error);
      g_assert_true (setl_table_equal (g_value_get_object (setl_cache_entry_get_payload (found)),
                                       expected));
      checked++;
    }
  g_assert_cmpuint (checked, ==, usage.n_entries);
}

/* No limit, same order: both store the same keys at the same moment, so
 * every replacement of a file by the other process's copy is counted. */
static void
test_two_processes_unbounded (void)
{
  run_two_processes ("shared-unbounded", 48, 0, TRUE);
}

/* A limit of about half the keys keeps eviction running in both. */
static void
test_two_processes_evicting (void)
{
  run_two_processes ("shared-evicting", 16, entry_size_for_seed (8) * 8, FALSE);
}

/* ---------------------------------------------------------------------- */
/* The hit block (setl-disk-hit-block.c)                                    */

/* Where an entry file's hit block is: the metadata starts the schema
 * section, after its u64 length. */
#define HIT_BLOCK_OFFSET (STF_HEADER_SIZE + 8)

static gsize
hit_block_size (const guint8 *file,
                gsize         size)
{
  g_assert_cmpuint (size, >, HIT_BLOCK_OFFSET + 8);
  g_assert_cmpuint (stf_get_u32 (file + HIT_BLOCK_OFFSET), ==, 0x32484453u);   /* "SDH2" */
  return stf_get_u32 (file + HIT_BLOCK_OFFSET + 4);
}

/* What a writer of the cache directory can do that a flipped bit cannot:
 * change the block and make the schema section's checksum match again. */
static void
fix_schema_checksum (guint8 *file,
                     gsize   size)
{
  guint64 schema_size = stf_get_u64 (file + 40);
  guint8 *schema = file + STF_HEADER_SIZE;

  g_assert_cmpuint (STF_HEADER_SIZE + schema_size, <=, size);
  stf_put_u64 (schema + schema_size - 8, XXH3_64bits (schema, schema_size - 8));
}

static guint n_damage_warnings;

static void
count_damage_warning (const char     *log_domain,
                      GLogLevelFlags  log_level,
                      const char     *message,
                      gpointer        user_data)
{
  if (strstr (message, "damaged entry") == NULL)
    g_error ("unexpected warning: %s", message);
  n_damage_warnings++;
}

/* An unknown number of damaged entries are expected: their warnings are
 * counted (and checked) rather than fatal. */
static guint
expect_damage_warnings (void)
{
  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
  return g_log_set_handler ("setl-cache-disk", G_LOG_LEVEL_WARNING, count_damage_warning, NULL);
}

static void
end_damage_warnings (guint handler)
{
  g_log_remove_handler ("setl-cache-disk", handler);
  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
}

/* The entry of @key holds @table, or is a miss that says it was damaged
 * (and is gone, with a warning) or expired; either way, storing the recomputed result
 * makes a hit that loads @table. */
static void
assert_hit_or_dropped (SetlCachePolicy *policy,
                       SetlCacheKey    *key,
                       SetlTable       *table,
                       const char      *path,
                       GBytes          *good,
                       gsize            offset,
                       gboolean        *was_hit)
{
  g_autoptr(SetlCacheEntry) found = NULL;
  g_autoptr(SetlCacheEntry) again = NULL;
  g_autoptr(GError) error = NULL;
  SetlCacheMissReason reason = SETL_CACHE_MISS_NONE;
  guint warnings = n_damage_warnings;

  found = setl_cache_policy_lookup (policy, key, &reason, NULL, &error);
  g_assert_no_error (error);
  *was_hit = found != NULL;
  if (found == NULL)
    {
      /* A forged stored TTL can make it expire: a miss too, without a
       * warning. */
      if (reason != SETL_CACHE_MISS_CORRUPT && reason != SETL_CACHE_MISS_EXPIRED)
        g_error ("byte %" G_GSIZE_FORMAT ": a miss of reason %d", offset, reason);
      g_assert_cmpuint (n_damage_warnings, ==,
                        warnings + (reason == SETL_CACHE_MISS_CORRUPT ? 1 : 0));
      g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
      /* Recomputed: stored by the policy now and then; otherwise the same
       * bytes put back (storing syncs the file: a thousand stores took
       * half a minute). */
      if (offset % 16 == 0)
        store_table (policy, key, table);
      else
        cd_test_write_file (path, g_bytes_get_data (good, NULL), g_bytes_get_size (good));
      found = setl_cache_policy_lookup (policy, key, &reason, NULL, &error);
      g_assert_no_error (error);
      g_assert_nonnull (found);
    }
  g_assert_true (setl_cache_entry_get_key (found) == key);
  g_assert_true (setl_cache_entry_get_payload_type (found) == SETL_TYPE_TABLE);
  if (!setl_cache_policy_load (policy, found, NULL, &error))
    {
      /* Damage the lookup let through is found at load, and dropped. */
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
      g_clear_error (&error);
      g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
      store_table (policy, key, table);
      again = setl_cache_policy_lookup (policy, key, NULL, NULL, &error);
      g_assert_nonnull (again);
      g_assert_true (setl_cache_policy_load (policy, again, NULL, &error));
      g_assert_no_error (error);
      g_assert_true (setl_table_equal (g_value_get_object (setl_cache_entry_get_payload (again)),
                                       table));
      return;
    }
  g_assert_no_error (error);
  g_assert_true (setl_table_equal (g_value_get_object (setl_cache_entry_get_payload (found)), table));
}

/* Every byte of a real entry's hit block changed in turn: a bit flipped
 * with the checksum left alone (always found), and three changes with the
 * checksum made to match again (a forged block: the block's own checks
 * must hold).
 * Never a crash or an out-of-bounds read (the ASan run), never a wrong
 * table: a hit loads the stored table, anything else is a miss that says
 * it was damaged, drops the entry with a warning, and the recomputed
 * result is a hit again. */
static void
test_hit_block_damage (void)
{
  g_autofree char *dir = new_cache_dir ("hit-block");
  g_autoptr(SetlDiskCache) cache = setl_disk_cache_new (dir);
  SetlCachePolicy *policy = SETL_CACHE_POLICY (cache);
  g_autoptr(SetlCacheKey) key = make_key ("pipe/hit-block", 7);
  g_autoptr(SetlTable) table = table_for_seed (7);
  g_autofree char *path = entry_path (cache, key);
  g_autoptr(GBytes) good = NULL;
  const guint8 *good_data;
  gsize size, block;
  static const guint8 patterns[] = { 0x10, 0x01, 0x80, 0xff };
  guint n_forged_hits = 0, n_forged_misses = 0;
  guint handler;

  store_table (policy, key, table);
  good = cd_test_read_file (path);
  good_data = g_bytes_get_data (good, &size);
  block = hit_block_size (good_data, size);
  g_assert_cmpuint (block, >=, 88);
  g_assert_cmpuint (HIT_BLOCK_OFFSET + block, <, size);

  handler = expect_damage_warnings ();
  for (gsize i = 0; i < block; i++)
    for (guint p = 0; p < G_N_ELEMENTS (patterns); p++)
      for (guint forge = 0; forge < 2; forge++)
        {
          /* A flipped bit is one pattern; forged blocks get the others. */
          if ((p == 0) == (forge == 1))
            continue;
        {
          g_autofree guint8 *copy = g_memdup2 (good_data, size);
          gboolean hit = FALSE;
          guint warnings = n_damage_warnings;

          copy[HIT_BLOCK_OFFSET + i] ^= patterns[p];
          if (forge)
            fix_schema_checksum (copy, size);
          cd_test_write_file (path, copy, size);
          assert_hit_or_dropped (policy, key, table, path, good, i, &hit);
          if (!forge)
            {
              /* A flipped bit fails the schema section's checksum. */
              g_assert_false (hit);
              g_assert_cmpuint (n_damage_warnings, ==, warnings + 1);
            }
          else if (hit)
            n_forged_hits++;
          else
            n_forged_misses++;
        }
        }
  end_damage_warnings (handler);

  /* Both happen: the times and sizes are only data; the magic, lengths,
   * kind, flags and digest are checked. */
  g_test_message ("forged blocks: %u hits, %u misses", n_forged_hits, n_forged_misses);
  g_assert_cmpuint (n_forged_misses, >, 0);
  g_assert_cmpuint (n_forged_hits, >, 0);

  /* Cut inside the block: too short for it, whatever the checksum. */
  for (gsize cut = HIT_BLOCK_OFFSET; cut < HIT_BLOCK_OFFSET + block; cut += 7)
    {
      gboolean hit = TRUE;

      handler = expect_damage_warnings ();
      cd_test_write_file (path, good_data, cut);
      assert_hit_or_dropped (policy, key, table, path, good, cut, &hit);
      g_assert_false (hit);
      end_damage_warnings (handler);
    }
  /* The files put back behind the store's back are not in its counters:
   * start again from an empty store to check those. */
  g_assert_true (setl_cache_policy_clear (policy, NULL));
  store_table (policy, key, table);
  assert_usage_consistent (dir);
}

/* A simple value (a sink's row count) read from a forged block: a hit
 * has the stored value unless the value's own bytes were changed. */
static void
test_hit_block_damage_simple (void)
{
  g_autofree char *dir = new_cache_dir ("hit-block-simple");
  g_autoptr(SetlDiskCache) cache = setl_disk_cache_new (dir);
  SetlCachePolicy *policy = SETL_CACHE_POLICY (cache);
  g_autoptr(SetlCacheKey) key = make_key ("pipe/rows", 8);
  g_autofree char *path = entry_path (cache, key);
  g_autoptr(GBytes) good = NULL;
  g_auto(GValue) rows = G_VALUE_INIT;
  const guint8 *good_data;
  gsize size, block;
  guint handler;

  g_value_init (&rows, G_TYPE_INT64);
  g_value_set_int64 (&rows, 123456789);
  {
    g_autoptr(SetlCacheEntry) entry = setl_cache_entry_new (key, &rows);
    g_assert_true (setl_cache_policy_store (policy, entry, NULL, NULL));
  }
  good = cd_test_read_file (path);
  good_data = g_bytes_get_data (good, &size);
  block = hit_block_size (good_data, size);

  handler = expect_damage_warnings ();
  for (gsize i = 0; i < block; i++)
    {
      g_autofree guint8 *copy = g_memdup2 (good_data, size);
      g_autoptr(SetlCacheEntry) found = NULL;
      g_autoptr(GError) error = NULL;
      SetlCacheMissReason reason = SETL_CACHE_MISS_NONE;

      copy[HIT_BLOCK_OFFSET + i] ^= 0x41;
      fix_schema_checksum (copy, size);
      cd_test_write_file (path, copy, size);
      found = setl_cache_policy_lookup (policy, key, &reason, NULL, &error);
      g_assert_no_error (error);
      if (found == NULL)
        {
          g_assert_true (reason == SETL_CACHE_MISS_CORRUPT || reason == SETL_CACHE_MISS_EXPIRED);
          continue;
        }
      g_assert_true (setl_cache_entry_get_payload_type (found) == G_TYPE_INT64);
      g_assert_true (G_VALUE_HOLDS_INT64 (setl_cache_entry_get_payload (found)));
      if (i < 56 || i >= 64)   /* bytes 56..63 hold the value */
        g_assert_cmpint (g_value_get_int64 (setl_cache_entry_get_payload (found)), ==, 123456789);
    }
  end_damage_warnings (handler);
}

/* Entries of the previous layout (disk-v1, no hit block) are not read at
 * all: a plain miss, no warning, nothing removed; `setl cache clear`
 * (setl_cache_policy_clear()) removes them. */
static void
test_old_layout_is_a_miss (void)
{
  g_autofree char *dir = new_cache_dir ("old-layout");
  g_autoptr(SetlDiskCache) cache = setl_disk_cache_new (dir);
  SetlCachePolicy *policy = SETL_CACHE_POLICY (cache);
  g_autoptr(SetlCacheKey) key = make_key ("pipe/old", 9);
  g_autoptr(SetlCacheEntry) found = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = entry_path (cache, key);
  g_autofree char *fan = g_strndup (setl_cache_key_get_digest (key), 2);
  g_autofree char *name = g_strconcat (setl_cache_key_get_digest (key), ".stbl", NULL);
  g_autofree char *old_dir = g_build_filename (dir, "disk-v1", "entries", fan, NULL);
  g_autofree char *old_path = g_build_filename (old_dir, name, NULL);
  SetlCacheMissReason reason = SETL_CACHE_MISS_NONE;
  g_autoptr(GBytes) bytes = NULL;

  g_assert_nonnull (strstr (path, G_DIR_SEPARATOR_S "disk-v2" G_DIR_SEPARATOR_S));
  g_assert_cmpint (g_mkdir_with_parents (old_dir, 0755), ==, 0);
  cd_test_write_file (old_path, "\x89STBL\r\n\x1a" "whatever v1 held", 24);

  found = setl_cache_policy_lookup (policy, key, &reason, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (found);
  g_assert_cmpint (reason, ==, SETL_CACHE_MISS_NO_ENTRY);
  g_assert_true (g_file_test (old_path, G_FILE_TEST_EXISTS));
  bytes = cd_test_read_file (old_path);
  g_assert_cmpuint (g_bytes_get_size (bytes), ==, 24);

  /* Clearing is how they go: the old folder with them, but not a file
   * of the user's that happens to be in it. */
  {
    g_autofree char *old_root = g_build_filename (dir, "disk-v1", NULL);
    g_autofree char *old_lock = g_build_filename (old_root, "lock", NULL);
    g_autofree char *subjects = g_build_filename (old_root, "subjects", "9c", NULL);
    g_autofree char *subject = g_build_filename (subjects, "9c07.stbl", NULL);
    g_autofree char *other = g_build_filename (dir, "other", "notes.txt", NULL);
    g_autofree char *other_dir = g_path_get_dirname (other);
    g_autofree char *stray = g_build_filename (old_root, "stray.txt", NULL);

    g_assert_cmpint (g_mkdir_with_parents (subjects, 0755), ==, 0);
    cd_test_write_file (subject, "subject", 7);
    cd_test_write_file (old_lock, "lock", 4);
    g_assert_cmpint (g_mkdir_with_parents (other_dir, 0755), ==, 0);
    cd_test_write_file (other, "mine", 4);
    g_assert_true (setl_cache_policy_clear (policy, &error));
    g_assert_no_error (error);
    g_assert_false (g_file_test (old_root, G_FILE_TEST_EXISTS));
    g_assert_true (g_file_test (other, G_FILE_TEST_EXISTS));

    /* A folder of the old layout holding something else stays. */
    g_assert_cmpint (g_mkdir_with_parents (old_dir, 0755), ==, 0);
    cd_test_write_file (old_path, "old", 3);
    cd_test_write_file (stray, "stray", 5);
    g_assert_true (setl_cache_policy_clear (policy, &error));
    g_assert_no_error (error);
    g_assert_false (g_file_test (old_path, G_FILE_TEST_EXISTS));
    g_assert_true (g_file_test (stray, G_FILE_TEST_EXISTS));
  }
}

int
main (int argc, char **argv)
{
  int ret;

  if (argc == 7 && strcmp (argv[1], "--child") == 0)
    return run_child (argv[2], (guint) atoi (argv[3]), g_ascii_strtoull (argv[4], NULL, 10),
                      (guint) atoi (argv[5]), strcmp (argv[6], "same") == 0);

  g_test_init (&argc, &argv, NULL);
  tmpdir = g_dir_make_tmp ("setl-disk-cache-XXXXXX", NULL);
  g_assert_nonnull (tmpdir);

  g_test_add_func ("/cache-disk/policy/store-lookup-load", test_store_lookup_load);
  g_test_add_func ("/cache-disk/policy/lookup-key-subject", test_lookup_key_subject);
  g_test_add_func ("/cache-disk/policy/simple-values", test_simple_values);
  g_test_add_func ("/cache-disk/policy/miss-reasons", test_miss_reasons);
  g_test_add_func ("/cache-disk/policy/ttl", test_ttl);
  g_test_add_func ("/cache-disk/policy/stored-ttl", test_stored_ttl);
  g_test_add_func ("/cache-disk/policy/corrupt-payload", test_corrupt_payload);
  g_test_add_func ("/cache-disk/policy/corrupt-header", test_corrupt_header);
  g_test_add_func ("/cache-disk/policy/hit-block-damage", test_hit_block_damage);
  g_test_add_func ("/cache-disk/policy/hit-block-damage-simple", test_hit_block_damage_simple);
  g_test_add_func ("/cache-disk/policy/old-layout-is-a-miss", test_old_layout_is_a_miss);
  g_test_add_func ("/cache-disk/policy/lru-eviction", test_lru_eviction);
  g_test_add_func ("/cache-disk/policy/too-large", test_too_large);
  g_test_add_func ("/cache-disk/policy/remove-clear", test_remove_clear);
  g_test_add_func ("/cache-disk/policy/default-dir", test_default_dir);
  g_test_add_func ("/cache-disk/policy/threads", test_threads);
  g_test_add_func ("/cache-disk/store/repair", test_store_repair);
  g_test_add_func ("/cache-disk/store/two-processes-unbounded", test_two_processes_unbounded);
  g_test_add_func ("/cache-disk/store/two-processes-evicting", test_two_processes_evicting);

  ret = g_test_run ();
  cd_test_rm_rf (tmpdir);
  g_free (tmpdir);
  return ret;
}
