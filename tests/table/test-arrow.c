/* test-arrow.c: the Arrow C Data Interface — exported layouts checked
 * against the specification, round trips, release rules, streams.
 *
 * Run under ASan (see docs/data-model.md) to check that releasing frees
 * everything and that exported memory outlives the objects it came from.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <setl/setl.h>
#include <errno.h>
#include <string.h>

#include "table-test-util.h"

static const char *const words[] = { "", "a", NULL, "Zürich", "東京",
                                     "x,y\"z", "line\nbreak", NULL, "ß", NULL };

static gboolean
expected_null (SetlDataType type,
               int          row)
{
  return row == 2 || row == 7 || (type == SETL_DATA_TYPE_STRING && row == 9);
}

static const char *
expected_format (SetlDataType type)
{
  switch (type)
    {
    case SETL_DATA_TYPE_BOOL: return "b";
    case SETL_DATA_TYPE_INT64: return "l";
    case SETL_DATA_TYPE_DOUBLE: return "g";
    case SETL_DATA_TYPE_STRING: return "u";
    case SETL_DATA_TYPE_DATE32: return "tdD";
    case SETL_DATA_TYPE_TIMESTAMP: return "tsu:Europe/Paris";
    default: g_assert_not_reached ();
    }
}

/* Checks the exported value of @row (a row of make_column()) straight from
 * the raw Arrow buffers, as a foreign consumer would read it. */
static void
check_exported_value (SetlDataType             type,
                      const struct ArrowArray *array,
                      int                      row)
{
  gint64 i = array->offset + row;

  if (expected_null (type, row))
    return;
  switch (type)
    {
    case SETL_DATA_TYPE_BOOL:
      g_assert_cmpint (bitmap_bit (array->buffers[1], i), ==, row % 3 == 0);
      break;
    case SETL_DATA_TYPE_INT64:
      g_assert_cmpint (((const int64_t *) array->buffers[1])[i], ==, (gint64) row * 1000000000000 - 5);
      break;
    case SETL_DATA_TYPE_DOUBLE:
      g_assert_cmpfloat (((const double *) array->buffers[1])[i], ==, row * 1.5 - 3.25);
      break;
    case SETL_DATA_TYPE_STRING:
      {
        const int32_t *offsets = array->buffers[1];
        const char *data = array->buffers[2];
        gsize length = strlen (words[row]);

        g_assert_cmpint (offsets[i + 1] - offsets[i], ==, (int32_t) length);
        g_assert_true (memcmp (data + offsets[i], words[row], length) == 0);
      }
      break;
    case SETL_DATA_TYPE_DATE32:
      g_assert_cmpint (((const int32_t *) array->buffers[1])[i], ==, 19000 + row * 31 - 40000 * (row == 1));
      break;
    case SETL_DATA_TYPE_TIMESTAMP:
      g_assert_cmpint (((const int64_t *) array->buffers[1])[i], ==,
                       G_GINT64_CONSTANT (1700000000000000) + row * 1234567);
      break;
    }
}

