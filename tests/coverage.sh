#!/bin/sh
# coverage.sh — the recovery benches bench/coverage/{its,caseload}.sh run
# with 5 replicates and print sane output: one "coverage NAME H/5" line per
# estimator with 0 <= H <= 5, a summary, and at least half of all intervals
# covering the truth (a broken estimator covers almost never).  The real
# figures come from 200 replicates (README, Tests).
set -u
SRC="${top_srcdir:-.}"
REFDATA="${REFDATA_SRC:-}"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
if [ -z "$REFDATA" ] || [ ! -f "$REFDATA/kommuner_2024.csv" ]; then
  echo "1..0 # SKIP no reference data: simulate needs the kommune list"
  exit 0
fi
n=0; failed=0
ok() { n=$((n + 1)); if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; failed=$((failed + 1)); fi; }
for b in its:12 caseload:2; do
  name=${b%:*}; lines=${b#*:}
  REFORMSTAT_REFDATA="$REFDATA" sh "$SRC/bench/coverage/$name.sh" 5 > "$tmp/$name" 2>&1
  ok $? "bench/coverage/$name.sh 5 runs"
  got=$(grep -c '^coverage [a-z_.-]* [0-5]/5 ' "$tmp/$name")
  ok $(( got != lines )) "$name: $lines coverage lines of H/5 (got $got)"
  ok $(( ! $(awk '/^summary:/ { split($0, a, " "); if (a[4] >= a[2] / 2) s = 1 } END { print s + 0 }' "$tmp/$name") )) \
    "$name: summary present, at least half the intervals cover"
  sed 's/^/# /' "$tmp/$name"
done
echo "1..$n"
[ "$failed" -eq 0 ]
