/* setl-csv-value.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * Cells to values and back, without the C library's locale-dependent,
 * nul-terminated parsers on the hot path: integers and plain decimals are
 * parsed by hand (a decimal with at most 19 significant digits and a power
 * of ten up to 22 is converted exactly, Clinger's fast path); anything else
 * falls back to g_ascii_strtod(). Doubles are written with the fewest
 * decimals that read back to the same double.
 */
#include "setl-csv-value.h"

#include <math.h>
#include <string.h>

static const double pow10_table[] = {
  1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
  1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
};

static inline gboolean
is_digit (char c)
{
  return c >= '0' && c <= '9';
}

static inline char
ascii_lower (char c)
{
  return (c >= 'A' && c <= 'Z') ? (char) (c + 32) : c;
}

static gboolean
equal_nocase (const char *s, gsize n, const char *word)
{
  gsize i;

  for (i = 0; i < n; i++)
    if (word[i] == '\0' || ascii_lower (s[i]) != word[i])
      return FALSE;
  return word[i] == '\0';
}

gboolean
setl_csv_parse_bool (const char *s, gsize n, gboolean strict, gboolean *out)
{
  static const char *const yes[] = { "true", "t", "yes", "y", "1" };
  static const char *const no[] = { "false", "f", "no", "n", "0" };
  guint n_words = strict ? 1 : G_N_ELEMENTS (yes);

  for (guint i = 0; i < n_words; i++)
    {
      if (equal_nocase (s, n, yes[i]))
        {
          *out = TRUE;
          return TRUE;
        }
      if (equal_nocase (s, n, no[i]))
        {
          *out = FALSE;
          return TRUE;
        }
    }
  return FALSE;
}

gboolean
setl_csv_parse_int64 (const char *s, gsize n, gboolean strict, gint64 *out)
{
  const char *e = s + n;
  gboolean negative = FALSE;
  guint64 v = 0, limit;

  if (s < e && (*s == '-' || (*s == '+' && !strict)))
    negative = *s++ == '-';
  if (s == e)
    return FALSE;
  /* "00501" is a code, not a number, when guessing. */
  if (strict && *s == '0' && e - s > 1)
    return FALSE;
  if (e - s <= 18)
    {
      /* Cannot overflow: no check per digit (the common case). */
      for (; s < e; s++)
        {
          guint d = (guint) (guchar) *s - '0';

          if (d > 9)
            return FALSE;
          v = v * 10 + d;
        }
      *out = negative ? (gint64) (0 - v) : (gint64) v;
      return TRUE;
    }
  limit = negative ? (guint64) G_MAXINT64 + 1 : (guint64) G_MAXINT64;
  for (; s < e; s++)
    {
      guint d = (guint) (guchar) *s - '0';

      if (d > 9)
        return FALSE;
      if (v > (limit - d) / 10)
        return FALSE;
      v = v * 10 + d;
    }
  *out = negative ? (gint64) (0 - v) : (gint64) v;
  return TRUE;
}

/* The strict grammar: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? with a
 * fraction or an exponent (a plain integer is an int64 or, too long for one,
 * an identifier). */
static gboolean
strict_double_syntax (const char *s, const char *e)
{
  gboolean fraction = FALSE, exponent = FALSE;

  if (s < e && *s == '-')
    s++;
  if (s == e || !is_digit (*s))
    return FALSE;
  if (*s == '0' && s + 1 < e && is_digit (s[1]))
    return FALSE;
  while (s < e && is_digit (*s))
    s++;
  if (s < e && *s == '.')
    {
      s++;
      if (s == e || !is_digit (*s))
        return FALSE;
      while (s < e && is_digit (*s))
        s++;
      fraction = TRUE;
    }
  if (s < e && (*s == 'e' || *s == 'E'))
    {
      s++;
      if (s < e && (*s == '+' || *s == '-'))
        s++;
      if (s == e || !is_digit (*s))
        return FALSE;
      while (s < e && is_digit (*s))
        s++;
      exponent = TRUE;
    }
  return s == e && (fraction || exponent);
}

