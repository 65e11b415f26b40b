/* test-csv-parallel.c: the csv source's parallel reader (blocks cut by the
 * splitter, parsed on worker threads, handed out in file order) against
 * its sequential reader, on random awkward inputs cut into many small
 * blocks: same table, same first error, same reject file, same counts;
 * and a pass dropped or cancelled half-way stops its workers.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <setl/setl.h>
#include <glib/gstdio.h>
#include <string.h>

#include "setl-csv-source.h"
#include "setl-csv-stream.h"

static char *tmpdir;

/* Cells that exercise every branch: plain, quoted, quoted with delimiters,
 * doubled quotes and line ends (LF and CRLF), nulls, non-ASCII and
 * invalid UTF-8, numbers that parse and some that do not; and now and
 * then (@malformed) a quote problem that makes the splitter unsure, so
 * that the sequential fallback is taken from that block on. */
static const char *const cells[] = {
  "", "NA", "1", "42", "-7", "007", "123456789012345678", "99999999999999999999",
  "1.5", "-0.25", "1e3", "x1", "abc", "Zoë", "Kraków", "\xff\xfe",
  "true", "a b", "O'Brien", "\"q\"", "\"a,b\"", "\"say \"\"hi\"\"\"",
  "\"two\nlines\"", "\"two\r\nlines\"", "\"\n\n\"", "\"\"", "\"NA\"", "\"12\"", "x\"y", "\r",
};
static const char *const malformed_cells[] = { "\"bad\"x", "\"open" };

static GString *
random_csv (GRand *rand, guint n_columns, guint n_rows, gboolean malformed)
{
  GString *s = g_string_new (NULL);
  gboolean crlf = g_rand_boolean (rand);

  if (g_rand_int_range (rand, 0, 4) == 0)
    g_string_append (s, "\xef\xbb\xbf");   /* a byte order mark */
  for (guint c = 0; c < n_columns; c++)
    g_string_append_printf (s, "%sc%u", c > 0 ? "," : "", c);
  g_string_append (s, crlf ? "\r\n" : "\n");
  for (guint r = 0; r < n_rows; r++)
    {
      guint n = n_columns;
      guint kind = (guint) g_rand_int_range (rand, 0, 200);

      if (kind == 0)
        n = n_columns + 1;
      else if (kind == 1 && n_columns > 1)
        n = n_columns - 1;
      else if (kind == 2)
        {
          g_string_append (s, crlf ? "\r\n" : "\n");   /* a blank line */
          continue;
        }
      for (guint c = 0; c < n; c++)
        {
          const char *cell;
          guint pick = (guint) g_rand_int_range (rand, 0, 1000);

          if (malformed && pick == 0)
            cell = malformed_cells[g_rand_int_range (rand, 0, G_N_ELEMENTS (malformed_cells))];
          else if (pick < 900)
            {
              /* Column c's usual content: an int, a decimal or a name. */
              static const char *const usual[][4] = {
                { "1", "23", "456", "7890" },
                { "1.25", "3.5", "10", "0.01" },
                { "Ann", "Bob Smith", "\"Lee, Ann\"", "\"Zoë\nLee\"" },
              };
              cell = usual[c % 3][g_rand_int_range (rand, 0, 4)];
            }
          else
            cell = cells[g_rand_int_range (rand, 0, G_N_ELEMENTS (cells))];
          g_string_append_printf (s, "%s%s", c > 0 ? "," : "", cell);
        }
      if (r + 1 < n_rows || g_rand_boolean (rand))
        g_string_append (s, crlf ? "\r\n" : "\n");
    }
  return s;
}

typedef struct
{
  SetlTable *table;
  char *error;
  gint64 rejected;
  guint64 rows_read;
  char *reject_file;
  guint n_batches;
} Outcome;

static void
outcome_clear (Outcome *o)
{
  g_clear_object (&o->table);
  g_clear_pointer (&o->error, g_free);
  g_clear_pointer (&o->reject_file, g_free);
}

/* Reads @path through a csv-source, in parallel (@block_size > 0: blocks
 * of that size) or sequentially (0). */
