/* setl-sqlite-query-iterator.h: one pass over an SQLite query's rows.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "setl-sqlite-query-stream.h"

G_BEGIN_DECLS

#define SETL_TYPE_SQLITE_QUERY_ITERATOR (setl_sqlite_query_iterator_get_type ())
G_DECLARE_FINAL_TYPE (SetlSqliteQueryIterator, setl_sqlite_query_iterator, SETL, SQLITE_QUERY_ITERATOR,
                      SetlBatchIterator)

SetlBatchIterator *setl_sqlite_query_iterator_new (SetlSqliteQueryStream  *stream,
                                                   SetlSqliteConnection   *conn,
                                                   sqlite3_stmt           *stmt,
                                                   guint                   batch_size);

gboolean _setl_sqlite_query_fill_batch (SetlSqliteConnection  *conn,
                                        sqlite3_stmt          *stmt,
                                        SetlField            **fields,
                                        guint                  n_fields,
                                        guint                  max_rows,
                                        const char            *label,
                                        gint64                 first_row,
                                        SetlRecordBatch      **batch,
                                        gboolean              *done,
                                        GError               **error);

G_END_DECLS
