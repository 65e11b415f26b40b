/* setl-cache-stream.c: a cached table, loaded from its policy when first read.
 *
 * A factory reused from the cache delivers one of these rather than its
 * table, so that a cached result nobody reads — a source whose consumers
 * were cached too — is never loaded from a disk cache at all. It stands
 * for a #SetlTable wherever a #SetlBatchStream is expected; the first call
 * to get_fields() or open() opens the entry (setl_cache_policy_open_stream():
 * a disk cache checks it and then reads it batch by batch, as the
 * consumers pull, so that a large cached result is never held whole; a
 * memory cache hands its table over).
 *
 * A disk cache checks an entry's checksums when it opens it, before any
 * batch is handed on, so a damaged entry is found only then, after the
 * factory was reported reused. The
 * stream then drops the entry and runs the factory after all (its inputs
 * are still in its slots), so that the consumer reads a recomputed result
 * rather than failing. The factory's result keeps its status (it was
 * reported reused already); its cache information says what happened.
 * Once the run is over its slots are reset: a stream first read then
 * cannot recompute, and fails with an error that says so.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "setl-cache-private.h"

struct _SetlCacheStream
{
  GObject parent_instance;

  SetlCachePolicy *policy;
  SetlCacheEntry *entry;
  GMutex lock;           /* consumers of one stage may read it in parallel */
  SetlBatchStream *stream;  /* once loaded (a table) or recomputed */
  GError *error;         /* once both failed: every later read fails alike */

  /* To run the factory again when the entry cannot be loaded. */
  SetlFactory *factory;
  SetlJobGroup *group;
  gboolean stage_writable;
  GPtrArray *hooks;
  SetlFactoryResult *result;
  GPtrArray *filled;     /* of SetlDelivery: the slots that held a payload */
};

static void setl_cache_stream_iface_init (SetlBatchStreamInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SetlCacheStream, _setl_cache_stream, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (SETL_TYPE_BATCH_STREAM,
                                                      setl_cache_stream_iface_init))

static void
setl_cache_stream_finalize (GObject *object)
{
  SetlCacheStream *self = (SetlCacheStream *) object;

  g_clear_object (&self->policy);
  g_clear_object (&self->entry);
  g_clear_object (&self->stream);
  g_clear_error (&self->error);
  g_clear_object (&self->factory);
  g_clear_pointer (&self->group, setl_job_group_unref);
  g_clear_pointer (&self->hooks, g_ptr_array_unref);
  g_clear_object (&self->result);
  g_clear_pointer (&self->filled, g_ptr_array_unref);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (_setl_cache_stream_parent_class)->finalize (object);
}

static void
_setl_cache_stream_class_init (SetlCacheStreamClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = setl_cache_stream_finalize;
}

static void
_setl_cache_stream_init (SetlCacheStream *self)
{
  g_mutex_init (&self->lock);
}

/* Runs the factory after all: its entry could not be loaded. */
static SetlBatchStream *
recompute (SetlCacheStream  *self,
           GCancellable     *cancellable,
           GError          **error)
{
  g_autoptr(SetlDeliverable) deliverable = NULL;
  g_autoptr(SetlFactoryResult) scratch = NULL;
  const GValue *output;

  /* The factory's own result was reported (reused) and may be read by a
   * signal handler on another thread now: this run has its own. */
  scratch = _setl_factory_result_new (setl_factory_get_name (self->factory),
                                      G_OBJECT_TYPE (self->factory),
                                      setl_factory_result_get_stage (self->result), self->group);
  deliverable = _setl_factory_run (self->factory, self->group, self->stage_writable,
                                   self->hooks, cancellable, scratch);
  if (deliverable == NULL)
    {
      g_propagate_error (error, g_error_copy (setl_factory_result_get_error (scratch)));
      return NULL;
    }
  _setl_cache_note_recomputed (self->result);
  output = setl_deliverable_get_payload (deliverable);
  if (output == NULL || !G_VALUE_HOLDS_OBJECT (output) ||
      !SETL_IS_BATCH_STREAM (g_value_get_object (output)))
    {
      g_set_error (error, SETL_PIPELINE_ERROR, SETL_PIPELINE_ERROR_INVALID_PAYLOAD,
                   "Factory “%s” delivered no stream when run again",
                   setl_factory_get_name (self->factory));
      return NULL;
    }
  return g_value_dup_object (output);
}

/* Whether every slot that held a payload when the factory was reused still
 * does: the pipeline resets them once its run is over. */
static gboolean
inputs_present (SetlCacheStream *self)
{
  for (guint i = 0; self->filled != NULL && i < self->filled->len; i++)
    if (!setl_delivery_has_value (g_ptr_array_index (self->filled, i)))
      return FALSE;
  return TRUE;
}

