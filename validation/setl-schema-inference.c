/* setl-schema-inference.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/**
 * SetlSchemaInference:
 *
 * Infers a schema document from data, batch by batch, so that the data it
 * was inferred from passes it: each column gets its type, `nullable` when
 * it holds a null, and checks that describe its values —
 *
 * - numbers, dates and timestamps: `in_range` from the smallest to the
 *   largest value (both ends included);
 * - strings with few distinct values (at most
 *   #SetlSchemaInference:max-categories, each seen twice on average):
 *   `isin` with those values; otherwise, if
 *   #SetlSchemaInference:string-lengths is set, `str_length` from the
 *   shortest to the longest value (in characters).
 *
 * |[<!-- language="C" -->
 * g_autoptr(SetlSchema) schema = setl_schema_infer (stream, "people", NULL, &error);
 * g_autofree char *json = setl_schema_to_json (schema, TRUE);
 * ]|
 *
 * Memory stays small whatever the data: a few numbers per column and, for
 * strings, at most max-categories + 1 distinct values.
 */
#include "setl-validation-private.h"
#include "setl-schema-inference.h"

#include <math.h>
#include <string.h>

typedef struct {
  char *name;
  SetlDataType type;
  gint64 n_values;      /* not null */
  gint64 n_nulls;
  gboolean has_range;
  gint64 imin, imax;    /* int64, date32 (days), timestamp (µs) */
  double dmin, dmax;
  gboolean has_nan;
  GHashTable *categories;   /* string → NULL; NULL once too many */
  gint64 min_length, max_length;
} InferredColumn;

struct _SetlSchemaInference
{
  GObject parent_instance;

  char *name;
  guint max_categories;
  gboolean string_lengths;
  gboolean ranges;
  GPtrArray *columns;   /* (element-type InferredColumn); NULL before the first batch */
  gint64 n_rows;
};

enum {
  PROP_0,
  PROP_NAME,
  PROP_MAX_CATEGORIES,
  PROP_STRING_LENGTHS,
  PROP_RANGES,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (SetlSchemaInference, setl_schema_inference, G_TYPE_OBJECT)

static void
inferred_column_free (gpointer data)
{
  InferredColumn *column = data;

  g_free (column->name);
  g_clear_pointer (&column->categories, g_hash_table_unref);
  g_free (column);
}

static void
setl_schema_inference_finalize (GObject *object)
{
  SetlSchemaInference *self = SETL_SCHEMA_INFERENCE (object);

  g_free (self->name);
  g_clear_pointer (&self->columns, g_ptr_array_unref);

  G_OBJECT_CLASS (setl_schema_inference_parent_class)->finalize (object);
}

static void
setl_schema_inference_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  SetlSchemaInference *self = SETL_SCHEMA_INFERENCE (object);

