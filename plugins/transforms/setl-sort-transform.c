/* setl-sort-transform.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/**
 * SetlSortTransform:
 *
 * The "sort" transform: orders the rows of its input "in" by the keys of
 * #SetlSortTransform:by, e.g. `country, age desc, lower(name) nulls first`.
 * Each key is an expression (usually a column) followed by `asc` (the
 * default) or `desc` and by `nulls first` or `nulls last`; without the
 * latter, #SetlSortTransform:nulls-first decides (nulls last by default,
 * whatever the direction). NaN sorts after every other double. The sort is
 * stable: rows with equal keys keep their input order.
 *
 * A sort needs every row before it can emit the first one: unlike filter,
 * select, limit and union, it **materialises its input in memory** (during
 * its process phase) and is not bounded-memory. It sorts row numbers (an
 * index sort) and then gathers the columns in that order, into output
 * batches of #SetlSortTransform:batch-size rows.
 */
#include "setl-sort-transform.h"
#include "setl-xf-kernels.h"
#include "setl-xf-util.h"

#include <math.h>
#include <string.h>

typedef struct
{
  SetlExpr *expr;
  gboolean desc;
  gboolean nulls_first;
} SortKeySpec;

struct _SetlSortTransform
{
  SetlFactory parent_instance;

  char *by;
  gboolean nulls_first;
  guint batch_size;
  GStrv parameters;

  SetlBatchStream *input;
  SetlExprScope *scope;
  GArray *keys;           /* SortKeySpec */
  SetlTable *sorted;      /* from process() */
};

