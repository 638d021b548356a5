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
# Exit 1 when any target crashes, leaks, hangs or trips UBSan: the target,
# its report, the input (base64, and kept as BUILD_DIR/artifacts/TARGET/…),
# a command that replays it and, for a leak, the full allocation stack are
# printed; the last line is "fuzz smoke: N passed, M failed" followed by
# the failed targets' names.
#
# Limits are for a loaded 2-core CI machine running the sanitizer build:
# FUZZ_TIMEOUT (default 60 s) per input before libFuzzer calls it a hang —
# the slowest unit of any target takes well under a second unloaded, so a
# timeout is a real loop, not a slow machine; FUZZ_RSS_MB (default 2048)
# per process (the targets peak near 110 MB; two run at once).
set -uo pipefail
src=$(cd "$(dirname "$0")/../.." && pwd)
secs=${1:-60}
out=${2:-$src/build-fuzz}
timeout=${FUZZ_TIMEOUT:-60}
rss=${FUZZ_RSS_MB:-2048}
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
  local art="$out/artifacts/$t"
  rm -rf "$art"
  mkdir -p "$tmp/$t.new" "$art"
  local rc=0
  "$out/fuzz-$t" -runs=0 -timeout="$timeout" -rss_limit_mb="$rss" -artifact_prefix="$art/" "$corpus" \
    > "$tmp/$t.replay" 2>&1 || rc=1
  if [ $rc = 0 ]; then
    "$out/fuzz-$t" -max_total_time="$secs" -timeout="$timeout" -rss_limit_mb="$rss" -print_final_stats=1 \
      -artifact_prefix="$art/" "${dict[@]}" "$tmp/$t.new" "$corpus" > "$tmp/$t.fuzz" 2>&1 || rc=1
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
names=""
for t in "${targets[@]}"; do
  n=$(ls "$src/tests/fuzz/corpus/$t" 2>/dev/null | wc -l)
  # libFuzzer separates "#N" from "NEW" with a tab
  last=$(grep -E '^#[0-9]+[[:space:]]+(DONE|INITED|NEW|REDUCE|pulse)' "$tmp/$t.fuzz" 2>/dev/null | tail -n 1)
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$tmp/$t.fuzz" 2>/dev/null)
  cov=$(printf '%s\n' "$last" | sed -n 's/.*\(cov: [0-9]* ft: [0-9]*\).*/\1/p')
  if [ "$(cat "$tmp/$t.rc")" = 0 ]; then
    echo "fuzz smoke: $t: ok — replayed $n corpus inputs, then ${secs} s: ${runs:-?} runs, ${cov:-cov ?}"
  else
    failed=$((failed + 1))
    names="$names $t"
    echo "fuzz smoke: $t: FAILED"
    for f in "$tmp/$t.replay" "$tmp/$t.fuzz"; do
      [ -f "$f" ] && grep -v -E '^#[0-9]+[[:space:]]+(NEW|REDUCE|pulse)|^INFO' "$f" | tail -n 40
    done
    for a in "$out/artifacts/$t"/*; do
      [ -f "$a" ] || continue
      echo "fuzz smoke: $t: input $a ($(wc -c < "$a") bytes), base64:"
      base64 -w0 "$a"; echo
      echo "fuzz smoke: $t: replay with: $out/fuzz-$t $a"
      case ${a##*/} in leak-*)
        # the fast unwinder stops in GLib (no frame pointers): replay once
        # with the slow one so the report names our line
        echo "fuzz smoke: $t: the leak's full allocation stack:"
        ASAN_OPTIONS="fast_unwind_on_malloc=0${ASAN_OPTIONS:+:$ASAN_OPTIONS}" "$out/fuzz-$t" "$a" 2>&1 |
          sed -n '/ERROR: LeakSanitizer/,/^SUMMARY/p' | head -n 60 ;;
      esac
    done
  fi
done
echo "fuzz smoke: $(( ${#targets[@]} - failed )) passed, $failed failed${names:+ (failed:$names)}"
[ $failed = 0 ]
