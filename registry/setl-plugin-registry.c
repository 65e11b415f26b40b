/* setl-plugin-registry.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/**
 * SetlPluginRegistry:
 *
 * Finds plugins on the search path and remembers what they provide.
 *
 * The search path is `SETL_PLUGIN_PATH` (colon-separated directories or
 * files), then the user's plugin directory (`$XDG_DATA_HOME/setl-1/plugins`),
 * then the installed system directory; `SETL_PLUGIN_SYSTEM_PATH`, when set,
 * replaces the last two (tests set it empty so that an installed libsetl is
 * never picked up). Directories are searched recursively for `*.so` files.
 * The first plugin of a name wins; a later one is refused with
 * %SETL_PLUGIN_ERROR_NAME_CONFLICT and a warning naming both files.
 *
 * What each plugin provides is kept in a cache file (`SETL_REGISTRY`, or
 * `$XDG_CACHE_HOME/setl-1/registry.bin`): for each plugin file its size and
 * modification time, its descriptor, its features and their property specs.
 * setl_plugin_registry_update() reads the cache and opens no module; only
 * files that are new or changed since they were cached are scanned, each in
 * a helper process (`setl-plugin-scanner`), so that a plugin that crashes
 * while it is scanned takes down only the helper: it is blacklisted, with
 * the reason, until its file changes. A module is opened in the application
 * the first time one of its features is used (setl_plugin_feature_create()).
 * The cache is written atomically; a damaged one is rebuilt with a warning.
 *
 * |[<!-- language="C" -->
 * SetlPluginRegistry *registry = setl_plugin_registry_get_default ();
 * g_autoptr(SetlFactory) source =
 *   setl_plugin_registry_create_factory (registry, "csv-source", &error);
 * ]|
 */

#include "setl-plugin-private.h"
#include "setl-plugin-config.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

struct _SetlPluginRegistry
{
  GObject parent_instance;

  GStrv search_path;
  char *cache_file;

  GMutex lock;
  GPtrArray *entries;     /* SetlPlugin: every scanned file, as cached */
  GPtrArray *plugins;     /* SetlPlugin: accepted, in search order */
  GPtrArray *refused;     /* SetlPlugin with an error */
  GHashTable *by_name;    /* name → SetlPlugin (accepted) */
  GHashTable *features;   /* name → SetlPluginFeature */
  GHashTable *conflicts;  /* messages of the name conflicts found, as cached */
  guint n_scanned;
};

enum {
  PROP_0,
  PROP_SEARCH_PATH,
  PROP_CACHE_FILE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (SetlPluginRegistry, setl_plugin_registry, G_TYPE_OBJECT)

static void
setl_plugin_registry_finalize (GObject *object)
{
  SetlPluginRegistry *self = SETL_PLUGIN_REGISTRY (object);

  g_strfreev (self->search_path);
  g_free (self->cache_file);
  g_ptr_array_unref (self->entries);
  g_ptr_array_unref (self->plugins);
  g_ptr_array_unref (self->refused);
  g_hash_table_unref (self->by_name);
  g_hash_table_unref (self->features);
  g_hash_table_unref (self->conflicts);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (setl_plugin_registry_parent_class)->finalize (object);
}

static void
setl_plugin_registry_constructed (GObject *object)
{
  SetlPluginRegistry *self = SETL_PLUGIN_REGISTRY (object);

  G_OBJECT_CLASS (setl_plugin_registry_parent_class)->constructed (object);

  if (self->search_path == NULL)
    self->search_path = setl_plugin_registry_default_search_path ();
  if (self->cache_file == NULL)
    self->cache_file = setl_plugin_registry_default_cache_file ();
}

static void
setl_plugin_registry_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  SetlPluginRegistry *self = SETL_PLUGIN_REGISTRY (object);

