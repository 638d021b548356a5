#!/bin/sh
# run.sh — `reformstat run PLAN.ini`: the sample plan runs and writes the
# expected files; an analysis run from a plan gives the same bytes as the
# command typed by hand; bad plans are refused before anything runs (message
# with file, line and group, exit 1, no output directory, an earlier output
# untouched); a failing analysis and an interrupt leave nothing behind.
#
# Where the expected values come from: row counts are the sample files'
# line counts minus the header (wc -l: family 3637, coordinators 301,
# registry 29989, cases 478); SHA-256 from sha256sum(1); everything else is
# reformstat's own output compared with itself.  TAP for tap-driver.sh.

: "${REFORMSTAT:?REFORMSTAT must name the reformstat program}"
: "${top_srcdir:=.}"
SAMPLE=$(cd "$top_srcdir/datasets/sample" && pwd) || { echo "1..0 # SKIP datasets/sample not found"; exit 0; }
TMP=$(mktemp -d "${TMPDIR:-/tmp}/rs-run.XXXXXX") || exit 99
trap 'rm -rf "$TMP"' EXIT
R=$REFORMSTAT

n=0
failed=0
check() {
  name=$1
  shift
  n=$((n + 1))
  if ( eval "$*" ) > "$TMP/check.out" 2>&1; then
    echo "ok $n - $name"
  else
    failed=$((failed + 1))
    echo "not ok $n - $name"
    echo "#   $*" | head -c 400; echo
    awk '{ print "#   " $0 }' "$TMP/check.out" | head -n 20
  fi
}
run() {
  "$R" "$@" > "$TMP/out" 2> "$TMP/err"
  echo $? > "$TMP/rc"
}
rc_is() { test "$(cat "$TMP/rc")" = "$1" || { echo "exit $(cat "$TMP/rc"), expected $1"; cat "$TMP/err"; false; }; }
err_has() { grep -qF -- "$1" "$TMP/err" || { echo "stderr lacks: $1"; cat "$TMP/err"; false; }; }
no_tmp() { test -z "$(ls -A "$1" | grep '\.tmp-')" || { echo "left behind:"; ls -A "$1"; false; }; }
tree_sum() { (cd "$1" && find . -type f | sort | xargs sha256sum) ; }

# ---- the sample plan -----------------------------------------------------------
OUT="$TMP/out1"
run run "$SAMPLE/plan.ini" -o "$OUT"
check "sample plan: exit 0" rc_is 0
check "sample plan: a progress line per analysis on stderr" \
  'grep -q "^\[1/[0-9]*\] family-describe … [0-9.]* s$" "$TMP/err"'
check "sample plan: every analysis in text, csv and json, and manifest.json" '
  for a in $(sed -n "s/^\[analysis\.\(.*\)\]/\1/p" "$SAMPLE/plan.ini"); do
    for e in txt csv json; do test -s "$OUT/$a.$e" || { echo "missing $a.$e"; exit 1; }; done
  done
  test -s "$OUT/manifest.json"'
check "sample plan: nothing else in the output directory (but the -out files)" \
  'test "$(ls -A "$OUT" | wc -l)" -eq $(( $(grep -c "^\[analysis\." "$SAMPLE/plan.ini") * 3 + 1 + $(grep -c "^[a-z-]*-out=" "$SAMPLE/plan.ini") ))'
check "sample plan: no temporary directory left" no_tmp "$TMP"
check "manifest: rows of the four inputs (wc -l minus the header)" '
  grep -q "\"name\": \"family\", .*\"rows\": 3636," "$OUT/manifest.json" &&
  grep -q "\"name\": \"coordinators\", .*\"rows\": 300," "$OUT/manifest.json" &&
  grep -q "\"name\": \"registry\", .*\"rows\": 29988," "$OUT/manifest.json" &&
  grep -q "\"name\": \"cases\", .*\"rows\": 477," "$OUT/manifest.json"'
check "manifest: SHA-256 of family.csv as sha256sum" \
  'grep -q "\"sha256\": \"$(sha256sum < "$SAMPLE/family.csv" | cut -d" " -f1)\"" "$OUT/manifest.json"'
check "manifest: version, command and each analysis's files" '
  grep -q "\"reformstat\": \"[0-9]" "$OUT/manifest.json" && grep -q "\"command\": \"run\"" "$OUT/manifest.json" &&
  grep -q "\"files\": \[\"its-national-counterfactual.csv\", \"its-national.csv\", \"its-national.json\", \"its-national.txt\"\]" "$OUT/manifest.json"'
