/* setl-schema-compatibility.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/**
 * SECTION:setl-schema-compatibility
 * @title: Schema compatibility
 *
 * Whether data written with one version of a schema can be read by code
 * using another, with Confluent Schema Registry's terms:
 *
 * - backward: consumers using the new version can read data written with
 *   the old one (the new version is the reader);
 * - forward: consumers still using the old version can read data written
 *   with the new one (the old version is the reader);
 * - full: both.
 *
 * Both directions come down to one question, "can this reader schema read
 * data written with that writer schema?", answered column by column:
 *
 * - a reader column the writer lacks must be optional (nullable, with a
 *   default, or not required), so that the reader can fill it: adding an
 *   optional column is compatible both ways, adding a required one forward
 *   only, removing a required one backward only;
 * - a writer column the reader lacks is dropped on reading;
 * - a column in both must keep its type, or the reader's type must be a
 *   widening of the writer's (int64 → double, date → timestamp): widening
 *   is backward, narrowing forward, any other change breaks both;
 * - a reader column that is not nullable cannot read a nullable writer
 *   column (nullable → not nullable is forward only, the reverse backward
 *   only), and a required reader column without a default cannot read a
 *   writer column that is not required.
 */
#include "setl-schema-compatibility.h"

G_DEFINE_ENUM_TYPE (SetlSchemaCompatibility, setl_schema_compatibility,
  G_DEFINE_ENUM_VALUE (SETL_SCHEMA_COMPATIBILITY_NONE, "none"),
  G_DEFINE_ENUM_VALUE (SETL_SCHEMA_COMPATIBILITY_BACKWARD, "backward"),
  G_DEFINE_ENUM_VALUE (SETL_SCHEMA_COMPATIBILITY_FORWARD, "forward"),
  G_DEFINE_ENUM_VALUE (SETL_SCHEMA_COMPATIBILITY_FULL, "full"),
  G_DEFINE_ENUM_VALUE (SETL_SCHEMA_COMPATIBILITY_BACKWARD_TRANSITIVE, "backward-transitive"),
  G_DEFINE_ENUM_VALUE (SETL_SCHEMA_COMPATIBILITY_FORWARD_TRANSITIVE, "forward-transitive"),
  G_DEFINE_ENUM_VALUE (SETL_SCHEMA_COMPATIBILITY_FULL_TRANSITIVE, "full-transitive"))

static const char * const mode_names[] = {
  [SETL_SCHEMA_COMPATIBILITY_NONE] = "NONE",
  [SETL_SCHEMA_COMPATIBILITY_BACKWARD] = "BACKWARD",
  [SETL_SCHEMA_COMPATIBILITY_FORWARD] = "FORWARD",
  [SETL_SCHEMA_COMPATIBILITY_FULL] = "FULL",
  [SETL_SCHEMA_COMPATIBILITY_BACKWARD_TRANSITIVE] = "BACKWARD_TRANSITIVE",
  [SETL_SCHEMA_COMPATIBILITY_FORWARD_TRANSITIVE] = "FORWARD_TRANSITIVE",
  [SETL_SCHEMA_COMPATIBILITY_FULL_TRANSITIVE] = "FULL_TRANSITIVE",
};

/**
 * setl_schema_compatibility_to_string:
 * @mode: a #SetlSchemaCompatibility
 *
 * Returns: (transfer none): the mode's name as Confluent spells it, such as
 *   `"BACKWARD_TRANSITIVE"`
 */
const char *
setl_schema_compatibility_to_string (SetlSchemaCompatibility mode)
{
  g_return_val_if_fail ((guint) mode < G_N_ELEMENTS (mode_names), NULL);
  return mode_names[mode];
}

/**
 * setl_schema_compatibility_from_string:
 * @string: a mode name, such as `"BACKWARD"`, `"full_transitive"` or
 *   `"forward-transitive"` (case and `-`/`_` do not matter)
 * @mode: (out): where to store the mode
 *
 * Returns: %TRUE if @string names a mode
 */
