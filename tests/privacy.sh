#!/bin/sh
# privacy.sh — outputs never hold respondent ids or free-text answers unless
# asked for explicitly (issue 10.6; datasets/privacy.h).
#
# The sample data are copied with markers: every id (respondent_id,
# panel_id, coordinator_id, case_id) gets the prefix IDMARK, and the family
# survey gets a free-text column `comment` (codebook type string) whose
# every answer holds FRITEKSTMARK.  Every command is run on them writing
# every output it can (all five formats, --data-out, --likert-out,
# --counterfactual-out, run's whole directory), and every file written —
# and stdout — is searched for the markers.  Then: a command asked to show
# an id or text column (as --by, factor(), --group) refuses and names the
# option; with --keep-ids / --include-text it writes them; `convert` copies
# them (a copy of the data is the explicit request; README "Privacy").
# Expected values: no marker found; exit statuses; messages.  TAP output.
set -u
: "${REFORMSTAT:?REFORMSTAT must name the reformstat program}"
R=$REFORMSTAT
S=$(cd "${top_srcdir:-.}/datasets/sample" && pwd) || { echo "1..0 # SKIP datasets/sample not found"; exit 0; }
T=$(mktemp -d "${TMPDIR:-/tmp}/rs-privacy.XXXXXX") || exit 99
trap 'rm -rf "$T"' EXIT
trap 'exit 1' INT TERM
export LC_ALL=C
n=0; failed=0
ok() {
  n=$((n + 1))
  if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else
    echo "not ok $n - $2"; failed=$((failed + 1)); sed 's/^/#   /' "$T/why" | head -n 12
  fi
  : > "$T/why"
}
: > "$T/why"
why() { echo "$*" >> "$T/why"; }

