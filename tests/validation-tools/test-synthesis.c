/* test-synthesis.c: the synthesizer against the real validator — unique
 * combinations, aggregate and table checks, dates, timestamps and Unicode
 * text, over many seeds; streaming with bounded memory (`setl synth`).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <glib/gstdio.h>

#include <setl/setl-validation.h>
#include <setl/setl-synthesizer.h>

#define N_SEEDS 25

/* ---- helpers ------------------------------------------------------------ */

static SetlSchema *
schema_from_json (const char *json)
{
  g_autoptr(GError) error = NULL;
  SetlSchema *schema = setl_schema_new_from_data (json, -1, "schema.json", &error);

  g_assert_no_error (error);
  return schema;
}

static SetlValidationReport *
validate_lazy (SetlSchema *schema,
               SetlTable  *table)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SetlValidator) validator = setl_validator_new (schema, NULL, &error);
  SetlValidationReport *report;

  g_assert_no_error (error);
  setl_validator_set_lazy (validator, TRUE);
  setl_validator_set_max_failure_cases (validator, G_MAXUINT);
  report = setl_validator_validate (validator, SETL_BATCH_STREAM (table), NULL, &error);
  g_assert_no_error (error);
  return report;
}

/* Rows made for @seed pass the schema when validated by the validator
 * itself, not only by the synthesizer's own final check. */
static void
assert_valid_rows (SetlSchema *schema,
                   guint32     seed,
                   gint64      n_rows,
                   gint64      batch_size,
                   double      null_probability)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SetlSynthesizer) synth = setl_synthesizer_new (schema, NULL, &error);
  g_autoptr(SetlTable) rows = NULL;
  g_autoptr(SetlValidationReport) report = NULL;

  g_assert_no_error (error);
  setl_synthesizer_set_seed (synth, seed);
  setl_synthesizer_set_batch_size (synth, batch_size);
  setl_synthesizer_set_null_probability (synth, null_probability);
  rows = setl_synthesizer_generate (synth, n_rows, NULL, &error);
  if (error != NULL)
    g_error ("seed %u, %" G_GINT64_FORMAT " rows: %s", seed, n_rows, error->message);
  g_assert_cmpint (setl_table_get_n_rows (rows), ==, n_rows);
  report = validate_lazy (schema, rows);
  if (!setl_validation_report_get_valid (report))
    {
      g_autofree char *text = setl_validation_report_to_text (report);

      g_error ("seed %u, %" G_GINT64_FORMAT " rows: invalid:\n%s", seed, n_rows, text);
    }
}

static gboolean
strv_has_substring (char       **strv,
                    const char  *text)
{
  for (guint i = 0; strv != NULL && strv[i] != NULL; i++)
    if (strstr (strv[i], text) != NULL || strstr (text, strv[i]) != NULL)
      return TRUE;
  return FALSE;
}

/* Validates @rows and checks that each row fails exactly the target
 * @targets names for it — one failure case, or one per column for a
 * repeated combination — and nothing else; failures of no row (aggregate
 * and table checks) only for what @unbreakable lists. Returns how many
 * distinct targets the rows break. */
static guint
assert_rows_fail_their_targets (SetlSchema  *schema,
                                SetlTable   *rows,
                                SetlTable   *targets,
                                char       **unbreakable)
{
  g_autoptr(SetlValidationReport) report = validate_lazy (schema, rows);
  g_autoptr(GHashTable) cases_by_row = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                                              (GDestroyNotify) g_ptr_array_unref);
  g_autoptr(GHashTable) distinct = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  gint64 n = setl_table_get_n_rows (rows);
  gint64 expected_row = 0;
  SetlTable *cases = setl_validation_report_get_failure_cases (report);
  SetlRecordBatch *cb;

  g_assert_cmpint (setl_table_get_n_rows (targets), ==, n);
  g_assert_true (n == 0 || !setl_validation_report_get_valid (report));
  cb = setl_table_get_n_batches (cases) > 0 ? setl_table_get_batch (cases, 0) : NULL;
  for (gint64 i = 0; cb != NULL && i < setl_record_batch_get_n_rows (cb); i++)
    {
      SetlColumn *row = setl_record_batch_get_column_by_name (cb, "row");
      g_autofree char *column = setl_column_dup_string (setl_record_batch_get_column_by_name (cb, "column"), i);
      g_autofree char *check = setl_column_dup_string (setl_record_batch_get_column_by_name (cb, "check"), i);
      GPtrArray *list;
      gint64 r;

      if (setl_column_is_null (row, i))
        {
          /* A check on the whole data: only one listed as unbreakable. */
          if (!strv_has_substring (unbreakable, check))
            g_error ("failure of no row for %s %s, not listed as unbreakable", column, check);
          continue;
        }
      r = setl_column_get_int64 (row, i);
      g_assert_cmpint (r, >=, 0);
      g_assert_cmpint (r, <, n);
      list = g_hash_table_lookup (cases_by_row, &r);
      if (list == NULL)
        {
          list = g_ptr_array_new_with_free_func (g_free);
          g_hash_table_insert (cases_by_row, g_memdup2 (&r, sizeof r), list);
        }
      g_ptr_array_add (list, g_strdup_printf ("%s|%s", column, check));
    }

  /* The targets come batch by batch, rows numbered over the whole. */
  for (guint b = 0; b < setl_table_get_n_batches (targets); b++)
    {
      SetlRecordBatch *tb = setl_table_get_batch (targets, b);

      for (gint64 i = 0; i < setl_record_batch_get_n_rows (tb); i++, expected_row++)
        {
          gint64 r = setl_column_get_int64 (setl_record_batch_get_column_by_name (tb, "row"), i);
          g_autofree char *column = setl_column_dup_string (setl_record_batch_get_column_by_name (tb, "column"), i);
          g_autofree char *check = setl_column_dup_string (setl_record_batch_get_column_by_name (tb, "check"), i);
          GPtrArray *list = g_hash_table_lookup (cases_by_row, &r);

          g_assert_cmpint (r, ==, expected_row);
          if (list == NULL)
            g_error ("row %" G_GINT64_FORMAT " should fail %s %s, and passes", r, column, check);
          if (g_str_equal (check, "multiple_fields_uniqueness"))
            {
              g_auto(GStrv) names = g_strsplit (column, ", ", -1);

              /* One case per column of the combination, nothing else. */
              g_assert_cmpuint (list->len, ==, g_strv_length (names));
              for (guint j = 0; names[j] != NULL; j++)
                {
                  g_autofree char *key = g_strdup_printf ("%s|%s", names[j], check);
                  gboolean found = FALSE;

                  for (guint k = 0; k < list->len && !found; k++)
                    found = g_str_equal (g_ptr_array_index (list, k), key);
                  if (!found)
                    g_error ("row %" G_GINT64_FORMAT " should fail %s", r, key);
                }
            }
          else
            {
              g_autofree char *key = g_strdup_printf ("%s|%s", column, check);

              if (list->len != 1 || !g_str_equal (g_ptr_array_index (list, 0), key))
                g_error ("row %" G_GINT64_FORMAT " should fail %s only, fails %u (first %s)",
                         r, key, list->len, (char *) g_ptr_array_index (list, 0));
            }
          g_hash_table_add (distinct, g_strdup_printf ("%s|%s", column, check));
        }
    }
  g_assert_cmpint (expected_row, ==, n);
  /* No row fails without a target. */
  g_assert_cmpuint (g_hash_table_size (cases_by_row), ==, n);
  return g_hash_table_size (distinct);
}

