/* setl-field.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/**
 * SetlField:
 *
 * The description of one column of a #SetlRecordBatch or #SetlTable: its
 * name, its #SetlDataType, whether it may hold nulls and, for timestamps,
 * the time zone its values are meant in (an IANA name such as
 * `Europe/Paris` or an offset such as `+02:00`; %NULL for a naive
 * timestamp). It maps one to one onto an Arrow field.
 *
 * A field is immutable, so batches and tables share their fields freely.
 *
 * |[<!-- language="C" -->
 * g_autoptr(SetlField) id = setl_field_new ("id", SETL_DATA_TYPE_INT64, FALSE);
 * g_autoptr(SetlField) at = setl_field_new_timestamp ("at", TRUE, "UTC");
 * ]|
 */
#include "setl-field.h"

struct _SetlField
{
  GObject parent_instance;

  char *name;
  SetlDataType data_type;
  gboolean nullable;
  char *timezone;
};

enum {
  PROP_0,
  PROP_NAME,
  PROP_DATA_TYPE,
  PROP_NULLABLE,
  PROP_TIMEZONE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (SetlField, setl_field, G_TYPE_OBJECT)

static void
setl_field_finalize (GObject *object)
{
  SetlField *self = SETL_FIELD (object);

  g_free (self->name);
  g_free (self->timezone);

  G_OBJECT_CLASS (setl_field_parent_class)->finalize (object);
}

static void
setl_field_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  SetlField *self = SETL_FIELD (object);