static void
test_export_layout (void)
{
  for (int t = SETL_DATA_TYPE_BOOL; t <= SETL_DATA_TYPE_TIMESTAMP; t++)
    {
      SetlDataType type = (SetlDataType) t;
      SetlColumn *column = make_column (type);
      g_autoptr(SetlField) field = make_field (type);
      struct ArrowArray array = { 0 };
      struct ArrowSchema schema = { 0 };
      int n_nulls = 0;

      g_test_message ("type %s", setl_data_type_to_string (type));
      setl_column_export_to_c (column, field, &array, &schema);
      /* The export, not the column, keeps the buffers alive from now on. */
      g_object_unref (column);

      g_assert_cmpstr (schema.format, ==, expected_format (type));
      g_assert_cmpstr (schema.name, ==, setl_field_get_name (field));
      g_assert_null (schema.metadata);
      g_assert_cmpint (schema.flags, ==, ARROW_FLAG_NULLABLE);
      g_assert_cmpint (schema.n_children, ==, 0);
      g_assert_null (schema.dictionary);
      g_assert_nonnull (schema.release);

      g_assert_cmpint (array.length, ==, 10);
      g_assert_cmpint (array.offset, ==, 0);
      g_assert_cmpint (array.n_buffers, ==, type == SETL_DATA_TYPE_STRING ? 3 : 2);
      g_assert_cmpint (array.n_children, ==, 0);
      g_assert_null (array.dictionary);
      g_assert_nonnull (array.buffers[0]);
      g_assert_nonnull (array.buffers[1]);
      for (int row = 0; row < 10; row++)
        {
          /* Validity: LSB first, 1 = valid. */
          g_assert_cmpint (bitmap_bit (array.buffers[0], row), ==, !expected_null (type, row));
          n_nulls += expected_null (type, row);
          check_exported_value (type, &array, row);
        }
      g_assert_cmpint (array.null_count, ==, n_nulls);
      if (type == SETL_DATA_TYPE_STRING)
        {
          const int32_t *offsets = array.buffers[1];

          g_assert_cmpint (offsets[0], ==, 0);
          /* A null occupies an empty slot. */
          g_assert_cmpint (offsets[3], ==, offsets[2]);
          g_assert_cmpint (offsets[10], ==, offsets[9]);
        }

      array.release (&array);
      g_assert_null (array.release);
      schema.release (&schema);
      g_assert_null (schema.release);
    }
}

static void
test_export_flags_and_zones (void)
{
  g_autoptr(SetlColumn) stamps = make_column (SETL_DATA_TYPE_TIMESTAMP);
  g_autoptr(SetlField) naive = setl_field_new_timestamp ("t", FALSE, NULL);
  g_autoptr(SetlColumnBuilder) builder = setl_column_builder_new (SETL_DATA_TYPE_INT64);
  g_autoptr(SetlColumn) dense = NULL;
  struct ArrowArray array;
  struct ArrowSchema schema;

  setl_column_export_to_c (stamps, naive, &array, &schema);
  g_assert_cmpstr (schema.format, ==, "tsu:");
  g_assert_cmpint (schema.flags & ARROW_FLAG_NULLABLE, ==, 0);
  g_assert_cmpstr (schema.name, ==, "t");
  array.release (&array);
  schema.release (&schema);

  /* Without a field: nameless and nullable. */
  setl_column_export_to_c (stamps, NULL, &array, &schema);
  g_assert_cmpstr (schema.format, ==, "tsu:");
  g_assert_cmpstr (schema.name, ==, "");
  g_assert_cmpint (schema.flags, ==, ARROW_FLAG_NULLABLE);
  array.release (&array);
  schema.release (&schema);

  /* No nulls: the validity buffer may be, and is, NULL. */
  setl_column_builder_append_int64 (builder, 42);
  dense = setl_column_builder_finish (builder, NULL);
  setl_column_export_to_c (dense, NULL, &array, NULL);
  g_assert_null (array.buffers[0]);
  g_assert_cmpint (array.null_count, ==, 0);
  g_assert_cmpint (((const int64_t *) array.buffers[1])[0], ==, 42);
  array.release (&array);
}

static void
test_export_slice (void)
{
  for (int t = SETL_DATA_TYPE_BOOL; t <= SETL_DATA_TYPE_TIMESTAMP; t++)
    {
      SetlDataType type = (SetlDataType) t;
      g_autoptr(SetlColumn) column = make_column (type);
      g_autoptr(SetlColumn) slice = setl_column_slice (column, 3, 6);
      struct ArrowArray array;

      setl_column_export_to_c (slice, NULL, &array, NULL);
      g_assert_cmpint (array.offset, ==, 3);
      g_assert_cmpint (array.length, ==, 6);
      g_assert_cmpint (array.null_count, ==, 1);   /* row 7 */
      /* The buffers' bases, shared with the unsliced column. */
      for (guint b = 0; b < setl_column_get_n_buffers (column); b++)
        g_assert_true (array.buffers[b] == buffer_data (column, b));
      for (int row = 0; row < 6; row++)
        {
          g_assert_cmpint (bitmap_bit (array.buffers[0], array.offset + row), ==,
                           !expected_null (type, row + 3));
          /* check_exported_value() reads row + offset: shift it back. */
          if (!expected_null (type, row + 3))
            {
              struct ArrowArray unshifted = array;
              unshifted.offset = 0;
              check_exported_value (type, &unshifted, row + 3);
            }
        }
      array.release (&array);
    }
}

