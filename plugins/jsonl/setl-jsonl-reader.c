/* setl-jsonl-reader.c
 *
 * One JSON object per line, parsed with json-glib. Blank lines are skipped;
 * a CR before the LF and a UTF-8 byte order mark on the first line are
 * ignored. Errors name the file and the line (and the column, where
 * json-glib gives one).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "setl-jsonl-reader.h"

#include <errno.h>
#include <math.h>
#include <string.h>

/* g_date_get_julian() of 1970-01-01: day 1 is 0001-01-01 */
#define EPOCH_JULIAN 719163

struct _SetlJsonlReader
{
  char *path;
  FILE *file;
  guint64 line;
  char *buf;
  size_t cap;
  JsonParser *parser;
};

SetlJsonlReader *
setl_jsonl_reader_open (const char  *path,
                        GError     **error)
{
  SetlJsonlReader *self;
  FILE *f = fopen (path, "rb");

  if (f == NULL)
    {
      int saved = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   "Cannot open “%s”: %s", path, g_strerror (saved));
      return NULL;
    }
  self = g_new0 (SetlJsonlReader, 1);
  self->path = g_strdup (path);
  self->file = f;
  /* immutable: parsing never keeps a copy of the tree around */
  self->parser = json_parser_new_immutable ();
  return self;
}

void
setl_jsonl_reader_free (SetlJsonlReader *self)
{
  if (self == NULL)
    return;
  if (self->file != NULL)
    fclose (self->file);
  g_clear_object (&self->parser);
  g_free (self->buf);
  g_free (self->path);
  g_free (self);
}

guint64
setl_jsonl_reader_get_line (SetlJsonlReader *self)
{
  return self->line;
}

const char *
setl_jsonl_reader_get_path (SetlJsonlReader *self)
{
  return self->path;
}

/* json-glib wraps integers beyond the int64 range silently; find them in
 * the text first. Returns the byte offset of the first such number, or -1. */
static gssize
find_int64_overflow (const char *text,
                     gsize       len)
{
  gsize i = 0;

  while (i < len)
    {
      char c = text[i];

      if (c == '"')
        {
          for (i++; i < len && text[i] != '"'; i++)
            if (text[i] == '\\')
              i++;
          i++;
          continue;
        }
      if (c == '-' || g_ascii_isdigit (c))
        {
          gsize start = i, digits = 0;
          gboolean integral = TRUE;

          if (c == '-')
            i++;
          while (i < len && g_ascii_isdigit (text[i]))
            i++, digits++;
          while (i < len && (g_ascii_isdigit (text[i]) || strchr (".eE+-", text[i]) != NULL))
            {
              integral = FALSE;
              i++;
            }
          if (integral && digits >= 19)
            {
              g_autofree char *num = g_strndup (text + start, i - start);
              if (!g_ascii_string_to_signed (num, 10, G_MININT64, G_MAXINT64, NULL, NULL))
                return (gssize) start;
            }
          continue;
        }
      /* identifiers such as true1 never hold digits that matter */
      if (g_ascii_isalpha (c))
        {
          while (i < len && g_ascii_isalnum (text[i]))
            i++;
          continue;
        }
      i++;
    }
  return -1;
}

/* json-glib reads “{…} {…}” as one document (it keeps going after the
 * first value, and leaks it); in JSON Lines that is a malformed line. Returns the byte
 * offset of what follows the first complete value, or -1. */
static gssize
find_trailing_value (const char *text,
                     gsize       len)
{
  int depth = 0;

  for (gsize i = 0; i < len; i++)
    {
      char c = text[i];

      if (c == '"')
        {
          for (i++; i < len && text[i] != '"'; i++)
            if (text[i] == '\\')
              i++;
          continue;
        }
      if (c == '{' || c == '[')
        depth++;
      else if ((c == '}' || c == ']') && --depth == 0)
        {
          for (i++; i < len; i++)
            if (!g_ascii_isspace (text[i]))
              return (gssize) i;
          return -1;
        }
    }
  return -1;
}

/* Rewrites json-glib's “<data>:1:8: Parse error: …” as
 * “path:LINE:8: malformed JSON: …”. */