  switch (prop_id)
    {
    case PROP_SEARCH_PATH:
      g_value_set_boxed (value, self->search_path);
      break;
    case PROP_CACHE_FILE:
      g_value_set_string (value, self->cache_file);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
setl_plugin_registry_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  SetlPluginRegistry *self = SETL_PLUGIN_REGISTRY (object);

  switch (prop_id)
    {
    case PROP_SEARCH_PATH:
      g_strfreev (self->search_path);
      self->search_path = g_value_dup_boxed (value);
      break;
    case PROP_CACHE_FILE:
      g_free (self->cache_file);
      self->cache_file = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
setl_plugin_registry_class_init (SetlPluginRegistryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = setl_plugin_registry_finalize;
  object_class->constructed = setl_plugin_registry_constructed;
  object_class->get_property = setl_plugin_registry_get_property;
  object_class->set_property = setl_plugin_registry_set_property;

  /**
   * SetlPluginRegistry:search-path:
   *
   * Where plugins are looked for, in order: directories (searched
   * recursively) and plugin files. %NULL at construction means the default
   * search path, see setl_plugin_registry_default_search_path().
   */
  properties[PROP_SEARCH_PATH] =
    g_param_spec_boxed ("search-path", "Search path",
                        "Directories and files searched for plugins, in order",
                        G_TYPE_STRV,
                        G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * SetlPluginRegistry:cache-file:
   *
   * The registry cache file. %NULL at construction means the default, see
   * setl_plugin_registry_default_cache_file().
   */
  properties[PROP_CACHE_FILE] =
    g_param_spec_string ("cache-file", "Cache file",
                         "Where what plugins provide is cached",
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
setl_plugin_registry_init (SetlPluginRegistry *self)
{
  g_mutex_init (&self->lock);
  self->entries = g_ptr_array_new_with_free_func (g_object_unref);
  self->plugins = g_ptr_array_new_with_free_func (g_object_unref);
  self->refused = g_ptr_array_new_with_free_func (g_object_unref);
  self->by_name = g_hash_table_new (g_str_hash, g_str_equal);
  self->features = g_hash_table_new (g_str_hash, g_str_equal);
  self->conflicts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

/**
 * setl_plugin_registry_default_search_path:
 *
 * The search path a registry uses when it is given none: the entries of
 * `SETL_PLUGIN_PATH`, then those of `SETL_PLUGIN_SYSTEM_PATH` if it is set,
 * else the user's plugin directory and the system plugin directory.
 *
 * Returns: (transfer full) (array zero-terminated=1): the search path
 */
char **
setl_plugin_registry_default_search_path (void)
{
  g_autoptr(GStrvBuilder) b = g_strv_builder_new ();
  const char *env = g_getenv ("SETL_PLUGIN_PATH");
  const char *system = g_getenv ("SETL_PLUGIN_SYSTEM_PATH");

  for (int pass = 0; pass < 2; pass++)
    {
      const char *value = pass == 0 ? env : system;
      g_auto(GStrv) parts = NULL;

      if (value == NULL)
        continue;
      parts = g_strsplit (value, G_SEARCHPATH_SEPARATOR_S, -1);
      for (guint i = 0; parts[i]; i++)
        if (parts[i][0] != '\0')
          g_strv_builder_add (b, parts[i]);
    }

  if (system == NULL)
    {
      g_autofree char *user = g_build_filename (g_get_user_data_dir (), "setl-1", "plugins", NULL);
      g_strv_builder_add (b, user);
      g_strv_builder_add (b, SETL_PLUGINDIR);
    }
  return g_strv_builder_end (b);
}

/**
 * setl_plugin_registry_default_cache_file:
 *
 * Returns: (transfer full): `SETL_REGISTRY` if set, else
 *   `$XDG_CACHE_HOME/setl-1/registry.bin`
 */
char *
setl_plugin_registry_default_cache_file (void)
{
  const char *env = g_getenv ("SETL_REGISTRY");

  if (env != NULL && env[0] != '\0')
    return g_strdup (env);
  return g_build_filename (g_get_user_cache_dir (), "setl-1", "registry.bin", NULL);
}

/**
 * setl_plugin_registry_new:
 * @search_path: (nullable) (array zero-terminated=1): directories and files
 *   to search, in order; %NULL for the default search path
 * @cache_file: (nullable): the cache file; %NULL for the default
 *
 * Makes a registry. It knows no plugin until setl_plugin_registry_update().
 *
 * Returns: (transfer full): a new #SetlPluginRegistry
 */
SetlPluginRegistry *
setl_plugin_registry_new (const char * const *search_path,
                          const char         *cache_file)
{
  return g_object_new (SETL_TYPE_PLUGIN_REGISTRY,
                       "search-path", search_path,
                       "cache-file", cache_file,
                       NULL);
}

/**
 * setl_plugin_registry_get_default:
 *
 * The registry of the process, on the default search path and cache file.
 * It is updated the first time it is asked for; warnings about refused
 * plugins are logged then.
 *
 * Returns: (transfer none): the default registry
 */
SetlPluginRegistry *
setl_plugin_registry_get_default (void)
{
  static SetlPluginRegistry *registry;

  if (g_once_init_enter (&registry))
    {
      SetlPluginRegistry *r = setl_plugin_registry_new (NULL, NULL);
      g_autoptr(GError) error = NULL;

      if (!setl_plugin_registry_update (r, &error))
        g_warning ("Cannot update the plugin registry: %s", error->message);
      g_once_init_leave (&registry, r);
    }
  return registry;
}

/* ---- the cache ---------------------------------------------------------- */

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* Reads the cache into a table filename → SetlPlugin, and the messages of
 * the name conflicts already reported into @conflicts. A missing cache is
 * no error, and neither is one from another format version or another
 * libsetl (out of date, not damaged: it is rebuilt quietly); anything else
 * that is wrong with it is, and the caller rebuilds it with a warning. */
static GHashTable *
read_cache (const char  *path,
            gboolean    *exists,
            GHashTable  *conflicts,
            GError     **error)
{
  g_autoptr(GHashTable) table = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_object_unref);
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GMappedFile) mapped = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GBytes) payload = NULL;
  g_autoptr(GVariant) root = NULL;
  g_autoptr(GVariantIter) plugins = NULL;
  g_autoptr(GVariantIter) reported = NULL;
  const char *data, *libsetl, *message;
  GVariant *entry;
  gsize length;
  guint32 version;
  guint64 checksum;

  *exists = FALSE;
  mapped = g_mapped_file_new (path, FALSE, &local_error);
  if (mapped == NULL)
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return g_steal_pointer (&table);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  *exists = TRUE;
  bytes = g_mapped_file_get_bytes (mapped);
  data = g_bytes_get_data (bytes, &length);

  if (length < SETL_REGISTRY_HEADER_SIZE ||
      memcmp (data, SETL_REGISTRY_MAGIC, strlen (SETL_REGISTRY_MAGIC)) != 0)
    goto bad;
  memcpy (&version, data + 8, sizeof version);
  if (GUINT32_FROM_LE (version) != SETL_REGISTRY_FORMAT_VERSION)
    return g_steal_pointer (&table);
  memcpy (&checksum, data + 16, sizeof checksum);
  if (GUINT64_FROM_LE (checksum) !=
      _setl_registry_checksum (_setl_registry_variant_type,
                               (const guint8 *) data + SETL_REGISTRY_HEADER_SIZE,
                               length - SETL_REGISTRY_HEADER_SIZE))
    goto bad;

  /* The mapping is page-aligned and the header 24 bytes long: the variant
   * is aligned as GVariant needs. The checksum, which covers the type,
   * matched: these are the bytes a libsetl of this format wrote with
   * g_variant_store(), in normal form, so they are read as trusted —
   * untrusted, every access checks again, which costs most of a warm
   * start. Only a forged file with a recomputed checksum could lie, and
   * whoever can write the user's cache can write the user's plugins. */
  payload = g_bytes_new_from_bytes (bytes, SETL_REGISTRY_HEADER_SIZE,
                                    length - SETL_REGISTRY_HEADER_SIZE);
  root = g_variant_ref_sink (g_variant_new_from_bytes (G_VARIANT_TYPE (_setl_registry_variant_type),
                                                       payload, TRUE));

  {
    g_autoptr(GVariant) child = g_variant_get_child_value (root, 0);
    libsetl = g_variant_get_string (child, NULL);
  }
  /* Another libsetl's types may have other properties. */
  if (g_strcmp0 (libsetl, SETL_VERSION_STRING) != 0)
    return g_steal_pointer (&table);

  {
    g_autoptr(GVariant) plugin_array = g_variant_get_child_value (root, 1);
    g_autoptr(GVariant) conflict_array = g_variant_get_child_value (root, 2);

    plugins = g_variant_iter_new (plugin_array);
    reported = g_variant_iter_new (conflict_array);
  }
  while ((entry = g_variant_iter_next_value (plugins)) != NULL)
    {
      SetlPlugin *plugin = _setl_plugin_from_variant (entry, error);

      g_variant_unref (entry);
      if (plugin == NULL)
        return NULL;
      g_hash_table_replace (table, (gpointer) setl_plugin_get_filename (plugin), plugin);
    }
  while (g_variant_iter_next (reported, "&s", &message))
    g_hash_table_add (conflicts, g_strdup (message));
  return g_steal_pointer (&table);

bad:
  g_set_error (error, SETL_PLUGIN_ERROR, SETL_PLUGIN_ERROR_SCANNER,
               "not a libsetl registry cache, or a damaged one");
  return NULL;
}

static gboolean
write_cache (SetlPluginRegistry  *self,
             GError             **error)
{
  g_autoptr(GVariant) root = NULL;
  g_autofree char *dir = g_path_get_dirname (self->cache_file);
  g_autofree char *data = NULL;
  GVariantBuilder plugins, conflicts;
  guint32 version = GUINT32_TO_LE (SETL_REGISTRY_FORMAT_VERSION);
  guint64 checksum;
  gsize size;

  /* The root's second member: the array of plugins. */
  g_variant_builder_init (&plugins, g_variant_type_next (
    g_variant_type_first (G_VARIANT_TYPE (_setl_registry_variant_type))));
  for (guint i = 0; i < self->entries->len; i++)
    {
      SetlPlugin *p = g_ptr_array_index (self->entries, i);
      const GError *e = setl_plugin_get_error (p);

      /* A scanner that could not run says nothing about the plugin. */
      if (e && g_error_matches (e, SETL_PLUGIN_ERROR, SETL_PLUGIN_ERROR_SCANNER))
        continue;
      g_variant_builder_add_value (&plugins, _setl_plugin_to_variant (p));
    }

  /* Conflicts are worked out at every start, from the entries; they are
   * recorded only so that each is reported once, not at every start. */
  g_variant_builder_init (&conflicts, G_VARIANT_TYPE_STRING_ARRAY);
  {
    g_autofree gpointer *messages = g_hash_table_get_keys_as_array (self->conflicts, NULL);
    guint n = g_hash_table_size (self->conflicts);

    qsort (messages, n, sizeof (gpointer), compare_strings);
    for (guint i = 0; i < n; i++)
      g_variant_builder_add (&conflicts, "s", messages[i]);
  }

  root = g_variant_ref_sink (g_variant_new ("(s@a*@as)", SETL_VERSION_STRING,
                                            g_variant_builder_end (&plugins),
                                            g_variant_builder_end (&conflicts)));
  size = g_variant_get_size (root);
  data = g_malloc0 (SETL_REGISTRY_HEADER_SIZE + size);
  memcpy (data, SETL_REGISTRY_MAGIC, strlen (SETL_REGISTRY_MAGIC));
  memcpy (data + 8, &version, sizeof version);
  g_variant_store (root, data + SETL_REGISTRY_HEADER_SIZE);
  checksum = GUINT64_TO_LE (_setl_registry_checksum (_setl_registry_variant_type,
                                                     (const guint8 *) data + SETL_REGISTRY_HEADER_SIZE,
                                                     size));
  memcpy (data + 16, &checksum, sizeof checksum);

  if (g_mkdir_with_parents (dir, 0755) != 0)
    {
      int saved_errno = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   "Cannot create directory %s: %s", dir, g_strerror (saved_errno));
      return FALSE;
    }
  /* Temporary file, fsync, rename: a reader sees the old cache or the new
   * one, never half of one, even across a crash. */
  return g_file_set_contents_full (self->cache_file, data, SETL_REGISTRY_HEADER_SIZE + size,
                                   G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                   0644, error);
}

/* ---- scanning ----------------------------------------------------------- */

static char *
find_scanner (void)
{
  const char *env = g_getenv ("SETL_PLUGIN_SCANNER");

  if (env != NULL && env[0] != '\0')
    return g_strdup (env);
  return g_strdup (SETL_PLUGIN_SCANNER_PATH);
}

typedef struct {
  GMainLoop *loop;
  GSubprocess *process;
  char *out;
  char *err;
  GError *error;
  gboolean timed_out;
} ScanState;

static void
communicate_done (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  ScanState *state = user_data;

  g_subprocess_communicate_utf8_finish (G_SUBPROCESS (source), result,
                                        &state->out, &state->err, &state->error);
  g_main_loop_quit (state->loop);
}

static gboolean
scan_timed_out (gpointer user_data)
{
  ScanState *state = user_data;

  state->timed_out = TRUE;
  g_subprocess_force_exit (state->process);
  return G_SOURCE_REMOVE;
}

static guint
scan_timeout_seconds (void)
{
  const char *env = g_getenv ("SETL_PLUGIN_SCAN_TIMEOUT");
  guint64 v;

  if (env && g_ascii_string_to_unsigned (env, 10, 1, 3600, &v, NULL))
    return v;
  return 30;
}

/* The last line of @text, at most 255 bytes of it, newly allocated (not a
 * static buffer: registries may scan in several threads at once). */
static char *
last_line (const char *text)
{
  const char *end, *start;

  if (text == NULL)
    return g_strdup ("");
  end = text + strlen (text);
  while (end > text && (end[-1] == '\n' || end[-1] == '\r'))
    end--;
  start = end;
  while (start > text && start[-1] != '\n')
    start--;
  return g_utf8_make_valid (start, MIN (end - start, 255));
}

/* Scans one file in the helper process. Always returns an entry: the
 * plugin's metadata, or the file with the reason it is refused. */
static SetlPlugin *
scan_file (const char *filename,
           gint64      size,
           gint64      mtime_ns)
{
  g_autofree char *scanner = find_scanner ();
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(GMainLoop) loop = g_main_loop_new (context, FALSE);
  g_autoptr(GSource) timeout = NULL;
  g_autoptr(GError) error = NULL;
  ScanState state = { loop, NULL, NULL, NULL, NULL, FALSE };
  SetlPlugin *plugin = NULL;

  g_main_context_push_thread_default (context);
  state.process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                    G_SUBPROCESS_FLAGS_STDERR_PIPE,
                                    &error, scanner, filename, NULL);
  if (state.process != NULL)
    {
      g_subprocess_communicate_utf8_async (state.process, NULL, NULL, communicate_done, &state);
      /* Not g_timeout_source_new_seconds(): it groups wake-ups on whole
       * seconds and may fire up to a second early. */
      timeout = g_timeout_source_new (scan_timeout_seconds () * 1000);
      g_source_set_callback (timeout, scan_timed_out, &state, NULL);
      g_source_attach (timeout, context);
      g_main_loop_run (loop);
      g_source_destroy (timeout);
      g_subprocess_wait (state.process, NULL, NULL);
    }
  g_main_context_pop_thread_default (context);

  if (state.process == NULL || state.error != NULL)
    {
      plugin = _setl_plugin_new_for_file (filename);
      _setl_plugin_take_error (plugin,
        g_error_new (SETL_PLUGIN_ERROR, SETL_PLUGIN_ERROR_SCANNER,
                     "Cannot scan plugin file %s: the scanner %s failed: %s",
                     filename, scanner, (error ? error : state.error)->message));
    }
  else if (state.timed_out)
    {
      plugin = _setl_plugin_new_for_file (filename);
      _setl_plugin_take_error (plugin,
        g_error_new (SETL_PLUGIN_ERROR, SETL_PLUGIN_ERROR_BLACKLISTED,
                     "Plugin file %s timed out while being scanned: it did not "
                     "finish loading within %u s (SETL_PLUGIN_SCAN_TIMEOUT); "
                     "blacklisted until the file changes",
                     filename, scan_timeout_seconds ()));
    }
  else if (g_subprocess_get_if_signaled (state.process))
    {
      int sig = g_subprocess_get_term_sig (state.process);

      plugin = _setl_plugin_new_for_file (filename);
      _setl_plugin_take_error (plugin,
        g_error_new (SETL_PLUGIN_ERROR, SETL_PLUGIN_ERROR_BLACKLISTED,
                     "Plugin file %s crashed while being scanned (signal %d, "
                     "%s); blacklisted until the file changes",
                     filename, sig, g_strsignal (sig)));
    }
  else
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(GError) parse_error = NULL;
      int status = g_subprocess_get_exit_status (state.process);

      if (status == 0 &&
          json_parser_load_from_data (parser, state.out ? state.out : "", -1, &parse_error))
        plugin = _setl_plugin_from_json (json_parser_get_root (parser), &parse_error);

      if (plugin == NULL)
        {
          plugin = _setl_plugin_new_for_file (filename);
          if (status != 0)
            {
              g_autofree char *reason = last_line (state.err);

              _setl_plugin_take_error (plugin,
                g_error_new (SETL_PLUGIN_ERROR, SETL_PLUGIN_ERROR_BLACKLISTED,
                             "Plugin file %s made the scanner exit with status %d "
                             "(%s); blacklisted until the file changes",
                             filename, status, reason));
            }
          else
            _setl_plugin_take_error (plugin,
              g_error_new (SETL_PLUGIN_ERROR, SETL_PLUGIN_ERROR_SCANNER,
                           "Cannot understand what the scanner said about "
                           "plugin file %s: %s", filename,
                           parse_error ? parse_error->message : "no output"));
        }
    }

  _setl_plugin_set_file_stamp (plugin, size, mtime_ns);
  g_clear_object (&state.process);
  g_free (state.out);
  g_free (state.err);
  g_clear_error (&state.error);
  return plugin;
}

/* ---- walking the search path -------------------------------------------- */

static void
collect_files (const char *path,
               guint       depth,
               GPtrArray  *files,
               GHashTable *seen)
{
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GPtrArray) names = NULL;
  const char *name;

