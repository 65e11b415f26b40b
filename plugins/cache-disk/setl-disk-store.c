/* setl-disk-store.c: SetlDiskStore — the files of the disk cache, and how
 * processes share them.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "setl-disk-store.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <xxhash.h>

/**
 * SetlDiskStore:
 *
 * A directory of entry files named by their key's digest:
 *
 * |[
 * DIR/CACHEDIR.TAG                      tells backup tools to skip DIR
 * DIR/disk-v2/lock                      flock()ed; holds the usage counters
 * DIR/disk-v2/entries/3f/3fa2….stbl     one table file per entry
 * DIR/disk-v2/subjects/9c/9c07….stbl    the latest entry's metadata per subject
 * ]|
 *
 * The rules that make it safe for processes (and threads) sharing DIR:
 *
 * - An entry file is written whole under a temporary dot-name beside its
 *   final name, synced, and renamed over it: a reader opens either the
 *   previous file or the new one, never a partial one. Files are never
 *   modified after the rename, only replaced or unlinked, so a reader that
 *   has opened one reads it whole even if it is evicted meanwhile.
 * - Every change of the set of entries (a rename into place, an unlink) and
 *   of the usage counters happens under an exclusive flock() of the lock
 *   file (plus a mutex, since flock() does not exclude threads sharing one
 *   open file). Reading takes no lock.
 * - The last access of an entry is its file's modification time, set
 *   explicitly (nanoseconds, strictly increasing within a process) when it
 *   is stored and when it is hit; eviction removes the oldest first.
 * - The counters (bytes and entries) live in the lock file with a
 *   checksum. When they are missing or damaged, and at every eviction, they
 *   are recomputed from the directory, which is the truth.
 */
struct _SetlDiskStore
{
  GObject parent_instance;

  char   *dir;
  char   *root;
  char   *entries;
  char   *subjects;
  int     lock_fd;
  GMutex  mutex;
};

G_DEFINE_FINAL_TYPE (SetlDiskStore, setl_disk_store, G_TYPE_OBJECT)

#define COUNTERS_MAGIC "SDCUSE01"
#define COUNTERS_SIZE  32
#define ENTRY_SUFFIX   ".stbl"
/* A temporary file this old belongs to a writer that died. */
#define STALE_TEMP_USEC ((gint64) G_USEC_PER_SEC * 3600)

static void
setl_disk_store_finalize (GObject *object)
{
  SetlDiskStore *self = SETL_DISK_STORE (object);

  if (self->lock_fd >= 0)
    close (self->lock_fd);
  g_free (self->dir);
  g_free (self->root);
  g_free (self->entries);
  g_free (self->subjects);
  g_mutex_clear (&self->mutex);

  G_OBJECT_CLASS (setl_disk_store_parent_class)->finalize (object);
}

static void
setl_disk_store_class_init (SetlDiskStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = setl_disk_store_finalize;
}

static void
setl_disk_store_init (SetlDiskStore *self)
{
  self->lock_fd = -1;
  g_mutex_init (&self->mutex);
}

static gboolean
set_errno_error (GError      **error,
                 int           saved_errno,
                 const char   *format,
                 const char   *path)
{
  g_autofree char *what = g_strdup_printf (format, path);

  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
               "Disk cache: %s: %s", what, g_strerror (saved_errno));
  return FALSE;
}

static const char cachedir_tag[] =
  "Signature: 8a477f597d28d172789f06886806bc55\n"
  "# This file is a cache directory tag created by libsetl's disk cache.\n"
  "# For information about cache directory tags see https://bford.info/cachedir/\n";

/**
 * setl_disk_store_new:
 * @dir: (nullable): the cache directory, or %NULL for
 *   g_get_user_cache_dir()/setl
 * @error: return location for a #GError
 *
 * Opens the store in @dir, creating the directories it needs; the lock
 * file is created by the first change.
 *
 * Returns: (transfer full): the store, or %NULL with a #G_IO_ERROR naming
 *   the directory
 */
