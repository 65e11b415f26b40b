/* setl-postgres-util.c: identifiers, connection strings, types and values
 * shared by the PostgreSQL plugin's factories.
 *
 * Type mapping (see docs/plugin-postgres.md):
 *
 * | PostgreSQL                          | libsetl                      |
 * |-------------------------------------|------------------------------|
 * | boolean                             | bool                         |
 * | smallint, integer, bigint, oid      | int64                        |
 * | real, double precision              | double                       |
 * | numeric                             | double, or string (property) |
 * | text, varchar, char, name, others   | string (the server's text)   |
 * | date                                | date32                       |
 * | timestamp                           | timestamp                    |
 * | timestamptz                         | timestamp, zone "UTC"        |
 *
 * Rows come from the server as text (the session runs with DateStyle ISO,
 * TimeZone UTC and extra_float_digits 3, so doubles round-trip), and go to
 * it as binary COPY.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "setl-postgres-util.h"

#include <errno.h>
#include <math.h>
#include <string.h>

G_DEFINE_QUARK (setl-postgres-error-quark, setl_postgres_error)

GType
setl_postgres_numeric_get_type (void)
{
  static gsize type_id = 0;
  static const GEnumValue values[] = {
    { SETL_POSTGRES_NUMERIC_DOUBLE, "SETL_POSTGRES_NUMERIC_DOUBLE", "double" },
    { SETL_POSTGRES_NUMERIC_STRING, "SETL_POSTGRES_NUMERIC_STRING", "string" },
    { 0, NULL, NULL }
  };

  if (g_once_init_enter (&type_id))
    g_once_init_leave (&type_id, g_enum_register_static ("SetlPostgresNumeric", values));
  return type_id;
}

static GMutex counter_lock;
static gint64 rows_fetched;
static gint64 rows_uploaded;

/**
 * setl_postgres_get_rows_fetched:
 *
 * Returns: how many rows this process has fetched from PostgreSQL servers
 */
gint64
setl_postgres_get_rows_fetched (void)
{
  gint64 n;

  g_mutex_lock (&counter_lock);
  n = rows_fetched;
  g_mutex_unlock (&counter_lock);
  return n;
}

/**
 * setl_postgres_get_rows_uploaded:
 *
 * Returns: how many rows this process has sent to PostgreSQL servers
 */
gint64
setl_postgres_get_rows_uploaded (void)
{
  gint64 n;

  g_mutex_lock (&counter_lock);
  n = rows_uploaded;
  g_mutex_unlock (&counter_lock);
  return n;
}

void
_setl_postgres_count_fetched (gint64 n)
{
  g_mutex_lock (&counter_lock);
  rows_fetched += n;
  g_mutex_unlock (&counter_lock);
}

void
_setl_postgres_count_uploaded (gint64 n)
{
  g_mutex_lock (&counter_lock);
  rows_uploaded += n;
  g_mutex_unlock (&counter_lock);
}

/* ----------------------------------------------------------------------- */
/* Names                                                                     */

/* "name" with embedded quotes doubled: any name is then one identifier,
 * whatever it holds (quotes, semicolons, spaces, upper case). */
char *
setl_postgres_quote_identifier (const char *name)
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

char *
setl_postgres_qualified_name (const char *schema,
                              const char *table)
{
  g_autofree char *t = setl_postgres_quote_identifier (table);

  if (schema == NULL || *schema == '\0')
    return g_steal_pointer (&t);
  g_autofree char *s = setl_postgres_quote_identifier (schema);
  return g_strdup_printf ("%s.%s", s, t);
}

/* What a person may see of a connection string: user, host, port and
 * database — never the password, whether it came in the URI
 * (postgresql://u:PASSWORD@h/db), as password=…, or in any other
 * parameter libpq knows to be secret. */
