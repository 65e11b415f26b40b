/* test-validation-hooks.c: schemas on factories' inputs and outputs and on
 * stage boundaries, in C and in pipeline files.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>
#include <glib/gstdio.h>

#include <setl/setl-plugin.h>
#include <setl/setl-validation.h>
#include <setl/setl-validation-hook.h>

#include "validation-test-utils.h"

static const char schema_json[] =
  "{\"name\": \"people\", \"columns\": ["
  " {\"name\": \"id\", \"type\": \"int64\", \"unique\": true},"
  " {\"name\": \"age\", \"type\": \"int64\", \"checks\": [{\"in_range\": {\"min_value\": 18, \"max_value\": 120}}]}"
  "]}";

static const char data_csv[] =
  "id,age\n"
  "1,34\n"
  "2,17\n"
  "3,40\n"
  "4,130\n"
  "5,50\n";

/* ---- a factory that gives a table --------------------------------------- */

typedef struct { SetlFactory parent_instance; SetlTable *table; } TestTableFactory;
typedef struct { SetlFactoryClass parent_class; } TestTableFactoryClass;
static GType test_table_factory_get_type (void);
G_DEFINE_TYPE (TestTableFactory, test_table_factory, SETL_TYPE_FACTORY)

static gboolean
table_factory_get (SetlFactory  *factory,
                   GValue       *output,
                   GError      **error)
{
  g_value_set_object (output, ((TestTableFactory *) factory)->table);
  return TRUE;
}

static void
table_factory_finalize (GObject *object)
{
  g_clear_object (&((TestTableFactory *) object)->table);
  G_OBJECT_CLASS (test_table_factory_parent_class)->finalize (object);
}

static void
test_table_factory_class_init (TestTableFactoryClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = table_factory_finalize;
  SETL_FACTORY_CLASS (klass)->get = table_factory_get;
  setl_factory_class_set_output_type (SETL_FACTORY_CLASS (klass), SETL_TYPE_BATCH_STREAM);
}

static void
test_table_factory_init (TestTableFactory *self)
{
}

static SetlFactory *
table_factory_new (const char *name)
{
  g_autoptr(GError) error = NULL;
  TestTableFactory *f = g_object_new (test_table_factory_get_type (), "name", name, NULL);

  f->table = vt_table_from_csv ("id:int64,age:int64\n1,34\n2,17\n3,40\n4,130\n5,50\n", 2, &error);
  g_assert_no_error (error);
  return SETL_FACTORY (f);
}

static SetlValidator *
validator_new (void)
{
  g_autoptr(GError) error = NULL;
  SetlValidator *validator = vt_validator_new (schema_json, &error);

  g_assert_no_error (error);
  return validator;
}

static gboolean
run_factory (SetlFactory  *factory,
             GValue       *output,
             GError      **error)
{
  return setl_factory_read (factory, NULL, error) &&
         setl_factory_process (factory, NULL, error) &&
         setl_factory_get (factory, output, error);
}

static void
test_hook_table_output (void)
{
  g_autoptr(SetlFactory) failing = table_factory_new ("people");
  g_autoptr(SetlFactory) dropping = table_factory_new ("people");
  g_autoptr(SetlValidator) v1 = validator_new ();
  g_autoptr(SetlValidator) v2 = validator_new ();
  g_auto(GValue) out1 = G_VALUE_INIT;
  g_auto(GValue) out2 = G_VALUE_INIT;
  g_autoptr(GError) error = NULL;
  SetlValidationReport *report;
  SetlTable *table;

  /* fail: the factory itself fails, with the report's text. */
  setl_validation_hook_add (failing, NULL, v1, SETL_VALIDATION_ACTION_FAIL);
  g_assert_false (run_factory (failing, &out1, &error));
  g_assert_error (error, SETL_VALIDATION_ERROR, SETL_VALIDATION_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "factory “people” output"));
  g_assert_nonnull (strstr (error->message, "in_range(min_value=18, max_value=120): 2 failures"));
  report = setl_validation_hook_get_report (failing, NULL);
  g_assert_nonnull (report);
  g_assert_cmpint (setl_validation_report_get_n_failures (report), ==, 2);
  g_clear_error (&error);

  /* drop: the rows that fail are gone, and counted. */
  setl_validation_hook_add (dropping, NULL, v2, SETL_VALIDATION_ACTION_DROP);
  g_assert_true (run_factory (dropping, &out2, &error));
  g_assert_no_error (error);
  table = SETL_TABLE (g_value_get_object (&out2));
  g_assert_cmpint (setl_table_get_n_rows (table), ==, 3);
  report = setl_validation_hook_get_report (dropping, NULL);
  g_assert_cmpint (setl_validation_report_get_n_dropped_rows (report), ==, 2);
}

