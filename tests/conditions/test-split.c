/* test-split.c: the routing plugin's A/B "split", loaded through the
 * registry: deterministic, close to the requested percentages on 100,000
 * rows, one variant per factory, whole runs by the run key.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <setl/setl-plugin.h>
#include <string.h>

#include "cond-test-factories.h"
#include "../pipeline-file/pf-test-util.h"

#define N_ROWS 100000

/* ids 0 … n-1 (int64), and a name. */
static SetlTable *
people (gint64 n)
{
  g_autoptr(SetlColumnBuilder) ib = setl_column_builder_new (SETL_DATA_TYPE_INT64);
  g_autoptr(SetlColumnBuilder) nb = setl_column_builder_new (SETL_DATA_TYPE_STRING);
  g_autoptr(SetlField) idf = setl_field_new ("id", SETL_DATA_TYPE_INT64, TRUE);
  g_autoptr(SetlField) namef = setl_field_new ("name", SETL_DATA_TYPE_STRING, FALSE);
  g_autoptr(SetlColumn) ids = NULL;
  g_autoptr(SetlColumn) names = NULL;
  g_autoptr(SetlRecordBatch) batch = NULL;
  SetlField *fields[2] = { idf, namef };
  SetlColumn *columns[2];

  for (gint64 i = 0; i < n; i++)
    {
      char buf[32];

      g_snprintf (buf, sizeof buf, "p%" G_GINT64_FORMAT, i);
      setl_column_builder_append_int64 (ib, i);
      setl_column_builder_append_string (nb, buf, -1);
    }
  ids = setl_column_builder_finish (ib, NULL);
  names = setl_column_builder_finish (nb, NULL);
  columns[0] = ids;
  columns[1] = names;
  batch = setl_record_batch_new (fields, 2, columns, 2, NULL);
  return setl_table_new (fields, 2, &batch, 1, NULL);
}

static SetlFactory *
new_split (const char         *name,
           const char * const *variants,
           const char         *key,
           guint64             seed,
           const char         *variant)
{
  g_autoptr(GError) error = NULL;
  SetlFactory *split = setl_plugin_registry_create_factory (pf_registry (), "split", &error);

  g_assert_no_error (error);
  g_assert_nonnull (split);
  g_object_set (split, "name", name, "delivery-id", name, "variants", variants,
                "key", key, "seed", seed, "variant", variant, NULL);
  setl_delivery_set_delivery_id (setl_factory_get_delivery (split, "in"), "people");
  return split;
}

/* Runs one split over @table; returns its output, collected. */
static SetlTable *
run_split (SetlTable  *table,
           SetlFactory *split)
{
  g_autoptr(SetlPipeline) p = setl_pipeline_new ("ab");
  g_autoptr(SetlDeliverable) input = NULL;
  g_autoptr(GError) error = NULL;
  GValue v = G_VALUE_INIT;
  const GValue *out;

  g_value_init (&v, SETL_TYPE_BATCH_STREAM);
  g_value_set_object (&v, table);
  input = setl_deliverable_new (&v, SETL_TYPE_EXTERNAL, "people");
  g_value_unset (&v);
  setl_pipeline_set_input (p, input);
  setl_pipeline_add_factory (p, split);
  g_assert_true (setl_pipeline_run (p, NULL, &error));
  g_assert_no_error (error);
  out = setl_pipeline_get_output_by_name (p, setl_factory_get_name (split), &error);
  g_assert_no_error (error);
  return setl_batch_stream_collect (g_value_get_object (out), NULL, &error);
}

/* The variant of each row, in row order. */
static GPtrArray *
variants_of (SetlTable *t)
{
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);
  int col = setl_table_get_column_index (t, "variant");

  g_assert_cmpint (col, >=, 0);
  for (guint b = 0; b < setl_table_get_n_batches (t); b++)
    {
      SetlColumn *c = setl_record_batch_get_column (setl_table_get_batch (t, b), col);

      for (gint64 i = 0; i < setl_column_get_length (c); i++)
        g_ptr_array_add (out, setl_column_dup_string (c, i));
    }
  return out;
}

static const char * const abc[] = { "A=50", "B=30", "C=20", NULL };

static void
test_rows_percentages (void)
{
  g_autoptr(SetlTable) table = people (N_ROWS);
  g_autoptr(SetlFactory) split = new_split ("ab", abc, "id", 42, NULL);
  g_autoptr(SetlTable) out = run_split (table, split);
  g_autoptr(GPtrArray) v = variants_of (out);
  guint counts[3] = { 0, 0, 0 };
  static const double want[3] = { 0.50, 0.30, 0.20 };

  g_assert_cmpint (setl_table_get_n_rows (out), ==, N_ROWS);
  g_assert_cmpuint (setl_table_get_n_columns (out), ==, 3);
  for (guint i = 0; i < v->len; i++)
    {
      const char *name = g_ptr_array_index (v, i);

      g_assert_true (name[0] >= 'A' && name[0] <= 'C' && name[1] == '\0');
      counts[name[0] - 'A']++;
    }
  /* Within one percentage point: over six standard deviations at 100,000
   * rows, yet far tighter than any bias would give. */
  for (guint k = 0; k < 3; k++)
    {
      double share = (double) counts[k] / N_ROWS;

      if (share < want[k] - 0.01 || share > want[k] + 0.01)
        g_error ("variant %c: %.4f of the rows, want %.2f ± 0.01", 'A' + k, share, want[k]);
    }
  /* Row splits record no variant for the factory: each row has its own. */
  g_assert_null (setl_factory_get_variant (split));
}

