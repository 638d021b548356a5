#!/bin/sh
# simulate.sh — `reformstat simulate`: bad options fail cleanly and leave
# nothing behind; the bundled sample (datasets/sample) regenerates byte for
# byte; a larger run recovers the truth written to truth.json.
#
# Where the expected values come from:
#   * regeneration: the committed datasets/sample, made by
#     `reformstat simulate --seed 20220801 --out datasets/sample`;
#   * recovery: truth.json of the same run.  Its "expected" values are exact
#     expectations under the model (sums over the discrete covariates), its
#     "parameters" the values the data were drawn with.  Estimates come
#     from `reformstat describe --format csv` (mean, se, category counts)
#     or, for the registry trend, from an OLS fit in awk below.
#   * tolerance: 4 standard errors of the estimate.  A correct generator
#     then fails with probability about 6e-5 per check; a wrong one (for
#     instance an effect of the wrong sign or size, or a truth.json that
#     does not describe the data) fails, since every recovered quantity is
#     more than 4 standard errors away from the values a plausible bug
#     gives (checked below: e.g. the registry trend is > 4 SE from zero).
#     The seed is fixed, so the outcome is the same on every run.
set -u
R="${REFORMSTAT:-./reformstat}"
SRC="${top_srcdir:-.}"
REFDATA="${REFDATA_SRC:-}"
n=0; failed=0
ok() { n=$((n + 1)); if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; failed=$((failed + 1)); fi; }
skip() { n=$((n + 1)); echo "ok $n # SKIP $1"; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
export LC_ALL=C

# ---- bad options: exit 1, a clear message, nothing written ----------------
# (these fail before the reference data are read, so they run everywhere)
bad() {  # bad "MESSAGE FRAGMENT" ARGS... : exit status 1, message, $tmp/out absent
  want=$1; shift
  "$R" simulate "$@" > "$tmp/msg" 2>&1
  st=$?
  left=$(ls -A "$tmp/w" 2>/dev/null)
  ok $([ $st -eq 1 ] && grep -qF -- "$want" "$tmp/msg" && [ -z "$left" ]; echo $?) "simulate $*: exit 1, says \"$want\", writes nothing"
  [ $st -eq 1 ] || { echo "# exit status $st"; sed 's/^/# /' "$tmp/msg"; }
}
mkdir "$tmp/w"
bad "give --seed N" --out "$tmp/w/o"
bad "--seed must be a whole number from 0 to 4294967295, not 'abc'" --seed abc --out "$tmp/w/o"
bad "--seed must be a whole number from 0 to 4294967295, not '4294967296'" --seed 4294967296 --out "$tmp/w/o"
bad "give --out DIR" --seed 1
bad "unknown --style 'excel'" --seed 1 --out "$tmp/w/o" --style excel
bad "--families must be at least 1" --seed 1 --out "$tmp/w/o" --families 0
bad "--families must be at least 1, not -5" --seed 1 --out "$tmp/w/o" --families -5
bad "--families 20000000 is too large: at most 10000000" --seed 1 --out "$tmp/w/o" --families 20000000
bad "--families must be a whole number written with digits only, not '1e6'" --seed 1 --out "$tmp/w/o" --families 1e6
bad "--coordinators 99999999999999 is too large" --seed 1 --out "$tmp/w/o" --coordinators 99999999999999
bad "--years 2025-2019: the first year is after the last" --seed 1 --out "$tmp/w/o" --years 2025-2019
bad "--years 2022 leaves no survey wave" --seed 1 --out "$tmp/w/o" --years 2022
bad "--years must be FIRST-LAST with four-digit years" --seed 1 --out "$tmp/w/o" --years 19-25
bad "years must lie within 2010-2035" --seed 1 --out "$tmp/w/o" --years 1990-2025
bad "unexpected argument 'extra'" --seed 1 --out "$tmp/w/o" extra

"$R" simulate --help > "$tmp/help" 2>&1
ok $([ $? -eq 0 ] && grep -q -- '--families=N' "$tmp/help" && grep -q 'default: 3000' "$tmp/help" \
     && grep -q 'default: 2019-2025' "$tmp/help" && grep -q 'excel-nb' "$tmp/help"; echo $?) "--help documents the options and their defaults"

if [ -z "$REFDATA" ] || [ ! -f "$REFDATA/kommuner_2024.csv" ]; then
  skip "no reference data (../shared absent; configure --with-refdata=DIR): simulate needs the kommune list, so regeneration and recovery are not tested"
  echo "1..$n"
  [ "$failed" -eq 0 ]
  exit
fi
S() { "$R" simulate --refdata "$REFDATA" -q "$@"; }

# ---- output directory rules -------------------------------------------------
bad "cannot create a directory in $tmp/w/missing" --seed 1 --out "$tmp/w/missing/o" --refdata "$REFDATA"
touch "$tmp/file"
"$R" simulate --seed 1 --out "$tmp/file" --refdata "$REFDATA" > "$tmp/msg" 2>&1
ok $([ $? -eq 1 ] && grep -q "exists and is not a directory" "$tmp/msg"; echo $?) "--out naming a file is refused"
mkdir "$tmp/mine" && echo keep > "$tmp/mine/notes.txt"
"$R" simulate --seed 1 --out "$tmp/mine" --refdata "$REFDATA" > "$tmp/msg" 2>&1
ok $([ $? -eq 1 ] && grep -q "already exists and is not empty; give --force" "$tmp/msg"; echo $?) "a non-empty --out is refused without --force"
"$R" simulate --seed 1 --out "$tmp/mine" --force --refdata "$REFDATA" > "$tmp/msg" 2>&1
ok $([ $? -eq 1 ] && grep -q "not an earlier simulate output" "$tmp/msg" && [ "$(cat "$tmp/mine/notes.txt")" = keep ]; echo $?) \
  "--force does not replace a directory that is not an earlier simulate output"
mkdir "$tmp/empty"
S --seed 3 --families 50 --out "$tmp/empty"
ok $([ $? -eq 0 ] && [ -f "$tmp/empty/truth.json" ]; echo $?) "an existing empty --out is filled"
S --seed 4 --families 50 --out "$tmp/empty" --force
ok $([ $? -eq 0 ] && grep -q '"seed": 4,' "$tmp/empty/truth.json"; echo $?) "--force replaces an earlier simulate output"
# a write that fails half-way (file size limit) leaves neither DIR nor the temporary directory
mkdir "$tmp/lim"
sh -c "ulimit -f 100; trap '' XFSZ; \"\$0\" simulate --seed 1 --out \"\$1\" --refdata \"\$2\" -q" "$R" "$tmp/lim/o" "$REFDATA" > "$tmp/msg" 2>&1
st=$?
ok $([ $st -eq 1 ] && grep -q "nothing was written" "$tmp/msg" && [ -z "$(ls -A "$tmp/lim")" ]; echo $?) \
  "a write error half-way leaves nothing behind (exit $st: $(head -c 120 "$tmp/msg"))"

# ---- the bundled sample regenerates byte for byte -----------------------------
sample="$SRC/datasets/sample"
if [ -f "$sample/truth.json" ]; then
  S --seed 20220801 --out "$tmp/sample"
  ok $? "simulate --seed 20220801 --out DIR runs"
  ok $([ "$(cd "$sample" && ls | grep -v "\.ini$" | sort)" = "$(cd "$tmp/sample" && ls | sort)" ]; echo $?) "same files as datasets/sample (besides the plans, *.ini)"
  for f in "$tmp/sample"/*; do
    b=$(basename "$f")
    ok $(cmp -s "$f" "$sample/$b"; echo $?) "datasets/sample/$b regenerates byte for byte"
  done
else
  skip "datasets/sample is not in this tree"
fi

# ---- same seed, same bytes; the style changes the form, not the numbers ------
S --seed 99 --families 400 --coordinators 60 --out "$tmp/p1"
S --seed 99 --families 400 --coordinators 60 --out "$tmp/p2"
ok $(diff -r "$tmp/p1" "$tmp/p2" > /dev/null; echo $?) "the same seed gives the same bytes"
S --seed 99 --families 100 --coordinators 60 --out "$tmp/p3"
ok $(cmp -s "$tmp/p1/registry.csv" "$tmp/p3/registry.csv" && cmp -s "$tmp/p1/coordinators.csv" "$tmp/p3/coordinators.csv"; echo $?) \
  "registry and coordinators do not change with --families (one random stream per dataset)"
S --seed 99 --families 400 --coordinators 60 --out "$tmp/x1" --style excel-nb
ok $(head -n 1 "$tmp/x1/family.csv" | grep -q '^respondent_id;panel_id;year;' \
     && [ "$(tail -c 2 "$tmp/x1/family.csv" | od -An -c | tr -d ' ')" = '\r\n' ] \
     && grep -q "$(printf 'Unj\341rga - Nesseby')" "$tmp/x1/registry.csv" && grep -q '^01\.01\.2019;2019;0301;Oslo;03;' "$tmp/x1/registry.csv" \
     && grep -q ';[0-9]*,[0-9];1.$' "$tmp/x1/registry.csv"; echo $?) \
  "excel-nb: ';', CRLF, Windows-1252 names, dd.mm.yyyy dates, decimal comma"
for d in family coordinators; do
  "$R" describe "$tmp/p1/$d.csv" -c "$tmp/p1/$d-codebook.csv" --format csv > "$tmp/d1" 2>&1
  "$R" describe "$tmp/x1/$d.csv" -c "$tmp/x1/$d-codebook.csv" --format csv > "$tmp/d2" 2>&1
  ok $(cmp -s "$tmp/d1" "$tmp/d2" && [ -s "$tmp/d1" ]; echo $?) "describe gives the same statistics for the plain and excel-nb $d.csv"
done
for d in family coordinators registry cases; do
  "$R" validate "$tmp/x1/$d.csv" -c "$tmp/x1/$d-codebook.csv" --encoding windows-1252 > "$tmp/msg" 2>&1
  ok $(grep -q ' 0 errors, 0 warnings' "$tmp/msg"; echo $?) "excel-nb $d.csv validates against its codebook"
done

# ---- recovery: a larger run against truth.json --------------------------------
S --seed 4242 --families 50000 --coordinators 20000 --out "$tmp/big"
ok $? "simulate --families 50000 --coordinators 20000 runs"
big="$tmp/big"
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
  }' "$big/truth.json" > "$tmp/truth"
truth() { v=$(grep -F "$1=" "$tmp/truth" | grep "^$1=" | head -n 1 | cut -d= -f2); [ -n "$v" ] || echo "# truth.json has no $1" >&2; echo "${v:-nan}"; }
# param SECTION NAME: the value of a named parameter
param() {
  i=$(grep "^$1\.parameters\.[0-9]*\.name=$2\$" "$tmp/truth" | sed 's/.*parameters\.\([0-9]*\)\.name=.*/\1/')
  truth "$1.parameters.${i:-x}.value"
}
ok $([ "$(truth seed)" = 4242 ] && [ "$(truth options.families)" = 50000 ]; echo $?) "truth.json records the seed and the sizes"

