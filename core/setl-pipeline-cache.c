/* setl-pipeline-cache.c: caching and lazy evaluation of a SetlPipeline.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/**
 * SECTION:setl-pipeline-cache
 * @Title: Caching and lazy evaluation
 *
 * A #SetlPipeline given a #SetlCachePolicy (setl_pipeline_set_cache_policy())
 * computes, just before each factory would run, the factory's
 * #SetlCacheKey: a hash of
 *
 * - the key format and libsetl's ABI;
 * - the factory's type, the plugin it comes from and the plugin's and the
 *   feature's versions;
 * - #SetlFactory:code-version and whether the factory writes;
 * - the values of its properties, except those marked
 *   %SETL_PARAM_NOT_IN_CACHE_KEY;
 * - the *data version* of each of its inputs: the content hash of what the
 *   producer delivered (or of an external input's value);
 * - for a #SetlCacheable factory, the fingerprint of the external data it
 *   reads (a file's size, modification time and inode).
 *
 * When the policy has an entry under that key, the factory is not run: its
 * result is marked %SETL_FACTORY_STATUS_REUSED and delivers the cached
 * value (a table is loaded only when a consumer reads it). Otherwise the
 * factory runs, its output is materialized into a #SetlTable (or kept, for
 * a simple value), hashed, and stored. Because dependents' keys are built
 * from data versions, a change anywhere upstream changes every key
 * downstream — and a producer that is re-run but delivers exactly the same
 * data leaves its dependents' keys as they were (early cut-off).
 *
 * setl_pipeline_run_outputs() runs only what chosen factories need: the
 * others are skipped, and a needed factory found in the cache is not run,
 * nor its inputs loaded unless another factory reads them.
 *
 * Each factory's entry in the run report gets a `cache` member: hit or
 * miss, why (no-entry, expired, key-changed, …), which ingredients changed,
 * the bytes reused or stored, and the time a hit saved.
 */
#include "setl-cache-private.h"
#include "setl-pipeline-cache.h"

/* ----------------------------------------------------------------------- */
/* Where factory types come from                                            */

/* The strings are interned: an origin is updated in place when a plugin is
 * loaded again (a rescan), and readers on other threads may still hold the
 * old pointers, which interned strings keep valid. */
typedef struct {
  const char *plugin;
  const char *version;
  const char *feature_version;
} TypeOrigin;

static GQuark
type_origin_quark (void)
{
  /* Asked for several times per factory of every run:
   * g_quark_from_static_string() takes a global lock each time. */
  static GQuark quark;

  if (G_UNLIKELY (quark == 0))
    quark = g_quark_from_static_string ("setl-cache-type-origin");
  return quark;
}

void
_setl_cache_note_type_origin (GType       type,
                              const char *plugin_name,
                              const char *plugin_version,
                              const char *feature_version)
{
  static GMutex lock;
  TypeOrigin *origin;

  /* Types live as long as the process; so does what is said about them:
   * one origin per type, allocated once. */
  g_mutex_lock (&lock);
  origin = g_type_get_qdata (type, type_origin_quark ());
  if (origin == NULL)
    {
      origin = g_new0 (TypeOrigin, 1);
      g_type_set_qdata (type, type_origin_quark (), origin);
    }
  origin->plugin = g_intern_string (plugin_name);
  origin->version = g_intern_string (plugin_version);
  origin->feature_version = g_intern_string (feature_version);
  g_mutex_unlock (&lock);
}

static const TypeOrigin *
find_origin (GType type)
{
  for (; type != 0 && type != SETL_TYPE_FACTORY; type = g_type_parent (type))
    {
      const TypeOrigin *origin = g_type_get_qdata (type, type_origin_quark ());
      if (origin != NULL)
        return origin;
    }
  return NULL;
}

/* ----------------------------------------------------------------------- */
/* What each factory result says about the cache                            */

typedef struct {
  SetlCacheMissReason reason;
  char *key;
  guint64 bytes;
  gint64 saved;
  char **changed;
  gboolean recomputed;   /* reused, then run after all: a damaged entry */
} ResultCache;

static void
result_cache_free (gpointer data)
{
  ResultCache *rc = data;

  g_free (rc->key);
  g_strfreev (rc->changed);
  g_free (rc);
}

static GQuark
result_cache_quark (void)
{
  /* See type_origin_quark(). */
  static GQuark quark;

  if (G_UNLIKELY (quark == 0))
    quark = g_quark_from_static_string ("setl-cache-result");
  return quark;
}

static ResultCache *
result_cache (SetlFactoryResult *result)
{
  ResultCache *rc = g_object_get_qdata (G_OBJECT (result), result_cache_quark ());

  if (rc == NULL)
    {
      rc = g_new0 (ResultCache, 1);
      rc->reason = SETL_CACHE_MISS_DISABLED;
      g_object_set_qdata_full (G_OBJECT (result), result_cache_quark (), rc, result_cache_free);
    }
  return rc;
}

/**
 * setl_factory_result_get_cache_reason:
 * @self: a #SetlFactoryResult
 *
 * Returns: %SETL_CACHE_MISS_NONE when the factory's result was reused
 *   from the cache, otherwise why not (%SETL_CACHE_MISS_DISABLED when the
 *   pipeline has no cache policy)
 */
SetlCacheMissReason
setl_factory_result_get_cache_reason (SetlFactoryResult *self)
{
  ResultCache *rc;

  g_return_val_if_fail (SETL_IS_FACTORY_RESULT (self), SETL_CACHE_MISS_DISABLED);
  rc = g_object_get_qdata (G_OBJECT (self), result_cache_quark ());
  return rc ? rc->reason : SETL_CACHE_MISS_DISABLED;
}

/**
 * setl_factory_result_get_cache_key:
 * @self: a #SetlFactoryResult
 *
 * Returns: (nullable): the digest of the factory's cache key in the run,
 *   or %NULL when none was computed
 */
const char *
setl_factory_result_get_cache_key (SetlFactoryResult *self)
{
  ResultCache *rc;

  g_return_val_if_fail (SETL_IS_FACTORY_RESULT (self), NULL);
  rc = g_object_get_qdata (G_OBJECT (self), result_cache_quark ());
  return rc ? rc->key : NULL;
}

/**
 * setl_factory_result_get_cache_bytes:
 * @self: a #SetlFactoryResult
 *
 * Returns: on a hit, the size of the reused entry; on a miss, the size of
 *   the entry stored (0 when nothing was stored)
 */
guint64
setl_factory_result_get_cache_bytes (SetlFactoryResult *self)
{
  ResultCache *rc;

  g_return_val_if_fail (SETL_IS_FACTORY_RESULT (self), 0);
  rc = g_object_get_qdata (G_OBJECT (self), result_cache_quark ());
  return rc ? rc->bytes : 0;
}

/**
 * setl_factory_result_get_cache_time_saved:
 * @self: a #SetlFactoryResult
 *
 * Returns: on a hit, how long computing the result took when it was
 *   stored, in microseconds; 0 otherwise
 */
gint64
setl_factory_result_get_cache_time_saved (SetlFactoryResult *self)
{
  ResultCache *rc;

  g_return_val_if_fail (SETL_IS_FACTORY_RESULT (self), 0);
  rc = g_object_get_qdata (G_OBJECT (self), result_cache_quark ());
  return rc ? rc->saved : 0;
}

/**
 * setl_factory_result_get_cache_changed:
 * @self: a #SetlFactoryResult
 *
 * Returns: (nullable) (array zero-terminated=1) (transfer none): on a
 *   %SETL_CACHE_MISS_KEY_CHANGED miss, the names of the key ingredients that
 *   differ from the entry stored last for the factory
 */
