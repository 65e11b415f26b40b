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
const char * const   *setl_validation_query_get_functions (SetlValidationQuery *self);
gboolean              setl_validation_query_check_value  (guint                 check,
                                                          const char           *value,
                                                          gssize                length,
                                                          gboolean             *passes,
                                                          GError              **error);
void                  setl_validation_query_set_order_by (SetlValidationQuery  *self,
                                                          const char           *column);
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
SetlValidationReport *setl_validation_query_make_report_from_text (SetlValidationQuery          *self,
                                                                   const char * const           *row,
                                                                   guint                         n_values,
                                                                   SetlValidationQueryCasesFunc  fetch,
                                                                   gpointer                      user_data,
                                                                   GError                      **error);

/* The SQLite side, for a program that links SQLite: include <sqlite3.h>
 * before this header. Not in the GIR (no SQLite types there). */
#if defined(SQLITE_VERSION_NUMBER) && !defined(__GI_SCANNER__)
static inline void
_setl_validation_sqlite_check (sqlite3_context  *context,
                               int               argc,
                               sqlite3_value   **argv)
{
  GError *error = NULL;
  gboolean passes = FALSE;

  if (argc != 2 || sqlite3_value_type (argv[1]) == SQLITE_NULL)
    {
      sqlite3_result_null (context);
      return;
    }
  if (!setl_validation_query_check_value ((guint) sqlite3_value_int64 (argv[0]),
                                          (const char *) sqlite3_value_text (argv[1]),
                                          sqlite3_value_bytes (argv[1]), &passes, &error))
    {
      sqlite3_result_error (context, error->message, -1);
      g_error_free (error);
      return;
    }
  sqlite3_result_int (context, passes ? 1 : 0);
}

/* setl_validation_query_register_sqlite:
 * @db: a SQLite connection
 *
 * (Not in the GIR, which has no SQLite types.) Registers on @db the SQL function that a #SetlValidationQuery in the
 * SQLite dialect may call (setl_validation_query_get_functions()):
 * `setl_check(k, value)`, the checks SQLite has no SQL for — the regular
 * expressions — run by the checks themselves inside SQLite's pass over
 * the table, so that they match exactly as in the client. Once per
 * connection serves every query. Only where <sqlite3.h> is included
 * before this header.
 *
 * Returns: %SQLITE_OK, or SQLite's error code
 */
static inline int
setl_validation_query_register_sqlite (sqlite3 *db)
{
  return sqlite3_create_function_v2 (db, "setl_check", 2, SQLITE_UTF8, NULL,
                                     _setl_validation_sqlite_check, NULL, NULL, NULL);
}
#endif

G_END_DECLS
