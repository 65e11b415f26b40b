/* setl-csv-source.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * SetlCsvSource, the "csv-source" feature: outputs a CSV file as a lazy
 * %SETL_TYPE_BATCH_STREAM. read() checks the configuration, reads the
 * header and types the columns (from the "schema" property, else by
 * inference over the first "infer-rows" rows); no row is kept. Rows are
 * parsed when a consumer pulls batches from the stream (see
 * setl-csv-stream.c), each pass from the start of the file.
 */
#include "setl-csv-source.h"
#include "setl-csv-stream.h"
#include "setl-csv-tokenizer.h"
#include "setl-csv-value.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <glib/gstdio.h>
#include <setl/setl-schema.h>

#define DEFAULT_BATCH_SIZE 65536

struct _SetlCsvSource
{
  SetlFactory parent_instance;

  char *path;
  char *delimiter;
  char *quote;
  gboolean header;
  char **null_markers;
  char *schema;
  guint infer_rows;
  char *date_format;
  char *timestamp_format;
  guint batch_size;
  guint parse_threads;
  char *reject_file;

  SetlCsvStream *stream;
};

static void setl_csv_source_cacheable_init (SetlCacheableInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SetlCsvSource, setl_csv_source, SETL_TYPE_FACTORY,
                               G_IMPLEMENT_INTERFACE (SETL_TYPE_CACHEABLE,
                                                      setl_csv_source_cacheable_init))

enum {
  PROP_0,
  PROP_PATH,
  PROP_DELIMITER,
  PROP_QUOTE,
  PROP_HEADER,
  PROP_NULL_MARKERS,
  PROP_SCHEMA,
  PROP_INFER_ROWS,
  PROP_DATE_FORMAT,
  PROP_TIMESTAMP_FORMAT,
  PROP_BATCH_SIZE,
  PROP_REJECT_FILE,
  PROP_REJECTED_ROWS,
  PROP_PARSE_THREADS,
  N_PROPS
};
static GParamSpec *properties[N_PROPS];

static const char *
factory_label (SetlFactory *factory)
{
  const char *name = setl_factory_get_name (factory);
  return name != NULL ? name : G_OBJECT_TYPE_NAME (factory);
}

gboolean
setl_csv_parse_char_property (SetlFactory *factory, const char *kind, const char *property,
                              const char *value, char *out, GError **error)
{
  if (value != NULL && (g_str_equal (value, "\\t") || g_ascii_strcasecmp (value, "tab") == 0))
    value = "\t";
  if (value == NULL || strlen (value) != 1 || value[0] == '\n' || value[0] == '\r' ||
      (guchar) value[0] >= 0x80)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "%s “%s”: property “%s” must be one ASCII character other than a "
                   "line end, not “%s”", kind, factory_label (factory), property,
                   value ? value : "(null)");
      return FALSE;
    }
  *out = value[0];
  return TRUE;
}

