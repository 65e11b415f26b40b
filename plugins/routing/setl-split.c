/* setl-split.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/**
 * SetlSplit:
 *
 * The "split" transform: assigns each row of its input "in" to one of the
 * #SetlSplit:variants (`["control=50", "treatment=50"]`, percentages summing
 * to 100) by a deterministic hash — XXH3-64 of the row's #SetlSplit:key
 * value, as text, seeded with #SetlSplit:seed — and adds the variant's name
 * as a string column (#SetlSplit:variant-column, "variant"). The same key,
 * seed and percentages give the same variant on every run and machine; a
 * null key hashes as one value of its own.
 *
 * Without a #SetlSplit:key the whole run goes to one variant, picked by the
 * hash of #SetlSplit:run-key (a date, a batch id…): every row gets it, the
 * run report records it for the factory, and conditions read it as
 * `$SPLIT.variant` — so that `"when": "$ab.variant = 'treatment'"` runs a
 * factory only in that variant's runs.
 *
 * With #SetlSplit:variant set, the split passes on only that variant's rows:
 * one split factory per variant, all with the same key, seed and
 * percentages, give each variant's factories their own input. In that case
 * the report records that variant for the factory.
 */
#include "setl-split.h"

#include <xxhash.h>
#include <string.h>

struct _SetlSplit
{
  SetlFactory parent_instance;

  char *key;
  guint64 seed;
  GStrv variants;
  char *run_key;
  char *variant_column;
  char *variant;

  /* from read() */
  SetlBatchStream *input;
  GPtrArray *names;         /* of char* */
  GArray *cumulative;       /* of double */
  int key_index;            /* -1: whole runs */
  int chosen;               /* the run's variant (whole runs) */
  int only;                 /* -1: every variant's rows */
};

enum {
  PROP_0,
  PROP_KEY,
  PROP_SEED,
  PROP_VARIANTS,
  PROP_RUN_KEY,
  PROP_VARIANT_COLUMN,
  PROP_VARIANT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (SetlSplit, setl_split, SETL_TYPE_FACTORY)

guint
setl_split_pick (const char   *key,
                 gsize         len,
                 guint64       seed,
                 const double *cumulative,
                 guint         n_variants)
{
  XXH64_hash_t h = XXH3_64bits_withSeed (key, len, seed);
  /* The top 53 bits as a fraction in [0, 1): exact in a double. */
  double u = (double) (h >> 11) * (1.0 / 9007199254740992.0);

  for (guint i = 0; i + 1 < n_variants; i++)
    if (u < cumulative[i])
      return i;
  return n_variants - 1;
}

static char *
describe (SetlFactory *factory)
{
  return g_strdup_printf ("split “%s”", setl_factory_get_name (factory));
}

/* Parses "name=percent" items into names and cumulative fractions. */
static gboolean
parse_variants (SetlSplit  *self,
                GError    **error)
{
  g_autofree char *who = describe (SETL_FACTORY (self));
  double total = 0;

  /* New arrays: the streams of an earlier run still share the old ones. */
  g_ptr_array_unref (self->names);
  g_array_unref (self->cumulative);
  self->names = g_ptr_array_new_with_free_func (g_free);
  self->cumulative = g_array_new (FALSE, FALSE, sizeof (double));
  if (self->variants == NULL || self->variants[0] == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "%s: “variants” is not set (e.g. [\"control=50\", \"treatment=50\"])", who);
      return FALSE;
    }
  for (guint i = 0; self->variants[i] != NULL; i++)
    {
      const char *item = self->variants[i];
      const char *eq = strchr (item, '=');
      g_autofree char *name = eq ? g_strstrip (g_strndup (item, eq - item)) : NULL;
      char *end = NULL;
      double pct = eq ? g_ascii_strtod (eq + 1, &end) : -1;

      if (eq == NULL || name[0] == '\0' || end == eq + 1 || *g_strchug (end) != '\0' || !(pct >= 0 && pct <= 100))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       "%s: variant “%s” is not “NAME=PERCENT” with a percentage from 0 to 100",
                       who, item);
          return FALSE;
        }
      for (guint j = 0; j < self->names->len; j++)
        if (g_str_equal (g_ptr_array_index (self->names, j), name))
          {
            g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                         "%s: variant “%s” is listed twice", who, name);
            return FALSE;
          }
      total += pct;
      g_ptr_array_add (self->names, g_steal_pointer (&name));
      g_array_append_val (self->cumulative, total);
    }
  if (total < 100 - 1e-9 || total > 100 + 1e-9)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "%s: the variants' percentages add up to %g, not 100", who, total);
      return FALSE;
    }
  for (guint i = 0; i < self->cumulative->len; i++)
    g_array_index (self->cumulative, double, i) /= total;
  return TRUE;
}

