/* setl-column-builder.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/**
 * SetlColumnBuilder:
 *
 * Makes a #SetlColumn one value at a time, as sources do while they parse:
 *
 * |[<!-- language="C" -->
 * g_autoptr(SetlColumnBuilder) b = setl_column_builder_new (SETL_DATA_TYPE_STRING);
 * setl_column_builder_append_string (b, "Paris", -1);
 * setl_column_builder_append_null (b);
 * setl_column_builder_append_string (b, line + start, end - start);
 * g_autoptr(SetlColumn) city = setl_column_builder_finish (b, &error);
 * ]|
 *
 * Buffers grow by doubling, so appending is amortised constant time; they
 * are 64-byte aligned and zero-padded to a multiple of 64 bytes, as Arrow
 * recommends. The validity bitmap is only made once a null is appended: a
 * column without nulls has none.
 *
 * A source that parses a batch into arrays of its own can hand them over in
 * one call per column with setl_column_builder_append_values() and
 * setl_column_builder_append_strings() (C only): the same column, without
 * one checked call per value.
 *
 * setl_column_builder_finish() hands the buffers over to the column without
 * copying them and leaves the builder empty, ready for the next batch.
 *
 * Appending a value of the wrong type is a programmer error. Overflowing a
 * string column's 32-bit offsets (2 GiB of text in one column) is not: the
 * builder remembers it and setl_column_builder_finish() fails with
 * %SETL_DATA_ERROR_OVERFLOW — cut batches smaller.
 */
#include "setl-column-builder.h"
#include "setl-table-private.h"

#include <string.h>

typedef struct {
  guint8 *data;
  gsize size;
  gsize capacity;
} GrowBuffer;

/* Large buffers a builder handed to its columns come back to it when the
 * last reference to them is dropped, on whatever thread that happens, and
 * the next batch reuses them. Without this, a source that builds batches
 * on one thread while a consumer frees them on another makes glibc trim
 * the builder thread's heap once a batch and fault the same pages in again
 * for the next one (up to ~140,000 minor faults and 0.4 s of system time
 * for 10 M CSV rows). A buffer is only reused after its GBytes is freed,
 * so a column that is still alive is never written to. */
#define POOL_MIN_CAPACITY ((gsize) 64 * 1024)  /* smaller ones: plain malloc */
#define POOL_MAX_BUFFERS 12                    /* a few batches in flight */

typedef struct {
  guint8 *data;
  gsize capacity;
} PoolEntry;

typedef struct {
  gatomicrefcount ref_count;
  GMutex lock;
  gboolean closed;       /* the builder is gone: free what comes back */
  guint n_free;
  PoolEntry free[POOL_MAX_BUFFERS];
} BufferPool;

typedef struct {
  BufferPool *pool;
  guint8 *data;
  gsize capacity;
} PooledBuffer;

struct _SetlColumnBuilder
{
  GObject parent_instance;

  SetlDataType data_type;
  gint64 length;
  gint64 null_count;
  gboolean overflow;

  GrowBuffer validity;   /* empty until the first null */
  GrowBuffer values;     /* values, or string offsets */
  GrowBuffer data;       /* string bytes */

  BufferPool *pool;
};

G_DEFINE_FINAL_TYPE (SetlColumnBuilder, setl_column_builder, G_TYPE_OBJECT)

static inline gsize
round_up_64 (gsize n)
{
  return (n + SETL_BUFFER_ALIGNMENT - 1) & ~(gsize) (SETL_BUFFER_ALIGNMENT - 1);
}

static BufferPool *
buffer_pool_new (void)
{
  BufferPool *pool = g_new0 (BufferPool, 1);

  g_atomic_ref_count_init (&pool->ref_count);
  g_mutex_init (&pool->lock);
  return pool;
}

static void
buffer_pool_unref (BufferPool *pool)
{
  if (!g_atomic_ref_count_dec (&pool->ref_count))
    return;
  for (guint i = 0; i < pool->n_free; i++)
    g_aligned_free (pool->free[i].data);
  g_mutex_clear (&pool->lock);
  g_free (pool);
}

/* Gives @data back to @pool, or frees it when the pool is closed or full. */
static void
buffer_pool_put (BufferPool *pool,
                 guint8     *data,
                 gsize       capacity)
{
  if (data == NULL)
    return;
  if (capacity >= POOL_MIN_CAPACITY)
    {
      g_mutex_lock (&pool->lock);
      if (!pool->closed && pool->n_free < POOL_MAX_BUFFERS)
        {
          pool->free[pool->n_free].data = data;
          pool->free[pool->n_free].capacity = capacity;
          pool->n_free++;
          data = NULL;
        }
      g_mutex_unlock (&pool->lock);
    }
  g_aligned_free (data);
}

