/* setl-postgres-source.c: reads a table or a query from PostgreSQL, batch
 * by batch.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/**
 * SetlPostgresSource:
 *
 * The "postgres-source" feature. Set #SetlPostgresSource:database (a libpq
 * connection URI or string) and either #SetlPostgresSource:table (with an
 * optional #SetlPostgresSource:schema) or #SetlPostgresSource:query.
 * `read()` checks the statement on the server without running it and
 * settles the column types; the output is a lazy #SetlBatchStream: each
 * pass runs the statement through a server-side cursor and fetches
 * #SetlPostgresSource:batch-size rows at a time, so client memory stays
 * bounded by a batch. A "postgres-sql" transform or a "postgres-sink" on
 * the same database reads the output inside the server instead: no row
 * travels through the client.
 */
#include "setl-postgres-source.h"
#include "setl-postgres-query-stream.h"
#include "setl-postgres-pool.h"

#include <string.h>

struct _SetlPostgresSource
{
  SetlFactory parent_instance;

  char *database;
  char *schema;
  char *table;
  char *query;
  guint batch_size;
  guint pool_size;
  SetlPostgresNumeric numeric;
  SetlPostgresQueryStream *stream;
};

static void setl_postgres_source_cacheable_init (SetlCacheableInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SetlPostgresSource, setl_postgres_source, SETL_TYPE_FACTORY,
                               G_IMPLEMENT_INTERFACE (SETL_TYPE_CACHEABLE,
                                                      setl_postgres_source_cacheable_init))

