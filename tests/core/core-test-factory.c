/* core-test-factory.c */
#include "core-test-factory.h"

struct _CoreTestFactory
{
  SetlFactory parent_instance;

  gint64 value;
  int fail_phase;          /* -1: none; else a SetlFactoryPhase */
  guint work_ms;
  CoreOutputMode output_mode;
  CoreRendezvous *rendezvous;

  guint phases_run;        /* bit per SetlFactoryPhase */
  char *group_in[SETL_FACTORY_N_PHASES];
  GThread *thread;
  gint64 result;
};

G_DEFINE_FINAL_TYPE (CoreTestFactory, core_test_factory, SETL_TYPE_FACTORY)

static void
note_phase (CoreTestFactory  *self,
            SetlFactoryPhase  phase)
{
  SetlJobGroup *g = setl_job_group_get_current ();

  self->phases_run |= 1u << phase;
  g_free (self->group_in[phase]);
  self->group_in[phase] = g_strdup (g ? setl_job_group_get_id (g) : NULL);
  self->thread = g_thread_self ();
}

static gboolean
maybe_fail (CoreTestFactory  *self,
            SetlFactoryPhase  phase,
            GError          **error)
{
  if (self->fail_phase != (int) phase)
    return TRUE;
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "deliberate failure in %s",
               setl_factory_phase_to_string (phase));
  return FALSE;
}

static gboolean
core_test_factory_read (SetlFactory   *factory,
                        GCancellable  *cancellable,
                        GError       **error)
{
  CoreTestFactory *self = CORE_TEST_FACTORY (factory);

  note_phase (self, SETL_FACTORY_PHASE_READ);
  return maybe_fail (self, SETL_FACTORY_PHASE_READ, error);
}

static gboolean
core_test_factory_process (SetlFactory   *factory,
                           GCancellable  *cancellable,
                           GError       **error)
{
  CoreTestFactory *self = CORE_TEST_FACTORY (factory);
  GPtrArray *slots = setl_factory_get_deliveries (factory);
  gint64 deadline = g_get_monotonic_time () + self->work_ms * G_TIME_SPAN_MILLISECOND;

  note_phase (self, SETL_FACTORY_PHASE_PROCESS);
  setl_log ("CoreTest", G_LOG_LEVEL_INFO, "processing %s", setl_factory_get_name (factory));
  setl_factory_add_rows (factory, 10);

  if (self->rendezvous)
    {
      CoreRendezvous *r = self->rendezvous;
      gint64 until = g_get_monotonic_time () + 5 * G_TIME_SPAN_SECOND;
      gboolean all = TRUE;

      g_mutex_lock (&r->lock);
      r->arrived++;
      g_cond_broadcast (&r->cond);
      while (r->arrived < r->expected && all)
        all = g_cond_wait_until (&r->cond, &r->lock, until);
      g_mutex_unlock (&r->lock);
      if (!all)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                       "the other factories of the stage never ran alongside");
          return FALSE;
        }
    }

  /* Cooperative work: a factory that honours its cancellable. */
  while (g_get_monotonic_time () < deadline)
    {
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      g_usleep (500);
    }
  if (!maybe_fail (self, SETL_FACTORY_PHASE_PROCESS, error))
    return FALSE;

  self->result = self->value;
  for (guint i = 0; i < slots->len; i++)
    {
      SetlDelivery *d = g_ptr_array_index (slots, i);

      if (setl_delivery_has_value (d))
        self->result += g_value_get_int64 (setl_delivery_get_value (d));
    }
  return TRUE;
}

static gboolean
core_test_factory_write (SetlFactory   *factory,
                         GCancellable  *cancellable,
                         GError       **error)
{
  CoreTestFactory *self = CORE_TEST_FACTORY (factory);

  note_phase (self, SETL_FACTORY_PHASE_WRITE);
  return maybe_fail (self, SETL_FACTORY_PHASE_WRITE, error);
}