# caseload from the plan = caseload typed by hand (data:registry, codebook:registry)
"$R" caseload "$SAMPLE/coordinators.csv" --codebook "$SAMPLE/coordinators-codebook.csv" --by fylke,kommune \
  --registry "$SAMPLE/registry.csv" --registry-codebook "$SAMPLE/registry-codebook.csv" --format csv > "$TMP/hand0.csv" 2>/dev/null
check "caseload from the plan = caseload typed by hand (data:NAME, codebook:NAME)" cmp "$TMP/hand0.csv" "$OUT/caseload.csv"

# the statistics core from a plan: the same bytes as typed by hand
cat > "$TMP/core.ini" <<EOT
[plan]
title=core
[data.family]
path=$SAMPLE/family.csv
codebook=$SAMPLE/family-codebook.csv
weight=weight
cluster=kommune
[analysis.prepost]
command=compare
data=family
outcome=collab_1,collab_2,collab_3,info_1,info_2,info_3
by=post
adjust=holm
[analysis.unweighted]
command=describe
data=family
vars=coordinator_type,child_age
by=post
weight=     ; the survey design off
[analysis.boot]
command=bootstrap
data=family
var=child_age
B=99
seed=3
[analysis.alpha]
command=reliability
data=family
index=collaboration
EOT
run run "$TMP/core.ini" -o "$TMP/core" --format csv
check "core plan: exit 0" rc_is 0
# the same analysis typed by hand: the data group gives --weight and --cluster to compare
"$R" compare "$SAMPLE/family.csv" --codebook "$SAMPLE/family-codebook.csv" --weight weight --cluster kommune \
  --outcome collab_1,collab_2,collab_3,info_1,info_2,info_3 --by post --adjust holm --format csv > "$TMP/hand.csv" 2>/dev/null
check "compare from a plan = compare typed by hand (design from [data.family])" cmp "$TMP/hand.csv" "$TMP/core/prepost.csv"
"$R" describe "$SAMPLE/family.csv" --codebook "$SAMPLE/family-codebook.csv" \
  --vars coordinator_type,child_age --by post --format csv > "$TMP/hand2.csv" 2>/dev/null
check "weight= in an analysis leaves the survey design out" cmp "$TMP/hand2.csv" "$TMP/core/unweighted.csv"
"$R" bootstrap "$SAMPLE/family.csv" --codebook "$SAMPLE/family-codebook.csv" --var child_age -B 99 --seed 3 \
  --format csv > "$TMP/hand3.csv" 2>/dev/null
check "a one-letter key B=99 is -B 99" cmp "$TMP/hand3.csv" "$TMP/core/boot.csv"
check "one format: NAME.csv only" 'test "$(ls "$TMP/core" | tr "\n" " ")" = "alpha.csv boot.csv manifest.json prepost.csv unweighted.csv "'

# --format overrides the plan; a second run replaces an earlier run's output
tree_sum "$OUT" > "$TMP/sum1"
run run "$SAMPLE/plan.ini" -o "$OUT" --format md --quiet
check "--format md: exit 0, quiet" 'rc_is 0 && test ! -s "$TMP/err"'
check "--format md: only .md files and the manifest replace the earlier output" \
  'test -z "$(ls "$OUT" | grep -v "\.md$" | grep -v "^manifest.json$" | grep -v -- "-counterfactual.csv$")" && ls "$OUT" | grep -q "^caseload.md$"'
run run "$SAMPLE/plan.ini" -o "$OUT" --format text,csv,json --quiet
tree_sum "$OUT" | grep -v manifest > "$TMP/sum2"
check "the same plan twice gives the same bytes" 'diff "$TMP/sum2" "$(grep -v manifest "$TMP/sum1" > "$TMP/sum1b"; echo "$TMP/sum1b")"'
# analyses run in child processes, several at once: one at a time gives the same bytes
REFORMSTAT_THREADS=1 "$R" run "$SAMPLE/plan.ini" -o "$TMP/serial" --format text,csv,json --quiet 2> "$TMP/err"
check "one analysis at a time (REFORMSTAT_THREADS=1) = several at once, manifest too" \
  'tree_sum "$TMP/serial" > "$TMP/sum3" && tree_sum "$OUT" | diff - "$TMP/sum3"'
