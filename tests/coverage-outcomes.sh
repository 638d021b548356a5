#!/bin/sh
# coverage-outcomes.sh — bench/coverage/outcomes.sh with 5 replicates: the
# script runs, scores all 12 family-survey items against truth.json, and no
# item's 95 % CI misses the truth in every replicate (the full run with 200
# replicates is in the bench; its figures are in the commit that added it).
: "${REFORMSTAT:?REFORMSTAT must name the reformstat program}"
: "${top_srcdir:=.}"
REFDATA="${REFDATA_SRC:-}"
if [ -z "$REFDATA" ] || [ ! -f "$REFDATA/kommuner_2024.csv" ]; then
  echo "1..0 # SKIP no reference data (simulate needs the kommune list): configure --with-refdata=DIR"
  exit 0
fi
out=$(REFORMSTAT="$REFORMSTAT" REFORMSTAT_REFDATA="$REFDATA" FAMILIES=2000 sh "$top_srcdir/bench/coverage/outcomes.sh" 5 2>&1)
rc=$?
n=0; failed=0
t() { n=$((n + 1)); if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; failed=1; fi; }
t $rc "bench/coverage/outcomes.sh 5 exits 0"
lines=$(printf '%s\n' "$out" | grep -c '^coverage [a-z_0-9]* [0-9]*/5$')
[ "$lines" -eq 12 ]; t $? "one 'coverage NAME HITS/5' line for each of the 12 items (got $lines)"
zero=$(printf '%s\n' "$out" | grep -c '^coverage [a-z_0-9]* 0/5$')
[ "$zero" -eq 0 ]; t $? "no item with coverage 0/5"
pct=$(printf '%s\n' "$out" | sed -n 's/^coverage summary: [0-9]*\/60 = \([0-9.]*\) %.*/\1/p')
[ -n "$pct" ] && awk -v p="$pct" 'BEGIN { exit !(p >= 70 && p <= 100) }'; t $? "summary over 60 intervals, coverage $pct % within 70-100 %"
[ "$failed" -eq 0 ] || printf '%s\n' "$out" | sed 's/^/# /'
echo "1..$n"
exit $failed