/* ---- unique combinations ------------------------------------------------ */

static const char combo_schema[] =
  "{\"name\": \"combo\", \"unique\": [[\"first\", \"last\"], [\"n\", \"flag\"]], \"columns\": ["
  " {\"name\": \"first\", \"type\": \"string\", \"checks\": [{\"isin\": [\"Ann\", \"Bob\", \"Cy\", \"Dee\", \"Eve\"]}]},"
  " {\"name\": \"last\", \"type\": \"string\", \"nullable\": true, \"checks\": [{\"isin\": [\"Li\", \"Ng\", \"Oz\", \"Xu\"]}]},"
  " {\"name\": \"n\", \"type\": \"int64\", \"checks\": [{\"in_range\": {\"min_value\": 1, \"max_value\": 40}}, {\"ne\": 7}]},"
  " {\"name\": \"flag\", \"type\": \"bool\"}"
  "]}";

/* Every combination taken once: first × last has 5 × 4 = 20 values (25
 * with nulls in last), n × flag 39 × 2. */
static void
test_combinations_valid (void)
{
  g_autoptr(SetlSchema) schema = schema_from_json (combo_schema);

  for (guint32 seed = 1; seed <= N_SEEDS; seed++)
    {
      assert_valid_rows (schema, seed, 20, 65536, 0);
      assert_valid_rows (schema, seed, 13, 4, 0);
      /* Nulls are values of a combination too: 5 × 5 = 25. */
      assert_valid_rows (schema, seed, 25, 7, 0.2);
    }
}

static void
test_combinations_too_few (void)
{
  g_autoptr(SetlSchema) schema = schema_from_json (combo_schema);
  g_autoptr(GError) error = NULL;
  g_autoptr(SetlSynthesizer) synth = setl_synthesizer_new (schema, NULL, &error);
  g_autoptr(SetlBatchStream) stream = NULL;

  g_assert_no_error (error);
  stream = setl_synthesizer_generate_stream (synth, 21, &error);
  g_assert_null (stream);
  g_assert_error (error, SETL_VALIDATION_ERROR, SETL_VALIDATION_ERROR_INVALID_SCHEMA);
  /* It names the columns and says how many combinations there are. */
  g_assert_nonnull (strstr (error->message, "first, last"));
  g_assert_nonnull (strstr (error->message, " 20 combinations"));
  g_assert_nonnull (strstr (error->message, "21 rows"));
  g_clear_error (&error);

  /* n × flag: 39 × 2 = 78 combinations (ne 7 takes one n out). */
  {
    g_autoptr(SetlSchema) other = schema_from_json (
      "{\"name\": \"c\", \"unique\": [\"n\", \"flag\"], \"columns\": ["
      " {\"name\": \"n\", \"type\": \"int64\", \"checks\": [{\"in_range\": {\"min_value\": 1, \"max_value\": 40}}, {\"ne\": 7}]},"
      " {\"name\": \"flag\", \"type\": \"bool\"}]}");
    g_autoptr(SetlSynthesizer) s2 = setl_synthesizer_new (other, NULL, &error);
    g_autoptr(SetlBatchStream) ok = NULL;
    g_autoptr(SetlBatchStream) refused = NULL;

    g_assert_no_error (error);
    ok = setl_synthesizer_generate_stream (s2, 78, &error);
    g_assert_no_error (error);
    refused = setl_synthesizer_generate_stream (s2, 79, &error);
    g_assert_null (refused);
    g_assert_error (error, SETL_VALIDATION_ERROR, SETL_VALIDATION_ERROR_INVALID_SCHEMA);
    g_assert_nonnull (strstr (error->message, "n, flag"));
    assert_valid_rows (other, 3, 78, 10, 0);
  }
}

/* With exclude_first, a row repeating an earlier valid row's combination
 * fails once; with "all", it would fail twice: not a target then. */
