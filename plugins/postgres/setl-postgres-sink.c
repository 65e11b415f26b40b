/* setl-postgres-sink.c: writes a stream of batches into a PostgreSQL
 * table, atomically.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/**
 * SetlPostgresSink:
 *
 * The "postgres-sink" feature. Its input slot "in" takes a
 * #SetlBatchStream; `write()` loads it into #SetlPostgresSink:table of
 * #SetlPostgresSink:database in ONE transaction: the rows go by binary
 * `COPY` into a new table under a temporary name, then the old table is
 * dropped and the new one renamed (`replace`); or they go straight into
 * the existing table (`append`). A failure — a bad value, the input failing
 * half-way, cancellation, a server restart — rolls back: the old table is
 * untouched.
 *
 * When the input is a query on the same database (a "postgres-source" or
 * a "postgres-sql" output), no row travels back: the new table is made by
 * `CREATE TABLE … AS` (or `INSERT … SELECT`) inside the server — after
 * loading, in the same transaction, the client-side inputs a "postgres-sql"
 * reads (they travel once, to the server).
 *
 * Columns: bigint, double precision, boolean, text, date, timestamp
 * (timestamptz for a field with a time zone), NOT NULL for non-nullable
 * fields. `get()` returns the number of rows written.
 */
#include "setl-postgres-sink.h"
#include "setl-postgres-copy.h"
#include "setl-postgres-query-stream.h"

struct _SetlPostgresSink
{
  SetlFactory parent_instance;

  char *database;
  char *schema;
  char *table;
  SetlPostgresSinkMode mode;
  guint pool_size;
  gint64 rows_written;
  gboolean pushed_down;
};

static void setl_postgres_sink_cacheable_init (SetlCacheableInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SetlPostgresSink, setl_postgres_sink, SETL_TYPE_FACTORY,
                               G_IMPLEMENT_INTERFACE (SETL_TYPE_CACHEABLE,
                                                      setl_postgres_sink_cacheable_init))