  if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      char *canonical = g_canonicalize_filename (path, NULL);
      if (g_hash_table_add (seen, canonical))
        g_ptr_array_add (files, g_strdup (canonical));
      return;
    }
  if (depth > 8 || (dir = g_dir_open (path, 0, NULL)) == NULL)
    return;

  /* Sorted, so that which of two same-named plugins wins does not depend
   * on the order of directory entries. */
  names = g_ptr_array_new_with_free_func (g_free);
  while ((name = g_dir_read_name (dir)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_strings);

  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *child = g_build_filename (path, g_ptr_array_index (names, i), NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        collect_files (child, depth + 1, files, seen);
      else if (g_str_has_suffix (child, "." G_MODULE_SUFFIX) &&
               g_file_test (child, G_FILE_TEST_IS_REGULAR))
        collect_files (child, depth, files, seen);
    }
}

static SetlPlugin *
find_entry (GPtrArray  *entries,
            const char *filename)
{
  for (guint i = 0; i < entries->len; i++)
    {
      SetlPlugin *p = g_ptr_array_index (entries, i);
      if (g_str_equal (setl_plugin_get_filename (p), filename))
        return p;
    }
  return NULL;
}

static gboolean
stamp_matches (SetlPlugin *plugin,
               gint64      size,
               gint64      mtime_ns)
{
  gint64 s, m;

  _setl_plugin_get_file_stamp (plugin, &s, &m);
  return s == size && m == mtime_ns;
}

