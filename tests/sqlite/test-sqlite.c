/* test-sqlite.c: the sqlite plugin's factories, used by type: sources,
 * sinks, the sql transform with its virtual tables, cancellation and the
 * backend's job groups. Real database files in a temporary directory.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "sqlite-test-util.h"

#include "setl-sql-transform.h"
#include "setl-sqlite-backend.h"
#include "setl-sqlite-sink.h"
#include "setl-sqlite-source.h"
#include "setl-sqlite-util.h"
#include "setl-sqlite-vtab.h"
#include "setl-sqlite-query-stream.h"

/* ----------------------------------------------------------------------- */
/* A stream over a table that counts its passes and can fail after a given
 * number of batches. Its batches are the table's own objects.             */

#define TEST_TYPE_STREAM (test_stream_get_type ())
G_DECLARE_FINAL_TYPE (TestStream, test_stream, TEST, STREAM, GObject)
#define TEST_TYPE_STREAM_ITER (test_stream_iter_get_type ())
G_DECLARE_FINAL_TYPE (TestStreamIter, test_stream_iter, TEST, STREAM_ITER, SetlBatchIterator)

struct _TestStream
{
  GObject parent_instance;
  SetlTable *table;
  int fail_after;     /* batches before failing, -1: never */
  guint opens;
  guint batches_out;
};

struct _TestStreamIter
{
  SetlBatchIterator parent_instance;
  TestStream *stream;
  guint next;
};

static void test_stream_iface_init (SetlBatchStreamInterface *iface);
G_DEFINE_FINAL_TYPE_WITH_CODE (TestStream, test_stream, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (SETL_TYPE_BATCH_STREAM, test_stream_iface_init))
G_DEFINE_FINAL_TYPE (TestStreamIter, test_stream_iter, SETL_TYPE_BATCH_ITERATOR)

static SetlRecordBatch *
test_stream_iter_next (SetlBatchIterator *it, GCancellable *c, GError **error)
{
  TestStreamIter *self = TEST_STREAM_ITER (it);

  if (self->stream->fail_after >= 0 && self->next == (guint) self->stream->fail_after)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "test stream broke after %u batches",
                   self->next);
      return NULL;
    }
  if (self->next >= setl_table_get_n_batches (self->stream->table))
    return NULL;
  self->stream->batches_out++;
  return g_object_ref (setl_table_get_batch (self->stream->table, self->next++));
}

static void
test_stream_iter_finalize (GObject *object)
{
  g_clear_object (&TEST_STREAM_ITER (object)->stream);
  G_OBJECT_CLASS (test_stream_iter_parent_class)->finalize (object);
}

static void
test_stream_iter_class_init (TestStreamIterClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = test_stream_iter_finalize;
  SETL_BATCH_ITERATOR_CLASS (klass)->next = test_stream_iter_next;
}

static void test_stream_iter_init (TestStreamIter *self) { }

static SetlField **
test_stream_get_fields (SetlBatchStream *s, guint *n)
{
  return setl_table_get_fields (TEST_STREAM (s)->table, n);
}

static SetlBatchIterator *
test_stream_open (SetlBatchStream *s, GCancellable *c, GError **error)
{
  TestStreamIter *it = g_object_new (TEST_TYPE_STREAM_ITER, NULL);

  TEST_STREAM (s)->opens++;
  it->stream = g_object_ref (TEST_STREAM (s));
  return SETL_BATCH_ITERATOR (it);
}

static void
test_stream_iface_init (SetlBatchStreamInterface *iface)
{
  iface->get_fields = test_stream_get_fields;
  iface->open = test_stream_open;
}

static void
test_stream_finalize (GObject *object)
{
  g_clear_object (&TEST_STREAM (object)->table);
  G_OBJECT_CLASS (test_stream_parent_class)->finalize (object);
}

static void test_stream_class_init (TestStreamClass *klass) { G_OBJECT_CLASS (klass)->finalize = test_stream_finalize; }
static void test_stream_init (TestStream *self) { self->fail_after = -1; }

static TestStream *
test_stream_new (SetlTable *table, int fail_after)
{
  TestStream *s = g_object_new (TEST_TYPE_STREAM, NULL);

  s->table = g_object_ref (table);
  s->fail_after = fail_after;
  return s;
}

/* ----------------------------------------------------------------------- */
/* Running factories by hand                                               */

static void
set_input (SetlFactory *factory, const char *slot, gpointer stream)
{
  g_auto(GValue) v = G_VALUE_INIT;

  g_value_init (&v, SETL_TYPE_BATCH_STREAM);
  g_value_set_object (&v, stream);
  setl_delivery_set_value (setl_factory_get_delivery (factory, slot), &v);
}

/* read, process, write, get; returns the output object (stream) or NULL. */
static gboolean
run_factory (SetlFactory *f, GCancellable *c, GValue *out, GError **error)
{
  return setl_factory_read (f, c, error) && setl_factory_process (f, c, error) &&
         setl_factory_write (f, c, error) && setl_factory_get (f, out, error);
}

static SetlTable *
collect (SetlFactory *f)
{
  g_auto(GValue) out = G_VALUE_INIT;
  g_autoptr(GError) error = NULL;
  SetlTable *t;

  run_factory (f, NULL, &out, &error);
  g_assert_no_error (error);
  t = setl_batch_stream_collect (g_value_get_object (&out), NULL, &error);
  g_assert_no_error (error);
  return t;
}

static gint64
sink (SetlBatchStream *stream, const char *db, const char *table, const char *mode, GError **error)
{
  g_autoptr(SetlFactory) f = g_object_new (SETL_TYPE_SQLITE_SINK, "name", "out",
                                           "database", db, "table", table, NULL);
  g_auto(GValue) out = G_VALUE_INIT;

  if (mode != NULL)
    {
      GEnumClass *k = g_type_class_ref (SETL_TYPE_SQLITE_SINK_MODE);
      g_object_set (f, "mode", g_enum_get_value_by_nick (k, mode)->value, NULL);
      g_type_class_unref (k);
    }
  set_input (f, "in", stream);
  if (!run_factory (f, NULL, &out, error))
    return -1;
  return g_value_get_int64 (&out);
}

static SetlFactory *
source (const char *db, const char *table, const char *query)
{
  return g_object_new (SETL_TYPE_SQLITE_SOURCE, "name", "src", "database", db,
                       "table", table, "query", query, NULL);
}

#define ALL_TYPES_SQL \
  "CREATE TABLE t (b BOOLEAN, i INTEGER NOT NULL, d REAL, s TEXT, day DATE, at TIMESTAMP);" \
  "INSERT INTO t VALUES (1, -5, 1.5, 'héllo, \"w\"', '2024-02-29', '2024-02-29 23:59:58.123456');" \
  "INSERT INTO t VALUES (NULL, 9223372036854775807, NULL, NULL, NULL, NULL);" \
  "INSERT INTO t VALUES (0, 0, -0.25, '', '1969-12-31', '1969-12-31T23:59:59Z');" \
  "INSERT INTO t VALUES ('true', 7, 3, 'x', '0001-01-01', '2000-01-01 01:00:00+01:00');"

