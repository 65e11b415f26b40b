/* setl-factory.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/**
 * SetlFactory:
 *
 * One unit of ETL logic: it reads, processes, writes, and delivers one output.
 *
 * A factory declares its inputs as #SetlDelivery slots; the pipeline fills
 * them from the outputs of factories in earlier stages (or from external
 * inputs) before calling `read`. Its output is a #GValue of the type it
 * declares, usually a #GObject such as a table; other factories receive it by
 * reference, never copied.
 *
 * Configuration goes through GObject properties, so that pipeline files, the
 * command line and language bindings configure factories the same way.
 *
 * A minimal factory in C:
 *
 * |[<!-- language="C" -->
 * struct _MyCount { SetlFactory parent; gint64 n; };
 * G_DEFINE_FINAL_TYPE (MyCount, my_count, SETL_TYPE_FACTORY)
 *
 * static gboolean
 * my_count_process (SetlFactory *f, GCancellable *c, GError **error)
 * {
 *   const char *text = g_value_get_string (setl_factory_get_input (f, "text"));
 *   MY_COUNT (f)->n = strlen (text);
 *   return TRUE;
 * }
 *
 * static gboolean
 * my_count_get (SetlFactory *f, GValue *output, GError **error)
 * {
 *   g_value_set_int64 (output, MY_COUNT (f)->n);
 *   return TRUE;
 * }
 *
 * static void
 * my_count_class_init (MyCountClass *klass)
 * {
 *   SetlFactoryClass *factory_class = SETL_FACTORY_CLASS (klass);
 *   factory_class->process = my_count_process;
 *   factory_class->get = my_count_get;
 *   setl_factory_class_set_output_type (factory_class, G_TYPE_INT64);
 * }
 *
 * static void
 * my_count_init (MyCount *self)
 * {
 *   setl_factory_add_input (SETL_FACTORY (self), "text", G_TYPE_STRING,
 *                           SETL_TYPE_EXTERNAL, NULL);
 * }
 * ]|
 */
#include "setl-factory.h"
#include "setl-error.h"
#include "setl-private.h"

typedef struct
{
  char *name;
  char *delivery_id;
  gboolean writable;
  GArray *consumers;      /* of GType */
  GPtrArray *deliveries;  /* of SetlDelivery, in declaration order */
  gssize rows;            /* atomic: rows handled in this run, for progress */
} SetlFactoryPrivate;

enum {
  PROP_0,
  PROP_NAME,
  PROP_DELIVERY_ID,
  PROP_WRITABLE,
  PROP_OUTPUT_TYPE,
  PROP_CODE_VERSION,   /* kept by setl-cacheable.c */
  PROP_CACHE_MODE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (SetlFactory, setl_factory, G_TYPE_OBJECT)

static GQuark
output_type_quark (void)
{
  static GQuark q;

  if (G_UNLIKELY (q == 0))
    q = g_quark_from_static_string ("setl-factory-output-type");
  return q;
}

static void
setl_factory_finalize (GObject *object)
{
  SetlFactory *self = SETL_FACTORY (object);
  SetlFactoryPrivate *priv = setl_factory_get_instance_private (self);

  g_free (priv->name);
  g_free (priv->delivery_id);
  g_array_unref (priv->consumers);
  g_ptr_array_unref (priv->deliveries);

  G_OBJECT_CLASS (setl_factory_parent_class)->finalize (object);
}

static void
setl_factory_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  SetlFactory *self = SETL_FACTORY (object);

