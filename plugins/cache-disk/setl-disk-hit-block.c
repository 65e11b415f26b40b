/* setl-disk-hit-block.c: the fixed binary block at the start of a disk
 * cache entry's metadata — what a hit reads, without GVariant.
 *
 * A warm run looks up every factory's entry; reading the entry's metadata
 * as an untrusted GVariant cost about 80,000 instructions a lookup (GLib
 * checks every child it hands out), more than everything else a hit does.
 * So the writer puts the fields a hit needs in a block of fixed layout
 * before the GVariant, and a lookup reads only that block, with explicit
 * bounds checks of its own. The entry file's checksums cover the block,
 * but a checksum is not a signature — anyone who can write the cache
 * directory can write a block whose checksum matches — so nothing in it
 * is trusted: every length is checked against the block, every string for
 * its terminator, embedded nul bytes and UTF-8, every enumeration against
 * its range. Whatever does not check out is an error (the entry is then
 * dropped as damaged), never a read out of bounds.
 *
 * The GVariant after the block still holds the whole entry, the key's
 * ingredients among them: `setl cache explain` and a lookup by a key of
 * another subject (same digest) read that.
 *
 * Layout; every integer little-endian:
 *
 *   0  u32 magic HIT_MAGIC
 *   4  u32 size of the block, a multiple of 8: the GVariant starts there
 *   8  u32 payload kind (HitKind)
 *  12  u32 flags: HIT_FLAG_VALUE (a simple value follows),
 *      HIT_FLAG_NULL_STRING (that value is a NULL string)
 *  16  i64 created (g_get_real_time() microseconds)
 *  24  i64 last access
 *  32  u64 size
 *  40  i64 compute time (microseconds)
 *  48  u64 the TTL in force when the entry was stored (seconds, 0: none)
 *  56  u64 the simple value: a boolean or integer sign- or zero-extended,
 *      a double's bits
 *  64  u32 lengths of: the key's digest, its subject, the data version,
 *      the output fingerprint, the string value
 *  84  u32 reserved, 0
 *  88  those five strings in that order, each followed by a nul byte;
 *      then zeros up to the block's size
 *
 * An empty data version or fingerprint stands for none, as in the
 * GVariant form.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "setl-disk-hit-block.h"
#include "setl-table-file-private.h"

#include <string.h>
#include <gio/gio.h>

#define HIT_MAGIC            0x32484453u   /* "SDH2" */
#define HIT_FIXED_SIZE       88
#define HIT_N_STRINGS        5
#define HIT_FLAG_VALUE       (1u << 0)
#define HIT_FLAG_NULL_STRING (1u << 1)

typedef enum {
  HIT_KIND_TABLE,
  HIT_KIND_BOOLEAN,
  HIT_KIND_INT,
  HIT_KIND_UINT,
  HIT_KIND_INT64,
  HIT_KIND_UINT64,
  HIT_KIND_DOUBLE,
  HIT_KIND_STRING,
  HIT_KIND_NONE,       /* written for an entry without a payload type; never read */
} HitKind;

enum { STR_DIGEST, STR_SUBJECT, STR_DATA_VERSION, STR_FINGERPRINT, STR_VALUE };

static HitKind
kind_of (GType type)
{
  if (type == SETL_TYPE_TABLE)
    return HIT_KIND_TABLE;
  switch (type)
    {
    case G_TYPE_BOOLEAN: return HIT_KIND_BOOLEAN;
    case G_TYPE_INT: return HIT_KIND_INT;
    case G_TYPE_UINT: return HIT_KIND_UINT;
    case G_TYPE_INT64: return HIT_KIND_INT64;
    case G_TYPE_UINT64: return HIT_KIND_UINT64;
    case G_TYPE_DOUBLE: return HIT_KIND_DOUBLE;
    case G_TYPE_STRING: return HIT_KIND_STRING;
    default: return HIT_KIND_NONE;
    }
}

static GType
type_of (HitKind kind)
{
  static const GType simple[] = {
    G_TYPE_INVALID, G_TYPE_BOOLEAN, G_TYPE_INT, G_TYPE_UINT, G_TYPE_INT64,
    G_TYPE_UINT64, G_TYPE_DOUBLE, G_TYPE_STRING,
  };

  return kind == HIT_KIND_TABLE ? SETL_TYPE_TABLE : simple[kind];
}

