/* test-composition.c: sub-pipelines, templates, "extends" and the pipeline
 * library, on real files and the real built plugins (csv, transforms,
 * sqlite) loaded through the registry. */
#include "../pipeline-file/pf-test-util.h"

#include <string.h>

static gboolean
have_features (const char *first, ...)
{
  va_list args;
  gboolean ok = TRUE;

  va_start (args, first);
  for (const char *f = first; f != NULL; f = va_arg (args, const char *))
    if (setl_plugin_registry_lookup_feature (pf_registry (), f) == NULL)
      {
        g_autofree char *why = g_strdup_printf ("feature “%s” is not built", f);

        g_test_skip (why);
        ok = FALSE;
        break;
      }
  va_end (args);
  return ok;
}

static char *
data_path (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "data", name, NULL);
}

static SetlFactory *
find_factory (SetlPipeline *pipeline,
              const char   *name)
{
  GPtrArray *stages = setl_pipeline_get_stages (pipeline);

  for (guint s = 0; s < stages->len; s++)
    {
      GPtrArray *factories = setl_stage_get_factories (g_ptr_array_index (stages, s));

      for (guint i = 0; i < factories->len; i++)
        if (g_strcmp0 (setl_factory_get_name (g_ptr_array_index (factories, i)), name) == 0)
          return g_ptr_array_index (factories, i);
    }
  return NULL;
}

static char *
string_property (SetlPipeline *pipeline,
                 const char   *factory,
                 const char   *property)
{
  SetlFactory *f = find_factory (pipeline, factory);
  char *value = NULL;

  g_assert_nonnull (f);
  g_object_get (f, property, &value, NULL);
  return value;
}

/* Loads @path (and builds it when @build) and expects an error whose
 * message contains every one of the NULL-terminated fragments. */
static void
assert_fails (const char *path,
              gboolean    build,
              int         code,
              const char *first_fragment,
              ...)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SetlPipelineFile) file = setl_pipeline_file_new_from_file (path, &error);
  g_autoptr(SetlPipeline) pipeline = NULL;
  va_list args;

  if (file != NULL && build)
    pipeline = setl_pipeline_file_build (file, pf_registry (), &error);
  g_assert_true (file == NULL || pipeline == NULL);
  g_assert_nonnull (error);
  g_test_message ("error: %s", error->message);
  if (code >= 0)
    g_assert_error (error, SETL_PIPELINE_FILE_ERROR, code);
  va_start (args, first_fragment);
  for (const char *f = first_fragment; f != NULL; f = va_arg (args, const char *))
    if (strstr (error->message, f) == NULL)
      g_error ("“%s” is not in the error “%s”", f, error->message);
  va_end (args);
}

/* The rows of people.csv an instance of adults@1 keeps, as "name,age"
 * lines oldest first: computed from the data, not written down. */
static char *
expected_adults (const char *country,
                 gint64      min_age,
                 gboolean    with_age)
{
  g_autofree char *people = data_path ("people.csv");
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GPtrArray) kept = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  GString *s = g_string_new (with_age ? "name,age\n" : "name\n");

  g_assert_true (g_file_get_contents (people, &contents, NULL, NULL));
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 1; lines[i] != NULL; i++)
    {
      char **f = g_strsplit (lines[i], ",", 3);

      if (g_strv_length (f) == 3 && g_ascii_strtoll (f[1], NULL, 10) >= min_age &&
          g_str_equal (f[2], country))
        g_ptr_array_add (kept, f);
      else
        g_strfreev (f);
    }
  /* oldest first (insertion sort: a handful of rows) */
  for (guint i = 1; i < kept->len; i++)
    for (guint j = i; j > 0 && g_ascii_strtoll (((char **) kept->pdata[j - 1])[1], NULL, 10) <
                                 g_ascii_strtoll (((char **) kept->pdata[j])[1], NULL, 10); j--)
      {
        gpointer t = kept->pdata[j];

        kept->pdata[j] = kept->pdata[j - 1];
        kept->pdata[j - 1] = t;
      }
  for (guint i = 0; i < kept->len; i++)
    {
      char **f = g_ptr_array_index (kept, i);

      if (with_age)
        g_string_append_printf (s, "%s,%s\n", f[0], f[1]);
      else
        g_string_append_printf (s, "%s\n", f[0]);
    }
  return g_string_free (s, FALSE);
}

static char *
slurp (const char *path)
{
  char *contents = NULL;
  g_autofree char *raw = NULL;

  g_assert_true (g_file_get_contents (path, &raw, NULL, NULL));
  /* the CSV sink writes CRLF */
  contents = g_strdup (raw);
  {
    char *w = contents;

    for (const char *r = raw; *r; r++)
      if (*r != '\r')
        *w++ = *r;
    *w = '\0';
  }
  return contents;
}

/* ----------------------------------------------------------------------- */

static void
test_two_instances (void)
{
  g_autofree char *path = data_path ("two-countries.setl.json");
  g_autoptr(GError) error = NULL;
  g_autoptr(SetlPipelineFile) file = NULL;
  g_autoptr(SetlPipeline) pipeline = NULL;
  g_auto(GStrv) factories = NULL;
  g_autofree char *dir = pf_temp_dir ();
  g_autofree char *fr_path = g_build_filename (dir, "fr.csv", NULL);
  g_autofree char *de_path = g_build_filename (dir, "de.csv", NULL);
  g_autofree char *fr = NULL, *de = NULL, *fr_expected = NULL, *de_expected = NULL;

  if (!have_features ("csv-source", "filter", "select", "sort", "csv-sink", NULL))
    return;
  file = setl_pipeline_file_new_from_file (path, &error);
  g_assert_no_error (error);
  factories = setl_pipeline_file_list_factories (file);
  /* each instance namespaced, in the file's order */
  g_assert_cmpuint (g_strv_length (factories), ==, 9);
  g_assert_cmpstr (factories[1], ==, "fr.keep");
  g_assert_cmpstr (factories[3], ==, "fr.project");
  g_assert_cmpstr (factories[4], ==, "de.keep");
  g_assert_cmpstr (setl_pipeline_file_get_factory_feature (file, "de.project"), ==, "select");
  g_assert_true (setl_pipeline_file_set_parameter (file, "output_dir", dir, &error));
  pipeline = setl_pipeline_file_build (file, pf_registry (), &error);
  g_assert_no_error (error);
  g_assert_true (setl_pipeline_run (pipeline, NULL, &error));
  g_assert_no_error (error);

  fr = slurp (fr_path);
  de = slurp (de_path);
  /* fr: the parent's min_age (30), all columns; de: its arguments (50, name only) */
  fr_expected = expected_adults ("FR", 30, TRUE);
  de_expected = expected_adults ("DE", 50, FALSE);
  g_assert_cmpstr (fr, ==, fr_expected);
  g_assert_cmpstr (de, ==, de_expected);
  g_assert_cmpstr (fr, !=, de);
  pf_remove_tree (dir);
}

static void
test_override_order (void)
{
  g_autofree char *dir = pf_temp_dir ();
  g_autofree char *tpl = pf_write_file (dir, "t.setl.json",
    "{ \"setl\": 1, \"name\": \"t\",\n"
    "  \"parameters\": { \"n\": { \"type\": \"int\", \"default\": 1 }, \"m\": 2, \"k\": 3 },\n"
    "  \"inputs\": { \"in\": \"rows\" },\n"
    "  \"factories\": [ { \"name\": \"f\", \"feature\": \"filter\",\n"
    "    \"properties\": { \"where\": \"n=${n} m=${m} k=${k}\" }, \"inputs\": \"in\" } ] }\n");
  g_autofree char *parent = pf_write_file (dir, "p.setl.json",
    "{ \"setl\": 1,\n"
    "  \"parameters\": { \"n\": 10, \"m\": 20 },\n"
    "  \"factories\": [\n"
    "    { \"name\": \"read\", \"feature\": \"csv-source\", \"properties\": { \"path\": \"x.csv\" } },\n"
    "    { \"name\": \"a\", \"pipeline\": \"t.setl.json\", \"arguments\": { \"n\": 100 }, \"inputs\": \"read\" } ] }\n");
  g_autoptr(GError) error = NULL;
  g_autoptr(SetlPipelineFile) file = NULL;
  g_autoptr(SetlPipeline) pipeline = NULL;
  g_autofree char *where = NULL;

  if (!have_features ("csv-source", "filter", NULL))
    return;
  file = setl_pipeline_file_new_from_file (parent, &error);
  g_assert_no_error (error);
  pipeline = setl_pipeline_file_build (file, pf_registry (), &error);
  g_assert_no_error (error);
  /* n: the instance's argument; m: the parent's; k: the template's default */
  where = string_property (pipeline, "a.f", "where");
  g_assert_cmpstr (where, ==, "n=100 m=20 k=3");

  /* the parent's parameter, set later, still reaches it; the namespaced
   * ones can be set too */
  g_assert_true (setl_pipeline_file_set_parameter (file, "m", "21", &error));
  g_assert_true (setl_pipeline_file_set_parameter (file, "a.k", "4", &error));
  g_assert_true (setl_pipeline_file_set_parameter (file, "a.n", "101", &error));
  g_clear_object (&pipeline);
  g_clear_pointer (&where, g_free);
  pipeline = setl_pipeline_file_build (file, pf_registry (), &error);
  g_assert_no_error (error);
  where = string_property (pipeline, "a.f", "where");
  g_assert_cmpstr (where, ==, "n=101 m=21 k=4");
  /* the template's own parameter, inherited, is not a parameter of the parent */
  g_assert_null (setl_pipeline_file_get_parameter (file, "a.m"));
  pf_remove_tree (dir);
}