static gboolean
core_test_factory_get (SetlFactory  *factory,
                       GValue       *output,
                       GError      **error)
{
  CoreTestFactory *self = CORE_TEST_FACTORY (factory);

  note_phase (self, SETL_FACTORY_PHASE_GET);
  if (!maybe_fail (self, SETL_FACTORY_PHASE_GET, error))
    return FALSE;
  switch (self->output_mode)
    {
    case CORE_OUTPUT_OK:
      g_value_set_int64 (output, self->result);
      return TRUE;
    case CORE_OUTPUT_WRONG_TYPE:
      g_value_unset (output);
      g_value_init (output, G_TYPE_STRING);
      g_value_set_string (output, "not an int");
      return TRUE;
    case CORE_OUTPUT_UNSET:
      g_value_unset (output);
      return TRUE;
    case CORE_OUTPUT_GINT:
      g_value_unset (output);
      g_value_init (output, G_TYPE_INT);
      g_value_set_int (output, (int) self->result);
      return TRUE;
    case CORE_OUTPUT_FAIL_SILENTLY:
    default:
      return FALSE;
    }
}

static void
core_test_factory_finalize (GObject *object)
{
  CoreTestFactory *self = CORE_TEST_FACTORY (object);

  for (guint i = 0; i < SETL_FACTORY_N_PHASES; i++)
    g_free (self->group_in[i]);
  G_OBJECT_CLASS (core_test_factory_parent_class)->finalize (object);
}

static void
core_test_factory_class_init (CoreTestFactoryClass *klass)
{
  SetlFactoryClass *factory_class = SETL_FACTORY_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = core_test_factory_finalize;
  factory_class->read = core_test_factory_read;
  factory_class->process = core_test_factory_process;
  factory_class->write = core_test_factory_write;
  factory_class->get = core_test_factory_get;
  setl_factory_class_set_output_type (factory_class, G_TYPE_INT64);
}

static void
core_test_factory_init (CoreTestFactory *self)
{
  self->fail_phase = -1;
}

CoreTestFactory *
core_test_factory_new (const char *name,
                       const char *delivery_id,
                       gint64      value)
{
  CoreTestFactory *self = g_object_new (CORE_TYPE_TEST_FACTORY,
                                        "name", name, "delivery-id", delivery_id, NULL);

  self->value = value;
  return self;
}

SetlDelivery *
core_test_factory_add_int_input (CoreTestFactory *self,
                                 const char      *slot,
                                 const char      *delivery_id)
{
  return setl_factory_add_input (SETL_FACTORY (self), slot, G_TYPE_INT64,
                                 SETL_TYPE_EXTERNAL, delivery_id);
}

void
core_test_factory_set_rendezvous (CoreTestFactory *self, CoreRendezvous *rendezvous)
{
  self->rendezvous = rendezvous;
}

void
core_test_factory_set_fail_phase (CoreTestFactory *self, int phase)
{
  self->fail_phase = phase;
}

void
core_test_factory_set_work_ms (CoreTestFactory *self, guint ms)
{
  self->work_ms = ms;
}

void
core_test_factory_set_output_mode (CoreTestFactory *self, CoreOutputMode mode)
{
  self->output_mode = mode;
}

guint
core_test_factory_get_phases_run (CoreTestFactory *self)
{
  return self->phases_run;
}

const char *
core_test_factory_get_group_in (CoreTestFactory *self, SetlFactoryPhase phase)
{
  return self->group_in[phase];
}

GThread *
core_test_factory_get_thread (CoreTestFactory *self)
{
  return self->thread;
}

gint64
core_test_factory_get_result (CoreTestFactory *self)
{
  return self->result;
}

/* ---- object payloads ---- */

struct _CorePayload { GObject parent_instance; };
G_DEFINE_FINAL_TYPE (CorePayload, core_payload, G_TYPE_OBJECT)
static void core_payload_class_init (CorePayloadClass *klass) { }
static void core_payload_init (CorePayload *self) { }

struct _CoreObjectFactory
{
  SetlFactory parent_instance;
  gboolean null_output;
  gboolean wrong_object;
};

G_DEFINE_FINAL_TYPE (CoreObjectFactory, core_object_factory, SETL_TYPE_FACTORY)

