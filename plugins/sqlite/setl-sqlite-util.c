/* setl-sqlite-util.c: connections, identifiers, types and values shared by
 * the SQLite plugin's factories.
 *
 * Type mapping (see docs/plugin-sqlite.md):
 *
 * | libsetl   | declared SQLite type | stored as                         |
 * |-----------|----------------------|-----------------------------------|
 * | bool      | BOOLEAN              | INTEGER 0 / 1                     |
 * | int64     | INTEGER              | INTEGER                           |
 * | double    | REAL                 | REAL                              |
 * | string    | TEXT                 | TEXT                              |
 * | date32    | DATE                 | TEXT `YYYY-MM-DD`                 |
 * | timestamp | TIMESTAMP            | TEXT `YYYY-MM-DD HH:MM:SS[.ffffff]` (UTC) |
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "setl-sqlite-util.h"

#include <errno.h>
#include <math.h>
#include <string.h>

G_DEFINE_QUARK (setl-sqlite-error-quark, setl_sqlite_error)

/* ----------------------------------------------------------------------- */
/* The job group, as the "sqlite" backend publishes it                       */

/* Per thread, because a factory's queries run on the thread that runs the
 * factory (or pulls its stream), which is where the hook is called. */
static GPrivate published_group = G_PRIVATE_INIT ((GDestroyNotify) setl_job_group_unref);

/**
 * setl_sqlite_publish_job_group:
 * @group: (nullable): the group SQL run on this thread reports, or %NULL
 *
 * What `setl_job_group()` returns in SQL run on the calling thread.
 */
void
setl_sqlite_publish_job_group (SetlJobGroup *group)
{
  g_private_replace (&published_group, group ? setl_job_group_ref (group) : NULL);
}

/* Returns: (transfer none) (nullable) */
SetlJobGroup *
setl_sqlite_get_published_job_group (void)
{
  return g_private_get (&published_group);
}

static void
sql_job_group (sqlite3_context *ctx,
               int              argc,
               sqlite3_value  **argv)
{
  SetlJobGroup *group = g_private_get (&published_group);
  gboolean description = GPOINTER_TO_INT (sqlite3_user_data (ctx));
  const char *text;

  if (group == NULL)
    {
      sqlite3_result_null (ctx);
      return;
    }
  text = description ? setl_job_group_get_description (group)
                     : setl_job_group_get_id (group);
  if (text == NULL)
    sqlite3_result_null (ctx);
  else
    sqlite3_result_text (ctx, text, -1, SQLITE_TRANSIENT);
}

/* ----------------------------------------------------------------------- */
/* Connections                                                               */

/* Called every few thousand virtual machine instructions: a non-zero return
 * interrupts the statement, which fails with SQLITE_INTERRUPT. Polling the
 * cancellable works from any thread without a cancel handler's races. */
static int
progress_handler (void *data)
{
  SetlSqliteConnection *conn = data;

  return conn->cancellable != NULL && g_cancellable_is_cancelled (conn->cancellable);
}

