/* setl-inspector.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/**
 * SetlInspector:
 *
 * Builds the DAG of a #SetlPipeline — one #SetlNode per factory and per
 * external input, one #SetlFlow per filled input slot — and refuses a
 * pipeline that could not run, before anything runs:
 *
 * - a required slot that no factory of an earlier stage and no external
 *   input fills (%SETL_PIPELINE_ERROR_MISSING_DELIVERY), with a hint when a
 *   later stage produces it;
 * - a slot that several outputs could fill (%SETL_PIPELINE_ERROR_AMBIGUOUS_DELIVERY);
 * - factories that need each other (%SETL_PIPELINE_ERROR_CYCLE).
 *
 * Slots are resolved with the #SetlDispatcher's rules, so the DAG is exactly
 * what will be dispatched. Every error names the consumer factory and slot.
 *
 * The DAG can be described as text (PySetl's pipeline summary) or drawn as
 * Mermaid or Graphviz DOT.
 */
#include "setl-inspector.h"
#include "setl-condition-private.h"
#include "setl-error.h"
#include "setl-external.h"
#include "setl-pipeline.h"
#include "setl-private.h"

#include <string.h>

struct _SetlInspector
{
  GObject parent_instance;

  SetlPipeline *pipeline;   /* weak: the pipeline owns its inspector */
  GPtrArray *nodes;         /* of SetlNode: factories in stage order, then externals */
  GPtrArray *labels;        /* of char*, parallel to nodes; NULL until needed */
  GPtrArray *flows;         /* of SetlFlow */
  GHashTable *by_factory;   /* SetlFactory* → SetlNode* */

  /* Nodes by what they offer. keys has one OutputKey per node, parallel to
   * nodes, pointing at the node's own delivery id; by_output maps a key to
   * the index of the first node offering it, and next chains the others in
   * stage order (indices plus one, 0 ends). last is the tail of a chain,
   * kept at its head. One hash entry per distinct output and no allocation
   * per node: a list and a key per node were a quarter of an inspection. */
  GArray *keys;             /* of OutputKey */
  GArray *next;             /* of guint */
  GArray *last;             /* of guint */
  GHashTable *by_output;    /* OutputKey* → guint, first node's index plus one */

  /* What every slot resolved to, all in one array: factory node i's slots
   * are resolved_slots[resolved_at[i].first …], resolved_at[i].n of them. */
  GArray *resolved_slots;   /* of SetlResolvedSlot */
  GArray *resolved_at;      /* of ResolvedRange, parallel to nodes */
};

typedef struct
{
  guint first;
  guint n;
} ResolvedRange;

G_DEFINE_FINAL_TYPE (SetlInspector, setl_inspector, G_TYPE_OBJECT)

static void
clear_graph (SetlInspector *self)
{
  /* by_output's keys point into the nodes: empty it first. */
  g_hash_table_remove_all (self->by_output);
  g_array_set_size (self->keys, 0);
  g_array_set_size (self->next, 0);
  g_array_set_size (self->last, 0);
  g_array_set_size (self->resolved_slots, 0);
  g_array_set_size (self->resolved_at, 0);
  g_ptr_array_set_size (self->flows, 0);
  g_ptr_array_set_size (self->labels, 0);
  g_ptr_array_set_size (self->nodes, 0);
  g_hash_table_remove_all (self->by_factory);
}

static void
setl_inspector_finalize (GObject *object)
{
  SetlInspector *self = SETL_INSPECTOR (object);

  g_hash_table_unref (self->by_output);
  g_array_unref (self->keys);
  g_array_unref (self->next);
  g_array_unref (self->last);
  g_array_unref (self->resolved_slots);
  g_array_unref (self->resolved_at);
  g_ptr_array_unref (self->flows);
  g_ptr_array_unref (self->labels);
  g_ptr_array_unref (self->nodes);
  g_hash_table_unref (self->by_factory);

  G_OBJECT_CLASS (setl_inspector_parent_class)->finalize (object);
}

static void
setl_inspector_class_init (SetlInspectorClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = setl_inspector_finalize;
}

