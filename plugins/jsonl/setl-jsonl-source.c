/* setl-jsonl-source.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/**
 * SetlJsonlSource:
 *
 * The "jsonl-source" factory: reads a JSON Lines file (one JSON object per
 * line) as a lazy stream of record batches.
 *
 * - Columns are the keys of the objects, in the order they first appear.
 *   A key missing from a line is a null; `null` is a null.
 * - Without #SetlJsonlSource:schema, types are inferred from the first
 *   #SetlJsonlSource:infer-rows objects (0: the whole file): integers give
 *   int64, numbers with a fraction or exponent (mixed with integers or not)
 *   double, `true`/`false` bool, anything else — strings, nested objects
 *   and arrays, mixed kinds, only nulls — string. Dates stay strings.
 *   A key first seen after the sample is an error (raise infer-rows).
 * - With a schema (`"id:int64, born:date, seen:timestamp"`) the columns
 *   are exactly those, in that order; other keys are ignored, or an error
 *   naming the file, line and key with #SetlJsonlSource:ignore-unknown-keys
 *   off (for a strict schema to see every column). Dates are
 *   `YYYY-MM-DD`, timestamps ISO 8601 (UTC unless they give a zone).
 * - Nested objects and arrays in a string column are kept as compact JSON
 *   text; a number or boolean in a string column as its JSON text.
 * - Blank lines are skipped, CRLF line ends and a UTF-8 BOM are accepted.
 *
 * The file is checked and the sample read in the read phase; rows are
 * parsed when the consumer pulls them, #SetlJsonlSource:batch-size at a
 * time. Errors name the file and the line (and the column for malformed
 * JSON, the key for a value of the wrong type).
 */
#include "setl-jsonl-source.h"
#include "setl-jsonl-reader.h"
#include "setl-jsonl-stream.h"

struct _SetlJsonlSource
{
  SetlFactory parent_instance;

  char *path;
  guint batch_size;
  guint infer_rows;
  gboolean ignore_unknown_keys;
  char *schema;

  SetlJsonlStream *stream;   /* from read() */
};

enum {
  PROP_0,
  PROP_PATH,
  PROP_BATCH_SIZE,
  PROP_INFER_ROWS,
  PROP_SCHEMA,
  PROP_IGNORE_UNKNOWN_KEYS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void setl_jsonl_source_cacheable_init (SetlCacheableInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SetlJsonlSource, setl_jsonl_source, SETL_TYPE_FACTORY,
                               G_IMPLEMENT_INTERFACE (SETL_TYPE_CACHEABLE,
                                                      setl_jsonl_source_cacheable_init))

enum {
  SEEN_INT = 1 << 0,
  SEEN_DOUBLE = 1 << 1,
  SEEN_BOOL = 1 << 2,
  SEEN_OTHER = 1 << 3,   /* strings, objects, arrays */
};

typedef struct
{
  GPtrArray *names;       /* in first-seen order */
  GHashTable *flags;      /* name → SEEN_* bits (name owned by names) */
} Inference;

static void
infer_member (JsonObject  *object,
              const char  *key,
              JsonNode    *node,
              gpointer     user_data)
{
  Inference *inf = user_data;
  gpointer orig_key, value;
  guint bits = 0;

  if (!g_hash_table_lookup_extended (inf->flags, key, &orig_key, &value))
    {
      char *name = g_strdup (key);
      g_ptr_array_add (inf->names, name);
      g_hash_table_insert (inf->flags, name, GUINT_TO_POINTER (0));
      orig_key = name;
      value = GUINT_TO_POINTER (0);
    }
  if (JSON_NODE_HOLDS_NULL (node))
    return;
  if (!JSON_NODE_HOLDS_VALUE (node))
    bits = SEEN_OTHER;
  else if (json_node_get_value_type (node) == G_TYPE_INT64)
    bits = SEEN_INT;
  else if (json_node_get_value_type (node) == G_TYPE_DOUBLE)
    bits = SEEN_DOUBLE;
  else if (json_node_get_value_type (node) == G_TYPE_BOOLEAN)
    bits = SEEN_BOOL;
  else
    bits = SEEN_OTHER;
  g_hash_table_insert (inf->flags, orig_key, GUINT_TO_POINTER (GPOINTER_TO_UINT (value) | bits));
}

static SetlDataType
resolve_type (guint bits)
{
  if (bits == SEEN_BOOL)
    return SETL_DATA_TYPE_BOOL;
  if (bits == SEEN_INT)
    return SETL_DATA_TYPE_INT64;
  if (bits != 0 && (bits & ~(SEEN_INT | SEEN_DOUBLE)) == 0)
    return SETL_DATA_TYPE_DOUBLE;
  return SETL_DATA_TYPE_STRING;
}

static GPtrArray *
infer_fields (SetlJsonlSource  *self,
              GError          **error)
{
  g_autoptr(SetlJsonlReader) reader = setl_jsonl_reader_open (self->path, error);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) flags = g_hash_table_new (g_str_hash, g_str_equal);
  Inference inf = { names, flags };
  GPtrArray *fields;
  guint n = 0;

