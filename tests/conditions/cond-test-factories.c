/* cond-test-factories.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "cond-test-factories.h"

/* ----------------------------------------------------------------------- */
/* A stream over a table that counts the passes opened over it.            */

#define COND_TYPE_STREAM (cond_stream_get_type ())
G_DECLARE_FINAL_TYPE (CondStream, cond_stream, COND, STREAM, GObject)

struct _CondStream
{
  GObject parent_instance;
  SetlTable *table;
  guint *opens;
};

static void cond_stream_iface_init (SetlBatchStreamInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (CondStream, cond_stream, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (SETL_TYPE_BATCH_STREAM, cond_stream_iface_init))

static SetlField **
cond_stream_get_fields (SetlBatchStream *stream,
                        guint           *n_fields)
{
  return setl_batch_stream_get_fields (SETL_BATCH_STREAM (COND_STREAM (stream)->table), n_fields);
}

static SetlBatchIterator *
cond_stream_open (SetlBatchStream  *stream,
                  GCancellable     *cancellable,
                  GError          **error)
{
  CondStream *self = COND_STREAM (stream);

  g_atomic_int_inc ((gint *) self->opens);
  return setl_batch_stream_open (SETL_BATCH_STREAM (self->table), cancellable, error);
}

static void
cond_stream_iface_init (SetlBatchStreamInterface *iface)
{
  iface->get_fields = cond_stream_get_fields;
  iface->open = cond_stream_open;
}

static void
cond_stream_finalize (GObject *object)
{
  g_clear_object (&COND_STREAM (object)->table);
  G_OBJECT_CLASS (cond_stream_parent_class)->finalize (object);
}

static void
cond_stream_class_init (CondStreamClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cond_stream_finalize;
}

static void
cond_stream_init (CondStream *self)
{
}

/* ----------------------------------------------------------------------- */

struct _CondSource
{
  SetlFactory parent_instance;
  gint64 n_rows;
  gboolean fail;
  guint opens;
};

G_DEFINE_FINAL_TYPE (CondSource, cond_source, SETL_TYPE_FACTORY)

static gboolean
cond_source_read (SetlFactory   *factory,
                  GCancellable  *cancellable,
                  GError       **error)
{
  if (COND_SOURCE (factory)->fail)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "source “%s” fails on purpose",
                   setl_factory_get_name (factory));
      return FALSE;
    }
  return TRUE;
}

static gboolean
cond_source_get (SetlFactory  *factory,
                 GValue       *output,
                 GError      **error)
{
  CondSource *self = COND_SOURCE (factory);
  g_autoptr(SetlColumnBuilder) xb = setl_column_builder_new (SETL_DATA_TYPE_INT64);
  g_autoptr(SetlColumnBuilder) sb = setl_column_builder_new (SETL_DATA_TYPE_STRING);
  g_autoptr(SetlField) xf = setl_field_new ("x", SETL_DATA_TYPE_INT64, TRUE);
  g_autoptr(SetlField) sf = setl_field_new ("s", SETL_DATA_TYPE_STRING, FALSE);
  g_autoptr(SetlColumn) x = NULL;
  g_autoptr(SetlColumn) s = NULL;
  g_autoptr(SetlRecordBatch) batch = NULL;
  SetlField *fields[2] = { xf, sf };
  SetlColumn *columns[2];
  CondStream *stream;

  for (gint64 i = 0; i < self->n_rows; i++)
    {
      g_autofree char *text = g_strdup_printf ("k%" G_GINT64_FORMAT, i);

      if (i % 10 == 3)
        setl_column_builder_append_null (xb);
      else
        setl_column_builder_append_int64 (xb, i);
      setl_column_builder_append_string (sb, text, -1);
    }
  x = setl_column_builder_finish (xb, error);
  s = setl_column_builder_finish (sb, error);
  columns[0] = x;
  columns[1] = s;
  batch = setl_record_batch_new (fields, 2, columns, 2, error);
  if (batch == NULL)
    return FALSE;
  stream = g_object_new (COND_TYPE_STREAM, NULL);
  stream->table = setl_table_new (fields, 2, &batch, 1, error);
  stream->opens = &self->opens;
  g_value_take_object (output, stream);
  return TRUE;
}

static void
cond_source_class_init (CondSourceClass *klass)
{
  SetlFactoryClass *factory_class = SETL_FACTORY_CLASS (klass);

  factory_class->read = cond_source_read;
  factory_class->get = cond_source_get;
  setl_factory_class_set_output_type (factory_class, SETL_TYPE_BATCH_STREAM);
}

