/* setl-cache-entry.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/**
 * SetlCacheEntry:
 *
 * One cached result: its #SetlCacheKey (with the ingredients it was
 * computed from), its payload, and metadata — when it was created and last
 * used (wall-clock microseconds, g_get_real_time(), so that they mean the
 * same to every process sharing a disk cache), its size in bytes, its data
 * version (the content hash of the payload, see setl_cache_payload_hash()),
 * how long computing it took (what a hit saves), and the fingerprint of
 * what the factory wrote outside the pipeline, if anything.
 *
 * A policy's lookup returns entries whose payload may not be loaded yet:
 * setl_cache_entry_get_payload() is then %NULL, and
 * setl_cache_entry_get_payload_type() says what setl_cache_policy_load()
 * will fill in.
 *
 * Payloads are a #SetlTable or a simple value (see
 * setl_cache_payload_type_is_supported()).
 */
#include "setl-cache-entry.h"
#include "setl-table.h"
#include "setl-column.h"
#include "setl-cache-private.h"

#include <string.h>
#include <xxhash.h>

struct _SetlCacheEntry
{
  GObject parent_instance;

  SetlCacheKey *key;
  GValue payload;          /* G_VALUE_INIT when not loaded */
  GType payload_type;
  gint64 created;
  gint64 last_access;
  guint64 size;
  char *data_version;
  gint64 compute_time;
  char *output_fingerprint;
};

G_DEFINE_FINAL_TYPE (SetlCacheEntry, setl_cache_entry, G_TYPE_OBJECT)

static void
setl_cache_entry_finalize (GObject *object)
{
  SetlCacheEntry *self = SETL_CACHE_ENTRY (object);

  g_clear_object (&self->key);
  if (G_IS_VALUE (&self->payload))
    g_value_unset (&self->payload);
  g_free (self->data_version);
  g_free (self->output_fingerprint);

  G_OBJECT_CLASS (setl_cache_entry_parent_class)->finalize (object);
}

static void
setl_cache_entry_class_init (SetlCacheEntryClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = setl_cache_entry_finalize;
}

static void
setl_cache_entry_init (SetlCacheEntry *self)
{
}

/**
 * setl_cache_entry_new:
 * @key: the entry's key
 * @payload: (nullable): the cached value, a supported type (see
 *   setl_cache_payload_type_is_supported()), or %NULL for an entry whose
 *   payload is not loaded (set its type with
 *   setl_cache_entry_set_payload_type())
 *
 * Creates an entry created and last used now, of size
 * setl_cache_payload_size() of @payload.
 *
 * Returns: (transfer full): a new entry
 */
SetlCacheEntry *
setl_cache_entry_new (SetlCacheKey *key,
                      const GValue *payload)
{
  SetlCacheEntry *self;

  g_return_val_if_fail (SETL_IS_CACHE_KEY (key), NULL);
  g_return_val_if_fail (payload == NULL || G_IS_VALUE (payload), NULL);

  self = g_object_new (SETL_TYPE_CACHE_ENTRY, NULL);
  self->key = g_object_ref (key);
  self->created = self->last_access = g_get_real_time ();
  if (payload != NULL)
    {
      setl_cache_entry_set_payload (self, payload);
      self->size = setl_cache_payload_size (payload);
    }
  return self;
}

/**
 * setl_cache_entry_get_key:
 * @self: a #SetlCacheEntry
 *
 * Returns: (transfer none): the entry's key
 */
SetlCacheKey *
setl_cache_entry_get_key (SetlCacheEntry *self)
{
  g_return_val_if_fail (SETL_IS_CACHE_ENTRY (self), NULL);
  return self->key;
}

/**
 * setl_cache_entry_get_payload:
 * @self: a #SetlCacheEntry
 *
 * Returns: (nullable): the cached value, or %NULL when it is not loaded
 */
