/* test-validation.c: schema documents with checks, the check catalog over
 * the built-in library (loaded through the plugin registry), the validator
 * and its report.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "validation-test-utils.h"

#include <glib/gstdio.h>
#include <string.h>

static SetlSchema *
parse (const char *json)
{
  g_autoptr(GError) error = NULL;
  SetlSchema *schema = setl_schema_new_from_data (json, -1, "schema.json", &error);

  g_assert_no_error (error);
  return schema;
}

static SetlValidationReport *
validate (const char *schema_json,
          const char *csv,
          gint64      batch_size,
          gboolean    lazy)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SetlValidator) validator = vt_validator_new (schema_json, &error);
  g_autoptr(SetlTable) table = NULL;
  SetlValidationReport *report;

  g_assert_no_error (error);
  setl_validator_set_lazy (validator, lazy);
  table = vt_table_from_csv (csv, batch_size, &error);
  g_assert_no_error (error);
  report = setl_validator_validate (validator, SETL_BATCH_STREAM (table), NULL, &error);
  g_assert_no_error (error);
  return report;
}

/* Schema documents ---------------------------------------------------------- */

static void
test_schema_check_forms (void)
{
  g_autoptr(SetlSchema) schema = parse (
    "{\"name\": \"s\", \"columns\": [\n"
    "  {\"name\": \"a\", \"type\": \"int64\", \"unique\": true, \"coerce\": true,\n"
    "   \"report_duplicates\": \"exclude_last\", \"checks\": [\n"
    "    \"not_blank\",\n"
    "    {\"ge\": 0},\n"
    "    {\"in_range\": {\"min_value\": 1, \"max_value\": 5}, \"mostly\": 0.9},\n"
    "    {\"check\": \"in_range\", \"min_value\": 0, \"max_value\": 3, \"level\": \"warning\",\n"
    "     \"message\": \"too big\", \"library\": {\"plugin\": \"lib\", \"version\": \"2\"}}\n"
    "  ]}]}");
  SetlSchemaColumn *column = setl_schema_get_column (schema, 0);
  GPtrArray *checks = setl_schema_column_get_checks (column);
  SetlSchemaCheck *check;
  g_autofree char *description = NULL;

  g_assert_true (setl_schema_column_get_unique (column));
  g_assert_true (setl_schema_column_get_coerce (column));
  g_assert_cmpint (setl_schema_column_get_report_duplicates (column), ==, SETL_SCHEMA_REPORT_DUPLICATES_EXCLUDE_LAST);
  g_assert_cmpint (setl_schema_column_get_data_type (column), ==, SETL_DATA_TYPE_INT64);
  g_assert_true (setl_schema_has_checks (schema));
  g_assert_cmpuint (checks->len, ==, 4);

  check = g_ptr_array_index (checks, 0);
  g_assert_cmpstr (setl_schema_check_get_name (check), ==, "not_blank");
  g_assert_null (setl_schema_check_get_primary (check));
  g_assert_cmpuint (setl_schema_check_get_line (check), ==, 4);

  check = g_ptr_array_index (checks, 1);
  g_assert_cmpstr (setl_schema_check_get_name (check), ==, "ge");
  g_assert_cmpint (json_node_get_int (setl_schema_check_get_primary (check)), ==, 0);
  g_assert_cmpuint (setl_schema_check_get_index (check), ==, 1);
  g_assert_cmpstr (setl_schema_check_get_column (check), ==, "a");
  description = setl_schema_check_describe (check);
  g_assert_cmpstr (description, ==, "ge(0)");

  check = g_ptr_array_index (checks, 2);
  g_assert_cmpfloat (setl_schema_check_get_mostly (check), ==, 0.9);
  g_assert_cmpint (json_object_get_int_member (setl_schema_check_get_parameters (check), "max_value"), ==, 5);

  check = g_ptr_array_index (checks, 3);
  g_assert_cmpstr (setl_schema_check_get_name (check), ==, "in_range");
  g_assert_cmpint (setl_schema_check_get_level (check), ==, SETL_CHECK_LEVEL_WARNING);
  g_assert_cmpstr (setl_schema_check_get_error_message (check), ==, "too big");
  g_assert_cmpstr (setl_schema_check_get_library (check), ==, "lib");
  g_assert_cmpstr (setl_schema_check_get_library_version (check), ==, "2");
  g_assert_cmpuint (json_object_get_size (setl_schema_check_get_parameters (check)), ==, 2);
}

static void
test_schema_options (void)
{
  g_autoptr(SetlSchema) schema = parse (
    "{\"name\": \"s\", \"strict\": \"filter\", \"ordered\": true, \"coerce\": true,\n"
    " \"unique\": [[\"a\", \"b\"], [\"b\"]], \"report_duplicates\": \"exclude_first\",\n"
    " \"checks\": [{\"row_count_in_range\": {\"min_value\": 1}}],\n"
    " \"columns\": [{\"name\": \"a\", \"type\": \"int64\"}, {\"name\": \"b\", \"type\": \"string\"}]}");
  const char * const *unique;

  g_assert_cmpint (setl_schema_get_strict (schema), ==, SETL_SCHEMA_STRICT_FILTER);
  g_assert_true (setl_schema_get_ordered (schema));
  g_assert_true (setl_schema_get_coerce (schema));
  g_assert_cmpint (setl_schema_get_report_duplicates (schema), ==, SETL_SCHEMA_REPORT_DUPLICATES_EXCLUDE_FIRST);
  g_assert_cmpuint (setl_schema_get_n_unique (schema), ==, 2);
  unique = setl_schema_get_unique (schema, 0);
  g_assert_cmpstr (unique[0], ==, "a");
  g_assert_cmpstr (unique[1], ==, "b");
  g_assert_null (unique[2]);
  g_assert_cmpuint (setl_schema_get_checks (schema)->len, ==, 1);
  g_assert_null (setl_schema_check_get_column (g_ptr_array_index (setl_schema_get_checks (schema), 0)));

  /* Defaults. */
  {
    g_autoptr(SetlSchema) plain = parse ("{\"name\": \"p\", \"columns\": [{\"name\": \"a\", \"type\": \"int64\"}]}");

    g_assert_cmpint (setl_schema_get_strict (plain), ==, SETL_SCHEMA_STRICT_NONE);
    g_assert_false (setl_schema_get_ordered (plain));
    g_assert_cmpuint (setl_schema_get_n_unique (plain), ==, 0);
    g_assert_false (setl_schema_has_checks (plain));
    g_assert_false (setl_schema_column_get_nullable (setl_schema_get_column (plain, 0)));
    g_assert_true (setl_schema_column_get_required (setl_schema_get_column (plain, 0)));
  }
}

/* Every malformed document is refused with the file, the line and the
 * member at fault. */
