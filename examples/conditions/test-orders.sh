#!/bin/bash
# Runs the conditions example with the real plugins and checks:
#  1. the big orders are written (CSV by default), each with its variant;
#  2. with no big order the writing is skipped, its reason in the report,
#     and no file is left;
#  3. `setl check` shows the switch's arms, one pruned by --param format;
#  4. the variant of a customer does not change from one run to the next.
# Usage: test-orders.sh SETL_TOOL SOURCE_DIR
set -euo pipefail
setl=$1
src=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "not ok - $*"; exit 1; }
export SETL_REGISTRY=$work/registry.cache

echo "1..4"

# id of the orders of at least MIN, as the awk of the data says
expected() { awk -F, -v min="$1" 'NR > 1 && $3 + 0 >= min { print $1 }' "$src/data/orders.csv"; }

"$setl" run "$src/orders.setl.json" --param output_dir="$work" --report "$work/r1.json" --quiet \
  >"$work/run.log" 2>&1 || { cat "$work/run.log"; fail "setl run"; }
[ "$(tail -n +2 "$work/big-orders.csv" | cut -d, -f1 | tr '\n' ' ')" = "$(expected 500 | tr '\n' ' ')" ] \
  || fail "big-orders.csv: $(cat "$work/big-orders.csv")"
head -1 "$work/big-orders.csv" | grep -qx 'id,customer,amount,country,variant' || fail "no variant column"
tail -n +2 "$work/big-orders.csv" | cut -d, -f5 | grep -qvx 'control\|offer' && fail "a row without a variant"
echo "ok 1 - $(expected 500 | wc -l) big orders written, each with its variant"

rm -f "$work/big-orders.csv"
"$setl" run "$src/orders.setl.json" --param output_dir="$work" --param min_amount=1000000 \
  --report "$work/r2.json" >"$work/run2.log" 2>&1 || { cat "$work/run2.log"; fail "setl run (none big)"; }
[ ! -e "$work/big-orders.csv" ] || fail "big-orders.csv written with no big order"
grep -q '"reason" : "its condition “write: default, when $big.row_count > 0” is false"' "$work/r2.json" \
  || fail "the report does not say why: $(cat "$work/r2.json")"
grep -q 'skipped   write.default (csv-sink)' "$work/run2.log" || fail "setl run does not say it skipped: $(cat "$work/run2.log")"
echo "ok 2 - nothing big: writing skipped, with its reason"

"$setl" check "$src/orders.setl.json" --param format=jsonl >"$work/check.log"
grep -q 'when: write: case .jsonl., when $big.row_count > 0 (dynamic' "$work/check.log" || fail "check: $(cat "$work/check.log")"
grep -q 'pruned: its condition “write: default, when $big.row_count > 0” is false' "$work/check.log" \
  || fail "check does not show the pruned arm: $(cat "$work/check.log")"
echo "ok 3 - setl check shows the arms and the pruned one"

"$setl" run "$src/orders.setl.json" --param output_dir="$work" --quiet >/dev/null 2>&1 || fail "setl run (again)"
tail -n +2 "$work/big-orders.csv" | cut -d, -f2,5 > "$work/v2"
"$setl" run "$src/orders.setl.json" --param output_dir="$work" --quiet >/dev/null 2>&1 || fail "setl run (3)"
tail -n +2 "$work/big-orders.csv" | cut -d, -f2,5 | cmp -s - "$work/v2" || fail "variants changed between runs"
echo "ok 4 - the same customers, the same variants"