enum {
  PROP_0,
  PROP_BY,
  PROP_NULLS_FIRST,
  PROP_BATCH_SIZE,
  PROP_PARAMETERS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (SetlSortTransform, setl_sort_transform, SETL_TYPE_FACTORY)

static void
sort_key_spec_clear (gpointer p)
{
  g_clear_object (&((SortKeySpec *) p)->expr);
}

/* Removes a trailing keyword (any case) preceded by a space from @item. */
static gboolean
pop_keyword (char       *item,
             const char *keyword)
{
  gsize n = strlen (item), k = strlen (keyword);

  if (n <= k || g_ascii_strcasecmp (item + n - k, keyword) != 0 ||
      !g_ascii_isspace (item[n - k - 1]))
    return FALSE;
  item[n - k] = '\0';
  g_strchomp (item);
  return TRUE;
}

static gboolean
parse_keys (SetlSortTransform  *self,
            const char         *who,
            GError            **error)
{
  g_autoptr(GPtrArray) items = setl_xf_split_list (self->by ? self->by : "");

  for (guint i = 0; i < items->len; i++)
    {
      char *item = g_ptr_array_index (items, i);
      SortKeySpec spec = { NULL, FALSE, self->nulls_first };

      if (*item == '\0')
        {
          g_set_error (error, SETL_EXPR_ERROR, SETL_EXPR_ERROR_SYNTAX,
                       "%s: “by” key %u is empty (in “%s”)", who, i + 1, self->by ? self->by : "");
          return FALSE;
        }
      if (pop_keyword (item, "first"))
        {
          if (!pop_keyword (item, "nulls"))
            goto bad;
          spec.nulls_first = TRUE;
        }
      else if (pop_keyword (item, "last"))
        {
          if (!pop_keyword (item, "nulls"))
            goto bad;
          spec.nulls_first = FALSE;
        }
      if (pop_keyword (item, "desc"))
        spec.desc = TRUE;
      else
        pop_keyword (item, "asc");

      spec.expr = setl_expr_compile (item, self->scope, error);
      if (spec.expr == NULL)
        {
          g_prefix_error (error, "%s: “by” key %u: ", who, i + 1);
          return FALSE;
        }
      g_array_append_val (self->keys, spec);
      continue;

    bad:
      g_set_error (error, SETL_EXPR_ERROR, SETL_EXPR_ERROR_SYNTAX,
                   "%s: “by” key %u (“%s”): write “nulls first” or “nulls last”",
                   who, i + 1, (char *) g_ptr_array_index (items, i));
      return FALSE;
    }
  return TRUE;
}

static gboolean
setl_sort_transform_read (SetlFactory   *factory,
                          GCancellable  *cancellable,
                          GError       **error)
{
  SetlSortTransform *self = SETL_SORT_TRANSFORM (factory);
  g_autofree char *who = setl_xf_describe (factory, "sort");
  SetlBatchStream *input;
  SetlField **fields;
  guint n_fields;

  input = setl_xf_get_input_stream (factory, "in", "sort", error);
  if (input == NULL)
    return FALSE;
  if (self->by == NULL || *self->by == '\0')
    {
      g_set_error (error, SETL_EXPR_ERROR, SETL_EXPR_ERROR_SYNTAX,
                   "%s: the “by” property is not set", who);
      return FALSE;
    }
  fields = setl_batch_stream_get_fields (input, &n_fields);
  g_clear_object (&self->scope);
  self->scope = setl_expr_scope_new_for_fields (fields, n_fields);
  if (!setl_xf_scope_add_parameters (self->scope, (const char *const *) self->parameters, error))
    {
      g_prefix_error (error, "%s: ", who);
      return FALSE;
    }
  g_array_set_size (self->keys, 0);
  if (!parse_keys (self, who, error))
    return FALSE;
  g_set_object (&self->input, input);
  return TRUE;
}

/* One key's values for every row, laid out for fast comparisons. */
typedef struct
{
  SetlDataType type;
  gboolean desc;
  gboolean nulls_first;
  SetlColumn *column;     /* all rows, concatenated */
  guint8 *is_null;        /* NULL if the key has no nulls */
  gint64 *ints;           /* bool, int64, date32, timestamp */
  double *doubles;
} SortKey;

static int
compare_values (const SortKey *k,
                gint64         a,
                gint64         b)
{
  switch (k->type)
    {
    case SETL_DATA_TYPE_DOUBLE:
      {
        double x = k->doubles[a], y = k->doubles[b];
        gboolean nx = isnan (x), ny = isnan (y);
        if (nx || ny)
          return nx - ny;   /* NaN after every number */
        return (x > y) - (x < y);
      }
    case SETL_DATA_TYPE_STRING:
      {
        gsize la, lb;
        const char *sa = setl_column_get_string (k->column, a, &la);
        const char *sb = setl_column_get_string (k->column, b, &lb);
        int c = memcmp (sa, sb, MIN (la, lb));
        if (c != 0)
          return c < 0 ? -1 : 1;
        return (la > lb) - (la < lb);
      }
    default:
      return (k->ints[a] > k->ints[b]) - (k->ints[a] < k->ints[b]);
    }
}

typedef struct
{
  SortKey *keys;
  guint n_keys;
} SortContext;

static gint
compare_rows (gconstpointer pa,
              gconstpointer pb,
              gpointer      user_data)
{
  const SortContext *ctx = user_data;
  gint64 a = *(const gint64 *) pa, b = *(const gint64 *) pb;

  for (guint i = 0; i < ctx->n_keys; i++)
    {
      const SortKey *k = &ctx->keys[i];
      int c;

      if (k->is_null != NULL && (k->is_null[a] || k->is_null[b]))
        {
          if (k->is_null[a] && k->is_null[b])
            continue;
          c = k->is_null[a] ? 1 : -1;   /* nulls last */
          if (k->nulls_first)
            c = -c;
          return c;
        }
      c = compare_values (k, a, b);
      if (c != 0)
        return k->desc ? -c : c;
    }
  return 0;
}

static gboolean
build_key (SortKey     *key,
           SetlColumn  *column,
           GError     **error)
{
  gint64 n = setl_column_get_length (column);

  key->column = column;
  key->type = setl_column_get_data_type (column);
  if (setl_column_get_null_count (column) > 0)
    {
      key->is_null = g_new (guint8, MAX (n, 1));
      for (gint64 r = 0; r < n; r++)
        key->is_null[r] = setl_column_is_null (column, r);
    }
  switch (key->type)
    {
    case SETL_DATA_TYPE_DOUBLE:
      key->doubles = g_new (double, MAX (n, 1));
      for (gint64 r = 0; r < n; r++)
        key->doubles[r] = setl_column_get_double (column, r);
      break;
    case SETL_DATA_TYPE_STRING:
      break;
    default:
      key->ints = g_new (gint64, MAX (n, 1));
      for (gint64 r = 0; r < n; r++)
        switch (key->type)
          {
          case SETL_DATA_TYPE_BOOL:
            key->ints[r] = setl_column_get_bool (column, r);
            break;
          case SETL_DATA_TYPE_INT64:
            key->ints[r] = setl_column_get_int64 (column, r);
            break;
          case SETL_DATA_TYPE_DATE32:
            key->ints[r] = setl_column_get_date32 (column, r);
            break;
          default:
            key->ints[r] = setl_column_get_timestamp (column, r);
          }
    }
  return TRUE;
}

static void
sort_key_clear (SortKey *key)
{
  g_clear_object (&key->column);
  g_clear_pointer (&key->is_null, g_free);
  g_clear_pointer (&key->ints, g_free);
  g_clear_pointer (&key->doubles, g_free);
}

static SetlTable *
sort_table (SetlSortTransform  *self,
            SetlTable          *table,
            const char         *who,
            GError            **error)
{
  guint n_batches = setl_table_get_n_batches (table);
  guint n_cols = setl_table_get_n_columns (table);
  gint64 n_rows = setl_table_get_n_rows (table);
  g_autofree SortKey *keys = g_new0 (SortKey, self->keys->len);
  g_autofree gint64 *order = NULL;
  g_autoptr(GPtrArray) out_batches = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree SetlColumn **chunks = g_new (SetlColumn *, MAX (n_batches, 1));
  SetlField **fields;
  guint n_fields;
  SortContext ctx = { keys, self->keys->len };
  SetlTable *result = NULL;

  if (n_rows > G_MAXINT)
    {
      g_set_error (error, SETL_DATA_ERROR, SETL_DATA_ERROR_OVERFLOW,
                   "%s: cannot sort %" G_GINT64_FORMAT " rows (at most %d)", who, n_rows, G_MAXINT);
      return NULL;
    }
  fields = setl_table_get_fields (table, &n_fields);
  if (n_batches == 0 || n_rows == 0)
    return setl_table_new (fields, n_fields, NULL, 0, error);

  /* each key evaluated over every batch, then made one column */
  for (guint k = 0; k < self->keys->len; k++)
    {
      SortKeySpec *spec = &g_array_index (self->keys, SortKeySpec, k);
      g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_object_unref);
      SetlColumn *all;

      keys[k].desc = spec->desc;
      keys[k].nulls_first = spec->nulls_first;
      for (guint b = 0; b < n_batches; b++)
        {
          SetlColumn *c = setl_expr_evaluate (spec->expr, setl_table_get_batch (table, b),
                                              self->scope, error);
          if (c == NULL)
            goto out;
          g_ptr_array_add (parts, c);
        }
      all = setl_xf_concatenate (setl_expr_get_result_type (spec->expr),
                                 (SetlColumn **) parts->pdata, parts->len, error);
      if (all == NULL)
        goto out;
      build_key (&keys[k], all, error);
    }

