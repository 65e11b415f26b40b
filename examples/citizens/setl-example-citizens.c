/* setl-example-citizens.c: counts citizens per country with a pipeline.
 *
 * This is libsetl's main job until the data plane (SetlTable, the CSV
 * plugin, `setl run` on a pipeline file) lands. It is a real pipeline of
 * four factories in three stages:
 *
 *   stage-0  citizens-reader   reads citizens.csv    } independent of each
 *            countries-reader  reads countries.csv   } other: run in parallel
 *   stage-1  country-counter   counts the citizens of each country
 *   stage-2  counts-writer     writes citizens-per-country.csv (atomically)
 *
 * and then saves the run report as JSON beside the result.
 *
 * What it shows:
 *  - factories are configured through GObject properties ("name", "path");
 *  - a factory declares its inputs (deliveries) and the pipeline fills them
 *    from earlier stages, matched by payload type and producer: two inputs
 *    here are both a GPtrArray, and the producer tells them apart;
 *  - the write phase is where a factory touches the outside world, and it
 *    writes a temporary file renamed over the target, so a failed run never
 *    leaves half a file behind;
 *  - every factory runs in its own job group, pipeline/stage/factory, shown
 *    in the factory-finished signal and in the run report.
 *
 * The CSV files are read with plain GLib; they have no quoted fields.
 *
 * Usage: setl-example-citizens [--data-dir DIR] [--output-dir DIR] [--mermaid]
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <setl/setl.h>
#include <errno.h>
#include <locale.h>

/* ----------------------------------------------------------------------- */
/* The records the factories pass to each other                             */

typedef struct
{
  char  *name;
  char  *country;   /* ISO 3166 alpha-2 code, as in countries.csv */
  gint64 birth_year;
  guint  line;      /* where it came from, for error messages */
} ExampleCitizen;

static void
example_citizen_free (gpointer data)
{
  ExampleCitizen *c = data;

  g_free (c->name);
  g_free (c->country);
  g_free (c);
}

typedef struct
{
  char *code;
  char *name;
  guint citizens;
} ExampleCountryCount;

static void
example_country_count_free (gpointer data)
{
  ExampleCountryCount *c = data;

  g_free (c->code);
  g_free (c->name);
  g_free (c);
}

/* ----------------------------------------------------------------------- */
/* ExampleCsvReader: the part the two readers share                         */
/*                                                                          */
/* An abstract factory with a "path" property. Its read phase checks the    */
/* header line and hands every data row to the subclass's add_row.          */

#define EXAMPLE_TYPE_CSV_READER (example_csv_reader_get_type ())
G_DECLARE_DERIVABLE_TYPE (ExampleCsvReader, example_csv_reader, EXAMPLE, CSV_READER, SetlFactory)

struct _ExampleCsvReaderClass
{
  SetlFactoryClass parent_class;

  const char *header;   /* the exact first line expected */
  /* forget the rows of an earlier run */
  void      (*reset)   (ExampleCsvReader  *self);
  gboolean  (*add_row) (ExampleCsvReader  *self,
                        char             **fields,
                        guint              line,
                        GError           **error);
};

typedef struct
{
  char *path;
} ExampleCsvReaderPrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (ExampleCsvReader, example_csv_reader, SETL_TYPE_FACTORY)

enum { PROP_PATH = 1 };

static gboolean
example_csv_reader_read (SetlFactory   *factory,
                         GCancellable  *cancellable,
                         GError       **error)
{
  ExampleCsvReader *self = EXAMPLE_CSV_READER (factory);
  ExampleCsvReaderClass *klass = EXAMPLE_CSV_READER_GET_CLASS (self);
  ExampleCsvReaderPrivate *priv = example_csv_reader_get_instance_private (self);
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  guint n_fields;

  if (priv->path == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "no \"path\" property set");
      return FALSE;
    }
  if (!g_file_get_contents (priv->path, &contents, NULL, error))
    return FALSE;

  lines = g_strsplit (contents, "\n", -1);
  if (lines[0] == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "%s: empty file, expected the header “%s”",
                   priv->path, klass->header);
      return FALSE;
    }
  g_strchomp (lines[0]);   /* also drops the \r of a CRLF file */
  if (g_strcmp0 (lines[0], klass->header) != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "%s:1: expected the header “%s”, found “%s”",
                   priv->path, klass->header, lines[0]);
      return FALSE;
    }
  n_fields = 1;
  for (const char *p = klass->header; *p; p++)
    n_fields += (*p == ',');

  klass->reset (self);
  for (guint i = 1; lines[i] != NULL; i++)
    {
      g_auto(GStrv) fields = NULL;
      guint line = i + 1;

      g_strchomp (lines[i]);
      if (lines[i][0] == '\0')
        continue;
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;

      fields = g_strsplit (lines[i], ",", -1);
      if (g_strv_length (fields) != n_fields)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       "%s:%u: expected %u fields (%s), found %u",
                       priv->path, line, n_fields, klass->header,
                       g_strv_length (fields));
          return FALSE;
        }
      if (!klass->add_row (self, fields, line, error))
        {
          g_prefix_error (error, "%s:%u: ", priv->path, line);
          return FALSE;
        }
    }
  return TRUE;
}

