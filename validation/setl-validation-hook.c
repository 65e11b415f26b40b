/* setl-validation-hook.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/**
 * SECTION:setl-validation-hook
 * @title: Validation hooks
 *
 * A schema on a factory's output, on its inputs, or on a stage boundary
 * (the outputs of a stage's factories), with what to do when data fails
 * it (#SetlValidationAction):
 *
 * |[<!-- language="C" -->
 * g_autoptr(SetlValidator) validator = setl_validator_new (schema, NULL, &error);
 * // the rows "clean" gives that fail the schema are dropped and counted
 * setl_validation_hook_add (clean, NULL, validator, SETL_VALIDATION_ACTION_DROP);
 * ]|
 *
 * Hooks stay streaming: a factory's #SetlBatchStream is wrapped with the
 * validator's filtering stream (setl_validator_filter()), so rows are
 * validated as the consumer reads them and memory stays bounded. Hence
 * "fail" makes the factory that *reads* the data fail, once it has been
 * read to the end, with the full report's text (sinks write atomically:
 * nothing is left behind). A #SetlTable, already in memory, is validated
 * at once instead, and "fail" makes the hooked factory itself fail.
 *
 * Data that is a relation in a SQL database (#SetlSqlRelation: the output
 * of `sqlite-source`, `postgres-source`, `postgres-sql`) is validated
 * where it lives instead, by default (#SetlPushdownMode): the schema's
 * checks run there as one query (setl_validator_validate_in_database())
 * when the hook's factory hands the data on, no row comes to the client,
 * the data goes on unchanged (a `postgres-sink` on the same database
 * still copies it inside the server), and "fail" makes the hooked factory
 * itself fail — or, on an input, the factory that reads it, before its
 * `read`. "drop" needs the rows, and checks that do not compile to SQL
 * need the client: those hooks validate in the client (with an info
 * message saying why), unless their mode is %SETL_PUSHDOWN_MODE_ALWAYS,
 * which fails instead. The report says where it ran
 * (setl_validation_report_get_ran_in()).
 *
 * Caches see hooks: each is an ingredient of its factory's cache key (the
 * schema as validated, with the versions of its check libraries, the
 * depth and the action), so a result cached under one hook is not served
 * under another, and a changed schema re-runs — and re-validates — the
 * factory. A reused result is not validated again: it went through this
 * very hook when it was made.
 *
 * The last report of each hook is kept: setl_validation_hook_get_report().
 * In pipeline files, a factory's `"validate"` member declares hooks (see
 * docs/validation.md).
 */
#include "setl-validation-private.h"
#include "setl-validation-hook.h"
#include "setl-validation-pushdown.h"

#include <string.h>
#include <xxhash.h>

G_DEFINE_ENUM_TYPE (SetlValidationAction, setl_validation_action,
  G_DEFINE_ENUM_VALUE (SETL_VALIDATION_ACTION_FAIL, "fail"),
  G_DEFINE_ENUM_VALUE (SETL_VALIDATION_ACTION_DROP, "drop"),
  G_DEFINE_ENUM_VALUE (SETL_VALIDATION_ACTION_WARN, "warn"))

/**
 * setl_validation_action_from_string:
 * @string: `fail`, `drop` or `warn`
 * @action: (out): the action
 *
 * Returns: whether @string names an action
 */
gboolean
setl_validation_action_from_string (const char           *string,
                                    SetlValidationAction *action)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (SETL_TYPE_VALIDATION_ACTION);
  GEnumValue *value = string ? g_enum_get_value_by_nick (klass, string) : NULL;

  if (value == NULL)
    return FALSE;
  *action = value->value;
  return TRUE;
}

/* ---- the wrapping stream --------------------------------------------- */

#define HOOK_TYPE_STREAM (hook_stream_get_type ())
G_DECLARE_FINAL_TYPE (HookStream, hook_stream, HOOK, STREAM, GObject)

struct _HookStream
{
  GObject parent_instance;

