/* setl-validation-pushdown.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/**
 * SECTION:setl-validation-pushdown
 * @title: Validation pushed down to SQL
 *
 * setl_validator_validate_in_database() validates data that is a relation
 * in a SQL database (a #SetlSqlRelation: the output of `sqlite-source`,
 * `postgres-source`, `postgres-sql`) where it lives: the schema's checks
 * are compiled to one query (#SetlValidationQuery), which the database runs
 * in one pass; the failure cases come from one more query per failing
 * check. No row goes through the client, and the report is the one
 * setl_validator_validate() gives on the same rows, with
 * setl_validation_report_get_ran_in() saying which database ran it.
 *
 * |[<!-- language="C" -->
 * if (SETL_IS_SQL_RELATION (stream))
 *   report = setl_validator_validate_in_database (validator, SETL_SQL_RELATION (stream),
 *                                                 cancellable, &error);
 * if (report == NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
 *   // validate in the client instead: setl_validator_validate (validator, stream, …)
 * ]|
 *
 * It refuses, so that the caller validates in the client instead: a
 * dialect libsetl has no compiler for; a relation whose rows are not all
 * in the database; columns that do not match the schema (a missing
 * column, another type, an extra column of a strict schema: the schema
 * level is checked in the client from the relation's columns, without
 * reading a row, and such failures are left to the client's full report);
 * a check that does not compile to SQL (%SETL_VALIDATION_ERROR_INVALID_CHECK,
 * naming the column and the check).
 *
 * Validation hooks push down by themselves (setl_validation_hook_add_full(),
 * #SetlPushdownMode), and so does `setl validate --pushdown`.
 */
#include "setl-validation-private.h"
#include "setl-validation-pushdown.h"
#include "setl-validation-sql.h"

#include <string.h>

G_DEFINE_ENUM_TYPE (SetlPushdownMode, setl_pushdown_mode,
  G_DEFINE_ENUM_VALUE (SETL_PUSHDOWN_MODE_AUTO, "auto"),
  G_DEFINE_ENUM_VALUE (SETL_PUSHDOWN_MODE_NEVER, "never"),
  G_DEFINE_ENUM_VALUE (SETL_PUSHDOWN_MODE_ALWAYS, "always"))

/**
 * setl_pushdown_mode_from_string:
 * @string: `auto`, `never` or `always`
 * @mode: (out): the mode
 *
 * Returns: whether @string names a mode
 */
gboolean
setl_pushdown_mode_from_string (const char       *string,
                                SetlPushdownMode *mode)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (SETL_TYPE_PUSHDOWN_MODE);
  GEnumValue *value = string ? g_enum_get_value_by_nick (klass, string) : NULL;

  if (value == NULL)
    return FALSE;
  *mode = value->value;
  return TRUE;
}

/* The name the relation has in the SQL when it is not a table the
 * compiler can name: a common table expression around its query. */
static const char RELATION[] = "__setl_relation";

typedef struct {
  SetlSqlRelation *relation;
  const char *prefix;       /* "WITH … AS (…)" for the cases' queries, or "" */
  GCancellable *cancellable;
  GArray *rows;
  GPtrArray *values;
} Fetch;

/* @sql with the relation's common table expression in front: merged into
 * the query's own WITH when it has one. */
static char *
with_relation (const char *definition,
               const char *sql)
{
  if (definition == NULL || *definition == '\0')
    return g_strdup (sql);
  if (g_ascii_strncasecmp (sql, "WITH RECURSIVE ", 15) == 0)
    return g_strdup_printf ("WITH RECURSIVE %s,\n%s", definition, sql + 15);
  if (g_ascii_strncasecmp (sql, "WITH ", 5) == 0)
    return g_strdup_printf ("WITH %s,\n%s", definition, sql + 5);
  return g_strdup_printf ("WITH %s\n%s", definition, sql);
}

static gboolean
collect_case (const char * const  *values,
              guint                n_values,
              gpointer             user_data,
              GError             **error)
{
  Fetch *fetch = user_data;
  gint64 row;

  if (n_values < 2 || values[0] == NULL)
    {
      g_set_error (error, SETL_VALIDATION_ERROR, SETL_VALIDATION_ERROR_FAILED,
                   "the failure-case query gives no row position");
      return FALSE;
    }
  row = g_ascii_strtoll (values[0], NULL, 10);
  g_array_append_val (fetch->rows, row);
  g_ptr_array_add (fetch->values, g_strdup (values[1]));
  return TRUE;
}