const GValue *
setl_cache_entry_get_payload (SetlCacheEntry *self)
{
  g_return_val_if_fail (SETL_IS_CACHE_ENTRY (self), NULL);
  return G_IS_VALUE (&self->payload) ? &self->payload : NULL;
}

/**
 * setl_cache_entry_set_payload:
 * @self: a #SetlCacheEntry
 * @payload: (nullable): the value, or %NULL to drop it
 *
 * Sets (a copy of; for a table, a reference to) the payload, and the
 * payload type with it.
 */
void
setl_cache_entry_set_payload (SetlCacheEntry *self,
                              const GValue   *payload)
{
  g_return_if_fail (SETL_IS_CACHE_ENTRY (self));

  if (G_IS_VALUE (&self->payload))
    g_value_unset (&self->payload);
  if (payload == NULL)
    return;
  g_return_if_fail (setl_cache_payload_type_is_supported (G_VALUE_TYPE (payload)));
  g_value_init (&self->payload, G_VALUE_TYPE (payload));
  g_value_copy (payload, &self->payload);
  self->payload_type = G_VALUE_TYPE (payload);
}

/**
 * setl_cache_entry_get_payload_type:
 * @self: a #SetlCacheEntry
 *
 * Returns: the type of the payload, loaded or not
 */
GType
setl_cache_entry_get_payload_type (SetlCacheEntry *self)
{
  g_return_val_if_fail (SETL_IS_CACHE_ENTRY (self), G_TYPE_INVALID);
  return self->payload_type;
}

/**
 * setl_cache_entry_set_payload_type:
 * @self: a #SetlCacheEntry
 * @payload_type: the type the payload will have once loaded
 */
void
setl_cache_entry_set_payload_type (SetlCacheEntry *self,
                                   GType           payload_type)
{
  g_return_if_fail (SETL_IS_CACHE_ENTRY (self));
  self->payload_type = payload_type;
}

#define ACCESSORS(ctype, field, getter, setter)       \
  ctype getter (SetlCacheEntry *self)                 \
  {                                                   \
    g_return_val_if_fail (SETL_IS_CACHE_ENTRY (self), 0); \
    return self->field;                               \
  }                                                   \
  void setter (SetlCacheEntry *self, ctype value)     \
  {                                                   \
    g_return_if_fail (SETL_IS_CACHE_ENTRY (self));    \
    self->field = value;                              \
  }

/**
 * setl_cache_entry_get_created:
 * @self: a #SetlCacheEntry
 *
 * Returns: when the entry was created, in g_get_real_time() microseconds
 */
/**
 * setl_cache_entry_set_created:
 * @self: a #SetlCacheEntry
 * @created: in g_get_real_time() microseconds
 */
ACCESSORS (gint64, created, setl_cache_entry_get_created, setl_cache_entry_set_created)
/**
 * setl_cache_entry_get_last_access:
 * @self: a #SetlCacheEntry
 *
 * Returns: when the entry was last stored or loaded, in g_get_real_time()
 *   microseconds
 */
/**
 * setl_cache_entry_set_last_access:
 * @self: a #SetlCacheEntry
 * @last_access: in g_get_real_time() microseconds
 */
ACCESSORS (gint64, last_access, setl_cache_entry_get_last_access, setl_cache_entry_set_last_access)
/**
 * setl_cache_entry_get_size:
 * @self: a #SetlCacheEntry
 *
 * Returns: the payload's size in bytes (in memory; a disk policy may set
 *   the size on disk instead)
 */
/**
 * setl_cache_entry_set_size:
 * @self: a #SetlCacheEntry
 * @size: in bytes
 */
ACCESSORS (guint64, size, setl_cache_entry_get_size, setl_cache_entry_set_size)
/**
 * setl_cache_entry_get_compute_time:
 * @self: a #SetlCacheEntry
 *
 * Returns: how long computing the payload took, in microseconds: what a
 *   hit saves
 */
/**
 * setl_cache_entry_set_compute_time:
 * @self: a #SetlCacheEntry
 * @compute_time: in microseconds
 */
