#!/bin/bash
# Runs setl-example-citizens twice and checks what it did:
#  1. on the shipped data: it succeeds, the result counts every citizen of
#     citizens.csv exactly once, and the run report says it succeeded;
#  2. on data with a citizen of an unlisted country: it fails, names the
#     factory and the citizen, and leaves no result file behind.
# Usage: test-citizens.sh EXAMPLE DATA_DIR
set -euo pipefail
example=$1
data=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "not ok - $*"; exit 1; }

echo "1..2"

"$example" --data-dir "$data" --output-dir "$work/good" >"$work/good.log" 2>&1 \
  || { cat "$work/good.log"; fail "run on the shipped data"; }
result="$work/good/citizens-per-country.csv"
[ -f "$result" ] || fail "no $result"
expected=$(tail -n +2 "$data/citizens.csv" | grep -c .)
counted=$(tail -n +2 "$result" | awk -F, '{ n += $3 } END { print n + 0 }')
[ "$counted" = "$expected" ] || fail "counted $counted citizens, citizens.csv has $expected"
countries=$(tail -n +2 "$data/countries.csv" | grep -c .)
rows=$(tail -n +2 "$result" | grep -c .)
[ "$rows" = "$countries" ] || fail "$rows result rows for $countries countries"
grep -q '"succeeded" : true' "$work/good/citizens-run-report.json" \
  || fail "the run report does not say the run succeeded"
echo "ok 1 - counts $counted citizens in $rows countries"

mkdir "$work/bad-data"
cp "$data/countries.csv" "$work/bad-data/"
{ cat "$data/citizens.csv"; echo "Zed Nobody,ZZ,1990"; } >"$work/bad-data/citizens.csv"
if "$example" --data-dir "$work/bad-data" --output-dir "$work/bad" >"$work/bad.log" 2>&1; then
  fail "a citizen of an unlisted country was accepted"
fi
grep -q 'country-counter' "$work/bad.log" || { cat "$work/bad.log"; fail "the error does not name the factory"; }
grep -q 'Zed Nobody' "$work/bad.log" || { cat "$work/bad.log"; fail "the error does not name the citizen"; }
[ ! -e "$work/bad/citizens-per-country.csv" ] || fail "a failed run left a result file"
ls "$work/bad" | grep -v '^citizens-run-report.json$' | grep -q . \
  && fail "a failed run left other files: $(ls "$work/bad")"
grep -q '"succeeded" : false' "$work/bad/citizens-run-report.json" \
  || fail "the run report of the failed run does not say it failed"
echo "ok 2 - refuses a citizen of an unlisted country, leaves no result"
