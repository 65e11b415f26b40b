/* test-check.c: SetlCheck, the interface of checks, and check-library
 * plugins.
 *
 * Two checks are defined here: test_in_range, vectorized over the values
 * buffer (and deliberately blind to nulls, which the base class must turn
 * into passes), and test_ne, element-wise over every column type. Expected
 * results are computed from the same data by plain comparisons in the test,
 * not by the checks. The plugin tests load tests/plugins/fixtures/
 * good-check.c through the registry and through setl-plugin-check.
 */
#include <setl/setl-plugin.h>

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>
#include <sys/wait.h>

/* ---- test_in_range: vectorized ---------------------------------------- */

#define TEST_TYPE_RANGE (test_range_get_type ())
G_DECLARE_FINAL_TYPE (TestRange, test_range, TEST, RANGE, SetlCheck)

struct _TestRange
{
  SetlCheck parent_instance;
  double min_value;
  double max_value;
};

G_DEFINE_FINAL_TYPE (TestRange, test_range, SETL_TYPE_CHECK)

enum { RANGE_PROP_0, RANGE_PROP_MIN, RANGE_PROP_MAX, RANGE_N_PROPS };
static GParamSpec *range_props[RANGE_N_PROPS];
static guint range_prepared;   /* how many times prepare ran */

static void
test_range_get_property (GObject *object, guint id, GValue *value, GParamSpec *pspec)
{
  TestRange *self = TEST_RANGE (object);

  switch (id)
    {
    case RANGE_PROP_MIN: g_value_set_double (value, self->min_value); break;
    case RANGE_PROP_MAX: g_value_set_double (value, self->max_value); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, id, pspec);
    }
}

static void
test_range_set_property (GObject *object, guint id, const GValue *value, GParamSpec *pspec)
{
  TestRange *self = TEST_RANGE (object);

  switch (id)
    {
    case RANGE_PROP_MIN: self->min_value = g_value_get_double (value); break;
    case RANGE_PROP_MAX: self->max_value = g_value_get_double (value); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, id, pspec);
    }
}

static gboolean
test_range_prepare (SetlCheck *check, GError **error)
{
  TestRange *self = TEST_RANGE (check);

  range_prepared++;
  if (self->min_value > self->max_value)
    {
      setl_check_set_parameter_error (check, error, "max-value",
                                      "%g is below min-value %g: the interval is empty",
                                      self->max_value, self->min_value);
      return FALSE;
    }
  return TRUE;
}

/* Reads every slot, nulls included (they hold 0): the base class must
 * make the nulls pass. */
static SetlColumn *
test_range_check_column (SetlCheck *check, SetlColumn *column, GError **error)
{
  TestRange *self = TEST_RANGE (check);
  gint64 n = setl_column_get_length (column);
  gint64 offset = setl_column_get_offset (column);
  gconstpointer data = setl_column_get_values_data (column);
  g_autoptr(SetlColumnBuilder) builder = setl_column_builder_new (SETL_DATA_TYPE_BOOL);

  for (gint64 i = 0; i < n; i++)
    {
      double v;

      switch (setl_column_get_data_type (column))
        {
        case SETL_DATA_TYPE_INT64:
        case SETL_DATA_TYPE_TIMESTAMP:
          v = (double) ((const gint64 *) data)[offset + i];
          break;
        case SETL_DATA_TYPE_DOUBLE:
          v = ((const double *) data)[offset + i];
          break;
        case SETL_DATA_TYPE_DATE32:
          v = ((const gint32 *) data)[offset + i];
          break;
        default:
          g_assert_not_reached ();
        }
      setl_column_builder_append_bool (builder, v >= self->min_value && v <= self->max_value);
    }
  return setl_column_builder_finish (builder, error);
}

static gboolean
test_range_synthesize (SetlCheck *check, SetlDataType type, GRand *rand,
                       GValue *value, GError **error)
{
  TestRange *self = TEST_RANGE (check);
  double v = g_rand_double_range (rand, self->min_value, self->max_value);

  switch (type)
    {
    case SETL_DATA_TYPE_DOUBLE:
      g_value_init (value, G_TYPE_DOUBLE);
      g_value_set_double (value, v);
      return TRUE;
    case SETL_DATA_TYPE_DATE32:
      g_value_init (value, G_TYPE_INT);
      g_value_set_int (value, (int) ceil (self->min_value));
      return TRUE;
    default:
      if (ceil (self->min_value) > floor (self->max_value))
        {
          g_set_error (error, SETL_CHECK_ERROR, SETL_CHECK_ERROR_FAILED,
                       "no integer in [%g, %g]", self->min_value, self->max_value);
          return FALSE;
        }
      g_value_init (value, G_TYPE_INT64);
      g_value_set_int64 (value, (gint64) CLAMP (round (v), ceil (self->min_value), floor (self->max_value)));
      return TRUE;
    }
}

static void
test_range_class_init (TestRangeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  SetlCheckClass *check_class = SETL_CHECK_CLASS (klass);

  object_class->get_property = test_range_get_property;
  object_class->set_property = test_range_set_property;
  check_class->prepare = test_range_prepare;
  check_class->check_column = test_range_check_column;
  check_class->synthesize = test_range_synthesize;
  setl_check_class_set_check_name (check_class, "test_in_range");
  setl_check_class_add_supported_type (check_class, SETL_DATA_TYPE_INT64);
  setl_check_class_add_supported_type (check_class, SETL_DATA_TYPE_DOUBLE);
  setl_check_class_add_supported_type (check_class, SETL_DATA_TYPE_DATE32);
  setl_check_class_add_supported_type (check_class, SETL_DATA_TYPE_TIMESTAMP);

  range_props[RANGE_PROP_MIN] =
    g_param_spec_double ("min-value", "Minimum", "Smallest value that passes",
                         -G_MAXDOUBLE, G_MAXDOUBLE, 0.0,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS);
  range_props[RANGE_PROP_MAX] =
    g_param_spec_double ("max-value", "Maximum", "Largest value that passes",
                         -G_MAXDOUBLE, G_MAXDOUBLE, 100.0,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, RANGE_N_PROPS, range_props);
}

