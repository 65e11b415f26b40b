/* setl-synth-column.h: one column of the synthesizer — its checks merged,
 * its values drawn (setl-synth-column.c).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "setl-synthesizer-private.h"

G_BEGIN_DECLS

G_GNUC_INTERNAL
ColumnGen  *_setl_synth_column_gen_new      (SetlValidatorColumn *vc);
G_GNUC_INTERNAL
void        _setl_synth_column_gen_free     (gpointer data);
/* Merges the constraints of @gen's checks; refuses contradictory ones,
 * naming the column and the checks. What no row breaks alone (the
 * aggregate checks) is added to @never as "column: check". */
G_GNUC_INTERNAL
gboolean    _setl_synth_column_gen_merge    (ColumnGen  *gen,
                                             GPtrArray  *never,
                                             GError    **error);

/* Whether @v lies in the merged interval. */
G_GNUC_INTERNAL
gboolean    _setl_synth_column_in_interval  (ColumnGen *gen,
                                             double     v);
G_GNUC_INTERNAL
gboolean    _setl_synth_column_is_forbidden (ColumnGen    *gen,
                                             const GValue *value);
/* A value drawn from the merged constraints (not yet run through the
 * checks); @span: of an unbounded side. */
G_GNUC_INTERNAL
void        _setl_synth_column_draw_valid   (ColumnGen *gen,
                                             double     span,
                                             GRand     *rand,
                                             GValue    *out);

/* A column of @values (unset GValues are nulls). */
G_GNUC_INTERNAL
SetlColumn *_setl_synth_make_column         (SetlDataType   type,
                                             GValue        *values,
                                             gint64         n,
                                             GError       **error);
/* Runs @vcheck over @values; sets failed[i] for the values that fail. */
G_GNUC_INTERNAL
gboolean    _setl_synth_run_check           (SetlValidatorCheck  *vcheck,
                                             SetlDataType         type,
                                             GValue              *values,
                                             gint64               n,
                                             gboolean            *failed,
                                             GError             **error);

/* Characters in @text (NULL: 0). */
G_GNUC_INTERNAL
gint64      _setl_synth_text_length         (const char *text);
/* Random text of @length characters with @prefix and @suffix. */
G_GNUC_INTERNAL
char       *_setl_synth_random_text         (GRand      *rand,
                                             gint64      length,
                                             const char *prefix,
                                             const char *suffix);
/* The default span of an unbounded side, and where it starts. */
G_GNUC_INTERNAL
double      _setl_synth_default_span        (SetlDataType type);
G_GNUC_INTERNAL
double      _setl_synth_default_origin      (SetlDataType type);

G_END_DECLS
