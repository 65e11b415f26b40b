/* setl-xf-util.h: helpers shared by the transforms: reading the input
 * stream, parameters, and splitting the little lists their properties hold.
 * Private to the plugin.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <setl/setl.h>

G_BEGIN_DECLS

char            *setl_xf_describe          (SetlFactory         *factory,
                                            const char          *kind);
SetlBatchStream *setl_xf_get_input_stream  (SetlFactory         *factory,
                                            const char          *slot,
                                            const char          *kind,
                                            GError             **error);
gboolean         setl_xf_scope_add_parameters (SetlExprScope    *scope,
                                            const char *const   *parameters,
                                            GError             **error);
GPtrArray       *setl_xf_split_list        (const char          *text);
gboolean         setl_xf_split_alias       (const char          *item,
                                            char               **expr_text,
                                            char               **alias,
                                            GError             **error);
char            *setl_xf_bare_column       (const char          *text);

G_END_DECLS