static void
example_csv_reader_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  ExampleCsvReaderPrivate *priv =
    example_csv_reader_get_instance_private (EXAMPLE_CSV_READER (object));

  if (prop_id == PROP_PATH)
    g_value_set_string (value, priv->path);
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
example_csv_reader_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  ExampleCsvReaderPrivate *priv =
    example_csv_reader_get_instance_private (EXAMPLE_CSV_READER (object));

  if (prop_id == PROP_PATH)
    {
      g_free (priv->path);
      priv->path = g_value_dup_string (value);
    }
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
example_csv_reader_finalize (GObject *object)
{
  ExampleCsvReaderPrivate *priv =
    example_csv_reader_get_instance_private (EXAMPLE_CSV_READER (object));

  g_free (priv->path);
  G_OBJECT_CLASS (example_csv_reader_parent_class)->finalize (object);
}

static void
example_csv_reader_class_init (ExampleCsvReaderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = example_csv_reader_get_property;
  object_class->set_property = example_csv_reader_set_property;
  object_class->finalize = example_csv_reader_finalize;
  SETL_FACTORY_CLASS (klass)->read = example_csv_reader_read;

  g_object_class_install_property (object_class, PROP_PATH,
    g_param_spec_string ("path", "Path", "The CSV file to read", NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS));
}

static void
example_csv_reader_init (ExampleCsvReader *self)
{
}

/* ----------------------------------------------------------------------- */
/* ExampleCitizensReader: citizens.csv → GPtrArray of ExampleCitizen        */

#define EXAMPLE_TYPE_CITIZENS_READER (example_citizens_reader_get_type ())
G_DECLARE_FINAL_TYPE (ExampleCitizensReader, example_citizens_reader,
                      EXAMPLE, CITIZENS_READER, ExampleCsvReader)

struct _ExampleCitizensReader
{
  ExampleCsvReader parent_instance;
  GPtrArray *citizens;
};

G_DEFINE_FINAL_TYPE (ExampleCitizensReader, example_citizens_reader, EXAMPLE_TYPE_CSV_READER)

static void
example_citizens_reader_reset (ExampleCsvReader *reader)
{
  ExampleCitizensReader *self = EXAMPLE_CITIZENS_READER (reader);

  g_clear_pointer (&self->citizens, g_ptr_array_unref);
  self->citizens = g_ptr_array_new_with_free_func (example_citizen_free);
}

static gboolean
example_citizens_reader_add_row (ExampleCsvReader  *reader,
                                 char             **fields,
                                 guint              line,
                                 GError           **error)
{
  ExampleCitizensReader *self = EXAMPLE_CITIZENS_READER (reader);
  ExampleCitizen *c;
  gint64 year;

  /* fields: name, country, birth_year */
  if (!g_ascii_string_to_signed (fields[2], 10, 1800, 2100, &year, error))
    {
      g_prefix_error (error, "birth_year of “%s”: ", fields[0]);
      return FALSE;
    }
  c = g_new0 (ExampleCitizen, 1);
  c->name = g_strdup (fields[0]);
  c->country = g_strdup (fields[1]);
  c->birth_year = year;
  c->line = line;
  g_ptr_array_add (self->citizens, c);
  return TRUE;
}

static gboolean
example_citizens_reader_get (SetlFactory  *factory,
                             GValue       *output,
                             GError      **error)
{
  /* The GValue holds a reference: the consumer sees this very array. */
  g_value_set_boxed (output, EXAMPLE_CITIZENS_READER (factory)->citizens);
  return TRUE;
}

static void
example_citizens_reader_finalize (GObject *object)
{
  g_clear_pointer (&EXAMPLE_CITIZENS_READER (object)->citizens, g_ptr_array_unref);
  G_OBJECT_CLASS (example_citizens_reader_parent_class)->finalize (object);
}

