/* setl-data-type.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "setl-data-type.h"

/* Registered here rather than through glib-mkenums so that the data plane
 * stays in its own files; G_DEFINE_ENUM_TYPE gives the same nicks. */
G_DEFINE_ENUM_TYPE (SetlDataType, setl_data_type,
  G_DEFINE_ENUM_VALUE (SETL_DATA_TYPE_BOOL, "bool"),
  G_DEFINE_ENUM_VALUE (SETL_DATA_TYPE_INT64, "int64"),
  G_DEFINE_ENUM_VALUE (SETL_DATA_TYPE_DOUBLE, "double"),
  G_DEFINE_ENUM_VALUE (SETL_DATA_TYPE_STRING, "string"),
  G_DEFINE_ENUM_VALUE (SETL_DATA_TYPE_DATE32, "date32"),
  G_DEFINE_ENUM_VALUE (SETL_DATA_TYPE_TIMESTAMP, "timestamp"))

G_DEFINE_ENUM_TYPE (SetlDataError, setl_data_error,
  G_DEFINE_ENUM_VALUE (SETL_DATA_ERROR_INVALID, "invalid"),
  G_DEFINE_ENUM_VALUE (SETL_DATA_ERROR_NOT_FOUND, "not-found"),
  G_DEFINE_ENUM_VALUE (SETL_DATA_ERROR_OVERFLOW, "overflow"),
  G_DEFINE_ENUM_VALUE (SETL_DATA_ERROR_UNSUPPORTED, "unsupported"),
  G_DEFINE_ENUM_VALUE (SETL_DATA_ERROR_ARROW, "arrow"))

G_DEFINE_QUARK (setl-data-error-quark, setl_data_error)

static const char *const type_names[] = {
  [SETL_DATA_TYPE_BOOL] = "bool",
  [SETL_DATA_TYPE_INT64] = "int64",
  [SETL_DATA_TYPE_DOUBLE] = "double",
  [SETL_DATA_TYPE_STRING] = "string",
  [SETL_DATA_TYPE_DATE32] = "date32",
  [SETL_DATA_TYPE_TIMESTAMP] = "timestamp",
};

/**
 * setl_data_type_to_string:
 * @type: a #SetlDataType
 *
 * Returns: (transfer none): the type's name as pipeline files and error
 *   messages spell it: `bool`, `int64`, `double`, `string`, `date32`,
 *   `timestamp`
 */
const char *
setl_data_type_to_string (SetlDataType type)
{
  g_return_val_if_fail ((guint) type < G_N_ELEMENTS (type_names), NULL);
  return type_names[type];
}

/**
 * setl_data_type_from_string:
 * @name: a type name, as returned by setl_data_type_to_string()
 * @type: (out): where to store the type
 *
 * Returns: %TRUE if @name names a type
 */
gboolean
setl_data_type_from_string (const char   *name,
                            SetlDataType *type)
{
  g_return_val_if_fail (name != NULL, FALSE);
  g_return_val_if_fail (type != NULL, FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (type_names); i++)
    if (g_str_equal (name, type_names[i]))
      {
        *type = (SetlDataType) i;
        return TRUE;
      }
  return FALSE;
}

/**
 * setl_data_type_get_bit_width:
 * @type: a #SetlDataType
 *
 * Returns: the width of one value in the values buffer, in bits (1 for
 *   bool), or 0 for variable-width types (string)
 */
guint
setl_data_type_get_bit_width (SetlDataType type)
{
  switch (type)
    {
    case SETL_DATA_TYPE_BOOL:
      return 1;
    case SETL_DATA_TYPE_DATE32:
      return 32;
    case SETL_DATA_TYPE_INT64:
    case SETL_DATA_TYPE_DOUBLE:
    case SETL_DATA_TYPE_TIMESTAMP:
      return 64;
    case SETL_DATA_TYPE_STRING:
      return 0;
    default:
      g_return_val_if_reached (0);
    }
}
