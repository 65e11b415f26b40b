/* test-pipeline-cmd.c: the built `setl` tool's run, check and graph
 * commands on pipeline files — exit statuses, what they print, the report
 * file, plain progress lines when the output is not a terminal. Uses the
 * suite's test plugin. */
#include "pf-test-util.h"

#include <signal.h>
#include <string.h>

#include <json-glib/json-glib.h>

typedef struct
{
  char *dir;
  char *good;       /* a valid pipeline writing dir/out.txt */
  char *failing;    /* one whose middle factory fails */
  char *invalid;    /* one with a misspelled property */
} Fixture;

static const char *good_json =
  "{\n"
  "  \"setl\": 1,\n"
  "  \"name\": \"greeting\",\n"
  "  \"parameters\": { \"word\": { \"type\": \"string\", \"default\": \"hi\", \"description\": \"what to say\" } },\n"
  "  \"factories\": [\n"
  "    { \"name\": \"left\", \"feature\": \"pf-source\", \"properties\": { \"text\": \"${word}\", \"delay-ms\": 50 } },\n"
  "    { \"name\": \"right\", \"feature\": \"pf-source\", \"properties\": { \"text\": \"there\" } },\n"
  "    { \"name\": \"both\", \"feature\": \"pf-concat\", \"properties\": { \"separator\": \" \" },\n"
  "      \"inputs\": { \"left\": \"left\", \"right\": \"right\" } },\n"
  "    { \"name\": \"out\", \"feature\": \"pf-sink\", \"properties\": { \"location\": \"${pipeline_dir}/out.txt\" },\n"
  "      \"inputs\": \"both\" }\n"
  "  ]\n"
  "}\n";

static const char *failing_json =
  "{ \"setl\": 1, \"name\": \"doomed\", \"factories\": [\n"
  "  { \"name\": \"src\", \"feature\": \"pf-source\" },\n"
  "  { \"name\": \"boom\", \"feature\": \"pf-fail\", \"inputs\": \"src\" },\n"
  "  { \"name\": \"out\", \"feature\": \"pf-sink\", \"properties\": { \"location\": \"${pipeline_dir}/never.txt\" },\n"
  "    \"inputs\": \"boom\" } ] }\n";

static const char *invalid_json =
  "{ \"setl\": 1, \"factories\": [\n"
  "  { \"name\": \"src\", \"feature\": \"pf-source\", \"properties\": { \"cuont\": 2 } } ] }\n";

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  f->dir = pf_temp_dir ();
  f->good = pf_write_file (f->dir, "good.setl.json", good_json);
  f->failing = pf_write_file (f->dir, "failing.setl.json", failing_json);
  f->invalid = pf_write_file (f->dir, "invalid.setl.json", invalid_json);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  pf_remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->good);
  g_free (f->failing);
  g_free (f->invalid);
}

static char *
read_file (const char *dir, const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  char *contents = NULL;

  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return NULL;
  return contents;
}

static void
test_check_valid (Fixture *f, gconstpointer data)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *expected_head = g_strdup_printf ("%s: pipeline “greeting” is valid: 4 factories in 3 stages\n", f->good);

  g_assert_cmpint (pf_run_tool (NULL, &out, &err, "check", f->good, NULL), ==, 0);
  g_assert_true (g_str_has_prefix (out, expected_head));
  g_assert_nonnull (strstr (out, "  word (string) = hi — what to say\n"));
  g_assert_nonnull (strstr (out, "stage 0:\n  left                 pf-source\n  right                pf-source\n"));
  g_assert_nonnull (strstr (out, "stage 1:\n  both                 pf-concat      left ← left, right ← right\n"));
  g_assert_nonnull (strstr (out, "stage 2:\n  out                  pf-sink        in ← both\n"));
  /* check runs nothing */
  g_assert_null (read_file (f->dir, "out.txt"));

  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (pf_run_tool (NULL, &out, &err, "check", f->good, "--param", "word=yo", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "  word (string) = yo — what to say\n"));
}

static void
test_check_invalid (Fixture *f, gconstpointer data)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *expected = g_strdup_printf (
    "setl check: %s:2:60: factory “src”: feature “pf-source” has no property “cuont”; did you mean “count”?\n",
    f->invalid);
  g_autofree char *missing = g_build_filename (f->dir, "missing.setl.json", NULL);

  g_assert_cmpint (pf_run_tool (NULL, &out, &err, "check", f->invalid, NULL), ==, 1);
  g_assert_cmpstr (err, ==, expected);
  g_assert_cmpstr (out, ==, "");

  g_clear_pointer (&err, g_free);
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (pf_run_tool (NULL, &out, &err, "check", f->good, "--param", "wrod=x", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "no parameter “wrod”; did you mean “word”?"));

  g_clear_pointer (&err, g_free);
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (pf_run_tool (NULL, &out, &err, "check", missing, NULL), ==, 1);
  g_assert_nonnull (strstr (err, "missing.setl.json"));

  g_clear_pointer (&err, g_free);
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (pf_run_tool (NULL, &out, &err, "check", NULL), ==, 2);
  g_assert_nonnull (strstr (err, "Usage: setl check FILE"));
}

