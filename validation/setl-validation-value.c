/* setl-validation-value.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/**
 * SECTION:setl-validation-value
 * @title: Validation values
 *
 * Check parameters arrive as JSON (`{"ge": "2015-02-01"}`) and must be
 * compared with column values of the column's type; failure cases leave as
 * text. These functions do both for check libraries, with the #GValue types
 * of setl_column_get_value(): %G_TYPE_BOOLEAN (bool), %G_TYPE_INT64 (int64;
 * timestamp in microseconds), %G_TYPE_DOUBLE, %G_TYPE_STRING, %G_TYPE_INT
 * (date32, in days).
 */
#include "setl-validation-value.h"
#include "setl-expr-private.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/**
 * setl_validation_value_type:
 * @type: a #SetlDataType
 *
 * Returns: the #GType of values of @type as setl_column_get_value() gives
 *   them
 */
GType
setl_validation_value_type (SetlDataType type)
{
  switch (type)
    {
    case SETL_DATA_TYPE_BOOL: return G_TYPE_BOOLEAN;
    case SETL_DATA_TYPE_INT64: return G_TYPE_INT64;
    case SETL_DATA_TYPE_DOUBLE: return G_TYPE_DOUBLE;
    case SETL_DATA_TYPE_STRING: return G_TYPE_STRING;
    case SETL_DATA_TYPE_DATE32: return G_TYPE_INT;
    case SETL_DATA_TYPE_TIMESTAMP: return G_TYPE_INT64;
    default: return G_TYPE_INVALID;
    }
}

static const char *
json_kind (JsonNode *node)
{
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return "null";
  if (JSON_NODE_HOLDS_ARRAY (node))
    return "an array";
  if (JSON_NODE_HOLDS_OBJECT (node))
    return "an object";
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_BOOLEAN: return "a boolean";
    case G_TYPE_INT64: return "an integer";
    case G_TYPE_DOUBLE: return "a number";
    case G_TYPE_STRING: return "a string";
    default: return "a value";
    }
}

/**
 * setl_validation_value_from_json:
 * @node: a JSON value (a check parameter)
 * @type: the type of the column it will be compared with
 * @value: (out caller-allocates): an uninitialised #GValue
 * @error: return location for a #GError
 *
 * Converts a parameter to a value comparable with the column's: a number
 * for int64 and double columns (an int64 column takes integers only), a
 * string for string columns, true or false for bool columns, and for date
 * and timestamp columns an ISO 8601 string (`2015-02-01`,
 * `2015-02-01T10:00:00Z`) or a number of days or microseconds.
 *
 * Returns: %TRUE with @value set; %FALSE with @error set
 *   (%SETL_CHECK_ERROR_INVALID_PARAMETER) saying what was expected
 */