static void
test_rows_deterministic (void)
{
  g_autoptr(SetlTable) table = people (N_ROWS);
  g_autoptr(SetlFactory) s1 = new_split ("ab", abc, "id", 42, NULL);
  g_autoptr(SetlFactory) s2 = new_split ("ab", abc, "id", 42, NULL);
  g_autoptr(SetlFactory) s3 = new_split ("ab", abc, "id", 43, NULL);
  g_autoptr(SetlTable) o1 = run_split (table, s1);
  g_autoptr(SetlTable) o2 = run_split (table, s2);
  g_autoptr(SetlTable) o3 = run_split (table, s3);
  g_autoptr(GPtrArray) v1 = variants_of (o1);
  g_autoptr(GPtrArray) v2 = variants_of (o2);
  g_autoptr(GPtrArray) v3 = variants_of (o3);
  guint same_seed_diff = 0, other_seed_diff = 0;

  for (guint i = 0; i < v1->len; i++)
    {
      same_seed_diff += !g_str_equal (g_ptr_array_index (v1, i), g_ptr_array_index (v2, i));
      other_seed_diff += !g_str_equal (g_ptr_array_index (v1, i), g_ptr_array_index (v3, i));
    }
  g_assert_cmpuint (same_seed_diff, ==, 0);
  /* Another seed reassigns about 1 − (.5² + .3² + .2²) = 62% of the rows. */
  g_assert_cmpuint (other_seed_diff, >, N_ROWS / 2);

  /* The same key in another row order gets the same variant: the hash is
   * of the value, not the position. */
  {
    g_autoptr(SetlTable) tail = setl_table_slice (table, N_ROWS - 10, 10);
    g_autoptr(SetlFactory) s4 = new_split ("ab", abc, "id", 42, NULL);
    g_autoptr(SetlTable) o4 = run_split (tail, s4);
    g_autoptr(GPtrArray) v4 = variants_of (o4);

    for (guint i = 0; i < 10; i++)
      g_assert_cmpstr (g_ptr_array_index (v4, i), ==, g_ptr_array_index (v1, N_ROWS - 10 + i));
  }
}

/* One split factory per variant: the variants partition the rows. */
static void
test_one_variant_per_factory (void)
{
  g_autoptr(SetlTable) table = people (N_ROWS);
  g_autoptr(SetlFactory) all = new_split ("ab", abc, "id", 7, NULL);
  g_autoptr(SetlTable) all_out = run_split (table, all);
  g_autoptr(GPtrArray) all_v = variants_of (all_out);
  gint64 total = 0;

  for (guint k = 0; k < 3; k++)
    {
      char name[2] = { 'A' + k, '\0' };
      g_autoptr(SetlFactory) one = new_split ("only", abc, "id", 7, name);
      g_autoptr(SetlTable) out = run_split (table, one);
      g_autoptr(GPtrArray) v = variants_of (out);
      guint expected = 0;

      for (guint i = 0; i < all_v->len; i++)
        expected += g_str_equal (g_ptr_array_index (all_v, i), name);
      g_assert_cmpint (setl_table_get_n_rows (out), ==, expected);
      for (guint i = 0; i < v->len; i++)
        g_assert_cmpstr (g_ptr_array_index (v, i), ==, name);
      g_assert_cmpstr (setl_factory_get_variant (one), ==, name);
      total += setl_table_get_n_rows (out);
    }
  g_assert_cmpint (total, ==, N_ROWS);
}

/* Whole runs: the run key picks the variant, recorded in the report and
 * read by conditions as $SPLIT.variant. */
