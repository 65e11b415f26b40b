/* test-transforms.c: filter, select, sort, limit and union, run by hand
 * over multi-batch inputs with nulls and slices.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <math.h>

#include "xf-test-util.h"
#include "setl-filter-transform.h"
#include "setl-limit-transform.h"
#include "setl-select-transform.h"
#include "setl-sort-transform.h"
#include "setl-union-transform.h"

#define N_PEOPLE 103

static SetlFactory *
new_factory (GType type, const char *name)
{
  return g_object_new (type, "name", name, NULL);
}

/* ---- filter ------------------------------------------------------------ */

static void
test_filter_basic (void)
{
  g_autoptr(SetlTable) people = people_table (N_PEOPLE, 10);
  g_autoptr(TestCountingStream) in = counting_stream_new (people);
  g_autoptr(SetlFactory) f = new_factory (SETL_TYPE_FILTER_TRANSFORM, "adults");
  g_autoptr(SetlBatchStream) out = NULL;
  g_autoptr(SetlTable) t = NULL;
  g_autoptr(GError) error = NULL;
  gint64 expected = 0, k = 0;

  g_object_set (f, "where", "age >= 18 and name is not null", NULL);
  set_input (f, "in", in);
  out = run_factory (f, &error);
  g_assert_no_error (error);
  /* lazy: nothing pulled until the output is read */
  g_assert_cmpuint (in->pulled, ==, 0);
  t = collect (out);
  g_assert_cmpuint (in->pulled, ==, setl_table_get_n_batches (people));

  for (gint64 row = 0; row < N_PEOPLE; row++)
    {
      gint64 age = 0, got = 0;
      g_autofree char *name = people_name (row);
      if (people_age (row, &age) && age >= 18 && name != NULL)
        {
          g_autofree char *got_name = cell_string (t, 2, k);
          g_assert_true (cell_int64 (t, 0, k, &got));
          g_assert_cmpint (got, ==, row);
          g_assert_true (cell_int64 (t, 1, k, &got));
          g_assert_cmpint (got, ==, age);
          g_assert_cmpstr (got_name, ==, name);
          k++;
          expected++;
        }
    }
  g_assert_cmpint (setl_table_get_n_rows (t), ==, expected);
  g_assert_cmpint (expected, >, 0);
  g_assert_cmpint (expected, <, N_PEOPLE);

  /* a stream can be read again: a second pass gives the same rows */
  {
    g_autoptr(SetlTable) again = collect (out);
    g_assert_true (setl_table_equal (again, t));
  }
}

static void
test_filter_parameters (void)
{
  g_autoptr(SetlTable) people = people_table (N_PEOPLE, 16);
  g_autoptr(SetlFactory) f = new_factory (SETL_TYPE_FILTER_TRANSFORM, "params");
  g_autoptr(SetlBatchStream) out = NULL;
  g_autoptr(SetlTable) t = NULL;
  g_autoptr(GError) error = NULL;
  const char *params[] = { "min=30", "who:string=p3", "$flag=true", NULL };
  gint64 expected = 0;

  g_object_set (f, "where", "age >= $min and name = $who and $flag", "parameters", params, NULL);
  set_input (f, "in", people);
  out = run_factory (f, &error);
  g_assert_no_error (error);
  t = collect (out);
  for (gint64 row = 0; row < N_PEOPLE; row++)
    {
      gint64 age;
      g_autofree char *name = people_name (row);
      if (people_age (row, &age) && age >= 30 && g_strcmp0 (name, "p3") == 0)
        expected++;
    }
  g_assert_cmpint (expected, >, 0);
  g_assert_cmpint (setl_table_get_n_rows (t), ==, expected);
}

