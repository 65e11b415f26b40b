/* setl-membership-checks.c: isin, notin, unique_values_eq.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* Pandera's `isin(allowed_values)` and `notin(forbidden_values)`: the
 * parameter is a list of values, or a string standing for the set of its
 * characters (as in Python, where a string is an iterable of characters);
 * anything else is refused. List elements that cannot be values of the
 * column's type match nothing. `unique_values_eq(values)` is an aggregate
 * check: the set of distinct non-null values of the whole column must equal
 * the set given. */
#include "setl-membership-checks.h"
#include "setl-builtin-value.h"

/* The values of a list parameter, as keys for one column type. */
static GHashTable *
value_set (JsonNode     *values,
           SetlDataType  type)
{
  GHashTable *set = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  if (JSON_NODE_HOLDS_VALUE (values) && json_node_get_value_type (values) == G_TYPE_STRING)
    {
      const char *s = json_node_get_string (values);

      /* A string is the set of its characters. */
      for (const char *p = s; *p; p = g_utf8_next_char (p))
        {
          g_autoptr(JsonNode) node = json_node_new (JSON_NODE_VALUE);
          g_autofree char *c = g_strndup (p, g_utf8_next_char (p) - p);
          BuiltinValue v;

          json_node_set_string (node, c);
          if (builtin_value_from_json (node, type, &v, NULL))
            {
              g_hash_table_add (set, builtin_key_value (&v));
              builtin_value_clear (&v);
            }
        }
      return set;
    }
  for (guint i = 0; i < json_array_get_length (json_node_get_array (values)); i++)
    {
      BuiltinValue v;

      if (builtin_value_from_json (json_array_get_element (json_node_get_array (values), i), type, &v, NULL))
        {
          g_hash_table_add (set, builtin_key_value (&v));
          builtin_value_clear (&v);
        }
    }
  return set;
}

static gboolean
valid_list (JsonNode *node)
{
  return node != NULL &&
         (JSON_NODE_HOLDS_ARRAY (node) ||
          (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING));
}

/* isin / notin ------------------------------------------------------------ */

typedef struct {
  SetlCheck parent_instance;
  JsonNode *values;
} SetlBuiltinSetCheck;

typedef struct {
  SetlCheckClass parent_class;
  gboolean negate;
  const char *parameter;
} SetlBuiltinSetCheckClass;

static GType setl_builtin_set_check_get_type (void) G_GNUC_CONST;
G_DEFINE_ABSTRACT_TYPE (SetlBuiltinSetCheck, setl_builtin_set_check, SETL_TYPE_CHECK)

#define SET_CHECK(o) ((SetlBuiltinSetCheck *) (o))
#define SET_CHECK_GET_CLASS(o) ((SetlBuiltinSetCheckClass *) G_OBJECT_GET_CLASS (o))

enum { PROP_0, PROP_VALUES };

static void
set_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  if (prop_id == PROP_VALUES)
    g_value_set_boxed (value, SET_CHECK (object)->values);
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
set_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  SetlBuiltinSetCheck *self = SET_CHECK (object);

  if (prop_id == PROP_VALUES)
    {
      g_clear_pointer (&self->values, json_node_unref);
      self->values = g_value_get_boxed (value) ? json_node_copy (g_value_get_boxed (value)) : NULL;
    }
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
set_finalize (GObject *object)
{
  g_clear_pointer (&SET_CHECK (object)->values, json_node_unref);
  G_OBJECT_CLASS (setl_builtin_set_check_parent_class)->finalize (object);
}

static gboolean
set_prepare (SetlCheck *check, GError **error)
{
  if (!valid_list (SET_CHECK (check)->values))
    {
      setl_check_set_parameter_error (check, error, SET_CHECK_GET_CLASS (check)->parameter,
                                      "a list of values (or a string of characters) is required");
      return FALSE;
    }
  return TRUE;
}

static SetlColumn *
set_check_column (SetlCheck *check, SetlColumn *column, GError **error)
{
  SetlBuiltinSetCheck *self = SET_CHECK (check);
  gboolean negate = SET_CHECK_GET_CLASS (check)->negate;
  g_autoptr(BuiltinBools) builder = NULL;
  g_autoptr(GHashTable) set = value_set (self->values, setl_column_get_data_type (column));
  BuiltinColumn data;

  builtin_column_init (&data, column);
  builder = builtin_bools_new (data.length);
  for (gint64 i = 0; i < data.length; i++)
    {
      g_autofree char *key = builtin_key_row (&data, i);
      gboolean found = g_hash_table_contains (set, key);

      builtin_bools_append (builder, negate ? !found : found);
    }
  return builtin_bools_finish (builder, error);
}

