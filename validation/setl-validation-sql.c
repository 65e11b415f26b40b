/* setl-validation-sql.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/**
 * SetlValidationQuery:
 *
 * A schema's data checks compiled to one SQL query, so that a database
 * validates a table where it lives, in one pass, and gives the same counts
 * as #SetlValidator does in the client:
 *
 * |[<!-- language="C" -->
 * g_autoptr(SetlValidationQuery) query =
 *   setl_validation_query_new (validator, "people", SETL_SQL_DIALECT_SQLITE, &error);
 * // run setl_validation_query_get_sql (query): one row of
 * // setl_validation_query_get_n_counts (query) integers
 * g_autoptr(SetlValidationReport) report =
 *   setl_validation_query_make_report (query, counts, n_counts, &error);
 * ]|
 *
 * The query runs on the backend's side (libsetl does not link any
 * database): the `setl validate --pushdown` command runs it on SQLite.
 *
 * What compiles: nulls in columns that are not nullable, column
 * uniqueness (every `report_duplicates` mode), and the built-in checks
 * eq, ne, gt, ge, lt, le, in_range, isin, notin (lists of values),
 * str_length, str_startswith and str_endswith, with their `mostly` and
 * `level`. Anything else — other checks, aggregate and table checks,
 * unique column combinations, coercion — is refused when the query is
 * made (%SETL_VALIDATION_ERROR_INVALID_CHECK, naming the check), so that
 * a caller can fall back to validating in the client. The counts come
 * from the one query; the failure cases, if wanted
 * (setl_validation_query_make_report_full()), from one more query per
 * failing check, limited to the validator's max-failure-cases rows, with
 * the rows' positions in the table's order (rowid in SQLite). The data is
 * validated at the data level only: the table's columns are taken to be
 * the schema's.
 */
#include "setl-validation-private.h"
#include "setl-validation-sql.h"

#include <string.h>

G_DEFINE_ENUM_TYPE (SetlSqlDialect, setl_sql_dialect,
  G_DEFINE_ENUM_VALUE (SETL_SQL_DIALECT_SQLITE, "sqlite"),
  G_DEFINE_ENUM_VALUE (SETL_SQL_DIALECT_POSTGRESQL, "postgresql"))

typedef enum {
  ITEM_NULLS,
  ITEM_CHECK,
  ITEM_DUPLICATES,
  ITEM_NON_NULL,        /* values checked, for `mostly` */
} ItemKind;

typedef struct {
  ItemKind kind;
  SetlValidatorColumn *column;
  SetlValidatorCheck *check;
  guint non_null_index;  /* ITEM_CHECK: the ITEM_NON_NULL count of its column */
} Item;

struct _SetlValidationQuery
{
  GObject parent_instance;

  SetlValidator *validator;
  SetlSqlDialect dialect;
  char *table;
  char *sql;
  GArray *items;        /* (element-type Item); count i + 1 is item i */
};

G_DEFINE_FINAL_TYPE (SetlValidationQuery, setl_validation_query, G_TYPE_OBJECT)

static void
setl_validation_query_finalize (GObject *object)
{
  SetlValidationQuery *self = SETL_VALIDATION_QUERY (object);

  g_clear_object (&self->validator);
  g_free (self->sql);
  g_free (self->table);
  g_array_unref (self->items);
  G_OBJECT_CLASS (setl_validation_query_parent_class)->finalize (object);
}

static void
setl_validation_query_class_init (SetlValidationQueryClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = setl_validation_query_finalize;
}

static void
setl_validation_query_init (SetlValidationQuery *self)
{
  self->items = g_array_new (FALSE, TRUE, sizeof (Item));
}

static void
append_identifier (GString    *s,
                   const char *name)
{
  g_string_append_c (s, '"');
  for (const char *p = name; *p; p++)
    {
      if (*p == '"')
        g_string_append_c (s, '"');
      g_string_append_c (s, *p);
    }
  g_string_append_c (s, '"');
}

static void
append_string_literal (GString    *s,
                       const char *text)
{
  g_string_append_c (s, '\'');
  for (const char *p = text; *p; p++)
    {
      if (*p == '\'')
        g_string_append_c (s, '\'');
      g_string_append_c (s, *p);
    }
  g_string_append_c (s, '\'');
}