static SetlPlugin *
refuse (SetlPlugin *entry,
        GError     *error)
{
  SetlPlugin *copy = _setl_plugin_new_for_file (setl_plugin_get_filename (entry));

  _setl_plugin_set_descriptor (copy, setl_plugin_get_abi_major (entry),
                               setl_plugin_get_abi_minor (entry),
                               setl_plugin_get_name (entry),
                               setl_plugin_get_version (entry),
                               setl_plugin_get_description (entry),
                               setl_plugin_get_license (entry),
                               setl_plugin_get_origin (entry));
  _setl_plugin_take_error (copy, error);
  return copy;
}

/* Refuses @p for a name conflict. The warning is printed when the conflict
 * is new — not among those already reported (@reported, from the cache) —
 * or when one of the two files was just scanned; a conflict that is only
 * read back from the cache at the next start stays quiet, and `setl plugins
 * --blacklist` keeps showing it. */
static void
refuse_conflict (SetlPluginRegistry *self,
                 SetlPlugin         *p,
                 SetlPlugin         *other,
                 GError             *e,
                 GHashTable         *reported,
                 GHashTable         *scanned)
{
  if (!g_hash_table_contains (reported, e->message) ||
      g_hash_table_contains (scanned, setl_plugin_get_filename (p)) ||
      g_hash_table_contains (scanned, setl_plugin_get_filename (other)))
    g_warning ("%s", e->message);
  g_hash_table_add (self->conflicts, g_strdup (e->message));
  g_ptr_array_add (self->refused, refuse (p, e));
}

