/* setl-sqlite-query-stream.c: the rows of an SQLite query as a lazy
 * SetlBatchStream.
 *
 * Creating the stream checks the statement (it opens the database, attaches
 * the input streams as virtual tables, prepares the SQL) and settles the
 * column types: from the declared types where SQLite knows them (a table's
 * columns, a virtual table's columns), otherwise from the storage classes of
 * the first SAMPLE_ROWS rows. Rows are read only when a consumer opens a
 * pass: each setl_batch_stream_open() opens its own connection and runs the
 * statement again, and each next() steps one batch of rows.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "setl-sqlite-query-stream.h"
#include "setl-sqlite-query-iterator.h"
#include "setl-sqlite-vtab.h"

#include <string.h>

/* after <sqlite3.h>: declares setl_validation_query_register_sqlite() */
#include <setl/setl-validation-sql.h>

/* Rows looked at to type the columns SQLite has no declared type for. */
#define SAMPLE_ROWS 1000

struct _SetlSqliteQueryStream
{
  GObject parent_instance;

  char *database;
  SetlSqliteOpenMode mode;
  char *sql;
  GHashTable *inputs;   /* nullable: name → SetlBatchStream */
  guint batch_size;
  char *label;
  char *table;          /* nullable: the table @sql reads whole */
  GPtrArray *fields;
  guint n_opens;
};

static void setl_sqlite_query_stream_iface_init (SetlBatchStreamInterface *iface);
static void setl_sqlite_query_stream_relation_init (SetlSqlRelationInterface *iface);

/* A SetlSqlRelation too: code outside the plugin (validation hooks) can
 * run SQL over the rows in the database file rather than read them. */
G_DEFINE_FINAL_TYPE_WITH_CODE (SetlSqliteQueryStream, setl_sqlite_query_stream, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (SETL_TYPE_BATCH_STREAM,
                                                      setl_sqlite_query_stream_iface_init)
                               G_IMPLEMENT_INTERFACE (SETL_TYPE_SQL_RELATION,
                                                      setl_sqlite_query_stream_relation_init))

gboolean
_setl_sqlite_query_stream_prepare (SetlSqliteQueryStream  *self,
                                   SetlSqliteConnection  **out_conn,
                                   sqlite3_stmt          **out_stmt,
                                   GError                **error)
{
  g_autoptr(SetlSqliteConnection) conn = NULL;
  const char *tail = NULL;
  int rc;

  conn = setl_sqlite_connection_open (self->database, self->mode, error);
  if (conn == NULL)
    {
      g_prefix_error (error, "%s: ", self->label);
      return FALSE;
    }
  if (self->inputs != NULL && !setl_sqlite_vtab_attach (conn, self->inputs, error))
    {
      g_prefix_error (error, "%s: ", self->label);
      return FALSE;
    }
  rc = sqlite3_prepare_v2 (conn->db, self->sql, -1, out_stmt, &tail);
  if (rc != SQLITE_OK)
    return setl_sqlite_connection_fail (conn, rc, error, "%s", self->label);
  if (*out_stmt == NULL)
    {
      g_set_error (error, SETL_SQLITE_ERROR, SETL_SQLITE_ERROR_CONFIG,
                   "%s: the SQL holds no statement", self->label);
      return FALSE;
    }
  while (tail != NULL && g_ascii_isspace (*tail))
    tail++;
  if (tail != NULL && *tail != '\0' && !(tail[0] == ';' && tail[1] == '\0'))
    {
      g_clear_pointer (out_stmt, sqlite3_finalize);
      g_set_error (error, SETL_SQLITE_ERROR, SETL_SQLITE_ERROR_CONFIG,
                   "%s: only one statement is allowed, but “%.40s” follows it",
                   self->label, tail);
      return FALSE;
    }
  *out_conn = g_steal_pointer (&conn);
  return TRUE;
}

