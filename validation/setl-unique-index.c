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

typedef struct {
  guint64 hash;       /* 0: empty slot (real hashes are made non-zero) */
  guint64 key;        /* the key's bytes if short, else a pointer to them */
  gint64 row;         /* the row stored; bit 62: seen twice or more */
} Slot;

#define SEEN_AGAIN (G_GINT64_CONSTANT (1) << 62)
#define ROW_MASK (SEEN_AGAIN - 1)

struct _SetlUniqueIndex
{
  Slot *slots;
  gsize capacity;     /* a power of two */
  gsize size;
  GStringChunk *chunk;
};

static guint64
hash_bytes (const guint8 *data,
            gsize         length)
{
  /* FNV-1a, then a 64-bit finaliser to spread the bits. */
  guint64 h = G_GUINT64_CONSTANT (0xcbf29ce484222325);

  for (gsize i = 0; i < length; i++)
    {
      h ^= data[i];
      h *= G_GUINT64_CONSTANT (0x100000001b3);
    }
  h ^= h >> 33;
  h *= G_GUINT64_CONSTANT (0xff51afd7ed558ccd);
  h ^= h >> 33;
  h ^= length;
  return h ? h : 1;
}

SetlUniqueIndex *
_setl_unique_index_new (void)
{
  SetlUniqueIndex *index = g_new0 (SetlUniqueIndex, 1);

  index->capacity = 1024;
  index->slots = g_new0 (Slot, index->capacity);
  index->chunk = g_string_chunk_new (64 * 1024);
  return index;
}

void
_setl_unique_index_free (SetlUniqueIndex *index)
{
  if (index == NULL)
    return;
  g_free (index->slots);
  g_string_chunk_free (index->chunk);
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

guint
_setl_unique_index_add_hashed (SetlUniqueIndex *index,
                               const void      *key,
                               gsize            length,
                               guint64          hash,
                               gint64           row,
                               gboolean         keep_first,
                               gint64          *previous_row)
{
  gsize mask = index->capacity - 1;
  gsize i;

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

gsize
_setl_unique_index_get_byte_size (SetlUniqueIndex *index)
{
  return index->capacity * sizeof (Slot);
}