gboolean
setl_csv_parse_double (const char *s, gsize n, gboolean strict, double *out)
{
  const char *p = s, *e = s + n;
  gboolean negative = FALSE;
  guint64 mantissa = 0;
  int digits = 0, exp10 = 0;
  gboolean any = FALSE;

  if (n == 0)
    return FALSE;
  if (strict && !strict_double_syntax (s, e))
    return FALSE;

  /* Fastest path, the usual cell: [-+]digits[.digits] with at most 18
   * digits in all (no overflow) and a mantissa up to 2^53 (exact). */
  {
    const char *q = s, *digits_start;
    guint64 m = 0;
    int int_digits, frac_digits = 0;

    if (*q == '-' || *q == '+')
      q++;
    digits_start = q;
    while (q < e && is_digit (*q))
      m = m * 10 + (guint) (*q++ - '0');
    int_digits = (int) (q - digits_start);
    if (q < e && *q == '.')
      {
        const char *f = ++q;

        while (q < e && is_digit (*q))
          m = m * 10 + (guint) (*q++ - '0');
        frac_digits = (int) (q - f);
      }
    if (q == e && int_digits + frac_digits > 0 && int_digits + frac_digits <= 18 &&
        m <= (G_GUINT64_CONSTANT (1) << 53))
      {
        double v = (double) m / pow10_table[frac_digits];

        *out = *s == '-' ? -v : v;
        return TRUE;
      }
  }

  /* Fast path: [-+]digits[.digits] with few enough digits to be exact. */
  if (*p == '-' || *p == '+')
    negative = *p++ == '-';
  while (p < e && *p == '0')
    {
      p++;
      any = TRUE;
    }
  for (; p < e && is_digit (*p); p++, any = TRUE)
    if (++digits <= 19)
      mantissa = mantissa * 10 + (guint) (*p - '0');
    else
      exp10++;
  if (p < e && *p == '.')
    {
      p++;
      for (; p < e && is_digit (*p); p++, any = TRUE)
        {
          if (mantissa == 0 && *p == '0')
            {
              exp10--;
              continue;
            }
          if (++digits <= 19)
            {
              mantissa = mantissa * 10 + (guint) (*p - '0');
              exp10--;
            }
        }
    }
  if (p == e && any && digits <= 19 && mantissa <= (G_GUINT64_CONSTANT (1) << 53) &&
      exp10 >= -22 && exp10 <= 22)
    {
      double v = (double) mantissa;

      v = exp10 < 0 ? v / pow10_table[-exp10] : v * pow10_table[exp10];
      *out = negative ? -v : v;
      return TRUE;
    }

  /* Exponents, long mantissas, inf and nan: the C library, on a copy. */
  {
    char stack[64];
    g_autofree char *heap = NULL;
    char *copy = stack, *end;
    double v;

    if (g_ascii_isspace (*s))
      return FALSE;
    for (p = s; p < e; p++)
      if (*p == 'x' || *p == 'X' || *p == '\0')
        return FALSE;   /* no hexadecimal floats */
    if (n >= sizeof stack)
      copy = heap = g_malloc (n + 1);
    memcpy (copy, s, n);
    copy[n] = '\0';
    errno = 0;
    v = g_ascii_strtod (copy, &end);
    if (end != copy + n)
      return FALSE;
    if (strict && !isfinite (v))
      return FALSE;
    *out = v;
    return TRUE;
  }
}

/* Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
 * days_from_civil). */
gint32
setl_csv_days_from_civil (gint64 y, unsigned m, unsigned d)
{
  gint64 era, yoe, doy, doe;

  y -= m <= 2;
  era = (y >= 0 ? y : y - 399) / 400;
  yoe = y - era * 400;
  doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return (gint32) (era * 146097 + doe - 719468);
}

static void
civil_from_days (gint64 z, gint64 *y, unsigned *m, unsigned *d)
{
  gint64 era, doe, yoe, doy, mp;

  z += 719468;
  era = (z >= 0 ? z : z - 146096) / 146097;
  doe = z - era * 146097;
  yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  mp = (5 * doy + 2) / 153;
  *d = (unsigned) (doy - (153 * mp + 2) / 5 + 1);
  *m = (unsigned) (mp < 10 ? mp + 3 : mp - 9);
  *y = yoe + era * 400 + (*m <= 2);
}

static unsigned
days_in_month (gint64 y, unsigned m)
{
  static const guint8 days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

  if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
    return 29;
  return days[m - 1];
}

