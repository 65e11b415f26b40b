/* setl-pipeline-cli.c: see setl-pipeline-cli.h.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "setl-pipeline-cli.h"

/* The registry on the default search path (SETL_PLUGIN_PATH first), its
 * cache brought up to date. */
SetlPluginRegistry *
setl_cli_open_registry (GError **error)
{
  g_autoptr(SetlPluginRegistry) registry = setl_plugin_registry_new (NULL, NULL);

  if (!setl_plugin_registry_update (registry, error))
    return NULL;
  return g_steal_pointer (&registry);
}

/* Loads @path and applies the NAME=VALUE overrides in @params (nullable). */
SetlPipelineFile *
setl_cli_load (const char  *path,
               char       **params,
               GError     **error)
{
  g_autoptr(SetlPipelineFile) file = setl_pipeline_file_new_from_file (path, error);

  if (file == NULL)
    return NULL;
  for (guint i = 0; params != NULL && params[i] != NULL; i++)
    if (!setl_pipeline_file_set_parameter_from_string (file, params[i], error))
      return NULL;
  return g_steal_pointer (&file);
}

/* "source", "transform" or "sink"; NULL for an unknown feature. */
const char *
setl_cli_feature_kind (SetlPluginRegistry *registry,
                       const char         *feature)
{
  SetlPluginFeature *f = setl_plugin_registry_lookup_feature (registry, feature);

  return f ? setl_feature_kind_to_string (setl_plugin_feature_get_kind (f)) : NULL;
}

char *
setl_cli_format_duration (gint64 us)
{
  if (us < 1000)
    return g_strdup_printf ("%" G_GINT64_FORMAT " µs", us);
  if (us < 1000000)
    return g_strdup_printf ("%.1f ms", us / 1000.0);
  if (us < 60 * G_USEC_PER_SEC)
    return g_strdup_printf ("%.2f s", us / 1e6);
  return g_strdup_printf ("%d min %02d s", (int) (us / 60000000), (int) (us / 1000000 % 60));
}
