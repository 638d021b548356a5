#!/bin/sh
# plot2.sh — what is particular to the scatter, its and tilemap charts
# (tests/plot.sh renders all kinds to PNG/PDF/SVG and checks the files;
# here: their content, the numbers behind them, dense scatters and bad
# input).  TAP; needs REFORMSTAT and top_srcdir; REFDATA_SRC (the kommune
# and fylke tables) for the checks of place names.
#
# Where the expected values come from: the slope of families on
# earmarked_hours is R 4.2.2's coef(lm(families ~ earmarked_hours)) on
# datasets/sample/coordinators.csv; the level change is R's lm on the
# national monthly series sum(children_ip) / sum(children_0_17) * 1000
# (see tests/test-chartdata.c, which checks them to 1e-10); counts of
# fylker and of rows are from the sample files (awk beside each check).

: "${REFORMSTAT:?REFORMSTAT must name the reformstat program}"
: "${top_srcdir:=.}"
S=$(cd "$top_srcdir/datasets/sample" && pwd) || { echo "1..0 # SKIP datasets/sample not found"; exit 0; }
TMP=$(mktemp -d "${TMPDIR:-/tmp}/rs-plot2.XXXXXX") || exit 99
trap 'rm -rf "$TMP"' EXIT INT TERM
R=$REFORMSTAT
COORD="$S/coordinators.csv -c $S/coordinators-codebook.csv"
REG="$S/registry.csv -c $S/registry-codebook.csv"
REF=
if [ -n "$REFDATA_SRC" ] && [ -f "$REFDATA_SRC/fylker_2024.csv" ]; then REF="--refdata $REFDATA_SRC"; fi

n=0
failed=0
check() {
  what=$1
  shift
  n=$((n + 1))
  if ( eval "$*" ) > "$TMP/check.out" 2>&1; then
    echo "ok $n - $what"
  else
    failed=$((failed + 1))
    echo "not ok $n - $what"
    sed 's/^/#   /' "$TMP/check.out" | head -n 20
  fi
}
skip() { n=$((n + 1)); echo "ok $n # SKIP $1"; }
run() {
  "$R" "$@" > "$TMP/out" 2> "$TMP/err"
  echo $? > "$TMP/rc"
}
rc_is() { test "$(cat "$TMP/rc")" = "$1" || { echo "exit $(cat "$TMP/rc"), expected $1"; cat "$TMP/err"; false; }; }
err_has() { grep -F -q -e "$1" "$TMP/err" || { echo "stderr lacks: $1"; cat "$TMP/err"; false; }; }
no_leftovers() { test -z "$(ls -A "$1")" || { echo "left in $1:"; ls -A "$1"; false; }; }
# col FILE KEY KEYCOL WANTCOL: the WANTCOL cell of the row whose KEYCOL is KEY
col() {
  awk -F, -v key="$2" -v kc="$3" -v wc="$4" 'NR == 1 { for (i = 1; i <= NF; i++) h[$i] = i; next }
    $(h[kc]) == key { print $(h[wc]); exit }' "$1"
}
near() { awk -v a="$1" -v b="$2" -v t="$3" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(a != "" && d <= t) }'; }

# ---- scatter ----------------------------------------------------------------------
run plot scatter $COORD --x earmarked_hours --y families -o "$TMP/s.svg" --data-out "$TMP/s.csv"
check "scatter: title from the codebook labels (æ ø å)" \
  'rc_is 0 && grep -q "<title>Antall familier koordinatoren har ansvar for, etter øremerkede timer per uke til koordinering</title>" $TMP/s.svg'
check "scatter: the caption gives n and the slope in Norwegian format" \
  'grep -q "n.*=.*300" $TMP/s.svg && grep -q "stigning 0,373" $TMP/s.svg'
check "scatter --data-out: slope = R lm 0.37275068710999065" \
  'near "$(col $TMP/s.csv "Øremerkede timer per uke til koordinering" name estimate)" 0.37275068710999065 1e-12'
run plot scatter $COORD --x earmarked_hours --y families --color profession --lang en -o "$TMP/c.svg"
check "scatter --color: the legend has the codebook's value labels, the subtitle the English variable label" \
  'rc_is 0 && grep -q "^Sosionom eller barnevernspedagog$" $TMP/c.svg && grep -q "^Colour: Professional background$" $TMP/c.svg'
mkdir "$TMP/bad"
run plot scatter $COORD --x earmarked_hours --y families --color fylke -o "$TMP/f.svg" --data-out "$TMP/f.csv"
check "scatter --color fylke (15 values, more than the 8 colours): small multiples, a panel per fylke" \
  'rc_is 0 && grep -q "^Ett panel per verdi av Fylke" $TMP/f.svg && test $(grep -c "OLS (lm) within the group" $TMP/f.csv) = 15'
