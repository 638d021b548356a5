#!/bin/sh
# bench/coverage/caseload.sh — does `reformstat caseload` recover the
# coordinator truth of `reformstat simulate`?  For seeds 1..N: simulate
# (small family survey, COORDINATORS coordinators, default 300), run
# caseload and count how often the 95 % CI covers truth.json's
#   coordinators.expected.families_mean             (families per coordinator:
#                                                    sum/sum = mean, svyratio SE, normal CI)
#   coordinators.expected.share_no_earmarked_hours  (Wilson CI)
# Both are expectations of the simulation model, so the CIs should cover
# them about 95 % of the time.
#
# Usage: bench/coverage/caseload.sh [REPLICATES] [COORDINATORS]   (defaults 200, 300)
# Environment: REFORMSTAT (default <repo>/reformstat), REFORMSTAT_REFDATA
# (default ../shared/data/norway beside the repository).
# Prints "coverage NAME HITS/N" lines and a summary; exit 0 when it ran,
# 2 when it could not.
set -eu
N=${1:-200}
NC=${2:-300}
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$(dirname "$here")")
R=${REFORMSTAT:-$root/reformstat}
REF=${REFORMSTAT_REFDATA:-$root/../shared/data/norway}
[ -x "$R" ] || { echo "caseload.sh: no reformstat at $R" >&2; exit 2; }
[ -f "$REF/kommuner_2024.csv" ] || { echo "caseload.sh: no reference data at $REF (set REFORMSTAT_REFDATA)" >&2; exit 2; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/rs-cov-caseload.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
hits="$tmp/hits"; : > "$hits"

# truth KEY: a number from truth.json's coordinators.expected block
truth() { sed -n "/\"coordinators\": {/,/\"registry\": {/p" "$tmp/sim/truth.json" | sed -n "s/.*\"$1\": \([-0-9.e]*\).*/\1/p" | head -n 1; }

# covered ROWNAME TRUTH LABEL: reads estimate, ci_low, ci_high by the CSV header
covered() {
  awk -F, -v row="$1" -v t="$2" -v l="$3" '
    NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
    $(col["name"]) == row { printf "%s %d %.6f\n", l, ($(col["ci_low"]) <= t && t <= $(col["ci_high"])), $(col["estimate"]); found = 1 }
    END { if (!found) { print "caseload.sh: no row " row > "/dev/stderr"; exit 2 } }' "$tmp/out.csv" >> "$hits"
}

s=1
while [ "$s" -le "$N" ]; do
  "$R" simulate --seed "$s" --out "$tmp/sim" --families 50 --coordinators "$NC" --refdata "$REF" -q --force
  fm=$(truth families_mean)
  sh=$(truth share_no_earmarked_hours)
  [ -n "$fm" ] && [ -n "$sh" ] || { echo "caseload.sh: truth.json lacks families_mean or share_no_earmarked_hours" >&2; exit 2; }
  "$R" caseload "$tmp/sim/coordinators.csv" -c "$tmp/sim/coordinators-codebook.csv" --lang en -f csv -q -o "$tmp/out.csv"
  covered "families per coordinator" "$fm" families_per_coordinator
  covered "no earmarked time" "$sh" share_no_earmarked_hours
  s=$((s + 1))
done
awk '{ h[$1] += $2; n[$1]++; m[$1] += $3 } END { for (k in h) printf "coverage %s %d/%d (mean estimate %.4f)\n", k, h[k], n[k], m[k] / n[k] }' "$hits" | sort
awk '{ h += $2; n++ } END { printf "summary: %d intervals, %d covered (%.1f %%); replicates %d, %d coordinators each; nominal 95 %%\n", n, h, 100 * h / n, '"$N"', '"$NC"' }' "$hits"
