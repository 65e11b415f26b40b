/* test-conditions.c: conditions on factories and stages, skip semantics,
 * facts about upstream outputs, one-of branches — through the C API.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <setl/setl.h>
#include <string.h>

#include "cond-test-factories.h"

static SetlFactoryStatus
status_of (SetlPipeline *p,
           const char   *name)
{
  SetlFactoryResult *r = setl_run_report_find (setl_pipeline_get_report (p), name);

  g_assert_nonnull (r);
  return setl_factory_result_get_status (r);
}

static const char *
reason_of (SetlPipeline *p,
           const char   *name)
{
  const char *reason = setl_factory_result_get_reason (setl_run_report_find (setl_pipeline_get_report (p), name));

  g_assert_nonnull (reason);
  return reason;
}

#define assert_status(p, name, st) \
  g_assert_cmpstr (setl_factory_status_to_string (status_of (p, name)), ==, setl_factory_status_to_string (st))
#define assert_reason_has(p, name, text) \
  do { if (strstr (reason_of (p, name), text) == NULL) \
         g_error ("reason of %s: “%s” lacks “%s”", name, reason_of (p, name), text); } while (0)

static void
when (gpointer     factory,
      const char  *text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SetlExprCondition) c = setl_expr_condition_new (text, &error);

  g_assert_no_error (error);
  setl_factory_set_condition (SETL_FACTORY (factory), SETL_CONDITION (c));
}

static void
set_string (SetlPipeline *p,
            const char   *name,
            const char   *value)
{
  GValue v = G_VALUE_INIT;

  g_value_init (&v, G_TYPE_STRING);
  g_value_set_string (&v, value);
  setl_pipeline_set_parameter (p, name, &v);
  g_value_unset (&v);
}

static void
set_int (SetlPipeline *p,
         const char   *name,
         gint64        value)
{
  GValue v = G_VALUE_INIT;

  g_value_init (&v, G_TYPE_INT);   /* normalised to int64 */
  g_value_set_int (&v, (int) value);
  setl_pipeline_set_parameter (p, name, &v);
}

/* src → mid (requires src) → last (requires mid); side (optional mid). */
typedef struct
{
  SetlPipeline *p;
  CondSource *src;
  CondPass *mid;
  CondCount *last;
  CondCount *side;
} Chain;

static void
chain_init (Chain *c,
            gint64 n_rows)
{
  c->p = setl_pipeline_new ("chain");
  c->src = cond_source_new ("src", n_rows, FALSE);
  c->mid = cond_pass_new ("mid", "src");
  c->last = cond_count_new ("last", "mid", FALSE);
  c->side = cond_count_new ("side", "mid", TRUE);
  setl_pipeline_add_factory (c->p, SETL_FACTORY (c->src));
  setl_pipeline_add_factory (c->p, SETL_FACTORY (c->mid));
  {
    g_autoptr(SetlStage) s = setl_stage_new ();

    setl_stage_add_factory (s, SETL_FACTORY (c->last));
    setl_stage_add_factory (s, SETL_FACTORY (c->side));
    setl_pipeline_add_stage (c->p, s);
  }
}

static void
chain_clear (Chain *c)
{
  g_clear_object (&c->p);
  g_clear_object (&c->src);
  g_clear_object (&c->mid);
  g_clear_object (&c->last);
  g_clear_object (&c->side);
}

/* A static condition that is false: skipped with its expression as the
 * reason, and pruned by the inspector before the run. */
static void
test_static_false (void)
{
  Chain c;
  g_autoptr(GError) error = NULL;
  const char *pruned;

  chain_init (&c, 5);
  set_string (c.p, "env", "dev");
  when (c.mid, "$env = 'prod'");

  g_assert_true (setl_pipeline_inspect (c.p, &error));
  g_assert_no_error (error);
  pruned = setl_inspector_get_pruned_reason (setl_pipeline_get_inspector (c.p), SETL_FACTORY (c.mid));
  g_assert_cmpstr (pruned, ==, "its condition “$env = 'prod'” is false");
  /* Pruned through its required input too; the optional one is not. */
  g_assert_nonnull (setl_inspector_get_pruned_reason (setl_pipeline_get_inspector (c.p), SETL_FACTORY (c.last)));
  g_assert_null (setl_inspector_get_pruned_reason (setl_pipeline_get_inspector (c.p), SETL_FACTORY (c.side)));
  g_assert_null (setl_inspector_get_pruned_reason (setl_pipeline_get_inspector (c.p), SETL_FACTORY (c.src)));

  g_assert_true (setl_pipeline_run (c.p, NULL, &error));
  g_assert_no_error (error);
  assert_status (c.p, "src", SETL_FACTORY_STATUS_SUCCEEDED);
  assert_status (c.p, "mid", SETL_FACTORY_STATUS_SKIPPED);
  assert_reason_has (c.p, "mid", "$env = 'prod'");
  chain_clear (&c);
}

