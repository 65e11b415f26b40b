/* setl-expr-value.c: single values of the expression language — reading
 * and writing dates and timestamps, and casts.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "setl-expr-private.h"

#include <errno.h>
#include <math.h>
#include <string.h>

#define USEC_PER_DAY G_GINT64_CONSTANT (86400000000)

static gint64
days_from_civil (gint64   y,
                 unsigned m,
                 unsigned d)
{
  /* Howard Hinnant's algorithm: proleptic Gregorian, any year. */
  y -= m <= 2;
  gint64 era = (y >= 0 ? y : y - 399) / 400;
  unsigned yoe = (unsigned) (y - era * 400);
  unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + (gint64) doe - 719468;
}

static void
civil_from_days (gint64    z,
                 gint64   *y,
                 unsigned *m,
                 unsigned *d)
{
  z += 719468;
  gint64 era = (z >= 0 ? z : z - 146096) / 146097;
  unsigned doe = (unsigned) (z - era * 146097);
  unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  unsigned mp = (5 * doy + 2) / 153;
  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp < 10 ? mp + 3 : mp - 9;
  *y = (gint64) yoe + era * 400 + (*m <= 2);
}

static gboolean
read_digits (const char *s,
             gsize       len,
             gsize      *pos,
             guint       n,
             int        *out)
{
  int v = 0;

  if (*pos + n > len)
    return FALSE;
  for (guint i = 0; i < n; i++)
    {
      char c = s[*pos + i];
      if (!g_ascii_isdigit (c))
        return FALSE;
      v = v * 10 + (c - '0');
    }
  *pos += n;
  *out = v;
  return TRUE;
}

static gboolean
read_date (const char *s,
           gsize       len,
           gsize      *pos,
           gint64     *days)
{
  int y, m, d;

  if (!read_digits (s, len, pos, 4, &y) || *pos >= len || s[(*pos)++] != '-' ||
      !read_digits (s, len, pos, 2, &m) || *pos >= len || s[(*pos)++] != '-' ||
      !read_digits (s, len, pos, 2, &d))
    return FALSE;
  if (y < 1 || m < 1 || m > 12 || d < 1 || d > g_date_get_days_in_month (m, y))
    return FALSE;
  *days = days_from_civil (y, (unsigned) m, (unsigned) d);
  return TRUE;
}

static void
trim (const char **s,
      gsize       *len)
{
  while (*len > 0 && g_ascii_isspace (**s))
    (*s)++, (*len)--;
  while (*len > 0 && g_ascii_isspace ((*s)[*len - 1]))
    (*len)--;
}

gboolean
_setl_expr_parse_date (const char *text,
                       gsize       len,
                       gint32     *days)
{
  gsize pos = 0;
  gint64 d;

  trim (&text, &len);
  if (!read_date (text, len, &pos, &d) || pos != len)
    return FALSE;
  *days = (gint32) d;
  return TRUE;
}

/* YYYY-MM-DD[(T| )HH:MM[:SS[.f{1,9}]]][Z|(+|-)HH[:]MM]; no zone means UTC. */
gboolean
_setl_expr_parse_timestamp (const char *text,
                            gsize       len,
                            gint64     *usec)
{
  gsize pos = 0;
  gint64 days;
  int h = 0, mi = 0, sec = 0;
  gint64 frac = 0;
  gint64 zone = 0;

  trim (&text, &len);
  if (!read_date (text, len, &pos, &days))
    return FALSE;
  if (pos < len && (text[pos] == 'T' || text[pos] == 't' || text[pos] == ' '))
    {
      pos++;
      if (!read_digits (text, len, &pos, 2, &h) || pos >= len || text[pos++] != ':' ||
          !read_digits (text, len, &pos, 2, &mi))
        return FALSE;
      if (pos < len && text[pos] == ':')
        {
          pos++;
          if (!read_digits (text, len, &pos, 2, &sec))
            return FALSE;
          if (pos < len && text[pos] == '.')
            {
              guint digits = 0;
              pos++;
              while (pos < len && g_ascii_isdigit (text[pos]))
                {
                  if (digits < 6)
                    frac = frac * 10 + (text[pos] - '0');
                  digits++;
                  pos++;
                }
              if (digits == 0 || digits > 9)
                return FALSE;
              for (; digits < 6; digits++)
                frac *= 10;
            }
        }
      if (h > 23 || mi > 59 || sec > 59)
        return FALSE;
      if (pos < len && (text[pos] == 'Z' || text[pos] == 'z'))
        pos++;
      else if (pos < len && (text[pos] == '+' || text[pos] == '-'))
        {
          int sign = text[pos++] == '-' ? -1 : 1;
          int zh, zm = 0;
          if (!read_digits (text, len, &pos, 2, &zh))
            return FALSE;
          if (pos < len && text[pos] == ':')
            pos++;
          if (pos < len && !read_digits (text, len, &pos, 2, &zm))
            return FALSE;
          if (zh > 23 || zm > 59)
            return FALSE;
          zone = sign * ((gint64) zh * 3600 + zm * 60) * G_USEC_PER_SEC;
        }
    }
  if (pos != len)
    return FALSE;
  *usec = days * USEC_PER_DAY + ((gint64) h * 3600 + mi * 60 + sec) * G_USEC_PER_SEC + frac - zone;
  return TRUE;
}