const char * const *
setl_factory_result_get_cache_changed (SetlFactoryResult *self)
{
  ResultCache *rc;

  g_return_val_if_fail (SETL_IS_FACTORY_RESULT (self), NULL);
  rc = g_object_get_qdata (G_OBJECT (self), result_cache_quark ());
  return rc ? (const char * const *) rc->changed : NULL;
}

void
_setl_cache_note_recomputed (SetlFactoryResult *result)
{
  ResultCache *rc = result_cache (result);

  rc->reason = SETL_CACHE_MISS_CORRUPT;
  rc->recomputed = TRUE;
  rc->bytes = 0;
  rc->saved = 0;
}

void
_setl_cache_report_result (JsonBuilder       *b,
                           SetlFactoryResult *result)
{
  ResultCache *rc = g_object_get_qdata (G_OBJECT (result), result_cache_quark ());

  if (rc == NULL)
    return;
  json_builder_set_member_name (b, "cache");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "status");
  json_builder_add_string_value (b, rc->reason == SETL_CACHE_MISS_NONE ? "hit" : "miss");
  if (rc->reason != SETL_CACHE_MISS_NONE)
    {
      json_builder_set_member_name (b, "reason");
      json_builder_add_string_value (b, setl_cache_miss_reason_to_string (rc->reason));
    }
  if (rc->recomputed)
    {
      /* Reported reused, then run when a consumer could not load it. */
      json_builder_set_member_name (b, "recomputed");
      json_builder_add_boolean_value (b, TRUE);
    }
  if (rc->changed != NULL)
    {
      json_builder_set_member_name (b, "changed");
      json_builder_begin_array (b);
      for (guint i = 0; rc->changed[i]; i++)
        json_builder_add_string_value (b, rc->changed[i]);
      json_builder_end_array (b);
    }
  if (rc->key != NULL)
    {
      json_builder_set_member_name (b, "key");
      json_builder_add_string_value (b, rc->key);
    }
  json_builder_set_member_name (b, "bytes");
  json_builder_add_int_value (b, (gint64) rc->bytes);
  json_builder_set_member_name (b, "time_saved_us");
  json_builder_add_int_value (b, rc->saved);
  json_builder_end_object (b);
}

/* ----------------------------------------------------------------------- */
/* A pipeline's cache settings, and the state of its current run            */

typedef struct {
  SetlFactory *factory;
  gboolean stage_writable;
  gboolean needed;
  char *data_version;   /* NULL: unknown (not run, failed, or uncacheable) */
  /* What _setl_cache_prefetch() found, before the factory's stage was
   * dispatched, for its run to use instead of looking up again. */
  gboolean prefetched;
  SetlCacheKey *key;
  SetlCacheEntry *entry;
  SetlCacheMissReason reason;
  char *why;
} Node;

typedef struct {
  GHashTable *nodes;    /* SetlFactory* → Node* */
  GPtrArray *order;     /* Node*, in stage order */
  SetlInspector *inspector;
  GHashTable *external_versions;  /* SetlDeliverable* → data version */
  GThreadPool *stores;  /* stores entries while the run goes on */
  GMutex lock;          /* external_versions and stores, from workers */
} CacheRun;

typedef struct {
  SetlCachePolicy *policy;
  SetlFingerprintFlags flags;
  char **outputs;
  CacheRun *run;
} PipelineCache;

static GQuark
pipeline_cache_quark (void)
{
  /* See type_origin_quark(). */
  static GQuark quark;

  if (G_UNLIKELY (quark == 0))
    quark = g_quark_from_static_string ("setl-pipeline-cache");
  return quark;
}

static void
node_free (gpointer data)
{
  Node *n = data;

  g_free (n->data_version);
  g_clear_object (&n->key);
  g_clear_object (&n->entry);
  g_free (n->why);
  g_free (n);
}

static void
cache_run_free (CacheRun *run)
{
  if (run == NULL)
    return;
  /* Every entry is stored before the run is reported. */
  if (run->stores != NULL)
    g_thread_pool_free (run->stores, FALSE, TRUE);
  g_hash_table_unref (run->nodes);
  g_ptr_array_unref (run->order);
  g_clear_object (&run->inspector);
  g_hash_table_unref (run->external_versions);
  g_mutex_clear (&run->lock);
  g_free (run);
}

static void
pipeline_cache_free (gpointer data)
{
  PipelineCache *pc = data;

  g_clear_object (&pc->policy);
  g_strfreev (pc->outputs);
  cache_run_free (pc->run);
  g_free (pc);
}

static PipelineCache *
pipeline_cache (SetlPipeline *pipeline,
                gboolean      create)
{
  PipelineCache *pc = g_object_get_qdata (G_OBJECT (pipeline), pipeline_cache_quark ());

  if (pc == NULL && create)
    {
      pc = g_new0 (PipelineCache, 1);
      g_object_set_qdata_full (G_OBJECT (pipeline), pipeline_cache_quark (), pc,
                               pipeline_cache_free);
    }
  return pc;
}

/**
 * setl_pipeline_set_cache_policy:
 * @self: a #SetlPipeline, not running
 * @policy: (nullable): a cache policy, or %NULL for none
 *
 * Makes the pipeline reuse factory results stored in @policy and store
 * the results it computes there. See the section on caching.
 */
void
setl_pipeline_set_cache_policy (SetlPipeline    *self,
                                SetlCachePolicy *policy)
{
  PipelineCache *pc;

  g_return_if_fail (SETL_IS_PIPELINE (self));
  g_return_if_fail (policy == NULL || SETL_IS_CACHE_POLICY (policy));

  pc = pipeline_cache (self, TRUE);
  g_set_object (&pc->policy, policy);
}

/**
 * setl_pipeline_get_cache_policy:
 * @self: a #SetlPipeline
 *
 * Returns: (transfer none) (nullable): the pipeline's cache policy
 */
SetlCachePolicy *
setl_pipeline_get_cache_policy (SetlPipeline *self)
{
  PipelineCache *pc;

  g_return_val_if_fail (SETL_IS_PIPELINE (self), NULL);
  pc = pipeline_cache (self, FALSE);
  return pc ? pc->policy : NULL;
}

/**
 * setl_pipeline_set_fingerprint_flags:
 * @self: a #SetlPipeline, not running
 * @flags: how sources fingerprint the data they read
 *
 * %SETL_FINGERPRINT_CONTENT makes sources hash the files they read rather
 * than describe them by size, modification time and inode: exact, at the
 * cost of reading them.
 */
void
setl_pipeline_set_fingerprint_flags (SetlPipeline         *self,
                                     SetlFingerprintFlags  flags)
{
  g_return_if_fail (SETL_IS_PIPELINE (self));
  pipeline_cache (self, TRUE)->flags = flags;
}

/**
 * setl_pipeline_get_fingerprint_flags:
 * @self: a #SetlPipeline
 *
 * Returns: how sources fingerprint the data they read
 */
SetlFingerprintFlags
setl_pipeline_get_fingerprint_flags (SetlPipeline *self)
{
  PipelineCache *pc;

  g_return_val_if_fail (SETL_IS_PIPELINE (self), 0);
  pc = pipeline_cache (self, FALSE);
  return pc ? pc->flags : SETL_FINGERPRINT_DEFAULT;
}

/**
 * setl_pipeline_set_requested_outputs:
 * @self: a #SetlPipeline, not running
 * @outputs: (nullable) (array zero-terminated=1): names of factories, or
 *   %NULL for all
 *
 * Restricts the next runs to what the named factories need: the others are
 * skipped (reason: not needed). setl_pipeline_run_outputs() sets this for
 * one run.
 */
void
setl_pipeline_set_requested_outputs (SetlPipeline       *self,
                                     const char * const *outputs)
{
  PipelineCache *pc;

  g_return_if_fail (SETL_IS_PIPELINE (self));

  pc = pipeline_cache (self, TRUE);
  g_strfreev (pc->outputs);
  pc->outputs = outputs && outputs[0] ? g_strdupv ((char **) outputs) : NULL;
}

