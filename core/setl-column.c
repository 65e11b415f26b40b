/* setl-column.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/**
 * SetlColumn:
 *
 * An immutable column of values of one #SetlDataType, laid out in memory
 * exactly as an Arrow array:
 *
 * - buffer 0, the validity bitmap: one bit per value, least significant bit
 *   first, 1 for a value and 0 for a null; absent (%NULL) when the column
 *   has no nulls;
 * - buffer 1, the values: bit-packed booleans (LSB first), or 64-bit
 *   integers, doubles, 32-bit dates or 64-bit timestamps, one after the
 *   other; for strings, the 32-bit offsets (length + 1 of them) into
 *   buffer 2;
 * - buffer 2, for strings only: the UTF-8 bytes of all values, end to end.
 *
 * A column is a window of @length values starting at @offset into these
 * buffers, so that setl_column_slice() only makes a new window onto the same
 * buffers. Buffers are #GBytes: shared, reference counted and never
 * written once the column exists, which is why columns, record batches and
 * tables are passed by reference between factories and threads without
 * copies or locks.
 *
 * Columns are built with a #SetlColumnBuilder, or imported through the Arrow
 * C Data Interface (setl_column_import_from_c()).
 *
 * The per-row accessors (setl_column_get_int64() and friends) check their
 * arguments; vectorised code reads the buffers directly through
 * setl_column_get_values_data() and setl_column_get_validity_bitmap(),
 * adding setl_column_get_offset() itself, as Arrow consumers do.
 */
#include "setl-column.h"
#include "setl-table-private.h"

#include <string.h>

struct _SetlColumn
{
  GObject parent_instance;

  SetlDataType data_type;
  gint64 length;
  gint64 offset;
  gint64 null_count;

  GBytes *buffers[3];

  /* The buffers' bases, cached: the accessors are on hot paths. */
  const guint8 *validity;
  const guint8 *values;
  const char *data;
};

G_DEFINE_FINAL_TYPE (SetlColumn, setl_column, G_TYPE_OBJECT)

static void
setl_column_finalize (GObject *object)
{
  SetlColumn *self = SETL_COLUMN (object);

  for (guint i = 0; i < G_N_ELEMENTS (self->buffers); i++)
    g_clear_pointer (&self->buffers[i], g_bytes_unref);

  G_OBJECT_CLASS (setl_column_parent_class)->finalize (object);
}

static void
setl_column_class_init (SetlColumnClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = setl_column_finalize;
}

static void
setl_column_init (SetlColumn *self)
{
}

static inline gboolean
bit_is_set (const guint8 *bits,
            gint64        index)
{
  return (bits[index >> 3] >> (index & 7)) & 1;
}

gint64
_setl_bitmap_count_set (const guint8 *bits,
                        gint64        offset,
                        gint64        length)
{
  gint64 count = 0;
  gint64 i = offset;
  gint64 end = offset + length;

  /* Bit by bit up to a byte boundary, then 64 bits at a time. */
  while (i < end && (i & 7) != 0)
    count += bit_is_set (bits, i++);
  while (end - i >= 64)
    {
      guint64 word;

      memcpy (&word, bits + (i >> 3), sizeof word);
      count += __builtin_popcountll (word);
      i += 64;
    }
  while (i < end)
    count += bit_is_set (bits, i++);

  return count;
}

SetlColumn *
_setl_column_new_take (SetlDataType  data_type,
                       gint64        length,
                       gint64        offset,
                       gint64        null_count,
                       GBytes       *validity,
                       GBytes       *values,
                       GBytes       *data)
{
  SetlColumn *self = g_object_new (SETL_TYPE_COLUMN, NULL);

  self->data_type = data_type;
  self->length = length;
  self->offset = offset;
  self->buffers[0] = validity;
  self->buffers[1] = values;
  self->buffers[2] = data;
  self->validity = validity ? g_bytes_get_data (validity, NULL) : NULL;
  self->values = values ? g_bytes_get_data (values, NULL) : NULL;
  self->data = data ? g_bytes_get_data (data, NULL) : NULL;

  if (self->validity == NULL)
    null_count = 0;
  else if (null_count < 0)
    null_count = length - _setl_bitmap_count_set (self->validity, offset, length);
  self->null_count = null_count;

  return self;
}

