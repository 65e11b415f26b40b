/* test-plugin-tools.c: `setl plugins`, `setl inspect` and
 * `setl-plugin-check`, run as a user would run them. */
#include "plugin-test-util.h"

#include <glib/gstdio.h>
#include <signal.h>

typedef struct {
  int status;
  char *out;
  char *err;
} Run;

static void
run_clear (Run *r)
{
  g_free (r->out);
  g_free (r->err);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

/* Runs a tool from the build tree with SETL_PLUGIN_PATH=@plugin_path and
 * the registry cache @cache (NULL: a private one, removed afterwards).
 * @asan_crash: let a plugin's crash kill the process with its signal even
 * in the sanitizer build (see run-scanner.sh). */
static void
run_tool_full (Run        *r,
               const char *plugin_path,
               const char *cache_file,
               gboolean    asan_crash,
               const char *tool,
               va_list     ap)
{
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *tmp = cache_file ? NULL : make_temp_dir ("tools");
  g_autofree char *cache = cache_file ? g_strdup (cache_file)
                                      : g_build_filename (tmp, "registry.json", NULL);
  const char *arg;

  g_ptr_array_add (argv, (gpointer) tool);
  while ((arg = va_arg (ap, const char *)))
    g_ptr_array_add (argv, (gpointer) arg);
  g_ptr_array_add (argv, NULL);

  if (asan_crash)
    {
      const char *asan = g_getenv ("ASAN_OPTIONS");
      g_autofree char *options =
        g_strdup_printf ("%s%shandle_segv=0:handle_abort=0:handle_sigbus=0",
                         asan ? asan : "", asan && *asan ? ":" : "");
      g_subprocess_launcher_setenv (launcher, "ASAN_OPTIONS", options, TRUE);
    }

  g_subprocess_launcher_setenv (launcher, "SETL_PLUGIN_PATH", plugin_path ? plugin_path : "", TRUE);
  g_subprocess_launcher_setenv (launcher, "SETL_REGISTRY", cache, TRUE);
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C.UTF-8", TRUE);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &r->out, &r->err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  r->status = g_subprocess_get_exit_status (process);
  if (tmp != NULL)
    {
      g_unlink (cache);
      g_rmdir (tmp);
    }
}

static void
run_tool (Run        *r,
          const char *plugin_path,
          const char *tool,
          ...)
{
  va_list ap;

  va_start (ap, tool);
  run_tool_full (r, plugin_path, NULL, FALSE, tool, ap);
  va_end (ap);
}

static void
run_tool_cached (Run        *r,
                 const char *plugin_path,
                 const char *cache_file,
                 const char *tool,
                 ...)
{
  va_list ap;

  va_start (ap, tool);
  run_tool_full (r, plugin_path, cache_file, FALSE, tool, ap);
  va_end (ap);
}

/* Runs a tool on a plugin that crashes: the crash must reach the tool as a
 * signal, in the sanitizer build too. */
static void
run_tool_crash (Run        *r,
                const char *tool,
                ...)
{
  va_list ap;

  va_start (ap, tool);
  run_tool_full (r, NULL, NULL, TRUE, tool, ap);
  va_end (ap);
}

static void
assert_contains (const char *haystack,
                 const char *needle)
{
  if (strstr (haystack, needle) == NULL)
    g_error ("“%s” not found in:\n%s", needle, haystack);
}

static char *
good_path (void)
{
  g_autofree char *alpha = fixture_path ("good-alpha");
  g_autofree char *beta = fixture_path ("good-beta");

  return g_strjoin (":", alpha, beta, NULL);
}

static void
test_plugins (void)
{
  g_auto(Run) r = { 0, };
  g_autofree char *path = good_path ();
  g_autofree char *alpha = fixture_path ("good-alpha");

  run_tool (&r, path, g_getenv ("SETL_TOOL"), "plugins", NULL);
  g_assert_cmpint (r.status, ==, 0);
  assert_contains (r.out, "good-alpha 1.2.0");
  assert_contains (r.out, "good-beta 0.3.1");
  assert_contains (r.out, alpha);
  assert_contains (r.out, "source         alpha-source");
  assert_contains (r.out, "transform      alpha-upper");
  assert_contains (r.out, "sink           beta-sink");
  assert_contains (r.out, "2 plugins\n");
}

static void
test_plugins_blacklist (void)
{
  g_auto(Run) r = { 0, };
  g_autofree char *segv = fixture_path ("broken-init-segv");
  g_autofree char *abi = fixture_path ("broken-abi-major");
  g_autofree char *path = g_strjoin (":", segv, abi, NULL);
  g_autofree char *signal = g_strdup_printf ("signal %d", SIGSEGV);

  run_tool (&r, path, g_getenv ("SETL_TOOL"), "plugins", "--blacklist", NULL);
  g_assert_cmpint (r.status, ==, 0);
  assert_contains (r.out, segv);
  assert_contains (r.out, "blacklisted: ");
  assert_contains (r.out, signal);
  assert_contains (r.out, abi);
  assert_contains (r.out, "abi-mismatch: ");
  assert_contains (r.out, "2 refused plugin files");
}

static void
test_inspect_feature (void)
{
  g_auto(Run) r = { 0, };
  g_autofree char *path = good_path ();

  run_tool (&r, path, g_getenv ("SETL_TOOL"), "inspect", "alpha-source", NULL);
  g_assert_cmpint (r.status, ==, 0);
  assert_contains (r.out, "Kind             source");
  assert_contains (r.out, "Rank             primary (256)");
  assert_contains (r.out, "repeat              : How many times to repeat the text");
  assert_contains (r.out, "type: guint   range: 1 - 10   default: 1");
  assert_contains (r.out, "type: gchararray   default: \"hello\"");
  assert_contains (r.out, "Origin URL       https://example.org/good-alpha");
}

static void
test_inspect_plugin (void)
{
  g_auto(Run) r = { 0, };
  g_autofree char *path = good_path ();

  run_tool (&r, path, g_getenv ("SETL_TOOL"), "inspect", "good-alpha", NULL);
  g_assert_cmpint (r.status, ==, 0);
  assert_contains (r.out, "Version          1.2.0");
  assert_contains (r.out, "License          LGPL-2.1-or-later");
  assert_contains (r.out, "3 features:");
  assert_contains (r.out, "timeout             : Seconds to wait for the engine");
  assert_contains (r.out, "range: 0 - 3600   default: 2.5");
}

static void
test_inspect_unknown (void)
{
  g_auto(Run) r = { 0, };
  g_autofree char *path = good_path ();

  run_tool (&r, path, g_getenv ("SETL_TOOL"), "inspect", "no-such-thing", NULL);
  g_assert_cmpint (r.status, ==, 1);
  assert_contains (r.err, "no plugin or feature called “no-such-thing”");
  g_assert_cmpstr (r.out, ==, "");
}

static void
test_check_good (void)
{
  g_auto(Run) r = { 0, };
  g_autofree char *alpha = fixture_path ("good-alpha");

  run_tool (&r, NULL, g_getenv ("SETL_PLUGIN_CHECK"), alpha, NULL);
  g_assert_cmpint (r.status, ==, 0);
  assert_contains (r.out, "PASS  alpha-source (source): run with default properties, yields its output type");
  assert_contains (r.out, "PASS  alpha-source (source): property “repeat” is settable");
  assert_contains (r.out, " 0 failed");
  g_assert_null (strstr (r.out, "FAIL"));
}

static void
test_check_failures (void)
{
  g_auto(Run) r = { 0, };
  g_auto(Run) r2 = { 0, };
  g_autofree char *abi = fixture_path ("broken-abi-major");
  g_autofree char *needs_lib = fixture_path ("needs-lib/needs-lib");

  run_tool (&r, NULL, g_getenv ("SETL_PLUGIN_CHECK"), abi, NULL);
  g_assert_cmpint (r.status, ==, 1);
  assert_contains (r.out, "FAIL");
  assert_contains (r.out, "built for plugin ABI");

  /* Loads fine, but its feature has no description. */
  run_tool (&r2, NULL, g_getenv ("SETL_PLUGIN_CHECK"), needs_lib, NULL);
  g_assert_cmpint (r2.status, ==, 1);
  assert_contains (r2.out, "FAIL  dep-thing (cache-policy): has a description");
  assert_contains (r2.out, "PASS  dep-thing (cache-policy): an instance can be created");
}

/* setl-plugin-check runs the plugin in a child process: a plugin that
 * crashes, aborts or exits while loaded makes it print a FAIL line naming
 * what happened and exit 1; the checker itself does not die. */
static void
test_check_crash (void)
{
  struct { const char *fixture; const char *what; } cases[] = {
    { "broken-init-segv", NULL },
    { "broken-init-abort", NULL },
    { "broken-init-exit", "exit status 3" },
  };
  g_autofree char *segv = g_strdup_printf ("signal %d (%s)", SIGSEGV, g_strsignal (SIGSEGV));
  g_autofree char *abrt = g_strdup_printf ("signal %d (%s)", SIGABRT, g_strsignal (SIGABRT));

  cases[0].what = segv;
  cases[1].what = abrt;
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(Run) r = { 0, };
      g_autofree char *plugin = fixture_path (cases[i].fixture);
      g_autofree char *fail = g_strdup_printf ("FAIL  %s: the plugin ", plugin);

      run_tool_crash (&r, g_getenv ("SETL_PLUGIN_CHECK"), plugin, NULL);
      g_assert_cmpint (r.status, ==, 1);
      assert_contains (r.out, fail);
      assert_contains (r.out, cases[i].what);
      assert_contains (r.out, "0 passed, 1 failed");
    }
}

