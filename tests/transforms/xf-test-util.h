/* xf-test-util.h: tables with nulls, a stream that counts what is pulled
 * from it, and running a factory by hand.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <setl/setl.h>

/* A stream over a table's batches that counts the batches handed out. */
#define TEST_TYPE_COUNTING_STREAM (test_counting_stream_get_type ())
G_DECLARE_FINAL_TYPE (TestCountingStream, test_counting_stream, TEST, COUNTING_STREAM, GObject)
#define TEST_TYPE_COUNTING_ITERATOR (test_counting_iterator_get_type ())
G_DECLARE_FINAL_TYPE (TestCountingIterator, test_counting_iterator, TEST, COUNTING_ITERATOR, SetlBatchIterator)

struct _TestCountingStream
{
  GObject parent_instance;
  SetlTable *table;
  guint pulled;    /* batches handed out, over all passes */
  int fail_at;     /* a pass fails when asked for this batch (-1: never) */
};

struct _TestCountingIterator
{
  SetlBatchIterator parent_instance;
  TestCountingStream *stream;
  guint next;
};

static void test_counting_stream_iface_init (SetlBatchStreamInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TestCountingStream, test_counting_stream, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (SETL_TYPE_BATCH_STREAM, test_counting_stream_iface_init))
G_DEFINE_FINAL_TYPE (TestCountingIterator, test_counting_iterator, SETL_TYPE_BATCH_ITERATOR)

static SetlRecordBatch *
counting_next (SetlBatchIterator *it, GCancellable *c, GError **error)
{
  TestCountingIterator *self = TEST_COUNTING_ITERATOR (it);

  if (self->next >= setl_table_get_n_batches (self->stream->table))
    return NULL;
  if ((int) self->next == self->stream->fail_at)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "bad batch %u", self->next);
      return NULL;
    }
  self->stream->pulled++;
  return g_object_ref (setl_table_get_batch (self->stream->table, self->next++));
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
  return setl_table_get_fields (TEST_COUNTING_STREAM (stream)->table, n);
}

static SetlBatchIterator *
counting_open (SetlBatchStream *stream, GCancellable *c, GError **error)
{
  TestCountingIterator *it = g_object_new (TEST_TYPE_COUNTING_ITERATOR, NULL);

  it->stream = g_object_ref (TEST_COUNTING_STREAM (stream));
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
  g_clear_object (&TEST_COUNTING_STREAM (object)->table);
  G_OBJECT_CLASS (test_counting_stream_parent_class)->finalize (object);
}

static void
test_counting_stream_class_init (TestCountingStreamClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = counting_stream_finalize;
}

static void test_counting_stream_init (TestCountingStream *self) { self->fail_at = -1; }

static inline TestCountingStream *
counting_stream_new (SetlTable *table)
{
  TestCountingStream *s = g_object_new (TEST_TYPE_COUNTING_STREAM, NULL);

  s->table = g_object_ref (table);
  return s;
}

/* Column values are given as strings ("" … NULL means null) so that tests
 * read like tables. */
static inline SetlColumn *
make_column (SetlDataType type, const char *const *values, guint n)
{
  g_autoptr(SetlColumnBuilder) b = setl_column_builder_new (type);
  g_autoptr(GError) error = NULL;
  SetlColumn *c;

  for (guint i = 0; i < n; i++)
    {
      const char *v = values[i];
      if (v == NULL)
        setl_column_builder_append_null (b);
      else if (type == SETL_DATA_TYPE_INT64)
        setl_column_builder_append_int64 (b, g_ascii_strtoll (v, NULL, 10));
      else if (type == SETL_DATA_TYPE_DOUBLE)
        setl_column_builder_append_double (b, g_ascii_strtod (v, NULL));
      else if (type == SETL_DATA_TYPE_BOOL)
        setl_column_builder_append_bool (b, g_str_equal (v, "true"));
      else
        setl_column_builder_append_string (b, v, -1);
    }
  c = setl_column_builder_finish (b, &error);
  g_assert_no_error (error);
  return c;
}

/* The people table: id int64 (no nulls), age int64, name string; rows
 * 0..n-1 cut into batches of @batch_rows, the second batch being a slice
 * at a non-zero offset of a larger batch. */
