/* test-column.c: column builders, typed accessors and zero-copy slices.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <setl/setl.h>
#include <string.h>

#include "table-test-util.h"

static void
test_data_type_names (void)
{
  for (int t = SETL_DATA_TYPE_BOOL; t <= SETL_DATA_TYPE_TIMESTAMP; t++)
    {
      SetlDataType back = -1;
      const char *name = setl_data_type_to_string ((SetlDataType) t);

      g_assert_nonnull (name);
      g_assert_true (setl_data_type_from_string (name, &back));
      g_assert_cmpint (back, ==, t);
    }
  g_assert_false (setl_data_type_from_string ("int32", &(SetlDataType) { 0 }));
  g_assert_cmpuint (setl_data_type_get_bit_width (SETL_DATA_TYPE_BOOL), ==, 1);
  g_assert_cmpuint (setl_data_type_get_bit_width (SETL_DATA_TYPE_DATE32), ==, 32);
  g_assert_cmpuint (setl_data_type_get_bit_width (SETL_DATA_TYPE_TIMESTAMP), ==, 64);
  g_assert_cmpuint (setl_data_type_get_bit_width (SETL_DATA_TYPE_STRING), ==, 0);
}

static void
test_field (void)
{
  g_autoptr(SetlField) id = setl_field_new ("id", SETL_DATA_TYPE_INT64, FALSE);
  g_autoptr(SetlField) at = setl_field_new_timestamp ("at", TRUE, "UTC");
  g_autoptr(SetlField) naive = setl_field_new_timestamp ("at", TRUE, "");
  g_autoptr(SetlField) renamed = setl_field_with_name (at, "when");
  g_autoptr(SetlField) odd = g_object_new (SETL_TYPE_FIELD, "name", "n",
                                           "data-type", SETL_DATA_TYPE_INT64,
                                           "timezone", "UTC", NULL);
  g_autofree char *text = setl_field_to_string (at);
  g_autofree char *id_text = setl_field_to_string (id);

  g_assert_cmpstr (setl_field_get_name (id), ==, "id");
  g_assert_cmpint (setl_field_get_data_type (id), ==, SETL_DATA_TYPE_INT64);
  g_assert_false (setl_field_get_nullable (id));
  g_assert_cmpstr (setl_field_get_timezone (at), ==, "UTC");
  /* An empty zone is no zone, and only timestamps have one. */
  g_assert_null (setl_field_get_timezone (naive));
  g_assert_null (setl_field_get_timezone (odd));
  g_assert_cmpstr (setl_field_get_name (renamed), ==, "when");
  g_assert_cmpstr (setl_field_get_timezone (renamed), ==, "UTC");
  g_assert_false (setl_field_equal (at, renamed));
  g_assert_false (setl_field_equal (at, naive));
  g_assert_true (setl_field_equal (at, at));
  {
    g_autoptr(SetlField) again = setl_field_with_name (renamed, "at");
    g_assert_true (setl_field_equal (at, again));
  }
  g_assert_cmpstr (text, ==, "at: timestamp[UTC]");
  g_assert_cmpstr (id_text, ==, "id: int64 not null");
}

