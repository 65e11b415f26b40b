/* test-pipeline-file.c: SetlPipelineFile — the format, its error messages
 * (exact text with file:line:column), parameters and overrides, property
 * conversion, wiring onto delivery ids, and stages, against the suite's
 * test plugin (fixture/pf-fixture.c). */
#include "pf-test-util.h"

#include <string.h>

typedef struct
{
  const char *name;
  int code;
  const char *json;
  const char *message;
} ErrorCase;

/* Every error the loader gives, with the position it must point at. */
static const ErrorCase error_cases[] = {
  { "syntax-missing-value", SETL_PIPELINE_FILE_ERROR_SYNTAX,
    "{\"setl\": 1,\n \"name\": }",
    "test.setl.json:2:10: expected a value (an object, array, string, number, true, false or null), found “}”" },
  { "syntax-missing-comma", SETL_PIPELINE_FILE_ERROR_SYNTAX,
    "{\"setl\": 1\n \"name\": \"x\"}",
    "test.setl.json:2:2: expected “,” or “}” after a member, found a string" },
  { "syntax-trailing-comma", SETL_PIPELINE_FILE_ERROR_SYNTAX,
    "{\"setl\": 1,\n \"factories\": [1, 2,]\n}",
    "test.setl.json:2:21: expected a value after “,”, found “]” (JSON allows no comma before “]”)" },
  { "syntax-trailing-comma-object", SETL_PIPELINE_FILE_ERROR_SYNTAX,
    "{\"setl\": 1,}",
    "test.setl.json:1:12: expected a member name in double quotes after “,”, found “}” (JSON allows no comma before “}”)" },
  { "syntax-comment", SETL_PIPELINE_FILE_ERROR_SYNTAX,
    "// hi\n{\"setl\": 1}",
    "test.setl.json:1:1: expected a value (an object, array, string, number, true, false or null), found a comment (JSON has none; a “description” member can hold one)" },
  { "syntax-single-quotes", SETL_PIPELINE_FILE_ERROR_SYNTAX,
    "{'setl': 1}",
    "test.setl.json:1:2: expected a member name in double quotes or “}”, found “'” (JSON strings take double quotes)" },
  { "syntax-bad-literal", SETL_PIPELINE_FILE_ERROR_SYNTAX,
    "{\"setl\": tru}",
    "test.setl.json:1:10: expected a value (an object, array, string, number, true, false or null), found “tru”" },
  { "syntax-unterminated", SETL_PIPELINE_FILE_ERROR_SYNTAX,
    "{\"setl\": 1, \"name\": \"abc",
    "test.setl.json:1:21: unterminated string: no closing “\"” before the end of the file" },
  { "syntax-raw-newline", SETL_PIPELINE_FILE_ERROR_SYNTAX,
    "{\"setl\": 1, \"name\": \"a\nb\"}",
    "test.setl.json:1:23: control character U+000A in a string (a line break is written “\\n”)" },
  { "syntax-bad-escape", SETL_PIPELINE_FILE_ERROR_SYNTAX,
    "{\"name\": \"a\\qb\"}",
    "test.setl.json:1:13: invalid escape “\\q” in a string (valid: \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)" },
  { "syntax-leading-zero", SETL_PIPELINE_FILE_ERROR_SYNTAX,
    "{\"setl\": 01}",
    "test.setl.json:1:11: a number cannot have a leading zero" },
  { "syntax-empty", SETL_PIPELINE_FILE_ERROR_SYNTAX,
    "  \n ",
    "test.setl.json:2:2: the file is empty: expected a JSON object" },
  { "syntax-trailing-garbage", SETL_PIPELINE_FILE_ERROR_SYNTAX,
    "{\"setl\": 1} x",
    "test.setl.json:1:13: expected the end of the file after the top-level value, found “x”" },
  { "syntax-duplicate", SETL_PIPELINE_FILE_ERROR_SYNTAX,
    "{\"setl\": 1,\n  \"setl\": 2}",
    "test.setl.json:2:3: duplicate member “setl” in an object" },
  { "syntax-non-ascii-column", SETL_PIPELINE_FILE_ERROR_SYNTAX,
    "{\"nämé\": \"é\", \"x\" 1}",
    "test.setl.json:1:19: expected “:” after the member name “x”, found “1”" },
  { "structure-not-object", SETL_PIPELINE_FILE_ERROR_INVALID,
    "[1, 2]",
    "test.setl.json:1:1: a pipeline file is a JSON object, not an array" },
  { "structure-no-version", SETL_PIPELINE_FILE_ERROR_VERSION,
    "{\"factories\": []}",
    "test.setl.json:1:1: no format version: a pipeline file starts with \"setl\": 1" },
  { "structure-bad-version", SETL_PIPELINE_FILE_ERROR_VERSION,
    "{\"setl\": 2, \"factories\": []}",
    "test.setl.json:1:10: unsupported format version 2: this libsetl reads version 1" },
  { "structure-unknown-member", SETL_PIPELINE_FILE_ERROR_INVALID,
    "{\"setl\": 1,\n  \"factorys\": []}",
    "test.setl.json:2:3: unknown member “factorys” in the pipeline; did you mean “factories”?" },
  { "structure-no-factories", SETL_PIPELINE_FILE_ERROR_INVALID,
    "{\"setl\": 1}",
    "test.setl.json:1:1: no “factories”: a pipeline needs at least one factory" },
  { "structure-empty-factories", SETL_PIPELINE_FILE_ERROR_INVALID,
    "{\"setl\": 1, \"factories\": []}",
    "test.setl.json:1:26: “factories” is empty: a pipeline needs at least one factory" },
  { "structure-factory-not-object", SETL_PIPELINE_FILE_ERROR_INVALID,
    "{\"setl\": 1, \"factories\": [42]}",
    "test.setl.json:1:27: a factory must be an object with “feature”, “properties” and “inputs”, not 42" },
  { "structure-factory-no-name", SETL_PIPELINE_FILE_ERROR_INVALID,
    "{\"setl\": 1, \"factories\": [{\"feature\": \"pf-source\"}]}",
    "test.setl.json:1:27: a factory has no “name” (inputs refer to factories by name)" },
  { "structure-factory-no-feature", SETL_PIPELINE_FILE_ERROR_INVALID,
    "{\"setl\": 1, \"factories\": [{\"name\": \"a\"}]}",
    "test.setl.json:1:27: factory “a” has no “feature” (the name of a plugin feature, e.g. “csv-source”)" },
  { "structure-factory-unknown-member", SETL_PIPELINE_FILE_ERROR_INVALID,
    "{\"setl\": 1, \"factories\": [{\"name\": \"a\", \"feature\": \"pf-source\", \"propertes\": {}}]}",
    "test.setl.json:1:65: unknown member “propertes” in factory “a”; did you mean “properties”?" },
  { "structure-duplicate-factory", SETL_PIPELINE_FILE_ERROR_INVALID,
    "{\"setl\": 1, \"factories\": [\n  {\"name\": \"a\", \"feature\": \"pf-source\"},\n  {\"name\": \"a\", \"feature\": \"pf-source\"}]}",
    "test.setl.json:3:12: a second factory named “a” (the first is at line 2)" },
  { "structure-bad-factory-name", SETL_PIPELINE_FILE_ERROR_INVALID,
    "{\"setl\": 1, \"factories\": [{\"name\": \"a b\", \"feature\": \"pf-source\"}]}",
    "test.setl.json:1:36: invalid factory name “a b”: use letters, digits, “_”, “-” and “.”, starting with a letter" },
  { "structure-object-form-name", SETL_PIPELINE_FILE_ERROR_INVALID,
    "{\"setl\": 1, \"factories\": {\"a\": {\"name\": \"a\", \"feature\": \"pf-source\"}}}",
    "test.setl.json:1:33: factory “a” has a “name” member: in the object form the member name is the factory's name" },
  { "structure-bad-stage", SETL_PIPELINE_FILE_ERROR_INVALID,
    "{\"setl\": 1, \"factories\": [{\"name\": \"a\", \"feature\": \"pf-source\", \"stage\": -1}]}",
    "test.setl.json:1:74: a factory's “stage” must be an integer from 0 to 100000, not -1" },
  { "param-unknown-type", SETL_PIPELINE_FILE_ERROR_PARAMETER,
    "{\"setl\": 1, \"parameters\": {\"n\": {\"type\": \"integer\"}}, \"factories\": [{\"name\": \"a\", \"feature\": \"pf-source\"}]}",
    "test.setl.json:1:42: parameter “n”: unknown type “integer”; the closest known type is “int” (known: “string”, “int”, “double”, “bool”)" },
  { "param-bad-default", SETL_PIPELINE_FILE_ERROR_PARAMETER,
    "{\"setl\": 1, \"parameters\": {\"n\": {\"type\": \"int\", \"default\": \"3\"}}, \"factories\": [{\"name\": \"a\", \"feature\": \"pf-source\"}]}",
    "test.setl.json:1:60: the default of parameter “n” must be an int, not a string" },
  { "param-no-type", SETL_PIPELINE_FILE_ERROR_PARAMETER,
    "{\"setl\": 1, \"parameters\": {\"n\": {\"default\": 3}}, \"factories\": [{\"name\": \"a\", \"feature\": \"pf-source\"}]}",
    "test.setl.json:1:33: parameter “n” has no “type” (one of string, int, double, bool)" },
  { "param-unknown-member", SETL_PIPELINE_FILE_ERROR_INVALID,
    "{\"setl\": 1, \"parameters\": {\"n\": {\"type\": \"int\", \"defualt\": 3}}, \"factories\": [{\"name\": \"a\", \"feature\": \"pf-source\"}]}",
    "test.setl.json:1:49: unknown member “defualt” in parameter “n”; did you mean “default”?" },
  { "param-required-unset", SETL_PIPELINE_FILE_ERROR_PARAMETER,
    "{\"setl\": 1,\n \"parameters\": {\"n\": {\"type\": \"int\"}},\n \"factories\": [{\"name\": \"a\", \"feature\": \"pf-source\", \"properties\": {\"count\": \"${n}\"}}]}",
    "test.setl.json:2:17: parameter “n” has no default and was not set (--param n=VALUE)" },
  { "param-unknown-reference", SETL_PIPELINE_FILE_ERROR_PARAMETER,
    "{\"setl\": 1, \"parameters\": {\"word\": \"hi\"}, \"factories\": [{\"name\": \"a\", \"feature\": \"pf-source\", \"properties\": {\"text\": \"${wrod}\"}}]}",
    "test.setl.json:1:118: unknown parameter “wrod” in “${wrod}”; did you mean “word”?" },
  { "param-unclosed-reference", SETL_PIPELINE_FILE_ERROR_PARAMETER,
    "{\"setl\": 1, \"factories\": [{\"name\": \"a\", \"feature\": \"pf-source\", \"properties\": {\"text\": \"${oops\"}}]}",
    "test.setl.json:1:88: “${” without a closing “}” in “${oops” (write “$${” for a literal “${”)" },
  { "param-builtin", SETL_PIPELINE_FILE_ERROR_PARAMETER,
    "{\"setl\": 1, \"parameters\": {\"pipeline_dir\": \"x\"}, \"factories\": [{\"name\": \"a\", \"feature\": \"pf-source\"}]}",
    "test.setl.json:1:28: parameter “pipeline_dir” is built in (the directory of the pipeline file)" },
  { "param-substituted-not-int", SETL_PIPELINE_FILE_ERROR_PROPERTY,
    "{\"setl\": 1, \"parameters\": {\"word\": \"hi\"}, \"factories\": [{\"name\": \"a\", \"feature\": \"pf-source\", \"properties\": {\"count\": \"${word}\"}}]}",
    "test.setl.json:1:119: property “count” of factory “a” (pf-source): “hi” is not an integer" },
  { "feature-unknown", SETL_PIPELINE_FILE_ERROR_FEATURE,
    "{\"setl\": 1, \"factories\": [{\"name\": \"a\", \"feature\": \"pf-sorce\"}]}",
    "test.setl.json:1:52: factory “a”: no installed plugin provides the feature “pf-sorce”; did you mean “pf-source”?" },
  { "feature-unknown-far", SETL_PIPELINE_FILE_ERROR_FEATURE,
    "{\"setl\": 1, \"factories\": [{\"name\": \"a\", \"feature\": \"zzzzzzzzzzzz\"}]}",
    "test.setl.json:1:52: factory “a”: no installed plugin provides the feature “zzzzzzzzzzzz”; the closest known feature is “pf-source” (known: “pf-source”, “pf-int-source”, “pf-concat”, “pf-upper”, “pf-fail”, “pf-sink”)" },
  { "feature-substituted-unknown", SETL_PIPELINE_FILE_ERROR_FEATURE,
    "{\"setl\": 1, \"parameters\": {\"kind\": \"pf\"},\n \"factories\": [{\"name\": \"a\", \"feature\": \"${kind}-sorce\"}]}",
    "test.setl.json:2:41: factory “a”: no installed plugin provides the feature “pf-sorce” (from “${kind}-sorce”); did you mean “pf-source”?" },
  { "feature-unknown-parameter", SETL_PIPELINE_FILE_ERROR_PARAMETER,
    "{\"setl\": 1, \"parameters\": {\"kind\": \"pf\"},\n \"factories\": [{\"name\": \"a\", \"feature\": \"${knd}-source\"}]}",
    "test.setl.json:2:41: unknown parameter “knd” in “${knd}-source”; did you mean “kind”?" },
  { "feature-not-factory", SETL_PIPELINE_FILE_ERROR_FEATURE,
    "{\"setl\": 1, \"factories\": [{\"name\": \"a\", \"feature\": \"pf-backend\"}]}",
    "test.setl.json:1:52: factory “a”: feature “pf-backend” of plugin “pf-fixture” is a backend, not a source, transform or sink" },
  { "property-unknown", SETL_PIPELINE_FILE_ERROR_PROPERTY,
    "{\"setl\": 1, \"factories\": [{\"name\": \"a\", \"feature\": \"pf-source\",\n  \"properties\": {\"txet\": \"hi\"}}]}",
    "test.setl.json:2:18: factory “a”: feature “pf-source” has no property “txet”; did you mean “text”?" },
  { "property-reserved", SETL_PIPELINE_FILE_ERROR_PROPERTY,
    "{\"setl\": 1, \"factories\": [{\"name\": \"a\", \"feature\": \"pf-source\", \"properties\": {\"name\": \"b\"}}]}",
    "test.setl.json:1:80: factory “a”: property “name” is set by the pipeline file (a factory's name is its key, and it delivers under it)" },
  { "property-read-only", SETL_PIPELINE_FILE_ERROR_PROPERTY,
    "{\"setl\": 1, \"factories\": [{\"name\": \"a\", \"feature\": \"pf-source\", \"properties\": {\"output-type\": \"x\"}}]}",
    "test.setl.json:1:80: factory “a” (pf-source): property “output-type” is read-only" },
  { "property-int-as-string", SETL_PIPELINE_FILE_ERROR_PROPERTY,
    "{\"setl\": 1, \"factories\": [{\"name\": \"a\", \"feature\": \"pf-source\", \"properties\": {\"count\": \"3\"}}]}",
    "test.setl.json:1:89: property “count” of factory “a” (pf-source): expected an integer (type gint), not a string" },
  { "property-int-as-double", SETL_PIPELINE_FILE_ERROR_PROPERTY,
    "{\"setl\": 1, \"factories\": [{\"name\": \"a\", \"feature\": \"pf-source\", \"properties\": {\"count\": 2.5}}]}",
    "test.setl.json:1:89: property “count” of factory “a” (pf-source): expected an integer, not 2.5" },
  { "property-out-of-range", SETL_PIPELINE_FILE_ERROR_PROPERTY,
    "{\"setl\": 1, \"factories\": [{\"name\": \"a\", \"feature\": \"pf-source\", \"properties\": {\"count\": 5000}}]}",
    "test.setl.json:1:89: property “count” of factory “a” (pf-source): 5000 is out of range (0 to 1000)" },
  { "property-uint-negative", SETL_PIPELINE_FILE_ERROR_PROPERTY,
    "{\"setl\": 1, \"factories\": [{\"name\": \"a\", \"feature\": \"pf-source\", \"properties\": {\"delay-ms\": -1}}]}",
    "test.setl.json:1:92: property “delay-ms” of factory “a” (pf-source): -1 is out of range (0 to 60000)" },
  { "property-bool-as-int", SETL_PIPELINE_FILE_ERROR_PROPERTY,
    "{\"setl\": 1, \"factories\": [{\"name\": \"a\", \"feature\": \"pf-source\", \"properties\": {\"loud\": 1}}]}",
    "test.setl.json:1:88: property “loud” of factory “a” (pf-source): expected true or false (type gboolean), not an integer" },
  { "property-bad-enum", SETL_PIPELINE_FILE_ERROR_PROPERTY,
    "{\"setl\": 1, \"factories\": [{\"name\": \"a\", \"feature\": \"pf-source\", \"properties\": {\"mode\": \"fency\"}}]}",
    "test.setl.json:1:88: property “mode” of factory “a” (pf-source): “fency” is not one of “plain”, “fancy”" },
  { "property-strv-element", SETL_PIPELINE_FILE_ERROR_PROPERTY,
    "{\"setl\": 1, \"factories\": [{\"name\": \"a\", \"feature\": \"pf-source\", \"properties\": {\"tags\": [\"a\", 2]}}]}",
    "test.setl.json:1:94: property “tags” of factory “a” (pf-source): element 1 must be a string, not an integer" },
  { "property-string-as-object", SETL_PIPELINE_FILE_ERROR_PROPERTY,
    "{\"setl\": 1, \"factories\": [{\"name\": \"a\", \"feature\": \"pf-source\", \"properties\": {\"text\": {}}}]}",
    "test.setl.json:1:88: property “text” of factory “a” (pf-source): expected a string (type gchararray), not an object" },
  { "wiring-unknown-slot", SETL_PIPELINE_FILE_ERROR_WIRING,
    "{\"setl\": 1, \"factories\": [{\"name\": \"a\", \"feature\": \"pf-source\"},\n  {\"name\": \"u\", \"feature\": \"pf-upper\", \"inputs\": {\"inn\": \"a\"}}]}",
    "test.setl.json:2:51: factory “u” (pf-upper) has no input “inn”; did you mean “in”?" },
  { "wiring-unknown-factory", SETL_PIPELINE_FILE_ERROR_WIRING,
    "{\"setl\": 1, \"factories\": [{\"name\": \"src\", \"feature\": \"pf-source\"},\n  {\"name\": \"u\", \"feature\": \"pf-upper\", \"inputs\": {\"in\": \"scr\"}}]}",
    "test.setl.json:2:57: input “in” of factory “u” is wired to “scr”, which is not a factory of this pipeline; did you mean “src”?" },
  { "wiring-unwired", SETL_PIPELINE_FILE_ERROR_WIRING,
    "{\"setl\": 1, \"factories\": [{\"name\": \"a\", \"feature\": \"pf-source\"}, {\"name\": \"u\", \"feature\": \"pf-upper\"}]}",
    "test.setl.json:1:66: input “in” of factory “u” (pf-upper) is not wired: add \"inputs\": {\"in\": \"FACTORY\"}" },
  { "wiring-self", SETL_PIPELINE_FILE_ERROR_WIRING,
    "{\"setl\": 1, \"factories\": [{\"name\": \"u\", \"feature\": \"pf-upper\", \"inputs\": {\"in\": \"u\"}}]}",
    "test.setl.json:1:81: input “in” of factory “u” is wired to the factory itself" },
  { "wiring-type", SETL_PIPELINE_FILE_ERROR_WIRING,
    "{\"setl\": 1, \"factories\": [{\"name\": \"n\", \"feature\": \"pf-int-source\"}, {\"name\": \"u\", \"feature\": \"pf-upper\", \"inputs\": \"n\"}]}",
    "test.setl.json:1:117: input “in” of factory “u” (pf-upper) takes gchararray, but “n” (pf-int-source) outputs gint64" },
  { "wiring-shorthand-several", SETL_PIPELINE_FILE_ERROR_WIRING,
    "{\"setl\": 1, \"factories\": [{\"name\": \"a\", \"feature\": \"pf-source\"}, {\"name\": \"c\", \"feature\": \"pf-concat\", \"inputs\": \"a\"}]}",
    "test.setl.json:1:114: factory “c” (pf-concat) has several inputs (“left”, “right”): wire them by name, as in \"inputs\": {\"INPUT\": \"FACTORY\"}" },
  { "wiring-shorthand-none", SETL_PIPELINE_FILE_ERROR_WIRING,
    "{\"setl\": 1, \"factories\": [{\"name\": \"a\", \"feature\": \"pf-source\"}, {\"name\": \"b\", \"feature\": \"pf-source\", \"inputs\": \"a\"}]}",
    "test.setl.json:1:114: factory “b” (pf-source) takes no input" },
  { "wiring-cycle", SETL_PIPELINE_FILE_ERROR_WIRING,
    "{\"setl\": 1, \"factories\": [\n {\"name\": \"a\", \"feature\": \"pf-upper\", \"inputs\": \"c\"},\n {\"name\": \"b\", \"feature\": \"pf-upper\", \"inputs\": \"a\"},\n {\"name\": \"c\", \"feature\": \"pf-upper\", \"inputs\": \"b\"}]}",
    "test.setl.json:2:49: the inputs form a cycle: “a” → “b” → “c” → “a”" },
  { "wiring-producer-not-string", SETL_PIPELINE_FILE_ERROR_INVALID,
    "{\"setl\": 1, \"factories\": [{\"name\": \"a\", \"feature\": \"pf-source\"}, {\"name\": \"u\", \"feature\": \"pf-upper\", \"inputs\": {\"in\": 3}}]}",
    "test.setl.json:1:120: an input's producer must be a factory name, not 3" },
  { "stage-before-producer", SETL_PIPELINE_FILE_ERROR_STAGE,
    "{\"setl\": 1, \"factories\": [{\"name\": \"a\", \"feature\": \"pf-source\", \"stage\": 2}, {\"name\": \"u\", \"feature\": \"pf-upper\", \"inputs\": \"a\", \"stage\": 1}]}",
    "test.setl.json:1:139: factory “u” is in stage 1, but takes an input from “a” in stage 2: a factory runs in a later stage than its producers" },
};

