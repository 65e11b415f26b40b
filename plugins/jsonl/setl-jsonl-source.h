/* setl-jsonl-source.h: the "jsonl-source" factory.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <setl/setl.h>

G_BEGIN_DECLS

#define SETL_TYPE_JSONL_SOURCE (setl_jsonl_source_get_type ())
G_DECLARE_FINAL_TYPE (SetlJsonlSource, setl_jsonl_source, SETL, JSONL_SOURCE, SetlFactory)

G_END_DECLS