gboolean
setl_schema_compatibility_from_string (const char              *string,
                                       SetlSchemaCompatibility *mode)
{
  g_autofree char *normal = NULL;

  g_return_val_if_fail (mode != NULL, FALSE);

  if (string == NULL)
    return FALSE;
  normal = g_ascii_strup (string, -1);
  g_strdelimit (normal, "-", '_');
  for (guint i = 0; i < G_N_ELEMENTS (mode_names); i++)
    if (g_str_equal (normal, mode_names[i]))
      {
        *mode = i;
        return TRUE;
      }
  return FALSE;
}

/**
 * setl_schema_compatibility_is_transitive:
 * @mode: a #SetlSchemaCompatibility
 *
 * Returns: whether @mode checks a new version against every registered
 *   version rather than only the latest
 */
gboolean
setl_schema_compatibility_is_transitive (SetlSchemaCompatibility mode)
{
  return mode == SETL_SCHEMA_COMPATIBILITY_BACKWARD_TRANSITIVE ||
         mode == SETL_SCHEMA_COMPATIBILITY_FORWARD_TRANSITIVE ||
         mode == SETL_SCHEMA_COMPATIBILITY_FULL_TRANSITIVE;
}

/* Whether a reader of @reader_type can read values written as @writer_type
 * without loss. */
static gboolean
type_widens (SetlSchemaColumnType writer_type,
             SetlSchemaColumnType reader_type)
{
  return (writer_type == SETL_SCHEMA_COLUMN_TYPE_INT64 &&
          reader_type == SETL_SCHEMA_COLUMN_TYPE_DOUBLE) ||
         (writer_type == SETL_SCHEMA_COLUMN_TYPE_DATE &&
          reader_type == SETL_SCHEMA_COLUMN_TYPE_TIMESTAMP);
}

/* "version 3", or @fallback for a document not registered yet. */
static char *
version_label (SetlSchema *schema,
               const char *fallback)
{
  if (setl_schema_get_version (schema) > 0)
    return g_strdup_printf ("version %u", setl_schema_get_version (schema));
  return g_strdup (fallback);
}

/* Every reason why @reader cannot read data written with @writer, one
 * sentence each, appended to @problems. @new_is_reader says which one is
 * the new version, to word the sentences as changes from old to new. */
static void
collect_reader_problems (SetlSchema *reader,
                         SetlSchema *writer,
                         gboolean    new_is_reader,
                         GPtrArray  *problems)
{
  g_autofree char *reader_label = version_label (reader, new_is_reader ? "the new version" : "the old version");
  g_autofree char *writer_label = version_label (writer, new_is_reader ? "the old version" : "the new version");
  const char *direction = new_is_reader ? "backward" : "forward";

  for (guint i = 0; i < setl_schema_get_n_columns (reader); i++)
    {
      SetlSchemaColumn *rc = setl_schema_get_column (reader, i);
      const char *name = setl_schema_column_get_name (rc);
      SetlSchemaColumn *wc = setl_schema_lookup_column (writer, name);

      if (wc == NULL)
        {
          if (setl_schema_column_get_optional (rc))
            continue;
          g_ptr_array_add (problems, g_strdup_printf (
            "column “%s”: %s a required column (not nullable, no default) "
            "breaks %s compatibility: readers using %s need it and data written with %s lacks it",
            name, new_is_reader ? "adding" : "removing", direction,
            reader_label, writer_label));
          continue;
        }

      if (setl_schema_column_get_column_type (rc) != setl_schema_column_get_column_type (wc) &&
          !type_widens (setl_schema_column_get_column_type (wc), setl_schema_column_get_column_type (rc)))
        {
          SetlSchemaColumnType old_type, new_type;
          const char *kind;

          old_type = setl_schema_column_get_column_type (new_is_reader ? wc : rc);
          new_type = setl_schema_column_get_column_type (new_is_reader ? rc : wc);
          if (type_widens (old_type, new_type))
            kind = "widening";
          else if (type_widens (new_type, old_type))
            kind = "narrowing";
          else
            kind = "changing";
          g_ptr_array_add (problems, g_strdup_printf (
            "column “%s”: %s its type from %s to %s breaks %s compatibility: "
            "readers using %s (%s) cannot read %s values written with %s",
            name, kind,
            setl_schema_column_type_to_string (old_type),
            setl_schema_column_type_to_string (new_type),
            direction, reader_label,
            setl_schema_column_type_to_string (setl_schema_column_get_column_type (rc)),
            setl_schema_column_type_to_string (setl_schema_column_get_column_type (wc)),
            writer_label));
        }

      if (setl_schema_column_get_nullable (wc) && !setl_schema_column_get_nullable (rc))
        g_ptr_array_add (problems, g_strdup_printf (
          "column “%s”: making it %s breaks %s compatibility: "
          "readers using %s reject the nulls that data written with %s may hold",
          name, new_is_reader ? "not nullable" : "nullable", direction,
          reader_label, writer_label));

      if (!setl_schema_column_get_required (wc) && !setl_schema_column_get_optional (rc))
        g_ptr_array_add (problems, g_strdup_printf (
          "column “%s”: making it %s breaks %s compatibility: "
          "readers using %s need it and data written with %s may lack it",
          name, new_is_reader ? "required" : "not required", direction,
          reader_label, writer_label));
    }
}

