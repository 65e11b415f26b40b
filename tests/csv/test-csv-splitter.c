/* test-csv-splitter.c: the splitter (plugins/csv/setl-csv-splitter.c)
 * against the tokenizer itself. For random inputs and many block sizes:
 * every cut is a record boundary the whole-input tokenizer reaches, with
 * the tokenizer's line; tokenizing each block on its own gives exactly the
 * whole input's records; malformed input is flagged uncertain at or before
 * the first bad record, and blocks before it plus a sequential parse from
 * the uncertain block give the whole input's records and failures.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <glib.h>
#include <glib/gstdio.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "setl-csv-splitter.h"
#include "setl-csv-tokenizer.h"

#define BOM "\xEF\xBB\xBF"

typedef struct
{
  char delimiter;
  char quote;
} Dialect;

static const Dialect dialects[] = {
  { ',', '"' }, { ';', '\'' }, { '\t', '"' }, { '|', '#' },
  { '\r', '"' },       /* a CR delimiter: the tokenizer's order of checks matters */
  { ',', '\xEF' },     /* a quote that is the byte order mark's first byte */
};

/* ---- the tokenizer's view ------------------------------------------------ */

/* What the tokenizer returns, one string per record or failure (its raw
 * bytes included), lines shifted by @line_offset, up to the end or a
 * sticky failure (TOO_LONG, IO: no raw bytes); @starts_line, if not NULL,
 * gets the line of each item that has raw bytes. */
static void
tokenize (const char *data, gsize length, const Dialect *d, gsize buffer_size,
          guint64 line_offset, GPtrArray *items, GArray *starts_line)
{
  g_autoptr(SetlCsvTokenizer) tok =
    setl_csv_tokenizer_new_for_data (data, length, d->delimiter, d->quote, buffer_size);

  for (;;)
    {
      const SetlCsvField *fields;
      guint n_fields;
      SetlCsvTokenFailure failure;
      GString *s = g_string_new (NULL);
      gboolean ok = setl_csv_tokenizer_next (tok, &fields, &n_fields, &failure);
      const char *raw;
      gsize raw_len;

      if (!ok && failure.code == SETL_CSV_TOKEN_ERROR_NONE)
        {
          g_string_free (s, TRUE);
          break;
        }
      if (ok)
        {
          g_string_append_printf (s, "R%" G_GUINT64_FORMAT ":", setl_csv_tokenizer_get_line (tok) + line_offset);
          for (guint i = 0; i < n_fields; i++)
            {
              g_string_append_printf (s, "%c%u:", fields[i].quoted ? 'q' : 'u', fields[i].len);
              g_string_append_len (s, fields[i].ptr, fields[i].len);
            }
        }
      else
        g_string_append_printf (s, "F%d:%" G_GUINT64_FORMAT ":%u:", (int) failure.code,
                                failure.line + line_offset, failure.field);
      if (ok || failure.code == SETL_CSV_TOKEN_ERROR_UNTERMINATED_QUOTE ||
          failure.code == SETL_CSV_TOKEN_ERROR_AFTER_QUOTE)
        {
          raw = setl_csv_tokenizer_get_raw (tok, &raw_len);
          g_string_append (s, "|raw:");
          g_string_append_len (s, raw, (gssize) raw_len);
          if (starts_line != NULL)
            {
              guint64 line = setl_csv_tokenizer_get_line (tok) + line_offset;

              g_array_append_val (starts_line, line);
            }
          g_ptr_array_add (items, g_string_free (s, FALSE));
          continue;
        }
      g_ptr_array_add (items, g_string_free (s, FALSE));
      break;   /* sticky */
    }
}

static void
add_cut (GHashTable *set, gsize pos, guint64 line)
{
  g_hash_table_insert (set, g_memdup2 (&(gint64) { (gint64) pos }, 8), GSIZE_TO_POINTER (line));
}

/* Skips the blank lines ("\n" or "\r\n") the tokenizer skipped before the
 * record at @to_line, adding the cut after each. */
static gsize
skip_blank_lines (const char *data, gsize pos, guint64 *line, guint64 to_line, GHashTable *set)
{
  while (*line < to_line)
    {
      if (data[pos] == '\n')
        pos++;
      else
        {
          g_assert_true (data[pos] == '\r' && data[pos + 1] == '\n');
          pos += 2;
        }
      (*line)++;
      add_cut (set, pos, *line);
    }
  return pos;
}

