/* test-jsonl.c: jsonl-source and jsonl-sink on awkward inputs, malformed
 * lines, round trips and failed writes.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <math.h>

#include "jsonl-test-util.h"

static int
field_index (SetlTable *t, const char *name)
{
  int i = setl_table_get_column_index (t, name);

  if (i < 0)
    g_error ("no column “%s”", name);
  return i;
}

static SetlColumn *
cell (SetlTable *t, const char *name, gint64 row, gint64 *r)
{
  for (guint b = 0; b < setl_table_get_n_batches (t); b++)
    {
      SetlRecordBatch *batch = setl_table_get_batch (t, b);
      if (row < setl_record_batch_get_n_rows (batch))
        {
          *r = row;
          return setl_record_batch_get_column (batch, field_index (t, name));
        }
      row -= setl_record_batch_get_n_rows (batch);
    }
  g_assert_not_reached ();
}

static char *
str_at (SetlTable *t, const char *name, gint64 row)
{
  gint64 r;
  SetlColumn *c = cell (t, name, row, &r);
  return setl_column_is_null (c, r) ? NULL : setl_column_dup_string (c, r);
}

static gboolean
is_null (SetlTable *t, const char *name, gint64 row)
{
  gint64 r;
  SetlColumn *c = cell (t, name, row, &r);
  return setl_column_is_null (c, r);
}

static double
dbl_at (SetlTable *t, const char *name, gint64 row)
{
  gint64 r;
  SetlColumn *c = cell (t, name, row, &r);
  return setl_column_get_double (c, r);
}

static gint64
i64_at (SetlTable *t, const char *name, gint64 row)
{
  gint64 r;
  SetlColumn *c = cell (t, name, row, &r);
  return setl_column_get_int64 (c, r);
}

static gboolean
bool_at (SetlTable *t, const char *name, gint64 row)
{
  gint64 r;
  SetlColumn *c = cell (t, name, row, &r);
  return setl_column_get_bool (c, r);
}

static gint32
date_at (SetlTable *t, const char *name, gint64 row)
{
  gint64 r;
  SetlColumn *c = cell (t, name, row, &r);
  return setl_column_get_date32 (c, r);
}

static gint64
ts_at (SetlTable *t, const char *name, gint64 row)
{
  gint64 r;
  SetlColumn *c = cell (t, name, row, &r);
  return setl_column_get_timestamp (c, r);
}

static void
test_awkward (void)
{
  g_autofree char *dir = tmp_dir ();
  g_autofree char *path = write_file (dir, "in.jsonl",
    "\xEF\xBB\xBF{\"id\": 1, \"name\": \"caf\\u00e9 \\ud83d\\ude00\", \"score\": 1, \"ok\": true, \"tags\": [\"a\", 1], \"none\": null}\r\n"
    "\r\n"
    "   \n"
    "{\"id\": 2, \"score\": 2.5, \"meta\": {\"k\": \"v\", \"n\": [1, {\"x\": null}]}, \"ok\": false}\r\n"
    "{\"name\": \"tab\\there \\\"quoted\\\" back\\\\slash\", \"id\": 3, \"mixed\": 1}\n"
    "{\"id\": 4, \"mixed\": \"x\", \"name\": \"日本語\"}", -1);
  g_autoptr(GError) error = NULL;
  g_autoptr(SetlTable) t = read_jsonl (path, NULL, 2, 1000, &error);
  const char *expected_names[] = { "id", "name", "score", "ok", "tags", "none", "meta", "mixed" };
  const SetlDataType expected_types[] = { SETL_DATA_TYPE_INT64, SETL_DATA_TYPE_STRING, SETL_DATA_TYPE_DOUBLE,
                                          SETL_DATA_TYPE_BOOL, SETL_DATA_TYPE_STRING, SETL_DATA_TYPE_STRING,
                                          SETL_DATA_TYPE_STRING, SETL_DATA_TYPE_STRING };

  g_assert_no_error (error);
  g_assert_cmpuint (setl_table_get_n_columns (t), ==, G_N_ELEMENTS (expected_names));
  for (guint i = 0; i < G_N_ELEMENTS (expected_names); i++)
    {
      g_assert_cmpstr (setl_field_get_name (setl_table_get_field (t, i)), ==, expected_names[i]);
      g_assert_cmpint (setl_field_get_data_type (setl_table_get_field (t, i)), ==, expected_types[i]);
    }
  g_assert_cmpint (setl_table_get_n_rows (t), ==, 4);
  g_assert_cmpuint (setl_table_get_n_batches (t), ==, 2);

  {
    g_autofree char *n0 = str_at (t, "name", 0);
    g_autofree char *n2 = str_at (t, "name", 2);
    g_autofree char *n3 = str_at (t, "name", 3);
    g_autofree char *tags = str_at (t, "tags", 0);
    g_autofree char *meta = str_at (t, "meta", 1);
    g_autofree char *m2 = str_at (t, "mixed", 2);
    g_autofree char *m3 = str_at (t, "mixed", 3);

    g_assert_cmpstr (n0, ==, "café 😀");
    g_assert_cmpstr (n2, ==, "tab\there \"quoted\" back\\slash");
    g_assert_cmpstr (n3, ==, "日本語");
    g_assert_cmpstr (tags, ==, "[\"a\",1]");
    g_assert_cmpstr (meta, ==, "{\"k\":\"v\",\"n\":[1,{\"x\":null}]}");
    g_assert_cmpstr (m2, ==, "1");     /* int and string mixed: a string column */
    g_assert_cmpstr (m3, ==, "x");
  }
  /* missing keys are nulls */
  g_assert_true (is_null (t, "name", 1));
  g_assert_true (is_null (t, "score", 2));
  g_assert_true (is_null (t, "ok", 3));
  g_assert_true (is_null (t, "none", 0));
  g_assert_true (is_null (t, "meta", 0));
  g_assert_cmpfloat (dbl_at (t, "score", 0), ==, 1.0);
  g_assert_cmpfloat (dbl_at (t, "score", 1), ==, 2.5);
  g_assert_true (bool_at (t, "ok", 0));
  g_assert_false (bool_at (t, "ok", 1));
  g_assert_cmpint (i64_at (t, "id", 3), ==, 4);
  rm_dir (dir);
}

