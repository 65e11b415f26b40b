/* setl-csv-stream.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * SetlCsvStream is what the "csv-source" factory outputs: the file's
 * fields (named by the header, typed by the schema or by inference) and,
 * on each setl_batch_stream_open(), a new SetlCsvIterator that reads the
 * file from its start. Rows are parsed while the consumer pulls batches
 * (by SetlCsvParser, setl-csv-parser.c), so memory stays bounded whatever
 * the file size.
 *
 * Sequential path (small files, pipes, SETL_CSV_PARALLEL=0): one parser
 * over the whole file. Parsing is most of the work of a CSV pipeline, and
 * the consumer (a filter, a sink formatting rows) is the rest. So from the
 * second batch on, a pass parses the next batch on a thread of its own
 * while the consumer works on the current one: at most one batch is parsed
 * ahead (memory holds the batch in the consumer's hands plus one, and one
 * read buffer). The first batch is parsed on the caller's thread (a small
 * file never starts a thread); the end of the pass (the reject file, the
 * counts) is also handled on the caller's thread. Dropping the iterator
 * stops the thread.
 *
 * Parallel path (parse_workers(): a regular file of PARALLEL_MIN_BYTES or
 * more on three processors or more, or the "parse-threads" property): the
 * splitter (setl-csv-splitter.h) cuts the file into row-aligned blocks
 * that each parse alone to exactly the records of their byte range; N
 * worker threads (2 to 8) take the blocks in turn (one reads at a time:
 * reads stay sequential) and parse each with a parser of their own into a
 * BlockResult
 * (its batches, its rejected rows' bytes, its counts, its error). The
 * consumer's next() hands the results out strictly in block order: a
 * block's batches, then its rejected rows written to the reject file, then
 * its error if any, so the first error met and the reject file are those
 * of the sequential path. Bounded memory: at most N + 1 blocks are alive
 * between the splitter and the consumer (read, being parsed, parsed, or
 * being handed out): a worker waits before taking block k until block
 * k - (N + 1) has been handed out whole. Blocks are about two batches of
 * text, 256 KiB to 1 MiB (default_block_size()); with 1 MiB blocks and 2
 * workers that is 3 MiB of text and their columns (the peak resident set
 * of bench-validation: ≈ 25–30 MB instead of ≈ 20 MB sequentially).
 *
 * Malformed records (garbage after a closing quote, an unterminated quote)
 * make the splitter unsure of the record boundaries after them: from the
 * first block it flags uncertain, the pass goes on sequentially, one
 * tokenizer from that block's offset and line, so that errors and the
 * recovery after them are the sequential path's by construction.
 *
 * Batches of the parallel path hold at most batch-size rows, not exactly
 * (a block's last batch is short); their contents, the rows' order, the
 * counts, the first error (file, line, column) and the reject file are the
 * sequential path's. The rows handed out before an error differ (each
 * path drops the rows of the batch that failed, and the batches are cut
 * at other places): an error fails the factory, nothing may depend on it.
 * Cancelling (the cancellable given to next()) or dropping the iterator
 * stops and joins the workers: each looks at the stop flag between
 * batches, so a stop waits for one batch's parse at most.
 */
#include "setl-csv-stream.h"
#include "setl-csv-parser.h"
#include "setl-csv-splitter.h"
#include "setl-csv-tokenizer.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <glib/gstdio.h>

void
setl_csv_options_copy (SetlCsvOptions *dest, const SetlCsvOptions *src)
{
  *dest = *src;
  dest->path = g_strdup (src->path);
  dest->null_markers = g_strdupv (src->null_markers);
  dest->date_format = g_strdup (src->date_format);
  dest->timestamp_format = g_strdup (src->timestamp_format);
  dest->reject_path = g_strdup (src->reject_path);
}

void
setl_csv_options_clear (SetlCsvOptions *options)
{
  g_clear_pointer (&options->path, g_free);
  g_clear_pointer (&options->null_markers, g_strfreev);
  g_clear_pointer (&options->date_format, g_free);
  g_clear_pointer (&options->timestamp_format, g_free);
  g_clear_pointer (&options->reject_path, g_free);
}

/* "file:line:column (name): message", the position of every complaint
 * about the input; column is 1-based, 0 for none. */
void
setl_csv_set_error (GError **error, int code, const char *path, guint64 line,
                    int column, const char *column_name, const char *format, ...)
{
  g_autofree char *message = NULL;
  g_autoptr(GString) where = g_string_new (path);
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  if (line > 0)
    g_string_append_printf (where, ":%" G_GUINT64_FORMAT, line);
  if (line > 0 && column > 0)
    g_string_append_printf (where, ":%d", column);
  if (column_name != NULL)
    g_string_append_printf (where, " (%s)", column_name);
  g_set_error (error, G_IO_ERROR, code, "%s: %s", where->str, message);
}

