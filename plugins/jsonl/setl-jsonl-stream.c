/* setl-jsonl-stream.c
 *
 * Each pass opens the file again and parses it a batch at a time, so only
 * one batch of rows is ever in memory. The fields are fixed beforehand (by
 * a schema or by inference over a sample): a value that does not fit its
 * column is an error naming the file, the line and the key.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "setl-jsonl-stream.h"
#include "setl-jsonl-reader.h"

#include <string.h>

struct _SetlJsonlStream
{
  GObject parent_instance;

  char *path;
  GPtrArray *fields;
  GHashTable *index;           /* name → position + 1 */
  guint batch_size;
  SetlJsonlUnknownKeys unknown_keys;
};

#define SETL_TYPE_JSONL_ITERATOR (setl_jsonl_iterator_get_type ())
G_DECLARE_FINAL_TYPE (SetlJsonlIterator, setl_jsonl_iterator, SETL, JSONL_ITERATOR, SetlBatchIterator)

struct _SetlJsonlIterator
{
  SetlBatchIterator parent_instance;

  SetlJsonlStream *stream;
  SetlJsonlReader *reader;
  guint8 *present;             /* per field, for the current row */
};

static void setl_jsonl_stream_iface_init (SetlBatchStreamInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SetlJsonlStream, setl_jsonl_stream, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (SETL_TYPE_BATCH_STREAM,
                                                      setl_jsonl_stream_iface_init))
G_DEFINE_FINAL_TYPE (SetlJsonlIterator, setl_jsonl_iterator, SETL_TYPE_BATCH_ITERATOR)

typedef struct
{
  SetlJsonlIterator *it;
  SetlColumnBuilder **builders;
  GError *error;
} RowContext;

static void
append_member (JsonObject  *object,
               const char  *key,
               JsonNode    *node,
               gpointer     user_data)
{
  RowContext *ctx = user_data;
  SetlJsonlStream *stream = ctx->it->stream;
  guint pos;

  if (ctx->error != NULL)
    return;
  pos = GPOINTER_TO_UINT (g_hash_table_lookup (stream->index, key));
  if (pos == 0)
    {
      if (stream->unknown_keys == SETL_JSONL_UNKNOWN_KEYS_FAIL_INFERRED)
        g_set_error (&ctx->error, SETL_DATA_ERROR, SETL_DATA_ERROR_INVALID,
                     "%s:%" G_GUINT64_FORMAT ": key “%s” is not among the columns inferred "
                     "from the first lines; raise infer-rows (0 reads the whole file) or "
                     "give a schema", stream->path,
                     setl_jsonl_reader_get_line (ctx->it->reader), key);
      else if (stream->unknown_keys == SETL_JSONL_UNKNOWN_KEYS_FAIL_SCHEMA)
        g_set_error (&ctx->error, SETL_DATA_ERROR, SETL_DATA_ERROR_INVALID,
                     "%s:%" G_GUINT64_FORMAT ": key “%s” is not among the columns of the "
                     "“schema” property, and ignore-unknown-keys is off", stream->path,
                     setl_jsonl_reader_get_line (ctx->it->reader), key);
      return;
    }
  pos--;
  if (ctx->it->present[pos])
    return;   /* json-glib kept the last of duplicate keys already */
  ctx->it->present[pos] = TRUE;
  if (!setl_jsonl_append_value (ctx->builders[pos],
                                setl_field_get_data_type (g_ptr_array_index (stream->fields, pos)),
                                node, &ctx->error))
    g_prefix_error (&ctx->error, "%s:%" G_GUINT64_FORMAT ": key “%s”: ", stream->path,
                    setl_jsonl_reader_get_line (ctx->it->reader), key);
}

