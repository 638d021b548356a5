#!/bin/sh
# report.sh — `reformstat report`: the county report of the bundled sample.
#
# Checks: the files of one fylke and of --all-fylker (15 fylker); figures in
# the published CSVs against an independent awk computation over the sample
# CSVs (R calls beside each); primary suppression of small kommuner; no
# respondent ids or free text in any CSV/JSON the report writes; the PDF
# (page count, headings, kommune names with æøå, figures in pdftotext's
# output) when poppler-utils are installed; bad input (unknown fylke, a plan
# without the data the report needs, an unwritable or file -o, a fylke
# without respondents): message, exit 1, no partial file.
# The disclosure proofs for every table are in tests/test-county.c.
# TAP for tap-driver.sh.

: "${REFORMSTAT:?REFORMSTAT must name the reformstat program}"
: "${top_srcdir:=.}"
SAMPLE=$(cd "$top_srcdir/datasets/sample" && pwd) || { echo "1..0 # SKIP datasets/sample not found"; exit 0; }
TMP=$(mktemp -d "${TMPDIR:-/tmp}/rs-report.XXXXXX") || exit 99
trap 'chmod -R u+w "$TMP" 2>/dev/null; rm -rf "$TMP"' EXIT
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

# cell FILE LABEL COLUMN: the published text of a CSV cell (either dialect:
# ',' with a decimal point, or ';' with a decimal comma), decimal point out.
cell() {
  awk -v lab="$2" -v col="$3" '
    NR == 1 { sub(/^\xef\xbb\xbf/, ""); fs = index($0, ";") ? ";" : ","; }
    { sub(/\r$/, ""); n = split($0, f, fs) }
    NR == 1 { for (i = 1; i <= n; i++) if (f[i] == col) c = i; next }
    { for (i = 1; i <= n; i++) { g = f[i]; gsub(/^"|"$/, "", g); if (g == lab) { v = f[c]; if (fs == ";") gsub(",", ".", v); print v; exit } } }
  ' "$1"
}
# same NUM EXPECTED DECIMALS: NUM equals EXPECTED rounded to DECIMALS
same() { awk -v a="$1" -v b="$2" -v d="$3" 'BEGIN { e = sprintf("%." d "f", b); if (a != e) { print "got " a ", expected " e " (" b ")"; exit 1 } }'; }

OUT=$TMP/out46
run report --plan "$SAMPLE/plan.ini" --fylke 46 -o "$OUT" -q
check "report --fylke 46 exits 0" 'rc_is 0'
check "the tables are written beside the report" 'for t in nokkeltall indekser kommuner-register kommuner-familier kommuner-koordinatorer saker-klager-kommune saker-klager-utfall saker-tilsyn; do test -s "$OUT/46-vestland-$t.csv" || { echo "no $t"; exit 1; }; done'
check "no temporary directory is left" 'test -z "$(ls -A "$OUT" | grep "^\.")"'
check "kommune names with æøå in the kommune table" 'grep -q "Bømlo" "$OUT/46-vestland-kommuner-register.csv" && grep -q "Årdal" "$OUT/46-vestland-kommuner-register.csv"'

