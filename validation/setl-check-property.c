/* setl-check-property.c: a check's parameters read by name, for the code
 * that understands checks beyond running them — the synthesizer, which
 * aims for them, and the SQL compiler, which translates them.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "setl-check-property.h"

#include <math.h>

JsonNode *
_setl_check_get_json_property (SetlCheck  *check,
                               const char *name)
{
  GParamSpec *pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (check), name);
  JsonNode *node = NULL;

  if (pspec == NULL || pspec->value_type != JSON_TYPE_NODE)
    return NULL;
  g_object_get (check, name, &node, NULL);
  return node;
}

gboolean
_setl_check_get_bool_property (SetlCheck  *check,
                               const char *name,
                               gboolean    fallback)
{
  gboolean value = fallback;

  if (g_object_class_find_property (G_OBJECT_GET_CLASS (check), name) != NULL)
    g_object_get (check, name, &value, NULL);
  return value;
}

gint64
_setl_check_get_int64_property (SetlCheck  *check,
                               const char *name)
{
  GParamSpec *pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (check), name);
  gint64 value = -1;

  if (pspec == NULL || pspec->value_type != G_TYPE_INT64)
    return -1;
  g_object_get (check, name, &value, NULL);
  return value;
}

double
_setl_check_get_double_property (SetlCheck  *check,
                               const char *name)
{
  GParamSpec *pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (check), name);
  double value = NAN;

  if (pspec == NULL || pspec->value_type != G_TYPE_DOUBLE)
    return NAN;
  g_object_get (check, name, &value, NULL);
  return value;
}