static int
variant_index (SetlSplit  *self,
               const char *name)
{
  for (guint i = 0; i < self->names->len; i++)
    if (g_str_equal (g_ptr_array_index (self->names, i), name))
      return (int) i;
  return -1;
}

static gboolean
setl_split_read (SetlFactory   *factory,
                 GCancellable  *cancellable,
                 GError       **error)
{
  SetlSplit *self = SETL_SPLIT (factory);
  g_autofree char *who = describe (factory);
  const GValue *in = setl_factory_get_input (factory, "in");
  SetlField **fields;
  guint n_fields;

  g_clear_object (&self->input);
  setl_factory_set_variant (factory, NULL);
  if (in == NULL || g_value_get_object (in) == NULL)
    {
      g_set_error (error, SETL_PIPELINE_ERROR, SETL_PIPELINE_ERROR_MISSING_DELIVERY,
                   "%s: its input “in” has no data", who);
      return FALSE;
    }
  if (!parse_variants (self, error))
    return FALSE;
  self->input = g_object_ref (g_value_get_object (in));
  fields = setl_batch_stream_get_fields (self->input, &n_fields);

  for (guint i = 0; i < n_fields; i++)
    if (g_str_equal (setl_field_get_name (fields[i]), self->variant_column))
      {
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS,
                     "%s: the input already has a column “%s”; choose another “variant-column”",
                     who, self->variant_column);
        return FALSE;
      }

  self->only = -1;
  if (self->variant != NULL && *self->variant != '\0' &&
      (self->only = variant_index (self, self->variant)) < 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "%s: “variant” is “%s”, which is not one of its variants", who, self->variant);
      return FALSE;
    }

  self->key_index = -1;
  self->chosen = -1;
  if (self->key != NULL && *self->key != '\0')
    {
      for (guint i = 0; i < n_fields && self->key_index < 0; i++)
        if (g_str_equal (setl_field_get_name (fields[i]), self->key))
          self->key_index = (int) i;
      if (self->key_index < 0)
        {
          g_autoptr(GString) names = g_string_new (NULL);

          for (guint i = 0; i < n_fields; i++)
            g_string_append_printf (names, "%s“%s”", i ? ", " : "", setl_field_get_name (fields[i]));
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                       "%s: the key column “%s” is not in its input (which has %s)",
                       who, self->key, names->str);
          return FALSE;
        }
      if (self->only >= 0)
        setl_factory_set_variant (factory, self->variant);
    }
  else
    {
      if (self->run_key == NULL || *self->run_key == '\0')
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       "%s: set “key” (a column, to split rows) or “run-key” (to split whole runs)", who);
          return FALSE;
        }
      self->chosen = (int) setl_split_pick (self->run_key, strlen (self->run_key), self->seed,
                                            (const double *) self->cumulative->data,
                                            self->cumulative->len);
      setl_factory_set_variant (factory, g_ptr_array_index (self->names, self->chosen));
    }
  return TRUE;
}

/* What a pass needs, immutable once made. */
typedef struct
{
  GPtrArray *names;
  GArray *cumulative;
  guint64 seed;
  int key_index;
  int chosen;
  int only;
  SetlField **fields;       /* the output's, borrowed from the stream */
  guint n_fields;
} SplitData;

static void
split_data_free (gpointer p)
{
  SplitData *d = p;

  g_ptr_array_unref (d->names);
  g_array_unref (d->cumulative);
  for (guint i = 0; i < d->n_fields; i++)
    g_object_unref (d->fields[i]);
  g_free (d->fields);
  g_free (d);
}

/* The key of row @i as the text that is hashed; NULL for a null. */
static const char *
key_text (SetlColumn *col,
          gint64      i,
          char       *buf,
          gsize       size,
          gsize      *len)
{
  if (setl_column_is_null (col, i))
    return NULL;
  switch (setl_column_get_data_type (col))
    {
    case SETL_DATA_TYPE_STRING:
      return setl_column_get_string (col, i, len);
    case SETL_DATA_TYPE_BOOL:
      *len = g_strlcpy (buf, setl_column_get_bool (col, i) ? "true" : "false", size);
      return buf;
    case SETL_DATA_TYPE_INT64:
    case SETL_DATA_TYPE_TIMESTAMP:
      *len = g_snprintf (buf, size, "%" G_GINT64_FORMAT, setl_column_get_int64 (col, i));
      return buf;
    case SETL_DATA_TYPE_DATE32:
      *len = g_snprintf (buf, size, "%d", (int) setl_column_get_date32 (col, i));
      return buf;
    case SETL_DATA_TYPE_DOUBLE:
      g_ascii_dtostr (buf, size, setl_column_get_double (col, i));
      *len = strlen (buf);
      return buf;
    default:
      return NULL;
    }
}