static void
test_static_true (void)
{
  Chain c;
  g_autoptr(GError) error = NULL;

  chain_init (&c, 5);
  set_string (c.p, "env", "prod");
  when (c.mid, "$env = 'prod'");
  g_assert_true (setl_pipeline_run (c.p, NULL, &error));
  g_assert_no_error (error);
  assert_status (c.p, "mid", SETL_FACTORY_STATUS_SUCCEEDED);
  assert_status (c.p, "last", SETL_FACTORY_STATUS_SUCCEEDED);
  g_assert_cmpint (cond_count_get_rows (c.last), ==, 5);
  g_assert_null (setl_inspector_get_pruned_reason (setl_pipeline_get_inspector (c.p), SETL_FACTORY (c.mid)));

  /* Parameters are read at each inspection, and every run inspects. */
  set_string (c.p, "env", "test");
  g_assert_true (setl_pipeline_run (c.p, NULL, &error));
  assert_status (c.p, "mid", SETL_FACTORY_STATUS_SKIPPED);
  chain_clear (&c);
}

/* `STATIC and DYNAMIC` is pruned when its static part is false. */
static void
test_static_part (void)
{
  Chain c;
  g_autoptr(GError) error = NULL;

  chain_init (&c, 5);
  set_string (c.p, "env", "dev");
  when (c.last, "$env = 'prod' and $src.row_count > 0");
  g_assert_true (setl_pipeline_inspect (c.p, &error));
  g_assert_cmpstr (setl_inspector_get_pruned_reason (setl_pipeline_get_inspector (c.p), SETL_FACTORY (c.last)), ==,
                   "its condition “$env = 'prod' and $src.row_count > 0” is false "
                   "(its part “$env = 'prod'” is false before the run)");
  g_assert_true (setl_pipeline_run (c.p, NULL, &error));
  assert_status (c.p, "last", SETL_FACTORY_STATUS_SKIPPED);

  set_string (c.p, "env", "prod");
  g_assert_true (setl_pipeline_run (c.p, NULL, &error));
  g_assert_null (setl_inspector_get_pruned_reason (setl_pipeline_get_inspector (c.p), SETL_FACTORY (c.last)));
  assert_status (c.p, "last", SETL_FACTORY_STATUS_SUCCEEDED);
  /* Not an `and` at the top: left to the run, even if a part is false. */
  set_string (c.p, "env", "dev");
  when (c.last, "$env = 'prod' or $src.row_count > 100");
  g_assert_true (setl_pipeline_inspect (c.p, &error));
  g_assert_null (setl_inspector_get_pruned_reason (setl_pipeline_get_inspector (c.p), SETL_FACTORY (c.last)));
  chain_clear (&c);
}

/* Skipped exactly when a producer of a *required* input was skipped, and
 * transitively so; the reason names the slot and the producer. */
static void
test_required_input_skipped (void)
{
  Chain c;
  g_autoptr(GError) error = NULL;
  g_autoptr(CondCount) after = NULL;

  chain_init (&c, 5);
  set_int (c.p, "n", 0);
  when (c.mid, "$n > 0");
  g_assert_true (setl_pipeline_run (c.p, NULL, &error));
  assert_status (c.p, "last", SETL_FACTORY_STATUS_SKIPPED);
  g_assert_false (cond_count_get_ran (c.last));
  /* The inspector pruned it, with the same chain of reasons. */
  assert_reason_has (c.p, "last", "input “in” comes from factory “mid”, which is pruned");
  chain_clear (&c);
}