static void
test_range_init (TestRange *self)
{
}

/* ---- test_ne: element-wise, every type -------------------------------- */

#define TEST_TYPE_NE (test_ne_get_type ())
G_DECLARE_FINAL_TYPE (TestNe, test_ne, TEST, NE, SetlCheck)

struct _TestNe
{
  SetlCheck parent_instance;
  char *value;
};

G_DEFINE_FINAL_TYPE (TestNe, test_ne, SETL_TYPE_CHECK)

enum { NE_PROP_0, NE_PROP_VALUE, NE_N_PROPS };
static GParamSpec *ne_props[NE_N_PROPS];

static void
test_ne_get_property (GObject *object, guint id, GValue *value, GParamSpec *pspec)
{
  switch (id)
    {
    case NE_PROP_VALUE: g_value_set_string (value, TEST_NE (object)->value); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, id, pspec);
    }
}

static void
test_ne_set_property (GObject *object, guint id, const GValue *value, GParamSpec *pspec)
{
  TestNe *self = TEST_NE (object);

  switch (id)
    {
    case NE_PROP_VALUE: g_free (self->value); self->value = g_value_dup_string (value); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, id, pspec);
    }
}

static gboolean
test_ne_prepare (SetlCheck *check, GError **error)
{
  if (TEST_NE (check)->value == NULL)
    {
      setl_check_set_parameter_error (check, error, "value", "is required");
      return FALSE;
    }
  return TRUE;
}

/* Compares the value's text with the parameter. */
static gboolean
test_ne_check_value (SetlCheck *check, const GValue *value)
{
  g_autofree char *text = NULL;

  if (G_VALUE_HOLDS_BOOLEAN (value))
    text = g_strdup (g_value_get_boolean (value) ? "true" : "false");
  else if (G_VALUE_HOLDS_INT64 (value))
    text = g_strdup_printf ("%" G_GINT64_FORMAT, g_value_get_int64 (value));
  else if (G_VALUE_HOLDS_INT (value))
    text = g_strdup_printf ("%d", g_value_get_int (value));
  else if (G_VALUE_HOLDS_DOUBLE (value))
    text = g_strdup_printf ("%g", g_value_get_double (value));
  else if (G_VALUE_HOLDS_STRING (value))
    text = g_value_dup_string (value);
  else
    g_assert_not_reached ();
  return g_strcmp0 (text, TEST_NE (check)->value) != 0;
}

static void
test_ne_finalize (GObject *object)
{
  g_free (TEST_NE (object)->value);
  G_OBJECT_CLASS (test_ne_parent_class)->finalize (object);
}

static void
test_ne_class_init (TestNeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  SetlCheckClass *check_class = SETL_CHECK_CLASS (klass);

  object_class->get_property = test_ne_get_property;
  object_class->set_property = test_ne_set_property;
  object_class->finalize = test_ne_finalize;
  check_class->prepare = test_ne_prepare;
  check_class->check_value = test_ne_check_value;
  setl_check_class_set_check_name (check_class, "test_ne");
  for (SetlDataType t = SETL_DATA_TYPE_BOOL; t <= SETL_DATA_TYPE_TIMESTAMP; t++)
    setl_check_class_add_supported_type (check_class, t);

  ne_props[NE_PROP_VALUE] =
    g_param_spec_string ("value", "Value", "The value, as text, that fails", NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, NE_N_PROPS, ne_props);
}

static void
test_ne_init (TestNe *self)
{
}

/* ---- broken implementations ------------------------------------------- */

/* Returns a column one row short, or nothing at all without an error. */
#define TEST_TYPE_BAD_SHAPE (test_bad_shape_get_type ())
G_DECLARE_FINAL_TYPE (TestBadShape, test_bad_shape, TEST, BAD_SHAPE, SetlCheck)
struct _TestBadShape { SetlCheck parent_instance; gboolean give_nothing; };
G_DEFINE_FINAL_TYPE (TestBadShape, test_bad_shape, SETL_TYPE_CHECK)

static SetlColumn *
test_bad_shape_check_column (SetlCheck *check, SetlColumn *column, GError **error)
{
  g_autoptr(SetlColumnBuilder) builder = setl_column_builder_new (SETL_DATA_TYPE_BOOL);

  if (TEST_BAD_SHAPE (check)->give_nothing)
    return NULL;
  for (gint64 i = 0; i + 1 < setl_column_get_length (column); i++)
    setl_column_builder_append_bool (builder, TRUE);
  return setl_column_builder_finish (builder, error);
}

static void
test_bad_shape_class_init (TestBadShapeClass *klass)
{
  SETL_CHECK_CLASS (klass)->check_column = test_bad_shape_check_column;
  setl_check_class_set_check_name (SETL_CHECK_CLASS (klass), "bad_shape");
  setl_check_class_add_supported_type (SETL_CHECK_CLASS (klass), SETL_DATA_TYPE_INT64);
}

static void test_bad_shape_init (TestBadShape *self) { }

/* A name and a type, but neither check_column nor check_value. */
#define TEST_TYPE_NO_IMPL (test_no_impl_get_type ())
G_DECLARE_FINAL_TYPE (TestNoImpl, test_no_impl, TEST, NO_IMPL, SetlCheck)
struct _TestNoImpl { SetlCheck parent_instance; };
G_DEFINE_FINAL_TYPE (TestNoImpl, test_no_impl, SETL_TYPE_CHECK)

static void
test_no_impl_class_init (TestNoImplClass *klass)
{
  setl_check_class_set_check_name (SETL_CHECK_CLASS (klass), "no_impl");
  setl_check_class_add_supported_type (SETL_CHECK_CLASS (klass), SETL_DATA_TYPE_INT64);
}

static void test_no_impl_init (TestNoImpl *self) { }

/* An element-wise check whose class gives no name. */
#define TEST_TYPE_NAMELESS (test_nameless_get_type ())
G_DECLARE_FINAL_TYPE (TestNameless, test_nameless, TEST, NAMELESS, SetlCheck)
struct _TestNameless { SetlCheck parent_instance; };
G_DEFINE_FINAL_TYPE (TestNameless, test_nameless, SETL_TYPE_CHECK)

