/* setl-dispatcher.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/**
 * SetlDispatcher:
 *
 * Holds the deliverables available to a pipeline — external inputs and the
 * outputs of the stages run so far — and fills factories' input slots from
 * them.
 *
 * For a slot, the candidates are the deliverables of the slot's payload type
 * and delivery id. Among them, following PySetl's dispatcher:
 *
 * 1. if the slot names a producer, only that producer's deliverables count;
 * 2. deliverables reserved for other consumers do not count — if that leaves
 *    none, the error says the deliverable is reserved for someone else;
 * 3. a single remaining candidate is the answer;
 * 4. among several, a slot without a named producer prefers the external
 *    input, then the one deliverable that names this consumer;
 * 5. otherwise the slot is ambiguous, and the error lists the candidates.
 *
 * The #SetlInspector applies the same rules to the outputs it expects, so a
 * pipeline that passes inspection dispatches exactly as inspected.
 */
#include "setl-dispatcher.h"
#include "setl-error.h"
#include "setl-external.h"
#include "setl-private.h"

struct _SetlDispatcher
{
  GObject parent_instance;

  GPtrArray *deliverables;
  GHashTable *members;      /* the same deliverables, to refuse one twice in O(1) */
};

G_DEFINE_FINAL_TYPE (SetlDispatcher, setl_dispatcher, G_TYPE_OBJECT)

static void
setl_dispatcher_finalize (GObject *object)
{
  SetlDispatcher *self = SETL_DISPATCHER (object);

  g_ptr_array_unref (self->deliverables);
  g_hash_table_unref (self->members);

  G_OBJECT_CLASS (setl_dispatcher_parent_class)->finalize (object);
}

static void
setl_dispatcher_class_init (SetlDispatcherClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = setl_dispatcher_finalize;
}

static void
setl_dispatcher_init (SetlDispatcher *self)
{
  self->deliverables = g_ptr_array_new_with_free_func (g_object_unref);
  self->members = g_hash_table_new (NULL, NULL);
}

char *
_setl_describe_slot (const char   *consumer_name,
                     SetlDelivery *slot)
{
  const char *id = setl_delivery_get_delivery_id (slot);
  GString *s = g_string_new (NULL);

  g_string_append_printf (s, "factory “%s” input “%s” (%s", consumer_name,
                          setl_delivery_get_name (slot),
                          g_type_name (setl_delivery_get_payload_type (slot)));
  if (*id)
    g_string_append_printf (s, ", delivery id “%s”", id);
  if (setl_delivery_has_producer (slot))
    g_string_append_printf (s, ", from %s", g_type_name (setl_delivery_get_producer (slot)));
  g_string_append_c (s, ')');
  return g_string_free (s, FALSE);
}

static gboolean
candidate_accepts (const SetlCandidate *c,
                   GType                consumer)
{
  if (c->n_consumers == 0)
    return TRUE;
  for (guint i = 0; i < c->n_consumers; i++)
    if (c->consumers[i] == consumer)
      return TRUE;
  return FALSE;
}

static gboolean
candidate_names (const SetlCandidate *c,
                 GType                consumer)
{
  return c->n_consumers > 0 && candidate_accepts (c, consumer);
}

gpointer
_setl_select_candidate (const SetlCandidate *candidates,
                        guint                n_candidates,
                        const char          *consumer_name,
                        GType                consumer_type,
                        SetlDelivery        *slot,
                        GError             **error)
{
  GType wanted = setl_delivery_get_producer (slot);
  g_autofree const SetlCandidate **kept = g_new (const SetlCandidate *, n_candidates + 1);
  const SetlCandidate *chosen = NULL;
  guint n_kept = 0, n_reserved = 0, n_match;
  g_autofree char *what = NULL;
  GString *list;

  for (guint i = 0; i < n_candidates; i++)
    {
      const SetlCandidate *c = &candidates[i];

      if (wanted != SETL_TYPE_EXTERNAL && c->producer != wanted)
        continue;
      if (!candidate_accepts (c, consumer_type))
        {
          n_reserved++;
          continue;
        }
      kept[n_kept++] = c;
    }

  if (n_kept == 1)
    return kept[0]->data;

  if (n_kept == 0)
    {
      if (n_reserved > 0)
        {
          what = _setl_describe_slot (consumer_name, slot);
          g_set_error (error, SETL_PIPELINE_ERROR, SETL_PIPELINE_ERROR_CONSUMER_MISMATCH,
                       "Cannot deliver to %s: every matching deliverable is reserved "
                       "for other consumers than %s",
                       what, g_type_name (consumer_type));
        }
      return NULL;
    }

  /* Several: an unnamed producer prefers the external input… */
  if (wanted == SETL_TYPE_EXTERNAL)
    {
      n_match = 0;
      for (guint i = 0; i < n_kept; i++)
        if (kept[i]->producer == SETL_TYPE_EXTERNAL)
          {
            chosen = kept[i];
            n_match++;
          }
      if (n_match == 1)
        return chosen->data;
    }

  /* …then the one deliverable that names this consumer. */
  n_match = 0;
  for (guint i = 0; i < n_kept; i++)
    if (candidate_names (kept[i], consumer_type))
      {
        chosen = kept[i];
        n_match++;
      }
  if (n_match == 1)
    return chosen->data;

  what = _setl_describe_slot (consumer_name, slot);
  list = g_string_new (NULL);
  for (guint i = 0; i < n_kept; i++)
    g_string_append_printf (list, "%s%s", i ? ", " : "", kept[i]->label);
  g_set_error (error, SETL_PIPELINE_ERROR, SETL_PIPELINE_ERROR_AMBIGUOUS_DELIVERY,
               "Ambiguous delivery for %s: %u candidates of the same type, delivery id "
               "and producer (%s); name the producer in the slot, give the outputs "
               "distinct delivery ids, or reserve them for their consumers",
               what, n_kept, list->str);
  g_string_free (list, TRUE);
  return NULL;
}

