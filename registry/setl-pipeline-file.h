/* setl-pipeline-file.h: pipelines written as JSON files, built from the
 * features of installed plugins.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(SETL_PLUGIN_INSIDE) && !defined(SETL_COMPILATION)
#error "Only <setl/setl-plugin.h> can be included directly."
#endif

#include <glib-object.h>

/* Included by <setl/setl-plugin.h> after <setl/setl.h> and the registry. */

G_BEGIN_DECLS

/**
 * SETL_PIPELINE_FILE_ERROR:
 *
 * Error domain of pipeline files. Messages start with `FILE:LINE:COLUMN: `,
 * the position of what is at fault, whenever the fault has a place in the
 * file.
 */
#define SETL_PIPELINE_FILE_ERROR (setl_pipeline_file_error_quark ())

/**
 * SetlPipelineFileError:
 * @SETL_PIPELINE_FILE_ERROR_SYNTAX: the file is not well-formed JSON (or
 *   not UTF-8, or cannot be read).
 * @SETL_PIPELINE_FILE_ERROR_INVALID: well-formed JSON that is not a pipeline
 *   file: an unknown or misspelled member, a member of the wrong JSON type.
 * @SETL_PIPELINE_FILE_ERROR_VERSION: the `"setl"` format version is missing
 *   or not one this libsetl reads.
 * @SETL_PIPELINE_FILE_ERROR_PARAMETER: an unknown parameter, a value of the
 *   wrong type, a required parameter left unset.
 * @SETL_PIPELINE_FILE_ERROR_FEATURE: no installed plugin provides the
 *   feature, or it is not a factory.
 * @SETL_PIPELINE_FILE_ERROR_PROPERTY: an unknown property, a value of the
 *   wrong type or out of range.
 * @SETL_PIPELINE_FILE_ERROR_WIRING: an unknown input slot, a slot wired to
 *   an unknown factory or to one whose output it cannot take, a required
 *   slot left unwired, a cycle.
 * @SETL_PIPELINE_FILE_ERROR_STAGE: an explicit stage that runs a factory
 *   before one of its producers.
 *
 * Error codes of #SETL_PIPELINE_FILE_ERROR.
 */
typedef enum {
  SETL_PIPELINE_FILE_ERROR_SYNTAX,
  SETL_PIPELINE_FILE_ERROR_INVALID,
  SETL_PIPELINE_FILE_ERROR_VERSION,
  SETL_PIPELINE_FILE_ERROR_PARAMETER,
  SETL_PIPELINE_FILE_ERROR_FEATURE,
  SETL_PIPELINE_FILE_ERROR_PROPERTY,
  SETL_PIPELINE_FILE_ERROR_WIRING,
  SETL_PIPELINE_FILE_ERROR_STAGE,
} SetlPipelineFileError;

/**
 * SETL_PIPELINE_FILE_VERSION:
 *
 * The pipeline file format version this libsetl reads and writes (the
 * value of the `"setl"` member).
 */
#define SETL_PIPELINE_FILE_VERSION 1

GQuark setl_pipeline_file_error_quark (void);

#define SETL_TYPE_PIPELINE_FILE (setl_pipeline_file_get_type ())
G_DECLARE_FINAL_TYPE (SetlPipelineFile, setl_pipeline_file, SETL, PIPELINE_FILE, GObject)

SetlPipelineFile *setl_pipeline_file_new_from_file   (const char        *path,
                                                      GError           **error);
SetlPipelineFile *setl_pipeline_file_new_from_data   (const char        *data,
                                                      gssize             length,
                                                      const char        *source_name,
                                                      const char        *base_dir,
                                                      GError           **error);

const char       *setl_pipeline_file_get_name        (SetlPipelineFile  *self);
const char       *setl_pipeline_file_get_description (SetlPipelineFile  *self);
const char       *setl_pipeline_file_get_source_name (SetlPipelineFile  *self);

char            **setl_pipeline_file_list_parameters (SetlPipelineFile  *self);
const char       *setl_pipeline_file_get_parameter   (SetlPipelineFile  *self,
                                                      const char        *name);
const char       *setl_pipeline_file_get_parameter_type (SetlPipelineFile *self,
                                                      const char        *name);
const char       *setl_pipeline_file_get_parameter_description (SetlPipelineFile *self,
                                                      const char        *name);
gboolean          setl_pipeline_file_set_parameter   (SetlPipelineFile  *self,
                                                      const char        *name,
                                                      const char        *value,
                                                      GError           **error);
gboolean          setl_pipeline_file_set_parameter_from_string (SetlPipelineFile *self,
                                                      const char        *assignment,
                                                      GError           **error);

char            **setl_pipeline_file_list_factories  (SetlPipelineFile  *self);
const char       *setl_pipeline_file_get_factory_feature (SetlPipelineFile *self,
                                                      const char        *factory_name);

SetlPipeline     *setl_pipeline_file_build           (SetlPipelineFile  *self,
                                                      SetlPluginRegistry *registry,
                                                      GError           **error);

G_END_DECLS
