/* setl-csv-copy.h: copying a cell's bytes, shared by the reader (into the
 * column's text) and the writer (into its output buffer).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>
#include <string.h>

G_BEGIN_DECLS

/* memcpy() for the short values of a row (names, cities, emails): two
 * overlapping loads and stores instead of a call; neither side is touched
 * outside [0, n). */
static inline void
setl_csv_copy_short (char *dst, const char *src, gsize n)
{
  if (n >= 8 && n <= 16)
    {
      guint64 a, b;

      memcpy (&a, src, 8);
      memcpy (&b, src + n - 8, 8);
      memcpy (dst, &a, 8);
      memcpy (dst + n - 8, &b, 8);
    }
  else if (n > 16 && n <= 32)
    {
      guint64 a, b, c, d;

      memcpy (&a, src, 8);
      memcpy (&b, src + 8, 8);
      memcpy (&c, src + n - 16, 8);
      memcpy (&d, src + n - 8, 8);
      memcpy (dst, &a, 8);
      memcpy (dst + 8, &b, 8);
      memcpy (dst + n - 16, &c, 8);
      memcpy (dst + n - 8, &d, 8);
    }
  else if (n >= 4 && n < 8)
    {
      guint32 a, b;

      memcpy (&a, src, 4);
      memcpy (&b, src + n - 4, 4);
      memcpy (dst, &a, 4);
      memcpy (dst + n - 4, &b, 4);
    }
  else if (n < 4)
    {
      for (gsize i = 0; i < n; i++)
        dst[i] = src[i];
    }
  else
    memcpy (dst, src, n);
}

G_END_DECLS