static void
expect_read_error (const char *content, const char *schema, guint infer_rows,
                   const char *where, const char *what)
{
  g_autofree char *dir = tmp_dir ();
  g_autofree char *path = write_file (dir, "bad.jsonl", content, -1);
  g_autofree char *prefix = g_strdup_printf ("%s:%s", path, where);
  g_autoptr(GError) error = NULL;
  g_autoptr(SetlTable) t = read_jsonl (path, schema, 2, infer_rows, &error);

  g_assert_null (t);
  g_assert_nonnull (error);
  if (!g_str_has_prefix (error->message, prefix) || strstr (error->message, what) == NULL)
    g_error ("expected “%s…%s”, got “%s”", prefix, what, error->message);
  rm_dir (dir);
}

static void
test_malformed (void)
{
  /* during inference (read) */
  expect_read_error ("{\"a\": 1}\n{\"a\": 2}\n{\"a\": 1,}\n", NULL, 1000, "3:8: ", "malformed JSON");
  expect_read_error ("{\"a\": 1}\n[1, 2]\n", NULL, 1000, "2: ", "expected a JSON object");
  expect_read_error ("{\"a\": 1}\n\n\n{\"a\": tru}\n", NULL, 1000, "4:", "malformed JSON");
  expect_read_error ("{\"a\": \"x\"}\n{\"a\": \"unterminated}\n", NULL, 1000, "2:", "malformed JSON");
  expect_read_error ("{\"a\": 12345678901234567890}\n", NULL, 1000, "1:7: ", "int64 range");
  expect_read_error ("{\"a\": 1} {\"b\": 2}\n", NULL, 1000, "1:10: ", "unexpected text after the object");
  expect_read_error ("{\"a\": 1}}\n", NULL, 1000, "1:9: ", "unexpected text after the object");
  /* while streaming, after the sample */
  expect_read_error ("{\"a\": 1}\n{\"a\": 2}\n{\"a\": \"three\"}\n", NULL, 1, "3: ",
                     "key “a”: expected int64, found a string (\"three\")");
  expect_read_error ("{\"a\": 1}\n{\"a\": 2, \"b\": 1}\n", NULL, 1, "2: ", "key “b” is not among the columns");
  expect_read_error ("{\"a\": 1}\n{\"a\": 2.5}\n", NULL, 1, "2: ", "expected int64");
  expect_read_error ("{\"d\": \"2024-01-31\"}\n{\"d\": \"2024-02-30\"}\n", "d:date", 0, "2: ", "not a date");
  expect_read_error ("{\"t\": \"yesterday\"}\n", "t:timestamp", 0, "1: ", "not an ISO 8601 timestamp");
  expect_read_error ("{\"b\": 1}\n", "b:bool", 0, "1: ", "expected bool");
  /* a NUL byte inside a line */
  {
    g_autofree char *dir = tmp_dir ();
    g_autofree char *path = write_file (dir, "nul.jsonl", "{\"a\": 1}\n{\"a\"\0: 2}\n", 18);
    g_autoptr(GError) error = NULL;
    g_autoptr(SetlTable) t = read_jsonl (path, NULL, 2, 1000, &error);
    g_autofree char *prefix = g_strdup_printf ("%s:2", path);
    g_assert_null (t);
    g_assert_true (g_str_has_prefix (error->message, prefix));
    rm_dir (dir);
  }
}

