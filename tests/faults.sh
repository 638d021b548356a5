#!/bin/sh
# faults.sh — no data loss under faults (issue 10): every command that
# writes an output, run while the output cannot be written (a file-size
# limit, a full disk, an unwritable directory, a read-only earlier file),
# while its input is cut short (a FIFO whose writer stops mid-row, a file
# that shrinks while it is read), and while it is stopped by SIGINT or
# SIGTERM.  In every case: a clear message, a non-zero exit, no partial
# file, directory or temporary file left, and an earlier output at the same
# path untouched (byte for byte).
#
# The commands come from `reformstat --help`, so a new command is picked up
# by the loop: if it has no invocation below, a generic one
# (CMD DATA --codebook CB -o OUT) is tried, and if that does not work the
# command is reported as a skip that names it.
#
# Expected values: none are statistics; each check is an exit status, a
# message, or a file compared with the earlier one (cmp).  TAP output.
set -u
: "${REFORMSTAT:?REFORMSTAT must name the reformstat program}"
R=$REFORMSTAT
SRC="${top_srcdir:-.}"
S=$(cd "$SRC/datasets/sample" && pwd) || { echo "1..0 # SKIP datasets/sample not found"; exit 0; }
REFDATA="${REFDATA_SRC:-}"
export LC_ALL=C
n=0; failed=0
ok() { n=$((n + 1)); if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; failed=$((failed + 1)); [ -s "$T/why" ] && sed 's/^/#   /' "$T/why" | head -n 15; fi; : > "$T/why"; }
skip() { n=$((n + 1)); echo "ok $n # SKIP $1"; }
T=$(mktemp -d "${TMPDIR:-/tmp}/rs-faults.XXXXXX") || exit 99
MNT=""
cleanup() {
  [ -n "$MNT" ] && umount "$MNT" 2>/dev/null
  chmod -R u+w "$T" 2>/dev/null
  rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
chmod 755 "$T"
: > "$T/why"
why() { echo "$*" >> "$T/why"; }

# ---- the commands and how each writes an output ---------------------------
# out_spec CMD: prints "KIND NAME" — KIND file or dir, NAME the output's
# file name (its extension chooses the format where that matters).
# invoke CMD OUT: runs CMD writing OUT (stdout and stderr to files in $T).
F=$S/family.csv; CB=$S/family-codebook.csv
out_spec() {
  case $1 in
    simulate|run|report) echo "dir out" ;;
    convert) echo "file out.csv" ;;
    plot) echo "file out.png" ;;
    codebook) echo "file out-codebook.csv" ;;
    *) echo "file out.txt" ;;
  esac
}
invoke() {
  cmd=$1; o=$2; shift 2
  case $cmd in
    validate) set -- validate "$F" -c "$CB" -o "$o" ;;
    describe) set -- describe "$F" -c "$CB" -o "$o" ;;
    compare) set -- compare "$F" -c "$CB" -y child_age -b child_sex -o "$o" ;;
    regress) set -- regress "$F" -c "$CB" --formula 'child_age ~ n_services' -o "$o" ;;
    correlate) set -- correlate "$F" -c "$CB" --vars child_age,n_services -o "$o" ;;
    reliability) set -- reliability "$F" -c "$CB" --index collaboration -o "$o" ;;
    bootstrap) set -- bootstrap "$F" -c "$CB" --var child_age --seed 1 -B 99 -o "$o" ;;
    codebook) set -- codebook "$F" -o "$o" ;;
    convert) set -- convert "$F" "$o" -c "$CB" ;;
    plot) set -- plot distribution "$F" -c "$CB" --var child_age -o "$o" ;;
    simulate) set -- simulate --seed 7 --families 200 --coordinators 20 --refdata "$REFDATA" -q --force --out "$o" ;;
    its) set -- its "$S/registry.csv" -c "$S/registry-codebook.csv" --numerator children_koordinator -o "$o" ;;
    caseload) set -- caseload "$S/coordinators.csv" -c "$S/coordinators-codebook.csv" --registry "$S/registry.csv" -o "$o" ;;
    run) set -- run "$S/plan.ini" --quiet -o "$o" ;;
    report) set -- report --plan "$S/plan.ini" --fylke 46 -o "$o" ;;
    *) set -- "$cmd" "$F" -c "$CB" -o "$o" ;;  # a command this file does not know yet
  esac
  if [ -n "$LIMITED" ]; then
    # a file-size limit of 0 for reformstat alone; its stderr goes through
    # a pipe, which no file-size limit applies to
    { sh -c 'ulimit -f 0; exec "$@"' sh "$R" "$@" 2>&1 > /dev/null; echo $? > "$T/rc"; } | cat > "$T/stderr"
    return "$(cat "$T/rc")"
  fi
  $RUNAS "$R" "$@" > "$T/stdout" 2> "$T/stderr"
}
RUNAS=""; LIMITED=""
# $1 is a reformstat command name on the --help list
commands=$("$R" --help | awk '/^Commands:/ { on = 1; next } on && /^  [a-z]/ { print $1 } on && /^$/ { on = 0 }')
[ -n "$commands" ] || { echo "1..1"; echo "not ok 1 - reformstat --help lists no commands"; exit 1; }
if [ -z "$REFDATA" ] || [ ! -f "$REFDATA/kommuner_2024.csv" ]; then
  commands=$(echo "$commands" | grep -v '^simulate$')
  no_refdata=1
