/* setl-job-group-hook.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/**
 * SetlJobGroupHook:
 *
 * An interface for whatever must know the job group of the factory being
 * run: a database backend labels its sessions with it, a tracer opens a span.
 * Register implementations with setl_pipeline_add_job_group_hook(). The
 * pipeline calls @set once a factory's group is current and @restore when it
 * is left, always in pairs and on the factory's own thread.
 */
#include "setl-job-group-hook.h"

G_DEFINE_INTERFACE (SetlJobGroupHook, setl_job_group_hook, G_TYPE_OBJECT)

static void
setl_job_group_hook_default_init (SetlJobGroupHookInterface *iface)
{
}

/**
 * setl_job_group_hook_set:
 * @self: a #SetlJobGroupHook
 * @group: the group a factory now runs in
 */
void
setl_job_group_hook_set (SetlJobGroupHook *self,
                         SetlJobGroup     *group)
{
  SetlJobGroupHookInterface *iface;

  g_return_if_fail (SETL_IS_JOB_GROUP_HOOK (self));
  g_return_if_fail (group != NULL);

  iface = SETL_JOB_GROUP_HOOK_GET_IFACE (self);
  if (iface->set)
    iface->set (self, group);
}

/**
 * setl_job_group_hook_restore:
 * @self: a #SetlJobGroupHook
 * @previous: (nullable): the group current again, %NULL if none
 */
void
setl_job_group_hook_restore (SetlJobGroupHook *self,
                             SetlJobGroup     *previous)
{
  SetlJobGroupHookInterface *iface;

  g_return_if_fail (SETL_IS_JOB_GROUP_HOOK (self));

  iface = SETL_JOB_GROUP_HOOK_GET_IFACE (self);
  if (iface->restore)
    iface->restore (self, previous);
}