static void
set_parse_error (SetlJsonlReader  *self,
                 const GError     *parse_error,
                 GError          **error)
{
  const char *msg = parse_error->message;
  unsigned line = 0, col = 0;
  int consumed = 0;

  if (sscanf (msg, "<data>:%u:%u: %n", &line, &col, &consumed) == 2 && consumed > 0)
    {
      const char *rest = msg + consumed;
      if (g_str_has_prefix (rest, "Parse error: "))
        rest += strlen ("Parse error: ");
      g_set_error (error, SETL_DATA_ERROR, SETL_DATA_ERROR_INVALID,
                   "%s:%" G_GUINT64_FORMAT ":%u: malformed JSON: %s",
                   self->path, self->line, col, rest);
    }
  else
    g_set_error (error, SETL_DATA_ERROR, SETL_DATA_ERROR_INVALID,
                 "%s:%" G_GUINT64_FORMAT ": malformed JSON: %s", self->path, self->line, msg);
}

/* Reads the next object. Returns 1 with *object set (valid until the next
 * call), 0 at the end of the file, -1 with @error set. */
int
setl_jsonl_reader_next (SetlJsonlReader  *self,
                        JsonObject      **object,
                        GError          **error)
{
  for (;;)
    {
      ssize_t n;
      char *text;
      gsize len;
      gboolean blank = TRUE;
      GError *local = NULL;
      JsonNode *root;
      gssize overflow;

      errno = 0;
      n = getline (&self->buf, &self->cap, self->file);
      if (n < 0)
        {
          if (ferror (self->file))
            {
              int saved = errno;
              g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                           "%s:%" G_GUINT64_FORMAT ": read error: %s", self->path,
                           self->line + 1, g_strerror (saved));
              return -1;
            }
          return 0;
        }
      self->line++;
      text = self->buf;
      len = (gsize) n;
      if (len > 0 && text[len - 1] == '\n')
        len--;
      if (len > 0 && text[len - 1] == '\r')
        len--;
      if (self->line == 1 && len >= 3 && memcmp (text, "\xEF\xBB\xBF", 3) == 0)
        text += 3, len -= 3;
      for (gsize i = 0; i < len && blank; i++)
        blank = g_ascii_isspace (text[i]);
      if (blank)
        continue;

      if (memchr (text, '\0', len) != NULL)
        {
          g_set_error (error, SETL_DATA_ERROR, SETL_DATA_ERROR_INVALID,
                       "%s:%" G_GUINT64_FORMAT ": malformed JSON: a NUL byte in the line",
                       self->path, self->line);
          return -1;
        }
      /* checked first: json-glib leaks the first of several values */
      overflow = find_trailing_value (text, len);
      if (overflow >= 0)
        {
          g_set_error (error, SETL_DATA_ERROR, SETL_DATA_ERROR_INVALID,
                       "%s:%" G_GUINT64_FORMAT ":%" G_GSSIZE_FORMAT ": malformed JSON: "
                       "unexpected text after the object",
                       self->path, self->line,
                       (gssize) g_utf8_strlen (text, overflow) + 1);
          return -1;
        }
      if (!json_parser_load_from_data (self->parser, text, (gssize) len, &local))
        {
          set_parse_error (self, local, error);
          g_error_free (local);
          return -1;
        }
      root = json_parser_get_root (self->parser);
      if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
        {
          g_set_error (error, SETL_DATA_ERROR, SETL_DATA_ERROR_INVALID,
                       "%s:%" G_GUINT64_FORMAT ": expected a JSON object, found %s",
                       self->path, self->line,
                       root == NULL ? "nothing" : json_node_type_name (root));
          return -1;
        }
      overflow = find_int64_overflow (text, len);
      if (overflow >= 0)
        {
          g_set_error (error, SETL_DATA_ERROR, SETL_DATA_ERROR_OVERFLOW,
                       "%s:%" G_GUINT64_FORMAT ":%" G_GSSIZE_FORMAT ": integer out of the "
                       "int64 range (write it as a string or a decimal number)",
                       self->path, self->line,
                       (gssize) g_utf8_strlen (text, overflow) + 1);
          return -1;
        }
      *object = json_node_get_object (root);
      return 1;
    }
}

static gboolean
parse_type_name (const char   *name,
                 SetlDataType *type)
{
  static const struct { const char *alias; SetlDataType type; } aliases[] = {
    { "int", SETL_DATA_TYPE_INT64 }, { "integer", SETL_DATA_TYPE_INT64 },
    { "bigint", SETL_DATA_TYPE_INT64 }, { "float", SETL_DATA_TYPE_DOUBLE },
    { "float8", SETL_DATA_TYPE_DOUBLE }, { "real", SETL_DATA_TYPE_DOUBLE },
    { "text", SETL_DATA_TYPE_STRING }, { "varchar", SETL_DATA_TYPE_STRING },
    { "boolean", SETL_DATA_TYPE_BOOL }, { "date", SETL_DATA_TYPE_DATE32 },
  };

  if (setl_data_type_from_string (name, type))
    return TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (aliases); i++)
    if (g_ascii_strcasecmp (name, aliases[i].alias) == 0)
      {
        *type = aliases[i].type;
        return TRUE;
      }
  return FALSE;
}

