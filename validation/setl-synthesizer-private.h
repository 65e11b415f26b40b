/* setl-synthesizer-private.h: what the synthesizer's files share — the
 * merged constraints of each column (ColumnGen), the unique combinations
 * (ComboGen), what a number of rows asks of a column (ColumnPlan), the
 * targets invalid rows break, and the synthesizer's own fields.
 *
 * The synthesizer is split by job: setl-synthesizer.c (the type, its
 * construction and entry points), setl-synth-values.c (GValue helpers),
 * setl-synth-column.c (merging a column's checks, drawing its values),
 * setl-synth-regex.c (strings a regular expression matches),
 * setl-synth-hash-set.c (the hashes of the values already used),
 * setl-synth-plan.c (what a number of rows asks), setl-synth-pass.c (the
 * rows of one pass), setl-synth-invalid.c (rows that break one target),
 * setl-synthesized-stream.c and setl-synthesized-iterator.c (the stream).
 * The functions they share are G_GNUC_INTERNAL: calls between the files
 * stay direct, and none is among libsetl's exported symbols.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "setl-validation-private.h"
#include "setl-synthesizer.h"

G_BEGIN_DECLS

typedef enum {
  TARGET_CHECK,
  TARGET_NULL,
  TARGET_DUPLICATE,
  TARGET_COMBINATION,
} TargetKind;

typedef struct {
  TargetKind kind;
  guint column;              /* index in self->columns; the combination's for TARGET_COMBINATION */
  SetlValidatorCheck *check; /* TARGET_CHECK */
} Target;

typedef struct {
  SetlValidatorColumn *vc;
  SetlDataType type;
  /* Merged bounds, as doubles (days for dates, µs for timestamps). */
  gboolean has_lo, has_hi, lo_incl, hi_incl;
  double lo, hi;
  const char *lo_by, *hi_by;
  /* Allowed values (GValue *), NULL for any; forbidden ones. */
  GPtrArray *allowed;
  const char *allowed_by;
  GPtrArray *forbidden;
  gint64 min_len, max_len;   /* -1: none; in characters */
  const char *min_len_by, *max_len_by;
  char *prefix, *suffix;
  const char *prefix_by, *suffix_by;
  GPtrArray *verify;         /* (element-type SetlValidatorCheck): run on every value */
  /* What the built-in aggregate checks ask (NAN: no bound). */
  double mean_lo, mean_hi, std_lo, std_hi, null_lo, null_hi, distinct_lo, distinct_hi;
  const char *mean_by, *std_by, *null_by, *distinct_by;
  const char *exact_values;  /* unique_values_eq: every allowed value must appear */
} ColumnGen;

/* A unique combination of columns (schema member `unique`). */
typedef struct {
  guint *columns;            /* indices in self->columns */
  guint n;
  char *names;               /* "a, b", as in the sidecar */
} ComboGen;

/* Per call: how the rows of one column are made. */
typedef struct {
  gint64 n_nulls;            /* exactly this many nulls (valid rows) */
  gint64 pool_size;          /* > 0: values from a pool of this many distinct ones */
  gboolean distinct;         /* values kept distinct (unique, or a distinct count to reach) */
  gboolean permute;          /* distinct values taken in a random order of the whole domain */
  double first;              /* permute: the first integer of the interval */
  guint64 domain;            /* permute: the integers of the interval, or the allowed values */
  gboolean steer;            /* numbers steered to a mean and a deviation */
  double center, spread, width;
  gboolean two_point;        /* steered values at ± one deviation (a wide spread) */
  double span;
} ColumnPlan;

struct _SetlSynthesizer
{
  GObject parent_instance;

  SetlValidator *validator;
  GPtrArray *columns;        /* (element-type ColumnGen) */
  GPtrArray *combos;         /* (element-type ComboGen) */
  GPtrArray *targets;        /* (element-type Target) */
  GPtrArray *never;          /* (element-type utf8): what no row breaks alone, whatever the rows */
  GPtrArray *unbreakable;    /* (element-type utf8): the last pass's */
  gint64 min_rows, max_rows; /* row_count_in_range; -1: none */
  const char *min_rows_by, *max_rows_by;
  guint32 seed;
  double null_probability;
  gint64 batch_size;
};

/* Emits SetlSynthesizer::targets for a batch of invalid rows just made. */
G_GNUC_INTERNAL
void _setl_synthesizer_emit_targets (SetlSynthesizer *self,
                                     SetlRecordBatch *targets);

G_END_DECLS
