/* setl-table.h: fields plus a sequence of record batches.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(SETL_INSIDE) && !defined(SETL_COMPILATION)
#error "Only <setl/setl.h> can be included directly."
#endif

#include <glib-object.h>
#include "setl-field.h"
#include "setl-record-batch.h"

G_BEGIN_DECLS

#define SETL_TYPE_TABLE (setl_table_get_type ())
G_DECLARE_FINAL_TYPE (SetlTable, setl_table, SETL, TABLE, GObject)

SetlTable       *setl_table_new                (SetlField        **fields,
                                                guint              n_fields,
                                                SetlRecordBatch  **batches,
                                                guint              n_batches,
                                                GError           **error);
SetlTable       *setl_table_new_from_batch     (SetlRecordBatch   *batch);

gint64           setl_table_get_n_rows         (SetlTable         *self);
guint            setl_table_get_n_columns      (SetlTable         *self);
SetlField      **setl_table_get_fields         (SetlTable         *self,
                                                guint             *n_fields);
SetlField       *setl_table_get_field          (SetlTable         *self,
                                                guint              index);
int              setl_table_get_column_index   (SetlTable         *self,
                                                const char        *name);
guint            setl_table_get_n_batches      (SetlTable         *self);
SetlRecordBatch *setl_table_get_batch          (SetlTable         *self,
                                                guint              index);
gsize            setl_table_get_byte_size      (SetlTable         *self);

SetlTable       *setl_table_slice              (SetlTable         *self,
                                                gint64             offset,
                                                gint64             length);
SetlTable       *setl_table_select             (SetlTable         *self,
                                                const guint       *indices,
                                                guint              n_indices,
                                                GError           **error);
SetlTable       *setl_table_select_by_name     (SetlTable         *self,
                                                const char *const *names,
                                                GError           **error);
gboolean         setl_table_equal              (SetlTable         *a,
                                                SetlTable         *b);

G_END_DECLS
