#!/usr/bin/env bash
# tests/fuzz/build.sh — build the fuzz targets.
#
#   tests/fuzz/build.sh [--afl] [BUILD_DIR]
#
# libFuzzer (default): configures a separate out-of-tree build in BUILD_DIR
# (default: build-fuzz, or build-afl with --afl) with clang and
# -fsanitize=fuzzer-no-link,address,undefined, builds libreformstat.a there
# and links each target tests/fuzz/fuzz-*.c with -fsanitize=fuzzer.
# --afl: the same with afl-clang-fast (AFL++), the targets linked with
# AFL++'s libFuzzer driver, for afl-fuzz.
# UBSan findings abort (-fno-sanitize-recover), so the engines see them.
# Targets: BUILD_DIR/fuzz-reader, fuzz-codebook, fuzz-formula, fuzz-readstat
# (and fuzz-plan when datasets/plan.c exists).
set -euo pipefail
src=$(cd "$(dirname "$0")/../.." && pwd)
engine=libfuzzer
if [ "${1:-}" = "--afl" ]; then engine=afl; shift; fi
if [ "$engine" = afl ]; then
  out=${1:-$src/build-afl}
  cc=${AFL_CC_PROGRAM:-afl-clang-fast}
  san="-fsanitize=address,undefined -fno-sanitize-recover=undefined"
  cflags="$san -g -O1"
  link="$san -fsanitize=fuzzer"
  export AFL_QUIET=1
else
  out=${1:-$src/build-fuzz}
  cc=${FUZZ_CC:-clang}
  san="-fsanitize=address,undefined -fno-sanitize-recover=undefined"
  cflags="-fsanitize=fuzzer-no-link $san -g -O1 -fno-omit-frame-pointer"
  link="-fsanitize=fuzzer $san"
fi
command -v "$cc" > /dev/null || { echo "build.sh: $cc not found (Debian: clang libclang-rt-14-dev afl++)" >&2; exit 1; }
[ -x "$src/configure" ] || (cd "$src" && autoreconf -fi)
mkdir -p "$out"
cd "$out"
if [ ! -f Makefile ] || [ "$(cat .fuzz-flags 2>/dev/null)" != "$cc $cflags" ]; then
  # The library's own tests are not needed here; werror stays off (clang
  # and gcc warn differently).
  "$src/configure" -q CC="$cc" CFLAGS="$cflags"
  echo "$cc $cflags" > .fuzz-flags
fi
make -s -j2 libreformstat.a
# the libraries the program links with, as configure found them
libs=$(printf 'print-libs:\n\t@echo $(RS_LIBS)\n' | make -s -f Makefile -f - print-libs)
cppflags=$(printf 'print-cflags:\n\t@echo $(GSL_CFLAGS) $(GLIB_CFLAGS) $(READSTAT_CFLAGS)\n' | make -s -f Makefile -f - print-cflags)
targets=(reader codebook formula readstat)
if [ -f "$src/datasets/plan.c" ] && [ -f "$src/tests/fuzz/fuzz-plan.c" ]; then targets+=(plan); fi
for t in "${targets[@]}"; do
  # shellcheck disable=SC2086
  "$cc" $cflags -std=gnu11 -I. -I"$src" $cppflags -o "fuzz-$t" "$src/tests/fuzz/fuzz-$t.c" libreformstat.a $link $libs
  echo "built $out/fuzz-$t"
done