/* A JSON parameter as an SQL literal of the column's type. */
static gboolean
append_literal (SetlValidationQuery  *self,
                GString              *s,
                JsonNode             *node,
                SetlDataType          type,
                GError              **error)
{
  g_auto(GValue) value = G_VALUE_INIT;

  if (node == NULL || !setl_validation_value_from_json (node, type, &value, error))
    {
      if (error != NULL && *error == NULL)
        g_set_error (error, SETL_VALIDATION_ERROR, SETL_VALIDATION_ERROR_INVALID_CHECK,
                     "a check has no value to compare with");
      return FALSE;
    }
  switch (type)
    {
    case SETL_DATA_TYPE_BOOL:
      g_string_append (s, self->dialect == SETL_SQL_DIALECT_SQLITE
                          ? (g_value_get_boolean (&value) ? "1" : "0")
                          : (g_value_get_boolean (&value) ? "TRUE" : "FALSE"));
      break;
    case SETL_DATA_TYPE_INT64:
      g_string_append_printf (s, "%" G_GINT64_FORMAT, g_value_get_int64 (&value));
      break;
    case SETL_DATA_TYPE_DOUBLE:
      {
        char buffer[G_ASCII_DTOSTR_BUF_SIZE];

        g_string_append (s, g_ascii_dtostr (buffer, sizeof buffer, g_value_get_double (&value)));
      }
      break;
    case SETL_DATA_TYPE_STRING:
      append_string_literal (s, g_value_get_string (&value));
      break;
    default:
      {
        /* Dates and timestamps: ISO text (SQLite keeps them so) */
        g_autofree char *text = setl_validation_value_to_string (&value, type);

        append_string_literal (s, text);
        if (self->dialect == SETL_SQL_DIALECT_POSTGRESQL)
          g_string_append (s, type == SETL_DATA_TYPE_DATE32 ? "::date" : "::timestamp");
      }
      break;
    }
  return TRUE;
}

static JsonNode *
json_property (SetlCheck  *check,
               const char *name)
{
  GParamSpec *pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (check), name);
  JsonNode *node = NULL;

  if (pspec == NULL || pspec->value_type != JSON_TYPE_NODE)
    return NULL;
  g_object_get (check, name, &node, NULL);
  return node;
}

static gint64
int64_property (SetlCheck  *check,
                const char *name)
{
  GParamSpec *pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (check), name);
  gint64 value = -1;

  if (pspec == NULL || pspec->value_type != G_TYPE_INT64)
    return -1;
  g_object_get (check, name, &value, NULL);
  return value;
}

/* The SQL condition a value of @column passes @check by; FALSE if the
 * check does not compile. */
