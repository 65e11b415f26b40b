/* setl-synth-regex.h: strings a regular expression matches
 * (setl-synth-regex.c).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A string @pattern matches, drawn with @rand; NULL if the pattern is
 * beyond the generator (back-references, look-arounds, …). */
G_GNUC_INTERNAL
char *_setl_synth_regex_sample (const char *pattern,
                                GRand      *rand);

G_END_DECLS
