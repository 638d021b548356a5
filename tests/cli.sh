#!/bin/sh
# cli.sh — the reformstat program as a user meets it: --help, --version,
# unknown commands, good edge cases that must work (header only, one
# column, BOM/CRLF/Windows-1252 files, an SSB table with symbols, a 10 MB
# field, standard input), and atomic output with -o.
#
# Where the expected values come from: the small files in tests/data were
# written for this test and every number below is counted or computed by
# hand from them (the arithmetic is in the comments).  TAP output for
# automake's tap-driver.sh; needs REFORMSTAT and top_srcdir.

: "${REFORMSTAT:?REFORMSTAT must name the reformstat program}"
: "${top_srcdir:=.}"
DATA=$(cd "$top_srcdir/tests/data" && pwd) || { echo "1..0 # SKIP tests/data not found"; exit 0; }
TMP=$(mktemp -d "${TMPDIR:-/tmp}/rs-cli.XXXXXX") || exit 99
trap 'rm -rf "$TMP"' EXIT INT TERM
R=$REFORMSTAT

n=0
failed=0
# check NAME COMMAND…: runs the command (a shell snippet) and reports it
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
# run ARGS…: runs reformstat, keeping stdout, stderr and the exit status
run() {
  "$R" "$@" > "$TMP/out" 2> "$TMP/err"
  echo $? > "$TMP/rc"
}
rc_is() { test "$(cat "$TMP/rc")" = "$1" || { echo "exit $(cat "$TMP/rc"), expected $1"; cat "$TMP/err"; false; }; }
out_has() { grep -F -q -e "$1" "$TMP/out" || { echo "stdout lacks: $1"; head -n 30 "$TMP/out"; false; }; }
err_has() { grep -F -q -e "$1" "$TMP/err" || { echo "stderr lacks: $1"; head -n 30 "$TMP/err"; false; }; }
clean() {  # no sanitizer reports
  ! cat "$TMP/out" "$TMP/err" | grep -E -q 'Sanitizer|runtime error:' || { cat "$TMP/err"; false; }
}
# cell VARIABLE COLUMN [LEVEL]: a cell of the CSV in $TMP/out (no quoted commas
# in these files), empty when absent
cell() {
  awk -F, -v var="$1" -v col="$2" -v lev="$3" '
    NR == 1 { for (i = 1; i <= NF; i++) h[$i] = i; next }
    $1 == var && (lev == "" || $(h["level"]) == lev) { print (col in h) ? $(h[col]) : ""; exit }
  ' "$TMP/out"
}
cell_is() {
  got=$(cell "$1" "$2" "$4")
  test "$got" = "$3" || { echo "$1 $2 ${4:+(level $4) }is '$got', expected '$3'"; cat "$TMP/out"; false; }
}

# ---- help, version, unknown command ------------------------------------------
run --help
check "reformstat --help exits 0" 'rc_is 0'
check "reformstat --help lists the commands" 'out_has "Usage: reformstat COMMAND" && out_has "validate" && out_has "describe"'
run -h
check "reformstat -h exits 0 with usage" 'rc_is 0 && out_has "Usage: reformstat COMMAND"'
run validate --help
check "reformstat validate --help exits 0 and shows its options" 'rc_is 0 && out_has "--codebook" && out_has "--format"'
run validate --help-all
check "reformstat validate --help-all shows the input options" 'rc_is 0 && out_has "--max-field" && out_has "--encoding"'
run describe --help
check "reformstat describe --help exits 0 and shows its options" 'rc_is 0 && out_has "--vars" && out_has "--by"'
run --version
check "reformstat --version prints 'reformstat X.Y.Z' and exits 0" 'rc_is 0 && grep -E -q "^reformstat [0-9]+\.[0-9]+\.[0-9]+" "$TMP/out"'
run frobnicate
check "an unknown command exits 1 and names it" 'rc_is 1 && err_has "unknown command '"'"'frobnicate'"'"'"'
run
check "no command: exit 1 with usage on stderr" 'rc_is 1 && err_has "Usage: reformstat COMMAND"'
run describe
check "describe without a file: exit 1" 'rc_is 1 && err_has "give exactly one data file"'

# ---- good edge cases ---------------------------------------------------------------
run describe --format csv "$DATA/header-only.csv"
check "header only: describe exits 0" 'rc_is 0 && clean'
# header-only.csv: id;alder;kommune and no rows
check "header only: every column has n 0" 'cell_is id n 0 && cell_is alder n 0 && cell_is kommune n 0'
run validate "$DATA/header-only.csv"
check "header only: validate exits 0 and says 0 rows" 'rc_is 0 && out_has "0 rows, 3 columns; 0 errors"'