static void
test_parent_reference (void)
{
  g_autofree char *dir = pf_temp_dir ();
  g_autofree char *tpl = pf_write_file (dir, "t.setl.json",
    "{ \"setl\": 1, \"name\": \"t\",\n"
    "  \"factories\": [ { \"name\": \"f\", \"feature\": \"filter\",\n"
    "    \"properties\": { \"where\": \"age >= ${^limit} and dir = '${pipeline_dir}'\" }, \"inputs\": \"^read\" } ] }\n");
  g_autofree char *parent = pf_write_file (dir, "p.setl.json",
    "{ \"setl\": 1, \"parameters\": { \"limit\": 7 },\n"
    "  \"factories\": [\n"
    "    { \"name\": \"read\", \"feature\": \"csv-source\", \"properties\": { \"path\": \"x.csv\" } },\n"
    "    { \"name\": \"a\", \"pipeline\": \"t.setl.json\" } ] }\n");
  g_autoptr(GError) error = NULL;
  g_autoptr(SetlPipelineFile) file = NULL;
  g_autoptr(SetlPipeline) pipeline = NULL;
  g_autofree char *where = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *canonical = g_canonicalize_filename (dir, NULL);

  if (!have_features ("csv-source", "filter", NULL))
    return;
  file = setl_pipeline_file_new_from_file (parent, &error);
  g_assert_no_error (error);
  pipeline = setl_pipeline_file_build (file, pf_registry (), &error);
  g_assert_no_error (error);
  where = string_property (pipeline, "a.f", "where");
  expected = g_strdup_printf ("age >= 7 and dir = '%s'", canonical);
  g_assert_cmpstr (where, ==, expected);
  {
    /* "^read": the parent's factory */
    g_autoptr(GPtrArray) producers = setl_inspector_get_producers (setl_pipeline_get_inspector (pipeline),
                                                                   find_factory (pipeline, "a.f"));

    g_assert_cmpuint (producers->len, ==, 1);
    g_assert_cmpstr (setl_node_get_name (g_ptr_array_index (producers, 0)), ==, "read");
  }
  pf_remove_tree (dir);
}

static void
test_nested_and_graph (void)
{
  g_autofree char *dir = pf_temp_dir ();
  g_autofree char *inner = pf_write_file (dir, "inner.setl.json",
    "{ \"setl\": 1, \"name\": \"inner\", \"parameters\": { \"lim\": 5 },\n"
    "  \"inputs\": { \"in\": \"rows\" }, \"outputs\": { \"out\": \"f\" },\n"
    "  \"factories\": [ { \"name\": \"f\", \"feature\": \"limit\", \"properties\": { \"limit\": \"${lim}\" },\n"
    "    \"stage\": 0, \"inputs\": \"in\" } ] }\n");
  g_autofree char *outer = pf_write_file (dir, "outer.setl.json",
    "{ \"setl\": 1, \"name\": \"outer\", \"version\": 3,\n"
    "  \"inputs\": { \"in\": \"rows\" }, \"outputs\": [ \"g\" ],\n"
    "  \"factories\": [ { \"name\": \"x\", \"pipeline\": \"inner.setl.json\", \"arguments\": { \"lim\": 2 },\n"
    "      \"inputs\": { \"in\": \"in\" } },\n"
    "    { \"name\": \"g\", \"feature\": \"select\", \"properties\": { \"columns\": [\"name\"] }, \"inputs\": \"x\" } ] }\n");
  g_autofree char *top = pf_write_file (dir, "top.setl.json",
    "{ \"setl\": 1, \"parameters\": { \"go\": false },\n"
    "  \"factories\": [\n"
    "    { \"name\": \"read\", \"feature\": \"csv-source\", \"properties\": { \"path\": \"x.csv\" } },\n"
    "    { \"name\": \"o\", \"pipeline\": \"outer.setl.json\", \"inputs\": \"read\" },\n"
    "    { \"name\": \"w\", \"feature\": \"csv-sink\", \"properties\": { \"path\": \"y.csv\" }, \"inputs\": \"o\",\n"
    "      \"when\": \"$go\" } ] }\n");
  g_autoptr(GError) error = NULL;
  g_autoptr(SetlPipelineFile) file = NULL;
  g_autoptr(SetlPipeline) pipeline = NULL;
  g_auto(GStrv) factories = NULL;
  g_autofree char *out = NULL, *err = NULL;
  const char *o, *x;

  if (!have_features ("csv-source", "limit", "select", "csv-sink", NULL))
    return;
  file = setl_pipeline_file_new_from_file (top, &error);
  g_assert_no_error (error);
  factories = setl_pipeline_file_list_factories (file);
  g_assert_cmpstr (factories[1], ==, "o.x.f");
  g_assert_cmpstr (factories[2], ==, "o.g");
  g_assert_cmpstr (setl_pipeline_file_get_parameter (file, "o.x.lim"), ==, "2");
  pipeline = setl_pipeline_file_build (file, pf_registry (), &error);
  g_assert_no_error (error);
  {
    /* "o": the one output of outer, its select "g" */
    g_autoptr(GPtrArray) producers = setl_inspector_get_producers (setl_pipeline_get_inspector (pipeline),
                                                                   find_factory (pipeline, "w"));

    g_assert_cmpuint (producers->len, ==, 1);
    g_assert_cmpstr (setl_node_get_name (g_ptr_array_index (producers, 0)), ==, "o.g");
  }

  g_assert_cmpint (pf_run_tool (NULL, &out, &err, "graph", top, "--format", "dot", NULL), ==, 0);
  /* o's cluster holds x's, which holds o.x.f; the sink is outside both */
  o = strstr (out, "label=\"o (outer@3)\"");
  x = strstr (out, "label=\"o.x (inner.setl.json)\"");
  g_assert_nonnull (strstr (out, "subgraph cluster_"));
  g_assert_nonnull (o);
  g_assert_nonnull (x);
  g_assert_true (o < x);
  g_assert_nonnull (strstr (x, "o.x.f"));
  g_assert_true (strstr (x, "o.x.f") < strstr (x, "}"));
  g_assert_nonnull (strstr (out, "label=\"w\\n"));
  g_assert_true (strstr (out, "label=\"w\\n") < o);
  /* a factory a static condition prunes: dashed, with its condition */
  {
    const char *w = strstr (out, "label=\"w\\n");
    const char *end = strchr (w, ';');

    const char *when = strstr (w, "when: $go");
    const char *pruned = strstr (w, "pruned: ");
    const char *dashed = strstr (w, "style=dashed");

    g_assert_nonnull (end);
    g_assert_true (when != NULL && when < end);
    g_assert_true (pruned != NULL && pruned < end);
    g_assert_true (dashed != NULL && dashed < end);
  }
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (pf_run_tool (NULL, &out, &err, "graph", top, NULL), ==, 0);
  g_assert_true (g_str_has_prefix (out, "flowchart LR\n"));
  g_assert_nonnull (strstr (out, "subgraph sub"));
  g_assert_nonnull (strstr (out, "[\"o (outer@3)\"]"));
  g_assert_nonnull (strstr (out, "\n    end\n"));   /* the inner one, nested */
  pf_remove_tree (dir);
}

/* A template's condition ("when") reads its own parameters and facts
 * about its own factories: rewritten into each instance's names. */