static void
example_citizens_reader_class_init (ExampleCitizensReaderClass *klass)
{
  ExampleCsvReaderClass *reader_class = EXAMPLE_CSV_READER_CLASS (klass);
  SetlFactoryClass *factory_class = SETL_FACTORY_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = example_citizens_reader_finalize;
  reader_class->header = "name,country,birth_year";
  reader_class->reset = example_citizens_reader_reset;
  reader_class->add_row = example_citizens_reader_add_row;
  factory_class->get = example_citizens_reader_get;
  setl_factory_class_set_output_type (factory_class, G_TYPE_PTR_ARRAY);
}

static void
example_citizens_reader_init (ExampleCitizensReader *self)
{
}

/* ----------------------------------------------------------------------- */
/* ExampleCountriesReader: countries.csv → GHashTable code → name           */

#define EXAMPLE_TYPE_COUNTRIES_READER (example_countries_reader_get_type ())
G_DECLARE_FINAL_TYPE (ExampleCountriesReader, example_countries_reader,
                      EXAMPLE, COUNTRIES_READER, ExampleCsvReader)

struct _ExampleCountriesReader
{
  ExampleCsvReader parent_instance;
  GHashTable *countries;
};

G_DEFINE_FINAL_TYPE (ExampleCountriesReader, example_countries_reader, EXAMPLE_TYPE_CSV_READER)

static void
example_countries_reader_reset (ExampleCsvReader *reader)
{
  ExampleCountriesReader *self = EXAMPLE_COUNTRIES_READER (reader);

  g_clear_pointer (&self->countries, g_hash_table_unref);
  self->countries = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

static gboolean
example_countries_reader_add_row (ExampleCsvReader  *reader,
                                  char             **fields,
                                  guint              line,
                                  GError           **error)
{
  ExampleCountriesReader *self = EXAMPLE_COUNTRIES_READER (reader);

  /* fields: code, name */
  if (g_hash_table_contains (self->countries, fields[0]))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "country code “%s” is listed twice", fields[0]);
      return FALSE;
    }
  g_hash_table_insert (self->countries, g_strdup (fields[0]), g_strdup (fields[1]));
  return TRUE;
}

static gboolean
example_countries_reader_get (SetlFactory  *factory,
                              GValue       *output,
                              GError      **error)
{
  g_value_set_boxed (output, EXAMPLE_COUNTRIES_READER (factory)->countries);
  return TRUE;
}

static void
example_countries_reader_finalize (GObject *object)
{
  g_clear_pointer (&EXAMPLE_COUNTRIES_READER (object)->countries, g_hash_table_unref);
  G_OBJECT_CLASS (example_countries_reader_parent_class)->finalize (object);
}

static void
example_countries_reader_class_init (ExampleCountriesReaderClass *klass)
{
  ExampleCsvReaderClass *reader_class = EXAMPLE_CSV_READER_CLASS (klass);
  SetlFactoryClass *factory_class = SETL_FACTORY_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = example_countries_reader_finalize;
  reader_class->header = "code,name";
  reader_class->reset = example_countries_reader_reset;
  reader_class->add_row = example_countries_reader_add_row;
  factory_class->get = example_countries_reader_get;
  setl_factory_class_set_output_type (factory_class, G_TYPE_HASH_TABLE);
}

static void
example_countries_reader_init (ExampleCountriesReader *self)
{
}

/* ----------------------------------------------------------------------- */
/* ExampleCountryCounter: citizens + countries → GPtrArray of               */
/* ExampleCountryCount, most citizens first                                 */

#define EXAMPLE_TYPE_COUNTRY_COUNTER (example_country_counter_get_type ())
G_DECLARE_FINAL_TYPE (ExampleCountryCounter, example_country_counter,
                      EXAMPLE, COUNTRY_COUNTER, SetlFactory)

struct _ExampleCountryCounter
{
  SetlFactory parent_instance;
  GPtrArray *counts;
};

G_DEFINE_FINAL_TYPE (ExampleCountryCounter, example_country_counter, SETL_TYPE_FACTORY)

static int
compare_counts (gconstpointer a,
                gconstpointer b)
{
  const ExampleCountryCount *x = *(ExampleCountryCount * const *) a;
  const ExampleCountryCount *y = *(ExampleCountryCount * const *) b;

  if (x->citizens != y->citizens)
    return x->citizens > y->citizens ? -1 : 1;
  return g_strcmp0 (x->name, y->name);
}