struct _SetlCsvStream
{
  GObject parent_instance;

  SetlCsvOptions options;
  SetlField **fields;
  guint n_fields;
  gint64 rejected_rows;   /* of the last pass that reached its end */
  guint64 rows_read;      /* likewise */
};

static void setl_csv_stream_iface_init (SetlBatchStreamInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SetlCsvStream, setl_csv_stream, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (SETL_TYPE_BATCH_STREAM,
                                                      setl_csv_stream_iface_init))

/* ---- the iterator ------------------------------------------------------ */

#define SETL_TYPE_CSV_ITERATOR (setl_csv_iterator_get_type ())
G_DECLARE_FINAL_TYPE (SetlCsvIterator, setl_csv_iterator, SETL, CSV_ITERATOR, SetlBatchIterator)

/* The smallest file read in parallel: below it one thread parses the file
 * in well under 100 ms and the read-ahead already overlaps the consumer. */
#define PARALLEL_MIN_BYTES ((guint64) 32 * 1024 * 1024)
#define PARALLEL_MAX_WORKERS 8

/* What a worker made of one block, or how the blocks ended. */
typedef enum
{
  RESULT_ROWS,       /* batches (maybe none) and maybe an error after them */
  RESULT_END,        /* no more blocks: the end of the file */
  RESULT_FALLBACK,   /* this block and the rest: the sequential path */
} ResultKind;

typedef struct
{
  ResultKind kind;
  GQueue batches;            /* SetlRecordBatch, in file order */
  GError *error;             /* after the batches, the pass fails */
  GByteArray *reject_bytes;  /* reject mode: the block's rejected records */
  guint64 rows;
  gint64 rejected;
} BlockResult;

struct _SetlCsvIterator
{
  SetlBatchIterator parent_instance;

  SetlCsvStream *stream;
  SetlCsvParser *parser;   /* the sequential path's (and the fallback's) */

  /* reject mode */
  FILE *reject;
  char *reject_tmp;
  gint64 rejected;     /* of the blocks handed out whole */
  guint64 rows;        /* likewise */

  /* read-ahead: the parsing thread, the batches it made (ReadAhead items)
   * and the tokens that let it parse one more */
  GThread *worker;
  GAsyncQueue *ready;
  GAsyncQueue *tokens;
  gint stop;
  gboolean done;       /* the pass has ended (end of file or an error) */
  gboolean bulk;       /* cut plain rows in bulk (see setl_csv_stream_set_bulk()) */
  gboolean no_thread;  /* parse on the caller's thread */

  /* the parallel path (see the file's comment); under @lock but @par_stop */
  gboolean parallel;
  guint want_workers;            /* parse_workers() */
  int fallback_fd;               /* the file, for the sequential fallback */
  GMutex lock;
  GCond cond;
  SetlCsvSplitter *splitter;
  GThread **workers;
  guint n_workers;
  BlockResult **slots;           /* block k's result in slots[k % n_slots] */
  guint n_slots;                 /* the bound: blocks alive at once */
  guint64 next_seq;              /* the block the next worker takes */
  guint64 deliver_seq;           /* the block being handed out */
  gboolean splitting;            /* a worker is reading the next block */
  gboolean split_done;           /* no block is taken any more */
  guint64 fallback_seq, fallback_offset, fallback_line;
  gint par_stop;
  BlockResult *current;          /* the consumer's, taken out of @slots */
};

typedef struct
{
  SetlRecordBatch *batch;   /* NULL: the end, or an error */
  GError *error;
} ReadAhead;

G_DEFINE_FINAL_TYPE (SetlCsvIterator, setl_csv_iterator, SETL_TYPE_BATCH_ITERATOR)

static void
discard_reject_file (SetlCsvIterator *self)
{
  if (self->reject != NULL)
    {
      fclose (self->reject);
      self->reject = NULL;
    }
  if (self->reject_tmp != NULL)
    {
      g_unlink (self->reject_tmp);
      g_clear_pointer (&self->reject_tmp, g_free);
    }
}

static void stop_worker (SetlCsvIterator *self);
static void stop_parallel (SetlCsvIterator *self);