static void
test_conditions (void)
{
  g_autofree char *dir = pf_temp_dir ();
  g_autofree char *people = data_path ("people.csv");
  g_autofree char *tpl = pf_write_file (dir, "first.setl.json",
    "{ \"setl\": 1, \"name\": \"first\",\n"
    "  \"parameters\": { \"n\": 1, \"out\": { \"type\": \"string\" }, \"enabled\": true, \"tag\": \"t\" },\n"
    "  \"inputs\": { \"in\": \"rows\" },\n"
    "  \"factories\": [\n"
    "    { \"name\": \"lim\", \"feature\": \"limit\", \"properties\": { \"limit\": \"${n}\" }, \"inputs\": \"in\" },\n"
    "    { \"name\": \"w\", \"feature\": \"csv-sink\", \"properties\": { \"path\": \"${out}\" }, \"inputs\": \"lim\",\n"
    "      \"when\": \"$enabled and $lim.row_count > 0 and $tag <> '$n'\" } ] }\n");
  g_autofree char *parent_json = g_strdup_printf (
    "{ \"setl\": 1, \"parameters\": { \"tag\": \"x\" }, \"factories\": [\n"
    "  { \"name\": \"read\", \"feature\": \"csv-source\", \"properties\": { \"path\": \"%s\" } },\n"
    "  { \"name\": \"none\", \"pipeline\": \"first.setl.json\", \"arguments\": { \"n\": 0, \"out\": \"${pipeline_dir}/none.csv\" }, \"inputs\": \"read\" },\n"
    "  { \"name\": \"two\", \"pipeline\": \"first.setl.json\", \"arguments\": { \"n\": 2, \"out\": \"${pipeline_dir}/two.csv\" }, \"inputs\": \"read\" },\n"
    "  { \"name\": \"off\", \"pipeline\": \"first.setl.json\", \"arguments\": { \"n\": 2, \"enabled\": false, \"out\": \"${pipeline_dir}/off.csv\" }, \"inputs\": \"read\" } ] }\n",
    people);
  g_autofree char *parent = pf_write_file (dir, "p.setl.json", parent_json);
  g_autofree char *none = g_build_filename (dir, "none.csv", NULL);
  g_autofree char *two = g_build_filename (dir, "two.csv", NULL);
  g_autofree char *off = g_build_filename (dir, "off.csv", NULL);
  g_autofree char *out = NULL, *err = NULL, *log = NULL;
  g_autofree char *written = NULL;
  g_auto(GStrv) lines = NULL;

  if (!have_features ("csv-source", "limit", "csv-sink", NULL))
    return;
  {
    /* each instance's condition reads the instance's parameters (NS.P,
     * with the instance's arguments), not the parent's or the template's
     * defaults; "tag", which the parent declares too, is inherited */
    g_autoptr(GError) error = NULL;
    g_autoptr(SetlPipelineFile) file = setl_pipeline_file_new_from_file (parent, &error);
    g_autoptr(SetlPipeline) pipeline = NULL;
    static const char * const instances[] = { "none", "two", "off" };

    g_assert_no_error (error);
    pipeline = setl_pipeline_file_build (file, pf_registry (), &error);
    g_assert_no_error (error);
    for (guint i = 0; i < G_N_ELEMENTS (instances); i++)
      {
        g_autofree char *w = g_strdup_printf ("%s.w", instances[i]);
        g_autofree char *expected = g_strdup_printf ("$%s.enabled and $%s.lim.row_count > 0 and $tag <> '$n'",
                                                     instances[i], instances[i]);
        g_autofree char *enabled = g_strdup_printf ("%s.enabled", instances[i]);
        SetlCondition *condition = setl_factory_get_condition (find_factory (pipeline, w));
        const GValue *value = setl_pipeline_get_parameter (pipeline, enabled);

        g_assert_nonnull (condition);
        g_assert_true (SETL_IS_EXPR_CONDITION (condition));
        g_assert_cmpstr (setl_expr_condition_get_text (SETL_EXPR_CONDITION (condition)), ==, expected);
        g_assert_nonnull (value);
        g_assert_true (G_VALUE_HOLDS_BOOLEAN (value));
        g_assert_cmpint (g_value_get_boolean (value), ==, !g_str_equal (instances[i], "off"));
      }
    g_assert_null (setl_pipeline_get_parameter (pipeline, "enabled"));
  }
  g_assert_cmpint (pf_run_tool (NULL, &out, &err, "run", parent, "--progress", "plain", NULL), ==, 0);
  log = g_strconcat (out, err, NULL);
  /* each instance's own condition, on its own factory and parameters;
   * "tag" is inherited: the parent's; a string literal is left alone */
  g_assert_false (g_file_test (none, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (off, G_FILE_TEST_EXISTS));
  g_assert_nonnull (strstr (log, "$none.enabled and $none.lim.row_count > 0 and $tag <> '$n'"));
  g_assert_nonnull (strstr (log, "skipped   none.w"));
  g_assert_nonnull (strstr (log, "skipped   off.w"));
  written = slurp (two);
  lines = g_strsplit (written, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 4);   /* header, 2 rows, "" */
  pf_remove_tree (dir);
}

/* Branch sets ("branch", "switch") and "one_of" inputs inside a template,
 * instantiated twice: each instance has its own arms, one-ofs and
 * conditions, in its own names and parameters. */
static void
test_branches (void)
{
  g_autofree char *dir = pf_temp_dir ();
  g_autofree char *people = data_path ("people.csv");
  g_autofree char *tpl = pf_write_file (dir, "pick.setl.json",
    "{ \"setl\": 1, \"name\": \"pick\",\n"
    "  \"parameters\": { \"mode\": { \"type\": \"enum\", \"values\": [\"few\", \"all\"] }, \"out\": { \"type\": \"string\" } },\n"
    "  \"inputs\": { \"in\": \"rows\" },\n"
    "  \"factories\": [\n"
    "    { \"name\": \"choose\", \"branch\": [\n"
    "        { \"if\": \"$mode = 'few'\", \"feature\": \"limit\", \"properties\": { \"limit\": 1 }, \"inputs\": \"in\" },\n"
    "        { \"else-if\": \"$in.row_count > 1000\", \"feature\": \"limit\", \"properties\": { \"limit\": 1000 }, \"inputs\": \"in\" },\n"
    "        { \"else\": true, \"name\": \"everyone\", \"feature\": \"filter\", \"properties\": { \"where\": \"true\" }, \"inputs\": \"in\" } ] },\n"
    "    { \"name\": \"cols\", \"switch\": \"$mode\", \"cases\": [\n"
    "        { \"case\": \"few\", \"feature\": \"select\", \"properties\": { \"columns\": [\"name\"] }, \"inputs\": \"choose\" },\n"
    "        { \"default\": true, \"feature\": \"select\", \"properties\": { \"columns\": [\"name\", \"age\"] }, \"inputs\": \"choose\" } ] },\n"
    "    { \"name\": \"w\", \"feature\": \"csv-sink\", \"properties\": { \"path\": \"${out}.csv\" }, \"inputs\": \"cols\" },\n"
    "    { \"name\": \"a\", \"feature\": \"limit\", \"when\": \"$mode = 'few'\", \"properties\": { \"limit\": 2 }, \"inputs\": \"in\" },\n"
    "    { \"name\": \"b\", \"feature\": \"limit\", \"when\": \"$mode <> 'few'\", \"properties\": { \"limit\": 3 }, \"inputs\": \"in\" },\n"
    "    { \"name\": \"w2\", \"feature\": \"csv-sink\", \"properties\": { \"path\": \"${out}-2.csv\" },\n"
    "      \"inputs\": { \"in\": { \"one_of\": [\"a\", \"b\"] } } } ] }\n");
  g_autofree char *parent_json = g_strdup_printf (
    "{ \"setl\": 1, \"factories\": [\n"
    "  { \"name\": \"read\", \"feature\": \"csv-source\", \"properties\": { \"path\": \"%s\" } },\n"
    "  { \"name\": \"few\", \"pipeline\": \"pick.setl.json\", \"arguments\": { \"mode\": \"few\", \"out\": \"${pipeline_dir}/few\" }, \"inputs\": \"read\" },\n"
    "  { \"name\": \"all\", \"pipeline\": \"pick.setl.json\", \"arguments\": { \"mode\": \"all\", \"out\": \"${pipeline_dir}/all\" }, \"inputs\": \"read\" } ] }\n",
    people);
  g_autofree char *parent = pf_write_file (dir, "p.setl.json", parent_json);
  g_autofree char *few = g_build_filename (dir, "few.csv", NULL);
  g_autofree char *all = g_build_filename (dir, "all.csv", NULL);
  g_autofree char *few2 = g_build_filename (dir, "few-2.csv", NULL);
  g_autofree char *all2 = g_build_filename (dir, "all-2.csv", NULL);
  g_autofree char *input = NULL, *written = NULL;
  g_autofree char *out = NULL, *err = NULL, *log = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SetlPipelineFile) file = NULL;
  g_autoptr(SetlPipeline) pipeline = NULL;
  g_auto(GStrv) rows = NULL;
  g_auto(GStrv) lines = NULL;
  guint n_rows;

  if (!have_features ("csv-source", "limit", "filter", "select", "csv-sink", NULL))
    return;
  file = setl_pipeline_file_new_from_file (parent, &error);
  g_assert_no_error (error);
  pipeline = setl_pipeline_file_build (file, pf_registry (), &error);
  g_assert_no_error (error);
  {
    static const char * const instances[] = { "few", "all" };
    SetlInspector *inspector = setl_pipeline_get_inspector (pipeline);

    for (guint i = 0; i < G_N_ELEMENTS (instances); i++)
      {
        const char *ns = instances[i];
        g_autofree char *if_arm = g_strdup_printf ("%s.choose.if", ns);
        g_autofree char *elif_arm = g_strdup_printf ("%s.choose.elif1", ns);
        g_autofree char *else_arm = g_strdup_printf ("%s.everyone", ns);
        g_autofree char *set = g_strdup_printf ("%s.choose", ns);
        g_autofree char *sw = g_strdup_printf ("%s.cols", ns);
        g_autofree char *case0 = g_strdup_printf ("%s.cols.case0", ns);
        g_autofree char *def = g_strdup_printf ("%s.cols.default", ns);
        g_autofree char *one_of = g_strdup_printf ("%s.w2.in.one_of", ns);
        g_autofree char *w2 = g_strdup_printf ("%s.w2", ns);
        g_autofree char *if_text = g_strdup_printf ("coalesce(($%s.mode = 'few'), false)", ns);
        g_autofree char *elif_text = g_strdup_printf ("coalesce(($read.row_count > 1000), false) and not "
                                                      "coalesce(($%s.mode = 'few'), false)", ns);
        g_autofree char *if_label = g_strdup_printf ("%s.choose: if $%s.mode = 'few'", ns, ns);
        const char *arms[] = { if_arm, elif_arm, else_arm };
        g_autoptr(GPtrArray) producers = NULL;
        SetlCondition *condition;
        g_autofree char *label = NULL;

        /* the arms, namespaced, read the instance's input and parameter */
        for (guint a = 0; a < G_N_ELEMENTS (arms); a++)
          {
            g_autoptr(GPtrArray) from = setl_inspector_get_producers (inspector, find_factory (pipeline, arms[a]));

            g_assert_cmpuint (from->len, ==, 1);
            g_assert_cmpstr (setl_node_get_name (g_ptr_array_index (from, 0)), ==, "read");
          }
        condition = setl_factory_get_condition (find_factory (pipeline, if_arm));
        g_assert_nonnull (condition);
        g_assert_cmpstr (setl_expr_condition_get_text (SETL_EXPR_CONDITION (condition)), ==, if_text);
        label = setl_condition_to_string (condition);
        g_assert_cmpstr (label, ==, if_label);
        condition = setl_factory_get_condition (find_factory (pipeline, elif_arm));
        g_assert_cmpstr (setl_expr_condition_get_text (SETL_EXPR_CONDITION (condition)), ==, elif_text);
        /* the sets' one-ofs take their own instance's arms */
        producers = setl_inspector_get_producers (inspector, find_factory (pipeline, set));
        g_assert_cmpuint (producers->len, ==, 3);
        for (guint p = 0; p < producers->len; p++)
          g_assert_true (g_str_has_prefix (setl_node_get_name (g_ptr_array_index (producers, p)), ns));
        g_clear_pointer (&producers, g_ptr_array_unref);
        producers = setl_inspector_get_producers (inspector, find_factory (pipeline, sw));
        g_assert_cmpuint (producers->len, ==, 2);
        g_assert_nonnull (find_factory (pipeline, case0));
        g_assert_nonnull (find_factory (pipeline, def));
        g_clear_pointer (&producers, g_ptr_array_unref);
        producers = setl_inspector_get_producers (inspector, find_factory (pipeline, w2));
        g_assert_cmpuint (producers->len, ==, 1);
        g_assert_cmpstr (setl_node_get_name (g_ptr_array_index (producers, 0)), ==, one_of);
      }
  }

  g_assert_cmpint (pf_run_tool (NULL, &out, &err, "run", parent, "--progress", "plain", NULL), ==, 0);
  log = g_strconcat (out, err, NULL);
  g_test_message ("%s", log);
  /* the expected rows, from the data */
  g_assert_true (g_file_get_contents (people, &input, NULL, NULL));
  rows = g_strsplit (input, "\n", -1);
  n_rows = g_strv_length (rows) - 1;        /* the header */
  if (rows[n_rows][0] == '\0')
    n_rows--;                               /* a final line break */
  g_assert_cmpuint (n_rows, >, 3);
  /* "few": the if arm (1 row), the "few" case (name only) */
  written = slurp (few);
  lines = g_strsplit (written, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 3);     /* header, 1 row, "" */
  g_assert_cmpstr (lines[0], ==, "name");
  g_clear_pointer (&lines, g_strfreev);
  g_clear_pointer (&written, g_free);
  /* "all": the else arm (every row), the default (name, age) */
  written = slurp (all);
  lines = g_strsplit (written, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, n_rows + 2);
  g_assert_cmpstr (lines[0], ==, "name,age");
  g_clear_pointer (&lines, g_strfreev);
  g_clear_pointer (&written, g_free);
  /* the one-of inputs: "a" (2 rows) for few, "b" (3 rows) for all */
  written = slurp (few2);
  lines = g_strsplit (written, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 4);
  g_clear_pointer (&lines, g_strfreev);
  g_clear_pointer (&written, g_free);
  written = slurp (all2);
  lines = g_strsplit (written, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 5);
  /* what did not run, and why, in each instance's names */
  g_assert_nonnull (strstr (log, "skipped   few.everyone"));
  g_assert_nonnull (strstr (log, "skipped   all.choose.if"));
  g_assert_nonnull (strstr (log, "skipped   few.b"));
  g_assert_nonnull (strstr (log, "skipped   all.a"));
  g_assert_null (strstr (log, "skipped   few.choose.if"));
  g_assert_null (strstr (log, "skipped   all.everyone"));
  pf_remove_tree (dir);
}

