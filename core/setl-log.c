/* setl-log.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <stdarg.h>

#include "setl-log.h"
#include "setl-job-group.h"

/* The syslog priorities GLib's own structured logging uses. */
static const char *
level_to_priority (GLogLevelFlags level)
{
  if (level & G_LOG_LEVEL_ERROR)
    return "3";
  if (level & (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING))
    return "4";
  if (level & G_LOG_LEVEL_MESSAGE)
    return "5";
  if (level & G_LOG_LEVEL_INFO)
    return "6";
  return "7";
}

/**
 * setl_log: (skip)
 * @log_domain: (nullable): the log domain, e.g. `G_LOG_DOMAIN`
 * @level: the log level
 * @format: printf-style format
 * @...: arguments for @format
 *
 * Logs a structured record with g_log_structured_array(), adding the current
 * job group's id in the %SETL_LOG_FIELD_JOB_GROUP field when there is one, so
 * that a log writer (journald, a test's writer) can tell which factory spoke.
 */
void
setl_log (const char     *log_domain,
          GLogLevelFlags  level,
          const char     *format,
          ...)
{
  SetlJobGroup *group = setl_job_group_get_current ();
  g_autofree char *message = NULL;
  GLogField fields[4];
  gsize n = 0;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  fields[n++] = (GLogField) { "MESSAGE", message, -1 };
  fields[n++] = (GLogField) { "PRIORITY", level_to_priority (level), -1 };
  if (log_domain)
    fields[n++] = (GLogField) { "GLIB_DOMAIN", log_domain, -1 };
  if (group)
    fields[n++] = (GLogField) { SETL_LOG_FIELD_JOB_GROUP, setl_job_group_get_id (group), -1 };

  g_log_structured_array (level, fields, n);
}