static void
setl_csv_iterator_finalize (GObject *object)
{
  SetlCsvIterator *self = SETL_CSV_ITERATOR (object);

  stop_parallel (self);
  stop_worker (self);
  /* A pass dropped before its end writes no reject file. */
  discard_reject_file (self);
  if (self->fallback_fd >= 0)
    close (self->fallback_fd);
  g_clear_pointer (&self->parser, setl_csv_parser_free);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->cond);
  g_clear_object (&self->stream);
  G_OBJECT_CLASS (setl_csv_iterator_parent_class)->finalize (object);
}

/* The end of a pass: the reject file is put in place, the counts published. */
static gboolean
finish_pass (SetlCsvIterator *self, GError **error)
{
  const SetlCsvOptions *o = &self->stream->options;
  guint64 rows;
  gint64 rejected;

  setl_csv_parser_take_counts (self->parser, &rows, &rejected);
  self->rows += rows;
  self->rejected += rejected;
  if (self->reject != NULL)
    {
      gboolean ok = fflush (self->reject) == 0 && fsync (fileno (self->reject)) == 0;
      int saved = errno;

      ok = (fclose (self->reject) == 0) && ok;
      self->reject = NULL;
      if (!ok || g_rename (self->reject_tmp, o->reject_path) != 0)
        {
          saved = ok ? errno : saved;
          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                       "%s: cannot write the reject file: %s", o->reject_path,
                       g_strerror (saved));
          discard_reject_file (self);
          return FALSE;
        }
      g_clear_pointer (&self->reject_tmp, g_free);
      if (self->rejected > 0)
        setl_log ("setl-csv", G_LOG_LEVEL_INFO,
                  "%s: %" G_GINT64_FORMAT " malformed rows rejected, written to %s",
                  o->path, self->rejected, o->reject_path);
    }
  self->stream->rejected_rows = self->rejected;
  self->stream->rows_read = self->rows;
  return TRUE;
}

/* ---- the sequential path ----------------------------------------------- */

static gpointer
read_ahead_thread (gpointer data)
{
  SetlCsvIterator *self = data;

  for (;;)
    {
      ReadAhead *item;
      gboolean last;

      g_async_queue_pop (self->tokens);
      item = g_new0 (ReadAhead, 1);
      if (!g_atomic_int_get (&self->stop))
        item->batch = setl_csv_parser_read_batch (self->parser, &item->error);
      /* The end, an error or a stop is the last item. Decided before the
       * push: from then on the item is the consumer's. */
      last = item->batch == NULL;
      g_async_queue_push (self->ready, item);
      if (last)
        return NULL;
    }
}

static void
read_ahead_free (gpointer data)
{
  ReadAhead *item = data;

  g_clear_object (&item->batch);
  g_clear_error (&item->error);
  g_free (item);
}

/* Stops the parsing thread, if any, and drops what it made. */
static void
stop_worker (SetlCsvIterator *self)
{
  if (self->worker != NULL)
    {
      ReadAhead *item;

      g_atomic_int_set (&self->stop, 1);
      g_async_queue_push (self->tokens, GINT_TO_POINTER (1));
      /* Its last item has no batch; the ones before it are dropped. */
      do
        {
          gboolean last;

          item = g_async_queue_pop (self->ready);
          last = item->batch == NULL;
          read_ahead_free (item);
          if (last)
            break;
        }
      while (TRUE);
      g_thread_join (g_steal_pointer (&self->worker));
    }
  g_clear_pointer (&self->ready, g_async_queue_unref);
  g_clear_pointer (&self->tokens, g_async_queue_unref);
}

static SetlRecordBatch *
sequential_next (SetlCsvIterator  *self,
                 GCancellable     *cancellable,
                 GError          **error)
{
  SetlRecordBatch *batch;
  ReadAhead *item;

  if (self->worker == NULL)
    {
      GError *local = NULL;

      /* The first batch, here; then the thread parses the second while the
       * caller works on the first. */
      batch = setl_csv_parser_read_batch (self->parser, &local);
      if (batch == NULL)
        {
          self->done = TRUE;
          if (local != NULL)
            g_propagate_error (error, local);
          else
            finish_pass (self, error);
          return NULL;
        }
      if (self->no_thread || g_cancellable_is_cancelled (cancellable))
        return batch;
      self->ready = g_async_queue_new ();
      self->tokens = g_async_queue_new ();
      g_async_queue_push (self->tokens, GINT_TO_POINTER (1));
      self->worker = g_thread_try_new ("setl-csv-read", read_ahead_thread, self, NULL);
      if (self->worker == NULL)
        {
          /* No thread: parse on the caller's thread from now on. */
          g_clear_pointer (&self->ready, g_async_queue_unref);
          g_clear_pointer (&self->tokens, g_async_queue_unref);
          self->no_thread = TRUE;
        }
      return batch;
    }

  item = g_async_queue_pop (self->ready);
  batch = g_steal_pointer (&item->batch);
  if (batch != NULL)
    g_async_queue_push (self->tokens, GINT_TO_POINTER (1));
  else
    {
      g_thread_join (g_steal_pointer (&self->worker));
      g_clear_pointer (&self->ready, g_async_queue_unref);
      g_clear_pointer (&self->tokens, g_async_queue_unref);
      self->done = TRUE;
      if (item->error != NULL)
        g_propagate_error (error, g_steal_pointer (&item->error));
      else
        finish_pass (self, error);
    }
  read_ahead_free (item);
  return batch;
}