static void
test_error (gconstpointer data)
{
  const ErrorCase *c = data;

  pf_assert_error (c->json, c->code, c->message);
}

/* A pipeline that uses every kind of property the fixture has. */
static const char *full_pipeline =
  "{\n"
  "  \"setl\": 1,\n"
  "  \"name\": \"full\",\n"
  "  \"description\": \"every property type\",\n"
  "  \"parameters\": {\n"
  "    \"word\": { \"type\": \"string\", \"default\": \"ab\", \"description\": \"the word\" },\n"
  "    \"times\": { \"type\": \"int\", \"default\": 2 },\n"
  "    \"factor\": { \"type\": \"double\", \"default\": 1 },\n"
  "    \"shout\": false\n"
  "  },\n"
  "  \"factories\": [\n"
  "    { \"name\": \"left\", \"feature\": \"pf-source\",\n"
  "      \"properties\": { \"text\": \"${word}\", \"count\": \"${times}\", \"scale\": \"${factor}\",\n"
  "                      \"loud\": \"${shout}\" } },\n"
  "    { \"name\": \"right\", \"feature\": \"pf-source\",\n"
  "      \"properties\": { \"text\": \"z\", \"mode\": \"fancy\", \"tags\": [\"t1\", \"${word}\"],\n"
  "                      \"prefix\": \"P\", \"big\": 9007199254740993, \"scale\": 2.5 } },\n"
  "    { \"name\": \"both\", \"feature\": \"pf-concat\", \"properties\": { \"separator\": \"$${x}\" },\n"
  "      \"inputs\": { \"left\": \"left\", \"right\": \"right\" } },\n"
  "    { \"name\": \"up\", \"feature\": \"pf-upper\", \"inputs\": \"both\" }\n"
  "  ]\n"
  "}\n";

