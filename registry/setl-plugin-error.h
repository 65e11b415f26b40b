/* setl-plugin-error.h: the error domain of plugin loading.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(SETL_PLUGIN_INSIDE) && !defined(SETL_COMPILATION)
#error "Only <setl/setl-plugin.h> can be included directly."
#endif

#include <glib.h>

G_BEGIN_DECLS

/**
 * SETL_PLUGIN_ERROR:
 *
 * Error domain of plugin discovery and loading. Errors in this domain use
 * #SetlPluginError codes, and their message names the plugin file at fault.
 */
#define SETL_PLUGIN_ERROR (setl_plugin_error_quark ())

/**
 * SetlPluginError:
 * @SETL_PLUGIN_ERROR_NOT_A_PLUGIN: the file is not a shared object.
 * @SETL_PLUGIN_ERROR_NO_DESCRIPTOR: the module does not export the
 *   `setl_plugin_desc` descriptor made by SETL_PLUGIN_DEFINE().
 * @SETL_PLUGIN_ERROR_INVALID_DESCRIPTOR: the descriptor lacks a name, a
 *   version or an init function.
 * @SETL_PLUGIN_ERROR_ABI_MISMATCH: the plugin was built against an ABI
 *   whose major differs from libsetl's, or whose minor is newer.
 * @SETL_PLUGIN_ERROR_INIT_FAILED: the plugin's init function failed.
 * @SETL_PLUGIN_ERROR_NAME_CONFLICT: another plugin earlier on the search
 *   path has the same name, or provides a feature of the same name.
 * @SETL_PLUGIN_ERROR_BLACKLISTED: the plugin crashed while it was scanned;
 *   it is skipped until its file changes.
 * @SETL_PLUGIN_ERROR_MISSING_DEPENDENCY: the module cannot be opened: a
 *   library it links to, or a symbol it needs, is missing.
 * @SETL_PLUGIN_ERROR_INVALID_FEATURE: a feature was registered with a type
 *   that does not fit its kind.
 * @SETL_PLUGIN_ERROR_SCANNER: the scanner helper could not be run, or said
 *   something that could not be understood.
 * @SETL_PLUGIN_ERROR_NOT_FOUND: no plugin or feature has the requested name.
 * @SETL_PLUGIN_ERROR_CHANGED: the plugin file changed since it was scanned
 *   and no longer matches what the registry knows of it.
 *
 * Error codes of #SETL_PLUGIN_ERROR.
 */
typedef enum {
  SETL_PLUGIN_ERROR_NOT_A_PLUGIN,
  SETL_PLUGIN_ERROR_NO_DESCRIPTOR,
  SETL_PLUGIN_ERROR_INVALID_DESCRIPTOR,
  SETL_PLUGIN_ERROR_ABI_MISMATCH,
  SETL_PLUGIN_ERROR_INIT_FAILED,
  SETL_PLUGIN_ERROR_NAME_CONFLICT,
  SETL_PLUGIN_ERROR_BLACKLISTED,
  SETL_PLUGIN_ERROR_MISSING_DEPENDENCY,
  SETL_PLUGIN_ERROR_INVALID_FEATURE,
  SETL_PLUGIN_ERROR_SCANNER,
  SETL_PLUGIN_ERROR_NOT_FOUND,
  SETL_PLUGIN_ERROR_CHANGED,
} SetlPluginError;

GQuark setl_plugin_error_quark (void);

G_END_DECLS
