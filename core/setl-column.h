/* setl-column.h: one immutable column of values in the Arrow layout.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(SETL_INSIDE) && !defined(SETL_COMPILATION)
#error "Only <setl/setl.h> can be included directly."
#endif

#include <glib-object.h>
#include "setl-data-type.h"

G_BEGIN_DECLS

#define SETL_TYPE_COLUMN (setl_column_get_type ())
G_DECLARE_FINAL_TYPE (SetlColumn, setl_column, SETL, COLUMN, GObject)

SetlDataType   setl_column_get_data_type   (SetlColumn *self);
gint64         setl_column_get_length      (SetlColumn *self);
gint64         setl_column_get_offset      (SetlColumn *self);
gint64         setl_column_get_null_count  (SetlColumn *self);

gboolean       setl_column_is_null         (SetlColumn *self,
                                            gint64      row);
gboolean       setl_column_get_bool        (SetlColumn *self,
                                            gint64      row);
gint64         setl_column_get_int64       (SetlColumn *self,
                                            gint64      row);
double         setl_column_get_double      (SetlColumn *self,
                                            gint64      row);
const char    *setl_column_get_string      (SetlColumn *self,
                                            gint64      row,
                                            gsize      *length);
char          *setl_column_dup_string      (SetlColumn *self,
                                            gint64      row);
gint32         setl_column_get_date32      (SetlColumn *self,
                                            gint64      row);
gint64         setl_column_get_timestamp   (SetlColumn *self,
                                            gint64      row);
gboolean       setl_column_get_value       (SetlColumn *self,
                                            gint64      row,
                                            GValue     *value);

guint          setl_column_get_n_buffers   (SetlColumn *self);
GBytes        *setl_column_get_buffer      (SetlColumn *self,
                                            guint       index);
const guint8  *setl_column_get_validity_bitmap (SetlColumn *self);
gconstpointer  setl_column_get_values_data (SetlColumn *self);
const char    *setl_column_get_string_data (SetlColumn *self);
gsize          setl_column_get_byte_size   (SetlColumn *self);

SetlColumn    *setl_column_slice           (SetlColumn *self,
                                            gint64      offset,
                                            gint64      length);
gboolean       setl_column_equal           (SetlColumn *a,
                                            SetlColumn *b);

G_END_DECLS
