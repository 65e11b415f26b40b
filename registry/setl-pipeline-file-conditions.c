/* setl-pipeline-file-conditions.c: "when" conditions and branch sets in
 * pipeline files.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * A factory entry may have "when": an expression (docs/conditions.md). A
 * branch set stands where a factory entry stands:
 *
 *   { "name": "load", "branch": [
 *       { "if": "$mode = 'full'", "feature": "csv-source", … },
 *       { "else-if": "$mode = 'delta'", "feature": "csv-source", … },
 *       { "else": true, "feature": "csv-source", … } ] }
 *
 *   { "name": "out", "switch": "$format", "cases": [
 *       { "case": "csv", "feature": "csv-sink", … },
 *       { "case": ["jsonl", "ndjson"], "feature": "jsonl-sink", … },
 *       { "default": true, "feature": "csv-sink", … } ] }
 *
 * Each arm is a factory entry plus its test. The set expands, before the
 * document is loaded, into one factory per arm — named by its "name" or
 * `SET.if`, `SET.elif1`, `SET.else`, `SET.case0`, `SET.default` — whose
 * condition holds when its test does and no earlier arm's does, and a
 * one-of (#SetlOneOf) under the set's name, which delivers the output of
 * the arm that ran: other factories wire to the set's name. An arm is an
 * entry of the "factories" list in every respect, so whatever may stand
 * there (a sub-pipeline, once composition expands those) may be an arm.
 *
 * Positions are kept: an arm moved to the end of the list takes the
 * positions of where it was written, so errors still point into the file.
 */
#include "setl-pipeline-file-conditions-private.h"
#include "setl-pipeline-compose-private.h"

#include <string.h>

typedef struct
{
  char *text;       /* what is evaluated */
  char *label;      /* what people see */
  char *path;       /* JSON pointer of the text, for errors */
  SetlPipelinePos pos;  /* where it was written: composition may rebuild
                         * the positions of a document without it */
} When;

typedef struct
{
  gboolean exhaustive;
  GPtrArray *arms;        /* of char*, arm slot names */
  GHashTable *producers;  /* arm slot → what it is wired to once composed
                           * (a sub-pipeline arm's output factory) */
} OneOfSpec;

typedef struct
{
  GHashTable *when;     /* factory name → When* */
  GHashTable *one_of;   /* factory name → OneOfSpec* */
} FileConditions;

static void
when_free (gpointer data)
{
  When *w = data;

  g_free (w->text);
  g_free (w->label);
  g_free (w->path);
  g_free (w);
}

static void
one_of_spec_free (gpointer data)
{
  OneOfSpec *o = data;

  g_ptr_array_unref (o->arms);
  g_clear_pointer (&o->producers, g_hash_table_unref);
  g_free (o);
}

static void
file_conditions_free (gpointer data)
{
  FileConditions *fc = data;

  g_hash_table_unref (fc->when);
  g_hash_table_unref (fc->one_of);
  g_free (fc);
}

static FileConditions *
file_conditions (SetlPipelineFile *self)
{
  FileConditions *fc = g_object_get_data (G_OBJECT (self), "setl-pf-conditions");

  if (fc == NULL)
    {
      fc = g_new0 (FileConditions, 1);
      fc->when = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, when_free);
      fc->one_of = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, one_of_spec_free);
      g_object_set_data_full (G_OBJECT (self), "setl-pf-conditions", fc, file_conditions_free);
    }
  return fc;
}

/* ----------------------------------------------------------------------- */
/* Positions and errors                                                     */

static SetlPipelinePos
pos_of (SetlPipelineFile *self,
        const char       *path,
        gboolean          key)
{
  SetlPipelinePos *p = g_hash_table_lookup (_setl_pipeline_file_get_positions (self, key), path);
  SetlPipelinePos none = { 1, 1, NULL };

  return p ? *p : none;
}

G_GNUC_PRINTF (5, 6) static gboolean
fail_at (SetlPipelineFile *self,
         GError          **error,
         const char       *path,
         gboolean          key,
         const char       *format,
         ...)
{
  SetlPipelinePos pos = pos_of (self, path, key);
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, SETL_PIPELINE_FILE_ERROR, SETL_PIPELINE_FILE_ERROR_INVALID, "%s:%u:%u: %s",
               pos.source ? pos.source : setl_pipeline_file_get_source_name (self),
               pos.line, pos.column, message);
  return FALSE;
}

G_GNUC_PRINTF (4, 5) static gboolean
fail_at_pos (SetlPipelineFile *self,
             GError          **error,
             SetlPipelinePos   pos,
             const char       *format,
             ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, SETL_PIPELINE_FILE_ERROR, SETL_PIPELINE_FILE_ERROR_INVALID, "%s:%u:%u: %s",
               pos.source ? pos.source : setl_pipeline_file_get_source_name (self),
               pos.line, pos.column, message);
  return FALSE;
}

/* Gives the paths under @to the positions of the paths under @from. */
static void
copy_positions (SetlPipelineFile *self,
                const char       *from,
                const char       *to)
{
  gsize n = strlen (from);

  for (int key = 0; key < 2; key++)
    {
      GHashTable *table = _setl_pipeline_file_get_positions (self, key);
      g_autoptr(GPtrArray) add = g_ptr_array_new ();
      GHashTableIter it;
      gpointer k, v;

      g_hash_table_iter_init (&it, table);
      while (g_hash_table_iter_next (&it, &k, &v))
        if (strncmp (k, from, n) == 0 && (((char *) k)[n] == '\0' || ((char *) k)[n] == '/'))
          {
            g_ptr_array_add (add, g_strconcat (to, (char *) k + n, NULL));
            g_ptr_array_add (add, g_memdup2 (v, sizeof (SetlPipelinePos)));
          }
      for (guint i = 0; i + 1 < add->len; i += 2)
        g_hash_table_insert (table, g_ptr_array_index (add, i), g_ptr_array_index (add, i + 1));
    }
}

