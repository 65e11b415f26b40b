/* setl-synth-pass.h: the rows of one pass over a synthesized stream
 * (setl-synth-pass.c).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "setl-synthesizer-private.h"
#include "setl-synth-hash-set.h"

G_BEGIN_DECLS

typedef struct {
  SetlSynthHashSet *seen;    /* distinct columns: the values used */
  gint64 nulls_left;         /* exact null count, by selection sampling */
  gint64 rows_left;
  gint64 values_left;        /* values (not null) still to make */
  gint64 n_values;           /* values (not null) in all */
  double deviation;          /* steered columns: sum of (value - center) */
  double squares;            /* steered columns: sum of (value - center)² */
  GPtrArray *pool;           /* (element-type GValue) the distinct values */
  guint pool_next;
  GValue source;             /* invalid rows: a valid value of an earlier row */
  guint64 cursor;            /* permute: how far along the domain */
  guint64 step, offset;      /* permute: position k is (step × k + offset) mod domain */
} ColumnPass;

typedef struct {
  SetlSynthHashSet *seen;
  GValue *source;            /* invalid rows: an earlier row's valid combination */
} ComboPass;

typedef struct {
  SetlSynthesizer *self;
  ColumnPlan *plans;         /* (unowned) the stream's */
  gboolean invalid;
  gint64 n_rows;
  gint64 done;
  GRand *rand;
  ColumnPass *cols;
  ComboPass *combos;
  GPtrArray *live;           /* invalid rows: (element-type Target) still breakable */
  GHashTable *breaking;      /* invalid rows: Target → (element-type GValue) values breaking it */
  SetlValidationReport *report;
  SetlValidatorRun *run;     /* valid rows: the whole data validated as made */
} Pass;

/* (transfer full): a pass making @n_rows rows of @self as @plans say;
 * valid rows are validated as they are made, against @fields. NULL with
 * @error set if the pool of a distinct-count column cannot be made. */
G_GNUC_INTERNAL
Pass            *_setl_synth_pass_new         (SetlSynthesizer  *self,
                                               ColumnPlan       *plans,
                                               GPtrArray        *fields,
                                               gint64            n_rows,
                                               gboolean          invalid,
                                               GError          **error);
G_GNUC_INTERNAL
void             _setl_synth_pass_free        (Pass             *pass);

/* Fills the cells @want says of @values[0..n) with valid values of column
 * @c: drawn, judged, drawn again where they fail. @steered: draws that
 * steer the column's numbers to its mean and deviation. */
G_GNUC_INTERNAL
gboolean         _setl_synth_fill_values      (Pass             *pass,
                                               guint             c,
                                               GValue           *values,
                                               const gboolean   *want,
                                               gint64            n,
                                               gboolean          steered,
                                               GError          **error);
/* Makes the combinations of row @row unique (see setl-synth-pass.c). */
G_GNUC_INTERNAL
gboolean         _setl_synth_settle_combos    (Pass             *pass,
                                               GValue          **columns,
                                               gboolean        **fixed,
                                               gint64            row,
                                               int               expected,
                                               gboolean         *stuck,
                                               GError          **error);
/* Updates the drift of the steered columns from the values of a batch. */
G_GNUC_INTERNAL
void             _setl_synth_add_drift        (Pass             *pass,
                                               GValue          **columns,
                                               gint64            n);

/* (element-type SetlField): the fields of the rows, all nullable. */
G_GNUC_INTERNAL
GPtrArray       *_setl_synth_make_fields      (SetlSynthesizer  *self);
/* A batch of @n rows from @columns, one array of values a column. */
G_GNUC_INTERNAL
SetlRecordBatch *_setl_synth_make_batch       (SetlSynthesizer  *self,
                                               GPtrArray        *fields,
                                               GValue          **columns,
                                               gint64            n,
                                               GError          **error);
/* Unsets and frees the cells of @n rows, and @columns. */
G_GNUC_INTERNAL
void             _setl_synth_free_cells       (GValue          **columns,
                                               guint             n_columns,
                                               gint64            n);
/* The next @n valid rows of the pass. */
G_GNUC_INTERNAL
SetlRecordBatch *_setl_synth_make_valid_batch (Pass             *pass,
                                               GPtrArray        *fields,
                                               gint64            n,
                                               GError          **error);

G_END_DECLS