static gboolean
test_nameless_check_value (SetlCheck *check, const GValue *value)
{
  return TRUE;
}

static void
test_nameless_class_init (TestNamelessClass *klass)
{
  SETL_CHECK_CLASS (klass)->check_value = test_nameless_check_value;
  setl_check_class_add_supported_type (SETL_CHECK_CLASS (klass), SETL_DATA_TYPE_INT64);
}

static void test_nameless_init (TestNameless *self) { }

/* ---- data -------------------------------------------------------------- */

#define N_ROWS 37   /* not a multiple of 8: bitmaps end mid-byte */

static gboolean
row_is_null (guint i)
{
  return i % 4 == 1 || i == 30;
}

static gint64  int_at (guint i) { return (gint64) i * 3 - 10; }
static double  double_at (guint i) { return i * 1.5 - 3.0; }
static gint32  date_at (guint i) { return (gint32) i * 2 - 7; }
static gint64  timestamp_at (guint i) { return (gint64) i * 1000000 - 5; }
static gboolean bool_at (guint i) { return i % 3 == 0; }
static char   *string_at (guint i) { return g_strdup_printf ("s%u", i % 5); }

static SetlColumn *
make_column (SetlDataType type)
{
  g_autoptr(SetlColumnBuilder) builder = setl_column_builder_new (type);
  g_autoptr(GError) error = NULL;
  SetlColumn *column;

  for (guint i = 0; i < N_ROWS; i++)
    {
      if (row_is_null (i))
        {
          setl_column_builder_append_null (builder);
          continue;
        }
      switch (type)
        {
        case SETL_DATA_TYPE_BOOL: setl_column_builder_append_bool (builder, bool_at (i)); break;
        case SETL_DATA_TYPE_INT64: setl_column_builder_append_int64 (builder, int_at (i)); break;
        case SETL_DATA_TYPE_DOUBLE: setl_column_builder_append_double (builder, double_at (i)); break;
        case SETL_DATA_TYPE_DATE32: setl_column_builder_append_date32 (builder, date_at (i)); break;
        case SETL_DATA_TYPE_TIMESTAMP: setl_column_builder_append_timestamp (builder, timestamp_at (i)); break;
        case SETL_DATA_TYPE_STRING:
          {
            g_autofree char *s = string_at (i);
            setl_column_builder_append_string (builder, s, -1);
          }
          break;
        default: g_assert_not_reached ();
        }
    }
  column = setl_column_builder_finish (builder, &error);
  g_assert_no_error (error);
  return column;
}

/* Whether row @i of the test data lies in [lo, hi]: the expectation for
 * test_in_range, computed without it. */
static gboolean
in_range_at (SetlDataType type, guint i, double lo, double hi)
{
  double v;

  if (row_is_null (i))
    return TRUE;
  switch (type)
    {
    case SETL_DATA_TYPE_INT64: v = (double) int_at (i); break;
    case SETL_DATA_TYPE_DOUBLE: v = double_at (i); break;
    case SETL_DATA_TYPE_DATE32: v = date_at (i); break;
    case SETL_DATA_TYPE_TIMESTAMP: v = (double) timestamp_at (i); break;
    default: g_assert_not_reached ();
    }
  return v >= lo && v <= hi;
}

/* The expectation for test_ne with the forbidden value of row @forbidden. */
static gboolean
ne_at (SetlDataType type, guint i, guint forbidden)
{
  if (row_is_null (i))
    return TRUE;
  switch (type)
    {
    case SETL_DATA_TYPE_BOOL: return bool_at (i) != bool_at (forbidden);
    case SETL_DATA_TYPE_INT64: return int_at (i) != int_at (forbidden);
    case SETL_DATA_TYPE_DOUBLE: return double_at (i) != double_at (forbidden);
    case SETL_DATA_TYPE_DATE32: return date_at (i) != date_at (forbidden);
    case SETL_DATA_TYPE_TIMESTAMP: return timestamp_at (i) != timestamp_at (forbidden);
    case SETL_DATA_TYPE_STRING:
      {
        g_autofree char *a = string_at (i);
        g_autofree char *b = string_at (forbidden);
        return strcmp (a, b) != 0;
      }
    default: g_assert_not_reached ();
    }
}

static char *
text_at (SetlDataType type, guint i)
{
  switch (type)
    {
    case SETL_DATA_TYPE_BOOL: return g_strdup (bool_at (i) ? "true" : "false");
    case SETL_DATA_TYPE_INT64: return g_strdup_printf ("%" G_GINT64_FORMAT, int_at (i));
    case SETL_DATA_TYPE_DOUBLE: return g_strdup_printf ("%g", double_at (i));
    case SETL_DATA_TYPE_DATE32: return g_strdup_printf ("%d", date_at (i));
    case SETL_DATA_TYPE_TIMESTAMP: return g_strdup_printf ("%" G_GINT64_FORMAT, timestamp_at (i));
    case SETL_DATA_TYPE_STRING: return string_at (i);
    default: g_assert_not_reached ();
    }
}

/* Runs @check over @column (rows @first… of the test data) and compares
 * every row, the failure count and the failure rows with @expected. */
static void
assert_results (SetlCheck *check,
                SetlColumn *column,
                guint first,
                const gboolean *expected)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SetlColumn) result = NULL;
  g_autoptr(GArray) rows = NULL;
  gint64 n = setl_column_get_length (column);
  gint64 n_failed = -1, want_failed = 0;
  guint k = 0;

  result = setl_check_check_column (check, column, &error);
  g_assert_no_error (error);
  g_assert_nonnull (result);
  g_assert_cmpint (setl_column_get_data_type (result), ==, SETL_DATA_TYPE_BOOL);
  g_assert_cmpint (setl_column_get_length (result), ==, n);
  g_assert_cmpint (setl_column_get_null_count (result), ==, 0);
  for (gint64 i = 0; i < n; i++)
    {
      if (setl_column_get_bool (result, i) != expected[first + i])
        g_error ("%s: row %" G_GINT64_FORMAT " (data row %" G_GINT64_FORMAT "): got %d",
                 setl_check_get_check_name (check), i, first + i, !expected[first + i]);
      want_failed += !expected[first + i];
    }

  g_assert_true (setl_check_run (check, column, &n_failed, &rows, &error));
  g_assert_no_error (error);
  g_assert_cmpint (n_failed, ==, want_failed);
  g_assert_cmpuint (rows->len, ==, (guint) want_failed);
  for (gint64 i = 0; i < n; i++)
    if (!expected[first + i])
      g_assert_cmpint (g_array_index (rows, gint64, k++), ==, i);
}