# describe CSV -> "name group n mean se" lines (group: the code before the label)
describe_means() {  # FILE CODEBOOK BY VARS
  "$R" describe "$1" -c "$2" --by "$3" --vars "$4" --format csv 2>/dev/null | awk '
    function csvsplit(line, f,    n, i, c, inq, cur) {
      n = 0; cur = ""; inq = 0
      for (i = 1; i <= length(line); i++) {
        c = substr(line, i, 1)
        if (inq) { if (c == "\"") { if (substr(line, i + 1, 1) == "\"") { cur = cur "\""; i++ } else inq = 0 } else cur = cur c }
        else if (c == "\"") inq = 1
        else if (c == ",") { f[++n] = cur; cur = "" }
        else cur = cur c
      }
      f[++n] = cur; return n
    }
    { sub(/\r$/, "") }
    NR == 1 { nh = csvsplit($0, h); for (i = 1; i <= nh; i++) col[h[i]] = i; next }
    { csvsplit($0, f); g = f[col["group"]]; sub(/ .*/, "", g)
      if (f[col["level"]] != "") print f[col["name"]], g, "level", f[col["level"]], f[col["n"]]
      else print f[col["name"]], g, f[col["n"]], f[col["mean"]], f[col["se"]] }'
}
# check LABEL ESTIMATE SE TRUTH: |estimate - truth| <= 4 se
check() {
  r=$(awk -v e="$2" -v s="$3" -v t="$4" 'BEGIN { d = e - t; if (d < 0) d = -d; print (s > 0 && d <= 4 * s && t != "nan") ? 0 : 1; printf "%.4f", d / (s > 0 ? s : 1) > "/dev/stderr" }' 2> "$tmp/z")
  ok "$r" "$1: estimate $2, truth $4, |diff| = $(cat "$tmp/z") SE (tolerance 4 SE)"
}