static char *
format_date (gint64 days)
{
  gint64 y;
  unsigned m, d;

  civil_from_days (days, &y, &m, &d);
  return g_strdup_printf ("%04" G_GINT64_FORMAT "-%02u-%02u", y, m, d);
}

static char *
format_timestamp (gint64 usec)
{
  gint64 days = usec / USEC_PER_DAY;
  gint64 rest = usec % USEC_PER_DAY;
  g_autofree char *date = NULL;
  gint64 secs;
  int frac;

  if (rest < 0)
    {
      rest += USEC_PER_DAY;
      days--;
    }
  date = format_date (days);
  secs = rest / G_USEC_PER_SEC;
  frac = (int) (rest % G_USEC_PER_SEC);
  if (frac == 0)
    return g_strdup_printf ("%sT%02d:%02d:%02dZ", date, (int) (secs / 3600),
                            (int) (secs / 60 % 60), (int) (secs % 60));
  return g_strdup_printf ("%sT%02d:%02d:%02d.%06dZ", date, (int) (secs / 3600),
                          (int) (secs / 60 % 60), (int) (secs % 60), frac);
}

static char *
format_double (double d)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  if (isnan (d))
    return g_strdup ("NaN");
  if (isinf (d))
    return g_strdup (d > 0 ? "Infinity" : "-Infinity");
  /* The shortest form that reads back to the same double. */
  for (int precision = 15; precision <= 17; precision++)
    {
      g_ascii_formatd (buffer, sizeof buffer, precision == 15 ? "%.15g" :
                       precision == 16 ? "%.16g" : "%.17g", d);
      if (g_ascii_strtod (buffer, NULL) == d)
        break;
    }
  return g_strdup (buffer);
}

char *
_setl_expr_format_value (const SetlExprValue *value)
{
  if (value->is_null)
    return g_strdup ("null");
  switch (value->type)
    {
    case SETL_DATA_TYPE_BOOL:
      return g_strdup (value->v.b ? "true" : "false");
    case SETL_DATA_TYPE_INT64:
      return g_strdup_printf ("%" G_GINT64_FORMAT, value->v.i);
    case SETL_DATA_TYPE_DOUBLE:
      return format_double (value->v.d);
    case SETL_DATA_TYPE_STRING:
      return g_strndup (value->str, value->len);
    case SETL_DATA_TYPE_DATE32:
      return format_date (value->v.date);
    case SETL_DATA_TYPE_TIMESTAMP:
      return format_timestamp (value->v.i);
    default:
      return g_strdup ("null");
    }
}

gboolean
_setl_expr_cast_allowed (SetlDataType from,
                         SetlDataType to)
{
  if (from == to || from == SETL_EXPR_TYPE_NULL ||
      from == SETL_DATA_TYPE_STRING || to == SETL_DATA_TYPE_STRING)
    return TRUE;
  switch (to)
    {
    case SETL_DATA_TYPE_BOOL:
      return from == SETL_DATA_TYPE_INT64;
    case SETL_DATA_TYPE_INT64:
      return from == SETL_DATA_TYPE_BOOL || from == SETL_DATA_TYPE_DOUBLE;
    case SETL_DATA_TYPE_DOUBLE:
      return from == SETL_DATA_TYPE_INT64;
    case SETL_DATA_TYPE_DATE32:
      return from == SETL_DATA_TYPE_TIMESTAMP;
    case SETL_DATA_TYPE_TIMESTAMP:
      return from == SETL_DATA_TYPE_DATE32;
    default:
      return FALSE;
    }
}

static gboolean
string_to_bool (const char *s,
                gsize       len,
                gboolean   *out)
{
  static const char *const yes[] = { "true", "t", "yes", "y", "on", "1", NULL };
  static const char *const no[] = { "false", "f", "no", "n", "off", "0", NULL };

  trim (&s, &len);
  for (guint i = 0; yes[i]; i++)
    if (strlen (yes[i]) == len && g_ascii_strncasecmp (s, yes[i], len) == 0)
      return *out = TRUE, TRUE;
  for (guint i = 0; no[i]; i++)
    if (strlen (no[i]) == len && g_ascii_strncasecmp (s, no[i], len) == 0)
      return *out = FALSE, TRUE;
  return FALSE;
}

