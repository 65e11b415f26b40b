/* setl-jsonl-stream.h: the lazy output of "jsonl-source". Private.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <setl/setl.h>

G_BEGIN_DECLS

#define SETL_TYPE_JSONL_STREAM (setl_jsonl_stream_get_type ())
G_DECLARE_FINAL_TYPE (SetlJsonlStream, setl_jsonl_stream, SETL, JSONL_STREAM, GObject)

/* What a key outside the columns is. */
typedef enum {
  SETL_JSONL_UNKNOWN_KEYS_IGNORE,
  SETL_JSONL_UNKNOWN_KEYS_FAIL_INFERRED,   /* columns from a sample */
  SETL_JSONL_UNKNOWN_KEYS_FAIL_SCHEMA,     /* columns from the schema */
} SetlJsonlUnknownKeys;

SetlJsonlStream *setl_jsonl_stream_new (const char           *path,
                                        GPtrArray            *fields,
                                        guint                 batch_size,
                                        SetlJsonlUnknownKeys  unknown_keys);

G_END_DECLS
