/* setl-pipeline-compose.c: pipeline composition — sub-pipelines, templates
 * with typed parameters, "extends" — done when a pipeline file is loaded.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * A pipeline file may
 *
 *  - use another file as a factory: an entry { "name": "clean",
 *    "pipeline": "dedupe@2", "arguments": {…}, "inputs": {…} } stands for
 *    the other file's factories, renamed "clean.FACTORY";
 *  - declare what it takes and gives when so used (top-level "inputs" and
 *    "outputs") and typed parameters (string, int, double, bool, enum,
 *    list);
 *  - "extends" a base file: add factories, change parameter defaults,
 *    replace a factory by name with one that fits.
 *
 * All of it is expanded here, before the loader (setl-pipeline-file.c) sees
 * the document: the result is a plain pipeline document — parameters and
 * factories — that the loader checks and builds exactly as one written by
 * hand, so the inspector, the dispatcher, job groups, reports and caching
 * see ordinary factories with namespaced names. What expansion loses — which
 * factory came from which sub-pipeline — is kept beside the file for
 * `setl graph`, and every factory keeps the position it has in the file it
 * was written in, so that errors name that file, line and column.
 *
 * docs/composition.md describes the format and why it is expanded rather
 * than run as a nested pipeline.
 */

#include "setl-pipeline-compose-private.h"
#include "setl-pipeline-file-conditions-private.h"

#include <string.h>

#define BUILTIN_PIPELINE_DIR "pipeline_dir"

/* Members of a pipeline file that only composition knows; removed from
 * the document the loader sees. */
static const char * const composition_members[] = { "extends", "inputs", "outputs", "version", NULL };

/* ----------------------------------------------------------------------- */
/* What is kept beside a loaded file                                        */

typedef struct
{
  JsonNode *root;           /* the composed document, lists not spread: what a parent expands */
  JsonNode *loader_root;    /* (nullable) what the loader read, when lists were spread */
  guint version;            /* 0: none declared */
  GPtrArray *params;        /* SetlTemplateParam: declared, in order */
  GHashTable *rich;         /* name → SetlTemplateParam (enum and list), incl. namespaced */
  GPtrArray *inputs;        /* SetlTemplatePort */
  GPtrArray *outputs;       /* SetlTemplatePort: name → factory (resolved) */
  gboolean declares_outputs;
  GHashTable *aliases;      /* name → factory name (sub-pipeline outputs) */
  GHashTable *internal;     /* factory name → instance (not exported) */
  GHashTable *groups;       /* factory name → sub-pipeline path ("a", "a.b") */
  GHashTable *group_labels; /* sub-pipeline path → label */
  GPtrArray *replacements;  /* Replacement */
} Info;

typedef struct
{
  SetlPipelineFile *base;
  char *name;
  char *path;               /* of the replacing entry, in the composed document */
} Replacement;

static void
template_param_free (gpointer data)
{
  SetlTemplateParam *p = data;

  g_free (p->name);
  g_free (p->type);
  g_strfreev (p->values);
  g_free (p->items);
  g_clear_pointer (&p->default_value, json_node_unref);
  g_free (p->description);
  g_free (p);
}

static SetlTemplateParam *
template_param_copy (const SetlTemplateParam *p,
                     const char              *name)
{
  SetlTemplateParam *c = g_new0 (SetlTemplateParam, 1);

  c->name = g_strdup (name ? name : p->name);
  c->type = g_strdup (p->type);
  c->values = g_strdupv (p->values);
  c->items = g_strdup (p->items);
  c->default_value = p->default_value ? json_node_copy (p->default_value) : NULL;
  c->description = g_strdup (p->description);
  return c;
}

static void
template_port_free (gpointer data)
{
  SetlTemplatePort *p = data;

  g_free (p->name);
  g_free (p->description);
  g_free (p);
}

static SetlTemplatePort *
template_port_new (const char *name,
                   const char *description)
{
  SetlTemplatePort *p = g_new0 (SetlTemplatePort, 1);

  p->name = g_strdup (name);
  p->description = g_strdup (description);
  return p;
}

static void
replacement_free (gpointer data)
{
  Replacement *r = data;

  g_object_unref (r->base);
  g_free (r->name);
  g_free (r->path);
  g_free (r);
}

static void
info_free (gpointer data)
{
  Info *info = data;

  g_clear_pointer (&info->root, json_node_unref);
  g_clear_pointer (&info->loader_root, json_node_unref);
  g_ptr_array_unref (info->params);
  g_hash_table_unref (info->rich);
  g_ptr_array_unref (info->inputs);
  g_ptr_array_unref (info->outputs);
  g_hash_table_unref (info->aliases);
  g_hash_table_unref (info->internal);
  g_hash_table_unref (info->groups);
  g_hash_table_unref (info->group_labels);
  g_ptr_array_unref (info->replacements);
  g_free (info);
}

static Info *
info_new (void)
{
  Info *info = g_new0 (Info, 1);

  info->params = g_ptr_array_new_with_free_func (template_param_free);
  info->rich = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, template_param_free);
  info->inputs = g_ptr_array_new_with_free_func (template_port_free);
  info->outputs = g_ptr_array_new_with_free_func (template_port_free);
  info->aliases = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  info->internal = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  info->groups = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  info->group_labels = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  info->replacements = g_ptr_array_new_with_free_func (replacement_free);
  return info;
}

static GQuark
info_quark (void)
{
  return g_quark_from_static_string ("setl-pipeline-composition");
}

static Info *
get_info (SetlPipelineFile *file)
{
  return g_object_get_qdata (G_OBJECT (file), info_quark ());
}

/* ----------------------------------------------------------------------- */
/* Files being loaded: for cycles and the nesting limit                      */

typedef struct
{
  GPtrArray *paths;         /* canonical */
  GPtrArray *names;         /* as shown in errors */
} Chain;

static GPrivate chain_key = G_PRIVATE_INIT (NULL);

static Chain *
get_chain (void)
{
  Chain *chain = g_private_get (&chain_key);

  if (chain == NULL)
    {
      /* freed when the outermost file is composed */
      chain = g_new0 (Chain, 1);
      chain->paths = g_ptr_array_new_with_free_func (g_free);
      chain->names = g_ptr_array_new_with_free_func (g_free);
      g_private_set (&chain_key, chain);
    }
  return chain;
}

static char *
canonical_source (SetlPipelineFile *file)
{
  const char *source = setl_pipeline_file_get_source_name (file);

  if (g_file_test (source, G_FILE_TEST_EXISTS))
    return g_canonicalize_filename (source, NULL);
  return g_strdup (source);
}

static char *
chain_describe (Chain      *chain,
                const char *last)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < chain->names->len; i++)
    g_string_append_printf (s, "%s → ", (const char *) g_ptr_array_index (chain->names, i));
  g_string_append (s, last);
  return g_string_free (s, FALSE);
}

/* ----------------------------------------------------------------------- */
/* Positions and errors                                                     */

/* A file's nodes and where they are: the file, and its position tables as
 * they were when its nodes were read. */
typedef struct
{
  SetlPipelineFile *file;
  GHashTable *keys;
  GHashTable *values;
} Src;

static SetlPipelinePos
src_pos (const Src  *src,
         const char *path,
         gboolean    key)
{
  SetlPipelinePos *pos = NULL;

  if (key)
    pos = g_hash_table_lookup (src->keys, path);
  if (pos == NULL)
    pos = g_hash_table_lookup (src->values, path);
  if (pos == NULL)
    return (SetlPipelinePos) { 1, 1, NULL };
  return *pos;
}

G_GNUC_PRINTF (6, 7) static gboolean
fail_at (GError    **error,
         int         code,
         const Src  *src,
         const char *path,
         gboolean    key,
         const char *format,
         ...)
{
  SetlPipelinePos pos = src_pos (src, path, key);
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, SETL_PIPELINE_FILE_ERROR, code, "%s:%u:%u: %s",
               pos.source ? pos.source : setl_pipeline_file_get_source_name (src->file),
               pos.line, pos.column, message);
  return FALSE;
}

static char *
path_join (const char *parent,
           const char *key)
{
  GString *s = g_string_new (parent);

  g_string_append_c (s, '/');
  for (const char *c = key; *c; c++)
    {
      if (*c == '~')
        g_string_append (s, "~0");
      else if (*c == '/')
        g_string_append (s, "~1");
      else
        g_string_append_c (s, *c);
    }
  return g_string_free (s, FALSE);
}

static void
pos_put (GHashTable            *table,
         const char            *path,
         const SetlPipelinePos *pos,
         const Src             *src,
         SetlPipelineFile      *self)
{
  SetlPipelinePos copy = *pos;

  /* A position in another file carries that file's name. */
  if (copy.source == NULL && src->file != self)
    copy.source = g_intern_string (setl_pipeline_file_get_source_name (src->file));
  g_hash_table_replace (table, g_strdup (path), g_memdup2 (&copy, sizeof copy));
}

/* Copies the positions of @node (at @src_path in @src) and of everything
 * in it to @dst_path. */
static void
pos_copy_tree (GHashTable       *keys,
               GHashTable       *values,
               SetlPipelineFile *self,
               const Src        *src,
               const char       *src_path,
               JsonNode         *node,
               const char       *dst_path)
{
  SetlPipelinePos *pos;

  if ((pos = g_hash_table_lookup (src->keys, src_path)) != NULL)
    pos_put (keys, dst_path, pos, src, self);
  if ((pos = g_hash_table_lookup (src->values, src_path)) != NULL)
    pos_put (values, dst_path, pos, src, self);
  if (node == NULL)
    return;
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      g_autoptr(GList) members = json_object_get_members (json_node_get_object (node));

      for (GList *l = members; l != NULL; l = l->next)
        {
          g_autofree char *s = path_join (src_path, l->data);
          g_autofree char *d = path_join (dst_path, l->data);

          pos_copy_tree (keys, values, self, src, s,
                         json_object_get_member (json_node_get_object (node), l->data), d);
        }
    }
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          g_autofree char *s = g_strdup_printf ("%s/%u", src_path, i);
          g_autofree char *d = g_strdup_printf ("%s/%u", dst_path, i);

          pos_copy_tree (keys, values, self, src, s, json_array_get_element (array, i), d);
        }
    }
}

/* ----------------------------------------------------------------------- */
/* JSON helpers                                                             */

static gboolean
is_string (JsonNode *node)
{
  return node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING;
}

static gboolean
is_int (JsonNode *node)
{
  return node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_INT64;
}

static gboolean
is_number (JsonNode *node)
{
  return node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
         (json_node_get_value_type (node) == G_TYPE_INT64 ||
          json_node_get_value_type (node) == G_TYPE_DOUBLE);
}

static gboolean
is_bool (JsonNode *node)
{
  return node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_BOOLEAN;
}

static const char *
json_type_name (JsonNode *node)
{
  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT: return "an object";
    case JSON_NODE_ARRAY: return "an array";
    case JSON_NODE_NULL: return "null";
    default:
      switch (json_node_get_value_type (node))
        {
        case G_TYPE_INT64: return "an integer";
        case G_TYPE_DOUBLE: return "a number";
        case G_TYPE_BOOLEAN: return "a boolean";
        case G_TYPE_STRING: return "a string";
        default: return "a value";
        }
    }
}

static JsonNode *
string_node (const char *text)
{
  return json_node_init_string (json_node_alloc (), text);
}

/* The value as the text `${name}` stands for: scalars as the loader
 * writes them, a list's items joined with ",". */
static char *
value_to_text (JsonNode *node)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);
      GString *s = g_string_new (NULL);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          g_autofree char *item = value_to_text (json_array_get_element (array, i));

          g_string_append_printf (s, "%s%s", i ? "," : "", item ? item : "");
        }
      return g_string_free (s, FALSE);
    }
  if (!JSON_NODE_HOLDS_VALUE (node))
    return NULL;
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_STRING: return g_strdup (json_node_get_string (node));
    case G_TYPE_INT64: return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
    case G_TYPE_DOUBLE: return g_strdup (g_ascii_dtostr (buf, sizeof buf, json_node_get_double (node)));
    case G_TYPE_BOOLEAN: return g_strdup (json_node_get_boolean (node) ? "true" : "false");
    default: return NULL;
    }
}

static gboolean
check_members (const Src          *src,
               JsonObject         *object,
               const char         *path,
               const char         *where,
               const char * const *known,
               GError            **error)
{
  g_autoptr(GList) members = json_object_get_members (object);

  for (GList *l = members; l != NULL; l = l->next)
    if (!g_strv_contains (known, l->data))
      {
        g_autofree char *member_path = path_join (path, l->data);
        g_autoptr(GPtrArray) candidates = g_ptr_array_new ();
        g_autoptr(GString) message = g_string_new (NULL);

        for (guint i = 0; known[i] != NULL; i++)
          g_ptr_array_add (candidates, (gpointer) known[i]);
        g_string_printf (message, "unknown member “%s” in %s", (const char *) l->data, where);
        _setl_pipeline_file_append_suggestion (message, l->data, candidates, "member");
        return fail_at (error, SETL_PIPELINE_FILE_ERROR_INVALID, src, member_path, TRUE,
                        "%s", message->str);
      }
  return TRUE;
}

static gboolean
valid_segment (const char *name,
               gsize       length)
{
  if (length == 0 || !(g_ascii_isalpha (name[0]) || name[0] == '_'))
    return FALSE;
  for (gsize i = 0; i < length; i++)
    if (!(g_ascii_isalnum (name[i]) || name[i] == '_'))
      return FALSE;
  return TRUE;
}

