/* setl-schema-check.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/**
 * SetlSchemaCheck:
 *
 * One check as a schema document names it: the check's name, its
 * parameters, and how validation treats its failures (an error message
 * instead of the default one, a `mostly` threshold, a `level`). A
 * #SetlSchemaCheck is only the reference: the validator asks a
 * #SetlCheckCatalog for the check-library plugin that provides a check of
 * that name and builds the #SetlCheck from it.
 *
 * In a document, a column's `checks` (and the schema's, for table checks)
 * is a list whose entries take any of these forms:
 *
 * |[
 * "checks": [
 *   "not_blank",                                    // no parameter
 *   {"ge": 0},                                      // the one main parameter
 *   {"str_length": {"min_value": 1, "max_value": 9}},
 *   {"in_range": {"min_value": 0, "max_value": 120}, "mostly": 0.99},
 *   {"check": "in_range", "min_value": 0, "max_value": 120,
 *    "include_max": false, "level": "warning",
 *    "message": "age out of range",
 *    "library": {"plugin": "checks-builtin", "version": "0.1.0"}}
 * ]
 * ]|
 *
 * Members other than `check`, `parameters`, `message` (or `error`),
 * `mostly`, `level` and `library` are parameters. Parameter names are
 * Pandera's (`min_value`); the check's #GObject property of the same name
 * with `-` for `_` receives the value.
 *
 * Frictionless `constraints` on a column stand for checks too, built here:
 * `minimum` → `ge`, `maximum` → `le`, `exclusiveMinimum` → `gt`,
 * `exclusiveMaximum` → `lt`, `minLength`/`maxLength` → `str_length`,
 * `pattern` → `pattern` (the whole value must match), `enum` → `isin`;
 * `required` makes the column not nullable and `unique` unique.
 * setl_schema_check_get_origin() says which constraint a check comes from.
 */
#include "setl-schema-check.h"
#include "setl-schema-private.h"

#include <string.h>

struct _SetlSchemaCheck
{
  GObject parent_instance;

  char *name;
  JsonObject *parameters;
  JsonNode *primary;
  char *error_message;
  double mostly;
  SetlCheckLevel level;
  char *library;
  char *library_version;
  char *column;
  guint index;
  char *origin;
  char *source_name;
  guint line;
};

G_DEFINE_FINAL_TYPE (SetlSchemaCheck, setl_schema_check, G_TYPE_OBJECT)

static void
setl_schema_check_finalize (GObject *object)
{
  SetlSchemaCheck *self = SETL_SCHEMA_CHECK (object);

  g_free (self->name);
  g_clear_pointer (&self->parameters, json_object_unref);
  g_clear_pointer (&self->primary, json_node_unref);
  g_free (self->error_message);
  g_free (self->library);
  g_free (self->library_version);
  g_free (self->column);
  g_free (self->origin);
  g_free (self->source_name);

  G_OBJECT_CLASS (setl_schema_check_parent_class)->finalize (object);
}

static void
setl_schema_check_class_init (SetlSchemaCheckClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = setl_schema_check_finalize;
}

static void
setl_schema_check_init (SetlSchemaCheck *self)
{
  self->mostly = 1.0;
  self->parameters = json_object_new ();
}

/* Parsing ---------------------------------------------------------------- */

static const char * const reserved_members[] = {
  "check", "parameters", "message", "error", "mostly", "level", "library", NULL
};

static gboolean
is_reserved (const char *member)
{
  return g_strv_contains (reserved_members, member);
}

static gboolean
is_valid_check_name (const char *name)
{
  if (name == NULL || *name == '\0' || strlen (name) > 128)
    return FALSE;
  for (const char *p = name; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '_' && *p != '-' && *p != '.')
      return FALSE;
  return TRUE;
}

static SetlSchemaCheck *
check_new (SetlSchemaParseContext *ctx,
           const char             *name,
           const char             *column,
           guint                   index,
           guint                   line)
{
  SetlSchemaCheck *self = g_object_new (SETL_TYPE_SCHEMA_CHECK, NULL);
  JsonObject *libraries = _setl_schema_parse_get_check_libraries (ctx);

  self->name = g_strdup (name);
  self->column = g_strdup (column);
  self->index = index;
  self->source_name = g_strdup (_setl_schema_parse_get_source (ctx));
  self->line = line;

  /* The schema-wide record of libraries, which an entry may override. */
  if (libraries != NULL && json_object_has_member (libraries, name))
    {
      JsonNode *entry = json_object_get_member (libraries, name);

      if (JSON_NODE_HOLDS_OBJECT (entry))
        {
          JsonObject *o = json_node_get_object (entry);

          self->library = g_strdup (json_object_get_string_member_with_default (o, "plugin", NULL));
          self->library_version = g_strdup (json_object_get_string_member_with_default (o, "version", NULL));
        }
    }
  return self;
}