enum {
  PROP_0,
  PROP_DATABASE,
  PROP_SCHEMA,
  PROP_TABLE,
  PROP_QUERY,
  PROP_BATCH_SIZE,
  PROP_NUMERIC,
  PROP_POOL_SIZE,
  PROP_BACKEND,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static gboolean
setl_postgres_source_read (SetlFactory   *factory,
                           GCancellable  *cancellable,
                           GError       **error)
{
  SetlPostgresSource *self = SETL_POSTGRES_SOURCE (factory);
  SetlPostgresPool *pool;
  g_autofree char *label = NULL;
  g_autofree char *sql = NULL;
  g_autofree char *qualified = NULL;
  gboolean has_table = self->table != NULL && *self->table != '\0';
  gboolean has_query = self->query != NULL && *self->query != '\0';

  g_clear_object (&self->stream);
  pool = setl_postgres_pool_get (self->database);
  setl_postgres_pool_set_max_size (pool, self->pool_size);
  if (has_table == has_query)
    {
      g_set_error (error, SETL_POSTGRES_ERROR, SETL_POSTGRES_ERROR_CONFIG,
                   "postgres-source “%s” (PostgreSQL “%s”): set exactly one of “table” and “query”",
                   setl_factory_get_name (factory), setl_postgres_pool_get_label (pool));
      return FALSE;
    }
  if (has_table)
    {
      qualified = setl_postgres_qualified_name (self->schema, self->table);
      sql = g_strdup_printf ("SELECT * FROM %s", qualified);
      label = g_strdup_printf ("postgres-source “%s”: PostgreSQL “%s”, table %s",
                               setl_factory_get_name (factory), setl_postgres_pool_get_label (pool),
                               qualified);
    }
  else
    {
      g_autofree char *short_query = setl_postgres_abbreviate (self->query);
      sql = setl_postgres_strip_statement (self->query);
      label = g_strdup_printf ("postgres-source “%s”: PostgreSQL “%s”, query “%s”",
                               setl_factory_get_name (factory), setl_postgres_pool_get_label (pool),
                               short_query);
    }
  self->stream = setl_postgres_query_stream_new (pool, sql, qualified, NULL, self->batch_size,
                                                 self->numeric, label, cancellable, error);
  if (self->stream != NULL && has_table)
    setl_postgres_query_stream_set_table (self->stream, self->schema, self->table);
  return self->stream != NULL;
}

static gboolean
setl_postgres_source_get (SetlFactory  *factory,
                          GValue       *output,
                          GError      **error)
{
  SetlPostgresSource *self = SETL_POSTGRES_SOURCE (factory);

  if (self->stream == NULL)
    {
      g_set_error (error, SETL_POSTGRES_ERROR, SETL_POSTGRES_ERROR_CONFIG,
                   "postgres-source “%s”: get() before a successful read()",
                   setl_factory_get_name (factory));
      return FALSE;
    }
  g_value_set_object (output, self->stream);
  return TRUE;
}

/* The cache's view of what the source reads (see SetlCacheable).
 *
 * A table's cheap facts, from the catalog and the cumulative statistics:
 * its oid and relfilenode (new after TRUNCATE, VACUUM FULL, a rewriting
 * ALTER, or a drop and re-create), its columns, and the rows inserted,
 * updated and deleted in it since the statistics were reset. Those
 * counters only grow, and count rolled-back writes too: a change always
 * changes them — once the writer's statistics reach shared memory: a
 * session publishes them when it goes idle, but no more than once a second
 * (PGSTAT_MIN_INTERVAL); deferred, they wait for its idle timer, up to 10 s
 * later (PGSTAT_IDLE_INTERVAL; measured: 10.2 s on PostgreSQL 15), or up to
 * a minute under contention — at once after pg_stat_force_next_flush() in
 * that session, or when it disconnects. Views, partitioned and foreign tables have no such facts:
 * like a query, whatever they read is unknown, so they are not cached —
 * unless the cache asks for content fingerprints, when the rows the
 * source would read are hashed in the server (the whole relation or query
 * is read there; no row comes to the client). */
static const char table_facts_sql[] =
  "SELECT c.oid, c.relkind, c.relfilenode, current_setting('track_counts'),"
  " pg_stat_get_tuples_inserted(c.oid), pg_stat_get_tuples_updated(c.oid),"
  " pg_stat_get_tuples_deleted(c.oid),"
  " (SELECT string_agg(quote_ident(a.attname) || ' ' || format_type(a.atttypid, a.atttypmod)"
  "                    || CASE WHEN a.attnotnull THEN ' not null' ELSE '' END, ', ' ORDER BY a.attnum)"
  "    FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped)"
  " FROM pg_class c WHERE c.oid = to_regclass($1)";

/* An order-independent hash of the rows' text: the sum of their md5s,
 * as two 64-bit halves, with the row count. Row order does not count
 * (a source's order is not defined either), and memory stays constant. */
#define CONTENT_HASH_SELECT \
  "SELECT count(*), coalesce(sum(('x' || substr(h, 1, 16))::bit(64)::bigint::numeric), 0)," \
  " coalesce(sum(('x' || substr(h, 17, 16))::bit(64)::bigint::numeric), 0)" \
  " FROM (SELECT md5(t::text) AS h FROM "

static gboolean
add_content_hash (SetlPostgresSource      *self,
                  SetlPostgresConnection  *conn,
                  SetlCacheKey            *key,
                  const char              *from,
                  GCancellable            *cancellable,
                  GError                 **error)
{
  g_autofree char *sql = g_strdup_printf (CONTENT_HASH_SELECT "%s AS t) AS s", from);
  PGresult *res = setl_postgres_connection_exec (conn, sql, 0, NULL, cancellable, error);

  if (res == NULL)
    {
      g_prefix_error (error, "postgres-source “%s”: cannot hash what it reads: ",
                      setl_factory_get_name (SETL_FACTORY (self)));
      return FALSE;
    }
  setl_cache_key_add_printf (key, "input:content", "%s rows, %s %s", PQgetvalue (res, 0, 0),
                             PQgetvalue (res, 0, 1), PQgetvalue (res, 0, 2));
  PQclear (res);
  return TRUE;
}

static gboolean
add_table_fingerprint (SetlPostgresSource      *self,
                       SetlPostgresConnection  *conn,
                       SetlCacheKey            *key,
                       SetlFingerprintFlags     flags,
                       GCancellable            *cancellable,
                       GError                 **error)
{
  const char *name = setl_factory_get_name (SETL_FACTORY (self));
  g_autofree char *qualified = setl_postgres_qualified_name (self->schema, self->table);
  const char *params[] = { qualified };
  PGresult *res = setl_postgres_connection_exec (conn, table_facts_sql, 1, params, cancellable, error);
  const char *relkind;
  gboolean ok;

  if (res == NULL)
    {
      g_prefix_error (error, "postgres-source “%s”: cannot look table %s up: ", name, qualified);
      return FALSE;
    }
  if (PQntuples (res) == 0)
    {
      PQclear (res);
      g_set_error (error, SETL_POSTGRES_ERROR, SETL_POSTGRES_ERROR_SQL,
                   "postgres-source “%s”: no table %s", name, qualified);
      return FALSE;
    }
  relkind = PQgetvalue (res, 0, 1);
  /* The columns, whatever the mode: ADD COLUMN changes neither the file
   * nor the counters. */
  setl_cache_key_add_printf (key, "input:table", "%s (%s)", qualified, PQgetvalue (res, 0, 7));
  if (flags & SETL_FINGERPRINT_CONTENT)
    {
      PQclear (res);
      return add_content_hash (self, conn, key, qualified, cancellable, error);
    }
  if (strcmp (relkind, "r") != 0 && strcmp (relkind, "m") != 0)
    {
      g_set_error (error, SETL_POSTGRES_ERROR, SETL_POSTGRES_ERROR_CONFIG,
                   "postgres-source “%s”: %s is a %s: what it reads cannot be fingerprinted "
                   "cheaply, so it is not cached (a cache with \"fingerprint\": \"content\" "
                   "hashes its rows)", name, qualified,
                   strcmp (relkind, "v") == 0 ? "view" :
                   strcmp (relkind, "p") == 0 ? "partitioned table" :
                   strcmp (relkind, "f") == 0 ? "foreign table" : "relation without statistics");
      PQclear (res);
      return FALSE;
    }
  ok = strcmp (PQgetvalue (res, 0, 3), "on") == 0;
  if (!ok)
    g_set_error (error, SETL_POSTGRES_ERROR, SETL_POSTGRES_ERROR_CONFIG,
                 "postgres-source “%s”: the server counts no writes (track_counts is off), "
                 "so changes to %s cannot be noticed: not cached (a cache with "
                 "\"fingerprint\": \"content\" hashes its rows)", name, qualified);
  else
    setl_cache_key_add_printf (key, "input:table-stats",
                               "oid %s, relfilenode %s, inserted %s, updated %s, deleted %s",
                               PQgetvalue (res, 0, 0), PQgetvalue (res, 0, 2),
                               PQgetvalue (res, 0, 4), PQgetvalue (res, 0, 5),
                               PQgetvalue (res, 0, 6));
  PQclear (res);
  return ok;
}

static gboolean
add_query_fingerprint (SetlPostgresSource      *self,
                       SetlPostgresConnection  *conn,
                       SetlCacheKey            *key,
                       GCancellable            *cancellable,
                       GError                 **error)
{
  g_autofree char *stripped = setl_postgres_strip_statement (self->query);
  g_autofree char *from = g_strdup_printf ("(%s)", stripped);
  g_autofree char *describe = g_strdup_printf ("SELECT * FROM %s AS t LIMIT 0", from);
  g_autoptr(GString) columns = g_string_new (NULL);
  PGresult *res = setl_postgres_connection_exec (conn, describe, 0, NULL, cancellable, error);

  if (res == NULL)
    {
      g_prefix_error (error, "postgres-source “%s”: cannot describe its query: ",
                      setl_factory_get_name (SETL_FACTORY (self)));
      return FALSE;
    }
  /* The result's columns: the query text is in the key already, but the
   * tables it reads may change types. */
  for (int i = 0; i < PQnfields (res); i++)
    g_string_append_printf (columns, "%s%s %u", i ? ", " : "", PQfname (res, i), PQftype (res, i));
  PQclear (res);
  setl_cache_key_add (key, "input:query-columns", columns->str);
  return add_content_hash (self, conn, key, from, cancellable, error);
}

static gboolean
setl_postgres_source_add_fingerprint (SetlCacheable         *cacheable,
                                      SetlCacheKey          *key,
                                      SetlFingerprintFlags   flags,
                                      GCancellable          *cancellable,
                                      GError               **error)
{
  SetlPostgresSource *self = SETL_POSTGRES_SOURCE (cacheable);
  const char *name = setl_factory_get_name (SETL_FACTORY (self));
  gboolean has_table = self->table != NULL && *self->table != '\0';
  gboolean has_query = self->query != NULL && *self->query != '\0';
  g_autofree char *identity = setl_postgres_conninfo_identity (self->database);
  SetlPostgresPool *pool;
  SetlPostgresConnection *conn;
  gboolean ok;

  /* Where it reads, without the password (the "database" property is not
   * in the key: it may hold one, and entries and `setl cache explain`
   * show the key's ingredients). */
  setl_cache_key_add (key, "input:database", identity);
  if (has_table == has_query)
    {
      g_set_error (error, SETL_POSTGRES_ERROR, SETL_POSTGRES_ERROR_CONFIG,
                   "postgres-source “%s”: set exactly one of “table” and “query”", name);
      return FALSE;
    }
  if (has_query && !(flags & SETL_FINGERPRINT_CONTENT))
    {
      /* Nothing cheap tells when what a query reads changed. */
      g_set_error (error, SETL_POSTGRES_ERROR, SETL_POSTGRES_ERROR_CONFIG,
                   "postgres-source “%s”: a query's result has no cheap fingerprint, so it is "
                   "not cached and runs every time (a cache with \"fingerprint\": \"content\" "
                   "hashes its rows; a \"table\" is fingerprinted cheaply)", name);
      return FALSE;
    }
  pool = setl_postgres_pool_get (self->database);
  setl_postgres_pool_set_max_size (pool, self->pool_size);
  conn = setl_postgres_pool_acquire (pool, cancellable, error);
  if (conn == NULL)
    return FALSE;
  if (has_table)
    ok = add_table_fingerprint (self, conn, key, flags, cancellable, error);
  else
    ok = add_query_fingerprint (self, conn, key, cancellable, error);
  setl_postgres_pool_release (conn);
  return ok;
}

static void
setl_postgres_source_cacheable_init (SetlCacheableInterface *iface)
{
  iface->add_fingerprint = setl_postgres_source_add_fingerprint;
}

static void
setl_postgres_source_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  SetlPostgresSource *self = SETL_POSTGRES_SOURCE (object);

