/* setl-synth-hash-set.c: the values a unique column or combination has
 * used so far in a pass of the synthesizer, kept as 64-bit XXH3 hashes.
 *
 * Uniqueness is kept with 64-bit hashes of the values (or combinations):
 * two equal values always hash alike, so nothing repeated gets through,
 * and the rare two different values with one hash only cost a redraw.
 *
 * The set is open addressing over the bare hashes, 8 bytes a slot at a
 * load of at most one half (16 to 32 bytes a value): it is what grows with
 * the rows, so it stays smaller than a GHashTable would (whose 64-bit keys
 * would have to be boxed, or squeezed into pointers), and never iterated,
 * so the order of the slots makes no difference to the rows made.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "setl-synth-hash-set.h"

#include <string.h>
#include <xxhash.h>

struct _SetlSynthHashSet
{
  guint64 *slots;            /* 0: empty */
  gsize capacity;            /* a power of two */
  gsize n;
};

SetlSynthHashSet *
_setl_synth_hash_set_new (void)
{
  SetlSynthHashSet *set = g_new0 (SetlSynthHashSet, 1);

  set->capacity = 64;
  set->slots = g_new0 (guint64, set->capacity);
  return set;
}

void
_setl_synth_hash_set_free (SetlSynthHashSet *set)
{
  if (set == NULL)
    return;
  g_free (set->slots);
  g_free (set);
}

gboolean
_setl_synth_hash_set_contains (SetlSynthHashSet *set,
                               guint64    hash)
{
  gsize mask = set->capacity - 1;

  hash = hash != 0 ? hash : 1;
  for (gsize i = hash & mask; set->slots[i] != 0; i = (i + 1) & mask)
    if (set->slots[i] == hash)
      return TRUE;
  return FALSE;
}

static void
hash_set_insert (guint64 *slots,
                 gsize    capacity,
                 guint64  hash)
{
  gsize mask = capacity - 1;
  gsize i = hash & mask;

  while (slots[i] != 0 && slots[i] != hash)
    i = (i + 1) & mask;
  slots[i] = hash;
}

/* Returns FALSE if @hash was there already. */
gboolean
_setl_synth_hash_set_add (SetlSynthHashSet *set,
                          guint64    hash)
{
  hash = hash != 0 ? hash : 1;
  if (_setl_synth_hash_set_contains (set, hash))
    return FALSE;
  if ((set->n + 1) * 2 > set->capacity)
    {
      gsize capacity = set->capacity * 2;
      guint64 *slots = g_new0 (guint64, capacity);

      for (gsize i = 0; i < set->capacity; i++)
        if (set->slots[i] != 0)
          hash_set_insert (slots, capacity, set->slots[i]);
      g_free (set->slots);
      set->slots = slots;
      set->capacity = capacity;
    }
  hash_set_insert (set->slots, set->capacity, hash);
  set->n++;
  return TRUE;
}

/* The bytes of a value or a combination, hashed at once (XXH3_64bits())
 * while they fit in a few cache lines, as most do, else streamed into an
 * XXH3 state: both give the same hash for the same bytes, and one call
 * over a short buffer costs less than a streaming state set up a value. */
typedef struct {
  guint8 buffer[256];
  gsize length;
  XXH3_state_t *state;       /* NULL while the bytes fit in the buffer */
} Hasher;

static void
hasher_add (Hasher     *hasher,
            const void *data,
            gsize       length)
{
  if (hasher->state == NULL && hasher->length + length <= sizeof hasher->buffer)
    {
      if (length > 0)
        memcpy (hasher->buffer + hasher->length, data, length);
      hasher->length += length;
      return;
    }
  if (hasher->state == NULL)
    {
      hasher->state = XXH3_createState ();
      XXH3_64bits_reset (hasher->state);
      XXH3_64bits_update (hasher->state, hasher->buffer, hasher->length);
    }
  XXH3_64bits_update (hasher->state, data, length);
}

static guint64
hasher_finish (Hasher *hasher)
{
  guint64 hash;

  if (hasher->state == NULL)
    return XXH3_64bits (hasher->buffer, hasher->length);
  hash = XXH3_64bits_digest (hasher->state);
  XXH3_freeState (hasher->state);
  return hash;
}

/* Adds @value (an unset GValue: a null): a tag (null or not), then the
 * value's bytes; a string's length first, so that the values of a
 * combination cannot run into each other. */
static void
hasher_add_value (Hasher       *hasher,
                  const GValue *value)
{
  guint8 tag = value != NULL && G_IS_VALUE (value) ? 1 : 0;

  hasher_add (hasher, &tag, 1);
  if (!tag)
    return;
  switch (G_VALUE_TYPE (value))
    {
    case G_TYPE_BOOLEAN:
      {
        guint8 b = g_value_get_boolean (value) ? 1 : 0;

        hasher_add (hasher, &b, 1);
        break;
      }
    case G_TYPE_INT:
      {
        gint32 x = g_value_get_int (value);

        hasher_add (hasher, &x, sizeof x);
        break;
      }
    case G_TYPE_INT64:
      {
        gint64 x = g_value_get_int64 (value);

        hasher_add (hasher, &x, sizeof x);
        break;
      }
    case G_TYPE_DOUBLE:
      {
        double x = g_value_get_double (value);

        if (x == 0)
          x = 0;   /* -0 and 0 alike: a redraw at worst */
        hasher_add (hasher, &x, sizeof x);
        break;
      }
    case G_TYPE_STRING:
      {
        const char *s = g_value_get_string (value);
        guint32 length = s != NULL ? (guint32) strlen (s) : 0;

        hasher_add (hasher, &length, sizeof length);
        hasher_add (hasher, s, length);
        break;
      }
    default:
      break;
    }
}

guint64
_setl_synth_value_hash (const GValue *value)
{
  Hasher hasher;

  hasher.length = 0;
  hasher.state = NULL;
  hasher_add_value (&hasher, value);
  return hasher_finish (&hasher);
}

guint64
_setl_synth_row_hash (GValue      **columns,
                      const guint  *indices,
                      guint         n,
                      gint64        row)
{
  Hasher hasher;

  hasher.length = 0;
  hasher.state = NULL;
  for (guint j = 0; j < n; j++)
    hasher_add_value (&hasher, &columns[indices[j]][row]);
  return hasher_finish (&hasher);
}
