/* setl-pipeline-file.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/**
 * SetlPipelineFile:
 *
 * A pipeline written as a JSON file: typed parameters, and factories named
 * by the features of installed plugins, with their properties and their
 * inputs wired by name. docs/pipeline-format.md describes the format.
 *
 * |[<!-- language="C" -->
 * g_autoptr(SetlPipelineFile) file =
 *   setl_pipeline_file_new_from_file ("citizens.setl.json", &error);
 * if (file == NULL ||
 *     !setl_pipeline_file_set_parameter (file, "country", "FR", &error) ||
 *     (pipeline = setl_pipeline_file_build (file, NULL, &error)) == NULL)
 *   g_printerr ("%s\n", error->message);   // "citizens.setl.json:12:7: …"
 * ]|
 *
 * Loading checks the JSON and the structure; building creates each factory
 * from its feature through a #SetlPluginRegistry, sets its properties, wires
 * its inputs and places it in a stage. Errors name the file, the line and
 * the column of what is at fault, and, for a misspelled name, the closest
 * known one.
 *
 * Wiring maps onto the dispatcher's delivery ids: every factory delivers
 * under its own name, and a slot wired to a factory asks for that name. The
 * pipeline's inspector then checks the whole graph as for any pipeline.
 */
#include "setl-plugin-private.h"
#include "setl-pipeline-file.h"
#include "setl-pipeline-compose-private.h"
#include "setl-pipeline-file-cache-private.h"
#include "setl-pipeline-file-validation-private.h"
#include "setl-pipeline-file-conditions-private.h"

#include <errno.h>
#include <string.h>

#include <json-glib/json-glib.h>

G_DEFINE_QUARK (setl-pipeline-file-error-quark, setl_pipeline_file_error)

/* How deeply JSON values may nest: far beyond any pipeline file, and low
 * enough that a hostile file cannot exhaust the stack of the recursive
 * parsers (ours and json-glib's). */
#define MAX_DEPTH 128

/* The parameter every file has: the absolute directory of the file, so
 * that a file can name its data relative to itself. */
#define BUILTIN_PIPELINE_DIR "pipeline_dir"

/* line, column, and the file when a sub-pipeline's or a base's part is
 * at fault (see setl-pipeline-compose.c) */
typedef SetlPipelinePos Pos;

typedef enum {
  PARAM_STRING,
  PARAM_INT,
  PARAM_DOUBLE,
  PARAM_BOOL,
} ParamType;

static const char * const param_type_names[] = { "string", "int", "double", "bool" };

typedef struct
{
  char *name;
  ParamType type;
  char *description;
  char *value;              /* as text; NULL while a required one is unset */
  char *path;               /* JSON pointer of its declaration */
} Param;

typedef struct
{
  char *name;
  char *feature;            /* as resolved by the last build */
  char *feature_template;   /* (nullable) the file's text, when it has ${…} */
  char *path;               /* JSON pointer of the factory's object */
  JsonObject *properties;   /* (nullable) */
  JsonNode *inputs;         /* (nullable) an object, or a string */
  int stage;                /* -1: derived from the dependencies */
  int writable;             /* -1: the factory's default */
} FactorySpec;

struct _SetlPipelineFile
{
  GObject parent_instance;

  char *source_name;
  char *base_dir;
  char *name;
  char *description;
  int max_threads;            /* 0: the pipeline's default */
  int continue_on_error;      /* -1: the pipeline's default */

  JsonParser *parser;         /* owns the nodes the specs point into */
  GHashTable *key_pos;        /* JSON pointer → Pos of a member's name */
  GHashTable *value_pos;      /* JSON pointer → Pos of a value */
  GPtrArray *params;          /* of Param */
  GPtrArray *factories;       /* of FactorySpec */
};

G_DEFINE_FINAL_TYPE (SetlPipelineFile, setl_pipeline_file, G_TYPE_OBJECT)

static void
param_free (gpointer data)
{
  Param *p = data;

  g_free (p->name);
  g_free (p->description);
  g_free (p->value);
  g_free (p->path);
  g_free (p);
}

static void
factory_spec_free (gpointer data)
{
  FactorySpec *f = data;

  g_free (f->name);
  g_free (f->feature);
  g_free (f->feature_template);
  g_free (f->path);
  g_clear_pointer (&f->properties, json_object_unref);
  g_clear_pointer (&f->inputs, json_node_unref);
  g_free (f);
}

static void
setl_pipeline_file_finalize (GObject *object)
{
  SetlPipelineFile *self = SETL_PIPELINE_FILE (object);

  g_free (self->source_name);
  g_free (self->base_dir);
  g_free (self->name);
  g_free (self->description);
  g_clear_object (&self->parser);
  g_hash_table_unref (self->key_pos);
  g_hash_table_unref (self->value_pos);
  g_ptr_array_unref (self->params);
  g_ptr_array_unref (self->factories);

  G_OBJECT_CLASS (setl_pipeline_file_parent_class)->finalize (object);
}

static void
setl_pipeline_file_class_init (SetlPipelineFileClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = setl_pipeline_file_finalize;
}

static void
setl_pipeline_file_init (SetlPipelineFile *self)
{
  self->key_pos = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->value_pos = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->params = g_ptr_array_new_with_free_func (param_free);
  self->factories = g_ptr_array_new_with_free_func (factory_spec_free);
  self->continue_on_error = -1;
}

/* ----------------------------------------------------------------------- */
/* Errors and suggestions                                                   */

static Pos
lookup_pos (GHashTable *table,
            const char *path)
{
  Pos *pos = g_hash_table_lookup (table, path);

  return pos != NULL ? *pos : (Pos) { 1, 1 };
}

static Pos
key_pos (SetlPipelineFile *self,
         const char       *path)
{
  Pos *pos = g_hash_table_lookup (self->key_pos, path);

  /* An array element has no name: its value stands for it. */
  return pos != NULL ? *pos : lookup_pos (self->value_pos, path);
}

static Pos
value_pos (SetlPipelineFile *self,
           const char       *path)
{
  return lookup_pos (self->value_pos, path);
}

G_GNUC_PRINTF (5, 6) static void
set_error_at (SetlPipelineFile *self,
              GError          **error,
              int               code,
              Pos               pos,
              const char       *format,
              ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, SETL_PIPELINE_FILE_ERROR, code, "%s:%u:%u: %s",
               pos.source ? pos.source : self->source_name, pos.line, pos.column, message);
}

static char *
path_join (const char *parent,
           const char *key)
{
  GString *s = g_string_new (parent);

  /* JSON pointer escaping (RFC 6901), so that names with slashes cannot
   * collide with nested paths. */
  g_string_append_c (s, '/');
  for (const char *c = key; *c; c++)
    {
      if (*c == '~')
        g_string_append (s, "~0");
      else if (*c == '/')
        g_string_append (s, "~1");
      else
        g_string_append_c (s, *c);
    }
  return g_string_free (s, FALSE);
}

static char *
path_index (const char *parent,
            guint       index)
{
  return g_strdup_printf ("%s/%u", parent, index);
}

/* The edit distance between two strings, by Unicode character. */
static guint
levenshtein (const char *a,
             const char *b)
{
  glong n = g_utf8_strlen (a, -1), m = g_utf8_strlen (b, -1);
  g_autofree gunichar *ua = g_utf8_to_ucs4_fast (a, -1, NULL);
  g_autofree gunichar *ub = g_utf8_to_ucs4_fast (b, -1, NULL);
  g_autofree guint *row = g_new (guint, m + 1);

  for (glong j = 0; j <= m; j++)
    row[j] = j;
  for (glong i = 1; i <= n; i++)
    {
      guint diagonal = row[0];

      row[0] = i;
      for (glong j = 1; j <= m; j++)
        {
          guint up = row[j];
          guint cost = g_unichar_tolower (ua[i - 1]) == g_unichar_tolower (ub[j - 1]) ? 0 : 1;

          row[j] = MIN (MIN (row[j] + 1, row[j - 1] + 1), diagonal + cost);
          diagonal = up;
        }
    }
  return row[m];
}

/* Appends to @s a suggestion for the unknown @name among @candidates: the
 * closest one when it is close enough to be a misspelling, otherwise the
 * list of what is known (or that nothing is). */
static void
append_suggestion (GString    *s,
                   const char *name,
                   GPtrArray  *candidates,
                   const char *what)
{
  const char *best = NULL;
  guint best_distance = G_MAXUINT;

  for (guint i = 0; i < candidates->len; i++)
    {
      const char *c = g_ptr_array_index (candidates, i);
      guint d = levenshtein (name, c);

      if (d < best_distance)
        {
          best = c;
          best_distance = d;
        }
    }

  if (best == NULL)
    {
      g_string_append_printf (s, " (no %s is known)", what);
      return;
    }
  if (best_distance <= MAX (2, g_utf8_strlen (best, -1) / 3))
    {
      g_string_append_printf (s, "; did you mean “%s”?", best);
      return;
    }
  g_string_append_printf (s, "; the closest known %s is “%s”", what, best);
  if (candidates->len <= 12)
    {
      g_string_append_printf (s, " (known: ");
      for (guint i = 0; i < candidates->len; i++)
        g_string_append_printf (s, "%s“%s”", i ? ", " : "",
                                (const char *) g_ptr_array_index (candidates, i));
      g_string_append_c (s, ')');
    }
}

static GPtrArray *
strings_of (const char * const *names)
{
  GPtrArray *a = g_ptr_array_new ();

  for (guint i = 0; names[i] != NULL; i++)
    g_ptr_array_add (a, (gpointer) names[i]);
  return a;
}

/* ----------------------------------------------------------------------- */
/* A strict JSON scanner: precise syntax errors, and the position of every  */
/* member name and value (JsonNode keeps none).                             */

typedef struct
{
  SetlPipelineFile *file;
  const char *p;
  const char *end;
  Pos pos;
  GString *path;
  guint depth;
} Scanner;

static void
scan_advance (Scanner *s)
{
  guchar c = (guchar) *s->p++;

  if (c == '\n')
    {
      s->pos.line++;
      s->pos.column = 1;
    }
  else if ((c & 0xC0) != 0x80)
    s->pos.column++;
}

static void
scan_skip_ws (Scanner *s)
{
  while (s->p < s->end && (*s->p == ' ' || *s->p == '\t' || *s->p == '\n' || *s->p == '\r'))
    scan_advance (s);
}

/* What stands at the scanner's position, for "…, found X". */
static char *
scan_found (Scanner *s)
{
  if (s->p >= s->end)
    return g_strdup ("the end of the file");
  if (g_ascii_isalnum (*s->p) || *s->p == '_')
    {
      const char *e = s->p;

      while (e < s->end && (g_ascii_isalnum (*e) || *e == '_') && e - s->p < 24)
        e++;
      return g_strdup_printf ("“%.*s”", (int) (e - s->p), s->p);
    }
  if (*s->p == '/' && s->p + 1 < s->end && (s->p[1] == '/' || s->p[1] == '*'))
    return g_strdup ("a comment (JSON has none; a “description” member can hold one)");
  if (*s->p == '\'')
    return g_strdup ("“'” (JSON strings take double quotes)");
  if (*s->p == '"')
    return g_strdup ("a string");
  return g_strdup_printf ("“%.*s”", (int) (g_utf8_next_char (s->p) - s->p), s->p);
}

G_GNUC_PRINTF (3, 4) static gboolean
scan_fail (Scanner    *s,
           GError    **error,
           const char *format,
           ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  set_error_at (s->file, error, SETL_PIPELINE_FILE_ERROR_SYNTAX, s->pos, "%s", message);
  return FALSE;
}

static gboolean
scan_expected (Scanner    *s,
               GError    **error,
               const char *expected)
{
  g_autofree char *found = scan_found (s);

  return scan_fail (s, error, "expected %s, found %s", expected, found);
}

static void
record (GHashTable *table,
        const char *path,
        Pos         pos)
{
  g_hash_table_replace (table, g_strdup (path), g_memdup2 (&pos, sizeof pos));
}

static gboolean
scan_hex4 (Scanner  *s,
           gunichar *out,
           GError  **error)
{
  *out = 0;
  for (int i = 0; i < 4; i++)
    {
      int digit = s->p < s->end ? g_ascii_xdigit_value (*s->p) : -1;

      if (digit < 0)
        return scan_expected (s, error, "four hexadecimal digits after “\\u”");
      *out = *out * 16 + digit;
      scan_advance (s);
    }
  return TRUE;
}