static void
test_int64_with_nulls (void)
{
  g_autoptr(SetlColumn) column = make_column (SETL_DATA_TYPE_INT64);
  const guint8 *validity;

  g_assert_cmpint (setl_column_get_data_type (column), ==, SETL_DATA_TYPE_INT64);
  g_assert_cmpint (setl_column_get_length (column), ==, 10);
  g_assert_cmpint (setl_column_get_null_count (column), ==, 2);
  g_assert_cmpint (setl_column_get_offset (column), ==, 0);
  g_assert_cmpuint (setl_column_get_n_buffers (column), ==, 2);

  for (int i = 0; i < 10; i++)
    {
      gboolean null = i == 2 || i == 7;

      g_assert_cmpint (setl_column_is_null (column, i), ==, null);
      if (!null)
        g_assert_cmpint (setl_column_get_int64 (column, i), ==, (gint64) i * 1000000000000 - 5);
    }

  /* The layout itself: LSB bitmap, plain little-endian values. */
  validity = setl_column_get_validity_bitmap (column);
  g_assert_nonnull (validity);
  g_assert_cmphex (validity[0], ==, 0x7b);   /* 0111 1011: rows 2 and 7 null */
  g_assert_cmphex (validity[1], ==, 0x03);
  g_assert_cmpint (((const gint64 *) setl_column_get_values_data (column))[9], ==,
                   9 * G_GINT64_CONSTANT (1000000000000) - 5);
  /* Arrow's recommended 64-byte alignment. */
  g_assert_cmpuint (GPOINTER_TO_SIZE (validity) % 64, ==, 0);
  g_assert_cmpuint (GPOINTER_TO_SIZE (setl_column_get_values_data (column)) % 64, ==, 0);
  g_assert_cmpuint (g_bytes_get_size (setl_column_get_buffer (column, 1)), ==, 80);
  g_assert_cmpuint (g_bytes_get_size (setl_column_get_buffer (column, 0)), ==, 2);
}

static void
test_no_nulls_no_bitmap (void)
{
  g_autoptr(SetlColumnBuilder) builder = setl_column_builder_new (SETL_DATA_TYPE_DOUBLE);
  g_autoptr(SetlColumn) column = NULL;
  g_autoptr(GError) error = NULL;

  for (int i = 0; i < 5; i++)
    setl_column_builder_append_double (builder, i / 4.0);
  column = setl_column_builder_finish (builder, &error);
  g_assert_no_error (error);

  g_assert_cmpint (setl_column_get_null_count (column), ==, 0);
  g_assert_null (setl_column_get_buffer (column, 0));
  g_assert_null (setl_column_get_validity_bitmap (column));
  g_assert_false (setl_column_is_null (column, 4));
  g_assert_cmpfloat (setl_column_get_double (column, 3), ==, 0.75);
}

static void
test_bool_bit_packed (void)
{
  g_autoptr(SetlColumn) column = make_column (SETL_DATA_TYPE_BOOL);
  const guint8 *values = setl_column_get_values_data (column);

  g_assert_cmpint (setl_column_get_null_count (column), ==, 2);
  for (int i = 0; i < 10; i++)
    {
      gboolean null = i == 2 || i == 7;

      g_assert_cmpint (setl_column_is_null (column, i), ==, null);
      /* A null's value bit is 0; the others are i % 3 == 0. */
      g_assert_cmpint (bitmap_bit (values, i), ==, !null && i % 3 == 0);
      if (!null)
        g_assert_cmpint (setl_column_get_bool (column, i), ==, i % 3 == 0);
    }
  /* 10 bits in 2 bytes: rows 0, 3, 6 and 9 true. */
  g_assert_cmpuint (g_bytes_get_size (setl_column_get_buffer (column, 1)), ==, 2);
  g_assert_cmphex (values[0], ==, 0x49);
  g_assert_cmphex (values[1], ==, 0x02);
}

