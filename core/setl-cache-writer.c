/* setl-cache-writer.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/**
 * SetlCacheWriter:
 *
 * A cache entry being stored batch by batch, so that storing a factory's
 * #SetlBatchStream output never holds more of it than a batch: a
 * #SetlPipeline reads the stream once, hands every batch to the writer
 * (and hashes it: the entry's data version), then commits, and its
 * consumers read the stream setl_cache_writer_commit() returns — the
 * stored entry, read back batch by batch.
 *
 * Writers come from setl_cache_policy_begin_store(). A policy that keeps
 * its entries outside memory implements
 * #SetlCachePolicyInterface.begin_store with a subclass of its own (the
 * disk cache writes a temporary file beside the entry and renames it into
 * place when it commits); for the others, the core's writer collects the
 * batches into a #SetlTable, at most #SetlCachePolicy:max-size bytes of
 * them, and stores that with setl_cache_policy_store().
 *
 * |[<!-- language="C" -->
 * g_autoptr(SetlCacheWriter) w =
 *   setl_cache_policy_begin_store (policy, entry, fields, n_fields, NULL, &error);
 * while (w != NULL && (batch = setl_batch_iterator_next (it, NULL, &error)) != NULL)
 *   {
 *     gboolean ok = setl_cache_writer_add_batch (w, batch, NULL, &error);
 *     g_object_unref (batch);
 *     if (!ok)
 *       break;    // G_IO_ERROR_MESSAGE_TOO_LARGE: larger than max-size
 *   }
 * if (error == NULL)
 *   {
 *     setl_cache_entry_set_data_version (entry, hash);
 *     stored = setl_cache_writer_commit (w, NULL, &error);
 *   }
 * ]|
 *
 * A writer dropped before it commits aborts: nothing of the entry stays.
 */
#include "setl-cache-private.h"

typedef enum {
  WRITER_OPEN,
  WRITER_COMMITTED,
  WRITER_ABORTED,
} WriterState;

