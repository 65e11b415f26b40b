/* setl-external.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/**
 * SetlExternal:
 *
 * A type that is never instantiated: its #GType stands for "outside the
 * pipeline" wherever a producer type is expected.
 *
 * As a #SetlDeliverable's producer it marks data handed to the pipeline with
 * setl_pipeline_set_input(). As a #SetlDelivery's producer (the default) it
 * means "no producer required": the slot accepts the output of any factory of
 * an earlier stage, or an external input, as long as exactly one matches.
 * This is PySetl's `External`.
 */
#include "setl-external.h"

struct _SetlExternal
{
  GObject parent_instance;
};

G_DEFINE_FINAL_TYPE (SetlExternal, setl_external, G_TYPE_OBJECT)

static void
setl_external_class_init (SetlExternalClass *klass)
{
}

static void
setl_external_init (SetlExternal *self)
{
}
