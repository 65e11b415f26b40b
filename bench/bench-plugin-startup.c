/* bench-plugin-startup.c: how long `setl plugins` takes to start with 100
 * plugins, cold (no registry cache: every plugin is scanned in the helper
 * process) and warm (the cache is read and no plugin module is opened).
 *
 * The plugins are made at run time with the C compiler the project was
 * configured with: bench-plugin-startup-plugin.c is compiled once, and each
 * of the N copies links that object with a file defining its name, against
 * the libsetl of this build tree (its uninstalled pkg-config file). `setl
 * plugins` then runs as a user runs it, with SETL_PLUGIN_PATH,
 * SETL_PLUGIN_SYSTEM_PATH and SETL_REGISTRY pointing into a temporary
 * directory and SETL_PLUGIN_SCANNER at this tree's scanner.
 *
 * Each figure is the wall-clock time of one process, from spawn to exit,
 * standard output to /dev/null; min and median over the repetitions.
 * Reference points: `setl --version` (process start and libsetl's
 * loading, nothing else) and `setl plugins` on an empty plugin directory.
 *
 * Usage: bench-plugin-startup [--plugins N] [--repeat N] [--cold-repeat N]
 *                             [--keep]
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <glib.h>
#include <glib/gstdio.h>

#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static int n_plugins = 100;
static int n_repeat = 21;
static int n_cold_repeat = 5;
static gboolean keep = FALSE;

static GOptionEntry entries[] = {
  { "plugins", 'n', 0, G_OPTION_ARG_INT, &n_plugins, "How many plugins to generate (100)", "N" },
  { "repeat", 'r', 0, G_OPTION_ARG_INT, &n_repeat, "Warm runs (21)", "N" },
  { "cold-repeat", 'c', 0, G_OPTION_ARG_INT, &n_cold_repeat, "Cold runs (5)", "N" },
  { "keep", 'k', 0, G_OPTION_ARG_NONE, &keep, "Keep the temporary directory", NULL },
  G_OPTION_ENTRY_NULL
};

/* Runs @argv, waits; fails the benchmark on any error. */
static void
run_or_die (char **argv, char **envp)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  int status;

  if (!g_spawn_sync (NULL, argv, envp, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL,
                     NULL, NULL, NULL, &err, &status, &error) ||
      !g_spawn_check_wait_status (status, &error))
    {
      g_autofree char *cmd = g_strjoinv (" ", argv);
      g_printerr ("bench-plugin-startup: %s: %s\n%s", cmd,
                  error ? error->message : "failed", err ? err : "");
      exit (1);
    }
}

/* The compiler and linker flags for a plugin of this build tree. */
static char **
setl_flags (void)
{
  g_autofree char *pc_path = g_build_filename (BENCH_BUILD_ROOT, "meson-uninstalled", NULL);
  g_auto(GStrv) envp = g_environ_setenv (g_get_environ (), "PKG_CONFIG_PATH", pc_path, TRUE);
  char *argv[] = { "pkg-config", "--cflags", "--libs", "setl-1", NULL };
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  char **flags = NULL;
  int status;

  if (!g_spawn_sync (NULL, argv, envp, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, NULL,
                     &status, &error) ||
      !g_spawn_check_wait_status (status, &error) ||
      !g_shell_parse_argv (g_strstrip (out), NULL, &flags, &error))
    {
      g_printerr ("bench-plugin-startup: pkg-config setl-1 (uninstalled) failed: %s\n",
                  error->message);
      exit (1);
    }
  return flags;
}