static gboolean
isin_synthesize (SetlCheck *check, SetlDataType type, GRand *rand, GValue *value, GError **error)
{
  JsonNode *values = SET_CHECK (check)->values;
  g_autoptr(GPtrArray) candidates = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);

  if (JSON_NODE_HOLDS_ARRAY (values))
    for (guint i = 0; i < json_array_get_length (json_node_get_array (values)); i++)
      g_ptr_array_add (candidates, json_node_ref (json_array_get_element (json_node_get_array (values), i)));
  else
    for (const char *p = json_node_get_string (values); *p; p = g_utf8_next_char (p))
      {
        JsonNode *node = json_node_new (JSON_NODE_VALUE);
        g_autofree char *c = g_strndup (p, g_utf8_next_char (p) - p);

        json_node_set_string (node, c);
        g_ptr_array_add (candidates, node);
      }
  /* Any allowed value that converts; start at a random one. */
  if (candidates->len > 0)
    {
      guint start = (guint) g_rand_int_range (rand, 0, (gint32) candidates->len);

      for (guint k = 0; k < candidates->len; k++)
        if (setl_validation_value_from_json (g_ptr_array_index (candidates, (start + k) % candidates->len),
                                             type, value, NULL))
          return TRUE;
    }
  g_set_error (error, SETL_CHECK_ERROR, SETL_CHECK_ERROR_NOT_SUPPORTED,
               "isin: no allowed value is a %s", setl_data_type_to_string (type));
  return FALSE;
}

static void
setl_builtin_set_check_class_init (SetlBuiltinSetCheckClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  SetlCheckClass *check_class = SETL_CHECK_CLASS (klass);

  object_class->get_property = set_get_property;
  object_class->set_property = set_set_property;
  object_class->finalize = set_finalize;
  check_class->prepare = set_prepare;
  check_class->check_column = set_check_column;
}

static void
setl_builtin_set_check_init (SetlBuiltinSetCheck *self)
{
}

static void
set_subclass_init (SetlBuiltinSetCheckClass *klass,
                   const char               *name,
                   gboolean                  negate,
                   const char               *property,
                   const char               *parameter,
                   const char               *blurb)
{
  static const SetlDataType types[] = { BUILTIN_COMPARABLE_TYPES, SETL_DATA_TYPE_BOOL };
  SetlCheckClass *check_class = SETL_CHECK_CLASS (klass);

  /* GObject does not pass get/set_property on to subclasses. */
  G_OBJECT_CLASS (klass)->get_property = set_get_property;
  G_OBJECT_CLASS (klass)->set_property = set_set_property;
  klass->negate = negate;
  klass->parameter = parameter;
  setl_check_class_set_check_name (check_class, name);
  builtin_class_add_types (check_class, types, G_N_ELEMENTS (types));
  if (!negate)
    check_class->synthesize = isin_synthesize;
  g_object_class_install_property (G_OBJECT_CLASS (klass), PROP_VALUES,
    g_param_spec_boxed (property, parameter, blurb, JSON_TYPE_NODE,
                        G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS));
}

typedef SetlBuiltinSetCheck SetlBuiltinIsinCheck;
typedef SetlBuiltinSetCheckClass SetlBuiltinIsinCheckClass;
G_DEFINE_FINAL_TYPE (SetlBuiltinIsinCheck, setl_builtin_isin_check, setl_builtin_set_check_get_type ())
static void setl_builtin_isin_check_class_init (SetlBuiltinIsinCheckClass *klass)
{
  set_subclass_init (klass, "isin", FALSE, "allowed-values", "allowed_values", "The values allowed");
}
static void setl_builtin_isin_check_init (SetlBuiltinIsinCheck *self) { }

typedef SetlBuiltinSetCheck SetlBuiltinNotinCheck;
typedef SetlBuiltinSetCheckClass SetlBuiltinNotinCheckClass;
G_DEFINE_FINAL_TYPE (SetlBuiltinNotinCheck, setl_builtin_notin_check, setl_builtin_set_check_get_type ())
static void setl_builtin_notin_check_class_init (SetlBuiltinNotinCheckClass *klass)
{
  set_subclass_init (klass, "notin", TRUE, "forbidden-values", "forbidden_values", "The values forbidden");
}
static void setl_builtin_notin_check_init (SetlBuiltinNotinCheck *self) { }

/* unique_values_eq --------------------------------------------------------- */

typedef struct {
  SetlAggregateCheck parent_instance;
  JsonNode *values;
} SetlBuiltinUniqueValuesEqCheck;

typedef struct {
  SetlAggregateCheckClass parent_class;
} SetlBuiltinUniqueValuesEqCheckClass;

