#!/usr/bin/env bash
# bench/simulate.sh — how long `reformstat simulate` takes for 1,000,000
# families plus the monthly registry of all 357 kommuner (and the other
# datasets at their default sizes), end to end: process start to exit,
# including writing about 100 MB and fsync-ing every file.
#
# Target (from the issue): under 5 seconds.
#
# Usage: bench/simulate.sh [--families N] [--runs N] [--style plain|excel-nb]
# Environment:
#   REFORMSTAT          the binary (default: <repo root>/reformstat)
#   REFORMSTAT_REFDATA  kommune reference tables (default: ../shared/data/norway
#                       beside the repository, when it exists)
#   TMPDIR              output goes to ${TMPDIR:-/tmp}/reformstat-bench-simulate
# Prints the seconds of each run and the median; exit status 0 when the
# median is under the target, 1 when not, 2 when the bench could not run.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
families=1000000
runs=3
style=plain
target=5

usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; }
while [ $# -gt 0 ]; do
  case $1 in
    --families) families=$2; shift ;;
    --runs) runs=$2; shift ;;
    --style) style=$2; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "simulate.sh: unknown argument '$1' (try --help)" >&2; exit 2 ;;
  esac
  shift
done
case $runs in ''|*[!0-9]*|0) echo "simulate.sh: --runs needs a positive number" >&2; exit 2 ;; esac

die() { echo "simulate.sh: $*" >&2; exit 2; }
REFORMSTAT=${REFORMSTAT:-$root/reformstat}
[ -x "$REFORMSTAT" ] || die "no reformstat binary at $REFORMSTAT (build it or set REFORMSTAT)"
if [ -z "${REFORMSTAT_REFDATA:-}" ] && [ -f "$root/../shared/data/norway/kommuner_2024.csv" ]; then
  export REFORMSTAT_REFDATA="$root/../shared/data/norway"
fi

work=${TMPDIR:-/tmp}/reformstat-bench-simulate
mkdir -p "$work"
out=$work/out

now() { date +%s.%N; }
echo "machine: $(nproc) logical CPUs; $(LC_ALL=C awk -F': ' '/^model name/{print $2; exit}' /proc/cpuinfo 2>/dev/null || true)"
echo "reformstat: $REFORMSTAT ($("$REFORMSTAT" --version 2>/dev/null | head -n 1))"
echo "simulate --families $families --style $style, $runs runs"
times=()
for i in $(seq 1 "$runs"); do
  rm -rf "$out"
  t0=$(now)
  "$REFORMSTAT" simulate --seed "$i" --out "$out" --families "$families" --style "$style" -q \
    || die "simulate failed"
  t1=$(now)
  t=$(LC_ALL=C awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
  times+=("$t")
  echo "  run $i: $t s  ($(du -sm "$out" | cut -f1) MB; family.csv $(($(wc -l < "$out/family.csv") - 1)) rows, registry.csv $(($(wc -l < "$out/registry.csv") - 1)) rows)"
done
rm -rf "$out"
med=$(printf '%s\n' "${times[@]}" | LC_ALL=C sort -g | LC_ALL=C awk '{a[NR]=$1} END{ if (NR%2) print a[(NR+1)/2]; else printf "%.2f\n", (a[NR/2]+a[NR/2+1])/2 }')
echo "median: $med s (target < $target s)"
LC_ALL=C awk -v m="$med" -v t="$target" 'BEGIN { exit !(m < t) }'
