/* schema-test-utils.h: what the schema tests share.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <string.h>

#include <setl/setl-schema-registry.h>

G_BEGIN_DECLS

/* A fresh directory under the system's temporary directory. */
char       *schema_test_make_tmp_dir  (void);
/* Removes @path and everything under it. */
void        schema_test_remove_tree   (const char *path);
/* Parses @json, which the test means to be valid. */
SetlSchema *schema_test_parse         (const char *json);
/* Writes @contents to DIR/BASENAME and returns that path. */
char       *schema_test_write_file    (const char *dir,
                                       const char *basename,
                                       const char *contents);

G_END_DECLS
