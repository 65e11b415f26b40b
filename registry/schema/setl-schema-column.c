/* setl-schema-column.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/**
 * SetlSchemaColumn:
 *
 * One column of a #SetlSchema: its name, its #SetlSchemaColumnType, whether
 * it may hold nulls (`nullable`, false unless said) and whether the data
 * must have it (`required`, true unless said), and optionally a `default`
 * value and a `description`.
 *
 * In a schema document a column reads:
 *
 * |[
 * { "name": "amount", "type": "double", "nullable": true,
 *   "description": "in euros" }
 * ]|
 *
 * Columns are immutable. Whatever else the document says about the column
 * (checks, coercion… added by later formats) is kept: see
 * setl_schema_column_get_document().
 */
#include "setl-schema-column.h"
#include "setl-schema-private.h"

struct _SetlSchemaColumn
{
  GObject parent_instance;

  char *name;
  SetlSchemaColumnType type;
  gboolean nullable;
  gboolean required;
  JsonObject *object;

  /* Validation (parsed by setl-schema-check.c). */
  gboolean unique;
  gboolean coerce;
  SetlSchemaReportDuplicates report_duplicates;
  GPtrArray *checks;      /* (element-type SetlSchemaCheck) */
};

enum {
  PROP_0,
  PROP_NAME,
  PROP_COLUMN_TYPE,
  PROP_NULLABLE,
  PROP_REQUIRED,
  PROP_DESCRIPTION,
  PROP_HAS_DEFAULT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (SetlSchemaColumn, setl_schema_column, G_TYPE_OBJECT)

G_DEFINE_ENUM_TYPE (SetlSchemaColumnType, setl_schema_column_type,
  G_DEFINE_ENUM_VALUE (SETL_SCHEMA_COLUMN_TYPE_BOOL, "bool"),
  G_DEFINE_ENUM_VALUE (SETL_SCHEMA_COLUMN_TYPE_INT64, "int64"),
  G_DEFINE_ENUM_VALUE (SETL_SCHEMA_COLUMN_TYPE_DOUBLE, "double"),
  G_DEFINE_ENUM_VALUE (SETL_SCHEMA_COLUMN_TYPE_STRING, "string"),
  G_DEFINE_ENUM_VALUE (SETL_SCHEMA_COLUMN_TYPE_DATE, "date"),
  G_DEFINE_ENUM_VALUE (SETL_SCHEMA_COLUMN_TYPE_TIMESTAMP, "timestamp"))

/**
 * setl_schema_column_type_to_string:
 * @type: a #SetlSchemaColumnType
 *
 * Returns: (transfer none): the name of @type in schema documents, such as
 *   `"int64"`.
 */
const char *
setl_schema_column_type_to_string (SetlSchemaColumnType type)
{
  GEnumClass *klass = g_type_class_ref (SETL_TYPE_SCHEMA_COLUMN_TYPE);
  GEnumValue *value = g_enum_get_value (klass, type);

  g_type_class_unref (klass);
  g_return_val_if_fail (value != NULL, NULL);
  return value->value_nick;
}

/**
 * setl_schema_column_type_from_string:
 * @string: a type name as written in schema documents
 * @type: (out): where to store the type
 *
 * Returns: %TRUE if @string names a column type (exactly, in lower case).
 */
gboolean
setl_schema_column_type_from_string (const char           *string,
                                     SetlSchemaColumnType *type)
{
  GEnumClass *klass;
  GEnumValue *value;

  g_return_val_if_fail (type != NULL, FALSE);

  if (string == NULL)
    return FALSE;
  klass = g_type_class_ref (SETL_TYPE_SCHEMA_COLUMN_TYPE);
  value = g_enum_get_value_by_nick (klass, string);
  g_type_class_unref (klass);
  if (value == NULL)
    return FALSE;
  *type = value->value;
  return TRUE;
}

static void
setl_schema_column_finalize (GObject *object)
{
  SetlSchemaColumn *self = SETL_SCHEMA_COLUMN (object);

  g_free (self->name);
  g_clear_pointer (&self->object, json_object_unref);
  g_clear_pointer (&self->checks, g_ptr_array_unref);

  G_OBJECT_CLASS (setl_schema_column_parent_class)->finalize (object);
}

static void
setl_schema_column_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  SetlSchemaColumn *self = SETL_SCHEMA_COLUMN (object);