static char *
child_path (const char *parent,
            const char *member)
{
  GString *s = g_string_new (parent);

  g_string_append_c (s, '/');
  for (const char *c = member; *c; c++)
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

/* ----------------------------------------------------------------------- */
/* Expansion                                                                */

/* Checks a factory entry's "when" (@member, NULL when it has none). */
static gboolean
check_when (SetlPipelineFile *self,
            JsonNode         *member,
            const char       *when_path,
            const char       *name,
            GError          **error)
{
  g_autoptr(SetlExprCondition) check = NULL;
  GError *local = NULL;

  if (member == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (member) || json_node_get_value_type (member) != G_TYPE_STRING)
    return fail_at (self, error, when_path, FALSE,
                    "a factory's “when” must be a string (an expression such as "
                    "\"$orders.row_count > 0\")");
  check = setl_expr_condition_new (json_node_get_string (member), &local);
  if (check == NULL)
    {
      fail_at (self, error, when_path, FALSE, "the “when” of factory “%s”: %s",
               name ? name : "?", local->message);
      g_error_free (local);
      return FALSE;
    }
  return TRUE;
}

/* The first pass's take on an arm: its condition goes into the document
 * as its "when" (with its label beside it), so that composition rewrites
 * it into each instance's names when the set is in a template (and puts a
 * sub-pipeline arm's on every factory inside it), and the second pass
 * takes it as any other "when". */
static gboolean
put_when (SetlPipelineFile *self,
          JsonObject       *object,
          const char       *path,
          const char       *name,
          const char       *arm_text,
          const char       *arm_label,
          GError          **error)
{
  JsonNode *member = json_object_get_member (object, "when");
  g_autofree char *when_path = child_path (path, "when");
  g_autofree char *text = NULL;
  g_autofree char *label = NULL;

  if (!check_when (self, member, when_path, name, error))
    return FALSE;
  if (member != NULL)
    {
      text = g_strdup_printf ("(%s) and coalesce((%s), false)", arm_text, json_node_get_string (member));
      label = g_strdup_printf ("%s, when %s", arm_label, json_node_get_string (member));
    }
  else
    {
      GHashTable *values = _setl_pipeline_file_get_positions (self, FALSE);
      SetlPipelinePos pos = pos_of (self, path, FALSE);

      /* errors about the test point at the arm */
      text = g_strdup (arm_text);
      label = g_strdup (arm_label);
      g_hash_table_replace (values, g_strdup (when_path), g_memdup2 (&pos, sizeof pos));
    }
  json_object_set_string_member (object, "when", text);
  json_object_set_string_member (object, SETL_PIPELINE_ARM_LABEL_MEMBER, label);
  return TRUE;
}

/* The second pass's take on a one-of that the first pass wrote (marked
 * SETL_PIPELINE_ONE_OF_MEMBER): its arms are its input slots. Composition
 * may have renamed it and what its slots are wired to, never its slots. */
static void
take_one_of (SetlPipelineFile *self,
             JsonObject       *object,
             const char       *name)
{
  JsonNode *marker = json_object_get_member (object, SETL_PIPELINE_ONE_OF_MEMBER);
  JsonNode *inputs = json_object_get_member (object, "inputs");
  JsonNode *exhaustive;
  OneOfSpec *spec;
  g_autoptr(GList) slots = NULL;

  if (marker == NULL)
    return;
  if (name != NULL && JSON_NODE_HOLDS_OBJECT (marker) && inputs != NULL && JSON_NODE_HOLDS_OBJECT (inputs))
    {
      exhaustive = json_object_get_member (json_node_get_object (marker), "exhaustive");
      spec = g_new0 (OneOfSpec, 1);
      spec->arms = g_ptr_array_new_with_free_func (g_free);
      spec->exhaustive = exhaustive != NULL && JSON_NODE_HOLDS_VALUE (exhaustive) &&
                         json_node_get_value_type (exhaustive) == G_TYPE_BOOLEAN &&
                         json_node_get_boolean (exhaustive);
      slots = json_object_get_members (json_node_get_object (inputs));
      for (GList *l = slots; l != NULL; l = l->next)
        g_ptr_array_add (spec->arms, g_strdup (l->data));
      g_hash_table_replace (file_conditions (self)->one_of, g_strdup (name), spec);
    }
  json_object_remove_member (object, SETL_PIPELINE_ONE_OF_MEMBER);
}

/* Marks a one-of entry the first pass writes, for take_one_of. */
static void
mark_one_of (JsonObject *object,
             gboolean    exhaustive)
{
  JsonObject *marker = json_object_new ();

  json_object_set_boolean_member (marker, "exhaustive", exhaustive);
  json_object_set_object_member (object, SETL_PIPELINE_ONE_OF_MEMBER, marker);
}

/* Takes "when" off a factory entry @object (at @path, named @name) and
 * records it, ANDed with @arm_text when the entry is an arm. */
static gboolean
take_when (SetlPipelineFile *self,
           JsonObject       *object,
           const char       *path,
           const char       *name,
           const char       *arm_text,
           const char       *arm_label,
           GError          **error)
{
  JsonNode *member = json_object_get_member (object, "when");
  JsonNode *label_node = json_object_get_member (object, SETL_PIPELINE_ARM_LABEL_MEMBER);
  g_autofree char *when_path = child_path (path, "when");
  g_autofree char *own_label = NULL;
  When *w;

  if (!check_when (self, member, when_path, name, error))
    return FALSE;
  /* an arm written into the document by the first pass (put_when) */
  if (label_node != NULL && JSON_NODE_HOLDS_VALUE (label_node) &&
      json_node_get_value_type (label_node) == G_TYPE_STRING)
    own_label = g_strdup (json_node_get_string (label_node));
  if (label_node != NULL)
    json_object_remove_member (object, SETL_PIPELINE_ARM_LABEL_MEMBER);
  if (member == NULL && arm_text == NULL)
    return TRUE;

  w = g_new0 (When, 1);
  if (member != NULL)
    {
      const char *text = json_node_get_string (member);

      if (arm_text != NULL)
        {
          w->text = g_strdup_printf ("(%s) and coalesce((%s), false)", arm_text, text);
          w->label = g_strdup_printf ("%s, when %s", arm_label, text);
        }
      else
        {
          w->text = g_strdup (text);
          w->label = own_label ? g_steal_pointer (&own_label) : g_strdup (text);
        }
      w->path = g_strdup (when_path);
      w->pos = pos_of (self, when_path, FALSE);
      json_object_remove_member (object, "when");
    }
  else
    {
      w->text = g_strdup (arm_text);
      w->label = g_strdup (arm_label);
      w->path = g_strdup (path);
      w->pos = pos_of (self, path, FALSE);
    }
  if (name != NULL)
    g_hash_table_replace (file_conditions (self)->when, g_strdup (name), w);
  else
    when_free (w);
  return TRUE;
}

/* A JSON scalar as an expression literal. */
static char *
literal_of (JsonNode *node)
{
  GType t;

  if (!JSON_NODE_HOLDS_VALUE (node))
    return NULL;
  t = json_node_get_value_type (node);
  if (t == G_TYPE_STRING)
    {
      GString *s = g_string_new ("'");

      for (const char *c = json_node_get_string (node); *c; c++)
        {
          if (*c == '\'')
            g_string_append_c (s, '\'');
          g_string_append_c (s, *c);
        }
      g_string_append_c (s, '\'');
      return g_string_free (s, FALSE);
    }
  if (t == G_TYPE_INT64)
    return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
  if (t == G_TYPE_DOUBLE)
    {
      char buf[G_ASCII_DTOSTR_BUF_SIZE];

      return g_strdup (g_ascii_dtostr (buf, sizeof buf, json_node_get_double (node)));
    }
  if (t == G_TYPE_BOOLEAN)
    return g_strdup (json_node_get_boolean (node) ? "true" : "false");
  return NULL;
}

typedef struct
{
  JsonNode *node;       /* the arm's factory entry (a copy, owned) */
  char *name;
  char *from_path;      /* where it was written */
} Arm;

static void
arm_free (gpointer data)
{
  Arm *a = data;

  json_node_unref (a->node);
  g_free (a->name);
  g_free (a->from_path);
  g_free (a);
}

/* Expands the branch set @object into @arms and its one-of. */
static gboolean
expand_set (SetlPipelineFile *self,
            JsonObject       *object,
            const char       *path,
            const char       *set_name,
            gboolean          object_form,
            gboolean          sets_only,
            GPtrArray        *arms,
            JsonNode        **one_of,
            GError          **error)
{
  gboolean is_switch = json_object_has_member (object, "switch");
  const char *list_member = is_switch ? "cases" : "branch";
  g_autofree char *list_path = child_path (path, list_member);
  JsonNode *list = json_object_get_member (object, list_member);
  const char *subject = NULL;
  g_autoptr(GString) before = g_string_new (NULL);   /* earlier tests, ORed */
  g_autoptr(GString) seen_values = g_string_new (NULL);
  gboolean exhaustive = FALSE;
  g_autoptr(JsonObject) one_of_object = NULL;
  g_autoptr(JsonObject) inputs = NULL;
  OneOfSpec *spec;
  GList *members;

  members = json_object_get_members (object);
  for (GList *l = members; l != NULL; l = l->next)
    {
      static const char * const known[] = { "name", "description", "branch", "switch", "cases", NULL };

      if (!g_strv_contains (known, l->data))
        {
          g_autofree char *p = child_path (path, l->data);

          g_list_free (members);
          return fail_at (self, error, p, TRUE,
                          "unknown member “%s” in branch set “%s” (it has “%s”%s; each arm is a factory entry)",
                          (char *) l->data, set_name, list_member, is_switch ? " and “switch”" : "");
        }
    }
  g_list_free (members);

  if (is_switch)
    {
      JsonNode *s = json_object_get_member (object, "switch");
      g_autofree char *p = child_path (path, "switch");
      g_autoptr(SetlExprCondition) check = NULL;
      GError *local = NULL;

      if (!JSON_NODE_HOLDS_VALUE (s) || json_node_get_value_type (s) != G_TYPE_STRING)
        return fail_at (self, error, p, FALSE, "“switch” of branch set “%s” must be a string: the expression switched on", set_name);
      subject = json_node_get_string (s);
      /* Parsed as a condition only for its syntax and its names. */
      check = setl_expr_condition_new (subject, &local);
      if (check == NULL)
        {
          fail_at (self, error, p, FALSE, "the “switch” of branch set “%s”: %s", set_name, local->message);
          g_error_free (local);
          return FALSE;
        }
    }
  if (list == NULL || !JSON_NODE_HOLDS_ARRAY (list) || json_array_get_length (json_node_get_array (list)) == 0)
    return fail_at (self, error, list == NULL ? path : list_path, list == NULL,
                    "branch set “%s” needs “%s”: a non-empty array of arms", set_name, list_member);

  spec = g_new0 (OneOfSpec, 1);
  spec->arms = g_ptr_array_new_with_free_func (g_free);
  g_hash_table_replace (file_conditions (self)->one_of, g_strdup (set_name), spec);
  one_of_object = json_object_new ();
  inputs = json_object_new ();

  for (guint i = 0; i < json_array_get_length (json_node_get_array (list)); i++)
    {
      JsonNode *el = json_array_get_element (json_node_get_array (list), i);
      g_autofree char *arm_path = g_strdup_printf ("%s/%u", list_path, i);
      g_autofree char *test = NULL;      /* this arm's own test */
      g_autofree char *label = NULL;
      g_autofree char *text = NULL;
      g_autofree char *default_name = NULL;
      const char *kw = NULL;
      JsonObject *arm_object;
      JsonNode *name_node;
      Arm *arm;
      guint n_kw = 0;
      static const char * const if_kws[] = { "if", "else-if", "else" };
      static const char * const switch_kws[] = { "case", "default" };
      const char * const *kws = is_switch ? switch_kws : if_kws;

      if (!JSON_NODE_HOLDS_OBJECT (el))
        return fail_at (self, error, arm_path, FALSE, "an arm of branch set “%s” must be an object: a factory entry with “%s”",
                        set_name, kws[0]);
      if (exhaustive)
        return fail_at (self, error, arm_path, FALSE, "branch set “%s”: no arm may follow its “%s”",
                        set_name, is_switch ? "default" : "else");
      arm = g_new0 (Arm, 1);
      arm->node = json_node_copy (el);
      arm->from_path = g_strdup (arm_path);
      g_ptr_array_add (arms, arm);
      arm_object = json_node_get_object (arm->node);
      for (guint k = 0; k < (is_switch ? 2u : 3u); k++)
        if (json_object_has_member (arm_object, kws[k]))
          {
            kw = kws[k];
            n_kw++;
          }
      if (n_kw != 1)
        return fail_at (self, error, arm_path, FALSE,
                        is_switch ? "arm %u of branch set “%s” needs exactly one of “case” and “default”"
                                  : "arm %u of branch set “%s” needs exactly one of “if”, “else-if” and “else”",
                        i, set_name);
      {
        g_autofree char *kw_path = child_path (arm_path, kw);
        JsonNode *v = json_object_get_member (arm_object, kw);

        if (!is_switch && (i == 0) != g_str_equal (kw, "if"))
          return fail_at (self, error, kw_path, TRUE, i == 0 ? "branch set “%s” starts with “if”"
                                                           : "branch set “%s” has one “if”, first: use “else-if”", set_name);
        if (g_str_equal (kw, "else") || g_str_equal (kw, "default"))
          {
            if (!JSON_NODE_HOLDS_VALUE (v) || json_node_get_value_type (v) != G_TYPE_BOOLEAN || !json_node_get_boolean (v))
              return fail_at (self, error, kw_path, FALSE, "“%s” is written \"%s\": true", kw, kw);
            exhaustive = TRUE;
            label = g_strdup_printf ("%s: %s", set_name, kw);
          }
        else if (g_str_equal (kw, "case"))
          {
            g_autoptr(GString) values = g_string_new (NULL);
            JsonArray *many = JSON_NODE_HOLDS_ARRAY (v) ? json_node_get_array (v) : NULL;
            guint n = many ? json_array_get_length (many) : 1;

            for (guint j = 0; j < n; j++)
              {
                g_autofree char *lit = literal_of (many ? json_array_get_element (many, j) : v);

                if (lit == NULL)
                  return fail_at (self, error, kw_path, FALSE, "a “case” is a string, a number, a bool, or an array of them");
                g_string_append_printf (values, "%s%s", j ? ", " : "", lit);
              }
            if (n == 0)
              return fail_at (self, error, kw_path, FALSE, "a “case” is a string, a number, a bool, or an array of them");
            test = g_strdup_printf ("(%s) in (%s)", subject, values->str);
            label = g_strdup_printf ("%s: case %s", set_name, values->str);
            g_string_append_printf (seen_values, "%s%s", seen_values->len ? ", " : "", values->str);
          }
        else
          {
            g_autoptr(SetlExprCondition) check = NULL;
            GError *local = NULL;

            if (!JSON_NODE_HOLDS_VALUE (v) || json_node_get_value_type (v) != G_TYPE_STRING)
              return fail_at (self, error, kw_path, FALSE, "“%s” must be a string: the arm's test", kw);
            check = setl_expr_condition_new (json_node_get_string (v), &local);
            if (check == NULL)
              {
                fail_at (self, error, kw_path, FALSE, "“%s” of branch set “%s”: %s", kw, set_name, local->message);
                g_error_free (local);
                return FALSE;
              }
            test = g_strdup_printf ("(%s)", json_node_get_string (v));
            label = g_strdup_printf ("%s: %s %s", set_name, kw, json_node_get_string (v));
          }
        json_object_remove_member (arm_object, kw);
      }

      /* This arm runs when its test holds and no earlier one's did; null
       * counts as false, as for every condition. */
      if (test != NULL && before->len > 0)
        text = g_strdup_printf ("coalesce(%s, false) and not coalesce(%s, false)", test, before->str);
      else if (test != NULL)
        text = g_strdup_printf ("coalesce(%s, false)", test);
      else if (before->len > 0)
        text = g_strdup_printf ("not coalesce(%s, false)", before->str);
      else
        text = g_strdup ("true");
      if (test != NULL)
        g_string_append_printf (before, "%s%s", before->len ? " or " : "", test);

      if (is_switch)
        default_name = g_str_equal (kw, "default") ? g_strdup_printf ("%s.default", set_name)
                                                  : g_strdup_printf ("%s.case%u", set_name, i);
      else
        default_name = g_str_equal (kw, "if") ? g_strdup_printf ("%s.if", set_name)
                       : g_str_equal (kw, "else") ? g_strdup_printf ("%s.else", set_name)
                       : g_strdup_printf ("%s.elif%u", set_name, i);
      name_node = json_object_get_member (arm_object, "name");
      if (name_node != NULL && JSON_NODE_HOLDS_VALUE (name_node) &&
          json_node_get_value_type (name_node) == G_TYPE_STRING)
        arm->name = g_strdup (json_node_get_string (name_node));
      else if (name_node == NULL)
        {
          arm->name = g_strdup (default_name);
          if (!object_form)
            json_object_set_string_member (arm_object, "name", arm->name);
        }
      else
        return fail_at (self, error, arm_path, FALSE, "an arm's “name” must be a string");
      if (object_form && name_node != NULL)
        json_object_remove_member (arm_object, "name");

      /* The arm's condition goes into the document: composition rewrites
       * it into each instance's names when the set is in a template, and
       * puts a sub-pipeline arm's on every factory inside it. */
      if (sets_only)
        {
          if (!put_when (self, arm_object, arm_path, arm->name, text, label, error))
            return FALSE;
        }
      else if (!take_when (self, arm_object, arm_path, arm->name, text, label, error))
        return FALSE;
      g_ptr_array_add (spec->arms, g_strdup (arm->name));
      json_object_set_string_member (inputs, arm->name, arm->name);
    }
  spec->exhaustive = exhaustive;

  if (!object_form)
    json_object_set_string_member (one_of_object, "name", set_name);
  json_object_set_string_member (one_of_object, "feature", SETL_PIPELINE_ONE_OF_FEATURE);
  if (json_object_has_member (object, "description"))
    json_object_set_member (one_of_object, "description",
                            json_node_copy (json_object_get_member (object, "description")));
  json_object_set_object_member (one_of_object, "inputs", g_steal_pointer (&inputs));
  if (sets_only)
    mark_one_of (one_of_object, exhaustive);
  *one_of = json_node_init_object (json_node_alloc (), one_of_object);
  return TRUE;
}

/* "inputs": { "in": { "one_of": ["a", "b"] } } — the slot takes the
 * output of whichever of a and b ran: a one-of entry, named
 * CONSUMER.SLOT.one_of, is added after the others and the slot wired to it.
 * The producers are taken to be exclusive (a run where both deliver
 * fails); one that may run none makes the consumer skipped, as any
 * skipped producer of a required input does. */
static gboolean
expand_one_of_inputs (SetlPipelineFile *self,
                      JsonObject       *entry,
                      const char       *path,
                      const char       *name,
                      gboolean          object_form,
                      gboolean          sets_only,
                      GPtrArray        *tail,
                      GError          **error)
{
  JsonNode *inputs_node = json_object_get_member (entry, "inputs");
  g_autofree char *inputs_path = child_path (path, "inputs");
  JsonObject *inputs;
  GList *members;

  if (name == NULL || inputs_node == NULL || !JSON_NODE_HOLDS_OBJECT (inputs_node))
    return TRUE;
  inputs = json_node_get_object (inputs_node);
  members = json_object_get_members (inputs);
  for (GList *l = members; l != NULL; l = l->next)
    {
      JsonNode *v = json_object_get_member (inputs, l->data);
      g_autofree char *slot_path = child_path (inputs_path, l->data);
      g_autofree char *list_path = child_path (slot_path, "one_of");
      JsonNode *list;
      JsonObject *one_of_object, *arm_inputs;
      OneOfSpec *spec;
      Arm *entry_arm;
      char *one_of_name;

      if (!JSON_NODE_HOLDS_OBJECT (v))
        continue;
      list = json_object_get_member (json_node_get_object (v), "one_of");
      if (list == NULL || json_object_get_size (json_node_get_object (v)) != 1 ||
          !JSON_NODE_HOLDS_ARRAY (list) || json_array_get_length (json_node_get_array (list)) < 2)
        {
          fail_at (self, error, slot_path, FALSE,
                   "input “%s” of factory “%s”: an object here is {\"one_of\": [\"FACTORY\", \"FACTORY\", …]} "
                   "(two factories or more)", (char *) l->data, name);
          g_list_free (members);
          return FALSE;
        }
      one_of_name = g_strdup_printf ("%s.%s.one_of", name, (char *) l->data);
      spec = g_new0 (OneOfSpec, 1);
      spec->arms = g_ptr_array_new_with_free_func (g_free);
      spec->exhaustive = TRUE;
      one_of_object = json_object_new ();
      arm_inputs = json_object_new ();
      for (guint i = 0; i < json_array_get_length (json_node_get_array (list)); i++)
        {
          JsonNode *p = json_array_get_element (json_node_get_array (list), i);

          if (!JSON_NODE_HOLDS_VALUE (p) || json_node_get_value_type (p) != G_TYPE_STRING)
            {
              g_autofree char *p_path = g_strdup_printf ("%s/%u", list_path, i);

              g_list_free (members);
              g_free (one_of_name);
              one_of_spec_free (spec);
              json_object_unref (one_of_object);
              json_object_unref (arm_inputs);
              return fail_at (self, error, p_path, FALSE, "“one_of” lists factory names");
            }
          g_ptr_array_add (spec->arms, g_strdup (json_node_get_string (p)));
          json_object_set_string_member (arm_inputs, json_node_get_string (p), json_node_get_string (p));
        }
      g_hash_table_replace (file_conditions (self)->one_of, g_strdup (one_of_name), spec);
      if (!object_form)
        json_object_set_string_member (one_of_object, "name", one_of_name);
      json_object_set_string_member (one_of_object, "feature", SETL_PIPELINE_ONE_OF_FEATURE);
      json_object_set_object_member (one_of_object, "inputs", arm_inputs);
      if (sets_only)
        mark_one_of (one_of_object, TRUE);
      entry_arm = g_new0 (Arm, 1);
      entry_arm->node = json_node_init_object (json_node_alloc (), one_of_object);
      json_object_unref (one_of_object);
      entry_arm->name = one_of_name;
      entry_arm->from_path = g_strdup (slot_path);
      g_ptr_array_add (tail, entry_arm);
      json_object_set_string_member (inputs, l->data, one_of_name);
    }
  g_list_free (members);
  return TRUE;
}

/* What each one-of's arms are wired to, in the document as it is now:
 * after composition, a sub-pipeline arm's name has become its output's. */
static void
record_producers (SetlPipelineFile *self,
                  JsonNode         *factories)
{
  FileConditions *fc = file_conditions (self);
  gboolean object_form = JSON_NODE_HOLDS_OBJECT (factories);
  g_autoptr(GList) members = object_form ? json_object_get_members (json_node_get_object (factories)) : NULL;
  guint n = object_form ? g_list_length (members) : json_array_get_length (json_node_get_array (factories));
  GList *l = members;

  for (guint i = 0; i < n; i++, l = l ? l->next : NULL)
    {
      JsonNode *entry = object_form ? json_object_get_member (json_node_get_object (factories), l->data)
                                    : json_array_get_element (json_node_get_array (factories), i);
      JsonNode *name_node, *inputs;
      const char *name = object_form ? l->data : NULL;
      OneOfSpec *spec;
      GList *slots;

      if (!JSON_NODE_HOLDS_OBJECT (entry))
        continue;
      name_node = json_object_get_member (json_node_get_object (entry), "name");
      if (name == NULL && name_node != NULL && JSON_NODE_HOLDS_VALUE (name_node) &&
          json_node_get_value_type (name_node) == G_TYPE_STRING)
        name = json_node_get_string (name_node);
      spec = name ? g_hash_table_lookup (fc->one_of, name) : NULL;
      inputs = json_object_get_member (json_node_get_object (entry), "inputs");
      if (spec == NULL || inputs == NULL || !JSON_NODE_HOLDS_OBJECT (inputs))
        continue;
      if (spec->producers == NULL)
        spec->producers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      slots = json_object_get_members (json_node_get_object (inputs));
      for (GList *s = slots; s != NULL; s = s->next)
        {
          JsonNode *v = json_object_get_member (json_node_get_object (inputs), s->data);

          if (JSON_NODE_HOLDS_VALUE (v) && json_node_get_value_type (v) == G_TYPE_STRING)
            g_hash_table_replace (spec->producers, g_strdup (s->data), g_strdup (json_node_get_string (v)));
        }
      g_list_free (slots);
    }
}

static void
node_unref0 (gpointer node)
{
  if (node != NULL)
    json_node_unref (node);
}

static gboolean
is_branch_set (JsonNode *node)
{
  return JSON_NODE_HOLDS_OBJECT (node) &&
         (json_object_has_member (json_node_get_object (node), "branch") ||
          json_object_has_member (json_node_get_object (node), "switch"));
}

/* @sets_only: the first pass, before composition: it expands branch sets
 * and "one_of" inputs, writing what it found into the document (an arm's
 * condition as its "when", a one-of marked), and leaves the factories'
 * "when" there. Composition then rewrites all of it into each instance's
 * names (a sub-pipeline entry's "when" goes on every factory inside it),
 * and the second pass takes it. */
static gboolean
expand (SetlPipelineFile  *self,
        JsonNode          *root,
        gboolean           sets_only,
        GError           **error)
{
  JsonObject *doc;
  JsonNode *factories;
  gboolean object_form;
  g_autoptr(GPtrArray) names = NULL;   /* entry names (object form) */
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func (node_unref0);
  g_autoptr(GPtrArray) tail = g_ptr_array_new_with_free_func (arm_free);  /* appended after */
  guint n;

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return TRUE;   /* the loader says what is wrong */
  doc = json_node_get_object (root);
  factories = json_object_get_member (doc, "factories");
  if (factories == NULL || !(JSON_NODE_HOLDS_ARRAY (factories) || JSON_NODE_HOLDS_OBJECT (factories)))
    return TRUE;
  object_form = JSON_NODE_HOLDS_OBJECT (factories);
  if (object_form)
    names = g_ptr_array_new_with_free_func (g_free);

  if (object_form)
    {
      GList *members = json_object_get_members (json_node_get_object (factories));

      for (GList *l = members; l != NULL; l = l->next)
        {
          g_ptr_array_add (names, g_strdup (l->data));
          g_ptr_array_add (entries, json_node_copy (json_object_get_member (json_node_get_object (factories), l->data)));
        }
      g_list_free (members);
    }
  else
    for (guint i = 0; i < json_array_get_length (json_node_get_array (factories)); i++)
      g_ptr_array_add (entries, json_node_copy (json_array_get_element (json_node_get_array (factories), i)));

  n = entries->len;
  for (guint i = 0; i < n; i++)
    {
      JsonNode *entry = g_ptr_array_index (entries, i);
      g_autofree char *path = object_form ? child_path ("/factories", g_ptr_array_index (names, i))
                                          : g_strdup_printf ("/factories/%u", i);
      const char *name = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (entry))
        continue;
      if (object_form)
        name = g_ptr_array_index (names, i);
      else
        {
          JsonNode *nn = json_object_get_member (json_node_get_object (entry), "name");

          if (nn && JSON_NODE_HOLDS_VALUE (nn) && json_node_get_value_type (nn) == G_TYPE_STRING)
            name = json_node_get_string (nn);
        }

      if (is_branch_set (entry))
        {
          g_autoptr(GPtrArray) arms = g_ptr_array_new_with_free_func (arm_free);
          JsonNode *one_of = NULL;
          Arm *set;

          if (name == NULL)
            return fail_at (self, error, path, FALSE, "a branch set has no “name” (other factories wire to it by name)");
          if (!expand_set (self, json_node_get_object (entry), path, name, object_form, sets_only, arms,
                           &one_of, error))
            return FALSE;
          /* The one-of comes after its arms (it is created from them):
           * the set's place takes the first arm, the rest go at the end. */
          while (arms->len > 0)
            g_ptr_array_add (tail, g_ptr_array_steal_index (arms, 0));
          set = g_new0 (Arm, 1);
          set->node = one_of;
          set->name = g_strdup (name);
          set->from_path = g_strdup (path);
          g_ptr_array_add (tail, set);
          g_ptr_array_index (entries, i) = NULL;
          json_node_unref (entry);
        }
      else
        {
          JsonObject *object = json_node_get_object (entry);

          if (!sets_only)
            take_one_of (self, object, name);
          if (sets_only)
            {
              g_autofree char *when_path = child_path (path, "when");

              /* checked here, where it was written; taken after composition */
              if (!check_when (self, json_object_get_member (object, "when"), when_path, name, error))
                return FALSE;
            }
          else if (!take_when (self, object, path, name, NULL, NULL, error))
            return FALSE;
          if (!expand_one_of_inputs (self, object, path, name, object_form, sets_only, tail, error))
            return FALSE;
        }
    }

  /* Rebuild "factories": entries in place (a set's place empty), then the
   * arms and one-ofs, each with the positions of where it was written. */
  if (object_form)
    {
      JsonObject *out = json_object_new ();

      for (guint i = 0; i < n; i++)
        if (g_ptr_array_index (entries, i) != NULL)
          json_object_set_member (out, g_ptr_array_index (names, i),
                                  json_node_ref (g_ptr_array_index (entries, i)));
      for (guint i = 0; i < tail->len; i++)
        {
          Arm *a = g_ptr_array_index (tail, i);
          g_autofree char *to = child_path ("/factories", a->name);

          if (json_object_has_member (out, a->name) && !g_str_equal (a->from_path, to))
            return fail_at (self, error, a->from_path, FALSE,
                            "a second factory named “%s” (an arm of a branch set)", a->name);
          if (!g_str_equal (a->from_path, to))
            copy_positions (self, a->from_path, to);
          json_object_set_member (out, a->name, json_node_ref (a->node));
        }
      json_object_set_object_member (doc, "factories", out);
    }
  else
    {
      JsonArray *out = json_array_new ();
      guint k = 0;

      for (guint i = 0; i < n; i++)
        {
          JsonNode *e = g_ptr_array_index (entries, i);
          g_autofree char *from = g_strdup_printf ("/factories/%u", i);
          g_autofree char *to = g_strdup_printf ("/factories/%u", k);

          if (e == NULL)
            continue;
          if (k != i)
            copy_positions (self, from, to);
          json_array_add_element (out, json_node_ref (e));
          k++;
        }
      for (guint i = 0; i < tail->len; i++, k++)
        {
          Arm *a = g_ptr_array_index (tail, i);
          g_autofree char *to = g_strdup_printf ("/factories/%u", k);

          copy_positions (self, a->from_path, to);
          json_array_add_element (out, json_node_ref (a->node));
        }
      json_object_set_array_member (doc, "factories", out);
    }
  record_producers (self, json_object_get_member (doc, "factories"));
  return TRUE;
}