  switch (prop_id)
    {
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_MAX_CATEGORIES:
      g_value_set_uint (value, self->max_categories);
      break;
    case PROP_STRING_LENGTHS:
      g_value_set_boolean (value, self->string_lengths);
      break;
    case PROP_RANGES:
      g_value_set_boolean (value, self->ranges);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
setl_schema_inference_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  SetlSchemaInference *self = SETL_SCHEMA_INFERENCE (object);

  switch (prop_id)
    {
    case PROP_NAME:
      g_free (self->name);
      self->name = g_value_dup_string (value);
      if (self->name == NULL)
        self->name = g_strdup ("inferred");
      break;
    case PROP_MAX_CATEGORIES:
      setl_schema_inference_set_max_categories (self, g_value_get_uint (value));
      break;
    case PROP_STRING_LENGTHS:
      setl_schema_inference_set_string_lengths (self, g_value_get_boolean (value));
      break;
    case PROP_RANGES:
      setl_schema_inference_set_ranges (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
setl_schema_inference_class_init (SetlSchemaInferenceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = setl_schema_inference_finalize;
  object_class->get_property = setl_schema_inference_get_property;
  object_class->set_property = setl_schema_inference_set_property;

  /**
   * SetlSchemaInference:name:
   *
   * The name of the inferred schema.
   */
  properties[PROP_NAME] =
    g_param_spec_string ("name", "Name", "The name of the inferred schema", "inferred",
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * SetlSchemaInference:max-categories:
   *
   * The most distinct values a string column may have to be given an
   * `isin` check; 0 for never.
   */
  properties[PROP_MAX_CATEGORIES] =
    g_param_spec_uint ("max-categories", "Max categories",
                       "Most distinct values of a string column inferred as categorical (0: never)",
                       0, 65536, SETL_SCHEMA_INFERENCE_DEFAULT_MAX_CATEGORIES,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * SetlSchemaInference:string-lengths:
   *
   * Whether string columns that are not categorical get a `str_length`
   * check from their shortest to their longest value.
   */
  properties[PROP_STRING_LENGTHS] =
    g_param_spec_boolean ("string-lengths", "String lengths",
                          "Infer str_length checks for strings that are not categorical",
                          FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * SetlSchemaInference:ranges:
   *
   * Whether numbers, dates and timestamps get an `in_range` check from
   * their smallest to their largest value.
   */
  properties[PROP_RANGES] =
    g_param_spec_boolean ("ranges", "Ranges",
                          "Infer in_range checks for numbers, dates and timestamps",
                          TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
setl_schema_inference_init (SetlSchemaInference *self)
{
  self->name = g_strdup ("inferred");
  self->max_categories = SETL_SCHEMA_INFERENCE_DEFAULT_MAX_CATEGORIES;
  self->ranges = TRUE;
}

/**
 * setl_schema_inference_new:
 * @name: (nullable): the schema's name (`inferred` if %NULL)
 *
 * Returns: (transfer full): a new #SetlSchemaInference
 */
SetlSchemaInference *
setl_schema_inference_new (const char *name)
{
  return g_object_new (SETL_TYPE_SCHEMA_INFERENCE, "name", name, NULL);
}

/**
 * setl_schema_inference_get_name:
 * @self: a #SetlSchemaInference
 *
 * Returns: the name given to the inferred schema
 */
const char *
setl_schema_inference_get_name (SetlSchemaInference *self)
{
  g_return_val_if_fail (SETL_IS_SCHEMA_INFERENCE (self), NULL);
  return self->name;
}

/**
 * setl_schema_inference_get_max_categories:
 * @self: a #SetlSchemaInference
 *
 * Returns: the #SetlSchemaInference:max-categories
 */
guint
setl_schema_inference_get_max_categories (SetlSchemaInference *self)
{
  g_return_val_if_fail (SETL_IS_SCHEMA_INFERENCE (self), 0);
  return self->max_categories;
}

/**
 * setl_schema_inference_set_max_categories:
 * @self: a #SetlSchemaInference
 * @max: the most distinct values of a categorical string column; 0 for none
 *
 * Sets #SetlSchemaInference:max-categories; only before the first batch.
 */
void
setl_schema_inference_set_max_categories (SetlSchemaInference *self,
                                          guint                max)
{
  g_return_if_fail (SETL_IS_SCHEMA_INFERENCE (self));
  g_return_if_fail (self->columns == NULL);

  if (self->max_categories == max)
    return;
  self->max_categories = max;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_CATEGORIES]);
}

/**
 * setl_schema_inference_get_string_lengths:
 * @self: a #SetlSchemaInference
 *
 * Returns: the #SetlSchemaInference:string-lengths
 */
gboolean
setl_schema_inference_get_string_lengths (SetlSchemaInference *self)
{
  g_return_val_if_fail (SETL_IS_SCHEMA_INFERENCE (self), FALSE);
  return self->string_lengths;
}

/**
 * setl_schema_inference_set_string_lengths:
 * @self: a #SetlSchemaInference
 * @lengths: whether to infer `str_length` checks
 *
 * Sets #SetlSchemaInference:string-lengths.
 */
void
setl_schema_inference_set_string_lengths (SetlSchemaInference *self,
                                          gboolean             lengths)
{
  g_return_if_fail (SETL_IS_SCHEMA_INFERENCE (self));

  lengths = !!lengths;
  if (self->string_lengths == lengths)
    return;
  self->string_lengths = lengths;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STRING_LENGTHS]);
}

/**
 * setl_schema_inference_get_ranges:
 * @self: a #SetlSchemaInference
 *
 * Returns: the #SetlSchemaInference:ranges
 */
gboolean
setl_schema_inference_get_ranges (SetlSchemaInference *self)
{
  g_return_val_if_fail (SETL_IS_SCHEMA_INFERENCE (self), FALSE);
  return self->ranges;
}

/**
 * setl_schema_inference_set_ranges:
 * @self: a #SetlSchemaInference
 * @ranges: whether to infer `in_range` checks
 *
 * Sets #SetlSchemaInference:ranges.
 */
void
setl_schema_inference_set_ranges (SetlSchemaInference *self,
                                  gboolean             ranges)
{
  g_return_if_fail (SETL_IS_SCHEMA_INFERENCE (self));

  ranges = !!ranges;
  if (self->ranges == ranges)
    return;
  self->ranges = ranges;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RANGES]);
}

static void
start_columns (SetlSchemaInference  *self,
               SetlField           **fields,
               guint                 n_fields)
{
  self->columns = g_ptr_array_new_with_free_func (inferred_column_free);
  for (guint i = 0; i < n_fields; i++)
    {
      InferredColumn *column = g_new0 (InferredColumn, 1);

      column->name = g_strdup (setl_field_get_name (fields[i]));
      column->type = setl_field_get_data_type (fields[i]);
      column->min_length = G_MAXINT64;
      if (column->type == SETL_DATA_TYPE_STRING && self->max_categories > 0)
        column->categories = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      g_ptr_array_add (self->columns, column);
    }
}

static void
add_integer (InferredColumn *column,
             gint64          v)
{
  if (!column->has_range)
    {
      column->imin = column->imax = v;
      column->has_range = TRUE;
    }
  else if (v < column->imin)
    column->imin = v;
  else if (v > column->imax)
    column->imax = v;
}

static void
add_column_values (SetlSchemaInference *self,
                   InferredColumn      *inferred,
                   SetlColumn          *column)
{
  gint64 length = setl_column_get_length (column);
  gint64 n_nulls = setl_column_get_null_count (column);

  inferred->n_nulls += n_nulls;
  inferred->n_values += length - n_nulls;

  for (gint64 row = 0; row < length; row++)
    {
      if (n_nulls > 0 && setl_column_is_null (column, row))
        continue;
      switch (inferred->type)
        {
        case SETL_DATA_TYPE_INT64:
          add_integer (inferred, setl_column_get_int64 (column, row));
          break;
        case SETL_DATA_TYPE_DATE32:
          add_integer (inferred, setl_column_get_date32 (column, row));
          break;
        case SETL_DATA_TYPE_TIMESTAMP:
          add_integer (inferred, setl_column_get_timestamp (column, row));
          break;
        case SETL_DATA_TYPE_DOUBLE:
          {
            double v = setl_column_get_double (column, row);

            if (isnan (v))
              inferred->has_nan = TRUE;
            else if (!inferred->has_range)
              {
                inferred->dmin = inferred->dmax = v;
                inferred->has_range = TRUE;
              }
            else if (v < inferred->dmin)
              inferred->dmin = v;
            else if (v > inferred->dmax)
              inferred->dmax = v;
          }
          break;
        case SETL_DATA_TYPE_STRING:
          {
            gsize n_bytes;
            const char *s = setl_column_get_string (column, row, &n_bytes);
            gint64 n_chars = (gint64) g_utf8_strlen (s, (gssize) n_bytes);

            inferred->min_length = MIN (inferred->min_length, n_chars);
            inferred->max_length = MAX (inferred->max_length, n_chars);
            if (inferred->categories != NULL)
              {
                g_autofree char *copy = g_strndup (s, n_bytes);

                if (!g_hash_table_contains (inferred->categories, copy))
                  g_hash_table_add (inferred->categories, g_steal_pointer (&copy));
                /* Too many: not categorical, stop counting. */
                if (g_hash_table_size (inferred->categories) > self->max_categories)
                  g_clear_pointer (&inferred->categories, g_hash_table_unref);
              }
          }
          break;
        case SETL_DATA_TYPE_BOOL:
        default:
          break;
        }
    }
}

/**
 * setl_schema_inference_add_batch:
 * @self: a #SetlSchemaInference
 * @batch: the next batch of the data
 * @error: return location for a #GError
 *
 * Adds @batch's values to what is known of the data. The first batch
 * decides the columns; the next ones must have the same.
 *
 * Returns: %FALSE with @error set if @batch's columns differ from the
 *   first batch's
 */
gboolean
setl_schema_inference_add_batch (SetlSchemaInference  *self,
                                 SetlRecordBatch      *batch,
                                 GError              **error)
{
  SetlField **fields;
  guint n_fields;

  g_return_val_if_fail (SETL_IS_SCHEMA_INFERENCE (self), FALSE);
  g_return_val_if_fail (SETL_IS_RECORD_BATCH (batch), FALSE);

  fields = setl_record_batch_get_fields (batch, &n_fields);
  if (self->columns == NULL)
    start_columns (self, fields, n_fields);
  if (n_fields != self->columns->len)
    {
      g_set_error (error, SETL_VALIDATION_ERROR, SETL_VALIDATION_ERROR_FAILED,
                   "schema inference: a batch has %u columns, the first had %u",
                   n_fields, self->columns->len);
      return FALSE;
    }
  for (guint i = 0; i < n_fields; i++)
    {
      InferredColumn *inferred = g_ptr_array_index (self->columns, i);

      if (g_strcmp0 (inferred->name, setl_field_get_name (fields[i])) != 0 ||
          inferred->type != setl_field_get_data_type (fields[i]))
        {
          g_set_error (error, SETL_VALIDATION_ERROR, SETL_VALIDATION_ERROR_FAILED,
                       "schema inference: column %u is “%s” (%s) in a batch, “%s” (%s) in the first",
                       i + 1, setl_field_get_name (fields[i]),
                       setl_data_type_to_string (setl_field_get_data_type (fields[i])),
                       inferred->name, setl_data_type_to_string (inferred->type));
          return FALSE;
        }
      add_column_values (self, inferred, setl_record_batch_get_column (batch, i));
    }
  self->n_rows += setl_record_batch_get_n_rows (batch);
  return TRUE;
}

static const char *
schema_type_name (SetlDataType type)
{
  switch (type)
    {
    case SETL_DATA_TYPE_BOOL: return "bool";
    case SETL_DATA_TYPE_INT64: return "int64";
    case SETL_DATA_TYPE_DOUBLE: return "double";
    case SETL_DATA_TYPE_STRING: return "string";
    case SETL_DATA_TYPE_DATE32: return "date";
    case SETL_DATA_TYPE_TIMESTAMP: return "timestamp";
    default: return "string";
    }
}

/* A bound of an in_range check, in the form schema documents give it
 * (dates and timestamps as text). */
static void
add_bound (JsonBuilder    *builder,
           InferredColumn *column,
           gboolean        upper)
{
  g_auto(GValue) value = G_VALUE_INIT;
  g_autofree char *text = NULL;
  gint64 v = upper ? column->imax : column->imin;

  switch (column->type)
    {
    case SETL_DATA_TYPE_INT64:
      json_builder_add_int_value (builder, v);
      return;
    case SETL_DATA_TYPE_DOUBLE:
      json_builder_add_double_value (builder, upper ? column->dmax : column->dmin);
      return;
    case SETL_DATA_TYPE_DATE32:
      g_value_init (&value, G_TYPE_INT);
      g_value_set_int (&value, (gint) v);
      break;
    default:
      g_value_init (&value, G_TYPE_INT64);
      g_value_set_int64 (&value, v);
      break;
    }
  text = setl_validation_value_to_string (&value, column->type);
  json_builder_add_string_value (builder, text);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static void
add_column_checks (SetlSchemaInference *self,
                   JsonBuilder         *builder,
                   InferredColumn      *column)
{
  gboolean is_range_type = column->type == SETL_DATA_TYPE_INT64 ||
                           column->type == SETL_DATA_TYPE_DOUBLE ||
                           column->type == SETL_DATA_TYPE_DATE32 ||
                           column->type == SETL_DATA_TYPE_TIMESTAMP;
  /* Categorical: few distinct values, each seen twice on average, so that a
   * column of identifiers is not taken for one. */
  gboolean categorical = column->type == SETL_DATA_TYPE_STRING &&
                         column->categories != NULL && column->n_values > 0 &&
                         (gint64) g_hash_table_size (column->categories) * 2 <= column->n_values;
  gboolean lengths = column->type == SETL_DATA_TYPE_STRING && !categorical &&
                     self->string_lengths && column->n_values > 0;
  gboolean range = is_range_type && self->ranges && column->has_range &&
                   /* NaN fails every range: leave such columns unbounded. */
                   !column->has_nan;

  if (!categorical && !lengths && !range)
    return;

  json_builder_set_member_name (builder, "checks");
  json_builder_begin_array (builder);
  if (range)
    {
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "in_range");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "min_value");
      add_bound (builder, column, FALSE);
      json_builder_set_member_name (builder, "max_value");
      add_bound (builder, column, TRUE);
      json_builder_end_object (builder);
      json_builder_end_object (builder);
    }
  if (categorical)
    {
      g_autofree gpointer *values = NULL;
      guint n_values;

      values = g_hash_table_get_keys_as_array (column->categories, &n_values);
      qsort (values, n_values, sizeof (gpointer), compare_strings);
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "isin");
      json_builder_begin_array (builder);
      for (guint i = 0; i < n_values; i++)
        json_builder_add_string_value (builder, values[i]);
      json_builder_end_array (builder);
      json_builder_end_object (builder);
    }
  if (lengths)
    {
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "str_length");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "min_value");
      json_builder_add_int_value (builder, column->min_length);
      json_builder_set_member_name (builder, "max_value");
      json_builder_add_int_value (builder, column->max_length);
      json_builder_end_object (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
}

/**
 * setl_schema_inference_get_document:
 * @self: a #SetlSchemaInference
 *
 * The schema document inferred from the batches added so far (no column
 * if none was).
 *
 * Returns: (transfer full): the document, a JSON object
 */
JsonNode *
setl_schema_inference_get_document (SetlSchemaInference *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *description = NULL;

  g_return_val_if_fail (SETL_IS_SCHEMA_INFERENCE (self), NULL);

  description = g_strdup_printf ("Inferred from %" G_GINT64_FORMAT " rows", self->n_rows);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, self->name);
  json_builder_set_member_name (builder, "description");
  json_builder_add_string_value (builder, description);
  json_builder_set_member_name (builder, "columns");
  json_builder_begin_array (builder);
  for (guint i = 0; self->columns != NULL && i < self->columns->len; i++)
    {
      InferredColumn *column = g_ptr_array_index (self->columns, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, column->name);
      json_builder_set_member_name (builder, "type");
      json_builder_add_string_value (builder, schema_type_name (column->type));
      json_builder_set_member_name (builder, "nullable");
      json_builder_add_boolean_value (builder, column->n_nulls > 0);
      add_column_checks (self, builder, column);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/**
 * setl_schema_inference_get_schema:
 * @self: a #SetlSchemaInference
 * @error: return location for a #GError
 *
 * The inferred schema (see setl_schema_inference_get_document()).
 *
 * Returns: (transfer full): the schema, or %NULL with @error set (a
 *   column name that schema documents refuse)
 */
SetlSchema *
setl_schema_inference_get_schema (SetlSchemaInference  *self,
                                  GError              **error)
{
  g_autoptr(JsonNode) document = NULL;

  g_return_val_if_fail (SETL_IS_SCHEMA_INFERENCE (self), NULL);

  document = setl_schema_inference_get_document (self);
  return setl_schema_new_from_json (document, "inferred schema", error);
}

/**
 * setl_schema_infer:
 * @data: the data: a #SetlTable or any #SetlBatchStream
 * @name: (nullable): the schema's name
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Reads @data once and infers a schema it passes, with the defaults of
 * #SetlSchemaInference.
 *
 * Returns: (transfer full): the schema, or %NULL with @error set if @data
 *   could not be read
 */
SetlSchema *
setl_schema_infer (SetlBatchStream  *data,
                   const char       *name,
                   GCancellable     *cancellable,
                   GError          **error)
{
  g_autoptr(SetlSchemaInference) inference = setl_schema_inference_new (name);

  g_return_val_if_fail (SETL_IS_BATCH_STREAM (data), NULL);

  if (!setl_schema_inference_add_stream (inference, data, cancellable, error))
    return NULL;
  return setl_schema_inference_get_schema (inference, error);
}

/**
 * setl_schema_inference_add_stream:
 * @self: a #SetlSchemaInference
 * @data: the data: a #SetlTable or any #SetlBatchStream
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Adds every batch of @data (setl_schema_inference_add_batch()). If no
 * batch was added before, @data's fields decide the columns, so that data
 * without rows still gives them.
 *
 * Returns: %FALSE with @error set if @data could not be read
 */
gboolean
setl_schema_inference_add_stream (SetlSchemaInference  *self,
                             SetlBatchStream      *data,
                             GCancellable         *cancellable,
                             GError              **error)
{
  g_autoptr(SetlBatchIterator) iterator = NULL;

  if (self->columns == NULL)
    {
      guint n_fields = 0;
      SetlField **fields = setl_batch_stream_get_fields (data, &n_fields);

      if (fields != NULL)
        start_columns (self, fields, n_fields);
    }
  iterator = setl_batch_stream_open (data, cancellable, error);
  if (iterator == NULL)
    return FALSE;
  for (;;)
    {
      g_autoptr(SetlRecordBatch) batch = NULL;
      GError *local = NULL;

      batch = setl_batch_iterator_next (iterator, cancellable, &local);
      if (batch == NULL)
        {
          if (local != NULL)
            {
              g_propagate_error (error, local);
              return FALSE;
            }
          return TRUE;
        }
      if (!setl_schema_inference_add_batch (self, batch, error))
        return FALSE;
    }
}
