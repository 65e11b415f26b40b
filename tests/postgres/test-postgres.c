/* test-postgres.c: the postgres plugin's factories, pool and backend, used
 * by type (the plugin's code is linked in), against the real throwaway
 * server that pg-harness.sh runs.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <math.h>
#include <glib/gstdio.h>
#include <string.h>

#include "pg-test-util.h"
#include "sqlite-test-util.h"
#include "setl-postgres-backend.h"
#include "setl-postgres-pool.h"
#include "setl-postgres-query-stream.h"
#include "setl-postgres-sink.h"
#include "setl-postgres-source.h"
#include "setl-postgres-sql.h"

static SetlFactory *
make (GType type, const char *name, const char *first_property, ...)
{
  SetlFactory *f;
  va_list args;

  va_start (args, first_property);
  f = SETL_FACTORY (g_object_new_valist (type, first_property, args));
  va_end (args);
  setl_factory_set_name (f, name);
  setl_factory_set_delivery_id (f, name);
  return f;
}

static void
wire (SetlFactory *consumer, const char *slot, SetlFactory *producer)
{
  setl_delivery_set_delivery_id (setl_factory_get_delivery (consumer, slot),
                                 setl_factory_get_delivery_id (producer));
}

/* Runs a source alone and collects its output. */
static SetlTable *
read_all (SetlFactory *source, GError **error)
{
  GValue out = G_VALUE_INIT;
  SetlTable *table = NULL;

  if (!setl_factory_read (source, NULL, error))
    return NULL;
  if (setl_factory_get (source, &out, error))
    table = setl_batch_stream_collect (g_value_get_object (&out), NULL, error);
  g_value_unset (&out);
  return table;
}

/* ----------------------------------------------------------------------- */

static void
test_connect_redacted (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = g_strdup_printf ("postgresql://%s:not-the-password-42@127.0.0.1:%s/setl_test",
                                          g_getenv ("SETL_TEST_PG_PW_USER"),
                                          g_getenv ("SETL_TEST_PG_TCP_PORT"));
  g_autoptr(SetlFactory) src = make (SETL_TYPE_POSTGRES_SOURCE, "src", "database", uri,
                                     "query", "SELECT 1 AS one", NULL);
  g_autofree char *backend = NULL;
  g_autoptr(SetlTable) t = NULL;

  t = read_all (src, &error);
  g_assert_null (t);
  g_assert_error (error, SETL_POSTGRES_ERROR, SETL_POSTGRES_ERROR_CONNECT);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "postgres-source “src”"));
  g_assert_nonnull (strstr (error->message, "password authentication failed"));
  g_assert_null (strstr (error->message, "not-the-password-42"));
  g_object_get (src, "backend", &backend, NULL);
  g_assert_null (strstr (backend, "not-the-password-42"));
  {
    g_autofree char *want = g_strdup_printf ("postgresql://setl_pw_user@127.0.0.1:%s/setl_test",
                                             g_getenv ("SETL_TEST_PG_TCP_PORT"));
    g_assert_cmpstr (backend, ==, want);
  }
}

static void
test_connect_pgpass (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("setl-pgpass-XXXXXX", NULL);
  g_autofree char *passfile = g_build_filename (dir, "pgpass", NULL);
  g_autofree char *line = g_strdup_printf ("127.0.0.1:%s:*:%s:%s\n", g_getenv ("SETL_TEST_PG_TCP_PORT"),
                                           g_getenv ("SETL_TEST_PG_PW_USER"),
                                           g_getenv ("SETL_TEST_PG_PW_PASSWORD"));
  g_autofree char *uri = g_strdup_printf ("postgresql://%s@127.0.0.1:%s/setl_test",
                                          g_getenv ("SETL_TEST_PG_PW_USER"),
                                          g_getenv ("SETL_TEST_PG_TCP_PORT"));
  g_autoptr(SetlFactory) src = make (SETL_TYPE_POSTGRES_SOURCE, "src", "database", uri,
                                     "query", "SELECT current_user::text AS who", NULL);
  g_autoptr(SetlTable) t = NULL;
  g_autofree char *dump = NULL;

  g_assert_true (g_file_set_contents (passfile, line, -1, NULL));
  g_assert_cmpint (g_chmod (passfile, 0600), ==, 0);
  g_setenv ("PGPASSFILE", passfile, TRUE);
  t = read_all (src, &error);
  g_unsetenv ("PGPASSFILE");
  g_assert_no_error (error);
  dump = test_table_dump (t);
  g_assert_cmpstr (dump, ==, "\"setl_pw_user\"\n");
  g_unlink (passfile);
  g_rmdir (dir);
}

static void
test_source_types (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SetlFactory) src = NULL;
  g_autoptr(SetlFactory) exact = NULL;
  g_autoptr(SetlTable) t = NULL;
  g_autoptr(SetlTable) t2 = NULL;
  g_autofree char *dump = NULL;
  SetlField **fields;
  guint n;

  test_pg_exec ("DROP TABLE IF EXISTS types;"
                "CREATE TABLE types (i2 smallint, i4 integer NOT NULL, i8 bigint, f4 real, f8 double precision,"
                " num numeric(20,4), t text, v varchar(10), b boolean, d date, ts timestamp, tz timestamptz, j jsonb);"
                "INSERT INTO types VALUES (-3, 7, -9223372036854775808, 1.5, 0.1, 12345678901234.5678, 'é \"q\"', 'x',"
                " true, '1969-12-31', '2024-02-29 23:59:59.123456', '2024-03-01 01:00:00+02', '{\"a\": 1}'),"
                " (NULL, 8, NULL, NULL, 'NaN', NULL, NULL, NULL, false, NULL, NULL, NULL, NULL);");
  src = make (SETL_TYPE_POSTGRES_SOURCE, "types", "database", test_pg_uri (), "table", "types", NULL);
  t = read_all (src, &error);
  g_assert_no_error (error);
  fields = setl_table_get_fields (t, &n);
  g_assert_cmpuint (n, ==, 13);
  g_assert_cmpint (setl_field_get_data_type (fields[0]), ==, SETL_DATA_TYPE_INT64);
  g_assert_false (setl_field_get_nullable (fields[1]));   /* NOT NULL column */
  g_assert_true (setl_field_get_nullable (fields[0]));
  g_assert_cmpint (setl_field_get_data_type (fields[3]), ==, SETL_DATA_TYPE_DOUBLE);
  g_assert_cmpint (setl_field_get_data_type (fields[5]), ==, SETL_DATA_TYPE_DOUBLE);
  g_assert_cmpint (setl_field_get_data_type (fields[8]), ==, SETL_DATA_TYPE_BOOL);
  g_assert_cmpint (setl_field_get_data_type (fields[9]), ==, SETL_DATA_TYPE_DATE32);
  g_assert_cmpint (setl_field_get_data_type (fields[10]), ==, SETL_DATA_TYPE_TIMESTAMP);
  g_assert_null (setl_field_get_timezone (fields[10]));
  g_assert_cmpstr (setl_field_get_timezone (fields[11]), ==, "UTC");
  g_assert_cmpint (setl_field_get_data_type (fields[12]), ==, SETL_DATA_TYPE_STRING);
  g_assert_cmpint (setl_table_get_n_rows (t), ==, 2);
  {
    g_autoptr(SetlBatchIterator) it = setl_batch_stream_open (SETL_BATCH_STREAM (t), NULL, NULL);
    g_autoptr(SetlRecordBatch) b = setl_batch_iterator_next (it, NULL, NULL);
    gsize len;

    g_assert_cmpint (setl_column_get_int64 (setl_record_batch_get_column (b, 0), 0), ==, -3);
    g_assert_cmpint (setl_column_get_int64 (setl_record_batch_get_column (b, 2), 0), ==, G_MININT64);
    g_assert_true (setl_column_is_null (setl_record_batch_get_column (b, 2), 1));
    g_assert_cmpfloat (setl_column_get_double (setl_record_batch_get_column (b, 4), 0), ==, 0.1);
    g_assert_true (isnan (setl_column_get_double (setl_record_batch_get_column (b, 4), 1)));
    g_assert_cmpfloat (setl_column_get_double (setl_record_batch_get_column (b, 5), 0), ==, 12345678901234.5678);
    g_assert_cmpstr (setl_column_get_string (setl_record_batch_get_column (b, 6), 0, &len), ==, "é \"q\"");
    g_assert_true (setl_column_get_bool (setl_record_batch_get_column (b, 8), 0));
    g_assert_false (setl_column_get_bool (setl_record_batch_get_column (b, 8), 1));
    g_assert_cmpint (setl_column_get_date32 (setl_record_batch_get_column (b, 9), 0), ==, -1);
    /* 2024-02-29 23:59:59.123456 UTC */
    g_assert_cmpint (setl_column_get_timestamp (setl_record_batch_get_column (b, 10), 0), ==,
                     G_GINT64_CONSTANT (1709251199123456));
    /* 2024-03-01 01:00:00+02 = 2024-02-29 23:00:00 UTC */
    g_assert_cmpint (setl_column_get_timestamp (setl_record_batch_get_column (b, 11), 0), ==,
                     G_GINT64_CONSTANT (1709247600000000));
    g_assert_cmpstr (setl_column_get_string (setl_record_batch_get_column (b, 12), 0, &len), ==, "{\"a\": 1}");
    for (guint c = 0; c < n; c++)
      if (c != 1 && c != 4 && c != 8)
        g_assert_true (setl_column_is_null (setl_record_batch_get_column (b, c), 1));
  }

  /* numeric as exact text, from a query */
  exact = make (SETL_TYPE_POSTGRES_SOURCE, "exact", "database", test_pg_uri (),
                "query", "SELECT num FROM types ORDER BY i4", "numeric", SETL_POSTGRES_NUMERIC_STRING, NULL);
  t2 = read_all (exact, &error);
  g_assert_no_error (error);
  dump = test_table_dump (t2);
  g_assert_cmpstr (dump, ==, "\"12345678901234.5678\"\nNULL\n");
}

