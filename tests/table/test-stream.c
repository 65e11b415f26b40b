/* test-stream.c: SetlBatchStream and SetlBatchIterator.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "table-test-util.h"

static SetlRecordBatch *
int_batch (SetlField *field,
           gint64     first,
           guint      rows)
{
  g_autoptr(SetlColumnBuilder) b = setl_column_builder_new (SETL_DATA_TYPE_INT64);
  g_autoptr(SetlColumn) col = NULL;
  g_autoptr(GError) error = NULL;
  SetlRecordBatch *batch;

  for (guint i = 0; i < rows; i++)
    setl_column_builder_append_int64 (b, first + i);
  col = setl_column_builder_finish (b, &error);
  g_assert_no_error (error);
  batch = setl_record_batch_new (&field, 1, &col, 1, &error);
  g_assert_no_error (error);
  return batch;
}

/* A stream that makes its batches as they are asked for, failing at the
 * batch given by fail_at (if any), and counting the passes opened. */
#define TEST_TYPE_COUNTING_STREAM (test_counting_stream_get_type ())
G_DECLARE_FINAL_TYPE (TestCountingStream, test_counting_stream, TEST, COUNTING_STREAM, GObject)

#define TEST_TYPE_COUNTING_ITERATOR (test_counting_iterator_get_type ())
G_DECLARE_FINAL_TYPE (TestCountingIterator, test_counting_iterator, TEST, COUNTING_ITERATOR, SetlBatchIterator)

struct _TestCountingStream
{
  GObject parent_instance;
  SetlField *field;
  guint n_batches;
  int fail_at;
  guint opened;
};

struct _TestCountingIterator
{
  SetlBatchIterator parent_instance;
  TestCountingStream *stream;
  guint next;
  guint calls;
};

static void test_counting_stream_iface_init (SetlBatchStreamInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TestCountingStream, test_counting_stream, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (SETL_TYPE_BATCH_STREAM, test_counting_stream_iface_init))
G_DEFINE_FINAL_TYPE (TestCountingIterator, test_counting_iterator, SETL_TYPE_BATCH_ITERATOR)

static SetlRecordBatch *
counting_next (SetlBatchIterator *it, GCancellable *c, GError **error)
{
  TestCountingIterator *self = TEST_COUNTING_ITERATOR (it);

  self->calls++;
  if (self->next >= self->stream->n_batches)
    return NULL;
  if ((int) self->next == self->stream->fail_at)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "bad batch %u", self->next);
      return NULL;
    }
  return int_batch (self->stream->field, 100 * self->next++, 3);
}

static void
counting_iterator_finalize (GObject *object)
{
  g_clear_object (&TEST_COUNTING_ITERATOR (object)->stream);
  G_OBJECT_CLASS (test_counting_iterator_parent_class)->finalize (object);
}

static void
test_counting_iterator_class_init (TestCountingIteratorClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = counting_iterator_finalize;
  SETL_BATCH_ITERATOR_CLASS (klass)->next = counting_next;
}

static void test_counting_iterator_init (TestCountingIterator *self) { }

static SetlField **
counting_get_fields (SetlBatchStream *stream, guint *n)
{
  *n = 1;
  return &TEST_COUNTING_STREAM (stream)->field;
}

static SetlBatchIterator *
counting_open (SetlBatchStream *stream, GCancellable *c, GError **error)
{
  TestCountingIterator *it = g_object_new (TEST_TYPE_COUNTING_ITERATOR, NULL);

  it->stream = g_object_ref (TEST_COUNTING_STREAM (stream));
  it->stream->opened++;
  return SETL_BATCH_ITERATOR (it);
}

static void
test_counting_stream_iface_init (SetlBatchStreamInterface *iface)
{
  iface->get_fields = counting_get_fields;
  iface->open = counting_open;
}

static void
counting_stream_finalize (GObject *object)
{
  g_clear_object (&TEST_COUNTING_STREAM (object)->field);
  G_OBJECT_CLASS (test_counting_stream_parent_class)->finalize (object);
}

