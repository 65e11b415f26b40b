/* setl-postgres-plugin.c: the "postgres" plugin's descriptor and features.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <setl/setl-plugin.h>

#include "setl-postgres-backend.h"
#include "setl-postgres-sink.h"
#include "setl-postgres-source.h"
#include "setl-postgres-sql.h"

static gboolean
setl_postgres_plugin_init (SetlPlugin  *plugin,
                           GError     **error)
{
  return setl_plugin_add_feature (plugin, "postgres-source", SETL_FEATURE_KIND_SOURCE,
                                  SETL_TYPE_POSTGRES_SOURCE, SETL_RANK_PRIMARY, NULL,
                                  "Reads a table or a query from PostgreSQL through a cursor, batch by batch",
                                  error) &&
         setl_plugin_add_feature (plugin, "postgres-sink", SETL_FEATURE_KIND_SINK,
                                  SETL_TYPE_POSTGRES_SINK, SETL_RANK_PRIMARY, NULL,
                                  "Writes a table into PostgreSQL by binary COPY and an atomic swap "
                                  "(in the server when the input lives there)",
                                  error) &&
         setl_plugin_add_feature (plugin, "postgres-sql", SETL_FEATURE_KIND_TRANSFORM,
                                  SETL_TYPE_POSTGRES_SQL, SETL_RANK_PRIMARY, NULL,
                                  "Runs an SQL query (PostgreSQL) over the inputs, inside the server "
                                  "when they live there",
                                  error) &&
         setl_plugin_add_feature (plugin, "postgres", SETL_FEATURE_KIND_BACKEND,
                                  SETL_TYPE_POSTGRES_BACKEND, SETL_RANK_PRIMARY, NULL,
                                  "The PostgreSQL backend; shows the job group as application_name",
                                  error);
}

SETL_PLUGIN_DEFINE ("postgres", "0.1.0",
                    "PostgreSQL: source, sink, SQL transform with pushdown, and the server backend",
                    "LGPL-2.1-or-later", "https://github.com/setl/libsetl",
                    setl_postgres_plugin_init)