static gboolean
append_condition (SetlValidationQuery  *self,
                  GString              *s,
                  SetlValidatorColumn  *column,
                  SetlValidatorCheck   *vcheck,
                  GError              **error)
{
  SetlCheck *check = vcheck->check;
  const char *name = setl_check_get_check_name (check);
  SetlDataType type = column->type;
  static const struct { const char *name; const char *op; const char *property; } comparisons[] = {
    { "eq", "=", "value" }, { "ne", "<>", "value" },
    { "gt", ">", "min-value" }, { "ge", ">=", "min-value" },
    { "lt", "<", "max-value" }, { "le", "<=", "max-value" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (comparisons); i++)
    if (g_str_equal (name, comparisons[i].name))
      {
        g_autoptr(JsonNode) node = json_property (check, comparisons[i].property);

        append_identifier (s, column->name);
        g_string_append_printf (s, " %s ", comparisons[i].op);
        return append_literal (self, s, node, type, error);
      }
  if (g_str_equal (name, "in_range"))
    {
      g_autoptr(JsonNode) lo = json_property (check, "min-value");
      g_autoptr(JsonNode) hi = json_property (check, "max-value");
      gboolean include_min = TRUE, include_max = TRUE;

      g_object_get (check, "include-min", &include_min, "include-max", &include_max, NULL);
      append_identifier (s, column->name);
      g_string_append (s, include_min ? " >= " : " > ");
      if (!append_literal (self, s, lo, type, error))
        return FALSE;
      g_string_append (s, " AND ");
      append_identifier (s, column->name);
      g_string_append (s, include_max ? " <= " : " < ");
      return append_literal (self, s, hi, type, error);
    }
  if (g_str_equal (name, "isin") || g_str_equal (name, "notin"))
    {
      g_autoptr(JsonNode) node = json_property (check, g_str_equal (name, "isin") ? "allowed-values"
                                                                                   : "forbidden-values");
      JsonArray *array;

      if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
        goto unsupported;   /* a string of characters, as Pandera allows */
      array = json_node_get_array (node);
      if (json_array_get_length (array) == 0)
        {
          g_string_append (s, g_str_equal (name, "isin") ? "1 = 0" : "1 = 1");
          return TRUE;
        }
      append_identifier (s, column->name);
      g_string_append (s, g_str_equal (name, "isin") ? " IN (" : " NOT IN (");
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          if (i > 0)
            g_string_append (s, ", ");
          if (!append_literal (self, s, json_array_get_element (array, i), type, error))
            return FALSE;
        }
      g_string_append_c (s, ')');
      return TRUE;
    }
  if (g_str_equal (name, "str_length") && type == SETL_DATA_TYPE_STRING)
    {
      gint64 exact = int64_property (check, "value");
      gint64 lo = exact >= 0 ? exact : int64_property (check, "min-value");
      gint64 hi = exact >= 0 ? exact : int64_property (check, "max-value");
      const char *length = self->dialect == SETL_SQL_DIALECT_SQLITE ? "length(" : "char_length(";

      g_string_append (s, "1 = 1");
      if (lo >= 0)
        {
          g_string_append_printf (s, " AND %s", length);
          append_identifier (s, column->name);
          g_string_append_printf (s, ") >= %" G_GINT64_FORMAT, lo);
        }
      if (hi >= 0)
        {
          g_string_append_printf (s, " AND %s", length);
          append_identifier (s, column->name);
          g_string_append_printf (s, ") <= %" G_GINT64_FORMAT, hi);
        }
      return TRUE;
    }
  if ((g_str_equal (name, "str_startswith") || g_str_equal (name, "str_endswith")) &&
      type == SETL_DATA_TYPE_STRING)
    {
      g_autofree char *affix = NULL;
      glong n;

      g_object_get (check, "string", &affix, NULL);
      if (affix == NULL)
        goto unsupported;
      n = g_utf8_strlen (affix, -1);
      if (n == 0)
        {
          g_string_append (s, "1 = 1");
          return TRUE;
        }
      if (g_str_equal (name, "str_startswith"))
        {
          g_string_append (s, "substr(");
          append_identifier (s, column->name);
          g_string_append_printf (s, ", 1, %ld) = ", n);
        }
      else if (self->dialect == SETL_SQL_DIALECT_SQLITE)
        {
          g_string_append (s, "substr(");
          append_identifier (s, column->name);
          g_string_append_printf (s, ", -%ld) = ", n);
        }
      else
        {
          g_string_append (s, "right(");
          append_identifier (s, column->name);
          g_string_append_printf (s, ", %ld) = ", n);
        }
      append_string_literal (s, affix);
      return TRUE;
    }

unsupported:
  g_set_error (error, SETL_VALIDATION_ERROR, SETL_VALIDATION_ERROR_INVALID_CHECK,
               "column “%s”: check %s cannot be pushed down to SQL", column->name, vcheck->description);
  return FALSE;
}

static guint
add_item (SetlValidationQuery *self,
          ItemKind             kind,
          SetlValidatorColumn *column,
          SetlValidatorCheck  *check,
          guint                non_null_index)
{
  Item item = { kind, column, check, non_null_index };

  g_array_append_val (self->items, item);
  return self->items->len - 1;
}

/**
 * setl_validation_query_new:
 * @validator: the validator whose schema is compiled
 * @table: the table (or view) the data is in; quoted as an identifier
 * @dialect: the SQL dialect
 * @error: return location for a #GError
 *
 * Compiles the schema's checks on the columns of @table into one query.
 *
 * Returns: (transfer full): the query, or %NULL with @error set if a
 *   check or option of the schema cannot be pushed down
 */
