/* setl-sql-transform.h: the "sql" factory.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <setl/setl.h>

G_BEGIN_DECLS

#define SETL_TYPE_SQL_TRANSFORM (setl_sql_transform_get_type ())
G_DECLARE_FINAL_TYPE (SetlSqlTransform, setl_sql_transform, SETL, SQL_TRANSFORM, SetlFactory)

G_END_DECLS