static void
test_source_batches (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SetlFactory) src = make (SETL_TYPE_POSTGRES_SOURCE, "gen", "database", test_pg_uri (),
                                     "query", "SELECT g AS n, g * 0.5 AS half FROM generate_series(1, 1000) g",
                                     "batch-size", 64, NULL);
  GValue out = G_VALUE_INIT;
  g_autoptr(SetlBatchIterator) it = NULL;
  SetlRecordBatch *b;
  gint64 fetched = setl_postgres_get_rows_fetched ();
  gint64 sum = 0, rows = 0;
  guint n_batches = 0;

  g_assert_true (setl_factory_read (src, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (setl_postgres_get_rows_fetched (), ==, fetched);   /* read() runs nothing */
  g_assert_true (setl_factory_get (src, &out, &error));
  it = setl_batch_stream_open (g_value_get_object (&out), NULL, &error);
  g_assert_no_error (error);
  while ((b = setl_batch_iterator_next (it, NULL, &error)) != NULL)
    {
      g_assert_cmpint (setl_record_batch_get_n_rows (b), <=, 64);
      for (gint64 r = 0; r < setl_record_batch_get_n_rows (b); r++)
        sum += setl_column_get_int64 (setl_record_batch_get_column (b, 0), r);
      rows += setl_record_batch_get_n_rows (b);
      n_batches++;
      g_object_unref (b);
    }
  g_assert_no_error (error);
  g_assert_cmpint (rows, ==, 1000);
  g_assert_cmpint (sum, ==, 500500);
  g_assert_cmpuint (n_batches, ==, 16);   /* 15 × 64 + 40 */
  g_assert_cmpint (setl_postgres_get_rows_fetched () - fetched, ==, 1000);
  g_value_unset (&out);
}

static void
test_source_errors (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SetlFactory) missing = make (SETL_TYPE_POSTGRES_SOURCE, "missing", "database", test_pg_uri (),
                                         "table", "no such table", NULL);
  g_autoptr(SetlFactory) both = make (SETL_TYPE_POSTGRES_SOURCE, "both", "database", test_pg_uri (),
                                      "table", "t", "query", "SELECT 1", NULL);
  g_autoptr(SetlFactory) infinite = make (SETL_TYPE_POSTGRES_SOURCE, "inf", "database", test_pg_uri (),
                                          "query", "SELECT 'infinity'::date AS d", NULL);
  SetlTable *t;

  t = read_all (missing, &error);
  g_assert_null (t);
  g_assert_error (error, SETL_POSTGRES_ERROR, SETL_POSTGRES_ERROR_SQL);
  g_assert_nonnull (strstr (error->message, "table \"no such table\""));
  g_assert_nonnull (strstr (error->message, "does not exist"));
  g_clear_error (&error);
  t = read_all (both, &error);
  g_assert_error (error, SETL_POSTGRES_ERROR, SETL_POSTGRES_ERROR_CONFIG);
  g_clear_error (&error);
  t = read_all (infinite, &error);
  g_assert_null (t);
  g_assert_error (error, SETL_POSTGRES_ERROR, SETL_POSTGRES_ERROR_TYPE);
  g_assert_nonnull (strstr (error->message, "column “d” (date32), row 1"));
}

/* ----------------------------------------------------------------------- */
/* Sink                                                                      */

static gint64
run_sink (SetlFactory *sink, SetlBatchStream *input, GCancellable *cancellable, GError **error)
{
  GValue in = G_VALUE_INIT, out = G_VALUE_INIT;
  gint64 rows = -1;

  g_value_init (&in, SETL_TYPE_BATCH_STREAM);
  g_value_set_object (&in, input);
  setl_delivery_set_value (setl_factory_get_delivery (sink, "in"), &in);
  g_value_unset (&in);
  if (!setl_factory_write (sink, cancellable, error))
    return -1;
  if (setl_factory_get (sink, &out, error))
    rows = g_value_get_int64 (&out);
  return rows;
}

static void
test_sink_round_trip (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SetlTable) data = test_all_types_table (1000, 97);
  g_autoptr(SetlFactory) sink = make (SETL_TYPE_POSTGRES_SINK, "save", "database", test_pg_uri (),
                                      "table", "all types", NULL);
  g_autoptr(SetlFactory) src = make (SETL_TYPE_POSTGRES_SOURCE, "back", "database", test_pg_uri (),
                                     "table", "all types", "batch-size", 300, NULL);
  g_autoptr(SetlTable) back = NULL;
  g_autofree char *a = NULL, *b = NULL, *types = NULL;

  g_assert_cmpint (run_sink (sink, SETL_BATCH_STREAM (data), NULL, &error), ==, 1000);
  g_assert_no_error (error);
  g_assert_cmpint (setl_factory_get_rows (sink), ==, 1000);
  types = test_pg_dump ("SELECT attname, format_type(atttypid, atttypmod), attnotnull FROM pg_attribute "
                        "WHERE attrelid = '\"all types\"'::regclass AND attnum > 0 ORDER BY attnum");
  g_assert_cmpstr (types, ==, "b|boolean|f\ni|bigint|t\nd|double precision|f\ns|text|f\nday|date|f\n"
                              "at|timestamp without time zone|f\n");
  back = read_all (src, &error);
  g_assert_no_error (error);
  a = test_table_dump (data);
  b = test_table_dump (back);
  g_assert_cmpstr (a, ==, b);
  g_assert_true (setl_table_equal (data, back));
}

/* The source's cache fingerprint holds the table's write counters; a sink
 * has its statistics published when it commits, so a write just made shows
 * in the fingerprint at once (PostgreSQL would otherwise wait up to 10 s),
 * and no password is in it. */
