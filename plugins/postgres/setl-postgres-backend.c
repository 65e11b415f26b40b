/* setl-postgres-backend.c: the "postgres" backend feature.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/**
 * SetlPostgresBackend:
 *
 * PostgreSQL as a libsetl backend. As a #SetlJobGroupHook it keeps the
 * `application_name` of the connections a factory uses equal to the
 * factory's job group (`pipeline/stage-N/factory`, cut to 63 bytes on a
 * character boundary), so `pg_stat_activity` shows which factory runs
 * what:
 *
 * |[<!-- language="C" -->
 * g_autoptr(SetlPostgresBackend) backend = setl_postgres_backend_new ();
 * setl_pipeline_add_job_group_hook (pipeline, SETL_JOB_GROUP_HOOK (backend));
 * ]|
 *
 * Connections taken from the pool while a factory runs get its group when
 * lent and their base name back when returned; `set` and `restore` update
 * the connections the thread holds at that moment, so the name is
 * restored after the factory on success, failure and cancellation alike
 * (the core calls `restore` on every path).
 */
#include "setl-postgres-backend.h"
#include "setl-postgres-pool.h"

struct _SetlPostgresBackend
{
  GObject parent_instance;
};

static void setl_postgres_backend_hook_init (SetlJobGroupHookInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SetlPostgresBackend, setl_postgres_backend, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (SETL_TYPE_JOB_GROUP_HOOK,
                                                      setl_postgres_backend_hook_init))

static void
setl_postgres_backend_set (SetlJobGroupHook *hook,
                           SetlJobGroup     *group)
{
  setl_postgres_show_job_group_on_held (group);
}

static void
setl_postgres_backend_restore (SetlJobGroupHook *hook,
                               SetlJobGroup     *previous)
{
  setl_postgres_show_job_group_on_held (previous);
}

static void
setl_postgres_backend_hook_init (SetlJobGroupHookInterface *iface)
{
  iface->set = setl_postgres_backend_set;
  iface->restore = setl_postgres_backend_restore;
}

static void
setl_postgres_backend_class_init (SetlPostgresBackendClass *klass)
{
}

static void
setl_postgres_backend_init (SetlPostgresBackend *self)
{
}

/**
 * setl_postgres_backend_new:
 *
 * Returns: (transfer full): a new backend
 */
SetlPostgresBackend *
setl_postgres_backend_new (void)
{
  return g_object_new (SETL_TYPE_POSTGRES_BACKEND, NULL);
}
