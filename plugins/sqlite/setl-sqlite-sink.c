/* setl-sqlite-sink.c: writes a stream of batches into an SQLite table,
 * atomically.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/**
 * SetlSqliteSink:
 *
 * The "sqlite-sink" feature. Its input slot "in" takes a #SetlBatchStream;
 * `write()` pulls every batch and loads it into #SetlSqliteSink:table of
 * #SetlSqliteSink:database (created if missing), inside ONE transaction:
 *
 * 1. `BEGIN IMMEDIATE` (the write lock, taken before anything is read);
 * 2. a new table is created under a temporary name, with the input's
 *    columns (BOOLEAN, INTEGER, REAL, TEXT, DATE, TIMESTAMP; NOT NULL for
 *    non-nullable fields);
 * 3. the rows are inserted through one prepared statement with bound
 *    parameters;
 * 4. the old table is dropped and the new one renamed; `COMMIT`.
 *
 * Any failure — a bad value, the input stream failing half-way,
 * cancellation — rolls the transaction back: the old table is intact and
 * the temporary one never existed for anyone else. In `append` mode the rows
 * go straight into the existing table, inside the same kind of transaction.
 * Identifiers are quoted (double quotes, embedded quotes doubled), so any
 * table or column name works. `get()` returns the number of rows written
 * (0 when the factory did not write).
 *
 * A replaced table loses its indexes and triggers; a view of that name is
 * refused.
 */
#include "setl-sqlite-sink.h"
#include "setl-sqlite-util.h"

struct _SetlSqliteSink
{
  SetlFactory parent_instance;

  char *database;
  char *table;
  SetlSqliteSinkMode mode;
  guint batch_size;
  gint64 rows_written;
};

static void setl_sqlite_sink_cacheable_init (SetlCacheableInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SetlSqliteSink, setl_sqlite_sink, SETL_TYPE_FACTORY,
                               G_IMPLEMENT_INTERFACE (SETL_TYPE_CACHEABLE,
                                                      setl_sqlite_sink_cacheable_init))

GType
setl_sqlite_sink_mode_get_type (void)
{
  static gsize type_id = 0;
  static const GEnumValue values[] = {
    { SETL_SQLITE_SINK_MODE_REPLACE, "SETL_SQLITE_SINK_MODE_REPLACE", "replace" },
    { SETL_SQLITE_SINK_MODE_APPEND, "SETL_SQLITE_SINK_MODE_APPEND", "append" },
    { SETL_SQLITE_SINK_MODE_FAIL_IF_EXISTS, "SETL_SQLITE_SINK_MODE_FAIL_IF_EXISTS", "fail-if-exists" },
    { 0, NULL, NULL }
  };

  if (g_once_init_enter (&type_id))
    g_once_init_leave (&type_id, g_enum_register_static ("SetlSqliteSinkMode", values));
  return type_id;
}