check "no analysis directory (.part-N) left in the output" 'test -z "$(ls -A "$OUT" | grep "^\.")"'
check "--check: checks the plan and writes nothing" \
  '"$R" run "$SAMPLE/plan.ini" -o "$TMP/never" --check 2> "$TMP/err" && grep -q "is fine" "$TMP/err" && test ! -e "$TMP/never"'

# ---- bad plans: message, exit 1, nothing written, earlier output untouched -----
tree_sum "$OUT" > "$TMP/before"
# bad NAME EXPECTED-MESSAGE: the plan is $TMP/bad/NAME.ini (data paths into the sample)
mkdir -p "$TMP/bad"
bad() {
  name=$1
  msg=$2
  run run "$TMP/bad/$name.ini" -o "$OUT"
  check "bad plan $name: exit 1" rc_is 1
  check "bad plan $name: message" 'err_has "$msg"'
  check "bad plan $name: earlier output untouched, no temporary directory" \
    'tree_sum "$OUT" | cmp -s - "$TMP/before" && no_tmp "$TMP"'
  run run "$TMP/bad/$name.ini" -o "$TMP/fresh-$name"
  check "bad plan $name: no output directory" 'rc_is 1 && test ! -e "$TMP/fresh-$name"'
}
base() {
  cat <<EOT
[plan]
title=test
[data.family]
path=$SAMPLE/family.csv
codebook=$SAMPLE/family-codebook.csv
EOT
}
{ base; printf '[data.nofile]\npath=missing/family.csv\n[analysis.a]\ncommand=describe\ndata=family\n'; } > "$TMP/bad/missing-file.ini"
bad missing-file "$TMP/bad/missing-file.ini, line 7, group [data.nofile]: the data file $TMP/bad/missing/family.csv does not exist"
{ base; printf '[analysis.outcomes]\ncommand=describe\ndata=famliy\n'; } > "$TMP/bad/unknown-data.ini"
bad unknown-data "line 8, group [analysis.outcomes]: data 'famliy' is not a [data.*] group (the plan has: family)"
{ base; printf '[analysis.x]\ncommand=describ\ndata=family\n'; } > "$TMP/bad/unknown-command.ini"
bad unknown-command "line 7, group [analysis.x]: unknown command 'describ' (a plan can run: describe,"
{ base; printf '[analysis.x]\ncommand=simulate\ndata=family\n'; } > "$TMP/bad/not-runnable.ini"
bad not-runnable "group [analysis.x]: a plan cannot run the command 'simulate'"
{ base; printf '[analysis.x]\ncommand=compare\ndata=family\noutcome=collab_1\nby=coordinator_typ\n'; } > "$TMP/bad/missing-variable.ini"
bad missing-variable "line 10, group [analysis.x]: by: variable 'coordinator_typ' is not a column of $SAMPLE/family.csv (data group 'family')"
{ base; printf '[analysis.x]\ncommand=describe\ndata=family\nvars=Child_age\n'; } > "$TMP/bad/case-variable.ini"
bad case-variable "variable 'Child_age' is not a column of $SAMPLE/family.csv (data group 'family') (did you mean 'child_age'?)"
{ base; printf 'weight=wieght\n[analysis.x]\ncommand=describe\ndata=family\n'; } > "$TMP/bad/design-variable.ini"
bad design-variable "line 6, group [data.family]: weight: variable 'wieght' is not a column"
{ base; printf '[analysis.x]\ncommand=reliability\ndata=family\nindex=colaboration\n'; } > "$TMP/bad/unknown-index.ini"
bad unknown-index "index: 'colaboration' is no index in the codebook $SAMPLE/family-codebook.csv"
{ base; printf '[analysis.x]\ncommand=describe\ndata=family\nthis line is wrong\n'; } > "$TMP/bad/malformed.ini"
bad malformed "$TMP/bad/malformed.ini, line 9: 'this line is wrong' is neither a [group] header nor a key=value line"
{ base; printf '[analysis.x\ncommand=describe\n'; } > "$TMP/bad/bad-group.ini"
bad bad-group "line 6: '[analysis.x' is not a group header"
{ base; printf '[analysis.x]\ncommand=describe\ndata=family\ndata=family\n'; } > "$TMP/bad/duplicate-key.ini"
bad duplicate-key "line 9, group [analysis.x]: key 'data' is given a second time (first on line 8)"
{ base; printf '[data.family]\npath=x.csv\n'; } > "$TMP/bad/duplicate-group.ini"
bad duplicate-group "line 6: group [data.family] appears a second time (first on line 3)"
{ printf 'formats=csv\n'; base; } > "$TMP/bad/key-before-group.ini"
bad key-before-group "line 1: key 'formats' comes before any [group]"
{ base; printf '[analysis.x]\ncommand=describe\ndata=family\n' ; } | sed 's/^title=test/formts=csv/' > "$TMP/bad/plan-key.ini"
bad plan-key "line 2, group [plan]: unknown key 'formts'"
{ base; printf '[analysis.x]\ncommand=describe\ndata=family\noutput=x\n'; } > "$TMP/bad/output-key.ini"
bad output-key "group [analysis.x]: output is set by run"
{ base; printf '[analysis.x]\ncommand=describe\ndata=family\n[analyses.y]\n'; } > "$TMP/bad/unknown-group.ini"
bad unknown-group "line 9, group [analyses.y]: unknown group"
{ base; printf 'encoding=latin-9\n[analysis.x]\ncommand=describe\ndata=family\n'; } > "$TMP/bad/bad-encoding.ini"
bad bad-encoding "line 4, group [data.family]: unknown --encoding 'latin-9'"
{ base; printf '[analysis.x]\ncommand=describe\ndata=family\n'; } | sed 's/^\[plan\]/[plan]\nformats=text,xlsx/' > "$TMP/bad/bad-format.ini"
bad bad-format "group [plan]: unknown format 'xlsx'"
printf '[plan]\ntitle=\377\n' > "$TMP/bad/not-utf8.ini"
bad not-utf8 "line 2: the plan is not UTF-8 text"
run run "$TMP/bad/none.ini" -o "$OUT"
check "a plan that does not exist: exit 1 and its name" 'rc_is 1 && err_has "cannot read the plan $TMP/bad/none.ini"'

