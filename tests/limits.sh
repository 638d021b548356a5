#!/bin/sh
# limits.sh — the resource limits of issue 10 (datasets/limits.h): a huge
# input stops with a clear message, exit 1 and no output, instead of taking
# the machine down.
#
# Nothing large is made here (make check stays fast): a small --max-memory
# makes the sample file "too big", and a generated file with 12,000
# distinct ids stands in for a 10-million-level column (bench/limits.sh
# runs the real sizes: a 2 GB file and 10,000,000 levels).
#
# Expected values: exit statuses, messages, absent output files.  The
# memory needs in the messages are hand calculations from the loader's
# accounting: a row of the family sample (27 columns, all numbers or
# pointers: 8 bytes + 1 missing byte each, + 4 bytes of line number) is
# 27 × 9 + 4 = 247 bytes; family.csv has 3,636 rows, estimated from its
# size as about 3,712, so about 3,712 × 247 = 916,864 bytes ≈ 895.4 KiB.
# TAP output.
set -u
: "${REFORMSTAT:?REFORMSTAT must name the reformstat program}"
R=$REFORMSTAT
S=$(cd "${top_srcdir:-.}/datasets/sample" && pwd) || { echo "1..0 # SKIP datasets/sample not found"; exit 0; }
F=$S/family.csv; CB=$S/family-codebook.csv
T=$(mktemp -d "${TMPDIR:-/tmp}/rs-limits.XXXXXX") || exit 99
trap 'rm -rf "$T"' EXIT
trap 'exit 1' INT TERM
unset REFORMSTAT_MAX_MEMORY REFORMSTAT_MAX_LEVELS
export LC_ALL=C
n=0; failed=0
ok() {  # ok STATUS NAME; diagnostics from $T/why
  n=$((n + 1))
  if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else
    echo "not ok $n - $2"; failed=$((failed + 1)); sed 's/^/#   /' "$T/why" | head -n 12
  fi
  : > "$T/why"
}
: > "$T/why"
# run ARGS…: rc in $rc, stderr in $T/err, stdout in $T/out
run() { "$R" "$@" > "$T/out" 2> "$T/err"; rc=$?; cat "$T/err" >> "$T/why"; }
# refused MSG…: exit 1, every MSG on stderr, no output file $T/o.txt
refused() {
  [ "$rc" -eq 1 ] || { echo "exit $rc, expected 1" >> "$T/why"; return 1; }
  for m in "$@"; do grep -q -F -e "$m" "$T/err" || { echo "stderr lacks: $m" >> "$T/why"; return 1; }; done
  [ ! -e "$T/o.txt" ] || { echo "an output file was written" >> "$T/why"; return 1; }
  [ -z "$(find "$T" -name '.*tmp-*')" ] || { echo "a temporary file was left" >> "$T/why"; return 1; }
  return 0
}

# ---- --max-memory --------------------------------------------------------
run describe "$F" -c "$CB" --max-memory 100K -o "$T/o.txt"
refused "family.csv: about 3712 rows × 27 columns" "needs about 895.4 KiB of memory" \
  "more than the limit of 100.0 KiB (--max-memory SIZE raises it" "describe --vars A,B"
ok $? "--max-memory: the whole family file does not fit in 100 KiB: refused before reading, with the sizes"

run --max-memory=100K describe "$F" -c "$CB" -o "$T/o.txt"
refused "more than the limit of 100.0 KiB"
ok $? "--max-memory=SIZE before the command works the same"

REFORMSTAT_MAX_MEMORY=100K "$R" describe "$F" -c "$CB" -o "$T/o.txt" > /dev/null 2> "$T/err"; rc=$?
refused "more than the limit of 100.0 KiB"
ok $? "\$REFORMSTAT_MAX_MEMORY sets the limit too"

run validate "$F" -c "$CB" --max-memory 100K -o "$T/o.txt"
refused "--max-memory"
ok $? "validate stops at the limit too (a limit is not a problem of one cell)"

