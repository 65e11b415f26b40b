/* test-validation-cases.c: Pandera's test cases as data, schema and
 * expected failure table (see make-cases.py), each validated whole and
 * streamed in batches of 1 and 2 rows: the report must not depend on how
 * the data is cut.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "validation-test-utils.h"

#include <string.h>

static JsonObject *
read_options (const char *folder)
{
  g_autofree char *path = g_build_filename (folder, "case.json", NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    return json_object_new ();
  g_assert_true (json_parser_load_from_file (parser, path, NULL));
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static void
run_case (gconstpointer data)
{
  const char *name = data;
  g_autofree char *folder = g_test_build_filename (G_TEST_DIST, "cases", name, NULL);
  g_autofree char *schema_path = g_build_filename (folder, "schema.json", NULL);
  g_autofree char *data_path = g_build_filename (folder, "data.csv", NULL);
  g_autofree char *expected_path = g_build_filename (folder, "expected.csv", NULL);
  g_autofree char *output_path = g_build_filename (folder, "output.csv", NULL);
  g_autoptr(JsonObject) options = read_options (folder);
  g_autoptr(GError) error = NULL;
  g_autoptr(SetlSchema) schema = NULL;
  g_autoptr(SetlValidator) validator = NULL;
  gint64 sizes[8] = { 0, 1, 2 };
  guint n_sizes = 3;

  schema = setl_schema_new_from_file (schema_path, &error);
  g_assert_no_error (error);
  validator = setl_validator_new (schema, NULL, &error);
  g_assert_no_error (error);

  setl_validator_set_lazy (validator, json_object_get_boolean_member_with_default (options, "lazy", FALSE));
  setl_validator_set_drop_invalid_rows (validator,
    json_object_get_boolean_member_with_default (options, "drop_invalid_rows", FALSE));
  if (json_object_has_member (options, "batch_sizes"))
    {
      JsonArray *array = json_object_get_array_member (options, "batch_sizes");

      n_sizes = MIN (json_array_get_length (array), G_N_ELEMENTS (sizes));
      for (guint i = 0; i < n_sizes; i++)
        sizes[i] = json_array_get_int_element (array, i);
    }

  for (guint s = 0; s < n_sizes; s++)
    {
      g_autoptr(SetlTable) table = vt_table_from_file (data_path, sizes[s], &error);
      g_autoptr(SetlValidationReport) report = NULL;
      g_autoptr(GPtrArray) expected = vt_file_lines (expected_path, NULL);
      g_autoptr(GPtrArray) actual = NULL;
      g_autofree char *what = g_strdup_printf ("%s (batches of %" G_GINT64_FORMAT ")", name, sizes[s]);
      gboolean with_output = json_object_get_boolean_member_with_default (options, "output", FALSE);

      g_assert_no_error (error);
      if (with_output)
        {
          g_autoptr(SetlBatchStream) stream = setl_validator_filter (validator, SETL_BATCH_STREAM (table), &report);
          g_autoptr(SetlTable) out = setl_batch_stream_collect (stream, NULL, &error);
          g_autoptr(GPtrArray) expected_rows = NULL;
          g_autoptr(GPtrArray) actual_rows = NULL;
          g_autofree char *header = NULL;
          GString *actual_header = g_string_new (NULL);

          g_assert_no_error (error);
          expected_rows = vt_file_lines (output_path, &header);
          actual_rows = vt_table_to_lines (out);
          for (guint c = 0; c < setl_table_get_n_columns (out); c++)
            {
              SetlField *field = setl_table_get_field (out, c);

              g_string_append_printf (actual_header, "%s%s:%s", c ? "," : "", setl_field_get_name (field),
                                      setl_data_type_to_string (setl_field_get_data_type (field)));
            }
          g_assert_cmpstr (actual_header->str, ==, header);
          g_string_free (actual_header, TRUE);
          g_assert_true (vt_lines_equal (expected_rows, actual_rows, what));
          g_assert_true (setl_validation_report_get_complete (report));
        }
      else
        {
          report = setl_validator_validate (validator, SETL_BATCH_STREAM (table), NULL, &error);
          g_assert_no_error (error);
        }

      actual = vt_table_to_lines (setl_validation_report_get_failure_cases (report));
      if (!vt_lines_equal (expected, actual, what))
        {
          g_autofree char *text = setl_validation_report_to_text (report);
          g_test_message ("%s", text);
          g_test_fail ();
          return;
        }

      if (json_object_has_member (options, "valid"))
        g_assert_cmpint (setl_validation_report_get_valid (report), ==,
                         json_object_get_boolean_member (options, "valid"));
      if (json_object_has_member (options, "complete"))
        g_assert_cmpint (setl_validation_report_get_complete (report), ==,
                         json_object_get_boolean_member (options, "complete"));
      if (json_object_has_member (options, "dropped"))
        g_assert_cmpint (setl_validation_report_get_n_dropped_rows (report), ==,
                         json_object_get_int_member (options, "dropped"));
      if (json_object_has_member (options, "counts"))
        {
          JsonArray *counts = json_object_get_array_member (options, "counts");

          for (guint i = 0; i < json_array_get_length (counts); i++)
            {
              JsonObject *c = json_array_get_object_element (counts, i);
              GEnumClass *klass = g_type_class_ref (SETL_TYPE_VALIDATION_REASON);
              GEnumValue *reason = g_enum_get_value_by_nick (klass, json_object_get_string_member (c, "reason"));

              g_assert_nonnull (reason);
              g_assert_cmpint (setl_validation_report_count (report, reason->value,
                                                             json_object_get_string_member_with_default (c, "column", NULL),
                                                             json_object_get_string_member_with_default (c, "check", NULL)),
                               ==, json_object_get_int_member (c, "count"));
              g_type_class_unref (klass);
            }
        }
      /* The counts add up to the failure cases when none is capped. */
      g_assert_cmpint (setl_validation_report_get_n_failures (report), ==,
                       setl_table_get_n_rows (setl_validation_report_get_failure_cases (report)));
    }
}

static int
compare_names (gconstpointer a, gconstpointer b)
{
  /* g_ptr_array_sort passes pointers to the elements. */
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

int
main (int argc, char *argv[])
{
  g_autofree char *cases = NULL;
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  g_test_init (&argc, &argv, NULL);

  cases = g_test_build_filename (G_TEST_DIST, "cases", NULL);
  dir = g_dir_open (cases, 0, NULL);
  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);
  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *path = g_strdup_printf ("/validation/cases/%s", (const char *) g_ptr_array_index (names, i));

      g_test_add_data_func_full (path, g_strdup (g_ptr_array_index (names, i)), run_case, g_free);
    }
  return g_test_run ();
}