/* What a slot asks for and a node offers: payload type and delivery id.
 * Keys stored in by_output point at their node's delivery id; lookups use a
 * key on the stack that points at the slot's id. Formatting a string key
 * for every node and slot was a third of an inspection's time. */
typedef struct
{
  GType type;
  const char *id;
} OutputKey;

static guint
output_key_hash (gconstpointer data)
{
  const OutputKey *key = data;

  return g_str_hash (key->id) ^ (guint) (key->type * 0x9E3779B1u);
}

static gboolean
output_key_equal (gconstpointer a,
                  gconstpointer b)
{
  const OutputKey *x = a, *y = b;

  return x->type == y->type && g_str_equal (x->id, y->id);
}


static void
setl_inspector_init (SetlInspector *self)
{
  self->nodes = g_ptr_array_new_with_free_func (g_object_unref);
  self->labels = g_ptr_array_new_with_free_func (g_free);
  self->flows = g_ptr_array_new_with_free_func (g_object_unref);
  self->by_factory = g_hash_table_new (NULL, NULL);
  self->keys = g_array_new (FALSE, FALSE, sizeof (OutputKey));
  self->next = g_array_new (FALSE, FALSE, sizeof (guint));
  self->last = g_array_new (FALSE, FALSE, sizeof (guint));
  self->by_output = g_hash_table_new (output_key_hash, output_key_equal);
  self->resolved_slots = g_array_new (FALSE, FALSE, sizeof (SetlResolvedSlot));
  self->resolved_at = g_array_new (FALSE, TRUE, sizeof (ResolvedRange));
}

/**
 * setl_inspector_new:
 * @pipeline: the pipeline to inspect
 *
 * Creates an inspector for @pipeline; call setl_inspector_inspect() to build
 * the DAG. The inspector does not keep @pipeline alive.
 *
 * Returns: (transfer full): a new inspector
 */
SetlInspector *
setl_inspector_new (SetlPipeline *pipeline)
{
  SetlInspector *self;

  g_return_val_if_fail (SETL_IS_PIPELINE (pipeline), NULL);

  self = g_object_new (SETL_TYPE_INSPECTOR, NULL);
  self->pipeline = pipeline;
  return self;
}

/* @self->keys must have room for every node of the inspection
 * (reserved in setl_inspector_inspect()): by_output points into it. */
static void
add_node (SetlInspector *self,
          SetlNode      *node)
{
  guint index = self->nodes->len, zero = 0, head;
  OutputKey key = { setl_node_get_output_type (node), setl_node_get_delivery_id (node) };

  g_assert (index < self->keys->len);
  g_array_index (self->keys, OutputKey, index) = key;
  g_array_append_val (self->next, zero);
  g_array_append_val (self->last, zero);

  head = GPOINTER_TO_UINT (g_hash_table_lookup (self->by_output, &key));
  if (head == 0)
    {
      g_hash_table_insert (self->by_output, &g_array_index (self->keys, OutputKey, index),
                           GUINT_TO_POINTER (index + 1));
      g_array_index (self->last, guint, index) = index + 1;
    }
  else
    {
      guint tail = g_array_index (self->last, guint, head - 1);

      g_array_index (self->next, guint, tail - 1) = index + 1;
      g_array_index (self->last, guint, head - 1) = index + 1;
    }

  /* The label only appears in error messages: label_of() makes it. */
  _setl_node_set_index (node, index);
  g_ptr_array_add (self->nodes, node);
  g_ptr_array_add (self->labels, NULL);
}

static guint
index_of (SetlInspector *self,
          SetlNode      *node)
{
  guint i = _setl_node_get_index (node);

  return i < self->nodes->len && g_ptr_array_index (self->nodes, i) == node ? i : G_MAXUINT;
}

/* The nodes that offer what @slot asks for, in stage order:
 *   for (SetlNode *p = first_for_slot (self, slot, &i); p; p = next_node (self, &i)) */
static SetlNode *
next_node (SetlInspector *self,
           guint         *cursor)
{
  SetlNode *node;

  if (*cursor == 0)
    return NULL;
  node = g_ptr_array_index (self->nodes, *cursor - 1);
  *cursor = g_array_index (self->next, guint, *cursor - 1);
  return node;
}