ACCESSORS (gint64, compute_time, setl_cache_entry_get_compute_time, setl_cache_entry_set_compute_time)

/**
 * setl_cache_entry_get_data_version:
 * @self: a #SetlCacheEntry
 *
 * Returns: (nullable): the content hash of the payload, which the keys of
 *   the factories that depend on this result are built from
 */
const char *
setl_cache_entry_get_data_version (SetlCacheEntry *self)
{
  g_return_val_if_fail (SETL_IS_CACHE_ENTRY (self), NULL);
  return self->data_version;
}

/**
 * setl_cache_entry_set_data_version:
 * @self: a #SetlCacheEntry
 * @data_version: (nullable): a content hash
 */
void
setl_cache_entry_set_data_version (SetlCacheEntry *self,
                                   const char     *data_version)
{
  g_return_if_fail (SETL_IS_CACHE_ENTRY (self));
  _setl_set_str (&self->data_version, data_version);
}

/**
 * setl_cache_entry_get_output_fingerprint:
 * @self: a #SetlCacheEntry
 *
 * Returns: (nullable): the fingerprint of what the factory wrote outside
 *   the pipeline (see #SetlCacheable), or %NULL
 */
const char *
setl_cache_entry_get_output_fingerprint (SetlCacheEntry *self)
{
  g_return_val_if_fail (SETL_IS_CACHE_ENTRY (self), NULL);
  return self->output_fingerprint;
}

/**
 * setl_cache_entry_set_output_fingerprint:
 * @self: a #SetlCacheEntry
 * @fingerprint: (nullable): a fingerprint
 */
void
setl_cache_entry_set_output_fingerprint (SetlCacheEntry *self,
                                         const char     *fingerprint)
{
  g_return_if_fail (SETL_IS_CACHE_ENTRY (self));
  _setl_set_str (&self->output_fingerprint, fingerprint);
}

/**
 * setl_cache_entry_is_expired:
 * @self: a #SetlCacheEntry
 * @ttl_seconds: a time to live, 0 for none
 * @now: the current time, in g_get_real_time() microseconds
 *
 * Returns: whether the entry is older than @ttl_seconds
 */
gboolean
setl_cache_entry_is_expired (SetlCacheEntry *self,
                             guint64         ttl_seconds,
                             gint64          now)
{
  g_return_val_if_fail (SETL_IS_CACHE_ENTRY (self), FALSE);

  if (ttl_seconds == 0)
    return FALSE;
  return now - self->created >= (gint64) MIN (ttl_seconds, G_MAXINT64 / G_USEC_PER_SEC) * G_USEC_PER_SEC;
}

/**
 * setl_cache_entry_copy_metadata:
 * @self: a #SetlCacheEntry
 *
 * Returns: (transfer full): a new entry with the same key and metadata
 *   and no payload (its payload type is kept)
 */
SetlCacheEntry *
setl_cache_entry_copy_metadata (SetlCacheEntry *self)
{
  SetlCacheEntry *copy;

  g_return_val_if_fail (SETL_IS_CACHE_ENTRY (self), NULL);

  copy = setl_cache_entry_new (self->key, NULL);
  copy->payload_type = self->payload_type;
  copy->created = self->created;
  copy->last_access = self->last_access;
  copy->size = self->size;
  copy->data_version = g_strdup (self->data_version);
  copy->compute_time = self->compute_time;
  copy->output_fingerprint = g_strdup (self->output_fingerprint);
  return copy;
}

/* The variant form of the metadata: key, payload type name, created,
 * last access, size, data version, compute time, output fingerprint
 * ("" for none). */
#define METADATA_TYPE "((ssa(ss))sxxtsxs)"

/**
 * setl_cache_entry_serialize_metadata:
 * @self: a #SetlCacheEntry
 *
 * Returns the key and metadata (not the payload) as a #GVariant of type
 * `((ssa(ss))sxxtsxs)`, for a policy to store next to the payload.
 *
 * Returns: (transfer floating): the metadata as a variant
 */
