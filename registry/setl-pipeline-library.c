/* setl-pipeline-library.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/**
 * SECTION:setl-pipeline-library
 * @title: The pipeline library
 *
 * Pipeline templates installed like plugins: pipeline files found on a
 * search path and referenced by name and version from another pipeline
 * file (`"pipeline": "dedupe@2"`), listed by `setl templates` and shown by
 * `setl inspect TEMPLATE`. docs/composition.md describes templates.
 *
 * The search path, in order: the directories of `SETL_PIPELINE_PATH`
 * (separated by `:`), `$XDG_DATA_HOME/setl/pipelines` (the user's), the
 * system directory (`DATADIR/setl/pipelines`, or the directories of
 * `SETL_PIPELINE_SYSTEM_PATH` when it is set, which tests set empty), then
 * the `templates/` directory beside each installed plugin's module: a
 * plugin ships templates by installing them there.
 *
 * A template called NAME is stored as `NAME.setl.json` or, to keep several
 * versions side by side, `NAME@VERSION.setl.json`; its version is its
 * `"version"` member (1 when it has none). `NAME` and `NAME@latest` mean
 * its highest version; for one version, the first directory of the path
 * wins.
 */

#include "setl-pipeline-compose-private.h"
#include "setl-pipeline-library.h"
#include "setl-pipeline-config.h"

#include <string.h>

static void
add_dirs (GPtrArray  *dirs,
          const char *list)
{
  g_auto(GStrv) parts = g_strsplit (list, G_SEARCHPATH_SEPARATOR_S, -1);

  for (guint i = 0; parts[i] != NULL; i++)
    if (parts[i][0] != '\0' && !g_ptr_array_find_with_equal_func (dirs, parts[i], g_str_equal, NULL))
      g_ptr_array_add (dirs, g_strdup (parts[i]));
}

/**
 * setl_pipeline_library_get_search_path:
 * @registry: (nullable): a plugin registry, whose plugins' `templates/`
 *   directories come last; %NULL for none
 *
 * Returns: (transfer full) (array zero-terminated=1): the directories
 *   templates are looked for in, in order
 */
char **
setl_pipeline_library_get_search_path (SetlPluginRegistry *registry)
{
  GPtrArray *dirs = g_ptr_array_new ();
  const char *env = g_getenv ("SETL_PIPELINE_PATH");
  const char *system = g_getenv ("SETL_PIPELINE_SYSTEM_PATH");
  g_autofree char *user = g_build_filename (g_get_user_data_dir (), "setl", "pipelines", NULL);

  g_return_val_if_fail (registry == NULL || SETL_IS_PLUGIN_REGISTRY (registry), NULL);

  if (env != NULL)
    add_dirs (dirs, env);
  add_dirs (dirs, user);
  add_dirs (dirs, system != NULL ? system : SETL_PIPELINEDIR);
  if (registry != NULL)
    {
      g_autoptr(GPtrArray) plugins = setl_plugin_registry_get_plugins (registry);

      for (guint i = 0; i < plugins->len; i++)
        {
          const char *file = setl_plugin_get_filename (g_ptr_array_index (plugins, i));
          g_autofree char *dir = file ? g_path_get_dirname (file) : NULL;
          g_autofree char *templates = dir ? g_build_filename (dir, "templates", NULL) : NULL;

          if (templates != NULL)
            add_dirs (dirs, templates);
        }
    }
  g_ptr_array_add (dirs, NULL);
  return (char **) g_ptr_array_free (dirs, FALSE);
}

typedef struct
{
  char *path;
  guint version;
} Candidate;

static void
candidate_free (gpointer data)
{
  Candidate *c = data;

  g_free (c->path);
  g_free (c);
}

