/* setl-schema-registry.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/**
 * SetlSchemaRegistry:
 *
 * Versioned #SetlSchema documents stored by name in a directory, each new
 * version checked against the compatibility mode of its name.
 *
 * |[<!-- language="C" -->
 * g_autoptr(SetlSchemaRegistry) registry = setl_schema_registry_new (NULL);
 * g_autoptr(SetlSchema) draft = setl_schema_new_from_file ("orders.json", &error);
 * g_autoptr(SetlSchema) stored = setl_schema_registry_register (registry, draft, &error);
 * // stored says "version": N; later, anywhere:
 * g_autoptr(SetlSchema) latest = setl_schema_registry_lookup (registry, "orders@latest", &error);
 * ]|
 *
 * The directory is #SetlSchemaRegistry:path: `SETL_SCHEMA_PATH` if set,
 * else `setl/schemas` in the user's data directory. It holds one directory
 * per name, and in it one file per version (`3.json`, the whole document with
 * its `"version"`) and `compatibility.json` when the name's mode is not the
 * default %SETL_SCHEMA_COMPATIBILITY_BACKWARD.
 *
 * Several processes may share a registry. Changes to a name (register,
 * delete, set the mode) take an exclusive lock on the name's `.lock` file, so
 * that a new version is checked against the versions really there and gets a
 * number nobody else takes; each file is written to a temporary file, synced,
 * then linked into place without ever replacing a file, so a reader never
 * sees half a document and a crash leaves no partial version behind. Reading
 * takes no lock.
 *
 * Registering a document equal to a registered version (ignoring its
 * `"version"`) returns that version instead of adding one, so registering
 * the same schema twice — a plugin at each start, say — is harmless.
 *
 * A version file that cannot be read back (edited by hand, truncated) fails
 * with %SETL_SCHEMA_ERROR_CORRUPT naming the file and line; the other
 * versions stay readable, and it is never overwritten.
 */
#include "setl-schema-registry.h"
#include "setl-schema-private.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include <glib/gstdio.h>

#define COMPATIBILITY_FILE "compatibility.json"
#define LOCK_FILE ".lock"

struct _SetlSchemaRegistry
{
  GObject parent_instance;

  char *path;
};

enum {
  PROP_0,
  PROP_PATH,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (SetlSchemaRegistry, setl_schema_registry, G_TYPE_OBJECT)

static void
setl_schema_registry_finalize (GObject *object)
{
  SetlSchemaRegistry *self = SETL_SCHEMA_REGISTRY (object);

  g_free (self->path);

  G_OBJECT_CLASS (setl_schema_registry_parent_class)->finalize (object);
}

static void
setl_schema_registry_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  SetlSchemaRegistry *self = SETL_SCHEMA_REGISTRY (object);