static char *
run_and_get (SetlPipeline *pipeline,
             const char   *factory)
{
  g_autoptr(GError) error = NULL;
  const GValue *v;

  g_assert_true (setl_pipeline_run (pipeline, NULL, &error));
  g_assert_no_error (error);
  v = setl_pipeline_get_output_by_name (pipeline, factory, &error);
  g_assert_no_error (error);
  return g_value_dup_string (v);
}

static void
test_properties_converted (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SetlPipeline) pipeline = pf_build (full_pipeline, &error);
  g_autofree char *both = NULL;
  g_autofree char *up = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (setl_pipeline_get_name (pipeline), ==, "full");
  both = run_and_get (pipeline, "both");
  /* left: "ab" twice; right: construct-only prefix, fancy brackets, tags
   * (one substituted), a double and a uint64 beyond 2^53; the separator's
   * "$${" is a literal "${". */
  g_assert_cmpstr (both, ==, "abab${x}[Pz]#t1#ab*2.5+9007199254740993");
  up = run_and_get (pipeline, "up");
  g_assert_cmpstr (up, ==, "ABAB${X}[PZ]#T1#AB*2.5+9007199254740993");
}

static void
test_parameters (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SetlPipelineFile) file =
    setl_pipeline_file_new_from_data (full_pipeline, -1, "full.setl.json", "/some/dir", &error);
  g_auto(GStrv) names = NULL;

  g_assert_no_error (error);
  names = setl_pipeline_file_list_parameters (file);
  g_assert_cmpuint (g_strv_length (names), ==, 4);
  g_assert_cmpstr (names[0], ==, "word");
  g_assert_cmpstr (names[3], ==, "shout");
  g_assert_cmpstr (setl_pipeline_file_get_parameter_type (file, "times"), ==, "int");
  g_assert_cmpstr (setl_pipeline_file_get_parameter_type (file, "factor"), ==, "double");
  g_assert_cmpstr (setl_pipeline_file_get_parameter_type (file, "shout"), ==, "bool");
  g_assert_cmpstr (setl_pipeline_file_get_parameter (file, "times"), ==, "2");
  g_assert_cmpstr (setl_pipeline_file_get_parameter (file, "shout"), ==, "false");
  g_assert_cmpstr (setl_pipeline_file_get_parameter_description (file, "word"), ==, "the word");
  g_assert_cmpstr (setl_pipeline_file_get_parameter (file, "pipeline_dir"), ==, "/some/dir");
  g_assert_null (setl_pipeline_file_get_parameter (file, "nope"));
  g_assert_cmpstr (setl_pipeline_file_get_description (file), ==, "every property type");

  /* Overrides are type-checked and canonicalised. */
  g_assert_true (setl_pipeline_file_set_parameter (file, "times", "3", &error));
  g_assert_true (setl_pipeline_file_set_parameter_from_string (file, "shout=YES", &error));
  g_assert_true (setl_pipeline_file_set_parameter (file, "factor", "1e0", &error));
  g_assert_no_error (error);
  g_assert_cmpstr (setl_pipeline_file_get_parameter (file, "shout"), ==, "true");
  g_assert_cmpstr (setl_pipeline_file_get_parameter (file, "factor"), ==, "1");

  g_assert_false (setl_pipeline_file_set_parameter (file, "times", "three", &error));
  g_assert_error (error, SETL_PIPELINE_FILE_ERROR, SETL_PIPELINE_FILE_ERROR_PARAMETER);
  g_assert_cmpstr (error->message, ==,
                   "full.setl.json: parameter “times”: “three” is not an int (a whole number such as 42 or -7)");
  g_clear_error (&error);
  g_assert_false (setl_pipeline_file_set_parameter (file, "factor", "1.5x", &error));
  g_assert_cmpstr (error->message, ==,
                   "full.setl.json: parameter “factor”: “1.5x” is not a double (a number such as 2.5 or 1e-3)");
  g_clear_error (&error);
  g_assert_false (setl_pipeline_file_set_parameter (file, "shout", "maybe", &error));
  g_assert_cmpstr (error->message, ==, "full.setl.json: parameter “shout”: “maybe” is not a bool (true or false)");
  g_clear_error (&error);
  g_assert_false (setl_pipeline_file_set_parameter (file, "tims", "3", &error));
  g_assert_cmpstr (error->message, ==, "full.setl.json: no parameter “tims”; did you mean “times”?");
  g_clear_error (&error);
  g_assert_false (setl_pipeline_file_set_parameter (file, "pipeline_dir", "/x", &error));
  g_assert_cmpstr (error->message, ==, "full.setl.json: parameter “pipeline_dir” is built in and cannot be set");
  g_clear_error (&error);
  g_assert_false (setl_pipeline_file_set_parameter_from_string (file, "times", &error));
  g_assert_cmpstr (error->message, ==, "“times”: a parameter is set as NAME=VALUE");
  g_clear_error (&error);

  /* The failed overrides changed nothing; the good ones show in the run. */
  g_assert_cmpstr (setl_pipeline_file_get_parameter (file, "times"), ==, "3");
  {
    g_autoptr(SetlPipeline) pipeline = setl_pipeline_file_build (file, pf_registry (), &error);
    g_autofree char *left = NULL;

    g_assert_no_error (error);
    left = run_and_get (pipeline, "left");
    g_assert_cmpstr (left, ==, "ABABAB");
  }
}

