/* bench-orchestration.c: what the workflow machinery itself costs.
 *
 * A pipeline of STAGES stages of WIDTH trivial factories each (10,000 in
 * all by default). Factory (s, i) outputs an int64 under the delivery id
 * "s.i"; for s > 0 it has one input slot that asks for delivery id
 * "(s-1).i", so every slot resolves to exactly one producer and the
 * inspector has real work to do (10,000 nodes, 9,900 flows). A factory adds
 * one to its input: the work is negligible, so what is timed is the
 * orchestration — building the pipeline, inspecting it, dispatching inputs,
 * entering and leaving job groups, emitting signals, publishing outputs and
 * writing the run report.
 *
 * Each repetition builds two fresh pipelines and times, separately:
 *   inspect  setl_pipeline_inspect() alone, on the first one;
 *   build    creating the second one: factories, slots, stages;
 *   run      setl_pipeline_run() on it, which inspects it (the first
 *            inspection of that pipeline) and then runs every factory;
 *   free     dropping it and everything it holds (outputs, report, DAG).
 * "run" is the orchestration overhead proper, what the 50 ms target is
 * about; "build+run" adds what it costs to set the pipeline up. Both are
 * measured with max-threads = 1 and with the default (0: one thread per
 * processor).
 *
 * Every run's outputs are checked: the last stage's factory i must hold
 * STAGES - 1 + i, so a run that skipped work would not pass unnoticed.
 *
 * Usage: bench-orchestration [--stages N] [--width N] [--repeat N] [--max-threads N]
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <setl/setl.h>
#include <stdlib.h>

#define TARGET_MS 50.0

/* ----------------------------------------------------------------------- */
/* The trivial factory                                                      */

#define BENCH_TYPE_STEP (bench_step_get_type ())
G_DECLARE_FINAL_TYPE (BenchStep, bench_step, BENCH, STEP, SetlFactory)

struct _BenchStep
{
  SetlFactory parent_instance;
  gint64 seed;     /* stage 0: the value to output */
  gint64 value;
};

G_DEFINE_FINAL_TYPE (BenchStep, bench_step, SETL_TYPE_FACTORY)

static gboolean
bench_step_process (SetlFactory   *factory,
                    GCancellable  *cancellable,
                    GError       **error)
{
  BenchStep *self = BENCH_STEP (factory);
  const GValue *in = setl_factory_get_input (factory, "in");

  self->value = in != NULL ? g_value_get_int64 (in) + 1 : self->seed;
  return TRUE;
}

static gboolean
bench_step_get (SetlFactory  *factory,
                GValue       *output,
                GError      **error)
{
  g_value_set_int64 (output, BENCH_STEP (factory)->value);
  return TRUE;
}

static void
bench_step_class_init (BenchStepClass *klass)
{
  SetlFactoryClass *factory_class = SETL_FACTORY_CLASS (klass);

  factory_class->process = bench_step_process;
  factory_class->get = bench_step_get;
  setl_factory_class_set_output_type (factory_class, G_TYPE_INT64);
}

static void
bench_step_init (BenchStep *self)
{
}

/* ----------------------------------------------------------------------- */
/* Building and checking                                                    */

static SetlPipeline *
build_pipeline (guint n_stages,
                guint width)
{
  SetlPipeline *pipeline = setl_pipeline_new ("bench");
  char name[64], id[64], in_id[64];

  for (guint s = 0; s < n_stages; s++)
    {
      g_autoptr(SetlStage) stage = setl_stage_new ();

      for (guint i = 0; i < width; i++)
        {
          g_autoptr(BenchStep) step = NULL;

          g_snprintf (name, sizeof name, "step-%u-%u", s, i);
          g_snprintf (id, sizeof id, "%u.%u", s, i);
          step = g_object_new (BENCH_TYPE_STEP, "name", name, "delivery-id", id, NULL);
          step->seed = i;
          if (s > 0)
            {
              g_snprintf (in_id, sizeof in_id, "%u.%u", s - 1, i);
              setl_factory_add_input (SETL_FACTORY (step), "in", G_TYPE_INT64,
                                      SETL_TYPE_EXTERNAL, in_id);
            }
          setl_stage_add_factory (stage, SETL_FACTORY (step));
        }
      setl_pipeline_add_stage (pipeline, stage);
    }
  return pipeline;
}

static void
check_outputs (SetlPipeline *pipeline,
               guint         n_stages,
               guint         width)
{
  GPtrArray *stages = setl_pipeline_get_stages (pipeline);
  GPtrArray *last = setl_stage_get_factories (g_ptr_array_index (stages, n_stages - 1));

  for (guint i = 0; i < width; i++)
    {
      BenchStep *step = g_ptr_array_index (last, i);
      gint64 want = (gint64) n_stages - 1 + i;

      if (step->value != want)
        {
          g_printerr ("bench-orchestration: wrong output for %s: %" G_GINT64_FORMAT
                      ", expected %" G_GINT64_FORMAT "\n",
                      setl_factory_get_name (SETL_FACTORY (step)), step->value, want);
          exit (1);
        }
    }
}

/* ----------------------------------------------------------------------- */
/* Timing                                                                   */

enum { T_INSPECT, T_BUILD, T_RUN, T_FREE, T_BUILD_RUN, N_TIMES };
static const char *time_names[N_TIMES] = {
  "inspect", "build", "run (incl. inspect)", "free", "build+run",
};