static void
test_combinations_invalid (void)
{
  g_autoptr(SetlSchema) schema = schema_from_json (
    "{\"name\": \"combo\", \"unique\": [[\"a\", \"b\"]], \"report_duplicates\": \"exclude_first\","
    " \"columns\": ["
    " {\"name\": \"a\", \"type\": \"int64\", \"checks\": [{\"ge\": 0}]},"
    " {\"name\": \"b\", \"type\": \"string\", \"checks\": [{\"str_length\": {\"min_value\": 1, \"max_value\": 3}}]},"
    " {\"name\": \"c\", \"type\": \"double\", \"nullable\": true, \"checks\": [{\"lt\": 5}]}]}");
  g_autoptr(SetlSchema) all = schema_from_json (
    "{\"name\": \"combo\", \"unique\": [[\"a\", \"b\"]], \"columns\": ["
    " {\"name\": \"a\", \"type\": \"int64\", \"checks\": [{\"ge\": 0}]},"
    " {\"name\": \"b\", \"type\": \"string\", \"checks\": [{\"str_length\": {\"min_value\": 1, \"max_value\": 3}}]}]}");

  for (guint32 seed = 1; seed <= N_SEEDS; seed++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(SetlSynthesizer) synth = setl_synthesizer_new (schema, NULL, &error);
      g_autoptr(SetlTable) rows = NULL;
      g_autoptr(SetlTable) targets = NULL;
      g_auto(GStrv) unbreakable = NULL;

      g_assert_no_error (error);
      setl_synthesizer_set_seed (synth, seed);
      setl_synthesizer_set_batch_size (synth, 9);
      rows = setl_synthesizer_generate_invalid (synth, 60, &targets, NULL, &error);
      g_assert_no_error (error);
      unbreakable = setl_synthesizer_get_unbreakable (synth);
      g_assert_cmpuint (g_strv_length (unbreakable), ==, 0);
      /* not_nullable a, b; ge; str_length; lt; the combination */
      g_assert_cmpuint (assert_rows_fail_their_targets (schema, rows, targets, unbreakable), ==, 6);
    }
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(SetlSynthesizer) synth = setl_synthesizer_new (all, NULL, &error);
    g_autoptr(SetlTable) rows = NULL;
    g_autoptr(SetlTable) targets = NULL;
    g_auto(GStrv) unbreakable = NULL;

    g_assert_no_error (error);
    rows = setl_synthesizer_generate_invalid (synth, 30, &targets, NULL, &error);
    g_assert_no_error (error);
    unbreakable = setl_synthesizer_get_unbreakable (synth);
    g_assert_cmpuint (g_strv_length (unbreakable), ==, 1);
    g_assert_cmpstr (unbreakable[0], ==, "a, b: multiple_fields_uniqueness");
    g_assert_cmpuint (assert_rows_fail_their_targets (all, rows, targets, unbreakable), ==, 4);
  }
}

/* ---- aggregate and table checks ---------------------------------------- */

static const char aggregate_schema[] =
  "{\"name\": \"agg\", \"checks\": [{\"row_count_in_range\": {\"min_value\": 10, \"max_value\": 100000}},"
  "   {\"column_set\": {\"columns\": [\"x\", \"n\", \"s\", \"g\", \"k\", \"u\"]}}],"
  " \"columns\": ["
  " {\"name\": \"x\", \"type\": \"double\", \"checks\": [{\"ge\": 0}, {\"le\": 100},"
  "   {\"mean_in_range\": {\"min_value\": 40, \"max_value\": 45}},"
  "   {\"stddev_in_range\": {\"min_value\": 10, \"max_value\": 14}}]},"
  " {\"name\": \"n\", \"type\": \"int64\", \"nullable\": true, \"checks\": [{\"in_range\": {\"min_value\": 0, \"max_value\": 1000}},"
  "   {\"mean_in_range\": {\"min_value\": 700, \"max_value\": 701}}, {\"stddev_in_range\": {\"max_value\": 50}}]},"
  " {\"name\": \"s\", \"type\": \"string\", \"nullable\": true, \"checks\": [{\"str_length\": {\"max_value\": 6}},"
  "   {\"null_fraction_in_range\": {\"min_value\": 0.2, \"max_value\": 0.3}}]},"
  " {\"name\": \"g\", \"type\": \"string\", \"checks\": [{\"distinct_count_in_range\": {\"min_value\": 3, \"max_value\": 5}}]},"
  " {\"name\": \"k\", \"type\": \"int64\", \"checks\": [{\"ge\": 0}, {\"distinct_count_in_range\": {\"min_value\": 8}}]},"
  " {\"name\": \"u\", \"type\": \"date\", \"nullable\": true, \"checks\": [{\"null_fraction_in_range\": {\"max_value\": 0.1}}]}"
  "]}";

static void
test_aggregates_valid (void)
{
  g_autoptr(SetlSchema) schema = schema_from_json (aggregate_schema);
  /* Near the edges: the widest spread [0, 1] allows (about 0.5), a mean
   * near the end of the interval. */
  g_autoptr(SetlSchema) edges = schema_from_json (
    "{\"name\": \"edges\", \"columns\": ["
    " {\"name\": \"w\", \"type\": \"double\", \"checks\": [{\"ge\": 0}, {\"le\": 1},"
    "   {\"stddev_in_range\": {\"min_value\": 0.45}}]},"
    " {\"name\": \"m\", \"type\": \"int64\", \"checks\": [{\"in_range\": {\"min_value\": 0, \"max_value\": 10}},"
    "   {\"mean_in_range\": {\"min_value\": 9.5}}, {\"stddev_in_range\": {\"max_value\": 1}}]},"
    " {\"name\": \"t\", \"type\": \"double\", \"checks\": [{\"mean_in_range\": {\"min_value\": -1e6, \"max_value\": -999999}},"
    "   {\"stddev_in_range\": {\"min_value\": 100, \"max_value\": 101}}]}"
    "]}");
  static const gint64 sizes[] = { 10, 11, 57, 1000 };

  for (guint32 seed = 1; seed <= N_SEEDS; seed++)
    {
      assert_valid_rows (edges, seed, 2, 1, 0);
      assert_valid_rows (edges, seed, 9, 4, 0);
      assert_valid_rows (edges, seed, 500, 64, 0);
    }

  for (guint32 seed = 1; seed <= N_SEEDS; seed++)
    for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
      {
        assert_valid_rows (schema, seed, sizes[i], 65536, 0);
        /* Batch boundaries, and a null probability the ranges override. */
        assert_valid_rows (schema, seed, sizes[i], 3, 0.5);
      }
  /* Many batches. */
  assert_valid_rows (schema, 99, 20000, 1024, 0.05);
}

