/* setl-postgres-sql.c: an SQL query over the factory's inputs, run by
 * PostgreSQL — inside the server when the inputs live there.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/**
 * SetlPostgresSql:
 *
 * The "postgres-sql" feature: the `sql` transform, run by PostgreSQL.
 * #SetlPostgresSql:inputs names the inputs, comma-separated; each name is
 * an input slot of that name and, in #SetlPostgresSql:query, a table of
 * that name.
 *
 * **Pushdown.** An input that is a query on the same database (the output
 * of a "postgres-source" or another "postgres-sql" with the same
 * #SetlPostgresSql:database) becomes a common table expression of the
 * query — `WITH "people" AS (SELECT * FROM "people") <query>` — so the
 * whole thing runs in the server and no row travels through the client.
 * Other inputs (a CSV source, a filter…) are loaded by binary COPY into
 * temporary tables of the pass's transaction.
 *
 * **Result.** Without #SetlPostgresSql:result-table, the output is a lazy
 * stream of the composed query: whoever reads it runs it (a sink on the
 * same database with `CREATE TABLE … AS`, in the server; a client consumer
 * through a cursor). With it, `process()` stores the result in the server
 * as that table (replaced atomically) and the output reads it.
 */
#include "setl-postgres-sql.h"
#include "setl-postgres-copy.h"
#include "setl-postgres-query-stream.h"
#include "setl-postgres-table.h"

#include <string.h>

struct _SetlPostgresSql
{
  SetlFactory parent_instance;

  char *database;
  char *query;
  char *inputs;
  char *result_schema;
  char *result_table;
  GPtrArray *input_names;
  guint batch_size;
  guint pool_size;
  SetlPostgresNumeric numeric;
  GHashTable *streams;   /* name → SetlBatchStream, from read() */
  SetlPostgresQueryStream *output;
};

static void setl_postgres_sql_cacheable_init (SetlCacheableInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SetlPostgresSql, setl_postgres_sql, SETL_TYPE_FACTORY,
                               G_IMPLEMENT_INTERFACE (SETL_TYPE_CACHEABLE,
                                                      setl_postgres_sql_cacheable_init))

enum {
  PROP_0,
  PROP_DATABASE,
  PROP_QUERY,
  PROP_INPUTS,
  PROP_RESULT_SCHEMA,
  PROP_RESULT_TABLE,
  PROP_BATCH_SIZE,
  PROP_NUMERIC,
  PROP_POOL_SIZE,
  PROP_BACKEND,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
set_inputs (SetlPostgresSql *self,
            const char      *inputs)
{
  g_auto(GStrv) names = NULL;

  g_free (self->inputs);
  self->inputs = g_strdup (inputs);
  if (inputs == NULL)
    return;
  names = g_strsplit (inputs, ",", -1);
  for (guint i = 0; names[i] != NULL; i++)
    {
      char *name = g_strstrip (names[i]);
      gboolean known = FALSE;

      if (*name == '\0')
        continue;
      for (guint j = 0; j < self->input_names->len && !known; j++)
        known = g_str_equal (name, self->input_names->pdata[j]);
      if (known)
        continue;
      g_ptr_array_add (self->input_names, g_strdup (name));
      setl_factory_add_input (SETL_FACTORY (self), name, SETL_TYPE_BATCH_STREAM,
                              SETL_TYPE_EXTERNAL, NULL);
    }
}

/* Skips blanks and SQL comments. */
static const char *
skip_blanks (const char *p)
{
  for (;;)
    {
      while (g_ascii_isspace (*p))
        p++;
      if (p[0] == '-' && p[1] == '-')
        {
          while (*p && *p != '\n')
            p++;
        }
      else if (p[0] == '/' && p[1] == '*')
        {
          const char *end = strstr (p + 2, "*/");
          p = end ? end + 2 : p + strlen (p);
        }
      else
        return p;
    }
}

static gboolean
keyword_at (const char *p, const char *word)
{
  gsize n = strlen (word);
  return g_ascii_strncasecmp (p, word, n) == 0 && !g_ascii_isalnum (p[n]) && p[n] != '_';
}

/**
 * setl_postgres_sql_compose:
 * @names: input names
 * @queries: the SQL of each input
 * @n: how many inputs
 * @query: the user's query
 *
 * `WITH "name" AS (sql), … query` — merged into the query's own WITH
 * [RECURSIVE] list when it has one (a second WITH would be a syntax error).
 *
 * Returns: (transfer full): the composed statement
 */
char *
setl_postgres_sql_compose (const char *const *names,
                           const char *const *queries,
                           guint               n,
                           const char         *query)
{
  const char *p = skip_blanks (query);
  gboolean has_with = keyword_at (p, "WITH");
  GString *sql;

  if (n == 0)
    return g_strdup (query);
  sql = g_string_new ("WITH ");
  if (has_with)
    {
      p = skip_blanks (p + 4);
      if (keyword_at (p, "RECURSIVE"))
        {
          g_string_append (sql, "RECURSIVE ");
          p = skip_blanks (p + 9);
        }
    }
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *q = setl_postgres_quote_identifier (names[i]);
      /* the newline ends a "--" comment the input's SQL may end with */
      g_string_append_printf (sql, "%s%s AS (%s\n)", i ? ", " : "", q, queries[i]);
    }
  if (has_with)
    g_string_append_printf (sql, ", %s", p);
  else
    g_string_append_printf (sql, " %s", query);
  return g_string_free (sql, FALSE);
}

