/* setl-postgres-pool.c: a pool of libpq connections per connection string.
 *
 * Every factory of the plugin takes its connections from here, so that
 * factories and parallel stages reuse them instead of paying a connection
 * (and an authentication) each time. A pool holds at most max-size
 * connections; acquire() waits for one to come back when all are lent, and
 * gives up after SETL_POSTGRES_POOL_WAIT_SECONDS with an error naming the
 * pool. Before lending an idle connection the pool checks it with an empty
 * query: a connection the server dropped (a restart, a terminated backend)
 * is closed and replaced by a new one, so pipelines carry on across server
 * restarts between factories.
 *
 * The job group: a connection lent on a thread where a factory runs gets
 * `application_name` = the factory's job group id (cut to 63 bytes on a
 * UTF-8 character boundary), and gets its base name back when returned, so
 * pg_stat_activity shows which factory uses which backend, and nothing
 * stale afterwards. The hook (SetlPostgresBackend) also updates the
 * connections a thread holds when the group changes under them.
 *
 * Cancellation: while a statement runs, the operation's GCancellable is
 * watched, and cancelling it sends PQcancel to the server, which stops the
 * statement; the connection then rolls back whatever transaction it was in
 * before going back to the pool.
 *
 * Pools live as long as the process; idle connections can be closed with
 * setl_postgres_pool_close_idle().
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "setl-postgres-pool.h"

#include <string.h>

struct _SetlPostgresPool
{
  char    *conninfo;
  char    *label;      /* redacted: what errors and logs show */
  GMutex   lock;
  GCond    cond;
  GQueue   idle;       /* SetlPostgresConnection* */
  guint    n_open;     /* lent + idle + being opened */
  guint    max_size;
  guint64  n_connects;
  guint64  n_reuses;
};

static GMutex pools_lock;
static GHashTable *pools;   /* conninfo → SetlPostgresPool, never freed */

/* Lent connections and the thread that holds each, for the job-group hook
 * (an iterator may give its connection back from another thread). */
static GMutex held_lock;
static GHashTable *held;   /* SetlPostgresConnection* → GThread* */

static void
hold (SetlPostgresConnection *conn)
{
  g_mutex_lock (&held_lock);
  if (held == NULL)
    held = g_hash_table_new (NULL, NULL);
  g_hash_table_insert (held, conn, g_thread_self ());
  g_mutex_unlock (&held_lock);
}

static void
unhold (SetlPostgresConnection *conn)
{
  g_mutex_lock (&held_lock);
  if (held != NULL)
    g_hash_table_remove (held, conn);
  g_mutex_unlock (&held_lock);
}

/**
 * setl_postgres_pool_get:
 * @conninfo: a libpq connection string or `postgresql://` URI
 *
 * Returns: (transfer none): the pool of @conninfo, made on first use
 */
SetlPostgresPool *
setl_postgres_pool_get (const char *conninfo)
{
  SetlPostgresPool *pool;

  if (conninfo == NULL)
    conninfo = "";
  g_mutex_lock (&pools_lock);
  if (pools == NULL)
    pools = g_hash_table_new (g_str_hash, g_str_equal);
  pool = g_hash_table_lookup (pools, conninfo);
  if (pool == NULL)
    {
      pool = g_new0 (SetlPostgresPool, 1);
      pool->conninfo = g_strdup (conninfo);
      pool->label = setl_postgres_redact_conninfo (conninfo);
      g_mutex_init (&pool->lock);
      g_cond_init (&pool->cond);
      g_queue_init (&pool->idle);
      pool->max_size = SETL_POSTGRES_DEFAULT_POOL_SIZE;
      g_hash_table_insert (pools, pool->conninfo, pool);
    }
  g_mutex_unlock (&pools_lock);
  return pool;
}

const char *
setl_postgres_pool_get_label (SetlPostgresPool *pool)
{
  return pool->label;
}

const char *
setl_postgres_pool_get_conninfo (SetlPostgresPool *pool)
{
  return pool->conninfo;
}

/* The pool is shared by every factory naming the same connection string;
 * the last factory to run sets its size. */
