/* core-test-factory.h: a configurable factory for the core suites.
 *
 * One type whose behaviour is set by properties: which phase fails, how long
 * `process` works (cooperatively cancellable), what it outputs. It records
 * what happened to it — phases run, the job group current in each phase, the
 * thread it ran on — so tests can assert on it.
 */
#pragma once

#include <setl/setl.h>

G_BEGIN_DECLS

#define CORE_TYPE_TEST_FACTORY (core_test_factory_get_type ())
G_DECLARE_FINAL_TYPE (CoreTestFactory, core_test_factory, CORE, TEST_FACTORY, SetlFactory)

/* Output modes for the get phase. */
typedef enum {
  CORE_OUTPUT_OK,
  CORE_OUTPUT_WRONG_TYPE,
  CORE_OUTPUT_UNSET,
  CORE_OUTPUT_FAIL_SILENTLY,
  CORE_OUTPUT_GINT,          /* a gint where gint64 is declared, as bindings do */
} CoreOutputMode;

CoreTestFactory *core_test_factory_new (const char *name,
                                        const char *delivery_id,
                                        gint64      value);
SetlDelivery    *core_test_factory_add_int_input (CoreTestFactory *self,
                                                  const char      *slot,
                                                  const char      *delivery_id);

/* Factories sharing a rendezvous wait in `process` until all of them have
 * arrived: a stage whose factories did not run concurrently times out. */
typedef struct {
  GMutex lock;
  GCond cond;
  guint expected;
  guint arrived;
} CoreRendezvous;

void   core_test_factory_set_rendezvous (CoreTestFactory *self, CoreRendezvous *rendezvous);
void   core_test_factory_set_fail_phase (CoreTestFactory *self, int phase);
void   core_test_factory_set_work_ms    (CoreTestFactory *self, guint ms);
void   core_test_factory_set_output_mode (CoreTestFactory *self, CoreOutputMode mode);

guint        core_test_factory_get_phases_run (CoreTestFactory *self);
const char  *core_test_factory_get_group_in   (CoreTestFactory *self, SetlFactoryPhase phase);
GThread     *core_test_factory_get_thread     (CoreTestFactory *self);
gint64       core_test_factory_get_result     (CoreTestFactory *self);

/* An object payload type and a factory that outputs it (or NULL). */
#define CORE_TYPE_PAYLOAD (core_payload_get_type ())
G_DECLARE_FINAL_TYPE (CorePayload, core_payload, CORE, PAYLOAD, GObject)

#define CORE_TYPE_OBJECT_FACTORY (core_object_factory_get_type ())
G_DECLARE_FINAL_TYPE (CoreObjectFactory, core_object_factory, CORE, OBJECT_FACTORY, SetlFactory)

CoreObjectFactory *core_object_factory_new (gboolean null_output,
                                            gboolean wrong_object);

/* A factory that does not implement get(). */
#define CORE_TYPE_SILENT_FACTORY (core_silent_factory_get_type ())
G_DECLARE_FINAL_TYPE (CoreSilentFactory, core_silent_factory, CORE, SILENT_FACTORY, SetlFactory)

/* A job-group hook that records every call. */
#define CORE_TYPE_RECORDING_HOOK (core_recording_hook_get_type ())
G_DECLARE_FINAL_TYPE (CoreRecordingHook, core_recording_hook, CORE, RECORDING_HOOK, GObject)

CoreRecordingHook *core_recording_hook_new (void);
/* "set:<id>" and "restore:<id or (none)>" entries, per thread order. */
GPtrArray *core_recording_hook_dup_events (CoreRecordingHook *self);

G_END_DECLS