static void
test_string_values (void)
{
  g_autoptr(SetlColumn) column = make_column (SETL_DATA_TYPE_STRING);
  const gint32 *offsets = setl_column_get_values_data (column);
  const char *data = setl_column_get_string_data (column);
  const char *value;
  gsize length = 99;
  char *copy;

  g_assert_cmpuint (setl_column_get_n_buffers (column), ==, 3);
  g_assert_cmpint (setl_column_get_null_count (column), ==, 3);

  /* An empty string is not a null. */
  value = setl_column_get_string (column, 0, &length);
  g_assert_cmpuint (length, ==, 0);
  g_assert_nonnull (value);
  g_assert_false (setl_column_is_null (column, 0));
  copy = setl_column_dup_string (column, 0);
  g_assert_cmpstr (copy, ==, "");
  g_free (copy);

  g_assert_true (setl_column_is_null (column, 2));
  g_assert_null (setl_column_dup_string (column, 2));

  value = setl_column_get_string (column, 3, &length);
  g_assert_cmpuint (length, ==, strlen ("Zürich"));
  g_assert_true (memcmp (value, "Zürich", length) == 0);
  /* In place: the accessor points into the data buffer. */
  g_assert_true (value == data + offsets[3]);

  copy = setl_column_dup_string (column, 4);
  g_assert_cmpstr (copy, ==, "東京");
  g_free (copy);
  copy = setl_column_dup_string (column, 6);
  g_assert_cmpstr (copy, ==, "line\nbreak");
  g_free (copy);

  /* Offsets: 11 of them, starting at 0, repeating over nulls. */
  g_assert_cmpint (offsets[0], ==, 0);
  g_assert_cmpint (offsets[1], ==, 0);
  g_assert_cmpint (offsets[2], ==, 1);
  g_assert_cmpint (offsets[3], ==, 1);    /* row 2 is null: empty slot */
  g_assert_cmpint (offsets[10], ==, offsets[9]);
  g_assert_cmpuint (g_bytes_get_size (setl_column_get_buffer (column, 1)), ==, 11 * 4);
  g_assert_cmpuint (g_bytes_get_size (setl_column_get_buffer (column, 2)), ==, (gsize) offsets[10]);
  g_assert_true (memcmp (data, "aZürich東京x,y\"zline\nbreakß", (gsize) offsets[10]) == 0);
}

static void
test_string_explicit_length (void)
{
  g_autoptr(SetlColumnBuilder) builder = setl_column_builder_new (SETL_DATA_TYPE_STRING);
  g_autoptr(SetlColumn) column = NULL;
  const char line[] = "alpha,beta,gamma";
  g_autofree char *second = NULL;

  setl_column_builder_append_string (builder, line, 5);
  setl_column_builder_append_string (builder, line + 6, 4);
  setl_column_builder_append_string (builder, NULL, 0);
  column = setl_column_builder_finish (builder, NULL);

  second = setl_column_dup_string (column, 1);
  g_assert_cmpstr (second, ==, "beta");
  g_assert_cmpint (setl_column_get_length (column), ==, 3);
  g_assert_false (setl_column_is_null (column, 2));
}

static void
test_date_and_timestamp (void)
{
  g_autoptr(SetlColumn) dates = make_column (SETL_DATA_TYPE_DATE32);
  g_autoptr(SetlColumn) stamps = make_column (SETL_DATA_TYPE_TIMESTAMP);

  g_assert_cmpint (setl_column_get_date32 (dates, 0), ==, 19000);
  /* Before the epoch. */
  g_assert_cmpint (setl_column_get_date32 (dates, 1), ==, 19031 - 40000);
  g_assert_cmpuint (g_bytes_get_size (setl_column_get_buffer (dates, 1)), ==, 40);
  g_assert_true (setl_column_is_null (dates, 7));

  g_assert_cmpint (setl_column_get_timestamp (stamps, 9), ==,
                   G_GINT64_CONSTANT (1700000000000000) + 9 * 1234567);
  g_assert_true (setl_column_is_null (stamps, 2));
}

static void
test_get_value (void)
{
  g_autoptr(SetlColumn) strings = make_column (SETL_DATA_TYPE_STRING);
  g_autoptr(SetlColumn) dates = make_column (SETL_DATA_TYPE_DATE32);
  g_autoptr(SetlColumn) bools = make_column (SETL_DATA_TYPE_BOOL);
  g_auto(GValue) value = G_VALUE_INIT;

  g_assert_false (setl_column_get_value (strings, 2, &value));
  g_assert_false (G_IS_VALUE (&value));

  g_assert_true (setl_column_get_value (strings, 5, &value));
  g_assert_true (G_VALUE_HOLDS_STRING (&value));
  g_assert_cmpstr (g_value_get_string (&value), ==, "x,y\"z");
  g_value_unset (&value);

  g_assert_true (setl_column_get_value (dates, 3, &value));
  g_assert_true (G_VALUE_HOLDS_INT (&value));
  g_assert_cmpint (g_value_get_int (&value), ==, 19000 + 93);
  g_value_unset (&value);

  g_assert_true (setl_column_get_value (bools, 3, &value));
  g_assert_true (g_value_get_boolean (&value));
}