static void
check_all_types (SetlTable *t)
{
  SetlRecordBatch *b;
  SetlColumn *c;
  gsize len;
  gint32 days;
  gint64 usec;

  g_assert_cmpint (setl_table_get_n_rows (t), ==, 4);
  g_assert_cmpint (setl_table_get_n_batches (t), ==, 2);   /* batch-size 3 */
  g_assert_cmpint (setl_field_get_data_type (setl_table_get_field (t, 0)), ==, SETL_DATA_TYPE_BOOL);
  g_assert_cmpint (setl_field_get_data_type (setl_table_get_field (t, 1)), ==, SETL_DATA_TYPE_INT64);
  g_assert_cmpint (setl_field_get_data_type (setl_table_get_field (t, 2)), ==, SETL_DATA_TYPE_DOUBLE);
  g_assert_cmpint (setl_field_get_data_type (setl_table_get_field (t, 3)), ==, SETL_DATA_TYPE_STRING);
  g_assert_cmpint (setl_field_get_data_type (setl_table_get_field (t, 4)), ==, SETL_DATA_TYPE_DATE32);
  g_assert_cmpint (setl_field_get_data_type (setl_table_get_field (t, 5)), ==, SETL_DATA_TYPE_TIMESTAMP);

  b = setl_table_get_batch (t, 0);
  c = setl_record_batch_get_column (b, 0);
  g_assert_true (setl_column_get_bool (c, 0));
  g_assert_true (setl_column_is_null (c, 1));
  g_assert_false (setl_column_get_bool (c, 2));
  c = setl_record_batch_get_column (b, 1);
  g_assert_cmpint (setl_column_get_int64 (c, 0), ==, -5);
  g_assert_cmpint (setl_column_get_int64 (c, 1), ==, G_MAXINT64);
  c = setl_record_batch_get_column (b, 2);
  g_assert_cmpfloat (setl_column_get_double (c, 0), ==, 1.5);
  g_assert_true (setl_column_is_null (c, 1));
  c = setl_record_batch_get_column (b, 3);
  g_assert_cmpstr (setl_column_get_string (c, 0, &len), ==, "héllo, \"w\"");
  g_assert_true (setl_column_is_null (c, 1));
  g_assert_cmpuint (len, ==, strlen ("héllo, \"w\""));
  g_assert_false (setl_column_is_null (c, 2));
  setl_column_get_string (c, 2, &len);
  g_assert_cmpuint (len, ==, 0);
  c = setl_record_batch_get_column (b, 4);
  g_assert_true (setl_sqlite_parse_date32 ("2024-02-29", 10, &days));
  g_assert_cmpint (setl_column_get_date32 (c, 0), ==, days);
  g_assert_cmpint (setl_column_get_date32 (c, 0), ==, 19782);   /* independent: 2024-02-29 */
  g_assert_cmpint (setl_column_get_date32 (c, 2), ==, -1);
  g_assert_true (setl_column_is_null (c, 1));
  c = setl_record_batch_get_column (b, 5);
  g_assert_cmpint (setl_column_get_timestamp (c, 0), ==, G_GINT64_CONSTANT (1709251198123456));
  g_assert_cmpint (setl_column_get_timestamp (c, 2), ==, -1000000);
  g_assert_true (setl_column_is_null (c, 1));

  b = setl_table_get_batch (t, 1);
  g_assert_true (setl_column_get_bool (setl_record_batch_get_column (b, 0), 0));
  g_assert_cmpfloat (setl_column_get_double (setl_record_batch_get_column (b, 2), 0), ==, 3.0);
  g_assert_cmpint (setl_column_get_date32 (setl_record_batch_get_column (b, 4), 0), ==, -719162);
  usec = setl_column_get_timestamp (setl_record_batch_get_column (b, 5), 0);
  g_assert_cmpint (usec, ==, G_GINT64_CONSTANT (946684800000000));   /* 01:00+01:00 is midnight UTC */
}

static void
test_source_table (void)
{
  char *dir = test_tmpdir_new ();
  g_autofree char *db = g_build_filename (dir, "in.db", NULL);
  g_autoptr(SetlFactory) f = NULL;
  g_autoptr(SetlTable) t = NULL;

  test_sql_exec (db, ALL_TYPES_SQL);
  f = source (db, "t", NULL);
  g_object_set (f, "batch-size", 3, NULL);
  t = collect (f);
  check_all_types (t);
  /* NOT NULL in the table is a non-nullable field; the others are nullable */
  g_assert_false (setl_field_get_nullable (setl_table_get_field (t, 1)));
  g_assert_true (setl_field_get_nullable (setl_table_get_field (t, 0)));
  test_tmpdir_remove (dir);
}

static void
test_source_query (void)
{
  char *dir = test_tmpdir_new ();
  g_autofree char *db = g_build_filename (dir, "in.db", NULL);
  g_autoptr(SetlFactory) f = NULL;
  g_autoptr(SetlTable) t = NULL;
  g_autoptr(SetlTable) again = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GValue) out = G_VALUE_INIT;
  g_autoptr(SetlBatchIterator) it = NULL;
  SetlBatchStream *stream;
  SetlRecordBatch *batch;
  guint n_batches = 0;

  test_sql_exec (db, ALL_TYPES_SQL);
  /* declared types through a query, plus computed columns typed from rows */
  f = source (db, NULL, "SELECT b, i, d, s, day, at, (i % 1000) * 2 AS twice, d / 2 AS half, "
                        "upper(s) AS up, NULL AS empty FROM t ORDER BY rowid");
  g_object_set (f, "batch-size", 3, NULL);
  run_factory (f, NULL, &out, &error);
  g_assert_no_error (error);
  stream = g_value_get_object (&out);

  /* lazy: read() did not read rows into batches; each open is a new pass */
  it = setl_batch_stream_open (stream, NULL, &error);
  g_assert_no_error (error);
  while ((batch = setl_batch_iterator_next (it, NULL, &error)) != NULL)
    {
      g_assert_cmpint (setl_record_batch_get_n_rows (batch), <=, 3);
      n_batches++;
      g_object_unref (batch);
    }
  g_assert_no_error (error);
  g_assert_cmpuint (n_batches, ==, 2);
  g_assert_cmpuint (setl_sqlite_query_stream_get_n_opens (SETL_SQLITE_QUERY_STREAM (stream)), ==, 1);

  t = setl_batch_stream_collect (stream, NULL, &error);
  g_assert_no_error (error);
  again = setl_batch_stream_collect (stream, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (setl_sqlite_query_stream_get_n_opens (SETL_SQLITE_QUERY_STREAM (stream)), ==, 3);
  g_assert_true (setl_table_equal (t, again));
  {
    g_autoptr(SetlTable) first6 = setl_table_select (t, (guint[]) { 0, 1, 2, 3, 4, 5 }, 6, &error);
    g_assert_no_error (error);
    check_all_types (first6);
  }
  g_assert_cmpint (setl_field_get_data_type (setl_table_get_field (t, 6)), ==, SETL_DATA_TYPE_INT64);
  g_assert_cmpint (setl_field_get_data_type (setl_table_get_field (t, 7)), ==, SETL_DATA_TYPE_DOUBLE);
  g_assert_cmpint (setl_field_get_data_type (setl_table_get_field (t, 8)), ==, SETL_DATA_TYPE_STRING);
  g_assert_cmpint (setl_column_get_int64 (setl_record_batch_get_column (setl_table_get_batch (t, 0), 6), 0), ==, -10);
  g_assert_cmpfloat (setl_column_get_double (setl_record_batch_get_column (setl_table_get_batch (t, 0), 7), 2), ==, -0.125);
  g_assert_true (setl_column_is_null (setl_record_batch_get_column (setl_table_get_batch (t, 0), 9), 0));
  test_tmpdir_remove (dir);
}

