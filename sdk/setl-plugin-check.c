/* setl-plugin-check.c: conformance checks for one plugin file.
 *
 * Usage: setl-plugin-check PLUGIN.so
 *
 * Loads the plugin on its own (no registry, no search path), checks its
 * descriptor, and puts every feature through the contract of its kind:
 *
 *   every kind     the type is registered under the recorded name, is not
 *                  abstract, and an instance can be made; every readable
 *                  property reads back its default; every writable one
 *                  takes its default, and numeric ones their minimum and
 *                  maximum, and reads them back
 *   factories      the type is a SetlFactory; the output type is declared;
 *                  sources need no input and, run with default properties,
 *                  yield a value of their output type (a failure there is a
 *                  warning: a source may need configuring), and a source
 *                  of SETL_TYPE_BATCH_STREAM yields a batch with the
 *                  stream's fields; transforms and sinks declare at least
 *                  one input
 *   check library  the type is a SetlCheck with a name and the column
 *                  types it supports; it accepts its default parameters
 *                  (or, if it needs some, its error names the parameter);
 *                  on a small column of each supported type, nulls
 *                  included, it gives a bool column of the same length in
 *                  which the nulls pass, and the same results on a slice;
 *                  values it synthesizes pass it
 *   other kinds    their interfaces do not exist yet: only the checks every
 *                  kind gets
 *
 * Prints PASS/FAIL/WARN per check and exits 1 if any check failed.
 *
 * The plugin's code runs in a child process (fork): a plugin that crashes
 * or aborts while it is loaded or checked kills the child, and the checker
 * prints a FAIL line naming the signal and exits 1 instead of dying with it.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <setl/setl-plugin.h>

typedef struct {
  guint passed;
  guint failed;
  guint warned;
} Tally;

static void
report (Tally      *tally,
        gboolean    ok,
        const char *subject,
        const char *check,
        const char *detail)
{
  if (ok)
    tally->passed++;
  else
    tally->failed++;
  printf ("%s  %s: %s%s%s\n", ok ? "PASS" : "FAIL", subject, check,
          detail ? " — " : "", detail ? detail : "");
}

static void
warn (Tally      *tally,
      const char *subject,
      const char *check,
      const char *detail)
{
  tally->warned++;
  printf ("WARN  %s: %s — %s\n", subject, check, detail);
}

static gboolean
is_valid_name (const char *name)
{
  if (name == NULL || !g_ascii_islower (name[0]))
    return FALSE;
  for (const char *p = name; *p; p++)
    if (!g_ascii_islower (*p) && !g_ascii_isdigit (*p) && *p != '-')
      return FALSE;
  return TRUE;
}

static void
check_descriptor (Tally      *tally,
                  SetlPlugin *plugin)
{
  const char *name = setl_plugin_get_name (plugin);
  g_autofree char *abi = g_strdup_printf ("built for %u.%u, libsetl has %d.%d",
                                          setl_plugin_get_abi_major (plugin),
                                          setl_plugin_get_abi_minor (plugin),
                                          SETL_ABI_MAJOR, SETL_ABI_MINOR);

  report (tally, TRUE, name, "descriptor found and plugin initialised", NULL);
  report (tally, is_valid_name (name), name,
          "name is lower case, digits and dashes", NULL);
  report (tally, setl_plugin_get_abi_major (plugin) == SETL_ABI_MAJOR &&
                 setl_plugin_get_abi_minor (plugin) <= SETL_ABI_MINOR,
          name, "ABI accepted", abi);
  report (tally, setl_plugin_get_version (plugin) && *setl_plugin_get_version (plugin),
          name, "has a version", NULL);
  report (tally, setl_plugin_get_description (plugin) && *setl_plugin_get_description (plugin),
          name, "has a description", NULL);
  report (tally, setl_plugin_get_license (plugin) && *setl_plugin_get_license (plugin),
          name, "has a license", NULL);
  report (tally, setl_plugin_get_origin (plugin) && *setl_plugin_get_origin (plugin),
          name, "has an origin URL", NULL);
  report (tally, setl_plugin_get_features (plugin)->len > 0,
          name, "registers at least one feature", NULL);
}

/* Sets @value on @object's property and reads it back. */
static gboolean
round_trip (GObject      *object,
            GParamSpec   *pspec,
            const GValue *value,
            char        **detail)
{
  g_auto(GValue) back = G_VALUE_INIT;

  g_object_set_property (object, pspec->name, value);
  g_value_init (&back, pspec->value_type);
  g_object_get_property (object, pspec->name, &back);
  if (g_param_values_cmp (pspec, value, &back) != 0)
    {
      g_autofree char *want = g_strdup_value_contents (value);
      g_autofree char *got = g_strdup_value_contents (&back);
      *detail = g_strdup_printf ("set %s, read back %s", want, got);
      return FALSE;
    }
  return TRUE;
}

