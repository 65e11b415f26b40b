/* setl-cmd-inspect.c: `setl inspect NAME` — one plugin or feature described
 * from the registry's metadata, gst-inspect style.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <stdio.h>
#include <string.h>

#include <setl/setl-plugin.h>

#include "setl-commands.h"

static const char *
rank_name (guint rank)
{
  switch (rank)
    {
    case SETL_RANK_NONE: return "none";
    case SETL_RANK_MARGINAL: return "marginal";
    case SETL_RANK_SECONDARY: return "secondary";
    case SETL_RANK_PRIMARY: return "primary";
    default: return "custom";
    }
}

static char *
flags_to_string (GParamFlags flags)
{
  g_autoptr(GPtrArray) words = g_ptr_array_new ();

  if (flags & G_PARAM_READABLE)
    g_ptr_array_add (words, "readable");
  if (flags & G_PARAM_WRITABLE)
    g_ptr_array_add (words, "writable");
  if (flags & G_PARAM_CONSTRUCT)
    g_ptr_array_add (words, "construct");
  if (flags & G_PARAM_CONSTRUCT_ONLY)
    g_ptr_array_add (words, "construct-only");
  if (flags & G_PARAM_DEPRECATED)
    g_ptr_array_add (words, "deprecated");
  g_ptr_array_add (words, NULL);
  return g_strjoinv (", ", (char **) words->pdata);
}

static void
print_property (SetlPropertyInfo *info)
{
  g_autofree char *flags = flags_to_string (setl_property_info_get_flags (info));
  const char *def = setl_property_info_get_default (info);
  const char *min = setl_property_info_get_minimum (info);
  const char *max = setl_property_info_get_maximum (info);
  const char * const *values = setl_property_info_get_values (info);
  const char *blurb = setl_property_info_get_blurb (info);

  printf ("  %-20s: %s\n", setl_property_info_get_name (info), blurb ? blurb : "");
  printf ("  %-20s  flags: %s\n", "", flags);
  printf ("  %-20s  type: %s", "", setl_property_info_get_value_type (info));
  if (min && max)
    printf ("   range: %s - %s", min, max);
  if (g_str_equal (setl_property_info_get_value_type (info), "gchararray"))
    printf ("   default: %s%s%s", def ? "\"" : "", def ? def : "null", def ? "\"" : "");
  else if (def)
    printf ("   default: %s", def);
  printf ("\n");
  if (values)
    {
      g_autofree char *joined = g_strjoinv (", ", (char **) values);
      printf ("  %-20s  values: %s\n", "", joined);
    }
  if (!g_str_equal (setl_property_info_get_owner_type (info), "SetlFactory") &&
      !g_str_equal (setl_property_info_get_owner_type (info), "GObject"))
    return;
  printf ("  %-20s  (from %s)\n", "", setl_property_info_get_owner_type (info));
}

static void
print_feature (SetlPluginFeature *f)
{
  GPtrArray *props = setl_plugin_feature_get_properties (f);
  const char *desc = setl_plugin_feature_get_description (f);

  printf ("Feature Details:\n");
  printf ("  %-16s %s\n", "Name", setl_plugin_feature_get_name (f));
  printf ("  %-16s %s\n", "Kind", setl_feature_kind_to_string (setl_plugin_feature_get_kind (f)));
  printf ("  %-16s %s (%u)\n", "Rank", rank_name (setl_plugin_feature_get_rank (f)),
          setl_plugin_feature_get_rank (f));
  printf ("  %-16s %s\n", "Version", setl_plugin_feature_get_version (f));
  printf ("  %-16s %s\n", "Description", desc ? desc : "");
  printf ("  %-16s %s\n", "Type", setl_plugin_feature_get_type_name (f));
  printf ("\nProperties:\n");
  if (props->len == 0)
    printf ("  none\n");
  for (guint i = 0; i < props->len; i++)
    print_property (g_ptr_array_index (props, i));
}

static void
print_plugin_details (SetlPlugin *p)
{
  const char *desc = setl_plugin_get_description (p);
  const char *license = setl_plugin_get_license (p);
  const char *origin = setl_plugin_get_origin (p);

  printf ("Plugin Details:\n");
  printf ("  %-16s %s\n", "Name", setl_plugin_get_name (p));
  printf ("  %-16s %s\n", "Description", desc ? desc : "");
  printf ("  %-16s %s\n", "Filename", setl_plugin_get_filename (p));
  printf ("  %-16s %s\n", "Version", setl_plugin_get_version (p));
  printf ("  %-16s %s\n", "License", license ? license : "");
  printf ("  %-16s %s\n", "Origin URL", origin ? origin : "");
  printf ("  %-16s %u.%u\n", "Built for ABI", setl_plugin_get_abi_major (p),
          setl_plugin_get_abi_minor (p));
}

int
setl_cmd_inspect (int    argc,
                  char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new ("NAME — describe a plugin or a feature");
  g_autoptr(GError) error = NULL;
  g_autoptr(SetlPluginRegistry) registry = NULL;
  SetlPlugin *plugin;
  SetlPluginFeature *feature;

  g_option_context_set_summary (context,
    "Prints a plugin's descriptor and features, or a feature's details, with\n"
    "every property: type, flags, range, default and description.");
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      fprintf (stderr, "setl inspect: %s\n", error->message);
      return 2;
    }
  if (argc != 2)
    {
      fprintf (stderr, "Usage: setl inspect NAME\n");
      return 2;
    }

  registry = setl_plugin_registry_new (NULL, NULL);
  if (!setl_plugin_registry_update (registry, &error))
    {
      fprintf (stderr, "setl inspect: %s\n", error->message);
      return 1;
    }

  plugin = setl_plugin_registry_lookup_plugin (registry, argv[1]);
  if (plugin != NULL)
    {
      GPtrArray *features = setl_plugin_get_features (plugin);

      print_plugin_details (plugin);
      printf ("\n  %u feature%s:\n", features->len, features->len == 1 ? "" : "s");
      for (guint i = 0; i < features->len; i++)
        {
          SetlPluginFeature *f = g_ptr_array_index (features, i);
          printf ("  %-14s %s\n", setl_feature_kind_to_string (setl_plugin_feature_get_kind (f)),
                  setl_plugin_feature_get_name (f));
        }
      for (guint i = 0; i < features->len; i++)
        {
          printf ("\n");
          print_feature (g_ptr_array_index (features, i));
        }
      return 0;
    }

  feature = setl_plugin_registry_lookup_feature (registry, argv[1]);
  if (feature != NULL)
    {
      print_feature (feature);
      printf ("\n");
      print_plugin_details (setl_plugin_feature_get_plugin (feature));
      return 0;
    }

  /* a pipeline template of the library, NAME[@VERSION] (setl templates),
   * or a template's file */
  {
    g_autoptr(GError) local = NULL;
    g_autoptr(SetlPipelineFile) template = g_str_has_suffix (argv[1], ".json")
      ? setl_pipeline_file_new_from_file (argv[1], &local)
      : setl_pipeline_library_load (argv[1], registry, &local);
    g_autofree char *text = NULL;

    if (template != NULL)
      {
        text = setl_pipeline_file_describe_template (template);
        fputs (text, stdout);
        return 0;
      }
    /* a template's error says more (its versions, a close name) */
    if (!g_error_matches (local, G_IO_ERROR, G_IO_ERROR_NOT_FOUND) ||
        strchr (argv[1], '@') != NULL || strstr (local->message, "did you mean") != NULL)
      {
        fprintf (stderr, "setl inspect: %s\n", local->message);
        return 1;
      }
  }

  fprintf (stderr, "setl inspect: no plugin or feature called “%s”, nor a pipeline template "
           "(see “setl plugins” and “setl templates” for what is installed)\n", argv[1]);
  return 1;
}