static void
expect_refusal (const char  *json,
                gint64       n_rows,
                const char  *expect1,
                const char  *expect2)
{
  g_autoptr(SetlSchema) schema = schema_from_json (json);
  g_autoptr(GError) error = NULL;
  g_autoptr(SetlSynthesizer) synth = setl_synthesizer_new (schema, NULL, &error);
  g_autoptr(SetlBatchStream) stream = NULL;

  if (synth != NULL)
    stream = setl_synthesizer_generate_stream (synth, n_rows, &error);
  g_assert_null (stream);
  g_assert_error (error, SETL_VALIDATION_ERROR, SETL_VALIDATION_ERROR_INVALID_SCHEMA);
  if (strstr (error->message, expect1) == NULL || (expect2 && strstr (error->message, expect2) == NULL))
    g_error ("“%s” does not name “%s” and “%s”", error->message, expect1, expect2 ? expect2 : "");
}

static void
test_aggregates_refused (void)
{
  /* Rows outside the row count range. */
  expect_refusal (aggregate_schema, 9, "row_count_in_range(min_value=10, max_value=100000)", "9 rows");
  expect_refusal (aggregate_schema, 100001, "row_count_in_range", "at most 100000");
  /* Nulls asked of a column that is not nullable. */
  expect_refusal ("{\"name\": \"a\", \"columns\": [{\"name\": \"v\", \"type\": \"int64\","
                  " \"checks\": [{\"null_fraction_in_range\": {\"min_value\": 0.1}}]}]}",
                  10, "“v”", "null_fraction_in_range(min_value=0.1)");
  /* No number of nulls among 3 rows is between 40% and 50%. */
  expect_refusal ("{\"name\": \"a\", \"columns\": [{\"name\": \"v\", \"type\": \"int64\", \"nullable\": true,"
                  " \"checks\": [{\"null_fraction_in_range\": {\"min_value\": 0.4, \"max_value\": 0.5}}]}]}",
                  3, "“v”", "null_fraction_in_range");
  /* More distinct values than rows, or than the checks allow. */
  expect_refusal ("{\"name\": \"a\", \"columns\": [{\"name\": \"v\", \"type\": \"int64\","
                  " \"checks\": [{\"distinct_count_in_range\": {\"min_value\": 20}}]}]}",
                  10, "“v”", "distinct_count_in_range(min_value=20)");
  expect_refusal ("{\"name\": \"a\", \"columns\": [{\"name\": \"v\", \"type\": \"int64\","
                  " \"checks\": [{\"in_range\": {\"min_value\": 1, \"max_value\": 5}},"
                  " {\"distinct_count_in_range\": {\"min_value\": 6}}]}]}",
                  10, "“v”", "allow 5 values");
  /* A mean the values cannot have. */
  expect_refusal ("{\"name\": \"a\", \"columns\": [{\"name\": \"v\", \"type\": \"double\","
                  " \"checks\": [{\"le\": 10}, {\"mean_in_range\": {\"min_value\": 20}}]}]}",
                  10, "mean_in_range(min_value=20)", "le(10)");
  /* A spread values that close together cannot have. */
  expect_refusal ("{\"name\": \"a\", \"columns\": [{\"name\": \"v\", \"type\": \"double\","
                  " \"checks\": [{\"ge\": 0}, {\"le\": 1}, {\"stddev_in_range\": {\"min_value\": 5}}]}]}",
                  10, "stddev_in_range(min_value=5)", "le(1)");
  /* A unique column's distinct count is its number of values. */
  expect_refusal ("{\"name\": \"a\", \"columns\": [{\"name\": \"v\", \"type\": \"int64\", \"unique\": true,"
                  " \"checks\": [{\"distinct_count_in_range\": {\"max_value\": 5}}]}]}",
                  10, "“v” is unique", "distinct_count_in_range(max_value=5)");
  /* A column set the schema's columns cannot match. */
  expect_refusal ("{\"name\": \"a\", \"checks\": [{\"column_set\": {\"columns\": [\"v\", \"w\"]}}],"
                  " \"columns\": [{\"name\": \"v\", \"type\": \"int64\"}]}",
                  10, "column_set", "“w”");
  expect_refusal ("{\"name\": \"a\", \"checks\": [{\"column_set\": {\"columns\": [\"v\"]}}],"
                  " \"columns\": [{\"name\": \"v\", \"type\": \"int64\"}, {\"name\": \"w\", \"type\": \"int64\"}]}",
                  10, "column_set", "“w”");
}

/* Invalid rows: aggregate and table checks are listed as unbreakable, and
 * each row still fails exactly its own target. */