run describe --format csv "$DATA/one-column.csv"
# one-column.csv: alder 34, 41, 29, 52 -> n 4, mean 156/4 = 39, min 29, max 52,
# median (34 + 41)/2 = 37.5
check "one column: describe exits 0" 'rc_is 0 && clean'
check "one column: n 4, mean 39, median 37.5, min 29, max 52" \
  'cell_is alder n 4 && cell_is alder mean 39 && cell_is alder median 37.5 && cell_is alder min 29 && cell_is alder max 52'

# bom-crlf-utf8.csv and cp1252-crlf.csv hold the same 8 rows: kommunenavn
# Bærum x3, Oslo x2, Tromsø x2, Ålesund x1 (3 + 2 + 2 + 1 = 8; 3/8 = 37.5 %)
for f in bom-crlf-utf8 cp1252-crlf; do
  run describe --format csv "$DATA/$f.csv"
  check "$f: describe exits 0" 'rc_is 0 && clean'
  check "$f: 'Bærum' in UTF-8 with n 3 (37.5 %)" 'cell_is kommunenavn n 3 Bærum && cell_is kommunenavn percent 37.5 Bærum'
  check "$f: 'Tromsø' n 2 and 'Ålesund' n 1" 'cell_is kommunenavn n 2 Tromsø && cell_is kommunenavn n 1 Ålesund'
  # q1: 4 3 5 2 4 1 3 5 -> sum 27, mean 27/8 = 3.375
  check "$f: q1 mean 3.375 (no CR left in the last column)" 'cell_is q1 n 8 && cell_is q1 mean 3.375'
done
run describe --verbose --format csv "$DATA/cp1252-crlf.csv"
check "cp1252-crlf: --verbose says windows-1252, CRLF" 'err_has "windows-1252, CRLF line ends"'
run describe --verbose --format csv "$DATA/bom-crlf-utf8.csv"
check "bom-crlf-utf8: --verbose says utf-8 with byte-order mark, CRLF" 'err_has "utf-8 with byte-order mark, CRLF line ends"'

# ssb-table.csv: a title line and a blank line above the header; antall is
# 1 414,5  ..  :  -  123*  ...  .  2 005  17
#   present 5: 1414.5, 0 ('-'), 123 (provisional), 2005, 17; sum 3559.5, mean 711.9
#   missing 4: one each of '..', ':', '...', '.'
run describe --verbose --format csv "$DATA/ssb-table.csv"
check "SSB table: describe exits 0" 'rc_is 0 && clean'
check "SSB table: the title and blank line are skipped" 'err_has "2 lines above the header skipped" && err_has "title: 12345: Barn med koordinator"'
check "SSB table: decimal comma detected" 'err_has "decimal comma"'
check "SSB table: antall n 5, missing 4" 'cell_is antall n 5 && cell_is antall missing 4'
check "SSB table: missing by reason, one each of '..' ':' '...' '.'" \
  'cell_is antall missing_ssb_missing 1 && cell_is antall missing_ssb_suppressed 1 && cell_is antall missing_ssb_not_yet 1 && cell_is antall missing_ssb_na 1'
check "SSB table: one zero by definition, one provisional" 'cell_is antall zero_by_definition 1 && cell_is antall provisional 1'
check "SSB table: mean 711.9, min 0, max 2005 ('1 414,5' and '2 005' read)" \
  'cell_is antall mean 711.9 && cell_is antall min 0 && cell_is antall max 2005'

# standard input
run describe --format csv - < "$DATA/one-column.csv"
check "'-' reads standard input" 'rc_is 0 && cell_is alder n 4 && cell_is alder mean 39'

# UTF-16LE with a byte-order mark, made here from the UTF-8 file
if printf 'a' | iconv -f UTF-8 -t UTF-16LE > /dev/null 2>&1; then
  { printf '\377\376'; tail -c +4 "$DATA/bom-crlf-utf8.csv" | iconv -f UTF-8 -t UTF-16LE; } > "$TMP/utf16.csv"
  run describe --format csv "$TMP/utf16.csv"
  check "UTF-16LE with BOM: 'Bærum' n 3" 'rc_is 0 && cell_is kommunenavn n 3 Bærum && cell_is q1 mean 3.375'
else
  n=$((n + 1)); echo "ok $n # SKIP iconv cannot write UTF-16LE"
fi

# a 10 MB field is under the default limit (16 MiB): read, not refused, no crash
{ printf 'id;tekst\n1;'; head -c 10485760 /dev/zero | tr '\0' 'a'; printf '\n2;kort\n'; } > "$TMP/big.csv"
run validate "$TMP/big.csv"
check "a 10 MB field without --max-field: validate exits 0, 2 rows" 'rc_is 0 && out_has "2 rows, 2 columns; 0 errors" && clean'
run describe --format csv "$TMP/big.csv"
check "a 10 MB field without --max-field: describe exits 0" 'rc_is 0 && cell_is tekst n 2 && clean'