enum {
  PROP_0,
  PROP_DATABASE,
  PROP_TABLE,
  PROP_MODE,
  PROP_BATCH_SIZE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* "table" or "view" if @name exists in the main database, else NULL. */
static char *
find_table (SetlSqliteConnection  *conn,
            const char            *name,
            GError               **error)
{
  sqlite3_stmt *stmt = NULL;
  char *type = NULL;
  int rc;

  /* SQLite matches identifiers case-insensitively in ASCII: NOCASE. */
  rc = sqlite3_prepare_v2 (conn->db,
                           "SELECT type FROM main.sqlite_master "
                           "WHERE type IN ('table', 'view') AND name = ?1 COLLATE NOCASE",
                           -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      sqlite3_bind_text (stmt, 1, name, -1, SQLITE_STATIC);
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        type = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      else if (rc == SQLITE_DONE)
        rc = SQLITE_OK;
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_OK && rc != SQLITE_ROW)
    setl_sqlite_connection_fail (conn, rc, error, "SQLite database “%s”", conn->path);
  return type;
}

static char *
create_table_sql (const char  *quoted_table,
                  SetlField  **fields,
                  guint        n_fields)
{
  GString *sql = g_string_new ("CREATE TABLE ");

  g_string_append (sql, quoted_table);
  g_string_append (sql, " (");
  for (guint i = 0; i < n_fields; i++)
    {
      g_autofree char *q = setl_sqlite_quote_identifier (setl_field_get_name (fields[i]));
      g_string_append_printf (sql, "%s%s %s%s", i ? ", " : "", q,
                              setl_sqlite_type_to_decltype (setl_field_get_data_type (fields[i])),
                              setl_field_get_nullable (fields[i]) ? "" : " NOT NULL");
    }
  g_string_append_c (sql, ')');
  return g_string_free (sql, FALSE);
}

static char *
insert_sql (const char  *quoted_table,
            SetlField  **fields,
            guint        n_fields)
{
  GString *sql = g_string_new ("INSERT INTO ");

  g_string_append (sql, quoted_table);
  g_string_append (sql, " (");
  for (guint i = 0; i < n_fields; i++)
    {
      g_autofree char *q = setl_sqlite_quote_identifier (setl_field_get_name (fields[i]));
      g_string_append_printf (sql, "%s%s", i ? ", " : "", q);
    }
  g_string_append (sql, ") VALUES (");
  for (guint i = 0; i < n_fields; i++)
    g_string_append_printf (sql, "%s?%u", i ? ", " : "", i + 1);
  g_string_append_c (sql, ')');
  return g_string_free (sql, FALSE);
}

/* Inserts every row of @stream with @insert. Returns the number of rows, or
 * -1 with @error set. */
static gint64
insert_rows (SetlSqliteSink         *self,
             SetlSqliteConnection   *conn,
             sqlite3_stmt           *insert,
             SetlBatchStream        *stream,
             const char             *label,
             GCancellable           *cancellable,
             GError                **error)
{
  g_autoptr(SetlBatchIterator) it = NULL;
  SetlRecordBatch *next;
  GError *local = NULL;
  gint64 written = 0;

  it = setl_batch_stream_open (stream, cancellable, error);
  if (it == NULL)
    {
      g_prefix_error (error, "%s: reading the input: ", label);
      return -1;
    }
  while ((next = setl_batch_iterator_next (it, cancellable, &local)) != NULL)
    {
      g_autoptr(SetlRecordBatch) batch = next;
      gint64 n = setl_record_batch_get_n_rows (batch);
      guint n_columns = setl_record_batch_get_n_columns (batch);

      for (gint64 r = 0; r < n; r++)
        {
          int rc = SQLITE_OK;

          if (r % self->batch_size == 0 && g_cancellable_set_error_if_cancelled (cancellable, error))
            {
              g_prefix_error (error, "%s: ", label);
              return -1;
            }
          for (guint c = 0; c < n_columns && rc == SQLITE_OK; c++)
            rc = setl_sqlite_bind_value (insert, (int) c + 1,
                                         setl_record_batch_get_column (batch, c), r);
          if (rc == SQLITE_OK)
            rc = sqlite3_step (insert);
          if (rc != SQLITE_DONE)
            {
              setl_sqlite_connection_fail (conn, rc, error, "%s, row %" G_GINT64_FORMAT,
                                           label, written + 1);
              sqlite3_reset (insert);
              return -1;
            }
          sqlite3_reset (insert);
          written++;
        }
      /* for progress displays, while rows stream through */
      setl_factory_add_rows (SETL_FACTORY (self), n);
      /* The strings were bound without a copy: unbind before the batch goes */
      sqlite3_clear_bindings (insert);
    }
  if (local != NULL)
    {
      g_propagate_prefixed_error (error, local, "%s: reading the input after %" G_GINT64_FORMAT " rows: ",
                                  label, written);
      return -1;
    }
  return written;
}

static gboolean
setl_sqlite_sink_write (SetlFactory   *factory,
                        GCancellable  *cancellable,
                        GError       **error)
{
  SetlSqliteSink *self = SETL_SQLITE_SINK (factory);
  g_autoptr(SetlSqliteConnection) conn = NULL;
  g_autofree char *label = NULL;
  g_autofree char *existing = NULL;
  g_autofree char *quoted = NULL;
  g_autofree char *tmp_name = NULL;
  g_autofree char *quoted_tmp = NULL;
  g_autofree char *sql = NULL;
  sqlite3_stmt *insert = NULL;
  SetlBatchStream *stream;
  SetlField **fields;
  GError *local = NULL;
  guint n_fields;
  gboolean direct;
  gint64 written;
  int rc;

  self->rows_written = 0;
  if (self->database == NULL || *self->database == '\0' ||
      self->table == NULL || *self->table == '\0')
    {
      g_set_error (error, SETL_SQLITE_ERROR, SETL_SQLITE_ERROR_CONFIG,
                   "sqlite-sink “%s”: both “database” and “table” must be set",
                   setl_factory_get_name (factory));
      return FALSE;
    }
  label = g_strdup_printf ("sqlite-sink “%s”: SQLite database “%s”, table “%s”",
                           setl_factory_get_name (factory), self->database, self->table);
  stream = setl_factory_get_input_object (factory, "in");
  if (!SETL_IS_BATCH_STREAM (stream))
    {
      g_set_error (error, SETL_SQLITE_ERROR, SETL_SQLITE_ERROR_CONFIG,
                   "%s: input slot “in” holds no stream", label);
      return FALSE;
    }
  fields = setl_batch_stream_get_fields (stream, &n_fields);
  if (n_fields == 0)
    {
      g_set_error (error, SETL_SQLITE_ERROR, SETL_SQLITE_ERROR_CONFIG,
                   "%s: the input has no columns", label);
      return FALSE;
    }

  conn = setl_sqlite_connection_open (self->database, SETL_SQLITE_OPEN_CREATE, error);
  if (conn == NULL)
    {
      g_prefix_error (error, "%s: ", label);
      return FALSE;
    }
  conn->cancellable = cancellable;
  if (!setl_sqlite_connection_exec (conn, "BEGIN IMMEDIATE", error))
    {
      g_prefix_error (error, "%s: ", label);
      return FALSE;
    }

  existing = find_table (conn, self->table, &local);
  if (local != NULL)
    {
      g_propagate_prefixed_error (error, local, "%s: ", label);
      return FALSE;
    }
  if (existing != NULL && self->mode == SETL_SQLITE_SINK_MODE_FAIL_IF_EXISTS)
    {
      g_set_error (error, SETL_SQLITE_ERROR, SETL_SQLITE_ERROR_EXISTS,
                   "%s: the %s exists and the mode is “fail-if-exists”", label, existing);
      return FALSE;
    }
  if (existing != NULL && g_str_equal (existing, "view"))
    {
      g_set_error (error, SETL_SQLITE_ERROR, SETL_SQLITE_ERROR_CONFIG,
                   "%s: a view of that name exists; a sink writes tables only", label);
      return FALSE;
    }

  quoted = setl_sqlite_quote_identifier (self->table);
  direct = existing != NULL && self->mode == SETL_SQLITE_SINK_MODE_APPEND;
  if (!direct)
    {
      tmp_name = g_strdup_printf ("%s.setl-new-%08x", self->table, g_random_int ());
      quoted_tmp = setl_sqlite_quote_identifier (tmp_name);
      sql = create_table_sql (quoted_tmp, fields, n_fields);
      if (!setl_sqlite_connection_exec (conn, sql, error))
        {
          g_prefix_error (error, "%s: creating the new table: ", label);
          return FALSE;
        }
      g_free (sql);
    }

  sql = insert_sql (direct ? quoted : quoted_tmp, fields, n_fields);
  rc = sqlite3_prepare_v2 (conn->db, sql, -1, &insert, NULL);
  if (rc != SQLITE_OK)
    return setl_sqlite_connection_fail (conn, rc, error, "%s", label);
  written = insert_rows (self, conn, insert, stream, label, cancellable, error);
  sqlite3_finalize (insert);
  if (written < 0)
    return FALSE;   /* closing the connection rolls back */

  /* Legacy renaming leaves views and triggers that name the table alone:
   * they find the new table under the old name, as they should, instead of
   * the rename failing on a view of the table just dropped. */
  if (!direct)
    {
      g_autofree char *swap = NULL;
      if (existing != NULL)
        swap = g_strdup_printf ("PRAGMA legacy_alter_table = ON; "
                                "DROP TABLE %s; ALTER TABLE %s RENAME TO %s",
                                quoted, quoted_tmp, quoted);
      else
        swap = g_strdup_printf ("ALTER TABLE %s RENAME TO %s", quoted_tmp, quoted);
      if (!setl_sqlite_connection_exec (conn, swap, error))
        {
          g_prefix_error (error, "%s: swapping in the new table: ", label);
          return FALSE;
        }
    }
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    {
      g_prefix_error (error, "%s: ", label);
      return FALSE;
    }
  if (!setl_sqlite_connection_exec (conn, "COMMIT", error))
    {
      g_prefix_error (error, "%s: committing: ", label);
      return FALSE;
    }
  self->rows_written = written;
  return TRUE;
}

static gboolean
setl_sqlite_sink_get (SetlFactory  *factory,
                      GValue       *output,
                      GError      **error)
{
  g_value_set_int64 (output, SETL_SQLITE_SINK (factory)->rows_written);
  return TRUE;
}

static void
setl_sqlite_sink_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  SetlSqliteSink *self = SETL_SQLITE_SINK (object);

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
    case PROP_MODE:
      self->mode = g_value_get_enum (value);
      break;
    case PROP_BATCH_SIZE:
      self->batch_size = g_value_get_uint (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
setl_sqlite_sink_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  SetlSqliteSink *self = SETL_SQLITE_SINK (object);

  switch (prop_id)
    {
    case PROP_DATABASE: g_value_set_string (value, self->database); break;
    case PROP_TABLE: g_value_set_string (value, self->table); break;
    case PROP_MODE: g_value_set_enum (value, self->mode); break;
    case PROP_BATCH_SIZE: g_value_set_uint (value, self->batch_size); break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
setl_sqlite_sink_finalize (GObject *object)
{
  SetlSqliteSink *self = SETL_SQLITE_SINK (object);

  g_free (self->database);
  g_free (self->table);
  G_OBJECT_CLASS (setl_sqlite_sink_parent_class)->finalize (object);
}

/* A cached run of the sink is reused only while the database is as the
 * sink left it (see SetlCacheable): the file and its write-ahead log. Any
 * later write to the database, even to another table, makes the sink write
 * its table again: safe, if not always necessary. */
static char *
setl_sqlite_sink_output_fingerprint (SetlCacheable  *cacheable,
                                     GError        **error)
{
  SetlSqliteSink *self = SETL_SQLITE_SINK (cacheable);
  g_autofree char *wal = NULL, *db = NULL, *log = NULL;

  if (self->database == NULL || *self->database == '\0')
    return NULL;
  db = setl_cache_file_fingerprint (self->database);
  if (db == NULL)
    return NULL;
  wal = g_strconcat (self->database, "-wal", NULL);
  log = setl_cache_file_fingerprint (wal);
  return g_strdup_printf ("%s; wal %s", db, log ? log : "none");
}

static void
setl_sqlite_sink_cacheable_init (SetlCacheableInterface *iface)
{
  iface->output_fingerprint = setl_sqlite_sink_output_fingerprint;
}

static void
setl_sqlite_sink_class_init (SetlSqliteSinkClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  SetlFactoryClass *factory_class = SETL_FACTORY_CLASS (klass);

  object_class->set_property = setl_sqlite_sink_set_property;
  object_class->get_property = setl_sqlite_sink_get_property;
  object_class->finalize = setl_sqlite_sink_finalize;
  factory_class->write = setl_sqlite_sink_write;
  factory_class->get = setl_sqlite_sink_get;
  setl_factory_class_set_output_type (factory_class, G_TYPE_INT64);

  /**
   * SetlSqliteSink:database:
   *
   * The SQLite database file to write; created if missing.
   */
  properties[PROP_DATABASE] =
    g_param_spec_string ("database", "Database", "SQLite database file to write (created if missing)",
                         NULL, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  /**
   * SetlSqliteSink:table:
   *
   * The table to write; any name (it is quoted).
   */
  properties[PROP_TABLE] =
    g_param_spec_string ("table", "Table", "Table to write (any name: it is quoted)",
                         NULL, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  /**
   * SetlSqliteSink:mode:
   *
   * What to do with an existing table: replace it (atomically), append to
   * it, or fail.
   */
  properties[PROP_MODE] =
    g_param_spec_enum ("mode", "Mode", "What to do with an existing table: replace, append or fail-if-exists",
                       SETL_TYPE_SQLITE_SINK_MODE, SETL_SQLITE_SINK_MODE_REPLACE,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS);
  /**
   * SetlSqliteSink:batch-size:
   *
   * Rows inserted between two checks of the cancellable (the input's own
   * batches are written as they come).
   */
  properties[PROP_BATCH_SIZE] =
    g_param_spec_uint ("batch-size", "Batch size", "Rows inserted between two checks for cancellation",
                       1, G_MAXINT32, SETL_SQLITE_DEFAULT_BATCH_SIZE,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
setl_sqlite_sink_init (SetlSqliteSink *self)
{
  self->batch_size = SETL_SQLITE_DEFAULT_BATCH_SIZE;
  setl_factory_add_input (SETL_FACTORY (self), "in", SETL_TYPE_BATCH_STREAM, SETL_TYPE_EXTERNAL, NULL);
}