/* warn logs a warning: run it in a subprocess and look at what it says. */
static void
test_hook_table_warn (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr(SetlFactory) warning = table_factory_new ("people");
      g_autoptr(SetlValidator) validator = validator_new ();
      g_auto(GValue) out = G_VALUE_INIT;
      g_autoptr(GError) error = NULL;

      /* Warnings are not fatal here: the point is that one is logged. */
      g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
      setl_validation_hook_add (warning, NULL, validator, SETL_VALIDATION_ACTION_WARN);
      g_assert_true (run_factory (warning, &out, &error));
      g_assert_cmpint (setl_table_get_n_rows (SETL_TABLE (g_value_get_object (&out))), ==, 5);
      g_assert_false (setl_validation_report_get_valid (setl_validation_hook_get_report (warning, NULL)));
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stderr ("*factory*people*output*fails its schema*in_range*");
}

/* A stream (not a table) stays a stream: validated as it is read. */
static void
test_hook_stream_wrap (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SetlTable) data = vt_table_from_csv ("id:int64,age:int64\n1,34\n2,17\n3,40\n4,130\n5,50\n", 2, &error);
  g_autoptr(SetlValidator) v1 = validator_new ();
  g_autoptr(SetlValidator) v2 = validator_new ();
  g_autoptr(SetlBatchStream) dropped = NULL;
  g_autoptr(SetlBatchStream) failing = NULL;
  g_autoptr(SetlValidationReport) r1 = NULL;
  g_autoptr(SetlValidationReport) r2 = NULL;
  g_autoptr(SetlTable) kept = NULL;
  g_autoptr(SetlTable) none = NULL;

  g_assert_no_error (error);
  dropped = setl_validation_hook_wrap (v1, SETL_BATCH_STREAM (data), SETL_VALIDATION_ACTION_DROP,
                                       "test", &r1);
  g_assert_false (SETL_IS_TABLE (dropped));
  kept = setl_batch_stream_collect (dropped, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (setl_table_get_n_rows (kept), ==, 3);
  g_assert_cmpint (setl_validation_report_get_n_dropped_rows (r1), ==, 2);

  failing = setl_validation_hook_wrap (v2, SETL_BATCH_STREAM (data), SETL_VALIDATION_ACTION_FAIL,
                                       "the test stream", &r2);
  none = setl_batch_stream_collect (failing, NULL, &error);
  g_assert_null (none);
  g_assert_error (error, SETL_VALIDATION_ERROR, SETL_VALIDATION_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "the test stream"));
  /* The whole report, not just the first failure. */
  g_assert_cmpint (setl_validation_report_get_n_failures (r2), ==, 2);
}

static void
test_hook_stage (void)
{
  g_autoptr(SetlStage) stage = setl_stage_new ();
  g_autoptr(SetlFactory) a = table_factory_new ("a");
  g_autoptr(SetlFactory) b = table_factory_new ("b");
  g_autoptr(SetlValidator) validator = validator_new ();
  g_auto(GValue) oa = G_VALUE_INIT;
  g_auto(GValue) ob = G_VALUE_INIT;
  g_autoptr(GError) error = NULL;

  setl_stage_add_factory (stage, a);
  setl_stage_add_factory (stage, b);
  setl_validation_hook_add_stage (stage, validator, SETL_VALIDATION_ACTION_DROP);
  g_assert_true (run_factory (a, &oa, &error));
  g_assert_true (run_factory (b, &ob, &error));
  g_assert_cmpint (setl_table_get_n_rows (SETL_TABLE (g_value_get_object (&oa))), ==, 3);
  g_assert_cmpint (setl_table_get_n_rows (SETL_TABLE (g_value_get_object (&ob))), ==, 3);
  g_assert_cmpint (setl_validation_report_get_n_dropped_rows (setl_validation_hook_get_report (b, NULL)), ==, 2);
}