static gboolean
example_country_counter_process (SetlFactory   *factory,
                                 GCancellable  *cancellable,
                                 GError       **error)
{
  ExampleCountryCounter *self = EXAMPLE_COUNTRY_COUNTER (factory);
  /* The pipeline filled both slots before read(): no lookup by hand. */
  GPtrArray *citizens = g_value_get_boxed (setl_factory_get_input (factory, "citizens"));
  GHashTable *countries = g_value_get_boxed (setl_factory_get_input (factory, "countries"));
  g_autoptr(GHashTable) by_code = g_hash_table_new (g_str_hash, g_str_equal);
  GHashTableIter iter;
  gpointer code, name;

  g_clear_pointer (&self->counts, g_ptr_array_unref);
  self->counts = g_ptr_array_new_with_free_func (example_country_count_free);

  /* Every listed country appears in the result, even with no citizens. */
  g_hash_table_iter_init (&iter, countries);
  while (g_hash_table_iter_next (&iter, &code, &name))
    {
      ExampleCountryCount *count = g_new0 (ExampleCountryCount, 1);

      count->code = g_strdup (code);
      count->name = g_strdup (name);
      g_ptr_array_add (self->counts, count);
      g_hash_table_insert (by_code, count->code, count);
    }

  for (guint i = 0; i < citizens->len; i++)
    {
      ExampleCitizen *citizen = g_ptr_array_index (citizens, i);
      ExampleCountryCount *count = g_hash_table_lookup (by_code, citizen->country);

      if (count == NULL)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       "citizen “%s” (line %u of the citizens file) lives in "
                       "“%s”, which the countries file does not list",
                       citizen->name, citizen->line, citizen->country);
          return FALSE;
        }
      count->citizens++;
    }

  g_ptr_array_sort (self->counts, compare_counts);
  return TRUE;
}

static gboolean
example_country_counter_get (SetlFactory  *factory,
                             GValue       *output,
                             GError      **error)
{
  g_value_set_boxed (output, EXAMPLE_COUNTRY_COUNTER (factory)->counts);
  return TRUE;
}

static void
example_country_counter_finalize (GObject *object)
{
  g_clear_pointer (&EXAMPLE_COUNTRY_COUNTER (object)->counts, g_ptr_array_unref);
  G_OBJECT_CLASS (example_country_counter_parent_class)->finalize (object);
}

static void
example_country_counter_class_init (ExampleCountryCounterClass *klass)
{
  SetlFactoryClass *factory_class = SETL_FACTORY_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = example_country_counter_finalize;
  factory_class->process = example_country_counter_process;
  factory_class->get = example_country_counter_get;
  setl_factory_class_set_output_type (factory_class, G_TYPE_PTR_ARRAY);
}

static void
example_country_counter_init (ExampleCountryCounter *self)
{
  SetlFactory *factory = SETL_FACTORY (self);

  /* Both readers could be told apart by type alone here, but the citizens
   * and the counts are both GPtrArrays: naming the producer is what keeps
   * this input from being ambiguous once the counter's own output exists. */
  setl_factory_add_input (factory, "citizens", G_TYPE_PTR_ARRAY,
                          EXAMPLE_TYPE_CITIZENS_READER, NULL);
  setl_factory_add_input (factory, "countries", G_TYPE_HASH_TABLE,
                          EXAMPLE_TYPE_COUNTRIES_READER, NULL);
}

/* ----------------------------------------------------------------------- */
/* ExampleCountsWriter: counts → CSV text, written to "path"                 */

#define EXAMPLE_TYPE_COUNTS_WRITER (example_counts_writer_get_type ())
G_DECLARE_FINAL_TYPE (ExampleCountsWriter, example_counts_writer,
                      EXAMPLE, COUNTS_WRITER, SetlFactory)

struct _ExampleCountsWriter
{
  SetlFactory parent_instance;
  char *path;
  char *csv;
};

G_DEFINE_FINAL_TYPE (ExampleCountsWriter, example_counts_writer, SETL_TYPE_FACTORY)

static gboolean
example_counts_writer_process (SetlFactory   *factory,
                               GCancellable  *cancellable,
                               GError       **error)
{
  ExampleCountsWriter *self = EXAMPLE_COUNTS_WRITER (factory);
  GPtrArray *counts = g_value_get_boxed (setl_factory_get_input (factory, "counts"));
  g_autoptr(GString) csv = g_string_new ("code,country,citizens\n");

  for (guint i = 0; i < counts->len; i++)
    {
      ExampleCountryCount *count = g_ptr_array_index (counts, i);

      g_string_append_printf (csv, "%s,%s,%u\n", count->code, count->name, count->citizens);
    }
  g_free (self->csv);
  self->csv = g_string_free (g_steal_pointer (&csv), FALSE);
  return TRUE;
}

