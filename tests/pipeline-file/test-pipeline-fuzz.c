/* test-pipeline-fuzz.c: thousands of mutated pipeline files (fixed seeds,
 * so a failure reproduces) fed to the loader and the builder. Each must
 * load and build, or fail with a GError whose message names the file —
 * never crash, hang or trip a sanitizer (the suite runs under ASan too). */
#include "pf-test-util.h"

#include <string.h>

#include <json-glib/json-glib.h>

static const char *seeds[] = {
  "{\"setl\": 1, \"name\": \"f\", \"parameters\": {\"w\": {\"type\": \"string\", \"default\": \"ab\"},"
  " \"n\": 2, \"d\": {\"type\": \"double\", \"default\": 1.5, \"description\": \"x\"}, \"b\": true},\n"
  " \"factories\": [\n"
  "  {\"name\": \"l\", \"feature\": \"pf-source\", \"properties\": {\"text\": \"${w}\", \"count\": \"${n}\","
  " \"scale\": 2.5, \"loud\": false, \"mode\": \"fancy\", \"tags\": [\"a\", \"${w}\"], \"prefix\": \"p\","
  " \"big\": 9223372036854775807}},\n"
  "  {\"name\": \"r\", \"feature\": \"pf-source\", \"stage\": 0},\n"
  "  {\"name\": \"c\", \"feature\": \"pf-concat\", \"inputs\": {\"left\": \"l\", \"right\": \"r\"},"
  " \"properties\": {\"separator\": \"$${\\u00e9\\ud83d\\ude00}\"}},\n"
  "  {\"name\": \"u\", \"feature\": \"pf-upper\", \"inputs\": \"c\", \"writable\": true},\n"
  "  {\"name\": \"s\", \"feature\": \"pf-sink\", \"inputs\": {\"in\": \"u\"}, \"properties\": {\"location\": null}}]}",

  "{\"setl\": 1, \"max-threads\": 2, \"continue-on-error\": false, \"factories\": {\n"
  "  \"a\": {\"feature\": \"pf-int-source\", \"properties\": {\"value\": -9223372036854775808}},\n"
  "  \"b\": {\"feature\": \"pf-source\", \"stage\": 3},\n"
  "  \"x\": {\"feature\": \"pf-fail\", \"inputs\": \"b\", \"description\": \"é\"}}}",
};

/* Fragments that stress the scanner and the type conversions. */
static const char *fragments[] = {
  "{", "}", "[", "]", ",", ":", "\"", "\\", "\\u", "\\ud800", "null", "true", "1e400", "-0",
  "0.", "-", "${", "${w}", "$${", "\"${nope}\"", "\"pf-source\"", "\"inputs\"", "\"stage\"",
  "{\"a\": 1}", "[1, [2, [3]]]", "\xff", "\xc3", "\t", "\n", "\r", "//", "/*", "\"\\n\"",
  "9223372036854775808", "-9223372036854775809", "\"\xe2\x80\x9c\"", "\"l\"", "\"u\"", "\"c\"",
};

static void
try_load (const char *data, gsize length)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SetlPipelineFile) file =
    setl_pipeline_file_new_from_data (data, length, "fuzz.setl.json", "/data", &error);
  g_autoptr(SetlPipeline) pipeline = NULL;

  if (file == NULL)
    {
      g_assert_nonnull (error);
      g_assert_true (error->domain == SETL_PIPELINE_FILE_ERROR);
      g_assert_true (g_str_has_prefix (error->message, "fuzz.setl.json"));
      return;
    }
  g_assert_no_error (error);
  pipeline = setl_pipeline_file_build (file, pf_registry (), &error);
  if (pipeline == NULL)
    {
      g_assert_nonnull (error);
      g_assert_true (g_str_has_prefix (error->message, "fuzz.setl.json"));
    }
}

static void
mutate (GRand *rand, GString *doc)
{
  guint op = g_rand_int_range (rand, 0, 7);
  guint pos = doc->len ? g_rand_int_range (rand, 0, doc->len) : 0;
  guint len = g_rand_int_range (rand, 1, 12);

  switch (op)
    {
    case 0:   /* flip a byte */
      if (doc->len)
        doc->str[pos] = (char) g_rand_int_range (rand, 1, 256);
      break;
    case 1:   /* delete a run */
      g_string_erase (doc, pos, MIN (len, doc->len - pos));
      break;
    case 2:   /* insert a fragment */
      g_string_insert (doc, pos, fragments[g_rand_int_range (rand, 0, G_N_ELEMENTS (fragments))]);
      break;
    case 3:   /* duplicate a run */
      {
        g_autofree char *run = g_strndup (doc->str + pos, MIN (len * 4, doc->len - pos));

        g_string_insert (doc, pos, run);
        break;
      }
    case 4:   /* truncate */
      g_string_truncate (doc, pos);
      break;
    case 5:   /* replace a run with a fragment */
      g_string_erase (doc, pos, MIN (len, doc->len - pos));
      g_string_insert (doc, pos, fragments[g_rand_int_range (rand, 0, G_N_ELEMENTS (fragments))]);
      break;
    default:  /* swap two bytes */
      if (doc->len > 1)
        {
          guint other = g_rand_int_range (rand, 0, doc->len);
          char c = doc->str[pos];

          doc->str[pos] = doc->str[other];
          doc->str[other] = c;
        }
      break;
    }
}

