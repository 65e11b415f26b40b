/* setl-sqlite-vtab.h: SetlBatchStreams as SQLite virtual tables.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "setl-sqlite-util.h"

G_BEGIN_DECLS

gboolean setl_sqlite_vtab_attach            (SetlSqliteConnection  *conn,
                                             GHashTable            *inputs,
                                             GError               **error);
guint    setl_sqlite_vtab_get_column_reads  (void);
guint    setl_sqlite_vtab_get_index_builds  (void);

G_END_DECLS
