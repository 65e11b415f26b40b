/* setl-unique-index.c: the values a uniqueness constraint has seen.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* An open-addressing hash set of byte strings, each with the row it was
 * last (or first) seen at and whether it has been seen more than once. It
 * is the one structure of a validation pass that grows with the data, so it
 * is kept small: 24 bytes a slot, keys of up to 8 bytes stored in the slot
 * itself (8-byte keys: int64, double, timestamps), others copied once into a
 * string chunk. */
#include "setl-validation-private.h"

#include <string.h>
#include <xxhash.h>

typedef struct {
  guint64 hash;       /* 0: empty slot (real hashes are made non-zero) */
  guint64 key;        /* the key's bytes if short, else a pointer to them */
  gint64 row;         /* the row stored; bit 62: seen twice or more */
} Slot;

#define SEEN_AGAIN (G_GINT64_CONSTANT (1) << 62)
#define ROW_MASK (SEEN_AGAIN - 1)

/* Ascending integer keys (an id column, most often) are not hashed as
 * they come: as long as every batch's keys are strictly increasing and
 * above all the keys before, none can repeat, and they are kept as runs —
 * a dense run (k, k+1, …) in three numbers, others in an array of 8 bytes
 * a key. The first batch that breaks the order moves them into the hash
 * set (_setl_unique_index_add_hashed() does, before its first key), which
 * then serves for the rest of the stream. */
typedef struct {
  gint64 first_key;
  gint64 first_row;   /* rows are consecutive within a run */
  gint64 count;
  gint64 values_at;   /* index in ascending_values, or -1: dense run */
} AscendingRun;

struct _SetlUniqueIndex
{
  Slot *slots;
  gsize capacity;     /* a power of two */
  gsize size;
  GStringChunk *chunk;

  gboolean ascending;        /* still taking ascending batches */
  GArray *ascending_runs;    /* (element-type AscendingRun) */
  GArray *ascending_values;  /* (element-type gint64) */
  gint64 ascending_last;     /* the highest key, when runs is not empty */
};

static guint64
hash_bytes (const guint8 *data,
            gsize         length)
{
  guint64 h = XXH3_64bits (data, length);

  return h ? h : 1;
}

SetlUniqueIndex *
_setl_unique_index_new (void)
{
  SetlUniqueIndex *index = g_new0 (SetlUniqueIndex, 1);

  index->capacity = 1024;
  index->slots = g_new0 (Slot, index->capacity);
  index->chunk = g_string_chunk_new (64 * 1024);
  index->ascending = TRUE;
  index->ascending_runs = g_array_new (FALSE, FALSE, sizeof (AscendingRun));
  index->ascending_values = g_array_new (FALSE, FALSE, sizeof (gint64));
  return index;
}

void
_setl_unique_index_free (SetlUniqueIndex *index)
{
  if (index == NULL)
    return;
  g_free (index->slots);
  g_string_chunk_free (index->chunk);
  g_clear_pointer (&index->ascending_runs, g_array_unref);
  g_clear_pointer (&index->ascending_values, g_array_unref);
  g_free (index);
}

/* Keys of another length than 8 are stored as a 4-byte length then the bytes. */
static gboolean
slot_matches (const Slot  *slot,
              const void  *key,
              gsize        length)
{
  if (length == 8)
    {
      guint64 packed = 0;

      memcpy (&packed, key, length);
      return slot->key == packed;
    }
  else
    {
      const guint8 *stored = (const guint8 *) (gsize) slot->key;
      guint32 stored_length;

      memcpy (&stored_length, stored, 4);
      return stored_length == length && memcmp (stored + 4, key, length) == 0;
    }
}

static void
grow (SetlUniqueIndex *index)
{
  gsize capacity = index->capacity * 2;
  Slot *slots = g_new0 (Slot, capacity);

  for (gsize i = 0; i < index->capacity; i++)
    {
      Slot *old = &index->slots[i];
      gsize j;

      if (old->hash == 0)
        continue;
      for (j = old->hash & (capacity - 1); slots[j].hash != 0; j = (j + 1) & (capacity - 1))
        ;
      slots[j] = *old;
    }
  g_free (index->slots);
  index->slots = slots;
  index->capacity = capacity;
}

guint64
_setl_unique_index_hash (const void *key,
                         gsize       length)
{
  guint64 hash;

  if (length == 8)
    {
      /* Fixed-width values: a multiply-xorshift mix, no byte loop. */
      guint64 x;

      memcpy (&x, key, 8);
      x ^= x >> 33;
      x *= G_GUINT64_CONSTANT (0xff51afd7ed558ccd);
      x ^= x >> 33;
      x *= G_GUINT64_CONSTANT (0xc4ceb9fe1a85ec53);
      x ^= x >> 33;
      hash = (x | 1) ^ (G_GUINT64_CONSTANT (1) << 63);
    }
  else
    hash = hash_bytes (key, length);
  return hash;
}

void
_setl_unique_index_prefetch (SetlUniqueIndex *index,
                             guint64          hash)
{
#if defined(__GNUC__)
  /* The slot a later add will read: one cache miss per value is what
   * uniqueness costs, and a miss started early overlaps the others. */
  __builtin_prefetch (&index->slots[hash & (index->capacity - 1)], 1, 1);
#endif
}

