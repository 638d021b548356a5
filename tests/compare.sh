#!/bin/sh
# compare.sh — `reformstat compare` end to end on tests/data/stats/*.csv.
#
# groups.csv holds x1 and y1 of tests/data/stats/compare.R in 'score'
# (barnekoordinator, koordinator) and paired.csv holds pre/post by id (with
# one unmatched id), so the command must print R's values:
#   t.test(x1, y1)$p.value = 0.00034893727719022353
#   wilcox.test(x1, y1)$p.value = 0.0012237762237762239
#   t.test(pre, post, paired = TRUE)$p.value = 0.0044841883112002488
#   p.adjust(c(0.00034893727719022353, p2), "holm")[1] = 2 * 0.00034893727719022353
# survey.csv with --weight vekt --strata stratum --cluster klynge must print
# R's survey package (tests/data/stats/survey-compare.R; designs on the
# complete cases):
#   svyttest(skaar ~ factor(gruppe, levels = c("koordinator", "barnekoordinator")), d1)$p.value = 0.013697697142985892
#   regTermTest(svyglm(skaar ~ factor(tre), d3), ~factor(tre))$p = 0.980076078148570895
#   svychisq(~fornoyd + tre, dc)$statistic = 0.32466781050324245, $parameter = 3.15054507433546283, 28.35490566901916409
# TAP output for automake's tap-driver.sh; needs REFORMSTAT and top_srcdir.

: "${REFORMSTAT:?REFORMSTAT must name the reformstat program}"
: "${top_srcdir:=.}"
D=$(cd "$top_srcdir/tests/data/stats" && pwd) || { echo "1..0 # SKIP tests/data/stats not found"; exit 0; }
TMP=$(mktemp -d "${TMPDIR:-/tmp}/rs-compare.XXXXXX") || exit 99
trap 'rm -rf "$TMP"' EXIT INT TERM
n=0
failed=0
# check NAME WANT GOT: GOT within 1e-10 relative of WANT
check() {
  n=$((n + 1))
  if awk -v w="$2" -v g="$3" 'BEGIN { d = g - w; if (d < 0) d = -d; s = w < 0 ? -w : w; exit !(g != "" && d <= 1e-10 * s) }'; then
    echo "ok $n - $1"
  else
    failed=$((failed + 1)); echo "not ok $n - $1"; echo "#   want $2, got '$3'"
  fi
}
# field FILE ROW KEY: a value of the CSV output (ROW 1 = first record)
field() { awk -F, -v r="$2" -v k="$3" 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next } NR == r + 1 { print $(c[k]) }' "$1"; }

"$REFORMSTAT" compare "$D/groups.csv" --outcome score,score2 --by koordinator --adjust holm -f csv > "$TMP/w.csv" 2> "$TMP/err"
check "Welch p of score is R's t.test(x1, y1)" 0.00034893727719022353 "$(field "$TMP/w.csv" 1 p_value)"
check "Welch df (R)" 13.05135784300558299265 "$(field "$TMP/w.csv" 1 df)"
check "Holm over two outcomes doubles the smaller p (R p.adjust)" 0.00069787455438044706 "$(field "$TMP/w.csv" 1 p_adjusted)"
"$REFORMSTAT" compare "$D/groups.csv" --outcome score --by koordinator --test mann-whitney -f csv > "$TMP/m.csv" 2> "$TMP/err"
check "rank-sum exact p (R wilcox.test)" 0.0012237762237762239 "$(field "$TMP/m.csv" 1 p_value)"
"$REFORMSTAT" compare "$D/paired.csv" --outcome score --by wave --test paired --id id -f csv > "$TMP/p.csv" 2> "$TMP/err"
check "paired t by id, unmatched id left out (R t.test paired)" 0.0044841883112002488 "$(field "$TMP/p.csv" 1 p_value)"
n=$((n + 1))
if "$REFORMSTAT" compare "$D/paired.csv" --outcome score --by wave --test paired --id id | grep -q "1 row without a partner"; then
  echo "ok $n - the unmatched row is reported"
else failed=$((failed + 1)); echo "not ok $n - the unmatched row is reported"; fi
n=$((n + 1))
if "$REFORMSTAT" compare "$D/groups.csv" --outcome fornoyd --by koordinator --test chisq -f json | grep -q '"method": "Cramér'; then
  echo "ok $n - chisq with Cramér's V as JSON"
else failed=$((failed + 1)); echo "not ok $n - chisq with Cramér's V as JSON"; fi
SVY="--weight vekt --strata stratum --cluster klynge"
"$REFORMSTAT" compare "$D/survey.csv" --outcome skaar --by gruppe $SVY -f csv > "$TMP/s.csv" 2> "$TMP/err"
check "design-based t p (R svyttest)" 0.013697697142985892 "$(field "$TMP/s.csv" 1 p_value)"
check "design-based t estimate (R svyttest)" -1.129416927899687062 "$(field "$TMP/s.csv" 1 estimate)"
check "weighted mean of group 2 (R svyby)" 4.0587272727272730 "$(field "$TMP/s.csv" 3 estimate)"
check "its linearised SE (R svyby)" 0.28690339370195189 "$(field "$TMP/s.csv" 3 se)"
"$REFORMSTAT" compare "$D/survey.csv" --outcome skaar --by tre $SVY -f csv > "$TMP/s3.csv" 2> "$TMP/err"
check "design-based Wald p, three groups (R regTermTest)" 0.980076078148570895 "$(field "$TMP/s3.csv" 1 p_value)"
"$REFORMSTAT" compare "$D/survey.csv" --outcome fornoyd --by tre $SVY -f csv > "$TMP/sc.csv" 2> "$TMP/err"
check "Rao-Scott F (R svychisq)" 0.32466781050324245 "$(field "$TMP/sc.csv" 1 statistic)"
check "Rao-Scott ndf (R svychisq)" 3.15054507433546283 "$(field "$TMP/sc.csv" 1 df)"
check "Rao-Scott ddf (R svychisq)" 28.35490566901916409 "$(field "$TMP/sc.csv" 1 df2)"
n=$((n + 1))
if "$REFORMSTAT" compare "$D/survey.csv" --outcome skaar --by gruppe $SVY | grep -q "4 of 60 rows left out (missing 'skaar' or 'gruppe' or 'vekt')"; then
  echo "ok $n - rows without outcome, group or weight are counted in a note"
else failed=$((failed + 1)); echo "not ok $n - rows without outcome, group or weight are counted in a note"; fi
echo "1..$n"
[ "$failed" -eq 0 ]