# --- figures against awk over the sample (provisional '*' values count, as in the library) ---
# Window: the 12 months up to the latest with data, 2024-10 … 2025-09 (2025-10 on is '...');
# SSB's '-' is zero, ':' (suppressed in the registry) leaves the kommune-month out of both sums.
# R: d <- read.csv("registry.csv", colClasses = "character"); w <- d$period >= "2024-10-01" & d$period <= "2025-09-01"
#    x <- sub("\\*$", "", d$children_koordinator); x[x == "-"] <- "0"; num <- suppressWarnings(as.numeric(x)); den <- as.numeric(d$children_0_17)
#    ok <- w & !is.na(num) & !is.na(den); 1000 * sum(num[ok]) / sum(den[ok])          # national
#    ok4601 <- ok & d$kommune == "4601"; 1000 * sum(num[ok4601]) / sum(den[ok4601])  # Bergen 5.36273
cov() {
  awk -F, -v k="$1" -v col="$2" 'NR > 1 && $1 >= "2024-10-01" && $1 <= "2025-09-01" && (k == "" || $3 == k || substr($3, 1, 2) == k) {
      x = $col; sub(/\*$/, "", x); if (x == "-") x = 0; if (x ~ /^[0-9]+$/ && $6 ~ /^[0-9]+$/) { n += x; d += $6 } }
    END { printf "%.6f\n", 1000 * n / d }' "$SAMPLE/registry.csv"
}
check "national children with koordinator per 1 000 = awk" 'same "$(cell "$OUT/46-vestland-nokkeltall.csv" "Barn med koordinator per 1 000 barn 0–17 år" landet)" "$(cov "" 9)" 1'
check "Vestland children with koordinator per 1 000 = awk" 'same "$(cell "$OUT/46-vestland-nokkeltall.csv" "Barn med koordinator per 1 000 barn 0–17 år" fylke)" "$(cov 46 9)" 1'
check "Bergen children with koordinator per 1 000 = awk (5.36273)" 'same "$(cell "$OUT/46-vestland-kommuner-register.csv" Bergen koordinator_per_1000)" "$(cov 4601 9)" 1'
check "Bergen families with barnekoordinator per 1 000 = awk" 'same "$(cell "$OUT/46-vestland-kommuner-register.csv" Bergen barnekoordinator_per_1000)" "$(cov 4601 10)" 1'
# R: f <- read.csv("family.csv"); b <- subset(f, kommune == 4601 & post == 1); nrow(b)   # 67
check "Bergen answers after the reform = awk (67)" 'test "$(cell "$OUT/46-vestland-kommuner-familier.csv" Bergen svar)" = "$(awk -F, "NR > 1 && \$6 == \"4601\" && \$4 == 1" "$SAMPLE/family.csv" | wc -l | tr -d " ")"'
# R: it <- b[, c("collab_1", "collab_2", "collab_3")]; it[it == 8] <- NA; it$collab_3 <- 6 - it$collab_3
#    m <- rowMeans(it, na.rm = TRUE); m[rowSums(!is.na(it)) < 2] <- NA; mean(m, na.rm = TRUE)   # 3.0050
idx=$(awk -F, 'NR > 1 && $6 == "4601" && $4 == 1 { s = 0; k = 0; for (i = 14; i <= 16; i++) { x = $i; if (x != "" && x != 8) { if (i == 16) x = 6 - x; s += x; k++ } } if (k >= 2) { t += s / k; m++ } } END { printf "%.6f", t / m }' "$SAMPLE/family.csv")
check "Bergen collaboration index after the reform = awk ($idx)" 'same "$(cell "$OUT/46-vestland-kommuner-familier.csv" Bergen indeks)" "$idx" 2'
# R: v <- subset(f, substr(sprintf("%04d", kommune), 1, 2) == "46" & post == 1 & !is.na(coordinator_type)); 100 * mean(v$coordinator_type == 2)   # 26.54
share=$(awk -F, 'NR > 1 && substr($6, 1, 2) == "46" && $4 == 1 && $8 != "" { n++; h += ($8 == 2) } END { printf "%.6f", 100 * h / n }' "$SAMPLE/family.csv")
check "Vestland share with barnekoordinator after the reform = awk ($share)" 'same "$(cell "$OUT/46-vestland-nokkeltall.csv" "Andel familier med barnekoordinator etter reformen (%)" fylke)" "$share" 1'
# R: k <- read.csv("coordinators.csv", colClasses = c(kommune = "character")); v <- subset(k, substr(kommune, 1, 2) == "46" & response_date >= "2022-08-01")
#    sum(v$families) / nrow(v)   # 3.8333 (svyratio(~families, ~one, svydesign(ids = ~1, data = v)))
fpc=$(awk -F, 'NR > 1 && substr($4, 1, 2) == "46" && $3 >= "2022-08-01" && $8 != "" && $9 != "" && $10 != "" { n++; f += $10 } END { printf "%.6f", f / n }' "$SAMPLE/coordinators.csv")
check "Vestland families per coordinator = awk ($fpc)" 'same "$(cell "$OUT/46-vestland-nokkeltall.csv" "Familier per koordinator" fylke)" "$fpc" 1'

