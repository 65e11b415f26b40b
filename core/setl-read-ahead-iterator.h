/* setl-read-ahead-iterator.h: a pass over a stream whose next batches are
 * read on another thread while the consumer works on the current one.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(SETL_INSIDE) && !defined(SETL_COMPILATION)
#error "Only <setl/setl.h> can be included directly."
#endif

#include "setl-batch-iterator.h"
#include "setl-batch-stream.h"

G_BEGIN_DECLS

#define SETL_TYPE_READ_AHEAD_ITERATOR (setl_read_ahead_iterator_get_type ())
G_DECLARE_FINAL_TYPE (SetlReadAheadIterator, setl_read_ahead_iterator, SETL, READ_AHEAD_ITERATOR, SetlBatchIterator)

SetlBatchIterator *setl_read_ahead_iterator_new (SetlBatchIterator  *source,
                                                 guint               depth,
                                                 GCancellable       *cancellable);
SetlBatchIterator *setl_batch_stream_open_read_ahead (SetlBatchStream  *stream,
                                                      guint             depth,
                                                      GCancellable     *cancellable,
                                                      GError          **error);

G_END_DECLS