/* Takes the smallest free buffer of at least @needed bytes, or returns
 * NULL. */
static guint8 *
buffer_pool_take (BufferPool *pool,
                  gsize       needed,
                  gsize      *capacity)
{
  guint8 *data = NULL;
  guint best = G_MAXUINT;

  if (needed < POOL_MIN_CAPACITY)
    return NULL;
  g_mutex_lock (&pool->lock);
  for (guint i = 0; i < pool->n_free; i++)
    if (pool->free[i].capacity >= needed
        && (best == G_MAXUINT || pool->free[i].capacity < pool->free[best].capacity))
      best = i;
  if (best != G_MAXUINT)
    {
      data = pool->free[best].data;
      *capacity = pool->free[best].capacity;
      pool->free[best] = pool->free[--pool->n_free];
    }
  g_mutex_unlock (&pool->lock);
  return data;
}

static void
pooled_buffer_free (gpointer user_data)
{
  PooledBuffer *buffer = user_data;

  buffer_pool_put (buffer->pool, buffer->data, buffer->capacity);
  buffer_pool_unref (buffer->pool);
  g_free (buffer);
}

static void
grow_buffer_clear (GrowBuffer *buffer,
                   BufferPool *pool)
{
  buffer_pool_put (pool, buffer->data, buffer->capacity);
  buffer->data = NULL;
  buffer->size = buffer->capacity = 0;
}

/* New memory is not zeroed: values and offsets are written before they are
 * counted in @size, bitmaps zero the bytes they take (bitmap_set()), and
 * grow_buffer_steal() zeroes the padding handed to Arrow consumers. Zeroing
 * the whole capacity cost a pass over memory about to be overwritten. */
static void
grow_buffer_grow (GrowBuffer *buffer,
                  BufferPool *pool,
                  gsize       needed)
{
  gsize capacity = MAX (buffer->capacity, SETL_BUFFER_ALIGNMENT);
  guint8 *data;

  while (capacity < needed)
    {
      if (capacity > G_MAXSIZE / 2)
        g_error ("SetlColumnBuilder: cannot grow a buffer to %" G_GSIZE_FORMAT " bytes", needed);
      capacity *= 2;
    }
  capacity = round_up_64 (capacity);

  data = buffer_pool_take (pool, needed, &capacity);
  if (data == NULL)
    data = g_aligned_alloc (1, capacity, SETL_BUFFER_ALIGNMENT);
  if (buffer->size > 0)
    memcpy (data, buffer->data, buffer->size);
  buffer_pool_put (pool, buffer->data, buffer->capacity);
  buffer->data = data;
  buffer->capacity = capacity;
}

static inline void
grow_buffer_reserve (GrowBuffer *buffer,
                     BufferPool *pool,
                     gsize       extra)
{
  if (G_UNLIKELY (buffer->size + extra > buffer->capacity))
    grow_buffer_grow (buffer, pool, buffer->size + extra);
}

static inline void
grow_buffer_append (GrowBuffer    *buffer,
                    BufferPool    *pool,
                    gconstpointer  bytes,
                    gsize          n)
{
  /* An empty string may come before any allocation (memcpy on NULL is UB). */
  if (G_UNLIKELY (n == 0))
    return;
  grow_buffer_reserve (buffer, pool, n);
  memcpy (buffer->data + buffer->size, bytes, n);
  buffer->size += n;
}

/* Hands the memory over to a GBytes; the buffer is left empty. Always
 * returns a real allocation, so that no exported pointer is NULL. Large
 * buffers go back to @pool when the GBytes is freed. */
static GBytes *
grow_buffer_steal (GrowBuffer *buffer,
                   BufferPool *pool)
{
  GBytes *bytes;

  if (buffer->data == NULL)
    grow_buffer_grow (buffer, pool, SETL_BUFFER_ALIGNMENT);
  /* Deterministic padding up to the next 64 bytes (within the capacity,
   * which is a multiple of 64). */
  memset (buffer->data + buffer->size, 0, round_up_64 (buffer->size) - buffer->size);
  if (buffer->capacity >= POOL_MIN_CAPACITY)
    {
      PooledBuffer *pooled = g_new (PooledBuffer, 1);

      g_atomic_ref_count_inc (&pool->ref_count);
      pooled->pool = pool;
      pooled->data = buffer->data;
      pooled->capacity = buffer->capacity;
      bytes = g_bytes_new_with_free_func (buffer->data, buffer->size,
                                          pooled_buffer_free, pooled);
    }
  else
    bytes = g_bytes_new_with_free_func (buffer->data, buffer->size,
                                        g_aligned_free, buffer->data);
  buffer->data = NULL;
  buffer->size = buffer->capacity = 0;
  return bytes;
}