static SetlNode *
first_for_slot (SetlInspector *self,
                SetlDelivery  *slot,
                guint         *cursor)
{
  OutputKey key = { setl_delivery_get_payload_type (slot), setl_delivery_get_delivery_id (slot) };

  *cursor = GPOINTER_TO_UINT (g_hash_table_lookup (self->by_output, &key));
  return next_node (self, cursor);
}

static const char *
label_of (SetlInspector *self,
          SetlNode      *node)
{
  guint i = index_of (self, node);
  char *label;

  if (i >= self->labels->len)
    return setl_node_get_name (node);
  label = g_ptr_array_index (self->labels, i);
  if (label == NULL)
    {
      if (setl_node_is_external (node))
        label = g_strdup ("an external input");
      else
        label = g_strdup_printf ("factory “%s” (stage %d)", setl_node_get_name (node),
                                 setl_node_get_stage (node));
      g_ptr_array_index (self->labels, i) = label;
    }
  return label;
}

/* Depth-first search over every flow that could exist if stage order did
 * not matter: does @from (transitively) need @target? Fills @path with the
 * nodes on the way, target last. */
static gboolean
depends_on (SetlInspector *self,
            SetlNode      *from,
            SetlNode      *target,
            GHashTable    *visited,
            GPtrArray     *path)
{
  GPtrArray *inputs = setl_node_get_inputs (from);

  if (!g_hash_table_add (visited, from))
    return FALSE;

  for (guint i = 0; i < inputs->len; i++)
    {
      SetlDelivery *slot = g_ptr_array_index (inputs, i);
      guint cursor;

      for (SetlNode *p = first_for_slot (self, slot, &cursor); p; p = next_node (self, &cursor))
        {
          if (!setl_node_can_deliver_to (p, from, slot))
            continue;
          if (p == target || depends_on (self, p, target, visited, path))
            {
              g_ptr_array_insert (path, 0, slot);
              g_ptr_array_insert (path, 0, p);
              return TRUE;
            }
        }
    }
  return FALSE;
}

static void
explain_missing (SetlInspector *self,
                 SetlNode      *consumer,
                 SetlDelivery  *slot,
                 GError       **error)
{
  g_autofree char *what = _setl_describe_slot (setl_node_get_name (consumer), slot);
  SetlNode *late = NULL;
  guint cursor;

  for (SetlNode *p = first_for_slot (self, slot, &cursor); p; p = next_node (self, &cursor))
    {
      if (setl_node_get_stage (p) >= setl_node_get_stage (consumer) &&
          setl_node_can_deliver_to (p, consumer, slot))
        {
          late = p;
          break;
        }
    }

  if (late == NULL)
    {
      g_set_error (error, SETL_PIPELINE_ERROR, SETL_PIPELINE_ERROR_MISSING_DELIVERY,
                   "Missing delivery for %s: no factory of an earlier stage and no "
                   "external input provides it",
                   what);
      return;
    }

  {
    g_autoptr(GHashTable) visited = g_hash_table_new (NULL, NULL);
    g_autoptr(GPtrArray) path = g_ptr_array_new ();

    if (depends_on (self, late, consumer, visited, path))
      {
        /* path holds (producer, slot it fills) pairs, from late's inputs
         * back to the consumer. */
        GString *cycle = g_string_new (NULL);

        g_string_append_printf (cycle, "“%s”.%s ← “%s”", setl_node_get_name (consumer),
                                setl_delivery_get_name (slot), setl_node_get_name (late));
        for (guint i = 0; i + 1 < path->len; i += 2)
          {
            SetlNode *n = g_ptr_array_index (path, i);
            SetlDelivery *s = g_ptr_array_index (path, i + 1);

            g_string_append_printf (cycle, ".%s ← “%s”", setl_delivery_get_name (s),
                                    setl_node_get_name (n));
          }
        g_set_error (error, SETL_PIPELINE_ERROR, SETL_PIPELINE_ERROR_CYCLE,
                     "Cyclic dependency for %s: %s",
                     what, cycle->str);
        g_string_free (cycle, TRUE);
        return;
      }
  }

  g_set_error (error, SETL_PIPELINE_ERROR, SETL_PIPELINE_ERROR_MISSING_DELIVERY,
               "Missing delivery for %s: it is produced by %s, which does not run "
               "before stage %d; move that factory to an earlier stage",
               what, label_of (self, late), setl_node_get_stage (consumer));
}