static void
test_counting_stream_class_init (TestCountingStreamClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = counting_stream_finalize;
}

static void test_counting_stream_init (TestCountingStream *self) { self->fail_at = -1; }

static TestCountingStream *
counting_stream_new (guint n_batches, int fail_at)
{
  TestCountingStream *s = g_object_new (TEST_TYPE_COUNTING_STREAM, NULL);

  s->field = setl_field_new ("n", SETL_DATA_TYPE_INT64, FALSE);
  s->n_batches = n_batches;
  s->fail_at = fail_at;
  return s;
}

static void
test_table_is_stream (void)
{
  g_autoptr(SetlField) field = setl_field_new ("n", SETL_DATA_TYPE_INT64, FALSE);
  g_autoptr(SetlRecordBatch) b0 = int_batch (field, 0, 4);
  g_autoptr(SetlRecordBatch) b1 = int_batch (field, 4, 2);
  SetlRecordBatch *batches[] = { b0, b1 };
  g_autoptr(SetlTable) table = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SetlTable) collected = NULL;
  guint n_fields;

  table = setl_table_new (&field, 1, batches, 2, &error);
  g_assert_no_error (error);
  g_assert_true (SETL_IS_BATCH_STREAM (table));
  g_assert_true (setl_batch_stream_get_fields (SETL_BATCH_STREAM (table), &n_fields)[0] == field
                 || setl_field_equal (setl_batch_stream_get_fields (SETL_BATCH_STREAM (table), &n_fields)[0], field));
  g_assert_cmpuint (n_fields, ==, 1);

  /* two passes hand out the very same batches, in order */
  for (int pass = 0; pass < 2; pass++)
    {
      g_autoptr(SetlBatchIterator) it = setl_batch_stream_open (SETL_BATCH_STREAM (table), NULL, &error);
      g_autoptr(SetlRecordBatch) x = setl_batch_iterator_next (it, NULL, &error);
      g_autoptr(SetlRecordBatch) y = setl_batch_iterator_next (it, NULL, &error);

      g_assert_true (x == b0);
      g_assert_true (y == b1);
      g_assert_null (setl_batch_iterator_next (it, NULL, &error));
      g_assert_no_error (error);
      g_assert_true (setl_batch_iterator_is_finished (it));
    }

  collected = setl_batch_stream_collect (SETL_BATCH_STREAM (table), NULL, &error);
  g_assert_true (collected == table);
}

