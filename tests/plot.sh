#!/bin/sh
# plot.sh — `reformstat plot` as a user meets it: every kind rendered to
# PNG, PDF and SVG from the bundled sample (datasets/sample), each file
# checked by a program that parses it (PNG: `file` for the signature and
# pixel size; PDF: pdfinfo, pdftotext; SVG: xmllint), SVG and PDF
# byte-identical across two runs, SOURCE_DATE_EPOCH as the PDF's date,
# --data-out, and bad input (exit 1, a clear message, no file left).
#
# Where the expected values come from: sizes are the options' arithmetic
# (16 cm at 100 dpi = 16 / 2.54 * 100 = 629.9 -> 630 px; 10 cm -> 394 px;
# 16 cm = 453.543 pt, 10 cm = 283.465 pt); the labels are the sample
# codebooks' (datasets/sample/*-codebook.csv); the data-out numbers are
# checked against `reformstat describe` on the same rows.  The pixel-level
# comparison with a reference image is in tests/test-plot.c.  TAP output;
# needs REFORMSTAT and top_srcdir.  Skips the checks whose tool is absent.

: "${REFORMSTAT:?REFORMSTAT must name the reformstat program}"
: "${top_srcdir:=.}"
S=$(cd "$top_srcdir/datasets/sample" && pwd) || { echo "1..0 # SKIP datasets/sample not found"; exit 0; }
TMP=$(mktemp -d "${TMPDIR:-/tmp}/rs-plot.XXXXXX") || exit 99
trap 'rm -rf "$TMP"' EXIT INT TERM
R=$REFORMSTAT
FAM="$S/family.csv -c $S/family-codebook.csv"
COORD="$S/coordinators.csv -c $S/coordinators-codebook.csv"

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
has() { command -v "$1" > /dev/null 2>&1; }
no_leftovers() {  # nothing but what the test made itself in $1
  test -z "$(ls -A "$1")" || { echo "left in $1:"; ls -A "$1"; false; }
}

# KINDS: name, then the arguments (after DATA) that draw it; one line per kind.
KINDS="prepost|$FAM --var hours_admin --group coordinator_type --period post
prepost-weighted|$FAM --var collab_1 --group coordinator_type --period post --weight weight
likert|$FAM --index collaboration
likert-items|$COORD --items role_1,role_2,role_3,capacity_3
forest|$FAM --var hours_admin --group fylke --sort
forest-filter|$COORD --var families --group kommune --filter fylke=46 --sort
distribution|$COORD --var families --group profession
distribution-box|$COORD --var families --group profession --style box
scatter|$COORD --x earmarked_hours --y families --color profession
its|$S/registry.csv -c $S/registry-codebook.csv --var children_ip --per children_0_17
tilemap|$COORD --var families"

mkdir "$TMP/fig"
echo "$KINDS" | while IFS='|' read -r name args; do
  kind=${name%%-*}
  for fmt in png pdf svg; do
    # shellcheck disable=SC2086
    "$R" plot "$kind" $args --dpi 100 --width-cm 16 --height-cm 10 -o "$TMP/fig/$name.$fmt" 2> "$TMP/fig/$name.$fmt.err"
    echo $? > "$TMP/fig/$name.$fmt.rc"
  done
done

echo "$KINDS" | {
while IFS='|' read -r name args; do
  kind=${name%%-*}
  F=$TMP/fig/$name
  check "$name: PNG, PDF and SVG drawn (exit 0)" \
    'for f in png pdf svg; do test "$(cat $F.$f.rc)" = 0 || { cat $F.$f.err; exit 1; }; done'
  if has file; then
    check "$name: a 630 x 394 PNG (16 x 10 cm at 100 dpi)" 'file "$F.png" | grep -q "PNG image data, 630 x 394"'
  else skip "file(1) not installed"; fi
  if has pdfinfo; then
    check "$name: pdfinfo reads a one-page 453.543 x 283.465 pt PDF" \
      'pdfinfo "$F.pdf" > $F.info && grep -q "^Pages: *1" $F.info && grep -q "453.543 x 283.465 pts" $F.info'
  else skip "pdfinfo (poppler-utils) not installed"; fi
  if has xmllint; then
    check "$name: the SVG is well-formed XML" 'xmllint --noout "$F.svg"'
  else skip "xmllint (libxml2-utils) not installed"; fi
  # a second run: byte for byte the same
  # shellcheck disable=SC2086
  check "$name: PDF and SVG are byte-identical across two runs" \
    '"$R" plot $kind $args --width-cm 16 --height-cm 10 -o $F-2.pdf && "$R" plot $kind $args --width-cm 16 --height-cm 10 -o $F-2.svg &&
     cmp $F.pdf $F-2.pdf && cmp $F.svg $F-2.svg'
done
echo "$n $failed" > "$TMP/counts"
}
read -r n failed < "$TMP/counts"