/* ---- the parallel path ------------------------------------------------- */

static void
block_result_free (BlockResult *result)
{
  if (result == NULL)
    return;
  g_queue_clear_full (&result->batches, g_object_unref);
  g_clear_error (&result->error);
  if (result->reject_bytes != NULL)
    g_byte_array_unref (result->reject_bytes);
  g_free (result);
}

/* Parses @block (taken) into @result with @parser, the worker's. */
static void
parse_block (SetlCsvIterator *self,
             SetlCsvParser   *parser,
             SetlCsvBlock    *block,
             guint64          seq,
             BlockResult     *result)
{
  const SetlCsvOptions *o = &self->stream->options;
  /* Read in place: a block read from a file has the tokenizer's padding. */
  SetlCsvTokenizer *tokenizer =
    setl_csv_tokenizer_new_for_block (block->data, block->length, o->delimiter, o->quote);

  /* Lines as the file's: the block's tokenizer counts from its first byte. */
  setl_csv_tokenizer_set_line (tokenizer, block->line);
  if (seq == 0 && o->header)
    {
      const SetlCsvField *fields;
      SetlCsvTokenFailure failure;
      guint n;

      /* open() checked the header (and copied it to the reject file). */
      setl_csv_tokenizer_next (tokenizer, &fields, &n, &failure);
    }
  setl_csv_parser_set_tokenizer (parser, tokenizer);
  if (self->reject != NULL)
    result->reject_bytes = g_byte_array_new ();
  setl_csv_parser_set_reject (parser, NULL, result->reject_bytes);

  while (!g_atomic_int_get (&self->par_stop))
    {
      SetlRecordBatch *batch = setl_csv_parser_read_batch (parser, &result->error);

      if (batch == NULL)
        break;
      g_queue_push_tail (&result->batches, batch);
    }
  setl_csv_parser_take_counts (parser, &result->rows, &result->rejected);
  /* The tokenizer reads the block's bytes: it goes first. */
  setl_csv_parser_set_tokenizer (parser, NULL);
  setl_csv_block_free (block);
}

static gpointer
parallel_worker (gpointer data)
{
  SetlCsvIterator *self = data;
  const SetlCsvOptions *o = &self->stream->options;
  /* One parser for the worker's life: its builders keep their sizes. */
  g_autoptr(SetlCsvParser) parser =
    setl_csv_parser_new (o, self->stream->fields, self->stream->n_fields, self->bulk);

  g_mutex_lock (&self->lock);
  for (;;)
    {
      SetlCsvBlock *block = NULL;
      SetlCsvTokenFailure failure;
      BlockResult *result;
      gboolean split;
      guint64 seq;

      /* The bound: block k waits for block k - n_slots to be handed out.
       * Reads are sequential: one worker at a time uses the splitter. */
      while (!g_atomic_int_get (&self->par_stop) && !self->split_done &&
             (self->splitting || self->next_seq - self->deliver_seq >= self->n_slots))
        g_cond_wait (&self->cond, &self->lock);
      if (g_atomic_int_get (&self->par_stop) || self->split_done)
        break;

      seq = self->next_seq++;
      result = g_new0 (BlockResult, 1);
      g_queue_init (&result->batches);
      /* The read, out of the lock: the consumer takes results meanwhile. */
      self->splitting = TRUE;
      g_mutex_unlock (&self->lock);
      split = setl_csv_splitter_next (self->splitter, &block, &failure);
      g_mutex_lock (&self->lock);
      self->splitting = FALSE;
      g_cond_broadcast (&self->cond);
      if (!split)
        {
          self->split_done = TRUE;
          if (failure.code == SETL_CSV_TOKEN_ERROR_NONE)
            result->kind = RESULT_END;
          else
            setl_csv_token_failure_error (o, &failure, NULL, &result->error);
        }
      else if (block->uncertain)
        {
          self->split_done = TRUE;
          result->kind = RESULT_FALLBACK;
          self->fallback_seq = seq;
          self->fallback_offset = block->offset;
          self->fallback_line = block->line;
          g_clear_pointer (&block, setl_csv_block_free);
        }

      if (block != NULL)
        {
          g_mutex_unlock (&self->lock);
          parse_block (self, parser, block, seq, result);
          g_mutex_lock (&self->lock);
          /* Nothing after an error is handed out: no more blocks. */
          if (result->error != NULL)
            self->split_done = TRUE;
        }
      self->slots[seq % self->n_slots] = result;
      g_cond_broadcast (&self->cond);
    }
  g_mutex_unlock (&self->lock);
  return NULL;
}

