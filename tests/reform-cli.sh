#!/bin/sh
# reform-cli.sh — `reformstat its` and `reformstat caseload` from the command
# line: every output format and both languages on the bundled sample, the
# counterfactual file, usage errors, an unmappable kommune code with
# --vintage, and Norwegian-Excel-style simulate output (semicolons, decimal
# comma, Windows-1252, CRLF).  The numbers themselves are checked against R
# in tests/test-reform-caseload.c.
set -u
R="${REFORMSTAT:-./reformstat}"
SRC="${top_srcdir:-.}"
REFDATA="${REFDATA_SRC:-}"
S="$SRC/datasets/sample"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
n=0; failed=0
ok() { n=$((n + 1)); if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; failed=$((failed + 1)); fi; }
has() { grep -F -q -e "$1" "$2"; }
ITS="its $S/registry.csv -c $S/registry-codebook.csv --numerator children_koordinator -q"
CL="caseload $S/coordinators.csv -c $S/coordinators-codebook.csv -q"

# shellcheck disable=SC2086
"$R" $ITS > "$tmp/o" 2>&1; rc=$?
ok $(( rc != 0 || ! $(has "nivåendring ved bruddet" "$tmp/o" && echo 1 || echo 0) )) "its: national series, bokmål labels"
# shellcheck disable=SC2086
"$R" $ITS --lang en --seasonal > "$tmp/o" 2>&1; rc=$?
ok $(( rc != 0 || ! $(has "month: December vs January" "$tmp/o" && has "level change at break" "$tmp/o" && echo 1 || echo 0) )) "its --seasonal --lang en: month effects, English labels"
for f in text csv json md latex; do
  # shellcheck disable=SC2086
  "$R" $ITS --pooled --format $f -o "$tmp/its.$f" > "$tmp/o" 2>&1; rc=$?
  ok $(( rc != 0 || ! $(test -s "$tmp/its.$f" && echo 1 || echo 0) )) "its --pooled --format $f writes a file"
done
ok $(( ! $(has '"command": "its"' "$tmp/its.json" && ! has '"level at break' "$tmp/its.json" && echo 1 || echo 0) )) \
  "its --pooled JSON: no common intercept record with kommune fixed effects"
# shellcheck disable=SC2086
"$R" $ITS --level fylke --unit 03 --counterfactual-out "$tmp/cf.csv" > "$tmp/o" 2>&1; rc=$?
ok $(( rc != 0 || ! $(head -n 1 "$tmp/cf.csv" | grep -q '^period,observed,fitted,counterfactual,post$' && test "$(wc -l < "$tmp/cf.csv")" -gt 60 && echo 1 || echo 0) )) \
  "its --counterfactual-out: period, observed, fitted, counterfactual per month"
# shellcheck disable=SC2086
"$R" $ITS --level kommune --unit 301 > "$tmp/o" 2>&1
ok $? "its --level kommune --unit 301 (= 0301)"
# shellcheck disable=SC2086
"$R" $ITS --pooled --lag 3 > "$tmp/o" 2>&1; rc=$?
ok $(( rc != 1 || ! $(has "does not go with --pooled" "$tmp/o" && echo 1 || echo 0) )) "its --pooled --lag: usage error, exit 1"
# shellcheck disable=SC2086
"$R" $ITS --level kommune > "$tmp/o" 2>&1; rc=$?
ok $(( rc != 1 || ! $(has "needs --unit" "$tmp/o" && echo 1 || echo 0) )) "its --level kommune without --unit: exit 1"
# shellcheck disable=SC2086
"$R" $ITS --counterfactual-out "$tmp/cf2.csv" --break 2040-01-01 > "$tmp/o" 2>&1; rc=$?
ok $(( rc != 1 || ! $(test ! -e "$tmp/cf2.csv" && has "outside the series" "$tmp/o" && echo 1 || echo 0) )) "its: a failed fit writes no counterfactual file"
"$R" its --help > "$tmp/o" 2>&1
ok $? "its --help"

