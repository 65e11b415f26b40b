/* setl-pipeline-compose-private.h: pipeline composition — sub-pipelines,
 * templates, extension — between the pipeline file loader
 * (setl-pipeline-file.c) and setl-pipeline-compose.c.
 *
 * Composition is done when a file is loaded: "extends", sub-pipeline
 * entries ("pipeline": …) and the richer parameter types (enum, list) are
 * expanded into a plain pipeline document, which the loader then checks and
 * builds as any other. docs/composition.md says why.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "setl-plugin-private.h"
#include "setl-pipeline-file.h"

G_BEGIN_DECLS

/* Where something is in a file. @source is the file it is in when that is
 * not the file being loaded (a sub-pipeline's or a base's factory), as an
 * interned string; %NULL for the file itself. */
typedef struct
{
  guint line;
  guint column;
  const char *source;
} SetlPipelinePos;

/* How deeply files may include one another (sub-pipelines and extends). */
#define SETL_PIPELINE_MAX_NESTING 16

/* Implemented in setl-pipeline-file.c, for the composer. */
GHashTable  *_setl_pipeline_file_get_positions     (SetlPipelineFile   *self,
                                                    gboolean            keys);
void         _setl_pipeline_file_set_positions     (SetlPipelineFile   *self,
                                                    GHashTable         *key_positions,
                                                    GHashTable         *value_positions);
void         _setl_pipeline_file_append_suggestion (GString            *s,
                                                    const char         *name,
                                                    GPtrArray          *candidates,
                                                    const char         *what);
SetlFactory *_setl_pipeline_file_create_factory    (SetlPipelineFile   *self,
                                                    SetlPluginRegistry *registry,
                                                    const char         *factory_name,
                                                    GError            **error);

/* Implemented in setl-pipeline-compose.c, called by the loader. */
gboolean     _setl_pipeline_compose                (SetlPipelineFile   *self,
                                                    JsonNode           *root,
                                                    JsonNode          **composed,
                                                    GError            **error);
gboolean     _setl_pipeline_compose_valid_param_name (const char       *name);
gboolean     _setl_pipeline_compose_check_parameter (SetlPipelineFile  *self,
                                                    const char         *name,
                                                    const char         *value,
                                                    GError            **error);
gboolean     _setl_pipeline_compose_check_build    (SetlPipelineFile   *self,
                                                    SetlPluginRegistry *registry,
                                                    GHashTable         *built,
                                                    GError            **error);

/* For the library and `setl graph` (setl-pipeline-library.c). */
typedef struct
{
  char *name;
  char *type;             /* string, int, double, bool, enum, list */
  char **values;          /* enum: the allowed values */
  char *items;            /* list: the items' type */
  JsonNode *default_value; /* (nullable): required when NULL */
  char *description;
} SetlTemplateParam;

typedef struct
{
  char *name;
  char *description;
} SetlTemplatePort;

GPtrArray   *_setl_pipeline_compose_get_params     (SetlPipelineFile   *self);  /* of SetlTemplateParam */
GPtrArray   *_setl_pipeline_compose_get_inputs     (SetlPipelineFile   *self);  /* of SetlTemplatePort */
GPtrArray   *_setl_pipeline_compose_get_outputs    (SetlPipelineFile   *self);  /* of SetlTemplatePort: name, factory */
guint        _setl_pipeline_compose_get_version    (SetlPipelineFile   *self);
const char  *_setl_pipeline_compose_get_group      (SetlPipelineFile   *self,
                                                    const char         *factory_name);
const char  *_setl_pipeline_compose_get_group_label (SetlPipelineFile  *self,
                                                    const char         *group);
const char  *_setl_pipeline_compose_resolve_alias  (SetlPipelineFile   *self,
                                                    const char         *name);

/* The library's lookup of "name[@version]" (setl-pipeline-library.c). */
char        *_setl_pipeline_library_resolve        (const char         *reference,
                                                    GError            **error);

G_END_DECLS
