/* setl-sqlite-plugin.c: the "sqlite" plugin's descriptor and features.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <setl/setl-plugin.h>

#include "setl-sql-transform.h"
#include "setl-sqlite-backend.h"
#include "setl-sqlite-sink.h"
#include "setl-sqlite-source.h"

static gboolean
setl_sqlite_plugin_init (SetlPlugin  *plugin,
                         GError     **error)
{
  return setl_plugin_add_feature (plugin, "sqlite-source", SETL_FEATURE_KIND_SOURCE,
                                  SETL_TYPE_SQLITE_SOURCE, SETL_RANK_PRIMARY, NULL,
                                  "Reads a table or a query from an SQLite database, batch by batch",
                                  error) &&
         setl_plugin_add_feature (plugin, "sqlite-sink", SETL_FEATURE_KIND_SINK,
                                  SETL_TYPE_SQLITE_SINK, SETL_RANK_PRIMARY, NULL,
                                  "Writes a table into an SQLite database in one transaction "
                                  "(replace, append or fail-if-exists)",
                                  error) &&
         setl_plugin_add_feature (plugin, "sql", SETL_FEATURE_KIND_TRANSFORM,
                                  SETL_TYPE_SQL_TRANSFORM, SETL_RANK_PRIMARY, NULL,
                                  "Runs an SQL query (SQLite) over the inputs, read in place "
                                  "through virtual tables",
                                  error) &&
         /* The same transform under the backend's prefix, as the postgres
          * plugin's "postgres-sql": a pipeline file then picks its backend
          * with one parameter ("feature": "${backend}-sql"). */
         setl_plugin_add_feature (plugin, "sqlite-sql", SETL_FEATURE_KIND_TRANSFORM,
                                  SETL_TYPE_SQL_TRANSFORM, SETL_RANK_PRIMARY, NULL,
                                  "The “sql” transform (SQLite), under the backend's prefix",
                                  error) &&
         setl_plugin_add_feature (plugin, "sqlite", SETL_FEATURE_KIND_BACKEND,
                                  SETL_TYPE_SQLITE_BACKEND, SETL_RANK_PRIMARY, NULL,
                                  "The embedded SQLite backend; shows the job group to SQL "
                                  "as setl_job_group()",
                                  error);
}

SETL_PLUGIN_DEFINE ("sqlite", "0.1.0",
                    "SQLite: source, sink, SQL transform and the embedded backend",
                    "LGPL-2.1-or-later", "https://github.com/setl/libsetl",
                    setl_sqlite_plugin_init)
