/* setl-cache-writer.h: a cache entry stored batch by batch.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(SETL_INSIDE) && !defined(SETL_COMPILATION)
#error "Only <setl/setl.h> can be included directly."
#endif

#include <gio/gio.h>

#include "setl-batch-stream.h"
#include "setl-cache-entry.h"
#include "setl-record-batch.h"

G_BEGIN_DECLS

#define SETL_TYPE_CACHE_WRITER (setl_cache_writer_get_type ())
G_DECLARE_DERIVABLE_TYPE (SetlCacheWriter, setl_cache_writer, SETL, CACHE_WRITER, GObject)

/**
 * SetlCacheWriterClass:
 * @parent_class: the parent class
 * @add_batch: stores one more batch (it has the schema the writer was made
 *   for). Fails with %G_IO_ERROR_MESSAGE_TOO_LARGE once the entry would
 *   outgrow the policy's #SetlCachePolicy:max-size, or with another error
 *   when storing fails. Called at most once at a time.
 * @commit: makes the entry visible under its key, atomically, with the
 *   metadata of setl_cache_writer_get_entry() as it is now; sets the
 *   entry's size to what it takes in the store. Returns a stream that reads
 *   the stored batches back, each pass in the order they were added — for
 *   a policy that keeps its entries outside memory, batch by batch, so
 *   that reading them back takes no more memory than a few batches.
 * @abort: gives up: nothing of the entry stays in the store (no temporary
 *   file either). Called at most once, and never after @commit succeeded.
 *
 * The virtual methods of a cache writer. The public wrappers keep the
 * writer's state: after a failed @add_batch or @commit, or a cancellation,
 * they call @abort themselves.
 */
struct _SetlCacheWriterClass
{
  GObjectClass parent_class;

  gboolean         (*add_batch) (SetlCacheWriter   *self,
                                 SetlRecordBatch   *batch,
                                 GCancellable      *cancellable,
                                 GError           **error);
  SetlBatchStream *(*commit)    (SetlCacheWriter   *self,
                                 GCancellable      *cancellable,
                                 GError           **error);
  void             (*abort)     (SetlCacheWriter   *self);

  /*< private >*/
  gpointer padding[8];
};

SetlCacheEntry  *setl_cache_writer_get_entry     (SetlCacheWriter   *self);
SetlField      **setl_cache_writer_get_fields    (SetlCacheWriter   *self,
                                                  guint             *n_fields);
gint64           setl_cache_writer_get_n_rows    (SetlCacheWriter   *self);
guint64          setl_cache_writer_get_n_batches (SetlCacheWriter   *self);

gboolean         setl_cache_writer_add_batch     (SetlCacheWriter   *self,
                                                  SetlRecordBatch   *batch,
                                                  GCancellable      *cancellable,
                                                  GError           **error);
SetlBatchStream *setl_cache_writer_commit        (SetlCacheWriter   *self,
                                                  GCancellable      *cancellable,
                                                  GError           **error);
void             setl_cache_writer_abort         (SetlCacheWriter   *self);

G_END_DECLS
