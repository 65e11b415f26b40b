/* pg-test-util.h: helpers of the postgres suite: the throwaway cluster that
 * pg-harness.sh started, reached by its environment.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <setl/setl.h>
#include <libpq-fe.h>

G_BEGIN_DECLS

const char *test_pg_uri      (void);
PGconn     *test_pg_connect  (void);
void        test_pg_exec     (const char *sql);
char       *test_pg_value    (const char *sql);
char       *test_pg_dump     (const char *sql);
void        test_pg_restart  (void);
char       *test_table_dump  (SetlTable  *table);

G_END_DECLS