static void
setl_csv_source_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  SetlCsvSource *self = SETL_CSV_SOURCE (object);

  switch (prop_id)
    {
    case PROP_PATH: g_value_set_string (value, self->path); break;
    case PROP_DELIMITER: g_value_set_string (value, self->delimiter); break;
    case PROP_QUOTE: g_value_set_string (value, self->quote); break;
    case PROP_HEADER: g_value_set_boolean (value, self->header); break;
    case PROP_NULL_MARKERS: g_value_set_boxed (value, self->null_markers); break;
    case PROP_SCHEMA: g_value_set_string (value, self->schema); break;
    case PROP_INFER_ROWS: g_value_set_uint (value, self->infer_rows); break;
    case PROP_DATE_FORMAT: g_value_set_string (value, self->date_format); break;
    case PROP_TIMESTAMP_FORMAT: g_value_set_string (value, self->timestamp_format); break;
    case PROP_BATCH_SIZE: g_value_set_uint (value, self->batch_size); break;
    case PROP_PARSE_THREADS: g_value_set_uint (value, self->parse_threads); break;
    case PROP_REJECT_FILE: g_value_set_string (value, self->reject_file); break;
    case PROP_REJECTED_ROWS:
      g_value_set_int64 (value, self->stream ? setl_csv_stream_get_rejected_rows (self->stream) : 0);
      break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
setl_csv_source_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  SetlCsvSource *self = SETL_CSV_SOURCE (object);

  switch (prop_id)
    {
    case PROP_PATH: g_free (self->path); self->path = g_value_dup_string (value); break;
    case PROP_DELIMITER: g_free (self->delimiter); self->delimiter = g_value_dup_string (value); break;
    case PROP_QUOTE: g_free (self->quote); self->quote = g_value_dup_string (value); break;
    case PROP_HEADER: self->header = g_value_get_boolean (value); break;
    case PROP_NULL_MARKERS:
      g_strfreev (self->null_markers);
      /* NULL (the default) stands for the default markers: "" and NA. */
      self->null_markers = g_value_dup_boxed (value);
      break;
    case PROP_SCHEMA: g_free (self->schema); self->schema = g_value_dup_string (value); break;
    case PROP_INFER_ROWS: self->infer_rows = g_value_get_uint (value); break;
    case PROP_DATE_FORMAT: g_free (self->date_format); self->date_format = g_value_dup_string (value); break;
    case PROP_TIMESTAMP_FORMAT:
      g_free (self->timestamp_format);
      self->timestamp_format = g_value_dup_string (value);
      break;
    case PROP_BATCH_SIZE: self->batch_size = g_value_get_uint (value); break;
    case PROP_PARSE_THREADS: self->parse_threads = g_value_get_uint (value); break;
    case PROP_REJECT_FILE: g_free (self->reject_file); self->reject_file = g_value_dup_string (value); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

typedef struct
{
  char *name;
  SetlDataType type;
  gboolean nullable;
  gboolean used;
} SchemaColumn;

static void
schema_column_clear (gpointer data)
{
  g_free (((SchemaColumn *) data)->name);
}

static SetlDataType
schema_type_to_data_type (SetlSchemaColumnType type)
{
  switch (type)
    {
    case SETL_SCHEMA_COLUMN_TYPE_BOOL: return SETL_DATA_TYPE_BOOL;
    case SETL_SCHEMA_COLUMN_TYPE_INT64: return SETL_DATA_TYPE_INT64;
    case SETL_SCHEMA_COLUMN_TYPE_DOUBLE: return SETL_DATA_TYPE_DOUBLE;
    case SETL_SCHEMA_COLUMN_TYPE_DATE: return SETL_DATA_TYPE_DATE32;
    case SETL_SCHEMA_COLUMN_TYPE_TIMESTAMP: return SETL_DATA_TYPE_TIMESTAMP;
    case SETL_SCHEMA_COLUMN_TYPE_STRING:
    default: return SETL_DATA_TYPE_STRING;
    }
}

/* The "schema" property: "id:int64,name:string" (a trailing "!" makes a
 * column non-nullable: "id:int64!"), or the path of a schema document
 * (*.json, the schema registry's format). */
static GArray *
parse_schema (SetlCsvSource *self, GError **error)
{
  g_autoptr(GArray) columns = g_array_new (FALSE, TRUE, sizeof (SchemaColumn));

  g_array_set_clear_func (columns, schema_column_clear);
  if (g_str_has_suffix (self->schema, ".json"))
    {
      g_autoptr(GError) local = NULL;
      g_autoptr(SetlSchema) schema = setl_schema_new_from_file (self->schema, &local);

      if (schema == NULL)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       "csv-source “%s”: schema: %s", factory_label (SETL_FACTORY (self)),
                       local->message);
          return NULL;
        }
      for (guint i = 0; i < setl_schema_get_n_columns (schema); i++)
        {
          SetlSchemaColumn *sc = setl_schema_get_column (schema, i);
          SchemaColumn col = {
            g_strdup (setl_schema_column_get_name (sc)),
            schema_type_to_data_type (setl_schema_column_get_column_type (sc)),
            setl_schema_column_get_nullable (sc), FALSE,
          };
          g_array_append_val (columns, col);
        }
      return g_steal_pointer (&columns);
    }

  {
    g_auto(GStrv) items = g_strsplit (self->schema, ",", -1);

    for (guint i = 0; items[i] != NULL; i++)
      {
        char *item = g_strstrip (items[i]);
        char *colon = strrchr (item, ':');
        SchemaColumn col = { NULL, SETL_DATA_TYPE_STRING, TRUE, FALSE };
        char *type_name;
        gsize len;

        if (*item == '\0' && items[i + 1] == NULL && i > 0)
          break;   /* a trailing comma */
        if (colon == NULL || colon == item)
          {
            g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                         "csv-source “%s”: schema item “%s” is not NAME:TYPE",
                         factory_label (SETL_FACTORY (self)), item);
            return NULL;
          }
        *colon = '\0';
        type_name = g_strstrip (colon + 1);
        len = strlen (type_name);
        if (len > 0 && type_name[len - 1] == '!')
          {
            col.nullable = FALSE;
            type_name[len - 1] = '\0';
          }
        if (!setl_csv_parse_type_name (type_name, &col.type))
          {
            g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                         "csv-source “%s”: schema column “%s”: unknown type “%s” (known: "
                         "bool, int64, double, string, date, timestamp)",
                         factory_label (SETL_FACTORY (self)), g_strstrip (item), type_name);
            return NULL;
          }
        col.name = g_strdup (g_strstrip (item));
        g_array_append_val (columns, col);
      }
  }
  return g_steal_pointer (&columns);
}

