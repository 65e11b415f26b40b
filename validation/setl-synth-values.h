/* setl-synth-values.h: GValue helpers shared by the synthesizer's files
 * (setl-synth-values.c).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "setl-validation-private.h"
#include "setl-check-property.h"

G_BEGIN_DECLS

/* A GValue allocated with g_new0, unset and freed (a GDestroyNotify). */
G_GNUC_INTERNAL
void       _setl_synth_value_free            (gpointer      data);
G_GNUC_INTERNAL
GValue    *_setl_synth_value_copy            (const GValue *value);
/* @dest (set or not) takes a copy of @src; unset if @src is NULL or unset. */
G_GNUC_INTERNAL
void       _setl_synth_value_assign          (GValue       *dest,
                                              const GValue *src);

G_GNUC_INTERNAL
gboolean   _setl_synth_is_numeric            (SetlDataType  type);
/* The number an int, int64 or double value holds; NAN for others. */
G_GNUC_INTERNAL
double     _setl_synth_value_number          (const GValue *value);
G_GNUC_INTERNAL
void       _setl_synth_value_set_number      (GValue       *value,
                                              SetlDataType  type,
                                              double        number);

/* (element-type GValue): the values of a JSON array (or one value) as
 * GValues of @type; those that do not convert are left out. */
G_GNUC_INTERNAL
GPtrArray *_setl_synth_json_values           (JsonNode     *node,
                                              SetlDataType  type);

G_END_DECLS
