/* setl-check.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/**
 * SetlCheck:
 *
 * A named, parameterized check over the values of a column: `in_range`
 * with its bounds, `str_matches` with its pattern. Schemas refer to checks
 * by name; check-library plugins provide them, one #SetlCheck subclass per
 * feature of kind %SETL_FEATURE_KIND_CHECK_LIBRARY.
 *
 * A subclass says, in its class init, what the check is called and which
 * column types it applies to, and implements one of two virtual methods:
 *
 * - `check_value`, for an **element-wise** check: one value at a time, as a
 *   #GValue; the base class loops over the column. Simple to write, and
 *   what bindings (Python, GJS) implement.
 * - `check_column`, for a **vectorized** check: the whole column at once,
 *   reading its buffers directly (see setl_column_get_values_data()); it
 *   returns a bool column, %TRUE where the value passes.
 *
 * Either way, **nulls pass**: a check says nothing about missing values
 * (whether a column may hold nulls is the schema's business, as in
 * Pandera), and the base class turns every row that is null in the input
 * into a pass, so implementations never need to look at the validity
 * bitmap.
 *
 * The check's **parameters** are its #GObject properties, with types,
 * defaults, ranges and blurbs, so that the registry records them and
 * `setl inspect` shows them. `prepare` validates them — an empty interval,
 * a pattern that does not compile — and fails with an error naming the
 * check and the parameter (setl_check_set_parameter_error()). A check is
 * prepared again after any of its properties changes; call
 * setl_check_prepare() before sharing a check between threads.
 *
 * Every check also has three properties of the base class: #SetlCheck:mostly
 * (the fraction of non-null values that must pass, 1 by default),
 * #SetlCheck:level (whether a failure is an error or a warning) and
 * #SetlCheck:error-message (what to say instead of the default message).
 * The check itself only records them; the validation that runs it applies
 * them, with setl_check_passes() for `mostly`.
 *
 * Optionally, `synthesize` generates values that pass the check, for
 * synthetic test data, and `to_sql` writes the check as an SQL condition,
 * so that validation can run in the database the data is in
 * (setl_check_to_sql(), #SetlValidationQuery).
 *
 * |[<!-- language="C" -->
 * struct _MyPositive { SetlCheck parent; gboolean strict; };
 * G_DEFINE_FINAL_TYPE (MyPositive, my_positive, SETL_TYPE_CHECK)
 *
 * static gboolean
 * my_positive_check_value (SetlCheck *check, const GValue *value)
 * {
 *   gint64 v = g_value_get_int64 (value);
 *   return MY_POSITIVE (check)->strict ? v > 0 : v >= 0;
 * }
 *
 * static void
 * my_positive_class_init (MyPositiveClass *klass)
 * {
 *   SetlCheckClass *check_class = SETL_CHECK_CLASS (klass);
 *
 *   check_class->check_value = my_positive_check_value;
 *   setl_check_class_set_check_name (check_class, "positive");
 *   setl_check_class_add_supported_type (check_class, SETL_DATA_TYPE_INT64);
 *   // … install the "strict" property
 * }
 *
 * // Running it:
 * gint64 n_failed;
 * g_autoptr(GArray) rows = NULL;
 * if (!setl_check_run (check, column, &n_failed, &rows, &error))
 *   return FALSE;   // a parameter is wrong, or the type is not supported
 * ]|
 */
#include "setl-check.h"
#include "setl-private.h"
#include "setl-table-private.h"

#include <string.h>

G_DEFINE_ENUM_TYPE (SetlCheckLevel, setl_check_level,
  G_DEFINE_ENUM_VALUE (SETL_CHECK_LEVEL_ERROR, "error"),
  G_DEFINE_ENUM_VALUE (SETL_CHECK_LEVEL_WARNING, "warning"))

G_DEFINE_ENUM_TYPE (SetlCheckError, setl_check_error,
  G_DEFINE_ENUM_VALUE (SETL_CHECK_ERROR_INVALID_PARAMETER, "invalid-parameter"),
  G_DEFINE_ENUM_VALUE (SETL_CHECK_ERROR_UNSUPPORTED_TYPE, "unsupported-type"),
  G_DEFINE_ENUM_VALUE (SETL_CHECK_ERROR_INVALID_CHECK, "invalid-check"),
  G_DEFINE_ENUM_VALUE (SETL_CHECK_ERROR_FAILED, "failed"),
  G_DEFINE_ENUM_VALUE (SETL_CHECK_ERROR_NOT_SUPPORTED, "not-supported"))

G_DEFINE_QUARK (setl-check-error-quark, setl_check_error)

