/* setl-validation-sql.h: a schema's checks compiled to one SQL query, for
 * validation pushed down to where the data lives.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "setl.h"
#include "setl-validator.h"

G_BEGIN_DECLS

/**
 * SetlSqlDialect:
 * @SETL_SQL_DIALECT_SQLITE: SQLite 3
 * @SETL_SQL_DIALECT_POSTGRESQL: PostgreSQL
 *
 * The SQL a #SetlValidationQuery is written in.
 */
typedef enum {
  SETL_SQL_DIALECT_SQLITE,
  SETL_SQL_DIALECT_POSTGRESQL,
} SetlSqlDialect;

GType setl_sql_dialect_get_type (void) G_GNUC_CONST;
#define SETL_TYPE_SQL_DIALECT (setl_sql_dialect_get_type ())

#define SETL_TYPE_VALIDATION_QUERY (setl_validation_query_get_type ())
G_DECLARE_FINAL_TYPE (SetlValidationQuery, setl_validation_query, SETL, VALIDATION_QUERY, GObject)

SetlValidationQuery  *setl_validation_query_new          (SetlValidator        *validator,
                                                          const char           *table,
                                                          SetlSqlDialect        dialect,
                                                          GError              **error);
const char           *setl_validation_query_get_sql      (SetlValidationQuery  *self);
guint                 setl_validation_query_get_n_counts (SetlValidationQuery  *self);
SetlValidationReport *setl_validation_query_make_report  (SetlValidationQuery  *self,
                                                          const gint64         *counts,
                                                          guint                 n_counts,
                                                          GError              **error);

/**
 * SetlValidationQueryCasesFunc:
 * @query: the query
 * @sql: a query giving the failing rows: their position (an integer) and
 *   their value (text, or null) in two columns, in order
 * @rows: (element-type gint64): where to append the positions
 * @values: (element-type utf8): where to append the values (%NULL for a
 *   null), taken
 * @user_data: the data given with the function
 * @error: return location for a #GError
 *
 * Runs @sql on the database for setl_validation_query_make_report_full().
 *
 * Returns: %FALSE with @error set if @sql failed
 */
typedef gboolean (*SetlValidationQueryCasesFunc) (SetlValidationQuery  *query,
                                                  const char           *sql,
                                                  GArray               *rows,
                                                  GPtrArray            *values,
                                                  gpointer              user_data,
                                                  GError              **error);

char                 *setl_validation_query_get_cases_sql (SetlValidationQuery *self,
                                                           guint                index,
                                                           guint                limit);
SetlValidationReport *setl_validation_query_make_report_full (SetlValidationQuery          *self,
                                                              const gint64                 *counts,
                                                              guint                         n_counts,
                                                              SetlValidationQueryCasesFunc  fetch,
                                                              gpointer                      user_data,
                                                              GError                      **error);

G_END_DECLS
