/* bench-csv-filter-plain.c: the baseline of the CSV filter benchmark — the
 * loop a C programmer would write by hand for this one job, no library.
 *
 *   bench-csv-filter-plain IN.csv OUT.csv [COLUMN]
 *
 * Copies the header and every record whose field number COLUMN (1-based,
 * default 3: "age") is an integer >= 18 from IN to OUT. Records are parsed
 * per RFC 4180: a quoted field may hold delimiters, line ends and doubled
 * quotes, so the record boundaries and the age field are found correctly
 * whatever the other fields hold; CRLF and LF line ends are both accepted.
 * Kept records are copied as they are in the input (no re-formatting),
 * which is the least work any filter can do. A non-integer or empty age
 * drops the row (as SQL's null semantics would).
 *
 * One read(2) buffer of 1 MiB and one write buffer of 1 MiB: memory is
 * bounded whatever the file size.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define BUF (1 << 20)

static char *out;
static size_t out_len;
static int out_fd;

static void
flush_out (void)
{
  size_t done = 0;

  while (done < out_len)
    {
      ssize_t n = write (out_fd, out + done, out_len - done);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          perror ("write");
          exit (1);
        }
      done += (size_t) n;
    }
  out_len = 0;
}

static void
emit (const char *p, size_t n)
{
  if (out_len + n > BUF)
    flush_out ();
  if (n > BUF)
    {
      /* a record larger than the buffer: write it through */
      out_len = 0;
      while (n > 0)
        {
          ssize_t w = write (out_fd, p, n);

          if (w < 0 && errno == EINTR)
            continue;
          if (w < 0)
            {
              perror ("write");
              exit (1);
            }
          p += w;
          n -= (size_t) w;
        }
      return;
    }
  memcpy (out + out_len, p, n);
  out_len += n;
}

/*
 * Scans one record starting at @p (before @e). Returns the end of the
 * record (just past its '\n', or @e at the end of the file), or NULL if the
 * buffer ends before the record does and more input may follow. The field
 * @column (0-based) is returned in @fs/@fe (quotes included, if any).
 */
static const char *
scan_record (const char *p, const char *e, int eof, unsigned column,
             const char **fs, const char **fe)
{
  unsigned field = 0;

  *fs = *fe = NULL;
  for (;;)
    {
      const char *start = p;

      if (p < e && *p == '"')
        {
          /* quoted: up to a quote that is not doubled */
          p++;
          for (;;)
            {
              const char *q = memchr (p, '"', (size_t) (e - p));

              if (q == NULL || (q + 1 == e && !eof))
                return NULL;
              if (q + 1 < e && q[1] == '"')
                {
                  p = q + 2;
                  continue;
                }
              p = q + 1;
              break;
            }
          if (field == column)
            {
              *fs = start;
              *fe = p;
            }
          /* then a delimiter or the line end (anything else is taken as
           * part of the field, leniently, up to the next one) */
          while (p < e && *p != ',' && *p != '\n')
            p++;
        }
      else
        {
          while (p < e && *p != ',' && *p != '\n')
            p++;
          if (field == column)
            {
              *fs = start;
              *fe = p;
            }
        }
      if (p == e)
        return eof ? e : NULL;
      if (*p == '\n')
        return p + 1;
      p++;   /* ',' */
      field++;
    }
}

/* The age field as an integer; -1 if it is not one. */
static long
field_int (const char *s, const char *e)
{
  long v = 0;
  int neg = 0;

  if (s == NULL || s == e)
    return -1;
  if (e > s && e[-1] == '\r')
    e--;
  if (*s == '"' && e - s >= 2)
    {
      s++;
      e--;
    }
  if (s < e && (*s == '-' || *s == '+'))
    neg = *s++ == '-';
  if (s == e)
    return -1;
  for (; s < e; s++)
    {
      if (*s < '0' || *s > '9' || v > 100000000000L)
        return -1;
      v = v * 10 + (*s - '0');
    }
  return neg ? -v : v;
}

int
main (int argc, char **argv)
{
  unsigned column;
  char *buf;
  size_t cap = BUF, start = 0, end = 0;
  int in_fd, eof = 0, header = 1;
  long long kept = 0, rows = 0;

  if (argc < 3)
    {
      fprintf (stderr, "usage: %s IN.csv OUT.csv [COLUMN]\n", argv[0]);
      return 2;
    }
  column = argc > 3 ? (unsigned) atoi (argv[3]) - 1 : 2;
  in_fd = open (argv[1], O_RDONLY);
  if (in_fd < 0)
    {
      perror (argv[1]);
      return 1;
    }
  out_fd = open (argv[2], O_WRONLY | O_CREAT | O_TRUNC, 0666);
  if (out_fd < 0)
    {
      perror (argv[2]);
      return 1;
    }
  buf = malloc (cap);
  out = malloc (BUF);

  for (;;)
    {
      const char *p = buf + start, *e = buf + end, *r, *fs, *fe;

      if (p == e && eof)
        break;
      r = (p == e) ? NULL : scan_record (p, e, eof, column, &fs, &fe);
      if (r == NULL)
        {
          ssize_t n;

          /* move the partial record to the front, grow if it fills the buffer */
          memmove (buf, buf + start, end - start);
          end -= start;
          start = 0;
          if (end == cap)
            {
              cap *= 2;
              buf = realloc (buf, cap);
            }
          do
            n = read (in_fd, buf + end, cap - end);
          while (n < 0 && errno == EINTR);
          if (n < 0)
            {
              perror ("read");
              return 1;
            }
          if (n == 0)
            eof = 1;
          end += (size_t) n;
          continue;
        }
      if (header)
        {
          emit (p, (size_t) (r - p));
          header = 0;
        }
      else if (r - p > 1 || *p != '\n')
        {
          rows++;
          if (field_int (fs, fe) >= 18)
            {
              emit (p, (size_t) (r - p));
              if (r == e && e[-1] != '\n')
                emit ("\n", 1);
              kept++;
            }
        }
      start = (size_t) (r - buf);
    }
  flush_out ();
  if (close (out_fd) != 0)
    {
      perror ("close");
      return 1;
    }
  fprintf (stderr, "plain: %lld rows read, %lld kept\n", rows, kept);
  return 0;
}