gboolean
setl_validation_value_from_json (JsonNode      *node,
                                 SetlDataType   type,
                                 GValue        *value,
                                 GError       **error)
{
  GType t;

  g_return_val_if_fail (value != NULL && !G_IS_VALUE (value), FALSE);

  t = node != NULL && JSON_NODE_HOLDS_VALUE (node) ? json_node_get_value_type (node) : G_TYPE_INVALID;
  switch (type)
    {
    case SETL_DATA_TYPE_BOOL:
      if (t == G_TYPE_BOOLEAN)
        {
          g_value_init (value, G_TYPE_BOOLEAN);
          g_value_set_boolean (value, json_node_get_boolean (node));
          return TRUE;
        }
      break;
    case SETL_DATA_TYPE_INT64:
      if (t == G_TYPE_INT64)
        {
          g_value_init (value, G_TYPE_INT64);
          g_value_set_int64 (value, json_node_get_int (node));
          return TRUE;
        }
      if (t == G_TYPE_DOUBLE)
        {
          double d = json_node_get_double (node);

          if (d == floor (d) && d >= -9223372036854775808.0 && d < 9223372036854775808.0)
            {
              g_value_init (value, G_TYPE_INT64);
              g_value_set_int64 (value, (gint64) d);
              return TRUE;
            }
        }
      break;
    case SETL_DATA_TYPE_DOUBLE:
      if (t == G_TYPE_INT64 || t == G_TYPE_DOUBLE)
        {
          g_value_init (value, G_TYPE_DOUBLE);
          g_value_set_double (value, t == G_TYPE_INT64 ? (double) json_node_get_int (node)
                                                        : json_node_get_double (node));
          return TRUE;
        }
      break;
    case SETL_DATA_TYPE_STRING:
      if (t == G_TYPE_STRING)
        {
          g_value_init (value, G_TYPE_STRING);
          g_value_set_string (value, json_node_get_string (node));
          return TRUE;
        }
      break;
    case SETL_DATA_TYPE_DATE32:
      if (t == G_TYPE_STRING)
        {
          const char *s = json_node_get_string (node);
          gint32 days;

          if (_setl_expr_parse_date (s, strlen (s), &days))
            {
              g_value_init (value, G_TYPE_INT);
              g_value_set_int (value, days);
              return TRUE;
            }
          g_set_error (error, SETL_CHECK_ERROR, SETL_CHECK_ERROR_INVALID_PARAMETER,
                       "“%s” is not a date (YYYY-MM-DD)", s);
          return FALSE;
        }
      if (t == G_TYPE_INT64 && json_node_get_int (node) >= G_MININT32 && json_node_get_int (node) <= G_MAXINT32)
        {
          g_value_init (value, G_TYPE_INT);
          g_value_set_int (value, (gint) json_node_get_int (node));
          return TRUE;
        }
      break;
    case SETL_DATA_TYPE_TIMESTAMP:
      if (t == G_TYPE_STRING)
        {
          const char *s = json_node_get_string (node);
          gint64 usec;

          if (_setl_expr_parse_timestamp (s, strlen (s), &usec))
            {
              g_value_init (value, G_TYPE_INT64);
              g_value_set_int64 (value, usec);
              return TRUE;
            }
          g_set_error (error, SETL_CHECK_ERROR, SETL_CHECK_ERROR_INVALID_PARAMETER,
                       "“%s” is not a timestamp (YYYY-MM-DDTHH:MM:SS[.ffffff][Z|±HH:MM])", s);
          return FALSE;
        }
      if (t == G_TYPE_INT64)
        {
          g_value_init (value, G_TYPE_INT64);
          g_value_set_int64 (value, json_node_get_int (node));
          return TRUE;
        }
      break;
    default:
      break;
    }

  g_set_error (error, SETL_CHECK_ERROR, SETL_CHECK_ERROR_INVALID_PARAMETER,
               "%s cannot be compared with %s values",
               json_kind (node), setl_data_type_to_string (type));
  return FALSE;
}

/**
 * setl_validation_value_compare:
 * @a: a value
 * @b: a value of the same #GType as @a
 *
 * Orders two values of one column type; strings compare by code point (as
 * Python does), doubles numerically (a NaN after every number).
 *
 * Returns: negative, 0 or positive as @a sorts before, with or after @b
 */
int
setl_validation_value_compare (const GValue *a,
                               const GValue *b)
{
  g_return_val_if_fail (G_IS_VALUE (a) && G_IS_VALUE (b), 0);
  g_return_val_if_fail (G_VALUE_TYPE (a) == G_VALUE_TYPE (b), 0);

  switch (G_VALUE_TYPE (a))
    {
    case G_TYPE_BOOLEAN:
      return (int) g_value_get_boolean (a) - (int) g_value_get_boolean (b);
    case G_TYPE_INT64:
      {
        gint64 x = g_value_get_int64 (a), y = g_value_get_int64 (b);
        return x < y ? -1 : x > y;
      }
    case G_TYPE_INT:
      {
        gint x = g_value_get_int (a), y = g_value_get_int (b);
        return x < y ? -1 : x > y;
      }
    case G_TYPE_DOUBLE:
      {
        double x = g_value_get_double (a), y = g_value_get_double (b);

        if (isnan (x) || isnan (y))
          return isnan (x) - isnan (y);
        return x < y ? -1 : x > y;
      }
    case G_TYPE_STRING:
      /* UTF-8 byte order is code point order. */
      return strcmp (g_value_get_string (a) ? g_value_get_string (a) : "",
                     g_value_get_string (b) ? g_value_get_string (b) : "");
    default:
      g_return_val_if_reached (0);
    }
}

/**
 * setl_validation_value_equal:
 * @a: a value
 * @b: a value of the same #GType as @a
 *
 * Returns: whether @a and @b are the same value
 */
gboolean
setl_validation_value_equal (const GValue *a,
                             const GValue *b)
{
  return setl_validation_value_compare (a, b) == 0;
}

/**
 * setl_validation_value_hash:
 * @value: a value
 *
 * Returns: a hash of @value, equal for values that are equal
 */