gboolean
_setl_pipeline_compose_valid_param_name (const char *name)
{
  const char *start = name;

  /* "clean.threshold", "outer.clean.threshold": segments joined by "." */
  for (const char *p = name;; p++)
    if (*p == '.' || *p == '\0')
      {
        if (!valid_segment (start, p - start))
          return FALSE;
        if (*p == '\0')
          return TRUE;
        start = p + 1;
      }
}

/* ----------------------------------------------------------------------- */
/* Parameters                                                               */

static const char * const param_types[] = { "string", "int", "double", "bool", "enum", "list", NULL };
static const char * const item_types[] = { "string", "int", "double", "bool", NULL };

static gboolean
is_rich (const SetlTemplateParam *p)
{
  return g_str_equal (p->type, "enum") || g_str_equal (p->type, "list");
}

static gboolean
scalar_fits (const char *type,
             JsonNode   *node)
{
  if (g_str_equal (type, "string"))
    return is_string (node);
  if (g_str_equal (type, "int"))
    return is_int (node);
  if (g_str_equal (type, "double"))
    return is_number (node);
  if (g_str_equal (type, "bool"))
    return is_bool (node);
  return FALSE;
}

/* Whether @node is a value of @p's type; if not, *problem says what is
 * expected. */
static gboolean
value_fits (const SetlTemplateParam *p,
            JsonNode                *node,
            char                   **problem)
{
  if (g_str_equal (p->type, "enum"))
    {
      if (is_string (node) && g_strv_contains ((const char * const *) p->values, json_node_get_string (node)))
        return TRUE;
      {
        g_autofree char *list = g_strjoinv ("”, “", p->values);
        g_autofree char *text = JSON_NODE_HOLDS_VALUE (node) ? value_to_text (node) : NULL;

        *problem = text ? g_strdup_printf ("“%s” is not one of “%s”", text, list)
                        : g_strdup_printf ("expected one of “%s”, not %s", list, json_type_name (node));
      }
      return FALSE;
    }
  if (g_str_equal (p->type, "list"))
    {
      if (JSON_NODE_HOLDS_ARRAY (node))
        {
          JsonArray *array = json_node_get_array (node);

          for (guint i = 0; i < json_array_get_length (array); i++)
            if (!scalar_fits (p->items, json_array_get_element (array, i)))
              {
                *problem = g_strdup_printf ("item %u must be %s %s, not %s", i,
                                            g_str_equal (p->items, "int") ? "an" : "a", p->items,
                                            json_type_name (json_array_get_element (array, i)));
                return FALSE;
              }
          return TRUE;
        }
      *problem = g_strdup_printf ("expected a list (an array of %s values), not %s", p->items,
                                  json_type_name (node));
      return FALSE;
    }
  if (scalar_fits (p->type, node))
    return TRUE;
  *problem = g_strdup_printf ("expected %s %s, not %s", g_str_equal (p->type, "int") ? "an" : "a",
                              p->type, json_type_name (node));
  return FALSE;
}

/* Reads a parameter's declaration. Plain types (string, int, double, bool)
 * are only read for what templates need; the loader checks them. Enum
 * and list are checked here, and given to the loader as strings. */
static gboolean
parse_param (const Src           *src,
             const char          *name,
             JsonNode            *node,
             const char          *path,
             SetlTemplateParam  **out,
             GError             **error)
{
  g_autoptr(GPtrArray) candidates = NULL;
  SetlTemplateParam *p = g_new0 (SetlTemplateParam, 1);
  JsonNode *def = NULL;

  p->name = g_strdup (name);
  *out = p;

  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      /* the short form of a list: its default */
      p->type = g_strdup ("list");
      p->items = g_strdup ("string");
      if (json_array_get_length (json_node_get_array (node)) > 0 &&
          is_number (json_array_get_element (json_node_get_array (node), 0)))
        {
          g_free (p->items);
          p->items = g_strdup (is_int (json_array_get_element (json_node_get_array (node), 0)) ? "int" : "double");
        }
      def = node;
    }
  else if (JSON_NODE_HOLDS_VALUE (node))
    {
      switch (json_node_get_value_type (node))
        {
        case G_TYPE_INT64: p->type = g_strdup ("int"); break;
        case G_TYPE_DOUBLE: p->type = g_strdup ("double"); break;
        case G_TYPE_BOOLEAN: p->type = g_strdup ("bool"); break;
        default: p->type = g_strdup ("string"); break;
        }
      def = node;
    }
  else if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *object = json_node_get_object (node);
      JsonNode *type = json_object_get_member (object, "type");
      JsonNode *desc = json_object_get_member (object, "description");
      g_autofree char *type_path = path_join (path, "type");

      if (!is_string (type))
        {
          /* the loader says what is wrong */
          p->type = g_strdup ("string");
          return TRUE;
        }
      if (!g_strv_contains (param_types, json_node_get_string (type)))
        {
          g_autoptr(GString) message = g_string_new (NULL);

          candidates = g_ptr_array_new ();
          for (guint i = 0; param_types[i]; i++)
            g_ptr_array_add (candidates, (gpointer) param_types[i]);
          g_string_printf (message, "parameter “%s”: unknown type “%s”", name, json_node_get_string (type));
          _setl_pipeline_file_append_suggestion (message, json_node_get_string (type), candidates, "type");
          return fail_at (error, SETL_PIPELINE_FILE_ERROR_PARAMETER, src, type_path, FALSE, "%s", message->str);
        }
      p->type = g_strdup (json_node_get_string (type));
      if (is_string (desc))
        p->description = g_strdup (json_node_get_string (desc));
      def = json_object_get_member (object, "default");

      if (g_str_equal (p->type, "enum"))
        {
          static const char * const members[] = { "type", "values", "default", "description", NULL };
          g_autofree char *where = g_strdup_printf ("parameter “%s”", name);
          g_autofree char *values_path = path_join (path, "values");
          JsonNode *values = json_object_get_member (object, "values");
          g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

          if (!check_members (src, object, path, where, members, error))
            return FALSE;
          if (values == NULL || !JSON_NODE_HOLDS_ARRAY (values) ||
              json_array_get_length (json_node_get_array (values)) == 0)
            return fail_at (error, SETL_PIPELINE_FILE_ERROR_PARAMETER, src, values ? values_path : path,
                            values == NULL, "parameter “%s” is an enum: its “values” must be a non-empty array of strings",
                            name);
          for (guint i = 0; i < json_array_get_length (json_node_get_array (values)); i++)
            {
              JsonNode *v = json_array_get_element (json_node_get_array (values), i);
              g_autofree char *v_path = g_strdup_printf ("%s/%u", values_path, i);

              if (!is_string (v) || json_node_get_string (v)[0] == '\0')
                return fail_at (error, SETL_PIPELINE_FILE_ERROR_PARAMETER, src, v_path, FALSE,
                                "parameter “%s”: value %u of the enum must be a non-empty string, not %s",
                                name, i, json_type_name (v));
              g_strv_builder_add (builder, json_node_get_string (v));
            }
          p->values = g_strv_builder_end (builder);
          for (guint i = 0; p->values[i]; i++)
            for (guint j = 0; j < i; j++)
              if (g_str_equal (p->values[i], p->values[j]))
                {
                  g_autofree char *v_path = g_strdup_printf ("%s/%u", values_path, i);

                  return fail_at (error, SETL_PIPELINE_FILE_ERROR_PARAMETER, src, v_path, FALSE,
                                  "parameter “%s”: the enum value “%s” is listed twice", name, p->values[i]);
                }
        }
      else if (g_str_equal (p->type, "list"))
        {
          static const char * const members[] = { "type", "items", "default", "description", NULL };
          g_autofree char *where = g_strdup_printf ("parameter “%s”", name);
          g_autofree char *items_path = path_join (path, "items");
          JsonNode *items = json_object_get_member (object, "items");

          if (!check_members (src, object, path, where, members, error))
            return FALSE;
          if (items != NULL && (!is_string (items) || !g_strv_contains (item_types, json_node_get_string (items))))
            return fail_at (error, SETL_PIPELINE_FILE_ERROR_PARAMETER, src, items_path, FALSE,
                            "parameter “%s”: a list's “items” is “string”, “int”, “double” or “bool”", name);
          p->items = g_strdup (items ? json_node_get_string (items) : "string");
        }
      if (is_rich (p) && desc != NULL && !is_string (desc))
        {
          g_autofree char *desc_path = path_join (path, "description");

          return fail_at (error, SETL_PIPELINE_FILE_ERROR_PARAMETER, src, desc_path, FALSE,
                          "a parameter's “description” must be a string, not %s", json_type_name (desc));
        }
    }
  else
    {
      /* the loader says what is wrong */
      p->type = g_strdup ("string");
      return TRUE;
    }

  if (def != NULL && JSON_NODE_HOLDS_NULL (def))
    def = NULL;
  if (def != NULL)
    {
      g_autofree char *problem = NULL;
      g_autofree char *def_path = def == node ? g_strdup (path) : path_join (path, "default");

      /* plain types: the loader checks the default, with its messages */
      if (is_rich (p) && !value_fits (p, def, &problem))
        return fail_at (error, SETL_PIPELINE_FILE_ERROR_PARAMETER, src, def_path, FALSE,
                        "the default of parameter “%s”: %s", name, problem);
      p->default_value = json_node_copy (def);
    }
  return TRUE;
}

/* The declaration the loader reads for @p with value @value (nullable). */
static JsonNode *
loader_decl (const SetlTemplateParam *p,
             JsonNode                *value)
{
  JsonObject *object = json_object_new ();
  JsonNode *node = json_node_init_object (json_node_alloc (), object);

  json_object_set_string_member (object, "type", is_rich (p) ? "string" : p->type);
  if (value != NULL)
    {
      if (is_rich (p))
        {
          g_autofree char *text = value_to_text (value);

          json_object_set_string_member (object, "default", text);
        }
      else
        json_object_set_member (object, "default", json_node_copy (value));
    }
  if (p->description != NULL)
    json_object_set_string_member (object, "description", p->description);
  json_object_unref (object);
  return node;
}

/* ----------------------------------------------------------------------- */
/* Composition of one file                                                  */

typedef struct
{
  char *name;
  JsonNode *decl;          /* what the loader reads */
  Src src;                 /* where it was written */
  char *src_path;
  JsonNode *src_node;
} OutParam;

typedef struct
{
  char *name;
  JsonObject *object;      /* what the loader reads */
  Src src;
  char *src_path;
  JsonNode *src_node;
  gboolean name_from_key;  /* written in the object form */
} OutFactory;

typedef struct
{
  JsonNode *node;          /* a string node to set */
  Src src;
  char *path;
} PendingRef;

typedef struct
{
  SetlPipelineFile *self;
  Info *info;
  Src own;                  /* the file, with its tables as scanned */
  GPtrArray *children;      /* SetlPipelineFile: keeps sources alive */
  GPtrArray *params;        /* OutParam */
  GPtrArray *factories;     /* OutFactory */
  GPtrArray *pending;       /* PendingRef: names in this file's scope */
  SetlPipelineFile *base;   /* (nullable) what it extends */
} Ctx;

static void
out_param_free (gpointer data)
{
  OutParam *p = data;

  g_free (p->name);
  json_node_unref (p->decl);
  g_free (p->src_path);
  g_free (p);
}

static void
out_factory_free (gpointer data)
{
  OutFactory *f = data;

  g_free (f->name);
  json_object_unref (f->object);
  g_free (f->src_path);
  g_free (f);
}

static void
pending_ref_free (gpointer data)
{
  PendingRef *r = data;

  json_node_unref (r->node);
  g_free (r->path);
  g_free (r);
}

static OutParam *
find_out_param (Ctx        *ctx,
                const char *name)
{
  for (guint i = 0; i < ctx->params->len; i++)
    {
      OutParam *p = g_ptr_array_index (ctx->params, i);

      if (g_str_equal (p->name, name))
        return p;
    }
  return NULL;
}

static OutFactory *
find_out_factory (Ctx        *ctx,
                  const char *name)
{
  for (guint i = 0; i < ctx->factories->len; i++)
    {
      OutFactory *f = g_ptr_array_index (ctx->factories, i);

      if (g_str_equal (f->name, name))
        return f;
    }
  return NULL;
}

static SetlTemplateParam *
find_declared (Info       *info,
               const char *name)
{
  for (guint i = 0; i < info->params->len; i++)
    {
      SetlTemplateParam *p = g_ptr_array_index (info->params, i);

      if (g_str_equal (p->name, name))
        return p;
    }
  return NULL;
}

static void
set_param (Ctx        *ctx,
           const char *name,
           JsonNode   *decl,       /* (transfer full) */
           const Src  *src,
           const char *src_path,
           JsonNode   *src_node)
{
  OutParam *p = find_out_param (ctx, name);

  if (p == NULL)
    {
      p = g_new0 (OutParam, 1);
      p->name = g_strdup (name);
      g_ptr_array_add (ctx->params, p);
    }
  else
    {
      json_node_unref (p->decl);
      g_free (p->src_path);
    }
  p->decl = decl;
  p->src = *src;
  p->src_path = g_strdup (src_path);
  p->src_node = src_node;
}

