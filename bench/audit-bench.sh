#!/bin/bash
# audit-bench.sh - the history store (compare/store/) against issue 6's
# performance bar, measured in one run on this machine:
#   1. record one audit of 10,000 synthetic servers x 100 settings: the
#      store part (irmf_store_record_run: flatten, hash, write, commit)
#      must take <= 2 s wall-clock (best of 3 runs);
#   2. a second audit of the unchanged fleet: bytes added to the file;
#   3. 365 daily audits of a 20-server fleet with a few changes a day:
#      bytes per audit, and the history query of one server (median of
#      15) must take < 50 ms.
# Only the store is timed: `irmfleet audit` on such a fleet also loads
# and validates the XML and runs the comparison (see compare-bench.sh).
#
# Usage: bench/audit-bench.sh [BUILD_DIR] [NSERVERS]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
build=${1:-$root/build}
n=${2:-10000}
lib="$build/libirmfleet.a"
[ -f "$lib" ] || { echo "no $lib: build the project first" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# the library's internal headers, one folder per layer
incs=(-I "$root/include")
for d in "$root"/collector/*/ "$root"/compare/ "$root"/compare/*/; do
	incs+=(-I "$d")
done
# shellcheck disable=SC2046  # pkg-config output is a word list
${CC:-cc} -O2 "${incs[@]}" \
    "$here/audit_bench.c" "$lib" \
    $(pkg-config --libs libssh2 libxml-2.0 sqlite3 jansson libcrypto) \
    -lpthread -lm -o "$work/audit_bench"

echo "machine: $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)," \
    "sqlite $(pkg-config --modversion sqlite3)"
best=""
for r in 1 2 3; do
	rm -f "$work"/h*.db*
	"$work/audit_bench" "$work/h1.db" "$work/h2.db" "$n" >"$work/out$r"
	sed 's/^/  /' "$work/out$r" | grep -v RESULT
	line=$(grep RESULT "$work/out$r")
	wall=$(sed 's/.*first_wall=\([0-9.]*\).*/\1/' <<<"$line")
	if [ -z "$best" ] || awk "BEGIN{exit !($wall < $bestwall)}"; then
		best=$line; bestwall=$wall
	fi
done
get() { sed "s/.*$1=\([0-9.]*\).*/\1/" <<<"$best"; }
echo
echo "best of 3: record $n snapshots: $(get first_wall) s wall" \
    "($(get first_cpu) s CPU), file $(get first_bytes) bytes;" \
    "unchanged re-audit adds $(get bytes_per_audit) bytes" \
    "($(get bytes_per_server) per server); history query" \
    "$(get history_median_ms) ms (median)"
status=0
awk "BEGIN{exit !($(get first_wall) <= 2.0)}" ||
	{ echo "FAIL: recording took more than 2 s"; status=1; }
awk "BEGIN{exit !($(get history_median_ms) < 50)}" ||
	{ echo "FAIL: history query took 50 ms or more"; status=1; }
[ $status = 0 ] && echo "ok: within the bar (<= 2 s, < 50 ms)"
exit $status