SetlSqliteConnection *
setl_sqlite_connection_open (const char          *path,
                             SetlSqliteOpenMode   mode,
                             GError             **error)
{
  g_autoptr(SetlSqliteConnection) conn = g_new0 (SetlSqliteConnection, 1);
  gboolean memory = path == NULL || *path == '\0' || g_str_equal (path, ":memory:");
  int flags = SQLITE_OPEN_NOMUTEX;
  int rc;

  conn->path = g_strdup (memory ? ":memory:" : path);
  if (!memory && mode != SETL_SQLITE_OPEN_CREATE &&
      !g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   "SQLite database “%s” does not exist", path);
      return NULL;
    }
  switch (mode)
    {
    case SETL_SQLITE_OPEN_READ_ONLY:
      flags |= memory ? SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE : SQLITE_OPEN_READONLY;
      break;
    case SETL_SQLITE_OPEN_READ_WRITE:
      flags |= SQLITE_OPEN_READWRITE | (memory ? SQLITE_OPEN_CREATE : 0);
      break;
    case SETL_SQLITE_OPEN_CREATE:
    default:
      flags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
      break;
    }

  /* Each connection is used by one thread at a time (a pass over a stream
   * is never shared), hence NOMUTEX. */
  rc = sqlite3_open_v2 (conn->path, &conn->db, flags, NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, SETL_SQLITE_ERROR, SETL_SQLITE_ERROR_SQL,
                   "Cannot open SQLite database “%s”: %s", conn->path,
                   conn->db ? sqlite3_errmsg (conn->db) : sqlite3_errstr (rc));
      return NULL;
    }
  /* Another writer holding the database briefly must not fail a load. */
  sqlite3_busy_timeout (conn->db, 5000);
  sqlite3_progress_handler (conn->db, 1000, progress_handler, conn);
  if (sqlite3_create_function_v2 (conn->db, "setl_job_group", 0, SQLITE_UTF8,
                                  GINT_TO_POINTER (FALSE), sql_job_group,
                                  NULL, NULL, NULL) != SQLITE_OK ||
      sqlite3_create_function_v2 (conn->db, "setl_job_group_description", 0, SQLITE_UTF8,
                                  GINT_TO_POINTER (TRUE), sql_job_group,
                                  NULL, NULL, NULL) != SQLITE_OK)
    {
      g_set_error (error, SETL_SQLITE_ERROR, SETL_SQLITE_ERROR_SQL,
                   "Cannot register setl_job_group() in SQLite database “%s”: %s",
                   conn->path, sqlite3_errmsg (conn->db));
      return NULL;
    }
  return g_steal_pointer (&conn);
}

void
setl_sqlite_connection_close (SetlSqliteConnection *conn)
{
  if (conn == NULL)
    return;
  if (conn->db != NULL)
    {
      /* Roll back whatever a failure left open, so that a half-done load
       * never commits when the handle closes. */
      if (!sqlite3_get_autocommit (conn->db))
        sqlite3_exec (conn->db, "ROLLBACK", NULL, NULL, NULL);
      sqlite3_close_v2 (conn->db);
    }
  g_clear_error (&conn->pending_error);
  g_free (conn->path);
  g_free (conn);
}

/* Sets @error for a failed SQLite call: the error a virtual table stored
 * (an input stream's own GError), cancellation, or SQLite's message, each
 * prefixed by the formatted context. Always returns FALSE. */
gboolean
setl_sqlite_connection_fail (SetlSqliteConnection  *conn,
                             int                    rc,
                             GError               **error,
                             const char            *format,
                             ...)
{
  g_autofree char *context = NULL;
  va_list args;

  va_start (args, format);
  context = g_strdup_vprintf (format, args);
  va_end (args);

  if (conn->pending_error != NULL)
    {
      g_propagate_prefixed_error (error, g_steal_pointer (&conn->pending_error), "%s: ", context);
      return FALSE;
    }
  if ((rc == SQLITE_INTERRUPT || rc == SQLITE_ABORT) &&
      conn->cancellable != NULL && g_cancellable_is_cancelled (conn->cancellable))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, "%s: cancelled", context);
      return FALSE;
    }
  g_set_error (error, SETL_SQLITE_ERROR, SETL_SQLITE_ERROR_SQL, "%s: %s", context,
               sqlite3_errmsg (conn->db));
  return FALSE;
}

int
setl_sqlite_connection_step (SetlSqliteConnection *conn,
                             sqlite3_stmt         *stmt)
{
  return sqlite3_step (stmt);
}

gboolean
setl_sqlite_connection_exec (SetlSqliteConnection  *conn,
                             const char            *sql,
                             GError               **error)
{
  int rc = sqlite3_exec (conn->db, sql, NULL, NULL, NULL);

  if (rc != SQLITE_OK)
    return setl_sqlite_connection_fail (conn, rc, error, "SQLite database “%s”", conn->path);
  return TRUE;
}

/* The first 60 characters of @text, and "…" if there were more: long SQL
 * in error messages. (g_utf8_substring() in GLib 2.74 reads past the end
 * when asked for more characters than there are.) */
char *
setl_sqlite_abbreviate (const char *text)
{
  glong n = g_utf8_strlen (text, -1);
  g_autofree char *head = g_utf8_substring (text, 0, MIN (n, 60));

  return n > 60 ? g_strconcat (head, "…", NULL) : g_steal_pointer (&head);
}

