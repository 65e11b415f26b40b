/* setl-csv-splitter.h: cuts CSV bytes into row-aligned blocks for parallel parsing.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "setl-csv-tokenizer.h"

G_BEGIN_DECLS

/*
 * The contract (what tests/csv/test-csv-splitter.c checks against the
 * tokenizer itself):
 *
 * - Blocks come in file order, cover the input without gap or overlap, and
 *   each but the last ends just after a '\n' where the tokenizer
 *   (setl-csv-tokenizer.c), reading the whole input, starts a record (or a
 *   skipped blank line). The last block ends at the end of the input, with
 *   or without a final line end.
 *
 * - Each block can be parsed on its own: a fresh tokenizer over its bytes
 *   (setl_csv_tokenizer_new_for_data) returns exactly the records (fields,
 *   quoted flags, raw bytes) and failures the whole-input tokenizer returns
 *   for that byte range, with lines shifted by @line - 1. This is why the
 *   first block starts at offset 0 (a UTF-8 byte order mark stays in it, so
 *   its tokenizer skips it as the whole one does) and why no other block
 *   starts with the three bytes of a byte order mark (a fresh tokenizer
 *   would drop them; the whole one keeps them as data).
 *
 * - @line is the physical line (1-based) of the block's first byte: one
 *   plus the '\n's before it, those inside quoted fields and blank lines
 *   included, a lone '\r' not; the tokenizer's own count.
 *
 * - Malformed input: a closing quote followed by something other than the
 *   delimiter, '\n', "\r\n" or the end (the tokenizer's AFTER_QUOTE), or a
 *   quote left open at the end of the input (UNTERMINATED_QUOTE). The
 *   splitter follows the tokenizer's present recovery rule (the bad record
 *   ends at the next '\n'), but a caller must not rely on it: @uncertain is
 *   set on the block that holds the start of the first malformed record,
 *   with @uncertain_at its offset in the block, and on every block after
 *   (@uncertain_at 0). The blocks before the first uncertain one are exact;
 *   from the first uncertain block's start (@offset, @line: a safe place,
 *   never a byte order mark) parse sequentially, one tokenizer over the
 *   whole rest of the input, which gives the sequential path's errors and
 *   recovery whatever they are. @uncertain_at only says where the first
 *   bad record starts (at or before the tokenizer's first failure). A
 *   well-formed input never yields an uncertain block.
 *
 * - A record longer than the block size makes its block longer. A record
 *   longer than SETL_CSV_MAX_RECORD_BYTES fails as in the whole-input
 *   tokenizer, at the line where it starts: when its line end is more than
 *   SETL_CSV_MAX_RECORD_BYTES + 3 bytes away, the splitter fails with
 *   SETL_CSV_TOKEN_ERROR_TOO_LONG (after handing out every block before
 *   it); otherwise the record ends a block and the block's own tokenizer
 *   fails on it exactly as the whole one does. Either way a TOO_LONG
 *   failure ends the stream (it is sticky in the tokenizer too). A read
 *   error fails with SETL_CSV_TOKEN_ERROR_IO. Splitter failures are sticky.
 *
 * - Rows that begin with the byte order mark's bytes are never cut before;
 *   if no other cut exists within SETL_CSV_MAX_RECORD_BYTES, the splitter
 *   cuts there anyway and flags that window's block uncertain (at 0), so
 *   that memory stays bounded and the fallback starts at a safe place.
 *
 * The delimiter and the quote must differ and neither may be '\n' (the CSV
 * source already refuses a delimiter equal to the quote).
 */

/* One block. @data stays valid until setl_csv_block_free(): blocks are
 * independent of each other and of the splitter (in memory mode @data
 * points into the caller's data, which must outlive the block). Read from
 * a file descriptor, @data has SETL_CSV_BLOCK_PAD zero bytes after
 * @length, the padding the tokenizer's wide loads need: a parser may read
 * the block in place. */
#define SETL_CSV_BLOCK_PAD 64

typedef struct
{
  const char *data;
  gsize length;
  guint64 offset;       /* of data[0] in the input */
  guint64 line;         /* physical line (1-based) of data[0] */
  guint64 newlines;     /* '\n's in the block: the next block's line is line + newlines */
  gboolean uncertain;   /* see the contract above */
  gsize uncertain_at;   /* when @uncertain: where the first bad record starts (0 after) */
  /*< private >*/
  char *owned;
} SetlCsvBlock;

typedef struct _SetlCsvSplitter SetlCsvSplitter;

#define SETL_CSV_SPLITTER_DEFAULT_BLOCK_BYTES (4u * 1024 * 1024)

SetlCsvSplitter *setl_csv_splitter_new_for_fd   (int         fd,
                                                 char        delimiter,
                                                 char        quote,
                                                 gsize       block_size);
SetlCsvSplitter *setl_csv_splitter_new_for_data (const char *data,
                                                 gsize       length,
                                                 char        delimiter,
                                                 char        quote,
                                                 gsize       block_size);
void             setl_csv_splitter_free         (SetlCsvSplitter *self);

gboolean         setl_csv_splitter_next         (SetlCsvSplitter      *self,
                                                 SetlCsvBlock        **block,
                                                 SetlCsvTokenFailure  *failure);

/* For tests: a record limit other than SETL_CSV_MAX_RECORD_BYTES. */
void             setl_csv_splitter_set_max_record (SetlCsvSplitter *self,
                                                   gsize            max_record);

void             setl_csv_block_free            (SetlCsvBlock *block);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SetlCsvSplitter, setl_csv_splitter_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SetlCsvBlock, setl_csv_block_free)

G_END_DECLS