void
setl_postgres_pool_set_max_size (SetlPostgresPool *pool,
                                 guint             max_size)
{
  g_mutex_lock (&pool->lock);
  pool->max_size = MAX (max_size, 1);
  g_cond_broadcast (&pool->cond);
  g_mutex_unlock (&pool->lock);
}

guint
setl_postgres_pool_get_max_size (SetlPostgresPool *pool)
{
  guint n;

  g_mutex_lock (&pool->lock);
  n = pool->max_size;
  g_mutex_unlock (&pool->lock);
  return n;
}

void
setl_postgres_pool_get_stats (SetlPostgresPool *pool,
                              guint            *n_open,
                              guint            *n_idle,
                              guint64          *n_connects,
                              guint64          *n_reuses)
{
  g_mutex_lock (&pool->lock);
  if (n_open) *n_open = pool->n_open;
  if (n_idle) *n_idle = pool->idle.length;
  if (n_connects) *n_connects = pool->n_connects;
  if (n_reuses) *n_reuses = pool->n_reuses;
  g_mutex_unlock (&pool->lock);
}

static void
connection_free (SetlPostgresConnection *conn)
{
  if (conn == NULL)
    return;
  g_clear_pointer (&conn->cancel, PQfreeCancel);
  g_clear_pointer (&conn->pg, PQfinish);
  g_free (conn->app_name);
  g_free (conn->base_app_name);
  g_free (conn);
}

/* Closes a connection that is not coming back. */
static void
discard (SetlPostgresPool       *pool,
         SetlPostgresConnection *conn)
{
  connection_free (conn);
  g_mutex_lock (&pool->lock);
  pool->n_open--;
  g_cond_signal (&pool->cond);
  g_mutex_unlock (&pool->lock);
}

void
setl_postgres_pool_close_idle (SetlPostgresPool *pool)
{
  SetlPostgresConnection *conn;

  g_mutex_lock (&pool->lock);
  while ((conn = g_queue_pop_head (&pool->idle)) != NULL)
    {
      connection_free (conn);
      pool->n_open--;
    }
  g_mutex_unlock (&pool->lock);
}

/* The server's notices (a NOTICE from DROP … IF EXISTS, a WARNING) go to
 * the debug log instead of libpq's default, stderr. */
static void
on_notice (void       *data,
           const char *message)
{
  SetlPostgresPool *pool = data;
  g_autofree char *line = setl_postgres_one_line (message);

  g_debug ("PostgreSQL “%s”: %s", pool->label, line);
}

/* The session settings every connection runs with: values come back as
 * text the plugin parses (ISO dates, UTC, doubles that round-trip). */
static const char session_setup[] =
  "SET DateStyle = ISO, YMD; SET TimeZone = 'UTC'; SET extra_float_digits = 3; "
  "SET client_encoding = 'UTF8'";

static SetlPostgresConnection *
connect_new (SetlPostgresPool  *pool,
             GError           **error)
{
  const char *keys[] = { "dbname", "fallback_application_name", NULL };
  const char *values[] = { pool->conninfo, "setl", NULL };
  SetlPostgresConnection *conn = g_new0 (SetlPostgresConnection, 1);
  PGresult *res;
  const char *name;

  conn->pool = pool;
  conn->pg = PQconnectdbParams (keys, values, 1);
  if (conn->pg == NULL || PQstatus (conn->pg) != CONNECTION_OK)
    {
      g_autofree char *msg = setl_postgres_one_line (conn->pg ? PQerrorMessage (conn->pg) : "out of memory");
      g_set_error (error, SETL_POSTGRES_ERROR, SETL_POSTGRES_ERROR_CONNECT, "cannot connect: %s", msg);
      connection_free (conn);
      return NULL;
    }
  res = PQexec (conn->pg, session_setup);
  if (PQresultStatus (res) != PGRES_COMMAND_OK)
    {
      g_autofree char *msg = setl_postgres_one_line (PQresultErrorMessage (res));
      g_set_error (error, SETL_POSTGRES_ERROR, SETL_POSTGRES_ERROR_CONNECT,
                   "setting up the session: %s", msg);
      PQclear (res);
      connection_free (conn);
      return NULL;
    }
  PQclear (res);
  PQsetNoticeProcessor (conn->pg, on_notice, pool);
  conn->cancel = PQgetCancel (conn->pg);
  name = PQparameterStatus (conn->pg, "application_name");
  conn->base_app_name = g_strdup (name ? name : "");
  conn->app_name = g_strdup (conn->base_app_name);
  return conn;
}