guint
_setl_unique_index_add (SetlUniqueIndex *index,
                        const void      *key,
                        gsize            length,
                        gint64           row,
                        gboolean         keep_first,
                        gint64          *previous_row)
{
  return _setl_unique_index_add_hashed (index, key, length, _setl_unique_index_hash (key, length),
                                        row, keep_first, previous_row);
}

static void materialize_ascending (SetlUniqueIndex *index);

guint
_setl_unique_index_add_hashed (SetlUniqueIndex *index,
                               const void      *key,
                               gsize            length,
                               guint64          hash,
                               gint64           row,
                               gboolean         keep_first,
                               gint64          *previous_row)
{
  gsize mask;
  gsize i;

  if (G_UNLIKELY (index->ascending))
    materialize_ascending (index);
  mask = index->capacity - 1;

  for (i = hash & mask; index->slots[i].hash != 0; i = (i + 1) & mask)
    {
      Slot *slot = &index->slots[i];

      if (slot->hash == hash && slot_matches (slot, key, length))
        {
          guint seen = (slot->row & SEEN_AGAIN) ? 2 : 1;

          if (previous_row)
            *previous_row = slot->row & ROW_MASK;
          if (!keep_first)
            slot->row = row;
          slot->row |= SEEN_AGAIN;
          return seen;
        }
    }

  index->slots[i].hash = hash;
  if (length == 8)
    {
      guint64 packed = 0;

      memcpy (&packed, key, length);
      index->slots[i].key = packed;
    }
  else
    {
      guint32 stored_length = (guint32) length;
      g_autofree guint8 *buffer = g_malloc (length + 4);
      char *stored;

      memcpy (buffer, &stored_length, 4);
      memcpy (buffer + 4, key, length);
      stored = g_string_chunk_insert_len (index->chunk, (const char *) buffer, (gssize) length + 4);
      index->slots[i].key = (guint64) (gsize) stored;
    }
  index->slots[i].row = row;
  if (previous_row)
    *previous_row = -1;
  if (++index->size * 10 > index->capacity * 7)
    grow (index);
  return 0;
}

/* Moves the ascending runs into the hash set, which is sized for them
 * once rather than grown step by step. */
static void
materialize_ascending (SetlUniqueIndex *index)
{
  gsize n = index->ascending_values->len;

  index->ascending = FALSE;
  for (guint r = 0; r < index->ascending_runs->len; r++)
    {
      const AscendingRun *run = &g_array_index (index->ascending_runs, AscendingRun, r);

      if (run->values_at < 0)
        n += (gsize) run->count;
    }
  if (n > 0)
    {
      gsize capacity = index->capacity;

      while ((n + index->size) * 10 > capacity * 7)
        capacity *= 2;
      if (capacity != index->capacity)
        {
          /* Empty (nothing was hashed before): no rehash needed. */
          g_assert (index->size == 0);
          g_free (index->slots);
          index->slots = g_new0 (Slot, capacity);
          index->capacity = capacity;
        }
    }
  for (guint r = 0; r < index->ascending_runs->len; r++)
    {
      const AscendingRun *run = &g_array_index (index->ascending_runs, AscendingRun, r);

      for (gint64 k = 0; k < run->count; k++)
        {
          gint64 key = run->values_at < 0 ? run->first_key + k
                                          : g_array_index (index->ascending_values, gint64, run->values_at + k);

          _setl_unique_index_add (index, &key, 8, run->first_row + k, TRUE, NULL);
        }
    }
  g_array_set_size (index->ascending_runs, 0);
  g_array_set_size (index->ascending_values, 0);
}

gboolean
_setl_unique_index_add_ascending (SetlUniqueIndex *index,
                                  const gint64    *keys,
                                  gint64           n,
                                  gint64           first_row)
{
  guint64 increasing = 1;
  AscendingRun *last;
  gboolean dense;

  if (!index->ascending)
    return FALSE;
  if (n == 0)
    return TRUE;
  /* Branch-free, so that the loop vectorizes: one pass over the batch. */
  for (gint64 i = 1; i < n; i++)
    increasing &= keys[i] > keys[i - 1];
  if (!increasing || (index->ascending_runs->len > 0 && keys[0] <= index->ascending_last))
    {
      materialize_ascending (index);
      return FALSE;
    }
  /* Strictly increasing integers with last - first == n - 1: k, k+1, … */
  dense = (guint64) keys[n - 1] - (guint64) keys[0] == (guint64) (n - 1);
  last = index->ascending_runs->len > 0
         ? &g_array_index (index->ascending_runs, AscendingRun, index->ascending_runs->len - 1) : NULL;
  if (dense && last != NULL && last->values_at < 0 &&
      last->first_key + last->count == keys[0] && last->first_row + last->count == first_row)
    last->count += n;
  else
    {
      AscendingRun run = { keys[0], first_row, n, -1 };

      if (!dense)
        {
          run.values_at = index->ascending_values->len;
          g_array_append_vals (index->ascending_values, keys, (guint) n);
        }
      g_array_append_val (index->ascending_runs, run);
    }
  index->ascending_last = keys[n - 1];
  return TRUE;
}

gsize
_setl_unique_index_get_byte_size (SetlUniqueIndex *index)
{
  return index->capacity * sizeof (Slot) + index->ascending_values->len * sizeof (gint64) +
         index->ascending_runs->len * sizeof (AscendingRun);
}
