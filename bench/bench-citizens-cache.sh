#!/bin/bash
# bench-citizens-cache.sh: the README's example pipeline
# (examples/citizens/citizens.setl.json) run by `setl run` with the disk
# cache, cold (empty cache directory) then warm (unchanged, a new process
# each time), ROUNDS times; prints the medians and warm/cold. The time
# compared is the one `setl run` prints ("pipeline … succeeded in T"): the
# whole run, from the first lookup to the last sink, as a user sees it.
# See "Caching" in bench/README.md.
#
#   bench/bench-citizens-cache.sh BUILD-DIR [WORK-DIR]
#
# Environment: ROUNDS (5), WARM (9 warm runs a round).
#
# SPDX-License-Identifier: LGPL-2.1-or-later
set -euo pipefail

build=${1:?usage: $0 BUILD-DIR [WORK-DIR]}
build=$(cd "$build" && pwd)
src=$(cd "$(dirname "$0")/.." && pwd)
work=${2:-/tmp/setl-citizensbench}
ROUNDS=${ROUNDS:-5}
WARM=${WARM:-9}

rm -rf "$work"
mkdir -p "$work"
cp -r "$src/examples/citizens" "$work/"
cd "$work"   # the pipeline writes its outputs in the current directory
export SETL_PLUGIN_PATH="$build/plugins"
export SETL_PLUGIN_SYSTEM_PATH=
export SETL_REGISTRY="$work/registry.json"
export SETL_PLUGIN_SCANNER="$build/tools/setl-plugin-scanner"
setl="$build/tools/setl"
file="$work/citizens/citizens.setl.json"

# Milliseconds of one run, as `setl run` prints them.
run_ms () {
  "$setl" run --cache "$work/cache" "$file" 2>&1 |
    sed -n 's/.*succeeded in \([0-9.]*\) \(s\|ms\|µs\)$/\1 \2/p' |
    awk '{ f = ($2 == "s") ? 1000 : ($2 == "ms") ? 1 : 0.001; printf "%.4f\n", $1 * f }'
}

median () {
  sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.4f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

echo "load: $(uptime)"
"$setl" run --no-cache "$file" > /dev/null   # the registry, the page cache
colds=() warms=()
for _ in $(seq "$ROUNDS"); do
  rm -rf "$work/cache"
  colds+=("$(run_ms)")
  for _ in $(seq "$WARM"); do
    warms+=("$(run_ms)")
  done
done
hits=$("$setl" run --cache "$work/cache" "$file" 2>&1 | sed -n 's/^cache: \([0-9]*\) hits.*/\1/p')
cold=$(printf '%s\n' "${colds[@]}" | median)
warm=$(printf '%s\n' "${warms[@]}" | median)
wmin=$(printf '%s\n' "${warms[@]}" | sort -n | head -1)
wmax=$(printf '%s\n' "${warms[@]}" | sort -n | tail -1)
printf 'cold  median %8.3f ms  (%s)\n' "$cold" "${colds[*]}"
printf 'warm  median %8.3f ms  (min %s, max %s, %s runs; %s of 6 factories hit)\n' \
  "$warm" "$wmin" "$wmax" "${#warms[@]}" "$hits"
awk -v w="$warm" -v c="$cold" 'BEGIN { printf "warm/cold %6.2f %%\n", 100 * w / c }'
echo "load: $(uptime)"
rm -rf "$work"