/* Decides which entries are plugins and which are refused. @reported holds
 * the conflicts reported before, @scanned the files scanned by this update.
 * Returns whether the set of conflicts changed. */
static gboolean
resolve (SetlPluginRegistry *self,
         GHashTable         *reported,
         GHashTable         *scanned)
{
  GHashTableIter iter;
  gpointer message;
  gboolean changed;

  g_ptr_array_set_size (self->plugins, 0);
  g_ptr_array_set_size (self->refused, 0);
  g_hash_table_remove_all (self->by_name);
  g_hash_table_remove_all (self->features);
  g_hash_table_remove_all (self->conflicts);

  for (guint i = 0; i < self->entries->len; i++)
    {
      SetlPlugin *p = g_ptr_array_index (self->entries, i);
      const char *name = setl_plugin_get_name (p);
      GPtrArray *features = setl_plugin_get_features (p);
      SetlPlugin *other;
      SetlPluginFeature *clash = NULL;
      const char *clash_name = NULL;

      if (setl_plugin_get_error (p) != NULL)
        {
          g_ptr_array_add (self->refused, g_object_ref (p));
          continue;
        }

      other = g_hash_table_lookup (self->by_name, name);
      if (other != NULL)
        {
          GError *e = g_error_new (SETL_PLUGIN_ERROR, SETL_PLUGIN_ERROR_NAME_CONFLICT,
                                   "Plugin “%s” in %s ignored: a plugin of that "
                                   "name was found first in %s",
                                   name, setl_plugin_get_filename (p),
                                   setl_plugin_get_filename (other));
          refuse_conflict (self, p, other, e, reported, scanned);
          continue;
        }
      for (guint j = 0; j < features->len && clash == NULL; j++)
        {
          clash_name = setl_plugin_feature_get_name (g_ptr_array_index (features, j));
          clash = g_hash_table_lookup (self->features, clash_name);
        }
      if (clash != NULL)
        {
          SetlPlugin *owner = setl_plugin_feature_get_plugin (clash);
          GError *e = g_error_new (SETL_PLUGIN_ERROR, SETL_PLUGIN_ERROR_NAME_CONFLICT,
                                   "Plugin “%s” in %s ignored: its feature “%s” "
                                   "is already provided by plugin “%s” in %s",
                                   name, setl_plugin_get_filename (p), clash_name,
                                   setl_plugin_get_name (owner),
                                   setl_plugin_get_filename (owner));
          refuse_conflict (self, p, owner, e, reported, scanned);
          continue;
        }

      g_ptr_array_add (self->plugins, g_object_ref (p));
      g_hash_table_insert (self->by_name, (gpointer) name, p);
      for (guint j = 0; j < features->len; j++)
        {
          SetlPluginFeature *f = g_ptr_array_index (features, j);
          g_hash_table_insert (self->features, (gpointer) setl_plugin_feature_get_name (f), f);
        }
    }

  changed = g_hash_table_size (reported) != g_hash_table_size (self->conflicts);
  g_hash_table_iter_init (&iter, self->conflicts);
  while (!changed && g_hash_table_iter_next (&iter, &message, NULL))
    changed = !g_hash_table_contains (reported, message);
  return changed;
}