static void
read_with (const char *path, const char *schema, gboolean reject, guint batch_size,
           gsize block_size, Outcome *out)
{
  g_autofree char *reject_path = g_build_filename (tmpdir, "rejects.csv", NULL);
  g_autoptr(SetlCsvSource) source =
    g_object_new (SETL_TYPE_CSV_SOURCE, "path", path, "name", "src", "batch-size", batch_size,
                  "schema", schema, "reject-file", reject ? reject_path : NULL, NULL);
  g_autoptr(GError) error = NULL;
  g_auto(GValue) value = G_VALUE_INIT;
  g_autoptr(SetlBatchStream) stream = NULL;

  memset (out, 0, sizeof *out);
  g_unlink (reject_path);
  setl_csv_stream_set_parallel (block_size > 0, block_size);
  if (setl_factory_read (SETL_FACTORY (source), NULL, &error))
    {
      g_assert_true (setl_factory_get (SETL_FACTORY (source), &value, NULL));
      stream = g_value_dup_object (&value);
      out->table = setl_batch_stream_collect (stream, NULL, &error);
      if (out->table != NULL)
        out->n_batches = setl_table_get_n_batches (out->table);
      out->rows_read = setl_csv_stream_get_rows_read (SETL_CSV_STREAM (stream));
    }
  setl_csv_stream_set_parallel (-1, 0);
  if (error != NULL)
    out->error = g_strdup (error->message);
  g_object_get (source, "rejected-rows", &out->rejected, NULL);
  if (reject)
    g_file_get_contents (reject_path, &out->reject_file, NULL, NULL);
}

static void
assert_same (const Outcome *par, const Outcome *seq)
{
  g_assert_cmpstr (par->error, ==, seq->error);
  g_assert_true ((par->table == NULL) == (seq->table == NULL));
  if (seq->table != NULL)
    {
      g_assert_cmpint (setl_table_get_n_rows (par->table), ==, setl_table_get_n_rows (seq->table));
      g_assert_true (setl_table_equal (par->table, seq->table));
    }
  g_assert_cmpint (par->rejected, ==, seq->rejected);
  g_assert_cmpuint (par->rows_read, ==, seq->rows_read);
  g_assert_cmpstr (par->reject_file, ==, seq->reject_file);
}

static char *
write_file (const char *name, const char *content, gssize length)
{
  char *path = g_build_filename (tmpdir, name, NULL);

  g_assert_true (g_file_set_contents (path, content, length, NULL));
  return path;
}

/* Random files, each read sequentially and in parallel with tiny blocks:
 * the same outcome whatever the inputs' quotes, line ends and errors. */
static void
test_random (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  static const char *const schemas[] = {
    "c0:string,c1:string,c2:string",
    "c0:int64,c1:double,c2:string",
    "c0:int64?,c1:double?,c2:string?",
    NULL,   /* inferred */
  };
  static const gsize block_sizes[] = { 16, 100, 1000, 4096 };
  guint fallbacks = 0, errors = 0, rejects = 0, multi = 0;

  for (guint i = 0; i < 120; i++)
    {
      gboolean malformed = i % 3 == 0;
      g_autoptr(GString) csv = random_csv (rand, 3, (guint) g_rand_int_range (rand, 0, 600), malformed);
      g_autofree char *path = write_file ("random.csv", csv->str, (gssize) csv->len);
      const char *schema = schemas[i % G_N_ELEMENTS (schemas)];
      gboolean reject = g_rand_boolean (rand);
      guint batch_size = (guint[]) { 1, 7, 100, 65536 }[g_rand_int_range (rand, 0, 4)];
      gsize block_size = block_sizes[g_rand_int_range (rand, 0, G_N_ELEMENTS (block_sizes))];
      Outcome seq, par;

      read_with (path, schema, reject, batch_size, 0, &seq);
      read_with (path, schema, reject, batch_size, block_size, &par);
      assert_same (&par, &seq);
      fallbacks += malformed && strstr (csv->str, "\"bad\"x") != NULL;
      errors += seq.error != NULL;
      rejects += seq.rejected > 0;
      multi += par.n_batches > 1 && batch_size > 100;
      outcome_clear (&seq);
      outcome_clear (&par);
    }
  /* The inputs did take every path. */
  g_assert_cmpuint (fallbacks, >, 5);
  g_assert_cmpuint (errors, >, 5);
  g_assert_cmpuint (rejects, >, 5);
  g_assert_cmpuint (multi, >, 5);
}

