/* setl-cmd-schema.c: `setl schema`, the versioned schema registry on the
 * command line.
 *
 *   setl schema register FILE [--compat MODE]
 *   setl schema get NAME[@VERSION|@latest]
 *   setl schema list [NAME]
 *   setl schema compat NAME [MODE]
 *   setl schema delete NAME@VERSION
 *
 * Every action takes --path DIR to use another registry than
 * SETL_SCHEMA_PATH or the default. Exit status 0 on success, 1 with a message
 * on standard error otherwise.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <setl/setl-schema-registry.h>

#if defined(__has_include)
# if __has_include("setl-commands.h")
#  include "setl-commands.h"
#  define SETL_HAVE_COMMANDS_H 1
# endif
#endif
#ifndef SETL_HAVE_COMMANDS_H
/* tools/setl-commands.h declares every command once it exists. */
int setl_cmd_schema (int argc, char **argv);
#endif

static const char usage[] =
  "Usage:\n"
  "  setl schema register FILE [--compat MODE]   register FILE as the next version of its name\n"
  "  setl schema get NAME[@VERSION|@latest]      print a version (the latest by default)\n"
  "  setl schema list [NAME]                     list schema names, or the versions of NAME\n"
  "  setl schema compat NAME [MODE]              show or set the compatibility mode of NAME\n"
  "  setl schema delete NAME@VERSION             delete one version\n"
  "  setl schema infer DATA [-o FILE]            infer a schema from a data file (see --help)\n"
  "\n"
  "Options:\n"
  "  --path DIR       the registry directory (default: $SETL_SCHEMA_PATH, else\n"
  "                   $XDG_DATA_HOME/setl/schemas)\n"
  "  --compat MODE    with register: set the mode of the name first\n"
  "\n"
  "MODE is one of NONE, BACKWARD (the default), FORWARD, FULL, BACKWARD_TRANSITIVE,\n"
  "FORWARD_TRANSITIVE, FULL_TRANSITIVE.\n";

static int
fail (const char *format,
      ...) G_GNUC_PRINTF (1, 2);

static int
fail (const char *format,
      ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_printerr ("setl schema: %s\n", message);
  return 1;
}

static int
fail_error (GError *error)
{
  return fail ("%s", error->message);
}

static int
cmd_register (SetlSchemaRegistry *registry,
              int                 argc,
              char              **argv,
              const char         *compat)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SetlSchema) schema = NULL;
  g_autoptr(SetlSchema) stored = NULL;
  g_autofree guint *before = NULL;
  gsize n_before = 0;
  SetlSchemaCompatibility mode;
  const char *name;

  if (argc != 1)
    return fail ("register takes one FILE\n\n%s", usage);
  if (compat != NULL && !setl_schema_compatibility_from_string (compat, &mode))
    return fail ("“%s” is not a compatibility mode: expected NONE, BACKWARD, FORWARD, FULL, "
                 "BACKWARD_TRANSITIVE, FORWARD_TRANSITIVE or FULL_TRANSITIVE", compat);

  schema = setl_schema_new_from_file (argv[0], &error);
  if (schema == NULL)
    return fail_error (error);
  name = setl_schema_get_name (schema);

  if (compat != NULL && !setl_schema_registry_set_compatibility (registry, name, mode, &error))
    return fail_error (error);

  /* Only to tell "already there" from "new" in the message. */
  before = setl_schema_registry_list_versions (registry, name, &n_before, NULL);

  stored = setl_schema_registry_register (registry, schema, &error);
  if (stored == NULL)
    return fail_error (error);

  for (gsize i = 0; i < n_before; i++)
    if (before[i] == setl_schema_get_version (stored))
      {
        g_print ("Schema “%s” is already registered as version %u\n",
                 name, setl_schema_get_version (stored));
        return 0;
      }
  g_print ("Registered schema “%s” version %u\n", name, setl_schema_get_version (stored));
  return 0;
}

static int
cmd_get (SetlSchemaRegistry *registry,
         int                 argc,
         char              **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SetlSchema) schema = NULL;
  g_autofree char *json = NULL;

  if (argc != 1)
    return fail ("get takes one NAME[@VERSION|@latest]\n\n%s", usage);
  schema = setl_schema_registry_lookup (registry, argv[0], &error);
  if (schema == NULL)
    return fail_error (error);
  json = setl_schema_to_json (schema, TRUE);
  g_print ("%s\n", json);
  return 0;
}

static int
cmd_list (SetlSchemaRegistry *registry,
          int                 argc,
          char              **argv)
{
  g_autoptr(GError) error = NULL;

  if (argc > 1)
    return fail ("list takes at most one NAME\n\n%s", usage);

  if (argc == 0)
    {
      g_auto(GStrv) names = setl_schema_registry_list_names (registry, &error);

      if (names == NULL)
        return fail_error (error);
      for (guint i = 0; names[i] != NULL; i++)
        g_print ("%s\n", names[i]);
    }
  else
    {
      g_autofree guint *versions = NULL;
      gsize n_versions;

      versions = setl_schema_registry_list_versions (registry, argv[0], &n_versions, &error);
      if (versions == NULL)
        return fail_error (error);
      for (gsize i = 0; i < n_versions; i++)
        g_print ("%u\n", versions[i]);
    }
  return 0;
}