/**
 * setl_pipeline_get_requested_outputs:
 * @self: a #SetlPipeline
 *
 * Returns: (nullable) (array zero-terminated=1) (transfer none): the
 *   requested outputs, or %NULL for all
 */
const char * const *
setl_pipeline_get_requested_outputs (SetlPipeline *self)
{
  PipelineCache *pc;

  g_return_val_if_fail (SETL_IS_PIPELINE (self), NULL);
  pc = pipeline_cache (self, FALSE);
  return pc ? (const char * const *) pc->outputs : NULL;
}

/**
 * setl_pipeline_run_outputs:
 * @self: a #SetlPipeline
 * @outputs: (array zero-terminated=1): names of the factories whose
 *   outputs are wanted
 * @cancellable: (nullable): cancels the run
 * @error: return location for a #GError
 *
 * Runs only what @outputs need (lazy evaluation): factories they do not
 * depend on are skipped; with a cache policy, a needed factory whose result
 * is cached is not run, and its inputs are not loaded unless something else
 * reads them. A name that is not a factory of the pipeline fails with
 * %SETL_PIPELINE_ERROR_NOT_FOUND.
 *
 * Returns: %TRUE if every needed factory succeeded or was reused
 */
gboolean
setl_pipeline_run_outputs (SetlPipeline        *self,
                           const char * const  *outputs,
                           GCancellable        *cancellable,
                           GError             **error)
{
  g_auto(GStrv) saved = NULL;
  PipelineCache *pc;
  gboolean ok;

  g_return_val_if_fail (SETL_IS_PIPELINE (self), FALSE);
  g_return_val_if_fail (outputs != NULL, FALSE);

  pc = pipeline_cache (self, TRUE);
  saved = g_steal_pointer (&pc->outputs);
  setl_pipeline_set_requested_outputs (self, outputs);
  ok = setl_pipeline_run (self, cancellable, error);
  g_strfreev (pc->outputs);
  pc->outputs = g_steal_pointer (&saved);
  return ok;
}

/* ----------------------------------------------------------------------- */
/* Run state                                                                */

static SetlFactory *
find_factory (SetlPipeline *pipeline,
              const char   *name)
{
  GPtrArray *stages = setl_pipeline_get_stages (pipeline);

  for (guint s = 0; s < stages->len; s++)
    {
      GPtrArray *factories = setl_stage_get_factories (g_ptr_array_index (stages, s));

      for (guint f = 0; f < factories->len; f++)
        if (g_strcmp0 (setl_factory_get_name (g_ptr_array_index (factories, f)), name) == 0)
          return g_ptr_array_index (factories, f);
    }
  return NULL;
}

static void
mark_needed (CacheRun    *run,
             SetlFactory *factory)
{
  Node *n = g_hash_table_lookup (run->nodes, factory);
  const SetlResolvedSlot *slots;
  guint n_slots;

  if (n == NULL || n->needed)
    return;
  n->needed = TRUE;
  slots = _setl_inspector_get_resolved (run->inspector, factory, &n_slots);
  for (guint i = 0; i < n_slots; i++)
    if (slots[i].source != NULL && !setl_node_is_external (slots[i].source))
      mark_needed (run, setl_node_get_factory (slots[i].source));
}

static CacheRun *
cache_run_new (SetlPipeline        *pipeline,
               SetlInspector       *inspector,
               const char * const  *outputs,
               GError             **error)
{
  CacheRun *run = g_new0 (CacheRun, 1);
  GPtrArray *stages = setl_pipeline_get_stages (pipeline);

  run->nodes = g_hash_table_new_full (NULL, NULL, NULL, node_free);
  run->order = g_ptr_array_new ();
  run->inspector = g_object_ref (inspector);
  run->external_versions = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  g_mutex_init (&run->lock);

  for (guint s = 0; s < stages->len; s++)
    {
      SetlStage *stage = g_ptr_array_index (stages, s);
      GPtrArray *factories = setl_stage_get_factories (stage);

      for (guint f = 0; f < factories->len; f++)
        {
          Node *n = g_new0 (Node, 1);

          n->factory = g_ptr_array_index (factories, f);
          n->stage_writable = setl_stage_get_writable (stage);
          n->needed = outputs == NULL;
          g_hash_table_insert (run->nodes, n->factory, n);
          g_ptr_array_add (run->order, n);
        }
    }

  for (guint i = 0; outputs && outputs[i]; i++)
    {
      SetlFactory *factory = find_factory (pipeline, outputs[i]);

      if (factory == NULL)
        {
          g_set_error (error, SETL_PIPELINE_ERROR, SETL_PIPELINE_ERROR_NOT_FOUND,
                       "Pipeline “%s” has no factory “%s” to run for its output",
                       setl_pipeline_get_name (pipeline), outputs[i]);
          cache_run_free (run);
          return NULL;
        }
      mark_needed (run, factory);
    }
  return run;
}

gboolean
_setl_cache_run_begin (SetlPipeline   *pipeline,
                       SetlInspector  *inspector,
                       GError        **error)
{
  PipelineCache *pc = pipeline_cache (pipeline, FALSE);

  if (pc == NULL || (pc->policy == NULL && pc->outputs == NULL))
    return TRUE;
  g_clear_pointer (&pc->run, cache_run_free);
  pc->run = cache_run_new (pipeline, inspector, (const char * const *) pc->outputs, error);
  return pc->run != NULL;
}

void
_setl_cache_run_end (SetlPipeline *pipeline)
{
  PipelineCache *pc = pipeline_cache (pipeline, FALSE);

  if (pc != NULL)
    g_clear_pointer (&pc->run, cache_run_free);
}

gboolean
_setl_cache_run_needed (SetlPipeline      *pipeline,
                        SetlFactory       *factory,
                        SetlFactoryResult *result)
{
  PipelineCache *pc = pipeline_cache (pipeline, FALSE);
  Node *n;
  g_autofree char *wanted = NULL;
  g_autofree char *reason = NULL;

  if (pc == NULL || pc->run == NULL || pc->outputs == NULL)
    return TRUE;
  n = g_hash_table_lookup (pc->run->nodes, factory);
  if (n == NULL || n->needed)
    return TRUE;

  wanted = g_strjoinv ("”, “", pc->outputs);
  reason = g_strdup_printf ("not needed for the requested outputs (“%s”)", wanted);
  _setl_factory_result_set_status (result, SETL_FACTORY_STATUS_SKIPPED, reason);
  return FALSE;
}

/* ----------------------------------------------------------------------- */
/* Keys                                                                     */

/* A property value as key text, or NULL when it has none that means the
 * same in another process (an object, a pointer). */