static void
test_schema_malformed (void)
{
  static const struct { const char *json; const char *expected; } cases[] = {
    { "{\"name\": \"s\",\n \"strict\": \"maybe\", \"columns\": []}", "schema.json:2: member “strict”" },
    { "{\"name\": \"s\", \"columns\": [\n {\"name\": \"a\", \"type\": \"int64\",\n \"checks\": 7}]}", "schema.json:3: column “a”: member “checks” must be an array" },
    { "{\"name\": \"s\", \"columns\": [\n {\"name\": \"a\", \"type\": \"int64\", \"checks\": [\n  {\"ge\": 0, \"le\": 1}]}]}", "schema.json:3: column “a”: check 1: both “ge” and “le”" },
    { "{\"name\": \"s\", \"columns\": [\n {\"name\": \"a\", \"type\": \"int64\", \"checks\": [\n  {\"ge\": 0,\n   \"mostly\": 2}]}]}", "schema.json:4: column “a”: check 1 (“ge”): member “mostly”" },
    { "{\"name\": \"s\", \"columns\": [\n {\"name\": \"a\", \"type\": \"int64\", \"checks\": [\n  {\"ge\": 0,\n   \"level\": \"fatal\"}]}]}", "schema.json:4: column “a”: check 1 (“ge”): member “level”" },
    { "{\"name\": \"s\", \"columns\": [\n {\"name\": \"a\", \"type\": \"int64\", \"checks\": [\n  {\"mostly\": 1}]}]}", "schema.json:3: column “a”: check 1: no check named" },
    { "{\"name\": \"s\", \"columns\": [\n {\"name\": \"a\", \"type\": \"int64\", \"checks\": [\n  42]}]}", "schema.json:3: column “a”: check 1: expected a check name" },
    { "{\"name\": \"s\", \"columns\": [\n {\"name\": \"a\", \"type\": \"int64\", \"checks\": [\n  \"bad name!\"]}]}", "schema.json:3: column “a”: check 1: “bad name!” is not a check name" },
    { "{\"name\": \"s\",\n \"unique\": [\"a\", \"zz\"],\n \"columns\": [{\"name\": \"a\", \"type\": \"int64\"}]}", "schema.json:2: member “unique” names “zz”" },
    { "{\"name\": \"s\", \"columns\": [\n {\"name\": \"a\", \"type\": \"int64\",\n  \"report_duplicates\": \"some\"}]}", "schema.json:3: column “a”: member “report_duplicates”" },
    { "{\"name\": \"s\", \"columns\": [\n {\"name\": \"a\", \"type\": \"int64\",\n  \"unique\": \"yes\"}]}", "schema.json:3: column “a”: member “unique” must be true or false" },
    { "{\"name\": \"s\", \"columns\": [\n {\"name\": \"a\", \"type\": \"int64\",\n  \"constraints\": {\n   \"minLength\": 2}}]}", "schema.json:4: column “a”: constraints “minLength” and “maxLength” apply to string columns only" },
    { "{\"name\": \"s\", \"columns\": [\n {\"name\": \"a\", \"type\": \"string\",\n  \"constraints\": {\n   \"enum\": \"x\"}}]}", "schema.json:4: column “a”: constraint “enum” must be an array" },
    { "{\"name\": \"s\", \"columns\": [\n {\"name\": \"a\", \"type\": \"int64\", \"checks\": [\n  {\"check\": \"ge\", \"parameters\": 3}]}]}", "schema.json:3: column “a”: check 1 (“ge”): member “parameters” must be an object" },
    { "{\"name\": \"s\", \"columns\": [\n {\"name\": \"a\", \"type\": \"int64\", \"checks\": [\n  {\"ge\": 0, \"library\": 5}]}]}", "schema.json:3: column “a”: check 1 (“ge”): member “library”" },
    { "{\"name\": \"s\",\n \"checks\": {}, \"columns\": []}", "schema.json:2: schema: member “checks” must be an array" },
    { "{\"name\": \"s\", \"check_libraries\": [],\n \"columns\": []}", "schema.json:1: member “check_libraries”" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(SetlSchema) schema = setl_schema_new_from_data (cases[i].json, -1, "schema.json", &error);

      g_assert_null (schema);
      g_assert_error (error, SETL_SCHEMA_ERROR, SETL_SCHEMA_ERROR_INVALID);
      if (!g_str_has_prefix (error->message, cases[i].expected))
        g_error ("case %u: “%s” does not start with “%s”", i, error->message, cases[i].expected);
    }
}

static void
test_schema_frictionless (void)
{
  g_autoptr(SetlSchema) schema = parse (
    "{\"name\": \"f\", \"primaryKey\": \"id\", \"fields\": [\n"
    " {\"name\": \"id\", \"type\": \"integer\", \"constraints\": {\"required\": true, \"unique\": true,\n"
    "   \"minimum\": 1, \"maximum\": 9}},\n"
    " {\"name\": \"code\", \"type\": \"string\", \"constraints\": {\"minLength\": 2, \"maxLength\": 3,\n"
    "   \"pattern\": \"[A-Z]+\", \"enum\": [\"AB\", \"CDE\"]}},\n"
    " {\"name\": \"x\", \"type\": \"number\"}, {\"name\": \"b\", \"type\": \"boolean\"},\n"
    " {\"name\": \"t\", \"type\": \"datetime\"}]}");
  SetlSchemaColumn *id = setl_schema_lookup_column (schema, "id");
  SetlSchemaColumn *code = setl_schema_lookup_column (schema, "code");
  GPtrArray *checks;

  g_assert_cmpint (setl_schema_column_get_data_type (id), ==, SETL_DATA_TYPE_INT64);
  g_assert_cmpint (setl_schema_column_get_data_type (setl_schema_lookup_column (schema, "x")), ==, SETL_DATA_TYPE_DOUBLE);
  g_assert_cmpint (setl_schema_column_get_data_type (setl_schema_lookup_column (schema, "b")), ==, SETL_DATA_TYPE_BOOL);
  g_assert_cmpint (setl_schema_column_get_data_type (setl_schema_lookup_column (schema, "t")), ==, SETL_DATA_TYPE_TIMESTAMP);
  /* Frictionless fields may be empty unless required. */
  g_assert_false (setl_schema_column_get_nullable (id));
  g_assert_true (setl_schema_column_get_nullable (code));
  g_assert_true (setl_schema_column_get_unique (id));
  g_assert_cmpuint (setl_schema_get_n_unique (schema), ==, 1);

  checks = setl_schema_column_get_checks (id);
  g_assert_cmpuint (checks->len, ==, 2);
  g_assert_cmpstr (setl_schema_check_get_name (g_ptr_array_index (checks, 0)), ==, "ge");
  g_assert_cmpstr (setl_schema_check_get_origin (g_ptr_array_index (checks, 0)), ==, "constraints.minimum");
  g_assert_cmpstr (setl_schema_check_get_name (g_ptr_array_index (checks, 1)), ==, "le");
  checks = setl_schema_column_get_checks (code);
  g_assert_cmpuint (checks->len, ==, 3);
  g_assert_cmpstr (setl_schema_check_get_name (g_ptr_array_index (checks, 0)), ==, "str_length");
  g_assert_cmpstr (setl_schema_check_get_name (g_ptr_array_index (checks, 1)), ==, "pattern");
  g_assert_cmpstr (setl_schema_check_get_name (g_ptr_array_index (checks, 2)), ==, "isin");

  /* And it validates like any schema. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(SetlValidator) validator = setl_validator_new (schema, NULL, &error);
    g_autoptr(SetlTable) table = vt_table_from_csv (
      "id:int64,code:string,x:double,b:bool,t:timestamp\n"
      "1,AB,1.0,true,2020-01-01T00:00:00Z\n"
      "10,ABCD,2.0,false,2020-01-01T00:00:00Z\n"
      "1,ab,,true,2020-01-01T00:00:00Z\n", 0, NULL);
    g_autoptr(SetlValidationReport) report = NULL;

    g_assert_no_error (error);
    setl_validator_set_lazy (validator, TRUE);
    report = setl_validator_validate (validator, SETL_BATCH_STREAM (table), NULL, &error);
    g_assert_no_error (error);
    g_assert_false (setl_validation_report_get_valid (report));
    g_assert_cmpint (setl_validation_report_count (report, SETL_VALIDATION_REASON_CHECK_FAILED, "id", "le"), ==, 1);
    g_assert_cmpint (setl_validation_report_count (report, SETL_VALIDATION_REASON_CHECK_FAILED, "code", "str_length"), ==, 1);
    g_assert_cmpint (setl_validation_report_count (report, SETL_VALIDATION_REASON_CHECK_FAILED, "code", "pattern"), ==, 1);
    g_assert_cmpint (setl_validation_report_count (report, SETL_VALIDATION_REASON_CHECK_FAILED, "code", "isin"), ==, 2);
    g_assert_cmpint (setl_validation_report_count (report, SETL_VALIDATION_REASON_SERIES_CONTAINS_DUPLICATES, "id", NULL), ==, 2);
    g_assert_cmpint (setl_validation_report_count (report, SETL_VALIDATION_REASON_DUPLICATES, "id", NULL), ==, 2);
  }
}

/* Building checks ------------------------------------------------------------ */

static void
expect_validator_error (const char *json,
                        gint        code,
                        const char *expected)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SetlValidator) validator = vt_validator_new (json, &error);

  g_assert_null (validator);
  g_assert_error (error, SETL_VALIDATION_ERROR, code);
  if (strstr (error->message, expected) == NULL)
    g_error ("“%s” does not contain “%s”", error->message, expected);
}

