/* test-csv-bulk.c: the csv source's bulk path (rows cut many at a time
 * and parsed column by column) against its row-by-row path, on random
 * awkward inputs: same records, same lines, same values, same errors, same
 * rejected rows.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <setl/setl.h>
#include <glib/gstdio.h>
#include <string.h>

#include "setl-csv-source.h"
#include "setl-csv-stream.h"
#include "setl-csv-tokenizer.h"
#include "setl-csv-value.h"

static char *tmpdir;

/* Cells with a NUL byte, which a C string cannot hold: appended by hand. */
#define NUL_CELL_ASCII "<nul-ascii>"
#define NUL_CELL_AFTER_UTF8 "<nul-after-utf8>"
#define NUL_CELL_BEFORE_UTF8 "<nul-before-utf8>"

static void
append_cell (GString *s, const char *cell)
{
  if (g_str_equal (cell, NUL_CELL_ASCII))
    g_string_append_len (s, "a\0b", 3);
  else if (g_str_equal (cell, NUL_CELL_AFTER_UTF8))
    g_string_append_len (s, "\xc3\xa9\0b", 4);
  else if (g_str_equal (cell, NUL_CELL_BEFORE_UTF8))
    g_string_append_len (s, "a\0\xc3\xa9", 4);
  else
    g_string_append (s, cell);
}

/* Cells that exercise every branch: plain, quoted, quoted with delimiters,
 * doubled quotes and line ends, CRs, nulls, non-ASCII and invalid UTF-8,
 * numbers that parse and some that do not. */
static const char *const cells[] = {
  "", "NA", "1", "42", "-7", "+3", "007", "123456789012345678", "99999999999999999999",
  "1.5", "-0.25", "53.10", "1e3", "nan", "x1", "abc", "Zoë", "Kraków", "\xff\xfe", "\xc3",
  "true", "false", "2024-03-01", "a b", "O'Brien", "\"q\"", "\"a,b\"", "\"say \"\"hi\"\"\"",
  "\"two\nlines\"", "\"\"", "\"NA\"", "\"12\"", "x\"y", "\"bad\"x", "\r",
  /* UTF-8 that is checked sequence by sequence in short cells: 3 and 4
   * bytes, an overlong, a surrogate, past U+10FFFF, a lone continuation,
   * sequences cut short, before ASCII and at the end; the same in cells
   * over 32 bytes. */
  "a\xe2\x82\xac b", "\xf0\x9f\x98\x80", "\xc0\x80", "\xed\xa0\x80", "\xf4\x90\x80\x80",
  "x\x80y", "\xe2\x82z", "Zo\xc3", "\xc3\xa9\xc3\xa9\xc3\xa9",
  "a long name of well over thirty-two bytes, \xc3\xa9 in it",
  "a long name of well over thirty-two bytes, \xe2\x82 cut",
  "\xc3\xa9 a long name of well over thirty-two bytes, then \xff",
  NUL_CELL_ASCII, NUL_CELL_AFTER_UTF8, NUL_CELL_BEFORE_UTF8,
};

static GString *
random_csv (GRand *rand, guint n_columns, guint n_rows, gboolean *crlf_out)
{
  GString *s = g_string_new (NULL);
  gboolean crlf = g_rand_boolean (rand);

  *crlf_out = crlf;
  for (guint c = 0; c < n_columns; c++)
    g_string_append_printf (s, "%sc%u", c > 0 ? "," : "", c);
  g_string_append (s, crlf ? "\r\n" : "\n");
  for (guint r = 0; r < n_rows; r++)
    {
      guint n = n_columns;
      guint kind = (guint) g_rand_int_range (rand, 0, 100);

      /* Mostly well-formed rows of a few shapes, so that the bulk path
       * takes long runs, and now and then a bad one. */
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

          if (g_rand_int_range (rand, 0, 100) < 80)
            {
              /* Column c's usual content: an int, a decimal or a name. */
              static const char *const usual[][4] = {
                { "1", "23", "456", "7890" },
                { "1.25", "3.5", "10", "0.01" },
                { "Ann", "Bob Smith", "\"Lee, Ann\"", "Zoë" },
              };
              cell = usual[c % 3][g_rand_int_range (rand, 0, 4)];
            }
          else
            cell = cells[g_rand_int_range (rand, 0, G_N_ELEMENTS (cells))];
          if (c > 0)
            g_string_append_c (s, ',');
          append_cell (s, cell);
        }
      if (r + 1 < n_rows || g_rand_boolean (rand))
        g_string_append (s, crlf ? "\r\n" : "\n");
    }
  return s;
}

