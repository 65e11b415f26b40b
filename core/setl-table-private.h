/* setl-table-private.h: what the data-plane types (column, builder, record
 * batch, table, Arrow interface) share with each other and nobody else.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "setl-data-type.h"
#include "setl-field.h"
#include "setl-column.h"
#include "setl-record-batch.h"
#include "setl-table.h"
#include "setl-batch-iterator.h"

G_BEGIN_DECLS

/* The pass a SetlTable opens as a SetlBatchStream (setl-table-iterator.c). */
SetlBatchIterator *_setl_table_iterator_new (SetlTable *table);

/* Arrow recommends 64-byte alignment and padding (cache lines, SIMD). */
#define SETL_BUFFER_ALIGNMENT 64

/* Takes ownership of the three buffers (any may be NULL). @null_count < 0
 * means "count it". No validation: callers have built or checked the
 * buffers so that they cover @offset + @length values. */
SetlColumn *_setl_column_new_take (SetlDataType  data_type,
                                   gint64        length,
                                   gint64        offset,
                                   gint64        null_count,
                                   GBytes       *validity,
                                   GBytes       *values,
                                   GBytes       *data);

/* Number of set bits in [@offset, @offset + @length) of an LSB bitmap. */
gint64 _setl_bitmap_count_set (const guint8 *bits,
                               gint64        offset,
                               gint64        length);

gboolean _setl_column_value_equal (SetlColumn *a,
                                   gint64      i,
                                   SetlColumn *b,
                                   gint64      j);

/* @fields: (element-type SetlField), @columns: (element-type SetlColumn),
 * both taken. Already validated. */
SetlRecordBatch *_setl_record_batch_new_take (GPtrArray *fields,
                                              GPtrArray *columns,
                                              gint64     n_rows);
gboolean _setl_record_batch_validate (GPtrArray  *fields,
                                      GPtrArray  *columns,
                                      GError    **error);
GPtrArray *_setl_record_batch_get_field_array (SetlRecordBatch *self);

/* @fields: taken; @batches: taken, already checked against @fields. */
SetlTable *_setl_table_new_take (GPtrArray *fields,
                                 GPtrArray *batches);
GPtrArray *_setl_table_get_field_array (SetlTable *self);

G_END_DECLS
