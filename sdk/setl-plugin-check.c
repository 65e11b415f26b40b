/* setl-plugin-check.c: conformance checks for one plugin file.
 *
 * Usage: setl-plugin-check PLUGIN.so
 *
 * Loads the plugin on its own (no registry, no search path), checks its
 * descriptor, and puts every feature through the contract of its kind:
 *
 *   every kind     the type is registered under the recorded name, is not
 *                  abstract, and an instance can be made; every readable
 *                  property reads back its default; every writable one
 *                  takes its default, and numeric ones their minimum and
 *                  maximum, and reads them back
 *   factories      the type is a SetlFactory; the output type is declared;
 *                  sources need no input and, run with default properties,
 *                  yield a value of their output type (a failure there is a
 *                  warning: a source may need configuring); transforms and
 *                  sinks declare at least one input
 *   other kinds    their interfaces do not exist yet: only the checks every
 *                  kind gets
 *
 * Prints PASS/FAIL/WARN per check and exits 1 if any check failed.
 *
 * The plugin's code runs in a child process (fork): a plugin that crashes
 * or aborts while it is loaded or checked kills the child, and the checker
 * prints a FAIL line naming the signal and exits 1 instead of dying with it.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <setl/setl-plugin.h>

typedef struct {
  guint passed;
  guint failed;
  guint warned;
} Tally;

static void
report (Tally      *tally,
        gboolean    ok,
        const char *subject,
        const char *check,
        const char *detail)
{
  if (ok)
    tally->passed++;
  else
    tally->failed++;
  printf ("%s  %s: %s%s%s\n", ok ? "PASS" : "FAIL", subject, check,
          detail ? " — " : "", detail ? detail : "");
}

static void
warn (Tally      *tally,
      const char *subject,
      const char *check,
      const char *detail)
{
  tally->warned++;
  printf ("WARN  %s: %s — %s\n", subject, check, detail);
}

static gboolean
is_valid_name (const char *name)
{
  if (name == NULL || !g_ascii_islower (name[0]))
    return FALSE;
  for (const char *p = name; *p; p++)
    if (!g_ascii_islower (*p) && !g_ascii_isdigit (*p) && *p != '-')
      return FALSE;
  return TRUE;
}

static void
check_descriptor (Tally      *tally,
                  SetlPlugin *plugin)
{
  const char *name = setl_plugin_get_name (plugin);
  g_autofree char *abi = g_strdup_printf ("built for %u.%u, libsetl has %d.%d",
                                          setl_plugin_get_abi_major (plugin),
                                          setl_plugin_get_abi_minor (plugin),
                                          SETL_ABI_MAJOR, SETL_ABI_MINOR);

  report (tally, TRUE, name, "descriptor found and plugin initialised", NULL);
  report (tally, is_valid_name (name), name,
          "name is lower case, digits and dashes", NULL);
  report (tally, setl_plugin_get_abi_major (plugin) == SETL_ABI_MAJOR &&
                 setl_plugin_get_abi_minor (plugin) <= SETL_ABI_MINOR,
          name, "ABI accepted", abi);
  report (tally, setl_plugin_get_version (plugin) && *setl_plugin_get_version (plugin),
          name, "has a version", NULL);
  report (tally, setl_plugin_get_description (plugin) && *setl_plugin_get_description (plugin),
          name, "has a description", NULL);
  report (tally, setl_plugin_get_license (plugin) && *setl_plugin_get_license (plugin),
          name, "has a license", NULL);
  report (tally, setl_plugin_get_origin (plugin) && *setl_plugin_get_origin (plugin),
          name, "has an origin URL", NULL);
  report (tally, setl_plugin_get_features (plugin)->len > 0,
          name, "registers at least one feature", NULL);
}

/* Sets @value on @object's property and reads it back. */
static gboolean
round_trip (GObject      *object,
            GParamSpec   *pspec,
            const GValue *value,
            char        **detail)
{
  g_auto(GValue) back = G_VALUE_INIT;

  g_object_set_property (object, pspec->name, value);
  g_value_init (&back, pspec->value_type);
  g_object_get_property (object, pspec->name, &back);
  if (g_param_values_cmp (pspec, value, &back) != 0)
    {
      g_autofree char *want = g_strdup_value_contents (value);
      g_autofree char *got = g_strdup_value_contents (&back);
      *detail = g_strdup_printf ("set %s, read back %s", want, got);
      return FALSE;
    }
  return TRUE;
}