static SchemaColumn *
find_schema_column (GArray *schema, const char *name)
{
  for (guint i = 0; schema != NULL && i < schema->len; i++)
    if (g_str_equal (g_array_index (schema, SchemaColumn, i).name, name))
      return &g_array_index (schema, SchemaColumn, i);
  return NULL;
}

static gboolean
build_options (SetlCsvSource *self, SetlCsvOptions *o, GError **error)
{
  SetlFactory *factory = SETL_FACTORY (self);

  memset (o, 0, sizeof *o);
  if (self->path == NULL || *self->path == '\0')
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "csv-source “%s”: property “path” is not set", factory_label (factory));
      return FALSE;
    }
  if (!setl_csv_parse_char_property (factory, "csv-source", "delimiter", self->delimiter,
                                     &o->delimiter, error) ||
      !setl_csv_parse_char_property (factory, "csv-source", "quote", self->quote,
                                     &o->quote, error))
    return FALSE;
  if (o->delimiter == o->quote)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "csv-source “%s”: the delimiter and the quote are both “%c”",
                   factory_label (factory), o->delimiter);
      return FALSE;
    }
  if ((self->date_format && !setl_csv_check_format (self->date_format, FALSE, error)) ||
      (self->timestamp_format && !setl_csv_check_format (self->timestamp_format, TRUE, error)))
    {
      g_prefix_error (error, "csv-source “%s”: ", factory_label (factory));
      return FALSE;
    }
  o->path = g_strdup (self->path);
  o->header = self->header;
  if (self->null_markers != NULL)
    o->null_markers = g_strdupv (self->null_markers);
  else
    {
      static const char *const defaults[] = { "", "NA", NULL };
      o->null_markers = g_strdupv ((char **) defaults);
    }
  o->date_format = (self->date_format && *self->date_format) ? g_strdup (self->date_format) : NULL;
  o->timestamp_format = (self->timestamp_format && *self->timestamp_format)
                          ? g_strdup (self->timestamp_format) : NULL;
  o->batch_size = self->batch_size;
  o->parse_threads = self->parse_threads;
  o->reject_path = (self->reject_file && *self->reject_file) ? g_strdup (self->reject_file) : NULL;
  return TRUE;
}

/* Column names from the header: blank names become column_N, repeated
 * ones get a suffix (_2, _3…), so that every column can be named. */
