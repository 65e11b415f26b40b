/* setl-sqlite-vtab.c: the `setl_batch_stream` virtual table module, which
 * lets SQLite read a factory's input streams where they are.
 *
 * Each input of a "sql" factory becomes `temp."<slot name>"`, a virtual
 * table whose cursor opens its own pass over the stream (xFilter) and
 * answers xColumn straight from the current record batch's Arrow buffers:
 * no row is ever inserted into SQLite. Values go to SQLite as
 *
 *   bool → INTEGER 0/1, int64 → INTEGER, double → REAL, string → TEXT,
 *   date32 → TEXT 'YYYY-MM-DD', timestamp → TEXT 'YYYY-MM-DD HH:MM:SS[.ffffff]'
 *
 * and the table's declared column types (BOOLEAN, INTEGER, REAL, TEXT, DATE,
 * TIMESTAMP) carry the libsetl types through to the query's result columns.
 *
 * Joins: SQLite builds no automatic index on a virtual table, so a join
 * would rescan the inner stream once per outer row. xBestIndex therefore
 * offers an equality lookup on int64, bool and (binary-collated) string
 * columns; the first such xFilter on a cursor holds the stream's batches
 * (by reference) and hashes the column's values once, which turns the join
 * into a hash join. Keys point into the column buffers; nothing is copied.
 * SQLite still checks every returned row (omit = 0), so a lookup only has
 * to return a superset of the matches — when the probe value's type is not
 * the column's, the cursor falls back to a full scan.
 *
 * Strings are handed to SQLite with SQLITE_TRANSIENT: SQLite keeps copies of
 * values it was told are static (in aggregates, for example) past the batch
 * that holds them, so the register copy is the price of safety.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "setl-sqlite-vtab.h"

#include <string.h>

static gint column_reads;   /* xColumn calls, for tests */
static gint index_builds;   /* hash indexes built, for tests */

guint
setl_sqlite_vtab_get_column_reads (void)
{
  return (guint) g_atomic_int_get (&column_reads);
}

guint
setl_sqlite_vtab_get_index_builds (void)
{
  return (guint) g_atomic_int_get (&index_builds);
}

typedef struct
{
  SetlSqliteConnection *conn;
  GHashTable *inputs;   /* name → SetlBatchStream */
} ModuleData;

typedef struct
{
  sqlite3_vtab base;
  ModuleData *module;
  SetlBatchStream *stream;
  char *name;
  guint n_fields;
  SetlDataType *types;
} Vtab;

typedef struct
{
  const char *p;   /* string bytes in the column buffer, or NULL for ints */
  gsize n;
  gint64 i;
} Key;

typedef struct
{
  sqlite3_vtab_cursor base;
  SetlBatchIterator *it;
  SetlRecordBatch *batch;      /* current batch (owned) */
  SetlColumn **columns;        /* its columns (not owned) */
  gint64 n_rows, row, rowid;
  gboolean eof;

  /* lookup mode */
  SetlTable *table;
  GHashTable *index;           /* Key → GArray of guint64 (batch << 32 | row) */
  int index_column;
  GArray *matches;             /* not owned: a value of index */
  guint match_pos;
  gboolean lookup;
} Cursor;

/* ----------------------------------------------------------------------- */

static void
module_data_free (void *data)
{
  ModuleData *m = data;

  g_hash_table_unref (m->inputs);
  g_free (m);
}

static void
vtab_free (Vtab *vt)
{
  g_clear_object (&vt->stream);
  g_free (vt->name);
  g_free (vt->types);
  g_free (vt);
}