typedef struct
{
  gint64 year;
  unsigned month, day, hour, minute, second;
  gint64 usec;
  gint64 offset_sec;   /* east of UTC */
  gboolean has_time;
} DateTime;

/* Reads between @min and @max digits. */
static gboolean
read_number (const char **p, const char *e, int min, int max, gint64 *out)
{
  const char *s = *p;
  gint64 v = 0;
  int i = 0;

  while (i < max && s < e && is_digit (*s))
    {
      v = v * 10 + (*s++ - '0');
      i++;
    }
  if (i < min)
    return FALSE;
  *p = s;
  *out = v;
  return TRUE;
}

static gboolean
read_fraction (const char **p, const char *e, gint64 *usec)
{
  const char *s = *p;
  gint64 v = 0;
  int i = 0;

  while (s < e && is_digit (*s))
    {
      if (i < 6)
        v = v * 10 + (*s - '0');
      s++;
      i++;
    }
  if (i == 0 || i > 9)
    return FALSE;
  for (; i < 6; i++)
    v *= 10;
  *p = s;
  *usec = v;
  return TRUE;
}

static gboolean
read_zone (const char **p, const char *e, gint64 *offset)
{
  const char *s = *p;
  gint64 h, m = 0;
  int sign;

  if (s < e && (*s == 'Z' || *s == 'z'))
    {
      *offset = 0;
      *p = s + 1;
      return TRUE;
    }
  if (s == e || (*s != '+' && *s != '-'))
    return FALSE;
  sign = *s++ == '-' ? -1 : 1;
  if (!read_number (&s, e, 2, 2, &h) || h > 23)
    return FALSE;
  if (s < e && *s == ':')
    s++;
  if (s < e && is_digit (*s) && (!read_number (&s, e, 2, 2, &m) || m > 59))
    return FALSE;
  *offset = sign * (h * 3600 + m * 60);
  *p = s;
  return TRUE;
}

static const char *const month_names[] = {
  "january", "february", "march", "april", "may", "june", "july",
  "august", "september", "october", "november", "december",
};

static gboolean
read_month_name (const char **p, const char *e, gboolean full, unsigned *month)
{
  for (unsigned i = 0; i < 12; i++)
    {
      gsize len = full ? strlen (month_names[i]) : 3;

      if ((gsize) (e - *p) >= len && equal_nocase (*p, len, full ? month_names[i] : (char[4]) { month_names[i][0], month_names[i][1], month_names[i][2], 0 }))
        {
          *month = i + 1;
          *p += len;
          return TRUE;
        }
    }
  return FALSE;
}

static gboolean
valid_date_time (const DateTime *dt)
{
  return dt->month >= 1 && dt->month <= 12 && dt->day >= 1 &&
         dt->day <= days_in_month (dt->year, dt->month) &&
         dt->hour <= 23 && dt->minute <= 59 && dt->second <= 59;
}

/* ISO 8601: YYYY-MM-DD, optionally followed by [T ]HH:MM[:SS[.fraction]] and
 * a zone (Z, ±HH, ±HH:MM, ±HHMM). */
static gboolean
parse_iso (const char *s, gsize n, gboolean allow_time, DateTime *dt)
{
  const char *p = s, *e = s + n;
  gint64 v;

  memset (dt, 0, sizeof *dt);
  if (n < 10 || !read_number (&p, e, 4, 4, &dt->year) || *p++ != '-' ||
      !read_number (&p, e, 2, 2, &v) || p == e || *p++ != '-')
    return FALSE;
  dt->month = (unsigned) v;
  if (!read_number (&p, e, 2, 2, &v))
    return FALSE;
  dt->day = (unsigned) v;
  if (p < e && allow_time && (*p == 'T' || *p == ' '))
    {
      p++;
      if (!read_number (&p, e, 2, 2, &v) || p == e || *p++ != ':')
        return FALSE;
      dt->hour = (unsigned) v;
      if (!read_number (&p, e, 2, 2, &v))
        return FALSE;
      dt->minute = (unsigned) v;
      if (p < e && *p == ':')
        {
          p++;
          if (!read_number (&p, e, 2, 2, &v))
            return FALSE;
          dt->second = (unsigned) v;
          if (p < e && (*p == '.' || *p == ','))
            {
              p++;
              if (!read_fraction (&p, e, &dt->usec))
                return FALSE;
            }
        }
      if (p < e && !read_zone (&p, e, &dt->offset_sec))
        return FALSE;
      dt->has_time = TRUE;
    }
  return p == e && valid_date_time (dt);
}

