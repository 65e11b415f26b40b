/* test-schema-document.c: parsing schema documents, and the errors a person
 * gets for malformed or invalid ones.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "schema-test-utils.h"

static void
test_parse_columns (void)
{
  g_autoptr(SetlSchema) schema = NULL;
  SetlSchemaColumn *column;

  schema = schema_test_parse (
    "{\n"
    "  \"name\": \"orders\",\n"
    "  \"description\": \"order lines\",\n"
    "  \"columns\": [\n"
    "    {\"name\": \"id\", \"type\": \"int64\"},\n"
    "    {\"name\": \"amount\", \"type\": \"double\", \"nullable\": true},\n"
    "    {\"name\": \"placed\", \"type\": \"timestamp\", \"required\": false},\n"
    "    {\"name\": \"paid\", \"type\": \"bool\", \"default\": false, \"description\": \"settled\"},\n"
    "    {\"name\": \"day\", \"type\": \"date\"},\n"
    "    {\"name\": \"note\", \"type\": \"string\", \"nullable\": true, \"default\": null}\n"
    "  ]\n"
    "}\n");

  g_assert_cmpstr (setl_schema_get_name (schema), ==, "orders");
  g_assert_cmpuint (setl_schema_get_version (schema), ==, 0);
  g_assert_cmpstr (setl_schema_get_description (schema), ==, "order lines");
  g_assert_cmpuint (setl_schema_get_n_columns (schema), ==, 6);

  column = setl_schema_get_column (schema, 0);
  g_assert_cmpstr (setl_schema_column_get_name (column), ==, "id");
  g_assert_cmpint (setl_schema_column_get_column_type (column), ==, SETL_SCHEMA_COLUMN_TYPE_INT64);
  /* Pandera's defaults: not nullable, required. */
  g_assert_false (setl_schema_column_get_nullable (column));
  g_assert_true (setl_schema_column_get_required (column));
  g_assert_false (setl_schema_column_has_default (column));
  g_assert_false (setl_schema_column_get_optional (column));

  column = setl_schema_lookup_column (schema, "amount");
  g_assert_nonnull (column);
  g_assert_cmpint (setl_schema_column_get_column_type (column), ==, SETL_SCHEMA_COLUMN_TYPE_DOUBLE);
  g_assert_true (setl_schema_column_get_nullable (column));
  g_assert_true (setl_schema_column_get_optional (column));

  column = setl_schema_lookup_column (schema, "placed");
  g_assert_false (setl_schema_column_get_required (column));
  g_assert_true (setl_schema_column_get_optional (column));

  column = setl_schema_lookup_column (schema, "paid");
  g_assert_true (setl_schema_column_has_default (column));
  g_assert_false (json_node_get_boolean (setl_schema_column_get_default (column)));
  g_assert_cmpstr (setl_schema_column_get_description (column), ==, "settled");
  g_assert_true (setl_schema_column_get_optional (column));

  column = setl_schema_lookup_column (schema, "note");
  g_assert_true (setl_schema_column_has_default (column));
  g_assert_true (JSON_NODE_HOLDS_NULL (setl_schema_column_get_default (column)));

  g_assert_null (setl_schema_lookup_column (schema, "missing"));
}

/* Checks and options of later formats must travel through unchanged. */
static void
test_unknown_members_kept (void)
{
  g_autoptr(SetlSchema) schema = NULL;
  g_autoptr(SetlSchema) again = NULL;
  g_autofree char *json = NULL;
  JsonObject *column;

  schema = schema_test_parse (
    "{\"name\": \"s\", \"strict\": true, \"columns\": ["
    " {\"name\": \"n\", \"type\": \"int64\", \"checks\": [{\"ge\": 0}]}]}");
  column = setl_schema_column_get_document (setl_schema_get_column (schema, 0));
  g_assert_true (json_object_has_member (column, "checks"));

  json = setl_schema_to_json (schema, FALSE);
  again = schema_test_parse (json);
  g_assert_true (json_object_get_boolean_member (json_node_get_object (setl_schema_get_document (again)),
                                                 "strict"));
  g_assert_true (setl_schema_equal_content (schema, again));
}

static void
test_with_version (void)
{
  g_autoptr(SetlSchema) schema = NULL;
  g_autoptr(SetlSchema) v7 = NULL;
  g_autoptr(SetlSchema) other = NULL;
  g_autofree char *json = NULL;

  schema = schema_test_parse ("{\"name\": \"s\", \"columns\": [{\"name\": \"a\", \"type\": \"string\"}]}");
  v7 = setl_schema_with_version (schema, 7);
  g_assert_cmpuint (setl_schema_get_version (v7), ==, 7);
  g_assert_cmpuint (setl_schema_get_version (schema), ==, 0);
  json = setl_schema_to_json (v7, FALSE);
  g_assert_nonnull (strstr (json, "\"version\":7"));
  /* The version does not count as content; the columns do. */
  g_assert_true (setl_schema_equal_content (schema, v7));
  other = schema_test_parse ("{\"name\": \"s\", \"columns\": [{\"name\": \"a\", \"type\": \"int64\"}]}");
  g_assert_false (setl_schema_equal_content (schema, other));
}