/* The simple value's 64 bits; FALSE when @value is not of @kind. */
static gboolean
value_bits (HitKind       kind,
            const GValue *value,
            guint64      *bits)
{
  if (kind_of (G_VALUE_TYPE (value)) != kind)
    return FALSE;
  switch (kind)
    {
    case HIT_KIND_BOOLEAN: *bits = g_value_get_boolean (value) ? 1 : 0; break;
    case HIT_KIND_INT: *bits = (guint64) (gint64) g_value_get_int (value); break;
    case HIT_KIND_UINT: *bits = g_value_get_uint (value); break;
    case HIT_KIND_INT64: *bits = (guint64) g_value_get_int64 (value); break;
    case HIT_KIND_UINT64: *bits = g_value_get_uint64 (value); break;
    case HIT_KIND_DOUBLE:
      {
        double d = g_value_get_double (value);
        memcpy (bits, &d, 8);
      }
      break;
    default: *bits = 0; break;
    }
  return TRUE;
}

/**
 * _setl_disk_hit_block_append:
 * @buf: where the block is appended (its length must be a multiple of 8,
 *   so that what follows stays aligned)
 * @entry: the entry
 * @ttl: the TTL in force, in seconds
 * @simple_value: (nullable): a non-table entry's value
 *
 * Appends @entry's hit block. Its size depends only on the lengths of the
 * strings, so that a placeholder and the final entry (same data version
 * length) take the same room.
 */
void
_setl_disk_hit_block_append (GByteArray     *buf,
                             SetlCacheEntry *entry,
                             guint64         ttl,
                             const GValue   *simple_value)
{
  SetlCacheKey *key = setl_cache_entry_get_key (entry);
  const char *data_version = setl_cache_entry_get_data_version (entry);
  const char *fingerprint = setl_cache_entry_get_output_fingerprint (entry);
  HitKind kind = kind_of (setl_cache_entry_get_payload_type (entry));
  const char *strings[HIT_N_STRINGS] = {
    setl_cache_key_get_digest (key), setl_cache_key_get_subject (key),
    data_version ? data_version : "", fingerprint ? fingerprint : "", "",
  };
  guint32 flags = 0;
  guint64 bits = 0;
  guint8 fixed[HIT_FIXED_SIZE] = { 0 };
  gsize start = buf->len;
  gsize total = HIT_FIXED_SIZE;
  static const guint8 zeros[8] = { 0 };

  g_return_if_fail (buf->len % 8 == 0);

  if (kind != HIT_KIND_TABLE && simple_value != NULL && value_bits (kind, simple_value, &bits))
    {
      flags |= HIT_FLAG_VALUE;
      if (kind == HIT_KIND_STRING)
        {
          if (g_value_get_string (simple_value) != NULL)
            strings[STR_VALUE] = g_value_get_string (simple_value);
          else
            flags |= HIT_FLAG_NULL_STRING;
        }
    }
  for (guint i = 0; i < HIT_N_STRINGS; i++)
    total += strlen (strings[i]) + 1;
  total = (total + 7) & ~(gsize) 7;

  stf_put_u32 (fixed + 0, HIT_MAGIC);
  stf_put_u32 (fixed + 4, (guint32) total);
  stf_put_u32 (fixed + 8, kind);
  stf_put_u32 (fixed + 12, flags);
  stf_put_u64 (fixed + 16, (guint64) setl_cache_entry_get_created (entry));
  stf_put_u64 (fixed + 24, (guint64) setl_cache_entry_get_last_access (entry));
  stf_put_u64 (fixed + 32, setl_cache_entry_get_size (entry));
  stf_put_u64 (fixed + 40, (guint64) setl_cache_entry_get_compute_time (entry));
  stf_put_u64 (fixed + 48, ttl);
  stf_put_u64 (fixed + 56, bits);
  for (guint i = 0; i < HIT_N_STRINGS; i++)
    stf_put_u32 (fixed + 64 + 4 * i, (guint32) strlen (strings[i]));
  g_byte_array_append (buf, fixed, sizeof fixed);
  for (guint i = 0; i < HIT_N_STRINGS; i++)
    g_byte_array_append (buf, (const guint8 *) strings[i], (guint) strlen (strings[i]) + 1);
  g_byte_array_append (buf, zeros, (guint) (start + total - buf->len));
}