gboolean
_setl_expr_cast_value (const SetlExprValue  *in,
                       SetlDataType          to,
                       SetlExprValue        *out,
                       char                **owned,
                       const char          **why)
{
  memset (out, 0, sizeof *out);
  out->type = to;
  *owned = NULL;
  *why = NULL;

  if (in->is_null)
    {
      out->is_null = TRUE;
      return TRUE;
    }
  if (in->type == to)
    {
      *out = *in;
      return TRUE;
    }

  if (to == SETL_DATA_TYPE_STRING)
    {
      *owned = _setl_expr_format_value (in);
      out->str = *owned;
      out->len = strlen (*owned);
      return TRUE;
    }

  if (in->type == SETL_DATA_TYPE_STRING)
    {
      char buffer[64];
      const char *s = in->str;
      gsize len = in->len;

      switch (to)
        {
        case SETL_DATA_TYPE_BOOL:
          if (!string_to_bool (s, len, &out->v.b))
            return *why = "not a boolean (true/false, yes/no, on/off, 1/0)", FALSE;
          return TRUE;
        case SETL_DATA_TYPE_INT64:
        case SETL_DATA_TYPE_DOUBLE:
          trim (&s, &len);
          if (len == 0 || len >= sizeof buffer || memchr (s, '\0', len) != NULL)
            return *why = to == SETL_DATA_TYPE_INT64 ? "not an integer" : "not a number", FALSE;
          memcpy (buffer, s, len);
          buffer[len] = '\0';
          if (to == SETL_DATA_TYPE_INT64)
            {
              if (!g_ascii_string_to_signed (buffer, 10, G_MININT64, G_MAXINT64, &out->v.i, NULL))
                return *why = "not an integer in the int64 range", FALSE;
              return TRUE;
            }
          else
            {
              char *end = NULL;
              errno = 0;
              out->v.d = g_ascii_strtod (buffer, &end);
              if (end == buffer || *end != '\0' || g_ascii_isspace (buffer[0]) ||
                  (errno == ERANGE && isinf (out->v.d)))
                return *why = "not a number", FALSE;
              return TRUE;
            }
        case SETL_DATA_TYPE_DATE32:
          if (!_setl_expr_parse_date (s, len, &out->v.date))
            return *why = "not a date (YYYY-MM-DD)", FALSE;
          return TRUE;
        case SETL_DATA_TYPE_TIMESTAMP:
          if (!_setl_expr_parse_timestamp (s, len, &out->v.i))
            return *why = "not a timestamp (YYYY-MM-DDTHH:MM:SS[.ffffff][Z|±HH:MM])", FALSE;
          return TRUE;
        default:
          break;
        }
    }

  switch (to)
    {
    case SETL_DATA_TYPE_BOOL:
      if (in->type == SETL_DATA_TYPE_INT64)
        {
          out->v.b = in->v.i != 0;
          return TRUE;
        }
      break;
    case SETL_DATA_TYPE_INT64:
      if (in->type == SETL_DATA_TYPE_BOOL)
        {
          out->v.i = in->v.b ? 1 : 0;
          return TRUE;
        }
      if (in->type == SETL_DATA_TYPE_DOUBLE)
        {
          double r = round (in->v.d);
          /* 2^63 is exact as a double; anything at or above it overflows. */
          if (isnan (r) || r >= 9223372036854775808.0 || r < -9223372036854775808.0)
            return *why = "out of the int64 range", FALSE;
          out->v.i = (gint64) r;
          return TRUE;
        }
      break;
    case SETL_DATA_TYPE_DOUBLE:
      if (in->type == SETL_DATA_TYPE_INT64)
        {
          out->v.d = (double) in->v.i;
          return TRUE;
        }
      break;
    case SETL_DATA_TYPE_DATE32:
      if (in->type == SETL_DATA_TYPE_TIMESTAMP)
        {
          gint64 days = in->v.i / USEC_PER_DAY;
          if (in->v.i % USEC_PER_DAY < 0)
            days--;
          out->v.date = (gint32) days;
          return TRUE;
        }
      break;
    case SETL_DATA_TYPE_TIMESTAMP:
      if (in->type == SETL_DATA_TYPE_DATE32)
        {
          /* Not every date32 fits: ±2^31 days is ±5.8 million years. */
          if (in->v.date > G_MAXINT64 / USEC_PER_DAY || in->v.date < G_MININT64 / USEC_PER_DAY)
            return *why = "out of the timestamp range", FALSE;
          out->v.i = (gint64) in->v.date * USEC_PER_DAY;
          return TRUE;
        }
      break;
    default:
      break;
    }
  *why = "no such conversion";
  return FALSE;
}