static void
test_catalog_errors (void)
{
  expect_validator_error ("{\"name\": \"s\", \"columns\": [\n {\"name\": \"a\", \"type\": \"int64\", \"checks\": [\n  {\"frobnicate\": 1}]}]}",
                          SETL_VALIDATION_ERROR_UNKNOWN_CHECK,
                          "schema.json:3: column “a”: check 1 (“frobnicate”): unknown check “frobnicate”");
  /* The empty interval is refused when the schema loads. */
  expect_validator_error ("{\"name\": \"s\", \"columns\": [\n {\"name\": \"a\", \"type\": \"int64\", \"checks\": [\n  {\"in_range\": {\"min_value\": 5, \"max_value\": 1}}]}]}",
                          SETL_VALIDATION_ERROR_INVALID_CHECK,
                          "schema.json:3: column “a”: check 1 (“in_range”): Check “in_range”: parameter “max_value”: the interval is empty");
  expect_validator_error ("{\"name\": \"s\", \"columns\": [{\"name\": \"a\", \"type\": \"int64\", \"checks\": [\n"
                          "  {\"in_range\": {\"min_value\": 1, \"max_value\": 1, \"include_max\": false}}]}]}",
                          SETL_VALIDATION_ERROR_INVALID_CHECK, "the interval is empty");
  expect_validator_error ("{\"name\": \"s\", \"columns\": [{\"name\": \"a\", \"type\": \"int64\", \"checks\": [\n"
                          "  {\"in_range\": {\"min_value\": 1}}]}]}",
                          SETL_VALIDATION_ERROR_INVALID_CHECK, "parameter “max_value”: an upper bound is required");
  expect_validator_error ("{\"name\": \"s\", \"columns\": [{\"name\": \"a\", \"type\": \"int64\", \"checks\": [\n"
                          "  {\"in_range\": {\"min_value\": 1, \"max_value\": 2, \"step\": 1}}]}]}",
                          SETL_VALIDATION_ERROR_INVALID_CHECK,
                          "unknown parameter “step” (the check takes: ");
  expect_validator_error ("{\"name\": \"s\", \"columns\": [{\"name\": \"a\", \"type\": \"int64\", \"checks\": [\n"
                          "  {\"in_range\": 3}]}]}",
                          SETL_VALIDATION_ERROR_INVALID_CHECK, "this check has several parameters");
  expect_validator_error ("{\"name\": \"s\", \"columns\": [{\"name\": \"a\", \"type\": \"int64\", \"checks\": [\n"
                          "  {\"str_matches\": \"a\"}]}]}",
                          SETL_VALIDATION_ERROR_INVALID_CHECK, "“str_matches” does not apply to int64 columns (it takes: string)");
  expect_validator_error ("{\"name\": \"s\", \"columns\": [{\"name\": \"a\", \"type\": \"string\", \"checks\": [\n"
                          "  {\"str_matches\": \"([\"}]}]}",
                          SETL_VALIDATION_ERROR_INVALID_CHECK, "is not a valid regular expression");
  expect_validator_error ("{\"name\": \"s\", \"columns\": [{\"name\": \"a\", \"type\": \"string\", \"checks\": [\n"
                          "  {\"str_length\": {}}]}]}",
                          SETL_VALIDATION_ERROR_INVALID_CHECK, "at least a minimum or a maximum length is required");
  expect_validator_error ("{\"name\": \"s\", \"columns\": [{\"name\": \"a\", \"type\": \"int64\", \"checks\": [\n"
                          "  {\"isin\": 1}]}]}",
                          SETL_VALIDATION_ERROR_INVALID_CHECK, "a list of values");
  expect_validator_error ("{\"name\": \"s\", \"columns\": [{\"name\": \"a\", \"type\": \"int64\", \"checks\": [\n"
                          "  {\"gt\": null}]}]}",
                          SETL_VALIDATION_ERROR_INVALID_CHECK, "parameter “min_value”");
  /* Parameters that do not fit the column's type, refused at load too. */
  expect_validator_error ("{\"name\": \"s\", \"columns\": [{\"name\": \"a\", \"type\": \"int64\", \"checks\": [\n"
                          "  {\"gt\": \"abc\"}]}]}",
                          SETL_VALIDATION_ERROR_INVALID_CHECK,
                          "schema.json:2: column “a”: check 1 (“gt”): Check “gt”: parameter “min_value”: a string cannot be compared with int64 values");
  expect_validator_error ("{\"name\": \"s\", \"columns\": [{\"name\": \"a\", \"type\": \"date\", \"checks\": [\n"
                          "  {\"le\": \"2020-02-30\"}]}]}",
                          SETL_VALIDATION_ERROR_INVALID_CHECK, "“2020-02-30” is not a date (YYYY-MM-DD)");
  expect_validator_error ("{\"name\": \"s\", \"columns\": [{\"name\": \"a\", \"type\": \"int64\", \"checks\": [\n"
                          "  {\"row_count_in_range\": {\"min_value\": 1}}]}]}",
                          SETL_VALIDATION_ERROR_INVALID_CHECK, "is a table check");
  expect_validator_error ("{\"name\": \"s\", \"checks\": [{\"ge\": 1}], \"columns\": []}",
                          SETL_VALIDATION_ERROR_INVALID_CHECK, "checks column values");
  expect_validator_error ("{\"name\": \"s\", \"columns\": [{\"name\": \"a\", \"type\": \"int64\", \"checks\": [\n"
                          "  {\"ge\": 0, \"library\": \"no-such-plugin\"}]}]}",
                          SETL_VALIDATION_ERROR_UNKNOWN_CHECK, "check library “no-such-plugin”, which is not installed");
}