/* The record boundaries (offsets just after a '\n') the whole tokenizer
 * reaches, each with the line that starts there, rebuilt from its records'
 * raw bytes and lines (blank lines are skipped without a record). Sets
 * *@first_bad to the offset of the first malformed record, or -1. */
static GHashTable *
boundaries (const char *data, gsize length, const Dialect *d, gssize *first_bad)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) lines = g_array_new (FALSE, FALSE, sizeof (guint64));
  GHashTable *set = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  gsize pos = (length >= 3 && memcmp (data, BOM, 3) == 0) ? 3 : 0;
  guint64 line = 1;
  guint k = 0;

  *first_bad = -1;
  tokenize (data, length, d, 0, 0, items, lines);
  for (guint i = 0; i < items->len; i++)
    {
      const char *item = items->pdata[i];
      const char *raw = strstr (item, "|raw:");
      gsize raw_len;
      guint64 record_line;

      if (raw == NULL)
        {
          /* A sticky failure (no raw bytes), at the line of the record
           * that failed: the blank lines before it were reached. */
          guint64 fail_line = g_ascii_strtoull (strchr (item, ':') + 1, NULL, 10);

          pos = skip_blank_lines (data, pos, &line, fail_line, set);
          return set;
        }
      raw += 5;
      /* The item string holds the raw bytes at its end, NULs excepted:
       * the inputs here have none. */
      raw_len = strlen (raw);
      record_line = g_array_index (lines, guint64, k++);
      pos = skip_blank_lines (data, pos, &line, record_line, set);
      g_assert_cmpuint (pos + raw_len, <=, length);
      g_assert_true (memcmp (data + pos, raw, raw_len) == 0);
      if (item[0] == 'F' && *first_bad < 0)
        *first_bad = (gssize) pos;
      pos += raw_len;
      for (gsize j = 0; j < raw_len; j++)
        line += (raw[j] == '\n');
      if (raw_len > 0 && raw[raw_len - 1] == '\n')
        add_cut (set, pos, line);
    }
  /* Blank lines after the last record. */
  while (pos < length)
    {
      if (data[pos] == '\r' && pos + 1 == length)
        break;   /* a last blank line "\r" without line end */
      pos = skip_blank_lines (data, pos, &line, line + 1, set);
    }
  return set;
}

/* ---- the splitter's view ------------------------------------------------- */

static GPtrArray *
split (SetlCsvSplitter *splitter, SetlCsvTokenFailure *failure)
{
  GPtrArray *blocks = g_ptr_array_new_with_free_func ((GDestroyNotify) setl_csv_block_free);
  SetlCsvBlock *block;

  while (setl_csv_splitter_next (splitter, &block, failure))
    g_ptr_array_add (blocks, block);
  return blocks;
}

static void
compare_items (GPtrArray *whole, GPtrArray *parts)
{
  for (guint i = 0; i < MIN (whole->len, parts->len); i++)
    if (strcmp (whole->pdata[i], parts->pdata[i]) != 0)
      g_error ("record %u differs:\n  whole:  %.200s\n  blocks: %.200s", i,
               (char *) whole->pdata[i], (char *) parts->pdata[i]);
  g_assert_cmpuint (whole->len, ==, parts->len);
}

/* Checks one split of @data: coverage, cuts, lines, byte order marks, and
 * that the blocks (up to the first uncertain one, then a sequential parse)
 * give the whole input's records. */
