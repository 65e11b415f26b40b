/* test-table-file.c: the disk cache's table file format — round trips of
 * every type, and every kind of damage detected with an error naming the
 * file.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <setl/setl.h>
#include <glib/gstdio.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <xxhash.h>

#include "setl-table-file.h"
#include "setl-table-file-writer.h"
#include "cache-disk-test-util.h"

static char *tmpdir;

static char *
tmp_path (const char *name)
{
  return g_build_filename (tmpdir, name, NULL);
}

static guint
count_dir_entries (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  guint n = 0;

  g_assert_nonnull (d);
  while (g_dir_read_name (d) != NULL)
    n++;
  return n;
}

static void
check_round_trip (SetlTable *table,
                  const char *name)
{
  g_autofree char *path = tmp_path (name);
  g_autoptr(GError) error = NULL;
  g_autoptr(SetlTableFileInfo) winfo = NULL;
  g_autoptr(SetlTableFileInfo) rinfo = NULL;
  g_autoptr(SetlTable) back = NULL;

  g_assert_true (setl_table_file_write (path, table, NULL, 1, &winfo, &error));
  g_assert_no_error (error);
  back = setl_table_file_read (path, &rinfo, &error);
  g_assert_no_error (error);
  g_assert_nonnull (back);

  g_assert_true (setl_table_equal (table, back));
  g_assert_cmpuint (setl_table_get_n_batches (back), ==, setl_table_get_n_batches (table));
  g_assert_cmpint (setl_table_get_n_rows (back), ==, setl_table_get_n_rows (table));
  for (guint i = 0; i < setl_table_get_n_columns (table); i++)
    g_assert_true (setl_field_equal (setl_table_get_field (table, i),
                                     setl_table_get_field (back, i)));

  g_assert_cmpint (rinfo->n_rows, ==, setl_table_get_n_rows (table));
  g_assert_cmpuint (rinfo->n_batches, ==, setl_table_get_n_batches (table));
  g_assert_cmpstr (rinfo->content_hash, ==, winfo->content_hash);
  g_assert_cmpuint (strlen (rinfo->content_hash), ==, 32);
  g_assert_cmpuint (rinfo->file_size, ==, winfo->file_size);
  g_assert_null (rinfo->metadata);
}

static void
test_round_trip (void)
{
  static const struct { gint64 rows, batch; } shapes[] = {
    { 1000, 300 },   /* several batches, the last one short */
    { 1, 1 },
    { 64, 64 },      /* whole bytes of bitmap */
    { 65, 64 },      /* a bit past them */
    { 0, 1 },        /* one empty batch */
    { 0, 0 },        /* no batch at all */
  };

  for (guint i = 0; i < G_N_ELEMENTS (shapes); i++)
    for (guint seed = 0; seed < 3; seed++)
      {
        g_autoptr(SetlTable) table = cd_test_make_table (shapes[i].rows, shapes[i].batch, seed);
        g_autofree char *name = g_strdup_printf ("rt-%u-%u.stbl", i, seed);

        check_round_trip (table, name);
      }
}

/* Every column type occurs with nulls: the generator must really make
 * them, or the round trip proves less than it seems. */
static void
test_nulls_present (void)
{
  g_autoptr(SetlTable) table = cd_test_make_table (500, 500, 1);
  SetlRecordBatch *batch = setl_table_get_batch (table, 0);

  for (guint c = 0; c < 6; c++)
    g_assert_cmpint (setl_column_get_null_count (setl_record_batch_get_column (batch, c)), >, 0);
  g_assert_cmpint (setl_column_get_null_count (setl_record_batch_get_column (batch, 6)), ==, 0);
}

static void
test_no_columns (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SetlTable) table = setl_table_new (NULL, 0, NULL, 0, &error);

  g_assert_no_error (error);
  check_round_trip (table, "no-columns.stbl");
}

/* Slices start mid-byte in the bitmaps and mid-buffer in string offsets:
 * the writer re-bases both. */