static void
expect_read_error (SetlFactory *f, GQuark domain, int code, const char *const *fragments)
{
  g_autoptr(GError) error = NULL;
  g_auto(GValue) out = G_VALUE_INIT;
  gboolean ok = run_factory (f, NULL, &out, &error);

  if (ok)
    {
      /* a row error shows up when the rows are read */
      g_autoptr(SetlTable) t = setl_batch_stream_collect (g_value_get_object (&out), NULL, &error);
      g_assert_null (t);
    }
  g_assert_error (error, domain, code);
  for (guint i = 0; fragments[i]; i++)
    if (strstr (error->message, fragments[i]) == NULL)
      g_error ("“%s” not in: %s", fragments[i], error->message);
}

static void
test_source_errors (void)
{
  char *dir = test_tmpdir_new ();
  g_autofree char *db = g_build_filename (dir, "in.db", NULL);
  g_autofree char *missing = g_build_filename (dir, "missing.db", NULL);

  test_sql_exec (db, "CREATE TABLE t (n INTEGER, day DATE);"
                     "INSERT INTO t VALUES (1, '2024-01-01'), (2, '2024-13-01'), ('abc', NULL);"
                     "CREATE TABLE nums (n INTEGER); INSERT INTO nums VALUES (1), (2), ('abc');");
  {
    g_autoptr(SetlFactory) f = source (missing, "t", NULL);
    expect_read_error (f, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, (const char *[]) { missing, NULL });
  }
  {
    g_autoptr(SetlFactory) f = source (db, "t", "SELECT 1");
    expect_read_error (f, SETL_SQLITE_ERROR, SETL_SQLITE_ERROR_CONFIG, (const char *[]) { "exactly one", db, NULL });
  }
  {
    g_autoptr(SetlFactory) f = source (db, "nope", NULL);
    expect_read_error (f, SETL_SQLITE_ERROR, SETL_SQLITE_ERROR_SQL,
                       (const char *[]) { db, "table “nope”", "no such table", NULL });
  }
  {
    g_autoptr(SetlFactory) f = source (db, NULL, "SELEC 1");
    expect_read_error (f, SETL_SQLITE_ERROR, SETL_SQLITE_ERROR_SQL, (const char *[]) { "SELEC 1", "syntax error", NULL });
  }
  {
    /* bad date in row 2, column day */
    g_autoptr(SetlFactory) f = source (db, NULL, "SELECT day FROM t");
    expect_read_error (f, SETL_SQLITE_ERROR, SETL_SQLITE_ERROR_TYPE,
                       (const char *[]) { db, "column “day”", "row 2", "2024-13-01", NULL });
  }
  {
    g_autoptr(SetlFactory) f = source (db, "nums", NULL);
    expect_read_error (f, SETL_SQLITE_ERROR, SETL_SQLITE_ERROR_TYPE,
                       (const char *[]) { db, "table “nums”", "column “n”", "row 3", "abc", NULL });
  }
  test_tmpdir_remove (dir);
}

/* ----------------------------------------------------------------------- */
/* Sinks                                                                   */

static SetlTable *
small_table (gint64 first, guint n)
{
  g_autoptr(SetlField) f1 = setl_field_new ("n", SETL_DATA_TYPE_INT64, FALSE);
  g_autoptr(SetlField) f2 = setl_field_new ("label", SETL_DATA_TYPE_STRING, TRUE);
  SetlField *fields[] = { f1, f2 };
  g_autoptr(SetlColumnBuilder) a = setl_column_builder_new (SETL_DATA_TYPE_INT64);
  g_autoptr(SetlColumnBuilder) b = setl_column_builder_new (SETL_DATA_TYPE_STRING);
  g_autoptr(SetlColumn) ca = NULL, cb = NULL;
  g_autoptr(SetlRecordBatch) batch = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *s = g_strdup_printf ("row %" G_GINT64_FORMAT, first + i);
      setl_column_builder_append_int64 (a, first + i);
      setl_column_builder_append_string (b, s, -1);
    }
  ca = setl_column_builder_finish (a, &error);
  cb = setl_column_builder_finish (b, &error);
  batch = setl_record_batch_new (fields, 2, (SetlColumn *[]) { ca, cb }, 2, &error);
  g_assert_no_error (error);
  return setl_table_new_from_batch (batch);
}

static void
test_sink_modes (void)
{
  char *dir = test_tmpdir_new ();
  g_autofree char *db = g_build_filename (dir, "out.db", NULL);
  g_autoptr(SetlTable) one = small_table (1, 3);
  g_autoptr(SetlTable) two = small_table (10, 2);
  g_autoptr(GError) error = NULL;
  g_autofree char *dump = NULL;

  /* replace into a missing database and table */
  g_assert_cmpint (sink (SETL_BATCH_STREAM (one), db, "t", NULL, &error), ==, 3);
  g_assert_no_error (error);
  dump = test_sql_dump (db, "SELECT n, label FROM t ORDER BY n");
  g_assert_cmpstr (dump, ==, "1|'row 1'\n2|'row 2'\n3|'row 3'\n");
  g_clear_pointer (&dump, g_free);
  dump = test_sql_dump (db, "SELECT sql FROM sqlite_master");
  g_assert_cmpstr (dump, ==, "'CREATE TABLE \"t\" (\"n\" INTEGER NOT NULL, \"label\" TEXT)'\n");
  g_clear_pointer (&dump, g_free);

  /* replace: the old rows are gone */
  g_assert_cmpint (sink (SETL_BATCH_STREAM (two), db, "t", "replace", &error), ==, 2);
  g_assert_no_error (error);
  dump = test_sql_dump (db, "SELECT n FROM t ORDER BY n");
  g_assert_cmpstr (dump, ==, "10\n11\n");
  g_clear_pointer (&dump, g_free);

  /* append: added to them */
  g_assert_cmpint (sink (SETL_BATCH_STREAM (one), db, "t", "append", &error), ==, 3);
  g_assert_no_error (error);
  dump = test_sql_dump (db, "SELECT n FROM t ORDER BY n");
  g_assert_cmpstr (dump, ==, "1\n2\n3\n10\n11\n");
  g_clear_pointer (&dump, g_free);

  /* append to a missing table creates it */
  g_assert_cmpint (sink (SETL_BATCH_STREAM (two), db, "fresh", "append", &error), ==, 2);
  g_assert_no_error (error);

  /* fail-if-exists: refused (also when the case differs), table untouched */
  g_assert_cmpint (sink (SETL_BATCH_STREAM (two), db, "T", "fail-if-exists", &error), ==, -1);
  g_assert_error (error, SETL_SQLITE_ERROR, SETL_SQLITE_ERROR_EXISTS);
  g_assert_nonnull (strstr (error->message, db));
  g_clear_error (&error);
  dump = test_sql_dump (db, "SELECT count(*) FROM t");
  g_assert_cmpstr (dump, ==, "5\n");
  g_clear_pointer (&dump, g_free);
  /* …and allowed for a new table */
  g_assert_cmpint (sink (SETL_BATCH_STREAM (two), db, "t2", "fail-if-exists", &error), ==, 2);
  g_assert_no_error (error);
  dump = test_sql_dump (db, "SELECT name FROM sqlite_master ORDER BY name");
  g_assert_cmpstr (dump, ==, "'fresh'\n't'\n't2'\n");
  test_tmpdir_remove (dir);
}