/* A string, at its opening quote; @out (nullable) gets it decoded. */
static gboolean
scan_string (Scanner  *s,
             GString  *out,
             GError  **error)
{
  Pos start = s->pos;

  scan_advance (s);   /* the quote */
  for (;;)
    {
      guchar c;

      if (s->p >= s->end)
        {
          s->pos = start;
          return scan_fail (s, error, "unterminated string: no closing “\"” before the end of the file");
        }
      c = (guchar) *s->p;
      if (c == '"')
        {
          scan_advance (s);
          return TRUE;
        }
      if (c < 0x20)
        return scan_fail (s, error, "control character U+%04X in a string (a line break is written “\\n”)", c);
      if (c != '\\')
        {
          const char *next = g_utf8_next_char (s->p);

          if (out != NULL)
            g_string_append_len (out, s->p, next - s->p);
          while (s->p < next)
            scan_advance (s);
          continue;
        }

      scan_advance (s);   /* the backslash */
      if (s->p >= s->end)
        continue;   /* reported as unterminated above */
      switch (*s->p)
        {
        case '"': case '\\': case '/':
          if (out != NULL)
            g_string_append_c (out, *s->p);
          scan_advance (s);
          break;
        case 'b': if (out) g_string_append_c (out, '\b'); scan_advance (s); break;
        case 'f': if (out) g_string_append_c (out, '\f'); scan_advance (s); break;
        case 'n': if (out) g_string_append_c (out, '\n'); scan_advance (s); break;
        case 'r': if (out) g_string_append_c (out, '\r'); scan_advance (s); break;
        case 't': if (out) g_string_append_c (out, '\t'); scan_advance (s); break;
        case 'u':
          {
            gunichar u, low;

            scan_advance (s);
            if (!scan_hex4 (s, &u, error))
              return FALSE;
            if (u >= 0xD800 && u < 0xDC00)
              {
                /* A high surrogate must be followed by a low one. */
                if (s->end - s->p < 2 || s->p[0] != '\\' || s->p[1] != 'u')
                  return scan_expected (s, error, "“\\u” and a low surrogate after a high surrogate");
                scan_advance (s);
                scan_advance (s);
                if (!scan_hex4 (s, &low, error))
                  return FALSE;
                if (low < 0xDC00 || low > 0xDFFF)
                  return scan_fail (s, error, "invalid low surrogate \\u%04X", low);
                u = 0x10000 + ((u - 0xD800) << 10) + (low - 0xDC00);
              }
            else if (u >= 0xDC00 && u <= 0xDFFF)
              return scan_fail (s, error, "unpaired low surrogate \\u%04X", u);
            if (u == 0)
              return scan_fail (s, error, "“\\u0000” (a NUL character) is not allowed in a pipeline file");
            if (out != NULL)
              g_string_append_unichar (out, u);
            break;
          }
        default:
          return scan_fail (s, error, "invalid escape “\\%.*s” in a string (valid: \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)",
                            (int) (g_utf8_next_char (s->p) - s->p), s->p);
        }
    }
}

static gboolean
scan_digits (Scanner  *s,
             GError  **error,
             const char *after)
{
  if (s->p >= s->end || !g_ascii_isdigit (*s->p))
    {
      g_autofree char *expected = g_strdup_printf ("a digit %s", after);

      return scan_expected (s, error, expected);
    }
  while (s->p < s->end && g_ascii_isdigit (*s->p))
    scan_advance (s);
  return TRUE;
}

static gboolean
scan_number (Scanner *s,
             GError **error)
{
  const char *start = s->p;
  Pos start_pos = s->pos;
  gboolean integer = TRUE;

  if (*s->p == '-')
    scan_advance (s);
  if (s->p < s->end && *s->p == '0')
    {
      scan_advance (s);
      if (s->p < s->end && g_ascii_isdigit (*s->p))
        return scan_fail (s, error, "a number cannot have a leading zero");
    }
  else if (!scan_digits (s, error, "in the number"))
    return FALSE;
  if (s->p < s->end && *s->p == '.')
    {
      integer = FALSE;
      scan_advance (s);
      if (!scan_digits (s, error, "after the decimal point"))
        return FALSE;
    }
  if (s->p < s->end && (*s->p == 'e' || *s->p == 'E'))
    {
      integer = FALSE;
      scan_advance (s);
      if (s->p < s->end && (*s->p == '+' || *s->p == '-'))
        scan_advance (s);
      if (!scan_digits (s, error, "in the exponent"))
        return FALSE;
    }
  if (integer)
    {
      /* json-glib would wrap it around silently. */
      g_autofree char *text = g_strndup (start, s->p - start);

      if (!g_ascii_string_to_signed (text, 10, G_MININT64, G_MAXINT64, NULL, NULL))
        {
          s->pos = start_pos;
          return scan_fail (s, error, "the integer %s does not fit in 64 bits (from %" G_GINT64_FORMAT
                            " to %" G_GINT64_FORMAT ")", text, G_MININT64, G_MAXINT64);
        }
    }
  return TRUE;
}

static gboolean scan_value (Scanner *s, GError **error);

static gboolean
scan_object (Scanner *s,
             GError **error)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  gsize path_len = s->path->len;
  gboolean first = TRUE;

  scan_advance (s);   /* { */
  scan_skip_ws (s);
  if (s->p < s->end && *s->p == '}')
    {
      scan_advance (s);
      return TRUE;
    }
  for (;;)
    {
      g_autoptr(GString) key = g_string_new (NULL);
      g_autofree char *member_path = NULL;
      Pos key_start;

      scan_skip_ws (s);
      if (s->p >= s->end || *s->p != '"')
        {
          if (!first && s->p < s->end && *s->p == '}')
            return scan_fail (s, error, "expected a member name in double quotes after “,”, found “}” (JSON allows no comma before “}”)");
          return scan_expected (s, error, first ? "a member name in double quotes or “}”"
                                                : "a member name in double quotes");
        }
      key_start = s->pos;
      if (!scan_string (s, key, error))
        return FALSE;
      if (g_hash_table_contains (seen, key->str))
        {
          s->pos = key_start;
          return scan_fail (s, error, "duplicate member “%s” in an object", key->str);
        }
      g_hash_table_add (seen, g_strdup (key->str));

      member_path = path_join (s->path->str, key->str);
      record (s->file->key_pos, member_path, key_start);
      scan_skip_ws (s);
      if (s->p >= s->end || *s->p != ':')
        {
          g_autofree char *expected = g_strdup_printf ("“:” after the member name “%s”", key->str);

          return scan_expected (s, error, expected);
        }
      scan_advance (s);

      g_string_assign (s->path, member_path);
      if (!scan_value (s, error))
        return FALSE;
      g_string_truncate (s->path, path_len);

      scan_skip_ws (s);
      if (s->p < s->end && *s->p == ',')
        {
          scan_advance (s);
          first = FALSE;
          continue;
        }
      if (s->p < s->end && *s->p == '}')
        {
          scan_advance (s);
          return TRUE;
        }
      return scan_expected (s, error, "“,” or “}” after a member");
    }
}

static gboolean
scan_array (Scanner *s,
            GError **error)
{
  gsize path_len = s->path->len;

  scan_advance (s);   /* [ */
  scan_skip_ws (s);
  if (s->p < s->end && *s->p == ']')
    {
      scan_advance (s);
      return TRUE;
    }
  for (guint index = 0;; index++)
    {
      scan_skip_ws (s);
      if (index > 0 && s->p < s->end && *s->p == ']')
        return scan_fail (s, error, "expected a value after “,”, found “]” (JSON allows no comma before “]”)");
      g_string_append_printf (s->path, "/%u", index);
      if (!scan_value (s, error))
        return FALSE;
      g_string_truncate (s->path, path_len);

      scan_skip_ws (s);
      if (s->p < s->end && *s->p == ',')
        {
          scan_advance (s);
          continue;
        }
      if (s->p < s->end && *s->p == ']')
        {
          scan_advance (s);
          return TRUE;
        }
      return scan_expected (s, error, "“,” or “]” after an element");
    }
}

static gboolean
scan_literal (Scanner    *s,
              const char *word)
{
  gsize n = strlen (word);

  if ((gsize) (s->end - s->p) < n || strncmp (s->p, word, n) != 0)
    return FALSE;
  /* "truex" is no literal */
  if ((gsize) (s->end - s->p) > n && (g_ascii_isalnum (s->p[n]) || s->p[n] == '_'))
    return FALSE;
  for (gsize i = 0; i < n; i++)
    scan_advance (s);
  return TRUE;
}

static gboolean
scan_value (Scanner *s,
            GError **error)
{
  gboolean ok;

  scan_skip_ws (s);
  record (s->file->value_pos, s->path->str, s->pos);
  if (s->p >= s->end)
    return scan_expected (s, error, "a value (an object, array, string, number, true, false or null)");

  switch (*s->p)
    {
    case '{':
    case '[':
      if (++s->depth > MAX_DEPTH)
        return scan_fail (s, error, "values nest more than %d levels deep", MAX_DEPTH);
      ok = *s->p == '{' ? scan_object (s, error) : scan_array (s, error);
      s->depth--;
      return ok;
    case '"':
      return scan_string (s, NULL, error);
    case '-': case '0': case '1': case '2': case '3': case '4':
    case '5': case '6': case '7': case '8': case '9':
      return scan_number (s, error);
    default:
      if (scan_literal (s, "true") || scan_literal (s, "false") || scan_literal (s, "null"))
        return TRUE;
      return scan_expected (s, error, "a value (an object, array, string, number, true, false or null)");
    }
}

static gboolean
scan_document (SetlPipelineFile *self,
               const char       *data,
               gsize             length,
               GError          **error)
{
  Scanner s = { self, data, data + length, { 1, 1 }, g_string_new (NULL), 0 };
  const char *bad;
  gboolean ok;

  if (!g_utf8_validate (data, length, &bad))
    {
      while (s.p < bad)
        scan_advance (&s);
      ok = scan_fail (&s, error, bad < s.end && *bad == '\0'
                                   ? "a NUL byte: a pipeline file is UTF-8 text"
                                   : "invalid UTF-8: a pipeline file is UTF-8 text");
      g_string_free (s.path, TRUE);
      return ok;
    }

  /* A byte order mark is tolerated, as editors on some systems write one. */
  if (length >= 3 && memcmp (data, "\xEF\xBB\xBF", 3) == 0)
    s.p += 3;

  scan_skip_ws (&s);
  if (s.p >= s.end)
    ok = scan_fail (&s, error, "the file is empty: expected a JSON object");
  else
    ok = scan_value (&s, error);
  if (ok)
    {
      scan_skip_ws (&s);
      if (s.p < s.end)
        ok = scan_expected (&s, error, "the end of the file after the top-level value");
    }
  g_string_free (s.path, TRUE);
  return ok;
}

/* ----------------------------------------------------------------------- */
/* Structure                                                                */

static const char *
json_type_name (JsonNode *node)
{
  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT: return "an object";
    case JSON_NODE_ARRAY: return "an array";
    case JSON_NODE_NULL: return "null";
    case JSON_NODE_VALUE:
      switch (json_node_get_value_type (node))
        {
        case G_TYPE_INT64: return "an integer";
        case G_TYPE_DOUBLE: return "a number";
        case G_TYPE_BOOLEAN: return (json_node_get_boolean (node) ? "true" : "false");
        case G_TYPE_STRING: return "a string";
        default: return "a value";
        }
    default:
      return "a value";
    }
}

static gboolean
is_string (JsonNode *node)
{
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING;
}

static gboolean
is_int (JsonNode *node)
{
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_INT64;
}

static gboolean
is_number (JsonNode *node)
{
  return JSON_NODE_HOLDS_VALUE (node) &&
         (json_node_get_value_type (node) == G_TYPE_INT64 ||
          json_node_get_value_type (node) == G_TYPE_DOUBLE);
}

static gboolean
is_bool (JsonNode *node)
{
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_BOOLEAN;
}

static char *json_scalar_to_text (JsonNode *node);

static gboolean
wrong_type (SetlPipelineFile *self,
            GError          **error,
            const char       *path,
            const char       *what,
            const char       *expected,
            JsonNode         *node)
{
  g_autofree char *found = is_int (node) ? json_scalar_to_text (node) : g_strdup (json_type_name (node));

  set_error_at (self, error, SETL_PIPELINE_FILE_ERROR_INVALID, value_pos (self, path),
                "%s must be %s, not %s", what, expected, found);
  return FALSE;
}