static void
test_type_names (void)
{
  SetlSchemaColumnType type;
  SetlSchemaCompatibility mode;

  g_assert_true (setl_schema_column_type_from_string ("timestamp", &type));
  g_assert_cmpint (type, ==, SETL_SCHEMA_COLUMN_TYPE_TIMESTAMP);
  g_assert_cmpstr (setl_schema_column_type_to_string (SETL_SCHEMA_COLUMN_TYPE_BOOL), ==, "bool");
  g_assert_false (setl_schema_column_type_from_string ("integer", &type));

  g_assert_true (setl_schema_compatibility_from_string ("full-transitive", &mode));
  g_assert_cmpint (mode, ==, SETL_SCHEMA_COMPATIBILITY_FULL_TRANSITIVE);
  g_assert_true (setl_schema_compatibility_from_string ("backward", &mode));
  g_assert_cmpint (mode, ==, SETL_SCHEMA_COMPATIBILITY_BACKWARD);
  g_assert_cmpstr (setl_schema_compatibility_to_string (SETL_SCHEMA_COMPATIBILITY_FORWARD_TRANSITIVE),
                   ==, "FORWARD_TRANSITIVE");
  g_assert_false (setl_schema_compatibility_from_string ("sideways", &mode));
}

/* Each bad document, the error code and the start of the message, which
 * must name the source and the line. */
typedef struct {
  const char *path;
  const char *json;
  SetlSchemaError code;
  const char *prefix;
  const char *fragment;
} BadDocument;

static const BadDocument bad_documents[] = {
  { "/schema/document/malformed/missing-comma",
    "{\n  \"name\": \"s\",\n  \"columns\": [\n    {\"name\": \"a\"\n     \"type\": \"int64\"}\n  ]\n}\n",
    SETL_SCHEMA_ERROR_MALFORMED, "bad.json:4:", "expected character `,'" },
  { "/schema/document/malformed/truncated",
    "{\n  \"name\": \"s\",\n  \"columns\": [\n",
    SETL_SCHEMA_ERROR_MALFORMED, "bad.json:", "malformed JSON" },
  { "/schema/document/malformed/trailing-garbage",
    "{\"name\": \"s\", \"columns\": []}\nfoo\n",
    SETL_SCHEMA_ERROR_MALFORMED, "bad.json:2:", "expected end of file" },
  { "/schema/document/malformed/empty",
    "",
    SETL_SCHEMA_ERROR_MALFORMED, "bad.json:1:", "empty document" },
  { "/schema/document/invalid/not-an-object",
    "[1, 2]",
    SETL_SCHEMA_ERROR_INVALID, "bad.json:1:", "expected a JSON object at the top level, not an array" },
  { "/schema/document/invalid/missing-name",
    "\n{\n  \"columns\": []\n}\n",
    SETL_SCHEMA_ERROR_INVALID, "bad.json:2:", "missing member “name”" },
  { "/schema/document/invalid/name-not-string",
    "{\n  \"name\": 12,\n  \"columns\": []\n}\n",
    SETL_SCHEMA_ERROR_INVALID, "bad.json:2:", "member “name” must be a string" },
  { "/schema/document/invalid/name-with-slash",
    "{\n  \"name\": \"../etc\",\n  \"columns\": []\n}\n",
    SETL_SCHEMA_ERROR_INVALID, "bad.json:2:", "“../etc”" },
  { "/schema/document/invalid/missing-columns",
    "{\n  \"name\": \"s\"\n}\n",
    SETL_SCHEMA_ERROR_INVALID, "bad.json:1:", "missing member “columns”" },
  { "/schema/document/invalid/columns-not-array",
    "{\n  \"name\": \"s\",\n  \"columns\": {}\n}\n",
    SETL_SCHEMA_ERROR_INVALID, "bad.json:3:", "member “columns” must be an array" },
  { "/schema/document/invalid/bad-version",
    "{\n  \"name\": \"s\",\n  \"version\": \"two\",\n  \"columns\": []\n}\n",
    SETL_SCHEMA_ERROR_INVALID, "bad.json:3:", "member “version” must be a positive integer" },
  { "/schema/document/invalid/bad-type",
    "{\n  \"name\": \"s\",\n  \"columns\": [\n    {\"name\": \"a\", \"type\": \"int64\"},\n"
    "    {\"name\": \"b\",\n     \"type\": \"integer\"}\n  ]\n}\n",
    SETL_SCHEMA_ERROR_INVALID, "bad.json:6:", "column “b”: member “type” must be one of bool, int64, double, string, date, timestamp; found “integer”" },
  { "/schema/document/invalid/missing-type",
    "{\n  \"name\": \"s\",\n  \"columns\": [\n    {\"name\": \"a\"}\n  ]\n}\n",
    SETL_SCHEMA_ERROR_INVALID, "bad.json:4:", "column “a”: missing member “type”" },
  { "/schema/document/invalid/column-without-name",
    "{\n  \"name\": \"s\",\n  \"columns\": [\n    {\"name\": \"a\", \"type\": \"int64\"},\n    {\"type\": \"int64\"}\n  ]\n}\n",
    SETL_SCHEMA_ERROR_INVALID, "bad.json:5:", "column 2: missing member “name”" },
  { "/schema/document/invalid/column-not-object",
    "{\n  \"name\": \"s\",\n  \"columns\": [\n    \"a\"\n  ]\n}\n",
    SETL_SCHEMA_ERROR_INVALID, "bad.json:4:", "column 1: expected an object" },
  { "/schema/document/invalid/duplicate-column",
    "{\n  \"name\": \"s\",\n  \"columns\": [\n    {\"name\": \"a\", \"type\": \"int64\"},\n"
    "    {\"name\": \"b\", \"type\": \"string\"},\n    {\"name\": \"a\", \"type\": \"double\"}\n  ]\n}\n",
    SETL_SCHEMA_ERROR_INVALID, "bad.json:6:", "column “a” is defined twice (first at line 4)" },
  { "/schema/document/invalid/nullable-not-boolean",
    "{\n  \"name\": \"s\",\n  \"columns\": [\n    {\"name\": \"a\", \"type\": \"int64\",\n     \"nullable\": \"yes\"}\n  ]\n}\n",
    SETL_SCHEMA_ERROR_INVALID, "bad.json:5:", "column “a”: member “nullable” must be true or false, not a string" },
  { "/schema/document/invalid/default-wrong-type",
    "{\n  \"name\": \"s\",\n  \"columns\": [\n    {\"name\": \"a\", \"type\": \"int64\",\n     \"default\": \"zero\"}\n  ]\n}\n",
    SETL_SCHEMA_ERROR_INVALID, "bad.json:5:", "column “a”: member “default” must be a value of type int64" },
  { "/schema/document/invalid/null-default-not-nullable",
    "{\n  \"name\": \"s\",\n  \"columns\": [\n    {\"name\": \"a\", \"type\": \"int64\", \"default\": null}\n  ]\n}\n",
    SETL_SCHEMA_ERROR_INVALID, "bad.json:4:", "needs “nullable”: true" },
};