static void
test_filter_errors (void)
{
  g_autoptr(SetlTable) people = people_table (20, 8);
  struct { const char *where; const char *params; int code; const char *part; } cases[] = {
    { "agee > 1", NULL, SETL_EXPR_ERROR_UNKNOWN_COLUMN, "did you mean 'age'" },
    { "age >= 18 and", NULL, SETL_EXPR_ERROR_SYNTAX, "^" },
    { "name > 5", NULL, SETL_EXPR_ERROR_TYPE, "column 6" },
    { "age + 1", NULL, SETL_EXPR_ERROR_TYPE, "must be a condition" },
    { "age > $nope", NULL, SETL_EXPR_ERROR_UNKNOWN_PARAMETER, "nope" },
    { "age > $d", "d:date=notadate", SETL_EXPR_ERROR_INVALID_CAST, "parameter “d”" },
    { "", NULL, SETL_EXPR_ERROR_SYNTAX, "not set" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(SetlFactory) f = new_factory (SETL_TYPE_FILTER_TRANSFORM, "bad");
      g_autoptr(GError) error = NULL;
      const char *params[] = { cases[i].params, NULL };

      g_object_set (f, "where", cases[i].where, "parameters", cases[i].params ? params : NULL, NULL);
      set_input (f, "in", people);
      g_assert_false (setl_factory_read (f, NULL, &error));
      g_assert_error (error, SETL_EXPR_ERROR, cases[i].code);
      g_assert_nonnull (strstr (error->message, "filter “bad”"));
      if (strstr (error->message, cases[i].part) == NULL)
        g_error ("case %u: “%s” not in “%s”", i, cases[i].part, error->message);
    }

  /* no input */
  {
    g_autoptr(SetlFactory) f = new_factory (SETL_TYPE_FILTER_TRANSFORM, "lonely");
    g_autoptr(GError) error = NULL;
    g_object_set (f, "where", "true", NULL);
    g_assert_false (setl_factory_read (f, NULL, &error));
    g_assert_error (error, SETL_PIPELINE_ERROR, SETL_PIPELINE_ERROR_MISSING_DELIVERY);
  }
}

static void
test_filter_upstream_error (void)
{
  g_autoptr(SetlTable) people = people_table (40, 10);
  g_autoptr(TestCountingStream) in = counting_stream_new (people);
  g_autoptr(SetlFactory) f = new_factory (SETL_TYPE_FILTER_TRANSFORM, "f");
  g_autoptr(SetlBatchStream) out = NULL;
  g_autoptr(GError) error = NULL;

  in->fail_at = 2;
  g_object_set (f, "where", "id >= 0", NULL);
  set_input (f, "in", in);
  out = run_factory (f, &error);
  g_assert_no_error (error);
  g_assert_null (setl_batch_stream_collect (out, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
}

/* ---- select ------------------------------------------------------------ */

static void
test_select (void)
{
  g_autoptr(SetlTable) people = people_table (N_PEOPLE, 10);
  g_autoptr(SetlFactory) f = new_factory (SETL_TYPE_SELECT_TRANSFORM, "proj");
  g_autoptr(SetlBatchStream) out = NULL;
  g_autoptr(SetlTable) t = NULL;
  g_autoptr(GError) error = NULL;
  const char *columns[] = { "name", "age AS years", "age * 2 + $k as \"twice age\"",
                            "upper(name) AS shout", "cast(id as string) || '!'", NULL };
  const char *params[] = { "k=1", NULL };
  SetlField **fields;
  guint n;

  g_object_set (f, "columns", columns, "parameters", params, NULL);
  set_input (f, "in", people);
  out = run_factory (f, &error);
  g_assert_no_error (error);
  fields = setl_batch_stream_get_fields (out, &n);
  g_assert_cmpuint (n, ==, 5);
  g_assert_cmpstr (setl_field_get_name (fields[0]), ==, "name");
  g_assert_cmpstr (setl_field_get_name (fields[1]), ==, "years");
  g_assert_cmpstr (setl_field_get_name (fields[2]), ==, "twice age");
  g_assert_cmpstr (setl_field_get_name (fields[3]), ==, "shout");
  g_assert_cmpstr (setl_field_get_name (fields[4]), ==, "cast(id as string) || '!'");
  g_assert_cmpint (setl_field_get_data_type (fields[2]), ==, SETL_DATA_TYPE_INT64);
  g_assert_cmpint (setl_field_get_data_type (fields[4]), ==, SETL_DATA_TYPE_STRING);

  t = collect (out);
  g_assert_cmpint (setl_table_get_n_rows (t), ==, N_PEOPLE);
  g_assert_cmpuint (setl_table_get_n_batches (t), ==, setl_table_get_n_batches (people));
  /* kept and renamed columns are the input's own columns: zero-copy */
  for (guint b = 0; b < setl_table_get_n_batches (t); b++)
    {
      SetlRecordBatch *ob = setl_table_get_batch (t, b), *ib = setl_table_get_batch (people, b);
      g_assert_true (setl_record_batch_get_column (ob, 0) == setl_record_batch_get_column (ib, 2));
      g_assert_true (setl_record_batch_get_column (ob, 1) == setl_record_batch_get_column (ib, 1));
    }
  for (gint64 row = 0; row < N_PEOPLE; row++)
    {
      gint64 age = 0, got = 0;
      g_autofree char *name = people_name (row);
      g_autofree char *shout = cell_string (t, 3, row);
      g_autofree char *bang = cell_string (t, 4, row);
      g_autofree char *want_bang = g_strdup_printf ("%" G_GINT64_FORMAT "!", row);

      if (people_age (row, &age))
        {
          g_assert_true (cell_int64 (t, 2, row, &got));
          g_assert_cmpint (got, ==, age * 2 + 1);
        }
      else
        g_assert_false (cell_int64 (t, 2, row, &got));
      if (name == NULL)
        g_assert_null (shout);
      else
        {
          g_autofree char *up = g_utf8_strup (name, -1);
          g_assert_cmpstr (shout, ==, up);
        }
      g_assert_cmpstr (bang, ==, want_bang);
    }
}

static void
test_select_errors (void)
{
  g_autoptr(SetlTable) people = people_table (20, 8);
  struct { const char *col; int code; const char *part; } cases[] = {
    { "nam", SETL_EXPR_ERROR_UNKNOWN_COLUMN, "did you mean 'name'" },
    { "age +", SETL_EXPR_ERROR_SYNTAX, "^" },
    { "age AS", SETL_EXPR_ERROR_SYNTAX, "expression AS name" },
    { "id AS name", SETL_EXPR_ERROR_SYNTAX, "already has a column “name”" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(SetlFactory) f = new_factory (SETL_TYPE_SELECT_TRANSFORM, "sel");
      g_autoptr(GError) error = NULL;
      const char *columns[] = { "name", cases[i].col, NULL };

      g_object_set (f, "columns", columns, NULL);
      set_input (f, "in", people);
      g_assert_false (setl_factory_read (f, NULL, &error));
      g_assert_error (error, SETL_EXPR_ERROR, cases[i].code);
      g_assert_nonnull (strstr (error->message, "select “sel”: column 2"));
      if (strstr (error->message, cases[i].part) == NULL)
        g_error ("case %u: “%s” not in “%s”", i, cases[i].part, error->message);
    }
}

/* ---- sort -------------------------------------------------------------- */

typedef struct
{
  gint64 key;
  gboolean key_null;
  gint64 pos;   /* input order */
} Row;

/* Insertion sort: obviously stable, obviously correct. */
static void
reference_sort (Row *rows, guint n, gboolean desc, gboolean nulls_first)
{
  for (guint i = 1; i < n; i++)
    for (guint j = i; j > 0; j--)
      {
        Row *a = &rows[j - 1], *b = &rows[j];
        gboolean swap;
        if (a->key_null || b->key_null)
          swap = nulls_first ? (b->key_null && !a->key_null) : (a->key_null && !b->key_null);
        else
          swap = desc ? a->key < b->key : a->key > b->key;
        if (!swap)
          break;
        Row tmp = *a;
        *a = *b;
        *b = tmp;
      }
}

static void
check_sort (const char *by, gboolean nulls_first_prop, gboolean desc, gboolean nulls_first)
{
  g_autoptr(SetlTable) people = people_table (N_PEOPLE, 10);
  g_autoptr(TestCountingStream) in = counting_stream_new (people);
  g_autoptr(SetlFactory) f = new_factory (SETL_TYPE_SORT_TRANSFORM, "sorter");
  g_autoptr(SetlBatchStream) out = NULL;
  g_autoptr(SetlTable) t = NULL;
  g_autoptr(GError) error = NULL;
  Row rows[N_PEOPLE];

  g_object_set (f, "by", by, "nulls-first", nulls_first_prop, "batch-size", 17, NULL);
  set_input (f, "in", in);
  g_assert_true (setl_factory_read (f, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (in->pulled, ==, 0);
  out = run_factory (f, &error);
  g_assert_no_error (error);
  t = collect (out);
  g_assert_cmpint (setl_table_get_n_rows (t), ==, N_PEOPLE);
  /* output batches of batch-size rows */
  g_assert_cmpuint (setl_table_get_n_batches (t), ==, (N_PEOPLE + 16) / 17);

  for (guint i = 0; i < N_PEOPLE; i++)
    {
      /* age values repeat (row*37 % 60), so stability is exercised */
      rows[i].key_null = !people_age (i, &rows[i].key);
      rows[i].pos = i;
    }
  reference_sort (rows, N_PEOPLE, desc, nulls_first);
  for (guint i = 0; i < N_PEOPLE; i++)
    {
      gint64 id = 0;
      g_autofree char *name = cell_string (t, 2, i);
      g_autofree char *want = people_name (rows[i].pos);
      g_assert_true (cell_int64 (t, 0, i, &id));
      if (id != rows[i].pos)
        g_error ("sort “%s”: row %u is id %" G_GINT64_FORMAT ", expected %" G_GINT64_FORMAT,
                 by, i, id, rows[i].pos);
      g_assert_cmpstr (name, ==, want);
    }
}

static void
test_sort_stable_nulls (void)
{
  check_sort ("age", FALSE, FALSE, FALSE);
  check_sort ("age desc", FALSE, TRUE, FALSE);        /* nulls last in both directions */
  check_sort ("age ASC", TRUE, FALSE, TRUE);           /* property */
  check_sort ("age desc nulls first", FALSE, TRUE, TRUE);
  check_sort ("age NULLS LAST", TRUE, FALSE, FALSE);   /* the key overrides the property */
}

static void
test_sort_multi_key (void)
{
  const char *k1[] = { "b", "a", NULL, "b", "a", "c", NULL, "a" };
  const char *k2[] = { "1.5", "nan", "2", NULL, "-1", "0", "1", "-1" };
  const char *id[] = { "0", "1", "2", "3", "4", "5", "6", "7" };
  /* by k1, then k2 desc: NaN sorts after every number, so first in desc;
   * nulls last; rows 4 and 7 tie on both keys and keep their order */
  const gint64 expected[] = { 1, 4, 7, 0, 3, 5, 2, 6 };
  SetlField *fields[3];
  SetlColumn *cols[3];
  g_autoptr(SetlRecordBatch) batch = NULL;
  g_autoptr(SetlTable) t = NULL;
  g_autoptr(SetlFactory) f = new_factory (SETL_TYPE_SORT_TRANSFORM, "multi");
  g_autoptr(SetlBatchStream) out = NULL;
  g_autoptr(SetlTable) sorted = NULL;
  g_autoptr(GError) error = NULL;
  SetlRecordBatch *halves[2];

  fields[0] = setl_field_new ("k1", SETL_DATA_TYPE_STRING, TRUE);
  fields[1] = setl_field_new ("k2", SETL_DATA_TYPE_DOUBLE, TRUE);
  fields[2] = setl_field_new ("id", SETL_DATA_TYPE_INT64, FALSE);
  cols[0] = make_column (SETL_DATA_TYPE_STRING, k1, 8);
  cols[1] = make_column (SETL_DATA_TYPE_DOUBLE, k2, 8);
  cols[2] = make_column (SETL_DATA_TYPE_INT64, id, 8);
  batch = setl_record_batch_new (fields, 3, cols, 3, &error);
  g_assert_no_error (error);
  halves[0] = setl_record_batch_slice (batch, 0, 3);
  halves[1] = setl_record_batch_slice (batch, 3, 5);
  t = setl_table_new (fields, 3, halves, 2, &error);
  g_assert_no_error (error);

  g_object_set (f, "by", "k1, k2 desc", NULL);
  set_input (f, "in", t);
  out = run_factory (f, &error);
  g_assert_no_error (error);
  sorted = collect (out);
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      gint64 v = 0;
      g_assert_true (cell_int64 (sorted, 2, i, &v));
      g_assert_cmpint (v, ==, expected[i]);
    }
  /* k2 of the row with NaN is still NaN */
  {
    gint64 r;
    SetlColumn *c = setl_record_batch_get_column (table_row (sorted, 0, &r), 1);
    g_assert_true (isnan (setl_column_get_double (c, r)));
  }

  for (guint i = 0; i < 3; i++)
    {
      g_object_unref (fields[i]);
      g_object_unref (cols[i]);
    }
  g_object_unref (halves[0]);
  g_object_unref (halves[1]);
}

static void
test_sort_errors (void)
{
  g_autoptr(SetlTable) people = people_table (20, 8);
  struct { const char *by; int code; const char *part; } cases[] = {
    { "agee", SETL_EXPR_ERROR_UNKNOWN_COLUMN, "did you mean 'age'" },
    { "age, ", SETL_EXPR_ERROR_SYNTAX, "key 2 is empty" },
    { "age first", SETL_EXPR_ERROR_SYNTAX, "nulls first" },
    { "", SETL_EXPR_ERROR_SYNTAX, "not set" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(SetlFactory) f = new_factory (SETL_TYPE_SORT_TRANSFORM, "s");
      g_autoptr(GError) error = NULL;

      g_object_set (f, "by", cases[i].by, NULL);
      set_input (f, "in", people);
      g_assert_false (setl_factory_read (f, NULL, &error));
      g_assert_error (error, SETL_EXPR_ERROR, cases[i].code);
      g_assert_nonnull (strstr (error->message, "sort “s”"));
      if (strstr (error->message, cases[i].part) == NULL)
        g_error ("case %u: “%s” not in “%s”", i, cases[i].part, error->message);
    }
}

/* ---- limit ------------------------------------------------------------- */

static void
test_limit_stops_early (void)
{
  g_autoptr(SetlTable) people = people_table (100, 10);   /* 10 batches */
  g_autoptr(TestCountingStream) in = counting_stream_new (people);
  g_autoptr(SetlFactory) f = new_factory (SETL_TYPE_LIMIT_TRANSFORM, "top");
  g_autoptr(SetlBatchStream) out = NULL;
  g_autoptr(SetlTable) t = NULL;
  g_autoptr(GError) error = NULL;

  g_object_set (f, "limit", (gint64) 7, "offset", (gint64) 15, NULL);
  set_input (f, "in", in);
  out = run_factory (f, &error);
  g_assert_no_error (error);
  t = collect (out);
  g_assert_cmpint (setl_table_get_n_rows (t), ==, 7);
  for (gint64 i = 0; i < 7; i++)
    {
      gint64 id = 0;
      g_assert_true (cell_int64 (t, 0, i, &id));
      g_assert_cmpint (id, ==, 15 + i);
    }
  /* rows 15..21 lie in batches 1 and 2: batch 3 and later never pulled */
  g_assert_cmpuint (in->pulled, ==, 3);
  /* zero-copy: the first output batch is a slice over the input buffers */
  g_assert_true (setl_column_get_values_data (setl_record_batch_get_column (setl_table_get_batch (t, 0), 0)) ==
                 setl_column_get_values_data (setl_record_batch_get_column (setl_table_get_batch (people, 1), 0)));
}

static void
test_limit_edges (void)
{
  g_autoptr(SetlTable) people = people_table (25, 10);
  struct { gint64 limit, offset, rows; } cases[] = {
    { -1, 0, 25 }, { 0, 0, 0 }, { 5, 30, 0 }, { 100, 20, 5 }, { -1, 9, 16 }, { 10, 10, 10 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(TestCountingStream) in = counting_stream_new (people);
      g_autoptr(SetlFactory) f = new_factory (SETL_TYPE_LIMIT_TRANSFORM, "l");
      g_autoptr(SetlBatchStream) out = NULL;
      g_autoptr(SetlTable) t = NULL;
      g_autoptr(GError) error = NULL;

      g_object_set (f, "limit", cases[i].limit, "offset", cases[i].offset, NULL);
      set_input (f, "in", in);
      out = run_factory (f, &error);
      g_assert_no_error (error);
      t = collect (out);
      g_assert_cmpint (setl_table_get_n_rows (t), ==, cases[i].rows);
      if (cases[i].rows > 0)
        {
          gint64 id = 0;
          g_assert_true (cell_int64 (t, 0, 0, &id));
          g_assert_cmpint (id, ==, cases[i].offset);
        }
      if (cases[i].limit == 0)
        g_assert_cmpuint (in->pulled, ==, 0);
    }
}

/* ---- union ------------------------------------------------------------- */

static void
test_union (void)
{
  g_autoptr(SetlTable) a = people_table (23, 10);
  g_autoptr(SetlTable) b = people_table (7, 3);
  g_autoptr(SetlTable) c = people_table (31, 8);
  g_autoptr(TestCountingStream) sb = counting_stream_new (b);
  g_autoptr(SetlFactory) f = new_factory (SETL_TYPE_UNION_TRANSFORM, "all");
  g_autoptr(SetlBatchStream) out = NULL;
  g_autoptr(SetlTable) t = NULL;
  g_autoptr(GError) error = NULL;
  gint64 expect_ids[23 + 7 + 31];
  guint k = 0;

  g_object_set (f, "inputs", 3, NULL);
  g_assert_nonnull (setl_factory_get_delivery (f, "in3"));
  set_input (f, "in1", a);
  set_input (f, "in2", sb);
  set_input (f, "in3", c);
  out = run_factory (f, &error);
  g_assert_no_error (error);
  t = collect (out);
  for (gint64 i = 0; i < 23; i++) expect_ids[k++] = i;
  for (gint64 i = 0; i < 7; i++) expect_ids[k++] = i;
  for (gint64 i = 0; i < 31; i++) expect_ids[k++] = i;
  g_assert_cmpint (setl_table_get_n_rows (t), ==, k);
  for (guint i = 0; i < k; i++)
    {
      gint64 id = 0;
      g_assert_true (cell_int64 (t, 0, i, &id));
      g_assert_cmpint (id, ==, expect_ids[i]);
    }
  g_assert_cmpuint (sb->pulled, ==, setl_table_get_n_batches (b));
  /* columns pass through unchanged */
  g_assert_true (setl_record_batch_get_column (setl_table_get_batch (t, 0), 2) ==
                 setl_record_batch_get_column (setl_table_get_batch (a, 0), 2));
}

static void
test_union_slots (void)
{
  g_autoptr(SetlFactory) f = new_factory (SETL_TYPE_UNION_TRANSFORM, "u");
  guint n;

  g_assert_nonnull (setl_factory_get_delivery (f, "in1"));
  g_assert_nonnull (setl_factory_get_delivery (f, "in2"));
  g_assert_null (setl_factory_get_delivery (f, "in3"));
  g_object_set (f, "inputs", 4, NULL);
  g_assert_cmpuint (setl_factory_get_deliveries (f)->len, ==, 4);
  setl_delivery_set_delivery_id (setl_factory_get_delivery (f, "in2"), "producer-b");
  g_object_set (f, "inputs", 2, NULL);
  g_assert_cmpuint (setl_factory_get_deliveries (f)->len, ==, 2);
  g_assert_null (setl_factory_get_delivery (f, "in3"));
  /* existing slots keep their wiring */
  g_assert_cmpstr (setl_delivery_get_delivery_id (setl_factory_get_delivery (f, "in2")), ==, "producer-b");
  g_object_get (f, "inputs", &n, NULL);
  g_assert_cmpuint (n, ==, 2);
}

static SetlTable *
one_column_table (const char *name, SetlDataType type)
{
  const char *vals[] = { "1", NULL, "0" };
  g_autoptr(SetlField) field = setl_field_new (name, type, TRUE);
  g_autoptr(SetlColumn) col = make_column (type, vals, 3);
  g_autoptr(SetlRecordBatch) b = NULL;
  g_autoptr(GError) error = NULL;

  b = setl_record_batch_new (&field, 1, &col, 1, &error);
  g_assert_no_error (error);
  return setl_table_new_from_batch (b);
}

static void
test_union_mismatch (void)
{
  g_autoptr(SetlTable) people = people_table (10, 5);
  g_autoptr(SetlTable) ints = one_column_table ("x", SETL_DATA_TYPE_INT64);
  g_autoptr(SetlTable) strs = one_column_table ("x", SETL_DATA_TYPE_STRING);
  g_autoptr(SetlTable) other = one_column_table ("y", SETL_DATA_TYPE_INT64);
  struct { SetlTable *a, *b; const char *part; } cases[] = {
    { ints, strs, "input “in2” column 1 is “x” (string) where “in1” has “x” (int64)" },
    { ints, other, "input “in2” column 1 is “y” (int64) where “in1” has “x” (int64)" },
    { people, ints, "input “in2” has 1 columns where “in1” has 3" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(SetlFactory) f = new_factory (SETL_TYPE_UNION_TRANSFORM, "u");
      g_autoptr(GError) error = NULL;

      set_input (f, "in1", cases[i].a);
      set_input (f, "in2", cases[i].b);
      g_assert_false (setl_factory_read (f, NULL, &error));
      g_assert_error (error, SETL_DATA_ERROR, SETL_DATA_ERROR_INVALID);
      if (strstr (error->message, cases[i].part) == NULL || strstr (error->message, "union “u”") == NULL)
        g_error ("case %u: “%s” not in “%s”", i, cases[i].part, error->message);
    }

  /* a slot left empty */
  {
    g_autoptr(SetlFactory) f = new_factory (SETL_TYPE_UNION_TRANSFORM, "u");
    g_autoptr(GError) error = NULL;
    set_input (f, "in1", ints);
    g_assert_false (setl_factory_read (f, NULL, &error));
    g_assert_error (error, SETL_PIPELINE_ERROR, SETL_PIPELINE_ERROR_MISSING_DELIVERY);
    g_assert_nonnull (strstr (error->message, "“in2”"));
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/transforms/filter/basic", test_filter_basic);
  g_test_add_func ("/transforms/filter/parameters", test_filter_parameters);
  g_test_add_func ("/transforms/filter/errors", test_filter_errors);
  g_test_add_func ("/transforms/filter/upstream-error", test_filter_upstream_error);
  g_test_add_func ("/transforms/select/project-rename-compute", test_select);
  g_test_add_func ("/transforms/select/errors", test_select_errors);
  g_test_add_func ("/transforms/sort/stable-nulls", test_sort_stable_nulls);
  g_test_add_func ("/transforms/sort/multi-key", test_sort_multi_key);
  g_test_add_func ("/transforms/sort/errors", test_sort_errors);
  g_test_add_func ("/transforms/limit/stops-early", test_limit_stops_early);
  g_test_add_func ("/transforms/limit/edges", test_limit_edges);
  g_test_add_func ("/transforms/union/in-order", test_union);
  g_test_add_func ("/transforms/union/slots", test_union_slots);
  g_test_add_func ("/transforms/union/mismatch", test_union_mismatch);

  return g_test_run ();
}
