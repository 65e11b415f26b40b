/* test-cache-cmd.c: `setl run --cache DIR --output NAME` and `setl cache
 * stats|clear|explain`, run as a user runs them: the real `setl` binary,
 * the real csv, transforms and cache-disk plugins, one process per run.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>

typedef struct {
  char *dir;
  char *pipeline;
  char *cache;
  char *people;
} Fixture;

static void
write_file (const char *path,
            const char *content)
{
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, content, -1, &error);
  g_assert_no_error (error);
}

static const char *pipeline_json =
  "{\n"
  "  \"setl\": 1,\n"
  "  \"name\": \"adults\",\n"
  "  \"parameters\": { \"min\": { \"type\": \"int\", \"default\": 18 } },\n"
  "  \"factories\": {\n"
  "    \"people\": { \"feature\": \"csv-source\", \"properties\": { \"path\": \"people.csv\" } },\n"
  "    \"adults\": { \"feature\": \"filter\", \"code-version\": \"1\",\n"
  "                \"properties\": { \"where\": \"age >= ${min}\" }, \"inputs\": { \"in\": \"people\" } },\n"
  "    \"out\":    { \"feature\": \"csv-sink\", \"properties\": { \"path\": \"adults.csv\" },\n"
  "                \"inputs\": { \"in\": \"adults\" } }\n"
  "  }\n"
  "}\n";

static void
fixture_set_up (Fixture       *fx,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fx->dir = g_dir_make_tmp ("setl-cache-cmd-XXXXXX", &error);
  g_assert_no_error (error);
  fx->pipeline = g_build_filename (fx->dir, "adults.json", NULL);
  fx->cache = g_build_filename (fx->dir, "cache", NULL);
  fx->people = g_build_filename (fx->dir, "people.csv", NULL);
  write_file (fx->pipeline, pipeline_json);
  write_file (fx->people, "name,age\nann,34\nbob,17\ncat,52\n");
}

static void
remove_tree (const char *path)
{
  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_autoptr(GDir) d = g_dir_open (path, 0, NULL);
      const char *name;

      while (d && (name = g_dir_read_name (d)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);
          remove_tree (child);
        }
      g_rmdir (path);
    }
  else
    g_unlink (path);
}

static void
fixture_tear_down (Fixture       *fx,
                   gconstpointer  data)
{
  remove_tree (fx->dir);
  g_free (fx->dir);
  g_free (fx->pipeline);
  g_free (fx->cache);
  g_free (fx->people);
}

/* Runs `setl ARGS…` in the fixture's directory; returns its stdout, and
 * its stderr and exit status through the out parameters. */
