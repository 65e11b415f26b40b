/* setl-postgres-pool.h: connections to PostgreSQL, pooled per connection
 * string, with cancellation and the job group as application_name.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "setl-postgres-util.h"

G_BEGIN_DECLS

typedef struct _SetlPostgresPool SetlPostgresPool;
typedef struct _SetlPostgresConnection SetlPostgresConnection;

/* One libpq connection, lent by its pool to one thread at a time. */
struct _SetlPostgresConnection
{
  PGconn           *pg;
  SetlPostgresPool *pool;
  PGcancel         *cancel;         /* for PQcancel from any thread */
  char             *app_name;       /* application_name as set now */
  char             *base_app_name;  /* … and between factories */
  GCancellable     *watched;        /* while a statement runs; not owned */
  gulong            watch_id;
  gint              cancel_sent;    /* atomic: PQcancel was sent */
};

/* How long acquire() waits for a connection of a full pool. */
#define SETL_POSTGRES_POOL_WAIT_SECONDS 60

SetlPostgresPool       *setl_postgres_pool_get           (const char        *conninfo);
const char             *setl_postgres_pool_get_label     (SetlPostgresPool  *pool);
const char             *setl_postgres_pool_get_conninfo  (SetlPostgresPool  *pool);
void                    setl_postgres_pool_set_max_size  (SetlPostgresPool  *pool,
                                                          guint              max_size);
guint                   setl_postgres_pool_get_max_size  (SetlPostgresPool  *pool);
void                    setl_postgres_pool_get_stats     (SetlPostgresPool  *pool,
                                                          guint             *n_open,
                                                          guint             *n_idle,
                                                          guint64           *n_connects,
                                                          guint64           *n_reuses);
void                    setl_postgres_pool_close_idle    (SetlPostgresPool  *pool);

SetlPostgresConnection *setl_postgres_pool_acquire       (SetlPostgresPool  *pool,
                                                          GCancellable      *cancellable,
                                                          GError           **error);
void                    setl_postgres_pool_release       (SetlPostgresConnection *conn);

PGresult *setl_postgres_connection_exec    (SetlPostgresConnection  *conn,
                                            const char              *sql,
                                            int                      n_params,
                                            const char * const      *values,
                                            GCancellable            *cancellable,
                                            GError                 **error);
gboolean  setl_postgres_connection_run     (SetlPostgresConnection  *conn,
                                            const char              *sql,
                                            GCancellable            *cancellable,
                                            GError                 **error);
void      setl_postgres_connection_watch   (SetlPostgresConnection  *conn,
                                            GCancellable            *cancellable);
gboolean  setl_postgres_connection_unwatch (SetlPostgresConnection  *conn,
                                            GError                 **error);
gboolean  setl_postgres_connection_fail    (SetlPostgresConnection  *conn,
                                            PGresult                *result,
                                            GCancellable            *cancellable,
                                            GError                 **error);

void      setl_postgres_connection_show_job_group (SetlPostgresConnection *conn,
                                                   SetlJobGroup           *group);
void      setl_postgres_show_job_group_on_held    (SetlJobGroup           *group);
char     *setl_postgres_application_name          (SetlJobGroup           *group);

G_END_DECLS