static void
test_aggregates_unbreakable (void)
{
  g_autoptr(SetlSchema) schema = schema_from_json (aggregate_schema);

  for (guint32 seed = 1; seed <= 5; seed++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(SetlSynthesizer) synth = setl_synthesizer_new (schema, NULL, &error);
      g_autoptr(SetlTable) rows = NULL;
      g_autoptr(SetlTable) targets = NULL;
      g_auto(GStrv) unbreakable = NULL;

      g_assert_no_error (error);
      setl_synthesizer_set_seed (synth, seed);
      rows = setl_synthesizer_generate_invalid (synth, 200, &targets, NULL, &error);
      g_assert_no_error (error);
      unbreakable = setl_synthesizer_get_unbreakable (synth);
      g_assert_true (g_strv_contains ((const char * const *) unbreakable,
                                      "x: mean_in_range(min_value=40, max_value=45)"));
      g_assert_true (g_strv_contains ((const char * const *) unbreakable,
                                      "s: null_fraction_in_range(min_value=0.2, max_value=0.3)"));
      g_assert_true (g_strv_contains ((const char * const *) unbreakable,
                                      "g: distinct_count_in_range(min_value=3, max_value=5)"));
      g_assert_true (g_strv_contains ((const char * const *) unbreakable,
                                      "row_count_in_range(min_value=10, max_value=100000)"));
      g_assert_cmpuint (g_strv_length (unbreakable), ==, 10);   /* 8 aggregate, 2 table checks */
      /* not_nullable x, g, k; ge, le on x; in_range n; str_length s; ge k */
      g_assert_cmpuint (assert_rows_fail_their_targets (schema, rows, targets, unbreakable), ==, 8);
    }
}

/* ---- dates, timestamps, Unicode text ------------------------------------ */

static const char typed_schema[] =
  "{\"name\": \"typed\", \"columns\": ["
  " {\"name\": \"day\", \"type\": \"date\", \"unique\": true, \"report_duplicates\": \"exclude_first\","
  "   \"checks\": [{\"ge\": \"2024-02-01\"}, {\"lt\": \"2024-12-01\"}, {\"ne\": \"2024-02-29\"}]},"
  " {\"name\": \"at\", \"type\": \"timestamp\", \"nullable\": true,"
  "   \"checks\": [{\"in_range\": {\"min_value\": \"2024-01-01T00:00:00Z\", \"max_value\": \"2024-01-02T00:00:00Z\"}}]},"
  " {\"name\": \"word\", \"type\": \"string\", \"checks\": [{\"str_startswith\": \"é\"}, {\"str_endswith\": \"日本\"},"
  "   {\"str_length\": {\"min_value\": 4, \"max_value\": 5}}]},"
  " {\"name\": \"exact\", \"type\": \"string\", \"checks\": [{\"str_length\": 3}]},"
  " {\"name\": \"city\", \"type\": \"string\", \"checks\": [{\"isin\": [\"Zürich\", \"Kraków\", \"東京\"]}]}"
  "]}";

static void
test_typed_columns (void)
{
  g_autoptr(SetlSchema) schema = schema_from_json (typed_schema);

  for (guint32 seed = 1; seed <= N_SEEDS; seed++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(SetlSynthesizer) synth = setl_synthesizer_new (schema, NULL, &error);
      g_autoptr(SetlTable) rows = NULL;
      g_autoptr(SetlTable) targets = NULL;
      g_auto(GStrv) unbreakable = NULL;

      /* 304 days from February to November, less one. */
      assert_valid_rows (schema, seed, 200, 64, 0.3);
      assert_valid_rows (schema, seed, 303, 65536, 0);

      g_assert_no_error (error);
      setl_synthesizer_set_seed (synth, seed);
      rows = setl_synthesizer_generate_invalid (synth, 40, &targets, NULL, &error);
      g_assert_no_error (error);
      unbreakable = setl_synthesizer_get_unbreakable (synth);
      /* Only one value breaks ne(…) and day is unique: once used, a
       * second row breaking it would repeat it, failing twice. */
      g_assert_cmpuint (g_strv_length (unbreakable), ==, 1);
      g_assert_cmpstr (unbreakable[0], ==, "day: ne(\"2024-02-29\")");
      /* not_nullable ×4, day ge lt ne + repeat, at in_range, word ×3,
       * exact str_length, city isin */
      g_assert_cmpuint (assert_rows_fail_their_targets (schema, rows, targets, unbreakable), ==, 14);
    }
  expect_refusal (typed_schema, 304, "“day” is unique", "303");
}

/* ---- sets of values, Frictionless documents ---------------------------- */

/* isin with a string (its characters, as in Pandera), unique_values_eq
 * (every value, each present), and a Frictionless Table Schema with
 * constraints and a primary key. */
