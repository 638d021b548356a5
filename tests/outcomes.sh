#!/bin/sh
# outcomes.sh — the indexes and outcomes commands end to end: on the bundled
# sample, on `simulate --style excel-nb` output (semicolons, decimal comma,
# Windows-1252, CRLF), --data-out and --likert-out, --help, JSON, and no
# partial output on bad input.  The numbers are checked against R in
# tests/test-reform.c; here: shape, exit status and files.
: "${REFORMSTAT:?REFORMSTAT must name the reformstat program}"
: "${top_srcdir:=.}"
R=$REFORMSTAT
S="$top_srcdir/datasets/sample"
REFDATA="${REFDATA_SRC:-}"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/rs-outcomes.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT INT TERM
n=0; failed=0
t() { n=$((n + 1)); if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; failed=1; [ -s "$tmp/err" ] && sed 's/^/# /' "$tmp/err" | head -5; fi; }
skip() { n=$((n + 1)); echo "ok $n # SKIP $1"; }

"$R" indexes --help > "$tmp/out" 2>&1; t $? "indexes --help exits 0"
grep -q -- "--min-share" "$tmp/out"; t $? "indexes --help lists --min-share"
"$R" outcomes --help > "$tmp/out" 2>&1; t $? "outcomes --help exits 0"
grep -q -- "--likert-out" "$tmp/out"; t $? "outcomes --help lists --likert-out"
"$R" --help | grep -q "outcomes"; t $? "reformstat --help lists outcomes"

# indexes on the sample
"$R" indexes "$S/family.csv" --codebook "$S/family-codebook.csv" --format csv -o "$tmp/ix.csv" --data-out "$tmp/data.csv" 2> "$tmp/err"
t $? "indexes on the sample exits 0"
[ "$(grep -c -E '^(collaboration|information|listened|burden),3,' "$tmp/ix.csv")" -eq 4 ]; t $? "four indexes of 3 items in the reliability table"
grep -q '^collaboration,.*,2019,' "$tmp/ix.csv"; t $? "alpha per wave (year 2019)"
head -1 "$tmp/data.csv" | grep -q ',collaboration,information,listened,burden$'; t $? "--data-out adds one column per index at the end"
[ "$(wc -l < "$tmp/data.csv")" -eq "$(wc -l < "$S/family.csv")" ]; t $? "--data-out keeps every row"
"$R" describe "$tmp/data.csv" --vars collaboration > "$tmp/d.txt" 2> "$tmp/err"; t $? "the --data-out file reads back"
"$R" indexes "$S/family.csv" --codebook "$S/family-codebook.csv" --format json > "$tmp/ix.json" 2> "$tmp/err"
grep -q '"command": *"indexes"' "$tmp/ix.json"; t $? "indexes --format json names the command"
"$R" indexes "$S/coordinators.csv" --codebook "$S/coordinators-codebook.csv" --wave-column "" > "$tmp/out" 2> "$tmp/err"
t $? "indexes on the coordinator survey (no waves)"

# outcomes on the sample
"$R" outcomes "$S/family.csv" --codebook "$S/family-codebook.csv" --weight weight --cluster kommune --adjust holm \
  --format csv -o "$tmp/o.csv" --likert-out "$tmp/lik.csv" 2> "$tmp/err"
t $? "outcomes on the sample (design-based, default --by) exits 0"
head -1 "$tmp/o.csv" | grep -q '^name,label,n,n_pre,estimate_pre,'; t $? "outcomes CSV header"
[ "$(grep -c '^collab_1,' "$tmp/o.csv")" -eq 19 ]; t $? "collab_1: overall + 3 coordinator types + 15 fylker = 19 rows"
grep -q ',p_adjusted,' "$tmp/o.csv"; t $? "--adjust holm adds p_adjusted"
head -1 "$tmp/lik.csv" | grep -q '^by,group,period,name,item,category,code,n,percent'; t $? "--likert-out header as plot likert --data-out plus by, group, period"
grep -q ',Alle,før,collab_1,' "$tmp/lik.csv"; t $? "--likert-out has the overall distribution before the reform"
"$R" outcomes "$S/family.csv" --codebook "$S/family-codebook.csv" --by coordinator_type --lang en > "$tmp/en.txt" 2> "$tmp/err"
grep -q 'Before and after the reform, by coordinator_type' "$tmp/en.txt" && grep -q 'Barnekoordinator' "$tmp/en.txt"; t $? "--lang en titles, value labels from the codebook"
"$R" outcomes "$S/family.csv" --codebook "$S/family-codebook.csv" --by none --date-column response_date --break 2022-08-01 --format csv > "$tmp/d.csv" 2> "$tmp/err"
"$R" outcomes "$S/family.csv" --codebook "$S/family-codebook.csv" --by none --format csv > "$tmp/p.csv" 2>> "$tmp/err"
cmp -s "$tmp/d.csv" "$tmp/p.csv"; t $? "--date-column response_date --break 2022-08-01 gives the same as the post column"

# no partial output on bad input
"$R" outcomes "$S/family.csv" --codebook "$S/family-codebook.csv" --by nosuch -o "$tmp/bad.txt" --likert-out "$tmp/bad-lik.csv" > /dev/null 2>&1
rc=$?
[ $rc -eq 1 ] && [ ! -e "$tmp/bad.txt" ] && [ ! -e "$tmp/bad-lik.csv" ]; t $? "unknown --by: exit 1 and neither -o nor --likert-out written"
"$R" indexes "$top_srcdir/tests/data/bad/index-mixed-scales.csv" --codebook "$top_srcdir/tests/data/bad/index-mixed-scales.codebook.csv" \
  --data-out "$tmp/bad-data.csv" > /dev/null 2>&1
rc=$?
[ $rc -eq 1 ] && [ ! -e "$tmp/bad-data.csv" ]; t $? "mixed scales: exit 1 and no --data-out file"
ls -a "$tmp" | grep -q '\.tmp' ; [ $? -ne 0 ]; t $? "no temporary files left behind"

# Norwegian Excel output of simulate
if [ -n "$REFDATA" ] && [ -f "$REFDATA/kommuner_2024.csv" ]; then
  "$R" simulate -q --seed 5 --families 800 --style excel-nb --out "$tmp/x" --refdata "$REFDATA" > /dev/null 2> "$tmp/err"
  t $? "simulate --style excel-nb"
  "$R" indexes "$tmp/x/family.csv" --codebook "$tmp/x/family-codebook.csv" --format csv -o "$tmp/xi.csv" --data-out "$tmp/xd.csv" 2> "$tmp/err"
  t $? "indexes on excel-nb output"
  [ "$(grep -c '^collaboration,3,' "$tmp/xi.csv")" -eq 1 ]; t $? "excel-nb: the collaboration index with 3 items"
  "$R" outcomes "$tmp/x/family.csv" --codebook "$tmp/x/family-codebook.csv" --weight weight --cluster kommune --format csv -o "$tmp/xo.csv" 2> "$tmp/err"
  t $? "outcomes on excel-nb output (design-based)"
  "$R" outcomes "$tmp/x/family.csv" --codebook "$tmp/x/family-codebook.csv" --by none --date-column response_date --format csv -o "$tmp/xo2.csv" 2> "$tmp/err"
  t $? "outcomes on excel-nb output with dd.mm.yyyy dates and the default break"
  grep -q '^collab_1,' "$tmp/xo2.csv"; t $? "excel-nb: collab_1 compared"
else
  skip "no reference data: simulate needs the kommune list"
fi
echo "1..$n"
exit $failed