/* A long file of plain rows with one bad cell far into it: the parallel
 * pass fails with the sequential pass's message (file, line, column). */
static void
test_error_mid_file (void)
{
  g_autoptr(GString) csv = g_string_new ("a,b,c\n");
  g_autofree char *path = NULL;
  g_autofree char *where = NULL;
  Outcome seq, par;

  for (guint r = 0; r < 20000; r++)
    {
      if (r == 12345)
        g_string_append (csv, "1,oops,\"x\ny\"\n");   /* the error's line is the record's first */
      else if (r % 1000 == 0)
        g_string_append (csv, "1,2,\"multi\nline\"\n");
      else
        g_string_append_printf (csv, "%u,%u.5,name %u\n", r, r % 97, r);
    }
  path = write_file ("error.csv", csv->str, (gssize) csv->len);

  read_with (path, "a:int64,b:double,c:string", FALSE, 1000, 0, &seq);
  read_with (path, "a:int64,b:double,c:string", FALSE, 1000, 4096, &par);
  g_assert_nonnull (seq.error);
  /* Line: 1 header + 12345 rows before, 13 of them two lines long. */
  where = g_strdup_printf ("%s:%u:2 (b): cannot read “oops” as double", path, 1 + 12345 + 13 + 1);
  g_assert_true (g_str_has_prefix (seq.error, where));
  assert_same (&par, &seq);
  outcome_clear (&seq);
  outcome_clear (&par);

  /* The same in reject mode: the bad row rejected, same file, same counts. */
  read_with (path, "a:int64,b:double,c:string", TRUE, 1000, 0, &seq);
  read_with (path, "a:int64,b:double,c:string", TRUE, 1000, 4096, &par);
  g_assert_null (seq.error);
  g_assert_cmpint (seq.rejected, ==, 1);
  g_assert_cmpuint (seq.rows_read, ==, 19999);
  g_assert_cmpstr (seq.reject_file, ==, "a,b,c\n1,oops,\"x\ny\"\n");
  assert_same (&par, &seq);
  g_assert_cmpuint (par.n_batches, >, seq.n_batches);   /* it did read in blocks */
  outcome_clear (&seq);
  outcome_clear (&par);
}

/* Many rejected rows spread over many blocks: written in file order. */
static void
test_reject_order (void)
{
  g_autoptr(GString) csv = g_string_new ("id,n\n");
  g_autoptr(GString) expected = g_string_new ("id,n\n");
  g_autofree char *path = NULL;
  Outcome seq, par;

  for (guint r = 0; r < 5000; r++)
    {
      if (r % 7 == 3)
        {
          g_autofree char *bad = g_strdup_printf ("%u,bad%u\n", r, r);

          g_string_append (csv, bad);
          g_string_append (expected, bad);
        }
      else if (r % 11 == 5)
        {
          g_autofree char *bad = g_strdup_printf ("%u,%u,extra\n", r, r);

          g_string_append (csv, bad);
          g_string_append (expected, bad);
        }
      else
        g_string_append_printf (csv, "%u,%u\n", r, r * 3);
    }
  path = write_file ("rejects-in.csv", csv->str, (gssize) csv->len);

  read_with (path, "id:int64,n:int64", TRUE, 100, 0, &seq);
  read_with (path, "id:int64,n:int64", TRUE, 100, 300, &par);
  g_assert_null (seq.error);
  g_assert_cmpstr (seq.reject_file, ==, expected->str);
  assert_same (&par, &seq);
  g_assert_cmpint (par.rejected, >, 1000);
  outcome_clear (&seq);
  outcome_clear (&par);
}

