/* setl-plugin-error.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "setl-plugin.h"

G_DEFINE_QUARK (setl-plugin-error-quark, setl_plugin_error)
