/* setl-postgres-copy.h: record batches into a table by binary COPY.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "setl-postgres-pool.h"

G_BEGIN_DECLS

char   *setl_postgres_create_table_sql (const char              *qualified,
                                        gboolean                 temporary,
                                        SetlField              **fields,
                                        guint                    n_fields);
gint64  setl_postgres_copy_in          (SetlPostgresConnection  *conn,
                                        const char              *qualified,
                                        SetlBatchStream         *stream,
                                        SetlFactory             *progress,
                                        GCancellable            *cancellable,
                                        GError                 **error);

G_END_DECLS
