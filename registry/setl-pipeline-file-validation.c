/* setl-pipeline-file-validation.c: validation hooks in pipeline files.
 *
 * A factory may name a schema for its output and for its inputs, and say
 * what invalid data does:
 *
 * |[
 * "factories": {
 *   "orders": { "feature": "csv-source", "properties": { "path": "orders.csv" },
 *               "validate": { "output": "orders.schema.json", "on-failure": "drop" } },
 *   "load":   { "feature": "sqlite-sink", "inputs": "orders", …,
 *               "validate": { "input": { "in": "orders@latest" }, "on-failure": "fail" } }
 * }
 * ]|
 *
 * `"output"` and `"input"` name a schema file (relative to the pipeline
 * file, `${pipeline_dir}` allowed) or a registry reference (`name@3`,
 * `name@latest`, from $SETL_SCHEMA_PATH); `"input"` is one schema for
 * every input slot, or an object from slot names to schemas.
 * `"on-failure"` is `"fail"` (the default), `"drop"` or `"warn"` (see
 * #SetlValidationAction); `"max-failure-cases"` caps the cases kept per
 * check; `"pushdown"` is `"auto"` (the default: data in a SQL database is
 * validated there, as SQL, when every check compiles), `"never"` or
 * `"always"` (see #SetlPushdownMode; `"always"` with `"drop"` is refused,
 * dropping needs the rows in the client).
 *
 * A stage boundary — the outputs of every factory of a stage — takes a
 * schema in the pipeline's `"validate-stages"`, an array of
 * `{"stage": 2, "schema": "…", "on-failure": "warn"}` where `"stage"` is
 * the stage's position, from 1, as `setl check` lists the stages.
 *
 * The members are taken off the document before it is loaded, checked
 * for shape there, and the schemas are loaded and hooked on the built
 * factories (setl_validation_hook_add()) once the pipeline is built, so
 * that a missing schema or an unknown check is a build error naming the
 * file, line and factory.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "setl-pipeline-file-validation-private.h"
#include "setl-pipeline-compose-private.h"

#include <string.h>

#include "setl-validator.h"
#include "setl-validation-hook.h"

typedef struct {
  char *factory;              /* NULL for a stage hook */
  gint64 stage;               /* a stage hook: the stage's position, from 1 */
  char *slot;                 /* NULL: the output */
  char *schema;               /* a file or a registry reference */
  SetlValidationAction action;
  SetlPushdownMode pushdown;
  gint64 max_failure_cases;   /* -1: the default */
  char *path;                 /* JSON path of the entry, for messages */
} HookSpec;

static void
hook_spec_free (gpointer data)
{
  HookSpec *h = data;

  g_free (h->factory);
  g_free (h->slot);
  g_free (h->schema);
  g_free (h->path);
  g_free (h);
}

static GPtrArray *
file_hooks (SetlPipelineFile *self)
{
  GPtrArray *hooks = g_object_get_data (G_OBJECT (self), "setl-pf-validation");

  if (hooks == NULL)
    {
      hooks = g_ptr_array_new_with_free_func (hook_spec_free);
      g_object_set_data_full (G_OBJECT (self), "setl-pf-validation", hooks,
                              (GDestroyNotify) g_ptr_array_unref);
    }
  return hooks;
}

G_GNUC_PRINTF (5, 6) static gboolean
fail_at (SetlPipelineFile *self,
         GError          **error,
         const char       *path,
         gboolean          key,
         const char       *format,
         ...)
{
  SetlPipelinePos *p = g_hash_table_lookup (_setl_pipeline_file_get_positions (self, key), path);
  SetlPipelinePos pos = p ? *p : (SetlPipelinePos) { 1, 1, NULL };
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, SETL_PIPELINE_FILE_ERROR, SETL_PIPELINE_FILE_ERROR_INVALID, "%s:%u:%u: %s",
               pos.source ? pos.source : setl_pipeline_file_get_source_name (self),
               pos.line, pos.column, message);
  return FALSE;
}

static gboolean
is_string (JsonNode *node)
{
  return node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING;
}

static void
add_hook (GPtrArray            *hooks,
          const char           *factory,
          const char           *slot,
          const char           *schema,
          SetlValidationAction  action,
          SetlPushdownMode      pushdown,
          gint64                max_failure_cases,
          const char           *path)
{
  HookSpec *h = g_new0 (HookSpec, 1);

  h->factory = g_strdup (factory);
  h->slot = g_strdup (slot);
  h->schema = g_strdup (schema);
  h->action = action;
  h->pushdown = pushdown;
  h->max_failure_cases = max_failure_cases;
  h->path = g_strdup (path);
  g_ptr_array_add (hooks, h);
}

