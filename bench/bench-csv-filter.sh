#!/bin/bash
# bench-csv-filter.sh: CSV → filter `age >= 18` → CSV, libsetl against its
# peers and a plain C loop. See the "CSV filter" section of bench/README.md.
#
#   bench/bench-csv-filter.sh BUILD-DIR [WORK-DIR]
#
# BUILD-DIR: a release build of libsetl (meson setup … --buildtype=release).
# WORK-DIR (default /tmp/setl-csvbench): where the input and the outputs go
# (about 550 MB for the input, as much again per output kept at a time).
#
# Environment:
#   ROWS=10000000       rows of the generated input (regenerated if the row
#                       count or seed differs from the file there)
#   SEED=20240531       generator seed
#   REPEAT=3            runs per contender (min and median are printed)
#   CONTENDERS="setl plain mlr pandas sqlite"   which ones, in this order
#   VERIFY=ids|full|none  ids (default): every output has the same number of
#                       rows and the same ids in the same order; full: also
#                       the same values after normalisation
#                       (bench-csv-filter-digest.py, slow: ~30 s per output)
#   KEEP=1              keep the input and outputs
#
# Outputs are removed and the page cache written back (sync) before every
# run, so each contender writes a new file with an idle disk queue.
#
# Each run goes through /usr/bin/time -v: wall-clock time and peak RSS
# (maximum resident set size). The 1-minute load average is printed with
# every run: the machine is shared.
#
# SPDX-License-Identifier: LGPL-2.1-or-later
set -euo pipefail

build=${1:?usage: $0 BUILD-DIR [WORK-DIR]}
build=$(cd "$build" && pwd)
work=${2:-/tmp/setl-csvbench}
src=$(cd "$(dirname "$0")" && pwd)
ROWS=${ROWS:-10000000}
SEED=${SEED:-20240531}
REPEAT=${REPEAT:-3}
CONTENDERS=${CONTENDERS:-"setl plain mlr pandas sqlite"}
VERIFY=${VERIFY:-ids}
python=/usr/bin/python3

mkdir -p "$work"
in=$work/people-$ROWS-$SEED.csv
if [ ! -s "$in" ]; then
  echo "generating $in ($ROWS rows, seed $SEED)…"
  "$build/bench/bench-csv-filter-gen" "$ROWS" "$SEED" > "$in.tmp"
  mv "$in.tmp" "$in"
fi
echo "input: $in, $(stat -c %s "$in") bytes, $ROWS rows"
# Every contender reads the input from the page cache: read it once first.
cat "$in" > /dev/null

# The libsetl contender finds the built plugins through the registry.
export SETL_PLUGIN_PATH=$build/plugins/csv:$build/plugins/transforms
export SETL_PLUGIN_SYSTEM_PATH=
export SETL_REGISTRY=$work/registry.cache
export SETL_PLUGIN_SCANNER=$build/tools/setl-plugin-scanner
export LD_LIBRARY_PATH=$build/core${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
rm -f "$SETL_REGISTRY"

run_contender () {
  local name=$1 out=$2
  case $name in
    setl)   "$build/bench/bench-csv-filter-setl" "$in" "$out" ;;
    plain)  "$build/bench/bench-csv-filter-plain" "$in" "$out" ;;
    mlr)    mlr --csv filter '$age >= 18' "$in" > "$out" ;;
    pandas) "$python" -c '
import sys, pandas as pd
df = pd.read_csv(sys.argv[1])
df[df["age"] >= 18].to_csv(sys.argv[2], index=False)
' "$in" "$out" ;;
    sqlite)
      # An on-disk database in the work directory (an in-memory one would
      # hold the whole file), typed columns so that age compares as a number,
      # no journal and no sync to give it every chance.
      rm -f "$work/people.db"
      sqlite3 "$work/people.db" > /dev/null <<EOF