static char *
canonical_value (const GValue *value)
{
  GType type = G_VALUE_TYPE (value);

  if (type == G_TYPE_GTYPE)
    return g_strdup (g_type_name (g_value_get_gtype (value)));
  switch (G_TYPE_FUNDAMENTAL (type))
    {
    case G_TYPE_BOOLEAN:
      return g_strdup (g_value_get_boolean (value) ? "true" : "false");
    case G_TYPE_CHAR:
      return g_strdup_printf ("%d", g_value_get_schar (value));
    case G_TYPE_UCHAR:
      return g_strdup_printf ("%u", g_value_get_uchar (value));
    case G_TYPE_INT:
      return g_strdup_printf ("%d", g_value_get_int (value));
    case G_TYPE_UINT:
      return g_strdup_printf ("%u", g_value_get_uint (value));
    case G_TYPE_LONG:
      return g_strdup_printf ("%ld", g_value_get_long (value));
    case G_TYPE_ULONG:
      return g_strdup_printf ("%lu", g_value_get_ulong (value));
    case G_TYPE_INT64:
      return g_strdup_printf ("%" G_GINT64_FORMAT, g_value_get_int64 (value));
    case G_TYPE_UINT64:
      return g_strdup_printf ("%" G_GUINT64_FORMAT, g_value_get_uint64 (value));
    case G_TYPE_FLOAT:
      return g_strdup_printf ("%.9g", g_value_get_float (value));
    case G_TYPE_DOUBLE:
      return g_strdup_printf ("%.17g", g_value_get_double (value));
    case G_TYPE_ENUM:
      {
        GEnumValue *v = g_enum_get_value (g_type_class_peek (type), g_value_get_enum (value));
        return v ? g_strdup (v->value_nick) : g_strdup_printf ("%d", g_value_get_enum (value));
      }
    case G_TYPE_FLAGS:
      return g_strdup_printf ("0x%x", g_value_get_flags (value));
    case G_TYPE_STRING:
      {
        const char *s = g_value_get_string (value);
        g_autofree char *escaped = s ? g_strescape (s, NULL) : NULL;
        return s ? g_strdup_printf ("\"%s\"", escaped) : g_strdup ("null");
      }
    case G_TYPE_VARIANT:
      {
        GVariant *v = g_value_get_variant (value);
        return v ? g_variant_print (v, TRUE) : g_strdup ("null");
      }
    case G_TYPE_BOXED:
      if (type == G_TYPE_STRV)
        {
          const char * const *strv = g_value_get_boxed (value);
          GString *s = g_string_new ("[");

          for (guint i = 0; strv && strv[i]; i++)
            {
              g_autofree char *escaped = g_strescape (strv[i], NULL);
              g_string_append_printf (s, "%s\"%s\"", i ? ", " : "", escaped);
            }
          g_string_append_c (s, ']');
          return g_string_free (s, FALSE);
        }
      return g_value_get_boxed (value) ? NULL : g_strdup ("null");
    case G_TYPE_OBJECT:
    case G_TYPE_POINTER:
    case G_TYPE_PARAM:
    default:
      return G_VALUE_HOLDS_OBJECT (value) && g_value_get_object (value) == NULL
             ? g_strdup ("null") : NULL;
    }
}

static int
compare_pspecs (gconstpointer a,
                gconstpointer b)
{
  return strcmp ((*(GParamSpec **) a)->name, (*(GParamSpec **) b)->name);
}

/* The data version of an external input: the hash of its value, computed
 * once per run. NULL when it cannot be hashed (a stream from elsewhere). */
static const char *
external_version (CacheRun        *run,
                  SetlDeliverable *deliverable)
{
  const char *version;
  const GValue *payload = setl_deliverable_get_payload (deliverable);

  g_mutex_lock (&run->lock);
  version = g_hash_table_lookup (run->external_versions, deliverable);
  if (version == NULL && payload != NULL)
    {
      g_auto(GValue) v = G_VALUE_INIT;
      char *hash = NULL;

      if (G_VALUE_HOLDS_OBJECT (payload) && SETL_IS_TABLE (g_value_get_object (payload)))
        {
          g_value_init (&v, SETL_TYPE_TABLE);
          g_value_set_object (&v, g_value_get_object (payload));
          hash = setl_cache_payload_hash (&v, NULL);
        }
      else if (setl_cache_payload_type_is_supported (G_VALUE_TYPE (payload)))
        hash = setl_cache_payload_hash (payload, NULL);
      if (hash != NULL)
        g_hash_table_insert (run->external_versions, deliverable, hash);
      version = hash;
    }
  g_mutex_unlock (&run->lock);
  return version;
}

/* @object's properties sorted by name, made once per type: a class's
 * properties are fixed once it is initialised, and listing them walks the
 * properties of every type there is. The list lives as long as the type
 * (its pspecs are referenced). */
static GPtrArray *
sorted_properties (GObject *object)
{
  static GMutex lock;
  static GQuark quark;
  GType type = G_OBJECT_TYPE (object);
  GPtrArray *props;

  g_mutex_lock (&lock);
  if (quark == 0)
    quark = g_quark_from_static_string ("setl-cache-sorted-properties");
  props = g_type_get_qdata (type, quark);
  if (props == NULL)
    {
      g_autofree GParamSpec **pspecs = NULL;
      guint n_pspecs = 0;

      pspecs = g_object_class_list_properties (G_OBJECT_GET_CLASS (object), &n_pspecs);
      qsort (pspecs, n_pspecs, sizeof *pspecs, compare_pspecs);
      props = g_ptr_array_new_full (n_pspecs, NULL);
      for (guint i = 0; i < n_pspecs; i++)
        g_ptr_array_add (props, g_param_spec_ref (pspecs[i]));
      g_type_set_qdata (type, quark, props);
    }
  g_mutex_unlock (&lock);
  return props;
}

static char *
subject_of (SetlPipeline *pipeline,
            SetlFactory  *factory)
{
  return g_strdup_printf ("%s/%s", setl_pipeline_get_name (pipeline),
                          setl_factory_get_name (factory));
}

/* Builds @n's key. Returns NULL with @why set when it has none (an input
 * whose data version is unknown, a property that cannot be written down,
 * external data that cannot be reached). */
static SetlCacheKey *
compute_key (SetlPipeline          *pipeline,
             CacheRun              *run,
             Node                  *n,
             SetlFingerprintFlags   flags,
             GCancellable          *cancellable,
             char                 **why)
{
  SetlFactory *factory = n->factory;
  g_autofree char *subject = subject_of (pipeline, factory);
  g_autoptr(SetlCacheKey) key = setl_cache_key_new (subject);
  const TypeOrigin *origin = find_origin (G_OBJECT_TYPE (factory));
  GPtrArray *props = sorted_properties (G_OBJECT (factory));
  GParamSpec **pspecs = (GParamSpec **) props->pdata;
  const SetlResolvedSlot *slots;
  guint n_pspecs = props->len, n_slots = 0;

  setl_cache_key_add (key, "type", G_OBJECT_TYPE_NAME (factory));
  if (origin != NULL)
    {
      setl_cache_key_add_printf (key, "plugin", "%s %s", origin->plugin,
                                 origin->version ? origin->version : "");
      setl_cache_key_add (key, "feature-version",
                          origin->feature_version ? origin->feature_version : "");
    }
  else
    setl_cache_key_add (key, "plugin", "(none: not from a plugin)");
  setl_cache_key_add (key, "code-version",
                      setl_factory_get_code_version (factory) ? setl_factory_get_code_version (factory) : "");
  setl_cache_key_add (key, "writes",
                      n->stage_writable && setl_factory_get_writable (factory) ? "true" : "false");

  for (guint i = 0; i < n_pspecs; i++)
    {
      g_auto(GValue) value = G_VALUE_INIT;
      g_autofree char *text = NULL;
      g_autofree char *name = NULL;

      if (!setl_cache_property_in_key (pspecs[i]) ||
          strcmp (pspecs[i]->name, "writable") == 0 ||
          strcmp (pspecs[i]->name, "code-version") == 0)
        continue;
      g_value_init (&value, pspecs[i]->value_type);
      g_object_get_property (G_OBJECT (factory), pspecs[i]->name, &value);
      text = canonical_value (&value);
      if (text == NULL)
        {
          *why = g_strdup_printf ("property “%s” (%s) has no value a key can hold; "
                                  "mark it SETL_PARAM_NOT_IN_CACHE_KEY if it does not "
                                  "change the output", pspecs[i]->name,
                                  g_type_name (pspecs[i]->value_type));
          return NULL;
        }
      name = g_strconcat ("property:", pspecs[i]->name, NULL);
      setl_cache_key_add (key, name, text);
    }

  slots = _setl_inspector_get_resolved (run->inspector, factory, &n_slots);
  for (guint i = 0; i < n_slots; i++)
    {
      g_autofree char *name = g_strconcat ("input:", setl_delivery_get_name (slots[i].slot), NULL);
      const char *version;

      if (slots[i].source == NULL)
        {
          setl_cache_key_add (key, name, "none");
          continue;
        }
      if (setl_node_is_external (slots[i].source))
        {
          version = external_version (run, setl_node_get_deliverable (slots[i].source));
          if (version == NULL)
            {
              *why = g_strdup_printf ("external input “%s” cannot be fingerprinted",
                                      setl_delivery_get_name (slots[i].slot));
              return NULL;
            }
          setl_cache_key_add_printf (key, name, "external %s", version);
          continue;
        }
      {
        SetlFactory *producer = setl_node_get_factory (slots[i].source);
        Node *up = g_hash_table_lookup (run->nodes, producer);

        if (up == NULL || up->data_version == NULL)
          {
            *why = g_strdup_printf ("the data version of input “%s” (factory “%s”) is unknown",
                                    setl_delivery_get_name (slots[i].slot),
                                    setl_factory_get_name (producer));
            return NULL;
          }
        setl_cache_key_add_printf (key, name, "%s %s", setl_factory_get_name (producer),
                                   up->data_version);
      }
    }

  /* Filters (validation hooks) change what the factory passes on, or make
   * it fail: a cached result stands for the filters that made it. */
  for (guint i = 0, n = _setl_factory_get_n_filters (factory); i < n; i++)
    {
      const char *slot = NULL;
      const char *text = _setl_factory_get_filter_key (factory, i, &slot);
      g_autofree char *name = g_strdup_printf ("filter:%u:%s", i + 1, slot ? slot : "output");

      if (text == NULL)
        {
          *why = g_strdup_printf ("filter %u (on %s%s) does not say what it does to the data "
                                  "(setl_factory_add_filter_full())", i + 1,
                                  slot ? "input " : "the output", slot ? slot : "");
          return NULL;
        }
      setl_cache_key_add (key, name, text);
    }

  if (SETL_IS_CACHEABLE (factory))
    {
      g_autoptr(GError) error = NULL;

      if (!setl_cacheable_add_fingerprint (SETL_CACHEABLE (factory), key, flags,
                                           cancellable, &error))
        {
          *why = g_strdup (error->message);
          return NULL;
        }
    }
  return g_steal_pointer (&key);
}