/* Refuses members of @object not in @known, naming the closest known one. */
static gboolean
check_members (SetlPipelineFile   *self,
               JsonObject         *object,
               const char         *path,
               const char         *where,
               const char * const *known,
               GError            **error)
{
  g_autoptr(GList) members = json_object_get_members (object);

  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *name = l->data;

      if (!g_strv_contains (known, name))
        {
          g_autofree char *member_path = path_join (path, name);
          g_autoptr(GPtrArray) candidates = strings_of (known);
          g_autoptr(GString) message = g_string_new (NULL);

          g_string_printf (message, "unknown member “%s” in %s", name, where);
          append_suggestion (message, name, candidates, "member");
          set_error_at (self, error, SETL_PIPELINE_FILE_ERROR_INVALID,
                        key_pos (self, member_path), "%s", message->str);
          return FALSE;
        }
    }
  return TRUE;
}

/* Parameter and factory names: what ${name} and wiring can refer to. */
static gboolean
valid_name (const char *name,
            gboolean    allow_dash)
{
  if (name[0] == '\0' || !(g_ascii_isalpha (name[0]) || name[0] == '_'))
    return FALSE;
  for (const char *c = name; *c; c++)
    if (!(g_ascii_isalnum (*c) || *c == '_' || (allow_dash && (*c == '-' || *c == '.'))))
      return FALSE;
  return TRUE;
}

static Param *
find_param (SetlPipelineFile *self,
            const char       *name)
{
  for (guint i = 0; i < self->params->len; i++)
    {
      Param *p = g_ptr_array_index (self->params, i);

      if (g_str_equal (p->name, name))
        return p;
    }
  return NULL;
}

static FactorySpec *
find_factory (SetlPipelineFile *self,
              const char       *name)
{
  for (guint i = 0; i < self->factories->len; i++)
    {
      FactorySpec *f = g_ptr_array_index (self->factories, i);

      if (g_str_equal (f->name, name))
        return f;
    }
  return NULL;
}

static gboolean
param_type_from_string (const char *s,
                        ParamType  *type)
{
  for (guint i = 0; i < G_N_ELEMENTS (param_type_names); i++)
    if (g_str_equal (s, param_type_names[i]))
      {
        *type = i;
        return TRUE;
      }
  return FALSE;
}

/* Parses @text as a value of @type; on success *@canonical (nullable) gets
 * its canonical text. The error says what was expected, without position. */
static gboolean
param_parse (ParamType    type,
             const char  *text,
             char       **canonical,
             char       **problem)
{
  switch (type)
    {
    case PARAM_STRING:
      if (canonical)
        *canonical = g_strdup (text);
      return TRUE;
    case PARAM_INT:
      {
        gint64 v;

        if (!g_ascii_string_to_signed (text, 10, G_MININT64, G_MAXINT64, &v, NULL))
          {
            *problem = g_strdup_printf ("“%s” is not an int (a whole number such as 42 or -7)", text);
            return FALSE;
          }
        if (canonical)
          *canonical = g_strdup_printf ("%" G_GINT64_FORMAT, v);
        return TRUE;
      }
    case PARAM_DOUBLE:
      {
        char *end = NULL;
        double v;

        errno = 0;
        v = g_ascii_strtod (text, &end);
        if (text[0] == '\0' || g_ascii_isspace (text[0]) || *end != '\0' || errno == ERANGE)
          {
            *problem = g_strdup_printf ("“%s” is not a double (a number such as 2.5 or 1e-3)", text);
            return FALSE;
          }
        if (canonical)
          {
            char buf[G_ASCII_DTOSTR_BUF_SIZE];

            *canonical = g_strdup (g_ascii_dtostr (buf, sizeof buf, v));
          }
        return TRUE;
      }
    case PARAM_BOOL:
      {
        static const char * const yes[] = { "true", "yes", "on", "1", NULL };
        static const char * const no[] = { "false", "no", "off", "0", NULL };
        g_autofree char *lower = g_ascii_strdown (text, -1);

        if (g_strv_contains (yes, lower) || g_strv_contains (no, lower))
          {
            if (canonical)
              *canonical = g_strdup (g_strv_contains (yes, lower) ? "true" : "false");
            return TRUE;
          }
        *problem = g_strdup_printf ("“%s” is not a bool (true or false)", text);
        return FALSE;
      }
    default:
      g_assert_not_reached ();
    }
}

static char *
json_scalar_to_text (JsonNode *node)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  switch (json_node_get_value_type (node))
    {
    case G_TYPE_STRING: return g_strdup (json_node_get_string (node));
    case G_TYPE_INT64: return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
    case G_TYPE_DOUBLE: return g_strdup (g_ascii_dtostr (buf, sizeof buf, json_node_get_double (node)));
    case G_TYPE_BOOLEAN: return g_strdup (json_node_get_boolean (node) ? "true" : "false");
    default: return NULL;
    }
}

static gboolean
load_parameter (SetlPipelineFile *self,
                const char       *name,
                JsonNode         *node,
                const char       *path,
                GError          **error)
{
  static const char * const members[] = { "type", "default", "description", NULL };
  Param *p;
  JsonNode *def = NULL;
  g_autofree char *default_path = NULL;

  /* "clean.threshold": a sub-pipeline's parameter, in the parent */
  if (!valid_name (name, FALSE) && !_setl_pipeline_compose_valid_param_name (name))
    {
      set_error_at (self, error, SETL_PIPELINE_FILE_ERROR_PARAMETER, key_pos (self, path),
                    "invalid parameter name “%s”: use letters, digits and “_”, starting with a letter", name);
      return FALSE;
    }
  if (g_str_equal (name, BUILTIN_PIPELINE_DIR))
    {
      set_error_at (self, error, SETL_PIPELINE_FILE_ERROR_PARAMETER, key_pos (self, path),
                    "parameter “%s” is built in (the directory of the pipeline file)", name);
      return FALSE;
    }

  p = g_new0 (Param, 1);
  p->name = g_strdup (name);
  p->path = g_strdup (path);
  g_ptr_array_add (self->params, p);

  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *spec = json_node_get_object (node);
      g_autofree char *type_path = path_join (path, "type");
      JsonNode *type_node = json_object_get_member (spec, "type");
      JsonNode *desc = json_object_get_member (spec, "description");
      g_autofree char *where = g_strdup_printf ("parameter “%s”", name);

      if (!check_members (self, spec, path, where, members, error))
        return FALSE;
      if (type_node == NULL)
        {
          set_error_at (self, error, SETL_PIPELINE_FILE_ERROR_PARAMETER, value_pos (self, path),
                        "parameter “%s” has no “type” (one of string, int, double, bool)", name);
          return FALSE;
        }
      if (!is_string (type_node))
        return wrong_type (self, error, type_path, "a parameter's “type”", "a string", type_node);
      if (!param_type_from_string (json_node_get_string (type_node), &p->type))
        {
          g_autoptr(GPtrArray) candidates = strings_of ((const char * const[]) { "string", "int", "double", "bool", NULL });
          g_autoptr(GString) message = g_string_new (NULL);

          g_string_printf (message, "parameter “%s”: unknown type “%s”", name,
                           json_node_get_string (type_node));
          append_suggestion (message, json_node_get_string (type_node), candidates, "type");
          set_error_at (self, error, SETL_PIPELINE_FILE_ERROR_PARAMETER,
                        value_pos (self, type_path), "%s", message->str);
          return FALSE;
        }
      if (desc != NULL)
        {
          g_autofree char *desc_path = path_join (path, "description");

          if (!is_string (desc))
            return wrong_type (self, error, desc_path, "a parameter's “description”", "a string", desc);
          p->description = g_strdup (json_node_get_string (desc));
        }
      def = json_object_get_member (spec, "default");
      default_path = path_join (path, "default");
    }
  else if (JSON_NODE_HOLDS_VALUE (node))
    {
      /* The short form: "min_age": 18 — the default's JSON type is the
       * parameter's. */
      def = node;
      default_path = g_strdup (path);
      switch (json_node_get_value_type (node))
        {
        case G_TYPE_INT64: p->type = PARAM_INT; break;
        case G_TYPE_DOUBLE: p->type = PARAM_DOUBLE; break;
        case G_TYPE_BOOLEAN: p->type = PARAM_BOOL; break;
        default: p->type = PARAM_STRING; break;
        }
    }
  else
    return wrong_type (self, error, path, "a parameter", "an object with “type”, “default” and “description”, or a default value", node);

  if (def != NULL && !JSON_NODE_HOLDS_NULL (def))
    {
      gboolean fits = (p->type == PARAM_STRING && is_string (def)) ||
                      (p->type == PARAM_INT && is_int (def)) ||
                      (p->type == PARAM_DOUBLE && is_number (def)) ||
                      (p->type == PARAM_BOOL && is_bool (def));
      g_autofree char *text = NULL;
      g_autofree char *problem = NULL;

      if (!fits)
        {
          set_error_at (self, error, SETL_PIPELINE_FILE_ERROR_PARAMETER, value_pos (self, default_path),
                        "the default of parameter “%s” must be %s %s, not %s", name,
                        p->type == PARAM_INT ? "an" : "a", param_type_names[p->type],
                        json_type_name (def));
          return FALSE;
        }
      text = json_scalar_to_text (def);
      if (!param_parse (p->type, text, &p->value, &problem))
        {
          set_error_at (self, error, SETL_PIPELINE_FILE_ERROR_PARAMETER, value_pos (self, default_path),
                        "the default of parameter “%s”: %s", name, problem);
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean
load_factory (SetlPipelineFile *self,
              const char       *key,       /* (nullable) its name in the object form */
              JsonNode         *node,
              const char       *path,
              GError          **error)
{
  static const char * const members[] = { "name", "feature", "description", "properties",
                                          "inputs", "stage", "writable", NULL };
  JsonObject *object;
  JsonNode *member;
  FactorySpec *spec;
  FactorySpec *other;
  g_autofree char *where = NULL;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return wrong_type (self, error, path, "a factory", "an object with “feature”, “properties” and “inputs”", node);
  object = json_node_get_object (node);

  spec = g_new0 (FactorySpec, 1);
  spec->path = g_strdup (path);
  spec->stage = -1;
  spec->writable = -1;
  g_ptr_array_add (self->factories, spec);

  member = json_object_get_member (object, "name");
  if (key != NULL)
    {
      spec->name = g_strdup (key);
      if (member != NULL)
        {
          g_autofree char *name_path = path_join (path, "name");

          set_error_at (self, error, SETL_PIPELINE_FILE_ERROR_INVALID, key_pos (self, name_path),
                        "factory “%s” has a “name” member: in the object form the member name is the factory's name", key);
          return FALSE;
        }
    }
  else
    {
      g_autofree char *name_path = path_join (path, "name");

      if (member == NULL)
        {
          set_error_at (self, error, SETL_PIPELINE_FILE_ERROR_INVALID, value_pos (self, path),
                        "a factory has no “name” (inputs refer to factories by name)");
          return FALSE;
        }
      if (!is_string (member))
        return wrong_type (self, error, name_path, "a factory's “name”", "a string", member);
      spec->name = g_strdup (json_node_get_string (member));
    }

  {
    g_autofree char *name_path = key ? g_strdup (path) : path_join (path, "name");
    Pos name_pos = key ? key_pos (self, path) : value_pos (self, name_path);

    if (!valid_name (spec->name, TRUE))
      {
        set_error_at (self, error, SETL_PIPELINE_FILE_ERROR_INVALID, name_pos,
                      "invalid factory name “%s”: use letters, digits, “_”, “-” and “.”, starting with a letter",
                      spec->name);
        return FALSE;
      }
    other = find_factory (self, spec->name);
    if (other != spec)
      {
        Pos first = key_pos (self, other->path);

        set_error_at (self, error, SETL_PIPELINE_FILE_ERROR_INVALID, name_pos,
                      "a second factory named “%s” (the first is at line %u)", spec->name, first.line);
        return FALSE;
      }
  }

  where = g_strdup_printf ("factory “%s”", spec->name);
  if (!check_members (self, object, path, where, members, error))
    return FALSE;

  member = json_object_get_member (object, "feature");
  if (member == NULL)
    {
      set_error_at (self, error, SETL_PIPELINE_FILE_ERROR_INVALID, key_pos (self, path),
                    "factory “%s” has no “feature” (the name of a plugin feature, e.g. “csv-source”)",
                    spec->name);
      return FALSE;
    }
  {
    g_autofree char *p = path_join (path, "feature");

    if (!is_string (member))
      return wrong_type (self, error, p, "a factory's “feature”", "a string", member);
  }
  spec->feature = g_strdup (json_node_get_string (member));
  /* "${backend}-source": resolved when the factory is created, since
   * parameters may still change (--param) after parsing. */
  if (strstr (spec->feature, "${") != NULL)
    spec->feature_template = g_strdup (spec->feature);

  member = json_object_get_member (object, "description");
  if (member != NULL && !is_string (member))
    {
      g_autofree char *p = path_join (path, "description");

      return wrong_type (self, error, p, "a factory's “description”", "a string", member);
    }

  member = json_object_get_member (object, "properties");
  if (member != NULL)
    {
      g_autofree char *p = path_join (path, "properties");

      if (!JSON_NODE_HOLDS_OBJECT (member))
        return wrong_type (self, error, p, "a factory's “properties”", "an object", member);
      spec->properties = json_object_ref (json_node_get_object (member));
    }

  member = json_object_get_member (object, "inputs");
  if (member != NULL)
    {
      g_autofree char *p = path_join (path, "inputs");

      if (!JSON_NODE_HOLDS_OBJECT (member) && !is_string (member))
        return wrong_type (self, error, p, "a factory's “inputs”",
                           "an object (input name → factory name) or a factory name", member);
      spec->inputs = json_node_ref (member);
    }

  member = json_object_get_member (object, "stage");
  if (member != NULL)
    {
      g_autofree char *p = path_join (path, "stage");

      if (!is_int (member) || json_node_get_int (member) < 0 || json_node_get_int (member) > 100000)
        return wrong_type (self, error, p, "a factory's “stage”", "an integer from 0 to 100000", member);
      spec->stage = (int) json_node_get_int (member);
    }

  member = json_object_get_member (object, "writable");
  if (member != NULL)
    {
      g_autofree char *p = path_join (path, "writable");

      if (!is_bool (member))
        return wrong_type (self, error, p, "a factory's “writable”", "true or false", member);
      spec->writable = json_node_get_boolean (member);
    }
  return TRUE;
}

static gboolean
load_document (SetlPipelineFile *self,
               JsonNode         *root,
               GError          **error)
{
  static const char * const members[] = { "setl", "name", "description", "parameters",
                                          "factories", "max-threads", "continue-on-error",
                                          NULL };
  JsonObject *object;
  JsonNode *member;

  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      set_error_at (self, error, SETL_PIPELINE_FILE_ERROR_INVALID, value_pos (self, ""),
                    "a pipeline file is a JSON object, not %s", json_type_name (root));
      return FALSE;
    }
  object = json_node_get_object (root);
  if (!check_members (self, object, "", "the pipeline", members, error))
    return FALSE;

  member = json_object_get_member (object, "setl");
  if (member == NULL)
    {
      set_error_at (self, error, SETL_PIPELINE_FILE_ERROR_VERSION, value_pos (self, ""),
                    "no format version: a pipeline file starts with \"setl\": %d",
                    SETL_PIPELINE_FILE_VERSION);
      return FALSE;
    }
  if (!is_int (member) || json_node_get_int (member) != SETL_PIPELINE_FILE_VERSION)
    {
      g_autofree char *found = JSON_NODE_HOLDS_VALUE (member) ? json_scalar_to_text (member) : NULL;

      set_error_at (self, error, SETL_PIPELINE_FILE_ERROR_VERSION, value_pos (self, "/setl"),
                    "unsupported format version %s: this libsetl reads version %d",
                    found ? found : json_type_name (member), SETL_PIPELINE_FILE_VERSION);
      return FALSE;
    }

  member = json_object_get_member (object, "name");
  if (member != NULL)
    {
      if (!is_string (member) || json_node_get_string (member)[0] == '\0')
        return wrong_type (self, error, "/name", "the pipeline's “name”", "a non-empty string", member);
      g_free (self->name);
      self->name = g_strdup (json_node_get_string (member));
    }

  member = json_object_get_member (object, "description");
  if (member != NULL)
    {
      if (!is_string (member))
        return wrong_type (self, error, "/description", "the pipeline's “description”", "a string", member);
      self->description = g_strdup (json_node_get_string (member));
    }

  member = json_object_get_member (object, "max-threads");
  if (member != NULL)
    {
      if (!is_int (member) || json_node_get_int (member) < 1 || json_node_get_int (member) > 1024)
        return wrong_type (self, error, "/max-threads", "“max-threads”", "an integer from 1 to 1024", member);
      self->max_threads = (int) json_node_get_int (member);
    }

  member = json_object_get_member (object, "continue-on-error");
  if (member != NULL)
    {
      if (!is_bool (member))
        return wrong_type (self, error, "/continue-on-error", "“continue-on-error”", "true or false", member);
      self->continue_on_error = json_node_get_boolean (member);
    }

  member = json_object_get_member (object, "parameters");
  if (member != NULL)
    {
      g_autoptr(GList) names = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (member))
        return wrong_type (self, error, "/parameters", "“parameters”", "an object (name → parameter)", member);
      names = json_object_get_members (json_node_get_object (member));
      for (GList *l = names; l != NULL; l = l->next)
        {
          g_autofree char *path = path_join ("/parameters", l->data);

          if (!load_parameter (self, l->data,
                               json_object_get_member (json_node_get_object (member), l->data),
                               path, error))
            return FALSE;
        }
    }

  member = json_object_get_member (object, "factories");
  if (member == NULL)
    {
      set_error_at (self, error, SETL_PIPELINE_FILE_ERROR_INVALID, value_pos (self, ""),
                    "no “factories”: a pipeline needs at least one factory");
      return FALSE;
    }
  if (JSON_NODE_HOLDS_ARRAY (member))
    {
      JsonArray *array = json_node_get_array (member);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          g_autofree char *path = path_index ("/factories", i);

          if (!load_factory (self, NULL, json_array_get_element (array, i), path, error))
            return FALSE;
        }
    }
  else if (JSON_NODE_HOLDS_OBJECT (member))
    {
      g_autoptr(GList) names = json_object_get_members (json_node_get_object (member));

      for (GList *l = names; l != NULL; l = l->next)
        {
          g_autofree char *path = path_join ("/factories", l->data);

          if (!load_factory (self, l->data,
                             json_object_get_member (json_node_get_object (member), l->data),
                             path, error))
            return FALSE;
        }
    }
  else
    return wrong_type (self, error, "/factories", "“factories”", "an array or an object of factories", member);

  if (self->factories->len == 0)
    {
      set_error_at (self, error, SETL_PIPELINE_FILE_ERROR_INVALID, value_pos (self, "/factories"),
                    "“factories” is empty: a pipeline needs at least one factory");
      return FALSE;
    }
  return TRUE;
}