static gboolean
parse_with_format (const char *s, gsize n, const char *format, DateTime *dt)
{
  const char *p = s, *e = s + n, *f = format;
  gint64 v;

  memset (dt, 0, sizeof *dt);
  dt->year = 1970;
  dt->month = dt->day = 1;
  while (*f != '\0')
    {
      if (*f != '%')
        {
          if (p == e || *p != *f)
            return FALSE;
          p++;
          f++;
          continue;
        }
      f++;
      switch (*f++)
        {
        case 'Y':
          if (!read_number (&p, e, 4, 4, &dt->year))
            return FALSE;
          break;
        case 'y':
          if (!read_number (&p, e, 2, 2, &v))
            return FALSE;
          dt->year = v < 69 ? 2000 + v : 1900 + v;   /* POSIX's pivot */
          break;
        case 'm':
          if (!read_number (&p, e, 1, 2, &v))
            return FALSE;
          dt->month = (unsigned) v;
          break;
        case 'e':
          if (p < e && *p == ' ')
            p++;
          G_GNUC_FALLTHROUGH;
        case 'd':
          if (!read_number (&p, e, 1, 2, &v))
            return FALSE;
          dt->day = (unsigned) v;
          break;
        case 'b':
        case 'h':
          if (!read_month_name (&p, e, FALSE, &dt->month))
            return FALSE;
          break;
        case 'B':
          if (!read_month_name (&p, e, TRUE, &dt->month))
            return FALSE;
          break;
        case 'H':
          if (!read_number (&p, e, 1, 2, &v))
            return FALSE;
          dt->hour = (unsigned) v;
          dt->has_time = TRUE;
          break;
        case 'M':
          if (!read_number (&p, e, 1, 2, &v))
            return FALSE;
          dt->minute = (unsigned) v;
          break;
        case 'S':
          if (!read_number (&p, e, 1, 2, &v))
            return FALSE;
          dt->second = (unsigned) v;
          break;
        case 'f':
          if (!read_fraction (&p, e, &dt->usec))
            return FALSE;
          break;
        case 'z':
          if (!read_zone (&p, e, &dt->offset_sec))
            return FALSE;
          break;
        case '%':
          if (p == e || *p != '%')
            return FALSE;
          p++;
          break;
        default:
          return FALSE;
        }
    }
  return p == e && valid_date_time (dt);
}

gboolean
setl_csv_check_format (const char *format, gboolean with_time, GError **error)
{
  for (const char *f = format; *f != '\0'; f++)
    {
      if (*f != '%')
        continue;
      f++;
      if (*f == '\0' || strchr ("YymdebhBHMSfz%", *f) == NULL)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       "format “%s”: unknown directive “%%%.1s” (known: %%Y %%y %%m %%d %%e "
                       "%%b %%B %%H %%M %%S %%f %%z %%%%)", format, f);
          return FALSE;
        }
    }
  return TRUE;
}

gboolean
setl_csv_parse_date (const char *s, gsize n, const char *format, gint32 *out)
{
  DateTime dt;

  if (format == NULL ? !parse_iso (s, n, FALSE, &dt) : !parse_with_format (s, n, format, &dt))
    return FALSE;
  *out = setl_csv_days_from_civil (dt.year, dt.month, dt.day);
  return TRUE;
}

gboolean
setl_csv_parse_timestamp (const char *s, gsize n, const char *format, gint64 *out)
{
  DateTime dt;
  gint64 days;

  if (format == NULL ? !parse_iso (s, n, TRUE, &dt) : !parse_with_format (s, n, format, &dt))
    return FALSE;
  days = setl_csv_days_from_civil (dt.year, dt.month, dt.day);
  *out = ((days * 86400 + dt.hour * 3600 + dt.minute * 60 + dt.second) - dt.offset_sec)
         * G_USEC_PER_SEC + dt.usec;
  return TRUE;
}