static void
test_missing_file_and_schema_errors (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SetlTable) t = read_jsonl ("/nonexistent/dir/x.jsonl", NULL, 10, 10, &error);

  g_assert_null (t);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "/nonexistent/dir/x.jsonl"));
  g_clear_error (&error);

  {
    g_autofree char *dir = tmp_dir ();
    g_autofree char *path = write_file (dir, "ok.jsonl", "{\"a\": 1}\n", -1);
    const char *bad[] = { "a", "a:int65", "a:int64,a:string", ":int64" };
    for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
      {
        g_autoptr(SetlTable) tt = read_jsonl (path, bad[i], 10, 10, &error);
        g_assert_null (tt);
        g_assert_error (error, SETL_DATA_ERROR, SETL_DATA_ERROR_INVALID);
        g_assert_nonnull (strstr (error->message, "schema"));
        g_clear_error (&error);
      }
    rm_dir (dir);
  }
}

static void
test_schema (void)
{
  g_autofree char *dir = tmp_dir ();
  g_autofree char *path = write_file (dir, "s.jsonl",
    "{\"id\": 1, \"born\": \"2000-02-29\", \"seen\": \"2024-01-31T10:00:00.25+01:00\", \"x\": 7, \"v\": 3}\n"
    "{\"id\": 2.0, \"born\": null, \"seen\": \"1969-12-31 23:59:59Z\", \"v\": \"NaN\"}\n"
    "{\"born\": \"1970-01-01\", \"seen\": \"2024-01-31\", \"v\": -2.5}\n", -1);
  g_autoptr(GError) error = NULL;
  g_autoptr(SetlTable) t = read_jsonl (path, "id:int64, born:date, seen:timestamp, v:double", 100, 0, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (setl_table_get_n_columns (t), ==, 4);   /* “x” not in the schema: ignored */
  g_assert_cmpint (i64_at (t, "id", 1), ==, 2);
  g_assert_true (is_null (t, "id", 2));
  g_assert_cmpint (date_at (t, "born", 0), ==, 11016);
  g_assert_true (is_null (t, "born", 1));
  g_assert_cmpint (date_at (t, "born", 2), ==, 0);
  g_assert_cmpint (ts_at (t, "seen", 0), ==, G_GINT64_CONSTANT (1706691600250000));
  g_assert_cmpint (ts_at (t, "seen", 1), ==, -1000000);
  g_assert_cmpint (ts_at (t, "seen", 2), ==, G_GINT64_CONSTANT (1706659200000000));
  g_assert_cmpfloat (dbl_at (t, "v", 0), ==, 3.0);
  g_assert_true (isnan (dbl_at (t, "v", 1)));
  rm_dir (dir);
}

/* jsonl → table → jsonl → table: values and nulls preserved exactly, and
 * the second file is byte for byte the first one written. */
static void
test_round_trip (void)
{
  g_autofree char *dir = tmp_dir ();
  g_autofree char *in = write_file (dir, "in.jsonl",
    "{\"i\": 9007199254740993, \"d\": 0.1, \"s\": \"a\\\"b\\\\c\\nd\\u0001\\u001f é 😀\", \"b\": true, \"n\": {\"x\": [1, 2]}}\n"
    "{\"i\": -9223372036854775808, \"d\": 1e300, \"s\": \"\", \"b\": false}\n"
    "{\"i\": null, \"d\": -0.0, \"s\": null, \"b\": null, \"n\": null}\n"
    "{\"i\": 9223372036854775807, \"d\": 5e-324, \"s\": \"\\u2028\"}\n"
    "{\"d\": 1.0}\n"
    "{\"d\": 123456789.123456789, \"i\": 0}\n"
    "{\"d\": 0.30000000000000004}\n", -1);
  g_autofree char *out1 = g_build_filename (dir, "out1.jsonl", NULL);
  g_autofree char *out2 = g_build_filename (dir, "out2.jsonl", NULL);
  g_autofree char *c1 = NULL, *c2 = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SetlTable) t1 = read_jsonl (in, NULL, 3, 1000, &error);
  g_autoptr(SetlTable) t2 = NULL;
  g_autoptr(SetlTable) t3 = NULL;
  gint64 r;

  g_assert_no_error (error);
  g_assert_cmpint (write_jsonl (t1, out1, &error), ==, 7);
  g_assert_no_error (error);
  t2 = read_jsonl (out1, NULL, 2, 1000, &error);
  g_assert_no_error (error);
  /* the same fields, every value the same (bit for bit for doubles) */
  g_assert_cmpuint (setl_table_get_n_columns (t1), ==, setl_table_get_n_columns (t2));
  for (guint c = 0; c < setl_table_get_n_columns (t1); c++)
    g_assert_true (setl_field_equal (setl_table_get_field (t1, c), setl_table_get_field (t2, c)));
  for (gint64 row = 0; row < 7; row++)
    {
      SetlColumn *a = cell (t1, "d", row, &r);
      gint64 r2;
      SetlColumn *b = cell (t2, "d", row, &r2);
      double x = setl_column_get_double (a, r), y = setl_column_get_double (b, r2);
      g_assert_cmpint (setl_column_is_null (a, r), ==, setl_column_is_null (b, r2));
      g_assert_true (memcmp (&x, &y, sizeof x) == 0);
    }
  {
    g_autofree char *s = str_at (t2, "s", 0);
    g_assert_cmpstr (s, ==, "a\"b\\c\nd\001\037 é 😀");
  }
  g_assert_cmpint (i64_at (t2, "i", 0), ==, G_GINT64_CONSTANT (9007199254740993));
  g_assert_cmpint (i64_at (t2, "i", 1), ==, G_MININT64);
  g_assert_true (is_null (t2, "i", 2));
  g_assert_true (is_null (t2, "b", 3));

  g_assert_cmpint (write_jsonl (t2, out2, &error), ==, 7);
  c1 = read_file (out1);
  c2 = read_file (out2);
  g_assert_cmpstr (c1, ==, c2);
  /* a spot check of the written form */
  g_assert_true (g_str_has_prefix (c1, "{\"i\":9007199254740993,\"d\":0.1,\"s\":\"a\\\"b\\\\c\\nd\\u0001\\u001f é 😀\",\"b\":true,\"n\":\"{\\\"x\\\":[1,2]}\"}\n"));
  g_assert_nonnull (strstr (c1, "{\"i\":null,\"d\":-0.0,\"s\":null,\"b\":null,\"n\":null}\n"));
  g_assert_nonnull (strstr (c1, "\"d\":1.0,"));

  /* every table equal once re-batched the same way */
  t3 = read_jsonl (out2, NULL, 3, 1000, &error);
  g_assert_no_error (error);
  g_assert_true (setl_table_equal (t1, t3));
  rm_dir (dir);
}

