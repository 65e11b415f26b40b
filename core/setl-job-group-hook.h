/* setl-job-group-hook.h: how backends learn which job group is running.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(SETL_INSIDE) && !defined(SETL_COMPILATION)
#error "Only <setl/setl.h> can be included directly."
#endif

#include <glib-object.h>

#include "setl-job-group.h"

G_BEGIN_DECLS

#define SETL_TYPE_JOB_GROUP_HOOK (setl_job_group_hook_get_type ())
G_DECLARE_INTERFACE (SetlJobGroupHook, setl_job_group_hook, SETL, JOB_GROUP_HOOK, GObject)

/**
 * SetlJobGroupHookInterface:
 * @g_iface: the parent interface
 * @set: called on the factory's thread after the factory's job group became
 *   current and before `read`
 * @restore: called on the same thread after `get` (or the failure or
 *   cancellation that ended the factory); @previous is the group current
 *   again, %NULL if none
 *
 * Backends implement this interface to carry the job group to where the work
 * happens — PostgreSQL's `application_name`, for instance.
 */
struct _SetlJobGroupHookInterface
{
  GTypeInterface g_iface;

  void (*set)     (SetlJobGroupHook *self,
                   SetlJobGroup     *group);
  void (*restore) (SetlJobGroupHook *self,
                   SetlJobGroup     *previous);

  /*< private >*/
  gpointer padding[8];
};

void setl_job_group_hook_set     (SetlJobGroupHook *self,
                                  SetlJobGroup     *group);
void setl_job_group_hook_restore (SetlJobGroupHook *self,
                                  SetlJobGroup     *previous);

G_END_DECLS