# an analysis that fails while running: later analyses never run, nothing is written
{ base; printf '[analysis.first]\ncommand=describe\ndata=family\nvars=child_age\n[analysis.second]\ncommand=regress\ndata=family\nformula=nosuch ~ post\n[analysis.third]\ncommand=describe\ndata=family\n'; } > "$TMP/bad/fails.ini"
run run "$TMP/bad/fails.ini" -o "$OUT"
check "failing analysis: exit 1" rc_is 1
check "failing analysis: its message prefixed by the group" 'grep -q "^reformstat run: \[analysis.second\] .*nosuch" "$TMP/err"'
check "failing analysis: the later ones are not reported (killed or never started)" '! grep -q "third" "$TMP/err"'
check "failing analysis: earlier output untouched, no temporary directory" 'tree_sum "$OUT" | cmp -s - "$TMP/before" && no_tmp "$TMP"'
mkdir "$TMP/notours" && echo keep > "$TMP/notours/keep.txt"
run run "$SAMPLE/plan.ini" -o "$TMP/notours"
check "a non-empty directory that is not a run's output is refused" \
  'rc_is 1 && err_has "is not the output of an earlier" && test "$(ls "$TMP/notours")" = keep.txt'

# the global limits reach every analysis, also when several run at once
{ base; printf '[analysis.a]\ncommand=describe\ndata=family\nvars=child_age\n[analysis.b]\ncommand=regress\ndata=family\nformula=child_age ~ factor(kommune)\n'; } > "$TMP/levels.ini"
"$R" --max-levels 10 run "$TMP/levels.ini" -o "$TMP/levels" > /dev/null 2> "$TMP/err"
echo $? > "$TMP/rc"
check "--max-levels given to run holds in its analyses (factor(kommune) refused, nothing written)" \
  'rc_is 1 && err_has "more than 10 distinct values" && test ! -e "$TMP/levels"'

