/* setl-synthesized-iterator.c: SetlSynthesizedIterator, one pass over a
 * stream of synthesized rows (SetlSynthesizedStream): each next() makes
 * the next batch, valid rows or invalid ones; valid rows are validated as
 * they are made, and a pass whose rows fail the schema as a whole ends
 * with an error rather than wrong data.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "setl-synthesized-iterator.h"
#include "setl-synth-invalid.h"

struct _SetlSynthesizedIterator
{
  SetlBatchIterator parent_instance;

  SetlSynthesizedStream *stream; /* keeps the plans and fields alive */
  GPtrArray *fields;             /* (unowned) the stream's */
  gint64 n_rows;
  gboolean invalid;
  Pass *pass;
  gboolean done;
};

G_DEFINE_FINAL_TYPE (SetlSynthesizedIterator, setl_synthesized_iterator, SETL_TYPE_BATCH_ITERATOR)

static gboolean
finish_pass (SetlSynthesizedIterator  *self,
             GError                  **error)
{
  Pass *pass = self->pass;
  g_autofree char *text = NULL;

  if (pass->run == NULL)
    return TRUE;
  if (!_setl_validator_run_finish (pass->run, TRUE, error))
    return FALSE;
  if (setl_validation_report_get_valid (pass->report))
    return TRUE;
  text = setl_validation_report_to_text (pass->report);
  g_set_error (error, SETL_VALIDATION_ERROR, SETL_VALIDATION_ERROR_INVALID_SCHEMA,
               "the synthesized rows do not pass the schema (checks on the whole data, "
               "or between columns, that could not be aimed at):\n%s", text);
  return FALSE;
}

static SetlRecordBatch *
setl_synthesized_iterator_next (SetlBatchIterator  *iterator,
                                GCancellable       *cancellable,
                                GError            **error)
{
  SetlSynthesizedIterator *self = SETL_SYNTHESIZED_ITERATOR (iterator);
  Pass *pass = self->pass;
  SetlRecordBatch *batch;
  gint64 n;

  if (self->done)
    return NULL;
  if (pass->done >= self->n_rows)
    {
      self->done = TRUE;
      finish_pass (self, error);
      return NULL;
    }
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    {
      self->done = TRUE;
      return NULL;
    }
  n = MIN (pass->self->batch_size, self->n_rows - pass->done);
  batch = self->invalid ? _setl_synth_make_invalid_batch (pass, self->fields, n, error)
                        : _setl_synth_make_valid_batch (pass, self->fields, n, error);
  if (batch == NULL ||
      (pass->run != NULL && !_setl_validator_run_batch (pass->run, batch, NULL, error)))
    {
      self->done = TRUE;
      g_clear_object (&batch);
      return NULL;
    }
  pass->done += n;
  return batch;
}

static void
setl_synthesized_iterator_finalize (GObject *object)
{
  SetlSynthesizedIterator *self = SETL_SYNTHESIZED_ITERATOR (object);

  g_clear_pointer (&self->pass, _setl_synth_pass_free);
  g_clear_object (&self->stream);

  G_OBJECT_CLASS (setl_synthesized_iterator_parent_class)->finalize (object);
}

static void
setl_synthesized_iterator_class_init (SetlSynthesizedIteratorClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = setl_synthesized_iterator_finalize;
  SETL_BATCH_ITERATOR_CLASS (klass)->next = setl_synthesized_iterator_next;
}

static void
setl_synthesized_iterator_init (SetlSynthesizedIterator *self)
{
}

SetlBatchIterator *
_setl_synthesized_iterator_new (SetlSynthesizedStream *stream,
                                Pass                  *pass,
                                GPtrArray             *fields,
                                gint64                 n_rows,
                                gboolean               invalid)
{
  SetlSynthesizedIterator *self = g_object_new (SETL_TYPE_SYNTHESIZED_ITERATOR, NULL);

  self->stream = g_object_ref (stream);
  self->fields = fields;
  self->n_rows = n_rows;
  self->invalid = invalid;
  self->pass = pass;
  return SETL_BATCH_ITERATOR (self);
}
