#!/usr/bin/env bash
# tests/fuzz/smoke.sh — the fuzz smoke run of CI (.ci/run).
#
#   tests/fuzz/smoke.sh [SECONDS] [BUILD_DIR]
#
# Builds the libFuzzer targets (tests/fuzz/build.sh, default BUILD_DIR
# build-fuzz), then for each target replays its committed corpus
# tests/fuzz/corpus/TARGET (every input once: a fixed bug that comes back
# fails here) and fuzzes SECONDS more (default 60) from it, two targets at a
# time.  New inputs go to a temporary directory, never into the source tree.
# Exit 1 when any target crashes, leaks, hangs or trips UBSan; the input
# and the report are printed.
set -uo pipefail
src=$(cd "$(dirname "$0")/../.." && pwd)
secs=${1:-60}
out=${2:-$src/build-fuzz}
mkdir -p "$out"
"$src/tests/fuzz/build.sh" "$out" > "$out/build.log" 2>&1 || { cat "$out/build.log"; echo "fuzz smoke: build failed"; exit 1; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/rs-fuzz-smoke.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
targets=()
for f in "$out"/fuzz-*; do [ -x "$f" ] && targets+=("${f##*/fuzz-}"); done
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"

one() {  # one TARGET: replay, then fuzz; status in $tmp/TARGET.rc
  local t=$1 corpus="$src/tests/fuzz/corpus/$1" dict=()
  [ -f "$src/tests/fuzz/$t.dict" ] && dict=(-dict="$src/tests/fuzz/$t.dict")
  mkdir -p "$tmp/$t.new" "$tmp/$t.art"
  local rc=0
  "$out/fuzz-$t" -runs=0 -timeout=10 -rss_limit_mb=2048 -artifact_prefix="$tmp/$t.art/" "$corpus" \
    > "$tmp/$t.replay" 2>&1 || rc=1
  if [ $rc = 0 ]; then
    "$out/fuzz-$t" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
      -artifact_prefix="$tmp/$t.art/" "${dict[@]}" "$tmp/$t.new" "$corpus" > "$tmp/$t.fuzz" 2>&1 || rc=1
  fi
  echo $rc > "$tmp/$t.rc"
}

i=0
for t in "${targets[@]}"; do
  one "$t" &
  i=$((i + 1))
  if [ $((i % 2)) = 0 ]; then wait; fi
done
wait

failed=0
for t in "${targets[@]}"; do
  n=$(ls "$src/tests/fuzz/corpus/$t" 2>/dev/null | wc -l)
  last=$(grep -E '^#[0-9]+ +(DONE|INITED|NEW|REDUCE|pulse)' "$tmp/$t.fuzz" 2>/dev/null | tail -n 1)
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$tmp/$t.fuzz" 2>/dev/null)
  cov=$(printf '%s\n' "$last" | sed -n 's/.*\(cov: [0-9]* ft: [0-9]*\).*/\1/p')
  if [ "$(cat "$tmp/$t.rc")" = 0 ]; then
    echo "fuzz smoke: $t: ok — replayed $n corpus inputs, then ${secs} s: ${runs:-?} runs, ${cov:-cov ?}"
  else
    failed=$((failed + 1))
    echo "fuzz smoke: $t: FAILED"
    for f in "$tmp/$t.replay" "$tmp/$t.fuzz"; do
      [ -f "$f" ] && grep -v -E '^#[0-9]+ +(NEW|REDUCE|pulse)|^INFO' "$f" | tail -n 40
    done
    for a in "$tmp/$t.art"/*; do
      [ -f "$a" ] && { echo "input ($a), base64:"; base64 -w0 "$a"; echo; }
    done
  fi
done
echo "fuzz smoke: $(( ${#targets[@]} - failed )) passed, $failed failed"
[ $failed = 0 ]
