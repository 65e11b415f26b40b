/* setl-data-cli.h: what `setl validate`, `setl synth` and `setl schema infer`
 * share — reading and writing data files through the installed source and
 * sink plugins, chosen by file extension, and loading a schema from a file
 * or from the schema registry.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <setl/setl-plugin.h>
#include <setl/setl-schema-registry.h>

G_BEGIN_DECLS

/* "csv", "jsonl" or "sqlite" for PATH's extension; NULL if unknown. */
const char      *setl_data_cli_plugin_for (const char          *path);

/* A lazy stream over PATH, read by the PLUGIN-source feature (PLUGIN from
 * the extension unless given); @table for database formats. */
SetlBatchStream *setl_data_cli_open       (SetlPluginRegistry  *registry,
                                           const char          *path,
                                           const char          *plugin,
                                           const char          *table,
                                           GError             **error);

/* As setl_data_cli_open(), with the columns @schema names read with the
 * schema's types where the source would guess another (a csv or jsonl
 * column of digits that the schema says is a string, integers for a
 * double column). Other columns keep the source's types. @schema may be
 * NULL. */
SetlBatchStream *setl_data_cli_open_for_schema (SetlPluginRegistry  *registry,
                                                const char          *path,
                                                const char          *plugin,
                                                const char          *table,
                                                SetlSchema          *schema,
                                                GError             **error);

/* Writes @data to PATH with the PLUGIN-sink feature (atomically, as every
 * sink does); *@n_rows: the rows written. */
gboolean         setl_data_cli_write      (SetlPluginRegistry  *registry,
                                           const char          *path,
                                           const char          *plugin,
                                           const char          *table,
                                           SetlBatchStream     *data,
                                           gint64              *n_rows,
                                           GError             **error);

/* A schema from a file, or from the schema registry (@registry_path or the
 * default) for a reference NAME@VERSION / NAME@latest that is not a file. */
SetlSchema      *setl_data_cli_load_schema (const char         *spec,
                                            const char         *registry_path,
                                            GError            **error);

/* Writes @contents to @path atomically (temporary file, fsync, rename). */
gboolean         setl_data_cli_write_file (const char          *path,
                                           const char          *contents,
                                           gssize               length,
                                           GError             **error);

G_END_DECLS