  SetlBatchStream *validated;   /* the validator's filtering stream */
  SetlValidationReport *report; /* filled by each pass over @validated */
  SetlValidationAction action;
  char *context;
};

static void hook_stream_iface_init (SetlBatchStreamInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (HookStream, hook_stream, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (SETL_TYPE_BATCH_STREAM, hook_stream_iface_init))

#define HOOK_TYPE_ITERATOR (hook_iterator_get_type ())
G_DECLARE_FINAL_TYPE (HookIterator, hook_iterator, HOOK, ITERATOR, SetlBatchIterator)

struct _HookIterator
{
  SetlBatchIterator parent_instance;

  HookStream *stream;
  SetlBatchIterator *inner;
  gboolean done;
};

G_DEFINE_FINAL_TYPE (HookIterator, hook_iterator, SETL_TYPE_BATCH_ITERATOR)

static void
hook_stream_finalize (GObject *object)
{
  HookStream *self = HOOK_STREAM (object);

  g_clear_object (&self->validated);
  g_clear_object (&self->report);
  g_free (self->context);
  G_OBJECT_CLASS (hook_stream_parent_class)->finalize (object);
}

static void
hook_stream_class_init (HookStreamClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = hook_stream_finalize;
}

static void
hook_stream_init (HookStream *self)
{
}

static SetlField **
hook_stream_get_fields (SetlBatchStream *stream,
                        guint           *n_fields)
{
  return setl_batch_stream_get_fields (HOOK_STREAM (stream)->validated, n_fields);
}

static SetlBatchIterator *
hook_stream_open (SetlBatchStream  *stream,
                  GCancellable     *cancellable,
                  GError          **error)
{
  HookStream *self = HOOK_STREAM (stream);
  g_autoptr(SetlBatchIterator) inner = setl_batch_stream_open (self->validated, cancellable, error);
  HookIterator *iterator;

  if (inner == NULL)
    return NULL;
  iterator = g_object_new (HOOK_TYPE_ITERATOR, NULL);
  iterator->stream = g_object_ref (self);
  iterator->inner = g_steal_pointer (&inner);
  return SETL_BATCH_ITERATOR (iterator);
}

static void
hook_stream_iface_init (SetlBatchStreamInterface *iface)
{
  iface->get_fields = hook_stream_get_fields;
  iface->open = hook_stream_open;
}

/* Once the data has been read to the end: the report is complete. */
static gboolean
hook_judge (const char            *context,
            SetlValidationReport  *report,
            SetlValidationAction   action,
            GError               **error)
{
  g_autofree char *text = NULL;

  if (setl_validation_report_get_n_failures (report) == 0)
    return TRUE;
  text = setl_validation_report_to_text (report);
  if (action == SETL_VALIDATION_ACTION_FAIL && !setl_validation_report_get_valid (report))
    {
      g_set_error (error, SETL_VALIDATION_ERROR, SETL_VALIDATION_ERROR_FAILED,
                   "%s: the data fails its schema:\n%s", context, text);
      return FALSE;
    }
  if (action == SETL_VALIDATION_ACTION_WARN ||
      setl_validation_report_get_n_warnings (report) > 0)
    setl_log (G_LOG_DOMAIN, G_LOG_LEVEL_WARNING, "%s: the data fails its schema:\n%s", context, text);
  else
    setl_log (G_LOG_DOMAIN, G_LOG_LEVEL_INFO, "%s: %" G_GINT64_FORMAT " invalid rows dropped:\n%s",
              context, setl_validation_report_get_n_dropped_rows (report), text);
  return TRUE;
}

static SetlRecordBatch *
hook_iterator_next (SetlBatchIterator  *iterator,
                    GCancellable       *cancellable,
                    GError            **error)
{
  HookIterator *self = HOOK_ITERATOR (iterator);
  GError *local = NULL;
  SetlRecordBatch *batch;

  if (self->done)
    return NULL;
  batch = setl_batch_iterator_next (self->inner, cancellable, &local);
  if (batch != NULL)
    return batch;
  self->done = TRUE;
  if (local != NULL)
    {
      g_propagate_prefixed_error (error, local, "%s: ", self->stream->context);
      return NULL;
    }
  hook_judge (self->stream->context, self->stream->report, self->stream->action, error);
  return NULL;
}

static void
hook_iterator_finalize (GObject *object)
{
  HookIterator *self = HOOK_ITERATOR (object);

  g_clear_object (&self->inner);
  g_clear_object (&self->stream);
  G_OBJECT_CLASS (hook_iterator_parent_class)->finalize (object);
}

static void
hook_iterator_class_init (HookIteratorClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = hook_iterator_finalize;
  SETL_BATCH_ITERATOR_CLASS (klass)->next = hook_iterator_next;
}

static void
hook_iterator_init (HookIterator *self)
{
}

/**
 * setl_validation_hook_wrap:
 * @validator: the validator (its lazy and drop-invalid-rows settings are
 *   set by the hook: use one validator per hook)
 * @data: the data
 * @action: what to do with invalid data
 * @context: what the data is, for messages (`factory “clean” output`)
 * @report: (out) (transfer full) (optional): the report, complete once
 *   the returned stream has been read to the end
 *
 * The stream a hook puts in place of @data: @data validated as it is
 * read, with invalid rows dropped for %SETL_VALIDATION_ACTION_DROP; at the
 * end of the data, an error with the report's text for
 * %SETL_VALIDATION_ACTION_FAIL, or a warning logged for
 * %SETL_VALIDATION_ACTION_WARN.
 *
 * Returns: (transfer full): the stream
 */
SetlBatchStream *
setl_validation_hook_wrap (SetlValidator         *validator,
                           SetlBatchStream       *data,
                           SetlValidationAction   action,
                           const char            *context,
                           SetlValidationReport **report)
{
  HookStream *stream;

  g_return_val_if_fail (SETL_IS_VALIDATOR (validator), NULL);
  g_return_val_if_fail (SETL_IS_BATCH_STREAM (data), NULL);

  /* Lazy: the whole report, whatever the action; "fail" fails at the end. */
  setl_validator_set_lazy (validator, TRUE);
  setl_validator_set_drop_invalid_rows (validator, action == SETL_VALIDATION_ACTION_DROP);
  stream = g_object_new (HOOK_TYPE_STREAM, NULL);
  stream->action = action;
  stream->context = g_strdup (context ? context : "validation hook");
  stream->validated = setl_validator_filter (validator, data, &stream->report);
  if (report)
    *report = g_object_ref (stream->report);
  return SETL_BATCH_STREAM (stream);
}

/* ---- hooks on factories -------------------------------------------- */

typedef struct {
  SetlValidator *validator;
  SetlValidationAction action;
  SetlPushdownMode pushdown;
} Hook;

static void
hook_free (gpointer data)
{
  Hook *hook = data;

  g_object_unref (hook->validator);
  g_free (hook);
}

static char *
report_key (const char *slot)
{
  return g_strdup_printf ("setl-validation-report:%s", slot ? slot : "");
}

typedef enum {
  PUSHED_DOWN,
  IN_CLIENT,
  FAILED,
} Outcome;

/* Validates @payload in its database when the hook's mode lets it and it
 * can be; IN_CLIENT (with the reason logged) when the client must. */
static Outcome
try_pushdown (Hook                  *hook,
              GObject               *payload,
              const char            *context,
              SetlValidationReport **report,
              GError               **error)
{
  g_autoptr(GError) local = NULL;
  g_autofree char *location = NULL;

  if (hook->pushdown == SETL_PUSHDOWN_MODE_NEVER)
    return IN_CLIENT;
  if (!SETL_IS_SQL_RELATION (payload))
    {
      if (hook->pushdown == SETL_PUSHDOWN_MODE_ALWAYS)
        {
          g_set_error (error, SETL_VALIDATION_ERROR, SETL_VALIDATION_ERROR_FAILED,
                       "%s: pushdown “always”, but the data (a %s) is not a relation in a SQL database",
                       context, G_OBJECT_TYPE_NAME (payload));
          return FAILED;
        }
      /* The common case, not news: debug only. */
      setl_log (G_LOG_DOMAIN, G_LOG_LEVEL_DEBUG, "%s: validated in the client: the data (a %s) "
                "is not a relation in a SQL database", context, G_OBJECT_TYPE_NAME (payload));
      return IN_CLIENT;
    }
  location = setl_sql_relation_get_location (SETL_SQL_RELATION (payload));
  if (hook->action == SETL_VALIDATION_ACTION_DROP)
    g_set_error (&local, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                 "on-failure “drop” needs the rows in the client");
  else
    *report = setl_validator_validate_in_database (hook->validator, SETL_SQL_RELATION (payload),
                                                   g_cancellable_get_current (), &local);
  if (*report != NULL)
    {
      setl_log (G_LOG_DOMAIN, G_LOG_LEVEL_INFO, "%s: validated in %s, as SQL: %" G_GINT64_FORMAT
                " rows, %" G_GINT64_FORMAT " failures", context, location,
                setl_validation_report_get_n_rows (*report),
                setl_validation_report_get_n_failures (*report));
      return PUSHED_DOWN;
    }
  if (g_error_matches (local, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      hook->pushdown == SETL_PUSHDOWN_MODE_ALWAYS)
    {
      g_propagate_prefixed_error (error, g_steal_pointer (&local),
                                  "%s: pushdown “%s” to %s: ", context,
                                  hook->pushdown == SETL_PUSHDOWN_MODE_ALWAYS ? "always" : "auto",
                                  location);
      return FAILED;
    }
  setl_log (G_LOG_DOMAIN, G_LOG_LEVEL_INFO, "%s: validated in the client, not in %s: %s",
            context, location, local->message);
  return IN_CLIENT;
}

static gboolean
hook_filter (SetlFactory  *factory,
             const char   *slot,
             GValue       *value,
             gpointer      user_data,
             GError      **error)
{
  Hook *hook = user_data;
  g_autofree char *context = NULL;
  g_autofree char *key = report_key (slot);
  g_autoptr(SetlValidationReport) report = NULL;
  GObject *payload;

  context = slot ? g_strdup_printf ("validation of factory “%s” input “%s” (schema %s)",
                                    setl_factory_get_name (factory), slot,
                                    setl_schema_get_name (setl_validator_get_schema (hook->validator)))
                 : g_strdup_printf ("validation of factory “%s” output (schema %s)",
                                    setl_factory_get_name (factory),
                                    setl_schema_get_name (setl_validator_get_schema (hook->validator)));
  payload = G_VALUE_HOLDS_OBJECT (value) ? g_value_get_object (value) : NULL;
  if (payload == NULL || !SETL_IS_BATCH_STREAM (payload))
    {
      g_set_error (error, SETL_VALIDATION_ERROR, SETL_VALIDATION_ERROR_FAILED,
                   "%s: a %s is not data (a batch stream or table) a schema applies to",
                   context, G_VALUE_TYPE_NAME (value));
      return FALSE;
    }

  switch (try_pushdown (hook, payload, context, &report, error))
    {
    case FAILED:
      return FALSE;
    case PUSHED_DOWN:
      /* Validated: the data goes on as it is, still in its database. */
      g_object_set_data_full (G_OBJECT (factory), g_intern_string (key),
                              g_object_ref (report), g_object_unref);
      return hook_judge (context, report, hook->action, error);
    case IN_CLIENT:
    default:
      break;
    }

  if (SETL_IS_TABLE (payload))
    {
      /* In memory already: validate now, so "fail" fails this factory. */
      setl_validator_set_lazy (hook->validator, TRUE);
      if (hook->action == SETL_VALIDATION_ACTION_DROP)
        {
          g_autoptr(SetlBatchStream) valid = NULL;
          g_autoptr(SetlTable) table = NULL;

          setl_validator_set_drop_invalid_rows (hook->validator, TRUE);
          valid = setl_validator_filter (hook->validator, SETL_BATCH_STREAM (payload), &report);
          table = setl_batch_stream_collect (valid, NULL, error);
          if (table == NULL)
            {
              g_prefix_error (error, "%s: ", context);
              return FALSE;
            }
          g_value_set_object (value, table);
        }
      else
        {
          setl_validator_set_drop_invalid_rows (hook->validator, FALSE);
          report = setl_validator_validate (hook->validator, SETL_BATCH_STREAM (payload), NULL, error);
          if (report == NULL)
            {
              g_prefix_error (error, "%s: ", context);
              return FALSE;
            }
        }
      setl_validation_report_set_ran_in (report, "client");
      g_object_set_data_full (G_OBJECT (factory), g_intern_string (key),
                              g_object_ref (report), g_object_unref);
      return hook_judge (context, report, hook->action, error);
    }

  {
    g_autoptr(SetlBatchStream) wrapped =
      setl_validation_hook_wrap (hook->validator, SETL_BATCH_STREAM (payload), hook->action,
                                 context, &report);

    setl_validation_report_set_ran_in (report, "client");
    g_object_set_data_full (G_OBJECT (factory), g_intern_string (key),
                            g_object_ref (report), g_object_unref);
    g_value_set_object (value, wrapped);
  }
  return TRUE;
}

static const char *
enum_nick (GType type,
           int   value)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (type);
  GEnumValue *v = g_enum_get_value (klass, value);

  return v ? v->value_nick : "?";
}

/* What the hook does to the data, for the factory's cache key: the schema
 * as validated — its document with the plugin and version of every check
 * library it uses, as loaded now — plus the depth and the action. Where it
 * validates (pushdown) is left out: the outcome is the same. NULL when a
 * check's library cannot be named (the factory is then not cached). */
static char *
hook_cache_key (SetlValidator        *validator,
                SetlValidationAction  action)
{
  g_autoptr(SetlSchema) recorded = NULL;
  g_autofree char *json = NULL;
  XXH128_hash_t digest;

  recorded = setl_check_catalog_record_libraries (setl_validator_get_catalog (validator),
                                                  setl_validator_get_schema (validator), NULL);
  if (recorded == NULL)
    return NULL;
  json = setl_schema_to_json (recorded, FALSE);
  digest = XXH3_128bits (json, strlen (json));
  return g_strdup_printf ("schema %s@%u %016" G_GINT64_MODIFIER "x%016" G_GINT64_MODIFIER "x, "
                          "depth %s, on-failure %s",
                          setl_schema_get_name (recorded), setl_schema_get_version (recorded),
                          (guint64) digest.high64, (guint64) digest.low64,
                          enum_nick (SETL_TYPE_VALIDATION_DEPTH, setl_validator_get_depth (validator)),
                          enum_nick (SETL_TYPE_VALIDATION_ACTION, action));
}

/**
 * setl_validation_hook_add:
 * @factory: the factory
 * @slot: (nullable): an input slot's name, `*` for every input, or %NULL
 *   for the factory's output
 * @validator: the validator of the schema (the hook sets its lazy and
 *   drop-invalid-rows settings: give each hook its own)
 * @action: what to do with data that fails
 *
 * Validates the data that goes into @factory through @slot, or that comes
 * out of it, each time the factory runs; in the database the data lives
 * in when it can (%SETL_PUSHDOWN_MODE_AUTO, see
 * setl_validation_hook_add_full()).
 */
void
setl_validation_hook_add (SetlFactory          *factory,
                          const char           *slot,
                          SetlValidator        *validator,
                          SetlValidationAction  action)
{
  setl_validation_hook_add_full (factory, slot, validator, action, SETL_PUSHDOWN_MODE_AUTO);
}

/**
 * setl_validation_hook_add_full:
 * @factory: the factory
 * @slot: (nullable): an input slot's name, `*` for every input, or %NULL
 *   for the factory's output
 * @validator: the validator of the schema (the hook sets its lazy and
 *   drop-invalid-rows settings: give each hook its own)
 * @action: what to do with data that fails
 * @pushdown: whether the checks may, must or must not run as SQL in the
 *   database the data lives in
 *
 * As setl_validation_hook_add(), choosing where the data is validated:
 * with %SETL_PUSHDOWN_MODE_AUTO, data that is a #SetlSqlRelation is
 * validated in its database when every check compiles to SQL and @action
 * is not %SETL_VALIDATION_ACTION_DROP, else in the client;
 * %SETL_PUSHDOWN_MODE_ALWAYS fails the factory when it cannot be (naming
 * the check that does not compile); %SETL_PUSHDOWN_MODE_NEVER always
 * validates in the client.
 */
void
setl_validation_hook_add_full (SetlFactory          *factory,
                               const char           *slot,
                               SetlValidator        *validator,
                               SetlValidationAction  action,
                               SetlPushdownMode      pushdown)
{
  g_autofree char *cache_key = NULL;
  Hook *hook;

  g_return_if_fail (SETL_IS_FACTORY (factory));
  g_return_if_fail (SETL_IS_VALIDATOR (validator));

  hook = g_new0 (Hook, 1);
  hook->validator = g_object_ref (validator);
  hook->action = action;
  hook->pushdown = pushdown;
  cache_key = hook_cache_key (validator, action);
  setl_factory_add_filter_full (factory, slot, cache_key, hook_filter, hook, hook_free);
}

/**
 * setl_validation_hook_add_stage:
 * @stage: the stage
 * @validator: the validator of the schema
 * @action: what to do with data that fails
 *
 * A schema on a stage boundary: validates the output of every factory of
 * @stage (factories added to the stage later are not hooked). Each
 * factory gets a validator of its own for the same schema.
 */
void
setl_validation_hook_add_stage (SetlStage            *stage,
                                SetlValidator        *validator,
                                SetlValidationAction  action)
{
  setl_validation_hook_add_stage_full (stage, validator, action, SETL_PUSHDOWN_MODE_AUTO);
}

/**
 * setl_validation_hook_add_stage_full:
 * @stage: the stage
 * @validator: the validator of the schema
 * @action: what to do with data that fails
 * @pushdown: where the data may be validated (see
 *   setl_validation_hook_add_full())
 *
 * As setl_validation_hook_add_stage(), choosing where the data is
 * validated.
 */
void
setl_validation_hook_add_stage_full (SetlStage            *stage,
                                     SetlValidator        *validator,
                                     SetlValidationAction  action,
                                     SetlPushdownMode      pushdown)
{
  GPtrArray *factories;

  g_return_if_fail (SETL_IS_STAGE (stage));
  g_return_if_fail (SETL_IS_VALIDATOR (validator));

  factories = setl_stage_get_factories (stage);
  for (guint i = 0; factories != NULL && i < factories->len; i++)
    {
      SetlFactory *factory = g_ptr_array_index (factories, i);
      g_autoptr(SetlValidator) own = NULL;

      /* Validators keep per-hook settings: one each. Building one from a
       * schema that already built cannot fail. */
      own = setl_validator_new (setl_validator_get_schema (validator),
                                setl_validator_get_catalog (validator), NULL);
      if (own == NULL)
        own = g_object_ref (validator);
      setl_validator_set_max_failure_cases (own, setl_validator_get_max_failure_cases (validator));
      setl_validator_set_depth (own, setl_validator_get_depth (validator));
      setl_validation_hook_add_full (factory, NULL, own, action, pushdown);
    }
}

/**
 * setl_validation_hook_get_report:
 * @factory: a factory with a hook
 * @slot: (nullable): the input slot the hook is on, or %NULL for the output
 *
 * The report of the hook's last validation: complete once the data has
 * been read to the end.
 *
 * Returns: (transfer none) (nullable): the report, or %NULL if the hook
 *   has not run
 */
SetlValidationReport *
setl_validation_hook_get_report (SetlFactory *factory,
                                 const char  *slot)
{
  g_autofree char *key = report_key (slot);

  g_return_val_if_fail (SETL_IS_FACTORY (factory), NULL);
  return g_object_get_data (G_OBJECT (factory), key);
}
