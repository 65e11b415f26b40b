/* test-batch.c: record batches and tables — validation, zero-copy slices
 * and projections.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <setl/setl.h>
#include <string.h>

#include "table-test-util.h"

static SetlColumn *
int_column (gint64 from,
            gint64 n)
{
  g_autoptr(SetlColumnBuilder) builder = setl_column_builder_new (SETL_DATA_TYPE_INT64);

  for (gint64 i = from; i < from + n; i++)
    {
      if (i % 5 == 4)
        setl_column_builder_append_null (builder);
      else
        setl_column_builder_append_int64 (builder, i);
    }
  return setl_column_builder_finish (builder, NULL);
}

static SetlColumn *
string_column (gint64 from,
               gint64 n)
{
  g_autoptr(SetlColumnBuilder) builder = setl_column_builder_new (SETL_DATA_TYPE_STRING);

  for (gint64 i = from; i < from + n; i++)
    {
      g_autofree char *text = g_strdup_printf ("v%" G_GINT64_FORMAT, i);
      setl_column_builder_append_string (builder, text, -1);
    }
  return setl_column_builder_finish (builder, NULL);
}

/* A table of @n_batches batches of @rows rows: id (int64, nulls every 5th
 * row) and name (string "v<row>"), numbered across batches. */
static SetlTable *
make_table (guint  n_batches,
            gint64 rows)
{
  g_autoptr(SetlField) id = setl_field_new ("id", SETL_DATA_TYPE_INT64, TRUE);
  g_autoptr(SetlField) name = setl_field_new ("name", SETL_DATA_TYPE_STRING, FALSE);
  SetlField *fields[] = { id, name };
  g_autoptr(GPtrArray) batches = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;
  SetlTable *table;

  for (guint b = 0; b < n_batches; b++)
    {
      g_autoptr(SetlColumn) ids = int_column (b * rows, rows);
      g_autoptr(SetlColumn) names = string_column (b * rows, rows);
      SetlColumn *columns[] = { ids, names };
      SetlRecordBatch *batch = setl_record_batch_new (fields, 2, columns, 2, &error);

      g_assert_no_error (error);
      g_ptr_array_add (batches, batch);
    }
  table = setl_table_new (fields, 2, (SetlRecordBatch **) batches->pdata, batches->len, &error);
  g_assert_no_error (error);
  return table;
}

static void
test_batch_accessors (void)
{
  g_autoptr(SetlRecordBatch) batch = make_batch ();
  guint n_fields = 0;
  SetlField **fields = setl_record_batch_get_fields (batch, &n_fields);

  g_assert_cmpint (setl_record_batch_get_n_rows (batch), ==, 10);
  g_assert_cmpuint (setl_record_batch_get_n_columns (batch), ==, 6);
  g_assert_cmpuint (n_fields, ==, 6);
  g_assert_cmpstr (setl_field_get_name (fields[3]), ==, "string");
  g_assert_true (setl_record_batch_get_field (batch, 3) == fields[3]);
  g_assert_cmpint (setl_record_batch_get_column_index (batch, "date32"), ==, 4);
  g_assert_cmpint (setl_record_batch_get_column_index (batch, "nope"), ==, -1);
  g_assert_true (setl_record_batch_get_column_by_name (batch, "double") ==
                 setl_record_batch_get_column (batch, 2));
  g_assert_null (setl_record_batch_get_column_by_name (batch, "nope"));
  g_assert_cmpuint (setl_record_batch_get_byte_size (batch), >, 0);
}