static void
test_graph (Fixture *f, gconstpointer data)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_assert_cmpint (pf_run_tool (NULL, &out, &err, "graph", f->good, NULL), ==, 0);
  g_assert_true (g_str_has_prefix (out, "flowchart LR\n"));
  g_assert_nonnull (strstr (out, "left<br/>PfSource"));
  g_assert_nonnull (strstr (out, "-->|\"in (both)\"|"));

  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (pf_run_tool (NULL, &out, &err, "graph", "--format", "dot", f->good, NULL), ==, 0);
  g_assert_true (g_str_has_prefix (out, "digraph pipeline {\n"));
  g_assert_nonnull (strstr (out, "both"));

  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (pf_run_tool (NULL, &out, &err, "graph", "--format", "svg", f->good, NULL), ==, 2);
  g_assert_cmpstr (err, ==, "setl graph: unknown format “svg” (mermaid or dot)\n");

  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (pf_run_tool (NULL, &out, &err, "graph", f->invalid, NULL), ==, 1);
  g_assert_true (g_str_has_prefix (err, "setl graph: "));
}

static JsonObject *
load_report (const char *path, JsonParser *parser)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (json_parser_load_from_file (parser, path, &error));
  g_assert_no_error (error);
  return json_node_get_object (json_parser_get_root (parser));
}

static void
test_run_success (Fixture *f, gconstpointer data)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *report = g_build_filename (f->dir, "report.json", NULL);
  g_autofree char *written = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *root;
  g_auto(GStrv) lines = NULL;
  guint n_started = 0, n_succeeded = 0;

  g_assert_cmpint (pf_run_tool (NULL, &out, &err, "run", f->good, "--report", report, NULL), ==, 0);
  written = read_file (f->dir, "out.txt");
  g_assert_cmpstr (written, ==, "hi there\n");

  /* Not a terminal: one plain line per event, nothing redrawn. */
  g_assert_null (strchr (out, '\r'));
  g_assert_null (strchr (out, '\033'));
  lines = g_strsplit (out, "\n", -1);
  {
    g_autofree char *first = g_strdup_printf ("running pipeline “greeting” (%s): 4 factories in 3 stages", f->good);

    g_assert_cmpstr (lines[0], ==, first);
  }
  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (strstr (lines[i], "] started   ") != NULL)
        n_started++;
      if (strstr (lines[i], "] succeeded ") != NULL)
        n_succeeded++;
    }
  g_assert_cmpuint (n_started, ==, 4);
  g_assert_cmpuint (n_succeeded, ==, 4);
  g_assert_nonnull (strstr (out, "] started   left (pf-source), job group greeting/stage-0/left\n"));
  g_assert_nonnull (strstr (out, "\nout wrote 1 row\npipeline “greeting” succeeded in "));
  g_assert_cmpstr (err, ==, "");

  root = load_report (report, parser);
  g_assert_cmpstr (json_object_get_string_member (root, "pipeline"), ==, "greeting");
  g_assert_true (json_object_get_boolean_member (root, "succeeded"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "factories")), ==, 4);
  /* written atomically: no temporary file left beside it */
  {
    GDir *d = g_dir_open (f->dir, 0, NULL);
    const char *name;
    guint n = 0;

    while ((name = g_dir_read_name (d)) != NULL)
      if (g_str_has_prefix (name, "report.json"))
        n++;
    g_dir_close (d);
    g_assert_cmpuint (n, ==, 1);
  }
}

static void
test_run_param (Fixture *f, gconstpointer data)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *written = NULL;

  g_assert_cmpint (pf_run_tool (NULL, &out, &err, "run", "-q", f->good, "--param", "word=hello", NULL), ==, 0);
  written = read_file (f->dir, "out.txt");
  g_assert_cmpstr (written, ==, "hello there\n");
  g_assert_true (g_str_has_prefix (out, "pipeline “greeting” succeeded in "));

  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (pf_run_tool (NULL, &out, &err, "run", f->good, "--param", "nope=1", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "no parameter “nope”"));

  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (pf_run_tool (NULL, &out, &err, "run", f->good, "--progress", "fancy", NULL), ==, 2);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (pf_run_tool (NULL, &out, &err, "run", NULL), ==, 2);
}