  order = g_new (gint64, n_rows);
  for (gint64 r = 0; r < n_rows; r++)
    order[r] = r;
  /* g_qsort_with_data is a merge sort: stable, as documented since 2.32 */
  g_qsort_with_data (order, (gint) n_rows, sizeof (gint64), compare_rows, &ctx);

  for (gint64 start = 0; start < n_rows; start += self->batch_size)
    {
      gint64 len = MIN ((gint64) self->batch_size, n_rows - start);
      g_autoptr(GPtrArray) cols = g_ptr_array_new_with_free_func (g_object_unref);
      SetlRecordBatch *batch;

      for (guint c = 0; c < n_cols; c++)
        {
          SetlColumn *col;

          for (guint b = 0; b < n_batches; b++)
            chunks[b] = setl_record_batch_get_column (setl_table_get_batch (table, b), c);
          col = setl_xf_take_chunked (setl_field_get_data_type (fields[c]), chunks, n_batches,
                                      order + start, len, error);
          if (col == NULL)
            goto out;
          g_ptr_array_add (cols, col);
        }
      batch = setl_record_batch_new (fields, n_fields, (SetlColumn **) cols->pdata, cols->len, error);
      if (batch == NULL)
        goto out;
      g_ptr_array_add (out_batches, batch);
    }
  result = setl_table_new (fields, n_fields, (SetlRecordBatch **) out_batches->pdata,
                           out_batches->len, error);

out:
  for (guint k = 0; k < self->keys->len; k++)
    sort_key_clear (&keys[k]);
  if (result == NULL)
    g_prefix_error (error, "%s: ", who);
  return result;
}

static gboolean
setl_sort_transform_process (SetlFactory   *factory,
                             GCancellable  *cancellable,
                             GError       **error)
{
  SetlSortTransform *self = SETL_SORT_TRANSFORM (factory);
  g_autofree char *who = setl_xf_describe (factory, "sort");
  g_autoptr(SetlTable) table = NULL;

  if (self->input == NULL)
    {
      g_set_error (error, SETL_PIPELINE_ERROR, SETL_PIPELINE_ERROR_NO_OUTPUT,
                   "%s: process before read", who);
      return FALSE;
    }
  table = setl_batch_stream_collect (self->input, cancellable, error);
  if (table == NULL)
    return FALSE;
  g_clear_object (&self->sorted);
  self->sorted = sort_table (self, table, who, error);
  return self->sorted != NULL;
}