/* Settles the fields: names, declared types, then a sample of the rows for
 * the columns without one. NOT NULL columns of @table are not nullable. */
static gboolean
resolve_fields (SetlSqliteQueryStream  *self,
                const char             *table,
                GCancellable           *cancellable,
                GError                **error)
{
  g_autoptr(SetlSqliteConnection) conn = NULL;
  g_autoptr(GHashTable) not_null = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  sqlite3_stmt *stmt = NULL;
  int n, n_unknown = 0;
  SetlDataType *types;
  gboolean *known;
  int *classes;   /* bit set of storage classes seen, per unknown column */
  gboolean ok = TRUE;

  if (!_setl_sqlite_query_stream_prepare (self, &conn, &stmt, error))
    return FALSE;
  conn->cancellable = cancellable;

  if (table != NULL)
    {
      sqlite3_stmt *info = NULL;
      if (sqlite3_prepare_v2 (conn->db, "SELECT name, \"notnull\" FROM pragma_table_info(?1)",
                              -1, &info, NULL) == SQLITE_OK)
        {
          sqlite3_bind_text (info, 1, table, -1, SQLITE_STATIC);
          while (sqlite3_step (info) == SQLITE_ROW)
            if (sqlite3_column_int (info, 1))
              g_hash_table_add (not_null, g_strdup ((const char *) sqlite3_column_text (info, 0)));
        }
      sqlite3_finalize (info);
    }

  n = sqlite3_column_count (stmt);
  if (n == 0)
    {
      sqlite3_finalize (stmt);
      g_set_error (error, SETL_SQLITE_ERROR, SETL_SQLITE_ERROR_CONFIG,
                   "%s: the statement returns no columns", self->label);
      return FALSE;
    }
  types = g_newa (SetlDataType, n);
  known = g_newa (gboolean, n);
  classes = g_newa (int, n);
  for (int i = 0; i < n; i++)
    {
      const char *name = sqlite3_column_name (stmt, i);
      if (!g_hash_table_add (seen, (gpointer) name))
        {
          sqlite3_finalize (stmt);
          g_set_error (error, SETL_SQLITE_ERROR, SETL_SQLITE_ERROR_CONFIG,
                       "%s: the result has two columns named “%s”; rename one with AS",
                       self->label, name);
          return FALSE;
        }
      known[i] = setl_sqlite_type_from_decltype (sqlite3_column_decltype (stmt, i), &types[i]);
      classes[i] = 0;
      n_unknown += !known[i];
    }

  if (n_unknown > 0)
    {
      int rc = SQLITE_ROW;
      for (int row = 0; row < SAMPLE_ROWS && (rc = sqlite3_step (stmt)) == SQLITE_ROW; row++)
        for (int i = 0; i < n; i++)
          if (!known[i])
            classes[i] |= 1 << sqlite3_column_type (stmt, i);
      if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        ok = setl_sqlite_connection_fail (conn, rc, error, "%s (typing its columns)", self->label);
      for (int i = 0; i < n && ok; i++)
        {
          int c = classes[i] & ~(1 << SQLITE_NULL);
          if (known[i])
            continue;
          if (c == (1 << SQLITE_INTEGER))
            types[i] = SETL_DATA_TYPE_INT64;
          else if (c != 0 && (c & ~((1 << SQLITE_INTEGER) | (1 << SQLITE_FLOAT))) == 0)
            types[i] = SETL_DATA_TYPE_DOUBLE;
          else
            types[i] = SETL_DATA_TYPE_STRING;   /* text, blobs, mixtures, all NULL */
        }
    }

  for (int i = 0; i < n && ok; i++)
    {
      const char *name = sqlite3_column_name (stmt, i);
      gboolean nullable = !g_hash_table_contains (not_null, name);
      g_ptr_array_add (self->fields, setl_field_new (name, types[i], nullable));
    }
  sqlite3_finalize (stmt);
  return ok;
}