# ---- the marked data ---------------------------------------------------------
D=$T/data; mkdir -p "$D"
cp "$S"/*-codebook.csv "$S"/registry.csv "$S"/plan.ini "$D"/
awk -F, 'BEGIN { OFS = "," } NR == 1 { print $0 ",comment"; next }
  { $1 = "IDMARK" $1; if ($2 != "") $2 = "IDMARK" $2; print $0 ",FRITEKSTMARK svar " NR }' "$S/family.csv" > "$D/family.csv"
echo 'comment,Kommentar (fritekst),Comment (free text),string,,,0,,,' >> "$D/family-codebook.csv"
awk -F, 'BEGIN { OFS = "," } NR > 1 { $1 = "IDMARK" $1 } { print }' "$S/coordinators.csv" > "$D/coordinators.csv"
awk -F, 'BEGIN { OFS = "," } NR > 1 { $1 = "IDMARK" $1 } { print }' "$S/cases.csv" > "$D/cases.csv"
[ "$(grep -c IDMARK "$D/family.csv")" -gt 3000 ] && [ "$(grep -c FRITEKSTMARK "$D/family.csv")" -gt 3000 ]
ok $? "the marked copy of the sample has ids and free text in every row"

cd "$D" || exit 99
F="family.csv -c family-codebook.csv"
C="coordinators.csv -c coordinators-codebook.csv"
G="registry.csv -c registry-codebook.csv"
ALL=text,csv,json,md,latex
# check NAME ARGS…: the command succeeds and no file under out/NAME (nor its
# stdout) holds a marker
check() {
  name=$1; shift
  mkdir -p "out/$name"
  # shellcheck disable=SC2086
  "$R" "$@" > "out/$name/stdout" 2> "$T/stderr"; rc=$?
  if [ $rc -ne 0 ]; then why "exit $rc"; cat "$T/stderr" >> "$T/why"; return 1; fi
  files=$(find "out/$name" -type f | wc -l)
  hits=$(grep -r -l -E 'IDMARK|FRITEKSTMARK' "out/$name" "$T/stderr")
  if [ -n "$hits" ]; then why "markers in: $hits"; grep -r -h -o -E '.{0,30}(IDMARK|FRITEKSTMARK).{0,10}' $hits | head -n 3 >> "$T/why"; return 1; fi
  [ "$files" -ge 2 ] || { why "only $files files written"; return 1; }
  return 0
}
# shellcheck disable=SC2086
{
check describe describe $F -f $ALL -o out/describe/d
ok $? "describe (every column, ids and free text counted only), $ALL: no id, no text"
check describe-vars describe $F --vars respondent_id,panel_id,comment,child_age -w weight -f $ALL -o out/describe-vars/d
ok $? "describe --vars respondent_id,panel_id,comment (weighted): counts only"
check compare compare $F -y child_age,collab_1 -b post -f $ALL -o out/compare/c
ok $? "compare: no id, no text"
check regress regress $F --formula 'collab_1 ~ post + factor(coordinator_type) + child_age' --vcov cluster:kommune -f $ALL -o out/regress/r
ok $? "regress: no id, no text"
check correlate correlate $F --vars child_age,n_services,collab_1 -f $ALL -o out/correlate/c
ok $? "correlate: no id, no text"
check reliability reliability $F --items collab_1,collab_2,collab_3 -f $ALL -o out/reliability/r
ok $? "reliability: no id, no text"
check bootstrap bootstrap $F --var child_age --by post --seed 1 -B 99 -f $ALL -o out/bootstrap/b
ok $? "bootstrap: no id, no text"
check outcomes outcomes $F -f $ALL -o out/outcomes/o --likert-out out/outcomes/likert.csv
ok $? "outcomes and --likert-out: no id, no text"
check indexes indexes $F -f $ALL -o out/indexes/i --data-out out/indexes/data.csv
ok $? "indexes and --data-out: no id, no text"
check coordinator-effect coordinator-effect $F -f $ALL -o out/coordinator-effect/c
ok $? "coordinator-effect: no id, no text"
check caseload caseload $C --registry registry.csv -f $ALL -o out/caseload/c
ok $? "caseload (coordinators with ids): no id"
check its its $G --numerator children_koordinator -f $ALL -o out/its/i --counterfactual-out out/its/cf.csv
ok $? "its and --counterfactual-out: no id, no text"
check plot plot distribution $F --var child_age --group post -o out/plot/p.svg --data-out out/plot/data.csv
ok $? "plot distribution, --data-out: no id, no text"
check plot-prepost plot prepost $F --var collab_1 --period post --group coordinator_type -o out/plot-prepost/p.pdf --data-out out/plot-prepost/data.csv
ok $? "plot prepost, --data-out: no id, no text"
check codebook codebook family.csv -c family-codebook.csv -o out/codebook/cb.csv
ok $? "codebook: no id, no text"
check run run plan.ini -f $ALL -o out/run/dir
ok $? "run of the sample plan (every analysis, every format): no id, no text"
}
# ---- id and text columns asked for ------------------------------------------
# refuses EXT OPTION ARGS…: exit 1, the message names OPTION, no output -o refused.EXT
refuses() {
  ext=$1; opt=$2; shift 2
  "$R" "$@" -o "$T/refused.$ext" > /dev/null 2> "$T/stderr"; rc=$?
  [ $rc -eq 1 ] || { why "exit $rc"; cat "$T/stderr" >> "$T/why"; return 1; }
  grep -q -F -e "give $opt to allow it" "$T/stderr" || { why "no '$opt' in:"; cat "$T/stderr" >> "$T/why"; return 1; }
  [ ! -e "$T/refused.$ext" ] || { why "an output was written"; return 1; }
  return 0
}
# shellcheck disable=SC2086
{
refuses txt --keep-ids describe $F --vars child_age --by respondent_id
ok $? "describe --by respondent_id: refused, names --keep-ids"
refuses txt --keep-ids compare $F -y child_age -b panel_id
ok $? "compare --by panel_id: refused"
refuses txt --keep-ids compare $F -y respondent_id -b post --test chisq
ok $? "compare, an id as the outcome: refused"
refuses txt --include-text compare $F -y comment -b post --test chisq
ok $? "compare, free text as the outcome: refused, names --include-text"
refuses txt --keep-ids regress $F --formula 'collab_1 ~ factor(respondent_id)'
ok $? "regress factor(respondent_id): refused"
refuses txt --include-text regress $F --formula 'collab_1 ~ comment'
ok $? "regress with a free-text column as a factor: refused"
refuses svg --include-text plot distribution $F --var child_age --group comment --data-out "$T/refused.csv"
ok $? "plot --group comment: refused"
}
# shellcheck disable=SC2086
"$R" describe $F --vars respondent_id,comment --keep-ids --include-text -o "$T/both.txt" > /dev/null 2>&1 &&
  grep -q FRITEKSTMARK "$T/both.txt"
ok $? "describe --include-text lists the free-text answers (asked for)"
# shellcheck disable=SC2086
"$R" --keep-ids indexes $F --data-out "$T/ids.csv" -o "$T/ids.txt" > /dev/null 2>&1 &&
  grep -q IDMARK "$T/ids.csv" && ! grep -q FRITEKSTMARK "$T/ids.csv" && grep -q "left out the id and free-text columns comment" "$T/ids.txt"
ok $? "indexes --keep-ids --data-out: ids kept, the text column still left out and named in a note"
# shellcheck disable=SC2086
"$R" indexes $F --data-out "$T/noid.csv" -o "$T/noid.txt" > /dev/null 2>&1 &&
  head -n 1 "$T/noid.csv" | grep -q '^year,post,' && grep -q "respondent_id, panel_id, comment" "$T/noid.txt"
ok $? "indexes --data-out leaves out respondent_id, panel_id and comment and says so"
# shellcheck disable=SC2086
"$R" convert $F "$T/copy.csv" > /dev/null 2>&1 && grep -q IDMARK "$T/copy.csv" && grep -q FRITEKSTMARK "$T/copy.csv"
ok $? "convert copies the dataset, ids and text included (documented)"
"$R" --help | grep -q -e "--keep-ids" && "$R" --help | grep -q -e "--include-text"
ok $? "reformstat --help documents --keep-ids and --include-text"

echo "1..$n"
[ "$failed" -eq 0 ]