typedef struct {
  SetlCacheEntry *entry;
  GPtrArray *fields;        /* of SetlField */
  WriterState state;
  gint64 n_rows;
  guint64 n_batches;
} SetlCacheWriterPrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (SetlCacheWriter, setl_cache_writer, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ENTRY,
  PROP_FIELDS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
setl_cache_writer_dispose (GObject *object)
{
  SetlCacheWriter *self = SETL_CACHE_WRITER (object);
  SetlCacheWriterPrivate *priv = setl_cache_writer_get_instance_private (self);

  /* Dropped before committing: what was written must not stay. */
  if (priv->state == WRITER_OPEN)
    setl_cache_writer_abort (self);

  G_OBJECT_CLASS (setl_cache_writer_parent_class)->dispose (object);
}

static void
setl_cache_writer_finalize (GObject *object)
{
  SetlCacheWriter *self = SETL_CACHE_WRITER (object);
  SetlCacheWriterPrivate *priv = setl_cache_writer_get_instance_private (self);

  g_clear_object (&priv->entry);
  g_clear_pointer (&priv->fields, g_ptr_array_unref);

  G_OBJECT_CLASS (setl_cache_writer_parent_class)->finalize (object);
}

static void
setl_cache_writer_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  SetlCacheWriter *self = SETL_CACHE_WRITER (object);
  SetlCacheWriterPrivate *priv = setl_cache_writer_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_ENTRY:
      g_value_set_object (value, priv->entry);
      break;
    case PROP_FIELDS:
      g_value_set_boxed (value, priv->fields);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
setl_cache_writer_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  SetlCacheWriter *self = SETL_CACHE_WRITER (object);
  SetlCacheWriterPrivate *priv = setl_cache_writer_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_ENTRY:
      priv->entry = g_value_dup_object (value);
      break;
    case PROP_FIELDS:
      {
        GPtrArray *fields = g_value_get_boxed (value);

        /* A copy of our own: the caller's array may change. */
        g_ptr_array_set_size (priv->fields, 0);
        for (guint i = 0; fields != NULL && i < fields->len; i++)
          g_ptr_array_add (priv->fields, g_object_ref (g_ptr_array_index (fields, i)));
      }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
setl_cache_writer_class_init (SetlCacheWriterClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = setl_cache_writer_dispose;
  object_class->finalize = setl_cache_writer_finalize;
  object_class->get_property = setl_cache_writer_get_property;
  object_class->set_property = setl_cache_writer_set_property;

  /**
   * SetlCacheWriter:entry:
   *
   * The entry being stored: its key and metadata, without a payload (its
   * payload type is %SETL_TYPE_TABLE). What is known only once every batch
   * was added — the data version, the compute time — is set on it before
   * setl_cache_writer_commit(); the rest must not change after the writer
   * was made (a policy may write it first).
   */
  properties[PROP_ENTRY] =
    g_param_spec_object ("entry", "Entry", "The entry being stored (key and metadata)",
                         SETL_TYPE_CACHE_ENTRY,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * SetlCacheWriter:fields: (type GPtrArray(SetlField))
   *
   * The schema of every batch.
   */
  properties[PROP_FIELDS] =
    g_param_spec_boxed ("fields", "Fields", "The schema of every batch",
                        G_TYPE_PTR_ARRAY,
                        G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
setl_cache_writer_init (SetlCacheWriter *self)
{
  SetlCacheWriterPrivate *priv = setl_cache_writer_get_instance_private (self);

  priv->fields = g_ptr_array_new_with_free_func (g_object_unref);
}

/**
 * setl_cache_writer_get_entry:
 * @self: a #SetlCacheWriter
 *
 * Returns: (transfer none): the entry being stored
 */
SetlCacheEntry *
setl_cache_writer_get_entry (SetlCacheWriter *self)
{
  SetlCacheWriterPrivate *priv;

  g_return_val_if_fail (SETL_IS_CACHE_WRITER (self), NULL);
  priv = setl_cache_writer_get_instance_private (self);
  return priv->entry;
}

/**
 * setl_cache_writer_get_fields:
 * @self: a #SetlCacheWriter
 * @n_fields: (out): the number of fields
 *
 * Returns: (array length=n_fields) (transfer none): the schema of every
 *   batch
 */
SetlField **
setl_cache_writer_get_fields (SetlCacheWriter *self,
                              guint           *n_fields)
{
  SetlCacheWriterPrivate *priv;

  g_return_val_if_fail (SETL_IS_CACHE_WRITER (self), NULL);
  g_return_val_if_fail (n_fields != NULL, NULL);
  priv = setl_cache_writer_get_instance_private (self);
  *n_fields = priv->fields->len;
  return (SetlField **) priv->fields->pdata;
}

/**
 * setl_cache_writer_get_n_rows:
 * @self: a #SetlCacheWriter
 *
 * Returns: the rows added so far
 */
gint64
setl_cache_writer_get_n_rows (SetlCacheWriter *self)
{
  SetlCacheWriterPrivate *priv;

  g_return_val_if_fail (SETL_IS_CACHE_WRITER (self), 0);
  priv = setl_cache_writer_get_instance_private (self);
  return priv->n_rows;
}

/**
 * setl_cache_writer_get_n_batches:
 * @self: a #SetlCacheWriter
 *
 * Returns: the batches added so far
 */
guint64
setl_cache_writer_get_n_batches (SetlCacheWriter *self)
{
  SetlCacheWriterPrivate *priv;

  g_return_val_if_fail (SETL_IS_CACHE_WRITER (self), 0);
  priv = setl_cache_writer_get_instance_private (self);
  return priv->n_batches;
}

static gboolean
check_schema (SetlCacheWriter  *self,
              SetlRecordBatch  *batch,
              GError          **error)
{
  SetlCacheWriterPrivate *priv = setl_cache_writer_get_instance_private (self);
  guint n = setl_record_batch_get_n_columns (batch);
  const char *subject = setl_cache_key_get_subject (setl_cache_entry_get_key (priv->entry));

  if (n != priv->fields->len)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "Cache entry of “%s”: batch %" G_GUINT64_FORMAT " has %u columns, "
                   "the stream's schema %u", subject, priv->n_batches, n, priv->fields->len);
      return FALSE;
    }
  for (guint i = 0; i < n; i++)
    if (!setl_field_equal (setl_record_batch_get_field (batch, i),
                           g_ptr_array_index (priv->fields, i)))
      {
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                     "Cache entry of “%s”: column “%s” of batch %" G_GUINT64_FORMAT
                     " differs from the stream's schema", subject,
                     setl_field_get_name (setl_record_batch_get_field (batch, i)),
                     priv->n_batches);
        return FALSE;
      }
  return TRUE;
}

/**
 * setl_cache_writer_add_batch:
 * @self: a #SetlCacheWriter, not committed nor aborted
 * @batch: the next batch, with the writer's schema
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Stores @batch after those added before. On failure the writer is
 * aborted: nothing of the entry stays in the store.
 *
 * Returns: %TRUE on success; %FALSE with @error set to
 *   %G_IO_ERROR_MESSAGE_TOO_LARGE when the entry would be larger than the
 *   policy's #SetlCachePolicy:max-size, %G_IO_ERROR_CANCELLED, or why
 *   storing failed
 */
gboolean
setl_cache_writer_add_batch (SetlCacheWriter  *self,
                             SetlRecordBatch  *batch,
                             GCancellable     *cancellable,
                             GError          **error)
{
  SetlCacheWriterPrivate *priv;

  g_return_val_if_fail (SETL_IS_CACHE_WRITER (self), FALSE);
  g_return_val_if_fail (SETL_IS_RECORD_BATCH (batch), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);
  priv = setl_cache_writer_get_instance_private (self);
  g_return_val_if_fail (priv->state == WRITER_OPEN, FALSE);

  if (g_cancellable_set_error_if_cancelled (cancellable, error) ||
      !check_schema (self, batch, error) ||
      !SETL_CACHE_WRITER_GET_CLASS (self)->add_batch (self, batch, cancellable, error))
    {
      setl_cache_writer_abort (self);
      return FALSE;
    }
  priv->n_rows += setl_record_batch_get_n_rows (batch);
  priv->n_batches++;
  return TRUE;
}

/**
 * setl_cache_writer_commit:
 * @self: a #SetlCacheWriter, not committed nor aborted
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Stores the entry for good, with the metadata #SetlCacheWriter:entry has
 * now (set its data version first), and sets the entry's size. On failure
 * the writer is aborted.
 *
 * Returns: (transfer full): a stream over the stored batches — read back
 *   from the store batch by batch when the policy keeps its entries
 *   outside memory — or %NULL with @error set
 */
SetlBatchStream *
setl_cache_writer_commit (SetlCacheWriter  *self,
                          GCancellable     *cancellable,
                          GError          **error)
{
  SetlCacheWriterPrivate *priv;
  SetlBatchStream *stream;

  g_return_val_if_fail (SETL_IS_CACHE_WRITER (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);
  priv = setl_cache_writer_get_instance_private (self);
  g_return_val_if_fail (priv->state == WRITER_OPEN, NULL);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    {
      setl_cache_writer_abort (self);
      return NULL;
    }
  stream = SETL_CACHE_WRITER_GET_CLASS (self)->commit (self, cancellable, error);
  if (stream == NULL)
    {
      setl_cache_writer_abort (self);
      return NULL;
    }
  priv->state = WRITER_COMMITTED;
  return stream;
}

/**
 * setl_cache_writer_abort:
 * @self: a #SetlCacheWriter
 *
 * Gives up storing the entry: nothing of it stays. Does nothing after the
 * writer committed or aborted.
 */
void
setl_cache_writer_abort (SetlCacheWriter *self)
{
  SetlCacheWriterPrivate *priv;

  g_return_if_fail (SETL_IS_CACHE_WRITER (self));
  priv = setl_cache_writer_get_instance_private (self);

  if (priv->state != WRITER_OPEN)
    return;
  priv->state = WRITER_ABORTED;
  if (SETL_CACHE_WRITER_GET_CLASS (self)->abort != NULL)
    SETL_CACHE_WRITER_GET_CLASS (self)->abort (self);
}

/* ----------------------------------------------------------------------- */
/* The writer of policies that store tables whole                          */

/* A memory policy holds tables anyway: this one collects the batches
 * (references, not copies) and stores the table at commit. */
typedef struct {
  SetlCacheWriter parent_instance;

  SetlCachePolicy *policy;
  GPtrArray *batches;
  guint64 size;
  guint64 max_size;
} SetlCacheTableWriter;

typedef struct {
  SetlCacheWriterClass parent_class;
} SetlCacheTableWriterClass;

static GType setl_cache_table_writer_get_type (void);
G_DEFINE_FINAL_TYPE (SetlCacheTableWriter, setl_cache_table_writer, SETL_TYPE_CACHE_WRITER)

static void
setl_cache_table_writer_finalize (GObject *object)
{
  SetlCacheTableWriter *self = (SetlCacheTableWriter *) object;

  g_clear_object (&self->policy);
  g_clear_pointer (&self->batches, g_ptr_array_unref);

  G_OBJECT_CLASS (setl_cache_table_writer_parent_class)->finalize (object);
}

static gboolean
table_writer_add_batch (SetlCacheWriter  *writer,
                        SetlRecordBatch  *batch,
                        GCancellable     *cancellable,
                        GError          **error)
{
  SetlCacheTableWriter *self = (SetlCacheTableWriter *) writer;

  self->size += setl_record_batch_get_byte_size (batch);
  if (self->max_size > 0 && self->size > self->max_size)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE,
                   "its output is larger than the cache (%" G_GUINT64_FORMAT " bytes)",
                   self->max_size);
      return FALSE;
    }
  g_ptr_array_add (self->batches, g_object_ref (batch));
  return TRUE;
}