static SetlField **
setl_sqlite_query_stream_get_fields (SetlBatchStream *stream,
                                     guint           *n_fields)
{
  SetlSqliteQueryStream *self = SETL_SQLITE_QUERY_STREAM (stream);

  *n_fields = self->fields->len;
  return (SetlField **) self->fields->pdata;
}

static SetlBatchIterator *
setl_sqlite_query_stream_open (SetlBatchStream  *stream,
                               GCancellable     *cancellable,
                               GError          **error)
{
  SetlSqliteQueryStream *self = SETL_SQLITE_QUERY_STREAM (stream);
  SetlSqliteConnection *conn = NULL;
  sqlite3_stmt *stmt = NULL;

  if (!_setl_sqlite_query_stream_prepare (self, &conn, &stmt, error))
    return NULL;
  g_atomic_int_inc (&self->n_opens);
  return setl_sqlite_query_iterator_new (self, conn, stmt, self->batch_size);
}

static void
setl_sqlite_query_stream_iface_init (SetlBatchStreamInterface *iface)
{
  iface->get_fields = setl_sqlite_query_stream_get_fields;
  iface->open = setl_sqlite_query_stream_open;
}

/* ---- SetlSqlRelation ------------------------------------------------ */

static gboolean
in_file (SetlSqliteQueryStream *self)
{
  /* Client streams attached as virtual tables, or a private in-memory
   * database: the rows are not all in a file another connection sees. */
  return (self->inputs == NULL || g_hash_table_size (self->inputs) == 0) &&
         self->database != NULL && *self->database != '\0' &&
         !g_str_equal (self->database, ":memory:");
}

static const char *
setl_sqlite_query_stream_get_dialect (SetlSqlRelation *relation)
{
  return "sqlite";
}

static char *
setl_sqlite_query_stream_get_query (SetlSqlRelation *relation)
{
  SetlSqliteQueryStream *self = SETL_SQLITE_QUERY_STREAM (relation);
  char *query;

  if (!in_file (self))
    return NULL;
  /* As a subquery: without the one trailing ";" a statement may have. */
  query = g_strstrip (g_strdup (self->sql));
  while (*query != '\0' && query[strlen (query) - 1] == ';')
    {
      query[strlen (query) - 1] = '\0';
      g_strchomp (query);
    }
  return query;
}

static char *
setl_sqlite_query_stream_get_table (SetlSqlRelation  *relation,
                                    char            **schema)
{
  SetlSqliteQueryStream *self = SETL_SQLITE_QUERY_STREAM (relation);

  *schema = NULL;
  return in_file (self) ? g_strdup (self->table) : NULL;
}

static char *
setl_sqlite_query_stream_get_location (SetlSqlRelation *relation)
{
  SetlSqliteQueryStream *self = SETL_SQLITE_QUERY_STREAM (relation);

  return g_strconcat ("sqlite:", self->database ? self->database : ":memory:", NULL);
}