/* Inside a template, a sub-pipeline may be a branch arm or have a "when":
 * the condition is on every factory inside it, in each instance's names. */
static void
test_nested_conditions (void)
{
  g_autofree char *dir = pf_temp_dir ();
  g_autofree char *people = data_path ("people.csv");
  g_autofree char *inner = pf_write_file (dir, "inner.setl.json",
    "{ \"setl\": 1, \"parameters\": { \"n\": 1 }, \"inputs\": { \"in\": \"rows\" }, \"outputs\": [ \"l\" ],\n"
    "  \"factories\": [ { \"name\": \"l\", \"feature\": \"limit\", \"properties\": { \"limit\": \"${n}\" }, \"inputs\": \"in\" } ] }\n");
  g_autofree char *mid = pf_write_file (dir, "mid.setl.json",
    "{ \"setl\": 1, \"parameters\": { \"go\": { \"type\": \"bool\" }, \"out\": { \"type\": \"string\" } },\n"
    "  \"inputs\": { \"in\": \"rows\" },\n"
    "  \"factories\": [\n"
    "    { \"name\": \"pick\", \"branch\": [\n"
    "        { \"if\": \"$go\", \"name\": \"big\", \"pipeline\": \"inner.setl.json\", \"arguments\": { \"n\": 3 }, \"inputs\": \"in\" },\n"
    "        { \"else\": true, \"name\": \"small\", \"pipeline\": \"inner.setl.json\", \"inputs\": \"in\" } ] },\n"
    "    { \"name\": \"extra\", \"pipeline\": \"inner.setl.json\", \"when\": \"$go\", \"arguments\": { \"n\": 2 }, \"inputs\": \"in\" },\n"
    "    { \"name\": \"w\", \"feature\": \"csv-sink\", \"properties\": { \"path\": \"${out}.csv\" }, \"inputs\": \"pick\" },\n"
    "    { \"name\": \"w2\", \"feature\": \"csv-sink\", \"properties\": { \"path\": \"${out}-extra.csv\" }, \"inputs\": \"extra\" } ] }\n");
  g_autofree char *parent_json = g_strdup_printf (
    "{ \"setl\": 1, \"factories\": [\n"
    "  { \"name\": \"read\", \"feature\": \"csv-source\", \"properties\": { \"path\": \"%s\" } },\n"
    "  { \"name\": \"on\", \"pipeline\": \"mid.setl.json\", \"arguments\": { \"go\": true, \"out\": \"${pipeline_dir}/on\" }, \"inputs\": \"read\" },\n"
    "  { \"name\": \"off\", \"pipeline\": \"mid.setl.json\", \"arguments\": { \"go\": false, \"out\": \"${pipeline_dir}/off\" }, \"inputs\": \"read\" } ] }\n",
    people);
  g_autofree char *parent = pf_write_file (dir, "p.setl.json", parent_json);
  g_autofree char *on = g_build_filename (dir, "on.csv", NULL);
  g_autofree char *off = g_build_filename (dir, "off.csv", NULL);
  g_autofree char *on_extra = g_build_filename (dir, "on-extra.csv", NULL);
  g_autofree char *off_extra = g_build_filename (dir, "off-extra.csv", NULL);
  g_autofree char *out = NULL, *err = NULL, *log = NULL, *written = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SetlPipelineFile) file = NULL;
  g_autoptr(SetlPipeline) pipeline = NULL;
  g_auto(GStrv) lines = NULL;

  if (!have_features ("csv-source", "limit", "csv-sink", NULL))
    return;
  g_assert_true (inner != NULL && mid != NULL);
  file = setl_pipeline_file_new_from_file (parent, &error);
  g_assert_no_error (error);
  pipeline = setl_pipeline_file_build (file, pf_registry (), &error);
  g_assert_no_error (error);
  {
    SetlCondition *big = setl_factory_get_condition (find_factory (pipeline, "off.big.l"));
    SetlCondition *small = setl_factory_get_condition (find_factory (pipeline, "on.small.l"));
    SetlCondition *extra = setl_factory_get_condition (find_factory (pipeline, "off.extra.l"));
    g_autofree char *big_label = NULL;

    g_assert_nonnull (big);
    g_assert_cmpstr (setl_expr_condition_get_text (SETL_EXPR_CONDITION (big)), ==, "coalesce(($off.go), false)");
    big_label = setl_condition_to_string (big);
    g_assert_cmpstr (big_label, ==, "off.pick: if $off.go");
    g_assert_nonnull (small);
    g_assert_cmpstr (setl_expr_condition_get_text (SETL_EXPR_CONDITION (small)), ==,
                     "not coalesce(($on.go), false)");
    g_assert_nonnull (extra);
    g_assert_cmpstr (setl_expr_condition_get_text (SETL_EXPR_CONDITION (extra)), ==, "$off.go");
  }
  g_assert_cmpint (pf_run_tool (NULL, &out, &err, "run", parent, "--progress", "plain", NULL), ==, 0);
  log = g_strconcat (out, err, NULL);
  g_test_message ("%s", log);
  written = slurp (on);
  lines = g_strsplit (written, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 5);     /* header, 3 rows (big), "" */
  g_clear_pointer (&lines, g_strfreev);
  g_clear_pointer (&written, g_free);
  written = slurp (off);
  lines = g_strsplit (written, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 3);     /* header, 1 row (small), "" */
  g_clear_pointer (&lines, g_strfreev);
  g_clear_pointer (&written, g_free);
  written = slurp (on_extra);
  lines = g_strsplit (written, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 4);     /* header, 2 rows, "" */
  g_assert_false (g_file_test (off_extra, G_FILE_TEST_EXISTS));
  g_assert_nonnull (strstr (log, "skipped   off.extra.l"));
  g_assert_nonnull (strstr (log, "skipped   off.w2"));
  g_assert_nonnull (strstr (log, "skipped   on.small.l"));
  g_assert_nonnull (strstr (log, "skipped   off.big.l"));
  pf_remove_tree (dir);
}

