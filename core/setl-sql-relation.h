/* setl-sql-relation.h: data that is a relation in a SQL database, which
 * can run queries over it where it lives.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(SETL_INSIDE) && !defined(SETL_COMPILATION)
#error "Only <setl/setl.h> can be included directly."
#endif

#include <gio/gio.h>

G_BEGIN_DECLS

/**
 * SetlSqlRowFunc:
 * @values: (array length=n_values) (element-type utf8 utf8) (nullable): the
 *   row's values as text, %NULL for SQL NULL
 * @n_values: how many columns the row has
 * @user_data: the data given to setl_sql_relation_run()
 * @error: return location for a #GError
 *
 * Called by setl_sql_relation_run() once per row of the result, in order.
 *
 * Returns: %TRUE to go on, %FALSE with @error set to stop the query and
 *   make setl_sql_relation_run() fail with @error
 */
typedef gboolean (*SetlSqlRowFunc) (const char * const *values,
                                    guint               n_values,
                                    gpointer            user_data,
                                    GError            **error);

#define SETL_TYPE_SQL_RELATION (setl_sql_relation_get_type ())
G_DECLARE_INTERFACE (SetlSqlRelation, setl_sql_relation, SETL, SQL_RELATION, GObject)

/**
 * SetlSqlRelationInterface:
 * @g_iface: the parent interface
 * @get_dialect: the SQL dialect the database speaks, as a lower-case name:
 *   `sqlite`, `postgresql` (the nicks of #SetlSqlDialect), or another for
 *   engines libsetl has no SQL compiler for
 * @get_query: a query (one `SELECT`, no trailing `;`) whose rows are the
 *   relation's rows, in the order a pass over the stream gives them, fit to
 *   be used as a subquery or a common table expression in the same
 *   database; %NULL when the rows are not all in the database (a query
 *   over client streams that each pass uploads or attaches first), which
 *   tells callers to read the stream instead
 * @get_table: the table or view the relation reads whole (unquoted), with
 *   its schema in @schema (%NULL: the search path), or %NULL when the
 *   relation is a query; lets callers name the table itself, which some
 *   engines need (SQLite's `rowid`)
 * @get_location: where the relation lives, for people and reports: a
 *   connection URI or a file, **never with a password**
 *   (`postgresql://app@db:5432/sales`, `sqlite:people.db`)
 * @run: runs one query on the relation's database (any SQL that may
 *   read the relation, as a subquery or by its table) and calls @func for
 *   each row of its result, in order; the connection comes from the
 *   relation's own pool or file, and is given back before it returns.
 *   Cancelling @cancellable stops the query on the server.
 *
 * Implemented by the #SetlBatchStream outputs of SQL sources (the sqlite
 * plugin's `sqlite-source`, the postgres plugin's `postgres-source` and
 * `postgres-sql`), so that code outside the plugin can push work down to
 * the database the rows live in rather than stream them through the
 * client — validation hooks run a schema's checks there as one query (see
 * setl_validation_pushdown()).
 */
struct _SetlSqlRelationInterface
{
  GTypeInterface g_iface;

  const char *(*get_dialect)  (SetlSqlRelation  *self);
  char       *(*get_query)    (SetlSqlRelation  *self);
  char       *(*get_table)    (SetlSqlRelation  *self,
                               char            **schema);
  char       *(*get_location) (SetlSqlRelation  *self);
  gboolean    (*run)          (SetlSqlRelation  *self,
                               const char       *sql,
                               SetlSqlRowFunc    func,
                               gpointer          user_data,
                               GCancellable     *cancellable,
                               GError          **error);

  /*< private >*/
  gpointer padding[8];
};

const char *setl_sql_relation_get_dialect  (SetlSqlRelation  *self);
char       *setl_sql_relation_get_query    (SetlSqlRelation  *self);
char       *setl_sql_relation_get_table    (SetlSqlRelation  *self,
                                            char            **schema);
char       *setl_sql_relation_get_location (SetlSqlRelation  *self);
gboolean    setl_sql_relation_run          (SetlSqlRelation  *self,
                                            const char       *sql,
                                            SetlSqlRowFunc    func,
                                            gpointer          user_data,
                                            GCancellable     *cancellable,
                                            GError          **error);
gint64     *setl_sql_relation_run_counts   (SetlSqlRelation  *self,
                                            const char       *sql,
                                            guint            *n_counts,
                                            GCancellable     *cancellable,
                                            GError          **error);

G_END_DECLS