static void
test_slices (void)
{
  g_autoptr(SetlTable) table = cd_test_make_table (1000, 400, 2);

  for (gint64 offset = 0; offset < 17; offset += 3)
    {
      g_autoptr(SetlTable) slice = setl_table_slice (table, offset, 777);
      g_autofree char *name = g_strdup_printf ("slice-%" G_GINT64_FORMAT ".stbl", offset);

      check_round_trip (slice, name);
    }
}

/* The columns of a batch read back point into one decompressed block, at
 * 64-byte aligned addresses: nothing was copied row by row. */
static void
test_zero_copy (void)
{
  g_autoptr(SetlTable) table = cd_test_make_table (3000, 3000, 4);
  g_autofree char *path = tmp_path ("zero-copy.stbl");
  g_autoptr(GError) error = NULL;
  g_autoptr(SetlTableFileInfo) info = NULL;
  g_autoptr(SetlTable) back = NULL;
  SetlRecordBatch *batch;
  const guint8 *first;

  g_assert_true (setl_table_file_write (path, table, NULL, 3, NULL, &error));
  back = setl_table_file_read (path, &info, &error);
  g_assert_no_error (error);
  batch = setl_table_get_batch (back, 0);
  first = setl_column_get_values_data (setl_record_batch_get_column (batch, 0));

  for (guint c = 0; c < setl_record_batch_get_n_columns (batch); c++)
    {
      SetlColumn *column = setl_record_batch_get_column (batch, c);
      const guint8 *values = setl_column_get_values_data (column);
      const guint8 *validity = setl_column_get_validity_bitmap (column);

      g_assert_cmpuint ((guintptr) values % 64, ==, 0);
      g_assert_true (values >= first && values < first + info->raw_size);
      if (validity != NULL)
        {
          g_assert_cmpuint ((guintptr) validity % 64, ==, 0);
          g_assert_true (validity < first + info->raw_size);
        }
      g_assert_cmpint (setl_column_get_offset (column), ==, 0);
    }
}

/* Large enough to be decompressed on several threads: still equal, and a
 * damaged batch among many is still reported, naming it. */