/* A file of @rows rows "i,i*2", opened in parallel with small blocks. */
static SetlBatchIterator *
open_parallel (guint rows, SetlBatchStream **stream_out)
{
  g_autoptr(GString) csv = g_string_new ("id,n\n");
  g_autofree char *path = NULL;
  g_autoptr(SetlCsvSource) source = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GValue) value = G_VALUE_INIT;
  SetlBatchIterator *it;

  for (guint r = 0; r < rows; r++)
    g_string_append_printf (csv, "%u,%u\n", r, r * 2);
  path = write_file ("drop.csv", csv->str, (gssize) csv->len);
  source = g_object_new (SETL_TYPE_CSV_SOURCE, "path", path, "name", "src", "batch-size", 100,
                         "schema", "id:int64,n:int64", NULL);
  g_assert_true (setl_factory_read (SETL_FACTORY (source), NULL, &error));
  g_assert_true (setl_factory_get (SETL_FACTORY (source), &value, NULL));
  *stream_out = g_value_dup_object (&value);
  setl_csv_stream_set_parallel (1, 256);
  it = setl_batch_stream_open (*stream_out, NULL, &error);
  setl_csv_stream_set_parallel (-1, 0);
  g_assert_no_error (error);
  return it;
}

/* The threads of this process (Linux). */
static guint
count_threads (void)
{
  g_autoptr(GDir) dir = g_dir_open ("/proc/self/task", 0, NULL);
  guint n = 0;

  while (dir != NULL && g_dir_read_name (dir) != NULL)
    n++;
  return n;
}

/* Dropping a pass after its first batch: the workers stop and are joined
 * (no thread left, this returns), nothing leaks (ASan); the batch handed
 * out stays valid. */