static void
test_round_trip_dates (void)
{
  g_autofree char *dir = tmp_dir ();
  g_autofree char *in = write_file (dir, "in.jsonl",
    "{\"d\": \"1969-07-20\", \"t\": \"1969-07-20T20:17:40.000001Z\", \"x\": NaN}\n", -1);
  g_autoptr(GError) error = NULL;
  g_autoptr(SetlTable) t = NULL;

  /* NaN is not JSON */
  t = read_jsonl (in, "d:date,t:timestamp", 10, 0, &error);
  g_assert_null (t);
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_free (in);
  in = write_file (dir, "in.jsonl",
    "{\"d\": \"1969-07-20\", \"t\": \"1969-07-20T20:17:40.000001Z\", \"x\": \"NaN\"}\n"
    "{\"d\": \"9999-12-31\", \"t\": \"2038-01-19T03:14:08Z\", \"x\": \"-Infinity\"}\n"
    "{\"d\": null, \"t\": null, \"x\": null}\n", -1);
  t = read_jsonl (in, "d:date,t:timestamp,x:double", 10, 0, &error);
  g_assert_no_error (error);
  {
    g_autofree char *out = g_build_filename (dir, "out.jsonl", NULL);
    g_autofree char *content = NULL;
    g_autoptr(SetlTable) back = NULL;

    g_assert_cmpint (write_jsonl (t, out, &error), ==, 3);
    g_assert_no_error (error);
    content = read_file (out);
    g_assert_cmpstr (content, ==,
                     "{\"d\":\"1969-07-20\",\"t\":\"1969-07-20T20:17:40.000001Z\",\"x\":\"NaN\"}\n"
                     "{\"d\":\"9999-12-31\",\"t\":\"2038-01-19T03:14:08Z\",\"x\":\"-Infinity\"}\n"
                     "{\"d\":null,\"t\":null,\"x\":null}\n");
    back = read_jsonl (out, "d:date,t:timestamp,x:double", 10, 0, &error);
    g_assert_no_error (error);
    g_assert_true (setl_table_equal (t, back));
  }
  rm_dir (dir);
}