static void
add_factory (Ctx              *ctx,
             const char       *name,
             JsonObject       *object,   /* (transfer full) */
             const Src        *src,
             const char       *src_path,
             JsonNode         *src_node,
             gboolean          name_from_key,
             gint              at)       /* -1: at the end */
{
  OutFactory *f = g_new0 (OutFactory, 1);

  f->name = g_strdup (name);
  f->object = object;
  f->src = *src;
  f->src_path = g_strdup (src_path);
  f->src_node = src_node;
  f->name_from_key = name_from_key;
  if (at < 0)
    g_ptr_array_add (ctx->factories, f);
  else
    {
      out_factory_free (g_ptr_array_index (ctx->factories, at));
      ctx->factories->pdata[at] = f;
    }
}

/* Resolves a pipeline reference: a path (with a "/" or ending in
 * ".json"), relative to the file, or a library template "name[@version]". */
static char *
resolve_reference (SetlPipelineFile *self,
                   const char       *reference,
                   GError          **error)
{
  if (strchr (reference, '/') != NULL || g_str_has_suffix (reference, ".json"))
    {
      if (g_path_is_absolute (reference))
        return g_strdup (reference);
      return g_build_filename (setl_pipeline_file_get_parameter (self, BUILTIN_PIPELINE_DIR),
                               reference, NULL);
    }
  return _setl_pipeline_library_resolve (reference, error);
}

/* Loads the file @reference names (written at @path of this file), after
 * checking that it is not already being loaded and that files do not nest
 * too deeply. */
static SetlPipelineFile *
load_child (Ctx        *ctx,
            const char *reference,
            const char *path,
            const char *what,
            GError    **error)
{
  g_autoptr(GError) local = NULL;
  g_autofree char *file = resolve_reference (ctx->self, reference, &local);
  g_autofree char *canonical = NULL;
  g_autofree char *shown = NULL;
  Chain *chain = get_chain ();
  SetlPipelineFile *child;

  if (file == NULL)
    {
      fail_at (error, SETL_PIPELINE_FILE_ERROR_INVALID, &ctx->own, path, FALSE, "%s: %s", what,
               local->message);
      return NULL;
    }
  canonical = g_canonicalize_filename (file, NULL);
  shown = g_path_get_basename (file);
  for (guint i = 0; i < chain->paths->len; i++)
    if (g_str_equal (g_ptr_array_index (chain->paths, i), canonical))
      {
        g_autofree char *cycle = chain_describe (chain, shown);

        fail_at (error, SETL_PIPELINE_FILE_ERROR_INVALID, &ctx->own, path, FALSE,
                 "%s “%s” makes a cycle of files: %s", what, reference, cycle);
        return NULL;
      }
  if (chain->paths->len >= SETL_PIPELINE_MAX_NESTING)
    {
      g_autofree char *nesting = chain_describe (chain, shown);

      fail_at (error, SETL_PIPELINE_FILE_ERROR_INVALID, &ctx->own, path, FALSE,
               "%s “%s”: files nest more than %d deep: %s", what, reference,
               SETL_PIPELINE_MAX_NESTING, nesting);
      return NULL;
    }
  if (!g_file_test (file, G_FILE_TEST_IS_REGULAR))
    {
      fail_at (error, SETL_PIPELINE_FILE_ERROR_INVALID, &ctx->own, path, FALSE,
               "%s “%s”: no file %s", what, reference, file);
      return NULL;
    }

  child = setl_pipeline_file_new_from_file (file, &local);
  if (child == NULL)
    {
      SetlPipelinePos pos = src_pos (&ctx->own, path, FALSE);

      /* the child's own error names its file and line; say how we got there */
      g_set_error (error, SETL_PIPELINE_FILE_ERROR, local->code, "%s:%u:%u: %s “%s”: %s",
                   pos.source ? pos.source : setl_pipeline_file_get_source_name (ctx->self),
                   pos.line, pos.column, what, reference, local->message);
      return NULL;
    }
  g_ptr_array_add (ctx->children, child);
  return child;
}

static void
iterate_factories (JsonNode   *root,
                   void      (*func) (const char *key, JsonNode *node, const char *path, gpointer data),
                   gpointer    data)
{
  JsonNode *factories;

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return;
  factories = json_object_get_member (json_node_get_object (root), "factories");
  if (factories == NULL)
    return;
  if (JSON_NODE_HOLDS_ARRAY (factories))
    {
      JsonArray *array = json_node_get_array (factories);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          g_autofree char *path = g_strdup_printf ("/factories/%u", i);

          func (NULL, json_array_get_element (array, i), path, data);
        }
    }
  else if (JSON_NODE_HOLDS_OBJECT (factories))
    {
      g_autoptr(GList) names = json_object_get_members (json_node_get_object (factories));

      for (GList *l = names; l != NULL; l = l->next)
        {
          g_autofree char *path = path_join ("/factories", l->data);

          func (l->data, json_object_get_member (json_node_get_object (factories), l->data), path, data);
        }
    }
}

/* The name of a factory entry, or NULL when it has none the loader would
 * accept (the loader then says why). */
static const char *
entry_name (const char *key,
            JsonNode   *node)
{
  JsonNode *name;

  if (key != NULL)
    return key;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  name = json_object_get_member (json_node_get_object (node), "name");
  return is_string (name) ? json_node_get_string (name) : NULL;
}

/* ----------------------------------------------------------------------- */
/* Rewriting what a sub-pipeline's factories say into the parent's scope    */

typedef enum {
  BIND_PARAM,         /* ${NS.P}: a new parameter of the parent */
  BIND_INHERIT,       /* ${P}: the parent's own parameter */
  BIND_INLINE,        /* an argument's text, in the parent's scope */
} BindKind;

typedef struct
{
  BindKind kind;
  char *text;         /* what ${P} becomes */
  JsonNode *list;     /* (nullable) a list's items, for "${P}" as an array item */
} Binding;

static void
binding_free (gpointer data)
{
  Binding *b = data;

  g_free (b->text);
  g_clear_pointer (&b->list, json_node_unref);
  g_free (b);
}

typedef struct
{
  Ctx *ctx;
  const char *ns;               /* NULL: the file's own factories */
  SetlPipelineFile *child;
  Info *child_info;
  Src src;                      /* the child's nodes */
  GHashTable *bindings;         /* child parameter → Binding */
  GHashTable *child_params;     /* every parameter name of the child */
  GHashTable *input_map;        /* child template input → parent name */
  GHashTable *child_factories;  /* names of the child's factories */
  gboolean spread;              /* the file's own lists ("${P}" array items) */
  const char *when;             /* (nullable) the instance entry's "when", in
                                 * the parent's scope: on every factory inside */
  const char *when_label;       /* (nullable) its label, when it is a branch arm */
} Rewriter;

static char *
escape_text (const char *text)
{
  GString *s = g_string_new (NULL);

  for (const char *p = text; *p; p++)
    {
      if (p[0] == '$' && p[1] == '{')
        g_string_append_c (s, '$');
      g_string_append_c (s, *p);
    }
  return g_string_free (s, FALSE);
}

/* What "${NAME}" written in the child becomes in the parent. */
static char *
rewrite_reference (Rewriter   *rw,
                   const char *name,
                   const char *path,
                   GError    **error)
{
  Binding *b;

  if (g_str_equal (name, BUILTIN_PIPELINE_DIR))
    /* the child's own directory: its data is named relative to it */
    return escape_text (setl_pipeline_file_get_parameter (rw->child, BUILTIN_PIPELINE_DIR));
  if (name[0] == '^')
    /* a parameter of the parent, by name */
    return g_strdup_printf ("${%s}", name + 1);
  if ((b = g_hash_table_lookup (rw->bindings, name)) != NULL)
    return g_strdup (b->text);
  if (g_hash_table_contains (rw->child_params, name))
    return g_strdup_printf ("${%s.%s}", rw->ns, name);
  {
    g_autoptr(GPtrArray) names = g_ptr_array_new ();
    g_autoptr(GString) message = g_string_new (NULL);
    GHashTableIter iter;
    gpointer key;

    g_hash_table_iter_init (&iter, rw->child_params);
    while (g_hash_table_iter_next (&iter, &key, NULL))
      g_ptr_array_add (names, key);

    g_ptr_array_add (names, BUILTIN_PIPELINE_DIR);
    g_string_printf (message, "unknown parameter “%s” (the enclosing pipeline's is written “${^%s}”)",
                     name, name);
    _setl_pipeline_file_append_suggestion (message, name, names, "parameter");
    fail_at (error, SETL_PIPELINE_FILE_ERROR_PARAMETER, &rw->src, path, FALSE, "%s", message->str);
    return NULL;
  }
}

static char *
rewrite_text (Rewriter   *rw,
              const char *text,
              const char *path,
              GError    **error)
{
  GString *out = g_string_new (NULL);
  const char *p = text;

  while (*p)
    {
      if (p[0] == '$' && p[1] == '$' && p[2] == '{')
        {
          g_string_append (out, "$${");
          p += 3;
          continue;
        }
      if (p[0] == '$' && p[1] == '{' && strchr (p + 2, '}') != NULL)
        {
          const char *close = strchr (p + 2, '}');
          g_autofree char *name = g_strndup (p + 2, close - (p + 2));
          g_autofree char *replacement = rewrite_reference (rw, name, path, error);

          if (replacement == NULL)
            {
              g_string_free (out, TRUE);
              return NULL;
            }
          g_string_append (out, replacement);
          p = close + 1;
          continue;
        }
      /* an unclosed "${" is left for the loader to report */
      g_string_append_c (out, *p++);
    }
  return g_string_free (out, FALSE);
}

/* The items "${P}" stands for as a whole array item, if P is a list. */
static JsonNode *
list_items (Rewriter   *rw,
            const char *text)
{
  g_autofree char *name = NULL;
  gsize len = strlen (text);

  if (len < 4 || !g_str_has_prefix (text, "${") || text[len - 1] != '}')
    return NULL;
  name = g_strndup (text + 2, len - 3);
  if (rw->ns != NULL)
    {
      Binding *b = g_hash_table_lookup (rw->bindings, name);

      return b != NULL ? b->list : NULL;
    }
  else if (rw->spread)
    {
      SetlTemplateParam *p = find_declared (rw->ctx->info, name);

      return p != NULL && g_str_equal (p->type, "list") ? p->default_value : NULL;
    }
  return NULL;
}

/* A copy of @node (properties) with "${…}" rewritten into the parent's
 * scope (sub-pipelines) and list parameters spread in arrays. */
static JsonNode *
rewrite_node (Rewriter   *rw,
              JsonNode   *node,
              const char *path,
              GError    **error)
{
  if (is_string (node))
    {
      g_autofree char *text = rw->ns ? rewrite_text (rw, json_node_get_string (node), path, error)
                                     : g_strdup (json_node_get_string (node));

      return text ? string_node (text) : NULL;
    }
  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *in = json_node_get_array (node);
      JsonArray *out = json_array_new ();
      JsonNode *result = json_node_init_array (json_node_alloc (), out);

      json_array_unref (out);
      for (guint i = 0; i < json_array_get_length (in); i++)
        {
          JsonNode *element = json_array_get_element (in, i);
          g_autofree char *element_path = g_strdup_printf ("%s/%u", path, i);
          JsonNode *items = is_string (element) ? list_items (rw, json_node_get_string (element)) : NULL;
          JsonNode *copy;

          if (items != NULL)
            {
              JsonArray *a = json_node_get_array (items);

              for (guint j = 0; j < json_array_get_length (a); j++)
                {
                  g_autofree char *text = value_to_text (json_array_get_element (a, j));
                  g_autofree char *escaped = escape_text (text);

                  json_array_add_element (out, string_node (escaped));
                }
              continue;
            }
          copy = rewrite_node (rw, element, element_path, error);
          if (copy == NULL)
            {
              json_node_unref (result);
              return NULL;
            }
          json_array_add_element (out, copy);
        }
      return result;
    }
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *in = json_node_get_object (node);
      JsonObject *out = json_object_new ();
      JsonNode *result = json_node_init_object (json_node_alloc (), out);
      g_autoptr(GList) members = json_object_get_members (in);

      json_object_unref (out);
      for (GList *l = members; l != NULL; l = l->next)
        {
          g_autofree char *member_path = path_join (path, l->data);
          JsonNode *copy = rewrite_node (rw, json_object_get_member (in, l->data), member_path, error);

          if (copy == NULL)
            {
              json_node_unref (result);
              return NULL;
            }
          json_object_set_member (out, l->data, copy);
        }
      return result;
    }
  return json_node_copy (node);
}

static gboolean
is_ident_start (char c)
{
  return g_ascii_isalpha (c) || c == '_';
}

static gboolean
is_ident_char (char c)
{
  return g_ascii_isalnum (c) || c == '_';
}

/* The longest prefix of the dotted @name (whole segments) that is one of
 * @names, or 0. */
static gsize
longest_prefix (const char *name,
                GHashTable *names)
{
  gsize best = 0;

  for (const char *p = name;; p++)
    if (*p == '.' || *p == '\0')
      {
        g_autofree char *prefix = g_strndup (name, p - name);

        if (g_hash_table_contains (names, prefix))
          best = p - name;
        if (*p == '\0')
          return best;
      }
}

/* What "$NAME" in a condition (docs/conditions.md) written in the child
 * becomes in the parent: a parameter as bound (an inherited one is the
 * parent's), a fact about a child's factory under its namespaced name, a
 * fact about an input as what the instance maps it to. */
