#!/bin/sh
# outcomes.sh [REPLICATES] — coverage of `reformstat outcomes`' 95 % confidence
# intervals for the before/after difference of each family-survey item.
#
# For seeds 1..REPLICATES (default 200): `reformstat simulate --families
# $FAMILIES` (default 3000), then `outcomes --by none --weight weight
# --cluster kommune --format csv` (design-based, clusters = kommuner, since
# the simulation has kommune effects), and for each item whether the CI
# [ci_low, ci_high] of after − before covers truth.json's exact model
# expectation family.expected.item_means.ITEM.post_minus_pre.
# Prints one line per parameter, `coverage NAME HITS/N`, then a summary line.
# Indexes are not scored: truth.json has no index-level expectation.
#
# Environment: REFORMSTAT (the program, default ./reformstat), FAMILIES,
# REFORMSTAT_REFDATA or REFDATA_SRC (kommune tables for simulate).
# Run long jobs with nice: nice -n 10 bench/coverage/outcomes.sh 200
set -eu
N=${1:-200}
R=${REFORMSTAT:-./reformstat}
FAMILIES=${FAMILIES:-3000}
REFDATA=${REFORMSTAT_REFDATA:-${REFDATA_SRC:-}}
case $N in ''|*[!0-9]*|0) echo "usage: $0 [REPLICATES >= 1]" >&2; exit 1 ;; esac
set -- ; [ -n "$REFDATA" ] && set -- --refdata "$REFDATA"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/rs-cov.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
: > "$tmp/hits"
s=1
while [ "$s" -le "$N" ]; do
  rm -rf "$tmp/sim"
  "$R" simulate -q --seed "$s" --families "$FAMILIES" --out "$tmp/sim" "$@" > /dev/null
  "$R" outcomes "$tmp/sim/family.csv" --codebook "$tmp/sim/family-codebook.csv" --by none \
      --weight weight --cluster kommune --format csv -o "$tmp/out.csv"
  # truth: "item_means": { "collab_1": { … "post_minus_pre": 0.090072, …
  awk '
    /"item_means": \{/ { on = 1; depth = 0; next }
    on && /^ *"[a-z_0-9]+": \{/ && depth == 0 { match($0, /"[a-z_0-9]+"/); item = substr($0, RSTART + 1, RLENGTH - 2) }
    on && /\{/ { depth += gsub(/\{/, "{") }
    on && /\}/ { n = gsub(/\}/, "}"); if (depth == 0 && n) { on = 0; next } depth -= n }
    on && /"post_minus_pre":/ && item != "" { v = $0; sub(/.*"post_minus_pre": */, "", v); sub(/,.*/, "", v); print item, v }
  ' "$tmp/sim/truth.json" > "$tmp/truth"
  # CSV with quoted fields (the method has a comma): split honouring quotes
  awk -v seed="$s" '
    function split_csv(line, f,    n, i, c, q, cur) {
      n = 0; cur = ""; q = 0
      for (i = 1; i <= length(line); i++) {
        c = substr(line, i, 1)
        if (q) { if (c == "\"") { if (substr(line, i + 1, 1) == "\"") { cur = cur c; i++ } else q = 0 } else cur = cur c }
        else if (c == "\"") q = 1
        else if (c == ",") { f[++n] = cur; cur = "" }
        else cur = cur c
      }
      f[++n] = cur
      return n
    }
    FNR == NR { truth[$1] = $2; next }
    FNR == 1 { n = split_csv($0, h); for (i = 1; i <= n; i++) col[h[i]] = i; next }
    {
      split_csv($0, f)
      name = f[col["name"]]
      if (!(name in truth)) next
      lo = f[col["ci_low"]]; hi = f[col["ci_high"]]
      if (lo == "" || hi == "") { print name, 0, seed; next }
      print name, (lo + 0 <= truth[name] + 0 && truth[name] + 0 <= hi + 0) ? 1 : 0, seed
    }
  ' "$tmp/truth" "$tmp/out.csv" >> "$tmp/hits"
  s=$((s + 1))
done
awk -v n="$N" '
  { if (!($1 in hits)) { order[++k] = $1; hits[$1] = 0 } hits[$1] += $2; seen[$1]++ }
  END {
    tot = 0; all = 0; lo = 1; hi = 0
    for (i = 1; i <= k; i++) {
      p = order[i]; printf "coverage %s %d/%d\n", p, hits[p], seen[p]
      tot += hits[p]; all += seen[p]; r = hits[p] / seen[p]; if (r < lo) lo = r; if (r > hi) hi = r
    }
    if (all == 0) { print "coverage summary: no parameter scored"; exit 1 }
    printf "coverage summary: %d/%d = %.1f %% over %d parameters and %d replicates (per parameter %.1f-%.1f %%; nominal 95 %%)\n", tot, all, 100 * tot / all, k, n, 100 * lo, 100 * hi
  }' "$tmp/hits"