char *
setl_postgres_redact_conninfo (const char *conninfo)
{
  PQconninfoOption *opts;
  const char *user = NULL, *host = NULL, *port = NULL, *dbname = NULL;
  GString *s;

  if (conninfo == NULL || *conninfo == '\0')
    return g_strdup (SETL_POSTGRES_DEFAULT_BACKEND);
  opts = PQconninfoParse (conninfo, NULL);
  if (opts == NULL)
    return g_strdup ("(an unparsable connection string)");
  for (PQconninfoOption *o = opts; o->keyword != NULL; o++)
    {
      if (o->val == NULL)
        continue;
      if (g_str_equal (o->keyword, "user")) user = o->val;
      else if (g_str_equal (o->keyword, "host")) host = o->val;
      else if (g_str_equal (o->keyword, "port")) port = o->val;
      else if (g_str_equal (o->keyword, "dbname")) dbname = o->val;
    }
  s = g_string_new ("postgresql://");
  if (user != NULL)
    g_string_append_printf (s, "%s@", user);
  if (host != NULL && host[0] != '/')
    g_string_append (s, host);
  if (port != NULL)
    g_string_append_printf (s, ":%s", port);
  g_string_append_c (s, '/');
  if (dbname != NULL)
    g_string_append (s, dbname);
  if (host != NULL && host[0] == '/')
    g_string_append_printf (s, "?host=%s", host);
  PQconninfoFree (opts);
  return g_string_free (s, FALSE);
}

/* Who and where a connection string connects to, as libpq would resolve
 * it — the string's own values, else the environment's (PGHOST, PGPORT,
 * PGUSER, PGDATABASE) and libpq's defaults — never with the password:
 * what a cache key holds instead of the string. */
char *
setl_postgres_conninfo_identity (const char *conninfo)
{
  PQconninfoOption *opts = PQconninfoParse (conninfo ? conninfo : "", NULL);
  PQconninfoOption *defaults = PQconndefaults ();
  const char *keys[] = { "user", "host", "port", "dbname" };
  const char *values[G_N_ELEMENTS (keys)] = { NULL, };
  GString *s;

  for (guint k = 0; k < G_N_ELEMENTS (keys); k++)
    {
      for (PQconninfoOption *o = opts; o != NULL && o->keyword != NULL; o++)
        if (o->val != NULL && *o->val != '\0' && g_str_equal (o->keyword, keys[k]))
          values[k] = o->val;
      for (PQconninfoOption *o = defaults; values[k] == NULL && o != NULL && o->keyword != NULL; o++)
        if (o->val != NULL && *o->val != '\0' && g_str_equal (o->keyword, keys[k]))
          values[k] = o->val;
    }
  /* libpq's own fallbacks: the database is named after the user. */
  if (values[3] == NULL)
    values[3] = values[0];
  s = g_string_new ("postgresql://");
  g_string_append_printf (s, "%s@%s:%s/%s", values[0] ? values[0] : "", values[1] ? values[1] : "",
                          values[2] ? values[2] : "", values[3] ? values[3] : "");
  if (opts == NULL)
    g_string_append (s, " (an unparsable connection string)");
  PQconninfoFree (opts);
  PQconninfoFree (defaults);
  return g_string_free (s, FALSE);
}

char *
setl_postgres_abbreviate (const char *text)
{
  g_autofree char *flat = g_strdup (text);

  for (char *p = flat; *p; p++)
    if (*p == '\n' || *p == '\t' || *p == '\r')
      *p = ' ';
  g_strstrip (flat);
  if (g_utf8_strlen (flat, -1) <= 60)
    return g_steal_pointer (&flat);
  return g_strdup_printf ("%.*s…", (int) (g_utf8_offset_to_pointer (flat, 59) - flat), flat);
}

/* libpq's messages span lines ("…unexpectedly\n\tThis probably means…");
 * a GError message reads better on one. */
char *
setl_postgres_one_line (const char *message)
{
  GString *s = g_string_new (NULL);
  gboolean space = FALSE;

  for (const char *p = message ? message : ""; *p; p++)
    {
      if (g_ascii_isspace (*p))
        space = TRUE;
      else
        {
          if (space && s->len > 0)
            g_string_append_c (s, ' ');
          space = FALSE;
          g_string_append_c (s, *p);
        }
    }
  return g_string_free (s, FALSE);
}

/* A statement without its trailing blanks and semicolons, so that it can
 * stand inside another one (a CTE, a subquery, a cursor). */
char *
setl_postgres_strip_statement (const char *sql)
{
  char *s = g_strdup (sql ? sql : "");
  gsize n = strlen (s);

  while (n > 0 && (g_ascii_isspace (s[n - 1]) || s[n - 1] == ';'))
    s[--n] = '\0';
  return s;
}

/* ----------------------------------------------------------------------- */
/* Types                                                                     */

