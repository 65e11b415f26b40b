/* setl-cache-key.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/**
 * SetlCacheKey:
 *
 * What a cached result depends on: an ordered list of named ingredients
 * (strings), and their digest, an XXH3-128 hash over canonical bytes of
 * the ingredients, written as 32 hexadecimal digits. The digest is what a
 * #SetlCachePolicy stores entries under; the ingredients travel with the
 * entry so that `setl cache explain` can tell which of them changed.
 *
 * Each key also names its *subject*: the stable identity of what is cached
 * (for a factory in a pipeline, the pipeline's and the factory's names).
 * The subject is not part of the digest — two factories that compute the
 * same thing from the same inputs share an entry — but a policy remembers
 * the latest entry of each subject, so that a miss can say "the key
 * changed" rather than "no entry", and say which ingredient did.
 *
 * A new key starts with two ingredients, `format` (the key format,
 * %SETL_CACHE_KEY_FORMAT_VERSION) and `abi` (libsetl's ABI version), so
 * that a change of either invalidates everything. The pipeline adds the
 * factory's type, plugin, versions, properties and inputs (see
 * docs/caching.md).
 *
 * |[<!-- language="C" -->
 * g_autoptr(SetlCacheKey) key = setl_cache_key_new ("daily/clean");
 * setl_cache_key_add (key, "type", "SetlFilterTransform");
 * setl_cache_key_add (key, "property:predicate", "amount > 0");
 * g_print ("%s\n", setl_cache_key_get_digest (key));
 * ]|
 *
 * The canonical bytes are, for each ingredient in order, the name's length
 * as a 32-bit little-endian integer, the name, the value's length likewise
 * and the value: no ambiguity between `("ab", "c")` and `("a", "bc")`.
 */
#include "setl-cache-key.h"
#include "setl-version.h"
#include "setl-private.h"

#include <xxhash.h>

struct _SetlCacheKey
{
  GObject parent_instance;

  char *subject;
  GPtrArray *names;    /* char* */
  GPtrArray *values;   /* char* */
  char *digest;        /* computed on first request, or given when stored */
  gboolean computed;   /* digest computed from the ingredients: no more adds */
};

G_DEFINE_FINAL_TYPE (SetlCacheKey, setl_cache_key, G_TYPE_OBJECT)

static void
setl_cache_key_finalize (GObject *object)
{
  SetlCacheKey *self = SETL_CACHE_KEY (object);

  g_free (self->subject);
  g_ptr_array_unref (self->names);
  g_ptr_array_unref (self->values);
  g_free (self->digest);

  G_OBJECT_CLASS (setl_cache_key_parent_class)->finalize (object);
}

static void
setl_cache_key_class_init (SetlCacheKeyClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = setl_cache_key_finalize;
}

static void
setl_cache_key_init (SetlCacheKey *self)
{
  self->names = g_ptr_array_new_with_free_func (g_free);
  self->values = g_ptr_array_new_with_free_func (g_free);
}

/**
 * setl_cache_key_new:
 * @subject: what the key is for, e.g. `pipeline/factory`
 *
 * Creates a key holding the `format` and `abi` ingredients; add the others
 * with setl_cache_key_add() before asking for the digest.
 *
 * Returns: (transfer full): a new key
 */
SetlCacheKey *
setl_cache_key_new (const char *subject)
{
  static gsize abi = 0;
  SetlCacheKey *self;

  g_return_val_if_fail (subject != NULL, NULL);

  /* Formatted once: every factory of every run makes a key. */
  if (g_once_init_enter (&abi))
    g_once_init_leave (&abi, (gsize) g_strdup_printf ("%d.%d", SETL_ABI_MAJOR, SETL_ABI_MINOR));
  self = g_object_new (SETL_TYPE_CACHE_KEY, NULL);
  self->subject = g_strdup (subject);
  setl_cache_key_add (self, "format", G_STRINGIFY (SETL_CACHE_KEY_FORMAT_VERSION));
  setl_cache_key_add (self, "abi", (const char *) abi);
  return self;
}

