/* setl-builtin-value.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "setl-builtin-value.h"

#include <math.h>
#include <string.h>

gboolean
builtin_value_from_json (JsonNode      *node,
                         SetlDataType   type,
                         BuiltinValue  *out,
                         GError       **error)
{
  g_auto(GValue) value = G_VALUE_INIT;
  g_autoptr(GError) local = NULL;

  memset (out, 0, sizeof *out);
  out->type = type;
  if (!setl_validation_value_from_json (node, type, &value, &local))
    {
      /* 2.5 against an int64 column: compare as numbers. */
      if (type == SETL_DATA_TYPE_INT64 &&
          setl_validation_value_from_json (node, SETL_DATA_TYPE_DOUBLE, &value, NULL))
        {
          out->as_double = TRUE;
          out->d = g_value_get_double (&value);
          return TRUE;
        }
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  switch (type)
    {
    case SETL_DATA_TYPE_BOOL: out->b = g_value_get_boolean (&value); break;
    case SETL_DATA_TYPE_INT64:
    case SETL_DATA_TYPE_TIMESTAMP: out->i = g_value_get_int64 (&value); break;
    case SETL_DATA_TYPE_DOUBLE: out->d = g_value_get_double (&value); break;
    case SETL_DATA_TYPE_DATE32: out->date = g_value_get_int (&value); break;
    case SETL_DATA_TYPE_STRING:
      out->s = g_value_dup_string (&value);
      out->len = strlen (out->s);
      break;
    default: break;
    }
  return TRUE;
}

void
builtin_value_clear (BuiltinValue *value)
{
  g_clear_pointer (&value->s, g_free);
}

void
builtin_column_init (BuiltinColumn *data,
                     SetlColumn    *column)
{
  data->column = column;
  data->type = setl_column_get_data_type (column);
  data->offset = setl_column_get_offset (column);
  data->length = setl_column_get_length (column);
  data->values = setl_column_get_values_data (column);
  data->strings = data->type == SETL_DATA_TYPE_STRING ? setl_column_get_string_data (column) : NULL;
}

const char *
builtin_string_row (const BuiltinColumn *data,
                    gint64               row,
                    gsize               *length)
{
  const gint32 *offsets = data->values;
  gint64 i = data->offset + row;

  *length = (gsize) (offsets[i + 1] - offsets[i]);
  return data->strings ? data->strings + offsets[i] : "";
}

static int
cmp_i64 (gint64 a, gint64 b)
{
  return a < b ? -1 : a > b;
}

static int
cmp_double (double a, double b)
{
  /* NaN is not null: it compares with nothing, so every comparison with
   * it fails; report it as unordered (2). */
  if (isnan (a) || isnan (b))
    return 2;
  return a < b ? -1 : a > b;
}

int
builtin_compare_row (const BuiltinColumn *data,
                     gint64               row,
                     const BuiltinValue  *value)
{
  gint64 i = data->offset + row;

  switch (data->type)
    {
    case SETL_DATA_TYPE_INT64:
      if (value->as_double)
        return cmp_double ((double) ((const gint64 *) data->values)[i], value->d);
      return cmp_i64 (((const gint64 *) data->values)[i], value->i);
    case SETL_DATA_TYPE_TIMESTAMP:
      return cmp_i64 (((const gint64 *) data->values)[i], value->i);
    case SETL_DATA_TYPE_DOUBLE:
      return cmp_double (((const double *) data->values)[i], value->d);
    case SETL_DATA_TYPE_DATE32:
      return cmp_i64 (((const gint32 *) data->values)[i], value->date);
    case SETL_DATA_TYPE_BOOL:
      return cmp_i64 ((((const guint8 *) data->values)[i >> 3] >> (i & 7)) & 1, value->b);
    case SETL_DATA_TYPE_STRING:
      {
        gsize len;
        const char *s = builtin_string_row (data, row, &len);
        int c = memcmp (s, value->s, MIN (len, value->len));

        if (c != 0)
          return c < 0 ? -1 : 1;
        return cmp_i64 ((gint64) len, (gint64) value->len);
      }
    default:
      return 2;
    }
}

gboolean
builtin_equal_row (const BuiltinColumn *data,
                   gint64               row,
                   const BuiltinValue  *value)
{
  return builtin_compare_row (data, row, value) == 0;
}