static void
test_catalog_plugin (void)
{
  SetlCheckCatalog *catalog = setl_check_catalog_get_default ();
  g_autoptr(GError) error = NULL;
  SetlPluginFeature *feature;

  /* The built-in library, loaded from its .so through the registry. */
  feature = setl_check_catalog_lookup (catalog, "in_range", NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (feature);
  g_assert_cmpstr (setl_plugin_feature_get_name (feature), ==, "in-range");
  g_assert_cmpint (setl_plugin_feature_get_kind (feature), ==, SETL_FEATURE_KIND_CHECK_LIBRARY);
  g_assert_cmpstr (setl_plugin_get_name (setl_plugin_feature_get_plugin (feature)), ==, "checks-builtin");
  g_assert_true (setl_plugin_feature_is_loaded (feature));

  feature = setl_check_catalog_lookup (catalog, "in_range", "some-other-library", &error);
  g_assert_null (feature);
  g_assert_error (error, SETL_VALIDATION_ERROR, SETL_VALIDATION_ERROR_UNKNOWN_CHECK);
}

static void
test_registry_records_libraries (void)
{
  g_autofree char *dir = g_dir_make_tmp ("setl-validation-XXXXXX", NULL);
  g_autoptr(SetlSchemaRegistry) registry = setl_schema_registry_new (dir);
  g_autoptr(SetlSchema) schema = parse (
    "{\"name\": \"people\", \"checks\": [{\"row_count_in_range\": {\"max_value\": 9}}], \"columns\": [\n"
    " {\"name\": \"age\", \"type\": \"int64\", \"checks\": [{\"in_range\": {\"min_value\": 0, \"max_value\": 150}}]},\n"
    " {\"name\": \"name\", \"type\": \"string\", \"constraints\": {\"pattern\": \"[A-Z].*\"}}]}");
  g_autoptr(SetlSchema) registered = NULL;
  g_autoptr(SetlSchema) again = NULL;
  g_autoptr(SetlSchema) unknown = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *libraries;
  SetlSchemaCheck *check;

  registered = setl_schema_registry_register (registry, schema, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (setl_schema_get_version (registered), ==, 1);

  again = setl_schema_registry_lookup (registry, "people@latest", &error);
  g_assert_no_error (error);
  libraries = json_object_get_object_member (json_node_get_object (setl_schema_get_document (again)),
                                             "check_libraries");
  g_assert_nonnull (libraries);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (libraries, "in_range"), "plugin"),
                   ==, "checks-builtin");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (libraries, "in_range"), "version"),
                   ==, "0.1.0");
  g_assert_true (json_object_has_member (libraries, "pattern"));
  g_assert_true (json_object_has_member (libraries, "row_count_in_range"));
  check = g_ptr_array_index (setl_schema_column_get_checks (setl_schema_lookup_column (again, "age")), 0);
  g_assert_cmpstr (setl_schema_check_get_library (check), ==, "checks-builtin");
  g_assert_cmpstr (setl_schema_check_get_library_version (check), ==, "0.1.0");

  /* Registering it again is recognised, libraries and all. */
  {
    g_autoptr(SetlSchema) same = setl_schema_registry_register (registry, schema, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (setl_schema_get_version (same), ==, 1);
  }

  /* A check no loaded library provides is refused, and nothing is saved. */
  unknown = parse ("{\"name\": \"people\", \"columns\": [\n"
                   " {\"name\": \"age\", \"type\": \"int64\", \"checks\": [\n  {\"frobnicate\": 1}]}]}");
  g_assert_null (setl_schema_registry_register (registry, unknown, &error));
  g_assert_error (error, SETL_VALIDATION_ERROR, SETL_VALIDATION_ERROR_UNKNOWN_CHECK);
  g_assert_nonnull (strstr (error->message, "schema.json:3: column “age”"));
  g_clear_error (&error);
  {
    gsize n = 0;
    g_autofree guint *versions = setl_schema_registry_list_versions (registry, "people", &n, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (n, ==, 1);
  }
  {
    g_autofree char *command = g_strdup_printf ("rm -rf '%s'", dir);
    g_assert_cmpint (system (command), ==, 0);
  }
}

/* The validator --------------------------------------------------------------- */

static void
test_report_cap_and_counts (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SetlValidator) validator = vt_validator_new (
    "{\"name\": \"s\", \"columns\": [{\"name\": \"a\", \"type\": \"int64\", \"checks\": [{\"gt\": 100}]}]}", &error);
  g_autoptr(SetlTable) table = vt_table_from_csv ("a:int64\n1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n", 3, NULL);
  g_autoptr(SetlValidationReport) report = NULL;
  g_autofree char *json = NULL;
  g_autoptr(JsonNode) node = NULL;
  JsonObject *root, *entry;

  g_assert_no_error (error);
  setl_validator_set_lazy (validator, TRUE);
  setl_validator_set_max_failure_cases (validator, 4);
  report = setl_validator_validate (validator, SETL_BATCH_STREAM (table), NULL, &error);
  g_assert_no_error (error);

  /* Four kept, ten counted. */
  g_assert_cmpint (setl_table_get_n_rows (setl_validation_report_get_failure_cases (report)), ==, 4);
  g_assert_cmpint (setl_validation_report_get_n_failures (report), ==, 10);
  g_assert_cmpint (setl_validation_report_get_n_errors (report), ==, 10);
  g_assert_cmpint (setl_validation_report_count (report, SETL_VALIDATION_REASON_CHECK_FAILED, "a", "gt"), ==, 10);
  g_assert_cmpint (setl_validation_report_count (report, SETL_VALIDATION_REASON_CHECK_FAILED, "a", "gt(100)"), ==, 10);
  g_assert_cmpint (setl_validation_report_count (report, SETL_VALIDATION_REASON_CHECK_FAILED, "b", NULL), ==, 0);
  g_assert_cmpint (setl_validation_report_get_n_rows (report), ==, 10);

  json = setl_validation_report_to_json (report, FALSE);
  node = json_from_string (json, &error);
  g_assert_no_error (error);
  root = json_node_get_object (node);
  g_assert_false (json_object_get_boolean_member (root, "valid"));
  g_assert_cmpint (json_object_get_int_member (root, "failures"), ==, 10);
  g_assert_cmpuint (json_object_get_size (json_object_get_object_member (root, "SCHEMA")), ==, 0);
  entry = json_array_get_object_element (json_object_get_array_member (json_object_get_object_member (root, "DATA"),
                                                                        "check_failed"), 0);
  g_assert_cmpstr (json_object_get_string_member (entry, "column"), ==, "a");
  g_assert_cmpstr (json_object_get_string_member (entry, "check"), ==, "gt(100)");
  g_assert_cmpint (json_object_get_int_member (entry, "check_number"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (entry, "count"), ==, 10);
  g_assert_cmpint (json_object_get_int_member (entry, "kept"), ==, 4);
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (entry, "failure_cases"), 0), ==, "1");
}

static void
test_report_text (void)
{
  g_autoptr(SetlValidationReport) report = validate (
    "{\"name\": \"people\", \"strict\": true, \"columns\": [\n"
    " {\"name\": \"age\", \"type\": \"int64\", \"checks\": [{\"in_range\": {\"min_value\": 0, \"max_value\": 120}}]},\n"
    " {\"name\": \"email\", \"type\": \"string\"}]}",
    "age:int64,extra:string\n-1\n20\n200\n", 0, TRUE);
  g_autofree char *text = setl_validation_report_to_text (report);

  g_assert_nonnull (strstr (text, "Schema people: invalid: 3 rows, 4 failures (4 errors, 0 warnings)\n"));
  g_assert_nonnull (strstr (text, "SCHEMA\n  column_not_in_schema: 1\n"));
  g_assert_nonnull (strstr (text, "  column_not_in_dataframe: 1\n    - column “email”: column_in_dataframe: 1 failure, e.g. email\n"));
  g_assert_nonnull (strstr (text, "DATA\n  check_failed: 2\n    - column “age”: in_range(min_value=0, max_value=120): "
                                  "2 failures, e.g. -1 (row 0), 200 (row 2)\n"));
}

static void
test_validator_unique_across_batches (void)
{
  const char *schema = "{\"name\": \"s\", \"columns\": [{\"name\": \"id\", \"type\": \"string\", \"unique\": true,"
                       " \"nullable\": true}]}";
  const char *csv = "id:string\nx\ny\nx\n\nz\n\ny\nx\n";

  /* Whatever the batches, the same rows: nulls never repeat a value. */
  for (gint64 size = 0; size <= 3; size++)
    {
      g_autoptr(SetlValidationReport) report = validate (schema, csv, size, TRUE);
      g_autoptr(GPtrArray) lines = vt_table_to_lines (setl_validation_report_get_failure_cases (report));
      g_autoptr(GPtrArray) expected = g_ptr_array_new ();

      g_ptr_array_add (expected, (char *) "Column,id,field_uniqueness,,x,0");
      g_ptr_array_add (expected, (char *) "Column,id,field_uniqueness,,y,1");
      g_ptr_array_add (expected, (char *) "Column,id,field_uniqueness,,x,2");
      g_ptr_array_add (expected, (char *) "Column,id,field_uniqueness,,y,6");
      g_ptr_array_add (expected, (char *) "Column,id,field_uniqueness,,x,7");
      g_assert_true (vt_lines_equal (expected, lines, "unique"));
      g_assert_cmpint (setl_validation_report_count (report, SETL_VALIDATION_REASON_SERIES_CONTAINS_DUPLICATES, "id", NULL), ==, 5);
    }
}

