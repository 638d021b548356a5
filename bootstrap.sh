#!/usr/bin/env bash
# bootstrap.sh — set up, build and run reformstat on a fresh Debian 12 machine.
#
#   ./bootstrap.sh demo    install dependencies, build, run the main job on the bundled sample
#   ./bootstrap.sh check   install dependencies, build, run the test suite (make check)
#   ./bootstrap.sh deps    only install dependencies
#
# Environment: CONFIGURE_FLAGS (extra ./configure arguments), BUILD_DIR (default: build).
set -euo pipefail
cd "$(dirname "$0")"
mode="${1:-demo}"

PKGS=(build-essential autoconf automake pkg-config
      libgsl-dev libglib2.0-dev libcairo2-dev libpng-dev libpango1.0-dev libcsv-dev libjson-glib-dev libreadstat-dev pspp
      fonts-dejavu-core poppler-utils libxml2-utils
      r-base-core r-cran-data.table r-cran-sandwich r-cran-survey)
# fuzzing (tests/fuzz, .ci/run): clang with libFuzzer and the sanitizer runtimes, AFL++ as second engine
PKGS+=(clang libclang-rt-14-dev afl++)
# Excel tables of the county report; unzip reads them back in tests/test-tables.c
PKGS+=(libxlsxwriter-dev unzip)
# the benches (bench/*.sh): GNU time for wall and CPU time, ps (procps) for the memory of a process tree
PKGS+=(time procps)

install_deps() {
  local missing=()
  for p in "${PKGS[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  if [ ${#missing[@]} -eq 0 ]; then
    echo "bootstrap: all ${#PKGS[@]} packages present"
    return
  fi
  echo "bootstrap: installing ${missing[*]}"
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

# Kommune/fylke code tables: ../shared when present (CI, the project's own
# machines), else SSB Klass exports downloaded into ./refdata when online,
# else a plain word on how to get them.  Never committed.
refdata() {
  if [ -n "${REFORMSTAT_REFDATA:-}" ]; then return; fi
  for d in ../shared/data/norway ../../shared/data/norway; do
    if [ -f "$d/kommuner_2024.csv" ]; then export REFORMSTAT_REFDATA="$(cd "$d" && pwd)"; return; fi
  done
  if [ -f refdata/klass-131-2024.csv ]; then export REFORMSTAT_REFDATA="$(pwd)/refdata"; return; fi
  local api="https://data.ssb.no/api/klass/v1/classifications"
  if command -v curl > /dev/null; then
    mkdir -p refdata.tmp
    local ok=1
    for y in 2019 2020 2024; do
      curl -fsS --max-time 20 "$api/131/codesAt.csv?date=$y-01-01&csvSeparator=;" -o "refdata.tmp/klass-131-$y.csv" || ok=0
      curl -fsS --max-time 20 "$api/104/codesAt.csv?date=$y-01-01&csvSeparator=;" -o "refdata.tmp/klass-104-$y.csv" || ok=0
    done
    curl -fsS --max-time 20 "$api/131/changes.csv?from=2019-01-01&to=2024-01-02&csvSeparator=;" \
      -o "refdata.tmp/klass-131-changes-2019-2024.csv" || ok=0
    if [ "$ok" = 1 ]; then
      rm -rf refdata && mv refdata.tmp refdata
      export REFORMSTAT_REFDATA="$(pwd)/refdata"
      echo "bootstrap: kommune/fylke codes downloaded from SSB Klass into refdata/"
      return
    fi
    rm -rf refdata.tmp
  fi
  echo "bootstrap: no kommune/fylke reference data (../shared/data/norway absent, SSB Klass not reachable)."
  echo "  Everything that needs no kommune names or code mapping works.  To add them, save SSB Klass CSV"
  echo "  exports of classifications 131 and 104 as refdata/klass-131-YEAR.csv and klass-104-YEAR.csv"
  echo "  (https://www.ssb.no/klass/) and set REFORMSTAT_REFDATA=$(pwd)/refdata."
}

build() {
  if [ ! -x configure ] || [ configure.ac -nt configure ] || [ Makefile.am -nt Makefile.in ]; then
    autoreconf -fi
  fi
  local flags="${CONFIGURE_FLAGS:-}"
  if [ "${CI:-}" = "true" ]; then flags="--enable-werror $flags"; fi
  if [ ! -f config.status ] || [ "$(cat .bootstrap-flags 2>/dev/null)" != "$flags" ]; then
    # shellcheck disable=SC2086
    ./configure $flags
    echo "$flags" > .bootstrap-flags
  fi
  make -j"$(nproc)"
}

case "$mode" in
  deps) install_deps ;;
  demo)
    install_deps
    build
    refdata
    out="${DEMO_OUT:-demo-output}"
    mkdir -p "$out"
    s=datasets/sample
    echo
    echo "== validate: the four sample datasets against their codebooks"
    for d in family coordinators registry cases; do
      ./reformstat validate "$s/$d.csv" --codebook "$s/$d-codebook.csv" | head -1
    done
    echo
    echo "== describe: collaboration items before (post = 0) and after (post = 1) the reform"
    ./reformstat describe "$s/family.csv" --codebook "$s/family-codebook.csv" \
      --vars collab_1,collab_2,collab_3 --by post --quiet
    echo
    echo "== describe: coordinators' caseload and earmarked hours"
    ./reformstat describe "$s/coordinators.csv" --codebook "$s/coordinators-codebook.csv" \
      --vars families,earmarked_hours,position_pct --quiet
    echo
    echo "== full tables"
    ./reformstat describe "$s/family.csv" --codebook "$s/family-codebook.csv" \
      --by coordinator_type --format md -o "$out/family-by-coordinator-type.md"
    ./reformstat describe "$s/family.csv" --codebook "$s/family-codebook.csv" \
      --format json -o "$out/family-describe.json"
    ./reformstat describe "$s/registry.csv" --codebook "$s/registry-codebook.csv" \
      --vintage 2024 --format csv -o "$out/registry-describe.csv" 2>/dev/null ||
      ./reformstat describe "$s/registry.csv" --codebook "$s/registry-codebook.csv" \
        --format csv -o "$out/registry-describe.csv"
    echo
    echo "== run: every analysis of the sample plan (datasets/sample/plan.ini) into $out/plan/"
    ./reformstat run datasets/sample/plan.ini -o "$out/plan"
    echo
    echo "== report: the county report (PDF and tables) for every fylke into $out/report/"
    ./reformstat report --plan datasets/sample/plan.ini --all-fylker -o "$out/report"
    echo "bootstrap: outputs written to $(pwd)/$out/:"
    ls -l "$out"
    ;;
  check)
    install_deps
    build
    refdata
    make check
    ;;
  *) echo "usage: $0 demo|check|deps" >&2; exit 1 ;;
esac