static void
check_split (const char *data, gsize length, const Dialect *d, GPtrArray *blocks,
             const SetlCsvTokenFailure *failure, gboolean expect_certain)
{
  g_autoptr(GPtrArray) whole = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) cuts = NULL;
  gssize first_bad;
  guint64 offset = 0, line = 1;
  gssize uncertain_block = -1;

  tokenize (data, length, d, 0, 0, whole, NULL);
  cuts = boundaries (data, length, d, &first_bad);

  for (guint i = 0; i < blocks->len; i++)
    {
      const SetlCsvBlock *b = blocks->pdata[i];
      guint64 newlines = 0;

      g_assert_cmpuint (b->offset, ==, offset);
      g_assert_cmpuint (b->line, ==, line);
      g_assert_true (b->data == NULL || b->length == 0 || memcmp (b->data, data + offset, b->length) == 0);
      for (gsize j = 0; j < b->length; j++)
        newlines += (data[offset + j] == '\n');
      g_assert_cmpuint (b->newlines, ==, newlines);
      if (b->uncertain && uncertain_block < 0)
        {
          uncertain_block = i;
          g_assert_cmpuint (b->uncertain_at, <=, b->length);
          /* At or before the first malformed record. */
          if (first_bad >= 0)
            g_assert_cmpuint (b->offset + b->uncertain_at, <=, (guint64) first_bad);
        }
      if (uncertain_block >= 0)
        g_assert_true (b->uncertain);   /* sticky */
      else if (i > 0)
        {
          gpointer cut_line;

          /* A cut the tokenizer reaches, at the tokenizer's line, where a
           * fresh tokenizer keeps the bytes. */
          g_assert_true (g_hash_table_lookup_extended (cuts, &(gint64) { (gint64) b->offset },
                                                       NULL, &cut_line));
          g_assert_cmpuint (GPOINTER_TO_SIZE (cut_line), ==, b->line);
          g_assert_false (b->length >= 3 && memcmp (b->data, BOM, 3) == 0);
        }
      offset += b->length;
      line += b->newlines;
    }
  if (failure->code == SETL_CSV_TOKEN_ERROR_NONE)
    g_assert_cmpuint (offset, ==, length);
  if (first_bad >= 0)
    g_assert_cmpint (uncertain_block, >=, 0);
  if (expect_certain)
    g_assert_cmpint (uncertain_block, <, 0);

  /* The parallel reading: blocks on their own, then the sequential
   * fallback from the first uncertain block, then the splitter's failure. */
  for (guint i = 0; i < blocks->len && (gssize) i != uncertain_block; i++)
    {
      const SetlCsvBlock *b = blocks->pdata[i];

      tokenize (b->data, b->length, d, 1 + (i % 7) * 13, b->line - 1, parts, NULL);
      if (parts->len > 0 && strstr (parts->pdata[parts->len - 1], "|raw:") == NULL)
        return compare_items (whole, parts);   /* a block failed for good: the stream ends */
    }
  if (uncertain_block >= 0)
    {
      const SetlCsvBlock *b = blocks->pdata[uncertain_block];

      tokenize (data + b->offset, length - b->offset, d, 0, b->line - 1, parts, NULL);
    }
  else if (failure->code != SETL_CSV_TOKEN_ERROR_NONE)
    g_ptr_array_add (parts, g_strdup_printf ("F%d:%" G_GUINT64_FORMAT ":%u:", (int) failure->code,
                                             failure->line, failure->field));

  compare_items (whole, parts);
}

static void
check_data (const char *data, gsize length, const Dialect *d, gsize block_size,
            gboolean expect_certain)
{
  g_autoptr(SetlCsvSplitter) splitter =
    setl_csv_splitter_new_for_data (data, length, d->delimiter, d->quote, block_size);
  SetlCsvTokenFailure failure;
  g_autoptr(GPtrArray) blocks = split (splitter, &failure);

  check_split (data, length, d, blocks, &failure, expect_certain);
}

static const gsize block_sizes[] = { 1, 2, 3, 4, 5, 7, 16, 33, 64, 255, 1000, 0 };

static void
check_all_sizes (const char *data, gsize length, const Dialect *d, gboolean expect_certain)
{
  for (guint i = 0; i < G_N_ELEMENTS (block_sizes); i++)
    check_data (data, length, d, block_sizes[i], expect_certain);
  check_data (data, length, d, length / 3 + 1, expect_certain);
  check_data (data, length, d, length, expect_certain);
  check_data (data, length, d, length + 1, expect_certain);
}

/* ---- random inputs ------------------------------------------------------- */

/* Field shapes; D is the delimiter, Q the quote, B a byte order mark. */
static const char *const good_fields[] = {
  "", "abc", "a b", "12", "xQy", "xQQ", "QQ", "QaDbQ", "Qsay QQhiQQQ", "Qtwo\nlinesQ",
  "Qcr\r\nlfQ", "Qlone\rcrQ", "lone\rcr", "\r", "Bx", "Q\n\nQ", "QDQQ\nQ", "QQQQ", "QBQ",
  "a\r", "QQQQQQ", "B", "QxQ",
};
static const char *const bad_fields[] = {
  "QbadQx", "QbadQ\rx", "Qopen", "QaQQ", "QxQ ", "QxQQQy", "QxQ\r", "QyQ\"",
};