/* A random JSON value, often one that means something to the loader. */
static JsonNode *
random_value (GRand *rand, guint depth)
{
  static const char *strings[] = {
    "pf-source", "pf-upper", "pf-concat", "pf-sink", "pf-fail", "pf-backend", "pf-sorce", "l", "r",
    "c", "u", "s", "in", "left", "right", "${w}", "${n}", "${d}", "${b}", "${pipeline_dir}",
    "${nope}", "${", "$${", "fancy", "plain", "int", "string", "double", "bool", "", "é",
    "/nonexistent/dir/out.txt",
  };
  JsonNode *node;

  switch (g_rand_int_range (rand, 0, depth > 2 ? 5 : 7))
    {
    case 0:
      node = json_node_new (JSON_NODE_VALUE);
      json_node_set_string (node, strings[g_rand_int_range (rand, 0, G_N_ELEMENTS (strings))]);
      return node;
    case 1:
      node = json_node_new (JSON_NODE_VALUE);
      json_node_set_int (node, g_rand_int_range (rand, -3, 12) * (g_rand_boolean (rand) ? 1 : 100000));
      return node;
    case 2:
      node = json_node_new (JSON_NODE_VALUE);
      json_node_set_double (node, g_rand_double_range (rand, -10, 10));
      return node;
    case 3:
      node = json_node_new (JSON_NODE_VALUE);
      json_node_set_boolean (node, g_rand_boolean (rand));
      return node;
    case 4:
      return json_node_new (JSON_NODE_NULL);
    case 5:
      {
        JsonArray *a = json_array_new ();

        for (int i = g_rand_int_range (rand, 0, 3); i > 0; i--)
          json_array_add_element (a, random_value (rand, depth + 1));
        node = json_node_new (JSON_NODE_ARRAY);
        json_node_take_array (node, a);
        return node;
      }
    default:
      {
        JsonObject *o = json_object_new ();

        for (int i = g_rand_int_range (rand, 0, 3); i > 0; i--)
          json_object_set_member (o, strings[g_rand_int_range (rand, 0, G_N_ELEMENTS (strings))],
                                  random_value (rand, depth + 1));
        node = json_node_new (JSON_NODE_OBJECT);
        json_node_take_object (node, o);
        return node;
      }
    }
}

/* Replaces, removes or renames one member or element somewhere in @node. */
static void
mutate_tree (GRand *rand, JsonNode *node)
{
  for (;;)
    {
      if (JSON_NODE_HOLDS_OBJECT (node))
        {
          JsonObject *o = json_node_get_object (node);
          g_autoptr(GList) members = json_object_get_members (o);
          guint n = g_list_length (members);
          const char *name;

          if (n == 0)
            return;
          name = g_list_nth_data (members, g_rand_int_range (rand, 0, n));
          if (g_rand_int_range (rand, 0, 3) == 0)
            {
              switch (g_rand_int_range (rand, 0, 3))
                {
                case 0:
                  json_object_remove_member (o, name);
                  break;
                case 1:
                  {
                    g_autofree char *typo = g_strdup (name);
                    JsonNode *value = json_node_copy (json_object_get_member (o, name));

                    if (typo[0])
                      typo[g_rand_int_range (rand, 0, strlen (typo))] = 'q';
                    json_object_remove_member (o, name);
                    json_object_set_member (o, typo, value);
                    break;
                  }
                default:
                  json_object_set_member (o, name, random_value (rand, 0));
                }
              return;
            }
          node = json_object_get_member (o, name);
        }
      else if (JSON_NODE_HOLDS_ARRAY (node))
        {
          JsonArray *a = json_node_get_array (node);
          guint n = json_array_get_length (a);
          guint i;

          if (n == 0)
            return;
          i = g_rand_int_range (rand, 0, n);
          if (g_rand_int_range (rand, 0, 3) == 0)
            {
              json_array_remove_element (a, i);
              return;
            }
          node = json_array_get_element (a, i);
        }
      else
        {
          /* a scalar: replace its value in place */
          JsonNode *v = random_value (rand, 3);

          if (JSON_NODE_HOLDS_VALUE (v) && JSON_NODE_HOLDS_VALUE (node))
            {
              GValue gv = G_VALUE_INIT;

              json_node_get_value (v, &gv);
              json_node_set_value (node, &gv);
              g_value_unset (&gv);
            }
          json_node_unref (v);
          return;
        }
    }
}

