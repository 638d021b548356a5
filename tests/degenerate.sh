#!/bin/sh
# degenerate.sh — no nan/inf printed as a result, and no crash, on
# degenerate inputs (issue 10): every command (from `reformstat --help`) in
# every output format over n = 0, 1, 2, constant columns, a constant outcome,
# all-missing columns, one group and one cluster.  Each run must exit 0 (a
# statistic that cannot be computed is left out, with a note saying why) or
# 1 with a message on stderr — never 2 (internal error) or a signal — and
# its outputs (stdout, -o files, plot --data-out) must not contain nan, inf
# or infinity in any spelling.
#
# A command this file does not know yet is run generically
# (CMD DATA --codebook CB --format FMT) so that at least the exit-status
# and nan/inf checks apply to it.
#
# Expected values: the notes checked at the end are the sentences the code
# writes; "no nan/inf" and the exit status need no reference.  TAP output.
set -u
: "${REFORMSTAT:?REFORMSTAT must name the reformstat program}"
R=$REFORMSTAT
export LC_ALL=C
T=$(mktemp -d "${TMPDIR:-/tmp}/rs-degenerate.XXXXXX") || exit 99
trap 'rm -rf "$T"' EXIT
n=0; failed=0
ok() { n=$((n + 1)); if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; failed=$((failed + 1)); sed 's/^/#   /' "$T/why" | head -n 20; fi; : > "$T/why"; }
: > "$T/why"

# ---- the inputs --------------------------------------------------------------
cat > "$T/cb.csv" <<'EOF'
name,label_nb,label_en,type,min,max,reverse,missing,values,index
id,Id,Id,id,,,0,,,
g,Gruppe,Group,category,1,2,0,,1=A|2=B,
y,Y,Y,numeric,,,0,-1,,s
z,Z,Z,numeric,,,0,-1,,s
b,B,B,category,0,1,0,,0=Nei|1=Ja,
w,Vekt,Weight,weight,,,0,,,
cl,Klynge,Cluster,integer,,,0,,,
d,Dato,Date,date,,,0,,,
EOF
mk() { f=$1; shift; { echo "id,g,y,z,b,w,cl,d"; for r in "$@"; do echo "$r"; done; } > "$T/$f.csv"; }
mk n0
mk n1 "1,1,3.5,2,1,1,1,2021-05-01"
mk n2 "1,1,3.5,2,1,1,1,2021-05-01" "2,2,4.5,3,0,1,2,2023-05-01"
mk constant "1,1,3,2,1,1,1,2021-05-01" "2,2,3,2,0,1,2,2021-05-01" "3,1,3,2,1,1,1,2021-05-01" \
  "4,2,3,2,0,1,2,2021-05-01" "5,1,3,2,1,1,3,2021-05-01" "6,2,3,2,1,1,3,2021-05-01"
mk constant_y "1,1,3,1,1,1,1,2021-05-01" "2,1,3,2,0,1,1,2021-06-01" "3,2,3,3,1,1,2,2023-05-01" \
  "4,2,3,4,0,1,2,2023-06-01" "5,1,3,5,1,1,3,2021-07-01" "6,2,3,6,0,1,3,2023-07-01"
mk all_missing "1,1,,,1,1,1," "2,2,-1,,0,1,2," "3,1,,,1,1,1," "4,2,,-1,0,1,2,"
mk one_group "1,1,3,2,1,1,1,2021-05-01" "2,1,4,5,0,1,2,2021-06-01" "3,1,5,1,1,1,1,2023-05-01" \
  "4,1,6,7,0,1,2,2023-06-01"
mk one_cluster "1,1,3,2,1,1,1,2021-05-01" "2,2,4,5,0,1,1,2021-06-01" "3,1,5,1,1,1,1,2023-05-01" \
  "4,2,6,7,0,1,1,2023-06-01" "5,1,2,2,1,2,1,2021-07-01" "6,2,8,3,0,1,1,2023-07-01"
inputs="n0 n1 n2 constant constant_y all_missing one_group one_cluster"
formats="text csv json md latex"

# ---- what each command is run with ------------------------------------------
# variants CMD: one line of arguments per variant (after DATA)
variants() {
  case $1 in
    validate|codebook) echo "" ;;
    describe) printf '%s\n' "" "--by g" "-w w --cluster cl" "--vars d" ;;
    compare) printf '%s\n' "-y y -b g" "-y y -b g -t student" "-y y -b g -t mann-whitney" "-y b -b g -t chisq" \
      "-y b -b g -t fisher" "-y b -b g -t prop" "-y y -b g -t anova" "-y y -b g -t kruskal" \
      "-y y -b g -t paired --id cl" "-y y -b g -t signed-rank --id cl" "-y y -b g -w w --cluster cl" \
      "-y b -b g -w w -t chisq" "-y y,z -b g --adjust holm" ;;
    regress) printf '%s\n' "--formula y~z" "--formula y~z+factor(g)" "--formula y~z --vcov HC3" \
      "--formula y~z --vcov cluster:cl" "--formula y~z --vcov nw:1" "--formula y~z -w w" \
      "--formula b~z --family binomial" "--formula y~z+factor(cl) --absorb cl" ;;
    correlate) printf '%s\n' "--vars y,z" "--vars y,z -m spearman" "--vars y,z -m kendall --adjust holm" ;;
    reliability) printf '%s\n' "--items y,z" "--index s" ;;
    bootstrap) printf '%s\n' "--var y --seed 1 -B 50" "--var y --by g --seed 1 -B 50" "--var y --cluster cl --seed 1 -B 50" ;;
    plot) printf '%s\n' "prepost --var y --period b" "prepost --var y --period b -w w" "likert --items y,z" \
      "forest --var y --group g" "distribution --var y" "distribution --var y --style box" "scatter --x y --y z" \
      "scatter --x y --y z --color g" ;;
    convert) printf '%s\n' "--to csv" "--to sav" "--to dta" ;;
    simulate) ;;  # makes its own data: nothing degenerate to feed it
    *) echo "" ;;
  esac
}
has_format() { case $1 in codebook|convert|plot) return 1 ;; *) return 0 ;; esac; }
# nan_inf FILE…: the nan/inf spellings found in the files
nan_inf() { cat "$@" 2>/dev/null | grep -i -o -E '(^|[^A-Za-z0-9_])-?(nan|inf|infinity)([^A-Za-z0-9_]|$)' | head -n 3 | tr '\n' ' '; }