/* Whether an idle connection still talks to a live server. */
static gboolean
healthy (SetlPostgresConnection *conn)
{
  PGresult *res;
  gboolean ok;

  if (PQstatus (conn->pg) != CONNECTION_OK || PQtransactionStatus (conn->pg) != PQTRANS_IDLE)
    return FALSE;
  res = PQexec (conn->pg, "");
  ok = PQresultStatus (res) == PGRES_EMPTY_QUERY;
  PQclear (res);
  return ok && PQstatus (conn->pg) == CONNECTION_OK;
}

/**
 * setl_postgres_pool_acquire:
 * @pool: a pool
 * @cancellable: (nullable): stops the wait for a free connection
 * @error: return location for a #GError
 *
 * Lends a healthy connection (idle, checked; or new), showing the calling
 * thread's job group as its application_name. Give it back with
 * setl_postgres_pool_release().
 *
 * Returns: (transfer full) (nullable): a connection, or %NULL with @error
 */
SetlPostgresConnection *
setl_postgres_pool_acquire (SetlPostgresPool  *pool,
                            GCancellable      *cancellable,
                            GError           **error)
{
  SetlPostgresConnection *conn = NULL;
  gint64 deadline = g_get_monotonic_time () + SETL_POSTGRES_POOL_WAIT_SECONDS * G_USEC_PER_SEC;

  while (conn == NULL)
    {
      gboolean open_new = FALSE;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return NULL;
      g_mutex_lock (&pool->lock);
      while (pool->idle.length == 0 && pool->n_open >= pool->max_size)
        {
          /* wake up now and then to notice cancellation */
          gint64 until = MIN (deadline, g_get_monotonic_time () + 100 * G_TIME_SPAN_MILLISECOND);
          if (!g_cond_wait_until (&pool->cond, &pool->lock, until) &&
              (g_get_monotonic_time () >= deadline || g_cancellable_is_cancelled (cancellable)))
            break;
        }
      if (pool->idle.length > 0)
        conn = g_queue_pop_head (&pool->idle);
      else if (pool->n_open < pool->max_size)
        {
          pool->n_open++;
          pool->n_connects++;
          open_new = TRUE;
        }
      g_mutex_unlock (&pool->lock);

      if (open_new)
        {
          conn = connect_new (pool, error);
          if (conn == NULL)
            {
              discard (pool, NULL);
              return NULL;
            }
        }
      else if (conn != NULL)
        {
          if (!healthy (conn))
            {
              /* dropped by the server (restarted?): replace it */
              discard (pool, conn);
              conn = NULL;
              continue;
            }
          g_mutex_lock (&pool->lock);
          pool->n_reuses++;
          g_mutex_unlock (&pool->lock);
        }
      else
        {
          if (g_cancellable_set_error_if_cancelled (cancellable, error))
            return NULL;
          g_set_error (error, SETL_POSTGRES_ERROR, SETL_POSTGRES_ERROR_CONNECT,
                       "PostgreSQL “%s”: all %u connections of the pool stayed in use for %d s "
                       "(raise “pool-size”)", pool->label, pool->max_size,
                       SETL_POSTGRES_POOL_WAIT_SECONDS);
          return NULL;
        }
    }
  setl_postgres_connection_show_job_group (conn, setl_job_group_get_current ());
  hold (conn);
  return conn;
}

/**
 * setl_postgres_pool_release:
 * @conn: (transfer full): a connection from setl_postgres_pool_acquire()
 *
 * Gives @conn back: whatever transaction it is in is rolled back, its
 * application_name is reset, and a broken connection is closed instead.
 */
