/* cache-disk-test-util.h: tables and directories for the cache-disk tests.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <setl/setl.h>

G_BEGIN_DECLS

SetlTable *cd_test_make_table  (gint64      n_rows,
                                gint64      batch_size,
                                guint       seed);
void       cd_test_rm_rf       (const char *path);
GBytes    *cd_test_read_file   (const char *path);
void       cd_test_write_file  (const char *path,
                                const void *data,
                                gsize       size);

G_END_DECLS
