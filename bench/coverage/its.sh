#!/bin/sh
# bench/coverage/its.sh — does `reformstat its` recover the registry truth of
# `reformstat simulate`?  For seeds 1..N: simulate (small surveys; the
# registry is always the 357 kommuner x 84 months), fit the level and slope
# change at 2022-08-01 of children with koordinator and with individuell plan
# per 1000 children, and count how often the 95 % CI covers truth.json's
# koord_level_change 0.5, koord_slope_change 0.25, ip_level_change 0.3,
# ip_slope_change 0.2.
#
# Three estimators:
#   national  the aggregated national series (sum of counts / sum of
#             children), Newey-West SEs.  Its level change is 0.5 times a
#             children-weighted mean of the kommuner's log-normal rate
#             factors (mean 1), which differs from 1 in every seed; the NW
#             SE sees only the month-to-month noise, not that draw, so its
#             CI is expected to cover the 0.5 of the model less than 95 %.
#   pooled    kommune rates, kommune fixed effects, weights = children,
#             SE cluster-robust by kommune: the spread of the kommune
#             factors is in the SE, so the CI targets 0.5 across seeds.
#   pooled-unweighted  the same with equal weights (small kommuner's
#             rates are noisy and suppressed counts ':' are left out, which
#             is informative for small counts).
#
# Usage: bench/coverage/its.sh [REPLICATES]   (default 200)
# Environment: REFORMSTAT (default <repo>/reformstat), REFORMSTAT_REFDATA
# (default ../shared/data/norway beside the repository).
# Prints "coverage NAME HITS/N" lines and a summary; exit 0 when it ran,
# 2 when it could not.
set -eu
N=${1:-200}
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$(dirname "$here")")
R=${REFORMSTAT:-$root/reformstat}
REF=${REFORMSTAT_REFDATA:-$root/../shared/data/norway}
[ -x "$R" ] || { echo "its.sh: no reformstat at $R" >&2; exit 2; }
[ -f "$REF/kommuner_2024.csv" ] || { echo "its.sh: no reference data at $REF (set REFORMSTAT_REFDATA)" >&2; exit 2; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/rs-cov-its.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
hits="$tmp/hits"; : > "$hits"

# covered FILE ROWNAME TRUTH LABEL: one line "LABEL 0|1 estimate" per fit
covered() {
  line=$(grep -F "$2" "$1" | head -n 1 | sed "s/^\"\{0,1\}$2\"\{0,1\},//")
  [ -n "$line" ] || { echo "its.sh: no row '$2' in $1" >&2; exit 2; }
  echo "$line" | awk -F, -v t="$3" -v l="$4" '{ printf "%s %d %.6f\n", l, ($7 <= t && t <= $8), $2 }' >> "$hits"
}

s=1
while [ "$s" -le "$N" ]; do
  d="$tmp/sim"
  "$R" simulate --seed "$s" --out "$d" --families 50 --coordinators 50 --refdata "$REF" -q --force
  for series in koordinator:children_koordinator:0.5:0.25 ip:children_ip:0.3:0.2; do
    IFS=: read -r short var lv sl <<E
$series
E
    for est in national pooled pooled-unweighted; do
      case $est in
        national) extra= ;;
        pooled) extra=--pooled ;;
        pooled-unweighted) extra="--pooled --unweighted" ;;
      esac
      # shellcheck disable=SC2086
      "$R" its "$d/registry.csv" -c "$d/registry-codebook.csv" --numerator "$var" $extra --lang en -f csv -q \
        -o "$tmp/out.csv"
      covered "$tmp/out.csv" "level change at break" "$lv" "$est.$short.level_change"
      covered "$tmp/out.csv" "trend change, per year" "$sl" "$est.$short.slope_change"
    done
  done
  s=$((s + 1))
done
awk '{ h[$1] += $2; n[$1]++; m[$1] += $3 } END { for (k in h) printf "coverage %s %d/%d (mean estimate %.4f)\n", k, h[k], n[k], m[k] / n[k] }' "$hits" | sort
awk '{ h += $2; n++ } END { printf "summary: %d fits, %d covered (%.1f %%); replicates %d; nominal 95 %%\n", n, h, 100 * h / n, '"$N"' }' "$hits"
