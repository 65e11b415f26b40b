/* setl-postgres-source.h: the "postgres-source" feature.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <setl/setl.h>

G_BEGIN_DECLS

#define SETL_TYPE_POSTGRES_SOURCE (setl_postgres_source_get_type ())
G_DECLARE_FINAL_TYPE (SetlPostgresSource, setl_postgres_source, SETL, POSTGRES_SOURCE, SetlFactory)

G_END_DECLS