  switch (prop_id)
    {
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_COLUMN_TYPE:
      g_value_set_enum (value, self->type);
      break;
    case PROP_NULLABLE:
      g_value_set_boolean (value, self->nullable);
      break;
    case PROP_REQUIRED:
      g_value_set_boolean (value, self->required);
      break;
    case PROP_DESCRIPTION:
      g_value_set_string (value, setl_schema_column_get_description (self));
      break;
    case PROP_HAS_DEFAULT:
      g_value_set_boolean (value, setl_schema_column_has_default (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
setl_schema_column_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  SetlSchemaColumn *self = SETL_SCHEMA_COLUMN (object);

  switch (prop_id)
    {
    case PROP_NAME:
      self->name = g_value_dup_string (value);
      break;
    case PROP_COLUMN_TYPE:
      self->type = g_value_get_enum (value);
      break;
    case PROP_NULLABLE:
      self->nullable = g_value_get_boolean (value);
      break;
    case PROP_REQUIRED:
      self->required = g_value_get_boolean (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
setl_schema_column_class_init (SetlSchemaColumnClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = setl_schema_column_finalize;
  object_class->get_property = setl_schema_column_get_property;
  object_class->set_property = setl_schema_column_set_property;

  /**
   * SetlSchemaColumn:name:
   *
   * The column's name, unique within its schema.
   */
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * SetlSchemaColumn:column-type:
   *
   * The type of the column's values.
   */
  properties[PROP_COLUMN_TYPE] =
    g_param_spec_enum ("column-type", NULL, NULL,
                       SETL_TYPE_SCHEMA_COLUMN_TYPE, SETL_SCHEMA_COLUMN_TYPE_STRING,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * SetlSchemaColumn:nullable:
   *
   * Whether the column may hold nulls.
   */
  properties[PROP_NULLABLE] =
    g_param_spec_boolean ("nullable", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * SetlSchemaColumn:required:
   *
   * Whether data must have the column at all.
   */
  properties[PROP_REQUIRED] =
    g_param_spec_boolean ("required", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * SetlSchemaColumn:description:
   *
   * The column's description, if the document gives one.
   */
  properties[PROP_DESCRIPTION] =
    g_param_spec_string ("description", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /**
   * SetlSchemaColumn:has-default:
   *
   * Whether the document gives the column a `default` value.
   */
  properties[PROP_HAS_DEFAULT] =
    g_param_spec_boolean ("has-default", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
setl_schema_column_init (SetlSchemaColumn *self)
{
  self->required = TRUE;
  self->checks = g_ptr_array_new_with_free_func (g_object_unref);
}

/**
 * setl_schema_column_new:
 * @name: the column's name
 * @type: the type of its values
 * @nullable: whether it may hold nulls
 * @required: whether data must have it
 *
 * Creates a column with no default value and no description.
 *
 * Returns: (transfer full): a new #SetlSchemaColumn
 */
SetlSchemaColumn *
setl_schema_column_new (const char           *name,
                        SetlSchemaColumnType  type,
                        gboolean              nullable,
                        gboolean              required)
{
  g_autoptr(JsonObject) object = NULL;

  g_return_val_if_fail (name != NULL && *name != '\0', NULL);

  object = json_object_new ();
  json_object_set_string_member (object, "name", name);
  json_object_set_string_member (object, "type", setl_schema_column_type_to_string (type));
  json_object_set_boolean_member (object, "nullable", nullable);
  json_object_set_boolean_member (object, "required", required);
  return _setl_schema_column_new_from_object (object, name, type, nullable, required);
}

SetlSchemaColumn *
_setl_schema_column_new_from_object (JsonObject           *object,
                                     const char           *name,
                                     SetlSchemaColumnType  type,
                                     gboolean              nullable,
                                     gboolean              required)
{
  SetlSchemaColumn *self;

  self = g_object_new (SETL_TYPE_SCHEMA_COLUMN,
                       "name", name,
                       "column-type", type,
                       "nullable", nullable,
                       "required", required,
                       NULL);
  self->object = json_object_ref (object);
  return self;
}

/**
 * setl_schema_column_get_name:
 * @self: a #SetlSchemaColumn
 *
 * Returns: (transfer none): the column's name
 */
const char *
setl_schema_column_get_name (SetlSchemaColumn *self)
{
  g_return_val_if_fail (SETL_IS_SCHEMA_COLUMN (self), NULL);
  return self->name;
}

/**
 * setl_schema_column_get_column_type:
 * @self: a #SetlSchemaColumn
 *
 * Returns: the type of the column's values
 */
SetlSchemaColumnType
setl_schema_column_get_column_type (SetlSchemaColumn *self)
{
  g_return_val_if_fail (SETL_IS_SCHEMA_COLUMN (self), SETL_SCHEMA_COLUMN_TYPE_STRING);
  return self->type;
}

/**
 * setl_schema_column_get_nullable:
 * @self: a #SetlSchemaColumn
 *
 * Returns: whether the column may hold nulls
 */
gboolean
setl_schema_column_get_nullable (SetlSchemaColumn *self)
{
  g_return_val_if_fail (SETL_IS_SCHEMA_COLUMN (self), FALSE);
  return self->nullable;
}

/**
 * setl_schema_column_get_required:
 * @self: a #SetlSchemaColumn
 *
 * Returns: whether data must have the column
 */
gboolean
setl_schema_column_get_required (SetlSchemaColumn *self)
{
  g_return_val_if_fail (SETL_IS_SCHEMA_COLUMN (self), TRUE);
  return self->required;
}

/**
 * setl_schema_column_get_description:
 * @self: a #SetlSchemaColumn
 *
 * Returns: (transfer none) (nullable): the column's description
 */
const char *
setl_schema_column_get_description (SetlSchemaColumn *self)
{
  g_return_val_if_fail (SETL_IS_SCHEMA_COLUMN (self), NULL);
  if (self->object == NULL)
    return NULL;
  return json_object_get_string_member_with_default (self->object, "description", NULL);
}

/**
 * setl_schema_column_has_default:
 * @self: a #SetlSchemaColumn
 *
 * A default value (even `null`) lets a reader fill the column in data that
 * lacks it.
 *
 * Returns: whether the document gives the column a `default`
 */
gboolean
setl_schema_column_has_default (SetlSchemaColumn *self)
{
  g_return_val_if_fail (SETL_IS_SCHEMA_COLUMN (self), FALSE);
  return self->object != NULL && json_object_has_member (self->object, "default");
}

/**
 * setl_schema_column_get_default:
 * @self: a #SetlSchemaColumn
 *
 * Returns: (transfer none) (nullable): the `default` member as written, or
 *   %NULL when there is none
 */
JsonNode *
setl_schema_column_get_default (SetlSchemaColumn *self)
{
  g_return_val_if_fail (SETL_IS_SCHEMA_COLUMN (self), NULL);
  if (self->object == NULL)
    return NULL;
  return json_object_get_member (self->object, "default");
}

/**
 * setl_schema_column_get_document:
 * @self: a #SetlSchemaColumn
 *
 * The column's object as the schema document has it, including members this
 * version of libsetl does not interpret. Do not modify it.
 *
 * Returns: (transfer none): the column's JSON object
 */
JsonObject *
setl_schema_column_get_document (SetlSchemaColumn *self)
{
  g_return_val_if_fail (SETL_IS_SCHEMA_COLUMN (self), NULL);
  return self->object;
}

/**
 * setl_schema_column_get_optional:
 * @self: a #SetlSchemaColumn
 *
 * A column is optional when a reader can do without it in the data: it is
 * nullable, has a default, or is not required. Compatibility rules rest on
 * this: adding or removing an optional column breaks no reader.
 *
 * Returns: whether the column is optional
 */
gboolean
setl_schema_column_get_optional (SetlSchemaColumn *self)
{
  g_return_val_if_fail (SETL_IS_SCHEMA_COLUMN (self), FALSE);
  return self->nullable || !self->required || setl_schema_column_has_default (self);
}

G_DEFINE_ENUM_TYPE (SetlSchemaReportDuplicates, setl_schema_report_duplicates,
  G_DEFINE_ENUM_VALUE (SETL_SCHEMA_REPORT_DUPLICATES_ALL, "all"),
  G_DEFINE_ENUM_VALUE (SETL_SCHEMA_REPORT_DUPLICATES_EXCLUDE_FIRST, "exclude_first"),
  G_DEFINE_ENUM_VALUE (SETL_SCHEMA_REPORT_DUPLICATES_EXCLUDE_LAST, "exclude_last"))

/* SetlSchemaColumnType predates SetlDataType and has the same values in the
 * same order; setl_schema_column_get_data_type() relies on it. */
G_STATIC_ASSERT ((int) SETL_SCHEMA_COLUMN_TYPE_BOOL == (int) SETL_DATA_TYPE_BOOL);
G_STATIC_ASSERT ((int) SETL_SCHEMA_COLUMN_TYPE_INT64 == (int) SETL_DATA_TYPE_INT64);
G_STATIC_ASSERT ((int) SETL_SCHEMA_COLUMN_TYPE_DOUBLE == (int) SETL_DATA_TYPE_DOUBLE);
G_STATIC_ASSERT ((int) SETL_SCHEMA_COLUMN_TYPE_STRING == (int) SETL_DATA_TYPE_STRING);
G_STATIC_ASSERT ((int) SETL_SCHEMA_COLUMN_TYPE_DATE == (int) SETL_DATA_TYPE_DATE32);
G_STATIC_ASSERT ((int) SETL_SCHEMA_COLUMN_TYPE_TIMESTAMP == (int) SETL_DATA_TYPE_TIMESTAMP);

void
_setl_schema_column_take_validation (SetlSchemaColumn           *self,
                                     SetlSchemaColumnValidation *validation)
{
  self->unique = validation->unique;
  self->coerce = validation->coerce;
  self->report_duplicates = validation->report_duplicates;
  g_clear_pointer (&self->checks, g_ptr_array_unref);
  self->checks = g_steal_pointer (&validation->checks);
}

/**
 * setl_schema_column_get_data_type:
 * @self: a #SetlSchemaColumn
 *
 * The column's type as the data plane spells it; the same value as
 * setl_schema_column_get_column_type(), which new code need not use.
 *
 * Returns: the column's #SetlDataType
 */
SetlDataType
setl_schema_column_get_data_type (SetlSchemaColumn *self)
{
  g_return_val_if_fail (SETL_IS_SCHEMA_COLUMN (self), SETL_DATA_TYPE_STRING);
  return (SetlDataType) self->type;
}

/**
 * setl_schema_column_get_unique:
 * @self: a #SetlSchemaColumn
 *
 * Returns: whether the column's values must be unique (`"unique": true`, or
 *   the Frictionless constraint `unique`); nulls are not compared
 */
gboolean
setl_schema_column_get_unique (SetlSchemaColumn *self)
{
  g_return_val_if_fail (SETL_IS_SCHEMA_COLUMN (self), FALSE);
  return self->unique;
}

/**
 * setl_schema_column_get_coerce:
 * @self: a #SetlSchemaColumn
 *
 * Returns: whether validation converts the column to its type
 *   (`"coerce": true`) rather than reporting a wrong type
 */
gboolean
setl_schema_column_get_coerce (SetlSchemaColumn *self)
{
  g_return_val_if_fail (SETL_IS_SCHEMA_COLUMN (self), FALSE);
  return self->coerce;
}

/**
 * setl_schema_column_get_report_duplicates:
 * @self: a #SetlSchemaColumn
 *
 * Returns: which repeated values a unique column reports
 */
SetlSchemaReportDuplicates
setl_schema_column_get_report_duplicates (SetlSchemaColumn *self)
{
  g_return_val_if_fail (SETL_IS_SCHEMA_COLUMN (self), SETL_SCHEMA_REPORT_DUPLICATES_ALL);
  return self->report_duplicates;
}

/**
 * setl_schema_column_get_checks:
 * @self: a #SetlSchemaColumn
 *
 * The column's checks in document order: its `checks` list, then those its
 * Frictionless `constraints` stand for (minimum as `ge`, maximum as `le`,
 * minLength/maxLength as `str_length`, pattern as `pattern`, enum as
 * `isin`).
 *
 * Returns: (transfer none) (element-type SetlSchemaCheck): the checks
 */
GPtrArray *
setl_schema_column_get_checks (SetlSchemaColumn *self)
{
  g_return_val_if_fail (SETL_IS_SCHEMA_COLUMN (self), NULL);
  return self->checks;
}