/* ---- the tokenizer ------------------------------------------------------- */

/* One record as text: its fields (quoted ones marked) and its line. */
static void
append_record (GString *out, guint64 line, const char *const *ptrs, const guint32 *lens,
               const gboolean *quoted, guint n)
{
  g_string_append_printf (out, "@%" G_GUINT64_FORMAT ":", line);
  for (guint i = 0; i < n; i++)
    {
      g_string_append_c (out, quoted[i] ? '<' : '[');
      g_string_append_len (out, ptrs[i], lens[i]);
      g_string_append_c (out, quoted[i] ? '>' : ']');
    }
  g_string_append_c (out, '\n');
}

static gboolean
reference_next (SetlCsvTokenizer *tok, GString *out)
{
  const SetlCsvField *fields;
  SetlCsvTokenFailure failure;
  guint n;

  if (!setl_csv_tokenizer_next (tok, &fields, &n, &failure))
    {
      if (failure.code == SETL_CSV_TOKEN_ERROR_NONE)
        return FALSE;
      g_string_append_printf (out, "error %d line %" G_GUINT64_FORMAT " field %u\n",
                              failure.code, failure.line, failure.field);
      return failure.code != SETL_CSV_TOKEN_ERROR_IO && failure.code != SETL_CSV_TOKEN_ERROR_TOO_LONG;
    }
  {
    const char *ptrs[n + 1];
    guint32 lens[n + 1];
    gboolean quoted[n + 1];

    for (guint i = 0; i < n; i++)
      {
        ptrs[i] = fields[i].ptr;
        lens[i] = fields[i].len;
        quoted[i] = fields[i].quoted;
      }
    append_record (out, setl_csv_tokenizer_get_line (tok), ptrs, lens, quoted, n);
  }
  return TRUE;
}

