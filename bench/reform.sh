#!/usr/bin/env bash
# bench/reform.sh — `reformstat run` of the full sample plan (datasets/sample/plan.ini)
# on simulated data at national scale, against bench/reform.R doing the same
# analyses in R (data.table, sandwich), in one run.  Prints both wall times,
# the ratio R / reformstat (target >= 10) and the peak memory of both (resident memory of the whole process tree, sampled).
#
# Plan: a copy of datasets/sample/plan.ini, plus indexes (family with
# --data-out, coordinators) and outcomes (--adjust holm --likert-out) when the
# sample plan lacks them, because bench/reform.R computes those too.
# Data: `reformstat simulate --seed 20220801 --families N --coordinators M`:
#   families      1,000,000 (about 1.2 million survey rows: panel families answer twice)
#   coordinators  100,000 (the sample's ratio, one coordinator per 10 families)
#   registry      all 357 kommuner x 84 months (2019-2025), as simulate always writes it
#   cases         as simulate draws them from the children 0-17 (about 500)
# The data go to ${TMPDIR:-/tmp}/reformstat-bench/reform-N and are reused.
#
# Usage: bench/reform.sh [--families N] [--coordinators M] [--runs K]
# Environment: REFORMSTAT (default <repo>/reformstat), REFORMSTAT_REFDATA or
#   --refdata via REFDATA (kommune list for simulate; default ../shared/data/norway),
#   R_DATATABLE_NUM_THREADS (fread's threads; data.table's default otherwise).
# Exit status: 0 target met, 1 target missed, 2 the bench could not run.
# Needs Rscript with data.table and sandwich, and GNU time (/usr/bin/time;
# Debian package `time`), which reports wall and CPU time, and ps for the memory.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
families=1000000
coordinators=100000
runs=1
while [ $# -gt 0 ]; do
  case $1 in
    --families) families=$2; shift ;;
    --coordinators) coordinators=$2; shift ;;
    --runs) runs=$2; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "reform.sh: unknown argument '$1' (try --help)" >&2; exit 2 ;;
  esac
  shift
done
R=${REFORMSTAT:-$root/reformstat}
[ -x "$R" ] || { echo "reform.sh: no reformstat binary at $R (build first or set REFORMSTAT)" >&2; exit 2; }
command -v Rscript > /dev/null || { echo "reform.sh: Rscript not found" >&2; exit 2; }
if [ ! -x /usr/bin/time ]; then
  if [ "$(id -u)" = 0 ]; then apt-get install -y -qq time > /dev/null; fi
  [ -x /usr/bin/time ] || { echo "reform.sh: GNU time (/usr/bin/time) is needed for the peak memory" >&2; exit 2; }
fi
refdata=${REFDATA:-${REFORMSTAT_REFDATA:-}}
if [ -z "$refdata" ]; then
  for d in "$root/../shared/data/norway" "$root/../../shared/data/norway"; do
    [ -f "$d/kommuner_2024.csv" ] && refdata=$(cd "$d" && pwd) && break
  done
fi
[ -n "$refdata" ] || { echo "reform.sh: simulate needs the kommune list: set REFORMSTAT_REFDATA" >&2; exit 2; }

base=${TMPDIR:-/tmp}/reformstat-bench
data=$base/reform-$families-$coordinators
mkdir -p "$base"
if [ ! -f "$data/truth.json" ]; then
  echo "reform.sh: simulating $families families, $coordinators coordinators into $data"
  rm -rf "$data"
  "$R" simulate --refdata "$refdata" --seed 20220801 --families "$families" --coordinators "$coordinators" --out "$data" -q
fi
cp "$root/datasets/sample/plan.ini" "$data/plan.ini"
# bench/reform.R also computes the indexes (family, with the data written out,
# and coordinators) and the before/after outcomes; when the sample plan has no
# such analyses, the copy gets them, so that both sides do the same work.
if ! grep -q '^command=indexes' "$data/plan.ini"; then
  cat >> "$data/plan.ini" <<'PLAN'

# ---- added by bench/reform.sh: what bench/reform.R computes besides the sample plan ----
[analysis.family-indexes]
command=indexes
data=family
data-out=family-with-indexes.csv

[analysis.coordinator-indexes]
command=indexes
data=coordinators
PLAN
fi
if ! grep -q '^command=outcomes' "$data/plan.ini"; then
  cat >> "$data/plan.ini" <<'PLAN'