static void
test_required_parameter (void)
{
  const char *json =
    "{\"setl\": 1, \"parameters\": {\"n\": {\"type\": \"int\"}},\n"
    " \"factories\": [{\"name\": \"a\", \"feature\": \"pf-source\", \"properties\": {\"count\": \"${n}\"}}]}";
  g_autoptr(GError) error = NULL;
  g_autoptr(SetlPipelineFile) file =
    setl_pipeline_file_new_from_data (json, -1, "req.setl.json", NULL, &error);
  g_autoptr(SetlPipeline) pipeline = NULL;
  g_autofree char *out = NULL;

  g_assert_no_error (error);
  g_assert_null (setl_pipeline_file_get_parameter (file, "n"));
  g_assert_null (setl_pipeline_file_build (file, pf_registry (), &error));
  g_assert_cmpstr (error->message, ==, "req.setl.json:1:28: parameter “n” has no default and was not set (--param n=VALUE)");
  g_clear_error (&error);
  g_assert_true (setl_pipeline_file_set_parameter (file, "n", "4", &error));
  pipeline = setl_pipeline_file_build (file, pf_registry (), &error);
  g_assert_no_error (error);
  out = run_and_get (pipeline, "a");
  g_assert_cmpstr (out, ==, "xxxx");
}

/* Each factory delivers under its name; each wired slot asks for its
 * producer's name; the inspector's graph follows. */