static void
test_tokenizer (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (20241125);
  guint bulk_rows = 0;

  for (guint iter = 0; iter < 3000; iter++)
    {
      guint n_columns = (guint) g_rand_int_range (rand, 1, 5);
      gboolean crlf;
      g_autoptr(GString) csv = random_csv (rand, n_columns, (guint) g_rand_int_range (rand, 0, 60), &crlf);
      gsize buffer = (gsize) g_rand_int_range (rand, 4, 300);
      g_autoptr(GString) expected = g_string_new (NULL);
      g_autoptr(GString) got = g_string_new (NULL);
      g_autoptr(SetlCsvTokenizer) ref =
        setl_csv_tokenizer_new_for_data (csv->str, csv->len, ',', '"', buffer);
      g_autoptr(SetlCsvTokenizer) tok =
        setl_csv_tokenizer_new_for_data (csv->str, csv->len, ',', '"', buffer);
      guint guard = 0;

      while (guard++ < 10000 && reference_next (ref, expected))
        ;
      g_assert_cmpuint (guard, <, 10000);

      /* The header through next(), as the source reads it. */
      guard = 0;
      if (reference_next (tok, got))
        for (;;)
          {
            guint32 ends_room[SETL_CSV_ENDS_SIZE (8, 4)], *ends = ends_room + 1;
            guint64 quoted_columns;
            SetlCsvTokenizerMark mark;
            const char *base;
            guint max = (guint) g_rand_int_range (rand, 1, 9);
            guint rows;

            g_assert_cmpuint (guard++, <, 10000);
            setl_csv_tokenizer_mark (tok, &mark);
            rows = setl_csv_tokenizer_next_rows (tok, n_columns, max, &base, ends, &quoted_columns);
            g_assert_cmpuint (rows, <=, max);
            if (rows > 0 && g_rand_int_range (rand, 0, 4) == 0)
              {
                /* Given back, and taken again one by one. */
                setl_csv_tokenizer_rewind (tok, &mark);
                for (guint r = 0; r < rows; r++)
                  g_assert_true (reference_next (tok, got));
                continue;
              }
            for (guint r = 0; r < rows; r++)
              {
                const char *ptrs[4];
                guint32 lens[4];
                gboolean quoted[4];

                for (guint c = 0; c < n_columns; c++)
                  {
                    gsize len;

                    ptrs[c] = setl_csv_cut_field (base, ends, r * n_columns + c, c == n_columns - 1,
                                                  '"', &len, &quoted[c]);
                    lens[c] = (guint32) len;
                    /* "None quoted" is a promise: the parser cuts those
                     * fields without looking for quotes. */
                    if (!(quoted_columns & (G_GUINT64_CONSTANT (1) << c)))
                      g_assert_false (quoted[c]);
                  }
                append_record (got, mark.line + r, ptrs, lens, quoted, n_columns);
              }
            bulk_rows += rows;
            if (rows == 0 && !reference_next (tok, got))
              break;
          }
      g_assert_cmpstr (got->str, ==, expected->str);
    }
  /* The bulk path did take rows (it takes none without SSE2). */
#ifdef __SSE2__
  g_assert_cmpuint (bulk_rows, >, 10000);
#else
  g_assert_cmpuint (bulk_rows, ==, 0);
#endif
}

/* ---- the source ---------------------------------------------------------- */

typedef struct
{
  SetlTable *table;
  char *error;
  gint64 rejected;
  char *reject_file;
} Outcome;

static void
outcome_clear (Outcome *o)
{
  g_clear_object (&o->table);
  g_clear_pointer (&o->error, g_free);
  g_clear_pointer (&o->reject_file, g_free);
}

static void
read_with (const char *path, const char *schema, gboolean reject, guint batch_size,
           gboolean bulk, Outcome *out)
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
  setl_csv_stream_set_bulk (bulk);
  if (setl_factory_read (SETL_FACTORY (source), NULL, &error))
    {
      g_assert_true (setl_factory_get (SETL_FACTORY (source), &value, NULL));
      stream = g_value_dup_object (&value);
      out->table = setl_batch_stream_collect (stream, NULL, &error);
    }
  setl_csv_stream_set_bulk (TRUE);
  if (error != NULL)
    out->error = g_strdup (error->message);
  g_object_get (source, "rejected-rows", &out->rejected, NULL);
  if (reject)
    g_file_get_contents (reject_path, &out->reject_file, NULL, NULL);
}

static void
test_source (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (11);
  static const char *const schemas[] = {
    NULL,
    "c0:int64,c1:double,c2:string",
    "c0:int64!,c1:double,c2:string!",
    "c0:string,c1:string,c2:string",
    "c0:int64,c1:double,c2:string,c3:bool,c4:date",
  };
  guint compared = 0, with_rows = 0;

  for (guint iter = 0; iter < 400; iter++)
    {
      guint s = (guint) g_rand_int_range (rand, 0, G_N_ELEMENTS (schemas));
      guint n_columns = s == 4 ? 5 : 3;
      gboolean crlf;
      g_autoptr(GString) csv = random_csv (rand, n_columns, (guint) g_rand_int_range (rand, 0, 3000), &crlf);
      g_autofree char *path = g_build_filename (tmpdir, "in.csv", NULL);
      gboolean reject = g_rand_boolean (rand);
      guint batch_size = (guint) g_rand_int_range (rand, 1, 2000);
      Outcome bulk, one;

      g_assert_true (g_file_set_contents (path, csv->str, (gssize) csv->len, NULL));
      read_with (path, schemas[s], reject, batch_size, TRUE, &bulk);
      read_with (path, schemas[s], reject, batch_size, FALSE, &one);

      g_assert_cmpstr (bulk.error, ==, one.error);
      g_assert_true ((bulk.table == NULL) == (one.table == NULL));
      if (bulk.table != NULL)
        {
          g_assert_cmpint (setl_table_get_n_rows (bulk.table), ==, setl_table_get_n_rows (one.table));
          g_assert_true (setl_table_equal (bulk.table, one.table));
          with_rows += setl_table_get_n_rows (bulk.table) > 0;
        }
      g_assert_cmpint (bulk.rejected, ==, one.rejected);
      g_assert_cmpstr (bulk.reject_file, ==, one.reject_file);
      compared++;
      outcome_clear (&bulk);
      outcome_clear (&one);
    }
  g_assert_cmpuint (compared, ==, 400);
  g_assert_cmpuint (with_rows, >, 50);
}

