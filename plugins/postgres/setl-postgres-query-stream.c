/* setl-postgres-query-stream.c: the rows of a PostgreSQL query as a lazy
 * SetlBatchStream.
 *
 * Creating the stream checks the query on the server without running it
 * (prepare + describe) and settles the column types from the result's type
 * OIDs. Each pass (setl_batch_stream_open()) borrows a pooled connection,
 * opens a transaction and a server-side cursor, and each next() fetches
 * one batch: client memory stays bounded by a batch whatever the result's
 * size. The stream also says where its rows live — its pool and its SQL —
 * so that a "postgres-sql" transform or a "postgres-sink" on the same
 * server can fold it into their own SQL and leave the rows in the server.
 *
 * "Uploads" are client-side input streams the SQL reads as tables: each
 * pass loads them (binary COPY) into temporary tables of the pass's
 * transaction first; they vanish at its end.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "setl-postgres-query-stream.h"
#include "setl-postgres-query-iterator.h"
#include "setl-postgres-copy.h"

struct _SetlPostgresQueryStream
{
  GObject parent_instance;

  SetlPostgresPool *pool;
  char *sql;
  GHashTable *uploads;   /* nullable: name → SetlBatchStream */
  guint batch_size;
  SetlPostgresNumeric numeric;
  char *label;
  GPtrArray *fields;
  guint n_opens;
  char *schema;          /* nullable: the table the query reads whole … */
  char *table;           /* … (setl_postgres_query_stream_set_table()) */
};

static void setl_postgres_query_stream_iface_init (SetlBatchStreamInterface *iface);
static void setl_postgres_query_stream_relation_init (SetlSqlRelationInterface *iface);

/* A SetlSqlRelation too: code outside the plugin (validation hooks) can
 * run SQL over the rows in the server rather than fetch them. */
G_DEFINE_FINAL_TYPE_WITH_CODE (SetlPostgresQueryStream, setl_postgres_query_stream, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (SETL_TYPE_BATCH_STREAM,
                                                      setl_postgres_query_stream_iface_init)
                               G_IMPLEMENT_INTERFACE (SETL_TYPE_SQL_RELATION,
                                                      setl_postgres_query_stream_relation_init))

/* Creates the uploads' temporary tables; with @load, fills them too. */
static gboolean
create_uploads (SetlPostgresQueryStream  *self,
                SetlPostgresConnection   *conn,
                gboolean                  load,
                GCancellable             *cancellable,
                GError                  **error)
{
  GHashTableIter iter;
  gpointer key, value;

  if (self->uploads == NULL)
    return TRUE;
  g_hash_table_iter_init (&iter, self->uploads);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      g_autofree char *quoted = setl_postgres_quote_identifier (key);
      g_autofree char *create = NULL;
      SetlField **fields;
      guint n_fields;

      fields = setl_batch_stream_get_fields (value, &n_fields);
      create = setl_postgres_create_table_sql (quoted, TRUE, fields, n_fields);
      if (!setl_postgres_connection_run (conn, create, cancellable, error) ||
          (load && setl_postgres_copy_in (conn, quoted, value, NULL, cancellable, error) < 0))
        {
          g_prefix_error (error, "input “%s”: ", (const char *) key);
          return FALSE;
        }
    }
  return TRUE;
}

/* Opens a pass on @conn: transaction, uploads, cursor "setl_cursor". */
gboolean
_setl_postgres_query_stream_begin (SetlPostgresQueryStream  *self,
                                   SetlPostgresConnection   *conn,
                                   GCancellable             *cancellable,
                                   GError                  **error)
{
  g_autofree char *declare = g_strdup_printf ("DECLARE setl_cursor NO SCROLL CURSOR FOR %s", self->sql);

  /* a caller may already have opened the transaction (CREATE TABLE … AS) */
  if ((PQtransactionStatus (conn->pg) == PQTRANS_IDLE &&
       !setl_postgres_connection_run (conn, "BEGIN", cancellable, error)) ||
      !create_uploads (self, conn, TRUE, cancellable, error) ||
      !setl_postgres_connection_run (conn, declare, cancellable, error))
    {
      g_prefix_error (error, "%s: ", self->label);
      return FALSE;
    }
  return TRUE;
}