/* Every row, then slices at byte-aligned and unaligned offsets. */
static void
assert_results_with_slices (SetlCheck *check,
                            SetlColumn *column,
                            const gboolean *expected)
{
  static const struct { gint64 offset, length; } slices[] = {
    { 0, N_ROWS }, { 3, 20 }, { 8, 16 }, { 13, N_ROWS - 13 }, { 5, 0 },
  };

  for (guint s = 0; s < G_N_ELEMENTS (slices); s++)
    {
      g_autoptr(SetlColumn) slice = setl_column_slice (column, slices[s].offset, slices[s].length);
      assert_results (check, slice, (guint) slices[s].offset, expected);
    }
}

/* ---- tests ------------------------------------------------------------- */

static void
test_metadata (void)
{
  g_autoptr(SetlCheck) range = g_object_new (TEST_TYPE_RANGE, NULL);
  g_autoptr(SetlCheck) ne = g_object_new (TEST_TYPE_NE, "value", "x", NULL);
  g_autofree SetlDataType *types = NULL;
  g_autofree char *described = NULL;
  guint n = 0;

  g_assert_cmpstr (setl_check_get_check_name (range), ==, "test_in_range");
  g_assert_cmpstr (setl_check_get_check_name (ne), ==, "test_ne");
  g_assert_true (setl_check_is_vectorized (range));
  g_assert_false (setl_check_is_vectorized (ne));
  g_assert_true (setl_check_can_synthesize (range));
  g_assert_false (setl_check_can_synthesize (ne));

  types = setl_check_get_supported_types (range, &n);
  g_assert_cmpuint (n, ==, 4);
  g_assert_cmpint (types[0], ==, SETL_DATA_TYPE_INT64);
  g_assert_cmpint (types[1], ==, SETL_DATA_TYPE_DOUBLE);
  g_assert_cmpint (types[2], ==, SETL_DATA_TYPE_DATE32);
  g_assert_cmpint (types[3], ==, SETL_DATA_TYPE_TIMESTAMP);
  g_assert_false (setl_check_supports_type (range, SETL_DATA_TYPE_STRING));
  g_assert_false (setl_check_supports_type (range, SETL_DATA_TYPE_BOOL));
  for (SetlDataType t = SETL_DATA_TYPE_BOOL; t <= SETL_DATA_TYPE_TIMESTAMP; t++)
    g_assert_true (setl_check_supports_type (ne, t));

  g_object_set (range, "min-value", 1.0, "max-value", 5.5, NULL);
  described = setl_check_describe (range);
  g_assert_cmpstr (described, ==, "test_in_range(min-value=1.000000, max-value=5.500000)");
}

static void
test_vectorized_each_type (void)
{
  static const struct { SetlDataType type; double lo, hi; } cases[] = {
    { SETL_DATA_TYPE_INT64, 5, 50 },
    { SETL_DATA_TYPE_DOUBLE, 4.5, 30 },
    { SETL_DATA_TYPE_DATE32, 3, 41 },
    { SETL_DATA_TYPE_TIMESTAMP, 4e6, 2.2e7 },
  };

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      g_autoptr(SetlCheck) check = g_object_new (TEST_TYPE_RANGE, "min-value", cases[c].lo,
                                                 "max-value", cases[c].hi, NULL);
      g_autoptr(SetlColumn) column = make_column (cases[c].type);
      gboolean expected[N_ROWS];
      guint passing_nulls = 0, failing = 0;

      for (guint i = 0; i < N_ROWS; i++)
        {
          expected[i] = in_range_at (cases[c].type, i, cases[c].lo, cases[c].hi);
          failing += !expected[i];
          /* A null slot holds 0, outside every range here: only the base
           * class makes it pass. */
          passing_nulls += row_is_null (i);
        }
      g_assert_cmpuint (failing, >, 0);
      g_assert_cmpuint (passing_nulls, >, 0);
      g_assert_false (0 >= cases[c].lo && 0 <= cases[c].hi);
      assert_results_with_slices (check, column, expected);
    }
}

static void
test_element_wise_each_type (void)
{
  for (SetlDataType t = SETL_DATA_TYPE_BOOL; t <= SETL_DATA_TYPE_TIMESTAMP; t++)
    {
      const guint forbidden = 6;   /* a valid row: its value fails */
      g_autofree char *text = text_at (t, forbidden);
      g_autoptr(SetlCheck) check = g_object_new (TEST_TYPE_NE, "value", text, NULL);
      g_autoptr(SetlColumn) column = make_column (t);
      gboolean expected[N_ROWS];

      g_assert_false (row_is_null (forbidden));
      for (guint i = 0; i < N_ROWS; i++)
        expected[i] = ne_at (t, i, forbidden);
      g_assert_false (expected[forbidden]);
      assert_results_with_slices (check, column, expected);
    }
}

static void
test_all_nulls_pass (void)
{
  g_autoptr(SetlColumnBuilder) builder = setl_column_builder_new (SETL_DATA_TYPE_INT64);
  g_autoptr(SetlColumn) column = NULL;
  g_autoptr(SetlCheck) range = g_object_new (TEST_TYPE_RANGE, "min-value", 5.0, NULL);
  g_autoptr(SetlCheck) ne = g_object_new (TEST_TYPE_NE, "value", "0", NULL);
  g_autoptr(GError) error = NULL;
  gint64 n_failed = -1;

  for (guint i = 0; i < 10; i++)
    setl_column_builder_append_null (builder);
  column = setl_column_builder_finish (builder, &error);
  g_assert_no_error (error);

  g_assert_true (setl_check_run (range, column, &n_failed, NULL, &error));
  g_assert_cmpint (n_failed, ==, 0);
  g_assert_true (setl_check_run (ne, column, &n_failed, NULL, &error));
  g_assert_cmpint (n_failed, ==, 0);
  g_assert_no_error (error);
}