static const char *base_json =
  "{ \"setl\": 1, \"name\": \"base\",\n"
  "  \"parameters\": { \"min_age\": { \"type\": \"int\", \"default\": 18, \"description\": \"Youngest\" } },\n"
  "  \"factories\": [\n"
  "    { \"name\": \"read\", \"feature\": \"csv-source\", \"properties\": { \"path\": \"${pipeline_dir}/people.csv\" } },\n"
  "    { \"name\": \"keep\", \"feature\": \"filter\", \"properties\": { \"where\": \"age >= ${min_age}\" }, \"inputs\": \"read\" },\n"
  "    { \"name\": \"write\", \"feature\": \"csv-sink\", \"properties\": { \"path\": \"${pipeline_dir}/out.csv\" }, \"inputs\": \"keep\" } ] }\n";

static void
test_extends_valid (void)
{
  g_autofree char *dir = pf_temp_dir ();
  g_autofree char *people = data_path ("people.csv");
  g_autofree char *people_text = slurp (people);
  g_autofree char *copy = pf_write_file (dir, "people.csv", people_text);
  g_autofree char *base = pf_write_file (dir, "base.setl.json", base_json);
  g_autofree char *ext = pf_write_file (dir, "ext.setl.json",
    "{ \"setl\": 1, \"extends\": \"base.setl.json\",\n"
    "  \"parameters\": { \"min_age\": 40 },\n"
    "  \"factories\": [\n"
    "    { \"name\": \"keep\", \"feature\": \"filter\", \"properties\": { \"where\": \"age >= ${min_age} and country = 'FR'\" },\n"
    "      \"inputs\": \"read\" },\n"
    "    { \"name\": \"count\", \"feature\": \"sql\", \"properties\": { \"query\": \"SELECT count(*) AS n FROM t\" },\n"
    "      \"inputs\": { \"t\": \"keep\" } } ] }\n");
  g_autoptr(GError) error = NULL;
  g_autoptr(SetlPipelineFile) file = NULL;
  g_autoptr(SetlPipeline) pipeline = NULL;
  g_auto(GStrv) factories = NULL;
  g_autofree char *where = NULL;
  g_autofree char *result = NULL;
  g_autofree char *out_path = g_build_filename (dir, "out.csv", NULL);
  g_autofree char *expected = NULL;

  if (!have_features ("csv-source", "filter", "csv-sink", "sql", NULL))
    return;
  file = setl_pipeline_file_new_from_file (ext, &error);
  g_assert_no_error (error);
  factories = setl_pipeline_file_list_factories (file);
  /* the base's order, the replacement in place, the addition at the end */
  g_assert_cmpuint (g_strv_length (factories), ==, 4);
  g_assert_cmpstr (factories[1], ==, "keep");
  g_assert_cmpstr (factories[3], ==, "count");
  /* the new default, the base's type and description */
  g_assert_cmpstr (setl_pipeline_file_get_parameter (file, "min_age"), ==, "40");
  g_assert_cmpstr (setl_pipeline_file_get_parameter_type (file, "min_age"), ==, "int");
  g_assert_cmpstr (setl_pipeline_file_get_parameter_description (file, "min_age"), ==, "Youngest");
  pipeline = setl_pipeline_file_build (file, pf_registry (), &error);
  g_assert_no_error (error);
  where = string_property (pipeline, "keep", "where");
  g_assert_cmpstr (where, ==, "age >= 40 and country = 'FR'");
  g_assert_true (setl_pipeline_run (pipeline, NULL, &error));
  g_assert_no_error (error);
  /* the base's sink, with the replaced filter: only French over 40 */
  result = slurp (out_path);
  expected = expected_adults ("FR", 40, TRUE);
  {
    /* out.csv has every column, in the file's order: compare the names */
    g_auto(GStrv) got = g_strsplit (result, "\n", -1);
    g_auto(GStrv) want = g_strsplit (expected, "\n", -1);
    guint n = 0;

    for (guint i = 1; want[i] && want[i][0]; i++)
      {
        gboolean found = FALSE;
        g_autofree char *name = g_strndup (want[i], strchr (want[i], ',') - want[i]);

        for (guint j = 1; got[j]; j++)
          found |= g_str_has_prefix (got[j], name);
        g_assert_true (found);
        n++;
      }
    g_assert_cmpuint (g_strv_length (got) - 2, ==, n);   /* header, final empty line */
  }
  pf_remove_tree (dir);
}

static void
test_extends_invalid (void)
{
  g_autofree char *dir = pf_temp_dir ();
  g_autofree char *base = pf_write_file (dir, "base.setl.json", base_json);
  g_autofree char *sink = pf_write_file (dir, "sink.setl.json",
    "{ \"setl\": 1, \"extends\": \"base.setl.json\",\n"
    "  \"factories\": [ { \"name\": \"keep\", \"feature\": \"csv-sink\", \"properties\": { \"path\": \"z.csv\" },\n"
    "      \"inputs\": \"read\" } ] }\n");
  g_autofree char *sql = pf_write_file (dir, "sql.setl.json",
    "{ \"setl\": 1, \"extends\": \"base.setl.json\",\n"
    "  \"factories\": [ { \"name\": \"keep\", \"feature\": \"sql\", \"properties\": { \"query\": \"SELECT * FROM people\" },\n"
    "      \"inputs\": { \"people\": \"read\" } } ] }\n");
  g_autofree char *type = pf_write_file (dir, "type.setl.json",
    "{ \"setl\": 1, \"extends\": \"base.setl.json\",\n"
    "  \"parameters\": { \"min_age\": { \"type\": \"string\", \"default\": \"x\" } } }\n");
  g_autofree char *value = pf_write_file (dir, "value.setl.json",
    "{ \"setl\": 1, \"extends\": \"base.setl.json\", \"parameters\": { \"min_age\": \"old\" } }\n");
  g_autofree char *by_sub = pf_write_file (dir, "bysub.setl.json",
    "{ \"setl\": 1, \"extends\": \"base.setl.json\",\n"
    "  \"factories\": [ { \"name\": \"keep\", \"pipeline\": \"base.setl.json\" } ] }\n");

  if (!have_features ("csv-source", "filter", "csv-sink", "sql", NULL))
    return;
  /* a sink for a filter: its output is not a stream; both named */
  assert_fails (sink, TRUE, SETL_PIPELINE_FILE_ERROR_WIRING,
                "sink.setl.json:2:18: ", "factory “keep” (csv-sink) cannot replace “keep” (filter) of ",
                "base.setl.json", "it outputs gint64, not SetlBatchStream", NULL);
  /* an sql transform: other input names */
  assert_fails (sql, TRUE, SETL_PIPELINE_FILE_ERROR_WIRING,
                "factory “keep” (sql) cannot replace “keep” (filter)", "it has no input “in”",
                "it has an input “people” the original has not", NULL);
  assert_fails (type, FALSE, SETL_PIPELINE_FILE_ERROR_PARAMETER,
                "type.setl.json:2:", "parameter “min_age” is an int in the base pipeline", NULL);
  assert_fails (value, FALSE, SETL_PIPELINE_FILE_ERROR_PARAMETER,
                "value.setl.json:1:", "the new default: expected an int, not a string", NULL);
  assert_fails (by_sub, FALSE, SETL_PIPELINE_FILE_ERROR_INVALID,
                "only a factory can replace a factory", NULL);
  pf_remove_tree (dir);
}