static int
cmd_compat (SetlSchemaRegistry *registry,
            int                 argc,
            char              **argv)
{
  g_autoptr(GError) error = NULL;
  SetlSchemaCompatibility mode;

  if (argc < 1 || argc > 2)
    return fail ("compat takes NAME and an optional MODE\n\n%s", usage);

  if (argc == 1)
    {
      if (!setl_schema_registry_get_compatibility (registry, argv[0], &mode, &error))
        return fail_error (error);
      g_print ("%s\n", setl_schema_compatibility_to_string (mode));
      return 0;
    }

  if (!setl_schema_compatibility_from_string (argv[1], &mode))
    return fail ("“%s” is not a compatibility mode: expected NONE, BACKWARD, FORWARD, FULL, "
                 "BACKWARD_TRANSITIVE, FORWARD_TRANSITIVE or FULL_TRANSITIVE", argv[1]);
  if (!setl_schema_registry_set_compatibility (registry, argv[0], mode, &error))
    return fail_error (error);
  g_print ("Compatibility of “%s” set to %s\n", argv[0], setl_schema_compatibility_to_string (mode));
  return 0;
}

static int
cmd_delete (SetlSchemaRegistry *registry,
            int                 argc,
            char              **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  guint version;

  if (argc != 1)
    return fail ("delete takes one NAME@VERSION\n\n%s", usage);
  if (!setl_schema_parse_reference (argv[0], &name, &version, &error))
    return fail_error (error);
  /* Deleting "the latest" by accident is too easy; ask for the number. */
  if (version == SETL_SCHEMA_VERSION_LATEST)
    return fail ("delete needs an explicit version: NAME@VERSION, not “%s”", argv[0]);
  if (!setl_schema_registry_delete_version (registry, name, version, &error))
    return fail_error (error);
  g_print ("Deleted schema “%s” version %u\n", name, version);
  return 0;
}

/**
 * setl_cmd_schema:
 * @argc: the number of arguments
 * @argv: the arguments; @argv[0] is the command's own name (`schema`) and
 *   @argv[1] the action
 *
 * Runs `setl schema`.
 *
 * Returns: the exit status, 0 on success and 1 on any error
 */
int
setl_cmd_schema (int    argc,
                 char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SetlSchemaRegistry) registry = NULL;
  g_autofree char *path = NULL;
  g_autofree char *compat = NULL;
  g_auto(GStrv) args = NULL;
  const char *action;
  int n_args;
  const GOptionEntry entries[] = {
    { "path", 0, 0, G_OPTION_ARG_FILENAME, &path, "The registry directory", "DIR" },
    { "compat", 0, 0, G_OPTION_ARG_STRING, &compat, "With register: set the compatibility mode first", "MODE" },
    { NULL }
  };

#ifdef HAVE_SETL_CMD_INFER
  /* infer reads data through plugins: its own options (setl-cmd-infer.c). */
  if (argc >= 2 && g_str_equal (argv[1], "infer"))
    return setl_cmd_schema_infer (argc - 1, argv + 1);
#endif
  if (argc >= 2 && (g_str_equal (argv[1], "help") || g_str_equal (argv[1], "--help") ||
                    g_str_equal (argv[1], "-h")))
    {
      g_print ("%s", usage);
      return 0;
    }

  /* GOptionContext wants to own and rewrite the vector. */
  args = g_new0 (char *, argc + 1);
  for (int i = 0; i < argc; i++)
    args[i] = g_strdup (argv[i]);

  context = g_option_context_new ("ACTION [ARGS…]");
  g_option_context_set_help_enabled (context, FALSE);
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse_strv (context, &args, &error))
    return fail ("%s\n\n%s", error->message, usage);

  n_args = (int) g_strv_length (args);
  if (n_args < 2)
    return fail ("an action is needed\n\n%s", usage);
  action = args[1];

  if (compat != NULL && !g_str_equal (action, "register"))
    return fail ("--compat goes with register only; use “setl schema compat NAME MODE”");

  registry = setl_schema_registry_new (path);
  if (g_str_equal (action, "register"))
    return cmd_register (registry, n_args - 2, args + 2, compat);
  if (g_str_equal (action, "get"))
    return cmd_get (registry, n_args - 2, args + 2);
  if (g_str_equal (action, "list"))
    return cmd_list (registry, n_args - 2, args + 2);
  if (g_str_equal (action, "compat"))
    return cmd_compat (registry, n_args - 2, args + 2);
  if (g_str_equal (action, "delete"))
    return cmd_delete (registry, n_args - 2, args + 2);
  return fail ("unknown action “%s”\n\n%s", action, usage);
}