  switch (prop_id)
    {
    case PROP_PATH:
      g_value_set_string (value, self->path);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
setl_schema_registry_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  SetlSchemaRegistry *self = SETL_SCHEMA_REGISTRY (object);

  switch (prop_id)
    {
    case PROP_PATH:
      self->path = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
setl_schema_registry_constructed (GObject *object)
{
  SetlSchemaRegistry *self = SETL_SCHEMA_REGISTRY (object);

  G_OBJECT_CLASS (setl_schema_registry_parent_class)->constructed (object);

  if (self->path == NULL || *self->path == '\0')
    {
      const char *env = g_getenv ("SETL_SCHEMA_PATH");

      g_free (self->path);
      if (env != NULL && *env != '\0')
        self->path = g_strdup (env);
      else
        self->path = g_build_filename (g_get_user_data_dir (), "setl", "schemas", NULL);
    }
}

static void
setl_schema_registry_class_init (SetlSchemaRegistryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = setl_schema_registry_finalize;
  object_class->get_property = setl_schema_registry_get_property;
  object_class->set_property = setl_schema_registry_set_property;
  object_class->constructed = setl_schema_registry_constructed;

  /**
   * SetlSchemaRegistry:path:
   *
   * The directory holding the schemas. When constructed with %NULL or an
   * empty string, `SETL_SCHEMA_PATH` if it is set and not empty, else
   * `setl/schemas` under g_get_user_data_dir(). It is created when a first
   * schema is registered.
   */
  properties[PROP_PATH] =
    g_param_spec_string ("path", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
setl_schema_registry_init (SetlSchemaRegistry *self)
{
}

/**
 * setl_schema_registry_new:
 * @path: (nullable) (type filename): the registry's directory, or %NULL for
 *   the default (see #SetlSchemaRegistry:path)
 *
 * Opens a registry. Nothing is read or created until it is used.
 *
 * Returns: (transfer full): a new #SetlSchemaRegistry
 */
SetlSchemaRegistry *
setl_schema_registry_new (const char *path)
{
  return g_object_new (SETL_TYPE_SCHEMA_REGISTRY, "path", path, NULL);
}

/**
 * setl_schema_registry_get_path:
 * @self: a #SetlSchemaRegistry
 *
 * Returns: (transfer none) (type filename): the registry's directory
 */
const char *
setl_schema_registry_get_path (SetlSchemaRegistry *self)
{
  g_return_val_if_fail (SETL_IS_SCHEMA_REGISTRY (self), NULL);
  return self->path;
}

static gboolean
check_name (const char  *name,
            GError     **error)
{
  if (setl_schema_is_valid_name (name))
    return TRUE;
  g_set_error (error, SETL_SCHEMA_ERROR, SETL_SCHEMA_ERROR_INVALID_REFERENCE,
               "“%s” is not a schema name: use letters, digits, “_”, “-” and “.”, "
               "not starting with “.” or “-”", name);
  return FALSE;
}

static char *
name_dir (SetlSchemaRegistry *self,
          const char         *name)
{
  return g_build_filename (self->path, name, NULL);
}

static char *
version_path (SetlSchemaRegistry *self,
              const char         *name,
              guint               version)
{
  g_autofree char *basename = g_strdup_printf ("%u.json", version);

  return g_build_filename (self->path, name, basename, NULL);
}

static void
set_io_error (GError     **error,
              int          saved_errno,
              const char  *action,
              const char  *path)
{
  g_set_error (error, SETL_SCHEMA_ERROR, SETL_SCHEMA_ERROR_IO,
               "%s: cannot %s: %s", path, action, g_strerror (saved_errno));
}

/* Takes the exclusive lock of @name, creating its directory; returns the
 * lock's file descriptor (closing it releases the lock), or -1. flock()
 * rather than fcntl() locks, because those belong to the process and would
 * not keep two threads of one process apart. */
static int
lock_name (SetlSchemaRegistry  *self,
           const char          *name,
           GError             **error)
{
  g_autofree char *dir = name_dir (self, name);
  g_autofree char *lock_path = g_build_filename (dir, LOCK_FILE, NULL);
  int fd;

  if (g_mkdir_with_parents (dir, 0755) != 0)
    {
      set_io_error (error, errno, "create the schema directory", dir);
      return -1;
    }
  fd = g_open (lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0)
    {
      set_io_error (error, errno, "open the lock file", lock_path);
      return -1;
    }
  while (flock (fd, LOCK_EX) != 0)
    {
      if (errno == EINTR)
        continue;
      set_io_error (error, errno, "lock", lock_path);
      close (fd);
      return -1;
    }
  return fd;
}

static void
unlock_name (int fd)
{
  if (fd >= 0)
    close (fd);
}

static gint
compare_versions (gconstpointer a,
                  gconstpointer b)
{
  guint va = *(const guint *) a;
  guint vb = *(const guint *) b;

  return (va > vb) - (va < vb);
}

/* Parses "N.json" with N a version, so that temporary and lock files and
 * anything else a person leaves there are ignored. */
static gboolean
parse_version_file_name (const char *basename,
                         guint      *version)
{
  g_autofree char *digits = NULL;
  guint64 value;

  if (!g_str_has_suffix (basename, ".json") || basename[0] < '1' || basename[0] > '9')
    return FALSE;
  digits = g_strndup (basename, strlen (basename) - strlen (".json"));
  if (!g_ascii_string_to_unsigned (digits, 10, 1, G_MAXINT, &value, NULL))
    return FALSE;
  *version = (guint) value;
  return TRUE;
}

/* The versions of @name on disk, ascending; empty when there are none. */
static GArray *
read_versions (SetlSchemaRegistry  *self,
               const char          *name,
               GError             **error)
{
  g_autofree char *dir = name_dir (self, name);
  g_autoptr(GArray) versions = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GDir) listing = NULL;
  const char *entry;

  listing = g_dir_open (dir, 0, &local_error);
  if (listing == NULL)
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return g_steal_pointer (&versions);
      g_set_error (error, SETL_SCHEMA_ERROR, SETL_SCHEMA_ERROR_IO,
                   "%s: cannot list versions: %s", dir, local_error->message);
      return NULL;
    }
  while ((entry = g_dir_read_name (listing)) != NULL)
    {
      guint version;

      if (parse_version_file_name (entry, &version))
        g_array_append_val (versions, version);
    }
  g_array_sort (versions, compare_versions);
  return g_steal_pointer (&versions);
}

static char *
format_versions (GArray *versions)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < versions->len; i++)
    g_string_append_printf (text, "%s%u", i > 0 ? ", " : "", g_array_index (versions, guint, i));
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* Reads back one version file, which must hold @name at @version. */
static SetlSchema *
load_version (SetlSchemaRegistry  *self,
              const char          *name,
              guint                version,
              GError             **error)
{
  g_autofree char *path = version_path (self, name, version);
  g_autofree char *contents = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(SetlSchema) schema = NULL;
  gsize length;

  if (!g_file_get_contents (path, &contents, &length, &local_error))
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        g_set_error (error, SETL_SCHEMA_ERROR, SETL_SCHEMA_ERROR_NOT_FOUND,
                     "schema “%s” has no version %u in %s", name, version, self->path);
      else
        g_set_error (error, SETL_SCHEMA_ERROR, SETL_SCHEMA_ERROR_IO,
                     "%s: cannot read: %s", path, local_error->message);
      return NULL;
    }

  schema = _setl_schema_parse (contents, length, path,
                               SETL_SCHEMA_ERROR_CORRUPT, SETL_SCHEMA_ERROR_CORRUPT, error);
  if (schema == NULL)
    return NULL;
  if (!g_str_equal (setl_schema_get_name (schema), name) ||
      setl_schema_get_version (schema) != version)
    {
      g_set_error (error, SETL_SCHEMA_ERROR, SETL_SCHEMA_ERROR_CORRUPT,
                   "%s: holds schema “%s” version %u where “%s” version %u belongs",
                   path, setl_schema_get_name (schema), setl_schema_get_version (schema),
                   name, version);
      return NULL;
    }
  return g_steal_pointer (&schema);
}

static gboolean
sync_directory (const char  *dir,
                GError     **error)
{
  int fd = g_open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);

