/* setl-csv-parser.h: the records of one tokenizer as record batches.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <stdio.h>
#include <setl/setl.h>

#include "setl-csv-stream.h"
#include "setl-csv-tokenizer.h"

G_BEGIN_DECLS

typedef struct _SetlCsvParser SetlCsvParser;

SetlCsvParser    *setl_csv_parser_new           (const SetlCsvOptions *options,
                                                 SetlField           **fields,
                                                 guint                 n_fields,
                                                 gboolean              bulk);
void              setl_csv_parser_free          (SetlCsvParser        *self);

void              setl_csv_parser_set_tokenizer (SetlCsvParser        *self,
                                                 SetlCsvTokenizer     *tokenizer);
SetlCsvTokenizer *setl_csv_parser_get_tokenizer (SetlCsvParser        *self);
void              setl_csv_parser_set_reject    (SetlCsvParser        *self,
                                                 FILE                 *reject,
                                                 GByteArray           *reject_bytes);

/* The next batch of at most options->batch_size rows; NULL at the end of
 * the tokenizer's input (@error unset) or on an error. */
SetlRecordBatch  *setl_csv_parser_read_batch    (SetlCsvParser        *self,
                                                 GError              **error);
void              setl_csv_parser_take_counts   (SetlCsvParser        *self,
                                                 guint64              *rows,
                                                 gint64               *rejected);

void              setl_csv_token_failure_error  (const SetlCsvOptions      *options,
                                                 const SetlCsvTokenFailure *failure,
                                                 const char                *column_name,
                                                 GError                   **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SetlCsvParser, setl_csv_parser_free)

G_END_DECLS
