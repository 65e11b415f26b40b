/* setl-postgres-backend.h: the "postgres" backend: job groups as
 * application_name.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <setl/setl.h>

G_BEGIN_DECLS

#define SETL_TYPE_POSTGRES_BACKEND (setl_postgres_backend_get_type ())
G_DECLARE_FINAL_TYPE (SetlPostgresBackend, setl_postgres_backend, SETL, POSTGRES_BACKEND, GObject)

SetlPostgresBackend *setl_postgres_backend_new (void);

G_END_DECLS