else
  no_refdata=0
fi

# leftovers DIR: temporary files or directories a failed write left behind
leftovers() { find "$1" -name '.*.tmp-*' -o -name '.*.old-*' | head -n 5; }
# same A B: file or directory A is byte for byte B
same() { if [ -d "$2" ]; then diff -r "$1" "$2" > /dev/null 2>&1; else cmp -s "$1" "$2"; fi; }
# failed_cleanly WHAT DIR OUT EARLIER MESSAGE: exit 1 with MESSAGE on stderr,
# no leftovers in DIR, OUT as EARLIER (or absent when EARLIER is "")
failed_cleanly() {
  rc=$1; dir=$2; out=$3; earlier=$4; msg=$5
  [ "$rc" -eq 1 ] || { why "exit $rc, expected 1"; cat "$T/stderr" >> "$T/why"; return 1; }
  grep -q -e "$msg" "$T/stderr" || { why "stderr lacks '$msg':"; cat "$T/stderr" >> "$T/why"; return 1; }
  [ -z "$(leftovers "$dir")" ] || { why "left behind: $(leftovers "$dir")"; return 1; }
  if [ -n "$earlier" ]; then
    same "$out" "$earlier" || { why "the earlier $out was changed"; return 1; }
  else
    [ ! -e "$out" ] || { why "$out was created"; return 1; }
  fi
  return 0
}

# A private /dev/full (the real one is never written to: a program that
# renamed over it would replace it for the whole machine).
FULL=""
if mknod "$T/full" c 1 7 2>/dev/null && [ -c "$T/full" ]; then FULL=$T/full; fi  # as $T/dev-CMD/NAME below
# An unprivileged user for the permission cases (root writes anywhere).
if [ "$(id -u)" -ne 0 ]; then AS=""; as_ok=1
elif command -v setpriv > /dev/null && setpriv --reuid=65534 --regid=65534 --clear-groups "$R" --version > /dev/null 2>&1; then
  AS="setpriv --reuid=65534 --regid=65534 --clear-groups"; as_ok=1
else AS=""; as_ok=0; fi
# A small tmpfs: a real full disk (needs root and mount)
SMALL=""
if [ "$(id -u)" -eq 0 ] && mkdir "$T/small" && mount -t tmpfs -o size=2m tmpfs "$T/small" 2>/dev/null; then
  MNT=$T/small; SMALL=$T/small
fi