/* ----------------------------------------------------------------------- */
/* Running a factory with the cache                                         */

/* Storing an entry (compressing and writing a table, for a disk cache) is
 * not on the way of the factories that read the result: it is done on a
 * thread of its own, one entry after another, while the run goes on; the
 * run waits for it before it reports. Small entries are stored at once. */
typedef struct {
  SetlCachePolicy *policy;
  SetlCacheEntry *entry;
  SetlFactoryResult *result;
  char *factory_name;
} StoreJob;

/* Smaller entries are stored at once: starting the thread would cost more. */
#define STORE_INLINE_BELOW (1 << 20)

static void
store_job (gpointer data,
           gpointer user_data)
{
  StoreJob *job = data;
  g_autoptr(GError) error = NULL;

  if (setl_cache_policy_store (job->policy, job->entry, NULL, &error))
    result_cache (job->result)->bytes = setl_cache_entry_get_size (job->entry);
  else
    setl_log (G_LOG_DOMAIN, G_LOG_LEVEL_WARNING,
              "Factory “%s”: its result could not be stored in the cache: %s",
              job->factory_name, error->message);
  g_object_unref (job->policy);
  g_object_unref (job->entry);
  g_object_unref (job->result);
  g_free (job->factory_name);
  g_free (job);
}

static void
store_later (CacheRun          *run,
             SetlCachePolicy   *policy,
             SetlCacheEntry    *entry,
             SetlFactory       *factory,
             SetlFactoryResult *result)
{
  StoreJob *job = g_new0 (StoreJob, 1);
  gboolean now = setl_cache_entry_get_size (entry) < STORE_INLINE_BELOW;

  job->policy = g_object_ref (policy);
  job->entry = g_object_ref (entry);
  job->result = g_object_ref (result);
  job->factory_name = g_strdup (setl_factory_get_name (factory));
  if (now)
    {
      store_job (job, NULL);
      return;
    }
  g_mutex_lock (&run->lock);
  if (run->stores == NULL)
    run->stores = g_thread_pool_new (store_job, NULL, 1, FALSE, NULL);
  g_thread_pool_push (run->stores, job, NULL);
  g_mutex_unlock (&run->lock);
}

static SetlDeliverable *
make_deliverable (SetlFactory *factory,
                  GValue      *output)
{
  SetlDeliverable *d = setl_deliverable_new (output, G_OBJECT_TYPE (factory),
                                             setl_factory_get_delivery_id (factory));
  const GType *consumers;
  guint n;

  consumers = setl_factory_get_consumers (factory, &n);
  for (guint i = 0; i < n; i++)
    setl_deliverable_add_consumer (d, consumers[i]);
  return d;
}

static gboolean
output_holds_table (GType output_type)
{
  return output_type == SETL_TYPE_TABLE || output_type == SETL_TYPE_BATCH_STREAM;
}

/* The deliverable of a hit: a table is loaded when first read; a simple
 * value is loaded now. */
static SetlDeliverable *
deliver_entry (SetlCachePolicy   *policy,
               SetlFactory       *factory,
               SetlCacheEntry    *entry,
               SetlJobGroup      *group,
               gboolean           stage_writable,
               GPtrArray         *hooks,
               SetlFactoryResult *result,
               GCancellable      *cancellable,
               GError           **error)
{
  GType output_type = setl_factory_get_output_type (factory);
  GType payload_type = setl_cache_entry_get_payload_type (entry);
  g_auto(GValue) output = G_VALUE_INIT;

  if (payload_type == SETL_TYPE_TABLE && output_holds_table (output_type))
    {
      g_value_init (&output, output_type);
      if (output_type == SETL_TYPE_BATCH_STREAM && setl_cache_entry_get_payload (entry) == NULL)
        {
          SetlCacheStream *stream = _setl_cache_stream_new (policy, entry);

          _setl_cache_stream_set_fallback (stream, factory, group, stage_writable, hooks, result);
          g_value_take_object (&output, stream);
        }
      else
        {
          if (!setl_cache_policy_load (policy, entry, cancellable, error))
            return NULL;
          g_value_set_object (&output, g_value_get_object (setl_cache_entry_get_payload (entry)));
        }
      return make_deliverable (factory, &output);
    }
  if (payload_type != output_type)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "the cached value is a %s, not the factory's %s",
                   g_type_name (payload_type), g_type_name (output_type));
      return NULL;
    }
  if (!setl_cache_policy_load (policy, entry, cancellable, error))
    return NULL;
  g_value_init (&output, output_type);
  g_value_copy (setl_cache_entry_get_payload (entry), &output);
  return make_deliverable (factory, &output);
}

/* The payload to store for a deliverable that is already in memory: its
 * table, or its simple value (streams go through store_stream()). NULL
 * with @why set when there is nothing to store. */
static gboolean
materialize (SetlDeliverable  *deliverable,
             GValue           *payload,
             char            **why)
{
  const GValue *output = setl_deliverable_get_payload (deliverable);
  GObject *object;

  if (output == NULL)
    {
      *why = g_strdup ("the factory delivered nothing");
      return FALSE;
    }
  if (setl_cache_payload_type_is_supported (G_VALUE_TYPE (output)))
    {
      g_value_init (payload, G_VALUE_TYPE (output));
      g_value_copy (output, payload);
      return TRUE;
    }
  object = G_VALUE_HOLDS_OBJECT (output) ? g_value_get_object (output) : NULL;
  if (object != NULL && SETL_IS_TABLE (object))
    {
      g_value_init (payload, SETL_TYPE_TABLE);
      g_value_set_object (payload, object);
      return TRUE;
    }
  *why = g_strdup_printf ("a %s cannot be cached", g_type_name (G_VALUE_TYPE (output)));
  return FALSE;
}