static char *
default_name (const char *source_name)
{
  g_autofree char *base = g_path_get_basename (source_name);

  /* citizens.setl.json → citizens */
  if (g_str_has_suffix (base, ".json"))
    base[strlen (base) - 5] = '\0';
  if (g_str_has_suffix (base, ".setl"))
    base[strlen (base) - 5] = '\0';
  return base[0] != '\0' ? g_steal_pointer (&base) : g_strdup ("pipeline");
}

/**
 * setl_pipeline_file_new_from_data:
 * @data: the pipeline file's text (JSON, UTF-8)
 * @length: the length of @data in bytes, or -1 if it is nul-terminated
 * @source_name: (nullable): the name errors give the text (a file name);
 *   `<data>` if %NULL
 * @base_dir: (nullable) (type filename): the directory `${pipeline_dir}`
 *   stands for; the current directory if %NULL
 * @error: return location for a #GError
 *
 * Loads a pipeline file from memory: checks the JSON and the structure of
 * the document (names, types of members, parameters). Features, properties
 * and wiring are checked when it is built, against the installed plugins.
 *
 * Returns: (transfer full) (nullable): the pipeline file, or %NULL with
 *   @error set (in %SETL_PIPELINE_FILE_ERROR, its message starting with
 *   `SOURCE:LINE:COLUMN: `)
 */
SetlPipelineFile *
setl_pipeline_file_new_from_data (const char  *data,
                                  gssize       length,
                                  const char  *source_name,
                                  const char  *base_dir,
                                  GError     **error)
{
  g_autoptr(SetlPipelineFile) self = NULL;
  g_autoptr(GError) json_error = NULL;
  gsize len;

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  len = length < 0 ? strlen (data) : (gsize) length;
  self = g_object_new (SETL_TYPE_PIPELINE_FILE, NULL);
  self->source_name = g_strdup (source_name ? source_name : "<data>");
  if (base_dir != NULL && g_path_is_absolute (base_dir))
    self->base_dir = g_canonicalize_filename (base_dir, NULL);
  else
    {
      g_autofree char *cwd = g_get_current_dir ();

      self->base_dir = g_canonicalize_filename (base_dir ? base_dir : ".", cwd);
    }
  self->name = default_name (self->source_name);

  /* Our scanner first: it is stricter than json-glib's (no comments, no
   * raw line breaks in strings, no trailing commas), says precisely what it
   * expected, and records where every member and value is. */
  if (!scan_document (self, data ? data : "", len, error))
    return NULL;

  self->parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (self->parser, data, len, &json_error))
    {
      /* Only for something our scanner accepts and json-glib does not. */
      g_set_error (error, SETL_PIPELINE_FILE_ERROR, SETL_PIPELINE_FILE_ERROR_SYNTAX,
                   "%s: %s", self->source_name, json_error->message);
      return NULL;
    }
  if (json_parser_get_root (self->parser) == NULL)
    {
      g_set_error (error, SETL_PIPELINE_FILE_ERROR, SETL_PIPELINE_FILE_ERROR_SYNTAX,
                   "%s:1:1: the file is empty: expected a JSON object", self->source_name);
      return NULL;
    }
  {
    /* Sub-pipelines, templates and "extends" expand into a plain document
     * first (setl-pipeline-compose.c); it stays alive with the file. */
    JsonNode *composed = NULL;

    /* Branch sets first, so that an arm may be a sub-pipeline (the "when"
     * stay, for composition to rewrite a template's); then, after it, the
     * "when" and what the first pass wrote. */
    if (!_setl_pipeline_conditions_expand_sets (self, json_parser_get_root (self->parser), error) ||
        !_setl_pipeline_compose (self, json_parser_get_root (self->parser), &composed, error) ||
        !_setl_pipeline_conditions_expand (self, composed, error) ||   /* "when", branch sets */
        !_setl_pipeline_file_cache_expand (self, composed, error) ||   /* "cache", "code-version" */
        !_setl_pipeline_file_validation_expand (self, composed, error) ||   /* "validate", "validate-stages" */
        !load_document (self, composed, error))
      return NULL;
  }
  return g_steal_pointer (&self);
}

/**
 * setl_pipeline_file_new_from_file:
 * @path: (type filename): the pipeline file
 * @error: return location for a #GError
 *
 * Reads and loads a pipeline file; `${pipeline_dir}` stands for the
 * directory it is in. See setl_pipeline_file_new_from_data().
 *
 * Returns: (transfer full) (nullable): the pipeline file, or %NULL with
 *   @error set
 */
SetlPipelineFile *
setl_pipeline_file_new_from_file (const char  *path,
                                  GError     **error)
{
  g_autofree char *contents = NULL;
  g_autofree char *dir = NULL;
  g_autoptr(GError) local = NULL;
  gsize length;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!g_file_get_contents (path, &contents, &length, &local))
    {
      g_set_error (error, SETL_PIPELINE_FILE_ERROR, SETL_PIPELINE_FILE_ERROR_SYNTAX,
                   "%s", local->message);
      return NULL;
    }
  dir = g_path_get_dirname (path);
  return setl_pipeline_file_new_from_data (contents, length, path, dir, error);
}

/* ----------------------------------------------------------------------- */
/* Accessors and parameters                                                 */

/**
 * setl_pipeline_file_get_name:
 * @self: a #SetlPipelineFile
 *
 * Returns: the pipeline's `"name"`, or the file's name without its
 *   `.setl.json` extension
 */
const char *
setl_pipeline_file_get_name (SetlPipelineFile *self)
{
  g_return_val_if_fail (SETL_IS_PIPELINE_FILE (self), NULL);
  return self->name;
}

/**
 * setl_pipeline_file_get_description:
 * @self: a #SetlPipelineFile
 *
 * Returns: (nullable): the pipeline's `"description"`
 */
const char *
setl_pipeline_file_get_description (SetlPipelineFile *self)
{
  g_return_val_if_fail (SETL_IS_PIPELINE_FILE (self), NULL);
  return self->description;
}

