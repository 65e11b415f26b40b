/* setl-builtin-value.h: parameters compared with column values, for the
 * built-in checks.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <setl/setl-validation.h>

G_BEGIN_DECLS

/* A parameter converted for one column type. An int64 column compared
 * with a number that is not whole compares as double (as pandas does). */
typedef struct {
  SetlDataType type;
  gboolean as_double;
  gboolean b;
  gint64 i;          /* int64, timestamp */
  double d;
  gint32 date;
  char *s;           /* owned */
  gsize len;
} BuiltinValue;

/* Direct access to a column's buffers. */
typedef struct {
  SetlColumn *column;
  SetlDataType type;
  gint64 offset;
  gint64 length;
  const void *values;
  const char *strings;
} BuiltinColumn;

gboolean    builtin_value_from_json  (JsonNode            *node,
                                      SetlDataType         type,
                                      BuiltinValue        *out,
                                      GError             **error);
void        builtin_value_clear      (BuiltinValue        *value);
void        builtin_column_init      (BuiltinColumn       *data,
                                      SetlColumn          *column);
int         builtin_compare_row      (const BuiltinColumn *data,
                                      gint64               row,
                                      const BuiltinValue  *value);
gboolean    builtin_equal_row        (const BuiltinColumn *data,
                                      gint64               row,
                                      const BuiltinValue  *value);
const char *builtin_string_row       (const BuiltinColumn *data,
                                      gint64               row,
                                      gsize               *length);
/* A key for hashing the value at @row (nul-terminated text). */
char       *builtin_key_row          (const BuiltinColumn *data,
                                      gint64               row);
char       *builtin_key_value        (const BuiltinValue  *value);
/* Compares two parameters of a range (numbers numerically, strings as
 * text); FALSE if they cannot be compared. */
gboolean    builtin_json_compare     (JsonNode            *a,
                                      JsonNode            *b,
                                      int                 *result);
char       *builtin_json_to_string   (JsonNode            *node);

#define BUILTIN_COMPARABLE_TYPES \
  SETL_DATA_TYPE_INT64, SETL_DATA_TYPE_DOUBLE, SETL_DATA_TYPE_STRING, \
  SETL_DATA_TYPE_DATE32, SETL_DATA_TYPE_TIMESTAMP

/* A check's result, one byte per row, turned into a bool column in one
 * call: cheaper than a builder call per row. */
typedef struct {
  guint8 *bytes;
  gint64 n;
} BuiltinBools;

BuiltinBools *builtin_bools_new     (gint64        n_rows);
void          builtin_bools_free    (BuiltinBools *bools);
SetlColumn   *builtin_bools_finish  (BuiltinBools *bools,
                                     GError      **error);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BuiltinBools, builtin_bools_free)

static inline void
builtin_bools_append (BuiltinBools *bools,
                      gboolean      pass)
{
  bools->bytes[bools->n++] = pass ? 1 : 0;
}

void        builtin_class_add_types  (SetlCheckClass      *klass,
                                      const SetlDataType  *types,
                                      guint                n_types);

G_END_DECLS