SetlField *
setl_postgres_field_for_oid (const char          *name,
                             Oid                  oid,
                             SetlPostgresNumeric  numeric,
                             gboolean             nullable)
{
  SetlDataType type;

  switch (oid)
    {
    case PG_OID_BOOL: type = SETL_DATA_TYPE_BOOL; break;
    case PG_OID_INT2: case PG_OID_INT4: case PG_OID_INT8: case PG_OID_OID:
      type = SETL_DATA_TYPE_INT64; break;
    case PG_OID_FLOAT4: case PG_OID_FLOAT8: type = SETL_DATA_TYPE_DOUBLE; break;
    case PG_OID_NUMERIC:
      type = numeric == SETL_POSTGRES_NUMERIC_STRING ? SETL_DATA_TYPE_STRING : SETL_DATA_TYPE_DOUBLE;
      break;
    case PG_OID_DATE: type = SETL_DATA_TYPE_DATE32; break;
    case PG_OID_TIMESTAMP: type = SETL_DATA_TYPE_TIMESTAMP; break;
    case PG_OID_TIMESTAMPTZ:
      return setl_field_new_timestamp (name, nullable, "UTC");
    default: type = SETL_DATA_TYPE_STRING; break;   /* the server's text form */
    }
  return setl_field_new (name, type, nullable);
}

const char *
setl_postgres_type_to_sql (SetlField *field)
{
  switch (setl_field_get_data_type (field))
    {
    case SETL_DATA_TYPE_BOOL: return "boolean";
    case SETL_DATA_TYPE_INT64: return "bigint";
    case SETL_DATA_TYPE_DOUBLE: return "double precision";
    case SETL_DATA_TYPE_DATE32: return "date";
    case SETL_DATA_TYPE_TIMESTAMP:
      return setl_field_get_timezone (field) != NULL ? "timestamptz" : "timestamp";
    case SETL_DATA_TYPE_STRING:
    default: return "text";
    }
}

/* ----------------------------------------------------------------------- */
/* Text → values                                                             */

/* Howard Hinnant's days_from_civil: exact for any year. */
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

static gboolean
digits (const char **p, const char *end, int n, int *value)
{
  *value = 0;
  for (int i = 0; i < n; i++, (*p)++)
    {
      if (*p >= end || !g_ascii_isdigit (**p))
        return FALSE;
      *value = *value * 10 + (**p - '0');
    }
  return TRUE;
}

/* ISO dates as the server prints them: YYYY-MM-DD (years may be longer). */
static gboolean
parse_date (const char **p, const char *end, gint64 *days)
{
  gint64 y = 0;
  int n = 0, m, d;

  while (*p < end && g_ascii_isdigit (**p) && n < 7)
    y = y * 10 + (*(*p)++ - '0'), n++;
  if (n < 4 || *p >= end || **p != '-')
    return FALSE;
  (*p)++;
  if (!digits (p, end, 2, &m) || *p >= end || **p != '-')
    return FALSE;
  (*p)++;
  if (!digits (p, end, 2, &d) || m < 1 || m > 12 || d < 1 || d > 31)
    return FALSE;
  *days = days_from_civil (y, (unsigned) m, (unsigned) d);
  return TRUE;
}

/* YYYY-MM-DD HH:MM:SS[.ffffff][±HH[:MM[:SS]]] → µs since the epoch, UTC. */
static gboolean
parse_timestamp (const char *text, gsize length, gint64 *usec)
{
  const char *p = text, *end = text + length;
  gint64 days, frac = 0, offset = 0;
  int hh, mm, ss;

  if (!parse_date (&p, end, &days) || p >= end || *p != ' ')
    return FALSE;
  p++;
  if (!digits (&p, end, 2, &hh) || p >= end || *p++ != ':' ||
      !digits (&p, end, 2, &mm) || p >= end || *p++ != ':' ||
      !digits (&p, end, 2, &ss))
    return FALSE;
  if (p < end && *p == '.')
    {
      int n = 0;
      for (p++; p < end && g_ascii_isdigit (*p); p++, n++)
        if (n < 6)
          frac = frac * 10 + (*p - '0');
      for (; n < 6; n++)
        frac *= 10;
    }
  if (p < end && (*p == '+' || *p == '-'))
    {
      int sign = *p++ == '-' ? -1 : 1, oh, om = 0, os = 0;
      if (!digits (&p, end, 2, &oh))
        return FALSE;
      if (p < end && *p == ':' && (p++, !digits (&p, end, 2, &om)))
        return FALSE;
      if (p < end && *p == ':' && (p++, !digits (&p, end, 2, &os)))
        return FALSE;
      offset = sign * (oh * 3600 + om * 60 + os);
    }
  if (p != end)
    return FALSE;
  *usec = (days * 86400 + hh * 3600 + mm * 60 + ss - offset) * G_USEC_PER_SEC + frac;
  return TRUE;
}