GVariant *
setl_cache_entry_serialize_metadata (SetlCacheEntry *self)
{
  g_return_val_if_fail (SETL_IS_CACHE_ENTRY (self), NULL);

  return g_variant_new ("(@(ssa(ss))sxxtsxs)",
                        setl_cache_key_serialize (self->key),
                        self->payload_type ? g_type_name (self->payload_type) : "",
                        self->created, self->last_access, self->size,
                        self->data_version ? self->data_version : "",
                        self->compute_time,
                        self->output_fingerprint ? self->output_fingerprint : "");
}

/* A string child of @variant, which must hold one at @index; valid as
 * long as @variant (the child's data is @variant's). */
static const char *
child_string (GVariant *variant,
              gsize     index)
{
  g_autoptr(GVariant) child = g_variant_get_child_value (variant, index);

  return g_variant_get_string (child, NULL);
}

static gint64
child_int64 (GVariant *variant,
             gsize     index)
{
  g_autoptr(GVariant) child = g_variant_get_child_value (variant, index);

  return g_variant_get_int64 (child);
}

/* Reads @variant back. With @known, the key the caller looked the entry up
 * by: when the stored key has its digest and subject, the entry takes
 * @known and the stored ingredients (dozens of strings, most of a lookup's
 * time) are not read — the digest is a hash of them, so they are the same. */
static SetlCacheEntry *
deserialize_metadata (GVariant      *variant,
                      SetlCacheKey  *known,
                      GError       **error)
{
  g_autoptr(GVariant) key_variant = NULL;
  g_autoptr(SetlCacheKey) key = NULL;
  const char *type_name, *data_version, *fingerprint;
  gint64 created, last_access, compute_time;
  guint64 size;
  GType payload_type = G_TYPE_INVALID;
  SetlCacheEntry *self;

  if (!g_variant_is_of_type (variant, G_VARIANT_TYPE (METADATA_TYPE)))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "Cache entry metadata is a %s variant, not %s", METADATA_TYPE,
                   g_variant_get_type_string (variant));
      return NULL;
    }
  /* Child by child: g_variant_get() parses its format string on every
   * call, and a warm run decodes one entry per factory. */
  key_variant = g_variant_get_child_value (variant, 0);
  type_name = child_string (variant, 1);
  created = child_int64 (variant, 2);
  last_access = child_int64 (variant, 3);
  {
    g_autoptr(GVariant) child = g_variant_get_child_value (variant, 4);
    size = g_variant_get_uint64 (child);
  }
  data_version = child_string (variant, 5);
  compute_time = child_int64 (variant, 6);
  fingerprint = child_string (variant, 7);
  if (known != NULL)
    {
      const char *subject = child_string (key_variant, 0);
      const char *digest = child_string (key_variant, 1);

      if (strcmp (digest, setl_cache_key_get_digest (known)) != 0)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       "Cache entry of “%s” holds the entry of key %s, not %s",
                       subject, digest, setl_cache_key_get_digest (known));
          return NULL;
        }
      if (strcmp (subject, setl_cache_key_get_subject (known)) == 0)
        key = g_object_ref (known);
    }
  if (key == NULL)
    key = setl_cache_key_deserialize (key_variant, error);
  if (key == NULL)
    return NULL;
  if (*type_name != '\0')
    {
      /* Tables need libsetl's types registered; the simple types always are. */
      g_type_ensure (SETL_TYPE_TABLE);
      payload_type = g_type_from_name (type_name);
      if (!setl_cache_payload_type_is_supported (payload_type))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       "Cache entry of “%s”: payload type “%s” is not one a "
                       "cache can hold", setl_cache_key_get_subject (key), type_name);
          return NULL;
        }
    }
  self = setl_cache_entry_new (key, NULL);
  self->payload_type = payload_type;
  self->created = created;
  self->last_access = last_access;
  self->size = size;
  self->data_version = *data_version ? g_strdup (data_version) : NULL;
  self->compute_time = compute_time;
  self->output_fingerprint = *fingerprint ? g_strdup (fingerprint) : NULL;
  return self;
}