static void
test_bad_document (gconstpointer data)
{
  const BadDocument *bad = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SetlSchema) schema = NULL;

  schema = setl_schema_new_from_data (bad->json, -1, "bad.json", &error);
  g_assert_null (schema);
  g_assert_error (error, SETL_SCHEMA_ERROR, (gint) bad->code);
  g_test_message ("%s", error->message);
  g_assert_true (g_str_has_prefix (error->message, bad->prefix));
  g_assert_nonnull (strstr (error->message, bad->fragment));
}

static void
test_from_file (void)
{
  g_autofree char *dir = schema_test_make_tmp_dir ();
  g_autofree char *good = NULL;
  g_autofree char *bad = NULL;
  g_autofree char *missing = g_build_filename (dir, "missing.json", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(SetlSchema) schema = NULL;

  good = schema_test_write_file (dir, "good.json",
                                 "{\"name\": \"g\", \"columns\": [{\"name\": \"x\", \"type\": \"bool\"}]}");
  schema = setl_schema_new_from_file (good, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (setl_schema_get_source_name (schema), ==, good);

  bad = schema_test_write_file (dir, "bad.json", "{\n\"name\": \"g\",\n\"columns\": [}\n");
  g_clear_object (&schema);
  schema = setl_schema_new_from_file (bad, &error);
  g_assert_error (error, SETL_SCHEMA_ERROR, SETL_SCHEMA_ERROR_MALFORMED);
  /* The file as given, then line 3. */
  g_assert_true (g_str_has_prefix (error->message, bad));
  g_assert_true (g_str_has_prefix (error->message + strlen (bad), ":3:"));
  g_clear_error (&error);

  schema = setl_schema_new_from_file (missing, &error);
  g_assert_error (error, SETL_SCHEMA_ERROR, SETL_SCHEMA_ERROR_IO);
  g_assert_true (g_str_has_prefix (error->message, missing));

  schema_test_remove_tree (dir);
}

static void
test_from_json_node (void)
{
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SetlSchema) schema = NULL;

  node = json_from_string ("{\"name\": \"n\", \"columns\": [{\"name\": \"a\", \"type\": \"float\"}]}", &error);
  g_assert_no_error (error);
  schema = setl_schema_new_from_json (node, "inline", &error);
  g_assert_null (schema);
  g_assert_error (error, SETL_SCHEMA_ERROR, SETL_SCHEMA_ERROR_INVALID);
  g_assert_true (g_str_has_prefix (error->message, "inline: column “a”"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/schema/document/columns", test_parse_columns);
  g_test_add_func ("/schema/document/unknown-members-kept", test_unknown_members_kept);
  g_test_add_func ("/schema/document/with-version", test_with_version);
  g_test_add_func ("/schema/document/type-names", test_type_names);
  g_test_add_func ("/schema/document/from-file", test_from_file);
  g_test_add_func ("/schema/document/from-json-node", test_from_json_node);
  for (guint i = 0; i < G_N_ELEMENTS (bad_documents); i++)
    g_test_add_data_func (bad_documents[i].path, &bad_documents[i], test_bad_document);

  return g_test_run ();
}
