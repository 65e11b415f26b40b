/* example-plugin.c: the plugin's descriptor and the registration of its
 * features: a source (a SetlFactory) and a check library feature (a
 * SetlCheck). */
#include <setl/setl-plugin.h>

#include "example-counter-source.h"
#include "example-range-check.h"

static gboolean
example_plugin_init (SetlPlugin  *plugin,
                     GError     **error)
{
  return setl_plugin_add_feature (plugin, "example-counter", SETL_FEATURE_KIND_SOURCE,
                                  EXAMPLE_TYPE_COUNTER_SOURCE, SETL_RANK_PRIMARY, NULL,
                                  "Adds up a run of numbers", error) &&
         setl_plugin_add_feature (plugin, "example-range-check", SETL_FEATURE_KIND_CHECK_LIBRARY,
                                  EXAMPLE_TYPE_RANGE_CHECK, SETL_RANK_PRIMARY, NULL,
                                  "Numbers lie in a range (check example_in_range)", error);
}

SETL_PLUGIN_DEFINE ("example", "0.1.0",
                    "An example plugin: a source and a check",
                    "LGPL-2.1-or-later", "https://example.org/setl-plugin-example",
                    example_plugin_init)