/* The same rule when the producer is skipped at run time (a dynamic
 * condition), not pruned. */
static void
test_required_input_skipped_dynamic (void)
{
  Chain c;
  g_autoptr(GError) error = NULL;

  chain_init (&c, 5);
  when (c.mid, "$src.row_count > 100");
  g_assert_true (setl_pipeline_run (c.p, NULL, &error));
  g_assert_no_error (error);
  assert_status (c.p, "mid", SETL_FACTORY_STATUS_SKIPPED);
  assert_reason_has (c.p, "mid", "its condition “$src.row_count > 100” is false");
  assert_status (c.p, "last", SETL_FACTORY_STATUS_SKIPPED);
  assert_reason_has (c.p, "last", "input “in” comes from factory “mid”, which was skipped");
  g_assert_false (cond_count_get_ran (c.last));
  chain_clear (&c);
}

/* An optional input whose producer was skipped arrives empty — an empty
 * table — and the factory runs. */
static void
test_optional_input_empty (void)
{
  Chain c;
  g_autoptr(GError) error = NULL;

  chain_init (&c, 5);
  when (c.mid, "$src.row_count > 100");
  g_assert_true (setl_pipeline_run (c.p, NULL, &error));
  assert_status (c.p, "side", SETL_FACTORY_STATUS_SUCCEEDED);
  g_assert_true (cond_count_get_ran (c.side));
  g_assert_cmpint (cond_count_get_rows (c.side), ==, 0);
  g_assert_cmpuint (cond_count_get_n_input_columns (c.side), ==, 0);
  {
    const GValue *out = setl_pipeline_get_output_by_name (c.p, "side", &error);

    g_assert_no_error (error);
    g_assert_cmpint (g_value_get_int64 (out), ==, 0);
  }
  chain_clear (&c);
}

/* A failed producer makes its consumers upstream-failed — required and
 * optional inputs alike — transitively, never skipped. */