static void
set_bound (GParamSpec *pspec,
           GValue     *value,
           gboolean    maximum)
{
#define BOUND(T, setter) \
  setter (value, maximum ? G_PARAM_SPEC_##T (pspec)->maximum : G_PARAM_SPEC_##T (pspec)->minimum)
  if (G_IS_PARAM_SPEC_INT (pspec)) BOUND (INT, g_value_set_int);
  else if (G_IS_PARAM_SPEC_UINT (pspec)) BOUND (UINT, g_value_set_uint);
  else if (G_IS_PARAM_SPEC_INT64 (pspec)) BOUND (INT64, g_value_set_int64);
  else if (G_IS_PARAM_SPEC_UINT64 (pspec)) BOUND (UINT64, g_value_set_uint64);
  else if (G_IS_PARAM_SPEC_LONG (pspec)) BOUND (LONG, g_value_set_long);
  else if (G_IS_PARAM_SPEC_ULONG (pspec)) BOUND (ULONG, g_value_set_ulong);
  else if (G_IS_PARAM_SPEC_DOUBLE (pspec)) BOUND (DOUBLE, g_value_set_double);
  else if (G_IS_PARAM_SPEC_FLOAT (pspec)) BOUND (FLOAT, g_value_set_float);
#undef BOUND
}

static gboolean
is_numeric (GParamSpec *pspec)
{
  return G_IS_PARAM_SPEC_INT (pspec) || G_IS_PARAM_SPEC_UINT (pspec) ||
         G_IS_PARAM_SPEC_INT64 (pspec) || G_IS_PARAM_SPEC_UINT64 (pspec) ||
         G_IS_PARAM_SPEC_LONG (pspec) || G_IS_PARAM_SPEC_ULONG (pspec) ||
         G_IS_PARAM_SPEC_DOUBLE (pspec) || G_IS_PARAM_SPEC_FLOAT (pspec);
}

static void
check_properties (Tally      *tally,
                  const char *subject,
                  GObject    *object)
{
  g_autofree GParamSpec **pspecs = NULL;
  guint n = 0;

  pspecs = g_object_class_list_properties (G_OBJECT_GET_CLASS (object), &n);
  for (guint i = 0; i < n; i++)
    {
      GParamSpec *pspec = pspecs[i];
      g_autofree char *check = NULL;
      g_autofree char *detail = NULL;
      g_auto(GValue) def = G_VALUE_INIT;
      g_auto(GValue) now = G_VALUE_INIT;
      gboolean ok = TRUE;

      /* The core's own properties (name, output-type…) are its business. */
      if (pspec->owner_type == SETL_TYPE_FACTORY || pspec->owner_type == G_TYPE_OBJECT)
        continue;

      g_value_init (&def, pspec->value_type);
      g_param_value_set_default (pspec, &def);

      if (pspec->flags & G_PARAM_READABLE)
        {
          check = g_strdup_printf ("property “%s” reads back its default", pspec->name);
          g_value_init (&now, pspec->value_type);
          g_object_get_property (object, pspec->name, &now);
          ok = g_param_values_cmp (pspec, &def, &now) == 0;
          if (!ok)
            {
              g_autofree char *want = g_strdup_value_contents (&def);
              g_autofree char *got = g_strdup_value_contents (&now);
              detail = g_strdup_printf ("default %s, instance has %s", want, got);
            }
          report (tally, ok, subject, check, detail);
          g_clear_pointer (&check, g_free);
          g_clear_pointer (&detail, g_free);
        }
      else
        report (tally, FALSE, subject, "property is readable", pspec->name);

      if ((pspec->flags & G_PARAM_WRITABLE) && !(pspec->flags & G_PARAM_CONSTRUCT_ONLY) &&
          (pspec->flags & G_PARAM_READABLE))
        {
          check = g_strdup_printf ("property “%s” is settable", pspec->name);
          ok = round_trip (object, pspec, &def, &detail);
          if (ok && is_numeric (pspec))
            {
              g_auto(GValue) bound = G_VALUE_INIT;

              g_value_init (&bound, pspec->value_type);
              set_bound (pspec, &bound, FALSE);
              ok = round_trip (object, pspec, &bound, &detail);
              if (ok)
                {
                  set_bound (pspec, &bound, TRUE);
                  ok = round_trip (object, pspec, &bound, &detail);
                }
              /* Leave the default in place for the checks that follow. */
              g_object_set_property (object, pspec->name, &def);
            }
          report (tally, ok, subject, check, detail);
        }
    }
}

static guint
n_required_inputs (SetlFactory *factory)
{
  GPtrArray *slots = setl_factory_get_deliveries (factory);
  guint n = 0;

  for (guint i = 0; i < slots->len; i++)
    if (!setl_delivery_get_optional (g_ptr_array_index (slots, i)))
      n++;
  return n;
}

static void
check_source_runs (Tally       *tally,
                   const char  *subject,
                   SetlFactory *factory)
{
  g_autoptr(GError) error = NULL;
  g_auto(GValue) output = G_VALUE_INIT;
  GType type = setl_factory_get_output_type (factory);

  if (setl_factory_read (factory, NULL, &error) &&
      setl_factory_process (factory, NULL, &error) &&
      setl_factory_get (factory, &output, &error))
    {
      report (tally, G_VALUE_HOLDS (&output, type), subject,
              "run with default properties, yields its output type", g_type_name (type));
      return;
    }
  warn (tally, subject, "run with default properties", error ? error->message : "failed");
}

static void
check_feature (Tally             *tally,
               SetlPluginFeature *feature)
{
  const char *name = setl_plugin_feature_get_name (feature);
  SetlFeatureKind kind = setl_plugin_feature_get_kind (feature);
  g_autofree char *subject = g_strdup_printf ("%s (%s)", name, setl_feature_kind_to_string (kind));
  g_autoptr(GError) error = NULL;
  g_autoptr(GObject) object = NULL;
  GType type = setl_plugin_feature_load_type (feature, &error);

  report (tally, type != G_TYPE_INVALID &&
                 g_type_from_name (setl_plugin_feature_get_type_name (feature)) == type,
          subject, "type registered under its recorded name",
          setl_plugin_feature_get_type_name (feature));
  if (type == G_TYPE_INVALID)
    return;
  report (tally, is_valid_name (name), subject, "name is lower case, digits and dashes", NULL);
  report (tally, setl_plugin_feature_get_description (feature) != NULL, subject,
          "has a description", NULL);

  if (setl_feature_kind_is_factory (kind))
    report (tally, g_type_is_a (type, SETL_TYPE_FACTORY), subject, "type is a SetlFactory",
            g_type_name (type));

  object = setl_plugin_feature_create (feature, &error);
  report (tally, object != NULL, subject, "an instance can be created",
          error ? error->message : NULL);
  if (object == NULL)
    return;

  {
    g_autofree GParamSpec **pspecs = g_object_class_list_properties (G_OBJECT_GET_CLASS (object), NULL);
    guint n = 0;
    while (pspecs[n]) n++;
    report (tally, setl_plugin_feature_get_properties (feature)->len == n, subject,
            "every property is in the registry's metadata", NULL);
  }

  check_properties (tally, subject, object);

  if (SETL_IS_FACTORY (object))
    {
      SetlFactory *factory = SETL_FACTORY (object);
      GType output = setl_factory_get_output_type (factory);

      report (tally, output != G_TYPE_INVALID && output != G_TYPE_NONE, subject,
              "declares its output type", g_type_name (output));
      if (kind == SETL_FEATURE_KIND_SOURCE)
        {
          report (tally, n_required_inputs (factory) == 0, subject,
                  "a source needs no input", NULL);
          if (n_required_inputs (factory) == 0 && output != G_TYPE_NONE && output != G_TYPE_INVALID)
            check_source_runs (tally, subject, factory);
        }
      else
        report (tally, setl_factory_get_deliveries (factory)->len > 0, subject,
                kind == SETL_FEATURE_KIND_SINK ? "a sink declares an input"
                                               : "a transform declares an input", NULL);
    }
  else
    printf ("SKIP  %s: no interface contract for kind “%s” yet\n", subject,
            setl_feature_kind_to_string (kind));
}

/* Loads the plugin and runs every check; in the child process. */
static int
check_plugin (const char *filename)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SetlPlugin) plugin = NULL;
  Tally tally = { 0, };
  GPtrArray *features;

  plugin = setl_plugin_load_file (filename, &error);
  if (plugin == NULL)
    {
      printf ("FAIL  %s: load — %s\n", filename, error->message);
      printf ("\n0 passed, 1 failed\n");
      return 1;
    }

  check_descriptor (&tally, plugin);
  features = setl_plugin_get_features (plugin);
  for (guint i = 0; i < features->len; i++)
    check_feature (&tally, g_ptr_array_index (features, i));

  printf ("\n%u passed, %u failed, %u warnings\n", tally.passed, tally.failed, tally.warned);
  return tally.failed > 0 ? 1 : 0;
}