/* The "version" member, read without loading the file as a pipeline. */
static guint
read_version (const char *path)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root, *version;

  if (!json_parser_load_from_file (parser, path, NULL) ||
      (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return 1;
  version = json_object_get_member (json_node_get_object (root), "version");
  if (version == NULL || !JSON_NODE_HOLDS_VALUE (version) ||
      json_node_get_value_type (version) != G_TYPE_INT64 || json_node_get_int (version) < 1 ||
      json_node_get_int (version) > G_MAXINT32)
    return 1;
  return (guint) json_node_get_int (version);
}

/* The template's name and version a file name gives: NAME.setl.json or
 * NAME@VERSION.setl.json (VERSION 0: read the file). */
static gboolean
parse_file_name (const char *base,
                 char      **name,
                 guint      *version)
{
  g_autofree char *stem = NULL;
  char *at;

  if (!g_str_has_suffix (base, ".setl.json"))
    return FALSE;
  stem = g_strndup (base, strlen (base) - strlen (".setl.json"));
  *version = 0;
  if ((at = strchr (stem, '@')) != NULL)
    {
      guint64 v;

      if (!g_ascii_string_to_unsigned (at + 1, 10, 1, G_MAXINT32, &v, NULL))
        return FALSE;
      *version = (guint) v;
      *at = '\0';
    }
  if (stem[0] == '\0')
    return FALSE;
  *name = g_steal_pointer (&stem);
  return TRUE;
}

static GPtrArray *
known_names (char **dirs)
{
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);

  for (guint d = 0; dirs[d] != NULL; d++)
    {
      g_autoptr(GDir) dir = g_dir_open (dirs[d], 0, NULL);
      const char *base;

      while (dir != NULL && (base = g_dir_read_name (dir)) != NULL)
        {
          char *name = NULL;
          guint version;

          if (!parse_file_name (base, &name, &version))
            continue;
          if (g_ptr_array_find_with_equal_func (names, name, g_str_equal, NULL))
            g_free (name);
          else
            g_ptr_array_add (names, name);
        }
    }
  return names;
}

/**
 * setl_pipeline_library_find:
 * @reference: `NAME`, `NAME@latest` or `NAME@VERSION`
 * @registry: (nullable): also look beside this registry's plugins
 * @error: return location for a #GError
 *
 * Finds a template on the search path.
 *
 * Returns: (transfer full) (type filename) (nullable): the template's
 *   file, or %NULL with @error set (%G_IO_ERROR_NOT_FOUND), naming the
 *   versions there are or the closest known name
 */
char *
setl_pipeline_library_find (const char         *reference,
                            SetlPluginRegistry *registry,
                            GError            **error)
{
  g_auto(GStrv) dirs = setl_pipeline_library_get_search_path (registry);
  g_autofree char *name = g_strdup (reference);
  g_autoptr(GPtrArray) candidates = g_ptr_array_new_with_free_func (candidate_free);
  char *at = strchr (name, '@');
  guint wanted = 0;       /* 0: the latest */
  Candidate *best = NULL;

  g_return_val_if_fail (reference != NULL, NULL);

  if (at != NULL)
    {
      guint64 v;

      *at = '\0';
      if (g_str_equal (at + 1, "latest"))
        wanted = 0;
      else if (g_ascii_string_to_unsigned (at + 1, 10, 1, G_MAXINT32, &v, NULL))
        wanted = (guint) v;
      else
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       "“%s”: a template is referenced as NAME, NAME@latest or NAME@VERSION "
                       "(a positive integer)", reference);
          return NULL;
        }
    }
  if (name[0] == '\0')
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "“%s”: a template reference needs a name", reference);
      return NULL;
    }

  for (guint d = 0; dirs[d] != NULL; d++)
    {
      g_autoptr(GDir) dir = g_dir_open (dirs[d], 0, NULL);
      const char *base;

      while (dir != NULL && (base = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *file_name = NULL;
          guint version;
          Candidate *c;

          if (!parse_file_name (base, &file_name, &version) || !g_str_equal (file_name, name))
            continue;
          c = g_new0 (Candidate, 1);
          c->path = g_build_filename (dirs[d], base, NULL);
          c->version = version ? version : read_version (c->path);
          g_ptr_array_add (candidates, c);
        }
    }

  for (guint i = 0; i < candidates->len; i++)
    {
      Candidate *c = g_ptr_array_index (candidates, i);

      if (wanted != 0 ? c->version == wanted && best == NULL
                      : best == NULL || c->version > best->version)
        best = c;
    }
  if (best != NULL)
    return g_strdup (best->path);

  if (candidates->len > 0)
    {
      GString *versions = g_string_new (NULL);

      for (guint i = 0; i < candidates->len; i++)
        g_string_append_printf (versions, "%s%u", i ? ", " : "",
                                ((Candidate *) g_ptr_array_index (candidates, i))->version);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   "template “%s” has no version %u (it has %s)", name, wanted, versions->str);
      g_string_free (versions, TRUE);
      return NULL;
    }
  {
    g_autoptr(GPtrArray) names = known_names (dirs);
    g_autoptr(GString) message = g_string_new (NULL);
    g_autofree char *path = g_strjoinv (G_SEARCHPATH_SEPARATOR_S, dirs);

    g_string_printf (message, "no template “%s” in the pipeline library (%s)", name,
                     path[0] ? path : "an empty search path");
    _setl_pipeline_file_append_suggestion (message, name, names, "template");
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, message->str);
  }
  return NULL;
}

