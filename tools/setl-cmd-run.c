/* setl-cmd-run.c: `setl run FILE` — builds a pipeline file against the
 * installed plugins and runs it.
 *
 * On a terminal the run shows live progress — the factories running now,
 * how many are done, the elapsed time — on one line redrawn in place, and a
 * line per finished factory above it. Anywhere else (a pipe, a log file,
 * CI) it prints one plain, timestamped line per event, nothing redrawn.
 *
 * The pipeline runs on the main thread (setl_pipeline_run()), which emits
 * its signals there. Ctrl-C (SIGINT), SIGTERM and the live line's clock
 * are handled by a #SetlRunWatcher (setl-run-watcher.c), whose thread is
 * started only once a factory is really executed: starting the run on a
 * worker thread, or the watcher's thread at once, made a run whose results
 * are all cached wait for a thread most of its time.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <stdio.h>
#include <unistd.h>

#include <gio/gio.h>
#include <setl/setl-plugin.h>

#include "setl-commands.h"
#include "setl-pipeline-cli.h"
#include "setl-run-watcher.h"

typedef struct
{
  /* Guards the status line and the counters below: the pipeline's signals
   * come on the main thread, the clock's ticks and Ctrl-C on the
   * watcher's. */
  GMutex lock;
  SetlPipelineFile *file;
  SetlPipeline *pipeline;
  GCancellable *cancellable;
  SetlRunWatcher *watcher;
  gboolean live;              /* redraw a status line (a terminal) */
  gboolean quiet;
  gint64 started;
  GPtrArray *running;         /* of SetlFactory, in start order */
  guint done;
  guint total;
  guint frame;
  gboolean status_shown;
  gboolean over;              /* the run returned: the watcher is silent */
  gboolean succeeded;
  GError *error;
} RunState;

static double
elapsed (RunState *st)
{
  return (g_get_monotonic_time () - st->started) / 1e6;
}

static void
clear_status (RunState *st)
{
  if (st->live && st->status_shown)
    {
      fputs ("\r\033[K", stdout);
      st->status_shown = FALSE;
    }
}

static void
draw_status (RunState *st)
{
  static const char *spinner[] = { "⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏" };
  g_autoptr(GString) line = g_string_new (NULL);

  if (!st->live || st->quiet)
    return;
  g_string_printf (line, "%s [%u/%u] %.1f s", spinner[st->frame++ % G_N_ELEMENTS (spinner)],
                   st->done, st->total, elapsed (st));
  if (st->running->len > 0)
    {
      g_string_append (line, " · running: ");
      for (guint i = 0; i < st->running->len; i++)
        {
          SetlFactory *factory = g_ptr_array_index (st->running, i);
          const char *name = setl_factory_get_name (factory);
          gint64 rows = setl_factory_get_rows (factory);

          g_string_append_printf (line, "%s%s (%s)", i ? ", " : "", name,
                                  setl_pipeline_file_get_factory_feature (st->file, name));
          /* Rows stream through the sinks' write phase: show them live. */
          if (rows > 0)
            g_string_append_printf (line, " %'" G_GINT64_FORMAT " rows", rows);
        }
    }
  /* One terminal line: a longer status would wrap and break "\r". */
  if (g_utf8_strlen (line->str, -1) > 100)
    {
      g_string_truncate (line, g_utf8_offset_to_pointer (line->str, 99) - line->str);
      g_string_append (line, "…");
    }
  fputs ("\r\033[K", stdout);
  fputs (line->str, stdout);
  fflush (stdout);
  st->status_shown = TRUE;
}

/* On the watcher's thread, every 100 ms on a terminal. */
static void
on_tick (gpointer data)
{
  RunState *st = data;

  g_mutex_lock (&st->lock);
  if (!st->over)
    draw_status (st);
  g_mutex_unlock (&st->lock);
}

static void
on_factory_started (SetlPipeline *pipeline,
                    SetlFactory  *factory,
                    const char   *job_group,
                    RunState     *st)
{
  const char *name = setl_factory_get_name (factory);

  setl_run_watcher_poll (st->watcher);
  g_mutex_lock (&st->lock);
  g_ptr_array_add (st->running, factory);
  if (!st->quiet)
    {
      if (st->live)
        draw_status (st);
      else
        printf ("[%8.3f s] started   %s (%s), job group %s\n", elapsed (st), name,
                setl_pipeline_file_get_factory_feature (st->file, name), job_group);
      fflush (stdout);
    }
  g_mutex_unlock (&st->lock);
}