  if (fd < 0 || fsync (fd) != 0)
    {
      int saved_errno = errno;

      if (fd >= 0)
        close (fd);
      set_io_error (error, saved_errno, "sync the directory", dir);
      return FALSE;
    }
  close (fd);
  return TRUE;
}

/* Writes @contents to @path, which must not exist: to a temporary file in
 * the same directory first, synced, then hard-linked to @path — link(),
 * unlike rename(), fails rather than replace a file someone else created. */
static gboolean
write_new_file (const char  *path,
                const char  *contents,
                gsize        length,
                GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *tmp_path = g_build_filename (dir, ".tmp-XXXXXX", NULL);
  gsize written = 0;
  int fd;

  fd = g_mkstemp_full (tmp_path, O_RDWR | O_CLOEXEC, 0644);
  if (fd < 0)
    {
      set_io_error (error, errno, "create a temporary file", tmp_path);
      return FALSE;
    }
  while (written < length)
    {
      gssize n = write (fd, contents + written, length - written);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        goto failed;
      written += n;
    }
  if (fsync (fd) != 0)
    goto failed;
  if (close (fd) != 0)
    {
      fd = -1;
      goto failed;
    }
  fd = -1;

  if (link (tmp_path, path) != 0)
    {
      int saved_errno = errno;

      g_unlink (tmp_path);
      if (saved_errno == EEXIST)
        g_set_error (error, SETL_SCHEMA_ERROR, SETL_SCHEMA_ERROR_VERSION_EXISTS,
                     "%s: already exists: another process registered this version "
                     "at the same time", path);
      else
        set_io_error (error, saved_errno, "create", path);
      return FALSE;
    }
  g_unlink (tmp_path);
  return sync_directory (dir, error);

failed:
  {
    int saved_errno = errno;

    if (fd >= 0)
      close (fd);
    g_unlink (tmp_path);
    set_io_error (error, saved_errno, "write", tmp_path);
    return FALSE;
  }
}

