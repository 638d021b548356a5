#!/bin/sh
# recode.sh — kommune codes checked and mapped to one vintage (--vintage).
# Expected values: ../shared/data/norway change tables — 1507 Ålesund (2020)
# was split into 1508 Ålesund and 1580 Haram on 2024-01-01
# (changes_2020_2024.csv); 0101 Halden (2019) became 3001 (2020) and 3101
# (2024); 9999 is in no set.
set -u
R="${REFORMSTAT:-./reformstat}"
REFDATA="${REFDATA_SRC:-}"
n=0; failed=0
ok() { n=$((n + 1)); if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; failed=$((failed + 1)); fi; }
if [ -z "$REFDATA" ] || [ ! -f "$REFDATA/kommuner_2024.csv" ]; then
  echo "1..0 # SKIP no reference data (../shared absent): kommune mapping not tested"
  exit 0
fi
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
printf 'name,type\nid,id\nkommune,kommune\naar,integer\n' > "$tmp/cb.csv"
printf 'id;kommune;aar\n1;0101;2019\n2;3001;2021\n3;1507;2021\n4;301;2024\n' > "$tmp/d.csv"
printf 'id;kommune;aar\n1;0301;2024\n2;9999;2024\n' > "$tmp/bad.csv"

"$R" validate "$tmp/bad.csv" -c "$tmp/cb.csv" --refdata "$REFDATA" > "$tmp/out" 2>&1
ok $([ $? -eq 1 ] && grep -q "line 3, column 'kommune': '9999' is not a kommune code" "$tmp/out"; echo $?) "unknown code is an error naming the line"

"$R" describe "$tmp/d.csv" -c "$tmp/cb.csv" --refdata "$REFDATA" --vintage 2024 --year-column aar --format csv > "$tmp/out" 2>&1
ok $([ $? -eq 1 ] && grep -q "line 4, column 'kommune': kommune '1507' was split (into 1508, 1580)" "$tmp/out"; echo $?) "a split kommune cannot be mapped 1:1 and is reported"

"$R" describe "$tmp/d.csv" -c "$tmp/cb.csv" --refdata "$REFDATA" --vintage 2024 --year-column aar --aggregate fylke --vars kommune --format csv > "$tmp/out" 2>&1
ok $([ $? -eq 0 ] && grep -q '^kommune,fylke,31,2,' "$tmp/out" && grep -q '^kommune,fylke,15,1,' "$tmp/out" && grep -q '^kommune,fylke,03,1,' "$tmp/out"; echo $?) "--aggregate fylke: Halden twice in 31 Østfold, Ålesund in 15, Oslo in 03"

sed '/1507/d' "$tmp/d.csv" > "$tmp/d2.csv"
"$R" describe "$tmp/d2.csv" -c "$tmp/cb.csv" --refdata "$REFDATA" --vintage 2024 --year-column aar --vars kommune --format csv > "$tmp/out" 2>&1
ok $([ $? -eq 0 ] && grep -q '^kommune,kommune,3101,2,' "$tmp/out" && grep -q '^kommune,kommune,0301,1,' "$tmp/out"; echo $?) "2019 0101 and 2021 3001 both map to 2024 3101; '301' is padded to 0301"

"$R" describe "$tmp/d2.csv" -c "$tmp/cb.csv" --vintage 2024 --refdata /nonexistent > "$tmp/out" 2>&1
ok $([ $? -eq 1 ] && grep -q "reference data" "$tmp/out"; echo $?) "--vintage without reference data says what is missing"

echo "1..$n"
[ "$failed" -eq 0 ]
