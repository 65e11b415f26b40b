/* setl-sqlite-source.c: reads a table or a query's rows from an SQLite
 * database, batch by batch.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/**
 * SetlSqliteSource:
 *
 * The "sqlite-source" feature. Set #SetlSqliteSource:database and either
 * #SetlSqliteSource:table or #SetlSqliteSource:query. `read()` opens the
 * database, checks the statement and settles the column types (declared
 * types, or a sample of the rows when SQLite has none); the output is a lazy
 * #SetlBatchStream: each pass over it runs the statement again and steps
 * #SetlSqliteSource:batch-size rows at a time, so memory stays bounded by a
 * batch. The database is opened read-only.
 */
#include "setl-sqlite-source.h"
#include "setl-sqlite-query-stream.h"

struct _SetlSqliteSource
{
  SetlFactory parent_instance;

  char *database;
  char *table;
  char *query;
  guint batch_size;
  SetlSqliteQueryStream *stream;
};

static void setl_sqlite_source_cacheable_init (SetlCacheableInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SetlSqliteSource, setl_sqlite_source, SETL_TYPE_FACTORY,
                               G_IMPLEMENT_INTERFACE (SETL_TYPE_CACHEABLE,
                                                      setl_sqlite_source_cacheable_init))

enum {
  PROP_0,
  PROP_DATABASE,
  PROP_TABLE,
  PROP_QUERY,
  PROP_BATCH_SIZE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static gboolean
setl_sqlite_source_read (SetlFactory   *factory,
                         GCancellable  *cancellable,
                         GError       **error)
{
  SetlSqliteSource *self = SETL_SQLITE_SOURCE (factory);
  g_autofree char *label = NULL;
  g_autofree char *sql = NULL;
  gboolean has_table = self->table != NULL && *self->table != '\0';
  gboolean has_query = self->query != NULL && *self->query != '\0';

  g_clear_object (&self->stream);
  if (self->database == NULL || *self->database == '\0')
    {
      g_set_error (error, SETL_SQLITE_ERROR, SETL_SQLITE_ERROR_CONFIG,
                   "sqlite-source “%s”: no database given (property “database”)",
                   setl_factory_get_name (factory));
      return FALSE;
    }
  if (has_table == has_query)
    {
      g_set_error (error, SETL_SQLITE_ERROR, SETL_SQLITE_ERROR_CONFIG,
                   "sqlite-source “%s” (database “%s”): set exactly one of “table” and “query”",
                   setl_factory_get_name (factory), self->database);
      return FALSE;
    }
  if (has_table)
    {
      g_autofree char *quoted = setl_sqlite_quote_identifier (self->table);
      sql = g_strdup_printf ("SELECT * FROM %s", quoted);
      label = g_strdup_printf ("sqlite-source “%s”: SQLite database “%s”, table “%s”",
                               setl_factory_get_name (factory), self->database, self->table);
    }
  else
    {
      g_autofree char *short_query = setl_sqlite_abbreviate (self->query);
      sql = g_strdup (self->query);
      label = g_strdup_printf ("sqlite-source “%s”: SQLite database “%s”, query “%s”",
                               setl_factory_get_name (factory), self->database, short_query);
    }
  self->stream = setl_sqlite_query_stream_new (self->database, SETL_SQLITE_OPEN_READ_ONLY, sql,
                                               has_table ? self->table : NULL, NULL,
                                               self->batch_size, label, cancellable, error);
  return self->stream != NULL;
}

static gboolean
setl_sqlite_source_get (SetlFactory  *factory,
                        GValue       *output,
                        GError      **error)
{
  SetlSqliteSource *self = SETL_SQLITE_SOURCE (factory);

  if (self->stream == NULL)
    {
      g_set_error (error, SETL_SQLITE_ERROR, SETL_SQLITE_ERROR_CONFIG,
                   "sqlite-source “%s”: get() before a successful read()",
                   setl_factory_get_name (factory));
      return FALSE;
    }
  g_value_set_object (output, self->stream);
  return TRUE;
}

static void
setl_sqlite_source_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  SetlSqliteSource *self = SETL_SQLITE_SOURCE (object);