static gboolean
not_null_columns (SetlPostgresConnection  *conn,
                  const char              *table,
                  GHashTable              *names,
                  GCancellable            *cancellable,
                  GError                 **error)
{
  const char *values[1] = { table };
  PGresult *res = setl_postgres_connection_exec (
      conn, "SELECT attname FROM pg_catalog.pg_attribute WHERE attrelid = pg_catalog.to_regclass($1) "
            "AND attnum > 0 AND NOT attisdropped AND attnotnull",
      1, values, cancellable, error);

  if (res == NULL)
    return FALSE;
  for (int i = 0; i < PQntuples (res); i++)
    g_hash_table_add (names, g_strdup (PQgetvalue (res, i, 0)));
  PQclear (res);
  return TRUE;
}

/* Settles the fields by describing the query (nothing runs). */
static gboolean
resolve_fields (SetlPostgresQueryStream  *self,
                const char               *not_null_table,
                GCancellable             *cancellable,
                GError                  **error)
{
  SetlPostgresConnection *conn;
  g_autoptr(GHashTable) not_null = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  PGresult *res = NULL;
  gboolean ok = FALSE;

  conn = setl_postgres_pool_acquire (self->pool, cancellable, error);
  if (conn == NULL)
    {
      g_prefix_error (error, "%s: ", self->label);
      return FALSE;
    }
  if (not_null_table != NULL && !not_null_columns (conn, not_null_table, not_null, cancellable, error))
    goto out;
  if (self->uploads != NULL &&
      (!setl_postgres_connection_run (conn, "BEGIN", cancellable, error) ||
       !create_uploads (self, conn, FALSE, cancellable, error)))
    goto out;

  setl_postgres_connection_watch (conn, cancellable);
  res = PQprepare (conn->pg, "", self->sql, 0, NULL);
  if (PQresultStatus (res) == PGRES_COMMAND_OK)
    {
      PQclear (res);
      res = PQdescribePrepared (conn->pg, "");
    }
  if (PQresultStatus (res) != PGRES_COMMAND_OK)
    {
      setl_postgres_connection_unwatch (conn, NULL);
      setl_postgres_connection_fail (conn, res, cancellable, error);
      goto out;
    }
  if (!setl_postgres_connection_unwatch (conn, error))
    goto out;
  if (PQnfields (res) == 0)
    {
      g_set_error (error, SETL_POSTGRES_ERROR, SETL_POSTGRES_ERROR_CONFIG,
                   "the statement returns no rows (it is not a query)");
      goto out;
    }
  for (int i = 0; i < PQnfields (res); i++)
    {
      const char *name = PQfname (res, i);

      if (!g_hash_table_add (seen, (gpointer) name))
        {
          g_set_error (error, SETL_POSTGRES_ERROR, SETL_POSTGRES_ERROR_CONFIG,
                       "the result has two columns named “%s”; rename one with AS", name);
          goto out;
        }
      g_ptr_array_add (self->fields,
                       setl_postgres_field_for_oid (name, PQftype (res, i), self->numeric,
                                                    !g_hash_table_contains (not_null, name)));
    }
  ok = TRUE;

out:
  PQclear (res);
  if (!ok)
    g_prefix_error (error, "%s: ", self->label);
  setl_postgres_pool_release (conn);   /* rolls the uploads' tables back */
  return ok;
}

static SetlField **
setl_postgres_query_stream_get_fields (SetlBatchStream *stream,
                                       guint           *n_fields)
{
  SetlPostgresQueryStream *self = SETL_POSTGRES_QUERY_STREAM (stream);

  *n_fields = self->fields->len;
  return (SetlField **) self->fields->pdata;
}

static SetlBatchIterator *
setl_postgres_query_stream_open (SetlBatchStream  *stream,
                                 GCancellable     *cancellable,
                                 GError          **error)
{
  SetlPostgresQueryStream *self = SETL_POSTGRES_QUERY_STREAM (stream);
  SetlPostgresConnection *conn;

  conn = setl_postgres_pool_acquire (self->pool, cancellable, error);
  if (conn == NULL)
    {
      g_prefix_error (error, "%s: ", self->label);
      return NULL;
    }
  if (!_setl_postgres_query_stream_begin (self, conn, cancellable, error))
    {
      setl_postgres_pool_release (conn);
      return NULL;
    }
  g_atomic_int_inc (&self->n_opens);
  return setl_postgres_query_iterator_new (self, conn, self->batch_size);
}