static gboolean
setl_postgres_sql_read (SetlFactory   *factory,
                        GCancellable  *cancellable,
                        GError       **error)
{
  SetlPostgresSql *self = SETL_POSTGRES_SQL (factory);

  g_clear_pointer (&self->streams, g_hash_table_unref);
  self->streams = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  for (guint i = 0; i < self->input_names->len; i++)
    {
      const char *name = self->input_names->pdata[i];
      gpointer stream = setl_factory_get_input_object (factory, name);

      if (!SETL_IS_BATCH_STREAM (stream))
        {
          g_set_error (error, SETL_POSTGRES_ERROR, SETL_POSTGRES_ERROR_CONFIG,
                       "postgres-sql “%s”: input slot “%s” holds no stream",
                       setl_factory_get_name (factory), name);
          return FALSE;
        }
      g_hash_table_insert (self->streams, g_strdup (name), g_object_ref (stream));
    }
  return TRUE;
}

static gint64
fill_as (SetlPostgresConnection  *conn,
         const char              *qualified,
         gboolean                 create,
         gpointer                 data,
         GCancellable            *cancellable,
         GError                 **error)
{
  SetlPostgresQueryStream *composed = data;
  g_autofree char *sql = g_strdup_printf ("CREATE TABLE %s AS %s", qualified,
                                          setl_postgres_query_stream_get_sql (composed));
  PGresult *res;
  gint64 n;

  /* the uploads, if any, in this very transaction */
  if (!setl_postgres_query_stream_in_server (composed))
    {
      if (!_setl_postgres_query_stream_begin (composed, conn, cancellable, error))
        return -1;
      if (!setl_postgres_connection_run (conn, "CLOSE setl_cursor", cancellable, error))
        return -1;
    }
  res = setl_postgres_connection_exec (conn, sql, 0, NULL, cancellable, error);
  if (res == NULL)
    return -1;
  n = g_ascii_strtoll (PQcmdTuples (res), NULL, 10);
  PQclear (res);
  return n;
}