# shellcheck disable=SC2086
"$R" $CL > "$tmp/o" 2>&1; rc=$?
ok $(( rc != 0 || ! $(has "familier per øremerket time" "$tmp/o" && has "Spearman" "$tmp/o" && echo 1 || echo 0) )) "caseload: ratios and Spearman, bokmål"
for f in text csv json md latex; do
  # shellcheck disable=SC2086
  "$R" $CL --by fylke,kommune --lang en --registry "$S/registry.csv" --registry-codebook "$S/registry-codebook.csv" \
    --format $f -o "$tmp/cl.$f" > "$tmp/o" 2>&1; rc=$?
  ok $(( rc != 0 || ! $(test -s "$tmp/cl.$f" && echo 1 || echo 0) )) "caseload --by fylke,kommune --registry --format $f"
done
ok $(( ! $(has "families per earmarked hour" "$tmp/cl.csv" && has "families_barnekoordinator" "$tmp/cl.csv" && echo 1 || echo 0) )) \
  "caseload CSV: English labels, barnekoordinator coverage"
# shellcheck disable=SC2086
"$R" $CL --families-over 5,20 --position-under 50 --vcov cluster:kommune --lang en > "$tmp/o" 2>&1; rc=$?
ok $(( rc != 0 || ! $(has "more than 20 families" "$tmp/o" && has "position below 50 %" "$tmp/o" && has "cluster" "$tmp/o" && echo 1 || echo 0) )) \
  "caseload thresholds and cluster-robust SEs"
# shellcheck disable=SC2086
"$R" $CL --registry "$S/registry.csv" --registry-codebook "$S/registry-codebook.csv" --period 2023-01:2023-12 --lang en > "$tmp/o" 2>&1; rc=$?
ok $(( rc != 0 || ! $(has "2023-01-01 to 2023-12-01" "$tmp/o" && echo 1 || echo 0) )) "caseload --period FROM:TO"
# shellcheck disable=SC2086
"$R" $CL --by land > "$tmp/o" 2>&1; rc=$?
ok $(( rc != 1 )) "caseload --by land: exit 1"
"$R" caseload --help > "$tmp/o" 2>&1
ok $? "caseload --help"

if [ -z "$REFDATA" ] || [ ! -f "$REFDATA/kommuner_2024.csv" ]; then
  for w in "unmappable kommune code" "excel-nb its" "excel-nb caseload"; do n=$((n + 1)); echo "ok $n # SKIP no reference data: $w"; done
else
  printf 'period,kommune,children_0_17,children_koordinator\n' > "$tmp/u.csv"
  for m in 03 04 05 06 07 08 09 10 11 12; do printf '2022-%s-01,0301,50000,30%s\n2022-%s-01,9999,3000,1%s\n' $m $m $m $m >> "$tmp/u.csv"; done
  "$R" its "$tmp/u.csv" -c "$SRC/tests/data/bad/its-registry.codebook.csv" --numerator children_koordinator \
    --refdata "$REFDATA" --vintage 2024 -o "$tmp/u.out" > "$tmp/o" 2>&1; rc=$?
  ok $(( rc != 1 || ! $(has "line 3, column 'kommune': '9999' is not a kommune code" "$tmp/o" && test ! -e "$tmp/u.out" && echo 1 || echo 0) )) \
    "its --vintage: a kommune code that cannot be mapped, exit 1 naming the line, no output"
  "$R" simulate --seed 11 --out "$tmp/nb" --style excel-nb --families 100 --refdata "$REFDATA" -q
  "$R" its "$tmp/nb/registry.csv" -c "$tmp/nb/registry-codebook.csv" --numerator children_ip --pooled --seasonal -q > "$tmp/o" 2>&1
  ok $? "excel-nb simulate output: its --pooled --seasonal"
  "$R" caseload "$tmp/nb/coordinators.csv" -c "$tmp/nb/coordinators-codebook.csv" --registry "$tmp/nb/registry.csv" \
    --registry-codebook "$tmp/nb/registry-codebook.csv" --by fylke -q > "$tmp/o" 2>&1
  ok $? "excel-nb simulate output: caseload with registry"
fi
echo "1..$n"
[ "$failed" -eq 0 ]
