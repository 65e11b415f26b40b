/* setl-table-file-writer.h: writes a table file batch by batch, atomically.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <setl/setl.h>

#include "setl-table-file.h"

G_BEGIN_DECLS

#define SETL_TYPE_TABLE_FILE_WRITER (setl_table_file_writer_get_type ())
G_DECLARE_FINAL_TYPE (SetlTableFileWriter, setl_table_file_writer, SETL, TABLE_FILE_WRITER, GObject)

SetlTableFileWriter *setl_table_file_writer_new       (const char           *path,
                                                       SetlField           **fields,
                                                       guint                 n_fields,
                                                       GBytes               *metadata,
                                                       int                   compression_level,
                                                       GError              **error);
gboolean             setl_table_file_writer_add_batch (SetlTableFileWriter  *self,
                                                       SetlRecordBatch      *batch,
                                                       GError              **error);
gboolean             setl_table_file_writer_set_metadata (SetlTableFileWriter *self,
                                                          GBytes              *metadata,
                                                          GError             **error);
guint64              setl_table_file_writer_get_size  (SetlTableFileWriter  *self);
gboolean             setl_table_file_writer_finish    (SetlTableFileWriter  *self,
                                                       SetlTableFileInfo   **out_info,
                                                       GError              **error);
gboolean             setl_table_file_writer_commit    (SetlTableFileWriter  *self,
                                                       GError              **error);
void                 setl_table_file_writer_abort     (SetlTableFileWriter  *self);
const char          *setl_table_file_writer_get_path  (SetlTableFileWriter  *self);
const char          *setl_table_file_writer_get_temp_path (SetlTableFileWriter *self);

G_END_DECLS
