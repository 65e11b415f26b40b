/* test-schema-cmd.c: `setl schema` as a person uses it, through
 * setl-schema-driver (a main() around setl_cmd_schema()).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "schema-test-utils.h"

#include <gio/gio.h>

typedef struct {
  char *dir;       /* scratch directory for input files */
  char *registry;  /* the registry directory, given through SETL_SCHEMA_PATH */
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->dir = schema_test_make_tmp_dir ();
  fixture->registry = g_build_filename (fixture->dir, "registry", NULL);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  schema_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->registry);
}

/* Runs the driver with the given arguments; returns its exit status and
 * fills @out and @err. */
G_GNUC_NULL_TERMINATED
static int
run (Fixture     *fixture,
     char       **out,
     char       **err,
     const char  *first_arg,
     ...)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  const char *arg;
  va_list ap;

  g_ptr_array_add (args, (gpointer) SETL_SCHEMA_DRIVER);
  va_start (ap, first_arg);
  for (arg = first_arg; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (args, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_setenv (launcher, "SETL_SCHEMA_PATH", fixture->registry, TRUE);
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C.UTF-8", TRUE);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) args->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, out, err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  return g_subprocess_get_exit_status (process);
}

static void
test_round_trip (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autofree char *v1 = schema_test_write_file (fixture->dir, "v1.json",
    "{\"name\": \"orders\", \"columns\": [{\"name\": \"id\", \"type\": \"int64\"}]}\n");
  g_autofree char *v2 = schema_test_write_file (fixture->dir, "v2.json",
    "{\"name\": \"orders\", \"columns\": [{\"name\": \"id\", \"type\": \"int64\"},\n"
    " {\"name\": \"note\", \"type\": \"string\", \"nullable\": true}]}\n");
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(SetlSchema) printed = NULL;

  g_assert_cmpint (run (fixture, &out, &err, "register", v1, NULL), ==, 0);
  g_assert_cmpstr (out, ==, "Registered schema “orders” version 1\n");
  g_assert_cmpstr (err, ==, "");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run (fixture, &out, &err, "register", v2, NULL), ==, 0);
  g_assert_cmpstr (out, ==, "Registered schema “orders” version 2\n");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run (fixture, &out, &err, "register", v2, NULL), ==, 0);
  g_assert_cmpstr (out, ==, "Schema “orders” is already registered as version 2\n");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run (fixture, &out, &err, "get", "orders@1", NULL), ==, 0);
  printed = schema_test_parse (out);
  g_assert_cmpuint (setl_schema_get_version (printed), ==, 1);
  g_assert_cmpuint (setl_schema_get_n_columns (printed), ==, 1);
  g_clear_object (&printed);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run (fixture, &out, &err, "get", "orders", NULL), ==, 0);
  printed = schema_test_parse (out);
  g_assert_cmpuint (setl_schema_get_version (printed), ==, 2);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run (fixture, &out, &err, "list", NULL), ==, 0);
  g_assert_cmpstr (out, ==, "orders\n");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run (fixture, &out, &err, "list", "orders", NULL), ==, 0);
  g_assert_cmpstr (out, ==, "1\n2\n");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run (fixture, &out, &err, "delete", "orders@1", NULL), ==, 0);
  g_assert_cmpstr (out, ==, "Deleted schema “orders” version 1\n");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run (fixture, &out, &err, "list", "orders", NULL), ==, 0);
  g_assert_cmpstr (out, ==, "2\n");
}

static void
test_compat (Fixture       *fixture,
             gconstpointer  data)
{
  g_autofree char *v1 = schema_test_write_file (fixture->dir, "v1.json",
    "{\"name\": \"orders\", \"columns\": [{\"name\": \"id\", \"type\": \"int64\"}]}\n");
  g_autofree char *v2 = schema_test_write_file (fixture->dir, "v2.json",
    "{\"name\": \"orders\", \"columns\": [{\"name\": \"id\", \"type\": \"string\"}]}\n");
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_assert_cmpint (run (fixture, &out, &err, "compat", "orders", NULL), ==, 0);
  g_assert_cmpstr (out, ==, "BACKWARD\n");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run (fixture, &out, &err, "register", v1, NULL), ==, 0);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* Refused under the default mode, naming the column and the rule. */
  g_assert_cmpint (run (fixture, &out, &err, "register", v2, NULL), ==, 1);
  g_assert_cmpstr (out, ==, "");
  g_assert_true (g_str_has_prefix (err, "setl schema: schema “orders” version 2 is not BACKWARD compatible "
                                        "with version 1: column “id”: changing its type from int64 to string"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run (fixture, &out, &err, "compat", "orders", "full_transitive", NULL), ==, 0);
  g_assert_cmpstr (out, ==, "Compatibility of “orders” set to FULL_TRANSITIVE\n");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run (fixture, &out, &err, "compat", "orders", NULL), ==, 0);
  g_assert_cmpstr (out, ==, "FULL_TRANSITIVE\n");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* --compat sets the mode, then registers under it. */
  g_assert_cmpint (run (fixture, &out, &err, "register", v2, "--compat", "NONE", NULL), ==, 0);
  g_assert_cmpstr (out, ==, "Registered schema “orders” version 2\n");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run (fixture, &out, &err, "compat", "orders", NULL), ==, 0);
  g_assert_cmpstr (out, ==, "NONE\n");
}

