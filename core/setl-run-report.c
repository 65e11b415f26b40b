/* setl-run-report.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/**
 * SetlRunReport:
 *
 * What happened in one run of a #SetlPipeline: one #SetlFactoryResult per
 * factory, in stage order, with status, job group, phase timings and error.
 * setl_run_report_to_json() renders it for tools and people:
 *
 * ```json
 * { "pipeline": "citizens", "succeeded": false, "duration_us": 1520,
 *   "factories": [
 *     { "name": "Load", "type": "LoadFactory", "stage": 0,
 *       "job_group": "citizens/stage-0/Load", "status": "failed",
 *       "timings_us": { "read": 12, "process": 0, "write": 0, "get": 0 },
 *       "error": { "domain": "g-io-error-quark", "code": 1,
 *                  "message": "…" } } ] }
 * ```
 */
#include <json-glib/json-glib.h>

#include "setl-run-report.h"
#include "setl-private.h"
#include "setl-cache-private.h"

struct _SetlRunReport
{
  GObject parent_instance;

  char *pipeline_name;
  gboolean succeeded;
  gint64 started;    /* wall clock, µs since the epoch */
  gint64 duration;   /* µs */
  GPtrArray *results;
};

G_DEFINE_FINAL_TYPE (SetlRunReport, setl_run_report, G_TYPE_OBJECT)

static void
setl_run_report_finalize (GObject *object)
{
  SetlRunReport *self = SETL_RUN_REPORT (object);

  g_free (self->pipeline_name);
  g_ptr_array_unref (self->results);

  G_OBJECT_CLASS (setl_run_report_parent_class)->finalize (object);
}

static void
setl_run_report_class_init (SetlRunReportClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = setl_run_report_finalize;
}

static void
setl_run_report_init (SetlRunReport *self)
{
  self->results = g_ptr_array_new_with_free_func (g_object_unref);
}

SetlRunReport *
_setl_run_report_new (const char *pipeline_name)
{
  SetlRunReport *self = g_object_new (SETL_TYPE_RUN_REPORT, NULL);

  self->pipeline_name = g_strdup (pipeline_name);
  self->started = g_get_real_time ();
  return self;
}

void
_setl_run_report_add (SetlRunReport     *self,
                      SetlFactoryResult *result)
{
  g_ptr_array_add (self->results, g_object_ref (result));
}

void
_setl_run_report_finish (SetlRunReport *self,
                         gboolean       succeeded,
                         gint64         duration)
{
  self->succeeded = succeeded;
  self->duration = duration;
}

/**
 * setl_run_report_get_pipeline_name:
 * @self: a #SetlRunReport
 *
 * Returns: the name of the pipeline that ran
 */
const char *
setl_run_report_get_pipeline_name (SetlRunReport *self)
{
  g_return_val_if_fail (SETL_IS_RUN_REPORT (self), NULL);
  return self->pipeline_name;
}

/**
 * setl_run_report_get_succeeded:
 * @self: a #SetlRunReport
 *
 * Returns: %TRUE if every factory succeeded
 */
gboolean
setl_run_report_get_succeeded (SetlRunReport *self)
{
  g_return_val_if_fail (SETL_IS_RUN_REPORT (self), FALSE);
  return self->succeeded;
}

/**
 * setl_run_report_get_duration:
 * @self: a #SetlRunReport
 *
 * Returns: the run's wall-clock duration, in microseconds
 */
gint64
setl_run_report_get_duration (SetlRunReport *self)
{
  g_return_val_if_fail (SETL_IS_RUN_REPORT (self), 0);
  return self->duration;
}

/**
 * setl_run_report_get_results:
 * @self: a #SetlRunReport
 *
 * Returns: (transfer none) (element-type SetlFactoryResult): one result per
 *   factory, in stage order
 */
GPtrArray *
setl_run_report_get_results (SetlRunReport *self)
{
  g_return_val_if_fail (SETL_IS_RUN_REPORT (self), NULL);
  return self->results;
}

/**
 * setl_run_report_find:
 * @self: a #SetlRunReport
 * @factory_name: a factory name
 *
 * Returns: (transfer none) (nullable): the first result of the factory called
 *   @factory_name
 */
SetlFactoryResult *
setl_run_report_find (SetlRunReport *self,
                      const char    *factory_name)
{
  g_return_val_if_fail (SETL_IS_RUN_REPORT (self), NULL);
  g_return_val_if_fail (factory_name != NULL, NULL);

  for (guint i = 0; i < self->results->len; i++)
    {
      SetlFactoryResult *r = g_ptr_array_index (self->results, i);

      if (g_strcmp0 (setl_factory_result_get_factory_name (r), factory_name) == 0)
        return r;
    }
  return NULL;
}