static SetlBatchStream *
table_writer_commit (SetlCacheWriter  *writer,
                     GCancellable     *cancellable,
                     GError          **error)
{
  SetlCacheTableWriter *self = (SetlCacheTableWriter *) writer;
  SetlCacheEntry *entry = setl_cache_writer_get_entry (writer);
  g_autoptr(SetlCacheEntry) stored = NULL;
  g_autoptr(SetlTable) table = NULL;
  g_auto(GValue) payload = G_VALUE_INIT;
  SetlField **fields;
  guint n_fields;

  fields = setl_cache_writer_get_fields (writer, &n_fields);
  table = setl_table_new (fields, n_fields, (SetlRecordBatch **) self->batches->pdata,
                          self->batches->len, error);
  if (table == NULL)
    return NULL;
  g_clear_pointer (&self->batches, g_ptr_array_unref);

  g_value_init (&payload, SETL_TYPE_TABLE);
  g_value_set_object (&payload, table);
  /* The caller's entry keeps no payload (a writer's entry never has one);
   * the policy gets a copy that holds the table. */
  stored = setl_cache_entry_copy_metadata (entry);
  setl_cache_entry_set_payload (stored, &payload);
  setl_cache_entry_set_size (stored, setl_cache_payload_size (&payload));
  if (!setl_cache_policy_store (self->policy, stored, cancellable, error))
    return NULL;
  setl_cache_entry_set_size (entry, setl_cache_entry_get_size (stored));
  return SETL_BATCH_STREAM (g_steal_pointer (&table));
}