static int
compare_double (const void *a,
                const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static double
ms_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / 1000.0;
}

static void
measure (guint   n_stages,
         guint   width,
         int     max_threads,
         guint   repeat,
         double  min[N_TIMES],
         double  median[N_TIMES])
{
  g_autofree double *samples = g_new (double, (gsize) N_TIMES * repeat);

  for (guint r = 0; r < repeat; r++)
    {
      g_autoptr(GError) error = NULL;
      SetlPipeline *pipeline;
      double *t = &samples[r * N_TIMES];
      gint64 start;

      pipeline = build_pipeline (n_stages, width);
      start = g_get_monotonic_time ();
      if (!setl_pipeline_inspect (pipeline, &error))
        g_error ("bench-orchestration: inspection failed: %s", error->message);
      t[T_INSPECT] = ms_since (start);
      g_object_unref (pipeline);

      start = g_get_monotonic_time ();
      pipeline = build_pipeline (n_stages, width);
      t[T_BUILD] = ms_since (start);
      setl_pipeline_set_max_threads (pipeline, max_threads);

      start = g_get_monotonic_time ();
      if (!setl_pipeline_run (pipeline, NULL, &error))
        g_error ("bench-orchestration: run failed: %s", error->message);
      t[T_RUN] = ms_since (start);
      t[T_BUILD_RUN] = t[T_BUILD] + t[T_RUN];

      check_outputs (pipeline, n_stages, width);

      start = g_get_monotonic_time ();
      g_object_unref (pipeline);
      t[T_FREE] = ms_since (start);
    }

  for (guint k = 0; k < N_TIMES; k++)
    {
      g_autofree double *column = g_new (double, repeat);

      for (guint r = 0; r < repeat; r++)
        column[r] = samples[r * N_TIMES + k];
      qsort (column, repeat, sizeof (double), compare_double);
      min[k] = column[0];
      median[k] = repeat % 2 ? column[repeat / 2]
                             : (column[repeat / 2 - 1] + column[repeat / 2]) / 2;
    }
}

int
main (int   argc,
      char *argv[])
{
  int n_stages = 100, width = 100, repeat = 7, only_threads = -1;
  GOptionEntry entries[] = {
    { "stages", 's', 0, G_OPTION_ARG_INT, &n_stages, "Number of stages (100)", "N" },
    { "width", 'w', 0, G_OPTION_ARG_INT, &width, "Factories per stage (100)", "N" },
    { "repeat", 'r', 0, G_OPTION_ARG_INT, &repeat, "Repetitions per setting (7)", "N" },
    { "max-threads", 't', 0, G_OPTION_ARG_INT, &only_threads,
      "Only this max-threads setting (default: 1, then 0)", "N" },
    { NULL }
  };
  g_autoptr(GOptionContext) options = g_option_context_new ("- time libsetl's orchestration");
  g_autoptr(GError) error = NULL;
  int thread_settings[] = { 1, 0 };
  guint n_factories;

  g_option_context_add_main_entries (options, entries, NULL);
  if (!g_option_context_parse (options, &argc, &argv, &error))
    {
      g_printerr ("bench-orchestration: %s\n", error->message);
      return 2;
    }
  if (n_stages < 1 || width < 1 || repeat < 1)
    {
      g_printerr ("bench-orchestration: --stages, --width and --repeat must be at least 1\n");
      return 2;
    }
  n_factories = (guint) n_stages * (guint) width;
  if (only_threads > 1)
    thread_settings[0] = only_threads;

  /* Warm up: register the types, fault the allocator's pages in. */
  {
    g_autoptr(SetlPipeline) warm = build_pipeline (2, 2);

    if (!setl_pipeline_run (warm, NULL, &error))
      g_error ("bench-orchestration: warm-up failed: %s", error->message);
  }

  g_print ("libsetl %s - orchestration overhead\n", SETL_VERSION_STRING);
  g_print ("%u factories in %d stages of %d; %u processors; %d repetitions; times in ms\n\n",
           n_factories, n_stages, width, g_get_num_processors (), repeat);
  g_print ("%-14s %-20s %10s %10s %14s\n", "max-threads", "phase", "min", "median",
           "us/factory");

  for (guint t = 0; t < G_N_ELEMENTS (thread_settings); t++)
    {
      double min[N_TIMES], median[N_TIMES];

      if (only_threads >= 0 && thread_settings[t] != only_threads)
        continue;
      g_autofree char *label = thread_settings[t]
        ? g_strdup_printf ("%d", thread_settings[t])
        : g_strdup_printf ("0 (= %u)", g_get_num_processors ());

      measure (n_stages, width, thread_settings[t], repeat, min, median);
      for (guint k = 0; k < N_TIMES; k++)
        g_print ("%-14s %-20s %10.2f %10.2f %14.2f\n", k == 0 ? label : "", time_names[k],
                 min[k], median[k], median[k] * 1000.0 / n_factories);
      g_print ("%-14s %-20s %10.2f   (median run / %.0f ms target)\n", "",
               "target ratio: run", median[T_RUN] / TARGET_MS, TARGET_MS);
      g_print ("%-14s %-20s %10.2f   (median build+run / %.0f ms target)\n\n", "",
               "  build+run", median[T_BUILD_RUN] / TARGET_MS, TARGET_MS);
    }
  return 0;
}