static void
test_unsupported_type (void)
{
  g_autoptr(SetlCheck) range = g_object_new (TEST_TYPE_RANGE, NULL);
  g_autoptr(SetlColumn) column = make_column (SETL_DATA_TYPE_STRING);
  g_autoptr(GError) error = NULL;
  g_autoptr(SetlColumn) result = setl_check_check_column (range, column, &error);

  g_assert_null (result);
  g_assert_error (error, SETL_CHECK_ERROR, SETL_CHECK_ERROR_UNSUPPORTED_TYPE);
  g_assert_nonnull (strstr (error->message, "“test_in_range”"));
  g_assert_nonnull (strstr (error->message, "string"));
  g_assert_nonnull (strstr (error->message, "int64, double, date32, timestamp"));
}

static void
test_prepare_empty_interval (void)
{
  g_autoptr(SetlCheck) range = g_object_new (TEST_TYPE_RANGE, "min-value", 5.0,
                                             "max-value", 1.0, NULL);
  g_autoptr(SetlColumn) column = make_column (SETL_DATA_TYPE_INT64);
  g_autoptr(SetlColumn) result = NULL;
  g_autoptr(GError) error = NULL;
  gint64 n_failed = -1;

  g_assert_false (setl_check_prepare (range, &error));
  g_assert_error (error, SETL_CHECK_ERROR, SETL_CHECK_ERROR_INVALID_PARAMETER);
  g_assert_nonnull (strstr (error->message, "Check “test_in_range”"));
  g_assert_nonnull (strstr (error->message, "parameter “max-value”"));
  g_assert_nonnull (strstr (error->message, "the interval is empty"));
  g_clear_error (&error);

  /* Running prepares, and fails the same way. */
  g_assert_false (setl_check_run (range, column, &n_failed, NULL, &error));
  g_assert_error (error, SETL_CHECK_ERROR, SETL_CHECK_ERROR_INVALID_PARAMETER);
  g_assert_cmpint (n_failed, ==, -1);
  g_clear_error (&error);

  /* Fixing the parameter is enough: the check is prepared again. */
  g_object_set (range, "max-value", 40.0, NULL);
  result = setl_check_check_column (range, column, &error);
  g_assert_no_error (error);
  g_assert_nonnull (result);
}

static void
test_prepare_required_parameter (void)
{
  g_autoptr(SetlCheck) ne = g_object_new (TEST_TYPE_NE, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_false (setl_check_prepare (ne, &error));
  g_assert_error (error, SETL_CHECK_ERROR, SETL_CHECK_ERROR_INVALID_PARAMETER);
  g_assert_cmpstr (error->message, ==, "Check “test_ne”: parameter “value”: is required");
}

/* prepare runs once until a parameter changes; the base class's own
 * properties do not need it again. */
static void
test_prepare_once (void)
{
  g_autoptr(SetlCheck) range = g_object_new (TEST_TYPE_RANGE, NULL);
  g_autoptr(SetlColumn) column = make_column (SETL_DATA_TYPE_DOUBLE);
  g_autoptr(GError) error = NULL;
  guint before = range_prepared;

  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(SetlColumn) result = setl_check_check_column (range, column, &error);
      g_assert_no_error (error);
    }
  g_assert_cmpuint (range_prepared, ==, before + 1);

  g_object_set (range, "mostly", 0.5, "level", SETL_CHECK_LEVEL_WARNING, NULL);
  g_assert_true (setl_check_run (range, column, NULL, NULL, &error));
  g_assert_cmpuint (range_prepared, ==, before + 1);

  g_object_set (range, "min-value", -1.0, NULL);
  g_assert_true (setl_check_run (range, column, NULL, NULL, &error));
  g_assert_cmpuint (range_prepared, ==, before + 2);
  g_assert_no_error (error);
}

static void
test_base_properties (void)
{
  g_autoptr(SetlCheck) check = g_object_new (TEST_TYPE_RANGE, NULL);
  g_autofree char *message = NULL;
  SetlCheckLevel level;
  double mostly;
  GParamSpec *pspec;

  /* Defaults. */
  g_assert_cmpfloat (setl_check_get_mostly (check), ==, 1.0);
  g_assert_cmpint (setl_check_get_level (check), ==, SETL_CHECK_LEVEL_ERROR);
  g_assert_null (setl_check_get_error_message (check));

  /* As properties, as a pipeline file or a schema would set them. */
  g_object_set (check, "mostly", 0.9, "level", SETL_CHECK_LEVEL_WARNING,
                "error-message", "ages must be plausible", NULL);
  g_object_get (check, "mostly", &mostly, "level", &level, "error-message", &message, NULL);
  g_assert_cmpfloat (mostly, ==, 0.9);
  g_assert_cmpint (level, ==, SETL_CHECK_LEVEL_WARNING);
  g_assert_cmpstr (message, ==, "ages must be plausible");
  g_assert_cmpstr (setl_check_get_error_message (check), ==, "ages must be plausible");

  /* The level's nicks are what schema documents spell. */
  {
    GEnumClass *klass = g_type_class_ref (SETL_TYPE_CHECK_LEVEL);
    g_assert_cmpint (g_enum_get_value_by_nick (klass, "warning")->value, ==, SETL_CHECK_LEVEL_WARNING);
    g_assert_cmpint (g_enum_get_value_by_nick (klass, "error")->value, ==, SETL_CHECK_LEVEL_ERROR);
    g_type_class_unref (klass);
  }

  /* mostly is a fraction. */
  pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (check), "mostly");
  g_assert_cmpfloat (G_PARAM_SPEC_DOUBLE (pspec)->minimum, ==, 0.0);
  g_assert_cmpfloat (G_PARAM_SPEC_DOUBLE (pspec)->maximum, ==, 1.0);

  /* Passing with mostly = 0.9: at most one failure in ten checked values. */
  g_assert_true (setl_check_passes (check, 0, 10));
  g_assert_true (setl_check_passes (check, 1, 10));
  g_assert_false (setl_check_passes (check, 2, 10));
  g_assert_true (setl_check_passes (check, 0, 0));
  setl_check_set_mostly (check, 1.0);
  g_assert_false (setl_check_passes (check, 1, 1000000));
  setl_check_set_mostly (check, 0.0);
  g_assert_true (setl_check_passes (check, 10, 10));

  setl_check_set_error_message (check, NULL);
  g_assert_null (setl_check_get_error_message (check));
}

