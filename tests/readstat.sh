#!/bin/sh
# readstat.sh — SPSS, Stata and SAS files through ReadStat (TAP).
#
# Test files (tests/data/readstat): survey.sav, survey.zsav, survey.por and
# survey-1252.sav were written by PSPP 1.6.2 from survey.sps (which states
# the data, labels and missing values these tests expect); survey.dta was
# written by `reformstat convert survey.sav survey.dta` and survey.sas7bdat
# by `reformstat convert survey.sav survey.sas7bdat` (ReadStat's writer);
# survey.codebook.csv is `reformstat codebook survey.sav`, checked by hand
# against survey.sps.  Truncated and byte-flipped copies are made here at
# run time (fixed seed); each must fail with the file's name and exit 1, or
# read, and never crash (run this under ASan+UBSan to check memory too).
set -u
R="${REFORMSTAT:-./reformstat}"
D="${top_srcdir:-.}/tests/data/readstat"
n=0; failed=0
ok() { n=$((n + 1)); if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; failed=$((failed + 1)); fi; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

"$R" describe "$D/survey.sav" > "$tmp/out" 2>&1
st=$?
if grep -q "needs reformstat built with ReadStat (Debian libreadstat-dev)" "$tmp/out"; then
  ok $([ $st -eq 1 ]; echo $?) "built without ReadStat: a .sav file says what to install, exit 1"
  echo "ok 2 # SKIP reformstat built without ReadStat: SPSS/Stata/SAS files not tested"
  echo "1..2"
  exit 0
fi
ok $([ $st -eq 0 ]; echo $?) "describe survey.sav (PSPP) succeeds"

# -- the codebook carried from the file ------------------------------------------
"$R" codebook "$D/survey.sav" -o "$tmp/cb.csv" > "$tmp/out" 2>&1
ok $(cmp -s "$tmp/cb.csv" "$D/survey.codebook.csv"; echo $?) "codebook survey.sav: labels, value labels, user-missing 8|9 and 97..99, Likert 1–5, date, types"
ok $(grep -q '^collab_1,Samarbeidet mellom tjenestene fungerer godt,,likert,1,5,0,8|9,1=Helt uenig|' "$tmp/cb.csv"; echo $?) "Likert item recognised from five consecutive labelled codes; 8 and 9 are missing codes"
ok $(grep -q '^services,.*,integer,,,0,97..99,' "$tmp/cb.csv"; echo $?) "SPSS missing range 97 THRU 99 kept as 97..99"
"$R" codebook "$D/survey.sav" -o "$tmp/cb.csv" --format csv > /dev/null 2>&1
"$R" codebook "$D/survey.sav" > "$tmp/cb-stdout.csv" 2>&1
ok $(cmp -s "$tmp/cb-stdout.csv" "$D/survey.codebook.csv"; echo $?) "codebook to standard output"

# -- the same data through every reader --------------------------------------------
"$R" convert "$D/survey.sav" "$tmp/sav.csv" > /dev/null 2>&1
"$R" convert "$D/survey.zsav" "$tmp/zsav.csv" > /dev/null 2>&1
ok $(cmp -s "$tmp/sav.csv" "$tmp/zsav.csv"; echo $?) ".zsav (compressed) reads as the .sav"
"$R" convert "$D/survey-1252.sav" "$tmp/1252.csv" > /dev/null 2>&1
ok $(cmp -s "$tmp/sav.csv" "$tmp/1252.csv"; echo $?) "Windows-1252 .sav: text converted to UTF-8 (æøå as in the UTF-8 file)"
ok $(grep -q 'Ærlig talt: for mye skjemaer' "$tmp/1252.csv"; echo $?) "Windows-1252 .sav: 'Ærlig talt' read as UTF-8"
"$R" convert "$D/survey.por" "$tmp/por.csv" > "$tmp/out" 2>&1
st=$?
cut -d, -f1-6 "$tmp/sav.csv" | tail -n +2 > "$tmp/a"; cut -d, -f1-6 "$tmp/por.csv" | tail -n +2 > "$tmp/b"
ok $([ $st -eq 0 ] && cmp -s "$tmp/a" "$tmp/b"; echo $?) ".por (PSPP EXPORT, repeated digits in its translation table) reads the same numbers"
"$R" convert "$D/survey.dta" "$tmp/dta.csv" > /dev/null 2>&1
ok $(grep -q '^3,4601,3,.a,2,3.5,' "$tmp/dta.csv" && grep -q '^6,5001,3,.b,1,,' "$tmp/dta.csv" && grep -q '^4,4601,1,5,.a,15,' "$tmp/dta.csv"; echo $?) ".dta: SPSS codes 8, 9 became extended missing .a, .b; services' range 97..99 its .a"
"$R" codebook "$D/survey.dta" > "$tmp/dcb.csv" 2>&1
ok $(grep -q '^collab_1,.*,likert,1,5,0,.a|.b,1=Helt uenig|.*|.a=Vet ikke|.b=Ikke svart,' "$tmp/dcb.csv"; echo $?) ".dta codebook: extended missing values with their labels"

# -- round trips ---------------------------------------------------------------------
"$R" convert "$D/survey.sav" "$tmp/rt.sav" > /dev/null 2>&1 && "$R" convert "$tmp/rt.sav" "$tmp/rt-sav.csv" > /dev/null 2>&1
"$R" codebook "$tmp/rt.sav" > "$tmp/rt-cb.csv" 2>&1
ok $(cmp -s "$tmp/sav.csv" "$tmp/rt-sav.csv" && cmp -s "$tmp/rt-cb.csv" "$D/survey.codebook.csv"; echo $?) ".sav -> table -> .sav keeps values, labels and missing codes"
"$R" convert "$D/survey.dta" "$tmp/rt.dta" > /dev/null 2>&1 && "$R" convert "$tmp/rt.dta" "$tmp/rt-dta.csv" > /dev/null 2>&1
"$R" codebook "$tmp/rt.dta" > "$tmp/rt-dcb.csv" 2>&1
ok $(cmp -s "$tmp/dta.csv" "$tmp/rt-dta.csv" && cmp -s "$tmp/rt-dcb.csv" "$tmp/dcb.csv"; echo $?) ".dta -> table -> .dta keeps values, labels and extended missing values"
"$R" convert "$D/survey.sav" "$tmp/rt.zsav" > /dev/null 2>&1 && "$R" convert "$tmp/rt.zsav" "$tmp/rt-zsav.csv" > /dev/null 2>&1
ok $(cmp -s "$tmp/sav.csv" "$tmp/rt-zsav.csv"; echo $?) ".sav -> .zsav -> CSV keeps the values"
"$R" convert "$D/survey.sav" "$tmp/rt.por" > "$tmp/out" 2>&1
ok $([ $? -eq 1 ] && grep -q "rt.por: cannot write the SPSS file (column 'child_age'): .*too long" "$tmp/out" && [ ! -e "$tmp/rt.por" ]; echo $?) ".por keeps names of at most 8 characters: clear error, no file"
printf 'id,q1,dato\n1,4,2023-03-01\n2,9,2023-03-02\n3,,2023-03-03\n' > "$tmp/p.csv"
printf 'name,label_nb,type,missing,values\nid,Respondent,integer,,\nq1,Spørsmål 1,likert,9,1=Uenig|2=Litt uenig|3=Litt enig|4=Enig|9=Vet ikke\ndato,Dato,date,,\n' > "$tmp/p-cb.csv"
"$R" convert "$tmp/p.csv" -c "$tmp/p-cb.csv" "$tmp/p.por" > /dev/null 2>&1 && "$R" convert "$tmp/p.por" "$tmp/p2.csv" > /dev/null 2>&1
"$R" codebook "$tmp/p.por" > "$tmp/p2-cb.csv" 2>&1
ok $(printf 'ID,Q1,DATO\n1,4,2023-03-01\n2,9,2023-03-02\n3,,2023-03-03\n' | cmp -s - "$tmp/p2.csv" && grep -q '^Q1,Spoersmal 1,,likert,1,4,0,9,1=Uenig|2=Litt uenig|3=Litt enig|4=Enig|9=Vet ikke,$' "$tmp/p2-cb.csv"; echo $?) "CSV + codebook -> .por (ReadStat) -> table keeps values, labels (ø -> oe), missing code, date"
# CSV + codebook -> .sav: the CSV path gets labels into SPSS as well
"$R" convert "$tmp/sav.csv" "$tmp/fromcsv.sav" -c "$D/survey.codebook.csv" > /dev/null 2>&1
"$R" codebook "$tmp/fromcsv.sav" > "$tmp/fromcsv-cb.csv" 2>&1
ok $(cmp -s "$tmp/fromcsv-cb.csv" "$D/survey.codebook.csv"; echo $?) "CSV + codebook -> .sav carries the codebook into the file"

# -- describe: the .sav equals its CSV export with its codebook --------------------
"$R" describe "$D/survey.sav" --format csv > "$tmp/d1" 2>&1
"$R" describe "$tmp/sav.csv" -c "$D/survey.codebook.csv" --format csv > "$tmp/d2" 2>&1
ok $(cmp -s "$tmp/d1" "$tmp/d2"; echo $?) "describe survey.sav = describe of its CSV export with its codebook"
ok $(grep -q '^collab_1,likert,10,2,3.3,.*,2,,,,$' "$tmp/d1"; echo $?) "collab_1: 10 answers, 2 user-missing (8, 9), mean 3.3 (hand: 33/10)"
ok $(grep -q '^ktype,category,5,,,,,,,,,,,,1,Barnekoordinator,' "$tmp/d1"; echo $?) "value labels reach describe (ktype 1 = Barnekoordinator, 5 of 12)"

# -- SAS .sas7bdat (written by ReadStat): no value labels, codes 8, 9, 97..99 -----
# become special missing .A/.B, which reformstat reads back as missing codes .a/.b
"$R" describe "$D/survey.sas7bdat" --format csv > "$tmp/ds" 2>&1
st=$?
ok $([ $st -eq 0 ] && grep -q '^collab_1,integer,10,2,3.3,' "$tmp/ds"; echo $?) "describe survey.sas7bdat succeeds: collab_1 10 answers, 2 missing, mean 3.3"
for v in collab_1 services child_age; do grep "^$v," "$tmp/d1" | cut -d, -f1,3-12; done > "$tmp/a"
for v in collab_1 services child_age; do grep "^$v," "$tmp/ds" | cut -d, -f1,3-12; done > "$tmp/b"
ok $([ -s "$tmp/a" ] && cmp -s "$tmp/a" "$tmp/b"; echo $?) "describe survey.sas7bdat = survey.sav for collab_1, services, child_age (n, missing, mean, sd, quartiles)"
"$R" convert "$D/survey.sas7bdat" "$tmp/sas.csv" > /dev/null 2>&1
sed -e 's/^3,4601,3,8,/3,4601,3,.a,/' -e 's/^4,4601,1,5,97,/4,4601,1,5,.a,/' -e 's/^6,5001,3,9,/6,5001,3,.b,/' -e 's/^10,3401,3,2,98,/10,3401,3,2,.a,/' "$tmp/sav.csv" > "$tmp/sav-tags.csv"
ok $(cmp -s "$tmp/sav-tags.csv" "$tmp/sas.csv"; echo $?) ".sas7bdat reads as the .sav with its missing codes as SAS special missing .A/.B (æøå, date, 7.5 kept)"
"$R" codebook "$D/survey.sas7bdat" > "$tmp/scb.csv" 2>&1
ok $(grep -q '^child_age,Barnets alder (år),,numeric,' "$tmp/scb.csv" && grep -q '^svar_date,Svardato,,date,' "$tmp/scb.csv"; echo $?) ".sas7bdat keeps variable labels and dates (DATE9.)"
"$R" convert "$D/survey.sas7bdat" "$tmp/rt.sas7bdat" > /dev/null 2>&1 && "$R" convert "$tmp/rt.sas7bdat" "$tmp/rt-sas.csv" > /dev/null 2>&1
"$R" codebook "$tmp/rt.sas7bdat" > "$tmp/rt-scb.csv" 2>&1
ok $(cmp -s "$tmp/sas.csv" "$tmp/rt-sas.csv" && cmp -s "$tmp/scb.csv" "$tmp/rt-scb.csv"; echo $?) ".sas7bdat -> table -> .sas7bdat keeps values and variable labels"
"$R" convert "$D/survey.sav" "$tmp/x.sas7bdat" --to dta > /dev/null 2>&1
"$R" convert "$D/survey.sav" "$tmp/y.data" --to sas7bdat > /dev/null 2>&1
"$R" convert "$tmp/y.data" "$tmp/y.csv" --input-format sas7bdat > /dev/null 2>&1
ok $(cmp -s "$tmp/sas.csv" "$tmp/y.csv"; echo $?) "--to sas7bdat writes a SAS file whatever OUT's extension"
size=$(wc -c < "$D/survey.sas7bdat"); cut=0; badcut=0
while [ $cut -lt "$size" ]; do
  head -c $cut "$D/survey.sas7bdat" > "$tmp/cut.sas7bdat"
  "$R" describe "$tmp/cut.sas7bdat" > "$tmp/dout" 2>&1
  st=$?
  if [ $st -ne 1 ] || grep -E -q 'Sanitizer|runtime error:' "$tmp/dout" ||
     ! grep -q "reformstat describe: $tmp/cut.sas7bdat: cannot read this SAS .sas7bdat file: " "$tmp/dout"; then
    badcut=$((badcut + 1)); echo "# survey.sas7bdat cut at $cut: exit $st: $(head -c 300 "$tmp/dout")"
  fi
  cut=$((cut + 512))
done
ok $([ $badcut -eq 0 ] && [ "$size" -gt 512 ]; echo $?) "survey.sas7bdat cut every 512 bytes: each copy exits 1 naming the file as a damaged SAS file"

# -- CSV styles ------------------------------------------------------------------------
"$R" convert "$D/survey.sav" "$tmp/excel.csv" --style excel-nb > /dev/null 2>&1
ok $(head -n 2 "$tmp/excel.csv" | od -c | grep -q '\\r  \\n' && grep -q '^1;301;1;4;3;7,5;' "$tmp/excel.csv"; echo $?) "--style excel-nb: semicolons, decimal comma, CRLF"
ok $(iconv -f WINDOWS-1252 -t UTF-8 "$tmp/excel.csv" | grep -q 'Ærlig talt' && ! grep -q 'Ærlig' "$tmp/excel.csv"; echo $?) "--style excel-nb: Windows-1252 text"
"$R" describe "$tmp/excel.csv" -c "$D/survey.codebook.csv" --format csv > "$tmp/d3" 2>&1
ok $(cmp -s "$tmp/d1" "$tmp/d3"; echo $?) "the Excel CSV reads back to the same statistics"

# -- options ----------------------------------------------------------------------------
cp "$D/survey.sav" "$tmp/survey.data"
"$R" describe "$tmp/survey.data" --input-format sav --format csv > "$tmp/d4" 2>&1
ok $(cmp -s "$tmp/d1" "$tmp/d4"; echo $?) "--input-format sav reads a file without the extension"
"$R" describe "$D/survey.sav" --input-format xlsx > "$tmp/out" 2>&1
ok $([ $? -eq 1 ] && grep -q "unknown --input-format 'xlsx'" "$tmp/out"; echo $?) "unknown --input-format: exit 1 naming it"
"$R" describe "$D/survey.sav" --input-format dta > "$tmp/out" 2>&1
ok $([ $? -eq 1 ] && grep -q "survey.sav: cannot read this Stata .dta file" "$tmp/out"; echo $?) "a .sav read as .dta: clear error, exit 1"
printf 'name,type\nkommune,kommune\n' > "$tmp/k.csv"
"$R" describe "$D/survey.sav" -c "$tmp/k.csv" --vars kommune --format csv > "$tmp/out" 2>&1
ok $([ $? -eq 0 ] && grep -q '^kommune,kommune,0301,3,' "$tmp/out"; echo $?) "--codebook overrides the file: kommune 301 read as code 0301"
printf 'name,type,min,max\ncollab_1,likert,1,4\n' > "$tmp/l.csv"
"$R" validate "$D/survey.sav" -c "$tmp/l.csv" > "$tmp/out" 2>&1
ok $([ $? -eq 1 ] && grep -q "column 'collab_1'.*5 is outside the scale 1–4" "$tmp/out"; echo $?) "validate checks a .sav against --codebook"
"$R" validate "$D/survey.sav" > "$tmp/out" 2>&1
ok $? "validate survey.sav: no problems"
"$R" describe "$tmp/nonexistent.sav" > "$tmp/out" 2>&1
ok $([ $? -eq 1 ] && grep -q "nonexistent.sav: cannot open the file" "$tmp/out"; echo $?) "missing file: exit 1 with the name"
"$R" convert "$D/survey.sav" "$tmp/x.dta" --style excel-nb > "$tmp/out" 2>&1
ok $([ $? -eq 1 ] && [ ! -e "$tmp/x.dta" ]; echo $?) "--style with a .dta output is a usage error, no file written"

# -- damaged files: cut every 512 (and 97) bytes, and flipped bytes (seed 20220801) --
bad=0; total=0
check_damaged() {  # FILE LABEL
  total=$((total + 1))
  "$R" describe "$1" --input-format "$3" > "$tmp/dout" 2>&1
  st=$?
  if [ $st -ge 2 ] || grep -E -q 'Sanitizer|runtime error:' "$tmp/dout" ||
     { [ $st -eq 1 ] && ! grep -q "reformstat describe: $1: " "$tmp/dout"; }; then
    bad=$((bad + 1)); echo "# $2: exit $st: $(head -c 300 "$tmp/dout")"
  fi
}
for f in survey.sav survey.zsav survey.por survey.dta survey.sas7bdat; do
  size=$(wc -c < "$D/$f"); ext=${f##*.}; [ "$ext" = zsav ] && ext=sav
  for step in 512 97; do
    cut=0
    while [ $cut -lt "$size" ]; do
      head -c $cut "$D/$f" > "$tmp/cut.$ext"
      check_damaged "$tmp/cut.$ext" "$f cut at $cut" "$ext"
      cut=$((cut + step))
    done
  done
  # 60 copies with 1–4 random bytes replaced (awk's rand with a fixed seed)
  awk -v size="$size" 'BEGIN { srand(20220801); for (c = 0; c < 60; c++) { k = 1 + int(rand() * 4); line = "";
      for (j = 0; j < k; j++) line = line " " int(rand() * size) ":" int(rand() * 256); print line } }' > "$tmp/flips"
  c=0
  while read -r flips; do
    c=$((c + 1))
    cp "$D/$f" "$tmp/flip.$ext"
    for fl in $flips; do
      printf "$(printf '\\%03o' "${fl#*:}")" | dd of="$tmp/flip.$ext" bs=1 seek="${fl%%:*}" conv=notrunc 2> /dev/null
    done
    check_damaged "$tmp/flip.$ext" "$f flip set $c ($flips)" "$ext"
  done < "$tmp/flips"
done
ok $([ $bad -eq 0 ]; echo $?) "$total truncated or byte-flipped files: each reads or fails with its name, exit 1; none crashes"

echo "1..$n"
[ "$failed" -eq 0 ]
