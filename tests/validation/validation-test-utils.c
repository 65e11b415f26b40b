/* validation-test-utils.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "validation-test-utils.h"

#include <stdio.h>
#include <string.h>

/* Splits one CSV line; quoted fields may hold commas and "" for a quote.
 * Each field is returned with a flag: quoted or not (an unquoted empty
 * field is a null). */
typedef struct {
  char *text;
  gboolean quoted;
} Field;

static GArray *
split_line (const char *line)
{
  GArray *fields = g_array_new (FALSE, FALSE, sizeof (Field));
  const char *p = line;

  for (;;)
    {
      GString *value = g_string_new (NULL);
      Field f = { NULL, FALSE };

      if (*p == '"')
        {
          f.quoted = TRUE;
          p++;
          while (*p)
            {
              if (*p == '"' && p[1] == '"')
                {
                  g_string_append_c (value, '"');
                  p += 2;
                }
              else if (*p == '"')
                {
                  p++;
                  break;
                }
              else
                g_string_append_c (value, *p++);
            }
        }
      while (*p && *p != ',')
        g_string_append_c (value, *p++);
      f.text = g_string_free (value, FALSE);
      g_array_append_val (fields, f);
      if (*p != ',')
        break;
      p++;
    }
  return fields;
}

static void
free_fields (GArray *fields)
{
  for (guint i = 0; i < fields->len; i++)
    g_free (g_array_index (fields, Field, i).text);
  g_array_unref (fields);
}

static gboolean
append (SetlColumnBuilder *builder,
        SetlDataType       type,
        Field             *f,
        GError           **error)
{
  if (!f->quoted && f->text[0] == '\0')
    {
      setl_column_builder_append_null (builder);
      return TRUE;
    }
  switch (type)
    {
    case SETL_DATA_TYPE_STRING:
      setl_column_builder_append_string (builder, f->text, -1);
      return TRUE;
    case SETL_DATA_TYPE_INT64:
      setl_column_builder_append_int64 (builder, g_ascii_strtoll (f->text, NULL, 10));
      return TRUE;
    case SETL_DATA_TYPE_DOUBLE:
      setl_column_builder_append_double (builder, g_ascii_strtod (f->text, NULL));
      return TRUE;
    case SETL_DATA_TYPE_BOOL:
      setl_column_builder_append_bool (builder, g_str_equal (f->text, "true"));
      return TRUE;
    case SETL_DATA_TYPE_DATE32:
      {
        GDate *date = g_date_new ();
        GDate *epoch = g_date_new_dmy (1, 1, 1970);
        int y, m, d;

        if (sscanf (f->text, "%d-%d-%d", &y, &m, &d) != 3)
          {
            g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "bad date %s", f->text);
            g_date_free (date);
            g_date_free (epoch);
            return FALSE;
          }
        g_date_set_dmy (date, d, m, y);
        setl_column_builder_append_date32 (builder, g_date_days_between (epoch, date));
        g_date_free (date);
        g_date_free (epoch);
        return TRUE;
      }
    case SETL_DATA_TYPE_TIMESTAMP:
      {
        g_autoptr(GDateTime) dt = g_date_time_new_from_iso8601 (f->text, NULL);

        if (dt == NULL)
          {
            g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "bad timestamp %s", f->text);
            return FALSE;
          }
        setl_column_builder_append_timestamp (builder, g_date_time_to_unix (dt) * G_USEC_PER_SEC +
                                                       g_date_time_get_microsecond (dt));
        return TRUE;
      }
    default:
      return FALSE;
    }
}

