/* setl-table-file-stream.h: a table file read back as a stream, batch by
 * batch.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <setl/setl.h>

#include "setl-table-file.h"

G_BEGIN_DECLS

#define SETL_TYPE_TABLE_FILE_STREAM (setl_table_file_stream_get_type ())
G_DECLARE_FINAL_TYPE (SetlTableFileStream, setl_table_file_stream, SETL, TABLE_FILE_STREAM, GObject)

SetlTableFileStream *setl_table_file_stream_new      (int          fd,
                                                      const char  *display_name,
                                                      GError     **error);
guint64              setl_table_file_stream_get_size (SetlTableFileStream *self);

G_END_DECLS
