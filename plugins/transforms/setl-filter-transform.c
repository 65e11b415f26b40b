/* setl-filter-transform.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/**
 * SetlFilterTransform:
 *
 * The "filter" transform: keeps the rows of its input "in" for which the
 * expression #SetlFilterTransform:where is true (false and null drop a row,
 * as in SQL). The expression is checked against the input's fields when the
 * factory reads, so a typo fails before a single row is read; the output is
 * a lazy stream that filters each input batch as the consumer pulls it
 * (bounded memory). Parameters of the expression (`$min_age`) come from
 * #SetlFilterTransform:parameters.
 */
#include "setl-filter-transform.h"
#include "setl-xf-util.h"

struct _SetlFilterTransform
{
  SetlFactory parent_instance;

  char *where;
  GStrv parameters;

  SetlBatchStream *input;   /* from read() */
  SetlExpr *expr;
  SetlExprScope *scope;
};

enum {
  PROP_0,
  PROP_WHERE,
  PROP_PARAMETERS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (SetlFilterTransform, setl_filter_transform, SETL_TYPE_FACTORY)

typedef struct
{
  SetlExpr *expr;
  SetlExprScope *scope;
} FilterData;

static void
filter_data_free (gpointer p)
{
  FilterData *d = p;

  g_object_unref (d->expr);
  g_object_unref (d->scope);
  g_free (d);
}

static SetlRecordBatch *
filter_batch (SetlRecordBatch  *batch,
              gpointer          user_data,
              GError          **error)
{
  FilterData *d = user_data;

  return setl_expr_filter_batch (d->expr, batch, d->scope, error);
}

static gboolean
setl_filter_transform_read (SetlFactory   *factory,
                            GCancellable  *cancellable,
                            GError       **error)
{
  SetlFilterTransform *self = SETL_FILTER_TRANSFORM (factory);
  g_autofree char *who = setl_xf_describe (factory, "filter");
  SetlBatchStream *input;
  SetlField **fields;
  guint n_fields;

  input = setl_xf_get_input_stream (factory, "in", "filter", error);
  if (input == NULL)
    return FALSE;
  if (self->where == NULL || *self->where == '\0')
    {
      g_set_error (error, SETL_EXPR_ERROR, SETL_EXPR_ERROR_SYNTAX,
                   "%s: the “where” property is not set", who);
      return FALSE;
    }

  fields = setl_batch_stream_get_fields (input, &n_fields);
  g_clear_object (&self->scope);
  g_clear_object (&self->expr);
  self->scope = setl_expr_scope_new_for_fields (fields, n_fields);
  if (!setl_xf_scope_add_parameters (self->scope, (const char *const *) self->parameters, error))
    {
      g_prefix_error (error, "%s: ", who);
      return FALSE;
    }
  self->expr = setl_expr_compile (self->where, self->scope, error);
  if (self->expr == NULL)
    {
      g_prefix_error (error, "%s: in “where”: ", who);
      return FALSE;
    }
  if (setl_expr_get_result_type (self->expr) != SETL_DATA_TYPE_BOOL)
    {
      g_set_error (error, SETL_EXPR_ERROR, SETL_EXPR_ERROR_TYPE,
                   "%s: “where” must be a condition (bool), but “%s” is %s", who,
                   self->where, setl_data_type_to_string (setl_expr_get_result_type (self->expr)));
      g_clear_object (&self->expr);
      return FALSE;
    }
  g_set_object (&self->input, input);
  return TRUE;
}

static gboolean
setl_filter_transform_get (SetlFactory  *factory,
                           GValue       *output,
                           GError      **error)
{
  SetlFilterTransform *self = SETL_FILTER_TRANSFORM (factory);
  g_autoptr(SetlMapStream) stream = NULL;
  FilterData *d;
  SetlField **fields;
  guint n_fields;

  if (self->expr == NULL || self->input == NULL)
    {
      g_autofree char *who = setl_xf_describe (factory, "filter");
      g_set_error (error, SETL_PIPELINE_ERROR, SETL_PIPELINE_ERROR_NO_OUTPUT,
                   "%s: asked for its output before it has read its input", who);
      return FALSE;
    }
  d = g_new0 (FilterData, 1);
  d->expr = g_object_ref (self->expr);
  d->scope = g_object_ref (self->scope);
  fields = setl_batch_stream_get_fields (self->input, &n_fields);
  stream = setl_map_stream_new (self->input, fields, n_fields, filter_batch, d, filter_data_free);
  g_value_set_object (output, stream);
  return TRUE;
}

static void
setl_filter_transform_finalize (GObject *object)
{
  SetlFilterTransform *self = SETL_FILTER_TRANSFORM (object);

  g_free (self->where);
  g_strfreev (self->parameters);
  g_clear_object (&self->input);
  g_clear_object (&self->expr);
  g_clear_object (&self->scope);
  G_OBJECT_CLASS (setl_filter_transform_parent_class)->finalize (object);
}

static void
setl_filter_transform_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  SetlFilterTransform *self = SETL_FILTER_TRANSFORM (object);

  switch (prop_id)
    {
    case PROP_WHERE:
      g_value_set_string (value, self->where);
      break;
    case PROP_PARAMETERS:
      g_value_set_boxed (value, self->parameters);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
setl_filter_transform_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  SetlFilterTransform *self = SETL_FILTER_TRANSFORM (object);

  switch (prop_id)
    {
    case PROP_WHERE:
      g_free (self->where);
      self->where = g_value_dup_string (value);
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
setl_filter_transform_class_init (SetlFilterTransformClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  SetlFactoryClass *factory_class = SETL_FACTORY_CLASS (klass);

  object_class->finalize = setl_filter_transform_finalize;
  object_class->get_property = setl_filter_transform_get_property;
  object_class->set_property = setl_filter_transform_set_property;
  factory_class->read = setl_filter_transform_read;
  factory_class->get = setl_filter_transform_get;
  setl_factory_class_set_output_type (factory_class, SETL_TYPE_BATCH_STREAM);

  properties[PROP_WHERE] =
    g_param_spec_string ("where", "Where",
                         "The condition a row must meet to be kept, in the expression "
                         "language (e.g. “age >= $min_age and city is not null”)",
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PARAMETERS] =
    g_param_spec_boxed ("parameters", "Parameters",
                        "Values of the $parameters the condition uses, as “name=value” "
                        "(type guessed: int64, double, bool, else string), "
                        "“name:type=value” or “name:type” (a null)",
                        G_TYPE_STRV,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
setl_filter_transform_init (SetlFilterTransform *self)
{
  setl_factory_add_input (SETL_FACTORY (self), "in", SETL_TYPE_BATCH_STREAM,
                          SETL_TYPE_EXTERNAL, NULL);
}
