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

G_DEFINE_FINAL_TYPE (SetlPostgresSource, setl_postgres_source, SETL_TYPE_FACTORY)

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
                         NULL, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
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
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS);
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
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS);
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