static void
test_sink_failure_keeps_old_table (void)
{
  char *dir = test_tmpdir_new ();
  g_autofree char *db = g_build_filename (dir, "out.db", NULL);
  g_autoptr(SetlTable) old = small_table (1, 4);
  g_autoptr(GPtrArray) batches = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(SetlTable) t = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL, *after = NULL, *tables = NULL;

  /* five batches of ten rows, with the sink's columns */
  for (int i = 0; i < 5; i++)
    {
      g_autoptr(SetlTable) part = small_table (1000 + 10 * i, 10);
      g_ptr_array_add (batches, g_object_ref (setl_table_get_batch (part, 0)));
    }
  {
    guint n_fields;
    SetlField **fields = setl_table_get_fields (old, &n_fields);
    t = setl_table_new (fields, n_fields, (SetlRecordBatch **) batches->pdata, batches->len, &error);
  }
  g_assert_no_error (error);

  g_assert_cmpint (sink (SETL_BATCH_STREAM (old), db, "t", NULL, &error), ==, 4);
  g_assert_no_error (error);
  test_sql_exec (db, "CREATE VIEW v AS SELECT n * 2 AS m FROM t");
  before = test_sql_dump (db, "SELECT * FROM t ORDER BY n");

  for (int mode = 0; mode < 2; mode++)
    {
      /* three batches (30 rows) go in, then the input fails */
      g_autoptr(TestStream) broken = test_stream_new (t, 3);
      g_assert_cmpint (sink (SETL_BATCH_STREAM (broken), db, "t", mode ? "append" : "replace", &error), ==, -1);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
      g_assert_nonnull (strstr (error->message, "test stream broke"));
      g_assert_nonnull (strstr (error->message, "after 30 rows"));
      g_assert_nonnull (strstr (error->message, "table “t”"));
      g_clear_error (&error);
      g_assert_cmpuint (broken->batches_out, ==, 3);

      after = test_sql_dump (db, "SELECT * FROM t ORDER BY n");
      g_assert_cmpstr (before, ==, after);
      g_clear_pointer (&after, g_free);
      tables = test_sql_dump (db, "SELECT type, name FROM sqlite_master ORDER BY name");
      g_assert_cmpstr (tables, ==, "'table'|'t'\n'view'|'v'\n");   /* no temporary table left */
      g_clear_pointer (&tables, g_free);
    }

  /* and a good replace goes through, the view following the new table */
  {
    g_autoptr(SetlTable) fresh = small_table (100, 2);
    g_assert_cmpint (sink (SETL_BATCH_STREAM (fresh), db, "t", NULL, &error), ==, 2);
    g_assert_no_error (error);
    after = test_sql_dump (db, "SELECT m FROM v ORDER BY m");
    g_assert_cmpstr (after, ==, "200\n202\n");
  }
  test_tmpdir_remove (dir);
}

static void
test_sink_hostile_names (void)
{
  char *dir = test_tmpdir_new ();
  g_autofree char *db = g_build_filename (dir, "out.db", NULL);
  static const char *table = "we\"ird\"\"; DROP TABLE victim; --";
  static const char *col1 = "a \"quoted\" col";
  static const char *col2 = "x); DROP TABLE victim; --";
  g_autoptr(SetlField) f1 = setl_field_new (col1, SETL_DATA_TYPE_INT64, TRUE);
  g_autoptr(SetlField) f2 = setl_field_new (col2, SETL_DATA_TYPE_STRING, TRUE);
  g_autoptr(SetlColumnBuilder) a = setl_column_builder_new (SETL_DATA_TYPE_INT64);
  g_autoptr(SetlColumnBuilder) b = setl_column_builder_new (SETL_DATA_TYPE_STRING);
  g_autoptr(SetlColumn) ca = NULL, cb = NULL;
  g_autoptr(SetlRecordBatch) batch = NULL;
  g_autoptr(SetlTable) in = NULL, back = NULL;
  g_autoptr(SetlFactory) src = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dump = NULL;

  test_sql_exec (db, "CREATE TABLE victim (x); INSERT INTO victim VALUES (42);");
  setl_column_builder_append_int64 (a, 1);
  setl_column_builder_append_string (b, "'); DROP TABLE victim; --", -1);
  setl_column_builder_append_null (a);
  setl_column_builder_append_string (b, "\"", -1);
  ca = setl_column_builder_finish (a, &error);
  cb = setl_column_builder_finish (b, &error);
  batch = setl_record_batch_new ((SetlField *[]) { f1, f2 }, 2, (SetlColumn *[]) { ca, cb }, 2, &error);
  g_assert_no_error (error);
  in = setl_table_new_from_batch (batch);

  g_assert_cmpint (sink (SETL_BATCH_STREAM (in), db, table, NULL, &error), ==, 2);
  g_assert_no_error (error);
  g_assert_cmpint (sink (SETL_BATCH_STREAM (in), db, table, "replace", &error), ==, 2);
  g_assert_no_error (error);
  g_assert_cmpint (sink (SETL_BATCH_STREAM (in), db, table, "append", &error), ==, 2);
  g_assert_no_error (error);

  dump = test_sql_dump (db, "SELECT x FROM victim");
  g_assert_cmpstr (dump, ==, "42\n");
  g_clear_pointer (&dump, g_free);
  dump = test_sql_dump (db, "SELECT name FROM sqlite_master ORDER BY name");
  g_assert_cmpstr (dump, ==, "'victim'\n'we\"ird\"\"; DROP TABLE victim; --'\n");

  src = source (db, table, NULL);
  back = collect (src);
  g_assert_cmpint (setl_table_get_n_rows (back), ==, 4);
  g_assert_cmpstr (setl_field_get_name (setl_table_get_field (back, 0)), ==, col1);
  g_assert_cmpstr (setl_field_get_name (setl_table_get_field (back, 1)), ==, col2);
  {
    g_autofree char *s = setl_column_dup_string (setl_record_batch_get_column (setl_table_get_batch (back, 0), 1), 0);
    g_assert_cmpstr (s, ==, "'); DROP TABLE victim; --");
  }
  test_tmpdir_remove (dir);
}

