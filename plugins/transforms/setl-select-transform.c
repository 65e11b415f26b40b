/* setl-select-transform.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/**
 * SetlSelectTransform:
 *
 * The "select" transform: projects, renames and computes columns. Each item
 * of #SetlSelectTransform:columns is one output column, in order:
 *
 * - `name` keeps a column as it is;
 * - `old AS new` renames it;
 * - `expression AS new` computes it (`price * quantity AS total`);
 * - an expression without `AS` is named after its own text.
 *
 * Kept and renamed columns are the very input columns (no copy); computed
 * ones are evaluated a batch at a time as the consumer pulls them.
 */
#include "setl-select-transform.h"
#include "setl-xf-util.h"

struct _SetlSelectTransform
{
  SetlFactory parent_instance;

  GStrv columns;
  GStrv parameters;

  SetlBatchStream *input;
  SetlExprScope *scope;
  GPtrArray *exprs;    /* SetlExpr, one per output column */
  GPtrArray *fields;   /* SetlField, the output fields */
};

enum {
  PROP_0,
  PROP_COLUMNS,
  PROP_PARAMETERS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (SetlSelectTransform, setl_select_transform, SETL_TYPE_FACTORY)

typedef struct
{
  SetlExprScope *scope;
  GPtrArray *exprs;
  GPtrArray *fields;
} SelectData;

static void
select_data_free (gpointer p)
{
  SelectData *d = p;

  g_object_unref (d->scope);
  g_ptr_array_unref (d->exprs);
  g_ptr_array_unref (d->fields);
  g_free (d);
}

static SetlRecordBatch *
select_batch (SetlRecordBatch  *batch,
              gpointer          user_data,
              GError          **error)
{
  SelectData *d = user_data;
  g_autoptr(GPtrArray) cols = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < d->exprs->len; i++)
    {
      SetlColumn *c = setl_expr_evaluate (g_ptr_array_index (d->exprs, i), batch, d->scope, error);
      if (c == NULL)
        return NULL;
      g_ptr_array_add (cols, c);
    }
  return setl_record_batch_new ((SetlField **) d->fields->pdata, d->fields->len,
                                (SetlColumn **) cols->pdata, cols->len, error);
}

static SetlField *
output_field (SetlExpr   *expr,
              const char *name)
{
  SetlDataType type = setl_expr_get_result_type (expr);

  if (type == SETL_DATA_TYPE_TIMESTAMP)
    return setl_field_new_timestamp (name, TRUE, NULL);
  return setl_field_new (name, type, TRUE);
}

static gboolean
setl_select_transform_read (SetlFactory   *factory,
                            GCancellable  *cancellable,
                            GError       **error)
{
  SetlSelectTransform *self = SETL_SELECT_TRANSFORM (factory);
  g_autofree char *who = setl_xf_describe (factory, "select");
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  SetlBatchStream *input;
  SetlField **in_fields;
  guint n_in;

  input = setl_xf_get_input_stream (factory, "in", "select", error);
  if (input == NULL)
    return FALSE;
  if (self->columns == NULL || self->columns[0] == NULL)
    {
      g_set_error (error, SETL_EXPR_ERROR, SETL_EXPR_ERROR_SYNTAX,
                   "%s: the “columns” property lists no column", who);
      return FALSE;
    }

  in_fields = setl_batch_stream_get_fields (input, &n_in);
  g_clear_object (&self->scope);
  g_clear_pointer (&self->exprs, g_ptr_array_unref);
  g_clear_pointer (&self->fields, g_ptr_array_unref);
  self->scope = setl_expr_scope_new_for_fields (in_fields, n_in);
  if (!setl_xf_scope_add_parameters (self->scope, (const char *const *) self->parameters, error))
    {
      g_prefix_error (error, "%s: ", who);
      return FALSE;
    }
  self->exprs = g_ptr_array_new_with_free_func (g_object_unref);
  self->fields = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; self->columns[i] != NULL; i++)
    {
      g_autofree char *text = NULL;
      g_autofree char *alias = NULL;
      g_autofree char *bare = NULL;
      SetlField *field = NULL;
      SetlExpr *expr;
      const char *name;

      if (!setl_xf_split_alias (self->columns[i], &text, &alias, error))
        {
          g_prefix_error (error, "%s: column %u: ", who, i + 1);
          return FALSE;
        }
      expr = setl_expr_compile (text, self->scope, error);
      if (expr == NULL)
        {
          g_prefix_error (error, "%s: column %u (“%s”): ", who, i + 1, self->columns[i]);
          return FALSE;
        }
      g_ptr_array_add (self->exprs, expr);

      bare = setl_xf_bare_column (text);
      name = alias != NULL ? alias : (bare != NULL ? bare : text);
      /* a kept or renamed column keeps its field: nullability, time zone */
      for (guint k = 0; bare != NULL && k < n_in; k++)
        if (g_str_equal (setl_field_get_name (in_fields[k]), bare))
          field = setl_field_with_name (in_fields[k], name);
      if (field == NULL)
        field = output_field (expr, name);
      g_ptr_array_add (self->fields, field);

      if (!g_hash_table_add (seen, (gpointer) setl_field_get_name (field)))
        {
          g_set_error (error, SETL_EXPR_ERROR, SETL_EXPR_ERROR_SYNTAX,
                       "%s: column %u (“%s”): the output already has a column “%s”; "
                       "use “… AS other_name”", who, i + 1, self->columns[i],
                       setl_field_get_name (field));
          return FALSE;
        }
    }
  g_set_object (&self->input, input);
  return TRUE;
}