static guint
count_entries (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  guint n = 0;

  while (g_dir_read_name (d) != NULL)
    n++;
  return n;
}

/* A stream that fails on its second batch. */
#define TEST_TYPE_FAILING_STREAM (test_failing_stream_get_type ())
G_DECLARE_FINAL_TYPE (TestFailingStream, test_failing_stream, TEST, FAILING_STREAM, GObject)
#define TEST_TYPE_FAILING_ITERATOR (test_failing_iterator_get_type ())
G_DECLARE_FINAL_TYPE (TestFailingIterator, test_failing_iterator, TEST, FAILING_ITERATOR, SetlBatchIterator)
struct _TestFailingStream { GObject parent_instance; SetlTable *table; };
struct _TestFailingIterator { SetlBatchIterator parent_instance; SetlTable *table; guint n; };
static void failing_iface_init (SetlBatchStreamInterface *iface);
G_DEFINE_FINAL_TYPE_WITH_CODE (TestFailingStream, test_failing_stream, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (SETL_TYPE_BATCH_STREAM, failing_iface_init))
G_DEFINE_FINAL_TYPE (TestFailingIterator, test_failing_iterator, SETL_TYPE_BATCH_ITERATOR)

static SetlRecordBatch *
failing_next (SetlBatchIterator *it, GCancellable *c, GError **error)
{
  TestFailingIterator *self = TEST_FAILING_ITERATOR (it);
  if (self->n++ == 1)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE, "upstream broke");
      return NULL;
    }
  return g_object_ref (setl_table_get_batch (self->table, 0));
}
static void failing_it_finalize (GObject *o) { g_clear_object (&TEST_FAILING_ITERATOR (o)->table); G_OBJECT_CLASS (test_failing_iterator_parent_class)->finalize (o); }
static void test_failing_iterator_class_init (TestFailingIteratorClass *k) { G_OBJECT_CLASS (k)->finalize = failing_it_finalize; SETL_BATCH_ITERATOR_CLASS (k)->next = failing_next; }
static void test_failing_iterator_init (TestFailingIterator *s) { }
static SetlField **failing_fields (SetlBatchStream *s, guint *n) { return setl_table_get_fields (TEST_FAILING_STREAM (s)->table, n); }
static SetlBatchIterator *
failing_open (SetlBatchStream *s, GCancellable *c, GError **e)
{
  TestFailingIterator *it = g_object_new (TEST_TYPE_FAILING_ITERATOR, NULL);
  it->table = g_object_ref (TEST_FAILING_STREAM (s)->table);
  return SETL_BATCH_ITERATOR (it);
}
static void failing_iface_init (SetlBatchStreamInterface *iface) { iface->get_fields = failing_fields; iface->open = failing_open; }
static void failing_finalize (GObject *o) { g_clear_object (&TEST_FAILING_STREAM (o)->table); G_OBJECT_CLASS (test_failing_stream_parent_class)->finalize (o); }
static void test_failing_stream_class_init (TestFailingStreamClass *k) { G_OBJECT_CLASS (k)->finalize = failing_finalize; }
static void test_failing_stream_init (TestFailingStream *s) { }