static void
resolve_node (SetlInspector *self,
              SetlNode      *consumer,
              GArray        *candidates,
              GError       **first_error)
{
  GPtrArray *inputs = setl_node_get_inputs (consumer);
  int stage = setl_node_get_stage (consumer);
  ResolvedRange *range = &g_array_index (self->resolved_at, ResolvedRange,
                                         _setl_node_get_index (consumer));

  range->first = self->resolved_slots->len;
  for (guint i = 0; i < inputs->len; i++)
    {
      SetlDelivery *slot = g_ptr_array_index (inputs, i);
      SetlResolvedSlot r;
      SetlNode *chosen;
      GError *local = NULL;
      guint cursor;

      g_array_set_size (candidates, 0);
      for (SetlNode *p = first_for_slot (self, slot, &cursor); p; p = next_node (self, &cursor))
        {
          SetlCandidate c;

          if (setl_node_get_stage (p) >= stage)
            continue;
          c.producer = setl_node_get_factory_type (p);
          c.consumers = setl_node_get_consumers (p, &c.n_consumers);
          c.label = NULL;
          c.data = p;
          g_array_append_val (candidates, c);
        }
      /* Labels name the candidates of an ambiguous slot, which needs two. */
      for (guint j = 0; candidates->len > 1 && j < candidates->len; j++)
        g_array_index (candidates, SetlCandidate, j).label =
          label_of (self, g_array_index (candidates, SetlCandidate, j).data);

      chosen = _setl_select_candidate ((const SetlCandidate *) candidates->data, candidates->len,
                                       setl_node_get_name (consumer),
                                       setl_node_get_factory_type (consumer), slot, &local);
      if (chosen == NULL && local == NULL && !setl_delivery_get_optional (slot))
        explain_missing (self, consumer, slot, &local);

      if (local != NULL)
        {
          if (*first_error == NULL)
            *first_error = local;
          else
            g_error_free (local);
          continue;
        }

      r.slot = slot;
      r.source = chosen;
      g_array_append_val (self->resolved_slots, r);
      range->n++;
      if (chosen)
        g_ptr_array_add (self->flows, setl_flow_new (chosen, consumer, slot));
    }
}

/**
 * setl_inspector_inspect:
 * @self: a #SetlInspector
 * @error: return location for a #GError
 *
 * (Re)builds the DAG from the pipeline's current stages and external inputs
 * and checks it. Even when it fails, the nodes and the flows that could be
 * resolved are kept, so a broken pipeline can still be described and drawn.
 *
 * Returns: %TRUE if every required input slot is filled unambiguously
 */