static void
test_column_round_trip (void)
{
  for (int t = SETL_DATA_TYPE_BOOL; t <= SETL_DATA_TYPE_TIMESTAMP; t++)
    {
      SetlDataType type = (SetlDataType) t;
      g_autoptr(SetlColumn) column = make_column (type);
      g_autoptr(SetlField) field = make_field (type);
      g_autoptr(SetlColumn) slice = setl_column_slice (column, 1, 8);
      g_autoptr(SetlColumn) back = NULL;
      g_autoptr(SetlColumn) back_slice = NULL;
      g_autoptr(SetlField) back_field = NULL;
      g_autoptr(GError) error = NULL;
      struct ArrowArray array;
      struct ArrowSchema schema;

      setl_column_export_to_c (column, field, &array, &schema);
      back = setl_column_import_from_c (&array, &schema, &back_field, &error);
      g_assert_no_error (error);
      /* Moved in, and the schema consumed. */
      g_assert_null (array.release);
      g_assert_null (schema.release);
      g_assert_true (setl_column_equal (back, column));
      g_assert_true (setl_field_equal (back_field, field));
      /* No copy on either side. */
      for (guint b = 0; b < setl_column_get_n_buffers (column); b++)
        g_assert_true (buffer_data (back, b) == buffer_data (column, b));

      setl_column_export_to_c (slice, field, &array, &schema);
      back_slice = setl_column_import_from_c (&array, &schema, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpint (setl_column_get_offset (back_slice), ==, 1);
      g_assert_cmpint (setl_column_get_null_count (back_slice), ==, setl_column_get_null_count (slice));
      g_assert_true (setl_column_equal (back_slice, slice));
    }
}

static void
test_batch_layout (void)
{
  g_autoptr(SetlRecordBatch) batch = make_batch ();
  struct ArrowArray array;
  struct ArrowSchema schema;

  setl_record_batch_export_to_c (batch, &array, &schema);

  g_assert_cmpstr (schema.format, ==, "+s");
  g_assert_cmpint (schema.n_children, ==, 6);
  g_assert_cmpint (array.n_children, ==, 6);
  g_assert_cmpint (array.length, ==, 10);
  g_assert_cmpint (array.null_count, ==, 0);
  g_assert_cmpint (array.offset, ==, 0);
  g_assert_cmpint (array.n_buffers, ==, 1);
  g_assert_null (array.buffers[0]);
  for (int t = 0; t < 6; t++)
    {
      struct ArrowSchema *child_schema = schema.children[t];
      struct ArrowArray *child = array.children[t];

      g_assert_cmpstr (child_schema->format, ==, expected_format ((SetlDataType) t));
      g_assert_cmpstr (child_schema->name, ==, setl_field_get_name (setl_record_batch_get_field (batch, t)));
      g_assert_cmpint (child_schema->flags, ==, ARROW_FLAG_NULLABLE);
      g_assert_cmpint (child->length, ==, 10);
      g_assert_cmpint (child->n_buffers, ==, t == SETL_DATA_TYPE_STRING ? 3 : 2);
      g_assert_nonnull (child->release);
      for (int row = 0; row < 10; row++)
        {
          g_assert_cmpint (bitmap_bit (child->buffers[0], row), ==, !expected_null ((SetlDataType) t, row));
          check_exported_value ((SetlDataType) t, child, row);
        }
    }

  /* The parent releases its children. */
  array.release (&array);
  g_assert_null (array.release);
  schema.release (&schema);
  g_assert_null (schema.release);
}

static void
test_batch_round_trip (void)
{
  g_autoptr(SetlRecordBatch) batch = make_batch ();
  g_autoptr(SetlRecordBatch) slice = setl_record_batch_slice (batch, 2, 7);
  g_autoptr(SetlRecordBatch) back = NULL;
  g_autoptr(SetlRecordBatch) back_slice = NULL;
  g_autoptr(GError) error = NULL;
  struct ArrowArray array;
  struct ArrowSchema schema;

  setl_record_batch_export_to_c (batch, &array, &schema);
  back = setl_record_batch_import_from_c (&array, &schema, &error);
  g_assert_no_error (error);
  g_assert_null (array.release);
  g_assert_true (setl_record_batch_equal (back, batch));
  g_assert_cmpstr (setl_field_get_timezone (setl_record_batch_get_field (back, 5)), ==, "Europe/Paris");
  for (guint c = 0; c < 6; c++)
    g_assert_true (buffer_data (setl_record_batch_get_column (back, c), 1) ==
                   buffer_data (setl_record_batch_get_column (batch, c), 1));

  setl_record_batch_export_to_c (slice, &array, &schema);
  back_slice = setl_record_batch_import_from_c (&array, &schema, &error);
  g_assert_no_error (error);
  g_assert_true (setl_record_batch_equal (back_slice, slice));
  g_assert_cmpint (setl_column_get_offset (setl_record_batch_get_column (back_slice, 3)), ==, 2);
}

static void
test_struct_parent_offset (void)
{
  g_autoptr(SetlRecordBatch) batch = make_batch ();
  g_autoptr(SetlRecordBatch) expected = setl_record_batch_slice (batch, 2, 5);
  g_autoptr(SetlRecordBatch) back = NULL;
  g_autoptr(GError) error = NULL;
  struct ArrowArray array;
  struct ArrowSchema schema;

  /* A producer may slice a struct array through the parent's offset: it
   * applies to every child on top of the child's own. */
  setl_record_batch_export_to_c (batch, &array, &schema);
  array.offset = 2;
  array.length = 5;
  back = setl_record_batch_import_from_c (&array, &schema, &error);
  g_assert_no_error (error);
  g_assert_cmpint (setl_record_batch_get_n_rows (back), ==, 5);
  g_assert_true (setl_record_batch_equal (back, expected));
}

static void
test_moved_child (void)
{
  g_autoptr(SetlRecordBatch) batch = make_batch ();
  struct ArrowArray array;
  struct ArrowSchema schema;
  struct ArrowArray child;
  struct ArrowSchema child_schema;

  setl_record_batch_export_to_c (batch, &array, &schema);
  g_clear_object (&batch);

  /* Move child 1 (int64) out, as the specification allows. */
  child = *array.children[1];
  array.children[1]->release = NULL;
  child_schema = *schema.children[1];
  schema.children[1]->release = NULL;

  array.release (&array);
  schema.release (&schema);

  /* The moved child survives its parent and its batch. */
  g_assert_nonnull (child.release);
  g_assert_cmpstr (child_schema.format, ==, "l");
  g_assert_cmpint (((const int64_t *) child.buffers[1])[9], ==, 9 * G_GINT64_CONSTANT (1000000000000) - 5);
  child.release (&child);
  g_assert_null (child.release);
  child_schema.release (&child_schema);
  g_assert_null (child_schema.release);
}

/* A foreign producer: its own buffers, its own release, counted. */
typedef struct {
  int *released;
  void *memory[3];
  const void *buffers[3];
} Foreign;

static void
foreign_release (struct ArrowArray *array)
{
  Foreign *foreign = array->private_data;

  (*foreign->released)++;
  for (int i = 0; i < 3; i++)
    g_free (foreign->memory[i]);
  g_free (foreign);
  array->release = NULL;
}

/* 16 int64 values i * 10, null where i % 4 == 1 (validity given or not). */
static void
make_foreign_int64 (struct ArrowArray *out,
                    int               *released,
                    gboolean           with_bitmap,
                    int64_t            null_count)
{
  Foreign *foreign = g_new0 (Foreign, 1);
  int64_t *values = g_new (int64_t, 16);
  guint8 *validity = g_new0 (guint8, 2);

  for (int i = 0; i < 16; i++)
    {
      values[i] = i * 10;
      if (i % 4 != 1)
        validity[i / 8] |= 1 << (i % 8);
    }
  foreign->released = released;
  foreign->memory[0] = validity;
  foreign->memory[1] = values;
  foreign->buffers[0] = with_bitmap ? validity : NULL;
  foreign->buffers[1] = values;
  *out = (struct ArrowArray) {
    .length = 16, .null_count = null_count, .offset = 0,
    .n_buffers = 2, .n_children = 0, .buffers = foreign->buffers,
    .release = foreign_release, .private_data = foreign,
  };
}

static void
static_schema_release (struct ArrowSchema *schema)
{
  (*(int *) schema->private_data)++;
  schema->release = NULL;
}

static struct ArrowSchema
static_schema (const char *format,
               const char *name,
               int        *released)
{
  return (struct ArrowSchema) {
    .format = format, .name = name, .flags = ARROW_FLAG_NULLABLE,
    .release = static_schema_release, .private_data = released,
  };
}

static void
test_import_keeps_producer_alive (void)
{
  int released = 0, schema_released = 0;
  struct ArrowArray array;
  struct ArrowSchema schema = static_schema ("l", "n", &schema_released);
  g_autoptr(GError) error = NULL;
  SetlColumn *column;
  SetlColumn *slice;

  /* null_count -1: unknown, to be counted by the consumer. */
  make_foreign_int64 (&array, &released, TRUE, -1);
  column = setl_column_import_from_c (&array, &schema, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (array.release);
  g_assert_cmpint (schema_released, ==, 1);
  g_assert_cmpint (released, ==, 0);
  g_assert_cmpint (setl_column_get_null_count (column), ==, 4);
  g_assert_true (setl_column_is_null (column, 5));
  g_assert_cmpint (setl_column_get_int64 (column, 6), ==, 60);

  slice = setl_column_slice (column, 8, 4);
  g_object_unref (column);
  g_assert_cmpint (released, ==, 0);
  g_assert_cmpint (setl_column_get_int64 (slice, 3), ==, 110);
  g_object_unref (slice);
  /* The last user gone, the producer's release runs, once. */
  g_assert_cmpint (released, ==, 1);
}

static void
test_import_errors (void)
{
  int released = 0, schema_released = 0;
  struct ArrowArray array;
  struct ArrowSchema schema;
  g_autoptr(GError) error = NULL;

  /* A type libsetl does not hold: refused, and both structs consumed. */
  make_foreign_int64 (&array, &released, TRUE, 4);
  schema = static_schema ("i", "small", &schema_released);
  g_assert_null (setl_column_import_from_c (&array, &schema, NULL, &error));
  g_assert_error (error, SETL_DATA_ERROR, SETL_DATA_ERROR_UNSUPPORTED);
  g_assert_nonnull (strstr (error->message, "“small”"));
  g_assert_nonnull (strstr (error->message, "“i”"));
  g_assert_cmpint (released, ==, 1);
  g_assert_cmpint (schema_released, ==, 1);
  g_assert_null (array.release);
  g_clear_error (&error);

  /* Nulls announced but no bitmap. */
  make_foreign_int64 (&array, &released, FALSE, 4);
  schema = static_schema ("l", "n", &schema_released);
  g_assert_null (setl_column_import_from_c (&array, &schema, NULL, &error));
  g_assert_error (error, SETL_DATA_ERROR, SETL_DATA_ERROR_ARROW);
  g_assert_nonnull (strstr (error->message, "no validity bitmap"));
  g_assert_cmpint (released, ==, 2);
  g_clear_error (&error);

  /* Wrong number of buffers for the type. */
  make_foreign_int64 (&array, &released, TRUE, 4);
  schema = static_schema ("u", "s", &schema_released);
  g_assert_null (setl_column_import_from_c (&array, &schema, NULL, &error));
  g_assert_error (error, SETL_DATA_ERROR, SETL_DATA_ERROR_ARROW);
  g_assert_cmpint (released, ==, 3);
  g_clear_error (&error);

  /* Already released. */
  schema = static_schema ("l", "n", &schema_released);
  g_assert_null (setl_column_import_from_c (&array, &schema, NULL, &error));
  g_assert_error (error, SETL_DATA_ERROR, SETL_DATA_ERROR_ARROW);
  g_assert_nonnull (strstr (error->message, "already released"));
  g_assert_cmpint (released, ==, 3);
  g_assert_null (schema.release);
  g_clear_error (&error);
}

static void
test_import_bad_offsets (void)
{
  g_autoptr(SetlColumn) strings = make_column (SETL_DATA_TYPE_STRING);
  g_autofree int32_t *offsets = NULL;
  const void *buffers[3];
  struct ArrowArray array;
  struct ArrowSchema schema;
  struct ArrowArray exported;
  g_autoptr(GError) error = NULL;
  int schema_released = 0;

  /* A copy of a valid export with its offsets made to go backwards. */
  setl_column_export_to_c (strings, NULL, &exported, NULL);
  offsets = g_memdup2 (exported.buffers[1], 11 * sizeof (int32_t));
  offsets[5] = offsets[4] - 1;
  memcpy (buffers, exported.buffers, sizeof buffers);
  buffers[1] = offsets;
  array = exported;
  array.buffers = buffers;
  schema = static_schema ("u", "s", &schema_released);

  g_assert_null (setl_column_import_from_c (&array, &schema, NULL, &error));
  g_assert_error (error, SETL_DATA_ERROR, SETL_DATA_ERROR_ARROW);
  g_assert_nonnull (strstr (error->message, "decreasing string offsets at row 4"));
  /* The import released the array: the export's own release ran. */
  g_assert_null (array.release);
}

static void
test_import_non_nullable_with_nulls (void)
{
  g_autoptr(SetlRecordBatch) batch = make_batch ();
  g_autoptr(GError) error = NULL;
  struct ArrowArray array;
  struct ArrowSchema schema;

  setl_record_batch_export_to_c (batch, &array, &schema);
  /* A producer that says "not nullable" and still sends nulls. */
  schema.children[1]->flags = 0;
  g_assert_null (setl_record_batch_import_from_c (&array, &schema, &error));
  g_assert_error (error, SETL_DATA_ERROR, SETL_DATA_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "“int64” is not nullable"));
  g_assert_null (array.release);
  g_assert_null (schema.release);
}

static SetlTable *
make_table (void)
{
  g_autoptr(SetlRecordBatch) batch = make_batch ();
  g_autoptr(SetlRecordBatch) first = setl_record_batch_slice (batch, 0, 3);
  g_autoptr(SetlRecordBatch) second = setl_record_batch_slice (batch, 3, 5);
  g_autoptr(SetlRecordBatch) third = setl_record_batch_slice (batch, 8, 2);
  SetlRecordBatch *batches[] = { first, second, third };
  g_autoptr(GError) error = NULL;
  guint n_fields;
  SetlField **fields = setl_record_batch_get_fields (batch, &n_fields);
  SetlTable *table = setl_table_new (fields, n_fields, batches, 3, &error);

  g_assert_no_error (error);
  return table;
}

static void
test_stream_consumer (void)
{
  SetlTable *table = make_table ();
  struct ArrowArrayStream stream;
  struct ArrowSchema schema;
  struct ArrowArray arrays[3];
  struct ArrowArray end;
  gint64 expected_lengths[] = { 3, 5, 2 };

  setl_table_export_to_c_stream (table, &stream);
  g_object_unref (table);

  g_assert_cmpint (stream.get_schema (&stream, &schema), ==, 0);
  g_assert_cmpstr (schema.format, ==, "+s");
  g_assert_cmpint (schema.n_children, ==, 6);
  g_assert_cmpstr (schema.children[5]->format, ==, "tsu:Europe/Paris");
  schema.release (&schema);

  for (int i = 0; i < 3; i++)
    {
      g_assert_cmpint (stream.get_next (&stream, &arrays[i]), ==, 0);
      g_assert_nonnull (arrays[i].release);
      g_assert_cmpint (arrays[i].length, ==, expected_lengths[i]);
      g_assert_cmpint (arrays[i].n_children, ==, 6);
    }
  g_assert_cmpint (arrays[1].children[0]->offset, ==, 3);
  /* The end of the stream is a released array. */
  g_assert_cmpint (stream.get_next (&stream, &end), ==, 0);
  g_assert_null (end.release);

  stream.release (&stream);
  g_assert_null (stream.release);

  /* Arrays outlive the stream and the table. */
  {
    /* Row 1 of the second batch is row 4 of the original column. */
    struct ArrowArray unshifted = *arrays[1].children[3];
    unshifted.offset = 0;
    check_exported_value (SETL_DATA_TYPE_STRING, &unshifted, 4);
    g_assert_cmpint (arrays[1].children[3]->offset, ==, 3);
  }
  g_assert_cmpint (bitmap_bit (arrays[2].children[2]->buffers[0], arrays[2].children[2]->offset + 0), ==, 1);
  for (int i = 0; i < 3; i++)
    {
      arrays[i].release (&arrays[i]);
      g_assert_null (arrays[i].release);
    }
}

static void
test_stream_round_trip (void)
{
  g_autoptr(SetlTable) table = make_table ();
  g_autoptr(SetlTable) back = NULL;
  g_autoptr(SetlTable) empty = NULL;
  g_autoptr(SetlTable) empty_back = NULL;
  g_autoptr(GError) error = NULL;
  struct ArrowArrayStream stream;

  setl_table_export_to_c_stream (table, &stream);
  back = setl_table_import_from_c_stream (&stream, &error);
  g_assert_no_error (error);
  g_assert_null (stream.release);
  g_assert_cmpuint (setl_table_get_n_batches (back), ==, 3);
  g_assert_true (setl_table_equal (back, table));
  g_assert_true (buffer_data (setl_record_batch_get_column (setl_table_get_batch (back, 2), 3), 2) ==
                 buffer_data (setl_record_batch_get_column (setl_table_get_batch (table, 0), 3), 2));

  /* A table without batches keeps its fields. */
  empty = setl_table_slice (table, 10, 5);
  setl_table_export_to_c_stream (empty, &stream);
  empty_back = setl_table_import_from_c_stream (&stream, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (setl_table_get_n_batches (empty_back), ==, 0);
  g_assert_cmpuint (setl_table_get_n_columns (empty_back), ==, 6);
  g_assert_true (setl_table_equal (empty_back, empty));
}

/* A foreign stream whose second batch fails. */
typedef struct {
  SetlRecordBatch *batch;
  int calls;
  int *released;
} FailingStream;

static int
failing_get_schema (struct ArrowArrayStream *stream,
                    struct ArrowSchema      *out)
{
  FailingStream *priv = stream->private_data;
  struct ArrowArray unused;

  setl_record_batch_export_to_c (priv->batch, &unused, out);
  unused.release (&unused);
  return 0;
}

static int
failing_get_next (struct ArrowArrayStream *stream,
                  struct ArrowArray       *out)
{
  FailingStream *priv = stream->private_data;

  if (priv->calls++ > 0)
    return EIO;
  setl_record_batch_export_to_c (priv->batch, out, NULL);
  return 0;
}

static const char *
failing_get_last_error (struct ArrowArrayStream *stream)
{
  return "disk on fire";
}

static void
failing_release (struct ArrowArrayStream *stream)
{
  FailingStream *priv = stream->private_data;

  (*priv->released)++;
  g_object_unref (priv->batch);
  g_free (priv);
  stream->release = NULL;
}

static void
test_stream_import_error (void)
{
  FailingStream *priv = g_new0 (FailingStream, 1);
  int released = 0;
  struct ArrowArrayStream stream = {
    .get_schema = failing_get_schema, .get_next = failing_get_next,
    .get_last_error = failing_get_last_error, .release = failing_release,
    .private_data = priv,
  };
  g_autoptr(GError) error = NULL;

  priv->batch = make_batch ();
  priv->released = &released;

  g_assert_null (setl_table_import_from_c_stream (&stream, &error));
  g_assert_error (error, SETL_DATA_ERROR, SETL_DATA_ERROR_ARROW);
  g_assert_nonnull (strstr (error->message, "batch 1"));
  g_assert_nonnull (strstr (error->message, "disk on fire"));
  g_assert_cmpint (released, ==, 1);
  g_assert_null (stream.release);
}

static void
test_address_variants (void)
{
  g_autoptr(SetlTable) table = make_table ();
  g_autoptr(SetlTable) back = NULL;
  g_autoptr(SetlRecordBatch) batch = make_batch ();
  g_autoptr(SetlRecordBatch) batch_back = NULL;
  g_autoptr(GError) error = NULL;
  struct ArrowArrayStream *stream = g_new0 (struct ArrowArrayStream, 1);
  struct ArrowArray *array = g_new0 (struct ArrowArray, 1);
  struct ArrowSchema *schema = g_new0 (struct ArrowSchema, 1);

  setl_table_export_to_c_stream_address (table, (guintptr) stream);
  back = setl_table_import_from_c_stream_address ((guintptr) stream, &error);
  g_assert_no_error (error);
  g_assert_true (setl_table_equal (back, table));

  setl_record_batch_export_to_c_address (batch, (guintptr) array, (guintptr) schema);
  batch_back = setl_record_batch_import_from_c_address ((guintptr) array, (guintptr) schema, &error);
  g_assert_no_error (error);
  g_assert_true (setl_record_batch_equal (batch_back, batch));

  g_free (stream);
  g_free (array);
  g_free (schema);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/table/arrow/export-layout", test_export_layout);
  g_test_add_func ("/table/arrow/export-flags-and-zones", test_export_flags_and_zones);
  g_test_add_func ("/table/arrow/export-slice", test_export_slice);
  g_test_add_func ("/table/arrow/column-round-trip", test_column_round_trip);
  g_test_add_func ("/table/arrow/batch-layout", test_batch_layout);
  g_test_add_func ("/table/arrow/batch-round-trip", test_batch_round_trip);
  g_test_add_func ("/table/arrow/struct-parent-offset", test_struct_parent_offset);
  g_test_add_func ("/table/arrow/moved-child", test_moved_child);
  g_test_add_func ("/table/arrow/import-keeps-producer-alive", test_import_keeps_producer_alive);
  g_test_add_func ("/table/arrow/import-errors", test_import_errors);
  g_test_add_func ("/table/arrow/import-bad-offsets", test_import_bad_offsets);
  g_test_add_func ("/table/arrow/import-non-nullable-with-nulls", test_import_non_nullable_with_nulls);
  g_test_add_func ("/table/arrow/stream-consumer", test_stream_consumer);
  g_test_add_func ("/table/arrow/stream-round-trip", test_stream_round_trip);
  g_test_add_func ("/table/arrow/stream-import-error", test_stream_import_error);
  g_test_add_func ("/table/arrow/address-variants", test_address_variants);

  return g_test_run ();
}