static void
add_result (JsonBuilder       *b,
            SetlFactoryResult *r)
{
  const GError *error = setl_factory_result_get_error (r);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, setl_factory_result_get_factory_name (r));
  json_builder_set_member_name (b, "type");
  json_builder_add_string_value (b, setl_factory_result_get_factory_type (r));
  json_builder_set_member_name (b, "stage");
  json_builder_add_int_value (b, setl_factory_result_get_stage (r));
  json_builder_set_member_name (b, "job_group");
  json_builder_add_string_value (b, setl_factory_result_get_job_group (r));
  json_builder_set_member_name (b, "status");
  json_builder_add_string_value (b, setl_factory_status_to_string (setl_factory_result_get_status (r)));
  if (setl_factory_result_get_reason (r))
    {
      json_builder_set_member_name (b, "reason");
      json_builder_add_string_value (b, setl_factory_result_get_reason (r));
    }
  if (setl_factory_result_get_variant (r))
    {
      json_builder_set_member_name (b, "variant");
      json_builder_add_string_value (b, setl_factory_result_get_variant (r));
    }
  json_builder_set_member_name (b, "wrote");
  json_builder_add_boolean_value (b, setl_factory_result_get_wrote (r));
  _setl_cache_report_result (b, r);
  json_builder_set_member_name (b, "timings_us");
  json_builder_begin_object (b);
  for (guint p = 0; p < SETL_FACTORY_N_PHASES; p++)
    {
      json_builder_set_member_name (b, setl_factory_phase_to_string (p));
      json_builder_add_int_value (b, setl_factory_result_get_duration (r, p));
    }
  json_builder_set_member_name (b, "total");
  json_builder_add_int_value (b, setl_factory_result_get_total_duration (r));
  json_builder_end_object (b);
  if (error)
    {
      json_builder_set_member_name (b, "error");
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "domain");
      json_builder_add_string_value (b, g_quark_to_string (error->domain));
      json_builder_set_member_name (b, "code");
      json_builder_add_int_value (b, error->code);
      json_builder_set_member_name (b, "message");
      json_builder_add_string_value (b, error->message);
      json_builder_end_object (b);
    }
  json_builder_end_object (b);
}

/**
 * setl_run_report_to_json:
 * @self: a #SetlRunReport
 *
 * Renders the report as pretty-printed JSON.
 *
 * Returns: (transfer full): the JSON text
 */
char *
setl_run_report_to_json (SetlRunReport *self)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GDateTime) started = NULL;
  g_autofree char *started_iso = NULL;

  g_return_val_if_fail (SETL_IS_RUN_REPORT (self), NULL);

  started = g_date_time_new_from_unix_utc (self->started / G_USEC_PER_SEC);
  started_iso = started ? g_date_time_format_iso8601 (started) : g_strdup ("");

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "pipeline");
  json_builder_add_string_value (b, self->pipeline_name);
  json_builder_set_member_name (b, "succeeded");
  json_builder_add_boolean_value (b, self->succeeded);
  json_builder_set_member_name (b, "started");
  json_builder_add_string_value (b, started_iso);
  json_builder_set_member_name (b, "duration_us");
  json_builder_add_int_value (b, self->duration);
  json_builder_set_member_name (b, "factories");
  json_builder_begin_array (b);
  for (guint i = 0; i < self->results->len; i++)
    add_result (b, g_ptr_array_index (self->results, i));
  json_builder_end_array (b);
  json_builder_end_object (b);

  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  json_generator_set_pretty (gen, TRUE);
  return json_generator_to_data (gen, NULL);
}

/**
 * setl_run_report_save:
 * @self: a #SetlRunReport
 * @path: (type filename): where to write the JSON report
 * @error: return location for a #GError
 *
 * Writes the JSON report atomically: to a temporary file, then renamed over
 * @path, so a reader never sees half a report.
 *
 * Returns: %TRUE on success
 */
gboolean
setl_run_report_save (SetlRunReport *self,
                      const char    *path,
                      GError       **error)
{
  g_autofree char *json = NULL;

  g_return_val_if_fail (SETL_IS_RUN_REPORT (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  json = setl_run_report_to_json (self);
  return g_file_set_contents_full (path, json, -1,
                                   G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                   0644, error);
}