static gboolean
rewrite_condition_reference (Rewriter   *rw,
                             const char *name,
                             GString    *out,
                             const char *path,
                             GError    **error)
{
  Binding *b = g_hash_table_lookup (rw->bindings, name);
  gsize prefix;

  if (b != NULL && b->kind == BIND_INLINE)
    {
      gsize len = strlen (b->text);

      /* "${x}": the parent's parameter x; any other text has no value
       * a condition can read */
      if (len > 3 && g_str_has_prefix (b->text, "${") && b->text[len - 1] == '}' &&
          strchr (b->text + 2, '$') == NULL && strchr (b->text + 2, '}') == b->text + len - 1)
        {
          g_string_append_printf (out, "$%.*s", (int) (len - 3), b->text + 2);
          return TRUE;
        }
      return fail_at (error, SETL_PIPELINE_FILE_ERROR_PARAMETER, &rw->src, path, FALSE,
                      "sub-pipeline “%s”: the condition reads parameter “%s”, given as “%s”: "
                      "a condition reads a value or a parameter (\"%s\": \"${NAME}\")",
                      rw->ns, name, b->text, name);
    }
  if (b != NULL)
    {
      /* b->text is "${NS.P}" or "${P}" */
      g_string_append_printf (out, "$%.*s", (int) strlen (b->text) - 3, b->text + 2);
      return TRUE;
    }
  if (g_str_equal (name, BUILTIN_PIPELINE_DIR))
    {
      /* the child's own directory, as a string literal */
      g_string_append_c (out, '\'');
      for (const char *c = setl_pipeline_file_get_parameter (rw->child, BUILTIN_PIPELINE_DIR); *c; c++)
        {
          if (*c == '\'')
            g_string_append_c (out, '\'');
          g_string_append_c (out, *c);
        }
      g_string_append_c (out, '\'');
      return TRUE;
    }
  if (g_hash_table_contains (rw->child_params, name))
    {
      g_string_append_printf (out, "$%s.%s", rw->ns, name);
      return TRUE;
    }
  if ((prefix = longest_prefix (name, rw->child_factories)) > 0)
    {
      g_string_append_printf (out, "$%s.%s", rw->ns, name);
      return TRUE;
    }
  if (rw->input_map != NULL && (prefix = longest_prefix (name, rw->input_map)) > 0)
    {
      g_autofree char *input = g_strndup (name, prefix);

      /* a fact about what the instance maps the input to */
      g_string_append_printf (out, "$%s%s", (const char *) g_hash_table_lookup (rw->input_map, input),
                              name + prefix);
      return TRUE;
    }
  /* unknown here: the conditions' loader says what is wrong */
  g_string_append_printf (out, "$%s", name);
  return TRUE;
}

/* A condition's expression with its "$…" references rewritten into the
 * parent's scope; string literals ('…') and quoted names ("…") are left
 * alone. */
static JsonNode *
rewrite_condition (Rewriter   *rw,
                   JsonNode   *node,
                   const char *path,
                   GError    **error)
{
  const char *p;
  g_autoptr(GString) out = g_string_new (NULL);

  if (!is_string (node))
    return json_node_copy (node);     /* the conditions' loader says what is wrong */
  p = json_node_get_string (node);
  while (*p)
    {
      if (*p == '\'' || *p == '"')
        {
          char quote = *p;

          /* a doubled quote is one quote inside */
          g_string_append_c (out, *p++);
          while (*p && !(p[0] == quote && p[1] != quote))
            {
              if (p[0] == quote)
                g_string_append_c (out, *p++);
              g_string_append_c (out, *p++);
            }
          if (*p)
            g_string_append_c (out, *p++);
          continue;
        }
      if (p[0] == '$' && is_ident_start (p[1]))
        {
          const char *end = p + 1;
          g_autofree char *name = NULL;

          while (is_ident_char (*end) || (*end == '.' && is_ident_start (end[1])))
            end++;
          name = g_strndup (p + 1, end - (p + 1));
          p = end;
          if (!rewrite_condition_reference (rw, name, out, path, error))
            return NULL;
          continue;
        }
      g_string_append_c (out, *p++);
    }
  return string_node (out->str);
}

/* One input reference: a name in the child's scope becomes NS.name; a
 * template input becomes what the instance maps it to and "^name" the
 * parent's "name" — both names in the parent's scope, resolved later. */
static JsonNode *
rewrite_input (Rewriter   *rw,
               JsonNode   *value,
               const char *path)
{
  const char *name;
  const char *parent_name = NULL;
  g_autofree char *renamed = NULL;
  JsonNode *node;

  if (!is_string (value))
    return json_node_copy (value);     /* the loader says what is wrong */
  name = json_node_get_string (value);
  if (rw->ns == NULL)
    parent_name = name;
  else if (name[0] == '^')
    parent_name = name + 1;
  else if (rw->input_map != NULL && g_hash_table_contains (rw->input_map, name))
    parent_name = g_hash_table_lookup (rw->input_map, name);
  else
    renamed = g_strdup_printf ("%s.%s", rw->ns, name);

  node = string_node (renamed ? renamed : parent_name);
  if (parent_name != NULL)
    {
      PendingRef *ref = g_new0 (PendingRef, 1);

      ref->node = json_node_ref (node);
      ref->src = rw->src;
      ref->path = g_strdup (path);
      g_ptr_array_add (rw->ctx->pending, ref);
    }
  return node;
}

/* A sub-pipeline entry's "when" (or its condition as a branch arm, which
 * the conditions' first pass wrote as its "when") holds for every factory
 * inside it: ANDed with @entry's own, already rewritten. The label, kept
 * only when an arm's is involved, starts with an arm's, so that a further
 * instance prefixes the right set name. */
static void
and_outer_when (Rewriter   *rw,
                JsonObject *entry)
{
  JsonNode *own = json_object_get_member (entry, "when");
  JsonNode *own_label = json_object_get_member (entry, SETL_PIPELINE_ARM_LABEL_MEMBER);
  const char *own_text = own != NULL && is_string (own) ? json_node_get_string (own) : NULL;
  const char *own_arm = own_label != NULL && is_string (own_label) ? json_node_get_string (own_label) : NULL;
  g_autofree char *text = NULL;
  g_autofree char *label = NULL;

  if (own_text == NULL)
    {
      text = g_strdup (rw->when);
      label = g_strdup (rw->when_label);
    }
  else
    {
      text = g_strdup_printf ("(%s) and coalesce((%s), false)", rw->when, own_text);
      if (rw->when_label != NULL)
        label = g_strdup_printf ("%s, and %s", rw->when_label, own_arm ? own_arm : own_text);
      else if (own_arm != NULL)
        label = g_strdup_printf ("%s, when %s", own_arm, rw->when);
    }
  json_object_set_string_member (entry, "when", text);
  if (label != NULL)
    json_object_set_string_member (entry, SETL_PIPELINE_ARM_LABEL_MEMBER, label);
  else
    json_object_remove_member (entry, SETL_PIPELINE_ARM_LABEL_MEMBER);
}

/* Copies a factory entry into the parent: renamed, its inputs and
 * properties rewritten. */
static gboolean
emit_entry (Rewriter   *rw,
            const char *key,
            JsonNode   *node,
            const char *path,
            gint        at,
            GError    **error)
{
  JsonObject *in = json_node_get_object (node);
  JsonObject *out = json_object_new ();
  const char *name = entry_name (key, node);
  g_autofree char *new_name = rw->ns ? g_strdup_printf ("%s.%s", rw->ns, name) : g_strdup (name);
  g_autoptr(GList) members = json_object_get_members (in);

  json_object_set_string_member (out, "name", new_name);
  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *member = l->data;
      JsonNode *value = json_object_get_member (in, member);
      g_autofree char *member_path = path_join (path, member);
      JsonNode *copy = NULL;

      if (g_str_equal (member, "name"))
        continue;
      /* A sub-pipeline's stage numbers order its own factories, not the
       * parent's: there, its factories run after their producers. */
      if (g_str_equal (member, "stage") && rw->ns != NULL)
        continue;
      if (g_str_equal (member, "inputs") && JSON_NODE_HOLDS_OBJECT (value))
        {
          g_autoptr(GList) slots = json_object_get_members (json_node_get_object (value));
          JsonObject *inputs = json_object_new ();

          copy = json_node_init_object (json_node_alloc (), inputs);
          json_object_unref (inputs);
          for (GList *s = slots; s != NULL; s = s->next)
            {
              g_autofree char *slot_path = path_join (member_path, s->data);

              json_object_set_member (inputs, s->data,
                                      rewrite_input (rw, json_object_get_member (json_node_get_object (value), s->data),
                                                     slot_path));
            }
        }
      else if (g_str_equal (member, "inputs"))
        copy = rewrite_input (rw, value, member_path);
      else if (g_str_equal (member, "properties"))
        {
          copy = rewrite_node (rw, value, member_path, error);
          if (copy == NULL)
            {
              json_object_unref (out);
              return FALSE;
            }
        }
      else if (g_str_equal (member, "when") && rw->ns != NULL)
        {
          /* a condition (setl-pipeline-file-conditions.c) */
          copy = rewrite_condition (rw, value, member_path, error);
          if (copy == NULL)
            {
              json_object_unref (out);
              return FALSE;
            }
        }
      else if (g_str_equal (member, SETL_PIPELINE_ARM_LABEL_MEMBER) && rw->ns != NULL && is_string (value))
        {
          /* a branch arm's label ("SET: if TEST"), beside its "when" (the
           * conditions' first pass expanded the template's branch sets
           * into arms and a one-of, whose inputs are rewritten as any
           * factory's): the set's name and the test, in the parent's */
          g_autoptr(JsonNode) rewritten = rewrite_condition (rw, value, member_path, error);
          g_autofree char *label = NULL;

          if (rewritten == NULL)
            {
              json_object_unref (out);
              return FALSE;
            }
          label = g_strdup_printf ("%s.%s", rw->ns, json_node_get_string (rewritten));
          copy = string_node (label);
        }
      else
        /* HOOK (conditions, cache): other members that name factories or
         * parameters must be rewritten into the parent's scope here when
         * the factory comes from a sub-pipeline (rw->ns != NULL), as
         * "when" is: factory names get "NS." in front, parameters follow
         * rw->bindings. */
        copy = json_node_copy (value);
      json_object_set_member (out, member, copy);
    }
  if (rw->ns != NULL && rw->when != NULL)
    and_outer_when (rw, out);
  add_factory (rw->ctx, new_name, out, &rw->src, path, node, key != NULL, at);
  return TRUE;
}

/* ----------------------------------------------------------------------- */
/* Sub-pipelines                                                            */

static char *
template_label (SetlPipelineFile *child,
                const char       *reference)
{
  Info *info = get_info (child);

  if (info != NULL && info->version > 0)
    return g_strdup_printf ("%s@%u", setl_pipeline_file_get_name (child), info->version);
  return g_strdup (strchr (reference, '/') ? setl_pipeline_file_get_name (child) : reference);
}

typedef struct
{
  Rewriter *rw;
  GError **error;
  gboolean failed;
} EmitData;

static void
collect_child_factory (const char *key,
                       JsonNode   *node,
                       const char *path,
                       gpointer    data)
{
  GHashTable *names = data;
  const char *name = entry_name (key, node);

  if (name != NULL)
    g_hash_table_add (names, g_strdup (name));
}

static void
emit_child_factory (const char *key,
                    JsonNode   *node,
                    const char *path,
                    gpointer    data)
{
  EmitData *d = data;

  if (d->failed)
    return;
  if (!JSON_NODE_HOLDS_OBJECT (node) || entry_name (key, node) == NULL)
    return;     /* the child's own loader accepted it: cannot happen */
  if (!emit_entry (d->rw, key, node, path, -1, d->error))
    d->failed = TRUE;
}

/* Binds the child's declared parameters: the instance's arguments, then
 * the parent's parameters of the same name, then the child's defaults. */