static void
test_validator_unique_ascending_ids (void)
{
  /* Ids in increasing order are kept as runs, not hashed, until a batch
   * breaks the order (here at row 5, or row 7 with a null): every batch
   * size, every report_duplicates mode must see the same duplicates as a
   * hash set would. */
  static const struct { const char *mode; const char *rows[4]; } modes[] = {
    { "all", { "2,1", "3,2", "2,5", "3,8" } },
    { "exclude_first", { "2,5", "3,8", NULL } },
    { "exclude_last", { "2,1", "3,2", NULL } },
  };
  static const char *csvs[] = {
    "id:int64\n1\n2\n3\n5\n7\n2\n8\n9\n3\n10\n",
    "id:int64\n1\n2\n3\n4\n5\n2\n6\n7\n3\n8\n",   /* dense runs */
  };

  for (guint c = 0; c < G_N_ELEMENTS (csvs); c++)
    for (guint m = 0; m < G_N_ELEMENTS (modes); m++)
      for (gint64 size = 0; size <= 4; size++)
        {
          g_autofree char *schema = g_strdup_printf (
            "{\"name\": \"s\", \"columns\": [{\"name\": \"id\", \"type\": \"int64\", \"unique\": true,"
            " \"report_duplicates\": \"%s\"}]}", modes[m].mode);
          g_autoptr(SetlValidationReport) report = validate (schema, csvs[c], size, TRUE);
          g_autoptr(GPtrArray) lines = vt_table_to_lines (setl_validation_report_get_failure_cases (report));
          g_autoptr(GPtrArray) expected = g_ptr_array_new_with_free_func (g_free);

          for (guint k = 0; k < G_N_ELEMENTS (modes[m].rows) && modes[m].rows[k]; k++)
            g_ptr_array_add (expected, g_strconcat ("Column,id,field_uniqueness,,", modes[m].rows[k], NULL));
          g_assert_true (vt_lines_equal (expected, lines, modes[m].mode));
        }

  /* A batch with a null takes the hash path; later ascending batches too. */
  for (gint64 size = 0; size <= 3; size++)
    {
      g_autoptr(SetlValidationReport) report = validate (
        "{\"name\": \"s\", \"columns\": [{\"name\": \"id\", \"type\": \"int64\", \"unique\": true,"
        " \"nullable\": true}]}",
        "id:int64\n1\n2\n\n3\n4\n5\n6\n4\n", size, TRUE);
      g_autoptr(GPtrArray) lines = vt_table_to_lines (setl_validation_report_get_failure_cases (report));
      g_autoptr(GPtrArray) expected = g_ptr_array_new ();

      g_ptr_array_add (expected, (char *) "Column,id,field_uniqueness,,4,4");
      g_ptr_array_add (expected, (char *) "Column,id,field_uniqueness,,4,7");
      g_assert_true (vt_lines_equal (expected, lines, "unique with a null"));
    }
}

static void
test_checks_regex_paths (void)
{
  /* str_matches is anchored at the start whether the JIT path (ASCII
   * batches) or the checked path (other text) runs; pattern is anchored at
   * both ends. */
  static const struct { const char *check; const char *csv; gint64 failed; } cases[] = {
    { "{\"str_matches\": \"b+\"}", "s:string\nabc\nbbc\nb\n", 1 },
    { "{\"str_matches\": \"b+\"}", "s:string\nabc\nbé\nb\n", 1 },
    { "{\"str_contains\": \"b+\"}", "s:string\nabc\nxé\nb\n", 1 },
    { "{\"pattern\": \"b+\"}", "s:string\nbbc\nbb\nb\n", 1 },
    { "{\"pattern\": \"b+\"}", "s:string\nbbé\nbb\nb\n", 1 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *schema = g_strdup_printf (
        "{\"name\": \"s\", \"columns\": [{\"name\": \"s\", \"type\": \"string\", \"checks\": [%s]}]}",
        cases[i].check);
      g_autoptr(SetlValidationReport) report = validate (schema, cases[i].csv, 0, TRUE);

      g_assert_cmpint (setl_validation_report_count (report, SETL_VALIDATION_REASON_CHECK_FAILED, "s", NULL), ==,
                       cases[i].failed);
    }
}

static void
test_validator_depth (void)
{
  const char *json = "{\"name\": \"s\", \"columns\": [{\"name\": \"a\", \"type\": \"int64\", \"checks\": [{\"gt\": 5}]},"
                     " {\"name\": \"missing\", \"type\": \"int64\"}]}";
  g_autoptr(GError) error = NULL;
  g_autoptr(SetlValidator) validator = vt_validator_new (json, &error);
  g_autoptr(SetlTable) table = vt_table_from_csv ("a:int64\n1\n9\n", 0, NULL);

  g_assert_no_error (error);
  setl_validator_set_lazy (validator, TRUE);

  setl_validator_set_depth (validator, SETL_VALIDATION_DEPTH_SCHEMA_ONLY);
  {
    g_autoptr(SetlValidationReport) report = setl_validator_validate (validator, SETL_BATCH_STREAM (table), NULL, &error);

    g_assert_no_error (error);
    g_assert_cmpint (setl_validation_report_count (report, SETL_VALIDATION_REASON_COLUMN_NOT_IN_DATAFRAME, NULL, NULL), ==, 1);
    g_assert_cmpint (setl_validation_report_count (report, SETL_VALIDATION_REASON_CHECK_FAILED, NULL, NULL), ==, 0);
    g_assert_cmpint (setl_validation_report_get_n_rows (report), ==, 0);
  }
  setl_validator_set_depth (validator, SETL_VALIDATION_DEPTH_DATA_ONLY);
  {
    g_autoptr(SetlValidationReport) report = setl_validator_validate (validator, SETL_BATCH_STREAM (table), NULL, &error);

    g_assert_no_error (error);
    g_assert_cmpint (setl_validation_report_count (report, SETL_VALIDATION_REASON_COLUMN_NOT_IN_DATAFRAME, NULL, NULL), ==, 0);
    g_assert_cmpint (setl_validation_report_count (report, SETL_VALIDATION_REASON_CHECK_FAILED, "a", NULL), ==, 1);
  }
  setl_validator_set_depth (validator, SETL_VALIDATION_DEPTH_SCHEMA_AND_DATA);
  {
    g_autoptr(SetlValidationReport) report = setl_validator_validate (validator, SETL_BATCH_STREAM (table), NULL, &error);

    g_assert_no_error (error);
    g_assert_cmpint (setl_validation_report_get_n_failures (report), ==, 2);
  }
}

static void
test_validator_coercion (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SetlValidator) validator = vt_validator_new (
    "{\"name\": \"s\", \"columns\": [{\"name\": \"n\", \"type\": \"int64\", \"coerce\": true, \"nullable\": true,"
    " \"checks\": [{\"lt\": 10}]}]}", &error);
  g_autoptr(SetlTable) table = vt_table_from_csv ("n:string\n1\nfoo\n\n12\n 7 \n", 2, NULL);
  g_autoptr(SetlValidationReport) report = NULL;
  g_autoptr(SetlBatchStream) stream = NULL;
  g_autoptr(SetlTable) out = NULL;
  g_autoptr(GPtrArray) lines = NULL;
  g_autoptr(GPtrArray) failures = NULL;
  g_autoptr(GPtrArray) expected = g_ptr_array_new ();
  g_autoptr(GPtrArray) expected_failures = g_ptr_array_new ();

  g_assert_no_error (error);
  setl_validator_set_lazy (validator, TRUE);
  stream = setl_validator_filter (validator, SETL_BATCH_STREAM (table), &report);
  out = setl_batch_stream_collect (stream, NULL, &error);
  g_assert_no_error (error);

  /* The output is int64; a value that does not convert is a coercion
   * failure (and null in the output), not a null failure. */
  g_assert_cmpint (setl_field_get_data_type (setl_table_get_field (out, 0)), ==, SETL_DATA_TYPE_INT64);
  lines = vt_table_to_lines (out);
  g_ptr_array_add (expected, (char *) "1");
  g_ptr_array_add (expected, (char *) "");
  g_ptr_array_add (expected, (char *) "");
  g_ptr_array_add (expected, (char *) "12");
  g_ptr_array_add (expected, (char *) "7");
  g_assert_true (vt_lines_equal (expected, lines, "coerced"));

  failures = vt_table_to_lines (setl_validation_report_get_failure_cases (report));
  g_ptr_array_add (expected_failures, (char *) "Column,n,coerce_dtype('int64'),,foo,1");
  g_ptr_array_add (expected_failures, (char *) "Column,n,lt(10),0,12,3");
  g_assert_true (vt_lines_equal (expected_failures, failures, "coercion failures"));
  g_assert_true (setl_validation_report_get_complete (report));
}

