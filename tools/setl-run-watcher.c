/* setl-run-watcher.c: SetlRunWatcher — how `setl run` hears Ctrl-C and
 * SIGTERM while the pipeline runs on the main thread, and ticks the live
 * line's clock.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "setl-run-watcher.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <glib-unix.h>

/**
 * SetlRunWatcher:
 *
 * The signal handler only writes the signal's number into a pipe (and
 * raises a flag), all a handler may safely do; whoever reads the pipe
 * calls `on_interrupt`, which cancels the run. (GLib's g_unix_signal_add()
 * works the same way, but through a thread of GLib's own and a main loop
 * to dispatch on.)
 *
 * Reading the pipe while a factory runs needs a thread of its own, the
 * watcher; creating it costs about 60 µs, a tenth of a run whose results
 * are all cached, where no factory runs at all. So the thread is started
 * only when a factory is first really executed: the watcher is one of the
 * pipeline's #SetlJobGroupHook, which are told just before a factory's
 * `read` phase and never for a cache hit. Until then, the main thread
 * hears an interrupt itself: setl_run_watcher_poll(), called from the
 * pipeline's signals (every factory start and finish, hits included), and
 * setl_run_watcher_stop() at the end of the run. An interrupt that arrives
 * before the thread starts is therefore never lost: it is in the pipe for
 * whichever reader comes first.
 *
 * The live line's clock ticks on the same thread, so it too starts with
 * the first executed factory: until then, every event redraws the line.
 */
struct _SetlRunWatcher
{
  GObject parent_instance;

  GMutex              lock;          /* guards thread, stopped, interrupted */
  GThread            *thread;
  gboolean            stopped;
  gboolean            interrupted;
  gboolean            tick;
  SetlRunWatcherFunc  on_tick;
  SetlRunWatcherFunc  on_interrupt;
  gpointer            data;
  struct sigaction    old_int;
  struct sigaction    old_term;
  sigset_t            old_mask;
  gboolean            installed;
};

static void setl_run_watcher_hook_init (SetlJobGroupHookInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SetlRunWatcher, setl_run_watcher, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (SETL_TYPE_JOB_GROUP_HOOK,
                                                      setl_run_watcher_hook_init))

/* The handler can reach nothing but globals: one watcher at a time. */
static int watcher_pipe[2] = { -1, -1 };
static volatile sig_atomic_t signal_pending;

static void
on_signal (int signo)
{
  int saved_errno = errno;
  char c = (char) signo;

  signal_pending = 1;
  if (write (watcher_pipe[1], &c, 1) < 0)
    {
      /* The pipe is full of interruptions nobody has read yet: this one
       * adds nothing. */
    }
  errno = saved_errno;
}

/* Reads what is in the pipe without waiting; TRUE if it held a signal.
 * Sets *stop when it held watcher_stop's 0 byte. */
static gboolean
drain (gboolean *stop)
{
  gboolean heard = FALSE;
  char buf[16];
  gssize n;

  while ((n = read (watcher_pipe[0], buf, sizeof buf)) > 0 ||
         (n < 0 && errno == EINTR))
    for (gssize i = 0; i < n; i++)
      {
        if (buf[i] == 0 && stop != NULL)
          *stop = TRUE;
        else if (buf[i] != 0)
          heard = TRUE;
      }
  return heard;
}

static void
interrupt (SetlRunWatcher *self)
{
  g_mutex_lock (&self->lock);
  self->interrupted = TRUE;
  g_mutex_unlock (&self->lock);
  self->on_interrupt (self->data);
}

static gpointer
watch (gpointer data)
{
  SetlRunWatcher *self = data;
  gboolean stop = FALSE;

  while (!stop)
    {
      struct pollfd pfd = { watcher_pipe[0], POLLIN, 0 };
      int n = poll (&pfd, 1, self->tick ? 100 : -1);

      if (n == 0)
        self->on_tick (self->data);
      else if (n < 0 && errno != EINTR)
        break;
      else if (n > 0 && drain (&stop))
        interrupt (self);
    }
  return NULL;
}

static void
start_thread (SetlRunWatcher *self)
{
  g_mutex_lock (&self->lock);
  if (self->thread == NULL && !self->stopped)
    self->thread = g_thread_new ("setl-run-watch", watch, self);
  g_mutex_unlock (&self->lock);
}

/* Before a factory's read phase, on the thread that runs it: it may take
 * long, and only the watcher's thread can hear Ctrl-C meanwhile. */
static void
setl_run_watcher_hook_set (SetlJobGroupHook *hook,
                           SetlJobGroup     *group)
{
  start_thread (SETL_RUN_WATCHER (hook));
}

static void
setl_run_watcher_hook_restore (SetlJobGroupHook *hook,
                               SetlJobGroup     *previous)
{
}

static void
setl_run_watcher_hook_init (SetlJobGroupHookInterface *iface)
{
  iface->set = setl_run_watcher_hook_set;
  iface->restore = setl_run_watcher_hook_restore;
}

static void
setl_run_watcher_finalize (GObject *object)
{
  SetlRunWatcher *self = SETL_RUN_WATCHER (object);

  setl_run_watcher_stop (self);
  setl_run_watcher_join (self);
  g_mutex_clear (&self->lock);
  G_OBJECT_CLASS (setl_run_watcher_parent_class)->finalize (object);
}

static void
setl_run_watcher_class_init (SetlRunWatcherClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = setl_run_watcher_finalize;
}

static void
setl_run_watcher_init (SetlRunWatcher *self)
{
  g_mutex_init (&self->lock);
}