static void
test_collect_stream (void)
{
  g_autoptr(TestCountingStream) s = counting_stream_new (4, -1);
  g_autoptr(SetlTable) t = NULL;
  g_autoptr(GError) error = NULL;
  SetlColumn *col;

  t = setl_batch_stream_collect (SETL_BATCH_STREAM (s), NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (setl_table_get_n_rows (t), ==, 12);
  g_assert_cmpuint (setl_table_get_n_batches (t), ==, 4);
  col = setl_record_batch_get_column (setl_table_get_batch (t, 3), 0);
  g_assert_cmpint (setl_column_get_int64 (col, 2), ==, 302);
  g_assert_cmpuint (s->opened, ==, 1);
}

static void
test_failure_is_sticky (void)
{
  g_autoptr(TestCountingStream) s = counting_stream_new (4, 2);
  g_autoptr(SetlBatchIterator) it = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SetlTable) t = NULL;
  SetlRecordBatch *b;
  guint n = 0;

  it = setl_batch_stream_open (SETL_BATCH_STREAM (s), NULL, &error);
  while ((b = setl_batch_iterator_next (it, NULL, &error)) != NULL)
    {
      n++;
      g_object_unref (b);
    }
  g_assert_cmpuint (n, ==, 2);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_clear_error (&error);
  /* after a failure the implementation is not asked again */
  g_assert_null (setl_batch_iterator_next (it, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (setl_batch_iterator_is_finished (it));
  g_assert_cmpuint (TEST_COUNTING_ITERATOR (it)->calls, ==, 3);

  t = setl_batch_stream_collect (SETL_BATCH_STREAM (s), NULL, &error);
  g_assert_null (t);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
}

static void
test_cancelled (void)
{
  g_autoptr(TestCountingStream) s = counting_stream_new (4, -1);
  g_autoptr(GCancellable) c = g_cancellable_new ();
  g_autoptr(SetlBatchIterator) it = NULL;
  g_autoptr(SetlRecordBatch) first = NULL;
  g_autoptr(GError) error = NULL;

  it = setl_batch_stream_open (SETL_BATCH_STREAM (s), c, &error);
  first = setl_batch_iterator_next (it, c, &error);
  g_assert_nonnull (first);
  g_cancellable_cancel (c);
  g_assert_null (setl_batch_iterator_next (it, c, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_assert_null (setl_batch_stream_open (SETL_BATCH_STREAM (s), c, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

/* SetlMapStream: the batch with first value 100 is mapped to zero rows and
 * dropped; the others keep their last two rows; the map fails on 300. */
typedef struct { int freed; gint64 fail_on; } MapData;

static SetlRecordBatch *
keep_last_two (SetlRecordBatch *batch, gpointer user_data, GError **error)
{
  MapData *d = user_data;
  gint64 first = setl_column_get_int64 (setl_record_batch_get_column (batch, 0), 0);

  if (first == d->fail_on)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "cannot map %" G_GINT64_FORMAT, first);
      return NULL;
    }
  if (first == 100)
    return setl_record_batch_slice (batch, 0, 0);
  return setl_record_batch_slice (batch, 1, 2);
}

static void
map_data_free (gpointer data)
{
  ((MapData *) data)->freed++;
}

static void
test_map_stream (void)
{
  g_autoptr(TestCountingStream) s = counting_stream_new (4, -1);
  MapData d = { 0, -1 };
  g_autoptr(SetlMapStream) m = setl_map_stream_new (SETL_BATCH_STREAM (s), &s->field, 1,
                                                    keep_last_two, &d, map_data_free);
  g_autoptr(SetlBatchIterator) first = NULL, second = NULL;
  g_autoptr(SetlTable) t = NULL;
  g_autoptr(SetlRecordBatch) b = NULL;
  g_autoptr(GError) error = NULL;
  guint n = 0;

  t = setl_batch_stream_collect (SETL_BATCH_STREAM (m), NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (setl_table_get_n_rows (t), ==, 6);          /* 3 batches × 2 */
  g_assert_cmpuint (setl_table_get_n_batches (t), ==, 3);
  g_assert_cmpint (setl_column_get_int64 (setl_record_batch_get_column (setl_table_get_batch (t, 1), 0), 0), ==, 201);

  /* Two passes at once, each over its own upstream pass. */
  first = setl_batch_stream_open (SETL_BATCH_STREAM (m), NULL, &error);
  second = setl_batch_stream_open (SETL_BATCH_STREAM (m), NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (s->opened, ==, 3);
  while ((b = setl_batch_iterator_next (second, NULL, &error)) != NULL)
    {
      n++;
      g_clear_object (&b);
    }
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 3);

  /* The data outlives the stream while a pass is open. */
  g_clear_object (&m);
  g_assert_cmpint (d.freed, ==, 0);
  b = setl_batch_iterator_next (first, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (setl_column_get_int64 (setl_record_batch_get_column (b, 0), 0), ==, 1);
  g_clear_object (&first);
  g_clear_object (&second);
  g_assert_cmpint (d.freed, ==, 1);
}

static void
test_map_stream_error (void)
{
  g_autoptr(TestCountingStream) s = counting_stream_new (4, -1);
  MapData d = { 0, 300 };
  g_autoptr(SetlMapStream) m = setl_map_stream_new (SETL_BATCH_STREAM (s), &s->field, 1,
                                                    keep_last_two, &d, NULL);
  g_autoptr(SetlTable) t = NULL;
  g_autoptr(GError) error = NULL;

  t = setl_batch_stream_collect (SETL_BATCH_STREAM (m), NULL, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_assert_cmpstr (error->message, ==, "cannot map 300");
  g_assert_null (t);
}

/* SetlReadAheadIterator: the source's batches, error and end in order,
 * read ahead on another thread, never more than the depth. */
static void
test_read_ahead (void)
{
  g_autoptr(TestCountingStream) s = counting_stream_new (5, -1);
  g_autoptr(GError) error = NULL;
  g_autoptr(SetlBatchIterator) source = setl_batch_stream_open (SETL_BATCH_STREAM (s), NULL, &error);
  g_autoptr(SetlBatchIterator) ahead = NULL;
  SetlRecordBatch *b;
  guint n = 0;

  g_assert_no_error (error);
  ahead = setl_read_ahead_iterator_new (source, 2, NULL);
  /* The reader stops two batches ahead of a consumer that takes none. */
  for (guint i = 0; i < 100 && TEST_COUNTING_ITERATOR (source)->calls < 2; i++)
    g_usleep (1000);
  g_usleep (20000);
  g_assert_cmpuint (TEST_COUNTING_ITERATOR (source)->calls, ==, 2);
  while ((b = setl_batch_iterator_next (ahead, NULL, &error)) != NULL)
    {
      g_assert_cmpint (setl_column_get_int64 (setl_record_batch_get_column (b, 0), 0), ==, 100 * n);
      n++;
      g_object_unref (b);
    }
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 5);
  g_assert_true (setl_batch_iterator_is_finished (ahead));
  g_assert_null (setl_batch_iterator_next (ahead, NULL, &error));
  g_assert_no_error (error);
}

static void
test_read_ahead_error (void)
{
  g_autoptr(TestCountingStream) s = counting_stream_new (5, 2);
  g_autoptr(GError) error = NULL;
  g_autoptr(SetlBatchIterator) ahead = setl_batch_stream_open_read_ahead (SETL_BATCH_STREAM (s), 1, NULL, &error);
  SetlRecordBatch *b;
  guint n = 0;

  g_assert_no_error (error);
  while ((b = setl_batch_iterator_next (ahead, NULL, &error)) != NULL)
    {
      n++;
      g_object_unref (b);
    }
  g_assert_cmpuint (n, ==, 2);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_assert_cmpstr (error->message, ==, "bad batch 2");
  g_clear_error (&error);
  /* The failure is sticky, as for any iterator. */
  g_assert_null (setl_batch_iterator_next (ahead, NULL, &error));
  g_assert_no_error (error);
}

static void
test_read_ahead_drop (void)
{
  g_autoptr(TestCountingStream) s = counting_stream_new (1000, -1);
  g_autoptr(GError) error = NULL;
  g_autoptr(SetlBatchIterator) source = setl_batch_stream_open (SETL_BATCH_STREAM (s), NULL, &error);
  SetlBatchIterator *ahead = setl_read_ahead_iterator_new (source, 3, NULL);
  GWeakRef weak;
  SetlRecordBatch *b = setl_batch_iterator_next (ahead, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (b);
  g_object_unref (b);
  /* Dropped early: the reader stops and lets the source go. */
  g_weak_ref_init (&weak, source);
  g_clear_object (&source);
  g_object_unref (ahead);
  g_assert_null (g_weak_ref_get (&weak));
  g_weak_ref_clear (&weak);
  g_assert_cmpuint (s->opened, ==, 1);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/table/stream/table-is-stream", test_table_is_stream);
  g_test_add_func ("/table/stream/collect", test_collect_stream);
  g_test_add_func ("/table/stream/failure-is-sticky", test_failure_is_sticky);
  g_test_add_func ("/table/stream/cancelled", test_cancelled);
  g_test_add_func ("/table/stream/map", test_map_stream);
  g_test_add_func ("/table/stream/map-error", test_map_stream_error);
  g_test_add_func ("/table/stream/read-ahead", test_read_ahead);
  g_test_add_func ("/table/stream/read-ahead-error", test_read_ahead_error);
  g_test_add_func ("/table/stream/read-ahead-drop", test_read_ahead_drop);

  return g_test_run ();
}
