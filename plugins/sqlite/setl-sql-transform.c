/* setl-sql-transform.c: a SQL query over the factory's input streams, run
 * by SQLite.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/**
 * SetlSqlTransform:
 *
 * The "sql" feature: joins, aggregations and anything else SQLite's SQL
 * says, over the factory's inputs.
 *
 * #SetlSqlTransform:inputs names the inputs, comma-separated. Each name
 * becomes an input slot of type %SETL_TYPE_BATCH_STREAM *with that very
 * name* and, inside the query, a table of that name: a virtual table of the
 * `setl_batch_stream` module (in the `temp` schema, so it shadows a table of
 * the same name in #SetlSqlTransform:database) that reads the stream's
 * batches in place — no row is copied into SQLite. Wire a slot to its
 * producer by setting the slot's delivery id
 * (setl_delivery_set_delivery_id()) to the producer's delivery id; the
 * pipeline-file loader does exactly that with factory names.
 *
 * |[<!-- language="C" -->
 * SetlFactory *sql = g_object_new (SETL_TYPE_SQL_TRANSFORM,
 *     "inputs", "citizens, cities",
 *     "query", "SELECT c.country, count(*) AS n FROM citizens p "
 *              "JOIN cities c ON c.id = p.city_id GROUP BY c.country",
 *     NULL);
 * ]|
 *
 * `process()` checks the query (it prepares it with the inputs attached)
 * and settles the result's column types; the output is a lazy
 * #SetlBatchStream: each pass over it runs the query again, in the job
 * group of whoever reads it, and steps #SetlSqlTransform:batch-size rows at
 * a time. Result columns that come straight from a column keep its type;
 * computed ones (count(*), sum(…), expressions) are typed from the first
 * rows — which, for a query without such a column, costs nothing, and
 * otherwise runs the query's first steps once more. Every result field is
 * nullable.
 */
#include "setl-sql-transform.h"
#include "setl-sqlite-query-stream.h"

struct _SetlSqlTransform
{
  SetlFactory parent_instance;

  char *database;
  char *query;
  char *inputs;
  GPtrArray *input_names;
  guint batch_size;
  GHashTable *streams;   /* name → SetlBatchStream, from read() */
  SetlSqliteQueryStream *output;
};

G_DEFINE_FINAL_TYPE (SetlSqlTransform, setl_sql_transform, SETL_TYPE_FACTORY)

enum {
  PROP_0,
  PROP_DATABASE,
  PROP_QUERY,
  PROP_INPUTS,
  PROP_BATCH_SIZE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Declares a slot for each name not declared yet. Slots are never removed
 * (a factory cannot drop a delivery), so set the list once. */
static void
set_inputs (SetlSqlTransform *self,
            const char       *inputs)
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

static gboolean
setl_sql_transform_read (SetlFactory   *factory,
                         GCancellable  *cancellable,
                         GError       **error)
{
  SetlSqlTransform *self = SETL_SQL_TRANSFORM (factory);

  g_clear_pointer (&self->streams, g_hash_table_unref);
  self->streams = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  for (guint i = 0; i < self->input_names->len; i++)
    {
      const char *name = self->input_names->pdata[i];
      gpointer stream = setl_factory_get_input_object (factory, name);

      if (!SETL_IS_BATCH_STREAM (stream))
        {
          g_set_error (error, SETL_SQLITE_ERROR, SETL_SQLITE_ERROR_CONFIG,
                       "sql “%s”: input slot “%s” holds no stream",
                       setl_factory_get_name (factory), name);
          return FALSE;
        }
      g_hash_table_insert (self->streams, g_strdup (name), g_object_ref (stream));
    }
  return TRUE;
}

static gboolean
setl_sql_transform_process (SetlFactory   *factory,
                            GCancellable  *cancellable,
                            GError       **error)
{
  SetlSqlTransform *self = SETL_SQL_TRANSFORM (factory);
  g_autofree char *label = NULL;
  g_autofree char *short_query = NULL;
  gboolean memory = self->database == NULL || *self->database == '\0' ||
                    g_str_equal (self->database, ":memory:");

  g_clear_object (&self->output);
  if (self->query == NULL || *self->query == '\0')
    {
      g_set_error (error, SETL_SQLITE_ERROR, SETL_SQLITE_ERROR_CONFIG,
                   "sql “%s”: no query given (property “query”)", setl_factory_get_name (factory));
      return FALSE;
    }
  if (self->streams == NULL && !setl_sql_transform_read (factory, cancellable, error))
    return FALSE;
  short_query = setl_sqlite_abbreviate (self->query);
  label = g_strdup_printf ("sql “%s” (SQLite database “%s”): query “%s”",
                           setl_factory_get_name (factory), memory ? ":memory:" : self->database,
                           short_query);
  self->output = setl_sqlite_query_stream_new (memory ? NULL : self->database,
                                               SETL_SQLITE_OPEN_READ_WRITE, self->query, NULL,
                                               self->streams, self->batch_size, label,
                                               cancellable, error);
  return self->output != NULL;
}

static gboolean
setl_sql_transform_get (SetlFactory  *factory,
                        GValue       *output,
                        GError      **error)
{
  SetlSqlTransform *self = SETL_SQL_TRANSFORM (factory);

  if (self->output == NULL)
    {
      g_set_error (error, SETL_SQLITE_ERROR, SETL_SQLITE_ERROR_CONFIG,
                   "sql “%s”: get() before a successful process()", setl_factory_get_name (factory));
      return FALSE;
    }
  g_value_set_object (output, self->output);
  return TRUE;
}

static void
setl_sql_transform_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  SetlSqlTransform *self = SETL_SQL_TRANSFORM (object);