  if (reader == NULL)
    return NULL;
  while (self->infer_rows == 0 || n < self->infer_rows)
    {
      JsonObject *object;
      int r = setl_jsonl_reader_next (reader, &object, error);

      if (r < 0)
        return NULL;
      if (r == 0)
        break;
      json_object_foreach_member (object, infer_member, &inf);
      n++;
    }
  fields = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < names->len; i++)
    {
      const char *name = g_ptr_array_index (names, i);
      guint bits = GPOINTER_TO_UINT (g_hash_table_lookup (flags, name));
      g_ptr_array_add (fields, setl_field_new (name, resolve_type (bits), TRUE));
    }
  return fields;
}

static gboolean
setl_jsonl_source_read (SetlFactory   *factory,
                        GCancellable  *cancellable,
                        GError       **error)
{
  SetlJsonlSource *self = SETL_JSONL_SOURCE (factory);
  const char *name = setl_factory_get_name (factory);
  g_autoptr(GPtrArray) fields = NULL;
  gboolean inferred = FALSE;

  if (self->path == NULL || *self->path == '\0')
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "jsonl-source “%s”: the “path” property is not set", name ? name : "");
      return FALSE;
    }
  if (self->schema != NULL && *self->schema != '\0')
    {
      fields = setl_jsonl_parse_schema (self->schema, error);
      if (fields == NULL)
        {
          g_prefix_error (error, "jsonl-source “%s”: schema: ", name ? name : "");
          return FALSE;
        }
      /* the file must exist now, not when the sink first pulls */
      {
        g_autoptr(SetlJsonlReader) probe = setl_jsonl_reader_open (self->path, error);
        if (probe == NULL)
          return FALSE;
      }
    }
  else
    {
      fields = infer_fields (self, error);
      if (fields == NULL)
        return FALSE;
      inferred = TRUE;
    }
  g_clear_object (&self->stream);
  self->stream = setl_jsonl_stream_new (self->path, fields, self->batch_size,
                                        inferred ? (self->infer_rows != 0
                                                    ? SETL_JSONL_UNKNOWN_KEYS_FAIL_INFERRED
                                                    : SETL_JSONL_UNKNOWN_KEYS_IGNORE)
                                        : self->ignore_unknown_keys ? SETL_JSONL_UNKNOWN_KEYS_IGNORE
                                        : SETL_JSONL_UNKNOWN_KEYS_FAIL_SCHEMA);
  return TRUE;
}

static gboolean
setl_jsonl_source_get (SetlFactory  *factory,
                       GValue       *output,
                       GError      **error)
{
  SetlJsonlSource *self = SETL_JSONL_SOURCE (factory);

  if (self->stream == NULL)
    {
      g_set_error (error, SETL_PIPELINE_ERROR, SETL_PIPELINE_ERROR_NO_OUTPUT,
                   "jsonl-source “%s”: asked for its output before it has read",
                   setl_factory_get_name (factory) ? setl_factory_get_name (factory) : "");
      return FALSE;
    }
  g_value_set_object (output, self->stream);
  return TRUE;
}

static void
setl_jsonl_source_finalize (GObject *object)
{
  SetlJsonlSource *self = SETL_JSONL_SOURCE (object);

  g_free (self->path);
  g_free (self->schema);
  g_clear_object (&self->stream);
  G_OBJECT_CLASS (setl_jsonl_source_parent_class)->finalize (object);
}

