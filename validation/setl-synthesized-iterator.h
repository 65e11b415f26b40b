/* setl-synthesized-iterator.h: one pass over a stream of synthesized rows
 * (setl-synthesized-iterator.c).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "setl-synth-pass.h"
#include "setl-synthesized-stream.h"

G_BEGIN_DECLS

#define SETL_TYPE_SYNTHESIZED_ITERATOR (setl_synthesized_iterator_get_type ())
G_DECLARE_FINAL_TYPE (SetlSynthesizedIterator, setl_synthesized_iterator, SETL, SYNTHESIZED_ITERATOR,
                      SetlBatchIterator)

/* (transfer full): an iterator making the rows of @pass (taken), batch by
 * batch; @stream is kept alive for the plans and @fields it owns. */
G_GNUC_INTERNAL
SetlBatchIterator *_setl_synthesized_iterator_new (SetlSynthesizedStream *stream,
                                                   Pass                  *pass,
                                                   GPtrArray             *fields,
                                                   gint64                 n_rows,
                                                   gboolean               invalid);

G_END_DECLS