  switch (prop_id)
    {
    case PROP_DATABASE:
      g_free (self->database);
      self->database = g_value_dup_string (value);
      break;
    case PROP_QUERY:
      g_free (self->query);
      self->query = g_value_dup_string (value);
      break;
    case PROP_INPUTS:
      set_inputs (self, g_value_get_string (value));
      break;
    case PROP_BATCH_SIZE:
      self->batch_size = g_value_get_uint (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
setl_sql_transform_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  SetlSqlTransform *self = SETL_SQL_TRANSFORM (object);

  switch (prop_id)
    {
    case PROP_DATABASE: g_value_set_string (value, self->database); break;
    case PROP_QUERY: g_value_set_string (value, self->query); break;
    case PROP_INPUTS: g_value_set_string (value, self->inputs); break;
    case PROP_BATCH_SIZE: g_value_set_uint (value, self->batch_size); break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
setl_sql_transform_finalize (GObject *object)
{
  SetlSqlTransform *self = SETL_SQL_TRANSFORM (object);

  g_free (self->database);
  g_free (self->query);
  g_free (self->inputs);
  g_ptr_array_unref (self->input_names);
  g_clear_pointer (&self->streams, g_hash_table_unref);
  g_clear_object (&self->output);
  G_OBJECT_CLASS (setl_sql_transform_parent_class)->finalize (object);
}

static void
setl_sql_transform_class_init (SetlSqlTransformClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  SetlFactoryClass *factory_class = SETL_FACTORY_CLASS (klass);

  object_class->set_property = setl_sql_transform_set_property;
  object_class->get_property = setl_sql_transform_get_property;
  object_class->finalize = setl_sql_transform_finalize;
  factory_class->read = setl_sql_transform_read;
  factory_class->process = setl_sql_transform_process;
  factory_class->get = setl_sql_transform_get;
  setl_factory_class_set_output_type (factory_class, SETL_TYPE_BATCH_STREAM);

  /**
   * SetlSqlTransform:database:
   *
   * An SQLite database file whose tables the query may also read (it must
   * exist); %NULL or ":memory:" for a fresh in-memory database.
   */
  properties[PROP_DATABASE] =
    g_param_spec_string ("database", "Database",
                         "SQLite database file the query may also read (default: a fresh in-memory database)",
                         NULL, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  /**
   * SetlSqlTransform:query:
   *
   * One SQL statement (SQLite's dialect) whose rows are the output.
   */
  properties[PROP_QUERY] =
    g_param_spec_string ("query", "Query", "One SQL statement (SQLite dialect) whose rows are the output",
                         NULL, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  /**
   * SetlSqlTransform:inputs:
   *
   * Comma-separated names of the inputs: each is an input slot of that
   * name and a table of that name in the query. Set it once; names are
   * trimmed.
   */
  properties[PROP_INPUTS] =
    g_param_spec_string ("inputs", "Inputs",
                         "Comma-separated input names: each is an input slot and a table in the query",
                         NULL, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  /**
   * SetlSqlTransform:batch-size:
   *
   * Rows per record batch of the output.
   */
  properties[PROP_BATCH_SIZE] =
    g_param_spec_uint ("batch-size", "Batch size", "Rows per record batch of the output",
                       1, G_MAXINT32, SETL_SQLITE_DEFAULT_BATCH_SIZE,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
setl_sql_transform_init (SetlSqlTransform *self)
{
  self->input_names = g_ptr_array_new_with_free_func (g_free);
  self->batch_size = SETL_SQLITE_DEFAULT_BATCH_SIZE;
}