/**
 * setl_cache_entry_deserialize_metadata:
 * @variant: a variant made by setl_cache_entry_serialize_metadata()
 * @error: return location for a #GError
 *
 * Reads an entry's key and metadata back; its payload is not loaded.
 *
 * Returns: (transfer full): the entry, or %NULL with @error set
 *   (%G_IO_ERROR_INVALID_DATA) when @variant is not entry metadata or names
 *   a payload type this process does not know
 */
SetlCacheEntry *
setl_cache_entry_deserialize_metadata (GVariant  *variant,
                                       GError   **error)
{
  g_return_val_if_fail (variant != NULL, NULL);

  return deserialize_metadata (variant, NULL, error);
}

/**
 * setl_cache_entry_deserialize_metadata_for_key:
 * @variant: a variant made by setl_cache_entry_serialize_metadata()
 * @key: the key the entry was looked up by
 * @error: return location for a #GError
 *
 * Like setl_cache_entry_deserialize_metadata(), for a policy that looked
 * the entry up by @key. When the stored key has @key's digest and subject,
 * the entry takes @key itself and the stored key's ingredients are not
 * read back (the digest is a hash of them): a lookup is then several times
 * faster. Otherwise the stored key is read as it is.
 *
 * Returns: (transfer full): the entry, or %NULL with @error set
 *   (%G_IO_ERROR_INVALID_DATA) when @variant is not entry metadata, is the
 *   entry of another digest than @key's, or names a payload type this
 *   process does not know
 */
SetlCacheEntry *
setl_cache_entry_deserialize_metadata_for_key (GVariant      *variant,
                                               SetlCacheKey  *key,
                                               GError       **error)
{
  g_return_val_if_fail (variant != NULL, NULL);
  g_return_val_if_fail (SETL_IS_CACHE_KEY (key), NULL);

  return deserialize_metadata (variant, key, error);
}

/**
 * setl_cache_payload_type_is_supported:
 * @type: a #GType
 *
 * Returns: whether a cache policy can hold values of @type: a
 *   #SetlTable, %G_TYPE_BOOLEAN, %G_TYPE_INT, %G_TYPE_UINT,
 *   %G_TYPE_INT64, %G_TYPE_UINT64, %G_TYPE_DOUBLE or %G_TYPE_STRING
 */
gboolean
setl_cache_payload_type_is_supported (GType type)
{
  return type == SETL_TYPE_TABLE || type == G_TYPE_BOOLEAN || type == G_TYPE_INT ||
         type == G_TYPE_UINT || type == G_TYPE_INT64 || type == G_TYPE_UINT64 ||
         type == G_TYPE_DOUBLE || type == G_TYPE_STRING;
}

static void
hash_u64 (XXH3_state_t *state,
          guint64       v)
{
  v = GUINT64_TO_LE (v);
  XXH3_128bits_update (state, &v, sizeof v);
}

static void
hash_str (XXH3_state_t *state,
          const char   *s,
          gsize         len)
{
  hash_u64 (state, len);
  XXH3_128bits_update (state, s, len);
}

/* A column's canonical form, fed batch after batch into three streams so
 * that how the table is cut into batches does not count, nor what lies
 * under a null: one validity byte per row; the values (nulls as zero) or,
 * for strings, their lengths; and the strings' bytes. Each batch goes in
 * with a few large updates: a hash over ten million rows must cost far
 * less than computing them. */
typedef struct {
  XXH3_state_t *validity;
  XXH3_state_t *values;
  XXH3_state_t *bytes;
} ColumnHash;

static void
column_hash_init (ColumnHash *ch)
{
  ch->validity = XXH3_createState ();
  ch->values = XXH3_createState ();
  ch->bytes = XXH3_createState ();
  XXH3_128bits_reset (ch->validity);
  XXH3_128bits_reset (ch->values);
  XXH3_128bits_reset (ch->bytes);
}

