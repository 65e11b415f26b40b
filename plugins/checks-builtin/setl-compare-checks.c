/* setl-compare-checks.c: eq, ne, gt, ge, lt, le.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* Pandera's comparison checks: `eq` (equal_to, parameter `value`), `ne`
 * (not_equal_to, `value`), `gt` and `ge` (`min_value`), `lt` and `le`
 * (`max_value`). They apply to numbers, strings (compared by code point),
 * dates and timestamps (the parameter written as ISO 8601 text), and `eq`
 * and `ne` to booleans too. The parameter is required. Each is one small
 * subclass of an abstract base that holds the parameter and the loop. */
#include "setl-compare-checks.h"
#include "setl-builtin-value.h"

typedef enum { OP_EQ, OP_NE, OP_GT, OP_GE, OP_LT, OP_LE } CompareOp;

typedef struct {
  SetlCheck parent_instance;
  JsonNode *value;
} SetlBuiltinCompareCheck;

typedef struct {
  SetlCheckClass parent_class;
  CompareOp op;
  const char *parameter;
} SetlBuiltinCompareCheckClass;

#define COMPARE_CHECK(o) ((SetlBuiltinCompareCheck *) (o))
#define COMPARE_CHECK_GET_CLASS(o) ((SetlBuiltinCompareCheckClass *) G_OBJECT_GET_CLASS (o))

G_DEFINE_ABSTRACT_TYPE (SetlBuiltinCompareCheck, setl_builtin_compare_check, SETL_TYPE_CHECK)

enum { PROP_0, PROP_VALUE };

static void
compare_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  if (prop_id == PROP_VALUE)
    g_value_set_boxed (value, COMPARE_CHECK (object)->value);
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
compare_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  SetlBuiltinCompareCheck *self = COMPARE_CHECK (object);

  if (prop_id == PROP_VALUE)
    {
      g_clear_pointer (&self->value, json_node_unref);
      self->value = g_value_get_boxed (value) ? json_node_copy (g_value_get_boxed (value)) : NULL;
    }
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
compare_finalize (GObject *object)
{
  g_clear_pointer (&COMPARE_CHECK (object)->value, json_node_unref);
  G_OBJECT_CLASS (setl_builtin_compare_check_parent_class)->finalize (object);
}

static gboolean
compare_prepare (SetlCheck *check, GError **error)
{
  SetlBuiltinCompareCheck *self = COMPARE_CHECK (check);
  const char *parameter = COMPARE_CHECK_GET_CLASS (check)->parameter;

  if (self->value == NULL || !JSON_NODE_HOLDS_VALUE (self->value))
    {
      setl_check_set_parameter_error (check, error, parameter,
                                      "a number, string or boolean is required%s",
                                      self->value ? " (not null, an array or an object)" : "");
      return FALSE;
    }
  return TRUE;
}

static gboolean
apply (CompareOp op, int c)
{
  /* c == 2: unordered (NaN), which only "not equal" accepts. */
  switch (op)
    {
    case OP_EQ: return c == 0;
    case OP_NE: return c != 0;
    case OP_GT: return c == 1;
    case OP_GE: return c == 0 || c == 1;
    case OP_LT: return c == -1;
    case OP_LE: return c == 0 || c == -1;
    default: return FALSE;
    }
}

static SetlColumn *
compare_check_column (SetlCheck *check, SetlColumn *column, GError **error)
{
  SetlBuiltinCompareCheck *self = COMPARE_CHECK (check);
  SetlBuiltinCompareCheckClass *klass = COMPARE_CHECK_GET_CLASS (check);
  g_autoptr(BuiltinBools) builder = NULL;
  g_autoptr(GError) local = NULL;
  BuiltinValue value;
  BuiltinColumn data;

  if (!builtin_value_from_json (self->value, setl_column_get_data_type (column), &value, &local))
    {
      setl_check_set_parameter_error (check, error, klass->parameter, "%s", local->message);
      return NULL;
    }
  builtin_column_init (&data, column);
  builder = builtin_bools_new (data.length);
  for (gint64 i = 0; i < data.length; i++)
    builtin_bools_append (builder, apply (klass->op, builtin_compare_row (&data, i, &value)));
  builtin_value_clear (&value);
  return builtin_bools_finish (builder, error);
}