static SetlBatchStream *
ensure_loaded (SetlCacheStream  *self,
               GCancellable     *cancellable,
               GError          **error)
{
  SetlBatchStream *stream;

  g_mutex_lock (&self->lock);
  if (self->stream == NULL && self->error == NULL)
    {
      GError *local = NULL;

      self->stream = setl_cache_policy_open_stream (self->policy, self->entry, cancellable, &local);
      if (self->stream != NULL)
        {
          /* A policy without a streaming read loaded the table into the
           * entry: its copy would keep a second reference for nothing. */
          setl_cache_entry_set_payload (self->entry, NULL);
        }
      else if (self->factory != NULL && !g_cancellable_is_cancelled (cancellable) &&
               !inputs_present (self))
        {
          /* The run that reused the factory has finished and reset its
           * input slots: running it now would fail on an empty slot with a
           * message about the input rather than the damaged entry. */
          g_prefix_error (&local, "Cached result of “%s” cannot be read, and factory "
                          "“%s” cannot be run again since its pipeline run has finished "
                          "(its inputs are gone): ",
                          setl_cache_key_get_subject (setl_cache_entry_get_key (self->entry)),
                          setl_factory_get_name (self->factory));
          setl_cache_policy_remove (self->policy,
                                    setl_cache_key_get_digest (setl_cache_entry_get_key (self->entry)),
                                    NULL);
          self->error = local;
        }
      else if (self->factory != NULL && !g_cancellable_is_cancelled (cancellable))
        {
          SetlCacheKey *key = setl_cache_entry_get_key (self->entry);

          setl_log (G_LOG_DOMAIN, G_LOG_LEVEL_WARNING,
                    "Factory “%s”: its cached result cannot be read (%s); running it again",
                    setl_factory_get_name (self->factory), local->message);
          g_clear_error (&local);
          setl_cache_policy_remove (self->policy, setl_cache_key_get_digest (key), NULL);
          self->stream = recompute (self, cancellable, &local);
          if (self->stream == NULL)
            self->error = local;
        }
      else
        {
          g_prefix_error (&local, "Cached result of “%s” cannot be read: ",
                          setl_cache_key_get_subject (setl_cache_entry_get_key (self->entry)));
          self->error = local;
        }
    }
  stream = self->stream;
  if (stream == NULL && error != NULL)
    *error = g_error_copy (self->error);
  g_mutex_unlock (&self->lock);
  return stream;
}

static SetlField **
setl_cache_stream_get_fields (SetlBatchStream *stream,
                              guint           *n_fields)
{
  g_autoptr(GError) error = NULL;
  SetlBatchStream *loaded = ensure_loaded ((SetlCacheStream *) stream, NULL, &error);

  if (loaded == NULL)
    {
      /* get_fields() cannot fail: the failure shows when the stream is
       * opened. */
      g_warning ("%s", error->message);
      *n_fields = 0;
      return NULL;
    }
  return setl_batch_stream_get_fields (loaded, n_fields);
}

static SetlBatchIterator *
setl_cache_stream_open (SetlBatchStream  *stream,
                        GCancellable     *cancellable,
                        GError          **error)
{
  SetlBatchStream *loaded = ensure_loaded ((SetlCacheStream *) stream, cancellable, error);

  if (loaded == NULL)
    return NULL;
  return setl_batch_stream_open (loaded, cancellable, error);
}

static void
setl_cache_stream_iface_init (SetlBatchStreamInterface *iface)
{
  iface->get_fields = setl_cache_stream_get_fields;
  iface->open = setl_cache_stream_open;
}

SetlCacheStream *
_setl_cache_stream_new (SetlCachePolicy *policy,
                        SetlCacheEntry  *entry)
{
  SetlCacheStream *self = g_object_new (_setl_cache_stream_get_type (), NULL);

  self->policy = g_object_ref (policy);
  self->entry = g_object_ref (entry);
  return self;
}

/* What to run when the entry cannot be loaded: @factory, as the pipeline
 * would have run it. */
void
_setl_cache_stream_set_fallback (SetlCacheStream   *self,
                                 SetlFactory       *factory,
                                 SetlJobGroup      *group,
                                 gboolean           stage_writable,
                                 GPtrArray         *hooks,
                                 SetlFactoryResult *result)
{
  GPtrArray *deliveries;

  g_set_object (&self->factory, factory);
  self->group = setl_job_group_ref (group);
  self->stage_writable = stage_writable;
  self->hooks = hooks ? g_ptr_array_ref (hooks) : NULL;
  g_set_object (&self->result, result);
  g_clear_pointer (&self->filled, g_ptr_array_unref);
  self->filled = g_ptr_array_new_with_free_func (g_object_unref);
  deliveries = setl_factory_get_deliveries (factory);
  for (guint i = 0; deliveries != NULL && i < deliveries->len; i++)
    if (setl_delivery_has_value (g_ptr_array_index (deliveries, i)))
      g_ptr_array_add (self->filled, g_object_ref (g_ptr_array_index (deliveries, i)));
}