static void
set_bound (GParamSpec *pspec,
           GValue     *value,
           gboolean    maximum)
{
#define BOUND(T, setter) \
  setter (value, maximum ? G_PARAM_SPEC_##T (pspec)->maximum : G_PARAM_SPEC_##T (pspec)->minimum)
  if (G_IS_PARAM_SPEC_INT (pspec)) BOUND (INT, g_value_set_int);
  else if (G_IS_PARAM_SPEC_UINT (pspec)) BOUND (UINT, g_value_set_uint);
  else if (G_IS_PARAM_SPEC_INT64 (pspec)) BOUND (INT64, g_value_set_int64);
  else if (G_IS_PARAM_SPEC_UINT64 (pspec)) BOUND (UINT64, g_value_set_uint64);
  else if (G_IS_PARAM_SPEC_LONG (pspec)) BOUND (LONG, g_value_set_long);
  else if (G_IS_PARAM_SPEC_ULONG (pspec)) BOUND (ULONG, g_value_set_ulong);
  else if (G_IS_PARAM_SPEC_DOUBLE (pspec)) BOUND (DOUBLE, g_value_set_double);
  else if (G_IS_PARAM_SPEC_FLOAT (pspec)) BOUND (FLOAT, g_value_set_float);
#undef BOUND
}

static gboolean
is_numeric (GParamSpec *pspec)
{
  return G_IS_PARAM_SPEC_INT (pspec) || G_IS_PARAM_SPEC_UINT (pspec) ||
         G_IS_PARAM_SPEC_INT64 (pspec) || G_IS_PARAM_SPEC_UINT64 (pspec) ||
         G_IS_PARAM_SPEC_LONG (pspec) || G_IS_PARAM_SPEC_ULONG (pspec) ||
         G_IS_PARAM_SPEC_DOUBLE (pspec) || G_IS_PARAM_SPEC_FLOAT (pspec);
}

static void
check_properties (Tally      *tally,
                  const char *subject,
                  GObject    *object)
{
  g_autofree GParamSpec **pspecs = NULL;
  guint n = 0;

  pspecs = g_object_class_list_properties (G_OBJECT_GET_CLASS (object), &n);
  for (guint i = 0; i < n; i++)
    {
      GParamSpec *pspec = pspecs[i];
      g_autofree char *check = NULL;
      g_autofree char *detail = NULL;
      g_auto(GValue) def = G_VALUE_INIT;
      g_auto(GValue) now = G_VALUE_INIT;
      gboolean ok = TRUE;

      /* The core's own properties (name, output-type, mostly…) are its business. */
      if (pspec->owner_type == SETL_TYPE_FACTORY || pspec->owner_type == SETL_TYPE_CHECK ||
          pspec->owner_type == G_TYPE_OBJECT)
        continue;

      g_value_init (&def, pspec->value_type);
      g_param_value_set_default (pspec, &def);

      if (pspec->flags & G_PARAM_READABLE)
        {
          check = g_strdup_printf ("property “%s” reads back its default", pspec->name);
          g_value_init (&now, pspec->value_type);
          g_object_get_property (object, pspec->name, &now);
          ok = g_param_values_cmp (pspec, &def, &now) == 0;
          if (!ok)
            {
              g_autofree char *want = g_strdup_value_contents (&def);
              g_autofree char *got = g_strdup_value_contents (&now);
              detail = g_strdup_printf ("default %s, instance has %s", want, got);
            }
          report (tally, ok, subject, check, detail);
          g_clear_pointer (&check, g_free);
          g_clear_pointer (&detail, g_free);
        }
      else
        report (tally, FALSE, subject, "property is readable", pspec->name);

      if ((pspec->flags & G_PARAM_WRITABLE) && !(pspec->flags & G_PARAM_CONSTRUCT_ONLY) &&
          (pspec->flags & G_PARAM_READABLE))
        {
          check = g_strdup_printf ("property “%s” is settable", pspec->name);
          ok = round_trip (object, pspec, &def, &detail);
          if (ok && is_numeric (pspec))
            {
              g_auto(GValue) bound = G_VALUE_INIT;

              g_value_init (&bound, pspec->value_type);
              set_bound (pspec, &bound, FALSE);
              ok = round_trip (object, pspec, &bound, &detail);
              if (ok)
                {
                  set_bound (pspec, &bound, TRUE);
                  ok = round_trip (object, pspec, &bound, &detail);
                }
              /* Leave the default in place for the checks that follow. */
              g_object_set_property (object, pspec->name, &def);
            }
          report (tally, ok, subject, check, detail);
        }
    }
}

static guint
n_required_inputs (SetlFactory *factory)
{
  GPtrArray *slots = setl_factory_get_deliveries (factory);
  guint n = 0;

  for (guint i = 0; i < slots->len; i++)
    if (!setl_delivery_get_optional (g_ptr_array_index (slots, i)))
      n++;
  return n;
}

/* A stream source's output: opened, one batch pulled. What fails with
 * default properties is a warning, as for running the source. */
static void
check_source_batches (Tally           *tally,
                      const char      *subject,
                      SetlBatchStream *stream)
{
  const char *check = "a source yields batches";
  g_autoptr(GError) error = NULL;
  g_autoptr(SetlBatchIterator) it = NULL;
  g_autoptr(SetlRecordBatch) batch = NULL;
  g_autofree char *detail = NULL;
  SetlField **fields;
  guint n_fields;
  gboolean ok;

  if (stream == NULL)
    {
      report (tally, FALSE, subject, check, "get() gave no stream");
      return;
    }
  it = setl_batch_stream_open (stream, NULL, &error);
  if (it == NULL)
    {
      warn (tally, subject, check, error ? error->message : "cannot open the stream");
      return;
    }
  batch = setl_batch_iterator_next (it, NULL, &error);
  if (batch == NULL)
    {
      warn (tally, subject, check,
            error ? error->message : "no batch with default properties (an empty stream)");
      return;
    }

  fields = setl_batch_stream_get_fields (stream, &n_fields);
  ok = setl_record_batch_get_n_columns (batch) == n_fields;
  for (guint i = 0; ok && i < n_fields; i++)
    ok = setl_field_equal (fields[i], setl_record_batch_get_field (batch, i));
  if (ok)
    detail = g_strdup_printf ("%" G_GINT64_FORMAT " rows, %u columns",
                              setl_record_batch_get_n_rows (batch), n_fields);
  else
    detail = g_strdup_printf ("the batch has %u columns that are not the stream's %u fields",
                              setl_record_batch_get_n_columns (batch), n_fields);
  report (tally, ok, subject, "a source yields batches with the stream's fields", detail);
}

static void
check_source_runs (Tally       *tally,
                   const char  *subject,
                   SetlFactory *factory)
{
  g_autoptr(GError) error = NULL;
  g_auto(GValue) output = G_VALUE_INIT;
  GType type = setl_factory_get_output_type (factory);

  if (setl_factory_read (factory, NULL, &error) &&
      setl_factory_process (factory, NULL, &error) &&
      setl_factory_get (factory, &output, &error))
    {
      report (tally, G_VALUE_HOLDS (&output, type), subject,
              "run with default properties, yields its output type", g_type_name (type));
      if (G_VALUE_HOLDS (&output, type) && g_type_is_a (type, SETL_TYPE_BATCH_STREAM))
        check_source_batches (tally, subject, g_value_get_object (&output));
      return;
    }
  warn (tally, subject, "run with default properties", error ? error->message : "failed");
}

/* Check names are spelled as in schemas: `in_range`, `str_matches`. */
static gboolean
is_valid_check_name (const char *name)
{
  if (name == NULL || !g_ascii_islower (name[0]))
    return FALSE;
  for (const char *p = name; *p; p++)
    if (!g_ascii_islower (*p) && !g_ascii_isdigit (*p) && *p != '_')
      return FALSE;
  return TRUE;
}

/* Rows of the sample columns that are null. */
#define SAMPLE_ROWS 12
static const gboolean sample_null[SAMPLE_ROWS] = {
  FALSE, FALSE, TRUE, FALSE, FALSE, TRUE, FALSE, FALSE, FALSE, TRUE, FALSE, FALSE,
};

/* A column of @type with ordinary values, edge values (extremes, NaN,
 * empty strings) and nulls: whatever a check meets in real data. */
static SetlColumn *
sample_column (SetlDataType type)
{
  static const gint64 ints[SAMPLE_ROWS] = {
    0, 1, 0, -1, 42, 0, G_MAXINT64, G_MININT64, 7, 0, -1000000, 1000000,
  };
  static const double doubles[SAMPLE_ROWS] = {
    0.0, 1.5, 0.0, -2.25, 1e300, 0.0, -1e-300, 42.0, 7.0, 0.0, -1.0, 3.0,
  };
  static const char *const strings[SAMPLE_ROWS] = {
    "", "a", NULL, "héllo", "  ", NULL, "0", "abc", "ABC", NULL, "a longer value, with spaces", "42",
  };
  g_autoptr(SetlColumnBuilder) builder = setl_column_builder_new (type);

  for (guint i = 0; i < SAMPLE_ROWS; i++)
    {
      if (sample_null[i])
        {
          setl_column_builder_append_null (builder);
          continue;
        }
      switch (type)
        {
        case SETL_DATA_TYPE_BOOL: setl_column_builder_append_bool (builder, i % 3 == 0); break;
        case SETL_DATA_TYPE_INT64: setl_column_builder_append_int64 (builder, ints[i]); break;
        case SETL_DATA_TYPE_DOUBLE:
          /* Not-a-number and infinities too. */
          setl_column_builder_append_double (builder, i == 8 ? NAN : i == 11 ? INFINITY : doubles[i]);
          break;
        case SETL_DATA_TYPE_STRING: setl_column_builder_append_string (builder, strings[i], -1); break;
        case SETL_DATA_TYPE_DATE32:
          setl_column_builder_append_date32 (builder, (gint32) CLAMP (ints[i], G_MININT32, G_MAXINT32));
          break;
        case SETL_DATA_TYPE_TIMESTAMP: setl_column_builder_append_timestamp (builder, ints[i]); break;
        default: g_assert_not_reached ();
        }
    }
  return setl_column_builder_finish (builder, NULL);
}

static SetlColumn *
column_from_values (SetlDataType  type,
                    GValue       *values,
                    guint         n)
{
  g_autoptr(SetlColumnBuilder) builder = setl_column_builder_new (type);

  for (guint i = 0; i < n; i++)
    switch (type)
      {
      case SETL_DATA_TYPE_BOOL: setl_column_builder_append_bool (builder, g_value_get_boolean (&values[i])); break;
      case SETL_DATA_TYPE_INT64: setl_column_builder_append_int64 (builder, g_value_get_int64 (&values[i])); break;
      case SETL_DATA_TYPE_DOUBLE: setl_column_builder_append_double (builder, g_value_get_double (&values[i])); break;
      case SETL_DATA_TYPE_STRING: setl_column_builder_append_string (builder, g_value_get_string (&values[i]), -1); break;
      case SETL_DATA_TYPE_DATE32: setl_column_builder_append_date32 (builder, g_value_get_int (&values[i])); break;
      case SETL_DATA_TYPE_TIMESTAMP: setl_column_builder_append_timestamp (builder, g_value_get_int64 (&values[i])); break;
      default: g_assert_not_reached ();
      }
  return setl_column_builder_finish (builder, NULL);
}

/* Whether @message names one of @check's own parameters. */
static gboolean
names_a_parameter (SetlCheck  *check,
                   const char *message)
{
  g_autofree GParamSpec **pspecs = NULL;
  guint n = 0;

  pspecs = g_object_class_list_properties (G_OBJECT_GET_CLASS (check), &n);
  for (guint i = 0; i < n; i++)
    if (pspecs[i]->owner_type != SETL_TYPE_CHECK && g_type_is_a (pspecs[i]->owner_type, SETL_TYPE_CHECK) &&
        strstr (message, pspecs[i]->name) != NULL)
      return TRUE;
  return FALSE;
}

/* The check on one column of @type: shape, nulls, slices. */
static void
check_check_runs (Tally        *tally,
                  const char   *subject,
                  SetlCheck    *check,
                  SetlDataType  type)
{
  const char *type_name = setl_data_type_to_string (type);
  g_autoptr(GError) error = NULL;
  g_autoptr(SetlColumn) column = sample_column (type);
  g_autoptr(SetlColumn) result = NULL;
  g_autoptr(SetlColumn) slice = NULL;
  g_autoptr(SetlColumn) sliced_result = NULL;
  g_autofree char *check_name = NULL;
  g_autofree char *detail = NULL;
  gboolean ok;

  check_name = g_strdup_printf ("runs on a column of %s, nulls included: a bool column as long, nulls pass",
                                type_name);
  result = setl_check_check_column (check, column, &error);
  if (result == NULL)
    {
      report (tally, FALSE, subject, check_name, error->message);
      return;
    }
  ok = setl_column_get_data_type (result) == SETL_DATA_TYPE_BOOL &&
       setl_column_get_length (result) == SAMPLE_ROWS &&
       setl_column_get_null_count (result) == 0;
  for (guint i = 0; ok && i < SAMPLE_ROWS; i++)
    if (sample_null[i] && !setl_column_get_bool (result, i))
      {
        detail = g_strdup_printf ("the null at row %u fails", i);
        ok = FALSE;
      }
  report (tally, ok, subject, check_name, detail);
  if (!ok)
    return;

  g_clear_pointer (&check_name, g_free);
  check_name = g_strdup_printf ("gives the same results on a slice of a column of %s", type_name);
  slice = setl_column_slice (column, 3, 7);
  sliced_result = setl_check_check_column (check, slice, &error);
  if (sliced_result == NULL)
    {
      report (tally, FALSE, subject, check_name, error->message);
      return;
    }
  ok = setl_column_get_length (sliced_result) == 7;
  for (guint i = 0; ok && i < 7; i++)
    if (setl_column_get_bool (sliced_result, i) != setl_column_get_bool (result, i + 3))
      {
        detail = g_strdup_printf ("row %u of the slice (row %u of the column) differs", i, i + 3);
        ok = FALSE;
      }
  report (tally, ok, subject, check_name, detail);
}

/* Values the check makes must pass it. */
static void
check_check_synthesizes (Tally        *tally,
                         const char   *subject,
                         SetlCheck    *check,
                         SetlDataType  type)
{
  g_autofree char *check_name =
    g_strdup_printf ("values it synthesizes for a column of %s pass it", setl_data_type_to_string (type));
  g_autoptr(GRand) rand = g_rand_new_with_seed (20240601);
  g_autoptr(GError) error = NULL;
  g_autoptr(SetlColumn) column = NULL;
  g_autoptr(GArray) failed = NULL;
  g_autofree char *detail = NULL;
  GValue values[16] = { G_VALUE_INIT, };
  guint n = 0;
  gint64 n_failed = 0;

  for (; n < G_N_ELEMENTS (values); n++)
    if (!setl_check_synthesize (check, type, rand, &values[n], &error))
      break;
  if (error == NULL)
    {
      column = column_from_values (type, values, n);
      if (column != NULL && setl_check_run (check, column, &n_failed, &failed, &error) && n_failed > 0)
        {
          g_autofree char *value = g_strdup_value_contents (&values[g_array_index (failed, gint64, 0)]);
          detail = g_strdup_printf ("%" G_GINT64_FORMAT " of %u fail, %s the first", n_failed, n, value);
        }
    }
  report (tally, error == NULL && column != NULL && n_failed == 0, subject, check_name,
          error ? error->message : detail);
  for (guint i = 0; i < n; i++)
    g_value_unset (&values[i]);
}

static void
check_check (Tally      *tally,
             const char *subject,
             SetlCheck  *check)
{
  const char *name = setl_check_get_check_name (check);
  g_autofree SetlDataType *types = NULL;
  g_autoptr(GString) names = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  guint n_types = 0;

  report (tally, is_valid_check_name (name), subject,
          "has a check name of lower case, digits and underscores", name ? name : "none");
  types = setl_check_get_supported_types (check, &n_types);
  for (guint i = 0; i < n_types; i++)
    g_string_append_printf (names, "%s%s", i ? ", " : "", setl_data_type_to_string (types[i]));
  g_string_append (names, setl_check_is_vectorized (check) ? "; vectorized" : "; element-wise");
  report (tally, n_types > 0, subject, "declares the column types it supports", names->str);
  if (name == NULL || n_types == 0)
    return;

  if (!setl_check_prepare (check, &error))
    {
      /* A check may need parameters (a pattern, a set of values); then its
       * refusal must say which, and the rest cannot run. */
      gboolean ok = g_error_matches (error, SETL_CHECK_ERROR, SETL_CHECK_ERROR_INVALID_PARAMETER) &&
                    strstr (error->message, name) != NULL &&
                    names_a_parameter (check, error->message);

      report (tally, ok, subject,
              "needs parameters: the error names the check and the parameter", error->message);
      if (ok)
        printf ("SKIP  %s: running it needs parameters\n", subject);
      return;
    }
  report (tally, TRUE, subject, "a check accepts its default parameters", NULL);

  for (guint i = 0; i < n_types; i++)
    {
      check_check_runs (tally, subject, check, types[i]);
      if (setl_check_can_synthesize (check))
        check_check_synthesizes (tally, subject, check, types[i]);
    }
}

static void
check_feature (Tally             *tally,
               SetlPluginFeature *feature)
{
  const char *name = setl_plugin_feature_get_name (feature);
  SetlFeatureKind kind = setl_plugin_feature_get_kind (feature);
  g_autofree char *subject = g_strdup_printf ("%s (%s)", name, setl_feature_kind_to_string (kind));
  g_autoptr(GError) error = NULL;
  g_autoptr(GObject) object = NULL;
  GType type = setl_plugin_feature_load_type (feature, &error);

  report (tally, type != G_TYPE_INVALID &&
                 g_type_from_name (setl_plugin_feature_get_type_name (feature)) == type,
          subject, "type registered under its recorded name",
          setl_plugin_feature_get_type_name (feature));
  if (type == G_TYPE_INVALID)
    return;
  report (tally, is_valid_name (name), subject, "name is lower case, digits and dashes", NULL);
  report (tally, setl_plugin_feature_get_description (feature) != NULL, subject,
          "has a description", NULL);

  if (setl_feature_kind_is_factory (kind))
    report (tally, g_type_is_a (type, SETL_TYPE_FACTORY), subject, "type is a SetlFactory",
            g_type_name (type));
  else if (kind == SETL_FEATURE_KIND_CHECK_LIBRARY)
    report (tally, g_type_is_a (type, SETL_TYPE_CHECK), subject, "type is a SetlCheck",
            g_type_name (type));

  object = setl_plugin_feature_create (feature, &error);
  report (tally, object != NULL, subject, "an instance can be created",
          error ? error->message : NULL);
  if (object == NULL)
    return;

  {
    g_autofree GParamSpec **pspecs = g_object_class_list_properties (G_OBJECT_GET_CLASS (object), NULL);
    guint n = 0;
    while (pspecs[n]) n++;
    report (tally, setl_plugin_feature_get_properties (feature)->len == n, subject,
            "every property is in the registry's metadata", NULL);
  }

  check_properties (tally, subject, object);

  if (SETL_IS_FACTORY (object))
    {
      SetlFactory *factory = SETL_FACTORY (object);
      GType output = setl_factory_get_output_type (factory);

      report (tally, output != G_TYPE_INVALID && output != G_TYPE_NONE, subject,
              "declares its output type", g_type_name (output));
      if (kind == SETL_FEATURE_KIND_SOURCE)
        {
          report (tally, n_required_inputs (factory) == 0, subject,
                  "a source needs no input", NULL);
          if (n_required_inputs (factory) == 0 && output != G_TYPE_NONE && output != G_TYPE_INVALID)
            check_source_runs (tally, subject, factory);
        }
      else if (kind == SETL_FEATURE_KIND_SINK || setl_factory_get_deliveries (factory)->len > 0)
        report (tally, setl_factory_get_deliveries (factory)->len > 0, subject,
                kind == SETL_FEATURE_KIND_SINK ? "a sink declares an input"
                                               : "a transform declares an input", NULL);
      else
        /* Transforms such as sql and union declare their slots from a
         * property (the input names, their number): with the defaults
         * there may be none yet. */
        warn (tally, subject, "a transform declares an input",
              "none with its default properties; its inputs must come from a property");
    }
  else if (SETL_IS_CHECK (object))
    check_check (tally, subject, SETL_CHECK (object));
  else
    printf ("SKIP  %s: no interface contract for kind “%s” yet\n", subject,
            setl_feature_kind_to_string (kind));
}

/* Loads the plugin and runs every check; in the child process. */
static int
check_plugin (const char *filename)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SetlPlugin) plugin = NULL;
  Tally tally = { 0, };
  GPtrArray *features;

  plugin = setl_plugin_load_file (filename, &error);
  if (plugin == NULL)
    {
      printf ("FAIL  %s: load — %s\n", filename, error->message);
      printf ("\n0 passed, 1 failed\n");
      return 1;
    }

  check_descriptor (&tally, plugin);
  features = setl_plugin_get_features (plugin);
  for (guint i = 0; i < features->len; i++)
    check_feature (&tally, g_ptr_array_index (features, i));

  printf ("\n%u passed, %u failed, %u warnings\n", tally.passed, tally.failed, tally.warned);
  return tally.failed > 0 ? 1 : 0;
}