static void
column_hash_finish (ColumnHash   *ch,
                    XXH3_state_t *into)
{
  XXH3_state_t *parts[] = { ch->validity, ch->values, ch->bytes };

  for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
    {
      XXH128_hash_t h = XXH3_128bits_digest (parts[i]);
      guint64 words[2] = { GUINT64_TO_LE (h.high64), GUINT64_TO_LE (h.low64) };

      XXH3_128bits_update (into, words, sizeof words);
      XXH3_freeState (parts[i]);
    }
}

static void
hash_column (ColumnHash *ch,
             SetlColumn *column)
{
  static const guint8 ones[4096] = { [0 ... 4095] = 1 };
  gint64 n = setl_column_get_length (column);
  gint64 offset = setl_column_get_offset (column);
  gboolean has_nulls = setl_column_get_null_count (column) > 0;
  SetlDataType type = setl_column_get_data_type (column);
  g_autofree guint8 *valid = NULL;
  gsize width;

  if (n == 0)
    return;
  if (has_nulls)
    {
      valid = g_malloc ((gsize) n);
      for (gint64 r = 0; r < n; r++)
        valid[r] = !setl_column_is_null (column, r);
      XXH3_128bits_update (ch->validity, valid, (gsize) n);
    }
  else
    for (gint64 done = 0; done < n; done += sizeof ones)
      XXH3_128bits_update (ch->validity, ones, (gsize) MIN ((gint64) sizeof ones, n - done));

  switch (type)
    {
    case SETL_DATA_TYPE_BOOL:
      {
        g_autofree guint8 *b = g_malloc ((gsize) n);
        for (gint64 r = 0; r < n; r++)
          b[r] = (!valid || valid[r]) && setl_column_get_bool (column, r);
        XXH3_128bits_update (ch->values, b, (gsize) n);
        return;
      }
    case SETL_DATA_TYPE_STRING:
      {
        const gint32 *offsets = setl_column_get_values_data (column);
        const char *data = setl_column_get_string_data (column);
        g_autofree guint64 *lengths = g_new (guint64, n);

        for (gint64 r = 0; r < n; r++)
          lengths[r] = (!valid || valid[r])
            ? GUINT64_TO_LE ((guint64) (offsets[offset + r + 1] - offsets[offset + r])) : 0;
        XXH3_128bits_update (ch->values, lengths, (gsize) n * sizeof (guint64));
        if (data == NULL)
          return;
        if (!has_nulls)   /* contiguous: all the bytes at once */
          XXH3_128bits_update (ch->bytes, data + offsets[offset],
                               (gsize) (offsets[offset + n] - offsets[offset]));
        else
          for (gint64 r = 0; r < n; r++)
            if (valid[r])
              XXH3_128bits_update (ch->bytes, data + offsets[offset + r],
                                   (gsize) (offsets[offset + r + 1] - offsets[offset + r]));
        return;
      }
    case SETL_DATA_TYPE_DATE32:
      width = 4;
      break;
    case SETL_DATA_TYPE_INT64:
    case SETL_DATA_TYPE_DOUBLE:
    case SETL_DATA_TYPE_TIMESTAMP:
    default:
      width = 8;
      break;
    }

  {
    const guint8 *values = (const guint8 *) setl_column_get_values_data (column) + offset * width;

    if (!has_nulls && G_BYTE_ORDER == G_LITTLE_ENDIAN)
      {
        XXH3_128bits_update (ch->values, values, (gsize) n * width);
        return;
      }
    {
      /* Nulls as zero; little-endian whatever the machine. */
      g_autofree guint8 *copy = g_malloc0 ((gsize) n * width);

      for (gint64 r = 0; r < n; r++)
        if (!valid || valid[r])
          {
            if (width == 4)
              {
                guint32 v;
                memcpy (&v, values + r * 4, 4);
                v = GUINT32_TO_LE (v);
                memcpy (copy + r * 4, &v, 4);
              }
            else
              {
                guint64 v;
                memcpy (&v, values + r * 8, 8);
                v = GUINT64_TO_LE (v);
                memcpy (copy + r * 8, &v, 8);
              }
          }
      XXH3_128bits_update (ch->values, copy, (gsize) n * width);
    }
  }
}