static void
setl_postgres_query_stream_iface_init (SetlBatchStreamInterface *iface)
{
  iface->get_fields = setl_postgres_query_stream_get_fields;
  iface->open = setl_postgres_query_stream_open;
}

/* ---- SetlSqlRelation ------------------------------------------------ */

static const char *
setl_postgres_query_stream_get_dialect (SetlSqlRelation *relation)
{
  return "postgresql";
}

static char *
setl_postgres_query_stream_get_query (SetlSqlRelation *relation)
{
  SetlPostgresQueryStream *self = SETL_POSTGRES_QUERY_STREAM (relation);

  /* Uploads exist only inside a pass's transaction. */
  return self->uploads == NULL ? g_strdup (self->sql) : NULL;
}

static char *
setl_postgres_query_stream_get_table (SetlSqlRelation  *relation,
                                      char            **schema)
{
  SetlPostgresQueryStream *self = SETL_POSTGRES_QUERY_STREAM (relation);

  *schema = g_strdup (self->schema);
  return self->uploads == NULL ? g_strdup (self->table) : NULL;
}

static char *
setl_postgres_query_stream_get_location (SetlSqlRelation *relation)
{
  /* the pool's label: the connection without its password */
  return g_strdup (setl_postgres_pool_get_label (SETL_POSTGRES_QUERY_STREAM (relation)->pool));
}

static gboolean
setl_postgres_query_stream_run (SetlSqlRelation  *relation,
                                const char       *sql,
                                SetlSqlRowFunc    func,
                                gpointer          user_data,
                                GCancellable     *cancellable,
                                GError          **error)
{
  SetlPostgresQueryStream *self = SETL_POSTGRES_QUERY_STREAM (relation);
  SetlPostgresConnection *conn;
  g_autofree const char **values = NULL;
  PGresult *res = NULL;
  gboolean ok = TRUE;
  int n;

  conn = setl_postgres_pool_acquire (self->pool, cancellable, error);
  if (conn == NULL)
    {
      g_prefix_error (error, "%s: ", self->label);
      return FALSE;
    }
  /* Uploads (if any) first, in one transaction with the query. */
  if (self->uploads != NULL &&
      (!setl_postgres_connection_run (conn, "BEGIN", cancellable, error) ||
       !create_uploads (self, conn, TRUE, cancellable, error)))
    ok = FALSE;
  if (ok)
    res = setl_postgres_connection_exec (conn, sql, 0, NULL, cancellable, error);
  if (res == NULL)
    {
      g_prefix_error (error, "%s: ", self->label);
      setl_postgres_pool_release (conn);
      return FALSE;
    }
  n = PQnfields (res);
  values = g_new0 (const char *, MAX (n, 1));
  for (int row = 0; ok && row < PQntuples (res); row++)
    {
      for (int i = 0; i < n; i++)
        values[i] = PQgetisnull (res, row, i) ? NULL : PQgetvalue (res, row, i);
      ok = func (values, (guint) n, user_data, error);
    }
  PQclear (res);
  setl_postgres_pool_release (conn);   /* rolls an open transaction back */
  return ok;
}

static void
setl_postgres_query_stream_relation_init (SetlSqlRelationInterface *iface)
{
  iface->get_dialect = setl_postgres_query_stream_get_dialect;
  iface->get_query = setl_postgres_query_stream_get_query;
  iface->get_table = setl_postgres_query_stream_get_table;
  iface->get_location = setl_postgres_query_stream_get_location;
  iface->run = setl_postgres_query_stream_run;
}

static void
setl_postgres_query_stream_finalize (GObject *object)
{
  SetlPostgresQueryStream *self = SETL_POSTGRES_QUERY_STREAM (object);

  g_free (self->sql);
  g_free (self->label);
  g_free (self->schema);
  g_free (self->table);
  g_clear_pointer (&self->uploads, g_hash_table_unref);
  g_ptr_array_unref (self->fields);
  G_OBJECT_CLASS (setl_postgres_query_stream_parent_class)->finalize (object);
}