static gboolean G_GNUC_PRINTF (2, 3)
invalid (GError     **error,
         const char  *format,
         ...)
{
  g_autofree char *what = NULL;
  va_list args;

  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "its hit block %s", what);
  return FALSE;
}

/**
 * _setl_disk_hit_block_size:
 * @data: the metadata
 * @size: its size
 * @block_size: (out): the hit block's size: where the GVariant starts
 * @error: return location for a #GError
 *
 * Checks the block's magic and size only.
 *
 * Returns: %FALSE with %G_IO_ERROR_INVALID_DATA if @data does not start
 *   with a hit block that fits in it
 */
gboolean
_setl_disk_hit_block_size (const guint8  *data,
                           gsize          size,
                           gsize         *block_size,
                           GError       **error)
{
  guint32 n;

  if (size < HIT_FIXED_SIZE)
    return invalid (error, "is cut short (%" G_GSIZE_FORMAT " bytes)", size);
  if (stf_get_u32 (data) != HIT_MAGIC)
    return invalid (error, "has a wrong magic");
  n = stf_get_u32 (data + 4);
  if (n < HIT_FIXED_SIZE || n % 8 != 0 || n > size)
    return invalid (error, "has an invalid size (%u of %" G_GSIZE_FORMAT " bytes)", n, size);
  *block_size = n;
  return TRUE;
}

/* A string of the block that is kept: no nul byte inside, valid UTF-8. */
static gboolean
check_text (const char  *s,
            guint32      len,
            const char  *what,
            GError     **error)
{
  if (memchr (s, 0, len) != NULL || !g_utf8_validate (s, len, NULL))
    return invalid (error, "has a %s that is not valid UTF-8 text", what);
  return TRUE;
}

/* Fills @payload from the block's simple value. */
static gboolean
read_value (HitKind       kind,
            guint64       bits,
            guint32       flags,
            const char   *string,
            GValue       *payload,
            GError      **error)
{
  if (!(flags & HIT_FLAG_VALUE))
    return invalid (error, "lacks its %s value", g_type_name (type_of (kind)));
  if ((flags & HIT_FLAG_NULL_STRING) && kind != HIT_KIND_STRING)
    return invalid (error, "has a NULL %s", g_type_name (type_of (kind)));
  if (kind != HIT_KIND_STRING && *string != '\0')
    return invalid (error, "has a string beside its %s value", g_type_name (type_of (kind)));

  g_value_init (payload, type_of (kind));
  switch (kind)
    {
    case HIT_KIND_BOOLEAN:
      if (bits > 1)
        return invalid (error, "has a boolean of %" G_GUINT64_FORMAT, bits);
      g_value_set_boolean (payload, bits == 1);
      break;
    case HIT_KIND_INT:
      if ((gint64) bits < G_MININT32 || (gint64) bits > G_MAXINT32)
        return invalid (error, "has an int out of range");
      g_value_set_int (payload, (gint) (gint64) bits);
      break;
    case HIT_KIND_UINT:
      if (bits > G_MAXUINT32)
        return invalid (error, "has a uint out of range");
      g_value_set_uint (payload, (guint) bits);
      break;
    case HIT_KIND_INT64: g_value_set_int64 (payload, (gint64) bits); break;
    case HIT_KIND_UINT64: g_value_set_uint64 (payload, bits); break;
    case HIT_KIND_DOUBLE:
      {
        double d;

        memcpy (&d, &bits, 8);
        g_value_set_double (payload, d);
      }
      break;
    case HIT_KIND_STRING:
      if (bits != 0 || ((flags & HIT_FLAG_NULL_STRING) && *string != '\0'))
        return invalid (error, "has a string value that contradicts itself");
      g_value_set_string (payload, (flags & HIT_FLAG_NULL_STRING) ? NULL : string);
      break;
    default:
      g_assert_not_reached ();
    }
  return TRUE;
}

/**
 * _setl_disk_hit_block_read:
 * @data: the metadata, starting with a hit block
 * @size: its size
 * @key: the key the entry was looked up by
 * @stored_ttl: (out) (optional): the TTL in force when it was stored
 * @error: return location for a #GError
 *
 * Reads the entry of @key from its hit block, checking every byte it
 * uses. The entry takes @key itself; a simple value becomes its payload.
 *
 * Returns: (transfer full) (nullable): the entry; %NULL with
 *   %G_IO_ERROR_INVALID_DATA when the block is damaged or is another
 *   digest's; %NULL without an error when it is the entry of @key's digest
 *   under another subject (a key made of the same ingredients), whose
 *   stored key only the GVariant holds
 */