static void
hash_fields (XXH3_state_t *state,
             SetlField   **fields,
             guint         n_fields)
{
  hash_str (state, "table", 5);
  hash_u64 (state, n_fields);
  for (guint i = 0; i < n_fields; i++)
    {
      const char *name = setl_field_get_name (fields[i]);
      const char *tz = setl_field_get_timezone (fields[i]);

      hash_str (state, name, strlen (name));
      hash_u64 (state, setl_field_get_data_type (fields[i]));
      hash_u64 (state, setl_field_get_nullable (fields[i]));
      hash_str (state, tz ? tz : "", tz ? strlen (tz) : 0);
    }
}

/* The content hash of a table fed batch by batch, so that a stream can be
 * hashed as it passes without being held: the schema and the row count go
 * in first, the columns' streams after them — the row count is only known
 * at the end, so the columns are kept in states of their own until then.
 * setl_cache_payload_hash() of a table goes through here too: both give
 * the same digest for the same data by construction. */
struct _SetlTableHasher
{
  GPtrArray  *fields;
  ColumnHash *columns;
  guint64     n_rows;
  gboolean    finished;   /* the columns' states were consumed */
};

SetlTableHasher *
_setl_table_hasher_new (SetlField **fields,
                        guint       n_fields)
{
  SetlTableHasher *self = g_new0 (SetlTableHasher, 1);

  self->fields = g_ptr_array_new_full (n_fields, g_object_unref);
  for (guint i = 0; i < n_fields; i++)
    g_ptr_array_add (self->fields, g_object_ref (fields[i]));
  self->columns = g_new0 (ColumnHash, MAX (n_fields, 1));
  for (guint i = 0; i < n_fields; i++)
    column_hash_init (&self->columns[i]);
  return self;
}

/* @batch must have the hasher's schema (the caller's stream says so). */
void
_setl_table_hasher_add_batch (SetlTableHasher *self,
                              SetlRecordBatch *batch)
{
  g_return_if_fail (setl_record_batch_get_n_columns (batch) == self->fields->len);

  self->n_rows += (guint64) setl_record_batch_get_n_rows (batch);
  for (guint c = 0; c < self->fields->len; c++)
    hash_column (&self->columns[c], setl_record_batch_get_column (batch, c));
}

static void
table_hasher_finish_into (SetlTableHasher *self,
                          XXH3_state_t    *state)
{
  hash_fields (state, (SetlField **) self->fields->pdata, self->fields->len);
  hash_u64 (state, self->n_rows);
  for (guint c = 0; c < self->fields->len; c++)
    column_hash_finish (&self->columns[c], state);
  self->finished = TRUE;
}

static char *
digest_to_string (XXH3_state_t *state)
{
  XXH128_hash_t hash = XXH3_128bits_digest (state);

  return g_strdup_printf ("%016" G_GINT64_MODIFIER "x%016" G_GINT64_MODIFIER "x",
                          (guint64) hash.high64, (guint64) hash.low64);
}

/* Frees @self; returns what setl_cache_payload_hash() gives for a table
 * made of the batches it was fed. */
char *
_setl_table_hasher_finish (SetlTableHasher *self)
{
  XXH3_state_t *state = XXH3_createState ();
  char *digest;

  XXH3_128bits_reset (state);
  table_hasher_finish_into (self, state);
  digest = digest_to_string (state);
  XXH3_freeState (state);
  _setl_table_hasher_free (self);
  return digest;
}

