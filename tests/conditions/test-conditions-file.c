/* test-conditions-file.c: conditions and branch sets in pipeline files, on
 * the real csv, transforms and routing plugins: "when", if / else-if /
 * else, switch, a set without an else refused, static pruning in
 * `setl check` and `setl graph`, a stage skipped when its input is empty.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "../pipeline-file/pf-test-util.h"

#include <string.h>

#include <glib/gstdio.h>

static char *
slurp (const char *path)
{
  char *contents = NULL;

  return g_file_get_contents (path, &contents, NULL, NULL) ? contents : NULL;
}

#define assert_has(haystack, needle) \
  do { if (strstr ((haystack), (needle)) == NULL) \
         g_error ("“%s”\nlacks\n“%s”", (haystack), (needle)); } while (0)

static const char *people_csv =
  "id,name,age\n"
  "1,Ann,34\n"
  "2,Bob,17\n"
  "3,Cyd,61\n";

/* A read → adults → write chain whose filter has a static condition. */
static const char *static_file =
  "{\n"
  "  \"setl\": 1,\n"
  "  \"name\": \"pruning\",\n"
  "  \"parameters\": { \"mode\": { \"type\": \"string\", \"default\": \"delta\" } },\n"
  "  \"factories\": [\n"
  "    { \"name\": \"read\", \"feature\": \"csv-source\", \"properties\": { \"path\": \"${pipeline_dir}/people.csv\" } },\n"
  "    { \"name\": \"adults\", \"feature\": \"filter\", \"when\": \"$mode = 'full'\",\n"
  "      \"properties\": { \"where\": \"age >= 18\" }, \"inputs\": \"read\" },\n"
  "    { \"name\": \"write\", \"feature\": \"csv-sink\",\n"
  "      \"properties\": { \"path\": \"${pipeline_dir}/out.csv\" }, \"inputs\": \"adults\" }\n"
  "  ]\n"
  "}\n";