static void
test_sink_append_changes_fingerprint (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SetlTable) data = test_all_types_table (10, 3);
  g_autoptr(SetlFactory) replace = make (SETL_TYPE_POSTGRES_SINK, "save", "database", test_pg_uri (),
                                         "table", "appended", NULL);
  g_autoptr(SetlFactory) append = make (SETL_TYPE_POSTGRES_SINK, "more", "database", test_pg_uri (),
                                        "table", "appended", "mode", SETL_POSTGRES_SINK_MODE_APPEND, NULL);
  g_autoptr(SetlFactory) src = make (SETL_TYPE_POSTGRES_SOURCE, "src", "database", test_pg_uri (),
                                     "table", "appended", NULL);
  g_autoptr(SetlCacheKey) before = setl_cache_key_new ("t/src");
  g_autoptr(SetlCacheKey) after = setl_cache_key_new ("t/src");
  g_autofree char *inserted = NULL;

  g_assert_cmpint (run_sink (replace, SETL_BATCH_STREAM (data), NULL, &error), ==, 10);
  g_assert_no_error (error);
  g_assert_true (setl_cacheable_add_fingerprint (SETL_CACHEABLE (src), before, SETL_FINGERPRINT_DEFAULT,
                                                 NULL, &error));
  g_assert_no_error (error);
  /* well within a second of the first write's statistics */
  g_assert_cmpint (run_sink (append, SETL_BATCH_STREAM (data), NULL, &error), ==, 10);
  g_assert_no_error (error);
  inserted = test_pg_value ("SELECT n_tup_ins FROM pg_stat_user_tables WHERE relname = 'appended'");
  g_assert_cmpstr (inserted, ==, "20");
  g_assert_true (setl_cacheable_add_fingerprint (SETL_CACHEABLE (src), after, SETL_FINGERPRINT_DEFAULT,
                                                 NULL, &error));
  g_assert_no_error (error);
  g_test_message ("before: %s\nafter:  %s", setl_cache_key_lookup (before, "input:table-stats"),
                  setl_cache_key_lookup (after, "input:table-stats"));
  g_assert_cmpstr (setl_cache_key_lookup (before, "input:table"), ==, setl_cache_key_lookup (after, "input:table"));
  g_assert_cmpstr (setl_cache_key_lookup (before, "input:table-stats"), !=,
                   setl_cache_key_lookup (after, "input:table-stats"));
  g_assert_nonnull (strstr (setl_cache_key_lookup (after, "input:table-stats"), "inserted 20"));
  g_assert_true (g_str_has_prefix (setl_cache_key_lookup (after, "input:database"), "postgresql://postgres@"));

  /* a query: no cheap fingerprint — an error, which the cache reports as
   * "uncacheable" */
  g_object_set (src, "table", NULL, "query", "SELECT * FROM appended", NULL);
  g_clear_object (&before);
  before = setl_cache_key_new ("t/src");
  g_assert_false (setl_cacheable_add_fingerprint (SETL_CACHEABLE (src), before, SETL_FINGERPRINT_DEFAULT,
                                                  NULL, &error));
  g_assert_error (error, SETL_POSTGRES_ERROR, SETL_POSTGRES_ERROR_CONFIG);
  g_assert_nonnull (strstr (error->message, "“src”"));
  g_clear_error (&error);
  /* … unless content is hashed: the same rows in any order, the same hash */
  {
    g_autoptr(SetlCacheKey) q1 = setl_cache_key_new ("t/src");
    g_autoptr(SetlCacheKey) q2 = setl_cache_key_new ("t/src");

    g_assert_true (setl_cacheable_add_fingerprint (SETL_CACHEABLE (src), q1, SETL_FINGERPRINT_CONTENT,
                                                   NULL, &error));
    g_object_set (src, "query", "SELECT * FROM appended ORDER BY random()", NULL);
    g_assert_true (setl_cacheable_add_fingerprint (SETL_CACHEABLE (src), q2, SETL_FINGERPRINT_CONTENT,
                                                   NULL, &error));
    g_assert_no_error (error);
    g_assert_true (g_str_has_prefix (setl_cache_key_lookup (q1, "input:content"), "20 rows, "));
    g_assert_cmpstr (setl_cache_key_lookup (q1, "input:content"), ==, setl_cache_key_lookup (q2, "input:content"));
  }
  test_pg_exec ("DROP TABLE appended");
}

/* A stream that gives one good batch, then fails. */
#define TEST_TYPE_FAILING_STREAM (test_failing_stream_get_type ())
G_DECLARE_FINAL_TYPE (TestFailingStream, test_failing_stream, TEST, FAILING_STREAM, GObject)
struct _TestFailingStream { GObject parent; SetlTable *first; };
static void test_failing_stream_iface_init (SetlBatchStreamInterface *iface);
G_DEFINE_FINAL_TYPE_WITH_CODE (TestFailingStream, test_failing_stream, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (SETL_TYPE_BATCH_STREAM, test_failing_stream_iface_init))

#define TEST_TYPE_FAILING_ITERATOR (test_failing_iterator_get_type ())
G_DECLARE_FINAL_TYPE (TestFailingIterator, test_failing_iterator, TEST, FAILING_ITERATOR, SetlBatchIterator)
struct _TestFailingIterator { SetlBatchIterator parent; SetlBatchIterator *inner; };
G_DEFINE_FINAL_TYPE (TestFailingIterator, test_failing_iterator, SETL_TYPE_BATCH_ITERATOR)

static SetlRecordBatch *
failing_next (SetlBatchIterator *it, GCancellable *c, GError **error)
{
  TestFailingIterator *self = TEST_FAILING_ITERATOR (it);
  SetlRecordBatch *b = self->inner ? setl_batch_iterator_next (self->inner, c, error) : NULL;

  if (b == NULL)
    {
      g_clear_object (&self->inner);
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, "the disk fell off");
    }
  else
    g_clear_object (&self->inner);   /* one batch only */
  return b;
}
static void test_failing_iterator_finalize (GObject *o)
{
  g_clear_object (&TEST_FAILING_ITERATOR (o)->inner);
  G_OBJECT_CLASS (test_failing_iterator_parent_class)->finalize (o);
}
static void test_failing_iterator_class_init (TestFailingIteratorClass *k)
{
  G_OBJECT_CLASS (k)->finalize = test_failing_iterator_finalize;
  SETL_BATCH_ITERATOR_CLASS (k)->next = failing_next;
}
static void test_failing_iterator_init (TestFailingIterator *self) {}
static SetlField **failing_fields (SetlBatchStream *s, guint *n)
{
  return setl_batch_stream_get_fields (SETL_BATCH_STREAM (TEST_FAILING_STREAM (s)->first), n);
}
static SetlBatchIterator *failing_open (SetlBatchStream *s, GCancellable *c, GError **e)
{
  TestFailingIterator *it = g_object_new (TEST_TYPE_FAILING_ITERATOR, NULL);
  it->inner = setl_batch_stream_open (SETL_BATCH_STREAM (TEST_FAILING_STREAM (s)->first), c, e);
  return SETL_BATCH_ITERATOR (it);
}
static void test_failing_stream_iface_init (SetlBatchStreamInterface *iface)
{
  iface->get_fields = failing_fields;
  iface->open = failing_open;
}
static void test_failing_stream_finalize (GObject *o)
{
  g_clear_object (&TEST_FAILING_STREAM (o)->first);
  G_OBJECT_CLASS (test_failing_stream_parent_class)->finalize (o);
}
static void test_failing_stream_class_init (TestFailingStreamClass *k)
{
  G_OBJECT_CLASS (k)->finalize = test_failing_stream_finalize;
}
static void test_failing_stream_init (TestFailingStream *self) {}