/* Takes "validate" off one factory entry. */
static gboolean
expand_factory (SetlPipelineFile  *self,
                const char        *name,
                JsonObject        *entry,
                const char        *path,
                GError           **error)
{
  JsonNode *member = json_object_get_member (entry, "validate");
  g_autofree char *vpath = g_strconcat (path, "/validate", NULL);
  GPtrArray *hooks = file_hooks (self);
  SetlValidationAction action = SETL_VALIDATION_ACTION_FAIL;
  SetlPushdownMode pushdown = SETL_PUSHDOWN_MODE_AUTO;
  gint64 max_failure_cases = -1;
  JsonObject *validate;
  JsonNode *node;
  g_autoptr(GList) members = NULL;

  if (member == NULL)
    return TRUE;
  if (name == NULL)
    return fail_at (self, error, vpath, TRUE, "a factory with “validate” needs a “name”");
  if (!JSON_NODE_HOLDS_OBJECT (member))
    return fail_at (self, error, vpath, FALSE,
                    "factory “%s”: “validate” is an object such as "
                    "{\"output\": \"schema.json\", \"on-failure\": \"fail\"}", name);
  validate = json_node_get_object (member);

  members = json_object_get_members (validate);
  for (GList *l = members; l != NULL; l = l->next)
    if (strcmp (l->data, "output") != 0 && strcmp (l->data, "input") != 0 &&
        strcmp (l->data, "on-failure") != 0 && strcmp (l->data, "max-failure-cases") != 0 &&
        strcmp (l->data, "pushdown") != 0)
      {
        g_autofree char *p = g_strconcat (vpath, "/", (const char *) l->data, NULL);

        return fail_at (self, error, p, TRUE,
                        "factory “%s”: “validate” has no member “%s” (output, input, "
                        "on-failure, max-failure-cases, pushdown)", name, (const char *) l->data);
      }

  node = json_object_get_member (validate, "on-failure");
  if (node != NULL &&
      (!is_string (node) || !setl_validation_action_from_string (json_node_get_string (node), &action)))
    {
      g_autofree char *p = g_strconcat (vpath, "/on-failure", NULL);

      return fail_at (self, error, p, FALSE,
                      "factory “%s”: “on-failure” is \"fail\", \"drop\" or \"warn\"", name);
    }
  node = json_object_get_member (validate, "pushdown");
  if (node != NULL)
    {
      g_autofree char *p = g_strconcat (vpath, "/pushdown", NULL);

      if (!is_string (node) || !setl_pushdown_mode_from_string (json_node_get_string (node), &pushdown))
        return fail_at (self, error, p, FALSE,
                        "factory “%s”: “pushdown” is \"auto\", \"never\" or \"always\"", name);
      if (pushdown == SETL_PUSHDOWN_MODE_ALWAYS && action == SETL_VALIDATION_ACTION_DROP)
        return fail_at (self, error, p, FALSE,
                        "factory “%s”: “pushdown”: \"always\" cannot go with “on-failure”: \"drop\" "
                        "(dropping rows needs them in the client)", name);
    }
  node = json_object_get_member (validate, "max-failure-cases");
  if (node != NULL)
    {
      g_autofree char *p = g_strconcat (vpath, "/max-failure-cases", NULL);

      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64 ||
          json_node_get_int (node) < 0 || json_node_get_int (node) > G_MAXUINT)
        return fail_at (self, error, p, FALSE,
                        "factory “%s”: “max-failure-cases” is a count", name);
      max_failure_cases = json_node_get_int (node);
    }

  node = json_object_get_member (validate, "output");
  if (node != NULL)
    {
      g_autofree char *p = g_strconcat (vpath, "/output", NULL);

      if (!is_string (node))
        return fail_at (self, error, p, FALSE,
                        "factory “%s”: “output” names a schema file or a registry reference "
                        "(name@3, name@latest)", name);
      add_hook (hooks, name, NULL, json_node_get_string (node), action, pushdown, max_failure_cases, p);
    }
  node = json_object_get_member (validate, "input");
  if (node != NULL)
    {
      g_autofree char *p = g_strconcat (vpath, "/input", NULL);

      if (is_string (node))
        add_hook (hooks, name, "*", json_node_get_string (node), action, pushdown, max_failure_cases, p);
      else if (JSON_NODE_HOLDS_OBJECT (node))
        {
          JsonObject *slots = json_node_get_object (node);
          g_autoptr(GList) names = json_object_get_members (slots);

          for (GList *l = names; l != NULL; l = l->next)
            {
              JsonNode *schema = json_object_get_member (slots, l->data);
              g_autofree char *sp = g_strconcat (p, "/", (const char *) l->data, NULL);

              if (!is_string (schema))
                return fail_at (self, error, sp, FALSE,
                                "factory “%s”: input “%s”: a schema file or a registry reference",
                                name, (const char *) l->data);
              add_hook (hooks, name, l->data, json_node_get_string (schema), action, pushdown,
                        max_failure_cases, sp);
            }
        }
      else
        return fail_at (self, error, p, FALSE,
                        "factory “%s”: “input” names a schema, or maps input slots to schemas", name);
    }
  json_object_remove_member (entry, "validate");
  return TRUE;
}