static SetlRecordBatch *
split_batch (SetlRecordBatch  *batch,
             gpointer          user_data,
             GError          **error)
{
  SplitData *d = user_data;
  gint64 n = setl_record_batch_get_n_rows (batch);
  guint n_in = setl_record_batch_get_n_columns (batch);
  g_autoptr(SetlColumnBuilder) builder = setl_column_builder_new (SETL_DATA_TYPE_STRING);
  g_autoptr(SetlColumn) variant = NULL;
  g_autoptr(GPtrArray) columns = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(SetlRecordBatch) out = NULL;
  g_autofree guint8 *keep = d->only >= 0 ? g_new0 (guint8, n) : NULL;
  SetlColumn *key = d->key_index >= 0 ? setl_record_batch_get_column (batch, d->key_index) : NULL;
  gint64 n_kept = 0;

  for (gint64 i = 0; i < n; i++)
    {
      guint v;

      if (key != NULL)
        {
          char buf[G_ASCII_DTOSTR_BUF_SIZE + 32];
          gsize len = 0;
          const char *text = key_text (key, i, buf, sizeof buf, &len);

          /* A null is one value of its own: a NUL byte, which no text
           * key hashes as. */
          v = text ? setl_split_pick (text, len, d->seed, (const double *) d->cumulative->data, d->names->len)
                   : setl_split_pick ("\0", 1, d->seed, (const double *) d->cumulative->data, d->names->len);
        }
      else
        v = (guint) d->chosen;
      if (keep != NULL)
        {
          keep[i] = (int) v == d->only;
          n_kept += keep[i];
          if (!keep[i])
            continue;
        }
      setl_column_builder_append_string (builder, g_ptr_array_index (d->names, v), -1);
    }
  variant = setl_column_builder_finish (builder, error);
  if (variant == NULL)
    return NULL;

  for (guint c = 0; c < n_in; c++)
    {
      SetlColumn *col = setl_record_batch_get_column (batch, c);

      if (keep == NULL || n_kept == n)
        g_ptr_array_add (columns, g_object_ref (col));
      else
        {
          /* Keep the variant's rows: a copy of the kept values, one
           * column at a time. */
          g_autoptr(SetlColumnBuilder) b = setl_column_builder_new (setl_column_get_data_type (col));
          SetlColumn *kept;

          for (gint64 i = 0; i < n; i++)
            {
              GValue v = G_VALUE_INIT;

              if (!keep[i])
                continue;
              if (!setl_column_get_value (col, i, &v))
                {
                  setl_column_builder_append_null (b);
                  continue;
                }
              switch (setl_column_get_data_type (col))
                {
                case SETL_DATA_TYPE_BOOL: setl_column_builder_append_bool (b, g_value_get_boolean (&v)); break;
                case SETL_DATA_TYPE_INT64: setl_column_builder_append_int64 (b, g_value_get_int64 (&v)); break;
                case SETL_DATA_TYPE_DOUBLE: setl_column_builder_append_double (b, g_value_get_double (&v)); break;
                case SETL_DATA_TYPE_STRING: setl_column_builder_append_string (b, g_value_get_string (&v), -1); break;
                case SETL_DATA_TYPE_DATE32: setl_column_builder_append_date32 (b, g_value_get_int (&v)); break;
                case SETL_DATA_TYPE_TIMESTAMP: setl_column_builder_append_timestamp (b, g_value_get_int64 (&v)); break;
                default: setl_column_builder_append_null (b); break;
                }
              g_value_unset (&v);
            }
          kept = setl_column_builder_finish (b, error);
          if (kept == NULL)
            return NULL;
          g_ptr_array_add (columns, kept);
        }
    }
  g_ptr_array_add (columns, g_object_ref (variant));
  out = setl_record_batch_new (d->fields, d->n_fields, (SetlColumn **) columns->pdata, columns->len, error);
  return g_steal_pointer (&out);
}

static gboolean
setl_split_get (SetlFactory  *factory,
                GValue       *output,
                GError      **error)
{
  SetlSplit *self = SETL_SPLIT (factory);
  g_autoptr(SetlMapStream) stream = NULL;
  SplitData *d;
  SetlField **in_fields;
  guint n_in;

  if (self->input == NULL)
    {
      g_autofree char *who = describe (factory);

      g_set_error (error, SETL_PIPELINE_ERROR, SETL_PIPELINE_ERROR_NO_OUTPUT,
                   "%s: asked for its output before it has read its input", who);
      return FALSE;
    }
  in_fields = setl_batch_stream_get_fields (self->input, &n_in);
  d = g_new0 (SplitData, 1);
  d->names = g_ptr_array_ref (self->names);
  d->cumulative = g_array_ref (self->cumulative);
  d->seed = self->seed;
  d->key_index = self->key_index;
  d->chosen = self->chosen;
  d->only = self->only;
  d->n_fields = n_in + 1;
  d->fields = g_new (SetlField *, n_in + 1);
  for (guint i = 0; i < n_in; i++)
    d->fields[i] = g_object_ref (in_fields[i]);
  d->fields[n_in] = setl_field_new (self->variant_column, SETL_DATA_TYPE_STRING, FALSE);
  stream = setl_map_stream_new (self->input, d->fields, d->n_fields, split_batch, d, split_data_free);
  g_value_set_object (output, stream);
  return TRUE;
}