static void
test_value_sets (void)
{
  g_autoptr(SetlSchema) schema = schema_from_json (
    "{\"name\": \"sets\", \"columns\": ["
    " {\"name\": \"letter\", \"type\": \"string\", \"checks\": [{\"isin\": \"xyzé\"}, {\"notin\": \"z\"}]},"
    " {\"name\": \"level\", \"type\": \"int64\", \"checks\": [{\"unique_values_eq\": [1, 2, 3, 5, 8]}]},"
    " {\"name\": \"tag\", \"type\": \"string\", \"nullable\": true,"
    "   \"checks\": [{\"unique_values_eq\": [\"a\", \"b\", \"c\"]}, {\"ne\": \"d\"}]}"
    "]}");
  g_autoptr(SetlSchema) frictionless = schema_from_json (
    "{\"name\": \"fl\", \"primaryKey\": [\"code\", \"year\"], \"fields\": ["
    " {\"name\": \"code\", \"type\": \"string\", \"constraints\": {\"required\": true,"
    "   \"pattern\": \"[A-Z]{2}[0-9]\", \"minLength\": 3}},"
    " {\"name\": \"year\", \"type\": \"integer\", \"constraints\": {\"required\": true,"
    "   \"minimum\": 2000, \"maximum\": 2030}},"
    " {\"name\": \"when\", \"type\": \"datetime\"},"
    " {\"name\": \"kind\", \"type\": \"string\", \"constraints\": {\"enum\": [\"a\", \"b\"]}},"
    " {\"name\": \"ratio\", \"type\": \"number\", \"constraints\": {\"exclusiveMinimum\": 0, \"maximum\": 1}}"
    "]}");

  /* Strict, ordered, coerced: the rows have the schema's columns, in its
   * order, of its types. */
  g_autoptr(SetlSchema) strict = schema_from_json (
    "{\"name\": \"strict\", \"strict\": true, \"ordered\": true, \"coerce\": true, \"columns\": ["
    " {\"name\": \"b\", \"type\": \"bool\", \"checks\": [{\"eq\": false}]},"
    " {\"name\": \"a\", \"type\": \"double\", \"required\": false, \"checks\": [{\"gt\": 1e9}]},"
    " {\"name\": \"c\", \"type\": \"timestamp\", \"unique\": true, \"coerce\": true}"
    "]}");

  for (guint32 seed = 1; seed <= N_SEEDS; seed++)
    {
      assert_valid_rows (strict, seed, 100, 30, 0);
      assert_valid_rows (schema, seed, 5, 2, 0);
      assert_valid_rows (schema, seed, 40, 7, 0.1);
      assert_valid_rows (frictionless, seed, 300, 64, 0.2);
    }
  /* Fewer rows than the values unique_values_eq asks for. */
  expect_refusal ("{\"name\": \"a\", \"columns\": [{\"name\": \"v\", \"type\": \"int64\","
                  " \"checks\": [{\"unique_values_eq\": [1, 2, 3]}]}]}", 2, "“v”", "unique_values_eq");
  /* Values unique_values_eq asks for that the other checks refuse. */
  expect_refusal ("{\"name\": \"a\", \"columns\": [{\"name\": \"v\", \"type\": \"int64\","
                  " \"checks\": [{\"unique_values_eq\": [1, 2, 3]}, {\"lt\": 3}]}]}", 10, "“v”", "unique_values_eq");
}

/* ---- streaming ---------------------------------------------------------- */

/* A stream read twice makes the same rows; its batches have the size
 * asked; the targets come batch by batch with rows numbered over the
 * whole stream. */