/* mostly, applied to a real run: the failures counted over the non-null
 * values decide. */
static void
test_mostly_on_a_run (void)
{
  g_autoptr(SetlCheck) check = g_object_new (TEST_TYPE_RANGE, "min-value", -10.0,
                                             "max-value", 80.0, NULL);
  g_autoptr(SetlColumn) column = make_column (SETL_DATA_TYPE_INT64);
  g_autoptr(GError) error = NULL;
  gint64 n_failed, n_checked = N_ROWS - setl_column_get_null_count (column);
  gint64 want = 0;

  for (guint i = 0; i < N_ROWS; i++)
    want += !in_range_at (SETL_DATA_TYPE_INT64, i, -10, 80);
  g_assert_cmpint (want, >, 0);

  g_assert_true (setl_check_run (check, column, &n_failed, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (n_failed, ==, want);
  g_assert_false (setl_check_passes (check, n_failed, n_checked));
  setl_check_set_mostly (check, (double) (n_checked - n_failed) / (double) n_checked);
  g_assert_true (setl_check_passes (check, n_failed, n_checked));
  g_assert_false (setl_check_passes (check, n_failed + 1, n_checked));
}

static void
test_bad_implementations (void)
{
  g_autoptr(SetlCheck) short_result = g_object_new (TEST_TYPE_BAD_SHAPE, NULL);
  g_autoptr(SetlCheck) nothing = g_object_new (TEST_TYPE_BAD_SHAPE, NULL);
  g_autoptr(SetlCheck) no_impl = g_object_new (TEST_TYPE_NO_IMPL, NULL);
  g_autoptr(SetlCheck) nameless = g_object_new (TEST_TYPE_NAMELESS, NULL);
  g_autoptr(SetlColumn) column = make_column (SETL_DATA_TYPE_INT64);
  g_autoptr(GError) error = NULL;

  g_assert_false (setl_check_run (short_result, column, NULL, NULL, &error));
  g_assert_error (error, SETL_CHECK_ERROR, SETL_CHECK_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "“bad_shape”"));
  g_assert_nonnull (strstr (error->message, "36 rows for a column of 37"));
  g_clear_error (&error);

  TEST_BAD_SHAPE (nothing)->give_nothing = TRUE;
  g_assert_false (setl_check_run (nothing, column, NULL, NULL, &error));
  g_assert_error (error, SETL_CHECK_ERROR, SETL_CHECK_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "returned no result"));
  g_clear_error (&error);

  g_assert_false (setl_check_prepare (no_impl, &error));
  g_assert_error (error, SETL_CHECK_ERROR, SETL_CHECK_ERROR_INVALID_CHECK);
  g_assert_nonnull (strstr (error->message, "neither check_column nor check_value"));
  g_clear_error (&error);

  g_assert_false (setl_check_run (nameless, column, NULL, NULL, &error));
  g_assert_error (error, SETL_CHECK_ERROR, SETL_CHECK_ERROR_INVALID_CHECK);
  g_assert_nonnull (strstr (error->message, "TestNameless has no name"));
}

static void
test_synthesize (void)
{
  g_autoptr(SetlCheck) range = g_object_new (TEST_TYPE_RANGE, "min-value", 2.5,
                                             "max-value", 9.0, NULL);
  g_autoptr(SetlCheck) ne = g_object_new (TEST_TYPE_NE, "value", "x", NULL);
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  g_autoptr(GError) error = NULL;
  g_auto(GValue) value = G_VALUE_INIT;

  for (SetlDataType t = SETL_DATA_TYPE_INT64; t <= SETL_DATA_TYPE_TIMESTAMP; t++)
    {
      g_autoptr(SetlColumnBuilder) builder = NULL;
      g_autoptr(SetlColumn) column = NULL;
      gint64 n_failed = -1;

      if (t == SETL_DATA_TYPE_STRING)
        continue;
      builder = setl_column_builder_new (t);
      for (guint i = 0; i < 50; i++)
        {
          g_auto(GValue) v = G_VALUE_INIT;

          g_assert_true (setl_check_synthesize (range, t, rand, &v, &error));
          g_assert_no_error (error);
          switch (t)
            {
            case SETL_DATA_TYPE_INT64: setl_column_builder_append_int64 (builder, g_value_get_int64 (&v)); break;
            case SETL_DATA_TYPE_DOUBLE: setl_column_builder_append_double (builder, g_value_get_double (&v)); break;
            case SETL_DATA_TYPE_DATE32: setl_column_builder_append_date32 (builder, g_value_get_int (&v)); break;
            case SETL_DATA_TYPE_TIMESTAMP: setl_column_builder_append_timestamp (builder, g_value_get_int64 (&v)); break;
            default: g_assert_not_reached ();
            }
        }
      column = setl_column_builder_finish (builder, &error);
      g_assert_true (setl_check_run (range, column, &n_failed, NULL, &error));
      g_assert_cmpint (n_failed, ==, 0);
    }

  /* Not for a type it does not support, nor for a check that cannot. */
  g_assert_false (setl_check_synthesize (range, SETL_DATA_TYPE_STRING, rand, &value, &error));
  g_assert_error (error, SETL_CHECK_ERROR, SETL_CHECK_ERROR_UNSUPPORTED_TYPE);
  g_assert_false (G_IS_VALUE (&value));
  g_clear_error (&error);
  g_assert_false (setl_check_synthesize (ne, SETL_DATA_TYPE_STRING, rand, &value, &error));
  g_assert_error (error, SETL_CHECK_ERROR, SETL_CHECK_ERROR_NOT_SUPPORTED);
  g_clear_error (&error);

  /* A synthesis that cannot succeed says so. */
  g_object_set (range, "min-value", 2.2, "max-value", 2.8, NULL);
  g_assert_false (setl_check_synthesize (range, SETL_DATA_TYPE_INT64, rand, &value, &error));
  g_assert_error (error, SETL_CHECK_ERROR, SETL_CHECK_ERROR_FAILED);
  g_assert_false (G_IS_VALUE (&value));
}