gboolean
_setl_pipeline_conditions_expand_sets (SetlPipelineFile  *self,
                                       JsonNode          *root,
                                       GError           **error)
{
  return expand (self, root, TRUE, error);
}

gboolean
_setl_pipeline_conditions_expand (SetlPipelineFile  *self,
                                  JsonNode          *root,
                                  GError           **error)
{
  return expand (self, root, FALSE, error);
}

/* ----------------------------------------------------------------------- */
/* Building                                                                 */

gboolean
_setl_pipeline_conditions_create_factory (SetlPipelineFile  *self,
                                          const char        *name,
                                          GHashTable        *built,
                                          SetlFactory      **factory,
                                          GError           **error)
{
  OneOfSpec *spec = g_hash_table_lookup (file_conditions (self)->one_of, name);
  SetlFactory *first = NULL;
  SetlOneOf *one_of;

  *factory = NULL;
  if (spec == NULL)
    return TRUE;
  /* The arms come before the one-of: any built one gives the type. */
  for (guint i = 0; i < spec->arms->len && first == NULL; i++)
    {
      const char *arm = g_ptr_array_index (spec->arms, i);
      const char *producer = spec->producers ? g_hash_table_lookup (spec->producers, arm) : NULL;

      first = g_hash_table_lookup (built, producer ? producer : arm);
    }
  if (first == NULL)
    {
      g_set_error (error, SETL_PIPELINE_FILE_ERROR, SETL_PIPELINE_FILE_ERROR_INVALID,
                   "%s: branch set “%s”: its arm “%s” was not built",
                   setl_pipeline_file_get_source_name (self), name,
                   (char *) g_ptr_array_index (spec->arms, 0));
      return FALSE;
    }
  one_of = setl_one_of_new (name, setl_factory_get_output_type (first), spec->exhaustive);
  for (guint i = 0; i < spec->arms->len; i++)
    setl_one_of_add_arm (one_of, g_ptr_array_index (spec->arms, i), SETL_TYPE_EXTERNAL,
                         g_ptr_array_index (spec->arms, i));
  setl_factory_set_delivery_id (SETL_FACTORY (one_of), name);
  *factory = SETL_FACTORY (one_of);
  return TRUE;
}

