/* test-schema-compat.c: every compatibility rule under every mode, through
 * the registry, and what transitive modes add.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "schema-test-utils.h"

/* One change from version 1 to version 2 of a schema, and whether each
 * direction survives it. A failing direction's message must contain
 * its rule. */
typedef struct {
  const char *name;
  const char *old_columns;
  const char *new_columns;
  const char *column;
  gboolean backward_ok;
  gboolean forward_ok;
  const char *backward_rule;
  const char *forward_rule;
} Change;

#define ID "{\"name\": \"id\", \"type\": \"int64\"}"

static const Change changes[] = {
  { "add-nullable", ID, ID ", {\"name\": \"note\", \"type\": \"string\", \"nullable\": true}",
    "note", TRUE, TRUE, NULL, NULL },
  { "add-defaulted", ID, ID ", {\"name\": \"qty\", \"type\": \"int64\", \"default\": 0}",
    "qty", TRUE, TRUE, NULL, NULL },
  { "add-not-required", ID, ID ", {\"name\": \"qty\", \"type\": \"int64\", \"required\": false}",
    "qty", TRUE, TRUE, NULL, NULL },
  { "add-required", ID, ID ", {\"name\": \"qty\", \"type\": \"int64\"}",
    "qty", FALSE, TRUE, "adding a required column (not nullable, no default) breaks backward compatibility", NULL },
  { "remove-required", ID ", {\"name\": \"qty\", \"type\": \"int64\"}", ID,
    "qty", TRUE, FALSE, NULL, "removing a required column (not nullable, no default) breaks forward compatibility" },
  { "remove-nullable", ID ", {\"name\": \"note\", \"type\": \"string\", \"nullable\": true}", ID,
    "note", TRUE, TRUE, NULL, NULL },
  { "widen", ID ", {\"name\": \"amount\", \"type\": \"int64\"}", ID ", {\"name\": \"amount\", \"type\": \"double\"}",
    "amount", TRUE, FALSE, NULL, "widening its type from int64 to double breaks forward compatibility" },
  { "widen-date", ID ", {\"name\": \"day\", \"type\": \"date\"}", ID ", {\"name\": \"day\", \"type\": \"timestamp\"}",
    "day", TRUE, FALSE, NULL, "widening its type from date to timestamp breaks forward compatibility" },
  { "narrow", ID ", {\"name\": \"amount\", \"type\": \"double\"}", ID ", {\"name\": \"amount\", \"type\": \"int64\"}",
    "amount", FALSE, TRUE, "narrowing its type from double to int64 breaks backward compatibility", NULL },
  { "change-type", ID ", {\"name\": \"code\", \"type\": \"string\"}", ID ", {\"name\": \"code\", \"type\": \"int64\"}",
    "code", FALSE, FALSE, "changing its type from string to int64 breaks backward compatibility",
    "changing its type from string to int64 breaks forward compatibility" },
  { "make-not-nullable", ID ", {\"name\": \"note\", \"type\": \"string\", \"nullable\": true}",
    ID ", {\"name\": \"note\", \"type\": \"string\"}",
    "note", FALSE, TRUE, "making it not nullable breaks backward compatibility", NULL },
  { "make-nullable", ID ", {\"name\": \"note\", \"type\": \"string\"}",
    ID ", {\"name\": \"note\", \"type\": \"string\", \"nullable\": true}",
    "note", TRUE, FALSE, NULL, "making it nullable breaks forward compatibility" },
  { "make-not-required", ID ", {\"name\": \"qty\", \"type\": \"int64\"}",
    ID ", {\"name\": \"qty\", \"type\": \"int64\", \"required\": false}",
    "qty", TRUE, FALSE, NULL, "making it not required breaks forward compatibility" },
};

typedef struct {
  const Change *change;
  SetlSchemaCompatibility mode;
} Case;

static SetlSchema *
schema_with_columns (const char *columns)
{
  g_autofree char *json = g_strdup_printf ("{\"name\": \"orders\", \"columns\": [%s]}", columns);

  return schema_test_parse (json);
}

