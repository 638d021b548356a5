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
      libgsl-dev libglib2.0-dev libcairo2-dev libpango1.0-dev libcsv-dev libjson-glib-dev
      fonts-dejavu-core poppler-utils
      r-base-core r-cran-data.table r-cran-sandwich r-cran-survey)

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
    out="${DEMO_OUT:-demo-output}"
    mkdir -p "$out"
    sample=datasets/sample
    echo
    echo "== validate: family survey against its codebook"
    ./reformstat validate "$sample/family.csv" --codebook "$sample/family-codebook.csv" || true
    echo
    echo "== describe: family survey by coordinator type"
    ./reformstat describe "$sample/family.csv" --codebook "$sample/family-codebook.csv" \
      --by coordinator_type -o "$out/family-describe.md" --format md
    ./reformstat describe "$sample/family.csv" --codebook "$sample/family-codebook.csv" \
      --format json -o "$out/family-describe.json"
    echo
    echo "bootstrap: outputs written to $(pwd)/$out/"
    ls -l "$out"
    ;;
  check)
    install_deps
    build
    make check
    ;;
  *) echo "usage: $0 demo|check|deps" >&2; exit 1 ;;
esac