static void
setl_jsonl_source_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  SetlJsonlSource *self = SETL_JSONL_SOURCE (object);

  switch (prop_id)
    {
    case PROP_PATH:
      g_value_set_string (value, self->path);
      break;
    case PROP_BATCH_SIZE:
      g_value_set_uint (value, self->batch_size);
      break;
    case PROP_INFER_ROWS:
      g_value_set_uint (value, self->infer_rows);
      break;
    case PROP_IGNORE_UNKNOWN_KEYS:
      g_value_set_boolean (value, self->ignore_unknown_keys);
      break;
    case PROP_SCHEMA:
      g_value_set_string (value, self->schema);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
setl_jsonl_source_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  SetlJsonlSource *self = SETL_JSONL_SOURCE (object);

  switch (prop_id)
    {
    case PROP_PATH:
      g_free (self->path);
      self->path = g_value_dup_string (value);
      break;
    case PROP_BATCH_SIZE:
      self->batch_size = g_value_get_uint (value);
      break;
    case PROP_INFER_ROWS:
      self->infer_rows = g_value_get_uint (value);
      break;
    case PROP_IGNORE_UNKNOWN_KEYS:
      self->ignore_unknown_keys = g_value_get_boolean (value);
      break;
    case PROP_SCHEMA:
      g_free (self->schema);
      self->schema = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* The cache notices when the JSON Lines file changes (see SetlCacheable); read()
 * reports a missing one. */
static gboolean
setl_jsonl_source_add_fingerprint (SetlCacheable         *cacheable,
                                   SetlCacheKey          *key,
                                   SetlFingerprintFlags   flags,
                                   GCancellable          *cancellable,
                                   GError               **error)
{
  SetlJsonlSource *self = SETL_JSONL_SOURCE (cacheable);

  if (self->path == NULL || *self->path == '\0')
    return TRUE;
  return setl_cache_key_add_file (key, "input:file", self->path, flags, cancellable, error);
}

static void
setl_jsonl_source_cacheable_init (SetlCacheableInterface *iface)
{
  iface->add_fingerprint = setl_jsonl_source_add_fingerprint;
}

static void
setl_jsonl_source_class_init (SetlJsonlSourceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  SetlFactoryClass *factory_class = SETL_FACTORY_CLASS (klass);

  object_class->finalize = setl_jsonl_source_finalize;
  object_class->get_property = setl_jsonl_source_get_property;
  object_class->set_property = setl_jsonl_source_set_property;
  factory_class->read = setl_jsonl_source_read;
  factory_class->get = setl_jsonl_source_get;
  setl_factory_class_set_output_type (factory_class, SETL_TYPE_BATCH_STREAM);

  properties[PROP_PATH] =
    g_param_spec_string ("path", "Path", "The JSON Lines file to read", NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BATCH_SIZE] =
    g_param_spec_uint ("batch-size", "Batch size", "Rows per record batch",
                       1, G_MAXINT32, 65536,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_EXPLICIT_NOTIFY |
                       G_PARAM_STATIC_STRINGS | SETL_PARAM_NOT_IN_CACHE_KEY);
  properties[PROP_INFER_ROWS] =
    g_param_spec_uint ("infer-rows", "Inference rows",
                       "How many objects to read to infer the columns and their types "
                       "(0: the whole file); unused with a schema",
                       0, G_MAXUINT32, 1000,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_EXPLICIT_NOTIFY |
                       G_PARAM_STATIC_STRINGS);
  properties[PROP_SCHEMA] =
    g_param_spec_string ("schema", "Schema",
                         "The columns and types to read, e.g. “id:int64, name:string, "
                         "born:date, seen:timestamp” (default: inferred)",
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_IGNORE_UNKNOWN_KEYS] =
    g_param_spec_boolean ("ignore-unknown-keys", "Ignore unknown keys",
                          "With a schema: skip keys that are not among its columns "
                          "(else they are an error naming the line)",
                          TRUE,
                          G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
setl_jsonl_source_init (SetlJsonlSource *self)
{
}
