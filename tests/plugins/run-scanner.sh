#!/bin/sh
# The plugin tests' SETL_PLUGIN_SCANNER: runs the real scanner helper
# (SETL_TEST_SCANNER) with AddressSanitizer's signal handlers off.
#
# Some fixtures crash on purpose (broken-init-segv, broken-init-abort) and
# the tests check that the registry sees the signal and blacklists the file.
# In the sanitizer build ASan would catch the SIGSEGV itself, print a report
# and exit with status 1, so the registry would never see a signal. Only the
# scanner child runs this way: the test processes, `setl` and
# `setl-plugin-check` keep every ASan check, and the scanner keeps leak and
# memory-error detection; only the deadly-signal handlers are off. In a
# plain build ASAN_OPTIONS is read by no one.
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}handle_segv=0:handle_abort=0:handle_sigbus=0:handle_sigfpe=0:handle_sigill=0"
export ASAN_OPTIONS
exec "${SETL_TEST_SCANNER:?the real scanner helper is not set}" "$@"