static void
test_wiring_delivery_ids (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SetlPipeline) pipeline = pf_build (full_pipeline, &error);
  GPtrArray *stages;
  SetlFactory *both;
  GPtrArray *flows;

  g_assert_no_error (error);
  stages = setl_pipeline_get_stages (pipeline);
  both = g_ptr_array_index (setl_stage_get_factories (g_ptr_array_index (stages, 1)), 0);
  g_assert_cmpstr (setl_factory_get_name (both), ==, "both");
  g_assert_cmpstr (setl_factory_get_delivery_id (both), ==, "both");
  g_assert_cmpstr (setl_delivery_get_delivery_id (setl_factory_get_delivery (both, "left")), ==, "left");
  g_assert_cmpstr (setl_delivery_get_delivery_id (setl_factory_get_delivery (both, "right")), ==, "right");
  flows = setl_inspector_get_flows (setl_pipeline_get_inspector (pipeline));
  g_assert_cmpuint (flows->len, ==, 3);
}

static char **
stage_names (SetlPipeline *pipeline)
{
  GPtrArray *stages = setl_pipeline_get_stages (pipeline);
  GStrvBuilder *b = g_strv_builder_new ();
  char **out;

  for (guint s = 0; s < stages->len; s++)
    {
      GPtrArray *fs = setl_stage_get_factories (g_ptr_array_index (stages, s));
      GString *line = g_string_new (NULL);

      for (guint i = 0; i < fs->len; i++)
        g_string_append_printf (line, "%s%s", i ? " " : "",
                                setl_factory_get_name (g_ptr_array_index (fs, i)));
      g_strv_builder_add (b, line->str);
      g_string_free (line, TRUE);
    }
  out = g_strv_builder_end (b);
  g_strv_builder_unref (b);
  return out;
}