/**
 * setl_pipeline_file_get_source_name:
 * @self: a #SetlPipelineFile
 *
 * Returns: the name errors give the file (its path, or `<data>`)
 */
const char *
setl_pipeline_file_get_source_name (SetlPipelineFile *self)
{
  g_return_val_if_fail (SETL_IS_PIPELINE_FILE (self), NULL);
  return self->source_name;
}

/**
 * setl_pipeline_file_list_parameters:
 * @self: a #SetlPipelineFile
 *
 * Returns: (transfer full) (array zero-terminated=1): the names of the
 *   declared parameters, in the file's order
 */
char **
setl_pipeline_file_list_parameters (SetlPipelineFile *self)
{
  GStrvBuilder *builder;
  char **names;

  g_return_val_if_fail (SETL_IS_PIPELINE_FILE (self), NULL);

  builder = g_strv_builder_new ();
  for (guint i = 0; i < self->params->len; i++)
    g_strv_builder_add (builder, ((Param *) g_ptr_array_index (self->params, i))->name);
  names = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);
  return names;
}

/**
 * setl_pipeline_file_get_parameter:
 * @self: a #SetlPipelineFile
 * @name: a parameter's name
 *
 * The value `${name}` stands for, as text (ints in decimal, bools as
 * `true`/`false`). `pipeline_dir` is always there.
 *
 * Returns: (nullable): the value, or %NULL if the parameter is unknown or
 *   has no value yet
 */
