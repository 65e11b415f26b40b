/* setl.c: the `setl` command-line tool — a dispatcher to its subcommands.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <locale.h>
#include <stdio.h>
#include <string.h>

#include <setl/setl-plugin.h>

#include "setl-commands.h"

typedef struct {
  const char *name;
  int (*run) (int argc, char **argv);
  const char *summary;
} Command;

static const Command commands[] = {
  { "plugins", setl_cmd_plugins, "List plugins and their features (--blacklist: refused ones)" },
  { "inspect", setl_cmd_inspect, "Describe a plugin or a feature and its properties" },
  { "run", setl_cmd_run, "Run a pipeline file (--param NAME=VALUE, --report FILE.json)" },
  { "check", setl_cmd_check, "Validate a pipeline file without running it; show its stages" },
  { "graph", setl_cmd_graph, "Draw a pipeline file's graph (--format mermaid|dot)" },
  { "templates", setl_cmd_templates, "List the pipeline templates of the library" },
  { "convert", setl_cmd_convert, "Convert IN to OUT between formats (csv, jsonl, sqlite)" },
  { "cache", setl_cmd_cache, "Look into a cache of results: stats, clear, explain FILE FACTORY" },
  { "validate", setl_cmd_validate, "Validate DATA against a schema (--schema S, --lazy, --report, --drop-invalid)" },
  { "synth", setl_cmd_synth, "Make rows from a schema (--schema S --rows N [--seed K] [--invalid] [-o OUT])" },
#ifdef HAVE_SETL_CMD_SCHEMA
  { "schema", setl_cmd_schema, "Manage the versioned schema registry" },
#endif
};

static void
usage (FILE *out)
{
  fprintf (out, "Usage: setl COMMAND [ARGUMENTS…]\n\nCommands:\n");
  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    fprintf (out, "  %-10s %s\n", commands[i].name, commands[i].summary);
  fprintf (out, "\nRun “setl COMMAND --help” for a command's options.\n");
}

int
main (int    argc,
      char **argv)
{
  setlocale (LC_ALL, "");

  if (argc < 2)
    {
      usage (stderr);
      return 2;
    }
  if (strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0 ||
      strcmp (argv[1], "help") == 0)
    {
      usage (stdout);
      return 0;
    }
  if (strcmp (argv[1], "--version") == 0)
    {
      printf ("setl %s (plugin ABI %d.%d)\n", SETL_VERSION_STRING,
              SETL_ABI_MAJOR, SETL_ABI_MINOR);
      return 0;
    }

  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    if (strcmp (argv[1], commands[i].name) == 0)
      return commands[i].run (argc - 1, argv + 1);

  fprintf (stderr, "setl: unknown command “%s”\n\n", argv[1]);
  usage (stderr);
  return 2;
}