enum {
  PROP_0,
  PROP_DATABASE,
  PROP_SCHEMA,
  PROP_TABLE,
  PROP_MODE,
  PROP_POOL_SIZE,
  PROP_BACKEND,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

typedef struct
{
  SetlPostgresSink *self;
  SetlBatchStream *stream;
} FillData;

/* Rows from the client: CREATE TABLE + binary COPY. */
static gint64
fill_by_copy (SetlPostgresConnection  *conn,
              const char              *qualified,
              gboolean                 create,
              gpointer                 data,
              GCancellable            *cancellable,
              GError                 **error)
{
  FillData *fd = data;

  if (create)
    {
      SetlField **fields;
      guint n_fields;
      g_autofree char *sql = NULL;

      fields = setl_batch_stream_get_fields (fd->stream, &n_fields);
      sql = setl_postgres_create_table_sql (qualified, FALSE, fields, n_fields);
      if (!setl_postgres_connection_run (conn, sql, cancellable, error))
        {
          g_prefix_error (error, "creating the new table: ");
          return -1;
        }
    }
  return setl_postgres_copy_in (conn, qualified, fd->stream, SETL_FACTORY (fd->self), cancellable, error);
}

/* Rows already in the server: the query's result goes straight in. */
static gint64
fill_in_server (SetlPostgresConnection  *conn,
                const char              *qualified,
                gboolean                 create,
                gpointer                 data,
                GCancellable            *cancellable,
                GError                 **error)
{
  FillData *fd = data;
  const char *query = setl_postgres_query_stream_get_sql (SETL_POSTGRES_QUERY_STREAM (fd->stream));
  g_autofree char *sql = NULL;
  PGresult *res;
  gint64 n;

  /* client rows the query reads: loaded into this transaction first */
  if (!setl_postgres_query_stream_in_server (SETL_POSTGRES_QUERY_STREAM (fd->stream)))
    {
      if (!_setl_postgres_query_stream_begin (SETL_POSTGRES_QUERY_STREAM (fd->stream), conn,
                                              cancellable, error) ||
          !setl_postgres_connection_run (conn, "CLOSE setl_cursor", cancellable, error))
        return -1;
    }
  if (create)
    sql = g_strdup_printf ("CREATE TABLE %s AS %s", qualified, query);
  else
    {
      g_autoptr(GString) cols = g_string_new (NULL);
      SetlField **fields;
      guint n_fields;

      fields = setl_batch_stream_get_fields (fd->stream, &n_fields);
      for (guint i = 0; i < n_fields; i++)
        {
          g_autofree char *q = setl_postgres_quote_identifier (setl_field_get_name (fields[i]));
          g_string_append_printf (cols, "%s%s", i ? ", " : "", q);
        }
      sql = g_strdup_printf ("INSERT INTO %s (%s) SELECT * FROM (%s\n) AS setl_input",
                             qualified, cols->str, query);
    }
  res = setl_postgres_connection_exec (conn, sql, 0, NULL, cancellable, error);
  if (res == NULL)
    return -1;
  n = g_ascii_strtoll (PQcmdTuples (res), NULL, 10);
  PQclear (res);
  setl_factory_add_rows (SETL_FACTORY (fd->self), n);
  return n;
}

static gboolean
setl_postgres_sink_write (SetlFactory   *factory,
                          GCancellable  *cancellable,
                          GError       **error)
{
  SetlPostgresSink *self = SETL_POSTGRES_SINK (factory);
  g_autofree char *label = NULL;
  g_autofree char *qualified = NULL;
  SetlPostgresConnection *conn;
  SetlPostgresPool *pool;
  SetlBatchStream *stream;
  guint n_fields;
  FillData fd;
  gint64 written;

  self->rows_written = 0;
  self->pushed_down = FALSE;
  pool = setl_postgres_pool_get (self->database);
  setl_postgres_pool_set_max_size (pool, self->pool_size);
  if (self->table == NULL || *self->table == '\0')
    {
      g_set_error (error, SETL_POSTGRES_ERROR, SETL_POSTGRES_ERROR_CONFIG,
                   "postgres-sink “%s” (PostgreSQL “%s”): no table given (property “table”)",
                   setl_factory_get_name (factory), setl_postgres_pool_get_label (pool));
      return FALSE;
    }
  qualified = setl_postgres_qualified_name (self->schema, self->table);
  label = g_strdup_printf ("postgres-sink “%s”: PostgreSQL “%s”, table %s",
                           setl_factory_get_name (factory), setl_postgres_pool_get_label (pool),
                           qualified);
  stream = setl_factory_get_input_object (factory, "in");
  if (!SETL_IS_BATCH_STREAM (stream))
    {
      g_set_error (error, SETL_POSTGRES_ERROR, SETL_POSTGRES_ERROR_CONFIG,
                   "%s: input slot “in” holds no stream", label);
      return FALSE;
    }
  setl_batch_stream_get_fields (stream, &n_fields);
  if (n_fields == 0)
    {
      g_set_error (error, SETL_POSTGRES_ERROR, SETL_POSTGRES_ERROR_CONFIG,
                   "%s: the input has no columns", label);
      return FALSE;
    }

  conn = setl_postgres_pool_acquire (pool, cancellable, error);
  if (conn == NULL)
    {
      g_prefix_error (error, "%s: ", label);
      return FALSE;
    }
  fd.self = self;
  fd.stream = stream;
  self->pushed_down = setl_postgres_query_stream_runs_on (stream, pool);
  written = setl_postgres_write_table (conn, self->schema, self->table, self->mode,
                                       self->pushed_down ? fill_in_server : fill_by_copy, &fd,
                                       cancellable, error);
  setl_postgres_pool_release (conn);   /* rolls back after a failure */
  if (written < 0)
    {
      g_prefix_error (error, "%s: ", label);
      return FALSE;
    }
  self->rows_written = written;
  return TRUE;
}

static gboolean
setl_postgres_sink_get (SetlFactory  *factory,
                        GValue       *output,
                        GError      **error)
{
  g_value_set_int64 (output, SETL_POSTGRES_SINK (factory)->rows_written);
  return TRUE;
}

/**
 * setl_postgres_sink_get_pushed_down:
 * @self: a sink
 *
 * Returns: whether the last write ran inside the server (its input was a
 *   query on the same database)
 */
gboolean
setl_postgres_sink_get_pushed_down (SetlPostgresSink *self)
{
  return self->pushed_down;
}

static void
setl_postgres_sink_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  SetlPostgresSink *self = SETL_POSTGRES_SINK (object);

