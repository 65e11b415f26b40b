/* setl-synth-values.c: the GValue helpers the synthesizer's files share —
 * copying and freeing boxed values, numbers in and out of the value types
 * of the data types, the properties of a check read by name, and JSON
 * values as GValues of a column's type.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "setl-synth-values.h"

#include <math.h>

void
_setl_synth_value_free (gpointer data)
{
  GValue *value = data;

  if (G_IS_VALUE (value))
    g_value_unset (value);
  g_free (value);
}

GValue *
_setl_synth_value_copy (const GValue *value)
{
  GValue *copy = g_new0 (GValue, 1);

  g_value_init (copy, G_VALUE_TYPE (value));
  g_value_copy (value, copy);
  return copy;
}

void
_setl_synth_value_assign (GValue       *dest,
                          const GValue *src)
{
  if (G_IS_VALUE (dest))
    g_value_unset (dest);
  if (src != NULL && G_IS_VALUE (src))
    {
      g_value_init (dest, G_VALUE_TYPE (src));
      g_value_copy (src, dest);
    }
}

gboolean
_setl_synth_is_numeric (SetlDataType type)
{
  return type == SETL_DATA_TYPE_INT64 || type == SETL_DATA_TYPE_DOUBLE ||
         type == SETL_DATA_TYPE_DATE32 || type == SETL_DATA_TYPE_TIMESTAMP;
}

double
_setl_synth_value_number (const GValue *value)
{
  if (G_VALUE_HOLDS_INT64 (value))
    return (double) g_value_get_int64 (value);
  if (G_VALUE_HOLDS_INT (value))
    return (double) g_value_get_int (value);
  if (G_VALUE_HOLDS_DOUBLE (value))
    return g_value_get_double (value);
  return NAN;
}

/* Stores @number in @value (uninitialised) as a value of @type. */
void
_setl_synth_value_set_number (GValue       *value,
                              SetlDataType  type,
                              double        number)
{
  switch (type)
    {
    case SETL_DATA_TYPE_DOUBLE:
      g_value_init (value, G_TYPE_DOUBLE);
      g_value_set_double (value, number);
      break;
    case SETL_DATA_TYPE_DATE32:
      g_value_init (value, G_TYPE_INT);
      g_value_set_int (value, (gint) CLAMP (number, G_MININT32, G_MAXINT32));
      break;
    default:
      g_value_init (value, G_TYPE_INT64);
      g_value_set_int64 (value, (gint64) CLAMP (number, -9.2e18, 9.2e18));
      break;
    }
}

/* The values of a JSON array (or one value) as GValues of @type. */
GPtrArray *
_setl_synth_json_values (JsonNode     *node,
                         SetlDataType  type)
{
  GPtrArray *values = g_ptr_array_new_with_free_func (_setl_synth_value_free);

  if (node == NULL)
    return values;
  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          GValue *v = g_new0 (GValue, 1);

          if (setl_validation_value_from_json (json_array_get_element (array, i), type, v, NULL))
            g_ptr_array_add (values, v);
          else
            g_free (v);
        }
    }
  else
    {
      GValue *v = g_new0 (GValue, 1);

      if (setl_validation_value_from_json (node, type, v, NULL))
        g_ptr_array_add (values, v);
      else
        g_free (v);
    }
  return values;
}

