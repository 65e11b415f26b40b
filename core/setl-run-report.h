/* setl-run-report.h: the record of one pipeline run.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(SETL_INSIDE) && !defined(SETL_COMPILATION)
#error "Only <setl/setl.h> can be included directly."
#endif

#include <glib-object.h>

#include "setl-factory-result.h"

G_BEGIN_DECLS

#define SETL_TYPE_RUN_REPORT (setl_run_report_get_type ())
G_DECLARE_FINAL_TYPE (SetlRunReport, setl_run_report, SETL, RUN_REPORT, GObject)

const char        *setl_run_report_get_pipeline_name (SetlRunReport *self);
gboolean           setl_run_report_get_succeeded     (SetlRunReport *self);
gint64             setl_run_report_get_duration      (SetlRunReport *self);
GPtrArray         *setl_run_report_get_results       (SetlRunReport *self);
SetlFactoryResult *setl_run_report_find              (SetlRunReport *self,
                                                      const char    *factory_name);
char              *setl_run_report_to_json           (SetlRunReport *self);
gboolean           setl_run_report_save              (SetlRunReport *self,
                                                      const char    *path,
                                                      GError       **error);

G_END_DECLS
