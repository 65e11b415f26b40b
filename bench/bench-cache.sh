#!/bin/bash
# bench-cache.sh: the 10-million-row pipeline (csv-source → filter
# `age >= 18` → csv-sink) run by `setl run` with the disk cache: without a
# cache, cold (empty cache directory), then warm (unchanged, a new process
# each time). See the "Caching" section of bench/README.md.
#
#   bench/bench-cache.sh BUILD-DIR [WORK-DIR]
#
# BUILD-DIR: a build of libsetl with the csv, transforms and cache-disk
# plugins. WORK-DIR (default /tmp/setl-cachebench): input, output and cache
# directory (about 600 MB input, 500 MB output, the cache as much again,
# compressed).
#
# Environment: ROWS (10000000), SEED (20240531), REPEAT (5 warm runs),
# LEVEL (with VERIFY=0: the disk cache's compression-level),
# KEEP=1 to keep the work directory, VERIFY=0 to have the disk cache check
# only an entry's header and metadata at lookup (its "verify" option; the
# batches' checksums are then checked when a table is loaded, and a damaged
# one makes the pipeline run its factory after all). The in-process figures (memory cache,
# and the README's example pipeline) come from BUILD-DIR/bench/bench-cache.
#
# SPDX-License-Identifier: LGPL-2.1-or-later
set -euo pipefail

build=${1:?usage: $0 BUILD-DIR [WORK-DIR]}
build=$(cd "$build" && pwd)
work=${2:-/tmp/setl-cachebench}
ROWS=${ROWS:-10000000}
SEED=${SEED:-20240531}
REPEAT=${REPEAT:-5}

mkdir -p "$work"
cd "$work"
export SETL_PLUGIN_PATH="$build/plugins"
export SETL_PLUGIN_SYSTEM_PATH=
export SETL_REGISTRY="$work/registry.json"
export SETL_PLUGIN_SCANNER="$build/tools/setl-plugin-scanner"
setl="$build/tools/setl"

if [ ! -f people.csv ] || [ "$(cat people.rows 2>/dev/null)" != "$ROWS $SEED" ]; then
  echo "generating $ROWS rows…"
  "$build/bench/bench-csv-filter-gen" "$ROWS" "$SEED" > people.csv
  echo "$ROWS $SEED" > people.rows
fi

cat > adults.json <<'EOF'
{
  "setl": 1,
  "name": "adults",
  "factories": {
    "people": { "feature": "csv-source", "properties": { "path": "people.csv" } },
    "adults": { "feature": "filter", "properties": { "where": "age >= 18" },
                "inputs": { "in": "people" } },
    "out":    { "feature": "csv-sink", "properties": { "path": "adults.csv" },
                "inputs": { "in": "adults" } }
  }
}
EOF

# The cache: the file's "cache" member when VERIFY=0, else --cache DIR.
if [ "${VERIFY:-1}" = 0 ]; then
  # LEVEL: the disk cache's compression-level (default: the property's).
  sed "s/\"name\": \"adults\",/\"name\": \"adults\", \"cache\": { \"policy\": \"disk\", \"dir\": \"cache\", \"verify\": false${LEVEL:+, \"compression-level\": $LEVEL} },/" \
    adults.json > adults-cached.json
  cache_args=(--report)
  file=adults-cached.json
else
  cache_args=(--cache cache --report)
  file=adults.json
fi

# Wall-clock seconds, peak RSS and CPU seconds (user + system, all
# threads: steadier than the wall clock on a shared machine) of one
# `setl run`.
run () {
  /usr/bin/time -f "%e %M %U %S" -o time.txt "$setl" run "$file" -q "$@" > /dev/null
  read -r secs rss user sys < time.txt
  echo "$secs $rss $(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')"
}

echo "load: $(uptime)"
"$setl" run adults.json -q --no-cache > /dev/null   # warms the page cache
read -r nocache nocache_rss nocache_cpu < <(run --no-cache)
rm -rf cache
read -r cold cold_rss cold_cpu < <(run "${cache_args[@]}" cold.json)
warms=()
for _ in $(seq "$REPEAT"); do
  read -r warm _ _ < <(run "${cache_args[@]}" warm.json)
  warms+=("$warm")
done
median=$(printf '%s\n' "${warms[@]}" | sort -n | sed -n "$(( (REPEAT + 1) / 2 ))p")
hits=$(grep -c '"status" : "hit"' warm.json || true)

printf 'rows %s, input %s, cache %s (verify at lookup: %s)\n' "$ROWS" "$(du -h people.csv | cut -f1)" \
  "$(du -sh cache | cut -f1)" "${VERIFY:-1}"
printf 'no cache  %8.3f s  (peak RSS %s KB, CPU %s s)\n' "$nocache" "$nocache_rss" "$nocache_cpu"
printf 'cold      %8.3f s  (peak RSS %s KB, CPU %s s)\n' "$cold" "$cold_rss" "$cold_cpu"
printf 'warm      %8.3f s  (median of %s: %s)  %s of 3 factories hit\n' "$median" "$REPEAT" "${warms[*]}" "$hits"
awk -v w="$median" -v c="$cold" 'BEGIN { printf "warm/cold %7.2f %%\n", 100 * w / c }'
echo "load: $(uptime)"

if [ "${KEEP:-0}" != 1 ]; then
  rm -rf cache adults.csv adults-cached.json cold.json warm.json time.txt
fi
