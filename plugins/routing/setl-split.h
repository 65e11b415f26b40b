/* setl-split.h: the "split" feature — A/B variants of rows or runs.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <setl/setl.h>

G_BEGIN_DECLS

#define SETL_TYPE_SPLIT (setl_split_get_type ())
G_DECLARE_FINAL_TYPE (SetlSplit, setl_split, SETL, SPLIT, SetlFactory)

/* The variant (index into @names) that @key (@len bytes) falls in, for
 * cumulative fractions @cumulative ending at 1.0. */
guint setl_split_pick (const char   *key,
                       gsize         len,
                       guint64       seed,
                       const double *cumulative,
                       guint         n_variants);

G_END_DECLS