/* “a:int64, b:string” → nullable fields. */
GPtrArray *
setl_jsonl_parse_schema (const char  *schema,
                         GError     **error)
{
  g_autoptr(GPtrArray) fields = g_ptr_array_new_with_free_func (g_object_unref);
  g_auto(GStrv) items = g_strsplit (schema, ",", -1);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; items[i] != NULL; i++)
    {
      char *item = g_strstrip (items[i]);
      char *colon = strrchr (item, ':');
      SetlDataType type;
      char *name, *type_name;

      if (*item == '\0' && items[1] == NULL)
        break;
      if (colon == NULL)
        {
          g_set_error (error, SETL_DATA_ERROR, SETL_DATA_ERROR_INVALID,
                       "Schema item %u (“%s”) is not of the form name:type", i + 1, item);
          return NULL;
        }
      *colon = '\0';
      name = g_strstrip (item);
      type_name = g_strstrip (colon + 1);
      if (*name == '\0' || !parse_type_name (type_name, &type))
        {
          g_set_error (error, SETL_DATA_ERROR, SETL_DATA_ERROR_INVALID,
                       "Schema item %u: %s (types: bool, int64, double, string, date, timestamp)",
                       i + 1, *name == '\0' ? "no column name" : "unknown type");
          g_prefix_error (error, "“%s:%s”: ", name, type_name);
          return NULL;
        }
      if (!g_hash_table_add (seen, g_strdup (name)))
        {
          g_set_error (error, SETL_DATA_ERROR, SETL_DATA_ERROR_INVALID,
                       "Schema names column “%s” twice", name);
          return NULL;
        }
      g_ptr_array_add (fields, type == SETL_DATA_TYPE_TIMESTAMP
                                 ? setl_field_new_timestamp (name, TRUE, NULL)
                                 : setl_field_new (name, type, TRUE));
    }
  if (fields->len == 0)
    {
      g_set_error (error, SETL_DATA_ERROR, SETL_DATA_ERROR_INVALID, "The schema names no column");
      return NULL;
    }
  return g_steal_pointer (&fields);
}

gboolean
setl_jsonl_parse_date (const char *text,
                       gint32     *days)
{
  unsigned y, m, d;
  int consumed = 0;

  if (strlen (text) != 10 ||
      sscanf (text, "%4u-%2u-%2u%n", &y, &m, &d, &consumed) != 3 || consumed != 10 ||
      !g_date_valid_dmy ((GDateDay) d, (GDateMonth) m, (GDateYear) y))
    return FALSE;
  {
    GDate date;
    g_date_clear (&date, 1);
    g_date_set_dmy (&date, (GDateDay) d, (GDateMonth) m, (GDateYear) y);
    *days = (gint32) ((gint64) g_date_get_julian (&date) - EPOCH_JULIAN);
  }
  return TRUE;
}

gboolean
setl_jsonl_parse_timestamp (const char *text,
                            gint64     *usec)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(GDateTime) dt = NULL;
  g_autofree char *copy = g_strdup (text);
  gint32 days;

  if (setl_jsonl_parse_date (text, &days))
    {
      *usec = (gint64) days * G_USEC_PER_SEC * 86400;
      return TRUE;
    }
  if (strlen (copy) > 10 && copy[10] == ' ')
    copy[10] = 'T';
  dt = g_date_time_new_from_iso8601 (copy, utc);
  if (dt == NULL)
    return FALSE;
  *usec = g_date_time_to_unix (dt) * G_USEC_PER_SEC + g_date_time_get_microsecond (dt);
  return TRUE;
}

/* The shortest of %.15g, %.16g, %.17g that reads back as the same double,
 * with a “.0” when it would otherwise read back as an integer. */
void
setl_jsonl_format_double (GString *out,
                          double   value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  static const char *const formats[] = { "%.15g", "%.16g", "%.17g" };

  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      g_ascii_formatd (buf, sizeof buf, formats[i], value);
      if (g_ascii_strtod (buf, NULL) == value)
        break;
    }
  g_string_append (out, buf);
  if (strpbrk (buf, ".eE") == NULL)
    g_string_append (out, ".0");
}

static const char *
node_kind (JsonNode *node)
{
  if (JSON_NODE_HOLDS_OBJECT (node))
    return "an object";
  if (JSON_NODE_HOLDS_ARRAY (node))
    return "an array";
  switch (json_node_get_value_type (node) == G_TYPE_INT64 ? 0 :
          json_node_get_value_type (node) == G_TYPE_DOUBLE ? 1 :
          json_node_get_value_type (node) == G_TYPE_BOOLEAN ? 2 : 3)
    {
    case 0: return "an integer";
    case 1: return "a decimal number";
    case 2: return "a boolean";
    default: return "a string";
    }
}