char *
builtin_key_row (const BuiltinColumn *data,
                 gint64               row)
{
  gint64 i = data->offset + row;

  switch (data->type)
    {
    case SETL_DATA_TYPE_INT64:
    case SETL_DATA_TYPE_TIMESTAMP:
      return g_strdup_printf ("%" G_GINT64_FORMAT, ((const gint64 *) data->values)[i]);
    case SETL_DATA_TYPE_DOUBLE:
      {
        double d = ((const double *) data->values)[i];
        char buffer[G_ASCII_DTOSTR_BUF_SIZE];

        if (d == 0.0)
          d = 0.0;
        return g_strdup (g_ascii_dtostr (buffer, sizeof buffer, d));
      }
    case SETL_DATA_TYPE_DATE32:
      return g_strdup_printf ("%d", ((const gint32 *) data->values)[i]);
    case SETL_DATA_TYPE_BOOL:
      return g_strdup (((((const guint8 *) data->values)[i >> 3] >> (i & 7)) & 1) ? "1" : "0");
    case SETL_DATA_TYPE_STRING:
      {
        gsize len;
        const char *s = builtin_string_row (data, row, &len);
        return g_strndup (s, len);
      }
    default:
      return g_strdup ("");
    }
}

char *
builtin_key_value (const BuiltinValue *value)
{
  switch (value->type)
    {
    case SETL_DATA_TYPE_INT64:
      if (value->as_double)
        {
          char buffer[G_ASCII_DTOSTR_BUF_SIZE];
          /* Not whole: equal to no int64, so a key no row produces. */
          return g_strconcat ("~", g_ascii_dtostr (buffer, sizeof buffer, value->d), NULL);
        }
      /* fall through */
    case SETL_DATA_TYPE_TIMESTAMP:
      return g_strdup_printf ("%" G_GINT64_FORMAT, value->i);
    case SETL_DATA_TYPE_DOUBLE:
      {
        char buffer[G_ASCII_DTOSTR_BUF_SIZE];
        double d = value->d == 0.0 ? 0.0 : value->d;
        return g_strdup (g_ascii_dtostr (buffer, sizeof buffer, d));
      }
    case SETL_DATA_TYPE_DATE32:
      return g_strdup_printf ("%d", value->date);
    case SETL_DATA_TYPE_BOOL:
      return g_strdup (value->b ? "1" : "0");
    case SETL_DATA_TYPE_STRING:
      return g_strdup (value->s);
    default:
      return g_strdup ("");
    }
}

gboolean
builtin_json_compare (JsonNode *a,
                      JsonNode *b,
                      int      *result)
{
  GType ta = JSON_NODE_HOLDS_VALUE (a) ? json_node_get_value_type (a) : G_TYPE_INVALID;
  GType tb = JSON_NODE_HOLDS_VALUE (b) ? json_node_get_value_type (b) : G_TYPE_INVALID;

  if ((ta == G_TYPE_INT64 || ta == G_TYPE_DOUBLE) && (tb == G_TYPE_INT64 || tb == G_TYPE_DOUBLE))
    {
      if (ta == G_TYPE_INT64 && tb == G_TYPE_INT64)
        *result = cmp_i64 (json_node_get_int (a), json_node_get_int (b));
      else
        *result = cmp_double (ta == G_TYPE_INT64 ? (double) json_node_get_int (a) : json_node_get_double (a),
                              tb == G_TYPE_INT64 ? (double) json_node_get_int (b) : json_node_get_double (b));
      return *result != 2;
    }
  if (ta == G_TYPE_STRING && tb == G_TYPE_STRING)
    {
      /* ISO dates and timestamps order as text too. */
      int c = strcmp (json_node_get_string (a), json_node_get_string (b));
      *result = c < 0 ? -1 : c > 0;
      return TRUE;
    }
  return FALSE;
}

char *
builtin_json_to_string (JsonNode *node)
{
  if (node == NULL)
    return g_strdup ("null");
  return json_to_string (node, FALSE);
}

void
builtin_class_add_types (SetlCheckClass     *klass,
                         const SetlDataType *types,
                         guint               n_types)
{
  for (guint i = 0; i < n_types; i++)
    setl_check_class_add_supported_type (klass, types[i]);
}

BuiltinBools *
builtin_bools_new (gint64 n_rows)
{
  BuiltinBools *bools = g_new0 (BuiltinBools, 1);

  bools->bytes = g_malloc ((gsize) MAX (n_rows, 1));
  return bools;
}

void
builtin_bools_free (BuiltinBools *bools)
{
  g_free (bools->bytes);
  g_free (bools);
}

SetlColumn *
builtin_bools_finish (BuiltinBools  *bools,
                      GError       **error)
{
  g_autoptr(SetlColumnBuilder) builder = setl_column_builder_new (SETL_DATA_TYPE_BOOL);

  setl_column_builder_append_values (builder, bools->bytes, NULL, (gsize) bools->n);
  return setl_column_builder_finish (builder, error);
}
