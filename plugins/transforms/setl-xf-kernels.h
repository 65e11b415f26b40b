/* setl-xf-kernels.h: column kernels the transforms need that make new
 * buffers (gather by index, concatenation). Private to the plugin.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <setl/setl.h>

G_BEGIN_DECLS

SetlColumn *setl_xf_take_chunked (SetlDataType   type,
                                  SetlColumn   **chunks,
                                  guint          n_chunks,
                                  const gint64  *indices,
                                  gint64         n_indices,
                                  GError       **error);

SetlColumn *setl_xf_concatenate  (SetlDataType   type,
                                  SetlColumn   **chunks,
                                  guint          n_chunks,
                                  GError       **error);

G_END_DECLS