static void
test_stream_passes (void)
{
  g_autoptr(SetlSchema) schema = schema_from_json (aggregate_schema);
  g_autoptr(GError) error = NULL;
  g_autoptr(SetlSynthesizer) synth = setl_synthesizer_new (schema, NULL, &error);
  g_autoptr(SetlBatchStream) stream = NULL;
  g_autoptr(SetlTable) first = NULL;
  g_autoptr(SetlTable) second = NULL;
  g_autoptr(SetlSynthesizer) other = NULL;
  g_autoptr(SetlTable) other_rows = NULL;

  g_assert_no_error (error);
  setl_synthesizer_set_seed (synth, 5);
  setl_synthesizer_set_batch_size (synth, 100);
  stream = setl_synthesizer_generate_stream (synth, 1050, &error);
  g_assert_no_error (error);
  first = setl_batch_stream_collect (stream, NULL, &error);
  g_assert_no_error (error);
  second = setl_batch_stream_collect (stream, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (setl_table_get_n_batches (first), ==, 11);
  g_assert_cmpint (setl_record_batch_get_n_rows (setl_table_get_batch (first, 10)), ==, 50);
  g_assert_true (setl_table_equal (first, second));

  /* Another seed, other rows. */
  other = setl_synthesizer_new (schema, NULL, &error);
  g_assert_no_error (error);
  setl_synthesizer_set_seed (other, 6);
  setl_synthesizer_set_batch_size (other, 100);
  other_rows = setl_synthesizer_generate (other, 1050, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (setl_table_equal (first, other_rows));
}

/* Runs the built `setl` and returns its exit status and peak resident
 * memory (KiB), read from the kernel's accounting of the child. */
static int
run_setl_rss (glong       *max_rss_kib,
              const char  *first,
              ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  const char *tool = g_getenv ("SETL_TOOL");
  const char *arg;
  struct rusage usage;
  GPid pid;
  int status = 0;
  va_list args;

  g_assert_nonnull (tool);
  g_ptr_array_add (argv, (char *) tool);
  va_start (args, first);
  for (arg = first; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (char *) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);
  g_spawn_async (NULL, (char **) argv->pdata, NULL,
                 G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                 NULL, NULL, &pid, &error);
  g_assert_no_error (error);
  g_assert_cmpint (wait4 (pid, &status, 0, &usage), ==, pid);
  g_spawn_close_pid (pid);
  g_assert_true (WIFEXITED (status));
  *max_rss_kib = usage.ru_maxrss;
  return WEXITSTATUS (status);
}

static gint64
count_lines (const char *path)
{
  g_autoptr(GMappedFile) file = g_mapped_file_new (path, FALSE, NULL);
  const char *p, *end;
  gint64 n = 0;

  g_assert_nonnull (file);
  p = g_mapped_file_get_contents (file);
  end = p + g_mapped_file_get_length (file);
  for (; p < end; p++)
    n += *p == '\n';
  return n;
}

static const char wide_schema[] =
  "{\"name\": \"wide\", \"columns\": ["
  " {\"name\": \"id\", \"type\": \"int64\", \"checks\": [{\"ge\": 1}]},"
  " {\"name\": \"name\", \"type\": \"string\", \"checks\": [{\"str_length\": {\"min_value\": 20, \"max_value\": 40}}, {\"str_startswith\": \"N\"}]},"
  " {\"name\": \"note\", \"type\": \"string\", \"nullable\": true, \"checks\": [{\"str_length\": {\"min_value\": 20, \"max_value\": 40}}]},"
  " {\"name\": \"age\", \"type\": \"int64\", \"nullable\": true, \"checks\": [{\"in_range\": {\"min_value\": 18, \"max_value\": 99}}]},"
  " {\"name\": \"score\", \"type\": \"double\", \"checks\": [{\"ge\": 0}, {\"le\": 1}, {\"mean_in_range\": {\"min_value\": 0.4, \"max_value\": 0.6}}]},"
  " {\"name\": \"day\", \"type\": \"date\", \"checks\": [{\"ge\": \"2020-01-01\"}, {\"lt\": \"2025-01-01\"}]},"
  " {\"name\": \"grade\", \"type\": \"string\", \"checks\": [{\"isin\": [\"A\", \"B\", \"C\"]}]}"
  "]}";

/* 300,000 rows take no more memory than 75,000 (both more than one batch):
 * rows held in memory, about 150 bytes each, would add over 30 MiB. */
static void
test_stream_bounded_memory (void)
{
#if defined(__SANITIZE_ADDRESS__)
  g_test_skip ("AddressSanitizer keeps freed memory in quarantine: resident memory says nothing");
  return;
#endif
  g_autofree char *dir = g_dir_make_tmp ("setl-synth-mem-XXXXXX", NULL);
  g_autofree char *schema = g_build_filename (dir, "wide.json", NULL);
  g_autofree char *small = g_build_filename (dir, "small.csv", NULL);
  g_autofree char *large = g_build_filename (dir, "large.csv", NULL);
  g_autofree char *small_bad = g_build_filename (dir, "small-bad.csv", NULL);
  g_autofree char *large_bad = g_build_filename (dir, "large-bad.csv", NULL);
  g_autofree char *sidecar = g_strconcat (large_bad, ".checks.jsonl", NULL);
  g_autofree char *command = NULL;
  glong rss_small = 0, rss_large = 0;

  g_assert_nonnull (dir);
  g_assert_true (g_file_set_contents (schema, wide_schema, -1, NULL));

  g_assert_cmpint (run_setl_rss (&rss_small, "synth", "--schema", schema, "--rows", "75000",
                                 "--null-probability", "0.1", "-o", small, NULL), ==, 0);
  g_assert_cmpint (run_setl_rss (&rss_large, "synth", "--schema", schema, "--rows", "300000",
                                 "--null-probability", "0.1", "-o", large, NULL), ==, 0);
  g_test_message ("valid rows: peak %ld KiB for 75,000, %ld KiB for 300,000", rss_small, rss_large);
  g_assert_cmpint (count_lines (large), ==, 300001);
  g_assert_cmpint (rss_large, <, rss_small + 8 * 1024);

  g_assert_cmpint (run_setl_rss (&rss_small, "synth", "--schema", schema, "--rows", "75000",
                                 "--invalid", "-o", small_bad, NULL), ==, 0);
  g_assert_cmpint (run_setl_rss (&rss_large, "synth", "--schema", schema, "--rows", "300000",
                                 "--invalid", "-o", large_bad, NULL), ==, 0);
  g_test_message ("invalid rows: peak %ld KiB for 75,000, %ld KiB for 300,000", rss_small, rss_large);
  g_assert_cmpint (count_lines (large_bad), ==, 300001);
  g_assert_cmpint (count_lines (sidecar), ==, 300000);
  g_assert_cmpint (rss_large, <, rss_small + 8 * 1024);

  command = g_strdup_printf ("rm -rf '%s'", dir);
  g_spawn_command_line_sync (command, NULL, NULL, NULL, NULL);
}

/* ---- the command line ---------------------------------------------------- */

static int
run_setl (char       **out,
          char       **err,
          const char  *first,
          ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  const char *arg;
  int status = -1;
  va_list args;

  g_ptr_array_add (argv, (char *) g_getenv ("SETL_TOOL"));
  va_start (args, first);
  for (arg = first; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (char *) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);
  g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL, out, err, &status, &error);
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (status));
  return WEXITSTATUS (status);
}

/* `setl validate --report` on invalid rows counts, for each check, as
 * many failures as the sidecar names rows for it. */