static gboolean
compare_synthesize (SetlCheck *check, SetlDataType type, GRand *rand, GValue *value, GError **error)
{
  SetlBuiltinCompareCheck *self = COMPARE_CHECK (check);
  CompareOp op = COMPARE_CHECK_GET_CLASS (check)->op;
  g_auto(GValue) base = G_VALUE_INIT;

  if (!setl_validation_value_from_json (self->value, type, &base, error))
    return FALSE;
  /* A step away from the bound, in the direction the check allows. */
  {
    int direction = op == OP_GT || op == OP_GE ? 1 : op == OP_LT || op == OP_LE ? -1
                    : op == OP_NE ? (g_rand_boolean (rand) ? 1 : -1) : 0;
    gint64 step = op == OP_GE || op == OP_LE ? g_rand_int_range (rand, 0, 100)
                  : g_rand_int_range (rand, 1, 100);

    g_value_init (value, G_VALUE_TYPE (&base));
    switch (type)
      {
      case SETL_DATA_TYPE_INT64:
      case SETL_DATA_TYPE_TIMESTAMP:
        g_value_set_int64 (value, g_value_get_int64 (&base) + direction * step);
        return TRUE;
      case SETL_DATA_TYPE_DOUBLE:
        g_value_set_double (value, g_value_get_double (&base) + direction * (double) step * 0.5);
        return TRUE;
      case SETL_DATA_TYPE_DATE32:
        g_value_set_int (value, g_value_get_int (&base) + direction * (gint) step);
        return TRUE;
      case SETL_DATA_TYPE_BOOL:
        g_value_set_boolean (value, op == OP_NE ? !g_value_get_boolean (&base) : g_value_get_boolean (&base));
        return TRUE;
      case SETL_DATA_TYPE_STRING:
        {
          const char *s = g_value_get_string (&base);

          if (direction == 0 || (direction > 0 && op == OP_GE))
            g_value_set_string (value, s);
          else if (direction > 0)
            g_value_take_string (value, g_strconcat (s, "a", NULL));
          else if (op == OP_LE || op == OP_NE)
            g_value_set_string (value, op == OP_LE ? s : "");
          else if (*s != '\0')
            g_value_set_string (value, "");
          else
            {
              g_value_unset (value);
              g_set_error (error, SETL_CHECK_ERROR, SETL_CHECK_ERROR_NOT_SUPPORTED,
                           "no string is less than the empty string");
              return FALSE;
            }
          if (op == OP_NE && g_strcmp0 (g_value_get_string (value), s) == 0)
            g_value_take_string (value, g_strconcat (s, "x", NULL));
          return TRUE;
        }
      default:
        g_value_unset (value);
        return FALSE;
      }
  }
}

static void
setl_builtin_compare_check_class_init (SetlBuiltinCompareCheckClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  SetlCheckClass *check_class = SETL_CHECK_CLASS (klass);

  object_class->get_property = compare_get_property;
  object_class->set_property = compare_set_property;
  object_class->finalize = compare_finalize;
  check_class->prepare = compare_prepare;
  check_class->check_column = compare_check_column;
  check_class->synthesize = compare_synthesize;
}

static void
setl_builtin_compare_check_init (SetlBuiltinCompareCheck *self)
{
}

static void
compare_subclass_init (SetlBuiltinCompareCheckClass *klass,
                       const char                   *name,
                       CompareOp                     op,
                       const char                   *property,
                       const char                   *parameter,
                       const char                   *blurb)
{
  static const SetlDataType types[] = { BUILTIN_COMPARABLE_TYPES };
  SetlCheckClass *check_class = SETL_CHECK_CLASS (klass);

  /* GObject does not pass get/set_property on to subclasses. */
  G_OBJECT_CLASS (klass)->get_property = compare_get_property;
  G_OBJECT_CLASS (klass)->set_property = compare_set_property;
  klass->op = op;
  klass->parameter = parameter;
  setl_check_class_set_check_name (check_class, name);
  builtin_class_add_types (check_class, types, G_N_ELEMENTS (types));
  if (op == OP_EQ || op == OP_NE)
    setl_check_class_add_supported_type (check_class, SETL_DATA_TYPE_BOOL);
  g_object_class_install_property (G_OBJECT_CLASS (klass), PROP_VALUE,
    g_param_spec_boxed (property, parameter, blurb, JSON_TYPE_NODE,
                        G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS));
}

#define DEFINE_COMPARE(Name, name, NAME_STR, OP, PROP, PARAM, BLURB)                         \
  typedef SetlBuiltinCompareCheck Name;                                                       \
  typedef SetlBuiltinCompareCheckClass Name##Class;                                           \
  G_DEFINE_FINAL_TYPE (Name, name, setl_builtin_compare_check_get_type ())                    \
  static void name##_class_init (Name##Class *klass)                                          \
  { compare_subclass_init (klass, NAME_STR, OP, PROP, PARAM, BLURB); }                         \
  static void name##_init (Name *self) { }

DEFINE_COMPARE (SetlBuiltinEqCheck, setl_builtin_eq_check, "eq", OP_EQ, "value", "value",
                "Values must equal this")
DEFINE_COMPARE (SetlBuiltinNeCheck, setl_builtin_ne_check, "ne", OP_NE, "value", "value",
                "Values must differ from this")
DEFINE_COMPARE (SetlBuiltinGtCheck, setl_builtin_gt_check, "gt", OP_GT, "min-value", "min_value",
                "Values must be greater than this")
DEFINE_COMPARE (SetlBuiltinGeCheck, setl_builtin_ge_check, "ge", OP_GE, "min-value", "min_value",
                "Values must be at least this")
DEFINE_COMPARE (SetlBuiltinLtCheck, setl_builtin_lt_check, "lt", OP_LT, "max-value", "max_value",
                "Values must be less than this")
DEFINE_COMPARE (SetlBuiltinLeCheck, setl_builtin_le_check, "le", OP_LE, "max-value", "max_value",
                "Values must be at most this")
