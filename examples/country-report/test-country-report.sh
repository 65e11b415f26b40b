#!/bin/bash
# Runs the country-report example with the real plugins and its own
# pipeline library (pipelines/, through SETL_PIPELINE_PATH) and checks
# what it did, against figures computed here from the data:
#  1. each instance of the template kept the adults of its country, with
#     its own parameters (France: 18 and over, Italy: 30 and over by age);
#  2. `setl graph` draws each instance as a subgraph;
#  3. `setl templates` lists the template, `setl inspect` shows it;
#  4. with --param italy.min_age=99 (a parameter of one instance) Italy's
#     instance finds no one and the sink's condition skips it: no italy.csv.
# Usage: test-country-report.sh SETL_TOOL SOURCE_DIR
set -euo pipefail
setl=$1
src=$2
data=$src/../citizens/data
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "not ok - $*"; exit 1; }
export SETL_PIPELINE_PATH=$src/pipelines SETL_PIPELINE_SYSTEM_PATH= XDG_DATA_HOME=$work/xdg
export SETL_REGISTRY=$work/registry.cache

echo "1..4"

# name,age of the citizens of COUNTRY aged MIN or more (no age: left out)
expected() {
  awk -F, -v country="$1" -v min="$2" '
    NR == FNR { if (FNR > 1) country_of[$1] = $2; next }
    FNR > 1 && $2 != "" && $2 + 0 >= min && country_of[$3] == country { print $1 "," $2 }
  ' "$data/cities.csv" "$data/citizens.csv"
}
rows() { tail -n +2 "$1" | tr -d '\r' | cut -d, -f1,2; }

"$setl" run "$src/country-report.setl.json" --param output_dir="$work" --quiet >"$work/run.log" 2>&1 \
  || { cat "$work/run.log"; fail "setl run"; }
[ "$(rows "$work/france.csv" | sort)" = "$(expected France 18 | sort)" ] \
  || fail "france.csv: $(rows "$work/france.csv" | tr '\n' ' ') (expected $(expected France 18 | tr '\n' ' '))"
[ "$(rows "$work/italy.csv")" = "$(expected Italy 30 | sort -t, -k2,2n)" ] \
  || fail "italy.csv: $(rows "$work/italy.csv" | tr '\n' ' ') (expected, by age: $(expected Italy 30 | sort -t, -k2,2n | tr '\n' ' '))"
[ -n "$(expected Italy 30)" ] && [ "$(expected France 18 | wc -l)" != "$(expected Italy 30 | wc -l)" ] \
  || fail "the data does not tell the two instances apart"
echo "ok 1 - france.csv: $(expected France 18 | wc -l) adults; italy.csv: $(expected Italy 30 | wc -l), by age"

"$setl" graph "$src/country-report.setl.json" --format dot >"$work/graph.dot" 2>&1 || { cat "$work/graph.dot"; fail "setl graph"; }
grep -q 'label="france (country-adults@1)"' "$work/graph.dot" || fail "no subgraph for france"
grep -q 'label="italy (country-adults@1)"' "$work/graph.dot" || fail "no subgraph for italy"
[ "$(grep -c 'subgraph cluster_' "$work/graph.dot")" = 2 ] || fail "not two subgraphs"
grep -q 'write_italy.*when: \$italy.sorted.row_count > 0' "$work/graph.dot" || fail "the graph does not show write_italy's condition"
echo "ok 2 - setl graph draws the two instances as subgraphs"

"$setl" templates >"$work/templates.txt" 2>&1 || { cat "$work/templates.txt"; fail "setl templates"; }
grep -q '^country-adults@1 ' "$work/templates.txt" || { cat "$work/templates.txt"; fail "setl templates does not list country-adults@1"; }
"$setl" inspect country-adults >"$work/inspect.txt" 2>&1 || { cat "$work/inspect.txt"; fail "setl inspect"; }
grep -q 'order .*enum (name, age), default "name"' "$work/inspect.txt" || { cat "$work/inspect.txt"; fail "setl inspect does not show the enum"; }
echo "ok 3 - setl templates lists the template, setl inspect shows it"

mkdir "$work/empty"
"$setl" run "$src/country-report.setl.json" --param output_dir="$work/empty" --param italy.min_age=99 \
  --progress plain >"$work/empty.log" 2>&1 || { cat "$work/empty.log"; fail "setl run with italy.min_age=99"; }
[ -z "$(expected Italy 99)" ] || fail "the data has Italians of 99 or more"
[ ! -e "$work/empty/italy.csv" ] || fail "italy.csv was written for no one"
[ "$(rows "$work/empty/france.csv" | sort)" = "$(expected France 18 | sort)" ] || fail "france.csv changed"
grep -q 'skipped *write_italy (csv-sink).*row_count > 0' "$work/empty.log" || { cat "$work/empty.log"; fail "the skip is not reported"; }
echo "ok 4 - italy.min_age=99: no one, write_italy skipped by its condition"
