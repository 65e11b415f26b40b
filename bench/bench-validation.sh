#!/bin/sh
# bench-validation.sh BUILD_DIR [ROWS]: validation of the 10-million-row
# people.csv (bench-csv-filter-gen) against bench-validation.schema.json —
# in_range on age, a regex on email, not-null on name, unique id — against
# reading the file without validating, and against pandas doing the same
# checks by hand. Checks that the counts are equal, prints times, ratios and
# peak memory. The CSV is kept in $BENCH_DIR (default /tmp/setl-bench-validation).
#
# Each contender runs REPEAT times (default 5; PANDAS_REPEAT for pandas,
# default REPEAT), interleaved round by round so that a burst of load from
# elsewhere hits them alike, after one warm-up run of each setl mode; the
# summary gives the minimum and the median, and the ratios are computed
# from the medians. Contenders:
#   read         csv-source, batches taken as the validator takes them (read
#                ahead on a second thread, depth 2)
#   read-direct  csv-source, batches taken with setl_batch_stream_open()
#   validate     csv-source → SetlValidator (lazy)
#   pandas       bench-validation-pandas.py
# "Validation adds" is measured against the faster of the two reads, by
# medians and by the fastest runs. Runs here swing by ±15 % from one to
# the next, so a median of 7 moves by several per cent: with REPEAT=31,
# five series in a row agreed within 4.5 points (bench/README.md, session 5).
set -eu
BUILD=$(cd "${1:?usage: bench-validation.sh BUILD_DIR [ROWS]}" && pwd)
ROWS=${2:-10000000}
REPEAT=${REPEAT:-5}
PANDAS_REPEAT=${PANDAS_REPEAT:-$REPEAT}
HERE=$(cd "$(dirname "$0")" && pwd)
DIR=${BENCH_DIR:-/tmp/setl-bench-validation}
mkdir -p "$DIR"
CSV="$DIR/people-$ROWS.csv"
[ -s "$CSV" ] || "$BUILD/bench/bench-csv-filter-gen" "$ROWS" > "$CSV"
SCHEMA="$HERE/bench-validation.schema.json"

export SETL_PLUGIN_PATH="$BUILD/plugins"
export SETL_PLUGIN_SYSTEM_PATH="$DIR/no-system-plugins"
export SETL_REGISTRY="$DIR/registry.cache"
export SETL_PLUGIN_SCANNER="$BUILD/tools/setl-plugin-scanner"
export LD_LIBRARY_PATH="$BUILD/core${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"

RESULTS=$(mktemp)
trap 'rm -f "$RESULTS"' EXIT

echo "load before: $(uptime)"
echo "file: $CSV ($(du -h "$CSV" | cut -f1), $ROWS rows); $REPEAT runs a contender ($PANDAS_REPEAT for pandas)"
# Warm-up: the page cache, the plugin registry, the allocator's first touch.
"$BUILD/bench/bench-validation" read "$CSV" > /dev/null
"$BUILD/bench/bench-validation" validate "$CSV" "$SCHEMA" > /dev/null
i=1
while [ "$i" -le "$REPEAT" ] || [ "$i" -le "$PANDAS_REPEAT" ]; do
  if [ "$i" -le "$REPEAT" ]; then
    "$BUILD/bench/bench-validation" read "$CSV" >> "$RESULTS"
    "$BUILD/bench/bench-validation" read-direct "$CSV" >> "$RESULTS"
    "$BUILD/bench/bench-validation" validate "$CSV" "$SCHEMA" >> "$RESULTS"
  fi
  if [ "$i" -le "$PANDAS_REPEAT" ]; then
    /usr/bin/python3 "$HERE/bench-validation-pandas.py" "$CSV" >> "$RESULTS"
  fi
  i=$((i + 1))
done
echo "load after:  $(uptime)"
/usr/bin/python3 - "$RESULTS" <<'PY'
import json, statistics, sys
runs = {}
for line in open(sys.argv[1]):
    r = json.loads(line)
    runs.setdefault(r["mode"], []).append(r)
def stat(mode, key="seconds"):
    v = [r[key] for r in runs[mode]]
    return min(v), statistics.median(v)
print("%-12s %5s %9s %9s %13s %8s %10s   all runs (s)"
      % ("", "runs", "min s", "median s", "median CPU s", "peak MB", "faults"))
for mode in ("read", "read-direct", "validate", "pandas"):
    lo, med = stat(mode)
    faults = [r["minor_faults"] for r in runs[mode] if "minor_faults" in r]
    print("%-12s %5d %9.3f %9.3f %13.3f %8.0f %10s   %s"
          % (mode, len(runs[mode]), lo, med, stat(mode, "cpu_seconds")[1],
             max(r["peak_rss_mb"] for r in runs[mode]),
             "%d" % statistics.median(faults) if faults else "",
             " ".join("%.2f" % r["seconds"] for r in runs[mode])))
pd = runs["pandas"][0]
same = all(r["counts"] == pd["counts"] and r["rows"] == pd["rows"] for r in runs["validate"] + runs["pandas"])
print("counts equal: %s %s" % ("yes" if same else "NO", json.dumps(pd["counts"])))
if not same:
    for r in runs["validate"] + runs["pandas"]:
        print("  %s: %r" % (r["mode"], r["counts"]))
read_mode = min(("read", "read-direct"), key=lambda m: stat(m)[1])
read = stat(read_mode)[1]
val = stat("validate")[1]
pandas = stat("pandas")[1]
print("validation adds %+.1f %% to reading the CSV (medians: %s %.3f s → validate %.3f s)"
      % (100 * (val - read) / read, read_mode, read, val))
# The fastest runs: this machine's noise only ever slows a run down, so
# the fastest of each is the closest to its own cost.
print("validation adds %+.1f %% by the fastest runs (%s %.3f s → validate %.3f s)"
      % (100 * (stat("validate")[0] - min(stat("read")[0], stat("read-direct")[0]))
         / min(stat("read")[0], stat("read-direct")[0]),
         min(("read", "read-direct"), key=lambda m: stat(m)[0]),
         min(stat("read")[0], stat("read-direct")[0]), stat("validate")[0]))
print("setl is %.1f× faster than pandas (medians: %.3f s vs %.3f s)" % (pandas / val, val, pandas))
sys.exit(0 if same else 1)
PY