/* Starts the workers; FALSE when none could start (nothing was read). */
static gboolean
start_parallel (SetlCsvIterator *self)
{
  guint n = self->want_workers;

  self->n_slots = n + 1;
  self->slots = g_new0 (BlockResult *, self->n_slots);
  self->workers = g_new0 (GThread *, n);
  for (guint i = 0; i < n; i++)
    {
      self->workers[self->n_workers] =
        g_thread_try_new ("setl-csv-parse", parallel_worker, self, NULL);
      if (self->workers[self->n_workers] != NULL)
        self->n_workers++;
    }
  return self->n_workers > 0;
}

/* Tells the workers to stop: they do after the batch they are parsing. */
static void
request_stop (SetlCsvIterator *self)
{
  g_atomic_int_set (&self->par_stop, 1);
  g_mutex_lock (&self->lock);
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->lock);
}

/* Stops and joins the workers, drops every result not handed out. */
static void
stop_parallel (SetlCsvIterator *self)
{
  request_stop (self);
  for (guint i = 0; i < self->n_workers; i++)
    g_thread_join (self->workers[i]);
  self->n_workers = 0;
  g_clear_pointer (&self->workers, g_free);
  for (guint i = 0; self->slots != NULL && i < self->n_slots; i++)
    block_result_free (self->slots[i]);
  g_clear_pointer (&self->slots, g_free);
  g_clear_pointer (&self->current, block_result_free);
  g_clear_pointer (&self->splitter, setl_csv_splitter_free);
  self->parallel = FALSE;
}

/* From block @seq at @offset (line @line) on, one tokenizer to the end:
 * the sequential path's errors and recovery. */
static gboolean
start_sequential_at (SetlCsvIterator  *self,
                     guint64           seq,
                     guint64           offset,
                     guint64           line,
                     GError          **error)
{
  const SetlCsvOptions *o = &self->stream->options;
  SetlCsvTokenizer *tokenizer;
  int fd = self->fallback_fd;

  stop_parallel (self);
  self->fallback_fd = -1;
  if (lseek (fd, (off_t) offset, SEEK_SET) < 0)
    {
      int saved = errno;

      close (fd);
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   "%s: cannot seek: %s", o->path, g_strerror (saved));
      return FALSE;
    }
  tokenizer = setl_csv_tokenizer_new_for_fd (fd, o->delimiter, o->quote, o->buffer_size);
  setl_csv_tokenizer_set_line (tokenizer, line);
  if (seq == 0 && o->header)
    {
      const SetlCsvField *fields;
      SetlCsvTokenFailure failure;
      guint n;

      setl_csv_tokenizer_next (tokenizer, &fields, &n, &failure);
    }
  setl_csv_parser_set_tokenizer (self->parser, tokenizer);
  return TRUE;
}

/* Done with the consumer's current block: its rejected rows go to the
 * reject file (blocks are finished in file order), its counts are added,
 * and a worker may take one more block. FALSE on a write error. */
static gboolean
finish_block (SetlCsvIterator *self, BlockResult *result, GError **error)
{
  GByteArray *bytes = result->reject_bytes;

  if (bytes != NULL && bytes->len > 0 && self->reject != NULL &&
      fwrite (bytes->data, 1, bytes->len, self->reject) != bytes->len)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   "%s: cannot write to the reject file: %s",
                   self->stream->options.reject_path, g_strerror (saved));
      return FALSE;
    }
  self->rows += result->rows;
  self->rejected += result->rejected;
  g_mutex_lock (&self->lock);
  self->deliver_seq++;
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->lock);
  return TRUE;
}

