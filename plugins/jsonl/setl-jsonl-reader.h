/* setl-jsonl-reader.h: reads a JSON Lines file one object at a time, and
 * turns JSON values into column values. Private to the jsonl plugin.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <stdio.h>
#include <json-glib/json-glib.h>
#include <setl/setl.h>

G_BEGIN_DECLS

typedef struct _SetlJsonlReader SetlJsonlReader;

SetlJsonlReader *setl_jsonl_reader_open      (const char       *path,
                                              GError          **error);
void             setl_jsonl_reader_free      (SetlJsonlReader  *self);
int              setl_jsonl_reader_next      (SetlJsonlReader  *self,
                                              JsonObject      **object,
                                              GError          **error);
guint64          setl_jsonl_reader_get_line  (SetlJsonlReader  *self);
const char      *setl_jsonl_reader_get_path  (SetlJsonlReader  *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SetlJsonlReader, setl_jsonl_reader_free)

GPtrArray       *setl_jsonl_parse_schema     (const char       *schema,
                                              GError          **error);
gboolean         setl_jsonl_append_value     (SetlColumnBuilder *builder,
                                              SetlDataType      type,
                                              JsonNode         *node,
                                              GError          **error);
gboolean         setl_jsonl_parse_date       (const char       *text,
                                              gint32           *days);
gboolean         setl_jsonl_parse_timestamp  (const char       *text,
                                              gint64           *usec);
void             setl_jsonl_format_double    (GString          *out,
                                              double            value);

G_END_DECLS
