/* setl-record-batch.h: columns of equal length, with their fields.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(SETL_INSIDE) && !defined(SETL_COMPILATION)
#error "Only <setl/setl.h> can be included directly."
#endif

#include <glib-object.h>
#include "setl-field.h"
#include "setl-column.h"

G_BEGIN_DECLS

#define SETL_TYPE_RECORD_BATCH (setl_record_batch_get_type ())
G_DECLARE_FINAL_TYPE (SetlRecordBatch, setl_record_batch, SETL, RECORD_BATCH, GObject)

SetlRecordBatch *setl_record_batch_new             (SetlField       **fields,
                                                    guint             n_fields,
                                                    SetlColumn      **columns,
                                                    guint             n_columns,
                                                    GError          **error);

gint64       setl_record_batch_get_n_rows          (SetlRecordBatch  *self);
guint        setl_record_batch_get_n_columns       (SetlRecordBatch  *self);
SetlField  **setl_record_batch_get_fields          (SetlRecordBatch  *self,
                                                    guint            *n_fields);
SetlField   *setl_record_batch_get_field           (SetlRecordBatch  *self,
                                                    guint             index);
SetlColumn  *setl_record_batch_get_column          (SetlRecordBatch  *self,
                                                    guint             index);
int          setl_record_batch_get_column_index    (SetlRecordBatch  *self,
                                                    const char       *name);
SetlColumn  *setl_record_batch_get_column_by_name  (SetlRecordBatch  *self,
                                                    const char       *name);
gsize        setl_record_batch_get_byte_size       (SetlRecordBatch  *self);

SetlRecordBatch *setl_record_batch_slice           (SetlRecordBatch  *self,
                                                    gint64            offset,
                                                    gint64            length);
SetlRecordBatch *setl_record_batch_select          (SetlRecordBatch  *self,
                                                    const guint      *indices,
                                                    guint             n_indices,
                                                    GError          **error);
SetlRecordBatch *setl_record_batch_select_by_name  (SetlRecordBatch  *self,
                                                    const char *const *names,
                                                    GError          **error);
gboolean     setl_record_batch_equal               (SetlRecordBatch  *a,
                                                    SetlRecordBatch  *b);

G_END_DECLS