static gboolean
setl_select_transform_get (SetlFactory  *factory,
                           GValue       *output,
                           GError      **error)
{
  SetlSelectTransform *self = SETL_SELECT_TRANSFORM (factory);
  g_autoptr(SetlMapStream) stream = NULL;
  SelectData *d;

  if (self->input == NULL || self->exprs == NULL)
    {
      g_autofree char *who = setl_xf_describe (factory, "select");
      g_set_error (error, SETL_PIPELINE_ERROR, SETL_PIPELINE_ERROR_NO_OUTPUT,
                   "%s: asked for its output before it has read its input", who);
      return FALSE;
    }
  d = g_new0 (SelectData, 1);
  d->scope = g_object_ref (self->scope);
  d->exprs = g_ptr_array_ref (self->exprs);
  d->fields = g_ptr_array_ref (self->fields);
  stream = setl_map_stream_new (self->input, (SetlField **) self->fields->pdata,
                                   self->fields->len, select_batch, d, select_data_free);
  g_value_set_object (output, stream);
  return TRUE;
}

static void
setl_select_transform_finalize (GObject *object)
{
  SetlSelectTransform *self = SETL_SELECT_TRANSFORM (object);

  g_strfreev (self->columns);
  g_strfreev (self->parameters);
  g_clear_object (&self->input);
  g_clear_object (&self->scope);
  g_clear_pointer (&self->exprs, g_ptr_array_unref);
  g_clear_pointer (&self->fields, g_ptr_array_unref);
  G_OBJECT_CLASS (setl_select_transform_parent_class)->finalize (object);
}

static void
setl_select_transform_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  SetlSelectTransform *self = SETL_SELECT_TRANSFORM (object);

  switch (prop_id)
    {
    case PROP_COLUMNS:
      g_value_set_boxed (value, self->columns);
      break;
    case PROP_PARAMETERS:
      g_value_set_boxed (value, self->parameters);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
setl_select_transform_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  SetlSelectTransform *self = SETL_SELECT_TRANSFORM (object);

  switch (prop_id)
    {
    case PROP_COLUMNS:
      g_strfreev (self->columns);
      self->columns = g_value_dup_boxed (value);
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
setl_select_transform_class_init (SetlSelectTransformClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  SetlFactoryClass *factory_class = SETL_FACTORY_CLASS (klass);

  object_class->finalize = setl_select_transform_finalize;
  object_class->get_property = setl_select_transform_get_property;
  object_class->set_property = setl_select_transform_set_property;
  factory_class->read = setl_select_transform_read;
  factory_class->get = setl_select_transform_get;
  setl_factory_class_set_output_type (factory_class, SETL_TYPE_BATCH_STREAM);

  properties[PROP_COLUMNS] =
    g_param_spec_boxed ("columns", "Columns",
                        "The output columns, in order: “name”, “old AS new” or "
                        "“expression AS new”",
                        G_TYPE_STRV,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PARAMETERS] =
    g_param_spec_boxed ("parameters", "Parameters",
                        "Values of the $parameters the expressions use, as “name=value” "
                        "(type guessed: int64, double, bool, else string), "
                        "“name:type=value” or “name:type” (a null)",
                        G_TYPE_STRV,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
setl_select_transform_init (SetlSelectTransform *self)
{
  setl_factory_add_input (SETL_FACTORY (self), "in", SETL_TYPE_BATCH_STREAM,
                          SETL_TYPE_EXTERNAL, NULL);
}
