/* cond-test-factories.h: small factories for the conditions suite.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <setl/setl.h>

G_BEGIN_DECLS

/* A source of @n_rows rows: x (int64: the row number, null every tenth row
 * from the fourth), s (string "k<x>"); a lazy stream that counts the passes
 * opened over it. Fails in read() when @fail. Delivers under @name. */
#define COND_TYPE_SOURCE (cond_source_get_type ())
G_DECLARE_FINAL_TYPE (CondSource, cond_source, COND, SOURCE, SetlFactory)

CondSource *cond_source_new       (const char *name,
                                   gint64      n_rows,
                                   gboolean    fail);
guint       cond_source_get_opens (CondSource *self);

/* Counts the rows of its input "in" (taken from @producer; optional if
 * @optional) and outputs the count as int64, -1 without an input. */
#define COND_TYPE_COUNT (cond_count_get_type ())
G_DECLARE_FINAL_TYPE (CondCount, cond_count, COND, COUNT, SetlFactory)

CondCount *cond_count_new        (const char *name,
                                  const char *producer,
                                  gboolean    optional);
gboolean   cond_count_get_ran    (CondCount  *self);
gint64     cond_count_get_rows   (CondCount  *self);
guint      cond_count_get_n_input_columns (CondCount *self);

/* Passes its input "in" (from @producer) on, as it is. */
#define COND_TYPE_PASS (cond_pass_get_type ())
G_DECLARE_FINAL_TYPE (CondPass, cond_pass, COND, PASS, SetlFactory)

CondPass *cond_pass_new (const char *name,
                         const char *producer);

G_END_DECLS
