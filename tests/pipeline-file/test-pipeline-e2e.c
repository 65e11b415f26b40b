/* test-pipeline-e2e.c: pipeline files on the real data plugins (csv,
 * jsonl, sqlite, transforms), loaded from the build tree through the
 * registry: CSV → filter → CSV, `setl convert` round trips, and the
 * citizens example of examples/citizens/. Each test is skipped when the
 * plugins it needs are not built. */
#include "pf-test-util.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static gboolean
have_features (const char *first, ...)
{
  va_list args;
  gboolean ok = TRUE;

  va_start (args, first);
  for (const char *f = first; f != NULL; f = va_arg (args, const char *))
    if (setl_plugin_registry_lookup_feature (pf_registry (), f) == NULL)
      {
        g_autofree char *why = g_strdup_printf ("feature “%s” is not built", f);

        g_test_skip (why);
        ok = FALSE;
        break;
      }
  va_end (args);
  return ok;
}

static char *
slurp (const char *path)
{
  char *contents = NULL;

  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  return contents;
}

static const char *people_csv =
  "id,name,age,city\r\n"
  "1,\"Doe, Jane\",34,Paris\r\n"
  "2,\"Say \"\"hi\"\"\",17,Lyon\r\n"
  "3,Zoë,18,\r\n"
  "4,Björn,NA,Malmö\r\n"
  "5,Ana,61,Porto";   /* no final newline */