# ---- interrupts: SIGINT and SIGTERM in the middle of a run leave nothing --------
{ base; printf '[data.coordinators]\npath=%s/coordinators.csv\ncodebook=%s/coordinators-codebook.csv\n' "$SAMPLE" "$SAMPLE"
  printf '[analysis.first]\ncommand=describe\ndata=family\nvars=child_age\n'
  for i in 1 2 3 4 5 6; do printf '[analysis.slow%s]\ncommand=bootstrap\ndata=coordinators\nvar=families\nB=2000000\nseed=%s\n' $i $i; done
} > "$TMP/slow.ini"
# A background job of a non-interactive shell starts with SIGINT ignored,
# and an ignored signal stays ignored (nohup; datasets/atomic.c), so the run
# is started with SIGINT restored to the default (env --default-signal,
# coreutils 8.31+), as tests/faults.sh does.
if env --default-signal=INT true 2>/dev/null; then DEFSIG="env --default-signal=INT"; else DEFSIG=""; fi
for sig in INT TERM HUP; do
  if [ $sig = INT ] && [ -z "$DEFSIG" ]; then
    for k in 1 2 3; do n=$((n + 1)); echo "ok $n # SKIP SIGINT during a run: env --default-signal is missing"; done
    continue
  fi
  $DEFSIG "$R" run "$TMP/slow.ini" -o "$TMP/sig-$sig" --quiet 2> "$TMP/err" &
  pid=$!
  # wait until the first analysis is written into the temporary directory
  i=0
  while [ $i -lt 200 ] && ! ls "$TMP"/.sig-$sig.tmp-*/first.txt > /dev/null 2>&1; do sleep 0.05; i=$((i + 1)); done
  sleep 0.2
  kill -$sig $pid
  wait $pid
  rc=$?
  want=130; [ $sig = TERM ] && want=143; [ $sig = HUP ] && want=129
  check "SIG$sig during a run: exit $want" "test $rc = $want"
  check "SIG$sig during a run: no output directory and no temporary directory" \
    "test ! -e '$TMP/sig-$sig' && no_tmp '$TMP'"
  check "SIG$sig during a run: says so" 'grep -q "interrupted" "$TMP/err"'
  check "SIG$sig during a run: no analysis (child process) left running" \
    '! command -v pgrep > /dev/null || ! pgrep -f "$TMP/slow.ini" > /dev/null'
done
# a caller that ignores SIGCHLD (children reaped automatically) still sees a failure as one
if env --ignore-signal=CHLD true 2>/dev/null; then
  env --ignore-signal=CHLD "$R" run "$TMP/bad/fails.ini" -o "$TMP/chld" > /dev/null 2> "$TMP/err"
  echo $? > "$TMP/rc"
  check "SIGCHLD ignored by the caller: a failing analysis still fails the run (exit 1, nothing written)" \
    'rc_is 1 && grep -q "\[analysis.second\] failed (regress)" "$TMP/err" && test ! -e "$TMP/chld"'
else
  n=$((n + 1)); echo "ok $n # SKIP SIGCHLD ignored: env --ignore-signal is missing"
fi

# ---- a plan for Norwegian Excel files (simulate --style excel-nb) ---------------
REFDATA="${REFORMSTAT_REFDATA:-${REFDATA_SRC:-}}"
if [ -z "$REFDATA" ] || [ ! -f "$REFDATA/kommuner_2024.csv" ]; then
  n=$((n + 1)); echo "ok $n # SKIP excel-nb plan: simulate needs the reference data (REFDATA_SRC)"
elif "$R" simulate --refdata "$REFDATA" --seed 7 --families 400 --coordinators 40 --years 2021-2023 --style excel-nb --out "$TMP/xl" > /dev/null 2>&1 &&
   "$R" simulate --refdata "$REFDATA" --seed 7 --families 400 --coordinators 40 --years 2021-2023 --out "$TMP/plain" > /dev/null 2>&1; then
  cp "$SAMPLE/plan-excel-nb.ini" "$TMP/xl/"
  cp "$SAMPLE/plan.ini" "$TMP/plain/"
  run run "$TMP/xl/plan-excel-nb.ini" --quiet
  check "excel-nb plan: exit 0, output to [plan] output beside the plan" 'rc_is 0 && test -s "$TMP/xl/reformstat-output-excel/manifest.json"'
  check "excel-nb plan: delimiter, decimal and encoding reach the command" \
    'grep -q "\"--delimiter=;\", \"--decimal=,\", \"--encoding=windows-1252\"" "$TMP/xl/reformstat-output-excel/manifest.json"'
  "$R" run "$TMP/plain/plan.ini" --quiet -o "$TMP/plain-out" 2> /dev/null
  check "excel-nb plan: the same numbers as the plain files of the same seed" '
    for f in coordinator-effect.csv caseload.csv its-national.csv its-pooled.csv family-describe.csv; do
      cmp "$TMP/plain-out/$f" "$TMP/xl/reformstat-output-excel/$f" || exit 1; done'
else
  n=$((n + 1)); echo "not ok $n - simulate for the excel-nb plan failed"; failed=$((failed + 1))
fi

echo "1..$n"
[ $failed -eq 0 ]
