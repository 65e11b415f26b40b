/* setl-private.h: what the core's types share with each other and nobody else.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "setl.h"

G_BEGIN_DECLS

/* g_set_str() arrived in GLib 2.76; Debian 12 has 2.74. */
static inline gboolean
_setl_set_str (char       **str_pointer,
               const char  *new_str)
{
  char *copy;

  if (*str_pointer == new_str || g_strcmp0 (*str_pointer, new_str) == 0)
    return FALSE;
  copy = g_strdup (new_str);
  g_free (*str_pointer);
  *str_pointer = copy;
  return TRUE;
}

void  _setl_factory_reset_rows    (SetlFactory  *self);
guint       _setl_factory_get_n_filters  (SetlFactory  *self);
const char *_setl_factory_get_filter_key (SetlFactory  *self,
                                          guint         i,
                                          const char  **slot);
void  _setl_delivery_set_consumer (SetlDelivery *self,
                                   GType         consumer);

/* A possible source for an input slot, whatever it is made from (an actual
 * deliverable at run time, a node the inspector expects to deliver). Payload
 * type and delivery id have been matched already. */
typedef struct {
  GType        producer;
  const GType *consumers;
  guint        n_consumers;
  const char  *label;       /* "factory “X”", "external input" */
  gpointer     data;
} SetlCandidate;

gpointer _setl_select_candidate (const SetlCandidate *candidates,
                                 guint                n_candidates,
                                 const char          *consumer_name,
                                 GType                consumer_type,
                                 SetlDelivery        *slot,
                                 GError             **error);
char    *_setl_describe_slot    (const char   *consumer_name,
                                 SetlDelivery *slot);

SetlFactoryResult *_setl_factory_result_new (const char   *factory_name,
                                             GType         factory_type,
                                             int           stage,
                                             SetlJobGroup *job_group);

SetlJobGroup *_setl_job_group_new_take (char *id,
                                        char *description);
void  _setl_factory_result_set_status   (SetlFactoryResult *self,
                                         SetlFactoryStatus  status,
                                         const char        *reason);
void  _setl_factory_result_take_error   (SetlFactoryResult *self,
                                         GError            *error);
void  _setl_factory_result_set_duration (SetlFactoryResult *self,
                                         SetlFactoryPhase   phase,
                                         gint64             usec);
void  _setl_factory_result_set_wrote    (SetlFactoryResult *self,
                                         gboolean           wrote);

SetlRunReport *_setl_run_report_new    (const char    *pipeline_name);
void           _setl_run_report_add    (SetlRunReport *self,
                                        SetlFactoryResult *result);
void           _setl_run_report_finish (SetlRunReport *self,
                                        gboolean       succeeded,
                                        gint64         duration);

/* Runs one factory through its phases inside @group: enters the group,
 * calls the hooks, and leaves and restores on every path. Fills @result and,
 * on success, returns the output as a deliverable. */
SetlDeliverable *_setl_factory_run (SetlFactory       *factory,
                                    SetlJobGroup      *group,
                                    gboolean           stage_writable,
                                    GPtrArray         *hooks,
                                    GCancellable      *cancellable,
                                    SetlFactoryResult *result);

/* The inspector's verdict for one slot: where its payload comes from. */
typedef struct {
  SetlDelivery *slot;
  SetlNode     *source;   /* NULL: optional slot left empty */
} SetlResolvedSlot;

/* @factory's slots as the last inspection resolved them, in slot order;
 * NULL and 0 for a factory it did not see. Valid until the next one. */
const SetlResolvedSlot *_setl_inspector_get_resolved (SetlInspector *self,
                                                      SetlFactory   *factory,
                                                      guint         *n_slots);

/* A node's index in the nodes of the inspection that made it. */
void  _setl_node_set_index (SetlNode *self,
                            guint     index);
guint _setl_node_get_index (SetlNode *self);

void  _setl_stage_set_index (SetlStage *self,
                             int        index);
char *_setl_stage_job_group_id (SetlStage   *self,
                                const char  *pipeline_name,
                                SetlFactory *factory);

void  _setl_stage_reset_run (SetlStage *self);
void  _setl_stage_record    (SetlStage         *self,
                             SetlDeliverable   *deliverable,
                             SetlFactoryResult *result);

G_END_DECLS