static void
table_writer_abort (SetlCacheWriter *writer)
{
  SetlCacheTableWriter *self = (SetlCacheTableWriter *) writer;

  g_clear_pointer (&self->batches, g_ptr_array_unref);
}

static void
setl_cache_table_writer_class_init (SetlCacheTableWriterClass *klass)
{
  SetlCacheWriterClass *writer_class = SETL_CACHE_WRITER_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = setl_cache_table_writer_finalize;
  writer_class->add_batch = table_writer_add_batch;
  writer_class->commit = table_writer_commit;
  writer_class->abort = table_writer_abort;
}

static void
setl_cache_table_writer_init (SetlCacheTableWriter *self)
{
  self->batches = g_ptr_array_new_with_free_func (g_object_unref);
}

SetlCacheWriter *
_setl_cache_table_writer_new (SetlCachePolicy  *policy,
                              SetlCacheEntry   *entry,
                              SetlField       **fields,
                              guint             n_fields,
                              guint64           max_size)
{
  g_autoptr(GPtrArray) array = g_ptr_array_new ();
  SetlCacheTableWriter *self;

  for (guint i = 0; i < n_fields; i++)
    g_ptr_array_add (array, fields[i]);
  self = g_object_new (setl_cache_table_writer_get_type (),
                       "entry", entry, "fields", array, NULL);
  self->policy = g_object_ref (policy);
  self->max_size = max_size;
  return SETL_CACHE_WRITER (self);
}
