/* setl-property-info.h: what the registry knows of one property of a feature.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(SETL_PLUGIN_INSIDE) && !defined(SETL_COMPILATION)
#error "Only <setl/setl-plugin.h> can be included directly."
#endif

#include <glib-object.h>

G_BEGIN_DECLS

#define SETL_TYPE_PROPERTY_INFO (setl_property_info_get_type ())

typedef struct _SetlPropertyInfo SetlPropertyInfo;

GType             setl_property_info_get_type       (void) G_GNUC_CONST;

SetlPropertyInfo *setl_property_info_new_from_pspec (GParamSpec       *pspec);
SetlPropertyInfo *setl_property_info_ref            (SetlPropertyInfo *self);
void              setl_property_info_unref          (SetlPropertyInfo *self);

const char       *setl_property_info_get_name       (SetlPropertyInfo *self);
const char       *setl_property_info_get_value_type (SetlPropertyInfo *self);
const char       *setl_property_info_get_owner_type (SetlPropertyInfo *self);
const char       *setl_property_info_get_nick       (SetlPropertyInfo *self);
const char       *setl_property_info_get_blurb      (SetlPropertyInfo *self);
GParamFlags       setl_property_info_get_flags      (SetlPropertyInfo *self);
const char       *setl_property_info_get_default    (SetlPropertyInfo *self);
const char       *setl_property_info_get_minimum    (SetlPropertyInfo *self);
const char       *setl_property_info_get_maximum    (SetlPropertyInfo *self);
const char * const *setl_property_info_get_values   (SetlPropertyInfo *self);

char             *setl_property_info_value_to_string (const GValue    *value);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SetlPropertyInfo, setl_property_info_unref)

G_END_DECLS
