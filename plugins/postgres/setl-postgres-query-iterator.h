/* setl-postgres-query-iterator.h: one pass over a PostgreSQL query's rows,
 * through a server-side cursor.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "setl-postgres-query-stream.h"

G_BEGIN_DECLS

#define SETL_TYPE_POSTGRES_QUERY_ITERATOR (setl_postgres_query_iterator_get_type ())
G_DECLARE_FINAL_TYPE (SetlPostgresQueryIterator, setl_postgres_query_iterator, SETL,
                      POSTGRES_QUERY_ITERATOR, SetlBatchIterator)

SetlBatchIterator *setl_postgres_query_iterator_new (SetlPostgresQueryStream *stream,
                                                     SetlPostgresConnection  *conn,
                                                     guint                    batch_size);

G_END_DECLS