SetlValidationQuery *
setl_validation_query_new (SetlValidator   *validator,
                           const char      *table,
                           SetlSqlDialect   dialect,
                           GError         **error)
{
  g_autoptr(SetlValidationQuery) self = NULL;
  g_autoptr(GString) sql = g_string_new ("SELECT COUNT(*)");
  SetlValidatorPlan *plan;

  g_return_val_if_fail (SETL_IS_VALIDATOR (validator), NULL);
  g_return_val_if_fail (table != NULL, NULL);

  plan = _setl_validator_get_plan (validator);
  if (plan->table_checks->len > 0 || setl_schema_get_n_unique (plan->schema) > 0)
    {
      g_set_error (error, SETL_VALIDATION_ERROR, SETL_VALIDATION_ERROR_INVALID_CHECK,
                   "schema “%s”: table checks and unique column combinations cannot be pushed down to SQL",
                   plan->schema_name);
      return NULL;
    }

  self = g_object_new (SETL_TYPE_VALIDATION_QUERY, NULL);
  self->validator = g_object_ref (validator);
  self->dialect = dialect;
  self->table = g_strdup (table);

  for (guint i = 0; i < plan->columns->len; i++)
    {
      SetlValidatorColumn *column = g_ptr_array_index (plan->columns, i);
      guint non_null = G_MAXUINT;

      if (column->coerce)
        {
          g_set_error (error, SETL_VALIDATION_ERROR, SETL_VALIDATION_ERROR_INVALID_CHECK,
                       "column “%s”: coercion cannot be pushed down to SQL", column->name);
          return NULL;
        }
      if (!column->nullable)
        {
          add_item (self, ITEM_NULLS, column, NULL, 0);
          g_string_append (sql, ",\n  COALESCE(SUM(CASE WHEN ");
          append_identifier (sql, column->name);
          g_string_append (sql, " IS NULL THEN 1 ELSE 0 END), 0)");
        }
      if (column->checks->len > 0)
        {
          non_null = add_item (self, ITEM_NON_NULL, column, NULL, 0);
          g_string_append (sql, ",\n  COUNT(");
          append_identifier (sql, column->name);
          g_string_append_c (sql, ')');
        }
      for (guint j = 0; j < column->checks->len; j++)
        {
          SetlValidatorCheck *check = g_ptr_array_index (column->checks, j);

          if (check->aggregate)
            {
              g_set_error (error, SETL_VALIDATION_ERROR, SETL_VALIDATION_ERROR_INVALID_CHECK,
                           "column “%s”: check %s cannot be pushed down to SQL", column->name,
                           check->description);
              return NULL;
            }
          add_item (self, ITEM_CHECK, column, check, non_null);
          /* Checks ignore nulls. */
          g_string_append (sql, ",\n  COALESCE(SUM(CASE WHEN ");
          append_identifier (sql, column->name);
          g_string_append (sql, " IS NOT NULL AND NOT (");
          if (!append_condition (self, sql, column, check, error))
            return NULL;
          g_string_append (sql, ") THEN 1 ELSE 0 END), 0)");
        }
      if (column->unique)
        {
          gboolean all = column->report_duplicates == SETL_SCHEMA_REPORT_DUPLICATES_ALL;

          add_item (self, ITEM_DUPLICATES, column, NULL, 0);
          g_string_append_printf (sql, ",\n  (SELECT COALESCE(SUM(%s), 0) FROM (SELECT COUNT(*) AS c FROM ",
                                  all ? "c" : "c - 1");
          append_identifier (sql, table);
          g_string_append (sql, " WHERE ");
          append_identifier (sql, column->name);
          g_string_append (sql, " IS NOT NULL GROUP BY ");
          append_identifier (sql, column->name);
          g_string_append (sql, " HAVING COUNT(*) > 1) AS d)");
        }
    }
  g_string_append (sql, "\nFROM ");
  append_identifier (sql, table);
  self->sql = g_string_free (g_steal_pointer (&sql), FALSE);
  return g_steal_pointer (&self);
}

/**
 * setl_validation_query_get_sql:
 * @self: a #SetlValidationQuery
 *
 * Returns: the query: one row of setl_validation_query_get_n_counts()
 *   integer columns
 */
const char *
setl_validation_query_get_sql (SetlValidationQuery *self)
{
  g_return_val_if_fail (SETL_IS_VALIDATION_QUERY (self), NULL);
  return self->sql;
}

/**
 * setl_validation_query_get_n_counts:
 * @self: a #SetlValidationQuery
 *
 * Returns: how many columns the query's row has
 */
guint
setl_validation_query_get_n_counts (SetlValidationQuery *self)
{
  g_return_val_if_fail (SETL_IS_VALIDATION_QUERY (self), 0);
  return self->items->len + 1;
}

/* The failing rows of count @index, in the order the client reads them:
 * positions from a row number over the table's order (rowid in SQLite). */
static const char ROW[] = "\"__setl_row\"";

/**
 * setl_validation_query_get_cases_sql:
 * @self: a #SetlValidationQuery
 * @index: a count's index, from 1
 * @limit: the most rows to give
 *
 * A query giving the rows that count @index counts (their position and
 * value), for the report's failure cases.
 *
 * Returns: (transfer full) (nullable): the query, or %NULL if count
 *   @index counts no rows (the row count, the values checked)
 */
