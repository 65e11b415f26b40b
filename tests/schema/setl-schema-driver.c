/* setl-schema-driver.c: `setl schema` as a program of its own, so that the
 * command is tested whether or not the `setl` tool is built.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <locale.h>

#include <glib.h>

int setl_cmd_schema (int argc, char **argv);

int
main (int    argc,
      char **argv)
{
  /* g_print() converts to the locale's charset: without this, “quotes”
   * become "?" as under the C locale. */
  setlocale (LC_ALL, "");
  return setl_cmd_schema (argc, argv);
}