static void
test_large (void)
{
  g_autoptr(SetlTable) table = cd_test_make_table (200000, 15000, 6);
  g_autofree char *path = tmp_path ("large.stbl");
  g_autoptr(GError) error = NULL;
  g_autoptr(SetlTableFileInfo) info = NULL;
  g_autoptr(SetlTable) back = NULL;
  g_autoptr(GBytes) whole = NULL;
  g_autofree guint8 *copy = NULL;
  gsize size;

  g_assert_true (setl_table_file_write (path, table, NULL, 1, &info, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (info->raw_size, >=, 8u << 20);
  g_assert_cmpuint (info->n_batches, ==, 14);
  back = setl_table_file_read (path, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (setl_table_equal (back, table));

  whole = cd_test_read_file (path);
  size = g_bytes_get_size (whole);
  copy = g_memdup2 (g_bytes_get_data (whole, NULL), size);
  copy[size - 200] ^= 0x04;   /* in the last batch */
  cd_test_write_file (path, copy, size);
  g_clear_object (&back);
  back = setl_table_file_read (path, NULL, &error);
  g_assert_null (back);
  g_assert_error (error, SETL_TABLE_FILE_ERROR, SETL_TABLE_FILE_ERROR_CORRUPT);
  g_assert_nonnull (strstr (error->message, "batch 13"));
}

static void
test_content_hash (void)
{
  g_autoptr(SetlTable) a = cd_test_make_table (500, 100, 7);
  g_autoptr(SetlTable) same = cd_test_make_table (500, 100, 7);
  g_autoptr(SetlTable) other = cd_test_make_table (500, 100, 8);
  g_autofree char *p1 = tmp_path ("hash-1.stbl");
  g_autofree char *p2 = tmp_path ("hash-2.stbl");
  g_autofree char *p3 = tmp_path ("hash-3.stbl");
  g_autoptr(GBytes) meta = g_bytes_new_static ("meta", 4);
  g_autoptr(SetlTableFileInfo) i1 = NULL;
  g_autoptr(SetlTableFileInfo) i2 = NULL;
  g_autoptr(SetlTableFileInfo) i3 = NULL;
  g_autoptr(GError) error = NULL;

  /* Same data, another compression level and metadata: same hash. */
  g_assert_true (setl_table_file_write (p1, a, NULL, 1, &i1, &error));
  g_assert_true (setl_table_file_write (p2, same, meta, 9, &i2, &error));
  g_assert_true (setl_table_file_write (p3, other, NULL, 1, &i3, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (i1->content_hash, ==, i2->content_hash);
  g_assert_cmpstr (i1->content_hash, !=, i3->content_hash);
}

static void
test_metadata (void)
{
  g_autoptr(SetlTable) table = cd_test_make_table (10, 10, 0);
  g_autofree char *path = tmp_path ("meta.stbl");
  static const char text[] = "opaque\0bytes with a NUL";
  g_autoptr(GBytes) meta = g_bytes_new_static (text, sizeof text);
  g_autoptr(SetlTableFileInfo) info = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (setl_table_file_write (path, table, meta, 1, NULL, &error));
  info = setl_table_file_read_info (path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (info->metadata);
  g_assert_true (g_bytes_equal (info->metadata, meta));
  g_assert_cmpuint (info->fields->len, ==, 8);
  g_assert_cmpstr (setl_field_get_timezone (g_ptr_array_index (info->fields, 5)), ==,
                   "Europe/Paris");
}

static GBytes *
write_small_file (const char *name,
                  char      **out_path)
{
  g_autoptr(SetlTable) table = cd_test_make_table (12, 5, 3);   /* three frames */
  g_autoptr(GBytes) meta = g_bytes_new_static ("m", 1);
  g_autoptr(GError) error = NULL;

  *out_path = tmp_path (name);
  g_assert_true (setl_table_file_write (*out_path, table, meta, 1, NULL, &error));
  g_assert_no_error (error);
  return cd_test_read_file (*out_path);
}

static void
assert_fails (const char *path,
              int         expected_code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) verify_error = NULL;
  g_autoptr(SetlTable) table = setl_table_file_read (path, NULL, &error);
  int fd = open (path, O_RDONLY);

  /* What can be found without decompressing is found by verify too:
   * every failure here is, since all of them are cuts and flips. */
  g_assert_cmpint (fd, >=, 0);
  g_assert_false (setl_table_file_verify_fd (fd, path, &verify_error));
  g_assert_true (verify_error != NULL && verify_error->domain == SETL_TABLE_FILE_ERROR);
  close (fd);

  g_assert_null (table);
  g_assert_nonnull (error);
  g_assert_true (error->domain == SETL_TABLE_FILE_ERROR);
  if (expected_code >= 0)
    g_assert_cmpint (error->code, ==, expected_code);
  else
    g_assert_cmpint (error->code, !=, SETL_TABLE_FILE_ERROR_IO);
  if (strstr (error->message, path) == NULL)
    g_error ("The error does not name the file: %s", error->message);
}

/* A copy cut at every length from 0 to one byte short is refused as
 * truncated, by the header check alone and by the full read. */
static void
test_truncated (void)
{
  g_autofree char *path = NULL;
  g_autoptr(GBytes) whole = write_small_file ("trunc-src.stbl", &path);
  g_autofree char *cut = tmp_path ("trunc.stbl");
  gsize size;
  const guint8 *data = g_bytes_get_data (whole, &size);

  g_assert_cmpuint (size, >, 200);
  for (gsize len = 0; len < size; len++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(SetlTableFileInfo) info = NULL;

      cd_test_write_file (cut, data, len);
      assert_fails (cut, SETL_TABLE_FILE_ERROR_TRUNCATED);
      info = setl_table_file_read_info (cut, &error);
      g_assert_null (info);
      g_assert_error (error, SETL_TABLE_FILE_ERROR, SETL_TABLE_FILE_ERROR_TRUNCATED);
    }
}

/* Every single-bit flip anywhere in the file is detected. */
static void
test_bit_flips (void)
{
  g_autofree char *path = NULL;
  g_autoptr(GBytes) whole = write_small_file ("flip-src.stbl", &path);
  g_autofree char *flipped = tmp_path ("flip.stbl");
  gsize size;
  const guint8 *data = g_bytes_get_data (whole, &size);
  g_autofree guint8 *copy = g_memdup2 (data, size);

  for (gsize i = 0; i < size; i++)
    for (guint bit = 0; bit < 8; bit++)
      {
        copy[i] ^= (guint8) (1u << bit);
        cd_test_write_file (flipped, copy, size);
        assert_fails (flipped, -1);
        copy[i] ^= (guint8) (1u << bit);
      }

  /* And the untouched copy still reads. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(SetlTable) table = NULL;

    cd_test_write_file (flipped, copy, size);
    table = setl_table_file_read (flipped, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpint (setl_table_get_n_rows (table), ==, 12);
    {
      int fd = open (flipped, O_RDONLY);

      g_assert_true (setl_table_file_verify_fd (fd, flipped, &error));
      g_assert_no_error (error);
      close (fd);
    }
  }
}

static void
test_wrong_magic (void)
{
  g_autofree char *path = tmp_path ("not-a-table.csv");
  static const char csv[] = "id,name\n1,a\n2,b\n";

  cd_test_write_file (path, csv, sizeof csv - 1);
  assert_fails (path, SETL_TABLE_FILE_ERROR_NOT_TABLE_FILE);
}

/* A file from a future format version, otherwise intact (its header
 * checksum recomputed), is refused by version, not as damage. */
static void
test_future_version (void)
{
  g_autofree char *path = NULL;
  g_autoptr(GBytes) whole = write_small_file ("version.stbl", &path);
  gsize size = g_bytes_get_size (whole);
  g_autofree guint8 *copy = g_memdup2 (g_bytes_get_data (whole, NULL), size);
  guint32 version = GUINT32_TO_LE (2);
  guint64 sum;
  g_autoptr(GError) error = NULL;
  g_autoptr(SetlTable) table = NULL;

  memcpy (copy + 8, &version, 4);
  sum = GUINT64_TO_LE (XXH3_64bits (copy, 88));
  memcpy (copy + 88, &sum, 8);
  cd_test_write_file (path, copy, size);

  table = setl_table_file_read (path, NULL, &error);
  g_assert_error (error, SETL_TABLE_FILE_ERROR, SETL_TABLE_FILE_ERROR_VERSION);
  g_assert_nonnull (strstr (error->message, "version 2"));
  g_assert_nonnull (strstr (error->message, path));
}

static void
test_trailing_bytes (void)
{
  g_autofree char *path = NULL;
  g_autoptr(GBytes) whole = write_small_file ("trailing.stbl", &path);
  gsize size = g_bytes_get_size (whole);
  g_autofree guint8 *copy = g_malloc0 (size + 3);

  memcpy (copy, g_bytes_get_data (whole, NULL), size);
  cd_test_write_file (path, copy, size + 3);
  assert_fails (path, SETL_TABLE_FILE_ERROR_CORRUPT);
}

/* A writer dropped before it commits leaves the old file as it was and no
 * temporary file behind; a committed one replaces it whole. */
static void
test_atomic_write (void)
{
  g_autofree char *dir = tmp_path ("atomic");
  g_autofree char *path = g_build_filename (dir, "out.stbl", NULL);
  g_autoptr(SetlTable) table = cd_test_make_table (100, 40, 5);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) now = NULL;
  g_autoptr(SetlTable) back = NULL;
  SetlField **fields;
  guint n_fields;

  g_assert_cmpint (g_mkdir (dir, 0755), ==, 0);
  cd_test_write_file (path, "old", 3);
  fields = setl_table_get_fields (table, &n_fields);

  {
    g_autoptr(SetlTableFileWriter) w =
      setl_table_file_writer_new (path, fields, n_fields, NULL, 1, &error);

    g_assert_no_error (error);
    g_assert_true (setl_table_file_writer_add_batch (w, setl_table_get_batch (table, 0), &error));
    g_assert_nonnull (setl_table_file_writer_get_temp_path (w));
    g_assert_true (g_file_test (setl_table_file_writer_get_temp_path (w), G_FILE_TEST_EXISTS));
    g_assert_cmpuint (count_dir_entries (dir), ==, 2);
    /* dropped here, uncommitted */
  }
  now = cd_test_read_file (path);
  g_assert_cmpmem (g_bytes_get_data (now, NULL), g_bytes_get_size (now), "old", 3);
  g_assert_cmpuint (count_dir_entries (dir), ==, 1);

  /* Finished but not committed: still the old file. */
  {
    g_autoptr(SetlTableFileWriter) w =
      setl_table_file_writer_new (path, fields, n_fields, NULL, 1, &error);

    for (guint i = 0; i < setl_table_get_n_batches (table); i++)
      g_assert_true (setl_table_file_writer_add_batch (w, setl_table_get_batch (table, i), &error));
    g_assert_true (setl_table_file_writer_finish (w, NULL, &error));
    g_assert_no_error (error);
    g_clear_pointer (&now, g_bytes_unref);
    now = cd_test_read_file (path);
    g_assert_cmpuint (g_bytes_get_size (now), ==, 3);
    g_assert_true (setl_table_file_writer_commit (w, &error));
    g_assert_no_error (error);
  }
  back = setl_table_file_read (path, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (setl_table_equal (back, table));
  g_assert_cmpuint (count_dir_entries (dir), ==, 1);
}

static void
test_write_errors (void)
{
  g_autofree char *path = tmp_path ("no-such-dir/out.stbl");
  g_autoptr(SetlTable) table = cd_test_make_table (10, 10, 0);
  g_autoptr(SetlTable) other = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SetlTableFileWriter) w = NULL;
  g_autofree char *ok_path = tmp_path ("schema.stbl");
  g_autoptr(SetlField) f = setl_field_new ("x", SETL_DATA_TYPE_INT64, TRUE);
  guint n_fields;

  g_assert_false (setl_table_file_write (path, table, NULL, 1, NULL, &error));
  g_assert_error (error, SETL_TABLE_FILE_ERROR, SETL_TABLE_FILE_ERROR_IO);
  g_assert_nonnull (strstr (error->message, path));
  g_clear_error (&error);

  /* A batch of another schema is refused, naming the file. */
  w = setl_table_file_writer_new (ok_path, &f, 1, NULL, 1, &error);
  g_assert_no_error (error);
  setl_table_get_fields (table, &n_fields);
  g_assert_cmpuint (n_fields, >, 1);
  g_assert_false (setl_table_file_writer_add_batch (w, setl_table_get_batch (table, 0), &error));
  g_assert_error (error, SETL_TABLE_FILE_ERROR, SETL_TABLE_FILE_ERROR_CORRUPT);
  g_assert_nonnull (strstr (error->message, ok_path));
  g_clear_object (&w);
  g_assert_false (g_file_test (ok_path, G_FILE_TEST_EXISTS));
}

int
main (int argc, char **argv)
{
  int ret;

  g_test_init (&argc, &argv, NULL);
  tmpdir = g_dir_make_tmp ("setl-table-file-XXXXXX", NULL);
  g_assert_nonnull (tmpdir);

  g_test_add_func ("/cache-disk/table-file/round-trip", test_round_trip);
  g_test_add_func ("/cache-disk/table-file/nulls-present", test_nulls_present);
  g_test_add_func ("/cache-disk/table-file/no-columns", test_no_columns);
  g_test_add_func ("/cache-disk/table-file/slices", test_slices);
  g_test_add_func ("/cache-disk/table-file/zero-copy", test_zero_copy);
  g_test_add_func ("/cache-disk/table-file/large", test_large);
  g_test_add_func ("/cache-disk/table-file/content-hash", test_content_hash);
  g_test_add_func ("/cache-disk/table-file/metadata", test_metadata);
  g_test_add_func ("/cache-disk/table-file/truncated", test_truncated);
  g_test_add_func ("/cache-disk/table-file/bit-flips", test_bit_flips);
  g_test_add_func ("/cache-disk/table-file/wrong-magic", test_wrong_magic);
  g_test_add_func ("/cache-disk/table-file/future-version", test_future_version);
  g_test_add_func ("/cache-disk/table-file/trailing-bytes", test_trailing_bytes);
  g_test_add_func ("/cache-disk/table-file/atomic-write", test_atomic_write);
  g_test_add_func ("/cache-disk/table-file/write-errors", test_write_errors);

  ret = g_test_run ();
  cd_test_rm_rf (tmpdir);
  g_free (tmpdir);
  return ret;
}