static void
test_cli_report_matches_sidecar (void)
{
  g_autofree char *dir = g_dir_make_tmp ("setl-synth-cli-XXXXXX", NULL);
  g_autofree char *schema = g_build_filename (dir, "s.json", NULL);
  g_autofree char *data = g_build_filename (dir, "bad.jsonl", NULL);
  g_autofree char *sidecar = g_strconcat (data, ".checks.jsonl", NULL);
  g_autofree char *report = g_build_filename (dir, "report.json", NULL);
  g_autofree char *valid = g_build_filename (dir, "good.jsonl", NULL);
  g_autofree char *contents = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *command = NULL;
  g_autofree char *unbreakable = NULL;
  g_autoptr(GHashTable) expected = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_auto(GStrv) lines = NULL;
  g_autoptr(GError) error = NULL;
  static const char *groups[] = { "SCHEMA", "DATA" };
  JsonObject *root;
  guint matched = 0;

  g_assert_true (g_file_set_contents (schema,
    "{\"name\": \"s\", \"unique\": [[\"a\", \"b\"]], \"report_duplicates\": \"exclude_first\","
    " \"checks\": [{\"row_count_in_range\": {\"max_value\": 500}}],"
    " \"columns\": ["
    " {\"name\": \"a\", \"type\": \"int64\", \"checks\": [{\"in_range\": {\"min_value\": 0, \"max_value\": 9}}]},"
    " {\"name\": \"b\", \"type\": \"string\", \"checks\": [{\"isin\": [\"x\", \"y\", \"z\", \"w\"]}]},"
    " {\"name\": \"id\", \"type\": \"int64\", \"unique\": true, \"checks\": [{\"gt\": 0}]},"
    " {\"name\": \"v\", \"type\": \"double\", \"nullable\": true, \"checks\": [{\"lt\": 1},"
    "   {\"mean_in_range\": {\"min_value\": 0.2, \"max_value\": 0.3}}]}]}", -1, NULL));

  g_assert_cmpint (run_setl (&out, &err, "synth", "--schema", schema, "--rows", "40", "--invalid",
                             "--seed", "9", "-o", data, NULL), ==, 0);
  /* The unbreakable ones are named on standard error. */
  g_assert_nonnull (strstr (err, "cannot break “id: field_uniqueness” alone"));
  g_assert_nonnull (strstr (err, "cannot break “v: mean_in_range(min_value=0.2, max_value=0.3)” alone"));
  g_assert_nonnull (strstr (err, "cannot break “row_count_in_range(max_value=500)” alone"));
  unbreakable = g_strdup (err);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_true (g_file_get_contents (sidecar, &contents, NULL, NULL));
  lines = g_strsplit (g_strstrip (contents), "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 40);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr(JsonParser) line = json_parser_new ();
      JsonObject *o;
      const char *check;
      g_auto(GStrv) columns = NULL;

      g_assert_true (json_parser_load_from_data (line, lines[i], -1, NULL));
      o = json_node_get_object (json_parser_get_root (line));
      g_assert_cmpint (json_object_get_int_member (o, "row"), ==, i);
      check = json_object_get_string_member (o, "check");
      /* A repeated combination is one failure case per column. */
      columns = g_strsplit (json_object_get_string_member (o, "column"), ", ", -1);
      for (guint j = 0; columns[j] != NULL; j++)
        {
          g_autofree char *key = g_strdup_printf ("%s|%s|%s", json_object_get_string_member (o, "reason"),
                                                  columns[j], check);

          g_hash_table_insert (expected, g_strdup (key),
                               GINT_TO_POINTER (GPOINTER_TO_INT (g_hash_table_lookup (expected, key)) + 1));
        }
    }
  g_assert_nonnull (g_hash_table_lookup (expected, "duplicates|a|multiple_fields_uniqueness"));

  g_assert_cmpint (run_setl (&out, &err, "validate", "--lazy", "--schema", schema, data,
                             "--report", report, NULL), ==, 1);
  g_assert_true (json_parser_load_from_file (parser, report, &error));
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpint (json_object_get_int_member (root, "rows"), ==, 40);
  for (guint g = 0; g < G_N_ELEMENTS (groups); g++)
    {
      JsonObject *group = json_object_get_object_member (root, groups[g]);
      g_autoptr(GList) reasons = json_object_get_members (group);

      for (GList *l = reasons; l != NULL; l = l->next)
        {
          JsonArray *entries = json_object_get_array_member (group, l->data);

          for (guint i = 0; i < json_array_get_length (entries); i++)
            {
              JsonObject *e = json_array_get_object_element (entries, i);
              g_autofree char *key = g_strdup_printf ("%s|%s|%s", (const char *) l->data,
                                                      json_object_get_string_member (e, "column"),
                                                      json_object_get_string_member (e, "check"));

              g_autofree char *whole = g_strdup_printf ("“%s: %s”", json_object_get_string_member (e, "column"),
                                                        json_object_get_string_member (e, "check"));

              /* The invalid values move the mean: a check on the whole
               * data, listed as no row's target. */
              if (strstr (unbreakable, whole) != NULL && !g_hash_table_contains (expected, key))
                continue;
              if (!g_hash_table_contains (expected, key))
                g_error ("the report has %s, which no row of the sidecar names", key);
              g_assert_cmpint (json_object_get_int_member (e, "count"), ==,
                               GPOINTER_TO_INT (g_hash_table_lookup (expected, key)));
              matched++;
            }
        }
    }
  g_assert_cmpuint (matched, ==, g_hash_table_size (expected));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* Valid rows of the same schema pass `setl validate`. */
  g_assert_cmpint (run_setl (&out, &err, "synth", "--schema", schema, "--rows", "40", "--seed", "9",
                             "--null-probability", "0.25", "-o", valid, NULL), ==, 0);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_setl (&out, &err, "validate", "--schema", schema, valid, NULL), ==, 0);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* Rows the schema cannot hold: exit 1, the check named, nothing written. */
  g_assert_cmpint (run_setl (&out, &err, "synth", "--schema", schema, "--rows", "501",
                             "-o", valid, NULL), ==, 1);
  g_assert_nonnull (strstr (err, "row_count_in_range(max_value=500)"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_setl (&out, &err, "synth", "--schema", schema, "--rows", "41",
                             "-o", valid, NULL), ==, 1);
  g_assert_nonnull (strstr (err, "a, b"));

  command = g_strdup_printf ("rm -rf '%s'", dir);
  g_spawn_command_line_sync (command, NULL, NULL, NULL, NULL);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/synthesis/combinations/valid", test_combinations_valid);
  g_test_add_func ("/synthesis/combinations/too-few", test_combinations_too_few);
  g_test_add_func ("/synthesis/combinations/invalid", test_combinations_invalid);
  g_test_add_func ("/synthesis/aggregates/valid", test_aggregates_valid);
  g_test_add_func ("/synthesis/aggregates/refused", test_aggregates_refused);
  g_test_add_func ("/synthesis/aggregates/unbreakable", test_aggregates_unbreakable);
  g_test_add_func ("/synthesis/types/dates-timestamps-unicode", test_typed_columns);
  g_test_add_func ("/synthesis/checks/value-sets", test_value_sets);
  g_test_add_func ("/synthesis/stream/passes", test_stream_passes);
  g_test_add_func ("/synthesis/stream/bounded-memory", test_stream_bounded_memory);
  g_test_add_func ("/synthesis/cli/report-matches-sidecar", test_cli_report_matches_sidecar);

  return g_test_run ();
}
