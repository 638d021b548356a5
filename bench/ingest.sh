#!/usr/bin/env bash
# bench/ingest.sh — ingestion benchmark: `reformstat describe` against R's
# data.table::fread followed by the same summaries, in one run.
#
# Generates (once, reused afterwards) a deterministic 1,000,000-row x
# 25-column survey/registry-shaped numeric CSV, ~70 MiB, in two variants:
#   comma      ',' delimiter, '.' decimal mark
#   semicolon  ';' delimiter, ',' decimal mark (Excel/SSB style)
# then, per variant, runs each side RUNS times (alternating) under
# GNU time and prints median wall seconds, max RSS and the targets:
#   * R/reformstat wall-time ratio >= 3
#   * reformstat max RSS <= 1.5 x rows x cols x 8 bytes
# and checks that both sides agree (mean, quartiles and the other
# statistics of the first 3 columns, to 1e-9 relative).
#
# Usage: bench/ingest.sh [--r-only] [--rows N] [--runs N] [--variant comma|semicolon|both]
# Environment:
#   REFORMSTAT        the binary (default: <repo root>/reformstat)
#   RS_DESCRIBE_ARGS  extra arguments for `reformstat describe` (word-split)
#   TMPDIR            data go to ${TMPDIR:-/tmp}/reformstat-bench
#   CC                compiler for the data generator (default cc)
#   R_DATATABLE_NUM_THREADS  fread's threads (default: data.table's own
#                     default, 50 % of the logical CPUs: 1 on a 2-core box)
# Exit status: 0 all targets met and the outputs agree; 1 a target missed or
# the outputs disagree; 2 the bench could not run.
#
# Needs: a C compiler, Rscript with data.table (Debian: r-cran-data.table),
# GNU time at /usr/bin/time (Debian package `time`; installed here with
# apt-get when missing and we are root).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
rows=1000000
runs=3
variants="comma semicolon"
r_only=0
cols=25   # fixed by gen-ingest.c

usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; }
while [ $# -gt 0 ]; do
  case $1 in
    --r-only) r_only=1 ;;
    --rows) rows=$2; shift ;;
    --runs) runs=$2; shift ;;
    --variant)
      case $2 in
        comma|semicolon) variants=$2 ;;
        both) variants="comma semicolon" ;;
        *) echo "ingest.sh: --variant must be comma, semicolon or both" >&2; exit 2 ;;
      esac
      shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "ingest.sh: unknown argument '$1' (try --help)" >&2; exit 2 ;;
  esac
  shift
done
case $rows in ''|*[!0-9]*) echo "ingest.sh: --rows needs a number" >&2; exit 2 ;; esac
case $runs in ''|*[!0-9]*|0) echo "ingest.sh: --runs needs a positive number" >&2; exit 2 ;; esac

die() { echo "ingest.sh: $*" >&2; exit 2; }

REFORMSTAT=${REFORMSTAT:-$root/reformstat}
if [ "$r_only" = 0 ]; then
  [ -x "$REFORMSTAT" ] || die "no reformstat binary at $REFORMSTAT (build it, set REFORMSTAT, or run with --r-only)"
fi
command -v Rscript >/dev/null || die "Rscript not found (install r-base-core and r-cran-data.table)"
Rscript -e 'suppressPackageStartupMessages(library(data.table))' >/dev/null 2>&1 \
  || die "R package data.table not found (Debian: apt-get install r-cran-data.table)"

# GNU time: the shell keyword `time` cannot report max RSS.  The Debian
# package `time` provides /usr/bin/time; install it if we can.
TIME=/usr/bin/time
if ! "$TIME" -f '%e %M' true >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "ingest.sh: installing GNU time (apt-get install time)" >&2
    apt-get install -y -q time >/dev/null || die "could not install GNU time"
  fi
  "$TIME" -f '%e %M' true >/dev/null 2>&1 || die "GNU time is needed at /usr/bin/time (Debian package 'time')"
fi

work=${TMPDIR:-/tmp}/reformstat-bench
mkdir -p "$work"

# ---- generator: compiled once per version of its source ------------------
gen_sum=$(cksum < "$here/gen-ingest.c" | cut -d' ' -f1)
gen=$work/gen-ingest-$gen_sum
if [ ! -x "$gen" ]; then
  ${CC:-cc} -std=c11 -O2 -o "$gen.tmp" "$here/gen-ingest.c" || die "could not compile bench/gen-ingest.c"
  mv "$gen.tmp" "$gen"
fi

# ---- data: reused when the stamp (generator version, size) matches --------
datafile() { echo "$work/ingest-$1-$rows.csv"; }
for v in $variants; do
  f=$(datafile "$v")
  if [ -f "$f" ] && [ -f "$f.stamp" ] \
     && [ "$(cat "$f.stamp")" = "$gen_sum $(wc -c < "$f" | tr -d ' ')" ]; then
    echo "reusing $f"
  else
    echo "generating $f ..."
    "$gen" "$rows" "$v" > "$f.tmp" || die "data generation failed"
    mv "$f.tmp" "$f"
    echo "$gen_sum $(wc -c < "$f" | tr -d ' ')" > "$f.stamp"
  fi