static gboolean
parse_library (SetlSchemaParseContext  *ctx,
               SetlSchemaCheck         *self,
               JsonObject              *object,
               const char              *what,
               GError                 **error)
{
  JsonNode *node = json_object_get_member (object, "library");
  guint line = _setl_schema_parse_member_line (ctx, object, "library");

  if (node == NULL)
    return TRUE;
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    {
      g_free (self->library);
      g_free (self->library_version);
      self->library = g_strdup (json_node_get_string (node));
      self->library_version = NULL;
      return TRUE;
    }
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *o = json_node_get_object (node);
      JsonNode *plugin = json_object_get_member (o, "plugin");
      JsonNode *version = json_object_get_member (o, "version");

      if (plugin == NULL || !JSON_NODE_HOLDS_VALUE (plugin) ||
          json_node_get_value_type (plugin) != G_TYPE_STRING ||
          (version != NULL && (!JSON_NODE_HOLDS_VALUE (version) ||
                               json_node_get_value_type (version) != G_TYPE_STRING)))
        {
          _setl_schema_parse_error (error, ctx, line,
                                    "%s: member “library” must name a plugin: "
                                    "{\"plugin\": NAME, \"version\": VERSION}", what);
          return FALSE;
        }
      g_free (self->library);
      g_free (self->library_version);
      self->library = g_strdup (json_node_get_string (plugin));
      self->library_version = version ? g_strdup (json_node_get_string (version)) : NULL;
      return TRUE;
    }
  _setl_schema_parse_error (error, ctx, line,
                            "%s: member “library” must be a plugin name or "
                            "{\"plugin\": NAME, \"version\": VERSION}, not %s",
                            what, _setl_schema_describe_node (node));
  return FALSE;
}

static gboolean
parse_options (SetlSchemaParseContext  *ctx,
               SetlSchemaCheck         *self,
               JsonObject              *object,
               const char              *what,
               GError                 **error)
{
  JsonNode *node;

  node = json_object_get_member (object, "message");
  if (node == NULL)
    node = json_object_get_member (object, "error");
  if (node != NULL)
    {
      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
        {
          _setl_schema_parse_error (error, ctx,
                                    _setl_schema_parse_member_line (ctx, object,
                                                                    json_object_has_member (object, "message") ? "message" : "error"),
                                    "%s: the error message must be a string, not %s",
                                    what, _setl_schema_describe_node (node));
          return FALSE;
        }
      self->error_message = g_strdup (json_node_get_string (node));
    }

  node = json_object_get_member (object, "mostly");
  if (node != NULL)
    {
      GType t = JSON_NODE_HOLDS_VALUE (node) ? json_node_get_value_type (node) : G_TYPE_INVALID;
      double mostly = t == G_TYPE_DOUBLE ? json_node_get_double (node)
                      : t == G_TYPE_INT64 ? (double) json_node_get_int (node) : -1.0;

      if ((t != G_TYPE_DOUBLE && t != G_TYPE_INT64) || !(mostly >= 0.0 && mostly <= 1.0))
        {
          _setl_schema_parse_error (error, ctx, _setl_schema_parse_member_line (ctx, object, "mostly"),
                                    "%s: member “mostly” must be a number from 0 to 1 "
                                    "(the fraction of values that must pass)", what);
          return FALSE;
        }
      self->mostly = mostly;
    }

  node = json_object_get_member (object, "level");
  if (node != NULL)
    {
      const char *level = JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING
                          ? json_node_get_string (node) : NULL;

      if (g_strcmp0 (level, "error") == 0)
        self->level = SETL_CHECK_LEVEL_ERROR;
      else if (g_strcmp0 (level, "warning") == 0)
        self->level = SETL_CHECK_LEVEL_WARNING;
      else
        {
          _setl_schema_parse_error (error, ctx, _setl_schema_parse_member_line (ctx, object, "level"),
                                    "%s: member “level” must be \"error\" or \"warning\"", what);
          return FALSE;
        }
    }

  return parse_library (ctx, self, object, what, error);
}