/* ----------------------------------------------------------------------- */
/* Identifiers and types                                                     */

/**
 * setl_sqlite_quote_identifier:
 * @name: any name, quotes and semicolons included
 *
 * Returns: (transfer full): @name between double quotes, with each double
 *   quote inside doubled — SQL's way, safe for any text without NUL
 */
char *
setl_sqlite_quote_identifier (const char *name)
{
  GString *s = g_string_sized_new (strlen (name) + 2);

  g_string_append_c (s, '"');
  for (const char *p = name; *p; p++)
    {
      if (*p == '"')
        g_string_append_c (s, '"');
      g_string_append_c (s, *p);
    }
  g_string_append_c (s, '"');
  return g_string_free (s, FALSE);
}

static gboolean
contains_word (const char *upper,
               const char *word)
{
  return strstr (upper, word) != NULL;
}

/* Maps a declared column type to a libsetl type, in the spirit of SQLite's
 * own affinity rules (a substring test, so VARCHAR(20) is text and BIGINT an
 * integer). Returns FALSE when the declaration says nothing usable (no type,
 * NUMERIC, BLOB, …): the caller then looks at the values. */
gboolean
setl_sqlite_type_from_decltype (const char   *decltype,
                                SetlDataType *type)
{
  g_autofree char *upper = NULL;

  if (decltype == NULL || *decltype == '\0')
    return FALSE;
  upper = g_ascii_strup (decltype, -1);
  if (contains_word (upper, "BOOL"))
    *type = SETL_DATA_TYPE_BOOL;
  else if (contains_word (upper, "TIMESTAMP") || contains_word (upper, "DATETIME"))
    *type = SETL_DATA_TYPE_TIMESTAMP;
  else if (contains_word (upper, "DATE"))
    *type = SETL_DATA_TYPE_DATE32;
  else if (contains_word (upper, "INT"))
    *type = SETL_DATA_TYPE_INT64;
  else if (contains_word (upper, "CHAR") || contains_word (upper, "CLOB") ||
           contains_word (upper, "TEXT") || contains_word (upper, "STRING"))
    *type = SETL_DATA_TYPE_STRING;
  else if (contains_word (upper, "REAL") || contains_word (upper, "FLOA") ||
           contains_word (upper, "DOUB"))
    *type = SETL_DATA_TYPE_DOUBLE;
  else
    return FALSE;
  return TRUE;
}

const char *
setl_sqlite_type_to_decltype (SetlDataType type)
{
  switch (type)
    {
    case SETL_DATA_TYPE_BOOL: return "BOOLEAN";
    case SETL_DATA_TYPE_INT64: return "INTEGER";
    case SETL_DATA_TYPE_DOUBLE: return "REAL";
    case SETL_DATA_TYPE_STRING: return "TEXT";
    case SETL_DATA_TYPE_DATE32: return "DATE";
    case SETL_DATA_TYPE_TIMESTAMP: return "TIMESTAMP";
    default: return "TEXT";
    }
}

/* ----------------------------------------------------------------------- */
/* Dates and times (proleptic Gregorian, UTC)                                */

/* Howard Hinnant's days_from_civil / civil_from_days: exact for any year. */
static gint64
days_from_civil (gint64 y, unsigned m, unsigned d)
{
  gint64 era;
  unsigned yoe, doy, doe;

  y -= m <= 2;
  era = (y >= 0 ? y : y - 399) / 400;
  yoe = (unsigned) (y - era * 400);
  doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + (gint64) doe - 719468;
}

static void
civil_from_days (gint64 z, gint64 *y, unsigned *m, unsigned *d)
{
  gint64 era;
  unsigned doe, yoe, doy, mp;

  z += 719468;
  era = (z >= 0 ? z : z - 146096) / 146097;
  doe = (unsigned) (z - era * 146097);
  yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  mp = (5 * doy + 2) / 153;
  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp < 10 ? mp + 3 : mp - 9;
  *y = (gint64) yoe + era * 400 + (*m <= 2);
}

