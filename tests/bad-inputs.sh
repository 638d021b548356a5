#!/bin/sh
# bad-inputs.sh — the catalogue of malformed inputs in tests/data/bad.
#
# Each case is tests/data/bad/NAME.expect, lines of KEY=VALUE ('#' starts a
# comment line):
#   command=validate|describe   the subcommand to run
#   args=…                      extra arguments, split at spaces (no quoting)
#   data=FILE                   data file, relative to tests/data/bad
#                               (default NAME.csv; omitted when the case has none)
#   generate=bigfield BYTES     write {tmp}/big-field.csv with one field of BYTES
#                               bytes at test time (nothing that large is committed)
#   exit=N                      expected exit status
#   message=TEXT                a substring that must appear in stdout+stderr
#                               (or the -o file); one line per substring
#   count=PREFIX N              exactly N output lines begin with PREFIX
#   output=report               with -o the command still writes its report
#                               (validate listing problems); default: no file
# {tmp} in data/args is a fresh directory for the case.  Commands run in
# tests/data/bad, so messages name files as the user typed them.
#
# Unless args already has -o, every case runs a second time with
# -o DIR/result.txt: the exit status must be the same, and DIR must then be
# empty (or, with output=report, hold result.txt with the messages) — no
# half-written output and no .result.txt.tmp-* file.  Any sanitizer report
# fails a case.  TAP output for automake's tap-driver.sh.

: "${REFORMSTAT:?REFORMSTAT must name the reformstat program}"
: "${top_srcdir:=.}"
BAD=$(cd "$top_srcdir/tests/data/bad" && pwd) || { echo "1..0 # SKIP tests/data/bad not found"; exit 0; }
TMP=$(mktemp -d "${TMPDIR:-/tmp}/rs-bad.XXXXXX") || exit 99
trap 'rm -rf "$TMP"' EXIT INT TERM
cases=$(cd "$BAD" && ls *.expect)
set -f   # args are split at spaces but never globbed

n=0
failed=0
report() {  # report OK|NOTOK NAME; diagnostics come from $TMP/why
  n=$((n + 1))
  if [ "$1" = OK ]; then
    echo "ok $n - $2"
  else
    failed=$((failed + 1))
    echo "not ok $n - $2"
    sed 's/^/# /' "$TMP/why"
  fi
  : > "$TMP/why"
}
why() { printf '%s\n' "$*" >> "$TMP/why"; }

# key NAME FILE: the first value of KEY in an .expect file
key() { sed -n "s/^$1=//p" "$2" | head -n 1; }

# check_messages EXPECT FILE…: every message= substring is in the files
check_messages() {
  exp=$1; shift
  okm=0
  while IFS= read -r line; do
    case $line in message=*) ;; *) continue ;; esac
    msg=${line#message=}
    if ! cat "$@" 2>/dev/null | grep -F -q -e "$msg"; then
      why "missing message: $msg"
      okm=1
    fi
  done < "$exp"
  return $okm
}

sanitizer_clean() {
  if cat "$@" 2>/dev/null | grep -E -q 'Sanitizer|runtime error:'; then
    why "sanitizer report:"
    cat "$@" | grep -E -A5 'Sanitizer|runtime error:' | head -n 20 >> "$TMP/why"
    return 1
  fi
  return 0
}

: > "$TMP/why"
for c in $cases; do
  exp="$BAD/$c"
  name=${c%.expect}
  ctmp="$TMP/case-$name"
  mkdir -p "$ctmp"
  command=$(key command "$exp")
  args=$(key args "$exp" | sed "s|{tmp}|$ctmp|g")
  want=$(key exit "$exp")
  output=$(key output "$exp")
  data=$(key data "$exp" | sed "s|{tmp}|$ctmp|g")
  if [ -z "$data" ] && [ -f "$BAD/$name.csv" ]; then data="$name.csv"; fi
  gen=$(key generate "$exp")
  case $gen in
    "bigfield "*)
      bytes=${gen#bigfield }
      { printf 'id;tekst\n1;'; head -c "$bytes" /dev/zero | tr '\0' 'a'; printf '\n2;kort\n'; } > "$ctmp/big-field.csv" ;;
    "") ;;
    *) why "unknown generate=$gen" ;;
  esac

  # ---- the run as the user would type it ----
  ( cd "$BAD" && exec "$REFORMSTAT" $command $args ${data:+"$data"} ) > "$TMP/out" 2> "$TMP/err"
  rc=$?
  okc=OK
  if [ "$rc" != "$want" ]; then why "exit status $rc, expected $want"; okc=NOTOK; fi
  check_messages "$exp" "$TMP/out" "$TMP/err" || okc=NOTOK
  cnt=$(key count "$exp")
  if [ -n "$cnt" ]; then
    prefix=${cnt% *}
    num=${cnt##* }
    got=$(cat "$TMP/out" "$TMP/err" | awk -v p="$prefix" 'index($0, p) == 1 {c++} END {print c + 0}')
    if [ "$got" != "$num" ]; then why "$got lines begin with '$prefix', expected $num"; okc=NOTOK; fi
  fi
  sanitizer_clean "$TMP/out" "$TMP/err" || okc=NOTOK
  leftovers=$(find "$BAD" "$TMP" -name '.*.tmp-*' 2>/dev/null)
  if [ -n "$leftovers" ]; then why "temporary files left: $leftovers"; okc=NOTOK; fi
  if [ "$okc" != OK ]; then
    why "command: (cd tests/data/bad && reformstat $command $args $data)"
    sed 's/^/stdout: /' "$TMP/out" | head -n 20 >> "$TMP/why"
    sed 's/^/stderr: /' "$TMP/err" | head -n 20 >> "$TMP/why"
  fi
  report $okc "$name: $command exits $want with the expected message"

  # ---- the same with an output file: nothing (or only the report) is left ----
  case " $args " in *" -o "*) continue ;; esac
  outdir="$TMP/out-$name"
  rm -rf "$outdir"
  mkdir -p "$outdir"
  ( cd "$BAD" && exec "$REFORMSTAT" $command $args -o "$outdir/result.txt" ${data:+"$data"} ) > "$TMP/out" 2> "$TMP/err"
  rc=$?
  okc=OK
  if [ "$rc" != "$want" ]; then why "with -o: exit status $rc, expected $want"; okc=NOTOK; fi
  left=$(ls -A "$outdir")
  if [ "$output" = report ]; then
    if [ "$left" != "result.txt" ]; then why "with -o: expected only result.txt in the output directory, found: $left"; okc=NOTOK; fi
    check_messages "$exp" "$outdir/result.txt" "$TMP/err" || okc=NOTOK
  else
    if [ -n "$left" ]; then why "with -o: files left in the output directory: $left"; okc=NOTOK; fi
    check_messages "$exp" "$TMP/out" "$TMP/err" || okc=NOTOK
  fi
  sanitizer_clean "$TMP/out" "$TMP/err" || okc=NOTOK
  if [ "$okc" != OK ]; then
    why "command: (cd tests/data/bad && reformstat $command $args -o OUT $data)"
    sed 's/^/stderr: /' "$TMP/err" | head -n 20 >> "$TMP/why"
  fi
  if [ "$output" = report ]; then
    report $okc "$name: with -o the report is written whole and no temporary file is left"
  else
    report $okc "$name: with -o nothing is written and no temporary file is left"
  fi
  rm -rf "$outdir"
done

echo "1..$n"
[ "$failed" -eq 0 ]