static gboolean
setl_postgres_sql_process (SetlFactory   *factory,
                           GCancellable  *cancellable,
                           GError       **error)
{
  SetlPostgresSql *self = SETL_POSTGRES_SQL (factory);
  g_autoptr(GHashTable) uploads = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  g_autoptr(GPtrArray) queries = g_ptr_array_new ();
  g_autoptr(SetlPostgresQueryStream) composed = NULL;
  g_autofree char *short_query = NULL;
  g_autofree char *label = NULL;
  g_autofree char *sql = NULL;
  g_autofree char *query = NULL;
  SetlPostgresPool *pool;

  g_clear_object (&self->output);
  pool = setl_postgres_pool_get (self->database);
  setl_postgres_pool_set_max_size (pool, self->pool_size);
  if (self->query == NULL || *self->query == '\0')
    {
      g_set_error (error, SETL_POSTGRES_ERROR, SETL_POSTGRES_ERROR_CONFIG,
                   "postgres-sql “%s”: no query given (property “query”)", setl_factory_get_name (factory));
      return FALSE;
    }
  if (self->streams == NULL && !setl_postgres_sql_read (factory, cancellable, error))
    return FALSE;
  for (guint i = 0; i < self->input_names->len; i++)
    {
      const char *name = self->input_names->pdata[i];
      SetlBatchStream *stream = g_hash_table_lookup (self->streams, name);

      if (setl_postgres_query_stream_same_server (stream, pool))
        {
          g_ptr_array_add (names, (gpointer) name);
          g_ptr_array_add (queries, (gpointer) setl_postgres_query_stream_get_sql (
                                      SETL_POSTGRES_QUERY_STREAM (stream)));
        }
      else
        g_hash_table_insert (uploads, g_strdup (name), g_object_ref (stream));
    }
  query = setl_postgres_strip_statement (self->query);
  sql = setl_postgres_sql_compose ((const char *const *) names->pdata,
                                   (const char *const *) queries->pdata, names->len, query);
  short_query = setl_postgres_abbreviate (self->query);
  label = g_strdup_printf ("postgres-sql “%s” (PostgreSQL “%s”): query “%s”",
                           setl_factory_get_name (factory), setl_postgres_pool_get_label (pool),
                           short_query);
  composed = setl_postgres_query_stream_new (pool, sql, NULL, uploads, self->batch_size,
                                             self->numeric, label, cancellable, error);
  if (composed == NULL)
    return FALSE;

  if (self->result_table != NULL && *self->result_table != '\0')
    {
      g_autofree char *qualified = setl_postgres_qualified_name (self->result_schema, self->result_table);
      g_autofree char *select = g_strdup_printf ("SELECT * FROM %s", qualified);
      g_autofree char *result_label = g_strdup_printf ("postgres-sql “%s” (PostgreSQL “%s”): result table %s",
                                                       setl_factory_get_name (factory),
                                                       setl_postgres_pool_get_label (pool), qualified);
      SetlPostgresConnection *conn = setl_postgres_pool_acquire (pool, cancellable, error);
      gint64 n;

      if (conn == NULL)
        {
          g_prefix_error (error, "%s: ", result_label);
          return FALSE;
        }
      n = setl_postgres_write_table (conn, self->result_schema, self->result_table,
                                     SETL_POSTGRES_SINK_MODE_REPLACE, fill_as, composed,
                                     cancellable, error);
      setl_postgres_pool_release (conn);
      if (n < 0)
        {
          g_prefix_error (error, "%s: ", result_label);
          return FALSE;
        }
      setl_factory_add_rows (factory, n);
      self->output = setl_postgres_query_stream_new (pool, select, NULL, NULL, self->batch_size,
                                                     self->numeric, result_label, cancellable, error);
      return self->output != NULL;
    }
  self->output = g_steal_pointer (&composed);
  return TRUE;
}

static gboolean
setl_postgres_sql_get (SetlFactory  *factory,
                       GValue       *output,
                       GError      **error)
{
  SetlPostgresSql *self = SETL_POSTGRES_SQL (factory);

  if (self->output == NULL)
    {
      g_set_error (error, SETL_POSTGRES_ERROR, SETL_POSTGRES_ERROR_CONFIG,
                   "postgres-sql “%s”: get() before a successful process()", setl_factory_get_name (factory));
      return FALSE;
    }
  g_value_set_object (output, self->output);
  return TRUE;
}