/* A duplicate plugin is warned about by the `setl plugins` that finds it,
 * not by every later one that reads the cache; `--blacklist` still shows
 * it. */
static void
test_plugins_conflict_once (void)
{
  g_auto(Run) r1 = { 0, };
  g_auto(Run) r2 = { 0, };
  g_auto(Run) r3 = { 0, };
  g_autofree char *alpha = fixture_path ("good-alpha");
  g_autofree char *dup = fixture_path ("later-duplicate");
  g_autofree char *path = g_strjoin (":", alpha, dup, NULL);
  g_autofree char *tmp = make_temp_dir ("conflict");
  g_autofree char *cache = g_build_filename (tmp, "registry.json", NULL);

  run_tool_cached (&r1, path, cache, g_getenv ("SETL_TOOL"), "plugins", NULL);
  g_assert_cmpint (r1.status, ==, 0);
  assert_contains (r1.err, "ignored: a plugin of that name was found first in");
  assert_contains (r1.err, dup);
  assert_contains (r1.out, "1 plugin, 1 refused");

  run_tool_cached (&r2, path, cache, g_getenv ("SETL_TOOL"), "plugins", NULL);
  g_assert_cmpint (r2.status, ==, 0);
  g_assert_cmpstr (r2.err, ==, "");
  assert_contains (r2.out, "1 plugin, 1 refused");

  run_tool_cached (&r3, path, cache, g_getenv ("SETL_TOOL"), "plugins", "--blacklist", NULL);
  g_assert_cmpint (r3.status, ==, 0);
  g_assert_cmpstr (r3.err, ==, "");
  assert_contains (r3.out, dup);
  assert_contains (r3.out, "name-conflict: ");
  assert_contains (r3.out, alpha);

  g_unlink (cache);
  g_rmdir (tmp);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/plugins/tools/plugins", test_plugins);
  g_test_add_func ("/plugins/tools/plugins-blacklist", test_plugins_blacklist);
  g_test_add_func ("/plugins/tools/inspect-feature", test_inspect_feature);
  g_test_add_func ("/plugins/tools/inspect-plugin", test_inspect_plugin);
  g_test_add_func ("/plugins/tools/inspect-unknown", test_inspect_unknown);
  g_test_add_func ("/plugins/tools/check-good", test_check_good);
  g_test_add_func ("/plugins/tools/check-failures", test_check_failures);
  g_test_add_func ("/plugins/tools/check-crash", test_check_crash);
  g_test_add_func ("/plugins/tools/plugins-conflict-warned-once", test_plugins_conflict_once);

  return g_test_run ();
}
