#!/bin/sh
# bench/limits.sh — the resource limits at full size (issue 10; make check
# runs the small versions in tests/limits.sh).
#
#   bench/limits.sh [REFORMSTAT] [DIR] [GB]
#
# 1. A GB-sized CSV (default 2 GB; 23 columns: an id, kommune, year and 20
#    numbers) made with awk, then `describe --vars x1,x2` on it: the loader
#    keeps only the two columns, so the peak memory is a small part of the
#    file.  Time and peak RSS from /usr/bin/time -v.
# 2. The same file with no --vars under a --max-memory of 1G: refused at
#    the start (from the file's size), before any row is stored.
# 3. A 10,000,000-row file whose id column has 10,000,000 levels:
#    `regress y ~ factor(id)` and `compare -b id` stop at --max-levels
#    (default 10,000) after counting 10,001 levels, not 10 million.
# Files go to DIR (default /tmp/reformstat-limits) and stay for reruns.
set -eu
R=${1:-./reformstat}
D=${2:-/tmp/reformstat-limits}
GB=${3:-2}
mkdir -p "$D"
big=$D/big-${GB}g.csv
if [ ! -f "$big" ]; then
  echo "making $big …"
  # about 95 bytes a row
  rows=$(awk -v gb="$GB" 'BEGIN { printf "%d", gb * 1024 * 1024 * 1024 / 95 }')
  awk -v n="$rows" 'BEGIN {
    srand(1); printf "id,kommune,year";
    for (j = 1; j <= 20; j++) printf ",x%d", j; printf "\n";
    for (i = 1; i <= n; i++) {
      printf "R%09d,%04d,%d", i, 301 + i % 300, 2019 + i % 6;
      for (j = 1; j <= 20; j++) printf ",%d", int(rand() * 1000);
      printf "\n" } }' > "$big"
fi
ls -l "$big"
measure() {  # measure LABEL ARGS…
  label=$1; shift
  /usr/bin/time -v "$R" "$@" > "$D/out.txt" 2> "$D/time.txt" && rc=0 || rc=$?
  wall=$(sed -n 's/.*Elapsed (wall clock) time.*: //p' "$D/time.txt")
  rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$D/time.txt")
  echo "$label: exit $rc, wall $wall, max RSS $((rss / 1024)) MiB"
  grep -v -E '^\s|Command being timed' "$D/time.txt" | head -n 3
}
measure "describe --vars x1,x2 (${GB} GB)" describe "$big" --vars x1,x2 -q
measure "describe, all columns, --max-memory 1G (${GB} GB)" describe "$big" --max-memory 1G -q

ids=$D/ids-10m.csv
[ -f "$ids" ] || awk 'BEGIN { print "id,g,y"; for (i = 1; i <= 10000000; i++) printf "P%08d,%d,%d\n", i, i % 2, i % 7 }' > "$ids"
ls -l "$ids"
measure "regress y ~ factor(id), 10,000,000 levels" regress "$ids" --keep-ids --formula 'y ~ factor(id)' -q
measure "compare -y y -b id, 10,000,000 levels" compare "$ids" --keep-ids -y y -b id -q