static void
test_cycles (void)
{
  g_autofree char *dir = pf_temp_dir ();
  g_autofree char *a = pf_write_file (dir, "a.setl.json",
    "{ \"setl\": 1, \"extends\": \"b.setl.json\", \"factories\": [] }\n");
  g_autofree char *b = pf_write_file (dir, "b.setl.json",
    "{ \"setl\": 1, \"factories\": [ { \"name\": \"x\", \"pipeline\": \"c.setl.json\" } ] }\n");
  g_autofree char *c = pf_write_file (dir, "c.setl.json",
    "{ \"setl\": 1, \"factories\": [ { \"name\": \"y\", \"pipeline\": \"a.setl.json\" } ] }\n");
  g_autofree char *self = pf_write_file (dir, "self.setl.json",
    "{ \"setl\": 1, \"extends\": \"self.setl.json\" }\n");

  /* the chain of files, from the one loaded to the repeated one */
  assert_fails (a, FALSE, SETL_PIPELINE_FILE_ERROR_INVALID,
                "makes a cycle of files: a.setl.json → b.setl.json → c.setl.json → a.setl.json", NULL);
  assert_fails (self, FALSE, SETL_PIPELINE_FILE_ERROR_INVALID,
                "self.setl.json:1:25: base pipeline “self.setl.json” makes a cycle of files: "
                "self.setl.json → self.setl.json", NULL);
  pf_remove_tree (dir);
}

static void
test_depth (void)
{
  g_autofree char *dir = pf_temp_dir ();
  g_autoptr(GError) error = NULL;
  g_autoptr(SetlPipelineFile) ok = NULL;
  g_autofree char *top = NULL;
  g_autofree char *ok_top = NULL;

  if (!have_features ("csv-source", NULL))
    return;
  /* d0 extends d1 … extends d20, a plain file: deeper than the limit */
  for (int i = 0; i <= 20; i++)
    {
      g_autofree char *name = g_strdup_printf ("d%d.setl.json", i);
      g_autofree char *json = i < 20
        ? g_strdup_printf ("{ \"setl\": 1, \"extends\": \"d%d.setl.json\" }\n", i + 1)
        : g_strdup ("{ \"setl\": 1, \"factories\": [ { \"name\": \"r\", \"feature\": \"csv-source\", "
                    "\"properties\": { \"path\": \"x.csv\" } } ] }\n");
      g_autofree char *p = pf_write_file (dir, name, json);

      if (i == 0)
        top = g_strdup (p);
      if (i == 5)      /* d5 … d20: 15 files deep */
        ok_top = g_strdup (p);
    }
  assert_fails (top, FALSE, SETL_PIPELINE_FILE_ERROR_INVALID,
                "files nest more than 16 deep: d0.setl.json → d1.setl.json → ", "d15.setl.json → d16.setl.json", NULL);
  /* within the limit it loads, and the factory comes from the deepest */
  ok = setl_pipeline_file_new_from_file (ok_top, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (setl_pipeline_file_get_factory_feature (ok, "r"), ==, "csv-source");
  pf_remove_tree (dir);
}

static void
test_template_parameters (void)
{
  g_autofree char *dir = pf_temp_dir ();
  g_autofree char *unknown = pf_write_file (dir, "unknown.setl.json",
    "{ \"setl\": 1, \"factories\": [\n"
    "  { \"name\": \"r\", \"feature\": \"csv-source\", \"properties\": { \"path\": \"x.csv\" } },\n"
    "  { \"name\": \"fr\", \"pipeline\": \"adults@1\", \"arguments\": { \"country\": \"FR\", \"min_ag\": 3 }, \"inputs\": \"r\" } ] }\n");
  g_autofree char *missing = pf_write_file (dir, "missing.setl.json",
    "{ \"setl\": 1, \"factories\": [\n"
    "  { \"name\": \"r\", \"feature\": \"csv-source\", \"properties\": { \"path\": \"x.csv\" } },\n"
    "  { \"name\": \"fr\", \"pipeline\": \"adults@1\", \"inputs\": \"r\" } ] }\n");
  g_autofree char *bad_enum = pf_write_file (dir, "enum.setl.json",
    "{ \"setl\": 1, \"factories\": [\n"
    "  { \"name\": \"r\", \"feature\": \"csv-source\", \"properties\": { \"path\": \"x.csv\" } },\n"
    "  { \"name\": \"fr\", \"pipeline\": \"adults\", \"arguments\": { \"country\": \"IT\" }, \"inputs\": \"r\" } ] }\n");
  g_autofree char *bad_list = pf_write_file (dir, "list.setl.json",
    "{ \"setl\": 1, \"factories\": [\n"
    "  { \"name\": \"r\", \"feature\": \"csv-source\", \"properties\": { \"path\": \"x.csv\" } },\n"
    "  { \"name\": \"fr\", \"pipeline\": \"adults@1\", \"arguments\": { \"country\": \"FR\", \"columns\": [\"a\", 2] }, \"inputs\": \"r\" } ] }\n");
  g_autofree char *bad_int = pf_write_file (dir, "int.setl.json",
    "{ \"setl\": 1, \"factories\": [\n"
    "  { \"name\": \"r\", \"feature\": \"csv-source\", \"properties\": { \"path\": \"x.csv\" } },\n"
    "  { \"name\": \"fr\", \"pipeline\": \"adults@1\", \"arguments\": { \"country\": \"FR\", \"min_age\": 2.5 }, \"inputs\": \"r\" } ] }\n");
  g_autofree char *inherit = pf_write_file (dir, "inherit.setl.json",
    "{ \"setl\": 1, \"parameters\": { \"min_age\": \"old\" }, \"factories\": [\n"
    "  { \"name\": \"r\", \"feature\": \"csv-source\", \"properties\": { \"path\": \"x.csv\" } },\n"
    "  { \"name\": \"fr\", \"pipeline\": \"adults@1\", \"arguments\": { \"country\": \"FR\" }, \"inputs\": \"r\" } ] }\n");
  g_autoptr(GError) error = NULL;
  g_autoptr(SetlPipelineFile) file = NULL;

  assert_fails (unknown, FALSE, SETL_PIPELINE_FILE_ERROR_PARAMETER,
                "unknown.setl.json:3:", "sub-pipeline “fr”: template “adults@1” has no parameter “min_ag”; did you mean “min_age”?", NULL);
  assert_fails (missing, FALSE, SETL_PIPELINE_FILE_ERROR_PARAMETER,
                "missing.setl.json:3:", "sub-pipeline “fr”: template “adults@1” requires parameter “country” (enum: The country kept)", NULL);
  /* adults means the latest, version 2 */
  assert_fails (bad_enum, FALSE, SETL_PIPELINE_FILE_ERROR_PARAMETER,
                "parameter “country” of template “adults@2”: “IT” is not one of “FR”, “DE”, “ES”", NULL);
  assert_fails (bad_list, FALSE, SETL_PIPELINE_FILE_ERROR_PARAMETER,
                "parameter “columns” of template “adults@1”: item 1 must be a string, not an integer", NULL);
  assert_fails (bad_int, FALSE, SETL_PIPELINE_FILE_ERROR_PARAMETER,
                "parameter “min_age” of template “adults@1”: expected an int, not a number", NULL);
  assert_fails (inherit, FALSE, SETL_PIPELINE_FILE_ERROR_PARAMETER,
                "parameter “min_age” of template “adults@1” is an int, but the enclosing pipeline's “min_age”", NULL);

  /* --param on an enum is checked; a list cannot be set so */
  file = setl_pipeline_library_load ("adults@2", NULL, &error);
  g_assert_no_error (error);
  g_assert_true (setl_pipeline_file_set_parameter (file, "country", "DE", &error));
  g_assert_false (setl_pipeline_file_set_parameter (file, "country", "IT", &error));
  g_assert_error (error, SETL_PIPELINE_FILE_ERROR, SETL_PIPELINE_FILE_ERROR_PARAMETER);
  g_assert_nonnull (strstr (error->message, "“IT” is not one of “FR”, “DE”, “ES”"));
  g_clear_error (&error);
  g_clear_object (&file);
  file = setl_pipeline_library_load ("adults@1", NULL, &error);
  g_assert_no_error (error);
  g_assert_false (setl_pipeline_file_set_parameter (file, "columns", "a,b", &error));
  g_assert_nonnull (strstr (error->message, "is a list"));
  g_clear_error (&error);
  /* a template with inputs does not build on its own */
  g_assert_true (setl_pipeline_file_set_parameter (file, "country", "FR", &error));
  g_assert_null (setl_pipeline_file_build (file, pf_registry (), &error));
  g_assert_nonnull (strstr (error->message, "adults.setl.json:11:3: “adults” is a template that takes inputs (“people”)"));
  pf_remove_tree (dir);
}

static void
test_malformed (void)
{
  static const struct {
    const char *json;
    const char *fragment;
  } cases[] = {
    { "{ \"setl\": 1, \"factories\": [ { \"name\": \"a\", \"pipeline\": 3 } ] }",
      "test.setl.json:1:56: a sub-pipeline's “pipeline” must be a file name or a template “name[@version]”, not an integer" },
    { "{ \"setl\": 1, \"factories\": [ { \"name\": \"a\", \"pipeline\": \"adults@x\" } ] }",
      "sub-pipeline “a”: “adults@x”: a template is referenced as NAME, NAME@latest or NAME@VERSION" },
    { "{ \"setl\": 1, \"factories\": [ { \"name\": \"a\", \"pipeline\": \"adults\", \"argumnets\": {} } ] }",
      "unknown member “argumnets” in sub-pipeline “a”; did you mean “arguments”?" },
    { "{ \"setl\": 1, \"factories\": [ { \"name\": \"a\", \"pipeline\": \"adults\", \"arguments\": [] } ] }",
      "a sub-pipeline's “arguments” must be an object (parameter → value), not an array" },
    { "{ \"setl\": 1, \"factories\": [ { \"name\": \"a.b\", \"pipeline\": \"adults\" } ] }",
      "invalid sub-pipeline name “a.b”" },
    { "{ \"setl\": 1, \"factories\": [ { \"pipeline\": \"adults\" } ] }",
      "a sub-pipeline has no “name”" },
    { "{ \"setl\": 1, \"factories\": [ { \"name\": \"a\", \"pipeline\": \"nosuch\" } ] }",
      "sub-pipeline “a”: no template “nosuch” in the pipeline library" },
    { "{ \"setl\": 1, \"factories\": [ { \"name\": \"a\", \"pipeline\": \"adultz\" } ] }",
      "did you mean “adults”?" },
    { "{ \"setl\": 1, \"factories\": [ { \"name\": \"a\", \"pipeline\": \"adults@7\" } ] }",
      "template “adults” has no version 7 (it has " },
    { "{ \"setl\": 1, \"factories\": [ { \"name\": \"a\", \"pipeline\": \"none.setl.json\" } ] }",
      "sub-pipeline “a” “none.setl.json”: no file /data/none.setl.json" },
    { "{ \"setl\": 1, \"factories\": [ { \"name\": \"a\", \"pipeline\": \"adults@2\", \"inputs\": { \"peple\": \"x\" } } ] }",
      "template “adults@2” has no input “peple”; did you mean “people”?" },
    { "{ \"setl\": 1, \"factories\": [ { \"name\": \"a\", \"pipeline\": \"adults@2\" } ] }",
      "sub-pipeline “a”: input “people” of template “adults@2” is not mapped" },
    { "{ \"setl\": 1, \"factories\": [ { \"name\": \"a\", \"pipeline\": \"adults@2\", \"inputs\": { \"people\": 1 } } ] }",
      "input “people” must be mapped to a factory name, not an integer" },
    { "{ \"setl\": 1, \"factories\": [ { \"name\": \"a\", \"pipeline\": \"adults@2\", \"inputs\": \"r\", \"outputs\": { \"o\": \"nope\" } } ] }",
      "template “adults@2” has no output “nope”" },
    { "{ \"setl\": 1, \"factories\": [ { \"name\": \"r\", \"feature\": \"csv-source\" },"
      " { \"name\": \"a\", \"pipeline\": \"adults@1\", \"arguments\": { \"country\": \"FR\" }, \"inputs\": \"r\" },"
      " { \"name\": \"w\", \"feature\": \"csv-sink\", \"inputs\": \"a.keep\" } ] }",
      "“a.keep” is inside sub-pipeline “a”, which does not export it (its outputs: “a.result”)" },
    { "{ \"setl\": 1, \"version\": \"2\", \"factories\": [] }",
      "test.setl.json:1:25: “version” must be a positive integer (the template's version), not a string" },
    { "{ \"setl\": 1, \"extends\": 5 }",
      "“extends” must be a file name or a template “name[@version]”, not an integer" },
    { "{ \"setl\": 1, \"inputs\": [\"a\"], \"factories\": [] }",
      "“inputs” must be an object (input name → description), not an array" },
    { "{ \"setl\": 1, \"inputs\": { \"a\": { \"descripton\": \"x\" } }, \"factories\": [] }",
      "unknown member “descripton” in input “a”; did you mean “description”?" },
    { "{ \"setl\": 1, \"outputs\": { \"o\": \"nope\" }, \"factories\": [ { \"name\": \"r\", \"feature\": \"csv-source\" } ] }",
      "output “o” names “nope”, which is not a factory of this pipeline" },
    { "{ \"setl\": 1, \"parameters\": { \"c\": { \"type\": \"enum\" } }, \"factories\": [] }",
      "parameter “c” is an enum: its “values” must be a non-empty array of strings" },
    { "{ \"setl\": 1, \"parameters\": { \"c\": { \"type\": \"enum\", \"values\": [\"a\", \"a\"] } }, \"factories\": [] }",
      "parameter “c”: the enum value “a” is listed twice" },
    { "{ \"setl\": 1, \"parameters\": { \"c\": { \"type\": \"enum\", \"values\": [\"a\"], \"default\": \"b\" } }, \"factories\": [] }",
      "the default of parameter “c”: “b” is not one of “a”" },
    { "{ \"setl\": 1, \"parameters\": { \"c\": { \"type\": \"list\", \"items\": \"date\" } }, \"factories\": [] }",
      "parameter “c”: a list's “items” is “string”, “int”, “double” or “bool”" },
    { "{ \"setl\": 1, \"parameters\": { \"c\": { \"type\": \"list\", \"default\": [1] } }, \"factories\": [] }",
      "the default of parameter “c”: item 0 must be a string, not an integer" },
    { "{ \"setl\": 1, \"parameters\": { \"c\": { \"type\": \"lst\" } }, \"inputs\": {}, \"factories\": [] }",
      "parameter “c”: unknown type “lst”; did you mean “list”?" },
    { "{ \"setl\": 2, \"extends\": \"x.setl.json\" }",
      "test.setl.json:1:11: unsupported format version 2: this libsetl reads version 1" },
  };

  guint failures = 0;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(SetlPipelineFile) file =
        setl_pipeline_file_new_from_data (cases[i].json, -1, "test.setl.json", "/data", &error);
      g_autoptr(SetlPipeline) pipeline = NULL;

      if (file != NULL)
        pipeline = setl_pipeline_file_build (file, pf_registry (), &error);
      g_assert_null (pipeline);
      g_assert_nonnull (error);
      g_assert_true (error->domain == SETL_PIPELINE_FILE_ERROR);
      if (strstr (error->message, cases[i].fragment) == NULL)
        {
          g_printerr ("case %u: “%s” is not in the error “%s”\n", i, cases[i].fragment, error->message);
          failures++;
        }
    }
  g_assert_cmpuint (failures, ==, 0);
}