static void
test_sink_failed_load (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TestFailingStream) failing = g_object_new (TEST_TYPE_FAILING_STREAM, NULL);
  g_autoptr(SetlFactory) sink = make (SETL_TYPE_POSTGRES_SINK, "save", "database", test_pg_uri (),
                                      "table", "kept", NULL);
  g_autoptr(SetlFactory) fail_sink = make (SETL_TYPE_POSTGRES_SINK, "save2", "database", test_pg_uri (),
                                           "table", "kept", "mode", SETL_POSTGRES_SINK_MODE_FAIL_IF_EXISTS, NULL);
  g_autofree char *before = NULL, *after = NULL, *leftovers = NULL, *idle = NULL;

  test_pg_exec ("DROP VIEW IF EXISTS kept_view; DROP TABLE IF EXISTS kept;"
                "CREATE TABLE kept (b boolean, i bigint NOT NULL, d double precision, s text, day date, at timestamp);"
                "INSERT INTO kept (i, s) VALUES (1, 'old'), (2, 'rows');");
  before = test_pg_dump ("SELECT * FROM kept ORDER BY i");
  failing->first = test_all_types_table (200, 50);
  g_assert_cmpint (run_sink (sink, SETL_BATCH_STREAM (failing), NULL, &error), ==, -1);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "postgres-sink “save”"));
  g_assert_nonnull (strstr (error->message, "after 50 rows"));
  g_assert_nonnull (strstr (error->message, "the disk fell off"));
  after = test_pg_dump ("SELECT * FROM kept ORDER BY i");
  g_assert_cmpstr (before, ==, after);
  leftovers = test_pg_value ("SELECT count(*) FROM pg_class WHERE relname LIKE 'setl_new_%'");
  g_assert_cmpstr (leftovers, ==, "0");
  idle = test_pg_value ("SELECT count(*) FROM pg_stat_activity WHERE state LIKE 'idle in transaction%'");
  g_assert_cmpstr (idle, ==, "0");

  g_clear_error (&error);
  g_assert_cmpint (run_sink (fail_sink, SETL_BATCH_STREAM (failing->first), NULL, &error), ==, -1);
  g_assert_error (error, SETL_POSTGRES_ERROR, SETL_POSTGRES_ERROR_EXISTS);
}

static void
test_sink_hostile_names (void)
{
  g_autoptr(GError) error = NULL;
  const char *hostile = "x\"; DROP TABLE victim; --";
  g_autoptr(SetlColumnBuilder) b1 = setl_column_builder_new (SETL_DATA_TYPE_STRING);
  g_autoptr(SetlColumnBuilder) b2 = setl_column_builder_new (SETL_DATA_TYPE_INT64);
  g_autoptr(GPtrArray) fields = g_ptr_array_new_with_free_func (g_object_unref);
  SetlColumn *cols[2];
  g_autoptr(SetlRecordBatch) batch = NULL;
  g_autoptr(SetlTable) table = NULL;
  g_autoptr(SetlFactory) sink = make (SETL_TYPE_POSTGRES_SINK, "save", "database", test_pg_uri (),
                                      "schema", "Sch\"ema", "table", hostile, NULL);
  g_autoptr(SetlFactory) src = make (SETL_TYPE_POSTGRES_SOURCE, "back", "database", test_pg_uri (),
                                     "schema", "Sch\"ema", "table", hostile, NULL);
  g_autoptr(SetlTable) back = NULL;
  g_autofree char *victim = NULL, *dump = NULL;

  test_pg_exec ("DROP TABLE IF EXISTS victim; CREATE TABLE victim (x int); "
                "DROP SCHEMA IF EXISTS \"Sch\"\"ema\" CASCADE; CREATE SCHEMA \"Sch\"\"ema\"");
  g_ptr_array_add (fields, setl_field_new ("'); DROP TABLE victim; --", SETL_DATA_TYPE_STRING, TRUE));
  g_ptr_array_add (fields, setl_field_new ("Quote\"d", SETL_DATA_TYPE_INT64, TRUE));
  setl_column_builder_append_string (b1, "Robert'); DROP TABLE victim;--", -1);
  setl_column_builder_append_int64 (b2, 42);
  cols[0] = setl_column_builder_finish (b1, NULL);
  cols[1] = setl_column_builder_finish (b2, NULL);
  batch = setl_record_batch_new ((SetlField **) fields->pdata, 2, cols, 2, &error);
  g_assert_no_error (error);
  g_object_unref (cols[0]);
  g_object_unref (cols[1]);
  table = setl_table_new_from_batch (batch);

  /* twice: create, then replace */
  g_assert_cmpint (run_sink (sink, SETL_BATCH_STREAM (table), NULL, &error), ==, 1);
  g_assert_no_error (error);
  g_assert_cmpint (run_sink (sink, SETL_BATCH_STREAM (table), NULL, &error), ==, 1);
  g_assert_no_error (error);
  victim = test_pg_value ("SELECT count(*) FROM pg_class WHERE relname = 'victim'");
  g_assert_cmpstr (victim, ==, "1");
  back = read_all (src, &error);
  g_assert_no_error (error);
  g_assert_true (setl_table_equal (table, back));
  dump = test_pg_dump ("SELECT \"Quote\"\"d\" FROM \"Sch\"\"ema\".\"x\"\"; DROP TABLE victim; --\"");
  g_assert_cmpstr (dump, ==, "42\n");
}

/* ----------------------------------------------------------------------- */
/* Pool                                                                      */

static void
test_pool_reuse_and_restart (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = g_strdup_printf ("%s&application_name=pool-test", test_pg_uri ());
  SetlPostgresPool *pool = setl_postgres_pool_get (uri);
  guint64 connects0, reuses0, connects1, reuses1, connects2;
  g_autofree char *pid_before = NULL, *pid_after = NULL;

  setl_postgres_pool_get_stats (pool, NULL, NULL, &connects0, &reuses0);
  for (int i = 0; i < 3; i++)
    {
      g_autoptr(SetlFactory) src = make (SETL_TYPE_POSTGRES_SOURCE, "s", "database", uri,
                                         "query", "SELECT pg_backend_pid() AS pid", NULL);
      g_autoptr(SetlTable) t = read_all (src, &error);
      g_autofree char *pid = NULL;
      g_assert_no_error (error);
      pid = test_table_dump (t);
      if (i == 0)
        pid_before = g_steal_pointer (&pid);
      else
        g_assert_cmpstr (pid, ==, pid_before);   /* the same backend each time */
    }
  setl_postgres_pool_get_stats (pool, NULL, NULL, &connects1, &reuses1);
  g_assert_cmpuint (connects1 - connects0, ==, 1);
  g_assert_cmpuint (reuses1 - reuses0, >=, 4);

  /* the server restarts between two factories: the pool notices and reconnects */
  test_pg_restart ();
  {
    g_autoptr(SetlFactory) src = make (SETL_TYPE_POSTGRES_SOURCE, "s", "database", uri,
                                       "query", "SELECT pg_backend_pid() AS pid", NULL);
    g_autoptr(SetlTable) t = read_all (src, &error);
    g_assert_no_error (error);
    pid_after = test_table_dump (t);
    g_assert_cmpstr (pid_after, !=, pid_before);
  }
  setl_postgres_pool_get_stats (pool, NULL, NULL, &connects2, NULL);
  g_assert_cmpuint (connects2 - connects1, ==, 1);
}

static gpointer
hold_and_read (gpointer data)
{
  const char *uri = data;
  g_autoptr(GError) error = NULL;
  SetlPostgresConnection *c = setl_postgres_pool_acquire (setl_postgres_pool_get (uri), NULL, &error);

  g_assert_no_error (error);
  g_usleep (200 * 1000);
  setl_postgres_pool_release (c);
  return NULL;
}

static void
test_pool_max_size (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = g_strdup_printf ("%s&application_name=small-pool", test_pg_uri ());
  SetlPostgresPool *pool = setl_postgres_pool_get (uri);
  GThread *threads[4];
  guint n_open;
  guint64 connects;

  setl_postgres_pool_set_max_size (pool, 2);
  for (int i = 0; i < 4; i++)
    threads[i] = g_thread_new ("holder", hold_and_read, uri);
  for (int i = 0; i < 4; i++)
    g_thread_join (threads[i]);
  setl_postgres_pool_get_stats (pool, &n_open, NULL, &connects, NULL);
  g_assert_cmpuint (n_open, <=, 2);
  g_assert_cmpuint (connects, ==, 2);   /* four users, two connections */
}

