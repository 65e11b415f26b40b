/* setl-cmd-cache.c: `setl cache stats|clear|explain` — looks into a
 * cache of factory results — and the cache options of `setl run`.
 *
 *   setl cache stats [FILE] [--cache DIR]
 *   setl cache clear [FILE] [--cache DIR]
 *   setl cache explain FILE FACTORY [--cache DIR] [--param NAME=VALUE]…
 *
 * The cache is the one FILE's "cache" member names, or the disk cache in
 * DIR (--cache), or else the disk cache in its default directory. explain
 * computes the key FACTORY would have if FILE ran now — without running
 * anything — and lists each ingredient, marking those that differ from the
 * entry stored last for that factory: the answer to "why did it re-run?".
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <stdio.h>
#include <string.h>

#include <setl/setl-plugin.h>

#include "setl-commands.h"
#include "setl-pipeline-cli.h"

/* The disk cache policy, in @dir (NULL: its default directory). */
static SetlCachePolicy *
open_disk_cache (SetlPluginRegistry  *registry,
                 const char          *dir,
                 GError             **error)
{
  SetlPluginFeature *feature = setl_plugin_registry_lookup_feature (registry, "disk");
  g_autoptr(GObject) policy = NULL;

  if (feature == NULL || setl_plugin_feature_get_kind (feature) != SETL_FEATURE_KIND_CACHE_POLICY)
    {
      g_set_error (error, SETL_PLUGIN_ERROR, SETL_PLUGIN_ERROR_NOT_FOUND,
                   "no installed plugin provides the “disk” cache policy (plugin cache-disk)");
      return NULL;
    }
  policy = setl_plugin_feature_create (feature, error);
  if (policy == NULL)
    return NULL;
  if (!SETL_IS_CACHE_POLICY (policy))
    {
      g_set_error (error, SETL_PLUGIN_ERROR, SETL_PLUGIN_ERROR_INVALID_FEATURE,
                   "feature “disk” (%s) is not a cache policy", G_OBJECT_TYPE_NAME (policy));
      return NULL;
    }
  if (dir != NULL)
    {
      g_autofree char *absolute = g_canonicalize_filename (dir, NULL);
      g_object_set (policy, "dir", absolute, NULL);
    }
  return SETL_CACHE_POLICY (g_steal_pointer (&policy));
}

/* For `setl run`: --cache DIR, --no-cache and --output NAME. */
gboolean
setl_cli_cache_apply (SetlPipeline        *pipeline,
                      SetlPluginRegistry  *registry,
                      const char          *cache_dir,
                      gboolean             no_cache,
                      char               **outputs,
                      GError             **error)
{
  if (no_cache)
    setl_pipeline_set_cache_policy (pipeline, NULL);
  else if (cache_dir != NULL)
    {
      g_autoptr(SetlCachePolicy) policy = open_disk_cache (registry, cache_dir, error);

      if (policy == NULL)
        return FALSE;
      setl_pipeline_set_cache_policy (pipeline, policy);
    }
  if (outputs != NULL)
    setl_pipeline_set_requested_outputs (pipeline, (const char * const *) outputs);
  return TRUE;
}