/* Runs only when both this factory and its stage are writable. */
static gboolean
example_counts_writer_write (SetlFactory   *factory,
                             GCancellable  *cancellable,
                             GError       **error)
{
  ExampleCountsWriter *self = EXAMPLE_COUNTS_WRITER (factory);

  if (self->path == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "no \"path\" property set");
      return FALSE;
    }
  /* CONSISTENT: write a temporary file beside the target, then rename it
   * over the target, so nobody ever reads half a result. */
  return g_file_set_contents_full (self->path, self->csv, -1,
                                   G_FILE_SET_CONTENTS_CONSISTENT, 0644, error);
}

static gboolean
example_counts_writer_get (SetlFactory  *factory,
                           GValue       *output,
                           GError      **error)
{
  g_value_set_string (output, EXAMPLE_COUNTS_WRITER (factory)->csv);
  return TRUE;
}

static void
example_counts_writer_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  if (prop_id == PROP_PATH)
    g_value_set_string (value, EXAMPLE_COUNTS_WRITER (object)->path);
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
example_counts_writer_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  ExampleCountsWriter *self = EXAMPLE_COUNTS_WRITER (object);

  if (prop_id == PROP_PATH)
    {
      g_free (self->path);
      self->path = g_value_dup_string (value);
    }
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
example_counts_writer_finalize (GObject *object)
{
  ExampleCountsWriter *self = EXAMPLE_COUNTS_WRITER (object);

  g_free (self->path);
  g_free (self->csv);
  G_OBJECT_CLASS (example_counts_writer_parent_class)->finalize (object);
}

static void
example_counts_writer_class_init (ExampleCountsWriterClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  SetlFactoryClass *factory_class = SETL_FACTORY_CLASS (klass);

  object_class->get_property = example_counts_writer_get_property;
  object_class->set_property = example_counts_writer_set_property;
  object_class->finalize = example_counts_writer_finalize;
  factory_class->process = example_counts_writer_process;
  factory_class->write = example_counts_writer_write;
  factory_class->get = example_counts_writer_get;
  setl_factory_class_set_output_type (factory_class, G_TYPE_STRING);

  g_object_class_install_property (object_class, PROP_PATH,
    g_param_spec_string ("path", "Path", "The CSV file to write", NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS));
}

static void
example_counts_writer_init (ExampleCountsWriter *self)
{
  setl_factory_add_input (SETL_FACTORY (self), "counts", G_TYPE_PTR_ARRAY,
                          EXAMPLE_TYPE_COUNTRY_COUNTER, NULL);
}

/* ----------------------------------------------------------------------- */
/* Running it                                                               */

static double
ms (SetlFactoryResult *result,
    SetlFactoryPhase   phase)
{
  return setl_factory_result_get_duration (result, phase) / 1000.0;
}

/* factory-finished: one line per factory, as it finishes. */
static void
on_factory_finished (SetlPipeline      *pipeline,
                     SetlFactory       *factory,
                     SetlFactoryResult *result,
                     gpointer           user_data)
{
  const GError *error = setl_factory_result_get_error (result);

  g_print ("  %-16s %-9s read %6.2f ms  process %6.2f ms  write %6.2f ms  [%s]\n",
           setl_factory_get_name (factory),
           setl_factory_status_to_string (setl_factory_result_get_status (result)),
           ms (result, SETL_FACTORY_PHASE_READ),
           ms (result, SETL_FACTORY_PHASE_PROCESS),
           ms (result, SETL_FACTORY_PHASE_WRITE),
           setl_factory_result_get_job_group (result));
  if (error != NULL)
    g_print ("    %s\n", error->message);
}