/* Waits for the result of block @deliver_seq; NULL when cancelled. */
static BlockResult *
wait_result (SetlCsvIterator *self, GCancellable *cancellable)
{
  BlockResult *result;
  guint slot = (guint) (self->deliver_seq % self->n_slots);

  g_mutex_lock (&self->lock);
  while ((result = self->slots[slot]) == NULL)
    {
      if (cancellable == NULL)
        g_cond_wait (&self->cond, &self->lock);
      else if (g_cancellable_is_cancelled (cancellable))
        break;
      else
        /* Looked at again every 20 ms: no handler to connect and disconnect. */
        g_cond_wait_until (&self->cond, &self->lock,
                           g_get_monotonic_time () + 20 * G_TIME_SPAN_MILLISECOND);
    }
  self->slots[slot] = NULL;
  g_mutex_unlock (&self->lock);
  return result;
}

static SetlRecordBatch *
parallel_next (SetlCsvIterator  *self,
               GCancellable     *cancellable,
               GError          **error)
{
  for (;;)
    {
      BlockResult *result = self->current;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        {
          /* Return now; the workers are joined when the iterator goes
           * (a join waits for the batch each is parsing). */
          request_stop (self);
          self->done = TRUE;
          return NULL;
        }
      if (result != NULL && !g_queue_is_empty (&result->batches))
        return g_queue_pop_head (&result->batches);

      if (result != NULL)
        {
          GError *local = NULL;

          self->current = NULL;
          if (!finish_block (self, result, &local) || result->error != NULL)
            {
              if (local == NULL)
                local = g_steal_pointer (&result->error);
              block_result_free (result);
              stop_parallel (self);
              self->done = TRUE;
              g_propagate_error (error, local);
              return NULL;
            }
          switch (result->kind)
            {
            case RESULT_ROWS:
              break;
            case RESULT_END:
              block_result_free (result);
              stop_parallel (self);
              self->done = TRUE;
              finish_pass (self, error);
              return NULL;
            case RESULT_FALLBACK:
              block_result_free (result);
              if (!start_sequential_at (self, self->fallback_seq, self->fallback_offset,
                                        self->fallback_line, error))
                {
                  self->done = TRUE;
                  return NULL;
                }
              return sequential_next (self, cancellable, error);
            }
          block_result_free (result);
        }

      self->current = wait_result (self, cancellable);
    }
}

static SetlRecordBatch *
setl_csv_iterator_next (SetlBatchIterator  *iterator,
                        GCancellable       *cancellable,
                        GError            **error)
{
  SetlCsvIterator *self = SETL_CSV_ITERATOR (iterator);

  if (self->done)
    return NULL;
  if (self->parallel && self->workers == NULL && !start_parallel (self))
    {
      /* No thread: the whole file on this one, from its start. */
      if (!start_sequential_at (self, 0, 0, 1, error))
        {
          self->done = TRUE;
          return NULL;
        }
    }
  if (self->parallel)
    return parallel_next (self, cancellable, error);
  return sequential_next (self, cancellable, error);
}

static void
setl_csv_iterator_class_init (SetlCsvIteratorClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = setl_csv_iterator_finalize;
  SETL_BATCH_ITERATOR_CLASS (klass)->next = setl_csv_iterator_next;
}

static void
setl_csv_iterator_init (SetlCsvIterator *self)
{
  self->fallback_fd = -1;
  g_mutex_init (&self->lock);
  g_cond_init (&self->cond);
}

/* ---- the stream -------------------------------------------------------- */

static gint bulk_enabled = TRUE;

void
setl_csv_stream_set_bulk (gboolean bulk)
{
  g_atomic_int_set (&bulk_enabled, bulk != FALSE);
}

static SetlField **
setl_csv_stream_get_fields (SetlBatchStream *stream, guint *n_fields)
{
  SetlCsvStream *self = SETL_CSV_STREAM (stream);

  *n_fields = self->n_fields;
  return self->fields;
}


/* The parallel path's test hooks: -1 for the environment's choice. */
static gint parallel_mode = -1;
static gsize parallel_block_size = 0;

void
setl_csv_stream_set_parallel (int mode, gsize block_size)
{
  g_atomic_int_set (&parallel_mode, mode);
  parallel_block_size = block_size;
}

/* How many threads parse a pass over @fd: 0 for the sequential path (one
 * thread, reading a batch ahead). With the "parse-threads" property
 * (@threads) at 1, one; at 2 or more, that many (a regular file only).
 * Automatic (0): SETL_CSV_PARALLEL=0 one, =1 one per processor, at least
 * two (tests); else, for a regular file of SETL_CSV_PARALLEL_MIN_BYTES
 * (default PARALLEL_MIN_BYTES) or more, one per processor but one: the
 * consumer of the batches — a validator, a sink — keeps a processor of its
 * own, so that its work goes on beside the parsing rather than taking
 * turns with it (on two processors: one parsing thread). */