/**
 * setl_plugin_registry_update:
 * @self: a #SetlPluginRegistry
 * @error: return location for a #GError
 *
 * Brings the registry up to date with the search path: reads the cache
 * (rebuilding it, with a warning, if it is damaged), scans in the helper
 * process the plugin files that are new or changed since they were cached,
 * forgets those that are gone, and writes the cache back if anything
 * changed. No plugin module is opened in this process. Plugins already
 * loaded in this process stay as they are while their file is unchanged.
 *
 * Plugins that are refused do not make this fail: see
 * setl_plugin_registry_get_refused(). A cache that cannot be written only
 * logs a warning.
 *
 * Returns: %TRUE on success
 */
gboolean
setl_plugin_registry_update (SetlPluginRegistry  *self,
                             GError             **error)
{
  g_autoptr(GHashTable) cache = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GHashTable) reported = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) scanned = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) cache_error = NULL;
  gboolean cache_exists = FALSE;
  gboolean dirty = FALSE;

  g_return_val_if_fail (SETL_IS_PLUGIN_REGISTRY (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  g_mutex_lock (&self->lock);

  cache = read_cache (self->cache_file, &cache_exists, reported, &cache_error);
  if (cache == NULL)
    {
      g_hash_table_remove_all (reported);
      g_warning ("Plugin registry cache %s is damaged (%s); rebuilding it",
                 self->cache_file, cache_error->message);
      cache = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_object_unref);
      dirty = TRUE;
    }
  else if (!cache_exists)
    dirty = TRUE;

  for (guint i = 0; self->search_path[i]; i++)
    collect_files (self->search_path[i], 0, files, seen);

  self->n_scanned = 0;
  for (guint i = 0; i < files->len; i++)
    {
      const char *filename = g_ptr_array_index (files, i);
      SetlPlugin *known, *cached;
      gint64 size, mtime;

      if (!_setl_plugin_stat_file (filename, &size, &mtime))
        continue;

      known = find_entry (self->entries, filename);
      cached = g_hash_table_lookup (cache, filename);
      if (cached != NULL && stamp_matches (cached, size, mtime))
        {
          /* Keep the object this registry may have loaded already. */
          if (known != NULL && stamp_matches (known, size, mtime))
            g_ptr_array_add (entries, g_object_ref (known));
          else
            g_ptr_array_add (entries, g_object_ref (cached));
          g_hash_table_remove (cache, filename);
        }
      else
        {
          g_ptr_array_add (entries, scan_file (filename, size, mtime));
          g_hash_table_add (scanned, (gpointer) filename);
          self->n_scanned++;
          g_hash_table_remove (cache, filename);
          dirty = TRUE;
        }
    }
  /* Cached files no longer found: removed, or off the search path. */
  if (g_hash_table_size (cache) > 0)
    dirty = TRUE;

  g_ptr_array_unref (self->entries);
  self->entries = g_steal_pointer (&entries);
  if (resolve (self, reported, scanned))
    dirty = TRUE;

  if (dirty)
    {
      g_autoptr(GError) write_error = NULL;

      if (!write_cache (self, &write_error))
        g_warning ("Cannot write plugin registry cache %s: %s",
                   self->cache_file, write_error->message);
    }

  g_mutex_unlock (&self->lock);
  return TRUE;
}

