/* bench-parallel.c: do the factories of one stage really run in parallel?
 *
 * One stage of two CPU-bound factories. Each one hashes a long chain of
 * pseudo-random numbers (pure integer work, no memory traffic, no locks) and
 * outputs the checksum as a guint64, so the work cannot be optimised away.
 * The chain length is calibrated at start-up so that one factory takes about
 * --seconds of CPU (0.75 s by default).
 *
 * The pipeline runs alternately with max-threads = 1 (one factory after the
 * other) and max-threads = 2; the times are wall-clock around
 * setl_pipeline_run(). With two free cores, the 2-thread run should take
 * about as long as one factory, so the speed-up should approach 2.
 *
 * The outputs of every run are compared with each other and with the
 * checksums computed directly, outside the pipeline: a parallel run must
 * deliver exactly what a sequential one does.
 *
 * Usage: bench-parallel [--seconds S | --iterations N] [--repeat N]
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <setl/setl.h>
#include <stdlib.h>

/* The work: a multiply–xorshift chain. Every step depends on the one before,
 * so neither the compiler nor the CPU can shorten it. */
static guint64
churn (guint64 seed,
       guint64 iterations)
{
  guint64 x = seed * 0x9E3779B97F4A7C15ull + 1, h = seed;

  for (guint64 i = 0; i < iterations; i++)
    {
      x ^= x >> 30;
      x *= 0xBF58476D1CE4E5B9ull;
      x ^= x >> 27;
      x *= 0x94D049BB133111EBull;
      x ^= x >> 31;
      h = (h ^ x) * 0x100000001B3ull;
    }
  return h;
}

/* ----------------------------------------------------------------------- */
/* The CPU-bound factory                                                    */

#define BENCH_TYPE_CHURN (bench_churn_get_type ())
G_DECLARE_FINAL_TYPE (BenchChurn, bench_churn, BENCH, CHURN, SetlFactory)

struct _BenchChurn
{
  SetlFactory parent_instance;
  guint64 seed;
  guint64 iterations;
  guint64 checksum;
};

G_DEFINE_FINAL_TYPE (BenchChurn, bench_churn, SETL_TYPE_FACTORY)

static gboolean
bench_churn_process (SetlFactory   *factory,
                     GCancellable  *cancellable,
                     GError       **error)
{
  BenchChurn *self = BENCH_CHURN (factory);

  self->checksum = churn (self->seed, self->iterations);
  return TRUE;
}

static gboolean
bench_churn_get (SetlFactory  *factory,
                 GValue       *output,
                 GError      **error)
{
  g_value_set_uint64 (output, BENCH_CHURN (factory)->checksum);
  return TRUE;
}

static void
bench_churn_class_init (BenchChurnClass *klass)
{
  SetlFactoryClass *factory_class = SETL_FACTORY_CLASS (klass);

  factory_class->process = bench_churn_process;
  factory_class->get = bench_churn_get;
  setl_factory_class_set_output_type (factory_class, G_TYPE_UINT64);
}

static void
bench_churn_init (BenchChurn *self)
{
}

/* ----------------------------------------------------------------------- */

#define N_FACTORIES 2

static guint64
calibrate (double seconds)
{
  guint64 n = 1 << 20;
  volatile guint64 sink;

  /* Double the chain until it takes 50 ms, then scale. */
  for (;;)
    {
      gint64 start = g_get_monotonic_time ();
      double elapsed;

      sink = churn (1, n);
      elapsed = (g_get_monotonic_time () - start) / 1e6;
      if (elapsed >= 0.05)
        return (guint64) (n * (seconds / elapsed));
      n *= 2;
    }
  (void) sink;
}

static double
run_once (SetlPipeline *pipeline,
          int           max_threads,
          guint64       outputs[N_FACTORIES])
{
  g_autoptr(GError) error = NULL;
  gint64 start;
  double elapsed;

  setl_pipeline_set_max_threads (pipeline, max_threads);
  start = g_get_monotonic_time ();
  if (!setl_pipeline_run (pipeline, NULL, &error))
    g_error ("bench-parallel: run failed: %s", error->message);
  elapsed = (g_get_monotonic_time () - start) / 1e6;

  for (guint i = 0; i < N_FACTORIES; i++)
    {
      g_autofree char *name = g_strdup_printf ("churn-%u", i);
      const GValue *v = setl_pipeline_get_output_by_name (pipeline, name, &error);

      if (v == NULL)
        g_error ("bench-parallel: no output: %s", error->message);
      outputs[i] = g_value_get_uint64 (v);
    }
  return elapsed;
}