char *
setl_validation_query_get_cases_sql (SetlValidationQuery *self,
                                     guint                index,
                                     guint                limit)
{
  g_autoptr(GString) s = g_string_new ("SELECT ");
  g_autoptr(GString) numbered = g_string_new (NULL);
  Item *item;

  g_return_val_if_fail (SETL_IS_VALIDATION_QUERY (self), NULL);

  if (index == 0 || index > self->items->len)
    return NULL;
  item = &g_array_index (self->items, Item, index - 1);
  if (item->kind == ITEM_NON_NULL)
    return NULL;

  g_string_append_printf (numbered, "SELECT ROW_NUMBER() OVER (%s) - 1 AS %s, ",
                          self->dialect == SETL_SQL_DIALECT_SQLITE ? "ORDER BY rowid" : "", ROW);
  append_identifier (numbered, item->column->name);
  g_string_append (numbered, " FROM ");
  append_identifier (numbered, self->table);

  g_string_append_printf (s, "%s, ", ROW);
  if (item->kind == ITEM_NULLS)
    g_string_append (s, "NULL");
  else
    {
      g_string_append (s, "CAST(");
      append_identifier (s, item->column->name);
      g_string_append (s, self->dialect == SETL_SQL_DIALECT_SQLITE ? " AS TEXT)" : " AS text)");
    }
  g_string_append (s, " FROM (");
  if (item->kind == ITEM_DUPLICATES)
    {
      /* k: the occurrence's rank among equal values, c: how many there are */
      g_string_append_printf (s, "SELECT %s, ", ROW);
      append_identifier (s, item->column->name);
      g_string_append (s, ", ROW_NUMBER() OVER (PARTITION BY ");
      append_identifier (s, item->column->name);
      g_string_append_printf (s, " ORDER BY %s) AS k, COUNT(*) OVER (PARTITION BY ", ROW);
      append_identifier (s, item->column->name);
      g_string_append_printf (s, ") AS c FROM (%s) AS r0 WHERE ", numbered->str);
      append_identifier (s, item->column->name);
      g_string_append (s, " IS NOT NULL) AS r WHERE ");
      switch (item->column->report_duplicates)
        {
        case SETL_SCHEMA_REPORT_DUPLICATES_EXCLUDE_FIRST: g_string_append (s, "k > 1"); break;
        case SETL_SCHEMA_REPORT_DUPLICATES_EXCLUDE_LAST: g_string_append (s, "c > 1 AND k < c"); break;
        default: g_string_append (s, "c > 1"); break;
        }
    }
  else
    {
      g_string_append_printf (s, "%s) AS r WHERE ", numbered->str);
      append_identifier (s, item->column->name);
      if (item->kind == ITEM_NULLS)
        g_string_append (s, " IS NULL");
      else
        {
          g_string_append (s, " IS NOT NULL AND NOT (");
          if (!append_condition (self, s, item->column, item->check, NULL))
            return NULL;   /* compiled once already: cannot happen */
          g_string_append_c (s, ')');
        }
    }
  g_string_append_printf (s, " ORDER BY %s LIMIT %u", ROW, limit);
  return g_string_free (g_steal_pointer (&s), FALSE);
}

/* Adds @count failures to @entry: the rows @fetch gives first (kept up to
 * the cap), the rest only counted. */
static gboolean
add_failures (SetlValidationQuery          *self,
              SetlValidationEntry          *entry,
              guint                         index,
              gint64                        count,
              guint                         cap,
              SetlValidationQueryCasesFunc  fetch,
              gpointer                      user_data,
              GError                      **error)
{
  gint64 added = 0;

  if (fetch != NULL && cap > 0)
    {
      g_autofree char *sql = setl_validation_query_get_cases_sql (self, index, cap);
      g_autoptr(GArray) rows = g_array_new (FALSE, FALSE, sizeof (gint64));
      g_autoptr(GPtrArray) values = g_ptr_array_new_with_free_func (g_free);

      if (sql != NULL)
        {
          if (!fetch (self, sql, rows, values, user_data, error))
            return FALSE;
          for (guint i = 0; i < rows->len && added < count; i++, added++)
            _setl_validation_entry_add_take (entry, g_array_index (rows, gint64, i),
                                             i < values->len ? g_steal_pointer (&values->pdata[i]) : NULL);
        }
    }
  for (; added < count; added++)
    _setl_validation_entry_add_take (entry, -1, NULL);
  return TRUE;
}