static int
vtab_connect (sqlite3             *db,
              void                *aux,
              int                  argc,
              const char * const  *argv,
              sqlite3_vtab       **out,
              char               **err)
{
  ModuleData *m = aux;
  SetlBatchStream *stream;
  SetlField **fields;
  g_autoptr(GString) schema = g_string_new ("CREATE TABLE x(");
  Vtab *vt;
  int rc;

  stream = argc >= 3 ? g_hash_table_lookup (m->inputs, argv[2]) : NULL;
  if (stream == NULL)
    {
      *err = sqlite3_mprintf ("no input stream named “%s”", argc >= 3 ? argv[2] : "");
      return SQLITE_ERROR;
    }
  vt = g_new0 (Vtab, 1);
  vt->module = m;
  vt->stream = g_object_ref (stream);
  vt->name = g_strdup (argv[2]);
  fields = setl_batch_stream_get_fields (stream, &vt->n_fields);
  vt->types = g_new (SetlDataType, MAX (vt->n_fields, 1));
  for (guint i = 0; i < vt->n_fields; i++)
    {
      g_autofree char *q = setl_sqlite_quote_identifier (setl_field_get_name (fields[i]));
      vt->types[i] = setl_field_get_data_type (fields[i]);
      g_string_append_printf (schema, "%s%s %s", i ? ", " : "", q,
                              setl_sqlite_type_to_decltype (vt->types[i]));
    }
  g_string_append_c (schema, ')');
  rc = sqlite3_declare_vtab (db, schema->str);
  if (rc != SQLITE_OK)
    {
      *err = sqlite3_mprintf ("input “%s”: %s", argv[2], sqlite3_errmsg (db));
      vtab_free (vt);
      return rc;
    }
  *out = &vt->base;
  return SQLITE_OK;
}

static int
vtab_disconnect (sqlite3_vtab *base)
{
  vtab_free ((Vtab *) base);
  return SQLITE_OK;
}

static gboolean
indexable (SetlDataType type)
{
  return type == SETL_DATA_TYPE_INT64 || type == SETL_DATA_TYPE_BOOL ||
         type == SETL_DATA_TYPE_STRING;
}

static int
vtab_best_index (sqlite3_vtab       *base,
                 sqlite3_index_info *info)
{
  Vtab *vt = (Vtab *) base;
  double rows = SETL_IS_TABLE (vt->stream) ? (double) setl_table_get_n_rows (SETL_TABLE (vt->stream))
                                           : 1e6;
  int eq = -1;

  for (int i = 0; i < info->nConstraint; i++)
    {
      const struct sqlite3_index_constraint *c = &info->aConstraint[i];
      if (!c->usable || c->op != SQLITE_INDEX_CONSTRAINT_EQ || c->iColumn < 0 ||
          (guint) c->iColumn >= vt->n_fields || !indexable (vt->types[c->iColumn]))
        continue;
      if (vt->types[c->iColumn] == SETL_DATA_TYPE_STRING &&
          g_ascii_strcasecmp (sqlite3_vtab_collation (info, i), "BINARY") != 0)
        continue;
      eq = i;
      break;
    }
  if (eq >= 0)
    {
      info->idxNum = info->aConstraint[eq].iColumn + 1;
      info->aConstraintUsage[eq].argvIndex = 1;
      info->aConstraintUsage[eq].omit = 0;
      /* one hash build, then a probe per outer row */
      info->estimatedCost = 10.0;
      info->estimatedRows = 10;
    }
  else
    {
      info->idxNum = 0;
      info->estimatedCost = rows;
      info->estimatedRows = (sqlite3_int64) rows;
    }
  return SQLITE_OK;
}

static int
cursor_open (sqlite3_vtab         *base,
             sqlite3_vtab_cursor **out)
{
  Cursor *cur = g_new0 (Cursor, 1);

  cur->eof = TRUE;
  cur->index_column = -1;
  *out = &cur->base;
  return SQLITE_OK;
}

static void
cursor_set_batch (Cursor          *cur,
                  SetlRecordBatch *batch)   /* transfer full */
{
  guint n;

  g_clear_object (&cur->batch);
  g_clear_pointer (&cur->columns, g_free);
  cur->batch = batch;
  if (batch == NULL)
    return;
  n = setl_record_batch_get_n_columns (batch);
  cur->columns = g_new (SetlColumn *, MAX (n, 1));
  for (guint i = 0; i < n; i++)
    cur->columns[i] = setl_record_batch_get_column (batch, i);
  cur->n_rows = setl_record_batch_get_n_rows (batch);
}

