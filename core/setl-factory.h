/* setl-factory.h: one unit of ETL logic.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(SETL_INSIDE) && !defined(SETL_COMPILATION)
#error "Only <setl/setl.h> can be included directly."
#endif

#include <gio/gio.h>

#include "setl-delivery.h"

G_BEGIN_DECLS

#define SETL_TYPE_FACTORY (setl_factory_get_type ())
G_DECLARE_DERIVABLE_TYPE (SetlFactory, setl_factory, SETL, FACTORY, GObject)

/**
 * SetlFactoryClass:
 * @parent_class: the parent class
 * @read: reads what the factory needs (its inputs are already in its
 *   deliveries); the default does nothing
 * @process: transforms; the default does nothing
 * @write: writes results out; runs only when both the factory and its stage
 *   are writable; the default does nothing
 * @get: stores the factory's output in @output, which the caller has
 *   initialised to the factory's output type. Returns %FALSE and sets @error
 *   on failure. The default fails with %SETL_PIPELINE_ERROR_NO_OUTPUT.
 * @get_output_type: returns the #GType of the factory's output; the default
 *   returns the type given to setl_factory_class_set_output_type()
 *
 * The virtual methods of #SetlFactory. @read, @process and @write take the
 * factory's #GCancellable and return %FALSE with @error set on failure.
 */
struct _SetlFactoryClass
{
  GObjectClass parent_class;

  gboolean (*read)            (SetlFactory   *self,
                               GCancellable  *cancellable,
                               GError       **error);
  gboolean (*process)         (SetlFactory   *self,
                               GCancellable  *cancellable,
                               GError       **error);
  gboolean (*write)           (SetlFactory   *self,
                               GCancellable  *cancellable,
                               GError       **error);
  gboolean (*get)             (SetlFactory   *self,
                               GValue        *output,
                               GError       **error);
  GType    (*get_output_type) (SetlFactory   *self);

  /*< private >*/
  gpointer padding[12];
};

void          setl_factory_class_set_output_type (SetlFactoryClass *klass,
                                                  GType             output_type);

/**
 * SetlFactoryFilterFunc:
 * @factory: the factory
 * @slot: (nullable): the input slot whose value is filtered, or %NULL for
 *   the factory's output
 * @value: the value, which the filter may replace (same type)
 * @user_data: the data given to setl_factory_add_filter()
 * @error: return location for a #GError
 *
 * Sees, and may replace, a value on its way into or out of a factory (a
 * validation hook wraps a stream with a validating one).
 *
 * Returns: %FALSE with @error set to make the factory fail
 */
typedef gboolean (*SetlFactoryFilterFunc) (SetlFactory  *factory,
                                           const char   *slot,
                                           GValue       *value,
                                           gpointer      user_data,
                                           GError      **error);

void          setl_factory_add_filter         (SetlFactory          *self,
                                               const char           *slot,
                                               SetlFactoryFilterFunc func,
                                               gpointer              user_data,
                                               GDestroyNotify        destroy);
void          setl_factory_add_filter_full    (SetlFactory          *self,
                                               const char           *slot,
                                               const char           *cache_key,
                                               SetlFactoryFilterFunc func,
                                               gpointer              user_data,
                                               GDestroyNotify        destroy);

const char   *setl_factory_get_name           (SetlFactory   *self);
void          setl_factory_set_name           (SetlFactory   *self,
                                               const char    *name);
const char   *setl_factory_get_delivery_id    (SetlFactory   *self);
void          setl_factory_set_delivery_id    (SetlFactory   *self,
                                               const char    *delivery_id);
gboolean      setl_factory_get_writable       (SetlFactory   *self);
void          setl_factory_set_writable       (SetlFactory   *self,
                                               gboolean       writable);
GType         setl_factory_get_output_type    (SetlFactory   *self);

void          setl_factory_add_rows           (SetlFactory   *self,
                                               gint64         n_rows);
gint64        setl_factory_get_rows           (SetlFactory   *self);

void          setl_factory_add_consumer       (SetlFactory   *self,
                                               GType          consumer);
const GType  *setl_factory_get_consumers      (SetlFactory   *self,
                                               guint         *n_consumers);

void          setl_factory_add_delivery       (SetlFactory   *self,
                                               SetlDelivery  *delivery);
SetlDelivery *setl_factory_add_input          (SetlFactory   *self,
                                               const char    *name,
                                               GType          payload_type,
                                               GType          producer,
                                               const char    *delivery_id);
GPtrArray    *setl_factory_get_deliveries     (SetlFactory   *self);
SetlDelivery *setl_factory_get_delivery       (SetlFactory   *self,
                                               const char    *name);
const GValue *setl_factory_get_input          (SetlFactory   *self,
                                               const char    *name);
gpointer      setl_factory_get_input_object   (SetlFactory   *self,
                                               const char    *name);

gboolean      setl_factory_read               (SetlFactory   *self,
                                               GCancellable  *cancellable,
                                               GError       **error);
gboolean      setl_factory_process            (SetlFactory   *self,
                                               GCancellable  *cancellable,
                                               GError       **error);
gboolean      setl_factory_write              (SetlFactory   *self,
                                               GCancellable  *cancellable,
                                               GError       **error);
gboolean      setl_factory_get                (SetlFactory   *self,
                                               GValue        *output,
                                               GError       **error);

G_END_DECLS