/* A file parameter as a condition parameter, typed. */
static void
set_parameter (SetlPipeline     *pipeline,
               SetlPipelineFile *self,
               const char       *name)
{
  const char *type = setl_pipeline_file_get_parameter_type (self, name);
  const char *text = setl_pipeline_file_get_parameter (self, name);
  GValue v = G_VALUE_INIT;

  if (text == NULL)
    return;
  if (g_strcmp0 (type, "int") == 0)
    {
      g_value_init (&v, G_TYPE_INT64);
      g_value_set_int64 (&v, g_ascii_strtoll (text, NULL, 10));
    }
  else if (g_strcmp0 (type, "double") == 0)
    {
      g_value_init (&v, G_TYPE_DOUBLE);
      g_value_set_double (&v, g_ascii_strtod (text, NULL));
    }
  else if (g_strcmp0 (type, "bool") == 0)
    {
      g_value_init (&v, G_TYPE_BOOLEAN);
      g_value_set_boolean (&v, g_str_equal (text, "true"));
    }
  else
    {
      g_value_init (&v, G_TYPE_STRING);
      g_value_set_string (&v, text);
    }
  setl_pipeline_set_parameter (pipeline, name, &v);
  g_value_unset (&v);
}

/* Reads `$italy.adults.row_count` as the facts of the factory that the
 * sub-pipeline output `italy.adults` stands for: rewrites each reference
 * whose longest prefix naming something is an alias. Returns a new text,
 * or NULL when nothing changes. */
