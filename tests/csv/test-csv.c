/* test-csv.c: the csv plugin's tokenizer, inference, source and sink, on
 * real files in a temporary directory.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <setl/setl.h>
#include <glib/gstdio.h>
#include <string.h>

#include "setl-csv-sink.h"
#include "setl-csv-source.h"
#include "setl-csv-stream.h"
#include "setl-csv-tokenizer.h"
#include "setl-csv-value.h"

static char *tmpdir;

static char *
write_file (const char *name, const char *content, gssize length)
{
  char *path = g_build_filename (tmpdir, name, NULL);

  g_assert_true (g_file_set_contents (path, content, length, NULL));
  return path;
}

static char *
read_file (const char *path)
{
  char *data = NULL;

  g_assert_true (g_file_get_contents (path, &data, NULL, NULL));
  return data;
}

static SetlCsvSource *
new_source (const char *path)
{
  return g_object_new (SETL_TYPE_CSV_SOURCE, "path", path, "name", "src", NULL);
}

static SetlBatchStream *
source_stream (SetlCsvSource *source, GError **error)
{
  g_auto(GValue) value = G_VALUE_INIT;

  if (!setl_factory_read (SETL_FACTORY (source), NULL, error))
    return NULL;
  g_assert_true (setl_factory_get (SETL_FACTORY (source), &value, NULL));
  return g_value_dup_object (&value);
}

/* Reads a whole file through the source; NULL with @error on failure. */
static SetlTable *
source_table (SetlCsvSource *source, GError **error)
{
  g_autoptr(SetlBatchStream) stream = source_stream (source, error);

  if (stream == NULL)
    return NULL;
  return setl_batch_stream_collect (stream, NULL, error);
}

static SetlTable *
read_csv (const char *content, GError **error)
{
  g_autofree char *path = write_file ("in.csv", content, -1);
  g_autoptr(SetlCsvSource) source = new_source (path);

  return source_table (source, error);
}

/* The cell at @row of column @col, across batches. */
static SetlColumn *
cell (SetlTable *table, guint col, gint64 *row)
{
  for (guint b = 0; b < setl_table_get_n_batches (table); b++)
    {
      SetlRecordBatch *batch = setl_table_get_batch (table, b);

      if (*row < setl_record_batch_get_n_rows (batch))
        return setl_record_batch_get_column (batch, col);
      *row -= setl_record_batch_get_n_rows (batch);
    }
  g_assert_not_reached ();
}

static char *
str_at (SetlTable *table, guint col, gint64 row)
{
  SetlColumn *c = cell (table, col, &row);

  g_assert_cmpint (setl_column_get_data_type (c), ==, SETL_DATA_TYPE_STRING);
  return setl_column_is_null (c, row) ? NULL : setl_column_dup_string (c, row);
}

static gboolean
null_at (SetlTable *table, guint col, gint64 row)
{
  SetlColumn *c = cell (table, col, &row);
  return setl_column_is_null (c, row);
}

static gint64
int_at (SetlTable *table, guint col, gint64 row)
{
  SetlColumn *c = cell (table, col, &row);

  g_assert_cmpint (setl_column_get_data_type (c), ==, SETL_DATA_TYPE_INT64);
  g_assert_false (setl_column_is_null (c, row));
  return setl_column_get_int64 (c, row);
}

static SetlDataType
type_of (SetlTable *table, guint col)
{
  return setl_field_get_data_type (setl_table_get_field (table, col));
}

#define assert_str(table, col, row, expected) \
  G_STMT_START { g_autofree char *s_ = str_at (table, col, row); g_assert_cmpstr (s_, ==, expected); } G_STMT_END

/* ---- source: real-world inputs ------------------------------------------ */

static const char awkward[] =
  "\xEF\xBB\xBF" "id,name,city,note\r\n"
  "1,\"Smith, John\",Paris,\"he said \"\"hi\"\"\"\r\n"
  "2,Zoë,\"São Paulo\",\r\n"
  "3,NA,\"\",\"two\r\nlines\"\r\n"
  "\r\n"
  "4,\"\",Ñuñoa,\"NA\"\r\n"
  "5,x,,\"a,b\"";   /* no final newline */

static void
check_awkward (SetlTable *t)
{
  g_assert_cmpint (setl_table_get_n_rows (t), ==, 5);
  g_assert_cmpuint (setl_table_get_n_columns (t), ==, 4);
  g_assert_cmpstr (setl_field_get_name (setl_table_get_field (t, 0)), ==, "id");   /* BOM gone */
  g_assert_cmpint (type_of (t, 0), ==, SETL_DATA_TYPE_INT64);
  g_assert_cmpint (int_at (t, 0, 4), ==, 5);
  assert_str (t, 1, 0, "Smith, John");
  assert_str (t, 3, 0, "he said \"hi\"");
  assert_str (t, 1, 1, "Zoë");
  assert_str (t, 2, 1, "São Paulo");
  g_assert_true (null_at (t, 3, 1));          /* empty cell */
  g_assert_true (null_at (t, 1, 2));          /* NA */
  assert_str (t, 2, 2, "");                   /* "" is an empty string */
  assert_str (t, 3, 2, "two\r\nlines");       /* embedded CRLF kept */
  assert_str (t, 1, 3, "");
  assert_str (t, 2, 3, "Ñuñoa");
  assert_str (t, 3, 3, "NA");                 /* quoted NA is text */
  g_assert_true (null_at (t, 2, 4));
  assert_str (t, 3, 4, "a,b");
}

static void
test_source_awkward (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SetlTable) t = read_csv (awkward, &error);

  g_assert_no_error (error);
  check_awkward (t);
}