/**
 * setl_plugin_registry_get_search_path:
 * @self: a #SetlPluginRegistry
 *
 * Returns: (transfer none) (array zero-terminated=1): the search path
 */
const char * const *
setl_plugin_registry_get_search_path (SetlPluginRegistry *self)
{
  g_return_val_if_fail (SETL_IS_PLUGIN_REGISTRY (self), NULL);
  return (const char * const *) self->search_path;
}

/**
 * setl_plugin_registry_get_cache_file:
 * @self: a #SetlPluginRegistry
 *
 * Returns: the path of the registry cache
 */
const char *
setl_plugin_registry_get_cache_file (SetlPluginRegistry *self)
{
  g_return_val_if_fail (SETL_IS_PLUGIN_REGISTRY (self), NULL);
  return self->cache_file;
}

/**
 * setl_plugin_registry_get_n_scanned:
 * @self: a #SetlPluginRegistry
 *
 * Returns: how many plugin files the last update ran through the scanner
 *   (0 when everything came from the cache)
 */
guint
setl_plugin_registry_get_n_scanned (SetlPluginRegistry *self)
{
  g_return_val_if_fail (SETL_IS_PLUGIN_REGISTRY (self), 0);
  return self->n_scanned;
}

/**
 * setl_plugin_registry_get_plugins:
 * @self: a #SetlPluginRegistry
 *
 * Returns: (transfer container) (element-type SetlPlugin): the accepted
 *   plugins, in search-path order
 */
GPtrArray *
setl_plugin_registry_get_plugins (SetlPluginRegistry *self)
{
  GPtrArray *copy;

  g_return_val_if_fail (SETL_IS_PLUGIN_REGISTRY (self), NULL);
  g_mutex_lock (&self->lock);
  copy = g_ptr_array_copy (self->plugins, (GCopyFunc) (void (*) (void)) g_object_ref, NULL);
  g_ptr_array_set_free_func (copy, g_object_unref);
  g_mutex_unlock (&self->lock);
  return copy;
}

/**
 * setl_plugin_registry_get_refused:
 * @self: a #SetlPluginRegistry
 *
 * The plugin files that were refused — blacklisted after a crash, with the
 * wrong ABI, without a descriptor, in conflict with an earlier plugin… —
 * each with its reason in setl_plugin_get_error().
 *
 * Returns: (transfer container) (element-type SetlPlugin): the refused
 *   plugin files
 */