static int
compare_double (const void *a,
                const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static double
median_of (double *v,
           guint   n)
{
  qsort (v, n, sizeof (double), compare_double);
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

int
main (int   argc,
      char *argv[])
{
  double seconds = 0.75;
  int repeat = 3;
  gint64 fixed_iterations = 0;
  GOptionEntry entries[] = {
    { "seconds", 't', 0, G_OPTION_ARG_DOUBLE, &seconds, "CPU seconds per factory (0.75)", "S" },
    { "repeat", 'r', 0, G_OPTION_ARG_INT, &repeat, "Runs per setting (3)", "N" },
    { "iterations", 'n', 0, G_OPTION_ARG_INT64, &fixed_iterations,
      "Chain length per factory, instead of calibrating", "N" },
    { NULL }
  };
  g_autoptr(GOptionContext) options = g_option_context_new ("- time a stage of CPU-bound factories");
  g_autoptr(GError) error = NULL;
  g_autoptr(SetlPipeline) pipeline = setl_pipeline_new ("bench-parallel");
  g_autoptr(SetlStage) stage = setl_stage_new ();
  g_autofree double *seq = NULL, *par = NULL;
  guint64 expected[N_FACTORIES], outputs[N_FACTORIES], iterations;
  double one, seq_median, par_median;
  gboolean identical = TRUE;
  gint64 start;

  g_option_context_add_main_entries (options, entries, NULL);
  if (!g_option_context_parse (options, &argc, &argv, &error))
    {
      g_printerr ("bench-parallel: %s\n", error->message);
      return 2;
    }
  if (seconds <= 0 || repeat < 1)
    {
      g_printerr ("bench-parallel: --seconds must be positive and --repeat at least 1\n");
      return 2;
    }

  iterations = fixed_iterations > 0 ? (guint64) fixed_iterations : calibrate (seconds);

  /* The reference: the same work done directly, one after the other. */
  start = g_get_monotonic_time ();
  for (guint i = 0; i < N_FACTORIES; i++)
    expected[i] = churn (i + 1, iterations);
  one = (g_get_monotonic_time () - start) / 1e6 / N_FACTORIES;

  for (guint i = 0; i < N_FACTORIES; i++)
    {
      g_autofree char *name = g_strdup_printf ("churn-%u", i);
      g_autofree char *id = g_strdup_printf ("churn-%u", i);
      g_autoptr(BenchChurn) f = g_object_new (BENCH_TYPE_CHURN, "name", name,
                                              "delivery-id", id, NULL);

      f->seed = i + 1;
      f->iterations = iterations;
      setl_stage_add_factory (stage, SETL_FACTORY (f));
    }
  setl_pipeline_add_stage (pipeline, stage);

  g_print ("libsetl %s - one stage of %d CPU-bound factories\n", SETL_VERSION_STRING,
           N_FACTORIES);
  g_print ("%u processors; %" G_GUINT64_FORMAT " iterations per factory; "
           "one factory alone (no pipeline): %.3f s\n\n",
           g_get_num_processors (), iterations, one);

  seq = g_new (double, repeat);
  par = g_new (double, repeat);
  g_print ("%-6s %16s %16s\n", "run", "max-threads=1", "max-threads=2");
  for (int r = 0; r < repeat; r++)
    {
      seq[r] = run_once (pipeline, 1, outputs);
      for (guint i = 0; i < N_FACTORIES; i++)
        identical &= outputs[i] == expected[i];
      par[r] = run_once (pipeline, 2, outputs);
      for (guint i = 0; i < N_FACTORIES; i++)
        identical &= outputs[i] == expected[i];
      g_print ("%-6d %14.3f s %14.3f s\n", r + 1, seq[r], par[r]);
    }

  seq_median = median_of (seq, repeat);
  par_median = median_of (par, repeat);
  g_print ("%-6s %14.3f s %14.3f s\n\n", "median", seq_median, par_median);
  g_print ("speed-up (median 1 thread / median 2 threads): %.2fx\n", seq_median / par_median);
  g_print ("2-thread stage / one factory alone: %.2fx\n", par_median / one);
  g_print ("outputs identical across all runs and equal to the direct computation: %s\n",
           identical ? "yes" : "NO");
  for (guint i = 0; i < N_FACTORIES; i++)
    g_print ("  churn-%u checksum %016" G_GINT64_MODIFIER "x\n", i, expected[i]);

  return identical ? 0 : 1;
}