done

# ---- helpers ---------------------------------------------------------------
# timed LOG TIMEFILE CMD... : run CMD under GNU time; "wall_s maxrss_kb" -> TIMEFILE
timed() {
  local log=$1 tf=$2; shift 2
  if ! "$TIME" -f '%e %M' -o "$tf" "$@" > "$log" 2>&1; then
    echo "ingest.sh: command failed: $*" >&2
    tail -n 20 "$log" >&2
    exit 2
  fi
}
median() { printf '%s\n' "$@" | LC_ALL=C sort -g | LC_ALL=C awk '{a[NR]=$1} END{ if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2 }'; }
maxof()  { printf '%s\n' "$@" | LC_ALL=C sort -g | tail -n 1; }

# compare RS.csv R.csv NAMES... : reformstat's describe CSV vs ingest.R's, for
# the named variables; columns are found by header name (with aliases).
compare() {
  [ -s "$1" ] || { echo "  reformstat wrote no output to $1"; return 1; }
  LC_ALL=C awk -v names="$3" -v rs="$1" -v rr="$2" '
    # split one CSV record (RFC 4180 quoting) into f[1..n]
    function csvsplit(line, f,    n, i, c, inq, cur) {
      n = 0; cur = ""; inq = 0
      for (i = 1; i <= length(line); i++) {
        c = substr(line, i, 1)
        if (inq) {
          if (c == "\"") { if (substr(line, i + 1, 1) == "\"") { cur = cur "\""; i++ } else inq = 0 }
          else cur = cur c
        } else if (c == "\"") inq = 1
        else if (c == ",") { f[++n] = cur; cur = "" }
        else cur = cur c
      }
      f[++n] = cur
      return n
    }
    function canon(h) {
      h = tolower(h); gsub(/^[ \t]+|[ \t\r]+$/, "", h)
      if (h == "name" || h == "column" || h == "var") return "variable"
      if (h == "p25" || h == "q25" || h == "quartile1" || h == "q1") return "q1"
      if (h == "p50" || h == "q2" || h == "q50" || h == "median") return "median"
      if (h == "p75" || h == "q75" || h == "quartile3" || h == "q3") return "q3"
      if (h == "n_missing" || h == "nmiss" || h == "missing") return "missing"
      if (h == "minimum") return "min"
      if (h == "maximum") return "max"
      if (h == "std" || h == "stddev" || h == "sd") return "sd"
      return h
    }
    # load FILE into val[side, variable, stat]; the first row per variable wins
    function load(file, side,    line, f, n, hdr, i, nh, vcol, v) {
      nh = 0
      while ((getline line < file) > 0) {
        sub(/\r$/, "", line)
        if (line == "") continue
        n = csvsplit(line, f)
        if (!nh) { nh = n; for (i = 1; i <= n; i++) { hdr[i] = canon(f[i]); has[side, hdr[i]] = 1; if (hdr[i] == "variable") vcol = i }; continue }
        if (!vcol) { printf "  %s: no variable/name column in the header\n", file; bad = 1; return }
        v = f[vcol]
        if ((side, v) in seen) continue
        seen[side, v] = 1
        for (i = 1; i <= n && i <= nh; i++) val[side, v, hdr[i]] = f[i]
      }
      close(file)
    }
    function abs(x) { return x < 0 ? -x : x }
    BEGIN {
      bad = 0
      load(rs, "rs"); load(rr, "r")
      nv = split(names, vars, " ")
      ns = split("n missing mean sd min q1 median q3 max", stats, " ")
      split("mean q1 median q3", req, " "); for (k in req) required[req[k]] = 1
      worst = 0; checked = 0
      for (i = 1; i <= nv; i++) {
        v = vars[i]
        if (!(("rs", v) in seen)) { printf "  %s: missing from reformstat output\n", v; bad = 1; continue }
        for (s = 1; s <= ns; s++) {
          st = stats[s]
          if (!has["rs", st]) { if (st in required) { printf "  reformstat output has no %s column\n", st; bad = 1 }; continue }
          a = val["rs", v, st]; b = val["r", v, st]
          if (a == "" || a !~ /^[-+0-9.eEinfINFaN]+$/) { printf "  %s %s: reformstat gave \"%s\"\n", v, st, a; bad = 1; continue }
          a += 0; b += 0
          d = abs(a - b); m = abs(a) > abs(b) ? abs(a) : abs(b)
          rel = (m == 0) ? 0 : d / m
          checked++
          if (rel > worst) worst = rel
          if (rel > 1e-9) { printf "  %s %s: reformstat %.17g, R %.17g (relative difference %.3g)\n", v, st, a, b, rel; bad = 1 }
        }
      }
      printf "  %d values compared, largest relative difference %.3g (tolerance 1e-9)\n", checked, worst
      exit bad
    }'
}