# Statsforvalteren's cases (cases.csv: case_type 1 = klage, date_decided set = decided, outcome 1 = upheld)
# R: k <- read.csv("cases.csv", colClasses = "character"); v <- subset(k, fylke == "46" & case_type == "1" & date_decided != "")
#    nrow(v); mean(v$outcome == "1") * 100; median(as.numeric(v$processing_days))   # 40, 40, 27.5
cases46() { awk -F, 'NR > 1 && $3 == "46" && $2 == 1 && $7 != "" { n++; u += ($9 == 1); print $8 > "/dev/stderr" } END { print n, 100 * u / n }' "$SAMPLE/cases.csv" 2> "$TMP/days46"; }
check "Vestland complaints decided = awk ($(cases46 | cut -d" " -f1))" 'test "$(cell "$OUT/46-vestland-saker-klager-utfall.csv" "Alle klager" avgjort)" = "$(cases46 | cut -d" " -f1)"'
check "Vestland share of complaints upheld = awk" 'same "$(cell "$OUT/46-vestland-saker-klager-utfall.csv" "Alle klager" medhold_pst)" "$(cases46 | cut -d" " -f2)" 1'
check "Vestland median processing days = awk" 'cases46 > /dev/null; same "$(cell "$OUT/46-vestland-saker-klager-utfall.csv" "Alle klager" dager_median)" "$(sort -n "$TMP/days46" | awk "{ a[NR] = \$1 } END { print (NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2) }")" 1'

# --- primary suppression: a kommune with 1–4 answers is ':' in every column of its row ---
small=$(awk -F, 'NR > 1 && substr($6, 1, 2) == "46" && $4 == 1 { c[$6]++ } END { for (k in c) if (c[k] < 5) print k }' "$SAMPLE/family.csv" | sort | head -1)
check "kommune $small (fewer than 5 answers) is suppressed, counts and means alike" 'awk -F"[,;]" -v k="$small" "{ sub(/\r\$/, \"\") } \$1 == k { for (i = 3; i <= NF; i++) if (\$i != \":\") exit 1; f = 1 } END { exit !f }" "$OUT/46-vestland-kommuner-familier.csv"'
check "a kommune without answers shows '-' (zero), not ':'" 'grep -Eq "^4612[,;]Sveio[,;]-" "$OUT/46-vestland-kommuner-familier.csv"'

# --- issue 10 item 6: no respondent ids and no free text in what the report writes ---
# every value of every id column (codebook type id) of the four datasets, as fixed strings
for d in family coordinators cases; do
  awk -F, 'NR == FNR { if ($4 == "id") want[$1] = 1; next } FNR == 1 { for (i = 1; i <= NF; i++) if ($i in want) c[i] = 1; next } { for (i in c) if ($i != "") print $i }' \
    "$SAMPLE/$d-codebook.csv" "$SAMPLE/$d.csv"
done | sort -u > "$TMP/ids"
check "the id list has the respondents, coordinators and cases ($(wc -l < "$TMP/ids") ids)" 'test "$(wc -l < "$TMP/ids")" -gt 4000'
check "no respondent, panel, coordinator or case id in any CSV/JSON written" '! grep -rFwl -f "$TMP/ids" "$OUT" --include="*.csv" --include="*.json"'
check "every CSV field is a code, a label of the table, a number or a symbol" 'for f in "$OUT"/*.csv; do awk -F"[,;]" "NR > 1 { for (i = 3; i <= NF; i++) { g = \$i; gsub(/\r/, \"\", g); if (g !~ /^(-?[0-9]+([.,][0-9]+)?|:|-|\\.)$/) { print FILENAME \": \" g; exit 1 } } }" "$f" || exit 1; done'