static const char digit_pairs[] =
  "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
  "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
  "8081828384858687888990919293949596979899";

gsize
setl_csv_format_int64 (char *buf, gint64 value)
{
  /* The digits end at tmp + 24; the rest is room for the fixed-size copy
   * below to read past them. */
  char tmp[48];
  char *t = tmp + 24;
  guint64 v = value < 0 ? 0 - (guint64) value : (guint64) value;
  gsize n;

  /* Two digits per division. */
  while (v >= 100)
    {
      guint r = (guint) (v % 100);

      v /= 100;
      t -= 2;
      memcpy (t, digit_pairs + 2 * r, 2);
    }
  if (v >= 10)
    {
      t -= 2;
      memcpy (t, digit_pairs + 2 * v, 2);
    }
  else
    *--t = (char) ('0' + v);
  if (value < 0)
    *--t = '-';
  n = (gsize) (tmp + 24 - t);
  /* buf holds SETL_CSV_VALUE_BUF bytes: copy a whole word or three, not n */
  if (n <= 8)
    memcpy (buf, t, 8);
  else
    memcpy (buf, t, 24);
  return n;
}

/* Writes the integer @m (|m| < 2^53) scaled down by 10^@k, with exactly
 * @k decimals (".0" when @k is 0, to read back as a double). */
static gsize
format_fixed (char *buf, double m, int k)
{
  /* Written backwards, ending at tmp + 32 (".0" may follow) and starting
   * at tmp + 13 or later; the rest is room for the fixed-size copy below
   * (t + 24 <= tmp + 56). */
  char tmp[64];
  char *t = tmp + 32;
  guint64 u = (guint64) fabs (m);
  gsize n;

  for (int i = 0; i < k; i++)
    {
      *--t = (char) ('0' + u % 10);
      u /= 10;
    }
  if (k > 0)
    *--t = '.';
  /* The integer part, two digits per division. */
  while (u >= 100)
    {
      guint r = (guint) (u % 100);

      u /= 100;
      t -= 2;
      memcpy (t, digit_pairs + 2 * r, 2);
    }
  if (u >= 10)
    {
      t -= 2;
      memcpy (t, digit_pairs + 2 * u, 2);
    }
  else
    *--t = (char) ('0' + u);
  if (m < 0)
    *--t = '-';
  n = (gsize) (tmp + 32 - t);
  if (k == 0)
    {
      /* Keep it a double when read back by inference. */
      tmp[32] = '.';
      tmp[33] = '0';
      n += 2;
    }
  /* At most 20 bytes (16 digits, sign, point, ".0"); buf holds
   * SETL_CSV_VALUE_BUF: copy a fixed 24, not n. */
  memcpy (buf, t, 24);
  return n;
}

gsize
setl_csv_format_double (char *buf, double value)
{
  /* Fixed notation with the fewest decimals (up to 9) that read back as
   * the same double through the exact path of setl_csv_parse_double(). */
  if (isfinite (value) && fabs (value) < 1e15 && !(value == 0 && signbit (value)))
    {
      int k0 = 0;

      /* Most values have at most two decimals (prices, scores). Below
       * 1e13, value * 100 is within 0.25 of an integer m2 < 1e15 whenever
       * one of k = 0, 1, 2 reads back, so: k = 0, 1 or 2 reads back iff m2
       * / 100 does, and the first that does is 2 minus the trailing zeros
       * of m2 (at most 2) — one rounding instead of up to three. Otherwise
       * none of them does, and the loop starts at k = 3. */
      if (fabs (value) < 1e13)
        {
          double m2 = nearbyint (value * 100.0);

          if (m2 / 100.0 == value)
            {
              gint64 i2 = (gint64) m2;
              int k = 2;
              double m;

              if (i2 % 10 == 0)
                {
                  k = 1;
                  i2 /= 10;
                  if (i2 % 10 == 0)
                    {
                      k = 0;
                      i2 /= 10;
                    }
                }
              m = (double) i2;
              return format_fixed (buf, m, k);
            }
          k0 = 3;
        }
      for (int k = k0; k <= 9; k++)
        {
          double scaled = value * pow10_table[k];
          double m = nearbyint (scaled);

          if (fabs (m) < 9007199254740992.0 && m / pow10_table[k] == value)
            return format_fixed (buf, m, k);
        }
    }
  if (isnan (value))
    {
      memcpy (buf, "NaN", 3);
      return 3;
    }
  if (isinf (value))
    {
      if (value > 0)
        {
          memcpy (buf, "inf", 3);
          return 3;
        }
      memcpy (buf, "-inf", 4);
      return 4;
    }
  /* The shortest of %.15g, %.16g and %.17g that round-trips. */
  for (int precision = 15; precision <= 17; precision++)
    {
      char format[8];

      g_snprintf (format, sizeof format, "%%.%dg", precision);
      g_ascii_formatd (buf, SETL_CSV_VALUE_BUF, format, value);
      if (precision == 17 || g_ascii_strtod (buf, NULL) == value)
        break;
    }
  return strlen (buf);
}