/**
 * setl_column_get_data_type:
 * @self: a #SetlColumn
 *
 * Returns: the type of the column's values
 */
SetlDataType
setl_column_get_data_type (SetlColumn *self)
{
  g_return_val_if_fail (SETL_IS_COLUMN (self), SETL_DATA_TYPE_STRING);
  return self->data_type;
}

/**
 * setl_column_get_length:
 * @self: a #SetlColumn
 *
 * Returns: the number of values (nulls included)
 */
gint64
setl_column_get_length (SetlColumn *self)
{
  g_return_val_if_fail (SETL_IS_COLUMN (self), 0);
  return self->length;
}

/**
 * setl_column_get_offset:
 * @self: a #SetlColumn
 *
 * The index, in its buffers, of the column's first value: 0 for a column
 * fresh from a builder, more for a slice. Code that reads the buffers
 * directly adds it to every row index (in bits for the bitmaps).
 *
 * Returns: the offset of the first value in the buffers
 */
gint64
setl_column_get_offset (SetlColumn *self)
{
  g_return_val_if_fail (SETL_IS_COLUMN (self), 0);
  return self->offset;
}

/**
 * setl_column_get_null_count:
 * @self: a #SetlColumn
 *
 * Returns: the number of nulls
 */
gint64
setl_column_get_null_count (SetlColumn *self)
{
  g_return_val_if_fail (SETL_IS_COLUMN (self), 0);
  return self->null_count;
}

#define CHECK_ROW(self, row, val) \
  G_STMT_START { \
    g_return_val_if_fail (SETL_IS_COLUMN (self), val); \
    g_return_val_if_fail ((row) >= 0 && (row) < (self)->length, val); \
  } G_STMT_END

#define CHECK_TYPED_ROW(self, row, type, val) \
  G_STMT_START { \
    CHECK_ROW (self, row, val); \
    g_return_val_if_fail ((self)->data_type == (type), val); \
  } G_STMT_END

/**
 * setl_column_is_null:
 * @self: a #SetlColumn
 * @row: a row index, below the column's length
 *
 * Returns: whether the value at @row is null
 */
gboolean
setl_column_is_null (SetlColumn *self,
                     gint64      row)
{
  CHECK_ROW (self, row, TRUE);
  return self->validity != NULL && !bit_is_set (self->validity, self->offset + row);
}

/**
 * setl_column_get_bool:
 * @self: a bool #SetlColumn
 * @row: a row index, below the column's length
 *
 * Returns: the value at @row (%FALSE for a null)
 */
gboolean
setl_column_get_bool (SetlColumn *self,
                      gint64      row)
{
  CHECK_TYPED_ROW (self, row, SETL_DATA_TYPE_BOOL, FALSE);
  return bit_is_set (self->values, self->offset + row);
}

/**
 * setl_column_get_int64:
 * @self: an int64 #SetlColumn
 * @row: a row index, below the column's length
 *
 * Returns: the value at @row (0 for a null)
 */
gint64
setl_column_get_int64 (SetlColumn *self,
                       gint64      row)
{
  CHECK_TYPED_ROW (self, row, SETL_DATA_TYPE_INT64, 0);
  return ((const gint64 *) self->values)[self->offset + row];
}

/**
 * setl_column_get_double:
 * @self: a double #SetlColumn
 * @row: a row index, below the column's length
 *
 * Returns: the value at @row (0 for a null)
 */
double
setl_column_get_double (SetlColumn *self,
                        gint64      row)
{
  CHECK_TYPED_ROW (self, row, SETL_DATA_TYPE_DOUBLE, 0.);
  return ((const double *) self->values)[self->offset + row];
}

