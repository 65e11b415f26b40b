/* setl-sqlite-source.h: the "sqlite-source" factory.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <setl/setl.h>

G_BEGIN_DECLS

#define SETL_TYPE_SQLITE_SOURCE (setl_sqlite_source_get_type ())
G_DECLARE_FINAL_TYPE (SetlSqliteSource, setl_sqlite_source, SETL, SQLITE_SOURCE, SetlFactory)

G_END_DECLS