static guint
parse_workers (int fd, guint threads, gsize *block_size)
{
  int mode = g_atomic_int_get (&parallel_mode);
  guint n_cpus = g_get_num_processors ();
  const char *env;
  guint64 threshold = PARALLEL_MIN_BYTES;
  struct stat st;

  *block_size = parallel_block_size;
  if (*block_size == 0 && (env = g_getenv ("SETL_CSV_BLOCK_SIZE")) != NULL)
    *block_size = (gsize) g_ascii_strtoull (env, NULL, 10);
  if ((env = g_getenv ("SETL_CSV_PARALLEL_MIN_BYTES")) != NULL && *env != '\0')
    threshold = g_ascii_strtoull (env, NULL, 10);

  /* Blocks are read from the file's start and the fallback seeks: a
   * regular file only, whatever the mode. */
  if (fstat (fd, &st) != 0 || !S_ISREG (st.st_mode))
    return 0;
  if (mode < 0 && threads != 0)
    return threads >= 2 ? MIN (threads, PARALLEL_MAX_WORKERS) : 0;
  if (mode < 0 && (env = g_getenv ("SETL_CSV_PARALLEL")) != NULL && *env != '\0')
    mode = atoi (env) != 0;
  if (mode == 0)
    return 0;
  if (mode == 1)
    return CLAMP (n_cpus, 2, PARALLEL_MAX_WORKERS);
  if ((guint64) st.st_size < threshold || n_cpus < 3)
    return 0;
  return MIN (n_cpus - 1, PARALLEL_MAX_WORKERS);
}

/* The block size when none is set: about two batches' worth of the file's
 * first lines, between PARALLEL_MIN_BLOCK and PARALLEL_MAX_BLOCK. Memory
 * grows with the blocks in flight (their text and their batches), and a
 * block much larger than a batch buys nothing: a small batch-size (a
 * pipeline that keeps memory low) gets small blocks. The bounds were
 * measured (bench-validation, 10 M rows, 2 workers): 1 MiB blocks were as
 * fast as 4 MiB ones or faster (a block and its columns stay in the
 * cache) with a third of the memory (≈ 25–30 MB peak instead of 60–100);
 * 256 KiB blocks cost the validator more, short batches. */
#define PARALLEL_MIN_BLOCK ((gsize) 256 * 1024)
#define PARALLEL_MAX_BLOCK ((gsize) 1024 * 1024)

static gsize
default_block_size (int fd, guint batch_size)
{
  g_autofree char *sample = g_malloc (64 * 1024);   /* not on a thread's stack */
  gssize n;
  gsize lines = 0;
  guint64 want;

  do
    n = pread (fd, sample, 64 * 1024, 0);
  while (n < 0 && errno == EINTR);
  for (gssize i = 0; i < n; i++)
    lines += sample[i] == '\n';
  if (n <= 0 || lines == 0)
    return PARALLEL_MAX_BLOCK;
  /* Lines, not records: a quoted line end makes the estimate smaller. */
  want = (guint64) 2 * batch_size * ((guint64) n / lines);
  return (gsize) CLAMP (want, PARALLEL_MIN_BLOCK, PARALLEL_MAX_BLOCK);
}

static SetlBatchIterator *
setl_csv_stream_open (SetlBatchStream  *stream,
                      GCancellable     *cancellable,
                      GError          **error)
{
  SetlCsvStream *self = SETL_CSV_STREAM (stream);
  const SetlCsvOptions *o = &self->options;
  g_autoptr(SetlCsvIterator) it = NULL;
  SetlCsvTokenizer *tokenizer;
  gsize block_size = 0;
  int fd, split_fd = -1;

  fd = g_open (o->path, O_RDONLY | O_CLOEXEC, 0);
  if (fd < 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   "%s: cannot open: %s", o->path, g_strerror (saved));
      return NULL;
    }
#ifdef POSIX_FADV_SEQUENTIAL
  posix_fadvise (fd, 0, 0, POSIX_FADV_SEQUENTIAL);