/**
 * setl_cache_key_new_stored:
 * @subject: what the key is for
 * @digest: the digest the key was stored under
 *
 * Creates a key as a cache policy read it back: with a known digest and no
 * ingredients (add them with setl_cache_key_add()). Its digest is @digest,
 * not recomputed, so that an entry whose ingredients are not kept still
 * has its key.
 *
 * Returns: (transfer full): a new key
 */
SetlCacheKey *
setl_cache_key_new_stored (const char *subject,
                           const char *digest)
{
  SetlCacheKey *self;

  g_return_val_if_fail (subject != NULL, NULL);
  g_return_val_if_fail (setl_cache_digest_is_valid (digest), NULL);

  self = g_object_new (SETL_TYPE_CACHE_KEY, NULL);
  self->subject = g_strdup (subject);
  self->digest = g_strdup (digest);
  return self;
}

/**
 * setl_cache_key_get_subject:
 * @self: a #SetlCacheKey
 *
 * Returns: what the key is for
 */
const char *
setl_cache_key_get_subject (SetlCacheKey *self)
{
  g_return_val_if_fail (SETL_IS_CACHE_KEY (self), NULL);
  return self->subject;
}

/**
 * setl_cache_key_add:
 * @self: a #SetlCacheKey whose digest has not been asked for yet
 * @name: the ingredient's name, unique in the key (e.g. `property:path`)
 * @value: its value, in a canonical text form
 *
 * Appends an ingredient. Ingredients are hashed in the order they are
 * added, so add them in a deterministic order.
 */
void
setl_cache_key_add (SetlCacheKey *self,
                    const char   *name,
                    const char   *value)
{
  g_return_if_fail (SETL_IS_CACHE_KEY (self));
  g_return_if_fail (name != NULL && value != NULL);
  g_return_if_fail (!self->computed);

  if (setl_cache_key_lookup (self, name) != NULL)
    {
      g_critical ("Cache key “%s”: ingredient “%s” added twice", self->subject, name);
      return;
    }
  g_ptr_array_add (self->names, g_strdup (name));
  g_ptr_array_add (self->values, g_strdup (value));
}

/**
 * setl_cache_key_add_printf:
 * @self: a #SetlCacheKey
 * @name: the ingredient's name
 * @format: printf() format of the value
 * @...: its arguments
 *
 * Like setl_cache_key_add() with a formatted value.
 */
void
setl_cache_key_add_printf (SetlCacheKey *self,
                           const char   *name,
                           const char   *format,
                           ...)
{
  g_autofree char *value = NULL;
  va_list args;

  va_start (args, format);
  value = g_strdup_vprintf (format, args);
  va_end (args);
  setl_cache_key_add (self, name, value);
}

/**
 * setl_cache_key_get_n_ingredients:
 * @self: a #SetlCacheKey
 *
 * Returns: the number of ingredients
 */
guint
setl_cache_key_get_n_ingredients (SetlCacheKey *self)
{
  g_return_val_if_fail (SETL_IS_CACHE_KEY (self), 0);
  return self->names->len;
}

/**
 * setl_cache_key_get_ingredient_name:
 * @self: a #SetlCacheKey
 * @index: below setl_cache_key_get_n_ingredients()
 *
 * Returns: the name of ingredient @index
 */
const char *
setl_cache_key_get_ingredient_name (SetlCacheKey *self,
                                    guint         index)
{
  g_return_val_if_fail (SETL_IS_CACHE_KEY (self), NULL);
  g_return_val_if_fail (index < self->names->len, NULL);
  return g_ptr_array_index (self->names, index);
}

/**
 * setl_cache_key_get_ingredient_value:
 * @self: a #SetlCacheKey
 * @index: below setl_cache_key_get_n_ingredients()
 *
 * Returns: the value of ingredient @index
 */
const char *
setl_cache_key_get_ingredient_value (SetlCacheKey *self,
                                     guint         index)
{
  g_return_val_if_fail (SETL_IS_CACHE_KEY (self), NULL);
  g_return_val_if_fail (index < self->values->len, NULL);
  return g_ptr_array_index (self->values, index);
}