/* One entry of a "checks" list. */
static SetlSchemaCheck *
parse_check (SetlSchemaParseContext  *ctx,
             JsonArray               *list,
             guint                    index,
             const char              *column,
             const char              *owner,
             guint                    list_line,
             GError                 **error)
{
  JsonNode *node = json_array_get_element (list, index);
  guint line = _setl_schema_parse_element_line (ctx, list, index);
  g_autoptr(SetlSchemaCheck) self = NULL;
  g_autofree char *what = NULL;
  g_autoptr(GList) members = NULL;
  JsonObject *object;
  const char *name = NULL;
  const char *shorthand = NULL;

  if (line == 0)
    line = list_line;

  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    {
      name = json_node_get_string (node);
      if (!is_valid_check_name (name))
        {
          _setl_schema_parse_error (error, ctx, line, "%s: check %u: “%s” is not a check name",
                                    owner, index + 1, name);
          return NULL;
        }
      return check_new (ctx, name, column, index, line);
    }
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      _setl_schema_parse_error (error, ctx, line,
                                "%s: check %u: expected a check name or an object such as "
                                "{\"ge\": 0}, not %s", owner, index + 1, _setl_schema_describe_node (node));
      return NULL;
    }
  object = json_node_get_object (node);
  if (_setl_schema_parse_object_line (ctx, object) != 0)
    line = _setl_schema_parse_object_line (ctx, object);

  if (json_object_has_member (object, "check"))
    {
      JsonNode *n = json_object_get_member (object, "check");

      if (!JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_STRING ||
          !is_valid_check_name (json_node_get_string (n)))
        {
          _setl_schema_parse_error (error, ctx, _setl_schema_parse_member_line (ctx, object, "check"),
                                    "%s: check %u: member “check” must be a check name "
                                    "(letters, digits, “_”, “-”)", owner, index + 1);
          return NULL;
        }
      name = json_node_get_string (n);
    }
  else
    {
      members = json_object_get_members (object);
      for (GList *l = members; l != NULL; l = l->next)
        if (!is_reserved (l->data))
          {
            if (shorthand != NULL)
              {
                _setl_schema_parse_error (error, ctx, _setl_schema_parse_member_line (ctx, object, l->data),
                                          "%s: check %u: both “%s” and “%s” look like check names; "
                                          "name the check with \"check\": NAME and put its "
                                          "parameters beside it", owner, index + 1, shorthand,
                                          (const char *) l->data);
                return NULL;
              }
            shorthand = l->data;
          }
      g_clear_pointer (&members, g_list_free);
      if (shorthand == NULL)
        {
          _setl_schema_parse_error (error, ctx, line,
                                    "%s: check %u: no check named (write {\"CHECK\": PARAMETERS} "
                                    "or {\"check\": CHECK, …})", owner, index + 1);
          return NULL;
        }
      if (!is_valid_check_name (shorthand))
        {
          _setl_schema_parse_error (error, ctx, _setl_schema_parse_member_line (ctx, object, shorthand),
                                    "%s: check %u: “%s” is not a check name", owner, index + 1, shorthand);
          return NULL;
        }
      name = shorthand;
    }

  what = g_strdup_printf ("%s: check %u (“%s”)", owner, index + 1, name);
  self = check_new (ctx, name, column, index, line);

  if (shorthand != NULL)
    {
      JsonNode *value = json_object_get_member (object, shorthand);

      if (JSON_NODE_HOLDS_OBJECT (value))
        {
          JsonObject *params = json_node_get_object (value);
          g_autoptr(GList) names = json_object_get_members (params);

          for (GList *l = names; l != NULL; l = l->next)
            json_object_set_member (self->parameters, l->data,
                                    json_node_copy (json_object_get_member (params, l->data)));
        }
      else if (!JSON_NODE_HOLDS_NULL (value))
        self->primary = json_node_copy (value);
    }
  else
    {
      JsonNode *params = json_object_get_member (object, "parameters");

      if (params != NULL && !JSON_NODE_HOLDS_OBJECT (params))
        {
          _setl_schema_parse_error (error, ctx, _setl_schema_parse_member_line (ctx, object, "parameters"),
                                    "%s: member “parameters” must be an object, not %s",
                                    what, _setl_schema_describe_node (params));
          return NULL;
        }
      if (params != NULL)
        {
          JsonObject *p = json_node_get_object (params);
          g_autoptr(GList) names = json_object_get_members (p);

          for (GList *l = names; l != NULL; l = l->next)
            json_object_set_member (self->parameters, l->data,
                                    json_node_copy (json_object_get_member (p, l->data)));
        }
      members = json_object_get_members (object);
      for (GList *l = members; l != NULL; l = l->next)
        if (!is_reserved (l->data))
          json_object_set_member (self->parameters, l->data,
                                  json_node_copy (json_object_get_member (object, l->data)));
    }

  if (!parse_options (ctx, self, object, what, error))
    return NULL;
  return g_steal_pointer (&self);
}