static void
append_field (GString *s, const char *shape, const Dialect *d)
{
  for (const char *p = shape; *p; p++)
    {
      if (*p == 'Q')
        g_string_append_c (s, d->quote);
      else if (*p == 'D')
        g_string_append_c (s, d->delimiter);
      else if (*p == 'B')
        g_string_append (s, BOM);
      else
        g_string_append_c (s, *p);
    }
}

static GString *
random_csv (GRand *rand, const Dialect *d, gboolean malformed)
{
  GString *s = g_string_new (NULL);
  guint n_rows = (guint) g_rand_int_range (rand, 0, 40);
  gboolean crlf = g_rand_boolean (rand);

  if (g_rand_int_range (rand, 0, 4) == 0)
    g_string_append (s, BOM);
  for (guint r = 0; r < n_rows; r++)
    {
      guint n = (guint) g_rand_int_range (rand, 1, 5);
      guint kind = (guint) g_rand_int_range (rand, 0, 20);

      if (kind == 0)
        {
          g_string_append (s, g_rand_boolean (rand) ? "\r\n" : "\n");   /* a blank line */
          continue;
        }
      if (kind == 1)
        g_string_append (s, BOM);   /* a row whose first bytes are a byte order mark */
      for (guint c = 0; c < n; c++)
        {
          const char *shape;

          if (malformed && g_rand_int_range (rand, 0, 30) == 0)
            shape = bad_fields[g_rand_int_range (rand, 0, G_N_ELEMENTS (bad_fields))];
          else if (g_rand_int_range (rand, 0, 3) == 0)
            shape = good_fields[g_rand_int_range (rand, 0, G_N_ELEMENTS (good_fields))];
          else
            shape = good_fields[g_rand_int_range (rand, 0, 4)];
          if (c > 0)
            g_string_append_c (s, d->delimiter);
          append_field (s, shape, d);
        }
      if (r + 1 < n_rows || g_rand_boolean (rand))
        g_string_append (s, (crlf || g_rand_int_range (rand, 0, 5) == 0) ? "\r\n" : "\n");
    }
  return s;
}

static gboolean
tokenizer_fails (const char *data, gsize length, const Dialect *d)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_free);

  tokenize (data, length, d, 0, 0, items, NULL);
  for (guint i = 0; i < items->len; i++)
    if (((char *) items->pdata[i])[0] == 'F')
      return TRUE;
  return FALSE;
}

static void
test_random_wellformed (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261125);
  guint checked = 0;

  for (guint i = 0; i < 600; i++)
    {
      const Dialect *d = &dialects[i % G_N_ELEMENTS (dialects)];
      g_autoptr(GString) csv = random_csv (rand, d, FALSE);

      /* A random well-formed field next to an unlucky neighbour can still
       * be malformed (a CR field before a quoted one): those go to the
       * malformed test's checks. */
      if (tokenizer_fails (csv->str, csv->len, d))
        continue;
      check_all_sizes (csv->str, csv->len, d, TRUE);
      checked++;
    }
  g_assert_cmpuint (checked, >, 400);
}

static void
test_random_malformed (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  guint bad = 0;

  for (guint i = 0; i < 600; i++)
    {
      const Dialect *d = &dialects[i % G_N_ELEMENTS (dialects)];
      g_autoptr(GString) csv = random_csv (rand, d, TRUE);

      bad += tokenizer_fails (csv->str, csv->len, d);
      check_all_sizes (csv->str, csv->len, d, FALSE);
    }
  g_assert_cmpuint (bad, >, 150);
}