/* ---- edge cells of the bulk path's fast parsers --------------------------- */

/* Reads a file of plain rows with @row (@row_len bytes) as line 5, in bulk
 * and row by row (the reference: the general parsers and UTF-8 check),
 * which must agree; the bulk outcome is left in @bulk. */
static void
read_edge_row (const char *schema, const char *row, gsize row_len, Outcome *bulk)
{
  const char *columns = schema[0] == 'a' && strstr (schema, "d:") ? "a,b,c,d\n" : "a,b,c\n";
  const char *plain = strstr (schema, "d:") ? "1,x,y,z\n" : "x,1,y\n";
  g_autoptr(GString) csv = g_string_new (columns);
  g_autofree char *path = g_build_filename (tmpdir, "edge.csv", NULL);
  Outcome one;

  for (guint i = 0; i < 3; i++)
    g_string_append (csv, plain);
  g_string_append_len (csv, row, (gssize) row_len);
  g_string_append_c (csv, '\n');
  g_string_append (csv, plain);
  g_assert_true (g_file_set_contents (path, csv->str, (gssize) csv->len, NULL));

  read_with (path, schema, FALSE, 65536, TRUE, bulk);
  read_with (path, schema, FALSE, 65536, FALSE, &one);
  g_assert_cmpstr (bulk->error, ==, one.error);
  g_assert_true ((bulk->table == NULL) == (one.table == NULL));
  if (bulk->table != NULL)
    {
      g_assert_cmpint (setl_table_get_n_rows (bulk->table), ==, 5);
      g_assert_true (setl_table_equal (bulk->table, one.table));
    }
  outcome_clear (&one);
}

/* Column @column of the batch that holds the edge row (row 3; a
 * parallel read may cut the file into several batches), and the row's
 * index in it. */
static SetlColumn *
edge_column (SetlTable *table, guint column, gint64 *row)
{
  *row = 3;
  for (guint b = 0; b < setl_table_get_n_batches (table); b++)
    {
      SetlRecordBatch *batch = setl_table_get_batch (table, b);

      if (*row < setl_record_batch_get_n_rows (batch))
        return setl_record_batch_get_column (batch, column);
      *row -= setl_record_batch_get_n_rows (batch);
    }
  g_assert_not_reached ();
}

static gboolean
edge_is_null (SetlTable *table, guint column)
{
  gint64 row;
  SetlColumn *c = edge_column (table, column, &row);

  return setl_column_is_null (c, row);
}

static gint64
edge_int64 (SetlTable *table, guint column)
{
  gint64 row;
  SetlColumn *c = edge_column (table, column, &row);

  return setl_column_get_int64 (c, row);
}

static double
edge_double (SetlTable *table, guint column)
{
  gint64 row;
  SetlColumn *c = edge_column (table, column, &row);

  return setl_column_get_double (c, row);
}

static const char *
edge_string (SetlTable *table, guint column, gsize *n)
{
  gint64 row;
  SetlColumn *c = edge_column (table, column, &row);

  return setl_column_get_string (c, row, n);
}