int
main (int    argc,
      char **argv)
{
  /* Defaults are applied after parsing: GOption does not free a default
   * it replaces. */
  g_autofree char *data_dir = NULL;
  g_autofree char *output_dir = NULL;
  gboolean mermaid = FALSE;
  GOptionEntry entries[] = {
    { "data-dir", 'd', 0, G_OPTION_ARG_FILENAME, &data_dir,
      "Where citizens.csv and countries.csv are", "DIR" },
    { "output-dir", 'o', 0, G_OPTION_ARG_FILENAME, &output_dir,
      "Where to write the result and the run report", "DIR" },
    { "mermaid", 0, 0, G_OPTION_ARG_NONE, &mermaid,
      "Print the pipeline as a Mermaid diagram and exit", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("— count citizens per country");
  g_autoptr(GError) error = NULL;
  g_autofree char *citizens_csv = NULL, *countries_csv = NULL;
  g_autofree char *result_csv = NULL, *report_json = NULL;
  g_autoptr(SetlPipeline) pipeline = NULL;
  g_autoptr(SetlStage) readers = NULL;
  g_autoptr(SetlFactory) citizens_reader = NULL, countries_reader = NULL;
  g_autoptr(SetlFactory) counter = NULL, writer = NULL;
  SetlRunReport *report;
  const GValue *counts_value;
  GPtrArray *counts;
  gboolean ok;

  setlocale (LC_ALL, "");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (data_dir == NULL)
    data_dir = g_strdup (EXAMPLE_DATA_DIR);
  if (output_dir == NULL)
    output_dir = g_strdup (EXAMPLE_OUTPUT_DIR);
  citizens_csv = g_build_filename (data_dir, "citizens.csv", NULL);
  countries_csv = g_build_filename (data_dir, "countries.csv", NULL);
  result_csv = g_build_filename (output_dir, "citizens-per-country.csv", NULL);
  report_json = g_build_filename (output_dir, "citizens-run-report.json", NULL);

  /* The factories, configured through their properties. */
  citizens_reader = g_object_new (EXAMPLE_TYPE_CITIZENS_READER, "name", "citizens-reader",
                                  "path", citizens_csv, NULL);
  countries_reader = g_object_new (EXAMPLE_TYPE_COUNTRIES_READER, "name", "countries-reader",
                                   "path", countries_csv, NULL);
  counter = g_object_new (EXAMPLE_TYPE_COUNTRY_COUNTER, "name", "country-counter", NULL);
  writer = g_object_new (EXAMPLE_TYPE_COUNTS_WRITER, "name", "counts-writer",
                         "path", result_csv, NULL);

  /* The first stage holds the two readers, independent of each other, so
   * they run in parallel; the counter and the writer are a stage each. The
   * stages and the pipeline take their own references. */
  readers = setl_stage_new ();
  setl_stage_add_factory (readers, citizens_reader);
  setl_stage_add_factory (readers, countries_reader);

  pipeline = setl_pipeline_new ("citizens");
  setl_pipeline_add_stage (pipeline, readers);
  setl_pipeline_add_factory (pipeline, counter);
  setl_pipeline_add_factory (pipeline, writer);

  if (mermaid)
    {
      g_autofree char *diagram = NULL;

      if (!setl_pipeline_inspect (pipeline, &error))
        {
          g_printerr ("%s\n", error->message);
          return 1;
        }
      diagram = setl_pipeline_to_mermaid (pipeline);
      g_print ("%s", diagram);
      return 0;
    }

  if (g_mkdir_with_parents (output_dir, 0755) != 0)
    {
      g_printerr ("cannot create %s: %s\n", output_dir, g_strerror (errno));
      return 1;
    }

  g_signal_connect (pipeline, "factory-finished", G_CALLBACK (on_factory_finished), NULL);
  g_print ("Pipeline \"citizens\": 4 factories in 3 stages, %u threads\n",
           g_get_num_processors ());   /* max-threads 0: one per processor */
  ok = setl_pipeline_run (pipeline, NULL, &error);

  /* The report is worth keeping whether the run succeeded or not. */
  report = setl_pipeline_get_report (pipeline);
  if (report != NULL)
    {
      g_autoptr(GError) save_error = NULL;

      if (setl_run_report_save (report, report_json, &save_error))
        g_print ("Run report: %s\n", report_json);
      else
        g_printerr ("%s\n", save_error->message);
    }
  if (!ok)
    {
      g_printerr ("setl-example-citizens: %s\n", error->message);
      return 1;
    }

  counts_value = setl_pipeline_get_output (pipeline, EXAMPLE_TYPE_COUNTRY_COUNTER, &error);
  if (counts_value == NULL)
    {
      g_printerr ("setl-example-citizens: %s\n", error->message);
      return 1;
    }
  counts = g_value_get_boxed (counts_value);
  g_print ("Citizens per country (%s):\n", result_csv);
  for (guint i = 0; i < counts->len; i++)
    {
      ExampleCountryCount *count = g_ptr_array_index (counts, i);

      g_print ("  %s  %-10s %3u\n", count->code, count->name, count->citizens);
    }
  return 0;
}