/* Grows a bitmap so that it holds bit @index; the bytes it takes are
 * zeroed first. */
static inline void
bitmap_set (GrowBuffer *bitmap,
            BufferPool *pool,
            gint64      index,
            gboolean    value)
{
  gsize byte = (gsize) (index >> 3);

  if (byte >= bitmap->size)
    {
      grow_buffer_reserve (bitmap, pool, byte + 1 - bitmap->size);
      memset (bitmap->data + bitmap->size, 0, byte + 1 - bitmap->size);
      bitmap->size = byte + 1;
    }
  if (value)
    bitmap->data[byte] |= (guint8) (1u << (index & 7));
  else
    bitmap->data[byte] &= (guint8) ~(1u << (index & 7));
}

static void
setl_column_builder_reset (SetlColumnBuilder *self)
{
  grow_buffer_clear (&self->validity, self->pool);
  grow_buffer_clear (&self->values, self->pool);
  grow_buffer_clear (&self->data, self->pool);
  self->length = 0;
  self->null_count = 0;
  self->overflow = FALSE;

  if (self->data_type == SETL_DATA_TYPE_STRING)
    {
      gint32 zero = 0;
      grow_buffer_append (&self->values, self->pool, &zero, sizeof zero);
    }
}

static void
setl_column_builder_finalize (GObject *object)
{
  SetlColumnBuilder *self = SETL_COLUMN_BUILDER (object);

  grow_buffer_clear (&self->validity, self->pool);
  grow_buffer_clear (&self->values, self->pool);
  grow_buffer_clear (&self->data, self->pool);
  /* Columns still alive hold the pool; their buffers are freed, not kept. */
  g_mutex_lock (&self->pool->lock);
  self->pool->closed = TRUE;
  for (guint i = 0; i < self->pool->n_free; i++)
    g_aligned_free (self->pool->free[i].data);
  self->pool->n_free = 0;
  g_mutex_unlock (&self->pool->lock);
  g_clear_pointer (&self->pool, buffer_pool_unref);

  G_OBJECT_CLASS (setl_column_builder_parent_class)->finalize (object);
}

static void
setl_column_builder_class_init (SetlColumnBuilderClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = setl_column_builder_finalize;
}

static void
setl_column_builder_init (SetlColumnBuilder *self)
{
  self->pool = buffer_pool_new ();
}

/**
 * setl_column_builder_new:
 * @data_type: the type of the column to build
 *
 * Returns: (transfer full): a new, empty builder
 */
SetlColumnBuilder *
setl_column_builder_new (SetlDataType data_type)
{
  SetlColumnBuilder *self;

  g_return_val_if_fail ((guint) data_type <= SETL_DATA_TYPE_TIMESTAMP, NULL);

  self = g_object_new (SETL_TYPE_COLUMN_BUILDER, NULL);
  self->data_type = data_type;
  setl_column_builder_reset (self);
  return self;
}

/**
 * setl_column_builder_get_data_type:
 * @self: a #SetlColumnBuilder
 *
 * Returns: the type of the column being built
 */
SetlDataType
setl_column_builder_get_data_type (SetlColumnBuilder *self)
{
  g_return_val_if_fail (SETL_IS_COLUMN_BUILDER (self), SETL_DATA_TYPE_STRING);
  return self->data_type;
}

/**
 * setl_column_builder_get_length:
 * @self: a #SetlColumnBuilder
 *
 * Returns: the number of values appended since the builder was made or
 *   last finished
 */
gint64
setl_column_builder_get_length (SetlColumnBuilder *self)
{
  g_return_val_if_fail (SETL_IS_COLUMN_BUILDER (self), 0);
  return self->length;
}

/**
 * setl_column_builder_get_null_count:
 * @self: a #SetlColumnBuilder
 *
 * Returns: the number of nulls appended so far
 */
gint64
setl_column_builder_get_null_count (SetlColumnBuilder *self)
{
  g_return_val_if_fail (SETL_IS_COLUMN_BUILDER (self), 0);
  return self->null_count;
}

/**
 * setl_column_builder_get_byte_size:
 * @self: a #SetlColumnBuilder
 *
 * What the column would weigh if finished now; sources use it to cut
 * batches by size.
 *
 * Returns: the bytes used in the builder's buffers so far
 */
gsize
setl_column_builder_get_byte_size (SetlColumnBuilder *self)
{
  g_return_val_if_fail (SETL_IS_COLUMN_BUILDER (self), 0);
  return self->validity.size + self->values.size + self->data.size;
}

