/* jsonl-test-util.h: running the jsonl factories by hand.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <setl/setl.h>
#include <glib/gstdio.h>
#include <string.h>

#include "setl-jsonl-sink.h"
#include "setl-jsonl-source.h"

static inline char *
tmp_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("setl-jsonl-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

static inline void
rm_dir (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *p = g_build_filename (dir, name, NULL);
      g_unlink (p);
    }
  g_rmdir (dir);
}

static inline char *
write_file (const char *dir, const char *name, const char *content, gssize len)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (dir, name, NULL);

  g_file_set_contents (path, content, len, &error);
  g_assert_no_error (error);
  return path;
}

static inline char *
read_file (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *content = NULL;

  g_file_get_contents (path, &content, NULL, &error);
  g_assert_no_error (error);
  return content;
}

/* Reads a JSON Lines file into a table; NULL with @error set on failure. */
static inline SetlTable *
read_jsonl (const char *path, const char *schema, guint batch_size, guint infer_rows, GError **error)
{
  g_autoptr(SetlFactory) src = g_object_new (SETL_TYPE_JSONL_SOURCE, "name", "src", "path", path,
                                             "schema", schema, "batch-size", batch_size,
                                             "infer-rows", infer_rows, NULL);
  g_auto(GValue) v = G_VALUE_INIT;

  if (!setl_factory_read (src, NULL, error) || !setl_factory_process (src, NULL, error) ||
      !setl_factory_write (src, NULL, error) || !setl_factory_get (src, &v, error))
    return NULL;
  return setl_batch_stream_collect (g_value_get_object (&v), NULL, error);
}

/* Writes @stream with a jsonl-sink; returns the rows written or -1. */
static inline gint64
write_jsonl (gpointer stream, const char *path, GError **error)
{
  g_autoptr(SetlFactory) sink = g_object_new (SETL_TYPE_JSONL_SINK, "name", "out", "path", path, NULL);
  g_auto(GValue) in = G_VALUE_INIT;
  g_auto(GValue) out = G_VALUE_INIT;

  g_value_init (&in, SETL_TYPE_BATCH_STREAM);
  g_value_set_object (&in, stream);
  setl_delivery_set_value (setl_factory_get_delivery (sink, "in"), &in);
  if (!setl_factory_read (sink, NULL, error) || !setl_factory_process (sink, NULL, error) ||
      !setl_factory_write (sink, NULL, error) || !setl_factory_get (sink, &out, error))
    return -1;
  return g_value_get_int64 (&out);
}