/* ----------------------------------------------------------------------- */
/* Job groups                                                                */

/* A factory that looks at its own pooled connection from a second one. */
#define TEST_TYPE_APP_NAME_PROBE (test_app_name_probe_get_type ())
G_DECLARE_FINAL_TYPE (TestAppNameProbe, test_app_name_probe, TEST, APP_NAME_PROBE, SetlFactory)
struct _TestAppNameProbe { SetlFactory parent; char *seen; int pid; gboolean fail; };
G_DEFINE_FINAL_TYPE (TestAppNameProbe, test_app_name_probe, SETL_TYPE_FACTORY)

static char *
app_name_of (int pid)
{
  g_autofree char *sql = g_strdup_printf ("SELECT application_name FROM pg_stat_activity WHERE pid = %d", pid);
  return test_pg_value (sql);
}

static gboolean
probe_process (SetlFactory *f, GCancellable *c, GError **error)
{
  TestAppNameProbe *self = TEST_APP_NAME_PROBE (f);
  SetlPostgresConnection *conn = setl_postgres_pool_acquire (setl_postgres_pool_get (test_pg_uri ()), c, error);

  if (conn == NULL)
    return FALSE;
  self->pid = PQbackendPID (conn->pg);
  g_free (self->seen);
  self->seen = app_name_of (self->pid);   /* from a second connection, during the factory */
  setl_postgres_pool_release (conn);
  if (self->fail)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, "probe fails on purpose");
      return FALSE;
    }
  return TRUE;
}
static gboolean probe_get (SetlFactory *f, GValue *v, GError **e) { g_value_set_string (v, "x"); return TRUE; }
static void probe_finalize (GObject *o)
{
  g_free (TEST_APP_NAME_PROBE (o)->seen);
  G_OBJECT_CLASS (test_app_name_probe_parent_class)->finalize (o);
}
static void test_app_name_probe_class_init (TestAppNameProbeClass *k)
{
  G_OBJECT_CLASS (k)->finalize = probe_finalize;
  SETL_FACTORY_CLASS (k)->process = probe_process;
  SETL_FACTORY_CLASS (k)->get = probe_get;
  setl_factory_class_set_output_type (SETL_FACTORY_CLASS (k), G_TYPE_STRING);
}
static void test_app_name_probe_init (TestAppNameProbe *self) {}

static void
test_job_group_application_name (void)
{
  g_autoptr(GError) error = NULL;
  /* 3 + 1 + 7 + 1 + 52×2 bytes: past 63, and cut inside a 2-byte character */
  const char *factory_name = "ééééééééééééééééééééééééééééééééééééééééééééééééééé";
  g_autoptr(SetlPipeline) p = setl_pipeline_new ("nightly");
  g_autoptr(SetlPipeline) p2 = setl_pipeline_new ("abc");
  g_autoptr(SetlPostgresBackend) backend = setl_postgres_backend_new ();
  TestAppNameProbe *probe = g_object_new (TEST_TYPE_APP_NAME_PROBE, NULL);
  TestAppNameProbe *probe2 = g_object_new (TEST_TYPE_APP_NAME_PROBE, NULL);
  g_autofree char *after = NULL, *after2 = NULL;

  setl_factory_set_name (SETL_FACTORY (probe), "probe");
  setl_pipeline_add_factory (p, SETL_FACTORY (probe));
  setl_pipeline_add_job_group_hook (p, SETL_JOB_GROUP_HOOK (backend));
  g_assert_true (setl_pipeline_run (p, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (probe->seen, "nightly/stage-"));
  g_assert_true (g_str_has_suffix (probe->seen, "/probe"));
  after = app_name_of (probe->pid);
  g_assert_cmpstr (after, ==, "setl");   /* restored once the factory is done */

  /* failure, and a name past PostgreSQL's 63 bytes */
  setl_factory_set_name (SETL_FACTORY (probe2), factory_name);
  probe2->fail = TRUE;
  setl_pipeline_add_factory (p2, SETL_FACTORY (probe2));
  setl_pipeline_add_job_group_hook (p2, SETL_JOB_GROUP_HOOK (backend));
  g_assert_false (setl_pipeline_run (p2, NULL, &error));
  g_assert_nonnull (error);
  g_test_message ("seen: %s (%zu bytes)", probe2->seen, strlen (probe2->seen));
  g_assert_cmpuint (strlen (probe2->seen), <=, 63);
  g_assert_true (g_str_has_prefix (probe2->seen, "abc/stage-"));
  /* PostgreSQL 15 shows non-ASCII as '?': our cut left whole characters */
  {
    g_autofree char *id = g_strconcat ("abc/stage-0/", factory_name, NULL);
    g_autoptr(SetlJobGroup) g = setl_job_group_new (id, NULL);
    g_autofree char *cut = setl_postgres_application_name (g);
    g_assert_cmpuint (strlen (cut), ==, 62);   /* 12 + 25 × 2: the 26th 'é' would end at byte 64 */
    g_assert_true (g_utf8_validate (cut, -1, NULL));
  }
  after2 = app_name_of (probe2->pid);
  g_assert_cmpstr (after2, ==, "setl");
  g_object_unref (probe);
  g_object_unref (probe2);
}


static void
test_job_group_parallel (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SetlPipeline) p = setl_pipeline_new ("par");
  g_autoptr(SetlPostgresBackend) backend = setl_postgres_backend_new ();
  g_autoptr(SetlStage) stage = setl_stage_new ();
  TestAppNameProbe *probes[4];

  g_object_set (p, "max-threads", 4, NULL);
  for (int i = 0; i < 4; i++)
    {
      g_autofree char *name = g_strdup_printf ("probe%d", i);
      probes[i] = g_object_new (TEST_TYPE_APP_NAME_PROBE, NULL);
      setl_factory_set_name (SETL_FACTORY (probes[i]), name);
      setl_stage_add_factory (stage, SETL_FACTORY (probes[i]));
    }
  setl_pipeline_add_stage (p, stage);
  setl_pipeline_add_job_group_hook (p, SETL_JOB_GROUP_HOOK (backend));
  g_assert_true (setl_pipeline_run (p, NULL, &error));
  g_assert_no_error (error);
  /* factories of one stage, run side by side: each saw its own group on
   * the connection it borrowed from the shared pool */
  for (int i = 0; i < 4; i++)
    {
      g_autofree char *want = g_strdup_printf ("par/stage-0/probe%d", i);
      g_autofree char *after = app_name_of (probes[i]->pid);
      g_assert_cmpstr (probes[i]->seen, ==, want);
      g_assert_cmpstr (after, ==, "setl");
      g_object_unref (probes[i]);
    }
}

/* The server side of a running statement: what pg_stat_activity shows. */
static gboolean
wait_for_activity (const char *where, int timeout_ms)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM pg_stat_activity WHERE %s", where);

  for (int waited = 0; waited < timeout_ms; waited += 20)
    {
      g_autofree char *n = test_pg_value (sql);
      if (!g_str_equal (n, "0"))
        return TRUE;
      g_usleep (20 * 1000);
    }
  {
    g_autofree char *all = test_pg_dump ("SELECT pid, application_name, state, query FROM pg_stat_activity");
    g_test_message ("pg_stat_activity:\n%s", all);
  }
  return FALSE;
}

typedef struct { SetlPipeline *p; gboolean ok; GError *error; } RunData;

static gpointer
run_thread (gpointer data)
{
  RunData *rd = data;
  rd->ok = setl_pipeline_run (rd->p, NULL, &rd->error);
  return NULL;
}

