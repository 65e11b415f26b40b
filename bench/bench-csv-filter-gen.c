/* bench-csv-filter-gen.c: writes the input of the CSV filter benchmark.
 *
 *   bench-csv-filter-gen [ROWS [SEED]] > people.csv
 *
 * Columns id,name,age,city,score,email. Deterministic for a given ROWS and
 * SEED (default 10,000,000 rows, seed 20240531): a xorshift64* generator,
 * not rand(), so the file is the same on every libc. 10 million rows make
 * 604 MB.
 *
 * The values are meant to look like a real export, including the awkward
 * parts a CSV reader must get right:
 * - names "Last, First" (quoted, a comma inside) on 7.5 % of the rows,
 *   and a nickname in doubled quotes ("Smith, ""Bob"" Jr") on 0.5 %;
 * - a few non-ASCII names (UTF-8) and cities with a space or a hyphen;
 * - ages 0-99, uniform (so about 82 % of the rows have age >= 18);
 * - scores as doubles with two decimals (0.00-100.00), 1 % of them empty
 *   (null), some whole numbers written "75.0";
 * - emails j.smith42@mail.com built from the name and a random number.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t state;

static uint64_t
next (void)
{
  state ^= state >> 12;
  state ^= state << 25;
  state ^= state >> 27;
  return state * UINT64_C (2685821657736338717);
}

static unsigned
uniform (unsigned n)
{
  return (unsigned) ((next () >> 32) % n);
}

static const char *const first_names[] = {
  "James", "Mary", "John", "Patricia", "Robert", "Jennifer", "Michael", "Linda",
  "William", "Elizabeth", "David", "Barbara", "Richard", "Susan", "Joseph", "Jessica",
  "Thomas", "Sarah", "Charles", "Karen", "Christopher", "Nancy", "Daniel", "Lisa",
  "Matthew", "Betty", "Anthony", "Margaret", "Mark", "Sandra", "Donald", "Ashley",
  "Steven", "Kimberly", "Paul", "Emily", "Andrew", "Donna", "Joshua", "Michelle",
  "Kenneth", "Dorothy", "Kevin", "Carol", "Brian", "Amanda", "George", "Melissa",
  "Zoë", "José", "Chloé", "Łukasz", "Søren", "Björn", "Renée", "Hélène",
};
static const char *const last_names[] = {
  "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis",
  "Rodriguez", "Martinez", "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson",
  "Thomas", "Taylor", "Moore", "Jackson", "Martin", "Lee", "Perez", "Thompson",
  "White", "Harris", "Sanchez", "Clark", "Ramirez", "Lewis", "Robinson", "Walker",
  "Young", "Allen", "King", "Wright", "Scott", "Torres", "Nguyen", "Hill", "Flores",
  "Green", "Adams", "Nelson", "Baker", "Hall", "Rivera", "Campbell", "Mitchell",
  "O'Brien", "Müller", "Dubois", "Kowalski", "Rossi", "Novák", "Jensen", "Ødegård",
};
static const char *const cities[] = {
  "New York", "Los Angeles", "Chicago", "Houston", "Phoenix", "Philadelphia",
  "San Antonio", "San Diego", "Dallas", "San Jose", "Austin", "Jacksonville",
  "London", "Paris", "Berlin", "Madrid", "Rome", "Lisbon", "Dublin", "Vienna",
  "Amsterdam", "Brussels", "Zürich", "København", "Kraków", "São Paulo",
  "Aix-en-Provence", "Saint-Étienne", "Stratford-upon-Avon", "Frankfurt am Main",
  "Lyon", "Toulouse", "Oslo", "Helsinki", "Tokyo", "Seoul", "Sydney", "Toronto",
};
static const char *const domains[] = {
  "mail.com", "web.de", "corp.io", "post.net", "inbox.org", "example.com",
};

#define N(a) (sizeof (a) / sizeof (a)[0])

/* Lower-case ASCII letters of @s, for the email's local part. */
static char *
put_local (char *out, const char *s)
{
  for (; *s; s++)
    {
      unsigned char c = (unsigned char) *s;

      if (c >= 'A' && c <= 'Z')
        *out++ = (char) (c + 32);
      else if (c >= 'a' && c <= 'z')
        *out++ = (char) c;
    }
  return out;
}

int
main (int argc, char **argv)
{
  long long rows = argc > 1 ? atoll (argv[1]) : 10000000LL;
  unsigned long long seed = argc > 2 ? strtoull (argv[2], NULL, 10) : 20240531ULL;
  static char out[1 << 20];
  size_t len = 0;

  if (rows < 0)
    {
      fprintf (stderr, "usage: %s [ROWS [SEED]]\n", argv[0]);
      return 2;
    }
  state = seed * UINT64_C (0x9E3779B97F4A7C15) | 1;

  len += (size_t) sprintf (out, "id,name,age,city,score,email\n");
  for (long long id = 1; id <= rows; id++)
    {
      const char *first = first_names[uniform (N (first_names))];
      const char *last = last_names[uniform (N (last_names))];
      const char *city = cities[uniform (N (cities))];
      const char *domain = domains[uniform (N (domains))];
      unsigned style = uniform (1000);
      unsigned age = uniform (100);
      unsigned score = uniform (10001);   /* hundredths */
      unsigned tag = uniform (100);
      char *p;

      if (len > sizeof out - 512)
        {
          if (fwrite (out, 1, len, stdout) != len)
            return 1;
          len = 0;
        }
      p = out + len;
      p += sprintf (p, "%lld,", id);
      if (style < 5)
        p += sprintf (p, "\"%s, \"\"%s\"\" %s\",", last, first, "Jr");
      else if (style < 80)
        p += sprintf (p, "\"%s, %s\",", last, first);
      else
        p += sprintf (p, "%s %s,", first, last);
      p += sprintf (p, "%u,%s,", age, city);
      if (style % 100 == 99)
        ;   /* a missing score */
      else if (score % 100 == 0 && style % 2 == 0)
        p += sprintf (p, "%u.0", score / 100);
      else
        p += sprintf (p, "%u.%02u", score / 100, score % 100);
      *p++ = ',';
      /* j.smith42@mail.com: the initial (ASCII letters only) and the last name */
      {
        char local[32];

        if (put_local (local, first) > local)
          *p++ = local[0];
      }
      *p++ = '.';
      p = put_local (p, last);
      p += sprintf (p, "%u@%s\n", tag, domain);
      len = (size_t) (p - out);
    }
  if (fwrite (out, 1, len, stdout) != len || fflush (stdout) != 0)
    return 1;
  return 0;
}