/* For `setl run`: one line about what the cache did in the last run. */
void
setl_cli_cache_summary (SetlPipeline *pipeline)
{
  SetlRunReport *report = setl_pipeline_get_report (pipeline);
  GPtrArray *results;
  guint hits = 0, misses = 0;
  guint64 reused = 0, stored = 0;
  gint64 saved = 0;
  g_autofree char *saved_text = NULL;
  g_autofree char *reused_text = NULL, *stored_text = NULL;
  g_autoptr(GString) why = g_string_new (NULL);

  if (report == NULL || setl_pipeline_get_cache_policy (pipeline) == NULL)
    return;
  results = setl_run_report_get_results (report);
  for (guint i = 0; i < results->len; i++)
    {
      SetlFactoryResult *r = g_ptr_array_index (results, i);
      SetlCacheMissReason reason = setl_factory_result_get_cache_reason (r);
      SetlFactoryStatus status = setl_factory_result_get_status (r);

      if (status == SETL_FACTORY_STATUS_REUSED && reason == SETL_CACHE_MISS_NONE)
        {
          hits++;
          reused += setl_factory_result_get_cache_bytes (r);
          saved += setl_factory_result_get_cache_time_saved (r);
        }
      else if (status == SETL_FACTORY_STATUS_SUCCEEDED || status == SETL_FACTORY_STATUS_REUSED)
        {
          /* Reused but not a hit: run after all, its entry damaged. */
          misses++;
          stored += setl_factory_result_get_cache_bytes (r);
          g_string_append_printf (why, "%s%s: %s", why->len ? ", " : "",
                                  setl_factory_result_get_factory_name (r),
                                  setl_cache_miss_reason_to_string (reason));
          if (setl_factory_result_get_cache_changed (r) != NULL)
            {
              g_autofree char *changed =
                g_strjoinv (" ", (char **) setl_factory_result_get_cache_changed (r));
              g_string_append_printf (why, " (%s)", changed);
            }
        }
    }
  saved_text = setl_cli_format_duration (saved);
  reused_text = g_format_size (reused);
  stored_text = g_format_size (stored);
  printf ("cache: %u hit%s (%s reused, %s saved), %u miss%s (%s stored)%s%s\n",
          hits, hits == 1 ? "" : "s", reused_text, saved_text,
          misses, misses == 1 ? "" : "es", stored_text, why->len ? ": " : "", why->str);
}

/* For `setl check`: with caching on, a factory without a code version is
 * reused even after its logic changed, as long as its plugin's version and
 * its properties did not: say which ones. */
void
setl_cli_cache_check (SetlPipeline *pipeline)
{
  GPtrArray *stages = setl_pipeline_get_stages (pipeline);
  g_autoptr(GString) missing = g_string_new (NULL);
  guint n = 0;

  if (setl_pipeline_get_cache_policy (pipeline) == NULL)
    return;
  for (guint s = 0; s < stages->len; s++)
    {
      GPtrArray *factories = setl_stage_get_factories (g_ptr_array_index (stages, s));

      for (guint i = 0; i < factories->len; i++)
        {
          SetlFactory *f = g_ptr_array_index (factories, i);
          SetlCacheMode mode = setl_factory_get_cache_mode (f);

          if (setl_factory_get_code_version (f) != NULL ||
              mode == SETL_CACHE_MODE_DISABLE || mode == SETL_CACHE_MODE_IGNORE)
            continue;
          g_string_append_printf (missing, "%s“%s”", n++ ? ", " : "", setl_factory_get_name (f));
        }
    }
  if (n > 0)
    fprintf (stderr, "warning: caching is on and %u factor%s declare%s no \"code-version\": %s. "
             "A change to a factory's logic that changes neither its plugin's version nor its "
             "properties will not invalidate its cached results.\n",
             n, n == 1 ? "y" : "ies", n == 1 ? "s" : "", missing->str);
}

/* The cache to look into: FILE's, --cache DIR's, or the default disk one. */
static SetlCachePolicy *
resolve_policy (SetlPluginRegistry  *registry,
                const char          *file_path,
                char               **params,
                const char          *cache_dir,
                SetlPipeline       **pipeline_out,
                GError             **error)
{
  if (file_path != NULL)
    {
      g_autoptr(SetlPipelineFile) file = setl_cli_load (file_path, params, error);
      g_autoptr(SetlPipeline) pipeline = NULL;

      if (file == NULL || (pipeline = setl_pipeline_file_build (file, registry, error)) == NULL ||
          !setl_cli_cache_apply (pipeline, registry, cache_dir, FALSE, NULL, error))
        return NULL;
      if (setl_pipeline_get_cache_policy (pipeline) == NULL)
        {
          g_set_error (error, SETL_PIPELINE_FILE_ERROR, SETL_PIPELINE_FILE_ERROR_INVALID,
                       "%s has no \"cache\" member; give the cache with --cache DIR", file_path);
          return NULL;
        }
      if (pipeline_out != NULL)
        *pipeline_out = g_object_ref (pipeline);
      return g_object_ref (setl_pipeline_get_cache_policy (pipeline));
    }
  return open_disk_cache (registry, cache_dir, error);
}