# R: coef(lm(families ~ earmarked_hours, data = coordinators, subset = fylke == "03"))[2]
check "scatter --color fylke --data-out: Oslo's own slope = R 0.76271838682367399" \
  'near "$(awk -F, "\$NF == \"03\" || \$NF == \"Oslo\" { print \$3; exit }" $TMP/f.csv)" 0.76271838682367399 1e-11'
run plot scatter $COORD --x earmarked_hours --y families --color kommune -o "$TMP/bad/x.png"
check "scatter --color with more than 30 values (132 kommuner): exit 1, says why" 'rc_is 1 && err_has "more than 30 values" && no_leftovers $TMP/bad'
run plot scatter $COORD --x no_such --y families -o "$TMP/bad/x.png"
check "scatter, missing variable: exit 1 naming it, no file" 'rc_is 1 && err_has "no column '"'"'no_such'"'"'" && no_leftovers $TMP/bad'
run plot scatter $COORD --y families -o "$TMP/bad/x.png"
check "scatter without --x: exit 1" 'rc_is 1 && err_has "--x" && no_leftovers $TMP/bad'
run plot scatter $COORD --x earmarked_hours --y families --filter fylke=99 -o "$TMP/bad/x.pdf"
check "scatter, no rows after --filter: exit 1, no file" 'rc_is 1 && err_has "no rows" && no_leftovers $TMP/bad'
printf 'x,y\n1,2\n2,1e999\n3,4\n' > "$TMP/inf.csv"
printf 'name,type\nx,numeric\ny,numeric\n' > "$TMP/inf-cb.csv"
run plot scatter "$TMP/inf.csv" -c "$TMP/inf-cb.csv" --x x --y y -o "$TMP/bad/x.svg"
check "scatter, an infinite value: exit 1 naming line and column, no file" \
  'rc_is 1 && err_has "line 3, column '"'"'y'"'"'" && no_leftovers $TMP/bad'
printf 'x,y\n1,2\n1,3\n' > "$TMP/two.csv"
run plot scatter "$TMP/two.csv" --x x --y y -o "$TMP/two.svg"
check "scatter of 2 points: drawn, the caption says why there is no line" 'rc_is 0 && grep -q "Ingen linje" $TMP/two.svg'

# Dense clouds: 60 000 points (above the 50 000 limit) become bins.  Continuous
# values give hexagons; integer counts give squares on their grid.
awk 'BEGIN { print "x,y,k"; s = 12345; for (i = 0; i < 60000; i++) {
  s = (s * 1103515245 + 12345) % 2147483648; u = s / 2147483648;
  s = (s * 1103515245 + 12345) % 2147483648; v = s / 2147483648;
  printf "%.6f,%.6f,%d\n", 10 * u, 3 + 2 * u + v, int(20 * v) } }' > "$TMP/dense.csv"
run plot scatter "$TMP/dense.csv" --x x --y y -o "$TMP/dense.svg"
check "scatter, 60 000 continuous points: hexagons, and the SVG stays small (< 1 MB)" \
  'rc_is 0 && grep -q "sekskant" $TMP/dense.svg && test $(wc -c < $TMP/dense.svg) -lt 1000000'
run plot scatter "$TMP/dense.csv" --x x --y k -o "$TMP/dense2.png"
check "scatter, 60 000 points with an integer variable: square bins (PNG drawn)" 'rc_is 0 && test -s $TMP/dense2.png'
run plot scatter "$TMP/dense.csv" --x x --y k -o "$TMP/dense2.svg"
check "scatter, integer variable: the caption speaks of cells, not hexagons" 'grep -q "hver rute" $TMP/dense2.svg'

# ---- its ----------------------------------------------------------------------------
run plot its $REG --var children_ip --per children_0_17 -o "$TMP/i.svg" --data-out "$TMP/i.csv"
check "its: the reform date is marked '1. august 2022'" 'rc_is 0 && grep -q "^1. august 2022\(</desc>\)*$" $TMP/i.svg'
check "its --data-out: level change = R lm 0.37430943599251487" \
  'near "$(col $TMP/i.csv "level change at break" name estimate)" 0.37430943599251487 1e-9'
check "its --data-out: 81 months of series (2019-01 … 2025-09; the last 3 are not yet available)" \
  'test $(grep -c "^20[0-9][0-9]-[0-9][0-9]-01," $TMP/i.csv) = 81'
check "its --data-out: the first month is sum/sum x 1000 = 3.6403530643793944" \
  'near "$(col $TMP/i.csv 2019-01-01 name estimate)" 3.6403530643793944 1e-12'