static gboolean
setl_sort_transform_get (SetlFactory  *factory,
                         GValue       *output,
                         GError      **error)
{
  SetlSortTransform *self = SETL_SORT_TRANSFORM (factory);

  if (self->sorted == NULL)
    {
      g_autofree char *who = setl_xf_describe (factory, "sort");
      g_set_error (error, SETL_PIPELINE_ERROR, SETL_PIPELINE_ERROR_NO_OUTPUT,
                   "%s: asked for its output before it has sorted", who);
      return FALSE;
    }
  g_value_set_object (output, self->sorted);
  return TRUE;
}

static void
setl_sort_transform_finalize (GObject *object)
{
  SetlSortTransform *self = SETL_SORT_TRANSFORM (object);

  g_free (self->by);
  g_strfreev (self->parameters);
  g_clear_object (&self->input);
  g_clear_object (&self->scope);
  g_clear_object (&self->sorted);
  g_array_unref (self->keys);
  G_OBJECT_CLASS (setl_sort_transform_parent_class)->finalize (object);
}

static void
setl_sort_transform_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  SetlSortTransform *self = SETL_SORT_TRANSFORM (object);

  switch (prop_id)
    {
    case PROP_BY:
      g_value_set_string (value, self->by);
      break;
    case PROP_NULLS_FIRST:
      g_value_set_boolean (value, self->nulls_first);
      break;
    case PROP_BATCH_SIZE:
      g_value_set_uint (value, self->batch_size);
      break;
    case PROP_PARAMETERS:
      g_value_set_boxed (value, self->parameters);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
setl_sort_transform_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  SetlSortTransform *self = SETL_SORT_TRANSFORM (object);

  switch (prop_id)
    {
    case PROP_BY:
      g_free (self->by);
      self->by = g_value_dup_string (value);
      break;
    case PROP_NULLS_FIRST:
      self->nulls_first = g_value_get_boolean (value);
      break;
    case PROP_BATCH_SIZE:
      self->batch_size = g_value_get_uint (value);
      break;
    case PROP_PARAMETERS:
      g_strfreev (self->parameters);
      self->parameters = g_value_dup_boxed (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
setl_sort_transform_class_init (SetlSortTransformClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  SetlFactoryClass *factory_class = SETL_FACTORY_CLASS (klass);

  object_class->finalize = setl_sort_transform_finalize;
  object_class->get_property = setl_sort_transform_get_property;
  object_class->set_property = setl_sort_transform_set_property;
  factory_class->read = setl_sort_transform_read;
  factory_class->process = setl_sort_transform_process;
  factory_class->get = setl_sort_transform_get;
  setl_factory_class_set_output_type (factory_class, SETL_TYPE_BATCH_STREAM);

  properties[PROP_BY] =
    g_param_spec_string ("by", "By",
                         "The sort keys, most significant first: expressions (usually "
                         "columns) each followed by asc/desc and nulls first/last, "
                         "e.g. “country, age desc”",
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_NULLS_FIRST] =
    g_param_spec_boolean ("nulls-first", "Nulls first",
                          "Whether nulls sort before other values for keys that do not say "
                          "(nulls last by default, in both directions)",
                          FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BATCH_SIZE] =
    g_param_spec_uint ("batch-size", "Batch size",
                       "Rows per output batch",
                       1, G_MAXINT32, 65536,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_EXPLICIT_NOTIFY |
                       G_PARAM_STATIC_STRINGS);
  properties[PROP_PARAMETERS] =
    g_param_spec_boxed ("parameters", "Parameters",
                        "Values of the $parameters the keys use, as “name=value”, "
                        "“name:type=value” or “name:type” (a null)",
                        G_TYPE_STRV,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
setl_sort_transform_init (SetlSortTransform *self)
{
  self->keys = g_array_new (FALSE, TRUE, sizeof (SortKeySpec));
  g_array_set_clear_func (self->keys, sort_key_spec_clear);
  setl_factory_add_input (SETL_FACTORY (self), "in", SETL_TYPE_BATCH_STREAM,
                          SETL_TYPE_EXTERNAL, NULL);
}