static char *
setl (Fixture     *fx,
      int         *status,
      char       **err,
      const char  *first,
      ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  char *out = NULL;
  const char *arg;
  va_list args;
  int wait_status = 0;

  g_ptr_array_add (argv, (gpointer) g_getenv ("SETL_TOOL"));
  va_start (args, first);
  for (arg = first; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  g_spawn_sync (fx->dir, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                &out, err, &wait_status, &error);
  g_assert_no_error (error);
  *status = WIFEXITED (wait_status) ? WEXITSTATUS (wait_status) : -1;
  return out;
}

#define assert_contains(haystack, needle)                                    \
  G_STMT_START {                                                             \
    if (strstr ((haystack), (needle)) == NULL)                               \
      g_error ("“%s” not found in:\n%s", (needle), (haystack));             \
  } G_STMT_END

static gboolean
disk_available (void)
{
  if (g_getenv ("SETL_CACHE_TEST_DISK") == NULL)
    {
      g_test_skip ("the cache-disk plugin is not built");
      return FALSE;
    }
  return TRUE;
}

static void
test_run_cold_warm (Fixture       *fx,
                    gconstpointer  data)
{
  g_autofree char *out = NULL, *err = NULL, *report = NULL, *csv = NULL;
  g_autofree char *report_path = g_build_filename (fx->dir, "report.json", NULL);
  g_autofree char *sink = g_build_filename (fx->dir, "adults.csv", NULL);
  int status;

  if (!disk_available ())
    return;

  out = setl (fx, &status, &err, "run", "adults.json", "--cache", "cache", "--progress", "plain", NULL);
  g_assert_cmpint (status, ==, 0);
  assert_contains (out, "cache: 0 hits");
  assert_contains (out, "3 misses");
  assert_contains (out, "people: no-entry");
  g_free (out);
  g_free (err);

  /* A new process: everything reused, nothing run. */
  out = setl (fx, &status, &err, "run", "adults.json", "--cache", "cache", "--progress", "plain",
              "--report", "report.json", NULL);
  g_assert_cmpint (status, ==, 0);
  assert_contains (out, "cache: 3 hits");
  assert_contains (out, "0 misses");
  assert_contains (out, "reused    adults (filter)");
  g_assert_true (g_file_get_contents (report_path, &report, NULL, NULL));
  assert_contains (report, "\"status\" : \"reused\"");
  assert_contains (report, "\"status\" : \"hit\"");
  g_assert_true (g_file_get_contents (sink, &csv, NULL, NULL));
  assert_contains (csv, "cat");
  g_free (out);
  g_free (err);

  /* Another parameter value: the filter and the sink run, the source not. */
  out = setl (fx, &status, &err, "run", "adults.json", "--cache", "cache", "--progress", "plain",
              "--param", "min=40", NULL);
  g_assert_cmpint (status, ==, 0);
  assert_contains (out, "cache: 1 hit ");
  assert_contains (out, "adults: key-changed (property:where)");
  assert_contains (out, "out: key-changed (input:in)");
}

static void
test_explain (Fixture       *fx,
              gconstpointer  data)
{
  g_autofree char *out = NULL, *err = NULL;
  int status;

  if (!disk_available ())
    return;
  g_free (setl (fx, &status, &err, "run", "adults.json", "--cache", "cache", "-q", NULL));
  g_assert_cmpint (status, ==, 0);
  g_clear_pointer (&err, g_free);

  out = setl (fx, &status, &err, "cache", "explain", "adults.json", "adults", "--cache", "cache", NULL);
  g_assert_cmpint (status, ==, 0);
  assert_contains (out, "status:  hit");
  assert_contains (out, "previous entry: same key");
  assert_contains (out, "property:where         \"age >= 18\"");
  assert_contains (out, "code-version           1");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  out = setl (fx, &status, &err, "cache", "explain", "adults.json", "adults", "--cache", "cache",
              "--param", "min=21", NULL);
  g_assert_cmpint (status, ==, 0);
  assert_contains (out, "status:  miss (key-changed); it would run");
  assert_contains (out, "1 ingredient changed");
  assert_contains (out, "* property:where         \"age >= 21\"");
  assert_contains (out, "was: \"age >= 18\"");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* Touching the input: the source's fingerprint changed; the filter's
   * input cannot be known until the source runs. */
  write_file (fx->people, "name,age\nann,34\nbob,17\ncat,52\ndan,61\n");
  out = setl (fx, &status, &err, "cache", "explain", "adults.json", "people", "--cache", "cache", NULL);
  g_assert_cmpint (status, ==, 0);
  assert_contains (out, "* input:file");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  out = setl (fx, &status, &err, "cache", "explain", "adults.json", "adults", "--cache", "cache", NULL);
  g_assert_cmpint (status, ==, 0);
  assert_contains (out, "* input:in");
  assert_contains (out, "unknown (factory “people” would run: key-changed)");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  out = setl (fx, &status, &err, "cache", "explain", "adults.json", "nobody", "--cache", "cache", NULL);
  g_assert_cmpint (status, ==, 1);
  assert_contains (err, "no factory “nobody”");
}

static void
test_stats_clear (Fixture       *fx,
                  gconstpointer  data)
{
  g_autofree char *out = NULL, *err = NULL;
  int status;

  if (!disk_available ())
    return;
  g_free (setl (fx, &status, &err, "run", "adults.json", "--cache", "cache", "-q", NULL));
  g_assert_cmpint (status, ==, 0);
  g_clear_pointer (&err, g_free);

  out = setl (fx, &status, &err, "cache", "stats", "--cache", "cache", NULL);
  g_assert_cmpint (status, ==, 0);
  assert_contains (out, "entries:   3");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  out = setl (fx, &status, &err, "cache", "clear", "--cache", "cache", NULL);
  g_assert_cmpint (status, ==, 0);
  assert_contains (out, "cleared 3 entries");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  out = setl (fx, &status, &err, "cache", "stats", "--cache", "cache", NULL);
  assert_contains (out, "entries:   0");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  out = setl (fx, &status, &err, "cache", "frobnicate", NULL);
  g_assert_cmpint (status, ==, 2);
  assert_contains (err, "Usage: setl cache stats");
}

static void
test_run_output (Fixture       *fx,
                 gconstpointer  data)
{
  g_autofree char *out = NULL, *err = NULL;
  g_autofree char *sink = g_build_filename (fx->dir, "adults.csv", NULL);
  int status;

  /* No cache at all: only what "adults" needs runs; the sink does not. */
  out = setl (fx, &status, &err, "run", "adults.json", "--output", "adults", "--progress", "plain", NULL);
  g_assert_cmpint (status, ==, 0);
  assert_contains (out, "succeeded people");
  assert_contains (out, "succeeded adults");
  assert_contains (out, "skipped   out");
  assert_contains (out, "not needed for the requested outputs");
  g_assert_false (g_file_test (sink, G_FILE_TEST_EXISTS));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  out = setl (fx, &status, &err, "run", "adults.json", "--output", "nobody", NULL);
  g_assert_cmpint (status, ==, 1);
  assert_contains (err, "has no factory “nobody”");
}

static void
test_check_warns (Fixture       *fx,
                  gconstpointer  data)
{
  g_autofree char *out = NULL, *err = NULL;
  g_autofree char *cached = g_build_filename (fx->dir, "cached.json", NULL);
  g_autoptr(GString) json = g_string_new (pipeline_json);
  int status;

  out = setl (fx, &status, &err, "check", "adults.json", NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_null (strstr (err, "code-version"));   /* no cache: nothing to say */
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_string_replace (json, "\"name\": \"adults\",", "\"name\": \"adults\", \"cache\": {\"policy\": \"memory\"},", 1);
  write_file (cached, json->str);
  out = setl (fx, &status, &err, "check", "cached.json", NULL);
  g_assert_cmpint (status, ==, 0);
  assert_contains (err, "caching is on and 2 factories declare no \"code-version\": “people”, “out”");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  if (g_getenv ("SETL_TOOL") == NULL)
    {
      g_printerr ("SETL_TOOL is not set: run through meson test\n");
      return 77;
    }
#define ADD(path, func) \
  g_test_add ("/cache/cmd/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("run-cold-then-warm", test_run_cold_warm);
  ADD ("explain", test_explain);
  ADD ("stats-clear", test_stats_clear);
  ADD ("run-output", test_run_output);
  ADD ("check-warns-code-version", test_check_warns);
#undef ADD
  return g_test_run ();
}
