/* setl-run-watcher.h: how `setl run` hears Ctrl-C and SIGTERM, and ticks
 * the live line's clock.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <setl/setl.h>

G_BEGIN_DECLS

#define SETL_TYPE_RUN_WATCHER (setl_run_watcher_get_type ())
G_DECLARE_FINAL_TYPE (SetlRunWatcher, setl_run_watcher, SETL, RUN_WATCHER, GObject)

/* Called on the watcher's thread, or on the thread that calls
 * setl_run_watcher_poll() or setl_run_watcher_stop(). */
typedef void (*SetlRunWatcherFunc) (gpointer data);

SetlRunWatcher *setl_run_watcher_new              (gboolean             tick,
                                                   SetlRunWatcherFunc   on_tick,
                                                   SetlRunWatcherFunc   on_interrupt,
                                                   gpointer             data,
                                                   GError             **error);
void            setl_run_watcher_poll             (SetlRunWatcher      *self);
void            setl_run_watcher_stop             (SetlRunWatcher      *self);
void            setl_run_watcher_join             (SetlRunWatcher      *self);
gboolean        setl_run_watcher_was_interrupted  (SetlRunWatcher      *self);

G_END_DECLS
