/* setl-schema.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/**
 * SetlSchema:
 *
 * A schema document: a name, a version once registered, an optional
 * description, and a list of typed columns (see #SetlSchemaColumn).
 *
 * |[
 * {
 *   "name": "orders",
 *   "description": "one row per order line",
 *   "columns": [
 *     { "name": "id",     "type": "int64" },
 *     { "name": "amount", "type": "double", "nullable": true },
 *     { "name": "placed", "type": "timestamp", "required": false }
 *   ]
 * }
 * ]|
 *
 * The whole document is kept, members this version does not interpret
 * included, so that checks and options added to the format later travel
 * through the #SetlSchemaRegistry unchanged (see setl_schema_get_document()).
 *
 * Parsing reports errors a person can act on: malformed JSON gives the file,
 * the line and the position and what was expected; a valid JSON document that
 * is not a schema gives the file, the line and the member at fault.
 *
 * A schema is immutable; setl_schema_with_version() returns a copy.
 */
#include "setl-schema.h"
#include "setl-schema-private.h"

#include <string.h>

struct _SetlSchema
{
  GObject parent_instance;

  char *name;
  guint version;
  char *source_name;
  JsonNode *document;
  GPtrArray *columns;     /* (element-type SetlSchemaColumn) */

  /* Validation options (see docs/validation.md). */
  SetlSchemaStrict strict;
  gboolean ordered;
  gboolean coerce;
  SetlSchemaReportDuplicates report_duplicates;
  GPtrArray *unique;      /* (element-type GStrv): unique column combinations */
  GPtrArray *checks;      /* (element-type SetlSchemaCheck): table checks */
};

enum {
  PROP_0,
  PROP_NAME,
  PROP_VERSION,
  PROP_DESCRIPTION,
  PROP_SOURCE_NAME,
  PROP_N_COLUMNS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (SetlSchema, setl_schema, G_TYPE_OBJECT)

static void
setl_schema_finalize (GObject *object)
{
  SetlSchema *self = SETL_SCHEMA (object);

  g_free (self->name);
  g_free (self->source_name);
  g_clear_pointer (&self->document, json_node_unref);
  g_clear_pointer (&self->columns, g_ptr_array_unref);
  g_clear_pointer (&self->unique, g_ptr_array_unref);
  g_clear_pointer (&self->checks, g_ptr_array_unref);

  G_OBJECT_CLASS (setl_schema_parent_class)->finalize (object);
}

static void
setl_schema_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  SetlSchema *self = SETL_SCHEMA (object);