guint
setl_validation_value_hash (const GValue *value)
{
  g_return_val_if_fail (G_IS_VALUE (value), 0);

  switch (G_VALUE_TYPE (value))
    {
    case G_TYPE_BOOLEAN:
      return g_value_get_boolean (value) ? 1 : 0;
    case G_TYPE_INT64:
      {
        gint64 v = g_value_get_int64 (value);
        return g_int64_hash (&v);
      }
    case G_TYPE_INT:
      return (guint) g_value_get_int (value);
    case G_TYPE_DOUBLE:
      {
        double v = g_value_get_double (value);
        if (v == 0.0)
          v = 0.0;   /* -0 equals 0 */
        return g_double_hash (&v);
      }
    case G_TYPE_STRING:
      return g_str_hash (g_value_get_string (value) ? g_value_get_string (value) : "");
    default:
      g_return_val_if_reached (0);
    }
}

static char *
format_double (double d)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  if (isnan (d))
    return g_strdup ("nan");
  if (isinf (d))
    return g_strdup (d > 0 ? "inf" : "-inf");
  /* The shortest of %.15g and %.17g that reads back the same. */
  g_ascii_formatd (buffer, sizeof buffer, "%.15g", d);
  if (g_ascii_strtod (buffer, NULL) != d)
    g_ascii_formatd (buffer, sizeof buffer, "%.17g", d);
  if (strpbrk (buffer, ".eEn") == NULL)
    return g_strconcat (buffer, ".0", NULL);
  return g_strdup (buffer);
}

static char *
format_date (gint64 days)
{
  g_autoptr(GDateTime) epoch = g_date_time_new_utc (1970, 1, 1, 0, 0, 0);
  g_autoptr(GDateTime) dt = epoch ? g_date_time_add_days (epoch, (int) days) : NULL;

  if (dt == NULL)
    return g_strdup_printf ("%" G_GINT64_FORMAT " days", days);
  return g_date_time_format (dt, "%Y-%m-%d");
}

static char *
format_timestamp (gint64 usec)
{
  gint64 frac = usec % G_USEC_PER_SEC;
  gint64 seconds = usec / G_USEC_PER_SEC;
  g_autoptr(GDateTime) dt = NULL;
  g_autofree char *base = NULL;

  if (frac < 0)
    {
      frac += G_USEC_PER_SEC;
      seconds--;
    }
  dt = g_date_time_new_from_unix_utc (seconds);

  if (dt == NULL)
    return g_strdup_printf ("%" G_GINT64_FORMAT " µs", usec);
  base = g_date_time_format (dt, "%Y-%m-%d %H:%M:%S");
  if (frac == 0)
    return g_steal_pointer (&base);
  return g_strdup_printf ("%s.%06" G_GINT64_FORMAT, base, frac);
}

/**
 * setl_validation_value_to_string:
 * @value: a value of a column of @type
 * @type: the column's type
 *
 * Writes a value as the failure cases of a report show it: `true`, `42`,
 * `2.5`, the string itself, `2015-02-01`, `2015-02-01 10:00:00` (UTC).
 *
 * Returns: (transfer full): the text
 */
char *
setl_validation_value_to_string (const GValue *value,
                                 SetlDataType  type)
{
  g_return_val_if_fail (G_IS_VALUE (value), NULL);

  switch (type)
    {
    case SETL_DATA_TYPE_BOOL:
      return g_strdup (g_value_get_boolean (value) ? "true" : "false");
    case SETL_DATA_TYPE_INT64:
      return g_strdup_printf ("%" G_GINT64_FORMAT, g_value_get_int64 (value));
    case SETL_DATA_TYPE_DOUBLE:
      return format_double (g_value_get_double (value));
    case SETL_DATA_TYPE_STRING:
      return g_value_dup_string (value);
    case SETL_DATA_TYPE_DATE32:
      return format_date (g_value_get_int (value));
    case SETL_DATA_TYPE_TIMESTAMP:
      return format_timestamp (g_value_get_int64 (value));
    default:
      return g_strdup_value_contents (value);
    }
}

/**
 * setl_validation_column_value_to_string:
 * @column: a column
 * @row: a row of @column
 *
 * Returns: (transfer full) (nullable): the value at @row as
 *   setl_validation_value_to_string() writes it, %NULL if it is null
 */
char *
setl_validation_column_value_to_string (SetlColumn *column,
                                        gint64      row)
{
  g_auto(GValue) value = G_VALUE_INIT;

  g_return_val_if_fail (SETL_IS_COLUMN (column), NULL);

  if (!setl_column_get_value (column, row, &value))
    return NULL;
  return setl_validation_value_to_string (&value, setl_column_get_data_type (column));
}