static void
on_factory_finished (SetlPipeline      *pipeline,
                     SetlFactory       *factory,
                     SetlFactoryResult *result,
                     RunState          *st)
{
  const char *name = setl_factory_get_name (factory);
  SetlFactoryStatus status = setl_factory_result_get_status (result);
  g_autofree char *took = setl_cli_format_duration (setl_factory_result_get_total_duration (result));
  const GError *error = setl_factory_result_get_error (result);
  const char *reason = setl_factory_result_get_reason (result);

  setl_run_watcher_poll (st->watcher);
  g_mutex_lock (&st->lock);
  g_ptr_array_remove (st->running, factory);
  st->done++;
  if (st->quiet)
    {
      g_mutex_unlock (&st->lock);
      return;
    }
  clear_status (st);
  if (st->live)
    printf ("%s %-20s %-14s %s%s%s\n",
            status == SETL_FACTORY_STATUS_SUCCEEDED ? "✓"
            : status == SETL_FACTORY_STATUS_REUSED ? "↺" : "✗", name,
            setl_pipeline_file_get_factory_feature (st->file, name),
            status == SETL_FACTORY_STATUS_SUCCEEDED ? took : setl_factory_status_to_string (status),
            error || reason ? ": " : "", error ? error->message : reason ? reason : "");
  else
    printf ("[%8.3f s] %-9s %s (%s) in %s%s%s\n", elapsed (st),
            setl_factory_status_to_string (status), name,
            setl_pipeline_file_get_factory_feature (st->file, name), took,
            error || reason ? ": " : "", error ? error->message : reason ? reason : "");
  draw_status (st);
  fflush (stdout);
  g_mutex_unlock (&st->lock);
}

static void
on_progress (SetlPipeline *pipeline,
             guint         done,
             guint         total,
             RunState     *st)
{
  /* Counted in on_factory_finished(), which comes first. */
  g_mutex_lock (&st->lock);
  st->total = total;
  g_mutex_unlock (&st->lock);
}

/* On the watcher's thread, or on the main thread for an interrupt heard
 * before the watcher's thread started; the pipeline stops its factories
 * there too (GCancellable is thread-safe), and the run returns on the
 * main thread. */
static void
on_interrupt (gpointer data)
{
  RunState *st = data;

  g_mutex_lock (&st->lock);
  if (st->over)
    {
      g_mutex_unlock (&st->lock);
      return;
    }
  clear_status (st);
  fflush (stdout);
  fprintf (stderr, "setl run: interrupted, cancelling…\n");
  g_mutex_unlock (&st->lock);
  g_cancellable_cancel (st->cancellable);
}

/* The rows each sink wrote: a sink's output is its row count. */
static void
print_rows (RunState           *st,
            SetlPluginRegistry *registry)
{
  GPtrArray *stages = setl_pipeline_get_stages (st->pipeline);

  for (guint s = 0; s < stages->len; s++)
    {
      GPtrArray *factories = setl_stage_get_factories (g_ptr_array_index (stages, s));

      for (guint i = 0; i < factories->len; i++)
        {
          SetlFactory *f = g_ptr_array_index (factories, i);
          const char *name = setl_factory_get_name (f);
          const char *kind = setl_cli_feature_kind (registry,
                                                    setl_pipeline_file_get_factory_feature (st->file, name));
          const GValue *out;

          if (g_strcmp0 (kind, "sink") != 0 || setl_factory_get_output_type (f) != G_TYPE_INT64)
            continue;
          out = setl_pipeline_get_output_by_name (st->pipeline, name, NULL);
          if (out != NULL && G_VALUE_HOLDS_INT64 (out))
            printf ("%s wrote %" G_GINT64_FORMAT " row%s\n", name, g_value_get_int64 (out),
                    g_value_get_int64 (out) == 1 ? "" : "s");
        }
    }
}