GPtrArray *
setl_plugin_registry_get_refused (SetlPluginRegistry *self)
{
  GPtrArray *copy;

  g_return_val_if_fail (SETL_IS_PLUGIN_REGISTRY (self), NULL);
  g_mutex_lock (&self->lock);
  copy = g_ptr_array_copy (self->refused, (GCopyFunc) (void (*) (void)) g_object_ref, NULL);
  g_ptr_array_set_free_func (copy, g_object_unref);
  g_mutex_unlock (&self->lock);
  return copy;
}

/**
 * setl_plugin_registry_get_features:
 * @self: a #SetlPluginRegistry
 * @kind: a #SetlFeatureKind
 *
 * Returns: (transfer container) (element-type SetlPluginFeature): the
 *   features of kind @kind, highest rank first
 */
GPtrArray *
setl_plugin_registry_get_features (SetlPluginRegistry *self,
                                   SetlFeatureKind     kind)
{
  GPtrArray *result = g_ptr_array_new_with_free_func (g_object_unref);

  g_return_val_if_fail (SETL_IS_PLUGIN_REGISTRY (self), result);

  g_mutex_lock (&self->lock);
  for (guint i = 0; i < self->plugins->len; i++)
    {
      GPtrArray *features = setl_plugin_get_features (g_ptr_array_index (self->plugins, i));
      for (guint j = 0; j < features->len; j++)
        {
          SetlPluginFeature *f = g_ptr_array_index (features, j);
          if (setl_plugin_feature_get_kind (f) == kind)
            g_ptr_array_add (result, g_object_ref (f));
        }
    }
  g_mutex_unlock (&self->lock);

  /* Stable insertion sort by rank: few features, and ties keep search order. */
  for (guint i = 1; i < result->len; i++)
    for (guint j = i; j > 0 &&
         setl_plugin_feature_get_rank (result->pdata[j - 1]) <
         setl_plugin_feature_get_rank (result->pdata[j]); j--)
      {
        gpointer tmp = result->pdata[j];
        result->pdata[j] = result->pdata[j - 1];
        result->pdata[j - 1] = tmp;
      }
  return result;
}

/**
 * setl_plugin_registry_lookup_plugin:
 * @self: a #SetlPluginRegistry
 * @name: a plugin name
 *
 * Returns: (transfer none) (nullable): the accepted plugin called @name
 */
SetlPlugin *
setl_plugin_registry_lookup_plugin (SetlPluginRegistry *self,
                                    const char         *name)
{
  SetlPlugin *plugin;

  g_return_val_if_fail (SETL_IS_PLUGIN_REGISTRY (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  g_mutex_lock (&self->lock);
  plugin = g_hash_table_lookup (self->by_name, name);
  g_mutex_unlock (&self->lock);
  return plugin;
}

/**
 * setl_plugin_registry_lookup_feature:
 * @self: a #SetlPluginRegistry
 * @name: a feature name
 *
 * Returns: (transfer none) (nullable): the feature called @name
 */
SetlPluginFeature *
setl_plugin_registry_lookup_feature (SetlPluginRegistry *self,
                                     const char         *name)
{
  SetlPluginFeature *feature;

  g_return_val_if_fail (SETL_IS_PLUGIN_REGISTRY (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  g_mutex_lock (&self->lock);
  feature = g_hash_table_lookup (self->features, name);
  g_mutex_unlock (&self->lock);
  return feature;
}

/**
 * setl_plugin_registry_create_factory:
 * @self: a #SetlPluginRegistry
 * @feature_name: the name of a source, sink or transform feature
 * @error: return location for a #GError
 *
 * Makes a factory from a plugin, opening the plugin's module if this is the
 * first time one of its features is used.
 *
 * Returns: (transfer full) (nullable): a new factory with default
 *   properties, or %NULL with @error set
 */
SetlFactory *
setl_plugin_registry_create_factory (SetlPluginRegistry  *self,
                                     const char          *feature_name,
                                     GError             **error)
{
  SetlPluginFeature *feature;

  g_return_val_if_fail (SETL_IS_PLUGIN_REGISTRY (self), NULL);
  g_return_val_if_fail (feature_name != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  feature = setl_plugin_registry_lookup_feature (self, feature_name);
  if (feature == NULL)
    {
      g_set_error (error, SETL_PLUGIN_ERROR, SETL_PLUGIN_ERROR_NOT_FOUND,
                   "No plugin provides a feature called “%s”", feature_name);
      return NULL;
    }
  if (!setl_feature_kind_is_factory (setl_plugin_feature_get_kind (feature)))
    {
      g_set_error (error, SETL_PLUGIN_ERROR, SETL_PLUGIN_ERROR_INVALID_FEATURE,
                   "Feature “%s” of plugin “%s” is a %s, not a factory",
                   feature_name,
                   setl_plugin_get_name (setl_plugin_feature_get_plugin (feature)),
                   setl_feature_kind_to_string (setl_plugin_feature_get_kind (feature)));
      return NULL;
    }
  return SETL_FACTORY (setl_plugin_feature_create (feature, error));
}