static void
test_job_group_during_and_cancel (void)
{
  g_autoptr(SetlPipeline) p = setl_pipeline_new ("slow");
  g_autoptr(SetlPostgresBackend) backend = setl_postgres_backend_new ();
  g_autoptr(SetlFactory) src = make (SETL_TYPE_POSTGRES_SOURCE, "sleepy", "database", test_pg_uri (),
                                     "query", "SELECT g AS n FROM generate_series(1, 3) g, pg_sleep(60)", NULL);
  g_autoptr(SetlFactory) sink = make (SETL_TYPE_POSTGRES_SINK, "save", "database", test_pg_uri (),
                                      "table", "never_written", NULL);
  RunData rd = { p, FALSE, NULL };
  GThread *thread;
  gint64 start;
  g_autofree char *exists = NULL, *left = NULL, *names = NULL;

  test_pg_exec ("DROP TABLE IF EXISTS never_written");
  wire (sink, "in", src);
  setl_pipeline_add_factory (p, src);
  setl_pipeline_add_factory (p, sink);
  setl_pipeline_add_job_group_hook (p, SETL_JOB_GROUP_HOOK (backend));
  thread = g_thread_new ("pipeline", run_thread, &rd);

  /* during: the sink runs the source's query (pushed down: CREATE TABLE … AS),
   * in the sink's job group */
  g_assert_true (wait_for_activity ("state = 'active' AND query LIKE 'CREATE TABLE %pg_sleep(60)%' "
                                    "AND application_name LIKE 'slow/stage-%/save'", 20000));
  start = g_get_monotonic_time ();
  g_assert_cmpuint (setl_pipeline_cancel_job_group (p, "slow"), >=, 1);
  g_thread_join (thread);
  g_assert_false (rd.ok);
  g_assert_error (rd.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&rd.error);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 10 * G_USEC_PER_SEC);   /* not the 60 s sleep */

  /* after: nothing running, no transaction open, no job group left */
  exists = test_pg_value ("SELECT to_regclass('never_written') IS NULL");
  g_assert_cmpstr (exists, ==, "t");
  left = test_pg_value ("SELECT count(*) FROM pg_stat_activity WHERE (query LIKE '%pg_sleep(60)%' AND state = 'active' "
                        "AND pid <> pg_backend_pid()) OR state LIKE 'idle in transaction%'");
  g_assert_cmpstr (left, ==, "0");
  names = test_pg_value ("SELECT count(*) FROM pg_stat_activity WHERE application_name LIKE 'slow/%'");
  g_assert_cmpstr (names, ==, "0");
}

/* ----------------------------------------------------------------------- */
/* Pushdown                                                                  */

static void
setup_citizens (void)
{
  test_pg_exec ("DROP TABLE IF EXISTS people, cities, per_country, stored_result;"
                "CREATE TABLE cities (id bigint NOT NULL, country text);"
                "INSERT INTO cities VALUES (1, 'France'), (2, 'Perú'), (3, 'France'), (4, NULL);"
                "CREATE TABLE people (id bigint, city_id bigint, age double precision);"
                "INSERT INTO people SELECT g, CASE WHEN g % 13 = 0 THEN NULL ELSE g % 5 + 1 END, g % 70 + 0.5 "
                "FROM generate_series(0, 4999) g;");
}

static const char citizens_query[] =
  "SELECT c.country, count(*) AS n, avg(p.age) AS mean_age "
  "FROM people p JOIN cities c ON c.id = p.city_id GROUP BY c.country ORDER BY c.country";