SetlDiskStore *
setl_disk_store_new (const char  *dir,
                     GError     **error)
{
  g_autoptr(SetlDiskStore) self = g_object_new (SETL_TYPE_DISK_STORE, NULL);
  g_autofree char *tag = NULL;
  int fd;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self->dir = dir != NULL ? g_strdup (dir)
                          : g_build_filename (g_get_user_cache_dir (), "setl", NULL);
  self->root = g_build_filename (self->dir, SETL_DISK_STORE_LAYOUT, NULL);
  self->entries = g_build_filename (self->root, "entries", NULL);
  self->subjects = g_build_filename (self->root, "subjects", NULL);

  /* A store already in place is opened without writing anything (the lock
   * file is opened when first needed, by a change): a run whose results
   * are all cached only reads. */
  if (g_file_test (self->entries, G_FILE_TEST_IS_DIR) &&
      g_file_test (self->subjects, G_FILE_TEST_IS_DIR))
    return g_steal_pointer (&self);

  if (g_mkdir_with_parents (self->entries, 0755) != 0 ||
      g_mkdir_with_parents (self->subjects, 0755) != 0)
    {
      set_errno_error (error, errno, "cannot create the folders of “%s”", self->root);
      return NULL;
    }

  /* Best effort: a missing tag only means backups include the cache. */
  tag = g_build_filename (self->dir, "CACHEDIR.TAG", NULL);
  fd = g_open (tag, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd >= 0)
    {
      if (write (fd, cachedir_tag, sizeof cachedir_tag - 1) < 0)
        g_debug ("Disk cache: cannot write “%s”: %s", tag, g_strerror (errno));
      close (fd);
    }

  return g_steal_pointer (&self);
}

/**
 * setl_disk_store_get_dir:
 * @self: a #SetlDiskStore
 *
 * Returns: the cache directory
 */
const char *
setl_disk_store_get_dir (SetlDiskStore *self)
{
  g_return_val_if_fail (SETL_IS_DISK_STORE (self), NULL);
  return self->dir;
}

/**
 * setl_disk_store_get_root:
 * @self: a #SetlDiskStore
 *
 * Returns: the folder of this layout version inside the cache directory
 */
const char *
setl_disk_store_get_root (SetlDiskStore *self)
{
  g_return_val_if_fail (SETL_IS_DISK_STORE (self), NULL);
  return self->root;
}

/**
 * setl_disk_store_entry_path:
 * @self: a #SetlDiskStore
 * @digest: a key digest (lower-case hexadecimal)
 *
 * Returns: (transfer full): where the entry of @digest is stored: under a
 *   subfolder named after its first two digits, so that no folder grows
 *   beyond a few thousand files
 */
char *
setl_disk_store_entry_path (SetlDiskStore *self,
                            const char    *digest)
{
  char fan[3] = { 0 };
  g_autofree char *name = NULL;

  g_return_val_if_fail (SETL_IS_DISK_STORE (self), NULL);
  g_return_val_if_fail (digest != NULL && strlen (digest) >= 2, NULL);

  memcpy (fan, digest, 2);
  name = g_strconcat (digest, ENTRY_SUFFIX, NULL);
  return g_build_filename (self->entries, fan, name, NULL);
}

/**
 * setl_disk_store_subject_path:
 * @self: a #SetlDiskStore
 * @subject: a key's subject (any text)
 *
 * Returns: (transfer full): where the metadata of the latest entry of
 *   @subject is kept, named by the XXH3-128 of @subject
 */
char *
setl_disk_store_subject_path (SetlDiskStore *self,
                              const char    *subject)
{
  XXH128_canonical_t canonical;
  char hex[33];
  char fan[3] = { 0 };
  g_autofree char *name = NULL;

  g_return_val_if_fail (SETL_IS_DISK_STORE (self), NULL);
  g_return_val_if_fail (subject != NULL, NULL);

  XXH128_canonicalFromHash (&canonical, XXH3_128bits (subject, strlen (subject)));
  for (guint i = 0; i < 16; i++)
    g_snprintf (hex + 2 * i, 3, "%02x", canonical.digest[i]);
  memcpy (fan, hex, 2);
  name = g_strconcat (hex, ENTRY_SUFFIX, NULL);
  return g_build_filename (self->subjects, fan, name, NULL);
}

/**
 * setl_disk_store_open:
 * @self: a #SetlDiskStore
 * @path: an entry or subject path
 * @error: return location for a #GError
 *
 * Opens a stored file for reading. A file that is not there is not an
 * error: -1 is returned with @error unset.
 *
 * Returns: a file descriptor, or -1
 */