/**
 * setl_column_get_string:
 * @self: a string #SetlColumn
 * @row: a row index, below the column's length
 * @length: (out): the value's length in bytes
 *
 * Gives the value at @row in place, without a copy. The bytes are **not**
 * nul-terminated: the next value follows them directly. Use @length, or
 * setl_column_dup_string() for a C string.
 *
 * Returns: (transfer none) (array length=length) (element-type guint8):
 *   the value's bytes, valid as long as @self is; an empty value for a null
 */
const char *
setl_column_get_string (SetlColumn *self,
                        gint64      row,
                        gsize      *length)
{
  const gint32 *offsets;
  gint64 i;

  CHECK_TYPED_ROW (self, row, SETL_DATA_TYPE_STRING, NULL);
  g_return_val_if_fail (length != NULL, NULL);

  offsets = (const gint32 *) self->values;
  i = self->offset + row;
  *length = (gsize) (offsets[i + 1] - offsets[i]);
  /* An empty string column may have no data buffer at all. */
  return self->data ? self->data + offsets[i] : "";
}

/**
 * setl_column_dup_string:
 * @self: a string #SetlColumn
 * @row: a row index, below the column's length
 *
 * Returns: (transfer full) (nullable): a nul-terminated copy of the value
 *   at @row, or %NULL for a null
 */
char *
setl_column_dup_string (SetlColumn *self,
                        gint64      row)
{
  const char *value;
  gsize length;

  CHECK_TYPED_ROW (self, row, SETL_DATA_TYPE_STRING, NULL);

  if (setl_column_is_null (self, row))
    return NULL;
  value = setl_column_get_string (self, row, &length);
  return g_strndup (value, length);
}

/**
 * setl_column_get_date32:
 * @self: a date32 #SetlColumn
 * @row: a row index, below the column's length
 *
 * Returns: the value at @row in days since 1970-01-01 (0 for a null)
 */
gint32
setl_column_get_date32 (SetlColumn *self,
                        gint64      row)
{
  CHECK_TYPED_ROW (self, row, SETL_DATA_TYPE_DATE32, 0);
  return ((const gint32 *) self->values)[self->offset + row];
}

/**
 * setl_column_get_timestamp:
 * @self: a timestamp #SetlColumn
 * @row: a row index, below the column's length
 *
 * Returns: the value at @row in microseconds since 1970-01-01 00:00:00 UTC
 *   (0 for a null)
 */
gint64
setl_column_get_timestamp (SetlColumn *self,
                           gint64      row)
{
  CHECK_TYPED_ROW (self, row, SETL_DATA_TYPE_TIMESTAMP, 0);
  return ((const gint64 *) self->values)[self->offset + row];
}

/**
 * setl_column_get_value:
 * @self: a #SetlColumn
 * @row: a row index, below the column's length
 * @value: (out caller-allocates): an uninitialised #GValue
 *
 * Gives the value at @row as a #GValue, for generic code and bindings:
 * a %G_TYPE_BOOLEAN, a %G_TYPE_INT64 (int64 and timestamp), a
 * %G_TYPE_DOUBLE, a %G_TYPE_STRING or a %G_TYPE_INT (date32).
 *
 * Returns: %FALSE, leaving @value uninitialised, if the value is null
 */