/* The stream a deliverable holds when it must be read to be stored (not a
 * table, which is in memory already), or NULL. */
static SetlBatchStream *
stream_to_store (SetlDeliverable *deliverable)
{
  const GValue *output = setl_deliverable_get_payload (deliverable);
  GObject *object;

  if (output == NULL || G_VALUE_TYPE (output) != SETL_TYPE_BATCH_STREAM)
    return NULL;
  object = g_value_get_object (output);
  if (object == NULL || SETL_IS_TABLE (object))
    return NULL;
  return SETL_BATCH_STREAM (object);
}

/* Writing a batch (compressing it, for a disk cache) is done on a thread
 * of its own while the next batch is read and hashed: the two overlap, and
 * at most FEED_AHEAD batch waits between them. A stream of one batch
 * never starts the thread. */
#define FEED_AHEAD 1

typedef struct {
  SetlCacheWriter *writer;
  GCancellable *cancellable;
  GThread *thread;
  GMutex lock;
  GCond cond;
  GQueue todo;            /* of SetlRecordBatch, then NULL at the end */
  GError *error;          /* the writer's first failure */
  gboolean stopped;       /* the thread has left */
} Feeder;

static gpointer
feeder_thread (gpointer data)
{
  Feeder *f = data;

  for (;;)
    {
      SetlRecordBatch *batch;
      GError *error = NULL;

      g_mutex_lock (&f->lock);
      while (g_queue_is_empty (&f->todo))
        g_cond_wait (&f->cond, &f->lock);
      batch = g_queue_peek_head (&f->todo);
      g_mutex_unlock (&f->lock);
      if (batch == NULL)
        break;

      if (!setl_cache_writer_add_batch (f->writer, batch, f->cancellable, &error))
        {
          g_mutex_lock (&f->lock);
          f->error = error;
          g_mutex_unlock (&f->lock);
          break;
        }
      /* Only now is it gone: the reader waits on what is in the queue. */
      g_mutex_lock (&f->lock);
      g_object_unref (g_queue_pop_head (&f->todo));
      g_cond_broadcast (&f->cond);
      g_mutex_unlock (&f->lock);
    }
  g_mutex_lock (&f->lock);
  f->stopped = TRUE;
  g_cond_broadcast (&f->cond);
  g_mutex_unlock (&f->lock);
  return NULL;
}

/* Hands @batch to the writer: at once for the first one, else to the
 * thread (started now), waiting while FEED_AHEAD batches are queued.
 * FALSE with @error set when the writer failed. */
static gboolean
feeder_push (Feeder           *f,
             SetlRecordBatch  *batch,
             GError          **error)
{
  gboolean ok;

  if (f->thread == NULL && setl_cache_writer_get_n_batches (f->writer) == 0)
    return setl_cache_writer_add_batch (f->writer, batch, f->cancellable, error);
  if (f->thread == NULL)
    f->thread = g_thread_new ("setl-cache-store", feeder_thread, f);

  g_mutex_lock (&f->lock);
  while (!f->stopped && g_queue_get_length (&f->todo) >= FEED_AHEAD)
    g_cond_wait (&f->cond, &f->lock);
  ok = !f->stopped;
  if (ok)
    {
      g_queue_push_tail (&f->todo, g_object_ref (batch));
      g_cond_broadcast (&f->cond);
    }
  else if (f->error != NULL)
    g_propagate_error (error, g_steal_pointer (&f->error));
  g_mutex_unlock (&f->lock);
  return ok;
}

/* Waits for the queued batches to be written and stops the thread.
 * FALSE with @error set when the writer failed. */
static gboolean
feeder_finish (Feeder  *f,
               GError **error)
{
  if (f->thread != NULL)
    {
      g_mutex_lock (&f->lock);
      g_queue_push_tail (&f->todo, NULL);
      g_cond_broadcast (&f->cond);
      g_mutex_unlock (&f->lock);
      g_thread_join (g_steal_pointer (&f->thread));
    }
  /* The end mark, and what is left behind when the writer failed. */
  while (!g_queue_is_empty (&f->todo))
    {
      SetlRecordBatch *batch = g_queue_pop_head (&f->todo);

      if (batch != NULL)
        g_object_unref (batch);
    }
  if (f->error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&f->error));
      return FALSE;
    }
  return TRUE;
}

/* Reads @stream once, handing each batch to @writer and hashing it as it
 * passes: only a few batches are held here. Returns the data version (the
 * hash setl_cache_payload_hash() gives the same rows as a table), or NULL
 * with @error set; *@stream_failed says whether the stream itself failed
 * (the factory's output cannot be read) rather than the writer. */
static char *
drain (SetlBatchStream  *stream,
       SetlCacheWriter  *writer,
       GCancellable     *cancellable,
       gboolean         *stream_failed,
       GError          **error)
{
  g_autoptr(SetlBatchIterator) it = NULL;
  Feeder feeder = { writer, cancellable };
  GError *stream_error = NULL;
  GError *writer_error = NULL;
  SetlTableHasher *hasher;
  SetlRecordBatch *batch;
  SetlField **fields;
  guint n_fields;

  *stream_failed = TRUE;
  it = setl_batch_stream_open (stream, cancellable, error);
  if (it == NULL)
    return NULL;
  fields = setl_cache_writer_get_fields (writer, &n_fields);
  hasher = _setl_table_hasher_new (fields, n_fields);
  g_mutex_init (&feeder.lock);
  g_cond_init (&feeder.cond);
  while ((batch = setl_batch_iterator_next (it, cancellable, &stream_error)) != NULL)
    {
      gboolean ok = feeder_push (&feeder, batch, &writer_error);

      if (ok)
        _setl_table_hasher_add_batch (hasher, batch);
      g_object_unref (batch);
      if (!ok)
        break;
    }
  /* A failure the push did not see yet shows here. */
  feeder_finish (&feeder, writer_error == NULL ? &writer_error : NULL);
  g_mutex_clear (&feeder.lock);
  g_cond_clear (&feeder.cond);

  if (writer_error != NULL || stream_error != NULL)
    {
      _setl_table_hasher_free (hasher);
      *stream_failed = writer_error == NULL;
      g_propagate_error (error, writer_error != NULL ? writer_error : stream_error);
      if (writer_error != NULL)
        g_clear_error (&stream_error);
      return NULL;
    }
  *stream_failed = FALSE;
  return _setl_table_hasher_finish (hasher);
}

/* Stores a factory's stream output batch by batch (setl_cache_policy_begin_store()):
 * the stream is read once, each batch written to the policy and hashed,
 * and the consumers then read what the policy returns — for a disk cache,
 * the stored entry read back batch by batch — so that a cold run holds a
 * few batches, not the data. Returns the deliverable the consumers get.
 * When nothing is stored (larger than the policy's max-size, the store or
 * the stream failed), they get @deliverable and read its stream again,
 * and the factory's data version is its key. */
