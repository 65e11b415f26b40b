#!/bin/sh
# The SDK template, built out of tree against an installed libsetl only.
#
# 1. Installs this build tree into a temporary staging directory
#    (`meson install --destdir`), and relocates its setl-1.pc there.
# 2. Configures and builds sdk/template/ with PKG_CONFIG_PATH pointing at the
#    staged install alone, and checks it compiled against the staged headers.
# 3. Runs the template's own tests (the registry finds the plugin through
#    SETL_PLUGIN_PATH and uses it in a pipeline), then the staged `setl
#    plugins`, `setl inspect` and `setl-plugin-check` on the built plugin.
#
# The staged libsetl was configured for its real prefix, so the staged
# scanner helper is named through SETL_PLUGIN_SCANNER and the staged
# libraries through LD_LIBRARY_PATH.
#
# The template is configured with this tree's b_sanitize and b_lundef
# (arguments 8 and 9): executables that load a sanitized libsetl must be
# sanitized themselves.
#
# Standard output is TAP, read by the outer `meson test`: the nested meson
# commands write to log files, shown on standard error when a step fails.
set -eu

MESON=$1 BUILD=$2 TEMPLATE=$3 PREFIX=$4 LIBDIR=$5 BINDIR=$6 LIBEXECDIR=$7
SANITIZE=${8:-none} LUNDEF=${9:-true}

fail () { echo "not ok - $*"; exit 1; }
# Shows log files on standard error, never on the TAP stream.
show () { for f in "$@"; do [ -f "$f" ] && { echo "--- $f" && cat "$f"; } >&2; done; return 0; }

echo "1..6"

TMP=$(mktemp -d "${TMPDIR:-/tmp}/setl-sdk-XXXXXX")
trap 'rm -rf "$TMP"' EXIT
STAGE=$TMP/stage
ROOT=$STAGE$PREFIX

"$MESON" install -C "$BUILD" --destdir "$STAGE" --no-rebuild --quiet >"$TMP/install.log" 2>&1 ||
  { show "$TMP/install.log"; fail "meson install --destdir"; }
test -f "$ROOT/include/setl-1/setl/setl-plugin.h" || fail "setl-plugin.h not installed"
echo "ok 1 - libsetl installed into $STAGE"

mkdir "$TMP/pkgconfig"
sed "s|^prefix=.*|prefix=$ROOT|" "$ROOT/$LIBDIR/pkgconfig/setl-1.pc" > "$TMP/pkgconfig/setl-1.pc"
export PKG_CONFIG_PATH="$TMP/pkgconfig"
unset PKG_CONFIG_LIBDIR || true
test "$(pkg-config --variable=plugindir setl-1)" = "$ROOT/$LIBDIR/setl-1/plugins" ||
  fail "plugindir of the staged setl-1.pc: $(pkg-config --variable=plugindir setl-1)"

export LD_LIBRARY_PATH="$ROOT/$LIBDIR"
export SETL_PLUGIN_SCANNER="$ROOT/$LIBEXECDIR/setl-1/setl-plugin-scanner"
test -x "$SETL_PLUGIN_SCANNER" || fail "scanner not installed at $SETL_PLUGIN_SCANNER"

"$MESON" setup "$TMP/template-build" "$TEMPLATE" \
    -Db_sanitize="$SANITIZE" -Db_lundef="$LUNDEF" >"$TMP/setup.log" 2>&1 ||
  { show "$TMP/setup.log"; fail "meson setup of the template"; }
ninja -C "$TMP/template-build" >"$TMP/build.log" 2>&1 ||
  { show "$TMP/build.log"; fail "building the template"; }
grep -q -- "-I$ROOT/include/setl-1" "$TMP/template-build/compile_commands.json" ||
  fail "the template was not compiled against the staged headers"
if grep -q -- "$BUILD" "$TMP/template-build/compile_commands.json"; then
  fail "the template saw the build tree"
fi
PLUGIN=$TMP/template-build/setl-example.so
test -f "$PLUGIN" || fail "no plugin built"
echo "ok 2 - template built against the staged install only"

"$MESON" test -C "$TMP/template-build" --no-rebuild >"$TMP/test.log" 2>&1 ||
  { show "$TMP/test.log" "$TMP/template-build/meson-logs/testlog.txt"; fail "the template's tests"; }
echo "ok 3 - the template's tests pass (registry + pipeline)"

export SETL_PLUGIN_PATH="$TMP/template-build"
export SETL_PLUGIN_SYSTEM_PATH=""
export SETL_REGISTRY="$TMP/registry.json"

"$ROOT/$BINDIR/setl" plugins > "$TMP/plugins.txt" || fail "setl plugins"
grep -q "^example 0.1.0" "$TMP/plugins.txt" || { show "$TMP/plugins.txt"; fail "setl plugins does not list the template"; }
grep -q "source *example-counter" "$TMP/plugins.txt" || fail "setl plugins: no example-counter"
grep -q "$PLUGIN" "$TMP/plugins.txt" || fail "setl plugins: no path"
echo "ok 4 - setl plugins lists it"

"$ROOT/$BINDIR/setl" inspect example-counter > "$TMP/inspect.txt" || fail "setl inspect"
grep -q "count *: How many numbers to add up" "$TMP/inspect.txt" || { show "$TMP/inspect.txt"; fail "setl inspect"; }
echo "ok 5 - setl inspect describes it"

"$ROOT/$BINDIR/setl-plugin-check" "$PLUGIN" > "$TMP/check.txt" ||
  { show "$TMP/check.txt"; fail "setl-plugin-check"; }
grep -q " 0 failed" "$TMP/check.txt" || fail "setl-plugin-check summary"
echo "ok 6 - setl-plugin-check passes"