static void
test_first_null_late (void)
{
  g_autoptr(SetlColumnBuilder) builder = setl_column_builder_new (SETL_DATA_TYPE_INT64);
  g_autoptr(SetlColumn) column = NULL;
  const guint8 *validity;

  /* The bitmap appears with the first null: the 70 values before it must
   * be marked valid, across byte boundaries. */
  for (int i = 0; i < 70; i++)
    setl_column_builder_append_int64 (builder, i);
  setl_column_builder_append_null (builder);
  for (int i = 71; i < 200; i++)
    setl_column_builder_append_int64 (builder, i);
  column = setl_column_builder_finish (builder, NULL);

  validity = setl_column_get_validity_bitmap (column);
  g_assert_nonnull (validity);
  g_assert_cmpint (setl_column_get_null_count (column), ==, 1);
  for (int i = 0; i < 200; i++)
    {
      g_assert_cmpint (bitmap_bit (validity, i), ==, i != 70);
      if (i != 70)
        g_assert_cmpint (setl_column_get_int64 (column, i), ==, i);
    }
}

static void
test_growth (void)
{
  g_autoptr(SetlColumnBuilder) ints = setl_column_builder_new (SETL_DATA_TYPE_INT64);
  g_autoptr(SetlColumnBuilder) strings = setl_column_builder_new (SETL_DATA_TYPE_STRING);
  g_autoptr(SetlColumnBuilder) bools = setl_column_builder_new (SETL_DATA_TYPE_BOOL);
  g_autoptr(SetlColumn) int_column = NULL;
  g_autoptr(SetlColumn) string_column = NULL;
  g_autoptr(SetlColumn) bool_column = NULL;
  const int n = 300000;

  for (int i = 0; i < n; i++)
    {
      char text[32];

      if (i % 1000 == 999)
        {
          setl_column_builder_append_null (ints);
          setl_column_builder_append_null (strings);
          setl_column_builder_append_null (bools);
          continue;
        }
      setl_column_builder_append_int64 (ints, i);
      g_snprintf (text, sizeof text, "row-%d", i);
      setl_column_builder_append_string (strings, text, -1);
      setl_column_builder_append_bool (bools, i % 7 == 0);
    }
  g_assert_cmpint (setl_column_builder_get_length (strings), ==, n);
  g_assert_cmpint (setl_column_builder_get_null_count (strings), ==, n / 1000);
  g_assert_cmpuint (setl_column_builder_get_byte_size (ints), >=, (gsize) n * 8);

  int_column = setl_column_builder_finish (ints, NULL);
  string_column = setl_column_builder_finish (strings, NULL);
  bool_column = setl_column_builder_finish (bools, NULL);

  g_assert_cmpint (setl_column_get_null_count (int_column), ==, n / 1000);
  for (int i = 0; i < n; i += 997)
    {
      g_autofree char *text = setl_column_dup_string (string_column, i);
      g_autofree char *expected = g_strdup_printf ("row-%d", i);

      if (i % 1000 == 999)
        {
          g_assert_null (text);
          g_assert_true (setl_column_is_null (int_column, i));
          g_assert_true (setl_column_is_null (bool_column, i));
          continue;
        }
      g_assert_cmpstr (text, ==, expected);
      g_assert_cmpint (setl_column_get_int64 (int_column, i), ==, i);
      g_assert_cmpint (setl_column_get_bool (bool_column, i), ==, i % 7 == 0);
    }
}