/* Appends the server's text form of one non-NULL value. */
gboolean
setl_postgres_append_text (SetlColumnBuilder  *builder,
                           SetlDataType        type,
                           const char         *text,
                           gsize               length,
                           char              **problem)
{
  char *end = NULL;

  switch (type)
    {
    case SETL_DATA_TYPE_STRING:
      setl_column_builder_append_string (builder, text, (gssize) length);
      return TRUE;
    case SETL_DATA_TYPE_INT64:
      {
        gint64 v;
        errno = 0;
        v = g_ascii_strtoll (text, &end, 10);
        if (errno == 0 && end == text + length && length > 0)
          {
            setl_column_builder_append_int64 (builder, v);
            return TRUE;
          }
        break;
      }
    case SETL_DATA_TYPE_DOUBLE:
      {
        double v = g_ascii_strtod (text, &end);
        if (end == text + length && length > 0)
          {
            setl_column_builder_append_double (builder, v);
            return TRUE;
          }
        if (g_str_equal (text, "NaN"))
          {
            setl_column_builder_append_double (builder, NAN);
            return TRUE;
          }
        break;
      }
    case SETL_DATA_TYPE_BOOL:
      if (length == 1 && (text[0] == 't' || text[0] == 'f'))
        {
          setl_column_builder_append_bool (builder, text[0] == 't');
          return TRUE;
        }
      break;
    case SETL_DATA_TYPE_DATE32:
      {
        const char *p = text;
        gint64 days;
        if (parse_date (&p, text + length, &days) && p == text + length &&
            days >= G_MININT32 && days <= G_MAXINT32)
          {
            setl_column_builder_append_date32 (builder, (gint32) days);
            return TRUE;
          }
        break;
      }
    case SETL_DATA_TYPE_TIMESTAMP:
      {
        gint64 usec;
        if (parse_timestamp (text, length, &usec))
          {
            setl_column_builder_append_timestamp (builder, usec);
            return TRUE;
          }
        break;
      }
    default:
      break;
    }
  *problem = g_strdup_printf ("“%.*s” is not a %s%s", (int) MIN (length, 64), text,
                              setl_data_type_to_string (type),
                              (type == SETL_DATA_TYPE_DATE32 || type == SETL_DATA_TYPE_TIMESTAMP)
                                ? " libsetl can hold (infinity and BC are not)" : "");
  return FALSE;
}

/* ----------------------------------------------------------------------- */
/* Values → binary COPY                                                      */

/* PostgreSQL's binary dates and timestamps count from 2000-01-01. */
#define PG_EPOCH_DAYS 10957
#define PG_EPOCH_USEC ((gint64) PG_EPOCH_DAYS * 86400 * G_USEC_PER_SEC)

static inline void
put_be16 (GByteArray *buf, guint16 v)
{
  v = GUINT16_TO_BE (v);
  g_byte_array_append (buf, (const guint8 *) &v, 2);
}

static inline void
put_be32 (GByteArray *buf, guint32 v)
{
  v = GUINT32_TO_BE (v);
  g_byte_array_append (buf, (const guint8 *) &v, 4);
}

void
setl_postgres_copy_header (GByteArray *buf)
{
  static const guint8 signature[11] = { 'P', 'G', 'C', 'O', 'P', 'Y', '\n', 0xff, '\r', '\n', 0 };

  g_byte_array_append (buf, signature, sizeof signature);
  put_be32 (buf, 0);   /* flags: no OIDs */
  put_be32 (buf, 0);   /* header extension length */
}

void
setl_postgres_copy_trailer (GByteArray *buf)
{
  put_be16 (buf, 0xffff);
}

/* The buffers of one column, looked up once per batch: the encoder is the
 * hot loop of a load. */
