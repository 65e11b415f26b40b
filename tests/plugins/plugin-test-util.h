/* plugin-test-util.h: what the plugin tests share. */
#pragma once

#include <setl/setl-plugin.h>

G_BEGIN_DECLS

/* Path of a fixture built in tests/plugins/fixtures/, e.g. "good-alpha". */
char       *fixture_path          (const char *name);
/* A new empty directory under the test's temporary directory. */
char       *make_temp_dir         (const char *hint);
/* Copies @src to @dir/@name (or @src's base name); returns the new path. */
char       *copy_into             (const char *src,
                                   const char *dir,
                                   const char *name);
/* Whether /proc/self/maps has @path mapped. */
gboolean    module_is_mapped      (const char *path);
/* The refused entry for @filename in @registry, or NULL. */
SetlPlugin *find_refused          (SetlPluginRegistry *registry,
                                   const char         *filename);
/* Warnings are fatal under g_test_init(); the tests that provoke one run
 * in a subprocess that calls this, and check standard error afterwards. */
void        make_warnings_nonfatal (void);

G_END_DECLS