static gboolean
bind_parameters (Rewriter   *rw,
                 JsonObject *arguments,    /* (nullable) */
                 const char *entry_path,
                 const char *label,
                 GError    **error)
{
  Ctx *ctx = rw->ctx;
  g_autofree char *args_path = path_join (entry_path, "arguments");

  if (arguments != NULL)
    {
      g_autoptr(GList) names = json_object_get_members (arguments);

      for (GList *l = names; l != NULL; l = l->next)
        if (find_declared (rw->child_info, l->data) == NULL)
          {
            g_autofree char *arg_path = path_join (args_path, l->data);
            g_autoptr(GPtrArray) candidates = g_ptr_array_new ();
            g_autoptr(GString) message = g_string_new (NULL);

            for (guint i = 0; i < rw->child_info->params->len; i++)
              g_ptr_array_add (candidates, ((SetlTemplateParam *) g_ptr_array_index (rw->child_info->params, i))->name);
            g_string_printf (message, "sub-pipeline “%s”: template “%s” has no parameter “%s”",
                             rw->ns, label, (const char *) l->data);
            _setl_pipeline_file_append_suggestion (message, l->data, candidates, "parameter");
            return fail_at (error, SETL_PIPELINE_FILE_ERROR_PARAMETER, &ctx->own, arg_path, TRUE,
                            "%s", message->str);
          }
    }

  for (guint i = 0; i < rw->child_info->params->len; i++)
    {
      SetlTemplateParam *p = g_ptr_array_index (rw->child_info->params, i);
      JsonNode *arg = arguments ? json_object_get_member (arguments, p->name) : NULL;
      SetlTemplateParam *parent = find_declared (ctx->info, p->name);
      Binding *b = g_new0 (Binding, 1);
      g_autofree char *ns_name = g_strdup_printf ("%s.%s", rw->ns, p->name);

      g_hash_table_insert (rw->bindings, g_strdup (p->name), b);
      if (arg != NULL && is_string (arg) && strstr (json_node_get_string (arg), "${") != NULL &&
          !g_str_equal (p->type, "list"))
        {
          /* "threshold": "${min_age}": substituted in the parent's scope
           * when the pipeline is built, and checked as a property is */
          b->kind = BIND_INLINE;
          b->text = g_strdup (json_node_get_string (arg));
          continue;
        }
      if (arg != NULL)
        {
          g_autofree char *problem = NULL;
          g_autofree char *arg_path = path_join (args_path, p->name);

          if (!value_fits (p, arg, &problem))
            return fail_at (error, SETL_PIPELINE_FILE_ERROR_PARAMETER, &ctx->own, arg_path, FALSE,
                            "sub-pipeline “%s”: parameter “%s” of template “%s”: %s",
                            rw->ns, p->name, label, problem);
          b->kind = BIND_PARAM;
          b->text = g_strdup_printf ("${%s}", ns_name);
          b->list = g_str_equal (p->type, "list") ? json_node_copy (arg) : NULL;
          set_param (ctx, ns_name, loader_decl (p, arg), &ctx->own, arg_path, arg);
          if (is_rich (p))
            g_hash_table_replace (ctx->info->rich, g_strdup (ns_name), template_param_copy (p, ns_name));
          continue;
        }
      if (parent != NULL)
        {
          gboolean compatible = g_str_equal (p->type, parent->type) ||
                                (g_str_equal (p->type, "double") && g_str_equal (parent->type, "int")) ||
                                (g_str_equal (p->type, "string") && g_str_equal (parent->type, "enum"));

          if (g_str_equal (p->type, "enum") && g_str_equal (parent->type, "enum"))
            for (guint v = 0; parent->values[v] && compatible; v++)
              compatible = g_strv_contains ((const char * const *) p->values, parent->values[v]);
          if (g_str_equal (p->type, "list") && g_str_equal (parent->type, "list"))
            compatible = g_str_equal (p->items, parent->items);
          if (!compatible)
            {
              g_autofree char *entry_pipeline = path_join (entry_path, "pipeline");

              return fail_at (error, SETL_PIPELINE_FILE_ERROR_PARAMETER, &ctx->own, entry_pipeline, FALSE,
                              "sub-pipeline “%s”: parameter “%s” of template “%s” is %s %s, "
                              "but the enclosing pipeline's “%s”, which it would inherit, is %s %s "
                              "(pass it in “arguments” instead)",
                              rw->ns, p->name, label, g_str_equal (p->type, "int") || g_str_equal (p->type, "enum") ? "an" : "a",
                              p->type, p->name, g_str_equal (parent->type, "int") || g_str_equal (parent->type, "enum") ? "an" : "a",
                              parent->type);
            }
          b->kind = BIND_INHERIT;
          b->text = g_strdup_printf ("${%s}", p->name);
          /* a list stays "${P}": spread by the parent, or by whoever
           * binds the parent's P */
          continue;
        }
      if (p->default_value != NULL)
        {
          g_autofree char *decl_path = path_join ("/parameters", p->name);

          b->kind = BIND_PARAM;
          b->text = g_strdup_printf ("${%s}", ns_name);
          b->list = g_str_equal (p->type, "list") ? json_node_copy (p->default_value) : NULL;
          set_param (ctx, ns_name, loader_decl (p, p->default_value), &rw->src, decl_path, NULL);
          if (is_rich (p))
            g_hash_table_replace (ctx->info->rich, g_strdup (ns_name), template_param_copy (p, ns_name));
          continue;
        }
      {
        g_autofree char *entry_pipeline = path_join (entry_path, "pipeline");

        return fail_at (error, SETL_PIPELINE_FILE_ERROR_PARAMETER, &ctx->own, arguments ? args_path : entry_pipeline,
                        arguments != NULL,
                        "sub-pipeline “%s”: template “%s” requires parameter “%s” (%s%s%s): "
                        "give it in \"arguments\"",
                        rw->ns, label, p->name, p->type, p->description ? ": " : "",
                        p->description ? p->description : "");
      }
    }
  return TRUE;
}

/* The child's own sub-pipelines' parameters ("inner.x") become the
 * parent's "NS.inner.x". */
static void
carry_namespaced_params (Rewriter *rw)
{
  JsonNode *params = json_object_get_member (json_node_get_object (rw->child_info->root), "parameters");
  g_autoptr(GList) names = NULL;

  if (params == NULL || !JSON_NODE_HOLDS_OBJECT (params))
    return;
  names = json_object_get_members (json_node_get_object (params));
  for (GList *l = names; l != NULL; l = l->next)
    {
      const char *name = l->data;
      g_autofree char *ns_name = NULL;
      g_autofree char *path = NULL;
      JsonNode *decl = json_object_get_member (json_node_get_object (params), name);
      SetlTemplateParam *rich;

      g_hash_table_add (rw->child_params, g_strdup (name));
      if (strchr (name, '.') == NULL)
        continue;
      ns_name = g_strdup_printf ("%s.%s", rw->ns, name);
      path = path_join ("/parameters", name);
      set_param (rw->ctx, ns_name, json_node_copy (decl), &rw->src, path, decl);
      if ((rich = g_hash_table_lookup (rw->child_info->rich, name)) != NULL)
        g_hash_table_replace (rw->ctx->info->rich, g_strdup (ns_name), template_param_copy (rich, ns_name));
    }
}

static gboolean
map_inputs (Rewriter   *rw,
            JsonNode   *inputs,         /* (nullable) */
            const char *entry_path,
            const char *label,
            GError    **error)
{
  Ctx *ctx = rw->ctx;
  GPtrArray *declared = rw->child_info->inputs;
  g_autofree char *inputs_path = path_join (entry_path, "inputs");

  rw->input_map = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  if (inputs != NULL && is_string (inputs))
    {
      if (declared->len != 1)
        return fail_at (error, SETL_PIPELINE_FILE_ERROR_WIRING, &ctx->own, inputs_path, FALSE,
                        "sub-pipeline “%s”: template “%s” takes %u inputs: map them by name, "
                        "as in \"inputs\": {\"INPUT\": \"FACTORY\"}", rw->ns, label, declared->len);
      g_hash_table_insert (rw->input_map, g_strdup (((SetlTemplatePort *) g_ptr_array_index (declared, 0))->name),
                           g_strdup (json_node_get_string (inputs)));
    }
  else if (inputs != NULL && JSON_NODE_HOLDS_OBJECT (inputs))
    {
      g_autoptr(GList) names = json_object_get_members (json_node_get_object (inputs));

      for (GList *l = names; l != NULL; l = l->next)
        {
          JsonNode *value = json_object_get_member (json_node_get_object (inputs), l->data);
          g_autofree char *path = path_join (inputs_path, l->data);
          gboolean known = FALSE;

          for (guint i = 0; i < declared->len && !known; i++)
            known = g_str_equal (((SetlTemplatePort *) g_ptr_array_index (declared, i))->name, l->data);
          if (!known)
            {
              g_autoptr(GPtrArray) candidates = g_ptr_array_new ();
              g_autoptr(GString) message = g_string_new (NULL);

              for (guint i = 0; i < declared->len; i++)
                g_ptr_array_add (candidates, ((SetlTemplatePort *) g_ptr_array_index (declared, i))->name);
              g_string_printf (message, "sub-pipeline “%s”: template “%s” has no input “%s”",
                               rw->ns, label, (const char *) l->data);
              _setl_pipeline_file_append_suggestion (message, l->data, candidates, "input");
              return fail_at (error, SETL_PIPELINE_FILE_ERROR_WIRING, &ctx->own, path, TRUE, "%s", message->str);
            }
          if (!is_string (value))
            return fail_at (error, SETL_PIPELINE_FILE_ERROR_WIRING, &ctx->own, path, FALSE,
                            "sub-pipeline “%s”: input “%s” must be mapped to a factory name, not %s",
                            rw->ns, (const char *) l->data, json_type_name (value));
          g_hash_table_insert (rw->input_map, g_strdup (l->data), g_strdup (json_node_get_string (value)));
        }
    }
  else if (inputs != NULL)
    return fail_at (error, SETL_PIPELINE_FILE_ERROR_WIRING, &ctx->own, inputs_path, FALSE,
                    "a sub-pipeline's “inputs” must be an object (template input → factory name) or a factory name, not %s",
                    json_type_name (inputs));

  for (guint i = 0; i < declared->len; i++)
    {
      SetlTemplatePort *port = g_ptr_array_index (declared, i);

      if (!g_hash_table_contains (rw->input_map, port->name))
        return fail_at (error, SETL_PIPELINE_FILE_ERROR_WIRING, &ctx->own, inputs ? inputs_path : entry_path,
                        inputs == NULL,
                        "sub-pipeline “%s”: input “%s” of template “%s” is not mapped: "
                        "add \"inputs\": {\"%s\": \"FACTORY\"}", rw->ns, port->name, label, port->name);
    }
  return TRUE;
}

static gboolean
expand_instance (Ctx        *ctx,
                 const char *key,
                 JsonNode   *node,
                 const char *path,
                 GError    **error)
{
  static const char * const members[] = { "name", "pipeline", "description", "arguments",
                                          "inputs", "outputs", "when", SETL_PIPELINE_ARM_LABEL_MEMBER,
                                          NULL };
  JsonObject *entry = json_node_get_object (node);
  const char *ns = entry_name (key, node);
  JsonNode *reference = json_object_get_member (entry, "pipeline");
  JsonNode *arguments = json_object_get_member (entry, "arguments");
  JsonNode *outputs = json_object_get_member (entry, "outputs");
  g_autofree char *ref_path = path_join (path, "pipeline");
  g_autofree char *where = NULL;
  g_autofree char *label = NULL;
  g_autofree char *what = NULL;
  SetlPipelineFile *child;
  Rewriter rw = { ctx };
  EmitData data = { &rw, error, FALSE };
  gboolean ok = FALSE;

  if (ns == NULL)
    return fail_at (error, SETL_PIPELINE_FILE_ERROR_INVALID, &ctx->own, path, FALSE,
                    "a sub-pipeline has no “name” (its factories are named NAME.FACTORY)");
  where = g_strdup_printf ("sub-pipeline “%s”", ns);
  if (!valid_segment (ns, strlen (ns)))
    {
      g_autofree char *name_path = key ? g_strdup (path) : path_join (path, "name");

      return fail_at (error, SETL_PIPELINE_FILE_ERROR_INVALID, &ctx->own, name_path, key != NULL,
                      "invalid sub-pipeline name “%s”: use letters, digits and “_”, starting with a letter "
                      "(its factories are named “%s.FACTORY”)", ns, ns);
    }
  if (!check_members (&ctx->own, entry, path, where, members, error))
    return FALSE;
  if (!is_string (reference) || json_node_get_string (reference)[0] == '\0')
    return fail_at (error, SETL_PIPELINE_FILE_ERROR_INVALID, &ctx->own, ref_path, FALSE,
                    "a sub-pipeline's “pipeline” must be a file name or a template “name[@version]”, not %s",
                    json_type_name (reference));
  if (arguments != NULL && !JSON_NODE_HOLDS_OBJECT (arguments))
    {
      g_autofree char *p = path_join (path, "arguments");

      return fail_at (error, SETL_PIPELINE_FILE_ERROR_INVALID, &ctx->own, p, FALSE,
                      "a sub-pipeline's “arguments” must be an object (parameter → value), not %s",
                      json_type_name (arguments));
    }
  if (outputs != NULL && !JSON_NODE_HOLDS_OBJECT (outputs))
    {
      g_autofree char *p = path_join (path, "outputs");

      return fail_at (error, SETL_PIPELINE_FILE_ERROR_INVALID, &ctx->own, p, FALSE,
                      "a sub-pipeline's “outputs” must be an object (name → template output), not %s",
                      json_type_name (outputs));
    }

  what = g_strdup_printf ("sub-pipeline “%s”", ns);
  child = load_child (ctx, json_node_get_string (reference), ref_path, what, error);
  if (child == NULL)
    return FALSE;
  label = template_label (child, json_node_get_string (reference));

  rw.ns = ns;
  rw.child = child;
  {
    /* checked by the conditions' first pass */
    JsonNode *when = json_object_get_member (entry, "when");
    JsonNode *when_label = json_object_get_member (entry, SETL_PIPELINE_ARM_LABEL_MEMBER);

    rw.when = when != NULL && is_string (when) ? json_node_get_string (when) : NULL;
    rw.when_label = rw.when != NULL && when_label != NULL && is_string (when_label)
                    ? json_node_get_string (when_label) : NULL;
  }
  rw.child_info = get_info (child);
  rw.src = (Src) { child, _setl_pipeline_file_get_positions (child, TRUE),
                   _setl_pipeline_file_get_positions (child, FALSE) };
  rw.bindings = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, binding_free);
  rw.child_params = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  rw.child_factories = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  iterate_factories (rw.child_info->root, collect_child_factory, rw.child_factories);

  if (!bind_parameters (&rw, arguments ? json_node_get_object (arguments) : NULL, path, label, error))
    goto out;
  carry_namespaced_params (&rw);
  if (!map_inputs (&rw, json_object_get_member (entry, "inputs"), path, label, error))
    goto out;

  iterate_factories (rw.child_info->root, emit_child_factory, &data);
  if (data.failed)
    {
      /* the error is in the template's file: say which instance made it */
      SetlPipelinePos pos = src_pos (&ctx->own, ref_path, FALSE);

      g_prefix_error (error, "%s:%u:%u: sub-pipeline “%s”: ",
                      pos.source ? pos.source : setl_pipeline_file_get_source_name (ctx->self),
                      pos.line, pos.column, ns);
      goto out;
    }

  /* What the parent may call the sub-pipeline's outputs. */
  {
    GHashTableIter iter;
    gpointer k, v;

    g_hash_table_insert (ctx->info->group_labels, g_strdup (ns), g_strdup_printf ("%s (%s)", ns, label));
    g_hash_table_iter_init (&iter, rw.child_info->group_labels);
    while (g_hash_table_iter_next (&iter, &k, &v))
      g_hash_table_insert (ctx->info->group_labels, g_strdup_printf ("%s.%s", ns, (char *) k),
                           g_strdup_printf ("%s.%s", ns, (char *) v));
    g_hash_table_iter_init (&iter, rw.child_factories);
    while (g_hash_table_iter_next (&iter, &k, NULL))
      {
        const char *group = g_hash_table_lookup (rw.child_info->groups, k);

        g_hash_table_insert (ctx->info->groups, g_strdup_printf ("%s.%s", ns, (char *) k),
                             group ? g_strdup_printf ("%s.%s", ns, group) : g_strdup (ns));
      }
    g_hash_table_iter_init (&iter, rw.child_info->aliases);
    while (g_hash_table_iter_next (&iter, &k, &v))
      g_hash_table_insert (ctx->info->aliases, g_strdup_printf ("%s.%s", ns, (char *) k),
                           g_strdup_printf ("%s.%s", ns, (char *) v));

    if (rw.child_info->declares_outputs)
      {
        GPtrArray *exports = rw.child_info->outputs;

        g_hash_table_iter_init (&iter, rw.child_factories);
        while (g_hash_table_iter_next (&iter, &k, NULL))
          g_hash_table_insert (ctx->info->internal, g_strdup_printf ("%s.%s", ns, (char *) k),
                               g_strdup (ns));
        for (guint i = 0; i < exports->len; i++)
          {
            SetlTemplatePort *e = g_ptr_array_index (exports, i);
            g_autofree char *target = g_strdup_printf ("%s.%s", ns, e->description);

            g_hash_table_remove (ctx->info->internal, target);
            g_hash_table_insert (ctx->info->aliases, g_strdup_printf ("%s.%s", ns, e->name), g_strdup (target));
            if (exports->len == 1)
              g_hash_table_insert (ctx->info->aliases, g_strdup (ns), g_strdup (target));
          }
      }
    if (outputs != NULL)
      {
        g_autoptr(GList) names = json_object_get_members (json_node_get_object (outputs));

        for (GList *l = names; l != NULL; l = l->next)
          {
            JsonNode *value = json_object_get_member (json_node_get_object (outputs), l->data);
            g_autofree char *out_path = g_strdup_printf ("%s/outputs/%s", path, (char *) l->data);
            g_autofree char *qualified = NULL;
            const char *target;

            if (!is_string (value))
              {
                fail_at (error, SETL_PIPELINE_FILE_ERROR_WIRING, &ctx->own, out_path, FALSE,
                         "%s: an output is mapped to the name of a template output, not %s",
                         where, json_type_name (value));
                goto out;
              }
            qualified = g_strdup_printf ("%s.%s", ns, json_node_get_string (value));
            target = g_hash_table_lookup (ctx->info->aliases, qualified);
            if (target == NULL && !rw.child_info->declares_outputs &&
                g_hash_table_contains (rw.child_factories, json_node_get_string (value)))
              target = qualified;
            if (target == NULL)
              {
                g_autoptr(GPtrArray) candidates = g_ptr_array_new ();
                g_autoptr(GString) message = g_string_new (NULL);

                for (guint i = 0; i < rw.child_info->outputs->len; i++)
                  g_ptr_array_add (candidates, ((SetlTemplatePort *) g_ptr_array_index (rw.child_info->outputs, i))->name);
                g_string_printf (message, "%s: template “%s” has no output “%s”", where, label,
                                 json_node_get_string (value));
                _setl_pipeline_file_append_suggestion (message, json_node_get_string (value), candidates, "output");
                fail_at (error, SETL_PIPELINE_FILE_ERROR_WIRING, &ctx->own, out_path, FALSE, "%s", message->str);
                goto out;
              }
            g_hash_table_insert (ctx->info->aliases, g_strdup (l->data), g_strdup (target));
          }
      }
  }
  ok = TRUE;