commands=$("$R" --help | awk '/^Commands:/ { on = 1; next } on && /^  [a-z]/ { print $1 } on && /^$/ { on = 0 }')
[ -n "$commands" ] || { echo "1..1"; echo "not ok 1 - reformstat --help lists no commands"; exit 1; }

for cmd in $commands; do
  [ -n "$(variants "$cmd")" ] || [ "$cmd" != simulate ] || continue
  for f in $inputs; do
    bad=0; runs=0
    variants "$cmd" > "$T/variants"
    while IFS= read -r v; do
      if has_format "$cmd"; then fl=$formats; else fl=none; fi
      for fmt in $fl; do
        rm -f "$T"/o.* "$T/err" "$T/out"
        case $cmd in
          plot) set -- plot ${v%% *} "$T/$f.csv" -c "$T/cb.csv" ${v#* } -o "$T/o.png" --data-out "$T/o.csv" ;;
          convert) set -- convert "$T/$f.csv" "$T/o.out" -c "$T/cb.csv" $v ;;
          codebook) set -- codebook "$T/$f.csv" -c "$T/cb.csv" -o "$T/o.csv" ;;
          *) set -- "$cmd" "$T/$f.csv" -c "$T/cb.csv" $v --format "$fmt" ;;
        esac
        "$R" "$@" > "$T/out" 2> "$T/err"; rc=$?
        runs=$((runs + 1))
        if [ "$cmd" = convert ] && [ $rc -eq 0 ]; then  # read the export back as CSV to look at its values
          "$R" convert "$T/o.out" "$T/o.back.csv" --input-format "${v#--to }" > /dev/null 2>> "$T/err" || true
        fi
        found=$(nan_inf "$T/out" "$T"/o.csv "$T"/o.back.csv)
        if [ $rc -ne 0 ] && [ $rc -ne 1 ]; then
          echo "exit $rc: $*" | sed "s|$T/||g" >> "$T/why"; head -n 3 "$T/err" >> "$T/why"; bad=$((bad + 1))
        elif [ $rc -eq 1 ] && ! grep -q . "$T/err"; then
          echo "exit 1 without a message: $*" | sed "s|$T/||g" >> "$T/why"; bad=$((bad + 1))
        elif [ -n "$found" ]; then
          echo "prints '$found': $*" | sed "s|$T/||g" >> "$T/why"; bad=$((bad + 1))
        fi
      done
    done < "$T/variants"
    ok $bad "$cmd on $f ($runs runs): exit 0 or 1 with a message, no nan/inf in any output"
  done
done

# ---- a statistic left out says why ------------------------------------------
"$R" describe "$T/n1.csv" -c "$T/cb.csv" --format csv > "$T/out" 2> "$T/err"
grep -q "^y,.*sd and se need at least 2 values" "$T/out"; r=$?
[ $r -eq 0 ] || cat "$T/out" > "$T/why"
ok $r "describe, n = 1: the missing sd and se have the note 'sd and se need at least 2 values'"
"$R" describe "$T/all_missing.csv" -c "$T/cb.csv" --format json > "$T/out" 2> "$T/err"
grep -q '"name": *"y".*"note": *"no values: every row is missing"' "$T/out" || tr -d '\n' < "$T/out" | grep -q '"name": *"y"[^}]*"note": *"no values: every row is missing"'
r=$?; [ $r -eq 0 ] || cat "$T/out" > "$T/why"
ok $r "describe, all missing: mean etc. left out with the note 'no values: every row is missing' (json)"
"$R" regress "$T/constant_y.csv" -c "$T/cb.csv" --formula 'y~z' > "$T/out" 2> "$T/err"
grep -q "Essentially perfect fit" "$T/out"; r=$?
[ $r -eq 0 ] || cat "$T/out" > "$T/why"
ok $r "regress, constant outcome: a note says the fit is essentially perfect (summary.lm's warning)"
"$R" correlate "$T/constant.csv" -c "$T/cb.csv" --vars y,z --format csv > "$T/out" 2> "$T/err"
grep -q "standard deviation zero" "$T/out"; r=$?
[ $r -eq 0 ] || cat "$T/out" > "$T/why"
ok $r "correlate, constant columns: the correlation is left out with a note (standard deviation zero)"

echo "1..$n"
[ $failed -eq 0 ]
