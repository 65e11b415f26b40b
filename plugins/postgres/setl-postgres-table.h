/* setl-postgres-table.h: writing a table atomically (new table, then a swap
 * in the same transaction).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "setl-postgres-pool.h"

G_BEGIN_DECLS

/**
 * SetlPostgresSinkMode:
 * @SETL_POSTGRES_SINK_MODE_REPLACE: load a new table and swap it in
 * @SETL_POSTGRES_SINK_MODE_APPEND: add the rows to the existing table
 * @SETL_POSTGRES_SINK_MODE_FAIL_IF_EXISTS: refuse an existing table
 *
 * What a sink does with an existing table.
 */
typedef enum {
  SETL_POSTGRES_SINK_MODE_REPLACE,
  SETL_POSTGRES_SINK_MODE_APPEND,
  SETL_POSTGRES_SINK_MODE_FAIL_IF_EXISTS,
} SetlPostgresSinkMode;

GType setl_postgres_sink_mode_get_type (void);
#define SETL_TYPE_POSTGRES_SINK_MODE (setl_postgres_sink_mode_get_type ())

/* Fills @qualified (a new empty table when @created, else the existing
 * one; with @create_sql to run first when the filler creates it itself: a
 * "CREATE TABLE … AS"). Returns the rows written or -1. */
typedef gint64 (*SetlPostgresFill) (SetlPostgresConnection  *conn,
                                    const char              *qualified,
                                    gboolean                 create,
                                    gpointer                 data,
                                    GCancellable            *cancellable,
                                    GError                 **error);

gint64 setl_postgres_write_table (SetlPostgresConnection  *conn,
                                  const char              *schema,
                                  const char              *table,
                                  SetlPostgresSinkMode     mode,
                                  SetlPostgresFill         fill,
                                  gpointer                 data,
                                  GCancellable            *cancellable,
                                  GError                 **error);

G_END_DECLS