  switch (prop_id)
    {
    case PROP_NAME:
      g_value_set_string (value, setl_factory_get_name (self));
      break;
    case PROP_DELIVERY_ID:
      g_value_set_string (value, setl_factory_get_delivery_id (self));
      break;
    case PROP_WRITABLE:
      g_value_set_boolean (value, setl_factory_get_writable (self));
      break;
    case PROP_OUTPUT_TYPE:
      g_value_set_gtype (value, setl_factory_get_output_type (self));
      break;
    case PROP_CODE_VERSION:
      g_value_set_string (value, setl_factory_get_code_version (self));
      break;
    case PROP_CACHE_MODE:
      g_value_set_enum (value, setl_factory_get_cache_mode (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
setl_factory_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  SetlFactory *self = SETL_FACTORY (object);

  switch (prop_id)
    {
    case PROP_NAME:
      setl_factory_set_name (self, g_value_get_string (value));
      break;
    case PROP_DELIVERY_ID:
      setl_factory_set_delivery_id (self, g_value_get_string (value));
      break;
    case PROP_WRITABLE:
      setl_factory_set_writable (self, g_value_get_boolean (value));
      break;
    case PROP_CODE_VERSION:
      setl_factory_set_code_version (self, g_value_get_string (value));
      break;
    case PROP_CACHE_MODE:
      setl_factory_set_cache_mode (self, g_value_get_enum (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static gboolean
setl_factory_real_phase (SetlFactory   *self,
                         GCancellable  *cancellable,
                         GError       **error)
{
  return TRUE;
}

static gboolean
setl_factory_real_get (SetlFactory  *self,
                       GValue       *output,
                       GError      **error)
{
  g_set_error (error, SETL_PIPELINE_ERROR, SETL_PIPELINE_ERROR_NO_OUTPUT,
               "Factory “%s” (%s) does not implement get()",
               setl_factory_get_name (self), G_OBJECT_TYPE_NAME (self));
  return FALSE;
}

static GType
setl_factory_real_get_output_type (SetlFactory *self)
{
  GType type;

  for (type = G_OBJECT_TYPE (self); type != SETL_TYPE_FACTORY; type = g_type_parent (type))
    {
      gpointer data = g_type_get_qdata (type, output_type_quark ());

      if (data != NULL)
        return (GType) GPOINTER_TO_SIZE (data);
    }
  return G_TYPE_NONE;
}

static void
setl_factory_class_init (SetlFactoryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = setl_factory_finalize;
  object_class->get_property = setl_factory_get_property;
  object_class->set_property = setl_factory_set_property;

  klass->read = setl_factory_real_phase;
  klass->process = setl_factory_real_phase;
  klass->write = setl_factory_real_phase;
  klass->get = setl_factory_real_get;
  klass->get_output_type = setl_factory_real_get_output_type;

  /**
   * SetlFactory:name:
   *
   * The factory's name in its pipeline: job group ids, logs, reports and
   * errors use it. Defaults to the type name.
   */
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * SetlFactory:delivery-id:
   *
   * The delivery id of the factory's output; "" by default. Consumers whose
   * slot names another id do not receive it.
   */
  properties[PROP_DELIVERY_ID] =
    g_param_spec_string ("delivery-id", NULL, NULL, "",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * SetlFactory:writable:
   *
   * Whether the write phase runs (it also needs its stage to be writable).
   */
  properties[PROP_WRITABLE] =
    g_param_spec_boolean ("writable", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * SetlFactory:output-type:
   *
   * The #GType of the factory's output.
   */
  properties[PROP_OUTPUT_TYPE] =
    g_param_spec_gtype ("output-type", NULL, NULL, G_TYPE_NONE,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /**
   * SetlFactory:code-version:
   *
   * The version of the factory's logic, part of its cache key: bump it when
   * what the factory computes changes without its type, plugin version or
   * properties changing (a script it runs, a rule it applies). %NULL by
   * default. Since: 1.0
   */
  properties[PROP_CODE_VERSION] =
    g_param_spec_string ("code-version", "Code version",
                         "Version of the factory's logic, part of its cache key", NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * SetlFactory:cache-mode:
   *
   * How the factory uses its pipeline's cache policy (see #SetlCacheMode).
   * Since: 1.0
   */
  properties[PROP_CACHE_MODE] =
    g_param_spec_enum ("cache-mode", "Cache mode",
                       "How the factory uses the pipeline's cache: default, recompute, disable or ignore",
                       SETL_TYPE_CACHE_MODE, SETL_CACHE_MODE_DEFAULT,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
setl_factory_init (SetlFactory *self)
{
  SetlFactoryPrivate *priv = setl_factory_get_instance_private (self);

  priv->delivery_id = g_strdup ("");
  priv->writable = TRUE;
  priv->consumers = g_array_new (FALSE, FALSE, sizeof (GType));
  priv->deliveries = g_ptr_array_new_with_free_func (g_object_unref);
}

/**
 * setl_factory_class_set_output_type:
 * @klass: a #SetlFactoryClass
 * @output_type: the #GType of the output of every factory of this class
 *
 * Declares the output type of a factory class, typically in its
 * `class_init`. Subclasses inherit it unless they declare their own.
 */
void
setl_factory_class_set_output_type (SetlFactoryClass *klass,
                                    GType             output_type)
{
  g_return_if_fail (SETL_IS_FACTORY_CLASS (klass));

  g_type_set_qdata (G_TYPE_FROM_CLASS (klass), output_type_quark (),
                    GSIZE_TO_POINTER (output_type));
}

/**
 * setl_factory_get_name:
 * @self: a #SetlFactory
 *
 * Returns: the factory's name (its type name unless set)
 */
const char *
setl_factory_get_name (SetlFactory *self)
{
  SetlFactoryPrivate *priv = setl_factory_get_instance_private (self);

  g_return_val_if_fail (SETL_IS_FACTORY (self), NULL);
  return priv->name ? priv->name : G_OBJECT_TYPE_NAME (self);
}

/**
 * setl_factory_set_name:
 * @self: a #SetlFactory
 * @name: (nullable): the name, %NULL for the type name
 */
void
setl_factory_set_name (SetlFactory *self,
                       const char  *name)
{
  SetlFactoryPrivate *priv = setl_factory_get_instance_private (self);

  g_return_if_fail (SETL_IS_FACTORY (self));

  if (_setl_set_str (&priv->name, name))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NAME]);
}

/**
 * setl_factory_get_delivery_id:
 * @self: a #SetlFactory
 *
 * Returns: the delivery id of the factory's output
 */
const char *
setl_factory_get_delivery_id (SetlFactory *self)
{
  SetlFactoryPrivate *priv = setl_factory_get_instance_private (self);

  g_return_val_if_fail (SETL_IS_FACTORY (self), NULL);
  return priv->delivery_id;
}

/**
 * setl_factory_set_delivery_id:
 * @self: a #SetlFactory
 * @delivery_id: (nullable): the delivery id; %NULL for ""
 */
void
setl_factory_set_delivery_id (SetlFactory *self,
                              const char  *delivery_id)
{
  SetlFactoryPrivate *priv = setl_factory_get_instance_private (self);

  g_return_if_fail (SETL_IS_FACTORY (self));

  if (_setl_set_str (&priv->delivery_id, delivery_id ? delivery_id : ""))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DELIVERY_ID]);
}

/**
 * setl_factory_get_writable:
 * @self: a #SetlFactory
 *
 * Returns: whether the factory's write phase may run
 */
gboolean
setl_factory_get_writable (SetlFactory *self)
{
  SetlFactoryPrivate *priv = setl_factory_get_instance_private (self);

  g_return_val_if_fail (SETL_IS_FACTORY (self), FALSE);
  return priv->writable;
}

/**
 * setl_factory_set_writable:
 * @self: a #SetlFactory
 * @writable: whether the write phase may run
 */
void
setl_factory_set_writable (SetlFactory *self,
                           gboolean     writable)
{
  SetlFactoryPrivate *priv = setl_factory_get_instance_private (self);

  g_return_if_fail (SETL_IS_FACTORY (self));

  writable = !!writable;
  if (priv->writable == writable)
    return;
  priv->writable = writable;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WRITABLE]);
}

/**
 * setl_factory_get_output_type:
 * @self: a #SetlFactory
 *
 * Returns: the #GType of the factory's output, %G_TYPE_NONE if undeclared
 */
GType
setl_factory_get_output_type (SetlFactory *self)
{
  g_return_val_if_fail (SETL_IS_FACTORY (self), G_TYPE_INVALID);
  return SETL_FACTORY_GET_CLASS (self)->get_output_type (self);
}

/**
 * setl_factory_add_rows:
 * @self: a #SetlFactory
 * @n_rows: how many more rows the factory has handled
 *
 * Counts rows for progress displays: a sink adds the rows of each batch as
 * it writes it, so that `setl run` can show how far a run has got while
 * rows stream through. The pipeline resets the count when a run starts.
 * Safe to call from any thread.
 */
void
setl_factory_add_rows (SetlFactory *self,
                       gint64       n_rows)
{
  SetlFactoryPrivate *priv = setl_factory_get_instance_private (self);

  g_return_if_fail (SETL_IS_FACTORY (self));
  g_return_if_fail (n_rows >= 0);

  g_atomic_pointer_add (&priv->rows, (gssize) n_rows);
}

/**
 * setl_factory_get_rows:
 * @self: a #SetlFactory
 *
 * Returns: the rows the factory has reported with setl_factory_add_rows()
 *   since its current or last run started; safe to call from any thread
 */
gint64
setl_factory_get_rows (SetlFactory *self)
{
  SetlFactoryPrivate *priv = setl_factory_get_instance_private (self);

  g_return_val_if_fail (SETL_IS_FACTORY (self), 0);
  return (gint64) g_atomic_pointer_get (&priv->rows);
}

void
_setl_factory_reset_rows (SetlFactory *self)
{
  SetlFactoryPrivate *priv = setl_factory_get_instance_private (self);

  g_atomic_pointer_set (&priv->rows, 0);
}

/**
 * setl_factory_add_consumer:
 * @self: a #SetlFactory
 * @consumer: a factory type
 *
 * Reserves the factory's output for @consumer (and the others added). A
 * factory without consumers delivers to anyone.
 */
void
setl_factory_add_consumer (SetlFactory *self,
                           GType        consumer)
{
  SetlFactoryPrivate *priv = setl_factory_get_instance_private (self);

  g_return_if_fail (SETL_IS_FACTORY (self));
  g_return_if_fail (g_type_is_a (consumer, SETL_TYPE_FACTORY));

  for (guint i = 0; i < priv->consumers->len; i++)
    if (g_array_index (priv->consumers, GType, i) == consumer)
      return;
  g_array_append_val (priv->consumers, consumer);
}

/**
 * setl_factory_get_consumers:
 * @self: a #SetlFactory
 * @n_consumers: (out): the number of consumers
 *
 * Returns: (array length=n_consumers) (transfer none): the consumer types
 */
const GType *
setl_factory_get_consumers (SetlFactory *self,
                            guint       *n_consumers)
{
  SetlFactoryPrivate *priv = setl_factory_get_instance_private (self);

  g_return_val_if_fail (SETL_IS_FACTORY (self), NULL);
  g_return_val_if_fail (n_consumers != NULL, NULL);

  *n_consumers = priv->consumers->len;
  return (const GType *) priv->consumers->data;
}

/**
 * setl_factory_add_delivery:
 * @self: a #SetlFactory
 * @delivery: (transfer none): the input slot to declare
 *
 * Declares an input slot. Slot names must be unique within a factory, and a
 * slot belongs to one factory only.
 */
void
setl_factory_add_delivery (SetlFactory  *self,
                           SetlDelivery *delivery)
{
  SetlFactoryPrivate *priv = setl_factory_get_instance_private (self);

  g_return_if_fail (SETL_IS_FACTORY (self));
  g_return_if_fail (SETL_IS_DELIVERY (delivery));
  g_return_if_fail (setl_delivery_get_consumer (delivery) == G_TYPE_NONE);
  g_return_if_fail (setl_factory_get_delivery (self, setl_delivery_get_name (delivery)) == NULL);

  _setl_delivery_set_consumer (delivery, G_OBJECT_TYPE (self));
  g_ptr_array_add (priv->deliveries, g_object_ref (delivery));
}

/**
 * setl_factory_add_input:
 * @self: a #SetlFactory
 * @name: the slot's name
 * @payload_type: the payload type the slot accepts
 * @producer: the required producer type, or %SETL_TYPE_EXTERNAL for any
 * @delivery_id: (nullable): the delivery id, %NULL for ""
 *
 * Declares a required input slot; a shorthand for setl_delivery_new() and
 * setl_factory_add_delivery().
 *
 * Returns: (transfer none): the new slot, owned by @self
 */
SetlDelivery *
setl_factory_add_input (SetlFactory *self,
                        const char  *name,
                        GType        payload_type,
                        GType        producer,
                        const char  *delivery_id)
{
  g_autoptr(SetlDelivery) delivery = NULL;

  g_return_val_if_fail (SETL_IS_FACTORY (self), NULL);

  delivery = setl_delivery_new (name, payload_type, producer, delivery_id);
  g_return_val_if_fail (delivery != NULL, NULL);
  setl_factory_add_delivery (self, delivery);
  return delivery;
}

/**
 * setl_factory_get_deliveries:
 * @self: a #SetlFactory
 *
 * Returns: (transfer none) (element-type SetlDelivery): the declared input
 *   slots, in declaration order
 */
GPtrArray *
setl_factory_get_deliveries (SetlFactory *self)
{
  SetlFactoryPrivate *priv = setl_factory_get_instance_private (self);

  g_return_val_if_fail (SETL_IS_FACTORY (self), NULL);
  return priv->deliveries;
}

/**
 * setl_factory_get_delivery:
 * @self: a #SetlFactory
 * @name: a slot name
 *
 * Returns: (transfer none) (nullable): the slot called @name, or %NULL
 */
SetlDelivery *
setl_factory_get_delivery (SetlFactory *self,
                           const char  *name)
{
  SetlFactoryPrivate *priv = setl_factory_get_instance_private (self);

  g_return_val_if_fail (SETL_IS_FACTORY (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  for (guint i = 0; i < priv->deliveries->len; i++)
    {
      SetlDelivery *d = g_ptr_array_index (priv->deliveries, i);

      if (g_str_equal (setl_delivery_get_name (d), name))
        return d;
    }
  return NULL;
}

/**
 * setl_factory_get_input:
 * @self: a #SetlFactory
 * @name: a slot name
 *
 * The payload the dispatcher put in slot @name.
 *
 * Returns: (transfer none) (nullable): the payload, or %NULL if the slot is
 *   empty or does not exist
 */
const GValue *
setl_factory_get_input (SetlFactory *self,
                        const char  *name)
{
  SetlDelivery *d = setl_factory_get_delivery (self, name);

  return d ? setl_delivery_get_value (d) : NULL;
}

/**
 * setl_factory_get_input_object:
 * @self: a #SetlFactory
 * @name: a slot name
 *
 * Like setl_factory_get_input() for slots whose payload is an object.
 *
 * Returns: (transfer none) (nullable) (type GObject): the object in slot
 *   @name, or %NULL
 */
gpointer
setl_factory_get_input_object (SetlFactory *self,
                               const char  *name)
{
  const GValue *v = setl_factory_get_input (self, name);

  return (v && G_VALUE_HOLDS_OBJECT (v)) ? g_value_get_object (v) : NULL;
}

/* A vfunc that fails without saying why is a plugin bug; the user still
 * deserves an error that names the factory rather than a NULL dereference. */
static gboolean
check_phase_result (SetlFactory *self,
                    const char  *phase,
                    gboolean     ok,
                    GError     **error,
                    GError      *local)
{
  if (ok)
    {
      if (local != NULL)
        {
          g_warning ("Factory “%s” returned TRUE from %s() but set an error: %s",
                     setl_factory_get_name (self), phase, local->message);
          g_error_free (local);
        }
      return TRUE;
    }
  if (local == NULL)
    local = g_error_new (SETL_PIPELINE_ERROR, SETL_PIPELINE_ERROR_NO_OUTPUT,
                         "Factory “%s” (%s) failed in %s() without saying why",
                         setl_factory_get_name (self), G_OBJECT_TYPE_NAME (self), phase);
  g_propagate_error (error, local);
  return FALSE;
}

static gboolean
run_phase (SetlFactory   *self,
           const char    *phase,
           gboolean     (*vfunc) (SetlFactory *, GCancellable *, GError **),
           GCancellable  *cancellable,
           GError       **error)
{
  GError *local = NULL;
  gboolean ok = vfunc (self, cancellable, &local);

  return check_phase_result (self, phase, ok, error, local);
}

/* Filters: (slot or NULL, function) pairs kept on the instance, run in the
 * order added (setl_factory_add_filter()). */
typedef struct {
  char *slot;                 /* NULL: the output; "*": every input */
  char *cache_key;            /* what it does to the data; NULL: unknown */
  SetlFactoryFilterFunc func;
  gpointer user_data;
  GDestroyNotify destroy;
} FactoryFilter;

static void
factory_filter_free (gpointer data)
{
  FactoryFilter *f = data;

  if (f->destroy)
    f->destroy (f->user_data);
  g_free (f->slot);
  g_free (f->cache_key);
  g_free (f);
}

static GQuark
filters_quark (void)
{
  return g_quark_from_static_string ("setl-factory-filters");
}

/**
 * setl_factory_add_filter:
 * @self: a #SetlFactory
 * @slot: (nullable): an input slot's name, `*` for every input slot, or
 *   %NULL for the output
 * @func: (scope notified): the filter
 * @user_data: (closure): data for @func
 * @destroy: (destroy user_data) (nullable): frees @user_data
 *
 * Adds a filter that sees, and may replace, the value of an input slot
 * before the factory's `read` phase, or the factory's output once `get`
 * has returned it. Validation hooks use filters to wrap streams with
 * validating ones (see setl_validation_hook_add()). Add filters before
 * the factory runs.
 *
 * A cache cannot know what such a filter does to the data, so the
 * factory's output is not cached while it has one: use
 * setl_factory_add_filter_full() to say what it does.
 */
void
setl_factory_add_filter (SetlFactory          *self,
                         const char           *slot,
                         SetlFactoryFilterFunc func,
                         gpointer              user_data,
                         GDestroyNotify        destroy)
{
  setl_factory_add_filter_full (self, slot, NULL, func, user_data, destroy);
}

/**
 * setl_factory_add_filter_full:
 * @self: a #SetlFactory
 * @slot: (nullable): an input slot's name, `*` for every input slot, or
 *   %NULL for the output
 * @cache_key: (nullable): canonical text of everything about the filter
 *   that can change the data it passes on or whether the factory fails
 *   (a validation hook: its schema's digest, depth and action), or %NULL
 *   when that cannot be said
 * @func: (scope notified): the filter
 * @user_data: (closure): data for @func
 * @destroy: (destroy user_data) (nullable): frees @user_data
 *
 * As setl_factory_add_filter(), saying what the filter does for cache
 * keys: @cache_key is an ingredient of the factory's key (`filter:N:SLOT`,
 * `filter:N:output`), so changing the filter re-runs the factory rather
 * than serving a result it would not have produced. With %NULL, the
 * factory's output is not cached (the run report says why).
 */
void
setl_factory_add_filter_full (SetlFactory          *self,
                              const char           *slot,
                              const char           *cache_key,
                              SetlFactoryFilterFunc func,
                              gpointer              user_data,
                              GDestroyNotify        destroy)
{
  GPtrArray *filters;
  FactoryFilter *f;

  g_return_if_fail (SETL_IS_FACTORY (self));
  g_return_if_fail (func != NULL);

  filters = g_object_get_qdata (G_OBJECT (self), filters_quark ());
  if (filters == NULL)
    {
      filters = g_ptr_array_new_with_free_func (factory_filter_free);
      g_object_set_qdata_full (G_OBJECT (self), filters_quark (), filters,
                               (GDestroyNotify) g_ptr_array_unref);
    }
  f = g_new0 (FactoryFilter, 1);
  f->slot = g_strdup (slot);
  f->cache_key = g_strdup (cache_key);
  f->func = func;
  f->user_data = user_data;
  f->destroy = destroy;
  g_ptr_array_add (filters, f);
}

/* For cache keys: the number of filters, and each one's slot (NULL: the
 * output) and key text (NULL: unknown), in the order they run. */
guint
_setl_factory_get_n_filters (SetlFactory *self)
{
  GPtrArray *filters = g_object_get_qdata (G_OBJECT (self), filters_quark ());

  return filters ? filters->len : 0;
}

const char *
_setl_factory_get_filter_key (SetlFactory  *self,
                              guint         i,
                              const char  **slot)
{
  GPtrArray *filters = g_object_get_qdata (G_OBJECT (self), filters_quark ());
  FactoryFilter *f;

  g_return_val_if_fail (filters != NULL && i < filters->len, NULL);
  f = g_ptr_array_index (filters, i);
  *slot = f->slot;
  return f->cache_key;
}

static gboolean
apply_filters (SetlFactory  *self,
               const char   *slot,
               GValue       *value,
               GError      **error)
{
  GPtrArray *filters = g_object_get_qdata (G_OBJECT (self), filters_quark ());

  for (guint i = 0; filters != NULL && i < filters->len; i++)
    {
      FactoryFilter *f = g_ptr_array_index (filters, i);

      if (slot == NULL ? f->slot != NULL
                       : f->slot == NULL || (strcmp (f->slot, "*") != 0 && strcmp (f->slot, slot) != 0))
        continue;
      if (!f->func (self, slot, value, f->user_data, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
apply_input_filters (SetlFactory  *self,
                     GError      **error)
{
  GPtrArray *deliveries;

  if (g_object_get_qdata (G_OBJECT (self), filters_quark ()) == NULL)
    return TRUE;
  deliveries = setl_factory_get_deliveries (self);
  for (guint i = 0; deliveries != NULL && i < deliveries->len; i++)
    {
      SetlDelivery *d = g_ptr_array_index (deliveries, i);
      g_auto(GValue) value = G_VALUE_INIT;

      if (!setl_delivery_has_value (d))
        continue;
      g_value_init (&value, G_VALUE_TYPE (setl_delivery_get_value (d)));
      g_value_copy (setl_delivery_get_value (d), &value);
      if (!apply_filters (self, setl_delivery_get_name (d), &value, error))
        return FALSE;
      setl_delivery_set_value (d, &value);
    }
  return TRUE;
}

/**
 * setl_factory_read:
 * @self: a #SetlFactory
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Runs the read phase.
 *
 * Returns: %TRUE on success
 */
gboolean
setl_factory_read (SetlFactory   *self,
                   GCancellable  *cancellable,
                   GError       **error)
{
  g_return_val_if_fail (SETL_IS_FACTORY (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* Input filters (validation hooks) see the inputs before the factory. */
  if (!apply_input_filters (self, error))
    return FALSE;
  return run_phase (self, "read", SETL_FACTORY_GET_CLASS (self)->read, cancellable, error);
}

/**
 * setl_factory_process:
 * @self: a #SetlFactory
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Runs the process phase.
 *
 * Returns: %TRUE on success
 */
gboolean
setl_factory_process (SetlFactory   *self,
                      GCancellable  *cancellable,
                      GError       **error)
{
  g_return_val_if_fail (SETL_IS_FACTORY (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return run_phase (self, "process", SETL_FACTORY_GET_CLASS (self)->process, cancellable, error);
}

/**
 * setl_factory_write:
 * @self: a #SetlFactory
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Runs the write phase, whatever the writable flags say: deciding whether to
 * write is the stage's job.
 *
 * Returns: %TRUE on success
 */
gboolean
setl_factory_write (SetlFactory   *self,
                    GCancellable  *cancellable,
                    GError       **error)
{
  g_return_val_if_fail (SETL_IS_FACTORY (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return run_phase (self, "write", SETL_FACTORY_GET_CLASS (self)->write, cancellable, error);
}

/* Bindings hand back their language's numbers: PyGObject turns a Python int
 * into a gint even where the factory declares gint64. Widening that cannot
 * lose anything is accepted; anything else stays an error. */
static gboolean
widens_losslessly (GType from,
                   GType to)
{
  switch (to)
    {
    case G_TYPE_INT64:
      return from == G_TYPE_INT || from == G_TYPE_UINT || from == G_TYPE_LONG;
    case G_TYPE_UINT64:
      return from == G_TYPE_UINT || from == G_TYPE_ULONG;
    case G_TYPE_DOUBLE:
      return from == G_TYPE_INT || from == G_TYPE_UINT || from == G_TYPE_FLOAT;
    default:
      return FALSE;
    }
}

static gboolean
payload_is_null (const GValue *value)
{
  return g_value_fits_pointer (value) && g_value_peek_pointer (value) == NULL;
}

/**
 * setl_factory_get:
 * @self: a #SetlFactory
 * @output: (out caller-allocates): an uninitialised #GValue that receives
 *   the output
 * @error: return location for a #GError
 *
 * Fetches the factory's output and checks it: a missing or %NULL payload
 * fails with %SETL_PIPELINE_ERROR_NO_OUTPUT, a payload of another type than
 * the declared output type with %SETL_PIPELINE_ERROR_INVALID_PAYLOAD — except
 * that a number is widened when that loses nothing (a #gint where #gint64 is
 * declared, as language bindings produce). On failure @output is left unset.
 *
 * Returns: %TRUE on success
 */
gboolean
setl_factory_get (SetlFactory  *self,
                  GValue       *output,
                  GError      **error)
{
  GType type;
  GError *local = NULL;
  gboolean ok;

  g_return_val_if_fail (SETL_IS_FACTORY (self), FALSE);
  g_return_val_if_fail (output != NULL && !G_IS_VALUE (output), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  type = setl_factory_get_output_type (self);
  if (type == G_TYPE_NONE || type == G_TYPE_INVALID || !G_TYPE_IS_VALUE_TYPE (type))
    {
      g_set_error (error, SETL_PIPELINE_ERROR, SETL_PIPELINE_ERROR_INVALID_PAYLOAD,
                   "Factory “%s” (%s) declares no usable output type",
                   setl_factory_get_name (self), G_OBJECT_TYPE_NAME (self));
      return FALSE;
    }

  g_value_init (output, type);
  ok = SETL_FACTORY_GET_CLASS (self)->get (self, output, &local);
  if (!check_phase_result (self, "get", ok, error, local))
    goto fail;

  if (!G_IS_VALUE (output))
    {
      g_set_error (error, SETL_PIPELINE_ERROR, SETL_PIPELINE_ERROR_NO_OUTPUT,
                   "Factory “%s” (%s) returned no output",
                   setl_factory_get_name (self), G_OBJECT_TYPE_NAME (self));
      return FALSE;
    }
  if (G_VALUE_TYPE (output) != type && widens_losslessly (G_VALUE_TYPE (output), type))
    {
      GValue widened = G_VALUE_INIT;

      g_value_init (&widened, type);
      g_value_transform (output, &widened);
      g_value_unset (output);
      *output = widened;
    }
  if (G_VALUE_TYPE (output) != type)
    {
      g_set_error (error, SETL_PIPELINE_ERROR, SETL_PIPELINE_ERROR_INVALID_PAYLOAD,
                   "Factory “%s” (%s) returned a payload of type %s, but declares %s",
                   setl_factory_get_name (self), G_OBJECT_TYPE_NAME (self),
                   G_VALUE_TYPE_NAME (output), g_type_name (type));
      goto fail;
    }
  if (payload_is_null (output))
    {
      g_set_error (error, SETL_PIPELINE_ERROR, SETL_PIPELINE_ERROR_NO_OUTPUT,
                   "Factory “%s” (%s) returned a NULL payload of type %s",
                   setl_factory_get_name (self), G_OBJECT_TYPE_NAME (self),
                   g_type_name (type));
      goto fail;
    }
  if (G_VALUE_HOLDS_OBJECT (output) &&
      !g_type_is_a (G_OBJECT_TYPE (g_value_get_object (output)), type))
    {
      g_set_error (error, SETL_PIPELINE_ERROR, SETL_PIPELINE_ERROR_INVALID_PAYLOAD,
                   "Factory “%s” (%s) returned a %s, but declares %s",
                   setl_factory_get_name (self), G_OBJECT_TYPE_NAME (self),
                   G_OBJECT_TYPE_NAME (g_value_get_object (output)), g_type_name (type));
      goto fail;
    }
  /* Output filters (validation hooks) see the checked output. */
  if (!apply_filters (self, NULL, output, error))
    goto fail;
  return TRUE;

fail:
  if (G_IS_VALUE (output))
    g_value_unset (output);
  return FALSE;
}
