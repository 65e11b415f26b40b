/* setl-postgres-query-stream.h: the rows of a PostgreSQL query, as a lazy
 * SetlBatchStream that knows where it lives (for pushdown).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "setl-postgres-pool.h"

G_BEGIN_DECLS

#define SETL_TYPE_POSTGRES_QUERY_STREAM (setl_postgres_query_stream_get_type ())
G_DECLARE_FINAL_TYPE (SetlPostgresQueryStream, setl_postgres_query_stream, SETL,
                      POSTGRES_QUERY_STREAM, GObject)

SetlPostgresQueryStream *setl_postgres_query_stream_new (SetlPostgresPool     *pool,
                                                         const char           *sql,
                                                         const char           *not_null_table,
                                                         GHashTable           *uploads,
                                                         guint                 batch_size,
                                                         SetlPostgresNumeric   numeric,
                                                         const char           *label,
                                                         GCancellable         *cancellable,
                                                         GError              **error);

void              setl_postgres_query_stream_set_table   (SetlPostgresQueryStream *self,
                                                          const char              *schema,
                                                          const char              *table);
SetlPostgresPool *setl_postgres_query_stream_get_pool    (SetlPostgresQueryStream *self);
const char       *setl_postgres_query_stream_get_sql     (SetlPostgresQueryStream *self);
const char       *setl_postgres_query_stream_get_label   (SetlPostgresQueryStream *self);
gboolean          setl_postgres_query_stream_in_server   (SetlPostgresQueryStream *self);
guint             setl_postgres_query_stream_get_n_opens (SetlPostgresQueryStream *self);
gboolean          setl_postgres_query_stream_same_server (SetlBatchStream         *stream,
                                                          SetlPostgresPool        *pool);
gboolean          setl_postgres_query_stream_runs_on     (SetlBatchStream         *stream,
                                                          SetlPostgresPool        *pool);

gboolean _setl_postgres_query_stream_begin (SetlPostgresQueryStream *self,
                                            SetlPostgresConnection  *conn,
                                            GCancellable            *cancellable,
                                            GError                 **error);

G_END_DECLS
