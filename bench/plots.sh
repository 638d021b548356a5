#!/bin/sh
# plots.sh — how long `reformstat plot` takes: every kind on the bundled
# sample, and a 1,000,000-point scatter, each to a 300-dpi PNG (16 cm wide).
# Prints milliseconds (best of RUNS, default 3, wall clock, including
# reading the data).  Targets: each sample chart under 100 ms; the 1M-point
# scatter under 2 s.
#
#   bench/plots.sh                 # REFORMSTAT defaults to ./reformstat
#   RUNS=5 bench/plots.sh
#
# The 1M points come two ways: `reformstat simulate --coordinators 1000000`
# (the whole 21-column coordinator survey, 68 MB: reading it is most of the
# time) and a generated 2-column CSV of the same size in points (awk, fixed
# seed).  Files go to ${TMPDIR:-/tmp}/reformstat-bench-plots and are reused.
set -eu
R=${REFORMSTAT:-./reformstat}
RUNS=${RUNS:-3}
top=$(cd "$(dirname "$0")/.." && pwd)
S=$top/datasets/sample
W=${TMPDIR:-/tmp}/reformstat-bench-plots
mkdir -p "$W"
REF=
for d in "${REFORMSTAT_REFDATA:-}" "$top/../shared/data/norway"; do
  if [ -n "$d" ] && [ -f "$d/fylker_2024.csv" ]; then REF="--refdata $d"; break; fi
done

ms() { echo $(($(date +%s%N) / 1000000)); }
# best NAME ARGS…: runs `reformstat plot ARGS` RUNS times, prints the fastest
best() {
  name=$1
  shift
  b=
  i=0
  while [ $i -lt "$RUNS" ]; do
    t0=$(ms)
    "$R" plot "$@" > /dev/null 2> "$W/err" || { echo "$name: failed:"; cat "$W/err"; return 1; }
    t1=$(ms)
    d=$((t1 - t0))
    if [ -z "$b" ] || [ "$d" -lt "$b" ]; then b=$d; fi
    i=$((i + 1))
  done
  printf '%-34s %6d ms\n' "$name" "$b"
}

FAM="$S/family.csv -c $S/family-codebook.csv"
COORD="$S/coordinators.csv -c $S/coordinators-codebook.csv"
REG="$S/registry.csv -c $S/registry-codebook.csv"
echo "reformstat plot, 300-dpi PNG, 16 cm wide, best of $RUNS (ms, wall clock incl. reading)"
# shellcheck disable=SC2086
{
best "prepost (family, 3637 rows)" prepost $FAM --var hours_admin --group coordinator_type --period post -o "$W/p.png"
best "likert (family)" likert $FAM --index collaboration -o "$W/l.png"
best "forest (family)" forest $FAM --var hours_admin --group fylke --sort -o "$W/f.png"
best "distribution (coordinators)" distribution $COORD --var families --group profession -o "$W/d.png"
best "scatter (coordinators, 300 rows)" scatter $COORD --x earmarked_hours --y families --color profession -o "$W/s.png"
best "its (registry, 29988 rows)" its $REG --var children_ip --per children_0_17 -o "$W/i.png"
best "tilemap (coordinators)" tilemap $COORD --var families $REF -o "$W/t.png"
best "tilemap (registry, rate)" tilemap $REG --var children_ip --per children_0_17 $REF -o "$W/t2.png"
}

if [ ! -f "$W/sim/coordinators.csv" ]; then
  rm -rf "$W/sim"
  # shellcheck disable=SC2086
  "$R" simulate --seed 20220801 --coordinators 1000000 --families 100 -o "$W/sim" -q $REF
fi
if [ ! -f "$W/xy1m.csv" ]; then
  awk 'BEGIN { print "x,y"; s = 20220801; for (i = 0; i < 1000000; i++) {
    s = (s * 1103515245 + 12345) % 2147483648; u = s / 2147483648;
    s = (s * 1103515245 + 12345) % 2147483648; v = s / 2147483648;
    printf "%.4f,%.4f\n", 40 * u, 2 + 0.3 * 40 * u + 6 * v * v } }' > "$W/xy1m.csv"
fi
best "scatter 1M (simulate, 21 columns)" scatter "$W/sim/coordinators.csv" -c "$W/sim/coordinators-codebook.csv" \
  --x earmarked_hours --y families -o "$W/s1m.png"
best "scatter 1M (x,y CSV)" scatter "$W/xy1m.csv" --x x --y y -o "$W/s1m-xy.png"
best "scatter 1M (x,y CSV) to SVG" scatter "$W/xy1m.csv" --x x --y y -o "$W/s1m-xy.svg"
ls -l "$W/s1m-xy.svg" | awk '{ printf "  (the 1M-point SVG is %d KB)\n", $5 / 1024 }'