static inline SetlTable *
people_table (guint n, guint batch_rows)
{
  g_autoptr(GPtrArray) batches = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;
  SetlField *fields[3];
  SetlTable *t;

  fields[0] = setl_field_new ("id", SETL_DATA_TYPE_INT64, FALSE);
  fields[1] = setl_field_new ("age", SETL_DATA_TYPE_INT64, TRUE);
  fields[2] = setl_field_new ("name", SETL_DATA_TYPE_STRING, TRUE);

  for (guint start = 0, k = 0; start < n; start += batch_rows, k++)
    {
      guint rows = MIN (batch_rows, n - start);
      guint pad = (k == 1) ? 2 : 0;   /* batch 1 is a slice at offset 2 */
      g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
      g_autoptr(GPtrArray) ages = g_ptr_array_new_with_free_func (g_free);
      g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
      SetlColumn *cols[3];
      SetlRecordBatch *b;

      for (guint i = 0; i < rows + 2 * pad; i++)
        {
          gint64 row = (gint64) start + (gint64) i - pad;
          g_ptr_array_add (ids, g_strdup_printf ("%" G_GINT64_FORMAT, row));
          /* every 5th age null, every 7th name null */
          g_ptr_array_add (ages, row % 5 == 3 ? NULL : g_strdup_printf ("%" G_GINT64_FORMAT, (row * 37) % 60));
          g_ptr_array_add (names, row % 7 == 4 ? NULL : g_strdup_printf ("p%" G_GINT64_FORMAT, row % 11));
        }
      cols[0] = make_column (SETL_DATA_TYPE_INT64, (const char *const *) ids->pdata, ids->len);
      cols[1] = make_column (SETL_DATA_TYPE_INT64, (const char *const *) ages->pdata, ages->len);
      cols[2] = make_column (SETL_DATA_TYPE_STRING, (const char *const *) names->pdata, names->len);
      b = setl_record_batch_new (fields, 3, cols, 3, &error);
      g_assert_no_error (error);
      if (pad)
        {
          SetlRecordBatch *s = setl_record_batch_slice (b, pad, rows);
          g_object_unref (b);
          b = s;
        }
      g_ptr_array_add (batches, b);
      for (guint c = 0; c < 3; c++)
        g_object_unref (cols[c]);
    }
  t = setl_table_new (fields, 3, (SetlRecordBatch **) batches->pdata, batches->len, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < 3; i++)
    g_object_unref (fields[i]);
  return t;
}

/* What people_table() holds at a row, computed the same way. */
static inline gboolean people_age (gint64 row, gint64 *age) { *age = (row * 37) % 60; return row % 5 != 3; }
static inline char *people_name (gint64 row) { return row % 7 == 4 ? NULL : g_strdup_printf ("p%" G_GINT64_FORMAT, row % 11); }

static inline void
set_input (SetlFactory *f, const char *slot, gpointer stream)
{
  g_auto(GValue) v = G_VALUE_INIT;

  g_value_init (&v, SETL_TYPE_BATCH_STREAM);
  g_value_set_object (&v, stream);
  g_assert_nonnull (setl_factory_get_delivery (f, slot));
  setl_delivery_set_value (setl_factory_get_delivery (f, slot), &v);
}

/* read, process, write, get: the stream, or NULL with @error set. */
static inline SetlBatchStream *
run_factory (SetlFactory *f, GError **error)
{
  g_auto(GValue) v = G_VALUE_INIT;

  if (!setl_factory_read (f, NULL, error) || !setl_factory_process (f, NULL, error) ||
      !setl_factory_write (f, NULL, error))
    return NULL;
  if (!setl_factory_get (f, &v, error))
    return NULL;
  return g_value_dup_object (&v);
}

static inline SetlTable *
collect (SetlBatchStream *s)
{
  g_autoptr(GError) error = NULL;
  SetlTable *t = setl_batch_stream_collect (s, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (t);
  return t;
}

/* Row r of a table, across batches: the batch and the row in it. */
static inline SetlRecordBatch *
table_row (SetlTable *t, gint64 row, gint64 *in_batch)
{
  for (guint b = 0; b < setl_table_get_n_batches (t); b++)
    {
      SetlRecordBatch *batch = setl_table_get_batch (t, b);
      gint64 n = setl_record_batch_get_n_rows (batch);
      if (row < n)
        {
          *in_batch = row;
          return batch;
        }
      row -= n;
    }
  g_assert_not_reached ();
}

static inline gboolean
cell_int64 (SetlTable *t, guint col, gint64 row, gint64 *value)
{
  gint64 r;
  SetlColumn *c = setl_record_batch_get_column (table_row (t, row, &r), col);

  if (setl_column_is_null (c, r))
    return FALSE;
  *value = setl_column_get_int64 (c, r);
  return TRUE;
}

static inline char *
cell_string (SetlTable *t, guint col, gint64 row)
{
  gint64 r;
  SetlColumn *c = setl_record_batch_get_column (table_row (t, row, &r), col);

  return setl_column_is_null (c, r) ? NULL : setl_column_dup_string (c, r);
}
