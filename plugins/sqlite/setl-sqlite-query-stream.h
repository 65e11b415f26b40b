/* setl-sqlite-query-stream.h: the rows of an SQLite query, as a lazy
 * SetlBatchStream.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "setl-sqlite-util.h"

G_BEGIN_DECLS

#define SETL_TYPE_SQLITE_QUERY_STREAM (setl_sqlite_query_stream_get_type ())
G_DECLARE_FINAL_TYPE (SetlSqliteQueryStream, setl_sqlite_query_stream, SETL, SQLITE_QUERY_STREAM, GObject)

SetlSqliteQueryStream *setl_sqlite_query_stream_new (const char          *database,
                                                     SetlSqliteOpenMode   mode,
                                                     const char          *sql,
                                                     const char          *table,
                                                     GHashTable          *inputs,
                                                     guint                batch_size,
                                                     const char          *label,
                                                     GCancellable        *cancellable,
                                                     GError             **error);

const char *setl_sqlite_query_stream_get_label  (SetlSqliteQueryStream *self);
guint       setl_sqlite_query_stream_get_n_opens (SetlSqliteQueryStream *self);

/* For the iterator: a new connection with the inputs attached and the
 * statement prepared. */
gboolean    _setl_sqlite_query_stream_prepare   (SetlSqliteQueryStream  *self,
                                                 SetlSqliteConnection  **conn,
                                                 sqlite3_stmt          **stmt,
                                                 GError                **error);

G_END_DECLS