/* A prepared check runs from several threads at once. */
typedef struct { SetlCheck *check; SetlColumn *column; gint64 n_failed; } ThreadRun;

static gpointer
run_in_thread (gpointer data)
{
  ThreadRun *run = data;

  for (guint i = 0; i < 50; i++)
    g_assert_true (setl_check_run (run->check, run->column, &run->n_failed, NULL, NULL));
  return NULL;
}

static void
test_threads (void)
{
  g_autoptr(SetlCheck) range = g_object_new (TEST_TYPE_RANGE, "min-value", 5.0,
                                             "max-value", 50.0, NULL);
  g_autoptr(SetlCheck) ne = g_object_new (TEST_TYPE_NE, "value", "s3", NULL);
  g_autoptr(SetlColumn) ints = make_column (SETL_DATA_TYPE_INT64);
  g_autoptr(SetlColumn) strings = make_column (SETL_DATA_TYPE_STRING);
  ThreadRun runs[4];
  GThread *threads[4];
  gint64 want_range = 0, want_ne = 0;

  for (guint i = 0; i < N_ROWS; i++)
    {
      want_range += !in_range_at (SETL_DATA_TYPE_INT64, i, 5, 50);
      want_ne += !ne_at (SETL_DATA_TYPE_STRING, i, 3);
    }
  for (guint t = 0; t < 4; t++)
    {
      runs[t] = (ThreadRun) { t % 2 ? ne : range, t % 2 ? strings : ints, -1 };
      threads[t] = g_thread_new ("check", run_in_thread, &runs[t]);
    }
  for (guint t = 0; t < 4; t++)
    {
      g_thread_join (threads[t]);
      g_assert_cmpint (runs[t].n_failed, ==, t % 2 ? want_ne : want_range);
    }
}

/* ---- check-library plugins --------------------------------------------- */

static char *
fixture (const char *name)
{
  return g_strdup_printf ("%s/%s.%s", g_getenv ("SETL_TEST_FIXTURES"), name, G_MODULE_SUFFIX);
}

/* A registry over a new directory holding a copy of fixture @name. */
static SetlPluginRegistry *
registry_with (const char *name,
               char      **dir_out)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *src = fixture (name);
  g_autofree char *contents = NULL;
  g_autofree char *dest = NULL;
  g_autofree char *cache = NULL;
  char *dir = g_dir_make_tmp ("setl-check-XXXXXX", &error);
  gsize length;
  SetlPluginRegistry *registry;
  const char *path[] = { dir, NULL };

  g_assert_no_error (error);
  dest = g_strdup_printf ("%s/%s.%s", dir, name, G_MODULE_SUFFIX);
  g_assert_true (g_file_get_contents (src, &contents, &length, &error));
  g_assert_true (g_file_set_contents (dest, contents, length, &error));
  cache = g_build_filename (dir, "registry.cache", NULL);
  registry = setl_plugin_registry_new (path, cache);
  g_assert_true (setl_plugin_registry_update (registry, &error));
  g_assert_no_error (error);
  *dir_out = dir;
  return registry;
}

static void
remove_dir (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_remove (path);
    }
  g_rmdir (dir);
}

static void
test_plugin_through_registry (void)
{
  g_autofree char *dir = NULL;
  g_autoptr(SetlPluginRegistry) registry = registry_with ("good-check", &dir);
  g_autoptr(GPtrArray) libraries = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GObject) object = NULL;
  g_autoptr(SetlColumn) column = make_column (SETL_DATA_TYPE_INT64);
  g_autoptr(GArray) rows = NULL;
  SetlPluginFeature *feature;
  SetlCheck *check;
  gint64 n_failed = -1, want = 0;
  guint k = 0;

  libraries = setl_plugin_registry_get_features (registry, SETL_FEATURE_KIND_CHECK_LIBRARY);
  g_assert_cmpuint (libraries->len, ==, 3);
  feature = setl_plugin_registry_lookup_feature (registry, "multiple-of");
  g_assert_nonnull (feature);
  g_assert_cmpint (setl_plugin_feature_get_kind (feature), ==, SETL_FEATURE_KIND_CHECK_LIBRARY);
  /* The parameters are in the registry's metadata before the module opens. */
  g_assert_false (setl_plugin_feature_is_loaded (feature));
  g_assert_nonnull (setl_plugin_feature_find_property (feature, "divisor"));
  g_assert_nonnull (setl_plugin_feature_find_property (feature, "mostly"));

  object = setl_plugin_feature_create (feature, &error);
  g_assert_no_error (error);
  g_assert_true (SETL_IS_CHECK (object));
  check = SETL_CHECK (object);
  g_assert_cmpstr (setl_check_get_check_name (check), ==, "multiple_of");
  g_assert_true (setl_check_is_vectorized (check));

  g_object_set (check, "divisor", (gint64) 4, NULL);
  g_assert_true (setl_check_run (check, column, &n_failed, &rows, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < N_ROWS; i++)
    if (!row_is_null (i) && int_at (i) % 4 != 0)
      {
        want++;
        g_assert_cmpint (g_array_index (rows, gint64, k++), ==, i);
      }
  g_assert_cmpint (n_failed, ==, want);
  g_assert_cmpint (want, >, 0);

  /* Its prepare refuses a zero divisor, naming it. */
  g_object_set (check, "divisor", (gint64) 0, NULL);
  g_assert_false (setl_check_run (check, column, NULL, NULL, &error));
  g_assert_error (error, SETL_CHECK_ERROR, SETL_CHECK_ERROR_INVALID_PARAMETER);
  g_assert_cmpstr (error->message, ==, "Check “multiple_of”: parameter “divisor”: must not be 0");

  remove_dir (dir);
}