G_DEFINE_FINAL_TYPE (SetlBuiltinUniqueValuesEqCheck, setl_builtin_unique_values_eq_check, SETL_TYPE_AGGREGATE_CHECK)

#define UVE(o) ((SetlBuiltinUniqueValuesEqCheck *) (o))

typedef struct {
  GHashTable *seen;        /* keys */
  SetlDataType type;
  gboolean typed;
} UveState;

static void
uve_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  if (prop_id == PROP_VALUES)
    g_value_set_boxed (value, UVE (object)->values);
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
uve_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  if (prop_id == PROP_VALUES)
    {
      g_clear_pointer (&UVE (object)->values, json_node_unref);
      UVE (object)->values = g_value_get_boxed (value) ? json_node_copy (g_value_get_boxed (value)) : NULL;
    }
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
uve_finalize (GObject *object)
{
  g_clear_pointer (&UVE (object)->values, json_node_unref);
  G_OBJECT_CLASS (setl_builtin_unique_values_eq_check_parent_class)->finalize (object);
}

static gboolean
uve_prepare (SetlCheck *check, GError **error)
{
  if (!valid_list (UVE (check)->values))
    {
      setl_check_set_parameter_error (check, error, "values", "a list of values is required");
      return FALSE;
    }
  return TRUE;
}

static gpointer
uve_begin (SetlAggregateCheck *check)
{
  UveState *state = g_new0 (UveState, 1);

  state->seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  return state;
}

static void
uve_update (SetlAggregateCheck *check, gpointer data, SetlRecordBatch *batch, SetlColumn *column)
{
  UveState *state = data;
  BuiltinColumn c;

  state->type = setl_column_get_data_type (column);
  state->typed = TRUE;
  builtin_column_init (&c, column);
  for (gint64 i = 0; i < c.length; i++)
    if (!setl_column_is_null (column, i))
      g_hash_table_add (state->seen, builtin_key_row (&c, i));
}

static gboolean
uve_finish (SetlAggregateCheck *check, gpointer data, gboolean *passed, char **observed, GError **error)
{
  UveState *state = data;
  g_autoptr(GHashTable) expected = NULL;
  g_autoptr(GList) keys = NULL;
  GString *text;
  guint shown = 0;

  expected = value_set (UVE (check)->values, state->typed ? state->type : SETL_DATA_TYPE_STRING);
  *passed = g_hash_table_size (expected) == g_hash_table_size (state->seen);
  if (*passed)
    {
      GHashTableIter iter;
      gpointer key;

      g_hash_table_iter_init (&iter, expected);
      while (g_hash_table_iter_next (&iter, &key, NULL) && *passed)
        *passed = g_hash_table_contains (state->seen, key);
    }
  /* Also fails when a listed value cannot be of the column's type. */
  if (JSON_NODE_HOLDS_ARRAY (UVE (check)->values) &&
      g_hash_table_size (expected) < json_array_get_length (json_node_get_array (UVE (check)->values)))
    *passed = FALSE;

  keys = g_list_sort (g_hash_table_get_keys (state->seen), (GCompareFunc) g_strcmp0);
  text = g_string_new ("unique values: ");
  for (GList *l = keys; l != NULL && shown < 20; l = l->next, shown++)
    g_string_append_printf (text, "%s%s", shown ? ", " : "", (const char *) l->data);
  if (g_hash_table_size (state->seen) > shown)
    g_string_append (text, ", …");
  *observed = g_string_free (text, FALSE);
  g_hash_table_unref (state->seen);
  g_free (state);
  return TRUE;
}

static void
setl_builtin_unique_values_eq_check_class_init (SetlBuiltinUniqueValuesEqCheckClass *klass)
{
  static const SetlDataType types[] = { BUILTIN_COMPARABLE_TYPES, SETL_DATA_TYPE_BOOL };
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  SetlCheckClass *check_class = SETL_CHECK_CLASS (klass);
  SetlAggregateCheckClass *aggregate_class = SETL_AGGREGATE_CHECK_CLASS (klass);

  object_class->get_property = uve_get_property;
  object_class->set_property = uve_set_property;
  object_class->finalize = uve_finalize;
  check_class->prepare = uve_prepare;
  aggregate_class->begin = uve_begin;
  aggregate_class->update = uve_update;
  aggregate_class->finish = uve_finish;
  setl_check_class_set_check_name (check_class, "unique_values_eq");
  builtin_class_add_types (check_class, types, G_N_ELEMENTS (types));
  g_object_class_install_property (object_class, PROP_VALUES,
    g_param_spec_boxed ("values", "values", "The set the column's distinct values must equal",
                        JSON_TYPE_NODE, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS));
}

static void
setl_builtin_unique_values_eq_check_init (SetlBuiltinUniqueValuesEqCheck *self)
{
}
