#!/bin/sh
# regress.sh — `reformstat regress` from the command line: usage errors exit 1
# with a message, a formula syntax error shows a caret, and a fit on the
# bundled sample matches R.
#
# Expected values: R 4.2.2, sandwich 3.0.2, on datasets/sample/family.csv
# with the codebook's missing codes set to NA:
#   f <- lm(collab_1 ~ factor(coordinator_type) * post + child_age, data = d)
#   nobs(f)                                      -> 3446
#   coef(f)[2]                                   -> 0.3629290185949
#   sqrt(diag(vcovCL(f, cluster = ~kommune, type = "HC1")))[2] -> 0.0679325640874448
#   coef(f)[7] ("factor(coordinator_type)2:post") is NA (aliased)
set -u
R="${REFORMSTAT:-./reformstat}"
SRC="${top_srcdir:-.}"
n=0; failed=0
ok() { n=$((n + 1)); if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; failed=$((failed + 1)); fi; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
export LC_ALL=C
FAM="$SRC/datasets/sample/family.csv"
CB="$SRC/datasets/sample/family-codebook.csv"

"$R" regress --help > "$tmp/help" 2>&1; s=$?
ok $([ $s -eq 0 ] && grep -q -- "--vcov" "$tmp/help"; echo $?) "regress --help exits 0 and shows --vcov"
"$R" regress "$FAM" > /dev/null 2> "$tmp/err"; s=$?
ok $([ $s -eq 1 ] && grep -q -- '--formula is required' "$tmp/err"; echo $?) "no --formula: exit 1 with a message"
"$R" regress "$FAM" --formula 'collab_1 ~ child_age +* post' > /dev/null 2> "$tmp/err"; s=$?
ok $([ $s -eq 1 ] && grep -q '^                        \^' "$tmp/err"; echo $?) "formula syntax error: exit 1, caret under the '*'"
"$R" regress "$FAM" --formula 'collab_1 ~ child_age' --vcov HC9 > /dev/null 2> "$tmp/err"; s=$?
ok $([ $s -eq 1 ] && grep -q "unknown --vcov 'HC9'" "$tmp/err"; echo $?) "unknown --vcov: exit 1 naming it"
"$R" regress "$FAM" -c "$CB" --formula 'collab_1 ~ child_age' --family binomial > /dev/null 2> "$tmp/err"; s=$?
ok $([ $s -eq 1 ] && grep -q "0 or 1" "$tmp/err"; echo $?) "binomial with a Likert response: exit 1, 'must be 0 or 1'"

"$R" regress "$FAM" -c "$CB" -q --formula 'collab_1 ~ factor(coordinator_type) * post + child_age' \
  --vcov cluster:kommune --format csv -o "$tmp/out.csv"; s=$?
ok $s "lm with cluster:kommune on the sample exits 0"
line=$(grep '^factor(coordinator_type)1,' "$tmp/out.csv")
ok $(echo "$line" | awk -F, '{ d1 = $3 / 0.3629290185949 - 1; d2 = $4 / 0.0679325640874448 - 1;
  exit !($2 == 3446 && d1 < 1e-10 && d1 > -1e-10 && d2 < 1e-10 && d2 > -1e-10) }'; echo $?) \
  "estimate and vcovCL SE of factor(coordinator_type)1 match R to 1e-10, n 3446"
ok $(grep -q '^factor(coordinator_type)2:post,,,' "$tmp/out.csv"; echo $?) "aliased interaction reported without numbers (R: NA)"
ok $(grep -q '^r_squared,' "$tmp/out.csv" && grep -q '^F,' "$tmp/out.csv"; echo $?) "model records r_squared and F present"

echo "1..$n"
[ $failed -eq 0 ]