SetlCacheEntry *
_setl_disk_hit_block_read (const guint8   *data,
                           gsize           size,
                           SetlCacheKey   *key,
                           guint64        *stored_ttl,
                           GError        **error)
{
  const char *digest = setl_cache_key_get_digest (key);
  const char *subject = setl_cache_key_get_subject (key);
  const char *strings[HIT_N_STRINGS];
  guint32 lengths[HIT_N_STRINGS];
  gsize block_size, pos = HIT_FIXED_SIZE;
  guint32 kind, flags;
  g_autoptr(SetlCacheEntry) entry = NULL;

  if (!_setl_disk_hit_block_size (data, size, &block_size, error))
    return NULL;
  kind = stf_get_u32 (data + 8);
  flags = stf_get_u32 (data + 12);
  if (kind >= HIT_KIND_NONE)
    {
      invalid (error, "names no payload type a cache can hold (%u)", kind);
      return NULL;
    }
  if ((flags & ~(HIT_FLAG_VALUE | HIT_FLAG_NULL_STRING)) != 0 || stf_get_u32 (data + 84) != 0)
    {
      invalid (error, "has unknown flags");
      return NULL;
    }

  /* Each string and its terminator inside the block; pos never passes
   * block_size, so no sum can wrap. */
  for (guint i = 0; i < HIT_N_STRINGS; i++)
    {
      lengths[i] = stf_get_u32 (data + 64 + 4 * i);
      if (lengths[i] >= block_size - pos || data[pos + lengths[i]] != '\0')
        {
          invalid (error, "has a string that runs past its end");
          return NULL;
        }
      strings[i] = (const char *) data + pos;
      pos += (gsize) lengths[i] + 1;
    }
  for (; pos < block_size; pos++)
    if (data[pos] != 0)
      {
        invalid (error, "has stray bytes after its strings");
        return NULL;
      }

  if (lengths[STR_DIGEST] != strlen (digest) ||
      memcmp (strings[STR_DIGEST], digest, lengths[STR_DIGEST]) != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "it holds the entry of another key than %s", digest);
      return NULL;
    }
  if (lengths[STR_SUBJECT] != strlen (subject) ||
      memcmp (strings[STR_SUBJECT], subject, lengths[STR_SUBJECT]) != 0)
    return NULL;   /* same ingredients, another subject: read the stored key */

  if (!check_text (strings[STR_DATA_VERSION], lengths[STR_DATA_VERSION], "data version", error) ||
      !check_text (strings[STR_FINGERPRINT], lengths[STR_FINGERPRINT], "fingerprint", error) ||
      !check_text (strings[STR_VALUE], lengths[STR_VALUE], "string value", error))
    return NULL;

  entry = setl_cache_entry_new (key, NULL);
  setl_cache_entry_set_payload_type (entry, type_of (kind));
  setl_cache_entry_set_created (entry, (gint64) stf_get_u64 (data + 16));
  setl_cache_entry_set_last_access (entry, (gint64) stf_get_u64 (data + 24));
  setl_cache_entry_set_size (entry, stf_get_u64 (data + 32));
  setl_cache_entry_set_compute_time (entry, (gint64) stf_get_u64 (data + 40));
  if (lengths[STR_DATA_VERSION] > 0)
    setl_cache_entry_set_data_version (entry, strings[STR_DATA_VERSION]);
  if (lengths[STR_FINGERPRINT] > 0)
    setl_cache_entry_set_output_fingerprint (entry, strings[STR_FINGERPRINT]);
  if (stored_ttl != NULL)
    *stored_ttl = stf_get_u64 (data + 48);

  if (kind == HIT_KIND_TABLE)
    {
      if (flags != 0 || stf_get_u64 (data + 56) != 0 || lengths[STR_VALUE] != 0)
        {
          invalid (error, "has a value beside its table");
          return NULL;
        }
    }
  else
    {
      g_auto(GValue) payload = G_VALUE_INIT;

      if (!read_value (kind, stf_get_u64 (data + 56), flags, strings[STR_VALUE], &payload, error))
        return NULL;
      setl_cache_entry_set_payload (entry, &payload);
    }
  return g_steal_pointer (&entry);
}
