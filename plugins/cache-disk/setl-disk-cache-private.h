/* setl-disk-cache-private.h: what the disk policy shares with its writer.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "setl-disk-cache.h"
#include "setl-disk-store.h"

G_BEGIN_DECLS

/* The metadata section of an entry file (see setl-disk-cache.c). */
GBytes  *_setl_disk_cache_encode_metadata (SetlCacheEntry  *entry,
                                           guint64          ttl,
                                           const GValue    *simple_value);
/* Makes @entry the latest of its subject, for key-changed misses and
 * `setl cache explain`. */
gboolean _setl_disk_cache_write_subject   (SetlDiskStore   *store,
                                           SetlCacheEntry  *entry,
                                           GError         **error);
/* Counts an entry stored, and the entries its commit evicted. */
void     _setl_disk_cache_note_stored     (SetlDiskCache   *self,
                                           guint64          n_evicted);

G_END_DECLS