static inline gsize
value_size (SetlDataType type)
{
  switch (type)
    {
    case SETL_DATA_TYPE_DATE32:
    case SETL_DATA_TYPE_STRING:
      return 4;
    case SETL_DATA_TYPE_BOOL:
      return 0;
    default:
      return 8;
    }
}

/**
 * setl_column_builder_reserve:
 * @self: a #SetlColumnBuilder
 * @n_values: how many more values will be appended
 * @n_string_bytes: for strings, how many more bytes of text; else 0
 *
 * Grows the buffers once for what is to come, when it is known (a batch
 * size, a file size), instead of doubling on the way. Only an optimisation.
 */
void
setl_column_builder_reserve (SetlColumnBuilder *self,
                             gint64             n_values,
                             gsize              n_string_bytes)
{
  g_return_if_fail (SETL_IS_COLUMN_BUILDER (self));
  g_return_if_fail (n_values >= 0);

  if (self->data_type == SETL_DATA_TYPE_BOOL)
    grow_buffer_reserve (&self->values, self->pool, (gsize) (n_values + 7) / 8 + 1);
  else
    grow_buffer_reserve (&self->values, self->pool, (gsize) n_values * value_size (self->data_type));
  if (self->data_type == SETL_DATA_TYPE_STRING)
    grow_buffer_reserve (&self->data, self->pool, n_string_bytes);
  if (self->validity.data != NULL)
    grow_buffer_reserve (&self->validity, self->pool, (gsize) (n_values + 7) / 8 + 1);
}

/* Makes the validity bitmap at the first null: every value so far was
 * valid. */
static void
make_validity (SetlColumnBuilder *self)
{
  grow_buffer_reserve (&self->validity, self->pool, (gsize) (self->length + 8) / 8);
  if (self->length > 0)
    {
      memset (self->validity.data, 0xff, (gsize) self->length / 8);
      self->validity.size = (gsize) self->length / 8;
      for (gint64 i = self->length & ~(gint64) 7; i < self->length; i++)
        bitmap_set (&self->validity, self->pool, i, TRUE);
    }
}

/* Records the validity of the value being appended at self->length. */
static inline void
push_validity (SetlColumnBuilder *self,
               gboolean           valid)
{
  if (G_LIKELY (self->validity.data == NULL))
    {
      if (G_LIKELY (valid))
        return;
      make_validity (self);
    }
  bitmap_set (&self->validity, self->pool, self->length, valid);
}

/* Eight validity bytes (0 = null, anything else valid) as a bitmap byte,
 * byte j at bit j: each byte's "not zero" moved to its top bit, then the
 * eight top bits gathered by one multiplication. */
static inline guint8
pack_valid_bytes (const guint8 *valid)
{
  guint64 w;

  memcpy (&w, valid, 8);
  w = GUINT64_FROM_LE (w);
  w = ((((w & G_GUINT64_CONSTANT (0x7f7f7f7f7f7f7f7f)) + G_GUINT64_CONSTANT (0x7f7f7f7f7f7f7f7f)) | w)
       & G_GUINT64_CONSTANT (0x8080808080808080)) >> 7;
  return (guint8) ((w * G_GUINT64_CONSTANT (0x0102040810204080)) >> 56);
}

static inline gsize
count_bits (guint8 byte)
{
#if defined(__GNUC__) || defined(__clang__)
  return (gsize) __builtin_popcount (byte);
#else
  gsize n = 0;

  for (; byte != 0; byte &= (guint8) (byte - 1))
    n++;
  return n;
#endif
}

/* Records the validity of @n values appended at self->length from one byte
 * each (0 = null); returns the number of nulls. */
