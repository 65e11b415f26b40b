/* setl-synth-plan.h: what a number of rows asks of each column
 * (setl-synth-plan.c).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "setl-synthesizer-private.h"

G_BEGIN_DECLS

/* (transfer full): one ColumnPlan per column of @self for @n_rows rows
 * (valid ones, or @invalid ones), or NULL with @error set
 * (%SETL_VALIDATION_ERROR_INVALID_SCHEMA) when they cannot be made. */
G_GNUC_INTERNAL
ColumnPlan *_setl_synth_plan_rows (SetlSynthesizer  *self,
                                   gint64            n_rows,
                                   gboolean          invalid,
                                   GError          **error);

G_END_DECLS