static void
test_batch_validation (void)
{
  g_autoptr(SetlField) a = setl_field_new ("a", SETL_DATA_TYPE_INT64, FALSE);
  g_autoptr(SetlField) a_nullable = setl_field_new ("a", SETL_DATA_TYPE_INT64, TRUE);
  g_autoptr(SetlField) b = setl_field_new ("b", SETL_DATA_TYPE_STRING, TRUE);
  g_autoptr(SetlField) b_double = setl_field_new ("b", SETL_DATA_TYPE_DOUBLE, TRUE);
  g_autoptr(SetlColumn) ints = int_column (0, 10);         /* 2 nulls */
  g_autoptr(SetlColumn) strings = string_column (0, 10);
  g_autoptr(SetlColumn) short_strings = string_column (0, 9);
  g_autoptr(SetlRecordBatch) batch = NULL;
  g_autoptr(GError) error = NULL;

  /* Nulls in a column declared not nullable. */
  batch = setl_record_batch_new ((SetlField *[]) { a, b }, 2,
                                 (SetlColumn *[]) { ints, strings }, 2, &error);
  g_assert_null (batch);
  g_assert_error (error, SETL_DATA_ERROR, SETL_DATA_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "“a”"));
  g_assert_nonnull (strstr (error->message, "2 nulls"));
  g_clear_error (&error);

  /* Lengths differ. */
  batch = setl_record_batch_new ((SetlField *[]) { a_nullable, b }, 2,
                                 (SetlColumn *[]) { ints, short_strings }, 2, &error);
  g_assert_null (batch);
  g_assert_error (error, SETL_DATA_ERROR, SETL_DATA_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "“b” has 9 rows"));
  g_clear_error (&error);

  /* Field says double, column holds strings. */
  batch = setl_record_batch_new ((SetlField *[]) { a_nullable, b_double }, 2,
                                 (SetlColumn *[]) { ints, strings }, 2, &error);
  g_assert_null (batch);
  g_assert_error (error, SETL_DATA_ERROR, SETL_DATA_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "declared double but holds string"));
  g_clear_error (&error);

  /* Two columns of one name. */
  batch = setl_record_batch_new ((SetlField *[]) { a_nullable, a_nullable }, 2,
                                 (SetlColumn *[]) { ints, ints }, 2, &error);
  g_assert_null (batch);
  g_assert_error (error, SETL_DATA_ERROR, SETL_DATA_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "twice"));
  g_clear_error (&error);

  /* Count mismatch. */
  batch = setl_record_batch_new ((SetlField *[]) { a_nullable, b }, 2,
                                 (SetlColumn *[]) { ints }, 1, &error);
  g_assert_null (batch);
  g_assert_error (error, SETL_DATA_ERROR, SETL_DATA_ERROR_INVALID);
  g_clear_error (&error);

  batch = setl_record_batch_new ((SetlField *[]) { a_nullable, b }, 2,
                                 (SetlColumn *[]) { ints, strings }, 2, &error);
  g_assert_no_error (error);
  g_assert_nonnull (batch);
}

static void
test_batch_slice_zero_copy (void)
{
  g_autoptr(SetlRecordBatch) batch = make_batch ();
  g_autoptr(SetlRecordBatch) slice = setl_record_batch_slice (batch, 4, 5);

  g_assert_cmpint (setl_record_batch_get_n_rows (slice), ==, 5);
  g_assert_true (setl_record_batch_get_fields (slice, NULL)[0] ==
                 setl_record_batch_get_fields (batch, NULL)[0]);
  for (guint c = 0; c < 6; c++)
    {
      SetlColumn *whole = setl_record_batch_get_column (batch, c);
      SetlColumn *part = setl_record_batch_get_column (slice, c);

      g_assert_cmpint (setl_column_get_offset (part), ==, 4);
      for (guint b = 0; b < setl_column_get_n_buffers (whole); b++)
        g_assert_true (buffer_data (part, b) == buffer_data (whole, b));
      for (int i = 0; i < 5; i++)
        g_assert_cmpint (setl_column_is_null (part, i), ==, setl_column_is_null (whole, i + 4));
    }
  g_assert_cmpint (setl_column_get_timestamp (setl_record_batch_get_column (slice, 5), 0), ==,
                   G_GINT64_CONSTANT (1700000000000000) + 4 * 1234567);
  /* Shared buffers are counted once: a slice keeps its parent's memory. */
  g_assert_cmpuint (setl_record_batch_get_byte_size (slice), ==,
                    setl_record_batch_get_byte_size (batch));
}

