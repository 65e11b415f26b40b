/* setl-sql-relation.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/**
 * SetlSqlRelation:
 *
 * Data that is a relation in a SQL database — a table, a view, a query's
 * result — and that can run queries over it where it lives. The output
 * streams of the SQL sources implement it, so that work on their rows can
 * be pushed down to the database instead of streaming the rows through
 * the client:
 *
 * |[<!-- language="C" -->
 * if (SETL_IS_SQL_RELATION (stream))
 *   {
 *     SetlSqlRelation *relation = SETL_SQL_RELATION (stream);
 *     g_autofree char *query = setl_sql_relation_get_query (relation);
 *     g_autofree char *sql = NULL;
 *     g_autofree gint64 *counts = NULL;
 *     guint n;
 *
 *     if (query != NULL)   // NULL: the rows are not all in the database
 *       {
 *         sql = g_strdup_printf ("SELECT COUNT(*) FROM (%s) AS r", query);
 *         counts = setl_sql_relation_run_counts (relation, sql, &n, NULL, &error);
 *       }
 *   }
 * ]|
 *
 * A plugin implements it on the #SetlBatchStream its source returns: the
 * dialect (`sqlite`, `postgresql`), the query giving the rows, the table
 * when the relation is one, where it lives (without a password), and a
 * function that runs a query on the relation's database (its pool or its
 * file) and hands back the rows as text. Validation hooks use it to run a
 * schema's checks in the database as one query (setl_validation_pushdown()).
 */
#include "setl-sql-relation.h"

#include <stdlib.h>
#include <errno.h>

G_DEFINE_INTERFACE (SetlSqlRelation, setl_sql_relation, G_TYPE_OBJECT)

static void
setl_sql_relation_default_init (SetlSqlRelationInterface *iface)
{
}

/**
 * setl_sql_relation_get_dialect:
 * @self: a #SetlSqlRelation
 *
 * Returns: the SQL dialect of the relation's database (`sqlite`,
 *   `postgresql`…)
 */
const char *
setl_sql_relation_get_dialect (SetlSqlRelation *self)
{
  g_return_val_if_fail (SETL_IS_SQL_RELATION (self), NULL);
  g_return_val_if_fail (SETL_SQL_RELATION_GET_IFACE (self)->get_dialect != NULL, NULL);

  return SETL_SQL_RELATION_GET_IFACE (self)->get_dialect (self);
}

/**
 * setl_sql_relation_get_query:
 * @self: a #SetlSqlRelation
 *
 * A query giving the relation's rows, in the order the stream gives them,
 * to be used as a subquery or a common table expression.
 *
 * Returns: (transfer full) (nullable): the query, or %NULL when the rows
 *   are not all in the database (then read the stream)
 */
char *
setl_sql_relation_get_query (SetlSqlRelation *self)
{
  SetlSqlRelationInterface *iface;

  g_return_val_if_fail (SETL_IS_SQL_RELATION (self), NULL);

  iface = SETL_SQL_RELATION_GET_IFACE (self);
  return iface->get_query ? iface->get_query (self) : NULL;
}

/**
 * setl_sql_relation_get_table:
 * @self: a #SetlSqlRelation
 * @schema: (out) (optional) (nullable) (transfer full): the table's schema,
 *   %NULL for the search path
 *
 * Returns: (transfer full) (nullable): the table or view the relation
 *   reads whole (unquoted), or %NULL when it is a query
 */
char *
setl_sql_relation_get_table (SetlSqlRelation  *self,
                             char            **schema)
{
  SetlSqlRelationInterface *iface;
  char *own_schema = NULL;
  char *table;

  g_return_val_if_fail (SETL_IS_SQL_RELATION (self), NULL);

  iface = SETL_SQL_RELATION_GET_IFACE (self);
  table = iface->get_table ? iface->get_table (self, &own_schema) : NULL;
  if (table == NULL)
    g_clear_pointer (&own_schema, g_free);
  if (schema != NULL)
    *schema = own_schema;
  else
    g_free (own_schema);
  return table;
}