static gboolean
is_leap (gint64 y)
{
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static unsigned
days_in_month (gint64 y, unsigned m)
{
  static const unsigned n[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
  return m == 2 && is_leap (y) ? 29 : n[m - 1];
}

char *
setl_sqlite_format_date32 (gint32 days,
                           char   buf[32])
{
  gint64 y;
  unsigned m, d;

  civil_from_days (days, &y, &m, &d);
  g_snprintf (buf, 32, "%04" G_GINT64_FORMAT "-%02u-%02u", y, m, d);
  return buf;
}

char *
setl_sqlite_format_timestamp (gint64 usec,
                              char   buf[48])
{
  gint64 days = usec / G_USEC_PER_SEC / 86400, rest, y;
  unsigned m, d;
  int len;

  /* floor division, so times before 1970 land on the right day */
  rest = usec - days * 86400 * G_USEC_PER_SEC;
  if (rest < 0)
    {
      days--;
      rest += (gint64) 86400 * G_USEC_PER_SEC;
    }
  civil_from_days (days, &y, &m, &d);
  len = g_snprintf (buf, 48, "%04" G_GINT64_FORMAT "-%02u-%02u %02d:%02d:%02d", y, m, d,
                    (int) (rest / (3600 * (gint64) G_USEC_PER_SEC)),
                    (int) (rest / (60 * (gint64) G_USEC_PER_SEC) % 60),
                    (int) (rest / G_USEC_PER_SEC % 60));
  if (rest % G_USEC_PER_SEC != 0)
    g_snprintf (buf + len, 48 - len, ".%06d", (int) (rest % G_USEC_PER_SEC));
  return buf;
}

static gboolean
read_digits (const char **p, const char *end, int n, int *value)
{
  *value = 0;
  for (int i = 0; i < n; i++)
    {
      if (*p >= end || !g_ascii_isdigit (**p))
        return FALSE;
      *value = *value * 10 + (**p - '0');
      (*p)++;
    }
  return TRUE;
}

static gboolean
parse_date_part (const char **p, const char *end, gint64 *days)
{
  int y, m, d;

  if (!read_digits (p, end, 4, &y) || *p >= end || **p != '-' ||
      (++(*p), !read_digits (p, end, 2, &m)) || *p >= end || **p != '-' ||
      (++(*p), !read_digits (p, end, 2, &d)))
    return FALSE;
  if (m < 1 || m > 12 || d < 1 || (unsigned) d > days_in_month (y, m))
    return FALSE;
  *days = days_from_civil (y, m, d);
  return TRUE;
}

/* "YYYY-MM-DD", nothing else. */
gboolean
setl_sqlite_parse_date32 (const char *text,
                          gsize       length,
                          gint32     *days)
{
  const char *p = text, *end = text + length;
  gint64 d;

  if (!parse_date_part (&p, end, &d) || p != end)
    return FALSE;
  *days = (gint32) d;
  return TRUE;
}

/* "YYYY-MM-DD[( |T)HH:MM[:SS[.f…]]][Z|±HH:MM|±HHMM]", as SQLite's date and
 * time functions write and read them; a zone converts the value to UTC. */
gboolean
setl_sqlite_parse_timestamp (const char *text,
                             gsize       length,
                             gint64     *usec)
{
  const char *p = text, *end = text + length;
  gint64 days, frac = 0;
  int hh = 0, mm = 0, ss = 0;

  if (!parse_date_part (&p, end, &days))
    return FALSE;
  if (p < end && (*p == ' ' || *p == 'T'))
    {
      p++;
      if (!read_digits (&p, end, 2, &hh) || p >= end || *p != ':' ||
          (p++, !read_digits (&p, end, 2, &mm)))
        return FALSE;
      if (p < end && *p == ':')
        {
          p++;
          if (!read_digits (&p, end, 2, &ss))
            return FALSE;
          if (p < end && *p == '.')
            {
              int n = 0;
              p++;
              while (p < end && g_ascii_isdigit (*p))
                {
                  if (n < 6)
                    frac = frac * 10 + (*p - '0');
                  n++, p++;
                }
              if (n == 0)
                return FALSE;
              for (; n < 6; n++)
                frac *= 10;
            }
        }
      if (hh > 23 || mm > 59 || ss > 59)
        return FALSE;
    }
  *usec = ((days * 86400) + hh * 3600 + mm * 60 + ss) * G_USEC_PER_SEC + frac;
  if (p < end && (*p == 'Z' || *p == 'z'))
    p++;
  else if (p < end && (*p == '+' || *p == '-'))
    {
      int sign = *p == '-' ? -1 : 1, zh, zm;
      p++;
      if (!read_digits (&p, end, 2, &zh))
        return FALSE;
      if (p < end && *p == ':')
        p++;
      if (!read_digits (&p, end, 2, &zm) || zh > 23 || zm > 59)
        return FALSE;
      *usec -= sign * ((gint64) zh * 3600 + zm * 60) * G_USEC_PER_SEC;
    }
  return p == end;
}

/* ----------------------------------------------------------------------- */
/* Values                                                                    */

static const char *
storage_class_name (int type)
{
  switch (type)
    {
    case SQLITE_INTEGER: return "INTEGER";
    case SQLITE_FLOAT: return "REAL";
    case SQLITE_TEXT: return "TEXT";
    case SQLITE_BLOB: return "BLOB";
    default: return "NULL";
    }
}

/* Appends column @column of the current row of @stmt to @builder, of type
 * @type. On a value that does not fit, returns FALSE and describes it in
 * @problem; the caller names the database, table and column. */
gboolean
setl_sqlite_append_value (SetlColumnBuilder  *builder,
                          SetlDataType        type,
                          sqlite3_stmt       *stmt,
                          int                 column,
                          char              **problem)
{
  int st = sqlite3_column_type (stmt, column);
  const char *text;
  int n;

  if (st == SQLITE_NULL)
    {
      setl_column_builder_append_null (builder);
      return TRUE;
    }

  switch (type)
    {
    case SETL_DATA_TYPE_INT64:
      if (st == SQLITE_INTEGER)
        {
          setl_column_builder_append_int64 (builder, sqlite3_column_int64 (stmt, column));
          return TRUE;
        }
      if (st == SQLITE_FLOAT)
        {
          double v = sqlite3_column_double (stmt, column);
          /* A whole REAL in range is exact as an integer; anything else
           * would lose the fraction silently. */
          if (v == floor (v) && v >= -9223372036854775808.0 && v < 9223372036854775808.0)
            {
              setl_column_builder_append_int64 (builder, (gint64) v);
              return TRUE;
            }
        }
      break;

    case SETL_DATA_TYPE_DOUBLE:
      if (st == SQLITE_INTEGER || st == SQLITE_FLOAT)
        {
          setl_column_builder_append_double (builder, sqlite3_column_double (stmt, column));
          return TRUE;
        }
      break;

    case SETL_DATA_TYPE_BOOL:
      if (st == SQLITE_INTEGER)
        {
          setl_column_builder_append_bool (builder, sqlite3_column_int64 (stmt, column) != 0);
          return TRUE;
        }
      if (st == SQLITE_TEXT)
        {
          text = (const char *) sqlite3_column_text (stmt, column);
          if (g_ascii_strcasecmp (text, "true") == 0 || g_str_equal (text, "1"))
            {
              setl_column_builder_append_bool (builder, TRUE);
              return TRUE;
            }
          if (g_ascii_strcasecmp (text, "false") == 0 || g_str_equal (text, "0"))
            {
              setl_column_builder_append_bool (builder, FALSE);
              return TRUE;
            }
        }
      break;

    case SETL_DATA_TYPE_STRING:
      if (st != SQLITE_BLOB)
        {
          /* numbers in a text column are rendered as SQLite renders them */
          text = (const char *) sqlite3_column_text (stmt, column);
          n = sqlite3_column_bytes (stmt, column);
          setl_column_builder_append_string (builder, text, n);
          return TRUE;
        }
      text = sqlite3_column_blob (stmt, column);
      n = sqlite3_column_bytes (stmt, column);
      if (g_utf8_validate_len (text ? text : "", n, NULL))
        {
          setl_column_builder_append_string (builder, text ? text : "", n);
          return TRUE;
        }
      *problem = g_strdup_printf ("a BLOB of %d bytes that is not UTF-8 text", n);
      return FALSE;

    case SETL_DATA_TYPE_DATE32:
      if (st == SQLITE_TEXT)
        {
          gint32 days;
          text = (const char *) sqlite3_column_text (stmt, column);
          n = sqlite3_column_bytes (stmt, column);
          if (setl_sqlite_parse_date32 (text, n, &days))
            {
              setl_column_builder_append_date32 (builder, days);
              return TRUE;
            }
          *problem = g_strdup_printf ("“%.*s” is not a date (YYYY-MM-DD)", MIN (n, 64), text);
          return FALSE;
        }
      break;

    case SETL_DATA_TYPE_TIMESTAMP:
      if (st == SQLITE_TEXT)
        {
          gint64 usec;
          text = (const char *) sqlite3_column_text (stmt, column);
          n = sqlite3_column_bytes (stmt, column);
          if (setl_sqlite_parse_timestamp (text, n, &usec))
            {
              setl_column_builder_append_timestamp (builder, usec);
              return TRUE;
            }
          *problem = g_strdup_printf ("“%.*s” is not a timestamp (YYYY-MM-DD HH:MM:SS[.ffffff][Z|±HH:MM])",
                                      MIN (n, 64), text);
          return FALSE;
        }
      if (st == SQLITE_INTEGER)
        {
          /* SQLite's other convention: Unix time in seconds */
          gint64 s = sqlite3_column_int64 (stmt, column);
          if (s > G_MININT64 / G_USEC_PER_SEC && s < G_MAXINT64 / G_USEC_PER_SEC)
            {
              setl_column_builder_append_timestamp (builder, s * G_USEC_PER_SEC);
              return TRUE;
            }
        }
      break;

    default:
      break;
    }

  if (st == SQLITE_TEXT)
    {
      text = (const char *) sqlite3_column_text (stmt, column);
      n = sqlite3_column_bytes (stmt, column);
      *problem = g_strdup_printf ("the TEXT value “%.*s” is not a %s", MIN (n, 64), text,
                                  setl_data_type_to_string (type));
    }
  else if (st == SQLITE_FLOAT)
    *problem = g_strdup_printf ("the REAL value %.17g is not a %s",
                                sqlite3_column_double (stmt, column),
                                setl_data_type_to_string (type));
  else if (st == SQLITE_INTEGER)
    *problem = g_strdup_printf ("the INTEGER value %" G_GINT64_FORMAT " is not a %s",
                                (gint64) sqlite3_column_int64 (stmt, column),
                                setl_data_type_to_string (type));
  else
    *problem = g_strdup_printf ("a %s value is not a %s", storage_class_name (st),
                                setl_data_type_to_string (type));
  return FALSE;
}

/* Binds row @row of @column to parameter @index. Strings are bound without
 * a copy: the column outlives the statement's step. */
int
setl_sqlite_bind_value (sqlite3_stmt *stmt,
                        int           index,
                        SetlColumn   *column,
                        gint64        row)
{
  char buf[48];

  if (setl_column_is_null (column, row))
    return sqlite3_bind_null (stmt, index);
  switch (setl_column_get_data_type (column))
    {
    case SETL_DATA_TYPE_BOOL:
      return sqlite3_bind_int (stmt, index, setl_column_get_bool (column, row) ? 1 : 0);
    case SETL_DATA_TYPE_INT64:
      return sqlite3_bind_int64 (stmt, index, setl_column_get_int64 (column, row));
    case SETL_DATA_TYPE_DOUBLE:
      return sqlite3_bind_double (stmt, index, setl_column_get_double (column, row));
    case SETL_DATA_TYPE_STRING:
      {
        gsize len;
        const char *s = setl_column_get_string (column, row, &len);
        return sqlite3_bind_text64 (stmt, index, s ? s : "", len, SQLITE_STATIC, SQLITE_UTF8);
      }
    case SETL_DATA_TYPE_DATE32:
      setl_sqlite_format_date32 (setl_column_get_date32 (column, row), buf);
      return sqlite3_bind_text (stmt, index, buf, -1, SQLITE_TRANSIENT);
    case SETL_DATA_TYPE_TIMESTAMP:
      setl_sqlite_format_timestamp (setl_column_get_timestamp (column, row), buf);
      return sqlite3_bind_text (stmt, index, buf, -1, SQLITE_TRANSIENT);
    default:
      return sqlite3_bind_null (stmt, index);
    }
}