/* The "checks" member of @object, if any, appended to @checks. */
static gboolean
parse_check_list (SetlSchemaParseContext  *ctx,
                  JsonObject              *object,
                  const char              *column,
                  const char              *owner,
                  GPtrArray               *checks,
                  GError                 **error)
{
  JsonNode *node = json_object_get_member (object, "checks");
  guint line = _setl_schema_parse_member_line (ctx, object, "checks");
  JsonArray *list;

  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      _setl_schema_parse_error (error, ctx, line, "%s: member “checks” must be an array, not %s",
                                owner, _setl_schema_describe_node (node));
      return FALSE;
    }
  list = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      SetlSchemaCheck *check = parse_check (ctx, list, i, column, owner, line, error);

      if (check == NULL)
        return FALSE;
      g_ptr_array_add (checks, check);
    }
  return TRUE;
}

static gboolean
node_is_number (JsonNode *node)
{
  GType t = JSON_NODE_HOLDS_VALUE (node) ? json_node_get_value_type (node) : G_TYPE_INVALID;

  return t == G_TYPE_INT64 || t == G_TYPE_DOUBLE;
}

static gboolean
node_is_string (JsonNode *node)
{
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING;
}

static gboolean
node_is_length (JsonNode *node)
{
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_INT64 &&
         json_node_get_int (node) >= 0;
}

/* A check standing for a Frictionless constraint. */
static SetlSchemaCheck *
constraint_check (SetlSchemaParseContext *ctx,
                  JsonObject             *constraints,
                  const char             *constraint,
                  const char             *name,
                  const char             *column,
                  guint                   index)
{
  SetlSchemaCheck *self = check_new (ctx, name, column, index,
                                     _setl_schema_parse_member_line (ctx, constraints, constraint));

  self->origin = g_strdup_printf ("constraints.%s", constraint);
  return self;
}

static gboolean
parse_constraints (SetlSchemaParseContext      *ctx,
                   JsonObject                  *object,
                   const char                  *column,
                   SetlSchemaColumnType         type,
                   const char                  *what,
                   SetlSchemaColumnValidation  *out,
                   GError                     **error)
{
  static const struct { const char *constraint; const char *check; } bounds[] = {
    { "minimum", "ge" }, { "maximum", "le" },
    { "exclusiveMinimum", "gt" }, { "exclusiveMaximum", "lt" },
  };
  JsonNode *node = json_object_get_member (object, "constraints");
  JsonObject *constraints;
  JsonNode *min_length, *max_length;

  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      _setl_schema_parse_error (error, ctx, _setl_schema_parse_member_line (ctx, object, "constraints"),
                                "%s: member “constraints” must be an object, not %s",
                                what, _setl_schema_describe_node (node));
      return FALSE;
    }
  constraints = json_node_get_object (node);

