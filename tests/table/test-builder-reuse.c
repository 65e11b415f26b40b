/* test-builder-reuse.c: a builder reuses the large buffers of columns that
 * were freed, and never those of columns still alive — whichever thread
 * frees them, and even after the builder itself is gone.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "table-test-util.h"

/* Large enough for the builder's pool (64 KiB and more a buffer). */
#define ROWS 20000

static gint64
value_at (guint column, gint64 row)
{
  return (gint64) column * 1000003 + row * 7 - 5;
}

static SetlColumn *
build_int64 (SetlColumnBuilder *builder, guint k)
{
  g_autofree gint64 *values = g_new (gint64, ROWS);
  g_autoptr(GError) error = NULL;
  SetlColumn *column;

  for (gint64 i = 0; i < ROWS; i++)
    values[i] = value_at (k, i);
  setl_column_builder_append_values (builder, values, NULL, ROWS);
  column = setl_column_builder_finish (builder, &error);
  g_assert_no_error (error);
  return column;
}

static SetlColumn *
build_strings (SetlColumnBuilder *builder, guint k)
{
  g_autoptr(GError) error = NULL;
  SetlColumn *column;

  for (gint64 i = 0; i < ROWS; i++)
    {
      g_autofree char *s = g_strdup_printf ("c%u-row%" G_GINT64_FORMAT, k, i);
      if (i % 97 == 13)
        setl_column_builder_append_null (builder);
      else
        setl_column_builder_append_string (builder, s, -1);
    }
  column = setl_column_builder_finish (builder, &error);
  g_assert_no_error (error);
  return column;
}

static void
check_int64 (SetlColumn *column, guint k)
{
  g_assert_cmpint (setl_column_get_length (column), ==, ROWS);
  for (gint64 i = 0; i < ROWS; i++)
    g_assert_cmpint (setl_column_get_int64 (column, i), ==, value_at (k, i));
}

static void
check_strings (SetlColumn *column, guint k)
{
  g_assert_cmpint (setl_column_get_length (column), ==, ROWS);
  for (gint64 i = 0; i < ROWS; i++)
    {
      g_autofree char *expected = g_strdup_printf ("c%u-row%" G_GINT64_FORMAT, k, i);
      gsize length;
      const char *s;

      if (i % 97 == 13)
        {
          g_assert_true (setl_column_is_null (column, i));
          continue;
        }
      s = setl_column_get_string (column, i, &length);
      g_assert_cmpmem (s, length, expected, strlen (expected));
    }
}

/* A freed column's buffer is the one the next column gets: the pool is
 * really used (this fails if buffers are simply freed and allocated). */
static void
test_reuses_freed (void)
{
  g_autoptr(SetlColumnBuilder) builder = setl_column_builder_new (SETL_DATA_TYPE_INT64);
  SetlColumn *first = build_int64 (builder, 1);
  gconstpointer first_data = setl_column_get_values_data (first);
  SetlColumn *next;
  gpointer hog;
  gboolean reused;

  g_object_unref (first);
  /* Without the pool, the allocator would most likely hand the freed
   * block to this allocation of the same size; with it, the block waits
   * for the builder. */
  hog = g_aligned_alloc (1, (gsize) ROWS * sizeof (gint64), 64);
  memset (hog, 0x5a, (gsize) ROWS * sizeof (gint64));
  next = build_int64 (builder, 2);
  reused = setl_column_get_values_data (next) == first_data;
  check_int64 (next, 2);
  g_object_unref (next);
  g_aligned_free (hog);
  g_assert_true (reused);
}

/* Columns kept alive while many more are built and freed keep their
 * values: a live buffer is never handed out again. */
static void
test_live_columns_untouched (void)
{
  g_autoptr(SetlColumnBuilder) ints = setl_column_builder_new (SETL_DATA_TYPE_INT64);
  g_autoptr(SetlColumnBuilder) strings = setl_column_builder_new (SETL_DATA_TYPE_STRING);
  g_autoptr(GPtrArray) held_ints = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) held_strings = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint k = 0; k < 40; k++)
    {
      SetlColumn *i = build_int64 (ints, k);
      SetlColumn *s = build_strings (strings, k);

      /* Keep every third one; free the others at once, so the pool is fed. */
      if (k % 3 == 0)
        {
          g_ptr_array_add (held_ints, i);
          g_ptr_array_add (held_strings, s);
        }
      else
        {
          g_object_unref (i);
          g_object_unref (s);
        }
    }
  for (guint j = 0; j < held_ints->len; j++)
    {
      check_int64 (held_ints->pdata[j], j * 3);
      check_strings (held_strings->pdata[j], j * 3);
    }
}

static gpointer
drop_columns (gpointer data)
{
  GAsyncQueue *queue = data;
  SetlColumn *column;

  while ((column = g_async_queue_pop (queue)) != (gpointer) queue)
    g_object_unref (column);
  return NULL;
}

/* Columns freed on another thread while the builder builds more, as a
 * consumer drops batches that a source's thread built; the columns the
 * builder's thread keeps stay intact. */
static void
test_freed_on_other_thread (void)
{
  g_autoptr(SetlColumnBuilder) builder = setl_column_builder_new (SETL_DATA_TYPE_INT64);
  g_autoptr(GPtrArray) held = g_ptr_array_new_with_free_func (g_object_unref);
  GAsyncQueue *queue = g_async_queue_new ();
  GThread *thread = g_thread_new ("drop-columns", drop_columns, queue);

  for (guint k = 0; k < 200; k++)
    {
      SetlColumn *column = build_int64 (builder, k);

      if (k % 10 == 0)
        g_ptr_array_add (held, column);
      else
        g_async_queue_push (queue, column);
    }
  g_async_queue_push (queue, queue);
  g_thread_join (thread);
  g_async_queue_unref (queue);
  for (guint j = 0; j < held->len; j++)
    check_int64 (held->pdata[j], j * 10);
}

/* A column outliving its builder keeps its values and is freed cleanly
 * (the sanitizer run checks there is neither leak nor use after free). */
static void
test_outlives_builder (void)
{
  SetlColumnBuilder *builder = setl_column_builder_new (SETL_DATA_TYPE_STRING);
  SetlColumn *freed = build_strings (builder, 1);
  SetlColumn *kept;

  g_object_unref (freed);        /* one buffer waits in the pool */
  kept = build_strings (builder, 2);
  g_object_unref (builder);
  check_strings (kept, 2);
  g_object_unref (kept);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/table/builder-reuse/reuses-freed", test_reuses_freed);
  g_test_add_func ("/table/builder-reuse/live-columns-untouched", test_live_columns_untouched);
  g_test_add_func ("/table/builder-reuse/freed-on-other-thread", test_freed_on_other_thread);
  g_test_add_func ("/table/builder-reuse/outlives-builder", test_outlives_builder);
  return g_test_run ();
}