  switch (prop_id)
    {
    case PROP_DATABASE: g_free (self->database); self->database = g_value_dup_string (value); break;
    case PROP_SCHEMA: g_free (self->schema); self->schema = g_value_dup_string (value); break;
    case PROP_TABLE: g_free (self->table); self->table = g_value_dup_string (value); break;
    case PROP_QUERY: g_free (self->query); self->query = g_value_dup_string (value); break;
    case PROP_BATCH_SIZE: self->batch_size = g_value_get_uint (value); break;
    case PROP_NUMERIC: self->numeric = g_value_get_enum (value); break;
    case PROP_POOL_SIZE: self->pool_size = g_value_get_uint (value); break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
setl_postgres_source_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  SetlPostgresSource *self = SETL_POSTGRES_SOURCE (object);

  switch (prop_id)
    {
    case PROP_DATABASE: g_value_set_string (value, self->database); break;
    case PROP_SCHEMA: g_value_set_string (value, self->schema); break;
    case PROP_TABLE: g_value_set_string (value, self->table); break;
    case PROP_QUERY: g_value_set_string (value, self->query); break;
    case PROP_BATCH_SIZE: g_value_set_uint (value, self->batch_size); break;
    case PROP_NUMERIC: g_value_set_enum (value, self->numeric); break;
    case PROP_POOL_SIZE: g_value_set_uint (value, self->pool_size); break;
    case PROP_BACKEND: g_value_take_string (value, setl_postgres_redact_conninfo (self->database)); break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
setl_postgres_source_finalize (GObject *object)
{
  SetlPostgresSource *self = SETL_POSTGRES_SOURCE (object);

  g_free (self->database);
  g_free (self->schema);
  g_free (self->table);
  g_free (self->query);
  g_clear_object (&self->stream);
  G_OBJECT_CLASS (setl_postgres_source_parent_class)->finalize (object);
}

static void
setl_postgres_source_class_init (SetlPostgresSourceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  SetlFactoryClass *factory_class = SETL_FACTORY_CLASS (klass);

  object_class->set_property = setl_postgres_source_set_property;
  object_class->get_property = setl_postgres_source_get_property;
  object_class->finalize = setl_postgres_source_finalize;
  factory_class->read = setl_postgres_source_read;
  factory_class->get = setl_postgres_source_get;
  setl_factory_class_set_output_type (factory_class, SETL_TYPE_BATCH_STREAM);

  /**
   * SetlPostgresSource:database:
   *
   * The connection: a `postgresql://` URI or a `key=value` string, by
   * libpq's rules (unset parts come from PGHOST, PGDATABASE…; the password
   * from PGPASSWORD or ~/.pgpass). It is never shown: errors, logs and
   * #SetlPostgresSource:backend show it without a password.
   */
  properties[PROP_DATABASE] =
    g_param_spec_string ("database", "Database",
                         "PostgreSQL connection URI or string (libpq rules; password from PGPASSWORD or ~/.pgpass)",
                         NULL, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | SETL_PARAM_NOT_IN_CACHE_KEY);
  /**
   * SetlPostgresSource:schema:
   *
   * The schema of #SetlPostgresSource:table; unset: the search path.
   */
  properties[PROP_SCHEMA] =
    g_param_spec_string ("schema", "Schema", "Schema of “table” (default: the search path)",
                         NULL, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  /**
   * SetlPostgresSource:table:
   *
   * The table or view to read whole (any name: it is quoted).
   */
  properties[PROP_TABLE] =
    g_param_spec_string ("table", "Table", "Table or view to read whole (or set “query”)",
                         NULL, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  /**
   * SetlPostgresSource:query:
   *
   * One SELECT statement whose rows are the output.
   */
  properties[PROP_QUERY] =
    g_param_spec_string ("query", "Query", "One SQL SELECT statement whose rows are read (or set “table”)",
                         NULL, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  /**
   * SetlPostgresSource:batch-size:
   *
   * Rows per record batch, fetched from the cursor at once.
   */
  properties[PROP_BATCH_SIZE] =
    g_param_spec_uint ("batch-size", "Batch size", "Rows per record batch (one FETCH each)",
                       1, G_MAXINT32, SETL_POSTGRES_DEFAULT_BATCH_SIZE,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS |
                       SETL_PARAM_NOT_IN_CACHE_KEY);
  /**
   * SetlPostgresSource:numeric:
   *
   * How `numeric` columns are read: as doubles, or as their exact text.
   */
  properties[PROP_NUMERIC] =
    g_param_spec_enum ("numeric", "Numeric", "How numeric columns are read: double or string (exact)",
                       SETL_TYPE_POSTGRES_NUMERIC, SETL_POSTGRES_NUMERIC_DOUBLE,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS);
  /**
   * SetlPostgresSource:pool-size:
   *
   * The most connections the pool of #SetlPostgresSource:database keeps
   * open (one pool per connection string, shared by every factory).
   */
  properties[PROP_POOL_SIZE] =
    g_param_spec_uint ("pool-size", "Pool size", "Most connections open to this database (shared pool)",
                       1, 1024, SETL_POSTGRES_DEFAULT_POOL_SIZE,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS |
                       SETL_PARAM_NOT_IN_CACHE_KEY);
  /**
   * SetlPostgresSource:backend:
   *
   * Where the factory runs: the database, shown without a password.
   */
  properties[PROP_BACKEND] =
    g_param_spec_string ("backend", "Backend", "Where the factory runs: the database, without password",
                         SETL_POSTGRES_DEFAULT_BACKEND, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
setl_postgres_source_init (SetlPostgresSource *self)
{
  self->batch_size = SETL_POSTGRES_DEFAULT_BATCH_SIZE;
  self->pool_size = SETL_POSTGRES_DEFAULT_POOL_SIZE;
}
