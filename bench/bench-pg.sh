#!/bin/bash
# bench-pg.sh: the PostgreSQL adapter against psql, on a throwaway cluster.
# See the "PostgreSQL" section of bench/README.md.
#
#   bench/bench-pg.sh BUILD-DIR [WORK-DIR]
#
# 1. load: the CSV of the CSV filter benchmark (bench-csv-filter-gen, 10
#    million rows, 604 MB) into a table — psql's `\copy` against `setl run`
#    of csv-source → postgres-sink (binary COPY into a new table, swapped
#    in);
# 2. aggregate: a GROUP BY over that table into a new table — postgres-source
#    → postgres-sql → postgres-sink (pushed down: one CREATE TABLE … AS in
#    the server, no row to the client) against postgres-source → sql (SQLite,
#    in the client: every row fetched first) → postgres-sink.
#
# The cluster comes from tests/postgres/pg-harness.sh (initdb in a temporary
# directory, fsync off: the same for every contender), so the script re-runs
# itself under the harness. Environment: ROWS (10000000), SEED (20240531),
# REPEAT (3). Each run goes through /usr/bin/time -v (wall clock, peak RSS);
# the 1-minute load average is printed with every run: the machine is shared.
#
# SPDX-License-Identifier: LGPL-2.1-or-later
set -euo pipefail

src=$(cd "$(dirname "$0")" && pwd)
if [ -z "${SETL_TEST_PG_URI:-}" ]; then
  exec "$src/../tests/postgres/pg-harness.sh" "$0" "$@"
fi

build=${1:?usage: $0 BUILD-DIR [WORK-DIR]}
build=$(cd "$build" && pwd)
work=${2:-/tmp/setl-pgbench}
ROWS=${ROWS:-10000000}
SEED=${SEED:-20240531}
REPEAT=${REPEAT:-3}
mkdir -p "$work"
chmod 0755 "$work"
in=$work/people-$ROWS-$SEED.csv
if [ ! -s "$in" ]; then
  echo "generating $in ($ROWS rows, seed $SEED)…"
  "$build/bench/bench-csv-filter-gen" "$ROWS" "$SEED" > "$in.tmp"
  mv "$in.tmp" "$in"
fi
chmod 0644 "$in"
echo "input: $in, $(stat -c %s "$in") bytes, $ROWS rows; server: $(psql -XAtc 'SHOW server_version')"
cat "$in" > /dev/null

export SETL_PLUGIN_PATH=$build/plugins/csv:$build/plugins/postgres:$build/plugins/sqlite
export SETL_PLUGIN_SYSTEM_PATH=
export SETL_REGISTRY=$work/registry.cache
export SETL_PLUGIN_SCANNER=$build/tools/setl-plugin-scanner
export LD_LIBRARY_PATH=$build/core${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
rm -f "$SETL_REGISTRY"
uri=$SETL_TEST_PG_URI
export PGOPTIONS="-c client_min_messages=warning"   # no NOTICE from DROP … IF EXISTS

cat > "$work/load.setl.json" <<JSON
{ "setl": 1, "name": "pgload",
  "factories": [
    { "name": "read", "feature": "csv-source", "properties": { "path": "$in" } },
    { "name": "save", "feature": "postgres-sink",
      "properties": { "database": "$uri", "table": "people_setl" }, "inputs": "read" } ] }
JSON
query="SELECT city, count(*) AS n, avg(score) AS mean_score, max(age) AS oldest FROM people GROUP BY city"
for mode in pushdown pulled; do
  if [ $mode = pushdown ]; then sql='"feature": "postgres-sql", "properties": { "database": "'$uri'", '; else sql='"feature": "sql", "properties": { '; fi
  cat > "$work/agg-$mode.setl.json" <<JSON
{ "setl": 1, "name": "pgagg",
  "factories": [
    { "name": "people", "feature": "postgres-source", "properties": { "database": "$uri", "table": "people_setl" } },
    { "name": "agg", $sql "query": "$query" }, "inputs": { "people": "people" } },
    { "name": "save", "feature": "postgres-sink",
      "properties": { "database": "$uri", "table": "agg_$mode" }, "inputs": "agg" } ] }