static void
setl_split_finalize (GObject *object)
{
  SetlSplit *self = SETL_SPLIT (object);

  g_free (self->key);
  g_strfreev (self->variants);
  g_free (self->run_key);
  g_free (self->variant_column);
  g_free (self->variant);
  g_clear_object (&self->input);
  g_ptr_array_unref (self->names);
  g_array_unref (self->cumulative);
  G_OBJECT_CLASS (setl_split_parent_class)->finalize (object);
}

static void
setl_split_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  SetlSplit *self = SETL_SPLIT (object);

  switch (prop_id)
    {
    case PROP_KEY: g_value_set_string (value, self->key); break;
    case PROP_SEED: g_value_set_uint64 (value, self->seed); break;
    case PROP_VARIANTS: g_value_set_boxed (value, self->variants); break;
    case PROP_RUN_KEY: g_value_set_string (value, self->run_key); break;
    case PROP_VARIANT_COLUMN: g_value_set_string (value, self->variant_column); break;
    case PROP_VARIANT: g_value_set_string (value, self->variant); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
set_string (char       **field,
            const GValue *value)
{
  g_free (*field);
  *field = g_value_dup_string (value);
}

static void
setl_split_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  SetlSplit *self = SETL_SPLIT (object);

  switch (prop_id)
    {
    case PROP_KEY: set_string (&self->key, value); break;
    case PROP_SEED: self->seed = g_value_get_uint64 (value); break;
    case PROP_VARIANTS:
      g_strfreev (self->variants);
      self->variants = g_value_dup_boxed (value);
      break;
    case PROP_RUN_KEY: set_string (&self->run_key, value); break;
    case PROP_VARIANT_COLUMN:
      set_string (&self->variant_column, value);
      if (self->variant_column == NULL || *self->variant_column == '\0')
        {
          g_free (self->variant_column);
          self->variant_column = g_strdup ("variant");
        }
      break;
    case PROP_VARIANT: set_string (&self->variant, value); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
setl_split_class_init (SetlSplitClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  SetlFactoryClass *factory_class = SETL_FACTORY_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = setl_split_finalize;
  object_class->get_property = setl_split_get_property;
  object_class->set_property = setl_split_set_property;
  factory_class->read = setl_split_read;
  factory_class->get = setl_split_get;
  setl_factory_class_set_output_type (factory_class, SETL_TYPE_BATCH_STREAM);

  properties[PROP_KEY] =
    g_param_spec_string ("key", "Key",
                         "The column whose value (as text) is hashed to pick each row's variant; "
                         "empty to split whole runs by “run-key”", NULL, flags);
  properties[PROP_SEED] =
    g_param_spec_uint64 ("seed", "Seed",
                         "Seed of the XXH3 hash: another seed, another assignment",
                         0, G_MAXUINT64, 0, flags);
  properties[PROP_VARIANTS] =
    g_param_spec_boxed ("variants", "Variants",
                        "The variants and their percentages, as “name=percent” "
                        "(e.g. [\"control=90\", \"treatment=10\"]); they add up to 100",
                        G_TYPE_STRV, flags);
  properties[PROP_RUN_KEY] =
    g_param_spec_string ("run-key", "Run key",
                         "Without “key”: the text whose hash picks the variant of the whole run "
                         "(e.g. “${date}”)", NULL, flags);
  properties[PROP_VARIANT_COLUMN] =
    g_param_spec_string ("variant-column", "Variant column",
                         "The name of the string column that receives the variant", "variant", flags);
  properties[PROP_VARIANT] =
    g_param_spec_string ("variant", "Variant",
                         "Pass on only this variant's rows (one split factory per variant); "
                         "empty for all rows", NULL, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
setl_split_init (SetlSplit *self)
{
  self->variant_column = g_strdup ("variant");
  self->names = g_ptr_array_new_with_free_func (g_free);
  self->cumulative = g_array_new (FALSE, FALSE, sizeof (double));
  self->key_index = -1;
  self->chosen = -1;
  self->only = -1;
  setl_factory_add_input (SETL_FACTORY (self), "in", SETL_TYPE_BATCH_STREAM,
                          SETL_TYPE_EXTERNAL, NULL);
}