/**
 * setl_validation_query_make_report:
 * @self: a #SetlValidationQuery
 * @counts: (array length=n_counts): the query's row
 * @n_counts: its length
 * @error: return location for a #GError
 *
 * The report the counts the database gave make: the same failures and
 * counts as setl_validator_validate() on the table, without failure cases
 * (see setl_validation_query_make_report_full()).
 *
 * Returns: (transfer full): the report, or %NULL with @error set if
 *   @n_counts is not the query's
 */
SetlValidationReport *
setl_validation_query_make_report (SetlValidationQuery  *self,
                                   const gint64         *counts,
                                   guint                 n_counts,
                                   GError              **error)
{
  return setl_validation_query_make_report_full (self, counts, n_counts, NULL, NULL, error);
}

/**
 * setl_validation_query_make_report_full:
 * @self: a #SetlValidationQuery
 * @counts: (array length=n_counts): the query's row
 * @n_counts: its length
 * @fetch: (scope call) (nullable): runs the queries of the failure cases
 *   (setl_validation_query_get_cases_sql()), one per failing check, up to
 *   the validator's #SetlValidator:max-failure-cases rows each; %NULL for
 *   counts only
 * @user_data: (closure): data for @fetch
 * @error: return location for a #GError
 *
 * The report the database's counts (and failing rows) make, as
 * setl_validator_validate() gives it on the table.
 *
 * Returns: (transfer full): the report, or %NULL with @error set
 */
SetlValidationReport *
setl_validation_query_make_report_full (SetlValidationQuery           *self,
                                        const gint64                  *counts,
                                        guint                          n_counts,
                                        SetlValidationQueryCasesFunc   fetch,
                                        gpointer                       user_data,
                                        GError                       **error)
{
  SetlValidatorPlan *plan;
  g_autoptr(SetlValidationReport) report = NULL;
  guint cap;

  g_return_val_if_fail (SETL_IS_VALIDATION_QUERY (self), NULL);

  if (n_counts != self->items->len + 1)
    {
      g_set_error (error, SETL_VALIDATION_ERROR, SETL_VALIDATION_ERROR_FAILED,
                   "the validation query gives %u counts, not %u", self->items->len + 1, n_counts);
      return NULL;
    }
  plan = _setl_validator_get_plan (self->validator);
  cap = fetch != NULL ? plan->max_failure_cases : 0;
  report = _setl_validation_report_new (plan->schema_name, cap);
  for (guint i = 0; i < self->items->len; i++)
    {
      Item *item = &g_array_index (self->items, Item, i);
      gint64 count = counts[i + 1];
      g_autofree char *message = NULL;
      SetlValidationEntry *entry;

      if (count <= 0 || item->kind == ITEM_NON_NULL)
        continue;
      switch (item->kind)
        {
        case ITEM_NULLS:
          message = g_strdup_printf ("non-nullable column “%s” contains null values", item->column->name);
          entry = _setl_validation_report_entry (report, SETL_VALIDATION_REASON_SERIES_CONTAINS_NULLS, "Column",
                                                 item->column->name, "not_nullable", -1,
                                                 SETL_CHECK_LEVEL_ERROR, message);
          break;
        case ITEM_DUPLICATES:
          message = g_strdup_printf ("column “%s” has duplicate values", item->column->name);
          entry = _setl_validation_report_entry (report, SETL_VALIDATION_REASON_SERIES_CONTAINS_DUPLICATES,
                                                 "Column", item->column->name, "field_uniqueness", -1,
                                                 SETL_CHECK_LEVEL_ERROR, message);
          break;
        default:
          {
            const char *custom = setl_check_get_error_message (item->check->check);

            message = custom ? g_strdup (custom)
                             : g_strdup_printf ("column “%s” failed %s", item->column->name,
                                                item->check->description);
            entry = _setl_validation_report_entry (report, SETL_VALIDATION_REASON_CHECK_FAILED, "Column",
                                                   item->column->name, item->check->description,
                                                   setl_schema_check_get_index (item->check->reference),
                                                   setl_check_get_level (item->check->check), message);
          }
          break;
        }
      if (!add_failures (self, entry, i + 1, count, cap, fetch, user_data, error))
        return NULL;
      if (item->kind == ITEM_CHECK)
        {
          SetlCheck *check = item->check->check;
          gint64 n_checked = counts[item->non_null_index + 1];

          if (setl_check_get_mostly (check) < 1.0 && setl_check_passes (check, count, n_checked))
            _setl_validation_entry_tolerate (entry, n_checked);
        }
    }
  _setl_validation_report_set_rows (report, counts[0], 0);
  _setl_validation_report_finish (report, TRUE);
  return g_steal_pointer (&report);
}