static void
test_validator_wrong_dtype (void)
{
  g_autoptr(SetlValidationReport) report = validate (
    "{\"name\": \"s\", \"columns\": [{\"name\": \"n\", \"type\": \"int64\", \"checks\": [{\"gt\": 0}]}]}",
    "n:double\n1.5\n-2.0\n", 0, TRUE);
  g_autoptr(GPtrArray) failures = vt_table_to_lines (setl_validation_report_get_failure_cases (report));
  g_autoptr(GPtrArray) expected = g_ptr_array_new ();

  /* The type is wrong; the values are not checked. */
  g_ptr_array_add (expected, (char *) "Column,n,dtype('int64'),,double,");
  g_assert_true (vt_lines_equal (expected, failures, "wrong dtype"));
}

static void
test_validator_mostly_and_warning (void)
{
  g_autoptr(SetlValidationReport) report = validate (
    "{\"name\": \"s\", \"columns\": [\n"
    " {\"name\": \"a\", \"type\": \"int64\", \"checks\": [{\"gt\": 1, \"mostly\": 0.75}]},\n"
    " {\"name\": \"b\", \"type\": \"int64\", \"checks\": [{\"gt\": 1, \"mostly\": 0.9}]},\n"
    " {\"name\": \"c\", \"type\": \"int64\", \"checks\": [{\"gt\": 1, \"level\": \"warning\", \"message\": \"c is small\"}]}]}",
    "a:int64,b:int64,c:int64\n1,1,1\n2,2,2\n3,3,3\n4,4,4\n", 1, TRUE);
  g_autofree char *json = setl_validation_report_to_json (report, FALSE);

  /* a: 1 of 4 fails, 0.75 pass: tolerated. b: not enough pass. c: a
   * warning, which leaves the data valid on its own. */
  g_assert_cmpint (setl_validation_report_count (report, SETL_VALIDATION_REASON_CHECK_FAILED, "a", NULL), ==, 0);
  g_assert_cmpint (setl_validation_report_count (report, SETL_VALIDATION_REASON_CHECK_FAILED, "b", NULL), ==, 1);
  g_assert_cmpint (setl_validation_report_count (report, SETL_VALIDATION_REASON_CHECK_FAILED, "c", NULL), ==, 1);
  g_assert_cmpint (setl_validation_report_get_n_errors (report), ==, 1);
  g_assert_cmpint (setl_validation_report_get_n_warnings (report), ==, 1);
  g_assert_false (setl_validation_report_get_valid (report));
  g_assert_nonnull (strstr (json, "\"tolerated\":[{"));
  g_assert_nonnull (strstr (json, "\"message\":\"c is small\""));
  g_assert_cmpint (setl_table_get_n_rows (setl_validation_report_get_failure_cases (report)), ==, 2);
}

static void
test_validator_warning_only_is_valid (void)
{
  g_autoptr(SetlValidationReport) report = validate (
    "{\"name\": \"s\", \"columns\": [{\"name\": \"c\", \"type\": \"int64\", \"checks\": [{\"gt\": 1, \"level\": \"warning\"}]}]}",
    "c:int64\n1\n2\n", 0, FALSE);

  g_assert_true (setl_validation_report_get_valid (report));
  g_assert_cmpint (setl_validation_report_get_n_warnings (report), ==, 1);
  g_assert_true (setl_validation_report_get_complete (report));
}

static void
test_validator_eager (void)
{
  const char *schema = "{\"name\": \"s\", \"columns\": [{\"name\": \"a\", \"type\": \"int64\", \"checks\": [{\"gt\": 5}]},"
                       " {\"name\": \"b\", \"type\": \"int64\", \"checks\": [{\"lt\": 0}]}]}";
  g_autoptr(SetlValidationReport) eager = validate (schema, "a:int64,b:int64\n1,1\n9,9\n9,9\n", 1, FALSE);
  g_autoptr(SetlValidationReport) lazy = validate (schema, "a:int64,b:int64\n1,1\n9,9\n9,9\n", 1, TRUE);

  /* Eager stops after the first batch with an error. */
  g_assert_false (setl_validation_report_get_complete (eager));
  g_assert_cmpint (setl_validation_report_get_n_rows (eager), ==, 1);
  g_assert_cmpint (setl_validation_report_get_n_failures (eager), ==, 2);
  g_assert_true (setl_validation_report_get_complete (lazy));
  g_assert_cmpint (setl_validation_report_get_n_failures (lazy), ==, 4);

  /* The eager filtered stream fails, naming the failure. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(SetlValidator) validator = vt_validator_new (schema, &error);
    g_autoptr(SetlTable) table = vt_table_from_csv ("a:int64,b:int64\n9,-1\n1,1\n", 1, NULL);
    g_autoptr(SetlValidationReport) report = NULL;
    g_autoptr(SetlBatchStream) stream = setl_validator_filter (validator, SETL_BATCH_STREAM (table), &report);
    g_autoptr(SetlTable) out = setl_batch_stream_collect (stream, NULL, &error);

    g_assert_null (out);
    g_assert_error (error, SETL_VALIDATION_ERROR, SETL_VALIDATION_ERROR_FAILED);
    g_assert_nonnull (strstr (error->message, "column “a” failed gt(5)"));
    g_assert_false (setl_validation_report_get_complete (report));
  }
}

static void
test_validator_drop_across_batches (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SetlValidator) validator = vt_validator_new (
    "{\"name\": \"s\", \"columns\": [{\"name\": \"a\", \"type\": \"int64\", \"nullable\": false,"
    " \"checks\": [{\"ne\": 3}]}, {\"name\": \"t\", \"type\": \"string\", \"nullable\": true}]}", &error);
  g_autoptr(SetlTable) table = vt_table_from_csv ("a:int64,t:string\n1,x\n3,y\n,z\n4,\n3,w\n5,v\n", 2, NULL);
  g_autoptr(SetlValidationReport) report = NULL;
  g_autoptr(SetlBatchStream) stream = NULL;
  g_autoptr(SetlTable) out = NULL;
  g_autoptr(GPtrArray) lines = NULL;
  g_autoptr(GPtrArray) expected = g_ptr_array_new ();

  g_assert_no_error (error);
  setl_validator_set_drop_invalid_rows (validator, TRUE);
  stream = setl_validator_filter (validator, SETL_BATCH_STREAM (table), &report);
  g_assert_false (setl_validation_report_get_complete (report));
  out = setl_batch_stream_collect (stream, NULL, &error);
  g_assert_no_error (error);
  lines = vt_table_to_lines (out);
  g_ptr_array_add (expected, (char *) "1,x");
  g_ptr_array_add (expected, (char *) "4,");
  g_ptr_array_add (expected, (char *) "5,v");
  g_assert_true (vt_lines_equal (expected, lines, "dropped"));
  g_assert_cmpint (setl_validation_report_get_n_dropped_rows (report), ==, 3);
  g_assert_cmpint (setl_validation_report_get_n_rows (report), ==, 6);
  g_assert_true (setl_validation_report_get_complete (report));

  /* A second pass starts the report afresh. */
  {
    g_autoptr(SetlTable) again = setl_batch_stream_collect (stream, NULL, &error);

    g_assert_no_error (error);
    g_assert_cmpint (setl_table_get_n_rows (again), ==, 3);
    g_assert_cmpint (setl_validation_report_get_n_dropped_rows (report), ==, 3);
    g_assert_cmpint (setl_validation_report_get_n_failures (report), ==, 3);
  }
}