/* The mode of @name; the default when it has no compatibility file. */
static gboolean
read_compatibility (SetlSchemaRegistry       *self,
                    const char               *name,
                    SetlSchemaCompatibility  *mode,
                    GError                  **error)
{
  g_autofree char *path = g_build_filename (self->path, name, COMPATIBILITY_FILE, NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(JsonParser) parser = NULL;
  JsonNode *root, *member;
  gsize length;

  if (!g_file_get_contents (path, &contents, &length, &local_error))
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        {
          *mode = SETL_SCHEMA_COMPATIBILITY_BACKWARD;
          return TRUE;
        }
      g_set_error (error, SETL_SCHEMA_ERROR, SETL_SCHEMA_ERROR_IO,
                   "%s: cannot read: %s", path, local_error->message);
      return FALSE;
    }

  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, contents, length, &local_error))
    {
      const char *message = local_error->message;

      if (g_str_has_prefix (message, "<data>:"))
        message += strlen ("<data>:");
      g_set_error (error, SETL_SCHEMA_ERROR, SETL_SCHEMA_ERROR_CORRUPT,
                   "%s:%s", path, message);
      return FALSE;
    }
  root = json_parser_get_root (parser);
  member = (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
           ? json_object_get_member (json_node_get_object (root), "compatibility")
           : NULL;
  if (member == NULL || !JSON_NODE_HOLDS_VALUE (member) ||
      json_node_get_value_type (member) != G_TYPE_STRING ||
      !setl_schema_compatibility_from_string (json_node_get_string (member), mode))
    {
      g_set_error (error, SETL_SCHEMA_ERROR, SETL_SCHEMA_ERROR_CORRUPT,
                   "%s: expected an object whose member “compatibility” names a mode "
                   "(NONE, BACKWARD, FORWARD, FULL or one of their _TRANSITIVE forms)",
                   path);
      return FALSE;
    }
  return TRUE;
}

/* Checks @schema, about to become a version of its name, against the
 * registered @versions as @mode asks. */
static gboolean
check_against (SetlSchemaRegistry       *self,
               SetlSchema               *schema,
               GArray                   *versions,
               SetlSchemaCompatibility   mode,
               GError                  **error)
{
  const char *name = setl_schema_get_name (schema);
  guint first;

  if (mode == SETL_SCHEMA_COMPATIBILITY_NONE || versions->len == 0)
    return TRUE;

  /* Newest first, so that the error names the closest version at fault. */
  first = setl_schema_compatibility_is_transitive (mode) ? 0 : versions->len - 1;
  for (guint i = versions->len; i-- > first; )
    {
      g_autoptr(SetlSchema) old = NULL;
      g_autoptr(GError) local_error = NULL;

      old = load_version (self, name, g_array_index (versions, guint, i), &local_error);
      if (old == NULL)
        {
          g_propagate_prefixed_error (error, g_steal_pointer (&local_error),
                                      "cannot check %s compatibility of schema “%s”: ",
                                      setl_schema_compatibility_to_string (mode), name);
          return FALSE;
        }
      if (!setl_schema_check_compatibility (schema, old, mode, error))
        return FALSE;
    }
  return TRUE;
}

