/* setl-validated-stream.c: the stream setl_validator_filter() returns.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* Each pass (open) runs a validation over the input as the consumer reads,
 * resetting the report first; batches come out coerced, filtered and with
 * invalid rows dropped as the validator says. Batches left empty by
 * dropping are skipped. */
#include "setl-validation-private.h"

#define SETL_TYPE_VALIDATED_STREAM (setl_validated_stream_get_type ())
G_DECLARE_FINAL_TYPE (SetlValidatedStream, setl_validated_stream, SETL, VALIDATED_STREAM, GObject)

struct _SetlValidatedStream
{
  GObject parent_instance;

  SetlValidator *validator;
  SetlBatchStream *input;
  SetlValidationReport *report;
  GPtrArray *fields;      /* output fields, computed on first need */
};

#define SETL_TYPE_VALIDATED_ITERATOR (setl_validated_iterator_get_type ())
G_DECLARE_FINAL_TYPE (SetlValidatedIterator, setl_validated_iterator, SETL, VALIDATED_ITERATOR, SetlBatchIterator)

struct _SetlValidatedIterator
{
  SetlBatchIterator parent_instance;

  SetlValidatedStream *stream;
  SetlBatchIterator *upstream;
  SetlValidatorRun *run;
  gboolean started;
  gboolean done;
};

static void setl_validated_stream_iface_init (SetlBatchStreamInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SetlValidatedStream, setl_validated_stream, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (SETL_TYPE_BATCH_STREAM,
                                                      setl_validated_stream_iface_init))
G_DEFINE_FINAL_TYPE (SetlValidatedIterator, setl_validated_iterator, SETL_TYPE_BATCH_ITERATOR)

static gboolean
fail_eager (SetlValidatedIterator  *self,
            GError                **error)
{
  const char *first = _setl_validation_report_first_error (self->stream->report);

  g_set_error (error, SETL_VALIDATION_ERROR, SETL_VALIDATION_ERROR_FAILED,
               "data does not match schema “%s”: %s",
               setl_validation_report_get_schema_name (self->stream->report),
               first ? first : "validation failed");
  return FALSE;
}

static SetlRecordBatch *
setl_validated_iterator_next (SetlBatchIterator  *iterator,
                              GCancellable       *cancellable,
                              GError            **error)
{
  SetlValidatedIterator *self = SETL_VALIDATED_ITERATOR (iterator);
  SetlValidatorPlan *plan = _setl_validator_get_plan (self->stream->validator);

  if (self->done)
    return NULL;
  if (!self->started)
    {
      SetlField **fields;
      guint n_fields;

      self->started = TRUE;
      fields = setl_batch_stream_get_fields (self->stream->input, &n_fields);
      if (!_setl_validator_run_start (self->run, fields, n_fields, error))
        return NULL;
      if (_setl_validator_run_should_stop (self->run))
        {
          self->done = TRUE;
          _setl_validator_run_finish (self->run, FALSE, NULL);
          fail_eager (self, error);
          return NULL;
        }
    }

  for (;;)
    {
      g_autoptr(SetlRecordBatch) in = NULL;
      g_autoptr(SetlRecordBatch) out = NULL;
      GError *local = NULL;

      in = setl_batch_iterator_next (self->upstream, cancellable, &local);
      if (in == NULL)
        {
          self->done = TRUE;
          if (local != NULL)
            {
              g_propagate_error (error, local);
              return NULL;
            }
          if (!_setl_validator_run_finish (self->run, TRUE, error))
            return NULL;
          return NULL;
        }
      if (plan->depth == SETL_VALIDATION_DEPTH_SCHEMA_ONLY)
        {
          /* Nothing to look at in the values: coerce and filter only. */
        }
      if (!_setl_validator_run_batch (self->run, in, &out, error))
        {
          self->done = TRUE;
          return NULL;
        }
      if (_setl_validator_run_should_stop (self->run))
        {
          self->done = TRUE;
          _setl_validator_run_finish (self->run, FALSE, NULL);
          fail_eager (self, error);
          return NULL;
        }
      if (setl_record_batch_get_n_rows (out) > 0 || setl_record_batch_get_n_rows (in) == 0)
        return g_steal_pointer (&out);
    }
}

