/* sqlite-test-util.h: helpers shared by the sqlite suite's tests.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <setl/setl.h>
#include <sqlite3.h>

G_BEGIN_DECLS

char      *test_tmpdir_new     (void);
void       test_tmpdir_remove  (char *dir);
void       test_sql_exec       (const char *db, const char *sql);
char      *test_sql_dump       (const char *db, const char *sql);
SetlTable *test_all_types_table (guint n_rows, guint rows_per_batch);

G_END_DECLS
