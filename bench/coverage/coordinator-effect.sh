#!/bin/sh
# coordinator-effect.sh [REPLICATES] — coverage of the confidence intervals
# of `reformstat coordinator-effect` on simulated data with known truth.
#
# For seeds 1..REPLICATES (default 200): `reformstat simulate --seed S
# --families $FAMILIES` (default 3000), then `reformstat coordinator-effect
# --format csv` on its family.csv, and for every index and estimate whether
# the 95 % CI covers the truth in that run's truth.json
# (family.expected.index_regression: the exact population projections, on
# the raw index scale, of the regressions the command fits):
#   koordinator-none, barnekoordinator-none, barnekoordinator-koordinator
#   (the truth of the last is ~0: no advantage, latent effect exactly 0),
#   did (treated x post) and event:YEAR (treated x wave, vs the last
#   pre-reform wave).
# Prints one line `coverage INDEX:ESTIMATE HITS/N` per estimate, then
# `summary …` lines: all estimates pooled, and the range a correct 95 %
# interval would fall in (binomial, 99 %) for N replicates.
#
# Needs the kommune reference data (REFORMSTAT_REFDATA or the installed
# copy) for simulate.  REFORMSTAT names the program (default ./reformstat).
# Run it niced on a shared machine: nice -n 10 bench/coverage/coordinator-effect.sh 200
set -u
N=${1:-200}
R=${REFORMSTAT:-./reformstat}
FAMILIES=${FAMILIES:-3000}
case $N in ''|*[!0-9]*) echo "usage: $0 [REPLICATES]" >&2; exit 1 ;; esac
[ "$N" -ge 1 ] || { echo "usage: $0 [REPLICATES]  (at least 1)" >&2; exit 1; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/rs-coverage.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM
export LC_ALL=C
: > "$tmp/hits"
seed=1
while [ "$seed" -le "$N" ]; do
  d="$tmp/s$seed"
  if ! "$R" simulate --seed "$seed" --families "$FAMILIES" --coordinators 10 --out "$d" -q > "$tmp/msg" 2>&1; then
    echo "simulate --seed $seed failed:" >&2; cat "$tmp/msg" >&2; exit 2
  fi
  if ! "$R" coordinator-effect "$d/family.csv" -c "$d/family-codebook.csv" --format csv -q > "$tmp/est.csv" 2> "$tmp/msg"; then
    echo "coordinator-effect failed on seed $seed:" >&2; cat "$tmp/msg" >&2; exit 2
  fi
  # truth.json -> "path.to.key=value" lines (simulate writes one key per line)
  awk '
    NR == 1 { next }
    { line = $0; sub(/^[ \t]+/, "", line); sub(/,$/, "", line) }
    line ~ /^[]}]/ { depth--; next }
    {
      if (line ~ /^"[^"]*": /) { key = line; sub(/": .*/, "", key); sub(/^"/, "", key); val = line; sub(/^"[^"]*": /, "", val) }
      else { key = idx[depth]++; val = line }
      if (val == "{" || val == "[") { path[++depth] = key; idx[depth] = 0; next }
      p = ""; for (i = 1; i <= depth; i++) p = p path[i] "."
      gsub(/^"|"$/, "", val); print p key "=" val
    }' "$d/truth.json" | sed -n 's/^family\.expected\.index_regression\.//p' > "$tmp/truth"
  # the CSV (quoted fields may hold commas) -> "INDEX NAME CI_LOW CI_HIGH"
  awk '
    function split_csv(s, f,    n, i, c, q, cur) {
      n = 0; cur = ""; q = 0
      for (i = 1; i <= length(s); i++) {
        c = substr(s, i, 1)
        if (q) { if (c == "\"") { if (substr(s, i + 1, 1) == "\"") { cur = cur c; i++ } else q = 0 } else cur = cur c }
        else if (c == "\"") q = 1
        else if (c == ",") { f[++n] = cur; cur = "" }
        else cur = cur c
      }
      f[++n] = cur
      return n
    }
    NR == 1 { n = split_csv($0, h); for (i = 1; i <= n; i++) col[h[i]] = i; next }
    {
      split_csv($0, f)
      if (f[col["ci_low"]] == "" || f[col["ci_high"]] == "") next
      print f[col["group"]], f[col["name"]], f[col["ci_low"]], f[col["ci_high"]]
    }' "$tmp/est.csv" > "$tmp/ci"
  # join: estimate name -> truth key
  awk -v seed="$seed" '
    FILENAME == ARGV[1] { i = index($0, "="); t[substr($0, 1, i - 1)] = substr($0, i + 1); next }
    {
      idx = $1; name = $2; key = ""
      if (name == "koordinator-none") key = idx ".post.koordinator_minus_none"
      else if (name == "barnekoordinator-none") key = idx ".post.barnekoordinator_minus_none"
      else if (name == "barnekoordinator-koordinator") key = idx ".post.barnekoordinator_minus_koordinator"
      else if (name == "did") key = idx ".did_treated_post"
      else if (name ~ /^event:/) { y = name; sub(/^event:/, "", y); key = idx ".event." y }
      if (key == "") next
      if (!(key in t)) { print "no truth for " key " (seed " seed ")" > "/dev/stderr"; next }
      hit = ($3 + 0 <= t[key] + 0 && t[key] + 0 <= $4 + 0) ? 1 : 0
      print idx ":" name, hit
    }' "$tmp/truth" "$tmp/ci" >> "$tmp/hits"
  rm -rf "$d"
  seed=$((seed + 1))
done
awk -v n="$N" '
  { if (!($1 in tot)) order[++k] = $1; tot[$1]++; hit[$1] += $2; all++; allhit += $2 }
  END {
    for (i = 1; i <= k; i++) printf "coverage %s %d/%d\n", order[i], hit[order[i]], tot[order[i]]
    # 99 % range of a binomial(n, 0.95) count, by the normal approximation
    sd = sqrt(n * 0.95 * 0.05); lo = int(n * 0.95 - 2.576 * sd); hi = n * 0.95 + 2.576 * sd; if (hi > n) hi = n
    printf "summary estimates %d, replicates %d, pooled coverage %d/%d = %.1f %%\n", k, n, allhit, all, all ? 100 * allhit / all : 0
    printf "summary a correct 95 %% interval covers in about %d to %d of %d replicates (99 %% range)\n", lo, int(hi), n
  }' "$tmp/hits"
