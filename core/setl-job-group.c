/* setl-job-group.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/**
 * SetlJobGroup:
 *
 * An immutable label for a piece of work: an id of the form
 * `pipeline/stage/factory` and a description.
 *
 * The pipeline enters a job group around every factory, from before `read`
 * to after `get`, and always leaves it — on success, failure and
 * cancellation. The current group of a thread is what setl_log() attaches to
 * log records and what backends (through #SetlJobGroupHook) show to the
 * database server, so that work seen anywhere can be traced to the factory
 * that caused it. This is PySpark's setJobGroup()/clearJobGroup() done right:
 * nothing is ever left set.
 *
 * Scopes nest and are per thread. Leaving a scope restores exactly the group
 * that was current when it was entered:
 *
 * |[<!-- language="C" -->
 * g_autoptr(SetlJobGroup) g = setl_job_group_new ("nightly/load", "Nightly load");
 * SetlJobGroupScope *scope = setl_job_group_scope_enter (g);
 * … // setl_job_group_get_current () == g
 * setl_job_group_scope_leave (scope);
 * ]|
 */
#include "setl-job-group.h"
#include "setl-private.h"

struct _SetlJobGroup
{
  gatomicrefcount ref_count;
  char *id;
  char *description;
};

struct _SetlJobGroupScope
{
  SetlJobGroup *group;     /* the group this scope made current */
  SetlJobGroup *previous;  /* what was current before; restored on leave */
};

G_DEFINE_BOXED_TYPE (SetlJobGroup, setl_job_group, setl_job_group_ref, setl_job_group_unref)

/* The innermost group of this thread, owning one reference. A thread that
 * exits inside a scope releases it here. */
static GPrivate current_group = G_PRIVATE_INIT ((GDestroyNotify) setl_job_group_unref);

/**
 * setl_job_group_new:
 * @id: the group's id, conventionally `pipeline/stage/factory`
 * @description: (nullable): what the work is, for people
 *
 * Returns: (transfer full): a new job group
 */
SetlJobGroup *
setl_job_group_new (const char *id,
                    const char *description)
{
  SetlJobGroup *self;

  g_return_val_if_fail (id != NULL, NULL);

  self = g_new0 (SetlJobGroup, 1);
  g_atomic_ref_count_init (&self->ref_count);
  self->id = g_strdup (id);
  self->description = g_strdup (description ? description : "");
  return self;
}

/* setl_job_group_new() without copying the strings, for the pipeline, which
 * makes one group per factory per run. */
SetlJobGroup *
_setl_job_group_new_take (char *id,
                          char *description)
{
  SetlJobGroup *self = g_new (SetlJobGroup, 1);

  g_atomic_ref_count_init (&self->ref_count);
  self->id = id;
  self->description = description ? description : g_strdup ("");
  return self;
}

/**
 * setl_job_group_copy:
 * @self: a #SetlJobGroup
 *
 * Makes an independent copy, as a worker thread does of the scope it
 * inherits.
 *
 * Returns: (transfer full): a new job group equal to @self
 */
SetlJobGroup *
setl_job_group_copy (const SetlJobGroup *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return setl_job_group_new (self->id, self->description);
}

/**
 * setl_job_group_ref:
 * @self: a #SetlJobGroup
 *
 * Returns: (transfer full): @self
 */
SetlJobGroup *
setl_job_group_ref (SetlJobGroup *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

/**
 * setl_job_group_unref:
 * @self: (transfer full): a #SetlJobGroup
 */
void
setl_job_group_unref (SetlJobGroup *self)
{
  g_return_if_fail (self != NULL);

  if (g_atomic_ref_count_dec (&self->ref_count))
    {
      g_free (self->id);
      g_free (self->description);
      g_free (self);
    }
}

/**
 * setl_job_group_get_id:
 * @self: a #SetlJobGroup
 *
 * Returns: the group's id
 */
const char *
setl_job_group_get_id (const SetlJobGroup *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->id;
}

/**
 * setl_job_group_get_description:
 * @self: a #SetlJobGroup
 *
 * Returns: the group's description, "" if none
 */
const char *
setl_job_group_get_description (const SetlJobGroup *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->description;
}

/**
 * setl_job_group_matches:
 * @self: a #SetlJobGroup
 * @id_or_prefix: a group id, or a prefix of ids made of whole path
 *   components
 *
 * Whether @self is the group @id_or_prefix or lies under it: `etl/stage-1`
 * matches `etl/stage-1` and `etl/stage-1/Load` but not `etl/stage-10/Load`.
 *
 * Returns: %TRUE if @self is in @id_or_prefix
 */
gboolean
setl_job_group_matches (const SetlJobGroup *self,
                        const char         *id_or_prefix)
{
  size_t len;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (id_or_prefix != NULL, FALSE);

  len = strlen (id_or_prefix);
  while (len > 0 && id_or_prefix[len - 1] == '/')
    len--;
  if (len == 0)
    return TRUE;
  return strncmp (self->id, id_or_prefix, len) == 0 &&
         (self->id[len] == '\0' || self->id[len] == '/');
}

/**
 * setl_job_group_get_current:
 *
 * The innermost job group entered on the calling thread.
 *
 * Returns: (transfer none) (nullable): the current group, or %NULL outside
 *   any scope
 */
SetlJobGroup *
setl_job_group_get_current (void)
{
  return g_private_get (&current_group);
}

/**
 * setl_job_group_scope_enter: (skip)
 * @group: the group to make current on this thread
 *
 * Enters @group. Every call must be paired with
 * setl_job_group_scope_leave() on the same thread, innermost first.
 *
 * Returns: (transfer full): the scope, to pass to setl_job_group_scope_leave()
 */
SetlJobGroupScope *
setl_job_group_scope_enter (SetlJobGroup *group)
{
  SetlJobGroupScope *scope;

  g_return_val_if_fail (group != NULL, NULL);

  scope = g_new0 (SetlJobGroupScope, 1);
  scope->group = setl_job_group_ref (group);
  scope->previous = g_private_get (&current_group);   /* its reference moves here */
  g_private_set (&current_group, setl_job_group_ref (group));
  return scope;
}

/**
 * setl_job_group_scope_leave: (skip)
 * @scope: (transfer full): a scope from setl_job_group_scope_enter()
 *
 * Leaves a scope and restores the group that was current when it was entered.
 */
void
setl_job_group_scope_leave (SetlJobGroupScope *scope)
{
  SetlJobGroup *current;

  g_return_if_fail (scope != NULL);

  current = g_private_get (&current_group);
  if (current != scope->group)
    g_critical ("Job group scope “%s” left out of order (current: “%s”)",
                scope->group->id, current ? current->id : "(none)");

  g_private_set (&current_group, scope->previous);
  if (current != NULL)
    setl_job_group_unref (current);
  setl_job_group_unref (scope->group);
  g_free (scope);
}