gboolean
setl_inspector_inspect (SetlInspector  *self,
                        GError        **error)
{
  g_autoptr(GArray) candidates = g_array_new (FALSE, FALSE, sizeof (SetlCandidate));
  GPtrArray *stages, *inputs;
  GError *first_error = NULL;
  guint n_factories = 0, n_nodes, n_slots = 0;

  g_return_val_if_fail (SETL_IS_INSPECTOR (self), FALSE);
  g_return_val_if_fail (self->pipeline != NULL, FALSE);

  clear_graph (self);
  stages = setl_pipeline_get_stages (self->pipeline);
  inputs = setl_pipeline_get_inputs (self->pipeline);

  /* Size the per-node arrays once: by_output points into keys, which must
   * not move, and the others are filled without reallocating. */
  n_nodes = inputs->len;
  for (guint s = 0; s < stages->len; s++)
    {
      GPtrArray *factories = setl_stage_get_factories (g_ptr_array_index (stages, s));

      n_nodes += factories->len;
      for (guint f = 0; f < factories->len; f++)
        n_slots += setl_factory_get_deliveries (g_ptr_array_index (factories, f))->len;
    }
  g_array_set_size (self->keys, n_nodes);
  g_array_set_size (self->next, 0);
  g_array_set_size (self->last, 0);
  g_array_set_size (self->resolved_at, n_nodes);
  memset (self->resolved_at->data, 0, n_nodes * sizeof (ResolvedRange));
  g_array_set_size (self->resolved_slots, n_slots);
  g_array_set_size (self->resolved_slots, 0);

  for (guint s = 0; s < stages->len; s++)
    {
      GPtrArray *factories = setl_stage_get_factories (g_ptr_array_index (stages, s));

      for (guint f = 0; f < factories->len; f++)
        {
          SetlFactory *factory = g_ptr_array_index (factories, f);
          SetlNode *node;

          if (g_hash_table_contains (self->by_factory, factory))
            {
              if (first_error == NULL)
                g_set_error (&first_error, SETL_PIPELINE_ERROR, SETL_PIPELINE_ERROR_AMBIGUOUS_DELIVERY,
                             "Factory “%s” (%s) is added to the pipeline twice",
                             setl_factory_get_name (factory), G_OBJECT_TYPE_NAME (factory));
              continue;
            }
          node = setl_node_new_from_factory (factory, s, s + 1 == stages->len);
          g_hash_table_insert (self->by_factory, factory, node);
          add_node (self, node);
          n_factories++;
        }
    }
  for (guint i = 0; i < inputs->len; i++)
    add_node (self, setl_node_new_external (g_ptr_array_index (inputs, i)));

  for (guint i = 0; i < n_factories; i++)
    resolve_node (self, g_ptr_array_index (self->nodes, i), candidates, &first_error);

  /* Static conditions, the factories they prune, branch sets without an
   * else feeding a required input (setl-pipeline-conditions.c). */
  if (first_error == NULL)
    _setl_conditions_inspect (self->pipeline, self, &first_error);

  if (first_error != NULL)
    {
      g_propagate_error (error, first_error);
      return FALSE;
    }
  return TRUE;
}

/**
 * setl_inspector_get_nodes:
 * @self: a #SetlInspector
 *
 * Returns: (transfer none) (element-type SetlNode): the nodes: factories in
 *   stage order, then external inputs
 */
GPtrArray *
setl_inspector_get_nodes (SetlInspector *self)
{
  g_return_val_if_fail (SETL_IS_INSPECTOR (self), NULL);
  return self->nodes;
}

/**
 * setl_inspector_get_flows:
 * @self: a #SetlInspector
 *
 * Returns: (transfer none) (element-type SetlFlow): the flows, by consumer in
 *   stage order, then by slot
 */
GPtrArray *
setl_inspector_get_flows (SetlInspector *self)
{
  g_return_val_if_fail (SETL_IS_INSPECTOR (self), NULL);
  return self->flows;
}

/**
 * setl_inspector_find_node:
 * @self: a #SetlInspector
 * @factory: a factory of the pipeline
 *
 * Returns: (transfer none) (nullable): the node of @factory
 */
SetlNode *
setl_inspector_find_node (SetlInspector *self,
                          SetlFactory   *factory)
{
  g_return_val_if_fail (SETL_IS_INSPECTOR (self), NULL);
  return g_hash_table_lookup (self->by_factory, factory);
}

/**
 * setl_inspector_get_producers:
 * @self: a #SetlInspector
 * @factory: a factory of the pipeline
 *
 * Returns: (transfer container) (element-type SetlNode): the nodes whose
 *   outputs fill @factory's slots, in slot order
 */
GPtrArray *
setl_inspector_get_producers (SetlInspector *self,
                              SetlFactory   *factory)
{
  GPtrArray *out = g_ptr_array_new ();
  const SetlResolvedSlot *resolved;
  guint n;

  g_return_val_if_fail (SETL_IS_INSPECTOR (self), out);

  resolved = _setl_inspector_get_resolved (self, factory, &n);
  for (guint i = 0; i < n; i++)
    if (resolved[i].source)
      g_ptr_array_add (out, resolved[i].source);
  return out;
}