# ---- text: labels with æ ø å in the SVG's <desc> and the PDF's text ----------
F=$TMP/fig
check "prepost SVG: <title> is the outcome's codebook label (with å)" \
  'grep -q "<title>Timer per uke til å administrere tjenester</title>" $F/prepost.svg'
check "prepost SVG: <desc> has the group and period labels" \
  'grep -q "^Barnekoordinator$" $F/prepost.svg && grep -q "^Før reformen (før 1. august 2022)$" $F/prepost.svg'
check "prepost SVG: tick labels in Norwegian format (decimal comma)" 'grep -q "^4,0$" $F/prepost.svg'
check "likert SVG: the items and the codebook's categories, incl. æøå" \
  'grep -q "^Tjenestene samarbeider godt med hverandre$" $F/likert.svg && grep -q "^Verken enig eller uenig$" $F/likert.svg'
check "distribution SVG: the profession labels" 'grep -q "Sosionom eller barnevernspedagog" $F/distribution.svg'
if has pdftotext; then
  check "prepost PDF: the text is searchable (pdftotext finds æøå labels)" \
    'pdftotext $F/prepost.pdf - | grep -q "Før reformen" && pdftotext $F/prepost.pdf - | grep -q "Timer per uke til å administrere"'
else skip "pdftotext not installed"; fi
run plot prepost $FAM --var hours_admin --group coordinator_type --period post --lang en -o "$TMP/en.svg"
check "--lang en: English labels and number format" \
  'rc_is 0 && grep -q "<title>Hours per week spent administering services</title>" $TMP/en.svg && grep -q "^Mean$" $TMP/en.svg'
run plot forest $FAM --var hours_admin --group fylke --title "Tid brukt på å administrere tjenester" -o "$TMP/t.svg"
check "--title replaces the default title" 'rc_is 0 && grep -q "<title>Tid brukt på å administrere tjenester</title>" $TMP/t.svg'

# ---- PDF metadata ----------------------------------------------------------------
if has pdfinfo; then
  check "without SOURCE_DATE_EPOCH the PDF has no creation date" '! pdfinfo $F/prepost.pdf | grep -q CreationDate'
  # 1659312000 = 2022-08-01T00:00:00Z (date -u -d @1659312000)
  SOURCE_DATE_EPOCH=1659312000 "$R" plot prepost $FAM --var hours_admin --group coordinator_type --period post -o "$TMP/sde.pdf"
  check "SOURCE_DATE_EPOCH sets the PDF's creation date" 'pdfinfo $TMP/sde.pdf | grep -q "CreationDate:.*Aug  1 00:00:00 2022"'
  check "the PDF's title and creator" 'pdfinfo $F/prepost.pdf | grep -q "^Title: *Timer per uke" && pdfinfo $F/prepost.pdf | grep -q "^Creator: *reformstat"'
else skip "pdfinfo not installed"; skip "pdfinfo not installed"; skip "pdfinfo not installed"; fi

# ---- --data-out -----------------------------------------------------------------------
run plot prepost $FAM --var hours_admin --group coordinator_type --period post -o "$TMP/d.png" --dpi 50 --data-out "$TMP/d.csv"
check "--data-out writes the plotted numbers (header, 3 groups x 2 periods)" \
  'rc_is 0 && head -1 $TMP/d.csv | grep -q "^name,group,series,n,estimate,se,ci_low,ci_high,method" && test $(wc -l < $TMP/d.csv) = 7'
# the same mean as describe on the same rows: families without koordinator before the reform
"$R" describe $FAM --vars hours_admin --by coordinator_type --format csv > "$TMP/desc.csv" 2>/dev/null
check "--data-out: no data for barnekoordinator before the reform is n 0 with no estimate" \
  'grep -q "^Timer per uke til å administrere tjenester,Barnekoordinator,Før reformen (før 1. august 2022),0,,,,," $TMP/d.csv'
# col FILE KEY KEYCOL WANTCOL: the WANTCOL cell of the row whose KEYCOL is KEY (by header name)
col() {
  awk -F, -v key="$2" -v kc="$3" -v wc="$4" 'NR == 1 { for (i = 1; i <= NF; i++) h[$i] = i; next }
    $(h[kc]) == key { print $(h[wc]); exit }' "$1"
}
"$R" plot forest $FAM --var hours_admin --group coordinator_type -o "$TMP/f.svg" --data-out "$TMP/f.csv"
check "--data-out: the mean and n agree with 'describe' on the same rows (forest, Koordinator)" \
  'a=$(col $TMP/f.csv Koordinator group estimate) && b=$(col $TMP/desc.csv "1 Koordinator" group mean) &&
   test "$(col $TMP/f.csv Koordinator group n)" = "$(col $TMP/desc.csv "1 Koordinator" group n)" &&
   test -n "$a" && awk -v a="$a" -v b="$b" "BEGIN { exit !(a - b < 1e-12 && b - a < 1e-12) }"'