static void
test_stages_derived (void)
{
  /* Listed out of order: the stages follow the dependencies (topological
   * levels), and independent factories share a stage. */
  const char *json =
    "{\"setl\": 1, \"factories\": {\n"
    "  \"up2\": {\"feature\": \"pf-upper\", \"inputs\": \"cat\"},\n"
    "  \"cat\": {\"feature\": \"pf-concat\", \"inputs\": {\"left\": \"a\", \"right\": \"up1\"}},\n"
    "  \"up1\": {\"feature\": \"pf-upper\", \"inputs\": \"b\"},\n"
    "  \"a\": {\"feature\": \"pf-source\", \"properties\": {\"text\": \"a\"}},\n"
    "  \"b\": {\"feature\": \"pf-source\", \"properties\": {\"text\": \"b\"}}}}";
  g_autoptr(GError) error = NULL;
  g_autoptr(SetlPipeline) pipeline = pf_build (json, &error);
  g_auto(GStrv) stages = NULL;
  g_autofree char *out = NULL;

  g_assert_no_error (error);
  stages = stage_names (pipeline);
  g_assert_cmpuint (g_strv_length (stages), ==, 4);
  g_assert_cmpstr (stages[0], ==, "a b");
  g_assert_cmpstr (stages[1], ==, "up1");
  g_assert_cmpstr (stages[2], ==, "cat");
  g_assert_cmpstr (stages[3], ==, "up2");
  out = run_and_get (pipeline, "up2");
  g_assert_cmpstr (out, ==, "AB");
}