typedef struct
{
  double mostly;
  SetlCheckLevel level;
  char *error_message;

  /* Whether prepare() succeeded since the last property change. Read
   * without the lock on the fast path; the lock makes two threads that
   * both find it unset prepare once. */
  gint prepared;
  GMutex prepare_lock;
} SetlCheckPrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (SetlCheck, setl_check, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_MOSTLY,
  PROP_LEVEL,
  PROP_ERROR_MESSAGE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

#define ALL_TYPES_MASK ((1u << (SETL_DATA_TYPE_TIMESTAMP + 1)) - 1)

/* The name errors use: the check's, or its type's if it has none yet. */
static const char *
display_name (SetlCheck *self)
{
  const char *name = SETL_CHECK_GET_CLASS (self)->check_name;

  return name ? name : G_OBJECT_TYPE_NAME (self);
}

static GType
value_type_for (SetlDataType type)
{
  switch (type)
    {
    case SETL_DATA_TYPE_BOOL: return G_TYPE_BOOLEAN;
    case SETL_DATA_TYPE_INT64: return G_TYPE_INT64;
    case SETL_DATA_TYPE_DOUBLE: return G_TYPE_DOUBLE;
    case SETL_DATA_TYPE_STRING: return G_TYPE_STRING;
    case SETL_DATA_TYPE_DATE32: return G_TYPE_INT;
    case SETL_DATA_TYPE_TIMESTAMP: return G_TYPE_INT64;
    default: return G_TYPE_INVALID;
    }
}

static inline gboolean
bit_is_set (const guint8 *bits,
            gint64        i)
{
  return (bits[i >> 3] >> (i & 7)) & 1;
}

/* A zeroed bitmap for @length bits, aligned and padded as the builder's. */
static guint8 *
bits_new (gint64  length,
          gsize  *size)
{
  gsize bytes = (gsize) (length + 7) / 8;

  *size = MAX ((bytes + SETL_BUFFER_ALIGNMENT - 1) / SETL_BUFFER_ALIGNMENT, 1)
          * SETL_BUFFER_ALIGNMENT;
  return g_aligned_alloc0 (1, *size, SETL_BUFFER_ALIGNMENT);
}

/* A bool column without nulls over @bits (taken). */
static SetlColumn *
bool_column_take (guint8 *bits,
                  gsize   size,
                  gint64  length)
{
  GBytes *values = g_bytes_new_with_free_func (bits, size, g_aligned_free, bits);

  return _setl_column_new_take (SETL_DATA_TYPE_BOOL, length, 0, 0, NULL, values, NULL);
}

/* The element-wise loop: the default check_column. */
static SetlColumn *
setl_check_real_check_column (SetlCheck   *self,
                              SetlColumn  *column,
                              GError     **error)
{
  SetlCheckClass *klass = SETL_CHECK_GET_CLASS (self);
  SetlDataType type = setl_column_get_data_type (column);
  gint64 length = setl_column_get_length (column);
  gboolean has_nulls = setl_column_get_null_count (column) > 0;
  g_auto(GValue) value = G_VALUE_INIT;
  g_autoptr(GString) scratch = NULL;
  guint8 *bits;
  gsize size;

  if (klass->check_value == NULL)
    {
      g_set_error (error, SETL_CHECK_ERROR, SETL_CHECK_ERROR_INVALID_CHECK,
                   "Check “%s” (%s) implements neither check_column nor check_value",
                   display_name (self), G_OBJECT_TYPE_NAME (self));
      return NULL;
    }

  bits = bits_new (length, &size);
  g_value_init (&value, value_type_for (type));
  if (type == SETL_DATA_TYPE_STRING)
    scratch = g_string_sized_new (64);

  for (gint64 i = 0; i < length; i++)
    {
      gboolean pass = TRUE;

      if (!has_nulls || !setl_column_is_null (column, i))
        {
          switch (type)
            {
            case SETL_DATA_TYPE_BOOL:
              g_value_set_boolean (&value, setl_column_get_bool (column, i));
              break;
            case SETL_DATA_TYPE_INT64:
              g_value_set_int64 (&value, setl_column_get_int64 (column, i));
              break;
            case SETL_DATA_TYPE_DOUBLE:
              g_value_set_double (&value, setl_column_get_double (column, i));
              break;
            case SETL_DATA_TYPE_STRING:
              {
                gsize n;
                const char *s = setl_column_get_string (column, i, &n);

                /* One buffer for every value rather than a copy each:
                 * the value is only valid during the call. */
                g_string_truncate (scratch, 0);
                g_string_append_len (scratch, s, (gssize) n);
                g_value_set_static_string (&value, scratch->str);
              }
              break;
            case SETL_DATA_TYPE_DATE32:
              g_value_set_int (&value, setl_column_get_date32 (column, i));
              break;
            case SETL_DATA_TYPE_TIMESTAMP:
              g_value_set_int64 (&value, setl_column_get_timestamp (column, i));
              break;
            default:
              g_assert_not_reached ();
            }
          pass = klass->check_value (self, &value);
        }
      if (pass)
        bits[i >> 3] |= (guint8) (1u << (i & 7));
    }

  return bool_column_take (bits, size, length);
}

static void
setl_check_dispatch_properties_changed (GObject     *object,
                                        guint        n_pspecs,
                                        GParamSpec **pspecs)
{
  SetlCheckPrivate *priv = setl_check_get_instance_private (SETL_CHECK (object));

  /* A changed parameter must be validated again before the next run. */
  for (guint i = 0; i < n_pspecs; i++)
    if (pspecs[i]->owner_type != SETL_TYPE_CHECK)
      {
        g_atomic_int_set (&priv->prepared, FALSE);
        break;
      }

  G_OBJECT_CLASS (setl_check_parent_class)->dispatch_properties_changed (object, n_pspecs, pspecs);
}

static void
setl_check_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  SetlCheck *self = SETL_CHECK (object);
  SetlCheckPrivate *priv = setl_check_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_MOSTLY:
      g_value_set_double (value, priv->mostly);
      break;
    case PROP_LEVEL:
      g_value_set_enum (value, priv->level);
      break;
    case PROP_ERROR_MESSAGE:
      g_value_set_string (value, priv->error_message);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
setl_check_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  SetlCheck *self = SETL_CHECK (object);

  switch (prop_id)
    {
    case PROP_MOSTLY:
      setl_check_set_mostly (self, g_value_get_double (value));
      break;
    case PROP_LEVEL:
      setl_check_set_level (self, g_value_get_enum (value));
      break;
    case PROP_ERROR_MESSAGE:
      setl_check_set_error_message (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
setl_check_finalize (GObject *object)
{
  SetlCheckPrivate *priv = setl_check_get_instance_private (SETL_CHECK (object));

  g_free (priv->error_message);
  g_mutex_clear (&priv->prepare_lock);

  G_OBJECT_CLASS (setl_check_parent_class)->finalize (object);
}

static void
setl_check_class_init (SetlCheckClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = setl_check_get_property;
  object_class->set_property = setl_check_set_property;
  object_class->dispatch_properties_changed = setl_check_dispatch_properties_changed;
  object_class->finalize = setl_check_finalize;

  klass->check_column = setl_check_real_check_column;

  /**
   * SetlCheck:mostly:
   *
   * The fraction of the non-null values that must pass for the check to
   * pass (Great Expectations' `mostly`): 1, the default, means every one.
   */
  properties[PROP_MOSTLY] =
    g_param_spec_double ("mostly", "Mostly",
                         "Fraction of the non-null values that must pass",
                         0.0, 1.0, 1.0,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * SetlCheck:level:
   *
   * Whether a failure of this check makes the data invalid
   * (%SETL_CHECK_LEVEL_ERROR, the default) or is only reported.
   */
  properties[PROP_LEVEL] =
    g_param_spec_enum ("level", "Level",
                       "Whether a failure is an error or a warning",
                       SETL_TYPE_CHECK_LEVEL, SETL_CHECK_LEVEL_ERROR,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * SetlCheck:error-message:
   *
   * What a failure report says instead of its default message, or %NULL.
   */
  properties[PROP_ERROR_MESSAGE] =
    g_param_spec_string ("error-message", "Error message",
                         "What a failure report says instead of the default message",
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
setl_check_init (SetlCheck *self)
{
  SetlCheckPrivate *priv = setl_check_get_instance_private (self);

  priv->mostly = 1.0;
  priv->level = SETL_CHECK_LEVEL_ERROR;
  g_mutex_init (&priv->prepare_lock);
}

/**
 * setl_check_class_set_check_name:
 * @klass: a #SetlCheckClass
 * @name: the check's name, as schemas spell it: lower case, digits and
 *   underscores (`in_range`, `str_matches`)
 *
 * Names the checks of this class. Call it from the class init function.
 */
void
setl_check_class_set_check_name (SetlCheckClass *klass,
                                 const char     *name)
{
  g_return_if_fail (SETL_IS_CHECK_CLASS (klass));
  g_return_if_fail (name != NULL && *name != '\0');

  klass->check_name = g_intern_string (name);
}

/**
 * setl_check_class_add_supported_type:
 * @klass: a #SetlCheckClass
 * @type: a column type the check applies to
 *
 * Declares that checks of this class run on columns of @type. Call it from
 * the class init function, once per type. A subclass inherits its parent's
 * types.
 */
void
setl_check_class_add_supported_type (SetlCheckClass *klass,
                                     SetlDataType    type)
{
  g_return_if_fail (SETL_IS_CHECK_CLASS (klass));
  g_return_if_fail ((guint) type <= SETL_DATA_TYPE_TIMESTAMP);

  klass->supported_types |= 1u << type;
}

/**
 * setl_check_get_check_name:
 * @self: a #SetlCheck
 *
 * Returns: (nullable): the check's name (`in_range`), %NULL if its class
 *   gives none (setl_check_prepare() then fails)
 */
const char *
setl_check_get_check_name (SetlCheck *self)
{
  g_return_val_if_fail (SETL_IS_CHECK (self), NULL);
  return SETL_CHECK_GET_CLASS (self)->check_name;
}

/**
 * setl_check_get_supported_types:
 * @self: a #SetlCheck
 * @n_types: (out) (optional): where to store the number of types
 *
 * Returns: (array length=n_types) (transfer full): the column types the
 *   check applies to, in #SetlDataType order
 */
SetlDataType *
setl_check_get_supported_types (SetlCheck *self,
                                guint     *n_types)
{
  guint32 mask;
  SetlDataType *types;
  guint n = 0;

  g_return_val_if_fail (SETL_IS_CHECK (self), NULL);

  mask = SETL_CHECK_GET_CLASS (self)->supported_types & ALL_TYPES_MASK;
  types = g_new (SetlDataType, SETL_DATA_TYPE_TIMESTAMP + 1);
  for (guint t = 0; t <= SETL_DATA_TYPE_TIMESTAMP; t++)
    if (mask & (1u << t))
      types[n++] = (SetlDataType) t;
  if (n_types)
    *n_types = n;
  return types;
}

/**
 * setl_check_supports_type:
 * @self: a #SetlCheck
 * @type: a column type
 *
 * Returns: whether the check runs on columns of @type
 */
gboolean
setl_check_supports_type (SetlCheck    *self,
                          SetlDataType  type)
{
  g_return_val_if_fail (SETL_IS_CHECK (self), FALSE);

  return (guint) type <= SETL_DATA_TYPE_TIMESTAMP &&
         (SETL_CHECK_GET_CLASS (self)->supported_types & (1u << type)) != 0;
}

/**
 * setl_check_is_vectorized:
 * @self: a #SetlCheck
 *
 * Returns: %TRUE if the check runs over a whole column (it implements
 *   `check_column`), %FALSE if it is element-wise (`check_value`)
 */
gboolean
setl_check_is_vectorized (SetlCheck *self)
{
  g_return_val_if_fail (SETL_IS_CHECK (self), FALSE);
  return SETL_CHECK_GET_CLASS (self)->check_column != setl_check_real_check_column;
}

/**
 * setl_check_can_synthesize:
 * @self: a #SetlCheck
 *
 * Returns: whether the check can generate values that pass it
 *   (setl_check_synthesize())
 */
gboolean
setl_check_can_synthesize (SetlCheck *self)
{
  g_return_val_if_fail (SETL_IS_CHECK (self), FALSE);
  return SETL_CHECK_GET_CLASS (self)->synthesize != NULL;
}

/**
 * setl_check_can_compile_to_sql:
 * @self: a #SetlCheck
 *
 * Returns: whether the check implements `to_sql`, so that validation can
 *   run it in a database (setl_check_to_sql())
 */
gboolean
setl_check_can_compile_to_sql (SetlCheck *self)
{
  g_return_val_if_fail (SETL_IS_CHECK (self), FALSE);
  return SETL_CHECK_GET_CLASS (self)->to_sql != NULL;
}

/**
 * setl_check_to_sql:
 * @self: a #SetlCheck
 * @dialect: the SQL dialect: "sqlite" or "postgresql"
 * @column: the column, as an SQL expression (a quoted identifier)
 * @error: return location for a #GError
 *
 * The check as an SQL boolean expression over @column, true where a value
 * that is not null passes, for validation pushed down to a database. The
 * check is prepared first, so its parameters are valid.
 *
 * Returns: (transfer full) (nullable): the expression, or %NULL with
 *   @error set if the check does not implement `to_sql`, its parameters
 *   are wrong, or it cannot be written in @dialect
 */
static gboolean ensure_prepared (SetlCheck  *self,
                                 GError    **error);

char *
setl_check_to_sql (SetlCheck   *self,
                   const char  *dialect,
                   const char  *column,
                   GError     **error)
{
  SetlCheckClass *klass;
  GError *local = NULL;
  char *sql;

  g_return_val_if_fail (SETL_IS_CHECK (self), NULL);
  g_return_val_if_fail (dialect != NULL, NULL);
  g_return_val_if_fail (column != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  klass = SETL_CHECK_GET_CLASS (self);
  if (klass->to_sql == NULL)
    {
      g_set_error (error, SETL_CHECK_ERROR, SETL_CHECK_ERROR_NOT_SUPPORTED,
                   "Check “%s” (%s) cannot be written in SQL", setl_check_get_check_name (self),
                   G_OBJECT_TYPE_NAME (self));
      return NULL;
    }
  if (!ensure_prepared (self, error))
    return NULL;
  sql = klass->to_sql (self, dialect, column, &local);
  if (sql == NULL)
    {
      if (local == NULL)
        g_set_error (&local, SETL_CHECK_ERROR, SETL_CHECK_ERROR_NOT_SUPPORTED,
                     "Check “%s” (%s) cannot be written in the %s dialect of SQL",
                     setl_check_get_check_name (self), G_OBJECT_TYPE_NAME (self), dialect);
      g_propagate_error (error, local);
      return NULL;
    }
  g_clear_error (&local);
  return sql;
}

/**
 * setl_check_get_mostly:
 * @self: a #SetlCheck
 *
 * Returns: the value of #SetlCheck:mostly
 */
double
setl_check_get_mostly (SetlCheck *self)
{
  SetlCheckPrivate *priv = setl_check_get_instance_private (self);

  g_return_val_if_fail (SETL_IS_CHECK (self), 1.0);
  return priv->mostly;
}

/**
 * setl_check_set_mostly:
 * @self: a #SetlCheck
 * @mostly: the fraction of non-null values that must pass, from 0 to 1
 */
void
setl_check_set_mostly (SetlCheck *self,
                       double     mostly)
{
  SetlCheckPrivate *priv = setl_check_get_instance_private (self);

  g_return_if_fail (SETL_IS_CHECK (self));
  g_return_if_fail (mostly >= 0.0 && mostly <= 1.0);

  if (priv->mostly == mostly)
    return;
  priv->mostly = mostly;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MOSTLY]);
}

/**
 * setl_check_get_level:
 * @self: a #SetlCheck
 *
 * Returns: the value of #SetlCheck:level
 */
SetlCheckLevel
setl_check_get_level (SetlCheck *self)
{
  SetlCheckPrivate *priv = setl_check_get_instance_private (self);

  g_return_val_if_fail (SETL_IS_CHECK (self), SETL_CHECK_LEVEL_ERROR);
  return priv->level;
}

/**
 * setl_check_set_level:
 * @self: a #SetlCheck
 * @level: whether a failure is an error or a warning
 */
void
setl_check_set_level (SetlCheck      *self,
                      SetlCheckLevel  level)
{
  SetlCheckPrivate *priv = setl_check_get_instance_private (self);

  g_return_if_fail (SETL_IS_CHECK (self));
  g_return_if_fail (level == SETL_CHECK_LEVEL_ERROR || level == SETL_CHECK_LEVEL_WARNING);

  if (priv->level == level)
    return;
  priv->level = level;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LEVEL]);
}

/**
 * setl_check_get_error_message:
 * @self: a #SetlCheck
 *
 * Returns: (nullable): the value of #SetlCheck:error-message
 */
const char *
setl_check_get_error_message (SetlCheck *self)
{
  SetlCheckPrivate *priv = setl_check_get_instance_private (self);

  g_return_val_if_fail (SETL_IS_CHECK (self), NULL);
  return priv->error_message;
}

/**
 * setl_check_set_error_message:
 * @self: a #SetlCheck
 * @message: (nullable): what a failure report says, %NULL for the default
 */
void
setl_check_set_error_message (SetlCheck  *self,
                              const char *message)
{
  SetlCheckPrivate *priv = setl_check_get_instance_private (self);

  g_return_if_fail (SETL_IS_CHECK (self));

  if (_setl_set_str (&priv->error_message, message))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR_MESSAGE]);
}

/* What makes a class usable, whatever its parameters. */
static gboolean
validate_class (SetlCheck  *self,
                GError    **error)
{
  SetlCheckClass *klass = SETL_CHECK_GET_CLASS (self);

  if (klass->check_name == NULL)
    {
      g_set_error (error, SETL_CHECK_ERROR, SETL_CHECK_ERROR_INVALID_CHECK,
                   "Check %s has no name (setl_check_class_set_check_name())",
                   G_OBJECT_TYPE_NAME (self));
      return FALSE;
    }
  if ((klass->supported_types & ALL_TYPES_MASK) == 0)
    {
      g_set_error (error, SETL_CHECK_ERROR, SETL_CHECK_ERROR_INVALID_CHECK,
                   "Check “%s” (%s) supports no column type "
                   "(setl_check_class_add_supported_type())",
                   klass->check_name, G_OBJECT_TYPE_NAME (self));
      return FALSE;
    }
  if (klass->check_column == setl_check_real_check_column && klass->check_value == NULL)
    {
      g_set_error (error, SETL_CHECK_ERROR, SETL_CHECK_ERROR_INVALID_CHECK,
                   "Check “%s” (%s) implements neither check_column nor check_value",
                   klass->check_name, G_OBJECT_TYPE_NAME (self));
      return FALSE;
    }
  return TRUE;
}

/* Runs the class's prepare; the caller holds prepare_lock. */
static gboolean
prepare_locked (SetlCheck  *self,
                GError    **error)
{
  SetlCheckPrivate *priv = setl_check_get_instance_private (self);
  SetlCheckClass *klass = SETL_CHECK_GET_CLASS (self);
  GError *local = NULL;
  gboolean ok;

  if (!validate_class (self, error))
    return FALSE;

  ok = klass->prepare ? klass->prepare (self, &local) : TRUE;
  if (!ok && local == NULL)
    g_set_error (&local, SETL_CHECK_ERROR, SETL_CHECK_ERROR_FAILED,
                 "Check “%s” (%s) cannot run, and does not say why",
                 klass->check_name, G_OBJECT_TYPE_NAME (self));
  else if (ok)
    g_clear_error (&local);   /* an error set with success is spurious */
  g_atomic_int_set (&priv->prepared, ok);

  if (local != NULL)
    g_propagate_error (error, local);
  return ok;
}

/**
 * setl_check_prepare:
 * @self: a #SetlCheck
 * @error: return location for a #GError
 *
 * Validates the check's parameters. Running a check prepares it first if
 * needed; call this to find a wrong parameter early (when a schema loads),
 * and before running one check from several threads at once.
 *
 * Returns: %TRUE if the check can run; %FALSE with @error set otherwise:
 *   %SETL_CHECK_ERROR_INVALID_PARAMETER naming the check and the parameter,
 *   or %SETL_CHECK_ERROR_INVALID_CHECK for an incomplete check class
 */
gboolean
setl_check_prepare (SetlCheck  *self,
                    GError    **error)
{
  SetlCheckPrivate *priv = setl_check_get_instance_private (self);
  gboolean ok;

  g_return_val_if_fail (SETL_IS_CHECK (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  g_mutex_lock (&priv->prepare_lock);
  ok = prepare_locked (self, error);
  g_mutex_unlock (&priv->prepare_lock);
  return ok;
}

static gboolean
ensure_prepared (SetlCheck  *self,
                 GError    **error)
{
  SetlCheckPrivate *priv = setl_check_get_instance_private (self);
  gboolean ok = TRUE;

  if (g_atomic_int_get (&priv->prepared))
    return TRUE;
  /* Checked again under the lock: of two threads that found the check
   * unprepared, the second finds it prepared by the first. */
  g_mutex_lock (&priv->prepare_lock);
  if (!g_atomic_int_get (&priv->prepared))
    ok = prepare_locked (self, error);
  g_mutex_unlock (&priv->prepare_lock);
  return ok;
}

static gboolean
check_type (SetlCheck     *self,
            SetlDataType   type,
            GError       **error)
{
  g_autoptr(GString) names = NULL;
  g_autofree SetlDataType *types = NULL;
  guint n;

  if (setl_check_supports_type (self, type))
    return TRUE;

  types = setl_check_get_supported_types (self, &n);
  names = g_string_new (NULL);
  for (guint i = 0; i < n; i++)
    g_string_append_printf (names, "%s%s", i ? ", " : "", setl_data_type_to_string (types[i]));
  g_set_error (error, SETL_CHECK_ERROR, SETL_CHECK_ERROR_UNSUPPORTED_TYPE,
               "Check “%s” does not apply to %s columns (it takes: %s)",
               display_name (self), setl_data_type_to_string (type), names->str);
  return FALSE;
}

/* Checks what a vectorized implementation returned, and makes the rows
 * that are null in @column (or in the result) pass. */
static SetlColumn *
finish_result (SetlCheck   *self,
               SetlColumn  *column,
               SetlColumn  *result,
               GError     **error)
{
  gint64 length = setl_column_get_length (column);
  const guint8 *in_valid, *out_valid, *out_values;
  gint64 in_offset, out_offset;
  guint8 *bits;
  gsize size;

  if (setl_column_get_data_type (result) != SETL_DATA_TYPE_BOOL ||
      setl_column_get_length (result) != length)
    {
      g_set_error (error, SETL_CHECK_ERROR, SETL_CHECK_ERROR_FAILED,
                   "Check “%s” (%s) returned a %s column of %" G_GINT64_FORMAT
                   " rows for a column of %" G_GINT64_FORMAT " rows; "
                   "a bool column of the same length is expected",
                   display_name (self), G_OBJECT_TYPE_NAME (self),
                   setl_data_type_to_string (setl_column_get_data_type (result)),
                   setl_column_get_length (result), length);
      g_object_unref (result);
      return NULL;
    }
  if (setl_column_get_null_count (column) == 0 && setl_column_get_null_count (result) == 0)
    return result;

  in_valid = setl_column_get_null_count (column) > 0 ? setl_column_get_validity_bitmap (column) : NULL;
  out_valid = setl_column_get_null_count (result) > 0 ? setl_column_get_validity_bitmap (result) : NULL;
  out_values = setl_column_get_values_data (result);
  in_offset = setl_column_get_offset (column);
  out_offset = setl_column_get_offset (result);

  bits = bits_new (length, &size);
  for (gint64 i = 0; i < length; i++)
    {
      gboolean pass = (in_valid && !bit_is_set (in_valid, in_offset + i)) ||
                      (out_valid && !bit_is_set (out_valid, out_offset + i)) ||
                      bit_is_set (out_values, out_offset + i);
      if (pass)
        bits[i >> 3] |= (guint8) (1u << (i & 7));
    }
  g_object_unref (result);
  return bool_column_take (bits, size, length);
}

/**
 * setl_check_check_column:
 * @self: a #SetlCheck
 * @column: the column to check, of a type the check supports
 * @error: return location for a #GError
 *
 * Runs the check over every value of @column, preparing it first if one of
 * its properties changed since it was last prepared.
 *
 * Returns: (transfer full): a bool column as long as @column, without
 *   nulls: %TRUE where the value passes, and where it is null; %NULL with
 *   @error set if a parameter is wrong, @column's type is not supported or
 *   the check cannot run
 */
SetlColumn *
setl_check_check_column (SetlCheck   *self,
                         SetlColumn  *column,
                         GError     **error)
{
  SetlCheckClass *klass;
  SetlColumn *result;
  GError *local = NULL;

  g_return_val_if_fail (SETL_IS_CHECK (self), NULL);
  g_return_val_if_fail (SETL_IS_COLUMN (column), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!check_type (self, setl_column_get_data_type (column), error) ||
      !ensure_prepared (self, error))
    return NULL;

  klass = SETL_CHECK_GET_CLASS (self);
  result = klass->check_column (self, column, &local);
  if (result == NULL)
    {
      if (local == NULL)
        g_set_error (&local, SETL_CHECK_ERROR, SETL_CHECK_ERROR_FAILED,
                     "Check “%s” (%s) returned no result, and does not say why",
                     display_name (self), G_OBJECT_TYPE_NAME (self));
      g_propagate_error (error, local);
      return NULL;
    }
  if (local != NULL)
    g_clear_error (&local);
  if (klass->check_column == setl_check_real_check_column)
    return result;   /* built here: right shape, nulls already pass */
  return finish_result (self, column, result, error);
}

/**
 * setl_check_run:
 * @self: a #SetlCheck
 * @column: the column to check
 * @n_failed: (out) (optional): where to store how many values fail
 * @failure_indices: (out) (optional) (transfer full) (element-type gint64):
 *   where to store the rows (positions in @column, in increasing order) of
 *   the values that fail
 * @error: return location for a #GError
 *
 * Runs the check over @column and counts the values that fail. Whether
 * the check passes as a whole also depends on #SetlCheck:mostly: see
 * setl_check_passes(), with the number of non-null values of @column.
 *
 * Returns: %TRUE if the check ran (whether values failed or not); %FALSE
 *   with @error set as for setl_check_check_column()
 */
gboolean
setl_check_run (SetlCheck   *self,
                SetlColumn  *column,
                gint64      *n_failed,
                GArray     **failure_indices,
                GError     **error)
{
  g_autoptr(SetlColumn) result = NULL;
  const guint8 *values;
  gint64 length, offset, failed;

  g_return_val_if_fail (SETL_IS_CHECK (self), FALSE);
  g_return_val_if_fail (SETL_IS_COLUMN (column), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  result = setl_check_check_column (self, column, error);
  if (result == NULL)
    return FALSE;

  length = setl_column_get_length (result);
  offset = setl_column_get_offset (result);
  values = setl_column_get_values_data (result);
  failed = length - (length > 0 ? _setl_bitmap_count_set (values, offset, length) : 0);

  if (n_failed)
    *n_failed = failed;
  if (failure_indices)
    {
      GArray *rows = g_array_sized_new (FALSE, FALSE, sizeof (gint64), (guint) MIN (failed, G_MAXUINT));

      gint64 i = 0;

      /* Bit by bit up to a byte boundary, then a byte of passes (0xff) at
       * a time: most rows pass. */
      for (; i < length && ((offset + i) & 7) != 0 && (gint64) rows->len < failed; i++)
        if (!bit_is_set (values, offset + i))
          g_array_append_val (rows, i);
      while (i < length && (gint64) rows->len < failed)
        {
          guint8 byte = values[(offset + i) >> 3];

          if (byte == 0xff && i + 8 <= length)
            {
              i += 8;
              continue;
            }
          for (gint64 end = MIN (i + 8, length); i < end; i++)
            if (!(byte >> ((offset + i) & 7) & 1))
              g_array_append_val (rows, i);
        }
      *failure_indices = rows;
    }
  return TRUE;
}

/**
 * setl_check_passes:
 * @self: a #SetlCheck
 * @n_failed: how many values failed
 * @n_checked: how many values were checked (the non-null ones)
 *
 * Applies #SetlCheck:mostly: the check passes when at least that fraction
 * of the @n_checked values passed. With no value checked, it passes.
 * Counts can add up over the batches of a stream.
 *
 * Returns: whether the check passes as a whole
 */
gboolean
setl_check_passes (SetlCheck *self,
                   gint64     n_failed,
                   gint64     n_checked)
{
  SetlCheckPrivate *priv = setl_check_get_instance_private (self);

  g_return_val_if_fail (SETL_IS_CHECK (self), FALSE);
  g_return_val_if_fail (n_failed >= 0 && n_failed <= n_checked, FALSE);

  if (n_failed == 0)
    return TRUE;
  /* The tolerance absorbs rounding in mostly × n (0.9 × 10 must allow 1). */
  return (double) (n_checked - n_failed) >= priv->mostly * (double) n_checked - 1e-9 * (double) n_checked;
}

/**
 * setl_check_synthesize:
 * @self: a #SetlCheck
 * @type: the type of the value to make, one the check supports
 * @rand: the random number generator to draw from
 * @value: (out caller-allocates): an uninitialised #GValue
 * @error: return location for a #GError
 *
 * Makes a value that passes the check, for synthetic data. @value holds
 * the #GType that setl_column_get_value() gives for @type: %G_TYPE_BOOLEAN,
 * %G_TYPE_INT64 (int64, timestamp), %G_TYPE_DOUBLE, %G_TYPE_STRING or
 * %G_TYPE_INT (date32).
 *
 * Returns: %TRUE with @value set; %FALSE with @error set
 *   (%SETL_CHECK_ERROR_NOT_SUPPORTED if the check cannot synthesize) and
 *   @value left uninitialised
 */
gboolean
setl_check_synthesize (SetlCheck     *self,
                       SetlDataType   type,
                       GRand         *rand,
                       GValue        *value,
                       GError       **error)
{
  SetlCheckClass *klass;
  GError *local = NULL;

  g_return_val_if_fail (SETL_IS_CHECK (self), FALSE);
  g_return_val_if_fail (rand != NULL, FALSE);
  g_return_val_if_fail (value != NULL && !G_IS_VALUE (value), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  klass = SETL_CHECK_GET_CLASS (self);
  if (!check_type (self, type, error) || !ensure_prepared (self, error))
    return FALSE;
  if (klass->synthesize == NULL)
    {
      g_set_error (error, SETL_CHECK_ERROR, SETL_CHECK_ERROR_NOT_SUPPORTED,
                   "Check “%s” cannot synthesize values", display_name (self));
      return FALSE;
    }
  if (!klass->synthesize (self, type, rand, value, &local))
    {
      if (G_IS_VALUE (value))
        g_value_unset (value);
      if (local == NULL)
        g_set_error (&local, SETL_CHECK_ERROR, SETL_CHECK_ERROR_FAILED,
                     "Check “%s” cannot synthesize a %s value, and does not say why",
                     display_name (self), setl_data_type_to_string (type));
      g_propagate_error (error, local);
      return FALSE;
    }
  g_clear_error (&local);
  if (!G_VALUE_HOLDS (value, value_type_for (type)))
    {
      g_set_error (error, SETL_CHECK_ERROR, SETL_CHECK_ERROR_FAILED,
                   "Check “%s” synthesized a %s for a %s column, not a %s",
                   display_name (self),
                   G_IS_VALUE (value) ? G_VALUE_TYPE_NAME (value) : "nothing",
                   setl_data_type_to_string (type), g_type_name (value_type_for (type)));
      if (G_IS_VALUE (value))
        g_value_unset (value);
      return FALSE;
    }
  return TRUE;
}

/**
 * setl_check_describe:
 * @self: a #SetlCheck
 *
 * Describes the check with its parameters, for reports and messages:
 * `in_range(min-value=1, max-value=5)`. The base class's properties
 * (#SetlCheck:mostly…) are left out.
 *
 * Returns: (transfer full): the description
 */
char *
setl_check_describe (SetlCheck *self)
{
  g_autofree GParamSpec **pspecs = NULL;
  GString *out;
  guint n = 0, shown = 0;

  g_return_val_if_fail (SETL_IS_CHECK (self), NULL);

  out = g_string_new (display_name (self));
  g_string_append_c (out, '(');
  pspecs = g_object_class_list_properties (G_OBJECT_GET_CLASS (self), &n);
  for (guint i = 0; i < n; i++)
    {
      g_auto(GValue) value = G_VALUE_INIT;
      g_autofree char *text = NULL;

      if (pspecs[i]->owner_type == SETL_TYPE_CHECK ||
          !g_type_is_a (pspecs[i]->owner_type, SETL_TYPE_CHECK) ||
          !(pspecs[i]->flags & G_PARAM_READABLE))
        continue;
      g_value_init (&value, pspecs[i]->value_type);
      g_object_get_property (G_OBJECT (self), pspecs[i]->name, &value);
      text = g_strdup_value_contents (&value);
      g_string_append_printf (out, "%s%s=%s", shown++ ? ", " : "", pspecs[i]->name, text);
    }
  g_string_append_c (out, ')');
  return g_string_free (out, FALSE);
}

/**
 * setl_check_set_parameter_error: (skip)
 * @self: the #SetlCheck whose parameter is wrong
 * @error: return location for a #GError
 * @parameter: the name of the property that is wrong
 * @format: printf()-style format of what is wrong with it
 * @...: arguments for @format
 *
 * Sets @error to %SETL_CHECK_ERROR_INVALID_PARAMETER with a message naming
 * the check and the parameter, for `prepare` implementations:
 *
 * |[<!-- language="C" -->
 * setl_check_set_parameter_error (check, error, "max-value",
 *                                 "%g is below min-value %g", max, min);
 * // Check “in_range”: parameter “max-value”: 1 is below min-value 5
 * ]|
 */
void
setl_check_set_parameter_error (SetlCheck   *self,
                                GError     **error,
                                const char  *parameter,
                                const char  *format,
                                ...)
{
  g_autofree char *what = NULL;
  va_list args;

  g_return_if_fail (SETL_IS_CHECK (self));
  g_return_if_fail (parameter != NULL && format != NULL);

  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, SETL_CHECK_ERROR, SETL_CHECK_ERROR_INVALID_PARAMETER,
               "Check “%s”: parameter “%s”: %s", display_name (self), parameter, what);
}
