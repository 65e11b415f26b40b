/* setl-disk-hit-block.h: the fixed binary block at the start of a disk
 * cache entry's metadata — what a hit reads, without GVariant.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <setl/setl.h>

G_BEGIN_DECLS

void            _setl_disk_hit_block_append (GByteArray     *buf,
                                             SetlCacheEntry *entry,
                                             guint64         ttl,
                                             const GValue   *simple_value);
gboolean        _setl_disk_hit_block_size   (const guint8   *data,
                                             gsize           size,
                                             gsize          *block_size,
                                             GError        **error);
SetlCacheEntry *_setl_disk_hit_block_read   (const guint8   *data,
                                             gsize           size,
                                             SetlCacheKey   *key,
                                             guint64        *stored_ttl,
                                             GError        **error);

G_END_DECLS