out:
  g_hash_table_unref (rw.bindings);
  g_hash_table_unref (rw.child_params);
  g_hash_table_unref (rw.child_factories);
  g_clear_pointer (&rw.input_map, g_hash_table_unref);
  return ok;
}

/* ----------------------------------------------------------------------- */
/* The file's own members                                                   */

typedef struct
{
  Ctx *ctx;
  GError **error;
  gboolean failed;
} OwnData;

static void
emit_own_factory (const char *key,
                  JsonNode   *node,
                  const char *path,
                  gpointer    data)
{
  OwnData *d = data;
  Ctx *ctx = d->ctx;
  Rewriter rw = { ctx, NULL, NULL, NULL, ctx->own };
  const char *name;
  OutFactory *existing;

  if (d->failed)
    return;
  name = entry_name (key, node);
  if (JSON_NODE_HOLDS_OBJECT (node) && json_object_has_member (json_node_get_object (node), "pipeline"))
    {
      if (name != NULL && find_out_factory (ctx, name) != NULL)
        {
          d->failed = !fail_at (d->error, SETL_PIPELINE_FILE_ERROR_INVALID, &ctx->own, path, key != NULL,
                                "sub-pipeline “%s” would replace the factory “%s” of the base pipeline: "
                                "only a factory can replace a factory", name, name);
          return;
        }
      if (!expand_instance (ctx, key, node, path, d->error))
        d->failed = TRUE;
      return;
    }
  if (name == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      /* Not a factory the loader accepts: pass it on for its message. */
      JsonObject *copy = JSON_NODE_HOLDS_OBJECT (node) ? json_object_ref (json_node_get_object (node))
                                                       : NULL;
      OutFactory *f = g_new0 (OutFactory, 1);

      if (copy == NULL)
        {
          d->failed = !fail_at (d->error, SETL_PIPELINE_FILE_ERROR_INVALID, &ctx->own, path, FALSE,
                                "a factory must be an object with “feature”, “properties” and “inputs”, not %s",
                                json_type_name (node));
          g_free (f);
          return;
        }
      f->name = g_strdup ("");
      f->object = copy;
      f->src = ctx->own;
      f->src_path = g_strdup (path);
      f->src_node = node;
      g_ptr_array_add (ctx->factories, f);
      return;
    }

  existing = find_out_factory (ctx, name);
  if (existing != NULL && ctx->base != NULL && existing->src.file == ctx->base)
    {
      /* "extends": a factory of the base replaced by name; whether it
       * fits is checked when the pipeline is built (it needs the
       * plugins). */
      Replacement *r = g_new0 (Replacement, 1);
      guint at;

      g_ptr_array_find (ctx->factories, existing, &at);
      r->base = g_object_ref (existing->src.file);
      r->name = g_strdup (name);
      r->path = g_strdup_printf ("/factories/%u", at);
      g_ptr_array_add (ctx->info->replacements, r);
      if (!emit_entry (&rw, key, node, path, at, d->error))
        d->failed = TRUE;
      return;
    }
  /* a second factory of the same name: the loader says so */
  if (!emit_entry (&rw, key, node, path, -1, d->error))
    d->failed = TRUE;
}

static gboolean
read_inputs (Ctx        *ctx,
             JsonNode   *inputs,
             GError    **error)
{
  g_autoptr(GList) names = NULL;

  if (!JSON_NODE_HOLDS_OBJECT (inputs))
    return fail_at (error, SETL_PIPELINE_FILE_ERROR_INVALID, &ctx->own, "/inputs", FALSE,
                    "“inputs” must be an object (input name → description), not %s",
                    json_type_name (inputs));
  g_ptr_array_set_size (ctx->info->inputs, 0);
  names = json_object_get_members (json_node_get_object (inputs));
  for (GList *l = names; l != NULL; l = l->next)
    {
      JsonNode *value = json_object_get_member (json_node_get_object (inputs), l->data);
      g_autofree char *path = path_join ("/inputs", l->data);
      const char *description = NULL;

      if (!valid_segment (l->data, strlen (l->data)))
        return fail_at (error, SETL_PIPELINE_FILE_ERROR_INVALID, &ctx->own, path, TRUE,
                        "invalid input name “%s”: use letters, digits and “_”, starting with a letter",
                        (const char *) l->data);
      if (is_string (value))
        description = json_node_get_string (value);
      else if (JSON_NODE_HOLDS_OBJECT (value))
        {
          static const char * const members[] = { "description", NULL };
          g_autofree char *where = g_strdup_printf ("input “%s”", (const char *) l->data);
          JsonNode *desc = json_object_get_member (json_node_get_object (value), "description");

          if (!check_members (&ctx->own, json_node_get_object (value), path, where, members, error))
            return FALSE;
          if (desc != NULL && !is_string (desc))
            {
              g_autofree char *desc_path = path_join (path, "description");

              return fail_at (error, SETL_PIPELINE_FILE_ERROR_INVALID, &ctx->own, desc_path, FALSE,
                              "an input's “description” must be a string, not %s", json_type_name (desc));
            }
          description = desc ? json_node_get_string (desc) : NULL;
        }
      else
        return fail_at (error, SETL_PIPELINE_FILE_ERROR_INVALID, &ctx->own, path, FALSE,
                        "input “%s” must be a description (a string) or an object with “description”, not %s",
                        (const char *) l->data, json_type_name (value));
      g_ptr_array_add (ctx->info->inputs, template_port_new (l->data, description));
    }
  return TRUE;
}

/* "outputs": export name → factory (a name in this file's scope, resolved
 * through the sub-pipelines' aliases). */
static gboolean
read_outputs (Ctx      *ctx,
              JsonNode *outputs,
              GError  **error)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) targets = g_ptr_array_new ();
  g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);

  if (JSON_NODE_HOLDS_ARRAY (outputs))
    {
      JsonArray *array = json_node_get_array (outputs);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *e = json_array_get_element (array, i);
          char *path = g_strdup_printf ("/outputs/%u", i);

          g_ptr_array_add (paths, path);
          if (!is_string (e))
            return fail_at (error, SETL_PIPELINE_FILE_ERROR_INVALID, &ctx->own, path, FALSE,
                            "an output must be a factory name, not %s", json_type_name (e));
          g_ptr_array_add (names, g_strdup (json_node_get_string (e)));
          g_ptr_array_add (targets, (gpointer) json_node_get_string (e));
        }
    }
  else if (JSON_NODE_HOLDS_OBJECT (outputs))
    {
      g_autoptr(GList) members = json_object_get_members (json_node_get_object (outputs));

      for (GList *l = members; l != NULL; l = l->next)
        {
          JsonNode *e = json_object_get_member (json_node_get_object (outputs), l->data);
          char *path = path_join ("/outputs", l->data);

          g_ptr_array_add (paths, path);
          if (!valid_segment (l->data, strlen (l->data)))
            return fail_at (error, SETL_PIPELINE_FILE_ERROR_INVALID, &ctx->own, path, TRUE,
                            "invalid output name “%s”: use letters, digits and “_”, starting with a letter",
                            (const char *) l->data);
          if (!is_string (e))
            return fail_at (error, SETL_PIPELINE_FILE_ERROR_INVALID, &ctx->own, path, FALSE,
                            "output “%s” must name a factory, not %s", (const char *) l->data, json_type_name (e));
          g_ptr_array_add (names, g_strdup (l->data));
          g_ptr_array_add (targets, (gpointer) json_node_get_string (e));
        }
    }
  else
    return fail_at (error, SETL_PIPELINE_FILE_ERROR_INVALID, &ctx->own, "/outputs", FALSE,
                    "“outputs” must be an object (output name → factory) or an array of factory names, not %s",
                    json_type_name (outputs));

  g_ptr_array_set_size (ctx->info->outputs, 0);
  ctx->info->declares_outputs = TRUE;
  for (guint i = 0; i < names->len; i++)
    {
      const char *target = g_ptr_array_index (targets, i);
      const char *resolved = g_hash_table_lookup (ctx->info->aliases, target);

      if (resolved == NULL)
        resolved = target;
      if (find_out_factory (ctx, resolved) == NULL)
        {
          g_autoptr(GPtrArray) candidates = g_ptr_array_new ();
          g_autoptr(GString) message = g_string_new (NULL);

          for (guint f = 0; f < ctx->factories->len; f++)
            g_ptr_array_add (candidates, ((OutFactory *) g_ptr_array_index (ctx->factories, f))->name);
          g_string_printf (message, "output “%s” names “%s”, which is not a factory of this pipeline",
                           (const char *) g_ptr_array_index (names, i), target);
          _setl_pipeline_file_append_suggestion (message, target, candidates, "factory");
          return fail_at (error, SETL_PIPELINE_FILE_ERROR_WIRING, &ctx->own, g_ptr_array_index (paths, i),
                          FALSE, "%s", message->str);
        }
      /* description holds the factory */
      g_ptr_array_add (ctx->info->outputs, template_port_new (g_ptr_array_index (names, i), resolved));
    }
  return TRUE;
}

/* Names written in this file's scope: a sub-pipeline's output by its
 * alias; a factory inside a sub-pipeline that does not export it is an
 * error. */