PRAGMA journal_mode=OFF;
PRAGMA synchronous=OFF;
CREATE TABLE people (id INTEGER, name TEXT, age INTEGER, city TEXT, score REAL, email TEXT);
.import --csv --skip 1 $in people
.headers on
.mode csv
.output $out
SELECT * FROM people WHERE age >= 18;
EOF
      rm -f "$work/people.db" ;;
    *) echo "unknown contender $name" >&2; return 1 ;;
  esac
}
export -f run_contender
export build in work python

# The registry cache is built once, outside the timings.
"$build/bench/bench-csv-filter-setl" "$in" "$work/warmup.csv" "id < 0" >/dev/null 2>&1 || true
rm -f "$work/warmup.csv"

declare -A walls rss
results=$work/results.txt
: > "$results"
printf '%-8s %4s %10s %12s %8s\n' contender run "wall (s)" "peak RSS (MB)" load
for name in $CONTENDERS; do
  out=$work/out-$name.csv
  for ((i = 1; i <= REPEAT; i++)); do
    # Every run writes a new file with no write-back of an earlier run
    # pending: replacing a file that still has dirty pages makes ext4 flush
    # them first (auto_da_alloc), which would charge one run for another.
    rm -f "$out"
    sync
    load=$(cut -d' ' -f1 /proc/loadavg)
    /usr/bin/time -v -o "$work/time.txt" bash -c "run_contender $name $out" 2> "$work/stderr.txt" ||
      { echo "$name failed:"; cat "$work/stderr.txt" "$work/time.txt"; exit 1; }
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split ($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i]; print s }' "$work/time.txt")
    kb=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$work/time.txt")
    printf '%-8s %4d %10.2f %12.1f %8s\n' "$name" "$i" "$wall" "$(echo "$kb / 1024" | bc -l)" "$load"
    echo "$name $wall $kb $load" >> "$results"
  done
done

echo
echo "summary (min and median of $REPEAT runs; ratio = median / libsetl's median):"
awk -v order="$CONTENDERS" '
  { w[$1] = w[$1] " " $2; r[$1] = ($3 > r[$1] ? $3 : r[$1]) }
  function sortnum (s, a,   n, i, j, t) { n = split (s, a, " ");
    for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j-1] + 0 > a[j] + 0; j--) { t = a[j]; a[j] = a[j-1]; a[j-1] = t }
    return n }
  END {
    n = split (order, names, " ")
    for (k = 1; k <= n; k++) { c = sortnum (w[names[k]], a); min[names[k]] = a[1]; med[names[k]] = a[int ((c + 1) / 2)] }
    printf "%-8s %10s %10s %14s %10s\n", "contender", "min (s)", "median (s)", "max RSS (MB)", "ratio"
    for (k = 1; k <= n; k++) {
      m = names[k]
      printf "%-8s %10.2f %10.2f %14.1f %10s\n", m, min[m], med[m], r[m] / 1024,
             ("setl" in med) ? sprintf ("%.2f", med[m] / med["setl"]) : "-"
    }
  }' "$results"

echo
case $VERIFY in
  none) ;;
  ids|full)
    echo "checking the outputs (rows, ids$([ "$VERIFY" = full ] && echo ', normalised values'))…"
    ref=
    for name in $CONTENDERS; do
      out=$work/out-$name.csv
      sum=$(tail -n +2 "$out" | cut -d, -f1 | md5sum | cut -d' ' -f1)
      rows=$(($(wc -l < "$out") - 1))
      line="$name: $rows rows, ids md5 $sum"
      if [ "$VERIFY" = full ]; then
        line="$line, values $("$python" "$src/bench-csv-filter-digest.py" "$out")"
      fi
      echo "$line"
      key=${line#*: }
      if [ -z "$ref" ]; then ref=$key
      elif [ "$key" != "$ref" ]; then echo "MISMATCH: $name differs from ${CONTENDERS%% *}"; status=1; fi
    done
    ;;
esac

if [ -z "${KEEP:-}" ]; then
  rm -f "$in" "$work"/out-*.csv "$work/time.txt" "$work/stderr.txt" "$work/registry.cache" "$results"
  rmdir "$work" 2>/dev/null || true
fi
exit ${status:-0}
