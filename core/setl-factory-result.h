/* setl-factory-result.h: what happened to one factory in a run.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(SETL_INSIDE) && !defined(SETL_COMPILATION)
#error "Only <setl/setl.h> can be included directly."
#endif

#include <glib-object.h>

G_BEGIN_DECLS

/**
 * SetlFactoryStatus:
 * @SETL_FACTORY_STATUS_PENDING: not run yet
 * @SETL_FACTORY_STATUS_RUNNING: running
 * @SETL_FACTORY_STATUS_SUCCEEDED: ran and delivered its output
 * @SETL_FACTORY_STATUS_FAILED: failed in one of its phases
 * @SETL_FACTORY_STATUS_SKIPPED: not run, because its condition (or its
 *   stage's) is false, or a factory whose output it requires was skipped;
 *   the reason says which (docs/conditions.md)
 * @SETL_FACTORY_STATUS_CANCELLED: cancelled, directly, because a factory
 *   it depends on was cancelled, or because a failure stopped the run; the
 *   reason says which
 * @SETL_FACTORY_STATUS_REUSED: not run, because its output was found in a
 *   cache under the same key (Since: 1.0)
 * @SETL_FACTORY_STATUS_UPSTREAM_FAILED: not run, because a factory it
 *   depends on failed; the reason says which (Since: 1.0)
 *
 * The state of a factory in a run.
 */
typedef enum {
  SETL_FACTORY_STATUS_PENDING,
  SETL_FACTORY_STATUS_RUNNING,
  SETL_FACTORY_STATUS_SUCCEEDED,
  SETL_FACTORY_STATUS_FAILED,
  SETL_FACTORY_STATUS_SKIPPED,
  SETL_FACTORY_STATUS_CANCELLED,
  SETL_FACTORY_STATUS_REUSED,
  SETL_FACTORY_STATUS_UPSTREAM_FAILED,
} SetlFactoryStatus;

/**
 * SetlFactoryPhase:
 * @SETL_FACTORY_PHASE_READ: the read phase
 * @SETL_FACTORY_PHASE_PROCESS: the process phase
 * @SETL_FACTORY_PHASE_WRITE: the write phase
 * @SETL_FACTORY_PHASE_GET: fetching and checking the output
 *
 * The phases of a factory, in the order they run.
 */
typedef enum {
  SETL_FACTORY_PHASE_READ,
  SETL_FACTORY_PHASE_PROCESS,
  SETL_FACTORY_PHASE_WRITE,
  SETL_FACTORY_PHASE_GET,
} SetlFactoryPhase;

#define SETL_FACTORY_N_PHASES 4

#define SETL_TYPE_FACTORY_RESULT (setl_factory_result_get_type ())
G_DECLARE_FINAL_TYPE (SetlFactoryResult, setl_factory_result, SETL, FACTORY_RESULT, GObject)

const char        *setl_factory_result_get_factory_name (SetlFactoryResult *self);
const char        *setl_factory_result_get_factory_type (SetlFactoryResult *self);
int                setl_factory_result_get_stage        (SetlFactoryResult *self);
const char        *setl_factory_result_get_job_group    (SetlFactoryResult *self);
SetlFactoryStatus  setl_factory_result_get_status       (SetlFactoryResult *self);
const char        *setl_factory_result_get_reason       (SetlFactoryResult *self);
const GError      *setl_factory_result_get_error        (SetlFactoryResult *self);
gint64             setl_factory_result_get_duration     (SetlFactoryResult *self,
                                                         SetlFactoryPhase   phase);
gint64             setl_factory_result_get_total_duration (SetlFactoryResult *self);
gboolean           setl_factory_result_get_wrote        (SetlFactoryResult *self);

const char        *setl_factory_status_to_string        (SetlFactoryStatus  status);
const char        *setl_factory_phase_to_string         (SetlFactoryPhase   phase);

G_END_DECLS