static SetlDeliverable *
store_stream (SetlCachePolicy   *policy,
              SetlFactory       *factory,
              SetlCacheKey      *key,
              Node              *n,
              SetlDeliverable   *deliverable,
              gint64             start,
              GCancellable      *cancellable,
              SetlFactoryResult *result)
{
  SetlBatchStream *stream = stream_to_store (deliverable);
  g_autoptr(SetlCacheEntry) entry = setl_cache_entry_new (key, NULL);
  g_autoptr(SetlCacheWriter) writer = NULL;
  g_autoptr(SetlBatchStream) stored = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *hash = NULL;
  g_auto(GValue) output = G_VALUE_INIT;
  gboolean stream_failed = FALSE;
  SetlField **fields;
  guint n_fields = 0;

  fields = setl_batch_stream_get_fields (stream, &n_fields);
  if (SETL_IS_CACHEABLE (factory))
    {
      g_autofree char *fingerprint =
        setl_cacheable_output_fingerprint (SETL_CACHEABLE (factory), NULL);
      setl_cache_entry_set_output_fingerprint (entry, fingerprint);
    }
  writer = setl_cache_policy_begin_store (policy, entry, fields, n_fields, cancellable, &error);
  if (writer != NULL)
    hash = drain (stream, writer, cancellable, &stream_failed, &error);
  if (hash != NULL)
    {
      setl_cache_entry_set_data_version (entry, hash);
      setl_cache_entry_set_compute_time (entry, g_get_monotonic_time () - start);
      stored = setl_cache_writer_commit (writer, cancellable, &error);
    }
  if (stored == NULL)
    {
      /* Still deterministic: the key stands for what it was computed from. */
      n->data_version = g_strconcat ("key:", setl_cache_key_get_digest (key), NULL);
      if (stream_failed || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE) ||
          g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        setl_log (G_LOG_DOMAIN, G_LOG_LEVEL_INFO, "Factory “%s”: result not cached: %s%s",
                  setl_factory_get_name (factory),
                  stream_failed ? "its output cannot be read: " : "", error->message);
      else
        setl_log (G_LOG_DOMAIN, G_LOG_LEVEL_WARNING,
                  "Factory “%s”: its result could not be stored in the cache: %s",
                  setl_factory_get_name (factory), error->message);
      return deliverable;
    }

  n->data_version = g_steal_pointer (&hash);
  result_cache (result)->bytes = setl_cache_entry_get_size (entry);
  g_value_init (&output, SETL_TYPE_BATCH_STREAM);
  g_value_set_object (&output, stored);
  g_object_unref (deliverable);
  return make_deliverable (factory, &output);
}

static void
note (SetlFactoryResult   *result,
      SetlCacheMissReason  reason,
      SetlCacheKey        *key)
{
  ResultCache *rc = result_cache (result);

  rc->reason = reason;
  if (key != NULL)
    _setl_set_str (&rc->key, setl_cache_key_get_digest (key));
}

/* @n's key, and its entry when the policy has a usable one (a hit); else
 * NULL with @reason saying why not, and @why why there is no key. */
static SetlCacheEntry *
look_up (SetlPipeline         *pipeline,
         PipelineCache        *pc,
         Node                 *n,
         GCancellable         *cancellable,
         SetlCacheKey        **key,
         char                **why,
         SetlCacheMissReason  *reason)
{
  SetlFactory *factory = n->factory;
  SetlCacheMode mode = setl_factory_get_cache_mode (factory);
  g_autoptr(SetlCacheEntry) entry = NULL;
  g_autoptr(GError) error = NULL;

  if (mode != SETL_CACHE_MODE_IGNORE)
    *key = compute_key (pipeline, pc->run, n, pc->flags, cancellable, why);

  if (mode == SETL_CACHE_MODE_IGNORE || mode == SETL_CACHE_MODE_DISABLE)
    *reason = SETL_CACHE_MISS_DISABLED;
  else if (*key == NULL)
    *reason = SETL_CACHE_MISS_UNCACHEABLE;
  else if (mode == SETL_CACHE_MODE_RECOMPUTE)
    *reason = SETL_CACHE_MISS_RECOMPUTE;
  if (mode != SETL_CACHE_MODE_DEFAULT || *key == NULL)
    return NULL;

  entry = setl_cache_policy_lookup (pc->policy, *key, reason, cancellable, &error);
  if (error != NULL)
    {
      setl_log (G_LOG_DOMAIN, G_LOG_LEVEL_WARNING,
                "Factory “%s”: the cache cannot be read, running it: %s",
                setl_factory_get_name (factory), error->message);
      *reason = SETL_CACHE_MISS_CORRUPT;
    }
  if (entry != NULL && SETL_IS_CACHEABLE (factory) &&
      setl_cache_entry_get_output_fingerprint (entry) != NULL)
    {
      g_autofree char *now = setl_cacheable_output_fingerprint (SETL_CACHEABLE (factory), NULL);

      if (g_strcmp0 (now, setl_cache_entry_get_output_fingerprint (entry)) != 0)
        {
          g_clear_object (&entry);
          *reason = SETL_CACHE_MISS_OUTPUT_CHANGED;
        }
    }
  return g_steal_pointer (&entry);
}

gboolean
_setl_cache_prefetch (SetlPipeline *pipeline,
                      SetlFactory  *factory,
                      GCancellable *cancellable)
{
  PipelineCache *pc = pipeline_cache (pipeline, FALSE);
  Node *n;
  GType output_type;

  /* Content fingerprints read whole files: those keys are computed on the
   * factories' own threads, in parallel. */
  if (pc == NULL || pc->run == NULL || pc->policy == NULL ||
      (pc->flags & SETL_FINGERPRINT_CONTENT) != 0)
    return FALSE;
  n = g_hash_table_lookup (pc->run->nodes, factory);
  if (n == NULL || n->prefetched)
    return FALSE;

  n->entry = look_up (pipeline, pc, n, cancellable, &n->key, &n->why, &n->reason);
  n->prefetched = TRUE;
  if (n->entry == NULL)
    return FALSE;
  /* A table is cheap to hand on when it is already in memory, or when the
   * factory delivers a stream, which loads it only when read. */
  output_type = setl_factory_get_output_type (factory);
  return setl_cache_entry_get_payload (n->entry) != NULL ||
         (setl_cache_entry_get_payload_type (n->entry) == SETL_TYPE_TABLE &&
          output_type == SETL_TYPE_BATCH_STREAM);
}

