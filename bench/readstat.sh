#!/usr/bin/env bash
# bench/readstat.sh — reading an SPSS file: `reformstat describe FILE.sav`
# against PSPP's `GET FILE` + `DESCRIPTIVES` on the same file, in one run.
#
# Makes (once, reused while the generator is unchanged) the 1,000,000-row x
# 25-column CSV of bench/gen-ingest.c (fixed seed), converts it to .sav with
# `reformstat convert` (ReadStat's writer, row-compressed), then times each
# side RUNS times, alternating, and prints the median wall seconds and the
# ratio PSPP / reformstat.  Not a test: nothing fails on a slow machine.
#
# Usage: bench/readstat.sh [--rows N] [--runs N]
# Environment: REFORMSTAT (default <repo root>/reformstat), TMPDIR, CC.
# Needs: a C compiler, pspp (Debian: pspp), reformstat built with ReadStat.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
rows=1000000
runs=3
while [ $# -gt 0 ]; do
  case $1 in
    --rows) rows=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    *) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 2 ;;
  esac
done
R=${REFORMSTAT:-$root/reformstat}
command -v pspp > /dev/null || { echo "bench/readstat.sh: pspp not found (apt-get install pspp)" >&2; exit 2; }
work=${TMPDIR:-/tmp}/reformstat-bench
mkdir -p "$work"

gen_sum=$(cksum < "$here/gen-ingest.c" | cut -d' ' -f1)
gen=$work/gen-ingest-$gen_sum
if [ ! -x "$gen" ]; then
  ${CC:-cc} -std=c11 -O2 -o "$gen.tmp" "$here/gen-ingest.c"
  mv "$gen.tmp" "$gen"
fi
csv=$work/readstat-$rows.csv
sav=$work/readstat-$rows.sav
if [ ! -s "$sav" ] || [ "$(cat "$sav.stamp" 2> /dev/null)" != "$gen_sum $rows" ]; then
  echo "bench: generating $rows x 25 CSV and converting it to .sav …"
  "$gen" "$rows" comma > "$csv"
  "$R" convert "$csv" "$sav" --quiet
  echo "$gen_sum $rows" > "$sav.stamp"
  rm -f "$csv"
fi
echo "bench: $sav ($(du -m "$sav" | cut -f1) MiB)"

sps=$work/readstat-describe.sps
printf "GET FILE='%s'.\nDESCRIPTIVES /VARIABLES=ALL /STATISTICS=MEAN STDDEV MIN MAX SEMEAN.\n" "$sav" > "$sps"

now() { date +%s.%N; }
median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
: > "$work/t.rs"; : > "$work/t.pspp"
for i in $(seq "$runs"); do
  t0=$(now); "$R" describe "$sav" --format csv -o "$work/rs-describe.csv" --quiet; t1=$(now)
  echo "$t1 - $t0" | bc -l >> "$work/t.rs"
  t0=$(now); pspp -O format=csv -o "$work/pspp-describe.csv" "$sps" > /dev/null; t1=$(now)
  echo "$t1 - $t0" | bc -l >> "$work/t.pspp"
done
rs=$(median < "$work/t.rs"); ps=$(median < "$work/t.pspp")
printf 'reformstat describe   %8.3f s (median of %d)\n' "$rs" "$runs"
printf 'pspp GET+DESCRIPTIVES %8.3f s (median of %d)\n' "$ps" "$runs"
printf 'ratio pspp/reformstat %8.2f\n' "$(echo "$ps / $rs" | bc -l)"
# the two agree on the first column's mean (PSPP prints it to 2-3 decimals)
awk -F, 'NR == 2 {print "reformstat: " $1 " mean " $5}' "$work/rs-describe.csv"
grep -m1 -E '^[^,]*,[0-9]' "$work/pspp-describe.csv" | awk -F, '{print "pspp:       " $1 " mean " $3}'