/* ----------------------------------------------------------------------- */
/* Round trips                                                             */

static void
test_round_trip (void)
{
  char *dir = test_tmpdir_new ();
  g_autofree char *db = g_build_filename (dir, "a.db", NULL);
  g_autofree char *db2 = g_build_filename (dir, "b.db", NULL);
  g_autoptr(SetlTable) t = test_all_types_table (23, 7);
  g_autoptr(SetlTable) back = NULL, back2 = NULL;
  g_autoptr(SetlFactory) src = NULL, src2 = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dump1 = NULL, *dump2 = NULL, *dump_in = NULL, *dump_out = NULL;

  /* SetlTable → SQLite → SetlTable: equal, nulls and nullability included */
  g_assert_cmpint (sink (SETL_BATCH_STREAM (t), db, "t", NULL, &error), ==, 23);
  g_assert_no_error (error);
  src = source (db, "t", NULL);
  g_object_set (src, "batch-size", 7, NULL);
  back = collect (src);
  g_assert_true (setl_table_equal (t, back));

  /* SQLite → SetlTable → SQLite: the same stored values, storage classes
   * included, also for a table made by hand with SQLite's own text forms */
  g_assert_cmpint (sink (SETL_BATCH_STREAM (back), db2, "t", NULL, &error), ==, 23);
  g_assert_no_error (error);
  dump1 = test_sql_dump (db, "SELECT * FROM t ORDER BY rowid");
  dump2 = test_sql_dump (db2, "SELECT * FROM t ORDER BY rowid");
  g_assert_cmpstr (dump1, ==, dump2);

  /* a table written by hand, values in the canonical text forms */
  test_sql_exec (db, "CREATE TABLE h (b BOOLEAN, i INTEGER NOT NULL, d REAL, s TEXT, day DATE, at TIMESTAMP);"
                     "INSERT INTO h VALUES (1, -5, 1.5, 'héllo, \"w\"', '2024-02-29', '2024-02-29 23:59:58.123456');"
                     "INSERT INTO h VALUES (NULL, 9223372036854775807, NULL, NULL, NULL, NULL);"
                     "INSERT INTO h VALUES (0, 0, 3, '', '1969-12-31', '1969-12-31 23:59:59');"
                     "INSERT INTO h VALUES (1, -9223372036854775808, -0.0001, 'x', '0001-01-01', '9999-12-31 23:59:59.000001');");
  src2 = source (db, "h", NULL);
  back2 = collect (src2);
  g_assert_cmpint (sink (SETL_BATCH_STREAM (back2), db2, "h", NULL, &error), ==, 4);
  g_assert_no_error (error);
  dump_in = test_sql_dump (db, "SELECT *, typeof(d), typeof(at) FROM h ORDER BY rowid");
  dump_out = test_sql_dump (db2, "SELECT *, typeof(d), typeof(at) FROM h ORDER BY rowid");
  g_assert_cmpstr (dump_in, ==, dump_out);
  g_clear_pointer (&dump_out, g_free);
  dump_out = test_sql_dump (db2, "SELECT sql FROM sqlite_master WHERE name = 'h'");
  g_assert_nonnull (strstr (dump_out, "\"i\" INTEGER NOT NULL"));
  test_tmpdir_remove (dir);
}

/* ----------------------------------------------------------------------- */
/* The sql transform                                                       */

typedef struct { gint64 city; char *name; } Person;

static SetlTable *
people_table (guint n, guint per_batch)
{
  g_autoptr(SetlField) f1 = setl_field_new ("id", SETL_DATA_TYPE_INT64, FALSE);
  g_autoptr(SetlField) f2 = setl_field_new ("city_id", SETL_DATA_TYPE_INT64, TRUE);
  g_autoptr(SetlField) f3 = setl_field_new ("age", SETL_DATA_TYPE_DOUBLE, TRUE);
  SetlField *fields[] = { f1, f2, f3 };
  g_autoptr(GPtrArray) batches = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;

  for (guint s = 0; s < n; s += per_batch)
    {
      g_autoptr(SetlColumnBuilder) a = setl_column_builder_new (SETL_DATA_TYPE_INT64);
      g_autoptr(SetlColumnBuilder) b = setl_column_builder_new (SETL_DATA_TYPE_INT64);
      g_autoptr(SetlColumnBuilder) c = setl_column_builder_new (SETL_DATA_TYPE_DOUBLE);
      g_autoptr(SetlColumn) ca = NULL, cb = NULL, cc = NULL;

      for (guint i = s; i < MIN (n, s + per_batch); i++)
        {
          setl_column_builder_append_int64 (a, i);
          if (i % 11 == 10)
            setl_column_builder_append_null (b);   /* no city: dropped by the join */
          else
            setl_column_builder_append_int64 (b, i % 4);   /* city 3 does not exist */
          setl_column_builder_append_double (c, 18 + i % 50);
        }
      ca = setl_column_builder_finish (a, &error);
      cb = setl_column_builder_finish (b, &error);
      cc = setl_column_builder_finish (c, &error);
      g_ptr_array_add (batches, setl_record_batch_new (fields, 3, (SetlColumn *[]) { ca, cb, cc }, 3, &error));
      g_assert_no_error (error);
    }
  return setl_table_new (fields, 3, (SetlRecordBatch **) batches->pdata, batches->len, &error);
}

static SetlTable *
cities_table (void)
{
  g_autoptr(SetlField) f1 = setl_field_new ("id", SETL_DATA_TYPE_INT64, FALSE);
  g_autoptr(SetlField) f2 = setl_field_new ("country", SETL_DATA_TYPE_STRING, FALSE);
  g_autoptr(SetlColumnBuilder) a = setl_column_builder_new (SETL_DATA_TYPE_INT64);
  g_autoptr(SetlColumnBuilder) b = setl_column_builder_new (SETL_DATA_TYPE_STRING);
  g_autoptr(SetlColumn) ca = NULL, cb = NULL;
  g_autoptr(SetlRecordBatch) batch = NULL;
  g_autoptr(GError) error = NULL;
  static const char *countries[] = { "France", "Perú", "France" };

  for (guint i = 0; i < 3; i++)
    {
      setl_column_builder_append_int64 (a, i);
      setl_column_builder_append_string (b, countries[i], -1);
    }
  ca = setl_column_builder_finish (a, &error);
  cb = setl_column_builder_finish (b, &error);
  batch = setl_record_batch_new ((SetlField *[]) { f1, f2 }, 2, (SetlColumn *[]) { ca, cb }, 2, &error);
  g_assert_no_error (error);
  return setl_table_new_from_batch (batch);
}

static SetlFactory *
sql_factory (const char *inputs, const char *query)
{
  return g_object_new (SETL_TYPE_SQL_TRANSFORM, "name", "q", "inputs", inputs, "query", query, NULL);
}

