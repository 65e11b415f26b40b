/* setl-output-facts.h: what conditions may know about a factory's output —
 * row count, columns, null counts, minimum and maximum per column.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(SETL_INSIDE) && !defined(SETL_COMPILATION)
#error "Only <setl/setl.h> can be included directly."
#endif

#include <glib-object.h>

#include "setl-data-type.h"
#include "setl-table.h"

G_BEGIN_DECLS

#define SETL_TYPE_OUTPUT_FACTS (setl_output_facts_get_type ())
G_DECLARE_FINAL_TYPE (SetlOutputFacts, setl_output_facts, SETL, OUTPUT_FACTS, GObject)

SetlOutputFacts *setl_output_facts_new_from_table  (SetlTable       *table);
SetlOutputFacts *setl_output_facts_new_from_value  (const GValue    *value);

gboolean      setl_output_facts_has_table          (SetlOutputFacts *self);
gint64        setl_output_facts_get_row_count      (SetlOutputFacts *self);
guint         setl_output_facts_get_n_columns      (SetlOutputFacts *self);
const char   *setl_output_facts_get_column_name    (SetlOutputFacts *self,
                                                    guint            column);
int           setl_output_facts_find_column        (SetlOutputFacts *self,
                                                    const char      *name);
SetlDataType  setl_output_facts_get_column_type    (SetlOutputFacts *self,
                                                    guint            column);
gint64        setl_output_facts_get_null_count     (SetlOutputFacts *self,
                                                    guint            column);
gboolean      setl_output_facts_get_min            (SetlOutputFacts *self,
                                                    guint            column,
                                                    GValue          *value);
gboolean      setl_output_facts_get_max            (SetlOutputFacts *self,
                                                    guint            column,
                                                    GValue          *value);
const GValue *setl_output_facts_get_value          (SetlOutputFacts *self);

G_END_DECLS
