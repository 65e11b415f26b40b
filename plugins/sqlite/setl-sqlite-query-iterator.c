/* setl-sqlite-query-iterator.c: steps an SQLite statement into record
 * batches, one batch per next(), so a pass holds one batch of rows at most.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "setl-sqlite-query-iterator.h"

struct _SetlSqliteQueryIterator
{
  SetlBatchIterator parent_instance;

  SetlSqliteQueryStream *stream;
  SetlSqliteConnection *conn;
  sqlite3_stmt *stmt;
  guint batch_size;
  gint64 rows;        /* rows returned so far, for error messages */
  gboolean done;
};

G_DEFINE_FINAL_TYPE (SetlSqliteQueryIterator, setl_sqlite_query_iterator, SETL_TYPE_BATCH_ITERATOR)

/* Steps up to @max_rows rows of @stmt into a batch of @fields. *@batch is
 * NULL when no row was left; *@done says whether the statement finished.
 * Errors name @label, the column and the row (counted from 1). */
gboolean
_setl_sqlite_query_fill_batch (SetlSqliteConnection  *conn,
                               sqlite3_stmt          *stmt,
                               SetlField            **fields,
                               guint                  n_fields,
                               guint                  max_rows,
                               const char            *label,
                               gint64                 first_row,
                               SetlRecordBatch      **batch,
                               gboolean              *done,
                               GError               **error)
{
  g_autoptr(GPtrArray) builders = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) columns = g_ptr_array_new_with_free_func (g_object_unref);
  SetlDataType *types = g_newa (SetlDataType, MAX (n_fields, 1));
  guint n = 0;
  int rc = SQLITE_ROW;

  *batch = NULL;
  *done = FALSE;
  for (guint i = 0; i < n_fields; i++)
    {
      types[i] = setl_field_get_data_type (fields[i]);
      g_ptr_array_add (builders, setl_column_builder_new (types[i]));
    }

  while (n < max_rows)
    {
      rc = setl_sqlite_connection_step (conn, stmt);
      if (rc != SQLITE_ROW)
        break;
      for (guint i = 0; i < n_fields; i++)
        {
          g_autofree char *problem = NULL;

          if (!setl_sqlite_append_value (builders->pdata[i], types[i], stmt, (int) i, &problem))
            {
              g_set_error (error, SETL_SQLITE_ERROR, SETL_SQLITE_ERROR_TYPE,
                           "%s, column “%s” (%s), row %" G_GINT64_FORMAT ": %s",
                           label, setl_field_get_name (fields[i]),
                           setl_data_type_to_string (types[i]), first_row + n + 1, problem);
              return FALSE;
            }
          if (!setl_field_get_nullable (fields[i]) && sqlite3_column_type (stmt, (int) i) == SQLITE_NULL)
            {
              g_set_error (error, SETL_SQLITE_ERROR, SETL_SQLITE_ERROR_TYPE,
                           "%s, column “%s”, row %" G_GINT64_FORMAT ": NULL in a NOT NULL column",
                           label, setl_field_get_name (fields[i]), first_row + n + 1);
              return FALSE;
            }
        }
      n++;
      /* Long strings: cut the batch well before a column's 2 GiB. */
      if ((n & 1023) == 0)
        {
          gsize bytes = 0;
          for (guint i = 0; i < n_fields; i++)
            bytes += setl_column_builder_get_byte_size (builders->pdata[i]);
          if (bytes >= SETL_SQLITE_MAX_BATCH_BYTES)
            break;
        }
    }
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return setl_sqlite_connection_fail (conn, rc, error, "%s, row %" G_GINT64_FORMAT,
                                        label, first_row + n + 1);
  *done = rc == SQLITE_DONE;
  if (n == 0)
    return TRUE;

  for (guint i = 0; i < n_fields; i++)
    {
      SetlColumn *col = setl_column_builder_finish (builders->pdata[i], error);
      if (col == NULL)
        {
          g_prefix_error (error, "%s, column “%s”: ", label, setl_field_get_name (fields[i]));
          return FALSE;
        }
      g_ptr_array_add (columns, col);
    }
  *batch = setl_record_batch_new (fields, n_fields, (SetlColumn **) columns->pdata,
                                  columns->len, error);
  if (*batch == NULL)
    {
      g_prefix_error (error, "%s: ", label);
      return FALSE;
    }
  return TRUE;
}

static void
release (SetlSqliteQueryIterator *self)
{
  g_clear_pointer (&self->stmt, sqlite3_finalize);
  g_clear_pointer (&self->conn, setl_sqlite_connection_close);
}

static SetlRecordBatch *
setl_sqlite_query_iterator_next (SetlBatchIterator  *it,
                                 GCancellable       *cancellable,
                                 GError            **error)
{
  SetlSqliteQueryIterator *self = SETL_SQLITE_QUERY_ITERATOR (it);
  SetlRecordBatch *batch = NULL;
  SetlField **fields;
  guint n_fields;
  gboolean ok;

  if (self->done)
    return NULL;
  fields = setl_batch_stream_get_fields (SETL_BATCH_STREAM (self->stream), &n_fields);
  self->conn->cancellable = cancellable;
  ok = _setl_sqlite_query_fill_batch (self->conn, self->stmt, fields, n_fields, self->batch_size,
                                      setl_sqlite_query_stream_get_label (self->stream),
                                      self->rows, &batch, &self->done, error);
  if (self->conn != NULL)
    self->conn->cancellable = NULL;
  if (!ok)
    {
      /* a failed pass stays failed: release the connection now */
      self->done = TRUE;
      release (self);
      return NULL;
    }
  if (self->done)
    release (self);   /* free the database handle as soon as the rows are out */
  if (batch != NULL)
    self->rows += setl_record_batch_get_n_rows (batch);
  return batch;
}

static void
setl_sqlite_query_iterator_finalize (GObject *object)
{
  SetlSqliteQueryIterator *self = SETL_SQLITE_QUERY_ITERATOR (object);

  release (self);
  g_clear_object (&self->stream);
  G_OBJECT_CLASS (setl_sqlite_query_iterator_parent_class)->finalize (object);
}

static void
setl_sqlite_query_iterator_class_init (SetlSqliteQueryIteratorClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = setl_sqlite_query_iterator_finalize;
  SETL_BATCH_ITERATOR_CLASS (klass)->next = setl_sqlite_query_iterator_next;
}

static void
setl_sqlite_query_iterator_init (SetlSqliteQueryIterator *self)
{
}

/* Takes @conn and @stmt. */
SetlBatchIterator *
setl_sqlite_query_iterator_new (SetlSqliteQueryStream *stream,
                                SetlSqliteConnection  *conn,
                                sqlite3_stmt          *stmt,
                                guint                  batch_size)
{
  SetlSqliteQueryIterator *self = g_object_new (SETL_TYPE_SQLITE_QUERY_ITERATOR, NULL);

  self->stream = g_object_ref (stream);
  self->conn = conn;
  self->stmt = stmt;
  self->batch_size = MAX (batch_size, 1);
  return SETL_BATCH_ITERATOR (self);
}