SetlTable *
vt_table_from_csv (const char  *text,
                   gint64       batch_size,
                   GError     **error)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  g_autoptr(GPtrArray) fields = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) batches = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) free_fields);
  GArray *header;
  guint n_lines = g_strv_length (lines);

  header = split_line (lines[0]);
  for (guint i = 0; i < header->len; i++)
    {
      const char *spec = g_array_index (header, Field, i).text;
      const char *colon = strrchr (spec, ':');
      g_autofree char *name = colon ? g_strndup (spec, colon - spec) : g_strdup (spec);
      SetlDataType type = SETL_DATA_TYPE_STRING;

      if (colon && g_str_equal (colon + 1, "date"))
        type = SETL_DATA_TYPE_DATE32;
      else if (colon && !setl_data_type_from_string (colon + 1, &type))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "bad type in %s", spec);
          free_fields (header);
          return NULL;
        }
      g_ptr_array_add (fields, setl_field_new (name, type, TRUE));
    }
  free_fields (header);

  for (guint l = 1; l < n_lines; l++)
    {
      /* A line with one empty unquoted field is a row of one null only if
       * there is one column; a truly empty line ends the data. */
      if (lines[l][0] == '\0' && (fields->len != 1 || l == n_lines - 1))
        continue;
      g_ptr_array_add (rows, split_line (lines[l]));
    }

  for (guint start = 0; start < rows->len || (start == 0 && rows->len == 0);)
    {
      guint end = batch_size > 0 ? MIN (rows->len, start + (guint) batch_size) : rows->len;
      g_autoptr(GPtrArray) columns = g_ptr_array_new_with_free_func (g_object_unref);
      SetlRecordBatch *batch;

      for (guint c = 0; c < fields->len; c++)
        {
          SetlDataType type = setl_field_get_data_type (g_ptr_array_index (fields, c));
          g_autoptr(SetlColumnBuilder) builder = setl_column_builder_new (type);

          for (guint r = start; r < end; r++)
            {
              GArray *row = g_ptr_array_index (rows, r);
              Field empty = { (char *) "", FALSE };

              if (!append (builder, type, c < row->len ? &g_array_index (row, Field, c) : &empty, error))
                return NULL;
            }
          g_ptr_array_add (columns, setl_column_builder_finish (builder, error));
        }
      batch = setl_record_batch_new ((SetlField **) fields->pdata, fields->len,
                                     (SetlColumn **) columns->pdata, columns->len, error);
      if (batch == NULL)
        return NULL;
      g_ptr_array_add (batches, batch);
      if (end == start)
        break;
      start = end;
    }
  return setl_table_new ((SetlField **) fields->pdata, fields->len,
                         (SetlRecordBatch **) batches->pdata, batches->len, error);
}

SetlTable *
vt_table_from_file (const char  *path,
                    gint64       batch_size,
                    GError     **error)
{
  g_autofree char *text = NULL;

  if (!g_file_get_contents (path, &text, NULL, error))
    return NULL;
  return vt_table_from_csv (text, batch_size, error);
}

static void
append_field (GString *line, const char *text)
{
  if (text == NULL)
    return;
  if (*text == '\0' || strpbrk (text, ",\"\n") != NULL)
    {
      g_string_append_c (line, '"');
      for (const char *p = text; *p; p++)
        {
          if (*p == '"')
            g_string_append_c (line, '"');
          g_string_append_c (line, *p);
        }
      g_string_append_c (line, '"');
    }
  else
    g_string_append (line, text);
}

GPtrArray *
vt_table_to_lines (SetlTable *table)
{
  GPtrArray *lines = g_ptr_array_new_with_free_func (g_free);

  for (guint b = 0; b < setl_table_get_n_batches (table); b++)
    {
      SetlRecordBatch *batch = setl_table_get_batch (table, b);

      for (gint64 r = 0; r < setl_record_batch_get_n_rows (batch); r++)
        {
          GString *line = g_string_new (NULL);

          for (guint c = 0; c < setl_record_batch_get_n_columns (batch); c++)
            {
              g_autofree char *text = setl_validation_column_value_to_string (setl_record_batch_get_column (batch, c), r);

              if (c > 0)
                g_string_append_c (line, ',');
              append_field (line, text);
            }
          g_ptr_array_add (lines, g_string_free (line, FALSE));
        }
    }
  return lines;
}

GPtrArray *
vt_file_lines (const char  *path,
               char       **header)
{
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);

  if (!g_file_get_contents (path, &text, NULL, NULL))
    return out;
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (i == 0)
        {
          if (header)
            *header = g_strdup (lines[0]);
          continue;
        }
      if (lines[i][0] == '\0' && lines[i + 1] == NULL)
        continue;
      g_ptr_array_add (out, g_strdup (lines[i]));
    }
  return out;
}

static int
compare_lines (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 (*(const char **) a, *(const char **) b);
}

gboolean
vt_lines_equal (GPtrArray  *expected,
                GPtrArray  *actual,
                const char *what)
{
  gboolean equal = expected->len == actual->len;

  g_ptr_array_sort (expected, compare_lines);
  g_ptr_array_sort (actual, compare_lines);
  for (guint i = 0; equal && i < expected->len; i++)
    equal = g_str_equal (g_ptr_array_index (expected, i), g_ptr_array_index (actual, i));
  if (!equal)
    {
      g_test_message ("%s: expected %u lines:", what, expected->len);
      for (guint i = 0; i < expected->len; i++)
        g_test_message ("  %s", (const char *) g_ptr_array_index (expected, i));
      g_test_message ("%s: got %u lines:", what, actual->len);
      for (guint i = 0; i < actual->len; i++)
        g_test_message ("  %s", (const char *) g_ptr_array_index (actual, i));
    }
  return equal;
}

SetlValidator *
vt_validator_new (const char  *schema_json,
                  GError     **error)
{
  g_autoptr(SetlSchema) schema = setl_schema_new_from_data (schema_json, -1, "schema.json", error);

  if (schema == NULL)
    return NULL;
  return setl_validator_new (schema, NULL, error);
}