# --- all fylker ---
ALL=$TMP/all
run report --plan "$SAMPLE/plan.ini" --all-fylker -o "$ALL" -q
check "report --all-fylker exits 0" 'rc_is 0'
check "one set of tables for each of the 15 fylker" 'test "$(ls "$ALL" | grep -c -- "-nokkeltall.csv$")" = 15 && test "$(ls "$ALL" | grep -c -- "-saker-tilsyn.csv$")" = 15'
check "one PDF for each of the 15 fylker" 'test "$(ls "$ALL" | grep -c "\.pdf$")" = 15'
check "files are named by fylke number and ASCII name" 'test -s "$ALL/15-more-og-romsdal-nokkeltall.csv" && test -s "$ALL/50-trondelag-kommuner-register.csv"'

# --- Excel ---
run report --plan "$SAMPLE/plan.ini" --fylke 46 --xlsx -o "$TMP/xlsx" -q
check "--xlsx writes the workbook beside the PDF and CSVs" 'rc_is 0 && test -s "$TMP/xlsx/46-vestland.xlsx" && test -s "$TMP/xlsx/46-vestland-nokkeltall.csv"'
if command -v unzip > /dev/null; then
  check "the workbook has a sheet per table and the symbols sheet" 'test "$(unzip -l "$TMP/xlsx/46-vestland.xlsx" | grep -c "xl/worksheets/sheet[0-9]*.xml")" -ge 6'
  check "the workbook holds no respondent id" '! unzip -p "$TMP/xlsx/46-vestland.xlsx" | grep -aFwq -f "$TMP/ids"'
fi

# --- English ---
run report --plan "$SAMPLE/plan.ini" --fylke 03 --lang en -o "$TMP/en" -q
check "--lang en labels the rows in English" 'rc_is 0 && grep -q "Families per coordinator" "$TMP/en/03-oslo-nokkeltall.csv"'

# --- bad input ---
run report --plan "$SAMPLE/plan.ini" --fylke 99 -o "$TMP/bad99"
check "unknown fylke: exit 1, the message lists the fylker, no directory" 'rc_is 1 && err_has "--fylke 99: no such fylke" && err_has "46 Vestland" && test ! -e "$TMP/bad99"'
run report --plan "$SAMPLE/plan.ini" --fylke xx -o "$TMP/badxx"
check "a fylke that is not a number: exit 1" 'rc_is 1 && err_has "is not a fylke number"'
run report --plan "$SAMPLE/plan.ini" -o "$TMP/none"
check "neither --fylke nor --all-fylker: exit 1" 'rc_is 1 && err_has "give either --fylke NN or --all-fylker"'
PLAN2=$TMP/nocases.ini
{ sed -n '/^\[plan\]/,/^\[data.cases\]/p' "$SAMPLE/plan.ini" | sed '$d'; } | sed "s|^path=|path=$SAMPLE/|; s|^codebook=|codebook=$SAMPLE/|" > "$PLAN2"
run report --plan "$PLAN2" --fylke 46 -o "$TMP/nocases"
check "a plan without [data.cases]: exit 1, says which data are missing" 'rc_is 1 && err_has "no [data.cases] group" && err_has "Statsforvalteren" && test ! -e "$TMP/nocases"'
: > "$TMP/afile"
run report --plan "$SAMPLE/plan.ini" --fylke 46 -o "$TMP/afile"
check "-o naming a file: exit 1" 'rc_is 1 && err_has "is not a directory"'
mkdir "$TMP/ro" && chmod a-w "$TMP/ro"
if [ "$(id -u)" = 0 ]; then
  n=$((n + 1)); echo "ok $n # SKIP root can write to a read-only directory"
else
  run report --plan "$SAMPLE/plan.ini" --fylke 46 -o "$TMP/ro"
  check "unwritable -o: exit 1, nothing written" 'rc_is 1 && err_has "cannot write" && test -z "$(ls -A "$TMP/ro")"'