int
setl_cmd_run (int    argc,
              char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new ("FILE — run a pipeline file");
  g_auto(GStrv) params = NULL;
  g_autofree char *report_path = NULL;
  g_autofree char *progress = NULL;
  gboolean quiet = FALSE;
  g_autofree char *cache_dir = NULL;
  g_auto(GStrv) outputs = NULL;
  gboolean no_cache = FALSE;
  GOptionEntry entries[] = {
    { "param", 'p', 0, G_OPTION_ARG_STRING_ARRAY, &params,
      "Set a parameter (repeatable)", "NAME=VALUE" },
    { "report", 'r', 0, G_OPTION_ARG_FILENAME, &report_path,
      "Write the run report (JSON) to FILE, atomically, whether the run succeeds or not", "FILE" },
    { "progress", 0, 0, G_OPTION_ARG_STRING, &progress,
      "live (redrawn in place), plain (a line per event) or auto (live on a terminal; the default)",
      "MODE" },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, "Print only errors and the outcome", NULL },
    { "cache", 'c', 0, G_OPTION_ARG_FILENAME, &cache_dir,
      "Reuse and store results in the disk cache in DIR (overrides the file's \"cache\")", "DIR" },
    { "no-cache", 0, 0, G_OPTION_ARG_NONE, &no_cache, "Run without any cache", NULL },
    { "output", 'o', 0, G_OPTION_ARG_STRING_ARRAY, &outputs,
      "Run only what the factory NAME needs (repeatable)", "NAME" },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(SetlPluginRegistry) registry = NULL;
  g_autoptr(SetlPipelineFile) file = NULL;
  g_autoptr(SetlPipeline) pipeline = NULL;
  g_autoptr(GCancellable) cancellable = NULL;
  g_autoptr(GPtrArray) running = NULL;
  g_autofree char *took = NULL;
  g_autoptr(SetlRunWatcher) watcher = NULL;
  RunState st = { 0 };
  int status;

  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_set_summary (context,
    "Builds the pipeline from the installed plugins and runs it.\n"
    "Exit status: 0 if every factory succeeded, 1 if the file is invalid or the\n"
    "run failed, 2 on a usage error.");
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      fprintf (stderr, "setl run: %s\n", error->message);
      return 2;
    }
  if (argc != 2)
    {
      fprintf (stderr, "Usage: setl run FILE [--param NAME=VALUE]… [--report FILE.json]\n");
      return 2;
    }
  if (progress != NULL && !g_str_equal (progress, "auto") && !g_str_equal (progress, "live") &&
      !g_str_equal (progress, "plain"))
    {
      fprintf (stderr, "setl run: unknown progress mode “%s” (auto, live or plain)\n", progress);
      return 2;
    }

  if ((file = setl_cli_load (argv[1], params, &error)) == NULL ||
      (registry = setl_cli_open_registry (&error)) == NULL ||
      (pipeline = setl_pipeline_file_build (file, registry, &error)) == NULL ||
      !setl_cli_cache_apply (pipeline, registry, cache_dir, no_cache, outputs, &error))
    {
      fprintf (stderr, "setl run: %s\n", error->message);
      return 1;
    }

  cancellable = g_cancellable_new ();
  running = g_ptr_array_new ();
  g_mutex_init (&st.lock);
  st.file = file;
  st.pipeline = pipeline;
  st.cancellable = cancellable;
  st.running = running;
  st.quiet = quiet;
  st.live = progress == NULL || g_str_equal (progress, "auto") ? isatty (STDOUT_FILENO)
                                                               : g_str_equal (progress, "live");
  st.started = g_get_monotonic_time ();
  for (guint s = 0; s < setl_pipeline_get_stages (pipeline)->len; s++)
    st.total += setl_stage_get_factories (g_ptr_array_index (setl_pipeline_get_stages (pipeline), s))->len;

  if (!quiet)
    printf ("running pipeline “%s” (%s): %u factories in %u stages\n",
            setl_pipeline_file_get_name (file), argv[1], st.total,
            setl_pipeline_get_stages (pipeline)->len);
  fflush (stdout);

  g_signal_connect (pipeline, "factory-started", G_CALLBACK (on_factory_started), &st);
  g_signal_connect (pipeline, "factory-finished", G_CALLBACK (on_factory_finished), &st);
  g_signal_connect (pipeline, "progress", G_CALLBACK (on_progress), &st);
  watcher = setl_run_watcher_new (st.live && !quiet, on_tick, on_interrupt, &st, &error);
  if (watcher == NULL)
    {
      fprintf (stderr, "setl run: %s\n", error->message);
      return 1;
    }
  st.watcher = watcher;
  /* Its thread starts when a factory is first executed (not for a hit). */
  setl_pipeline_add_job_group_hook (pipeline, SETL_JOB_GROUP_HOOK (watcher));

  st.succeeded = setl_pipeline_run (pipeline, cancellable, &st.error);

  setl_run_watcher_stop (watcher);
  g_mutex_lock (&st.lock);
  st.over = TRUE;
  g_mutex_unlock (&st.lock);
  /* Interrupted is interrupted, even when nothing was left to cancel (a
   * run whose results were all cached): the same outcome whenever the
   * signal came. */
  if (setl_run_watcher_was_interrupted (watcher) && st.succeeded)
    {
      st.succeeded = FALSE;
      g_set_error (&st.error, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                   "interrupted before it was over");
    }
  g_signal_handlers_disconnect_by_data (pipeline, &st);
  g_mutex_lock (&st.lock);
  clear_status (&st);
  g_mutex_unlock (&st.lock);

  if (report_path != NULL)
    {
      g_autoptr(GError) report_error = NULL;
      SetlRunReport *report = setl_pipeline_get_report (pipeline);

      if (report == NULL)
        fprintf (stderr, "setl run: no run report to write to %s\n", report_path);
      else if (!setl_run_report_save (report, report_path, &report_error))
        {
          fprintf (stderr, "setl run: cannot write the report: %s\n", report_error->message);
          st.succeeded = FALSE;
        }
    }

  took = setl_cli_format_duration (g_get_monotonic_time () - st.started);
  if (st.succeeded)
    {
      if (!quiet)
        {
          print_rows (&st, registry);
          setl_cli_cache_summary (pipeline);
        }
      printf ("pipeline “%s” succeeded in %s\n", setl_pipeline_file_get_name (file), took);
      status = 0;
    }
  else
    {
      fprintf (stderr, "setl run: pipeline “%s” failed after %s: %s\n",
               setl_pipeline_file_get_name (file), took,
               st.error ? st.error->message : "the report could not be written");
      status = 1;
    }
  g_clear_error (&st.error);
  setl_run_watcher_join (watcher);
  g_mutex_clear (&st.lock);
  return status;
}