#define CONSTRAINT_ERROR(member, ...) \
  G_STMT_START { \
    _setl_schema_parse_error (error, ctx, _setl_schema_parse_member_line (ctx, constraints, member), \
                              __VA_ARGS__); \
    return FALSE; \
  } G_STMT_END

  node = json_object_get_member (constraints, "required");
  if (node != NULL)
    {
      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
        CONSTRAINT_ERROR ("required", "%s: constraint “required” must be true or false", what);
      out->constraints_required = json_node_get_boolean (node);
    }
  node = json_object_get_member (constraints, "unique");
  if (node != NULL)
    {
      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
        CONSTRAINT_ERROR ("unique", "%s: constraint “unique” must be true or false", what);
      out->unique = out->unique || json_node_get_boolean (node);
    }

  for (guint i = 0; i < G_N_ELEMENTS (bounds); i++)
    {
      SetlSchemaCheck *check;

      node = json_object_get_member (constraints, bounds[i].constraint);
      if (node == NULL)
        continue;
      /* Frictionless writes bounds of dates and times as strings. */
      if (!node_is_number (node) && !node_is_string (node))
        CONSTRAINT_ERROR (bounds[i].constraint, "%s: constraint “%s” must be a number or a string, not %s",
                          what, bounds[i].constraint, _setl_schema_describe_node (node));
      check = constraint_check (ctx, constraints, bounds[i].constraint, bounds[i].check,
                                column, out->checks->len);
      check->primary = json_node_copy (node);
      g_ptr_array_add (out->checks, check);
    }

  min_length = json_object_get_member (constraints, "minLength");
  max_length = json_object_get_member (constraints, "maxLength");
  if (min_length != NULL && !node_is_length (min_length))
    CONSTRAINT_ERROR ("minLength", "%s: constraint “minLength” must be a non-negative integer", what);
  if (max_length != NULL && !node_is_length (max_length))
    CONSTRAINT_ERROR ("maxLength", "%s: constraint “maxLength” must be a non-negative integer", what);
  if (min_length != NULL || max_length != NULL)
    {
      SetlSchemaCheck *check;

      if (type != SETL_SCHEMA_COLUMN_TYPE_STRING)
        CONSTRAINT_ERROR (min_length ? "minLength" : "maxLength",
                          "%s: constraints “minLength” and “maxLength” apply to string columns only", what);
      check = constraint_check (ctx, constraints, min_length ? "minLength" : "maxLength",
                                "str_length", column, out->checks->len);
      if (min_length != NULL)
        json_object_set_int_member (check->parameters, "min_value", json_node_get_int (min_length));
      if (max_length != NULL)
        json_object_set_int_member (check->parameters, "max_value", json_node_get_int (max_length));
      if (min_length != NULL && max_length != NULL)
        {
          g_free (check->origin);
          check->origin = g_strdup ("constraints.minLength,maxLength");
        }
      g_ptr_array_add (out->checks, check);
    }

  node = json_object_get_member (constraints, "pattern");
  if (node != NULL)
    {
      SetlSchemaCheck *check;

      if (!node_is_string (node))
        CONSTRAINT_ERROR ("pattern", "%s: constraint “pattern” must be a string (a regular expression)", what);
      check = constraint_check (ctx, constraints, "pattern", "pattern", column, out->checks->len);
      check->primary = json_node_copy (node);
      g_ptr_array_add (out->checks, check);
    }

  node = json_object_get_member (constraints, "enum");
  if (node != NULL)
    {
      SetlSchemaCheck *check;

      if (!JSON_NODE_HOLDS_ARRAY (node))
        CONSTRAINT_ERROR ("enum", "%s: constraint “enum” must be an array of values, not %s",
                          what, _setl_schema_describe_node (node));
      check = constraint_check (ctx, constraints, "enum", "isin", column, out->checks->len);
      check->primary = json_node_copy (node);
      g_ptr_array_add (out->checks, check);
    }
#undef CONSTRAINT_ERROR
  return TRUE;
}

static gboolean
parse_report_duplicates (SetlSchemaParseContext      *ctx,
                         JsonObject                  *object,
                         const char                  *what,
                         SetlSchemaReportDuplicates  *out,
                         GError                     **error)
{
  JsonNode *node = json_object_get_member (object, "report_duplicates");
  const char *value;

  if (node == NULL)
    return TRUE;
  value = node_is_string (node) ? json_node_get_string (node) : NULL;
  if (g_strcmp0 (value, "all") == 0)
    *out = SETL_SCHEMA_REPORT_DUPLICATES_ALL;
  else if (g_strcmp0 (value, "exclude_first") == 0)
    *out = SETL_SCHEMA_REPORT_DUPLICATES_EXCLUDE_FIRST;
  else if (g_strcmp0 (value, "exclude_last") == 0)
    *out = SETL_SCHEMA_REPORT_DUPLICATES_EXCLUDE_LAST;
  else
    {
      _setl_schema_parse_error (error, ctx, _setl_schema_parse_member_line (ctx, object, "report_duplicates"),
                                "%s: member “report_duplicates” must be \"all\", \"exclude_first\" "
                                "or \"exclude_last\"", what);
      return FALSE;
    }
  return TRUE;
}

static gboolean
parse_bool (SetlSchemaParseContext  *ctx,
            JsonObject              *object,
            const char              *member,
            const char              *what,
            gboolean                *out,
            GError                 **error)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    {
      _setl_schema_parse_error (error, ctx, _setl_schema_parse_member_line (ctx, object, member),
                                "%s: member “%s” must be true or false, not %s",
                                what, member, _setl_schema_describe_node (node));
      return FALSE;
    }
  *out = json_node_get_boolean (node);
  return TRUE;
}

gboolean
_setl_schema_parse_column_validation (SetlSchemaParseContext     *ctx,
                                      JsonObject                 *object,
                                      const char                 *column,
                                      SetlSchemaColumnType        type,
                                      const char                 *what,
                                      SetlSchemaColumnValidation *out,
                                      GError                    **error)
{
  out->checks = g_ptr_array_new_with_free_func (g_object_unref);
  out->constraints_required = -1;
  out->report_duplicates = SETL_SCHEMA_REPORT_DUPLICATES_ALL;

  if (!parse_bool (ctx, object, "unique", what, &out->unique, error) ||
      !parse_bool (ctx, object, "coerce", what, &out->coerce, error) ||
      !parse_report_duplicates (ctx, object, what, &out->report_duplicates, error) ||
      !parse_check_list (ctx, object, column, what, out->checks, error) ||
      !parse_constraints (ctx, object, column, type, what, out, error))
    {
      g_clear_pointer (&out->checks, g_ptr_array_unref);
      return FALSE;
    }
  return TRUE;
}