# family: post - pre item means (the raw difference: the 0.05 latent post
# effect plus the change in who has a coordinator)
items="collab_1 collab_2 collab_3 info_1 info_2 info_3 listen_1 listen_2 listen_3 burden_1 burden_2 burden_3"
describe_means "$big/family.csv" "$big/family-codebook.csv" post "$(echo $items | tr ' ' ,)" > "$tmp/m"
for it in $items; do
  est=$(awk -v v="$it" '$1 == v && $2 == 1 { m1 = $4; s1 = $5 } $1 == v && $2 == 0 { m0 = $4; s0 = $5 }
        END { printf "%.6f %.6f\n", m1 - m0, sqrt(s1 * s1 + s0 * s0) }' "$tmp/m")
  check "family $it: post - pre mean" $est "$(truth family.expected.item_means.$it.post_minus_pre)"
done
# the collaboration change is detectable at this size (a test that could not fail would be a defect)
est=$(awk '$1 == "collab_2" && $2 == 1 { m1 = $4; s1 = $5 } $1 == "collab_2" && $2 == 0 { m0 = $4; s0 = $5 } END { print ((m1 - m0) > 4 * sqrt(s1 * s1 + s0 * s0)) ? 0 : 1 }' "$tmp/m")
ok "$est" "family collab_2: the post - pre difference is more than 4 SE from zero"

# family: coordinator type shares before and after the reform
describe_means "$big/family.csv" "$big/family-codebook.csv" post coordinator_type > "$tmp/c"
for pp in 0:pre 1:post; do
  p=${pp%%:*}; name=${pp#*:}
  for tt in 0:none 1:koordinator 2:barnekoordinator; do
    t=${tt%%:*}; tn=${tt#*:}
    [ "$p" = 0 ] && [ "$t" = 2 ] && continue
    est=$(awk -v g="$p" -v l="$t" '$2 == g && $3 == "level" { tot += $5; if ($4 == l) k = $5 }
          END { q = k / tot; printf "%.6f %.6f\n", q, sqrt(q * (1 - q) / tot) }' "$tmp/c")
    check "family: share with $tn $name the reform" $est "$(truth family.expected.coordinator_type_share.$name.$tn)"
  done
done
ok $(awk '$2 == 0 && $3 == "level" && $4 == 2 { bad = 1 } END { exit bad }' "$tmp/c"; echo $?) "family: no barnekoordinator before the reform"

# family: barnekoordinator vs koordinator after the reform (truth: no
# advantage; the raw difference only reflects who gets which)
awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "post") c = i; print; next } $c == 1' "$big/family.csv" > "$tmp/post.csv"
describe_means "$tmp/post.csv" "$big/family-codebook.csv" coordinator_type "collab_1,collab_2,info_1,listen_1,burden_1" > "$tmp/m2"
for it in collab_1 collab_2 info_1 listen_1 burden_1; do
  est=$(awk -v v="$it" '$1 == v && $2 == 2 { m1 = $4; s1 = $5 } $1 == v && $2 == 1 { m0 = $4; s0 = $5 }
        END { printf "%.6f %.6f\n", m1 - m0, sqrt(s1 * s1 + s0 * s0) }' "$tmp/m2")
  check "family $it after the reform: barnekoordinator - koordinator" $est \
    "$(truth family.expected.item_means.$it.post_barnekoordinator_minus_koordinator)"
done

# coordinators: mean families per coordinator, earmarked hours, share of barnekoordinatorer
"$R" describe "$big/coordinators.csv" -c "$big/coordinators-codebook.csv" --vars families,earmarked_hours --format csv > "$tmp/k" 2>/dev/null
for v in families:families_mean earmarked_hours:earmarked_hours_mean; do
  est=$(awk -F, -v v="${v%%:*}" 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next } $1 == v { print $c["mean"], $c["se"] }' "$tmp/k")
  check "coordinators: mean ${v%%:*}" $est "$(truth coordinators.expected.${v#*:})"
done
est=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next } { n++; z += ($c["earmarked_hours"] == "0.0"); b += ($c["coordinator_type"] == 2) }
      END { q = z / n; printf "%.6f %.6f\n", q, sqrt(q * (1 - q) / n) }' "$big/coordinators.csv")
check "coordinators: share with no earmarked hours" $est "$(truth coordinators.expected.share_no_earmarked_hours)"
# capacity falls with families per earmarked hour (truth: capacity_per_load < 0)
est=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
      $c["capacity_1"] ~ /^[1-5]$/ { l = $c["families"] / ($c["earmarked_hours"] + 1); x = $c["capacity_1"]
        if (l < 1) { n0++; s0 += x; q0 += x * x } else if (l >= 4) { n1++; s1 += x; q1 += x * x } }
      END { m0 = s0 / n0; m1 = s1 / n1; v0 = (q0 / n0 - m0 * m0) / n0; v1 = (q1 / n1 - m1 * m1) / n1
            printf "%d %.4f %.4f\n", (m1 - m0 < -4 * sqrt(v0 + v1)) ? 0 : 1, m0, m1 }' "$big/coordinators.csv")
set -- $est
ok "$1" "coordinators: capacity_1 lower at 4+ families per earmarked hour ($3) than below 1 ($2), by more than 4 SE (truth $(param coordinators capacity_per_load) per unit)"

# registry: pre-reform trend and the change at 2022-08 in children with
# individuell plan, from the kommuner with >= 5000 children and no symbol
# in children_ip from 2019-01 to 2023-07 (so the set does not change).
# National rate per 1000 = sum of counts / sum of children; OLS on
# 2019-01..2022-07; the kommune factors scale the rate by F, estimated as
# intercept / ip_rate_2019.  SE from the residuals, doubled for the AR(1)
# noise (phi = 0.6: sqrt((1 + phi) / (1 - phi)) = 2).
base=$(param registry ip_rate_2019)
awk -F, -v base="$base" '
  NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
  {
    k = $col["kommune"]; split($col["period"], d, "-"); t = (d[1] - 2019) * 12 + d[2] - 1
    if (t == 0) size[k] = $col["children_0_17"]
    if (t < 55 && $col["children_ip"] !~ /^[0-9]+$/) bad[k] = 1
    num[k, t] = $col["children_ip"]; den[k, t] = $col["children_0_17"]
    if (!(k in seen)) { seen[k] = 1; ks[++nk] = k }
  }
  END {
    for (i = 1; i <= nk; i++) if (size[ks[i]] >= 5000 && !bad[ks[i]]) use[ks[i]] = 1
    for (t = 0; t < 55; t++) { N = 0; D = 0; for (k in use) { N += num[k, t]; D += den[k, t] }; rate[t] = 1000 * N / D }
    n = 43; sx = 0; sy = 0
    for (t = 0; t < n; t++) { sx += t / 12; sy += rate[t] }
    mx = sx / n; my = sy / n
    for (t = 0; t < n; t++) { x = t / 12 - mx; sxx += x * x; sxy += x * (rate[t] - my) }
    b = sxy / sxx; a = my - b * mx
    for (t = 0; t < n; t++) { r = rate[t] - a - b * t / 12; ss += r * r }
    s = 2 * sqrt(ss / (n - 2)); F = a / base
    for (t = 43; t < 55; t++) { jump += rate[t] - (a + b * t / 12); xm += t / 12 }
    jump /= 12; xm /= 12
    printf "%.6f %.6f %.6f %.6f %.6f\n", b / F, s / sqrt(sxx) / F, jump / F, s * sqrt(1 / 12 + 1 / n + (xm - mx) ^ 2 / sxx) / F, xm - 43 / 12
  }' "$big/registry.csv" > "$tmp/its"
read slope se_slope jump se_jump after < "$tmp/its"
check "registry: pre-reform trend in individuell plan per 1000 children per year" "$slope" "$se_slope" "$(param registry ip_trend_pre)"
ok $(awk -v b="$slope" -v s="$se_slope" 'BEGIN { exit !(b < -4 * s) }'; echo $?) "registry: the pre-reform trend is negative, more than 4 SE below zero ($slope, SE $se_slope)"
want=$(awk -v l="$(param registry ip_level_change)" -v sl="$(param registry ip_slope_change)" -v a="$after" 'BEGIN { printf "%.6f", l + sl * a }')
check "registry: 2022-08 to 2023-07 above the pre-trend (level + slope change)" "$jump" "$se_jump" "$want"
ok $(awk -F, 'NR > 1 && $1 < "2022-08" && $10 != "." { bad = 1 } NR > 1 && $1 >= "2022-08" && $10 == "." { bad = 1 } END { exit bad }' "$big/registry.csv"; echo $?) \
  "registry: families_barnekoordinator is '.' exactly before 2022-08"

# cases: no barnekoordinator subject before the reform
ok $(awk -F, 'NR > 1 && $5 == 1 && $6 < "2022-08-01" { bad = 1 } END { exit bad }' "$big/cases.csv"; echo $?) \
  "cases: no barnekoordinator case received before 2022-08-01"

echo "1..$n"
[ "$failed" -eq 0 ]