static gboolean
collect_row (const char * const  *values,
             guint                n_values,
             gpointer             user_data,
             GError             **error)
{
  GPtrArray *row = user_data;

  if (row->len > 0)
    {
      g_set_error (error, SETL_VALIDATION_ERROR, SETL_VALIDATION_ERROR_FAILED,
                   "the validation query gives more than one row");
      return FALSE;
    }
  for (guint i = 0; i < n_values; i++)
    g_ptr_array_add (row, g_strdup (values[i]));
  /* an empty row still says one came */
  if (n_values == 0)
    g_ptr_array_add (row, NULL);
  return TRUE;
}

/* A table name as the compiler reads it: each part in double quotes. */
static char *
quote_table (const char *schema,
             const char *table)
{
  g_autoptr(GString) s = g_string_new (NULL);
  const char *parts[] = { schema, table };

  for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
    {
      if (parts[i] == NULL)
        continue;
      if (s->len > 0)
        g_string_append_c (s, '.');
      g_string_append_c (s, '"');
      for (const char *p = parts[i]; *p; p++)
        {
          if (*p == '"')
            g_string_append_c (s, '"');
          g_string_append_c (s, *p);
        }
      g_string_append_c (s, '"');
    }
  return g_string_free (g_steal_pointer (&s), FALSE);
}

static gboolean
fetch_cases (SetlValidationQuery  *query,
             const char           *sql,
             GArray               *rows,
             GPtrArray            *values,
             gpointer              user_data,
             GError              **error)
{
  Fetch *fetch = user_data;
  g_autofree char *full = with_relation (fetch->prefix, sql);

  g_debug ("validation pushed down, failure cases: %s", full);

  fetch->rows = rows;
  fetch->values = values;
  if (!setl_sql_relation_run (fetch->relation, full, collect_case, fetch, fetch->cancellable, error))
    {
      g_prefix_error (error, "the failure-case query failed: ");
      return FALSE;
    }
  return TRUE;
}

/* The schema level, from the relation's columns alone (no row is read):
 * SQL compiled from the schema presumes the columns are the schema's. */
static gboolean
columns_match (SetlValidator    *self,
               SetlBatchStream  *stream,
               GError          **error)
{
  SetlField **fields;
  guint n_fields;
  g_autoptr(SetlTable) empty = NULL;
  g_autoptr(SetlValidationReport) report = NULL;
  SetlValidationDepth depth = setl_validator_get_depth (self);
  gboolean lazy = setl_validator_get_lazy (self);
  gboolean drop = setl_validator_get_drop_invalid_rows (self);

  fields = setl_batch_stream_get_fields (stream, &n_fields);
  empty = setl_table_new (fields, n_fields, NULL, 0, error);
  if (empty == NULL)
    return FALSE;
  setl_validator_set_depth (self, SETL_VALIDATION_DEPTH_SCHEMA_ONLY);
  setl_validator_set_lazy (self, TRUE);
  setl_validator_set_drop_invalid_rows (self, FALSE);
  report = setl_validator_validate (self, SETL_BATCH_STREAM (empty), NULL, error);
  setl_validator_set_depth (self, depth);
  setl_validator_set_lazy (self, lazy);
  setl_validator_set_drop_invalid_rows (self, drop);
  if (report == NULL)
    return FALSE;
  if (setl_validation_report_get_n_failures (report) > 0)
    {
      g_autofree char *text = setl_validation_report_to_text (report);

      g_strstrip (text);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   "its columns do not match the schema (the client reports them): %s", text);
      return FALSE;
    }
  return TRUE;
}

/**
 * setl_validator_validate_in_database:
 * @self: a #SetlValidator
 * @relation: the data: a #SetlSqlRelation (and #SetlBatchStream)
 * @cancellable: (nullable): stops the queries
 * @error: return location for a #GError
 *
 * Validates @relation where it lives, as SQL (see the section's
 * description): the schema's columns are checked against the relation's
 * in the client, then the checks run in the database as one query, and
 * one more per failing check gives up to #SetlValidator:max-failure-cases
 * failure cases with their row positions. The report has the counts
 * setl_validator_validate() gives on the same rows, every failure (lazy),
 * and says where it ran (setl_validation_report_get_ran_in()).
 *
 * Errors: %G_IO_ERROR_NOT_SUPPORTED when the relation cannot be validated
 * there (no compiler for its dialect, rows not all in the database,
 * columns that do not match the schema); %SETL_VALIDATION_ERROR_INVALID_CHECK
 * when a check or option does not compile to SQL (naming it); the
 * database's own errors when a query fails; %G_IO_ERROR_CANCELLED.
 *
 * Returns: (transfer full): the report, or %NULL with @error set
 */