char *
_setl_pipeline_library_resolve (const char *reference,
                                GError    **error)
{
  g_autoptr(GError) local = NULL;
  char *path = setl_pipeline_library_find (reference, NULL, &local);

  /* The plugins' templates last: finding them may scan the plugins. */
  if (path == NULL && g_error_matches (local, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
    {
      g_clear_error (&local);
      path = setl_pipeline_library_find (reference, setl_plugin_registry_get_default (), &local);
    }
  if (path == NULL)
    g_propagate_error (error, g_steal_pointer (&local));
  return path;
}

/**
 * setl_pipeline_library_load:
 * @reference: `NAME`, `NAME@latest` or `NAME@VERSION`
 * @registry: (nullable): also look beside this registry's plugins
 * @error: return location for a #GError
 *
 * Finds and loads a template.
 *
 * Returns: (transfer full) (nullable): the template, or %NULL with @error set
 */
SetlPipelineFile *
setl_pipeline_library_load (const char         *reference,
                            SetlPluginRegistry *registry,
                            GError            **error)
{
  g_autofree char *path = setl_pipeline_library_find (reference, registry, error);

  return path ? setl_pipeline_file_new_from_file (path, error) : NULL;
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/**
 * setl_pipeline_library_list:
 * @registry: (nullable): also list the templates beside its plugins
 * @errors: (out) (optional) (element-type GError) (transfer full): the
 *   files that did not load, as errors naming them
 *
 * Loads every template on the search path, directory by directory, each
 * directory's in name order. A template may appear twice (the same name
 * and version in two directories): the first is the one used.
 *
 * Returns: (transfer full) (element-type SetlPipelineFile): the templates
 */
GPtrArray *
setl_pipeline_library_list (SetlPluginRegistry *registry,
                            GPtrArray         **errors)
{
  g_auto(GStrv) dirs = setl_pipeline_library_get_search_path (registry);
  GPtrArray *files = g_ptr_array_new_with_free_func (g_object_unref);

  if (errors != NULL)
    *errors = g_ptr_array_new_with_free_func ((GDestroyNotify) g_error_free);
  for (guint d = 0; dirs[d] != NULL; d++)
    {
      g_autoptr(GDir) dir = g_dir_open (dirs[d], 0, NULL);
      g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
      const char *base;

      while (dir != NULL && (base = g_dir_read_name (dir)) != NULL)
        if (g_str_has_suffix (base, ".setl.json"))
          g_ptr_array_add (names, g_strdup (base));
      g_ptr_array_sort (names, compare_strings);
      for (guint i = 0; i < names->len; i++)
        {
          g_autofree char *path = g_build_filename (dirs[d], g_ptr_array_index (names, i), NULL);
          GError *local = NULL;
          SetlPipelineFile *file = setl_pipeline_file_new_from_file (path, &local);

          if (file != NULL)
            g_ptr_array_add (files, file);
          else if (errors != NULL)
            g_ptr_array_add (*errors, local);
          else
            g_error_free (local);
        }
    }
  return files;
}

/**
 * setl_pipeline_file_get_version:
 * @self: a #SetlPipelineFile
 *
 * Returns: the file's `"version"` (a template's version), or 0 if it has none
 */
guint
setl_pipeline_file_get_version (SetlPipelineFile *self)
{
  g_return_val_if_fail (SETL_IS_PIPELINE_FILE (self), 0);
  return _setl_pipeline_compose_get_version (self);
}

/**
 * setl_pipeline_file_is_template:
 * @self: a #SetlPipelineFile
 *
 * Whether the file declares inputs, so that it only runs as a sub-pipeline
 * of another (any pipeline file can be one).
 *
 * Returns: %TRUE if it declares inputs
 */
gboolean
setl_pipeline_file_is_template (SetlPipelineFile *self)
{
  GPtrArray *inputs;

  g_return_val_if_fail (SETL_IS_PIPELINE_FILE (self), FALSE);
  inputs = _setl_pipeline_compose_get_inputs (self);
  return inputs != NULL && inputs->len > 0;
}

/**
 * setl_pipeline_file_describe_template:
 * @self: a #SetlPipelineFile
 *
 * What a person needs to use the file as a template: its name, version,
 * description, parameters (type, default or required, description),
 * inputs, outputs and factories.
 *
 * Returns: (transfer full): the description, as text
 */
char *
setl_pipeline_file_describe_template (SetlPipelineFile *self)
{
  GString *s;
  GPtrArray *params, *inputs, *outputs;
  g_auto(GStrv) factories = NULL;
  guint version;

  g_return_val_if_fail (SETL_IS_PIPELINE_FILE (self), NULL);

  s = g_string_new (NULL);
  version = setl_pipeline_file_get_version (self);
  g_string_append_printf (s, "Template %s", setl_pipeline_file_get_name (self));
  if (version > 0)
    g_string_append_printf (s, "@%u", version);
  g_string_append_printf (s, "\n  File: %s\n", setl_pipeline_file_get_source_name (self));
  if (setl_pipeline_file_get_description (self) != NULL)
    g_string_append_printf (s, "  Description: %s\n", setl_pipeline_file_get_description (self));

  params = _setl_pipeline_compose_get_params (self);
  g_string_append (s, "\nParameters:\n");
  if (params == NULL || params->len == 0)
    g_string_append (s, "  (none)\n");
  for (guint i = 0; params != NULL && i < params->len; i++)
    {
      SetlTemplateParam *p = g_ptr_array_index (params, i);
      g_autofree char *type = NULL;
      g_autofree char *def = NULL;

      if (p->values != NULL)
        {
          g_autofree char *values = g_strjoinv (", ", p->values);

          type = g_strdup_printf ("enum (%s)", values);
        }
      else if (p->items != NULL)
        type = g_strdup_printf ("list of %s", p->items);
      else
        type = g_strdup (p->type);
      if (p->default_value != NULL)
        {
          g_autoptr(JsonGenerator) generator = json_generator_new ();

          json_generator_set_root (generator, p->default_value);
          def = json_generator_to_data (generator, NULL);
        }
      g_string_append_printf (s, "  %-20s %s, %s%s%s%s\n", p->name, type,
                              def ? "default " : "required", def ? def : "",
                              p->description ? " — " : "", p->description ? p->description : "");
    }

  inputs = _setl_pipeline_compose_get_inputs (self);
  g_string_append (s, "\nInputs:\n");
  if (inputs == NULL || inputs->len == 0)
    g_string_append (s, "  (none)\n");
  for (guint i = 0; inputs != NULL && i < inputs->len; i++)
    {
      SetlTemplatePort *p = g_ptr_array_index (inputs, i);

      g_string_append_printf (s, "  %-20s %s\n", p->name, p->description ? p->description : "");
    }

  outputs = _setl_pipeline_compose_get_outputs (self);
  g_string_append (s, "\nOutputs:\n");
  if (outputs == NULL || outputs->len == 0)
    g_string_append (s, "  (every factory, as NAME.FACTORY)\n");
  for (guint i = 0; outputs != NULL && i < outputs->len; i++)
    {
      SetlTemplatePort *p = g_ptr_array_index (outputs, i);

      g_string_append_printf (s, "  %-20s from %s\n", p->name, p->description);
    }

  factories = setl_pipeline_file_list_factories (self);
  g_string_append (s, "\nFactories:\n");
  for (guint i = 0; factories[i] != NULL; i++)
    g_string_append_printf (s, "  %-20s %s\n", factories[i],
                            setl_pipeline_file_get_factory_feature (self, factories[i]));
  return g_string_free (s, FALSE);
}

/* ----------------------------------------------------------------------- */
/* Graphs with sub-pipelines as subgraphs                                   */

static void
append_escaped (GString    *s,
                const char *text,
                gboolean    dot)
{
  for (const char *p = text; *p; p++)
    {
      if (*p == '"')
        g_string_append (s, dot ? "\\\"" : "#quot;");
      else if (*p == '\\' && dot)
        g_string_append (s, "\\\\");
      else if (*p == '\n')
        g_string_append (s, dot ? "\\n" : "<br/>");
      else
        g_string_append_c (s, *p);
    }
}

/* Static conditions prune factories before the run (docs/conditions.md):
 * drawn dashed with the reason, as setl_pipeline_to_dot() does. */
static const char *
pruned_reason (SetlInspector *inspector,
               SetlNode      *node)
{
  return setl_node_is_external (node) ? NULL
         : setl_inspector_get_pruned_reason (inspector, setl_node_get_factory (node));
}

static char *
node_label (SetlInspector *inspector,
            SetlNode      *node)
{
  GString *s;
  SetlCondition *condition;

  if (setl_node_is_external (node))
    return g_strdup_printf ("%s\n%s", setl_node_get_name (node),
                            g_type_name (setl_node_get_output_type (node)));
  s = g_string_new (NULL);
  g_string_printf (s, "%s\nstage %d: %s → %s", setl_node_get_name (node), setl_node_get_stage (node),
                   g_type_name (setl_node_get_factory_type (node)),
                   g_type_name (setl_node_get_output_type (node)));
  if ((condition = setl_factory_get_condition (setl_node_get_factory (node))) != NULL)
    {
      g_autofree char *when = setl_condition_to_string (condition);

      g_string_append_printf (s, "\nwhen: %s", when);
    }
  if (pruned_reason (inspector, node) != NULL)
    g_string_append_printf (s, "\npruned: %s", pruned_reason (inspector, node));
  return g_string_free (s, FALSE);
}

static const char *
parent_group (const char *group,
              GPtrArray  *groups)
{
  const char *best = NULL;

  /* the longest other group that is a prefix "G." of this one */
  for (guint i = 0; i < groups->len; i++)
    {
      const char *g = g_ptr_array_index (groups, i);
      gsize n = strlen (g);

      if (g != group && strncmp (group, g, n) == 0 && group[n] == '.' &&
          (best == NULL || n > strlen (best)))
        best = g;
    }
  return best;
}

static void
draw_group (GString          *s,
            SetlPipelineFile *file,
            SetlInspector    *inspector,
            GPtrArray        *nodes,
            GPtrArray        *groups,
            const char       *group,       /* NULL: the top level */
            guint             depth,
            gboolean          dot)
{
  /* "  " for the top level's nodes and subgraphs, two more per level */
  g_autofree char *indent = g_strnfill (group ? 2 * depth + 2 : 0, ' ');

  if (group != NULL)
    {
      const char *label = _setl_pipeline_compose_get_group_label (file, group);
      guint index = 0;

      g_ptr_array_find (groups, group, &index);
      if (dot)
        {
          g_string_append_printf (s, "%ssubgraph cluster_sub%u {\n%s  label=\"", indent, index, indent);
          append_escaped (s, label ? label : group, TRUE);
          g_string_append_printf (s, "\";\n%s  style=rounded;\n", indent);
        }
      else
        {
          g_string_append_printf (s, "%ssubgraph sub%u[\"", indent, index);
          append_escaped (s, label ? label : group, FALSE);
          g_string_append (s, "\"]\n");
        }
    }
  for (guint i = 0; i < nodes->len; i++)
    {
      SetlNode *node = g_ptr_array_index (nodes, i);
      const char *g = setl_node_is_external (node) ? NULL
                      : _setl_pipeline_compose_get_group (file, setl_node_get_name (node));
      g_autofree char *label = NULL;

      if (g_strcmp0 (g, group) != 0)
        continue;
      label = node_label (inspector, node);
      if (dot)
        {
          g_string_append_printf (s, "%s  n%u [label=\"", indent, i);
          append_escaped (s, label, TRUE);
          g_string_append (s, setl_node_is_external (node) || pruned_reason (inspector, node)
                                ? "\", style=dashed];\n" : "\"];\n");
        }
      else
        {
          g_string_append_printf (s, setl_node_is_external (node) ? "%s  n%u([\"" : "%s  n%u[\"", indent, i);
          append_escaped (s, label, FALSE);
          g_string_append (s, setl_node_is_external (node) ? "\"])\n" : "\"]\n");
        }
    }
  for (guint i = 0; i < groups->len; i++)
    {
      const char *g = g_ptr_array_index (groups, i);

      if (g_strcmp0 (parent_group (g, groups), group) == 0)
        draw_group (s, file, inspector, nodes, groups, g, group ? depth + 1 : depth, dot);
    }
  if (group != NULL)
    g_string_append_printf (s, dot ? "%s}\n" : "%send\n", indent);
}

/**
 * setl_pipeline_file_draw:
 * @self: the #SetlPipelineFile @pipeline was built from
 * @pipeline: a pipeline built by setl_pipeline_file_build()
 * @format: `mermaid` or `dot`
 *
 * Draws @pipeline as setl_pipeline_to_mermaid() and setl_pipeline_to_dot()
 * do, except that when the file uses sub-pipelines each is a subgraph
 * (nested as they are), named after the sub-pipeline and its template,
 * and each factory's label says its stage.
 *
 * Returns: (transfer full): the Mermaid or DOT source
 */
char *
setl_pipeline_file_draw (SetlPipelineFile *self,
                         SetlPipeline     *pipeline,
                         const char       *format)
{
  gboolean dot;
  SetlInspector *inspector;
  GPtrArray *nodes, *flows;
  g_autoptr(GPtrArray) groups = g_ptr_array_new ();
  GString *s;

  g_return_val_if_fail (SETL_IS_PIPELINE_FILE (self), NULL);
  g_return_val_if_fail (SETL_IS_PIPELINE (pipeline), NULL);
  g_return_val_if_fail (format != NULL, NULL);

  dot = g_str_equal (format, "dot");
  inspector = setl_pipeline_get_inspector (pipeline);
  nodes = setl_inspector_get_nodes (inspector);
  flows = setl_inspector_get_flows (inspector);
  for (guint i = 0; i < nodes->len; i++)
    {
      SetlNode *node = g_ptr_array_index (nodes, i);
      const char *g = setl_node_is_external (node) ? NULL
                      : _setl_pipeline_compose_get_group (self, setl_node_get_name (node));

      /* a group and every group around it */
      while (g != NULL)
        {
          const char *dotp = strrchr (g, '.');
          g_autofree char *outer = dotp ? g_strndup (g, dotp - g) : NULL;

          if (!g_ptr_array_find_with_equal_func (groups, g, g_str_equal, NULL))
            g_ptr_array_add (groups, (gpointer) g_intern_string (g));
          g = outer ? g_intern_string (outer) : NULL;
        }
    }
  if (groups->len == 0)
    return dot ? setl_pipeline_to_dot (pipeline) : setl_pipeline_to_mermaid (pipeline);

  s = g_string_new (dot ? "digraph pipeline {\n  rankdir=LR;\n  node [shape=box];\n"
                        : "flowchart LR\n");
  draw_group (s, self, inspector, nodes, groups, NULL, 0, dot);
  for (guint i = 0; i < flows->len; i++)
    {
      SetlFlow *flow = g_ptr_array_index (flows, i);
      guint from = 0, to = 0;
      const char *id = setl_flow_get_delivery_id (flow);
      g_autofree char *label = id && *id
        ? g_strdup_printf ("%s (%s)", setl_delivery_get_name (setl_flow_get_slot (flow)), id)
        : g_strdup (setl_delivery_get_name (setl_flow_get_slot (flow)));

      g_ptr_array_find (nodes, setl_flow_get_from (flow), &from);
      g_ptr_array_find (nodes, setl_flow_get_to (flow), &to);
      if (dot)
        {
          g_string_append_printf (s, "  n%u -> n%u [label=\"", from, to);
          append_escaped (s, label, TRUE);
          g_string_append (s, "\"];\n");
        }
      else
        {
          g_string_append_printf (s, "  n%u -->|\"", from);
          append_escaped (s, label, FALSE);
          g_string_append_printf (s, "\"| n%u\n", to);
        }
    }
  if (dot)
    g_string_append (s, "}\n");
  else
    for (guint i = 0; i < nodes->len; i++)
      if (pruned_reason (inspector, g_ptr_array_index (nodes, i)) != NULL)
        g_string_append_printf (s, "  style n%u stroke-dasharray: 5 5\n", i);
  return g_string_free (s, FALSE);
}