# one column of 3,712 rows: 3,712 × (9 + 4) ≈ 47 KiB, within 200 KiB
run describe "$F" -c "$CB" --vars child_age --max-memory 200K -o "$T/o.txt"
[ "$rc" -eq 0 ] && grep -q child_age "$T/o.txt"
ok $? "describe --vars reads only the columns named: one column fits where all 27 do not"
rm -f "$T/o.txt"

run describe "$F" -c "$CB" --vars child_age --max-memory 200K --max-memory 20K -o "$T/o.txt"
refused "more than the limit of 20.0 KiB"
ok $? "the last --max-memory given counts"
rm -f "$T/o.txt"

for bad in abc 0 -5 12X; do
  run describe "$F" --max-memory "$bad" -o "$T/o.txt"
  refused "is not a size" || break
done
ok $? "--max-memory abc, 0, -5, 12X: usage errors"

run describe "$F" --max-memory
refused "--max-memory needs a value"
ok $? "--max-memory without a value: usage error"

run describe "$F" -c "$CB" --vars child_age --max-memory 1.5G -o "$T/o.txt"
[ "$rc" -eq 0 ]
ok $? "--max-memory 1.5G is a size"
rm -f "$T/o.txt"

# ---- --max-levels ------------------------------------------------------------
# 12,000 rows, each its own id; y alternates.  The id column's values may
# only label an output with --keep-ids (privacy.h), given here so that the
# level limit is what stops the command.
awk 'BEGIN { print "id,g,y"; for (i = 1; i <= 12000; i++) printf "P%06d,%d,%d\n", i, i % 2, i % 7 }' > "$T/ids.csv"

run regress "$T/ids.csv" --keep-ids --formula 'y ~ factor(id)' -o "$T/o.txt"
refused "factor(id) in the formula y ~ factor(id) has more than 10000 distinct values" "--max-levels N raises it"
ok $? "regress factor() of 12,000 ids: refused at the default of 10,000 levels"

run regress "$T/ids.csv" --keep-ids --formula 'y ~ factor(id)' --max-levels 20000 --max-memory 64M -o "$T/o.txt"
refused "the design matrix of y ~ factor(id) (12000 rows × 12000 columns)" "--max-memory"
ok $? "--max-levels 20000 lets the factor through; its 12000 × 12000 design matrix (2.1 GiB) is then over 64 MiB"

run compare "$T/ids.csv" --keep-ids -y y -b id -o "$T/o.txt"
refused "--by 'id' has more than 10000 distinct values"
ok $? "compare --by a 12,000-level column: refused at the default"

run compare "$T/ids.csv" --keep-ids -y id -b g --test chisq --max-levels 100 -o "$T/o.txt"
refused "the outcome 'id' has more than 100 distinct values"
ok $? "compare: an outcome over --max-levels is refused (chi-square table)"

REFORMSTAT_MAX_LEVELS=5 "$R" regress "$F" -c "$CB" --formula 'child_age ~ factor(kommune)' --no-absorb -o "$T/o.txt" \
  > /dev/null 2> "$T/err"; rc=$?
refused "has more than 5 distinct values"
ok $? "\$REFORMSTAT_MAX_LEVELS sets the level limit"

run regress "$F" -c "$CB" --formula 'collab_1 ~ factor(coordinator_type)' --max-levels 3 -o "$T/o.txt"
[ "$rc" -eq 0 ] && grep -q coordinator_type "$T/o.txt"
ok $? "a factor with 3 levels passes --max-levels 3"
rm -f "$T/o.txt"

for bad in 0 x -1; do
  run describe "$F" --max-levels "$bad"
  refused "--max-levels takes a whole number" || break
done
ok $? "--max-levels 0, x, -1: usage errors"

run --help
[ "$rc" -eq 0 ] && grep -q -e "--max-memory SIZE" "$T/out" && grep -q -e "--max-levels N" "$T/out"
ok $? "reformstat --help documents --max-memory and --max-levels"

echo "1..$n"
[ "$failed" -eq 0 ]