/* Takes "validate-stages" off the document. */
static gboolean
expand_stages (SetlPipelineFile  *self,
               JsonObject        *doc,
               GError           **error)
{
  JsonNode *member = json_object_get_member (doc, "validate-stages");
  JsonArray *array;

  if (member == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (member))
    return fail_at (self, error, "/validate-stages", FALSE,
                    "“validate-stages” is an array of {\"stage\": N, \"schema\": \"…\", "
                    "\"on-failure\": \"fail\"}");
  array = json_node_get_array (member);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *entry = json_array_get_element (array, i);
      g_autofree char *path = g_strdup_printf ("/validate-stages/%u", i);
      SetlValidationAction action = SETL_VALIDATION_ACTION_FAIL;
      SetlPushdownMode pushdown = SETL_PUSHDOWN_MODE_AUTO;
      JsonObject *object;
      JsonNode *stage, *schema, *on_failure, *pushdown_node;
      HookSpec *h;

      if (!JSON_NODE_HOLDS_OBJECT (entry))
        return fail_at (self, error, path, FALSE, "a stage hook is an object such as "
                        "{\"stage\": 2, \"schema\": \"schema.json\"}");
      object = json_node_get_object (entry);
      stage = json_object_get_member (object, "stage");
      schema = json_object_get_member (object, "schema");
      on_failure = json_object_get_member (object, "on-failure");
      pushdown_node = json_object_get_member (object, "pushdown");
      if (stage == NULL || !JSON_NODE_HOLDS_VALUE (stage) || json_node_get_value_type (stage) != G_TYPE_INT64 ||
          json_node_get_int (stage) < 1)
        return fail_at (self, error, path, FALSE, "a stage hook needs a \"stage\": the stage's "
                        "position, from 1");
      if (!is_string (schema))
        return fail_at (self, error, path, FALSE, "a stage hook needs a \"schema\": a schema file "
                        "or a registry reference");
      if (on_failure != NULL &&
          (!is_string (on_failure) ||
           !setl_validation_action_from_string (json_node_get_string (on_failure), &action)))
        return fail_at (self, error, path, FALSE, "“on-failure” is \"fail\", \"drop\" or \"warn\"");
      if (pushdown_node != NULL &&
          (!is_string (pushdown_node) ||
           !setl_pushdown_mode_from_string (json_node_get_string (pushdown_node), &pushdown)))
        return fail_at (self, error, path, FALSE, "“pushdown” is \"auto\", \"never\" or \"always\"");
      if (pushdown == SETL_PUSHDOWN_MODE_ALWAYS && action == SETL_VALIDATION_ACTION_DROP)
        return fail_at (self, error, path, FALSE, "“pushdown”: \"always\" cannot go with “on-failure”: "
                        "\"drop\" (dropping rows needs them in the client)");
      h = g_new0 (HookSpec, 1);
      h->stage = json_node_get_int (stage);
      h->schema = g_strdup (json_node_get_string (schema));
      h->action = action;
      h->pushdown = pushdown;
      h->max_failure_cases = -1;
      h->path = g_steal_pointer (&path);
      g_ptr_array_add (file_hooks (self), h);
    }
  json_object_remove_member (doc, "validate-stages");
  return TRUE;
}

