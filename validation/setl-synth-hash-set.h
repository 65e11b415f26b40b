/* setl-synth-hash-set.h: the hashes of the values already used
 * (setl-synth-hash-set.c).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef struct _SetlSynthHashSet SetlSynthHashSet;

G_GNUC_INTERNAL
SetlSynthHashSet *_setl_synth_hash_set_new      (void);
G_GNUC_INTERNAL
void              _setl_synth_hash_set_free     (SetlSynthHashSet *set);
G_GNUC_INTERNAL
gboolean          _setl_synth_hash_set_contains (SetlSynthHashSet *set,
                                                 guint64           hash);
/* Returns FALSE if @hash was there already. */
G_GNUC_INTERNAL
gboolean          _setl_synth_hash_set_add      (SetlSynthHashSet *set,
                                                 guint64           hash);

/* The hash of @value (an unset GValue: a null); equal values hash alike. */
G_GNUC_INTERNAL
guint64           _setl_synth_value_hash        (const GValue     *value);
/* The hash of the combination of the values columns[indices[j]][row]. */
G_GNUC_INTERNAL
guint64           _setl_synth_row_hash          (GValue          **columns,
                                                 const guint      *indices,
                                                 guint             n,
                                                 gint64            row);

G_END_DECLS