SetlValidationReport *
setl_validator_validate_in_database (SetlValidator    *self,
                                     SetlSqlRelation  *relation,
                                     GCancellable     *cancellable,
                                     GError          **error)
{
  g_autoptr(GEnumClass) dialects = g_type_class_ref (SETL_TYPE_SQL_DIALECT);
  const char *dialect_name;
  GEnumValue *dialect;
  g_autofree char *query = NULL;
  g_autofree char *schema = NULL;
  g_autofree char *table = NULL;
  g_autofree char *location = NULL;
  g_autofree char *counts_prefix = NULL;
  g_autofree char *cases_prefix = NULL;
  g_autofree char *counts_sql = NULL;
  g_autofree char *quoted = NULL;
  g_autofree char *literal = NULL;
  g_autoptr(GPtrArray) row = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(SetlValidationQuery) counting = NULL;
  g_autoptr(SetlValidationQuery) listing = NULL;
  SetlValidationReport *report;
  Fetch fetch = { relation, NULL, cancellable, NULL, NULL };

  g_return_val_if_fail (SETL_IS_VALIDATOR (self), NULL);
  g_return_val_if_fail (SETL_IS_SQL_RELATION (relation), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  dialect_name = setl_sql_relation_get_dialect (relation);
  dialect = dialect_name ? g_enum_get_value_by_nick (dialects, dialect_name) : NULL;
  if (dialect == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   "libsetl compiles no checks to the SQL dialect “%s”", dialect_name);
      return NULL;
    }
  query = setl_sql_relation_get_query (relation);
  if (query == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   "its rows are not all in the database (it reads client data)");
      return NULL;
    }
  if (!SETL_IS_BATCH_STREAM (relation))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   "a %s is a relation but not a batch stream", G_OBJECT_TYPE_NAME (relation));
      return NULL;
    }
  if (!columns_match (self, SETL_BATCH_STREAM (relation), error))
    return NULL;

  /* How the SQL names the rows. A table: by its name (the table checks
   * read its columns from the database's catalog). A query: as a common
   * table expression around it — inlined by the planner (PostgreSQL is
   * told: NOT MATERIALIZED; SQLite flattens it). SQLite numbers failing
   * rows by rowid, which views, queries and WITHOUT ROWID tables lack:
   * there the cases' queries number the rows explicitly, in the order the
   * relation gives them, which is the order the client reads them in. */
  table = setl_sql_relation_get_table (relation, &schema);
  if (table != NULL)
    quoted = quote_table (schema, table);
  if (table == NULL)
    counts_prefix = g_strdup_printf (dialect->value == SETL_SQL_DIALECT_POSTGRESQL
                                     ? "\"%s\" AS NOT MATERIALIZED (\n%s\n)" : "\"%s\" AS (\n%s\n)",
                                     RELATION, query);
  if (dialect->value == SETL_SQL_DIALECT_SQLITE)
    cases_prefix = g_strdup_printf ("\"%s\" AS (SELECT ROW_NUMBER() OVER () AS rowid, * FROM (\n%s\n))",
                                    RELATION, query);
  else
    cases_prefix = g_strdup (counts_prefix);
  counting = setl_validation_query_new (self, counts_prefix ? RELATION : quoted, dialect->value, error);
  if (counting == NULL)
    return NULL;
  /* A table check reading the catalog (the column set) names the table as
   * a string: a query has no entry there. */
  literal = g_strdup_printf ("'%s'", RELATION);
  if (counts_prefix != NULL && strstr (setl_validation_query_get_sql (counting), literal) != NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   "a table check of the schema reads the database's catalog, where a query has no "
                   "entry (it reads a table whole: its columns are there)");
      return NULL;
    }
  if (g_strcmp0 (cases_prefix, counts_prefix) == 0)
    listing = g_object_ref (counting);
  else if ((listing = setl_validation_query_new (self, RELATION, dialect->value, error)) == NULL)
    return NULL;

  counts_sql = with_relation (counts_prefix, setl_validation_query_get_sql (counting));
  g_debug ("validation pushed down: %s", counts_sql);
  if (!setl_sql_relation_run (relation, counts_sql, collect_row, row, cancellable, error))
    {
      g_prefix_error (error, "the validation query failed: ");
      return NULL;
    }
  if (row->len == 0)
    {
      g_set_error (error, SETL_VALIDATION_ERROR, SETL_VALIDATION_ERROR_FAILED,
                   "the validation query gives no row");
      return NULL;
    }
  /* Both queries compile the same checks in the same order: the row of
   * one fits the other. As text: aggregate checks' measures (a mean…)
   * are in it too. */
  fetch.prefix = cases_prefix;
  report = setl_validation_query_make_report_from_text (listing, (const char * const *) row->pdata,
                                                        row->len, fetch_cases, &fetch, error);
  if (report == NULL)
    return NULL;
  location = setl_sql_relation_get_location (relation);
  setl_validation_report_set_ran_in (report, location);
  return report;
}
