/* test-schema-registry.c: storing, finding and deleting versions on disk,
 * bad files, and two processes registering at once.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "schema-test-utils.h"

#include <gio/gio.h>

#define ORDERS_V1 "{\"name\": \"orders\", \"columns\": [{\"name\": \"id\", \"type\": \"int64\"}]}"
#define ORDERS_V2 "{\"name\": \"orders\", \"columns\": [{\"name\": \"id\", \"type\": \"int64\"}, " \
                  "{\"name\": \"note\", \"type\": \"string\", \"nullable\": true}]}"
#define ORDERS_V3 "{\"name\": \"orders\", \"columns\": [{\"name\": \"id\", \"type\": \"int64\"}, " \
                  "{\"name\": \"note\", \"type\": \"string\", \"nullable\": true}, " \
                  "{\"name\": \"day\", \"type\": \"date\", \"nullable\": true}]}"

static SetlSchema *
register_json (SetlSchemaRegistry *registry,
               const char         *json)
{
  g_autoptr(SetlSchema) schema = schema_test_parse (json);
  g_autoptr(GError) error = NULL;
  SetlSchema *stored = setl_schema_registry_register (registry, schema, &error);

  g_assert_no_error (error);
  g_assert_nonnull (stored);
  return stored;
}

static GArray *
versions_of (SetlSchemaRegistry *registry,
             const char         *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree guint *versions = NULL;
  gsize n = 0;
  GArray *result;

  versions = setl_schema_registry_list_versions (registry, name, &n, &error);
  g_assert_no_error (error);
  result = g_array_new (FALSE, FALSE, sizeof (guint));
  g_array_append_vals (result, versions, n);
  return result;
}

static void
test_register_get_list_delete (void)
{
  g_autofree char *dir = schema_test_make_tmp_dir ();
  g_autoptr(SetlSchemaRegistry) registry = setl_schema_registry_new (dir);
  g_autoptr(SetlSchema) v1 = NULL;
  g_autoptr(SetlSchema) v2 = NULL;
  g_autoptr(SetlSchema) other = NULL;
  g_autoptr(SetlSchema) got = NULL;
  g_autoptr(GArray) versions = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) names = NULL;

  g_assert_cmpstr (setl_schema_registry_get_path (registry), ==, dir);
  names = setl_schema_registry_list_names (registry, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (names), ==, 0);
  g_clear_pointer (&names, g_strfreev);

  v1 = register_json (registry, ORDERS_V1);
  g_assert_cmpuint (setl_schema_get_version (v1), ==, 1);
  v2 = register_json (registry, ORDERS_V2);
  g_assert_cmpuint (setl_schema_get_version (v2), ==, 2);
  other = register_json (registry, "{\"name\": \"customers\", \"columns\": []}");
  g_assert_cmpuint (setl_schema_get_version (other), ==, 1);

  names = setl_schema_registry_list_names (registry, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (names), ==, 2);
  g_assert_cmpstr (names[0], ==, "customers");
  g_assert_cmpstr (names[1], ==, "orders");

  versions = versions_of (registry, "orders");
  g_assert_cmpuint (versions->len, ==, 2);
  g_assert_cmpuint (g_array_index (versions, guint, 0), ==, 1);
  g_assert_cmpuint (g_array_index (versions, guint, 1), ==, 2);

  got = setl_schema_registry_get (registry, "orders", 1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (setl_schema_get_version (got), ==, 1);
  g_assert_cmpuint (setl_schema_get_n_columns (got), ==, 1);
  g_clear_object (&got);

  got = setl_schema_registry_lookup (registry, "orders@latest", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (setl_schema_get_version (got), ==, 2);
  g_assert_nonnull (setl_schema_lookup_column (got, "note"));
  g_clear_object (&got);

  got = setl_schema_registry_lookup (registry, "orders", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (setl_schema_get_version (got), ==, 2);
  g_clear_object (&got);

  got = setl_schema_registry_lookup (registry, "orders@1", &error);
  g_assert_no_error (error);
  g_assert_true (setl_schema_equal_content (got, v1));
  g_clear_object (&got);

  /* Delete the latest: "latest" moves back, and the number is free again. */
  g_assert_true (setl_schema_registry_delete_version (registry, "orders", 2, &error));
  g_assert_no_error (error);
  got = setl_schema_registry_lookup (registry, "orders@latest", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (setl_schema_get_version (got), ==, 1);
  g_clear_object (&got);
  got = setl_schema_registry_lookup (registry, "orders@2", &error);
  g_assert_error (error, SETL_SCHEMA_ERROR, SETL_SCHEMA_ERROR_NOT_FOUND);
  g_assert_cmpstr (error->message, ==, "schema “orders” has no version 2 (it has 1)");
  g_clear_error (&error);

  g_assert_false (setl_schema_registry_delete_version (registry, "orders", 2, &error));
  g_assert_error (error, SETL_SCHEMA_ERROR, SETL_SCHEMA_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Deleting the last version removes the name from the list. */
  g_assert_true (setl_schema_registry_delete_version (registry, "customers", 1, &error));
  g_clear_pointer (&names, g_strfreev);
  names = setl_schema_registry_list_names (registry, &error);
  g_assert_cmpuint (g_strv_length (names), ==, 1);
  g_assert_cmpstr (names[0], ==, "orders");

  schema_test_remove_tree (dir);
}

/* Version files are whole documents, with their version, and nothing else
 * is left in the directory. */
static void
test_files_on_disk (void)
{
  g_autofree char *dir = schema_test_make_tmp_dir ();
  g_autoptr(SetlSchemaRegistry) registry = setl_schema_registry_new (dir);
  g_autoptr(SetlSchema) v1 = register_json (registry, ORDERS_V1);
  g_autofree char *file = g_build_filename (dir, "orders", "1.json", NULL);
  g_autofree char *name_dir = g_build_filename (dir, "orders", NULL);
  g_autoptr(SetlSchema) reread = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) listing = NULL;
  const char *entry;

  reread = setl_schema_new_from_file (file, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (setl_schema_get_version (reread), ==, 1);
  g_assert_cmpstr (setl_schema_get_name (reread), ==, "orders");

  listing = g_dir_open (name_dir, 0, &error);
  g_assert_no_error (error);
  while ((entry = g_dir_read_name (listing)) != NULL)
    g_assert_true (g_str_equal (entry, "1.json") || g_str_equal (entry, ".lock"));

  schema_test_remove_tree (dir);
}

static void
test_default_path (void)
{
  g_autofree char *dir = schema_test_make_tmp_dir ();
  g_autoptr(SetlSchemaRegistry) from_env = NULL;
  g_autoptr(SetlSchemaRegistry) fallback = NULL;
  g_autofree char *expected = NULL;

  g_setenv ("SETL_SCHEMA_PATH", dir, TRUE);
  from_env = setl_schema_registry_new (NULL);
  g_assert_cmpstr (setl_schema_registry_get_path (from_env), ==, dir);

  g_unsetenv ("SETL_SCHEMA_PATH");
  fallback = setl_schema_registry_new (NULL);
  expected = g_build_filename (g_get_user_data_dir (), "setl", "schemas", NULL);
  g_assert_cmpstr (setl_schema_registry_get_path (fallback), ==, expected);

  schema_test_remove_tree (dir);
}

static void
test_references (void)
{
  const char *bad[] = { "", "@3", "orders@", "orders@0", "orders@-1", "orders@x",
                        "orders@3@4", "../orders", "orders@+3", ".hidden", "a b" };
  g_autofree char *name = NULL;
  guint version = 99;
  g_autoptr(GError) error = NULL;

  g_assert_true (setl_schema_parse_reference ("sales.orders-v2@17", &name, &version, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (name, ==, "sales.orders-v2");
  g_assert_cmpuint (version, ==, 17);
  g_clear_pointer (&name, g_free);

  g_assert_true (setl_schema_parse_reference ("orders@latest", &name, &version, &error));
  g_assert_cmpuint (version, ==, SETL_SCHEMA_VERSION_LATEST);
  g_clear_pointer (&name, g_free);
  version = 99;
  g_assert_true (setl_schema_parse_reference ("orders", &name, &version, &error));
  g_assert_cmpuint (version, ==, SETL_SCHEMA_VERSION_LATEST);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_assert_false (setl_schema_parse_reference (bad[i], NULL, NULL, &error));
      g_assert_error (error, SETL_SCHEMA_ERROR, SETL_SCHEMA_ERROR_INVALID_REFERENCE);
      g_assert_nonnull (strstr (error->message, bad[i]));
      g_clear_error (&error);
    }
}

static void
test_not_found (void)
{
  g_autofree char *dir = schema_test_make_tmp_dir ();
  g_autoptr(SetlSchemaRegistry) registry = setl_schema_registry_new (dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(SetlSchema) got = NULL;
  gsize n = 7;

  got = setl_schema_registry_lookup (registry, "nothing@latest", &error);
  g_assert_null (got);
  g_assert_error (error, SETL_SCHEMA_ERROR, SETL_SCHEMA_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "no schema “nothing”"));
  g_assert_nonnull (strstr (error->message, dir));
  g_clear_error (&error);

  g_assert_null (setl_schema_registry_list_versions (registry, "nothing", &n, &error));
  g_assert_cmpuint (n, ==, 0);
  g_assert_error (error, SETL_SCHEMA_ERROR, SETL_SCHEMA_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_false (setl_schema_registry_delete_version (registry, "nothing", 1, &error));
  g_assert_error (error, SETL_SCHEMA_ERROR, SETL_SCHEMA_ERROR_NOT_FOUND);
  g_clear_error (&error);

  got = setl_schema_registry_get (registry, "../etc", 1, &error);
  g_assert_error (error, SETL_SCHEMA_ERROR, SETL_SCHEMA_ERROR_INVALID_REFERENCE);

  schema_test_remove_tree (dir);
}

/* The same document again is the same version; equal to an older version,
 * that older version. */
static void
test_register_again (void)
{
  g_autofree char *dir = schema_test_make_tmp_dir ();
  g_autoptr(SetlSchemaRegistry) registry = setl_schema_registry_new (dir);
  g_autoptr(SetlSchema) a = register_json (registry, ORDERS_V1);
  g_autoptr(SetlSchema) b = register_json (registry, ORDERS_V2);
  g_autoptr(SetlSchema) again = register_json (registry, ORDERS_V2);
  g_autoptr(SetlSchema) older = register_json (registry, ORDERS_V1);
  g_autoptr(GArray) versions = versions_of (registry, "orders");

  g_assert_cmpuint (setl_schema_get_version (again), ==, 2);
  g_assert_cmpuint (setl_schema_get_version (older), ==, 1);
  g_assert_cmpuint (versions->len, ==, 2);

  schema_test_remove_tree (dir);
}

static void
test_explicit_version (void)
{
  g_autofree char *dir = schema_test_make_tmp_dir ();
  g_autoptr(SetlSchemaRegistry) registry = setl_schema_registry_new (dir);
  g_autoptr(SetlSchema) v5 = NULL;
  g_autoptr(SetlSchema) next = NULL;
  g_autoptr(SetlSchema) low = NULL;
  g_autoptr(SetlSchema) clash = NULL;
  g_autoptr(SetlSchema) stored = NULL;
  g_autoptr(GError) error = NULL;

  v5 = register_json (registry,
                      "{\"name\": \"orders\", \"version\": 5, \"columns\": [{\"name\": \"id\", \"type\": \"int64\"}]}");
  g_assert_cmpuint (setl_schema_get_version (v5), ==, 5);
  next = register_json (registry, ORDERS_V2);
  g_assert_cmpuint (setl_schema_get_version (next), ==, 6);

  low = schema_test_parse ("{\"name\": \"orders\", \"version\": 3, \"columns\": "
                           "[{\"name\": \"id\", \"type\": \"int64\"}]}");
  stored = setl_schema_registry_register (registry, low, &error);
  g_assert_error (error, SETL_SCHEMA_ERROR, SETL_SCHEMA_ERROR_VERSION_EXISTS);
  g_assert_nonnull (strstr (error->message, "version 6 is registered already"));
  g_clear_error (&error);

  clash = schema_test_parse ("{\"name\": \"orders\", \"version\": 6, \"columns\": []}");
  stored = setl_schema_registry_register (registry, clash, &error);
  g_assert_error (error, SETL_SCHEMA_ERROR, SETL_SCHEMA_ERROR_VERSION_EXISTS);
  g_assert_nonnull (strstr (error->message, "version 6 is already registered"));

  schema_test_remove_tree (dir);
}

static void
test_compatibility_setting (void)
{
  g_autofree char *dir = schema_test_make_tmp_dir ();
  g_autoptr(SetlSchemaRegistry) registry = setl_schema_registry_new (dir);
  g_autoptr(SetlSchemaRegistry) reopened = NULL;
  g_autoptr(SetlSchema) v1 = NULL;
  g_autoptr(SetlSchema) required = NULL;
  g_autoptr(SetlSchema) v3 = NULL;
  g_autoptr(SetlSchema) stored = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *file = NULL;
  SetlSchemaCompatibility mode = SETL_SCHEMA_COMPATIBILITY_NONE;

  /* BACKWARD by default, as in Confluent's registry: adding a required
   * column is refused. */
  g_assert_true (setl_schema_registry_get_compatibility (registry, "orders", &mode, &error));
  g_assert_cmpint (mode, ==, SETL_SCHEMA_COMPATIBILITY_BACKWARD);
  v1 = register_json (registry, ORDERS_V1);
  required = schema_test_parse ("{\"name\": \"orders\", \"columns\": [{\"name\": \"id\", \"type\": \"int64\"}, "
                                "{\"name\": \"qty\", \"type\": \"int64\"}]}");
  stored = setl_schema_registry_register (registry, required, &error);
  g_assert_error (error, SETL_SCHEMA_ERROR, SETL_SCHEMA_ERROR_INCOMPATIBLE);
  g_assert_nonnull (strstr (error->message, "not BACKWARD compatible with version 1: column “qty”"));
  g_clear_error (&error);

  /* Stored per name, seen by another registry object on the directory. */
  g_assert_true (setl_schema_registry_set_compatibility (registry, "orders", SETL_SCHEMA_COMPATIBILITY_FORWARD, &error));
  g_assert_no_error (error);
  reopened = setl_schema_registry_new (dir);
  g_assert_true (setl_schema_registry_get_compatibility (reopened, "orders", &mode, &error));
  g_assert_cmpint (mode, ==, SETL_SCHEMA_COMPATIBILITY_FORWARD);
  g_assert_true (setl_schema_registry_get_compatibility (reopened, "customers", &mode, &error));
  g_assert_cmpint (mode, ==, SETL_SCHEMA_COMPATIBILITY_BACKWARD);
  stored = setl_schema_registry_register (reopened, required, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (setl_schema_get_version (stored), ==, 2);

  /* A mode file someone broke is reported, not taken for the default. */
  file = g_build_filename (dir, "orders", "compatibility.json", NULL);
  g_assert_true (g_file_set_contents (file, "{\"compatibility\": \"SIDEWAYS\"}", -1, NULL));
  g_assert_false (setl_schema_registry_get_compatibility (reopened, "orders", &mode, &error));
  g_assert_error (error, SETL_SCHEMA_ERROR, SETL_SCHEMA_ERROR_CORRUPT);
  g_assert_true (g_str_has_prefix (error->message, file));
  g_clear_error (&error);
  g_clear_object (&stored);
  v3 = schema_test_parse (ORDERS_V3);
  stored = setl_schema_registry_register (reopened, v3, &error);
  g_assert_error (error, SETL_SCHEMA_ERROR, SETL_SCHEMA_ERROR_CORRUPT);

  schema_test_remove_tree (dir);
}

/* A damaged version file fails clearly when it is read and when a check
 * needs it; the other versions stay readable and it is never overwritten. */
static void
test_corrupt_version (void)
{
  g_autofree char *dir = schema_test_make_tmp_dir ();
  g_autoptr(SetlSchemaRegistry) registry = setl_schema_registry_new (dir);
  g_autoptr(SetlSchema) v1 = register_json (registry, ORDERS_V1);
  g_autoptr(SetlSchema) v2 = register_json (registry, ORDERS_V2);
  g_autoptr(SetlSchema) v3 = register_json (registry, ORDERS_V3);
  g_autoptr(SetlSchema) empty = NULL;
  g_autoptr(SetlSchema) again = NULL;
  g_autoptr(SetlSchema) got = NULL;
  g_autoptr(SetlSchema) stored = NULL;
  g_autoptr(GArray) versions = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *file2 = g_build_filename (dir, "orders", "2.json", NULL);
  g_autofree char *file3 = g_build_filename (dir, "orders", "3.json", NULL);
  g_autofree char *contents = NULL;
  g_autofree char *truncated = NULL;
  g_autofree char *after = NULL;
  g_autofree char *expected_prefix = NULL;

  /* Truncate version 2 in the middle of its third line. */
  g_assert_true (g_file_get_contents (file2, &contents, NULL, NULL));
  truncated = g_strndup (contents, strstr (strstr (strstr (contents, "\n") + 1, "\n") + 1, "\n") - contents - 3);
  g_assert_true (g_file_set_contents (file2, truncated, -1, NULL));

  got = setl_schema_registry_lookup (registry, "orders@2", &error);
  g_assert_null (got);
  g_assert_error (error, SETL_SCHEMA_ERROR, SETL_SCHEMA_ERROR_CORRUPT);
  g_test_message ("%s", error->message);
  expected_prefix = g_strdup_printf ("%s:", file2);
  g_assert_true (g_str_has_prefix (error->message, expected_prefix));
  g_assert_nonnull (strstr (error->message, "malformed JSON"));
  g_clear_error (&error);

  got = setl_schema_registry_lookup (registry, "orders@1", &error);
  g_assert_no_error (error);
  g_clear_object (&got);
  got = setl_schema_registry_lookup (registry, "orders@latest", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (setl_schema_get_version (got), ==, 3);
  g_clear_object (&got);
  versions = versions_of (registry, "orders");
  g_assert_cmpuint (versions->len, ==, 3);

  /* Version 3 holding another schema's document is corrupt too. */
  g_assert_true (g_file_set_contents (file3,
    "{\"name\": \"customers\", \"version\": 3, \"columns\": []}\n", -1, NULL));
  got = setl_schema_registry_lookup (registry, "orders@3", &error);
  g_assert_error (error, SETL_SCHEMA_ERROR, SETL_SCHEMA_ERROR_CORRUPT);
  g_assert_nonnull (strstr (error->message, "holds schema “customers” version 3 where “orders” version 3 belongs"));
  g_clear_error (&error);

  /* BACKWARD needs the latest version, which is unreadable: refuse, say
   * which file, leave it alone. */
  empty = schema_test_parse ("{\"name\": \"orders\", \"columns\": []}");
  stored = setl_schema_registry_register (registry, empty, &error);
  g_assert_null (stored);
  g_assert_error (error, SETL_SCHEMA_ERROR, SETL_SCHEMA_ERROR_CORRUPT);
  g_assert_true (g_str_has_prefix (error->message, "cannot check BACKWARD compatibility of schema “orders”: "));
  g_assert_nonnull (strstr (error->message, file3));
  g_clear_error (&error);

  /* Transitive modes need every version: version 2's damage shows there. */
  g_assert_true (setl_schema_registry_delete_version (registry, "orders", 3, &error));
  g_assert_true (setl_schema_registry_set_compatibility (registry, "orders",
                                                        SETL_SCHEMA_COMPATIBILITY_BACKWARD_TRANSITIVE, &error));
  again = schema_test_parse (ORDERS_V3);
  stored = setl_schema_registry_register (registry, again, &error);
  g_assert_error (error, SETL_SCHEMA_ERROR, SETL_SCHEMA_ERROR_CORRUPT);
  g_assert_nonnull (strstr (error->message, file2));
  g_clear_error (&error);

  /* Without checks, registration goes on past the damaged file, which
   * keeps its bytes. */
  g_assert_true (setl_schema_registry_set_compatibility (registry, "orders",
                                                        SETL_SCHEMA_COMPATIBILITY_NONE, &error));
  stored = setl_schema_registry_register (registry, again, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (setl_schema_get_version (stored), ==, 3);
  g_assert_true (g_file_get_contents (file2, &after, NULL, NULL));
  g_assert_cmpstr (after, ==, truncated);

  schema_test_remove_tree (dir);
}

/* Two processes register 25 versions each into one name at the same time.
 * Every registration must end up as its own version, numbered 1..50 without
 * gaps or duplicates, each file whole. */
static void
test_concurrent_processes (void)
{
  const guint per_process = 25;
  g_autofree char *dir = schema_test_make_tmp_dir ();
  g_autofree char *count = g_strdup_printf ("%u", per_process);
  g_autoptr(SetlSchemaRegistry) registry = setl_schema_registry_new (dir);
  g_autoptr(GSubprocess) a = NULL;
  g_autoptr(GSubprocess) b = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) versions = NULL;
  g_autoptr(GHashTable) columns = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *out_a = NULL;
  g_autofree char *out_b = NULL;
  g_autofree char *err_a = NULL;
  g_autofree char *err_b = NULL;
  g_auto(GStrv) lines_a = NULL;
  g_auto(GStrv) lines_b = NULL;
  g_autoptr(GDir) listing = NULL;
  const char *entry;
  g_autofree char *name_dir = g_build_filename (dir, "orders", NULL);

  a = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error,
                        SCHEMA_REGISTER_HELPER, dir, "orders", "a", count, NULL);
  g_assert_no_error (error);
  b = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error,
                        SCHEMA_REGISTER_HELPER, dir, "orders", "b", count, NULL);
  g_assert_no_error (error);

  g_subprocess_communicate_utf8 (a, NULL, NULL, &out_a, &err_a, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (b, NULL, NULL, &out_b, &err_b, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (err_a, ==, "");
  g_assert_cmpstr (err_b, ==, "");
  g_assert_true (g_subprocess_get_if_exited (a) && g_subprocess_get_exit_status (a) == 0);
  g_assert_true (g_subprocess_get_if_exited (b) && g_subprocess_get_exit_status (b) == 0);

  /* Each process saw its own versions grow. */
  lines_a = g_strsplit (g_strstrip (out_a), "\n", -1);
  lines_b = g_strsplit (g_strstrip (out_b), "\n", -1);
  g_assert_cmpuint (g_strv_length (lines_a), ==, per_process);
  g_assert_cmpuint (g_strv_length (lines_b), ==, per_process);

  versions = versions_of (registry, "orders");
  g_assert_cmpuint (versions->len, ==, 2 * per_process);
  for (guint i = 0; i < versions->len; i++)
    {
      g_autoptr(SetlSchema) schema = NULL;
      guint version = g_array_index (versions, guint, i);

      g_assert_cmpuint (version, ==, i + 1);
      schema = setl_schema_registry_get (registry, "orders", version, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (setl_schema_get_n_columns (schema), ==, 2);
      g_hash_table_add (columns, g_strdup (setl_schema_column_get_name (setl_schema_get_column (schema, 1))));
    }
  /* 50 distinct documents: nobody's registration was lost or doubled. */
  g_assert_cmpuint (g_hash_table_size (columns), ==, 2 * per_process);

  listing = g_dir_open (name_dir, 0, &error);
  g_assert_no_error (error);
  while ((entry = g_dir_read_name (listing)) != NULL)
    g_assert_false (g_str_has_prefix (entry, ".tmp-"));

  schema_test_remove_tree (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/schema/registry/register-get-list-delete", test_register_get_list_delete);
  g_test_add_func ("/schema/registry/files-on-disk", test_files_on_disk);
  g_test_add_func ("/schema/registry/default-path", test_default_path);
  g_test_add_func ("/schema/registry/references", test_references);
  g_test_add_func ("/schema/registry/not-found", test_not_found);
  g_test_add_func ("/schema/registry/register-again", test_register_again);
  g_test_add_func ("/schema/registry/explicit-version", test_explicit_version);
  g_test_add_func ("/schema/registry/compatibility-setting", test_compatibility_setting);
  g_test_add_func ("/schema/registry/corrupt-version", test_corrupt_version);
  g_test_add_func ("/schema/registry/concurrent-processes", test_concurrent_processes);

  return g_test_run ();
}