int
main (int    argc,
      char **argv)
{
  pid_t child;
  int status;
  int done[2];
  char finished = 0;
  ssize_t n;

  if (argc != 2 || g_str_equal (argv[1], "--help"))
    {
      fprintf (argc == 2 ? stdout : stderr,
               "Usage: setl-plugin-check PLUGIN.so\n\n"
               "Loads one plugin in isolation and checks its descriptor and\n"
               "the contract of every feature it registers.\n");
      return argc == 2 ? 0 : 2;
    }

  /* Line-buffered, so that the child's PASS lines printed before a crash
   * are not lost with its stdio buffer when standard output is a pipe. */
  setvbuf (stdout, NULL, _IOLBF, 0);
  fflush (stderr);

  /* The child writes one byte here once every check has run: an exit
   * without it (a plugin calling exit(), a sanitizer's report) is as much
   * the plugin's doing as a signal. */
  if (pipe (done) != 0)
    {
      fprintf (stderr, "setl-plugin-check: pipe: %s\n", g_strerror (errno));
      return 2;
    }

  /* Forked before GLib starts any thread: the child is a plain copy. */
  child = fork ();
  if (child < 0)
    {
      fprintf (stderr, "setl-plugin-check: cannot fork: %s\n", g_strerror (errno));
      return 2;
    }
  if (child == 0)
    {
      int result;

      close (done[0]);
      result = check_plugin (argv[1]);
      fflush (stdout);
      if (write (done[1], "1", 1) != 1)
        _exit (2);
      close (done[1]);
      exit (result);
    }

  close (done[1]);
  do
    n = read (done[0], &finished, 1);
  while (n < 0 && errno == EINTR);
  close (done[0]);

  while (waitpid (child, &status, 0) < 0)
    if (errno != EINTR)
      {
        fprintf (stderr, "setl-plugin-check: waitpid: %s\n", g_strerror (errno));
        return 2;
      }

  if (WIFSIGNALED (status))
    {
      int sig = WTERMSIG (status);

      printf ("FAIL  %s: the plugin crashed while being loaded or checked — "
              "signal %d (%s)\n", argv[1], sig, g_strsignal (sig));
      printf ("\n0 passed, 1 failed\n");
      return 1;
    }
  if (n != 1)
    {
      printf ("FAIL  %s: the plugin ended the process with exit status %d "
              "while being loaded or checked\n", argv[1], WEXITSTATUS (status));
      printf ("\n0 passed, 1 failed\n");
      return 1;
    }
  /* All checks ran; a non-zero status after that (a leak report, under
   * LeakSanitizer) still fails. */
  return WEXITSTATUS (status);
}