static GPtrArray *
header_names (const SetlCsvField *fields, guint n)
{
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *raw = g_utf8_make_valid (fields[i].ptr, fields[i].len);
      char *name = g_strdup (g_strstrip (raw));

      if (*name == '\0')
        {
          g_free (name);
          name = g_strdup_printf ("column_%u", i + 1);
        }
      if (g_hash_table_contains (seen, name))
        for (guint k = 2;; k++)
          {
            char *candidate = g_strdup_printf ("%s_%u", name, k);

            if (!g_hash_table_contains (seen, candidate))
              {
                g_free (name);
                name = candidate;
                break;
              }
            g_free (candidate);
          }
      g_ptr_array_add (names, name);
      g_hash_table_add (seen, name);
    }
  return names;
}

static gboolean
setl_csv_source_read (SetlFactory *factory, GCancellable *cancellable, GError **error)
{
  SetlCsvSource *self = SETL_CSV_SOURCE (factory);
  SetlCsvOptions o;
  g_autoptr(GArray) schema = NULL;
  g_autoptr(GPtrArray) names = NULL;
  g_autoptr(GPtrArray) fields = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(SetlCsvTokenizer) tok = NULL;
  g_autofree SetlCsvInference *inference = NULL;
  g_autofree SetlDataType *types = NULL;
  g_autofree gboolean *fixed = NULL;
  g_autofree gboolean *nullable = NULL;
  const SetlCsvField *row;
  SetlCsvTokenFailure failure;
  guint n_columns, n;
  gboolean have_row;
  int fd;

  g_clear_object (&self->stream);
  if (!build_options (self, &o, error))
    return FALSE;
  if (self->schema != NULL && *self->schema != '\0' && (schema = parse_schema (self, error)) == NULL)
    goto fail;

  fd = g_open (o.path, O_RDONLY | O_CLOEXEC, 0);
  if (fd < 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   "csv-source “%s”: %s: cannot open: %s", factory_label (factory), o.path,
                   g_strerror (saved));
      goto fail;
    }
  tok = setl_csv_tokenizer_new_for_fd (fd, o.delimiter, o.quote, 0);

  have_row = setl_csv_tokenizer_next (tok, &row, &n, &failure);
  if (!have_row && failure.code != SETL_CSV_TOKEN_ERROR_NONE)
    {
      setl_csv_set_error (error, G_IO_ERROR_INVALID_DATA, o.path, failure.line,
                          (int) failure.field, NULL, "malformed %s",
                          o.header ? "header line" : "first row");
      goto fail;
    }
  if (o.header)
    {
      if (!have_row)
        {
          setl_csv_set_error (error, G_IO_ERROR_INVALID_DATA, o.path, 0, 0, NULL,
                              "the file is empty; expected a header line");
          goto fail;
        }
      names = header_names (row, n);
      have_row = setl_csv_tokenizer_next (tok, &row, &n, &failure);
    }
  else
    {
      names = g_ptr_array_new_with_free_func (g_free);
      if (schema != NULL)
        for (guint i = 0; i < schema->len; i++)
          g_ptr_array_add (names, g_strdup (g_array_index (schema, SchemaColumn, i).name));
      else if (have_row)
        for (guint i = 0; i < n; i++)
          g_ptr_array_add (names, g_strdup_printf ("column_%u", i + 1));
      else
        {
          setl_csv_set_error (error, G_IO_ERROR_INVALID_DATA, o.path, 0, 0, NULL,
                              "the file is empty and no schema names its columns");
          goto fail;
        }
    }

  n_columns = names->len;
  types = g_new (SetlDataType, n_columns);
  fixed = g_new0 (gboolean, n_columns);
  nullable = g_new (gboolean, n_columns);
  inference = g_new (SetlCsvInference, n_columns);
  for (guint c = 0; c < n_columns; c++)
    {
      SchemaColumn *sc = find_schema_column (schema, names->pdata[c]);

      setl_csv_inference_init (&inference[c]);
      nullable[c] = TRUE;
      if (sc != NULL)
        {
          types[c] = sc->type;
          nullable[c] = sc->nullable;
          fixed[c] = TRUE;
          sc->used = TRUE;
        }
    }
  for (guint i = 0; schema != NULL && i < schema->len; i++)
    if (!g_array_index (schema, SchemaColumn, i).used)
      {
        setl_csv_set_error (error, G_IO_ERROR_INVALID_DATA, o.path, 1, 0, NULL,
                            "schema column “%s” is not in the header",
                            g_array_index (schema, SchemaColumn, i).name);
        goto fail;
      }

  /* Inference: malformed rows are left to the reading pass, which reports
   * them at their line (or rejects them). */
  for (guint r = 0; r < self->infer_rows && have_row; r++)
    {
      if (n == n_columns)
        for (guint c = 0; c < n_columns; c++)
          {
            const SetlCsvField *f = &row[c];
            gboolean null = FALSE;

            if (fixed[c])
              continue;
            if (!f->quoted)
              for (char **m = o.null_markers; *m != NULL && !null; m++)
                null = strlen (*m) == f->len && memcmp (*m, f->ptr, f->len) == 0;
            if (!null)
              setl_csv_inference_add (&inference[c], f->ptr, f->len, o.date_format,
                                      o.timestamp_format);
          }
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        goto fail;
      do
        have_row = setl_csv_tokenizer_next (tok, &row, &n, &failure);
      while (!have_row && (failure.code == SETL_CSV_TOKEN_ERROR_UNTERMINATED_QUOTE ||
                           failure.code == SETL_CSV_TOKEN_ERROR_AFTER_QUOTE));
    }

  for (guint c = 0; c < n_columns; c++)
    {
      SetlDataType type = fixed[c] ? types[c] : setl_csv_inference_result (&inference[c]);

      g_ptr_array_add (fields, setl_field_new (names->pdata[c], type, nullable[c]));
    }
  self->stream = setl_csv_stream_new (&o, (SetlField **) fields->pdata, fields->len);
  setl_csv_options_clear (&o);
  return TRUE;