static void
test_builder_reuse (void)
{
  g_autoptr(SetlColumnBuilder) builder = setl_column_builder_new (SETL_DATA_TYPE_STRING);
  g_autoptr(SetlColumn) first = NULL;
  g_autoptr(SetlColumn) second = NULL;
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;

  setl_column_builder_reserve (builder, 10, 100);
  setl_column_builder_append_null (builder);
  setl_column_builder_append_string (builder, "one", -1);
  first = setl_column_builder_finish (builder, NULL);
  g_assert_cmpint (setl_column_builder_get_length (builder), ==, 0);

  setl_column_builder_append_string (builder, "two", -1);
  second = setl_column_builder_finish (builder, NULL);

  /* The second column starts afresh: no bitmap, its own buffers. */
  g_assert_cmpint (setl_column_get_length (second), ==, 1);
  g_assert_cmpint (setl_column_get_null_count (second), ==, 0);
  g_assert_null (setl_column_get_buffer (second, 0));
  g_assert_true (setl_column_get_buffer (first, 2) != setl_column_get_buffer (second, 2));
  a = setl_column_dup_string (first, 1);
  b = setl_column_dup_string (second, 0);
  g_assert_cmpstr (a, ==, "one");
  g_assert_cmpstr (b, ==, "two");
}

static void
test_empty_column (void)
{
  g_autoptr(SetlColumnBuilder) builder = setl_column_builder_new (SETL_DATA_TYPE_STRING);
  g_autoptr(SetlColumn) column = setl_column_builder_finish (builder, NULL);
  const gint32 *offsets = setl_column_get_values_data (column);

  g_assert_cmpint (setl_column_get_length (column), ==, 0);
  g_assert_nonnull (offsets);
  g_assert_cmpint (offsets[0], ==, 0);
  g_assert_cmpuint (g_bytes_get_size (setl_column_get_buffer (column, 1)), ==, 4);
}

static void
test_all_null_bool (void)
{
  g_autoptr(SetlColumnBuilder) builder = setl_column_builder_new (SETL_DATA_TYPE_BOOL);
  g_autoptr(SetlColumn) column = NULL;

  for (int i = 0; i < 20; i++)
    setl_column_builder_append_null (builder);
  column = setl_column_builder_finish (builder, NULL);
  g_assert_cmpint (setl_column_get_null_count (column), ==, 20);
  g_assert_cmpuint (g_bytes_get_size (setl_column_get_buffer (column, 1)), ==, 3);
  g_assert_cmphex (((const guint8 *) setl_column_get_validity_bitmap (column))[2], ==, 0);
}

static void
test_slice_shares_buffers (void)
{
  for (int t = SETL_DATA_TYPE_BOOL; t <= SETL_DATA_TYPE_TIMESTAMP; t++)
    {
      g_autoptr(SetlColumn) column = make_column ((SetlDataType) t);
      g_autoptr(SetlColumn) slice = setl_column_slice (column, 3, 6);
      g_autoptr(SetlColumn) inner = setl_column_slice (slice, 2, 100);

      g_test_message ("type %s", setl_data_type_to_string ((SetlDataType) t));
      g_assert_cmpint (setl_column_get_offset (slice), ==, 3);
      g_assert_cmpint (setl_column_get_length (slice), ==, 6);
      /* Rows 3..8 of the column: only row 7 is null (and none is row 9). */
      g_assert_cmpint (setl_column_get_null_count (slice), ==, 1);
      g_assert_cmpint (setl_column_get_offset (inner), ==, 5);
      g_assert_cmpint (setl_column_get_length (inner), ==, 4);   /* clamped */

      for (guint b = 0; b < setl_column_get_n_buffers (column); b++)
        {
          /* The same GBytes, hence the very same memory. */
          g_assert_true (setl_column_get_buffer (slice, b) == setl_column_get_buffer (column, b));
          g_assert_true (buffer_data (inner, b) == buffer_data (column, b));
        }
      for (int i = 0; i < 6; i++)
        g_assert_true (setl_column_is_null (slice, i) == setl_column_is_null (column, i + 3));

      {
        g_autoptr(SetlColumn) expected = setl_column_slice (column, 5, 4);
        g_assert_true (setl_column_equal (inner, expected));
        g_assert_false (setl_column_equal (inner, slice));
      }
    }
}

