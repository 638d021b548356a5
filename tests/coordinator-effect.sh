#!/bin/sh
# coordinator-effect.sh — `reformstat coordinator-effect` from the command
# line: --help, the sample (against R), --lang en, JSON, simulate's excel-nb
# style giving the same numbers as the plain style, and the coverage bench
# (bench/coverage/coordinator-effect.sh) with a few replicates.
#
# Expected values: R 4.x, sandwich, on datasets/sample/family.csv (index =
# mean of the items with 8 = NA, reverse-coded 6 - x, at least half answered):
#   fit <- lm(collaboration ~ koordinator + barnekoordinator + child_age + factor(diagnosis_group)
#             + n_services + factor(fylke), data = d[d$post == 1, ])
#   V <- vcovCL(fit, cluster = ~kommune, type = "HC1"); b <- coef(fit)
#   nobs(fit)                                   -> 1738
#   b["barnekoordinator"] - b["koordinator"]    -> -0.065326296906106196
#   sqrt(V[bk,bk] + V[k,k] - 2 V[bk,k])         -> 0.066615995472124295
#   MDE = (qnorm(0.975) + qnorm(0.8)) * se      -> 0.18663038820458383
set -u
R="${REFORMSTAT:-./reformstat}"
SRC="${top_srcdir:-.}"
n=0; failed=0
ok() { n=$((n + 1)); if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; failed=$((failed + 1)); fi; }
skip() { n=$((n + 1)); echo "ok $n # SKIP $1"; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
export LC_ALL=C
[ -n "${REFDATA_SRC:-}" ] && [ -z "${REFORMSTAT_REFDATA:-}" ] && export REFORMSTAT_REFDATA="$REFDATA_SRC"
FAM="$SRC/datasets/sample/family.csv"
CB="$SRC/datasets/sample/family-codebook.csv"

"$R" coordinator-effect --help > "$tmp/help" 2>&1; s=$?
ok $([ $s -eq 0 ] && grep -q -- "--covariates" "$tmp/help" && grep -q -- "--power" "$tmp/help" \
     && grep -q "z_{1-alpha/2} + z_{power}" "$tmp/help"; echo $?) "--help exits 0, shows the options and the MDE formula"
"$R" coordinator-effect "$FAM" > /dev/null 2> "$tmp/err"; s=$?
ok $([ $s -eq 1 ] && grep -q -- '--codebook is required' "$tmp/err"; echo $?) "no --codebook: exit 1 with a message"
"$R" coordinator-effect "$FAM" -c "$CB" --power 1.5 > /dev/null 2> "$tmp/err"; s=$?
ok $([ $s -eq 1 ] && grep -q -- "--power takes a number between 0 and 1" "$tmp/err"; echo $?) "--power 1.5: exit 1"

"$R" coordinator-effect "$FAM" -c "$CB" -q --format csv -o "$tmp/out.csv"; s=$?
ok $s "the sample: exit 0"
line=$(grep '^barnekoordinator-koordinator,collaboration,' "$tmp/out.csv")
ok $(echo "$line" | sed 's/"[^"]*"/Q/g' | awk -F, '{ d1 = $5 / -0.065326296906106196 - 1; d2 = $7 / 0.066615995472124295 - 1;
  exit !($4 == 1738 && d1 < 1e-10 && d1 > -1e-10 && d2 < 1e-10 && d2 > -1e-10) }'; echo $?) \
  "sample: barnekoordinator - koordinator (collaboration) and its vcovCL SE match R to 1e-10, n 1738"
mde=$(grep '^mde:barnekoordinator-koordinator,collaboration,' "$tmp/out.csv" | cut -d, -f5)
ok $(awk -v m="$mde" 'BEGIN { d = m / 0.18663038820458383 - 1; exit !(d < 1e-10 && d > -1e-10) }'; echo $?) \
  "sample: MDE = (qnorm(0.975) + qnorm(0.8)) x SE ($mde)"
ok $([ "$(grep -c '^event:' "$tmp/out.csv")" -eq 20 ] && [ "$(grep -c '^pretrend,' "$tmp/out.csv")" -eq 4 ]; echo $?) \
  "sample: 5 event coefficients and a pre-trend test for each of the 4 indexes"

"$R" coordinator-effect "$FAM" -c "$CB" -q > "$tmp/nb.txt"
ok $(grep -q "Dataene viser ingen fordel av barnekoordinator framfor koordinator" "$tmp/nb.txt" \
     && grep -q "kunne ha påvist en forskjell på 0,187 poeng" "$tmp/nb.txt"; echo $?) "bokmål verdict and MDE in words"
"$R" coordinator-effect "$FAM" -c "$CB" -q --lang en > "$tmp/en.txt"
ok $(grep -q "The data show no advantage of barnekoordinator over koordinator on any index" "$tmp/en.txt" \
     && grep -q "could have detected a difference of 0.187 points" "$tmp/en.txt"; echo $?) "--lang en verdict"
"$R" coordinator-effect "$FAM" -c "$CB" -q --format json > "$tmp/out.json"
ok $(grep -q '"command": "coordinator-effect"' "$tmp/out.json" && ! grep -q 'NaN\|nan' "$tmp/out.json"; echo $?) "JSON output, no NaN"
"$R" coordinator-effect "$FAM" -c "$CB" -q --covariates '' --indexes burden --wave-column '' --format csv > "$tmp/nocov.csv"; s=$?
ok $([ $s -eq 0 ] && grep -q '^did,burden' "$tmp/nocov.csv" && ! grep -q '^event:' "$tmp/nocov.csv"; echo $?) \
  "no covariates, no wave column: DiD on post, no event study"

# simulate's excel-nb style: same numbers as the plain style
if "$R" simulate --seed 11 --families 1500 --coordinators 10 --out "$tmp/p" -q > "$tmp/msg" 2>&1 &&
   "$R" simulate --seed 11 --families 1500 --coordinators 10 --out "$tmp/x" --style excel-nb -q > "$tmp/msg" 2>&1; then
  "$R" coordinator-effect "$tmp/p/family.csv" -c "$tmp/p/family-codebook.csv" -q --format csv > "$tmp/p.csv"; s1=$?
  "$R" coordinator-effect "$tmp/x/family.csv" -c "$tmp/x/family-codebook.csv" -q --format csv > "$tmp/x.csv"; s2=$?
  ok $([ $s1 -eq 0 ] && [ $s2 -eq 0 ] && cmp -s "$tmp/p.csv" "$tmp/x.csv" && [ -s "$tmp/p.csv" ]; echo $?) \
    "simulate --style excel-nb output gives the same results as the plain style"
  # coverage bench, 5 replicates: one line per estimate, sane counts
  REFORMSTAT="$R" FAMILIES=1500 "$SRC/bench/coverage/coordinator-effect.sh" 5 > "$tmp/cov" 2> "$tmp/coverr"; s=$?
  lines=$(grep -c '^coverage [a-z_]*:[a-z:0-9-]* [0-5]/5$' "$tmp/cov")
  hits=$(awk '/^coverage / { split($3, a, "/"); h += a[1] } END { print h + 0 }' "$tmp/cov")
  ok $([ $s -eq 0 ] && [ "$lines" -eq 36 ] && grep -q '^summary estimates 36, replicates 5' "$tmp/cov"; echo $?) \
    "coverage bench (5 replicates): 36 'coverage NAME HITS/5' lines and a summary (exit $s, $lines lines)"
  # 36 x 5 = 180 intervals; a correct 95 % interval misses about 9.  A wrong truth
  # (e.g. the latent effect instead of the raw-scale projection) misses most of 60.
  ok $([ "$hits" -ge 150 ]; echo $?) "coverage bench: $hits of 180 intervals cover the truth (at least 150)"
else
  skip "simulate needs the kommune reference data: excel-nb and coverage not tested"
  skip "coverage bench"
  skip "coverage bench"
fi
echo "1..$n"
[ "$failed" -eq 0 ]