  switch (prop_id)
    {
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_DATA_TYPE:
      g_value_set_enum (value, self->data_type);
      break;
    case PROP_NULLABLE:
      g_value_set_boolean (value, self->nullable);
      break;
    case PROP_TIMEZONE:
      g_value_set_string (value, self->timezone);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
setl_field_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  SetlField *self = SETL_FIELD (object);

  switch (prop_id)
    {
    case PROP_NAME:
      self->name = g_value_dup_string (value);
      break;
    case PROP_DATA_TYPE:
      self->data_type = g_value_get_enum (value);
      break;
    case PROP_NULLABLE:
      self->nullable = g_value_get_boolean (value);
      break;
    case PROP_TIMEZONE:
      self->timezone = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
setl_field_constructed (GObject *object)
{
  SetlField *self = SETL_FIELD (object);

  G_OBJECT_CLASS (setl_field_parent_class)->constructed (object);

  if (self->name == NULL)
    self->name = g_strdup ("");
  /* A zone only means something on a timestamp; an empty zone is no zone,
   * as in Arrow's "tsu:". */
  if (self->data_type != SETL_DATA_TYPE_TIMESTAMP ||
      (self->timezone != NULL && self->timezone[0] == '\0'))
    g_clear_pointer (&self->timezone, g_free);
}

static void
setl_field_class_init (SetlFieldClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = setl_field_finalize;
  object_class->get_property = setl_field_get_property;
  object_class->set_property = setl_field_set_property;
  object_class->constructed = setl_field_constructed;

  /**
   * SetlField:name:
   *
   * The column's name.
   */
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * SetlField:data-type:
   *
   * The type of the column's values.
   */
  properties[PROP_DATA_TYPE] =
    g_param_spec_enum ("data-type", NULL, NULL,
                       SETL_TYPE_DATA_TYPE, SETL_DATA_TYPE_STRING,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * SetlField:nullable:
   *
   * Whether the column may hold nulls.
   */
  properties[PROP_NULLABLE] =
    g_param_spec_boolean ("nullable", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * SetlField:timezone:
   *
   * For a timestamp column, the time zone of its values, or %NULL.
   */
  properties[PROP_TIMEZONE] =
    g_param_spec_string ("timezone", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
setl_field_init (SetlField *self)
{
  self->nullable = TRUE;
  self->data_type = SETL_DATA_TYPE_STRING;
}

/**
 * setl_field_new:
 * @name: the column's name
 * @data_type: the type of its values
 * @nullable: whether it may hold nulls
 *
 * Returns: (transfer full): a new #SetlField (a timestamp without zone if
 *   @data_type is %SETL_DATA_TYPE_TIMESTAMP)
 */
SetlField *
setl_field_new (const char   *name,
                SetlDataType  data_type,
                gboolean      nullable)
{
  g_return_val_if_fail (name != NULL, NULL);

  return g_object_new (SETL_TYPE_FIELD,
                       "name", name,
                       "data-type", data_type,
                       "nullable", nullable,
                       NULL);
}

/**
 * setl_field_new_timestamp:
 * @name: the column's name
 * @nullable: whether it may hold nulls
 * @timezone: (nullable): the time zone of the values, or %NULL
 *
 * Returns: (transfer full): a new timestamp #SetlField
 */
SetlField *
setl_field_new_timestamp (const char *name,
                          gboolean    nullable,
                          const char *timezone)
{
  g_return_val_if_fail (name != NULL, NULL);

  return g_object_new (SETL_TYPE_FIELD,
                       "name", name,
                       "data-type", SETL_DATA_TYPE_TIMESTAMP,
                       "nullable", nullable,
                       "timezone", timezone,
                       NULL);
}

/**
 * setl_field_get_name:
 * @self: a #SetlField
 *
 * Returns: (transfer none): the column's name
 */
const char *
setl_field_get_name (SetlField *self)
{
  g_return_val_if_fail (SETL_IS_FIELD (self), NULL);
  return self->name;
}

/**
 * setl_field_get_data_type:
 * @self: a #SetlField
 *
 * Returns: the type of the column's values
 */
SetlDataType
setl_field_get_data_type (SetlField *self)
{
  g_return_val_if_fail (SETL_IS_FIELD (self), SETL_DATA_TYPE_STRING);
  return self->data_type;
}

/**
 * setl_field_get_nullable:
 * @self: a #SetlField
 *
 * Returns: whether the column may hold nulls
 */
gboolean
setl_field_get_nullable (SetlField *self)
{
  g_return_val_if_fail (SETL_IS_FIELD (self), TRUE);
  return self->nullable;
}

/**
 * setl_field_get_timezone:
 * @self: a #SetlField
 *
 * Returns: (transfer none) (nullable): the time zone of a timestamp
 *   column, or %NULL
 */
const char *
setl_field_get_timezone (SetlField *self)
{
  g_return_val_if_fail (SETL_IS_FIELD (self), NULL);
  return self->timezone;
}

/**
 * setl_field_with_name:
 * @self: a #SetlField
 * @name: the new name
 *
 * Fields are immutable; renaming a column makes a new field.
 *
 * Returns: (transfer full): a copy of @self called @name
 */
SetlField *
setl_field_with_name (SetlField  *self,
                      const char *name)
{
  g_return_val_if_fail (SETL_IS_FIELD (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  return g_object_new (SETL_TYPE_FIELD,
                       "name", name,
                       "data-type", self->data_type,
                       "nullable", self->nullable,
                       "timezone", self->timezone,
                       NULL);
}

/**
 * setl_field_equal:
 * @a: a #SetlField
 * @b: another #SetlField
 *
 * Returns: whether @a and @b have the same name, type, nullability and
 *   time zone
 */
gboolean
setl_field_equal (SetlField *a,
                  SetlField *b)
{
  g_return_val_if_fail (SETL_IS_FIELD (a), FALSE);
  g_return_val_if_fail (SETL_IS_FIELD (b), FALSE);

  return a == b ||
         (g_str_equal (a->name, b->name) &&
          a->data_type == b->data_type &&
          a->nullable == b->nullable &&
          g_strcmp0 (a->timezone, b->timezone) == 0);
}

/**
 * setl_field_to_string:
 * @self: a #SetlField
 *
 * Returns: (transfer full): a readable description such as
 *   `at: timestamp[UTC] not null`, for messages
 */
char *
setl_field_to_string (SetlField *self)
{
  g_return_val_if_fail (SETL_IS_FIELD (self), NULL);

  return g_strdup_printf ("%s: %s%s%s%s%s", self->name,
                          setl_data_type_to_string (self->data_type),
                          self->timezone ? "[" : "",
                          self->timezone ? self->timezone : "",
                          self->timezone ? "]" : "",
                          self->nullable ? "" : " not null");
}