static void
test_csv_filter_csv (void)
{
  g_autofree char *dir = NULL;
  g_autofree char *in = NULL;
  g_autofree char *pipeline = NULL;
  g_autofree char *out_path = NULL;
  g_autofree char *report = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *result = NULL;

  if (!have_features ("csv-source", "filter", "csv-sink", NULL))
    return;
  dir = pf_temp_dir ();
  in = pf_write_file (dir, "people.csv", people_csv);
  pipeline = pf_write_file (dir, "adults.setl.json",
    "{\n"
    "  \"setl\": 1,\n"
    "  \"parameters\": { \"min_age\": { \"type\": \"int\", \"default\": 18 } },\n"
    "  \"factories\": [\n"
    "    { \"name\": \"read\", \"feature\": \"csv-source\",\n"
    "      \"properties\": { \"path\": \"${pipeline_dir}/people.csv\", \"null-markers\": [\"\", \"NA\"] } },\n"
    "    { \"name\": \"adults\", \"feature\": \"filter\", \"properties\": { \"where\": \"age >= ${min_age}\" },\n"
    "      \"inputs\": \"read\" },\n"
    "    { \"name\": \"write\", \"feature\": \"csv-sink\",\n"
    "      \"properties\": { \"path\": \"${pipeline_dir}/adults.csv\" }, \"inputs\": { \"in\": \"adults\" } }\n"
    "  ]\n"
    "}\n");
  out_path = g_build_filename (dir, "adults.csv", NULL);
  report = g_build_filename (dir, "report.json", NULL);

  g_assert_cmpint (pf_run_tool (NULL, &out, &err, "run", pipeline, "--report", report, NULL), ==, 0);
  result = slurp (out_path);
  /* Quoted commas and doubled quotes survive; the 17-year-old and the
   * unknown age (NA is null: the condition is not true) are dropped. */
  g_assert_cmpstr (result, ==,
                   "id,name,age,city\n"
                   "1,\"Doe, Jane\",34,Paris\n"
                   "3,Zoë,18,\n"
                   "5,Ana,61,Porto\n");
  g_assert_nonnull (strstr (out, "write wrote 3 rows\n"));
  g_assert_true (g_file_test (report, G_FILE_TEST_EXISTS));

  /* A parameter changes what the filter keeps. */
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_clear_pointer (&result, g_free);
  g_assert_cmpint (pf_run_tool (NULL, &out, &err, "run", pipeline, "--param", "min_age=40", NULL), ==, 0);
  result = slurp (out_path);
  g_assert_cmpstr (result, ==, "id,name,age,city\n5,Ana,61,Porto\n");

  /* An expression error names the factory, and the old output stays. */
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (pf_run_tool (NULL, &out, &err, "run", pipeline, "--param", "min_age=x", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "parameter “min_age”: “x” is not an int"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  {
    g_autofree char *result2 = NULL;

    g_assert_cmpint (pf_run_tool (NULL, &out, &err, "check", pipeline, NULL), ==, 0);
    result2 = slurp (out_path);
    g_assert_cmpstr (result2, ==, result);
  }
  pf_remove_tree (dir);
}

static void
test_convert_round_trip (void)
{
  g_autofree char *dir = NULL;
  g_autofree char *csv = NULL;
  g_autofree char *jsonl = NULL;
  g_autofree char *db = NULL;
  g_autofree char *back = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *first = NULL;
  g_autofree char *last = NULL;

  if (!have_features ("csv-source", "csv-sink", "jsonl-source", "jsonl-sink",
                      "sqlite-source", "sqlite-sink", NULL))
    return;
  dir = pf_temp_dir ();
  csv = pf_write_file (dir, "in.csv",
                       "id,name,score\n1,\"a, b\",1.5\n2,,\n3,\"q\"\"q\",-2.5\n4,é,0.25\n");
  jsonl = g_build_filename (dir, "mid.jsonl", NULL);
  db = g_build_filename (dir, "mid.db", NULL);
  back = g_build_filename (dir, "back.csv", NULL);

  g_assert_cmpint (pf_run_tool (NULL, &out, &err, "convert", csv, jsonl, NULL), ==, 0);
  g_assert_true (g_str_has_suffix (out, ": 4 rows (csv-source → jsonl-sink)\n"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (pf_run_tool (NULL, &out, &err, "convert", jsonl, db, "--table", "t", NULL), ==, 0);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (pf_run_tool (NULL, &out, &err, "convert", db, back, "--table", "t", NULL), ==, 0);
  first = slurp (csv);
  last = slurp (back);
  g_assert_cmpstr (last, ==, first);

  /* Explicit plugins for an extension-less file; an unknown extension is
   * a usage error naming the option to use. */
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  {
    g_autofree char *plain = g_build_filename (dir, "plain", NULL);

    g_assert_cmpint (pf_run_tool (NULL, &out, &err, "convert", csv, plain, "--to", "jsonl", NULL), ==, 0);
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
    g_assert_cmpint (pf_run_tool (NULL, &out, &err, "convert", plain, back, NULL), ==, 2);
    g_assert_nonnull (strstr (err, "use --from PLUGIN"));
  }
  pf_remove_tree (dir);
}

typedef struct
{
  int count;
  gint64 sum, min, max;
} Agg;

/* Computes, from the example's own data files, what the citizens pipeline
 * must find per country (adults of known age, joined on the city). */
static GHashTable *
expected_per_country (const char *data_dir, int min_age)
{
  g_autofree char *cities_path = g_build_filename (data_dir, "cities.csv", NULL);
  g_autofree char *citizens_path = g_build_filename (data_dir, "citizens.csv", NULL);
  g_autofree char *cities = slurp (cities_path);
  g_autofree char *citizens = slurp (citizens_path);
  g_auto(GStrv) city_lines = g_strsplit (cities, "\n", -1);
  g_auto(GStrv) citizen_lines = g_strsplit (citizens, "\n", -1);
  g_autoptr(GHashTable) country_of = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  GHashTable *result = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  for (guint i = 1; city_lines[i] && city_lines[i][0]; i++)
    {
      g_auto(GStrv) f = g_strsplit (city_lines[i], ",", 2);

      g_hash_table_insert (country_of, g_strdup (f[0]), g_strdup (f[1]));
    }
  for (guint i = 1; citizen_lines[i] && citizen_lines[i][0]; i++)
    {
      /* name,age,city — the example's names have no commas */
      g_auto(GStrv) f = g_strsplit (citizen_lines[i], ",", 3);
      const char *country = g_hash_table_lookup (country_of, f[2]);
      Agg *a;
      gint64 age;

      if (f[1][0] == '\0' || country == NULL)
        continue;
      age = g_ascii_strtoll (f[1], NULL, 10);
      if (age < min_age)
        continue;
      a = g_hash_table_lookup (result, country);
      if (a == NULL)
        {
          a = g_new0 (Agg, 1);
          a->min = G_MAXINT64;
          a->max = G_MININT64;
          g_hash_table_insert (result, g_strdup (country), a);
        }
      a->count++;
      a->sum += age;
      a->min = MIN (a->min, age);
      a->max = MAX (a->max, age);
    }
  return result;
}

static void
check_per_country_csv (const char *csv_text,
                       GHashTable *expected)
{
  g_auto(GStrv) lines = g_strsplit (csv_text, "\n", -1);
  guint rows = 0;

  g_assert_cmpstr (lines[0], ==, "country,citizens,average_age,youngest,oldest");
  for (guint i = 1; lines[i] && lines[i][0]; i++)
    {
      g_auto(GStrv) f = g_strsplit (lines[i], ",", -1);
      Agg *a = g_hash_table_lookup (expected, f[0]);
      double average;

      g_assert_nonnull (a);
      g_assert_cmpint (g_ascii_strtoll (f[1], NULL, 10), ==, a->count);
      average = g_ascii_strtod (f[2], NULL);
      g_assert_cmpfloat_with_epsilon (average, (double) a->sum / a->count, 0.051);
      g_assert_cmpint (g_ascii_strtoll (f[3], NULL, 10), ==, a->min);
      g_assert_cmpint (g_ascii_strtoll (f[4], NULL, 10), ==, a->max);
      if (i > 1)
        g_assert_cmpint (strcmp (lines[i - 1], lines[i]), <, 0);   /* ORDER BY country */
      rows++;
    }
  g_assert_cmpuint (rows, ==, g_hash_table_size (expected));
}

static void
test_citizens_example (void)
{
  const char *root = g_getenv ("SETL_TEST_SOURCE_ROOT");
  g_autofree char *example = NULL;
  g_autofree char *data_dir = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *csv_path = NULL;
  g_autofree char *db_path = NULL;
  g_autofree char *db_dump = NULL;
  g_autofree char *report = NULL;
  g_autofree char *csv = NULL;
  g_autofree char *dumped = NULL;
  g_autoptr(GHashTable) expected = NULL;
  g_autofree char *output_param = NULL;

  if (!have_features ("csv-source", "filter", "sql", "csv-sink", "sqlite-sink", "sqlite-source", NULL))
    return;
  g_assert_nonnull (root);
  example = g_build_filename (root, "examples", "citizens", "citizens.setl.json", NULL);
  data_dir = g_build_filename (root, "examples", "citizens", "data", NULL);
  dir = pf_temp_dir ();
  csv_path = g_build_filename (dir, "citizens-per-country.csv", NULL);
  db_path = g_build_filename (dir, "citizens.db", NULL);
  db_dump = g_build_filename (dir, "dump.csv", NULL);
  report = g_build_filename (dir, "report.json", NULL);

  /* check first: valid, and what runs where */
  g_assert_cmpint (pf_run_tool (dir, &out, &err, "check", example, NULL), ==, 0);
  g_assert_nonnull (strstr (out, "is valid: 6 factories in 4 stages"));
  g_assert_nonnull (strstr (out, "per_country          sql            citizens ← adults, cities ← read_cities"));

  /* run it as the README does, from another directory: the results land
   * in the current directory */
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (pf_run_tool (dir, &out, &err, "run", example, "--report", "report.json", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "pipeline “citizens” succeeded in "));
  expected = expected_per_country (data_dir, 18);
  g_assert_cmpuint (g_hash_table_size (expected), >, 1);
  csv = slurp (csv_path);
  check_per_country_csv (csv, expected);
  g_assert_true (g_file_test (report, G_FILE_TEST_EXISTS));

  /* the SQLite table holds the same rows */
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (pf_run_tool (dir, &out, &err, "convert", db_path, db_dump,
                                "--table", "citizens_per_country", NULL), ==, 0);
  dumped = slurp (db_dump);
  g_assert_cmpstr (dumped, ==, csv);

  /* parameters: another age limit and another output directory */
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_clear_pointer (&csv, g_free);
  g_hash_table_unref (g_steal_pointer (&expected));
  output_param = g_strdup_printf ("output_dir=%s", dir);
  g_assert_cmpint (pf_run_tool ("/", &out, &err, "run", example, "-p", "min_age=40", "-p", output_param, NULL), ==, 0);
  expected = expected_per_country (data_dir, 40);
  csv = slurp (csv_path);
  check_per_country_csv (csv, expected);
  pf_remove_tree (dir);
}

/* Runs `setl run ARGS…` in @cwd with SIGINT pending: blocked in the child
 * and raised before exec (the mask and the pending signal survive exec),
 * so that it is delivered the moment `setl run` installs its handler and
 * unblocks it — Ctrl-C at the start of the run, deterministically, even
 * for a run that takes a millisecond. Returns the exit status. */
static int
run_interrupted (const char  *cwd,
                 char       **out,
                 char       **err,
                 const char  *const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *out_path = g_build_filename (cwd, "interrupted.out", NULL);
  g_autofree char *err_path = g_build_filename (cwd, "interrupted.err", NULL);
  int status = 0;
  pid_t pid;

  g_ptr_array_add (argv, (gpointer) g_getenv ("SETL_TOOL"));
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  pid = fork ();
  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    {
      /* Only async-signal-safe calls until exec. */
      sigset_t mask;
      int fd_out = open (out_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
      int fd_err = open (err_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

      if (fd_out < 0 || fd_err < 0 || chdir (cwd) != 0 ||
          dup2 (fd_out, STDOUT_FILENO) < 0 || dup2 (fd_err, STDERR_FILENO) < 0)
        _exit (125);
      sigemptyset (&mask);
      sigaddset (&mask, SIGINT);
      sigprocmask (SIG_BLOCK, &mask, NULL);
      raise (SIGINT);
      execv (argv->pdata[0], (char **) argv->pdata);
      _exit (126);
    }
  while (waitpid (pid, &status, 0) < 0)
    g_assert_cmpint (errno, ==, EINTR);
  g_assert_true (g_file_get_contents (out_path, out, NULL, NULL));
  g_assert_true (g_file_get_contents (err_path, err, NULL, NULL));
  g_test_message ("interrupted run → status %d\nstdout:\n%s\nstderr:\n%s", status, *out, *err);
  g_assert_true (WIFEXITED (status));
  return WEXITSTATUS (status);
}

/* Ctrl-C during a run whose results are all cached: `setl run` starts no
 * watcher thread for such a run (setl-run-watcher.c), yet the run ends
 * interrupted exactly as one that executes factories does — it says so,
 * fails, and leaves the cache as it was (the next run hits everywhere). */
static void
test_citizens_warm_interrupt (void)
{
  const char *root = g_getenv ("SETL_TEST_SOURCE_ROOT");
  g_autofree char *example = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *cache = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  if (!have_features ("csv-source", "filter", "sql", "csv-sink", "sqlite-sink", "disk", NULL))
    return;
  example = g_build_filename (root, "examples", "citizens", "citizens.setl.json", NULL);
  dir = pf_temp_dir ();
  cache = g_build_filename (dir, "cache", NULL);

  g_assert_cmpint (pf_run_tool (dir, &out, &err, "run", "--cache", cache, example, NULL), ==, 0);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (pf_run_tool (dir, &out, &err, "run", "--cache", cache, example, NULL), ==, 0);
  g_assert_nonnull (strstr (out, "cache: 6 hits"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  {
    const char *const args[] = { "run", "--progress", "plain", "--cache", cache, example, NULL };

    g_assert_cmpint (run_interrupted (dir, &out, &err, args), ==, 1);
  }
  g_assert_nonnull (strstr (err, "setl run: interrupted, cancelling…"));
  g_assert_nonnull (strstr (err, "setl run: pipeline “citizens” failed after"));
  g_assert_null (strstr (out, "succeeded"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (pf_run_tool (dir, &out, &err, "run", "--cache", cache, example, NULL), ==, 0);
  g_assert_nonnull (strstr (out, "cache: 6 hits"));
  pf_remove_tree (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/pipeline-file/e2e/csv-filter-csv", test_csv_filter_csv);
  g_test_add_func ("/pipeline-file/e2e/convert-round-trip", test_convert_round_trip);
  g_test_add_func ("/pipeline-file/e2e/citizens-example", test_citizens_example);
  g_test_add_func ("/pipeline-file/e2e/citizens-warm-interrupt", test_citizens_warm_interrupt);
  return g_test_run ();
}