run plot its $REG --var children_ip --per children_0_17 --lang en -o "$TMP/ie.svg"
check "its --lang en: '1 August 2022'" 'rc_is 0 && grep -q "^1 August 2022\(</desc>\)*$" $TMP/ie.svg'
run plot its $REG --var children_ip --per children_0_17 --break 2021-01-01 -o "$TMP/ib.svg"
check "its --break 2021-01-01: the line is labelled '1. januar 2021'" 'rc_is 0 && grep -q "^1. januar 2021\(</desc>\)*$" $TMP/ib.svg'
if [ -n "$REF" ]; then
  run plot its $REG --var children_koordinator --per children_0_17 --fylke 46 $REF -o "$TMP/if.svg"
  check "its --fylke 46: the subtitle names Vestland" 'rc_is 0 && grep -q "Vestland (46)" $TMP/if.svg'
  run plot its $REG --var children_ip --kommune 301 $REF -o "$TMP/ik.svg"
  check "its --kommune 301 (= 0301): Oslo's series, a count without --per" 'rc_is 0 && grep -q "Oslo (0301)" $TMP/ik.svg && grep -q "^Antall$" $TMP/ik.svg'
else skip "no reference data (REFDATA_SRC)"; skip "no reference data (REFDATA_SRC)"; fi
run plot its $REG --var children_ip --fylke 77 -o "$TMP/bad/x.png"
check "its --fylke 77 (no such rows): exit 1, no file" 'rc_is 1 && err_has "no row has fylke" && no_leftovers $TMP/bad'
run plot its $REG --var children_ip --fylke 03 --kommune 0301 -o "$TMP/bad/x.png"
check "its with --fylke and --kommune: exit 1" 'rc_is 1 && err_has "not both" && no_leftovers $TMP/bad'
run plot its $REG --var children_ip --break 2022-13-01 -o "$TMP/bad/x.png"
check "its --break with a bad date: exit 1" 'rc_is 1 && err_has "--break" && no_leftovers $TMP/bad'
run plot its $REG --var children_ip --break 2030-01-01 -o "$TMP/bad/x.png"
check "its with the break after the last month: exit 1, says the break is outside the series" 'rc_is 1 && err_has "outside the series" && no_leftovers $TMP/bad'
run plot its $REG --var children_ip --period year -o "$TMP/bad/x.png"
check "its with a period column that is no date: exit 1" 'rc_is 1 && err_has "not a date column" && no_leftovers $TMP/bad'
run plot its $REG --var no_such --per children_0_17 -o "$TMP/bad/x.svg"
check "its, missing variable: exit 1" 'rc_is 1 && err_has "no_such" && no_leftovers $TMP/bad'

# ---- tilemap ------------------------------------------------------------------------
run plot tilemap $COORD --var families $REF -o "$TMP/t.svg" --data-out "$TMP/t.csv"
check "tilemap: 15 fylker in --data-out (the sample has coordinators in all)" 'rc_is 0 && test $(($(wc -l < $TMP/t.csv) - 1)) = 15'
check "tilemap --data-out: Oslo (03) mean families = 4.75 (awk on the sample)" \
  'want=$(awk -F, "NR > 1 && \$5 == \"03\" { s += \$10; k++ } END { print s / k }" $S/coordinators.csv) &&
   near "$(col $TMP/t.csv 03 name estimate)" "$want" 1e-12'
if [ -n "$REF" ]; then
  check "tilemap: fylke names from the reference data (Møre og Romsdal, Trøndelag)" \
    'grep -q "^Møre og Romsdal$" $TMP/t.svg && grep -q "^Trøndelag$" $TMP/t.svg'
else skip "no reference data (REFDATA_SRC)"; fi
run plot tilemap $COORD --var families --min-n 20 -o "$TMP/tm.svg" --data-out "$TMP/tm.csv"
check "tilemap --min-n 20: fylker with fewer rows are greyed and their value is not in --data-out" \
  'rc_is 0 && awk -F, "NR > 1 && \$3 < 20 { k++; if (\$4 != \"\") exit 1 } END { exit !(k > 0) }" $TMP/tm.csv &&
   grep -q "færre enn 20" $TMP/tm.svg'
run plot tilemap $REG --var children_ip --per children_0_17 --filter year=2024 -o "$TMP/tr.png" --data-out "$TMP/tr.csv"
check "tilemap --per: a rate (sum / sum x 1000) per fylke" \
  'rc_is 0 && grep -q "sum of numerator / sum of denominator x 1000" $TMP/tr.csv'
printf 'fylke,y\n30,1\n30,2\n30,3\n30,4\n30,5\n' > "$TMP/old.csv"
run plot tilemap "$TMP/old.csv" --var y -o "$TMP/bad/x.png"
check "tilemap with a 2020 fylke code (30 Viken): exit 1, says the map needs 2024 codes" \
  'rc_is 1 && err_has "not one of the 15 fylker of 2024" && no_leftovers $TMP/bad'
run plot tilemap $COORD -o "$TMP/bad/x.png"
check "tilemap without --var: exit 1" 'rc_is 1 && err_has "--var" && no_leftovers $TMP/bad'
run plot tilemap $COORD --var profession_typo -o "$TMP/bad/x.png"
check "tilemap, missing variable: exit 1" 'rc_is 1 && err_has "profession_typo" && no_leftovers $TMP/bad'

echo "1..$n"
[ "$failed" -eq 0 ]