static gboolean
type_error (SetlDataType   type,
            JsonNode      *node,
            GError       **error)
{
  g_autofree char *text = json_to_string (node, FALSE);

  if (g_utf8_strlen (text, -1) > 40)
    {
      char *cut = g_utf8_offset_to_pointer (text, 40);
      *cut = '\0';
    }
  g_set_error (error, SETL_DATA_ERROR, SETL_DATA_ERROR_INVALID,
               "expected %s, found %s (%s%s)", setl_data_type_to_string (type),
               node_kind (node), text, strlen (text) >= 40 ? "…" : "");
  return FALSE;
}

/* Appends the JSON value @node (a member of a row object, or NULL when
 * the key is missing) to a column of @type. The error says what was found;
 * the caller adds the file, line and key. */
gboolean
setl_jsonl_append_value (SetlColumnBuilder  *builder,
                         SetlDataType        type,
                         JsonNode           *node,
                         GError            **error)
{
  GType vt;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      setl_column_builder_append_null (builder);
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_VALUE (node))
    {
      if (type != SETL_DATA_TYPE_STRING)
        return type_error (type, node, error);
      {
        /* nested objects and arrays are kept as compact JSON text */
        g_autofree char *text = json_to_string (node, FALSE);
        setl_column_builder_append_string (builder, text, -1);
      }
      return TRUE;
    }

  vt = json_node_get_value_type (node);
  switch (type)
    {
    case SETL_DATA_TYPE_BOOL:
      if (vt != G_TYPE_BOOLEAN)
        return type_error (type, node, error);
      setl_column_builder_append_bool (builder, json_node_get_boolean (node));
      return TRUE;

    case SETL_DATA_TYPE_INT64:
      if (vt == G_TYPE_INT64)
        setl_column_builder_append_int64 (builder, json_node_get_int (node));
      else if (vt == G_TYPE_DOUBLE)
        {
          double d = json_node_get_double (node);
          if (d != floor (d) || d < -9223372036854775808.0 || d >= 9223372036854775808.0)
            return type_error (type, node, error);
          setl_column_builder_append_int64 (builder, (gint64) d);
        }
      else
        return type_error (type, node, error);
      return TRUE;

    case SETL_DATA_TYPE_DOUBLE:
      if (vt == G_TYPE_INT64)
        setl_column_builder_append_double (builder, (double) json_node_get_int (node));
      else if (vt == G_TYPE_DOUBLE)
        setl_column_builder_append_double (builder, json_node_get_double (node));
      else if (vt == G_TYPE_STRING)
        {
          /* JSON has no NaN or infinities; the jsonl sink writes them so */
          const char *s = json_node_get_string (node);
          if (g_str_equal (s, "NaN"))
            setl_column_builder_append_double (builder, NAN);
          else if (g_str_equal (s, "Infinity"))
            setl_column_builder_append_double (builder, INFINITY);
          else if (g_str_equal (s, "-Infinity"))
            setl_column_builder_append_double (builder, -INFINITY);
          else
            return type_error (type, node, error);
        }
      else
        return type_error (type, node, error);
      return TRUE;

    case SETL_DATA_TYPE_STRING:
      if (vt == G_TYPE_STRING)
        setl_column_builder_append_string (builder, json_node_get_string (node), -1);
      else
        {
          g_autofree char *text = json_to_string (node, FALSE);
          setl_column_builder_append_string (builder, text, -1);
        }
      return TRUE;

    case SETL_DATA_TYPE_DATE32:
      {
        gint32 days;
        if (vt != G_TYPE_STRING || !setl_jsonl_parse_date (json_node_get_string (node), &days))
          {
            type_error (type, node, error);
            g_prefix_error (error, "not a date (YYYY-MM-DD): ");
            return FALSE;
          }
        setl_column_builder_append_date32 (builder, days);
        return TRUE;
      }

    case SETL_DATA_TYPE_TIMESTAMP:
      {
        gint64 usec;
        if (vt != G_TYPE_STRING || !setl_jsonl_parse_timestamp (json_node_get_string (node), &usec))
          {
            type_error (type, node, error);
            g_prefix_error (error, "not an ISO 8601 timestamp: ");
            return FALSE;
          }
        setl_column_builder_append_timestamp (builder, usec);
        return TRUE;
      }

    default:
      g_assert_not_reached ();
    }
}
