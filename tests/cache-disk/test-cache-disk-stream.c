/* test-cache-disk-stream.c: caching a stream keeps memory bounded — the
 * disk policy stores a factory's output batch by batch and its consumers
 * read the entry back batch by batch. With the real csv, transforms,
 * cache-disk and cache-memory modules, found by the registry.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <setl/setl-plugin.h>
#include <glib/gstdio.h>
#include <string.h>

#include "cache-disk-test-util.h"

static char *tmpdir;

/* ----------------------------------------------------------------------- */
/* Helpers                                                                  */

static SetlCachePolicy *
new_policy (const char *feature_name)
{
  SetlPluginFeature *feature =
    setl_plugin_registry_lookup_feature (setl_plugin_registry_get_default (), feature_name);
  g_autoptr(GError) error = NULL;
  GObject *policy;

  g_assert_nonnull (feature);
  policy = setl_plugin_feature_create (feature, &error);
  g_assert_no_error (error);
  g_assert_true (SETL_IS_CACHE_POLICY (policy));
  return SETL_CACHE_POLICY (policy);
}

static SetlCachePolicy *
new_disk_cache (const char *dir,
                guint64     max_size)
{
  SetlCachePolicy *policy = new_policy ("disk");

  g_object_set (policy, "dir", dir, NULL);
  setl_cache_policy_set_max_size (policy, max_size);
  return policy;
}

static SetlFactory *
add_factory (SetlPipeline *p,
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
  g_object_set_valist (G_OBJECT (f), first_property, args);
  va_end (args);
  setl_pipeline_add_factory (p, f);
  g_object_unref (f);
  return f;
}

/* read (csv, @batch_size rows a batch) → adults (filter age >= 18) →
 * write (csv), as `setl run` builds it for each run. */
static SetlPipeline *
build (const char      *in,
       const char      *out,
       guint            batch_size,
       SetlCachePolicy *policy)
{
  SetlPipeline *p = setl_pipeline_new ("stream-cached");

  add_factory (p, "csv-source", "read", NULL, "path", in, "batch-size", batch_size, NULL);
  add_factory (p, "filter", "adults", "read", "where", "age >= 18", NULL);
  add_factory (p, "csv-sink", "write", "adults", "path", out, NULL);
  if (policy != NULL)
    setl_pipeline_set_cache_policy (p, policy);
  return p;
}

static void
run_ok (SetlPipeline *p)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (setl_pipeline_run (p, NULL, &error));
  g_assert_no_error (error);
}

static SetlFactoryResult *
result_of (SetlPipeline *p,
           const char   *name)
{
  SetlFactoryResult *r = setl_run_report_find (setl_pipeline_get_report (p), name);

  g_assert_nonnull (r);
  return r;
}

#define assert_status(p, name, st) \
  g_assert_cmpstr (setl_factory_status_to_string (setl_factory_result_get_status (result_of (p, name))), ==, \
                   setl_factory_status_to_string (st))

/* @n_rows people: id, name, age (0–99), and a @pad-byte note that makes
 * each row weigh what it should in memory. @extra is appended as is. */
static void
write_people (const char *path,
              guint       n_rows,
              guint       pad,
              const char *extra)
{
  g_autoptr(GString) s = g_string_sized_new ((gsize) n_rows * (pad + 40));
  g_autoptr(GError) error = NULL;

  g_string_append (s, "id,name,age,note\n");
  for (guint i = 0; i < n_rows; i++)
    {
      g_string_append_printf (s, "%u,person-%u,%u,", i, i * 7919u % 100003u, (i * 37u) % 100u);
      for (guint k = 0; k < pad; k++)
        g_string_append_c (s, (char) ('a' + (i + k) % 26));
      g_string_append_c (s, '\n');
    }
  if (extra != NULL)
    g_string_append (s, extra);
  g_file_set_contents (path, s->str, (gssize) s->len, &error);
  g_assert_no_error (error);
}

/* Replaces @path by a new file (a new inode: its fingerprint changes). */
static void
rewrite_people (const char *path,
                guint       n_rows,
                guint       pad,
                const char *extra)
{
  g_autofree char *tmp = g_strconcat (path, ".new", NULL);

  write_people (tmp, n_rows, pad, extra);
  g_assert_cmpint (g_rename (tmp, path), ==, 0);
}

static char *
read_text (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *text = NULL;

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  return text;
}

/* What the pipeline writes without a cache: what every cached run must
 * write too. */
static char *
expected_output (const char *in,
                 guint       batch_size)
{
  g_autofree char *out = g_build_filename (tmpdir, "expected.csv", NULL);
  g_autoptr(SetlPipeline) p = build (in, out, batch_size, NULL);
  char *text;

  run_ok (p);
  text = read_text (out);
  g_unlink (out);
  return text;
}

/* Entry files (*.stbl under entries/) and temporary files (dot names
 * containing ".tmp-") anywhere under @dir. */