static void
setl_validated_iterator_finalize (GObject *object)
{
  SetlValidatedIterator *self = SETL_VALIDATED_ITERATOR (object);

  g_clear_pointer (&self->run, _setl_validator_run_free);
  g_clear_object (&self->upstream);
  g_clear_object (&self->stream);

  G_OBJECT_CLASS (setl_validated_iterator_parent_class)->finalize (object);
}

static void
setl_validated_iterator_class_init (SetlValidatedIteratorClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = setl_validated_iterator_finalize;
  SETL_BATCH_ITERATOR_CLASS (klass)->next = setl_validated_iterator_next;
}

static void
setl_validated_iterator_init (SetlValidatedIterator *self)
{
}

static SetlField **
setl_validated_stream_get_fields (SetlBatchStream *stream,
                                  guint           *n_fields)
{
  SetlValidatedStream *self = SETL_VALIDATED_STREAM (stream);

  if (self->fields == NULL)
    {
      /* What a pass would output, from a pass that reads no batch. */
      g_autoptr(SetlValidationReport) scratch =
        _setl_validation_report_new (setl_validation_report_get_schema_name (self->report), 0);
      SetlValidatorRun *run = _setl_validator_run_new (self->validator, scratch, TRUE);
      SetlField **fields;
      guint n;

      fields = setl_batch_stream_get_fields (self->input, &n);
      _setl_validator_run_start (run, fields, n, NULL);
      self->fields = g_ptr_array_ref (_setl_validator_run_output_fields (run));
      _setl_validator_run_free (run);
    }
  *n_fields = self->fields->len;
  return (SetlField **) self->fields->pdata;
}

static SetlBatchIterator *
setl_validated_stream_open (SetlBatchStream  *stream,
                            GCancellable     *cancellable,
                            GError          **error)
{
  SetlValidatedStream *self = SETL_VALIDATED_STREAM (stream);
  g_autoptr(SetlBatchIterator) upstream = NULL;
  SetlValidatedIterator *iterator;

  upstream = setl_batch_stream_open (self->input, cancellable, error);
  if (upstream == NULL)
    return NULL;
  _setl_validation_report_reset (self->report);
  iterator = g_object_new (SETL_TYPE_VALIDATED_ITERATOR, NULL);
  iterator->stream = g_object_ref (self);
  iterator->upstream = g_steal_pointer (&upstream);
  iterator->run = _setl_validator_run_new (self->validator, self->report, TRUE);
  return SETL_BATCH_ITERATOR (iterator);
}

static void
setl_validated_stream_iface_init (SetlBatchStreamInterface *iface)
{
  iface->get_fields = setl_validated_stream_get_fields;
  iface->open = setl_validated_stream_open;
}

static void
setl_validated_stream_finalize (GObject *object)
{
  SetlValidatedStream *self = SETL_VALIDATED_STREAM (object);

  g_clear_object (&self->validator);
  g_clear_object (&self->input);
  g_clear_object (&self->report);
  g_clear_pointer (&self->fields, g_ptr_array_unref);

  G_OBJECT_CLASS (setl_validated_stream_parent_class)->finalize (object);
}

static void
setl_validated_stream_class_init (SetlValidatedStreamClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = setl_validated_stream_finalize;
}

static void
setl_validated_stream_init (SetlValidatedStream *self)
{
}

SetlBatchStream *
_setl_validated_stream_new (SetlValidator        *validator,
                            SetlBatchStream      *input,
                            SetlValidationReport *report)
{
  SetlValidatedStream *self = g_object_new (SETL_TYPE_VALIDATED_STREAM, NULL);

  self->validator = g_object_ref (validator);
  self->input = g_object_ref (input);
  self->report = g_object_ref (report);
  return SETL_BATCH_STREAM (self);
}
