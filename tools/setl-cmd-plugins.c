/* setl-cmd-plugins.c: `setl plugins` — every plugin on the search path.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <stdio.h>

#include <setl/setl-plugin.h>

#include "setl-commands.h"

static void
print_plugin (SetlPlugin *plugin)
{
  GPtrArray *features = setl_plugin_get_features (plugin);

  printf ("%s %s\n", setl_plugin_get_name (plugin), setl_plugin_get_version (plugin));
  printf ("  path: %s\n", setl_plugin_get_filename (plugin));
  /* Features grouped by kind, in the order of the kinds. */
  for (int kind = SETL_FEATURE_KIND_SOURCE; kind <= SETL_FEATURE_KIND_CHECK_LIBRARY; kind++)
    for (guint i = 0; i < features->len; i++)
      {
        SetlPluginFeature *f = g_ptr_array_index (features, i);

        if ((int) setl_plugin_feature_get_kind (f) != kind)
          continue;
        printf ("  %-14s %-24s %s\n", setl_feature_kind_to_string (kind),
                setl_plugin_feature_get_name (f),
                setl_plugin_feature_get_description (f) ? setl_plugin_feature_get_description (f) : "");
      }
}

int
setl_cmd_plugins (int    argc,
                  char **argv)
{
  gboolean blacklist = FALSE;
  GOptionEntry entries[] = {
    { "blacklist", 'b', 0, G_OPTION_ARG_NONE, &blacklist,
      "List the refused plugin files (blacklisted, wrong ABI…) with the reason", NULL },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("— list plugins");
  g_autoptr(GError) error = NULL;
  g_autoptr(SetlPluginRegistry) registry = NULL;
  g_autoptr(GPtrArray) list = NULL;

  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_set_summary (context,
    "Lists the plugins found on the search path (SETL_PLUGIN_PATH, the user's\n"
    "plugin directory, the system plugin directory) with their features.");
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      fprintf (stderr, "setl plugins: %s\n", error->message);
      return 2;
    }

  registry = setl_plugin_registry_new (NULL, NULL);
  if (!setl_plugin_registry_update (registry, &error))
    {
      fprintf (stderr, "setl plugins: %s\n", error->message);
      return 1;
    }

  if (blacklist)
    {
      list = setl_plugin_registry_get_refused (registry);
      for (guint i = 0; i < list->len; i++)
        {
          SetlPlugin *p = g_ptr_array_index (list, i);
          const GError *e = setl_plugin_get_error (p);
          GEnumClass *codes = g_type_class_ref (SETL_TYPE_PLUGIN_ERROR);
          GEnumValue *v = g_enum_get_value (codes, e->code);

          printf ("%s\n  %s: %s\n", setl_plugin_get_filename (p),
                  v ? v->value_nick : "error", e->message);
          g_type_class_unref (codes);
        }
      printf ("\n%u refused plugin file%s\n", list->len, list->len == 1 ? "" : "s");
      return 0;
    }

  list = setl_plugin_registry_get_plugins (registry);
  for (guint i = 0; i < list->len; i++)
    {
      if (i > 0)
        printf ("\n");
      print_plugin (g_ptr_array_index (list, i));
    }
  {
    g_autoptr(GPtrArray) refused = setl_plugin_registry_get_refused (registry);
    printf ("\n%u plugin%s", list->len, list->len == 1 ? "" : "s");
    if (refused->len > 0)
      printf (", %u refused (see “setl plugins --blacklist”)", refused->len);
    printf ("\n");
  }
  return 0;
}