static SetlRecordBatch *
setl_jsonl_iterator_next (SetlBatchIterator  *iterator,
                          GCancellable       *cancellable,
                          GError            **error)
{
  SetlJsonlIterator *self = SETL_JSONL_ITERATOR (iterator);
  SetlJsonlStream *stream = self->stream;
  guint n_fields = stream->fields->len;
  g_autoptr(GPtrArray) builders = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) columns = g_ptr_array_new_with_free_func (g_object_unref);
  RowContext ctx = { self, NULL, NULL };
  guint rows = 0;

  for (guint i = 0; i < n_fields; i++)
    g_ptr_array_add (builders,
                     setl_column_builder_new (setl_field_get_data_type (g_ptr_array_index (stream->fields, i))));
  ctx.builders = (SetlColumnBuilder **) builders->pdata;

  while (rows < stream->batch_size)
    {
      JsonObject *object;
      int r = setl_jsonl_reader_next (self->reader, &object, error);

      if (r < 0)
        return NULL;
      if (r == 0)
        break;
      memset (self->present, 0, n_fields);
      json_object_foreach_member (object, append_member, &ctx);
      if (ctx.error != NULL)
        {
          g_propagate_error (error, ctx.error);
          return NULL;
        }
      for (guint i = 0; i < n_fields; i++)
        if (!self->present[i])
          setl_column_builder_append_null (ctx.builders[i]);
      rows++;
      if ((rows & 1023) == 0 && g_cancellable_set_error_if_cancelled (cancellable, error))
        return NULL;
    }
  if (rows == 0)
    return NULL;

  for (guint i = 0; i < n_fields; i++)
    {
      SetlColumn *c = setl_column_builder_finish (ctx.builders[i], error);
      if (c == NULL)
        {
          g_prefix_error (error, "%s: ", stream->path);
          return NULL;
        }
      g_ptr_array_add (columns, c);
    }
  return setl_record_batch_new ((SetlField **) stream->fields->pdata, n_fields,
                                (SetlColumn **) columns->pdata, columns->len, error);
}

static void
setl_jsonl_iterator_finalize (GObject *object)
{
  SetlJsonlIterator *self = SETL_JSONL_ITERATOR (object);

  g_clear_pointer (&self->reader, setl_jsonl_reader_free);
  g_clear_object (&self->stream);
  g_free (self->present);
  G_OBJECT_CLASS (setl_jsonl_iterator_parent_class)->finalize (object);
}

static void
setl_jsonl_iterator_class_init (SetlJsonlIteratorClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = setl_jsonl_iterator_finalize;
  SETL_BATCH_ITERATOR_CLASS (klass)->next = setl_jsonl_iterator_next;
}

static void
setl_jsonl_iterator_init (SetlJsonlIterator *self)
{
}

static SetlField **
setl_jsonl_stream_get_fields (SetlBatchStream *stream,
                              guint           *n_fields)
{
  SetlJsonlStream *self = SETL_JSONL_STREAM (stream);

  *n_fields = self->fields->len;
  return (SetlField **) self->fields->pdata;
}

static SetlBatchIterator *
setl_jsonl_stream_open (SetlBatchStream  *stream,
                        GCancellable     *cancellable,
                        GError          **error)
{
  SetlJsonlStream *self = SETL_JSONL_STREAM (stream);
  SetlJsonlReader *reader = setl_jsonl_reader_open (self->path, error);
  SetlJsonlIterator *it;

  if (reader == NULL)
    return NULL;
  it = g_object_new (SETL_TYPE_JSONL_ITERATOR, NULL);
  it->stream = g_object_ref (self);
  it->reader = reader;
  it->present = g_new0 (guint8, MAX (self->fields->len, 1));
  return SETL_BATCH_ITERATOR (it);
}

static void
setl_jsonl_stream_iface_init (SetlBatchStreamInterface *iface)
{
  iface->get_fields = setl_jsonl_stream_get_fields;
  iface->open = setl_jsonl_stream_open;
}

static void
setl_jsonl_stream_finalize (GObject *object)
{
  SetlJsonlStream *self = SETL_JSONL_STREAM (object);

  g_free (self->path);
  g_ptr_array_unref (self->fields);
  g_hash_table_unref (self->index);
  G_OBJECT_CLASS (setl_jsonl_stream_parent_class)->finalize (object);
}

static void
setl_jsonl_stream_class_init (SetlJsonlStreamClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = setl_jsonl_stream_finalize;
}

static void
setl_jsonl_stream_init (SetlJsonlStream *self)
{
}

SetlJsonlStream *
setl_jsonl_stream_new (const char           *path,
                       GPtrArray            *fields,
                       guint                 batch_size,
                       SetlJsonlUnknownKeys  unknown_keys)
{
  SetlJsonlStream *self = g_object_new (SETL_TYPE_JSONL_STREAM, NULL);

  self->path = g_strdup (path);
  self->fields = g_ptr_array_ref (fields);
  self->batch_size = MAX (batch_size, 1);
  self->unknown_keys = unknown_keys;
  self->index = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < fields->len; i++)
    g_hash_table_insert (self->index, (gpointer) setl_field_get_name (g_ptr_array_index (fields, i)),
                         GUINT_TO_POINTER (i + 1));
  return self;
}