static void
print_stats (SetlCachePolicy *policy)
{
  g_autoptr(SetlCacheStats) stats = setl_cache_policy_get_stats (policy);
  g_autofree char *size = g_format_size (stats->size);
  g_autofree char *max = stats->max_size ? g_format_size (stats->max_size) : g_strdup ("no limit");
  g_autofree char *dir = NULL;
  guint64 ttl = setl_cache_policy_get_ttl (policy);

  if (g_object_class_find_property (G_OBJECT_GET_CLASS (policy), "dir"))
    g_object_get (policy, "dir", &dir, NULL);
  printf ("policy:    %s\n", G_OBJECT_TYPE_NAME (policy));
  if (dir != NULL)
    printf ("directory: %s\n", dir);
  printf ("entries:   %" G_GUINT64_FORMAT "\n", stats->n_entries);
  printf ("size:      %s (limit: %s)\n", size, max);
  if (ttl > 0)
    printf ("ttl:       %" G_GUINT64_FORMAT " s\n", ttl);
  else
    printf ("ttl:       none\n");
}

/* A value for one line: long ones are cut in the middle. */
static char *
shorten (const char *value)
{
  glong n = g_utf8_strlen (value, -1);

  if (n <= 72)
    return g_strdup (value);
  return g_strdup_printf ("%.*s…%s", (int) (g_utf8_offset_to_pointer (value, 40) - value), value,
                          g_utf8_offset_to_pointer (value, n - 31));
}

static int
explain (SetlPluginRegistry  *registry,
         const char          *file_path,
         const char          *factory,
         char               **params,
         const char          *cache_dir)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SetlPipeline) pipeline = NULL;
  g_autoptr(SetlCachePolicy) policy = NULL;
  g_autoptr(SetlCacheKey) key = NULL;
  g_autoptr(SetlCacheEntry) entry = NULL, previous = NULL;
  g_auto(GStrv) changed = NULL;
  SetlCacheKey *old = NULL;
  SetlCacheMissReason reason = SETL_CACHE_MISS_NO_ENTRY;

  policy = resolve_policy (registry, file_path, params, cache_dir, &pipeline, &error);
  if (policy == NULL ||
      (key = setl_pipeline_compute_cache_key (pipeline, factory, NULL, &error)) == NULL)
    {
      fprintf (stderr, "setl cache explain: %s\n", error->message);
      return 1;
    }
  entry = setl_cache_policy_lookup (policy, key, &reason, NULL, &error);
  if (error != NULL)
    {
      fprintf (stderr, "setl cache explain: %s\n", error->message);
      return 1;
    }
  previous = setl_cache_policy_lookup_subject (policy, setl_cache_key_get_subject (key), NULL, NULL);
  if (previous != NULL)
    {
      old = setl_cache_entry_get_key (previous);
      changed = setl_cache_key_diff (key, old);
    }

  printf ("factory “%s” of %s\n", factory, file_path);
  printf ("key:     %s\n", setl_cache_key_get_digest (key));
  if (entry != NULL)
    {
      g_autofree char *size = g_format_size (setl_cache_entry_get_size (entry));
      g_autoptr(GDateTime) when =
        g_date_time_new_from_unix_local (setl_cache_entry_get_created (entry) / G_USEC_PER_SEC);
      g_autofree char *when_text = g_date_time_format (when, "%F %T");

      printf ("status:  hit — stored %s, %s; it would be reused\n", when_text, size);
    }
  else
    printf ("status:  miss (%s); it would run\n", setl_cache_miss_reason_to_string (reason));
  if (previous == NULL)
    printf ("previous entry: none stored for this factory\n");
  else if (changed != NULL && changed[0] == NULL)
    printf ("previous entry: same key\n");
  else
    printf ("previous entry: key %s — %u ingredient%s changed\n",
            setl_cache_key_get_digest (old), g_strv_length (changed),
            g_strv_length (changed) == 1 ? "" : "s");

  printf ("\ningredients:\n");
  for (guint i = 0; i < setl_cache_key_get_n_ingredients (key); i++)
    {
      const char *name = setl_cache_key_get_ingredient_name (key, i);
      g_autofree char *value = shorten (setl_cache_key_get_ingredient_value (key, i));
      gboolean differs = changed != NULL && g_strv_contains ((const char * const *) changed, name);

      printf ("  %s %-22s %s\n", differs ? "*" : " ", name, value);
      if (differs)
        {
          const char *was = setl_cache_key_lookup (old, name);
          g_autofree char *was_short = was ? shorten (was) : NULL;

          printf ("    %-22s was: %s\n", "", was_short ? was_short : "(absent)");
        }
    }
  for (guint i = 0; old != NULL && i < setl_cache_key_get_n_ingredients (old); i++)
    {
      const char *name = setl_cache_key_get_ingredient_name (old, i);

      if (setl_cache_key_lookup (key, name) == NULL)
        {
          g_autofree char *was = shorten (setl_cache_key_get_ingredient_value (old, i));
          printf ("  * %-22s (gone) was: %s\n", name, was);
        }
    }
  return 0;
}