/* Every prefix of a composed file, and every one with a byte changed to
 * each of a few troublemakers: an error or a file, never a crash (the
 * sanitizer build checks the memory too). */
static void
test_mangled (void)
{
  g_autofree char *path = data_path ("two-countries.setl.json");
  g_autofree char *dir = data_path ("");
  g_autofree char *text = NULL;
  gsize length;
  const char bytes[] = { '"', '{', '}', '[', ']', ',', ':', '@', '^', '.', '$', '0' };
  guint loaded = 0, refused = 0;

  g_assert_true (g_file_get_contents (path, &text, &length, NULL));
  for (gsize n = 0; n <= length; n++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(SetlPipelineFile) file = setl_pipeline_file_new_from_data (text, n, "m.setl.json", dir, &error);

      g_assert_true ((file == NULL) != (error == NULL));
      if (file != NULL)
        loaded++;
      else
        refused++;
    }
  for (gsize i = 0; i < length; i += 6)
    for (guint b = 0; b < G_N_ELEMENTS (bytes); b++)
      {
        g_autofree char *copy = g_strndup (text, length);
        g_autoptr(GError) error = NULL;
        g_autoptr(SetlPipelineFile) file = NULL;

        copy[i] = bytes[b];
        file = setl_pipeline_file_new_from_data (copy, length, "m.setl.json", dir, &error);
        g_assert_true ((file == NULL) != (error == NULL));
        if (error != NULL)
          g_assert_true (g_str_has_prefix (error->message, "m.setl.json:") ||
                         strstr (error->message, ".setl.json:") != NULL);
      }
  /* the whole file loads (with or without its final newline); no
   * shorter prefix does */
  g_assert_cmpuint (loaded, >=, 1);
  g_assert_cmpuint (loaded, <=, 2);
  g_assert_cmpuint (loaded + refused, ==, length + 1);
}