/**
 * setl_dispatcher_new:
 *
 * Returns: (transfer full): an empty dispatcher
 */
SetlDispatcher *
setl_dispatcher_new (void)
{
  return g_object_new (SETL_TYPE_DISPATCHER, NULL);
}

/**
 * setl_dispatcher_add_deliverable:
 * @self: a #SetlDispatcher
 * @deliverable: (transfer none): a deliverable to make available
 *
 * Adding the same deliverable twice is a programmer error, as in PySetl:
 * the copy would make every slot of its type ambiguous with itself.
 */
void
setl_dispatcher_add_deliverable (SetlDispatcher  *self,
                                 SetlDeliverable *deliverable)
{
  g_return_if_fail (SETL_IS_DISPATCHER (self));
  g_return_if_fail (SETL_IS_DELIVERABLE (deliverable));
  /* A linear search here made a run quadratic in its number of factories. */
  g_return_if_fail (!g_hash_table_contains (self->members, deliverable));

  g_hash_table_add (self->members, deliverable);
  g_ptr_array_add (self->deliverables, g_object_ref (deliverable));
}

/**
 * setl_dispatcher_get_deliverables:
 * @self: a #SetlDispatcher
 *
 * Returns: (transfer none) (element-type SetlDeliverable): every deliverable,
 *   in the order added
 */
GPtrArray *
setl_dispatcher_get_deliverables (SetlDispatcher *self)
{
  g_return_val_if_fail (SETL_IS_DISPATCHER (self), NULL);
  return self->deliverables;
}

/**
 * setl_dispatcher_find:
 * @self: a #SetlDispatcher
 * @payload_type: the payload type, or %G_TYPE_INVALID for any
 * @delivery_id: (nullable): the delivery id, or %NULL for any
 * @producer: the producer type, or %G_TYPE_INVALID for any
 *
 * Returns: (transfer container) (element-type SetlDeliverable): the matching
 *   deliverables, in the order added
 */
GPtrArray *
setl_dispatcher_find (SetlDispatcher *self,
                      GType           payload_type,
                      const char     *delivery_id,
                      GType           producer)
{
  GPtrArray *found = g_ptr_array_new_with_free_func (g_object_unref);

  g_return_val_if_fail (SETL_IS_DISPATCHER (self), found);

  for (guint i = 0; i < self->deliverables->len; i++)
    {
      SetlDeliverable *d = g_ptr_array_index (self->deliverables, i);

      if (payload_type != G_TYPE_INVALID && setl_deliverable_get_payload_type (d) != payload_type)
        continue;
      if (delivery_id != NULL && !g_str_equal (setl_deliverable_get_delivery_id (d), delivery_id))
        continue;
      if (producer != G_TYPE_INVALID && setl_deliverable_get_producer (d) != producer)
        continue;
      g_ptr_array_add (found, g_object_ref (d));
    }
  return found;
}

/**
 * setl_dispatcher_select:
 * @self: a #SetlDispatcher
 * @consumer: the factory the slot belongs to
 * @slot: the slot to fill
 * @error: return location for a #GError
 *
 * Finds the deliverable for @slot by the rules in the class description.
 * When none matches, returns %NULL and sets
 * %SETL_PIPELINE_ERROR_MISSING_DELIVERY — unless the slot is optional, in
 * which case it returns %NULL without an error.
 *
 * Returns: (transfer none) (nullable): the deliverable
 */
