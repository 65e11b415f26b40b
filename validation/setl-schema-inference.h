/* setl-schema-inference.h: a schema document inferred from data.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "setl.h"
#include "setl-schema-registry.h"

G_BEGIN_DECLS

/**
 * SETL_SCHEMA_INFERENCE_DEFAULT_MAX_CATEGORIES:
 *
 * How many distinct values a string column may have at most to be
 * inferred as categorical (an `isin` check), unless told otherwise.
 */
#define SETL_SCHEMA_INFERENCE_DEFAULT_MAX_CATEGORIES 20

#define SETL_TYPE_SCHEMA_INFERENCE (setl_schema_inference_get_type ())
G_DECLARE_FINAL_TYPE (SetlSchemaInference, setl_schema_inference, SETL, SCHEMA_INFERENCE, GObject)

SetlSchemaInference *setl_schema_inference_new               (const char          *name);

const char          *setl_schema_inference_get_name          (SetlSchemaInference *self);
guint                setl_schema_inference_get_max_categories (SetlSchemaInference *self);
void                 setl_schema_inference_set_max_categories (SetlSchemaInference *self,
                                                               guint                max);
gboolean             setl_schema_inference_get_string_lengths (SetlSchemaInference *self);
void                 setl_schema_inference_set_string_lengths (SetlSchemaInference *self,
                                                               gboolean             lengths);
gboolean             setl_schema_inference_get_ranges        (SetlSchemaInference *self);
void                 setl_schema_inference_set_ranges        (SetlSchemaInference *self,
                                                              gboolean             ranges);

gboolean             setl_schema_inference_add_batch         (SetlSchemaInference *self,
                                                              SetlRecordBatch     *batch,
                                                              GError             **error);
gboolean             setl_schema_inference_add_stream        (SetlSchemaInference *self,
                                                              SetlBatchStream     *data,
                                                              GCancellable        *cancellable,
                                                              GError             **error);
JsonNode            *setl_schema_inference_get_document      (SetlSchemaInference *self);
SetlSchema          *setl_schema_inference_get_schema        (SetlSchemaInference *self,
                                                              GError             **error);

SetlSchema          *setl_schema_infer                       (SetlBatchStream     *data,
                                                              const char          *name,
                                                              GCancellable        *cancellable,
                                                              GError             **error);

G_END_DECLS
