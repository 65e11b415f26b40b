/* setl-arrow.h: the Arrow C Data Interface, and libsetl's exporters and
 * importers of columns, record batches and tables.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(SETL_INSIDE) && !defined(SETL_COMPILATION)
#error "Only <setl/setl.h> can be included directly."
#endif

#include <stdint.h>
#include <glib-object.h>
#include "setl-field.h"
#include "setl-column.h"
#include "setl-record-batch.h"
#include "setl-table.h"

G_BEGIN_DECLS

/* The raw structs are hidden from g-ir-scanner, which cannot describe them:
 * bindings use the `_address` variants below. */
#ifndef __GI_SCANNER__

/* The ABI structs below are copied verbatim from the Arrow specification
 * (https://arrow.apache.org/docs/format/CDataInterface.html and
 * https://arrow.apache.org/docs/format/CStreamInterface.html), which
 * publishes them to be copied into projects. The guards let them coexist
 * with any other copy (arrow/c/abi.h, nanoarrow.h, duckdb.h…). Do not edit. */

#ifndef ARROW_C_DATA_INTERFACE
#define ARROW_C_DATA_INTERFACE

#define ARROW_FLAG_DICTIONARY_ORDERED 1
#define ARROW_FLAG_NULLABLE 2
#define ARROW_FLAG_MAP_KEYS_SORTED 4

struct ArrowSchema {
  // Array type description
  const char* format;
  const char* name;
  const char* metadata;
  int64_t flags;
  int64_t n_children;
  struct ArrowSchema** children;
  struct ArrowSchema* dictionary;

  // Release callback
  void (*release)(struct ArrowSchema*);
  // Opaque producer-specific data
  void* private_data;
};

struct ArrowArray {
  // Array data description
  int64_t length;
  int64_t null_count;
  int64_t offset;
  int64_t n_buffers;
  int64_t n_children;
  const void** buffers;
  struct ArrowArray** children;
  struct ArrowArray* dictionary;

  // Release callback
  void (*release)(struct ArrowArray*);
  // Opaque producer-specific data
  void* private_data;
};

#endif  // ARROW_C_DATA_INTERFACE

#ifndef ARROW_C_STREAM_INTERFACE
#define ARROW_C_STREAM_INTERFACE

struct ArrowArrayStream {
  // Callback to get the stream type
  // (will be the same for all arrays in the stream).
  //
  // Return value: 0 if successful, an `errno`-compatible error code otherwise.
  //
  // If successful, the ArrowSchema must be released independently from the stream.
  int (*get_schema)(struct ArrowArrayStream*, struct ArrowSchema* out);

  // Callback to get the next array
  // (if no error and the array is released, the stream has ended)
  //
  // Return value: 0 if successful, an `errno`-compatible error code otherwise.
  //
  // If successful, the ArrowArray must be released independently from the stream.
  int (*get_next)(struct ArrowArrayStream*, struct ArrowArray* out);

  // Callback to get optional detailed error information.
  // This must only be called if the last stream operation failed
  // with a non-0 return code.
  //
  // Return value: pointer to a null-terminated character array describing
  // the last error, or NULL if no description is available.
  //
  // The returned pointer is only valid until the next operation on this stream
  // (including release).
  const char* (*get_last_error)(struct ArrowArrayStream*);

  // Release callback: release the stream's own resources.
  // Note that arrays returned by `get_next` must be individually released.
  void (*release)(struct ArrowArrayStream*);

  // Opaque producer-specific data
  void* private_data;
};

#endif  // ARROW_C_STREAM_INTERFACE

/* Columns */
void             setl_column_export_to_c              (SetlColumn              *self,
                                                       SetlField               *field,
                                                       struct ArrowArray       *out_array,
                                                       struct ArrowSchema      *out_schema);
SetlColumn      *setl_column_import_from_c            (struct ArrowArray       *array,
                                                       struct ArrowSchema      *schema,
                                                       SetlField              **out_field,
                                                       GError                 **error);

/* Record batches, as struct arrays */
void             setl_record_batch_export_to_c        (SetlRecordBatch         *self,
                                                       struct ArrowArray       *out_array,
                                                       struct ArrowSchema      *out_schema);
SetlRecordBatch *setl_record_batch_import_from_c      (struct ArrowArray       *array,
                                                       struct ArrowSchema      *schema,
                                                       GError                 **error);

/* Tables, as streams of record batches */
void             setl_table_export_to_c_stream        (SetlTable               *self,
                                                       struct ArrowArrayStream *out_stream);
SetlTable       *setl_table_import_from_c_stream      (struct ArrowArrayStream *stream,
                                                       GError                 **error);

#endif /* __GI_SCANNER__ */

/* The same, for bindings, which hold the structs by address. */
void             setl_record_batch_export_to_c_address (SetlRecordBatch        *self,
                                                        guintptr                array_address,
                                                        guintptr                schema_address);
SetlRecordBatch *setl_record_batch_import_from_c_address (guintptr              array_address,
                                                          guintptr              schema_address,
                                                          GError              **error);
void             setl_table_export_to_c_stream_address (SetlTable              *self,
                                                        guintptr                stream_address);
SetlTable       *setl_table_import_from_c_stream_address (guintptr              stream_address,
                                                          GError              **error);

G_END_DECLS