void
setl_postgres_pool_release (SetlPostgresConnection *conn)
{
  SetlPostgresPool *pool = conn->pool;
  PGTransactionStatusType ts;

  unhold (conn);
  ts = PQtransactionStatus (conn->pg);
  if (PQstatus (conn->pg) == CONNECTION_OK && (ts == PQTRANS_INTRANS || ts == PQTRANS_INERROR))
    {
      PGresult *res = PQexec (conn->pg, "ROLLBACK");
      PQclear (res);
      ts = PQtransactionStatus (conn->pg);
    }
  if (PQstatus (conn->pg) != CONNECTION_OK || ts != PQTRANS_IDLE)
    {
      /* a COPY or a query left half-way, or a dead server: start afresh */
      discard (pool, conn);
      return;
    }
  setl_postgres_connection_show_job_group (conn, NULL);
  if (g_strcmp0 (conn->app_name, conn->base_app_name) != 0)
    {
      discard (pool, conn);
      return;
    }
  g_mutex_lock (&pool->lock);
  g_queue_push_head (&pool->idle, conn);
  g_cond_signal (&pool->cond);
  g_mutex_unlock (&pool->lock);
}

/* ----------------------------------------------------------------------- */
/* Job groups                                                                */

/**
 * setl_postgres_application_name:
 * @group: (nullable): a job group
 *
 * The application_name showing @group: its id, cut to PostgreSQL's 63
 * bytes (NAMEDATALEN - 1) on a character boundary so that it stays valid
 * UTF-8 (the server would cut it anywhere).
 *
 * Returns: (transfer full) (nullable): the name, %NULL without a group
 */
char *
setl_postgres_application_name (SetlJobGroup *group)
{
  const char *id;
  const char *end;

  if (group == NULL || (id = setl_job_group_get_id (group)) == NULL)
    return NULL;
  if (!g_utf8_validate (id, -1, &end))
    return g_strndup (id, MIN ((gsize) (end - id), 63));   /* cannot happen: ids are UTF-8 */
  if (strlen (id) <= 63)
    return g_strdup (id);
  end = id + 63;
  while (end > id && (*end & 0xc0) == 0x80)
    end--;   /* back to the first byte of the character cut in two */
  return g_strndup (id, (gsize) (end - id));
}

/* Shows @group (NULL: none) as the connection's application_name, when the
 * connection is idle (a SET inside a transaction would be undone by its
 * rollback). Best effort: a failure here is not the factory's failure. */
void
setl_postgres_connection_show_job_group (SetlPostgresConnection *conn,
                                         SetlJobGroup           *group)
{
  g_autofree char *name = setl_postgres_application_name (group);
  const char *want = name ? name : conn->base_app_name;
  const char *values[1] = { want };
  PGresult *res;

  if (g_strcmp0 (conn->app_name, want) == 0 ||
      PQtransactionStatus (conn->pg) != PQTRANS_IDLE)
    return;
  res = PQexecParams (conn->pg, "SELECT pg_catalog.set_config('application_name', $1, false)",
                      1, NULL, values, NULL, NULL, 0);
  if (PQresultStatus (res) == PGRES_TUPLES_OK)
    {
      g_free (conn->app_name);
      conn->app_name = g_strdup (want);
    }
  PQclear (res);
}

/* The hook's set/restore: the connections this thread holds follow. */
void
setl_postgres_show_job_group_on_held (SetlJobGroup *group)
{
  g_autoptr(GPtrArray) mine = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer conn, thread;

  g_mutex_lock (&held_lock);
  if (held != NULL)
    {
      g_hash_table_iter_init (&iter, held);
      while (g_hash_table_iter_next (&iter, &conn, &thread))
        if (thread == g_thread_self ())
          g_ptr_array_add (mine, conn);
    }
  g_mutex_unlock (&held_lock);
  for (guint i = 0; i < mine->len; i++)
    setl_postgres_connection_show_job_group (mine->pdata[i], group);
}

/* ----------------------------------------------------------------------- */
/* Statements                                                                */

