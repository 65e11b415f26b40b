/* pf-test-util.h: what the pipeline-file tests share. */
#pragma once

#include <setl/setl-plugin.h>

G_BEGIN_DECLS

/* The registry over SETL_PLUGIN_PATH (the suite's fixture plugin, or the
 * built data plugins), updated once per process. */
SetlPluginRegistry *pf_registry        (void);

/* Loads @json as "test.setl.json" and builds it; NULL with @error set. */
SetlPipeline       *pf_build           (const char  *json,
                                        GError     **error);

/* Asserts that loading or building @json fails with @code and exactly
 * @message. */
void                pf_assert_error    (const char  *json,
                                        int          code,
                                        const char  *message);

/* A new empty directory, removed by pf_remove_tree(). */
char               *pf_temp_dir        (void);
void                pf_remove_tree     (const char  *path);

/* Runs the `setl` tool (SETL_TOOL) with @args (NULL-terminated) in @cwd
 * (nullable); returns its exit status, its output in @out and @err. */
int                 pf_run_tool        (const char  *cwd,
                                        char       **out,
                                        char       **err,
                                        const char  *first_arg,
                                        ...) G_GNUC_NULL_TERMINATED;

/* Writes @contents to @dir/@name; returns the path. */
char               *pf_write_file      (const char  *dir,
                                        const char  *name,
                                        const char  *contents);

G_END_DECLS
