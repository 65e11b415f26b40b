/* setl-job-group.h: the scope every factory runs in.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(SETL_INSIDE) && !defined(SETL_COMPILATION)
#error "Only <setl/setl.h> can be included directly."
#endif

#include <glib-object.h>

G_BEGIN_DECLS

#define SETL_TYPE_JOB_GROUP (setl_job_group_get_type ())

typedef struct _SetlJobGroup SetlJobGroup;
typedef struct _SetlJobGroupScope SetlJobGroupScope;

GType         setl_job_group_get_type        (void) G_GNUC_CONST;

SetlJobGroup *setl_job_group_new             (const char   *id,
                                              const char   *description);
SetlJobGroup *setl_job_group_copy            (const SetlJobGroup *self);
SetlJobGroup *setl_job_group_ref             (SetlJobGroup *self);
void          setl_job_group_unref           (SetlJobGroup *self);

const char   *setl_job_group_get_id          (const SetlJobGroup *self);
const char   *setl_job_group_get_description (const SetlJobGroup *self);
gboolean      setl_job_group_matches         (const SetlJobGroup *self,
                                              const char   *id_or_prefix);

SetlJobGroup *setl_job_group_get_current     (void);

SetlJobGroupScope *setl_job_group_scope_enter (SetlJobGroup      *group);
void               setl_job_group_scope_leave (SetlJobGroupScope *scope);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SetlJobGroup, setl_job_group_unref)

G_END_DECLS
