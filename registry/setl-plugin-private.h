/* setl-plugin-private.h: what the registry's types share with each other,
 * the scanner helper and the tools built in the tree — and nobody else.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "setl-plugin.h"

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Version of the registry cache format and of the scanner's JSON: bump it
 * when either changes, so an old cache is rebuilt rather than misread. */
#define SETL_REGISTRY_FORMAT_VERSION 2

/* The registry cache file: this magic, the format version (guint32, little
 * endian), 4 reserved bytes, the checksum of the variant's type string and
 * of the rest (guint64, little endian, _setl_registry_checksum()), then a GVariant of
 * _setl_registry_variant_type (see setl-plugin-cache.c). */
#define SETL_REGISTRY_MAGIC "SETLREG\n"
#define SETL_REGISTRY_HEADER_SIZE 24
extern const char *const _setl_registry_variant_type;
guint64     _setl_registry_checksum (const char   *variant_type,
                                     const guint8 *data,
                                     gsize         length);

SetlPropertyInfo  *_setl_property_info_new (const char  *name,
                                            const char  *value_type,
                                            const char  *owner_type,
                                            const char  *nick,
                                            const char  *blurb,
                                            GParamFlags  flags,
                                            const char  *default_value,
                                            const char  *minimum,
                                            const char  *maximum,
                                            const char * const *values);

SetlPluginFeature *_setl_plugin_feature_new      (SetlPlugin      *plugin,
                                                  const char      *name,
                                                  SetlFeatureKind  kind,
                                                  const char      *type_name,
                                                  guint            rank,
                                                  const char      *version,
                                                  const char      *description);
void               _setl_plugin_feature_set_type (SetlPluginFeature *self,
                                                  GType              type);
void               _setl_plugin_feature_add_property (SetlPluginFeature *self,
                                                      SetlPropertyInfo  *info);
void               _setl_plugin_feature_set_plugin (SetlPluginFeature *self,
                                                    SetlPlugin        *plugin);

/* A plugin known from metadata (cache or scanner), not loaded. */
SetlPlugin *_setl_plugin_new_for_file   (const char   *filename);
void        _setl_plugin_set_descriptor (SetlPlugin   *self,
                                         guint         abi_major,
                                         guint         abi_minor,
                                         const char   *name,
                                         const char   *version,
                                         const char   *description,
                                         const char   *license,
                                         const char   *origin);
void        _setl_plugin_take_feature   (SetlPlugin        *self,
                                         SetlPluginFeature *feature);
void        _setl_plugin_take_schema    (SetlPlugin   *self,
                                         JsonNode     *document);
/* Marks the plugin refused; takes @error. */
void        _setl_plugin_take_error     (SetlPlugin   *self,
                                         GError       *error);
void        _setl_plugin_set_file_stamp (SetlPlugin   *self,
                                         gint64        size,
                                         gint64        mtime_ns);
void        _setl_plugin_get_file_stamp (SetlPlugin   *self,
                                         gint64       *size,
                                         gint64       *mtime_ns);

/* JSON form shared by the scanner's output and the registry cache. */
JsonNode   *_setl_plugin_to_json   (SetlPlugin   *self);
SetlPlugin *_setl_plugin_from_json (JsonNode     *node,
                                    GError      **error);

/* Binary form in the registry cache. */
GVariant   *_setl_plugin_to_variant   (SetlPlugin   *self);
SetlPlugin *_setl_plugin_from_variant (GVariant     *variant,
                                       GError      **error);

const char *_setl_plugin_error_code_to_nick (int          code);
int         _setl_plugin_error_code_from_nick (const char *nick);

/* Size and modification time (ns) of @filename, FALSE if it cannot be read. */
gboolean    _setl_plugin_stat_file (const char *filename,
                                    gint64     *size,
                                    gint64     *mtime_ns);

G_END_DECLS
