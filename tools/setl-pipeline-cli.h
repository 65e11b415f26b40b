/* setl-pipeline-cli.h: what `setl run`, `check`, `graph` and `convert`
 * share — loading a pipeline file with `--param` overrides and building it
 * against the installed plugins.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <setl/setl-plugin.h>

G_BEGIN_DECLS

SetlPluginRegistry *setl_cli_open_registry (GError **error);

SetlPipelineFile   *setl_cli_load          (const char          *path,
                                            char               **params,
                                            GError             **error);

const char         *setl_cli_feature_kind  (SetlPluginRegistry  *registry,
                                            const char          *feature);

char               *setl_cli_format_duration (gint64             microseconds);

/* setl-cmd-cache.c: --cache DIR, --no-cache and --output NAME of `setl
 * run`, and its one-line account of what the cache did. */
gboolean            setl_cli_cache_apply   (SetlPipeline        *pipeline,
                                            SetlPluginRegistry  *registry,
                                            const char          *cache_dir,
                                            gboolean             no_cache,
                                            char               **outputs,
                                            GError             **error);
void                setl_cli_cache_summary (SetlPipeline        *pipeline);
void                setl_cli_cache_check   (SetlPipeline        *pipeline);

G_END_DECLS
