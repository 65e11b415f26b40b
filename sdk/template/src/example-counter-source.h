/* example-counter-source.h: a source that adds up a run of numbers. */
#pragma once

#include <setl/setl-plugin.h>

G_BEGIN_DECLS

#define EXAMPLE_TYPE_COUNTER_SOURCE (example_counter_source_get_type ())
G_DECLARE_FINAL_TYPE (ExampleCounterSource, example_counter_source, EXAMPLE, COUNTER_SOURCE, SetlFactory)

G_END_DECLS