static void
test_upstream_failed (void)
{
  g_autoptr(SetlPipeline) p = setl_pipeline_new ("uf");
  g_autoptr(CondSource) bad = cond_source_new ("bad", 5, TRUE);
  g_autoptr(CondPass) mid = cond_pass_new ("mid", "bad");
  g_autoptr(CondCount) last = cond_count_new ("last", "mid", FALSE);
  g_autoptr(CondCount) opt = cond_count_new ("opt", "bad", TRUE);
  g_autoptr(CondSource) other = cond_source_new ("other", 2, FALSE);
  g_autoptr(CondCount) fine = cond_count_new ("fine", "other", FALSE);
  g_autoptr(SetlStage) s0 = setl_stage_new ();
  g_autoptr(SetlStage) s1 = setl_stage_new ();
  g_autoptr(GError) error = NULL;

  setl_pipeline_set_continue_on_error (p, TRUE);
  setl_stage_add_factory (s0, SETL_FACTORY (bad));
  setl_stage_add_factory (s0, SETL_FACTORY (other));
  setl_stage_add_factory (s1, SETL_FACTORY (mid));
  setl_stage_add_factory (s1, SETL_FACTORY (opt));
  setl_stage_add_factory (s1, SETL_FACTORY (fine));
  setl_pipeline_add_stage (p, s0);
  setl_pipeline_add_stage (p, s1);
  setl_pipeline_add_factory (p, SETL_FACTORY (last));

  g_assert_false (setl_pipeline_run (p, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
  assert_status (p, "bad", SETL_FACTORY_STATUS_FAILED);
  assert_status (p, "mid", SETL_FACTORY_STATUS_UPSTREAM_FAILED);
  assert_reason_has (p, "mid", "“bad”, which failed");
  assert_status (p, "opt", SETL_FACTORY_STATUS_UPSTREAM_FAILED);
  g_assert_false (cond_count_get_ran (opt));
  assert_status (p, "last", SETL_FACTORY_STATUS_UPSTREAM_FAILED);
  assert_reason_has (p, "last", "“mid”, which did not run because a factory it needs failed");
  assert_status (p, "fine", SETL_FACTORY_STATUS_SUCCEEDED);
  g_assert_cmpint (cond_count_get_rows (fine), ==, 2);
}

/* Fail-fast: the rest of the run is upstream-failed (dependents) or
 * cancelled (the others), never skipped. */
static void
test_fail_fast_states (void)
{
  g_autoptr(SetlPipeline) p = setl_pipeline_new ("ff");
  g_autoptr(CondSource) bad = cond_source_new ("bad", 5, TRUE);
  g_autoptr(CondCount) dep = cond_count_new ("dep", "bad", FALSE);
  g_autoptr(CondSource) indep = cond_source_new ("indep", 1, FALSE);
  g_autoptr(SetlStage) s1 = setl_stage_new ();
  g_autoptr(GError) error = NULL;

  setl_pipeline_add_factory (p, SETL_FACTORY (bad));
  setl_stage_add_factory (s1, SETL_FACTORY (dep));
  setl_stage_add_factory (s1, SETL_FACTORY (indep));
  setl_pipeline_add_stage (p, s1);
  g_autoptr(CondSource) pruned = cond_source_new ("pruned", 1, FALSE);

  setl_stage_add_factory (s1, SETL_FACTORY (pruned));
  when (pruned, "false");
  g_assert_false (setl_pipeline_run (p, NULL, &error));
  assert_status (p, "dep", SETL_FACTORY_STATUS_UPSTREAM_FAILED);
  assert_status (p, "indep", SETL_FACTORY_STATUS_CANCELLED);
  assert_reason_has (p, "indep", "the run stopped after factory “bad” failed");
  /* Pruned: it would not have run anyway. */
  assert_status (p, "pruned", SETL_FACTORY_STATUS_SKIPPED);
}

/* Dynamic conditions on row counts: the source's stream is read once,
 * whatever reads its facts and its rows. */
static void
test_dynamic_row_count (void)
{
  for (gint64 n = 0; n <= 3; n += 3)
    {
      Chain c;
      g_autoptr(GError) error = NULL;

      chain_init (&c, n);
      when (c.last, "$src.row_count > 0");
      g_assert_true (setl_pipeline_run (c.p, NULL, &error));
      g_assert_no_error (error);
      if (n == 0)
        {
          assert_status (c.p, "last", SETL_FACTORY_STATUS_SKIPPED);
          assert_reason_has (c.p, "last", "$src.row_count > 0");
        }
      else
        {
          assert_status (c.p, "last", SETL_FACTORY_STATUS_SUCCEEDED);
          g_assert_cmpint (cond_count_get_rows (c.last), ==, n);
        }
      /* Facts gathered, the side count read too: one pass over the source. */
      g_assert_cmpint (cond_count_get_rows (c.side), ==, n);
      g_assert_cmpuint (cond_source_get_opens (c.src), ==, 1);
      /* A dynamic condition is not decided by the inspector. */
      g_assert_null (setl_inspector_get_pruned_reason (setl_pipeline_get_inspector (c.p), SETL_FACTORY (c.last)));
      chain_clear (&c);
    }
}

/* Column facts: null counts, min, max, column names. */
static void
test_dynamic_column_facts (void)
{
  static const struct { const char *cond; gboolean runs; } cases[] = {
    { "$src.x.null_count = 2", TRUE },           /* rows 3 and 13 of 20 */
    { "$src.x.min = 0 and $src.x.max = 19", TRUE },
    { "$src.s.max = 'k9'", TRUE },                /* byte order */
    { "$src.column_count = 2 and $src.columns = 'x,s'", TRUE },
    { "$src.has_column.x and not $src.has_column.y", TRUE },
    { "$src.x.max > 19", FALSE },
    { "$mid.row_count = 20", TRUE },              /* a pass-through's output */
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      Chain c;
      g_autoptr(GError) error = NULL;

      chain_init (&c, 20);
      when (c.last, cases[i].cond);
      g_assert_true (setl_pipeline_run (c.p, NULL, &error));
      g_assert_no_error (error);
      if (status_of (c.p, "last") != (cases[i].runs ? SETL_FACTORY_STATUS_SUCCEEDED : SETL_FACTORY_STATUS_SKIPPED))
        g_error ("%s: %s", cases[i].cond, setl_factory_status_to_string (status_of (c.p, "last")));
      chain_clear (&c);
    }
}

/* A condition that cannot be decided fails its factory, naming it and
 * the condition; an upstream factory's facts are an input: skipped, they
 * skip. */
static void
test_dynamic_errors (void)
{
  Chain c;
  g_autoptr(GError) error = NULL;
  const GError *e;

  chain_init (&c, 3);
  setl_pipeline_set_continue_on_error (c.p, TRUE);
  when (c.last, "$src.nope.min > 1");
  g_assert_false (setl_pipeline_run (c.p, NULL, &error));
  assert_status (c.p, "last", SETL_FACTORY_STATUS_FAILED);
  e = setl_factory_result_get_error (setl_run_report_find (setl_pipeline_get_report (c.p), "last"));
  g_assert_nonnull (strstr (e->message, "Factory “last”"));
  g_assert_nonnull (strstr (e->message, "$src.nope.min > 1"));
  g_assert_nonnull (strstr (e->message, "src.nope.min"));
  chain_clear (&c);

  g_clear_error (&error);
  chain_init (&c, 3);
  when (c.mid, "$src.row_count > 10");       /* skipped */
  when (c.side, "$mid.row_count >= 0");      /* reads a skipped factory's facts */
  g_assert_true (setl_pipeline_run (c.p, NULL, &error));
  assert_status (c.p, "side", SETL_FACTORY_STATUS_SKIPPED);
  assert_reason_has (c.p, "side", "reads facts about factory “mid”, which was skipped");
  chain_clear (&c);
}

/* The inspector refuses what a condition cannot read. */
static void
test_inspect_errors (void)
{
  Chain c;
  g_autoptr(GError) error = NULL;

  chain_init (&c, 1);
  when (c.mid, "$nope = 1");
  g_assert_false (setl_pipeline_inspect (c.p, &error));
  g_assert_error (error, SETL_PIPELINE_ERROR, SETL_PIPELINE_ERROR_CONDITION);
  g_assert_cmpstr (error->message, ==,
                   "The condition “$nope = 1” of factory “mid” reads “$nope”, which is neither a "
                   "parameter nor a fact about a factory's output (“$FACTORY.row_count”…)");
  g_clear_error (&error);

  when (c.mid, "$last.row_count = 1");       /* a later stage */
  g_assert_false (setl_pipeline_inspect (c.p, &error));
  g_assert_error (error, SETL_PIPELINE_ERROR, SETL_PIPELINE_ERROR_CONDITION);
  g_assert_nonnull (strstr (error->message, "reads facts about “last”, which runs in stage 2, not before stage 1"));
  g_clear_error (&error);

  when (c.mid, "$src.row_count + 1");        /* not a bool: found when decided */
  g_assert_true (setl_pipeline_inspect (c.p, &error));
  setl_pipeline_set_continue_on_error (c.p, TRUE);
  g_assert_false (setl_pipeline_run (c.p, NULL, &error));
  assert_status (c.p, "mid", SETL_FACTORY_STATUS_FAILED);
  g_clear_error (&error);

  set_int (c.p, "n", 1);
  when (c.mid, "$n + 1");                   /* static: found by the inspector */
  g_assert_false (setl_pipeline_inspect (c.p, &error));
  g_assert_nonnull (strstr (error->message, "factory “mid”: condition “$n + 1”: a condition must be a bool"));
  g_clear_error (&error);

  /* A condition reads no columns. */
  g_assert_null (setl_expr_condition_new ("x > 1", &error));
  g_assert_error (error, SETL_EXPR_ERROR, SETL_EXPR_ERROR_UNKNOWN_COLUMN);
  chain_clear (&c);
}

/* Stage conditions apply to every factory of the stage. */
static void
test_stage_condition (void)
{
  Chain c;
  g_autoptr(GError) error = NULL;
  g_autoptr(SetlExprCondition) cond = setl_expr_condition_new ("$src.row_count > 3", &error);
  SetlStage *last_stage;

  chain_init (&c, 3);
  last_stage = g_ptr_array_index (setl_pipeline_get_stages (c.p), 2);
  setl_stage_set_condition (last_stage, SETL_CONDITION (cond));
  g_assert_true (setl_pipeline_run (c.p, NULL, &error));
  assert_status (c.p, "last", SETL_FACTORY_STATUS_SKIPPED);
  assert_status (c.p, "side", SETL_FACTORY_STATUS_SKIPPED);
  assert_reason_has (c.p, "side", "the stage's condition “$src.row_count > 3” is false");
  g_assert_true (setl_stage_get_condition (last_stage) == SETL_CONDITION (cond));
  chain_clear (&c);

  /* Static: pruned. */
  chain_init (&c, 3);
  set_int (c.p, "n", 1);
  {
    g_autoptr(SetlExprCondition) st = setl_expr_condition_new ("$n = 2", &error);

    setl_stage_set_condition (g_ptr_array_index (setl_pipeline_get_stages (c.p), 0), SETL_CONDITION (st));
  }
  g_assert_true (setl_pipeline_run (c.p, NULL, &error));
  assert_status (c.p, "src", SETL_FACTORY_STATUS_SKIPPED);
  assert_reason_has (c.p, "src", "the stage 0 condition “$n = 2” is false");
  assert_status (c.p, "mid", SETL_FACTORY_STATUS_SKIPPED);
  assert_status (c.p, "side", SETL_FACTORY_STATUS_SUCCEEDED);
  chain_clear (&c);
}

/* if / else-if / else with a one-of: the arm that ran is delivered. */
static SetlPipeline *
branch_pipeline (gint64      n_rows,
                 gboolean    with_else,
                 gboolean    consumer_optional,
                 CondCount **out_consumer)
{
  SetlPipeline *p = setl_pipeline_new ("branches");
  g_autoptr(CondSource) src = cond_source_new ("src", n_rows, FALSE);
  g_autoptr(CondPass) big = cond_pass_new ("big", "src");
  g_autoptr(CondPass) small = cond_pass_new ("small", "src");
  g_autoptr(CondPass) empty = cond_pass_new ("empty", "src");
  g_autoptr(SetlOneOf) route = setl_one_of_new ("route", SETL_TYPE_BATCH_STREAM, with_else);
  g_autoptr(CondCount) use = cond_count_new ("use", "route", consumer_optional);
  g_autoptr(SetlStage) arms = setl_stage_new ();

  setl_factory_set_delivery_id (SETL_FACTORY (route), "route");
  when (big, "coalesce($src.row_count > 10, false)");
  when (small, "coalesce($src.row_count > 0, false) and not coalesce($src.row_count > 10, false)");
  if (with_else)
    when (empty, "not coalesce($src.row_count > 0, false) and not coalesce($src.row_count > 10, false)");
  else
    when (empty, "false");
  setl_one_of_add_arm (route, "big", SETL_TYPE_EXTERNAL, "big");
  setl_one_of_add_arm (route, "small", SETL_TYPE_EXTERNAL, "small");
  setl_one_of_add_arm (route, "empty", SETL_TYPE_EXTERNAL, "empty");
  setl_pipeline_add_factory (p, SETL_FACTORY (src));
  setl_stage_add_factory (arms, SETL_FACTORY (big));
  setl_stage_add_factory (arms, SETL_FACTORY (small));
  setl_stage_add_factory (arms, SETL_FACTORY (empty));
  setl_pipeline_add_stage (p, arms);
  setl_pipeline_add_factory (p, SETL_FACTORY (route));
  setl_pipeline_add_factory (p, SETL_FACTORY (use));
  *out_consumer = g_object_ref (use);
  return p;
}

static void
test_one_of (void)
{
  static const struct { gint64 n; const char *arm; } cases[] = { { 20, "big" }, { 5, "small" }, { 0, "empty" } };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(CondCount) use = NULL;
      g_autoptr(SetlPipeline) p = branch_pipeline (cases[i].n, TRUE, FALSE, &use);
      g_autoptr(GError) error = NULL;
      SetlOneOf *route;

      g_assert_true (setl_pipeline_run (p, NULL, &error));
      g_assert_no_error (error);
      assert_status (p, cases[i].arm, SETL_FACTORY_STATUS_SUCCEEDED);
      assert_status (p, "route", SETL_FACTORY_STATUS_SUCCEEDED);
      assert_status (p, "use", SETL_FACTORY_STATUS_SUCCEEDED);
      g_assert_cmpint (cond_count_get_rows (use), ==, cases[i].n);
      route = SETL_ONE_OF (g_ptr_array_index (setl_stage_get_factories (g_ptr_array_index (setl_pipeline_get_stages (p), 2)), 0));
      g_assert_cmpstr (setl_one_of_get_chosen (route), ==, cases[i].arm);
    }
}

/* A branch set without an else: refused when a later factory requires its
 * output; with an optional consumer, no arm running skips the one-of and
 * the consumer gets an empty input. */
static void
test_one_of_without_else (void)
{
  g_autoptr(CondCount) use = NULL;
  g_autoptr(SetlPipeline) p = branch_pipeline (0, FALSE, FALSE, &use);
  g_autoptr(SetlPipeline) q = NULL;
  g_autoptr(CondCount) use2 = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_false (setl_pipeline_inspect (p, &error));
  g_assert_error (error, SETL_PIPELINE_ERROR, SETL_PIPELINE_ERROR_CONDITION);
  g_assert_cmpstr (error->message, ==,
                   "The branch set “route” has no else (or default), so it may run no branch, but "
                   "factory “use” requires its output (input “in”): add an else arm, or make the "
                   "input optional");
  g_clear_error (&error);

  q = branch_pipeline (0, FALSE, TRUE, &use2);
  g_assert_true (setl_pipeline_run (q, NULL, &error));
  g_assert_no_error (error);
  assert_status (q, "route", SETL_FACTORY_STATUS_SKIPPED);
  assert_reason_has (q, "route", "none of its branches ran");
  assert_status (q, "use", SETL_FACTORY_STATUS_SUCCEEDED);
  g_assert_cmpint (cond_count_get_rows (use2), ==, 0);
}

/* The report gives every skipped factory's reason; the graph shows
 * pruned factories dashed, with their condition. */
static void
test_report_and_graph (void)
{
  Chain c;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  g_autofree char *dot = NULL;
  g_autofree char *mermaid = NULL;

  chain_init (&c, 2);
  set_string (c.p, "env", "dev");
  when (c.mid, "$env = 'prod'");
  g_assert_true (setl_pipeline_run (c.p, NULL, &error));
  json = setl_run_report_to_json (setl_pipeline_get_report (c.p));
  g_assert_nonnull (strstr (json, "\"reason\" : \"its condition “$env = 'prod'” is false\""));
  g_assert_nonnull (strstr (json, "\"status\" : \"skipped\""));

  dot = setl_pipeline_to_dot (c.p);
  g_assert_nonnull (strstr (dot, "when: $env = 'prod'\\npruned: its condition “$env = 'prod'” is false\", style=dashed]"));
  mermaid = setl_pipeline_to_mermaid (c.p);
  g_assert_nonnull (strstr (mermaid, "style n1 stroke-dasharray: 5 5"));
  g_assert_nonnull (strstr (mermaid, "style n2 stroke-dasharray: 5 5"));   /* last, by its input */
  g_assert_null (strstr (mermaid, "style n0 "));
  chain_clear (&c);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/conditions/static/false-skips-and-prunes", test_static_false);
  g_test_add_func ("/conditions/static/true-runs", test_static_true);
  g_test_add_func ("/conditions/static/static-part-of-and", test_static_part);
  g_test_add_func ("/conditions/skip/required-input-pruned", test_required_input_skipped);
  g_test_add_func ("/conditions/skip/required-input-skipped", test_required_input_skipped_dynamic);
  g_test_add_func ("/conditions/skip/optional-input-empty", test_optional_input_empty);
  g_test_add_func ("/conditions/skip/upstream-failed", test_upstream_failed);
  g_test_add_func ("/conditions/skip/fail-fast-states", test_fail_fast_states);
  g_test_add_func ("/conditions/dynamic/row-count", test_dynamic_row_count);
  g_test_add_func ("/conditions/dynamic/column-facts", test_dynamic_column_facts);
  g_test_add_func ("/conditions/dynamic/errors", test_dynamic_errors);
  g_test_add_func ("/conditions/inspect/errors", test_inspect_errors);
  g_test_add_func ("/conditions/stage", test_stage_condition);
  g_test_add_func ("/conditions/one-of/arm-that-ran", test_one_of);
  g_test_add_func ("/conditions/one-of/without-else", test_one_of_without_else);
  g_test_add_func ("/conditions/report-and-graph", test_report_and_graph);
  return g_test_run ();
}