/* Every record straddles buffer refills when the read size is tiny. */
static void
test_tokenizer_buffer_sizes (void)
{
  g_autoptr(GPtrArray) reference = g_ptr_array_new_with_free_func (g_free);

  for (gsize size = 0; size <= 40; size = size == 0 ? 4 : size + 1)
    {
      g_autoptr(SetlCsvTokenizer) tok =
        setl_csv_tokenizer_new_for_data (awkward, sizeof awkward - 1, ',', '"', size);
      g_autoptr(GString) all = g_string_new (NULL);
      const SetlCsvField *fields;
      SetlCsvTokenFailure failure;
      guint n;

      while (setl_csv_tokenizer_next (tok, &fields, &n, &failure))
        {
          g_string_append_printf (all, "@%" G_GUINT64_FORMAT ":", setl_csv_tokenizer_get_line (tok));
          for (guint i = 0; i < n; i++)
            {
              g_string_append_printf (all, "[%s", fields[i].quoted ? "q" : "");
              g_string_append_len (all, fields[i].ptr, fields[i].len);
              g_string_append (all, "]");
            }
          g_string_append_c (all, '\n');
        }
      g_assert_cmpint (failure.code, ==, SETL_CSV_TOKEN_ERROR_NONE);
      if (size == 0)
        {
          /* Physical lines: the record after the two-line cell is on line 6. */
          g_assert_nonnull (strstr (all->str, "@4:[3][NA][q][qtwo\r\nlines]\n@7:[4][q]"));
          g_ptr_array_add (reference, g_string_free (g_steal_pointer (&all), FALSE));
        }
      else
        g_assert_cmpstr (all->str, ==, reference->pdata[0]);
    }
}

static void
test_source_lf_and_delimiter (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = write_file ("semi.csv", "a;b\n1;'x;y'\n2;'it''s'\n", -1);
  g_autoptr(SetlCsvSource) source = new_source (path);
  g_autoptr(SetlTable) t = NULL;

  g_object_set (source, "delimiter", ";", "quote", "'", NULL);
  t = source_table (source, &error);
  g_assert_no_error (error);
  g_assert_cmpint (setl_table_get_n_rows (t), ==, 2);
  assert_str (t, 1, 0, "x;y");
  assert_str (t, 1, 1, "it's");
}

static void
test_source_no_header (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = write_file ("nohead.csv", "1,a\n2,b\n", -1);
  g_autoptr(SetlCsvSource) source = new_source (path);
  g_autoptr(SetlTable) t = NULL;

  g_object_set (source, "header", FALSE, NULL);
  t = source_table (source, &error);
  g_assert_no_error (error);
  g_assert_cmpint (setl_table_get_n_rows (t), ==, 2);
  g_assert_cmpstr (setl_field_get_name (setl_table_get_field (t, 1)), ==, "column_2");
  g_assert_cmpint (int_at (t, 0, 1), ==, 2);
}

static void
test_source_header_names (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SetlTable) t = read_csv ("a,,a, b \n1,2,3,4\n", &error);

  g_assert_no_error (error);
  g_assert_cmpstr (setl_field_get_name (setl_table_get_field (t, 0)), ==, "a");
  g_assert_cmpstr (setl_field_get_name (setl_table_get_field (t, 1)), ==, "column_2");
  g_assert_cmpstr (setl_field_get_name (setl_table_get_field (t, 2)), ==, "a_2");
  g_assert_cmpstr (setl_field_get_name (setl_table_get_field (t, 3)), ==, "b");
}

static void
test_source_custom_null_markers (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = write_file ("nulls.csv", "a,b\nNULL,\n-,x\n", -1);
  g_autoptr(SetlCsvSource) source = new_source (path);
  const char *markers[] = { "NULL", "-", NULL };
  g_autoptr(SetlTable) t = NULL;

  g_object_set (source, "null-markers", markers, NULL);
  t = source_table (source, &error);
  g_assert_no_error (error);
  g_assert_true (null_at (t, 0, 0));
  g_assert_true (null_at (t, 0, 1));
  assert_str (t, 1, 0, "");          /* empty is no longer a null marker */
}

static void
test_source_empty_and_header_only (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SetlTable) t = read_csv ("a,b\n", &error);
  g_autoptr(SetlTable) none = NULL;

  g_assert_no_error (error);
  g_assert_cmpint (setl_table_get_n_rows (t), ==, 0);
  g_assert_cmpuint (setl_table_get_n_columns (t), ==, 2);
  g_assert_cmpint (type_of (t, 0), ==, SETL_DATA_TYPE_STRING);

  none = read_csv ("", &error);
  g_assert_null (none);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_assert_true (g_str_has_suffix (error->message, "in.csv: the file is empty; expected a header line"));
}