/* Integers: the one- and two-digit path, the eight-digit word, the
 * fallback (signs, spaces, 19 digits, overflow): what setl_csv_parse_int64()
 * makes of the cell, in bulk too. */
static void
test_int64_edges (void)
{
  static const char *const cells[] = {
    "0", "00", "007", "0000000000000000000000042", "-0", "+0", "1", "9", "10", "99", "-1", "-9",
    "+5", "+99", "-99", "1x", "x1", "1:", "/1", ":1", "1/", " 1", "1 ", " ", "-", "+", "--1",
    "+-1", "1.0", "1e3", "0x1", "12345678", "99999999", "100000000", "123456789", "12345678x",
    "1234567x", "123456789012345678", "999999999999999999", "1234567890123456789",
    "9223372036854775807", "9223372036854775808", "-9223372036854775808",
    "-9223372036854775809", "+9223372036854775807", "18446744073709551616",
    "99999999999999999999", "\xd9\xa3", "1\xc3\xa9",
  };
  /* Spot checks that do not lean on setl_csv_parse_int64(). */
  static const struct { const char *cell; gint64 value; } known[] = {
    { "007", 7 }, { "9", 9 }, { "99", 99 }, { "10", 10 }, { "12345678", 12345678 },
    { "123456789", 123456789 }, { "9223372036854775807", G_MAXINT64 },
    { "-9223372036854775808", G_MININT64 },
  };
  static const char *const refused[] = {
    "1x", "x1", "1:", "/1", ":1", "1/", "9223372036854775808", "-9223372036854775809",
    "18446744073709551616", "12345678x", "1234567x",
  };

  for (guint i = 0; i < G_N_ELEMENTS (cells); i++)
    {
      g_autofree char *row = g_strdup_printf ("x,%s,y", cells[i]);
      gint64 want = 0;
      gboolean parses = setl_csv_parse_int64 (cells[i], strlen (cells[i]), FALSE, &want);
      Outcome bulk;

      read_edge_row ("a:string,b:int64,c:string", row, strlen (row), &bulk);
      if (parses)
        {
          g_assert_nonnull (bulk.table);
          g_assert_false (edge_is_null (bulk.table, 1));
          g_assert_cmpint (edge_int64 (bulk.table, 1), ==, want);
        }
      else if (bulk.table == NULL)
        g_assert_nonnull (strstr (bulk.error, ":5:2 (b): cannot read"));
      else
        /* Not a number: only a null marker reads. */
        g_assert_true (edge_is_null (bulk.table, 1));
      for (guint k = 0; k < G_N_ELEMENTS (known); k++)
        if (strcmp (known[k].cell, cells[i]) == 0)
          g_assert_cmpint (edge_int64 (bulk.table, 1), ==, known[k].value);
      for (guint k = 0; k < G_N_ELEMENTS (refused); k++)
        if (strcmp (refused[k], cells[i]) == 0)
          g_assert_null (bulk.table);
      outcome_clear (&bulk);
    }
}

/* Doubles: the one-word path for 2 to 8 unsigned bytes (the point taken
 * out, the digits converted at once), and what it leaves to the loop and
 * to setl_csv_parse_double(): the same value, to the bit, as the latter. */