static void
test_slice_values (void)
{
  g_autoptr(SetlColumn) strings = make_column (SETL_DATA_TYPE_STRING);
  g_autoptr(SetlColumn) slice = setl_column_slice (strings, 4, 3);
  g_autoptr(SetlColumn) empty = setl_column_slice (strings, 20, 5);
  g_autofree char *first = setl_column_dup_string (slice, 0);
  g_autofree char *last = setl_column_dup_string (slice, 2);

  g_assert_cmpstr (first, ==, "東京");
  g_assert_cmpstr (last, ==, "line\nbreak");
  g_assert_cmpint (setl_column_get_length (empty), ==, 0);
  g_assert_cmpint (setl_column_get_null_count (empty), ==, 0);

  {
    g_autoptr(SetlColumn) ints = make_column (SETL_DATA_TYPE_INT64);
    g_autoptr(SetlColumn) tail = setl_column_slice (ints, 8, -1);
    g_assert_cmpint (setl_column_get_length (tail), ==, 2);
    g_assert_cmpint (setl_column_get_int64 (tail, 1), ==, 9 * G_GINT64_CONSTANT (1000000000000) - 5);
  }
}

static void
test_equal (void)
{
  g_autoptr(SetlColumn) a = make_column (SETL_DATA_TYPE_DOUBLE);
  g_autoptr(SetlColumn) b = make_column (SETL_DATA_TYPE_DOUBLE);
  g_autoptr(SetlColumn) c = make_column (SETL_DATA_TYPE_INT64);
  g_autoptr(SetlColumnBuilder) builder = setl_column_builder_new (SETL_DATA_TYPE_DOUBLE);
  g_autoptr(SetlColumn) different = NULL;

  g_assert_true (setl_column_equal (a, b));
  g_assert_false (setl_column_equal (a, c));
  for (int i = 0; i < 10; i++)
    {
      if (i == 2 || i == 7)
        setl_column_builder_append_null (builder);
      else
        setl_column_builder_append_double (builder, i == 5 ? 0.0 : i * 1.5 - 3.25);
    }
  different = setl_column_builder_finish (builder, NULL);
  g_assert_false (setl_column_equal (a, different));
}

static void
test_wrong_type_is_programmer_error (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr(SetlColumnBuilder) builder = setl_column_builder_new (SETL_DATA_TYPE_INT64);
      setl_column_builder_append_string (builder, "x", -1);
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();
  g_test_trap_assert_stderr ("*data_type == SETL_DATA_TYPE_STRING*");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/table/data-type/names", test_data_type_names);
  g_test_add_func ("/table/field/properties", test_field);
  g_test_add_func ("/table/column/int64-with-nulls", test_int64_with_nulls);
  g_test_add_func ("/table/column/no-nulls-no-bitmap", test_no_nulls_no_bitmap);
  g_test_add_func ("/table/column/bool-bit-packed", test_bool_bit_packed);
  g_test_add_func ("/table/column/string-values", test_string_values);
  g_test_add_func ("/table/column/string-explicit-length", test_string_explicit_length);
  g_test_add_func ("/table/column/date-and-timestamp", test_date_and_timestamp);
  g_test_add_func ("/table/column/get-value", test_get_value);
  g_test_add_func ("/table/column/first-null-late", test_first_null_late);
  g_test_add_func ("/table/column/growth", test_growth);
  g_test_add_func ("/table/column/builder-reuse", test_builder_reuse);
  g_test_add_func ("/table/column/empty", test_empty_column);
  g_test_add_func ("/table/column/all-null-bool", test_all_null_bool);
  g_test_add_func ("/table/column/slice-shares-buffers", test_slice_shares_buffers);
  g_test_add_func ("/table/column/slice-values", test_slice_values);
  g_test_add_func ("/table/column/equal", test_equal);
  g_test_add_func ("/table/column/wrong-type-append", test_wrong_type_is_programmer_error);

  return g_test_run ();
}