static void
test_runs (void)
{
  g_autoptr(SetlTable) table = people (10);
  guint counts[3] = { 0, 0, 0 };

  for (guint run = 0; run < 2000; run++)
    {
      g_autoptr(SetlPipeline) p = setl_pipeline_new ("runs");
      g_autoptr(SetlFactory) split = setl_plugin_registry_create_factory (pf_registry (), "split", NULL);
      g_autoptr(CondCount) a = cond_count_new ("for_a", "ab", FALSE);
      g_autoptr(CondCount) b = cond_count_new ("for_b", "ab", FALSE);
      g_autoptr(SetlExprCondition) when_a = setl_expr_condition_new ("$ab.variant = 'A'", NULL);
      g_autoptr(SetlExprCondition) when_b = setl_expr_condition_new ("$ab.variant = 'B'", NULL);
      g_autoptr(SetlDeliverable) input = NULL;
      g_autoptr(SetlStage) stage = setl_stage_new ();
      g_autoptr(GError) error = NULL;
      g_autofree char *key = g_strdup_printf ("2026-11-%04u", run);
      g_autofree char *json = NULL;
      GValue v = G_VALUE_INIT;
      g_autofree char *variant = NULL;

      g_object_set (split, "name", "ab", "delivery-id", "ab", "variants", abc, "run-key", key, NULL);
      setl_delivery_set_delivery_id (setl_factory_get_delivery (split, "in"), "people");
      g_value_init (&v, SETL_TYPE_BATCH_STREAM);
      g_value_set_object (&v, table);
      input = setl_deliverable_new (&v, SETL_TYPE_EXTERNAL, "people");
      g_value_unset (&v);
      setl_pipeline_set_input (p, input);
      setl_factory_set_condition (SETL_FACTORY (a), SETL_CONDITION (when_a));
      setl_factory_set_condition (SETL_FACTORY (b), SETL_CONDITION (when_b));
      setl_pipeline_add_factory (p, split);
      setl_stage_add_factory (stage, SETL_FACTORY (a));
      setl_stage_add_factory (stage, SETL_FACTORY (b));
      setl_pipeline_add_stage (p, stage);
      g_assert_true (setl_pipeline_run (p, NULL, &error));
      g_assert_no_error (error);

      variant = g_strdup (setl_factory_result_get_variant (setl_run_report_find (setl_pipeline_get_report (p), "ab")));
      g_assert_nonnull (variant);
      g_assert_cmpstr (variant, ==, setl_factory_get_variant (split));
      counts[variant[0] - 'A']++;
      g_assert_cmpint (cond_count_get_ran (a), ==, g_str_equal (variant, "A"));
      g_assert_cmpint (cond_count_get_ran (b), ==, g_str_equal (variant, "B"));
      if (run == 0)
        {
          g_autofree char *needle = g_strdup_printf ("\"variant\" : \"%s\"", variant);

          json = setl_run_report_to_json (setl_pipeline_get_report (p));
          g_assert_nonnull (strstr (json, needle));
          /* The same run key, the same variant. */
          g_assert_true (setl_pipeline_run (p, NULL, &error));
          g_assert_cmpstr (setl_factory_get_variant (split), ==, variant);
        }
    }
  /* 2000 runs: within 4 percentage points (over 4 standard deviations). */
  g_assert_cmpuint (counts[0], >, 920);
  g_assert_cmpuint (counts[0], <, 1080);
  g_assert_cmpuint (counts[1], >, 520);
  g_assert_cmpuint (counts[1], <, 680);
  g_assert_cmpuint (counts[2], >, 320);
  g_assert_cmpuint (counts[2], <, 480);
}

static void
expect_read_error (const char * const *variants,
                   const char         *key,
                   const char         *message)
{
  g_autoptr(SetlTable) table = people (3);
  g_autoptr(SetlPipeline) p = setl_pipeline_new ("bad");
  g_autoptr(SetlFactory) split = new_split ("ab", variants, key, 0, NULL);
  g_autoptr(SetlDeliverable) input = NULL;
  g_autoptr(GError) error = NULL;
  GValue v = G_VALUE_INIT;

  g_value_init (&v, SETL_TYPE_BATCH_STREAM);
  g_value_set_object (&v, table);
  input = setl_deliverable_new (&v, SETL_TYPE_EXTERNAL, "people");
  g_value_unset (&v);
  setl_pipeline_set_input (p, input);
  setl_pipeline_add_factory (p, split);
  g_assert_false (setl_pipeline_run (p, NULL, &error));
  if (strstr (error->message, message) == NULL)
    g_error ("“%s” lacks “%s”", error->message, message);
}

static void
test_errors (void)
{
  static const char * const bad_sum[] = { "A=50", "B=40", NULL };
  static const char * const bad_item[] = { "A", NULL };
  static const char * const twice[] = { "A=50", "A=50", NULL };

  expect_read_error (bad_sum, "id", "split “ab”: the variants' percentages add up to 90, not 100");
  expect_read_error (bad_item, "id", "split “ab”: variant “A” is not “NAME=PERCENT”");
  expect_read_error (twice, "id", "split “ab”: variant “A” is listed twice");
  expect_read_error (abc, "idd", "split “ab”: the key column “idd” is not in its input (which has “id”, “name”)");
  expect_read_error (abc, "", "split “ab”: set “key” (a column, to split rows) or “run-key”");
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  if (setl_plugin_registry_lookup_feature (pf_registry (), "split") == NULL)
    {
      g_printerr ("the routing plugin is not built\n");
      return 77;
    }
  g_test_add_func ("/conditions/split/rows-percentages", test_rows_percentages);
  g_test_add_func ("/conditions/split/rows-deterministic", test_rows_deterministic);
  g_test_add_func ("/conditions/split/one-variant-per-factory", test_one_variant_per_factory);
  g_test_add_func ("/conditions/split/runs", test_runs);
  g_test_add_func ("/conditions/split/errors", test_errors);
  return g_test_run ();
}