static void
test_double_edges (void)
{
  static const char *const cells[] = {
    "53.16", "75.0", "100.00", "0.00", "0.5", "5.", ".5", ".", "..", "5..", ".5.", "1.2.3",
    "12", "99", "12345678", "1234567.8", ".1234567", "1234567.", "9999999.9", "00000.01",
    "123456789", "12345678.9", "1.23456789", "-1.5", "-0.25", "-.5", "-5.", "+1.5", "+12",
    " 1.5", "1.5 ", "1e5", "1.e5", "1.5e-3", "nan", "inf", "-inf", "1x", "x1", "1.x", "1/2",
    "1:5", "/.5", "5.:", "0.1", "0.3", "2.675", "9007199254740993", "1\xc3\xa9",
  };
  static const struct { const char *cell; double value; } known[] = {
    { "53.16", 53.16 }, { "75.0", 75.0 }, { "0.5", 0.5 }, { ".5", 0.5 }, { "5.", 5.0 },
    { "12345678", 12345678.0 }, { "1234567.8", 1234567.8 }, { ".1234567", 0.1234567 },
    { "0.1", 0.1 }, { "2.675", 2.675 },
  };
  static const char *const refused[] = { ".", "..", "5..", ".5.", "1.2.3", "1x", "x1", "1.x", "1/2", "1:5", "/.5", "5.:" };

  for (guint i = 0; i < G_N_ELEMENTS (cells); i++)
    {
      g_autofree char *row = g_strdup_printf ("x,%s,y", cells[i]);
      double want = 0;
      gboolean parses = setl_csv_parse_double (cells[i], strlen (cells[i]), FALSE, &want);
      Outcome bulk;

      read_edge_row ("a:string,b:double,c:string", row, strlen (row), &bulk);
      if (parses)
        {
          double got;

          g_assert_nonnull (bulk.table);
          g_assert_false (edge_is_null (bulk.table, 1));
          got = edge_double (bulk.table, 1);
          /* The same bits (NaN included), not merely close. */
          if (memcmp (&got, &want, sizeof got) != 0)
            g_error ("“%s”: %.17g in bulk, %.17g by setl_csv_parse_double()", cells[i], got, want);
        }
      else if (bulk.table == NULL)
        g_assert_nonnull (strstr (bulk.error, ":5:2 (b): cannot read"));
      else
        g_assert_true (edge_is_null (bulk.table, 1));
      for (guint k = 0; k < G_N_ELEMENTS (known); k++)
        if (strcmp (known[k].cell, cells[i]) == 0)
          g_assert_cmpfloat (edge_double (bulk.table, 1), ==, known[k].value);
      for (guint k = 0; k < G_N_ELEMENTS (refused); k++)
        if (strcmp (refused[k], cells[i]) == 0)
          g_assert_null (bulk.table);
      outcome_clear (&bulk);
    }
}

/* UTF-8: a row with a non-ASCII cell has its cells checked one by one,
 * 16 bytes at a time up to the first byte >= 0x80; invalid bytes at
 * either side of those boundaries, after ASCII cells, in quoted cells
 * (simple ones are cut in bulk, doubled quotes and line ends are not),
 * and NUL after a non-ASCII byte (refused, as it always was) or before
 * one (let through, as it always was). */
#define ROW(literal) literal, sizeof (literal) - 1   /* NULs included */