static gboolean
resolve_pending (Ctx     *ctx,
                 GError **error)
{
  for (guint i = 0; i < ctx->pending->len; i++)
    {
      PendingRef *ref = g_ptr_array_index (ctx->pending, i);
      const char *name = json_node_get_string (ref->node);
      const char *alias = g_hash_table_lookup (ctx->info->aliases, name);
      const char *instance;

      if (alias != NULL)
        {
          json_node_set_string (ref->node, alias);
          continue;
        }
      if ((instance = g_hash_table_lookup (ctx->info->internal, name)) != NULL)
        {
          g_autoptr(GString) exports = g_string_new (NULL);
          g_autofree char *prefix = g_strdup_printf ("%s.", instance);
          GHashTableIter iter;
          gpointer k;

          g_hash_table_iter_init (&iter, ctx->info->aliases);
          while (g_hash_table_iter_next (&iter, &k, NULL))
            if (g_str_has_prefix (k, prefix) && strchr ((char *) k + strlen (prefix), '.') == NULL)
              g_string_append_printf (exports, "%s“%s”", exports->len ? ", " : "", (char *) k);
          return fail_at (error, SETL_PIPELINE_FILE_ERROR_WIRING, &ref->src, ref->path, FALSE,
                          "“%s” is inside sub-pipeline “%s”, which does not export it (its outputs: %s)",
                          name, instance, exports->len ? exports->str : "none");
        }
    }
  return TRUE;
}

static gboolean
needs_composition (JsonObject *root)
{
  JsonNode *params = json_object_get_member (root, "parameters");
  JsonNode *factories = json_object_get_member (root, "factories");

  for (guint i = 0; composition_members[i]; i++)
    if (json_object_has_member (root, composition_members[i]))
      return TRUE;
  if (params != NULL && JSON_NODE_HOLDS_OBJECT (params))
    {
      g_autoptr(GList) names = json_object_get_members (json_node_get_object (params));

      for (GList *l = names; l != NULL; l = l->next)
        {
          JsonNode *p = json_object_get_member (json_node_get_object (params), l->data);

          if (JSON_NODE_HOLDS_ARRAY (p))
            return TRUE;
          if (JSON_NODE_HOLDS_OBJECT (p))
            {
              JsonNode *type = json_object_get_member (json_node_get_object (p), "type");

              if (is_string (type) && (g_str_equal (json_node_get_string (type), "enum") ||
                                       g_str_equal (json_node_get_string (type), "list")))
                return TRUE;
            }
        }
    }
  if (factories != NULL && JSON_NODE_HOLDS_ARRAY (factories))
    {
      JsonArray *array = json_node_get_array (factories);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *f = json_array_get_element (array, i);

          if (JSON_NODE_HOLDS_OBJECT (f) && json_object_has_member (json_node_get_object (f), "pipeline"))
            return TRUE;
        }
    }
  else if (factories != NULL && JSON_NODE_HOLDS_OBJECT (factories))
    {
      g_autoptr(GList) names = json_object_get_members (json_node_get_object (factories));

      for (GList *l = names; l != NULL; l = l->next)
        {
          JsonNode *f = json_object_get_member (json_node_get_object (factories), l->data);

          if (JSON_NODE_HOLDS_OBJECT (f) && json_object_has_member (json_node_get_object (f), "pipeline"))
            return TRUE;
        }
    }
  return FALSE;
}

/* Takes over the base's parameters, factories and what it declares. */
static gboolean
take_base (Ctx        *ctx,
           JsonNode   *extends,
           GError    **error)
{
  SetlPipelineFile *base;
  Info *binfo;
  Src src;
  JsonNode *params;
  GHashTableIter iter;
  gpointer k, v;

  if (!is_string (extends) || json_node_get_string (extends)[0] == '\0')
    return fail_at (error, SETL_PIPELINE_FILE_ERROR_INVALID, &ctx->own, "/extends", FALSE,
                    "“extends” must be a file name or a template “name[@version]”, not %s",
                    json_type_name (extends));
  base = load_child (ctx, json_node_get_string (extends), "/extends", "base pipeline", error);
  if (base == NULL)
    return FALSE;
  ctx->base = base;
  binfo = get_info (base);
  src = (Src) { base, _setl_pipeline_file_get_positions (base, TRUE),
                _setl_pipeline_file_get_positions (base, FALSE) };

  params = json_object_get_member (json_node_get_object (binfo->root), "parameters");
  if (params != NULL && JSON_NODE_HOLDS_OBJECT (params))
    {
      g_autoptr(GList) names = json_object_get_members (json_node_get_object (params));

      for (GList *l = names; l != NULL; l = l->next)
        {
          g_autofree char *path = path_join ("/parameters", l->data);
          JsonNode *decl = json_object_get_member (json_node_get_object (params), l->data);

          set_param (ctx, l->data, json_node_copy (decl), &src, path, decl);
        }
    }
  for (guint i = 0; i < binfo->params->len; i++)
    g_ptr_array_add (ctx->info->params, template_param_copy (g_ptr_array_index (binfo->params, i), NULL));
  g_hash_table_iter_init (&iter, binfo->rich);
  while (g_hash_table_iter_next (&iter, &k, &v))
    g_hash_table_replace (ctx->info->rich, g_strdup (k), template_param_copy (v, NULL));

  {
    Rewriter rw = { ctx, NULL, NULL, NULL, src };
    EmitData data = { &rw, error, FALSE };

    /* the base's factories as they are (its scope is ours); positions from
     * the base file */
    iterate_factories (binfo->root, emit_child_factory, &data);
    if (data.failed)
      return FALSE;
    /* names in the base were resolved by the base: nothing pending */
    g_ptr_array_set_size (ctx->pending, 0);
  }

  for (guint i = 0; i < binfo->inputs->len; i++)
    {
      SetlTemplatePort *p = g_ptr_array_index (binfo->inputs, i);

      g_ptr_array_add (ctx->info->inputs, template_port_new (p->name, p->description));
    }
  ctx->info->declares_outputs = binfo->declares_outputs;
  for (guint i = 0; i < binfo->outputs->len; i++)
    {
      SetlTemplatePort *p = g_ptr_array_index (binfo->outputs, i);

      g_ptr_array_add (ctx->info->outputs, template_port_new (p->name, p->description));
    }
#define COPY_TABLE(t) \
  g_hash_table_iter_init (&iter, binfo->t); \
  while (g_hash_table_iter_next (&iter, &k, &v)) \
    g_hash_table_replace (ctx->info->t, g_strdup (k), g_strdup (v));
  COPY_TABLE (aliases)
  COPY_TABLE (internal)
  COPY_TABLE (groups)
  COPY_TABLE (group_labels)
#undef COPY_TABLE
  return TRUE;
}

/* The file's own parameters: new ones, or a base's with a new default. */
static gboolean
take_parameters (Ctx      *ctx,
                 JsonNode *params,
                 GError  **error)
{
  g_autoptr(GList) names = NULL;

  if (!JSON_NODE_HOLDS_OBJECT (params))
    return TRUE;   /* the loader says what is wrong */
  names = json_object_get_members (json_node_get_object (params));
  for (GList *l = names; l != NULL; l = l->next)
    {
      const char *name = l->data;
      JsonNode *node = json_object_get_member (json_node_get_object (params), name);
      g_autofree char *path = path_join ("/parameters", name);
      SetlTemplateParam *p = NULL;
      SetlTemplateParam *base = find_declared (ctx->info, name);
      gboolean short_form = !JSON_NODE_HOLDS_OBJECT (node);
      JsonNode *decl;

      if (!parse_param (&ctx->own, name, node, path, &p, error))
        {
          template_param_free (p);
          return FALSE;
        }
      if (base != NULL && short_form && !JSON_NODE_HOLDS_NULL (node))
        {
          /* "extends": "min_age": 21 changes the base's default; the type
           * stays the base's */
          g_autofree char *problem = NULL;

          if (!value_fits (base, node, &problem))
            {
              template_param_free (p);
              return fail_at (error, SETL_PIPELINE_FILE_ERROR_PARAMETER, &ctx->own, path, FALSE,
                              "parameter “%s” of the base pipeline: the new default: %s", name, problem);
            }
          g_free (p->type);
          p->type = g_strdup (base->type);
          g_strfreev (p->values);
          p->values = g_strdupv (base->values);
          g_free (p->items);
          p->items = g_strdup (base->items);
          if (p->description == NULL)
            p->description = g_strdup (base->description);
        }
      else if (base != NULL && !g_str_equal (base->type, p->type))
        {
          g_autofree char *type_path = path_join (path, "type");

          template_param_free (p);
          return fail_at (error, SETL_PIPELINE_FILE_ERROR_PARAMETER, &ctx->own, type_path, FALSE,
                          "parameter “%s” is %s %s in the base pipeline; an extension changes its default, not its type",
                          name, g_str_equal (base->type, "int") || g_str_equal (base->type, "enum") ? "an" : "a", base->type);
        }

      /* plain declarations go to the loader as written (its messages);
       * rich ones, and base overrides, as a string/typed declaration */
      if (!is_rich (p) && base == NULL)
        decl = json_node_copy (node);
      else
        decl = loader_decl (p, p->default_value);
      set_param (ctx, name, decl, &ctx->own, path, node);
      if (is_rich (p))
        g_hash_table_replace (ctx->info->rich, g_strdup (name), template_param_copy (p, NULL));
      if (base != NULL)
        g_ptr_array_remove (ctx->info->params, base);
      g_ptr_array_add (ctx->info->params, p);
    }
  return TRUE;
}

static gboolean
has_lists (Info *info)
{
  for (guint i = 0; i < info->params->len; i++)
    if (g_str_equal (((SetlTemplateParam *) g_ptr_array_index (info->params, i))->type, "list"))
      return TRUE;
  return FALSE;
}

/* The document the loader reads: a copy of the composed one, so that
 * what later steps do to it (conditions take "when" members out) does not
 * change what a parent expands; with the file's own list parameters
 * spread where an array item is "${P}" (a parent spreads its children's
 * when it binds them, from the unspread document). */
static JsonNode *
loader_copy (Ctx      *ctx,
             JsonNode *root)
{
  Rewriter rw = { ctx };

  rw.spread = has_lists (ctx->info);
  return rewrite_node (&rw, root, "", NULL);
}

static void
build_root (Ctx        *ctx,
            JsonObject *original,
            JsonNode  **composed)
{
  JsonObject *root = json_object_new ();
  g_autoptr(GHashTable) keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GHashTable) values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GList) members = json_object_get_members (original);
  SetlPipelinePos *pos;

  if ((pos = g_hash_table_lookup (ctx->own.values, "")) != NULL)
    pos_put (values, "", pos, &ctx->own, ctx->self);

  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *name = l->data;
      g_autofree char *path = path_join ("", name);

      if (g_strv_contains (composition_members, name))
        {
          /* gone from the document, but errors at build time point there */
          pos_copy_tree (keys, values, ctx->self, &ctx->own, path, json_object_get_member (original, name), path);
          continue;
        }
      if (g_str_equal (name, "parameters") || g_str_equal (name, "factories"))
        {
          pos_copy_tree (keys, values, ctx->self, &ctx->own, path, NULL, path);
          continue;
        }
      json_object_set_member (root, name, json_node_copy (json_object_get_member (original, name)));
      pos_copy_tree (keys, values, ctx->self, &ctx->own, path, json_object_get_member (original, name), path);
    }

  if (ctx->params->len > 0)
    {
      JsonObject *params = json_object_new ();

      for (guint i = 0; i < ctx->params->len; i++)
        {
          OutParam *p = g_ptr_array_index (ctx->params, i);
          g_autofree char *path = path_join ("/parameters", p->name);

          json_object_set_member (params, p->name, json_node_copy (p->decl));
          pos_copy_tree (keys, values, ctx->self, &p->src, p->src_path, p->src_node, path);
          if (p->src_node != NULL && !JSON_NODE_HOLDS_OBJECT (p->src_node))
            {
              /* a short form or an argument: its value stands for the
               * declaration's default */
              g_autofree char *def = path_join (path, "default");

              if ((pos = g_hash_table_lookup (p->src.values, p->src_path)) != NULL)
                pos_put (values, def, pos, &p->src, ctx->self);
            }
        }
      json_object_set_object_member (root, "parameters", params);
    }
  if (ctx->factories->len > 0 || json_object_has_member (original, "factories"))
    {
      JsonArray *factories = json_array_new ();

      for (guint i = 0; i < ctx->factories->len; i++)
        {
          OutFactory *f = g_ptr_array_index (ctx->factories, i);
          g_autofree char *path = g_strdup_printf ("/factories/%u", i);

          json_array_add_object_element (factories, json_object_ref (f->object));
          pos_copy_tree (keys, values, ctx->self, &f->src, f->src_path, f->src_node, path);
          if (f->name_from_key && (pos = g_hash_table_lookup (f->src.keys, f->src_path)) != NULL)
            {
              g_autofree char *name_path = path_join (path, "name");

              pos_put (values, name_path, pos, &f->src, ctx->self);
            }
        }
      json_object_set_array_member (root, "factories", factories);
    }

  *composed = json_node_init_object (json_node_alloc (), root);
  json_object_unref (root);
  _setl_pipeline_file_set_positions (ctx->self, g_steal_pointer (&keys), g_steal_pointer (&values));
}