static void
test_run_failure (Fixture *f, gconstpointer data)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *report = g_build_filename (f->dir, "failed.json", NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *never = NULL;
  JsonObject *root;
  JsonArray *factories;
  gboolean found_boom = FALSE;

  g_assert_cmpint (pf_run_tool (NULL, &out, &err, "run", f->failing, "--report", report, NULL), ==, 1);
  g_assert_true (g_str_has_prefix (err, "setl run: pipeline “doomed” failed after "));
  g_assert_nonnull (strstr (err, "pf-fail “boom”: failing on purpose"));
  g_assert_nonnull (strstr (out, "] failed    boom (pf-fail) in "));
  /* "out" takes boom's output: upstream-failed, not skipped (docs/conditions.md) */
  g_assert_nonnull (strstr (out, "] upstream-failed out (pf-sink) in "));
  never = read_file (f->dir, "never.txt");
  g_assert_null (never);

  /* The report is written on failure too, and says what failed. */
  root = load_report (report, parser);
  g_assert_false (json_object_get_boolean_member (root, "succeeded"));
  factories = json_object_get_array_member (root, "factories");
  for (guint i = 0; i < json_array_get_length (factories); i++)
    {
      JsonObject *r = json_array_get_object_element (factories, i);

      if (g_str_equal (json_object_get_string_member (r, "name"), "boom"))
        {
          g_assert_cmpstr (json_object_get_string_member (r, "status"), ==, "failed");
          found_boom = TRUE;
        }
    }
  g_assert_true (found_boom);
}

/* --progress live draws the status line even into a pipe: the code a
 * terminal runs, checked here. */
static void
test_run_live (Fixture *f, gconstpointer data)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_assert_cmpint (pf_run_tool (NULL, &out, &err, "run", "--progress", "live", f->good, NULL), ==, 0);
  g_assert_nonnull (strstr (out, "\r\033[K"));
  g_assert_nonnull (strstr (out, "running: left (pf-source)"));
  g_assert_nonnull (strstr (out, "✓ both "));
  g_assert_null (strstr (out, "] started"));
  /* the status line is cleared before the summary */
  g_assert_nonnull (strstr (out, "\r\033[Kout wrote 1 row\n"));
}

/* Ctrl-C while a factory runs: the run is cancelled at once (not when the
 * factory would have finished), says so, and fails. */
static void
test_run_interrupt (Fixture *f, gconstpointer data)
{
  g_autofree char *path = pf_write_file (f->dir, "slow.setl.json",
    "{ \"setl\": 1, \"name\": \"slow\", \"factories\": [\n"
    "  { \"name\": \"slow\", \"feature\": \"pf-source\", \"properties\": { \"delay-ms\": 60000 } },\n"
    "  { \"name\": \"out\", \"feature\": \"pf-sink\", \"properties\": { \"location\": \"${pipeline_dir}/slow.txt\" },\n"
    "    \"inputs\": \"slow\" } ] }\n");
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GString) all = g_string_new (NULL);
  g_autofree char *err = NULL;
  char *line;
  gint64 interrupted;

  proc = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error,
                           g_getenv ("SETL_TOOL"), "run", "--progress", "plain", path, NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (proc));
  /* Interrupted once the slow factory runs. */
  while ((line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error)) != NULL)
    {
      g_string_append_printf (all, "%s\n", line);
      if (strstr (line, "started   slow") != NULL)
        {
          g_free (line);
          break;
        }
      g_free (line);
    }
  g_assert_no_error (error);
  g_assert_nonnull (strstr (all->str, "started   slow"));
  interrupted = g_get_monotonic_time ();
  g_subprocess_send_signal (proc, SIGINT);

  while ((line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error)) != NULL)
    {
      g_string_append_printf (all, "%s\n", line);
      g_free (line);
    }
  g_assert_no_error (error);
  g_assert_true (g_subprocess_wait (proc, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_get_monotonic_time () - interrupted, <, 30 * G_USEC_PER_SEC);
  {
    g_autoptr(GOutputStream) mem = g_memory_output_stream_new_resizable ();

    g_output_stream_splice (mem, g_subprocess_get_stderr_pipe (proc),
                            G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET, NULL, &error);
    g_assert_no_error (error);
    err = g_strndup (g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (mem)),
                     g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (mem)));
  }
  g_test_message ("stdout:\n%s\nstderr:\n%s", all->str, err);
  g_assert_true (g_subprocess_get_if_exited (proc));
  g_assert_cmpint (g_subprocess_get_exit_status (proc), ==, 1);
  g_assert_nonnull (strstr (err, "setl run: interrupted, cancelling…"));
  g_assert_nonnull (strstr (err, "failed after"));
  g_assert_nonnull (strstr (all->str, "cancelled slow (pf-source)"));
  {
    g_autofree char *never = g_build_filename (f->dir, "slow.txt", NULL);
    g_assert_false (g_file_test (never, G_FILE_TEST_EXISTS));
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)
  ADD ("/pipeline-file/cmd/check/valid", test_check_valid);
  ADD ("/pipeline-file/cmd/check/invalid", test_check_invalid);
  ADD ("/pipeline-file/cmd/graph", test_graph);
  ADD ("/pipeline-file/cmd/run/success", test_run_success);
  ADD ("/pipeline-file/cmd/run/param", test_run_param);
  ADD ("/pipeline-file/cmd/run/failure", test_run_failure);
  ADD ("/pipeline-file/cmd/run/live", test_run_live);
  ADD ("/pipeline-file/cmd/run/interrupt", test_run_interrupt);
  return g_test_run ();
}