static SetlSchemaColumn *
find_column (GPtrArray  *columns,
             const char *name)
{
  for (guint i = 0; i < columns->len; i++)
    if (g_str_equal (setl_schema_column_get_name (g_ptr_array_index (columns, i)), name))
      return g_ptr_array_index (columns, i);
  return NULL;
}

/* A column name or a list of them, each a column of the schema. */
static char **
parse_combination (SetlSchemaParseContext  *ctx,
                   JsonNode                *node,
                   guint                    line,
                   const char              *member,
                   GPtrArray               *columns,
                   GError                 **error)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  if (node_is_string (node))
    {
      if (find_column (columns, json_node_get_string (node)) == NULL)
        {
          _setl_schema_parse_error (error, ctx, line, "member “%s” names “%s”, which is not a column "
                                    "of the schema", member, json_node_get_string (node));
          return NULL;
        }
      g_strv_builder_add (builder, json_node_get_string (node));
      return g_strv_builder_end (builder);
    }
  if (JSON_NODE_HOLDS_ARRAY (node) && json_array_get_length (json_node_get_array (node)) > 0)
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *element = json_array_get_element (array, i);

          if (!node_is_string (element))
            {
              _setl_schema_parse_error (error, ctx, line, "member “%s”: element %u must be a column name, "
                                        "not %s", member, i + 1, _setl_schema_describe_node (element));
              return NULL;
            }
          if (find_column (columns, json_node_get_string (element)) == NULL)
            {
              _setl_schema_parse_error (error, ctx, line, "member “%s” names “%s”, which is not a "
                                        "column of the schema", member, json_node_get_string (element));
              return NULL;
            }
          g_strv_builder_add (builder, json_node_get_string (element));
        }
      return g_strv_builder_end (builder);
    }
  _setl_schema_parse_error (error, ctx, line, "member “%s” must be a column name or a non-empty array "
                            "of column names, not %s", member, _setl_schema_describe_node (node));
  return NULL;
}

gboolean
_setl_schema_parse_schema_validation (SetlSchemaParseContext     *ctx,
                                      JsonObject                 *object,
                                      GPtrArray                  *columns,
                                      SetlSchemaStrict           *strict,
                                      gboolean                   *ordered,
                                      gboolean                   *coerce,
                                      SetlSchemaReportDuplicates *report_duplicates,
                                      GPtrArray                  *unique,
                                      GPtrArray                  *checks,
                                      GError                    **error)
{
  JsonNode *node;

  node = json_object_get_member (object, "strict");
  if (node != NULL)
    {
      if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_BOOLEAN)
        *strict = json_node_get_boolean (node) ? SETL_SCHEMA_STRICT_ERROR : SETL_SCHEMA_STRICT_NONE;
      else if (node_is_string (node) && g_str_equal (json_node_get_string (node), "filter"))
        *strict = SETL_SCHEMA_STRICT_FILTER;
      else
        {
          _setl_schema_parse_error (error, ctx, _setl_schema_parse_member_line (ctx, object, "strict"),
                                    "member “strict” must be true, false or \"filter\"");
          return FALSE;
        }
    }
  if (!parse_bool (ctx, object, "ordered", "schema", ordered, error) ||
      !parse_bool (ctx, object, "coerce", "schema", coerce, error) ||
      !parse_report_duplicates (ctx, object, "schema", report_duplicates, error))
    return FALSE;

  /* "unique": "a", ["a", "b"] or [["a", "b"], ["c"]]; Frictionless
   * "primaryKey": "a" or ["a", "b"]. */
  node = json_object_get_member (object, "unique");
  if (node != NULL)
    {
      guint line = _setl_schema_parse_member_line (ctx, object, "unique");
      JsonArray *array = JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
      gboolean nested = array != NULL && json_array_get_length (array) > 0 &&
                        JSON_NODE_HOLDS_ARRAY (json_array_get_element (array, 0));

      if (nested)
        for (guint i = 0; i < json_array_get_length (array); i++)
          {
            char **combination = parse_combination (ctx, json_array_get_element (array, i), line,
                                                    "unique", columns, error);
            if (combination == NULL)
              return FALSE;
            g_ptr_array_add (unique, combination);
          }
      else
        {
          char **combination = parse_combination (ctx, node, line, "unique", columns, error);

          if (combination == NULL)
            return FALSE;
          g_ptr_array_add (unique, combination);
        }
    }
  node = json_object_get_member (object, "primaryKey");
  if (node != NULL)
    {
      char **combination = parse_combination (ctx, node, _setl_schema_parse_member_line (ctx, object, "primaryKey"),
                                              "primaryKey", columns, error);
      if (combination == NULL)
        return FALSE;
      g_ptr_array_add (unique, combination);
    }

  return parse_check_list (ctx, object, NULL, "schema", checks, error);
}