static void
test_pushdown_no_rows_travel (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SetlPipeline) p = setl_pipeline_new ("citizens");
  g_autoptr(SetlFactory) people = NULL, cities = NULL, sql = NULL, sink = NULL;
  gint64 fetched, uploaded;
  g_autofree char *got = NULL, *want = NULL;
  const GValue *rows;

  setup_citizens ();
  people = make (SETL_TYPE_POSTGRES_SOURCE, "people", "database", test_pg_uri (), "table", "people", NULL);
  cities = make (SETL_TYPE_POSTGRES_SOURCE, "cities", "database", test_pg_uri (),
                 "query", "SELECT id, country FROM cities -- every city\n;", NULL);
  sql = make (SETL_TYPE_POSTGRES_SQL, "per-country", "database", test_pg_uri (), "inputs", "people, cities",
              "query", citizens_query, NULL);
  wire (sql, "people", people);
  wire (sql, "cities", cities);
  sink = make (SETL_TYPE_POSTGRES_SINK, "save", "database", test_pg_uri (), "table", "per_country", NULL);
  wire (sink, "in", sql);
  setl_pipeline_add_factory (p, people);
  setl_pipeline_add_factory (p, cities);
  setl_pipeline_add_factory (p, sql);
  setl_pipeline_add_factory (p, sink);

  fetched = setl_postgres_get_rows_fetched ();
  uploaded = setl_postgres_get_rows_uploaded ();
  g_assert_true (setl_pipeline_run (p, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (setl_postgres_get_rows_fetched (), ==, fetched);     /* no row came to the client */
  g_assert_cmpint (setl_postgres_get_rows_uploaded (), ==, uploaded);   /* and none went back */
  g_assert_true (setl_postgres_sink_get_pushed_down (SETL_POSTGRES_SINK (sink)));
  rows = setl_pipeline_get_output_by_name (p, "save", &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_value_get_int64 (rows), ==, 3);
  got = test_pg_dump ("SELECT country, n, round(mean_age::numeric, 6) FROM per_country ORDER BY country");
  want = test_pg_dump ("SELECT c.country, count(*), round(avg(p.age)::numeric, 6) FROM people p "
                       "JOIN cities c ON c.id = p.city_id GROUP BY c.country ORDER BY c.country");
  g_assert_cmpstr (got, ==, want);
}

static void
test_pushdown_result_table_and_client (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SetlPipeline) p = setl_pipeline_new ("stored");
  g_autoptr(SetlFactory) people = NULL, cities = NULL, sql = NULL;
  g_autoptr(SetlTable) client = NULL;
  const GValue *out;
  gint64 fetched;
  g_autofree char *stored = NULL, *got = NULL;

  setup_citizens ();
  people = make (SETL_TYPE_POSTGRES_SOURCE, "people", "database", test_pg_uri (), "table", "people", NULL);
  /* a client-side input: uploaded into a temporary table of the pass */
  client = test_all_types_table (10, 10);
  sql = make (SETL_TYPE_POSTGRES_SQL, "joined", "database", test_pg_uri (), "inputs", "people, extra",
              "result-table", "stored_result",
              "query", "WITH few AS (SELECT * FROM people WHERE id < 10) "
                       "SELECT f.id, f.age, e.s FROM few f JOIN extra e ON e.i = f.id * 1000003 - 7 ORDER BY f.id",
              NULL);
  wire (sql, "people", people);
  setl_pipeline_add_factory (p, people);
  setl_pipeline_add_factory (p, sql);
  {
    GValue v = G_VALUE_INIT;
    g_autoptr(SetlDeliverable) d = NULL;
    g_value_init (&v, SETL_TYPE_BATCH_STREAM);
    g_value_set_object (&v, client);
    d = setl_deliverable_new (&v, SETL_TYPE_EXTERNAL, "extra");
    g_value_unset (&v);
    setl_delivery_set_delivery_id (setl_factory_get_delivery (sql, "extra"), "extra");
    setl_pipeline_set_input (p, d);
  }
  fetched = setl_postgres_get_rows_fetched ();
  g_assert_true (setl_pipeline_run (p, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (setl_postgres_get_rows_fetched (), ==, fetched);   /* stored in the server */
  stored = test_pg_value ("SELECT count(*) FROM stored_result");
  g_assert_cmpstr (stored, !=, "0");
  /* a client reading the output fetches exactly the stored rows */
  out = setl_pipeline_get_output_by_name (p, "joined", &error);
  g_assert_no_error (error);
  {
    g_autoptr(SetlTable) t = setl_batch_stream_collect (g_value_get_object (out), NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpint (setl_postgres_get_rows_fetched () - fetched, ==, g_ascii_strtoll (stored, NULL, 10));
    got = test_table_dump (t);
  }
  /* extra.i = r × 1000003 − 7 except rows 1 and 2 (the int64 extremes) */
  g_assert_cmpint (g_ascii_strtoll (stored, NULL, 10), ==, 8);
  g_assert_true (g_str_has_prefix (got, "0|0.5|\"plain\"\n3|3.5|"));
}


/* ----------------------------------------------------------------------- */
/* Server restarts                                                           */

/* A pass-through factory that restarts the server while it runs. */
#define TEST_TYPE_RESTARTER (test_restarter_get_type ())
G_DECLARE_FINAL_TYPE (TestRestarter, test_restarter, TEST, RESTARTER, SetlFactory)
struct _TestRestarter { SetlFactory parent; GObject *stream; };
G_DEFINE_FINAL_TYPE (TestRestarter, test_restarter, SETL_TYPE_FACTORY)

static gboolean
restarter_process (SetlFactory *f, GCancellable *c, GError **error)
{
  TestRestarter *self = TEST_RESTARTER (f);

  g_set_object (&self->stream, setl_factory_get_input_object (f, "in"));
  test_pg_restart ();
  return TRUE;
}
static gboolean restarter_get (SetlFactory *f, GValue *v, GError **e)
{
  g_value_set_object (v, TEST_RESTARTER (f)->stream);
  return TRUE;
}
static void restarter_finalize (GObject *o)
{
  g_clear_object (&TEST_RESTARTER (o)->stream);
  G_OBJECT_CLASS (test_restarter_parent_class)->finalize (o);
}
static void test_restarter_class_init (TestRestarterClass *k)
{
  G_OBJECT_CLASS (k)->finalize = restarter_finalize;
  SETL_FACTORY_CLASS (k)->process = restarter_process;
  SETL_FACTORY_CLASS (k)->get = restarter_get;
  setl_factory_class_set_output_type (SETL_FACTORY_CLASS (k), SETL_TYPE_BATCH_STREAM);
}
static void test_restarter_init (TestRestarter *self)
{
  setl_factory_add_input (SETL_FACTORY (self), "in", SETL_TYPE_BATCH_STREAM, SETL_TYPE_EXTERNAL, NULL);
}

static void
test_restart_between_factories (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SetlPipeline) p = setl_pipeline_new ("restart");
  g_autoptr(SetlFactory) src = NULL, sink = NULL;
  g_autoptr(SetlFactory) restarter = g_object_new (TEST_TYPE_RESTARTER, NULL);
  g_autofree char *got = NULL, *want = NULL;

  setup_citizens ();
  test_pg_exec ("DROP TABLE IF EXISTS people_copy");
  src = make (SETL_TYPE_POSTGRES_SOURCE, "people", "database", test_pg_uri (), "table", "people", NULL);
  setl_factory_set_name (restarter, "restart");
  setl_factory_set_delivery_id (restarter, "restart");
  wire (restarter, "in", src);
  sink = make (SETL_TYPE_POSTGRES_SINK, "save", "database", test_pg_uri (), "table", "people_copy", NULL);
  wire (sink, "in", restarter);
  setl_pipeline_add_factory (p, src);
  setl_pipeline_add_factory (p, restarter);
  setl_pipeline_add_factory (p, sink);
  /* the source's pooled connection dies with the restart; the sink's is new */
  g_assert_true (setl_pipeline_run (p, NULL, &error));
  g_assert_no_error (error);
  got = test_pg_dump ("SELECT count(*), sum(id), sum(age) FROM people_copy");
  want = test_pg_dump ("SELECT count(*), sum(id), sum(age) FROM people");
  g_assert_cmpstr (got, ==, want);
}

/* A client stream that restarts the server after its first batch: the
 * server goes away in the middle of a sink's COPY. */
#define TEST_TYPE_RESTARTING_ITERATOR (test_restarting_iterator_get_type ())
G_DECLARE_FINAL_TYPE (TestRestartingIterator, test_restarting_iterator, TEST, RESTARTING_ITERATOR,
                      SetlBatchIterator)
struct _TestRestartingIterator { SetlBatchIterator parent; SetlBatchIterator *inner; int n; };
G_DEFINE_FINAL_TYPE (TestRestartingIterator, test_restarting_iterator, SETL_TYPE_BATCH_ITERATOR)
static SetlRecordBatch *
restarting_next (SetlBatchIterator *it, GCancellable *c, GError **error)
{
  TestRestartingIterator *self = TEST_RESTARTING_ITERATOR (it);
  if (self->n++ == 1)
    test_pg_restart ();
  return setl_batch_iterator_next (self->inner, c, error);
}
static void restarting_finalize (GObject *o)
{
  g_clear_object (&TEST_RESTARTING_ITERATOR (o)->inner);
  G_OBJECT_CLASS (test_restarting_iterator_parent_class)->finalize (o);
}
static void test_restarting_iterator_class_init (TestRestartingIteratorClass *k)
{
  G_OBJECT_CLASS (k)->finalize = restarting_finalize;
  SETL_BATCH_ITERATOR_CLASS (k)->next = restarting_next;
}
static void test_restarting_iterator_init (TestRestartingIterator *self) {}

#define TEST_TYPE_RESTARTING_STREAM (test_restarting_stream_get_type ())
G_DECLARE_FINAL_TYPE (TestRestartingStream, test_restarting_stream, TEST, RESTARTING_STREAM, GObject)
struct _TestRestartingStream { GObject parent; SetlTable *table; };
static void test_restarting_stream_iface_init (SetlBatchStreamInterface *iface);
G_DEFINE_FINAL_TYPE_WITH_CODE (TestRestartingStream, test_restarting_stream, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (SETL_TYPE_BATCH_STREAM, test_restarting_stream_iface_init))
static SetlField **restarting_fields (SetlBatchStream *s, guint *n)
{
  return setl_batch_stream_get_fields (SETL_BATCH_STREAM (TEST_RESTARTING_STREAM (s)->table), n);
}
static SetlBatchIterator *restarting_open (SetlBatchStream *s, GCancellable *c, GError **e)
{
  TestRestartingIterator *it = g_object_new (TEST_TYPE_RESTARTING_ITERATOR, NULL);
  it->inner = setl_batch_stream_open (SETL_BATCH_STREAM (TEST_RESTARTING_STREAM (s)->table), c, e);
  return SETL_BATCH_ITERATOR (it);
}
static void test_restarting_stream_iface_init (SetlBatchStreamInterface *iface)
{
  iface->get_fields = restarting_fields;
  iface->open = restarting_open;
}
static void restarting_stream_finalize (GObject *o)
{
  g_clear_object (&TEST_RESTARTING_STREAM (o)->table);
  G_OBJECT_CLASS (test_restarting_stream_parent_class)->finalize (o);
}
static void test_restarting_stream_class_init (TestRestartingStreamClass *k)
{
  G_OBJECT_CLASS (k)->finalize = restarting_stream_finalize;
}
static void test_restarting_stream_init (TestRestartingStream *self) {}

static void
test_restart_during_load (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TestRestartingStream) input = g_object_new (TEST_TYPE_RESTARTING_STREAM, NULL);
  g_autoptr(SetlFactory) sink = make (SETL_TYPE_POSTGRES_SINK, "save", "database", test_pg_uri (),
                                      "table", "survivor", NULL);
  g_autoptr(SetlFactory) again = make (SETL_TYPE_POSTGRES_SINK, "again", "database", test_pg_uri (),
                                       "table", "survivor", NULL);
  g_autofree char *before = NULL, *after = NULL, *leftovers = NULL, *final = NULL;

  test_pg_exec ("DROP TABLE IF EXISTS survivor; CREATE TABLE survivor (n int); INSERT INTO survivor VALUES (1), (2)");
  before = test_pg_dump ("SELECT * FROM survivor ORDER BY n");
  /* big enough that the first batches are sent before the restart */
  input->table = test_all_types_table (60000, 20000);
  g_assert_cmpint (run_sink (sink, SETL_BATCH_STREAM (input), NULL, &error), ==, -1);
  g_assert_nonnull (error);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "postgres-sink “save”"));
  after = test_pg_dump ("SELECT * FROM survivor ORDER BY n");
  g_assert_cmpstr (before, ==, after);   /* nothing half-written */
  leftovers = test_pg_value ("SELECT count(*) FROM pg_class WHERE relname LIKE 'setl_new_%'");
  g_assert_cmpstr (leftovers, ==, "0");
  /* and the next factory carries on, on a fresh connection */
  g_clear_error (&error);
  g_assert_cmpint (run_sink (again, SETL_BATCH_STREAM (input->table), NULL, &error), ==, 60000);
  g_assert_no_error (error);
  final = test_pg_value ("SELECT count(*) FROM survivor");
  g_assert_cmpstr (final, ==, "60000");
}