# ---- atomic output ------------------------------------------------------------------
mkdir "$TMP/o"
run describe -o "$TMP/o/out.csv" --format csv "$DATA/one-column.csv"
check "describe -o out.csv --format csv exits 0 and prints nothing" 'rc_is 0 && test ! -s "$TMP/out"'
check "describe -o creates the file whole" 'head -n 1 "$TMP/o/out.csv" | grep -q ",type,n,missing,mean," && grep -q "^alder,integer,4,0,39," "$TMP/o/out.csv"'
check "describe -o leaves no temporary file" 'test "$(ls -A "$TMP/o")" = out.csv'

printf 'old content\n' > "$TMP/o/keep.csv"
run describe -o "$TMP/o/keep.csv" --format csv "$DATA/bad/ragged-too-few-describe.csv"
check "a failing describe with -o exits 1" 'rc_is 1 && err_has "line 4"'
check "a failing describe leaves the existing file untouched" 'test "$(cat "$TMP/o/keep.csv")" = "old content"'
run describe -o "$TMP/o/keep.csv" --format xml "$DATA/one-column.csv"
check "a usage error with -o leaves the existing file untouched" 'rc_is 1 && test "$(cat "$TMP/o/keep.csv")" = "old content"'
run describe -o "$TMP/o/keep.csv" --format csv "$DATA/no-such-file.csv"
check "a missing input with -o leaves the existing file untouched" 'rc_is 1 && test "$(cat "$TMP/o/keep.csv")" = "old content"'
check "failed runs leave no temporary file" 'test "$(ls -A "$TMP/o" | sort | tr "\n" " ")" = "keep.csv out.csv "'

run describe -o "$TMP/o/keep.csv" --format csv "$DATA/one-column.csv"
check "a successful run replaces the existing file" 'rc_is 0 && grep -q "^alder,integer,4," "$TMP/o/keep.csv" && ! grep -q "old content" "$TMP/o/keep.csv"'

# validate's output is its report: with -o it is written even when the data has errors
run validate -o "$TMP/o/report.txt" "$DATA/bad/ragged-too-few.csv"
check "validate -o writes the problem report and exits 1" \
  'rc_is 1 && grep -q "line 3, column .q1.: this row has 2 fields" "$TMP/o/report.txt"'
run validate -o "$TMP/o/report.json" --format json "$DATA/one-column.csv"
check "validate -o --format json writes one JSON object" \
  'rc_is 0 && grep -q "\"reformstat\"" "$TMP/o/report.json" && grep -q "\"command\": *\"validate\"" "$TMP/o/report.json"'
check "no temporary files after all runs" 'test -z "$(find "$TMP/o" -name ".*.tmp-*")"'

# Windows-1252 where a byte triple happens to be valid UTF-8: "Evenášši" is
# E1 9A 9A 69 in Windows-1252, and E1 9A 9A also decodes as UTF-8 (U+169A).
# The file's other high bytes (æ ø å) are not UTF-8, so it is Windows-1252.
printf 'kommune;navn\r\n1853;Evenes - Even\341\232\232i\r\n3101;Halden \346\370\345\r\n1853;Evenes - Even\341\232\232i\r\n3101;Halden \346\370\345\r\n' > "$TMP/sami.csv"
run describe --format csv "$TMP/sami.csv"
check "Windows-1252 with a chance UTF-8 sequence (Sami names) is read as Windows-1252" \
  'rc_is 0 && out_has "Evenes - Evenášši" && out_has "Halden æøå"'
printf 'navn\nEven\341\232\232i \303\246\303\270\303\245 \303\246\303\270\303\245\nok \346\n' > "$TMP/mixed.csv"
run describe --format csv "$TMP/mixed.csv"
check "mostly UTF-8 with a stray Windows-1252 byte is an error naming the line" \
  'rc_is 1 && err_has "line 3" && err_has "not valid UTF-8"'

# --vars parses only the columns asked for: same numbers as describing every column
S="$top_srcdir/datasets/sample"
run describe --format csv -c "$S/coordinators-codebook.csv" "$S/coordinators.csv"
grep '^families,' "$TMP/out" | cut -d, -f1-12 > "$TMP/all-families"
run describe --format csv -c "$S/coordinators-codebook.csv" --vars families "$S/coordinators.csv"
check "describe --vars families gives the same row as describing every column" \
  'rc_is 0 && grep "^families," "$TMP/out" | cut -d, -f1-12 | cmp -s - "$TMP/all-families" && test "$(wc -l < "$TMP/out")" = 2'

echo "1..$n"
[ "$failed" -eq 0 ]