fail:
  setl_csv_options_clear (&o);
  return FALSE;
}

static gboolean
setl_csv_source_get (SetlFactory *factory, GValue *output, GError **error)
{
  SetlCsvSource *self = SETL_CSV_SOURCE (factory);

  if (self->stream == NULL)
    {
      g_set_error (error, SETL_PIPELINE_ERROR, SETL_PIPELINE_ERROR_NO_OUTPUT,
                   "csv-source “%s”: no output: the file has not been read",
                   factory_label (factory));
      return FALSE;
    }
  g_value_set_object (output, self->stream);
  return TRUE;
}

static void
setl_csv_source_finalize (GObject *object)
{
  SetlCsvSource *self = SETL_CSV_SOURCE (object);

  g_free (self->path);
  g_free (self->delimiter);
  g_free (self->quote);
  g_strfreev (self->null_markers);
  g_free (self->schema);
  g_free (self->date_format);
  g_free (self->timestamp_format);
  g_free (self->reject_file);
  g_clear_object (&self->stream);
  G_OBJECT_CLASS (setl_csv_source_parent_class)->finalize (object);
}

/* The cache notices when the CSV file changes (see SetlCacheable); read()
 * reports a missing one. */
static gboolean
setl_csv_source_add_fingerprint (SetlCacheable         *cacheable,
                                 SetlCacheKey          *key,
                                 SetlFingerprintFlags   flags,
                                 GCancellable          *cancellable,
                                 GError               **error)
{
  SetlCsvSource *self = SETL_CSV_SOURCE (cacheable);

  if (self->path == NULL || *self->path == '\0')
    return TRUE;
  return setl_cache_key_add_file (key, "input:file", self->path, flags, cancellable, error);
}

static void
setl_csv_source_cacheable_init (SetlCacheableInterface *iface)
{
  iface->add_fingerprint = setl_csv_source_add_fingerprint;
}