static void
setl_postgres_query_stream_class_init (SetlPostgresQueryStreamClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = setl_postgres_query_stream_finalize;
}

static void
setl_postgres_query_stream_init (SetlPostgresQueryStream *self)
{
  self->fields = g_ptr_array_new_with_free_func (g_object_unref);
}

/**
 * setl_postgres_query_stream_new:
 * @pool: where the query runs
 * @sql: one SELECT (or VALUES, TABLE …) statement
 * @not_null_table: (nullable): a quoted table name whose NOT NULL columns
 *   become non-nullable fields
 * @uploads: (nullable) (element-type utf8 SetlBatchStream): client streams
 *   the query reads as temporary tables of those names
 * @batch_size: rows per batch (and per FETCH)
 * @numeric: how `numeric` columns are read
 * @label: what errors call the query (never holding a password)
 * @cancellable: (nullable): cancels the check
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the stream, or %NULL with @error set
 */
SetlPostgresQueryStream *
setl_postgres_query_stream_new (SetlPostgresPool     *pool,
                                const char           *sql,
                                const char           *not_null_table,
                                GHashTable           *uploads,
                                guint                 batch_size,
                                SetlPostgresNumeric   numeric,
                                const char           *label,
                                GCancellable         *cancellable,
                                GError              **error)
{
  g_autoptr(SetlPostgresQueryStream) self = g_object_new (SETL_TYPE_POSTGRES_QUERY_STREAM, NULL);

  self->pool = pool;
  self->sql = g_strdup (sql);
  self->uploads = uploads != NULL && g_hash_table_size (uploads) > 0 ? g_hash_table_ref (uploads) : NULL;
  self->batch_size = MAX (batch_size, 1);
  self->numeric = numeric;
  self->label = g_strdup (label);
  if (!resolve_fields (self, not_null_table, cancellable, error))
    return NULL;
  return g_steal_pointer (&self);
}

/* The table (unquoted, with its schema or NULL) the query reads whole,
 * for SetlSqlRelation's get_table. */
void
setl_postgres_query_stream_set_table (SetlPostgresQueryStream *self,
                                      const char              *schema,
                                      const char              *table)
{
  g_free (self->schema);
  g_free (self->table);
  self->schema = schema != NULL && *schema != '\0' ? g_strdup (schema) : NULL;
  self->table = g_strdup (table);
}

SetlPostgresPool *
setl_postgres_query_stream_get_pool (SetlPostgresQueryStream *self)
{
  return self->pool;
}

const char *
setl_postgres_query_stream_get_sql (SetlPostgresQueryStream *self)
{
  return self->sql;
}

const char *
setl_postgres_query_stream_get_label (SetlPostgresQueryStream *self)
{
  return self->label;
}

/* Whether every row the query reads is already in the server. */
gboolean
setl_postgres_query_stream_in_server (SetlPostgresQueryStream *self)
{
  return self->uploads == NULL;
}

guint
setl_postgres_query_stream_get_n_opens (SetlPostgresQueryStream *self)
{
  return (guint) g_atomic_int_get (&self->n_opens);
}

/* Whether @stream is a query on @pool's server that needs no client rows:
 * then SQL on that server can read it as a subquery. (One with uploads can
 * still run there, after _setl_postgres_query_stream_begin() loaded them
 * into the same transaction: see setl_postgres_query_stream_runs_on().) */
gboolean
setl_postgres_query_stream_same_server (SetlBatchStream  *stream,
                                        SetlPostgresPool *pool)
{
  return SETL_IS_POSTGRES_QUERY_STREAM (stream) &&
         SETL_POSTGRES_QUERY_STREAM (stream)->pool == pool &&
         SETL_POSTGRES_QUERY_STREAM (stream)->uploads == NULL;
}

/* Whether @stream's query can run on @pool's server, its uploads (if any)
 * loaded into the caller's transaction first. */
gboolean
setl_postgres_query_stream_runs_on (SetlBatchStream  *stream,
                                    SetlPostgresPool *pool)
{
  return SETL_IS_POSTGRES_QUERY_STREAM (stream) &&
         SETL_POSTGRES_QUERY_STREAM (stream)->pool == pool;
}