for cmd in $commands; do
  set -- $(out_spec "$cmd"); kind=$1; name=$2
  d=$T/$cmd; mkdir -p "$d"
  # -- a healthy run makes the earlier output
  invoke "$cmd" "$d/$name"; rc=$?
  if [ $rc -ne 0 ] || [ ! -e "$d/$name" ]; then
    case $cmd in
      validate|describe|compare|regress|correlate|reliability|bootstrap|codebook|convert|plot|simulate|its|caseload|run|report)
        why "exit $rc"; cat "$T/stderr" >> "$T/why"; ok 1 "$cmd: a healthy run writes $name" ;;
      *) skip "$cmd: no fault invocation known for this new command (add one to tests/faults.sh)" ;;
    esac
    continue
  fi
  ok 0 "$cmd: a healthy run writes $name"
  cp -R "$d/$name" "$d/earlier"

  # -- a file-size limit: SIGXFSZ is ignored, the write fails with EFBIG
  LIMITED=1; invoke "$cmd" "$d/$name"; rc=$?; LIMITED=""
  failed_cleanly $rc "$d" "$d/$name" "$d/earlier" "File too large"
  ok $? "$cmd: ulimit -f 0 -> exit 1, 'File too large', earlier $name untouched, no temporary left"
  rm -rf "$d/new-$name"
  LIMITED=1; invoke "$cmd" "$d/new-$name"; rc=$?; LIMITED=""
  failed_cleanly $rc "$d" "$d/new-$name" "" "File too large"
  ok $? "$cmd: ulimit -f 0 on a new output -> exit 1, nothing created"

  # -- a full disk
  if [ "$kind" = file ]; then
    if [ -n "$FULL" ]; then
      mkdir -p "$T/dev-$cmd"; mknod "$T/dev-$cmd/$name" c 1 7  # the output's name, for its extension
      invoke "$cmd" "$T/dev-$cmd/$name"; rc=$?
      [ $rc -eq 1 ] && grep -q "No space left on device" "$T/stderr" && [ -c "$T/dev-$cmd/$name" ]
      r=$?; [ $r -eq 0 ] || { why "exit $rc"; cat "$T/stderr" >> "$T/why"; }
      ok $r "$cmd: -o a full device -> exit 1, 'No space left on device', the device node kept"
    else
      skip "$cmd: /dev/full: cannot make a private device node (needs root)"
    fi
  fi
  if [ -n "$SMALL" ]; then
    rm -rf "$SMALL"/* "$SMALL"/.[!.]* 2>/dev/null
    cp -R "$d/earlier" "$SMALL/$name"
    # fill the rest of the disk, leaving less than one block
    dd if=/dev/zero of="$SMALL/filler" bs=4096 2>/dev/null
    invoke "$cmd" "$SMALL/$name"; rc=$?
    failed_cleanly $rc "$SMALL" "$SMALL/$name" "$d/earlier" "No space left on device"
    ok $? "$cmd: full tmpfs -> exit 1, 'No space left on device', earlier $name untouched, no temporary left"
  else
    skip "$cmd: full disk: mount -t tmpfs is not possible here (needs root in a system that allows it)"
  fi

  # -- an unwritable directory, and a read-only earlier file (as an
  # unprivileged user: root writes anywhere)
  if [ $as_ok -eq 1 ]; then
    mkdir -p "$d/ro" "$d/rofile"; cp -R "$d/earlier" "$d/ro/$name"; chmod 555 "$d/ro"
    RUNAS=$AS; invoke "$cmd" "$d/ro/$name"; rc=$?; RUNAS=""
    failed_cleanly $rc "$d/ro" "$d/ro/$name" "$d/earlier" "Permission denied"
    ok $? "$cmd: output in an unwritable directory -> exit 1, 'Permission denied', earlier $name untouched"
    RUNAS=$AS; invoke "$cmd" "$d/ro/new-$name"; rc=$?; RUNAS=""
    failed_cleanly $rc "$d/ro" "$d/ro/new-$name" "" "Permission denied"
    ok $? "$cmd: a new output in an unwritable directory -> exit 1, 'Permission denied', nothing created"
    if [ "$kind" = file ]; then
      cp "$d/earlier" "$d/rofile/$name"; chmod 444 "$d/rofile/$name"; chmod 777 "$d/rofile"
      RUNAS=$AS; invoke "$cmd" "$d/rofile/$name"; rc=$?; RUNAS=""
      failed_cleanly $rc "$d/rofile" "$d/rofile/$name" "$d/earlier" "Permission denied"
      ok $? "$cmd: a read-only earlier $name (directory writable) -> exit 1, 'Permission denied', the file untouched"
    fi
    chmod 755 "$d/ro"
  else
    skip "$cmd: permissions: running as root without setpriv to drop to an unprivileged user"
  fi
  rm -rf "$d/new-$name"
done

# ---- input cut short ----------------------------------------------------------
# A FIFO whose writer stops in the middle of a row: the row is incomplete,
# so the command must stop with a message naming the line (a reader cannot
# tell a pipe that ended early from a short file except by such a row).
d=$T/input; mkdir -p "$d"
"$R" describe "$F" -c "$CB" -o "$d/out.txt" 2>/dev/null; cp "$d/out.txt" "$d/earlier"
for cmd in describe validate convert; do
  rm -f "$d/fifo"; mkfifo "$d/fifo"
  head -c 50000 "$F" > "$d/fifo" &
  case $cmd in
    convert) "$R" convert "$d/fifo" "$d/out.txt" --to csv -c "$CB" > "$T/stdout" 2> "$T/stderr"; rc=$? ;;
    *) "$R" $cmd "$d/fifo" -c "$CB" -o "$d/out.txt" > "$T/stdout" 2> "$T/stderr"; rc=$? ;;
  esac
  wait
  if [ $cmd = validate ]; then
    # validate reports the problem as its result (exit 1) and writes the report
    [ $rc -eq 1 ] && grep -q "line 582" "$d/out.txt" "$T/stderr" 2>/dev/null && [ -z "$(leftovers "$d")" ]
    r=$?; [ $r -eq 0 ] || { why "exit $rc"; cat "$T/stderr" >> "$T/why"; }
    ok $r "validate: a FIFO closed mid-row -> exit 1 naming line 582"
    cp "$d/earlier" "$d/out.txt"
  else
    failed_cleanly $rc "$d" "$d/out.txt" "$d/earlier" "line 582"
    ok $? "$cmd: a FIFO closed mid-row (50000 bytes) -> exit 1 naming line 582, earlier output untouched"
  fi
done
# A complete FIFO works like a file (it is copied as it arrives).
rm -f "$d/fifo"; mkfifo "$d/fifo"; cat "$F" > "$d/fifo" &
"$R" describe "$d/fifo" -c "$CB" --vars child_age --format csv > "$T/stdout" 2> "$T/stderr"; rc=$?; wait
"$R" describe "$F" -c "$CB" --vars child_age --format csv > "$d/direct.csv" 2>/dev/null
[ $rc -eq 0 ] && cmp -s "$T/stdout" "$d/direct.csv"; r=$?
[ $r -eq 0 ] || { why "exit $rc"; cat "$T/stderr" >> "$T/why"; }
ok $r "describe of a FIFO gives what describe of the file gives"

# A file that shrinks while it is read: the command is stopped (SIGSTOP)
# once its read position is inside the file, the file is cut to a third,
# and the command continued.  It must refuse the file.  Whether the moment
# is caught depends on the machine's speed: if not, the check is skipped.
BIG=""
if [ $no_refdata -eq 0 ] && "$R" simulate --seed 3 --families 150000 --coordinators 10 --refdata "$REFDATA" -q --out "$T/bigsim" 2>/dev/null; then
  BIG=$T/bigsim/family.csv; BIGCB=$T/bigsim/family-codebook.csv
fi
# shrink_while CMD...: runs reformstat CMD..., truncating $d/shrink.csv under it
shrink_while() {
  f=$d/shrink.csv; cp "$BIG" "$f"; size=$(wc -c < "$f"); real=$(readlink -f "$f")
  "$R" "$@" > "$T/stdout" 2> "$T/stderr" & pid=$!
  caught=0; i=0
  while [ $i -lt 5000 ] && [ $caught -eq 0 ] && kill -0 $pid 2>/dev/null; do
    for fd in /proc/$pid/fd/*; do
      [ "$(readlink "$fd" 2>/dev/null)" = "$real" ] || continue
      pos=$(sed -n 's/^pos:[[:space:]]*//p' "/proc/$pid/fdinfo/${fd##*/}" 2>/dev/null)
      if [ -n "$pos" ] && [ "$pos" -gt 0 ] && [ "$pos" -lt "$size" ]; then
        kill -STOP $pid; truncate -s $((size / 3)) "$f"; kill -CONT $pid; caught=1; break
      fi
    done
    i=$((i + 1))
  done
  wait $pid; rc=$?
}
if [ -n "$BIG" ] && [ -d /proc/self/fdinfo ] && command -v truncate > /dev/null; then
  for cmd in describe convert; do
    rm -f "$d/out.txt"; cp "$d/earlier" "$d/out.txt"
    case $cmd in
      convert) shrink_while convert "$d/shrink.csv" "$d/out.txt" --to csv -c "$BIGCB" ;;
      *) shrink_while $cmd "$d/shrink.csv" -c "$BIGCB" -o "$d/out.txt" ;;
    esac
    if [ $caught -eq 0 ]; then skip "$cmd: the reader finished before the file could be cut"; continue; fi
    failed_cleanly $rc "$d" "$d/out.txt" "$d/earlier" "became shorter while it was being read"
    ok $? "$cmd: the input shrinks while it is read -> exit 1, 'became shorter', earlier output untouched"
  done
