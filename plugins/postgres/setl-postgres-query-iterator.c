/* setl-postgres-query-iterator.c: fetches a server-side cursor into record
 * batches, `FETCH FORWARD batch-size` per next(), so a pass holds one batch
 * of rows at most, in the client as in libpq.
 *
 * The pass owns a pooled connection for its lifetime: it commits and gives
 * the connection back once the rows are out, and rolls back (closing the
 * cursor) when dropped early or failed.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "setl-postgres-query-iterator.h"

struct _SetlPostgresQueryIterator
{
  SetlBatchIterator parent_instance;

  SetlPostgresQueryStream *stream;
  SetlPostgresConnection *conn;
  char *fetch;
  guint batch_size;
  gint64 rows;        /* rows returned so far, for error messages */
  gboolean done;
};

G_DEFINE_FINAL_TYPE (SetlPostgresQueryIterator, setl_postgres_query_iterator, SETL_TYPE_BATCH_ITERATOR)

static void
release (SetlPostgresQueryIterator *self)
{
  if (self->conn != NULL)
    setl_postgres_pool_release (g_steal_pointer (&self->conn));   /* rolls back if still open */
}

static SetlRecordBatch *
convert (SetlPostgresQueryIterator  *self,
         PGresult                   *res,
         GError                    **error)
{
  g_autoptr(GPtrArray) columns = g_ptr_array_new_with_free_func (g_object_unref);
  SetlField **fields;
  guint n_fields;
  int n = PQntuples (res);
  const char *label = setl_postgres_query_stream_get_label (self->stream);

  fields = setl_batch_stream_get_fields (SETL_BATCH_STREAM (self->stream), &n_fields);
  if ((guint) PQnfields (res) != n_fields)
    {
      g_set_error (error, SETL_POSTGRES_ERROR, SETL_POSTGRES_ERROR_CONFIG,
                   "%s: the query now returns %d columns instead of %u (did a table change?)",
                   label, PQnfields (res), n_fields);
      return NULL;
    }
  for (guint c = 0; c < n_fields; c++)
    {
      SetlDataType type = setl_field_get_data_type (fields[c]);
      g_autoptr(SetlColumnBuilder) b = setl_column_builder_new (type);
      gboolean nullable = setl_field_get_nullable (fields[c]);
      SetlColumn *col;

      setl_column_builder_reserve (b, n, 0);
      for (int r = 0; r < n; r++)
        {
          g_autofree char *problem = NULL;

          if (PQgetisnull (res, r, (int) c))
            {
              if (!nullable)
                {
                  g_set_error (error, SETL_POSTGRES_ERROR, SETL_POSTGRES_ERROR_TYPE,
                               "%s, column “%s”, row %" G_GINT64_FORMAT ": NULL in a NOT NULL column",
                               label, setl_field_get_name (fields[c]), self->rows + r + 1);
                  return NULL;
                }
              setl_column_builder_append_null (b);
            }
          else if (!setl_postgres_append_text (b, type, PQgetvalue (res, r, (int) c),
                                               (gsize) PQgetlength (res, r, (int) c), &problem))
            {
              g_set_error (error, SETL_POSTGRES_ERROR, SETL_POSTGRES_ERROR_TYPE,
                           "%s, column “%s” (%s), row %" G_GINT64_FORMAT ": %s",
                           label, setl_field_get_name (fields[c]), setl_data_type_to_string (type),
                           self->rows + r + 1, problem);
              return NULL;
            }
        }
      col = setl_column_builder_finish (b, error);
      if (col == NULL)
        {
          g_prefix_error (error, "%s, column “%s”: ", label, setl_field_get_name (fields[c]));
          return NULL;
        }
      g_ptr_array_add (columns, col);
    }
  return setl_record_batch_new (fields, n_fields, (SetlColumn **) columns->pdata, columns->len, error);
}

static SetlRecordBatch *
setl_postgres_query_iterator_next (SetlBatchIterator  *it,
                                   GCancellable       *cancellable,
                                   GError            **error)
{
  SetlPostgresQueryIterator *self = SETL_POSTGRES_QUERY_ITERATOR (it);
  SetlRecordBatch *batch = NULL;
  PGresult *res;
  int n;

  if (self->done)
    return NULL;
  res = setl_postgres_connection_exec (self->conn, self->fetch, 0, NULL, cancellable, error);
  if (res == NULL)
    {
      g_prefix_error (error, "%s, after %" G_GINT64_FORMAT " rows: ",
                      setl_postgres_query_stream_get_label (self->stream), self->rows);
      self->done = TRUE;   /* a failed pass stays failed */
      release (self);
      return NULL;
    }
  n = PQntuples (res);
  _setl_postgres_count_fetched (n);
  if (n > 0)
    batch = convert (self, res, error);
  PQclear (res);
  if (n > 0 && batch == NULL)
    {
      self->done = TRUE;
      release (self);
      return NULL;
    }
  self->rows += n;
  if ((guint) n < self->batch_size)
    {
      /* the rows are out: end the transaction now, give the connection back */
      self->done = TRUE;
      if (!setl_postgres_connection_run (self->conn, "COMMIT", NULL, error))
        {
          g_prefix_error (error, "%s: ", setl_postgres_query_stream_get_label (self->stream));
          release (self);
          g_clear_object (&batch);
          return NULL;
        }
      release (self);
    }
  return batch;
}

static void
setl_postgres_query_iterator_finalize (GObject *object)
{
  SetlPostgresQueryIterator *self = SETL_POSTGRES_QUERY_ITERATOR (object);

  release (self);
  g_free (self->fetch);
  g_clear_object (&self->stream);
  G_OBJECT_CLASS (setl_postgres_query_iterator_parent_class)->finalize (object);
}

static void
setl_postgres_query_iterator_class_init (SetlPostgresQueryIteratorClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = setl_postgres_query_iterator_finalize;
  SETL_BATCH_ITERATOR_CLASS (klass)->next = setl_postgres_query_iterator_next;
}

static void
setl_postgres_query_iterator_init (SetlPostgresQueryIterator *self)
{
}

/* Takes @conn, in a transaction with "setl_cursor" declared. */
SetlBatchIterator *
setl_postgres_query_iterator_new (SetlPostgresQueryStream *stream,
                                  SetlPostgresConnection  *conn,
                                  guint                    batch_size)
{
  SetlPostgresQueryIterator *self = g_object_new (SETL_TYPE_POSTGRES_QUERY_ITERATOR, NULL);

  self->stream = g_object_ref (stream);
  self->conn = conn;
  self->batch_size = MAX (batch_size, 1);
  self->fetch = g_strdup_printf ("FETCH FORWARD %u FROM setl_cursor", MAX (batch_size, 1));
  return SETL_BATCH_ITERATOR (self);
}