int
setl_disk_store_open (SetlDiskStore  *self,
                      const char     *path,
                      GError        **error)
{
  int fd;

  g_return_val_if_fail (SETL_IS_DISK_STORE (self), -1);
  g_return_val_if_fail (path != NULL, -1);

  fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
  if (fd < 0 && errno != ENOENT)
    set_errno_error (error, errno, "cannot open “%s”", path);
  return fd;
}

/**
 * setl_disk_store_prepare:
 * @self: a #SetlDiskStore
 * @path: an entry or subject path
 * @error: return location for a #GError
 *
 * Creates the folder of @path, so that a #SetlTableFileWriter can create
 * its temporary file there.
 *
 * Returns: %TRUE on success
 */
gboolean
setl_disk_store_prepare (SetlDiskStore  *self,
                         const char     *path,
                         GError        **error)
{
  g_autofree char *parent = NULL;

  g_return_val_if_fail (SETL_IS_DISK_STORE (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  parent = g_path_get_dirname (path);
  if (g_mkdir (parent, 0755) != 0 && errno != EEXIST)
    return set_errno_error (error, errno, "cannot create “%s”", parent);
  return TRUE;
}

/* Strictly increasing within the process, so that two accesses in a row
 * are ordered even when the clock has not moved. */
static struct timespec
access_stamp (void)
{
  static gint64 last_ns;
  struct timespec ts;
  gint64 ns, prev, next;

  clock_gettime (CLOCK_REALTIME, &ts);
  ns = (gint64) ts.tv_sec * G_GINT64_CONSTANT (1000000000) + ts.tv_nsec;
  prev = __atomic_load_n (&last_ns, __ATOMIC_SEQ_CST);
  do
    next = MAX (ns, prev + 1);
  while (!__atomic_compare_exchange_n (&last_ns, &prev, next, FALSE,
                                       __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST));
  ns = next;
  ts.tv_sec = ns / G_GINT64_CONSTANT (1000000000);
  ts.tv_nsec = ns % G_GINT64_CONSTANT (1000000000);
  return ts;
}

/**
 * setl_disk_store_touch:
 * @fd: an entry file, open
 *
 * Records an access: sets the file's modification time, which eviction
 * orders entries by, to now. Failing (a read-only cache shared by another
 * user) only makes eviction less accurate.
 */
void
setl_disk_store_touch (int fd)
{
  struct timespec times[2];

  times[0] = times[1] = access_stamp ();
  if (futimens (fd, times) != 0)
    g_debug ("Disk cache: cannot record an access: %s", g_strerror (errno));
}

static gboolean
store_lock (SetlDiskStore  *self,
            GError        **error)
{
  g_mutex_lock (&self->mutex);
  if (self->lock_fd < 0)
    {
      g_autofree char *lock_path = g_build_filename (self->root, "lock", NULL);

      self->lock_fd = g_open (lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
      if (self->lock_fd < 0)
        {
          int saved_errno = errno;

          g_mutex_unlock (&self->mutex);
          return set_errno_error (error, saved_errno, "cannot open the lock file “%s”",
                                  lock_path);
        }
    }
  while (flock (self->lock_fd, LOCK_EX) != 0)
    {
      int saved_errno = errno;

      if (saved_errno == EINTR)
        continue;
      g_mutex_unlock (&self->mutex);
      return set_errno_error (error, saved_errno, "cannot lock “%s”", self->root);
    }
  return TRUE;
}

static void
store_unlock (SetlDiskStore *self)
{
  flock (self->lock_fd, LOCK_UN);
  g_mutex_unlock (&self->mutex);
}

static gboolean
read_counters (SetlDiskStore      *self,
               SetlDiskStoreUsage *usage)
{
  guint8 buf[COUNTERS_SIZE];
  guint64 v[3];

  if (pread (self->lock_fd, buf, sizeof buf, 0) != sizeof buf ||
      memcmp (buf, COUNTERS_MAGIC, 8) != 0)
    return FALSE;
  memcpy (v, buf + 8, sizeof v);
  if (GUINT64_FROM_LE (v[2]) != XXH3_64bits (buf, 24))
    return FALSE;
  usage->size = GUINT64_FROM_LE (v[0]);
  usage->n_entries = GUINT64_FROM_LE (v[1]);
  return TRUE;
}

static void
write_counters (SetlDiskStore            *self,
                const SetlDiskStoreUsage *usage)
{
  guint8 buf[COUNTERS_SIZE];
  guint64 v;

  memcpy (buf, COUNTERS_MAGIC, 8);
  v = GUINT64_TO_LE (usage->size);
  memcpy (buf + 8, &v, 8);
  v = GUINT64_TO_LE (usage->n_entries);
  memcpy (buf + 16, &v, 8);
  v = GUINT64_TO_LE (XXH3_64bits (buf, 24));
  memcpy (buf + 24, &v, 8);
  /* Not synced: after a crash, damaged counters are recomputed, and stale
   * ones are corrected at the next eviction. */
  if (pwrite (self->lock_fd, buf, sizeof buf, 0) != sizeof buf)
    g_debug ("Disk cache: cannot update the counters in “%s”: %s", self->root,
             g_strerror (errno));
}

typedef struct {
  char    *path;
  guint64  size;
  gint64   mtime_ns;
} ScannedEntry;

static void
scanned_entry_clear (gpointer data)
{
  g_free (((ScannedEntry *) data)->path);
}

static gboolean
is_temp_name (const char *name)
{
  return name[0] == '.' && strstr (name, ".tmp-") != NULL;
}

/* Lists the files under @top (entries or subjects), two levels deep.
 * Temporary files of writers that died long ago are removed on the way
 * when @remove_stale is set. */
static gboolean
scan_dir (const char  *top,
          gboolean     remove_stale,
          GArray      *out,
          GError     **error)
{
  g_autoptr(GDir) d = NULL;
  g_autoptr(GError) local_error = NULL;
  gint64 now = g_get_real_time ();
  const char *fan;

  d = g_dir_open (top, 0, &local_error);
  if (d == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "Disk cache: %s",
                   local_error->message);
      return FALSE;
    }
  while ((fan = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *sub = g_build_filename (top, fan, NULL);
      g_autoptr(GDir) sd = g_dir_open (sub, 0, NULL);
      const char *name;

      if (sd == NULL)
        continue;   /* not a folder, or removed meanwhile */
      while ((name = g_dir_read_name (sd)) != NULL)
        {
          g_autofree char *path = g_build_filename (sub, name, NULL);
          struct stat st;

          if (lstat (path, &st) != 0 || !S_ISREG (st.st_mode))
            continue;
          if (is_temp_name (name))
            {
              if (remove_stale &&
                  now - (gint64) st.st_mtime * G_USEC_PER_SEC > STALE_TEMP_USEC)
                g_unlink (path);
              continue;
            }
          if (!g_str_has_suffix (name, ENTRY_SUFFIX))
            continue;
          {
            ScannedEntry e;

            e.path = g_steal_pointer (&path);
            e.size = (guint64) st.st_size;
            e.mtime_ns = (gint64) st.st_mtim.tv_sec * G_GINT64_CONSTANT (1000000000) +
                         st.st_mtim.tv_nsec;
            g_array_append_val (out, e);
          }
        }
    }
  return TRUE;
}

static GArray *
scanned_array_new (void)
{
  GArray *a = g_array_new (FALSE, FALSE, sizeof (ScannedEntry));

  g_array_set_clear_func (a, scanned_entry_clear);
  return a;
}

static void
sum_usage (GArray             *entries,
           SetlDiskStoreUsage *usage)
{
  usage->size = 0;
  usage->n_entries = entries->len;
  for (guint i = 0; i < entries->len; i++)
    usage->size += g_array_index (entries, ScannedEntry, i).size;
}

static gboolean
load_counters_locked (SetlDiskStore       *self,
                      SetlDiskStoreUsage  *usage,
                      GError             **error)
{
  g_autoptr(GArray) entries = NULL;

  if (read_counters (self, usage))
    return TRUE;
  entries = scanned_array_new ();
  if (!scan_dir (self->entries, FALSE, entries, error))
    return FALSE;
  sum_usage (entries, usage);
  write_counters (self, usage);
  return TRUE;
}

static gint
compare_by_access (gconstpointer a,
                   gconstpointer b)
{
  const ScannedEntry *x = a, *y = b;

  if (x->mtime_ns != y->mtime_ns)
    return x->mtime_ns < y->mtime_ns ? -1 : 1;
  return strcmp (x->path, y->path);
}

/* Removes least recently used entries until at most @target bytes are
 * left, never @keep (the entry just stored). Recomputes the counters from
 * the directory. */
static gboolean
evict_locked (SetlDiskStore  *self,
              guint64         target,
              const char     *keep,
              guint64        *n_evicted,
              GError        **error)
{
  g_autoptr(GArray) entries = scanned_array_new ();
  SetlDiskStoreUsage usage;
  guint64 evicted = 0;

  if (!scan_dir (self->entries, TRUE, entries, error))
    return FALSE;
  sum_usage (entries, &usage);
  g_array_sort (entries, compare_by_access);

  for (guint i = 0; i < entries->len && usage.size > target; i++)
    {
      ScannedEntry *e = &g_array_index (entries, ScannedEntry, i);

      if (keep != NULL && strcmp (e->path, keep) == 0)
        continue;
      if (g_unlink (e->path) != 0)
        {
          if (errno != ENOENT)
            g_debug ("Disk cache: cannot evict “%s”: %s", e->path, g_strerror (errno));
          continue;
        }
      usage.size -= e->size;
      usage.n_entries--;
      evicted++;
    }
  write_counters (self, &usage);
  if (n_evicted != NULL)
    *n_evicted = evicted;
  return TRUE;
}

/* Eviction goes below the limit by this margin, so that a full cache does
 * not scan its directory at every store. */
static guint64
low_water (guint64 max_size)
{
  return max_size - max_size / 10;
}

/**
 * setl_disk_store_commit:
 * @self: a #SetlDiskStore
 * @writer: a finished writer (setl_table_file_writer_finish()) whose path
 *   is an entry path of this store
 * @max_size: the size limit, 0 for none
 * @n_evicted: (out) (optional): how many entries were evicted
 * @error: return location for a #GError
 *
 * Puts the writer's file in place, replacing the entry stored under the
 * same digest if any, and evicts least recently used entries when the
 * store grows over @max_size.
 *
 * Returns: %TRUE on success
 */
gboolean
setl_disk_store_commit (SetlDiskStore        *self,
                        SetlTableFileWriter  *writer,
                        guint64               max_size,
                        guint64              *n_evicted,
                        GError              **error)
{
  const char *tmp = setl_table_file_writer_get_temp_path (writer);
  const char *path = setl_table_file_writer_get_path (writer);
  SetlDiskStoreUsage usage;
  struct timespec times[2];
  struct stat st;
  guint64 old_size = 0;
  gboolean had_old, ok;

  g_return_val_if_fail (SETL_IS_DISK_STORE (self), FALSE);
  g_return_val_if_fail (SETL_IS_TABLE_FILE_WRITER (writer), FALSE);
  g_return_val_if_fail (tmp != NULL, FALSE);

  if (n_evicted != NULL)
    *n_evicted = 0;

  if (stat (tmp, &st) != 0)
    return set_errno_error (error, errno, "cannot stat “%s”", tmp);
  times[0] = times[1] = access_stamp ();
  if (utimensat (AT_FDCWD, tmp, times, 0) != 0)
    g_debug ("Disk cache: cannot set the access time of “%s”: %s", tmp, g_strerror (errno));

  if (!store_lock (self, error))
    return FALSE;

  {
    struct stat old;

    had_old = lstat (path, &old) == 0 && S_ISREG (old.st_mode);
    if (had_old)
      old_size = (guint64) old.st_size;
  }
  /* Counters first: if they must be recomputed, the scan must not see the
   * new file yet. */
  ok = load_counters_locked (self, &usage, error) &&
       setl_table_file_writer_commit (writer, error);
  if (ok)
    {
      usage.size = usage.size - MIN (usage.size, old_size) + (guint64) st.st_size;
      if (!had_old)
        usage.n_entries++;
      if (max_size > 0 && usage.size > max_size)
        ok = evict_locked (self, low_water (max_size), path, n_evicted, error);
      else
        write_counters (self, &usage);
    }

  store_unlock (self);
  return ok;
}

/**
 * setl_disk_store_commit_subject:
 * @self: a #SetlDiskStore
 * @writer: a finished writer whose path is a subject path of this store
 * @error: return location for a #GError
 *
 * Puts a subject record in place. Subject records are small, are not
 * counted in the usage nor evicted, and are replaced atomically.
 *
 * Returns: %TRUE on success
 */
gboolean
setl_disk_store_commit_subject (SetlDiskStore        *self,
                                SetlTableFileWriter  *writer,
                                GError              **error)
{
  g_return_val_if_fail (SETL_IS_DISK_STORE (self), FALSE);
  return setl_table_file_writer_commit (writer, error);
}

/**
 * setl_disk_store_drop:
 * @self: a #SetlDiskStore
 * @digest: the entry's digest
 * @fd: the entry file as it was opened and found expired or damaged, or -1
 *   to drop whatever is stored under @digest
 * @dropped: (out) (optional): whether a file was removed
 * @error: return location for a #GError
 *
 * Removes an entry. With @fd, only the very file @fd is open on is
 * removed: if another process has stored a fresh entry under the same
 * digest since, that one stays; and since such a file was found damaged
 * or expired, the counters are recomputed from the directory.
 *
 * Returns: %TRUE on success (also when there was nothing to remove)
 */
gboolean
setl_disk_store_drop (SetlDiskStore  *self,
                      const char     *digest,
                      int             fd,
                      gboolean       *dropped,
                      GError        **error)
{
  g_autofree char *path = NULL;
  SetlDiskStoreUsage usage;
  struct stat st, opened;
  gboolean ok = TRUE;

  g_return_val_if_fail (SETL_IS_DISK_STORE (self), FALSE);
  g_return_val_if_fail (digest != NULL, FALSE);

  if (dropped != NULL)
    *dropped = FALSE;
  path = setl_disk_store_entry_path (self, digest);
  if (fd >= 0 && fstat (fd, &opened) != 0)
    return set_errno_error (error, errno, "cannot stat “%s”", path);

  if (!store_lock (self, error))
    return FALSE;

  if (lstat (path, &st) == 0 &&
      (fd < 0 || (st.st_ino == opened.st_ino && st.st_dev == opened.st_dev)))
    {
      if (g_unlink (path) != 0)
        ok = set_errno_error (error, errno, "cannot remove “%s”", path);
      else
        {
          if (dropped != NULL)
            *dropped = TRUE;
          if (fd >= 0)
            {
              /* A file found damaged may have been cut or grown from
               * outside since it was counted: count again. Rare enough. */
              g_autoptr(GArray) entries = scanned_array_new ();

              if (scan_dir (self->entries, FALSE, entries, NULL))
                {
                  sum_usage (entries, &usage);
                  write_counters (self, &usage);
                }
            }
          else if (load_counters_locked (self, &usage, NULL))
            {
              usage.size -= MIN (usage.size, (guint64) st.st_size);
              usage.n_entries -= MIN (usage.n_entries, 1);
              write_counters (self, &usage);
            }
        }
    }

  store_unlock (self);
  return ok;
}

/**
 * setl_disk_store_evict:
 * @self: a #SetlDiskStore
 * @max_size: the size to get under
 * @n_evicted: (out) (optional): how many entries were evicted
 * @error: return location for a #GError
 *
 * Evicts least recently used entries until the store holds at most
 * @max_size bytes, and recomputes the counters from the directory.
 *
 * Returns: %TRUE on success
 */
gboolean
setl_disk_store_evict (SetlDiskStore  *self,
                       guint64         max_size,
                       guint64        *n_evicted,
                       GError        **error)
{
  gboolean ok;

  g_return_val_if_fail (SETL_IS_DISK_STORE (self), FALSE);

  if (!store_lock (self, error))
    return FALSE;
  ok = evict_locked (self, max_size, NULL, n_evicted, error);
  store_unlock (self);
  return ok;
}

/* The folders of earlier layouts (SETL_DISK_STORE_LAYOUT before): their
 * entries are never read, counted or evicted again, so clearing is the one
 * way they go. Only what such a folder is made of is removed (files in
 * entries/ and subjects/ fan-out folders, the lock file); a folder that
 * still holds anything else stays, and nothing here is an error. */
static const char *const old_layouts[] = { "disk-v1" };

static void
remove_old_layouts (const char *dir)
{
  for (guint i = 0; i < G_N_ELEMENTS (old_layouts); i++)
    {
      g_autofree char *root = g_build_filename (dir, old_layouts[i], NULL);
      g_autofree char *lock = g_build_filename (root, "lock", NULL);
      static const char *const tops[] = { "entries", "subjects" };

      if (!g_file_test (root, G_FILE_TEST_IS_DIR))
        continue;
      for (guint t = 0; t < G_N_ELEMENTS (tops); t++)
        {
          g_autofree char *top = g_build_filename (root, tops[t], NULL);
          g_autoptr(GDir) d = g_dir_open (top, 0, NULL);
          const char *fan;

          while (d != NULL && (fan = g_dir_read_name (d)) != NULL)
            {
              g_autofree char *sub = g_build_filename (top, fan, NULL);
              g_autoptr(GDir) sd = g_dir_open (sub, 0, NULL);
              const char *name;

              while (sd != NULL && (name = g_dir_read_name (sd)) != NULL)
                {
                  g_autofree char *path = g_build_filename (sub, name, NULL);
                  struct stat st;

                  if (lstat (path, &st) == 0 && S_ISREG (st.st_mode))
                    g_unlink (path);
                }
              g_rmdir (sub);
            }
          g_rmdir (top);
        }
      g_unlink (lock);
      g_rmdir (root);
    }
}

/**
 * setl_disk_store_clear:
 * @self: a #SetlDiskStore
 * @error: return location for a #GError
 *
 * Removes every entry and subject record, and the folders of earlier
 * layouts (whose entries are never read again). Writers running in other
 * processes are not disturbed: their temporary files stay, and their
 * entries appear when they commit.
 *
 * Returns: %TRUE on success
 */
gboolean
setl_disk_store_clear (SetlDiskStore  *self,
                       GError        **error)
{
  g_autoptr(GArray) files = scanned_array_new ();
  SetlDiskStoreUsage usage = { 0 };
  gboolean ok;

  g_return_val_if_fail (SETL_IS_DISK_STORE (self), FALSE);

  if (!store_lock (self, error))
    return FALSE;
  ok = scan_dir (self->entries, TRUE, files, error) &&
       scan_dir (self->subjects, TRUE, files, error);
  for (guint i = 0; ok && i < files->len; i++)
    {
      const char *path = g_array_index (files, ScannedEntry, i).path;

      if (g_unlink (path) != 0 && errno != ENOENT)
        ok = set_errno_error (error, errno, "cannot remove “%s”", path);
    }
  if (ok)
    write_counters (self, &usage);
  store_unlock (self);
  if (ok)
    remove_old_layouts (self->dir);
  return ok;
}

/**
 * setl_disk_store_get_usage:
 * @self: a #SetlDiskStore
 * @usage: (out caller-allocates): the usage
 * @error: return location for a #GError
 *
 * Reads the counters every process sharing the directory keeps up to date.
 *
 * Returns: %TRUE on success
 */
gboolean
setl_disk_store_get_usage (SetlDiskStore       *self,
                           SetlDiskStoreUsage  *usage,
                           GError             **error)
{
  gboolean ok;

  g_return_val_if_fail (SETL_IS_DISK_STORE (self), FALSE);
  g_return_val_if_fail (usage != NULL, FALSE);

  if (!store_lock (self, error))
    return FALSE;
  ok = load_counters_locked (self, usage, error);
  store_unlock (self);
  return ok;
}

/**
 * setl_disk_store_scan:
 * @self: a #SetlDiskStore
 * @usage: (out caller-allocates): what the directory holds
 * @error: return location for a #GError
 *
 * Measures the directory itself, under the lock, without touching the
 * counters: setl_disk_store_get_usage() must agree with it.
 *
 * Returns: %TRUE on success
 */
gboolean
setl_disk_store_scan (SetlDiskStore       *self,
                      SetlDiskStoreUsage  *usage,
                      GError             **error)
{
  g_autoptr(GArray) entries = scanned_array_new ();
  gboolean ok;

  g_return_val_if_fail (SETL_IS_DISK_STORE (self), FALSE);
  g_return_val_if_fail (usage != NULL, FALSE);

  if (!store_lock (self, error))
    return FALSE;
  ok = scan_dir (self->entries, FALSE, entries, error);
  if (ok)
    sum_usage (entries, usage);
  store_unlock (self);
  return ok;
}
