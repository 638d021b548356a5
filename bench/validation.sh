#!/usr/bin/env bash
# bench/validation.sh [REPLICATES] — do the reform estimators recover the truth?
#
# Runs every bench/coverage/*.sh script (one per command: outcomes,
# coordinator-effect, caseload, its, …) with REPLICATES simulate seeds
# (default 200) and prints one table: for each parameter the number of
# replicates whose 95 % confidence interval covered truth.json's value, the
# coverage in percent, and whether that lies inside the range a correct 95 %
# interval gives in 99 % of such studies (binomial: with 200 replicates,
# 182 to 197 hits, 91.0-98.5 %).  Each script prints lines
# "coverage NAME HITS/N [comment]"; everything else it prints is kept in
# ${TMPDIR:-/tmp}/reformstat-validation/SCRIPT.log.
#
# Environment: REFORMSTAT (default <repo>/reformstat), REFORMSTAT_REFDATA
# (kommune list for simulate; default ../shared/data/norway).  Long: run it
# with nice.  Exit status: 0 every script ran; 1 a script failed; 2 nothing to run.
set -uo pipefail
N=${1:-200}
case $N in ''|*[!0-9]*|0) echo "usage: $0 [REPLICATES >= 1]" >&2; exit 2 ;; esac
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
export REFORMSTAT=${REFORMSTAT:-$root/reformstat}
if [ -z "${REFORMSTAT_REFDATA:-}" ] && [ -f "$root/../shared/data/norway/kommuner_2024.csv" ]; then
  REFORMSTAT_REFDATA=$(cd "$root/../shared/data/norway" && pwd)
fi
export REFORMSTAT_REFDATA
logs=${TMPDIR:-/tmp}/reformstat-validation
mkdir -p "$logs"
shopt -s nullglob
scripts=("$here"/coverage/*.sh)
[ ${#scripts[@]} -gt 0 ] || { echo "validation.sh: no bench/coverage/*.sh scripts" >&2; exit 2; }

# The 99 % range of the number of hits of a correct 95 % interval in n replicates.
range() {
  Rscript -e "n <- $1; cat(qbinom(0.005, n, 0.95), qbinom(0.995, n, 0.95))" 2> /dev/null ||
    awk -v n="$1" 'BEGIN { m = 0.95 * n; s = sqrt(n * 0.95 * 0.05); printf "%d %d", m - 2.576 * s + 0.5, m + 2.576 * s + 0.5 }'
}

status=0
table=$logs/table
: > "$table"
for s in "${scripts[@]}"; do
  name=$(basename "$s" .sh)
  echo "validation.sh: $name ($N replicates) …" >&2
  start=$(date +%s)
  if bash "$s" "$N" > "$logs/$name.log" 2>&1; then
    echo "validation.sh: $name done in $(( $(date +%s) - start )) s" >&2
  else
    echo "validation.sh: $name FAILED (exit $?): see $logs/$name.log" >&2
    tail -5 "$logs/$name.log" | sed 's/^/  /' >&2
    status=1
  fi
  grep '^coverage [^ ]* [0-9]*/[0-9]*' "$logs/$name.log" | awk -v s="$name" '{ print s, $2, $3 }' >> "$table"
done

printf '\n%-20s %-44s %9s %8s  %s\n' "script" "parameter" "covered" "%" "within the 99 % range of a correct 95 % CI?"
while read -r script param frac; do
  hits=${frac%/*}
  n=${frac#*/}
  [ "$n" -gt 0 ] || continue
  read -r lo hi <<< "$(range "$n")"
  verdict="yes ($lo-$hi)"
  if [ "$hits" -lt "$lo" ]; then verdict="NO: too few ($lo-$hi)"; elif [ "$hits" -gt "$hi" ]; then verdict="no: too many ($lo-$hi)"; fi
  printf '%-20s %-44s %9s %8s  %s\n' "$script" "$param" "$frac" "$(awk -v h="$hits" -v n="$n" 'BEGIN { printf "%.1f", 100 * h / n }')" "$verdict"
done < "$table"
echo
echo "Each script's own notes (which parameters are expected to under-cover and why): $logs/*.log"
exit $status