/**
 * setl_run_watcher_new:
 * @tick: whether to call @on_tick every 100 ms once the thread runs
 * @on_tick: the clock's tick
 * @on_interrupt: called once per SIGINT or SIGTERM heard
 * @data: for both
 * @error: return location for a #GError
 *
 * Installs the handlers of SIGINT and SIGTERM (and unblocks them: a
 * parent may have left them blocked, and the mask survives exec — a
 * signal already pending is then heard at once). Starts no thread: add
 * the watcher to the pipeline with setl_pipeline_add_job_group_hook(), and
 * call setl_run_watcher_poll() from the pipeline's signals.
 *
 * Returns: (transfer full): the watcher, or %NULL if the pipe could not be
 *   made
 */
SetlRunWatcher *
setl_run_watcher_new (gboolean             tick,
                      SetlRunWatcherFunc   on_tick,
                      SetlRunWatcherFunc   on_interrupt,
                      gpointer             data,
                      GError             **error)
{
  g_autoptr(SetlRunWatcher) self = NULL;
  struct sigaction sa = { 0 };
  sigset_t mask;

  g_return_val_if_fail (watcher_pipe[0] < 0, NULL);
  g_return_val_if_fail (on_tick != NULL && on_interrupt != NULL, NULL);

  if (!g_unix_open_pipe (watcher_pipe, FD_CLOEXEC, error))
    return NULL;
  self = g_object_new (SETL_TYPE_RUN_WATCHER, NULL);
  self->tick = tick;
  self->on_tick = on_tick;
  self->on_interrupt = on_interrupt;
  self->data = data;
  /* Both ends: the handler must never block, and the main thread reads
   * what is there without waiting. */
  if (!g_unix_set_fd_nonblocking (watcher_pipe[1], TRUE, error) ||
      !g_unix_set_fd_nonblocking (watcher_pipe[0], TRUE, error))
    return NULL;

  signal_pending = 0;
  sa.sa_handler = on_signal;
  sigemptyset (&sa.sa_mask);
  sa.sa_flags = SA_RESTART;
  sigaction (SIGINT, &sa, &self->old_int);
  sigaction (SIGTERM, &sa, &self->old_term);
  sigemptyset (&mask);
  sigaddset (&mask, SIGINT);
  sigaddset (&mask, SIGTERM);
  pthread_sigmask (SIG_UNBLOCK, &mask, &self->old_mask);
  self->installed = TRUE;
  return g_steal_pointer (&self);
}

/**
 * setl_run_watcher_poll:
 * @self: a #SetlRunWatcher
 *
 * Hears an interrupt that arrived while the thread is not running yet.
 * Costs a load when there is none: call it as often as convenient.
 */
void
setl_run_watcher_poll (SetlRunWatcher *self)
{
  gboolean heard = FALSE;

  if (G_LIKELY (!signal_pending))
    return;
  g_mutex_lock (&self->lock);
  /* Once the thread runs, the pipe is its own. */
  if (self->thread == NULL && !self->stopped)
    {
      signal_pending = 0;
      heard = drain (NULL);
    }
  g_mutex_unlock (&self->lock);
  if (heard)
    interrupt (self);
}

/**
 * setl_run_watcher_stop:
 * @self: a #SetlRunWatcher
 *
 * After the run: the signals' previous handlers and mask are back (Ctrl-C
 * kills the process again); an interrupt still unheard — one that came
 * while no factory was executed — is heard now. The thread, if any, goes
 * on until setl_run_watcher_join().
 */
void
setl_run_watcher_stop (SetlRunWatcher *self)
{
  gboolean heard = FALSE;

  g_return_if_fail (SETL_IS_RUN_WATCHER (self));

  if (self->installed)
    {
      sigaction (SIGINT, &self->old_int, NULL);
      sigaction (SIGTERM, &self->old_term, NULL);
      pthread_sigmask (SIG_SETMASK, &self->old_mask, NULL);
      self->installed = FALSE;
    }
  g_mutex_lock (&self->lock);
  if (self->thread == NULL && !self->stopped)
    heard = drain (NULL);
  self->stopped = TRUE;
  g_mutex_unlock (&self->lock);
  if (heard)
    interrupt (self);
}

/**
 * setl_run_watcher_join:
 * @self: a #SetlRunWatcher, stopped
 *
 * Tells the thread, if one was started, to end, waits for it, and closes
 * the pipe.
 */
void
setl_run_watcher_join (SetlRunWatcher *self)
{
  GThread *thread;
  char stop = 0;

  g_return_if_fail (SETL_IS_RUN_WATCHER (self));

  g_mutex_lock (&self->lock);
  self->stopped = TRUE;
  thread = g_steal_pointer (&self->thread);
  g_mutex_unlock (&self->lock);
  if (thread != NULL)
    {
      /* The watcher empties the pipe as it goes: it has room soon. */
      while (write (watcher_pipe[1], &stop, 1) != 1)
        g_usleep (1000);
      g_thread_join (thread);
    }
  if (watcher_pipe[0] >= 0)
    {
      close (watcher_pipe[0]);
      close (watcher_pipe[1]);
      watcher_pipe[0] = watcher_pipe[1] = -1;
    }
}

/**
 * setl_run_watcher_was_interrupted:
 * @self: a #SetlRunWatcher
 *
 * Returns: whether a SIGINT or SIGTERM was heard
 */
gboolean
setl_run_watcher_was_interrupted (SetlRunWatcher *self)
{
  gboolean interrupted;

  g_return_val_if_fail (SETL_IS_RUN_WATCHER (self), FALSE);

  g_mutex_lock (&self->lock);
  interrupted = self->interrupted;
  g_mutex_unlock (&self->lock);
  return interrupted;
}