const SetlResolvedSlot *
_setl_inspector_get_resolved (SetlInspector *self,
                              SetlFactory   *factory,
                              guint         *n_slots)
{
  SetlNode *node = g_hash_table_lookup (self->by_factory, factory);
  const ResolvedRange *range;

  *n_slots = 0;
  if (node == NULL)
    return NULL;
  range = &g_array_index (self->resolved_at, ResolvedRange, _setl_node_get_index (node));
  *n_slots = range->n;
  return range->n ? &g_array_index (self->resolved_slots, SetlResolvedSlot, range->first) : NULL;
}

/**
 * setl_inspector_describe:
 * @self: a #SetlInspector
 *
 * Returns: (transfer full): the pipeline summary: every node, then every flow
 */
char *
setl_inspector_describe (SetlInspector *self)
{
  GString *s;

  g_return_val_if_fail (SETL_IS_INSPECTOR (self), NULL);

  s = g_string_new ("========== Pipeline Summary ==========\n\n");
  g_string_append_printf (s, "Nodes: %u, flows: %u\n\n", self->nodes->len, self->flows->len);
  for (guint i = 0; i < self->nodes->len; i++)
    {
      g_autofree char *d = setl_node_describe (g_ptr_array_index (self->nodes, i));

      g_string_append (s, d);
      g_string_append (s, "----------------------------------------------------------\n");
    }
  for (guint i = 0; i < self->flows->len; i++)
    {
      g_autofree char *d = setl_flow_describe (g_ptr_array_index (self->flows, i));

      g_string_append (s, d);
      g_string_append (s, "----------------------------------------------------------\n");
    }
  return g_string_free (s, FALSE);
}

static void
append_escaped (GString    *s,
                const char *text,
                gboolean    dot)
{
  for (const char *p = text; *p; p++)
    {
      if (*p == '"')
        g_string_append (s, dot ? "\\\"" : "#quot;");
      else if (*p == '\\' && dot)
        g_string_append (s, "\\\\");
      else if (*p == '\n')
        g_string_append (s, dot ? "\\n" : "<br/>");
      else
        g_string_append_c (s, *p);
    }
}

static void
append_node_label (GString  *s,
                   SetlNode *node,
                   gboolean  dot)
{
  g_autofree char *text = NULL;

  if (setl_node_is_external (node))
    text = g_strdup_printf ("%s\n%s", setl_node_get_name (node),
                            g_type_name (setl_node_get_output_type (node)));
  else
    text = g_strdup_printf ("%s\n%s → %s", setl_node_get_name (node),
                            g_type_name (setl_node_get_factory_type (node)),
                            g_type_name (setl_node_get_output_type (node)));
  append_escaped (s, text, dot);
  if (!setl_node_is_external (node) && setl_factory_get_condition (setl_node_get_factory (node)))
    {
      g_autofree char *when = setl_condition_to_string (setl_factory_get_condition (setl_node_get_factory (node)));
      g_autofree char *line = g_strdup_printf ("\nwhen: %s", when);

      append_escaped (s, line, dot);
    }
}

/* Factories pruned by a static condition are drawn dashed, with the
 * reason. */
static const char *
pruned_reason (SetlInspector *self,
               SetlNode      *node)
{
  return setl_node_is_external (node) ? NULL
         : setl_inspector_get_pruned_reason (self, setl_node_get_factory (node));
}

static void
append_pruned (GString    *s,
               const char *reason,
               gboolean    dot)
{
  g_autofree char *line = g_strdup_printf ("\npruned: %s", reason);

  append_escaped (s, line, dot);
}

static void
append_flow_label (GString  *s,
                   SetlFlow *flow,
                   gboolean  dot)
{
  const char *id = setl_flow_get_delivery_id (flow);
  g_autofree char *text = *id
    ? g_strdup_printf ("%s (%s)", setl_delivery_get_name (setl_flow_get_slot (flow)), id)
    : g_strdup (setl_delivery_get_name (setl_flow_get_slot (flow)));

  append_escaped (s, text, dot);
}