static void
on_cancelled (GCancellable *cancellable,
              gpointer      data)
{
  SetlPostgresConnection *conn = data;
  char errbuf[256];

  /* any thread: PQcancel is safe there; the statement fails with 57014 */
  g_atomic_int_set (&conn->cancel_sent, 1);
  if (conn->cancel != NULL)
    PQcancel (conn->cancel, errbuf, sizeof errbuf);
}

void
setl_postgres_connection_watch (SetlPostgresConnection *conn,
                                GCancellable           *cancellable)
{
  g_atomic_int_set (&conn->cancel_sent, 0);
  if (cancellable == NULL)
    return;
  conn->watched = cancellable;
  conn->watch_id = g_cancellable_connect (cancellable, G_CALLBACK (on_cancelled), conn, NULL);
}

/* Stops watching; FALSE with G_IO_ERROR_CANCELLED if the cancellable fired. */
gboolean
setl_postgres_connection_unwatch (SetlPostgresConnection  *conn,
                                  GError                 **error)
{
  GCancellable *c = conn->watched;

  if (c != NULL)
    {
      g_cancellable_disconnect (c, conn->watch_id);
      conn->watched = NULL;
      conn->watch_id = 0;
      return !g_cancellable_set_error_if_cancelled (c, error);
    }
  return TRUE;
}

/* Sets @error from a failed @result (or the connection's error). */
gboolean
setl_postgres_connection_fail (SetlPostgresConnection  *conn,
                               PGresult                *result,
                               GCancellable            *cancellable,
                               GError                 **error)
{
  const char *state = result ? PQresultErrorField (result, PG_DIAG_SQLSTATE) : NULL;
  const char *primary = result ? PQresultErrorField (result, PG_DIAG_MESSAGE_PRIMARY) : NULL;
  const char *detail = result ? PQresultErrorField (result, PG_DIAG_MESSAGE_DETAIL) : NULL;

  if (g_strcmp0 (state, "57014") == 0 &&
      (g_cancellable_is_cancelled (cancellable) || g_atomic_int_get (&conn->cancel_sent)))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, "Operation was cancelled");
      return FALSE;
    }
  if (primary != NULL)
    g_set_error (error, SETL_POSTGRES_ERROR, SETL_POSTGRES_ERROR_SQL, "%s%s%s%s%s%s", primary,
                 detail ? " (" : "", detail ? detail : "", detail ? ")" : "",
                 state ? " SQLSTATE " : "", state ? state : "");
  else
    {
      g_autofree char *msg = setl_postgres_one_line (PQerrorMessage (conn->pg));
      g_set_error (error, SETL_POSTGRES_ERROR, SETL_POSTGRES_ERROR_SQL, "%s", msg);
    }
  return FALSE;
}

/**
 * setl_postgres_connection_exec:
 *
 * Runs one statement with text parameters; cancelling @cancellable cancels
 * it on the server.
 *
 * Returns: (transfer full) (nullable): the result (tuples or command OK),
 *   or %NULL with @error set
 */
PGresult *
setl_postgres_connection_exec (SetlPostgresConnection  *conn,
                               const char              *sql,
                               int                      n_params,
                               const char * const      *values,
                               GCancellable            *cancellable,
                               GError                 **error)
{
  PGresult *res;
  ExecStatusType st;

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;
  setl_postgres_connection_watch (conn, cancellable);
  res = PQexecParams (conn->pg, sql, n_params, NULL, values, NULL, NULL, 0);
  st = PQresultStatus (res);
  if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK)
    {
      if (!setl_postgres_connection_unwatch (conn, error))
        {
          PQclear (res);
          return NULL;
        }
      return res;
    }
  setl_postgres_connection_unwatch (conn, NULL);
  setl_postgres_connection_fail (conn, res, cancellable, error);
  PQclear (res);
  return NULL;
}

gboolean
setl_postgres_connection_run (SetlPostgresConnection  *conn,
                              const char              *sql,
                              GCancellable            *cancellable,
                              GError                 **error)
{
  PGresult *res = setl_postgres_connection_exec (conn, sql, 0, NULL, cancellable, error);

  PQclear (res);
  return res != NULL;
}