/**
 * setl_schema_check_compatibility:
 * @new_schema: the version being registered
 * @old_schema: a version already registered
 * @mode: the compatibility to check; a transitive mode checks the same
 *   thing as its plain form here, since only one old version is given
 * @error: return location for a #GError
 *
 * Checks one pair of versions; #SetlSchemaRegistry calls it once for the
 * latest version, or once per registered version in transitive modes.
 *
 * A refusal is %SETL_SCHEMA_ERROR_INCOMPATIBLE; its message names the
 * versions, then every column at fault with the rule it breaks, such as:
 *
 * |[
 * schema “orders” version 4 is not BACKWARD compatible with version 3:
 * column “qty”: adding a required column (not nullable, no default) breaks
 * backward compatibility: …
 * ]|
 *
 * Returns: %TRUE if @new_schema may follow @old_schema under @mode
 */
gboolean
setl_schema_check_compatibility (SetlSchema              *new_schema,
                                 SetlSchema              *old_schema,
                                 SetlSchemaCompatibility  mode,
                                 GError                 **error)
{
  g_autoptr(GPtrArray) problems = NULL;
  g_autofree char *new_label = NULL;
  g_autofree char *old_label = NULL;
  g_autoptr(GString) message = NULL;
  gboolean backward, forward;

  g_return_val_if_fail (SETL_IS_SCHEMA (new_schema), FALSE);
  g_return_val_if_fail (SETL_IS_SCHEMA (old_schema), FALSE);
  g_return_val_if_fail ((guint) mode < G_N_ELEMENTS (mode_names), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  backward = mode == SETL_SCHEMA_COMPATIBILITY_BACKWARD ||
             mode == SETL_SCHEMA_COMPATIBILITY_BACKWARD_TRANSITIVE ||
             mode == SETL_SCHEMA_COMPATIBILITY_FULL ||
             mode == SETL_SCHEMA_COMPATIBILITY_FULL_TRANSITIVE;
  forward = mode == SETL_SCHEMA_COMPATIBILITY_FORWARD ||
            mode == SETL_SCHEMA_COMPATIBILITY_FORWARD_TRANSITIVE ||
            mode == SETL_SCHEMA_COMPATIBILITY_FULL ||
            mode == SETL_SCHEMA_COMPATIBILITY_FULL_TRANSITIVE;

  problems = g_ptr_array_new_with_free_func (g_free);
  if (backward)
    collect_reader_problems (new_schema, old_schema, TRUE, problems);
  if (forward)
    collect_reader_problems (old_schema, new_schema, FALSE, problems);
  if (problems->len == 0)
    return TRUE;

  new_label = version_label (new_schema, "the new version");
  old_label = version_label (old_schema, "the old version");
  message = g_string_new (NULL);
  g_string_append_printf (message, "schema “%s” %s is not %s compatible with %s: ",
                          setl_schema_get_name (new_schema), new_label,
                          mode_names[mode], old_label);
  for (guint i = 0; i < problems->len; i++)
    {
      if (i > 0)
        g_string_append (message, "; ");
      g_string_append (message, g_ptr_array_index (problems, i));
    }
  g_set_error_literal (error, SETL_SCHEMA_ERROR, SETL_SCHEMA_ERROR_INCOMPATIBLE, message->str);
  return FALSE;
}
