/* setl-sqlite-backend.c: the "sqlite" backend feature.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/**
 * SetlSqliteBackend:
 *
 * SQLite, libsetl's embedded default backend: it runs the "sql" factory's
 * queries and reads and writes SQLite databases. As a #SetlJobGroupHook it
 * carries the running factory's job group into SQL. SQLite has no session
 * variable such as PostgreSQL's `application_name`, so every connection
 * the plugin opens has two SQL functions:
 *
 * - `setl_job_group()`: the id of the job group of the factory running on
 *   this thread, or NULL outside any factory;
 * - `setl_job_group_description()`: its description.
 *
 * Register the backend with the pipeline:
 *
 * |[<!-- language="C" -->
 * g_autoptr(SetlSqliteBackend) backend = setl_sqlite_backend_new ();
 * setl_pipeline_add_job_group_hook (pipeline, SETL_JOB_GROUP_HOOK (backend));
 * ]|
 *
 * The hook's `set` publishes the factory's group for the factory's thread;
 * `restore` publishes the previous one (NULL after a top-level factory), on
 * success, failure and cancellation alike — the core calls it on every
 * path. Without the hook registered, `setl_job_group()` is NULL.
 *
 * Queries of a lazy stream run when a consumer reads it, so SQL run by a
 * sink pulling a "sql" factory's output sees the sink's job group: the
 * group of the factory doing the work.
 */
#include "setl-sqlite-backend.h"
#include "setl-sqlite-util.h"

struct _SetlSqliteBackend
{
  GObject parent_instance;
};

static void setl_sqlite_backend_hook_init (SetlJobGroupHookInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SetlSqliteBackend, setl_sqlite_backend, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (SETL_TYPE_JOB_GROUP_HOOK,
                                                      setl_sqlite_backend_hook_init))

static void
setl_sqlite_backend_set (SetlJobGroupHook *hook,
                         SetlJobGroup     *group)
{
  setl_sqlite_publish_job_group (group);
}

static void
setl_sqlite_backend_restore (SetlJobGroupHook *hook,
                             SetlJobGroup     *previous)
{
  setl_sqlite_publish_job_group (previous);
}

static void
setl_sqlite_backend_hook_init (SetlJobGroupHookInterface *iface)
{
  iface->set = setl_sqlite_backend_set;
  iface->restore = setl_sqlite_backend_restore;
}

static void
setl_sqlite_backend_class_init (SetlSqliteBackendClass *klass)
{
}

static void
setl_sqlite_backend_init (SetlSqliteBackend *self)
{
}

/**
 * setl_sqlite_backend_new:
 *
 * Returns: (transfer full): a new backend
 */
SetlSqliteBackend *
setl_sqlite_backend_new (void)
{
  return g_object_new (SETL_TYPE_SQLITE_BACKEND, NULL);
}
