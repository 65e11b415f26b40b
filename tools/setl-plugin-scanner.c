/* setl-plugin-scanner.c: the registry's helper process.
 *
 * Usage: setl-plugin-scanner PLUGIN-FILE
 *
 * Loads one plugin (running its init function) and prints on standard
 * output, as JSON, what it provides — or, if it is refused, the reason. The
 * registry runs it for every new or changed plugin file, so that a plugin
 * that crashes or aborts while loading takes down this process and not the
 * application: the registry sees the signal and blacklists the file.
 *
 * It exits 0 whenever it could say something about the plugin (refused or
 * not); anything else — a signal, another exit status — is the plugin's
 * doing.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "setl-plugin-private.h"

#include <stdio.h>
#include <unistd.h>

int
main (int    argc,
      char **argv)
{
  g_autoptr(SetlPlugin) plugin = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autofree char *json = NULL;
  gint64 size = 0, mtime = 0;
  FILE *out;
  int out_fd;

  if (argc != 2)
    {
      fprintf (stderr, "Usage: %s PLUGIN-FILE\n", argv[0]);
      return 2;
    }

  /* Whatever the plugin prints must not mix with the JSON: keep the real
   * standard output for ourselves and send fd 1 to standard error. */
  out_fd = dup (STDOUT_FILENO);
  if (out_fd < 0 || dup2 (STDERR_FILENO, STDOUT_FILENO) < 0)
    {
      perror ("setl-plugin-scanner: dup");
      return 2;
    }
  out = fdopen (out_fd, "w");

  plugin = setl_plugin_load_file (argv[1], &error);
  if (plugin == NULL)
    {
      plugin = _setl_plugin_new_for_file (argv[1]);
      _setl_plugin_take_error (plugin, g_steal_pointer (&error));
    }
  _setl_plugin_stat_file (argv[1], &size, &mtime);
  _setl_plugin_set_file_stamp (plugin, size, mtime);

  node = _setl_plugin_to_json (plugin);
  json_generator_set_root (gen, node);
  json = json_generator_to_data (gen, NULL);
  fputs (json, out);
  fputc ('\n', out);
  if (fclose (out) != 0)
    return 2;
  return 0;
}