static void
cursor_reset (Cursor *cur)
{
  g_clear_object (&cur->it);
  cursor_set_batch (cur, NULL);
  cur->eof = TRUE;
  cur->lookup = FALSE;
  cur->matches = NULL;
  cur->rowid = 0;
}

static int
cursor_close (sqlite3_vtab_cursor *base)
{
  Cursor *cur = (Cursor *) base;

  cursor_reset (cur);
  g_clear_pointer (&cur->index, g_hash_table_unref);
  g_clear_object (&cur->table);
  g_free (cur);
  return SQLITE_OK;
}

/* Hands a stream's failure to the connection, where the statement's
 * stepper finds it and reports the original GError. */
static int
fail (Cursor  *cur,
      GError  *error)
{
  Vtab *vt = (Vtab *) cur->base.pVtab;
  SetlSqliteConnection *conn = vt->module->conn;
  gboolean cancelled = g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

  sqlite3_free (vt->base.zErrMsg);
  vt->base.zErrMsg = sqlite3_mprintf ("input “%s”: %s", vt->name, error->message);
  if (conn->pending_error == NULL)
    g_propagate_prefixed_error (&conn->pending_error, error, "input “%s”: ", vt->name);
  else
    g_error_free (error);
  return cancelled ? SQLITE_INTERRUPT : SQLITE_ERROR;
}

/* Moves to the next non-empty batch of the pass, or to the end. */
static int
scan_next_batch (Cursor *cur)
{
  Vtab *vt = (Vtab *) cur->base.pVtab;
  GError *error = NULL;

  for (;;)
    {
      SetlRecordBatch *batch = setl_batch_iterator_next (cur->it, vt->module->conn->cancellable, &error);
      if (batch == NULL)
        {
          cursor_set_batch (cur, NULL);
          cur->eof = TRUE;
          return error ? fail (cur, error) : SQLITE_OK;
        }
      cursor_set_batch (cur, batch);
      cur->row = 0;
      if (cur->n_rows > 0)
        return SQLITE_OK;
    }
}

static guint
key_hash (gconstpointer data)
{
  const Key *k = data;
  guint h = 5381;

  if (k->p == NULL)
    return g_int64_hash (&k->i);
  for (gsize i = 0; i < k->n; i++)
    h = h * 33 + (guchar) k->p[i];
  return h;
}

static gboolean
key_equal (gconstpointer a,
           gconstpointer b)
{
  const Key *x = a, *y = b;

  if (x->p == NULL || y->p == NULL)
    return x->p == y->p && x->i == y->i;
  return x->n == y->n && memcmp (x->p, y->p, x->n) == 0;
}

static void
key_free (gpointer data)
{
  g_free (data);
}

static void
positions_free (gpointer data)
{
  g_array_unref (data);
}

/* Hashes @column of the whole stream. The table holds the batches, so the
 * keys can point into their buffers. */
static int
build_index (Cursor *cur,
             int     column)
{
  Vtab *vt = (Vtab *) cur->base.pVtab;
  GError *error = NULL;
  SetlDataType type = vt->types[column];

  g_clear_pointer (&cur->index, g_hash_table_unref);
  if (cur->table == NULL)
    {
      cur->table = setl_batch_stream_collect (vt->stream, vt->module->conn->cancellable, &error);
      if (cur->table == NULL)
        return fail (cur, error);
    }
  cur->index = g_hash_table_new_full (key_hash, key_equal, key_free, positions_free);
  cur->index_column = column;
  g_atomic_int_inc (&index_builds);

  for (guint b = 0; b < setl_table_get_n_batches (cur->table); b++)
    {
      SetlColumn *col = setl_record_batch_get_column (setl_table_get_batch (cur->table, b), column);
      gint64 n = setl_column_get_length (col);

      for (gint64 r = 0; r < n; r++)
        {
          Key probe = { 0 };
          GArray *positions;
          guint64 pos = ((guint64) b << 32) | (guint64) r;

          if (setl_column_is_null (col, r))
            continue;   /* NULL = x is never true */
          if (type == SETL_DATA_TYPE_STRING)
            {
              probe.p = setl_column_get_string (col, r, &probe.n);
              if (probe.p == NULL)
                probe.p = "";
            }
          else if (type == SETL_DATA_TYPE_BOOL)
            probe.i = setl_column_get_bool (col, r) ? 1 : 0;
          else
            probe.i = setl_column_get_int64 (col, r);
          positions = g_hash_table_lookup (cur->index, &probe);
          if (positions == NULL)
            {
              positions = g_array_new (FALSE, FALSE, sizeof (guint64));
              g_hash_table_insert (cur->index, g_memdup2 (&probe, sizeof probe), positions);
            }
          g_array_append_val (positions, pos);
        }
    }
  return SQLITE_OK;
}

