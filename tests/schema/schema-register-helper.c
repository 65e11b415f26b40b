/* schema-register-helper.c: registers COUNT versions of schema NAME in the
 * registry at DIR, each adding a nullable column named after TAG, so that
 * two copies running at once show whether registration is safe across
 * processes.
 *
 *   schema-register-helper DIR NAME TAG COUNT
 *
 * Prints each registered version on a line; exits 1 at the first error.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <stdlib.h>

#include <setl/setl-schema-registry.h>

int
main (int    argc,
      char **argv)
{
  g_autoptr(SetlSchemaRegistry) registry = NULL;
  guint count;

  if (argc != 5)
    {
      g_printerr ("usage: %s DIR NAME TAG COUNT\n", argv[0]);
      return 1;
    }
  registry = setl_schema_registry_new (argv[1]);
  count = (guint) g_ascii_strtoull (argv[4], NULL, 10);

  for (guint i = 0; i < count; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(SetlSchema) schema = NULL;
      g_autoptr(SetlSchema) stored = NULL;
      g_autofree char *json = NULL;

      json = g_strdup_printf ("{\"name\": \"%s\", \"columns\": ["
                              "{\"name\": \"id\", \"type\": \"int64\"},"
                              "{\"name\": \"%s_%u\", \"type\": \"string\", \"nullable\": true}]}",
                              argv[2], argv[3], i);
      schema = setl_schema_new_from_data (json, -1, "helper", &error);
      if (schema != NULL)
        stored = setl_schema_registry_register (registry, schema, &error);
      if (stored == NULL)
        {
          g_printerr ("%s: %s\n", argv[3], error->message);
          return 1;
        }
      g_print ("%u\n", setl_schema_get_version (stored));
    }
  return 0;
}
