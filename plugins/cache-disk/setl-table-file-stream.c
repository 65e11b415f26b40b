/* setl-table-file-stream.c: SetlTableFileStream — a table file read back
 * batch by batch, as a SetlBatchStream.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "setl-table-file-stream.h"

#include <unistd.h>

/**
 * SetlTableFileStream:
 *
 * A #SetlBatchStream over a table file: each pass (setl_batch_stream_open())
 * reads the file from its first batch, one batch at a time, as the reader
 * pulls them (see #SetlTableFileCursor): what the disk cache hands the
 * consumers of a cached result, so that reading it takes no more memory
 * than a batch, whatever its size.
 *
 * Each pass reads ahead on a thread of its own, a batch or two: the
 * next batches are decompressed while the reader works on the current one.
 *
 * The stream owns the file descriptor it is made with and reads it with
 * pread() only, so that passes on several threads do not disturb each
 * other, and so that the file can be replaced or removed meanwhile (the
 * disk cache evicting it, another process storing the same key again):
 * the stream reads what it opened.
 */
struct _SetlTableFileStream
{
  GObject parent_instance;

  int        fd;
  char      *name;
  GPtrArray *fields;
  guint64    size;
};

static void setl_table_file_stream_iface_init (SetlBatchStreamInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SetlTableFileStream, setl_table_file_stream, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (SETL_TYPE_BATCH_STREAM,
                                                      setl_table_file_stream_iface_init))

/* One pass: a cursor over the file, and a reference to the stream that
 * keeps the file descriptor open. From the second batch on, the next
 * batches are read and decompressed on a thread of the pass while the
 * reader works on the current one — decompressing is most of a read's
 * cost — with at most READ_AHEAD of them waiting (and one more made). */
#define READ_AHEAD 1

#define SETL_TYPE_TABLE_FILE_ITERATOR (setl_table_file_iterator_get_type ())
G_DECLARE_FINAL_TYPE (SetlTableFileIterator, setl_table_file_iterator, SETL, TABLE_FILE_ITERATOR,
                      SetlBatchIterator)

typedef struct {
  SetlRecordBatch *batch;   /* NULL: the end, or @error */
  GError          *error;
} Ahead;

struct _SetlTableFileIterator
{
  SetlBatchIterator parent_instance;

  SetlTableFileStream *stream;
  SetlTableFileCursor *cursor;   /* the thread's once it runs */
  GThread             *thread;
  GMutex               lock;
  GCond                cond;
  GQueue               ready;    /* of Ahead */
  gboolean             stop;     /* the reader left before the end */
  gboolean             ended;    /* the last Ahead was taken */
};

G_DEFINE_FINAL_TYPE (SetlTableFileIterator, setl_table_file_iterator, SETL_TYPE_BATCH_ITERATOR)

static void
ahead_free (gpointer data)
{
  Ahead *a = data;

  g_clear_object (&a->batch);
  g_clear_error (&a->error);
  g_free (a);
}

static gpointer
read_ahead_thread (gpointer data)
{
  SetlTableFileIterator *self = data;
  gboolean end = FALSE;

  while (!end)
    {
      Ahead *a = g_new0 (Ahead, 1);

      a->batch = setl_table_file_cursor_next (self->cursor, &a->error);
      end = a->batch == NULL;
      g_mutex_lock (&self->lock);
      while (!self->stop && g_queue_get_length (&self->ready) >= READ_AHEAD)
        g_cond_wait (&self->cond, &self->lock);
      if (self->stop)
        {
          g_mutex_unlock (&self->lock);
          ahead_free (a);
          break;
        }
      g_queue_push_tail (&self->ready, a);
      g_cond_broadcast (&self->cond);
      g_mutex_unlock (&self->lock);
    }
  return NULL;
}

static void
setl_table_file_iterator_finalize (GObject *object)
{
  SetlTableFileIterator *self = SETL_TABLE_FILE_ITERATOR (object);

  if (self->thread != NULL)
    {
      g_mutex_lock (&self->lock);
      self->stop = TRUE;
      g_cond_broadcast (&self->cond);
      g_mutex_unlock (&self->lock);
      g_thread_join (self->thread);
    }
  g_queue_clear_full (&self->ready, ahead_free);
  g_clear_pointer (&self->cursor, setl_table_file_cursor_free);
  g_clear_object (&self->stream);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->cond);

  G_OBJECT_CLASS (setl_table_file_iterator_parent_class)->finalize (object);
}