gboolean
setl_column_get_value (SetlColumn *self,
                       gint64      row,
                       GValue     *value)
{
  CHECK_ROW (self, row, FALSE);
  g_return_val_if_fail (value != NULL && !G_IS_VALUE (value), FALSE);

  if (setl_column_is_null (self, row))
    return FALSE;

  switch (self->data_type)
    {
    case SETL_DATA_TYPE_BOOL:
      g_value_init (value, G_TYPE_BOOLEAN);
      g_value_set_boolean (value, setl_column_get_bool (self, row));
      break;
    case SETL_DATA_TYPE_INT64:
      g_value_init (value, G_TYPE_INT64);
      g_value_set_int64 (value, setl_column_get_int64 (self, row));
      break;
    case SETL_DATA_TYPE_DOUBLE:
      g_value_init (value, G_TYPE_DOUBLE);
      g_value_set_double (value, setl_column_get_double (self, row));
      break;
    case SETL_DATA_TYPE_STRING:
      g_value_init (value, G_TYPE_STRING);
      g_value_take_string (value, setl_column_dup_string (self, row));
      break;
    case SETL_DATA_TYPE_DATE32:
      g_value_init (value, G_TYPE_INT);
      g_value_set_int (value, setl_column_get_date32 (self, row));
      break;
    case SETL_DATA_TYPE_TIMESTAMP:
      g_value_init (value, G_TYPE_INT64);
      g_value_set_int64 (value, setl_column_get_timestamp (self, row));
      break;
    default:
      g_return_val_if_reached (FALSE);
    }
  return TRUE;
}

/**
 * setl_column_get_n_buffers:
 * @self: a #SetlColumn
 *
 * Returns: the number of buffers of the column's Arrow layout: 3 for
 *   strings (validity, offsets, data), 2 for the others (validity, values)
 */
guint
setl_column_get_n_buffers (SetlColumn *self)
{
  g_return_val_if_fail (SETL_IS_COLUMN (self), 0);
  return self->data_type == SETL_DATA_TYPE_STRING ? 3 : 2;
}

/**
 * setl_column_get_buffer:
 * @self: a #SetlColumn
 * @index: a buffer index, below setl_column_get_n_buffers()
 *
 * Gives one of the buffers the column is a window onto. Slices and
 * projections of a column return the very same #GBytes.
 *
 * Returns: (transfer none) (nullable): the buffer, or %NULL for an absent
 *   validity bitmap
 */
GBytes *
setl_column_get_buffer (SetlColumn *self,
                        guint       index)
{
  g_return_val_if_fail (SETL_IS_COLUMN (self), NULL);
  g_return_val_if_fail (index < setl_column_get_n_buffers (self), NULL);
  return self->buffers[index];
}

/**
 * setl_column_get_validity_bitmap: (skip)
 * @self: a #SetlColumn
 *
 * Returns: the base of the validity bitmap (bit setl_column_get_offset() +
 *   row, least significant bit first, is the row's), or %NULL if the column
 *   has no nulls
 */
const guint8 *
setl_column_get_validity_bitmap (SetlColumn *self)
{
  g_return_val_if_fail (SETL_IS_COLUMN (self), NULL);
  return self->validity;
}

/**
 * setl_column_get_values_data: (skip)
 * @self: a #SetlColumn
 *
 * Gives the base of buffer 1: the values (`const gint64 *`, `const double *`,
 * `const gint32 *` for dates, bits for booleans) or, for strings, the
 * `const gint32 *` offsets. Element setl_column_get_offset() + row is the
 * row's.
 *
 * Returns: the base of the values or offsets buffer
 */
gconstpointer
setl_column_get_values_data (SetlColumn *self)
{
  g_return_val_if_fail (SETL_IS_COLUMN (self), NULL);
  return self->values;
}

/**
 * setl_column_get_string_data: (skip)
 * @self: a string #SetlColumn
 *
 * Returns: the base of the bytes the offsets point into (possibly %NULL
 *   when all values are empty)
 */
const char *
setl_column_get_string_data (SetlColumn *self)
{
  g_return_val_if_fail (SETL_IS_COLUMN (self), NULL);
  g_return_val_if_fail (self->data_type == SETL_DATA_TYPE_STRING, NULL);
  return self->data;
}

/**
 * setl_column_get_byte_size:
 * @self: a #SetlColumn
 *
 * The memory the column keeps alive: the whole of its buffers, which a
 * small slice shares with the column it came from.
 *
 * Returns: the size of the column's buffers, in bytes
 */
