/* setl-synthesizer.h: rows that satisfy a schema's checks, or that each
 * break exactly one of them.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>

#include "setl.h"
#include "setl-schema-registry.h"
#include "setl-check-catalog.h"

G_BEGIN_DECLS

#define SETL_TYPE_SYNTHESIZER (setl_synthesizer_get_type ())
G_DECLARE_FINAL_TYPE (SetlSynthesizer, setl_synthesizer, SETL, SYNTHESIZER, GObject)

SetlSynthesizer *setl_synthesizer_new                  (SetlSchema        *schema,
                                                        SetlCheckCatalog  *catalog,
                                                        GError           **error);

SetlSchema      *setl_synthesizer_get_schema           (SetlSynthesizer   *self);
guint32          setl_synthesizer_get_seed             (SetlSynthesizer   *self);
void             setl_synthesizer_set_seed             (SetlSynthesizer   *self,
                                                        guint32            seed);
double           setl_synthesizer_get_null_probability (SetlSynthesizer   *self);
void             setl_synthesizer_set_null_probability (SetlSynthesizer   *self,
                                                        double             probability);

gint64           setl_synthesizer_get_batch_size       (SetlSynthesizer   *self);
void             setl_synthesizer_set_batch_size       (SetlSynthesizer   *self,
                                                        gint64             batch_size);

SetlBatchStream *setl_synthesizer_generate_stream      (SetlSynthesizer   *self,
                                                        gint64             n_rows,
                                                        GError           **error);
SetlBatchStream *setl_synthesizer_generate_invalid_stream (SetlSynthesizer *self,
                                                        gint64             n_rows,
                                                        GError           **error);
SetlTable       *setl_synthesizer_generate             (SetlSynthesizer   *self,
                                                        gint64             n_rows,
                                                        GCancellable      *cancellable,
                                                        GError           **error);
SetlTable       *setl_synthesizer_generate_invalid     (SetlSynthesizer   *self,
                                                        gint64             n_rows,
                                                        SetlTable        **targets,
                                                        GCancellable      *cancellable,
                                                        GError           **error);
char           **setl_synthesizer_get_unbreakable      (SetlSynthesizer   *self);

G_END_DECLS