static gsize
put_number (char *buf, gint64 v, int width, char pad)
{
  char tmp[24];
  gsize n = setl_csv_format_int64 (tmp, v);
  gsize i = 0;

  for (; (int) (n + i) < width; i++)
    buf[i] = pad;
  memcpy (buf + i, tmp, n);
  return i + n;
}

static gsize
format_date_time (char *buf, gint64 days, gint64 usec_of_day, gboolean with_time,
                  const char *format)
{
  gint64 y;
  unsigned m, d;
  gint64 sec = usec_of_day / G_USEC_PER_SEC, frac = usec_of_day % G_USEC_PER_SEC;
  char *out = buf, *limit = buf + SETL_CSV_VALUE_BUF - 32;

  civil_from_days (days, &y, &m, &d);
  if (format == NULL)
    {
      out += put_number (out, y, 4, '0');
      *out++ = '-';
      out += put_number (out, m, 2, '0');
      *out++ = '-';
      out += put_number (out, d, 2, '0');
      if (with_time)
        {
          *out++ = 'T';
          out += put_number (out, sec / 3600, 2, '0');
          *out++ = ':';
          out += put_number (out, sec / 60 % 60, 2, '0');
          *out++ = ':';
          out += put_number (out, sec % 60, 2, '0');
          if (frac != 0)
            {
              int digits = 6;

              *out++ = '.';
              while (frac % 10 == 0)
                {
                  frac /= 10;
                  digits--;
                }
              out += put_number (out, frac, digits, '0');
            }
        }
      return (gsize) (out - buf);
    }

  for (const char *f = format; *f != '\0' && out < limit; f++)
    {
      if (*f != '%')
        {
          *out++ = *f;
          continue;
        }
      switch (*++f)
        {
        case 'Y': out += put_number (out, y, 4, '0'); break;
        case 'y': out += put_number (out, ((y % 100) + 100) % 100, 2, '0'); break;
        case 'm': out += put_number (out, m, 2, '0'); break;
        case 'd': out += put_number (out, d, 2, '0'); break;
        case 'e': out += put_number (out, d, 2, ' '); break;
        case 'b':
        case 'h':
          *out++ = g_ascii_toupper (month_names[m - 1][0]);
          *out++ = month_names[m - 1][1];
          *out++ = month_names[m - 1][2];
          break;
        case 'B':
          {
            gsize len = strlen (month_names[m - 1]);

            memcpy (out, month_names[m - 1], len);
            *out = g_ascii_toupper (*out);
            out += len;
          }
          break;
        case 'H': out += put_number (out, sec / 3600, 2, '0'); break;
        case 'M': out += put_number (out, sec / 60 % 60, 2, '0'); break;
        case 'S': out += put_number (out, sec % 60, 2, '0'); break;
        case 'f': out += put_number (out, frac, 6, '0'); break;
        case 'z': memcpy (out, "+0000", 5); out += 5; break;
        case '%': *out++ = '%'; break;
        case '\0': f--; break;
        default: break;
        }
    }
  return (gsize) (out - buf);
}

gsize
setl_csv_format_date (char *buf, gint32 days, const char *format)
{
  return format_date_time (buf, days, 0, FALSE, format);
}

gsize
setl_csv_format_timestamp (char *buf, gint64 usec, const char *format)
{
  gint64 days = usec / (G_USEC_PER_SEC * (gint64) 86400);
  gint64 rest = usec % (G_USEC_PER_SEC * (gint64) 86400);

  if (rest < 0)
    {
      rest += G_USEC_PER_SEC * (gint64) 86400;
      days--;
    }
  return format_date_time (buf, days, rest, TRUE, format);
}