/* The same through a file descriptor, reads and all. */
static void
test_random_fd (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (99);
  g_autofree char *dir = g_dir_make_tmp ("setl-csv-splitter-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "in.csv", NULL);

  g_assert_nonnull (dir);
  for (guint i = 0; i < 120; i++)
    {
      const Dialect *d = &dialects[i % G_N_ELEMENTS (dialects)];
      g_autoptr(GString) csv = random_csv (rand, d, i % 2 == 1);

      g_assert_true (g_file_set_contents (path, csv->str, (gssize) csv->len, NULL));
      for (guint k = 0; k < G_N_ELEMENTS (block_sizes); k++)
        {
          int fd = g_open (path, O_RDONLY, 0);
          g_autoptr(SetlCsvSplitter) splitter = NULL;
          g_autoptr(GPtrArray) blocks = NULL;
          SetlCsvTokenFailure failure;

          g_assert_cmpint (fd, >=, 0);
          splitter = setl_csv_splitter_new_for_fd (fd, d->delimiter, d->quote, block_sizes[k]);
          blocks = split (splitter, &failure);
          g_assert_cmpint (failure.code, ==, SETL_CSV_TOKEN_ERROR_NONE);
          for (guint b = 0; b < blocks->len; b++)
            {
              const SetlCsvBlock *block = blocks->pdata[b];

              /* Owned, and padded with zeros for the tokenizer's loads. */
              g_assert_true (block->data == block->owned);
              for (guint z = 0; z < SETL_CSV_BLOCK_PAD; z++)
                g_assert_cmpint (block->data[block->length + z], ==, 0);
            }
          check_split (csv->str, csv->len, d, blocks, &failure,
                       !tokenizer_fails (csv->str, csv->len, d));
        }
    }
  g_unlink (path);
  g_rmdir (dir);
}

/* ---- cases --------------------------------------------------------------- */

static void
test_cases (void)
{
  static const Dialect comma = { ',', '"' };
  static const char *const good[] = {
    "", "\n", "\r\n", "\r", "a", "a\n", "a\r\n", "a\rb\n", "\n\n\na\n\n",
    BOM, BOM "a,b\n", BOM BOM "a\n" BOM "b\n", "a\n" BOM "\n" BOM BOM "x\n",
    "\"a\nb\",c\nd\n", "x\"y,\"z\n\"\nw\n", "\"\"\"\n\"\"\"\n", "\"a\"\r\nb\n",
    "\"a\"", "\"a\"\r", "a,\"b\nc\"", "\"\n\n\n\"\n\n", "a,\"\",\"\"\"\"\n",
  };
  static const char *const bad[] = {
    "\"a\"b\nc\n", "\"a\"\rb\nc\n", "x\n\"open\n", "a\n\"a\"\"\n", "\"a\" ,b\nc\n",
    "a\n\"a\"x\"\nb\"\nc\n", "ok\n\"a\"\r\r\nd\n",
  };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    check_all_sizes (good[i], strlen (good[i]), &comma, TRUE);
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_assert_true (tokenizer_fails (bad[i], strlen (bad[i]), &comma));
      check_all_sizes (bad[i], strlen (bad[i]), &comma, FALSE);
    }
}

/* Records around SETL_CSV_MAX_RECORD_BYTES: the splitter fails where the
 * tokenizer does, at the same line, after the same records. */
static void
test_too_long (void)
{
  static const Dialect comma = { ',', '"' };
  const gsize max = SETL_CSV_MAX_RECORD_BYTES;
  /* fails: the tokenizer fails; splitter_fails: the splitter finds no
   * cut and fails itself (otherwise the block's tokenizer does). */
  struct { const char *head; gsize body; const char *tail; gboolean quoted; gboolean fails;
           gboolean splitter_fails; } cases[] = {
    { "a\nb\n", max - 1, "\nc\n", FALSE, FALSE, FALSE },       /* MAX bytes with its '\n' */
    { "a\nb\n", max, "\nc\n", FALSE, TRUE, FALSE },            /* one more */
    { "a\nb\n", max + 3, "\nc\n", FALSE, TRUE, TRUE },         /* no line end in reach */
    { "a\n", max - 1, "", FALSE, FALSE, FALSE },               /* last, no line end */
    { "a\n", max, "", FALSE, TRUE, FALSE },
    { BOM, max - 1, "\nc\n", FALSE, FALSE, FALSE },            /* counted after the mark */
    { BOM, max, "\nc\n", FALSE, TRUE, FALSE },
    { "a\n\n", max - 2, "\"\nc\n", TRUE, FALSE, FALSE },      /* "…" + '\n' = MAX */
    { "a\n", max - 1, "\"\nc\n", TRUE, TRUE, FALSE },
    { "a\n", max + 10, "", TRUE, TRUE, TRUE },                /* a quote that never closes */
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      GString *s = g_string_sized_new (max + 64);
      g_autofree char *data = NULL;
      gsize length;
      static const gsize sizes[] = { 0, 5 };

      g_string_append (s, cases[i].head);
      if (cases[i].quoted)
        g_string_append_c (s, '"');
      {
        gsize at = s->len, n = cases[i].body - (cases[i].quoted ? 1 : 0);

        g_string_set_size (s, at + n);
        memset (s->str + at, 'x', n);
        for (gsize k = 4095; k < n; k += 4096)
          s->str[at + k] = ',';
      }
      g_string_append (s, cases[i].tail);
      length = s->len;
      data = g_string_free (s, FALSE);

      g_assert_cmpint (tokenizer_fails (data, length, &comma), ==, cases[i].fails);
      for (guint k = 0; k < G_N_ELEMENTS (sizes); k++)
        {
          g_autoptr(SetlCsvSplitter) splitter =
            setl_csv_splitter_new_for_data (data, length, ',', '"', sizes[k]);
          SetlCsvTokenFailure failure;
          g_autoptr(GPtrArray) blocks = split (splitter, &failure);

          g_test_message ("case %u, block size %" G_GSIZE_FORMAT, i, sizes[k]);
          g_assert_cmpint (failure.code, ==,
                           cases[i].splitter_fails ? SETL_CSV_TOKEN_ERROR_TOO_LONG : SETL_CSV_TOKEN_ERROR_NONE);
          check_split (data, length, &comma, blocks, &failure, TRUE);
          if (failure.code != SETL_CSV_TOKEN_ERROR_NONE)
            {
              SetlCsvBlock *again;
              SetlCsvTokenFailure failure2;

              g_assert_false (setl_csv_splitter_next (splitter, &again, &failure2));
              g_assert_cmpint (failure2.code, ==, failure.code);
            }
        }
    }
}