/**
 * setl_inspector_to_mermaid:
 * @self: a #SetlInspector
 *
 * Draws the DAG as a Mermaid flowchart: one box per factory, grouped by
 * stage, a rounded box per external input, one arrow per flow labelled with
 * the slot it fills.
 *
 * Returns: (transfer full): the Mermaid source
 */
char *
setl_inspector_to_mermaid (SetlInspector *self)
{
  GString *s;
  int stage = -2;

  g_return_val_if_fail (SETL_IS_INSPECTOR (self), NULL);

  s = g_string_new ("flowchart LR\n");
  for (guint i = 0; i < self->nodes->len; i++)
    {
      SetlNode *node = g_ptr_array_index (self->nodes, i);

      if (setl_node_get_stage (node) != stage)
        {
          if (stage >= 0)
            g_string_append (s, "  end\n");
          stage = setl_node_get_stage (node);
          if (stage >= 0)
            g_string_append_printf (s, "  subgraph stage%d[\"Stage %d\"]\n", stage, stage);
        }
      g_string_append_printf (s, setl_node_is_external (node) ? "  n%u([\"" : "    n%u[\"", i);
      append_node_label (s, node, FALSE);
      if (pruned_reason (self, node))
        append_pruned (s, pruned_reason (self, node), FALSE);
      g_string_append (s, setl_node_is_external (node) ? "\"])\n" : "\"]\n");
    }
  if (stage >= 0)
    g_string_append (s, "  end\n");

  for (guint i = 0; i < self->flows->len; i++)
    {
      SetlFlow *flow = g_ptr_array_index (self->flows, i);
      guint from = index_of (self, setl_flow_get_from (flow));
      guint to = index_of (self, setl_flow_get_to (flow));

      g_string_append_printf (s, "  n%u -->|\"", from);
      append_flow_label (s, flow, FALSE);
      g_string_append_printf (s, "\"| n%u\n", to);
    }
  for (guint i = 0; i < self->nodes->len; i++)
    if (pruned_reason (self, g_ptr_array_index (self->nodes, i)))
      g_string_append_printf (s, "  style n%u stroke-dasharray: 5 5\n", i);
  return g_string_free (s, FALSE);
}

/**
 * setl_inspector_to_dot:
 * @self: a #SetlInspector
 *
 * Draws the DAG in Graphviz DOT: a cluster per stage, a dashed box per
 * external input, one edge per flow labelled with the slot it fills.
 *
 * Returns: (transfer full): the DOT source
 */
char *
setl_inspector_to_dot (SetlInspector *self)
{
  GString *s;
  int stage = -2;

  g_return_val_if_fail (SETL_IS_INSPECTOR (self), NULL);

  s = g_string_new ("digraph pipeline {\n  rankdir=LR;\n  node [shape=box];\n");
  for (guint i = 0; i < self->nodes->len; i++)
    {
      SetlNode *node = g_ptr_array_index (self->nodes, i);

      if (setl_node_get_stage (node) != stage)
        {
          if (stage >= 0)
            g_string_append (s, "  }\n");
          stage = setl_node_get_stage (node);
          if (stage >= 0)
            g_string_append_printf (s, "  subgraph cluster_stage%d {\n    label=\"Stage %d\";\n",
                                    stage, stage);
        }
      g_string_append_printf (s, "    n%u [label=\"", i);
      append_node_label (s, node, TRUE);
      if (pruned_reason (self, node))
        append_pruned (s, pruned_reason (self, node), TRUE);
      g_string_append (s, setl_node_is_external (node) || pruned_reason (self, node)
                            ? "\", style=dashed];\n" : "\"];\n");
    }
  if (stage >= 0)
    g_string_append (s, "  }\n");

  for (guint i = 0; i < self->flows->len; i++)
    {
      SetlFlow *flow = g_ptr_array_index (self->flows, i);
      guint from = index_of (self, setl_flow_get_from (flow));
      guint to = index_of (self, setl_flow_get_to (flow));

      g_string_append_printf (s, "  n%u -> n%u [label=\"", from, to);
      append_flow_label (s, flow, TRUE);
      g_string_append (s, "\"];\n");
    }
  g_string_append (s, "}\n");
  return g_string_free (s, FALSE);
}
