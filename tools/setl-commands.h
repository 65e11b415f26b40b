/* setl-commands.h: the subcommands of the `setl` tool.
 *
 * Each takes the arguments after `setl` (argv[0] is the subcommand's name)
 * and returns the process exit status.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

int setl_cmd_plugins (int argc, char **argv);
int setl_cmd_inspect (int argc, char **argv);
int setl_cmd_schema  (int argc, char **argv);
int setl_cmd_run     (int argc, char **argv);
int setl_cmd_check   (int argc, char **argv);
int setl_cmd_graph   (int argc, char **argv);
int setl_cmd_templates (int argc, char **argv);
int setl_cmd_convert (int argc, char **argv);
int setl_cmd_cache   (int argc, char **argv);
int setl_cmd_validate (int argc, char **argv);
int setl_cmd_schema_infer (int argc, char **argv);
int setl_cmd_synth (int argc, char **argv);