static void
generate_plugins (const char *dir, const char *work)
{
  g_auto(GStrv) flags = setl_flags ();
  g_autofree char *object = g_build_filename (work, "plugin.o", NULL);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();

  g_ptr_array_add (argv, BENCH_CC);
  g_ptr_array_add (argv, "-c");
  g_ptr_array_add (argv, "-fPIC");
  g_ptr_array_add (argv, "-O2");
  g_ptr_array_add (argv, "-o");
  g_ptr_array_add (argv, object);
  g_ptr_array_add (argv, BENCH_PLUGIN_SOURCE);
  for (guint i = 0; flags[i]; i++)
    if (g_str_has_prefix (flags[i], "-I") || g_str_has_prefix (flags[i], "-D") ||
        g_str_equal (flags[i], "-pthread"))
      g_ptr_array_add (argv, flags[i]);
  g_ptr_array_add (argv, NULL);
  run_or_die ((char **) argv->pdata, NULL);

  for (int n = 0; n < n_plugins; n++)
    {
      g_autofree char *name = g_strdup_printf ("bench-%03d", n);
      g_autofree char *name_c = g_strdup_printf ("%s/%s.c", work, name);
      g_autofree char *code = g_strdup_printf ("extern const char bench_plugin_name[];\n"
                                               "const char bench_plugin_name[] = \"%s\";\n", name);
      g_autofree char *module = g_strdup_printf ("%s/%s.so", dir, name);
      g_autoptr(GPtrArray) link = g_ptr_array_new ();

      if (!g_file_set_contents (name_c, code, -1, NULL))
        {
          g_printerr ("bench-plugin-startup: cannot write %s\n", name_c);
          exit (1);
        }
      g_ptr_array_add (link, BENCH_CC);
      g_ptr_array_add (link, "-shared");
      g_ptr_array_add (link, "-fPIC");
      g_ptr_array_add (link, "-o");
      g_ptr_array_add (link, module);
      g_ptr_array_add (link, object);
      g_ptr_array_add (link, name_c);
      for (guint i = 0; flags[i]; i++)
        if (!g_str_has_prefix (flags[i], "-I") && !g_str_has_prefix (flags[i], "-D"))
          g_ptr_array_add (link, flags[i]);
      g_ptr_array_add (link, NULL);
      run_or_die ((char **) link->pdata, NULL);
      g_unlink (name_c);
    }
  g_unlink (object);
}

/* One run of @argv: wall-clock µs from spawn to exit. Output to @out_file
 * (NULL: /dev/null). */
static gint64
time_run (char **argv, char **envp, const char *out_file)
{
  posix_spawn_file_actions_t actions;
  gint64 start, end;
  pid_t pid;
  int status, rc;

  posix_spawn_file_actions_init (&actions);
  posix_spawn_file_actions_addopen (&actions, STDOUT_FILENO, out_file ? out_file : "/dev/null",
                                    O_WRONLY | O_CREAT | O_TRUNC, 0644);
  start = g_get_monotonic_time ();
  rc = posix_spawn (&pid, argv[0], &actions, NULL, argv, envp);
  if (rc != 0)
    {
      g_printerr ("bench-plugin-startup: cannot run %s: %s\n", argv[0], g_strerror (rc));
      exit (1);
    }
  while (waitpid (pid, &status, 0) < 0 && errno == EINTR)
    ;
  end = g_get_monotonic_time ();
  posix_spawn_file_actions_destroy (&actions);
  if (!WIFEXITED (status) || WEXITSTATUS (status) != 0)
    {
      g_printerr ("bench-plugin-startup: %s %s failed (status %d)\n", argv[0], argv[1], status);
      exit (1);
    }
  return end - start;
}

static int
compare_gint64 (gconstpointer a, gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;
  return x < y ? -1 : x > y;
}

static void
report (const char *what, GArray *times)
{
  g_array_sort (times, compare_gint64);
  printf ("%-40s %9.2f %9.2f   (%u runs)\n", what,
          g_array_index (times, gint64, 0) / 1000.0,
          g_array_index (times, gint64, times->len / 2) / 1000.0, times->len);
}

static GArray *
time_runs (int n, char **argv, char **envp, const char *remove_first)
{
  GArray *times = g_array_new (FALSE, FALSE, sizeof (gint64));

  for (int i = 0; i < n; i++)
    {
      gint64 t;

      if (remove_first)
        g_unlink (remove_first);
      t = time_run (argv, envp, NULL);
      g_array_append_val (times, t);
    }
  return times;
}

static char **
setl_env (const char *plugin_dir, const char *cache)
{
  char **envp = g_get_environ ();

  envp = g_environ_setenv (envp, "SETL_PLUGIN_PATH", plugin_dir, TRUE);
  envp = g_environ_setenv (envp, "SETL_PLUGIN_SYSTEM_PATH", "", TRUE);
  envp = g_environ_setenv (envp, "SETL_REGISTRY", cache, TRUE);
  envp = g_environ_setenv (envp, "SETL_PLUGIN_SCANNER", BENCH_SCANNER, TRUE);
  return envp;
}