/* ---- pipeline files ----------------------------------------------------- */

typedef struct {
  char *dir;
  char *schema;
  char *data;
  char *out;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("setl-vhooks-XXXXXX", &error);
  g_assert_no_error (error);
  f->schema = g_build_filename (f->dir, "people.schema.json", NULL);
  f->data = g_build_filename (f->dir, "people.csv", NULL);
  f->out = g_build_filename (f->dir, "out.csv", NULL);
  g_file_set_contents (f->schema, schema_json, -1, &error);
  g_assert_no_error (error);
  g_file_set_contents (f->data, data_csv, -1, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *command = g_strdup_printf ("rm -rf '%s'", f->dir);

  g_spawn_command_line_sync (command, NULL, NULL, NULL, NULL);
  g_free (f->dir);
  g_free (f->schema);
  g_free (f->data);
  g_free (f->out);
}

/* A csv-source → csv-sink pipeline file with @validate on @where
 * ("read" or "write"). */
static char *
write_pipeline (Fixture    *f,
                const char *where,
                const char *validate)
{
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (f->dir, "p.setl.json", NULL);

  text = g_strdup_printf (
    "{\"setl\": 1, \"name\": \"hooks\", \"factories\": ["
    " {\"name\": \"read\", \"feature\": \"csv-source\", \"properties\": {\"path\": \"${pipeline_dir}/people.csv\"}%s%s},"
    " {\"name\": \"write\", \"feature\": \"csv-sink\", \"properties\": {\"path\": \"${pipeline_dir}/out.csv\"},"
    "  \"inputs\": {\"in\": \"read\"}%s%s}]}",
    g_str_equal (where, "read") ? ", \"validate\": " : "", g_str_equal (where, "read") ? validate : "",
    g_str_equal (where, "write") ? ", \"validate\": " : "", g_str_equal (where, "write") ? validate : "");
  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
  return path;
}

static SetlPipeline *
build (const char  *path,
       GError     **error)
{
  g_autoptr(SetlPipelineFile) file = setl_pipeline_file_new_from_file (path, error);

  return file ? setl_pipeline_file_build (file, NULL, error) : NULL;
}

static void
test_file_output_drop (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *path = write_pipeline (f, "read", "{\"output\": \"people.schema.json\", \"on-failure\": \"drop\"}");
  g_autoptr(GError) error = NULL;
  g_autoptr(SetlPipeline) pipeline = build (path, &error);
  g_autofree char *contents = NULL;
  const GValue *rows;

  g_assert_no_error (error);
  g_assert_true (setl_pipeline_run (pipeline, NULL, &error));
  g_assert_no_error (error);
  rows = setl_pipeline_get_output_by_name (pipeline, "write", NULL);
  g_assert_cmpint (g_value_get_int64 (rows), ==, 3);
  g_assert_true (g_file_get_contents (f->out, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "id,age\n1,34\n3,40\n5,50\n");
}

static void
test_file_output_fail (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *path = write_pipeline (f, "read", "{\"output\": \"${pipeline_dir}/people.schema.json\"}");
  g_autoptr(GError) error = NULL;
  g_autoptr(SetlPipeline) pipeline = build (path, &error);

  g_assert_no_error (error);
  g_assert_false (setl_pipeline_run (pipeline, NULL, &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "validation of factory “read” output"));
  g_assert_nonnull (strstr (error->message, "in_range(min_value=18, max_value=120): 2 failures"));
  /* The sink writes atomically: nothing is left. */
  g_assert_false (g_file_test (f->out, G_FILE_TEST_EXISTS));
}

static void
test_file_input_drop (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *path = write_pipeline (f, "write",
                                          "{\"input\": {\"in\": \"people.schema.json\"}, \"on-failure\": \"drop\"}");
  g_autoptr(GError) error = NULL;
  g_autoptr(SetlPipeline) pipeline = build (path, &error);
  g_autofree char *contents = NULL;

  g_assert_no_error (error);
  g_assert_true (setl_pipeline_run (pipeline, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (f->out, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "id,age\n1,34\n3,40\n5,50\n");
}

static void
test_file_warn (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *path = write_pipeline (f, "read", "{\"output\": \"people.schema.json\", \"on-failure\": \"warn\"}");
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  const char *argv[] = { g_getenv ("SETL_TOOL"), "run", path, NULL };
  int status;

  g_assert_nonnull (argv[0]);
  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_assert_nonnull (strstr (err, "fails its schema"));
  g_assert_true (g_file_get_contents (f->out, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, data_csv);
}

static void
test_file_errors (Fixture       *f,
                  gconstpointer  data)
{
  static const struct { const char *where; const char *validate; const char *expect; } cases[] = {
    { "read", "{\"output\": \"missing.json\"}", "missing.json" },
    { "read", "{\"output\": \"people.schema.json\", \"on-failure\": \"explode\"}", "on-failure" },
    { "read", "{\"outptu\": \"people.schema.json\"}", "outptu" },
    { "write", "{\"input\": {\"nope\": \"people.schema.json\"}}", "no input slot “nope”" },
    { "read", "\"people.schema.json\"", "“validate” is an object" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = write_pipeline (f, cases[i].where, cases[i].validate);
      g_autoptr(GError) error = NULL;
      g_autoptr(SetlPipeline) pipeline = build (path, &error);

      g_assert_null (pipeline);
      g_assert_nonnull (error);
      if (strstr (error->message, cases[i].expect) == NULL ||
          strstr (error->message, "p.setl.json:") == NULL)
        g_error ("case %u: “%s” should name “%s” and the file", i, error->message, cases[i].expect);
    }
}


static void
test_file_stage (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->dir, "stages.setl.json", NULL);
  g_autofree char *bad = g_build_filename (f->dir, "bad.setl.json", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SetlPipeline) pipeline = NULL;
  g_autoptr(SetlPipeline) none = NULL;
  static const char body[] =
    "\"factories\": ["
    " {\"name\": \"read\", \"feature\": \"csv-source\", \"properties\": {\"path\": \"${pipeline_dir}/people.csv\"}},"
    " {\"name\": \"write\", \"feature\": \"csv-sink\", \"properties\": {\"path\": \"${pipeline_dir}/out.csv\"},"
    "  \"inputs\": {\"in\": \"read\"}}]}";
  g_autofree char *text = g_strconcat ("{\"setl\": 1, \"name\": \"stages\", \"validate-stages\": "
                                       "[{\"stage\": 1, \"schema\": \"people.schema.json\", \"on-failure\": \"drop\"}], ",
                                       body, NULL);
  g_autofree char *bad_text = g_strconcat ("{\"setl\": 1, \"name\": \"stages\", \"validate-stages\": "
                                           "[{\"stage\": 5, \"schema\": \"people.schema.json\"}], ", body, NULL);

  g_assert_true (g_file_set_contents (path, text, -1, NULL));
  g_assert_true (g_file_set_contents (bad, bad_text, -1, NULL));
  pipeline = build (path, &error);
  g_assert_no_error (error);
  g_assert_true (setl_pipeline_run (pipeline, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (f->out, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "id,age\n1,34\n3,40\n5,50\n");

  none = build (bad, &error);
  g_assert_null (none);
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "bad.setl.json:"));
  g_assert_nonnull (strstr (error->message, "not 5"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/validation-tools/hooks/table-output", test_hook_table_output);
  g_test_add_func ("/validation-tools/hooks/table-warn", test_hook_table_warn);
  g_test_add_func ("/validation-tools/hooks/stream-wrap", test_hook_stream_wrap);
  g_test_add_func ("/validation-tools/hooks/stage", test_hook_stage);
  g_test_add ("/validation-tools/hooks/file-output-drop", Fixture, NULL, fixture_set_up, test_file_output_drop, fixture_tear_down);
  g_test_add ("/validation-tools/hooks/file-output-fail", Fixture, NULL, fixture_set_up, test_file_output_fail, fixture_tear_down);
  g_test_add ("/validation-tools/hooks/file-input-drop", Fixture, NULL, fixture_set_up, test_file_input_drop, fixture_tear_down);
  g_test_add ("/validation-tools/hooks/file-warn", Fixture, NULL, fixture_set_up, test_file_warn, fixture_tear_down);
  g_test_add ("/validation-tools/hooks/file-stage", Fixture, NULL, fixture_set_up, test_file_stage, fixture_tear_down);
  g_test_add ("/validation-tools/hooks/file-errors", Fixture, NULL, fixture_set_up, test_file_errors, fixture_tear_down);

  return g_test_run ();
}