static SetlSchema *
register_locked (SetlSchemaRegistry  *self,
                 SetlSchema          *schema,
                 GError             **error)
{
  const char *name = setl_schema_get_name (schema);
  guint wanted = setl_schema_get_version (schema);
  g_autoptr(GArray) versions = NULL;
  g_autoptr(SetlSchema) versioned = NULL;
  g_autofree char *path = NULL;
  g_autofree char *json = NULL;
  g_autofree char *contents = NULL;
  SetlSchemaCompatibility mode;
  guint latest, version;

  versions = read_versions (self, name, error);
  if (versions == NULL)
    return NULL;
  latest = versions->len > 0 ? g_array_index (versions, guint, versions->len - 1) : 0;

  /* The same document again is not a new version. Unreadable versions are
   * skipped here: they are reported when they matter, below. */
  for (guint i = versions->len; i-- > 0; )
    {
      guint existing = g_array_index (versions, guint, i);
      g_autoptr(SetlSchema) old = NULL;

      if (wanted != 0 && wanted != existing)
        continue;
      old = load_version (self, name, existing, NULL);
      if (old != NULL && setl_schema_equal_content (old, schema))
        return g_steal_pointer (&old);
      if (wanted != 0)
        {
          g_set_error (error, SETL_SCHEMA_ERROR, SETL_SCHEMA_ERROR_VERSION_EXISTS,
                       "schema “%s” version %u is already registered with other content",
                       name, wanted);
          return NULL;
        }
    }

  if (wanted != 0 && wanted < latest)
    {
      g_set_error (error, SETL_SCHEMA_ERROR, SETL_SCHEMA_ERROR_VERSION_EXISTS,
                   "schema “%s” cannot take version %u: version %u is registered already "
                   "and versions only grow",
                   name, wanted, latest);
      return NULL;
    }
  if (wanted == 0 && latest == G_MAXINT)
    {
      g_set_error (error, SETL_SCHEMA_ERROR, SETL_SCHEMA_ERROR_VERSION_EXISTS,
                   "schema “%s” has no version number left", name);
      return NULL;
    }
  version = wanted != 0 ? wanted : latest + 1;
  versioned = setl_schema_with_version (schema, version);

  if (!read_compatibility (self, name, &mode, error) ||
      !check_against (self, versioned, versions, mode, error))
    return NULL;

  path = version_path (self, name, version);
  json = setl_schema_to_json (versioned, TRUE);
  contents = g_strconcat (json, "\n", NULL);
  if (!write_new_file (path, contents, strlen (contents), error))
    return NULL;
  return g_steal_pointer (&versioned);
}

/**
 * setl_schema_registry_register:
 * @self: a #SetlSchemaRegistry
 * @schema: the document to register under its name
 * @error: return location for a #GError
 *
 * Registers @schema as a new version of its name: the version after the
 * latest, or the one its document gives if that is higher than the latest.
 * The new version must satisfy the name's compatibility mode (see
 * setl_schema_registry_get_compatibility()) or registration fails with
 * %SETL_SCHEMA_ERROR_INCOMPATIBLE naming the column, the rule it breaks and
 * the version it breaks it with. A document equal to a registered version is
 * not registered again: that version is returned.
 *
 * A schema that names checks is saved with the check library (plugin and
 * version) providing each, in its `check_libraries` member, looked up in
 * the default #SetlCheckCatalog; a check that no loaded library provides
 * refuses the registration with %SETL_VALIDATION_ERROR_UNKNOWN_CHECK.
 *
 * Returns: (transfer full): the registered schema, with its version, or
 *   %NULL with @error set
 */
SetlSchema *
setl_schema_registry_register (SetlSchemaRegistry  *self,
                               SetlSchema          *schema,
                               GError             **error)
{
  g_autoptr(SetlSchema) recorded = NULL;
  SetlSchema *result;
  int lock;

  g_return_val_if_fail (SETL_IS_SCHEMA_REGISTRY (self), NULL);
  g_return_val_if_fail (SETL_IS_SCHEMA (schema), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!check_name (setl_schema_get_name (schema), error))
    return NULL;
  /* A schema with checks is saved with the library (plugin and version)
   * that provides each, and refused if no loaded library provides one
   * (validation/setl-check-catalog.c). */
  if (setl_schema_has_checks (schema))
    {
      recorded = _setl_check_catalog_record_default (schema, error);
      if (recorded == NULL)
        return NULL;
      schema = recorded;
    }
  lock = lock_name (self, setl_schema_get_name (schema), error);
  if (lock < 0)
    return NULL;
  result = register_locked (self, schema, error);
  unlock_name (lock);
  return result;
}