  switch (prop_id)
    {
    case PROP_DATABASE: g_free (self->database); self->database = g_value_dup_string (value); break;
    case PROP_SCHEMA: g_free (self->schema); self->schema = g_value_dup_string (value); break;
    case PROP_TABLE: g_free (self->table); self->table = g_value_dup_string (value); break;
    case PROP_MODE: self->mode = g_value_get_enum (value); break;
    case PROP_POOL_SIZE: self->pool_size = g_value_get_uint (value); break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
setl_postgres_sink_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  SetlPostgresSink *self = SETL_POSTGRES_SINK (object);

  switch (prop_id)
    {
    case PROP_DATABASE: g_value_set_string (value, self->database); break;
    case PROP_SCHEMA: g_value_set_string (value, self->schema); break;
    case PROP_TABLE: g_value_set_string (value, self->table); break;
    case PROP_MODE: g_value_set_enum (value, self->mode); break;
    case PROP_POOL_SIZE: g_value_set_uint (value, self->pool_size); break;
    case PROP_BACKEND: g_value_take_string (value, setl_postgres_redact_conninfo (self->database)); break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
setl_postgres_sink_finalize (GObject *object)
{
  SetlPostgresSink *self = SETL_POSTGRES_SINK (object);

  g_free (self->database);
  g_free (self->schema);
  g_free (self->table);
  G_OBJECT_CLASS (setl_postgres_sink_parent_class)->finalize (object);
}

/* "database" is not in the cache key (it may hold a password, and keys are
 * stored and shown): the identity it resolves to, without one, is. */
static gboolean
setl_postgres_sink_add_fingerprint (SetlCacheable         *cacheable,
                       SetlCacheKey          *key,
                       SetlFingerprintFlags   flags,
                       GCancellable          *cancellable,
                       GError               **error)
{
  g_autofree char *identity = NULL;
  char *database = NULL;

  g_object_get (cacheable, "database", &database, NULL);
  identity = setl_postgres_conninfo_identity (database);
  g_free (database);
  setl_cache_key_add (key, "database", identity);
  return TRUE;
}

static void
setl_postgres_sink_cacheable_init (SetlCacheableInterface *iface)
{
  iface->add_fingerprint = setl_postgres_sink_add_fingerprint;
}

static void
setl_postgres_sink_class_init (SetlPostgresSinkClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  SetlFactoryClass *factory_class = SETL_FACTORY_CLASS (klass);

  object_class->set_property = setl_postgres_sink_set_property;
  object_class->get_property = setl_postgres_sink_get_property;
  object_class->finalize = setl_postgres_sink_finalize;
  factory_class->write = setl_postgres_sink_write;
  factory_class->get = setl_postgres_sink_get;
  setl_factory_class_set_output_type (factory_class, G_TYPE_INT64);

  /**
   * SetlPostgresSink:database:
   *
   * The connection: a `postgres://` URI or `key=value` string (libpq's
   * rules; never shown with its password).
   */
  properties[PROP_DATABASE] =
    g_param_spec_string ("database", "Database",
                         "PostgreSQL connection URI or string (libpq rules; password from PGPASSWORD or ~/.pgpass)",
                         NULL, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | SETL_PARAM_NOT_IN_CACHE_KEY);
  /**
   * SetlPostgresSink:schema:
   *
   * The schema of #SetlPostgresSink:table; unset: the search path.
   */
  properties[PROP_SCHEMA] =
    g_param_spec_string ("schema", "Schema", "Schema of “table” (default: the search path)",
                         NULL, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  /**
   * SetlPostgresSink:table:
   *
   * The table to write; any name (it is quoted).
   */
  properties[PROP_TABLE] =
    g_param_spec_string ("table", "Table", "Table to write (any name: it is quoted)",
                         NULL, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  /**
   * SetlPostgresSink:mode:
   *
   * What to do with an existing table: replace it (atomically), append to
   * it, or fail.
   */
  properties[PROP_MODE] =
    g_param_spec_enum ("mode", "Mode", "What to do with an existing table: replace, append or fail-if-exists",
                       SETL_TYPE_POSTGRES_SINK_MODE, SETL_POSTGRES_SINK_MODE_REPLACE,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS);
  /**
   * SetlPostgresSink:pool-size:
   *
   * The most connections the pool of #SetlPostgresSink:database keeps open.
   */
  properties[PROP_POOL_SIZE] =
    g_param_spec_uint ("pool-size", "Pool size", "Most connections open to this database (shared pool)",
                       1, 1024, SETL_POSTGRES_DEFAULT_POOL_SIZE,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS |
                       SETL_PARAM_NOT_IN_CACHE_KEY);
  /**
   * SetlPostgresSink:backend:
   *
   * Where the factory runs: the database, shown without a password.
   */
  properties[PROP_BACKEND] =
    g_param_spec_string ("backend", "Backend", "Where the factory runs: the database, without password",
                         SETL_POSTGRES_DEFAULT_BACKEND, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
setl_postgres_sink_init (SetlPostgresSink *self)
{
  self->pool_size = SETL_POSTGRES_DEFAULT_POOL_SIZE;
  setl_factory_add_input (SETL_FACTORY (self), "in", SETL_TYPE_BATCH_STREAM, SETL_TYPE_EXTERNAL, NULL);
}