static void
test_tree_mutations (void)
{
  guint iterations = g_test_slow () ? 20000 : 4000;
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);
  guint built = 0;

  for (guint i = 0; i < iterations; i++)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(JsonGenerator) generator = json_generator_new ();
      g_autofree char *text = NULL;
      JsonNode *root;

      g_assert_true (json_parser_load_from_data (parser, seeds[i % G_N_ELEMENTS (seeds)], -1, NULL));
      root = json_parser_get_root (parser);
      for (guint m = g_rand_int_range (rand, 1, 4); m > 0; m--)
        mutate_tree (rand, root);
      json_generator_set_root (generator, root);
      json_generator_set_pretty (generator, g_rand_boolean (rand));
      text = json_generator_to_data (generator, NULL);
      try_load (text, strlen (text));
      {
        g_autoptr(SetlPipelineFile) f =
          setl_pipeline_file_new_from_data (text, -1, "fuzz.setl.json", NULL, NULL);
        g_autoptr(SetlPipeline) p = f ? setl_pipeline_file_build (f, pf_registry (), NULL) : NULL;

        built += p != NULL;
      }
    }
  /* Some mutations leave a valid pipeline: the later checks are reached. */
  g_test_message ("%u of %u mutated trees built", built, iterations);
  g_assert_cmpuint (built, >, 0);
}

static void
test_seeds_valid (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (seeds); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(SetlPipeline) pipeline = pf_build (seeds[i], &error);

      g_assert_no_error (error);
      g_assert_nonnull (pipeline);
    }
}

static void
test_mutations (void)
{
  guint iterations = g_test_slow () ? 40000 : 6000;
  g_autoptr(GRand) rand = g_rand_new_with_seed (20241124);
  guint loaded = 0;

  for (guint i = 0; i < iterations; i++)
    {
      g_autoptr(GString) doc = g_string_new (seeds[i % G_N_ELEMENTS (seeds)]);
      guint n = g_rand_int_range (rand, 1, 5);

      for (guint m = 0; m < n; m++)
        mutate (rand, doc);
      try_load (doc->str, doc->len);
      {
        g_autoptr(SetlPipelineFile) f =
          setl_pipeline_file_new_from_data (doc->str, doc->len, "fuzz.setl.json", NULL, NULL);

        loaded += f != NULL;
      }
    }
  /* Some byte-level mutations still load: the structure checks are
   * reached too, not only the JSON syntax errors. */
  g_test_message ("%u of %u mutated files loaded", loaded, iterations);
  g_assert_cmpuint (loaded, >, 0);
}

static void
test_deep_nesting (void)
{
  g_autoptr(GString) doc = g_string_new ("{\"setl\": 1, \"description\": ");
  g_autoptr(GError) error = NULL;
  g_autoptr(SetlPipelineFile) file = NULL;

  for (guint i = 0; i < 100000; i++)
    g_string_append_c (doc, '[');
  file = setl_pipeline_file_new_from_data (doc->str, doc->len, "deep.setl.json", NULL, &error);
  g_assert_null (file);
  g_assert_cmpstr (error->message, ==, "deep.setl.json:1:155: values nest more than 128 levels deep");
}

static void
test_embedded_nul (void)
{
  static const char doc[] = "{\"setl\": 1,\0 \"factories\": []}";
  g_autoptr(GError) error = NULL;
  g_autoptr(SetlPipelineFile) file =
    setl_pipeline_file_new_from_data (doc, sizeof doc - 1, "nul.setl.json", NULL, &error);

  g_assert_null (file);
  g_assert_cmpstr (error->message, ==, "nul.setl.json:1:12: a NUL byte: a pipeline file is UTF-8 text");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/pipeline-file/fuzz/seeds-valid", test_seeds_valid);
  g_test_add_func ("/pipeline-file/fuzz/mutations", test_mutations);
  g_test_add_func ("/pipeline-file/fuzz/tree-mutations", test_tree_mutations);
  g_test_add_func ("/pipeline-file/fuzz/deep-nesting", test_deep_nesting);
  g_test_add_func ("/pipeline-file/fuzz/embedded-nul", test_embedded_nul);
  return g_test_run ();
}