static void
test_validator_ordered (void)
{
  g_autoptr(SetlValidationReport) report = validate (
    "{\"name\": \"s\", \"ordered\": true, \"columns\": [{\"name\": \"a\", \"type\": \"int64\"},"
    " {\"name\": \"b\", \"type\": \"int64\"}, {\"name\": \"c\", \"type\": \"int64\", \"required\": false}]}",
    "b:int64,x:int64,a:int64\n1,2,3\n", 0, TRUE);
  g_autoptr(GPtrArray) failures = vt_table_to_lines (setl_validation_report_get_failure_cases (report));
  g_autoptr(GPtrArray) expected = g_ptr_array_new ();

  /* c is optional and absent: no failure; a comes after b: out of order. */
  g_ptr_array_add (expected, (char *) "DataFrameSchema,a,column_ordered,,a,");
  g_assert_true (vt_lines_equal (expected, failures, "ordered"));
}

/* Aggregate and table checks ---------------------------------------------------- */

static void
test_checks_aggregate (void)
{
  g_autoptr(SetlValidationReport) report = validate (
    "{\"name\": \"s\", \"checks\": [\n"
    "  {\"row_count_in_range\": {\"min_value\": 1, \"max_value\": 4}},\n"
    "  {\"column_set\": {\"columns\": [\"x\", \"s\"]}},\n"
    "  {\"check\": \"column_set\", \"columns\": [\"x\"], \"exact\": false}],\n"
    " \"columns\": [\n"
    " {\"name\": \"x\", \"type\": \"double\", \"nullable\": true, \"checks\": [\n"
    "   {\"mean_in_range\": {\"min_value\": 2, \"max_value\": 3}},\n"
    "   {\"stddev_in_range\": {\"max_value\": 1}},\n"
    "   {\"null_fraction_in_range\": {\"max_value\": 0.1}},\n"
    "   {\"distinct_count_in_range\": {\"min_value\": 5}}]},\n"
    " {\"name\": \"s\", \"type\": \"string\", \"nullable\": true, \"checks\": [\n"
    "   {\"unique_values_eq\": [\"a\", \"b\"]}, {\"unique_values_eq\": [\"a\", \"b\", \"c\"]}]}]}",
    "x:double,s:string\n1.0,a\n2.0,b\n3.0,a\n,b\n6.0,\n", 2, TRUE);
  g_autoptr(GPtrArray) failures = vt_table_to_lines (setl_validation_report_get_failure_cases (report));
  g_autoptr(GPtrArray) expected = g_ptr_array_new ();

  /* x: 1, 2, 3, 6 and a null: mean 3 passes, stddev 2.16 fails, a null
   * fraction of 0.2 fails, 4 distinct values fail. 5 rows: too many. */
  g_ptr_array_add (expected, (char *) "Column,x,stddev_in_range(max_value=1),1,stddev=2.160246899,");
  g_ptr_array_add (expected, (char *) "Column,x,null_fraction_in_range(max_value=0.1),2,null_fraction=0.2,");
  g_ptr_array_add (expected, (char *) "Column,x,distinct_count_in_range(min_value=5),3,distinct_count=4,");
  g_ptr_array_add (expected, (char *) "Column,s,\"unique_values_eq([\"\"a\"\",\"\"b\"\",\"\"c\"\"])\",1,\"unique values: a, b\",");
  g_ptr_array_add (expected, (char *) "DataFrameSchema,,\"row_count_in_range(min_value=1, max_value=4)\",0,rows=5,");
  g_assert_true (vt_lines_equal (expected, failures, "aggregates"));
}

static void
test_checks_table_without_rows (void)
{
  g_autoptr(SetlValidationReport) report = validate (
    "{\"name\": \"s\", \"checks\": [{\"row_count_in_range\": {\"min_value\": 1}},\n"
    "  {\"column_set\": {\"columns\": [\"a\", \"b\"]}}],\n"
    " \"columns\": [{\"name\": \"a\", \"type\": \"int64\"}]}",
    "a:int64\n", 0, TRUE);
  g_autoptr(GPtrArray) failures = vt_table_to_lines (setl_validation_report_get_failure_cases (report));
  g_autoptr(GPtrArray) expected = g_ptr_array_new ();

  /* No row, and the columns still known. */
  g_ptr_array_add (expected, (char *) "DataFrameSchema,,row_count_in_range(min_value=1),0,rows=0,");
  g_ptr_array_add (expected, (char *) "DataFrameSchema,,\"column_set(columns=[\"\"a\"\",\"\"b\"\"])\",1,columns: a,");
  g_assert_true (vt_lines_equal (expected, failures, "no rows"));
}

static void
test_checks_synthesize (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SetlValidator) validator = vt_validator_new (
    "{\"name\": \"s\", \"columns\": [\n"
    " {\"name\": \"a\", \"type\": \"int64\", \"checks\": [{\"in_range\": {\"min_value\": 3, \"max_value\": 5, \"include_min\": false}}]},\n"
    " {\"name\": \"b\", \"type\": \"string\", \"checks\": [{\"isin\": [\"x\", \"y\"]}, {\"str_length\": 4}]}]}", &error);
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);

  g_assert_no_error (error);
  g_assert_cmpuint (setl_validator_get_n_checks (validator), ==, 3);
  for (guint i = 0; i < setl_validator_get_n_checks (validator); i++)
    {
      SetlSchemaCheck *reference = NULL;
      SetlCheck *check = setl_validator_get_check (validator, i, &reference);
      SetlDataType type = i == 0 ? SETL_DATA_TYPE_INT64 : SETL_DATA_TYPE_STRING;

      g_assert_nonnull (reference);
      g_assert_true (setl_check_can_synthesize (check));
      for (int k = 0; k < 20; k++)
        {
          g_auto(GValue) value = G_VALUE_INIT;
          g_autoptr(SetlColumnBuilder) builder = setl_column_builder_new (type);
          g_autoptr(SetlColumn) column = NULL;
          gint64 n_failed = -1;

          g_assert_true (setl_check_synthesize (check, type, rand, &value, &error));
          g_assert_no_error (error);
          if (type == SETL_DATA_TYPE_INT64)
            setl_column_builder_append_int64 (builder, g_value_get_int64 (&value));
          else
            setl_column_builder_append_string (builder, g_value_get_string (&value), -1);
          column = setl_column_builder_finish (builder, NULL);
          g_assert_true (setl_check_run (check, column, &n_failed, NULL, &error));
          g_assert_cmpint (n_failed, ==, 0);
        }
    }
}

/* A check of the application's own, element-wise, registered without a
 * plugin: what bindings and applications do. */
typedef struct { SetlCheck parent_instance; gint64 divisor; } TestMultipleOf;
typedef struct { SetlCheckClass parent_class; } TestMultipleOfClass;
static GType test_multiple_of_get_type (void);
G_DEFINE_TYPE (TestMultipleOf, test_multiple_of, SETL_TYPE_CHECK)

static gboolean
multiple_of_check_value (SetlCheck *check, const GValue *value)
{
  return g_value_get_int64 (value) % ((TestMultipleOf *) check)->divisor == 0;
}

static gboolean
multiple_of_prepare (SetlCheck *check, GError **error)
{
  if (((TestMultipleOf *) check)->divisor == 0)
    {
      setl_check_set_parameter_error (check, error, "divisor", "must not be 0");
      return FALSE;
    }
  return TRUE;
}

static void
multiple_of_set_property (GObject *object, guint id, const GValue *value, GParamSpec *pspec)
{
  ((TestMultipleOf *) object)->divisor = g_value_get_int64 (value);
}

static void
multiple_of_get_property (GObject *object, guint id, GValue *value, GParamSpec *pspec)
{
  g_value_set_int64 (value, ((TestMultipleOf *) object)->divisor);
}

