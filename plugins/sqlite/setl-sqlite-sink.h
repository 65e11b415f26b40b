/* setl-sqlite-sink.h: the "sqlite-sink" factory.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <setl/setl.h>

G_BEGIN_DECLS

/**
 * SetlSqliteSinkMode:
 * @SETL_SQLITE_SINK_MODE_REPLACE: the table is replaced by the input's rows
 * @SETL_SQLITE_SINK_MODE_APPEND: the rows are added to the table (created
 *   if missing)
 * @SETL_SQLITE_SINK_MODE_FAIL_IF_EXISTS: the sink fails if the table exists
 *
 * What #SetlSqliteSink does with an existing table.
 */
typedef enum {
  SETL_SQLITE_SINK_MODE_REPLACE,
  SETL_SQLITE_SINK_MODE_APPEND,
  SETL_SQLITE_SINK_MODE_FAIL_IF_EXISTS,
} SetlSqliteSinkMode;

#define SETL_TYPE_SQLITE_SINK_MODE (setl_sqlite_sink_mode_get_type ())
GType setl_sqlite_sink_mode_get_type (void) G_GNUC_CONST;

#define SETL_TYPE_SQLITE_SINK (setl_sqlite_sink_get_type ())
G_DECLARE_FINAL_TYPE (SetlSqliteSink, setl_sqlite_sink, SETL, SQLITE_SINK, SetlFactory)

G_END_DECLS