static gpointer
cancel_later (gpointer data)
{
  g_usleep (300 * 1000);
  g_cancellable_cancel (data);
  return NULL;
}

static void
test_cancel_fetch (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = g_strdup_printf ("%s&application_name=cancel-fetch", test_pg_uri ());
  g_autoptr(SetlFactory) src = make (SETL_TYPE_POSTGRES_SOURCE, "sleepy", "database", uri,
                                     "query", "SELECT g AS n FROM generate_series(1, 3) g, pg_sleep(60)", NULL);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(SetlBatchIterator) it = NULL;
  GValue out = G_VALUE_INIT;
  SetlRecordBatch *b;
  GThread *canceller;
  gint64 start = g_get_monotonic_time ();
  g_autofree char *left = NULL;
  guint n_open, n_idle;

  g_assert_true (setl_factory_read (src, NULL, &error));
  g_assert_true (setl_factory_get (src, &out, &error));
  it = setl_batch_stream_open (g_value_get_object (&out), cancellable, &error);
  g_assert_no_error (error);
  canceller = g_thread_new ("cancel", cancel_later, cancellable);
  b = setl_batch_iterator_next (it, cancellable, &error);
  g_thread_join (canceller);
  g_assert_null (b);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 10 * G_USEC_PER_SEC);
  left = test_pg_value ("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'cancel-fetch' "
                        "AND state <> 'idle'");
  g_assert_cmpstr (left, ==, "0");   /* not running, not idle in a transaction */
  setl_postgres_pool_get_stats (setl_postgres_pool_get (uri), &n_open, &n_idle, NULL, NULL);
  g_assert_cmpuint (n_idle, ==, n_open);   /* the connection went back to the pool */
  g_value_unset (&out);
}


static void
test_uploads_then_server (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SetlPipeline) p = setl_pipeline_new ("uploads");
  g_autoptr(SetlTable) client = test_all_types_table (5000, 1000);
  g_autoptr(SetlFactory) sql = NULL, sink = NULL;
  gint64 fetched, uploaded;
  g_autofree char *got = NULL;

  sql = make (SETL_TYPE_POSTGRES_SQL, "big", "database", test_pg_uri (), "inputs", "extra",
              "query", "SELECT i, s, b FROM extra WHERE d IS NOT NULL;", NULL);
  sink = make (SETL_TYPE_POSTGRES_SINK, "save", "database", test_pg_uri (), "table", "from_client", NULL);
  wire (sink, "in", sql);
  setl_pipeline_add_factory (p, sql);
  setl_pipeline_add_factory (p, sink);
  {
    GValue v = G_VALUE_INIT;
    g_autoptr(SetlDeliverable) d = NULL;
    g_value_init (&v, SETL_TYPE_BATCH_STREAM);
    g_value_set_object (&v, client);
    d = setl_deliverable_new (&v, SETL_TYPE_EXTERNAL, "extra");
    g_value_unset (&v);
    setl_delivery_set_delivery_id (setl_factory_get_delivery (sql, "extra"), "extra");
    setl_pipeline_set_input (p, d);
  }
  fetched = setl_postgres_get_rows_fetched ();
  uploaded = setl_postgres_get_rows_uploaded ();
  g_assert_true (setl_pipeline_run (p, NULL, &error));
  g_assert_no_error (error);
  /* the client rows go to the server once; the result never comes back */
  g_assert_cmpint (setl_postgres_get_rows_uploaded () - uploaded, ==, 5000);
  g_assert_cmpint (setl_postgres_get_rows_fetched (), ==, fetched);
  g_assert_true (setl_postgres_sink_get_pushed_down (SETL_POSTGRES_SINK (sink)));
  got = test_pg_value ("SELECT count(*) FROM from_client");
  g_assert_cmpstr (got, ==, "4000");   /* d is NULL on every fifth row */
  g_free (got);
  got = test_pg_value ("SELECT count(*) FROM pg_class WHERE relpersistence = 't' AND relname = 'extra'");
  g_assert_cmpstr (got, ==, "0");   /* the temporary table went with the transaction */
}

static void
test_compose (void)
{
  const char *names[] = { "a\"b", "c" };
  const char *queries[] = { "SELECT 1 AS x", "SELECT 2 AS y" };
  g_autofree char *plain = setl_postgres_sql_compose (names, queries, 2, "SELECT * FROM c");
  g_autofree char *with = setl_postgres_sql_compose (names, queries, 2, " -- hi\n with recursive r AS (SELECT 1) SELECT * FROM r");

  g_assert_cmpstr (plain, ==, "WITH \"a\"\"b\" AS (SELECT 1 AS x\n), \"c\" AS (SELECT 2 AS y\n) SELECT * FROM c");
  g_assert_cmpstr (with, ==, "WITH RECURSIVE \"a\"\"b\" AS (SELECT 1 AS x\n), \"c\" AS (SELECT 2 AS y\n), "
                             "r AS (SELECT 1) SELECT * FROM r");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  test_pg_uri ();
  g_test_add_func ("/postgres/connect/password-redacted", test_connect_redacted);
  g_test_add_func ("/postgres/connect/pgpass", test_connect_pgpass);
  g_test_add_func ("/postgres/source/types", test_source_types);
  g_test_add_func ("/postgres/source/batches", test_source_batches);
  g_test_add_func ("/postgres/source/errors", test_source_errors);
  g_test_add_func ("/postgres/sink/round-trip", test_sink_round_trip);
  g_test_add_func ("/postgres/sink/failed-load-keeps-old-table", test_sink_failed_load);
  g_test_add_func ("/postgres/sink/hostile-names", test_sink_hostile_names);
  g_test_add_func ("/postgres/sink/append-changes-fingerprint", test_sink_append_changes_fingerprint);
  g_test_add_func ("/postgres/pool/reuse-and-server-restart", test_pool_reuse_and_restart);
  g_test_add_func ("/postgres/pool/max-size", test_pool_max_size);
  g_test_add_func ("/postgres/job-group/application-name", test_job_group_application_name);
  g_test_add_func ("/postgres/job-group/parallel-factories", test_job_group_parallel);
  g_test_add_func ("/postgres/job-group/during-and-cancel", test_job_group_during_and_cancel);
  g_test_add_func ("/postgres/restart/between-factories", test_restart_between_factories);
  g_test_add_func ("/postgres/restart/during-load", test_restart_during_load);
  g_test_add_func ("/postgres/cancel/fetch", test_cancel_fetch);
  g_test_add_func ("/postgres/sql/compose", test_compose);
  g_test_add_func ("/postgres/sql/pushdown-no-rows-travel", test_pushdown_no_rows_travel);
  g_test_add_func ("/postgres/sql/result-table-and-uploads", test_pushdown_result_table_and_client);
  g_test_add_func ("/postgres/sql/uploads-then-server", test_uploads_then_server);
  return g_test_run ();
}
