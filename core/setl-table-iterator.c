/* setl-table-iterator.c: the iterator a SetlTable opens as a SetlBatchStream.
 *
 * Private: a table's batches are already in memory, so a pass just hands
 * out references to them in order.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "setl-table-private.h"

#define SETL_TYPE_TABLE_ITERATOR (setl_table_iterator_get_type ())
G_DECLARE_FINAL_TYPE (SetlTableIterator, setl_table_iterator, SETL, TABLE_ITERATOR, SetlBatchIterator)

struct _SetlTableIterator
{
  SetlBatchIterator parent_instance;

  SetlTable *table;
  guint next;
};

G_DEFINE_FINAL_TYPE (SetlTableIterator, setl_table_iterator, SETL_TYPE_BATCH_ITERATOR)

static SetlRecordBatch *
setl_table_iterator_next (SetlBatchIterator  *iterator,
                          GCancellable       *cancellable,
                          GError            **error)
{
  SetlTableIterator *self = SETL_TABLE_ITERATOR (iterator);

  if (self->next >= setl_table_get_n_batches (self->table))
    return NULL;
  return g_object_ref (setl_table_get_batch (self->table, self->next++));
}

static void
setl_table_iterator_finalize (GObject *object)
{
  SetlTableIterator *self = SETL_TABLE_ITERATOR (object);

  g_clear_object (&self->table);
  G_OBJECT_CLASS (setl_table_iterator_parent_class)->finalize (object);
}

static void
setl_table_iterator_class_init (SetlTableIteratorClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = setl_table_iterator_finalize;
  SETL_BATCH_ITERATOR_CLASS (klass)->next = setl_table_iterator_next;
}

static void
setl_table_iterator_init (SetlTableIterator *self)
{
}

SetlBatchIterator *
_setl_table_iterator_new (SetlTable *table)
{
  SetlTableIterator *self = g_object_new (SETL_TYPE_TABLE_ITERATOR, NULL);

  self->table = g_object_ref (table);
  return SETL_BATCH_ITERATOR (self);
}