static void
test_plugin_not_a_check_refused (void)
{
  g_autofree char *dir = NULL;
  g_autoptr(SetlPluginRegistry) registry = registry_with ("broken-not-a-check", &dir);
  g_autoptr(GPtrArray) plugins = setl_plugin_registry_get_plugins (registry);
  g_autoptr(GPtrArray) refused = setl_plugin_registry_get_refused (registry);
  g_autofree char *path = g_strdup_printf ("%s/broken-not-a-check.%s", dir, G_MODULE_SUFFIX);
  g_autoptr(GError) error = NULL;
  g_autoptr(SetlPlugin) direct = NULL;
  const GError *e;

  g_assert_cmpuint (plugins->len, ==, 0);
  g_assert_cmpuint (refused->len, ==, 1);
  e = setl_plugin_get_error (g_ptr_array_index (refused, 0));
  g_assert_error ((GError *) e, SETL_PLUGIN_ERROR, SETL_PLUGIN_ERROR_INIT_FAILED);
  g_assert_nonnull (strstr (e->message, path));
  g_assert_nonnull (strstr (e->message, "feature “not-a-check”"));
  g_assert_nonnull (strstr (e->message, "FixtureNotACheck is not a SetlCheck"));
  g_assert_null (setl_plugin_registry_lookup_feature (registry, "not-a-check"));

  /* Loaded on its own, the same refusal. */
  direct = setl_plugin_load_file (path, &error);
  g_assert_null (direct);
  g_assert_error (error, SETL_PLUGIN_ERROR, SETL_PLUGIN_ERROR_INIT_FAILED);
  g_assert_nonnull (strstr (error->message, "is not a SetlCheck"));

  remove_dir (dir);
}

static int
run_plugin_check (const char *plugin,
                  char      **out)
{
  const char *argv[] = { g_getenv ("SETL_PLUGIN_CHECK"), plugin, NULL };
  g_autoptr(GError) error = NULL;
  int status = 0;

  g_assert_nonnull (argv[0]);
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                               out, NULL, &status, &error));
  g_assert_no_error (error);
  g_test_message ("%s", *out);
  return WIFEXITED (status) ? WEXITSTATUS (status) : 128;
}

static void
assert_contains (const char *haystack,
                 const char *needle)
{
  if (strstr (haystack, needle) == NULL)
    g_error ("“%s” not in:\n%s", needle, haystack);
}

static void
test_plugin_check_good (void)
{
  g_autofree char *plugin = fixture ("good-check");
  g_autofree char *out = NULL;

  g_assert_cmpint (run_plugin_check (plugin, &out), ==, 0);
  assert_contains (out, "PASS  multiple-of (check-library): type is a SetlCheck");
  assert_contains (out, "PASS  multiple-of (check-library): declares the column types it supports — int64, timestamp; vectorized");
  assert_contains (out, "PASS  multiple-of (check-library): property “divisor” is settable");
  assert_contains (out, "PASS  multiple-of (check-library): a check accepts its default parameters");
  assert_contains (out, "PASS  multiple-of (check-library): runs on a column of int64, nulls included");
  assert_contains (out, "PASS  multiple-of (check-library): gives the same results on a slice of a column of timestamp");
  assert_contains (out, "PASS  multiple-of (check-library): values it synthesizes for a column of int64 pass it");
  assert_contains (out, "PASS  not-blank (check-library): declares the column types it supports — string; element-wise");
  assert_contains (out, "PASS  not-blank (check-library): runs on a column of string, nulls included");
  assert_contains (out, "PASS  one-of (check-library): needs parameters: the error names the check and the parameter");
  assert_contains (out, "PASS  numbers-source (source): a source yields batches with the stream's fields — 10 rows, 1 columns");
  assert_contains (out, " 0 failed");
  g_assert_null (strstr (out, "FAIL"));
  /* The base class's properties are not the plugin's to test. */
  g_assert_null (strstr (out, "“mostly”"));
}

static void
test_plugin_check_not_a_check (void)
{
  g_autofree char *plugin = fixture ("broken-not-a-check");
  g_autofree char *out = NULL;

  g_assert_cmpint (run_plugin_check (plugin, &out), ==, 1);
  assert_contains (out, "FAIL  ");
  assert_contains (out, "is not a SetlCheck");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/check/metadata", test_metadata);
  g_test_add_func ("/check/vectorized/each-type", test_vectorized_each_type);
  g_test_add_func ("/check/element-wise/each-type", test_element_wise_each_type);
  g_test_add_func ("/check/nulls/all-null-column-passes", test_all_nulls_pass);
  g_test_add_func ("/check/unsupported-type", test_unsupported_type);
  g_test_add_func ("/check/prepare/empty-interval", test_prepare_empty_interval);
  g_test_add_func ("/check/prepare/required-parameter", test_prepare_required_parameter);
  g_test_add_func ("/check/prepare/once-until-changed", test_prepare_once);
  g_test_add_func ("/check/properties/mostly-level-message", test_base_properties);
  g_test_add_func ("/check/properties/mostly-on-a-run", test_mostly_on_a_run);
  g_test_add_func ("/check/bad-implementations", test_bad_implementations);
  g_test_add_func ("/check/synthesize", test_synthesize);
  g_test_add_func ("/check/threads", test_threads);
  g_test_add_func ("/check/plugin/through-registry", test_plugin_through_registry);
  g_test_add_func ("/check/plugin/not-a-check-refused", test_plugin_not_a_check_refused);
  g_test_add_func ("/check/plugin/setl-plugin-check", test_plugin_check_good);
  g_test_add_func ("/check/plugin/setl-plugin-check-not-a-check", test_plugin_check_not_a_check);

  return g_test_run ();
}