gboolean
_setl_schema_frictionless_type (const char           *name,
                                SetlSchemaColumnType *type)
{
  static const struct { const char *name; SetlSchemaColumnType type; } aliases[] = {
    { "integer", SETL_SCHEMA_COLUMN_TYPE_INT64 },
    { "number", SETL_SCHEMA_COLUMN_TYPE_DOUBLE },
    { "boolean", SETL_SCHEMA_COLUMN_TYPE_BOOL },
    { "datetime", SETL_SCHEMA_COLUMN_TYPE_TIMESTAMP },
    { "date", SETL_SCHEMA_COLUMN_TYPE_DATE },
    { "string", SETL_SCHEMA_COLUMN_TYPE_STRING },
  };

  for (guint i = 0; i < G_N_ELEMENTS (aliases); i++)
    if (g_strcmp0 (name, aliases[i].name) == 0)
      {
        *type = aliases[i].type;
        return TRUE;
      }
  return FALSE;
}

/* Getters ---------------------------------------------------------------- */

/**
 * setl_schema_check_get_name:
 * @self: a #SetlSchemaCheck
 *
 * Returns: the check's name, as check libraries register it (`in_range`)
 */
const char *
setl_schema_check_get_name (SetlSchemaCheck *self)
{
  g_return_val_if_fail (SETL_IS_SCHEMA_CHECK (self), NULL);
  return self->name;
}

/**
 * setl_schema_check_get_parameters:
 * @self: a #SetlSchemaCheck
 *
 * The named parameters, as the document spells them (`min_value`). Do not
 * modify the object.
 *
 * Returns: (transfer none): the parameters, an empty object if none
 */
JsonObject *
setl_schema_check_get_parameters (SetlSchemaCheck *self)
{
  g_return_val_if_fail (SETL_IS_SCHEMA_CHECK (self), NULL);
  return self->parameters;
}

/**
 * setl_schema_check_get_primary:
 * @self: a #SetlSchemaCheck
 *
 * The value given without a parameter name, as in `{"ge": 0}`: it goes to
 * the check's main parameter (its only one, or the one called `value`).
 *
 * Returns: (transfer none) (nullable): the unnamed value, or %NULL
 */
JsonNode *
setl_schema_check_get_primary (SetlSchemaCheck *self)
{
  g_return_val_if_fail (SETL_IS_SCHEMA_CHECK (self), NULL);
  return self->primary;
}

/**
 * setl_schema_check_get_error_message:
 * @self: a #SetlSchemaCheck
 *
 * Returns: (nullable): what a failure report says instead of the default
 *   message (`"message"`), or %NULL
 */
const char *
setl_schema_check_get_error_message (SetlSchemaCheck *self)
{
  g_return_val_if_fail (SETL_IS_SCHEMA_CHECK (self), NULL);
  return self->error_message;
}

/**
 * setl_schema_check_get_mostly:
 * @self: a #SetlSchemaCheck
 *
 * Returns: the fraction of non-null values that must pass, 1 by default
 */
double
setl_schema_check_get_mostly (SetlSchemaCheck *self)
{
  g_return_val_if_fail (SETL_IS_SCHEMA_CHECK (self), 1.0);
  return self->mostly;
}

/**
 * setl_schema_check_get_level:
 * @self: a #SetlSchemaCheck
 *
 * Returns: whether a failure is an error (the default) or a warning
 */
SetlCheckLevel
setl_schema_check_get_level (SetlSchemaCheck *self)
{
  g_return_val_if_fail (SETL_IS_SCHEMA_CHECK (self), SETL_CHECK_LEVEL_ERROR);
  return self->level;
}

/**
 * setl_schema_check_get_library:
 * @self: a #SetlSchemaCheck
 *
 * The plugin that provides the check, as the document records it (the
 * entry's `library`, or the schema's `check_libraries`): a registered schema
 * records it for every check.
 *
 * Returns: (nullable): the plugin's name, or %NULL if not recorded
 */
