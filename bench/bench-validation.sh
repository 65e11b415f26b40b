#!/bin/sh
# bench-validation.sh BUILD_DIR [ROWS]: validation of the 10-million-row
# people.csv (bench-csv-filter-gen) against bench-validation.schema.json —
# in_range on age, a regex on email, not-null on name, unique id — against
# reading the file without validating, and against pandas doing the same
# checks by hand. Checks that the counts are equal, prints times, ratios and
# peak memory. The CSV is kept in $BENCH_DIR (default /tmp/setl-bench-validation).
set -eu
BUILD=$(cd "${1:?usage: bench-validation.sh BUILD_DIR [ROWS]}" && pwd)
ROWS=${2:-10000000}
HERE=$(cd "$(dirname "$0")" && pwd)
DIR=${BENCH_DIR:-/tmp/setl-bench-validation}
mkdir -p "$DIR"
CSV="$DIR/people-$ROWS.csv"
[ -s "$CSV" ] || "$BUILD/bench/bench-csv-filter-gen" "$ROWS" > "$CSV"

export SETL_PLUGIN_PATH="$BUILD/plugins"
export SETL_PLUGIN_SYSTEM_PATH="$DIR/no-system-plugins"
export SETL_REGISTRY="$DIR/registry.cache"
export SETL_PLUGIN_SCANNER="$BUILD/tools/setl-plugin-scanner"
export LD_LIBRARY_PATH="$BUILD/core${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"

echo "load: $(uptime)"
echo "file: $CSV ($(du -h "$CSV" | cut -f1), $ROWS rows)"
"$BUILD/bench/bench-validation" read "$CSV" > /dev/null   # warm the page cache and the registry
READ=$("$BUILD/bench/bench-validation" read "$CSV")
VALIDATE=$("$BUILD/bench/bench-validation" validate "$CSV" "$HERE/bench-validation.schema.json")
PANDAS=$(/usr/bin/python3 "$HERE/bench-validation-pandas.py" "$CSV")
echo "read:     $READ"
echo "validate: $VALIDATE"
echo "pandas:   $PANDAS"
/usr/bin/python3 - "$READ" "$VALIDATE" "$PANDAS" <<'PY'
import json, sys
read, val, pd = (json.loads(a) for a in sys.argv[1:4])
same = val["counts"] == pd["counts"] and val["rows"] == pd["rows"]
print("counts equal: %s" % ("yes" if same else "NO: %r vs %r" % (val["counts"], pd["counts"])))
print("validation adds %.1f %% to reading the CSV (%.2f s → %.2f s)"
      % (100 * (val["seconds"] - read["seconds"]) / read["seconds"], read["seconds"], val["seconds"]))
print("setl is %.1f× faster than pandas (%.2f s vs %.2f s)" % (pd["seconds"] / val["seconds"], val["seconds"], pd["seconds"]))
print("peak memory: read %.0f MB, validate %.0f MB, pandas %.0f MB"
      % (read["peak_rss_mb"], val["peak_rss_mb"], pd["peak_rss_mb"]))
sys.exit(0 if same else 1)
PY