static gsize
push_validity_bytes (SetlColumnBuilder *self,
                     const guint8      *valid,
                     gsize              n)
{
  gsize nulls = 0;

  if (valid == NULL)
    {
      gsize i = 0, n_bytes;

      if (self->validity.data == NULL)
        return 0;
      /* After a null, a source's chunks without one still come here:
       * bit by bit to a byte boundary, then whole bytes. */
      for (; i < n && ((self->length + (gint64) i) & 7) != 0; i++)
        bitmap_set (&self->validity, self->pool, self->length + (gint64) i, TRUE);
      n_bytes = (n - i) / 8;
      if (n_bytes > 0)
        {
          gsize first = (gsize) ((self->length + (gint64) i) >> 3);

          if (first + n_bytes > self->validity.size)
            grow_buffer_reserve (&self->validity, self->pool, first + n_bytes - self->validity.size);
          memset (self->validity.data + first, 0xff, n_bytes);
          self->validity.size = MAX (self->validity.size, first + n_bytes);
          i += n_bytes * 8;
        }
      for (; i < n; i++)
        bitmap_set (&self->validity, self->pool, self->length + (gint64) i, TRUE);
      return 0;
    }
  {
    gsize i = 0;

    /* Eight bytes at a time: a source's batch of 64k values was 64k
     * compares. */
    for (; i + 8 <= n; i += 8)
      nulls += 8 - count_bits (pack_valid_bytes (valid + i));
    for (; i < n; i++)
      nulls += valid[i] == 0;
  }
  if (self->validity.data == NULL)
    {
      if (nulls == 0)
        return 0;
      make_validity (self);
    }
  grow_buffer_reserve (&self->validity, self->pool, (gsize) (self->length + (gint64) n + 7) / 8 + 1 - self->validity.size);
  {
    gsize i = 0;

    /* Bit by bit up to a byte boundary, then eight values per byte. */
    for (; i < n && ((self->length + (gint64) i) & 7) != 0; i++)
      bitmap_set (&self->validity, self->pool, self->length + (gint64) i, valid[i] != 0);
    for (; i + 8 <= n; i += 8)
      {
        self->validity.data[(self->length + (gint64) i) >> 3] = pack_valid_bytes (valid + i);
        self->validity.size = (gsize) ((self->length + (gint64) i) >> 3) + 1;
      }
    for (; i < n; i++)
      bitmap_set (&self->validity, self->pool, self->length + (gint64) i, valid[i] != 0);
  }
  return nulls;
}

static inline void
push_fixed (SetlColumnBuilder *self,
            gconstpointer      value,
            gsize              size)
{
  grow_buffer_append (&self->values, self->pool, value, size);
  push_validity (self, TRUE);
  self->length++;
}

/**
 * setl_column_builder_append_null:
 * @self: a #SetlColumnBuilder
 *
 * Appends a null, of any type.
 */
void
setl_column_builder_append_null (SetlColumnBuilder *self)
{
  static const guint8 zeros[8] = { 0 };

  g_return_if_fail (SETL_IS_COLUMN_BUILDER (self));

  switch (self->data_type)
    {
    case SETL_DATA_TYPE_BOOL:
      bitmap_set (&self->values, self->pool, self->length, FALSE);
      break;
    case SETL_DATA_TYPE_STRING:
      {
        /* An empty slot: the next offset repeats the last one. */
        gint32 end = (gint32) self->data.size;
        grow_buffer_append (&self->values, self->pool, &end, sizeof end);
      }
      break;
    default:
      grow_buffer_append (&self->values, self->pool, zeros, value_size (self->data_type));
    }
  push_validity (self, FALSE);
  self->null_count++;
  self->length++;
}

/**
 * setl_column_builder_append_bool:
 * @self: a bool #SetlColumnBuilder
 * @value: the value
 */
void
setl_column_builder_append_bool (SetlColumnBuilder *self,
                                 gboolean           value)
{
  g_return_if_fail (SETL_IS_COLUMN_BUILDER (self));
  g_return_if_fail (self->data_type == SETL_DATA_TYPE_BOOL);

  bitmap_set (&self->values, self->pool, self->length, value != FALSE);
  push_validity (self, TRUE);
  self->length++;
}

/**
 * setl_column_builder_append_int64:
 * @self: an int64 #SetlColumnBuilder
 * @value: the value
 */
void
setl_column_builder_append_int64 (SetlColumnBuilder *self,
                                  gint64             value)
{
  g_return_if_fail (SETL_IS_COLUMN_BUILDER (self));
  g_return_if_fail (self->data_type == SETL_DATA_TYPE_INT64);

  push_fixed (self, &value, sizeof value);
}

/**
 * setl_column_builder_append_double:
 * @self: a double #SetlColumnBuilder
 * @value: the value
 */
void
setl_column_builder_append_double (SetlColumnBuilder *self,
                                   double             value)
{
  g_return_if_fail (SETL_IS_COLUMN_BUILDER (self));
  g_return_if_fail (self->data_type == SETL_DATA_TYPE_DOUBLE);

  push_fixed (self, &value, sizeof value);
}

/**
 * setl_column_builder_append_string:
 * @self: a string #SetlColumnBuilder
 * @value: (array length=length) (element-type guint8): the value's UTF-8
 *   bytes (they are copied)
 * @length: the number of bytes, or -1 if @value is nul-terminated
 *
 * Appends a string. The builder does not check UTF-8: sources validate
 * their input where it comes in.
 */
