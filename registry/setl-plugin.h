/* setl-plugin.h: the plugin contract, and the header plugin authors include.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

/* <setl/setl-plugin.h> is an umbrella: it brings the workflow core
 * (<setl/setl.h>) and the whole plugin API. */
#include "setl.h"

#ifndef SETL_PLUGIN_INSIDE
# define SETL_PLUGIN_INSIDE
# define SETL_PLUGIN_INSIDE_HERE
#endif

#include <gmodule.h>

#include "setl-plugin-error.h"
#include "setl-plugin-enum-types.h"
#include "setl-property-info.h"
#include "setl-plugin-feature.h"

G_BEGIN_DECLS

#define SETL_TYPE_PLUGIN (setl_plugin_get_type ())
G_DECLARE_FINAL_TYPE (SetlPlugin, setl_plugin, SETL, PLUGIN, GObject)

/**
 * SetlPluginInitFunc:
 * @plugin: the plugin being loaded
 * @error: return location for a #GError
 *
 * A plugin's init function registers the plugin's features with
 * setl_plugin_add_feature(). It runs once per process, when the plugin's
 * module is opened: in the scanner helper when the registry scans the file,
 * and in the application the first time one of its features is used.
 *
 * Returns: %TRUE on success; %FALSE with @error set if the plugin cannot
 *   work (a missing resource, an unusable environment…).
 */
typedef gboolean (*SetlPluginInitFunc) (SetlPlugin  *plugin,
                                        GError     **error);

/**
 * SetlPluginDesc:
 * @abi_major: the plugin ABI major the plugin was built against
 *   (%SETL_ABI_MAJOR)
 * @abi_minor: the plugin ABI minor the plugin was built against
 *   (%SETL_ABI_MINOR)
 * @name: the plugin's name: unique, lower case, words separated by `-`
 * @version: the plugin's version
 * @description: one sentence on what the plugin provides
 * @license: the plugin's license, as an SPDX identifier
 * @origin: where the plugin comes from (a URL)
 * @init: the function that registers the plugin's features
 *
 * The descriptor a plugin exports, under the name `setl_plugin_desc`. Make
 * it with SETL_PLUGIN_DEFINE(). The ABI fields come first and never move, so
 * that any libsetl can read them; the padding at the end leaves room for new
 * fields without changing the size of the structure.
 */
typedef struct {
  guint32             abi_major;
  guint32             abi_minor;
  const char         *name;
  const char         *version;
  const char         *description;
  const char         *license;
  const char         *origin;
  SetlPluginInitFunc  init;

  /*< private >*/
  gpointer            _setl_reserved[8];
} SetlPluginDesc;

/**
 * SETL_PLUGIN_DESC_SYMBOL:
 *
 * The name of the symbol a plugin module exports its descriptor under.
 */
#define SETL_PLUGIN_DESC_SYMBOL "setl_plugin_desc"

/**
 * SETL_PLUGIN_DEFINE:
 * @name: the plugin's name, a string literal
 * @version: the plugin's version, a string literal
 * @description: what the plugin provides, a string literal
 * @license: an SPDX license identifier, a string literal
 * @origin: where the plugin comes from (a URL), a string literal
 * @init: a #SetlPluginInitFunc
 *
 * Exports the plugin's descriptor. Use it once, in one source file of the
 * plugin, after the init function:
 *
 * |[<!-- language="C" -->
 * static gboolean
 * plugin_init (SetlPlugin *plugin, GError **error)
 * {
 *   return setl_plugin_add_feature (plugin, "csv-source",
 *                                   SETL_FEATURE_KIND_SOURCE,
 *                                   SETL_TYPE_CSV_SOURCE, SETL_RANK_PRIMARY,
 *                                   NULL, "Reads CSV files", error);
 * }
 *
 * SETL_PLUGIN_DEFINE ("csv", "1.0.0", "CSV sources and sinks",
 *                     "LGPL-2.1-or-later", "https://example.org/csv",
 *                     plugin_init)
 * ]|
 *
 * The ABI version recorded is the one of the libsetl headers the plugin is
 * compiled against.
 */
#define SETL_PLUGIN_DEFINE(name, version, description, license, origin, init) \
  G_MODULE_EXPORT extern const SetlPluginDesc setl_plugin_desc;               \
  G_MODULE_EXPORT const SetlPluginDesc setl_plugin_desc = {                   \
    SETL_ABI_MAJOR, SETL_ABI_MINOR,                                           \
    name, version, description, license, origin, init,                       \
    { NULL, }                                                                 \
  };

SetlPlugin   *setl_plugin_load_file        (const char   *filename,
                                            GError      **error);

const char   *setl_plugin_get_name         (SetlPlugin   *self);
const char   *setl_plugin_get_version      (SetlPlugin   *self);
const char   *setl_plugin_get_description  (SetlPlugin   *self);
const char   *setl_plugin_get_license      (SetlPlugin   *self);
const char   *setl_plugin_get_origin       (SetlPlugin   *self);
const char   *setl_plugin_get_filename     (SetlPlugin   *self);
guint         setl_plugin_get_abi_major    (SetlPlugin   *self);
guint         setl_plugin_get_abi_minor    (SetlPlugin   *self);
const GError *setl_plugin_get_error        (SetlPlugin   *self);
gboolean      setl_plugin_is_loaded        (SetlPlugin   *self);
GPtrArray    *setl_plugin_get_features     (SetlPlugin   *self);
SetlPluginFeature *setl_plugin_get_feature (SetlPlugin   *self,
                                            const char   *name);

gboolean      setl_plugin_load             (SetlPlugin   *self,
                                            GError      **error);

gboolean      setl_plugin_add_feature      (SetlPlugin   *self,
                                            const char   *name,
                                            SetlFeatureKind kind,
                                            GType         type,
                                            guint         rank,
                                            const char   *version,
                                            const char   *description,
                                            GError      **error);

gboolean      setl_plugin_add_schema       (SetlPlugin   *self,
                                            const char   *document,
                                            GError      **error);
GPtrArray    *setl_plugin_get_schemas      (SetlPlugin   *self);

G_END_DECLS

#include "setl-plugin-registry.h"
#include "setl-pipeline-file.h"
#include "setl-pipeline-library.h"

#ifdef SETL_PLUGIN_INSIDE_HERE
# undef SETL_PLUGIN_INSIDE
# undef SETL_PLUGIN_INSIDE_HERE
#endif