int
setl_cmd_cache (int    argc,
                char **argv)
{
  g_autoptr(GOptionContext) context =
    g_option_context_new ("stats|clear [FILE] | explain FILE FACTORY — look into a cache of results");
  g_autofree char *cache_dir = NULL;
  g_auto(GStrv) params = NULL;
  GOptionEntry entries[] = {
    { "cache", 'c', 0, G_OPTION_ARG_FILENAME, &cache_dir,
      "The disk cache in DIR (instead of FILE's \"cache\", or the default directory)", "DIR" },
    { "param", 'p', 0, G_OPTION_ARG_STRING_ARRAY, &params,
      "Set a parameter of FILE (repeatable)", "NAME=VALUE" },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(SetlPluginRegistry) registry = NULL;
  g_autoptr(SetlCachePolicy) policy = NULL;
  const char *action;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      fprintf (stderr, "setl cache: %s\n", error->message);
      return 2;
    }
  action = argc > 1 ? argv[1] : NULL;
  if (action == NULL ||
      ((g_str_equal (action, "stats") || g_str_equal (action, "clear")) && argc > 3) ||
      (g_str_equal (action, "explain") && argc != 4) ||
      !(g_str_equal (action, "stats") || g_str_equal (action, "clear") || g_str_equal (action, "explain")))
    {
      fprintf (stderr, "Usage: setl cache stats [FILE] [--cache DIR]\n"
                       "       setl cache clear [FILE] [--cache DIR]\n"
                       "       setl cache explain FILE FACTORY [--cache DIR] [--param NAME=VALUE]…\n");
      return 2;
    }

  if ((registry = setl_cli_open_registry (&error)) == NULL)
    {
      fprintf (stderr, "setl cache: %s\n", error->message);
      return 1;
    }
  if (g_str_equal (action, "explain"))
    return explain (registry, argv[2], argv[3], params, cache_dir);

  policy = resolve_policy (registry, argc > 2 ? argv[2] : NULL, params, cache_dir, NULL, &error);
  if (policy == NULL)
    {
      fprintf (stderr, "setl cache %s: %s\n", action, error->message);
      return 1;
    }
  if (g_str_equal (action, "clear"))
    {
      g_autoptr(SetlCacheStats) before = setl_cache_policy_get_stats (policy);
      g_autofree char *size = g_format_size (before->size);

      if (!setl_cache_policy_clear (policy, &error))
        {
          fprintf (stderr, "setl cache clear: %s\n", error->message);
          return 1;
        }
      printf ("cleared %" G_GUINT64_FORMAT " entr%s (%s)\n", before->n_entries,
              before->n_entries == 1 ? "y" : "ies", size);
      return 0;
    }
  print_stats (policy);
  return 0;
}