SetlDeliverable *
_setl_cache_run_factory (SetlPipeline      *pipeline,
                         SetlFactory       *factory,
                         SetlJobGroup      *group,
                         gboolean           stage_writable,
                         GPtrArray         *hooks,
                         GCancellable      *cancellable,
                         SetlFactoryResult *result)
{
  PipelineCache *pc = pipeline_cache (pipeline, FALSE);
  CacheRun *run = pc ? pc->run : NULL;
  SetlCachePolicy *policy = pc ? pc->policy : NULL;
  SetlCacheMode mode = setl_factory_get_cache_mode (factory);
  g_autoptr(SetlCacheKey) key = NULL;
  g_autoptr(SetlCacheEntry) hit = NULL;
  g_autofree char *why = NULL;
  SetlCacheMissReason reason;
  SetlDeliverable *deliverable;
  Node *n;
  gint64 start;

  if (run == NULL || policy == NULL)
    return _setl_factory_run (factory, group, stage_writable, hooks, cancellable, result);
  n = g_hash_table_lookup (run->nodes, factory);
  g_assert (n != NULL);

  if (n->prefetched)
    {
      /* Looked up as its stage was dispatched: not looked up twice. */
      key = g_steal_pointer (&n->key);
      hit = g_steal_pointer (&n->entry);
      why = g_steal_pointer (&n->why);
      reason = n->reason;
      n->prefetched = FALSE;
    }
  else
    hit = look_up (pipeline, pc, n, cancellable, &key, &why, &reason);

  if (hit != NULL)
    {
      g_autoptr(GError) error = NULL;

      deliverable = deliver_entry (policy, factory, hit, group, stage_writable, hooks,
                                   result, cancellable, &error);
      if (deliverable != NULL)
        {
          ResultCache *rc = result_cache (result);
          g_autofree char *status = NULL;

          g_free (n->data_version);
          n->data_version = setl_cache_entry_get_data_version (hit)
            ? g_strdup (setl_cache_entry_get_data_version (hit))
            : g_strconcat ("key:", setl_cache_key_get_digest (key), NULL);
          note (result, SETL_CACHE_MISS_NONE, key);
          rc->bytes = setl_cache_entry_get_size (hit);
          rc->saved = setl_cache_entry_get_compute_time (hit);
          status = g_strdup_printf ("reused from the cache (key %.12s…)",
                                    setl_cache_key_get_digest (key));
          _setl_factory_result_set_status (result, SETL_FACTORY_STATUS_REUSED, status);
          return deliverable;
        }
      setl_log (G_LOG_DOMAIN, G_LOG_LEVEL_WARNING,
                "Factory “%s”: its cached result cannot be used, running it: %s",
                setl_factory_get_name (factory), error->message);
      reason = SETL_CACHE_MISS_CORRUPT;
    }
  if (reason == SETL_CACHE_MISS_KEY_CHANGED)
    {
      g_autoptr(SetlCacheEntry) previous =
        setl_cache_policy_lookup_subject (policy, setl_cache_key_get_subject (key), cancellable, NULL);
      if (previous != NULL)
        result_cache (result)->changed =
          setl_cache_key_diff (key, setl_cache_entry_get_key (previous));
    }
  note (result, reason, key);
  if (why != NULL)
    setl_log (G_LOG_DOMAIN, G_LOG_LEVEL_DEBUG, "Factory “%s” is not cached: %s",
              setl_factory_get_name (factory), why);

  start = g_get_monotonic_time ();
  deliverable = _setl_factory_run (factory, group, stage_writable, hooks, cancellable, result);
  if (deliverable == NULL)
    return NULL;

  g_clear_pointer (&n->data_version, g_free);
  if (mode == SETL_CACHE_MODE_IGNORE)
    {
      /* Left out of its dependents' keys on purpose. */
      n->data_version = g_strdup ("ignored");
      return deliverable;
    }
  if (key == NULL)
    return deliverable;     /* dependents are uncacheable too */
  if (mode == SETL_CACHE_MODE_DISABLE)
    {
      n->data_version = g_strconcat ("key:", setl_cache_key_get_digest (key), NULL);
      return deliverable;
    }

  if (stream_to_store (deliverable) != NULL)
    return store_stream (policy, factory, key, n, deliverable, start, cancellable, result);

  {
    g_auto(GValue) payload = G_VALUE_INIT;
    g_autoptr(SetlCacheEntry) entry = NULL;
    g_autoptr(GError) error = NULL;
    g_autofree char *not_stored = NULL;
    char *hash;

    if (!materialize (deliverable, &payload, &not_stored))
      {
        /* Still deterministic: the key stands for what it was computed from. */
        n->data_version = g_strconcat ("key:", setl_cache_key_get_digest (key), NULL);
        setl_log (G_LOG_DOMAIN, G_LOG_LEVEL_INFO, "Factory “%s”: result not cached: %s",
                  setl_factory_get_name (factory), not_stored);
        return deliverable;
      }

    hash = setl_cache_payload_hash (&payload, NULL);
    n->data_version = hash;
    entry = setl_cache_entry_new (key, &payload);
    setl_cache_entry_set_data_version (entry, hash);
    setl_cache_entry_set_compute_time (entry, g_get_monotonic_time () - start);
    if (SETL_IS_CACHEABLE (factory))
      {
        g_autofree char *fingerprint =
          setl_cacheable_output_fingerprint (SETL_CACHEABLE (factory), NULL);
        setl_cache_entry_set_output_fingerprint (entry, fingerprint);
      }
    store_later (run, policy, entry, factory, result);
  }
  return deliverable;
}

/* ----------------------------------------------------------------------- */
/* Keys without running: what `setl cache explain` shows                    */

/**
 * setl_pipeline_compute_cache_key:
 * @self: a #SetlPipeline with a cache policy, not running
 * @factory_name: one of its factories
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Computes the key @factory_name would have if the pipeline ran now,
 * without running anything: the factories it depends on are looked up in
 * the cache to learn their data versions. When one of them would have to
 * run (a miss), its data version cannot be known in advance: the input's
 * ingredient then says `unknown`, with the producer's miss reason.
 *
 * Returns: (transfer full): the key, or %NULL with @error set when the
 *   pipeline does not inspect, has no such factory or no cache policy
 */
SetlCacheKey *
setl_pipeline_compute_cache_key (SetlPipeline  *self,
                                 const char    *factory_name,
                                 GCancellable  *cancellable,
                                 GError       **error)
{
  PipelineCache *pc;
  const char *outputs[] = { factory_name, NULL };
  CacheRun *run;
  SetlCacheKey *target_key = NULL;
  SetlFactory *target;

  g_return_val_if_fail (SETL_IS_PIPELINE (self), NULL);
  g_return_val_if_fail (factory_name != NULL, NULL);

  pc = pipeline_cache (self, FALSE);
  if (pc == NULL || pc->policy == NULL)
    {
      g_set_error (error, SETL_PIPELINE_ERROR, SETL_PIPELINE_ERROR_NOT_FOUND,
                   "Pipeline “%s” has no cache policy", setl_pipeline_get_name (self));
      return NULL;
    }
  if (!setl_pipeline_inspect (self, error))
    return NULL;
  run = cache_run_new (self, setl_pipeline_get_inspector (self), outputs, error);
  if (run == NULL)
    return NULL;
  target = find_factory (self, factory_name);

  for (guint i = 0; i < run->order->len; i++)
    {
      Node *n = g_ptr_array_index (run->order, i);
      g_autoptr(SetlCacheKey) key = NULL;
      g_autoptr(SetlCacheEntry) entry = NULL;
      g_autofree char *why = NULL;
      SetlCacheMissReason reason = SETL_CACHE_MISS_DISABLED;

      if (!n->needed)
        continue;
      if (setl_factory_get_cache_mode (n->factory) == SETL_CACHE_MODE_IGNORE)
        {
          n->data_version = g_strdup ("ignored");
          continue;
        }
      key = compute_key (self, run, n, pc->flags, cancellable, &why);
      if (key == NULL)
        {
          /* An upstream miss: say so in the inputs that depend on it. */
          n->data_version = g_strdup_printf ("unknown (%s)", why);
          if (n->factory == target)
            {
              /* Build it anyway, for explain, with the unknowns spelled out. */
              for (guint j = 0; j < run->order->len; j++)
                {
                  Node *m = g_ptr_array_index (run->order, j);
                  if (m->needed && m->data_version == NULL)
                    m->data_version = g_strdup ("unknown");
                }
              g_clear_pointer (&why, g_free);
              target_key = compute_key (self, run, n, pc->flags, cancellable, &why);
              if (target_key == NULL)
                g_set_error (error, SETL_PIPELINE_ERROR, SETL_PIPELINE_ERROR_NOT_FOUND,
                             "Factory “%s” has no cache key: %s", factory_name, why);
            }
          continue;
        }
      if (setl_factory_get_cache_mode (n->factory) == SETL_CACHE_MODE_DEFAULT)
        entry = setl_cache_policy_lookup (pc->policy, key, &reason, cancellable, NULL);
      if (entry != NULL && setl_cache_entry_get_data_version (entry) != NULL)
        n->data_version = g_strdup (setl_cache_entry_get_data_version (entry));
      else if (setl_factory_get_cache_mode (n->factory) == SETL_CACHE_MODE_DISABLE)
        n->data_version = g_strconcat ("key:", setl_cache_key_get_digest (key), NULL);
      else
        n->data_version = g_strdup_printf ("unknown (factory “%s” would run: %s)",
                                           setl_factory_get_name (n->factory),
                                           setl_cache_miss_reason_to_string (reason));
      if (n->factory == target)
        target_key = g_steal_pointer (&key);
    }
  cache_run_free (run);
  return target_key;
}