void
_setl_table_hasher_free (SetlTableHasher *self)
{
  if (self == NULL)
    return;
  /* Columns not finished yet still hold their states. */
  for (guint c = 0; !self->finished && c < self->fields->len; c++)
    {
      XXH3_freeState (self->columns[c].validity);
      XXH3_freeState (self->columns[c].values);
      XXH3_freeState (self->columns[c].bytes);
    }
  g_ptr_array_unref (self->fields);
  g_free (self->columns);
  g_free (self);
}

static void
hash_table (XXH3_state_t *state,
            SetlTable    *table)
{
  guint n_fields = 0;
  SetlField **fields = setl_table_get_fields (table, &n_fields);
  SetlTableHasher *hasher = _setl_table_hasher_new (fields, n_fields);

  for (guint b = 0; b < setl_table_get_n_batches (table); b++)
    _setl_table_hasher_add_batch (hasher, setl_table_get_batch (table, b));
  table_hasher_finish_into (hasher, state);
  _setl_table_hasher_free (hasher);
}

/**
 * setl_cache_payload_hash:
 * @payload: a value of a supported type (see
 *   setl_cache_payload_type_is_supported())
 * @error: return location for a #GError
 *
 * Hashes a payload's content (XXH3-128): for a table, its schema and its
 * values, whatever the batches it is cut into. Two payloads with the same
 * hash hold the same data, which is what early cut-off relies on.
 *
 * Returns: (transfer full): 32 hexadecimal digits, or %NULL with @error set
 *   (%G_IO_ERROR_NOT_SUPPORTED) for an unsupported type
 */
char *
setl_cache_payload_hash (const GValue  *payload,
                         GError       **error)
{
  XXH3_state_t *state;
  char *digest;
  GType type;

  g_return_val_if_fail (G_IS_VALUE (payload), NULL);

  type = G_VALUE_TYPE (payload);
  if (!setl_cache_payload_type_is_supported (type))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   "A value of type %s cannot be cached", g_type_name (type));
      return NULL;
    }

  state = XXH3_createState ();
  XXH3_128bits_reset (state);
  if (type == SETL_TYPE_TABLE)
    {
      SetlTable *table = g_value_get_object (payload);
      if (table != NULL)
        hash_table (state, table);
      else
        hash_str (state, "null", 4);
    }
  else
    {
      g_autofree char *text = NULL;

      if (type == G_TYPE_STRING)
        text = g_strdup (g_value_get_string (payload));
      else if (type == G_TYPE_DOUBLE)
        {
          double d = g_value_get_double (payload);
          text = g_strdup_printf ("%a", d);   /* exact, unlike %g */
        }
      else
        {
          GValue as_string = G_VALUE_INIT;
          g_value_init (&as_string, G_TYPE_STRING);
          g_value_transform (payload, &as_string);
          text = g_value_dup_string (&as_string);
          g_value_unset (&as_string);
        }
      hash_str (state, g_type_name (type), strlen (g_type_name (type)));
      hash_str (state, text ? text : "", text ? strlen (text) : 0);
      hash_u64 (state, text == NULL);
    }
  digest = digest_to_string (state);
  XXH3_freeState (state);
  return digest;
}

/**
 * setl_cache_payload_size:
 * @payload: a value of a supported type
 *
 * Returns: how many bytes of memory @payload holds: a table's buffers
 *   (setl_table_get_byte_size()), a string's length, or the size of a
 *   number
 */
guint64
setl_cache_payload_size (const GValue *payload)
{
  g_return_val_if_fail (G_IS_VALUE (payload), 0);

  if (G_VALUE_HOLDS (payload, SETL_TYPE_TABLE))
    {
      SetlTable *table = g_value_get_object (payload);
      return table ? setl_table_get_byte_size (table) : 0;
    }
  if (G_VALUE_HOLDS_STRING (payload))
    {
      const char *s = g_value_get_string (payload);
      return s ? strlen (s) + 1 : 0;
    }
  return sizeof (gint64);
}