void
setl_column_builder_append_string (SetlColumnBuilder *self,
                                   const char        *value,
                                   gssize             length)
{
  gint32 end;

  g_return_if_fail (SETL_IS_COLUMN_BUILDER (self));
  g_return_if_fail (self->data_type == SETL_DATA_TYPE_STRING);
  g_return_if_fail (value != NULL || length == 0);

  if (length < 0)
    length = (gssize) strlen (value);

  if (G_UNLIKELY ((gsize) length > (gsize) G_MAXINT32 - self->data.size))
    self->overflow = TRUE;
  else
    grow_buffer_append (&self->data, self->pool, value, (gsize) length);

  end = (gint32) self->data.size;
  grow_buffer_append (&self->values, self->pool, &end, sizeof end);
  push_validity (self, TRUE);
  self->length++;
}

/**
 * setl_column_builder_append_date32:
 * @self: a date32 #SetlColumnBuilder
 * @days: the date, in days since 1970-01-01
 */
void
setl_column_builder_append_date32 (SetlColumnBuilder *self,
                                   gint32             days)
{
  g_return_if_fail (SETL_IS_COLUMN_BUILDER (self));
  g_return_if_fail (self->data_type == SETL_DATA_TYPE_DATE32);

  push_fixed (self, &days, sizeof days);
}

/**
 * setl_column_builder_append_timestamp:
 * @self: a timestamp #SetlColumnBuilder
 * @usec: the instant, in microseconds since 1970-01-01 00:00:00 UTC
 */
void
setl_column_builder_append_timestamp (SetlColumnBuilder *self,
                                      gint64             usec)
{
  g_return_if_fail (SETL_IS_COLUMN_BUILDER (self));
  g_return_if_fail (self->data_type == SETL_DATA_TYPE_TIMESTAMP);

  push_fixed (self, &usec, sizeof usec);
}

/**
 * setl_column_builder_append_values: (skip)
 * @self: a #SetlColumnBuilder of any type but string
 * @values: @n_values values in the column's C type (#gint64 for int64 and
 *   timestamp, #double, #gint32 for date32; for bool one #guint8 0 or 1
 *   each), one after the other
 * @valid: (nullable): one byte per value, 0 for a null (whose slot in
 *   @values is ignored), or %NULL if every value is valid
 * @n_values: the number of values
 *
 * Appends many values at once, as a source does with a batch it parsed
 * into arrays of its own: one call and one copy instead of one checked
 * call per value. The result is the same as appending them one by one
 * (a null's slot is zero).
 */
void
setl_column_builder_append_values (SetlColumnBuilder *self,
                                   gconstpointer      values,
                                   const guint8      *valid,
                                   gsize              n_values)
{
  gsize size, nulls;

  g_return_if_fail (SETL_IS_COLUMN_BUILDER (self));
  g_return_if_fail (self->data_type != SETL_DATA_TYPE_STRING);
  g_return_if_fail (values != NULL || n_values == 0);

  if (n_values == 0)
    return;

  if (self->data_type == SETL_DATA_TYPE_BOOL)
    {
      const guint8 *b = values;
      gsize i = 0;

      /* Whole bytes of the bitmap at a time when the column is at a byte
       * boundary: eight values packed per step, not a call per bit. */
      if (valid == NULL && (self->length & 7) == 0 && n_values >= 8)
        {
          gsize n_bytes = n_values / 8;
          gsize end = (gsize) (self->length >> 3) + n_bytes;
          guint8 *out;

          if (end > self->values.size)
            grow_buffer_reserve (&self->values, self->pool, end - self->values.size);
          out = self->values.data + (self->length >> 3);
          for (gsize k = 0; k < n_bytes; k++, b += 8)
            out[k] = (guint8) ((b[0] != 0) | (b[1] != 0) << 1 | (b[2] != 0) << 2 | (b[3] != 0) << 3 |
                               (b[4] != 0) << 4 | (b[5] != 0) << 5 | (b[6] != 0) << 6 | (b[7] != 0) << 7);
          self->values.size = MAX (self->values.size, end);
          i = n_bytes * 8;
          b = values;
        }
      for (; i < n_values; i++)
        bitmap_set (&self->values, self->pool, self->length + (gint64) i,
                    b[i] != 0 && (valid == NULL || valid[i] != 0));
    }
  else
    {
      size = value_size (self->data_type);
      grow_buffer_append (&self->values, self->pool, values, n_values * size);
      if (valid != NULL)
        {
          guint8 *base = self->values.data + self->values.size - n_values * size;

          for (gsize i = 0; i < n_values; i++)
            if (valid[i] == 0)
              memset (base + i * size, 0, size);
        }
    }
  nulls = push_validity_bytes (self, valid, n_values);
  self->null_count += (gint64) nulls;
  self->length += (gint64) n_values;
}