static void
count_files (const char *dir,
             guint      *n_entries,
             guint      *n_temps)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        count_files (path, n_entries, n_temps);
      else if (strstr (name, ".tmp-") != NULL)
        (*n_temps)++;
      else if (g_str_has_suffix (name, ".stbl") && strstr (path, "/entries/") != NULL)
        (*n_entries)++;
    }
}

static char *
entry_file (const char *cache_dir,
            const char *digest)
{
  char fan[3] = { digest[0], digest[1], 0 };
  g_autofree char *name = g_strconcat (digest, ".stbl", NULL);

  return g_build_filename (cache_dir, "disk-v2", "entries", fan, name, NULL);
}

static gboolean
entry_exists (const char   *cache_dir,
              SetlPipeline *p,
              const char   *factory)
{
  const char *digest = setl_factory_result_get_cache_key (result_of (p, factory));
  g_autofree char *path = NULL;

  g_assert_nonnull (digest);
  path = entry_file (cache_dir, digest);
  return g_file_test (path, G_FILE_TEST_EXISTS);
}

/* ----------------------------------------------------------------------- */
/* The writer, directly                                                     */

/* A table stored batch by batch reads back equal, from a stream that is
 * not the table; the entry is found by lookup afterwards and opens as a
 * stream too. */
static void
test_writer_round_trip (void)
{
  g_autofree char *dir = g_build_filename (tmpdir, "writer", NULL);
  g_autoptr(SetlCachePolicy) policy = new_disk_cache (dir, 0);
  g_autoptr(SetlTable) table = cd_test_make_table (5000, 700, 3);
  g_autoptr(SetlCacheKey) key = setl_cache_key_new ("writer/round-trip");
  g_autoptr(SetlCacheEntry) entry = NULL;
  g_autoptr(SetlCacheWriter) writer = NULL;
  g_autoptr(SetlBatchStream) stored = NULL;
  g_autoptr(SetlTable) back = NULL;
  g_autoptr(SetlCacheEntry) found = NULL;
  g_autoptr(SetlBatchStream) reopened = NULL;
  g_autoptr(SetlTable) again = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GValue) v = G_VALUE_INIT;
  g_autofree char *hash = NULL;
  SetlCacheMissReason reason;
  SetlField **fields;
  guint n_fields, n_entries = 0, n_temps = 0;

  setl_cache_key_add (key, "seed", "3");
  g_value_init (&v, SETL_TYPE_TABLE);
  g_value_set_object (&v, table);
  hash = setl_cache_payload_hash (&v, NULL);

  entry = setl_cache_entry_new (key, NULL);
  fields = setl_table_get_fields (table, &n_fields);
  writer = setl_cache_policy_begin_store (policy, entry, fields, n_fields, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (writer);
  for (guint b = 0; b < setl_table_get_n_batches (table); b++)
    {
      g_assert_true (setl_cache_writer_add_batch (writer, setl_table_get_batch (table, b),
                                                  NULL, &error));
      g_assert_no_error (error);
    }
  /* Written, not yet visible: a temporary file, no entry. */
  count_files (dir, &n_entries, &n_temps);
  g_assert_cmpuint (n_entries, ==, 0);
  g_assert_cmpuint (n_temps, ==, 1);
  g_assert_null (setl_cache_policy_lookup (policy, key, &reason, NULL, &error));

  setl_cache_entry_set_data_version (entry, hash);
  stored = setl_cache_writer_commit (writer, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (stored);
  g_assert_false (SETL_IS_TABLE (stored));   /* read back lazily, not held */
  g_assert_cmpuint (setl_cache_entry_get_size (entry), >, 0);
  back = setl_batch_stream_collect (stored, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (setl_table_equal (back, table));

  n_entries = n_temps = 0;
  count_files (dir, &n_entries, &n_temps);
  g_assert_cmpuint (n_entries, ==, 1);
  g_assert_cmpuint (n_temps, ==, 0);

  found = setl_cache_policy_lookup (policy, key, &reason, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (found);
  g_assert_cmpstr (setl_cache_entry_get_data_version (found), ==, hash);
  reopened = setl_cache_policy_open_stream (policy, found, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (SETL_IS_TABLE (reopened));
  again = setl_batch_stream_collect (reopened, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (setl_table_equal (again, table));
}

/* Aborting, failing or dropping a writer leaves neither an entry nor a
 * temporary file; a writer over max-size fails with MESSAGE_TOO_LARGE. */
static void
test_writer_abort (void)
{
  g_autofree char *dir = g_build_filename (tmpdir, "writer-abort", NULL);
  g_autoptr(SetlCachePolicy) policy = new_disk_cache (dir, 64 * 1024);
  g_autoptr(SetlTable) table = cd_test_make_table (20000, 1000, 5);
  g_autoptr(SetlCacheKey) key = setl_cache_key_new ("writer/abort");
  g_autoptr(GError) error = NULL;
  SetlField **fields;
  guint n_fields, n_entries = 0, n_temps = 0;
  gboolean failed = FALSE;

  fields = setl_table_get_fields (table, &n_fields);

  /* Aborted half way. */
  {
    g_autoptr(SetlCacheEntry) entry = setl_cache_entry_new (key, NULL);
    g_autoptr(SetlCacheWriter) writer =
      setl_cache_policy_begin_store (policy, entry, fields, n_fields, NULL, &error);

    g_assert_no_error (error);
    g_assert_true (setl_cache_writer_add_batch (writer, setl_table_get_batch (table, 0), NULL, &error));
    setl_cache_writer_abort (writer);
    count_files (dir, &n_entries, &n_temps);
    g_assert_cmpuint (n_entries + n_temps, ==, 0);
  }

  /* Dropped without committing. */
  {
    g_autoptr(SetlCacheEntry) entry = setl_cache_entry_new (key, NULL);
    SetlCacheWriter *writer =
      setl_cache_policy_begin_store (policy, entry, fields, n_fields, NULL, &error);

    g_assert_no_error (error);
    g_assert_true (setl_cache_writer_add_batch (writer, setl_table_get_batch (table, 0), NULL, &error));
    g_object_unref (writer);
    count_files (dir, &n_entries, &n_temps);
    g_assert_cmpuint (n_entries + n_temps, ==, 0);
  }

  /* Larger than max-size: fails as soon as it outgrows it, and cleans up. */
  {
    g_autoptr(SetlCacheEntry) entry = setl_cache_entry_new (key, NULL);
    g_autoptr(SetlCacheWriter) writer =
      setl_cache_policy_begin_store (policy, entry, fields, n_fields, NULL, &error);
    guint b;

    g_assert_no_error (error);
    for (b = 0; b < setl_table_get_n_batches (table) && !failed; b++)
      failed = !setl_cache_writer_add_batch (writer, setl_table_get_batch (table, b), NULL, &error);
    g_assert_true (failed);
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE);
    g_assert_cmpuint (b, <, setl_table_get_n_batches (table));   /* before the end */
    g_clear_error (&error);
    count_files (dir, &n_entries, &n_temps);
    g_assert_cmpuint (n_entries + n_temps, ==, 0);
  }

  /* A batch of another schema is refused, and cleans up too. */
  {
    g_autoptr(SetlCacheEntry) entry = setl_cache_entry_new (key, NULL);
    g_autoptr(SetlCacheWriter) writer =
      setl_cache_policy_begin_store (policy, entry, fields, n_fields - 1, NULL, &error);

    g_assert_no_error (error);
    g_assert_false (setl_cache_writer_add_batch (writer, setl_table_get_batch (table, 0), NULL, &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
    g_clear_error (&error);
    count_files (dir, &n_entries, &n_temps);
    g_assert_cmpuint (n_entries + n_temps, ==, 0);
  }
}

/* A policy without a streaming store (memory) gets the core's writer: it
 * collects the table, within max-size. */
static void
test_writer_fallback (void)
{
  g_autoptr(SetlCachePolicy) policy = new_policy ("memory");
  g_autoptr(SetlTable) table = cd_test_make_table (3000, 500, 8);
  g_autoptr(SetlCacheKey) key = setl_cache_key_new ("writer/fallback");
  g_autoptr(GError) error = NULL;
  SetlCacheMissReason reason;
  SetlField **fields;
  guint n_fields;

  fields = setl_table_get_fields (table, &n_fields);
  setl_cache_policy_set_max_size (policy, 0);
  {
    g_autoptr(SetlCacheEntry) entry = setl_cache_entry_new (key, NULL);
    g_autoptr(SetlCacheWriter) writer =
      setl_cache_policy_begin_store (policy, entry, fields, n_fields, NULL, &error);
    g_autoptr(SetlBatchStream) stored = NULL;
    g_autoptr(SetlCacheEntry) found = NULL;
    g_autoptr(SetlBatchStream) opened = NULL;

    g_assert_no_error (error);
    for (guint b = 0; b < setl_table_get_n_batches (table); b++)
      g_assert_true (setl_cache_writer_add_batch (writer, setl_table_get_batch (table, b), NULL, &error));
    setl_cache_entry_set_data_version (entry, "0123456789abcdef0123456789abcdef");
    stored = setl_cache_writer_commit (writer, NULL, &error);
    g_assert_no_error (error);
    g_assert_true (SETL_IS_TABLE (stored));
    g_assert_true (setl_table_equal (SETL_TABLE (stored), table));
    g_assert_cmpuint (setl_cache_entry_get_size (entry), ==, setl_table_get_byte_size (table));

    found = setl_cache_policy_lookup (policy, key, &reason, NULL, &error);
    g_assert_nonnull (found);
    opened = setl_cache_policy_open_stream (policy, found, NULL, &error);
    g_assert_no_error (error);
    g_assert_true (opened == stored);   /* shared, never copied */
  }

  /* Its byte bound holds while collecting. */
  setl_cache_policy_set_max_size (policy, setl_table_get_byte_size (table) / 2);
  {
    g_autoptr(SetlCacheEntry) entry = setl_cache_entry_new (key, NULL);
    g_autoptr(SetlCacheWriter) writer =
      setl_cache_policy_begin_store (policy, entry, fields, n_fields, NULL, &error);
    gboolean failed = FALSE;

    for (guint b = 0; b < setl_table_get_n_batches (table) && !failed; b++)
      failed = !setl_cache_writer_add_batch (writer, setl_table_get_batch (table, b), NULL, &error);
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE);
  }
}

/* ----------------------------------------------------------------------- */
/* Bounded memory                                                           */

/* The peak resident set of this process so far, in kB. */
static gint64
peak_rss_kb (void)
{
  g_autofree char *status = NULL;
  const char *line;

  g_assert_true (g_file_get_contents ("/proc/self/status", &status, NULL, NULL));
  line = strstr (status, "VmHWM:");
  g_assert_nonnull (line);
  return g_ascii_strtoll (line + 6, NULL, 10);
}

#define BIG_ROWS  320000
#define BIG_PAD   240
#define BIG_BATCH 1024

/* In a process of its own (a fresh peak): the cold run of the big
 * pipeline with @policy_name ("disk" or "memory", both unbounded), then
 * prints how much the peak resident set grew during the run. */
static int
run_cold_child (const char *policy_name,
                const char *in,
                const char *out,
                const char *cache_dir)
{
  g_autoptr(SetlCachePolicy) policy = NULL;
  g_autoptr(SetlPipeline) p = NULL;
  g_autoptr(GError) error = NULL;
  gint64 before;

  if (strcmp (policy_name, "disk") == 0)
    policy = new_disk_cache (cache_dir, 0);
  else
    {
      policy = new_policy ("memory");
      setl_cache_policy_set_max_size (policy, 0);
    }
  p = build (in, out, BIG_BATCH, policy);
  /* What the run itself adds: plugins are loaded and types made first. */
  if (!setl_pipeline_inspect (p, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  before = peak_rss_kb ();
  if (!setl_pipeline_run (p, NULL, &error))
    {
      g_printerr ("cold run: %s\n", error->message);
      return 1;
    }
  g_print ("%" G_GINT64_FORMAT "\n", peak_rss_kb () - before);
  return 0;
}

static gint64
cold_run_growth (const char *policy_name,
                 const char *in,
                 const char *out,
                 const char *cache_dir)
{
  g_autofree char *self_exe = g_file_read_link ("/proc/self/exe", NULL);
  const char *argv[] = { self_exe, "--cold-run", policy_name, in, out, cache_dir, NULL };
  g_auto(GStrv) envp = g_get_environ ();
  const char *asan = g_environ_getenv (envp, "ASAN_OPTIONS");
  g_autofree char *asan_options = NULL;
  g_autofree char *child_out = NULL;
  g_autofree char *child_err = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;

  /* Under AddressSanitizer, freed memory is held in quarantine (256 MB)
   * and would count as resident: the child releases it at once. */
  asan_options = g_strdup_printf ("%s%squarantine_size_mb=0:thread_local_quarantine_size_kb=0",
                                  asan ? asan : "", asan && *asan ? ":" : "");
  envp = g_environ_setenv (envp, "ASAN_OPTIONS", asan_options, TRUE);
  g_spawn_sync (NULL, (char **) argv, envp, G_SPAWN_DEFAULT, NULL, NULL, &child_out,
                &child_err, &status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("the cold run with the %s cache failed: %s", policy_name, child_err);
  return g_ascii_strtoll (child_out, NULL, 10);
}

/* A cold run whose source stream is much larger than a batch: with the
 * disk policy, memory grows by a few batches, while the memory policy —
 * which holds what it caches, by definition — grows by the data. The
 * entries are correct: the warm run reuses everything, a consumer that runs
 * reads the cached rows back, and the output is what the pipeline writes
 * without a cache. */
static void
test_cold_run_bounded (void)
{
  g_autofree char *in = g_build_filename (tmpdir, "big.csv", NULL);
  g_autofree char *out = g_build_filename (tmpdir, "big-out.csv", NULL);
  g_autofree char *cache_dir = g_build_filename (tmpdir, "big-cache", NULL);
  g_autofree char *expected = NULL;
  g_autofree char *cold = NULL;
  g_autoptr(SetlCachePolicy) policy = NULL;
  gint64 table_kb, disk_kb, memory_kb;
  guint n_entries = 0, n_temps = 0;

  write_people (in, BIG_ROWS, BIG_PAD, NULL);
  /* The source's rows in memory (the note is most of it). */
  table_kb = (gint64) BIG_ROWS * BIG_PAD / 1024;

  memory_kb = cold_run_growth ("memory", in, out, cache_dir);
  disk_kb = cold_run_growth ("disk", in, out, cache_dir);
  g_test_message ("peak RSS growth of the cold run: disk %" G_GINT64_FORMAT " kB, memory %"
                  G_GINT64_FORMAT " kB; the source's rows: %" G_GINT64_FORMAT " kB",
                  disk_kb, memory_kb, table_kb);
  /* The measure sees materialization: the memory policy holds the source's
   * table and the filter's. */
  g_assert_cmpint (memory_kb, >, table_kb);
  /* The disk policy holds a few batches of about 1 MB. */
  g_assert_cmpint (disk_kb, <, table_kb / 3);
  g_assert_cmpint (disk_kb, <, 32 * 1024);

  count_files (cache_dir, &n_entries, &n_temps);
  g_assert_cmpuint (n_entries, ==, 3);
  g_assert_cmpuint (n_temps, ==, 0);

  expected = expected_output (in, BIG_BATCH);
  cold = read_text (out);
  g_assert_cmpstr (cold, ==, expected);

  /* Warm: everything reused, nothing read. */
  policy = new_disk_cache (cache_dir, 0);
  {
    g_autoptr(SetlPipeline) p = build (in, out, BIG_BATCH, policy);

    run_ok (p);
    assert_status (p, "read", SETL_FACTORY_STATUS_REUSED);
    assert_status (p, "adults", SETL_FACTORY_STATUS_REUSED);
    assert_status (p, "write", SETL_FACTORY_STATUS_REUSED);
  }
  /* The sink's output gone: the sink runs and reads the filter's entry
   * back, batch by batch, and writes what the cold run wrote. */
  g_assert_cmpint (g_unlink (out), ==, 0);
  {
    g_autoptr(SetlPipeline) p = build (in, out, BIG_BATCH, policy);
    g_autofree char *warm = NULL;

    run_ok (p);
    assert_status (p, "adults", SETL_FACTORY_STATUS_REUSED);
    assert_status (p, "write", SETL_FACTORY_STATUS_SUCCEEDED);
    warm = read_text (out);
    g_assert_cmpstr (warm, ==, expected);
  }
}

/* ----------------------------------------------------------------------- */
/* Data versions and early cut-off                                          */

/* The data version the streaming store records is the content hash of the
 * rows (what setl_cache_payload_hash() gives their table), whatever the
 * batches; and a producer re-run with the same result leaves its
 * dependents reused. */
static void
test_early_cutoff (void)
{
  g_autofree char *in = g_build_filename (tmpdir, "cutoff.csv", NULL);
  g_autofree char *out = g_build_filename (tmpdir, "cutoff-out.csv", NULL);
  g_autofree char *cache_dir = g_build_filename (tmpdir, "cutoff-cache", NULL);
  g_autoptr(SetlCachePolicy) policy = new_disk_cache (cache_dir, 0);
  g_autoptr(SetlPipeline) p1 = NULL, p2 = NULL;
  g_autoptr(SetlCacheEntry) entry = NULL;
  g_autoptr(SetlCacheKey) key = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *first = NULL, *second = NULL, *table_hash = NULL, *adults_version = NULL;
  SetlCacheMissReason reason;

  write_people (in, 20000, 16, NULL);
  p1 = build (in, out, 1000, policy);
  run_ok (p1);
  first = read_text (out);

  /* The source's data version is the hash of its rows as one table. */
  {
    g_autoptr(SetlPipeline) alone = setl_pipeline_new ("hash");
    g_auto(GValue) v = G_VALUE_INIT;
    g_autoptr(SetlTable) table = NULL;
    SetlBatchStream *stream;

    /* Other batches than the cached run's: the hash does not depend on them. */
    add_factory (alone, "csv-source", "read", NULL, "path", in, "batch-size", 65536, NULL);
    run_ok (alone);
    stream = g_value_get_object (setl_pipeline_get_output_by_name (alone, "read", &error));
    g_assert_no_error (error);
    g_assert_nonnull (stream);
    table = setl_batch_stream_collect (stream, NULL, &error);
    g_assert_no_error (error);
    g_value_init (&v, SETL_TYPE_TABLE);
    g_value_set_object (&v, table);
    table_hash = setl_cache_payload_hash (&v, NULL);
  }
  key = setl_pipeline_compute_cache_key (p1, "read", NULL, &error);
  g_assert_no_error (error);
  entry = setl_cache_policy_lookup (policy, key, &reason, NULL, &error);
  g_assert_nonnull (entry);
  g_assert_cmpstr (setl_cache_entry_get_data_version (entry), ==, table_hash);
  {
    g_autoptr(SetlCacheKey) adults = setl_pipeline_compute_cache_key (p1, "adults", NULL, &error);
    g_autoptr(SetlCacheEntry) e = setl_cache_policy_lookup (policy, adults, &reason, NULL, &error);

    g_assert_nonnull (e);
    adults_version = g_strdup (setl_cache_entry_get_data_version (e));
  }

  /* One more row, a minor the filter drops: the source and the filter run
   * again, the filter delivers the same rows, and the sink is reused. */
  rewrite_people (in, 20000, 16, "20000,late,9,x\n");
  p2 = build (in, out, 1000, policy);
  run_ok (p2);
  assert_status (p2, "read", SETL_FACTORY_STATUS_SUCCEEDED);
  assert_status (p2, "adults", SETL_FACTORY_STATUS_SUCCEEDED);
  assert_status (p2, "write", SETL_FACTORY_STATUS_REUSED);
  {
    g_autoptr(SetlCacheKey) adults = setl_pipeline_compute_cache_key (p2, "adults", NULL, &error);
    g_autoptr(SetlCacheEntry) e = setl_cache_policy_lookup (policy, adults, &reason, NULL, &error);

    g_assert_nonnull (e);
    g_assert_cmpstr (setl_cache_entry_get_data_version (e), ==, adults_version);
  }
  second = read_text (out);
  g_assert_cmpstr (first, ==, second);

  /* A kept row changes: the sink runs again. */
  rewrite_people (in, 20000, 16, "20001,adult,30,y\n");
  {
    g_autoptr(SetlPipeline) p3 = build (in, out, 1000, policy);
    g_autofree char *third = NULL;

    run_ok (p3);
    assert_status (p3, "write", SETL_FACTORY_STATUS_SUCCEEDED);
    third = read_text (out);
    g_assert_nonnull (strstr (third, "20001,adult,30,y"));
  }
}


/* A reused stream read after its run has finished, whose entry turns out
 * damaged: the factory cannot be run again (the run reset its inputs), so
 * the read fails with an error that says so — not one about an empty
 * input slot — and the damaged entry is dropped. */
static void
test_damaged_after_run (void)
{
  g_autofree char *in = g_build_filename (tmpdir, "late.csv", NULL);
  g_autofree char *cache_dir = g_build_filename (tmpdir, "late-cache", NULL);
  g_autoptr(SetlCachePolicy) policy = new_disk_cache (cache_dir, 0);
  g_autoptr(SetlPipeline) p1 = setl_pipeline_new ("late-1");
  g_autoptr(SetlPipeline) p2 = setl_pipeline_new ("late-2");
  g_autoptr(GError) error = NULL;
  g_autoptr(SetlBatchIterator) it = NULL;
  g_autofree char *path = NULL, *data = NULL;
  SetlBatchStream *stream;
  gsize len = 0;

  write_people (in, 20000, 16, NULL);
  add_factory (p1, "csv-source", "read", NULL, "path", in, "batch-size", 1000, NULL);
  add_factory (p1, "filter", "adults", "read", "where", "age >= 18", NULL);
  setl_pipeline_set_cache_policy (p1, policy);
  run_ok (p1);
  /* Reading the cold run's output stores the entry. */
  stream = g_value_get_object (setl_pipeline_get_output_by_name (p1, "adults", &error));
  g_assert_no_error (error);
  {
    g_autoptr(SetlTable) t = setl_batch_stream_collect (stream, NULL, &error);
    g_assert_no_error (error);
  }

  add_factory (p2, "csv-source", "read", NULL, "path", in, "batch-size", 1000, NULL);
  add_factory (p2, "filter", "adults", "read", "where", "age >= 18", NULL);
  setl_pipeline_set_cache_policy (p2, policy);
  run_ok (p2);
  assert_status (p2, "adults", SETL_FACTORY_STATUS_REUSED);
  g_assert_true (entry_exists (cache_dir, p2, "adults"));

  /* Damage the middle of the entry (batch data, not the header). */
  path = entry_file (cache_dir, setl_factory_result_get_cache_key (result_of (p2, "adults")));
  g_file_get_contents (path, &data, &len, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (len, >, 4096);
  for (gsize i = len / 2; i < len / 2 + 64; i++)
    data[i] ^= 0x5a;
  /* In place: the entry may be open already. */
  {
    FILE *f = fopen (path, "r+b");

    g_assert_nonnull (f);
    g_assert_cmpint (fseek (f, (long) (len / 2), SEEK_SET), ==, 0);
    g_assert_cmpuint (fwrite (data + len / 2, 1, 64, f), ==, 64);
    g_assert_cmpint (fclose (f), ==, 0);
  }

  stream = g_value_get_object (setl_pipeline_get_output_by_name (p2, "adults", &error));
  g_assert_no_error (error);
  g_assert_nonnull (stream);
  g_test_expect_message ("setl-cache-disk", G_LOG_LEVEL_WARNING, "*damaged entry*checksum*");
  it = setl_batch_stream_open (stream, NULL, &error);
  if (it != NULL)
    {
      g_autoptr(SetlRecordBatch) b = NULL;

      while ((b = setl_batch_iterator_next (it, NULL, &error)) != NULL)
        g_clear_object (&b);
    }
  g_test_assert_expected_messages ();
  g_assert_nonnull (error);
  g_assert_null (strstr (error->message, "has no batch stream"));
  g_assert_nonnull (strstr (error->message, "cannot be run again"));
  g_assert_nonnull (strstr (error->message, "adults"));
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
}


/* zstd's fast (negative) levels: entries written at -7 read back as the
 * rows they stored, and are no smaller than at level 1. */
static void
test_fast_level (void)
{
  g_autofree char *in = g_build_filename (tmpdir, "fast.csv", NULL);
  g_autofree char *out = g_build_filename (tmpdir, "fast-out.csv", NULL);
  g_autofree char *expected = NULL;
  const int levels[] = { 1, -7 };
  guint64 sizes[G_N_ELEMENTS (levels)];

  write_people (in, 20000, 16, NULL);
  expected = expected_output (in, 1000);
  for (guint i = 0; i < G_N_ELEMENTS (levels); i++)
    {
      g_autofree char *name = g_strdup_printf ("fast-cache-%d", levels[i]);
      g_autofree char *cache_dir = g_build_filename (tmpdir, name, NULL);
      g_autoptr(SetlCachePolicy) policy = new_disk_cache (cache_dir, 0);
      g_autoptr(SetlPipeline) cold = NULL, warm = NULL;
      g_autofree char *text = NULL, *path = NULL;
      GStatBuf st;
      int level = 0;

      g_object_set (policy, "compression-level", levels[i], NULL);
      g_object_get (policy, "compression-level", &level, NULL);
      g_assert_cmpint (level, ==, levels[i]);
      cold = build (in, out, 1000, policy);
      run_ok (cold);
      text = read_text (out);
      g_assert_cmpstr (text, ==, expected);
      g_clear_pointer (&text, g_free);

      warm = build (in, out, 1000, policy);
      run_ok (warm);
      assert_status (warm, "write", SETL_FACTORY_STATUS_REUSED);
      /* Read the filter's entry back, row by row. */
      {
        g_autoptr(SetlPipeline) p = setl_pipeline_new ("fast-read");
        g_autoptr(SetlTable) t = NULL;
        g_autoptr(GError) error = NULL;
        SetlBatchStream *stream;

        add_factory (p, "csv-source", "read", NULL, "path", in, "batch-size", 1000, NULL);
        add_factory (p, "filter", "adults", "read", "where", "age >= 18", NULL);
        setl_pipeline_set_cache_policy (p, policy);
        run_ok (p);
        assert_status (p, "adults", SETL_FACTORY_STATUS_REUSED);
        stream = g_value_get_object (setl_pipeline_get_output_by_name (p, "adults", &error));
        g_assert_no_error (error);
        t = setl_batch_stream_collect (stream, NULL, &error);
        g_assert_no_error (error);
        /* 20000 rows, ages (i * 37) % 100: the adults are 82 in 100. */
        g_assert_cmpint (setl_table_get_n_rows (t), ==, 16400);
        path = entry_file (cache_dir, setl_factory_result_get_cache_key (result_of (p, "adults")));
      }
      g_assert_cmpint (g_stat (path, &st), ==, 0);
      sizes[i] = (guint64) st.st_size;
    }
  g_assert_cmpuint (sizes[1], >=, sizes[0]);
}

/* ----------------------------------------------------------------------- */
/* Failures                                                                 */

/* A source whose stream fails half way (a bad value after several
 * batches): nothing of its entry stays, no temporary file either, and the
 * run fails as it does without a cache. */
static void
test_failed_stream (void)
{
  g_autofree char *in = g_build_filename (tmpdir, "bad.csv", NULL);
  g_autofree char *out = g_build_filename (tmpdir, "bad-out.csv", NULL);
  g_autofree char *cache_dir = g_build_filename (tmpdir, "bad-cache", NULL);
  g_autoptr(SetlCachePolicy) policy = new_disk_cache (cache_dir, 0);
  g_autoptr(SetlPipeline) p = NULL;
  g_autoptr(GError) error = NULL;
  guint n_entries = 0, n_temps = 0;

  write_people (in, 8000, 16, "8000,broken,not-a-number,x\n");
  p = build (in, out, 500, policy);
  g_assert_false (setl_pipeline_run (p, NULL, &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "bad.csv"));
  count_files (cache_dir, &n_entries, &n_temps);
  g_assert_cmpuint (n_entries, ==, 0);
  g_assert_cmpuint (n_temps, ==, 0);
  g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
}

typedef struct {
  const char   *cache_dir;
  GCancellable *cancellable;
  gboolean      saw_temp;
} Canceller;

/* Cancels the run as soon as a temporary file shows in the cache: while
 * the source's output is being stored. */
static gpointer
cancel_when_storing (gpointer data)
{
  Canceller *c = data;

  while (!g_cancellable_is_cancelled (c->cancellable))
    {
      guint n_entries = 0, n_temps = 0;

      count_files (c->cache_dir, &n_entries, &n_temps);
      if (n_temps > 0)
        {
          c->saw_temp = TRUE;
          g_cancellable_cancel (c->cancellable);
        }
      g_usleep (200);
    }
  return NULL;
}

/* A run cancelled while the source's output is being stored: no entry,
 * no temporary file. */
static void
test_cancelled_store (void)
{
  g_autofree char *in = g_build_filename (tmpdir, "cancel.csv", NULL);
  g_autofree char *out = g_build_filename (tmpdir, "cancel-out.csv", NULL);
  g_autofree char *cache_dir = g_build_filename (tmpdir, "cancel-cache", NULL);
  g_autoptr(SetlCachePolicy) policy = new_disk_cache (cache_dir, 0);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(SetlPipeline) p = NULL;
  g_autoptr(GError) error = NULL;
  Canceller canceller = { cache_dir, cancellable, FALSE };
  GThread *thread;
  guint n_entries = 0, n_temps = 0;
  gboolean ok;

  /* Many small batches: storing them takes long enough to be caught. */
  write_people (in, 200000, 16, NULL);
  p = build (in, out, 256, policy);
  thread = g_thread_new ("canceller", cancel_when_storing, &canceller);
  ok = setl_pipeline_run (p, cancellable, &error);
  g_cancellable_cancel (cancellable);
  g_thread_join (thread);
  g_assert_true (canceller.saw_temp);
  g_assert_false (ok);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  count_files (cache_dir, &n_entries, &n_temps);
  g_assert_cmpuint (n_entries, ==, 0);
  g_assert_cmpuint (n_temps, ==, 0);
}

/* Outputs larger than max-size are not stored (their temporary files are
 * removed as soon as they outgrow it), and the consumers read the stream
 * again: the output is right. The memory policy holds its bound too. */
static void
test_too_large (void)
{
  g_autofree char *in = g_build_filename (tmpdir, "large.csv", NULL);
  g_autofree char *out = g_build_filename (tmpdir, "large-out.csv", NULL);
  g_autofree char *cache_dir = g_build_filename (tmpdir, "large-cache", NULL);
  g_autoptr(SetlCachePolicy) policy = new_disk_cache (cache_dir, 32 * 1024);
  g_autofree char *expected = NULL;
  guint n_entries = 0, n_temps = 0;

  write_people (in, 30000, 40, NULL);
  expected = expected_output (in, 2000);
  for (guint round = 0; round < 2; round++)
    {
      g_autoptr(SetlPipeline) p = build (in, out, 2000, policy);
      g_autofree char *got = NULL;

      run_ok (p);
      assert_status (p, "read", SETL_FACTORY_STATUS_SUCCEEDED);
      assert_status (p, "adults", SETL_FACTORY_STATUS_SUCCEEDED);
      g_assert_false (entry_exists (cache_dir, p, "read"));
      g_assert_false (entry_exists (cache_dir, p, "adults"));
      g_assert_cmpuint (setl_factory_result_get_cache_bytes (result_of (p, "read")), ==, 0);
      /* The sink's row count is small: stored, and reused the second time
       * (its input's data version is the filter's key, deterministic). */
      g_assert_true (entry_exists (cache_dir, p, "write"));
      if (round == 1)
        assert_status (p, "write", SETL_FACTORY_STATUS_REUSED);
      else
        {
          got = read_text (out);
          g_assert_cmpstr (got, ==, expected);
        }
    }
  count_files (cache_dir, &n_entries, &n_temps);
  g_assert_cmpuint (n_entries, ==, 1);
  g_assert_cmpuint (n_temps, ==, 0);

  /* The memory policy, bounded: same outcome. */
  {
    g_autoptr(SetlCachePolicy) memory = new_policy ("memory");
    g_autoptr(SetlPipeline) p = NULL;
    g_autofree char *got = NULL;
    g_autoptr(SetlCacheStats) stats = NULL;

    setl_cache_policy_set_max_size (memory, 64 * 1024);
    g_unlink (out);
    p = build (in, out, 2000, memory);
    run_ok (p);
    got = read_text (out);
    g_assert_cmpstr (got, ==, expected);
    stats = setl_cache_policy_get_stats (memory);
    g_assert_cmpuint (stats->n_entries, ==, 1);   /* the sink's count only */
    g_assert_cmpuint (stats->size, <=, 64 * 1024);
  }
}

int
main (int argc, char **argv)
{
  int ret;

  if (argc == 6 && strcmp (argv[1], "--cold-run") == 0)
    return run_cold_child (argv[2], argv[3], argv[4], argv[5]);

  g_test_init (&argc, &argv, NULL);
  tmpdir = g_dir_make_tmp ("setl-cache-disk-stream-XXXXXX", NULL);
  g_assert_nonnull (tmpdir);

  g_test_add_func ("/cache-disk/stream/writer/round-trip", test_writer_round_trip);
  g_test_add_func ("/cache-disk/stream/writer/abort", test_writer_abort);
  g_test_add_func ("/cache-disk/stream/writer/fallback", test_writer_fallback);
  g_test_add_func ("/cache-disk/stream/cold-run-bounded", test_cold_run_bounded);
  g_test_add_func ("/cache-disk/stream/early-cutoff", test_early_cutoff);
  g_test_add_func ("/cache-disk/stream/damaged-after-run", test_damaged_after_run);
  g_test_add_func ("/cache-disk/stream/fast-level", test_fast_level);
  g_test_add_func ("/cache-disk/stream/failed-stream", test_failed_stream);
  g_test_add_func ("/cache-disk/stream/cancelled-store", test_cancelled_store);
  g_test_add_func ("/cache-disk/stream/too-large", test_too_large);

  ret = g_test_run ();
  cd_test_rm_rf (tmpdir);
  g_free (tmpdir);
  return ret;
}