static void
setl_csv_source_class_init (SetlCsvSourceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  SetlFactoryClass *factory_class = SETL_FACTORY_CLASS (klass);
  const GParamFlags rw = G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS;

  object_class->get_property = setl_csv_source_get_property;
  object_class->set_property = setl_csv_source_set_property;
  object_class->finalize = setl_csv_source_finalize;
  factory_class->read = setl_csv_source_read;
  factory_class->get = setl_csv_source_get;
  setl_factory_class_set_output_type (factory_class, SETL_TYPE_BATCH_STREAM);

  properties[PROP_PATH] =
    g_param_spec_string ("path", "Path", "The CSV file to read", NULL, rw);
  properties[PROP_DELIMITER] =
    g_param_spec_string ("delimiter", "Delimiter",
                         "The field delimiter: one ASCII character (\"\\t\" or \"tab\" for a tab)",
                         ",", rw);
  properties[PROP_QUOTE] =
    g_param_spec_string ("quote", "Quote", "The quote character: one ASCII character", "\"", rw);
  properties[PROP_HEADER] =
    g_param_spec_boolean ("header", "Header",
                          "Whether the first line names the columns (else column_1, column_2…)",
                          TRUE, rw);
  properties[PROP_NULL_MARKERS] =
    g_param_spec_boxed ("null-markers", "Null markers",
                        "Unquoted cell texts read as null; unset: the empty string and NA",
                        G_TYPE_STRV, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  properties[PROP_SCHEMA] =
    g_param_spec_string ("schema", "Schema",
                         "Column types, as \"id:int64,name:string,born:date\" (a trailing ! "
                         "makes a column non-nullable) or the path of a schema document "
                         "(*.json); columns it does not name are inferred",
                         NULL, rw);
  properties[PROP_INFER_ROWS] =
    g_param_spec_uint ("infer-rows", "Inference rows",
                       "How many rows type inference looks at", 0, G_MAXUINT, 1000, rw);
  properties[PROP_DATE_FORMAT] =
    g_param_spec_string ("date-format", "Date format",
                         "How dates are written, strftime-like (%Y %m %d %y %b %B %e); "
                         "unset: ISO 8601 (2024-03-01)", NULL, rw);
  properties[PROP_TIMESTAMP_FORMAT] =
    g_param_spec_string ("timestamp-format", "Timestamp format",
                         "How timestamps are written, strftime-like (%Y %m %d %H %M %S %f %z); "
                         "unset: ISO 8601 (2024-03-01T12:30:00, optional fraction and zone)",
                         NULL, rw);
  properties[PROP_BATCH_SIZE] =
    g_param_spec_uint ("batch-size", "Batch size", "Rows per record batch",
                       1, G_MAXINT32, DEFAULT_BATCH_SIZE, rw | SETL_PARAM_NOT_IN_CACHE_KEY);
  properties[PROP_REJECT_FILE] =
    g_param_spec_string ("reject-file", "Reject file",
                         "If set, malformed rows are written there as they are in the file "
                         "(after the header line) and counted, instead of failing the run",
                         NULL, rw);
  properties[PROP_REJECTED_ROWS] =
    g_param_spec_int64 ("rejected-rows", "Rejected rows",
                        "How many malformed rows the last complete pass over the file rejected",
                        0, G_MAXINT64, 0, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /* The rows are the same whatever the threads: not in cache keys. */
  properties[PROP_PARSE_THREADS] =
    g_param_spec_uint ("parse-threads", "Parse threads",
                       "Threads that parse the file: 0 picks, for a regular file of "
                       "32 MiB or more, one per processor but one, left to the consumer "
                       "(else 1); 1 parses on one thread (reading one batch ahead); "
                       "2 to 8 parse a regular file on that many",
                       0, 8, 0, rw | SETL_PARAM_NOT_IN_CACHE_KEY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
setl_csv_source_init (SetlCsvSource *self)
{
}