static void
lookup_position (Cursor *cur)
{
  guint64 pos = g_array_index (cur->matches, guint64, cur->match_pos);
  guint b = (guint) (pos >> 32);

  if (cur->batch != setl_table_get_batch (cur->table, b))
    cursor_set_batch (cur, g_object_ref (setl_table_get_batch (cur->table, b)));
  cur->row = (gint64) (pos & 0xffffffffu);
  cur->rowid = (gint64) pos;
}

static int
cursor_filter (sqlite3_vtab_cursor  *base,
               int                   idx_num,
               const char           *idx_str,
               int                   argc,
               sqlite3_value       **argv)
{
  Cursor *cur = (Cursor *) base;
  Vtab *vt = (Vtab *) base->pVtab;
  GError *error = NULL;

  cursor_reset (cur);

  if (idx_num > 0 && argc == 1)
    {
      int column = idx_num - 1;
      SetlDataType type = vt->types[column];
      int vtype = sqlite3_value_type (argv[0]);
      Key probe = { 0 };
      gboolean usable = TRUE;

      if (vtype == SQLITE_NULL)
        return SQLITE_OK;   /* eof: nothing equals NULL */
      if (type == SETL_DATA_TYPE_STRING)
        {
          usable = vtype == SQLITE_TEXT;
          probe.p = (const char *) sqlite3_value_text (argv[0]);
          probe.n = sqlite3_value_bytes (argv[0]);
        }
      else if (vtype == SQLITE_INTEGER)
        probe.i = sqlite3_value_int64 (argv[0]);
      else
        usable = FALSE;   /* REAL or TEXT against an integer: let SQLite compare */

      if (usable)
        {
          int rc;

          if (cur->index == NULL || cur->index_column != column)
            if ((rc = build_index (cur, column)) != SQLITE_OK)
              return rc;
          cur->lookup = TRUE;
          cur->matches = g_hash_table_lookup (cur->index, &probe);
          cur->match_pos = 0;
          cur->eof = cur->matches == NULL || cur->matches->len == 0;
          if (!cur->eof)
            lookup_position (cur);
          return SQLITE_OK;
        }
    }

  /* A full scan: a new pass over the stream. */
  cur->it = setl_batch_stream_open (vt->stream, vt->module->conn->cancellable, &error);
  if (cur->it == NULL)
    return fail (cur, error);
  cur->eof = FALSE;
  return scan_next_batch (cur);
}

static int
cursor_next (sqlite3_vtab_cursor *base)
{
  Cursor *cur = (Cursor *) base;

  if (cur->lookup)
    {
      if (++cur->match_pos >= cur->matches->len)
        cur->eof = TRUE;
      else
        lookup_position (cur);
      return SQLITE_OK;
    }
  cur->rowid++;
  if (++cur->row < cur->n_rows)
    return SQLITE_OK;
  return scan_next_batch (cur);
}

static int
cursor_eof (sqlite3_vtab_cursor *base)
{
  return ((Cursor *) base)->eof;
}