JSON
done

run () {   # NAME COMMAND…: one timed run, a line of results
  local name=$1; shift
  local load; load=$(cut -d' ' -f1 /proc/loadavg)
  /usr/bin/time -v -o "$work/time.txt" "$@" > "$work/out.txt" 2>&1 ||
    { echo "$name failed:"; cat "$work/out.txt" "$work/time.txt"; exit 1; }
  local wall kb
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split ($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i]; print s }' "$work/time.txt")
  kb=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$work/time.txt")
  printf '%-16s %10.2f %14.1f %8s\n' "$name" "$wall" "$(echo "$kb / 1024" | bc -l)" "$load"
  echo "$name $wall" >> "$work/results.txt"
}

"$build/tools/setl" plugins > /dev/null   # the registry cache, outside the timings
: > "$work/results.txt"
printf '%-16s %10s %14s %8s\n' contender "wall (s)" "peak RSS (MB)" load
for ((i = 1; i <= REPEAT; i++)); do
  psql -Xq -c "DROP TABLE IF EXISTS people_psql" \
       -c "CREATE TABLE people_psql (id bigint, name text, age bigint, city text, score double precision, email text)"
  run "psql-\\copy" psql -Xq -c "\\copy people_psql FROM '$in' WITH (FORMAT csv, HEADER true)"
  psql -Xq -c "DROP TABLE IF EXISTS people_setl"
  run "setl-load" "$build/tools/setl" run "$work/load.setl.json"
done
# the same rows either way
[ "$(psql -XAtc "SELECT count(*), sum(id), sum(age), round(sum(score)::numeric, 2), sum(length(name) + length(city) + length(email)) FROM people_psql")" = \
  "$(psql -XAtc "SELECT count(*), sum(id), sum(age), round(sum(score)::numeric, 2), sum(length(name) + length(city) + length(email)) FROM people_setl")" ] ||
  { echo "the two loads differ"; exit 1; }
psql -XAtc "SELECT 'columns of people_setl: ' || string_agg(attname || ' ' || format_type(atttypid, atttypmod), ', ' ORDER BY attnum) FROM pg_attribute WHERE attrelid = 'people_setl'::regclass AND attnum > 0"

for ((i = 1; i <= REPEAT; i++)); do
  run "agg-pushdown" "$build/tools/setl" run "$work/agg-pushdown.setl.json"
  run "agg-pulled" "$build/tools/setl" run "$work/agg-pulled.setl.json"
done
[ "$(psql -XAtc "SELECT city, n, round(mean_score::numeric, 6), oldest FROM agg_pushdown ORDER BY city")" = \
  "$(psql -XAtc "SELECT city, n, round(mean_score::numeric, 6), oldest FROM agg_pulled ORDER BY city")" ] ||
  { echo "the two aggregations differ"; exit 1; }
echo "aggregation: $(psql -XAtc 'SELECT count(*) FROM agg_pushdown') groups, equal either way"

echo
echo "summary (min and median of $REPEAT runs):"
awk '{ w[$1] = w[$1] " " $2 }
  function sortnum (s, a,   n, i, j, t) { n = split (s, a, " ");
    for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j-1] + 0 > a[j] + 0; j--) { t = a[j]; a[j] = a[j-1]; a[j-1] = t }
    return n }
  END { for (k in w) { c = sortnum (w[k], a); min[k] = a[1]; med[k] = a[int ((c + 1) / 2)] }
        printf "%-16s %10s %10s\n", "contender", "min (s)", "median (s)"
        for (k in w) printf "%-16s %10.2f %10.2f\n", k, min[k], med[k]
        printf "setl-load / psql-\\copy (median): %.2f\n", med["setl-load"] / med["psql-\\copy"]
        printf "agg-pulled / agg-pushdown (median): %.2f\n", med["agg-pulled"] / med["agg-pushdown"] }' "$work/results.txt"
echo "uptime: $(uptime)"
