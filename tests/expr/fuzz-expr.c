/* fuzz-expr.c: a fuzz target for the expression parser, checker and
 * evaluator.
 *
 * Built as a normal program: `fuzz-expr FILE…` (or input on stdin) runs
 * each input once, for reproducing a crash. Built with clang and
 * -fsanitize=fuzzer (and -DSETL_LIBFUZZER), it is a libFuzzer target:
 *
 *   clang -g -O1 -fsanitize=fuzzer,address -DSETL_LIBFUZZER \
 *     tests/expr/fuzz-expr.c $(pkg-config --cflags --libs setl-1)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "expr-fuzz-common.h"

#include <stdint.h>
#include <stdio.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  fuzz_expr_one (data, size);
  return 0;
}

#ifndef SETL_LIBFUZZER
int
main (int argc, char *argv[])
{
  if (argc < 2)
    {
      GByteArray *input = g_byte_array_new ();
      guint8 buffer[4096];
      size_t n;

      while ((n = fread (buffer, 1, sizeof buffer, stdin)) > 0)
        g_byte_array_append (input, buffer, (guint) n);
      LLVMFuzzerTestOneInput (input->data, input->len);
      g_byte_array_unref (input);
      return 0;
    }
  for (int i = 1; i < argc; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *contents = NULL;
      gsize length;

      if (!g_file_get_contents (argv[i], &contents, &length, &error))
        {
          g_printerr ("%s\n", error->message);
          return 1;
        }
      LLVMFuzzerTestOneInput ((const uint8_t *) contents, length);
    }
  return 0;
}
#endif