static int
cursor_column (sqlite3_vtab_cursor *base,
               sqlite3_context     *ctx,
               int                  i)
{
  Cursor *cur = (Cursor *) base;
  Vtab *vt = (Vtab *) base->pVtab;
  SetlColumn *col;
  gint64 row = cur->row;
  char buf[48];

  g_atomic_int_inc (&column_reads);
  if (i < 0 || (guint) i >= vt->n_fields || cur->batch == NULL)
    {
      sqlite3_result_null (ctx);
      return SQLITE_OK;
    }
  col = cur->columns[i];
  if (setl_column_is_null (col, row))
    {
      sqlite3_result_null (ctx);
      return SQLITE_OK;
    }
  switch (vt->types[i])
    {
    case SETL_DATA_TYPE_BOOL:
      sqlite3_result_int (ctx, setl_column_get_bool (col, row) ? 1 : 0);
      break;
    case SETL_DATA_TYPE_INT64:
      sqlite3_result_int64 (ctx, setl_column_get_int64 (col, row));
      break;
    case SETL_DATA_TYPE_DOUBLE:
      sqlite3_result_double (ctx, setl_column_get_double (col, row));
      break;
    case SETL_DATA_TYPE_STRING:
      {
        gsize len;
        const char *s = setl_column_get_string (col, row, &len);
        sqlite3_result_text64 (ctx, s ? s : "", len, SQLITE_TRANSIENT, SQLITE_UTF8);
      }
      break;
    case SETL_DATA_TYPE_DATE32:
      sqlite3_result_text (ctx, setl_sqlite_format_date32 (setl_column_get_date32 (col, row), buf),
                           -1, SQLITE_TRANSIENT);
      break;
    case SETL_DATA_TYPE_TIMESTAMP:
      sqlite3_result_text (ctx, setl_sqlite_format_timestamp (setl_column_get_timestamp (col, row), buf),
                           -1, SQLITE_TRANSIENT);
      break;
    default:
      sqlite3_result_null (ctx);
      break;
    }
  return SQLITE_OK;
}

static int
cursor_rowid (sqlite3_vtab_cursor *base,
              sqlite3_int64       *rowid)
{
  *rowid = ((Cursor *) base)->rowid;
  return SQLITE_OK;
}

static const sqlite3_module batch_stream_module = {
  .iVersion = 1,
  .xCreate = vtab_connect,
  .xConnect = vtab_connect,
  .xBestIndex = vtab_best_index,
  .xDisconnect = vtab_disconnect,
  .xDestroy = vtab_disconnect,
  .xOpen = cursor_open,
  .xClose = cursor_close,
  .xFilter = cursor_filter,
  .xNext = cursor_next,
  .xEof = cursor_eof,
  .xColumn = cursor_column,
  .xRowid = cursor_rowid,
};

/**
 * setl_sqlite_vtab_attach:
 * @conn: a connection
 * @inputs: (element-type utf8 SetlBatchStream): the streams, by table name
 * @error: return location for a #GError
 *
 * Registers the module on @conn and creates `temp."<name>"` for each input,
 * which shadows any table of that name in the main database.
 */
gboolean
setl_sqlite_vtab_attach (SetlSqliteConnection  *conn,
                         GHashTable            *inputs,
                         GError               **error)
{
  ModuleData *m = g_new0 (ModuleData, 1);
  GHashTableIter iter;
  gpointer name;
  int rc;

  m->conn = conn;
  m->inputs = g_hash_table_ref (inputs);
  rc = sqlite3_create_module_v2 (conn->db, "setl_batch_stream", &batch_stream_module, m,
                                 module_data_free);
  if (rc != SQLITE_OK)
    return setl_sqlite_connection_fail (conn, rc, error, "Cannot register the setl_batch_stream module");

  g_hash_table_iter_init (&iter, inputs);
  while (g_hash_table_iter_next (&iter, &name, NULL))
    {
      g_autofree char *quoted = setl_sqlite_quote_identifier (name);
      g_autofree char *sql = g_strdup_printf ("CREATE VIRTUAL TABLE temp.%s USING setl_batch_stream",
                                              quoted);
      rc = sqlite3_exec (conn->db, sql, NULL, NULL, NULL);
      if (rc != SQLITE_OK)
        return setl_sqlite_connection_fail (conn, rc, error, "Cannot make input “%s” a table",
                                            (const char *) name);
    }
  return TRUE;
}
