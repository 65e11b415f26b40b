/* setl-postgres-copy.c: loads a stream of record batches into a table with
 * `COPY … FROM STDIN (FORMAT binary)`, the fastest way into PostgreSQL:
 * no SQL per row, no text to parse on the server. Rows are encoded into a
 * buffer of about a megabyte and sent as it fills, so memory stays bounded
 * by one input batch and that buffer.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "setl-postgres-copy.h"

#define COPY_CHUNK (1024 * 1024)

char *
setl_postgres_create_table_sql (const char  *qualified,
                                gboolean     temporary,
                                SetlField  **fields,
                                guint        n_fields)
{
  GString *sql = g_string_new (temporary ? "CREATE TEMPORARY TABLE " : "CREATE TABLE ");

  g_string_append (sql, qualified);
  g_string_append (sql, " (");
  for (guint i = 0; i < n_fields; i++)
    {
      g_autofree char *q = setl_postgres_quote_identifier (setl_field_get_name (fields[i]));
      g_string_append_printf (sql, "%s%s %s%s", i ? ", " : "", q,
                              setl_postgres_type_to_sql (fields[i]),
                              setl_field_get_nullable (fields[i]) ? "" : " NOT NULL");
    }
  g_string_append_c (sql, ')');
  if (temporary)
    g_string_append (sql, " ON COMMIT DROP");
  return g_string_free (sql, FALSE);
}

static gboolean
put (SetlPostgresConnection  *conn,
     GByteArray              *buf,
     GError                 **error)
{
  if (buf->len == 0)
    return TRUE;
  if (PQputCopyData (conn->pg, (const char *) buf->data, (int) buf->len) != 1)
    {
      g_autofree char *msg = setl_postgres_one_line (PQerrorMessage (conn->pg));
      g_set_error (error, SETL_POSTGRES_ERROR, SETL_POSTGRES_ERROR_SQL, "sending COPY data: %s", msg);
      return FALSE;
    }
  g_byte_array_set_size (buf, 0);
  return TRUE;
}

/* Ends the COPY: @abort_reason NULL commits it (to the transaction), else
 * makes the server fail it. Returns whether the server accepted the rows. */
static gboolean
finish (SetlPostgresConnection  *conn,
        const char              *abort_reason,
        GCancellable            *cancellable,
        GError                 **error)
{
  PGresult *res;
  gboolean ok = TRUE;

  if (PQputCopyEnd (conn->pg, abort_reason) != 1)
    {
      if (error != NULL && *error == NULL)
        {
          g_autofree char *msg = setl_postgres_one_line (PQerrorMessage (conn->pg));
          g_set_error (error, SETL_POSTGRES_ERROR, SETL_POSTGRES_ERROR_SQL, "ending COPY: %s", msg);
        }
      return FALSE;
    }
  while ((res = PQgetResult (conn->pg)) != NULL)
    {
      if (PQresultStatus (res) != PGRES_COMMAND_OK)
        {
          if (ok && abort_reason == NULL)
            setl_postgres_connection_fail (conn, res, cancellable, error);
          ok = FALSE;
        }
      PQclear (res);
    }
  return ok && abort_reason == NULL;
}

/**
 * setl_postgres_copy_in:
 * @conn: a connection, in the transaction the rows belong to
 * @qualified: the quoted table name
 * @stream: the rows; the table's columns are the stream's fields, in order
 * @progress: (nullable): a factory whose row count follows the load
 * @cancellable: (nullable): stops the load (the COPY fails on the server)
 * @error: return location for a #GError
 *
 * Returns: the number of rows loaded, or -1 with @error set (the COPY is
 *   aborted and the transaction must be rolled back)
 */
gint64
setl_postgres_copy_in (SetlPostgresConnection  *conn,
                       const char              *qualified,
                       SetlBatchStream         *stream,
                       SetlFactory             *progress,
                       GCancellable            *cancellable,
                       GError                 **error)
{
  g_autoptr(SetlBatchIterator) it = NULL;
  g_autoptr(GByteArray) buf = NULL;
  g_autoptr(GString) sql = g_string_new ("COPY ");
  SetlField **fields;
  SetlRecordBatch *next;
  GError *local = NULL;
  PGresult *res;
  guint n_fields;
  gint64 written = 0;

  fields = setl_batch_stream_get_fields (stream, &n_fields);
  g_string_append_printf (sql, "%s (", qualified);
  for (guint i = 0; i < n_fields; i++)
    {
      g_autofree char *q = setl_postgres_quote_identifier (setl_field_get_name (fields[i]));
      g_string_append_printf (sql, "%s%s", i ? ", " : "", q);
    }
  g_string_append (sql, ") FROM STDIN (FORMAT binary)");

  it = setl_batch_stream_open (stream, cancellable, error);
  if (it == NULL)
    {
      g_prefix_error (error, "reading the input: ");
      return -1;
    }
  res = PQexec (conn->pg, sql->str);
  if (PQresultStatus (res) != PGRES_COPY_IN)
    {
      setl_postgres_connection_fail (conn, res, cancellable, error);
      PQclear (res);
      return -1;
    }
  PQclear (res);

  buf = g_byte_array_sized_new (COPY_CHUNK + 65536);
  setl_postgres_copy_header (buf);
  while ((next = setl_batch_iterator_next (it, cancellable, &local)) != NULL)
    {
      g_autoptr(SetlRecordBatch) batch = next;
      gint64 n = setl_record_batch_get_n_rows (batch);

      for (gint64 r = 0; r < n; )
        {
          r = setl_postgres_copy_append_rows (buf, batch, r, n, COPY_CHUNK);
          if (buf->len >= COPY_CHUNK && !put (conn, buf, error))
            {
              finish (conn, "the client failed", cancellable, NULL);
              return -1;
            }
        }
      written += n;
      _setl_postgres_count_uploaded (n);
      if (progress != NULL)
        setl_factory_add_rows (progress, n);
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        {
          finish (conn, "cancelled", cancellable, NULL);
          return -1;
        }
    }
  if (local != NULL)
    {
      g_propagate_prefixed_error (error, local, "reading the input after %" G_GINT64_FORMAT " rows: ",
                                  written);
      finish (conn, "the input failed", cancellable, NULL);
      return -1;
    }
  setl_postgres_copy_trailer (buf);
  if (!put (conn, buf, error))
    {
      finish (conn, "the client failed", cancellable, NULL);
      return -1;
    }
  setl_postgres_connection_watch (conn, cancellable);
  if (!finish (conn, NULL, cancellable, error))
    {
      setl_postgres_connection_unwatch (conn, NULL);
      return -1;
    }
  if (!setl_postgres_connection_unwatch (conn, error))
    return -1;
  return written;
}