/**
 * setl_schema_registry_get:
 * @self: a #SetlSchemaRegistry
 * @name: a schema name
 * @version: a version, or %SETL_SCHEMA_VERSION_LATEST
 * @error: return location for a #GError
 *
 * Fails with %SETL_SCHEMA_ERROR_NOT_FOUND when there is no such name or
 * version, and with %SETL_SCHEMA_ERROR_CORRUPT when its file cannot be read
 * back.
 *
 * Returns: (transfer full): the schema, or %NULL with @error set
 */
SetlSchema *
setl_schema_registry_get (SetlSchemaRegistry  *self,
                          const char          *name,
                          guint                version,
                          GError             **error)
{
  g_autoptr(GArray) versions = NULL;

  g_return_val_if_fail (SETL_IS_SCHEMA_REGISTRY (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!check_name (name, error))
    return NULL;
  versions = read_versions (self, name, error);
  if (versions == NULL)
    return NULL;
  if (versions->len == 0)
    {
      g_set_error (error, SETL_SCHEMA_ERROR, SETL_SCHEMA_ERROR_NOT_FOUND,
                   "no schema “%s” in %s", name, self->path);
      return NULL;
    }
  if (version == SETL_SCHEMA_VERSION_LATEST)
    version = g_array_index (versions, guint, versions->len - 1);
  else if (!g_array_binary_search (versions, &version, compare_versions, NULL))
    {
      g_autofree char *list = format_versions (versions);

      g_set_error (error, SETL_SCHEMA_ERROR, SETL_SCHEMA_ERROR_NOT_FOUND,
                   "schema “%s” has no version %u (it has %s)", name, version, list);
      return NULL;
    }
  return load_version (self, name, version, error);
}

/**
 * setl_schema_parse_reference:
 * @reference: `name`, `name@latest` or `name@VERSION`
 * @name: (out) (transfer full) (optional): the schema name
 * @version: (out) (optional): the version, or %SETL_SCHEMA_VERSION_LATEST
 * @error: return location for a #GError
 *
 * Splits a schema reference as pipeline files and the command line write
 * them. Fails with %SETL_SCHEMA_ERROR_INVALID_REFERENCE.
 *
 * Returns: %TRUE if @reference is well-formed
 */
gboolean
setl_schema_parse_reference (const char  *reference,
                             char       **name,
                             guint       *version,
                             GError     **error)
{
  g_autofree char *base = NULL;
  const char *at;
  guint64 number = SETL_SCHEMA_VERSION_LATEST;

  g_return_val_if_fail (reference != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  at = strchr (reference, '@');
  base = at != NULL ? g_strndup (reference, at - reference) : g_strdup (reference);
  if (!setl_schema_is_valid_name (base))
    {
      g_set_error (error, SETL_SCHEMA_ERROR, SETL_SCHEMA_ERROR_INVALID_REFERENCE,
                   "“%s” is not a schema reference: expected NAME, NAME@latest or NAME@VERSION "
                   "with NAME made of letters, digits, “_”, “-” and “.”",
                   reference);
      return FALSE;
    }
  if (at != NULL && !g_str_equal (at + 1, "latest") &&
      (!g_ascii_isdigit (at[1]) ||
       !g_ascii_string_to_unsigned (at + 1, 10, 1, G_MAXINT, &number, NULL)))
    {
      g_set_error (error, SETL_SCHEMA_ERROR, SETL_SCHEMA_ERROR_INVALID_REFERENCE,
                   "“%s” is not a schema reference: after “@” expected “latest” or a version "
                   "number from 1, found “%s”",
                   reference, at + 1);
      return FALSE;
    }
  if (name != NULL)
    *name = g_steal_pointer (&base);
  if (version != NULL)
    *version = (guint) number;
  return TRUE;
}

/**
 * setl_schema_registry_lookup:
 * @self: a #SetlSchemaRegistry
 * @reference: `name`, `name@latest` or `name@VERSION`
 * @error: return location for a #GError
 *
 * setl_schema_registry_get() for a reference, as pipeline files and the
 * command line write it; a plain name means the latest version.
 *
 * Returns: (transfer full): the schema, or %NULL with @error set
 */
SetlSchema *
setl_schema_registry_lookup (SetlSchemaRegistry  *self,
                             const char          *reference,
                             GError             **error)
{
  g_autofree char *name = NULL;
  guint version;

  g_return_val_if_fail (SETL_IS_SCHEMA_REGISTRY (self), NULL);
  g_return_val_if_fail (reference != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!setl_schema_parse_reference (reference, &name, &version, error))
    return NULL;
  return setl_schema_registry_get (self, name, version, error);
}

/* g_ptr_array_sort() passes pointers to the elements. */
static gint
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/**
 * setl_schema_registry_list_names:
 * @self: a #SetlSchemaRegistry
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (array zero-terminated=1): the names having at
 *   least one version, sorted; empty when the registry is, or %NULL with
 *   @error set
 */
char **
setl_schema_registry_list_names (SetlSchemaRegistry  *self,
                                 GError             **error)
{
  g_autoptr(GPtrArray) names = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GDir) listing = NULL;
  const char *entry;

  g_return_val_if_fail (SETL_IS_SCHEMA_REGISTRY (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  names = g_ptr_array_new_with_free_func (g_free);
  listing = g_dir_open (self->path, 0, &local_error);
  if (listing == NULL && !g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
    {
      g_set_error (error, SETL_SCHEMA_ERROR, SETL_SCHEMA_ERROR_IO,
                   "%s: cannot list schemas: %s", self->path, local_error->message);
      return NULL;
    }
  while (listing != NULL && (entry = g_dir_read_name (listing)) != NULL)
    {
      g_autoptr(GArray) versions = NULL;

      if (!setl_schema_is_valid_name (entry))
        continue;
      versions = read_versions (self, entry, NULL);
      if (versions != NULL && versions->len > 0)
        g_ptr_array_add (names, g_strdup (entry));
    }
  g_ptr_array_sort (names, compare_names);
  g_ptr_array_add (names, NULL);
  return (char **) g_ptr_array_steal (names, NULL);
}

/**
 * setl_schema_registry_list_versions:
 * @self: a #SetlSchemaRegistry
 * @name: a schema name
 * @n_versions: (out): the number of versions
 * @error: return location for a #GError
 *
 * Lists the versions of @name whatever their files hold: a corrupt version
 * is listed, and fails only when it is read.
 *
 * Returns: (transfer full) (array length=n_versions): the versions of
 *   @name, ascending, or %NULL with @error set (%SETL_SCHEMA_ERROR_NOT_FOUND
 *   when @name has none)
 */
guint *
setl_schema_registry_list_versions (SetlSchemaRegistry  *self,
                                    const char          *name,
                                    gsize               *n_versions,
                                    GError             **error)
{
  g_autoptr(GArray) versions = NULL;

  g_return_val_if_fail (SETL_IS_SCHEMA_REGISTRY (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (n_versions != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  *n_versions = 0;
  if (!check_name (name, error))
    return NULL;
  versions = read_versions (self, name, error);
  if (versions == NULL)
    return NULL;
  if (versions->len == 0)
    {
      g_set_error (error, SETL_SCHEMA_ERROR, SETL_SCHEMA_ERROR_NOT_FOUND,
                   "no schema “%s” in %s", name, self->path);
      return NULL;
    }
  *n_versions = versions->len;
  return (guint *) (gpointer) g_array_free (g_steal_pointer (&versions), FALSE);
}

/**
 * setl_schema_registry_delete_version:
 * @self: a #SetlSchemaRegistry
 * @name: a schema name
 * @version: the version to delete (not %SETL_SCHEMA_VERSION_LATEST)
 * @error: return location for a #GError
 *
 * Removes one version. Its number is not given again unless it was the
 * latest. Later versions are not checked again against the versions left.
 *
 * Returns: %TRUE if the version was deleted; %FALSE with
 *   %SETL_SCHEMA_ERROR_NOT_FOUND if it did not exist
 */
gboolean
setl_schema_registry_delete_version (SetlSchemaRegistry  *self,
                                     const char          *name,
                                     guint                version,
                                     GError             **error)
{
  g_autofree char *path = NULL;
  g_autofree char *dir = NULL;
  gboolean ok;
  int lock;

  g_return_val_if_fail (SETL_IS_SCHEMA_REGISTRY (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);
  g_return_val_if_fail (version != SETL_SCHEMA_VERSION_LATEST, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_name (name, error))
    return FALSE;
  dir = name_dir (self, name);
  if (!g_file_test (dir, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, SETL_SCHEMA_ERROR, SETL_SCHEMA_ERROR_NOT_FOUND,
                   "no schema “%s” in %s", name, self->path);
      return FALSE;
    }
  lock = lock_name (self, name, error);
  if (lock < 0)
    return FALSE;

  path = version_path (self, name, version);
  if (g_unlink (path) != 0)
    {
      if (errno == ENOENT)
        g_set_error (error, SETL_SCHEMA_ERROR, SETL_SCHEMA_ERROR_NOT_FOUND,
                     "schema “%s” has no version %u in %s", name, version, self->path);
      else
        set_io_error (error, errno, "delete", path);
      ok = FALSE;
    }
  else
    ok = sync_directory (dir, error);
  unlock_name (lock);
  return ok;
}

/**
 * setl_schema_registry_get_compatibility:
 * @self: a #SetlSchemaRegistry
 * @name: a schema name, registered or not
 * @mode: (out): the mode new versions of @name are checked with
 * @error: return location for a #GError
 *
 * A name whose mode was never set has the default,
 * %SETL_SCHEMA_COMPATIBILITY_BACKWARD.
 *
 * Returns: %TRUE on success; %FALSE with @error set if the stored mode
 *   cannot be read (%SETL_SCHEMA_ERROR_CORRUPT)
 */
gboolean
setl_schema_registry_get_compatibility (SetlSchemaRegistry       *self,
                                        const char               *name,
                                        SetlSchemaCompatibility  *mode,
                                        GError                  **error)
{
  g_return_val_if_fail (SETL_IS_SCHEMA_REGISTRY (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);
  g_return_val_if_fail (mode != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_name (name, error))
    return FALSE;
  return read_compatibility (self, name, mode, error);
}

/**
 * setl_schema_registry_set_compatibility:
 * @self: a #SetlSchemaRegistry
 * @name: a schema name, registered or not
 * @mode: the mode to check new versions of @name with
 * @error: return location for a #GError
 *
 * Sets and stores the compatibility mode of @name. Versions already
 * registered are not checked again.
 *
 * Returns: %TRUE on success
 */
gboolean
setl_schema_registry_set_compatibility (SetlSchemaRegistry       *self,
                                        const char               *name,
                                        SetlSchemaCompatibility   mode,
                                        GError                  **error)
{
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(GError) local_error = NULL;
  int lock;

  g_return_val_if_fail (SETL_IS_SCHEMA_REGISTRY (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);
  g_return_val_if_fail (setl_schema_compatibility_to_string (mode) != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_name (name, error))
    return FALSE;
  lock = lock_name (self, name, error);
  if (lock < 0)
    return FALSE;

  path = g_build_filename (self->path, name, COMPATIBILITY_FILE, NULL);
  contents = g_strdup_printf ("{\n  \"compatibility\": \"%s\"\n}\n",
                              setl_schema_compatibility_to_string (mode));
  /* Temporary file, fsync, rename: readers see the old mode or the new. */
  if (!g_file_set_contents_full (path, contents, -1,
                                 G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                 0644, &local_error))
    {
      g_set_error (error, SETL_SCHEMA_ERROR, SETL_SCHEMA_ERROR_IO,
                   "%s: cannot write: %s", path, local_error->message);
      unlock_name (lock);
      return FALSE;
    }
  unlock_name (lock);
  return TRUE;
}