/**
 * setl_column_builder_append_strings: (skip)
 * @self: a string #SetlColumnBuilder
 * @data: the strings' UTF-8 bytes, one after the other (copied)
 * @offsets: @n_values + 1 offsets into @data, non-decreasing: value i is
 *   @data[@offsets[i] .. @offsets[i + 1]]
 * @valid: (nullable): one byte per value, 0 for a null (whose bytes, if
 *   any, are skipped), or %NULL if every value is valid
 * @n_values: the number of values
 *
 * Appends many strings at once, in Arrow's own layout: one call and two
 * copies instead of one checked call per value. The result is the same as
 * appending them one by one. Like setl_column_builder_append_string(), it
 * does not check UTF-8.
 */
void
setl_column_builder_append_strings (SetlColumnBuilder *self,
                                    const char        *data,
                                    const gint32      *offsets,
                                    const guint8      *valid,
                                    gsize              n_values)
{
  gsize nulls;
  gint32 *out;
  gint64 shift;
  gboolean compact = TRUE;

  g_return_if_fail (SETL_IS_COLUMN_BUILDER (self));
  g_return_if_fail (self->data_type == SETL_DATA_TYPE_STRING);
  g_return_if_fail (offsets != NULL);
  g_return_if_fail (data != NULL || offsets[n_values] == offsets[0]);

  if (n_values == 0)
    return;

  /* A null with bytes would leave them in the column: the slow path. */
  if (valid != NULL)
    for (gsize i = 0; i < n_values && compact; i++)
      compact = valid[i] != 0 || offsets[i + 1] == offsets[i];

  if (G_UNLIKELY (!compact))
    {
      for (gsize i = 0; i < n_values; i++)
        if (valid[i] == 0)
          setl_column_builder_append_null (self);
        else
          setl_column_builder_append_string (self, data + offsets[i], offsets[i + 1] - offsets[i]);
      return;
    }

  g_return_if_fail (offsets[n_values] >= offsets[0]);
  if (G_UNLIKELY ((gsize) (offsets[n_values] - offsets[0]) > (gsize) G_MAXINT32 - self->data.size))
    {
      /* Remembered for setl_column_builder_finish(), as one by one. */
      self->overflow = TRUE;
      shift = (gint64) self->data.size - offsets[n_values];
    }
  else
    {
      grow_buffer_append (&self->data, self->pool, data + offsets[0], (gsize) (offsets[n_values] - offsets[0]));
      shift = (gint64) self->data.size - offsets[n_values];
    }

  grow_buffer_reserve (&self->values, self->pool, n_values * sizeof (gint32));
  out = (gint32 *) (self->values.data + self->values.size);
  for (gsize i = 0; i < n_values; i++)
    out[i] = (gint32) MAX (offsets[i + 1] + shift, 0);
  self->values.size += n_values * sizeof (gint32);

  nulls = push_validity_bytes (self, valid, n_values);
  self->null_count += (gint64) nulls;
  self->length += (gint64) n_values;
}

/**
 * setl_column_builder_begin_append: (skip)
 * @self: a #SetlColumnBuilder of any type but bool
 * @n_values: how many values the caller may write
 * @n_string_bytes: for strings, how many bytes of text the caller may
 *   write (copies that store whole words past a value's end count those
 *   bytes too); else 0
 * @text: (out) (optional): for strings, where the text goes: the caller
 *   writes the bytes of its strings from @text + offsets[0] on
 *
 * Makes room for @n_values more values and returns where they go, for a
 * source that parses straight into the column's buffers: the copy that
 * setl_column_builder_append_values() and _append_strings() make of the
 * source's own arrays is saved (for a CSV file, about a tenth of the
 * read).
 *
 * For a fixed-width type the result is an array of @n_values values in
 * the column's C type (as for setl_column_builder_append_values()); a
 * null's slot must be written as zero. For strings it is the column's
 * offsets from the end: element 0 is where the next string starts in
 * @text (leave it), and the caller writes elements 1 to @n_values,
 * non-decreasing, a null's equal to the one before it; the text must stay
 * under 2 GiB (G_MAXINT32 bytes).
 *
 * Nothing written counts until setl_column_builder_end_append(), and only
 * the values it names; writing nothing and never calling it is fine. Any
 * other call on the builder may move its buffers, so the pointers are
 * good until the next call only.
 *
 * Returns: (transfer none): where the values go
 */
