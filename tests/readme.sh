#!/bin/sh
# readme.sh — every `./reformstat …` example in README.md runs and exits as
# it should (0, or 1 for the examples on files under tests/data/bad/).
# Lines of a ```sh block that set variables are kept for the commands after
# them in the same block.  A README whose examples fail is a bug like any other.
set -u
R="${REFORMSTAT:-./reformstat}"
SRC="${top_srcdir:-.}"
REFDATA="${REFDATA_SRC:-}"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
# one line per command (continuations joined); blocks separated by "@@block"
awk '/^```sh/ { on = 1; print "@@block"; next } /^```/ { on = 0 } on' "$SRC/README.md" |
  awk '{ if (sub(/\\$/, "")) { buf = buf $0 } else { print buf $0; buf = "" } }' > "$tmp/lines"
have_readstat=yes
if "$R" describe "$SRC/tests/data/readstat/survey.sav" 2>&1 | grep -q "built with ReadStat"; then have_readstat=no; fi
n=0; failed=0; pre=":"
while IFS= read -r line; do
  case "$line" in
    @@block) pre=":"; continue ;;
    ./bootstrap.sh*|"#"*|"") continue ;;
    *./reformstat\ *) ;;
    *) pre="$pre; $line"; continue ;;
  esac
  n=$((n + 1))
  cmd=$(printf '%s' "$line" | sed "s|\./reformstat|\"\$R\"|")
  case "$line" in
    REFORMSTAT_REFDATA=*)
      if [ -z "$REFDATA" ] || [ ! -d "$REFDATA" ]; then echo "ok $n # SKIP no reference data: $line"; continue; fi
      cmd=$(printf '%s' "$cmd" | sed "s|^REFORMSTAT_REFDATA=[^ ]*|REFORMSTAT_REFDATA=\"\$REFDATA\"|") ;;
  esac
  case "$line" in *.sav*|*.dta*|*.por*)
    if [ "$have_readstat" = no ]; then echo "ok $n # SKIP built without ReadStat: $line"; continue; fi ;;
  esac
  expect=0
  case "$line" in *tests/data/bad/*) expect=1 ;; esac
  ( cd "$SRC" && eval "$pre; $cmd" ) > "$tmp/out" 2>&1
  rc=$?
  if [ "$rc" -eq "$expect" ]; then echo "ok $n - README example exits $expect: $line"
  else echo "not ok $n - README example exited $rc, expected $expect: $line"; sed 's/^/# /' "$tmp/out" | head -20; failed=$((failed + 1)); fi
done < "$tmp/lines"
echo "1..$n"
[ "$failed" -eq 0 ]
