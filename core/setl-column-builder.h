/* setl-column-builder.h: appends values to make a SetlColumn.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(SETL_INSIDE) && !defined(SETL_COMPILATION)
#error "Only <setl/setl.h> can be included directly."
#endif

#include <glib-object.h>
#include "setl-data-type.h"
#include "setl-column.h"

G_BEGIN_DECLS

#define SETL_TYPE_COLUMN_BUILDER (setl_column_builder_get_type ())
G_DECLARE_FINAL_TYPE (SetlColumnBuilder, setl_column_builder, SETL, COLUMN_BUILDER, GObject)

SetlColumnBuilder *setl_column_builder_new          (SetlDataType       data_type);

SetlDataType  setl_column_builder_get_data_type     (SetlColumnBuilder *self);
gint64        setl_column_builder_get_length        (SetlColumnBuilder *self);
gint64        setl_column_builder_get_null_count    (SetlColumnBuilder *self);
gsize         setl_column_builder_get_byte_size     (SetlColumnBuilder *self);

void          setl_column_builder_reserve           (SetlColumnBuilder *self,
                                                     gint64             n_values,
                                                     gsize              n_string_bytes);
void          setl_column_builder_append_null       (SetlColumnBuilder *self);
void          setl_column_builder_append_bool       (SetlColumnBuilder *self,
                                                     gboolean           value);
void          setl_column_builder_append_int64      (SetlColumnBuilder *self,
                                                     gint64             value);
void          setl_column_builder_append_double     (SetlColumnBuilder *self,
                                                     double             value);
void          setl_column_builder_append_string     (SetlColumnBuilder *self,
                                                     const char        *value,
                                                     gssize             length);
void          setl_column_builder_append_date32     (SetlColumnBuilder *self,
                                                     gint32             days);
void          setl_column_builder_append_timestamp  (SetlColumnBuilder *self,
                                                     gint64             usec);
void          setl_column_builder_append_values     (SetlColumnBuilder *self,
                                                     gconstpointer      values,
                                                     const guint8      *valid,
                                                     gsize              n_values);
void          setl_column_builder_append_strings    (SetlColumnBuilder *self,
                                                     const char        *data,
                                                     const gint32      *offsets,
                                                     const guint8      *valid,
                                                     gsize              n_values);
gpointer      setl_column_builder_begin_append      (SetlColumnBuilder *self,
                                                     gsize              n_values,
                                                     gsize              n_string_bytes,
                                                     char             **text);
void          setl_column_builder_end_append        (SetlColumnBuilder *self,
                                                     const guint8      *valid,
                                                     gsize              n_values);

SetlColumn   *setl_column_builder_finish            (SetlColumnBuilder *self,
                                                     GError           **error);

G_END_DECLS