gboolean
_setl_pipeline_file_validation_expand (SetlPipelineFile  *self,
                                       JsonNode          *root,
                                       GError           **error)
{
  JsonNode *factories;

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return TRUE;   /* the loader says what is wrong */
  if (!expand_stages (self, json_node_get_object (root), error))
    return FALSE;
  factories = json_object_get_member (json_node_get_object (root), "factories");
  if (factories != NULL && JSON_NODE_HOLDS_OBJECT (factories))
    {
      JsonObject *object = json_node_get_object (factories);
      g_autoptr(GList) names = json_object_get_members (object);

      for (GList *l = names; l != NULL; l = l->next)
        {
          JsonNode *entry = json_object_get_member (object, l->data);
          g_autofree char *path = g_strconcat ("/factories/", (const char *) l->data, NULL);

          if (JSON_NODE_HOLDS_OBJECT (entry) &&
              !expand_factory (self, l->data, json_node_get_object (entry), path, error))
            return FALSE;
        }
    }
  else if (factories != NULL && JSON_NODE_HOLDS_ARRAY (factories))
    {
      JsonArray *array = json_node_get_array (factories);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *entry = json_array_get_element (array, i);
          g_autofree char *path = g_strdup_printf ("/factories/%u", i);
          JsonNode *name;

          if (!JSON_NODE_HOLDS_OBJECT (entry))
            continue;
          name = json_object_get_member (json_node_get_object (entry), "name");
          if (!expand_factory (self, is_string (name) ? json_node_get_string (name) : NULL,
                               json_node_get_object (entry), path, error))
            return FALSE;
        }
    }
  return TRUE;
}

/* A schema file relative to the pipeline file, or a registry reference. */
static SetlSchema *
load_schema (SetlPipelineFile  *self,
             const char        *spec,
             GError           **error)
{
  g_autofree char *base = g_path_get_dirname (setl_pipeline_file_get_source_name (self));
  g_autofree char *absolute_base = g_path_is_absolute (base) ? g_strdup (base)
                                   : g_canonicalize_filename (base, NULL);
  g_autoptr(GString) path = g_string_new (spec);

  g_string_replace (path, "${pipeline_dir}", absolute_base, 0);
  if (!g_path_is_absolute (path->str))
    {
      g_autofree char *joined = g_build_filename (absolute_base, path->str, NULL);

      g_string_assign (path, joined);
    }
  if (g_file_test (path->str, G_FILE_TEST_IS_REGULAR) || strchr (spec, '@') == NULL)
    return setl_schema_new_from_file (path->str, error);
  {
    g_autoptr(SetlSchemaRegistry) schemas = setl_schema_registry_new (NULL);

    return setl_schema_registry_lookup (schemas, spec, error);
  }
}

gboolean
_setl_pipeline_file_validation_attach (SetlPipelineFile   *self,
                                       SetlPluginRegistry *registry,
                                       SetlPipeline       *pipeline,
                                       GHashTable         *built,
                                       GError            **error)
{
  GPtrArray *hooks = g_object_get_data (G_OBJECT (self), "setl-pf-validation");
  g_autoptr(SetlCheckCatalog) catalog = NULL;

  if (hooks == NULL || hooks->len == 0)
    return TRUE;
  catalog = setl_check_catalog_new (registry);
  for (guint i = 0; i < hooks->len; i++)
    {
      HookSpec *h = g_ptr_array_index (hooks, i);
      SetlFactory *factory = h->factory ? g_hash_table_lookup (built, h->factory) : NULL;
      g_autoptr(SetlSchema) schema = NULL;
      g_autoptr(SetlValidator) validator = NULL;
      g_autoptr(GError) local = NULL;

      if (h->factory == NULL)
        {
          GPtrArray *stages = setl_pipeline_get_stages (pipeline);

          if (stages == NULL || h->stage > (gint64) stages->len)
            return fail_at (self, error, h->path, FALSE, "the pipeline has %u stages, not %" G_GINT64_FORMAT,
                            stages ? stages->len : 0, h->stage);
          if ((schema = load_schema (self, h->schema, &local)) == NULL ||
              (validator = setl_validator_new (schema, catalog, &local)) == NULL)
            return fail_at (self, error, h->path, FALSE, "stage %" G_GINT64_FORMAT ": validation schema “%s”: %s",
                            h->stage, h->schema, local->message);
          setl_validation_hook_add_stage_full (g_ptr_array_index (stages, h->stage - 1), validator,
                                               h->action, h->pushdown);
          continue;
        }
      if (factory == NULL)
        continue;   /* not in this build (an unused branch…) */
      if (h->slot != NULL && strcmp (h->slot, "*") != 0 &&
          setl_factory_get_delivery (factory, h->slot) == NULL)
        return fail_at (self, error, h->path, TRUE, "factory “%s” has no input slot “%s”",
                        h->factory, h->slot);
      if ((schema = load_schema (self, h->schema, &local)) == NULL ||
          (validator = setl_validator_new (schema, catalog, &local)) == NULL)
        return fail_at (self, error, h->path, FALSE, "factory “%s”: validation schema “%s”: %s",
                        h->factory, h->schema, local->message);
      if (h->max_failure_cases >= 0)
        setl_validator_set_max_failure_cases (validator, (guint) h->max_failure_cases);
      setl_validation_hook_add_full (factory, h->slot, validator, h->action, h->pushdown);
    }
  return TRUE;
}
