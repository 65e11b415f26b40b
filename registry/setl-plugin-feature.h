/* setl-plugin-feature.h: something a plugin provides.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(SETL_PLUGIN_INSIDE) && !defined(SETL_COMPILATION)
#error "Only <setl/setl-plugin.h> can be included directly."
#endif

#include <glib-object.h>

#include "setl-property-info.h"

G_BEGIN_DECLS

/**
 * SetlFeatureKind:
 * @SETL_FEATURE_KIND_SOURCE: a #SetlFactory that reads data in
 * @SETL_FEATURE_KIND_SINK: a #SetlFactory that writes data out
 * @SETL_FEATURE_KIND_TRANSFORM: a #SetlFactory that turns inputs into an
 *   output
 * @SETL_FEATURE_KIND_BACKEND: a backend adapter (an engine that runs SQL
 *   where the data lives)
 * @SETL_FEATURE_KIND_CACHE_POLICY: a cache policy
 * @SETL_FEATURE_KIND_CHECK_LIBRARY: a library of validation checks
 *
 * What a feature is, that is, which interface its type implements. The
 * three factory kinds need a #SetlFactory subclass, a check library a
 * #SetlCheck subclass; the interfaces of the other kinds are not defined
 * yet, and for now their types only need to be #GObject classes.
 */
typedef enum {
  SETL_FEATURE_KIND_SOURCE,
  SETL_FEATURE_KIND_SINK,
  SETL_FEATURE_KIND_TRANSFORM,
  SETL_FEATURE_KIND_BACKEND,
  SETL_FEATURE_KIND_CACHE_POLICY,
  SETL_FEATURE_KIND_CHECK_LIBRARY,
} SetlFeatureKind;

/**
 * SETL_RANK_NONE:
 *
 * Rank of a feature that is never picked automatically.
 */
#define SETL_RANK_NONE 0
/**
 * SETL_RANK_MARGINAL:
 *
 * Rank of a feature picked only when nothing better exists.
 */
#define SETL_RANK_MARGINAL 64
/**
 * SETL_RANK_SECONDARY:
 *
 * Rank of a feature that is a good second choice.
 */
#define SETL_RANK_SECONDARY 128
/**
 * SETL_RANK_PRIMARY:
 *
 * Rank of the preferred feature for its job.
 */
#define SETL_RANK_PRIMARY 256

#define SETL_TYPE_PLUGIN_FEATURE (setl_plugin_feature_get_type ())
G_DECLARE_FINAL_TYPE (SetlPluginFeature, setl_plugin_feature, SETL, PLUGIN_FEATURE, GObject)

typedef struct _SetlPlugin SetlPlugin;

const char      *setl_feature_kind_to_string          (SetlFeatureKind    kind);
gboolean         setl_feature_kind_from_string        (const char        *nick,
                                                       SetlFeatureKind   *kind);
gboolean         setl_feature_kind_is_factory         (SetlFeatureKind    kind);

const char      *setl_plugin_feature_get_name         (SetlPluginFeature *self);
SetlFeatureKind  setl_plugin_feature_get_kind         (SetlPluginFeature *self);
guint            setl_plugin_feature_get_rank         (SetlPluginFeature *self);
const char      *setl_plugin_feature_get_version      (SetlPluginFeature *self);
const char      *setl_plugin_feature_get_description  (SetlPluginFeature *self);
const char      *setl_plugin_feature_get_type_name    (SetlPluginFeature *self);
SetlPlugin      *setl_plugin_feature_get_plugin       (SetlPluginFeature *self);
GPtrArray       *setl_plugin_feature_get_properties   (SetlPluginFeature *self);
SetlPropertyInfo *setl_plugin_feature_find_property   (SetlPluginFeature *self,
                                                       const char        *name);
gboolean         setl_plugin_feature_is_loaded        (SetlPluginFeature *self);

GType            setl_plugin_feature_load_type        (SetlPluginFeature *self,
                                                       GError           **error);
GObject         *setl_plugin_feature_create           (SetlPluginFeature *self,
                                                       GError           **error);

G_END_DECLS