static SetlRecordBatch *
setl_table_file_iterator_next (SetlBatchIterator  *iterator,
                               GCancellable       *cancellable,
                               GError            **error)
{
  SetlTableFileIterator *self = SETL_TABLE_FILE_ITERATOR (iterator);
  SetlRecordBatch *batch;
  Ahead *a;

  if (g_cancellable_set_error_if_cancelled (cancellable, error) || self->ended)
    return NULL;
  if (self->thread == NULL)
    {
      /* The first batch inline: an entry of one batch needs no thread. */
      batch = setl_table_file_cursor_next (self->cursor, error);
      if (batch == NULL)
        self->ended = TRUE;
      else
        self->thread = g_thread_new ("setl-cache-read", read_ahead_thread, self);
      return batch;
    }

  g_mutex_lock (&self->lock);
  while (g_queue_is_empty (&self->ready))
    g_cond_wait (&self->cond, &self->lock);
  a = g_queue_pop_head (&self->ready);
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->lock);

  batch = g_steal_pointer (&a->batch);
  if (batch == NULL)
    {
      self->ended = TRUE;
      if (a->error != NULL)
        g_propagate_error (error, g_steal_pointer (&a->error));
    }
  ahead_free (a);
  return batch;
}

static void
setl_table_file_iterator_class_init (SetlTableFileIteratorClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = setl_table_file_iterator_finalize;
  SETL_BATCH_ITERATOR_CLASS (klass)->next = setl_table_file_iterator_next;
}

static void
setl_table_file_iterator_init (SetlTableFileIterator *self)
{
  g_mutex_init (&self->lock);
  g_cond_init (&self->cond);
  g_queue_init (&self->ready);
}

static void
setl_table_file_stream_finalize (GObject *object)
{
  SetlTableFileStream *self = SETL_TABLE_FILE_STREAM (object);

  if (self->fd >= 0)
    close (self->fd);
  g_free (self->name);
  g_clear_pointer (&self->fields, g_ptr_array_unref);

  G_OBJECT_CLASS (setl_table_file_stream_parent_class)->finalize (object);
}

static void
setl_table_file_stream_class_init (SetlTableFileStreamClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = setl_table_file_stream_finalize;
}

static void
setl_table_file_stream_init (SetlTableFileStream *self)
{
  self->fd = -1;
}

static SetlField **
setl_table_file_stream_get_fields (SetlBatchStream *stream,
                                   guint           *n_fields)
{
  SetlTableFileStream *self = SETL_TABLE_FILE_STREAM (stream);

  *n_fields = self->fields->len;
  return (SetlField **) self->fields->pdata;
}

static SetlBatchIterator *
setl_table_file_stream_open (SetlBatchStream  *stream,
                             GCancellable     *cancellable,
                             GError          **error)
{
  SetlTableFileStream *self = SETL_TABLE_FILE_STREAM (stream);
  SetlTableFileCursor *cursor;
  SetlTableFileIterator *it;

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;
  cursor = setl_table_file_cursor_new (self->fd, self->name, error);
  if (cursor == NULL)
    return NULL;
  it = g_object_new (SETL_TYPE_TABLE_FILE_ITERATOR, NULL);
  it->stream = g_object_ref (self);
  it->cursor = cursor;
  return SETL_BATCH_ITERATOR (it);
}

static void
setl_table_file_stream_iface_init (SetlBatchStreamInterface *iface)
{
  iface->get_fields = setl_table_file_stream_get_fields;
  iface->open = setl_table_file_stream_open;
}

/**
 * setl_table_file_stream_new:
 * @fd: (transfer full): a table file open for reading; the stream closes
 *   it, also on failure
 * @display_name: the name to put in error messages
 * @error: return location for a #GError
 *
 * Reads the file's header (not its batches).
 *
 * Returns: (transfer full): the stream, or %NULL with
 *   #SETL_TABLE_FILE_ERROR when the header fails its checks
 */
SetlTableFileStream *
setl_table_file_stream_new (int          fd,
                            const char  *display_name,
                            GError     **error)
{
  g_autoptr(SetlTableFileStream) self = NULL;
  g_autoptr(SetlTableFileInfo) info = NULL;

  g_return_val_if_fail (fd >= 0, NULL);
  g_return_val_if_fail (display_name != NULL, NULL);

  self = g_object_new (SETL_TYPE_TABLE_FILE_STREAM, NULL);
  self->fd = fd;
  self->name = g_strdup (display_name);
  info = setl_table_file_read_info_fd (fd, display_name, error);
  if (info == NULL)
    return NULL;
  self->fields = g_ptr_array_ref (info->fields);
  self->size = info->file_size;
  return g_steal_pointer (&self);
}

/**
 * setl_table_file_stream_get_size:
 * @self: a #SetlTableFileStream
 *
 * Returns: the file's size in bytes
 */
guint64
setl_table_file_stream_get_size (SetlTableFileStream *self)
{
  g_return_val_if_fail (SETL_IS_TABLE_FILE_STREAM (self), 0);
  return self->size;
}
