/* sqlite-test-util.c: temporary directories, direct SQLite access for
 * checking what the plugin wrote, and a table of every type with nulls.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "sqlite-test-util.h"

#include <glib/gstdio.h>

char *
test_tmpdir_new (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("setl-sqlite-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

void
test_tmpdir_remove (char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (dir);
  g_free (dir);
}

void
test_sql_exec (const char *db,
               const char *sql)
{
  sqlite3 *h = NULL;
  char *msg = NULL;

  g_assert_cmpint (sqlite3_open (db, &h), ==, SQLITE_OK);
  if (sqlite3_exec (h, sql, NULL, NULL, &msg) != SQLITE_OK)
    g_error ("%s: %s", sql, msg);
  sqlite3_close (h);
}

/* Every row of @sql, values as SQLite's quote() renders them (so types
 * show: 1 vs '1' vs 1.0 vs NULL), cells joined by '|', rows by '\n'. */
char *
test_sql_dump (const char *db,
               const char *sql)
{
  GString *out = g_string_new (NULL);
  sqlite3 *h = NULL;
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_open_v2 (db, &h, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  if (sqlite3_prepare_v2 (h, sql, -1, &stmt, NULL) != SQLITE_OK)
    g_error ("%s: %s", sql, sqlite3_errmsg (h));
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      for (int i = 0; i < sqlite3_column_count (stmt); i++)
        {
          sqlite3_value *v = sqlite3_column_value (stmt, i);
          if (i > 0)
            g_string_append_c (out, '|');
          switch (sqlite3_value_type (v))
            {
            case SQLITE_NULL: g_string_append (out, "NULL"); break;
            case SQLITE_INTEGER: g_string_append_printf (out, "%lld", (long long) sqlite3_value_int64 (v)); break;
            case SQLITE_FLOAT: g_string_append_printf (out, "%.17gr", sqlite3_value_double (v)); break;
            default: g_string_append_printf (out, "'%s'", sqlite3_value_text (v)); break;
            }
        }
      g_string_append_c (out, '\n');
    }
  sqlite3_finalize (stmt);
  sqlite3_close (h);
  return g_string_free (out, FALSE);
}

/* b bool, i int64, d double, s string, day date32, at timestamp — every
 * column nullable with a null every 5th row (shifted per column), i non-null. */
SetlTable *
test_all_types_table (guint n_rows,
                      guint rows_per_batch)
{
  g_autoptr(GPtrArray) fields = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) batches = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;
  static const char *words[] = { "plain", "with, comma", "quote \" and ' both", "ünïcödé €", "" };
  SetlTable *table;

  g_ptr_array_add (fields, setl_field_new ("b", SETL_DATA_TYPE_BOOL, TRUE));
  g_ptr_array_add (fields, setl_field_new ("i", SETL_DATA_TYPE_INT64, FALSE));
  g_ptr_array_add (fields, setl_field_new ("d", SETL_DATA_TYPE_DOUBLE, TRUE));
  g_ptr_array_add (fields, setl_field_new ("s", SETL_DATA_TYPE_STRING, TRUE));
  g_ptr_array_add (fields, setl_field_new ("day", SETL_DATA_TYPE_DATE32, TRUE));
  g_ptr_array_add (fields, setl_field_new_timestamp ("at", TRUE, NULL));

  for (guint start = 0; start < n_rows; start += rows_per_batch)
    {
      g_autoptr(GPtrArray) cols = g_ptr_array_new_with_free_func (g_object_unref);
      guint end = MIN (n_rows, start + rows_per_batch);

      for (guint c = 0; c < fields->len; c++)
        {
          SetlDataType t = setl_field_get_data_type (fields->pdata[c]);
          g_autoptr(SetlColumnBuilder) b = setl_column_builder_new (t);

          for (guint r = start; r < end; r++)
            {
              if (c != 1 && (r + c) % 5 == 0)
                {
                  setl_column_builder_append_null (b);
                  continue;
                }
              switch (t)
                {
                case SETL_DATA_TYPE_BOOL: setl_column_builder_append_bool (b, r % 3 == 0); break;
                case SETL_DATA_TYPE_INT64:
                  setl_column_builder_append_int64 (b, r == 1 ? G_MININT64 : r == 2 ? G_MAXINT64
                                                    : (gint64) r * 1000003 - 7);
                  break;
                case SETL_DATA_TYPE_DOUBLE: setl_column_builder_append_double (b, r * 0.1 - 2.5e-7); break;
                case SETL_DATA_TYPE_STRING:
                  setl_column_builder_append_string (b, words[r % G_N_ELEMENTS (words)], -1);
                  break;
                case SETL_DATA_TYPE_DATE32: setl_column_builder_append_date32 (b, (gint32) r * 37 - 800); break;
                case SETL_DATA_TYPE_TIMESTAMP:
                  setl_column_builder_append_timestamp (b, (gint64) r * 3723000123 - G_GINT64_CONSTANT (86400000000) * 400);
                  break;
                default: g_assert_not_reached ();
                }
            }
          g_ptr_array_add (cols, setl_column_builder_finish (b, &error));
          g_assert_no_error (error);
        }
      g_ptr_array_add (batches, setl_record_batch_new ((SetlField **) fields->pdata, fields->len,
                                                       (SetlColumn **) cols->pdata, cols->len, &error));
      g_assert_no_error (error);
    }
  table = setl_table_new ((SetlField **) fields->pdata, fields->len,
                          (SetlRecordBatch **) batches->pdata, batches->len, &error);
  g_assert_no_error (error);
  return table;
}
