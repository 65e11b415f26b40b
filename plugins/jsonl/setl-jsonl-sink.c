/* setl-jsonl-sink.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/**
 * SetlJsonlSink:
 *
 * The "jsonl-sink" factory: writes the rows of its input "in" to
 * #SetlJsonlSink:path as JSON Lines, one compact object per row with the
 * columns in order. Nulls are written as `null`; dates as `"YYYY-MM-DD"`;
 * timestamps as `"YYYY-MM-DDTHH:MM:SS[.ffffff]Z"` (UTC); doubles in the
 * shortest form that reads back as the same double, always with a decimal
 * point or an exponent (so `1.0` stays a double when read back); NaN and
 * the infinities, which JSON lacks, as the strings `"NaN"`, `"Infinity"`
 * and `"-Infinity"` (jsonl-source reads them back into double columns).
 *
 * It pulls its input a batch at a time in its write phase (bounded memory)
 * and writes atomically: into a temporary file in the same directory,
 * flushed and fsync()ed, then renamed over the path. If anything fails the
 * temporary file is removed and an existing file at the path is untouched.
 * Its output is the number of rows written (int64).
 */
#include "setl-jsonl-sink.h"
#include "setl-jsonl-reader.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <math.h>
#include <sys/stat.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* g_date_get_julian() of 1970-01-01 */
#define EPOCH_JULIAN 719163

struct _SetlJsonlSink
{
  SetlFactory parent_instance;

  char *path;
  gint64 rows_written;
  gboolean written;
};

