/* setl-postgres-sql.h: the "postgres-sql" feature.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <setl/setl.h>

G_BEGIN_DECLS

#define SETL_TYPE_POSTGRES_SQL (setl_postgres_sql_get_type ())
G_DECLARE_FINAL_TYPE (SetlPostgresSql, setl_postgres_sql, SETL, POSTGRES_SQL, SetlFactory)

char *setl_postgres_sql_compose (const char *const *names,
                                 const char *const *queries,
                                 guint               n,
                                 const char         *query);

G_END_DECLS
