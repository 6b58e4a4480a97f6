#!/bin/bash
# regquery-throughput.sh - parsing speed of the reg query importer against
# `xmllint --noout` on an XML file of the same size, in the same run.
#
# Usage: bench/regquery-throughput.sh [BUILD_DIR] [SIZE_MB]
#   BUILD_DIR  a configured and built tree (default: build), for
#              libirmfleet.a; SIZE_MB defaults to 50.
# Generates both inputs (bench/gen-regquery.py), builds bench_regquery.c
# with -O2 against the library, runs each side 3 times and keeps the best
# wall-clock time (whole process: read, decode, parse, free).  Prints MB/s
# for both and the ratio; exits 1 if the parser is more than 3x slower.
# If BUILD_DIR/irmfleet exists, the end-to-end `irmfleet import` (parse,
# write and validate the snapshot XML) is timed too, wall clock and CPU
# (user+sys, best of 3 each), and the script also exits 1 if its CPU time
# is more than 3x xmllint's.  CPU time, because on a shared machine the
# wall clock of the longer run suffers more from other load, and import
# also waits for its output to reach the disk (atomic save), which a
# reader like xmllint does not.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
build=${1:-$root/build}
mb=${2:-50}
runs=3
lib="$build/libirmfleet.a"
[ -f "$lib" ] || { echo "no $lib: build the project first" >&2; exit 2; }
command -v xmllint >/dev/null || { echo "xmllint not found" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "/usr/bin/time not found" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 "$here/gen-regquery.py" --mb "$mb" --regquery "$work/hive.txt" \
    --xml "$work/hive.xml"
# the library's internal headers, one folder per layer
incs=(-I "$root/include")
for d in "$root"/collector/*/ "$root"/compare/ "$root"/compare/*/; do
	incs+=(-I "$d")
done
# shellcheck disable=SC2046  # pkg-config output is a word list
${CC:-cc} -O2 "${incs[@]}" \
    "$here/bench_regquery.c" "$lib" \
    $(pkg-config --libs libxml-2.0 libssh2 sqlite3 jansson libcrypto) \
    -lpthread -lm -o "$work/bench_regquery"

# best CPU time (user+sys) of $runs runs of "$@", in seconds
best_cpu() {
  local b="" t
  for _ in $(seq "$runs"); do
    /usr/bin/time -o "$work/cpu" -f '%U %S' "$@" >/dev/null 2>&1
    t=$(awk '{ print $1 + $2 }' "$work/cpu")
    if [ -z "$b" ] || [ "$(echo "$t < $b" | bc -l)" = 1 ]; then b=$t; fi
  done
  echo "$b"
}

# best wall time of $runs runs of "$@", in seconds
best() {
  local b="" t0 t1 d
  for _ in $(seq "$runs"); do
    t0=$(date +%s.%N)
    "$@" >/dev/null
    t1=$(date +%s.%N)
    d=$(echo "$t1 - $t0" | bc -l)
    if [ -z "$b" ] || [ "$(echo "$d < $b" | bc -l)" = 1 ]; then b=$d; fi
  done
  echo "$b"
}

size=$(stat -c %s "$work/hive.txt")
xsize=$(stat -c %s "$work/hive.xml")
read -r _ keys values _ < <("$work/bench_regquery" "$work/hive.txt")
t_rq=$(best "$work/bench_regquery" "$work/hive.txt")
t_xml=$(best xmllint --noout "$work/hive.xml")
mbs_rq=$(echo "$size / 1048576 / $t_rq" | bc -l)
mbs_xml=$(echo "$xsize / 1048576 / $t_xml" | bc -l)
ratio=$(echo "$t_rq / $t_xml" | bc -l)
printf 'reg query dump: %d bytes, %d keys, %d values\n' "$size" "$keys" "$values"
printf 'irmf_regquery_parse: %.3f s  %.1f MB/s\n' "$t_rq" "$mbs_rq"
printf 'xmllint --noout:     %.3f s  %.1f MB/s  (%d bytes)\n' "$t_xml" "$mbs_xml" "$xsize"
printf 'ratio (regquery time / xmllint time): %.2f (limit 3.00)\n' "$ratio"
# The whole `irmfleet import` (parse, merge into the server snapshot, write
# and check the XML) when the binary is there: reported, not gated, because
# most of its time is outside the parser (see README.md).
fail=0
if [ -x "$build/irmfleet" ]; then
  imp=("$build/irmfleet" import --server BENCH --role exchange --out "$work/out"
      "$work/hive.txt")
  t_imp=$(best "${imp[@]}")
  c_imp=$(best_cpu "${imp[@]}")
  c_xml=$(best_cpu xmllint --noout "$work/hive.xml")
  e2e=$(echo "$c_imp / $c_xml" | bc -l)
  printf 'irmfleet import (end to end): %.3f s  %.1f MB/s  wall ratio %.2f\n' \
      "$t_imp" "$(echo "$size / 1048576 / $t_imp" | bc -l)" \
      "$(echo "$t_imp / $t_xml" | bc -l)"
  printf 'CPU (user+sys): import %.3f s, xmllint %.3f s, ratio %.2f (limit 3.00)\n' \
      "$c_imp" "$c_xml" "$e2e"
  if [ "$(echo "$e2e > 3" | bc -l)" = 1 ]; then
    echo "FAIL: irmfleet import takes more than 3x xmllint's CPU time"
    fail=1
  fi
fi
if [ "$(echo "$ratio > 3" | bc -l)" = 1 ]; then
  echo "FAIL: reg query import is more than 3x slower than xmllint"
  fail=1
fi
[ $fail = 0 ] || exit 1
echo "OK"