static void
test_source_missing_file (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (tmpdir, "nope.csv", NULL);
  g_autoptr(SetlCsvSource) source = new_source (path);
  g_autoptr(SetlCsvSource) unset = g_object_new (SETL_TYPE_CSV_SOURCE, "name", "u", NULL);
  g_autofree char *expected = g_strdup_printf ("csv-source “src”: %s: cannot open: No such file or directory", path);

  g_assert_false (setl_factory_read (SETL_FACTORY (source), NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_cmpstr (error->message, ==, expected);
  g_clear_error (&error);

  g_assert_false (setl_factory_read (SETL_FACTORY (unset), NULL, &error));
  g_assert_cmpstr (error->message, ==, "csv-source “u”: property “path” is not set");
  g_clear_error (&error);

  g_object_set (source, "delimiter", ";;", NULL);
  g_assert_false (setl_factory_read (SETL_FACTORY (source), NULL, &error));
  g_assert_cmpstr (error->message, ==,
                   "csv-source “src”: property “delimiter” must be one ASCII character "
                   "other than a line end, not “;;”");
}

/* ---- inference ---------------------------------------------------------- */

static void
test_infer_types (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SetlTable) t =
    read_csv ("zip,n,x,d,ts,b,mixed,plus,sci,big,empty,intdbl,datets\n"
              "00501,1,1.5,2024-01-31,2024-01-31T10:00:00,true,1,+1,1e5,12345678901234567890,,1,2024-01-01\n"
              "10001,-20,-0.25,1999-12-31,2024-02-01 11:30:15.5Z,FALSE,a,+2,2.5E-3,1,NA,2.5,2024-01-02T03:04:05\n"
              "90210,NA,NA,,,NA,2.5,3,1.0,2,,3,\n", &error);

  g_assert_no_error (error);
  g_assert_cmpint (type_of (t, 0), ==, SETL_DATA_TYPE_STRING);     /* 00501 stays a code */
  assert_str (t, 0, 0, "00501");
  g_assert_cmpint (type_of (t, 1), ==, SETL_DATA_TYPE_INT64);
  g_assert_cmpint (int_at (t, 1, 1), ==, -20);
  g_assert_true (null_at (t, 1, 2));
  g_assert_cmpint (type_of (t, 2), ==, SETL_DATA_TYPE_DOUBLE);
  g_assert_cmpint (type_of (t, 3), ==, SETL_DATA_TYPE_DATE32);
  g_assert_cmpint (type_of (t, 4), ==, SETL_DATA_TYPE_TIMESTAMP);
  g_assert_cmpint (type_of (t, 5), ==, SETL_DATA_TYPE_BOOL);
  g_assert_cmpint (type_of (t, 6), ==, SETL_DATA_TYPE_STRING);     /* mixed */
  g_assert_cmpint (type_of (t, 7), ==, SETL_DATA_TYPE_STRING);     /* "+1" */
  g_assert_cmpint (type_of (t, 8), ==, SETL_DATA_TYPE_DOUBLE);     /* 1e5 */
  g_assert_cmpint (type_of (t, 9), ==, SETL_DATA_TYPE_STRING);     /* beyond int64 */
  g_assert_cmpint (type_of (t, 10), ==, SETL_DATA_TYPE_STRING);    /* all null */
  g_assert_cmpint (type_of (t, 11), ==, SETL_DATA_TYPE_DOUBLE);    /* int + double */
  g_assert_cmpint (type_of (t, 12), ==, SETL_DATA_TYPE_TIMESTAMP); /* date + timestamp */

  {
    /* Row by row: a parallel read may cut these rows into several batches. */
    gint64 r;
    SetlColumn *c;

#define AT(col, row) (r = (row), c = cell (t, (col), &r))
    AT (3, 0);
    g_assert_cmpint (setl_column_get_date32 (c, r), ==, 19753);     /* 2024-01-31 */
    AT (3, 1);
    g_assert_cmpint (setl_column_get_date32 (c, r), ==, 10956);     /* 1999-12-31 */
    AT (4, 0);
    g_assert_cmpint (setl_column_get_timestamp (c, r), ==, G_GINT64_CONSTANT (1706695200000000));
    AT (4, 1);
    g_assert_cmpint (setl_column_get_timestamp (c, r), ==, G_GINT64_CONSTANT (1706787015500000));
    AT (2, 1);
    g_assert_cmpfloat (setl_column_get_double (c, r), ==, -0.25);
    AT (8, 0);
    g_assert_cmpfloat (setl_column_get_double (c, r), ==, 1e5);
    AT (8, 1);
    g_assert_cmpfloat (setl_column_get_double (c, r), ==, 2.5e-3);
    AT (5, 0);
    g_assert_true (setl_column_get_bool (c, r));
    AT (5, 1);
    g_assert_false (setl_column_get_bool (c, r));
    AT (5, 2);
    g_assert_true (setl_column_is_null (c, r));
#undef AT
  }
}

/* Inference looks at infer-rows rows only; a later misfit is an error. */
static void
test_infer_rows_limit (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = write_file ("late.csv", "n\n1\n2\n3\nx\n", -1);
  g_autoptr(SetlCsvSource) source = new_source (path);
  g_autoptr(SetlTable) t = NULL;
  g_autofree char *expected = g_strdup_printf ("%s:5:1 (n): cannot read “x” as int64", path);

  g_object_set (source, "infer-rows", 3, NULL);
  t = source_table (source, &error);
  g_assert_null (t);
  g_assert_cmpstr (error->message, ==, expected);
  g_clear_error (&error);

  g_object_set (source, "infer-rows", 4, NULL);
  t = source_table (source, &error);
  g_assert_no_error (error);
  g_assert_cmpint (type_of (t, 0), ==, SETL_DATA_TYPE_STRING);
}

static void
test_values_parse_format (void)
{
  static const double doubles[] = { 0.1, 1.0 / 3, -2.5, 1e300, 5e-324, 123456.789, 0.0, -0.0, 1e15, 42.0 };
  char buf[SETL_CSV_VALUE_BUF];
  gint64 i;
  double d;
  gint32 days;

  g_assert_true (setl_csv_parse_int64 ("-9223372036854775808", 20, TRUE, &i));
  g_assert_cmpint (i, ==, G_MININT64);
  g_assert_false (setl_csv_parse_int64 ("9223372036854775808", 19, TRUE, &i));
  g_assert_true (setl_csv_parse_int64 ("007", 3, FALSE, &i));
  g_assert_cmpint (i, ==, 7);
  g_assert_false (setl_csv_parse_int64 ("007", 3, TRUE, &i));
  g_assert_false (setl_csv_parse_double ("0x1p3", 5, FALSE, &d));
  g_assert_false (setl_csv_parse_double (" 1.5", 4, FALSE, &d));
  g_assert_true (setl_csv_parse_double ("0.1", 3, TRUE, &d));
  g_assert_cmpfloat (d, ==, 0.1);
  g_assert_false (setl_csv_parse_date ("2023-02-29", 10, NULL, &days));
  g_assert_true (setl_csv_parse_date ("2024-02-29", 10, NULL, &days));
  g_assert_true (setl_csv_parse_date ("29/02/2024", 10, "%d/%m/%Y", &days));
  g_assert_cmpint (days, ==, 19782);
  g_assert_cmpuint (setl_csv_format_date (buf, days, "%e %b %y"), ==, 9);
  g_assert_cmpint (memcmp (buf, "29 Feb 24", 9), ==, 0);
  g_assert_true (setl_csv_parse_timestamp ("1969-12-31T23:59:59.999999", 26, NULL, &i));
  g_assert_cmpint (i, ==, -1);
  buf[setl_csv_format_timestamp (buf, -1, NULL)] = '\0';
  g_assert_cmpstr (buf, ==, "1969-12-31T23:59:59.999999");
  g_assert_true (setl_csv_parse_timestamp ("2024-01-01T01:00:00+01:00", 25, NULL, &i));
  g_assert_cmpint (i, ==, G_GINT64_CONSTANT (1704067200000000));

  /* Doubles read back exactly. */
  for (guint k = 0; k < G_N_ELEMENTS (doubles); k++)
    {
      gsize n = setl_csv_format_double (buf, doubles[k]);

      g_assert_true (setl_csv_parse_double (buf, n, FALSE, &d));
      g_assert_cmpmem (&d, sizeof d, &doubles[k], sizeof d);
    }
  buf[setl_csv_format_double (buf, 0.1)] = '\0';
  g_assert_cmpstr (buf, ==, "0.1");
  buf[setl_csv_format_double (buf, 42.0)] = '\0';
  g_assert_cmpstr (buf, ==, "42.0");
}

/* ---- explicit schema ---------------------------------------------------- */

static void
test_schema_string (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = write_file ("schema.csv", "id,zip,born,score\n007,00501,01/02/1990,3\n", -1);
  g_autoptr(SetlCsvSource) source = new_source (path);
  g_autoptr(SetlTable) t = NULL;

  g_object_set (source, "schema", "id:int64, born:date, score:double", "date-format", "%d/%m/%Y", NULL);
  t = source_table (source, &error);
  g_assert_no_error (error);
  g_assert_cmpint (int_at (t, 0, 0), ==, 7);
  g_assert_cmpint (type_of (t, 1), ==, SETL_DATA_TYPE_STRING);   /* inferred */
  g_assert_cmpint (type_of (t, 2), ==, SETL_DATA_TYPE_DATE32);
  g_assert_cmpint (type_of (t, 3), ==, SETL_DATA_TYPE_DOUBLE);
  {
    gint64 row = 0;
    SetlColumn *c = cell (t, 2, &row);
    g_assert_cmpint (setl_column_get_date32 (c, 0), ==, 7336);   /* 1990-02-01 */
  }
  g_clear_object (&t);

  g_object_set (source, "schema", "id:integer,zip:varchar", NULL);
  g_assert_null (source_table (source, &error));
  g_assert_cmpstr (error->message, ==,
                   "csv-source “src”: schema column “zip”: unknown type “varchar” "
                   "(known: bool, int64, double, string, date, timestamp)");
  g_clear_error (&error);

  g_object_set (source, "schema", "id:int64,missing:string", NULL);
  g_assert_null (source_table (source, &error));
  g_assert_true (g_str_has_suffix (error->message, "schema.csv:1: schema column “missing” is not in the header"));
}

static void
test_schema_document (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *schema = write_file ("people.json",
    "{ \"name\": \"people\", \"columns\": ["
    " { \"name\": \"id\", \"type\": \"int64\" },"
    " { \"name\": \"zip\", \"type\": \"string\", \"nullable\": true } ] }", -1);
  g_autofree char *path = write_file ("people.csv", "id,zip\n1,00501\n,02134\n", -1);
  g_autoptr(SetlCsvSource) source = new_source (path);
  g_autoptr(SetlTable) t = NULL;
  g_autofree char *expected = g_strdup_printf ("%s:3:1 (id): null value in a non-nullable column", path);

  g_autoptr(SetlBatchStream) stream = NULL;
  SetlField **fields;
  guint n_fields;

  g_object_set (source, "schema", schema, NULL);
  stream = source_stream (source, &error);
  g_assert_no_error (error);
  fields = setl_batch_stream_get_fields (stream, &n_fields);
  g_assert_cmpuint (n_fields, ==, 2);
  g_assert_cmpint (setl_field_get_data_type (fields[0]), ==, SETL_DATA_TYPE_INT64);
  g_assert_false (setl_field_get_nullable (fields[0]));
  g_assert_cmpint (setl_field_get_data_type (fields[1]), ==, SETL_DATA_TYPE_STRING);
  g_assert_true (setl_field_get_nullable (fields[1]));
  t = setl_batch_stream_collect (stream, NULL, &error);
  g_assert_null (t);
  g_assert_cmpstr (error->message, ==, expected);
}

/* ---- malformed input ---------------------------------------------------- */

typedef struct
{
  const char *content;
  const char *message;   /* after "PATH:" */
} Malformed;

static void
test_malformed (void)
{
  static const Malformed cases[] = {
    { "a,b,c\n1,2,3\n4,\"five,6\n7,8,9\n", "3:2 (b): unterminated quoted field (no closing quote before the end of the file)" },
    { "a,b,c\n1,\"x\"y,3\n", "2:2 (b): unexpected character after a closing quote (a quote inside a quoted field must be doubled)" },
    { "a,b,c\n1,2,3\n4,5,6,7\n", "3:4: row has 4 fields, expected 3" },
    { "a,b,c\n1,2\n", "2:3 (c): row has 2 fields, expected 3" },
    { "a,b,c\n1,\"multi\nline\",3\n4,5\n", "4:3 (c): row has 2 fields, expected 3" },
    { "a,b,c\n1,2,3\n4,5,6\n7,8,x\n", NULL /* with schema c:int64 below */ },
    { "a,b,c\n1,\xff\xfe,3\n", "2:2 (b): invalid UTF-8" },
    { "a,b,c\r\n1,2,3\r\n\r\n1,2\r\n", "4:3 (c): row has 2 fields, expected 3" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *name = g_strdup_printf ("bad%u.csv", i);
      g_autofree char *path = write_file (name, cases[i].content, -1);
      g_autoptr(SetlCsvSource) source = new_source (path);
      g_autoptr(SetlTable) t = NULL;
      g_autofree char *expected = NULL;

      if (cases[i].message == NULL)
        {
          g_object_set (source, "schema", "c:int64", NULL);
          expected = g_strdup_printf ("%s:4:3 (c): cannot read “x” as int64", path);
        }
      else
        expected = g_strdup_printf ("%s:%s", path, cases[i].message);
      g_object_set (source, "schema", cases[i].message == NULL ? "c:int64" : NULL, NULL);
      t = source_table (source, &error);
      g_assert_null (t);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
      g_assert_cmpstr (error->message, ==, expected);
    }
}

static void
test_malformed_date_format (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = write_file ("dates.csv", "d\n01/02/2020\n2020-02-01\n", -1);
  g_autoptr(SetlCsvSource) source = new_source (path);
  g_autofree char *expected =
    g_strdup_printf ("%s:3:1 (d): cannot read “2020-02-01” as date32 (format “%%d/%%m/%%Y”)", path);

  g_object_set (source, "schema", "d:date", "date-format", "%d/%m/%Y", NULL);
  g_assert_null (source_table (source, &error));
  g_assert_cmpstr (error->message, ==, expected);
  g_clear_error (&error);

  g_object_set (source, "date-format", "%Q", NULL);
  g_assert_false (setl_factory_read (SETL_FACTORY (source), NULL, &error));
  g_assert_nonnull (strstr (error->message, "unknown directive “%Q”"));
}

/* ---- reject file -------------------------------------------------------- */

static void
test_reject_file (void)
{
  g_autoptr(GError) error = NULL;
  const char *content =
    "id,name\n"
    "1,ok\n"
    "2,too,many\n"
    "x,not an int\n"
    "3,\"fine\"\n"
    "4,\"bad\"quote\n"
    "5,last\n"
    "6,\"never closed\n7,eaten\n";
  g_autofree char *path = write_file ("rej.csv", content, -1);
  g_autofree char *rejects = g_build_filename (tmpdir, "rej.bad.csv", NULL);
  g_autoptr(SetlCsvSource) source = new_source (path);
  g_autoptr(SetlTable) t = NULL;
  g_autofree char *written = NULL;
  gint64 rejected = -1;

  g_object_set (source, "reject-file", rejects, "schema", "id:int64", NULL);
  t = source_table (source, &error);
  g_assert_no_error (error);
  g_assert_cmpint (setl_table_get_n_rows (t), ==, 3);
  g_assert_cmpint (int_at (t, 0, 0), ==, 1);
  g_assert_cmpint (int_at (t, 0, 1), ==, 3);
  g_assert_cmpint (int_at (t, 0, 2), ==, 5);
  g_object_get (source, "rejected-rows", &rejected, NULL);
  g_assert_cmpint (rejected, ==, 4);
  written = read_file (rejects);
  g_assert_cmpstr (written, ==,
                   "id,name\n2,too,many\nx,not an int\n4,\"bad\"quote\n6,\"never closed\n7,eaten\n");

  /* No temporary file is left beside it. */
  {
    g_autoptr(GDir) dir = g_dir_open (tmpdir, 0, NULL);
    const char *name;

    while ((name = g_dir_read_name (dir)) != NULL)
      g_assert_false (g_str_has_prefix (name, ".rej.bad.csv."));
  }
}

/* ---- sink, round trips -------------------------------------------------- */

static SetlTable *
make_table (void)
{
  g_autoptr(SetlColumnBuilder) ids = setl_column_builder_new (SETL_DATA_TYPE_INT64);
  g_autoptr(SetlColumnBuilder) names = setl_column_builder_new (SETL_DATA_TYPE_STRING);
  g_autoptr(SetlColumnBuilder) scores = setl_column_builder_new (SETL_DATA_TYPE_DOUBLE);
  g_autoptr(SetlColumnBuilder) flags = setl_column_builder_new (SETL_DATA_TYPE_BOOL);
  g_autoptr(SetlColumnBuilder) days = setl_column_builder_new (SETL_DATA_TYPE_DATE32);
  g_autoptr(SetlColumnBuilder) stamps = setl_column_builder_new (SETL_DATA_TYPE_TIMESTAMP);
  static const char *const texts[] = { "plain", "", "NA", "a,b", "say \"hi\"", "two\nlines", "Zoë", "cr\r" };
  SetlField *fields[6];
  SetlColumn *columns[6];
  SetlRecordBatch *batch;
  SetlTable *table;

  for (guint i = 0; i < G_N_ELEMENTS (texts) + 1; i++)
    {
      if (i == G_N_ELEMENTS (texts))
        {
          setl_column_builder_append_null (ids);
          setl_column_builder_append_null (names);
          setl_column_builder_append_null (scores);
          setl_column_builder_append_null (flags);
          setl_column_builder_append_null (days);
          setl_column_builder_append_null (stamps);
          break;
        }
      setl_column_builder_append_int64 (ids, i == 0 ? G_MININT64 : (gint64) i * 1000003);
      setl_column_builder_append_string (names, texts[i], -1);
      setl_column_builder_append_double (scores, i == 0 ? 0.1 : 1.0 / (i + 2) - i);
      setl_column_builder_append_bool (flags, i % 2);
      setl_column_builder_append_date32 (days, (gint32) i * 4000 - 8000);
      setl_column_builder_append_timestamp (stamps, (gint64) i * G_GINT64_CONSTANT (86400123456) - 5);
    }
  fields[0] = setl_field_new ("id", SETL_DATA_TYPE_INT64, TRUE);
  fields[1] = setl_field_new ("name, full", SETL_DATA_TYPE_STRING, TRUE);
  fields[2] = setl_field_new ("score", SETL_DATA_TYPE_DOUBLE, TRUE);
  fields[3] = setl_field_new ("flag", SETL_DATA_TYPE_BOOL, TRUE);
  fields[4] = setl_field_new ("day", SETL_DATA_TYPE_DATE32, TRUE);
  fields[5] = setl_field_new ("at", SETL_DATA_TYPE_TIMESTAMP, TRUE);
  columns[0] = setl_column_builder_finish (ids, NULL);
  columns[1] = setl_column_builder_finish (names, NULL);
  columns[2] = setl_column_builder_finish (scores, NULL);
  columns[3] = setl_column_builder_finish (flags, NULL);
  columns[4] = setl_column_builder_finish (days, NULL);
  columns[5] = setl_column_builder_finish (stamps, NULL);
  batch = setl_record_batch_new (fields, 6, columns, 6, NULL);
  table = setl_table_new (fields, 6, &batch, 1, NULL);
  for (guint i = 0; i < 6; i++)
    {
      g_object_unref (fields[i]);
      g_object_unref (columns[i]);
    }
  g_object_unref (batch);
  return table;
}

static gboolean
run_sink (SetlCsvSink *sink, SetlBatchStream *input, GCancellable *cancellable, GError **error)
{
  g_autoptr(SetlDeliverable) d = NULL;
  GValue value = G_VALUE_INIT;
  SetlDelivery *slot = setl_factory_get_delivery (SETL_FACTORY (sink), "in");

  g_value_init (&value, SETL_TYPE_BATCH_STREAM);
  g_value_set_object (&value, input);
  setl_delivery_set_value (slot, &value);
  g_value_unset (&value);
  return setl_factory_write (SETL_FACTORY (sink), cancellable, error);
}

static gint64
sink_rows (SetlCsvSink *sink)
{
  g_auto(GValue) value = G_VALUE_INIT;

  g_assert_true (setl_factory_get (SETL_FACTORY (sink), &value, NULL));
  return g_value_get_int64 (&value);
}

static void
test_roundtrip_table (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SetlTable) table = make_table ();
  g_autofree char *path = g_build_filename (tmpdir, "rt.csv", NULL);
  g_autoptr(SetlCsvSink) sink = g_object_new (SETL_TYPE_CSV_SINK, "path", path, "name", "out", NULL);
  g_autoptr(SetlCsvSource) source = new_source (path);
  g_autoptr(SetlTable) back = NULL;
  g_autofree char *text = NULL;

  g_assert_true (run_sink (sink, SETL_BATCH_STREAM (table), NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (sink_rows (sink), ==, 9);
  text = read_file (path);
  /* Quotes only where needed; nulls bare; "" and "NA" quoted. */
  g_assert_true (g_str_has_prefix (text, "id,\"name, full\",score,flag,day,at\n"
                                         "-9223372036854775808,plain,0.1,false,1948-02-06,1969-12-31T23:59:59.999995\n"));
  g_assert_nonnull (strstr (text, ",\"\","));
  g_assert_nonnull (strstr (text, ",\"NA\","));
  g_assert_nonnull (strstr (text, ",\"say \"\"hi\"\"\","));
  g_assert_nonnull (strstr (text, ",\"two\nlines\","));
  g_assert_true (g_str_has_suffix (text, "\n,,,,,\n"));

  /* Inference gets every type back; values and nulls are identical. */
  back = source_table (source, &error);
  g_assert_no_error (error);
  g_assert_true (setl_table_equal (table, back));
}

/* CSV → table → CSV gives the same bytes for a canonical file. */
static void
test_roundtrip_csv (void)
{
  const char *canonical =
    "id,name,score,when,ok\n"
    "1,\"Smith, J\",0.5,2024-01-31,true\n"
    "2,,1.25,,false\n"
    "3,\"\",,1999-12-31,\n"
    "4,\"NA\",-3.0,2000-02-29,true\n"
    "5,\"a \"\"q\"\"\nb\",1e+300,2000-03-01,false\n";
  g_autoptr(GError) error = NULL;
  g_autofree char *in = write_file ("canon.csv", canonical, -1);
  g_autofree char *out = g_build_filename (tmpdir, "canon.out.csv", NULL);
  g_autoptr(SetlCsvSource) source = new_source (in);
  g_autoptr(SetlCsvSink) sink = g_object_new (SETL_TYPE_CSV_SINK, "path", out, NULL);
  g_autoptr(SetlBatchStream) stream = source_stream (source, &error);
  g_autofree char *text = NULL;

  g_assert_no_error (error);
  g_assert_true (run_sink (sink, stream, NULL, &error));
  g_assert_no_error (error);
  text = read_file (out);
  g_assert_cmpstr (text, ==, canonical);
  g_assert_cmpint (sink_rows (sink), ==, 5);
}

static void
test_sink_options (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *in = write_file ("opt.csv", "a,b,d\n1,x;y,2024-03-05\n,,\n", -1);
  g_autofree char *out = g_build_filename (tmpdir, "opt.out.csv", NULL);
  g_autoptr(SetlCsvSource) source = new_source (in);
  g_autoptr(SetlCsvSink) sink = g_object_new (SETL_TYPE_CSV_SINK, "path", out, "delimiter", ";",
                                              "header", FALSE, "null-marker", "NULL",
                                              "date-format", "%d.%m.%Y", NULL);
  g_autoptr(SetlBatchStream) stream = source_stream (source, &error);
  g_autofree char *text = NULL;

  g_assert_true (run_sink (sink, stream, NULL, &error));
  g_assert_no_error (error);
  text = read_file (out);
  g_assert_cmpstr (text, ==, "1;\"x;y\";05.03.2024\nNULL;NULL;NULL\n");
}

/* ---- atomic writes and cancellation ------------------------------------- */

/* A stream that yields @good batches, then fails (or cancels). */
#define TEST_TYPE_FAILING_STREAM (test_failing_stream_get_type ())
G_DECLARE_FINAL_TYPE (TestFailingStream, test_failing_stream, TEST, FAILING_STREAM, GObject)
struct _TestFailingStream { GObject parent; SetlTable *table; guint good; GCancellable *cancel; };
static void test_failing_stream_iface_init (SetlBatchStreamInterface *iface);
G_DEFINE_FINAL_TYPE_WITH_CODE (TestFailingStream, test_failing_stream, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (SETL_TYPE_BATCH_STREAM, test_failing_stream_iface_init))

#define TEST_TYPE_FAILING_ITERATOR (test_failing_iterator_get_type ())
G_DECLARE_FINAL_TYPE (TestFailingIterator, test_failing_iterator, TEST, FAILING_ITERATOR, SetlBatchIterator)
struct _TestFailingIterator { SetlBatchIterator parent; TestFailingStream *stream; guint served; };
G_DEFINE_FINAL_TYPE (TestFailingIterator, test_failing_iterator, SETL_TYPE_BATCH_ITERATOR)

static SetlRecordBatch *
test_failing_iterator_next (SetlBatchIterator *it, GCancellable *cancellable, GError **error)
{
  TestFailingIterator *self = TEST_FAILING_ITERATOR (it);

  if (self->served < self->stream->good)
    {
      self->served++;
      return g_object_ref (setl_table_get_batch (self->stream->table, 0));
    }
  if (self->stream->cancel != NULL)
    {
      g_cancellable_cancel (self->stream->cancel);
      return g_object_ref (setl_table_get_batch (self->stream->table, 0));
    }
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "upstream broke");
  return NULL;
}

static void
test_failing_iterator_finalize (GObject *object)
{
  g_object_unref (TEST_FAILING_ITERATOR (object)->stream);
  G_OBJECT_CLASS (test_failing_iterator_parent_class)->finalize (object);
}

static void
test_failing_iterator_class_init (TestFailingIteratorClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = test_failing_iterator_finalize;
  SETL_BATCH_ITERATOR_CLASS (klass)->next = test_failing_iterator_next;
}

static void test_failing_iterator_init (TestFailingIterator *self) {}

static SetlField **
test_failing_stream_get_fields (SetlBatchStream *s, guint *n)
{
  return setl_table_get_fields (TEST_FAILING_STREAM (s)->table, n);
}

static SetlBatchIterator *
test_failing_stream_open (SetlBatchStream *s, GCancellable *cancellable, GError **error)
{
  TestFailingIterator *it = g_object_new (TEST_TYPE_FAILING_ITERATOR, NULL);

  it->stream = g_object_ref (TEST_FAILING_STREAM (s));
  return SETL_BATCH_ITERATOR (it);
}

static void
test_failing_stream_iface_init (SetlBatchStreamInterface *iface)
{
  iface->get_fields = test_failing_stream_get_fields;
  iface->open = test_failing_stream_open;
}

static void
test_failing_stream_finalize (GObject *object)
{
  g_object_unref (TEST_FAILING_STREAM (object)->table);
  G_OBJECT_CLASS (test_failing_stream_parent_class)->finalize (object);
}

static void
test_failing_stream_class_init (TestFailingStreamClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = test_failing_stream_finalize;
}

static void test_failing_stream_init (TestFailingStream *self) {}

static void
assert_no_temp_files (const char *dir_path, const char *base)
{
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  g_autofree char *prefix = g_strdup_printf (".%s.", base);
  const char *name;

  while ((name = g_dir_read_name (dir)) != NULL)
    g_assert_false (g_str_has_prefix (name, prefix));
}

static void
test_sink_atomic (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out = write_file ("atomic.csv", "old,content\n1,2\n", -1);
  g_autoptr(SetlCsvSink) sink = g_object_new (SETL_TYPE_CSV_SINK, "path", out, "name", "out",
                                              "batch-size", 2, NULL);
  g_autoptr(TestFailingStream) failing = g_object_new (TEST_TYPE_FAILING_STREAM, NULL);
  g_autofree char *text = NULL;
  g_autofree char *expected = g_strdup_printf ("csv-sink “out”: %s not written: upstream broke", out);

  failing->table = make_table ();
  failing->good = 3;   /* batch-size 2 flushes several times before the failure */
  g_assert_false (run_sink (sink, SETL_BATCH_STREAM (failing), NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_assert_cmpstr (error->message, ==, expected);
  text = read_file (out);
  g_assert_cmpstr (text, ==, "old,content\n1,2\n");
  assert_no_temp_files (tmpdir, "atomic.csv");
  g_assert_cmpint (sink_rows (sink), ==, 0);
}

static void
test_sink_cancel (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out = write_file ("cancel.csv", "old\n", -1);
  g_autoptr(SetlCsvSink) sink = g_object_new (SETL_TYPE_CSV_SINK, "path", out, NULL);
  g_autoptr(TestFailingStream) failing = g_object_new (TEST_TYPE_FAILING_STREAM, NULL);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autofree char *text = NULL;

  failing->table = make_table ();
  failing->good = 2;
  failing->cancel = cancellable;
  g_assert_false (run_sink (sink, SETL_BATCH_STREAM (failing), cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  text = read_file (out);
  g_assert_cmpstr (text, ==, "old\n");
  assert_no_temp_files (tmpdir, "cancel.csv");
}

static void
test_sink_unwritable (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SetlTable) table = make_table ();
  g_autofree char *out = g_build_filename (tmpdir, "no-such-dir", "x.csv", NULL);
  g_autoptr(SetlCsvSink) sink = g_object_new (SETL_TYPE_CSV_SINK, "path", out, "name", "out", NULL);

  g_assert_false (run_sink (sink, SETL_BATCH_STREAM (table), NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_true (g_str_has_prefix (error->message, "csv-sink “out”: "));
}

/* ---- streaming with bounded memory -------------------------------------- */

static guint alive_batches;
static guint max_alive_batches;

static void
batch_finalized (gpointer data, GObject *where)
{
  alive_batches--;
}

static char *
generate_people (guint n_rows, gsize *size)
{
  GString *s = g_string_new ("id,name,age,city,score,email\n");
  static const char *const cities[] = { "Paris", "Lyon", "São Paulo", "New York, NY", "Zürich" };

  for (guint i = 0; i < n_rows; i++)
    {
      const char *city = cities[i % G_N_ELEMENTS (cities)];

      g_string_append_printf (s, "%u,name%u,%u,%s%s%s,%u.%02u,user%u@example.org\n", i, i, i % 90,
                              strchr (city, ',') ? "\"" : "", city, strchr (city, ',') ? "\"" : "",
                              i % 100, i % 97, i);
    }
  *size = s->len;
  return g_string_free (s, FALSE);
}

static void
test_stream_bounded (void)
{
  g_autoptr(GError) error = NULL;
  gsize size;
  g_autofree char *content = generate_people (200000, &size);
  g_autofree char *path = write_file ("big.csv", content, (gssize) size);
  g_autoptr(SetlCsvSource) source = new_source (path);
  g_autoptr(SetlBatchStream) stream = NULL;
  g_autoptr(SetlBatchIterator) it = NULL;
  SetlRecordBatch *batch;
  guint64 sum = 0, rows = 0;
  guint n_batches = 0;
  gint64 start;
  double seconds;

  g_object_set (source, "batch-size", 10000, NULL);
  stream = source_stream (source, &error);
  g_assert_no_error (error);

  for (int pass = 0; pass < 2; pass++)   /* each open() reads the file again */
    {
      sum = rows = 0;
      n_batches = 0;
      start = g_get_monotonic_time ();
      it = setl_batch_stream_open (stream, NULL, &error);
      g_assert_no_error (error);
      while ((batch = setl_batch_iterator_next (it, NULL, &error)) != NULL)
        {
          SetlColumn *ids = setl_record_batch_get_column (batch, 0);
          gint64 n = setl_record_batch_get_n_rows (batch);

          alive_batches++;
          max_alive_batches = MAX (max_alive_batches, alive_batches);
          g_object_weak_ref (G_OBJECT (batch), batch_finalized, NULL);
          g_assert_cmpint (n, <=, 10000);
          g_assert_cmpint (n, >, 0);
          for (gint64 r = 0; r < n; r++)
            sum += (guint64) setl_column_get_int64 (ids, r);
          rows += (guint64) n;
          n_batches++;
          g_object_unref (batch);
          /* The iterator keeps no reference: the batch is gone. */
          g_assert_cmpuint (alive_batches, ==, 0);
        }
      g_assert_no_error (error);
      g_assert_true (setl_batch_iterator_is_finished (it));
      seconds = (g_get_monotonic_time () - start) / 1e6;
      g_clear_object (&it);
      g_assert_cmpuint (rows, ==, 200000);
      g_assert_cmpuint (sum, ==, (guint64) 199999 * 200000 / 2);
      /* Sequentially every batch but the last is full; a parallel pass
       * (forced: the file is below the threshold) ends each block with a
       * short one. */
      if (g_strcmp0 (g_getenv ("SETL_CSV_PARALLEL"), "1") == 0)
        g_assert_cmpuint (n_batches, >=, 20);
      else
        g_assert_cmpuint (n_batches, ==, 20);
      g_assert_cmpuint (max_alive_batches, ==, 1);
      g_test_message ("pass %d: %.1f MB in %.3f s: %.0f MB/s", pass, size / 1e6, seconds,
                      size / 1e6 / seconds);
    }
}

static void
test_stream_cancel (void)
{
  g_autoptr(GError) error = NULL;
  gsize size;
  g_autofree char *content = generate_people (5000, &size);
  g_autofree char *path = write_file ("cancel-src.csv", content, (gssize) size);
  g_autoptr(SetlCsvSource) source = new_source (path);
  g_autoptr(SetlBatchStream) stream = NULL;
  g_autoptr(SetlBatchIterator) it = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(SetlRecordBatch) first = NULL;

  g_object_set (source, "batch-size", 1000, NULL);
  stream = source_stream (source, &error);
  it = setl_batch_stream_open (stream, cancellable, &error);
  first = setl_batch_iterator_next (it, cancellable, &error);
  g_assert_nonnull (first);
  g_cancellable_cancel (cancellable);
  g_assert_null (setl_batch_iterator_next (it, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);

  /* Cancelled before it reads: read() fails too. */
  g_assert_null (setl_batch_stream_open (stream, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

/* ---- robustness: random and mutated inputs ------------------------------ */

static void
test_fuzz_deterministic (void)
{
  static const char alphabet[] = "ab,\"\n\r;1-0.e'NA\xc3\xa9\xff ";
  GRand *rand = g_rand_new_with_seed (4180);
  const char *seeds[] = { awkward, "a,b,c\n1,\"x\"\"y\",3\n", "x\n\"\n", "\"a\"\"\n,,,\r\n\r" };
  guint files = 0;

  for (guint iter = 0; iter < 5000; iter++)
    {
      GString *s = g_string_new (NULL);
      gboolean mutate = g_rand_boolean (rand);

      if (mutate)
        {
          const char *seed = seeds[g_rand_int_range (rand, 0, G_N_ELEMENTS (seeds))];
          g_string_append (s, seed);
          for (int k = g_rand_int_range (rand, 1, 8); k > 0 && s->len > 0; k--)
            {
              guint pos = g_rand_int_range (rand, 0, (gint32) s->len);
              switch (g_rand_int_range (rand, 0, 3))
                {
                case 0: s->str[pos] = alphabet[g_rand_int_range (rand, 0, sizeof alphabet - 1)]; break;
                case 1: g_string_erase (s, pos, 1); break;
                default: g_string_insert_c (s, pos, alphabet[g_rand_int_range (rand, 0, sizeof alphabet - 1)]);
                }
            }
        }
      else
        for (int k = g_rand_int_range (rand, 0, 200); k > 0; k--)
          g_string_append_c (s, alphabet[g_rand_int_range (rand, 0, sizeof alphabet - 1)]);

      /* The tokenizer and inference, with a random small buffer. */
      {
        g_autoptr(SetlCsvTokenizer) tok =
          setl_csv_tokenizer_new_for_data (s->str, s->len, ',', '"', g_rand_int_range (rand, 4, 32));
        SetlCsvInference inf;
        const SetlCsvField *fields;
        SetlCsvTokenFailure failure;
        guint n, guard = 0;

        setl_csv_inference_init (&inf);
        while (guard++ < 10000)
          {
            if (!setl_csv_tokenizer_next (tok, &fields, &n, &failure))
              {
                if (failure.code == SETL_CSV_TOKEN_ERROR_NONE)
                  break;
                g_assert_cmpuint (failure.line, >=, 1);
                continue;
              }
            for (guint i = 0; i < n; i++)
              {
                g_assert_cmpuint (fields[i].len, <=, s->len);
                setl_csv_inference_add (&inf, fields[i].ptr, fields[i].len, NULL, NULL);
              }
          }
        g_assert_cmpuint (guard, <, 10000);
        (void) setl_csv_inference_result (&inf);
      }

      /* Every 10th input goes through the whole source, as a file. */
      if (iter % 10 == 0)
        {
          g_autoptr(GError) error = NULL;
          g_autofree char *path = write_file ("fuzz.csv", s->str, (gssize) s->len);
          g_autoptr(SetlCsvSource) source = new_source (path);
          g_autoptr(SetlTable) t = NULL;

          g_object_set (source, "batch-size", 3, NULL);
          t = source_table (source, &error);
          g_assert_true ((t == NULL) != (error == NULL));
          if (error != NULL)
            g_assert_true (g_str_has_prefix (error->message, path) ||
                           g_str_has_prefix (error->message, "csv-source"));
          files++;
        }
      g_string_free (s, TRUE);
    }
  g_assert_cmpuint (files, ==, 500);
  g_rand_free (rand);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  tmpdir = g_dir_make_tmp ("setl-csv-XXXXXX", NULL);
  g_assert_nonnull (tmpdir);

  g_test_add_func ("/csv/source/awkward", test_source_awkward);
  g_test_add_func ("/csv/tokenizer/buffer-sizes", test_tokenizer_buffer_sizes);
  g_test_add_func ("/csv/source/delimiter-and-quote", test_source_lf_and_delimiter);
  g_test_add_func ("/csv/source/no-header", test_source_no_header);
  g_test_add_func ("/csv/source/header-names", test_source_header_names);
  g_test_add_func ("/csv/source/null-markers", test_source_custom_null_markers);
  g_test_add_func ("/csv/source/empty", test_source_empty_and_header_only);
  g_test_add_func ("/csv/source/configuration-errors", test_source_missing_file);
  g_test_add_func ("/csv/infer/types", test_infer_types);
  g_test_add_func ("/csv/infer/rows-limit", test_infer_rows_limit);
  g_test_add_func ("/csv/values/parse-and-format", test_values_parse_format);
  g_test_add_func ("/csv/schema/string", test_schema_string);
  g_test_add_func ("/csv/schema/document", test_schema_document);
  g_test_add_func ("/csv/malformed/errors", test_malformed);
  g_test_add_func ("/csv/malformed/date-format", test_malformed_date_format);
  g_test_add_func ("/csv/reject-file", test_reject_file);
  g_test_add_func ("/csv/roundtrip/table", test_roundtrip_table);
  g_test_add_func ("/csv/roundtrip/csv", test_roundtrip_csv);
  g_test_add_func ("/csv/sink/options", test_sink_options);
  g_test_add_func ("/csv/sink/atomic", test_sink_atomic);
  g_test_add_func ("/csv/sink/cancel", test_sink_cancel);
  g_test_add_func ("/csv/sink/unwritable", test_sink_unwritable);
  g_test_add_func ("/csv/stream/bounded", test_stream_bounded);
  g_test_add_func ("/csv/stream/cancel", test_stream_cancel);
  g_test_add_func ("/csv/fuzz/deterministic", test_fuzz_deterministic);

  status = g_test_run ();
  remove_tree (tmpdir);
  g_free (tmpdir);
  return status;
}
