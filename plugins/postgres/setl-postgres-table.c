/* setl-postgres-table.c: writes a table in ONE transaction, so that a
 * failed load leaves the old table untouched:
 *
 * 1. BEGIN; look the table up (a view is refused; `fail-if-exists` refuses
 *    any existing relation);
 * 2. replace (or a table that does not exist yet): the filler creates and
 *    loads a new table under a temporary name in the target's schema —
 *    readers keep reading the old table meanwhile; append: the filler adds
 *    to the existing table;
 * 3. DROP TABLE the old one, ALTER TABLE … RENAME the new one; COMMIT.
 *
 * Any failure rolls back: the old table is intact and the new one never
 * existed for anyone else. Names are quoted; the table name is bound as a
 * parameter where it is looked up.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "setl-postgres-table.h"

GType
setl_postgres_sink_mode_get_type (void)
{
  static gsize type_id = 0;
  static const GEnumValue values[] = {
    { SETL_POSTGRES_SINK_MODE_REPLACE, "SETL_POSTGRES_SINK_MODE_REPLACE", "replace" },
    { SETL_POSTGRES_SINK_MODE_APPEND, "SETL_POSTGRES_SINK_MODE_APPEND", "append" },
    { SETL_POSTGRES_SINK_MODE_FAIL_IF_EXISTS, "SETL_POSTGRES_SINK_MODE_FAIL_IF_EXISTS", "fail-if-exists" },
    { 0, NULL, NULL }
  };

  if (g_once_init_enter (&type_id))
    g_once_init_leave (&type_id, g_enum_register_static ("SetlPostgresSinkMode", values));
  return type_id;
}

gint64
setl_postgres_write_table (SetlPostgresConnection  *conn,
                           const char              *schema,
                           const char              *table,
                           SetlPostgresSinkMode     mode,
                           SetlPostgresFill         fill,
                           gpointer                 data,
                           GCancellable            *cancellable,
                           GError                 **error)
{
  g_autofree char *qualified = setl_postgres_qualified_name (schema, table);
  g_autofree char *kind = NULL;
  g_autofree char *where = NULL;
  const char *values[1] = { qualified };
  PGresult *res;
  gint64 written;

  if (!setl_postgres_connection_run (conn, "BEGIN", cancellable, error))
    return -1;
  res = setl_postgres_connection_exec (
      conn, "SELECT c.relkind, n.nspname FROM pg_catalog.pg_class c "
            "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
            "WHERE c.oid = pg_catalog.to_regclass($1)", 1, values, cancellable, error);
  if (res == NULL)
    return -1;
  if (PQntuples (res) == 1)
    {
      kind = g_strdup (PQgetvalue (res, 0, 0));
      where = g_strdup (PQgetvalue (res, 0, 1));
    }
  PQclear (res);

  if (kind != NULL && mode == SETL_POSTGRES_SINK_MODE_FAIL_IF_EXISTS)
    {
      g_set_error (error, SETL_POSTGRES_ERROR, SETL_POSTGRES_ERROR_EXISTS,
                   "the table exists and the mode is “fail-if-exists”");
      return -1;
    }
  if (kind != NULL && !g_str_equal (kind, "r") && !g_str_equal (kind, "p"))
    {
      g_set_error (error, SETL_POSTGRES_ERROR, SETL_POSTGRES_ERROR_CONFIG,
                   "a relation of that name exists that is not a table (relkind “%s”); "
                   "a sink writes tables only", kind);
      return -1;
    }

  if (kind != NULL && mode == SETL_POSTGRES_SINK_MODE_APPEND)
    written = fill (conn, qualified, FALSE, data, cancellable, error);
  else
    {
      g_autofree char *tmp = g_strdup_printf ("setl_new_%08x%08x", g_random_int (), g_random_int ());
      g_autofree char *quoted_tmp = setl_postgres_qualified_name (where ? where : schema, tmp);
      g_autofree char *quoted_name = setl_postgres_quote_identifier (table);
      g_autofree char *swap = NULL;

      written = fill (conn, quoted_tmp, TRUE, data, cancellable, error);
      if (written < 0)
        return -1;
      if (kind != NULL)
        {
          g_autofree char *drop = g_strdup_printf ("DROP TABLE %s", qualified);
          if (!setl_postgres_connection_run (conn, drop, cancellable, error))
            {
              g_prefix_error (error, "dropping the old table: ");
              return -1;
            }
        }
      swap = g_strdup_printf ("ALTER TABLE %s RENAME TO %s", quoted_tmp, quoted_name);
      if (!setl_postgres_connection_run (conn, swap, cancellable, error))
        {
          g_prefix_error (error, "swapping in the new table: ");
          return -1;
        }
    }
  if (written < 0)
    return -1;
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return -1;
  if (!setl_postgres_connection_run (conn, "COMMIT", NULL, error))
    {
      g_prefix_error (error, "committing: ");
      return -1;
    }
  /* Publish the rows' statistics when the connection goes idle rather than
   * up to 10 s later: a cached postgres-source reading this table (appended
   * to) sees the write in its fingerprint at once. Best effort; PG ≥ 15. */
  if (PQserverVersion (conn->pg) >= 150000)
    setl_postgres_connection_run (conn, "SELECT pg_stat_force_next_flush()", NULL, NULL);
  return written;
}