static void
test_static_pruning_in_check (void)
{
  g_autofree char *dir = pf_temp_dir ();
  g_autofree char *file = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *out_csv = NULL;
  g_autofree char *written = NULL;

  g_free (pf_write_file (dir, "people.csv", people_csv));
  file = pf_write_file (dir, "pruning.setl.json", static_file);
  out_csv = g_build_filename (dir, "out.csv", NULL);

  g_assert_cmpint (pf_run_tool (NULL, &out, &err, "check", file, NULL), ==, 0);
  assert_has (out, "  adults               filter         in ← read\n"
                   "      when: $mode = 'full' (static: false)\n"
                   "      pruned: its condition “$mode = 'full'” is false\n");
  assert_has (out, "  write                csv-sink       in ← adults\n"
                   "      pruned: input “in” comes from factory “adults”, which is pruned\n");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (pf_run_tool (NULL, &out, &err, "check", file, "--param", "mode=full", NULL), ==, 0);
  assert_has (out, "      when: $mode = 'full' (static: true)\n");
  g_assert_null (strstr (out, "pruned"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* The graph draws them dashed, with their condition. */
  g_assert_cmpint (pf_run_tool (NULL, &out, &err, "graph", file, "--format", "dot", NULL), ==, 0);
  assert_has (out, "when: $mode = 'full'\\npruned: its condition “$mode = 'full'” is false\", style=dashed];");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (pf_run_tool (NULL, &out, &err, "graph", file, NULL), ==, 0);
  assert_has (out, "  style n1 stroke-dasharray: 5 5\n  style n2 stroke-dasharray: 5 5\n");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* Run: nothing written, the report says why. */
  g_assert_cmpint (pf_run_tool (NULL, &out, &err, "run", file, NULL), ==, 0);
  assert_has (out, "skipped   adults (filter)");
  g_assert_false (g_file_test (out_csv, G_FILE_TEST_EXISTS));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (pf_run_tool (NULL, &out, &err, "run", file, "-p", "mode=full", NULL), ==, 0);
  written = slurp (out_csv);
  g_assert_cmpstr (written, ==, "id,name,age\n1,Ann,34\n3,Cyd,61\n");
  pf_remove_tree (dir);
}

/* A stage skipped when its input is empty: a dynamic condition on the
 * row count, decided once the filter has run. */
static const char *empty_file =
  "{\n"
  "  \"setl\": 1,\n"
  "  \"parameters\": { \"min_age\": 18 },\n"
  "  \"factories\": [\n"
  "    { \"name\": \"read\", \"feature\": \"csv-source\", \"properties\": { \"path\": \"${pipeline_dir}/people.csv\" } },\n"
  "    { \"name\": \"adults\", \"feature\": \"filter\", \"properties\": { \"where\": \"age >= ${min_age}\" },\n"
  "      \"inputs\": \"read\" },\n"
  "    { \"name\": \"write\", \"feature\": \"csv-sink\", \"when\": \"$adults.row_count > 0\",\n"
  "      \"properties\": { \"path\": \"${pipeline_dir}/out.csv\" }, \"inputs\": \"adults\" }\n"
  "  ]\n"
  "}\n";

static void
test_skip_when_empty (void)
{
  g_autofree char *dir = pf_temp_dir ();
  g_autofree char *file = NULL;
  g_autofree char *out_csv = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *written = NULL;

  g_free (pf_write_file (dir, "people.csv", people_csv));
  file = pf_write_file (dir, "empty.setl.json", empty_file);
  out_csv = g_build_filename (dir, "out.csv", NULL);

  g_assert_cmpint (pf_run_tool (NULL, &out, &err, "check", file, NULL), ==, 0);
  assert_has (out, "      when: $adults.row_count > 0 (dynamic: decided when its inputs are ready)\n");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (pf_run_tool (NULL, &out, &err, "run", file, "-p", "min_age=100", NULL), ==, 0);
  assert_has (out, "skipped   write (csv-sink)");
  g_assert_false (g_file_test (out_csv, G_FILE_TEST_EXISTS));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (pf_run_tool (NULL, &out, &err, "run", file, NULL), ==, 0);
  written = slurp (out_csv);
  g_assert_cmpstr (written, ==, "id,name,age\n1,Ann,34\n3,Cyd,61\n");
  pf_remove_tree (dir);
}

/* if / else-if / else: the arm that runs feeds the sink wired to the set. */
static const char *if_file =
  "{\n"
  "  \"setl\": 1,\n"
  "  \"parameters\": { \"keep\": \"adults\" },\n"
  "  \"factories\": [\n"
  "    { \"name\": \"read\", \"feature\": \"csv-source\", \"properties\": { \"path\": \"${pipeline_dir}/people.csv\" } },\n"
  "    { \"name\": \"pick\", \"branch\": [\n"
  "        { \"if\": \"$keep = 'adults'\", \"feature\": \"filter\", \"properties\": { \"where\": \"age >= 18\" }, \"inputs\": \"read\" },\n"
  "        { \"else-if\": \"$keep = 'minors'\", \"feature\": \"filter\", \"properties\": { \"where\": \"age < 18\" }, \"inputs\": \"read\" },\n"
  "        { \"else\": true, \"name\": \"everyone\", \"feature\": \"filter\", \"properties\": { \"where\": \"true\" }, \"inputs\": \"read\" } ] },\n"
  "    { \"name\": \"write\", \"feature\": \"csv-sink\", \"properties\": { \"path\": \"${pipeline_dir}/out.csv\" }, \"inputs\": \"pick\" }\n"
  "  ]\n"
  "}\n";

static void
run_and_compare (const char *file,
                 const char *dir,
                 const char *param,
                 const char *expected)
{
  g_autofree char *out_csv = g_build_filename (dir, "out.csv", NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *written = NULL;

  g_unlink (out_csv);
  g_assert_cmpint (pf_run_tool (NULL, &out, &err, "run", file, "-p", param, NULL), ==, 0);
  written = slurp (out_csv);
  g_assert_cmpstr (written, ==, expected);
}

static void
test_if_else (void)
{
  g_autofree char *dir = pf_temp_dir ();
  g_autofree char *file = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_free (pf_write_file (dir, "people.csv", people_csv));
  file = pf_write_file (dir, "if.setl.json", if_file);
  run_and_compare (file, dir, "keep=adults", "id,name,age\n1,Ann,34\n3,Cyd,61\n");
  run_and_compare (file, dir, "keep=minors", "id,name,age\n2,Bob,17\n");
  run_and_compare (file, dir, "keep=all", "id,name,age\n1,Ann,34\n2,Bob,17\n3,Cyd,61\n");

  /* check shows the arms, their tests, and which are pruned. */
  g_assert_cmpint (pf_run_tool (NULL, &out, &err, "check", file, "-p", "keep=minors", NULL), ==, 0);
  assert_has (out, "  pick.if              filter         in ← read\n"
                   "      when: pick: if $keep = 'adults' (static: false)\n");
  assert_has (out, "  pick.elif1           filter         in ← read\n"
                   "      when: pick: else-if $keep = 'minors' (static: true)\n");
  assert_has (out, "  everyone             filter         in ← read\n"
                   "      when: pick: else (static: false)\n");
  assert_has (out, "  pick                 one-of         pick.if ← pick.if, pick.elif1 ← pick.elif1, everyone ← everyone\n");
  g_assert_null (strstr (out, "pruned: every branch"));
  pf_remove_tree (dir);
}

/* switch on a value, with a default; a dynamic subject works too. */
static const char *switch_file =
  "{\n"
  "  \"setl\": 1,\n"
  "  \"parameters\": { \"band\": \"old\" },\n"
  "  \"factories\": {\n"
  "    \"read\": { \"feature\": \"csv-source\", \"properties\": { \"path\": \"${pipeline_dir}/people.csv\" } },\n"
  "    \"pick\": { \"switch\": \"$band\", \"cases\": [\n"
  "        { \"case\": \"young\", \"feature\": \"filter\", \"properties\": { \"where\": \"age < 18\" }, \"inputs\": \"read\" },\n"
  "        { \"case\": [\"old\", \"senior\"], \"feature\": \"filter\", \"properties\": { \"where\": \"age > 60\" }, \"inputs\": \"read\" },\n"
  "        { \"default\": true, \"feature\": \"limit\", \"properties\": { \"limit\": 1 }, \"inputs\": \"read\" } ] },\n"
  "    \"write\": { \"feature\": \"csv-sink\", \"properties\": { \"path\": \"${pipeline_dir}/out.csv\" }, \"inputs\": \"pick\" }\n"
  "  }\n"
  "}\n";

static void
test_switch (void)
{
  g_autofree char *dir = pf_temp_dir ();
  g_autofree char *file = NULL;

  g_free (pf_write_file (dir, "people.csv", people_csv));
  file = pf_write_file (dir, "switch.setl.json", switch_file);
  run_and_compare (file, dir, "band=young", "id,name,age\n2,Bob,17\n");
  run_and_compare (file, dir, "band=old", "id,name,age\n3,Cyd,61\n");
  run_and_compare (file, dir, "band=senior", "id,name,age\n3,Cyd,61\n");
  run_and_compare (file, dir, "band=other", "id,name,age\n1,Ann,34\n");
  pf_remove_tree (dir);
}

/* A branch set whose arms test facts: decided at run time. */
static const char *dynamic_branch_file =
  "{\n"
  "  \"setl\": 1,\n"
  "  \"factories\": [\n"
  "    { \"name\": \"read\", \"feature\": \"csv-source\", \"properties\": { \"path\": \"${pipeline_dir}/people.csv\" } },\n"
  "    { \"name\": \"pick\", \"switch\": \"$read.row_count > 2\", \"cases\": [\n"
  "        { \"case\": true, \"feature\": \"limit\", \"properties\": { \"limit\": 2 }, \"inputs\": \"read\" },\n"
  "        { \"default\": true, \"feature\": \"limit\", \"properties\": { \"limit\": 100 }, \"inputs\": \"read\" } ] },\n"
  "    { \"name\": \"write\", \"feature\": \"csv-sink\", \"properties\": { \"path\": \"${pipeline_dir}/out.csv\" }, \"inputs\": \"pick\" }\n"
  "  ]\n"
  "}\n";

static void
test_dynamic_branch (void)
{
  g_autofree char *dir = pf_temp_dir ();
  g_autofree char *file = NULL;
  g_autofree char *out_csv = g_build_filename (dir, "out.csv", NULL);
  g_autofree char *written = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_free (pf_write_file (dir, "people.csv", people_csv));
  file = pf_write_file (dir, "dyn.setl.json", dynamic_branch_file);
  g_assert_cmpint (pf_run_tool (NULL, &out, &err, "run", file, NULL), ==, 0);
  written = slurp (out_csv);
  g_assert_cmpstr (written, ==, "id,name,age\n1,Ann,34\n2,Bob,17\n");
  pf_remove_tree (dir);
}

/* An input that takes whichever of two exclusive factories ran. */
static const char *one_of_file =
  "{\n"
  "  \"setl\": 1,\n"
  "  \"parameters\": { \"minors\": false },\n"
  "  \"factories\": [\n"
  "    { \"name\": \"read\", \"feature\": \"csv-source\", \"properties\": { \"path\": \"${pipeline_dir}/people.csv\" } },\n"
  "    { \"name\": \"adults\", \"feature\": \"filter\", \"when\": \"not $minors\", \"properties\": { \"where\": \"age >= 18\" }, \"inputs\": \"read\" },\n"
  "    { \"name\": \"young\", \"feature\": \"filter\", \"when\": \"$minors\", \"properties\": { \"where\": \"age < 18\" }, \"inputs\": \"read\" },\n"
  "    { \"name\": \"write\", \"feature\": \"csv-sink\", \"properties\": { \"path\": \"${pipeline_dir}/out.csv\" },\n"
  "      \"inputs\": { \"in\": { \"one_of\": [\"adults\", \"young\"] } } }\n"
  "  ]\n"
  "}\n";

static void
test_one_of_input (void)
{
  g_autofree char *dir = pf_temp_dir ();
  g_autofree char *file = NULL;

  g_free (pf_write_file (dir, "people.csv", people_csv));
  file = pf_write_file (dir, "oneof.setl.json", one_of_file);
  run_and_compare (file, dir, "minors=false", "id,name,age\n1,Ann,34\n3,Cyd,61\n");
  run_and_compare (file, dir, "minors=true", "id,name,age\n2,Bob,17\n");

  pf_assert_error ("{\"setl\": 1, \"factories\": [\n"
                   " {\"name\": \"a\", \"feature\": \"csv-source\", \"properties\": {\"path\": \"p\"}},\n"
                   " {\"name\": \"w\", \"feature\": \"csv-sink\", \"inputs\": {\"in\": {\"one_of\": [\"a\"]}}}]}",
                   SETL_PIPELINE_FILE_ERROR_INVALID,
                   "test.setl.json:3:56: input “in” of factory “w”: an object here is "
                   "{\"one_of\": [\"FACTORY\", \"FACTORY\", …]} (two factories or more)");
  pf_remove_tree (dir);
}

/* An arm may be a sub-pipeline (docs/composition.md): the arm's condition
 * is on every factory inside it. */
static const char *template_file =
  "{ \"setl\": 1, \"name\": \"adults-t\",\n"
  "  \"inputs\": { \"people\": \"People: id, name, age\" },\n"
  "  \"outputs\": { \"out\": \"keep\" },\n"
  "  \"factories\": [\n"
  "    { \"name\": \"keep\", \"feature\": \"filter\", \"properties\": { \"where\": \"age >= 18\" }, \"inputs\": \"people\" } ] }\n";

static const char *sub_arm_file =
  "{\n"
  "  \"setl\": 1,\n"
  "  \"parameters\": { \"adults\": true },\n"
  "  \"factories\": [\n"
  "    { \"name\": \"read\", \"feature\": \"csv-source\", \"properties\": { \"path\": \"${pipeline_dir}/people.csv\" } },\n"
  "    { \"name\": \"pick\", \"branch\": [\n"
  "        { \"if\": \"$adults\", \"name\": \"sub\", \"pipeline\": \"lib/adults.setl.json\", \"inputs\": { \"people\": \"read\" } },\n"
  "        { \"else\": true, \"feature\": \"filter\", \"properties\": { \"where\": \"age < 18\" }, \"inputs\": \"read\" } ] },\n"
  "    { \"name\": \"write\", \"feature\": \"csv-sink\", \"properties\": { \"path\": \"${pipeline_dir}/out.csv\" }, \"inputs\": \"pick\" }\n"
  "  ]\n"
  "}\n";

static void
test_sub_pipeline_arm (void)
{
  g_autofree char *dir = pf_temp_dir ();
  g_autofree char *lib = g_build_filename (dir, "lib", NULL);
  g_autofree char *file = NULL;

  g_assert_cmpint (g_mkdir (lib, 0700), ==, 0);
  g_free (pf_write_file (lib, "adults.setl.json", template_file));
  g_free (pf_write_file (dir, "people.csv", people_csv));
  file = pf_write_file (dir, "sub.setl.json", sub_arm_file);
  run_and_compare (file, dir, "adults=true", "id,name,age\n1,Ann,34\n3,Cyd,61\n");
  run_and_compare (file, dir, "adults=false", "id,name,age\n2,Bob,17\n");
  pf_remove_tree (dir);
}

/* Facts of a sub-pipeline's output, by the name the parent knows it by. */
static const char *alias_file =
  "{\n"
  "  \"setl\": 1,\n"
  "  \"parameters\": { \"min\": 1 },\n"
  "  \"factories\": [\n"
  "    { \"name\": \"read\", \"feature\": \"csv-source\", \"properties\": { \"path\": \"${pipeline_dir}/people.csv\" } },\n"
  "    { \"name\": \"sub\", \"pipeline\": \"lib/adults.setl.json\", \"inputs\": { \"people\": \"read\" } },\n"
  "    { \"name\": \"write\", \"feature\": \"csv-sink\", \"when\": \"$sub.out.row_count > $min\",\n"
  "      \"properties\": { \"path\": \"${pipeline_dir}/out.csv\" }, \"inputs\": \"sub\" }\n"
  "  ]\n"
  "}\n";

static void
test_sub_pipeline_facts (void)
{
  g_autofree char *dir = pf_temp_dir ();
  g_autofree char *lib = g_build_filename (dir, "lib", NULL);
  g_autofree char *out_csv = g_build_filename (dir, "out.csv", NULL);
  g_autofree char *file = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_assert_cmpint (g_mkdir (lib, 0700), ==, 0);
  g_free (pf_write_file (lib, "adults.setl.json", template_file));
  g_free (pf_write_file (dir, "people.csv", people_csv));
  file = pf_write_file (dir, "alias.setl.json", alias_file);
  run_and_compare (file, dir, "min=1", "id,name,age\n1,Ann,34\n3,Cyd,61\n");   /* 2 adults */
  g_unlink (out_csv);
  g_assert_cmpint (pf_run_tool (NULL, &out, &err, "run", file, "-p", "min=2", NULL), ==, 0);
  assert_has (out, "skipped   write (csv-sink) in 0 µs: its condition “$sub.out.row_count > $min” is false");
  g_assert_false (g_file_test (out_csv, G_FILE_TEST_EXISTS));
  pf_remove_tree (dir);
}

static void
test_no_else_refused (void)
{
  static const char *json =
    "{\"setl\": 1, \"parameters\": {\"x\": 1}, \"factories\": [\n"
    " {\"name\": \"read\", \"feature\": \"csv-source\", \"properties\": {\"path\": \"p.csv\"}},\n"
    " {\"name\": \"pick\", \"branch\": [\n"
    "   {\"if\": \"$x = 1\", \"feature\": \"limit\", \"inputs\": \"read\"}]},\n"
    " {\"name\": \"write\", \"feature\": \"csv-sink\", \"properties\": {\"path\": \"o.csv\"}, \"inputs\": \"pick\"}]}";
  g_autoptr(GError) error = NULL;
  g_autoptr(SetlPipeline) p = pf_build (json, &error);

  g_assert_null (p);
  g_assert_error (error, SETL_PIPELINE_ERROR, SETL_PIPELINE_ERROR_CONDITION);
  g_assert_cmpstr (error->message, ==,
                   "test.setl.json: The branch set “pick” has no else (or default), so it may run no "
                   "branch, but factory “write” requires its output (input “in”): add an else arm, "
                   "or make the input optional");
}

static void
test_file_errors (void)
{
  pf_assert_error ("{\"setl\": 1, \"factories\": [\n"
                   " {\"name\": \"a\", \"feature\": \"csv-source\", \"when\": 3}]}",
                   SETL_PIPELINE_FILE_ERROR_INVALID,
                   "test.setl.json:2:49: a factory's “when” must be a string (an expression such as "
                   "\"$orders.row_count > 0\")");
  pf_assert_error ("{\"setl\": 1, \"factories\": [\n"
                   " {\"name\": \"a\", \"feature\": \"csv-source\", \"when\": \"$x >\"}]}",
                   SETL_PIPELINE_FILE_ERROR_INVALID,
                   "test.setl.json:2:49: the “when” of factory “a”: Expected an expression after '>' at column 5:\n"
                   "  $x >\n"
                   "      ^");
  pf_assert_error ("{\"setl\": 1, \"factories\": [\n"
                   " {\"name\": \"a\", \"feature\": \"csv-source\", \"properties\": {\"path\": \"p\"},\n"
                   "  \"when\": \"$nope = 1\"}]}",
                   SETL_PIPELINE_FILE_ERROR_INVALID,
                   "test.setl.json:3:11: the condition of factory “a” reads “$nope”, which is neither a "
                   "parameter of the file nor a fact about a factory's output (“$FACTORY.row_count”…)");
  pf_assert_error ("{\"setl\": 1, \"factories\": [\n"
                   " {\"name\": \"s\", \"branch\": [\n"
                   "   {\"else-if\": \"true\", \"feature\": \"csv-source\"}]}]}",
                   SETL_PIPELINE_FILE_ERROR_INVALID,
                   "test.setl.json:3:5: branch set “s” starts with “if”");
  pf_assert_error ("{\"setl\": 1, \"factories\": [\n"
                   " {\"name\": \"s\", \"branch\": [\n"
                   "   {\"if\": \"true\", \"feature\": \"csv-source\"},\n"
                   "   {\"else\": true, \"feature\": \"csv-source\"},\n"
                   "   {\"else-if\": \"true\", \"feature\": \"csv-source\"}]}]}",
                   SETL_PIPELINE_FILE_ERROR_INVALID,
                   "test.setl.json:5:4: branch set “s”: no arm may follow its “else”");
  pf_assert_error ("{\"setl\": 1, \"factories\": [\n"
                   " {\"name\": \"s\", \"switch\": \"1\", \"cases\": [\n"
                   "   {\"case\": {}, \"feature\": \"csv-source\"}]}]}",
                   SETL_PIPELINE_FILE_ERROR_INVALID,
                   "test.setl.json:3:13: a “case” is a string, a number, a bool, or an array of them");
  /* An arm keeps the position of where it was written, though it moves
   * to the end of the list. */
  pf_assert_error ("{\"setl\": 1, \"factories\": [\n"
                   " {\"name\": \"s\", \"branch\": [\n"
                   "   {\"if\": \"true\", \"feature\": \"csv-source\"},\n"
                   "   {\"else\": true, \"feature\": \"csv-sorce\"}]},\n"
                   " {\"name\": \"t\", \"feature\": \"csv-sink\", \"inputs\": \"s\"}]}",
                   SETL_PIPELINE_FILE_ERROR_FEATURE,
                   "test.setl.json:4:30: factory “s.else”: no installed plugin provides the feature "
                   "“csv-sorce”; did you mean “csv-source”?");
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  if (setl_plugin_registry_lookup_feature (pf_registry (), "csv-source") == NULL ||
      setl_plugin_registry_lookup_feature (pf_registry (), "filter") == NULL)
    {
      g_printerr ("the csv and transforms plugins are not built\n");
      return 77;
    }
  g_test_add_func ("/conditions/file/static-pruning-in-check", test_static_pruning_in_check);
  g_test_add_func ("/conditions/file/skip-when-empty", test_skip_when_empty);
  g_test_add_func ("/conditions/file/if-else", test_if_else);
  g_test_add_func ("/conditions/file/switch", test_switch);
  g_test_add_func ("/conditions/file/dynamic-branch", test_dynamic_branch);
  g_test_add_func ("/conditions/file/one-of-input", test_one_of_input);
  g_test_add_func ("/conditions/file/sub-pipeline-arm", test_sub_pipeline_arm);
  g_test_add_func ("/conditions/file/sub-pipeline-facts", test_sub_pipeline_facts);
  g_test_add_func ("/conditions/file/no-else-refused", test_no_else_refused);
  g_test_add_func ("/conditions/file/errors", test_file_errors);
  return g_test_run ();
}