static void
test_sql_join_group_by (void)
{
  const guint N = 2000;
  g_autoptr(SetlTable) people = people_table (N, 300);
  g_autoptr(SetlTable) cities = cities_table ();
  g_autoptr(TestStream) sp = test_stream_new (people, -1);
  g_autoptr(TestStream) sc = test_stream_new (cities, -1);
  g_autoptr(SetlFactory) f = NULL;
  g_autoptr(SetlTable) t = NULL;
  g_autoptr(GError) error = NULL;
  gint64 expect_n[2] = { 0 }, n_joined = 0;
  double expect_age[2] = { 0 };
  guint reads_before, builds_before;
  SetlRecordBatch *b;

  /* what the query must find, computed here without SQL */
  for (guint i = 0; i < N; i++)
    {
      int city = i % 11 == 10 ? -1 : (int) (i % 4);
      if (city < 0 || city == 3)
        continue;
      expect_n[city == 1 ? 1 : 0]++;   /* cities 0 and 2 are France (index 0), 1 is Perú */
      expect_age[city == 1 ? 1 : 0] += 18 + i % 50;
      n_joined++;
    }

  f = sql_factory (" people , cities",
                   "SELECT c.country, count(*) AS n, sum(p.age) AS total, max(p.id) AS last "
                   "FROM people p JOIN cities c ON c.id = p.city_id "
                   "GROUP BY c.country ORDER BY c.country");
  /* the slots are named after the inputs */
  g_assert_nonnull (setl_factory_get_delivery (f, "people"));
  g_assert_nonnull (setl_factory_get_delivery (f, "cities"));
  g_assert_cmpuint (setl_factory_get_deliveries (f)->len, ==, 2);
  set_input (f, "people", sp);
  set_input (f, "cities", sc);

  reads_before = setl_sqlite_vtab_get_column_reads ();
  builds_before = setl_sqlite_vtab_get_index_builds ();
  t = collect (f);
  g_assert_cmpint (setl_table_get_n_rows (t), ==, 2);
  b = setl_table_get_batch (t, 0);
  g_assert_cmpint (setl_field_get_data_type (setl_table_get_field (t, 0)), ==, SETL_DATA_TYPE_STRING);
  g_assert_cmpint (setl_field_get_data_type (setl_table_get_field (t, 1)), ==, SETL_DATA_TYPE_INT64);
  g_assert_cmpint (setl_field_get_data_type (setl_table_get_field (t, 2)), ==, SETL_DATA_TYPE_DOUBLE);
  g_assert_cmpint (setl_field_get_data_type (setl_table_get_field (t, 3)), ==, SETL_DATA_TYPE_INT64);
  {
    g_autofree char *c0 = setl_column_dup_string (setl_record_batch_get_column (b, 0), 0);
    g_autofree char *c1 = setl_column_dup_string (setl_record_batch_get_column (b, 0), 1);
    g_assert_cmpstr (c0, ==, "France");
    g_assert_cmpstr (c1, ==, "Perú");
  }
  g_assert_cmpint (setl_column_get_int64 (setl_record_batch_get_column (b, 1), 0), ==, expect_n[0]);
  g_assert_cmpint (setl_column_get_int64 (setl_record_batch_get_column (b, 1), 1), ==, expect_n[1]);
  g_assert_cmpfloat (setl_column_get_double (setl_record_batch_get_column (b, 2), 0), ==, expect_age[0]);
  g_assert_cmpfloat (setl_column_get_double (setl_record_batch_get_column (b, 2), 1), ==, expect_age[1]);
  g_assert_cmpint (setl_column_get_int64 (setl_record_batch_get_column (b, 3), 0), ==, 1998);
  g_assert_cmpint (setl_column_get_int64 (setl_record_batch_get_column (b, 3), 1), ==, 1997);

  /* Read in place: the virtual tables answered from the streams' own
   * batches (handed out by reference, counted by the test stream), and no
   * row was inserted anywhere. The query ran twice (once to type count(*)
   * and sum(), once for the rows); SQLite answered the join with hash
   * lookups into one of the inputs. */
  g_assert_cmpuint (setl_sqlite_vtab_get_column_reads () - reads_before, >=, 2 * n_joined);
  g_assert_cmpuint (setl_sqlite_vtab_get_index_builds () - builds_before, >=, 1);
  g_assert_cmpuint (sp->opens + sc->opens, >=, 2);
  g_assert_cmpuint (sp->opens, <=, 2);
  g_assert_cmpuint (sc->opens, <=, 2);
  g_assert_cmpuint (sp->batches_out, ==, sp->opens * setl_table_get_n_batches (people));
  test_tmpdir_remove (test_tmpdir_new ());
}