else
  skip "shrinking input: needs the reference data (for simulate), /proc and truncate"
fi

# ---- SIGINT and SIGTERM during a long job ------------------------------------
# The job is signalled as soon as its temporary output exists; it must
# remove it, say so, die of the signal (exit 128 + signal), and leave the
# earlier output alone.  A background job of a non-interactive shell
# ignores SIGINT, so it is started with SIGINT restored to the default
# (env --default-signal, coreutils 8.31+); an ignored signal stays ignored.
# signal_when_tmp SIG DIR CMD...: starts CMD, signals it once DIR holds a
# temporary output; sets rc and caught
signal_when_tmp() {
  sig=$1; dir=$2; shift 2
  $DEFSIG "$R" "$@" > "$T/stdout" 2> "$T/stderr" & pid=$!
  caught=0; i=0
  while [ $i -lt 20000 ] && kill -0 $pid 2>/dev/null; do
    if [ -n "$(find "$dir" -maxdepth 1 -name '.*.tmp-*' | head -n 1)" ]; then
      kill -$sig $pid; caught=1; break
    fi
    i=$((i + 1))
  done
  wait $pid; rc=$?
}
if env --default-signal=INT true 2>/dev/null; then DEFSIG="env --default-signal=INT"; else DEFSIG=""; fi
d=$T/signals; mkdir -p "$d"
for sig in INT TERM; do
  if [ $sig = INT ] && [ -z "$DEFSIG" ]; then skip "SIGINT: env --default-signal is missing"; continue; fi
  num=$(kill -l $sig 2>/dev/null); case $sig in INT) num=2 ;; TERM) num=15 ;; esac
  if [ $no_refdata -eq 0 ]; then
    rm -rf "$d/sim"
    "$R" simulate --seed 5 --families 100 --coordinators 5 --refdata "$REFDATA" -q --out "$d/sim" 2>/dev/null
    rm -rf "$d/earlier"; cp -R "$d/sim" "$d/earlier"
    signal_when_tmp $sig "$d" simulate --seed 6 --families 1000000 --refdata "$REFDATA" -q --force --out "$d/sim"
    if [ $caught -eq 0 ]; then
      skip "simulate: finished before SIG$sig could be sent"
    else
      [ $rc -eq $((128 + num)) ] && grep -q "stopped by SIG$sig" "$T/stderr" && [ -z "$(leftovers "$d")" ] &&
        same "$d/sim" "$d/earlier"
      r=$?; [ $r -eq 0 ] || { why "exit $rc; left: $(leftovers "$d")"; cat "$T/stderr" >> "$T/why"; }
      ok $r "simulate of 1,000,000 families: SIG$sig -> exit $((128 + num)), message, no temporary directory, earlier output untouched"
    fi
  fi
  if [ -n "$BIG" ]; then
    # convert writes a large CSV: signalled while its temporary file is written
    rm -f "$d/conv.csv"; cp "$BIG" "$d/conv.csv"; cp "$d/conv.csv" "$d/conv.earlier"
    signal_when_tmp $sig "$d" convert "$BIG" "$d/conv.csv" --style excel-nb -c "$BIGCB"
    if [ $caught -eq 0 ]; then
      skip "convert: finished before SIG$sig could be sent"
    else
      [ $rc -eq $((128 + num)) ] && grep -q "stopped by SIG$sig" "$T/stderr" && [ -z "$(leftovers "$d")" ] &&
        cmp -s "$d/conv.csv" "$d/conv.earlier"
      r=$?; [ $r -eq 0 ] || { why "exit $rc; left: $(leftovers "$d")"; cat "$T/stderr" >> "$T/why"; }
      ok $r "convert: SIG$sig while writing -> exit $((128 + num)), message, no temporary file, earlier file untouched"
    fi
  fi
done

# An ignored SIGINT (nohup-style) stays ignored: the job completes.
if [ -n "$BIG" ]; then
  rm -f "$d/ign.csv"
  ( trap '' INT; "$R" convert "$BIG" "$d/ign.csv" --to csv -c "$BIGCB" > "$T/stdout" 2> "$T/stderr" & pid=$!
    i=0; while [ $i -lt 20000 ] && [ -z "$(find "$d" -maxdepth 1 -name '.ign.csv.tmp-*')" ] && kill -0 $pid 2>/dev/null; do i=$((i + 1)); done
    kill -INT $pid 2>/dev/null; wait $pid ); rc=$?
  [ $rc -eq 0 ] && [ -s "$d/ign.csv" ] && [ -z "$(leftovers "$d")" ]; r=$?
  [ $r -eq 0 ] || { why "exit $rc"; cat "$T/stderr" >> "$T/why"; }
  ok $r "an ignored SIGINT stays ignored: the job completes"
fi

echo "1..$n"
[ $failed -eq 0 ]