enum {
  FIT_BOOL = 1 << 0,
  FIT_INT = 1 << 1,
  FIT_DOUBLE = 1 << 2,
  FIT_DATE = 1 << 3,
  FIT_TIMESTAMP = 1 << 4,
  FIT_ALL = (1 << 5) - 1,
};

void
setl_csv_inference_init (SetlCsvInference *inf)
{
  inf->candidates = FIT_ALL;
  inf->n_values = 0;
}

/* Narrows the candidate types with one non-null value. */
void
setl_csv_inference_add (SetlCsvInference *inf, const char *s, gsize n,
                        const char *date_format, const char *timestamp_format)
{
  guint fits = 0;
  gint64 i;
  double d;
  gboolean b;
  gint32 days;

  inf->n_values++;
  if (inf->candidates == 0 || n == 0)
    {
      inf->candidates = 0;
      return;
    }
  if ((inf->candidates & (FIT_INT | FIT_DOUBLE)) && (is_digit (s[0]) || s[0] == '-'))
    {
      if (setl_csv_parse_int64 (s, n, TRUE, &i))
        fits |= FIT_INT | FIT_DOUBLE;
      else if (setl_csv_parse_double (s, n, TRUE, &d))
        fits |= FIT_DOUBLE;
    }
  if (inf->candidates & (FIT_DATE | FIT_TIMESTAMP))
    {
      if ((inf->candidates & FIT_DATE) && setl_csv_parse_date (s, n, date_format, &days))
        fits |= FIT_DATE | FIT_TIMESTAMP;
      else if ((inf->candidates & FIT_TIMESTAMP) &&
               setl_csv_parse_timestamp (s, n, timestamp_format, &i))
        fits |= FIT_TIMESTAMP;
    }
  if ((inf->candidates & FIT_BOOL) && setl_csv_parse_bool (s, n, TRUE, &b))
    fits |= FIT_BOOL;
  inf->candidates &= fits;
}

SetlDataType
setl_csv_inference_result (const SetlCsvInference *inf)
{
  if (inf->n_values == 0)
    return SETL_DATA_TYPE_STRING;
  if (inf->candidates & FIT_BOOL)
    return SETL_DATA_TYPE_BOOL;
  if (inf->candidates & FIT_INT)
    return SETL_DATA_TYPE_INT64;
  if (inf->candidates & FIT_DOUBLE)
    return SETL_DATA_TYPE_DOUBLE;
  if (inf->candidates & FIT_DATE)
    return SETL_DATA_TYPE_DATE32;
  if (inf->candidates & FIT_TIMESTAMP)
    return SETL_DATA_TYPE_TIMESTAMP;
  return SETL_DATA_TYPE_STRING;
}

/* Type names of the "schema" property, with common aliases. */
gboolean
setl_csv_parse_type_name (const char *name, SetlDataType *type)
{
  static const struct { const char *name; SetlDataType type; } names[] = {
    { "bool", SETL_DATA_TYPE_BOOL }, { "boolean", SETL_DATA_TYPE_BOOL },
    { "int64", SETL_DATA_TYPE_INT64 }, { "int", SETL_DATA_TYPE_INT64 },
    { "integer", SETL_DATA_TYPE_INT64 },
    { "double", SETL_DATA_TYPE_DOUBLE }, { "float", SETL_DATA_TYPE_DOUBLE },
    { "float64", SETL_DATA_TYPE_DOUBLE },
    { "string", SETL_DATA_TYPE_STRING }, { "text", SETL_DATA_TYPE_STRING },
    { "utf8", SETL_DATA_TYPE_STRING },
    { "date", SETL_DATA_TYPE_DATE32 }, { "date32", SETL_DATA_TYPE_DATE32 },
    { "timestamp", SETL_DATA_TYPE_TIMESTAMP }, { "datetime", SETL_DATA_TYPE_TIMESTAMP },
  };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_ascii_strcasecmp (name, names[i].name) == 0)
      {
        *type = names[i].type;
        return TRUE;
      }
  return FALSE;
}