/* Rows that all start with a byte order mark leave no exact cut: within
 * the record limit the splitter declares the rest uncertain instead of
 * growing its window without bound. */
static void
test_bom_rows (void)
{
  static const Dialect comma = { ',', '"' };
  g_autoptr(GString) s = g_string_new (NULL);
  g_autoptr(SetlCsvSplitter) splitter = NULL;
  g_autoptr(GPtrArray) blocks = NULL;
  SetlCsvTokenFailure failure;
  gsize largest = 0;
  gboolean uncertain = FALSE;

  g_string_append (s, "head\n");
  for (guint i = 0; i < 200; i++)
    g_string_append_printf (s, BOM "row %u,\"q\nq\"\n", i);
  splitter = setl_csv_splitter_new_for_data (s->str, s->len, ',', '"', 16);
  setl_csv_splitter_set_max_record (splitter, 256);
  blocks = split (splitter, &failure);
  g_assert_cmpint (failure.code, ==, SETL_CSV_TOKEN_ERROR_NONE);
  for (guint i = 0; i < blocks->len; i++)
    {
      largest = MAX (largest, ((SetlCsvBlock *) blocks->pdata[i])->length);
      uncertain |= ((SetlCsvBlock *) blocks->pdata[i])->uncertain;
    }
  g_assert_cmpuint (largest, <=, 256);
  g_assert_true (uncertain);
  check_split (s->str, s->len, &comma, blocks, &failure, FALSE);
}

static void
test_read_error (void)
{
  int fd = g_open (g_get_tmp_dir (), O_RDONLY | O_DIRECTORY, 0);
  g_autoptr(SetlCsvSplitter) splitter = NULL;
  SetlCsvBlock *block;
  SetlCsvTokenFailure failure;

  g_assert_cmpint (fd, >=, 0);
  splitter = setl_csv_splitter_new_for_fd (fd, ',', '"', 0);
  g_assert_false (setl_csv_splitter_next (splitter, &block, &failure));
  g_assert_null (block);
  g_assert_cmpint (failure.code, ==, SETL_CSV_TOKEN_ERROR_IO);
  g_assert_cmpint (failure.errno_value, ==, EISDIR);
  g_assert_cmpuint (failure.line, ==, 1);
  g_assert_false (setl_csv_splitter_next (splitter, &block, &failure));
  g_assert_cmpint (failure.code, ==, SETL_CSV_TOKEN_ERROR_IO);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/csv/splitter/cases", test_cases);
  g_test_add_func ("/csv/splitter/random-wellformed", test_random_wellformed);
  g_test_add_func ("/csv/splitter/random-malformed", test_random_malformed);
  g_test_add_func ("/csv/splitter/random-fd", test_random_fd);
  g_test_add_func ("/csv/splitter/too-long", test_too_long);
  g_test_add_func ("/csv/splitter/bom-rows", test_bom_rows);
  g_test_add_func ("/csv/splitter/read-error", test_read_error);
  return g_test_run ();
}