SetlDeliverable *
setl_dispatcher_select (SetlDispatcher  *self,
                        SetlFactory     *consumer,
                        SetlDelivery    *slot,
                        GError         **error)
{
  g_autoptr(GArray) candidates = NULL;
  g_autoptr(GPtrArray) labels = NULL;
  SetlDeliverable *chosen;
  GError *local = NULL;
  const char *name;

  g_return_val_if_fail (SETL_IS_DISPATCHER (self), NULL);
  g_return_val_if_fail (SETL_IS_FACTORY (consumer), NULL);
  g_return_val_if_fail (SETL_IS_DELIVERY (slot), NULL);

  name = setl_factory_get_name (consumer);
  candidates = g_array_new (FALSE, FALSE, sizeof (SetlCandidate));
  labels = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < self->deliverables->len; i++)
    {
      SetlDeliverable *d = g_ptr_array_index (self->deliverables, i);
      SetlCandidate c;
      char *label;

      if (setl_deliverable_get_payload_type (d) != setl_delivery_get_payload_type (slot) ||
          !g_str_equal (setl_deliverable_get_delivery_id (d), setl_delivery_get_delivery_id (slot)))
        continue;
      c.producer = setl_deliverable_get_producer (d);
      c.consumers = setl_deliverable_get_consumers (d, &c.n_consumers);
      label = setl_deliverable_is_external (d)
              ? g_strdup ("an external input")
              : g_strdup_printf ("the output of %s", g_type_name (c.producer));
      g_ptr_array_add (labels, label);
      c.label = label;
      c.data = d;
      g_array_append_val (candidates, c);
    }

  chosen = _setl_select_candidate ((const SetlCandidate *) candidates->data, candidates->len,
                                   name, G_OBJECT_TYPE (consumer), slot, &local);
  if (local != NULL)
    {
      g_propagate_error (error, local);
      return NULL;
    }
  if (chosen == NULL && !setl_delivery_get_optional (slot))
    {
      g_autofree char *what = _setl_describe_slot (name, slot);

      g_set_error (error, SETL_PIPELINE_ERROR, SETL_PIPELINE_ERROR_MISSING_DELIVERY,
                   "No deliverable for %s", what);
    }
  return chosen;
}

/**
 * setl_dispatcher_dispatch:
 * @self: a #SetlDispatcher
 * @consumer: a factory
 * @error: return location for a #GError
 *
 * Fills every input slot of @consumer. Optional slots without a match are
 * emptied.
 *
 * Returns: %TRUE if every required slot was filled
 */
gboolean
setl_dispatcher_dispatch (SetlDispatcher  *self,
                          SetlFactory     *consumer,
                          GError         **error)
{
  GPtrArray *slots;

  g_return_val_if_fail (SETL_IS_DISPATCHER (self), FALSE);
  g_return_val_if_fail (SETL_IS_FACTORY (consumer), FALSE);

  slots = setl_factory_get_deliveries (consumer);
  for (guint i = 0; i < slots->len; i++)
    {
      SetlDelivery *slot = g_ptr_array_index (slots, i);
      SetlDeliverable *d;
      GError *local = NULL;

      d = setl_dispatcher_select (self, consumer, slot, &local);
      if (local != NULL)
        {
          g_propagate_error (error, local);
          return FALSE;
        }
      if (d != NULL)
        setl_delivery_set_value (slot, setl_deliverable_get_payload (d));
      else
        setl_delivery_reset (slot);
    }
  return TRUE;
}

/**
 * setl_dispatcher_collect_factory:
 * @self: a #SetlDispatcher
 * @factory: a factory that has run
 * @error: return location for a #GError
 *
 * Fetches @factory's output with setl_factory_get() and adds it as a
 * deliverable produced by @factory's type, with its delivery id and
 * consumers.
 *
 * Returns: %TRUE on success
 */
gboolean
setl_dispatcher_collect_factory (SetlDispatcher  *self,
                                 SetlFactory     *factory,
                                 GError         **error)
{
  g_auto(GValue) output = G_VALUE_INIT;
  g_autoptr(SetlDeliverable) d = NULL;
  const GType *consumers;
  guint n;

  g_return_val_if_fail (SETL_IS_DISPATCHER (self), FALSE);
  g_return_val_if_fail (SETL_IS_FACTORY (factory), FALSE);

  if (!setl_factory_get (factory, &output, error))
    return FALSE;
  d = setl_deliverable_new (&output, G_OBJECT_TYPE (factory), setl_factory_get_delivery_id (factory));
  consumers = setl_factory_get_consumers (factory, &n);
  for (guint i = 0; i < n; i++)
    setl_deliverable_add_consumer (d, consumers[i]);
  setl_dispatcher_add_deliverable (self, d);
  return TRUE;
}

/**
 * setl_dispatcher_clear:
 * @self: a #SetlDispatcher
 *
 * Drops every deliverable.
 */
void
setl_dispatcher_clear (SetlDispatcher *self)
{
  g_return_if_fail (SETL_IS_DISPATCHER (self));
  g_hash_table_remove_all (self->members);
  g_ptr_array_set_size (self->deliverables, 0);
}
