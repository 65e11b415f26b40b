/* setl-cmd-check.c: `setl check FILE` — loads and builds a pipeline file
 * against the installed plugins, inspects it, and prints what would run in
 * which stage, without running anything.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <stdio.h>

#include <setl/setl-plugin.h>

#include "setl-commands.h"
#include "setl-pipeline-cli.h"

/* A parameter may hold a connection URI: never print its password
 * ("scheme://user:PASSWORD@host" → "scheme://user:***@host"; a
 * "password=…" of a key/value connection string likewise). */
static char *
redact_secrets (const char *value)
{
  g_autoptr(GRegex) uri = g_regex_new ("(://[^:/@?#\\s]*:)[^@/\\s]*@", 0, 0, NULL);
  g_autoptr(GRegex) kv = g_regex_new ("(\\bpassword\\s*=\\s*)('(?:[^'\\\\]|\\\\.)*'|[^\\s&]+)",
                                      G_REGEX_CASELESS, 0, NULL);
  g_autofree char *step = NULL;

  if (value == NULL)
    return NULL;
  step = g_regex_replace (uri, value, -1, 0, "\\1***@", 0, NULL);

  return g_regex_replace (kv, step ? step : value, -1, 0, "\\1***", 0, NULL);
}

static void
print_parameters (SetlPipelineFile *file)
{
  g_auto(GStrv) names = setl_pipeline_file_list_parameters (file);

  if (names[0] == NULL)
    return;
  printf ("parameters:\n");
  for (guint i = 0; names[i] != NULL; i++)
    {
      const char *desc = setl_pipeline_file_get_parameter_description (file, names[i]);
      g_autofree char *value = redact_secrets (setl_pipeline_file_get_parameter (file, names[i]));

      printf ("  %s (%s) = %s%s%s\n", names[i],
              setl_pipeline_file_get_parameter_type (file, names[i]),
              value ? value : "(null)", desc ? " — " : "", desc ? desc : "");
    }
}

static SetlFactory *
find_producer (SetlPipeline *pipeline,
               const char   *delivery_id)
{
  GPtrArray *stages = setl_pipeline_get_stages (pipeline);

  for (guint s = 0; s < stages->len; s++)
    {
      GPtrArray *factories = setl_stage_get_factories (g_ptr_array_index (stages, s));
      for (guint i = 0; i < factories->len; i++)
        if (g_strcmp0 (setl_factory_get_delivery_id (g_ptr_array_index (factories, i)), delivery_id) == 0)
          return g_ptr_array_index (factories, i);
    }
  return NULL;
}

/* Where a factory runs. A factory that runs in a backend (a database
 * server) says so with a readable string property "backend" (no password
 * in it); it runs there entirely when every producer of its inputs runs
 * in the same backend (pushdown), otherwise its rows go through this
 * process. Other factories run here, in the client. */
static char *
factory_site (SetlPipeline *pipeline,
              SetlFactory  *factory)
{
  GParamSpec *pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (factory), "backend");
  GPtrArray *slots = setl_factory_get_deliveries (factory);
  g_autofree char *site = NULL;

  if (pspec == NULL || pspec->value_type != G_TYPE_STRING || !(pspec->flags & G_PARAM_READABLE))
    return g_strdup ("client");
  g_object_get (factory, "backend", &site, NULL);
  if (site == NULL)
    return g_strdup ("client");
  for (guint k = 0; k < slots->len; k++)
    {
      const char *id = setl_delivery_get_delivery_id (g_ptr_array_index (slots, k));
      SetlFactory *producer = *id ? find_producer (pipeline, id) : NULL;
      g_autofree char *from = producer && producer != factory ? factory_site (pipeline, producer) : NULL;

      if (g_strcmp0 (from, site) != 0)
        return g_strdup_printf ("client → %s", site);
    }
  return g_steal_pointer (&site);
}

/* A factory's condition, and whether the inspector pruned it: a static
 * condition that is false, or a required input from a pruned factory
 * (docs/conditions.md). */