typedef struct {
  const char *path;
  const char *args[4];
  const char *stderr_fragment;
} Failure;

static const Failure failures[] = {
  { "/schema/cmd/fail/no-action", { NULL }, "an action is needed" },
  { "/schema/cmd/fail/unknown-action", { "frobnicate", NULL }, "unknown action “frobnicate”" },
  { "/schema/cmd/fail/unknown-name", { "get", "nothing", NULL }, "no schema “nothing”" },
  { "/schema/cmd/fail/bad-reference", { "get", "orders@zero", NULL }, "after “@” expected “latest” or a version number" },
  { "/schema/cmd/fail/delete-needs-version", { "delete", "orders", NULL }, "delete needs an explicit version" },
  { "/schema/cmd/fail/bad-mode", { "compat", "orders", "SIDEWAYS", NULL }, "“SIDEWAYS” is not a compatibility mode" },
  { "/schema/cmd/fail/missing-file", { "register", "/nonexistent/x.json", NULL }, "/nonexistent/x.json: cannot read schema" },
  { "/schema/cmd/fail/list-unknown", { "list", "nothing", NULL }, "no schema “nothing”" },
  { "/schema/cmd/fail/too-many", { "get", "a", "b", NULL }, "get takes one" },
};

static void
test_failure (Fixture       *fixture,
              gconstpointer  data)
{
  const Failure *failure = data;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status;

  status = run (fixture, &out, &err, failure->args[0], failure->args[1], failure->args[2], NULL);
  g_test_message ("%s", err);
  g_assert_cmpint (status, ==, 1);
  g_assert_cmpstr (out, ==, "");
  g_assert_true (g_str_has_prefix (err, "setl schema: "));
  g_assert_nonnull (strstr (err, failure->stderr_fragment));
}

/* A malformed file is refused with its name and line; nothing is stored. */
static void
test_malformed_file (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *bad = schema_test_write_file (fixture->dir, "bad.json",
    "{\n  \"name\": \"orders\",\n  \"columns\": [\n    {\"name\": \"id\", \"type\": \"integer\"}\n  ]\n}\n");
  g_autofree char *expected = g_strdup_printf ("setl schema: %s:4: column “id”: member “type” must be one of", bad);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_assert_cmpint (run (fixture, &out, &err, "register", bad, NULL), ==, 1);
  g_assert_true (g_str_has_prefix (err, expected));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run (fixture, &out, &err, "list", NULL), ==, 0);
  g_assert_cmpstr (out, ==, "");
}

static void
test_help (Fixture       *fixture,
           gconstpointer  data)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_assert_cmpint (run (fixture, &out, &err, "--help", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "setl schema register FILE [--compat MODE]"));
}

/* --path wins over SETL_SCHEMA_PATH. */
static void
test_path_option (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *other = g_build_filename (fixture->dir, "other", NULL);
  g_autofree char *v1 = schema_test_write_file (fixture->dir, "v1.json",
    "{\"name\": \"t\", \"columns\": []}\n");
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *file = g_build_filename (other, "t", "1.json", NULL);

  g_assert_cmpint (run (fixture, &out, &err, "--path", other, "register", v1, NULL), ==, 0);
  g_assert_true (g_file_test (file, G_FILE_TEST_IS_REGULAR));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run (fixture, &out, &err, "list", NULL), ==, 0);
  g_assert_cmpstr (out, ==, "");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/schema/cmd/round-trip", Fixture, NULL, fixture_set_up, test_round_trip, fixture_tear_down);
  g_test_add ("/schema/cmd/compat", Fixture, NULL, fixture_set_up, test_compat, fixture_tear_down);
  g_test_add ("/schema/cmd/malformed-file", Fixture, NULL, fixture_set_up, test_malformed_file, fixture_tear_down);
  g_test_add ("/schema/cmd/help", Fixture, NULL, fixture_set_up, test_help, fixture_tear_down);
  g_test_add ("/schema/cmd/path-option", Fixture, NULL, fixture_set_up, test_path_option, fixture_tear_down);
  for (guint i = 0; i < G_N_ELEMENTS (failures); i++)
    g_test_add (failures[i].path, Fixture, &failures[i], fixture_set_up, test_failure, fixture_tear_down);

  return g_test_run ();
}