static void
cond_source_init (CondSource *self)
{
}

CondSource *
cond_source_new (const char *name,
                 gint64      n_rows,
                 gboolean    fail)
{
  CondSource *self = g_object_new (COND_TYPE_SOURCE, "name", name, "delivery-id", name, NULL);

  self->n_rows = n_rows;
  self->fail = fail;
  return self;
}

guint
cond_source_get_opens (CondSource *self)
{
  return g_atomic_int_get ((gint *) &self->opens);
}

/* ----------------------------------------------------------------------- */

struct _CondCount
{
  SetlFactory parent_instance;
  gboolean ran;
  gint64 rows;
  guint n_input_columns;
};

G_DEFINE_FINAL_TYPE (CondCount, cond_count, SETL_TYPE_FACTORY)

static gboolean
cond_count_process (SetlFactory   *factory,
                    GCancellable  *cancellable,
                    GError       **error)
{
  CondCount *self = COND_COUNT (factory);
  const GValue *in = setl_factory_get_input (factory, "in");
  g_autoptr(SetlBatchIterator) it = NULL;
  SetlRecordBatch *batch;

  self->ran = TRUE;
  self->rows = -1;
  self->n_input_columns = 0;
  if (in == NULL)
    return TRUE;
  setl_batch_stream_get_fields (g_value_get_object (in), &self->n_input_columns);
  it = setl_batch_stream_open (g_value_get_object (in), cancellable, error);
  if (it == NULL)
    return FALSE;
  self->rows = 0;
  while ((batch = setl_batch_iterator_next (it, cancellable, error)) != NULL)
    {
      self->rows += setl_record_batch_get_n_rows (batch);
      g_object_unref (batch);
    }
  return error == NULL || *error == NULL;
}

static gboolean
cond_count_get (SetlFactory  *factory,
                GValue       *output,
                GError      **error)
{
  g_value_set_int64 (output, COND_COUNT (factory)->rows);
  return TRUE;
}

static void
cond_count_class_init (CondCountClass *klass)
{
  SetlFactoryClass *factory_class = SETL_FACTORY_CLASS (klass);

  factory_class->process = cond_count_process;
  factory_class->get = cond_count_get;
  setl_factory_class_set_output_type (factory_class, G_TYPE_INT64);
}

static void
cond_count_init (CondCount *self)
{
}

CondCount *
cond_count_new (const char *name,
                const char *producer,
                gboolean    optional)
{
  CondCount *self = g_object_new (COND_TYPE_COUNT, "name", name, "delivery-id", name, NULL);

  setl_delivery_set_optional (setl_factory_add_input (SETL_FACTORY (self), "in", SETL_TYPE_BATCH_STREAM,
                                                      SETL_TYPE_EXTERNAL, producer),
                              optional);
  return self;
}

gboolean
cond_count_get_ran (CondCount *self)
{
  return self->ran;
}

gint64
cond_count_get_rows (CondCount *self)
{
  return self->rows;
}

guint
cond_count_get_n_input_columns (CondCount *self)
{
  return self->n_input_columns;
}

/* ----------------------------------------------------------------------- */

struct _CondPass
{
  SetlFactory parent_instance;
};

G_DEFINE_FINAL_TYPE (CondPass, cond_pass, SETL_TYPE_FACTORY)

static gboolean
cond_pass_get (SetlFactory  *factory,
               GValue       *output,
               GError      **error)
{
  g_value_set_object (output, g_value_get_object (setl_factory_get_input (factory, "in")));
  return TRUE;
}

static void
cond_pass_class_init (CondPassClass *klass)
{
  SetlFactoryClass *factory_class = SETL_FACTORY_CLASS (klass);

  factory_class->get = cond_pass_get;
  setl_factory_class_set_output_type (factory_class, SETL_TYPE_BATCH_STREAM);
}

static void
cond_pass_init (CondPass *self)
{
}

CondPass *
cond_pass_new (const char *name,
               const char *producer)
{
  CondPass *self = g_object_new (COND_TYPE_PASS, "name", name, "delivery-id", name, NULL);

  setl_factory_add_input (SETL_FACTORY (self), "in", SETL_TYPE_BATCH_STREAM, SETL_TYPE_EXTERNAL, producer);
  return self;
}