static void
test_stages_explicit (void)
{
  /* Written-out stages may leave gaps (no empty stage is made) and may put
   * a factory later than it needs; unset ones are derived around them. */
  const char *json =
    "{\"setl\": 1, \"factories\": [\n"
    "  {\"name\": \"a\", \"feature\": \"pf-source\", \"stage\": 0},\n"
    "  {\"name\": \"b\", \"feature\": \"pf-source\", \"stage\": 10},\n"
    "  {\"name\": \"u\", \"feature\": \"pf-upper\", \"inputs\": \"a\"},\n"
    "  {\"name\": \"v\", \"feature\": \"pf-upper\", \"inputs\": \"b\", \"stage\": 20, \"writable\": false}]}";
  g_autoptr(GError) error = NULL;
  g_autoptr(SetlPipeline) pipeline = pf_build (json, &error);
  g_auto(GStrv) stages = NULL;
  SetlFactory *v;

  g_assert_no_error (error);
  stages = stage_names (pipeline);
  g_assert_cmpuint (g_strv_length (stages), ==, 4);
  g_assert_cmpstr (stages[0], ==, "a");
  g_assert_cmpstr (stages[1], ==, "u");
  g_assert_cmpstr (stages[2], ==, "b");
  g_assert_cmpstr (stages[3], ==, "v");
  v = g_ptr_array_index (setl_stage_get_factories (g_ptr_array_index (setl_pipeline_get_stages (pipeline), 3)), 0);
  g_assert_false (setl_factory_get_writable (v));
}

static void
test_pipeline_options (void)
{
  const char *json =
    "{\"setl\": 1, \"max-threads\": 3, \"continue-on-error\": true,\n"
    " \"factories\": [{\"name\": \"a\", \"feature\": \"pf-source\"}]}";
  g_autoptr(GError) error = NULL;
  g_autoptr(SetlPipeline) pipeline = pf_build (json, &error);

  g_assert_no_error (error);
  g_assert_cmpint (setl_pipeline_get_max_threads (pipeline), ==, 3);
  g_assert_true (setl_pipeline_get_continue_on_error (pipeline));
  /* No "name": the file's name without .setl.json */
  g_assert_cmpstr (setl_pipeline_get_name (pipeline), ==, "test");
}

