/* setl-log.h: structured logging that carries the current job group.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(SETL_INSIDE) && !defined(SETL_COMPILATION)
#error "Only <setl/setl.h> can be included directly."
#endif

#include <glib.h>

G_BEGIN_DECLS

/**
 * SETL_LOG_FIELD_JOB_GROUP:
 *
 * The name of the structured log field that holds the current job group id.
 */
#define SETL_LOG_FIELD_JOB_GROUP "SETL_JOB_GROUP"

void setl_log (const char     *log_domain,
               GLogLevelFlags  level,
               const char     *format,
               ...) G_GNUC_PRINTF (3, 4);

G_END_DECLS