# ---- environment ------------------------------------------------------------
echo
echo "machine: $(nproc) logical CPUs; $(LC_ALL=C awk -F': ' '/^model name/{print $2; exit}' /proc/cpuinfo 2>/dev/null || true)"
echo "R: $(Rscript -e 'cat(R.version.string, "| data.table", as.character(packageVersion("data.table")), "| getDTthreads() =", data.table::getDTthreads())' 2>/dev/null)"
if [ "$r_only" = 0 ]; then
  rs_version=$("$REFORMSTAT" --version 2>/dev/null | head -n 1 || true)
  echo "reformstat: $REFORMSTAT (${rs_version:-version unknown})"
fi
echo "rows $rows x cols $cols, $runs runs per side (median wall time, largest max RSS)"

status=0
results=()
for v in $variants; do
  f=$(datafile "$v")
  fsize=$(wc -c < "$f" | tr -d ' ')
  cat "$f" > /dev/null   # same warm page cache for both sides
  rs_t=(); rs_m=(); r_t=(); r_m=()
  echo
  echo "== $v: $f"
  for i in $(seq 1 "$runs"); do
    if [ "$r_only" = 0 ]; then
      # shellcheck disable=SC2086
      timed "$work/rs-$v.log" "$work/rs-$v.time" \
        "$REFORMSTAT" describe "$f" --format csv -o "$work/rs-$v.out" ${RS_DESCRIBE_ARGS:-}
      read -r t m < "$work/rs-$v.time"; rs_t+=("$t"); rs_m+=("$m")
      echo "  run $i reformstat: ${t} s, max RSS $m KiB"
    fi
    timed "$work/r-$v.log" "$work/r-$v.time" Rscript "$here/ingest.R" "$f" "$v" "$work/r-$v.out"
    read -r t m < "$work/r-$v.time"; r_t+=("$t"); r_m+=("$m")
    echo "  run $i R/fread:    ${t} s, max RSS $m KiB  ($(grep -o 'getDTthreads() = [0-9]*' "$work/r-$v.log" || true))"
  done
  r_med=$(median "${r_t[@]}"); r_max=$(maxof "${r_m[@]}")
  if [ "$r_only" = 0 ]; then
    rs_med=$(median "${rs_t[@]}"); rs_max=$(maxof "${rs_m[@]}")
    names=$(head -n 1 "$f" | tr ',;' '  ' | awk '{print $1, $2, $3}')
    echo "  agreement with R on the first 3 columns ($names):"
    if compare "$work/rs-$v.out" "$work/r-$v.out" "$names"; then agree=yes; else agree=NO; status=1; fi
  else
    rs_med=-; rs_max=-; agree=-
  fi
  results+=("$v $fsize $r_med $r_max $rs_med $rs_max $agree")
done

# ---- table ------------------------------------------------------------------
echo
printf '%s\n' "${results[@]}" | LC_ALL=C awk -v rows="$rows" -v cols="$cols" -v ronly="$r_only" '
  BEGIN {
    values = rows * cols * 8 / 1048576
    printf "%-10s %8s %9s %8s %8s %12s %9s %9s %11s %6s\n", "variant", "file MiB", "values MiB", "rs s", "R s", "R/rs (>=3)", "rs RSS", "R RSS", "RSS/values", "agree"
    printf "%-10s %8s %9s %8s %8s %12s %9s %9s %11s %6s\n", "", "", "(n*8 B)", "median", "median", "", "MiB", "MiB", "(<=1.5)", ""
    fail = 0
  }
  {
    v = $1; fmib = $2 / 1048576; rt = $3; rm = $4 / 1024
    if (ronly) {
      printf "%-10s %8.1f %9.1f %8s %8.2f %12s %9s %9.1f %11s %6s\n", v, fmib, values, "-", rt, "-", "-", rm, "-", "-"
      printf "           targets for reformstat: wall <= %.3f s (R/3), max RSS <= %.1f MiB (1.5 x values)\n", rt / 3, 1.5 * values
      next
    }
    st = $5; sm = $6 / 1024
    ratio = (st > 0) ? rt / st : 1e9
    rss = sm / values
    ok_t = ratio >= 3 ? "ok" : "MISS"; ok_m = rss <= 1.5 ? "ok" : "MISS"
    if (ok_t != "ok" || ok_m != "ok" || $7 != "yes") fail = 1
    printf "%-10s %8.1f %9.1f %8.2f %8.2f %7.2f %-4s %9.1f %9.1f %6.2f %-4s %6s\n", v, fmib, values, st, rt, ratio, ok_t, sm, rm, rss, ok_m, $7
  }
  END { if (!ronly) print (fail ? "\nRESULT: target missed or outputs disagree" : "\nRESULT: all targets met, outputs agree"); exit fail }' \
  || status=1

exit "$status"