static void
print_condition (SetlPipeline *pipeline,
                 SetlFactory  *f)
{
  SetlCondition *condition = setl_factory_get_condition (f);
  const char *pruned = setl_inspector_get_pruned_reason (setl_pipeline_get_inspector (pipeline), f);

  if (condition != NULL)
    {
      g_autofree char *text = setl_condition_to_string (condition);
      g_auto(GStrv) refs = setl_condition_get_references (condition);
      gboolean dynamic = FALSE;

      for (guint i = 0; refs[i] != NULL && !dynamic; i++)
        dynamic = setl_pipeline_get_parameter (pipeline, refs[i]) == NULL;
      printf ("      when: %s (%s)\n", text,
              dynamic ? "dynamic: decided when its inputs are ready"
                      : pruned ? "static: false" : "static: true");
    }
  if (pruned != NULL)
    printf ("      pruned: %s\n", pruned);
}

static void
print_stages (SetlPipelineFile *file,
              SetlPipeline     *pipeline)
{
  GPtrArray *stages = setl_pipeline_get_stages (pipeline);

  for (guint s = 0; s < stages->len; s++)
    {
      GPtrArray *factories = setl_stage_get_factories (g_ptr_array_index (stages, s));

      printf ("stage %u:\n", s);
      for (guint i = 0; i < factories->len; i++)
        {
          SetlFactory *f = g_ptr_array_index (factories, i);
          GPtrArray *slots = setl_factory_get_deliveries (f);
          const char *name = setl_factory_get_name (f);
          g_autoptr(GString) line = g_string_new (NULL);

          g_string_printf (line, "  %-20s %-14s", name,
                           setl_pipeline_file_get_factory_feature (file, name));
          for (guint k = 0; k < slots->len; k++)
            {
              SetlDelivery *d = g_ptr_array_index (slots, k);

              g_string_append_printf (line, "%s%s ← %s", k ? ", " : " ",
                                      setl_delivery_get_name (d),
                                      *setl_delivery_get_delivery_id (d)
                                        ? setl_delivery_get_delivery_id (d) : "(unwired)");
            }
          {
            /* said only for backends' factories: the rest runs here */
            g_autofree char *site = factory_site (pipeline, f);
            if (!g_str_equal (site, "client"))
              g_string_append_printf (line, "   [runs in %s]", site);
          }
          g_strchomp (line->str);
          printf ("%s\n", line->str);
          print_condition (pipeline, f);
        }
    }
}

int
setl_cmd_check (int    argc,
                char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new ("FILE — validate a pipeline file without running it");
  g_auto(GStrv) params = NULL;
  GOptionEntry entries[] = {
    { "param", 'p', 0, G_OPTION_ARG_STRING_ARRAY, &params,
      "Set a parameter (repeatable)", "NAME=VALUE" },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(SetlPluginRegistry) registry = NULL;
  g_autoptr(SetlPipelineFile) file = NULL;
  g_autoptr(SetlPipeline) pipeline = NULL;
  guint n_factories = 0;
  GPtrArray *stages;

  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_set_summary (context,
    "Checks the file's JSON and structure, every feature and property against the\n"
    "installed plugins, the wiring and the stages, and the dependency graph (the\n"
    "pipeline's inspector); prints what would run in which stage.\n"
    "Exit status: 0 if the pipeline is valid, 1 if not, 2 on a usage error.");
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      fprintf (stderr, "setl check: %s\n", error->message);
      return 2;
    }
  if (argc != 2)
    {
      fprintf (stderr, "Usage: setl check FILE [--param NAME=VALUE]…\n");
      return 2;
    }

  if ((file = setl_cli_load (argv[1], params, &error)) == NULL ||
      (registry = setl_cli_open_registry (&error)) == NULL ||
      (pipeline = setl_pipeline_file_build (file, registry, &error)) == NULL)
    {
      fprintf (stderr, "setl check: %s\n", error->message);
      return 1;
    }

  stages = setl_pipeline_get_stages (pipeline);
  for (guint s = 0; s < stages->len; s++)
    n_factories += setl_stage_get_factories (g_ptr_array_index (stages, s))->len;
  printf ("%s: pipeline “%s” is valid: %u %s in %u %s\n", argv[1],
          setl_pipeline_file_get_name (file), n_factories,
          n_factories == 1 ? "factory" : "factories", stages->len,
          stages->len == 1 ? "stage" : "stages");
  print_parameters (file);
  print_stages (file, pipeline);
  setl_cli_cache_check (pipeline);
  return 0;
}
