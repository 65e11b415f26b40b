/* example-range-check.h: a check that numbers lie in a range. */
#pragma once

#include <setl/setl-plugin.h>

G_BEGIN_DECLS

#define EXAMPLE_TYPE_RANGE_CHECK (example_range_check_get_type ())
G_DECLARE_FINAL_TYPE (ExampleRangeCheck, example_range_check, EXAMPLE, RANGE_CHECK, SetlCheck)

G_END_DECLS
