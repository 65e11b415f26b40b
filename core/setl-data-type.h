/* setl-data-type.h: the logical types of table columns, and the data error domain.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(SETL_INSIDE) && !defined(SETL_COMPILATION)
#error "Only <setl/setl.h> can be included directly."
#endif

#include <glib-object.h>

G_BEGIN_DECLS

/**
 * SetlDataType:
 * @SETL_DATA_TYPE_BOOL: a boolean, bit-packed (Arrow format `b`)
 * @SETL_DATA_TYPE_INT64: a signed 64-bit integer (Arrow format `l`)
 * @SETL_DATA_TYPE_DOUBLE: an IEEE 754 double (Arrow format `g`)
 * @SETL_DATA_TYPE_STRING: UTF-8 text with 32-bit offsets (Arrow format `u`)
 * @SETL_DATA_TYPE_DATE32: days since 1970-01-01 as a 32-bit integer
 *   (Arrow format `tdD`)
 * @SETL_DATA_TYPE_TIMESTAMP: microseconds since 1970-01-01 00:00:00 UTC as a
 *   64-bit integer, with an optional time zone carried by the #SetlField
 *   (Arrow format `tsu:` followed by the zone)
 *
 * The type of the values of a #SetlColumn.
 */
typedef enum {
  SETL_DATA_TYPE_BOOL,
  SETL_DATA_TYPE_INT64,
  SETL_DATA_TYPE_DOUBLE,
  SETL_DATA_TYPE_STRING,
  SETL_DATA_TYPE_DATE32,
  SETL_DATA_TYPE_TIMESTAMP,
} SetlDataType;

#define SETL_TYPE_DATA_TYPE (setl_data_type_get_type ())
GType        setl_data_type_get_type     (void) G_GNUC_CONST;

const char  *setl_data_type_to_string    (SetlDataType type);
gboolean     setl_data_type_from_string  (const char   *name,
                                          SetlDataType *type);
guint        setl_data_type_get_bit_width (SetlDataType type);

/**
 * SETL_DATA_ERROR:
 *
 * Error domain of the data plane: columns, record batches, tables and the
 * Arrow C Data Interface. Errors in this domain are from the #SetlDataError
 * enumeration.
 */
#define SETL_DATA_ERROR (setl_data_error_quark ())
GQuark       setl_data_error_quark       (void);

/**
 * SetlDataError:
 * @SETL_DATA_ERROR_INVALID: columns or fields do not fit together
 *   (lengths, types, nulls in a non-nullable field)
 * @SETL_DATA_ERROR_NOT_FOUND: no column by that name or index
 * @SETL_DATA_ERROR_OVERFLOW: a column outgrew its offsets (more than 2 GiB
 *   of string data in one column)
 * @SETL_DATA_ERROR_UNSUPPORTED: an Arrow type this version cannot hold
 * @SETL_DATA_ERROR_ARROW: malformed or failing Arrow C Data Interface input
 *
 * Error codes of %SETL_DATA_ERROR.
 */
typedef enum {
  SETL_DATA_ERROR_INVALID,
  SETL_DATA_ERROR_NOT_FOUND,
  SETL_DATA_ERROR_OVERFLOW,
  SETL_DATA_ERROR_UNSUPPORTED,
  SETL_DATA_ERROR_ARROW,
} SetlDataError;

#define SETL_TYPE_DATA_ERROR (setl_data_error_get_type ())
GType        setl_data_error_get_type    (void) G_GNUC_CONST;

G_END_DECLS