  switch (prop_id)
    {
    case PROP_DATABASE:
      g_free (self->database);
      self->database = g_value_dup_string (value);
      break;
    case PROP_TABLE:
      g_free (self->table);
      self->table = g_value_dup_string (value);
      break;
    case PROP_QUERY:
      g_free (self->query);
      self->query = g_value_dup_string (value);
      break;
    case PROP_BATCH_SIZE:
      self->batch_size = g_value_get_uint (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
setl_sqlite_source_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  SetlSqliteSource *self = SETL_SQLITE_SOURCE (object);

  switch (prop_id)
    {
    case PROP_DATABASE: g_value_set_string (value, self->database); break;
    case PROP_TABLE: g_value_set_string (value, self->table); break;
    case PROP_QUERY: g_value_set_string (value, self->query); break;
    case PROP_BATCH_SIZE: g_value_set_uint (value, self->batch_size); break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
setl_sqlite_source_finalize (GObject *object)
{
  SetlSqliteSource *self = SETL_SQLITE_SOURCE (object);

  g_free (self->database);
  g_free (self->table);
  g_free (self->query);
  g_clear_object (&self->stream);
  G_OBJECT_CLASS (setl_sqlite_source_parent_class)->finalize (object);
}

/* The cache notices when the database changes (see SetlCacheable): any
 * write to the file, or to its write-ahead log; read() reports a missing
 * one. */
static gboolean
setl_sqlite_source_add_fingerprint (SetlCacheable         *cacheable,
                                    SetlCacheKey          *key,
                                    SetlFingerprintFlags   flags,
                                    GCancellable          *cancellable,
                                    GError               **error)
{
  SetlSqliteSource *self = SETL_SQLITE_SOURCE (cacheable);

  if (self->database == NULL || *self->database == '\0')
    return TRUE;
  if (!setl_cache_key_add_file (key, "input:database", self->database, flags, cancellable, error))
    return FALSE;
  {
    g_autofree char *wal = g_strconcat (self->database, "-wal", NULL);
    g_autofree char *fingerprint = setl_cache_file_fingerprint (wal);

    setl_cache_key_add (key, "input:database-wal", fingerprint ? fingerprint : "none");
  }
  return TRUE;
}

static void
setl_sqlite_source_cacheable_init (SetlCacheableInterface *iface)
{
  iface->add_fingerprint = setl_sqlite_source_add_fingerprint;
}

static void
setl_sqlite_source_class_init (SetlSqliteSourceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  SetlFactoryClass *factory_class = SETL_FACTORY_CLASS (klass);

  object_class->set_property = setl_sqlite_source_set_property;
  object_class->get_property = setl_sqlite_source_get_property;
  object_class->finalize = setl_sqlite_source_finalize;
  factory_class->read = setl_sqlite_source_read;
  factory_class->get = setl_sqlite_source_get;
  setl_factory_class_set_output_type (factory_class, SETL_TYPE_BATCH_STREAM);

  /**
   * SetlSqliteSource:database:
   *
   * The SQLite database file to read; it must exist.
   */
  properties[PROP_DATABASE] =
    g_param_spec_string ("database", "Database", "SQLite database file to read (must exist)",
                         NULL, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  /**
   * SetlSqliteSource:table:
   *
   * The table (or view) to read whole. Exclusive with #SetlSqliteSource:query.
   */
  properties[PROP_TABLE] =
    g_param_spec_string ("table", "Table", "Table or view to read whole (or set “query”)",
                         NULL, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  /**
   * SetlSqliteSource:query:
   *
   * One SELECT statement whose rows are the output. Exclusive with
   * #SetlSqliteSource:table.
   */
  properties[PROP_QUERY] =
    g_param_spec_string ("query", "Query", "One SQL SELECT statement whose rows are read (or set “table”)",
                         NULL, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  /**
   * SetlSqliteSource:batch-size:
   *
   * Rows per record batch.
   */
  properties[PROP_BATCH_SIZE] =
    g_param_spec_uint ("batch-size", "Batch size", "Rows per record batch",
                       1, G_MAXINT32, SETL_SQLITE_DEFAULT_BATCH_SIZE,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS |
                       SETL_PARAM_NOT_IN_CACHE_KEY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
setl_sqlite_source_init (SetlSqliteSource *self)
{
  self->batch_size = SETL_SQLITE_DEFAULT_BATCH_SIZE;
}