const char *
setl_pipeline_file_get_parameter (SetlPipelineFile *self,
                                  const char       *name)
{
  Param *p;

  g_return_val_if_fail (SETL_IS_PIPELINE_FILE (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  if (g_str_equal (name, BUILTIN_PIPELINE_DIR))
    return self->base_dir;
  p = find_param (self, name);
  return p != NULL ? p->value : NULL;
}

/**
 * setl_pipeline_file_get_parameter_type:
 * @self: a #SetlPipelineFile
 * @name: a parameter's name
 *
 * Returns: (nullable): `string`, `int`, `double` or `bool`; %NULL if the
 *   parameter is unknown
 */
const char *
setl_pipeline_file_get_parameter_type (SetlPipelineFile *self,
                                       const char       *name)
{
  Param *p;

  g_return_val_if_fail (SETL_IS_PIPELINE_FILE (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  if (g_str_equal (name, BUILTIN_PIPELINE_DIR))
    return "string";
  p = find_param (self, name);
  return p != NULL ? param_type_names[p->type] : NULL;
}

/**
 * setl_pipeline_file_get_parameter_description:
 * @self: a #SetlPipelineFile
 * @name: a parameter's name
 *
 * Returns: (nullable): the parameter's description
 */
const char *
setl_pipeline_file_get_parameter_description (SetlPipelineFile *self,
                                              const char       *name)
{
  Param *p;

  g_return_val_if_fail (SETL_IS_PIPELINE_FILE (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  p = find_param (self, name);
  return p != NULL ? p->description : NULL;
}

static GPtrArray *
param_names (SetlPipelineFile *self)
{
  GPtrArray *names = g_ptr_array_new ();

  for (guint i = 0; i < self->params->len; i++)
    g_ptr_array_add (names, ((Param *) g_ptr_array_index (self->params, i))->name);
  return names;
}

/**
 * setl_pipeline_file_set_parameter:
 * @self: a #SetlPipelineFile
 * @name: a declared parameter's name
 * @value: its new value, as text (`42`, `2.5`, `true`, `Paris`)
 * @error: return location for a #GError
 *
 * Overrides a parameter's default, as `--param name=value` does.
 *
 * Returns: %TRUE on success; %FALSE with @error set
 *   (%SETL_PIPELINE_FILE_ERROR_PARAMETER) if the parameter is not declared
 *   (the message names the closest declared one) or @value is not of its
 *   type
 */
gboolean
setl_pipeline_file_set_parameter (SetlPipelineFile  *self,
                                  const char        *name,
                                  const char        *value,
                                  GError           **error)
{
  g_autofree char *canonical = NULL;
  g_autofree char *problem = NULL;
  Param *p;

  g_return_val_if_fail (SETL_IS_PIPELINE_FILE (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);
  g_return_val_if_fail (value != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  p = find_param (self, name);
  if (p == NULL)
    {
      g_autoptr(GPtrArray) names = param_names (self);
      g_autoptr(GString) message = g_string_new (NULL);

      if (g_str_equal (name, BUILTIN_PIPELINE_DIR))
        g_string_printf (message, "%s: parameter “%s” is built in and cannot be set",
                         self->source_name, name);
      else
        {
          g_string_printf (message, "%s: no parameter “%s”", self->source_name, name);
          append_suggestion (message, name, names, "parameter");
        }
      g_set_error_literal (error, SETL_PIPELINE_FILE_ERROR, SETL_PIPELINE_FILE_ERROR_PARAMETER,
                           message->str);
      return FALSE;
    }
  if (!_setl_pipeline_compose_check_parameter (self, name, value, error))
    return FALSE;   /* an enum's value, a list */
  if (!param_parse (p->type, value, &canonical, &problem))
    {
      g_set_error (error, SETL_PIPELINE_FILE_ERROR, SETL_PIPELINE_FILE_ERROR_PARAMETER,
                   "%s: parameter “%s”: %s", self->source_name, name, problem);
      return FALSE;
    }
  g_free (p->value);
  p->value = g_steal_pointer (&canonical);
  return TRUE;
}

/**
 * setl_pipeline_file_set_parameter_from_string:
 * @self: a #SetlPipelineFile
 * @assignment: `name=value`
 * @error: return location for a #GError
 *
 * setl_pipeline_file_set_parameter() for a `--param` argument.
 *
 * Returns: %TRUE on success
 */
gboolean
setl_pipeline_file_set_parameter_from_string (SetlPipelineFile  *self,
                                              const char        *assignment,
                                              GError           **error)
{
  const char *eq;
  g_autofree char *name = NULL;

  g_return_val_if_fail (SETL_IS_PIPELINE_FILE (self), FALSE);
  g_return_val_if_fail (assignment != NULL, FALSE);

  eq = strchr (assignment, '=');
  if (eq == NULL || eq == assignment)
    {
      g_set_error (error, SETL_PIPELINE_FILE_ERROR, SETL_PIPELINE_FILE_ERROR_PARAMETER,
                   "“%s”: a parameter is set as NAME=VALUE", assignment);
      return FALSE;
    }
  name = g_strndup (assignment, eq - assignment);
  return setl_pipeline_file_set_parameter (self, name, eq + 1, error);
}

/**
 * setl_pipeline_file_list_factories:
 * @self: a #SetlPipelineFile
 *
 * Returns: (transfer full) (array zero-terminated=1): the factories' names,
 *   in the file's order
 */
char **
setl_pipeline_file_list_factories (SetlPipelineFile *self)
{
  GStrvBuilder *builder;
  char **names;

  g_return_val_if_fail (SETL_IS_PIPELINE_FILE (self), NULL);

  builder = g_strv_builder_new ();
  for (guint i = 0; i < self->factories->len; i++)
    g_strv_builder_add (builder, ((FactorySpec *) g_ptr_array_index (self->factories, i))->name);
  names = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);
  return names;
}

/**
 * setl_pipeline_file_get_factory_feature:
 * @self: a #SetlPipelineFile
 * @factory_name: a factory's name
 *
 * Returns: (nullable): the feature the factory is made from
 */
const char *
setl_pipeline_file_get_factory_feature (SetlPipelineFile *self,
                                        const char       *factory_name)
{
  FactorySpec *f;

  g_return_val_if_fail (SETL_IS_PIPELINE_FILE (self), NULL);
  g_return_val_if_fail (factory_name != NULL, NULL);

  f = find_factory (self, factory_name);
  return f != NULL ? f->feature : NULL;
}

/* ----------------------------------------------------------------------- */
/* Building                                                                 */

/* Replaces ${name} with parameter values ("$${" is a literal "${"). */
static char *
substitute (SetlPipelineFile *self,
            const char       *text,
            const char       *path,
            GError          **error)
{
  GString *out = g_string_new (NULL);
  const char *p = text;

  while (*p)
    {
      if (p[0] == '$' && p[1] == '$' && p[2] == '{')
        {
          g_string_append (out, "${");
          p += 3;
          continue;
        }
      if (p[0] == '$' && p[1] == '{')
        {
          const char *close = strchr (p + 2, '}');
          g_autofree char *name = NULL;
          const char *value;

          if (close == NULL)
            {
              set_error_at (self, error, SETL_PIPELINE_FILE_ERROR_PARAMETER, value_pos (self, path),
                            "“${” without a closing “}” in “%s” (write “$${” for a literal “${”)", text);
              g_string_free (out, TRUE);
              return NULL;
            }
          name = g_strndup (p + 2, close - (p + 2));
          value = setl_pipeline_file_get_parameter (self, name);
          if (value == NULL)
            {
              g_autoptr(GString) message = g_string_new (NULL);

              if (find_param (self, name) != NULL)
                g_string_printf (message, "parameter “%s” has no default and was not set (--param %s=VALUE)",
                                 name, name);
              else
                {
                  g_autoptr(GPtrArray) names = param_names (self);

                  g_ptr_array_add (names, BUILTIN_PIPELINE_DIR);
                  g_string_printf (message, "unknown parameter “%s” in “%s”", name, text);
                  append_suggestion (message, name, names, "parameter");
                }
              set_error_at (self, error, SETL_PIPELINE_FILE_ERROR_PARAMETER, value_pos (self, path),
                            "%s", message->str);
              g_string_free (out, TRUE);
              return NULL;
            }
          g_string_append (out, value);
          p = close + 1;
          continue;
        }
      g_string_append_c (out, *p++);
    }
  return g_string_free (out, FALSE);
}

static char *
describe_expected (GParamSpec *pspec)
{
  GType type = G_PARAM_SPEC_VALUE_TYPE (pspec);

  if (G_TYPE_IS_ENUM (type))
    {
      GEnumClass *klass = g_type_class_ref (type);
      GString *s = g_string_new ("one of ");

      for (guint i = 0; i < klass->n_values; i++)
        g_string_append_printf (s, "%s“%s”", i ? ", " : "", klass->values[i].value_nick);
      g_type_class_unref (klass);
      return g_string_free (s, FALSE);
    }
  if (G_TYPE_IS_FLAGS (type))
    return g_strdup ("a list of flag names");
  if (type == G_TYPE_STRV)
    return g_strdup ("a list of strings");
  switch (G_TYPE_FUNDAMENTAL (type))
    {
    case G_TYPE_STRING: return g_strdup ("a string");
    case G_TYPE_BOOLEAN: return g_strdup ("true or false");
    case G_TYPE_INT: case G_TYPE_UINT: case G_TYPE_LONG: case G_TYPE_ULONG:
    case G_TYPE_INT64: case G_TYPE_UINT64: case G_TYPE_CHAR: case G_TYPE_UCHAR:
      return g_strdup ("an integer");
    case G_TYPE_FLOAT: case G_TYPE_DOUBLE:
      return g_strdup ("a number");
    default:
      return g_strdup_printf ("a value of type %s", g_type_name (type));
    }
}

static gboolean
enum_from_text (GType       type,
                const char *text,
                GValue     *value)
{
  GEnumClass *klass = g_type_class_ref (type);
  GEnumValue *v = g_enum_get_value_by_nick (klass, text);

  if (v == NULL)
    v = g_enum_get_value_by_name (klass, text);
  if (v != NULL)
    g_value_set_enum (value, v->value);
  g_type_class_unref (klass);
  return v != NULL;
}

static gboolean
flags_add_text (GType       type,
                const char *text,
                guint      *flags)
{
  GFlagsClass *klass = g_type_class_ref (type);
  GFlagsValue *v = g_flags_get_value_by_nick (klass, text);

  if (v == NULL)
    v = g_flags_get_value_by_name (klass, text);
  if (v != NULL)
    *flags |= v->value;
  g_type_class_unref (klass);
  return v != NULL;
}

/* Sets @value (initialised to the property's type) from an integer;
 * FALSE if the integer cannot be held by the type at all. */
static gboolean
value_from_int (GValue *value,
                gint64  v)
{
  switch (G_TYPE_FUNDAMENTAL (G_VALUE_TYPE (value)))
    {
    case G_TYPE_CHAR: if (v < G_MININT8 || v > G_MAXINT8) return FALSE; g_value_set_schar (value, v); return TRUE;
    case G_TYPE_UCHAR: if (v < 0 || v > G_MAXUINT8) return FALSE; g_value_set_uchar (value, v); return TRUE;
    case G_TYPE_INT: if (v < G_MININT || v > G_MAXINT) return FALSE; g_value_set_int (value, v); return TRUE;
    case G_TYPE_UINT: if (v < 0 || (guint64) v > G_MAXUINT) return FALSE; g_value_set_uint (value, v); return TRUE;
    case G_TYPE_LONG: if (v < G_MINLONG || v > G_MAXLONG) return FALSE; g_value_set_long (value, v); return TRUE;
    case G_TYPE_ULONG: if (v < 0 || (guint64) v > G_MAXULONG) return FALSE; g_value_set_ulong (value, v); return TRUE;
    case G_TYPE_INT64: g_value_set_int64 (value, v); return TRUE;
    case G_TYPE_UINT64: if (v < 0) return FALSE; g_value_set_uint64 (value, v); return TRUE;
    case G_TYPE_FLOAT: g_value_set_float (value, v); return TRUE;
    case G_TYPE_DOUBLE: g_value_set_double (value, v); return TRUE;
    default: return FALSE;
    }
}

static gboolean
is_integer_type (GType type)
{
  switch (G_TYPE_FUNDAMENTAL (type))
    {
    case G_TYPE_CHAR: case G_TYPE_UCHAR: case G_TYPE_INT: case G_TYPE_UINT:
    case G_TYPE_LONG: case G_TYPE_ULONG: case G_TYPE_INT64: case G_TYPE_UINT64:
      return TRUE;
    default:
      return FALSE;
    }
}

static gboolean
is_float_type (GType type)
{
  return G_TYPE_FUNDAMENTAL (type) == G_TYPE_FLOAT || G_TYPE_FUNDAMENTAL (type) == G_TYPE_DOUBLE;
}

typedef struct
{
  SetlPipelineFile *file;
  FactorySpec *spec;
  GParamSpec *pspec;
  const char *path;
} PropertyContext;

G_GNUC_PRINTF (3, 4) static gboolean
property_error (PropertyContext *ctx,
                GError         **error,
                const char      *format,
                ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  set_error_at (ctx->file, error, SETL_PIPELINE_FILE_ERROR_PROPERTY, value_pos (ctx->file, ctx->path),
                "property “%s” of factory “%s” (%s): %s", ctx->pspec->name, ctx->spec->name,
                ctx->spec->feature, message);
  return FALSE;
}

/* "5000 is out of range (0 to 1000)" */
static gboolean
property_out_of_range (PropertyContext *ctx,
                       GError         **error,
                       const char      *text)
{
  g_autoptr(SetlPropertyInfo) info = setl_property_info_new_from_pspec (ctx->pspec);
  const char *min = setl_property_info_get_minimum (info);
  const char *max = setl_property_info_get_maximum (info);

  if (min != NULL && max != NULL)
    return property_error (ctx, error, "%s is out of range (%s to %s)", text, min, max);
  return property_error (ctx, error, "%s is out of range for type %s", text,
                         g_type_name (G_PARAM_SPEC_VALUE_TYPE (ctx->pspec)));
}

static gboolean
property_wrong_type (PropertyContext *ctx,
                     GError         **error,
                     const char      *found)
{
  g_autofree char *expected = describe_expected (ctx->pspec);

  return property_error (ctx, error, "expected %s (type %s), not %s", expected,
                         g_type_name (G_PARAM_SPEC_VALUE_TYPE (ctx->pspec)), found);
}

/* Converts a property value given as text (after ${} substitution). */
static gboolean
property_from_text (PropertyContext *ctx,
                    const char      *text,
                    GValue          *value,
                    GError         **error)
{
  GType type = G_PARAM_SPEC_VALUE_TYPE (ctx->pspec);

  if (G_TYPE_FUNDAMENTAL (type) == G_TYPE_STRING)
    {
      g_value_set_string (value, text);
      return TRUE;
    }
  if (G_TYPE_IS_ENUM (type))
    {
      g_autofree char *expected = NULL;

      if (enum_from_text (type, text, value))
        return TRUE;
      expected = describe_expected (ctx->pspec);
      return property_error (ctx, error, "“%s” is not %s", text, expected);
    }
  if (G_TYPE_IS_FLAGS (type))
    {
      g_auto(GStrv) words = g_strsplit (text, "|", -1);
      guint flags = 0;

      for (guint i = 0; words[i] != NULL; i++)
        {
          g_strstrip (words[i]);
          if (words[i][0] != '\0' && !flags_add_text (type, words[i], &flags))
            return property_error (ctx, error, "unknown flag “%s”", words[i]);
        }
      g_value_set_flags (value, flags);
      return TRUE;
    }
  if (G_TYPE_FUNDAMENTAL (type) == G_TYPE_BOOLEAN)
    {
      g_autofree char *problem = NULL;
      g_autofree char *canonical = NULL;

      if (!param_parse (PARAM_BOOL, text, &canonical, &problem))
        return property_error (ctx, error, "%s", problem);
      g_value_set_boolean (value, g_str_equal (canonical, "true"));
      return TRUE;
    }
  if (is_integer_type (type))
    {
      gint64 v;

      if (G_TYPE_FUNDAMENTAL (type) == G_TYPE_UINT64 && text[0] != '-')
        {
          guint64 u;

          if (g_ascii_string_to_unsigned (text, 10, 0, G_MAXUINT64, &u, NULL))
            {
              g_value_set_uint64 (value, u);
              return TRUE;
            }
        }
      if (!g_ascii_string_to_signed (text, 10, G_MININT64, G_MAXINT64, &v, NULL))
        return property_error (ctx, error, "“%s” is not an integer", text);
      if (!value_from_int (value, v))
        return property_out_of_range (ctx, error, text);
      return TRUE;
    }
  if (is_float_type (type))
    {
      g_autofree char *problem = NULL;
      g_autofree char *canonical = NULL;

      if (!param_parse (PARAM_DOUBLE, text, &canonical, &problem))
        return property_error (ctx, error, "“%s” is not a number", text);
      if (G_TYPE_FUNDAMENTAL (type) == G_TYPE_FLOAT)
        g_value_set_float (value, g_ascii_strtod (canonical, NULL));
      else
        g_value_set_double (value, g_ascii_strtod (canonical, NULL));
      return TRUE;
    }
  if (type == G_TYPE_STRV)
    {
      const char *v[] = { text, NULL };

      g_value_set_boxed (value, v);
      return TRUE;
    }
  return property_error (ctx, error, "pipeline files cannot set properties of type %s", g_type_name (type));
}

static gboolean
property_from_json (PropertyContext *ctx,
                    JsonNode        *node,
                    GValue          *value,
                    GError         **error)
{
  GType type = G_PARAM_SPEC_VALUE_TYPE (ctx->pspec);

  if (JSON_NODE_HOLDS_NULL (node))
    {
      if (G_TYPE_FUNDAMENTAL (type) == G_TYPE_STRING || type == G_TYPE_STRV ||
          G_TYPE_FUNDAMENTAL (type) == G_TYPE_BOXED || G_TYPE_FUNDAMENTAL (type) == G_TYPE_OBJECT)
        return TRUE;   /* the freshly initialised value is NULL */
      return property_wrong_type (ctx, error, "null");
    }

  if (is_string (node))
    {
      const char *text = json_node_get_string (node);
      g_autofree char *expanded = substitute (ctx->file, text, ctx->path, error);

      if (expanded == NULL)
        return FALSE;
      /* A string stands for another type only through a parameter, so that
       * "18" for an int is caught as the mistake it usually is; enums and
       * flags are written by name. */
      if (G_TYPE_FUNDAMENTAL (type) != G_TYPE_STRING && !G_TYPE_IS_ENUM (type) &&
          !G_TYPE_IS_FLAGS (type) && type != G_TYPE_STRV && strstr (text, "${") == NULL)
        return property_wrong_type (ctx, error, "a string");
      return property_from_text (ctx, expanded, value, error);
    }

  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);
      guint n = json_array_get_length (array);

      if (type != G_TYPE_STRV && !G_TYPE_IS_FLAGS (type))
        return property_wrong_type (ctx, error, "an array");
      {
        g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_free);
        guint flags = 0;

        for (guint i = 0; i < n; i++)
          {
            JsonNode *element = json_array_get_element (array, i);
            g_autofree char *element_path = path_index (ctx->path, i);
            char *expanded;

            if (!is_string (element))
              {
                set_error_at (ctx->file, error, SETL_PIPELINE_FILE_ERROR_PROPERTY,
                              value_pos (ctx->file, element_path),
                              "property “%s” of factory “%s” (%s): element %u must be a string, not %s",
                              ctx->pspec->name, ctx->spec->name, ctx->spec->feature, i,
                              json_type_name (element));
                return FALSE;
              }
            expanded = substitute (ctx->file, json_node_get_string (element), element_path, error);
            if (expanded == NULL)
              return FALSE;
            if (G_TYPE_IS_FLAGS (type) && !flags_add_text (type, expanded, &flags))
              {
                g_free (expanded);
                return property_error (ctx, error, "unknown flag “%s”", json_node_get_string (element));
              }
            g_ptr_array_add (items, expanded);
          }
        if (G_TYPE_IS_FLAGS (type))
          g_value_set_flags (value, flags);
        else
          {
            g_ptr_array_add (items, NULL);
            g_value_set_boxed (value, items->pdata);
          }
        return TRUE;
      }
    }

  if (JSON_NODE_HOLDS_OBJECT (node))
    return property_wrong_type (ctx, error, "an object");

  if (is_bool (node))
    {
      if (G_TYPE_FUNDAMENTAL (type) != G_TYPE_BOOLEAN)
        return property_wrong_type (ctx, error, json_type_name (node));
      g_value_set_boolean (value, json_node_get_boolean (node));
      return TRUE;
    }

  if (is_int (node))
    {
      gint64 v = json_node_get_int (node);

      if (!is_integer_type (type) && !is_float_type (type))
        return property_wrong_type (ctx, error, "an integer");
      if (!value_from_int (value, v))
        {
          g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT, v);

          return property_out_of_range (ctx, error, text);
        }
      return TRUE;
    }

  /* a double */
  if (!is_float_type (type))
    {
      if (is_integer_type (type))
        {
          char buf[G_ASCII_DTOSTR_BUF_SIZE];

          return property_error (ctx, error, "expected an integer, not %s",
                                 g_ascii_dtostr (buf, sizeof buf, json_node_get_double (node)));
        }
      return property_wrong_type (ctx, error, "a number");
    }
  if (G_TYPE_FUNDAMENTAL (type) == G_TYPE_FLOAT)
    g_value_set_float (value, json_node_get_double (node));
  else
    g_value_set_double (value, json_node_get_double (node));
  return TRUE;
}

/* Checks @value against the property's range; GObject would only warn and
 * clamp. */
static gboolean
property_check_range (PropertyContext *ctx,
                      const GValue    *value,
                      GError         **error)
{
  g_auto(GValue) copy = G_VALUE_INIT;
  g_autoptr(SetlPropertyInfo) info = NULL;
  g_autofree char *text = NULL;
  const char *min, *max;

  g_value_init (&copy, G_VALUE_TYPE (value));
  g_value_copy (value, &copy);
  if (!g_param_value_validate (ctx->pspec, &copy))
    return TRUE;

  info = setl_property_info_new_from_pspec (ctx->pspec);
  text = setl_property_info_value_to_string (value);
  min = setl_property_info_get_minimum (info);
  max = setl_property_info_get_maximum (info);
  if (min != NULL && max != NULL)
    return property_out_of_range (ctx, error, text);
  return property_error (ctx, error, "%s is not a valid value", text);
}

static GPtrArray *
factory_feature_names (SetlPluginRegistry *registry)
{
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  const SetlFeatureKind kinds[] = { SETL_FEATURE_KIND_SOURCE, SETL_FEATURE_KIND_TRANSFORM,
                                    SETL_FEATURE_KIND_SINK };

  for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
    {
      g_autoptr(GPtrArray) features = setl_plugin_registry_get_features (registry, kinds[k]);

      for (guint i = 0; i < features->len; i++)
        g_ptr_array_add (names, g_strdup (setl_plugin_feature_get_name (g_ptr_array_index (features, i))));
    }
  return names;
}

/* The factory types' own properties a file sets: everything writable but
 * what the file sets through its own members. */
static gboolean
settable_property (GParamSpec *pspec)
{
  return (pspec->flags & G_PARAM_WRITABLE) &&
         !g_str_equal (pspec->name, "name") &&
         !g_str_equal (pspec->name, "delivery-id") &&
         !(pspec->flags & G_PARAM_DEPRECATED);
}

static SetlFactory *
create_factory (SetlPipelineFile   *self,
                SetlPluginRegistry *registry,
                FactorySpec        *spec,
                GError            **error)
{
  g_autofree char *feature_path = path_join (spec->path, "feature");
  g_autofree char *properties_path = path_join (spec->path, "properties");
  g_autofree char *inputs_path = path_join (spec->path, "inputs");
  g_autoptr(GError) local = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  g_autoptr(GArray) values = g_array_new (FALSE, TRUE, sizeof (GValue));
  g_autoptr(GList) members = NULL;
  SetlPluginFeature *feature;
  GObjectClass *klass;
  SetlFactory *factory = NULL;
  GType type;

  g_array_set_clear_func (values, (GDestroyNotify) g_value_unset);

  if (spec->feature_template != NULL)
    {
      char *expanded = substitute (self, spec->feature_template, feature_path, error);

      if (expanded == NULL)
        return NULL;
      g_free (spec->feature);
      spec->feature = expanded;
    }
  feature = setl_plugin_registry_lookup_feature (registry, spec->feature);
  if (feature == NULL)
    {
      g_autoptr(GPtrArray) known = factory_feature_names (registry);
      g_autoptr(GString) message = g_string_new (NULL);

      g_string_printf (message, "factory “%s”: no installed plugin provides the feature “%s”",
                       spec->name, spec->feature);
      if (spec->feature_template != NULL)
        g_string_append_printf (message, " (from “%s”)", spec->feature_template);
      append_suggestion (message, spec->feature, known, "feature");
      set_error_at (self, error, SETL_PIPELINE_FILE_ERROR_FEATURE, value_pos (self, feature_path),
                    "%s", message->str);
      return NULL;
    }
  if (!setl_feature_kind_is_factory (setl_plugin_feature_get_kind (feature)))
    {
      set_error_at (self, error, SETL_PIPELINE_FILE_ERROR_FEATURE, value_pos (self, feature_path),
                    "factory “%s”: feature “%s” of plugin “%s” is a %s, not a source, transform or sink",
                    spec->name, spec->feature,
                    setl_plugin_get_name (setl_plugin_feature_get_plugin (feature)),
                    setl_feature_kind_to_string (setl_plugin_feature_get_kind (feature)));
      return NULL;
    }
  type = setl_plugin_feature_load_type (feature, &local);
  if (type == G_TYPE_INVALID || !g_type_is_a (type, SETL_TYPE_FACTORY) || G_TYPE_IS_ABSTRACT (type))
    {
      set_error_at (self, error, SETL_PIPELINE_FILE_ERROR_FEATURE, value_pos (self, feature_path),
                    "factory “%s”: feature “%s” cannot be loaded: %s", spec->name, spec->feature,
                    local ? local->message : "its type is not an instantiable SetlFactory");
      return NULL;
    }

  klass = g_type_class_ref (type);
  if (spec->properties != NULL)
    members = json_object_get_members (spec->properties);
  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *name = l->data;
      g_autofree char *path = path_join (properties_path, name);
      GParamSpec *pspec = g_object_class_find_property (klass, name);
      PropertyContext ctx = { self, spec, pspec, path };
      GValue value = G_VALUE_INIT;

      if (pspec == NULL || !settable_property (pspec))
        {
          g_autoptr(GString) message = g_string_new (NULL);
          guint n_pspecs;
          g_autofree GParamSpec **pspecs = g_object_class_list_properties (klass, &n_pspecs);
          g_autoptr(GPtrArray) candidates = g_ptr_array_new ();

          for (guint i = 0; i < n_pspecs; i++)
            if (settable_property (pspecs[i]))
              g_ptr_array_add (candidates, (gpointer) pspecs[i]->name);
          if (pspec != NULL && (g_str_equal (name, "name") || g_str_equal (name, "delivery-id")))
            g_string_printf (message, "factory “%s”: property “%s” is set by the pipeline file "
                             "(a factory's name is its key, and it delivers under it)", spec->name, name);
          else if (pspec != NULL)
            g_string_printf (message, "factory “%s” (%s): property “%s” is read-only",
                             spec->name, spec->feature, name);
          else
            {
              g_string_printf (message, "factory “%s”: feature “%s” has no property “%s”",
                               spec->name, spec->feature, name);
              append_suggestion (message, name, candidates, "property");
            }
          set_error_at (self, error, SETL_PIPELINE_FILE_ERROR_PROPERTY, key_pos (self, path),
                        "%s", message->str);
          goto out;
        }

      g_value_init (&value, G_PARAM_SPEC_VALUE_TYPE (pspec));
      g_array_append_val (values, value);
      g_ptr_array_add (names, (gpointer) pspec->name);
      if (!property_from_json (&ctx, json_object_get_member (spec->properties, name),
                               &g_array_index (values, GValue, values->len - 1), error) ||
          !property_check_range (&ctx, &g_array_index (values, GValue, values->len - 1), error))
        goto out;
    }

  /* A factory whose input slots are made by an "inputs" property (sql: a
   * comma-separated list of names; union: a count) gets it from the
   * wiring, unless the file sets it: the slot names are said once. */
  if (spec->inputs != NULL && JSON_NODE_HOLDS_OBJECT (spec->inputs) &&
      (spec->properties == NULL || !json_object_has_member (spec->properties, "inputs")))
    {
      GParamSpec *pspec = g_object_class_find_property (klass, "inputs");
      g_autoptr(GList) slots = json_object_get_members (json_node_get_object (spec->inputs));
      GValue v = G_VALUE_INIT;

      if (pspec != NULL && (pspec->flags & G_PARAM_WRITABLE) && slots != NULL)
        {
          PropertyContext ctx = { self, spec, pspec, inputs_path };

          g_value_init (&v, G_PARAM_SPEC_VALUE_TYPE (pspec));
          if (G_PARAM_SPEC_VALUE_TYPE (pspec) == G_TYPE_STRING)
            {
              GString *joined = g_string_new (NULL);

              for (GList *l = slots; l != NULL; l = l->next)
                g_string_append_printf (joined, "%s%s", l == slots ? "" : ", ", (char *) l->data);
              g_value_take_string (&v, g_string_free (joined, FALSE));
            }
          else if (!value_from_int (&v, g_list_length (slots)))
            g_value_unset (&v);
          if (G_IS_VALUE (&v))
            {
              g_array_append_val (values, v);
              g_ptr_array_add (names, (gpointer) pspec->name);
              if (!property_check_range (&ctx, &g_array_index (values, GValue, values->len - 1), error))
                goto out;
            }
        }
    }

  /* Construct-only properties can only be given here, so every value goes
   * to g_object_new_with_properties(), with the name and delivery id. */
  {
    GValue v = G_VALUE_INIT;

    g_value_init (&v, G_TYPE_STRING);
    g_value_set_string (&v, spec->name);
    g_array_append_val (values, v);
    g_ptr_array_add (names, "name");
    v = (GValue) G_VALUE_INIT;
    g_value_init (&v, G_TYPE_STRING);
    g_value_set_string (&v, spec->name);
    g_array_append_val (values, v);
    g_ptr_array_add (names, "delivery-id");
  }
  factory = SETL_FACTORY (g_object_new_with_properties (type, names->len,
                                                        (const char **) names->pdata,
                                                        (const GValue *) values->data));
  if (g_object_is_floating (factory))
    g_object_ref_sink (factory);
  if (spec->writable >= 0)
    setl_factory_set_writable (factory, spec->writable);

out:
  g_type_class_unref (klass);
  return factory;
}

static GPtrArray *
slot_names (SetlFactory *factory)
{
  GPtrArray *deliveries = setl_factory_get_deliveries (factory);
  GPtrArray *names = g_ptr_array_new ();

  for (guint i = 0; i < deliveries->len; i++)
    g_ptr_array_add (names, (gpointer) setl_delivery_get_name (g_ptr_array_index (deliveries, i)));
  return names;
}

/* Wires one slot of @consumer to @producer_name. */
static gboolean
wire_slot (SetlPipelineFile *self,
           FactorySpec      *spec,
           SetlFactory      *consumer,
           GHashTable       *built,      /* name → SetlFactory */
           const char       *slot_name,
           const char       *producer_name,
           const char       *path,
           GPtrArray        *edges,      /* (producer, consumer) spec pairs */
           GError          **error)
{
  SetlDelivery *slot = setl_factory_get_delivery (consumer, slot_name);
  SetlFactory *producer;
  GType output, payload;

  if (slot == NULL)
    {
      g_autoptr(GPtrArray) names = slot_names (consumer);
      g_autoptr(GString) message = g_string_new (NULL);
      g_autofree char *slot_path = g_str_has_suffix (path, "/inputs") ? g_strdup (path) : NULL;

      g_string_printf (message, "factory “%s” (%s) has no input “%s”", spec->name, spec->feature,
                       slot_name);
      append_suggestion (message, slot_name, names, "input");
      set_error_at (self, error, SETL_PIPELINE_FILE_ERROR_WIRING,
                    slot_path ? value_pos (self, path) : key_pos (self, path), "%s", message->str);
      return FALSE;
    }

  producer = g_hash_table_lookup (built, producer_name);
  if (producer == NULL)
    {
      g_autoptr(GPtrArray) names = g_ptr_array_new ();
      g_autoptr(GString) message = g_string_new (NULL);

      for (guint i = 0; i < self->factories->len; i++)
        {
          FactorySpec *f = g_ptr_array_index (self->factories, i);

          if (f != spec)
            g_ptr_array_add (names, f->name);
        }
      g_string_printf (message, "input “%s” of factory “%s” is wired to “%s”, which is not a factory of this pipeline",
                       slot_name, spec->name, producer_name);
      append_suggestion (message, producer_name, names, "factory");
      set_error_at (self, error, SETL_PIPELINE_FILE_ERROR_WIRING, value_pos (self, path),
                    "%s", message->str);
      return FALSE;
    }
  if (producer == consumer)
    {
      set_error_at (self, error, SETL_PIPELINE_FILE_ERROR_WIRING, value_pos (self, path),
                    "input “%s” of factory “%s” is wired to the factory itself", slot_name, spec->name);
      return FALSE;
    }

  output = setl_factory_get_output_type (producer);
  payload = setl_delivery_get_payload_type (slot);
  if (output != payload && !g_type_is_a (output, payload))
    {
      set_error_at (self, error, SETL_PIPELINE_FILE_ERROR_WIRING, value_pos (self, path),
                    "input “%s” of factory “%s” (%s) takes %s, but “%s” (%s) outputs %s",
                    slot_name, spec->name, spec->feature, g_type_name (payload), producer_name,
                    find_factory (self, producer_name)->feature, g_type_name (output));
      return FALSE;
    }
  if (setl_delivery_has_producer (slot) &&
      !g_type_is_a (G_OBJECT_TYPE (producer), setl_delivery_get_producer (slot)))
    {
      set_error_at (self, error, SETL_PIPELINE_FILE_ERROR_WIRING, value_pos (self, path),
                    "input “%s” of factory “%s” (%s) takes the output of a %s, not of “%s” (%s)",
                    slot_name, spec->name, spec->feature,
                    g_type_name (setl_delivery_get_producer (slot)), producer_name,
                    find_factory (self, producer_name)->feature);
      return FALSE;
    }

  setl_delivery_set_delivery_id (slot, producer_name);
  g_ptr_array_add (edges, find_factory (self, producer_name));
  g_ptr_array_add (edges, spec);
  return TRUE;
}

static gboolean
wire_factory (SetlPipelineFile *self,
              FactorySpec      *spec,
              SetlFactory      *factory,
              GHashTable       *built,
              GPtrArray        *edges,
              GError          **error)
{
  g_autofree char *inputs_path = path_join (spec->path, "inputs");
  g_autoptr(GHashTable) wired = g_hash_table_new (g_str_hash, g_str_equal);
  GPtrArray *deliveries = setl_factory_get_deliveries (factory);

  if (spec->inputs != NULL && is_string (spec->inputs))
    {
      /* "inputs": "read" — the one input of a factory that has one. */
      if (deliveries->len != 1)
        {
          g_autoptr(GPtrArray) names = slot_names (factory);
          g_autofree char *list = NULL;

          g_ptr_array_add (names, NULL);
          list = g_strjoinv ("”, “", (char **) names->pdata);
          if (deliveries->len == 0)
            set_error_at (self, error, SETL_PIPELINE_FILE_ERROR_WIRING, value_pos (self, inputs_path),
                          "factory “%s” (%s) takes no input", spec->name, spec->feature);
          else
            set_error_at (self, error, SETL_PIPELINE_FILE_ERROR_WIRING, value_pos (self, inputs_path),
                          "factory “%s” (%s) has several inputs (“%s”): wire them by name, "
                          "as in \"inputs\": {\"INPUT\": \"FACTORY\"}",
                          spec->name, spec->feature, list);
          return FALSE;
        }
      if (!wire_slot (self, spec, factory, built,
                      setl_delivery_get_name (g_ptr_array_index (deliveries, 0)),
                      json_node_get_string (spec->inputs), inputs_path, edges, error))
        return FALSE;
      g_hash_table_add (wired, (gpointer) setl_delivery_get_name (g_ptr_array_index (deliveries, 0)));
    }
  else if (spec->inputs != NULL)
    {
      JsonObject *inputs = json_node_get_object (spec->inputs);
      g_autoptr(GList) members = json_object_get_members (inputs);

      for (GList *l = members; l != NULL; l = l->next)
        {
          JsonNode *target = json_object_get_member (inputs, l->data);
          g_autofree char *path = path_join (inputs_path, l->data);

          if (!is_string (target))
            return wrong_type (self, error, path, "an input's producer", "a factory name", target);
          if (!wire_slot (self, spec, factory, built, l->data, json_node_get_string (target),
                          path, edges, error))
            return FALSE;
          g_hash_table_add (wired, l->data);
        }
    }

  for (guint i = 0; i < deliveries->len; i++)
    {
      SetlDelivery *slot = g_ptr_array_index (deliveries, i);

      if (!setl_delivery_get_optional (slot) &&
          !g_hash_table_contains (wired, setl_delivery_get_name (slot)))
        {
          set_error_at (self, error, SETL_PIPELINE_FILE_ERROR_WIRING,
                        spec->inputs ? value_pos (self, inputs_path) : key_pos (self, spec->path),
                        "input “%s” of factory “%s” (%s) is not wired: add \"inputs\": {\"%s\": \"FACTORY\"}",
                        setl_delivery_get_name (slot), spec->name, spec->feature,
                        setl_delivery_get_name (slot));
          return FALSE;
        }
    }
  return TRUE;
}

/* Describes a cycle through @start, following producer → consumer edges. */
static char *
describe_cycle (GPtrArray   *edges,
                FactorySpec *start,
                GHashTable  *remaining)
{
  g_autoptr(GPtrArray) path = g_ptr_array_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new (NULL, NULL);
  FactorySpec *at = start;
  GString *s = g_string_new (NULL);
  guint first = 0;

  /* Every factory left after the topological sort has a producer that is
   * also left; walking producers backwards must come back to one. */
  while (!g_hash_table_contains (seen, at))
    {
      FactorySpec *next = NULL;

      g_hash_table_add (seen, at);
      g_ptr_array_add (path, at);
      for (guint i = 0; i + 1 < edges->len && next == NULL; i += 2)
        if (g_ptr_array_index (edges, i + 1) == at &&
            g_hash_table_contains (remaining, g_ptr_array_index (edges, i)))
          next = g_ptr_array_index (edges, i);
      if (next == NULL)
        break;
      at = next;
    }
  for (guint i = 0; i < path->len; i++)
    if (g_ptr_array_index (path, i) == at)
      first = i;
  /* path holds consumer ← producer ← …; print it producer → consumer */
  g_string_append_printf (s, "“%s”", at->name);
  for (guint i = path->len; i > first; i--)
    g_string_append_printf (s, " → “%s”", ((FactorySpec *) g_ptr_array_index (path, i - 1))->name);
  return g_string_free (s, FALSE);
}

/* The stage of each factory: written out, or one after its latest
 * producer's (topological levels). */
static gboolean
assign_stages (SetlPipelineFile *self,
               GPtrArray        *edges,
               GHashTable       *stage_of,   /* FactorySpec → level + 1 */
               GError          **error)
{
  g_autoptr(GHashTable) remaining = g_hash_table_new (NULL, NULL);
  guint n_left = self->factories->len;

  for (guint i = 0; i < self->factories->len; i++)
    g_hash_table_add (remaining, g_ptr_array_index (self->factories, i));

  while (n_left > 0)
    {
      gboolean progressed = FALSE;

      for (guint i = 0; i < self->factories->len; i++)
        {
          FactorySpec *f = g_ptr_array_index (self->factories, i);
          FactorySpec *latest = NULL;
          int level = 0;
          gboolean ready = TRUE;

          if (!g_hash_table_contains (remaining, f))
            continue;
          for (guint e = 0; e + 1 < edges->len; e += 2)
            {
              FactorySpec *producer = g_ptr_array_index (edges, e);

              if (g_ptr_array_index (edges, e + 1) != f)
                continue;
              if (g_hash_table_contains (remaining, producer))
                {
                  ready = FALSE;
                  break;
                }
              if (GPOINTER_TO_INT (g_hash_table_lookup (stage_of, producer)) > level)
                {
                  level = GPOINTER_TO_INT (g_hash_table_lookup (stage_of, producer));
                  latest = producer;
                }
            }
          if (!ready)
            continue;

          /* level is the latest producer's stage + 1, i.e. this factory's
           * earliest possible stage, stored + 1 so that 0 means unset. */
          if (f->stage >= 0)
            {
              if (f->stage < level)
                {
                  g_autofree char *stage_path = path_join (f->path, "stage");

                  set_error_at (self, error, SETL_PIPELINE_FILE_ERROR_STAGE,
                                value_pos (self, stage_path),
                                "factory “%s” is in stage %d, but takes an input from “%s” in stage %d: "
                                "a factory runs in a later stage than its producers",
                                f->name, f->stage, latest->name, level - 1);
                  return FALSE;
                }
              level = f->stage;
            }
          g_hash_table_insert (stage_of, f, GINT_TO_POINTER (level + 1));
          g_hash_table_remove (remaining, f);
          n_left--;
          progressed = TRUE;
        }

      if (!progressed)
        {
          FactorySpec *start = NULL;
          g_autofree char *cycle = NULL;
          g_autofree char *inputs_path = NULL;

          for (guint i = 0; i < self->factories->len && start == NULL; i++)
            if (g_hash_table_contains (remaining, g_ptr_array_index (self->factories, i)))
              start = g_ptr_array_index (self->factories, i);
          cycle = describe_cycle (edges, start, remaining);
          inputs_path = path_join (start->path, "inputs");
          set_error_at (self, error, SETL_PIPELINE_FILE_ERROR_WIRING, value_pos (self, inputs_path),
                        "the inputs form a cycle: %s", cycle);
          return FALSE;
        }
    }
  return TRUE;
}

/**
 * setl_pipeline_file_build:
 * @self: a #SetlPipelineFile
 * @registry: (nullable): where to find the features; the default registry
 *   if %NULL
 * @error: return location for a #GError
 *
 * Builds the pipeline: creates every factory from its feature with its
 * properties (with `${parameter}` substituted), wires its inputs, places it
 * in its stage, and inspects the result (see setl_pipeline_inspect()).
 * Each call builds new factories, with the parameters' current values.
 *
 * Returns: (transfer full) (nullable): the pipeline, ready to run, or
 *   %NULL with @error set
 */
SetlPipeline *
setl_pipeline_file_build (SetlPipelineFile    *self,
                          SetlPluginRegistry  *registry,
                          GError             **error)
{
  g_autoptr(SetlPipeline) pipeline = NULL;
  g_autoptr(GHashTable) built = NULL;
  g_autoptr(GPtrArray) factories = NULL;
  g_autoptr(GPtrArray) edges = g_ptr_array_new ();
  g_autoptr(GHashTable) stage_of = g_hash_table_new (NULL, NULL);
  int n_levels = 0;

  g_return_val_if_fail (SETL_IS_PIPELINE_FILE (self), NULL);
  g_return_val_if_fail (registry == NULL || SETL_IS_PLUGIN_REGISTRY (registry), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (registry == NULL)
    registry = setl_plugin_registry_get_default ();

  for (guint i = 0; i < self->params->len; i++)
    {
      Param *p = g_ptr_array_index (self->params, i);

      if (p->value == NULL)
        {
          set_error_at (self, error, SETL_PIPELINE_FILE_ERROR_PARAMETER, key_pos (self, p->path),
                        "parameter “%s” has no default and was not set (--param %s=VALUE)",
                        p->name, p->name);
          return NULL;
        }
    }

  built = g_hash_table_new (g_str_hash, g_str_equal);
  factories = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < self->factories->len; i++)
    {
      FactorySpec *spec = g_ptr_array_index (self->factories, i);
      SetlFactory *factory = NULL;

      /* a branch set's one-of (setl-pipeline-file-conditions.c), or a feature */
      if (!_setl_pipeline_conditions_create_factory (self, spec->name, built, &factory, error))
        return NULL;
      if (factory == NULL && (factory = create_factory (self, registry, spec, error)) == NULL)
        return NULL;
      g_ptr_array_add (factories, factory);
      g_hash_table_insert (built, spec->name, factory);
    }
  /* a template built on its own; replacements in an extension that fit */
  if (!_setl_pipeline_compose_check_build (self, registry, built, error))
    return NULL;

  for (guint i = 0; i < self->factories->len; i++)
    if (!wire_factory (self, g_ptr_array_index (self->factories, i),
                       g_ptr_array_index (factories, i), built, edges, error))
      return NULL;

  if (!assign_stages (self, edges, stage_of, error))
    return NULL;

  pipeline = setl_pipeline_new (self->name);
  if (self->max_threads > 0)
    setl_pipeline_set_max_threads (pipeline, self->max_threads);
  if (self->continue_on_error >= 0)
    setl_pipeline_set_continue_on_error (pipeline, self->continue_on_error);

  for (guint i = 0; i < self->factories->len; i++)
    n_levels = MAX (n_levels, GPOINTER_TO_INT (g_hash_table_lookup (stage_of,
                                g_ptr_array_index (self->factories, i))));
  /* Levels without a factory (a file may number its stages 0, 10, 20)
   * make no stage. */
  for (int level = 1; level <= n_levels; level++)
    {
      g_autoptr(SetlStage) stage = NULL;

      for (guint i = 0; i < self->factories->len; i++)
        if (GPOINTER_TO_INT (g_hash_table_lookup (stage_of, g_ptr_array_index (self->factories, i))) == level)
          {
            if (stage == NULL)
              stage = setl_stage_new ();
            setl_stage_add_factory (stage, g_ptr_array_index (factories, i));
          }
      if (stage != NULL)
        setl_pipeline_add_stage (pipeline, stage);
    }

  if (!_setl_pipeline_conditions_attach (self, pipeline, built, error))
    return NULL;
  if (!_setl_pipeline_file_cache_attach (self, registry, pipeline, built, error))
    return NULL;
  if (!_setl_pipeline_file_validation_attach (self, registry, pipeline, built, error))
    return NULL;
  if (!setl_pipeline_inspect (pipeline, error))
    {
      g_prefix_error (error, "%s: ", self->source_name);
      return NULL;
    }
  return g_steal_pointer (&pipeline);
}

/* ----------------------------------------------------------------------- */
/* For composition (setl-pipeline-compose.c)                                */

GHashTable *
_setl_pipeline_file_get_positions (SetlPipelineFile *self,
                                   gboolean          keys)
{
  return keys ? self->key_pos : self->value_pos;
}

void
_setl_pipeline_file_set_positions (SetlPipelineFile *self,
                                   GHashTable       *key_positions,
                                   GHashTable       *value_positions)
{
  g_hash_table_unref (self->key_pos);
  g_hash_table_unref (self->value_pos);
  self->key_pos = key_positions;
  self->value_pos = value_positions;
}

void
_setl_pipeline_file_append_suggestion (GString    *s,
                                       const char *name,
                                       GPtrArray  *candidates,
                                       const char *what)
{
  append_suggestion (s, name, candidates, what);
}

SetlFactory *
_setl_pipeline_file_create_factory (SetlPipelineFile   *self,
                                    SetlPluginRegistry *registry,
                                    const char         *factory_name,
                                    GError            **error)
{
  FactorySpec *spec = find_factory (self, factory_name);

  g_return_val_if_fail (spec != NULL, NULL);
  return create_factory (self, registry, spec, error);
}