static void
test_sql_reads_in_place (void)
{
  g_autoptr(SetlTable) people = people_table (1000, 256);
  g_autoptr(TestStream) sp = test_stream_new (people, -1);
  g_autoptr(SetlFactory) f = sql_factory ("people", "SELECT id, age FROM people WHERE id % 2 = 0");
  g_auto(GValue) out = G_VALUE_INIT;
  g_autoptr(GError) error = NULL;
  g_autoptr(SetlTable) t = NULL;
  guint before;
  SetlBatchStream *stream;

  set_input (f, "people", sp);
  g_assert_true (run_factory (f, NULL, &out, &error));
  g_assert_no_error (error);
  /* declared types only: checking the query read no row */
  g_assert_cmpuint (sp->opens, ==, 0);
  stream = g_value_get_object (&out);

  before = setl_sqlite_vtab_get_column_reads ();
  t = setl_batch_stream_collect (stream, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (setl_table_get_n_rows (t), ==, 500);
  g_assert_cmpuint (sp->opens, ==, 1);
  g_assert_cmpuint (sp->batches_out, ==, 4);
  /* each row's id read once for the WHERE, then id and age of the 500 kept */
  g_assert_cmpuint (setl_sqlite_vtab_get_column_reads () - before, ==, 1000 + 2 * 500);
  g_assert_cmpint (setl_field_get_data_type (setl_table_get_field (t, 1)), ==, SETL_DATA_TYPE_DOUBLE);

  /* lazy: a second pass runs the query again over a new pass of the input */
  g_clear_object (&t);
  t = setl_batch_stream_collect (stream, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sp->opens, ==, 2);
}

static void
test_sql_all_types_through_vtab (void)
{
  g_autoptr(SetlTable) t = test_all_types_table (40, 9);
  g_autoptr(SetlFactory) f = sql_factory ("t", "SELECT * FROM t");
  g_autoptr(SetlTable) back = NULL;

  set_input (f, "t", t);
  back = collect (f);
  /* every type and null survives the trip through SQLite's values; the
   * result fields are nullable, so compare the data column by column */
  g_assert_cmpint (setl_table_get_n_rows (back), ==, 40);
  for (guint c = 0; c < 6; c++)
    {
      g_assert_cmpint (setl_field_get_data_type (setl_table_get_field (back, c)), ==,
                       setl_field_get_data_type (setl_table_get_field (t, c)));
      for (gint64 r = 0; r < 40; r++)
        {
          SetlColumn *a = setl_record_batch_get_column (setl_table_get_batch (t, r / 9), c);
          SetlColumn *b = setl_record_batch_get_column (setl_table_get_batch (back, 0), c);
          g_auto(GValue) va = G_VALUE_INIT;
          g_auto(GValue) vb = G_VALUE_INIT;
          gboolean na = !setl_column_get_value (a, r % 9, &va);
          gboolean nb = !setl_column_get_value (b, r, &vb);
          g_assert_cmpint (setl_column_is_null (a, r % 9), ==, setl_column_is_null (b, r));
          if (!setl_column_is_null (a, r % 9))
            {
              g_autofree char *sa = g_strdup_value_contents (&va);
              g_autofree char *sb = g_strdup_value_contents (&vb);
              g_assert_cmpstr (sa, ==, sb);
            }
          (void) na; (void) nb;
        }
    }
}

static void
test_sql_errors (void)
{
  g_autoptr(SetlTable) cities = cities_table ();
  g_autoptr(GError) error = NULL;
  g_auto(GValue) out = G_VALUE_INIT;
  {
    g_autoptr(SetlFactory) f = sql_factory ("cities", "SELECT nope FROM cities");
    set_input (f, "cities", cities);
    g_assert_false (run_factory (f, NULL, &out, &error));
    g_assert_error (error, SETL_SQLITE_ERROR, SETL_SQLITE_ERROR_SQL);
    g_assert_nonnull (strstr (error->message, "sql “q”"));
    g_assert_nonnull (strstr (error->message, "no such column: nope"));
    g_clear_error (&error);
    g_value_unset (&out);
  }
  {
    g_autoptr(SetlFactory) f = sql_factory ("cities, other", "SELECT 1");
    set_input (f, "cities", cities);
    g_assert_false (run_factory (f, NULL, &out, &error));
    g_assert_error (error, SETL_SQLITE_ERROR, SETL_SQLITE_ERROR_CONFIG);
    g_assert_nonnull (strstr (error->message, "“other”"));
    g_clear_error (&error);
    g_value_unset (&out);
  }
  {
    /* an input stream failing during the query: its own error comes out */
    g_autoptr(SetlTable) people = people_table (100, 10);
    g_autoptr(TestStream) broken = test_stream_new (people, 2);
    g_autoptr(SetlFactory) f = sql_factory ("p", "SELECT id FROM p");
    g_autoptr(SetlTable) t = NULL;
    set_input (f, "p", broken);
    g_assert_true (run_factory (f, NULL, &out, &error));
    t = setl_batch_stream_collect (g_value_get_object (&out), NULL, &error);
    g_assert_null (t);
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
    g_assert_nonnull (strstr (error->message, "test stream broke after 2 batches"));
    g_assert_nonnull (strstr (error->message, "input “p”"));
  }
}

/* ----------------------------------------------------------------------- */
/* Cancellation                                                            */

static gpointer
cancel_later (gpointer data)
{
  g_usleep (200 * 1000);
  g_cancellable_cancel (data);
  return NULL;
}

#define ENDLESS "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) " \
                "SELECT count(*) AS n FROM c WHERE x < 0"

static void
test_cancel_slow_query (void)
{
  char *dir = test_tmpdir_new ();
  g_autofree char *db = g_build_filename (dir, "in.db", NULL);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GCancellable) cancellable2 = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GThread) thread = NULL;
  g_auto(GValue) out = G_VALUE_INIT;
  gint64 start;

  test_sql_exec (db, "CREATE TABLE t (x INTEGER)");
  {
    /* the source types count(*) by running the query: interrupted there */
    g_autoptr(SetlFactory) f = source (db, NULL, ENDLESS);
    start = g_get_monotonic_time ();
    thread = g_thread_new ("cancel", cancel_later, cancellable);
    g_assert_false (run_factory (f, cancellable, &out, &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    g_assert_cmpint (g_get_monotonic_time () - start, <, 10 * G_USEC_PER_SEC);
    g_assert_nonnull (strstr (error->message, db));
    g_clear_error (&error);
    g_value_unset (&out);
    g_thread_join (g_steal_pointer (&thread));
  }
  {
    /* a typed column: the check reads nothing, the pass is interrupted */
    g_autoptr(SetlTable) cities = cities_table ();
    g_autoptr(SetlFactory) f = sql_factory ("cities",
        "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) "
        "SELECT cities.id FROM cities, c WHERE c.x < 0");
    g_autoptr(SetlBatchIterator) it = NULL;
    SetlRecordBatch *batch;

    set_input (f, "cities", cities);
    g_assert_true (run_factory (f, NULL, &out, &error));
    g_assert_no_error (error);
    it = setl_batch_stream_open (g_value_get_object (&out), cancellable2, &error);
    g_assert_no_error (error);
    start = g_get_monotonic_time ();
    thread = g_thread_new ("cancel", cancel_later, cancellable2);
    batch = setl_batch_iterator_next (it, cancellable2, &error);
    g_assert_null (batch);
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    g_assert_cmpint (g_get_monotonic_time () - start, <, 10 * G_USEC_PER_SEC);
    g_thread_join (g_steal_pointer (&thread));
  }
  test_tmpdir_remove (dir);
}

/* ----------------------------------------------------------------------- */
/* The backend's job groups                                                */

/* A factory that asks SQLite for setl_job_group() while it runs. */
#define TEST_TYPE_PROBE (test_probe_get_type ())
G_DECLARE_FINAL_TYPE (TestProbe, test_probe, TEST, PROBE, SetlFactory)

struct _TestProbe
{
  SetlFactory parent_instance;
  char *seen_sql;       /* what SQL said */
  char *seen_core;      /* what the core says is current */
  GThread *thread;
  gboolean fail;
  gboolean slow;        /* run an endless query until cancelled */
};

G_DEFINE_FINAL_TYPE (TestProbe, test_probe, SETL_TYPE_FACTORY)

static char *
sql_job_group (GCancellable *cancellable, const char *extra, GError **error)
{
  g_autoptr(SetlSqliteConnection) conn = setl_sqlite_connection_open (NULL, SETL_SQLITE_OPEN_CREATE, error);
  g_autofree char *sql = g_strdup_printf ("SELECT setl_job_group() %s", extra ? extra : "");
  sqlite3_stmt *stmt = NULL;
  char *result = NULL;
  int rc;

  g_assert_nonnull (conn);
  conn->cancellable = cancellable;
  g_assert_cmpint (sqlite3_prepare_v2 (conn->db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    result = g_strdup (sqlite3_column_text (stmt, 0) ? (const char *) sqlite3_column_text (stmt, 0) : "(null)");
  else
    setl_sqlite_connection_fail (conn, rc, error, "probe");
  sqlite3_finalize (stmt);
  return result;
}

static gboolean
test_probe_process (SetlFactory *f, GCancellable *c, GError **error)
{
  TestProbe *self = TEST_PROBE (f);

  self->thread = g_thread_self ();
  self->seen_core = g_strdup (setl_job_group_get_id (setl_job_group_get_current ()));
  self->seen_sql = sql_job_group (c, NULL, error);
  if (self->seen_sql == NULL)
    return FALSE;
  if (self->slow)
    {
      g_autofree char *never = sql_job_group (c, "FROM (" ENDLESS ")", error);
      return never != NULL;
    }
  if (self->fail)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "probe fails on purpose");
      return FALSE;
    }
  return TRUE;
}

static gboolean
test_probe_get (SetlFactory *f, GValue *out, GError **error)
{
  g_value_set_string (out, TEST_PROBE (f)->seen_sql);
  return TRUE;
}

static void
test_probe_finalize (GObject *object)
{
  g_free (TEST_PROBE (object)->seen_sql);
  g_free (TEST_PROBE (object)->seen_core);
  G_OBJECT_CLASS (test_probe_parent_class)->finalize (object);
}

static void
test_probe_class_init (TestProbeClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = test_probe_finalize;
  SETL_FACTORY_CLASS (klass)->process = test_probe_process;
  SETL_FACTORY_CLASS (klass)->get = test_probe_get;
  setl_factory_class_set_output_type (SETL_FACTORY_CLASS (klass), G_TYPE_STRING);
}

static void test_probe_init (TestProbe *self) { }

static void
run_probe_pipeline (gboolean fail, gboolean slow, const char *outer_id)
{
  g_autoptr(SetlSqliteBackend) backend = setl_sqlite_backend_new ();
  g_autoptr(SetlPipeline) p = setl_pipeline_new ("jg");
  g_autoptr(TestProbe) probe = g_object_new (TEST_TYPE_PROBE, "name", "probe", NULL);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GThread) thread = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *after = NULL;
  gboolean ok;

  probe->fail = fail;
  probe->slow = slow;
  setl_pipeline_set_max_threads (p, 1);
  setl_pipeline_add_factory (p, SETL_FACTORY (probe));
  setl_pipeline_add_job_group_hook (p, SETL_JOB_GROUP_HOOK (backend));
  if (slow)
    thread = g_thread_new ("cancel", cancel_later, cancellable);
  ok = setl_pipeline_run (p, cancellable, &error);
  if (thread)
    g_thread_join (g_steal_pointer (&thread));

  if (fail || slow)
    {
      g_assert_false (ok);
      g_assert_nonnull (error);
      if (slow)
        g_assert_nonnull (strstr (error->message, "cancel"));
    }
  else
    g_assert_no_error (error);
  g_clear_error (&error);

  /* during the factory: SQL saw the factory's own job group */
  g_assert_true (probe->thread == g_thread_self ());
  g_assert_nonnull (probe->seen_core);
  g_assert_cmpstr (probe->seen_sql, ==, probe->seen_core);
  g_assert_nonnull (strstr (probe->seen_sql, "probe"));
  g_assert_cmpstr (probe->seen_sql, !=, outer_id ? outer_id : "(null)");

  /* after it, on the same thread: the previous group again */
  after = sql_job_group (NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (after, ==, outer_id ? outer_id : "(null)");
}

static void
test_job_group (void)
{
  g_autofree char *none = NULL;
  g_autoptr(GError) error = NULL;

  none = sql_job_group (NULL, NULL, &error);
  g_assert_cmpstr (none, ==, "(null)");

  run_probe_pipeline (FALSE, FALSE, NULL);
  run_probe_pipeline (TRUE, FALSE, NULL);
  run_probe_pipeline (FALSE, TRUE, NULL);

  /* nested in an outer group: that one comes back */
  {
    g_autoptr(SetlSqliteBackend) backend = setl_sqlite_backend_new ();
    g_autoptr(SetlJobGroup) outer = setl_job_group_new ("outer-app", "the application");
    SetlJobGroupScope *scope = setl_job_group_scope_enter (outer);
    g_autofree char *desc = NULL;

    setl_job_group_hook_set (SETL_JOB_GROUP_HOOK (backend), outer);
    desc = sql_job_group (NULL, ", setl_job_group_description()", &error);
    g_assert_cmpstr (desc, ==, "outer-app");
    run_probe_pipeline (FALSE, FALSE, "outer-app");
    run_probe_pipeline (TRUE, FALSE, "outer-app");
    run_probe_pipeline (FALSE, TRUE, "outer-app");
    setl_job_group_hook_restore (SETL_JOB_GROUP_HOOK (backend), NULL);
    setl_job_group_scope_leave (scope);
  }
  g_clear_pointer (&none, g_free);
  none = sql_job_group (NULL, NULL, &error);
  g_assert_cmpstr (none, ==, "(null)");
}

/* The job group of the factory that pulls a lazy stream is the one its
 * queries run in: a sink reading a source's query writes its own group. */
static void
test_job_group_lazy (void)
{
  char *dir = test_tmpdir_new ();
  g_autofree char *in = g_build_filename (dir, "in.db", NULL);
  g_autofree char *out = g_build_filename (dir, "out.db", NULL);
  g_autoptr(SetlSqliteBackend) backend = setl_sqlite_backend_new ();
  g_autoptr(SetlPipeline) p = setl_pipeline_new ("lazy");
  g_autoptr(SetlFactory) src = NULL;
  g_autoptr(SetlFactory) dst = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dump = NULL;

  test_sql_exec (in, "CREATE TABLE t (x TEXT); INSERT INTO t VALUES ('a');");
  src = source (in, NULL, "SELECT x, setl_job_group() AS g FROM t");
  dst = g_object_new (SETL_TYPE_SQLITE_SINK, "name", "dst", "database", out, "table", "seen", NULL);
  setl_pipeline_add_factory (p, src);
  setl_pipeline_add_factory (p, dst);
  setl_pipeline_add_job_group_hook (p, SETL_JOB_GROUP_HOOK (backend));
  g_assert_true (setl_pipeline_run (p, NULL, &error));
  g_assert_no_error (error);
  dump = test_sql_dump (out, "SELECT g FROM seen");
  g_assert_nonnull (strstr (dump, "lazy/"));
  g_assert_nonnull (strstr (dump, "/dst'"));
  test_tmpdir_remove (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sqlite/source/table-all-types", test_source_table);
  g_test_add_func ("/sqlite/source/query-batches", test_source_query);
  g_test_add_func ("/sqlite/source/errors", test_source_errors);
  g_test_add_func ("/sqlite/sink/modes", test_sink_modes);
  g_test_add_func ("/sqlite/sink/failed-load-keeps-old-table", test_sink_failure_keeps_old_table);
  g_test_add_func ("/sqlite/sink/hostile-names", test_sink_hostile_names);
  g_test_add_func ("/sqlite/round-trip", test_round_trip);
  g_test_add_func ("/sqlite/sql/join-group-by", test_sql_join_group_by);
  g_test_add_func ("/sqlite/sql/reads-in-place", test_sql_reads_in_place);
  g_test_add_func ("/sqlite/sql/all-types", test_sql_all_types_through_vtab);
  g_test_add_func ("/sqlite/sql/errors", test_sql_errors);
  g_test_add_func ("/sqlite/cancel/slow-query", test_cancel_slow_query);
  g_test_add_func ("/sqlite/backend/job-group", test_job_group);
  g_test_add_func ("/sqlite/backend/job-group-lazy", test_job_group_lazy);

  return g_test_run ();
}