typedef struct
{
  SetlDataType type;
  const guint8 *valid;    /* NULL: no nulls */
  const guint8 *values;   /* values, or string offsets */
  const char *data;       /* string bytes */
  gint64 offset;
} ColumnView;

static inline gboolean
view_is_null (const ColumnView *v, gint64 row)
{
  gint64 bit = v->offset + row;
  return v->valid != NULL && !(v->valid[bit >> 3] & (1u << (bit & 7)));
}

static inline guint8 *
put32 (guint8 *p, guint32 v)
{
  v = GUINT32_TO_BE (v);
  memcpy (p, &v, 4);
  return p + 4;
}

static inline guint8 *
put64 (guint8 *p, guint64 v)
{
  v = GUINT64_TO_BE (v);
  memcpy (p, &v, 8);
  return p + 8;
}

/* Encodes rows @row… of @batch as binary COPY tuples into @buf until @end
 * or until @buf holds @limit bytes. Returns the next row to encode. */
gint64
setl_postgres_copy_append_rows (GByteArray      *buf,
                                SetlRecordBatch *batch,
                                gint64           row,
                                gint64           end,
                                gsize            limit)
{
  guint n = setl_record_batch_get_n_columns (batch);
  ColumnView *views = g_newa (ColumnView, MAX (n, 1));

  for (guint c = 0; c < n; c++)
    {
      SetlColumn *col = setl_record_batch_get_column (batch, c);

      views[c].type = setl_field_get_data_type (setl_record_batch_get_field (batch, c));
      views[c].valid = setl_column_get_null_count (col) > 0 ? setl_column_get_validity_bitmap (col) : NULL;
      views[c].values = setl_column_get_values_data (col);
      views[c].data = views[c].type == SETL_DATA_TYPE_STRING ? setl_column_get_string_data (col) : NULL;
      views[c].offset = setl_column_get_offset (col);
    }

  for (; row < end && buf->len < limit; row++)
    {
      gsize need = 2;
      guint8 *p;

      for (guint c = 0; c < n; c++)
        {
          const ColumnView *v = &views[c];
          need += 4;
          if (v->type == SETL_DATA_TYPE_STRING)
            {
              const gint32 *o = (const gint32 *) v->values + v->offset + row;
              need += (gsize) (o[1] - o[0]);
            }
          else
            need += 8;
        }
      g_byte_array_set_size (buf, buf->len + (guint) need);
      p = buf->data + buf->len - need;
      *p++ = (guint8) (n >> 8);
      *p++ = (guint8) n;
      for (guint c = 0; c < n; c++)
        {
          const ColumnView *v = &views[c];
          gint64 i = v->offset + row;

          if (view_is_null (v, row))
            {
              p = put32 (p, 0xffffffffu);
              continue;
            }
          switch (v->type)
            {
            case SETL_DATA_TYPE_BOOL:
              p = put32 (p, 1);
              *p++ = (v->values[i >> 3] >> (i & 7)) & 1;
              break;
            case SETL_DATA_TYPE_INT64:
            case SETL_DATA_TYPE_DOUBLE:
              {
                guint64 bits;
                memcpy (&bits, v->values + i * 8, 8);
                p = put32 (p, 8);
                p = put64 (p, bits);
                break;
              }
            case SETL_DATA_TYPE_DATE32:
              {
                gint32 days;
                memcpy (&days, v->values + i * 4, 4);
                p = put32 (p, 4);
                p = put32 (p, (guint32) (days - PG_EPOCH_DAYS));
                break;
              }
            case SETL_DATA_TYPE_TIMESTAMP:
              {
                gint64 usec;
                memcpy (&usec, v->values + i * 8, 8);
                p = put32 (p, 8);
                p = put64 (p, (guint64) (usec - PG_EPOCH_USEC));
                break;
              }
            case SETL_DATA_TYPE_STRING:
            default:
              {
                const gint32 *o = (const gint32 *) v->values + i;
                guint32 len = (guint32) (o[1] - o[0]);
                p = put32 (p, len);
                if (len > 0)
                  memcpy (p, v->data + o[0], len);
                p += len;
                break;
              }
            }
        }
      /* the size was an upper bound (dates and booleans take less) */
      g_byte_array_set_size (buf, (guint) (p - buf->data));
    }
  return row;
}