int
main (int    argc,
      char **argv)
{
  pid_t child;
  int status;
  int done[2];
  char finished = 0;
  ssize_t n;

  if (argc != 2 || g_str_equal (argv[1], "--help"))
    {
      fprintf (argc == 2 ? stdout : stderr,
               "Usage: setl-plugin-check PLUGIN.so\n\n"
               "Loads one plugin in isolation and checks its descriptor and\n"
               "the contract of every feature it registers.\n");
      return argc == 2 ? 0 : 2;
    }

  /* Line-buffered, so that the child's PASS lines printed before a crash
   * are not lost with its stdio buffer when standard output is a pipe. */
  setvbuf (stdout, NULL, _IOLBF, 0);
  fflush (stderr);

  /* The child writes one byte here once every check has run: an exit
   * without it (a plugin calling exit(), a sanitizer's report) is as much
   * the plugin's doing as a signal. */
  if (pipe (done) != 0)
    {
      fprintf (stderr, "setl-plugin-check: pipe: %s\n", g_strerror (errno));
      return 2;
    }

  /* Forked before GLib starts any thread: the child is a plain copy. */
  child = fork ();
  if (child < 0)
    {
      fprintf (stderr, "setl-plugin-check: cannot fork: %s\n", g_strerror (errno));
      return 2;
    }
  if (child == 0)
    {
      int result;

      close (done[0]);
      result = check_plugin (argv[1]);
      fflush (stdout);
      if (write (done[1], "1", 1) != 1)
        _exit (2);
      close (done[1]);
      exit (result);
    }

  close (done[1]);
  do
    n = read (done[0], &finished, 1);
  while (n < 0 && errno == EINTR);
  close (done[0]);

  while (waitpid (child, &status, 0) < 0)
    if (errno != EINTR)
      {
        fprintf (stderr, "setl-plugin-check: waitpid: %s\n", g_strerror (errno));
        return 2;
      }

  if (WIFSIGNALED (status))
    {
      int sig = WTERMSIG (status);

      printf ("FAIL  %s: the plugin crashed while being loaded or checked — "
              "signal %d (%s)\n", argv[1], sig, g_strsignal (sig));
      printf ("\n0 passed, 1 failed\n");
      return 1;
    }
  if (n != 1)
    {
      printf ("FAIL  %s: the plugin ended the process with exit status %d "
              "while being loaded or checked\n", argv[1], WEXITSTATUS (status));
      printf ("\n0 passed, 1 failed\n");
      return 1;
    }
  /* All checks ran; a non-zero status after that (a leak report, under
   * LeakSanitizer) still fails. */
  return WEXITSTATUS (status);
}