gpointer
setl_column_builder_begin_append (SetlColumnBuilder  *self,
                                  gsize               n_values,
                                  gsize               n_string_bytes,
                                  char              **text)
{
  g_return_val_if_fail (SETL_IS_COLUMN_BUILDER (self), NULL);
  g_return_val_if_fail (self->data_type != SETL_DATA_TYPE_BOOL, NULL);

  if (self->data_type == SETL_DATA_TYPE_STRING)
    {
      g_return_val_if_fail (n_string_bytes <= (gsize) G_MAXINT32 - self->data.size, NULL);
      /* data.data stays non-NULL, so that *text is a real pointer. */
      grow_buffer_reserve (&self->data, self->pool, MAX (n_string_bytes, 1));
      if (text != NULL)
        *text = (char *) self->data.data;
      /* The offsets hold length + 1 entries; the last is the current end. */
      grow_buffer_reserve (&self->values, self->pool, n_values * sizeof (gint32));
      return self->values.data + self->values.size - sizeof (gint32);
    }
  if (text != NULL)
    *text = NULL;
  grow_buffer_reserve (&self->values, self->pool, MAX (n_values, 1) * value_size (self->data_type));
  return self->values.data + self->values.size;
}

/**
 * setl_column_builder_end_append: (skip)
 * @self: a #SetlColumnBuilder
 * @valid: (nullable): one byte per value, 0 for a null, or %NULL if every
 *   value is valid
 * @n_values: how many values were written since
 *   setl_column_builder_begin_append(), at most the number it was given
 *
 * Counts the first @n_values values written in place since
 * setl_column_builder_begin_append() as appended: the same column as
 * setl_column_builder_append_values() or _append_strings() would make
 * with them.
 */
void
setl_column_builder_end_append (SetlColumnBuilder *self,
                                const guint8      *valid,
                                gsize              n_values)
{
  gsize size, nulls;

  g_return_if_fail (SETL_IS_COLUMN_BUILDER (self));
  g_return_if_fail (self->data_type != SETL_DATA_TYPE_BOOL);

  size = value_size (self->data_type);
  g_return_if_fail (self->values.size + n_values * size <= self->values.capacity);
  if (self->data_type == SETL_DATA_TYPE_STRING)
    {
      const gint32 *offsets = (const gint32 *) (gconstpointer) (self->values.data + self->values.size) - 1;
      gint32 end = offsets[n_values];

      g_return_if_fail (end >= offsets[0] && (gsize) end <= self->data.capacity);
      self->data.size = (gsize) end;
    }
  self->values.size += n_values * size;
  nulls = push_validity_bytes (self, valid, n_values);
  self->null_count += (gint64) nulls;
  self->length += (gint64) n_values;
}

/**
 * setl_column_builder_finish:
 * @self: a #SetlColumnBuilder
 * @error: return location for a #GError
 *
 * Makes a column of the values appended so far and empties the builder,
 * which can then build the next one. The column takes the buffers over
 * without copying them.
 *
 * Returns: (transfer full): the column, or %NULL with
 *   %SETL_DATA_ERROR_OVERFLOW if a string column outgrew its 32-bit
 *   offsets (the builder is emptied all the same)
 */
SetlColumn *
setl_column_builder_finish (SetlColumnBuilder  *self,
                            GError            **error)
{
  GBytes *validity = NULL;
  GBytes *values;
  GBytes *data = NULL;
  SetlColumn *column;

  g_return_val_if_fail (SETL_IS_COLUMN_BUILDER (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (self->overflow)
    {
      g_set_error (error, SETL_DATA_ERROR, SETL_DATA_ERROR_OVERFLOW,
                   "A string column of %" G_GINT64_FORMAT " values holds more "
                   "than 2 GiB of text, more than its 32-bit offsets can "
                   "address; use smaller batches", self->length);
      setl_column_builder_reset (self);
      return NULL;
    }

  /* A boolean column of only nulls never touched its values. */
  if (self->data_type == SETL_DATA_TYPE_BOOL)
    {
      gsize needed = (gsize) (self->length + 7) / 8;
      if (needed > self->values.size)
        {
          grow_buffer_reserve (&self->values, self->pool, needed - self->values.size);
          memset (self->values.data + self->values.size, 0, needed - self->values.size);
          self->values.size = needed;
        }
    }

  if (self->validity.data != NULL)
    validity = grow_buffer_steal (&self->validity, self->pool);
  values = grow_buffer_steal (&self->values, self->pool);
  if (self->data_type == SETL_DATA_TYPE_STRING)
    data = grow_buffer_steal (&self->data, self->pool);

  column = _setl_column_new_take (self->data_type, self->length, 0,
                                  self->null_count, validity, values, data);
  setl_column_builder_reset (self);
  return column;
}