static char *
resolve_aliases (SetlPipelineFile *self,
                 GHashTable       *built,
                 const char       *text,
                 char            **refs)
{
  g_autoptr(GString) out = NULL;

  for (guint r = 0; refs[r] != NULL; r++)
    {
      const char *dot = strrchr (refs[r], '.');

      while (dot != NULL)
        {
          g_autofree char *prefix = g_strndup (refs[r], dot - refs[r]);
          const char *target;
          const char *p;

          if (g_hash_table_contains (built, prefix))
            break;
          target = _setl_pipeline_compose_resolve_alias (self, prefix);
          if (target != NULL)
            {
              g_autofree char *from = g_strconcat ("$", refs[r], NULL);
              g_autofree char *to = g_strconcat ("$", target, dot, NULL);

              if (out == NULL)
                out = g_string_new (text);
              /* whole references only: `$a.b` is not `$a.bc` */
              for (gsize at = 0; (p = strstr (out->str + at, from)) != NULL; )
                {
                  gsize pos = p - out->str, end = pos + strlen (from);

                  if (g_ascii_isalnum (out->str[end]) || out->str[end] == '_' || out->str[end] == '.')
                    {
                      at = end;
                      continue;
                    }
                  g_string_erase (out, pos, strlen (from));
                  g_string_insert (out, pos, to);
                  at = pos + strlen (to);
                }
              break;
            }
          for (p = dot, dot = NULL; p > refs[r] && dot == NULL; )
            if (*--p == '.')
              dot = p;
        }
    }
  return out ? g_string_free (g_steal_pointer (&out), FALSE) : NULL;
}