static void
test_atomic_write_failure (void)
{
  g_autofree char *dir = tmp_dir ();
  g_autofree char *in = write_file (dir, "in.jsonl", "{\"a\": 1}\n{\"a\": 2}\n", -1);
  g_autofree char *out = write_file (dir, "out.jsonl", "OLD CONTENT\n", -1);
  g_autofree char *content = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SetlTable) t = read_jsonl (in, NULL, 10, 10, &error);
  g_autoptr(TestFailingStream) failing = g_object_new (TEST_TYPE_FAILING_STREAM, NULL);

  g_assert_no_error (error);
  failing->table = g_object_ref (t);
  g_assert_cmpuint (count_entries (dir), ==, 2);
  g_assert_cmpint (write_jsonl (failing, out, &error), ==, -1);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE);
  g_assert_nonnull (strstr (error->message, "jsonl-sink “out”"));
  g_assert_nonnull (strstr (error->message, out));
  content = read_file (out);
  g_assert_cmpstr (content, ==, "OLD CONTENT\n");    /* the old file is intact */
  g_assert_cmpuint (count_entries (dir), ==, 2);     /* and no temporary file left */
  g_clear_error (&error);

  /* a directory that does not exist */
  {
    g_autofree char *nowhere = g_build_filename (dir, "no", "such", "dir.jsonl", NULL);
    g_assert_cmpint (write_jsonl (t, nowhere, &error), ==, -1);
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
    g_assert_nonnull (strstr (error->message, nowhere));
    g_clear_error (&error);
  }

  /* success replaces it, and says how many rows */
  g_assert_cmpint (write_jsonl (t, out, &error), ==, 2);
  g_assert_no_error (error);
  g_free (content);
  content = read_file (out);
  g_assert_cmpstr (content, ==, "{\"a\":1}\n{\"a\":2}\n");
  g_assert_cmpuint (count_entries (dir), ==, 2);
  rm_dir (dir);
}

static void
test_empty_file (void)
{
  g_autofree char *dir = tmp_dir ();
  g_autofree char *in = write_file (dir, "empty.jsonl", "\n\n", -1);
  g_autofree char *out = g_build_filename (dir, "out.jsonl", NULL);
  g_autofree char *content = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SetlTable) t = read_jsonl (in, NULL, 10, 10, &error);

  g_assert_no_error (error);
  g_assert_cmpint (setl_table_get_n_rows (t), ==, 0);
  g_assert_cmpint (write_jsonl (t, out, &error), ==, 0);
  content = read_file (out);
  g_assert_cmpstr (content, ==, "");
  rm_dir (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/jsonl/source/awkward", test_awkward);
  g_test_add_func ("/jsonl/source/malformed", test_malformed);
  g_test_add_func ("/jsonl/source/missing-file-and-bad-schema", test_missing_file_and_schema_errors);
  g_test_add_func ("/jsonl/source/schema", test_schema);
  g_test_add_func ("/jsonl/source/empty", test_empty_file);
  g_test_add_func ("/jsonl/round-trip/values-and-nulls", test_round_trip);
  g_test_add_func ("/jsonl/round-trip/dates-and-special-doubles", test_round_trip_dates);
  g_test_add_func ("/jsonl/sink/atomic-write-failure", test_atomic_write_failure);

  return g_test_run ();
}