static gboolean
core_object_factory_get (SetlFactory  *factory,
                         GValue       *output,
                         GError      **error)
{
  CoreObjectFactory *self = CORE_OBJECT_FACTORY (factory);

  if (self->null_output)
    g_value_set_object (output, NULL);
  else if (self->wrong_object)
    {
      /* g_value_set_object() would refuse; a buggy plugin can still do it. */
      output->data[0].v_pointer = g_object_new (SETL_TYPE_STAGE, NULL);
    }
  else
    g_value_take_object (output, g_object_new (CORE_TYPE_PAYLOAD, NULL));
  return TRUE;
}

static void
core_object_factory_class_init (CoreObjectFactoryClass *klass)
{
  SETL_FACTORY_CLASS (klass)->get = core_object_factory_get;
  setl_factory_class_set_output_type (SETL_FACTORY_CLASS (klass), CORE_TYPE_PAYLOAD);
}

static void core_object_factory_init (CoreObjectFactory *self) { }

CoreObjectFactory *
core_object_factory_new (gboolean null_output,
                         gboolean wrong_object)
{
  CoreObjectFactory *self = g_object_new (CORE_TYPE_OBJECT_FACTORY, NULL);

  self->null_output = null_output;
  self->wrong_object = wrong_object;
  return self;
}

struct _CoreSilentFactory { SetlFactory parent_instance; };
G_DEFINE_FINAL_TYPE (CoreSilentFactory, core_silent_factory, SETL_TYPE_FACTORY)
static void
core_silent_factory_class_init (CoreSilentFactoryClass *klass)
{
  setl_factory_class_set_output_type (SETL_FACTORY_CLASS (klass), G_TYPE_INT64);
}
static void core_silent_factory_init (CoreSilentFactory *self) { }

/* ---- recording hook ---- */

struct _CoreRecordingHook
{
  GObject parent_instance;
  GMutex lock;
  GPtrArray *events;
};

static void core_recording_hook_iface_init (SetlJobGroupHookInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (CoreRecordingHook, core_recording_hook, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (SETL_TYPE_JOB_GROUP_HOOK,
                                                      core_recording_hook_iface_init))

static void
hook_set (SetlJobGroupHook *hook,
          SetlJobGroup     *group)
{
  CoreRecordingHook *self = CORE_RECORDING_HOOK (hook);

  g_mutex_lock (&self->lock);
  g_ptr_array_add (self->events, g_strdup_printf ("set:%s", setl_job_group_get_id (group)));
  g_mutex_unlock (&self->lock);
}

static void
hook_restore (SetlJobGroupHook *hook,
              SetlJobGroup     *previous)
{
  CoreRecordingHook *self = CORE_RECORDING_HOOK (hook);

  g_mutex_lock (&self->lock);
  g_ptr_array_add (self->events, g_strdup_printf ("restore:%s",
                                                  previous ? setl_job_group_get_id (previous) : "(none)"));
  g_mutex_unlock (&self->lock);
}

static void
core_recording_hook_iface_init (SetlJobGroupHookInterface *iface)
{
  iface->set = hook_set;
  iface->restore = hook_restore;
}

static void
core_recording_hook_finalize (GObject *object)
{
  CoreRecordingHook *self = CORE_RECORDING_HOOK (object);

  g_ptr_array_unref (self->events);
  g_mutex_clear (&self->lock);
  G_OBJECT_CLASS (core_recording_hook_parent_class)->finalize (object);
}

static void
core_recording_hook_class_init (CoreRecordingHookClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = core_recording_hook_finalize;
}

static void
core_recording_hook_init (CoreRecordingHook *self)
{
  g_mutex_init (&self->lock);
  self->events = g_ptr_array_new_with_free_func (g_free);
}

CoreRecordingHook *
core_recording_hook_new (void)
{
  return g_object_new (CORE_TYPE_RECORDING_HOOK, NULL);
}

GPtrArray *
core_recording_hook_dup_events (CoreRecordingHook *self)
{
  GPtrArray *copy = g_ptr_array_new_with_free_func (g_free);

  g_mutex_lock (&self->lock);
  for (guint i = 0; i < self->events->len; i++)
    g_ptr_array_add (copy, g_strdup (g_ptr_array_index (self->events, i)));
  g_mutex_unlock (&self->lock);
  return copy;
}