static void
test_change (gconstpointer data)
{
  const Case *c = data;
  const Change *change = c->change;
  g_autofree char *dir = schema_test_make_tmp_dir ();
  g_autoptr(SetlSchemaRegistry) registry = setl_schema_registry_new (dir);
  g_autoptr(SetlSchema) v1 = schema_with_columns (change->old_columns);
  g_autoptr(SetlSchema) v2 = schema_with_columns (change->new_columns);
  g_autoptr(SetlSchema) stored1 = NULL;
  g_autoptr(SetlSchema) stored2 = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree guint *versions = NULL;
  gsize n_versions;
  gboolean check_backward, check_forward, expect_ok;

  check_backward = c->mode == SETL_SCHEMA_COMPATIBILITY_BACKWARD ||
                   c->mode == SETL_SCHEMA_COMPATIBILITY_BACKWARD_TRANSITIVE ||
                   c->mode == SETL_SCHEMA_COMPATIBILITY_FULL ||
                   c->mode == SETL_SCHEMA_COMPATIBILITY_FULL_TRANSITIVE;
  check_forward = c->mode == SETL_SCHEMA_COMPATIBILITY_FORWARD ||
                  c->mode == SETL_SCHEMA_COMPATIBILITY_FORWARD_TRANSITIVE ||
                  c->mode == SETL_SCHEMA_COMPATIBILITY_FULL ||
                  c->mode == SETL_SCHEMA_COMPATIBILITY_FULL_TRANSITIVE;
  expect_ok = (!check_backward || change->backward_ok) && (!check_forward || change->forward_ok);

  g_assert_true (setl_schema_registry_set_compatibility (registry, "orders", c->mode, &error));
  g_assert_no_error (error);
  stored1 = setl_schema_registry_register (registry, v1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (setl_schema_get_version (stored1), ==, 1);

  stored2 = setl_schema_registry_register (registry, v2, &error);
  if (expect_ok)
    {
      g_assert_no_error (error);
      g_assert_cmpuint (setl_schema_get_version (stored2), ==, 2);
    }
  else
    {
      g_autofree char *column = g_strdup_printf ("column “%s”", change->column);
      g_autofree char *head = g_strdup_printf ("schema “orders” version 2 is not %s compatible with version 1: ",
                                               setl_schema_compatibility_to_string (c->mode));

      g_assert_null (stored2);
      g_assert_error (error, SETL_SCHEMA_ERROR, SETL_SCHEMA_ERROR_INCOMPATIBLE);
      g_test_message ("%s", error->message);
      g_assert_true (g_str_has_prefix (error->message, head));
      g_assert_nonnull (strstr (error->message, column));
      if (check_backward && !change->backward_ok)
        g_assert_nonnull (strstr (error->message, change->backward_rule));
      if (check_forward && !change->forward_ok)
        g_assert_nonnull (strstr (error->message, change->forward_rule));
      /* A direction the mode does not ask for is not reported. */
      if (!check_backward)
        g_assert_null (strstr (error->message, "backward compatibility"));
      if (!check_forward)
        g_assert_null (strstr (error->message, "forward compatibility"));
      g_clear_error (&error);
    }

  versions = setl_schema_registry_list_versions (registry, "orders", &n_versions, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (n_versions, ==, expect_ok ? 2 : 1);

  schema_test_remove_tree (dir);
}

/* The checker on its own, before any version numbers exist. */
static void
test_check_unversioned (void)
{
  g_autoptr(SetlSchema) old = schema_with_columns (ID ", {\"name\": \"a\", \"type\": \"string\"}");
  g_autoptr(SetlSchema) new = schema_with_columns (ID ", {\"name\": \"a\", \"type\": \"bool\"}, "
                                                   "{\"name\": \"b\", \"type\": \"int64\"}");
  g_autoptr(GError) error = NULL;

  g_assert_true (setl_schema_check_compatibility (new, old, SETL_SCHEMA_COMPATIBILITY_NONE, &error));
  g_assert_no_error (error);
  g_assert_true (setl_schema_check_compatibility (new, old, SETL_SCHEMA_COMPATIBILITY_FORWARD, &error) == FALSE);
  g_assert_error (error, SETL_SCHEMA_ERROR, SETL_SCHEMA_ERROR_INCOMPATIBLE);
  g_assert_true (g_str_has_prefix (error->message, "schema “orders” the new version is not FORWARD compatible with the old version"));
  g_clear_error (&error);

  /* Every column at fault is named, not only the first. */
  g_assert_false (setl_schema_check_compatibility (new, old, SETL_SCHEMA_COMPATIBILITY_FULL, &error));
  g_assert_nonnull (strstr (error->message, "column “a”: changing its type from string to bool breaks backward"));
  g_assert_nonnull (strstr (error->message, "column “b”: adding a required column"));
  g_assert_nonnull (strstr (error->message, "column “a”: changing its type from string to bool breaks forward"));
}

/* v1 {id, x int64 nullable} → v2 {id} → v3 {id, x string nullable}: each step
 * is fully compatible with the one before, but v3 changes the type v1 gave
 * x. Plain modes accept v3; transitive modes refuse it, naming version 1. */
static void
test_transitive (gconstpointer data)
{
  SetlSchemaCompatibility transitive = GPOINTER_TO_INT (data);
  SetlSchemaCompatibility plain = transitive == SETL_SCHEMA_COMPATIBILITY_BACKWARD_TRANSITIVE
                                  ? SETL_SCHEMA_COMPATIBILITY_BACKWARD
                                  : transitive == SETL_SCHEMA_COMPATIBILITY_FORWARD_TRANSITIVE
                                  ? SETL_SCHEMA_COMPATIBILITY_FORWARD
                                  : SETL_SCHEMA_COMPATIBILITY_FULL;
  const char *v1_columns = ID ", {\"name\": \"x\", \"type\": \"int64\", \"nullable\": true}";
  const char *v3_columns = ID ", {\"name\": \"x\", \"type\": \"string\", \"nullable\": true}";
  SetlSchemaCompatibility modes[] = { plain, transitive };

  for (guint m = 0; m < G_N_ELEMENTS (modes); m++)
    {
      g_autofree char *dir = schema_test_make_tmp_dir ();
      g_autoptr(SetlSchemaRegistry) registry = setl_schema_registry_new (dir);
      g_autoptr(SetlSchema) v1 = schema_with_columns (v1_columns);
      g_autoptr(SetlSchema) v2 = schema_with_columns (ID);
      g_autoptr(SetlSchema) v3 = schema_with_columns (v3_columns);
      g_autoptr(SetlSchema) stored = NULL;
      g_autoptr(GError) error = NULL;

      g_assert_true (setl_schema_registry_set_compatibility (registry, "orders", modes[m], &error));
      stored = setl_schema_registry_register (registry, v1, &error);
      g_assert_no_error (error);
      g_clear_object (&stored);
      stored = setl_schema_registry_register (registry, v2, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (setl_schema_get_version (stored), ==, 2);
      g_clear_object (&stored);

      stored = setl_schema_registry_register (registry, v3, &error);
      if (modes[m] == plain)
        {
          g_assert_no_error (error);
          g_assert_cmpuint (setl_schema_get_version (stored), ==, 3);
        }
      else
        {
          g_autofree char *head = g_strdup_printf ("schema “orders” version 3 is not %s compatible with version 1: "
                                                   "column “x”: changing its type from int64 to string",
                                                   setl_schema_compatibility_to_string (transitive));

          g_assert_null (stored);
          g_assert_error (error, SETL_SCHEMA_ERROR, SETL_SCHEMA_ERROR_INCOMPATIBLE);
          g_test_message ("%s", error->message);
          g_assert_true (g_str_has_prefix (error->message, head));
        }
      schema_test_remove_tree (dir);
    }
}

/* Non-transitive modes look at the latest version only, even when an older
 * one would refuse; deleting the latest makes the older one count again. */
static void
test_latest_only (void)
{
  g_autofree char *dir = schema_test_make_tmp_dir ();
  g_autoptr(SetlSchemaRegistry) registry = setl_schema_registry_new (dir);
  g_autoptr(SetlSchema) v1 = schema_with_columns (ID ", {\"name\": \"x\", \"type\": \"int64\", \"nullable\": true}");
  g_autoptr(SetlSchema) v2 = schema_with_columns (ID);
  g_autoptr(SetlSchema) v3 = schema_with_columns (ID ", {\"name\": \"x\", \"type\": \"string\", \"nullable\": true}");
  g_autoptr(SetlSchema) stored = NULL;
  g_autoptr(GError) error = NULL;

  g_clear_object (&stored);
  stored = setl_schema_registry_register (registry, v1, &error);
  g_clear_object (&stored);
  stored = setl_schema_registry_register (registry, v2, &error);
  g_assert_no_error (error);
  g_assert_true (setl_schema_registry_delete_version (registry, "orders", 2, &error));
  g_clear_object (&stored);
  stored = setl_schema_registry_register (registry, v3, &error);
  g_assert_error (error, SETL_SCHEMA_ERROR, SETL_SCHEMA_ERROR_INCOMPATIBLE);
  g_assert_nonnull (strstr (error->message, "version 2 is not BACKWARD compatible with version 1"));
  schema_test_remove_tree (dir);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GPtrArray) cases = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);

  g_test_init (&argc, &argv, NULL);

  for (guint mode = SETL_SCHEMA_COMPATIBILITY_NONE; mode <= SETL_SCHEMA_COMPATIBILITY_FULL_TRANSITIVE; mode++)
    for (guint i = 0; i < G_N_ELEMENTS (changes); i++)
      {
        Case *c = g_new0 (Case, 1);
        g_autofree char *mode_name = g_ascii_strdown (setl_schema_compatibility_to_string (mode), -1);
        char *path;

        c->change = &changes[i];
        c->mode = mode;
        g_strdelimit (mode_name, "_", '-');
        path = g_strdup_printf ("/schema/compat/%s/%s", mode_name, changes[i].name);
        g_test_add_data_func (path, c, test_change);
        g_ptr_array_add (cases, c);
        g_ptr_array_add (paths, path);
      }

  g_test_add_func ("/schema/compat/check-unversioned", test_check_unversioned);
  g_test_add_data_func ("/schema/compat/transitive/backward",
                        GINT_TO_POINTER (SETL_SCHEMA_COMPATIBILITY_BACKWARD_TRANSITIVE), test_transitive);
  g_test_add_data_func ("/schema/compat/transitive/forward",
                        GINT_TO_POINTER (SETL_SCHEMA_COMPATIBILITY_FORWARD_TRANSITIVE), test_transitive);
  g_test_add_data_func ("/schema/compat/transitive/full",
                        GINT_TO_POINTER (SETL_SCHEMA_COMPATIBILITY_FULL_TRANSITIVE), test_transitive);
  g_test_add_func ("/schema/compat/latest-only", test_latest_only);

  return g_test_run ();
}