run plot likert $FAM --items collab_1,collab_2 -o "$TMP/l.png" --dpi 50 --data-out "$TMP/l.csv"
check "likert --data-out: each item's percentages sum to 100" \
  'rc_is 0 && awk -F, "NR > 1 { s[\$1] += \$NF } END { for (k in s) if (s[k] < 99.999 || s[k] > 100.001) exit 1; exit (length(s) != 2) }" $TMP/l.csv'

# ---- bad input: exit 1, a clear message, no file --------------------------------------
mkdir "$TMP/bad"
run plot piechart $FAM --var hours_admin -o "$TMP/bad/x.png"
check "unknown kind: exit 1, names it and lists the kinds" 'rc_is 1 && err_has "unknown kind of chart '"'"'piechart'"'"'" && err_has "prepost, likert" && no_leftovers $TMP/bad'
run plot prepost $FAM --var no_such --period post -o "$TMP/bad/x.png"
check "missing variable: exit 1, names the column" 'rc_is 1 && err_has "no column '"'"'no_such'"'"'" && no_leftovers $TMP/bad'
run plot prepost $FAM --var hours_admin --period post -o "$TMP/bad/x.jpg"
check "unknown output extension: exit 1" 'rc_is 1 && err_has "must be .png, .pdf or .svg" && no_leftovers $TMP/bad'
run plot prepost $FAM --var hours_admin --period post
check "no -o: exit 1" 'rc_is 1 && err_has "-o FILE.png"'
run plot prepost $FAM --var hours_admin --period post -o "$TMP/no/such/dir/x.png"
check "unwritable output: exit 1 with the path" 'rc_is 1 && err_has "$TMP/no/such/dir/x.png"'
run plot forest $FAM --var hours_admin --group kommune --filter fylke=99 -o "$TMP/bad/x.pdf" --data-out "$TMP/bad/x.csv"
check "empty data after --filter: exit 1, no figure, no data file" 'rc_is 1 && err_has "no rows to plot after --filter" && no_leftovers $TMP/bad'
run plot forest $FAM --var coordinator_type --group fylke --filter individual_plan=8 -o "$TMP/bad/x.pdf"
check "no rows with a value (only 'vet ikke'): exit 1" 'rc_is 1 && no_leftovers $TMP/bad'
printf 'g,y\n1,2.5\n2,inf\n' > "$TMP/inf.csv"
printf 'name,type\ng,integer\ny,numeric\n' > "$TMP/inf-cb.csv"
run plot distribution "$TMP/inf.csv" -c "$TMP/inf-cb.csv" --var y -o "$TMP/bad/x.svg"
check "an infinite value: exit 1 naming line and column" 'rc_is 1 && err_has "line 3, column '"'"'y'"'"'" && no_leftovers $TMP/bad'
run plot prepost $FAM --var child_sex --period post --group kommune_typo -o "$TMP/bad/x.svg"
check "missing group variable: exit 1" 'rc_is 1 && err_has "kommune_typo" && no_leftovers $TMP/bad'
run plot prepost $FAM --var hours_admin --group coordinator_type -o "$TMP/bad/x.svg"
check "prepost without --period: exit 1" 'rc_is 1 && err_has "--period" && no_leftovers $TMP/bad'
run plot likert $FAM --index no_such_index -o "$TMP/bad/x.svg"
check "likert with an unknown index: exit 1" 'rc_is 1 && no_leftovers $TMP/bad'
run plot distribution $COORD --var families --style violin -o "$TMP/bad/x.svg"
check "unknown --style: exit 1" 'rc_is 1 && err_has "hist or box" && no_leftovers $TMP/bad'
run plot prepost $FAM --var hours_admin --period post --lang de -o "$TMP/bad/x.svg"
check "unknown --lang: exit 1" 'rc_is 1 && err_has "nb or en" && no_leftovers $TMP/bad'
run plot prepost $FAM --var hours_admin --period post --width-cm 0.5 -o "$TMP/bad/x.svg"
check "a figure too small: exit 1" 'rc_is 1 && err_has "2–100 cm" && no_leftovers $TMP/bad'
run plot prepost $FAM --var hours_admin --period post --dpi 5000 -o "$TMP/bad/x.png"
check "a PNG too large: exit 1" 'rc_is 1 && err_has "20000 pixels" && no_leftovers $TMP/bad'
echo old > "$TMP/bad/keep.png"
run plot prepost $FAM --var no_such --period post -o "$TMP/bad/keep.png"
check "a failed plot leaves an existing figure as it was" 'rc_is 1 && test "$(cat $TMP/bad/keep.png)" = old'
run plot --help
check "plot --help lists the kinds" 'rc_is 0 && grep -q "prepost" $TMP/out && grep -q "distribution" $TMP/out'

echo "1..$n"
[ "$failed" -eq 0 ]
