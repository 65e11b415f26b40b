/* setl-synth-invalid.h: rows that each break one target
 * (setl-synth-invalid.c).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "setl-synth-pass.h"

G_BEGIN_DECLS

/* The next @n invalid rows of @pass; emits SetlSynthesizer::targets with
 * the target each breaks. */
G_GNUC_INTERNAL
SetlRecordBatch *_setl_synth_make_invalid_batch (Pass       *pass,
                                                 GPtrArray  *fields,
                                                 gint64      n,
                                                 GError    **error);
/* (element-type SetlField): the fields of the targets table: row, column,
 * check, check_number, reason. */
G_GNUC_INTERNAL
GPtrArray       *_setl_synth_target_fields      (void);

G_END_DECLS