static void
setl_postgres_sql_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  SetlPostgresSql *self = SETL_POSTGRES_SQL (object);

  switch (prop_id)
    {
    case PROP_DATABASE: g_free (self->database); self->database = g_value_dup_string (value); break;
    case PROP_QUERY: g_free (self->query); self->query = g_value_dup_string (value); break;
    case PROP_INPUTS: set_inputs (self, g_value_get_string (value)); break;
    case PROP_RESULT_SCHEMA: g_free (self->result_schema); self->result_schema = g_value_dup_string (value); break;
    case PROP_RESULT_TABLE: g_free (self->result_table); self->result_table = g_value_dup_string (value); break;
    case PROP_BATCH_SIZE: self->batch_size = g_value_get_uint (value); break;
    case PROP_NUMERIC: self->numeric = g_value_get_enum (value); break;
    case PROP_POOL_SIZE: self->pool_size = g_value_get_uint (value); break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
setl_postgres_sql_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  SetlPostgresSql *self = SETL_POSTGRES_SQL (object);

  switch (prop_id)
    {
    case PROP_DATABASE: g_value_set_string (value, self->database); break;
    case PROP_QUERY: g_value_set_string (value, self->query); break;
    case PROP_INPUTS: g_value_set_string (value, self->inputs); break;
    case PROP_RESULT_SCHEMA: g_value_set_string (value, self->result_schema); break;
    case PROP_RESULT_TABLE: g_value_set_string (value, self->result_table); break;
    case PROP_BATCH_SIZE: g_value_set_uint (value, self->batch_size); break;
    case PROP_NUMERIC: g_value_set_enum (value, self->numeric); break;
    case PROP_POOL_SIZE: g_value_set_uint (value, self->pool_size); break;
    case PROP_BACKEND: g_value_take_string (value, setl_postgres_redact_conninfo (self->database)); break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
setl_postgres_sql_finalize (GObject *object)
{
  SetlPostgresSql *self = SETL_POSTGRES_SQL (object);

  g_free (self->database);
  g_free (self->query);
  g_free (self->inputs);
  g_free (self->result_schema);
  g_free (self->result_table);
  g_ptr_array_unref (self->input_names);
  g_clear_pointer (&self->streams, g_hash_table_unref);
  g_clear_object (&self->output);
  G_OBJECT_CLASS (setl_postgres_sql_parent_class)->finalize (object);
}

/* "database" is not in the cache key (it may hold a password, and keys are
 * stored and shown): the identity it resolves to, without one, is. */
static gboolean
setl_postgres_sql_add_fingerprint (SetlCacheable         *cacheable,
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
setl_postgres_sql_cacheable_init (SetlCacheableInterface *iface)
{
  iface->add_fingerprint = setl_postgres_sql_add_fingerprint;
}

static void
setl_postgres_sql_class_init (SetlPostgresSqlClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  SetlFactoryClass *factory_class = SETL_FACTORY_CLASS (klass);

  object_class->set_property = setl_postgres_sql_set_property;
  object_class->get_property = setl_postgres_sql_get_property;
  object_class->finalize = setl_postgres_sql_finalize;
  factory_class->read = setl_postgres_sql_read;
  factory_class->process = setl_postgres_sql_process;
  factory_class->get = setl_postgres_sql_get;
  setl_factory_class_set_output_type (factory_class, SETL_TYPE_BATCH_STREAM);

  /**
   * SetlPostgresSql:database:
   *
   * The connection that runs the query (libpq URI or string).
   */
  properties[PROP_DATABASE] =
    g_param_spec_string ("database", "Database",
                         "PostgreSQL connection URI or string that runs the query (libpq rules)",
                         NULL, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | SETL_PARAM_NOT_IN_CACHE_KEY);
  /**
   * SetlPostgresSql:query:
   *
   * One SQL query (PostgreSQL's dialect); each input is a table of its name.
   */
  properties[PROP_QUERY] =
    g_param_spec_string ("query", "Query", "One SQL query (PostgreSQL dialect) whose rows are the output",
                         NULL, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  /**
   * SetlPostgresSql:inputs:
   *
   * Comma-separated input names: each is an input slot and a table of
   * that name in the query. Set it once; names are trimmed.
   */
  properties[PROP_INPUTS] =
    g_param_spec_string ("inputs", "Inputs",
                         "Comma-separated input names: each is an input slot and a table in the query",
                         NULL, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  /**
   * SetlPostgresSql:result-schema:
   *
   * The schema of #SetlPostgresSql:result-table.
   */
  properties[PROP_RESULT_SCHEMA] =
    g_param_spec_string ("result-schema", "Result schema", "Schema of “result-table” (default: the search path)",
                         NULL, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  /**
   * SetlPostgresSql:result-table:
   *
   * When set, the result is stored in the server as this table (replaced
   * atomically) by `process()`, and the output reads it.
   */
  properties[PROP_RESULT_TABLE] =
    g_param_spec_string ("result-table", "Result table",
                         "Store the result in the server as this table (default: a lazy query)",
                         NULL, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  properties[PROP_BATCH_SIZE] =
    g_param_spec_uint ("batch-size", "Batch size", "Rows per record batch of the output",
                       1, G_MAXINT32, SETL_POSTGRES_DEFAULT_BATCH_SIZE,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS |
                       SETL_PARAM_NOT_IN_CACHE_KEY);
  properties[PROP_NUMERIC] =
    g_param_spec_enum ("numeric", "Numeric", "How numeric columns are read: double or string (exact)",
                       SETL_TYPE_POSTGRES_NUMERIC, SETL_POSTGRES_NUMERIC_DOUBLE,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS);
  properties[PROP_POOL_SIZE] =
    g_param_spec_uint ("pool-size", "Pool size", "Most connections open to this database (shared pool)",
                       1, 1024, SETL_POSTGRES_DEFAULT_POOL_SIZE,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS |
                       SETL_PARAM_NOT_IN_CACHE_KEY);
  properties[PROP_BACKEND] =
    g_param_spec_string ("backend", "Backend", "Where the factory runs: the database, without password",
                         SETL_POSTGRES_DEFAULT_BACKEND, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
setl_postgres_sql_init (SetlPostgresSql *self)
{
  self->input_names = g_ptr_array_new_with_free_func (g_free);
  self->batch_size = SETL_POSTGRES_DEFAULT_BATCH_SIZE;
  self->pool_size = SETL_POSTGRES_DEFAULT_POOL_SIZE;
}