static void
test_drop (void)
{
  g_autoptr(SetlBatchStream) stream = NULL;
  SetlBatchIterator *it = open_parallel (100000, &stream);
  g_autoptr(GError) error = NULL;
  g_autoptr(SetlRecordBatch) batch = NULL;
  guint threads = count_threads ();
  SetlColumn *ids;

  batch = setl_batch_iterator_next (it, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (batch);
  if (g_file_test ("/proc/self/task", G_FILE_TEST_IS_DIR))
    g_assert_cmpuint (count_threads (), >, threads);   /* the workers */
  g_object_unref (it);
  if (g_file_test ("/proc/self/task", G_FILE_TEST_IS_DIR))
    g_assert_cmpuint (count_threads (), ==, threads);
  /* The first rows, in order, whatever the workers were doing. */
  ids = setl_record_batch_get_column (batch, 0);
  for (gint64 r = 0; r < setl_record_batch_get_n_rows (batch); r++)
    g_assert_cmpint (setl_column_get_int64 (ids, r), ==, r);

  /* Dropped before its first batch: no worker started. */
  g_clear_object (&stream);
  it = open_parallel (1000, &stream);
  g_object_unref (it);
}

/* A pass cancelled half-way fails with G_IO_ERROR_CANCELLED; the rows
 * before are the file's first, in order. */
static void
test_cancel (void)
{
  g_autoptr(SetlBatchStream) stream = NULL;
  g_autoptr(SetlBatchIterator) it = open_parallel (100000, &stream);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  SetlRecordBatch *batch;
  gint64 next = 0;
  guint n = 0;

  while ((batch = setl_batch_iterator_next (it, cancellable, &error)) != NULL)
    {
      SetlColumn *ids = setl_record_batch_get_column (batch, 0);

      for (gint64 r = 0; r < setl_record_batch_get_n_rows (batch); r++)
        g_assert_cmpint (setl_column_get_int64 (ids, r), ==, next++);
      g_object_unref (batch);
      if (++n == 5)
        g_cancellable_cancel (cancellable);
    }
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (n, ==, 5);
  g_assert_cmpint (next, <, 100000);
  g_clear_error (&error);
  /* The pass has ended. */
  g_assert_null (setl_batch_iterator_next (it, NULL, &error));
  g_assert_no_error (error);
}

static gpointer
cancel_soon (gpointer data)
{
  g_usleep (5 * G_TIME_SPAN_MILLISECOND);
  g_cancellable_cancel (data);
  return NULL;
}

/* Cancelled while next() waits for a block (one large block, which takes
 * far longer than 5 ms to parse): next() returns at once, cancelled,
 * instead of waiting for the block or for the worker to stop. */
static void
test_cancel_waiting (void)
{
  g_autoptr(GString) csv = g_string_new ("id,n,name\n");
  g_autofree char *path = NULL;
  g_autoptr(SetlCsvSource) source = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GValue) value = G_VALUE_INIT;
  g_autoptr(SetlBatchStream) stream = NULL;
  g_autoptr(SetlBatchIterator) it = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(SetlRecordBatch) batch = NULL;
  GThread *canceller;
  gint64 start, waited, parse;

  for (guint r = 0; r < 2000000; r++)
    g_string_append_printf (csv, "%u,%u,some name %u\n", r, r * 2, r);
  path = write_file ("slow.csv", csv->str, (gssize) csv->len);
  source = g_object_new (SETL_TYPE_CSV_SOURCE, "path", path, "name", "src",
                         "batch-size", 2000000, "schema", "id:int64,n:int64,name:string", NULL);
  g_assert_true (setl_factory_read (SETL_FACTORY (source), NULL, &error));
  g_assert_true (setl_factory_get (SETL_FACTORY (source), &value, NULL));
  stream = g_value_dup_object (&value);
  setl_csv_stream_set_parallel (1, csv->len + 1);
  it = setl_batch_stream_open (stream, NULL, &error);
  setl_csv_stream_set_parallel (-1, 0);
  g_assert_no_error (error);

  start = g_get_monotonic_time ();
  canceller = g_thread_new ("cancel", cancel_soon, cancellable);
  batch = setl_batch_iterator_next (it, cancellable, &error);
  g_thread_join (canceller);
  waited = g_get_monotonic_time () - start;
  g_assert_null (batch);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_clear_object (&it);

  /* How long the block takes to parse, here and now (a sanitizer or a
   * busy machine slows both): next() did not wait for it. */
  setl_csv_stream_set_parallel (0, 0);
  start = g_get_monotonic_time ();
  it = setl_batch_stream_open (stream, NULL, &error);
  setl_csv_stream_set_parallel (-1, 0);
  g_assert_no_error (error);
  batch = setl_batch_iterator_next (it, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (batch);
  parse = g_get_monotonic_time () - start;
  g_test_message ("cancelled next() returned after %.3f s; the block parses in %.3f s",
                  waited / 1e6, parse / 1e6);
  /* Less than the parse, not "at once": under a sanitizer on two busy
   * processors the waiting thread itself gets little time (the CI saw a
   * cancelled next() return after 136 ms of a 253 ms parse). */
  g_assert_cmpint (waited, <, parse);
}

/* When the parallel path is taken: a file of the threshold's size or more
 * (SETL_CSV_PARALLEL_MIN_BYTES overrides it), unless SETL_CSV_PARALLEL=0.
 * Seen from the batches: with 64-byte blocks a parallel pass cuts many
 * short batches where the sequential one makes one. */
static void
test_when (void)
{
  g_autoptr(GString) csv = g_string_new ("id,n\n");
  g_autofree char *path = NULL;
  Outcome o;

  for (guint r = 0; r < 1000; r++)
    g_string_append_printf (csv, "%u,%u\n", r, r);
  path = write_file ("when.csv", csv->str, (gssize) csv->len);

  g_unsetenv ("SETL_CSV_PARALLEL");
  g_setenv ("SETL_CSV_BLOCK_SIZE", "64", TRUE);
  read_with (path, "id:int64,n:int64", FALSE, 65536, 0, &o);   /* forced off */
  g_assert_cmpuint (o.n_batches, ==, 1);
  outcome_clear (&o);

  /* Auto (the hook's -1): below the default threshold, sequential. */
  setl_csv_stream_set_parallel (-1, 0);
  {
    g_autoptr(SetlCsvSource) source =
      g_object_new (SETL_TYPE_CSV_SOURCE, "path", path, "name", "src", "schema", "id:int64,n:int64", NULL);
    g_auto(GValue) value = G_VALUE_INIT;
    g_autoptr(SetlBatchStream) stream = NULL;
    g_autoptr(SetlTable) table = NULL;
    guint batches[3];

    g_assert_true (setl_factory_read (SETL_FACTORY (source), NULL, NULL));
    g_assert_true (setl_factory_get (SETL_FACTORY (source), &value, NULL));
    stream = g_value_dup_object (&value);

    table = setl_batch_stream_collect (stream, NULL, NULL);
    batches[0] = setl_table_get_n_batches (table);
    g_clear_object (&table);

    g_setenv ("SETL_CSV_PARALLEL_MIN_BYTES", "1000", TRUE);   /* the file is larger */
    table = setl_batch_stream_collect (stream, NULL, NULL);
    batches[1] = setl_table_get_n_batches (table);
    g_assert_cmpint (setl_table_get_n_rows (table), ==, 1000);
    g_clear_object (&table);

    g_setenv ("SETL_CSV_PARALLEL", "0", TRUE);
    table = setl_batch_stream_collect (stream, NULL, NULL);
    batches[2] = setl_table_get_n_batches (table);

    g_unsetenv ("SETL_CSV_PARALLEL");
    g_unsetenv ("SETL_CSV_PARALLEL_MIN_BYTES");
    g_unsetenv ("SETL_CSV_BLOCK_SIZE");
    g_assert_cmpuint (batches[0], ==, 1);
    /* Automatic: one processor is left to the consumer, so two or fewer
     * parse on one thread. */
    if (g_get_num_processors () >= 3)
      g_assert_cmpuint (batches[1], >, 10);
    else
      g_assert_cmpuint (batches[1], ==, 1);
    g_assert_cmpuint (batches[2], ==, 1);
  }
}

/* The source's "parse-threads": 1 keeps one parsing thread whatever the
 * environment and the file's size, 2 uses the parallel path on a file
 * below the automatic threshold. Many batches tell the parallel path (its
 * blocks are 64 bytes here), one batch the sequential one. */
static guint
batches_with_threads (const char *path,
                      guint       threads)
{
  g_autoptr(SetlCsvSource) source =
    g_object_new (SETL_TYPE_CSV_SOURCE, "path", path, "name", "src", "schema", "id:int64,n:int64",
                  "parse-threads", threads, NULL);
  g_auto(GValue) value = G_VALUE_INIT;
  g_autoptr(SetlBatchStream) stream = NULL;
  g_autoptr(SetlTable) table = NULL;

  g_assert_true (setl_factory_read (SETL_FACTORY (source), NULL, NULL));
  g_assert_true (setl_factory_get (SETL_FACTORY (source), &value, NULL));
  stream = g_value_dup_object (&value);
  table = setl_batch_stream_collect (stream, NULL, NULL);
  g_assert_nonnull (table);
  g_assert_cmpint (setl_table_get_n_rows (table), ==, 1000);
  return setl_table_get_n_batches (table);
}

static void
test_parse_threads (void)
{
  g_autoptr(GString) csv = g_string_new ("id,n\n");
  g_autofree char *path = NULL;

  for (guint r = 0; r < 1000; r++)
    g_string_append_printf (csv, "%u,%u\n", r, r);
  path = write_file ("threads.csv", csv->str, (gssize) csv->len);

  setl_csv_stream_set_parallel (-1, 0);
  g_setenv ("SETL_CSV_BLOCK_SIZE", "64", TRUE);
  g_setenv ("SETL_CSV_PARALLEL", "1", TRUE);             /* the property wins */
  g_assert_cmpuint (batches_with_threads (path, 1), ==, 1);
  g_unsetenv ("SETL_CSV_PARALLEL");
  g_assert_cmpuint (batches_with_threads (path, 2), >, 10); /* below 32 MiB */
  g_assert_cmpuint (batches_with_threads (path, 0), ==, 1); /* automatic: small */
  g_unsetenv ("SETL_CSV_BLOCK_SIZE");
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  tmpdir = g_dir_make_tmp ("setl-csv-parallel-XXXXXX", NULL);
  g_assert_nonnull (tmpdir);

  g_test_add_func ("/csv/parallel/random", test_random);
  g_test_add_func ("/csv/parallel/error-mid-file", test_error_mid_file);
  g_test_add_func ("/csv/parallel/reject-order", test_reject_order);
  g_test_add_func ("/csv/parallel/drop", test_drop);
  g_test_add_func ("/csv/parallel/cancel", test_cancel);
  g_test_add_func ("/csv/parallel/cancel-waiting", test_cancel_waiting);
  g_test_add_func ("/csv/parallel/when", test_when);
  g_test_add_func ("/csv/parallel/parse-threads", test_parse_threads);
  status = g_test_run ();

  {
    g_autoptr(GDir) dir = g_dir_open (tmpdir, 0, NULL);
    const char *name;

    while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *path = g_build_filename (tmpdir, name, NULL);
        g_unlink (path);
      }
  }
  g_rmdir (tmpdir);
  g_free (tmpdir);
  return status;
}