[analysis.outcomes]
command=outcomes
data=family
adjust=holm
likert-out=likert.csv
PLAN
fi
echo "reform.sh: data $(du -sh "$data" | cut -f1): family.csv $(($(wc -l < "$data/family.csv") - 1)) rows," \
  "coordinators.csv $(($(wc -l < "$data/coordinators.csv") - 1)), registry.csv $(($(wc -l < "$data/registry.csv") - 1))," \
  "cases.csv $(($(wc -l < "$data/cases.csv") - 1))"
echo "reform.sh: plan: $(grep -c '^\[analysis\.' "$data/plan.ini") analyses ($(sed -n 's/^command=//p' "$data/plan.ini" | sort | uniq -c | awk '{printf "%s%s x%s", (NR > 1 ? ", " : ""), $2, $1}'))"

# tree_rss PID: the resident memory (KiB) of PID and all its descendants now
tree_rss() {
  ps -e -o pid=,ppid=,rss= | awk -v root="$1" '{ up[$1] = $2; rss[$1] = $3 }
    END { for (q in up) { x = q; n = 0; while (x != root && x in up && n++ < 64) x = up[x]; if (x == root) t += rss[q] }
          print t + 0 }'
}
# timed NAME CMD…: wall seconds, CPU seconds and peak memory (KiB) into $wall, $cpu, $rss.
# `reformstat run` runs its analyses in child processes, several at once, so
# GNU time's maximum RSS (the largest single process) would understate it:
# $rss is the peak of the whole process tree's RSS, sampled every 0.1 s
# (both sides measured the same way; the larger of the two readings).
timed() {
  local log=$base/time-$1.log
  shift
  /usr/bin/time -v "$@" > "$log.out" 2> "$log" &
  local pid=$! peak=0 now
  while kill -0 $pid 2> /dev/null; do
    now=$(tree_rss $pid)
    [ "$now" -gt "$peak" ] && peak=$now
    sleep 0.1
  done
  wait $pid || { echo "reform.sh: failed: $*" >&2; tail -20 "$log" >&2; exit 2; }
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n = split($2, a, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + a[i]; print s}' "$log")
  rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$log")
  [ "$peak" -gt "$rss" ] && rss=$peak
  cpu=$(awk -F': ' '/User time|System time/ {s += $2} END {printf "%.2f", s}' "$log")
}
echo "reform.sh: load average at the start: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) processors (reformstat's threads: ${REFORMSTAT_THREADS:-all})"
best_rs=; best_r=; rss_rs=0; rss_r=0; cpu_rs=; cpu_r=
for ((k = 1; k <= runs; k++)); do
  rm -rf "$base/rs-out" "$base/r-out"
  timed reformstat "$R" run "$data/plan.ini" -o "$base/rs-out" --quiet
  echo "reform.sh: run $k: reformstat run  ${wall} s wall, ${cpu} s CPU, peak RSS $((rss / 1024)) MiB"
  if [ -z "$best_rs" ] || awk "BEGIN {exit !($wall < $best_rs)}"; then best_rs=$wall; cpu_rs=$cpu; fi
  [ "$rss" -gt "$rss_rs" ] && rss_rs=$rss
  timed R Rscript "$here/reform.R" "$data" "$base/r-out"
  echo "reform.sh: run $k: Rscript reform.R ${wall} s wall, ${cpu} s CPU, peak RSS $((rss / 1024)) MiB"
  if [ -z "$best_r" ] || awk "BEGIN {exit !($wall < $best_r)}"; then best_r=$wall; cpu_r=$cpu; fi
  [ "$rss" -gt "$rss_r" ] && rss_r=$rss
done
ratio=$(awk "BEGIN {printf \"%.1f\", $best_r / $best_rs}")
echo
printf '%-28s %10s %12s %14s\n' "" "wall (s)" "CPU (s)" "peak RSS (MiB)"
printf '%-28s %10s %12s %14s\n' "reformstat run plan.ini" "$best_rs" "$cpu_rs" "$((rss_rs / 1024))"
printf '%-28s %10s %12s %14s\n' "Rscript bench/reform.R" "$best_r" "$cpu_r" "$((rss_r / 1024))"
printf 'ratio R / reformstat: %s wall (target >= 10), %s CPU (user + system; steadier on a busy machine)\n' "$ratio" \
  "$(awk "BEGIN {printf \"%.1f\", $cpu_r / $cpu_rs}")"
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) processors"
echo "outputs: $base/rs-out (reformstat), $base/r-out (R)"
awk "BEGIN {exit !($ratio >= 10)}"
