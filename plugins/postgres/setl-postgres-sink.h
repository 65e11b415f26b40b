/* setl-postgres-sink.h: the "postgres-sink" feature.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <setl/setl.h>
#include "setl-postgres-table.h"

G_BEGIN_DECLS

#define SETL_TYPE_POSTGRES_SINK (setl_postgres_sink_get_type ())
G_DECLARE_FINAL_TYPE (SetlPostgresSink, setl_postgres_sink, SETL, POSTGRES_SINK, SetlFactory)

gboolean setl_postgres_sink_get_pushed_down (SetlPostgresSink *self);

G_END_DECLS