int
main (int argc, char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new ("— start-up time of `setl plugins`");
  g_autoptr(GError) error = NULL;
  g_autofree char *tmp = NULL;
  g_autofree char *plugin_dir = NULL, *empty_dir = NULL, *work = NULL;
  g_autofree char *cache = NULL, *empty_cache = NULL, *listing = NULL, *contents = NULL;
  g_autofree char *expect = NULL;
  g_auto(GStrv) envp = NULL, empty_envp = NULL;
  char *version_argv[] = { BENCH_SETL, "--version", NULL };
  char *plugins_argv[] = { BENCH_SETL, "plugins", NULL };
  GArray *times;
  gint64 t0;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("bench-plugin-startup: %s\n", error->message);
      return 2;
    }
  if (n_plugins < 1 || n_repeat < 1 || n_cold_repeat < 1)
    {
      g_printerr ("bench-plugin-startup: counts must be positive\n");
      return 2;
    }

  tmp = g_dir_make_tmp ("setl-bench-startup-XXXXXX", &error);
  g_assert_no_error (error);
  plugin_dir = g_build_filename (tmp, "plugins", NULL);
  empty_dir = g_build_filename (tmp, "empty", NULL);
  work = g_build_filename (tmp, "work", NULL);
  cache = g_build_filename (tmp, "registry.json", NULL);
  empty_cache = g_build_filename (tmp, "empty-registry.json", NULL);
  listing = g_build_filename (tmp, "listing.txt", NULL);
  g_mkdir (plugin_dir, 0755);
  g_mkdir (empty_dir, 0755);
  g_mkdir (work, 0755);

  t0 = g_get_monotonic_time ();
  generate_plugins (plugin_dir, work);
  printf ("%d plugins generated in %s in %.1f s\n", n_plugins, plugin_dir,
          (g_get_monotonic_time () - t0) / 1e6);
  printf ("setl: %s\n\n", BENCH_SETL);

  envp = setl_env (plugin_dir, cache);
  empty_envp = setl_env (empty_dir, empty_cache);

  /* Check once that every plugin is found, and warm the page cache. */
  g_unlink (cache);
  time_run (plugins_argv, envp, listing);
  expect = g_strdup_printf ("\n%d plugins\n", n_plugins);
  if (!g_file_get_contents (listing, &contents, NULL, NULL) || strstr (contents, expect) == NULL)
    {
      g_printerr ("bench-plugin-startup: `setl plugins` did not list %d plugins:\n%s\n",
                  n_plugins, contents ? contents : "");
      return 1;
    }

  printf ("%-40s %9s %9s\n", "ms (wall clock, one process)", "min", "median");
  times = time_runs (n_repeat, version_argv, envp, NULL);
  report ("setl --version", times);
  g_array_unref (times);

  time_run (plugins_argv, empty_envp, NULL);
  times = time_runs (n_repeat, plugins_argv, empty_envp, NULL);
  report ("setl plugins, no plugin", times);
  g_array_unref (times);

  times = time_runs (n_cold_repeat, plugins_argv, envp, cache);
  {
    g_autofree char *label = g_strdup_printf ("setl plugins, %d plugins, cold", n_plugins);
    report (label, times);
  }
  g_array_unref (times);

  time_run (plugins_argv, envp, NULL);   /* leaves the cache in place */
  times = time_runs (n_repeat, plugins_argv, envp, NULL);
  {
    g_autofree char *label = g_strdup_printf ("setl plugins, %d plugins, warm", n_plugins);
    report (label, times);
    printf ("\nwarm median against the 10 ms target: %.2f\n",
            g_array_index (times, gint64, times->len / 2) / 10000.0);
  }
  g_array_unref (times);

  if (keep)
    printf ("kept: %s\n", tmp);
  else
    {
      g_autofree char *rm = g_strdup_printf ("rm -rf '%s'", tmp);
      if (system (rm) != 0)
        g_printerr ("bench-plugin-startup: cannot remove %s\n", tmp);
    }
  return 0;
}