  switch (prop_id)
    {
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_VERSION:
      g_value_set_uint (value, self->version);
      break;
    case PROP_DESCRIPTION:
      g_value_set_string (value, setl_schema_get_description (self));
      break;
    case PROP_SOURCE_NAME:
      g_value_set_string (value, self->source_name);
      break;
    case PROP_N_COLUMNS:
      g_value_set_uint (value, self->columns->len);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
setl_schema_class_init (SetlSchemaClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = setl_schema_finalize;
  object_class->get_property = setl_schema_get_property;

  /**
   * SetlSchema:name:
   *
   * The schema's name, under which the registry keeps its versions.
   */
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /**
   * SetlSchema:version:
   *
   * The schema's version, from 1; 0 for a document that has none yet.
   */
  properties[PROP_VERSION] =
    g_param_spec_uint ("version", NULL, NULL, 0, G_MAXINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /**
   * SetlSchema:description:
   *
   * The schema's description, if the document gives one.
   */
  properties[PROP_DESCRIPTION] =
    g_param_spec_string ("description", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /**
   * SetlSchema:source-name:
   *
   * Where the document came from (a file name), as error messages name it.
   */
  properties[PROP_SOURCE_NAME] =
    g_param_spec_string ("source-name", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /**
   * SetlSchema:n-columns:
   *
   * The number of columns.
   */
  properties[PROP_N_COLUMNS] =
    g_param_spec_uint ("n-columns", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
setl_schema_init (SetlSchema *self)
{
  self->columns = g_ptr_array_new_with_free_func (g_object_unref);
  self->unique = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  self->checks = g_ptr_array_new_with_free_func (g_object_unref);
}

/* Where each object and member of a parsed document was, so that errors in
 * a well-formed document can still name a line: JsonNode keeps no position,
 * but JsonParser's signals fire while the current line is known. */
typedef struct {
  GArray *open_lines;       /* lines of the objects being parsed */
  GHashTable *object_lines; /* JsonObject* -> line of its '{' */
  GHashTable *member_lines; /* "%p/member" -> line of the member's value */
  GHashTable *element_lines; /* "%p#index" -> line of an array element */
} SourceLines;

static void
on_object_start (JsonParser *parser,
                 gpointer    user_data)
{
  SourceLines *lines = user_data;
  guint line = json_parser_get_current_line (parser);

  g_array_append_val (lines->open_lines, line);
}

static void
on_object_end (JsonParser *parser,
               JsonObject *object,
               gpointer    user_data)
{
  SourceLines *lines = user_data;
  guint line;

  if (lines->open_lines->len == 0)
    return;
  line = g_array_index (lines->open_lines, guint, lines->open_lines->len - 1);
  g_array_set_size (lines->open_lines, lines->open_lines->len - 1);
  g_hash_table_insert (lines->object_lines, object, GUINT_TO_POINTER (line));
}

static void
on_object_member (JsonParser *parser,
                  JsonObject *object,
                  const char *member,
                  gpointer    user_data)
{
  SourceLines *lines = user_data;

  g_hash_table_insert (lines->member_lines,
                       g_strdup_printf ("%p/%s", (void *) object, member),
                       GUINT_TO_POINTER (json_parser_get_current_line (parser)));
}

static void
on_array_element (JsonParser *parser,
                  JsonArray  *array,
                  int         index,
                  gpointer    user_data)
{
  SourceLines *lines = user_data;

  g_hash_table_insert (lines->element_lines,
                       g_strdup_printf ("%p#%d", (void *) array, index),
                       GUINT_TO_POINTER (json_parser_get_current_line (parser)));
}

static guint
element_line (SourceLines *lines,
              JsonArray   *array,
              guint        index)
{
  g_autofree char *key = NULL;

  if (lines == NULL)
    return 0;
  key = g_strdup_printf ("%p#%u", (void *) array, index);
  return GPOINTER_TO_UINT (g_hash_table_lookup (lines->element_lines, key));
}

static guint
object_line (SourceLines *lines,
             JsonObject  *object)
{
  if (lines == NULL)
    return 0;
  return GPOINTER_TO_UINT (g_hash_table_lookup (lines->object_lines, object));
}

static guint
member_line (SourceLines *lines,
             JsonObject  *object,
             const char  *member)
{
  g_autofree char *key = NULL;
  guint line;

  if (lines == NULL)
    return 0;
  key = g_strdup_printf ("%p/%s", (void *) object, member);
  line = GPOINTER_TO_UINT (g_hash_table_lookup (lines->member_lines, key));
  return line != 0 ? line : object_line (lines, object);
}

/* Shared with the parser of validation members (setl-schema-check.c) as
 * SetlSchemaParseContext. */
struct _SetlSchemaParseContext {
  const char *source;
  SourceLines *lines;
  gint code;
  gboolean frictionless;        /* "fields": Frictionless defaults */
  JsonObject *check_libraries;  /* the document's "check_libraries" */
};
typedef struct _SetlSchemaParseContext Context;

/* "FILE:LINE: message", or "FILE: message" when the line is unknown. */
G_GNUC_PRINTF (4, 5)
static void
set_error_at (GError     **error,
              Context     *ctx,
              guint        line,
              const char  *format,
              ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  if (line > 0)
    g_set_error (error, SETL_SCHEMA_ERROR, ctx->code, "%s:%u: %s", ctx->source, line, message);
  else
    g_set_error (error, SETL_SCHEMA_ERROR, ctx->code, "%s: %s", ctx->source, message);
}

guint
_setl_schema_parse_member_line (SetlSchemaParseContext *ctx,
                                JsonObject             *object,
                                const char             *member)
{
  return member_line (ctx->lines, object, member);
}

guint
_setl_schema_parse_element_line (SetlSchemaParseContext *ctx,
                                 JsonArray              *array,
                                 guint                   index)
{
  return element_line (ctx->lines, array, index);
}

guint
_setl_schema_parse_object_line (SetlSchemaParseContext *ctx,
                                JsonObject             *object)
{
  return object_line (ctx->lines, object);
}

const char *
_setl_schema_parse_get_source (SetlSchemaParseContext *ctx)
{
  return ctx->source;
}

JsonObject *
_setl_schema_parse_get_check_libraries (SetlSchemaParseContext *ctx)
{
  return ctx->check_libraries;
}

void
_setl_schema_parse_error (GError                 **error,
                          SetlSchemaParseContext  *ctx,
                          guint                    line,
                          const char              *format,
                          ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  set_error_at (error, ctx, line, "%s", message);
}

static const char *
describe_node (JsonNode *node)
{
  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_OBJECT:
      return "an object";
    case JSON_NODE_ARRAY:
      return "an array";
    case JSON_NODE_NULL:
      return "null";
    case JSON_NODE_VALUE:
    default:
      switch (json_node_get_value_type (node))
        {
        case G_TYPE_BOOLEAN:
          return "a boolean";
        case G_TYPE_INT64:
          return "an integer";
        case G_TYPE_DOUBLE:
          return "a number";
        case G_TYPE_STRING:
          return "a string";
        default:
          return "a value";
        }
    }
}

const char *
_setl_schema_describe_node (JsonNode *node)
{
  return describe_node (node);
}

static gboolean
node_is (JsonNode *node,
         GType     value_type)
{
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == value_type;
}

/* An optional boolean member; FALSE with @error set when it is not one. */
static gboolean
get_optional_boolean (Context     *ctx,
                      JsonObject  *object,
                      const char  *member,
                      const char  *what,
                      gboolean     fallback,
                      gboolean    *result,
                      GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);

  *result = fallback;
  if (node == NULL)
    return TRUE;
  if (!node_is (node, G_TYPE_BOOLEAN))
    {
      set_error_at (error, ctx, member_line (ctx->lines, object, member),
                    "%s: member “%s” must be true or false, not %s",
                    what, member, describe_node (node));
      return FALSE;
    }
  *result = json_node_get_boolean (node);
  return TRUE;
}

static gboolean
get_optional_string (Context     *ctx,
                     JsonObject  *object,
                     const char  *member,
                     const char  *what,
                     GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || node_is (node, G_TYPE_STRING))
    return TRUE;
  set_error_at (error, ctx, member_line (ctx->lines, object, member),
                "%s: member “%s” must be a string, not %s",
                what, member, describe_node (node));
  return FALSE;
}

static gboolean
default_fits_type (JsonNode             *node,
                   SetlSchemaColumnType  type)
{
  switch (type)
    {
    case SETL_SCHEMA_COLUMN_TYPE_BOOL:
      return node_is (node, G_TYPE_BOOLEAN);
    case SETL_SCHEMA_COLUMN_TYPE_INT64:
      return node_is (node, G_TYPE_INT64);
    case SETL_SCHEMA_COLUMN_TYPE_DOUBLE:
      return node_is (node, G_TYPE_INT64) || node_is (node, G_TYPE_DOUBLE);
    case SETL_SCHEMA_COLUMN_TYPE_STRING:
    case SETL_SCHEMA_COLUMN_TYPE_DATE:
    case SETL_SCHEMA_COLUMN_TYPE_TIMESTAMP:
    default:
      return node_is (node, G_TYPE_STRING);
    }
}

static SetlSchemaColumn *
parse_column (Context     *ctx,
              JsonArray   *columns,
              guint        index,
              guint        columns_line,
              GError     **error)
{
  JsonObject *object;
  JsonNode *member;
  g_autofree char *what = NULL;
  const char *name;
  SetlSchemaColumnType type;
  gboolean nullable, required;
  JsonNode *node = json_array_get_element (columns, index);

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      guint line = element_line (ctx->lines, columns, index);

      set_error_at (error, ctx, line != 0 ? line : columns_line,
                    "column %u: expected an object with “name” and “type”, not %s",
                    index + 1, describe_node (node));
      return NULL;
    }
  object = json_node_get_object (node);

  member = json_object_get_member (object, "name");
  if (member == NULL)
    {
      set_error_at (error, ctx, object_line (ctx->lines, object),
                    "column %u: missing member “name” (a string naming the column)",
                    index + 1);
      return NULL;
    }
  if (!node_is (member, G_TYPE_STRING) || *json_node_get_string (member) == '\0')
    {
      set_error_at (error, ctx, member_line (ctx->lines, object, "name"),
                    "column %u: member “name” must be a non-empty string, not %s",
                    index + 1, describe_node (member));
      return NULL;
    }
  name = json_node_get_string (member);
  what = g_strdup_printf ("column “%s”", name);

  member = json_object_get_member (object, "type");
  if (member == NULL)
    {
      set_error_at (error, ctx, object_line (ctx->lines, object),
                    "%s: missing member “type” (one of bool, int64, double, string, date, timestamp)",
                    what);
      return NULL;
    }
  if (!node_is (member, G_TYPE_STRING) ||
      (!setl_schema_column_type_from_string (json_node_get_string (member), &type) &&
       !(ctx->frictionless && _setl_schema_frictionless_type (json_node_get_string (member), &type))))
    {
      set_error_at (error, ctx, member_line (ctx->lines, object, "type"),
                    "%s: member “type” must be one of bool, int64, double, string, date, timestamp; found %s%s%s",
                    what,
                    node_is (member, G_TYPE_STRING) ? "“" : "",
                    node_is (member, G_TYPE_STRING) ? json_node_get_string (member) : describe_node (member),
                    node_is (member, G_TYPE_STRING) ? "”" : "");
      return NULL;
    }

  /* A Frictionless field may be empty unless its constraints require it. */
  if (!get_optional_boolean (ctx, object, "nullable", what, ctx->frictionless, &nullable, error) ||
      !get_optional_boolean (ctx, object, "required", what, TRUE, &required, error) ||
      !get_optional_string (ctx, object, "description", what, error))
    return NULL;

  member = json_object_get_member (object, "default");
  if (member != NULL)
    {
      if (JSON_NODE_HOLDS_NULL (member) && !nullable)
        {
          set_error_at (error, ctx, member_line (ctx->lines, object, "default"),
                        "%s: a default of null needs “nullable”: true",
                        what);
          return NULL;
        }
      if (!JSON_NODE_HOLDS_NULL (member) && !default_fits_type (member, type))
        {
          set_error_at (error, ctx, member_line (ctx->lines, object, "default"),
                        "%s: member “default” must be a value of type %s, not %s",
                        what, setl_schema_column_type_to_string (type), describe_node (member));
          return NULL;
        }
    }

  {
    SetlSchemaColumnValidation validation = { 0, };
    SetlSchemaColumn *column;

    if (!_setl_schema_parse_column_validation (ctx, object, name, type, what, &validation, error))
      return NULL;
    if (validation.constraints_required >= 0 && !json_object_has_member (object, "nullable"))
      nullable = !validation.constraints_required;
    column = _setl_schema_column_new_from_object (object, name, type, nullable, required);
    _setl_schema_column_take_validation (column, &validation);
    return column;
  }
}

static SetlSchema *
build_schema (JsonNode     *root,
              Context      *ctx,
              GError      **error)
{
  g_autoptr(SetlSchema) self = NULL;
  g_autoptr(GHashTable) seen = NULL;
  JsonObject *object;
  JsonNode *member;
  JsonArray *columns;
  guint columns_line;

  if (root == NULL)
    {
      set_error_at (error, ctx, 1, "empty document, expected a JSON object");
      return NULL;
    }
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      set_error_at (error, ctx, 1, "expected a JSON object at the top level, not %s",
                    describe_node (root));
      return NULL;
    }
  object = json_node_get_object (root);

  member = json_object_get_member (object, "name");
  if (member == NULL)
    {
      set_error_at (error, ctx, object_line (ctx->lines, object),
                    "missing member “name” (a string naming the schema)");
      return NULL;
    }
  if (!node_is (member, G_TYPE_STRING) || !setl_schema_is_valid_name (json_node_get_string (member)))
    {
      set_error_at (error, ctx, member_line (ctx->lines, object, "name"),
                    "member “name” must be a string of letters, digits, “_”, “-” and “.” "
                    "not starting with “.” or “-”, not %s%s%s",
                    node_is (member, G_TYPE_STRING) ? "“" : "",
                    node_is (member, G_TYPE_STRING) ? json_node_get_string (member) : describe_node (member),
                    node_is (member, G_TYPE_STRING) ? "”" : "");
      return NULL;
    }

  self = g_object_new (SETL_TYPE_SCHEMA, NULL);
  self->name = g_strdup (json_node_get_string (member));
  self->source_name = g_strdup (ctx->source);

  member = json_object_get_member (object, "version");
  if (member != NULL)
    {
      if (!node_is (member, G_TYPE_INT64) ||
          json_node_get_int (member) < 1 || json_node_get_int (member) > G_MAXINT)
        {
          set_error_at (error, ctx, member_line (ctx->lines, object, "version"),
                        "member “version” must be a positive integer, not %s",
                        describe_node (member));
          return NULL;
        }
      self->version = (guint) json_node_get_int (member);
    }

  if (!get_optional_string (ctx, object, "description", "schema", error))
    return NULL;

  member = json_object_get_member (object, "check_libraries");
  if (member != NULL)
    {
      if (!JSON_NODE_HOLDS_OBJECT (member))
        {
          set_error_at (error, ctx, member_line (ctx->lines, object, "check_libraries"),
                        "member “check_libraries” must be an object mapping check names "
                        "to {\"plugin\": …, \"version\": …}, not %s", describe_node (member));
          return NULL;
        }
      ctx->check_libraries = json_node_get_object (member);
    }

  /* A Frictionless Table Schema names its columns "fields". */
  member = json_object_get_member (object, "columns");
  if (member == NULL && json_object_has_member (object, "fields"))
    {
      member = json_object_get_member (object, "fields");
      ctx->frictionless = TRUE;
    }
  if (member == NULL)
    {
      set_error_at (error, ctx, object_line (ctx->lines, object),
                    "missing member “columns” (an array of column objects)");
      return NULL;
    }
  columns_line = member_line (ctx->lines, object, ctx->frictionless ? "fields" : "columns");
  if (!JSON_NODE_HOLDS_ARRAY (member))
    {
      set_error_at (error, ctx, columns_line,
                    "member “columns” must be an array of column objects, not %s",
                    describe_node (member));
      return NULL;
    }
  columns = json_node_get_array (member);

  seen = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < json_array_get_length (columns); i++)
    {
      JsonNode *element = json_array_get_element (columns, i);
      SetlSchemaColumn *column;
      const char *name;
      gpointer first;

      column = parse_column (ctx, columns, i, columns_line, error);
      if (column == NULL)
        return NULL;
      g_ptr_array_add (self->columns, column);

      name = setl_schema_column_get_name (column);
      first = g_hash_table_lookup (seen, name);
      if (first != NULL)
        {
          JsonObject *first_object = setl_schema_column_get_document (first);
          guint first_line = object_line (ctx->lines, first_object);
          guint line = object_line (ctx->lines, json_node_get_object (element));

          if (first_line > 0)
            set_error_at (error, ctx, line,
                          "column “%s” is defined twice (first at line %u)", name, first_line);
          else
            set_error_at (error, ctx, line, "column “%s” is defined twice", name);
          return NULL;
        }
      g_hash_table_insert (seen, (gpointer) name, column);
    }

  if (!_setl_schema_parse_schema_validation (ctx, object, self->columns,
                                             &self->strict, &self->ordered, &self->coerce,
                                             &self->report_duplicates, self->unique,
                                             self->checks, error))
    return NULL;

  self->document = json_node_ref (root);
  return g_steal_pointer (&self);
}

SetlSchema *
_setl_schema_parse (const char  *data,
                    gssize       length,
                    const char  *source_name,
                    gint         malformed_code,
                    gint         invalid_code,
                    GError     **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local_error = NULL;
  SourceLines lines;
  Context ctx = { source_name, &lines, invalid_code };
  SetlSchema *schema;

  if (length < 0)
    length = strlen (data);

  parser = json_parser_new ();
  lines.open_lines = g_array_new (FALSE, FALSE, sizeof (guint));
  lines.object_lines = g_hash_table_new (NULL, NULL);
  lines.member_lines = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  lines.element_lines = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_signal_connect (parser, "object-start", G_CALLBACK (on_object_start), &lines);
  g_signal_connect (parser, "object-end", G_CALLBACK (on_object_end), &lines);
  g_signal_connect (parser, "object-member", G_CALLBACK (on_object_member), &lines);
  g_signal_connect (parser, "array-element", G_CALLBACK (on_array_element), &lines);

  if (!json_parser_load_from_data (parser, data, length, &local_error))
    {
      /* json-glib says "<data>:LINE:POS: Parse error: unexpected X, expected
       * Y"; say which file instead of <data>. */
      const char *message = local_error->message;

      if (g_str_has_prefix (message, "<data>:"))
        message += strlen ("<data>:");
      if (strstr (message, "Parse error: ") != NULL)
        {
          g_autofree char *position = g_strndup (message, strstr (message, "Parse error: ") - message);
          const char *detail = strstr (message, "Parse error: ") + strlen ("Parse error: ");

          g_set_error (error, SETL_SCHEMA_ERROR, malformed_code,
                       "%s:%smalformed JSON: %s", source_name, position, detail);
        }
      else
        g_set_error (error, SETL_SCHEMA_ERROR, malformed_code,
                     "%s: malformed JSON: %s", source_name, message);
      schema = NULL;
    }
  else
    {
      JsonNode *root = json_parser_get_root (parser);

      /* An empty input parses as "no root" rather than as an error. */
      if (root == NULL)
        {
          ctx.code = malformed_code;
          set_error_at (error, &ctx, 1, "malformed JSON: empty document, expected a JSON object");
          schema = NULL;
        }
      else
        schema = build_schema (root, &ctx, error);
    }

  g_array_unref (lines.open_lines);
  g_hash_table_unref (lines.object_lines);
  g_hash_table_unref (lines.member_lines);
  g_hash_table_unref (lines.element_lines);
  return schema;
}

/**
 * setl_schema_new_from_data:
 * @data: the schema document, JSON text
 * @length: the length of @data in bytes, or -1 if it is nul-terminated
 * @source_name: (nullable): what error messages call the document (a file
 *   name), `<data>` if %NULL
 * @error: return location for a #GError
 *
 * Parses a schema document. Malformed JSON fails with
 * %SETL_SCHEMA_ERROR_MALFORMED, a document that is not a valid schema with
 * %SETL_SCHEMA_ERROR_INVALID; both messages start with `SOURCE:LINE:`.
 *
 * Returns: (transfer full): the schema, or %NULL with @error set
 */
SetlSchema *
setl_schema_new_from_data (const char  *data,
                           gssize       length,
                           const char  *source_name,
                           GError     **error)
{
  g_return_val_if_fail (data != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return _setl_schema_parse (data, length, source_name ? source_name : "<data>",
                             SETL_SCHEMA_ERROR_MALFORMED, SETL_SCHEMA_ERROR_INVALID,
                             error);
}

/**
 * setl_schema_new_from_file:
 * @path: (type filename): a schema document on disk
 * @error: return location for a #GError
 *
 * Reads and parses a schema document; errors name @path as given. A file
 * that cannot be read fails with %SETL_SCHEMA_ERROR_IO.
 *
 * Returns: (transfer full): the schema, or %NULL with @error set
 */
SetlSchema *
setl_schema_new_from_file (const char  *path,
                           GError     **error)
{
  g_autofree char *contents = NULL;
  g_autoptr(GError) local_error = NULL;
  gsize length;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!g_file_get_contents (path, &contents, &length, &local_error))
    {
      g_set_error (error, SETL_SCHEMA_ERROR, SETL_SCHEMA_ERROR_IO,
                   "%s: cannot read schema: %s", path, local_error->message);
      return NULL;
    }
  return setl_schema_new_from_data (contents, length, path, error);
}

/**
 * setl_schema_new_from_json:
 * @document: a schema document already parsed
 * @source_name: (nullable): what error messages call the document
 * @error: return location for a #GError
 *
 * Checks @document as setl_schema_new_from_data() does and keeps a reference
 * to it: do not modify it afterwards. Error messages carry no line number,
 * since a #JsonNode has none.
 *
 * Returns: (transfer full): the schema, or %NULL with @error set
 */
SetlSchema *
setl_schema_new_from_json (JsonNode    *document,
                           const char  *source_name,
                           GError     **error)
{
  Context ctx = { source_name ? source_name : "<data>", NULL, SETL_SCHEMA_ERROR_INVALID };

  g_return_val_if_fail (document != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return build_schema (document, &ctx, error);
}

/**
 * setl_schema_is_valid_name:
 * @name: a candidate schema name
 *
 * Schema names become directory names in the registry and appear before `@`
 * in references, so they are limited to ASCII letters, digits, `_`, `-` and
 * `.`, do not start with `.` or `-`, and are at most 128 bytes long.
 *
 * Returns: whether @name can name a schema
 */
gboolean
setl_schema_is_valid_name (const char *name)
{
  gsize length;

  if (name == NULL)
    return FALSE;
  length = strlen (name);
  if (length == 0 || length > 128 || name[0] == '.' || name[0] == '-')
    return FALSE;
  for (gsize i = 0; i < length; i++)
    if (!g_ascii_isalnum (name[i]) && name[i] != '_' && name[i] != '-' && name[i] != '.')
      return FALSE;
  return TRUE;
}

/**
 * setl_schema_get_name:
 * @self: a #SetlSchema
 *
 * Returns: (transfer none): the schema's name
 */
const char *
setl_schema_get_name (SetlSchema *self)
{
  g_return_val_if_fail (SETL_IS_SCHEMA (self), NULL);
  return self->name;
}

/**
 * setl_schema_get_version:
 * @self: a #SetlSchema
 *
 * Returns: the schema's version, or 0 when the document has none (it has
 *   not been registered)
 */
guint
setl_schema_get_version (SetlSchema *self)
{
  g_return_val_if_fail (SETL_IS_SCHEMA (self), 0);
  return self->version;
}

/**
 * setl_schema_get_description:
 * @self: a #SetlSchema
 *
 * Returns: (transfer none) (nullable): the schema's description
 */
const char *
setl_schema_get_description (SetlSchema *self)
{
  g_return_val_if_fail (SETL_IS_SCHEMA (self), NULL);
  return json_object_get_string_member_with_default (json_node_get_object (self->document),
                                                     "description", NULL);
}

/**
 * setl_schema_get_source_name:
 * @self: a #SetlSchema
 *
 * Returns: (transfer none): the name the document was parsed under (a file
 *   name, or `<data>`)
 */
const char *
setl_schema_get_source_name (SetlSchema *self)
{
  g_return_val_if_fail (SETL_IS_SCHEMA (self), NULL);
  return self->source_name;
}

/**
 * setl_schema_get_n_columns:
 * @self: a #SetlSchema
 *
 * Returns: the number of columns
 */
guint
setl_schema_get_n_columns (SetlSchema *self)
{
  g_return_val_if_fail (SETL_IS_SCHEMA (self), 0);
  return self->columns->len;
}

/**
 * setl_schema_get_column:
 * @self: a #SetlSchema
 * @index: a column index, below setl_schema_get_n_columns()
 *
 * Returns: (transfer none): the column at @index, in document order
 */
SetlSchemaColumn *
setl_schema_get_column (SetlSchema *self,
                        guint       index)
{
  g_return_val_if_fail (SETL_IS_SCHEMA (self), NULL);
  g_return_val_if_fail (index < self->columns->len, NULL);
  return g_ptr_array_index (self->columns, index);
}

/**
 * setl_schema_lookup_column:
 * @self: a #SetlSchema
 * @name: a column name
 *
 * Returns: (transfer none) (nullable): the column called @name, or %NULL
 */
SetlSchemaColumn *
setl_schema_lookup_column (SetlSchema *self,
                           const char *name)
{
  g_return_val_if_fail (SETL_IS_SCHEMA (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  for (guint i = 0; i < self->columns->len; i++)
    {
      SetlSchemaColumn *column = g_ptr_array_index (self->columns, i);

      if (g_str_equal (setl_schema_column_get_name (column), name))
        return column;
    }
  return NULL;
}

/**
 * setl_schema_get_document:
 * @self: a #SetlSchema
 *
 * The whole document, members this version does not interpret included.
 * Do not modify it.
 *
 * Returns: (transfer none): the schema document
 */
JsonNode *
setl_schema_get_document (SetlSchema *self)
{
  g_return_val_if_fail (SETL_IS_SCHEMA (self), NULL);
  return self->document;
}

/**
 * setl_schema_to_json:
 * @self: a #SetlSchema
 * @pretty: whether to indent the output
 *
 * Returns: (transfer full): the schema document as JSON text
 */
char *
setl_schema_to_json (SetlSchema *self,
                     gboolean    pretty)
{
  g_autoptr(JsonGenerator) generator = NULL;

  g_return_val_if_fail (SETL_IS_SCHEMA (self), NULL);

  generator = json_generator_new ();
  json_generator_set_pretty (generator, pretty);
  json_generator_set_indent (generator, 2);
  json_generator_set_root (generator, self->document);
  return json_generator_to_data (generator, NULL);
}

/* A shallow copy of @object without its "version" member, then with
 * @version right after "name" if @version is not 0. Member nodes are shared,
 * which is safe because schemas never modify their documents. */
static JsonNode *
copy_with_version (JsonObject *object,
                   guint       version)
{
  g_autoptr(JsonObject) copy = json_object_new ();
  g_autoptr(GList) members = json_object_get_members (object);

  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *member = l->data;

      if (g_str_equal (member, "version"))
        continue;
      json_object_set_member (copy, member, json_node_copy (json_object_get_member (object, member)));
      if (g_str_equal (member, "name") && version > 0)
        json_object_set_int_member (copy, "version", version);
    }
  return json_node_init_object (json_node_alloc (), copy);
}

/**
 * setl_schema_equal_content:
 * @a: a #SetlSchema
 * @b: another #SetlSchema
 *
 * Compares two documents member by member, ignoring their versions: the
 * registry uses it to recognise a schema registered again.
 *
 * Returns: whether @a and @b say the same thing
 */
gboolean
setl_schema_equal_content (SetlSchema *a,
                           SetlSchema *b)
{
  g_autoptr(JsonNode) copy_a = NULL;
  g_autoptr(JsonNode) copy_b = NULL;

  g_return_val_if_fail (SETL_IS_SCHEMA (a), FALSE);
  g_return_val_if_fail (SETL_IS_SCHEMA (b), FALSE);

  copy_a = copy_with_version (json_node_get_object (a->document), 0);
  copy_b = copy_with_version (json_node_get_object (b->document), 0);
  return json_node_equal (copy_a, copy_b);
}

/**
 * setl_schema_with_version:
 * @self: a #SetlSchema
 * @version: the version to give the copy, from 1; or 0 for none
 *
 * Returns: (transfer full): a copy of @self whose document says @version
 */
SetlSchema *
setl_schema_with_version (SetlSchema *self,
                          guint       version)
{
  g_autoptr(JsonNode) document = NULL;
  Context ctx = { NULL, NULL, SETL_SCHEMA_ERROR_INVALID };
  g_autoptr(GError) error = NULL;
  SetlSchema *copy;

  g_return_val_if_fail (SETL_IS_SCHEMA (self), NULL);
  g_return_val_if_fail (version <= G_MAXINT, NULL);

  ctx.source = self->source_name;
  document = copy_with_version (json_node_get_object (self->document), version);
  copy = build_schema (document, &ctx, &error);
  /* The document was valid and only its version changed. */
  g_assert_no_error (error);
  return copy;
}

G_DEFINE_ENUM_TYPE (SetlSchemaStrict, setl_schema_strict,
  G_DEFINE_ENUM_VALUE (SETL_SCHEMA_STRICT_NONE, "none"),
  G_DEFINE_ENUM_VALUE (SETL_SCHEMA_STRICT_ERROR, "error"),
  G_DEFINE_ENUM_VALUE (SETL_SCHEMA_STRICT_FILTER, "filter"))

/**
 * setl_schema_get_strict:
 * @self: a #SetlSchema
 *
 * Returns: what the schema says about columns it does not name
 *   (`"strict"`: false, true or `"filter"`)
 */
SetlSchemaStrict
setl_schema_get_strict (SetlSchema *self)
{
  g_return_val_if_fail (SETL_IS_SCHEMA (self), SETL_SCHEMA_STRICT_NONE);
  return self->strict;
}

/**
 * setl_schema_get_ordered:
 * @self: a #SetlSchema
 *
 * Returns: whether the data's columns must come in the schema's order
 *   (`"ordered": true`)
 */
gboolean
setl_schema_get_ordered (SetlSchema *self)
{
  g_return_val_if_fail (SETL_IS_SCHEMA (self), FALSE);
  return self->ordered;
}

/**
 * setl_schema_get_coerce:
 * @self: a #SetlSchema
 *
 * Returns: whether every column is converted to its type (`"coerce": true`
 *   at the schema level), whatever the column says
 */
gboolean
setl_schema_get_coerce (SetlSchema *self)
{
  g_return_val_if_fail (SETL_IS_SCHEMA (self), FALSE);
  return self->coerce;
}

/**
 * setl_schema_get_n_unique:
 * @self: a #SetlSchema
 *
 * Returns: the number of unique column combinations (`"unique"` at the
 *   schema level, and a Frictionless `primaryKey`)
 */
guint
setl_schema_get_n_unique (SetlSchema *self)
{
  g_return_val_if_fail (SETL_IS_SCHEMA (self), 0);
  return self->unique->len;
}

/**
 * setl_schema_get_unique:
 * @self: a #SetlSchema
 * @index: below setl_schema_get_n_unique()
 *
 * Returns: (transfer none) (array zero-terminated=1): the names of the
 *   columns whose combined values must be unique
 */
const char * const *
setl_schema_get_unique (SetlSchema *self,
                        guint       index)
{
  g_return_val_if_fail (SETL_IS_SCHEMA (self), NULL);
  g_return_val_if_fail (index < self->unique->len, NULL);
  return g_ptr_array_index (self->unique, index);
}

/**
 * setl_schema_get_report_duplicates:
 * @self: a #SetlSchema
 *
 * Returns: which repeated combinations the unique column combinations
 *   report (`"report_duplicates"` at the schema level)
 */
SetlSchemaReportDuplicates
setl_schema_get_report_duplicates (SetlSchema *self)
{
  g_return_val_if_fail (SETL_IS_SCHEMA (self), SETL_SCHEMA_REPORT_DUPLICATES_ALL);
  return self->report_duplicates;
}

/**
 * setl_schema_get_checks:
 * @self: a #SetlSchema
 *
 * Returns: (transfer none) (element-type SetlSchemaCheck): the table
 *   checks (`"checks"` at the schema level), in document order
 */
GPtrArray *
setl_schema_get_checks (SetlSchema *self)
{
  g_return_val_if_fail (SETL_IS_SCHEMA (self), NULL);
  return self->checks;
}

/**
 * setl_schema_has_checks:
 * @self: a #SetlSchema
 *
 * Returns: whether the schema names any check, on a column or on the table
 */
gboolean
setl_schema_has_checks (SetlSchema *self)
{
  g_return_val_if_fail (SETL_IS_SCHEMA (self), FALSE);
  if (self->checks->len > 0)
    return TRUE;
  for (guint i = 0; i < self->columns->len; i++)
    if (setl_schema_column_get_checks (g_ptr_array_index (self->columns, i))->len > 0)
      return TRUE;
  return FALSE;
}