static void
test_utf8_edges (void)
{
  static const struct
  {
    const char *row;
    gsize len;
    int bad_column;    /* 0: reads; else the column named in the error */
    const char *c;     /* if it reads: column c's value */
  } cases[] = {
    { ROW ("1,Zo\xc3\xab,abc,def"), 0, "abc" },
    { ROW ("1,abc,Zo\xc3\xab,def"), 0, "Zo\xc3\xab" },
    { ROW ("1,abc,def,Krak\xc3\xb3w"), 0, "def" },
    { ROW ("1,abc,def,bad\xff"), 4, NULL },
    { ROW ("1,Zo\xc3\xab,def,bad\xff"), 4, NULL },
    { ROW ("1,abc,\xc3,def"), 3, NULL },
    { ROW ("1,abc,ab\xc3,def"), 3, NULL },
    { ROW ("1,abc,\xc3(,def"), 3, NULL },
    { ROW ("1,\xed\xa0\x80,b,c"), 2, NULL },                         /* a surrogate */
    { ROW ("1,\xc0\xaf,b,c"), 2, NULL },                             /* overlong */
    { ROW ("1,\xf4\x90\x80\x80,b,c"), 2, NULL },                     /* past U+10FFFF */
    { ROW ("1,\xf0\x9f\x98\x80,b,c"), 0, "b" },                      /* four bytes */
    { ROW ("1,a,0123456789abcde\xff,c"), 3, NULL },                  /* byte 15 */
    { ROW ("1,a,0123456789abcdef\xff,c"), 3, NULL },                 /* byte 16 */
    { ROW ("1,a,0123456789abcdef\xc3\xa9,c"), 0, "0123456789abcdef\xc3\xa9" },
    { ROW ("1,a,0123456789abcde\xc3\xa9,c"), 0, "0123456789abcde\xc3\xa9" },   /* straddles 16 */
    { ROW ("1,a,0123456789abcdef0123456789abcde\xc3\xa9,c"), 0,
      "0123456789abcdef0123456789abcde\xc3\xa9" },                  /* straddles 32 */
    { ROW ("1,a,0123456789abcdef0123456789abcdef0123\xc3,c"), 3, NULL },  /* > 32 bytes */
    { ROW ("1,\xc3\xa9,0123456789abcdef0123456789abcdef0123,c"), 0,
      "0123456789abcdef0123456789abcdef0123" },
    { ROW ("1,a,\xc3\xa9\0x,c"), 3, NULL },                          /* NUL after é */
    { ROW ("1,a,x\0\xc3\xa9,c"), 0, NULL },                          /* NUL before é */
    { ROW ("1,\"Zo\xc3\xab\",\"abc\",def"), 0, "abc" },
    { ROW ("1,\"Zo\xc3\xab\",\"ab\xff\",def"), 3, NULL },
    { ROW ("1,\"Zo\xc3\xab, \"\"the\"\" one\",abc,def"), 0, "abc" },
    { ROW ("1,\"say \"\"hi\"\" \xff\",abc,def"), 2, NULL },
    { ROW ("1,\"two\nlines \xc3\xa9\",abc,def"), 0, "abc" },
    { ROW ("1,\"two\nlines\",abc,\"d\xc3\""), 4, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      gsize len = cases[i].len;
      Outcome bulk;

      read_edge_row ("a:int64,b:string,c:string,d:string", cases[i].row, len, &bulk);
      if (cases[i].bad_column == 0)
        {
          g_assert_cmpstr (bulk.error, ==, NULL);
          g_assert_nonnull (bulk.table);
          if (cases[i].c != NULL)
            {
              gsize n;
              const char *got = edge_string (bulk.table, 2, &n);

              g_assert_cmpmem (got, n, cases[i].c, strlen (cases[i].c));
            }
        }
      else
        {
          g_autofree char *where = g_strdup_printf (":%d (%c): invalid UTF-8", cases[i].bad_column,
                                                    'a' + cases[i].bad_column - 1);

          g_assert_null (bulk.table);
          g_assert_nonnull (bulk.error);
          if (strstr (bulk.error, where) == NULL)
            g_error ("case %u: “%s” does not name %s", i, bulk.error, where);
          /* The line of the record (quoted line ends count). */
          g_assert_nonnull (strstr (bulk.error, "edge.csv:5:"));
        }
      outcome_clear (&bulk);
    }
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  tmpdir = g_dir_make_tmp ("setl-csv-bulk-XXXXXX", NULL);
  g_assert_nonnull (tmpdir);

  g_test_add_func ("/csv/bulk/tokenizer", test_tokenizer);
  g_test_add_func ("/csv/bulk/source", test_source);
  g_test_add_func ("/csv/bulk/int64-edges", test_int64_edges);
  g_test_add_func ("/csv/bulk/double-edges", test_double_edges);
  g_test_add_func ("/csv/bulk/utf8-edges", test_utf8_edges);
  status = g_test_run ();

  {
    g_autoptr(GDir) dir = g_dir_open (tmpdir, 0, NULL);
    const char *name;

    while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *p = g_build_filename (tmpdir, name, NULL);
        g_unlink (p);
      }
  }
  g_rmdir (tmpdir);
  g_free (tmpdir);
  return status;
}