gboolean
_setl_pipeline_conditions_attach (SetlPipelineFile  *self,
                                  SetlPipeline      *pipeline,
                                  GHashTable        *built,
                                  GError           **error)
{
  FileConditions *fc = file_conditions (self);
  g_auto(GStrv) params = setl_pipeline_file_list_parameters (self);
  g_autoptr(GPtrArray) outer = g_ptr_array_new_with_free_func (g_free);
  GHashTableIter it;
  gpointer key, value;

  for (guint i = 0; params[i] != NULL; i++)
    set_parameter (pipeline, self, params[i]);

  g_hash_table_iter_init (&it, fc->when);
  while (g_hash_table_iter_next (&it, &key, &value))
    {
      When *w = value;
      SetlFactory *factory = g_hash_table_lookup (built, key);
      g_autoptr(SetlExprCondition) condition = NULL;
      g_auto(GStrv) refs = NULL;
      GError *local = NULL;

      condition = setl_expr_condition_new_full (w->text, w->label, &local);
      if (condition == NULL)
        {
          fail_at_pos (self, error, w->pos, "the condition of factory “%s”: %s", (char *) key, local->message);
          g_error_free (local);
          return FALSE;
        }
      refs = setl_condition_get_references (SETL_CONDITION (condition));
      {
        g_autofree char *resolved = resolve_aliases (self, built, w->text, refs);

        if (resolved != NULL)
          {
            g_clear_object (&condition);
            g_clear_pointer (&refs, g_strfreev);
            g_free (w->text);
            w->text = g_steal_pointer (&resolved);
            condition = setl_expr_condition_new_full (w->text, w->label, NULL);
            refs = setl_condition_get_references (SETL_CONDITION (condition));
          }
      }
      /* Every name must be a parameter or a fact of a factory of the file;
       * the inspector checks the stages. */
      for (guint r = 0; refs[r] != NULL; r++)
        {
          const char *dot;
          gboolean known = setl_pipeline_get_parameter (pipeline, refs[r]) != NULL;

          for (dot = strchr (refs[r], '.'); !known && dot != NULL; dot = strchr (dot + 1, '.'))
            {
              g_autofree char *prefix = g_strndup (refs[r], dot - refs[r]);

              known = g_hash_table_contains (built, prefix);
            }
          if (!known)
            return fail_at_pos (self, error, w->pos,
                            "the condition of factory “%s” reads “$%s”, which is neither a parameter "
                            "of the file nor a fact about a factory's output (“$FACTORY.row_count”…)",
                            (char *) key, refs[r]);
        }
      if (factory != NULL)
        setl_factory_set_condition (factory, SETL_CONDITION (condition));
      else
        g_ptr_array_add (outer, g_strdup (key));
    }

  /* A sub-pipeline's entry (an arm, say): its condition is on every
   * factory inside it, NAME.…, ANDed with the factory's own. */
  for (guint i = 0; i < outer->len; i++)
    {
      When *w = g_hash_table_lookup (fc->when, g_ptr_array_index (outer, i));
      g_autofree char *prefix = g_strconcat (g_ptr_array_index (outer, i), ".", NULL);
      GHashTableIter bit;
      gpointer bname, bfactory;

      g_hash_table_iter_init (&bit, built);
      while (g_hash_table_iter_next (&bit, &bname, &bfactory))
        {
          SetlCondition *own = setl_factory_get_condition (bfactory);
          g_autoptr(SetlExprCondition) both = NULL;

          if (!g_str_has_prefix (bname, prefix))
            continue;
          if (own != NULL && SETL_IS_EXPR_CONDITION (own))
            {
              g_autofree char *text = g_strdup_printf ("(%s) and coalesce((%s), false)", w->text,
                                                       setl_expr_condition_get_text (SETL_EXPR_CONDITION (own)));
              g_autofree char *own_label = setl_condition_to_string (own);
              g_autofree char *label = g_strdup_printf ("%s, and %s", w->label, own_label);

              both = setl_expr_condition_new_full (text, label, NULL);
            }
          else
            both = setl_expr_condition_new_full (w->text, w->label, NULL);
          if (both != NULL)
            setl_factory_set_condition (bfactory, SETL_CONDITION (both));
        }
    }
  return TRUE;
}