gboolean
_setl_pipeline_compose (SetlPipelineFile *self,
                        JsonNode         *root,
                        JsonNode        **composed,
                        GError          **error)
{
  Info *info = info_new ();
  JsonObject *object;
  Ctx ctx = { self, info };
  Chain *chain;
  gboolean ok = FALSE;

  g_object_set_qdata_full (G_OBJECT (self), info_quark (), info, info_free);
  *composed = root;
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      info->root = json_node_ref (root);
      return TRUE;
    }
  ctx.own = (Src) { self, _setl_pipeline_file_get_positions (self, TRUE),
                    _setl_pipeline_file_get_positions (self, FALSE) };
  object = json_node_get_object (root);
  if (!needs_composition (object))
    {
      /* a plain file: read its parameters for templates, change nothing */
      JsonNode *params = json_object_get_member (object, "parameters");

      info->root = json_node_ref (root);
      *composed = info->loader_root = loader_copy (&ctx, root);
      if (params != NULL && JSON_NODE_HOLDS_OBJECT (params))
        {
          g_autoptr(GList) names = json_object_get_members (json_node_get_object (params));

          for (GList *l = names; l != NULL; l = l->next)
            {
              g_autofree char *path = path_join ("/parameters", l->data);
              SetlTemplateParam *p = NULL;

              /* what is wrong is for the loader to say, in its order */
              if (parse_param (&ctx.own, l->data, json_object_get_member (json_node_get_object (params), l->data),
                               path, &p, NULL))
                g_ptr_array_add (info->params, p);
              else
                template_param_free (p);
            }
        }
      return TRUE;
    }

  {
    /* the format version first, as the loader would (it does not know the
     * members composition removes) */
    JsonNode *version = json_object_get_member (object, "setl");
    Src own = { self, _setl_pipeline_file_get_positions (self, TRUE),
                _setl_pipeline_file_get_positions (self, FALSE) };

    if (version == NULL)
      return fail_at (error, SETL_PIPELINE_FILE_ERROR_VERSION, &own, "", FALSE,
                      "no format version: a pipeline file starts with \"setl\": %d",
                      SETL_PIPELINE_FILE_VERSION);
    if (!is_int (version) || json_node_get_int (version) != SETL_PIPELINE_FILE_VERSION)
      {
        g_autofree char *found = JSON_NODE_HOLDS_VALUE (version) ? value_to_text (version) : NULL;

        return fail_at (error, SETL_PIPELINE_FILE_ERROR_VERSION, &own, "/setl", FALSE,
                        "unsupported format version %s: this libsetl reads version %d",
                        found ? found : json_type_name (version), SETL_PIPELINE_FILE_VERSION);
      }
  }

  chain = get_chain ();
  g_ptr_array_add (chain->paths, canonical_source (self));
  g_ptr_array_add (chain->names, g_path_get_basename (setl_pipeline_file_get_source_name (self)));

  ctx.own = (Src) { self, g_hash_table_ref (_setl_pipeline_file_get_positions (self, TRUE)),
                    g_hash_table_ref (_setl_pipeline_file_get_positions (self, FALSE)) };
  ctx.children = g_ptr_array_new_with_free_func (g_object_unref);
  ctx.params = g_ptr_array_new_with_free_func (out_param_free);
  ctx.factories = g_ptr_array_new_with_free_func (out_factory_free);
  ctx.pending = g_ptr_array_new_with_free_func (pending_ref_free);

  {
    JsonNode *member;
    OwnData data = { &ctx, error, FALSE };

    if ((member = json_object_get_member (object, "version")) != NULL)
      {
        if (!is_int (member) || json_node_get_int (member) < 1 || json_node_get_int (member) > G_MAXINT32)
          {
            fail_at (error, SETL_PIPELINE_FILE_ERROR_INVALID, &ctx.own, "/version", FALSE,
                     "“version” must be a positive integer (the template's version), not %s",
                     json_type_name (member));
            goto out;
          }
        info->version = (guint) json_node_get_int (member);
      }
    if ((member = json_object_get_member (object, "extends")) != NULL && !take_base (&ctx, member, error))
      goto out;
    if ((member = json_object_get_member (object, "parameters")) != NULL &&
        !take_parameters (&ctx, member, error))
      goto out;
    if ((member = json_object_get_member (object, "inputs")) != NULL && !read_inputs (&ctx, member, error))
      goto out;
    if ((member = json_object_get_member (object, "factories")) != NULL &&
        (JSON_NODE_HOLDS_ARRAY (member) || JSON_NODE_HOLDS_OBJECT (member)))
      {
        iterate_factories (root, emit_own_factory, &data);
        if (data.failed)
          goto out;
      }
    else if (member != NULL)
      {
        /* not an array or an object: the loader says so */
        fail_at (error, SETL_PIPELINE_FILE_ERROR_INVALID, &ctx.own, "/factories", FALSE,
                 "“factories” must be an array or an object of factories, not %s", json_type_name (member));
        goto out;
      }
    if (!resolve_pending (&ctx, error))
      goto out;
    if ((member = json_object_get_member (object, "outputs")) != NULL && !read_outputs (&ctx, member, error))
      goto out;
  }

  build_root (&ctx, object, composed);
  info->root = *composed;
  *composed = info->loader_root = loader_copy (&ctx, info->root);
  ok = TRUE;

out:
  g_free (g_ptr_array_steal_index (chain->paths, chain->paths->len - 1));
  g_free (g_ptr_array_steal_index (chain->names, chain->names->len - 1));
  if (chain->paths->len == 0)
    {
      /* the outermost file is done: nothing is left to free at exit */
      g_private_set (&chain_key, NULL);
      g_ptr_array_unref (chain->paths);
      g_ptr_array_unref (chain->names);
      g_free (chain);
    }
  g_hash_table_unref (ctx.own.keys);
  g_hash_table_unref (ctx.own.values);
  g_ptr_array_unref (ctx.pending);
  g_ptr_array_unref (ctx.factories);
  g_ptr_array_unref (ctx.params);
  g_ptr_array_unref (ctx.children);
  if (!ok)
    *composed = NULL;
  return ok;
}

/* ----------------------------------------------------------------------- */
/* Hooks of the loader                                                      */

gboolean
_setl_pipeline_compose_check_parameter (SetlPipelineFile *self,
                                        const char       *name,
                                        const char       *value,
                                        GError          **error)
{
  Info *info = get_info (self);
  SetlTemplateParam *p = info ? g_hash_table_lookup (info->rich, name) : NULL;

  if (p == NULL)
    return TRUE;
  if (g_str_equal (p->type, "enum") && !g_strv_contains ((const char * const *) p->values, value))
    {
      g_autofree char *list = g_strjoinv ("”, “", p->values);

      g_set_error (error, SETL_PIPELINE_FILE_ERROR, SETL_PIPELINE_FILE_ERROR_PARAMETER,
                   "%s: parameter “%s”: “%s” is not one of “%s”",
                   setl_pipeline_file_get_source_name (self), name, value, list);
      return FALSE;
    }
  if (g_str_equal (p->type, "list"))
    {
      g_set_error (error, SETL_PIPELINE_FILE_ERROR, SETL_PIPELINE_FILE_ERROR_PARAMETER,
                   "%s: parameter “%s” is a list: it is set when the file is loaded "
                   "(its default, or a sub-pipeline's “arguments”), not with --param",
                   setl_pipeline_file_get_source_name (self), name);
      return FALSE;
    }
  return TRUE;
}

static gboolean
same_inputs (SetlFactory *a,
             SetlFactory *b,
             GString     *why)
{
  GPtrArray *da = setl_factory_get_deliveries (a);
  GPtrArray *db = setl_factory_get_deliveries (b);
  gboolean same = TRUE;

  for (guint i = 0; i < da->len; i++)
    {
      SetlDelivery *slot = g_ptr_array_index (da, i);
      SetlDelivery *other = setl_factory_get_delivery (b, setl_delivery_get_name (slot));

      if (other == NULL)
        {
          g_string_append_printf (why, "%sit has no input “%s”", same ? "" : "; ", setl_delivery_get_name (slot));
          same = FALSE;
        }
      else if (setl_delivery_get_payload_type (slot) != setl_delivery_get_payload_type (other))
        {
          g_string_append_printf (why, "%sits input “%s” takes %s, not %s", same ? "" : "; ",
                                  setl_delivery_get_name (slot),
                                  g_type_name (setl_delivery_get_payload_type (other)),
                                  g_type_name (setl_delivery_get_payload_type (slot)));
          same = FALSE;
        }
    }
  for (guint i = 0; i < db->len; i++)
    {
      SetlDelivery *slot = g_ptr_array_index (db, i);

      if (setl_factory_get_delivery (a, setl_delivery_get_name (slot)) == NULL)
        {
          g_string_append_printf (why, "%sit has an input “%s” the original has not", same ? "" : "; ",
                                  setl_delivery_get_name (slot));
          same = FALSE;
        }
    }
  return same;
}

gboolean
_setl_pipeline_compose_check_build (SetlPipelineFile   *self,
                                    SetlPluginRegistry *registry,
                                    GHashTable         *built,
                                    GError            **error)
{
  Info *info = get_info (self);
  Src own;

  if (info == NULL)
    return TRUE;
  own = (Src) { self, _setl_pipeline_file_get_positions (self, TRUE),
                _setl_pipeline_file_get_positions (self, FALSE) };

  if (info->inputs->len > 0)
    {
      GString *names = g_string_new (NULL);

      for (guint i = 0; i < info->inputs->len; i++)
        g_string_append_printf (names, "%s“%s”", i ? ", " : "",
                                ((SetlTemplatePort *) g_ptr_array_index (info->inputs, i))->name);
      fail_at (error, SETL_PIPELINE_FILE_ERROR_WIRING, &own, "/inputs", TRUE,
               "“%s” is a template that takes inputs (%s): it runs as a sub-pipeline of another "
               "pipeline (\"pipeline\": \"%s\", \"inputs\": {…})",
               setl_pipeline_file_get_name (self), names->str, setl_pipeline_file_get_name (self));
      g_string_free (names, TRUE);
      return FALSE;
    }

  for (guint i = 0; i < info->replacements->len; i++)
    {
      Replacement *r = g_ptr_array_index (info->replacements, i);
      SetlFactory *replacement = g_hash_table_lookup (built, r->name);
      g_autoptr(SetlFactory) original = NULL;
      g_autoptr(GError) local = NULL;
      g_auto(GStrv) names = setl_pipeline_file_list_parameters (r->base);
      g_autoptr(GString) why = g_string_new (NULL);
      gboolean fits;

      if (replacement == NULL)
        continue;
      /* the base's factory as the extension's parameters make it */
      for (guint n = 0; names[n] != NULL; n++)
        {
          const char *value = setl_pipeline_file_get_parameter (self, names[n]);

          if (value != NULL)
            setl_pipeline_file_set_parameter (r->base, names[n], value, NULL);
        }
      original = _setl_pipeline_file_create_factory (r->base, registry, r->name, &local);
      if (original == NULL)
        return fail_at (error, SETL_PIPELINE_FILE_ERROR_WIRING, &own, r->path, TRUE,
                        "factory “%s” replaces the base's, which cannot be made to compare them: %s",
                        r->name, local->message);
      fits = same_inputs (original, replacement, why);
      if (setl_factory_get_output_type (original) != setl_factory_get_output_type (replacement))
        {
          g_string_append_printf (why, "%sit outputs %s, not %s", fits ? "" : "; ",
                                  g_type_name (setl_factory_get_output_type (replacement)),
                                  g_type_name (setl_factory_get_output_type (original)));
          fits = FALSE;
        }
      if (!fits)
        return fail_at (error, SETL_PIPELINE_FILE_ERROR_WIRING, &own, r->path, TRUE,
                        "factory “%s” (%s) cannot replace “%s” (%s) of %s: %s",
                        r->name, setl_pipeline_file_get_factory_feature (self, r->name),
                        r->name, setl_pipeline_file_get_factory_feature (r->base, r->name),
                        setl_pipeline_file_get_source_name (r->base), why->str);
    }
  return TRUE;
}

/* ----------------------------------------------------------------------- */
/* For the library and the graph                                            */

GPtrArray *
_setl_pipeline_compose_get_params (SetlPipelineFile *self)
{
  Info *info = get_info (self);

  return info ? info->params : NULL;
}

GPtrArray *
_setl_pipeline_compose_get_inputs (SetlPipelineFile *self)
{
  Info *info = get_info (self);

  return info ? info->inputs : NULL;
}

GPtrArray *
_setl_pipeline_compose_get_outputs (SetlPipelineFile *self)
{
  Info *info = get_info (self);

  return info ? info->outputs : NULL;
}

guint
_setl_pipeline_compose_get_version (SetlPipelineFile *self)
{
  Info *info = get_info (self);

  return info ? info->version : 0;
}

const char *
_setl_pipeline_compose_get_group (SetlPipelineFile *self,
                                  const char       *factory_name)
{
  Info *info = get_info (self);

  return info ? g_hash_table_lookup (info->groups, factory_name) : NULL;
}

/* What a sub-pipeline's output name (`italy.adults`, `italy`) stands for,
 * for conditions that read its facts (setl-pipeline-file-conditions.c). */
const char *
_setl_pipeline_compose_resolve_alias (SetlPipelineFile *self,
                                      const char       *name)
{
  Info *info = get_info (self);

  return info ? g_hash_table_lookup (info->aliases, name) : NULL;
}

const char *
_setl_pipeline_compose_get_group_label (SetlPipelineFile *self,
                                        const char       *group)
{
  Info *info = get_info (self);

  return info ? g_hash_table_lookup (info->group_labels, group) : NULL;
}
