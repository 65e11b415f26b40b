/* setl-batch-iterator.h: one pass over a stream of record batches.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(SETL_INSIDE) && !defined(SETL_COMPILATION)
#error "Only <setl/setl.h> can be included directly."
#endif

#include <gio/gio.h>

#include "setl-record-batch.h"

G_BEGIN_DECLS

#define SETL_TYPE_BATCH_ITERATOR (setl_batch_iterator_get_type ())
G_DECLARE_DERIVABLE_TYPE (SetlBatchIterator, setl_batch_iterator, SETL, BATCH_ITERATOR, GObject)

/**
 * SetlBatchIteratorClass:
 * @parent_class: the parent class
 * @next: returns the next batch (transfer full), or %NULL at the end of the
 *   stream (without an error) or on failure (with @error set)
 *
 * The virtual methods of #SetlBatchIterator.
 */
struct _SetlBatchIteratorClass
{
  GObjectClass parent_class;

  SetlRecordBatch *(*next) (SetlBatchIterator  *self,
                            GCancellable       *cancellable,
                            GError            **error);

  /*< private >*/
  gpointer padding[8];
};

SetlRecordBatch *setl_batch_iterator_next        (SetlBatchIterator  *self,
                                                  GCancellable       *cancellable,
                                                  GError            **error);
gboolean         setl_batch_iterator_is_finished (SetlBatchIterator  *self);

G_END_DECLS