/**
 * setl_sql_relation_get_location:
 * @self: a #SetlSqlRelation
 *
 * Returns: (transfer full): where the relation lives, for people and
 *   reports (a connection URI or a file, never with a password)
 */
char *
setl_sql_relation_get_location (SetlSqlRelation *self)
{
  SetlSqlRelationInterface *iface;

  g_return_val_if_fail (SETL_IS_SQL_RELATION (self), NULL);

  iface = SETL_SQL_RELATION_GET_IFACE (self);
  return iface->get_location ? iface->get_location (self)
                             : g_strdup (setl_sql_relation_get_dialect (self));
}

/**
 * setl_sql_relation_run:
 * @self: a #SetlSqlRelation
 * @sql: one query, in the relation's dialect
 * @func: (scope call): called for each row of the result
 * @user_data: (closure): data for @func
 * @cancellable: (nullable): stops the query
 * @error: return location for a #GError
 *
 * Runs @sql in the relation's database and hands its rows, as text, to
 * @func.
 *
 * Returns: %TRUE on success, %FALSE with @error set if the query failed or
 *   @func stopped it
 */
gboolean
setl_sql_relation_run (SetlSqlRelation  *self,
                       const char       *sql,
                       SetlSqlRowFunc    func,
                       gpointer          user_data,
                       GCancellable     *cancellable,
                       GError          **error)
{
  g_return_val_if_fail (SETL_IS_SQL_RELATION (self), FALSE);
  g_return_val_if_fail (sql != NULL, FALSE);
  g_return_val_if_fail (func != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);
  g_return_val_if_fail (SETL_SQL_RELATION_GET_IFACE (self)->run != NULL, FALSE);

  return SETL_SQL_RELATION_GET_IFACE (self)->run (self, sql, func, user_data, cancellable, error);
}

typedef struct {
  GArray *counts;
  guint n_rows;
} CountsData;

static gboolean
collect_counts (const char * const  *values,
                guint                n_values,
                gpointer             user_data,
                GError             **error)
{
  CountsData *data = user_data;

  if (++data->n_rows > 1)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "the query gives more than one row, not one row of counts");
      return FALSE;
    }
  for (guint i = 0; i < n_values; i++)
    {
      const char *text = values[i];
      char *end = NULL;
      gint64 value = 0;

      /* SUM() over no rows is NULL: a count of nothing */
      if (text != NULL)
        {
          errno = 0;
          value = g_ascii_strtoll (text, &end, 10);
          if (errno != 0 || end == text || *end != '\0')
            {
              g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           "column %u of the result is “%s”, not an integer", i + 1, text);
              return FALSE;
            }
        }
      g_array_append_val (data->counts, value);
    }
  return TRUE;
}

/**
 * setl_sql_relation_run_counts:
 * @self: a #SetlSqlRelation
 * @sql: a query giving one row of integers
 * @n_counts: (out): how many integers the row has
 * @cancellable: (nullable): stops the query
 * @error: return location for a #GError
 *
 * Runs @sql, which aggregates (`SELECT COUNT(*), SUM(…) FROM …`), and
 * reads its one row. A NULL reads as 0.
 *
 * Returns: (transfer full) (array length=n_counts) (nullable): the
 *   integers, or %NULL with @error set if the query failed or did not give
 *   exactly one row of integers
 */
gint64 *
setl_sql_relation_run_counts (SetlSqlRelation  *self,
                              const char       *sql,
                              guint            *n_counts,
                              GCancellable     *cancellable,
                              GError          **error)
{
  CountsData data = { g_array_new (FALSE, FALSE, sizeof (gint64)), 0 };

  g_return_val_if_fail (SETL_IS_SQL_RELATION (self), NULL);
  g_return_val_if_fail (n_counts != NULL, NULL);

  *n_counts = 0;
  if (!setl_sql_relation_run (self, sql, collect_counts, &data, cancellable, error))
    {
      g_array_unref (data.counts);
      return NULL;
    }
  if (data.n_rows != 1)
    {
      g_array_unref (data.counts);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "the query gives no row, not one row of counts");
      return NULL;
    }
  *n_counts = data.counts->len;
  return (gint64 *) g_array_free (data.counts, FALSE);
}