static void
test_error_in_template (void)
{
  g_autofree char *dir = pf_temp_dir ();
  g_autofree char *tpl = pf_write_file (dir, "t.setl.json",
    "{ \"setl\": 1,\n"
    "  \"factories\": [ { \"name\": \"f\", \"feature\": \"filter\",\n"
    "    \"properties\": { \"where\": \"x > ${nope}\" }, \"inputs\": \"^r\" } ] }\n");
  g_autofree char *tpl2 = pf_write_file (dir, "t2.setl.json",
    "{ \"setl\": 1,\n"
    "  \"factories\": [ { \"name\": \"f\", \"feature\": \"filter\",\n"
    "    \"properties\": { \"wher\": \"x\" }, \"inputs\": \"^r\" } ] }\n");
  g_autofree char *p = pf_write_file (dir, "p.setl.json",
    "{ \"setl\": 1, \"factories\": [ { \"name\": \"r\", \"feature\": \"csv-source\", \"properties\": { \"path\": \"x\" } },\n"
    "  { \"name\": \"a\", \"pipeline\": \"t.setl.json\" } ] }\n");
  g_autofree char *p2 = pf_write_file (dir, "p2.setl.json",
    "{ \"setl\": 1, \"factories\": [ { \"name\": \"r\", \"feature\": \"csv-source\", \"properties\": { \"path\": \"x\" } },\n"
    "  { \"name\": \"a\", \"pipeline\": \"t2.setl.json\" } ] }\n");

  if (!have_features ("csv-source", "filter", NULL))
    return;
  /* the template's file, line and column, not the parent's */
  assert_fails (p, FALSE, SETL_PIPELINE_FILE_ERROR_PARAMETER,
                "t.setl.json:3:30: unknown parameter “nope”", NULL);
  assert_fails (p2, TRUE, SETL_PIPELINE_FILE_ERROR_PROPERTY,
                "t2.setl.json:3:21: factory “a.f”: feature “filter” has no property “wher”; did you mean “where”?", NULL);
  pf_remove_tree (dir);
}

static void
test_library (void)
{
  g_autofree char *library = data_path ("library");
  g_autofree char *found = NULL;
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) errors = NULL;
  g_autoptr(GPtrArray) all = NULL;
  g_auto(GStrv) path = setl_pipeline_library_get_search_path (NULL);
  g_autoptr(SetlPipelineFile) v1 = NULL;

  /* SETL_PIPELINE_PATH first, then the user's directory; the system path is empty */
  g_assert_cmpstr (path[0], ==, library);
  g_assert_true (g_str_has_suffix (path[1], "/setl/pipelines"));
  g_assert_null (path[2]);

  found = setl_pipeline_library_find ("adults", NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_suffix (found, "adults@2.setl.json"));
  g_clear_pointer (&found, g_free);
  found = setl_pipeline_library_find ("adults@1", NULL, &error);
  g_assert_true (g_str_has_suffix (found, "/adults.setl.json"));
  v1 = setl_pipeline_file_new_from_file (found, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (setl_pipeline_file_get_version (v1), ==, 1);
  g_assert_true (setl_pipeline_file_is_template (v1));

  all = setl_pipeline_library_list (NULL, &errors);
  g_assert_cmpuint (all->len, ==, 2);
  g_assert_cmpuint (errors->len, ==, 0);

  g_assert_cmpint (pf_run_tool (NULL, &out, &err, "templates", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "adults@1 "));
  g_assert_nonnull (strstr (out, "adults@2 "));
  g_assert_nonnull (strstr (out, "Adults of one country, oldest first"));
  g_assert_nonnull (strstr (out, "2 templates"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (pf_run_tool (NULL, &out, &err, "inspect", "adults@1", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "Template adults@1"));
  g_assert_nonnull (strstr (out, "country              enum (FR, DE, ES), required — The country kept"));
  g_assert_nonnull (strstr (out, "columns              list of string, default [\"name\",\"age\"]"));
  g_assert_nonnull (strstr (out, "people               People: name, age, country"));
  g_assert_nonnull (strstr (out, "result               from project"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (pf_run_tool (NULL, &out, &err, "inspect", found, NULL), ==, 0);
  g_assert_nonnull (strstr (out, "Template adults@1"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (pf_run_tool (NULL, &out, &err, "inspect", "adults@9", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "template “adults” has no version 9 (it has "));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (pf_run_tool (NULL, &out, &err, "inspect", "adultz", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "no template “adultz” in the pipeline library"));
  g_assert_nonnull (strstr (err, "did you mean “adults”?"));
}

/* A plugin ships templates in templates/ beside its module. */
static void
test_plugin_templates (void)
{
  g_autofree char *dir = pf_temp_dir ();
  g_autofree char *plugins = g_build_filename (dir, "plugins", NULL);
  g_autofree char *templates = g_build_filename (plugins, "templates", NULL);
  g_autofree char *module = NULL;
  g_autofree char *copy = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *registry_file = g_build_filename (dir, "registry.cache", NULL);
  g_autofree char *tpl = NULL;
  g_autofree char *out = NULL, *err = NULL;
  g_autofree char *old_path = g_strdup (g_getenv ("SETL_PLUGIN_PATH"));
  g_autofree char *old_registry = g_strdup (g_getenv ("SETL_REGISTRY"));
  g_autofree char *pipeline = NULL;
  g_autofree char *broken = NULL;
  SetlPluginFeature *feature = setl_plugin_registry_lookup_feature (pf_registry (), "limit");
  gsize length;

  if (!have_features ("limit", "csv-source", NULL))
    return;
  module = g_strdup (setl_plugin_get_filename (setl_plugin_feature_get_plugin (feature)));
  g_assert_true (g_file_get_contents (module, &contents, &length, NULL));
  g_assert_cmpint (g_mkdir_with_parents (templates, 0700), ==, 0);
  copy = g_build_filename (plugins, "setl-transforms.so", NULL);
  g_assert_true (g_file_set_contents (copy, contents, length, NULL));
  tpl = pf_write_file (templates, "first-rows.setl.json",
    "{ \"setl\": 1, \"name\": \"first-rows\", \"version\": 4, \"description\": \"The first rows\",\n"
    "  \"parameters\": { \"n\": 10 }, \"inputs\": { \"in\": \"rows\" }, \"outputs\": [\"first\"],\n"
    "  \"factories\": [ { \"name\": \"first\", \"feature\": \"limit\", \"properties\": { \"limit\": \"${n}\" }, \"inputs\": \"in\" } ] }\n");

  /* only that plugin directory; its own registry cache */
  g_setenv ("SETL_PLUGIN_PATH", plugins, TRUE);
  g_setenv ("SETL_REGISTRY", registry_file, TRUE);
  broken = pf_write_file (templates, "broken.setl.json", "{ \"setl\": 1, \"factories\": [ }\n");
  g_assert_cmpint (pf_run_tool (NULL, &out, &err, "templates", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "first-rows@4"));
  g_assert_nonnull (strstr (out, tpl));
  /* a broken file is a warning naming it; the others are listed */
  g_assert_nonnull (strstr (err, "setl templates: warning: "));
  g_assert_nonnull (strstr (err, "broken.setl.json:1:"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (pf_run_tool (NULL, &out, &err, "inspect", "first-rows", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "Template first-rows@4"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (pf_run_tool (NULL, &out, &err, "templates", "--path", NULL), ==, 0);
  g_assert_nonnull (strstr (out, templates));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  /* and a pipeline uses it by name, found through the plugins */
  pipeline = pf_write_file (dir, "p.setl.json",
    "{ \"setl\": 1, \"factories\": [ { \"name\": \"r\", \"feature\": \"csv-source\", \"properties\": { \"path\": \"x\" } },\n"
    "  { \"name\": \"top\", \"pipeline\": \"first-rows\", \"arguments\": { \"n\": 3 }, \"inputs\": \"r\" } ] }\n");
  {
    g_autofree char *both = g_strconcat (plugins, G_SEARCHPATH_SEPARATOR_S, old_path, NULL);

    g_setenv ("SETL_PLUGIN_PATH", both, TRUE);
  }
  g_assert_cmpint (pf_run_tool (NULL, &out, &err, "check", pipeline, NULL), ==, 0);
  g_assert_nonnull (strstr (out, "top.first"));
  g_assert_nonnull (strstr (out, "top.n (int) = 3"));

  g_setenv ("SETL_PLUGIN_PATH", old_path, TRUE);
  g_setenv ("SETL_REGISTRY", old_registry, TRUE);
  pf_remove_tree (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/composition/sub-pipeline/two-instances", test_two_instances);
  g_test_add_func ("/composition/sub-pipeline/override-order", test_override_order);
  g_test_add_func ("/composition/sub-pipeline/parent-reference", test_parent_reference);
  g_test_add_func ("/composition/sub-pipeline/nested-and-graph", test_nested_and_graph);
  g_test_add_func ("/composition/sub-pipeline/error-in-template", test_error_in_template);
  g_test_add_func ("/composition/sub-pipeline/conditions", test_conditions);
  g_test_add_func ("/composition/sub-pipeline/branches", test_branches);
  g_test_add_func ("/composition/sub-pipeline/nested-conditions", test_nested_conditions);
  g_test_add_func ("/composition/template/parameters", test_template_parameters);
  g_test_add_func ("/composition/template/malformed", test_malformed);
  g_test_add_func ("/composition/template/mangled", test_mangled);
  g_test_add_func ("/composition/extends/valid", test_extends_valid);
  g_test_add_func ("/composition/extends/invalid", test_extends_invalid);
  g_test_add_func ("/composition/files/cycles", test_cycles);
  g_test_add_func ("/composition/files/depth", test_depth);
  g_test_add_func ("/composition/library/search-path", test_library);
  g_test_add_func ("/composition/library/plugin-templates", test_plugin_templates);
  return g_test_run ();
}