enum {
  PROP_0,
  PROP_PATH,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void setl_jsonl_sink_cacheable_init (SetlCacheableInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SetlJsonlSink, setl_jsonl_sink, SETL_TYPE_FACTORY,
                               G_IMPLEMENT_INTERFACE (SETL_TYPE_CACHEABLE,
                                                      setl_jsonl_sink_cacheable_init))

static void
append_json_string (GString    *out,
                    const char *s,
                    gsize       len)
{
  g_autofree char *valid = NULL;

  /* columns hold UTF-8, but imported data may not: never write bad JSON */
  if (!g_utf8_validate_len (s, len, NULL))
    {
      valid = g_utf8_make_valid (s, (gssize) len);
      s = valid;
      len = strlen (valid);
    }
  g_string_append_c (out, '"');
  for (gsize i = 0; i < len; i++)
    {
      guchar c = (guchar) s[i];
      switch (c)
        {
        case '"':  g_string_append (out, "\\\""); break;
        case '\\': g_string_append (out, "\\\\"); break;
        case '\n': g_string_append (out, "\\n"); break;
        case '\r': g_string_append (out, "\\r"); break;
        case '\t': g_string_append (out, "\\t"); break;
        case '\b': g_string_append (out, "\\b"); break;
        case '\f': g_string_append (out, "\\f"); break;
        default:
          if (c < 0x20)
            g_string_append_printf (out, "\\u%04x", c);
          else
            g_string_append_c (out, (char) c);
        }
    }
  g_string_append_c (out, '"');
}

static gboolean
append_date (GString  *out,
             gint32    days,
             GError  **error)
{
  gint64 julian = (gint64) days + EPOCH_JULIAN;
  GDate date;

  if (julian < 1 || julian > G_MAXUINT32 || !g_date_valid_julian ((guint32) julian))
    {
      g_set_error (error, SETL_DATA_ERROR, SETL_DATA_ERROR_OVERFLOW,
                   "date %d days from 1970-01-01 is out of range", days);
      return FALSE;
    }
  g_date_clear (&date, 1);
  g_date_set_julian (&date, (guint32) julian);
  if (g_date_get_year (&date) > 9999)
    {
      g_set_error (error, SETL_DATA_ERROR, SETL_DATA_ERROR_OVERFLOW,
                   "date %d days from 1970-01-01 is out of range", days);
      return FALSE;
    }
  g_string_append_printf (out, "\"%04u-%02u-%02u\"", g_date_get_year (&date),
                          g_date_get_month (&date), g_date_get_day (&date));
  return TRUE;
}

static gboolean
append_timestamp (GString  *out,
                  gint64    usec,
                  GError  **error)
{
  gint64 secs = usec / G_USEC_PER_SEC;
  gint64 frac = usec % G_USEC_PER_SEC;
  g_autoptr(GDateTime) dt = NULL;

  if (frac < 0)
    {
      frac += G_USEC_PER_SEC;
      secs--;
    }
  dt = g_date_time_new_from_unix_utc (secs);
  if (dt == NULL)
    {
      g_set_error (error, SETL_DATA_ERROR, SETL_DATA_ERROR_OVERFLOW,
                   "timestamp %" G_GINT64_FORMAT " µs is out of range", usec);
      return FALSE;
    }
  g_string_append_printf (out, "\"%04d-%02d-%02dT%02d:%02d:%02d",
                          g_date_time_get_year (dt), g_date_time_get_month (dt),
                          g_date_time_get_day_of_month (dt), g_date_time_get_hour (dt),
                          g_date_time_get_minute (dt), g_date_time_get_second (dt));
  if (frac != 0)
    g_string_append_printf (out, ".%06" G_GINT64_FORMAT, frac);
  g_string_append (out, "Z\"");
  return TRUE;
}

static gboolean
append_value (GString     *out,
              SetlColumn  *col,
              gint64       row,
              GError     **error)
{
  if (setl_column_is_null (col, row))
    {
      g_string_append (out, "null");
      return TRUE;
    }
  switch (setl_column_get_data_type (col))
    {
    case SETL_DATA_TYPE_BOOL:
      g_string_append (out, setl_column_get_bool (col, row) ? "true" : "false");
      return TRUE;
    case SETL_DATA_TYPE_INT64:
      g_string_append_printf (out, "%" G_GINT64_FORMAT, setl_column_get_int64 (col, row));
      return TRUE;
    case SETL_DATA_TYPE_DOUBLE:
      {
        double d = setl_column_get_double (col, row);
        if (isnan (d))
          g_string_append (out, "\"NaN\"");
        else if (isinf (d))
          g_string_append (out, d > 0 ? "\"Infinity\"" : "\"-Infinity\"");
        else
          setl_jsonl_format_double (out, d);
        return TRUE;
      }
    case SETL_DATA_TYPE_STRING:
      {
        gsize len;
        const char *s = setl_column_get_string (col, row, &len);
        append_json_string (out, s, len);
        return TRUE;
      }
    case SETL_DATA_TYPE_DATE32:
      return append_date (out, setl_column_get_date32 (col, row), error);
    case SETL_DATA_TYPE_TIMESTAMP:
      return append_timestamp (out, setl_column_get_timestamp (col, row), error);
    default:
      g_assert_not_reached ();
    }
}

/* Writes every batch of @input to @file; returns the rows written or -1. */
static gint64
write_rows (SetlJsonlSink    *self,
            SetlBatchStream  *input,
            FILE             *file,
            GCancellable     *cancellable,
            GError          **error)
{
  g_autoptr(SetlBatchIterator) it = NULL;
  g_autoptr(GString) line = g_string_sized_new (256);
  g_autofree char **keys = NULL;
  SetlField **fields;
  guint n_fields;
  SetlRecordBatch *batch;
  GError *local = NULL;
  gint64 rows = 0;

  /* the keys, escaped once */
  fields = setl_batch_stream_get_fields (input, &n_fields);
  keys = g_new0 (char *, n_fields + 1);
  for (guint i = 0; i < n_fields; i++)
    {
      GString *k = g_string_new (NULL);
      const char *name = setl_field_get_name (fields[i]);
      append_json_string (k, name, strlen (name));
      g_string_append_c (k, ':');
      keys[i] = g_string_free (k, FALSE);
    }

  it = setl_batch_stream_open (input, cancellable, error);
  if (it == NULL)
    goto fail;
  while ((batch = setl_batch_iterator_next (it, cancellable, &local)) != NULL)
    {
      gint64 n = setl_record_batch_get_n_rows (batch);

      for (gint64 r = 0; r < n; r++)
        {
          g_string_truncate (line, 0);
          g_string_append_c (line, '{');
          for (guint c = 0; c < n_fields; c++)
            {
              if (c > 0)
                g_string_append_c (line, ',');
              g_string_append (line, keys[c]);
              if (!append_value (line, setl_record_batch_get_column (batch, c), r, &local))
                {
                  g_propagate_prefixed_error (error, local, "row %" G_GINT64_FORMAT ", column “%s”: ",
                                              rows + 1, setl_field_get_name (fields[c]));
                  g_object_unref (batch);
                  goto fail;
                }
            }
          g_string_append (line, "}\n");
          if (fwrite (line->str, 1, line->len, file) != line->len)
            {
              int saved = errno;
              g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                           "write error: %s", g_strerror (saved));
              g_object_unref (batch);
              goto fail;
            }
          rows++;
        }
      /* for progress displays, while rows stream through */
      setl_factory_add_rows (SETL_FACTORY (self), setl_record_batch_get_n_rows (batch));
      g_object_unref (batch);
    }
  if (local != NULL)
    {
      g_propagate_error (error, local);
      goto fail;
    }
  for (guint i = 0; i < n_fields; i++)
    g_free (keys[i]);
  return rows;

fail:
  for (guint i = 0; i < n_fields; i++)
    g_free (keys[i]);
  return -1;
}