#endif

  it = g_object_new (SETL_TYPE_CSV_ITERATOR, NULL);
  it->stream = g_object_ref (self);
  it->bulk = g_atomic_int_get (&bulk_enabled);
  it->parser = setl_csv_parser_new (o, self->fields, self->n_fields, it->bulk);
  /* The parallel path reads the file again from its start (the splitter)
   * and maybe from a block on (the fallback): two more descriptors of it. */
  if ((it->want_workers = parse_workers (fd, o->parse_threads, &block_size)) != 0)
    {
      if (block_size == 0)
        block_size = default_block_size (fd, o->batch_size);
      split_fd = fcntl (fd, F_DUPFD_CLOEXEC, 0);
      it->fallback_fd = split_fd >= 0 ? fcntl (fd, F_DUPFD_CLOEXEC, 0) : -1;
      if (it->fallback_fd < 0 && split_fd >= 0)
        {
          close (split_fd);
          split_fd = -1;
        }
    }
  tokenizer = setl_csv_tokenizer_new_for_fd (fd, o->delimiter, o->quote, o->buffer_size);
  setl_csv_parser_set_tokenizer (it->parser, tokenizer);

  if (o->reject_path != NULL)
    {
      g_autofree char *dir = g_path_get_dirname (o->reject_path);
      g_autofree char *base = g_path_get_basename (o->reject_path);
      int rfd;

      it->reject_tmp = g_strdup_printf ("%s/.%s.XXXXXX", dir, base);
      rfd = g_mkstemp_full (it->reject_tmp, O_WRONLY | O_CLOEXEC, 0644);
      if (rfd < 0 || (it->reject = fdopen (rfd, "w")) == NULL)
        {
          int saved = errno;

          if (rfd >= 0)
            close (rfd);
          if (split_fd >= 0)
            close (split_fd);
          g_clear_pointer (&it->reject_tmp, g_free);
          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                       "%s: cannot create the reject file: %s", o->reject_path,
                       g_strerror (saved));
          return NULL;
        }
      setl_csv_parser_set_reject (it->parser, it->reject, NULL);
    }

  if (o->header)
    {
      const SetlCsvField *fields;
      SetlCsvTokenFailure failure;
      guint n;

      /* The header was checked when the source read the file; a file
       * changed since then fails here or in the rows. */
      if (!setl_csv_tokenizer_next (tokenizer, &fields, &n, &failure) &&
          failure.code != SETL_CSV_TOKEN_ERROR_NONE)
        {
          if (split_fd >= 0)
            close (split_fd);
          setl_csv_set_error (error, G_IO_ERROR_INVALID_DATA, o->path, failure.line,
                              (int) failure.field, NULL, "malformed header line");
          return NULL;
        }
      if (it->reject != NULL)
        {
          gsize length;
          const char *raw = setl_csv_tokenizer_get_raw (tokenizer, &length);

          fwrite (raw, 1, length, it->reject);
          if (length == 0 || raw[length - 1] != '\n')
            fputc ('\n', it->reject);
        }
    }

  if (split_fd >= 0)
    {
      /* The descriptors share the header tokenizer's offset, which is
       * done with: the blocks start at the file's first byte. */
      setl_csv_parser_set_tokenizer (it->parser, NULL);
      if (lseek (split_fd, 0, SEEK_SET) == 0)
        {
          it->splitter = setl_csv_splitter_new_for_fd (split_fd, o->delimiter, o->quote, block_size);
          it->parallel = TRUE;
        }
      else
        {
          close (split_fd);
          if (!start_sequential_at (it, 0, 0, 1, error))
            return NULL;
        }
    }

  return SETL_BATCH_ITERATOR (g_steal_pointer (&it));
}


static void
setl_csv_stream_iface_init (SetlBatchStreamInterface *iface)
{
  iface->get_fields = setl_csv_stream_get_fields;
  iface->open = setl_csv_stream_open;
}

static void
setl_csv_stream_finalize (GObject *object)
{
  SetlCsvStream *self = SETL_CSV_STREAM (object);

  setl_csv_options_clear (&self->options);
  for (guint i = 0; i < self->n_fields; i++)
    g_object_unref (self->fields[i]);
  g_free (self->fields);
  G_OBJECT_CLASS (setl_csv_stream_parent_class)->finalize (object);
}

static void
setl_csv_stream_class_init (SetlCsvStreamClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = setl_csv_stream_finalize;
}

static void
setl_csv_stream_init (SetlCsvStream *self)
{
}

SetlCsvStream *
setl_csv_stream_new (const SetlCsvOptions *options, SetlField **fields, guint n_fields)
{
  SetlCsvStream *self = g_object_new (SETL_TYPE_CSV_STREAM, NULL);

  setl_csv_options_copy (&self->options, options);
  self->fields = g_new (SetlField *, n_fields);
  for (guint i = 0; i < n_fields; i++)
    self->fields[i] = g_object_ref (fields[i]);
  self->n_fields = n_fields;
  return self;
}

/* Rows rejected by the last pass that reached the end of the file. */
gint64
setl_csv_stream_get_rejected_rows (SetlCsvStream *self)
{
  return self->rejected_rows;
}

guint64
setl_csv_stream_get_rows_read (SetlCsvStream *self)
{
  return self->rows_read;
}