fi
run report --plan "$SAMPLE/plan.ini" --fylke 46 -o "$TMP/afile/sub"
check "-o under a file: exit 1, cannot create" 'rc_is 1 && err_has "cannot create the directory"'
run report --plan "$SAMPLE/plan.ini" --fylke 46 -o "$TMP/ro/sub"
check "-o under an unwritable directory: exit 1" 'if [ "$(id -u)" = 0 ]; then true; else rc_is 1 && err_has "cannot create"; fi'
chmod u+w "$TMP/ro"

# --- an interrupt during --all-fylker: no file, or all of them; never a temporary left ---
"$R" report --plan "$SAMPLE/plan.ini" --all-fylker -o "$TMP/int" -q 2> "$TMP/int.err" &
pid=$!
sleep 1
kill -TERM "$pid" 2> /dev/null
{ wait "$pid"; } 2> /dev/null
rc=$?
check "SIGTERM during --all-fylker: nothing or everything, no temporary directory (exit $rc)" 'files=$(ls "$TMP/int" 2>/dev/null | wc -l); test -z "$(ls -A "$TMP/int" 2>/dev/null | grep "^\.")" && { test "$files" = 0 || test "$rc" = 0; }'

# --- a fylke without respondents: the report says so instead of failing ---
NR=$TMP/norespondents
mkdir "$NR"
awk -F, 'NR == 1 || substr($6, 1, 2) != "56"' "$SAMPLE/family.csv" > "$NR/family.csv"
for f in coordinators registry cases; do cp "$SAMPLE/$f.csv" "$NR/"; done
cp "$SAMPLE"/*-codebook.csv "$NR/"
sed -n '/^\[plan\]/,/^# ---- describe/p' "$SAMPLE/plan.ini" > "$NR/plan.ini"
run report --plan "$NR/plan.ini" --fylke 56 -o "$NR/out" -q
check "Finnmark without family answers: exit 0" 'rc_is 0'
check "... its kommune table shows '-' answers for every kommune" 'awk -F"[,;]" "NR > 1 && \$1 ~ /^56/ && length(\$1) == 4 && \$3 != \"-\" { exit 1 }" "$NR/out/56-finnmark-kommuner-familier.csv"'

# --- the PDF (when poppler-utils are installed) ---
if command -v pdfinfo > /dev/null && command -v pdftotext > /dev/null && [ -e "$OUT/46-vestland.pdf" ]; then
  pages=$(pdfinfo "$OUT/46-vestland.pdf" | awk '/^Pages:/ { print $2 }')
  check "the Vestland PDF has between 10 and 40 pages ($pages)" 'test "$pages" -ge 10 && test "$pages" -le 40'
  check "the PDF is A4" 'pdfinfo "$OUT/46-vestland.pdf" | grep -q "595.* x 841.*pts\|595.* x 842.*pts"'
  check "fonts are embedded" '! pdffonts "$OUT/46-vestland.pdf" | awk "NR > 2 && \$(NF-4) == \"no\"" | grep -q .'
  pdftotext -layout "$OUT/46-vestland.pdf" "$TMP/46.txt"
  for h in "Innhold" "Nøkkeltall" "Kommunene" "Statsforvalterens saker" "Figurer" "Metode og forbehold" "Vestland – koordineringsreformen" "Bømlo" "Årdal" "SHA-256" "Alle klager" "Tabell 8" "Figur 6" "(forts.)" "Side 3 av"; do
    check "pdftotext finds '$h'" 'grep -qF "$h" "$TMP/46.txt"'
  done
  bergen=$(cell "$OUT/46-vestland-kommuner-register.csv" Bergen koordinator_per_1000 | tr . ,)
  check "the PDF prints Bergen's rate ($bergen) as in the CSV" 'grep "Bergen" "$TMP/46.txt" | grep -qF "$bergen"'
  check "the PDF never prints a suppressed kommune's value (row of ':' for $small)" 'grep -E "^ *$small " "$TMP/46.txt" | head -1 | grep -q ":"'
else
  n=$((n + 1)); echo "ok $n # SKIP no PDF yet or no poppler-utils (pdfinfo, pdftotext)"
fi

echo "1..$n"
test "$failed" = 0