static void
test_batch_select (void)
{
  g_autoptr(SetlRecordBatch) batch = make_batch ();
  g_autoptr(SetlRecordBatch) by_index = NULL;
  g_autoptr(SetlRecordBatch) by_name = NULL;
  g_autoptr(SetlRecordBatch) none = NULL;
  g_autoptr(GError) error = NULL;
  const char *names[] = { "timestamp", "bool", NULL };

  by_index = setl_record_batch_select (batch, (guint[]) { 3, 1 }, 2, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (setl_record_batch_get_n_columns (by_index), ==, 2);
  /* The very same column objects, so the very same buffers. */
  g_assert_true (setl_record_batch_get_column (by_index, 0) == setl_record_batch_get_column (batch, 3));
  g_assert_true (setl_record_batch_get_column (by_index, 1) == setl_record_batch_get_column (batch, 1));
  g_assert_cmpstr (setl_field_get_name (setl_record_batch_get_field (by_index, 0)), ==, "string");

  by_name = setl_record_batch_select_by_name (batch, names, &error);
  g_assert_no_error (error);
  g_assert_true (setl_record_batch_get_column (by_name, 0) == setl_record_batch_get_column (batch, 5));
  g_assert_cmpstr (setl_field_get_timezone (setl_record_batch_get_field (by_name, 0)), ==, "Europe/Paris");
  g_assert_cmpint (setl_record_batch_get_n_rows (by_name), ==, 10);

  none = setl_record_batch_select (batch, NULL, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (setl_record_batch_get_n_columns (none), ==, 0);
  g_assert_cmpint (setl_record_batch_get_n_rows (none), ==, 10);

  g_assert_null (setl_record_batch_select_by_name (batch, (const char *[]) { "bool", "price", NULL }, &error));
  g_assert_error (error, SETL_DATA_ERROR, SETL_DATA_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "“price”"));
  g_clear_error (&error);

  g_assert_null (setl_record_batch_select (batch, (guint[]) { 6 }, 1, &error));
  g_assert_error (error, SETL_DATA_ERROR, SETL_DATA_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_null (setl_record_batch_select (batch, (guint[]) { 1, 1 }, 2, &error));
  g_assert_error (error, SETL_DATA_ERROR, SETL_DATA_ERROR_INVALID);
}

static void
test_table_accessors (void)
{
  g_autoptr(SetlTable) table = make_table (3, 4);
  g_autoptr(SetlTable) single = NULL;
  g_autoptr(SetlRecordBatch) batch = make_batch ();
  guint n_fields;

  g_assert_cmpint (setl_table_get_n_rows (table), ==, 12);
  g_assert_cmpuint (setl_table_get_n_batches (table), ==, 3);
  g_assert_cmpuint (setl_table_get_n_columns (table), ==, 2);
  g_assert_cmpstr (setl_field_get_name (setl_table_get_fields (table, &n_fields)[1]), ==, "name");
  g_assert_cmpuint (n_fields, ==, 2);
  g_assert_cmpint (setl_table_get_column_index (table, "name"), ==, 1);
  g_assert_cmpint (setl_table_get_column_index (table, "x"), ==, -1);
  g_assert_cmpint (setl_column_get_int64 (setl_record_batch_get_column (setl_table_get_batch (table, 2), 0), 2), ==, 10);

  single = setl_table_new_from_batch (batch);
  g_assert_cmpint (setl_table_get_n_rows (single), ==, 10);
  g_assert_true (setl_table_get_batch (single, 0) == batch);
  g_assert_true (setl_table_get_field (single, 2) == setl_record_batch_get_field (batch, 2));
}

static void
test_table_validation (void)
{
  g_autoptr(SetlTable) table = make_table (1, 4);
  g_autoptr(SetlField) id = setl_field_new ("id", SETL_DATA_TYPE_INT64, TRUE);
  g_autoptr(SetlField) name = setl_field_new ("name", SETL_DATA_TYPE_STRING, TRUE);
  SetlRecordBatch *batch = setl_table_get_batch (table, 0);
  g_autoptr(SetlTable) other = NULL;
  g_autoptr(SetlTable) empty = NULL;
  g_autoptr(GError) error = NULL;

  /* The batch's "name" is not nullable; the table's is. */
  other = setl_table_new ((SetlField *[]) { id, name }, 2, &batch, 1, &error);
  g_assert_null (other);
  g_assert_error (error, SETL_DATA_ERROR, SETL_DATA_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "Column 1 of batch 0"));
  g_clear_error (&error);

  other = setl_table_new ((SetlField *[]) { id }, 1, &batch, 1, &error);
  g_assert_null (other);
  g_assert_error (error, SETL_DATA_ERROR, SETL_DATA_ERROR_INVALID);
  g_clear_error (&error);

  empty = setl_table_new ((SetlField *[]) { id, name }, 2, NULL, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpint (setl_table_get_n_rows (empty), ==, 0);
  g_assert_cmpuint (setl_table_get_n_batches (empty), ==, 0);
  g_assert_cmpuint (setl_table_get_byte_size (empty), ==, 0);
}

static void
test_table_slice_across_batches (void)
{
  g_autoptr(SetlTable) table = make_table (3, 4);
  g_autoptr(SetlTable) slice = setl_table_slice (table, 2, 7);
  g_autoptr(SetlTable) tail = setl_table_slice (table, 8, -1);
  g_autoptr(SetlTable) past = setl_table_slice (table, 50, 3);
  SetlRecordBatch *b0, *b1, *b2;

  g_assert_cmpint (setl_table_get_n_rows (slice), ==, 7);
  g_assert_cmpuint (setl_table_get_n_batches (slice), ==, 3);
  b0 = setl_table_get_batch (slice, 0);
  b1 = setl_table_get_batch (slice, 1);
  b2 = setl_table_get_batch (slice, 2);
  g_assert_cmpint (setl_record_batch_get_n_rows (b0), ==, 2);   /* rows 2, 3 */
  g_assert_cmpint (setl_record_batch_get_n_rows (b1), ==, 4);   /* rows 4..7 */
  g_assert_cmpint (setl_record_batch_get_n_rows (b2), ==, 1);   /* row 8 */
  /* A batch wholly inside the slice is the table's own. */
  g_assert_true (b1 == setl_table_get_batch (table, 1));

  /* The edges are windows onto the same buffers. */
  for (guint c = 0; c < 2; c++)
    for (guint b = 1; b < setl_column_get_n_buffers (setl_record_batch_get_column (b0, c)); b++)
      {
        g_assert_true (buffer_data (setl_record_batch_get_column (b0, c), b) ==
                       buffer_data (setl_record_batch_get_column (setl_table_get_batch (table, 0), c), b));
        g_assert_true (buffer_data (setl_record_batch_get_column (b2, c), b) ==
                       buffer_data (setl_record_batch_get_column (setl_table_get_batch (table, 2), c), b));
      }

  g_assert_cmpint (setl_column_get_int64 (setl_record_batch_get_column (b0, 0), 0), ==, 2);
  g_assert_cmpint (setl_column_get_offset (setl_record_batch_get_column (b0, 0)), ==, 2);
  g_assert_cmpint (setl_column_get_int64 (setl_record_batch_get_column (b2, 0), 0), ==, 8);
  g_assert_true (setl_column_is_null (setl_record_batch_get_column (b1, 0), 0));   /* row 4 */
  {
    g_autofree char *name = setl_column_dup_string (setl_record_batch_get_column (b2, 1), 0);
    g_assert_cmpstr (name, ==, "v8");
  }

  g_assert_cmpint (setl_table_get_n_rows (tail), ==, 4);
  g_assert_cmpuint (setl_table_get_n_batches (tail), ==, 1);
  g_assert_cmpint (setl_table_get_n_rows (past), ==, 0);
  g_assert_cmpuint (setl_table_get_n_columns (past), ==, 2);
}

static void
test_table_select (void)
{
  g_autoptr(SetlTable) table = make_table (2, 3);
  g_autoptr(SetlTable) names = NULL;
  g_autoptr(SetlTable) swapped = NULL;
  g_autoptr(GError) error = NULL;

  names = setl_table_select_by_name (table, (const char *[]) { "name", NULL }, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (setl_table_get_n_columns (names), ==, 1);
  g_assert_cmpint (setl_table_get_n_rows (names), ==, 6);
  for (guint b = 0; b < 2; b++)
    g_assert_true (setl_record_batch_get_column (setl_table_get_batch (names, b), 0) ==
                   setl_record_batch_get_column (setl_table_get_batch (table, b), 1));

  swapped = setl_table_select (table, (guint[]) { 1, 0 }, 2, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (setl_field_get_name (setl_table_get_field (swapped, 0)), ==, "name");

  g_assert_null (setl_table_select_by_name (table, (const char *[]) { "nom", NULL }, &error));
  g_assert_error (error, SETL_DATA_ERROR, SETL_DATA_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "“nom”"));
  g_clear_error (&error);

  g_assert_null (setl_table_select (table, (guint[]) { 0, 0 }, 2, &error));
  g_assert_error (error, SETL_DATA_ERROR, SETL_DATA_ERROR_INVALID);
}

static void
test_table_equal_ignores_chunking (void)
{
  g_autoptr(SetlTable) chunked = make_table (3, 4);
  g_autoptr(SetlTable) whole = make_table (1, 12);
  g_autoptr(SetlTable) other = make_table (4, 3);
  g_autoptr(SetlTable) shorter = make_table (1, 11);
  g_autoptr(SetlTable) head_chunked = setl_table_slice (chunked, 1, 10);
  g_autoptr(SetlTable) head_whole = setl_table_slice (whole, 1, 10);
  g_autoptr(SetlTable) shifted = setl_table_slice (whole, 2, 10);

  g_assert_true (setl_table_equal (chunked, whole));
  g_assert_true (setl_table_equal (other, whole));
  g_assert_false (setl_table_equal (shorter, whole));
  g_assert_true (setl_table_equal (head_chunked, head_whole));
  g_assert_false (setl_table_equal (head_chunked, shifted));
}

static void
test_table_byte_size (void)
{
  g_autoptr(SetlTable) table = make_table (2, 100);
  g_autoptr(SetlTable) slice = setl_table_slice (table, 0, 10);
  gsize one_batch = setl_record_batch_get_byte_size (setl_table_get_batch (table, 0));

  g_assert_cmpuint (setl_table_get_byte_size (table), ==,
                    one_batch + setl_record_batch_get_byte_size (setl_table_get_batch (table, 1)));
  /* The slice keeps the first batch's buffers alive, and only those. */
  g_assert_cmpuint (setl_table_get_byte_size (slice), ==, one_batch);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/table/batch/accessors", test_batch_accessors);
  g_test_add_func ("/table/batch/validation", test_batch_validation);
  g_test_add_func ("/table/batch/slice-zero-copy", test_batch_slice_zero_copy);
  g_test_add_func ("/table/batch/select", test_batch_select);
  g_test_add_func ("/table/table/accessors", test_table_accessors);
  g_test_add_func ("/table/table/validation", test_table_validation);
  g_test_add_func ("/table/table/slice-across-batches", test_table_slice_across_batches);
  g_test_add_func ("/table/table/select", test_table_select);
  g_test_add_func ("/table/table/equal-ignores-chunking", test_table_equal_ignores_chunking);
  g_test_add_func ("/table/table/byte-size", test_table_byte_size);

  return g_test_run ();
}
