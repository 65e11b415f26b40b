/* setl-batch-stream.h: data that can be read batch by batch, more than once.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(SETL_INSIDE) && !defined(SETL_COMPILATION)
#error "Only <setl/setl.h> can be included directly."
#endif

#include <gio/gio.h>

#include "setl-batch-iterator.h"
#include "setl-field.h"
#include "setl-table.h"

G_BEGIN_DECLS

#define SETL_TYPE_BATCH_STREAM (setl_batch_stream_get_type ())
G_DECLARE_INTERFACE (SetlBatchStream, setl_batch_stream, SETL, BATCH_STREAM, GObject)

/**
 * SetlBatchStreamInterface:
 * @g_iface: the parent interface
 * @get_fields: returns the fields every batch has (transfer none)
 * @open: starts a new pass over the data (transfer full)
 *
 * The virtual methods of #SetlBatchStream.
 */
struct _SetlBatchStreamInterface
{
  GTypeInterface g_iface;

  SetlField         **(*get_fields) (SetlBatchStream  *self,
                                     guint            *n_fields);
  SetlBatchIterator  *(*open)       (SetlBatchStream  *self,
                                     GCancellable     *cancellable,
                                     GError          **error);

  /*< private >*/
  gpointer padding[8];
};

SetlField        **setl_batch_stream_get_fields (SetlBatchStream  *self,
                                                 guint            *n_fields);
SetlBatchIterator *setl_batch_stream_open       (SetlBatchStream  *self,
                                                 GCancellable     *cancellable,
                                                 GError          **error);
SetlTable         *setl_batch_stream_collect    (SetlBatchStream  *self,
                                                 GCancellable     *cancellable,
                                                 GError          **error);

G_END_DECLS