gsize
setl_column_get_byte_size (SetlColumn *self)
{
  gsize size = 0;

  g_return_val_if_fail (SETL_IS_COLUMN (self), 0);

  for (guint i = 0; i < G_N_ELEMENTS (self->buffers); i++)
    if (self->buffers[i] != NULL)
      size += g_bytes_get_size (self->buffers[i]);
  return size;
}

/**
 * setl_column_slice:
 * @self: a #SetlColumn
 * @offset: the first row of the slice
 * @length: the number of rows, or -1 for all rows from @offset
 *
 * Makes a window onto @self's buffers, without copying any value. Out of
 * range bounds are clamped to the column, as Python's slices are.
 *
 * Returns: (transfer full): the rows [@offset, @offset + @length) of @self
 */
SetlColumn *
setl_column_slice (SetlColumn *self,
                   gint64      offset,
                   gint64      length)
{
  g_return_val_if_fail (SETL_IS_COLUMN (self), NULL);
  g_return_val_if_fail (offset >= 0, NULL);

  offset = MIN (offset, self->length);
  if (length < 0 || length > self->length - offset)
    length = self->length - offset;

  return _setl_column_new_take (self->data_type, length, self->offset + offset,
                                self->null_count == 0 ? 0 : -1,
                                self->buffers[0] ? g_bytes_ref (self->buffers[0]) : NULL,
                                self->buffers[1] ? g_bytes_ref (self->buffers[1]) : NULL,
                                self->buffers[2] ? g_bytes_ref (self->buffers[2]) : NULL);
}

gboolean
_setl_column_value_equal (SetlColumn *a,
                          gint64      i,
                          SetlColumn *b,
                          gint64      j)
{
  gboolean a_null = setl_column_is_null (a, i);
  gboolean b_null = setl_column_is_null (b, j);

  if (a_null || b_null)
    return a_null == b_null;

  switch (a->data_type)
    {
    case SETL_DATA_TYPE_BOOL:
      return setl_column_get_bool (a, i) == setl_column_get_bool (b, j);
    case SETL_DATA_TYPE_INT64:
    case SETL_DATA_TYPE_TIMESTAMP:
      return ((const gint64 *) a->values)[a->offset + i] ==
             ((const gint64 *) b->values)[b->offset + j];
    case SETL_DATA_TYPE_DOUBLE:
      {
        double x = setl_column_get_double (a, i);
        double y = setl_column_get_double (b, j);
        /* Values, not arithmetic: a NaN read back is the NaN written. */
        return x == y || (x != x && y != y);
      }
    case SETL_DATA_TYPE_STRING:
      {
        gsize la, lb;
        const char *sa = setl_column_get_string (a, i, &la);
        const char *sb = setl_column_get_string (b, j, &lb);
        return la == lb && memcmp (sa, sb, la) == 0;
      }
    case SETL_DATA_TYPE_DATE32:
      return setl_column_get_date32 (a, i) == setl_column_get_date32 (b, j);
    default:
      g_return_val_if_reached (FALSE);
    }
}

/**
 * setl_column_equal:
 * @a: a #SetlColumn
 * @b: another #SetlColumn
 *
 * Compares values, not memory: a slice equals a column built with the same
 * values, whatever its offset.
 *
 * Returns: whether @a and @b have the same type, length, nulls and values
 */
gboolean
setl_column_equal (SetlColumn *a,
                   SetlColumn *b)
{
  g_return_val_if_fail (SETL_IS_COLUMN (a), FALSE);
  g_return_val_if_fail (SETL_IS_COLUMN (b), FALSE);

  if (a->data_type != b->data_type || a->length != b->length ||
      a->null_count != b->null_count)
    return FALSE;
  for (gint64 i = 0; i < a->length; i++)
    if (!_setl_column_value_equal (a, i, b, i))
      return FALSE;
  return TRUE;
}