static gboolean
setl_jsonl_sink_write (SetlFactory   *factory,
                       GCancellable  *cancellable,
                       GError       **error)
{
  SetlJsonlSink *self = SETL_JSONL_SINK (factory);
  const char *name = setl_factory_get_name (factory) ? setl_factory_get_name (factory) : "";
  gpointer object = setl_factory_get_input_object (factory, "in");
  g_autofree char *dir = NULL;
  g_autofree char *base = NULL;
  g_autofree char *tmp = NULL;
  FILE *file = NULL;
  gint64 rows;
  int fd;

  if (self->path == NULL || *self->path == '\0')
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "jsonl-sink “%s”: the “path” property is not set", name);
      return FALSE;
    }
  if (object == NULL || !SETL_IS_BATCH_STREAM (object))
    {
      g_set_error (error, SETL_PIPELINE_ERROR, SETL_PIPELINE_ERROR_MISSING_DELIVERY,
                   "jsonl-sink “%s”: input “in” has no batch stream", name);
      return FALSE;
    }

  /* same directory, so that rename() is atomic */
  dir = g_path_get_dirname (self->path);
  base = g_path_get_basename (self->path);
  tmp = g_strdup_printf ("%s%c.%s.XXXXXX", dir, G_DIR_SEPARATOR, base);
  fd = g_mkstemp_full (tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
  if (fd < 0)
    {
      int saved = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   "jsonl-sink “%s”: cannot create a temporary file next to “%s”: %s",
                   name, self->path, g_strerror (saved));
      return FALSE;
    }
  /* mkstemp makes it 0600: keep the mode of the file replaced, else 0644
   * (umask() cannot be read without a race with other threads) */
  {
    GStatBuf st;
    fchmod (fd, g_stat (self->path, &st) == 0 ? (st.st_mode & 0777) : 0644);
  }
  file = fdopen (fd, "wb");
  if (file == NULL)
    {
      int saved = errno;
      close (fd);
      g_unlink (tmp);
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   "jsonl-sink “%s”: %s", name, g_strerror (saved));
      return FALSE;
    }

  rows = write_rows (self, SETL_BATCH_STREAM (object), file, cancellable, error);
  if (rows < 0)
    {
      fclose (file);
      g_unlink (tmp);
      g_prefix_error (error, "jsonl-sink “%s” writing “%s”: ", name, self->path);
      return FALSE;
    }
  if (fflush (file) != 0 || fsync (fileno (file)) != 0 || fclose (file) != 0 ||
      (file = NULL, g_rename (tmp, self->path) != 0))
    {
      int saved = errno;
      if (file != NULL)
        fclose (file);
      g_unlink (tmp);
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   "jsonl-sink “%s”: cannot write “%s”: %s", name, self->path,
                   g_strerror (saved));
      return FALSE;
    }
  self->rows_written = rows;
  self->written = TRUE;
  return TRUE;
}

static gboolean
setl_jsonl_sink_get (SetlFactory  *factory,
                     GValue       *output,
                     GError      **error)
{
  g_value_set_int64 (output, SETL_JSONL_SINK (factory)->rows_written);
  return TRUE;
}

static void
setl_jsonl_sink_finalize (GObject *object)
{
  g_free (SETL_JSONL_SINK (object)->path);
  G_OBJECT_CLASS (setl_jsonl_sink_parent_class)->finalize (object);
}

static void
setl_jsonl_sink_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_PATH:
      g_value_set_string (value, SETL_JSONL_SINK (object)->path);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
setl_jsonl_sink_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  SetlJsonlSink *self = SETL_JSONL_SINK (object);

  switch (prop_id)
    {
    case PROP_PATH:
      g_free (self->path);
      self->path = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* A cached run of the sink is reused only while the file it wrote is still
 * the one it wrote (see SetlCacheable): deleted or edited, it is written
 * again. */
static char *
setl_jsonl_sink_output_fingerprint (SetlCacheable  *cacheable,
                                    GError        **error)
{
  SetlJsonlSink *self = SETL_JSONL_SINK (cacheable);

  if (self->path == NULL || *self->path == '\0')
    return NULL;
  return setl_cache_file_fingerprint (self->path);
}

static void
setl_jsonl_sink_cacheable_init (SetlCacheableInterface *iface)
{
  iface->output_fingerprint = setl_jsonl_sink_output_fingerprint;
}

static void
setl_jsonl_sink_class_init (SetlJsonlSinkClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  SetlFactoryClass *factory_class = SETL_FACTORY_CLASS (klass);

  object_class->finalize = setl_jsonl_sink_finalize;
  object_class->get_property = setl_jsonl_sink_get_property;
  object_class->set_property = setl_jsonl_sink_set_property;
  factory_class->write = setl_jsonl_sink_write;
  factory_class->get = setl_jsonl_sink_get;
  setl_factory_class_set_output_type (factory_class, G_TYPE_INT64);

  properties[PROP_PATH] =
    g_param_spec_string ("path", "Path",
                         "The JSON Lines file to write (replaced atomically)", NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
setl_jsonl_sink_init (SetlJsonlSink *self)
{
  setl_factory_add_input (SETL_FACTORY (self), "in", SETL_TYPE_BATCH_STREAM,
                          SETL_TYPE_EXTERNAL, NULL);
}