static void
test_multiple_of_class_init (TestMultipleOfClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  SetlCheckClass *check_class = SETL_CHECK_CLASS (klass);

  object_class->set_property = multiple_of_set_property;
  object_class->get_property = multiple_of_get_property;
  check_class->check_value = multiple_of_check_value;
  check_class->prepare = multiple_of_prepare;
  setl_check_class_set_check_name (check_class, "multiple_of");
  setl_check_class_add_supported_type (check_class, SETL_DATA_TYPE_INT64);
  g_object_class_install_property (object_class, 1,
    g_param_spec_int64 ("divisor", "divisor", "Divisor", G_MININT64, G_MAXINT64, 0,
                        G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS));
}

static void
test_multiple_of_init (TestMultipleOf *self)
{
}

static void
test_catalog_application_check (void)
{
  g_autoptr(SetlCheckCatalog) catalog = setl_check_catalog_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(SetlSchema) schema = parse (
    "{\"name\": \"s\", \"columns\": [{\"name\": \"n\", \"type\": \"int64\", \"checks\": [\n"
    "  {\"multiple_of\": 3}, {\"ge\": 0}]}]}");
  g_autoptr(SetlSchema) bad = parse (
    "{\"name\": \"s\", \"columns\": [{\"name\": \"n\", \"type\": \"int64\", \"checks\": [\n"
    "  {\"multiple_of\": 0}]}]}");
  g_autoptr(SetlValidator) validator = NULL;
  g_autoptr(SetlValidator) refused = NULL;
  g_autoptr(SetlTable) table = vt_table_from_csv ("n:int64\n3\n4\n-6\n", 0, NULL);
  g_autoptr(SetlValidationReport) report = NULL;
  g_autoptr(SetlSchema) recorded = NULL;
  JsonObject *libraries;

  /* Unknown until added. */
  refused = setl_validator_new (schema, catalog, &error);
  g_assert_error (error, SETL_VALIDATION_ERROR, SETL_VALIDATION_ERROR_UNKNOWN_CHECK);
  g_clear_error (&error);

  setl_check_catalog_add_type (catalog, test_multiple_of_get_type ());
  validator = setl_validator_new (schema, catalog, &error);
  g_assert_no_error (error);
  setl_validator_set_lazy (validator, TRUE);
  report = setl_validator_validate (validator, SETL_BATCH_STREAM (table), NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (setl_validation_report_count (report, SETL_VALIDATION_REASON_CHECK_FAILED, "n", "multiple_of(3)"), ==, 1);
  g_assert_cmpint (setl_validation_report_count (report, SETL_VALIDATION_REASON_CHECK_FAILED, "n", "ge"), ==, 1);

  /* Its parameters are checked when the schema loads too. */
  g_clear_object (&refused);
  refused = setl_validator_new (bad, catalog, &error);
  g_assert_error (error, SETL_VALIDATION_ERROR, SETL_VALIDATION_ERROR_INVALID_CHECK);
  g_assert_nonnull (strstr (error->message, "parameter “divisor”: must not be 0"));
  g_clear_error (&error);

  /* Only the plugin's check gets a library recorded. */
  recorded = setl_check_catalog_record_libraries (catalog, schema, &error);
  g_assert_no_error (error);
  libraries = json_object_get_object_member (json_node_get_object (setl_schema_get_document (recorded)),
                                             "check_libraries");
  g_assert_true (json_object_has_member (libraries, "ge"));
  g_assert_false (json_object_has_member (libraries, "multiple_of"));
}

static void
test_checks_types (void)
{
  g_autoptr(SetlValidationReport) report = validate (
    "{\"name\": \"s\", \"columns\": [\n"
    " {\"name\": \"b\", \"type\": \"bool\", \"checks\": [{\"eq\": true}, {\"isin\": [true]}]},\n"
    " {\"name\": \"d\", \"type\": \"date\", \"checks\": [{\"in_range\": {\"min_value\": \"2020-01-01\", \"max_value\": \"2020-12-31\"}}]},\n"
    " {\"name\": \"x\", \"type\": \"double\", \"checks\": [{\"gt\": 1}, {\"notin\": [2.5]}]},\n"
    " {\"name\": \"i\", \"type\": \"int64\", \"checks\": [{\"gt\": 1.5}, {\"isin\": [1, 2.5, \"3\"]}]},\n"
    " {\"name\": \"s\", \"type\": \"string\", \"checks\": [{\"str_length\": 2}, {\"notin\": \"xyz\"}]}]}",
    "b:bool,d:date,x:double,i:int64,s:string\n"
    "true,2020-06-01,2.0,2,éé\n"
    "false,2021-01-01,2.5,1,x\n", 0, TRUE);
  g_autoptr(GPtrArray) failures = vt_table_to_lines (setl_validation_report_get_failure_cases (report));
  g_autoptr(GPtrArray) expected = g_ptr_array_new ();

  /* Lengths count characters; "3" is no int64; 2.5 is not whole. */
  g_ptr_array_add (expected, (char *) "Column,b,eq(true),0,false,1");
  g_ptr_array_add (expected, (char *) "Column,b,isin([true]),1,false,1");
  g_ptr_array_add (expected, (char *) "Column,d,\"in_range(min_value=\"\"2020-01-01\"\", max_value=\"\"2020-12-31\"\")\",0,2021-01-01,1");
  g_ptr_array_add (expected, (char *) "Column,x,notin([2.5]),1,2.5,1");
  g_ptr_array_add (expected, (char *) "Column,i,gt(1.5),0,1,1");
  g_ptr_array_add (expected, (char *) "Column,i,\"isin([1,2.5,\"\"3\"\"])\",1,2,0");
  g_ptr_array_add (expected, (char *) "Column,s,str_length(2),0,x,1");
  g_ptr_array_add (expected, (char *) "Column,s,\"notin(\"\"xyz\"\")\",1,x,1");
  g_assert_true (vt_lines_equal (expected, failures, "types"));
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/validation/schema/check-forms", test_schema_check_forms);
  g_test_add_func ("/validation/schema/options", test_schema_options);
  g_test_add_func ("/validation/schema/malformed", test_schema_malformed);
  g_test_add_func ("/validation/schema/frictionless", test_schema_frictionless);
  g_test_add_func ("/validation/catalog/errors", test_catalog_errors);
  g_test_add_func ("/validation/catalog/plugin", test_catalog_plugin);
  g_test_add_func ("/validation/catalog/application-check", test_catalog_application_check);
  g_test_add_func ("/validation/registry/records-libraries", test_registry_records_libraries);
  g_test_add_func ("/validation/report/cap-and-counts", test_report_cap_and_counts);
  g_test_add_func ("/validation/report/text", test_report_text);
  g_test_add_func ("/validation/validator/unique-across-batches", test_validator_unique_across_batches);
  g_test_add_func ("/validation/validator/depth", test_validator_depth);
  g_test_add_func ("/validation/validator/coercion", test_validator_coercion);
  g_test_add_func ("/validation/validator/wrong-dtype", test_validator_wrong_dtype);
  g_test_add_func ("/validation/validator/mostly-and-warning", test_validator_mostly_and_warning);
  g_test_add_func ("/validation/validator/warning-only-is-valid", test_validator_warning_only_is_valid);
  g_test_add_func ("/validation/validator/eager", test_validator_eager);
  g_test_add_func ("/validation/validator/drop-across-batches", test_validator_drop_across_batches);
  g_test_add_func ("/validation/validator/ordered", test_validator_ordered);
  g_test_add_func ("/validation/checks/aggregate", test_checks_aggregate);
  g_test_add_func ("/validation/checks/table-without-rows", test_checks_table_without_rows);
  g_test_add_func ("/validation/checks/types", test_checks_types);
  g_test_add_func ("/validation/checks/synthesize", test_checks_synthesize);
  g_test_add_func ("/validation/checks/regex-paths", test_checks_regex_paths);
  g_test_add_func ("/validation/validator/unique-ascending-ids", test_validator_unique_ascending_ids);

  return g_test_run ();
}