static void
test_from_file (void)
{
  g_autofree char *dir = pf_temp_dir ();
  g_autofree char *path = pf_write_file (dir, "p.setl.json",
    "{\"setl\": 1, \"factories\": [{\"name\": \"w\", \"feature\": \"pf-sink\",\n"
    "  \"properties\": {\"location\": \"${pipeline_dir}/out.txt\"}, \"inputs\": \"s\"},\n"
    "  {\"name\": \"s\", \"feature\": \"pf-source\", \"properties\": {\"text\": \"é\", \"count\": 3}}]}");
  g_autofree char *missing = g_build_filename (dir, "missing.setl.json", NULL);
  g_autofree char *out_path = g_build_filename (dir, "out.txt", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SetlPipelineFile) file = setl_pipeline_file_new_from_file (path, &error);
  g_autoptr(SetlPipeline) pipeline = NULL;
  g_auto(GStrv) factories = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (setl_pipeline_file_get_source_name (file), ==, path);
  g_assert_cmpstr (setl_pipeline_file_get_name (file), ==, "p");
  factories = setl_pipeline_file_list_factories (file);
  g_assert_cmpuint (g_strv_length (factories), ==, 2);
  g_assert_cmpstr (setl_pipeline_file_get_factory_feature (file, "w"), ==, "pf-sink");
  g_assert_null (setl_pipeline_file_get_factory_feature (file, "x"));
  pipeline = setl_pipeline_file_build (file, pf_registry (), &error);
  g_assert_no_error (error);
  g_assert_true (setl_pipeline_run (pipeline, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (out_path, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "ééé\n");

  g_clear_object (&file);
  file = setl_pipeline_file_new_from_file (missing, &error);
  g_assert_null (file);
  g_assert_error (error, SETL_PIPELINE_FILE_ERROR, SETL_PIPELINE_FILE_ERROR_SYNTAX);
  g_assert_nonnull (strstr (error->message, "missing.setl.json"));
  pf_remove_tree (dir);
}

/* Building twice gives two independent pipelines, with the parameters'
 * values at the time. */
static void
test_build_twice (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SetlPipelineFile) file =
    setl_pipeline_file_new_from_data (full_pipeline, -1, "full.setl.json", NULL, &error);
  g_autoptr(SetlPipeline) one = setl_pipeline_file_build (file, pf_registry (), &error);
  g_autoptr(SetlPipeline) two = NULL;
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;

  g_assert_no_error (error);
  g_assert_true (setl_pipeline_file_set_parameter (file, "word", "q", &error));
  two = setl_pipeline_file_build (file, pf_registry (), &error);
  g_assert_no_error (error);
  a = run_and_get (one, "left");
  b = run_and_get (two, "left");
  g_assert_cmpstr (a, ==, "abab");
  g_assert_cmpstr (b, ==, "qq");
}

/* "feature" takes ${parameters}: one file picks its factory types (a
 * backend) by parameter, resolved again at each build. */
static void
test_feature_parameter (void)
{
  static const char *json =
    "{\"setl\": 1,\n"
    " \"parameters\": {\"kind\": {\"type\": \"string\", \"default\": \"pf\"}},\n"
    " \"factories\": [{\"name\": \"a\", \"feature\": \"${kind}-source\"},\n"
    "                {\"name\": \"b\", \"feature\": \"$${kind}-x\"}]}";
  static const char *single =
    "{\"setl\": 1,\n"
    " \"parameters\": {\"kind\": {\"type\": \"string\", \"default\": \"pf\"}},\n"
    " \"factories\": [{\"name\": \"a\", \"feature\": \"${kind}-source\"}]}";
  g_autoptr(GError) error = NULL;
  g_autoptr(SetlPipelineFile) file = NULL;
  g_autoptr(SetlPipeline) one = NULL;
  g_autoptr(SetlPipeline) two = NULL;
  g_autofree char *text = NULL;
  const GValue *v;

  /* "$${" stays a literal: no feature is named "${kind}-x". */
  file = setl_pipeline_file_new_from_data (json, -1, "test.setl.json", NULL, &error);
  g_assert_no_error (error);
  g_assert_null (setl_pipeline_file_build (file, pf_registry (), &error));
  g_assert_error (error, SETL_PIPELINE_FILE_ERROR, SETL_PIPELINE_FILE_ERROR_FEATURE);
  g_assert_nonnull (strstr (error->message, "no installed plugin provides the feature “${kind}-x”"));
  g_clear_error (&error);
  g_clear_object (&file);

  file = setl_pipeline_file_new_from_data (single, -1, "test.setl.json", NULL, &error);
  g_assert_no_error (error);
  one = setl_pipeline_file_build (file, pf_registry (), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (setl_pipeline_file_get_factory_feature (file, "a"), ==, "pf-source");
  text = run_and_get (one, "a");
  g_assert_cmpstr (text, ==, "x");

  /* The same file object, another value: another factory type. */
  g_assert_true (setl_pipeline_file_set_parameter (file, "kind", "pf-int", &error));
  two = setl_pipeline_file_build (file, pf_registry (), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (setl_pipeline_file_get_factory_feature (file, "a"), ==, "pf-int-source");
  g_assert_true (setl_pipeline_run (two, NULL, &error));
  g_assert_no_error (error);
  v = setl_pipeline_get_output_by_name (two, "a", &error);
  g_assert_no_error (error);
  g_assert_true (G_VALUE_HOLDS_INT64 (v));
}

/* The error codes have a GType, for bindings and GValues. */
static void
test_error_enum_type (void)
{
  g_autoptr(GEnumClass) codes = g_type_class_ref (SETL_TYPE_PIPELINE_FILE_ERROR);
  GEnumValue *wiring = g_enum_get_value (codes, SETL_PIPELINE_FILE_ERROR_WIRING);

  g_assert_nonnull (wiring);
  g_assert_cmpstr (wiring->value_nick, ==, "wiring");
  g_assert_cmpint (codes->n_values, ==, SETL_PIPELINE_FILE_ERROR_STAGE + 1);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (error_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/pipeline-file/error/%s", error_cases[i].name);

      g_test_add_data_func (path, &error_cases[i], test_error);
    }
  g_test_add_func ("/pipeline-file/error/enum-type", test_error_enum_type);
  g_test_add_func ("/pipeline-file/properties/converted", test_properties_converted);
  g_test_add_func ("/pipeline-file/parameters/overrides", test_parameters);
  g_test_add_func ("/pipeline-file/parameters/required", test_required_parameter);
  g_test_add_func ("/pipeline-file/wiring/delivery-ids", test_wiring_delivery_ids);
  g_test_add_func ("/pipeline-file/stages/derived", test_stages_derived);
  g_test_add_func ("/pipeline-file/stages/explicit", test_stages_explicit);
  g_test_add_func ("/pipeline-file/options", test_pipeline_options);
  g_test_add_func ("/pipeline-file/from-file", test_from_file);
  g_test_add_func ("/pipeline-file/build-twice", test_build_twice);
  g_test_add_func ("/pipeline-file/parameters/feature", test_feature_parameter);
  return g_test_run ();
}