static gboolean
setl_sqlite_query_stream_run (SetlSqlRelation  *relation,
                              const char       *sql,
                              SetlSqlRowFunc    func,
                              gpointer          user_data,
                              GCancellable     *cancellable,
                              GError          **error)
{
  SetlSqliteQueryStream *self = SETL_SQLITE_QUERY_STREAM (relation);
  g_autoptr(SetlSqliteConnection) conn = NULL;
  g_autofree const char **values = NULL;
  sqlite3_stmt *stmt = NULL;
  int rc, n;

  conn = setl_sqlite_connection_open (self->database, self->mode, error);
  if (conn == NULL ||
      (self->inputs != NULL && !setl_sqlite_vtab_attach (conn, self->inputs, error)))
    {
      g_prefix_error (error, "%s: ", self->label);
      return FALSE;
    }
  conn->cancellable = cancellable;
  /* the functions validation SQL calls (setl_regexp) */
  rc = setl_validation_query_register_sqlite (conn->db);
  if (rc == SQLITE_OK)
    rc = sqlite3_prepare_v2 (conn->db, sql, -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    return setl_sqlite_connection_fail (conn, rc, error, "%s", self->label);
  n = sqlite3_column_count (stmt);
  values = g_new0 (const char *, MAX (n, 1));
  while ((rc = setl_sqlite_connection_step (conn, stmt)) == SQLITE_ROW)
    {
      for (int i = 0; i < n; i++)
        values[i] = (const char *) sqlite3_column_text (stmt, i);
      if (!func (values, (guint) n, user_data, error))
        {
          sqlite3_finalize (stmt);
          return FALSE;
        }
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    return setl_sqlite_connection_fail (conn, rc, error, "%s", self->label);
  return TRUE;
}

static void
setl_sqlite_query_stream_relation_init (SetlSqlRelationInterface *iface)
{
  iface->get_dialect = setl_sqlite_query_stream_get_dialect;
  iface->get_query = setl_sqlite_query_stream_get_query;
  iface->get_table = setl_sqlite_query_stream_get_table;
  iface->get_location = setl_sqlite_query_stream_get_location;
  iface->run = setl_sqlite_query_stream_run;
}

static void
setl_sqlite_query_stream_finalize (GObject *object)
{
  SetlSqliteQueryStream *self = SETL_SQLITE_QUERY_STREAM (object);

  g_free (self->database);
  g_free (self->sql);
  g_free (self->label);
  g_free (self->table);
  g_clear_pointer (&self->inputs, g_hash_table_unref);
  g_ptr_array_unref (self->fields);
  G_OBJECT_CLASS (setl_sqlite_query_stream_parent_class)->finalize (object);
}

static void
setl_sqlite_query_stream_class_init (SetlSqliteQueryStreamClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = setl_sqlite_query_stream_finalize;
}

static void
setl_sqlite_query_stream_init (SetlSqliteQueryStream *self)
{
  self->fields = g_ptr_array_new_with_free_func (g_object_unref);
}

/**
 * setl_sqlite_query_stream_new:
 * @database: (nullable): a database file, or %NULL / ":memory:"
 * @mode: how to open it
 * @sql: one SQL statement
 * @table: (nullable): the table @sql reads whole, whose NOT NULL columns
 *   become non-nullable fields
 * @inputs: (nullable) (element-type utf8 SetlBatchStream): streams to show
 *   as virtual tables, by name
 * @batch_size: rows per batch
 * @label: what error messages call the statement ("SQLite database “x”,
 *   table “t”")
 * @cancellable: (nullable): cancels the check
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the stream, or %NULL with @error set
 */
SetlSqliteQueryStream *
setl_sqlite_query_stream_new (const char          *database,
                              SetlSqliteOpenMode   mode,
                              const char          *sql,
                              const char          *table,
                              GHashTable          *inputs,
                              guint                batch_size,
                              const char          *label,
                              GCancellable        *cancellable,
                              GError             **error)
{
  g_autoptr(SetlSqliteQueryStream) self = g_object_new (SETL_TYPE_SQLITE_QUERY_STREAM, NULL);

  self->database = g_strdup (database);
  self->mode = mode;
  self->sql = g_strdup (sql);
  self->inputs = inputs ? g_hash_table_ref (inputs) : NULL;
  self->batch_size = MAX (batch_size, 1);
  self->label = g_strdup (label);
  self->table = g_strdup (table);
  if (!resolve_fields (self, table, cancellable, error))
    return NULL;
  return g_steal_pointer (&self);
}

const char *
setl_sqlite_query_stream_get_label (SetlSqliteQueryStream *self)
{
  return self->label;
}

guint
setl_sqlite_query_stream_get_n_opens (SetlSqliteQueryStream *self)
{
  return (guint) g_atomic_int_get (&self->n_opens);
}