const char *
setl_schema_check_get_library (SetlSchemaCheck *self)
{
  g_return_val_if_fail (SETL_IS_SCHEMA_CHECK (self), NULL);
  return self->library;
}

/**
 * setl_schema_check_get_library_version:
 * @self: a #SetlSchemaCheck
 *
 * Returns: (nullable): the version of the plugin recorded with the check
 */
const char *
setl_schema_check_get_library_version (SetlSchemaCheck *self)
{
  g_return_val_if_fail (SETL_IS_SCHEMA_CHECK (self), NULL);
  return self->library_version;
}

/**
 * setl_schema_check_get_column:
 * @self: a #SetlSchemaCheck
 *
 * Returns: (nullable): the column the check belongs to, %NULL for a table
 *   check
 */
const char *
setl_schema_check_get_column (SetlSchemaCheck *self)
{
  g_return_val_if_fail (SETL_IS_SCHEMA_CHECK (self), NULL);
  return self->column;
}

/**
 * setl_schema_check_get_index:
 * @self: a #SetlSchemaCheck
 *
 * Returns: the check's position among its column's checks (or the table
 *   checks), from 0: the `check_number` of failure reports
 */
guint
setl_schema_check_get_index (SetlSchemaCheck *self)
{
  g_return_val_if_fail (SETL_IS_SCHEMA_CHECK (self), 0);
  return self->index;
}

/**
 * setl_schema_check_get_origin:
 * @self: a #SetlSchemaCheck
 *
 * Returns: (nullable): the Frictionless constraint the check stands for
 *   (`constraints.minimum`), or %NULL for an entry of a `checks` list
 */
const char *
setl_schema_check_get_origin (SetlSchemaCheck *self)
{
  g_return_val_if_fail (SETL_IS_SCHEMA_CHECK (self), NULL);
  return self->origin;
}

/**
 * setl_schema_check_get_source_name:
 * @self: a #SetlSchemaCheck
 *
 * Returns: (nullable): the document the check was read from, for messages
 */
const char *
setl_schema_check_get_source_name (SetlSchemaCheck *self)
{
  g_return_val_if_fail (SETL_IS_SCHEMA_CHECK (self), NULL);
  return self->source_name;
}

/**
 * setl_schema_check_get_line:
 * @self: a #SetlSchemaCheck
 *
 * Returns: the line of the document the check was read from, 0 if unknown
 */
guint
setl_schema_check_get_line (SetlSchemaCheck *self)
{
  g_return_val_if_fail (SETL_IS_SCHEMA_CHECK (self), 0);
  return self->line;
}

/**
 * setl_schema_check_describe:
 * @self: a #SetlSchemaCheck
 *
 * Describes the check as a report names it: `in_range(min_value=1,
 * max_value=5)`, `ge(0)`.
 *
 * Returns: (transfer full): the description
 */
/* JSON text for a parameter, doubles in their shortest exact form (0.1,
 * not json-glib's 0.10000000000000001). */
static void
append_json (GString  *out,
             JsonNode *node)
{
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_DOUBLE)
    {
      char buffer[G_ASCII_DTOSTR_BUF_SIZE];
      double d = json_node_get_double (node);

      g_ascii_formatd (buffer, sizeof buffer, "%.15g", d);
      if (g_ascii_strtod (buffer, NULL) != d)
        g_ascii_formatd (buffer, sizeof buffer, "%.17g", d);
      g_string_append (out, buffer);
      if (strpbrk (buffer, ".eEn") == NULL)
        g_string_append (out, ".0");
    }
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      g_string_append_c (out, '[');
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          if (i > 0)
            g_string_append_c (out, ',');
          append_json (out, json_array_get_element (array, i));
        }
      g_string_append_c (out, ']');
    }
  else
    {
      g_autofree char *text = json_to_string (node, FALSE);

      g_string_append (out, text);
    }
}

char *
setl_schema_check_describe (SetlSchemaCheck *self)
{
  GString *out;
  g_autoptr(GList) members = NULL;
  gboolean first = TRUE;

  g_return_val_if_fail (SETL_IS_SCHEMA_CHECK (self), NULL);

  out = g_string_new (self->name);
  g_string_append_c (out, '(');
  if (self->primary != NULL)
    {
      append_json (out, self->primary);
      first = FALSE;
    }
  members = json_object_get_members (self->parameters);
  for (GList *l = members; l != NULL; l = l->next)
    {
      g_string_append_printf (out, "%s%s=", first ? "" : ", ", (const char *) l->data);
      append_json (out, json_object_get_member (self->parameters, l->data));
      first = FALSE;
    }
  g_string_append_c (out, ')');
  return g_string_free (out, FALSE);
}
