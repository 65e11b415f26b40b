/* setl-sqlite-backend.h: the "sqlite" backend: job groups into SQLite.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <setl/setl.h>

G_BEGIN_DECLS

#define SETL_TYPE_SQLITE_BACKEND (setl_sqlite_backend_get_type ())
G_DECLARE_FINAL_TYPE (SetlSqliteBackend, setl_sqlite_backend, SETL, SQLITE_BACKEND, GObject)

SetlSqliteBackend *setl_sqlite_backend_new (void);

G_END_DECLS