/**
 * setl_cache_key_lookup:
 * @self: a #SetlCacheKey
 * @name: an ingredient's name
 *
 * Returns: (nullable): the ingredient's value, or %NULL if the key has none
 *   of that name
 */
const char *
setl_cache_key_lookup (SetlCacheKey *self,
                       const char   *name)
{
  g_return_val_if_fail (SETL_IS_CACHE_KEY (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  for (guint i = 0; i < self->names->len; i++)
    if (strcmp (g_ptr_array_index (self->names, i), name) == 0)
      return g_ptr_array_index (self->values, i);
  return NULL;
}

/* Writes what the digest covers of @s at @p — its length (u32,
 * little-endian), then its bytes — and returns where that ends. */
static guint8 *
put_string (guint8     *p,
            const char *s,
            gsize       n)
{
  guint32 len = GUINT32_TO_LE ((guint32) n);

  memcpy (p, &len, sizeof len);
  memcpy (p + sizeof len, s, n);
  return p + sizeof len + n;
}

/**
 * setl_cache_key_get_digest:
 * @self: a #SetlCacheKey
 *
 * Returns the key's digest, computing it on the first call; no ingredient
 * can be added afterwards.
 *
 * Returns: 32 lowercase hexadecimal digits
 */
const char *
setl_cache_key_get_digest (SetlCacheKey *self)
{
  static const char hex[] = "0123456789abcdef";
  guint n_strings = 2 * self->names->len;
  g_autofree gsize *lengths = g_new (gsize, n_strings + 1);
  g_autofree guint8 *buf = NULL;
  guint8 *p;
  gsize total = 0;
  XXH128_hash_t hash;
  char *digest;

  g_return_val_if_fail (SETL_IS_CACHE_KEY (self), NULL);

  if (self->digest != NULL)
    return self->digest;

  /* One pass over the ingredients laid end to end: the same hash as
   * feeding them to XXH3's streaming state one by one (as this did
   * before: same digests), at a fraction of the calls — every hit of a
   * warm run computes a key. */
  for (guint i = 0; i < n_strings; i++)
    {
      GPtrArray *from = i % 2 ? self->values : self->names;

      lengths[i] = strlen (g_ptr_array_index (from, i / 2));
      total += 4 + lengths[i];
    }
  p = buf = g_malloc (MAX (total, 1));
  for (guint i = 0; i < n_strings; i++)
    p = put_string (p, g_ptr_array_index (i % 2 ? self->values : self->names, i / 2), lengths[i]);
  hash = XXH3_128bits (buf, total);
  self->computed = TRUE;
  digest = g_malloc (33);
  for (guint i = 0; i < 16; i++)
    {
      guint64 word = i < 8 ? hash.high64 : hash.low64;
      guint byte = (guint) (word >> (8 * (7 - i % 8))) & 0xff;

      digest[2 * i] = hex[byte >> 4];
      digest[2 * i + 1] = hex[byte & 0xf];
    }
  digest[32] = '\0';
  self->digest = digest;
  return self->digest;
}

/**
 * setl_cache_key_equal:
 * @a: a #SetlCacheKey
 * @b: another
 *
 * Returns: whether the two keys have the same digest
 */
gboolean
setl_cache_key_equal (SetlCacheKey *a,
                      SetlCacheKey *b)
{
  g_return_val_if_fail (SETL_IS_CACHE_KEY (a), FALSE);
  g_return_val_if_fail (SETL_IS_CACHE_KEY (b), FALSE);
  return strcmp (setl_cache_key_get_digest (a), setl_cache_key_get_digest (b)) == 0;
}

/**
 * setl_cache_key_diff:
 * @self: a #SetlCacheKey
 * @previous: the key of an earlier entry for the same subject
 *
 * Lists the ingredients that differ: those of @self whose value is not the
 * same in @previous or that @previous lacks, in @self's order, then those
 * only @previous has.
 *
 * Returns: (transfer full) (array zero-terminated=1): the names of the
 *   differing ingredients; empty when the keys have the same ingredients
 */
char **
setl_cache_key_diff (SetlCacheKey *self,
                     SetlCacheKey *previous)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_return_val_if_fail (SETL_IS_CACHE_KEY (self), NULL);
  g_return_val_if_fail (SETL_IS_CACHE_KEY (previous), NULL);

  for (guint i = 0; i < self->names->len; i++)
    {
      const char *name = g_ptr_array_index (self->names, i);
      const char *old = setl_cache_key_lookup (previous, name);

      if (old == NULL || strcmp (old, g_ptr_array_index (self->values, i)) != 0)
        g_strv_builder_add (builder, name);
    }
  for (guint i = 0; i < previous->names->len; i++)
    {
      const char *name = g_ptr_array_index (previous->names, i);

      if (setl_cache_key_lookup (self, name) == NULL)
        g_strv_builder_add (builder, name);
    }
  return g_strv_builder_end (builder);
}

/**
 * setl_cache_key_serialize:
 * @self: a #SetlCacheKey
 *
 * Returns the key as a #GVariant of type `(ssa(ss))`: subject, digest and
 * ingredients, for a policy to store.
 *
 * Returns: (transfer floating): the key as a variant
 */
GVariant *
setl_cache_key_serialize (SetlCacheKey *self)
{
  GVariantBuilder ingredients;

  g_return_val_if_fail (SETL_IS_CACHE_KEY (self), NULL);

  g_variant_builder_init (&ingredients, G_VARIANT_TYPE ("a(ss)"));
  for (guint i = 0; i < self->names->len; i++)
    g_variant_builder_add (&ingredients, "(ss)",
                           (const char *) g_ptr_array_index (self->names, i),
                           (const char *) g_ptr_array_index (self->values, i));
  return g_variant_new ("(ssa(ss))", self->subject, setl_cache_key_get_digest (self),
                        &ingredients);
}

/**
 * setl_cache_key_deserialize:
 * @variant: a variant made by setl_cache_key_serialize()
 * @error: return location for a #GError
 *
 * Reads a key back. Its digest is the stored one (see
 * setl_cache_key_new_stored()).
 *
 * Returns: (transfer full): the key, or %NULL with @error set
 *   (%G_IO_ERROR_INVALID_DATA) when @variant is not a key
 */
SetlCacheKey *
setl_cache_key_deserialize (GVariant  *variant,
                            GError   **error)
{
  g_autoptr(GVariantIter) iter = NULL;
  const char *subject, *digest, *name, *value;
  SetlCacheKey *self;

  g_return_val_if_fail (variant != NULL, NULL);

  if (!g_variant_is_of_type (variant, G_VARIANT_TYPE ("(ssa(ss))")))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "A cache key is a (ssa(ss)) variant, not %s",
                   g_variant_get_type_string (variant));
      return NULL;
    }
  g_variant_get (variant, "(&s&sa(ss))", &subject, &digest, &iter);
  if (!setl_cache_digest_is_valid (digest))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "Cache key of “%s”: “%s” is not a digest", subject, digest);
      return NULL;
    }
  self = setl_cache_key_new_stored (subject, digest);
  while (g_variant_iter_next (iter, "(&s&s)", &name, &value))
    {
      if (setl_cache_key_lookup (self, name) != NULL)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       "Cache key of “%s”: ingredient “%s” appears twice", subject, name);
          g_object_unref (self);
          return NULL;
        }
      g_ptr_array_add (self->names, g_strdup (name));
      g_ptr_array_add (self->values, g_strdup (value));
    }
  return self;
}

/**
 * setl_cache_digest_is_valid:
 * @digest: (nullable): a string
 *
 * Returns: whether @digest is %SETL_CACHE_DIGEST_LENGTH lowercase
 *   hexadecimal digits — what a policy may safely use as a file name
 */
gboolean
setl_cache_digest_is_valid (const char *digest)
{
  if (digest == NULL)
    return FALSE;
  for (guint i = 0; i < SETL_CACHE_DIGEST_LENGTH; i++)
    if (!g_ascii_isxdigit (digest[i]) || g_ascii_isupper (digest[i]))
      return FALSE;
  return digest[SETL_CACHE_DIGEST_LENGTH] == '\0';
}
