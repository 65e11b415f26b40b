/* workflow-test-factories.h: small factory and payload types for the
 * workflow tests.
 *
 * PySetl's tests declare many tiny factory classes, because the dispatcher
 * and the inspector match producers by class. The macros below do the same
 * with GTypes: every WT_DEFINE_FACTORY() is a distinct factory type, every
 * WT_DEFINE_PAYLOAD() a distinct payload type, each a few lines.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <setl/setl.h>

G_BEGIN_DECLS

/* ----------------------------------------------------------------------- */
/* Payloads                                                                 */

/* A small record, the stand-in for PySetl's dataclasses (Product, Citizen,
 * Container[Product]…): two strings, a number and an object it contains. */
typedef struct
{
  GObject parent_instance;

  char *x;
  char *y;
  gint64 n;
  GObject *content;
} WtPayload;

typedef struct
{
  GObjectClass parent_class;
} WtPayloadClass;

GType wt_payload_get_type (void);
#define WT_TYPE_PAYLOAD (wt_payload_get_type ())
#define WT_PAYLOAD(o)   (G_TYPE_CHECK_INSTANCE_CAST ((o), WT_TYPE_PAYLOAD, WtPayload))
G_DEFINE_AUTOPTR_CLEANUP_FUNC (WtPayload, g_object_unref)

/* Returns a new payload of @type (WT_TYPE_PAYLOAD or a subtype). */
gpointer wt_payload_new (GType       type,
                         const char *x,
                         const char *y,
                         GObject    *content);

/* A distinct payload type; PySetl's generics (Container[Product] and
 * Container2[Product]) become one type each. */
#define WT_DEFINE_PAYLOAD(TypeName, type_name)                                \
  typedef WtPayload TypeName;                                                 \
  typedef WtPayloadClass TypeName##Class;                                     \
  GType type_name##_get_type (void);                                          \
  G_DEFINE_TYPE (TypeName, type_name, WT_TYPE_PAYLOAD)                        \
  static void type_name##_class_init (TypeName##Class *klass) {}              \
  static void type_name##_init (TypeName *self) {}

/* ----------------------------------------------------------------------- */
/* Factories                                                                */

typedef struct _WtFactory WtFactory;

/* Computes a factory's output from its inputs, in its process phase.
 * @output is initialised to the factory's output type. */
typedef gboolean (*WtComputeFunc) (WtFactory  *self,
                                   GValue     *output,
                                   GError    **error);

/* A factory whose behaviour the tests set: what get() returns (a fixed
 * value, or what the compute function made), which phase fails, and
 * counters that show which phases ran. */
struct _WtFactory
{
  SetlFactory parent_instance;

  GType output_type;        /* G_TYPE_INVALID: the class's */
  GValue output;            /* what get() returns; unset: nothing */
  WtComputeFunc compute;    /* NULL: the class's */
  int fail_phase;           /* a SetlFactoryPhase to fail in, or -1 */
  gulong write_sleep_us;    /* makes the write phase measurably slow */
  char *write_path;         /* write() creates this file */
  guint n_read;
  guint n_process;
  guint n_write;
  guint n_get;
};

typedef struct
{
  SetlFactoryClass parent_class;

  WtComputeFunc compute;
} WtFactoryClass;

GType wt_factory_get_type (void);
#define WT_TYPE_FACTORY       (wt_factory_get_type ())
#define WT_FACTORY(o)         (G_TYPE_CHECK_INSTANCE_CAST ((o), WT_TYPE_FACTORY, WtFactory))
#define WT_FACTORY_CLASS(k)   (G_TYPE_CHECK_CLASS_CAST ((k), WT_TYPE_FACTORY, WtFactoryClass))
G_DEFINE_AUTOPTR_CLEANUP_FUNC (WtFactory, g_object_unref)

/* A distinct factory type producing OUTPUT_TYPE (G_TYPE_NONE: declares
 * none), whose process phase calls COMPUTE (may be NULL). The variadic part
 * is the body of the instance init, where `factory` is the new SetlFactory:
 * declare the input slots there, as PySetl declares Delivery attributes. */
#define WT_DEFINE_FACTORY_FULL(TypeName, type_name, OUTPUT_TYPE, COMPUTE, ...)\
  typedef WtFactory TypeName;                                                 \
  typedef WtFactoryClass TypeName##Class;                                     \
  GType type_name##_get_type (void);                                          \
  G_DEFINE_AUTOPTR_CLEANUP_FUNC (TypeName, g_object_unref)                    \
  G_DEFINE_TYPE (TypeName, type_name, WT_TYPE_FACTORY)                        \
  static void                                                                 \
  type_name##_class_init (TypeName##Class *klass)                             \
  {                                                                           \
    GType output_type_ = (OUTPUT_TYPE);                                       \
    if (output_type_ != G_TYPE_NONE)                                          \
      setl_factory_class_set_output_type (SETL_FACTORY_CLASS (klass),         \
                                          output_type_);                      \
    klass->compute = (COMPUTE);                                               \
  }                                                                           \
  static void                                                                 \
  type_name##_init (TypeName *self)                                           \
  {                                                                           \
    G_GNUC_UNUSED SetlFactory *factory = SETL_FACTORY (self);                 \
    __VA_ARGS__                                                               \
  }

#define WT_DEFINE_FACTORY(TypeName, type_name, OUTPUT_TYPE, ...)              \
  WT_DEFINE_FACTORY_FULL (TypeName, type_name, OUTPUT_TYPE, NULL, __VA_ARGS__)

void      wt_factory_set_output_type   (WtFactory    *self,
                                        GType         output_type);
void      wt_factory_set_output        (WtFactory    *self,
                                        const GValue *value);
void      wt_factory_set_output_string (WtFactory    *self,
                                        const char   *value);
void      wt_factory_set_output_int64  (WtFactory    *self,
                                        gint64        value);
void      wt_factory_set_output_object (WtFactory    *self,
                                        gpointer      object);

/* What PySetl's `factory.read().process().write().get()` does, outside any
 * stage: runs the phases and returns the output in @output (unset before). */
gboolean  wt_factory_run_phases        (SetlFactory  *factory,
                                        GValue       *output,
                                        GError      **error);

/* ----------------------------------------------------------------------- */
/* Deliverables and values                                                  */

SetlDeliverable *wt_deliverable_string (const char         *value,
                                        GType               producer,
                                        const char         *delivery_id);
SetlDeliverable *wt_deliverable_int64  (gint64              value,
                                        GType               producer,
                                        const char         *delivery_id);
SetlDeliverable *wt_deliverable_object (gpointer            object,
                                        GType               producer,
                                        const char         *delivery_id);
SetlDeliverable *wt_deliverable_strv   (const char * const *value,
                                        GType               producer,
                                        const char         *delivery_id);

/* Joins a G_TYPE_STRV value with "," ("a,b"), for comparisons. */
char            *wt_strv_join          (const GValue       *value);

/* The node of @factory in @pipeline's last inspection, asserting it exists. */
SetlNode        *wt_pipeline_node      (SetlPipeline       *pipeline,
                                        SetlFactory        *factory);

/* How many flows of @pipeline's last inspection go from a node of
 * @from_type (SETL_TYPE_EXTERNAL for external inputs) to @to. */
guint            wt_count_flows        (SetlPipeline       *pipeline,
                                        GType               from_type,
                                        SetlFactory        *to);

G_END_DECLS
